/* Job otp-expire: one-time passwords past [otp] ttl are removed (R16),
 * and the copies in delivered messages blanked. */
#include "jobs.h"
#include "registry/otp.h"

reg_err job_otp_expire(struct job_ctx *ctx, reg_status *st)
{
    return job_in_transaction(ctx, "otp-expire", otp_expire_due, "expired one-time passwords removed",
                              st);
}
