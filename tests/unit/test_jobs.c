/* Job scheduler (src/jobs/scheduler.c, DESIGN §8): due/not-due from the
 * injectable clock, --force, unknown names, and the database lease that
 * keeps two instances from running one job at once. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "config/config.h"
#include "jobs/jobs.h"
#include "registry/billing.h"
#include "registry/domain.h"
#include "registry/job_run.h"
#include "registry/lifecycle.h"

#define JOB "db-maintenance"

/* The fixture without registrars, with the default configuration and
 * JOB's interval. */
struct harness {
    struct fixture f;
    struct reg_config cfg;
    int64_t interval;
};

#define REPORTS_MAX 64 /* more than the job table will ever hold */

struct outcomes {
    int n;
    const struct job *job[REPORTS_MAX];
    job_outcome outcome[REPORTS_MAX];
    char message[REPORTS_MAX][256];
};

static void collect(const struct job_report *r, void *arg)
{
    struct outcomes *o = arg;
    if (o->n < REPORTS_MAX) {
        o->job[o->n] = r->job;
        o->outcome[o->n] = r->outcome;
        snprintf(o->message[o->n], sizeof o->message[0], "%s", r->message ? r->message : "");
    }
    o->n++;
}

static void start(void **state, struct harness *h, const char *base)
{
    memset(h, 0, sizeof *h);
    setup_bare(state, &h->f, base, T0);
    char err[SETTINGS_ERRLEN];
    if (config_load(&h->cfg, NULL, err, sizeof err))
        fail_msg("config_load: %s", err);
    const struct job *j = jobs_find(JOB);
    assert_non_null(j);
    h->interval = j->interval;
}

static void stop(struct harness *h)
{
    teardown(&h->f);
    config_free(&h->cfg);
    clock_set_real();
}

/* Runs jobs at `now` and returns the one report for JOB. */
static job_outcome run_at(struct harness *h, reg_time now, bool force, const char *only,
                          reg_err *rc, char *msg, size_t msglen)
{
    struct outcomes o = {0};
    struct jobs_request req = {.now = now, .force = force, .only = only, .report = collect, .arg = &o};
    reg_status st = {0};
    reg_err e = jobs_run(h->f.d, &h->cfg, &req, &st);
    if (rc)
        *rc = e;
    int found = -1;
    for (int i = 0; i < o.n && i < REPORTS_MAX; i++)
        if (!strcmp(o.job[i]->name, JOB)) {
            if (found >= 0)
                fail_msg("job %s reported twice", JOB);
            found = i;
        }
    if (found < 0)
        fail_msg("no report for %s", JOB);
    if (msg)
        snprintf(msg, msglen, "%s", o.message[found]);
    if (o.outcome[found] == JOB_FAILED && !rc)
        fail_msg("%s failed: %s", JOB, o.message[found]);
    return o.outcome[found];
}

static job_outcome run(struct harness *h, reg_time now, bool force)
{
    return run_at(h, now, force, NULL, NULL, NULL, 0);
}

struct job_row {
    bool exists;
    int64_t last_start, last_finish, runs;
    char status[16], message[256];
};

