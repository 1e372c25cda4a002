/* Job transfer-approve: pending transfers approved. */
#include "jobs.h"
#include "registry/domain.h"
#include "registry/lifecycle.h"

reg_err job_transfer_approve(struct job_ctx *ctx, reg_status *st)
{
    return job_in_transaction(ctx, "transfer-approve", domain_transfer_auto_approve, "pending transfers approved", st);
}
