/* RFC 8748 registry fees for domains (see epp_fee.h). Amounts are integers
 * of the currency's minor unit inside the registry (billing.h) and
 * decimals of the major unit on the wire (fee:feeType, xs:decimal). */
#include "epp_fee.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epp/ns.h"
#include "registry/billing.h"
#include "registry/names.h"
#include "registry/policy.h"

#define F(name) "fee:" name

/* RFC 8748: a server should not convert a currency the client got wrong
 * but answer 2004 (parameter value range error). */
#define FEE_CURRENCY_ERROR REG_ERR_RANGE

/* Client amounts are compared in millionths of the minor unit, so fees
 * with more decimals than the currency has still add up exactly enough. */
#define SUB_DIGITS 6
#define AMOUNT_CAP (INT64_MAX / 4) /* saturation: sums cannot overflow */

/* ---- amounts --------------------------------------------------------------- */

/* ISO 4217 minor-unit digits: 2 unless listed. */
static int currency_exponent(const char *currency)
{
    static const char *const zero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                       "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF",
                                       "XPF", "XXX"};
    static const char *const three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
        if (!strcmp(currency, zero[i]))
            return 0;
    for (size_t i = 0; i < sizeof three / sizeof three[0]; i++)
        if (!strcmp(currency, three[i]))
            return 3;
    return 2;
}

static int64_t pow10i(int n)
{
    int64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

/* Minor units → "-12.50" (exp 2), "1250" (exp 0). */
static void format_amount(int64_t minor, int exp, char *out, size_t n)
{
    uint64_t v = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    uint64_t scale = (uint64_t)pow10i(exp);
    if (exp == 0)
        snprintf(out, n, "%s%llu", minor < 0 ? "-" : "", (unsigned long long)v);
    else
        snprintf(out, n, "%s%llu.%0*llu", minor < 0 ? "-" : "", (unsigned long long)(v / scale),
                 exp, (unsigned long long)(v % scale));
}

static int64_t add_sat(int64_t a, int64_t b)
{
    int64_t s = a + b; /* both within ±AMOUNT_CAP: cannot overflow */
    return s > AMOUNT_CAP ? AMOUNT_CAP : s < -AMOUNT_CAP ? -AMOUNT_CAP : s;
}

/* An xs:decimal ("+10", "10.5", "-0.00", ".5") in units of
 * 10^-(exp + SUB_DIGITS) of the major unit; digits beyond are dropped.
 * false when it is not a decimal. */
static bool parse_amount(const char *s, int exp, int64_t *out)
{
    const int frac_max = exp + SUB_DIGITS;
    const int64_t scale = pow10i(frac_max);
    bool neg = false, digits = false;
    int64_t whole = 0, frac = 0;
    int nfrac = 0;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    for (; *s >= '0' && *s <= '9'; s++, digits = true)
        whole = whole > AMOUNT_CAP / scale ? whole : whole * 10 + (*s - '0');
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, digits = true)
            if (nfrac < frac_max) {
                frac = frac * 10 + (*s - '0');
                nfrac++;
            }
    if (!digits || *s)
        return false;
    frac *= pow10i(frac_max - nfrac);
    int64_t v = whole > AMOUNT_CAP / scale ? AMOUNT_CAP : whole * scale + frac;
    if (v > AMOUNT_CAP)
        v = AMOUNT_CAP;
    *out = neg ? -v : v;
    return true;
}

/* ---- request helpers ---------------------------------------------------------- */

/* <fee:currency> of parent, if any, must be ours. */
static reg_err check_currency(const struct epp_ctx *c, xmlNodePtr parent, reg_status *st)
{
    xmlNodePtr n = epp_child(parent, EPP_NS_FEE, "currency");
    if (!n)
        return REG_OK;
    char *cur = epp_text(n);
    reg_err e = REG_OK;
    if (strcmp(cur, c->cfg->billing_currency))
        e = reg_fail(st, FEE_CURRENCY_ERROR, "fees are in %s here, not %s",
                     c->cfg->billing_currency, cur);
    free(cur);
    return e;
}

