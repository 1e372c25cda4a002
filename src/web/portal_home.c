/* The portal's start page: the registrar's numbers at a glance. */
#include <stdio.h>

#include "contrib/money.h"
#include "html.h"
#include "portal_internal.h"

/* Registrations per month as a bar chart drawn on the server (SVG: no
 * script, no style attribute, so the CSP holds), described for screen
 * readers, with the same numbers in a table. */
static void registrations_chart(strbuf *sb, const struct portal_ctx *c,
                                const struct portal_dashboard *d)
{
    enum { W = 600, H = 200, TOP = 20, BOTTOM = 30, BAR = W / PORTAL_CHART_MONTHS };
    int64_t max = 1;
    for (int i = 0; i < PORTAL_CHART_MONTHS; i++)
        if (d->registrations[i].count > max)
            max = d->registrations[i].count;
    char text[400], num[3][24];
    h_elem(sb, "h2", portal_t(c, T_CHART_TITLE), "class", "h5", "id", "chart-title", NULL);
    snprintf(num[0], sizeof num[0], "0 0 %d %d", W, H);
    h_open(sb, "svg", "xmlns", "http://www.w3.org/2000/svg", "viewBox", num[0], "role", "img",
           "aria-labelledby", "chart-svg-title chart-svg-desc", "class", "w-100 mb-3", "id",
           "chart", NULL);
    h_elem(sb, "title", portal_t(c, T_CHART_TITLE), "id", "chart-svg-title", NULL);
    h_elem(sb, "desc",
           portal_tf(c, T_CHART_DESC, text, sizeof text, d->registrations[0].month,
                     d->registrations[PORTAL_CHART_MONTHS - 1].month, NULL),
           "id", "chart-svg-desc", NULL);
    for (int i = 0; i < PORTAL_CHART_MONTHS; i++) {
        int64_t n = d->registrations[i].count;
        int h = (int)(n * (H - TOP - BOTTOM) / max);
        char x[16], y[16], w[16], hh[16], tx[16], ty[16];
        snprintf(x, sizeof x, "%d", i * BAR + 6);
        snprintf(y, sizeof y, "%d", H - BOTTOM - h);
        snprintf(w, sizeof w, "%d", BAR - 12);
        snprintf(hh, sizeof hh, "%d", h);
        snprintf(num[1], sizeof num[1], "%lld", (long long)n);
        snprintf(tx, sizeof tx, "%d", i * BAR + BAR / 2);
        h_void(sb, "rect", "x", x, "y", y, "width", w, "height", hh, "fill", "#0d6efd", NULL);
        snprintf(ty, sizeof ty, "%d", H - BOTTOM - h - 4);
        h_elem(sb, "text", num[1], "x", tx, "y", ty, "text-anchor", "middle", "font-size", "12",
               "aria-hidden", "true", NULL);
        snprintf(ty, sizeof ty, "%d", H - 10);
        /* "MM" under each bar; the table has the whole month */
        h_elem(sb, "text", d->registrations[i].month + 5, "x", tx, "y", ty, "text-anchor",
               "middle", "font-size", "12", "aria-hidden", "true", NULL);
    }
    h_close(sb, "svg");
    h_open(sb, "table", "class", "table table-sm w-auto", "id", "registrations", NULL);
    h_elem(sb, "caption", portal_t(c, T_CHART_TITLE), NULL);
    h_open(sb, "thead", NULL);
    h_open(sb, "tr", NULL);
    h_elem(sb, "th", portal_t(c, T_CHART_MONTH), "scope", "col", NULL);
    h_elem(sb, "th", portal_t(c, T_NUMBER), "scope", "col", "class", "text-end", NULL);
    h_close(sb, "tr");
    h_close(sb, "thead");
    h_open(sb, "tbody", NULL);
    for (int i = 0; i < PORTAL_CHART_MONTHS; i++) {
        snprintf(num[2], sizeof num[2], "%lld", (long long)d->registrations[i].count);
        h_open(sb, "tr", NULL);
        h_elem(sb, "td", d->registrations[i].month, NULL);
        h_elem(sb, "td", num[2], "class", "text-end", NULL);
        h_close(sb, "tr");
    }
    h_close(sb, "tbody");
    h_close(sb, "table");
}

void portal_dashboard(struct portal_ctx *c)
{
    if (!portal_require(c, 0))
        return;
    struct portal_dashboard d;
    reg_status st = {0};
    if (portal_dashboard_get(&c->op, c->s.registrar_id, &d, &st)) {
        portal_unavailable(c, "portal-dashboard-failed", &st);
        return;
    }
    char num[64], money[64];
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, c->s.registrar_name[0] ? c->s.registrar_name : portal_t(c, T_OVERVIEW));
    h_open(&sb, "div", "class", "row g-3 mb-4", NULL);
    snprintf(num, sizeof num, "%lld", (long long)d.domains);
    portal_card(&sb, portal_t(c, T_DOMAINS), num, "domains");
    snprintf(num, sizeof num, "%lld", (long long)d.expiring);
    portal_card(&sb, portal_t(c, T_EXPIRING), num, "expiring");
    snprintf(num, sizeof num, "%lld", (long long)d.poll_messages);
    portal_card(&sb, portal_t(c, T_POLL), num, "poll");
    /* money is for those who pay and administer */
    if (c->s.roles & (PORTAL_PAYER | PORTAL_ADMINISTRATOR)) {
        const char *currency = c->op.policy->currency ? c->op.policy->currency : "DKK";
        portal_card(&sb, portal_t(c, T_BALANCE), money_format_in(d.balance, currency, c->lang, money, sizeof money),
             "balance");
    }
    h_close(&sb, "div");
    h_elem(&sb, "h2", portal_t(c, T_BY_STATUS), "class", "h5", NULL);
    if (!d.nstatus) {
        h_elem(&sb, "p", portal_t(c, T_NO_DOMAINS), "class", "text-muted", NULL);
    } else {
        h_open(&sb, "table", "class", "table table-sm w-auto", "id", "by-status", NULL);
        h_open(&sb, "thead", NULL);
        h_open(&sb, "tr", NULL);
        h_elem(&sb, "th", portal_t(c, T_STATUS), "scope", "col", NULL);
        h_elem(&sb, "th", portal_t(c, T_NUMBER), "scope", "col", "class", "text-end", NULL);
        h_close(&sb, "tr");
        h_close(&sb, "thead");
        h_open(&sb, "tbody", NULL);
        for (size_t i = 0; i < d.nstatus; i++) {
            h_open(&sb, "tr", NULL);
            h_elem(&sb, "td", d.by_status[i].status, NULL);
            snprintf(num, sizeof num, "%lld", (long long)d.by_status[i].count);
            h_elem(&sb, "td", num, "class", "text-end", NULL);
            h_close(&sb, "tr");
        }
        h_close(&sb, "tbody");
        h_close(&sb, "table");
    }
    registrations_chart(&sb, c, &d);
    portal_page_end(c, &sb, 200);
}
