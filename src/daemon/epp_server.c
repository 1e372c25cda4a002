/* EPP listener and sessions (RFC 5734): TLS via bufferevent_openssl, one
 * command in flight per session (the next frame waits in the input until
 * the answer is out; reading goes on meanwhile, up to a bound), idle
 * timeout, frame limit, greeting on connect. The front door (issue
 * 12): connections capped in total and per source with a rate of new ones
 * (conn_guard.c), a deadline for the TLS handshake and for each whole
 * frame however steadily it trickles in, and a bound on answers a client
 * leaves unread (reading stops above [epp] max_unsent, the session closes
 * if it stays there). */
#include "epp_server.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/metric_table.h"
#include "contrib/netaddr.h"
#include "contrib/secret.h"
#include "conn_guard.h"
#include "epp/frame.h"
#include "epp/request.h"
#include "epp_internal.h"
#include "tls.h"

#define SLOT_TABLE 1024

/* What the session's one deadline timer is waiting for. */
enum deadline {
    DEADLINE_NONE,
    DEADLINE_HANDSHAKE, /* the TLS handshake to finish */
    DEADLINE_FRAME,     /* the rest of a frame that has begun */
    DEADLINE_UNSENT,    /* the client to read answers over max_unsent, or its last one */
};
static const char *const deadline_events[] = {"-", "handshake-timeout", "frame-timeout",
                                              "unread-timeout"};

struct epp_session {
    struct epp_server *srv;
    struct bufferevent *bev;
    struct eppd_session view;
    struct conn_slot slot; /* held while the connection is open */
    struct event *deadline;
    enum deadline waiting;
    struct token_bucket prelogin; /* commands before login ([epp] prelogin_rate) */
    struct event *pace;           /* reading again once a token is there */
    struct event *login_timer;    /* [epp] login_timeout, until a login succeeds */
    bool busy;    /* a job is with the workers */
    bool reads;   /* its last command only read: the next may run on the loop */
    uint64_t audit_ticket; /* its read commands' rows queued for the EPP log's writer */
    bool stalled; /* answers over max_unsent: not reading */
    bool pacing;  /* waiting for a prelogin token: not reading */
    bool closing; /* close once output is flushed */
    bool dead;    /* connection gone; free when the job returns */
    bool reading; /* EV_READ is enabled on bev (see update_reading) */
    int64_t started_us;
    uint64_t frames, hellos_before_login;
    struct epp_session *prev, *next;
};

struct epp_server {
    struct event_base *base;
    const struct reg_config *cfg;
    SSL_CTX *ssl;
    struct evconnlistener *listener;
    struct conn_guard *guard;
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
    /* The loop runs a read itself (epp_pool_run_here) only for a session
     * that sent the last frame too, and while no answer of such a read is
     * waiting to be applied. With many sessions taking turns, their
     * frames go to the workers, and the loop's time to their TLS: run
     * there, the reads of 100 sessions at half of their peak rate held
     * up the others' frames (a p99 of 6.3-6.6 ms, 3.9-4.1 without). */
    const struct epp_session *last_sender;
    int here_waiting;
    bool stopping; /* no frame is taken from now on: the pool is going */
    /* sessions per registrar */
    pthread_mutex_t slot_lock;
    struct {
        int64_t registrar_id;
        int64_t count;
    } slots[SLOT_TABLE];
};

const char *epp_server_address(const struct epp_server *s) { return s->address; }

