#include "zone_queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/strutil.h"

static reg_err db_fail(db *d, reg_status *st, reg_err e, const char *what)
{
    return reg_fail(st, e, "zone queue: cannot %s: %s", what, db_errmsg(d));
}

reg_err zone_queue_open(db *d, const char *address, reg_time now, reg_status *st)
{
    db_stmt *s = db_query(d, "INSERT INTO zone_primary (id, address, since) VALUES (1, ?, ?) "
                             "ON CONFLICT (id) DO UPDATE SET address = excluded.address");
    db_bind_text(s, 1, address);
    db_bind_int(s, 2, now);
    reg_err e = db_run(s);
    return e ? db_fail(d, st, e, "open it") : REG_OK;
}

reg_err zone_queue_close(db *d, reg_status *st)
{
    reg_err e = db_begin(d);
    if (!e)
        e = db_run(db_query(d, "DELETE FROM zone_primary"));
    if (!e)
        e = db_run(db_query(d, "DELETE FROM zone_change"));
    if (!e)
        e = db_commit(d);
    else
        db_rollback(d);
    return e ? db_fail(d, st, e, "close it") : REG_OK;
}

reg_err zone_queue_peek(db *d, struct zone_change *out, size_t max, size_t *n, reg_status *st)
{
    *n = 0;
    db_stmt *s = db_query(d, "SELECT id, kind, name FROM zone_change ORDER BY id LIMIT ?");
    db_bind_int(s, 1, (int64_t)max);
    while (*n < max && db_next(s)) {
        struct zone_change *c = &out[*n];
        c->id = db_col_int(s, 0);
        c->kind = !strcmp(db_col_text(s, 1), "host") ? ZONE_CHANGE_HOST : ZONE_CHANGE_DOMAIN;
        str_copy(c->name, sizeof c->name, db_col_text(s, 2));
        ++*n;
    }
    reg_err e = db_done(s);
    return e ? db_fail(d, st, e, "read it") : REG_OK;
}

reg_err zone_queue_ids(db *d, int64_t **ids, size_t *n, reg_status *st)
{
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    db_stmt *s = db_query(d, "SELECT id FROM zone_change ORDER BY id");
    while (db_next(s)) {
        if (*n == cap) {
            int64_t *more = realloc(*ids, (cap = cap ? 2 * cap : 256) * sizeof *more);
            if (!more) {
                db_done(s);
                free(*ids);
                *ids = NULL;
                *n = 0;
                return reg_fail(st, REG_ERR_NOMEM, "out of memory");
            }
            *ids = more;
        }
        (*ids)[(*n)++] = db_col_int(s, 0);
    }
    reg_err e = db_done(s);
    if (e) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return db_fail(d, st, e, "read it");
    }
    return REG_OK;
}

reg_err zone_queue_done(db *d, const int64_t *ids, size_t n, reg_status *st)
{
    if (!n)
        return REG_OK;
    /* row by row, the ids read: a row committed meanwhile with a lower id
     * (PostgreSQL) is not among them and stays for the next read */
    reg_err e = db_begin(d);
    for (size_t i = 0; !e && i < n; i++) {
        db_stmt *s = db_query(d, "DELETE FROM zone_change WHERE id = ?");
        db_bind_int(s, 1, ids[i]);
        e = db_run(s);
    }
    if (!e)
        e = db_commit(d);
    else
        db_rollback(d);
    return e ? db_fail(d, st, e, "drop delivered changes") : REG_OK;
}

reg_err zone_domain_hosts(db *d, const char *domain, int (*fn)(const char *host, void *ctx),
                          void *ctx, reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT h.name FROM domain d JOIN domain_host dh ON dh.domain_id = "
                             "d.id JOIN host h ON h.id = dh.host_id WHERE d.name = ? AND "
                             "h.superordinate_id IS NOT NULL "
                             "UNION SELECT h.name FROM domain d JOIN host h ON "
                             "h.superordinate_id = d.id WHERE d.name = ? ORDER BY 1");
    db_bind_text(s, 1, domain);
    db_bind_text(s, 2, domain);
    while (db_next(s))
        if (fn(db_col_text(s, 0), ctx))
            break;
    reg_err e = db_done(s);
    return e ? db_fail(d, st, e, "read the hosts of a domain") : REG_OK;
}

reg_err zone_queue_state(db *d, struct zone_queue_state *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_query(d, "SELECT address, since, serial, delegations, levelled_at, sent_at, "
                             "sent_total, last_error, last_error_at FROM zone_primary");
    if (db_next(s)) {
        out->open = true;
        str_copy(out->address, sizeof out->address, db_col_text(s, 0));
        out->since = db_col_int(s, 1);
        out->has_serial = !db_col_is_null(s, 2);
        out->serial = db_col_int(s, 2);
        out->has_delegations = !db_col_is_null(s, 3);
        out->delegations = db_col_int(s, 3);
        out->levelled_at = db_col_int(s, 4);
        out->sent_at = db_col_int(s, 5);
        out->sent_total = db_col_int(s, 6);
        str_copy(out->last_error, sizeof out->last_error,
                 db_col_text(s, 7) ? db_col_text(s, 7) : "");
        out->last_error_at = db_col_int(s, 8);
    }
    reg_err e = db_done(s);
    if (!e) {
        s = db_query(d, "SELECT COUNT(*), COALESCE(MIN(queued_at), 0) FROM zone_change");
        if (db_next(s)) {
            out->queued = db_col_int(s, 0);
            out->oldest = db_col_int(s, 1);
        }
        e = db_done(s);
    }
    return e ? db_fail(d, st, e, "read its state") : REG_OK;
}

reg_err zone_queue_note(db *d, const struct zone_attempt *a, int64_t wall_now, reg_status *st)
{
    db_stmt *s;
    if (a->error) {
        s = db_query(d, "UPDATE zone_primary SET last_error = ?, last_error_at = ?");
        db_bind_text(s, 1, a->error);
        db_bind_int(s, 2, wall_now);
    } else {
        s = db_query(d, a->level
                            ? "UPDATE zone_primary SET last_error = NULL, levelled_at = ?, "
                              "serial = COALESCE(?, serial), delegations = COALESCE(?, "
                              "delegations), sent_total = sent_total + ?"
                            : "UPDATE zone_primary SET last_error = NULL, sent_at = ?, "
                              "serial = COALESCE(?, serial), delegations = COALESCE(?, "
                              "delegations), sent_total = sent_total + ?");
        db_bind_int(s, 1, wall_now);
        db_bind_int_or_null(s, 2, a->has_serial, a->serial);
        db_bind_int_or_null(s, 3, a->delegations >= 0, a->delegations);
        db_bind_int(s, 4, a->names);
    }
    reg_err e = db_run(s);
    if (!e && !a->error && a->has_serial) {
        /* the zone file's next serial (zone_serial_next: max(clock, last +
         * 1)) stays above every serial the primary served, so a file that
         * replaces the primary's zone never takes the serial back */
        s = db_query(d, "UPDATE zone_state SET serial = ? WHERE id = 1 AND serial < ?");
        db_bind_int(s, 1, a->serial);
        db_bind_int(s, 2, a->serial);
        e = db_run(s);
    }
    return e ? db_fail(d, st, e, "record the publisher's state") : REG_OK;
}
