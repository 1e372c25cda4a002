/* GET /metrics: registryd's metrics (contrib/metric_table.h) for a
 * Prometheus server, to the addresses of [http] metrics_allow only. */
#ifndef REG_WEB_PROMETHEUS_H
#define REG_WEB_PROMETHEUS_H

#include "web.h"

#define METRICS_PATH "/metrics"

/* 200 with the exposition (text format 0.0.4), the gauges read from the
 * database first (the outbox's backlog; the jobs' state where the
 * scheduler runs); 403 to a peer not in [http] metrics_allow. */
void metrics_show(struct web_request *w);

#endif
