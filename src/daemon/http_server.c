/* HTTP listener (DESIGN §1): evhttp on its own thread and event loop, one
 * database connection, requests routed by a table to src/web/. Later
 * services (the portals) are rows in `routes`.
 *
 * The front door (issue 12): connections capped in total and per source
 * (conn_guard.c, as EPP), accept errors answered by pausing, and a deadline
 * for each whole request from its first byte ([http] request_timeout),
 * which evhttp's idle timeout is not: that one restarts with every byte.
 * libevent 2.1 (Debian 12) has no hook for a new connection on a server
 * (evhttp_set_newreqcb is 2.2), so the guard sees each connection through
 * the bufferevent it is made with (evhttp_set_bevcb): it is adopted on the
 * next turn of the loop, once evhttp has set its socket, before any byte is
 * read; its evhttp connection is the argument evhttp gives the
 * bufferevent's callbacks (checked: it must own that bufferevent).
 *
 * [http] threads loops (issue 15), each a struct http_loop with its own
 * socket on the one address (SO_REUSEPORT), evhttp, event loop, database
 * connection and web state, steered by conn_guard_steer (the WHOIS loops'
 * program): every connection of one source meets the same loop. The state,
 * item by item (docs/operations.md "Several HTTP loops"):
 *   - front door: per loop; the per-source cap is whole (one source, one
 *     loop), the total cap is divided among the loops;
 *   - RDAP (rdap_service: rate per source, credentials cache, answer
 *     arena) and the password gate: per loop, whole by the same steering;
 *   - sessions, CSRF and confirmation tokens: in the database, shared;
 *   - request ids and the XML console's svTRIDs: a random prefix per loop;
 *   - /health and /metrics jobs: read from the database, `since` shared;
 *   - metrics: process-wide atomics; site assets: process-wide, locked;
 *     EPP schema: compiled once, a validation context per thread;
 *   - nothing is scheduled on these loops, so nothing is for loop 0 only. */
#include "http_server.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conn_guard.h"
#include "turn_reads.h"
#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/metric_table.h"
#include "contrib/netaddr.h"
#include "contrib/secret.h"
#include "contrib/thread_name.h"
#include "epp/response.h"
#include "eppd/eppd.h"
#include "jobs/jobs.h"
#include "registry/rdds_data.h"
#include "web/confirm.h"
#include "web/site.h"
#include "web/health.h"
#include "web/portal.h"
#include "web/prometheus.h"
#include "web/rdap_http.h"
#include "web/selfservice.h"
#include "web/web.h"

/* Request line and headers: a browser's, cookies included, fit easily. */
#define MAX_HEADERS_SIZE (16 * 1024)
/* Bodies over [http] max_body get the router's 413 page; libevent itself
 * refuses (its own bare 413, connection closed) anything over this many
 * times max_body, so a client can never make it buffer more. */
#define HARD_BODY_FACTOR 4
/* [http] threads at most (config.c checks 1..16). */
#define HTTP_THREADS_MAX 16

struct http_route {
    unsigned methods; /* WEB_* bits; HEAD is served wherever GET is */
    const char *prefix;
    web_handler handle;
    bool reads_only; /* never writes: answered from the turn's snapshot (turn_reads.h) */
};

static const struct http_route routes[] = {
    {WEB_GET, CONFIRM_PREFIX, confirm_show, false},    /* R7: what is asked, Confirm / Reject */
    {WEB_POST, CONFIRM_PREFIX, confirm_decide, false}, /* R7: the registrant's answer */
    {WEB_GET, HEALTH_PATH, health_show, false},        /* 503 while something is wrong */
    {WEB_GET, SITE_LOGO_PATH, site_logo_serve, false}, /* [registry] logo, for every site's pages */
    {WEB_GET, METRICS_PATH, metrics_show, false},      /* Prometheus, [http] metrics_allow only */
    {WEB_ANY, RDAP_PATH, rdap_serve, true},            /* RFC 7480: JSON errors, 405 included */
    /* the registrar portal (issue 16) and the registrants' site (issue 17) */
    {WEB_GET | WEB_POST, PORTAL_PREFIX, portal_handle, false},
    {WEB_GET | WEB_POST, SELFSERVICE_PREFIX, selfservice_handle, false},
};

