/* R19: the registry invoices the registrant of a registrant-managed
 * domain itself, from the first renewal on (the create, the first period,
 * is debited from the registrar as usual). Every renewal of such a domain
 * (EPP <renew> or the autorenew at expiry) issues one registrant invoice
 * instead of a ledger debit, and mails it to the payer through the outbox,
 * in the transaction of the renewal. The mail is plain text from the
 * notify templates (registrant-renewal.invoice) filled with these typed
 * values, so the registry renders no document (HTML and CSV exports live
 * in src/web/, which the registry may not use).
 *
 * - Amount: the default price list (billing_price with no registrar, so
 *   no registrar override or rebate applies), operation renew or
 *   autorenew (which falls back to renew prices). A zero price issues no
 *   invoice; the payer is still told of the renewal.
 * - Payer: the domain's registrant contact, copied onto the invoice as it
 *   is then (name, organisation, address, e-mail). See resolve_payer() in
 *   registrant_invoice.c for where registrant accounts (R33-R35) plug in.
 * - Numbers: a series of their own, gapless from 1 (shown "R1", "R2", …),
 *   from a one-row counter locked and incremented in the issuing
 *   transaction. Lock order: the counter before the domain row.
 * - A renewal period (domain, expiry it starts from) is invoiced once. */
#ifndef REG_REGISTRANT_INVOICE_H
#define REG_REGISTRANT_INVOICE_H

#include <stdbool.h>
#include <stdint.h>
#include "names.h"
#include "op.h"

#define REGISTRANT_INVOICE_PREFIX "R"

struct registrant_invoice {
    int64_t id, number;
    char domain[NAME_MAX_LEN + 1];
    char operation[16]; /* renew | autorenew */
    int years;
    reg_time period_start, period_end, issued_at, due_at;
    char sponsor[17];
    char payer_kind[16]; /* registrant | account */
    char *payer_handle, *payer_name, *payer_org, *payer_address, *payer_email;
    int64_t amount;
    char currency[4];
    char *svtrid;
    reg_time paid_at;   /* 0: not paid */
    char *payment_ref;  /* NULL unless paid */
};
void registrant_invoice_free(struct registrant_invoice *inv);

/* Issues the invoice for the renewal of registrant-managed domain
 * domain_id from expiry `from` to `to` (operation "renew" or "autorenew",
 * `years` long) and queues its mail, in the caller's transaction; call it
 * before writing the domain row. *number (may be NULL) gets the invoice
 * number, 0 when the price is zero. */
reg_err registrant_invoice_renewal(const struct reg_op *op, int64_t domain_id,
                                   const char *operation, int years, reg_time from, reg_time to,
                                   int64_t *number, reg_status *st);

/* "R12" / "r12" → 12; false for anything else. */
bool registrant_invoice_number_parse(const char *s, int64_t *number);

/* By number; REG_ERR_NOT_FOUND if there is none. */
reg_err registrant_invoice_get(db *d, int64_t number, struct registrant_invoice *out,
                               reg_status *st);
/* Every registrant invoice by number (payer_handle NULL), or one payer's. */
reg_err registrant_invoice_each(db *d, const char *payer_handle,
                                void (*fn)(const struct registrant_invoice *inv, void *arg),
                                void *arg, reg_status *st);

/* The invoices self-service contact contact_id may see (the site's
 * "invoices"): those billed to it, and those billed to the registrant of a
 * domain it holds (account.h ACCOUNT_HOLDS_DOMAIN_SQL) while that
 * registrant holds it; newest first. */
reg_err registrant_invoice_each_held(db *d, int64_t contact_id,
                                     void (*fn)(const struct registrant_invoice *inv, void *arg),
                                     void *arg, reg_status *st);
/* One of them by number; REG_ERR_NOT_FOUND for one it may not see. */
reg_err registrant_invoice_get_held(db *d, int64_t contact_id, int64_t number,
                                    struct registrant_invoice *out, reg_status *st);

/* Records that the registrant paid invoice `number` (the registry's
 * staff, who see the payment arrive): at op->now, with the payment's
 * `reference` (its bank's, say; required), recorded by op->actor.
 * REG_ERR_NOT_FOUND for no such invoice, REG_ERR_EXISTS when it is paid
 * already (the first record stands). */
reg_err registrant_invoice_paid(const struct reg_op *op, int64_t number, const char *reference,
                                reg_status *st);

/* "paid" once a payment is recorded, else "open", or "overdue" once its
 * due date has passed. */
const char *registrant_invoice_state(const struct registrant_invoice *inv, reg_time now);

/* When the registry itself next invoices the renewal of a domain of model
 * `management` expiring at `expires`: at the autorenew at expiry, for a
 * registrant-managed domain when the policy renews at expiry. false: it
 * will not (the registrar may still renew it over EPP, which invoices the
 * registrant then). */
bool registrant_invoice_next(const struct registry_policy *p, const char *management,
                             reg_time expires, reg_time *at);

/* Numbers 1..N without gaps and the counter at N; bad() hears each
 * problem. */
reg_err registrant_invoice_verify(db *d, int64_t *invoices, int64_t *problems,
                                  void (*bad)(const char *problem, void *arg), void *arg,
                                  reg_status *st);

#endif
