/* The health check of registryd's HTTP listener: what a load balancer or
 * a monitor asks before it sends work to this instance. */
#ifndef REG_WEB_HEALTH_H
#define REG_WEB_HEALTH_H

#include "web.h"

#define HEALTH_PATH "/health"

/* GET /health: 200 "ok", or 503 with one line per item that is wrong
 * (docs/operations.md "Monitoring"): "database: unavailable" while this
 * instance cannot reach its database; "disk: …" for a filesystem it
 * writes to with less free than [health] disk_min_free or
 * disk_min_free_percent; where the scheduler runs, "jobs: …" for each
 * job that has not succeeded for three intervals and [health] job_grace. */
void health_show(struct web_request *w);

#endif