/* One connection as the guard sees it. */
struct http_conn {
    struct http_loop *srv;
    struct bufferevent *bev;
    struct evhttp_connection *evcon; /* once adopted */
    struct conn_slot slot;
    struct event *deadline; /* request_timeout from a request's first byte */
    bool timing;
    struct evbuffer_cb_entry *watch;
    char peer[NETADDR_STRLEN];
    struct http_conn *prev, *next;
};

struct http_loop {
    const struct reg_config *cfg;
    struct registry_policy policy;
    struct rdap_service *rdap;
    struct web_password_gate *password_gate; /* sign-ins per client address */
    struct event_base *base;
    struct evhttp *http;
    struct conn_guard *guard;
    struct event *adopt_ev;
    struct http_conn *pending; /* made by evhttp, not yet adopted */
    struct http_conn *conns;   /* adopted */
    db *db;
    struct turn_reads reads; /* RDAP's lookups of one turn share a snapshot of db */
    struct web_jobs jobs; /* where the scheduler runs here */
    struct web_epp epp;   /* the portal's XML console */
    uint64_t console_seq; /* its svTRIDs (this thread only) */
    bool with_jobs;
    struct evconnlistener *listener; /* evhttp's (freed with it) */
    int index, nloops;
    pthread_t thread;
    bool thread_started;
    char address[80]; /* loop 0: the bound address */
    char id_prefix[9]; /* random per loop: request ids and svTRIDs stay unique */
    uint64_t seq;
};

struct http_server {
    struct http_loop *loops[HTTP_THREADS_MAX];
    int nloops;
};

const char *http_server_address(const struct http_server *s) { return s->loops[0]->address; }


static unsigned method_bit(enum evhttp_cmd_type cmd)
{
    switch (cmd) {
    case EVHTTP_REQ_GET: return WEB_GET;
    case EVHTTP_REQ_POST: return WEB_POST;
    case EVHTTP_REQ_HEAD: return WEB_HEAD;
    default: return 0;
    }
}

static const char *method_name(enum evhttp_cmd_type cmd)
{
    switch (cmd) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_HEAD: return "HEAD";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_DELETE: return "DELETE";
    case EVHTTP_REQ_OPTIONS: return "OPTIONS";
    case EVHTTP_REQ_TRACE: return "TRACE";
    case EVHTTP_REQ_CONNECT: return "CONNECT";
    case EVHTTP_REQ_PATCH: return "PATCH";
    default: return "-";
    }
}

static void allow_list(unsigned methods, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s", methods & WEB_GET ? "GET, HEAD" : "",
             (methods & WEB_GET) && (methods & WEB_POST) ? ", " : "",
             methods & WEB_POST ? "POST" : "");
}

/* The first route the path falls under (NULL if none). */
static const struct http_route *first_route(const char *path)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (!strncmp(path, routes[i].prefix, strlen(routes[i].prefix)))
            return &routes[i];
    return NULL;
}

/* Finds the route for path and method and runs it, or answers 404, 405
 * (with Allow) or 413; first is first_route(w->path). */
static void dispatch(struct web_request *w, const struct http_route *first, size_t max_body)
{
    if (!w->method && !(first && (first->methods & WEB_ANY))) {
        web_method_not_allowed(w, "GET, HEAD, POST");
        return;
    }
    if (evbuffer_get_length(evhttp_request_get_input_buffer(w->req)) > max_body) {
        web_too_large(w);
        return;
    }
    unsigned wanted = w->method == WEB_HEAD ? WEB_GET : w->method, allowed = 0;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        const struct http_route *r = &routes[i];
        size_t len = strlen(r->prefix);
        if (strncmp(w->path, r->prefix, len))
            continue;
        allowed |= r->methods;
        if (r->methods & (wanted | WEB_ANY)) {
            w->rest = w->path + len;
            r->handle(w);
            return;
        }
    }
    if (allowed) {
        char allow[32];
        allow_list(allowed, allow, sizeof allow);
        web_method_not_allowed(w, allow);
    } else {
        web_not_found(w);
    }
}

/* ---- the front door ---------------------------------------------------------------- */

