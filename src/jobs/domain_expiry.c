/* Job domain-expiry: domains renewed automatically. */
#include "jobs.h"
#include "registry/domain.h"
#include "registry/lifecycle.h"

reg_err job_domain_expiry(struct job_ctx *ctx, reg_status *st)
{
    return job_in_transaction(ctx, "domain-expiry", lifecycle_autorenew, "domains renewed automatically", st);
}
