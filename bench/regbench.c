/* regbench: load generator for registryd's EPP service (DESIGN §10).
 * N parallel TLS sessions each log in; once every one of them is logged in
 * (the clock starts then: logins are not in the figures) they send
 * commands from a mix until the count or duration is reached, as fast as
 * answered or paced to --rate; prints throughput, latency percentiles and
 * every result code (and JSON with --json). Command templates live in the
 * table below; @T@ is replaced by a per-command unique token. */
#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define EPP_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?><epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">"

struct op {
    const char *name;
    const char *xml; /* @T@: unique token */
};

#define DOMAIN_NS "xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\""
static const struct op ops[] = {
    {"hello", EPP_HEAD "<hello/></epp>"},
    {"poll", EPP_HEAD "<command><poll op=\"req\"/><clTRID>B-@T@</clTRID></command></epp>"},
    {"check", EPP_HEAD "<command><check><domain:check " DOMAIN_NS "><domain:name>bench-@T@.dk"
              "</domain:name></domain:check></check><clTRID>B-@T@</clTRID></command></epp>"},
    {"info", EPP_HEAD "<command><info><domain:info " DOMAIN_NS "><domain:name>@I@</domain:name>"
             "</domain:info></info><clTRID>B-@T@</clTRID></command></epp>"},
    {"create", EPP_HEAD "<command><create><domain:create " DOMAIN_NS "><domain:name>bench-@T@.dk"
               "</domain:name><domain:registrant>@R@</domain:registrant><domain:authInfo>"
               "<domain:pw>Bench-@T@</domain:pw></domain:authInfo></domain:create></create>"
               /* R20: the registrant's acceptance of the registry's terms */
               "<extension><regd:create xmlns:regd=\"https://registryd.org/epp/domain-ext-1.0\">"
               "<regd:terms version=\"@V@\" accepted=\"2025-01-01T00:00:00Z\"/></regd:create>"
               "</extension><clTRID>B-@T@</clTRID></command></epp>"},
    {"update", EPP_HEAD "<command><update><domain:update " DOMAIN_NS "><domain:name>@D@"
               "</domain:name><domain:chg><domain:authInfo><domain:pw>Upd-@T@</domain:pw>"
               "</domain:authInfo></domain:chg></domain:update></update><clTRID>B-@T@</clTRID>"
               "</command></epp>"},
};
#define NOPS (sizeof ops / sizeof ops[0])

struct config {
    const char *host, *port, *clid, *pw, *registrant;
    const char *terms_version; /* R20: the server's [terms] version */
    int sessions;
    long count;      /* commands in total */
    double duration; /* or seconds */
    int mix[NOPS];   /* weights */
    bool json;
    double rate;       /* commands a second in all (0: as fast as answered) */
    const char *names; /* info's targets: "load%d.dk", %d drawn from 1..range */
    long range;
};

#define CODE_MAX 2600 /* result codes are 1000 … 2502 */

struct result {
    int index; /* the session's number: keeps its names apart from every other's */
    long done, errors;
    int64_t *lat_us;
    long nlat, caplat;
    long codes[6];         /* 1xxx, 2xxx … by first digit */
    long code[CODE_MAX];   /* by result code */
};

static struct config cfg = {.host = "127.0.0.1", .port = "7000", .sessions = 10, .count = 10000};
static atomic_long issued;
static unsigned run_id; /* keeps names of different runs apart */
static struct timespec t_start;
/* every session waits at `ready` once logged in (or failed); the main
 * thread then starts the clock and lets them go at `go` */
