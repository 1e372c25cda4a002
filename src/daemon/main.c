/* registryd: the daemon (DESIGN §1). */
#include <event2/event.h>
#include <event2/thread.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contrib/log.h"
#include "contrib/manpage.h"
#include "contrib/metric_table.h"
#include "contrib/secret.h"
#include "contrib/strutil.h"
#include "conn_guard.h"
#include "daemon.h"
#include "epp_server.h"
#include "http_server.h"
#include "whois_server.h"
#include "rdds/jsonmem.h"
#include "registry/notices.h"
#include "registry/pepper.h"
#include "zone_publisher.h"
#include "store/db.h"

static const struct {
    const char *name;
    unsigned bit;
} service_names[] = {
    {"epp", SERVICE_EPP},
    {"whois", SERVICE_WHOIS},
    {"http", SERVICE_HTTP},
    {"jobs", SERVICE_JOBS},
};

/* The options, for --help and registryd(8) alike. */
static const struct {
    const char *name, *arg, *help;
} options[] = {
    {"config", "FILE", "settings file (INI, registryd.conf(5)); built-in defaults when absent"},
    {"only", "LIST", "run only these services, comma-separated: epp, whois, http, jobs"},
    {"version", NULL, "print the version and exit"},
    {"help", NULL, "this text"},
};
#define NOPTIONS (sizeof options / sizeof options[0])
static const char summary[] = "the registry daemon: EPP, WHOIS, HTTP and the job scheduler";
static const char example[] = "registryd --config /etc/registryd/registryd.conf --only epp,jobs";

static void usage(FILE *out)
{
    fprintf(out, "usage: registryd [--config FILE] [--only epp,whois,http,jobs]\n\n"
                 "Runs the registry: EPP, WHOIS, HTTP and the job scheduler.\n");
    for (size_t i = 0; i < NOPTIONS; i++) {
        char tag[32];
        snprintf(tag, sizeof tag, "--%s%s%s", options[i].name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        fprintf(out, "  %-14s %s\n", tag, options[i].help);
    }
    fprintf(out, "\nexample:\n  %s\n", example);
}

/* registryd(8) from the same table (--help-man, run by the build). */
static void man_page(FILE *out)
{
    man_header(out, "registryd", 8, REG_VERSION, summary);
    man_section(out, "SYNOPSIS");
    man_text(out, "registryd [--config FILE] [--only epp,whois,http,jobs]");
    man_section(out, "DESCRIPTION");
    man_text(out, "Runs the registry's services in the foreground: EPP over TLS for registrars, "
                  "WHOIS, HTTP (confirmation pages, portals) and the job scheduler. It applies "
                  "pending database migrations at start, prints one line per listening "
                  "service, then \"ready\". SIGTERM or SIGINT stops it; SIGHUP opens [log] "
                  "file again (after logrotate moved it). Several instances may "
                  "share one PostgreSQL database. regctl(8) is the staff command line; "
                  "registryd.conf(5) lists every setting.");
    man_section(out, "OPTIONS");
    for (size_t i = 0; i < NOPTIONS; i++) {
        char tag[32];
        snprintf(tag, sizeof tag, "--%s%s%s", options[i].name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        man_item(out, tag, options[i].help);
    }
    man_section(out, "EXAMPLE");
    man_text(out, example);
    man_section(out, "SEE ALSO");
    man_text(out, "regctl(8), registryd.conf(5)");
}

static int parse_only(const char *list, unsigned *out)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    *out = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        unsigned bit = 0;
        for (size_t i = 0; i < sizeof service_names / sizeof service_names[0]; i++)
            if (!strcmp(service_names[i].name, tok))
                bit = service_names[i].bit;
        if (!bit) {
            fprintf(stderr, "registryd: --only: unknown service \"%s\" (epp, whois, http, jobs)\n",
                    tok);
            return -1;
        }
        *out |= bit;
    }
    if (!*out) {
        fprintf(stderr, "registryd: --only: name at least one service\n");
        return -1;
    }
    return 0;
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    struct daemon *d = arg;
    reg_log(LOG_INFO, "daemon", NULL, "signal", "signal=%d action=shutdown", (int)sig);
    event_base_loopexit(d->base, NULL);
}