static struct job_row read_row(db *d)
{
    struct job_row r = {0};
    db_stmt *s = db_query(d, "SELECT last_start, last_finish, runs, last_status, last_message "
                             "FROM job_run WHERE name = ?");
    db_bind_text(s, 1, JOB);
    if (db_next(s)) {
        r.exists = true;
        r.last_start = db_col_int(s, 0);
        r.last_finish = db_col_int(s, 1);
        r.runs = db_col_int(s, 2);
        snprintf(r.status, sizeof r.status, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
        snprintf(r.message, sizeof r.message, "%s", db_col_text(s, 4) ? db_col_text(s, 4) : "");
    }
    if (db_done(s))
        fail_msg("read job_run: %s", db_errmsg(d));
    return r;
}

static void table_is_well_formed(void **state)
{
    (void)state;
    assert_true(job_count >= 1);
    for (size_t i = 0; i < job_count; i++) {
        const struct job *j = &job_table[i];
        assert_non_null(j->name);
        assert_non_null(j->run);
        assert_non_null(j->doc);
        assert_true(j->interval > 0);
        assert_ptr_equal(jobs_find(j->name), j);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(job_table[k].name, j->name);
    }
    assert_non_null(jobs_find(JOB));
    assert_null(jobs_find("no-such-job"));
    assert_null(jobs_find(""));
    assert_string_equal(job_outcome_name(JOB_RAN), "ran");
    assert_string_equal(job_outcome_name(JOB_FAILED), "failed");
    assert_string_equal(job_outcome_name(JOB_NOT_DUE), "not-due");
    assert_string_equal(job_outcome_name(JOB_BUSY), "busy");
}

/* registry/job_run.c: a job that never ran has no record; each run
 * replaces the last one and is counted; failures say what failed. */
static void job_run_records_the_last_run(void **state)
{
    struct harness h;
    start(state, &h, "jobs_record");
    struct job_run r;
    reg_status st = {0};
    assert_int_equal(job_run_last(h.f.d, JOB, &r, &st), REG_OK);
    assert_false(r.ran);
    assert_string_equal(r.last_status, "");

    assert_int_equal(job_run_record(h.f.d, JOB, T0, T0 + 5, false, "it broke", &st), REG_OK);
    assert_int_equal(job_run_last(h.f.d, JOB, &r, &st), REG_OK);
    assert_true(r.ran);
    assert_int_equal(r.last_start, T0);
    assert_string_equal(r.last_status, "failed");
    struct job_row row = read_row(h.f.d);
    assert_int_equal(row.last_finish, T0 + 5);
    assert_int_equal(row.runs, 1);
    assert_string_equal(row.message, "it broke");

    assert_int_equal(job_run_record(h.f.d, JOB, T0 + 60, T0 + 61, true, "fine", &st), REG_OK);
    assert_int_equal(job_run_last(h.f.d, JOB, &r, &st), REG_OK);
    assert_int_equal(r.last_start, T0 + 60);
    assert_string_equal(r.last_status, "ok");
    row = read_row(h.f.d);
    assert_int_equal(row.runs, 2);
    assert_string_equal(row.message, "fine");
    /* another job's record is its own */
    assert_int_equal(job_run_last(h.f.d, "domain-expiry", &r, &st), REG_OK);
    assert_false(r.ran);

    exec_sql(&h.f, "ALTER TABLE job_run RENAME TO job_run_away");
    assert_int_not_equal(job_run_last(h.f.d, JOB, &r, &st), REG_OK);
    assert_non_null(strstr(st.reason, "cannot read job state"));
    assert_int_not_equal(job_run_record(h.f.d, JOB, T0, T0, true, "x", &st), REG_OK);
    assert_non_null(strstr(st.reason, "recording the run failed"));
    exec_sql(&h.f, "ALTER TABLE job_run_away RENAME TO job_run");
    stop(&h);
}

/* A row run by job_registry_ops names its steps (leading, no gaps) and
 * what they count; a job with a run of its own has neither. */
static void registry_op_rows_are_complete(void **state)
{
    (void)state;
    for (size_t i = 0; i < job_count; i++) {
        const struct job *j = &job_table[i];
        bool ops = j->run == job_registry_ops;
        if (ops != (j->steps[0] != NULL || j->batch != NULL) || ops != (j->counts != NULL))
            fail_msg("job %s: steps and counts go with run = job_registry_ops", j->name);
        if (j->steps[0] && j->batch)
            fail_msg("job %s: steps or a batch step, not both", j->name);
        for (int k = 1; k < JOB_STEPS_MAX; k++)
            if (j->steps[k] && !j->steps[k - 1])
                fail_msg("job %s: a gap in its steps", j->name);
    }
}

static void runs_when_due_and_not_again(void **state)
{
    struct harness h;
    start(state, &h, "jobs_due");
    assert_false(read_row(h.f.d).exists);

    reg_err rc = REG_ERR_INTERNAL;
    char msg[256];
    assert_int_equal(run_at(&h, T0, false, NULL, &rc, msg, sizeof msg), JOB_RAN);
    assert_int_equal(rc, REG_OK);
    assert_true(msg[0] != '\0');
    struct job_row r = read_row(h.f.d);
    assert_true(r.exists);
    assert_int_equal(r.last_start, T0);
    assert_true(r.last_finish >= T0);
    assert_int_equal(r.runs, 1);
    assert_string_equal(r.status, "ok");
    assert_string_equal(r.message, msg);
    assert_false(db_in_transaction(h.f.d));

    /* same now: not due, nothing recorded */
    assert_int_equal(run_at(&h, T0, false, NULL, &rc, msg, sizeof msg), JOB_NOT_DUE);
    assert_int_equal(rc, REG_OK);
    assert_true(msg[0] != '\0');
    r = read_row(h.f.d);
    assert_int_equal(r.runs, 1);
    assert_int_equal(r.last_start, T0);

    /* one second before the interval is up: still not due */
    assert_int_equal(run(&h, T0 + h.interval - 1, false), JOB_NOT_DUE);
    assert_int_equal(read_row(h.f.d).runs, 1);

    /* exactly at last + interval: due */
    assert_int_equal(run(&h, T0 + h.interval, false), JOB_RAN);
    r = read_row(h.f.d);
    assert_int_equal(r.runs, 2);
    assert_int_equal(r.last_start, T0 + h.interval);

    /* long after: due once, then not */
    reg_time later = T0 + 100 * h.interval + 17;
    assert_int_equal(run(&h, later, false), JOB_RAN);
    assert_int_equal(run(&h, later + 1, false), JOB_NOT_DUE);
    assert_int_equal(read_row(h.f.d).runs, 3);
    stop(&h);
}

/* A test (or staff) ran jobs "in the future"; back at the real time the
 * job must not sit idle until the future comes round. */
static void runs_when_clock_moved_back(void **state)
{
    struct harness h;
    start(state, &h, "jobs_back");
    reg_time future = T0 + 365 * 86400;
    assert_int_equal(run(&h, future, false), JOB_RAN);
    assert_int_equal(run(&h, T0, false), JOB_RAN);
    struct job_row r = read_row(h.f.d);
    assert_int_equal(r.runs, 2);
    assert_int_equal(r.last_start, T0);
    /* and from the earlier time on it is scheduled normally */
    assert_int_equal(run(&h, T0 + 1, false), JOB_NOT_DUE);
    assert_int_equal(run(&h, T0 + h.interval, false), JOB_RAN);
    assert_int_equal(read_row(h.f.d).runs, 3);
    stop(&h);
}

static void force_runs_even_if_not_due(void **state)
{
    struct harness h;
    start(state, &h, "jobs_force");
    assert_int_equal(run(&h, T0, true), JOB_RAN); /* force on a first run */
    assert_int_equal(run(&h, T0, false), JOB_NOT_DUE);
    assert_int_equal(run(&h, T0, true), JOB_RAN);
    assert_int_equal(run(&h, T0 + 1, true), JOB_RAN);
    reg_err rc;
    assert_int_equal(run_at(&h, T0 + 2, true, JOB, &rc, NULL, 0), JOB_RAN);
    assert_int_equal(rc, REG_OK);
    struct job_row r = read_row(h.f.d);
    assert_int_equal(r.runs, 4);
    assert_int_equal(r.last_start, T0 + 2);
    /* a forced run restarts the interval */
    assert_int_equal(run(&h, T0 + 2 + h.interval - 1, false), JOB_NOT_DUE);
    assert_int_equal(run(&h, T0 + 2 + h.interval, false), JOB_RAN);
    stop(&h);
}

static void only_one_job_by_name(void **state)
{
    struct harness h;
    start(state, &h, "jobs_only");
    struct outcomes o = {0};
    struct jobs_request req = {.now = T0, .only = JOB, .report = collect, .arg = &o};
    reg_status st = {0};
    assert_int_equal(jobs_run(h.f.d, &h.cfg, &req, &st), REG_OK);
    assert_int_equal(o.n, 1);
    assert_string_equal(o.job[0]->name, JOB);
    assert_int_equal(o.outcome[0], JOB_RAN);
    /* without a filter every job is reported once */
    memset(&o, 0, sizeof o);
    req.only = NULL;
    assert_int_equal(jobs_run(h.f.d, &h.cfg, &req, &st), REG_OK);
    assert_int_equal(o.n, (int)job_count);
    /* no report callback is fine */
    req.report = NULL;
    req.force = true;
    assert_int_equal(jobs_run(h.f.d, &h.cfg, &req, &st), REG_OK);
    assert_int_equal(read_row(h.f.d).runs, 2);
    stop(&h);
}

static void unknown_job_is_not_found(void **state)
{
    struct harness h;
    start(state, &h, "jobs_unknown");
    struct outcomes o = {0};
    struct jobs_request req = {.now = T0, .only = "no-such-job", .report = collect, .arg = &o};
    reg_status st = {0};
    assert_int_equal(jobs_run(h.f.d, &h.cfg, &req, &st), REG_ERR_NOT_FOUND);
    assert_int_equal(st.code, REG_ERR_NOT_FOUND);
    assert_non_null(strstr(st.reason, "no-such-job"));
    assert_int_equal(o.n, 0);
    req.force = true;
    assert_int_equal(jobs_run(h.f.d, &h.cfg, &req, &st), REG_ERR_NOT_FOUND);
    assert_false(read_row(h.f.d).exists);
    stop(&h);
}

static void busy_while_another_instance_holds_the_lease(void **state)
{
    struct harness h;
    start(state, &h, "jobs_busy");
    db *d2 = test_db_open_url(h.f.url);
    db_lease *held = NULL;
    assert_int_equal(db_lease_try(d2, JOB, &held), REG_OK);

    reg_err rc = REG_ERR_INTERNAL;
    char msg[256];
    assert_int_equal(run_at(&h, T0, false, NULL, &rc, msg, sizeof msg), JOB_BUSY);
    assert_int_equal(rc, REG_OK); /* busy is not a failure */
    assert_true(msg[0] != '\0');
    assert_int_equal(run(&h, T0, true), JOB_BUSY); /* force does not break the lease */
    assert_false(read_row(h.f.d).exists);

    db_lease_release(held);
    assert_int_equal(run(&h, T0, false), JOB_RAN);
    /* and the run gave its lease back */
    assert_int_equal(db_lease_try(d2, JOB, &held), REG_OK);
    db_lease_release(held);
    db_close(d2);
    stop(&h);
}

/* A job that cannot run is reported as failed, jobs_run says so, and the
 * lease is not left behind. */
static void failure_is_reported_and_releases_the_lease(void **state)
{
    struct harness h;
    start(state, &h, "jobs_fail");
    exec_sql(&h.f, "ALTER TABLE job_run RENAME TO job_run_away");
    reg_err rc = REG_OK;
    char msg[256];
    assert_int_equal(run_at(&h, T0, false, NULL, &rc, msg, sizeof msg), JOB_FAILED);
    assert_int_equal(rc, REG_ERR_INTERNAL);
    assert_true(msg[0] != '\0');
    assert_false(db_in_transaction(h.f.d));
    db *d2 = test_db_open_url(h.f.url);
    db_lease *l = NULL;
    assert_int_equal(db_lease_try(d2, JOB, &l), REG_OK);
    db_lease_release(l);
    db_close(d2);
    exec_sql(&h.f, "ALTER TABLE job_run_away RENAME TO job_run");
    assert_int_equal(run(&h, T0, false), JOB_RAN);
    stop(&h);
}

/* ---- lifecycle jobs keep up (issue 13 item 10) ------------------------------------- */

struct one_report {
    job_outcome outcome;
    char message[256];
    struct job_counts counts;
};

static void keep_report(const struct job_report *r, void *arg)
{
    struct one_report *o = arg;
    o->outcome = r->outcome;
    snprintf(o->message, sizeof o->message, "%s", r->message);
    o->counts = r->counts;
}

/* `job` once at `now` with [jobs] batch; its report, which must say it ran. */
static struct one_report run_job_named(struct harness *h, const char *job, reg_time now,
                                       int batch)
{
    struct one_report o = {0};
    h->cfg.jobs_batch = batch;
    struct jobs_request req = {.now = now, .force = true, .only = job, .report = keep_report,
                               .arg = &o};
    reg_status st = {0};
    if (jobs_run(h->f.d, &h->cfg, &req, &st) || o.outcome != JOB_RAN)
        fail_msg("%s: %s", job, o.message);
    assert_false(db_in_transaction(h->f.d));
    return o;
}

/* The harness with the fixture's registrars. */
static void start_with_registrars(void **state, struct harness *h, const char *base)
{
    memset(h, 0, sizeof *h);
    setup(state, &h->f, base);
    char err[SETTINGS_ERRLEN];
    if (config_load(&h->cfg, NULL, err, sizeof err))
        fail_msg("config_load: %s", err);
}

/* n one-year domains of REGA named <prefix><i>.dk, created at f->now in
 * one transaction (a registrant HOLDER made first); their expiry. */
static reg_time make_expiring(struct fixture *f, const char *prefix, int n)
{
    reg_status st;
    make_contact(f, "HOLDER", "holder@example.test", "Holder", NULL, NULL, NULL);
    struct reg_op a = op_as(f, f->a);
    assert_int_equal(db_begin(f->d), REG_OK);
    reg_time exp = 0;
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "%s%04d.dk", prefix, i);
        struct domain_create in = {TERMS, .name = name, .period_months = 12,
                                   .registrant = "REGA:HOLDER"};
        struct domain out;
        memset(&out, 0, sizeof out);
        if (domain_create(&a, &in, &out, &st))
            fail_msg("create %s: %s", name, reg_status_text(&st));
        exp = out.expires_at;
        domain_free(&out);
    }
    assert_int_equal(db_commit(f->d), REG_OK);
    return exp;
}

