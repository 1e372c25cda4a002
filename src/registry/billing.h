/* Prepaid billing (R23, R24): prices, the ledger, and the charge that
 * every billable operation makes in its own transaction. Amounts are
 * integers of the currency's minor unit. */
#ifndef REG_BILLING_H
#define REG_BILLING_H

#include <stdbool.h>
#include <stdint.h>
#include "op.h"

/* The price of `operation` for `years` at op->now for this registrar:
 * its override if one is valid, else the default; an exact-period row
 * wins, else years × the per-year (years = 0) row; then the registrar's
 * rebate (basis points, rounded half up). No price configured → 0
 * (not billed). "autorenew" falls back to "renew" prices. */
reg_err billing_price(const struct reg_op *op, int64_t registrar_id, const char *operation,
                      int years, int64_t *amount, reg_status *st);

reg_err billing_balance(db *d, int64_t registrar_id, int64_t *balance, reg_status *st);

/* Debits the price in the caller's transaction. REG_ERR_BILLING (2104)
 * when balance + credit limit does not cover it; nothing is written then.
 * Takes a row lock on the registrar so racing sessions serialise. A zero
 * price writes nothing. *charged (optional) gets the amount. */
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

/* Recomputes every registrar's running balance from the amounts; calls
 * bad() for each row whose stored balance_after differs. */
reg_err billing_verify(db *d, int64_t *rows, int64_t *mismatches,
                       void (*bad)(int64_t ledger_id, int64_t stored, int64_t computed, void *arg),
                       void *arg, reg_status *st);

#endif