static void write_amount(epp_writer *w, const char *qname, const char *description,
                         int64_t minor, int exp)
{
    char buf[48];
    format_amount(minor, exp, buf, sizeof buf);
    epp_w_start(w, qname);
    if (description)
        epp_w_attr(w, "description", description);
    epp_w_text(w, buf);
    epp_w_end(w);
}

static void write_period(epp_writer *w, int value, bool months)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", value);
    epp_w_start(w, F("period"));
    epp_w_attr(w, "unit", months ? "m" : "y");
    epp_w_text(w, buf);
    epp_w_end(w);
}

static const char *description_of(const char *operation)
{
    if (!operation)
        return "no fee";
    if (!strcmp(operation, "create"))
        return "registration fee";
    if (!strcmp(operation, "renew"))
        return "renewal fee";
    if (!strcmp(operation, "transfer"))
        return "transfer fee";
    return "restore fee";
}

/* ---- <check> ------------------------------------------------------------------ */

/* One <fee:command> of the request, priced (or with the reason it cannot be). */
struct fee_cmd {
    char *name, *custom, *phase, *subphase; /* as sent, echoed back */
    const char *operation;                  /* billing operation; NULL: free */
    bool has_period;                        /* the answer carries a period */
    int years;
    int sent_value;                         /* the <fee:period> sent (0: none) */
    bool sent_months;
    int64_t price;
    char reason[200]; /* non-empty: no fee for this command */
};

static void fee_cmds_free(struct fee_cmd *cmds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(cmds[i].name);
        free(cmds[i].custom);
        free(cmds[i].phase);
        free(cmds[i].subphase);
    }
    free(cmds);
}

/* The <fee:period> of the command, as sent (value 0: none). */
static void read_period(xmlNodePtr cmd, struct fee_cmd *fc)
{
    xmlNodePtr p = epp_child(cmd, EPP_NS_FEE, "period");
    if (!p)
        return;
    char *unit = epp_attr(p, "unit"), *v = epp_text(p);
    fc->sent_value = atoi(v);
    fc->sent_months = unit && !strcmp(unit, "m");
    free(unit);
    free(v);
}

/* Which operation the command is, its period and whether it can be priced
 * at all; the price itself comes later. */
static void classify(const struct registry_policy *p, xmlNodePtr node, struct fee_cmd *fc)
{
    const char *n = fc->name ? fc->name : "";
    if ((fc->phase && strcmp(fc->phase, "open")) || fc->subphase) {
        snprintf(fc->reason, sizeof fc->reason,
                 "no launch phase %s%s%s here: the registry is open (general availability)",
                 fc->phase ? fc->phase : "", fc->subphase ? "/" : "",
                 fc->subphase ? fc->subphase : "");
        return;
    }
    if (!strcmp(n, "delete") || !strcmp(n, "update")) {
        fc->operation = NULL; /* free: fee 0 */
        return;
    }
    if (!strcmp(n, "restore")) {
        fc->operation = "restore"; /* once, whatever the period: restore has none */
        fc->years = 1;
        return;
    }
    if (strcmp(n, "create") && strcmp(n, "renew") && strcmp(n, "transfer")) {
        snprintf(fc->reason, sizeof fc->reason, "no fee information for command %s%s%s",
                 n, fc->custom ? " " : "", fc->custom ? fc->custom : "");
        return;
    }
    fc->operation = n;
    fc->has_period = true;
    read_period(node, fc);
    int months = fc->sent_months ? fc->sent_value : fc->sent_value * 12;
    if (months == 0)
        months = 12; /* the default period of create, renew and transfer */
    fc->years = months / 12;
    int min = strcmp(n, "transfer") ? p->min_period : 1;
    if (months % 12)
        snprintf(fc->reason, sizeof fc->reason, "periods are whole years (12, 24, … months)");
    else if (fc->years < min || fc->years > p->max_period)
        snprintf(fc->reason, sizeof fc->reason, "period %d years is outside %d..%d", fc->years,
                 min, p->max_period);
}

/* Parses and prices every <fee:command> (the price does not depend on the
 * name: no premium names here). */
