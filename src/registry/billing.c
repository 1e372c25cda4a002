#include "billing.h"

#include <stdio.h>
#include <string.h>

#include "poll.h"

/* The best price row: override before default, then the latest
 * valid_from; exact years before per-year. */
static reg_err find_price(const struct reg_op *op, int64_t registrar_id, const char *operation,
                          int years, bool *found, int64_t *amount, int *row_years)
{
    db_stmt *s = db_query(op->db, "SELECT amount, years FROM price WHERE operation = ? AND "
                                  "(years = ? OR years = 0) AND valid_from <= ? AND "
                                  "(registrar_id = ? OR registrar_id IS NULL) ORDER BY "
                                  "CASE WHEN registrar_id IS NULL THEN 1 ELSE 0 END, "
                                  "CASE WHEN years = 0 THEN 1 ELSE 0 END, valid_from DESC LIMIT 1");
    db_bind_text(s, 1, operation);
    db_bind_int(s, 2, years);
    db_bind_int(s, 3, op->now);
    db_bind_int(s, 4, registrar_id);
    *found = db_next(s);
    if (*found) {
        *amount = db_col_int(s, 0);
        *row_years = (int)db_col_int(s, 1);
    }
    return db_done(s);
}

static reg_err rebate_bp(const struct reg_op *op, int64_t registrar_id, int64_t *bp)
{
    db_stmt *s = db_query(op->db, "SELECT basis_points FROM rebate WHERE registrar_id = ? AND "
                                  "valid_from <= ? ORDER BY valid_from DESC LIMIT 1");
    db_bind_int(s, 1, registrar_id);
    db_bind_int(s, 2, op->now);
    *bp = db_next(s) ? db_col_int(s, 0) : 0;
    return db_done(s);
}

reg_err billing_price(const struct reg_op *op, int64_t registrar_id, const char *operation,
                      int years, int64_t *amount, reg_status *st)
{
    bool found = false;
    int row_years = 0;
    *amount = 0;
    reg_err e = find_price(op, registrar_id, operation, years, &found, amount, &row_years);
    if (!e && !found && !strcmp(operation, "autorenew"))
        e = find_price(op, registrar_id, "renew", years, &found, amount, &row_years);
    if (e)
        return op_db_fail(op, st, e);
    if (!found) {
        *amount = 0;
        return REG_OK;
    }
    if (row_years == 0 && years > 1)
        *amount *= years;
    int64_t bp = 0;
    if ((e = rebate_bp(op, registrar_id, &bp)))
        return op_db_fail(op, st, e);
    if (bp) /* R24: rebate, rounded half up to the minor unit */
        *amount = (*amount * (10000 - bp) + 5000) / 10000;
    return REG_OK;
}

reg_err billing_balance(db *d, int64_t registrar_id, int64_t *balance, reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT balance_after FROM ledger WHERE registrar_id = ? "
                             "ORDER BY id DESC LIMIT 1");
    db_bind_int(s, 1, registrar_id);
    *balance = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

/* The registrar row, locked (PostgreSQL FOR UPDATE; SQLite's write
 * transaction is exclusive already), with its credit limit and warning
 * threshold. */
static reg_err lock_registrar(const struct reg_op *op, int64_t id, int64_t *credit_limit,
                              int64_t *low, bool *has_low, bool *warned)
{
    db_stmt *s = db_query(op->db, "SELECT credit_limit, low_balance, low_balance_warned FROM "
                                  "registrar WHERE id = ? {{for_update}}");
    db_bind_int(s, 1, id);
    if (db_next(s)) {
        *credit_limit = db_col_int(s, 0);
        *has_low = !db_col_is_null(s, 1);
        *low = db_col_int(s, 1);
        *warned = db_col_int(s, 2) != 0;
    }
    return db_done(s);
}

static reg_err set_warned(const struct reg_op *op, int64_t id, bool warned)
{
    db_stmt *s = db_query(op->db, "UPDATE registrar SET low_balance_warned = ? WHERE id = ?");
    db_bind_int(s, 1, warned);
    db_bind_int(s, 2, id);
    return db_run(s);
}

/* One poll message per crossing below the threshold; re-armed when the
 * balance is back at or above it. */
