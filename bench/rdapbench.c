/* rdapbench: an RDAP load generator (issue 15, DESIGN §10). Holds
 * --concurrency HTTP/1.1 connections open (keep-alive), each with one
 * request in flight, for --duration seconds or --count requests, whichever
 * ends first, and prints requests per second with p50 and p99 latency (the
 * request's first byte sent to the answer's last byte read).
 *
 *   rdapbench --port 8080 --path '/rdap/domain/d%d.dk' --range 1000000 --duration 10
 *
 * Paths: --path is a printf pattern with one %d, drawn uniformly from
 * 1..--range (a fixed pseudo-random sequence), or a plain path asked every
 * time (/rdap/help; the canned domain answer of [rdap] canned is asked with
 * the random names). Connections come from 127.0.0.1 ..
 * 127.0.0.N (--sources) in turn. Answers are counted by status: 200, 404,
 * 429 (refused by the rate limit) and anything else; a connection the
 * server closes is opened again.
 *
 * Standalone (libc only). Loopback targets only: it is a local benchmark. */
#include <strings.h>
#include <sys/epoll.h>

#include "loadgen.h"

#define MAX_CONC 4096
#define ANSWER_MAX (256 * 1024)

struct conn {
    int fd;
    long seq; /* which source it came from */
    int64_t started_us;
    char req[512];
    size_t reqlen, sent;
    char *buf; /* the answer so far */
    size_t got;
    long need; /* header + body length once the header is read; -1 before */
    int status;
};

struct opts {
    struct lg_opts g;
    const char *path;
    const char *auth; /* an Authorization header value, or NULL */
};

static int open_conn(const struct opts *o, struct conn *c, int ep)
{
    c->fd = lg_connect(o->g.host, o->g.port, c->seq, o->g.sources);
    if (c->fd < 0)
        return -1;
    struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    return 0;
}

static void close_conn(struct conn *c, int ep)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
}

