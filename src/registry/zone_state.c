/* The zone's publication state (zone_state.h). */
#include "zone_state.h"

#include <string.h>

#include "contrib/strutil.h"

static reg_err failed(db *d, reg_err e, const char *what, reg_status *st)
{
    return reg_fail(st, e, "cannot %s the zone's state: %s", what, db_errmsg(d));
}

reg_err zone_state_get(db *d, struct zone_state *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_query(d, "SELECT serial, published_at, published_serial, "
                             "published_delegations, held_at, held_delegations, "
                             "guard_refusals, error_at, error FROM zone_state WHERE id = 1");
    if (db_next(s)) {
        out->serial = db_col_int(s, 0);
        out->published_at = db_col_int(s, 1);
        out->published_serial = db_col_int(s, 2);
        out->published_delegations = db_col_int(s, 3);
        out->held_at = db_col_int(s, 4);
        out->held_delegations = db_col_int(s, 5);
        out->guard_refusals = db_col_int(s, 6);
        out->error_at = db_col_int(s, 7);
        str_copy(out->error, sizeof out->error, db_col_text(s, 8) ? db_col_text(s, 8) : "");
    }
    reg_err e = db_done(s);
    return e ? failed(d, e, "read", st) : REG_OK;
}

reg_err zone_serial_next(db *d, reg_time now, int64_t *serial, reg_status *st)
{
    /* the row is locked by the UPDATE until the caller commits, so two
     * instances never hand out one serial */
    db_stmt *s = db_query(d, "UPDATE zone_state SET serial = CASE WHEN serial < ? THEN ? ELSE "
                             "serial + 1 END WHERE id = 1");
    db_bind_int(s, 1, now);
    db_bind_int(s, 2, now);
    reg_err e = db_run(s);
    if (!e) {
        s = db_query(d, "SELECT serial FROM zone_state WHERE id = 1");
        *serial = db_next(s) ? db_col_int(s, 0) : 0;
        e = db_done(s);
    }
    if (e)
        return failed(d, e, "update", st);
    if (*serial <= 0 || *serial > ZONE_SERIAL_MAX)
        return reg_fail(st, REG_ERR_RANGE,
                        "the zone's serial %lld is outside 1..%lld (is the clock right?)",
                        (long long)*serial, ZONE_SERIAL_MAX);
    return REG_OK;
}

reg_err zone_state_published(db *d, reg_time at, int64_t serial, int64_t delegations,
                             reg_status *st)
{
    db_stmt *s = db_query(d, "UPDATE zone_state SET published_at = ?, published_serial = ?, "
                             "published_delegations = ?, held_at = NULL, held_delegations = "
                             "NULL, error_at = NULL, error = NULL WHERE id = 1");
    db_bind_int(s, 1, at);
    db_bind_int(s, 2, serial);
    db_bind_int(s, 3, delegations);
    reg_err e = db_run(s);
    return e ? failed(d, e, "update", st) : REG_OK;
}

reg_err zone_state_held(db *d, reg_time at, int64_t delegations, bool *first, reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT held_at FROM zone_state WHERE id = 1");
    *first = db_next(s) && db_col_is_null(s, 0);
    reg_err e = db_done(s);
    if (!e) {
        s = db_query(d, "UPDATE zone_state SET held_at = COALESCE(held_at, ?), "
                        "held_delegations = ?, guard_refusals = guard_refusals + 1 WHERE id = 1");
        db_bind_int(s, 1, at);
        db_bind_int(s, 2, delegations);
        e = db_run(s);
    }
    return e ? failed(d, e, "update", st) : REG_OK;
}

reg_err zone_state_failed(db *d, reg_time at, const char *error, reg_status *st)
{
    db_stmt *s = db_query(d, "UPDATE zone_state SET error_at = ?, error = ? WHERE id = 1");
    db_bind_int(s, 1, at);
    db_bind_text(s, 2, error);
    reg_err e = db_run(s);
    return e ? failed(d, e, "update", st) : REG_OK;
}