/* registryd_epp_sessions: each open connection in one of two states. */
static void count_session(bool logged_in, int64_t n)
{
    static const char *const states[] = {"before_login", "logged_in"};
    metric_add(METRIC(M_EPP_SESSIONS), &states[logged_in], n);
}

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
    if (srv->last_sender == s)
        srv->last_sender = NULL;
    if (s->view.logged_in)
        release_slot(srv, s->view.registrar_id);
    count_session(s->view.logged_in, -1);
    if (s->prev)
        s->prev->next = s->next;
    else
        srv->sessions = s->next;
    if (s->next)
        s->next->prev = s->prev;
    /* one line per session: before login its traffic is counted here, not
     * stored (a hello before login leaves no audit row) */
    reg_log(LOG_INFO, "epp", s->view.id, "close",
            "clid=%s peer=%s frames=%llu hellos_before_login=%llu errors_before_login=%d ms=%lld",
            s->view.logged_in ? s->view.clid : "-", s->view.peer, (unsigned long long)s->frames,
            (unsigned long long)s->hellos_before_login, s->view.errors_before_login,
            (long long)((clock_mono_us() - s->started_us) / 1000));
    free(s);
}

/* Drop the connection now; the session itself lives on while a job runs. */
static void session_close(struct epp_session *s)
{
    if (s->bev) {
        bufferevent_free(s->bev);
        s->bev = NULL;
        conn_guard_release(s->srv->guard, &s->slot);
    }
    if (s->deadline) {
        event_free(s->deadline);
        s->deadline = NULL;
    }
    if (s->pace) {
        event_free(s->pace);
        s->pace = NULL;
    }
    if (s->login_timer) {
        event_free(s->login_timer);
        s->login_timer = NULL;
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

/* The idle timeout restarts with every byte; these deadlines do not. */
static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct epp_session *s = arg;
    reg_log(LOG_INFO, "epp", s->view.id, deadline_events[s->waiting], "seconds=%lld unsent=%zu",
            (long long)s->srv->cfg->epp_frame_timeout,
            s->bev ? evbuffer_get_length(bufferevent_get_output(s->bev)) : 0);
    s->waiting = DEADLINE_NONE;
    session_close(s);
}

/* A connection must log in within [epp] login_timeout, or it holds a
 * place under max_connections for nothing: hellos keep the idle timeout
 * from firing, so without this a few sources could fill the listener. */
static void on_login_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct epp_session *s = arg;
    reg_log(LOG_INFO, "epp", s->view.id, "login-timeout", "seconds=%lld",
            (long long)s->srv->cfg->epp_login_timeout);
    session_close(s);
}

/* Starts the clock unless it runs already (for this or another reason). */
static void deadline_start(struct epp_session *s, enum deadline why)
{
    if (s->waiting != DEADLINE_NONE || !s->deadline)
        return;
    struct timeval tv = {s->srv->cfg->epp_frame_timeout, 0};
    s->waiting = why;
    event_add(s->deadline, &tv);
}

static void deadline_stop(struct epp_session *s, enum deadline why)
{
    if (s->waiting != why)
        return;
    s->waiting = DEADLINE_NONE;
    event_del(s->deadline);
}

static void try_read_frame(struct epp_session *s);

static void on_pace(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct epp_session *s = arg;
    s->pacing = false;
    try_read_frame(s);
}

/* Reading stays enabled while a command runs: turning EV_READ off at each
 * dispatch and on at each answer cost two epoll_ctl a command, in
 * different loop turns (issue 18). The next frame may arrive meanwhile and
 * waits in the input (busy holds it back); what waits there is bounded by
 * [epp] max_frame, one whole frame: above it reading stops until the
 * answer is out, so a client that pipelines without end is held as it was
 * before, by the kernel's buffers. Reading also stops while the session
 * is paced, stalled or closing.
 *
 * This is done by hand rather than with a read high-watermark: with
 * bufferevent_openssl on a socket, the watermark breaks off reading with
 * decrypted bytes left inside OpenSSL (SSL_pending), and lowering the input
 * under it only re-adds the socket to epoll, which does not fire for bytes
 * already taken off the socket: a pipelining client would stall. Turning
 * EV_READ off from here, after libevent's read loop has drained
 * SSL_pending (it hands the input over only then), strands nothing; turned
 * on again, epoll fires for what is still in the socket. */
