/* The front door of a listener (issue 12 items 1 and 5), one place for EPP
 * and HTTP (and WHOIS/RDAP later): connections counted in total and per
 * source address (contrib/ratelimit.h: an IPv4 address, an IPv6 /64) with
 * a token bucket of new connections per source, accept errors (the process
 * out of file descriptors) answered by pausing the listener instead of
 * spinning on accept, and one log line per interval instead of one per
 * event. A guard belongs to one event loop and is not locked. */
#ifndef REG_CONN_GUARD_H
#define REG_CONN_GUARD_H

#include <stdbool.h>
#include <stdint.h>
#include <event2/listener.h>
#include <sys/socket.h>
#include "contrib/error.h"
#include "contrib/ratelimit.h"

struct sockaddr;

struct conn_guard_limits {
    const char *sub;        /* the log's subsystem and the settings' section: "epp" */
    int64_t max_total;      /* connections open at once */
    int64_t max_per_source; /* of them from one source */
    struct rate_limit rate; /* new connections per source; per_minute 0 = no limit */
    const char *exempt;     /* prefixes the per-source limits do not apply to */
};

/* What an admitted connection holds until conn_guard_release. */
struct conn_slot {
    struct source_entry *src; /* NULL for an exempt source */
    bool held;
};

struct conn_guard;

/* ---- listening sockets, the same way for every listener ---- */

/* The address of a `listen` setting ("host:port", host "*" for any) for a
 * passive socket; `what` names the setting in the message ("epp.listen"). */
reg_err conn_guard_resolve(const char *what, const char *listen, struct sockaddr_storage *ss,
                           socklen_t *sl, char *err, size_t errlen);
/* A listener bound to addr with LEV_OPT_* `flags` (plus close-on-free and
 * reuseable), or NULL with "cannot listen on LISTEN: why" in err. */
struct evconnlistener *conn_guard_bind(struct event_base *base,
                                       evconnlistener_cb cb, void *arg, unsigned flags, int backlog,
                                       const struct sockaddr *addr, socklen_t addrlen,
                                       const char *listen, char *err, size_t errlen);
/* The address l got (port 0 asks for any) into *ss, and as text into out
 * for the log and the tests. */
void conn_guard_bound(struct evconnlistener *l, struct sockaddr_storage *ss, char *out, size_t n);

/* Steers the connections of a group of listening sockets bound to one
 * address with SO_REUSEPORT (fd: any one of them, `family` the address's)
 * to socket i of nloops by a hash of the client's source, an IPv4 address
 * or the /64 of an IPv6 one: every connection of one source meets the
 * same socket, so per-source limits kept by its loop hold whole. The
 * sockets are numbered in the order they were bound. 0, or -1 with errno
 * (then the caller keeps one loop). WHOIS and HTTP loops both use it. */
int conn_guard_steer(evutil_socket_t fd, int family, int nloops);

struct conn_guard *conn_guard_new(struct event_base *base, const struct conn_guard_limits *lim);
void conn_guard_free(struct conn_guard *g);
/* Takes over l's accept errors: the listener pauses (10 ms, doubling up to
 * 1 s, back to nothing after the next accepted connection) and one line
 * per 10 s says how many accepts failed and why. */
void conn_guard_watch(struct conn_guard *g, struct evconnlistener *l);
void conn_guard_unwatch(struct conn_guard *g);
/* A new connection from sa: admitted (slot filled, to be released when the
 * connection closes) or refused over a limit (false; counted, and logged
 * at most once per 10 s). `peer` (may be NULL) gets the address as text. */
bool conn_guard_admit(struct conn_guard *g, const struct sockaddr *sa, struct conn_slot *slot,
                      char *peer, size_t peerlen);
/* Gives the slot back (a slot not held is left alone). */
void conn_guard_release(struct conn_guard *g, struct conn_slot *slot);

/* The soft RLIMIT_NOFILE, first raised to the hard limit where allowed. */
int64_t conn_guard_raise_fd_limit(void);
/* Lowers the connection caps (*caps[i], named names[i]) so that together
 * they stay below fd_limit less `reserve` descriptors for everything else
 * (database connections, files, the loops themselves); logs each change. */
void conn_guard_fit(int64_t fd_limit, int64_t reserve, int64_t *const caps[],
                    const char *const names[], int n);

#endif
