/* Registrant invoices in regctl (R19): `invoice list --registrants`,
 * `invoice show R<N>`, `invoice paid R<N>`, and their check in `ledger verify`. The invoice
 * group's table is in cmd_billing.c, which hands these over. */
#include <stdio.h>
#include <string.h>

#include "registry/billing.h"
#include "registry/registrant_invoice.h"
#include "regctl.h"

static void print_row(const struct registrant_invoice *inv, void *arg)
{
    (void)arg;
    char issued[REG_TIME_STRLEN], due[REG_TIME_STRLEN], f[MONEY_FMT_LEN], num[24];
    snprintf(num, sizeof num, "%s%lld", REGISTRANT_INVOICE_PREFIX, (long long)inv->number);
    printf("%-7s %-20s %-10s %-24s %-20s %-16s %12lld %16s\n", num,
           clock_format(inv->issued_at, issued, sizeof issued),
           clock_format_date(inv->due_at, due, sizeof due), inv->domain,
           inv->payer_handle ? inv->payer_handle : "-", inv->sponsor, (long long)inv->amount,
           money_format(inv->amount, inv->currency, f, sizeof f));
}

int regctl_registrant_invoice_list(struct regctl *ctl, const char *payer)
{
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    printf("%-7s %-20s %-10s %-24s %-20s %-16s %12s %16s\n", "NUMBER", "ISSUED", "DUE", "DOMAIN",
           "PAYER", "REGISTRAR", "AMOUNT", "");
    reg_status st = {0};
    if (registrant_invoice_each(d, payer, print_row, NULL, &st))
        return regctl_fail("invoice list", "%s", reg_status_text(&st));
    return 0;
}

static void print_multiline(const char *label, const char *text)
{
    if (!text || !*text)
        return;
    printf("%s:", label);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        printf(" %.*s%s", (int)n, p, nl ? " /" : "");
        p += n + (nl ? 1 : 0);
    }
    printf("\n");
}

int regctl_registrant_invoice_show(struct regctl *ctl, const char *number)
{
    int64_t n;
    if (!registrant_invoice_number_parse(number, &n))
        return regctl_fail("invoice show",
                           "\"%s\" is not a registrant invoice number like "
                           REGISTRANT_INVOICE_PREFIX "7", number);
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    struct registrant_invoice inv;
    reg_status st = {0};
    if (registrant_invoice_get(d, n, &inv, &st))
        return regctl_fail("invoice show", "%s", reg_status_text(&st));
    char a[REG_TIME_STRLEN], b[REG_TIME_STRLEN], f[MONEY_FMT_LEN];
    printf("registrant invoice %s%lld of the .%s registry\n", REGISTRANT_INVOICE_PREFIX,
           (long long)inv.number, ctl->cfg.tld_name);
    printf("domain: %s\nregistrar: %s\n", inv.domain, inv.sponsor);
    printf("renewal: %s, %d year%s, %s to %s\n", inv.operation, inv.years,
           inv.years == 1 ? "" : "s", clock_format_date(inv.period_start, a, sizeof a),
           clock_format_date(inv.period_end, b, sizeof b));
    printf("payer: %s (%s)\n", inv.payer_handle ? inv.payer_handle : "-", inv.payer_kind);
    print_multiline("name", inv.payer_name);
    print_multiline("organisation", inv.payer_org);
    print_multiline("address", inv.payer_address);
    print_multiline("email", inv.payer_email);
    printf("issued: %s\n", clock_format(inv.issued_at, a, sizeof a));
    printf("due: %s\n", clock_format_date(inv.due_at, a, sizeof a));
    printf("amount: %lld (%s)\n", (long long)inv.amount,
           money_format(inv.amount, inv.currency, f, sizeof f));
    if (inv.svtrid)
        printf("svtrid: %s\n", inv.svtrid);
    if (inv.paid_at)
        printf("paid: %s (reference %s)\n", clock_format(inv.paid_at, a, sizeof a),
               inv.payment_ref ? inv.payment_ref : "-");
    else
        printf("state: %s\n", registrant_invoice_state(&inv, clock_now()));
    registrant_invoice_free(&inv);
    return 0;
}

int regctl_registrant_invoice_paid(struct regctl *ctl, const char *number, const char *reference)
{
    int64_t n;
    if (!registrant_invoice_number_parse(number, &n))
        return regctl_fail("invoice paid",
                           "\"%s\" is not a registrant invoice number like "
                           REGISTRANT_INVOICE_PREFIX "7 (a registrar's invoice is settled by "
                           "credit add)", number);
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "invoice paid", true))
        return EXIT_FAIL;
    reg_status st = {0};
    reg_err e = registrant_invoice_paid(&s.op, n, reference, &st);
    if (!e)
        printf("invoice %s%lld recorded as paid (reference %s)\n", REGISTRANT_INVOICE_PREFIX,
               (long long)n, reference);
    return regctl_session_close(&s, "invoice paid", e, &st);
}

static void bad(const char *problem, void *arg)
{
    (void)arg;
    printf("registrant invoices: %s\n", problem);
}

int regctl_registrant_invoice_verify(db *d, int64_t *invoices)
{
    int64_t problems = 0;
    reg_status st = {0};
    if (registrant_invoice_verify(d, invoices, &problems, bad, NULL, &st))
        return regctl_fail("ledger verify", "%s", reg_status_text(&st));
    return problems ? EXIT_FAIL : 0;
}
