/* A real DNS primary for tests: Knot DNS (Debian's knotd) on a free
 * loopback port, serving one zone that takes TSIG-signed dynamic updates
 * and transfers, from a zone file holding only its SOA and NS. */
#ifndef REG_TEST_KNOTD_H
#define REG_TEST_KNOTD_H

#include <stdbool.h>
#include <sys/types.h>

#define KNOTD_KEY_NAME "registry-update"
/* 32 bytes, base64 */
#define KNOTD_KEY_SECRET "q2Fm6T6vQm3rJtX0yS3dHk1bVd5Q3zGmV7nq1n0a2Zs="

struct knotd {
    char dir[512];
    char address[64]; /* 127.0.0.1:PORT */
    int port;
    pid_t pid;
    char zone[64];
    char algorithm[32];
    char secret[128];
};

/* Starts knotd for `zone` ("dk") with the key KNOTD_KEY_NAME of
 * `algorithm` and `secret` (NULL: hmac-sha256, KNOTD_KEY_SECRET); fails
 * the test when it does not answer within 10 s. */
void knotd_start(struct knotd *k, const char *zone, const char *algorithm, const char *secret);
/* Stops it (SIGKILL when `kill`, else SIGTERM), keeping its files: a
 * start again serves what it had (its journal). */
void knotd_stop(struct knotd *k, bool kill);
/* Starts the stopped server again on the same port. */
void knotd_restart(struct knotd *k);
/* Stops it and removes its files. */
void knotd_cleanup(struct knotd *k);

#endif
