/* HTTP listener (DESIGN §1): evhttp on its own thread and event loop, one
 * database connection, requests routed by a table to src/web/. Later
 * services (RDAP, the portals, metrics) are rows in `routes`. */
#include "http_server.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/netaddr.h"
#include "contrib/secret.h"
#include "web/confirm.h"
#include "web/health.h"
#include "web/web.h"

/* Request line and headers: a browser's, cookies included, fit easily. */
#define MAX_HEADERS_SIZE (16 * 1024)
/* Bodies over [http] max_body get the router's 413 page; libevent itself
 * refuses (its own bare 413, connection closed) anything over this many
 * times max_body, so a client can never make it buffer more. */
#define HARD_BODY_FACTOR 4

struct http_route {
    unsigned methods; /* WEB_* bits; HEAD is served wherever GET is */
    const char *prefix;
    web_handler handle;
};

static const struct http_route routes[] = {
    {WEB_GET, CONFIRM_PREFIX, confirm_show},    /* R7: what is asked, Confirm / Reject */
    {WEB_POST, CONFIRM_PREFIX, confirm_decide}, /* R7: the registrant's answer */
    {WEB_GET, HEALTH_PATH, health_show},        /* 503 while the database is away */
};

struct http_server {
    const struct reg_config *cfg;
    struct registry_policy policy;
    struct event_base *base;
    struct evhttp *http;
    db *db;
    pthread_t thread;
    bool thread_started;
    char address[80];
    char id_prefix[9];
    uint64_t seq;
};

const char *http_server_address(const struct http_server *s) { return s->address; }

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

/* The prefix of the first route the path falls under (NULL if none). */
static const char *route_prefix(const char *path)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (!strncmp(path, routes[i].prefix, strlen(routes[i].prefix)))
            return routes[i].prefix;
    return NULL;
}

/* Finds the route for path and method and runs it, or answers 404, 405
 * (with Allow) or 413. */
static void dispatch(struct web_request *w, size_t max_body)
{
    if (!w->method) {
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
        if (r->methods & wanted) {
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

static void on_request(struct evhttp_request *req, void *arg)
{
    struct http_server *srv = arg;
    int64_t started = clock_mono_us();
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
                            .peer = peer};
    dispatch(&w, (size_t)srv->cfg->http_max_body);
    /* the rest of a routed path may be a secret (a confirmation token):
     * the log names the route only */
    const char *route = route_prefix(w.path);
    if (!w.sent) {
        reg_log(LOG_ERROR, "http", id, "no-response", "route=%s", route ? route : "-");
        web_unavailable(&w);
    }
    char quoted[160];
    reg_log(LOG_INFO, "http", id, "request", "method=%s %s=%s status=%d peer=%s us=%lld",
            method_name(cmd), route ? "route" : "path",
            route ? route : log_quote(w.path, quoted, sizeof quoted),
            evhttp_request_get_response_code(req), peer,
            (long long)(clock_mono_us() - started));
}

static reg_err bind_listener(struct http_server *srv, char *err, size_t errlen)
{
    const char *listen = srv->cfg->http_listen;
    char host[256], portstr[8];
    int port;
    settings_split_addr(listen, host, sizeof host, &port);
    snprintf(portstr, sizeof portstr, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(strcmp(host, "*") ? host : NULL, portstr, &hints, &res);
    if (rc) {
        snprintf(err, errlen, "http.listen %s: %s", listen, gai_strerror(rc));
        return REG_ERR_CONFIG;
    }
    struct evconnlistener *l = evconnlistener_new_bind(
        srv->base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 512, res->ai_addr,
        (int)res->ai_addrlen);
    freeaddrinfo(res);
    if (!l) {
        snprintf(err, errlen, "cannot listen on %s: %s", listen,
                 evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
        return REG_ERR_IO;
    }
    if (!evhttp_bind_listener(srv->http, l)) {
        evconnlistener_free(l);
        snprintf(err, errlen, "cannot serve HTTP on %s", listen);
        return REG_ERR_IO;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&ss, &sl);
    netaddr_sockaddr_format((struct sockaddr *)&ss, true, srv->address, sizeof srv->address);
    return REG_OK;
}

static void *http_main(void *arg)
{
    struct http_server *srv = arg;
    event_base_dispatch(srv->base);
    return NULL;
}

reg_err http_server_start(const struct reg_config *cfg, struct http_server **out, char *err,
                          size_t errlen)
{
    struct http_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return REG_ERR_NOMEM;
    srv->cfg = cfg;
    policy_from_config(cfg, &srv->policy);
    secret_random_hex(srv->id_prefix, 4, false);
    srv->base = event_base_new();
    srv->http = srv->base ? evhttp_new(srv->base) : NULL;
    reg_err e = srv->http ? REG_OK : REG_ERR_NOMEM;
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
        e = bind_listener(srv, err, errlen);
    }
    if (!e)
        e = db_open(cfg->database_url, &srv->db, err, errlen);
    if (!e && pthread_create(&srv->thread, NULL, http_main, srv)) {
        snprintf(err, errlen, "cannot start the HTTP thread");
        e = REG_ERR_INTERNAL;
    }
    if (e) {
        http_server_stop(srv);
        return e;
    }
    srv->thread_started = true;
    *out = srv;
    return REG_OK;
}

void http_server_stop(struct http_server *srv)
{
    if (!srv)
        return;
    if (srv->thread_started) {
        event_base_loopexit(srv->base, NULL);
        pthread_join(srv->thread, NULL);
    }
    if (srv->http)
        evhttp_free(srv->http);
    if (srv->base)
        event_base_free(srv->base);
    db_close(srv->db);
    policy_free(&srv->policy);
    free(srv);
}
