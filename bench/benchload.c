/* benchload: fills a registry with N domains for the benchmarks (issue
 * 18), through the registry's own functions as EPP would make them — a
 * registrant by contact_create, then one domain_create per domain, 1,000
 * to a transaction (bench/load.c, shared with expirybench): every rule,
 * price, ledger row, history version and audit of a real create, no SQL
 * of its own. It opens the database of the registry's configuration file
 * as regctl does (migrations, the pepper), so registryd finds the
 * domains as if its registrar had created them.
 *
 *   benchload --config FILE --registrar HANDLE --domains N
 *             [--first K] [--prefix P] [--registrant CONTACT-ID]
 *
 * The domains are P<K>.dk … P<K+N-1>.dk (default load1.dk …), one year
 * each, created now ([clock] now applies), sponsored by the registrar
 * HANDLE (made before with `regctl registrar add`; it pays the create
 * price as it would over EPP: `[billing] allow_unpriced` or a price of 0
 * with `regctl price set create 0.00`, or credit). Without --registrant
 * it first creates the person contact HANDLE:LOADHOLDER. Prints
 *
 *   registrant HANDLE:LOADHOLDER
 *   load: N domains through domain_create in S s (R/s)
 *
 * Stop registryd first on SQLite (one writer at a time; it would wait). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/secret.h"
#include "registry/pepper.h"
#include "registry/policy.h"
#include "registry/registrar.h"

#include "load.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: benchload --config FILE --registrar HANDLE --domains N [--first K]\n"
               "                 [--prefix P] [--registrant CONTACT-ID]\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'},     {"registrar", required_argument, 0, 'r'},
        {"domains", required_argument, 0, 'n'},    {"first", required_argument, 0, 'f'},
        {"prefix", required_argument, 0, 'p'},     {"registrant", required_argument, 0, 'R'},
        {"help", no_argument, 0, 'h'},             {0, 0, 0, 0}};
    const char *config = NULL, *handle = NULL, *prefix = "load", *registrant = NULL;
    long long n = -1, first = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'r': handle = optarg; break;
        case 'n': n = atoll(optarg); break;
        case 'f': first = atoll(optarg); break;
        case 'p': prefix = optarg; break;
        case 'R': registrant = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!config || !handle || n < 0 || n > 100000000 || first < 0 || strlen(prefix) > 40) {
        usage(stderr);
        return 2;
    }
    log_set_level(LOG_WARN);
    struct reg_config cfg;
    char err[1024];
    if (secret_init() || config_load(&cfg, config, err, sizeof err)) {
        fprintf(stderr, "benchload: %s\n", err);
        return 1;
    }
    if (cfg.clock_now)
        clock_set_fixed(cfg.clock_now);
    err[0] = '\0';
    db *d = NULL;
    int applied = 0;
    if (db_open(cfg.database_url, &d, err, sizeof err) || db_migrate(d, &applied) ||
        pepper_setup(d, &cfg, err, sizeof err)) {
        fprintf(stderr, "benchload: %s\n", d && !err[0] ? db_errmsg(d) : err);
        return 1;
    }
    int64_t reg = registrar_id_by_handle(d, handle);
    if (reg <= 0) {
        fprintf(stderr, "benchload: no registrar %s (regctl registrar add)\n", handle);
        return 1;
    }
    struct registry_policy policy;
    policy_from_config(&cfg, &policy);
    struct reg_op op = {.db = d, .policy = &policy, .registrar_id = reg, .actor = handle,
                        .channel = "epp", .svtrid = "BENCHLOAD", .now = clock_now()};
    reg_status st = {0};
    char holder[CONTACT_ID_MAX + 1];
    int rc = 0;
    if (registrant) {
        snprintf(holder, sizeof holder, "%s", registrant);
    } else if (bench_load_holder(&op, "LOADHOLDER", holder, &st)) {
        fprintf(stderr, "benchload: the registrant: %s\n", reg_status_text(&st));
        rc = 1;
        goto out;
    }
    printf("registrant %s\n", holder);
    fflush(stdout);
    struct bench_load l = {.holder = holder, .prefix = prefix, .suffix = ".dk", .first = first,
                           .n = n, .from = op.now, .spread = 0};
    char failed[64];
    int64_t t0 = clock_mono_us();
    if (n > 0 && bench_load_domains(&op, &l, &st, failed)) {
        fprintf(stderr, "benchload: domain_create %s: %s\n", failed, reg_status_text(&st));
        rc = 1;
        goto out;
    }
    double s = (double)(clock_mono_us() - t0) / 1e6;
    printf("load: %lld domains through domain_create in %.1f s (%.0f/s)\n", n, s,
           s > 0 ? (double)n / s : 0);
out:
    policy_free(&policy);
    config_free(&cfg);
    db_close(d);
    return rc;
}
