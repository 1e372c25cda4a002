/* What the lookup load generators share (bench/whoisbench.c,
 * bench/rdapbench.c): a monotonic clock, a fixed pseudo-random sequence,
 * names drawn from a pattern, non-blocking loopback connections from
 * rotating source addresses, the latency percentiles, and the options
 * they have in common with their bounds. Header only (each tool is one
 * file, libc only). */
#ifndef REG_BENCH_LOADGEN_H
#define REG_BENCH_LOADGEN_H

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The options both tools take. */
struct lg_opts {
    const char *host;
    int port;
    long range; /* names drawn from 1..range */
    int conc;   /* requests in flight */
    double duration;
    long count; /* at most this many requests */
    int sources;
    const char *label;
};

/* getopt_long's entries for struct lg_opts */
#define LG_OPTIONS                                                                         \
    {"host", required_argument, 0, 'h'}, {"port", required_argument, 0, 'p'},             \
    {"range", required_argument, 0, 'r'}, {"concurrency", required_argument, 0, 'c'},     \
    {"duration", required_argument, 0, 'd'}, {"count", required_argument, 0, 'N'},        \
    {"sources", required_argument, 0, 's'}, {"label", required_argument, 0, 'l'}

/* Option opt (getopt_long's answer) with its argument into o; false when
 * it is none of LG_OPTIONS. */
static inline bool lg_option(struct lg_opts *o, int opt, const char *arg)
{
    switch (opt) {
    case 'h': o->host = arg; return true;
    case 'p': o->port = atoi(arg); return true;
    case 'r': o->range = atol(arg); return true;
    case 'c': o->conc = atoi(arg); return true;
    case 'd': o->duration = atof(arg); return true;
    case 'N': o->count = atol(arg); return true;
    case 's': o->sources = atoi(arg); return true;
    case 'l': o->label = arg; return true;
    default: return false;
    }
}

/* Only loopback targets: these are local benchmarks. */
static inline bool lg_loopback(const char *host)
{
    struct in_addr a;
    return inet_pton(AF_INET, host, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

/* The options within bounds, and a loopback host (which `tool` says
 * when it is not). */
static inline bool lg_opts_ok(const struct lg_opts *o, const char *tool, int max_conc)
{
    if (!lg_loopback(o->host)) {
        fprintf(stderr, "%s: --host must be a loopback IPv4 address (127.x.y.z)\n", tool);
        return false;
    }
    return o->conc >= 1 && o->conc <= max_conc && o->range >= 1 && o->sources >= 1 &&
           o->sources <= 250 && o->duration > 0 && o->duration <= 600 && o->count >= 1;
}

static inline int64_t lg_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* xorshift64: the same sequence every run */
static inline uint64_t lg_rand(void)
{
    static uint64_t rng = 0x9e3779b97f4a7c15ull;
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* `pattern` with its one "%d" replaced by a number drawn from 1..range, or
 * the pattern itself when it has none. */
static inline void lg_draw(const char *pattern, long range, char *out, size_t n)
{
    const char *d = strstr(pattern, "%d");
    if (d)
        snprintf(out, n, "%.*s%d%s", (int)(d - pattern), pattern,
                 (int)(1 + lg_rand() % (uint64_t)range), d + 2);
    else
        snprintf(out, n, "%s", pattern);
}


/* A non-blocking connection (TCP_NODELAY) to host:port from
 * 127.0.0.(1 + seq % sources); the descriptor, or -1. */
static inline int lg_connect(const char *host, int port, long seq, int sources)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in src = {.sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(seq % sources))};
    if (sources > 1) {
        setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&src, sizeof src)) {
            close(fd);
            return -1;
        }
    }
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, host, &dst.sin_addr);
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst) && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

static inline int lg_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts the n latencies (µs) and gives p50 and p99 in milliseconds. */
static inline void lg_percentiles(int64_t *lat, long n, double *p50, double *p99)
{
    qsort(lat, (size_t)n, sizeof *lat, lg_cmp_i64);
    *p50 = n ? (double)lat[n / 2] / 1000 : 0;
    *p99 = n ? (double)lat[(size_t)((double)n * 0.99)] / 1000 : 0;
}

#endif
