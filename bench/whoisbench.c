/* whoisbench: a WHOIS load generator (issue 15, DESIGN §10). Keeps
 * --concurrency queries in flight over loopback, each on a connection of
 * its own as RFC 3912 has it (connect, send one line, read to EOF), for
 * --duration seconds or --count queries, whichever ends first, and prints
 * queries per second with p50 and p99 latency (connect to EOF).
 *
 *   whoisbench --port 4343 --names 'd%d.dk' --range 1000000 --duration 10
 *
 * Names: --names is a printf pattern with one %d, drawn uniformly from
 * 1..--range (a fixed pseudo-random sequence), or a plain name asked every
 * time. Sources: connections come from 127.0.0.1 .. 127.0.0.N (--sources)
 * in turn, so the four-tuples of a million short connections do not run out
 * on one address. An answer that is one "Error:" line counts as refused,
 * one with `No match` as a miss; both are reported.
 *
 * Standalone (libc only). Loopback targets only: it is a local benchmark. */
#include <sys/epoll.h>

#include "loadgen.h"

#define MAX_CONC 4096
#define ANSWER_MAX 65536

struct slot {
    int fd;
    int64_t started_us;
    char query[300];
    size_t qlen, qsent;
    char head[16];
    size_t got, headlen;
};

struct opts {
    struct lg_opts g;
    const char *names;
    bool json;
};

static int start_query(const struct opts *o, struct slot *s, int ep, long seq)
{
    int fd = lg_connect(o->g.host, o->g.port, seq, o->g.sources);
    if (fd < 0)
        return -1;
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->started_us = lg_now_us();
    lg_draw(o->names, o->g.range, s->query, sizeof s->query - 2);
    strcat(s->query, "\r\n");
    s->qlen = strlen(s->query);
    struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP, .data.ptr = s};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: whoisbench [--host 127.0.0.1] --port P [--names PATTERN] [--range N]\n"
            "                  [--concurrency C] [--duration S] [--count N] [--sources N]\n"
            "                  [--label TEXT] [--json]\n");
}

int main(int argc, char **argv)
{
    struct opts o = {.g = {.host = "127.0.0.1", .port = 4343, .range = 1000000, .conc = 64,
                           .duration = 10, .count = 10000000, .sources = 16, .label = ""},
                     .names = "d%d.dk"};
    static const struct option lopts[] = {
        LG_OPTIONS,
        {"names", required_argument, 0, 'n'},
        {"json", no_argument, 0, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
        if (c == 'n')
            o.names = optarg;
        else if (c == 'j')
            o.json = true;
        else if (!lg_option(&o.g, c, optarg)) {
            usage();
            return 2;
        }
    }
    if (!lg_opts_ok(&o.g, "whoisbench", MAX_CONC)) {
        usage();
        return 2;
    }
    struct slot *slots = calloc((size_t)o.g.conc, sizeof *slots);
    size_t cap = (size_t)(o.g.count < 20000000 ? o.g.count : 20000000);
    int64_t *lat = malloc(cap * sizeof *lat);
    int ep = epoll_create1(0);
    if (!slots || !lat || ep < 0) {
        fprintf(stderr, "whoisbench: out of memory\n");
        return 1;
    }
    long started = 0, done = 0, refused = 0, misses = 0, failed = 0;
    int64_t t0 = lg_now_us(), end = t0 + (int64_t)(o.g.duration * 1e6);
    int active = 0;
    for (int i = 0; i < o.g.conc && started < o.g.count; i++) {
        if (start_query(&o, &slots[i], ep, started++) == 0)
            active++;
        else
            failed++;
    }
    struct epoll_event evs[256];
    char buf[ANSWER_MAX];
    while (active > 0) {
        int n = epoll_wait(ep, evs, 256, 1000);
        for (int i = 0; i < n; i++) {
            struct slot *s = evs[i].data.ptr;
            bool finished = false, bad = false;
            if (s->qsent < s->qlen && (evs[i].events & EPOLLOUT)) {
                ssize_t w = send(s->fd, s->query + s->qsent, s->qlen - s->qsent, MSG_NOSIGNAL);
                if (w > 0) {
                    s->qsent += (size_t)w;
                    if (s->qsent == s->qlen) {
                        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = s};
                        epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
                    }
                } else if (w < 0 && errno != EAGAIN) {
                    bad = true;
                }
            }
            if (!bad && (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
                for (;;) {
                    ssize_t r = recv(s->fd, buf, sizeof buf, 0);
                    if (r > 0) {
                        /* the first bytes say what kind of answer it is */
                        size_t take = sizeof s->head - 1 - s->headlen;
                        if (take > (size_t)r)
                            take = (size_t)r;
                        memcpy(s->head + s->headlen, buf, take);
                        s->headlen += take;
                        if (s->got == 0) { /* a no-match answer is one short read */
                            buf[r < (ssize_t)sizeof buf ? r : (ssize_t)sizeof buf - 1] = '\0';
                            if (strstr(buf, "No match for"))
                                misses++;
                        }
                        s->got += (size_t)r;
                        continue;
                    }
                    if (r == 0)
                        finished = true;
                    else if (errno != EAGAIN)
                        bad = true;
                    break;
                }
            }
            if (!finished && !bad)
                continue;
            int64_t t = lg_now_us();
            if (finished && s->got) {
                if (!strncmp(s->head, "Error:", 6))
                    refused++;
                else if ((size_t)done < cap)
                    lat[done++] = t - s->started_us;
            } else {
                failed++;
            }
            epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
            close(s->fd);
            active--;
            if (t < end && started < o.g.count) {
                if (start_query(&o, s, ep, started++) == 0)
                    active++;
                else
                    failed++;
            }
        }
        if (lg_now_us() > end + 10 * 1000000LL) /* answers that never come */
            break;
    }
    double secs = (double)(lg_now_us() - t0) / 1e6;
    double p50, p99;
    lg_percentiles(lat, done, &p50, &p99);
    double rate = (double)done / secs;
    if (o.json)
        printf("{\"label\":\"%s\",\"answers\":%ld,\"seconds\":%.2f,\"qps\":%.0f,\"p50_ms\":%.3f,"
               "\"p99_ms\":%.3f,\"no_match\":%ld,\"refused\":%ld,\"failed\":%ld,"
               "\"concurrency\":%d}\n",
               o.g.label, done, secs, rate, p50, p99, misses, refused, failed, o.g.conc);
    else
        printf("%s%s%ld answers in %.2f s: %.0f queries/s, p50 %.3f ms, p99 %.3f ms "
               "(no match %ld, refused %ld, failed %ld; %d in flight)\n",
               o.g.label, *o.g.label ? ": " : "", done, secs, rate, p50, p99, misses, refused, failed,
               o.g.conc);
    free(lat);
    free(slots);
    close(ep);
    return failed > done / 100 ? 1 : 0;
}
