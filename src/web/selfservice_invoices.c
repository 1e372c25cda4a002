/* The self-service site's invoices (R19): the registry's invoices to the
 * registrant for the renewals of registrant-managed domains, as a list,
 * one at a time and as files (billing_export.h), and the renewal row of a
 * registrant-managed domain's page. Another's invoice is not found. */
#include <stdio.h>
#include <string.h>

#include "billing_export.h"
#include "contrib/clock.h"
#include "contrib/money.h"
#include "html.h"
#include "registry/registrant_invoice.h"
#include "selfservice_internal.h"
#include "site.h"

#define P SELFSERVICE_PREFIX
/* columns left out on a phone, so the rest fit (the invoice's page has them) */
#define NARROW_HIDDEN "d-none d-sm-table-cell"

static const char *state_text(const struct ss_ctx *c, const struct registrant_invoice *inv)
{
    const char *state = registrant_invoice_state(inv, c->op.now);
    return ss_t(c, !strcmp(state, "paid")      ? S_INVOICE_PAID
                   : !strcmp(state, "overdue") ? S_INVOICE_OVERDUE
                                               : S_INVOICE_OPEN);
}

/* The address of invoice inv's page (ext "") or file (".html", ".csv"). */
static const char *invoice_href(const struct ss_ctx *c, const struct registrant_invoice *inv,
                                const char *ext, char *out, size_t n)
{
    char path[96];
    snprintf(path, sizeof path, P "/invoices/%s%lld%s", REGISTRANT_INVOICE_PREFIX,
             (long long)inv->number, ext);
    return ss_url(c, path, out, n);
}

static void domain_link(strbuf *sb, const struct ss_ctx *c, const char *name)
{
    char path[300], href[600];
    snprintf(path, sizeof path, P "/domains/%s", name);
    h_elem(sb, "a", name, "href", ss_url(c, path, href, sizeof href), NULL);
}

/* ---- the list ------------------------------------------------------------------------------ */

static void invoice_row(const struct registrant_invoice *inv, void *arg)
{
    struct ss_listing *x = arg;
    strbuf *sb = x->sb;
    if (!x->n++) {
        static const enum ss_text_id heads[] = {S_INVOICE, S_DOMAIN, S_ISSUED,
                                                S_DUE,     S_AMOUNT, S_INVOICE_STATE};
        h_open(sb, "div", "class", "table-responsive", NULL);
        h_open(sb, "table", "class", "table", "id", "invoices", NULL);
        h_open(sb, "thead", NULL);
        h_open(sb, "tr", NULL);
        for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
            if (heads[i] == S_ISSUED || heads[i] == S_DUE)
                h_elem(sb, "th", ss_t(x->c, heads[i]), "scope", "col", "class", NARROW_HIDDEN,
                       NULL);
            else
                h_elem(sb, "th", ss_t(x->c, heads[i]), "scope", "col", NULL);
        h_close(sb, "tr");
        h_close(sb, "thead");
        h_open(sb, "tbody", NULL);
    }
    char num[32], row_id[40], money[MONEY_FMT_LEN];
    snprintf(num, sizeof num, "%s%lld", REGISTRANT_INVOICE_PREFIX, (long long)inv->number);
    snprintf(row_id, sizeof row_id, "invoice-%s", num);
    h_open(sb, "tr", "id", row_id, NULL);
    h_open(sb, "td", NULL);
    char href[400];
    h_elem(sb, "a", num, "href", invoice_href(x->c, inv, "", href, sizeof href), NULL);
    h_close(sb, "td");
    h_elem(sb, "td", inv->domain, NULL);
    h_open(sb, "td", "class", NARROW_HIDDEN, NULL);
    ss_time(sb, inv->issued_at, true);
    h_close(sb, "td");
    h_open(sb, "td", "class", NARROW_HIDDEN, NULL);
    ss_time(sb, inv->due_at, true);
    h_close(sb, "td");
    h_elem(sb, "td", money_format_in(inv->amount, inv->currency, x->c->lang, money, sizeof money), "class",
           "text-nowrap", NULL);
    h_elem(sb, "td", state_text(x->c, inv), "data-state",
           registrant_invoice_state(inv, x->c->op.now), NULL);
    h_close(sb, "tr");
}

