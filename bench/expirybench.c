/* expirybench: how long the domain-expiry job takes on a day on which N
 * domains expire (issue 18: 100,000 within 60 s of the job starting). A
 * benchmark that prints figures, not a test.
 *
 *   expirybench [--domains N] [--url URL] [--batch B] [--unfunded U] [--keep|--load-only]
 *
 * The load goes through the registry's own functions, as EPP would: a
 * registrar (registrar_add), a registrant (contact_create), an autorenew
 * price and a payment (billing_price_set, billing_post), then N one-year
 * domains (domain_create, bench/load.c) created over one day of the clock,
 * 1,000 to a transaction, so all of them expire on one day a year later. The credit
 * pays for all but U autorenewals (default 1 %): those are declined (no
 * funds) as the job does for any registrar out of money. --keep reuses a
 * database loaded before (same N) that no job ran on; --load-only loads
 * and stops (for a run with --keep under a profiler).
 *
 * The job runs as `regctl jobs run --force domain-expiry` does (jobs_run,
 * its progress lines printed), with the clock moved to the end of the
 * expiry day ([clock] now: the job gets its time from the caller). URL
 * defaults to sqlite:expirybench.db. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/secret.h"
#include "jobs/jobs.h"
#include "registry/billing.h"
#include "registry/contact.h"
#include "registry/domain.h"
#include "registry/registrar.h"

#include "load.h"

#define T0 ((reg_time)1798761600) /* 2027-01-01T00:00:00Z: the day of the creates */
#define DAY ((reg_time)86400)
#define PRICE 5000                /* minor units per autorenewal */

static double now_s(void)
{
    return (double)clock_mono_us() / 1e6;
}

static void die(const char *what, const reg_status *st, db *d)
{
    fprintf(stderr, "expirybench: %s: %s\n", what,
            st && st->code ? reg_status_text(st) : db_errmsg(d));
    exit(1);
}

static void tx(db *d, reg_err e, const reg_status *st, const char *what)
{
    if (e) {
        db_rollback(d);
        die(what, st, d);
    }
    if (db_commit(d))
        die(what, NULL, d);
}

/* The registrar, its registrant, the price and the credit, then n
 * domains through domain_create, their creation spread over T0's day. */
static void load(db *d, struct registry_policy *p, long long n, long long unfunded)
{
    reg_status st = {0};
    struct registrar_new r = {.handle = "BENCH", .name = "Bench Registrar",
                              .password = "bench-password-1"};
    if (registrar_add(d, &r, &st))
        die("registrar_add", &st, d);
    int64_t reg = registrar_id_by_handle(d, "BENCH");
    struct reg_op staff = {.db = d, .policy = p, .actor = "staff", .channel = "regctl", .now = T0};
    struct reg_op epp = {.db = d, .policy = p, .registrar_id = reg, .actor = "BENCH",
                         .channel = "epp", .svtrid = "BENCH-1", .now = T0};
    struct ledger_entry credit = {.registrar_id = reg, .amount = (n - unfunded) * PRICE,
                                  .kind = "credit", .text = "payment"};
    char holder[CONTACT_ID_MAX + 1];
    if (db_begin(d))
        die("begin", NULL, d);
    /* creates free: the figure is the autorenewals' */
    reg_err e = billing_price_set(&staff, "autorenew", 0, PRICE, 0, T0 - DAY, &st);
    if (!e)
        e = billing_price_set(&staff, "create", 0, 0, 0, T0 - DAY, &st);
    if (!e && n > unfunded)
        e = billing_post(&staff, &credit, NULL, &st);
    tx(d, e, &st, "set-up");
    if (bench_load_holder(&epp, "HOLDER", holder, &st))
        die("contact_create", &st, d);

    /* the domains exp0.dk … through domain_create, created over T0's day */
    struct bench_load l = {.holder = holder, .prefix = "exp", .suffix = ".dk", .first = 0,
                           .n = n, .from = T0, .spread = DAY};
    char failed[64];
    double t = now_s();
    if (bench_load_domains(&epp, &l, &st, failed)) {
        fprintf(stderr, "expirybench: domain_create %s: %s\n", failed, reg_status_text(&st));
        exit(1);
    }
    double s = now_s() - t;
    printf("load: %lld domains through domain_create in %.1f s (%.0f/s)\n", n, s,
           s > 0 ? (double)n / s : 0);
}

