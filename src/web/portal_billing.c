/* Billing for the registrar's payers (R23, R24): balance and credit
 * limit, the statement of a date range (a table, and CSV as regctl
 * statement --csv writes it), the invoices (a page each, downloads as CSV
 * and as the printable HTML of regctl invoice show), and the prices that
 * apply to this registrar (defaults, its overrides, its rebate). The
 * registry computes all of it (registry/billing.h, registry/invoice.h);
 * the files come from billing_export.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "billing_export.h"
#include "contrib/money.h"
#include "html.h"
#include "portal_internal.h"
#include "registry/billing.h"
#include "registry/invoice.h"
#include "site.h"

static const char *currency_of(const struct portal_ctx *c)
{
    return c->w->cfg->billing_currency;
}

static const char *money(const struct portal_ctx *c, int64_t amount, char *buf, size_t n)
{
    return money_format_in(amount, currency_of(c), c->lang, buf, n);
}

/* ---- the statement's range ------------------------------------------------------------------ */

/* ?from=&to= as regctl statement takes them: from <= at < to, a plain
 * date as `to` includes its day; by default the last 30 days. */
struct range {
    char from_s[32], to_s[32];
    reg_time from, to;
    bool bad;
};

static void range_of(const struct portal_ctx *c, struct range *r)
{
    memset(r, 0, sizeof *r);
    web_query_field(c->w, "from", r->from_s, sizeof r->from_s);
    web_query_field(c->w, "to", r->to_s, sizeof r->to_s);
    if (!r->from_s[0])
        clock_format_date(c->op.now - 30 * 86400, r->from_s, sizeof r->from_s);
    if (!r->to_s[0])
        clock_format_date(c->op.now, r->to_s, sizeof r->to_s);
    if (clock_parse(r->from_s, &r->from) || clock_parse(r->to_s, &r->to)) {
        r->bad = true;
        return;
    }
    if (strlen(r->to_s) == 10)
        r->to += 86400;
    r->bad = r->to <= r->from;
}

/* ---- the page ------------------------------------------------------------------------------- */

struct statement_page {
    const struct portal_ctx *c;
    strbuf *sb;
    int rows;
};

static void statement_row(const struct ledger_row *r, void *arg)
{
    struct statement_page *p = arg;
    char date[REG_TIME_STRLEN], time[REG_TIME_STRLEN], amount[MONEY_FMT_LEN],
        balance[MONEY_FMT_LEN], id[24];
    snprintf(id, sizeof id, "ledger-%" PRId64, r->id);
    h_open(p->sb, "tr", "id", id, NULL);
    h_elem(p->sb, "td", clock_format_date(r->at, date, sizeof date), "title",
           clock_format(r->at, time, sizeof time), NULL);
    h_elem(p->sb, "td", r->kind, NULL);
    h_open(p->sb, "td", NULL);
    h_text(p->sb, r->operation ? r->operation : "");
    if (r->years > 0)
        h_textf(p->sb, " (%d)", r->years);
    h_close(p->sb, "td");
    h_elem(p->sb, "td", r->object_name ? r->object_name : (r->text ? r->text : ""), NULL);
    h_elem(p->sb, "td", money(p->c, r->amount, amount, sizeof amount), "class",
           "text-end text-nowrap", NULL);
    h_elem(p->sb, "td", money(p->c, r->balance, balance, sizeof balance), "class",
           "text-end text-nowrap", NULL);
    h_close(p->sb, "tr");
    p->rows++;
}