/* SIGHUP: logrotate moved [log] file away; write to a new one. */
static void on_hangup(evutil_socket_t sig, short what, void *arg)
{
    (void)sig;
    (void)what;
    const struct daemon *d = arg;
    char err[512], quoted[600];
    if (!*d->cfg.log_file)
        return; /* stderr: nothing to reopen */
    if (log_reopen(err, sizeof err))
        reg_log(LOG_ERROR, "daemon", NULL, "log-reopen-failed", "error=%s",
                log_quote(err, quoted, sizeof quoted));
    else
        reg_log(LOG_INFO, "daemon", NULL, "log-reopened", NULL);
}

/* Connections must never take the last file descriptors: the caps of the
 * services that run are lowered to fit below the limit, less a reserve for
 * everything else (each worker's database connection, with SQLite's WAL
 * and shared-memory files, the HTTP loops' and the scheduler's, the EPP
 * loop's, the EPP workers' shared writer's, the EPP log writer's and the checkpointer's, mail and SMS
 * delivery, the loops' own descriptors). */
static void fit_connection_caps(struct daemon *d)
{
    int64_t limit = conn_guard_raise_fd_limit();
    /* each HTTP loop past the first: a database connection (3 descriptors
     * on SQLite), its socket, its epoll and wake-up descriptors */
    int64_t reserve = 64 + 4 * (d->cfg.epp_workers + 6) + 8 * (d->cfg.http_threads - 1);
    int64_t *caps[3];
    const char *names[3];
    int n = 0;
    if (d->services & SERVICE_EPP) {
        caps[n] = &d->cfg.epp_max_connections;
        names[n++] = "epp.max_connections";
    }
    if (d->services & SERVICE_HTTP) {
        caps[n] = &d->cfg.http_max_connections;
        names[n++] = "http.max_connections";
    }
    if (d->services & SERVICE_WHOIS) {
        caps[n] = &d->cfg.whois_max_connections;
        names[n++] = "whois.max_connections";
    }
    conn_guard_fit(limit, reserve, caps, names, n);
}