static reg_err read_commands(struct epp_ctx *c, xmlNodePtr check, struct fee_cmd **out,
                             size_t *count, reg_status *st)
{
    size_t n = 0;
    for (xmlNodePtr x = epp_child(check, EPP_NS_FEE, "command"); x;
         x = epp_next_sibling(x, EPP_NS_FEE, "command"))
        n++;
    struct fee_cmd *cmds = calloc(n ? n : 1, sizeof *cmds);
    if (!cmds)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    struct reg_op op = epp_op(c);
    size_t i = 0;
    for (xmlNodePtr x = epp_child(check, EPP_NS_FEE, "command"); x && i < n;
         x = epp_next_sibling(x, EPP_NS_FEE, "command"), i++) {
        struct fee_cmd *fc = &cmds[i];
        fc->name = epp_attr(x, "name");
        fc->custom = epp_attr(x, "customName");
        fc->phase = epp_attr(x, "phase");
        fc->subphase = epp_attr(x, "subphase");
        classify(op.policy, x, fc);
        if (!fc->reason[0] && fc->operation &&
            billing_price(&op, op.registrar_id, fc->operation, fc->years, &fc->price, st)) {
            fee_cmds_free(cmds, n);
            return st->code;
        }
    }
    *out = cmds;
    *count = n;
    return REG_OK;
}

static void write_command(epp_writer *w, const struct fee_cmd *fc, int exp)
{
    epp_w_start(w, F("command"));
    epp_w_attr(w, "name", fc->name ? fc->name : "");
    if (fc->custom)
        epp_w_attr(w, "customName", fc->custom);
    if (fc->phase)
        epp_w_attr(w, "phase", fc->phase);
    if (fc->subphase)
        epp_w_attr(w, "subphase", fc->subphase);
    if (fc->reason[0]) {
        if (fc->has_period && fc->sent_value) /* the period we cannot price, as sent */
            write_period(w, fc->sent_value, fc->sent_months);
        epp_w_elem(w, F("reason"), fc->reason);
    } else {
        epp_w_attr(w, "standard", "1"); /* every name is of the standard class */
        if (fc->has_period)
            write_period(w, fc->years, false);
        write_amount(w, F("fee"), description_of(fc->operation), fc->price, exp);
    }
    epp_w_end(w);
}

/* One <fee:cd>: avail="0" with a reason when the name cannot be priced
 * (not a name under our TLD, or reserved) or any command cannot. */
static void write_cd(struct epp_ctx *c, const char *input, const struct fee_cmd *cmds, size_t n,
                     int exp)
{
    struct domain_name dn;
    reg_status why = {0};
    char reason[sizeof why.reason + 32] = "";
    if (names_domain(&c->policy->names, input, &dn, &why)) {
        snprintf(dn.alabel, sizeof dn.alabel, "%s", input);
        snprintf(reason, sizeof reason, "%s", reg_status_text(&why));
    } else {
        char label[sizeof dn.alabel];
        snprintf(label, sizeof label, "%s", dn.alabel);
        char *dot = strchr(label, '.');
        if (dot)
            *dot = '\0';
        if (policy_is_reserved(c->policy, label))
            snprintf(reason, sizeof reason, "%s is reserved and cannot be registered", dn.alabel);
    }
    bool avail = !reason[0];
    for (size_t i = 0; avail && i < n; i++)
        avail = !cmds[i].reason[0];
    epp_w_start(c->w, F("cd"));
    epp_w_attr(c->w, "avail", avail ? "1" : "0");
    epp_w_elem(c->w, F("objID"), dn.alabel);
    if (reason[0]) {
        epp_w_elem(c->w, F("reason"), reason);
    } else {
        epp_w_elem(c->w, F("class"), "standard");
        for (size_t i = 0; i < n; i++)
            write_command(c->w, &cmds[i], exp);
    }
    epp_w_end(c->w);
}