#define BACKLOG 2500

/* A day on which 2,500 domains expire: each lifecycle job does all that is
 * due in one run, in transactions of at most [jobs] batch domains, and
 * reports how many it did, left and committed. */
static void lifecycle_jobs_do_all_that_is_due_item10(void **state)
{
    struct harness h;
    start_with_registrars(state, &h, "jobs_backlog");
    struct fixture *f = &h.f;
    reg_time exp = make_expiring(f, "backlog", BACKLOG);
    /* money for all but 50 autorenewals */
    set_price(f, "autorenew", 0, 100, 0, T0 - DAY);
    post_entry(f, f->a, "credit", (BACKLOG - 50) * 100, "payment");

    struct one_report r = run_job_named(&h, "domain-expiry", exp + 3600, 100);
    assert_int_equal(r.counts.done, BACKLOG - 50);
    assert_int_equal(r.counts.declined, 50);
    /* 25 full batches of 100 and the one that finds the end */
    assert_true(r.counts.transactions >= BACKLOG / 100 && r.counts.transactions <= 26);
    assert_non_null(strstr(r.message, "2450 domains renewed automatically, 50 left as they "
                                      "were (no funds), in "));
    char renewed[96];
    snprintf(renewed, sizeof renewed, "SELECT COUNT(*) FROM domain WHERE expires_at > %lld",
             (long long)exp);
    assert_int_equal(scalar(f, renewed, NULL), BACKLOG - 50);
    assert_int_equal(scalar(f, "SELECT COUNT(*) FROM ledger WHERE operation = 'autorenew'",
                            NULL),
                     BACKLOG - 50);
    /* nothing due is left: the next run does nothing */
    r = run_job_named(&h, "domain-expiry", exp + 7200, 100);
    assert_int_equal(r.counts.done, 0);
    assert_int_equal(r.counts.declined, 50);

    /* the 50 unpaid go the rest of the way, 20 to a transaction */
    r = run_job_named(&h, "domain-hold", exp + (reg_time)h.cfg.lifecycle_hold_after, 20);
    assert_int_equal(r.counts.done, 50);
    assert_int_equal(r.counts.transactions, 3);
    r = run_job_named(&h, "domain-delete", exp + (reg_time)h.cfg.lifecycle_delete_after, 20);
    assert_int_equal(r.counts.done, 50);
    assert_int_equal(r.counts.transactions, 3);
    reg_time purge = exp + (reg_time)(h.cfg.lifecycle_delete_after +
                                      h.cfg.lifecycle_redemption_period +
                                      h.cfg.lifecycle_pending_delete_period);
    r = run_job_named(&h, "domain-purge", purge, 20);
    assert_int_equal(r.counts.done, 50);
    assert_int_equal(r.counts.transactions, 3);
    assert_non_null(strstr(r.message, "50 domains purged, in 3 transactions"));
    assert_int_equal(scalar(f, "SELECT COUNT(*) FROM domain", NULL), BACKLOG - 50);
    stop(&h);
}

