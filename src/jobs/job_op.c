/* Registry operations run as a job, in one transaction. */
#include <stdio.h>

#include "jobs.h"
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

reg_err job_registry_ops(struct job_ctx *ctx, reg_status *st)
{
    struct counting c = {ctx->job, 0};
    reg_err e = job_in_transaction(ctx, run_steps, &c, st);
    if (!e)
        snprintf(ctx->summary, sizeof ctx->summary, "%d %s", c.count, ctx->job->counts);
    return e;
}
