/* Job outbox-deliver: sends queued mail through the SMTP relay ([mail]
 * smtp) or, without one, to the spool directory ([mail] spool), and SMS
 * through the HTTP gateway ([sms] gateway) or to [sms] spool. Each
 * message is marked on its own, so no transaction is held open while a
 * relay or gateway is talked to; the job's lease keeps other instances
 * away. */
#include <stdio.h>
#include <string.h>

#include "jobs.h"
#include "notify/outbox.h"

/* ", N what" when N is not 0. */
static void append(char *summary, size_t size, int n, const char *what)
{
    size_t used = strlen(summary);
    if (n && used < size)
        snprintf(summary + used, size - used, ", %d %s", n, what);
}

reg_err job_outbox_deliver(struct job_ctx *ctx, reg_status *st)
{
    const struct reg_config *c = ctx->cfg;
    struct outbox_settings os = {
        .mail = {.from = c->mail_from, .spool = c->mail_spool, .smtp = c->mail_smtp,
                 .starttls = c->mail_starttls, .user = c->mail_user,
                 .password = c->mail_password, .ca_file = c->mail_ca,
                 .timeout = (long)c->mail_timeout},
        .sms = {.gateway = c->sms_gateway, .token = c->sms_token, .sender = c->sms_sender,
                .ca_file = c->sms_ca, .timeout = (long)c->sms_timeout, .spool = c->sms_spool},
    };
    struct outbox_result r;
    reg_err e = outbox_deliver(ctx->db, &os, ctx->now, 1000, &r, st);
    if (e)
        return e;
    ctx->counts.done = r.sent;
    snprintf(ctx->summary, sizeof ctx->summary, "%d sent, %d kept for a retry, %d given up",
             r.sent, r.retry, r.failed);
    append(ctx->summary, sizeof ctx->summary, r.waiting, "waiting (relay unreachable)");
    append(ctx->summary, sizeof ctx->summary, r.waiting_sms, "SMS waiting (gateway unavailable)");
    return REG_OK;
}
