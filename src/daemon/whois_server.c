/* WHOIS listener (whois_server.h).
 *
 * A connection carries one query: the line is read (at most 255 bytes and
 * its end), parsed and answered by src/rdds/whois.c, the answer written,
 * and the connection closed. Everything happens on this thread's loop: a
 * lookup is a few indexed reads on the thread's own database connection,
 * so a hand-over to the EPP workers would cost more than the lookup (and
 * would queue behind their group commits).
 *
 * The front door is conn_guard.c: connections in total and per source
 * (an IPv4 address or IPv6 /64), and its token bucket of new connections
 * per source, which for WHOIS is the bucket of queries ([whois] rate and
 * burst): one query a connection. A refused connection gets one line and is
 * closed, never left hanging. One deadline, [whois] timeout, covers the
 * whole exchange from accept to the last byte of the answer, however the
 * client trickles. */
#include "whois_server.h"

#include <errno.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn_guard.h"
#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/netaddr.h"
#include "rdds/whois.h"
#include "registry/policy.h"

/* Records of one answer: a domain with a dozen contacts fits many times. */
#define ANSWER_ARENA_LIMIT (1024 * 1024)
/* An answer is a few KiB; a buffer that grew past this is not kept. */
#define KEEP_OUT_MAX (64 * 1024)
/* Bytes read past the answer before closing (a client that sent more). */
#define DRAIN_MAX 4096

struct whois_conn {
    struct whois_server *srv;
    evutil_socket_t fd;
    struct event *ev;
    struct conn_slot slot;
    int64_t deadline_us;
    char in[WHOIS_QUERY_MAX + 3];
    size_t nin;
    strbuf out;
    size_t sent;
    char peer[NETADDR_STRLEN];
    struct whois_conn *prev, *next;
};

struct whois_server {
    const struct reg_config *cfg;
    struct registry_policy policy;
    struct event_base *base;
    struct evconnlistener *listener;
    struct conn_guard *guard;
    struct whois_conn *conns;
    db *db;
    struct arena arena;
    char registry[128];
    strbuf canned; /* [whois] canned: the fixed answer */
    pthread_t thread;
    bool thread_started;
    char address[80];
    uint64_t queries, refused;
};

const char *whois_server_address(const struct whois_server *s) { return s->address; }

/* ---- closing ------------------------------------------------------------------------- */

/* The answer is out: FIN first, then whatever the client sent beyond its
 * query is read away, so closing does not reset the connection under the
 * answer. */
