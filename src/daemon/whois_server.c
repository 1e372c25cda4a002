/* WHOIS listener (whois_server.h).
 *
 * A connection carries one query: the line is read (at most 255 bytes and
 * its end), parsed and answered by src/rdds/whois.c, the answer written,
 * and the connection closed. Everything happens on one loop thread: a
 * lookup is a few indexed reads on the thread's own database connection,
 * so a hand-over to the EPP workers would cost more than the lookup (and
 * would queue behind their group commits).
 *
 * [whois] threads loops, each with its own listening socket on the one
 * address (SO_REUSEPORT), event loop, database connection and front door.
 * The kernel picks the socket by a classic BPF program that hashes the
 * client's source (an IPv4 address, or the /64 of an IPv6 one), so every
 * connection of one source meets the same loop and that loop's limits are
 * the source's whole limits. Where the program cannot be attached there is
 * one loop.
 *
 * The front door is conn_guard.c: connections in total and per source,
 * and its token bucket of new connections per source, which for WHOIS is
 * the bucket of queries ([whois] rate and burst): one query a connection.
 * A refused connection gets one line and is closed, never left hanging.
 * One deadline, [whois] timeout, covers the whole exchange from accept to
 * the last byte of the answer, however the client trickles. */
#include "whois_server.h"

#include <errno.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn_guard.h"
#include "turn_reads.h"
#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/metric_table.h"
#include "contrib/netaddr.h"
#include "contrib/thread_name.h"
#include "rdds/whois.h"
#include "registry/policy.h"

/* Records of one answer: a domain with a dozen contacts fits many times. */
#define ANSWER_ARENA_LIMIT (1024 * 1024)
/* An answer is a few KiB; a buffer that grew past this is not kept. */
#define KEEP_OUT_MAX (64 * 1024)
/* Bytes read past the answer before closing (a client that sent more). */
#define DRAIN_MAX 4096

#define WHOIS_THREADS_MAX 4

struct whois_conn {
    struct whois_loop *loop;
    evutil_socket_t fd;
    struct event *ev;
    struct conn_slot slot;
    int64_t deadline_us;
    char in[WHOIS_QUERY_MAX + 3];
    size_t nin;
    bool more;  /* the client sent bytes past its query line */
    strbuf out; /* what is left of the answer when the socket would block */
    size_t sent;
    char peer[NETADDR_STRLEN];
    struct whois_conn *prev, *next;
};

/* One loop thread and what it owns. */
struct whois_loop {
    struct whois_server *srv;
    struct event_base *base;
    struct evconnlistener *listener;
    struct conn_guard *guard;
    struct whois_conn *conns;
    db *db;
    struct turn_reads reads; /* the lookups of one turn share a snapshot of db */
    struct arena arena;
    strbuf answer; /* the answer being written (most go out at once) */
    pthread_t thread;
    bool thread_started;
    uint64_t queries, refused;
};

struct whois_server {
    const struct reg_config *cfg;
    struct registry_policy policy; /* read only once the loops run */
    char registry[128];
    strbuf canned; /* [whois] canned: the fixed answer */
    struct whois_loop loops[WHOIS_THREADS_MAX];
    int nloops;
    char address[80];
};

const char *whois_server_address(const struct whois_server *s) { return s->address; }

/* ---- closing ------------------------------------------------------------------------- */

/* The answer is out. A client that sent more than its query: FIN first,
 * then what is left of it read away, so closing does not reset the
 * connection under the answer. */
static void close_socket(evutil_socket_t fd, bool more)
{
    char sink[512];
    if (!more) {
        evutil_closesocket(fd);
        return;
    }
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
    struct whois_loop *l = c->loop;
    if (c->prev)
        c->prev->next = c->next;
    else
        l->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    event_free(c->ev);
    close_socket(c->fd, c->more);
    conn_guard_release(l->guard, &c->slot);
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
    close_socket(fd, true);
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
    event_assign(c->ev, c->loop->base, c->fd, what, on_event, c);
    event_add(c->ev, &tv);
}

/* Sends what is left of the answer (c->out); closes when it is all out. */
static void send_rest(struct whois_conn *c)
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

/* Sends the answer in the loop's answer buffer: at once as a rule (a few KiB into a
 * fresh socket's buffer); what does not fit is kept for EV_WRITE. */