static pthread_barrier_t ready, go;
static atomic_int logged_in;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static bool read_all(SSL *ssl, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        int r = SSL_read(ssl, (char *)buf + got, (int)(n - got));
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

/* Reads one frame; returns the result code (0 for a greeting, -1 on error). */
static int read_frame(SSL *ssl, char **out)
{
    unsigned char hdr[4];
    if (!read_all(ssl, hdr, 4))
        return -1;
    uint32_t total = (uint32_t)hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 | hdr[3];
    if (total < 5 || total > (1u << 24))
        return -1;
    char *buf = malloc(total - 3);
    if (!buf || !read_all(ssl, buf, total - 4)) {
        free(buf);
        return -1;
    }
    buf[total - 4] = '\0';
    const char *c = strstr(buf, "code=\"");
    int code = c ? atoi(c + 6) : 0;
    if (out)
        *out = buf;
    else
        free(buf);
    return code;
}

static bool send_frame(SSL *ssl, const char *xml)
{
    size_t n = strlen(xml);
    unsigned char *buf = malloc(n + 4);
    uint32_t total = (uint32_t)n + 4;
    buf[0] = (unsigned char)(total >> 24);
    buf[1] = (unsigned char)(total >> 16);
    buf[2] = (unsigned char)(total >> 8);
    buf[3] = (unsigned char)total;
    memcpy(buf + 4, xml, n);
    bool ok = SSL_write(ssl, buf, (int)n + 4) == (int)n + 4;
    free(buf);
    return ok;
}

static SSL *connect_session(SSL_CTX *ctx)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res;
    if (getaddrinfo(cfg.host, cfg.port, &hints, &res))
        return NULL;
    int fd = socket(res->ai_family, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen)) {
        freeaddrinfo(res);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    freeaddrinfo(res);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) != 1 || read_frame(ssl, NULL) != 0) {
        SSL_free(ssl);
        close(fd);
        return NULL;
    }
    char login[1024];
    snprintf(login, sizeof login,
             EPP_HEAD "<command><login><clID>%s</clID><pw>%s</pw><options><version>1.0</version>"
                      "<lang>en</lang></options><svcs><objURI>urn:ietf:params:xml:ns:domain-1.0"
                      "</objURI><svcExtension><extURI>https://registryd.org/epp/domain-ext-1.0</extURI>"
                      "</svcExtension></svcs></login><clTRID>B-login</clTRID></command></epp>",
             cfg.clid, cfg.pw);
    if (!send_frame(ssl, login) || read_frame(ssl, NULL) != 1000) {
        fprintf(stderr, "regbench: login as %s failed\n", cfg.clid);
        SSL_free(ssl);
        close(fd);
        return NULL;
    }
    return ssl;
}

static void fill(const char *tmpl, const char *token, const char *domain, const char *target,
                 char *out, size_t n);

/* One of --names drawn at random: its %d a number from 1 … --range. */
static void draw_name(unsigned *seed, char *out, size_t n)
{
    const char *d = strstr(cfg.names, "%d");
    long k = 1 + (long)(((uint64_t)rand_r(seed) << 31 ^ (uint64_t)rand_r(seed)) %
                        (uint64_t)cfg.range);
    snprintf(out, n, "%.*s%ld%s", (int)(d - cfg.names), cfg.names, k, d + 2);
}

static const struct op *pick(unsigned *seed)
{
    int total = 0;
    for (size_t i = 0; i < NOPS; i++)
        total += cfg.mix[i];
    int r = (int)(rand_r(seed) % (unsigned)total);
    for (size_t i = 0; i < NOPS; i++) {
        if (r < cfg.mix[i])
            return &ops[i];
        r -= cfg.mix[i];
    }
    return &ops[0];
}

static bool more_work_now(void)
{
    return cfg.duration <= 0 ||
           now_s() - ((double)t_start.tv_sec + t_start.tv_nsec / 1e9) < cfg.duration;
}

static bool more_work(void)
{
    if (cfg.duration > 0)
        return more_work_now();
    return atomic_fetch_add(&issued, 1) < cfg.count;
}

