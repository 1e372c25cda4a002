/* Keeps the database healthy: planner statistics, and on SQLite a passive
 * WAL checkpoint so the log does not grow without bound between restarts. */
#include <stdio.h>

#include "jobs.h"

reg_err job_db_maintenance(struct job_ctx *ctx, reg_status *st)
{
    const char *sql = db_kind_of(ctx->db) == DB_SQLITE
                          ? "PRAGMA optimize; PRAGMA wal_checkpoint(PASSIVE);"
                          : "ANALYZE";
    reg_err e = db_exec(ctx->db, sql);
    if (e)
        return reg_fail(st, e, "maintenance failed: %s", db_errmsg(ctx->db));
    snprintf(ctx->summary, sizeof ctx->summary, "statistics refreshed");
    return REG_OK;
}
