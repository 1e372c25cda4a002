/* Invoices and statements as CSV and HTML (billing_export.h). */
#include "billing_export.h"

#include <stdio.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/money.h"
#include "registry/billing.h"

struct export {
    const struct invoice *inv;
    strbuf *out;
};

/* e, or the buffer's sticky error: a document is whole or not at all. */
static reg_err finish(reg_err e, const strbuf *out, reg_status *st)
{
    if (!e && out->err)
        return reg_fail(st, out->err, "out of memory");
    return e;
}

/* ---- invoice as CSV ---------------------------------------------------------------- */

/* The columns a ledger entry and its invoice line share, each followed by
 * a comma: kind, operation, years (empty for none), object, svtrid. */
static void entry_fields(strbuf *out, const char *kind, const char *operation, int years,
                         const char *object, const char *svtrid)
{
    csv_field(out, kind);
    sb_putc(out, ',');
    csv_field(out, operation);
    sb_putc(out, ',');
    if (years)
        sb_printf(out, "%d", years);
    sb_putc(out, ',');
    csv_field(out, object);
    sb_putc(out, ',');
    csv_field(out, svtrid);
    sb_putc(out, ',');
}

static void csv_line(const struct invoice_line *l, void *arg)
{
    struct export *x = arg;
    char issued[REG_TIME_STRLEN], at[REG_TIME_STRLEN], amount[MONEY_FMT_LEN];
    sb_printf(x->out, "%lld,%s,%s,%s,%s,%d,%s,", (long long)x->inv->number,
              clock_format(x->inv->issued_at, issued, sizeof issued), x->inv->registrar,
              x->inv->kind, x->inv->period, l->line_no, clock_format(l->at, at, sizeof at));
    entry_fields(x->out, l->kind, l->operation, l->years, l->object_name, l->svtrid);
    csv_field(x->out, l->text);
    sb_printf(x->out, ",%lld,%s,%s\r\n", (long long)l->amount,
              money_format(l->amount, NULL, amount, sizeof amount), x->inv->currency);
}

reg_err web_invoice_csv(db *d, const struct invoice *inv, strbuf *out, reg_status *st)
{
    sb_puts(out, "invoice,issued,registrar,kind,period,line,date,entry,operation,years,object,"
                 "svtrid,text,amount_minor,amount,currency\r\n");
    struct export x = {inv, out};
    return finish(invoice_lines(d, inv->id, csv_line, &x, st), out, st);
}

/* ---- invoice as HTML --------------------------------------------------------------- */

/* Printable on paper: its own CSS, not the pages' (web_page_begin). */
static const char invoice_css[] =
    "body { font-family: sans-serif; max-width: 52em; margin: 2em auto; color: #000; }\n"
    "table { border-collapse: collapse; width: 100%; }\n"
    "th, td { border-bottom: 1px solid #999; padding: 0.3em 0.5em; text-align: left; "
    "vertical-align: top; }\n"
    ".amount { text-align: right; white-space: nowrap; }\n"
    "dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }\n"
    "dd { margin: 0; }\n"
    "@media print { body { margin: 0; max-width: none; } }\n";

static void html_line(const struct invoice_line *l, void *arg)
{
    struct export *x = arg;
    char date[REG_TIME_STRLEN], amount[MONEY_FMT_LEN];
    sb_printf(x->out, "<tr><td>%d</td><td>%s</td><td>", l->line_no,
              clock_format_date(l->at, date, sizeof date));
    html_escape(x->out, l->text);
    sb_puts(x->out, "</td><td>");
    html_escape(x->out, l->object_name);
    sb_puts(x->out, "</td><td>");
    html_escape(x->out, l->svtrid);
    sb_printf(x->out, "</td><td class=\"amount\">%s</td></tr>\n",
              money_format(l->amount, NULL, amount, sizeof amount));
}

