/* Job domain-delete: expired domains deleted into redemption. */
#include "jobs.h"
#include "registry/domain.h"
#include "registry/lifecycle.h"

reg_err job_domain_delete(struct job_ctx *ctx, reg_status *st)
{
    return job_in_transaction(ctx, "domain-delete", lifecycle_delete_expired, "expired domains deleted into redemption", st);
}
