/* Job domain-purge: domains purged. */
#include "jobs.h"
#include "registry/domain.h"
#include "registry/lifecycle.h"

reg_err job_domain_purge(struct job_ctx *ctx, reg_status *st)
{
    return job_in_transaction(ctx, "domain-purge", domain_purge_due, "domains purged", st);
}
