/* regctl price, credit, balance, statement, ledger, fee, invoice and
 * `registrar billing`: the prepaid accounts of registrars (R17, R23, R24).
 *
 * Amounts on the command line are minor units ("12345"), or major units
 * when written with a decimal point ("123.45"); they are printed both ways:
 * 12345 (123.45 DKK). Every change runs as staff through regctl (reg_op
 * actor "staff", channel "regctl") in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/billing.h"
#include "registry/invoice.h"
#include "registry/registrant_invoice.h"
#include "registry/registrar.h"
#include "regctl.h"
#include "web/billing_export.h"

static int cmd_price_set(struct regctl *ctl, int argc, char **argv);
static int cmd_price_list(struct regctl *ctl, int argc, char **argv);
static int cmd_price_check(struct regctl *ctl, int argc, char **argv);
static int cmd_credit_add(struct regctl *ctl, int argc, char **argv);
static int cmd_credit_adjust(struct regctl *ctl, int argc, char **argv);
static int cmd_credit_refund(struct regctl *ctl, int argc, char **argv);
static int cmd_balance(struct regctl *ctl, int argc, char **argv);
static int cmd_statement(struct regctl *ctl, int argc, char **argv);
static int cmd_ledger_verify(struct regctl *ctl, int argc, char **argv);
static int cmd_fee_charge(struct regctl *ctl, int argc, char **argv);
static int cmd_invoice_run(struct regctl *ctl, int argc, char **argv);
static int cmd_invoice_list(struct regctl *ctl, int argc, char **argv);
static int cmd_invoice_show(struct regctl *ctl, int argc, char **argv);
static int cmd_invoice_paid(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_price_cmds[] = {
    {"set", cmd_price_set,
     "price set OPERATION AMOUNT [--years N] [--registrar HANDLE] [--from TIME]",
     "set the price of create, renew, autorenew, transfer or restore; --years 0 (default) is a "
     "price per year, N a price for exactly N years; --registrar makes it that registrar's "
     "override; valid from TIME (default now)"},
    {"list", cmd_price_list, "price list [--registrar HANDLE]",
     "list the price rows (* = applies now); with --registrar also its overrides, rebate and "
     "the resulting one-year prices"},
    {"check", cmd_price_check, "price check",
     "list the billable operations and periods that have no price now (they are refused "
     "unless [billing] allow_unpriced); exit status 1 when there are any"},
    {NULL, NULL, NULL, NULL},
};

const struct regctl_cmd regctl_credit_cmds[] = {
    {"add", cmd_credit_add, "credit add REGISTRAR AMOUNT --text TEXT",
     "credit a payment to a registrar's prepaid account; AMOUNT is in the currency's major "
     "unit with exactly two decimals (1000.00 is a thousand, 0.50 half of one); a bare 1000 is "
     "refused"},
    {"adjust", cmd_credit_adjust, "credit adjust REGISTRAR AMOUNT --text TEXT",
     "post a signed correction (e.g. -500); it appears on the monthly invoice"},
    {"refund", cmd_credit_refund, "credit refund REGISTRAR AMOUNT --text TEXT [--object DOMAIN]",
     "give back money for an operation (AMOUNT > 0); it appears on the monthly invoice"},
    {NULL, NULL, NULL, NULL},
};

const struct regctl_cmd regctl_balance_cmds[] = {
    {"", cmd_balance, "balance [REGISTRAR]",
     "prepaid balance, credit limit and what is available, of one registrar or all"},
    {NULL, NULL, NULL, NULL},
};

const struct regctl_cmd regctl_statement_cmds[] = {
    {"", cmd_statement, "statement REGISTRAR [--from TIME] [--to TIME] [--csv]",
     "ledger entries with from <= time < to (a plain date as --to includes that day), with "
     "opening balance, running balance and closing balance; --csv for a spreadsheet"},
    {NULL, NULL, NULL, NULL},
};

const struct regctl_cmd regctl_ledger_cmds[] = {
    {"verify", cmd_ledger_verify, "ledger verify",
     "recompute every registrar's balance from its entries and check the invoices against the "
     "ledger; exits non-zero on any mismatch"},
    {NULL, NULL, NULL, NULL},
};

const struct regctl_cmd regctl_fee_cmds[] = {
    {"charge", cmd_fee_charge, "fee charge REGISTRAR AMOUNT --text TEXT [--object NAME]",
     "charge a one-off fee (e.g. the manual route's handling fee) and issue its own invoice at "
     "once"},
    {NULL, NULL, NULL, NULL},
};

const struct regctl_cmd regctl_invoice_cmds[] = {
    {"run", cmd_invoice_run, "invoice run --month YYYY-MM",
     "issue each registrar's invoice for a finished month (idempotent: run it again safely)"},
    {"list", cmd_invoice_list, "invoice list [--registrar HANDLE | --registrants]",
     "list issued invoices: registrars' (default) or registrants'"},
    {"show", cmd_invoice_show, "invoice show NUMBER [--csv | --html]",
     "show an invoice, or export it as CSV or as a printable HTML page; R<N> is a "
     "registrant invoice (text only)"},
    {"paid", cmd_invoice_paid, "invoice paid R<N> --reference TEXT",
     "record that the registrant paid registrant invoice R<N> (the payment's reference, e.g. "
     "the bank's); it shows as paid on the self-service site and in invoice show"},
    {NULL, NULL, NULL, NULL},
};

/* ---- argument parsing ------------------------------------------------------------ */