/* ---- a day of many expiries (issue 18) ----------------------------------------------- */

/* A run's final report and its progress lines. */
struct expiry_run {
    struct one_report r; /* first: keep_report takes the struct as its own */
    int progress;        /* progress lines */
    char first[256];     /* the first one */
};

static void keep_progress(const struct job_report *r, void *arg)
{
    struct expiry_run *x = arg;
    assert_int_equal(r->outcome, JOB_RAN);
    if (!x->progress++)
        snprintf(x->first, sizeof x->first, "%s", r->message);
}

/* domain-expiry at `now` with [jobs] batch and budget (0: it stops after
 * its first batch), forced or only if due. */
static struct expiry_run run_expiry(struct harness *h, reg_time now, int batch, int64_t budget,
                                    bool force)
{
    struct expiry_run x;
    memset(&x, 0, sizeof x);
    h->cfg.jobs_batch = batch;
    h->cfg.jobs_budget = budget;
    struct jobs_request req = {.now = now, .force = force, .only = "domain-expiry",
                               .report = keep_report, .progress = keep_progress, .arg = &x};
    reg_status st = {0};
    if (jobs_run(h->f.d, &h->cfg, &req, &st))
        fail_msg("domain-expiry: %s", x.r.message);
    assert_false(db_in_transaction(h->f.d));
    return x;
}

