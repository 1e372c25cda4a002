#include "billing.h"

#include <stdio.h>
#include <string.h>

#include "contrib/precis.h"
#include "notify/outbox.h"
#include "notify/templates.h"
#include "poll.h"

static const char *const operations[] = {"create", "renew", "autorenew", "transfer", "restore",
                                         NULL};

bool billing_operation_valid(const char *operation)
{
    for (const char *const *o = operations; operation && *o; o++)
        if (!strcmp(*o, operation))
            return true;
    return false;
}

/* ---- amounts ------------------------------------------------------------------ */

reg_err billing_parse_percent(const char *s, int *basis_points)
{
    int64_t v;
    /* the same grammar as a major-unit amount: hundredths of a percent */
    if (!s || !*s || *s == '-')
        return REG_ERR_SYNTAX;
    reg_err e;
    if (strchr(s, '.')) {
        e = money_parse(s, false, &v);
    } else {
        char buf[32];
        if (strlen(s) > 20)
            return REG_ERR_RANGE;
        snprintf(buf, sizeof buf, "%s.0", s);
        e = money_parse(buf, false, &v);
    }
    if (e)
        return e;
    if (v > 10000)
        return REG_ERR_RANGE;
    *basis_points = (int)v;
    return REG_OK;
}

int64_t billing_apply_rebate(int64_t amount, int basis_points)
{
    if (basis_points <= 0 || amount <= 0)
        return amount;
    if (basis_points >= 10000)
        return 0;
    /* amount × (10000 - bp) / 10000, rounded half up, without overflow */
    int64_t keep = 10000 - basis_points;
    int64_t q = amount / 10000, r = amount % 10000;
    return q * keep + (r * keep + 5000) / 10000;
}

/* ---- prices ------------------------------------------------------------------- */

/* The best price row: override before default; within each, `operation`
 * before `fallback` (autorenew → renew); exact years before per-year; then
 * the latest valid_from. Each of these eight kinds of row in that order is
 * one probe of price_lookup (operation, years, latest valid_from first;
 * the registrar's rows picked out as it goes), the first that finds one wins
 * (COALESCE stops there): one statement with no temporary tables, where an
 * IN list and an ORDER BY of the candidates cost SQLite three of them,
 * 13 % of a domain:create's execute step (issue 18). With bp, the
 * registrar's rebate in force (R24) comes in the same statement (0 when
 * none): one round trip, not two. */
#define PRICE_PICK(who)                                                                         \
    "(SELECT id FROM price WHERE operation = ? AND years = ? AND valid_from <= ? AND " who \
    " ORDER BY valid_from DESC, id DESC LIMIT 1)"
#define PRICE_OVERRIDE PRICE_PICK("registrar_id = ?")
#define PRICE_DEFAULT PRICE_PICK("registrar_id IS NULL")
#define PRICE_WHERE                                                                             \
    " FROM price WHERE id = COALESCE(" PRICE_OVERRIDE ", " PRICE_OVERRIDE ", " PRICE_OVERRIDE \
    ", " PRICE_OVERRIDE ", " PRICE_DEFAULT ", " PRICE_DEFAULT ", " PRICE_DEFAULT ", "          \
    PRICE_DEFAULT ")"
static reg_err find_price(const struct reg_op *op, int64_t registrar_id, const char *operation,
                          const char *fallback, int years, bool *found, int64_t *amount,
                          int *row_years, int *bp)
{
    db_stmt *s;
    int i = 1;
    if (bp) {
        s = db_query(op->db, "SELECT amount, years, (SELECT basis_points FROM rebate WHERE "
                             "registrar_id = ? AND valid_from <= ? ORDER BY valid_from DESC "
                             "LIMIT 1)" PRICE_WHERE);
        db_bind_int(s, i++, registrar_id);
        db_bind_int(s, i++, op->now);
    } else {
        s = db_query(op->db, "SELECT amount, years, NULL" PRICE_WHERE);
    }
    /* in PRICE_WHERE's order */
    for (int dflt = 0; dflt < 2; dflt++)
        for (int o = 0; o < 2; o++)
            for (int y = 0; y < 2; y++) {
                db_bind_text(s, i++, o ? fallback : operation);
                db_bind_int(s, i++, y ? 0 : years);
                db_bind_int(s, i++, op->now);
                if (!dflt)
                    db_bind_int(s, i++, registrar_id);
            }
    *found = db_next(s);
    if (*found) {
        *amount = db_col_int(s, 0);
        *row_years = (int)db_col_int(s, 1);
        if (bp)
            *bp = db_col_is_null(s, 2) ? 0 : (int)db_col_int(s, 2);
    }
    return db_done(s);
}