/* Long options only, "--name VALUE" or "--name=VALUE"; anything else is a
 * positional argument, so negative amounts ("-500") need no escaping. */
struct opt {
    const char *name;
    const char **value; /* NULL: a flag */
    bool *flag;
};

static int parse_args(const struct regctl_cmd *me, int argc, char **argv, const struct opt *opts,
                      const char **pos, int minpos, int maxpos)
{
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || (a[1] >= '0' && a[1] <= '9') || a[1] == '.') {
            if (npos == maxpos)
                return regctl_usage_error(me, "unexpected argument \"%s\"", a);
            pos[npos++] = a;
            continue;
        }
        if (a[1] != '-')
            return regctl_usage_error(me, "unknown option \"%s\"", a);
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const struct opt *o = NULL;
        for (const struct opt *p = opts; p && p->name; p++)
            if (strlen(p->name) == len && !strncmp(p->name, name, len))
                o = p;
        if (!o)
            return regctl_usage_error(me, "unknown option \"%s\"", a);
        if (!o->value) {
            if (eq)
                return regctl_usage_error(me, "--%s takes no value", o->name);
            *o->flag = true;
        } else if (eq) {
            *o->value = eq + 1;
        } else if (i + 1 < argc) {
            *o->value = argv[++i];
        } else {
            return regctl_usage_error(me, "--%s needs a value", o->name);
        }
    }
    if (npos < minpos)
        return regctl_usage_error(me, "missing argument");
    for (int i = npos; i < maxpos; i++)
        pos[i] = NULL;
    return 0;
}

/* ---- helpers ---------------------------------------------------------------------- */

/* "12345 (123.45 DKK)" */
static const char *money(const char *currency, int64_t amount, char *buf, size_t n)
{
    char f[MONEY_FMT_LEN];
    snprintf(buf, n, "%lld (%s)", (long long)amount, money_format(amount, currency, f, sizeof f));
    return buf;
}
#define MONEY_LEN (MONEY_FMT_LEN + 32)

static int bad_amount(const struct regctl_cmd *me, const char *what, const char *s, reg_err e)
{
    if (e == REG_ERR_RANGE)
        return regctl_usage_error(me, s[0] == '-' ? "%s \"%s\" must be positive"
                                                  : "%s \"%s\" is out of range",
                                  what, s);
    return regctl_usage_error(me, "%s \"%s\" is not an amount like 12345 (minor units) or 123.45",
                              what, s);
}

/* Registrar `handle`: its id, and in norm (optional) its handle as stored. */
static reg_err registrar_find(db *d, const char *handle, int64_t *id, char *norm, reg_status *st)
{
    struct registrar r;
    reg_err e = registrar_get(d, handle, &r, st);
    if (e)
        return e;
    *id = r.id;
    if (norm)
        snprintf(norm, REGISTRAR_HANDLE_MAX + 1, "%s", r.handle);
    registrar_free(&r);
    return REG_OK;
}

static int parse_time(const struct regctl_cmd *me, const char *opt, const char *s, reg_time *t)
{
    if (clock_parse(s, t))
        return regctl_usage_error(me, "%s \"%s\" is not a time like 2027-01-01T00:00:00Z or a "
                                      "date like 2027-01-01",
                                  opt, s);
    return 0;
}

/* ---- price ------------------------------------------------------------------------ */