void ss_invoices(struct ss_ctx *c)
{
    if (!ss_require(c))
        return;
    strbuf sb;
    sb_init(&sb);
    ss_page_begin(&sb, c, ss_t(c, S_INVOICES));
    h_elem(&sb, "p", ss_t(c, S_INVOICES_INTRO), NULL);
    struct ss_listing x = {.sb = &sb, .c = c};
    reg_status st = {0};
    if (registrant_invoice_each_held(c->op.db, c->s.contact_id, invoice_row, &x, &st)) {
        sb_free(&sb);
        ss_unavailable(c, "selfservice-invoices-failed", &st);
        return;
    }
    if (x.n) {
        h_close(&sb, "tbody");
        h_close(&sb, "table");
        h_close(&sb, "div");
        h_elem(&sb, "p", ss_t(c, S_INVOICES_PAYMENT), "class", "text-body-secondary small", NULL);
    } else {
        h_elem(&sb, "p", ss_t(c, S_NO_INVOICES), "id", "no-invoices", NULL);
    }
    ss_page_end(c, &sb, 200);
}

/* ---- one invoice --------------------------------------------------------------------------- */

static void row(strbuf *sb, const char *label, const char *id)
{
    h_elem(sb, "dt", label, "class", "col-sm-3", NULL);
    h_open(sb, "dd", "class", "col-sm-9", "id", id, NULL);
}

static void invoice_page(struct ss_ctx *c, const struct registrant_invoice *inv)
{
    char title[64], money[MONEY_FMT_LEN], from[REG_TIME_STRLEN], to[REG_TIME_STRLEN];
    snprintf(title, sizeof title, "%s %s%lld", ss_t(c, S_INVOICE), REGISTRANT_INVOICE_PREFIX,
             (long long)inv->number);
    strbuf sb;
    sb_init(&sb);
    ss_page_begin(&sb, c, title);
    h_open(&sb, "dl", "class", "row", "id", "invoice", NULL);
    row(&sb, ss_t(c, S_DOMAIN), "invoice-domain");
    domain_link(&sb, c, inv->domain);
    h_close(&sb, "dd");
    row(&sb, ss_t(c, S_RENEWAL), "invoice-period");
    h_textf(&sb, "%s \xe2\x80\x93 %s (%d %s)", clock_format_date(inv->period_start, from, sizeof from),
            clock_format_date(inv->period_end, to, sizeof to), inv->years, ss_t(c, S_YEARS));
    h_close(&sb, "dd");
    row(&sb, ss_t(c, S_ISSUED), "invoice-issued");
    ss_time(&sb, inv->issued_at, true);
    h_close(&sb, "dd");
    row(&sb, ss_t(c, S_DUE), "invoice-due");
    ss_time(&sb, inv->due_at, true);
    h_close(&sb, "dd");
    row(&sb, ss_t(c, S_AMOUNT), "invoice-amount");
    h_text(&sb, money_format_in(inv->amount, inv->currency, c->lang, money, sizeof money));
    h_close(&sb, "dd");
    row(&sb, ss_t(c, S_INVOICE_STATE), "invoice-state");
    h_text(&sb, state_text(c, inv));
    if (inv->paid_at) {
        h_text(&sb, " ");
        ss_time(&sb, inv->paid_at, true);
    }
    h_close(&sb, "dd");
    row(&sb, ss_t(c, S_BILLED_TO), "invoice-payer");
    const char *parts[] = {inv->payer_name, inv->payer_org, inv->payer_handle};
    const char *sep = "";
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i] && *parts[i]) {
            h_textf(&sb, "%s%s", sep, parts[i]);
            sep = ", ";
        }
    h_close(&sb, "dd");
    h_close(&sb, "dl");
    h_open(&sb, "p", "class", "d-flex flex-wrap gap-2", NULL);
    char href[400];
    h_elem(&sb, "a", ss_t(c, S_DOWNLOAD_HTML), "href",
           invoice_href(c, inv, ".html", href, sizeof href), "class", "btn btn-sm btn-primary",
           "id", "download-html", NULL);
    h_elem(&sb, "a", ss_t(c, S_DOWNLOAD_CSV), "href",
           invoice_href(c, inv, ".csv", href, sizeof href), "class",
           "btn btn-sm btn-outline-primary", "id", "download-csv", NULL);
    h_close(&sb, "p");
    h_elem(&sb, "p", ss_t(c, S_INVOICES_PAYMENT), "class", "text-body-secondary small", NULL);
    ss_page_end(c, &sb, 200);
}

