/* RDAP over HTTP (RFC 7480) on the [http] listener: every request under
 * /rdap, whatever its method, comes here (the route takes WEB_ANY). The
 * service is the state of the HTTP thread that serves it: a token bucket
 * per source ([rdap] rate, burst), the registrars' credentials verified
 * lately, the canned /rdap/help (and with [rdap] canned, a benchmark aid,
 * the one fixed answer of every domain lookup). The answers themselves are
 * src/rdds/rdap.c. */
#ifndef REG_WEB_RDAP_HTTP_H
#define REG_WEB_RDAP_HTTP_H

#include "rdds/rdap.h"
#include "web.h"

struct rdap_service *rdap_service_new(const struct reg_config *cfg);
void rdap_service_free(struct rdap_service *s);

/* The route's handler (w->rdap set). */
void rdap_serve(struct web_request *w);

#endif
