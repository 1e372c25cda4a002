/* Purging domains (domain_purge.h): what goes with a domain when it is
 * deleted for good. */
#include "domain_purge.h"

#include <stdio.h>
#include <string.h>

#include "contrib/strutil.h"
#include "domain_change.h"
#include "domain_store.h"
#include "history.h"
#include "pending.h"
#include "transfer_domain.h"

/* The first (id, name) row of sql, whose one parameter is arg; *id 0
 * when there is none. */
static reg_err first_row(const struct reg_op *op, const char *sql, int64_t arg, int64_t *id,
                         char name[NAME_MAX_LEN + 1], reg_status *st)
{
    db_stmt *s = db_query(op->db, sql);
    db_bind_int(s, 1, arg);
    *id = 0;
    name[0] = '\0';
    if (db_next(s)) {
        *id = db_col_int(s, 0);
        str_copy(name, NAME_MAX_LEN + 1, db_col_text(s, 1));
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* Hosts under a purged domain go with it, and out of every delegation
 * that still names them (their glue would point into a free name). */
static reg_err purge_subordinates(const struct reg_op *op, int64_t domain_id, reg_status *st)
{
    static const char *const sql[] = {
        "DELETE FROM domain_host WHERE host_id = ?",
        "DELETE FROM host_address WHERE host_id = ?",
        "DELETE FROM object_status WHERE object_kind = 'host' AND object_id = ?",
        "DELETE FROM host WHERE id = ?",
    };
    for (;;) {
        int64_t hid;
        char name[NAME_MAX_LEN + 1];
        if (first_row(op, "SELECT id, name FROM host WHERE superordinate_id = ? LIMIT 1",
                      domain_id, &hid, name, st))
            return st->code;
        if (!hid)
            return REG_OK;
        char snap[NAME_MAX_LEN + 32];
        snprintf(snap, sizeof snap, "{\"name\":\"%s\"}", name);
        if (history_record(op, "host", hid, name, "purge", snap, st))
            return st->code;
        for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
            db_stmt *s = db_query(op->db, sql[i]);
            db_bind_int(s, 1, hid);
            reg_err e = db_run(s);
            if (e)
                return op_db_fail(op, st, e);
        }
    }
}

reg_err domain_purge_id(const struct reg_op *op, int64_t id, const char *alabel, reg_status *st)
{
    if (!op->registrar_id && domain_notify_change(op, alabel, "autoPurge", NULL, st))
        return st->code;
    if (domain_transfer_cancel_pending(op, id, st) ||
        pending_cancel_for_domain(op, id, "the domain was deleted", st) ||
        domain_record_version(op, alabel, "purge", st) || purge_subordinates(op, id, st))
        return st->code;
    return domain_store_delete(op, id, st);
}

reg_err domain_purge_batch(const struct reg_op *op, struct due_batch *b, reg_status *st)
{
    int limit = b->limit > 0 ? b->limit : LIFECYCLE_BATCH;
    b->more = false;
    for (int n = 0; n < limit; n++) {
        int64_t id;
        char name[NAME_MAX_LEN + 1];
        /* a purged domain is gone, so the first due one is the next */
        if (first_row(op, "SELECT id, name FROM domain WHERE purge_at IS NOT NULL AND "
                          "purge_at <= ? ORDER BY purge_at, id LIMIT 1",
                      op->now, &id, name, st))
            return st->code;
        if (!id)
            return REG_OK;
        if (domain_purge_id(op, id, name, st))
            return st->code;
        b->done++;
    }
    b->more = true;
    return REG_OK;
}

reg_err domain_purge_due(const struct reg_op *op, int *count, reg_status *st)
{
    return lifecycle_all(op, domain_purge_batch, count, st);
}

reg_err domain_purge(const struct reg_op *op, const char *alabel, reg_status *st)
{
    struct domain d;
    if (domain_load(op, alabel, &d, NULL, 0, st))
        return st->code;
    int64_t id = d.id;
    domain_free(&d);
    return domain_purge_id(op, id, alabel, st);
}
