/* Job idcheck-deadline (R22): pending identity checks past their deadline
 * fail; failed registrants' domains are suspended (serverHold) and deleted
 * [idcheck] delete_after later, unless the registrant is verified first. */
#include <stdio.h>

#include "jobs.h"
#include "registry/idcheck.h"

/* job_in_transaction counts one number; the pass counts five */
static _Thread_local struct idcheck_run run;

static reg_err pass(const struct reg_op *op, int *count, reg_status *st)
{
    reg_err e = idcheck_deadline_pass(op, &run, st);
    *count = run.started + run.failed + run.suspended + run.lifted + run.deleted;
    return e;
}

reg_err job_idcheck_deadline(struct job_ctx *ctx, reg_status *st)
{
    reg_err e = job_in_transaction(ctx, "idcheck-deadline", pass, "changes", st);
    if (!e)
        snprintf(ctx->summary, sizeof ctx->summary,
                 "%d checks started, %d past their deadline, %d domains suspended, %d released, "
                 "%d deleted",
                 run.started, run.failed, run.suspended, run.lifted, run.deleted);
    return e;
}