static reg_err statement_section(strbuf *sb, struct portal_ctx *c, const struct range *r,
                                 reg_status *st)
{
    char action[320], href[512];
    h_elem(sb, "h2", portal_t(c, T_BILL_STATEMENT), "class", "h5 mt-4", NULL);
    h_open(sb, "form", "method", "get", "class", "row g-2 mb-3 align-items-end", "action",
           portal_url(c, PORTAL_PREFIX "/billing", action, sizeof action), NULL);
    const char *ids[] = {"from", "to"};
    const char *values[] = {r->from_s, r->to_s};
    const enum portal_text_id labels[] = {T_BILL_FROM, T_BILL_TO};
    for (int i = 0; i < 2; i++) {
        h_open(sb, "div", "class", "col-sm-4 col-lg-3", NULL);
        h_elem(sb, "label", portal_t(c, labels[i]), "for", ids[i], "class", "form-label", NULL);
        h_void(sb, "input", "id", ids[i], "name", ids[i], "type", "date", "value", values[i],
               "class", r->bad ? "form-control is-invalid" : "form-control", NULL);
        h_close(sb, "div");
    }
    h_open(sb, "div", "class", "col-auto", NULL);
    h_elem(sb, "button", portal_t(c, T_BILL_SHOW), "type", "submit", "class",
           "btn btn-outline-secondary", NULL);
    h_close(sb, "div");
    h_close(sb, "form");
    if (r->bad) {
        h_elem(sb, "p", portal_t(c, T_BILL_BAD_RANGE), "class", "text-danger", "id",
               "range-error", NULL);
        return REG_OK;
    }
    char *from = evhttp_encode_uri(r->from_s), *to = evhttp_encode_uri(r->to_s);
    char path[160];
    snprintf(path, sizeof path, PORTAL_PREFIX "/billing/statement.csv?from=%s&to=%s",
             from ? from : "", to ? to : "");
    free(from);
    free(to);
    h_open(sb, "p", NULL);
    h_elem(sb, "a", portal_t(c, T_BILL_CSV), "href", portal_url(c, path, href, sizeof href), "id",
           "statement-csv", "class", "btn btn-sm btn-outline-primary", NULL);
    h_close(sb, "p");
    /* the table after its rows: opening and closing come with them */
    strbuf rows;
    sb_init(&rows);
    struct statement_page p = {c, &rows, 0};
    int64_t opening = 0, closing = 0;
    if (billing_statement(c->op.db, c->s.registrar_id, r->from, r->to, &opening, &closing,
                          statement_row, &p, st)) {
        sb_free(&rows);
        return st->code;
    }
    char m[MONEY_FMT_LEN];
    h_open(sb, "div", "class", "table-responsive", NULL);
    h_open(sb, "table", "class", "table table-sm", "id", "statement", NULL);
    static const enum portal_text_id cols[] = {T_BILL_DATE, T_BILL_KIND, T_BILL_OPERATION,
                                               T_BILL_OBJECT, T_BILL_AMOUNT, T_BALANCE};
    portal_thead(sb, c, cols, sizeof cols / sizeof cols[0]);
    h_open(sb, "tbody", NULL);
    h_open(sb, "tr", "class", "table-light", NULL);
    h_elem(sb, "td", portal_t(c, T_BILL_OPENING), "colspan", "5", NULL);
    h_elem(sb, "td", money(c, opening, m, sizeof m), "class", "text-end text-nowrap", "id",
           "opening", NULL);
    h_close(sb, "tr");
    sb_append(sb, rows.data, rows.len);
    sb_free(&rows);
    h_open(sb, "tr", "class", "table-light", NULL);
    h_elem(sb, "td", portal_t(c, T_BILL_CLOSING), "colspan", "5", NULL);
    h_elem(sb, "td", money(c, closing, m, sizeof m), "class", "text-end text-nowrap", "id",
           "closing", NULL);
    h_close(sb, "tr");
    h_close(sb, "tbody");
    h_close(sb, "table");
    h_close(sb, "div");
    if (!p.rows)
        h_elem(sb, "p", portal_t(c, T_BILL_NO_ENTRIES), "class", "text-muted", NULL);
    return REG_OK;
}

struct invoice_list {
    const struct portal_ctx *c;
    strbuf *sb;
    int n;
};