/* /invoices/R7: the page; R7.html and R7.csv: the files. */
void ss_invoice(struct ss_ctx *c)
{
    if (!ss_require(c))
        return;
    char number_s[32];
    const char *dot = strchr(c->arg, '.'), *ext = dot ? dot : "";
    snprintf(number_s, sizeof number_s, "%.*s", (int)(dot ? dot - c->arg : (long)strlen(c->arg)),
             c->arg);
    int64_t number;
    if (!registrant_invoice_number_parse(number_s, &number) ||
        (*ext && strcmp(ext, ".html") && strcmp(ext, ".csv"))) {
        ss_send_message(c, 404, S_NOT_FOUND_TITLE, S_INVOICE_NOT_FOUND);
        return;
    }
    struct registrant_invoice inv;
    reg_status st = {0};
    reg_err e = registrant_invoice_get_held(c->op.db, c->s.contact_id, number, &inv, &st);
    if (e == REG_ERR_NOT_FOUND) {
        ss_send_message(c, 404, S_NOT_FOUND_TITLE, S_INVOICE_NOT_FOUND);
        return;
    }
    if (e) {
        ss_unavailable(c, "selfservice-invoice-failed", &st);
        return;
    }
    if (!*ext) {
        invoice_page(c, &inv);
        registrant_invoice_free(&inv);
        return;
    }
    strbuf out;
    sb_init(&out);
    bool csv = !strcmp(ext, ".csv");
    e = csv ? web_registrant_invoice_csv(&inv, &out, &st)
            : web_registrant_invoice_html(&inv, c->w->cfg->tld_name, &out, &st);
    char name[64];
    snprintf(name, sizeof name, "invoice-%s%lld%s", REGISTRANT_INVOICE_PREFIX,
             (long long)number, ext);
    registrant_invoice_free(&inv);
    if (e) {
        sb_free(&out);
        ss_unavailable(c, "selfservice-invoice-failed", &st);
        return;
    }
    site_send_file(c->w, csv ? "text/csv; charset=utf-8" : "text/html; charset=utf-8", name,
                   &out);
    sb_free(&out);
}

/* ---- the domain page's renewal row --------------------------------------------------------- */

void ss_domain_renewal_row(strbuf *sb, struct ss_ctx *c, const struct selfservice_domain *d)
{
    if (strcmp(d->management, "registrant"))
        return;
    /* the registrant cannot renew: renewal is the registrar's EPP renew or
     * the registry's autorenew at expiry, both invoiced to the registrant */
    row(sb, ss_t(c, S_RENEWAL), "domain-renewal");
    reg_time at;
    if (registrant_invoice_next(c->op.policy, d->management, d->expires, &at)) {
        h_textf(sb, "%s ", ss_t(c, S_RENEWAL_AUTO));
        h_open(sb, "span", "id", "domain-next-invoice", NULL);
        ss_time(sb, at, true);
        h_close(sb, "span");
    } else {
        h_text(sb, ss_t(c, S_RENEWAL_MANUAL));
    }
    h_text(sb, " ");
    char href[300];
    h_elem(sb, "a", ss_t(c, S_INVOICES), "href", ss_url(c, P "/invoices", href, sizeof href), "id",
           "domain-invoices", NULL);
    h_close(sb, "dd");
}