static int cmd_price_set(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_price_cmds[0];
    const char *years_s = NULL, *registrar = NULL, *from_s = NULL, *pos[2];
    const struct opt opts[] = {{"years", &years_s, NULL}, {"registrar", &registrar, NULL},
                               {"from", &from_s, NULL}, {NULL, NULL, NULL}};
    int rc = parse_args(me, argc, argv, opts, pos, 2, 2);
    if (rc)
        return rc;
    if (!billing_operation_valid(pos[0]))
        return regctl_usage_error(me, "OPERATION is create, renew, autorenew, transfer or restore");
    int64_t amount;
    reg_err pe = money_parse(pos[1], false, &amount);
    if (pe)
        return bad_amount(me, "AMOUNT", pos[1], pe);
    int years = 0;
    if (years_s) {
        char *end;
        long y = strtol(years_s, &end, 10);
        if (*end || !*years_s || y < 0 || y > BILLING_YEARS_MAX)
            return regctl_usage_error(me, "--years is 0 (per year) or 1..%d", BILLING_YEARS_MAX);
        years = (int)y;
    }
    reg_time from = 0;
    if (from_s && (rc = parse_time(me, "--from", from_s, &from)))
        return rc;
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "price set", true))
        return EXIT_FAIL;
    if (!from_s)
        from = s.op.now;
    char handle[REGISTRAR_HANDLE_MAX + 1] = "";
    int64_t rid = 0;
    reg_status st = {0};
    reg_err e = registrar ? registrar_find(s.db, registrar, &rid, handle, &st) : REG_OK;
    if (!e)
        e = billing_price_set(&s.op, pos[0], years, amount, rid, from, &st);
    if ((rc = regctl_session_close(&s, "price set", e, &st)))
        return rc;
    char m[MONEY_LEN], ts[REG_TIME_STRLEN], per[32];
    if (years)
        snprintf(per, sizeof per, "for %d year%s", years, years == 1 ? "" : "s");
    else
        snprintf(per, sizeof per, "per year");
    printf("price of %s %s set to %s from %s for %s\n", pos[0], per,
           money(ctl->cfg.billing_currency, amount, m, sizeof m),
           clock_format(from, ts, sizeof ts), rid ? handle : "every registrar (default)");
    return 0;
}

static void print_price(const struct price_row *r, void *currency)
{
    char ts[REG_TIME_STRLEN], f[MONEY_FMT_LEN], years[16];
    if (r->years)
        snprintf(years, sizeof years, "%d", r->years);
    else
        snprintf(years, sizeof years, "per-year");
    printf("%-9s %-9s %-16s %-20s %14lld %18s %s\n", r->operation, years,
           r->registrar ? r->registrar : "(default)", clock_format(r->valid_from, ts, sizeof ts),
           (long long)r->amount, money_format(r->amount, currency, f, sizeof f),
           r->current ? "*" : "");
}

/* A registrar's rebate now and its one-year prices with the rebate. */
static reg_err print_registrar_prices(const struct reg_op *op, int64_t rid, const char *handle,
                                      const char *currency, reg_status *st)
{
    int bp = 0;
    reg_err e = billing_rebate_at(op->db, rid, op->now, &bp, st);
    if (e)
        return e;
    printf("\n%s now (rebate %d.%02d%%), one year:\n", handle, bp / 100, bp % 100);
    static const char *const ops[] = {"create", "renew", "autorenew", "transfer", "restore"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        int64_t p;
        char m[MONEY_LEN];
        e = billing_price(op, rid, ops[i], 1, &p, st);
        if (e && e != REG_ERR_CONFIG)
            return e;
        printf("  %-9s %s\n", ops[i], e ? "no price" : money(currency, p, m, sizeof m));
        *st = (reg_status){0};
    }
    return REG_OK;
}

static int cmd_price_list(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_price_cmds[1];
    const char *registrar = NULL;
    const struct opt opts[] = {{"registrar", &registrar, NULL}, {NULL, NULL, NULL}};
    int rc = parse_args(me, argc, argv, opts, NULL, 0, 0);
    if (rc)
        return rc;
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "price list", false))
        return EXIT_FAIL;
    const char *currency = ctl->cfg.billing_currency;
    char handle[REGISTRAR_HANDLE_MAX + 1] = "";
    int64_t rid = 0;
    reg_status st = {0};
    reg_err e = registrar ? registrar_find(s.db, registrar, &rid, handle, &st) : REG_OK;
    if (!e) {
        printf("%-9s %-9s %-16s %-20s %14s %18s %s\n", "OPERATION", "YEARS", "REGISTRAR",
               "VALID FROM", "MINOR UNITS", "AMOUNT", "NOW");
        e = billing_price_each(s.db, rid, s.op.now, print_price, (void *)currency, &st);
    }
    if (!e && rid)
        e = print_registrar_prices(&s.op, rid, handle, currency, &st);
    return regctl_session_close(&s, "price list", e, &st);
}

static void print_unpriced(const char *operation, int years, void *arg)
{
    (void)arg;
    printf("%-9s %d year%s: no price\n", operation, years, years == 1 ? "" : "s");
}

static int cmd_price_check(struct regctl *ctl, int argc, char **argv)
{
    int rc = parse_args(&regctl_price_cmds[2], argc, argv, NULL, NULL, 0, 0);
    if (rc)
        return rc;
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "price check", false))
        return EXIT_FAIL;
    reg_status st = {0};
    int missing = 0;
    reg_err e = billing_unpriced_each(&s.op, print_unpriced, NULL, &missing, &st);
    if ((rc = regctl_session_close(&s, "price check", e, &st)))
        return rc;
    if (!missing) {
        printf("every billable operation and period has a price\n");
        return 0;
    }
    printf("%d without a price: %s\n", missing,
           ctl->cfg.billing_allow_unpriced ? "free ([billing] allow_unpriced = true)"
                                           : "refused (2400) until a price is set");
    return EXIT_FAIL;
}

/* ---- credit ----------------------------------------------------------------------- */