reg_err web_invoice_html(db *d, const struct invoice *inv, const char *tld, strbuf *out,
                         reg_status *st)
{
    char issued[REG_TIME_STRLEN], total[MONEY_FMT_LEN];
    sb_printf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<title>Invoice %lld - .",
              (long long)inv->number);
    html_escape(out, tld);
    sb_puts(out, " registry</title>\n<style>\n");
    sb_puts(out, invoice_css);
    sb_printf(out, "</style>\n</head>\n<body>\n<header>\n<h1>Invoice %lld</h1>\n<p>The .",
              (long long)inv->number);
    html_escape(out, tld);
    sb_printf(out, " registry</p>\n</header>\n<main>\n<dl>\n<dt>Invoice number</dt><dd>%lld</dd>\n"
                   "<dt>Issued</dt><dd>%s</dd>\n<dt>Registrar</dt><dd>",
              (long long)inv->number, clock_format_date(inv->issued_at, issued, sizeof issued));
    html_escape(out, inv->registrar);
    if (inv->billed_to && *inv->billed_to) {
        sb_puts(out, " (");
        html_escape(out, inv->billed_to);
        sb_puts(out, ")");
    }
    sb_puts(out, "</dd>\n<dt>Covers</dt><dd>");
    if (!strcmp(inv->kind, "oneoff"))
        sb_puts(out, "a one-off fee, outside the monthly invoice");
    else
        sb_printf(out, "the month %s", inv->period);
    sb_puts(out, "</dd>\n<dt>Currency</dt><dd>");
    html_escape(out, inv->currency);
    sb_puts(out, "</dd>\n</dl>\n<table>\n<thead><tr><th>#</th><th>Date</th><th>Description</th>"
                 "<th>Object</th><th>Transaction</th><th class=\"amount\">Amount (");
    html_escape(out, inv->currency);
    sb_puts(out, ")</th></tr></thead>\n<tbody>\n");
    struct export x = {inv, out};
    if (invoice_lines(d, inv->id, html_line, &x, st))
        return st->code;
    sb_printf(out, "</tbody>\n<tfoot><tr><th colspan=\"5\">Total</th><td class=\"amount\">"
                   "<strong>%s</strong></td></tr></tfoot>\n</table>\n",
              money_format(inv->total, inv->currency, total, sizeof total));
    sb_puts(out, "<p>Paid from the registrar's prepaid account: every amount was debited when "
                 "the operation was performed. Amounts are in ");
    html_escape(out, inv->currency);
    sb_puts(out, ".</p>\n</main>\n</body>\n</html>\n");
    return finish(REG_OK, out, st);
}

/* ---- registrant invoice (R19) ------------------------------------------------------ */

reg_err web_registrant_invoice_csv(const struct registrant_invoice *inv, strbuf *out,
                                   reg_status *st)
{
    char issued[REG_TIME_STRLEN], due[REG_TIME_STRLEN], from[REG_TIME_STRLEN],
        to[REG_TIME_STRLEN], amount[MONEY_FMT_LEN];
    sb_puts(out, "invoice,issued,due,domain,operation,years,period_start,period_end,payer,"
                 "payer_name,payer_org,amount_minor,amount,currency\r\n");
    sb_printf(out, "%s%lld,%s,%s,", REGISTRANT_INVOICE_PREFIX, (long long)inv->number,
              clock_format(inv->issued_at, issued, sizeof issued),
              clock_format_date(inv->due_at, due, sizeof due));
    csv_field(out, inv->domain);
    sb_printf(out, ",%s,%d,%s,%s,", inv->operation, inv->years,
              clock_format_date(inv->period_start, from, sizeof from),
              clock_format_date(inv->period_end, to, sizeof to));
    csv_field(out, inv->payer_handle);
    sb_putc(out, ',');
    csv_field(out, inv->payer_name);
    sb_putc(out, ',');
    csv_field(out, inv->payer_org);
    sb_printf(out, ",%lld,%s,", (long long)inv->amount,
              money_format(inv->amount, NULL, amount, sizeof amount));
    csv_field(out, inv->currency);
    sb_puts(out, "\r\n");
    return finish(REG_OK, out, st);
}

/* A <dd> of lines (the payer's address: '\n' between them). */
static void html_lines(strbuf *out, const char *s)
{
    for (const char *p = s ? s : ""; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char line[256];
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
        html_escape(out, line);
        if (!nl)
            break;
        sb_puts(out, "<br>");
        p = nl + 1;
    }
}

