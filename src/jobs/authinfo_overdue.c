/* Job authinfo-overdue: the sponsor of each auth-code request past its
 * deadline gets one reminder by poll message (R15). */
#include "jobs.h"
#include "registry/authinfo_request.h"

reg_err job_authinfo_overdue(struct job_ctx *ctx, reg_status *st)
{
    return job_in_transaction(ctx, "authinfo-overdue", authinfo_requests_overdue,
                              "overdue auth-code requests reported", st);
}