/* The arguments of credit add|adjust|refund and fee charge: REGISTRAR
 * AMOUNT --text TEXT [--object NAME]; amount is never 0, negative only
 * when signed_ok; --object only when object_ok. */
struct charge_args {
    const char *registrar, *text, *object;
    int64_t amount;
};

/* A payment's amount has one form only, major units with two decimals:
 * "1000" once meant 10.00 and was read as a thousand. */
static bool two_decimals(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot && dot > s && strlen(dot) == 3;
}

static int parse_charge(const struct regctl_cmd *me, int argc, char **argv, bool signed_ok,
                        bool object_ok, const char *text_is, struct charge_args *a)
{
    const char *pos[2];
    memset(a, 0, sizeof *a);
    const struct opt opts[] = {{"text", &a->text, NULL}, {"object", &a->object, NULL},
                               {NULL, NULL, NULL}};
    int rc = parse_args(me, argc, argv, opts, pos, 2, 2);
    if (!rc && a->object && !object_ok)
        rc = regctl_usage_error(me, "unknown option \"--object\"");
    if (rc)
        return rc;
    a->registrar = pos[0];
    if (me->run == cmd_credit_add && !two_decimals(pos[1]))
        return regctl_usage_error(me, "AMOUNT \"%s\" must have two decimals, as 1000.00 is a "
                                      "thousand",
                                  pos[1]);
    reg_err pe = money_parse(pos[1], signed_ok, &a->amount);
    if (pe)
        return bad_amount(me, "AMOUNT", pos[1], pe);
    if (a->amount == 0)
        return regctl_usage_error(me, "AMOUNT must not be 0");
    if (!a->text || !*a->text)
        return regctl_usage_error(me, "--text is required (%s)", text_is);
    return 0;
}

static int post(struct regctl *ctl, const struct regctl_cmd *me, const char *what,
                const char *kind, int argc, char **argv)
{
    struct charge_args a;
    int rc = parse_charge(me, argc, argv, !strcmp(kind, "adjustment"), !strcmp(kind, "refund"),
                          "what this entry is, for the statement", &a);
    if (rc)
        return rc;
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, what, true))
        return EXIT_FAIL;
    char handle[REGISTRAR_HANDLE_MAX + 1];
    int64_t rid = 0, after = 0;
    reg_status st = {0};
    reg_err e = registrar_find(s.db, a.registrar, &rid, handle, &st);
    if (!e) {
        struct ledger_entry le = {.registrar_id = rid, .amount = a.amount, .kind = kind,
                                  .object_kind = a.object ? "domain" : NULL,
                                  .object_name = a.object, .text = a.text};
        e = billing_post(&s.op, &le, &after, &st);
    }
    if ((rc = regctl_session_close(&s, what, e, &st)))
        return rc;
    const char *currency = ctl->cfg.billing_currency;
    char m[MONEY_LEN], b[MONEY_LEN];
    printf("%s of %s posted to %s; balance %s\n", kind, money(currency, a.amount, m, sizeof m),
           handle, money(currency, after, b, sizeof b));
    return 0;
}

static int cmd_credit_add(struct regctl *ctl, int argc, char **argv)
{
    return post(ctl, &regctl_credit_cmds[0], "credit add", "credit", argc, argv);
}

static int cmd_credit_adjust(struct regctl *ctl, int argc, char **argv)
{
    return post(ctl, &regctl_credit_cmds[1], "credit adjust", "adjustment", argc, argv);
}

static int cmd_credit_refund(struct regctl *ctl, int argc, char **argv)
{
    return post(ctl, &regctl_credit_cmds[2], "credit refund", "refund", argc, argv);
}

/* ---- balance ---------------------------------------------------------------------- */

/* The registrars to show, by id and handle (so no second lookup). */
struct balance_who {
    int64_t id;
    char handle[REGISTRAR_HANDLE_MAX + 1];
};

struct balance_walk {
    struct balance_who *who;
    size_t n, cap;
    bool oom;
};

static void collect(const struct registrar *r, void *arg)
{
    struct balance_walk *w = arg;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        struct balance_who *grown = realloc(w->who, cap * sizeof *grown);
        if (!grown) {
            w->oom = true;
            return;
        }
        w->who = grown;
        w->cap = cap;
    }
    w->who[w->n].id = r->id;
    snprintf(w->who[w->n].handle, sizeof w->who[w->n].handle, "%s", r->handle);
    w->n++;
}

static reg_err print_balance(const struct regctl_session *s, const char *currency,
                             const struct balance_who *who, reg_status *st)
{
    struct billing_account a;
    reg_err e = billing_account_get(s->db, who->id, s->op.now, &a, st);
    if (e)
        return e;
    char b[MONEY_FMT_LEN], av[MONEY_FMT_LEN], low[32] = "-";
    if (a.has_low_balance)
        snprintf(low, sizeof low, "%lld", (long long)a.low_balance);
    printf("%-16s %14lld %18s %14lld %14lld %18s  %s%s\n", who->handle, (long long)a.balance,
           money_format(a.balance, currency, b, sizeof b), (long long)a.credit_limit,
           (long long)(a.balance + a.credit_limit),
           money_format(a.balance + a.credit_limit, currency, av, sizeof av), low,
           a.low_balance_warned ? " (warned)" : "");
    return REG_OK;
}

