/* Shared by the domain jobs: a registry operation acting as the job, run
 * in one transaction. */
#include <stdio.h>

#include "jobs.h"
#include "registry/op.h"

reg_err job_in_transaction(struct job_ctx *ctx, const char *job,
                           reg_err (*fn)(const struct reg_op *op, int *count, reg_status *st),
                           const char *what, reg_status *st)
{
    struct registry_policy policy;
    policy_from_config(ctx->cfg, &policy);
    char actor[48];
    snprintf(actor, sizeof actor, "job:%s", job);
    struct reg_op op = {.db = ctx->db, .policy = &policy, .actor = actor, .channel = "job",
                        .now = ctx->now};
    int count = 0;
    reg_err e = db_begin(ctx->db);
    if (e) {
        policy_free(&policy);
        return reg_fail(st, e, "database: %s", db_errmsg(ctx->db));
    }
    e = fn(&op, &count, st);
    if (e)
        db_rollback(ctx->db);
    else if ((e = db_commit(ctx->db)))
        reg_fail(st, e, "database: %s", db_errmsg(ctx->db));
    policy_free(&policy);
    if (!e)
        snprintf(ctx->summary, sizeof ctx->summary, "%d %s", count, what);
    return e;
}
