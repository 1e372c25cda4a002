/* EPP listener and sessions (RFC 5734): TLS via bufferevent_openssl, one
 * command in flight per session (reading pauses until it is answered),
 * idle timeout, frame limit, greeting on connect. */
#include "epp_server.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/netaddr.h"
#include "contrib/secret.h"
#include "epp/frame.h"
#include "epp_internal.h"
#include "tls.h"

#define SLOT_TABLE 1024

struct epp_session {
    struct epp_server *srv;
    struct bufferevent *bev;
    struct eppd_session view;
    bool busy;    /* a job is with the workers */
    bool closing; /* close once output is flushed */
    bool dead;    /* connection gone; free when the job returns */
    struct epp_session *prev, *next;
};

struct epp_server {
    struct event_base *base;
    const struct reg_config *cfg;
    SSL_CTX *ssl;
    struct evconnlistener *listener;
    struct epp_pool *pool;
    struct registry_policy policy;
    char address[80];
    char svtrid_prefix[16];
    uint64_t svtrid_seq;
    uint64_t session_seq;
    struct epp_session *sessions;
    /* finished jobs, handed over from workers */
    pthread_mutex_t done_lock;
    struct epp_job *done_head, *done_tail;
    struct event *done_ev;
    /* sessions per registrar */
    pthread_mutex_t slot_lock;
    struct {
        int64_t registrar_id;
        int64_t count;
    } slots[SLOT_TABLE];
};

const char *epp_server_address(const struct epp_server *s) { return s->address; }
static void next_svtrid(void *server, char out[40])
{
    struct epp_server *s = server;
    uint64_t n = __atomic_add_fetch(&s->svtrid_seq, 1, __ATOMIC_RELAXED);
    snprintf(out, 40, "RD-%s-%llu", s->svtrid_prefix, (unsigned long long)n);
}

/* The registrar's entry, else the first with no sessions (never used, or
 * left by a registrar whose sessions all ended): entries are reused, so
 * the table only has to hold the registrars with sessions open at once,
 * and the whole table is searched (a login is rare next to commands). */
static bool take_slot(void *server, int64_t registrar_id)
{
    struct epp_server *s = server;
    bool ok = false;
    pthread_mutex_lock(&s->slot_lock);
    size_t found = SLOT_TABLE, idle = SLOT_TABLE;
    for (size_t i = 0; i < SLOT_TABLE && found == SLOT_TABLE; i++) {
        if (s->slots[i].registrar_id == registrar_id)
            found = i;
        else if (s->slots[i].count == 0 && idle == SLOT_TABLE)
            idle = i;
    }
    size_t i = found < SLOT_TABLE ? found : idle;
    if (i < SLOT_TABLE && s->slots[i].count < s->cfg->epp_max_sessions) {
        s->slots[i].registrar_id = registrar_id;
        s->slots[i].count++;
        ok = true;
    }
    pthread_mutex_unlock(&s->slot_lock);
    return ok;
}

static void release_slot(void *server, int64_t registrar_id)
{
    struct epp_server *s = server;
    pthread_mutex_lock(&s->slot_lock);
    for (size_t i = 0; i < SLOT_TABLE; i++)
        if (s->slots[i].registrar_id == registrar_id) {
            if (s->slots[i].count > 0)
                s->slots[i].count--;
            break;
        }
    pthread_mutex_unlock(&s->slot_lock);
}

void epp_job_free(struct epp_job *job)
{
    if (!job)
        return;
    free(job->frame);
    free(job->response);
    free(job);
}

static void session_free(struct epp_session *s)
{
    struct epp_server *srv = s->srv;
    if (s->view.logged_in)
        release_slot(srv, s->view.registrar_id);
    if (s->prev)
        s->prev->next = s->next;
    else
        srv->sessions = s->next;
    if (s->next)
        s->next->prev = s->prev;
    reg_log(LOG_INFO, "epp", s->view.id, "close", "clid=%s", s->view.logged_in ? s->view.clid : "-");
    free(s);
}

/* Drop the connection now; the session itself lives on while a job runs. */
static void session_close(struct epp_session *s)
{
    if (s->bev) {
        bufferevent_free(s->bev);
        s->bev = NULL;
    }
    if (s->busy)
        s->dead = true;
    else
        session_free(s);
}

static void send_frame(struct epp_session *s, const char *xml, size_t len)
{
    unsigned char hdr[EPP_FRAME_HEADER];
    epp_frame_header_write(len, hdr);
    struct evbuffer *out = bufferevent_get_output(s->bev);
    evbuffer_add(out, hdr, sizeof hdr);
    evbuffer_add(out, xml, len);
}

static void on_write(struct bufferevent *bev, void *arg)
{
    struct epp_session *s = arg;
    (void)bev;
    if (s->closing && evbuffer_get_length(bufferevent_get_output(s->bev)) == 0)
        session_close(s);
}

