/* The scheduler: runs the rows of job_table (table.c) that are due, each
 * under its lease, and records every run in job_run. */
#include <stdio.h>
#include <string.h>

#include "contrib/log.h"
#include "jobs.h"

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

/* Due when the interval has passed since the last start, or when the clock
 * was moved back before it (a test or staff ran jobs "in the future"). */
static reg_err is_due(db *d, const struct job *j, reg_time now, bool *due)
{
    db_stmt *s = db_query(d, "SELECT last_start FROM job_run WHERE name = ?");
    db_bind_text(s, 1, j->name);
    *due = true;
    if (db_next(s)) {
        reg_time last = db_col_int(s, 0);
        *due = now >= last + j->interval || now < last;
    }
    return db_done(s);
}

static reg_err record(db *d, const struct job *j, reg_time start, bool ok, const char *msg)
{
    db_stmt *s = db_query(d, "INSERT INTO job_run (name, last_start, last_finish, last_status, "
                             "last_message, runs) VALUES (?, ?, ?, ?, ?, 1) "
                             "ON CONFLICT (name) DO UPDATE SET last_start = excluded.last_start, "
                             "last_finish = excluded.last_finish, last_status = "
                             "excluded.last_status, last_message = excluded.last_message, "
                             "runs = job_run.runs + 1");
    db_bind_text(s, 1, j->name);
    db_bind_int(s, 2, start);
    db_bind_int(s, 3, clock_now() > start ? clock_now() : start);
    db_bind_text(s, 4, ok ? "ok" : "failed");
    db_bind_text(s, 5, msg);
    return db_run(s);
}

static job_outcome run_one(db *d, const struct reg_config *cfg, const struct job *j,
                           const struct jobs_request *req, char *msg, size_t msglen)
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
    if (!req->force && (e = is_due(d, j, req->now, &due))) {
        snprintf(msg, msglen, "cannot read job state: %s", db_errmsg(d));
        db_lease_release(lease);
        return JOB_FAILED;
    }
    if (!due) {
        db_lease_release(lease);
        snprintf(msg, msglen, "ran less than %llds ago", (long long)j->interval);
        return JOB_NOT_DUE;
    }
    struct job_ctx ctx = {.db = d, .cfg = cfg, .job = j, .now = req->now};
    reg_status st = {0};
    int64_t t0 = clock_mono_us();
    e = j->run(&ctx, &st);
    if (db_in_transaction(d))
        db_rollback(d); /* a handler must not leave one open; never commit it blindly */
    snprintf(msg, msglen, "%s", e ? reg_status_text(&st) : ctx.summary);
    reg_err re = record(d, j, req->now, !e, msg);
    db_lease_release(lease);
    reg_log(e ? LOG_ERROR : LOG_INFO, "jobs", NULL, "job", "name=%s status=%s ms=%lld", j->name,
            e ? "failed" : "ok", (long long)((clock_mono_us() - t0) / 1000));
    if (re && !e)
        snprintf(msg, msglen, "ran, but recording the run failed: %s", db_errmsg(d));
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
        char msg[256] = "";
        job_outcome o = run_one(d, cfg, j, req, msg, sizeof msg);
        failed |= o == JOB_FAILED;
        if (req->report) {
            struct job_report r = {j, o, msg};
            req->report(&r, req->arg);
        }
    }
    return failed ? reg_fail(st, REG_ERR_INTERNAL, "a job failed") : REG_OK;
}
