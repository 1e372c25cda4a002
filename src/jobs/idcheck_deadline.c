/* Job idcheck-deadline (R22): pending identity checks past their deadline
 * fail; failed registrants' domains are suspended (serverHold) and deleted
 * [idcheck] delete_after later, unless the registrant is verified first.
 * Its own file for its summary: the pass counts five things. */
#include <stdio.h>

#include "jobs.h"
#include "registry/idcheck.h"

static reg_err pass(const struct reg_op *op, void *run, reg_status *st)
{
    return idcheck_deadline_pass(op, run, st);
}

reg_err job_idcheck_deadline(struct job_ctx *ctx, reg_status *st)
{
    struct idcheck_run run = {0};
    reg_err e = job_in_transaction(ctx, pass, &run, st);
    if (!e)
        snprintf(ctx->summary, sizeof ctx->summary,
                 "%d checks started, %d past their deadline, %d domains suspended, %d released, "
                 "%d deleted",
                 run.started, run.failed, run.suspended, run.lifted, run.deleted);
    return e;
}
