/* The health check of registryd's HTTP listener: what a load balancer or
 * a monitor asks before it sends work to this instance. */
#ifndef REG_WEB_HEALTH_H
#define REG_WEB_HEALTH_H

#include "web.h"

#define HEALTH_PATH "/health"

/* GET /health: 200 "ok", or 503 naming what is missing ("database:
 * unavailable") while this instance cannot reach its database. */
void health_show(struct web_request *w);

#endif
