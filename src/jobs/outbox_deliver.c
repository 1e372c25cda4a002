/* Job outbox-deliver: sends queued mail (to the spool directory). */
#include <stdio.h>

#include "jobs.h"
#include "notify/outbox.h"

reg_err job_outbox_deliver(struct job_ctx *ctx, reg_status *st)
{
    struct mail_settings ms = {.from = ctx->cfg->mail_from, .spool = ctx->cfg->mail_spool};
    int sent = 0, failed = 0;
    reg_err e = db_begin(ctx->db);
    if (e)
        return reg_fail(st, e, "database: %s", db_errmsg(ctx->db));
    e = outbox_deliver(ctx->db, &ms, ctx->now, 1000, &sent, &failed, st);
    if (e)
        db_rollback(ctx->db);
    else if ((e = db_commit(ctx->db)))
        reg_fail(st, e, "database: %s", db_errmsg(ctx->db));
    if (!e)
        snprintf(ctx->summary, sizeof ctx->summary, "%d sent, %d kept for a retry", sent, failed);
    return e;
}