/* scalar of the query <sql><v> */
static int64_t count_at(struct fixture *f, const char *sql, int64_t v)
{
    char q[256];
    snprintf(q, sizeof q, "%s%lld", sql, (long long)v);
    return scalar(f, q, NULL);
}

/* Every renewed domain once: a ledger row, a poll message and a history
 * version each, no name twice, and its expiry a year on from exp. */
static void renewed_once(struct fixture *f, reg_time exp, int64_t n)
{
    assert_int_equal(scalar(f, "SELECT COUNT(*) FROM ledger WHERE operation = 'autorenew'", NULL),
                     n);
    assert_int_equal(scalar(f, "SELECT COUNT(DISTINCT object_name) FROM ledger "
                               "WHERE operation = 'autorenew'", NULL),
                     n);
    assert_int_equal(scalar(f, "SELECT COUNT(*) FROM poll_message WHERE message LIKE "
                               "'Registry autoRenew of %'", NULL),
                     n);
    assert_int_equal(scalar(f, "SELECT COUNT(DISTINCT object_name) FROM poll_message WHERE "
                               "message LIKE 'Registry autoRenew of %'", NULL),
                     n);
    assert_int_equal(scalar(f, "SELECT COUNT(*) FROM history WHERE action = 'autorenew'", NULL),
                     n);
    assert_int_equal(count_at(f, "SELECT COUNT(*) FROM domain WHERE expires_at = ",
                              clock_add_months(exp, 12)),
                     n);
}