reg_err billing_rebate_at(db *d, int64_t registrar_id, reg_time now, int *basis_points,
                          reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT basis_points FROM rebate WHERE registrar_id = ? AND "
                             "valid_from <= ? ORDER BY valid_from DESC LIMIT 1");
    db_bind_int(s, 1, registrar_id);
    db_bind_int(s, 2, now);
    *basis_points = db_next(s) ? (int)db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

reg_err billing_price(const struct reg_op *op, int64_t registrar_id, const char *operation,
                      int years, int64_t *amount, reg_status *st)
{
    bool found = false;
    int row_years = 0;
    *amount = 0;
    if (years < 0 || years > BILLING_YEARS_MAX)
        return reg_fail(st, REG_ERR_POLICY, "a period of %d years has no price", years);
    const char *fallback = !strcmp(operation, "autorenew") ? "renew" : operation;
    int bp = 0;
    reg_err e = find_price(op, registrar_id, operation, fallback, years, &found, amount,
                           &row_years, &bp);
    if (e)
        return op_db_fail(op, st, e);
    if (!found) {
        /* fail closed: an operation the registry set no price for is not
         * given away, unless the operator chose that ([billing]
         * allow_unpriced) */
        *amount = 0;
        if (op->policy->allow_unpriced)
            return REG_OK;
        return reg_fail(st, REG_ERR_CONFIG,
                        "the registry has no price for %s of %d year%s; the operation is "
                        "refused until one is set",
                        operation, years, years == 1 ? "" : "s");
    }
    if (row_years == 0 && years > 1)
        *amount *= years;
    *amount = billing_apply_rebate(*amount, bp); /* R24 */
    return REG_OK;
}

/* The periods each operation is charged for: create, renew and transfer
 * for any period the policy allows, the rest for one year. */
static void billed_periods(const struct reg_op *op, const char *operation, int *from, int *to)
{
    bool any = !strcmp(operation, "create") || !strcmp(operation, "renew") ||
               !strcmp(operation, "transfer");
    *from = any && op->policy->min_period > 0 ? op->policy->min_period : 1;
    *to = any ? op->policy->max_period : 1;
    if (*to > BILLING_YEARS_MAX)
        *to = BILLING_YEARS_MAX;
}

reg_err billing_unpriced_each(const struct reg_op *op,
                              void (*fn)(const char *operation, int years, void *arg), void *arg,
                              int *missing, reg_status *st)
{
    *missing = 0;
    for (const char *const *o = operations; *o; o++) {
        const char *fallback = !strcmp(*o, "autorenew") ? "renew" : *o;
        int from, to;
        billed_periods(op, *o, &from, &to);
        for (int y = from; y <= to; y++) {
            bool found;
            int64_t amount;
            int row_years;
            /* the default price: an override only ever adds to it */
            reg_err e = find_price(op, 0, *o, fallback, y, &found, &amount, &row_years, NULL);
            if (e)
                return op_db_fail(op, st, e);
            if (!found) {
                (*missing)++;
                fn(*o, y, arg);
            }
        }
    }
    return REG_OK;
}

/* ---- the ledger ----------------------------------------------------------------- */

reg_err billing_balance(db *d, int64_t registrar_id, int64_t *balance, reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT balance_after FROM ledger WHERE registrar_id = ? "
                             "ORDER BY id DESC LIMIT 1");
    db_bind_int(s, 1, registrar_id);
    *balance = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

struct account_lock {
    int64_t credit_limit, low;
    bool has_low, warned;
};

/* The registrar row, locked (PostgreSQL FOR UPDATE; SQLite's write
 * transaction is exclusive already), with its credit limit and warning
 * threshold. Every writer of a registrar's ledger rows takes it first. */
static reg_err lock_registrar(const struct reg_op *op, int64_t id, struct account_lock *a,
                              reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT credit_limit, low_balance, low_balance_warned FROM "
                                  "registrar WHERE id = ? {{for_update}}");
    db_bind_int(s, 1, id);
    bool found = db_next(s);
    if (found) {
        a->credit_limit = db_col_int(s, 0);
        a->has_low = !db_col_is_null(s, 1);
        a->low = db_col_int(s, 1);
        a->warned = db_col_int(s, 2) != 0;
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "no registrar with id %lld", (long long)id);
    return REG_OK;
}

