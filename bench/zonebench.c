/* zonebench: how long a full export of the zone file takes, and how much
 * memory, for a registry of N domains (DESIGN §10: 1,000,000 domains in
 * at most 10 s and 256 MiB). A benchmark that prints figures, not a test.
 *
 *   zonebench [--domains N] [--url URL] [--out FILE] [--keep]
 *
 * Fills the database at URL (default sqlite:zonebench.db, made if absent)
 * with N domains (default 1,000,000): two name servers each, from 1,000
 * providers' external hosts (ns1/ns2.providerK.net); 5 % of them served by
 * their own in-bailiwick hosts instead (ns1.dN.dk with an IPv4 and an IPv6
 * address, ns2.dN.dk with an IPv4 one: glue); 10 % with a DS record. The
 * fill is bulk SQL, not the registry's API: it measures the export, not
 * registrations. --keep reuses a database filled before (same N).
 *
 * The export (zone_export_to, as `regctl zone export --out FILE`; default
 * zonebench.zone) runs in a child process, so its peak RSS is its own
 * (getrusage of the child), not the fill's. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/config.h"
#include "contrib/clock.h"
#include "contrib/log.h"
#include "store/db.h"
#include "zone/export.h"

#define PROVIDERS 1000
#define T0 1798761600 /* 2027-01-01T00:00:00Z */

static double now_s(void)
{
    return (double)clock_mono_us() / 1e6;
}

static void run(db *d, const char *sql)
{
    if (db_exec(d, sql)) {
        fprintf(stderr, "zonebench: %s\n  in: %.200s\n", db_errmsg(d), sql);
        exit(1);
    }
}

/* sql with n in place of every "@N". */
static void runf(db *d, const char *sql, long long n)
{
    char buf[4096], num[24];
    size_t used = 0, len = (size_t)snprintf(num, sizeof num, "%lld", n);
    for (const char *p = sql; *p && used + len + 1 < sizeof buf; p++) {
        if (p[0] == '@' && p[1] == 'N') {
            memcpy(buf + used, num, len);
            used += len;
            p++;
        } else {
            buf[used++] = *p;
        }
    }
    buf[used] = '\0';
    run(d, buf);
}

/* Rows 0..n-1 as i: a recursive CTE both backends understand. */
#define SERIES "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < @N - 1) "

static void fill(db *d, long long n)
{
    double t = now_s();
    if (db_begin(d))
        run(d, "BEGIN"); /* reports the error */
    run(d, "INSERT INTO registrar (id, handle, name, password_hash, created_at, updated_at) "
           "VALUES (1, 'BENCH', 'Bench Registrar', 'x', 1798761600, 1798761600)");
    run(d, "INSERT INTO contact (id, handle, sponsor_id, creator_id, email, created_at) VALUES "
           "(1, 'BENCH:HOLDER', 1, 1, 'holder@example.dk', 1798761600)");
    /* hosts 1..2000: the providers' name servers */
    runf(d, SERIES "INSERT INTO host (id, name, sponsor_id, creator_id, created_at) "
            "SELECT i + 1, 'ns' || (i % 2 + 1) || '.provider' || (i / 2) || '.net', 1, 1, "
            "1798761600 FROM s", 2 * PROVIDERS);
    runf(d, SERIES "INSERT INTO domain (id, name, uname, sponsor_id, creator_id, registrant_id, "
            "created_at, expires_at) SELECT i + 1, 'd' || i || '.dk', 'd' || i || '.dk', 1, 1, "
            "1, 1798761600, 1830297600 FROM s", n);
    /* 5 %: in-bailiwick hosts ns1/ns2.dN.dk, ids 10000001.. (two per glued domain) */
    runf(d, SERIES "INSERT INTO host (id, name, sponsor_id, creator_id, superordinate_id, "
            "created_at) SELECT 10000001 + 2 * (i / 20) + k.k, 'ns' || (k.k + 1) || '.d' || i "
            "|| '.dk', 1, 1, i + 1, 1798761600 FROM s, (SELECT 0 AS k UNION ALL SELECT 1) k "
            "WHERE i % 20 = 0", n);
    run(d, "INSERT INTO host_address (host_id, address, version) SELECT id, '192.0.2.' || "
           "(id % 250 + 1), 4 FROM host WHERE id > 10000000");
    run(d, "INSERT INTO host_address (host_id, address, version) SELECT id, '2001:db8::' || "
           "(id % 9999 + 1), 6 FROM host WHERE id > 10000000 AND id % 2 = 1");
    /* two name servers each: the provider's, or the domain's own */
    runf(d, SERIES "INSERT INTO domain_host (domain_id, host_id) SELECT i + 1, CASE WHEN "
            "i % 20 = 0 THEN 10000001 + 2 * (i / 20) + k.k ELSE 2 * (i % 1000) + 1 + k.k END "
            "FROM s, (SELECT 0 AS k UNION ALL SELECT 1) k", n);
    /* 10 %: a DS (SHA-256 digest) */
    runf(d, SERIES "INSERT INTO ds_record (domain_id, key_tag, alg, digest_type, digest) SELECT "
            "i + 1, i % 65536, 13, 2, '2BB183AF5F22588179A53B0A98631FAD1A292118A9B4B4D6' || "
            "(100000000 + i) || 'F2F3F4C' FROM s WHERE i % 10 = 1", n);
    if (db_commit(d))
        run(d, "COMMIT");
    printf("fill: %lld domains in %.1f s\n", n, now_s() - t);
    db_maintain(d); /* the planner's statistics, as the db-maintenance job keeps them */
}