reg_err web_registrant_invoice_html(const struct registrant_invoice *inv, const char *tld,
                                    strbuf *out, reg_status *st)
{
    char num[32], issued[REG_TIME_STRLEN], due[REG_TIME_STRLEN], from[REG_TIME_STRLEN],
        to[REG_TIME_STRLEN], total[MONEY_FMT_LEN];
    snprintf(num, sizeof num, "%s%lld", REGISTRANT_INVOICE_PREFIX, (long long)inv->number);
    clock_format_date(inv->due_at, due, sizeof due);
    sb_printf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<title>Invoice %s - .", num);
    html_escape(out, tld);
    sb_puts(out, " registry</title>\n<style>\n");
    sb_puts(out, invoice_css);
    sb_printf(out, "</style>\n</head>\n<body>\n<header>\n<h1>Invoice %s</h1>\n<p>The .", num);
    html_escape(out, tld);
    sb_printf(out, " registry</p>\n</header>\n<main>\n<dl>\n<dt>Invoice number</dt><dd>%s</dd>\n"
                   "<dt>Issued</dt><dd>%s</dd>\n<dt>Due</dt><dd>%s</dd>\n<dt>Billed to</dt><dd>",
              num, clock_format_date(inv->issued_at, issued, sizeof issued), due);
    const char *parts[] = {inv->payer_name, inv->payer_org, inv->payer_address};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i] && *parts[i]) {
            html_lines(out, parts[i]);
            sb_puts(out, "<br>");
        }
    html_escape(out, inv->payer_handle);
    sb_puts(out, "</dd>\n<dt>Currency</dt><dd>");
    html_escape(out, inv->currency);
    sb_puts(out, "</dd>\n</dl>\n<table>\n<thead><tr><th>Description</th><th>Period</th>"
                 "<th class=\"amount\">Amount (");
    html_escape(out, inv->currency);
    sb_puts(out, ")</th></tr></thead>\n<tbody>\n<tr><td>Renewal of ");
    html_escape(out, inv->domain);
    sb_printf(out, ", %d year%s</td><td>%s to %s</td><td class=\"amount\">%s</td></tr>\n",
              inv->years, inv->years == 1 ? "" : "s",
              clock_format_date(inv->period_start, from, sizeof from),
              clock_format_date(inv->period_end, to, sizeof to),
              money_format(inv->amount, NULL, total, sizeof total));
    sb_printf(out, "</tbody>\n<tfoot><tr><th colspan=\"2\">Total</th><td class=\"amount\">"
                   "<strong>%s</strong></td></tr></tfoot>\n</table>\n",
              money_format(inv->amount, inv->currency, total, sizeof total));
    sb_printf(out, "<p>Please pay by %s and quote the invoice number %s.</p>\n</main>\n</body>\n"
                   "</html>\n", due, num);
    return finish(REG_OK, out, st);
}

/* ---- statement as CSV -------------------------------------------------------------- */

struct statement {
    strbuf *out;
    const char *currency;
};

/* An amount as two columns: minor units, and major units with the point. */
static void csv_amount(strbuf *out, int64_t amount)
{
    char f[MONEY_FMT_LEN];
    sb_printf(out, "%lld,%s", (long long)amount, money_format(amount, NULL, f, sizeof f));
}

/* The opening or closing balance as a row of its own. */
static void balance_row(strbuf *out, const char *which, reg_time at, int64_t balance,
                        const char *currency)
{
    char ts[REG_TIME_STRLEN];
    sb_printf(out, ",%s,%s,,,,,,%s balance,,,", clock_format(at, ts, sizeof ts), which, which);
    csv_amount(out, balance);
    sb_printf(out, ",%s\r\n", currency);
}

static void statement_row(const struct ledger_row *r, void *arg)
{
    struct statement *s = arg;
    char ts[REG_TIME_STRLEN];
    sb_printf(s->out, "%lld,%s,", (long long)r->id, clock_format(r->at, ts, sizeof ts));
    entry_fields(s->out, r->kind, r->operation, r->years, r->object_name, r->svtrid);
    if (r->invoice_number)
        sb_printf(s->out, "%lld", (long long)r->invoice_number);
    sb_putc(s->out, ',');
    csv_field(s->out, r->text);
    sb_putc(s->out, ',');
    csv_amount(s->out, r->amount);
    sb_putc(s->out, ',');
    csv_amount(s->out, r->balance);
    sb_printf(s->out, ",%s\r\n", s->currency);
}

reg_err web_statement_csv(db *d, int64_t registrar_id, reg_time from, reg_time to,
                          const char *currency, strbuf *out, reg_status *st)
{
    /* the rows first (the opening balance comes with them), then in order */
    strbuf rows;
    sb_init(&rows);
    struct statement s = {&rows, currency};
    int64_t opening = 0, closing = 0;
    reg_err e = finish(billing_statement(d, registrar_id, from, to, &opening, &closing,
                                         statement_row, &s, st),
                       &rows, st);
    if (!e) {
        sb_puts(out, "id,date,kind,operation,years,object,svtrid,invoice,text,amount_minor,"
                     "amount,balance_minor,balance,currency\r\n");
        balance_row(out, "opening", from, opening, currency);
        sb_append(out, rows.data, rows.len);
        balance_row(out, "closing", to, closing, currency);
    }
    sb_free(&rows);
    return finish(e, out, st);
}
