/* Job pending-expire: registrant confirmations not answered in time are
 * dropped (R7); the registrar gets a poll message for each. */
#include "jobs.h"
#include "registry/pending.h"

reg_err job_pending_expire(struct job_ctx *ctx, reg_status *st)
{
    return job_in_transaction(ctx, "pending-expire", pending_expire_due,
                              "unanswered confirmations dropped", st);
}
