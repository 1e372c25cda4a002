/* What the lookup load generators share (bench/whoisbench.c,
 * bench/rdapbench.c): a monotonic clock, a fixed pseudo-random sequence,
 * names drawn from a pattern, non-blocking loopback connections from
 * rotating source addresses, and the latency percentiles. Header only
 * (each tool is one file, libc only). */
#ifndef REG_BENCH_LOADGEN_H
#define REG_BENCH_LOADGEN_H

#include <arpa/inet.h>
#include <errno.h>
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

/* Only loopback targets: these are local benchmarks. */
static inline bool lg_loopback(const char *host)
{
    struct in_addr a;
    return inet_pton(AF_INET, host, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
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
