/* A TCP relay on 127.0.0.1 in front of a server (the test PostgreSQL),
 * which a test makes fail the way a network or a restarting server does:
 * connections cut, a cut just before or just after a given request, new
 * connections refused. */
#ifndef REG_TEST_TCPPROXY_H
#define REG_TEST_TCPPROXY_H

#include <stdbool.h>

struct tcpproxy;

/* Listens on 127.0.0.1 (a free port) and relays to host:port. */
struct tcpproxy *tcpproxy_start(const char *host, int port);
void tcpproxy_stop(struct tcpproxy *p);
int tcpproxy_port(const struct tcpproxy *p);
/* Connections accepted so far (refused ones included). */
int tcpproxy_accepted(struct tcpproxy *p);
/* on: every new connection is accepted and closed at once, as by a server
 * that is not up. */
void tcpproxy_refuse(struct tcpproxy *p, bool on);
/* Closes every open relay at both ends, and returns once they are closed. */
void tcpproxy_cut(struct tcpproxy *p);
/* The next time a client sends bytes containing `needle`, its relay is
 * closed: after passing them on to the server (forward) or instead. The
 * server's answer never reaches the client. */
void tcpproxy_cut_at(struct tcpproxy *p, const char *needle, bool forward);

#endif