static void invoice_link(strbuf *sb, const struct portal_ctx *c, int64_t number, const char *ext,
                         const char *text, const char *cls)
{
    char path[96], href[320], id[48];
    snprintf(path, sizeof path, PORTAL_PREFIX "/billing/invoices/%" PRId64 "%s", number, ext);
    snprintf(id, sizeof id, "invoice-%" PRId64 "%s", number, ext);
    for (char *p = id; *p; p++)
        if (*p == '.')
            *p = '-';
    h_elem(sb, "a", text, "href", portal_url(c, path, href, sizeof href), "id", id,
           cls ? "class" : NULL, cls, NULL);
}

static void invoice_row(const struct invoice *inv, void *arg)
{
    struct invoice_list *l = arg;
    char num[24], issued[REG_TIME_STRLEN], total[MONEY_FMT_LEN];
    snprintf(num, sizeof num, "%" PRId64, inv->number);
    h_open(l->sb, "tr", NULL);
    h_open(l->sb, "td", NULL);
    invoice_link(l->sb, l->c, inv->number, "", num, NULL);
    h_close(l->sb, "td");
    h_elem(l->sb, "td", clock_format_date(inv->issued_at, issued, sizeof issued), NULL);
    h_elem(l->sb, "td", inv->period[0] ? inv->period : portal_t(l->c, T_BILL_ONEOFF), NULL);
    h_elem(l->sb, "td", money_format_in(inv->total, inv->currency, l->c->lang, total, sizeof total), "class",
           "text-end text-nowrap", NULL);
    h_open(l->sb, "td", "class", "text-nowrap", NULL);
    invoice_link(l->sb, l->c, inv->number, ".html", "HTML", "btn btn-sm btn-outline-secondary me-1");
    invoice_link(l->sb, l->c, inv->number, ".csv", "CSV", "btn btn-sm btn-outline-secondary");
    h_close(l->sb, "td");
    h_close(l->sb, "tr");
    l->n++;
}

static reg_err invoices_section(strbuf *sb, struct portal_ctx *c, reg_status *st)
{
    h_elem(sb, "h2", portal_t(c, T_BILL_INVOICES), "class", "h5 mt-4", NULL);
    strbuf rows;
    sb_init(&rows);
    struct invoice_list l = {c, &rows, 0};
    if (invoice_each(c->op.db, c->s.registrar_id, invoice_row, &l, st)) {
        sb_free(&rows);
        return st->code;
    }
    if (!l.n) {
        h_elem(sb, "p", portal_t(c, T_BILL_NO_INVOICES), "class", "text-muted", "id",
               "no-invoices", NULL);
    } else {
        h_open(sb, "div", "class", "table-responsive", NULL);
        h_open(sb, "table", "class", "table table-sm", "id", "invoices", NULL);
        static const enum portal_text_id cols[] = {T_BILL_INVOICE_NO, T_BILL_ISSUED,
                                                   T_BILL_PERIOD, T_BILL_TOTAL, T_BILL_DOWNLOAD};
        portal_thead(sb, c, cols, sizeof cols / sizeof cols[0]);
        h_open(sb, "tbody", NULL);
        sb_append(sb, rows.data, rows.len);
        h_close(sb, "tbody");
        h_close(sb, "table");
        h_close(sb, "div");
    }
    sb_free(&rows);
    return REG_OK;
}

/* The rows that apply now (the defaults and this registrar's overrides),
 * kept to tell a default that an override replaces. */
#define PRICE_ROWS_MAX 64
struct price_list {
    struct {
        char operation[16];
        int years;
        int64_t amount;
        bool override;
    } rows[PRICE_ROWS_MAX];
    int n;
};

static void price_keep(const struct price_row *r, void *arg)
{
    struct price_list *l = arg;
    if (!r->current || l->n == PRICE_ROWS_MAX)
        return;
    snprintf(l->rows[l->n].operation, sizeof l->rows[l->n].operation, "%s", r->operation);
    l->rows[l->n].years = r->years;
    l->rows[l->n].amount = r->amount;
    l->rows[l->n].override = r->registrar_id != 0;
    l->n++;
}

