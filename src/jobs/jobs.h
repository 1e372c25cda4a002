/* Scheduled jobs (DESIGN §8): a table of {name, interval, handler}, run by
 * registryd on schedule and by `regctl jobs run` on demand. A run takes a
 * database lease named after the job, so one instance runs it at a time;
 * handlers are idempotent (running twice at one `now` changes nothing). */
#ifndef REG_JOBS_H
#define REG_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "config/config.h"
#include "store/db.h"

struct job_ctx {
    db *db;
    const struct reg_config *cfg;
    reg_time now;
    char summary[256]; /* what the run did, for the report and job_run */
};

struct job {
    const char *name;
    int64_t interval; /* seconds between runs */
    reg_err (*run)(struct job_ctx *ctx, reg_status *st);
    const char *doc;
};

extern const struct job job_table[];
extern const size_t job_count;

typedef enum { JOB_RAN, JOB_FAILED, JOB_NOT_DUE, JOB_BUSY } job_outcome;

struct job_report {
    const struct job *job;
    job_outcome outcome;
    const char *message;
};

struct jobs_request {
    reg_time now;
    bool force;        /* run even if not due */
    const char *only;  /* just this job, or NULL for all */
    void (*report)(const struct job_report *r, void *arg);
    void *arg;
};

const struct job *jobs_find(const char *name);
/* Runs every due job (or req->only) once. Returns REG_ERR_NOT_FOUND for an
 * unknown job name, REG_ERR_INTERNAL if any job failed, else REG_OK. */
reg_err jobs_run(db *d, const struct reg_config *cfg, const struct jobs_request *req,
                 reg_status *st);
const char *job_outcome_name(job_outcome o);

/* Job handlers, one file each. */
reg_err job_db_maintenance(struct job_ctx *ctx, reg_status *st);
reg_err job_domain_expiry(struct job_ctx *ctx, reg_status *st);
reg_err job_expiry_notice(struct job_ctx *ctx, reg_status *st);
reg_err job_domain_hold(struct job_ctx *ctx, reg_status *st);
reg_err job_domain_delete(struct job_ctx *ctx, reg_status *st);
reg_err job_pending_expire(struct job_ctx *ctx, reg_status *st);
reg_err job_domain_purge(struct job_ctx *ctx, reg_status *st);
reg_err job_transfer_approve(struct job_ctx *ctx, reg_status *st);
reg_err job_outbox_deliver(struct job_ctx *ctx, reg_status *st);
reg_err job_otp_expire(struct job_ctx *ctx, reg_status *st);
reg_err job_authinfo_overdue(struct job_ctx *ctx, reg_status *st);
reg_err job_contact_check_reminder(struct job_ctx *ctx, reg_status *st);
reg_err job_idcheck_deadline(struct job_ctx *ctx, reg_status *st);

/* Runs fn as the job `job` in one transaction; the summary says
 * "<count> <what>". */
struct reg_op;
reg_err job_in_transaction(struct job_ctx *ctx, const char *job,
                           reg_err (*fn)(const struct reg_op *op, int *count, reg_status *st),
                           const char *what, reg_status *st);

#endif
