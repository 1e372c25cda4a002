/* Job expiry-notice: one mail to a domain's contacts a day after it
 * expired (R11). */
#include "jobs.h"
#include "registry/lifecycle.h"

reg_err job_expiry_notice(struct job_ctx *ctx, reg_status *st)
{
    return job_in_transaction(ctx, "expiry-notice", lifecycle_expiry_notice,
                              "expired domains notified", st);
}