/* Is row i a default that one of the registrar's overrides replaces? */
static bool price_replaced(const struct price_list *l, int i)
{
    for (int j = 0; j < l->n && !l->rows[i].override; j++)
        if (l->rows[j].override && l->rows[j].years == l->rows[i].years &&
            !strcmp(l->rows[j].operation, l->rows[i].operation))
            return true;
    return false;
}

static void price_rows(strbuf *sb, const struct portal_ctx *c, const struct price_list *l,
                       int rebate_bp)
{
    for (int i = 0; i < l->n; i++) {
        char years[48], amount[MONEY_FMT_LEN], yours[MONEY_FMT_LEN];
        bool replaced = price_replaced(l, i);
        if (l->rows[i].years)
            snprintf(years, sizeof years, "%d", l->rows[i].years);
        else
            snprintf(years, sizeof years, "%s", portal_t(c, T_BILL_PER_YEAR));
        h_open(sb, "tr", replaced ? "class" : NULL, "text-muted", NULL);
        h_elem(sb, "td", l->rows[i].operation, NULL);
        h_elem(sb, "td", years, NULL);
        h_elem(sb, "td",
               portal_t(c, l->rows[i].override ? T_BILL_OVERRIDE
                           : replaced          ? T_BILL_REPLACED
                                               : T_BILL_DEFAULT_PRICE),
               NULL);
        h_elem(sb, "td", money(c, l->rows[i].amount, amount, sizeof amount), "class",
               "text-end text-nowrap", NULL);
        h_elem(sb, "td",
               replaced ? "" : money(c, billing_apply_rebate(l->rows[i].amount, rebate_bp), yours,
                                     sizeof yours),
               "class", "text-end text-nowrap", NULL);
        h_close(sb, "tr");
    }
}

static reg_err prices_section(strbuf *sb, struct portal_ctx *c, int rebate_bp, reg_status *st)
{
    h_elem(sb, "h2", portal_t(c, T_BILL_PRICES), "class", "h5 mt-4", NULL);
    char pct[32], text[200];
    snprintf(pct, sizeof pct, "%d.%02d %%", rebate_bp / 100, rebate_bp % 100);
    h_elem(sb, "p", portal_tf(c, T_BILL_REBATE, text, sizeof text, pct, NULL), "id", "rebate",
           NULL);
    struct price_list *l = calloc(1, sizeof *l);
    if (!l)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    if (billing_price_each(c->op.db, c->s.registrar_id, c->op.now, price_keep, l, st)) {
        free(l);
        return st->code;
    }
    if (!l->n) {
        free(l);
        h_elem(sb, "p", portal_t(c, T_BILL_NO_PRICES), "class", "text-muted", "id", "no-prices",
               NULL);
        return REG_OK;
    }
    h_open(sb, "div", "class", "table-responsive", NULL);
    h_open(sb, "table", "class", "table table-sm", "id", "prices", NULL);
    static const enum portal_text_id cols[] = {T_BILL_OPERATION, T_BILL_YEARS, T_BILL_APPLIES,
                                               T_BILL_PRICE, T_BILL_YOUR_PRICE};
    portal_thead(sb, c, cols, sizeof cols / sizeof cols[0]);
    h_open(sb, "tbody", NULL);
    price_rows(sb, c, l, rebate_bp);
    free(l);
    h_close(sb, "tbody");
    h_close(sb, "table");
    h_close(sb, "div");
    return REG_OK;
}

/* Ends a page's read snapshot; after a failure (e) frees sb and answers
 * 503, logged as `what` (true). */
static bool snapshot_done(struct portal_ctx *c, reg_err e, reg_status *st, strbuf *sb,
                          const char *what)
{
    if (db_in_transaction(c->op.db))
        db_rollback(c->op.db);
    if (!e)
        return false;
    sb_free(sb);
    if (!st->code)
        reg_fail(st, e, "%s", db_errmsg(c->op.db));
    portal_unavailable(c, what, st);
    return true;
}

