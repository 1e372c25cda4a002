/* The portal's start page: the registrar's numbers at a glance. */
#include <stdio.h>

#include "contrib/money.h"
#include "html.h"
#include "portal_internal.h"

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
        portal_card(&sb, portal_t(c, T_BALANCE), money_format(d.balance, currency, money, sizeof money),
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
    portal_page_end(c, &sb, 200);
}