/* Batches end where [jobs] batch says: 250 due at 125 a batch are two
 * full transactions and one that finds the end; at 1000 one. The run
 * counts what is due first and reports its progress after a batch. */
static void expiry_batches_at_their_boundaries(void **state)
{
    struct harness h;
    start_with_registrars(state, &h, "jobs_expiry_batches");
    struct fixture *f = &h.f;
    reg_time exp = make_expiring(f, "edge", 250);
    set_price(f, "autorenew", 0, 100, 0, T0 - DAY);
    post_entry(f, f->a, "credit", 2 * 250 * 100, "payment"); /* two years */

    struct test_log tl;
    test_log_begin(&tl);
    struct expiry_run x = run_expiry(&h, exp, 125, 300, true);
    char log[8192];
    test_log_end(&tl, log, sizeof log);
    /* the log says it too: a progress line, and the run's with what was due and left */
    if (!strstr(log, "event=job-progress name=domain-expiry seen=125 due=250 done=125 "
                     "declined=0 failed=0 rate=") ||
        !strstr(log, " done=250 declined=0 failed=0 transactions=3 due=250 left=0"))
        fail_msg("want the progress and the counts in the log, got:\n%s", log);
    assert_int_equal(x.r.counts.due, 250);
    assert_int_equal(x.r.counts.done, 250);
    assert_int_equal(x.r.counts.transactions, 3);
    assert_int_equal(x.r.counts.left, 0);
    assert_string_equal(x.r.message, "250 domains renewed automatically, in 3 transactions");
    assert_true(x.progress >= 1);
    assert_non_null(strstr(x.first, "progress: 125 of 250 due looked at, "));
    assert_non_null(strstr(x.first, "/s: 125 domains renewed automatically"));
    renewed_once(f, exp, 250);

    /* a year on, one batch holds them all: one transaction, no progress line */
    x = run_expiry(&h, clock_add_months(exp, 12), 1000, 300, true);
    assert_int_equal(x.r.counts.done, 250);
    assert_int_equal(x.r.counts.transactions, 1);
    assert_int_equal(x.progress, 0);
    stop(&h);
}