/* Migrations, then the pepper of the auth-info hashes (registry/pepper.h). */
static int prepare_database(const struct reg_config *cfg)
{
    char err[1024];
    db *d = NULL;
    if (db_open(cfg->database_url, &d, err, sizeof err)) {
        fprintf(stderr, "registryd: %s\n", err);
        return -1;
    }
    int applied = 0;
    if (db_migrate(d, &applied)) {
        fprintf(stderr, "registryd: database migration failed: %s\n", db_errmsg(d));
        db_close(d);
        return -1;
    }
    reg_log(LOG_INFO, "store", NULL, "ready", "schema=%d applied=%d", db_schema_version(d), applied);
    /* before any thread: the pepper is read-only from here on */
    int rc = 0;
    if (pepper_setup(d, cfg, err, sizeof err)) {
        fprintf(stderr, "registryd: %s\n", err);
        rc = -1;
    }
    db_close(d);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'},
        {"only", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {"help-man", no_argument, 0, 'M'},
        {0, 0, 0, 0},
    };
    jsonmem_install(); /* before any JSON value exists (rdds/jsonmem.h) */
    /* keep freed memory up to 64 MiB: by default each answer's buffers,
     * freed, shrank the thread's heap (madvise and a TLB flush on every
     * core, a tenth of an RDAP lookup's time) only to grow it again */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    const char *config_path = NULL;
    struct daemon d = {.services = SERVICE_EPP | SERVICE_WHOIS | SERVICE_HTTP | SERVICE_JOBS};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config_path = optarg; break;
        case 'o':
            if (parse_only(optarg, &d.services))
                return 2;
            break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("registryd %s\n", REG_VERSION); return 0;
        case 'M': man_page(stdout); return 0;
        default:
            fprintf(stderr, "registryd: unknown or incomplete option \"%s\"\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "registryd: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }
    char err[SETTINGS_ERRLEN];
    if (config_load(&d.cfg, config_path, err, sizeof err)) {
        fprintf(stderr, "registryd: %s\n", err);
        return 1;
    }
    if (config_apply_process_settings(&d.cfg, err, sizeof err) || secret_init() ||
        (*d.cfg.log_file && log_open_file(d.cfg.log_file, err, sizeof err))) {
        fprintf(stderr, "registryd: %s\n", err);
        config_free(&d.cfg);
        return 1;
    }
    size_t own_texts = 0;
    reg_status tst = {0};
    if (notices_setup(&d.cfg, &own_texts, &tst)) {
        fprintf(stderr, "registryd: %s\n", reg_status_text(&tst));
        config_free(&d.cfg);
        return 1;
    }
    if (own_texts)
        reg_log(LOG_INFO, "daemon", NULL, "mail-templates", "dir=%s loaded=%zu", d.cfg.mail_templates,
                own_texts);
    metric_set(METRIC(M_START_TIME), NULL, (int64_t)time(NULL));
    metric_set(METRIC(M_BUILD_INFO), (const char *[]){REG_VERSION}, 1);
    signal(SIGPIPE, SIG_IGN);
    fit_connection_caps(&d);
    evthread_use_pthreads();
    if (prepare_database(&d.cfg)) {
        config_free(&d.cfg);
        return 1;
    }
    if (db_checkpointer_start(d.cfg.database_url, err, sizeof err)) {
        fprintf(stderr, "registryd: %s\n", err);
        config_free(&d.cfg);
        return 1;
    }
    d.base = event_base_new();
    struct event *sigint = evsignal_new(d.base, SIGINT, on_signal, &d);
    struct event *sigterm = evsignal_new(d.base, SIGTERM, on_signal, &d);
    struct event *sighup = evsignal_new(d.base, SIGHUP, on_hangup, &d);
    event_add(sigint, NULL);
    event_add(sigterm, NULL);
    event_add(sighup, NULL);

    struct scheduler *sched = NULL;
    struct zone_publisher *zpub = NULL;
    struct epp_server *epp = NULL;
    struct http_server *http = NULL;
    struct whois_server *whois = NULL;
    int rc = 0;
    if ((d.services & SERVICE_EPP) && epp_server_start(d.base, &d.cfg, &epp, err, sizeof err)) {
        fprintf(stderr, "registryd: epp: %s\n", err);
        rc = 1;
    }
    if (!rc && (d.services & SERVICE_HTTP) &&
        http_server_start(&d.cfg, d.services & SERVICE_JOBS, &http, err, sizeof err)) {
        fprintf(stderr, "registryd: http: %s\n", err);
        rc = 1;
    }
    if (!rc && (d.services & SERVICE_WHOIS) &&
        whois_server_start(&d.cfg, &whois, err, sizeof err)) {
        fprintf(stderr, "registryd: whois: %s\n", err);
        rc = 1;
    }
    if (!rc && (d.services & SERVICE_JOBS) && scheduler_start(&d.cfg, &sched)) {
        fprintf(stderr, "registryd: cannot start the job scheduler\n");
        rc = 1;
    }
    if (!rc && (d.services & SERVICE_JOBS) &&
        zone_publisher_start(&d.cfg, &zpub, err, sizeof err)) {
        fprintf(stderr, "registryd: zone: %s\n", err);
        rc = 1;
    }
    if (!rc) {
        char url[1024];
        str_redact_url(url, sizeof url, d.cfg.database_url);
        printf("registryd %s: database %s, tld .%s\n", REG_VERSION, url, d.cfg.tld_name);
        if (epp)
            printf("epp: listening on %s (TLS)\n", epp_server_address(epp));
        if (whois)
            printf("whois: listening on %s%s\n", whois_server_address(whois),
                   d.cfg.whois_canned ? " (canned answers: a benchmark aid)" : "");
        if (http)
            printf("http: listening on %s%s\n", http_server_address(http),
                   d.cfg.rdap_canned ? " (canned RDAP domain answers: a benchmark aid)" : "");
        if (sched)
            printf("jobs: scheduler running every %llds\n", (long long)d.cfg.jobs_tick);
        if (zpub)
            printf("zone: updates to the primary %s\n", d.cfg.zone_primary);
        printf("ready\n");
        fflush(stdout);
        reg_log(LOG_INFO, "daemon", NULL, "started", "services=%u", d.services);
        event_base_dispatch(d.base);
    }
    whois_server_stop(whois);
    http_server_stop(http);
    epp_server_stop(epp);
    zone_publisher_stop(zpub);
    scheduler_stop(sched);
    db_checkpointer_stop();
    event_free(sigint);
    event_free(sigterm);
    event_free(sighup);
    event_base_free(d.base);
    config_free(&d.cfg);
    reg_log(LOG_INFO, "daemon", NULL, "stopped", NULL);
    return rc;
}
