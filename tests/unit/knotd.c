#include "knotd.h"

#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static bool answers(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void spawn(struct knotd *k)
{
    char conf[600], log[600];
    snprintf(conf, sizeof conf, "%s/knot.conf", k->dir);
    snprintf(log, sizeof log, "%s/knotd.log", k->dir);
    k->pid = fork();
    assert_true(k->pid >= 0);
    if (!k->pid) {
        /* it dies with the test, even one that fails half-way, and keeps
         * its output out of the test's */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (!freopen(log, "a", stderr) || !freopen("/dev/null", "w", stdout))
            _exit(127);
        execlp("knotd", "knotd", "-c", conf, (char *)NULL);
        _exit(127);
    }
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 500; i++) {
        if (answers(k->port))
            return;
        int status;
        if (waitpid(k->pid, &status, WNOHANG) == k->pid) {
            k->pid = 0;
            fail_msg("knotd exited at start (see %s)", log);
        }
        nanosleep(&pause, NULL);
    }
    fail_msg("knotd does not answer on port %d (see %s)", k->port, log);
}

void knotd_start(struct knotd *k, const char *zone, const char *algorithm, const char *secret)
{
    memset(k, 0, sizeof *k);
    snprintf(k->dir, sizeof k->dir, "%s/knotd-%d-%ld", test_tmpdir(), (int)getpid(),
             (long)time(NULL) ^ (long)random());
    snprintf(k->zone, sizeof k->zone, "%s", zone);
    snprintf(k->algorithm, sizeof k->algorithm, "%s", algorithm ? algorithm : "hmac-sha256");
    snprintf(k->secret, sizeof k->secret, "%s", secret ? secret : KNOTD_KEY_SECRET);
    k->port = free_port();
    snprintf(k->address, sizeof k->address, "127.0.0.1:%d", k->port);
    char path[700], text[4096];
    assert_int_equal(mkdir(k->dir, 0700), 0);
    snprintf(text, sizeof text,
             "$ORIGIN %s.\n$TTL 3600\n"
             "@ SOA ns1.nic.%s. hostmaster.nic.%s. 1 3600 900 1209600 300\n"
             "@ NS ns1.nic.%s.\n",
             zone, zone, zone, zone);
    snprintf(path, sizeof path, "%s/%s.zone", k->dir, zone);
    write_file(path, text);
    /* the journal keeps every update across restarts; the zone file is
     * never rewritten, as registryd's is the primary's operator's */
    snprintf(text, sizeof text,
             "server:\n  rundir: %s\n  listen: 127.0.0.1@%d\n"
             "log:\n  - target: stderr\n    any: info\n"
             "database:\n  storage: %s\n"
             "key:\n  - id: %s\n    algorithm: %s\n    secret: %s\n"
             "acl:\n  - id: registry\n    key: %s\n    action: [update, transfer]\n"
             "template:\n  - id: default\n    storage: %s\n    zonefile-sync: -1\n"
             "    zonefile-load: difference-no-serial\n    journal-content: all\n"
             "    serial-policy: unixtime\n"
             "zone:\n  - domain: %s\n    file: %s.zone\n    acl: registry\n",
             k->dir, k->port, k->dir, KNOTD_KEY_NAME, k->algorithm, k->secret, KNOTD_KEY_NAME,
             k->dir, zone, zone);
    snprintf(path, sizeof path, "%s/knot.conf", k->dir);
    write_file(path, text);
    spawn(k);
}

void knotd_stop(struct knotd *k, bool kill_it)
{
    if (!k->pid)
        return;
    kill(k->pid, kill_it ? SIGKILL : SIGTERM);
    int status;
    while (waitpid(k->pid, &status, 0) < 0 && errno == EINTR)
        ;
    k->pid = 0;
}

void knotd_restart(struct knotd *k)
{
    assert_int_equal(k->pid, 0);
    spawn(k);
}

void knotd_cleanup(struct knotd *k)
{
    knotd_stop(k, false);
    if (!k->dir[0] || getenv("REG_TEST_KEEP"))
        return;
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", k->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", k->dir);
}
