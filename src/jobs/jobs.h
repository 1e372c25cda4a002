/* Scheduled jobs (DESIGN §8): a table of {name, interval, what it runs,
 * doc}, run by registryd on schedule and by `regctl jobs run` on demand. A
 * run takes a database lease named after the job, so one instance runs it
 * at a time; jobs are idempotent (running twice at one `now` changes
 * nothing). Most jobs are registry operations run in one transaction
 * (job_registry_ops); a job with logic of its own has a file. */
#ifndef REG_JOBS_H
#define REG_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "config/config.h"
#include "store/db.h"

struct job;
struct reg_op;
struct due_batch;

/* What a run did, in numbers: for the log line, `regctl jobs run` and
 * metrics. */
struct job_counts {
    int64_t done;         /* things done: domains changed, messages sent, ... */
    int64_t declined;     /* due things left as they were (no funds) */
    int64_t failed;       /* due things a step refused otherwise, each logged */
    int64_t transactions; /* transactions committed */
    int64_t due;          /* a batch job: due when the run started (-1: not counted) */
    int64_t left;         /* of those, not looked at when the run's [jobs] budget ran out */
};

/* A progress line of a run (struct job_report, outcome JOB_RAN, message
 * and counts so far), or its final report. */
struct job_report;
typedef void (*job_report_fn)(const struct job_report *r, void *arg);

struct job_ctx {
    db *db;
    const struct reg_config *cfg;
    const struct job *job; /* the row being run */
    reg_time now;
    char summary[320]; /* what the run did, for the report and job_run */
    struct job_counts counts;
    job_report_fn progress; /* the request's, or NULL */
    void *arg;
};

/* A registry operation as a job step: *count says how many things it did. */
typedef reg_err (*job_step)(const struct reg_op *op, int *count, reg_status *st);
/* A lifecycle step that does at most b->limit things per call
 * (registry/lifecycle.h): run in bounded transactions until done. */
typedef reg_err (*job_batch_step)(const struct reg_op *op, struct due_batch *b,
                                  reg_status *st);
/* How many things a batch step finds due (registry/lifecycle.h). */
typedef reg_err (*job_due_count)(const struct reg_op *op, int64_t *n, reg_status *st);

#define JOB_STEPS_MAX 2

struct job {
    const char *name;
    int64_t interval; /* seconds between runs */
    reg_err (*run)(struct job_ctx *ctx, reg_status *st);
    /* for run = job_registry_ops: the steps, in order in one transaction,
     * or one batch step run in transactions of [jobs] batch until nothing
     * is due; and what their summed count is ("<count> <counts>" in the
     * summary) */
    job_step steps[JOB_STEPS_MAX];
    const char *counts;
    const char *doc;
    job_batch_step batch;
    /* with batch: how many are due, for progress, the backlog left by a
     * run cut short and the /metrics gauge; or NULL */
    job_due_count due;
    /* the interval from a setting instead of `interval`, or NULL */
    int64_t (*interval_setting)(const struct reg_config *cfg);
};

/* Seconds between runs of j under cfg. */
int64_t job_interval(const struct job *j, const struct reg_config *cfg);

extern const struct job job_table[];
extern const size_t job_count;

typedef enum { JOB_RAN, JOB_FAILED, JOB_NOT_DUE, JOB_BUSY } job_outcome;

struct job_report {
    const struct job *job;
    job_outcome outcome;
    const char *message;
    struct job_counts counts; /* of a run (JOB_RAN, or JOB_FAILED part way) */
};

struct jobs_request {
    reg_time now;
    bool force;        /* run even if not due */
    const char *only;  /* just this job, or NULL for all */
    job_report_fn report;
    /* a batch job's progress: after a batch when more are to come, at
     * most one a second; or NULL */
    job_report_fn progress;
    void *arg;
};

/* A job is overdue when it has not succeeded for this many intervals and
 * [health] job_grace. */
#define JOB_OVERDUE_INTERVALS 3
/* One job's state: its interval, whether it is overdue, and the start of
 * its last successful run (0: none). */
typedef void (*job_state_fn)(const char *job, int64_t interval, bool overdue, reg_time last_ok,
                             void *arg);
/* fn for every job of the table at `now`. A job that never succeeded
 * counts from `since` (when the scheduler started). */
reg_err jobs_overdue(db *d, const struct reg_config *cfg, reg_time now, reg_time since,
                     job_state_fn fn, void *arg, reg_status *st);
/* fn(job, n, arg) for every job that counts what is due (the lifecycle
 * jobs): how many domains it finds due at `now` (the backlog gauge). */
reg_err jobs_backlog(db *d, const struct reg_config *cfg, reg_time now,
                     void (*fn)(const char *job, int64_t n, void *arg), void *arg,
                     reg_status *st);

const struct job *jobs_find(const char *name);
/* Runs every due job (or req->only) once. Returns REG_ERR_NOT_FOUND for an
 * unknown job name, REG_ERR_INTERNAL if any job failed, else REG_OK. */
reg_err jobs_run(db *d, const struct reg_config *cfg, const struct jobs_request *req,
                 reg_status *st);
const char *job_outcome_name(job_outcome o);

/* Runs fn(op, arg, st) as job ctx->job (actor "job:NAME", channel "job",
 * the configured policy) in one transaction: committed when fn succeeds,
 * rolled back when it fails. arg carries what fn counts back to the job. */
reg_err job_in_transaction(struct job_ctx *ctx,
                           reg_err (*fn)(const struct reg_op *op, void *arg, reg_status *st),
                           void *arg, reg_status *st);
/* The run of a row with steps: job_in_transaction over them, or over
 * its batch step again and again; the summary "<count> <counts>", and
 * for a batch step how many transactions it took and how many due
 * domains it declined. */
reg_err job_registry_ops(struct job_ctx *ctx, reg_status *st);

/* Jobs with logic of their own, one file each. */
reg_err job_idcheck_deadline(struct job_ctx *ctx, reg_status *st);
reg_err job_outbox_deliver(struct job_ctx *ctx, reg_status *st);
reg_err job_db_maintenance(struct job_ctx *ctx, reg_status *st);
reg_err job_zone_export(struct job_ctx *ctx, reg_status *st);

#endif
