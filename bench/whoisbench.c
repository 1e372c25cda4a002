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
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

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
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in src = {.sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(seq % o->sources))};
    if (o->sources > 1) {
        setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&src, sizeof src)) {
            close(fd);
            return -1;
        }
    }
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    inet_pton(AF_INET, o->host, &dst.sin_addr);
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst) && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->started_us = now_us();
    const char *d = strstr(o->names, "%d");
    if (d)
        snprintf(s->query, sizeof s->query - 2, "%.*s%d%s", (int)(d - o->names), o->names,
                 (int)(1 + next_rand() % (uint64_t)o->range), d + 2);
    else
        snprintf(s->query, sizeof s->query - 2, "%s", o->names);
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
    struct in_addr probe;
    if (inet_pton(AF_INET, o.host, &probe) != 1 || (ntohl(probe.s_addr) >> 24) != 127) {
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
    int64_t t0 = now_us(), end = t0 + (int64_t)(o.duration * 1e6);
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
            int64_t t = now_us();
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
        if (now_us() > end + 10 * 1000000LL) /* answers that never come */
            break;
    }
    double secs = (double)(now_us() - t0) / 1e6;
    qsort(lat, (size_t)done, sizeof *lat, cmp_i64);
    double p50 = done ? (double)lat[done / 2] / 1000 : 0;
    double p99 = done ? (double)lat[(size_t)((double)done * 0.99)] / 1000 : 0;
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