static void progress(const struct job_report *r, void *arg)
{
    (void)arg;
    printf("  %s %s\n", r->job->name, r->message);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"domains", required_argument, 0, 'n'}, {"url", required_argument, 0, 'u'},
        {"batch", required_argument, 0, 'b'},   {"unfunded", required_argument, 0, 'f'},
        {"keep", no_argument, 0, 'k'},          {"load-only", no_argument, 0, 'l'},
        {0, 0, 0, 0}};
    long long n = 100000, unfunded = -1, batch = 0;
    const char *url = "sqlite:expirybench.db";
    bool keep = false, load_only = false;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'n': n = atoll(optarg); break;
        case 'u': url = optarg; break;
        case 'b': batch = atoll(optarg); break;
        case 'f': unfunded = atoll(optarg); break;
        case 'k': keep = true; break;
        case 'l': load_only = true; break;
        default:
            fprintf(stderr, "usage: expirybench [--domains N] [--url URL] [--batch B] "
                            "[--unfunded U] [--keep|--load-only]\n");
            return 2;
        }
    }
    if (n < 1 || n > 10000000) {
        fprintf(stderr, "expirybench: --domains is 1..10000000\n");
        return 2;
    }
    if (unfunded < 0 || unfunded > n)
        unfunded = n / 100;
    log_set_level(LOG_WARN);
    struct reg_config cfg;
    char err[1024];
    if (config_load(&cfg, NULL, err, sizeof err)) {
        fprintf(stderr, "expirybench: %s\n", err);
        return 1;
    }
    if (batch > 0)
        cfg.jobs_batch = batch;
    if (secret_init() || secret_pepper_parse("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", err,
                                             sizeof err)) {
        fprintf(stderr, "expirybench: secrets: %s\n", err);
        return 1;
    }
    db *d = NULL;
    int applied = 0;
    if (db_open(url, &d, err, sizeof err) || db_migrate(d, &applied)) {
        fprintf(stderr, "expirybench: %s\n", d ? db_errmsg(d) : err);
        return 1;
    }
    struct registry_policy policy;
    policy_from_config(&cfg, &policy);
    if (!keep)
        load(d, &policy, n, unfunded);
    if (load_only) {
        policy_free(&policy);
        config_free(&cfg);
        db_close(d);
        return 0;
    }

    /* the end of the day on which they all expire */
    reg_time at = clock_add_months(T0, 12) + DAY;
    clock_set_fixed(at);
    struct jobs_request req = {.now = at, .force = true, .only = "domain-expiry",
                               .report = progress, .progress = progress};
    reg_status st = {0};
    struct db_counts c0, c1;
    db_counts(d, &c0);
    double t = now_s();
    reg_err e = jobs_run(d, &cfg, &req, &st);
    double s = now_s() - t;
    if (e)
        die("domain-expiry", &st, d);
    db_counts(d, &c1);
    uint64_t stmts = c1.statements - c0.statements, trips = c1.round_trips - c0.round_trips;
    printf("domain-expiry: %lld domains (%lld unfunded) in %.2f s: %.0f domains/s (batch %lld)\n",
           n, unfunded, s, (double)n / s, (long long)cfg.jobs_batch);
    /* issue 18: what the job sent the database, per domain due */
    printf("domain-expiry: %" PRIu64 " statements (%.1f a domain), %" PRIu64
           " round trips (%.1f a domain)\n",
           stmts, (double)stmts / (double)n, trips, (double)trips / (double)n);
    policy_free(&policy);
    config_free(&cfg);
    db_close(d);
    return 0;
}