static void update_reading(struct epp_session *s)
{
    if (!s->bev)
        return;
    bool on = !s->closing && !s->stalled && !s->pacing &&
              !(s->busy && evbuffer_get_length(bufferevent_get_input(s->bev)) >=
                               (size_t)s->srv->cfg->epp_max_frame);
    if (on == s->reading)
        return;
    s->reading = on;
    if (on)
        bufferevent_enable(s->bev, EV_READ); /* the idle timeout starts afresh */
    else
        bufferevent_disable(s->bev, EV_READ);
}

/* Before login a session's commands are paced ([epp] prelogin_rate and
 * prelogin_burst): a hello and a login need two, a flood of hellos gets no
 * further than that rate, and meanwhile nothing more is read. */
static bool paced(struct epp_session *s)
{
    const struct reg_config *cfg = s->srv->cfg;
    struct rate_limit rate = {cfg->epp_prelogin_rate, cfg->epp_prelogin_burst};
    int64_t now = clock_mono_us();
    if (s->view.logged_in || token_bucket_take(&s->prelogin, &rate, now))
        return false;
    int64_t wait = token_bucket_wait_us(&s->prelogin, &rate, now);
    struct timeval tv = {wait / 1000000, wait % 1000000};
    s->pacing = true; /* reading stops (update_reading) */
    deadline_stop(s, DEADLINE_FRAME); /* the wait is ours, not the client's */
    event_add(s->pace, &tv);
    return true;
}

static void on_write(struct bufferevent *bev, void *arg)
{
    struct epp_session *s = arg;
    (void)bev;
    if (evbuffer_get_length(bufferevent_get_output(s->bev)) != 0)
        return;
    if (s->closing) {
        session_close(s);
    } else if (s->stalled) { /* the client read its answers: go on */
        s->stalled = false;
        deadline_stop(s, DEADLINE_UNSENT);
        try_read_frame(s); /* reading again */
    }
}

/* After an answer: read on, or, with more than [epp] max_unsent waiting
 * for a client that does not read, stop reading until it has (on_write),
 * for frame_timeout at most. */
static void resume(struct epp_session *s)
{
    if (evbuffer_get_length(bufferevent_get_output(s->bev)) > (size_t)s->srv->cfg->epp_max_unsent) {
        s->stalled = true;
        reg_log(LOG_DEBUG, "epp", s->view.id, "unread", "unsent=%zu",
                evbuffer_get_length(bufferevent_get_output(s->bev)));
        deadline_start(s, DEADLINE_UNSENT);
        update_reading(s);
        return;
    }
    try_read_frame(s);
}

/* Hands the next frame to the workers if it is whole and may go; false if
 * the session was closed (and may be freed). */
static bool next_frame(struct epp_session *s)
{
    if (s->busy || s->closing || s->stalled || s->pacing || s->srv->stopping)
        return true;
    struct evbuffer *in = bufferevent_get_input(s->bev);
    if (evbuffer_get_length(in) == 0) {
        deadline_stop(s, DEADLINE_FRAME);
        return true;
    }
    /* a frame has begun: it must be whole within frame_timeout */
    deadline_start(s, DEADLINE_FRAME);
    unsigned char hdr[EPP_FRAME_HEADER];
    if (evbuffer_copyout(in, hdr, sizeof hdr) < (ev_ssize_t)sizeof hdr)
        return true;
    size_t payload;
    reg_err e = epp_frame_header_parse(hdr, (size_t)s->srv->cfg->epp_max_frame, &payload);
    if (e) {
        reg_log(LOG_WARN, "epp", s->view.id, "bad-frame", "reason=%s",
                e == REG_ERR_LIMIT ? "too-large" : "bad-length");
        session_close(s);
        return false;
    }
    if (evbuffer_get_length(in) < payload + sizeof hdr || paced(s))
        return true;
    struct epp_job *job = calloc(1, sizeof *job);
    char *frame = malloc(payload + 1);
    if (!job || !frame) {
        free(job);
        free(frame);
        session_close(s);
        return false;
    }
    evbuffer_drain(in, sizeof hdr);
    evbuffer_remove(in, frame, payload);
    frame[payload] = '\0';
    job->session = s;
    job->view = s->view;
    job->audit_after = s->audit_ticket;
    job->frame = frame;
    job->frame_len = payload;
    s->busy = true;
    s->frames++;
    deadline_stop(s, DEADLINE_FRAME); /* the server's time now, not the client's */
    struct epp_server *srv = s->srv;
    bool alone = srv->last_sender == s;
    srv->last_sender = s;
    if (alone && s->reads && !srv->here_waiting && epp_pool_run_here(srv->pool, job))
        srv->here_waiting++;
    else
        epp_pool_submit(srv->pool, job);
    return true;
}