/* The next request on c (its connection open). */
static void start_request(const struct opts *o, struct conn *c, int ep)
{
    char path[300];
    lg_draw(o->path, o->g.range, path, sizeof path);
    c->reqlen = (size_t)snprintf(c->req, sizeof c->req,
                                 "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: application/rdap+json"
                                 "\r\n%s%s%s\r\n",
                                 path, o->g.host, o->auth ? "Authorization: " : "",
                                 o->auth ? o->auth : "", o->auth ? "\r\n" : "");
    c->sent = c->got = 0;
    c->need = -1;
    c->status = 0;
    c->started_us = lg_now_us();
    struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Reads the status line and Content-Length once the header is in. */
static bool parse_head(struct conn *c)
{
    c->buf[c->got] = '\0';
    char *end = strstr(c->buf, "\r\n\r\n");
    if (!end)
        return c->got < ANSWER_MAX - 1;
    if (sscanf(c->buf, "HTTP/1.%*d %d", &c->status) != 1)
        return false;
    long length = 0;
    for (char *line = strstr(c->buf, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n"))
        if (!strncasecmp(line + 2, "Content-Length:", 15))
            length = atol(line + 17);
    c->need = (long)(end + 4 - c->buf) + length;
    return c->need < ANSWER_MAX;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: rdapbench [--host 127.0.0.1] --port P [--path PATTERN] [--range N]\n"
            "                 [--concurrency C] [--duration S] [--count N] [--sources N]\n"
            "                 [--auth HEADER-VALUE] [--label TEXT]\n");
}

int main(int argc, char **argv)
{
    struct opts o = {.g = {.host = "127.0.0.1", .port = 8080, .range = 1000000, .conc = 32,
                           .duration = 10, .count = 100000000, .sources = 16, .label = ""},
                     .path = "/rdap/domain/d%d.dk"};
    static const struct option lopts[] = {
        LG_OPTIONS,
        {"path", required_argument, 0, 'P'},
        {"auth", required_argument, 0, 'a'},
        {0, 0, 0, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
        if (opt == 'P')
            o.path = optarg;
        else if (opt == 'a')
            o.auth = optarg;
        else if (!lg_option(&o.g, opt, optarg)) {
            usage();
            return 2;
        }
    }
    if (!lg_opts_ok(&o.g, "rdapbench", MAX_CONC) || strlen(o.path) > 200 ||
        (o.auth && strlen(o.auth) > 200)) {
        usage();
        return 2;
    }
    struct conn *conns = calloc((size_t)o.g.conc, sizeof *conns);
    size_t cap = (size_t)(o.g.count < 50000000 ? o.g.count : 50000000);
    int64_t *lat = malloc(cap * sizeof *lat);
    int ep = epoll_create1(0);
    if (!conns || !lat || ep < 0) {
        fprintf(stderr, "rdapbench: out of memory\n");
        return 1;
    }
    long started = 0, done = 0, ok = 0, missing = 0, refused = 0, other = 0, failed = 0;
    int64_t t0 = lg_now_us(), end = t0 + (int64_t)(o.g.duration * 1e6);
    int active = 0;
    for (int i = 0; i < o.g.conc && started < o.g.count; i++) {
        struct conn *c = &conns[i];
        c->seq = i;
        c->buf = malloc(ANSWER_MAX);
        if (!c->buf || open_conn(&o, c, ep)) {
            failed++;
            continue;
        }
        start_request(&o, c, ep);
        started++;
        active++;
    }
    struct epoll_event evs[256];
    while (active > 0) {
        int n = epoll_wait(ep, evs, 256, 1000);
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            bool complete = false, lost = false;
            if (c->sent < c->reqlen && (evs[i].events & EPOLLOUT)) {
                ssize_t w = send(c->fd, c->req + c->sent, c->reqlen - c->sent, MSG_NOSIGNAL);
                if (w > 0) {
                    c->sent += (size_t)w;
                    if (c->sent == c->reqlen) {
                        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
                        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                    }
                } else if (w < 0 && errno != EAGAIN) {
                    lost = true;
                }
            }
            if (!lost && (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
                for (;;) {
                    ssize_t r = recv(c->fd, c->buf + c->got, ANSWER_MAX - 1 - c->got, 0);
                    if (r > 0) {
                        c->got += (size_t)r;
                        if (c->need < 0 && !parse_head(c)) {
                            lost = true;
                            break;
                        }
                        if (c->need >= 0 && (long)c->got >= c->need) {
                            complete = true;
                            break;
                        }
                        continue;
                    }
                    if (r == 0 || errno != EAGAIN)
                        lost = true;
                    break;
                }
            }
            if (complete) {
                int64_t t = lg_now_us();
                if (c->status == 200) {
                    ok++;
                    if ((size_t)done < cap)
                        lat[done++] = t - c->started_us;
                } else if (c->status == 404) {
                    missing++;
                } else if (c->status == 429) {
                    refused++;
                } else {
                    other++;
                }
                if (t < end && started < o.g.count) {
                    start_request(&o, c, ep);
                    started++;
                } else {
                    close_conn(c, ep);
                    active--;
                }
            } else if (lost) {
                /* the server closed it (idle timeout, a refusal): the request
                 * in flight is lost, the connection opened again */
                close_conn(c, ep);
                failed += c->sent > 0;
                if (lg_now_us() < end && started < o.g.count && !open_conn(&o, c, ep)) {
                    start_request(&o, c, ep);
                    started++;
                } else {
                    active--;
                }
            }
        }
        if (lg_now_us() > end + 10 * 1000000LL) /* answers that never come */
            break;
    }
    double secs = (double)(lg_now_us() - t0) / 1e6;
    double p50, p99;
    lg_percentiles(lat, done, &p50, &p99);
    long answers = ok + missing + refused + other;
    printf("%s%s%ld answers in %.2f s: %.0f requests/s, p50 %.3f ms, p99 %.3f ms of the 200s "
           "(200: %ld, 404: %ld, 429: %ld, other: %ld, failed %ld; %d connections)\n",
           o.g.label, *o.g.label ? ": " : "", answers, secs, (double)answers / secs, p50, p99, ok,
           missing, refused, other, failed, o.g.conc);
    for (int i = 0; i < o.g.conc; i++)
        free(conns[i].buf);
    free(lat);
    free(conns);
    close(ep);
    return failed > answers / 100 ? 1 : 0;
}