static reg_err set_warned(const struct reg_op *op, int64_t id, bool warned)
{
    db_stmt *s = db_query(op->db, "UPDATE registrar SET low_balance_warned = ? WHERE id = ?");
    db_bind_int(s, 1, warned);
    db_bind_int(s, 2, id);
    return db_run(s);
}

/* The same warning by e-mail (template low-balance, [mail] language), when
 * the registrar has an address. */
static reg_err mail_registrar(const struct reg_op *op, int64_t id, const char *balance,
                              const char *threshold, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT email, handle FROM registrar WHERE id = ?");
    db_bind_int(s, 1, id);
    char to[320] = "", handle[32] = "";
    if (db_next(s) && !db_col_is_null(s, 0)) {
        snprintf(to, sizeof to, "%s", db_col_text(s, 0));
        snprintf(handle, sizeof handle, "%s", db_col_text(s, 1));
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!to[0])
        return REG_OK;
    const struct template_var vars[] = {
        {"registrar", handle}, {"balance", balance}, {"threshold", threshold}};
    struct rendered mail;
    e = template_render("low-balance", template_lang_for(NULL, NULL, op->policy->language), vars,
                        3, &mail, st);
    if (!e)
        e = outbox_email(op->db, op->now, to, &mail, "low-balance", st);
    rendered_free(&mail);
    return e;
}

/* One poll message per crossing below the threshold; re-armed when the
 * balance is back at or above it. */
static reg_err low_balance_warning(const struct reg_op *op, int64_t id,
                                   const struct account_lock *a, int64_t balance, reg_status *st)
{
    reg_err e = REG_OK;
    if (!a->has_low)
        return REG_OK;
    if (balance < a->low && !a->warned) {
        char msg[200], b[MONEY_FMT_LEN], l[MONEY_FMT_LEN];
        snprintf(msg, sizeof msg, "Your prepaid balance is %s, below your warning level %s; "
                                  "please top up your account",
                 money_format(balance, NULL, b, sizeof b),
                 money_format(a->low, NULL, l, sizeof l));
        if (poll_enqueue_notice(op->db, id, "low-balance", msg, NULL, NULL, st) ||
            mail_registrar(op, id, b, l, st))
            return st->code;
        e = set_warned(op, id, true);
    } else if (balance >= a->low && a->warned) {
        e = set_warned(op, id, false);
    }
    return e ? op_db_fail(op, st, e) : REG_OK;
}

#define LEDGER_INSERT                                                                         \
    "INSERT INTO ledger (registrar_id, at, amount, balance_after, kind, operation, years, "     \
    "object_kind, object_name, svtrid, text, oneoff, actor, channel) VALUES (?, ?, ?, ?, ?, "   \
    "?, ?, ?, ?, ?, ?, ?, ?, ?)"