static void unlink_conn(struct http_conn **list, struct http_conn *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        *list = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
}

static void link_conn(struct http_conn **list, struct http_conn *c)
{
    c->next = *list;
    if (*list)
        (*list)->prev = c;
    *list = c;
}

static void request_deadline_start(struct http_conn *c)
{
    if (c->timing)
        return;
    struct timeval tv = {c->srv->cfg->http_request_timeout, 0};
    c->timing = true;
    event_add(c->deadline, &tv);
}

static void request_deadline_stop(struct http_conn *c)
{
    c->timing = false;
    event_del(c->deadline);
}

/* Bytes came in: a request has begun (or goes on). */
static void on_input(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
    (void)buf;
    if (info->n_added)
        request_deadline_start(arg);
}

/* evhttp frees the connection (done, idle timeout, error, shutdown). */
static void on_conn_close(struct evhttp_connection *evcon, void *arg)
{
    (void)evcon;
    struct http_conn *c = arg;
    struct http_loop *srv = c->srv;
    evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->watch);
    event_free(c->deadline);
    conn_guard_release(srv->guard, &c->slot);
    unlink_conn(&srv->conns, c);
    free(c);
}

static void on_request_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct http_conn *c = arg;
    reg_log(LOG_INFO, "http", NULL, "request-timeout", "peer=%s seconds=%lld", c->peer,
            (long long)c->srv->cfg->http_request_timeout);
    evhttp_connection_free(c->evcon); /* on_conn_close frees c */
}

/* evhttp_set_bevcb: the bufferevent of a connection just accepted (its
 * socket is set right after). Held by a reference until adopted. */
static struct bufferevent *new_bufferevent(struct event_base *base, void *arg)
{
    struct http_loop *srv = arg;
    /* as evhttp makes its own: it closes the socket itself */
    struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);
    struct http_conn *c = bev ? calloc(1, sizeof *c) : NULL;
    if (!c)
        return bev;
    c->srv = srv;
    c->bev = bev;
    bufferevent_incref(bev);
    link_conn(&srv->pending, c);
    event_active(srv->adopt_ev, EV_TIMEOUT, 1);
    return bev;
}

/* The evhttp connection that owns c's bufferevent, or NULL if it is gone
 * already (bufferevent_free clears the callbacks). */
static struct evhttp_connection *owner_of(struct http_conn *c)
{
    bufferevent_data_cb readcb, writecb;
    bufferevent_event_cb eventcb;
    void *cbarg = NULL;
    bufferevent_getcb(c->bev, &readcb, &writecb, &eventcb, &cbarg);
    struct evhttp_connection *evcon = cbarg;
    return readcb && evcon && evhttp_connection_get_bufferevent(evcon) == c->bev ? evcon : NULL;
}

static void adopt(struct http_loop *srv, struct http_conn *c)
{
    struct evhttp_connection *evcon = owner_of(c);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    evutil_socket_t fd = evcon ? bufferevent_getfd(c->bev) : -1;
    bool ok = fd >= 0 && !getpeername(fd, (struct sockaddr *)&ss, &sl) &&
              (c->deadline = evtimer_new(srv->base, on_request_deadline, c)) &&
              (c->watch = evbuffer_add_cb(bufferevent_get_input(c->bev), on_input, c)) &&
              conn_guard_admit(srv->guard, (struct sockaddr *)&ss, &c->slot, c->peer,
                               sizeof c->peer);
    bufferevent_decref(c->bev); /* evhttp's alone from now on */
    if (!ok) {
        if (c->watch)
            evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->watch);
        if (c->deadline)
            event_free(c->deadline);
        free(c);
        if (evcon)
            evhttp_connection_free(evcon);
        return;
    }
    c->evcon = evcon;
    evhttp_connection_set_closecb(evcon, on_conn_close, c);
    link_conn(&srv->conns, c);
    if (evbuffer_get_length(bufferevent_get_input(c->bev)))
        request_deadline_start(c);
}

static void on_adopt(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct http_loop *srv = arg;
    /* in the order they were accepted (the list has the newest first) */
    struct http_conn *c = srv->pending;
    while (c && c->next)
        c = c->next;
    while (c) {
        struct http_conn *prev = c->prev;
        unlink_conn(&srv->pending, c);
        adopt(srv, c);
        c = prev;
    }
}

