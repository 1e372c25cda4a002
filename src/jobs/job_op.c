/* Registry operations run as a job, in one transaction. */
#include <stdio.h>

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
    c->b.done = c->b.declined = 0;
    c->b.more = false;
    return c->job->batch(op, &c->b, st);
}

/* Batch after batch, each committed, until one is not full: what is due
 * is done in one run, and no transaction holds more than [jobs] batch
 * domains' changes. */
static reg_err run_batches(struct job_ctx *ctx, reg_status *st)
{
    struct batching c = {ctx->job, {.limit = (int)ctx->cfg->jobs_batch}};
    do {
        reg_err e = job_in_transaction(ctx, run_batch, &c, st);
        if (e)
            return e;
        ctx->counts.done += c.b.done;
        ctx->counts.declined += c.b.declined;
        ctx->counts.transactions++;
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
    char declined[64] = "";
    if (n->declined)
        snprintf(declined, sizeof declined, ", %lld left as they were (no funds)",
                 (long long)n->declined);
    snprintf(ctx->summary, sizeof ctx->summary, "%lld %s%s, in %lld transaction%s",
             (long long)n->done, ctx->job->counts, declined, (long long)n->transactions,
             n->transactions == 1 ? "" : "s");
    return REG_OK;
}
