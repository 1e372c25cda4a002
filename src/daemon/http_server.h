/* The HTTP service ([http] listen): libevent's evhttp on a thread of its
 * own, with its own event loop and database connection, so a page never
 * stalls EPP. A table routes {method, path prefix} to the handlers in
 * src/web/. */
#ifndef REG_HTTP_SERVER_H
#define REG_HTTP_SERVER_H

#include <stdbool.h>
#include "config/config.h"

struct http_server;

/* Binds [http] listen ([http] threads loops), opens a database connection
 * for each, starts the threads. with_jobs:
 * this process runs the scheduler, so /health and /metrics report its
 * jobs. */
reg_err http_server_start(const struct reg_config *cfg, bool with_jobs, struct http_server **out,
                          char *err, size_t errlen);
/* The bound address, e.g. "127.0.0.1:8080" (the real port when 0 was asked). */
const char *http_server_address(const struct http_server *s);
/* Stops the loops (the requests being handled finish), joins the threads. */
void http_server_stop(struct http_server *s);

#endif
