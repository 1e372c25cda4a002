#include "invoice.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "contrib/strutil.h"

void invoice_free(struct invoice *inv)
{
    if (!inv)
        return;
    free(inv->billed_to);
    memset(inv, 0, sizeof *inv);
}

reg_err invoice_month(const char *month, reg_time *start, reg_time *end)
{
    if (!month || strlen(month) != 7 || month[4] != '-')
        return REG_ERR_SYNTAX;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (month[i] < '0' || month[i] > '9'))
            return REG_ERR_SYNTAX;
    char date[16];
    snprintf(date, sizeof date, "%s-01", month);
    reg_err e = clock_parse(date, start);
    if (e)
        return e;
    *end = clock_add_months(*start, 1);
    return REG_OK;
}

/* ---- reading ---------------------------------------------------------------------- */

#define INVOICE_COLUMNS                                                                            \
    "SELECT i.id, i.number, i.registrar_id, r.handle, i.kind, i.period, i.issued_at, i.total, "   \
    "i.currency, i.billed_to, (SELECT COUNT(*) FROM invoice_line l WHERE l.invoice_id = i.id) "   \
    "FROM invoice i JOIN registrar r ON r.id = i.registrar_id "

static void read_invoice(db_stmt *s, struct invoice *out)
{
    memset(out, 0, sizeof *out);
    out->id = db_col_int(s, 0);
    out->number = db_col_int(s, 1);
    out->registrar_id = db_col_int(s, 2);
    str_copy(out->registrar, sizeof out->registrar, db_col_text(s, 3));
    str_copy(out->kind, sizeof out->kind, db_col_text(s, 4));
    str_copy(out->period, sizeof out->period, db_col_text(s, 5));
    out->issued_at = db_col_int(s, 6);
    out->total = db_col_int(s, 7);
    str_copy(out->currency, sizeof out->currency, db_col_text(s, 8));
    out->billed_to = db_col_text(s, 9) ? strdup(db_col_text(s, 9)) : NULL;
    out->nlines = db_col_int(s, 10);
}

reg_err invoice_get(db *d, int64_t number, struct invoice *out, reg_status *st)
{
    db_stmt *s = db_query(d, INVOICE_COLUMNS "WHERE i.number = ?");
    db_bind_int(s, 1, number);
    bool found = db_next(s);
    if (found)
        read_invoice(s, out);
    reg_err e = db_done(s);
    if (e) {
        if (found)
            invoice_free(out);
        return reg_fail(st, e, "database: %s", db_errmsg(d));
    }
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "there is no invoice %lld", (long long)number);
    return REG_OK;
}

