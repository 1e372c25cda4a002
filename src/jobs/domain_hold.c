/* Job domain-hold: expired domains put on hold. */
#include "jobs.h"
#include "registry/domain.h"
#include "registry/lifecycle.h"

reg_err job_domain_hold(struct job_ctx *ctx, reg_status *st)
{
    return job_in_transaction(ctx, "domain-hold", lifecycle_hold_expired, "expired domains put on hold", st);
}