static int cmd_balance(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_balance_cmds[0];
    const char *pos[1];
    int rc = parse_args(me, argc, argv, NULL, pos, 0, 1);
    if (rc)
        return rc;
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "balance", false))
        return EXIT_FAIL;
    struct balance_walk w = {0};
    reg_status st = {0};
    reg_err e;
    if (pos[0]) {
        struct registrar one = {0};
        e = registrar_find(s.db, pos[0], &one.id, one.handle, &st);
        if (!e)
            collect(&one, &w);
    } else {
        e = registrar_each(s.db, collect, &w, &st);
    }
    if (!e && w.oom)
        e = reg_fail(&st, REG_ERR_NOMEM, "out of memory");
    if (!e)
        printf("%-16s %14s %18s %14s %14s %18s  %s\n", "REGISTRAR", "BALANCE", "", "CREDIT LIMIT",
               "AVAILABLE", "", "WARN BELOW");
    for (size_t i = 0; i < w.n && !e; i++)
        e = print_balance(&s, ctl->cfg.billing_currency, &w.who[i], &st);
    free(w.who);
    return regctl_session_close(&s, "balance", e, &st);
}

/* ---- statement -------------------------------------------------------------------- */

static void statement_row(const struct ledger_row *r, void *arg)
{
    (void)arg;
    char ts[REG_TIME_STRLEN], a[MONEY_FMT_LEN], b[MONEY_FMT_LEN], inv[24] = "-";
    clock_format(r->at, ts, sizeof ts);
    if (r->invoice_number)
        snprintf(inv, sizeof inv, "%lld", (long long)r->invoice_number);
    printf("%-7lld %-20s %-10s %-9s %-24s %12lld %14s %12lld %14s %-7s %s\n", (long long)r->id, ts,
           r->kind, r->operation ? r->operation : "-", r->object_name ? r->object_name : "-",
           (long long)r->amount, money_format(r->amount, NULL, a, sizeof a),
           (long long)r->balance, money_format(r->balance, NULL, b, sizeof b), inv, r->text);
}

/* The text statement: the opening balance first (the header shows it),
 * then the rows and the closing balance. */
static reg_err print_statement(db *d, int64_t rid, const char *handle, reg_time from,
                               reg_time to, const char *currency, reg_status *st)
{
    int64_t opening = 0, closing = 0;
    reg_err e = billing_statement(d, rid, from, to, &opening, &closing, NULL, NULL, st);
    if (e)
        return e;
    char f[REG_TIME_STRLEN], t[REG_TIME_STRLEN], m[MONEY_LEN];
    printf("statement of %s from %s to %s (amounts in %s)\n", handle,
           clock_format(from, f, sizeof f), clock_format(to, t, sizeof t), currency);
    printf("opening balance %s\n", money(currency, opening, m, sizeof m));
    printf("%-7s %-20s %-10s %-9s %-24s %12s %14s %12s %14s %-7s %s\n", "ENTRY", "DATE", "KIND",
           "OPERATION", "OBJECT", "AMOUNT", "", "BALANCE", "", "INVOICE", "TEXT");
    if ((e = billing_statement(d, rid, from, to, &opening, &closing, statement_row, NULL, st)))
        return e;
    printf("closing balance %s\n", money(currency, closing, m, sizeof m));
    return REG_OK;
}

static int cmd_statement(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_statement_cmds[0];
    const char *from_s = NULL, *to_s = NULL, *pos[1];
    bool csv = false;
    const struct opt opts[] = {{"from", &from_s, NULL}, {"to", &to_s, NULL}, {"csv", NULL, &csv},
                               {NULL, NULL, NULL}};
    int rc = parse_args(me, argc, argv, opts, pos, 1, 1);
    if (rc)
        return rc;
    reg_time from = 0, to = 0;
    if (from_s && (rc = parse_time(me, "--from", from_s, &from)))
        return rc;
    if (to_s && (rc = parse_time(me, "--to", to_s, &to)))
        return rc;
    if (to_s && strlen(to_s) == 10)
        to += 86400; /* a plain date includes its day */
    /* one snapshot: opening, rows and closing agree */
    struct regctl_session s;
    if (!regctl_session_snapshot(ctl, &s, "statement"))
        return EXIT_FAIL;
    if (!to_s)
        to = s.op.now + 1;
    reg_status st = {0};
    if (to <= from) {
        regctl_session_close(&s, "statement", REG_OK, &st);
        return regctl_usage_error(me, "--to must be after --from");
    }
    const char *currency = ctl->cfg.billing_currency;
    char handle[REGISTRAR_HANDLE_MAX + 1];
    int64_t rid = 0;
    reg_err e = registrar_find(s.db, pos[0], &rid, handle, &st);
    if (!e && csv) {
        strbuf out;
        sb_init(&out);
        if (!(e = web_statement_csv(s.db, rid, from, to, currency, &out, &st)))
            fwrite(sb_str(&out), 1, out.len, stdout);
        sb_free(&out);
    } else if (!e) {
        e = print_statement(s.db, rid, handle, from, to, currency, &st);
    }
    return regctl_session_close(&s, "statement", e, &st);
}

