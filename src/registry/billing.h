/* Prepaid billing (R23, R24): prices, the ledger, and the charge that
 * every billable operation makes in its own transaction. Amounts are
 * integers of the currency's minor unit (two decimals assumed when they
 * are shown: 12345 = "123.45 DKK").
 *
 * Every function that writes runs in the caller's transaction and first
 * locks the registrar row, so all ledger rows of one registrar are written
 * one transaction at a time: each row's balance_after is the previous
 * row's plus its amount, and a registrar's balance is the sum of its
 * entries (billing_verify checks it). */
#ifndef REG_BILLING_H
#define REG_BILLING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/money.h"
#include "op.h"

#define BILLING_YEARS_MAX 10

/* The operations that have prices. */
bool billing_operation_valid(const char *operation);

/* "12.5" (percent, at most two decimals, 0..100) → 1250 basis points. */
reg_err billing_parse_percent(const char *s, int *basis_points);
/* The rebate applied to a price: rounded half up to the minor unit. */
int64_t billing_apply_rebate(int64_t amount, int basis_points);

/* The price of `operation` for `years` at op->now for this registrar:
 * its override if one is valid, else the default; an exact-period row
 * wins, else years × the per-year (years = 0) row; then the registrar's
 * rebate (basis points, rounded half up). No price configured: refused
 * (REG_ERR_CONFIG, EPP 2400, the reason names operation and period)
 * unless op->policy->allow_unpriced, then 0 (not billed). "autorenew"
 * falls back to "renew" prices: the registrar's override (autorenew, then
 * renew) before the default (autorenew, then renew). */
reg_err billing_price(const struct reg_op *op, int64_t registrar_id, const char *operation,
                      int years, int64_t *amount, reg_status *st);

/* Calls fn for every billable operation and period (create, renew and
 * transfer for the policy's min..max period, autorenew and restore for one
 * year) that has no default price at op->now; *missing gets how many. */
reg_err billing_unpriced_each(const struct reg_op *op,
                              void (*fn)(const char *operation, int years, void *arg), void *arg,
                              int *missing, reg_status *st);

/* The current balance: the balance_after of the registrar's last row. */
reg_err billing_balance(db *d, int64_t registrar_id, int64_t *balance, reg_status *st);

/* Debits the price in the caller's transaction. REG_ERR_BILLING (2104)
 * when balance + credit limit does not cover it; nothing is written then.
 * Takes a row lock on the registrar so racing sessions serialise. A zero
 * price writes nothing; no price at all is refused as billing_price says. *charged (optional) gets the amount. */
reg_err billing_charge(const struct reg_op *op, int64_t registrar_id, const char *operation,
                       int years, const char *object_kind, const char *object_name,
                       int64_t *charged, reg_status *st);

/* Credits, refunds, adjustments (amount may be negative for adjustments)
 * and one-off fees (kind "debit", operation "fee", oneoff). In the
 * caller's transaction. */
struct ledger_entry {
    int64_t registrar_id;
    int64_t amount; /* signed */
    const char *kind; /* credit, debit, refund, adjustment */
    const char *operation;
    int years;
    const char *object_kind, *object_name;
    const char *text;
    bool oneoff;
};
reg_err billing_post(const struct reg_op *op, const struct ledger_entry *e, int64_t *balance_after,
                     reg_status *st);
/* The same, also giving the new row's id; check_funds refuses (2104,
 * nothing written) a negative amount that balance + credit limit does not
 * cover. */
reg_err billing_post_row(const struct reg_op *op, const struct ledger_entry *e, bool check_funds,
                         int64_t *ledger_id, int64_t *balance_after, reg_status *st);

/* Recomputes every registrar's running balance from the amounts; calls
 * bad() for each row whose stored balance_after differs. */
reg_err billing_verify(db *d, int64_t *rows, int64_t *mismatches,
                       void (*bad)(int64_t ledger_id, int64_t stored, int64_t computed, void *arg),
                       void *arg, reg_status *st);