/* A request was read whole: its deadline is met; a next one may have
 * begun already (pipelined). */
static void request_done(struct http_loop *srv, struct evhttp_request *req)
{
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);
    for (struct http_conn *c = srv->conns; c; c = c->next)
        if (c->evcon == evcon) {
            request_deadline_stop(c);
            if (evbuffer_get_length(bufferevent_get_input(c->bev)))
                request_deadline_start(c);
            return;
        }
}

/* ---- requests ------------------------------------------------------------------------ */

static void on_request(struct evhttp_request *req, void *arg)
{
    struct http_loop *srv = arg;
    int64_t started = clock_mono_us();
    request_done(srv, req);
    char id[32], peer[64] = "-";
    snprintf(id, sizeof id, "H%s-%llu", srv->id_prefix, (unsigned long long)++srv->seq);
    char *peer_addr = NULL;
    ev_uint16_t peer_port = 0;
    evhttp_connection_get_peer(evhttp_request_get_connection(req), &peer_addr, &peer_port);
    if (peer_addr)
        snprintf(peer, sizeof peer, "%s", peer_addr);
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
    struct web_request w = {.req = req, .method = method_bit(cmd), .path = path ? path : "",
                            .db = srv->db, .cfg = srv->cfg, .policy = &srv->policy, .id = id,
                            .peer = peer, .rdap = srv->rdap, .password_gate = srv->password_gate,
                            .jobs = srv->with_jobs ? &srv->jobs : NULL, .epp = &srv->epp};
    /* a route that may write has the connection to itself; with [rdap]
     * canned (a benchmark's baseline: domain lookups answered without a
     * read) the other lookups begin snapshots of their own */
    const struct http_route *first = first_route(w.path);
    if (first && first->reads_only && !srv->cfg->rdap_canned)
        turn_reads_join(&srv->reads);
    else
        turn_reads_leave(&srv->reads);
    dispatch(&w, first, (size_t)srv->cfg->http_max_body);
    /* the rest of a routed path may be a secret (a confirmation token):
     * the log names the route only */
    const char *route = first ? first->prefix : NULL;
    if (!w.sent) {
        reg_log(LOG_ERROR, "http", id, "no-response", "route=%s", route ? route : "-");
        web_unavailable(&w);
    }
    char quoted[160], status[12];
    int code = evhttp_request_get_response_code(req);
    if (code >= 500) /* the snapshot may have failed with it */
        turn_reads_leave(&srv->reads);
    reg_log(LOG_INFO, "http", id, "request", "method=%s %s=%s status=%d peer=%s us=%lld",
            method_name(cmd), route ? "route" : "path",
            route ? route : log_quote(w.path, quoted, sizeof quoted), code, peer,
            (long long)(clock_mono_us() - started));
    /* by route, never by path: a client chooses paths without end */
    snprintf(status, sizeof status, "%d", code);
    metric_add(METRIC(M_HTTP_REQUESTS), (const char *[]){route ? route : "other", status}, 1);
}

/* The loop's socket of the group cl (loop 0 keeps the address it got). */
static reg_err bind_listener(struct http_loop *srv, struct conn_listen *cl, char *err,
                             size_t errlen)
{
    struct evconnlistener *l;
    reg_err e = conn_listen_open(cl, srv->index, srv->base, NULL, NULL, NULL, &l, err, errlen);
    if (e)
        return e;
    if (!evhttp_bind_listener(srv->http, l)) {
        evconnlistener_free(l);
        snprintf(err, errlen, "cannot serve HTTP on %s", cl->listen);
        return REG_ERR_IO;
    }
    srv->listener = l;
    if (srv->index == 0)
        snprintf(srv->address, sizeof srv->address, "%s", cl->address);
    conn_guard_watch(srv->guard, l);
    return REG_OK;
}

/* ---- the portal's XML console (web.h struct web_epp) ---------------------------------- */

/* One document through src/eppd as the portal user's registrar, logged in
 * with every service, on the HTTP thread's connection. */