void portal_billing(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_PAYER))
        return;
    struct range r;
    range_of(c, &r);
    struct billing_account a;
    reg_status st = {0};
    strbuf sb;
    sb_init(&sb);
    /* one snapshot: balance, statement and invoices agree */
    reg_err e = db_begin_snapshot(c->op.db);
    if (!e)
        e = billing_account_get(c->op.db, c->s.registrar_id, c->op.now, &a, &st);
    if (!e) {
        char m[MONEY_FMT_LEN];
        portal_page_begin(&sb, c, portal_t(c, T_BILLING_TITLE));
        h_open(&sb, "div", "class", "row g-3 mb-2", NULL);
        portal_card(&sb, portal_t(c, T_BALANCE), money(c, a.balance, m, sizeof m), "balance");
        portal_card(&sb, portal_t(c, T_BILL_CREDIT_LIMIT), money(c, a.credit_limit, m, sizeof m),
                    "credit-limit");
        portal_card(&sb, portal_t(c, T_BILL_AVAILABLE),
                    money(c, a.balance + a.credit_limit, m, sizeof m), "available");
        h_close(&sb, "div");
        e = statement_section(&sb, c, &r, &st);
    }
    if (!e)
        e = invoices_section(&sb, c, &st);
    if (!e)
        e = prices_section(&sb, c, a.rebate_bp, &st);
    if (snapshot_done(c, e, &st, &sb, "portal-billing-failed"))
        return;
    portal_page_end(c, &sb, 200);
}

void portal_billing_statement_csv(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_PAYER))
        return;
    struct range r;
    range_of(c, &r);
    if (r.bad) {
        portal_send_message(c, 400, T_BILLING_TITLE, T_BILL_BAD_RANGE);
        return;
    }
    strbuf out;
    sb_init(&out);
    reg_status st = {0};
    reg_err e = db_begin_snapshot(c->op.db);
    if (!e)
        e = web_statement_csv(c->op.db, c->s.registrar_id, r.from, r.to, currency_of(c), &out,
                              &st);
    if (snapshot_done(c, e, &st, &out, "portal-statement-failed"))
        return;
    char name[96];
    snprintf(name, sizeof name, "statement-%s-%s-%s.csv", c->s.registrar, r.from_s, r.to_s);
    site_send_file(c->w, "text/csv; charset=utf-8", name, &out);
    sb_free(&out);
}

/* One line of an invoice's page. */
static void line_row(const struct invoice_line *l, void *arg)
{
    struct statement_page *p = arg;
    char date[REG_TIME_STRLEN], amount[MONEY_FMT_LEN];
    h_open(p->sb, "tr", NULL);
    h_elem(p->sb, "td", clock_format_date(l->at, date, sizeof date), NULL);
    h_open(p->sb, "td", NULL);
    h_text(p->sb, l->operation ? l->operation : l->kind);
    if (l->years > 0)
        h_textf(p->sb, " (%d)", l->years);
    h_close(p->sb, "td");
    h_elem(p->sb, "td", l->object_name ? l->object_name : (l->text ? l->text : ""), NULL);
    h_elem(p->sb, "td", l->svtrid ? l->svtrid : "", "class", "text-break", NULL);
    h_elem(p->sb, "td", money(p->c, l->amount, amount, sizeof amount), "class",
           "text-end text-nowrap", NULL);
    h_close(p->sb, "tr");
}

/* /billing/invoices/N: the page; N.csv and N.html: the files. Only this
 * registrar's invoices: another's number is not found. */