reg_err invoice_each(db *d, int64_t registrar_id, void (*fn)(const struct invoice *inv, void *arg),
                     void *arg, reg_status *st)
{
    db_stmt *s = db_query(d, INVOICE_COLUMNS "WHERE ? = 0 OR i.registrar_id = ? ORDER BY i.number");
    db_bind_int(s, 1, registrar_id);
    db_bind_int(s, 2, registrar_id);
    while (db_next(s)) {
        struct invoice inv;
        read_invoice(s, &inv);
        fn(&inv, arg);
        invoice_free(&inv);
    }
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

reg_err invoice_lines(db *d, int64_t invoice_id,
                      void (*fn)(const struct invoice_line *l, void *arg), void *arg,
                      reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT line_no, ledger_id, at, kind, operation, years, object_name, "
                             "svtrid, text, amount FROM invoice_line WHERE invoice_id = ? "
                             "ORDER BY line_no");
    db_bind_int(s, 1, invoice_id);
    while (db_next(s)) {
        struct invoice_line l = {
            .line_no = (int)db_col_int(s, 0),
            .ledger_id = db_col_int(s, 1),
            .at = db_col_int(s, 2),
            .kind = db_col_text(s, 3),
            .operation = db_col_text(s, 4),
            .years = db_col_is_null(s, 5) ? 0 : (int)db_col_int(s, 5),
            .object_name = db_col_text(s, 6),
            .svtrid = db_col_text(s, 7),
            .text = db_col_text(s, 8),
            .amount = db_col_int(s, 9),
        };
        fn(&l, arg);
    }
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

/* ---- issuing ---------------------------------------------------------------------- */

/* The ledger rows of a monthly invoice: not credits (top-ups are payments,
 * not charges), not one-off fees, not invoiced, before the month's end. */
#define MONTHLY_ROWS                                                                               \
    "FROM ledger WHERE registrar_id = ? AND invoice_id IS NULL AND oneoff = 0 AND "                \
    "kind <> 'credit' AND at < ?"

static reg_err next_number(const struct reg_op *op, int64_t *number, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE invoice_counter SET last = last + 1 WHERE id = 1 "
                                  "RETURNING last");
    *number = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    if (!e && !*number)
        return reg_fail(st, REG_ERR_DB, "the invoice counter is missing");
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* Issues one invoice of registrar_id: over the single ledger row ledger_id
 * (one-off), or over the monthly rows before `end`. The registrar row is
 * locked by the caller. */
static reg_err issue(const struct reg_op *op, const char *currency, int64_t registrar_id,
                     const char *billed_to, const char *period, reg_time end, int64_t ledger_id,
                     int64_t *number, reg_status *st)
{
    if (next_number(op, number, st))
        return st->code;
    db_stmt *s = db_query(op->db, "INSERT INTO invoice (number, registrar_id, kind, period, "
                                  "issued_at, total, currency, billed_to, period_end) VALUES "
                                  "(?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, *number);
    db_bind_int(s, 2, registrar_id);
    db_bind_text(s, 3, ledger_id ? "oneoff" : "monthly");
    db_bind_text(s, 4, ledger_id ? NULL : period);
    db_bind_int(s, 5, op->now);
    db_bind_text(s, 6, currency);
    db_bind_text(s, 7, billed_to);
    db_bind_int_or_null(s, 8, !ledger_id, end);
    int64_t id = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    if (!e && !id)
        e = REG_ERR_DB;
    if (e)
        return op_db_fail(op, st, e);
#define LINE_INSERT                                                                                \
    "INSERT INTO invoice_line (invoice_id, line_no, ledger_id, at, kind, operation, years, "      \
    "object_name, svtrid, text, amount) SELECT CAST(? AS BIGINT), ROW_NUMBER() OVER (ORDER BY "   \
    "at, id), id, at, kind, operation, years, object_name, svtrid, text, -amount "
    if (ledger_id) {
        s = db_query(op->db, LINE_INSERT "FROM ledger WHERE id = ? AND registrar_id = ? AND "
                                         "invoice_id IS NULL");
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, ledger_id);
        db_bind_int(s, 3, registrar_id);
    } else {
        s = db_query(op->db, LINE_INSERT MONTHLY_ROWS);
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, registrar_id);
        db_bind_int(s, 3, end);
    }
#undef LINE_INSERT
    if ((e = db_run(s)))
        return op_db_fail(op, st, e);
    s = db_query(op->db, "UPDATE ledger SET invoice_id = ? WHERE id IN (SELECT ledger_id FROM "
                         "invoice_line WHERE invoice_id = ?)");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, id);
    if ((e = db_run(s)))
        return op_db_fail(op, st, e);
    s = db_query(op->db, "UPDATE invoice SET total = (SELECT COALESCE(SUM(amount), 0) FROM "
                         "invoice_line WHERE invoice_id = ?) WHERE id = ?");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, id);
    if ((e = db_run(s)))
        return op_db_fail(op, st, e);
    return REG_OK;
}

/* Locks the registrar row (lock order: registrar, then the counter) and
 * reads its name. */
static reg_err lock_registrar(const struct reg_op *op, int64_t id, char **name, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT name FROM registrar WHERE id = ? {{for_update}}");
    db_bind_int(s, 1, id);
    bool found = db_next(s);
    if (found && name)
        *name = strdup(db_col_text(s, 0) ? db_col_text(s, 0) : "");
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "no registrar with id %lld", (long long)id);
    return REG_OK;
}

reg_err invoice_fee(const struct reg_op *op, const char *currency, int64_t registrar_id,
                    int64_t amount, const char *text, const char *object_kind,
                    const char *object_name, struct invoice *out, reg_status *st)
{
    if (amount <= 0 || amount > MONEY_MAX)
        return reg_fail(st, REG_ERR_RANGE, "a fee is 1..%lld minor units",
                        (long long)MONEY_MAX);
    struct ledger_entry le = {.registrar_id = registrar_id, .amount = -amount, .kind = "debit",
                              .operation = "fee", .object_kind = object_kind,
                              .object_name = object_name, .text = text, .oneoff = true};
    int64_t ledger_id, number;
    char *name = NULL;
    if (billing_post_row(op, &le, true, &ledger_id, NULL, st))
        return st->code;
    reg_err e = lock_registrar(op, registrar_id, &name, st);
    if (!e)
        e = issue(op, currency, registrar_id, name, NULL, 0, ledger_id, &number, st);
    free(name);
    if (!e && out)
        e = invoice_get(op->db, number, out, st);
    return e;
}