static reg_err console_run(void *arg, db *d, const struct web_epp_as *as, const char *xml,
                           size_t len, char svtrid[40], int *code, reg_status *st)
{
    struct http_loop *srv = arg;
    struct eppd_env env = {.db = d, .cfg = srv->cfg, .policy = &srv->policy};
    struct eppd_session s = {.logged_in = true, .registrar_id = as->registrar_id,
                             .services = EPP_SVCS_ALL};
    snprintf(s.id, sizeof s.id, "portal-console");
    snprintf(s.peer, sizeof s.peer, "%s", as->peer);
    snprintf(s.clid, sizeof s.clid, "%s", as->clid);
    snprintf(s.channel, sizeof s.channel, "portal-console");
    /* C: the console's own sequence beside the EPP server's */
    snprintf(svtrid, 40, "RD-%s-C%llu", srv->id_prefix, (unsigned long long)++srv->console_seq);
    char *response = NULL;
    reg_err e = eppd_run_alone(&env, &s, svtrid, xml, len, &response, code, st);
    free(response); /* the page reads it from the EPP log */
    return e;
}

static void *http_main(void *arg)
{
    struct http_loop *srv = arg;
    event_base_dispatch(srv->base);
    epp_schema_thread_cleanup(); /* the XML console's validation context */
    return NULL;
}

static void loop_stop(struct http_loop *srv);

/* Loop `index` of the group cl's nloops: its event loop, evhttp, front
 * door, RDAP and password-gate state and database connection, its socket
 * of the group (conn_listen_open: loop 0 binds [http] listen, the others
 * the address it got). Not started. */
static reg_err loop_open(const struct reg_config *cfg, bool with_jobs, reg_time since, int index,
                         struct conn_listen *cl, struct http_loop **out, char *err,
                         size_t errlen)
{
    struct http_loop *srv = calloc(1, sizeof *srv);
    if (!srv)
        return REG_ERR_NOMEM;
    srv->cfg = cfg;
    srv->index = index;
    srv->nloops = cl->nloops;
    int nloops = cl->nloops;
    srv->with_jobs = with_jobs;
    srv->jobs = (struct web_jobs){.each = jobs_overdue, .backlog = jobs_backlog, .since = since};
    policy_from_config(cfg, &srv->policy);
    secret_random_hex(srv->id_prefix, 4, false);
    srv->epp = (struct web_epp){.run = console_run, .indent = epp_xml_indent, .arg = srv};
    /* the XML console decodes as the EPP listener does */
    reg_status schema_st = {0};
    epp_decode_long_ids(!strcmp(cfg->contact_id_prefix, "registrar"));
    if (epp_schema_init(&schema_st)) {
        snprintf(err, errlen, "%s", reg_status_text(&schema_st));
        free(srv);
        return schema_st.code;
    }
    srv->base = conn_loop_new();
    srv->http = srv->base ? evhttp_new(srv->base) : NULL;
    /* a source always meets the same loop (conn_guard_steer): the
     * per-source cap is the source's whole cap; the total is shared out */
    struct conn_guard_limits limits = {
        .sub = "http",
        .max_total = (cfg->http_max_connections + nloops - 1) / nloops,
        .max_per_source = cfg->http_max_connections_per_source,
        .exempt = cfg->http_exempt,
    };
    srv->guard = srv->http ? conn_guard_new(srv->base, &limits) : NULL;
    srv->adopt_ev = srv->guard ? event_new(srv->base, -1, 0, on_adopt, srv) : NULL;
    srv->rdap = srv->adopt_ev ? rdap_service_new(cfg) : NULL;
    srv->password_gate = srv->rdap ? web_password_gate_new(cfg) : NULL;
    reg_err e = srv->password_gate ? REG_OK : REG_ERR_NOMEM;
    if (e)
        snprintf(err, errlen, "cannot set up the HTTP server: out of memory");
    if (!e) {
        /* every method reaches the router, which answers 405 itself */
        evhttp_set_allowed_methods(srv->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
                                                  EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT |
                                                  EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
                                                  EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT |
                                                  EVHTTP_REQ_PATCH);
        evhttp_set_max_headers_size(srv->http, MAX_HEADERS_SIZE);
        evhttp_set_max_body_size(srv->http, cfg->http_max_body * HARD_BODY_FACTOR);
        evhttp_set_timeout(srv->http, (int)cfg->http_timeout);
        evhttp_set_gencb(srv->http, on_request, srv);
        evhttp_set_bevcb(srv->http, new_bufferevent, srv);
        e = bind_listener(srv, cl, err, errlen);
    }
    if (!e)
        e = db_open(cfg->database_url, &srv->db, err, errlen);
    /* RDAP's lookups read as WHOIS's do (memory-mapped on SQLite) */
    if (!e && rdds_tune_connection(srv->db))
        reg_log(LOG_WARN, "http", NULL, "tune-failed", "error=%s", db_errmsg(srv->db));
    if (!e && (e = turn_reads_init(&srv->reads, srv->base, srv->db)))
        snprintf(err, errlen, "cannot set up the HTTP server: out of memory");
    if (e) {
        loop_stop(srv);
        return e;
    }
    *out = srv;
    return REG_OK;
}