static void *session_main(void *arg)
{
    struct result *r = arg;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *ssl = connect_session(ctx);
    /* picks the mix and info's targets */
    unsigned seed = run_id ^ (unsigned)r->index * 2654435761u;
    char xml[2048], token[48], domain[96] = "", target[96] = "";
    if (ssl && cfg.registrant) {
        /* the session's own domain, target of info and update */
        snprintf(token, sizeof token, "s%x-%d", run_id, r->index);
        snprintf(domain, sizeof domain, "bench-%s.dk", token);
        fill(ops[4].xml, token, domain, domain, xml, sizeof xml);
        int code = send_frame(ssl, xml) ? read_frame(ssl, NULL) : -1;
        if (code != 1000) {
            fprintf(stderr,
                    "regbench: cannot create %s: result %d (does registrant %s exist? is "
                    "--terms-version the server's? is the create priced and funded?)\n",
                    domain, code, cfg.registrant);
            close(SSL_get_fd(ssl));
            SSL_free(ssl);
            ssl = NULL;
        }
    }
    if (ssl)
        atomic_fetch_add(&logged_in, 1);
    pthread_barrier_wait(&ready);
    pthread_barrier_wait(&go);
    if (!ssl) {
        r->errors++;
        SSL_CTX_free(ctx);
        return NULL;
    }
    /* --rate: this session's share, its first command staggered among the others' */
    double interval = cfg.rate > 0 ? cfg.sessions / cfg.rate : 0;
    int64_t start_us = (int64_t)t_start.tv_sec * 1000000 + t_start.tv_nsec / 1000;
    int64_t due = start_us + (int64_t)(interval * 1e6 * r->index / cfg.sessions);
    while (more_work()) {
        const struct op *op = pick(&seed);
        snprintf(token, sizeof token, "%x-%d-%ld", run_id, r->index, r->done);
        if (cfg.names)
            draw_name(&seed, target, sizeof target);
        else
            snprintf(target, sizeof target, "%s", domain);
        fill(op->xml, token, domain, target, xml, sizeof xml);
        int64_t t0 = now_us();
        if (interval > 0) {
            /* paced: the latency counts from when the command was due, so
             * a server that falls behind shows in it (no coordinated
             * omission); a late command goes at once */
            if (due > t0) {
                struct timespec ts = {.tv_sec = (time_t)((due - t0) / 1000000),
                                      .tv_nsec = (long)((due - t0) % 1000000) * 1000};
                nanosleep(&ts, NULL);
            }
            t0 = due;
            due += (int64_t)(interval * 1e6);
            if (!more_work_now())
                break;
        }
        int code = send_frame(ssl, xml) ? read_frame(ssl, NULL) : -1;
        if (code < 0) {
            fprintf(stderr, "regbench: session %d: the server closed the connection after %ld "
                            "commands\n", r->index, r->done);
            r->errors++;
            break;
        }
        if (r->nlat == r->caplat) {
            r->caplat = r->caplat ? r->caplat * 2 : 4096;
            r->lat_us = realloc(r->lat_us, (size_t)r->caplat * sizeof *r->lat_us);
        }
        r->lat_us[r->nlat++] = now_us() - t0;
        r->codes[code / 1000 < 6 ? code / 1000 : 0]++;
        if (code < CODE_MAX)
            r->code[code]++;
        r->done++;
    }
    SSL_shutdown(ssl);
    close(SSL_get_fd(ssl));
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return NULL;
}

/* The template with @T@ (unique token), @D@ (the session's own domain),
 * @I@ (info's target: that domain, or one of --names), @R@ (the
 * registrant) and @V@ (the terms version) replaced. */