static void close_socket(evutil_socket_t fd)
{
    char sink[512];
    shutdown(fd, SHUT_WR);
    for (size_t n = 0; n < DRAIN_MAX;) {
        ssize_t r = recv(fd, sink, sizeof sink, MSG_DONTWAIT);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    evutil_closesocket(fd);
}

static void conn_close(struct whois_conn *c)
{
    struct whois_server *srv = c->srv;
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    event_free(c->ev);
    close_socket(c->fd);
    conn_guard_release(srv->guard, &c->slot);
    sb_free(&c->out);
    free(c);
}

/* A refused connection: one line, then closed. The line is short and the
 * socket new, so it fits the send buffer at once. */
static void refuse(evutil_socket_t fd)
{
    static const char line[] = WHOIS_ERR_BUSY "\r\n";
    ssize_t r = send(fd, line, sizeof line - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
    (void)r;
    close_socket(fd);
}

/* ---- one exchange ------------------------------------------------------------------------ */

static void on_event(evutil_socket_t fd, short what, void *arg);

/* Waits for `what` until the connection's deadline. */
static void wait_for(struct whois_conn *c, short what)
{
    int64_t left = c->deadline_us - clock_mono_us();
    if (left < 1)
        left = 1;
    struct timeval tv = {(time_t)(left / 1000000), (suseconds_t)(left % 1000000)};
    event_assign(c->ev, c->srv->base, c->fd, what, on_event, c);
    event_add(c->ev, &tv);
}

/* Sends what is left of the answer; closes when it is all out. */
static void send_answer(struct whois_conn *c)
{
    while (c->sent < c->out.len) {
        ssize_t r = send(c->fd, c->out.data + c->sent, c->out.len - c->sent,
                         MSG_DONTWAIT | MSG_NOSIGNAL);
        if (r > 0) {
            c->sent += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            wait_for(c, EV_WRITE);
            return;
        }
        break; /* the client went away */
    }
    conn_close(c);
}

static void answer(struct whois_conn *c, size_t len)
{
    struct whois_server *srv = c->srv;
    struct whois_query q;
    const char *error = NULL;
    srv->queries++;
    if (!whois_parse(c->in, len, &q, &error)) {
        whois_write_error(&c->out, error);
    } else if (srv->cfg->whois_canned) {
        sb_append(&c->out, srv->canned.data, srv->canned.len);
    } else {
        struct whois_header h = {srv->registry, srv->cfg->registry_terms_of_use, clock_now()};
        reg_err e = whois_answer(srv->db, &srv->policy, &h, &q, &srv->arena, &c->out);
        arena_reset(&srv->arena);
        if (e)
            reg_log(LOG_WARN, "whois", NULL, "lookup-failed", "error=%s peer=%s",
                    reg_errname(e), c->peer);
    }
    if (c->out.err) {
        sb_reset(&c->out);
        whois_write_error(&c->out, WHOIS_ERR_UNAVAILABLE);
    }
    send_answer(c);
}

static void read_query(struct whois_conn *c)
{
    for (;;) {
        ssize_t r = recv(c->fd, c->in + c->nin, sizeof c->in - c->nin, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            wait_for(c, EV_READ);
            return;
        }
        if (r <= 0) {
            /* the client half-closed: what it sent is the query */
            if (r == 0 && c->nin)
                answer(c, c->nin);
            else
                conn_close(c);
            return;
        }
        c->nin += (size_t)r;
        size_t len = 0;
        switch (whois_line_end(c->in, c->nin, &len)) {
        case WHOIS_LINE_MORE: continue;
        case WHOIS_LINE_DONE: answer(c, len); return;
        case WHOIS_LINE_LONG:
            c->srv->queries++;
            whois_write_error(&c->out, WHOIS_ERR_LONG);
            send_answer(c);
            return;
        }
    }
}

static void on_event(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    struct whois_conn *c = arg;
    if (what & EV_TIMEOUT) {
        reg_log(LOG_INFO, "whois", NULL, "timeout", "peer=%s seconds=%lld", c->peer,
                (long long)c->srv->cfg->whois_timeout);
        conn_close(c);
    } else if (what & EV_WRITE) {
        send_answer(c);
    } else {
        read_query(c);
    }
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen,
                      void *arg)
{
    (void)l;
    (void)salen;
    struct whois_server *srv = arg;
    struct whois_conn *c = calloc(1, sizeof *c);
    if (!c || !(c->ev = event_new(srv->base, -1, 0, on_event, c))) {
        free(c);
        refuse(fd);
        return;
    }
    if (!conn_guard_admit(srv->guard, sa, &c->slot, c->peer, sizeof c->peer)) {
        srv->refused++;
        event_free(c->ev);
        free(c);
        refuse(fd);
        return;
    }
    c->srv = srv;
    c->fd = fd;
    c->deadline_us = clock_mono_us() + srv->cfg->whois_timeout * 1000000;
    sb_init(&c->out);
    c->out.limit = KEEP_OUT_MAX;
    c->next = srv->conns;
    if (srv->conns)
        srv->conns->prev = c;
    srv->conns = c;
    /* the query is usually there with the connection's first segment */
    read_query(c);
}

/* ---- start and stop ----------------------------------------------------------------------- */

/* The fixed answer of [whois] canned: a domain's answer in size and shape. */
static void make_canned(struct whois_server *srv)
{
    struct rdds_domain d = {
        .alabel = "canned.example", .ulabel = "canned.example", .roid = "D1-CANNED",
        .status = {"ok"}, .nstatus = 1, .created = 1, .expires = 1,
        .sponsor = {.handle = "CANNED", .name = "Canned answer (benchmark aid)"},
        .registrant = {.handle = "CANNED:1", .sponsor = "CANNED"},
    };
    d.registrant.d.kind = "person";
    d.registrant.d.postal[CONTACT_INT] =
        (struct contact_postal){.present = true, .name = "x", .city = "x", .cc = "DK"};
    d.registrant.d.email = "x@canned.example";
    struct whois_header h = {srv->registry, srv->cfg->registry_terms_of_use, 0};
    whois_write_domain(&srv->canned, &h, &d);
}

static reg_err bind_listener(struct whois_server *srv, char *err, size_t errlen)
{
    const char *listen = srv->cfg->whois_listen;
    char host[256], portstr[8];
    int port;
    settings_split_addr(listen, host, sizeof host, &port);
    snprintf(portstr, sizeof portstr, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(strcmp(host, "*") ? host : NULL, portstr, &hints, &res);
    if (rc) {
        snprintf(err, errlen, "whois.listen %s: %s", listen, gai_strerror(rc));
        return REG_ERR_CONFIG;
    }
    srv->listener = evconnlistener_new_bind(
        srv->base, on_accept, srv, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
        1024, res->ai_addr, (int)res->ai_addrlen);
    freeaddrinfo(res);
    if (!srv->listener) {
        snprintf(err, errlen, "cannot listen on %s: %s", listen,
                 evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
        return REG_ERR_IO;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(evconnlistener_get_fd(srv->listener), (struct sockaddr *)&ss, &sl);
    netaddr_sockaddr_format((struct sockaddr *)&ss, true, srv->address, sizeof srv->address);
    conn_guard_watch(srv->guard, srv->listener);
    return REG_OK;
}

static void *whois_main(void *arg)
{
    struct whois_server *srv = arg;
    event_base_dispatch(srv->base);
    return NULL;
}

reg_err whois_server_start(const struct reg_config *cfg, struct whois_server **out, char *err,
                           size_t errlen)
{
    struct whois_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return REG_ERR_NOMEM;
    srv->cfg = cfg;
    policy_from_config(cfg, &srv->policy);
    arena_init(&srv->arena, ANSWER_ARENA_LIMIT);
    sb_init(&srv->canned);
    if (cfg->registry_name[0])
        snprintf(srv->registry, sizeof srv->registry, "%s", cfg->registry_name);
    else
        snprintf(srv->registry, sizeof srv->registry, "The .%s registry", cfg->tld_name);
    srv->base = event_base_new();
    struct conn_guard_limits limits = {
        .sub = "whois",
        .max_total = cfg->whois_max_connections,
        .max_per_source = cfg->whois_max_connections_per_source,
        /* one query a connection: the bucket of connections is the one of queries */
        .rate = {cfg->whois_rate * 60, cfg->whois_burst},
        .exempt = cfg->whois_exempt,
    };
    srv->guard = srv->base ? conn_guard_new(srv->base, &limits) : NULL;
    reg_err e = srv->guard ? REG_OK : REG_ERR_NOMEM;
    if (e)
        snprintf(err, errlen, "cannot set up the WHOIS server: out of memory");
    if (!e)
        e = bind_listener(srv, err, errlen);
    if (!e && cfg->whois_canned)
        make_canned(srv);
    else if (!e)
        e = db_open(cfg->database_url, &srv->db, err, errlen);
    if (!e && pthread_create(&srv->thread, NULL, whois_main, srv)) {
        snprintf(err, errlen, "cannot start the WHOIS thread");
        e = REG_ERR_INTERNAL;
    }
    if (e) {
        whois_server_stop(srv);
        return e;
    }
    srv->thread_started = true;
    *out = srv;
    return REG_OK;
}

void whois_server_stop(struct whois_server *srv)
{
    if (!srv)
        return;
    if (srv->thread_started) {
        event_base_loopexit(srv->base, NULL);
        pthread_join(srv->thread, NULL);
        reg_log(LOG_INFO, "whois", NULL, "stopped", "queries=%llu refused=%llu",
                (unsigned long long)srv->queries, (unsigned long long)srv->refused);
    }
    while (srv->conns)
        conn_close(srv->conns);
    if (srv->listener)
        evconnlistener_free(srv->listener);
    conn_guard_free(srv->guard);
    if (srv->base)
        event_base_free(srv->base);
    db_close(srv->db);
    arena_free(&srv->arena);
    sb_free(&srv->canned);
    policy_free(&srv->policy);
    free(srv);
}
