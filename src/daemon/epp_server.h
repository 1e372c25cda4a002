/* The EPP service (RFC 5730 over RFC 5734): TLS listener and sessions on
 * the event loop, commands on a worker pool with group commit. */
#ifndef REG_EPP_SERVER_H
#define REG_EPP_SERVER_H

#include "config/config.h"

struct event_base;
struct epp_server;

/* Binds [epp] listen; on success prints where it listens. */
reg_err epp_server_start(struct event_base *base, const struct reg_config *cfg,
                         struct epp_server **out, char *err, size_t errlen);
/* The bound address, e.g. "127.0.0.1:7000" (the real port when 0 was asked). */
const char *epp_server_address(const struct epp_server *s);
void epp_server_stop(struct epp_server *s);

#endif
