/* Connection limits and accept back-off shared by the listeners
 * (conn_guard.h). */
#include "conn_guard.h"

#include <errno.h>
#include <linux/filter.h>
#include <event2/util.h>
#include <netdb.h>
#include <stdio.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/netaddr.h"
#include "contrib/settings.h"

/* One log line per event kind and guard per this long. */
#define LOG_INTERVAL_US (10 * 1000000LL)
#define BACKOFF_FIRST_MS 10
#define BACKOFF_MAX_MS 1000

/* A log line at most once per interval; what happened meanwhile is counted
 * and reported with the next line. */
struct throttle {
    int64_t next_us;
    uint64_t suppressed;
};

static bool throttle_pass(struct throttle *t, uint64_t *suppressed)
{
    int64_t now = clock_mono_us();
    if (now < t->next_us) {
        t->suppressed++;
        return false;
    }
    *suppressed = t->suppressed;
    t->suppressed = 0;
    t->next_us = now + LOG_INTERVAL_US;
    return true;
}

enum refusal { REFUSED_TOTAL, REFUSED_SOURCE, REFUSED_RATE, REFUSED_MEMORY, REFUSED__COUNT };
static const char *const refusal_names[] = {"total", "per-source", "rate", "memory"};

struct conn_guard {
    struct conn_guard_limits lim;
    char *exempt;
    struct event_base *base;
    struct source_table *sources;
    int64_t open;
    struct throttle refused_log;
    uint64_t refused[REFUSED__COUNT];
    /* accept back-off */
    struct evconnlistener *listener;
    struct event *retry;
    int backoff_ms;
    uint64_t accept_failures;
    int64_t failing_since_us;
    struct throttle accept_log;
};

/* evhttp owns the user data of its listener, so the error callback finds
 * its guard here (a few listeners, registered at start). */
#define MAX_WATCHED 24 /* EPP, 4 WHOIS loops, 16 HTTP loops and room */
static pthread_mutex_t watched_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn_guard *watched[MAX_WATCHED];

static struct conn_guard *guard_of(struct evconnlistener *l)
{
    struct conn_guard *g = NULL;
    pthread_mutex_lock(&watched_lock);
    for (int i = 0; i < MAX_WATCHED && !g; i++)
        if (watched[i] && watched[i]->listener == l)
            g = watched[i];
    pthread_mutex_unlock(&watched_lock);
    return g;
}

struct conn_guard *conn_guard_new(struct event_base *base, const struct conn_guard_limits *lim)
{
    struct conn_guard *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->lim = *lim;
    g->base = base;
    g->exempt = strdup(lim->exempt ? lim->exempt : "");
    g->lim.exempt = g->exempt;
    /* every source with a connection open fits, and as many again that
     * only have a bucket to remember */
    size_t capacity = (size_t)lim->max_total * 2 + 1024;
    g->sources = source_table_new(capacity, &lim->rate);
    if (!g->exempt || !g->sources) {
        conn_guard_free(g);
        return NULL;
    }
    return g;
}

void conn_guard_free(struct conn_guard *g)
{
    if (!g)
        return;
    conn_guard_unwatch(g);
    source_table_free(g->sources);
    free(g->exempt);
    free(g);
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct conn_guard *g = arg;
    if (g->listener)
        evconnlistener_enable(g->listener);
}

/* accept(2) failed with something other than EAGAIN/EINTR: most often
 * EMFILE or ENFILE. The listening socket stays readable, so trying again
 * at once would spin; pause instead, and let the kernel's backlog hold the
 * connections meanwhile. */
static void on_accept_error(struct evconnlistener *l, void *arg)
{
    (void)arg;
    int err = EVUTIL_SOCKET_ERROR();
    struct conn_guard *g = guard_of(l);
    if (!g)
        return;
    evconnlistener_disable(l);
    if (!g->accept_failures)
        g->failing_since_us = clock_mono_us();
    g->accept_failures++;
    g->backoff_ms = g->backoff_ms ? g->backoff_ms * 2 : BACKOFF_FIRST_MS;
    if (g->backoff_ms > BACKOFF_MAX_MS)
        g->backoff_ms = BACKOFF_MAX_MS;
    uint64_t suppressed;
    if (throttle_pass(&g->accept_log, &suppressed)) {
        char quoted[128];
        reg_log(LOG_ERROR, g->lim.sub, NULL, "accept-failed",
                "error=%s failures=%llu open=%lld retry_ms=%d", log_quote(strerror(err), quoted,
                sizeof quoted), (unsigned long long)g->accept_failures, (long long)g->open,
                g->backoff_ms);
    }
    struct timeval tv = {g->backoff_ms / 1000, (g->backoff_ms % 1000) * 1000};
    event_add(g->retry, &tv);
}