/* ---- ledger verify ---------------------------------------------------------------- */

static void bad_row(int64_t id, int64_t stored, int64_t computed, void *arg)
{
    (void)arg;
    printf("ledger row %lld: balance_after %lld, but the entries add up to %lld\n", (long long)id,
           (long long)stored, (long long)computed);
}

static void bad_invoice(const char *problem, void *arg)
{
    (void)arg;
    printf("%s\n", problem);
}

static int cmd_ledger_verify(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_ledger_cmds[0];
    int rc = parse_args(me, argc, argv, NULL, NULL, 0, 0);
    if (rc)
        return rc;
    /* one snapshot for both checks */
    struct regctl_session s;
    if (!regctl_session_snapshot(ctl, &s, "ledger verify"))
        return EXIT_FAIL;
    int64_t rows = 0, mismatches = 0, invoices = 0, problems = 0, registrars = 0;
    reg_status st = {0};
    reg_err e = billing_verify(s.db, &rows, &mismatches, bad_row, NULL, &st);
    if (!e)
        e = invoice_verify(s.db, &invoices, &problems, bad_invoice, NULL, &st);
    if (!e)
        e = billing_ledger_registrars(s.db, &registrars, &st);
    if ((rc = regctl_session_close(&s, "ledger verify", e, &st)))
        return rc;
    if (mismatches || problems)
        return regctl_fail("ledger verify",
                           "%lld of %lld ledger rows disagree with the sum of the entries; %lld "
                           "invoice problems",
                           (long long)mismatches, (long long)rows, (long long)problems);
    printf("ledger: %lld entries of %lld registrars, every balance equals the sum of its "
           "entries; %lld invoices, numbered without gaps, match the ledger\n",
           (long long)rows, (long long)registrars, (long long)invoices);
    int64_t registrant_invoices = 0;
    if ((rc = regctl_registrant_invoice_verify(s.db, &registrant_invoices)))
        return rc;
    printf("registrant invoices: %lld, numbered without gaps\n",
           (long long)registrant_invoices);
    return 0;
}

/* ---- fee -------------------------------------------------------------------------- */

static int cmd_fee_charge(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_fee_cmds[0];
    struct charge_args a;
    int rc = parse_charge(me, argc, argv, false, true, "what the fee is for", &a);
    if (rc)
        return rc;
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "fee charge", true))
        return EXIT_FAIL;
    const char *currency = ctl->cfg.billing_currency;
    char handle[REGISTRAR_HANDLE_MAX + 1];
    int64_t rid = 0, balance = 0;
    struct invoice inv = {0};
    reg_status st = {0};
    reg_err e = registrar_find(s.db, a.registrar, &rid, handle, &st);
    if (!e)
        e = invoice_fee(&s.op, currency, rid, a.amount, a.text, a.object ? "domain" : NULL,
                        a.object, &inv, &st);
    if (!e)
        e = billing_balance(s.db, rid, &balance, &st);
    if (!(rc = regctl_session_close(&s, "fee charge", e, &st))) {
        char m[MONEY_LEN], b[MONEY_LEN];
        printf("fee of %s charged to %s on one-off invoice %lld; balance %s\n",
               money(currency, a.amount, m, sizeof m), handle, (long long)inv.number,
               money(currency, balance, b, sizeof b));
    }
    invoice_free(&inv);
    return rc;
}

/* ---- invoice ---------------------------------------------------------------------- */

static void print_invoice_row(const struct invoice *inv, void *arg)
{
    (void)arg;
    char ts[REG_TIME_STRLEN], f[MONEY_FMT_LEN];
    printf("%-7lld %-20s %-16s %-8s %-7s %6lld %14lld %18s\n", (long long)inv->number,
           clock_format(inv->issued_at, ts, sizeof ts), inv->registrar, inv->kind,
           inv->period[0] ? inv->period : "-", (long long)inv->nlines, (long long)inv->total,
           money_format(inv->total, inv->currency, f, sizeof f));
}

static void print_run(const struct invoice *inv, bool existed, void *arg)
{
    (void)arg;
    char m[MONEY_LEN];
    printf("invoice %lld %s %s %s: %lld line%s, total %s%s\n", (long long)inv->number,
           inv->registrar, inv->kind, inv->period[0] ? inv->period : "fee", (long long)inv->nlines,
           inv->nlines == 1 ? "" : "s", money(inv->currency, inv->total, m, sizeof m),
           existed ? " (issued before)" : " issued");
}