/* A run cut short resumes without doing anything twice or skipping a
 * domain: a batch rolled back (a crash before its commit) changes
 * nothing, a run stopped by its time budget after one batch says how many
 * it left and is due again at once, and the next run does exactly those. */
static void expiry_resumes_after_an_interrupted_run(void **state)
{
    struct harness h;
    start_with_registrars(state, &h, "jobs_expiry_resume");
    struct fixture *f = &h.f;
    reg_time exp = make_expiring(f, "resume", 250);
    set_price(f, "autorenew", 0, 100, 0, T0 - DAY);
    post_entry(f, f->a, "credit", 250 * 100, "payment");

    /* a crash in the middle of a batch: its transaction never commits */
    f->now = exp;
    f->policy.autorenew = true; /* as [lifecycle] on_expiry = autorenew, the default */
    struct reg_op job = op_as(f, 0);
    struct due_batch b = {.limit = 100};
    reg_status st;
    assert_int_equal(db_begin(f->d), REG_OK);
    assert_int_equal(lifecycle_autorenew_batch(&job, &b, &st), REG_OK);
    assert_int_equal(b.done, 100);
    db_rollback(f->d);
    renewed_once(f, exp, 0);

    /* the budget used after the first batch */
    struct expiry_run x = run_expiry(&h, exp, 100, 0, true);
    assert_int_equal(x.r.counts.done, 100);
    assert_int_equal(x.r.counts.left, 150);
    assert_non_null(strstr(x.r.message, "100 domains renewed automatically, in 1 transaction; "
                                        "150 still due, left for the next run"));
    renewed_once(f, exp, 100);
    struct job_run last;
    assert_int_equal(job_run_last(f->d, "domain-expiry", &last, &st), REG_OK);
    assert_int_equal(last.left, 150);

    /* due again at the next tick though its interval has not passed */
    x = run_expiry(&h, exp + 10, 100, 300, false);
    assert_int_equal(x.r.outcome, JOB_RAN);
    assert_int_equal(x.r.counts.due, 150);
    assert_int_equal(x.r.counts.done, 150);
    assert_int_equal(x.r.counts.left, 0);
    renewed_once(f, exp, 250);
    x = run_expiry(&h, exp + 20, 100, 300, false);
    assert_int_equal(x.r.outcome, JOB_NOT_DUE);
    stop(&h);
}

static void keep_backlog(const char *job, int64_t n, void *arg)
{
    if (!strcmp(job, "domain-expiry"))
        *(int64_t *)arg = n;
}

/* Money fails closed per domain in the middle of a batch: credit for 130
 * of 250 renews the first 130 in id order to a balance of exactly 0 and
 * leaves the other 120 as they were, with no ledger row or message; they
 * stay due (the backlog gauge counts them) and a payment lets the next
 * run renew them. */
static void expiry_balance_runs_out_mid_batch(void **state)
{
    struct harness h;
    start_with_registrars(state, &h, "jobs_expiry_funds");
    struct fixture *f = &h.f;
    reg_time exp = make_expiring(f, "funds", 250);
    set_price(f, "autorenew", 0, 100, 0, T0 - DAY);
    post_entry(f, f->a, "credit", 130 * 100, "payment");
    reg_status st;
    int64_t due = -1;
    assert_int_equal(jobs_backlog(f->d, &h.cfg, exp, keep_backlog, &due, &st), REG_OK);
    assert_int_equal(due, 250);

    struct expiry_run x = run_expiry(&h, exp, 100, 300, true);
    assert_int_equal(x.r.counts.done, 130);
    assert_int_equal(x.r.counts.declined, 120);
    assert_int_equal(x.r.counts.transactions, 3);
    renewed_once(f, exp, 130);
    assert_int_equal(count_at(f, "SELECT COUNT(*) FROM domain WHERE name < 'funds0130.dk' AND "
                                 "expires_at > ", exp),
                     130);
    assert_int_equal(count_at(f, "SELECT COUNT(*) FROM domain WHERE expires_at = ", exp), 120);
    int64_t balance = -1;
    assert_int_equal(billing_balance(f->d, f->a, &balance, &st), REG_OK);
    assert_int_equal(balance, 0);
    assert_int_equal(jobs_backlog(f->d, &h.cfg, exp, keep_backlog, &due, &st), REG_OK);
    assert_int_equal(due, 120);

    post_entry(f, f->a, "credit", 120 * 100, "payment");
    x = run_expiry(&h, exp + 3600, 100, 300, true);
    assert_int_equal(x.r.counts.done, 120);
    assert_int_equal(x.r.counts.declined, 0);
    renewed_once(f, exp, 250);
    assert_int_equal(jobs_backlog(f->d, &h.cfg, exp + 3600, keep_backlog, &due, &st), REG_OK);
    assert_int_equal(due, 0);
    stop(&h);
}