static void loop_stop(struct http_loop *srv)
{
    if (!srv)
        return;
    if (srv->thread_started) {
        event_base_loopexit(srv->base, NULL);
        pthread_join(srv->thread, NULL);
    }
    if (srv->http)
        evhttp_free(srv->http); /* each connection's close callback releases it */
    while (srv->pending) {    /* made, never adopted */
        struct http_conn *c = srv->pending;
        unlink_conn(&srv->pending, c);
        bufferevent_decref(c->bev);
        free(c);
    }
    if (srv->adopt_ev)
        event_free(srv->adopt_ev);
    turn_reads_free(&srv->reads);
    conn_guard_free(srv->guard);
    rdap_service_free(srv->rdap);
    web_password_gate_free(srv->password_gate);
    if (srv->base)
        event_base_free(srv->base);
    db_close(srv->db);
    policy_free(&srv->policy);
    free(srv);
}

/* Every loop's socket on [http] listen, the steering program on the
 * group; REG_ERR_LIMIT where it cannot be attached (then one loop). */
static reg_err open_loops(struct http_server *srv, const struct reg_config *cfg, bool with_jobs,
                          char *err, size_t errlen)
{
    struct conn_listen cl = {.what = "http.listen", .listen = cfg->http_listen, .sub = "http",
                             .nloops = srv->nloops, .backlog = 512};
    reg_time since = clock_now();
    reg_err e = REG_OK;
    for (int i = 0; i < srv->nloops && !e; i++)
        e = loop_open(cfg, with_jobs, since, i, &cl, &srv->loops[i], err, errlen);
    return e ? e : conn_listen_steer(&cl);
}

static void close_loops(struct http_server *srv)
{
    for (int i = 0; i < srv->nloops; i++) {
        loop_stop(srv->loops[i]);
        srv->loops[i] = NULL;
    }
}

reg_err http_server_start(const struct reg_config *cfg, bool with_jobs, struct http_server **out,
                          char *err, size_t errlen)
{
    struct http_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return REG_ERR_NOMEM;
    srv->nloops = cfg->http_threads < 1                  ? 1
                  : cfg->http_threads > HTTP_THREADS_MAX ? HTTP_THREADS_MAX
                                                         : (int)cfg->http_threads;
    reg_err e = open_loops(srv, cfg, with_jobs, err, errlen);
    if (e == REG_ERR_LIMIT) { /* no steering: again with one loop */
        close_loops(srv);
        srv->nloops = 1;
        e = open_loops(srv, cfg, with_jobs, err, errlen);
    }
    for (int i = 0; i < srv->nloops && !e; i++) {
        struct http_loop *l = srv->loops[i];
        if (pthread_create(&l->thread, NULL, http_main, l)) {
            snprintf(err, errlen, "cannot start the HTTP threads");
            e = REG_ERR_INTERNAL;
        } else {
            l->thread_started = true;
            thread_name(l->thread, "http", i);
        }
    }
    if (e) {
        http_server_stop(srv);
        return e;
    }
    *out = srv;
    return REG_OK;
}

void http_server_stop(struct http_server *srv)
{
    if (!srv)
        return;
    close_loops(srv);
    free(srv);
}
