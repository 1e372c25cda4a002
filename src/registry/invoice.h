/* Invoices (R17, R23; DESIGN §4 "invoice + lines"): stored documents over
 * the prepaid ledger.
 *
 * - Monthly: one per registrar and month, over the registrar's debits,
 *   refunds and adjustments dated before the month's end that no invoice
 *   covers yet and that are not one-off fees (entries posted late for an
 *   earlier month land on the next invoice, never on none). A registrar
 *   with no such entries gets no invoice. Running a month again issues
 *   nothing new (idempotent); an interrupted run is completed by the next.
 * - One-off: a fee charged outside the monthly invoice (R17's manual
 *   handling fee) gets its own invoice at once, in the transaction that
 *   charges it.
 *
 * Numbers are gapless from 1: each is taken from a one-row counter that is
 * locked and incremented in the transaction that issues the invoice. Lock
 * order everywhere: the registrar row, then the counter. Lines are copies
 * of the ledger rows (which point back with ledger.invoice_id); a line's
 * amount is what was charged (a debit is positive, a refund negative). */
#ifndef REG_INVOICE_H
#define REG_INVOICE_H

#include <stdbool.h>
#include <stdint.h>
#include "op.h"
#include "registrar.h"

struct invoice {
    int64_t id;
    int64_t number;
    int64_t registrar_id;
    char registrar[REGISTRAR_HANDLE_MAX + 1];
    char kind[8];   /* monthly | oneoff */
    char period[8]; /* YYYY-MM (monthly), "" (one-off) */
    reg_time issued_at;
    int64_t total;
    char currency[4];
    char *billed_to; /* the registrar's name when issued */
    int64_t nlines;
};
void invoice_free(struct invoice *inv);

struct invoice_line {
    int line_no;
    int64_t ledger_id;
    reg_time at;
    const char *kind, *operation, *object_name, *svtrid, *text;
    int years;
    int64_t amount;
};

/* "YYYY-MM" → the month as [start, end) in UTC. */
reg_err invoice_month(const char *month, reg_time *start, reg_time *end);

struct invoice_run_result {
    int issued;   /* monthly invoices issued by this run */
    int existing; /* registrars whose invoice for the month was issued before */
    int oneoff;   /* one-off fees found without an invoice, invoiced now */
};
/* Issues the monthly invoices for `month` (refused before the month is
 * over at op->now). Runs its own transactions, one per invoice; fn (may be
 * NULL) hears of each invoice issued (existed = false) or found from an
 * earlier run (existed = true), in registrar handle order. */
reg_err invoice_run_month(const struct reg_op *op, const char *currency, const char *month,
                          void (*fn)(const struct invoice *inv, bool existed, void *arg),
                          void *arg, struct invoice_run_result *res, reg_status *st);

/* A one-off fee (R17): a debit with operation "fee", oneoff, after the
 * same funds check as any charge (REG_ERR_BILLING, nothing written), and
 * its own invoice. In the caller's transaction; *out (may be NULL) gets the
 * invoice (invoice_free it). */
reg_err invoice_fee(const struct reg_op *op, const char *currency, int64_t registrar_id,
                    int64_t amount, const char *text, const char *object_kind,
                    const char *object_name, struct invoice *out, reg_status *st);

/* By number; REG_ERR_NOT_FOUND if there is none. */
reg_err invoice_get(db *d, int64_t number, struct invoice *out, reg_status *st);
/* Every invoice (registrar_id 0) or one registrar's, by number. */
reg_err invoice_each(db *d, int64_t registrar_id, void (*fn)(const struct invoice *inv, void *arg),
                     void *arg, reg_status *st);
/* The lines of invoice invoice_id in order (CSV and HTML exports are in
 * web/billing_export.h). */
reg_err invoice_lines(db *d, int64_t invoice_id,
                      void (*fn)(const struct invoice_line *l, void *arg), void *arg,
                      reg_status *st);

/* Consistency of invoices with the ledger: numbers 1..N without gaps (and
 * the counter at N), each total equal to its lines, each line equal to
 * the ledger row it copies and that row pointing back, no credit invoiced,
 * every one-off fee invoiced. bad() hears each problem as one line. */
reg_err invoice_verify(db *d, int64_t *invoices, int64_t *problems,
                       void (*bad)(const char *problem, void *arg), void *arg, reg_status *st);

#endif