reg_err epp_fee_check(struct epp_ctx *c, reg_status *st)
{
    xmlNodePtr check = epp_child(c->cmd.ext_node, EPP_NS_FEE, "check");
    if (!check)
        return REG_OK;
    if (check_currency(c, check, st))
        return st->code;
    struct fee_cmd *cmds = NULL;
    size_t n = 0;
    if (read_commands(c, check, &cmds, &n, st))
        return st->code;
    const char *currency = c->cfg->billing_currency;
    int exp = currency_exponent(currency);
    epp_w_start(c->w, "extension");
    epp_w_start_ns(c->w, "fee", "chkData", EPP_NS_FEE);
    epp_w_elem(c->w, F("currency"), currency);
    for (xmlNodePtr x = epp_child(c->cmd.obj_node, EPP_NS_DOMAIN, "name"); x;
         x = epp_next_sibling(x, EPP_NS_DOMAIN, "name")) {
        char *name = epp_text(x);
        write_cd(c, name, cmds, n, exp);
        free(name);
    }
    epp_w_end(c->w);
    epp_w_end(c->w);
    fee_cmds_free(cmds, n);
    return REG_OK;
}

/* ---- transform commands --------------------------------------------------------- */

static const char *result_of(const char *elem)
{
    if (!strcmp(elem, "create"))
        return "creData";
    if (!strcmp(elem, "renew"))
        return "renData";
    if (!strcmp(elem, "transfer"))
        return "trnData";
    return "updData";
}

reg_err epp_fee_agree(struct epp_ctx *c, const char *elem, const char *operation,
                      int period_months, struct epp_fee *f, reg_status *st)
{
    memset(f, 0, sizeof *f);
    xmlNodePtr x = epp_child(c->cmd.ext_node, EPP_NS_FEE, elem);
    if (!x)
        return REG_OK;
    if (check_currency(c, x, st))
        return st->code;
    f->sent = true;
    f->result = result_of(elem);
    f->operation = operation;
    f->years = period_months ? period_months / 12 : 1; /* as the registry charges */
    struct reg_op op = epp_op(c);
    if (operation && billing_price(&op, op.registrar_id, operation, f->years, &f->price, st))
        return st->code;
    int exp = currency_exponent(c->cfg->billing_currency);
    int64_t agreed = 0; /* fees plus (negative) credits, in 10^-SUB_DIGITS minor units */
    for (xmlNodePtr n = x->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || !n->ns ||
            strcmp((const char *)n->ns->href, EPP_NS_FEE) ||
            (strcmp((const char *)n->name, "fee") && strcmp((const char *)n->name, "credit")))
            continue;
        char *text = epp_text(n);
        int64_t v;
        bool ok = parse_amount(text, exp, &v);
        if (!ok) {
            reg_fail(st, REG_ERR_INVALID, "fee amount \"%s\" is not a decimal number", text);
            free(text);
            return st->code;
        }
        free(text);
        agreed = add_sat(agreed, v);
    }
    int64_t sub = pow10i(SUB_DIGITS);
    int64_t need = f->price > AMOUNT_CAP / sub ? AMOUNT_CAP : f->price * sub;
    if (agreed < need) { /* RFC 8748: less than the server's fee is 2004 */
        char price[48], sent[48];
        format_amount(f->price, exp, price, sizeof price);
        format_amount(agreed / sub, exp, sent, sizeof sent);
        return reg_fail(st, REG_ERR_RANGE, "fee mismatch: price is %s %s (the fees sent add up "
                        "to %s)", price, c->cfg->billing_currency, sent);
    }
    return REG_OK;
}

reg_err epp_fee_write_data(struct epp_ctx *c, const struct epp_fee *f, reg_status *st)
{
    if (!f->sent)
        return REG_OK;
    int64_t balance;
    struct reg_op op = epp_op(c);
    if (billing_balance(op.db, op.registrar_id, &balance, st))
        return st->code;
    const char *currency = c->cfg->billing_currency;
    int exp = currency_exponent(currency);
    epp_w_start_ns(c->w, "fee", f->result, EPP_NS_FEE);
    epp_w_elem(c->w, F("currency"), currency);
    if (f->operation && strcmp(f->operation, "restore"))
        write_period(c->w, f->years, false);
    write_amount(c->w, F("fee"), description_of(f->operation), f->price, exp);
    write_amount(c->w, F("balance"), NULL, balance, exp);
    epp_w_end(c->w);
    return REG_OK;
}

reg_err epp_fee_write_extension(struct epp_ctx *c, const struct epp_fee *f, reg_status *st)
{
    if (!f->sent)
        return REG_OK;
    epp_w_start(c->w, "extension");
    reg_err e = epp_fee_write_data(c, f, st);
    epp_w_end(c->w);
    return e;
}