static int cmd_invoice_run(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_invoice_cmds[0];
    const char *month = NULL;
    const struct opt opts[] = {{"month", &month, NULL}, {NULL, NULL, NULL}};
    int rc = parse_args(me, argc, argv, opts, NULL, 0, 0);
    if (rc)
        return rc;
    reg_time start, end;
    if (!month)
        return regctl_usage_error(me, "--month is required");
    if (invoice_month(month, &start, &end))
        return regctl_usage_error(me, "--month \"%s\" is not a month like 2027-03", month);
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "invoice run", false))
        return EXIT_FAIL;
    struct invoice_run_result res;
    reg_status st = {0};
    reg_err e = invoice_run_month(&s.op, ctl->cfg.billing_currency, month, print_run, NULL, &res,
                                  &st);
    if ((rc = regctl_session_close(&s, "invoice run", e, &st)))
        return rc;
    printf("%s: %d invoice%s issued, %d issued before", month, res.issued,
           res.issued == 1 ? "" : "s", res.existing);
    if (res.oneoff)
        printf(", %d one-off fee invoice%s", res.oneoff, res.oneoff == 1 ? "" : "s");
    printf("\n");
    return 0;
}

static int cmd_invoice_list(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_invoice_cmds[1];
    const char *registrar = NULL;
    bool registrants = false;
    const struct opt opts[] = {{"registrar", &registrar, NULL},
                               {"registrants", NULL, &registrants},
                               {NULL, NULL, NULL}};
    int rc = parse_args(me, argc, argv, opts, NULL, 0, 0);
    if (rc)
        return rc;
    if (registrants && registrar)
        return regctl_usage_error(me, "give --registrar or --registrants, not both");
    if (registrants)
        return regctl_registrant_invoice_list(ctl, NULL);
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "invoice list", false))
        return EXIT_FAIL;
    int64_t rid = 0;
    reg_status st = {0};
    reg_err e = registrar ? registrar_find(s.db, registrar, &rid, NULL, &st) : REG_OK;
    if (!e) {
        printf("%-7s %-20s %-16s %-8s %-7s %6s %14s %18s\n", "NUMBER", "ISSUED", "REGISTRAR",
               "KIND", "PERIOD", "LINES", "TOTAL", "");
        e = invoice_each(s.db, rid, print_invoice_row, NULL, &st);
    }
    return regctl_session_close(&s, "invoice list", e, &st);
}

static void print_line(const struct invoice_line *l, void *arg)
{
    (void)arg;
    char ts[REG_TIME_STRLEN], f[MONEY_FMT_LEN];
    printf("%4d %-20s %-24s %12lld %14s %s\n", l->line_no, clock_format(l->at, ts, sizeof ts),
           l->object_name ? l->object_name : "-", (long long)l->amount,
           money_format(l->amount, NULL, f, sizeof f), l->text);
}

static int cmd_invoice_paid(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = regctl_cmd_named(regctl_invoice_cmds, "paid");
    const char *pos[1], *reference = NULL;
    const struct opt opts[] = {{"reference", &reference, NULL}, {NULL, NULL, NULL}};
    int rc = parse_args(me, argc, argv, opts, pos, 1, 1);
    if (rc)
        return rc;
    if (!reference)
        return regctl_usage_error(me, "give the payment's reference with --reference");
    return regctl_registrant_invoice_paid(ctl, pos[0], reference);
}

static int cmd_invoice_show(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_invoice_cmds[2];
    const char *pos[1];
    bool csv = false, html = false;
    const struct opt opts[] = {{"csv", NULL, &csv}, {"html", NULL, &html}, {NULL, NULL, NULL}};
    int rc = parse_args(me, argc, argv, opts, pos, 1, 1);
    if (rc)
        return rc;
    if (csv && html)
        return regctl_usage_error(me, "give --csv or --html, not both");
    if (pos[0][0] == 'R' || pos[0][0] == 'r') {
        if (csv || html)
            return regctl_usage_error(me, "a registrant invoice is shown as text only");
        return regctl_registrant_invoice_show(ctl, pos[0]);
    }
    char *end;
    long long number = strtoll(pos[0], &end, 10);
    if (*end || number <= 0)
        return regctl_usage_error(me, "NUMBER is an invoice number like 17 (or "
                                  REGISTRANT_INVOICE_PREFIX "7)");
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    struct invoice inv;
    reg_status st = {0};
    if (invoice_get(d, number, &inv, &st))
        return regctl_fail("invoice show", "%s", reg_status_text(&st));
    reg_err e;
    if (csv || html) {
        strbuf out;
        sb_init(&out);
        e = csv ? web_invoice_csv(d, &inv, &out, &st)
                : web_invoice_html(d, &inv, ctl->cfg.tld_name, &out, &st);
        if (!e)
            fwrite(sb_str(&out), 1, out.len, stdout);
        sb_free(&out);
    } else {
        char ts[REG_TIME_STRLEN], f[MONEY_FMT_LEN];
        printf("invoice %lld (%s%s%s) of the .%s registry\nregistrar: %s%s%s%s\nissued: %s\n"
               "currency: %s\n",
               (long long)inv.number, !strcmp(inv.kind, "oneoff") ? "one-off fee" : "monthly",
               inv.period[0] ? ", " : "", inv.period, ctl->cfg.tld_name, inv.registrar,
               inv.billed_to ? " (" : "", inv.billed_to ? inv.billed_to : "",
               inv.billed_to ? ")" : "", clock_format(inv.issued_at, ts, sizeof ts), inv.currency);
        printf("%4s %-20s %-24s %12s %14s %s\n", "LINE", "DATE", "OBJECT", "AMOUNT", "", "TEXT");
        e = invoice_lines(d, inv.id, print_line, NULL, &st);
        if (!e)
            printf("total: %lld (%s)\n", (long long)inv.total,
                   money_format(inv.total, inv.currency, f, sizeof f));
    }
    invoice_free(&inv);
    if (e)
        return regctl_fail("invoice show", "%s", reg_status_text(&st));
    return 0;
}