static void try_read_frame(struct epp_session *s)
{
    if (s->busy || s->closing || !s->bev)
        return;
    struct evbuffer *in = bufferevent_get_input(s->bev);
    unsigned char hdr[EPP_FRAME_HEADER];
    if (evbuffer_copyout(in, hdr, sizeof hdr) < (ev_ssize_t)sizeof hdr)
        return;
    size_t payload;
    reg_err e = epp_frame_header_parse(hdr, (size_t)s->srv->cfg->epp_max_frame, &payload);
    if (e) {
        reg_log(LOG_WARN, "epp", s->view.id, "bad-frame", "reason=%s",
                e == REG_ERR_LIMIT ? "too-large" : "bad-length");
        session_close(s);
        return;
    }
    if (evbuffer_get_length(in) < payload + sizeof hdr)
        return;
    struct epp_job *job = calloc(1, sizeof *job);
    char *frame = malloc(payload + 1);
    if (!job || !frame) {
        free(job);
        free(frame);
        session_close(s);
        return;
    }
    evbuffer_drain(in, sizeof hdr);
    evbuffer_remove(in, frame, payload);
    frame[payload] = '\0';
    job->session = s;
    job->view = s->view;
    job->frame = frame;
    job->frame_len = payload;
    s->busy = true;
    bufferevent_disable(s->bev, EV_READ);
    epp_pool_submit(s->srv->pool, job);
}

static void on_read(struct bufferevent *bev, void *arg)
{
    (void)bev;
    try_read_frame(arg);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
    struct epp_session *s = arg;
    if (what & BEV_EVENT_CONNECTED) {
        tls_peer_fingerprint(bufferevent_openssl_get_ssl(bev), s->view.cert_fp);
        reg_log(LOG_DEBUG, "epp", s->view.id, "tls", "client_cert=%s",
                s->view.cert_fp[0] ? s->view.cert_fp : "none");
        return;
    }
    if (what & BEV_EVENT_TIMEOUT)
        reg_log(LOG_INFO, "epp", s->view.id, "idle-timeout", NULL);
    else if (what & BEV_EVENT_ERROR) {
        unsigned long ssl_err = bufferevent_get_openssl_error(bev);
        char buf[160] = "";
        if (ssl_err)
            ERR_error_string_n(ssl_err, buf, sizeof buf);
        reg_log(LOG_INFO, "epp", s->view.id, "error", "tls=\"%s\"", buf);
    }
    session_close(s);
}

static void apply_result(struct epp_session *s, struct epp_job *job)
{
    if (job->out.login_ok) {
        s->view.logged_in = true;
        s->view.registrar_id = job->out.new_registrar_id;
        s->view.services = job->out.new_services;
        snprintf(s->view.clid, sizeof s->view.clid, "%s", job->out.new_clid);
        s->view.login_failures = 0;
    } else if (job->out.holds_slot) {
        release_slot(s->srv, job->out.new_registrar_id);
    }
    if (job->out.login_failed)
        s->view.login_failures++;
    if (job->response)
        send_frame(s, job->response, job->response_len);
    if (job->out.close_after) {
        s->closing = true;
        bufferevent_disable(s->bev, EV_READ);
        on_write(s->bev, s);
    }
}

static void on_jobs_done(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct epp_server *srv = arg;
    pthread_mutex_lock(&srv->done_lock);
    struct epp_job *list = srv->done_head;
    srv->done_head = srv->done_tail = NULL;
    pthread_mutex_unlock(&srv->done_lock);
    while (list) {
        struct epp_job *job = list;
        list = job->next;
        struct epp_session *s = job->session;
        s->busy = false;
        if (s->dead) {
            if (job->out.holds_slot)
                release_slot(srv, job->out.new_registrar_id);
            session_free(s);
        } else {
            apply_result(s, job);
            if (s->bev && !s->closing) {
                bufferevent_enable(s->bev, EV_READ);
                try_read_frame(s);
            }
        }
        epp_job_free(job);
    }
}

