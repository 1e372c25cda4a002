/* Registry operations run as a job: in one transaction, or a batch step
 * in bounded transactions with progress and a time budget. */
#include <stdio.h>
#include <string.h>

#include "contrib/log.h"
#include "jobs.h"
#include "registry/lifecycle.h"
#include "registry/op.h"

reg_err job_in_transaction(struct job_ctx *ctx,
                           reg_err (*fn)(const struct reg_op *op, void *arg, reg_status *st),
                           void *arg, reg_status *st)
{
    struct registry_policy policy;
    policy_from_config(ctx->cfg, &policy);
    char actor[48];
    snprintf(actor, sizeof actor, "job:%s", ctx->job->name);
    struct reg_op op = {.db = ctx->db, .policy = &policy, .actor = actor, .channel = "job",
                        .now = ctx->now};
    reg_err e = db_begin(ctx->db);
    if (e) {
        policy_free(&policy);
        return reg_fail(st, e, "database: %s", db_errmsg(ctx->db));
    }
    e = fn(&op, arg, st);
    if (e)
        db_rollback(ctx->db);
    else if ((e = db_commit(ctx->db)))
        reg_fail(st, e, "database: %s", db_errmsg(ctx->db));
    policy_free(&policy);
    return e;
}

struct counting {
    const struct job *job;
    int count;
};

static reg_err run_steps(const struct reg_op *op, void *arg, reg_status *st)
{
    struct counting *c = arg;
    for (int i = 0; i < JOB_STEPS_MAX && c->job->steps[i]; i++) {
        int n = 0;
        reg_err e = c->job->steps[i](op, &n, st);
        if (e)
            return e;
        c->count += n;
    }
    return REG_OK;
}

struct batching {
    const struct job *job;
    struct due_batch b;
};

static reg_err run_batch(const struct reg_op *op, void *arg, reg_status *st)
{
    struct batching *c = arg;
    c->b.done = c->b.declined = c->b.failed = 0;
    c->b.more = false;
    return c->job->batch(op, &c->b, st);
}

struct due_count {
    const struct job *job;
    int64_t n;
};

static reg_err count_due(const struct reg_op *op, void *arg, reg_status *st)
{
    struct due_count *c = arg;
    return c->job->due(op, &c->n, st);
}

/* "<done> <counts>[, N left as they were (no funds)][, N refused ...]" */
static void describe(char *out, size_t len, const struct job *j, const struct job_counts *n)
{
    int k = snprintf(out, len, "%lld %s", (long long)n->done, j->counts);
    if (n->declined && k >= 0 && (size_t)k < len)
        k += snprintf(out + k, len - (size_t)k, ", %lld left as they were (no funds)",
                      (long long)n->declined);
    if (n->failed && k >= 0 && (size_t)k < len)
        snprintf(out + k, len - (size_t)k, ", %lld refused (the log names each and why)",
                 (long long)n->failed);
}

/* A progress line: what is done so far of what was due, and the rate. */
static void report_progress(struct job_ctx *ctx, int64_t us)
{
    const struct job_counts *n = &ctx->counts;
    int64_t seen = n->done + n->declined + n->failed;
    int64_t rate = us > 0 ? seen * 1000000 / us : 0;
    char what[160], of[48] = "";
    describe(what, sizeof what, ctx->job, n);
    if (n->due >= 0)
        snprintf(of, sizeof of, " of %lld due", (long long)n->due);
    snprintf(ctx->summary, sizeof ctx->summary, "progress: %lld%s looked at, %lld/s: %s",
             (long long)seen, of, (long long)rate, what);
    reg_log(LOG_INFO, "jobs", NULL, "job-progress",
            "name=%s seen=%lld due=%lld done=%lld declined=%lld failed=%lld rate=%lld "
            "transactions=%lld",
            ctx->job->name, (long long)seen, (long long)n->due, (long long)n->done,
            (long long)n->declined, (long long)n->failed, (long long)rate,
            (long long)n->transactions);
    if (ctx->progress) {
        struct job_report r = {ctx->job, JOB_RAN, ctx->summary, *n};
        ctx->progress(&r, ctx->arg);
    }
}

#define PROGRESS_US 1000000 /* at most one progress line a second */

/* Batch after batch, each committed, until one is not full or [jobs]
 * budget has passed: what is due is done in one run, no transaction holds
 * more than [jobs] batch domains' changes, and a crash loses at most the
 * batch in flight (what a committed batch did is no longer due, so the
 * next run neither repeats nor skips it). A run cut short by the budget
 * counts what it left; the scheduler runs the job again at its next tick. */
static reg_err run_batches(struct job_ctx *ctx, reg_status *st)
{
    struct batching c = {ctx->job, {.limit = (int)ctx->cfg->jobs_batch}};
    struct job_counts *n = &ctx->counts;
    n->due = -1;
    if (ctx->job->due) {
        struct due_count dc = {ctx->job, 0};
        reg_err e = job_in_transaction(ctx, count_due, &dc, st);
        if (e)
            return e;
        n->due = dc.n;
    }
    int64_t t0 = clock_mono_us(), shown = t0, budget = ctx->cfg->jobs_budget * 1000000;
    do {
        reg_err e = job_in_transaction(ctx, run_batch, &c, st);
        if (e)
            return e;
        n->done += c.b.done;
        n->declined += c.b.declined;
        n->failed += c.b.failed;
        n->transactions++;
        int64_t t = clock_mono_us();
        if (c.b.more && t - t0 >= budget) {
            int64_t seen = n->done + n->declined + n->failed;
            n->left = n->due > seen ? n->due - seen : 1; /* 1: not counted, but not done */
            break;
        }
        if (c.b.more && (n->transactions == 1 || t - shown >= PROGRESS_US)) {
            report_progress(ctx, t - t0);
            shown = t;
        }
    } while (c.b.more);
    return REG_OK;
}

reg_err job_registry_ops(struct job_ctx *ctx, reg_status *st)
{
    reg_err e;
    if (ctx->job->batch) {
        e = run_batches(ctx, st);
    } else {
        struct counting c = {ctx->job, 0};
        if (!(e = job_in_transaction(ctx, run_steps, &c, st))) {
            ctx->counts.done = c.count;
            ctx->counts.transactions = 1;
        }
    }
    if (e)
        return e;
    const struct job_counts *n = &ctx->counts;
    if (!ctx->job->batch) {
        snprintf(ctx->summary, sizeof ctx->summary, "%lld %s", (long long)n->done,
                 ctx->job->counts);
        return REG_OK;
    }
    char what[160], left[96] = "";
    describe(what, sizeof what, ctx->job, n);
    if (n->left)
        snprintf(left, sizeof left, "; %lld still due, left for the next run ([jobs] budget "
                 "%llds used)", (long long)n->left, (long long)ctx->cfg->jobs_budget);
    snprintf(ctx->summary, sizeof ctx->summary, "%s, in %lld transaction%s%s", what,
             (long long)n->transactions, n->transactions == 1 ? "" : "s", left);
    return REG_OK;
}
