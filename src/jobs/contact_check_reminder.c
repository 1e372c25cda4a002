/* Job contact-check-reminder: the registrants of registrar-managed
 * domains are asked to check their contact data once per
 * [management] contact_check_interval (R19). */
#include "jobs.h"
#include "registry/contact_check.h"

reg_err job_contact_check_reminder(struct job_ctx *ctx, reg_status *st)
{
    return job_in_transaction(ctx, "contact-check-reminder", contact_check_remind,
                              "registrants asked to check their contact data", st);
}