/* ---- registrar billing ------------------------------------------------------------ */

int regctl_registrar_billing(struct regctl *ctl, int argc, char **argv)
{
    static const struct regctl_cmd me_cmd = {"billing", regctl_registrar_billing,
                                             REGCTL_REGISTRAR_BILLING_USAGE,
                                             REGCTL_REGISTRAR_BILLING_HELP};
    const struct regctl_cmd *me = &me_cmd;
    const char *limit_s = NULL, *low_s = NULL, *rebate_s = NULL, *from_s = NULL, *pos[1];
    const struct opt opts[] = {{"credit-limit", &limit_s, NULL}, {"low-balance", &low_s, NULL},
                               {"rebate", &rebate_s, NULL},      {"from", &from_s, NULL},
                               {NULL, NULL, NULL}};
    int rc = parse_args(me, argc, argv, opts, pos, 1, 1);
    if (rc)
        return rc;
    int64_t limit = 0, low = 0;
    int bp = 0;
    bool has_low = false;
    reg_err pe;
    if (limit_s && (pe = money_parse(limit_s, false, &limit)))
        return bad_amount(me, "--credit-limit", limit_s, pe);
    if (low_s && strcmp(low_s, "none")) {
        if ((pe = money_parse(low_s, true, &low)))
            return bad_amount(me, "--low-balance", low_s, pe);
        has_low = true;
    }
    if (rebate_s && billing_parse_percent(rebate_s, &bp))
        return regctl_usage_error(me, "--rebate \"%s\" is not a percentage 0..100 (like 12.5)",
                                  rebate_s);
    if (from_s && !rebate_s)
        return regctl_usage_error(me, "--from goes with --rebate");
    reg_time from = 0;
    if (from_s && (rc = parse_time(me, "--from", from_s, &from)))
        return rc;
    /* a transaction only when something changes */
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "registrar billing", limit_s || low_s || rebate_s))
        return EXIT_FAIL;
    reg_time now = s.op.now;
    if (!from_s)
        from = now;
    char handle[REGISTRAR_HANDLE_MAX + 1];
    int64_t rid = 0;
    struct billing_account a;
    reg_status st = {0};
    reg_err e = registrar_find(s.db, pos[0], &rid, handle, &st);
    if (!e && limit_s)
        e = billing_set_credit_limit(&s.op, rid, limit, &st);
    if (!e && low_s)
        e = billing_set_low_balance(&s.op, rid, has_low, low, &st);
    if (!e && rebate_s)
        e = billing_rebate_set(&s.op, rid, bp, from, &st);
    if (!e)
        e = billing_account_get(s.db, rid, now, &a, &st);
    if ((rc = regctl_session_close(&s, "registrar billing", e, &st)))
        return rc;
    const char *currency = ctl->cfg.billing_currency;
    char m[MONEY_LEN];
    printf("registrar: %s\ncurrency: %s\n", handle, currency);
    printf("balance: %s\n", money(currency, a.balance, m, sizeof m));
    printf("credit-limit: %s\n", money(currency, a.credit_limit, m, sizeof m));
    printf("available: %s\n", money(currency, a.balance + a.credit_limit, m, sizeof m));
    if (a.has_low_balance)
        printf("low-balance: %s%s\n", money(currency, a.low_balance, m, sizeof m),
               a.low_balance_warned ? " (warned)" : "");
    else
        printf("low-balance: none\n");
    printf("rebate: %d.%02d%%\n", a.rebate_bp / 100, a.rebate_bp % 100);
    if (rebate_s && from > now) {
        char ts[REG_TIME_STRLEN];
        printf("rebate from %s: %d.%02d%%\n", clock_format(from, ts, sizeof ts), bp / 100,
               bp % 100);
    }
    return 0;
}