reg_err billing_post_row(const struct reg_op *op, const struct ledger_entry *le, bool check_funds,
                         int64_t *ledger_id, int64_t *balance_after, reg_status *st)
{
    struct account_lock a = {0};
    int64_t balance;
    if (le->amount > MONEY_MAX || le->amount < -MONEY_MAX)
        return reg_fail(st, REG_ERR_RANGE, "an amount is at most %lld minor units",
                        (long long)MONEY_MAX);
    if (!le->text || !*le->text)
        return reg_fail(st, REG_ERR_MISSING, "a ledger entry needs a text");
    if (precis_text_check("the ledger text", le->text, st))
        return st->code;
    if (lock_registrar(op, le->registrar_id, &a, st) ||
        billing_balance(op->db, le->registrar_id, &balance, st))
        return st->code;
    if (check_funds && le->amount < 0 && balance + a.credit_limit < -le->amount) {
        /* R23: no credit, nothing happens */
        char p[MONEY_FMT_LEN], b[MONEY_FMT_LEN], l[MONEY_FMT_LEN];
        return reg_fail(st, REG_ERR_BILLING,
                        "%s costs %s but your balance is %s (credit limit %s); top up your "
                        "prepaid account",
                        le->operation ? le->operation : le->kind,
                        money_format(-le->amount, NULL, p, sizeof p),
                        money_format(balance, NULL, b, sizeof b),
                        money_format(a.credit_limit, NULL, l, sizeof l));
    }
    int64_t after = balance + le->amount;
    /* without RETURNING when the caller does not want the id: a write
     * nothing reads, which may be deferred (db_defer_writes) */
    db_stmt *s = db_query(op->db, ledger_id ? LEDGER_INSERT " RETURNING id" : LEDGER_INSERT);
    db_bind_int(s, 1, le->registrar_id);
    db_bind_int(s, 2, op->now);
    db_bind_int(s, 3, le->amount);
    db_bind_int(s, 4, after);
    db_bind_text(s, 5, le->kind);
    db_bind_text(s, 6, le->operation);
    db_bind_int_or_null(s, 7, le->years, le->years);
    db_bind_text(s, 8, le->object_kind);
    db_bind_text(s, 9, le->object_name);
    db_bind_text(s, 10, op->svtrid);
    db_bind_text(s, 11, le->text);
    db_bind_int(s, 12, le->oneoff);
    db_bind_text(s, 13, op->actor);
    db_bind_text(s, 14, op->channel);
    int64_t id = 0;
    reg_err e;
    if (ledger_id) {
        id = db_next(s) ? db_col_int(s, 0) : 0;
        e = db_done(s);
        if (!e && !id)
            e = REG_ERR_DB;
    } else {
        e = db_run_deferred(s);
    }
    if (e)
        return op_db_fail(op, st, e);
    if (ledger_id)
        *ledger_id = id;
    if (balance_after)
        *balance_after = after;
    return low_balance_warning(op, le->registrar_id, &a, after, st);
}

reg_err billing_post(const struct reg_op *op, const struct ledger_entry *le, int64_t *balance_after,
                     reg_status *st)
{
    return billing_post_row(op, le, false, NULL, balance_after, st);
}