/* One registrar's part of a run, in one transaction: one-off fees left
 * without an invoice, then the monthly invoice (unless it exists). */
static reg_err run_registrar(const struct reg_op *op, const char *currency, const char *period,
                             reg_time end, int64_t registrar_id,
                             void (*fn)(const struct invoice *inv, bool existed, void *arg),
                             void *arg, struct invoice_run_result *res, reg_status *st)
{
    char *name = NULL;
#define STRAY_MAX 32
    int64_t issued[STRAY_MAX + 1];
    int nissued = 0, noneoff = 0;
    bool existed = false, wrote = false;
    int64_t existing_number = 0;
    reg_err e = db_begin(op->db);
    if (e)
        return op_db_fail(op, st, e);
    e = lock_registrar(op, registrar_id, &name, st);
    /* one-off fees are invoiced when charged; any found without an
     * invoice (at most STRAY_MAX per run and registrar) get theirs now */
    int64_t stray[STRAY_MAX];
    int nstray = 0;
    if (!e) {
        db_stmt *s = db_query(op->db, "SELECT id FROM ledger WHERE registrar_id = ? AND oneoff = 1 "
                                      "AND invoice_id IS NULL AND at < ? ORDER BY id");
        db_bind_int(s, 1, registrar_id);
        db_bind_int(s, 2, end);
        while (nstray < STRAY_MAX && db_next(s))
            stray[nstray++] = db_col_int(s, 0);
        if ((e = db_done(s)))
            e = op_db_fail(op, st, e);
    }
    for (int i = 0; i < nstray && !e; i++) {
        e = issue(op, currency, registrar_id, name, NULL, 0, stray[i], &issued[nissued], st);
        if (!e) {
            nissued++;
            noneoff++;
            wrote = true;
        }
    }
    if (!e) {
        db_stmt *s = db_query(op->db, "SELECT number FROM invoice WHERE registrar_id = ? AND "
                                      "kind = 'monthly' AND period = ?");
        db_bind_int(s, 1, registrar_id);
        db_bind_text(s, 2, period);
        existed = db_next(s);
        if (existed)
            existing_number = db_col_int(s, 0);
        if ((e = db_done(s)))
            e = op_db_fail(op, st, e);
    }
    int64_t rows = 0;
    if (!e && !existed) {
        db_stmt *s = db_query(op->db, "SELECT COUNT(*) " MONTHLY_ROWS);
        db_bind_int(s, 1, registrar_id);
        db_bind_int(s, 2, end);
        rows = db_next(s) ? db_col_int(s, 0) : 0;
        if ((e = db_done(s)))
            e = op_db_fail(op, st, e);
    }
    if (!e && rows) {
        e = issue(op, currency, registrar_id, name, period, end, 0, &issued[nissued], st);
        if (!e) {
            nissued++;
            wrote = true;
        }
    }
    free(name);
    if (e || !wrote) {
        db_rollback(op->db);
    } else if ((e = db_commit(op->db))) {
        return op_db_fail(op, st, e);
    }
    if (e)
        return e;
    res->oneoff += noneoff;
    res->issued += nissued - noneoff;
    if (existed)
        res->existing++;
    for (int i = 0; i < nissued + (existed ? 1 : 0) && fn; i++) {
        struct invoice inv;
        bool old = i == nissued;
        if (invoice_get(op->db, old ? existing_number : issued[i], &inv, st))
            return st->code;
        fn(&inv, old, arg);
        invoice_free(&inv);
    }
    return REG_OK;
}

reg_err invoice_run_month(const struct reg_op *op, const char *currency, const char *month,
                          void (*fn)(const struct invoice *inv, bool existed, void *arg),
                          void *arg, struct invoice_run_result *res, reg_status *st)
{
    reg_time start, end;
    memset(res, 0, sizeof *res);
    if (invoice_month(month, &start, &end))
        return reg_fail(st, REG_ERR_SYNTAX, "a month is written YYYY-MM, like 2027-03");
    if (op->now < end) {
        char ts[REG_TIME_STRLEN];
        return reg_fail(st, REG_ERR_POLICY, "%s is not over until %s; invoice it after that",
                        month, clock_format(end, ts, sizeof ts));
    }
    /* the registrars first (one statement), then one transaction each */
    size_t n = 0, cap = 0;
    int64_t *ids = NULL;
    db_stmt *s = db_query(op->db, "SELECT id FROM registrar ORDER BY handle");
    while (db_next(s)) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *grown = realloc(ids, cap * sizeof *ids);
            if (!grown) {
                db_done(s);
                free(ids);
                return reg_fail(st, REG_ERR_NOMEM, "out of memory");
            }
            ids = grown;
        }
        ids[n++] = db_col_int(s, 0);
    }
    reg_err e = db_done(s);
    if (e) {
        free(ids);
        return op_db_fail(op, st, e);
    }
    for (size_t i = 0; i < n && !e; i++)
        e = run_registrar(op, currency, month, end, ids[i], fn, arg, res, st);
    free(ids);
    return e;
}