/* A due domain a step refuses for another reason than funds (here: no
 * autorenew price for its registrar, [billing] allow_unpriced off) is
 * left as it was, logged and counted, and the others are still done: one
 * bad domain does not stop the job at the same place every hour. */
static void lifecycle_job_goes_past_a_refused_domain(void **state)
{
    struct harness h;
    start_with_registrars(state, &h, "jobs_refused");
    assert_false(h.cfg.billing_allow_unpriced);
    struct fixture *f = &h.f;
    make_person(f, f->a, "HA", "a@example.test", "Holder A", NULL);
    make_person(f, f->b, "HB", "b@example.test", "Holder B", NULL);
    reg_time exp = 0;
    for (int i = 0; i < 30; i++) { /* interleaved in id order: A, B, A, B, ... */
        char name[32];
        snprintf(name, sizeof name, "mixed%02d.dk", i);
        struct domain_create in = {TERMS, .name = name, .period_months = 12,
                                   .registrant = i % 2 ? "REGB:HB" : "REGA:HA"};
        exp = make_domain_as(f, i % 2 ? f->b : f->a, &in);
    }
    set_price(f, "autorenew", 0, 100, f->b, T0 - DAY); /* REGB's price only */
    post_entry(f, f->b, "credit", 15 * 100, "payment");

    struct one_report r = run_job_named(&h, "domain-expiry", exp + 3600, 4);
    assert_int_equal(r.counts.done, 15);
    assert_int_equal(r.counts.failed, 15);
    assert_int_equal(r.counts.declined, 0);
    assert_non_null(strstr(r.message, "15 refused (the log names each and why)"));
    char renewed[128];
    snprintf(renewed, sizeof renewed,
             "SELECT COUNT(*) FROM domain WHERE expires_at > %lld AND sponsor_id = %lld",
             (long long)exp, (long long)f->b);
    assert_int_equal(scalar(f, renewed, NULL), 15);
    snprintf(renewed, sizeof renewed, "SELECT COUNT(*) FROM domain WHERE expires_at > %lld",
             (long long)exp);
    assert_int_equal(scalar(f, renewed, NULL), 15);
    stop(&h);
}

int main(void)
{
    log_set_level(LOG_OFF);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_is_well_formed),
        cmocka_unit_test(registry_op_rows_are_complete),
        BOTH_BACKENDS(runs_when_due_and_not_again),
        BOTH_BACKENDS(runs_when_clock_moved_back),
        BOTH_BACKENDS(force_runs_even_if_not_due),
        BOTH_BACKENDS(only_one_job_by_name),
        BOTH_BACKENDS(unknown_job_is_not_found),
        BOTH_BACKENDS(busy_while_another_instance_holds_the_lease),
        BOTH_BACKENDS(failure_is_reported_and_releases_the_lease),
        BOTH_BACKENDS(job_run_records_the_last_run),
        BOTH_BACKENDS(lifecycle_jobs_do_all_that_is_due_item10),
        BOTH_BACKENDS(lifecycle_job_goes_past_a_refused_domain),
        BOTH_BACKENDS(expiry_batches_at_their_boundaries),
        BOTH_BACKENDS(expiry_resumes_after_an_interrupted_run),
        BOTH_BACKENDS(expiry_balance_runs_out_mid_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