static long long count_domains(db *d)
{
    db_stmt *s = db_query(d, "SELECT COUNT(*) FROM domain");
    long long n = db_next(s) ? (long long)db_col_int(s, 0) : -1;
    db_done(s);
    return n;
}

/* The export in a child: its time and peak RSS. */
static int export_child(const char *url, const char *out)
{
    db *d;
    char err[512];
    if (db_open(url, &d, err, sizeof err))
        return fprintf(stderr, "zonebench: %s\n", err), 1;
    struct reg_config cfg;
    struct zone_settings zs;
    reg_status st = {0};
    if (config_load(&cfg, NULL, err, sizeof err) || zone_settings_from_config(&cfg, &zs, &st))
        return fprintf(stderr, "zonebench: settings: %s%s\n", err, st.reason), 1;
    struct zone_run r;
    double t = now_s();
    if (zone_export_to(d, &zs, T0, out, &r, &st))
        return fprintf(stderr, "zonebench: export: %s\n", reg_status_text(&st)), 1;
    double secs = now_s() - t;
    struct stat sb;
    stat(out, &sb);
    printf("export: %lld delegations, %lld records, %.1f MB in %.2f s (%.0f delegations/s)\n",
           (long long)r.counts.delegations, (long long)r.counts.records,
           (double)sb.st_size / 1e6, secs, (double)r.counts.delegations / secs);
    fflush(stdout);
    config_free(&cfg);
    db_close(d);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"domains", required_argument, 0, 'n'},
                                         {"url", required_argument, 0, 'u'},
                                         {"out", required_argument, 0, 'o'},
                                         {"keep", no_argument, 0, 'k'},
                                         {0, 0, 0, 0}};
    long long n = 1000000;
    const char *url = "sqlite:zonebench.db", *out = "zonebench.zone";
    bool keep = false;
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        if (c == 'n')
            n = atoll(optarg);
        else if (c == 'u')
            url = optarg;
        else if (c == 'o')
            out = optarg;
        else if (c == 'k')
            keep = true;
        else
            return fprintf(stderr, "usage: zonebench [--domains N] [--url URL] [--out FILE] "
                                   "[--keep]\n"), 2;
    }
    if (n < 20 || n > 5000000)
        return fprintf(stderr, "zonebench: --domains is 20..5000000\n"), 2;
    log_set_level(LOG_WARN);
    db *d;
    char err[512];
    if (db_open(url, &d, err, sizeof err) || db_migrate(d, NULL))
        return fprintf(stderr, "zonebench: %s\n", d ? db_errmsg(d) : err), 1;
    long long have = count_domains(d);
    if (!keep || have != n) {
        if (have != 0)
            return fprintf(stderr, "zonebench: the database at %s holds %lld domains; give an "
                                   "empty one (or --keep with --domains %lld)\n",
                           url, have, have), 1;
        fill(d, n);
    } else {
        printf("fill: kept, %lld domains\n", have);
    }
    db_close(d);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(export_child(url, out));
    int status;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status))
        return fprintf(stderr, "zonebench: the export failed\n"), 1;
    printf("export peak RSS: %.1f MiB (the export's process alone)\n",
           (double)ru.ru_maxrss / 1024.0);
    return 0;
}
