/* The registrar's numbers at a glance, for the portal's first page
 * (portal.h): domains by status, domains expiring soon, the prepaid
 * balance, the poll queue. */
#include "portal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* The start of the calendar month `back` months before the one of t (UTC). */
static reg_time month_start(reg_time t, int back, char label[8])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    int m = tm.tm_year * 12 + tm.tm_mon - back;
    struct tm start = {.tm_year = m / 12, .tm_mon = m % 12, .tm_mday = 1};
    if (label) {
        char buf[32];
        snprintf(buf, sizeof buf, "%04d-%02d", start.tm_year + 1900, start.tm_mon + 1);
        str_copy(label, 8, buf);
    }
    return (reg_time)timegm(&start);
}

static reg_err registrations(const struct reg_op *op, int64_t registrar_id,
                             struct portal_dashboard *out, reg_status *st)
{
    for (int i = 0; i < PORTAL_CHART_MONTHS; i++) {
        int back = PORTAL_CHART_MONTHS - 1 - i;
        reg_time from = month_start(op->now, back, out->registrations[i].month);
        reg_time to = month_start(op->now, back - 1, NULL);
        if (count(op, "SELECT COUNT(*) FROM domain WHERE creator_id = ? AND created_at >= ? AND "
                      "created_at < ?",
                  registrar_id, from, to, &out->registrations[i].count, st))
            return st->code;
    }
    return REG_OK;
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
              registrar_id, op->now, op->now + PORTAL_EXPIRING_DAYS * 86400, &out->expiring, st) ||
        registrations(op, registrar_id, out, st))
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