static void fill(const char *tmpl, const char *token, const char *domain, const char *target,
                 char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = tmpl; *p && o + 1 < n;) {
        const char *sub = !strncmp(p, "@T@", 3)   ? token
                          : !strncmp(p, "@D@", 3) ? domain
                          : !strncmp(p, "@I@", 3) ? target
                          : !strncmp(p, "@R@", 3) ? (cfg.registrant ? cfg.registrant : "")
                          : !strncmp(p, "@V@", 3) ? cfg.terms_version
                                                  : NULL;
        if (sub) {
            size_t sl = strlen(sub);
            if (o + sl + 1 >= n)
                break;
            memcpy(out + o, sub, sl);
            o += sl;
            p += 3;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int parse_mix(const char *s)
{
    memset(cfg.mix, 0, sizeof cfg.mix);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        int weight = colon ? atoi(colon + 1) : 1;
        if (colon)
            *colon = '\0';
        size_t i;
        for (i = 0; i < NOPS && strcmp(ops[i].name, tok); i++)
            ;
        if (i == NOPS || weight <= 0) {
            fprintf(stderr, "regbench: unknown command \"%s\" in --mix (hello, poll, check, info, "
                            "create, update)\n", tok);
            return -1;
        }
        cfg.mix[i] = weight;
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: regbench --clid ID --pw PW [--host H] [--port P] [--sessions N]\n"
               "                [--count N | --duration SECONDS] [--mix check:8,info:1,…]\n"
               "                [--registrant CONTACT-ID] [--terms-version V] [--json]\n"
               "                [--rate PER-SECOND] [--names PATTERN --range N]\n"
               "Commands: hello, poll, check, info, create, update (domain commands; info,\n"
               "create and update need --registrant: each session first creates its own\n"
               "domain, the target of info and update). Creates carry the registrant's\n"
               "acceptance of the registry's terms, version V (default 1.0, R20).\n"
               "--names load%%d.dk --range N: info asks for names drawn at random from\n"
               "load1.dk … loadN.dk instead (benchload's domains; no --registrant needed).\n"
               "--rate: the sessions together send that many commands a second, each\n"
               "latency counted from when its command was due. The clock starts once\n"
               "every session is logged in.\n");
}

int main(int argc, char **argv)
{
    /* a server that goes away mid-run is reported, not a silent death */
    signal(SIGPIPE, SIG_IGN);
    static const struct option opts[] = {
        {"host", required_argument, 0, 'H'}, {"port", required_argument, 0, 'p'},
        {"clid", required_argument, 0, 'c'}, {"pw", required_argument, 0, 'w'},
        {"sessions", required_argument, 0, 's'}, {"count", required_argument, 0, 'n'},
        {"duration", required_argument, 0, 'd'}, {"mix", required_argument, 0, 'm'},
        {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'},
        {"registrant", required_argument, 0, 'r'},
        {"terms-version", required_argument, 0, 'v'}, {"rate", required_argument, 0, 'R'},
        {"names", required_argument, 0, 'N'},         {"range", required_argument, 0, 'g'},
        {0, 0, 0, 0},
    };
    cfg.mix[0] = 1;
    cfg.terms_version = "1.0";
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'H': cfg.host = optarg; break;
        case 'p': cfg.port = optarg; break;
        case 'c': cfg.clid = optarg; break;
        case 'w': cfg.pw = optarg; break;
        case 's': cfg.sessions = atoi(optarg); break;
        case 'n': cfg.count = atol(optarg); break;
        case 'd': cfg.duration = atof(optarg); break;
        case 'm':
            if (parse_mix(optarg))
                return 2;
            break;
        case 'j': cfg.json = true; break;
        case 'r': cfg.registrant = optarg; break;
        case 'v': cfg.terms_version = optarg; break;
        case 'R': cfg.rate = atof(optarg); break;
        case 'N': cfg.names = optarg; break;
        case 'g': cfg.range = atol(optarg); break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!cfg.clid || !cfg.pw || cfg.sessions < 1 || cfg.sessions > 5000) {
        usage(stderr);
        return 2;
    }
    const char *pct = cfg.names ? strchr(cfg.names, '%') : NULL;
    if (cfg.names && (!pct || pct[1] != 'd' || strchr(pct + 1, '%') || cfg.range < 1 ||
                      strlen(cfg.names) > 60)) {
        fprintf(stderr, "regbench: --names needs one %%d (as load%%d.dk) and --range N >= 1\n");
        return 2;
    }
    if (((cfg.mix[3] && !cfg.names) || cfg.mix[4] || cfg.mix[5]) && !cfg.registrant) {
        fprintf(stderr, "regbench: info (without --names), create and update need "
                        "--registrant CONTACT-ID\n");
        return 2;
    }
    if (cfg.rate < 0) {
        usage(stderr);
        return 2;
    }
    struct result *res = calloc((size_t)cfg.sessions, sizeof *res);
    pthread_t *th = calloc((size_t)cfg.sessions, sizeof *th);
    run_id = (unsigned)time(NULL) ^ (unsigned)getpid() << 16;
    pthread_barrier_init(&ready, NULL, (unsigned)cfg.sessions + 1);
    pthread_barrier_init(&go, NULL, (unsigned)cfg.sessions + 1);
    /* a session needs little stack: a thousand of them stay small */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (int i = 0; i < cfg.sessions; i++) {
        res[i].index = i;
        if (pthread_create(&th[i], &attr, session_main, &res[i])) {
            fprintf(stderr, "regbench: cannot start session %d\n", i);
            return 1;
        }
    }
    pthread_attr_destroy(&attr);
    double t_login = now_s();
    pthread_barrier_wait(&ready);
    double login_s = now_s() - t_login;
    clock_gettime(CLOCK_MONOTONIC, &t_start);
    double t0 = now_s();
    pthread_barrier_wait(&go);
    for (int i = 0; i < cfg.sessions; i++)
        pthread_join(th[i], NULL);
    double elapsed = now_s() - t0;
    struct result all = {0};
    for (int i = 0; i < cfg.sessions; i++) {
        all.done += res[i].done;
        all.errors += res[i].errors;
        for (int k = 0; k < 6; k++)
            all.codes[k] += res[i].codes[k];
        for (int k = 0; k < CODE_MAX; k++)
            all.code[k] += res[i].code[k];
        all.nlat += res[i].nlat;
    }
    int64_t *lat = malloc(((size_t)all.nlat + 1) * sizeof *lat);
    long k = 0;
    for (int i = 0; i < cfg.sessions; i++) {
        if (res[i].nlat) /* a session with none may have no array at all */
            memcpy(lat + k, res[i].lat_us, (size_t)res[i].nlat * sizeof *lat);
        k += res[i].nlat;
        free(res[i].lat_us);
    }
    qsort(lat, (size_t)all.nlat, sizeof *lat, cmp64);
    double p50 = all.nlat ? lat[all.nlat / 2] / 1000.0 : 0;
    double p99 = all.nlat ? lat[(long)(all.nlat * 0.99)] / 1000.0 : 0;
    double rate = elapsed > 0 ? all.done / elapsed : 0;
    char mix[128] = "";
    for (size_t i = 0; i < NOPS; i++)
        if (cfg.mix[i])
            snprintf(mix + strlen(mix), sizeof mix - strlen(mix), "%s%s:%d", mix[0] ? "," : "",
                     ops[i].name, cfg.mix[i]);
    /* every result code seen, with its count: "1000:29465 2302:535" */
    char codes[512] = "";
    for (int rc = 0; rc < CODE_MAX; rc++)
        if (all.code[rc])
            snprintf(codes + strlen(codes), sizeof codes - strlen(codes),
                     cfg.json ? "%s\"%d\":%ld" : "%s%d:%ld", codes[0] ? (cfg.json ? "," : " ") : "",
                     rc, all.code[rc]);
    if (cfg.json)
        printf("{\"sessions\":%d,\"logged_in\":%d,\"login_seconds\":%.3f,\"mix\":\"%s\","
               "\"rate_asked\":%.1f,\"commands\":%ld,\"errors\":%ld,\"seconds\":%.3f,"
               "\"per_second\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"ok_1xxx\":%ld,"
               "\"fail_2xxx\":%ld,\"codes\":{%s}}\n",
               cfg.sessions, atomic_load(&logged_in), login_s, mix, cfg.rate, all.done,
               all.errors, elapsed, rate, p50, p99, all.codes[1], all.codes[2], codes);
    else
        printf("sessions %d (%d logged in, in %.2fs)  mix %s\n"
               "commands %ld in %.2fs = %.0f/s  p50 %.3f ms  p99 %.3f ms\n"
               "results: %ld 1xxx, %ld 2xxx (by code: %s); connection errors %ld\n",
               cfg.sessions, atomic_load(&logged_in), login_s, mix, all.done, elapsed, rate, p50,
               p99, all.codes[1], all.codes[2], codes, all.errors);
    free(lat);
    free(res);
    free(th);
    return all.errors ? 1 : 0;
}