static reg_err low_balance_warning(const struct reg_op *op, int64_t id, int64_t balance,
                                   reg_status *st)
{
    int64_t limit = 0, low = 0;
    bool has_low = false, warned = false;
    reg_err e = lock_registrar(op, id, &limit, &low, &has_low, &warned);
    if (e || !has_low)
        return e ? op_db_fail(op, st, e) : REG_OK;
    if (balance < low && !warned) {
        char msg[200];
        snprintf(msg, sizeof msg, "Your prepaid balance is %lld, below your warning level %lld",
                 (long long)balance, (long long)low);
        if (poll_enqueue(op->db, id, "notice", msg, NULL, NULL, NULL, st))
            return st->code;
        e = set_warned(op, id, true);
    } else if (balance >= low && warned) {
        e = set_warned(op, id, false);
    }
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err billing_post(const struct reg_op *op, const struct ledger_entry *le, int64_t *balance_after,
                     reg_status *st)
{
    int64_t balance;
    if (billing_balance(op->db, le->registrar_id, &balance, st))
        return st->code;
    int64_t after = balance + le->amount;
    db_stmt *s = db_query(op->db, "INSERT INTO ledger (registrar_id, at, amount, balance_after, "
                                  "kind, operation, years, object_kind, object_name, svtrid, text, "
                                  "oneoff) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, le->registrar_id);
    db_bind_int(s, 2, op->now);
    db_bind_int(s, 3, le->amount);
    db_bind_int(s, 4, after);
    db_bind_text(s, 5, le->kind);
    db_bind_text(s, 6, le->operation);
    if (le->years)
        db_bind_int(s, 7, le->years);
    else
        db_bind_null(s, 7);
    db_bind_text(s, 8, le->object_kind);
    db_bind_text(s, 9, le->object_name);
    db_bind_text(s, 10, op->svtrid);
    db_bind_text(s, 11, le->text);
    db_bind_int(s, 12, le->oneoff);
    reg_err e = db_run(s);
    if (e)
        return op_db_fail(op, st, e);
    if (balance_after)
        *balance_after = after;
    return low_balance_warning(op, le->registrar_id, after, st);
}

reg_err billing_charge(const struct reg_op *op, int64_t registrar_id, const char *operation,
                       int years, const char *object_kind, const char *object_name,
                       int64_t *charged, reg_status *st)
{
    int64_t limit = 0, low, balance, price;
    bool has_low, warned;
    if (charged)
        *charged = 0;
    reg_err e = lock_registrar(op, registrar_id, &limit, &low, &has_low, &warned);
    if (e)
        return op_db_fail(op, st, e);
    if (billing_price(op, registrar_id, operation, years, &price, st))
        return st->code;
    if (price == 0)
        return REG_OK;
    if (billing_balance(op->db, registrar_id, &balance, st))
        return st->code;
    if (balance + limit < price) /* R23: no credit, nothing happens */
        return reg_fail(st, REG_ERR_BILLING,
                        "%s costs %lld but your balance is %lld (credit limit %lld); top up "
                        "your prepaid account",
                        operation, (long long)price, (long long)balance, (long long)limit);
    char text[300];
    snprintf(text, sizeof text, "%s %s%s%d year%s", operation, object_name ? object_name : "",
             object_name ? ", " : "", years, years == 1 ? "" : "s");
    struct ledger_entry le = {.registrar_id = registrar_id, .amount = -price, .kind = "debit",
                              .operation = operation, .years = years,
                              .object_kind = object_kind, .object_name = object_name,
                              .text = text};
    if (billing_post(op, &le, NULL, st))
        return st->code;
    if (charged)
        *charged = price;
    return REG_OK;
}

reg_err billing_verify(db *d, int64_t *rows, int64_t *mismatches,
                       void (*bad)(int64_t ledger_id, int64_t stored, int64_t computed, void *arg),
                       void *arg, reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT id, registrar_id, amount, balance_after FROM ledger "
                             "ORDER BY registrar_id, id");
    int64_t current = -1, running = 0;
    *rows = *mismatches = 0;
    while (db_next(s)) {
        int64_t reg = db_col_int(s, 1);
        if (reg != current) {
            current = reg;
            running = 0;
        }
        running += db_col_int(s, 2);
        (*rows)++;
        if (running != db_col_int(s, 3)) {
            (*mismatches)++;
            if (bad)
                bad(db_col_int(s, 0), db_col_int(s, 3), running, arg);
            running = db_col_int(s, 3); /* report each break once */
        }
    }
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}