void portal_billing_invoice(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_PAYER))
        return;
    char *end = NULL;
    long long number = strtoll(c->arg, &end, 10);
    const char *ext = end && end != c->arg ? end : "?";
    if (number <= 0 || (*ext && strcmp(ext, ".csv") && strcmp(ext, ".html"))) {
        web_not_found(c->w);
        return;
    }
    struct invoice inv;
    reg_status st = {0};
    reg_err e = invoice_get(c->op.db, number, &inv, &st);
    if (e == REG_ERR_NOT_FOUND || (!e && inv.registrar_id != c->s.registrar_id)) {
        if (!e)
            invoice_free(&inv);
        web_not_found(c->w);
        return;
    }
    if (e) {
        portal_unavailable(c, "portal-invoice-failed", &st);
        return;
    }
    strbuf out;
    sb_init(&out);
    char name[64];
    if (*ext) {
        e = !strcmp(ext, ".csv") ? web_invoice_csv(c->op.db, &inv, &out, &st)
                                 : web_invoice_html(c->op.db, &inv, c->w->cfg->tld_name, &out, &st);
        snprintf(name, sizeof name, "invoice-%lld%s", number, ext);
        if (!e)
            site_send_file(c->w,
                           !strcmp(ext, ".csv") ? "text/csv; charset=utf-8"
                                                : "text/html; charset=utf-8",
                           name, &out);
    } else {
        char title[96], num[24], issued[REG_TIME_STRLEN], total[MONEY_FMT_LEN];
        snprintf(num, sizeof num, "%lld", number);
        strbuf rows;
        sb_init(&rows);
        struct statement_page p = {c, &rows, 0};
        e = invoice_lines(c->op.db, inv.id, line_row, &p, &st);
        if (!e) {
            portal_page_begin(&out, c, portal_tf(c, T_BILL_INVOICE_TITLE, title, sizeof title,
                                                 num, NULL));
            h_open(&out, "dl", "class", "row", NULL);
            h_elem(&out, "dt", portal_t(c, T_BILL_ISSUED), "class", "col-sm-3", NULL);
            h_elem(&out, "dd", clock_format_date(inv.issued_at, issued, sizeof issued), "class",
                   "col-sm-9", NULL);
            h_elem(&out, "dt", portal_t(c, T_BILL_PERIOD), "class", "col-sm-3", NULL);
            h_elem(&out, "dd", inv.period[0] ? inv.period : portal_t(c, T_BILL_ONEOFF), "class",
                   "col-sm-9", NULL);
            h_elem(&out, "dt", portal_t(c, T_BILL_TOTAL), "class", "col-sm-3", NULL);
            h_elem(&out, "dd", money_format_in(inv.total, inv.currency, c->lang, total, sizeof total),
                   "class", "col-sm-9", "id", "invoice-total", NULL);
            h_close(&out, "dl");
            h_open(&out, "p", NULL);
            invoice_link(&out, c, number, ".html", portal_t(c, T_BILL_DOWNLOAD_HTML),
                         "btn btn-sm btn-primary me-2");
            invoice_link(&out, c, number, ".csv", portal_t(c, T_BILL_DOWNLOAD_CSV),
                         "btn btn-sm btn-outline-primary");
            h_close(&out, "p");
            h_open(&out, "div", "class", "table-responsive", NULL);
            h_open(&out, "table", "class", "table table-sm", "id", "invoice-lines", NULL);
            static const enum portal_text_id cols[] = {T_BILL_DATE, T_BILL_OPERATION,
                                                       T_BILL_OBJECT, T_BILL_TRANSACTION,
                                                       T_BILL_AMOUNT};
            portal_thead(&out, c, cols, sizeof cols / sizeof cols[0]);
            h_open(&out, "tbody", NULL);
            sb_append(&out, rows.data, rows.len);
            h_close(&out, "tbody");
            h_close(&out, "table");
            h_close(&out, "div");
        }
        sb_free(&rows);
        if (!e) {
            invoice_free(&inv);
            portal_page_end(c, &out, 200);
            return;
        }
    }
    invoice_free(&inv);
    sb_free(&out);
    if (e)
        portal_unavailable(c, "portal-invoice-failed", &st);
}