reg_err billing_charge(const struct reg_op *op, int64_t registrar_id, const char *operation,
                       int years, const char *object_kind, const char *object_name,
                       int64_t *charged, reg_status *st)
{
    int64_t price;
    if (charged)
        *charged = 0;
    if (billing_price(op, registrar_id, operation, years, &price, st))
        return st->code;
    if (price == 0)
        return REG_OK;
    char text[300];
    snprintf(text, sizeof text, "%s %s%s%d year%s", operation, object_name ? object_name : "",
             object_name ? ", " : "", years, years == 1 ? "" : "s");
    struct ledger_entry le = {.registrar_id = registrar_id, .amount = -price, .kind = "debit",
                              .operation = operation, .years = years,
                              .object_kind = object_kind, .object_name = object_name,
                              .text = text};
    if (billing_post_row(op, &le, true, NULL, NULL, st))
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

reg_err billing_ledger_registrars(db *d, int64_t *count, reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT COUNT(DISTINCT registrar_id) FROM ledger");
    *count = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

/* ---- price lists and account settings --------------------------------------------- */

reg_err billing_price_set(const struct reg_op *op, const char *operation, int years, int64_t amount,
                          int64_t registrar_id, reg_time valid_from, reg_status *st)
{
    if (!billing_operation_valid(operation))
        return reg_fail(st, REG_ERR_INVALID,
                        "operation \"%s\" is not create, renew, autorenew, transfer or restore",
                        operation ? operation : "");
    if (years < 0 || years > BILLING_YEARS_MAX)
        return reg_fail(st, REG_ERR_RANGE, "years is 0 (per year) or 1..%d", BILLING_YEARS_MAX);
    if (amount < 0 || amount > MONEY_MAX)
        return reg_fail(st, REG_ERR_RANGE, "a price is 0..%lld minor units",
                        (long long)MONEY_MAX);
    db_stmt *s = db_query(op->db, "DELETE FROM price WHERE operation = ? AND years = ? AND "
                                  "COALESCE(registrar_id, 0) = ? AND valid_from = ?");
    db_bind_text(s, 1, operation);
    db_bind_int(s, 2, years);
    db_bind_int(s, 3, registrar_id);
    db_bind_int(s, 4, valid_from);
    reg_err e = db_run(s);
    if (!e) {
        s = db_query(op->db, "INSERT INTO price (operation, years, amount, registrar_id, "
                             "valid_from, created_at) VALUES (?, ?, ?, ?, ?, ?)");
        db_bind_text(s, 1, operation);
        db_bind_int(s, 2, years);
        db_bind_int(s, 3, amount);
        db_bind_int_or_null(s, 4, registrar_id, registrar_id);
        db_bind_int(s, 5, valid_from);
        db_bind_int(s, 6, op->now);
        e = db_run(s);
    }
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err billing_price_each(db *d, int64_t registrar_id, reg_time now,
                           void (*fn)(const struct price_row *r, void *arg), void *arg,
                           reg_status *st)
{
    db_stmt *s = db_query(
        d, "SELECT p.id, p.operation, p.years, p.amount, p.registrar_id, r.handle, p.valid_from, "
           "CASE WHEN p.valid_from <= ? AND NOT EXISTS (SELECT 1 FROM price q WHERE "
           "q.operation = p.operation AND q.years = p.years AND COALESCE(q.registrar_id, 0) = "
           "COALESCE(p.registrar_id, 0) AND q.valid_from <= ? AND q.valid_from > p.valid_from) "
           "THEN 1 ELSE 0 END FROM price p LEFT JOIN registrar r ON r.id = p.registrar_id "
           "WHERE ? = 0 OR p.registrar_id IS NULL OR p.registrar_id = ? "
           "ORDER BY p.operation, p.years, COALESCE(r.handle, ''), p.valid_from");
    db_bind_int(s, 1, now);
    db_bind_int(s, 2, now);
    db_bind_int(s, 3, registrar_id);
    db_bind_int(s, 4, registrar_id);
    while (db_next(s)) {
        struct price_row r = {
            .id = db_col_int(s, 0),
            .operation = db_col_text(s, 1),
            .years = (int)db_col_int(s, 2),
            .amount = db_col_int(s, 3),
            .registrar_id = db_col_is_null(s, 4) ? 0 : db_col_int(s, 4),
            .registrar = db_col_text(s, 5),
            .valid_from = db_col_int(s, 6),
            .current = db_col_int(s, 7) != 0,
        };
        fn(&r, arg);
    }
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

reg_err billing_rebate_set(const struct reg_op *op, int64_t registrar_id, int basis_points,
                           reg_time valid_from, reg_status *st)
{
    if (basis_points < 0 || basis_points > 10000)
        return reg_fail(st, REG_ERR_RANGE, "a rebate is 0..100 percent");
    db_stmt *s = db_query(op->db, "INSERT INTO rebate (registrar_id, basis_points, valid_from) "
                                  "VALUES (?, ?, ?) ON CONFLICT (registrar_id, valid_from) DO "
                                  "UPDATE SET basis_points = excluded.basis_points");
    db_bind_int(s, 1, registrar_id);
    db_bind_int(s, 2, basis_points);
    db_bind_int(s, 3, valid_from);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err billing_account_get(db *d, int64_t registrar_id, reg_time now, struct billing_account *out,
                            reg_status *st)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_query(d, "SELECT credit_limit, low_balance, low_balance_warned FROM registrar "
                             "WHERE id = ?");
    db_bind_int(s, 1, registrar_id);
    bool found = db_next(s);
    if (found) {
        out->credit_limit = db_col_int(s, 0);
        out->has_low_balance = !db_col_is_null(s, 1);
        out->low_balance = db_col_int(s, 1);
        out->low_balance_warned = db_col_int(s, 2) != 0;
    }
    reg_err e = db_done(s);
    if (e)
        return reg_fail(st, e, "database: %s", db_errmsg(d));
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "no registrar with id %lld",
                        (long long)registrar_id);
    if (billing_balance(d, registrar_id, &out->balance, st))
        return st->code;
    return billing_rebate_at(d, registrar_id, now, &out->rebate_bp, st);
}

reg_err billing_set_credit_limit(const struct reg_op *op, int64_t registrar_id, int64_t limit,
                                 reg_status *st)
{
    struct account_lock a;
    if (limit < 0 || limit > MONEY_MAX)
        return reg_fail(st, REG_ERR_RANGE, "a credit limit is 0..%lld minor units",
                        (long long)MONEY_MAX);
    if (lock_registrar(op, registrar_id, &a, st))
        return st->code;
    db_stmt *s = db_query(op->db, "UPDATE registrar SET credit_limit = ? WHERE id = ?");
    db_bind_int(s, 1, limit);
    db_bind_int(s, 2, registrar_id);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err billing_set_low_balance(const struct reg_op *op, int64_t registrar_id, bool has_low,
                                int64_t low, reg_status *st)
{
    struct account_lock a;
    int64_t balance;
    if (has_low && (low < -MONEY_MAX || low > MONEY_MAX))
        return reg_fail(st, REG_ERR_RANGE, "a warning level is at most %lld minor units",
                        (long long)MONEY_MAX);
    if (lock_registrar(op, registrar_id, &a, st) ||
        billing_balance(op->db, registrar_id, &balance, st))
        return st->code;
    db_stmt *s = db_query(op->db, "UPDATE registrar SET low_balance = ?, low_balance_warned = 0 "
                                  "WHERE id = ?");
    db_bind_int_or_null(s, 1, has_low, low);
    db_bind_int(s, 2, registrar_id);
    reg_err e = db_run(s);
    if (e)
        return op_db_fail(op, st, e);
    /* a new threshold is judged against the balance at once: already
     * below it counts as a crossing */
    a.has_low = has_low;
    a.low = low;
    a.warned = false;
    return low_balance_warning(op, registrar_id, &a, balance, st);
}

/* ---- statements ------------------------------------------------------------------ */

#define LEDGER_ROW_COLUMNS                                                                    \
    "l.id, l.at, l.amount, l.balance_after, l.kind, l.operation, l.years, l.object_kind, "    \
    "l.object_name, l.svtrid, l.text, l.oneoff, l.actor, l.channel, i.number, r.handle "      \
    "FROM ledger l LEFT JOIN invoice i ON i.id = l.invoice_id JOIN registrar r ON r.id = "    \
    "l.registrar_id"

static void read_ledger_row(db_stmt *s, struct ledger_row *r)
{
    *r = (struct ledger_row){
        .id = db_col_int(s, 0),
        .at = db_col_int(s, 1),
        .amount = db_col_int(s, 2),
        .balance = db_col_int(s, 3),
        .balance_after = db_col_int(s, 3),
        .kind = db_col_text(s, 4),
        .operation = db_col_text(s, 5),
        .years = db_col_is_null(s, 6) ? 0 : (int)db_col_int(s, 6),
        .object_kind = db_col_text(s, 7),
        .object_name = db_col_text(s, 8),
        .svtrid = db_col_text(s, 9),
        .text = db_col_text(s, 10),
        .oneoff = db_col_int(s, 11) != 0,
        .actor = db_col_text(s, 12),
        .channel = db_col_text(s, 13),
        .invoice_number = db_col_is_null(s, 14) ? 0 : db_col_int(s, 14),
        .registrar = db_col_text(s, 15),
    };
}

reg_err billing_statement(db *d, int64_t registrar_id, reg_time from, reg_time to,
                          int64_t *opening, int64_t *closing,
                          void (*fn)(const struct ledger_row *r, void *arg), void *arg,
                          reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE registrar_id = ? "
                             "AND at < ?");
    db_bind_int(s, 1, registrar_id);
    db_bind_int(s, 2, from);
    *opening = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    if (e)
        return reg_fail(st, e, "database: %s", db_errmsg(d));
    int64_t running = *opening;
    s = db_query(d, "SELECT " LEDGER_ROW_COLUMNS " WHERE l.registrar_id = ? AND l.at >= ? AND "
                    "l.at < ? ORDER BY l.at, l.id");
    db_bind_int(s, 1, registrar_id);
    db_bind_int(s, 2, from);
    db_bind_int(s, 3, to);
    while (db_next(s)) {
        struct ledger_row r;
        read_ledger_row(s, &r);
        running += r.amount;
        r.balance = running;
        if (fn)
            fn(&r, arg);
    }
    if ((e = db_done(s)))
        return reg_fail(st, e, "database: %s", db_errmsg(d));
    *closing = running;
    return REG_OK;
}

reg_err billing_object_each(db *d, const char *name, const char *alt,
                            void (*fn)(const struct ledger_row *r, void *arg), void *arg,
                            reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT " LEDGER_ROW_COLUMNS " WHERE l.object_name IN (?, ?) "
                             "ORDER BY l.id");
    db_bind_text(s, 1, name);
    db_bind_text(s, 2, alt ? alt : name);
    while (db_next(s)) {
        struct ledger_row r;
        read_ledger_row(s, &r);
        fn(&r, arg);
    }
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

reg_err billing_has_entries(db *d, int64_t registrar_id, bool *yes, reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT 1 FROM ledger WHERE registrar_id = ? LIMIT 1");
    db_bind_int(s, 1, registrar_id);
    *yes = db_next(s);
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}
