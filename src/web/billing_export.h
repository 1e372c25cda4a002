/* Billing documents as files (R17, R23): a registrar invoice as CSV or as
 * a printable HTML page, a registrar's ledger statement as CSV. The
 * registry computes them (registry/invoice.h, registry/billing.h); this is
 * only their rendering, with the one HTML escaper and the one CSV quoting
 * of web.h. A registrant invoice (R19) as CSV or printable HTML for the
 * self-service site (regctl shows them as text; their mail is plain text
 * from the notify templates). */
#ifndef REG_WEB_BILLING_EXPORT_H
#define REG_WEB_BILLING_EXPORT_H

#include "registry/invoice.h"
#include "registry/registrant_invoice.h"
#include "web.h"

/* CSV (RFC 4180): a header, then one row per line of the invoice. */
reg_err web_invoice_csv(db *d, const struct invoice *inv, strbuf *out, reg_status *st);
/* A plain, printable page naming the registry's TLD, the registrar, the
 * lines, the total and the currency. */
reg_err web_invoice_html(db *d, const struct invoice *inv, const char *tld, strbuf *out,
                         reg_status *st);
/* The entries of registrar_id with from <= at < to as CSV: a header, the
 * opening balance, each entry with the running balance, the closing
 * balance (amounts in `currency`). Run it in one snapshot. */
reg_err web_statement_csv(db *d, int64_t registrar_id, reg_time from, reg_time to,
                          const char *currency, strbuf *out, reg_status *st);

/* A registrant invoice: CSV (a header and its one row), and a plain,
 * printable page (number, dates, payer, the renewal, the total). */
reg_err web_registrant_invoice_csv(const struct registrant_invoice *inv, strbuf *out,
                                   reg_status *st);
reg_err web_registrant_invoice_html(const struct registrant_invoice *inv, const char *tld,
                                    strbuf *out, reg_status *st);

#endif
