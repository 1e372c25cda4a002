/* Job db-maintenance: the store's housekeeping (db_maintain), outside any
 * transaction and outside the registry. */
#include <stdio.h>

#include "jobs.h"

reg_err job_db_maintenance(struct job_ctx *ctx, reg_status *st)
{
    reg_err e = db_maintain(ctx->db);
    if (e)
        return reg_fail(st, e, "maintenance failed: %s", db_errmsg(ctx->db));
    snprintf(ctx->summary, sizeof ctx->summary, "statistics refreshed");
    return REG_OK;
}
