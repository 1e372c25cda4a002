/* The WHOIS service ([whois] listen; RFC 3912, R25): one query a
 * connection, answered from src/rdds/whois.c on a thread of its own with
 * its own event loop and database connection (as the HTTP thread), behind
 * the front door (conn_guard.c). */
#ifndef REG_WHOIS_SERVER_H
#define REG_WHOIS_SERVER_H

#include <stddef.h>
#include "config/config.h"

struct whois_server;

/* Binds [whois] listen, opens the database (unless [whois] canned),
 * starts the thread. */
reg_err whois_server_start(const struct reg_config *cfg, struct whois_server **out, char *err,
                           size_t errlen);
/* The bound address, e.g. "127.0.0.1:4343" (the real port when 0 was asked). */
const char *whois_server_address(const struct whois_server *s);
/* Stops the loop, closes every connection, joins the thread. */
void whois_server_stop(struct whois_server *s);

#endif
