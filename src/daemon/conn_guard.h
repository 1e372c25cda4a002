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

/* One `listen` setting's group of listening sockets, one per event loop
 * ([whois] threads, [http] threads; EPP has one). The caller fills in the
 * first fields; conn_listen_open fills in the rest. */
struct conn_listen {
    const char *what;   /* the setting, for messages and the log: "whois.listen" */
    const char *listen; /* its value: "host:port", host "*" for any */
    const char *sub;    /* the log's subsystem: "whois" */
    int nloops;         /* sockets in the group; more than one share the port (SO_REUSEPORT) */
    int backlog;
    unsigned flags;     /* LEV_OPT_* beyond close-on-free, reuseable and reuse-port */
    /* filled in by socket 0 */
    struct sockaddr_storage addr; /* the address it got (port 0 asks for any) */
    socklen_t addrlen;
    char address[80]; /* the same as text, for the log and the tests */
    evutil_socket_t first;
};

/* Socket `index` of the group, opened in order from 0: socket 0 resolves
 * `listen` and takes the address it got, the others bind that one. The
 * listener (*out) calls cb(arg) for each connection (cb NULL: set later,
 * as evhttp does); guard (may be NULL) takes over its accept errors
 * (conn_guard_watch). REG_ERR_CONFIG for an address that does not
 * resolve, REG_ERR_IO where it cannot be bound, with the reason in err. */
reg_err conn_listen_open(struct conn_listen *cl, int index, struct event_base *base,
                         evconnlistener_cb cb, void *arg, struct conn_guard *guard,
                         struct evconnlistener **out, char *err, size_t errlen);
/* Once every socket of a group of several is open: the steering program
 * (conn_guard_steer) on them. REG_ERR_LIMIT, logged, where it cannot be
 * attached: the caller closes the group and opens it again with one loop,
 * so that per-source limits hold whole. */
reg_err conn_listen_steer(struct conn_listen *cl);

/* Steers the connections of a group of listening sockets bound to one
 * address with SO_REUSEPORT (fd: any one of them, `family` the address's)
 * to socket i of nloops by a hash of the client's source, an IPv4 address
 * or the /64 of an IPv6 one: every connection of one source meets the
 * same socket, so per-source limits kept by its loop hold whole. The
 * sockets are numbered in the order they were bound. 0, or -1 with errno
 * (then the caller keeps one loop). WHOIS and HTTP loops both use it. */
int conn_guard_steer(evutil_socket_t fd, int family, int nloops);

/* An event loop for a listener's thread. With libevent's change list
 * (EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST) the changes to a socket's events
 * made within one pass of the loop reach epoll as one epoll_ctl at the end
 * of it, or none where they cancel out: evhttp turns reading off and on
 * again and writing on and off for every request on a keep-alive
 * connection (docs/performance.md, 2026-12-06 "RDAP and WHOIS on 1,000,000
 * domains"). NULL when out of memory. */
struct event_base *conn_loop_new(void);

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
