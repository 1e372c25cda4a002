/* The zone's safety guard (guard.h). */
#include "guard.h"

#include <stdio.h>

#include "contrib/log.h"
#include "notify/outbox.h"
#include "notify/templates.h"
#include "registry/zone_state.h"

bool zone_guard_refuses(int64_t previous, int64_t next, int max_shrink)
{
    return previous > 0 && next < previous && (previous - next) * 100 > previous * max_shrink;
}

reg_err zone_guard_previous(db *d, int64_t *previous, reg_status *st)
{
    struct zone_state state;
    reg_err e = zone_state_get(d, &state, st);
    *previous = !e && state.published_at ? state.published_delegations : 0;
    return e;
}

void zone_guard_removed(int64_t previous, int64_t next, char *out, size_t n)
{
    int64_t removed = previous > next ? previous - next : 0;
    snprintf(out, n, "%lld (%.1f %%)", (long long)removed,
             previous ? 100.0 * (double)removed / (double)previous : 0.0);
}

static reg_err alert(db *d, const struct zone_settings *zs, reg_time now, int64_t previous,
                     const char *removed, reg_status *st)
{
    char when[REG_TIME_STRLEN], prev[24], limit[16];
    clock_format(now, when, sizeof when);
    snprintf(prev, sizeof prev, "%lld", (long long)previous);
    snprintf(limit, sizeof limit, "%d %%", zs->max_shrink);
    const struct template_var vars[] = {
        {"tld", zs->origin}, {"time", when}, {"removed", removed}, {"previous", prev},
        {"limit", limit},
    };
    struct rendered mail;
    reg_err e = template_render("zone-held", template_lang_for(zs->lang, NULL, NULL), vars,
                                sizeof vars / sizeof vars[0], &mail, st);
    if (!e)
        e = outbox_email(d, now, zs->alert_email, &mail, "zone-held", st);
    rendered_free(&mail);
    return e;
}

reg_err zone_guard_hold(db *d, const struct zone_settings *zs, reg_time now, int64_t previous,
                        int64_t next, reg_status *st)
{
    char removed[64];
    zone_guard_removed(previous, next, removed, sizeof removed);
    reg_log(LOG_ERROR, "zone", NULL, "zone-held",
            "tld=%s previous=%lld next=%lld removed=%lld max_shrink=%d action=\"regctl zone diff; "
            "regctl zone export --force\"",
            zs->origin, (long long)previous, (long long)next, (long long)(previous - next),
            zs->max_shrink);
    reg_err e = db_begin(d);
    if (e)
        return reg_fail(st, e, "cannot record the zone's hold: %s", db_errmsg(d));
    bool first = false;
    e = zone_state_held(d, now, next, &first, st);
    if (!e && first && *zs->alert_email)
        e = alert(d, zs, now, previous, removed, st);
    if (e) {
        db_rollback(d);
        return e;
    }
    if ((e = db_commit(d)))
        return reg_fail(st, e, "cannot record the zone's hold: %s", db_errmsg(d));
    return REG_OK;
}