/* ---- consistency ------------------------------------------------------------------- */

struct problems {
    int64_t count;
    void (*bad)(const char *problem, void *arg);
    void *arg;
};

static void problem(struct problems *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct problems *p, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->count++;
    if (p->bad)
        p->bad(msg, p->arg);
}

reg_err invoice_verify(db *d, int64_t *invoices, int64_t *problems_out,
                       void (*bad)(const char *problem, void *arg), void *arg, reg_status *st)
{
    struct problems p = {0, bad, arg};
    *invoices = *problems_out = 0;
    /* gapless numbers, and the counter at the last one */
    db_stmt *s = db_query(d, "SELECT COUNT(*), COALESCE(MIN(number), 0), COALESCE(MAX(number), 0), "
                             "(SELECT last FROM invoice_counter WHERE id = 1) FROM invoice");
    if (db_next(s)) {
        int64_t n = db_col_int(s, 0), lo = db_col_int(s, 1), hi = db_col_int(s, 2);
        int64_t counter = db_col_is_null(s, 3) ? -1 : db_col_int(s, 3);
        *invoices = n;
        if (n && (lo != 1 || hi != n))
            problem(&p, "invoice numbers are not 1..%lld without gaps (lowest %lld, highest %lld)",
                    (long long)n, (long long)lo, (long long)hi);
        if (counter != hi)
            problem(&p, "the invoice counter is at %lld but the last invoice is %lld",
                    (long long)counter, (long long)hi);
    }
    reg_err e = db_done(s);
    /* totals */
    if (!e) {
        s = db_query(d, "SELECT i.number, i.total, COALESCE(SUM(l.amount), 0), COUNT(l.ledger_id) "
                        "FROM invoice i LEFT JOIN invoice_line l ON l.invoice_id = i.id "
                        "GROUP BY i.id, i.number, i.total ORDER BY i.number");
        while (db_next(s)) {
            if (db_col_int(s, 3) == 0)
                problem(&p, "invoice %lld has no lines", (long long)db_col_int(s, 0));
            else if (db_col_int(s, 1) != db_col_int(s, 2))
                problem(&p, "invoice %lld: total %lld but its lines add up to %lld",
                        (long long)db_col_int(s, 0), (long long)db_col_int(s, 1),
                        (long long)db_col_int(s, 2));
        }
        e = db_done(s);
    }
    /* lines against the ledger */
    if (!e) {
        s = db_query(d, "SELECT i.number, l.line_no, g.id FROM invoice_line l JOIN invoice i ON "
                        "i.id = l.invoice_id LEFT JOIN ledger g ON g.id = l.ledger_id WHERE "
                        "g.id IS NULL OR g.invoice_id IS NULL OR g.invoice_id <> l.invoice_id OR "
                        "g.amount <> -l.amount OR g.registrar_id <> i.registrar_id OR "
                        "g.kind = 'credit' ORDER BY i.number, l.line_no");
        while (db_next(s))
            problem(&p, "invoice %lld line %lld does not match ledger row %lld",
                    (long long)db_col_int(s, 0), (long long)db_col_int(s, 1),
                    (long long)db_col_int(s, 2));
        e = db_done(s);
    }
    /* ledger rows that claim an invoice without a line, one-off fees
     * without an invoice */
    if (!e) {
        s = db_query(d, "SELECT g.id, g.oneoff, g.invoice_id FROM ledger g WHERE (g.invoice_id IS "
                        "NOT NULL AND NOT EXISTS (SELECT 1 FROM invoice_line l WHERE l.ledger_id = "
                        "g.id AND l.invoice_id = g.invoice_id)) OR (g.oneoff = 1 AND g.invoice_id "
                        "IS NULL) ORDER BY g.id");
        while (db_next(s)) {
            if (db_col_is_null(s, 2))
                problem(&p, "ledger row %lld is a one-off fee without an invoice",
                        (long long)db_col_int(s, 0));
            else
                problem(&p, "ledger row %lld points to an invoice that does not list it",
                        (long long)db_col_int(s, 0));
        }
        e = db_done(s);
    }
    if (e)
        return reg_fail(st, e, "database: %s", db_errmsg(d));
    *problems_out = p.count;
    return REG_OK;
}