void conn_guard_watch(struct conn_guard *g, struct evconnlistener *l)
{
    if (!g->retry)
        g->retry = evtimer_new(g->base, on_retry, g);
    g->listener = l;
    int i = 0;
    pthread_mutex_lock(&watched_lock);
    while (i < MAX_WATCHED && watched[i])
        i++;
    if (i < MAX_WATCHED)
        watched[i] = g;
    pthread_mutex_unlock(&watched_lock);
    /* EPP, 16 HTTP and 4 WHOIS loops fit; say so if that changes */
    if (i == MAX_WATCHED)
        reg_log(LOG_ERROR, g->lim.sub, NULL, "guard-unwatched",
                "reason=more than %d listeners; accept errors on this one are not paused",
                MAX_WATCHED);
    evconnlistener_set_error_cb(l, on_accept_error);
}

void conn_guard_unwatch(struct conn_guard *g)
{
    pthread_mutex_lock(&watched_lock);
    for (int i = 0; i < MAX_WATCHED; i++)
        if (watched[i] == g)
            watched[i] = NULL;
    pthread_mutex_unlock(&watched_lock);
    if (g->retry)
        event_free(g->retry);
    g->retry = NULL;
    g->listener = NULL;
}

/* A connection came in: the accept errors, if any, are over. */
static void accept_worked(struct conn_guard *g)
{
    g->backoff_ms = 0;
    if (!g->accept_failures)
        return;
    reg_log(LOG_WARN, g->lim.sub, NULL, "accept-resumed", "failures=%llu ms=%lld",
            (unsigned long long)g->accept_failures,
            (long long)((clock_mono_us() - g->failing_since_us) / 1000));
    g->accept_failures = 0;
}

static bool refuse(struct conn_guard *g, enum refusal why, const char *peer)
{
    g->refused[why]++;
    uint64_t suppressed;
    if (throttle_pass(&g->refused_log, &suppressed))
        reg_log(LOG_WARN, g->lim.sub, NULL, "refused",
                "reason=%s peer=%s open=%lld max_connections=%lld max_connections_per_source=%lld "
                "refused_total=%llu refused_per_source=%llu refused_rate=%llu suppressed=%llu",
                refusal_names[why], peer, (long long)g->open, (long long)g->lim.max_total,
                (long long)g->lim.max_per_source, (unsigned long long)g->refused[REFUSED_TOTAL],
                (unsigned long long)g->refused[REFUSED_SOURCE],
                (unsigned long long)g->refused[REFUSED_RATE], (unsigned long long)suppressed);
    return false;
}

bool conn_guard_admit(struct conn_guard *g, const struct sockaddr *sa, struct conn_slot *slot,
                      char *peer, size_t peerlen)
{
    char text[NETADDR_STRLEN];
    netaddr_sockaddr_format(sa, false, text, sizeof text);
    if (peer)
        snprintf(peer, peerlen, "%s", text);
    *slot = (struct conn_slot){0};
    accept_worked(g);
    if (g->open >= g->lim.max_total)
        return refuse(g, REFUSED_TOTAL, text);
    if (!netaddr_prefix_list_contains(g->exempt, text)) {
        struct netaddr_source src;
        netaddr_source_of(sa, &src);
        int64_t now = clock_mono_us();
        struct source_entry *e = source_table_get(g->sources, &src, now);
        if (!e)
            return refuse(g, REFUSED_MEMORY, text);
        if (e->conns >= g->lim.max_per_source)
            return refuse(g, REFUSED_SOURCE, text);
        if (!token_bucket_take(&e->bucket, &g->lim.rate, now))
            return refuse(g, REFUSED_RATE, text);
        e->conns++;
        slot->src = e;
    }
    g->open++;
    slot->held = true;
    return true;
}

void conn_guard_release(struct conn_guard *g, struct conn_slot *slot)
{
    if (!slot->held)
        return;
    if (slot->src)
        slot->src->conns--;
    g->open--;
    *slot = (struct conn_slot){0};
}

int64_t conn_guard_raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl))
        return -1;
    if (rl.rlim_cur < rl.rlim_max) {
        rlim_t before = rl.rlim_cur;
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl))
            rl.rlim_cur = before;
    }
    return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > INT64_MAX ? INT64_MAX
                                                                    : (int64_t)rl.rlim_cur;
}

void conn_guard_fit(int64_t fd_limit, int64_t reserve, int64_t *const caps[],
                    const char *const names[], int n)
{
    int64_t sum = 0;
    for (int i = 0; i < n; i++)
        sum += *caps[i];
    int64_t room = fd_limit - reserve;
    if (fd_limit < 0 || sum <= room)
        return;
    if (room < n)
        room = n;
    for (int i = 0; i < n; i++) {
        int64_t was = *caps[i];
        /* each keeps its share of what there is room for */
        int64_t now = (int64_t)((double)was * (double)room / (double)sum);
        *caps[i] = now < 1 ? 1 : now;
        reg_log(LOG_WARN, "daemon", NULL, "fd-limit",
                "limit=%lld reserve=%lld setting=%s configured=%lld lowered_to=%lld",
                (long long)fd_limit, (long long)reserve, names[i], (long long)was,
                (long long)*caps[i]);
    }
}