/* How many registrars have ledger entries. */
reg_err billing_ledger_registrars(db *d, int64_t *count, reg_status *st);

/* ---- price lists and account settings (staff, in the caller's transaction) -- */

/* Sets the price of operation for `years` (0 = per year) from valid_from,
 * for one registrar (registrar_id > 0: an override, R24) or everyone (0).
 * A row with the same key is replaced. */
reg_err billing_price_set(const struct reg_op *op, const char *operation, int years, int64_t amount,
                          int64_t registrar_id, reg_time valid_from, reg_status *st);

struct price_row {
    int64_t id;
    const char *operation;
    int years;
    int64_t amount;
    int64_t registrar_id; /* 0: the default price */
    const char *registrar; /* handle or NULL */
    reg_time valid_from;
    bool current; /* the row that applies now for its key (operation, years, registrar) */
};
/* Every price row (registrar_id 0) or the defaults and that registrar's
 * overrides, ordered by operation, years, registrar, valid_from; `now`
 * decides which rows are current. */
reg_err billing_price_each(db *d, int64_t registrar_id, reg_time now,
                           void (*fn)(const struct price_row *r, void *arg), void *arg,
                           reg_status *st);

/* A rebate in basis points (0..10000) from valid_from (R24). */
reg_err billing_rebate_set(const struct reg_op *op, int64_t registrar_id, int basis_points,
                           reg_time valid_from, reg_status *st);
/* The rebate that applies at `now` (0 if none). */
reg_err billing_rebate_at(db *d, int64_t registrar_id, reg_time now, int *basis_points,
                          reg_status *st);

struct billing_account {
    int64_t balance;
    int64_t credit_limit;   /* how far below zero the balance may go */
    bool has_low_balance;
    int64_t low_balance;    /* warn when the balance drops below this */
    bool low_balance_warned;
    int rebate_bp;          /* at the time asked */
};
reg_err billing_account_get(db *d, int64_t registrar_id, reg_time now, struct billing_account *out,
                            reg_status *st);
/* Credit limit (>= 0); the warning threshold (has_low = false removes it;
 * a new threshold re-arms the warning). */
reg_err billing_set_credit_limit(const struct reg_op *op, int64_t registrar_id, int64_t limit,
                                 reg_status *st);
reg_err billing_set_low_balance(const struct reg_op *op, int64_t registrar_id, bool has_low,
                                int64_t low, reg_status *st);

/* ---- statements ---------------------------------------------------------- */

struct ledger_row {
    int64_t id;
    reg_time at;
    int64_t amount;
    int64_t balance;      /* running balance in the statement */
    int64_t balance_after; /* as stored */
    const char *kind, *operation, *object_kind, *object_name, *svtrid, *text;
    const char *actor, *channel;
    const char *registrar; /* the handle of the registrar whose account it is */
    int years;
    bool oneoff;
    int64_t invoice_number; /* 0: not invoiced */
};
/* The registrar's entries with from <= at < to in ledger order, each with
 * the running balance from *opening (the sum of all earlier entries);
 * *closing is the sum of all entries before `to`. */
reg_err billing_statement(db *d, int64_t registrar_id, reg_time from, reg_time to,
                          int64_t *opening, int64_t *closing,
                          void (*fn)(const struct ledger_row *r, void *arg), void *arg,
                          reg_status *st);

/* Every entry, of any registrar, that names the object `name` or `alt`
 * (NULL: none; a domain's A-label and U-label), in ledger order; balance
 * is the stored balance_after. */
reg_err billing_object_each(db *d, const char *name, const char *alt,
                            void (*fn)(const struct ledger_row *r, void *arg), void *arg,
                            reg_status *st);

/* Whether the registrar has any ledger entry. */
reg_err billing_has_entries(db *d, int64_t registrar_id, bool *yes, reg_status *st);

#endif
