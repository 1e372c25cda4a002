/* Job transfer-approve: pending transfers approved. */
#include "jobs.h"
#include "registry/contact.h"
#include "registry/domain.h"

/* Domains and contacts whose pending transfer is due, in one transaction. */
static reg_err approve_all(const struct reg_op *op, int *count, reg_status *st)
{
    int domains = 0, contacts = 0;
    reg_err e = domain_transfer_auto_approve(op, &domains, st);
    if (!e)
        e = contact_transfer_auto_approve(op, &contacts, st);
    *count = domains + contacts;
    return e;
}

reg_err job_transfer_approve(struct job_ctx *ctx, reg_status *st)
{
    return job_in_transaction(ctx, "transfer-approve", approve_all, "pending transfers approved",
                              st);
}