static void try_read_frame(struct epp_session *s)
{
    if (s->bev && next_frame(s))
        update_reading(s);
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
        deadline_stop(s, DEADLINE_HANDSHAKE);
        tls_peer_fingerprint(bufferevent_openssl_get_ssl(bev), s->view.cert_fp);
        reg_log(LOG_DEBUG, "epp", s->view.id, "tls", "client_cert=%s",
                s->view.cert_fp[0] ? s->view.cert_fp : "none");
        return;
    }
    if ((what & BEV_EVENT_TIMEOUT) && s->busy)
        return; /* not idle: the command runs (the clock restarts with its answer) */
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

/* The job's outcome on its session; false when the session is gone (it
 * was to close and had nothing left to send). */
static bool apply_result(struct epp_session *s, struct epp_job *job)
{
    if (job->out.login_ok) {
        if (s->login_timer) {
            event_free(s->login_timer);
            s->login_timer = NULL;
        }
        count_session(false, -1);
        count_session(true, 1);
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
    if (job->out.error_before_login)
        s->view.errors_before_login++;
    if (job->hello && !job->view.logged_in)
        s->hellos_before_login++;
    if (job->response)
        send_frame(s, job->response, job->response_len);
    if (job->out.close_after) {
        s->closing = true;
        update_reading(s);
        /* the last answer gets frame_timeout to be read */
        deadline_stop(s, DEADLINE_FRAME);
        deadline_start(s, DEADLINE_UNSENT);
        if (evbuffer_get_length(bufferevent_get_output(s->bev)) == 0) {
            session_close(s); /* nothing left to send: s is gone */
            return false;
        }
    }
    return true;
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
        s->reads = job->read_only;
        if (job->audit_ticket > s->audit_ticket)
            s->audit_ticket = job->audit_ticket;
        if (job->ran_here)
            srv->here_waiting--;
        if (s->dead) {
            if (job->out.holds_slot)
                release_slot(srv, job->out.new_registrar_id);
            session_free(s);
        } else {
            if (apply_result(s, job) && s->bev && !s->closing) {
                /* idle from the answer on, as when reading resumed here */
                struct timeval idle = {srv->cfg->epp_idle_timeout, 0};
                bufferevent_set_timeouts(s->bev, &idle, NULL);
                resume(s);
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
    struct conn_slot slot;
    char peer[NETADDR_STRLEN];
    /* refused before TLS: a refusal costs no handshake */
    if (!conn_guard_admit(srv->guard, sa, &slot, peer, sizeof peer)) {
        evutil_closesocket(fd);
        return;
    }
    /* request/response traffic: never let Nagle hold back a response */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    /* answers a client leaves unread wait in the kernel too: bound its send
     * buffer as max_unsent bounds ours, or it grows to megabytes, every
     * byte of them answered, before max_unsent counts */
    int sndbuf = (int)srv->cfg->epp_max_unsent;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    struct epp_session *s = calloc(1, sizeof *s);
    SSL *ssl = s ? SSL_new(srv->ssl) : NULL;
    struct event *deadline = ssl ? evtimer_new(srv->base, on_deadline, s) : NULL;
    struct event *pace = deadline ? evtimer_new(srv->base, on_pace, s) : NULL;
    struct event *login_timer = pace ? evtimer_new(srv->base, on_login_timeout, s) : NULL;
    struct bufferevent *bev =
        login_timer ? bufferevent_openssl_socket_new(srv->base, fd, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                                  BEV_OPT_CLOSE_ON_FREE)
                 : NULL;
    if (!bev) {
        if (login_timer)
            event_free(login_timer);
        if (pace)
            event_free(pace);
        if (deadline)
            event_free(deadline);
        if (ssl)
            SSL_free(ssl);
        evutil_closesocket(fd);
        conn_guard_release(srv->guard, &slot);
        free(s);
        return;
    }
    s->srv = srv;
    s->bev = bev;
    s->slot = slot;
    count_session(false, 1);
    s->deadline = deadline;
    s->pace = pace;
    s->login_timer = login_timer;
    struct timeval login = {srv->cfg->epp_login_timeout, 0};
    event_add(login_timer, &login);
    s->started_us = clock_mono_us();
    struct rate_limit prelogin = {srv->cfg->epp_prelogin_rate, srv->cfg->epp_prelogin_burst};
    token_bucket_init(&s->prelogin, &prelogin, s->started_us);
    snprintf(s->view.id, sizeof s->view.id, "S%s-%llu", srv->svtrid_prefix,
             (unsigned long long)++srv->session_seq);
    snprintf(s->view.peer, sizeof s->view.peer, "%s", peer);
    s->next = srv->sessions;
    if (srv->sessions)
        srv->sessions->prev = s;
    srv->sessions = s;
    struct timeval idle = {srv->cfg->epp_idle_timeout, 0};
    bufferevent_set_timeouts(s->bev, &idle, NULL);
    /* no read high-watermark (update_reading says why): the input is
     * bounded by hand, max_frame past a command in flight */
    bufferevent_setcb(s->bev, on_read, on_write, on_event, s);
    bufferevent_enable(s->bev, EV_READ | EV_WRITE);
    s->reading = true;
    deadline_start(s, DEADLINE_HANDSHAKE);
    reg_log(LOG_INFO, "epp", s->view.id, "connect", "peer=%s", s->view.peer);
    size_t len = 0;
    char *greeting = epp_greeting("registryd", clock_now(), &len);
    if (greeting)
        send_frame(s, greeting, len);
    free(greeting);
}

static reg_err bind_listener(struct epp_server *srv, char *err, size_t errlen)
{
    struct conn_listen cl = {.what = "epp.listen", .listen = srv->cfg->epp_listen, .sub = "epp",
                             .nloops = 1, .backlog = 512};
    reg_err e = conn_listen_open(&cl, 0, srv->base, on_accept, srv, srv->guard, &srv->listener,
                                 err, errlen);
    if (!e)
        snprintf(srv->address, sizeof srv->address, "%s", cl.address);
    return e;
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
    struct conn_guard_limits limits = {
        .sub = "epp",
        .max_total = cfg->epp_max_connections,
        .max_per_source = cfg->epp_max_connections_per_source,
        .rate = {cfg->epp_session_rate, cfg->epp_session_burst},
        .exempt = cfg->epp_exempt,
    };
    srv->guard = conn_guard_new(base, &limits);
    if (!srv->guard) {
        epp_server_stop(srv);
        return REG_ERR_NOMEM;
    }
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
    srv->stopping = true; /* answers applied below start no command */
    epp_pool_stop(srv->pool); /* finishes queued jobs */
    epp_schema_thread_cleanup(); /* the loop's own validation context */
    on_jobs_done(-1, 0, srv);
    while (srv->sessions)
        session_close(srv->sessions);
    conn_guard_free(srv->guard);
    if (srv->done_ev)
        event_free(srv->done_ev);
    SSL_CTX_free(srv->ssl);
    policy_free(&srv->policy);
    pthread_mutex_destroy(&srv->done_lock);
    pthread_mutex_destroy(&srv->slot_lock);
    free(srv);
}
