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
#include <getopt.h>
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
    const char *host;
    int port;
    const char *names;
    long range;
    int conc;
    double duration;
    long count;
    int sources;
    bool json;
    const char *label;
};

static int start_query(const struct opts *o, struct slot *s, int ep, long seq)
{
    int fd = lg_connect(o->host, o->port, seq, o->sources);
    if (fd < 0)
        return -1;
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->started_us = lg_now_us();
    lg_draw(o->names, o->range, s->query, sizeof s->query - 2);
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
    struct opts o = {.host = "127.0.0.1", .port = 4343, .names = "d%d.dk", .range = 1000000,
                     .conc = 64, .duration = 10, .count = 10000000, .sources = 16, .label = ""};
    static const struct option lopts[] = {
        {"host", required_argument, 0, 'h'},     {"port", required_argument, 0, 'p'},
        {"names", required_argument, 0, 'n'},    {"range", required_argument, 0, 'r'},
        {"concurrency", required_argument, 0, 'c'}, {"duration", required_argument, 0, 'd'},
        {"count", required_argument, 0, 'N'},    {"sources", required_argument, 0, 's'},
        {"label", required_argument, 0, 'l'},    {"json", no_argument, 0, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
        switch (c) {
        case 'h': o.host = optarg; break;
        case 'p': o.port = atoi(optarg); break;
        case 'n': o.names = optarg; break;
        case 'r': o.range = atol(optarg); break;
        case 'c': o.conc = atoi(optarg); break;
        case 'd': o.duration = atof(optarg); break;
        case 'N': o.count = atol(optarg); break;
        case 's': o.sources = atoi(optarg); break;
        case 'l': o.label = optarg; break;
        case 'j': o.json = true; break;
        default: usage(); return 2;
        }
    }
    if (!lg_loopback(o.host)) {
        fprintf(stderr, "whoisbench: --host must be a loopback IPv4 address (127.x.y.z)\n");
        return 2;
    }
    if (o.conc < 1 || o.conc > MAX_CONC || o.range < 1 || o.sources < 1 || o.sources > 250 ||
        o.duration <= 0 || o.duration > 600 || o.count < 1) {
        usage();
        return 2;
    }
    struct slot *slots = calloc((size_t)o.conc, sizeof *slots);
    size_t cap = (size_t)(o.count < 20000000 ? o.count : 20000000);
    int64_t *lat = malloc(cap * sizeof *lat);
    int ep = epoll_create1(0);
    if (!slots || !lat || ep < 0) {
        fprintf(stderr, "whoisbench: out of memory\n");
        return 1;
    }
    long started = 0, done = 0, refused = 0, misses = 0, failed = 0;
    int64_t t0 = lg_now_us(), end = t0 + (int64_t)(o.duration * 1e6);
    int active = 0;
    for (int i = 0; i < o.conc && started < o.count; i++) {
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
            if (t < end && started < o.count) {
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
               o.label, done, secs, rate, p50, p99, misses, refused, failed, o.conc);
    else
        printf("%s%s%ld answers in %.2f s: %.0f queries/s, p50 %.3f ms, p99 %.3f ms "
               "(no match %ld, refused %ld, failed %ld; %d in flight)\n",
               o.label, *o.label ? ": " : "", done, secs, rate, p50, p99, misses, refused, failed,
               o.conc);
    free(lat);
    free(slots);
    close(ep);
    return failed > done / 100 ? 1 : 0;
}
