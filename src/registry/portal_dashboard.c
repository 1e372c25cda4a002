/* The registrar's numbers at a glance, for the portal's first page
 * (portal.h): domains by status, domains expiring soon, the prepaid
 * balance, the poll queue. */
#include "portal.h"

#include <string.h>

#include "billing.h"
#include "contrib/strutil.h"
#include "poll.h"

static reg_err count(const struct reg_op *op, const char *sql, int64_t registrar_id, reg_time a,
                     reg_time b, int64_t *out, reg_status *st)
{
    db_stmt *q = db_query(op->db, sql);
    db_bind_int(q, 1, registrar_id);
    if (a || b) {
        db_bind_int(q, 2, a);
        db_bind_int(q, 3, b);
    }
    *out = db_next(q) ? db_col_int(q, 0) : 0;
    reg_err e = db_done(q);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err portal_dashboard_get(const struct reg_op *op, int64_t registrar_id,
                             struct portal_dashboard *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    int64_t ok = 0;
    if (count(op, "SELECT COUNT(*) FROM domain WHERE sponsor_id = ?", registrar_id, 0, 0,
              &out->domains, st) ||
        /* ok: no status stored (RFC 5731 §2.3) */
        count(op, "SELECT COUNT(*) FROM domain d WHERE d.sponsor_id = ? AND NOT EXISTS (SELECT "
                  "1 FROM object_status s WHERE s.object_kind = 'domain' AND s.object_id = d.id)",
              registrar_id, 0, 0, &ok, st) ||
        count(op, "SELECT COUNT(*) FROM domain WHERE sponsor_id = ? AND expires_at >= ? AND "
                  "expires_at < ?",
              registrar_id, op->now, op->now + PORTAL_EXPIRING_DAYS * 86400, &out->expiring, st))
        return st->code;
    if (ok) {
        str_copy(out->by_status[0].status, sizeof out->by_status[0].status, "ok");
        out->by_status[out->nstatus++].count = ok;
    }
    db_stmt *q = db_query(op->db, "SELECT s.status, COUNT(*) FROM object_status s JOIN domain d "
                                  "ON d.id = s.object_id WHERE s.object_kind = 'domain' AND "
                                  "d.sponsor_id = ? GROUP BY s.status ORDER BY s.status");
    db_bind_int(q, 1, registrar_id);
    while (db_next(q) && out->nstatus < PORTAL_STATUS_MAX) {
        str_copy(out->by_status[out->nstatus].status, sizeof out->by_status[0].status,
                 db_col_text(q, 0));
        out->by_status[out->nstatus++].count = db_col_int(q, 1);
    }
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    struct billing_account acct;
    if (billing_account_get(op->db, registrar_id, op->now, &acct, st))
        return st->code;
    out->balance = acct.balance;
    out->credit_limit = acct.credit_limit;
    bool found = false;
    struct poll_msg oldest;
    if (poll_peek(op->db, registrar_id, &out->poll_messages, &oldest, &found, st))
        return st->code;
    if (found)
        poll_msg_free(&oldest);
    return REG_OK;
}