static void send_answer(struct whois_conn *c)
{
    strbuf *a = &c->loop->answer;
    if (a->err) {
        sb_reset(a);
        whois_write_error(a, WHOIS_ERR_UNAVAILABLE);
    }
    size_t sent = 0;
    while (sent < a->len) {
        ssize_t r = send(c->fd, a->data + sent, a->len - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (r > 0)
            sent += (size_t)r;
        else if (!(r < 0 && errno == EINTR))
            break;
    }
    if (sent < a->len && (errno == EAGAIN || errno == EWOULDBLOCK))
        sb_append(&c->out, a->data + sent, a->len - sent);
    sb_reset(a);
    if (a->cap > KEEP_OUT_MAX) {
        sb_free(a);
        sb_init(a);
    }
    send_rest(c);
}

static const char *const kind_names[] = {
    [WHOIS_ANY] = "any",           [WHOIS_DOMAIN] = "domain",   [WHOIS_HOST] = "host",
    [WHOIS_REGISTRAR] = "registrar", [WHOIS_CONTACT] = "contact", [WHOIS_HELP] = "help",
};

static void count_query(const char *kind, const char *result)
{
    metric_add(METRIC(M_WHOIS_QUERIES), (const char *[]){kind, result}, 1);
}

static void answer(struct whois_conn *c, size_t len)
{
    struct whois_loop *l = c->loop;
    const struct whois_server *srv = l->srv;
    struct whois_query q;
    const char *error = NULL;
    l->queries++;
    if (!whois_parse(c->in, len, &q, &error)) {
        whois_write_error(&l->answer, error);
        count_query("invalid", "malformed");
    } else if (srv->cfg->whois_canned) {
        sb_append(&l->answer, srv->canned.data, srv->canned.len);
        count_query(kind_names[q.kind], "answered");
    } else {
        struct whois_header h = {srv->registry, srv->cfg->registry_terms_of_use, clock_now()};
        turn_reads_join(&l->reads);
        reg_err e = whois_answer(l->db, &srv->policy, &h, &q, &l->arena, &l->answer);
        arena_reset(&l->arena);
        if (e) {
            turn_reads_leave(&l->reads); /* the snapshot may have failed with it */
            reg_log(LOG_WARN, "whois", NULL, "lookup-failed", "error=%s peer=%s",
                    reg_errname(e), c->peer);
        }
        count_query(kind_names[q.kind], e ? "unavailable" : "answered");
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
        case WHOIS_LINE_DONE:
            /* past the line end: LF, or CR LF */
            c->more = c->nin > len + 1 + (c->in[len] == '\r');
            answer(c, len);
            return;
        case WHOIS_LINE_LONG:
            c->loop->queries++;
            count_query("invalid", "malformed");
            c->more = true;
            whois_write_error(&c->loop->answer, WHOIS_ERR_LONG);
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
                (long long)c->loop->srv->cfg->whois_timeout);
        conn_close(c);
    } else if (what & EV_WRITE) {
        send_rest(c);
    } else {
        read_query(c);
    }
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen,
                      void *arg)
{
    (void)l;
    (void)salen;
    struct whois_loop *lp = arg;
    struct whois_conn *c = calloc(1, sizeof *c);
    if (!c || !(c->ev = event_new(lp->base, -1, 0, on_event, c))) {
        free(c);
        refuse(fd);
        return;
    }
    if (!conn_guard_admit(lp->guard, sa, &c->slot, c->peer, sizeof c->peer)) {
        lp->refused++;
        metric_add(METRIC(M_WHOIS_REFUSED), NULL, 1);
        event_free(c->ev);
        free(c);
        refuse(fd);
        return;
    }
    c->loop = lp;
    c->fd = fd;
    c->deadline_us = clock_mono_us() + lp->srv->cfg->whois_timeout * 1000000;
    sb_init(&c->out);
    c->next = lp->conns;
    if (lp->conns)
        lp->conns->prev = c;
    lp->conns = c;
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

static void *whois_main(void *arg)
{
    struct whois_loop *l = arg;
    event_base_dispatch(l->base);
    return NULL;
}

/* Loop i's event loop, front door and listening socket of the group cl
 * (conn_listen_open: loop 0 binds what [whois] listen says, the others
 * the address it got). */
static reg_err loop_open(struct whois_server *srv, int i, struct conn_listen *cl, char *err,
                         size_t errlen)
{
    const struct reg_config *cfg = srv->cfg;
    struct whois_loop *l = &srv->loops[i];
    l->srv = srv;
    arena_init(&l->arena, ANSWER_ARENA_LIMIT);
    sb_init(&l->answer);
    l->base = conn_loop_new();
    /* a source always meets the same loop: its limits are the source's;
     * the total is shared out */
    struct conn_guard_limits limits = {
        .sub = "whois",
        .max_total = (cfg->whois_max_connections + srv->nloops - 1) / srv->nloops,
        .max_per_source = cfg->whois_max_connections_per_source,
        /* one query a connection: the bucket of connections is the one of queries */
        .rate = {cfg->whois_rate * 60, cfg->whois_burst},
        .exempt = cfg->whois_exempt,
    };
    l->guard = l->base ? conn_guard_new(l->base, &limits) : NULL;
    if (!l->guard) {
        snprintf(err, errlen, "cannot set up the WHOIS server: out of memory");
        return REG_ERR_NOMEM;
    }
    reg_err e = conn_listen_open(cl, i, l->base, on_accept, l, l->guard, &l->listener, err,
                                 errlen);
    if (e)
        return e;
    /* a connection is handed over once its first bytes are there: most
     * queries are then read, answered and closed without the loop ever
     * waiting on their socket (one that sends nothing is held by the
     * kernel, at no cost to us, until [whois] timeout) */
    int defer = (int)cfg->whois_timeout;
    setsockopt(evconnlistener_get_fd(l->listener), IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer,
               sizeof defer);
    if (cfg->whois_canned)
        return REG_OK;
    e = db_open(cfg->database_url, &l->db, err, errlen);
    if (!e && rdds_tune_connection(l->db))
        reg_log(LOG_WARN, "whois", NULL, "tune-failed", "error=%s", db_errmsg(l->db));
    if (!e && (e = turn_reads_init(&l->reads, l->base, l->db)))
        snprintf(err, errlen, "cannot set up the WHOIS server: out of memory");
    return e;
}

/* Every loop's socket on [whois] listen; the steering program on the
 * group, or a single loop where it cannot be attached. */
static reg_err open_loops(struct whois_server *srv, char *err, size_t errlen)
{
    struct conn_listen cl = {.what = "whois.listen", .listen = srv->cfg->whois_listen,
                             .sub = "whois", .nloops = srv->nloops, .backlog = 1024,
                             .flags = LEV_OPT_CLOSE_ON_EXEC};
    reg_err e = REG_OK;
    for (int i = 0; i < srv->nloops && !e; i++)
        e = loop_open(srv, i, &cl, err, errlen);
    if (!e)
        snprintf(srv->address, sizeof srv->address, "%s", cl.address);
    return e ? e : conn_listen_steer(&cl);
}

static void loop_close(struct whois_loop *l)
{
    if (l->thread_started) {
        event_base_loopexit(l->base, NULL);
        pthread_join(l->thread, NULL);
        reg_log(LOG_INFO, "whois", NULL, "stopped", "queries=%llu refused=%llu",
                (unsigned long long)l->queries, (unsigned long long)l->refused);
    }
    while (l->conns)
        conn_close(l->conns);
    if (l->listener)
        evconnlistener_free(l->listener);
    conn_guard_free(l->guard);
    turn_reads_free(&l->reads);
    if (l->base)
        event_base_free(l->base);
    db_close(l->db);
    arena_free(&l->arena);
    sb_free(&l->answer);
    memset(l, 0, sizeof *l);
}

reg_err whois_server_start(const struct reg_config *cfg, struct whois_server **out, char *err,
                           size_t errlen)
{
    struct whois_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return REG_ERR_NOMEM;
    srv->cfg = cfg;
    policy_from_config(cfg, &srv->policy);
    sb_init(&srv->canned);
    if (cfg->registry_name[0])
        snprintf(srv->registry, sizeof srv->registry, "%s", cfg->registry_name);
    else
        snprintf(srv->registry, sizeof srv->registry, "The .%s registry", cfg->tld_name);
    if (cfg->whois_canned)
        make_canned(srv);
    srv->nloops = cfg->whois_threads < WHOIS_THREADS_MAX ? (int)cfg->whois_threads
                                                         : WHOIS_THREADS_MAX;
    reg_err e = open_loops(srv, err, errlen);
    if (e == REG_ERR_LIMIT) { /* no steering: again with one loop */
        for (int i = 0; i < srv->nloops; i++)
            loop_close(&srv->loops[i]);
        srv->nloops = 1;
        e = open_loops(srv, err, errlen);
    }
    for (int i = 0; i < srv->nloops && !e; i++) {
        if (pthread_create(&srv->loops[i].thread, NULL, whois_main, &srv->loops[i])) {
            snprintf(err, errlen, "cannot start the WHOIS threads");
            e = REG_ERR_INTERNAL;
        } else {
            srv->loops[i].thread_started = true;
            thread_name(srv->loops[i].thread, "whois", i);
        }
    }
    if (e) {
        whois_server_stop(srv);
        return e;
    }
    *out = srv;
    return REG_OK;
}

void whois_server_stop(struct whois_server *srv)
{
    if (!srv)
        return;
    for (int i = 0; i < srv->nloops; i++)
        loop_close(&srv->loops[i]);
    sb_free(&srv->canned);
    policy_free(&srv->policy);
    free(srv);
}