/* ---- listening sockets ---- */

struct event_base *conn_loop_new(void)
{
    struct event_config *ec = event_config_new();
    if (!ec)
        return NULL;
    event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    struct event_base *base = event_base_new_with_config(ec);
    event_config_free(ec);
    return base;
}

/* The address of a `listen` setting for a passive socket. */
static reg_err resolve(const struct conn_listen *cl, struct sockaddr_storage *ss, socklen_t *sl,
                       char *err, size_t errlen)
{
    char host[256], portstr[8];
    int port;
    settings_split_addr(cl->listen, host, sizeof host, &port);
    snprintf(portstr, sizeof portstr, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(strcmp(host, "*") ? host : NULL, portstr, &hints, &res);
    if (rc) {
        snprintf(err, errlen, "%s %s: %s", cl->what, cl->listen, gai_strerror(rc));
        return REG_ERR_CONFIG;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *sl = (socklen_t)res->ai_addrlen;
    freeaddrinfo(res);
    return REG_OK;
}

reg_err conn_listen_open(struct conn_listen *cl, int index, struct event_base *base,
                         evconnlistener_cb cb, void *arg, struct conn_guard *guard,
                         struct evconnlistener **out, char *err, size_t errlen)
{
    *out = NULL;
    if (index == 0) {
        reg_err e = resolve(cl, &cl->addr, &cl->addrlen, err, errlen);
        if (e)
            return e;
    }
    unsigned flags = cl->flags | LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE |
                     (cl->nloops > 1 ? LEV_OPT_REUSEABLE_PORT : 0);
    struct evconnlistener *l = evconnlistener_new_bind(
        base, cb, arg, flags, cl->backlog, (const struct sockaddr *)&cl->addr, (int)cl->addrlen);
    if (!l) {
        snprintf(err, errlen, "cannot listen on %s: %s", cl->listen,
                 evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
        return REG_ERR_IO;
    }
    if (index == 0) {
        /* the others on the port this one got (port 0 asks for any) */
        socklen_t sl = sizeof cl->addr;
        cl->first = evconnlistener_get_fd(l);
        getsockname(cl->first, (struct sockaddr *)&cl->addr, &sl);
        cl->addrlen = sl;
        netaddr_sockaddr_format((const struct sockaddr *)&cl->addr, true, cl->address,
                                sizeof cl->address);
    }
    if (guard)
        conn_guard_watch(guard, l);
    *out = l;
    return REG_OK;
}

reg_err conn_listen_steer(struct conn_listen *cl)
{
    if (cl->nloops < 2 || !conn_guard_steer(cl->first, cl->addr.ss_family, cl->nloops))
        return REG_OK;
    /* without steering a source's connections would spread over loops
     * that each count only their own: one loop keeps the limits whole */
    reg_log(LOG_WARN, cl->sub, NULL, "single-loop", "threads=%d reason=%s", cl->nloops,
            strerror(errno));
    return REG_ERR_LIMIT;
}

/* The classic BPF program that picks a loop's socket for a new connection
 * (SO_ATTACH_REUSEPORT_CBPF): a hash of the source, an IPv4 address or the
 * /64 of an IPv6 one (an IPv4 client of an IPv6 socket by its address),
 * modulo the number of loops. The program sees the packet from its
 * transport payload on; SKF_NET_OFF reaches the IP header. */
int conn_guard_steer(evutil_socket_t fd, int family, int nloops)
{
    enum { GOLDEN = 0x9e3779b1u };
    struct sock_filter v4[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_NET_OFF + 12), /* source address */
        BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, GOLDEN),
        BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 16),
        BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, (uint32_t)nloops),
        BPF_STMT(BPF_RET | BPF_A, 0),
    };
    struct sock_filter v6[] = {
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, (uint32_t)SKF_NET_OFF), /* version nibble */
        BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 4),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 4, 0, 2),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_NET_OFF + 12), /* IPv4 source */
        BPF_JUMP(BPF_JMP | BPF_JA, 3, 0, 0),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_NET_OFF + 8), /* IPv6 source /64 */
        BPF_STMT(BPF_MISC | BPF_TAX, 0),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_NET_OFF + 12),
        BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
        BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, GOLDEN),
        BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 16),
        BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, (uint32_t)nloops),
        BPF_STMT(BPF_RET | BPF_A, 0),
    };
    struct sock_fprog prog = family == AF_INET6
                                 ? (struct sock_fprog){sizeof v6 / sizeof v6[0], v6}
                                 : (struct sock_fprog){sizeof v4 / sizeof v4[0], v4};
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog, sizeof prog);
}
