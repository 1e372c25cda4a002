/* Job outbox-deliver: sends queued mail through the SMTP relay ([mail]
 * smtp) or, without one, to the spool directory ([mail] spool). Each
 * message is marked on its own, so no transaction is held open while the
 * relay is talked to; the job's lease keeps other instances away. */
#include <stdio.h>

#include "jobs.h"
#include "notify/outbox.h"

reg_err job_outbox_deliver(struct job_ctx *ctx, reg_status *st)
{
    const struct reg_config *c = ctx->cfg;
    struct mail_settings ms = {
        .from = c->mail_from, .spool = c->mail_spool, .smtp = c->mail_smtp,
        .starttls = c->mail_starttls, .user = c->mail_user, .password = c->mail_password,
        .ca_file = c->mail_ca, .timeout = (long)c->mail_timeout,
    };
    struct outbox_result r;
    reg_err e = outbox_deliver(ctx->db, &ms, ctx->now, 1000, &r, st);
    if (e)
        return e;
    int n = snprintf(ctx->summary, sizeof ctx->summary,
                     "%d sent, %d kept for a retry, %d given up", r.sent, r.retry, r.failed);
    if (r.waiting && n > 0 && (size_t)n < sizeof ctx->summary)
        snprintf(ctx->summary + n, sizeof ctx->summary - (size_t)n,
                 ", %d waiting (relay unreachable)", r.waiting);
    return REG_OK;
}
