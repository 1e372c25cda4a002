/* The scheduler: runs the rows of job_table (table.c) that are due, each
 * under its lease, and records every run in job_run. */
#include <stdio.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/metric_table.h"
#include "jobs.h"
#include "registry/job_run.h"
#include "registry/op.h"

const char *job_outcome_name(job_outcome o)
{
    static const char *const names[] = {"ran", "failed", "not-due", "busy"};
    return names[o];
}

const struct job *jobs_find(const char *name)
{
    for (size_t i = 0; i < job_count; i++)
        if (!strcmp(job_table[i].name, name))
            return &job_table[i];
    return NULL;
}

int64_t job_interval(const struct job *j, const struct reg_config *cfg)
{
    return j->interval_setting ? j->interval_setting(cfg) : j->interval;
}

/* Due when the interval has passed since the last start, when the last
 * run used its time budget and left due domains, or when the clock was
 * moved back before it (a test or staff ran jobs "in the future"). */
static reg_err is_due(db *d, const struct reg_config *cfg, const struct job *j, reg_time now,
                      bool *due, reg_status *st)
{
    struct job_run last;
    reg_err e = job_run_last(d, j->name, &last, st);
    *due = !last.ran || now >= last.last_start + job_interval(j, cfg) || last.left > 0 ||
           now < last.last_start;
    return e;
}

/* The metrics of a run that went ahead (failed or not). */
static void count_run(const struct job *j, const struct job_counts *n, int64_t us)
{
    metric_observe(METRIC(M_JOB_SECONDS), &j->name, us);
    metric_add(METRIC(M_JOB_ITEMS), (const char *[]){j->name, "done"}, n->done);
    metric_add(METRIC(M_JOB_ITEMS), (const char *[]){j->name, "declined"}, n->declined);
    metric_add(METRIC(M_JOB_ITEMS), (const char *[]){j->name, "failed"}, n->failed);
    metric_add(METRIC(M_JOB_TRANSACTIONS), &j->name, n->transactions);
}

static job_outcome run_one(db *d, const struct reg_config *cfg, const struct job *j,
                           const struct jobs_request *req, char *msg, size_t msglen,
                           struct job_counts *counts)
{
    db_lease *lease = NULL;
    reg_err e = db_lease_try(d, j->name, &lease);
    if (e == REG_ERR_LOCKED) {
        snprintf(msg, msglen, "another instance is running it");
        return JOB_BUSY;
    }
    if (e) {
        snprintf(msg, msglen, "cannot take lease: %s", db_errmsg(d));
        return JOB_FAILED;
    }
    bool due = true;
    reg_status st = {0};
    if (!req->force && is_due(d, cfg, j, req->now, &due, &st)) {
        snprintf(msg, msglen, "%s", reg_status_text(&st));
        db_lease_release(lease);
        return JOB_FAILED;
    }
    if (!due) {
        db_lease_release(lease);
        snprintf(msg, msglen, "ran less than %llds ago", (long long)job_interval(j, cfg));
        return JOB_NOT_DUE;
    }
    struct job_ctx ctx = {.db = d, .cfg = cfg, .job = j, .now = req->now,
                          .progress = req->progress, .arg = req->arg};
    int64_t t0 = clock_mono_us();
    e = j->run(&ctx, &st);
    if (db_in_transaction(d))
        db_rollback(d); /* a handler must not leave one open; never commit it blindly */
    snprintf(msg, msglen, "%s", e ? reg_status_text(&st) : ctx.summary);
    reg_time finish = clock_now() > req->now ? clock_now() : req->now;
    reg_status rst = {0};
    reg_err re = job_run_finish(d, j->name, req->now, finish, !e, msg, ctx.counts.left, &rst);
    db_lease_release(lease);
    *counts = ctx.counts;
    int64_t us = clock_mono_us() - t0;
    char counted[64] = ""; /* a job that counts what is due: how much, and what it left */
    if (j->due)
        snprintf(counted, sizeof counted, " due=%lld left=%lld", (long long)counts->due,
                 (long long)counts->left);
    reg_log(e ? LOG_ERROR : LOG_INFO, "jobs", NULL, "job",
            "name=%s status=%s ms=%lld done=%lld declined=%lld failed=%lld transactions=%lld%s",
            j->name, e ? "failed" : "ok", (long long)(us / 1000), (long long)counts->done,
            (long long)counts->declined, (long long)counts->failed,
            (long long)counts->transactions, counted);
    count_run(j, counts, us);
    if (re && !e)
        snprintf(msg, msglen, "ran, but %s", reg_status_text(&rst));
    return e ? JOB_FAILED : JOB_RAN;
}

reg_err jobs_run(db *d, const struct reg_config *cfg, const struct jobs_request *req,
                 reg_status *st)
{
    if (req->only && !jobs_find(req->only))
        return reg_fail(st, REG_ERR_NOT_FOUND, "no job named \"%s\" (see regctl jobs list)",
                        req->only);
    bool failed = false;
    for (size_t i = 0; i < job_count; i++) {
        const struct job *j = &job_table[i];
        if (req->only && strcmp(req->only, j->name))
            continue;
        char msg[sizeof ((struct job_ctx *)0)->summary] = "";
        struct job_counts counts = {0};
        job_outcome o = run_one(d, cfg, j, req, msg, sizeof msg, &counts);
        failed |= o == JOB_FAILED;
        if (o != JOB_NOT_DUE)
            metric_add(METRIC(M_JOB_RUNS), (const char *[]){j->name, job_outcome_name(o)}, 1);
        if (req->report) {
            struct job_report r = {j, o, msg, counts};
            req->report(&r, req->arg);
        }
    }
    return failed ? reg_fail(st, REG_ERR_INTERNAL, "a job failed") : REG_OK;
}

reg_err jobs_overdue(db *d, const struct reg_config *cfg, reg_time now, reg_time since,
                     job_state_fn fn, void *arg, reg_status *st)
{
    for (size_t i = 0; i < job_count; i++) {
        const struct job *j = &job_table[i];
        struct job_run last;
        reg_err e = job_run_last(d, j->name, &last, st);
        if (e)
            return e;
        int64_t interval = job_interval(j, cfg);
        reg_time from = last.succeeded ? last.last_ok : since;
        fn(j->name, interval, now - from > JOB_OVERDUE_INTERVALS * interval + cfg->health_job_grace,
           last.succeeded ? last.last_ok : 0, arg);
    }
    return REG_OK;
}

reg_err jobs_backlog(db *d, const struct reg_config *cfg, reg_time now,
                     void (*fn)(const char *job, int64_t n, void *arg), void *arg,
                     reg_status *st)
{
    struct registry_policy policy;
    policy_from_config(cfg, &policy);
    struct reg_op op = {.db = d, .policy = &policy, .actor = "metrics", .channel = "job",
                        .now = now};
    reg_err e = REG_OK;
    for (size_t i = 0; i < job_count && !e; i++) {
        int64_t n = 0;
        if (job_table[i].due && !(e = job_table[i].due(&op, &n, st)))
            fn(job_table[i].name, n, arg);
    }
    policy_free(&policy);
    return e;
}
