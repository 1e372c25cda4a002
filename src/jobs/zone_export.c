/* Job zone-export: the zone file ([zone] file) every [zone] interval,
 * guarded (src/zone/export.h). A run the safety guard holds is no
 * failure of the job: it did its work, and the hold is logged, alerted
 * and shown by regctl zone status. */
#include <stdio.h>

#include "jobs.h"
#include "zone/export.h"
#include "zone/guard.h"

reg_err job_zone_export(struct job_ctx *ctx, reg_status *st)
{
    struct zone_settings zs;
    reg_err e = zone_settings_from_config(ctx->cfg, &zs, st);
    struct zone_run r;
    if (!e)
        e = zone_publish(ctx->db, &zs, ctx->now, false, &r, st);
    if (e)
        return e;
    if (r.held) {
        char removed[64];
        zone_guard_removed(r.previous, r.counts.delegations, removed, sizeof removed);
        snprintf(ctx->summary, sizeof ctx->summary,
                 "held by the safety guard: %s of %lld delegations would go (regctl zone diff, "
                 "regctl zone export --force)",
                 removed, (long long)r.previous);
        return REG_OK;
    }
    ctx->counts.done = r.counts.delegations;
    snprintf(ctx->summary, sizeof ctx->summary, "serial %lld: %lld delegations, %lld records",
             (long long)r.serial, (long long)r.counts.delegations, (long long)r.counts.records);
    return REG_OK;
}