static void complete(void *server, struct epp_job *job)
{
    struct epp_server *s = server;
    job->next = NULL;
    pthread_mutex_lock(&s->done_lock);
    if (s->done_tail)
        s->done_tail->next = job;
    else
        s->done_head = job;
    s->done_tail = job;
    pthread_mutex_unlock(&s->done_lock);
    event_active(s->done_ev, EV_READ, 0);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen,
                      void *arg)
{
    (void)l;
    (void)salen;
    struct epp_server *srv = arg;
    /* request/response traffic: never let Nagle hold back a response */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct epp_session *s = calloc(1, sizeof *s);
    SSL *ssl = s ? SSL_new(srv->ssl) : NULL;
    if (!ssl) {
        free(s);
        evutil_closesocket(fd);
        return;
    }
    s->srv = srv;
    snprintf(s->view.id, sizeof s->view.id, "S%s-%llu", srv->svtrid_prefix,
             (unsigned long long)++srv->session_seq);
    netaddr_sockaddr_format(sa, false, s->view.peer, sizeof s->view.peer);
    s->bev = bufferevent_openssl_socket_new(srv->base, fd, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                            BEV_OPT_CLOSE_ON_FREE);
    if (!s->bev) {
        SSL_free(ssl);
        evutil_closesocket(fd);
        free(s);
        return;
    }
    s->next = srv->sessions;
    if (srv->sessions)
        srv->sessions->prev = s;
    srv->sessions = s;
    struct timeval idle = {srv->cfg->epp_idle_timeout, 0};
    bufferevent_set_timeouts(s->bev, &idle, NULL);
    /* no read high-watermark: with bufferevent_openssl it can strand
     * decrypted bytes inside OpenSSL and stall a pipelining client. The
     * input stays bounded: one frame at most is read past a command in
     * flight, and frame sizes are checked from the header. */
    bufferevent_setcb(s->bev, on_read, on_write, on_event, s);
    bufferevent_enable(s->bev, EV_READ | EV_WRITE);
    reg_log(LOG_INFO, "epp", s->view.id, "connect", "peer=%s", s->view.peer);
    size_t len = 0;
    char *greeting = epp_greeting("registryd", clock_now(), &len);
    if (greeting)
        send_frame(s, greeting, len);
    free(greeting);
}

static reg_err bind_listener(struct epp_server *srv, char *err, size_t errlen)
{
    char host[256];
    int port;
    settings_split_addr(srv->cfg->epp_listen, host, sizeof host, &port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    char portstr[8];
    snprintf(portstr, sizeof portstr, "%d", port);
    int rc = getaddrinfo(strcmp(host, "*") ? host : NULL, portstr, &hints, &res);
    if (rc) {
        snprintf(err, errlen, "epp.listen %s: %s", srv->cfg->epp_listen, gai_strerror(rc));
        return REG_ERR_CONFIG;
    }
    srv->listener = evconnlistener_new_bind(srv->base, on_accept, srv,
                                            LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 512,
                                            res->ai_addr, (int)res->ai_addrlen);
    freeaddrinfo(res);
    if (!srv->listener) {
        snprintf(err, errlen, "cannot listen on %s: %s", srv->cfg->epp_listen,
                 evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
        return REG_ERR_IO;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(evconnlistener_get_fd(srv->listener), (struct sockaddr *)&ss, &sl);
    netaddr_sockaddr_format((struct sockaddr *)&ss, true, srv->address, sizeof srv->address);
    return REG_OK;
}

reg_err epp_server_start(struct event_base *base, const struct reg_config *cfg,
                         struct epp_server **out, char *err, size_t errlen)
{
    reg_status st = {0};
    /* R1: REGISTRAR:ID contact ids may be longer than RFC 5730's 16 */
    epp_decode_long_ids(!strcmp(cfg->contact_id_prefix, "registrar"));
    if (epp_schema_init(&st)) {
        snprintf(err, errlen, "%s", reg_status_text(&st));
        return st.code;
    }
    struct epp_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return REG_ERR_NOMEM;
    srv->base = base;
    srv->cfg = cfg;
    policy_from_config(cfg, &srv->policy);
    secret_random_hex(srv->svtrid_prefix, 4, false);
    pthread_mutex_init(&srv->done_lock, NULL);
    pthread_mutex_init(&srv->slot_lock, NULL);
    srv->done_ev = event_new(base, -1, 0, on_jobs_done, srv);
    struct epp_pool_owner owner = {srv,         &srv->policy, take_slot, release_slot,
                                   next_svtrid, complete};
    reg_err e = tls_server_ctx(cfg, &srv->ssl, err, errlen);
    if (!e)
        e = epp_pool_start(&owner, cfg, &srv->pool, err, errlen);
    if (!e)
        e = bind_listener(srv, err, errlen);
    if (e) {
        epp_server_stop(srv);
        return e;
    }
    *out = srv;
    return REG_OK;
}

void epp_server_stop(struct epp_server *srv)
{
    if (!srv)
        return;
    if (srv->listener)
        evconnlistener_free(srv->listener);
    epp_pool_stop(srv->pool); /* finishes queued jobs */
    on_jobs_done(-1, 0, srv);
    while (srv->sessions)
        session_close(srv->sessions);
    if (srv->done_ev)
        event_free(srv->done_ev);
    SSL_CTX_free(srv->ssl);
    policy_free(&srv->policy);
    pthread_mutex_destroy(&srv->done_lock);
    pthread_mutex_destroy(&srv->slot_lock);
    free(srv);
}
