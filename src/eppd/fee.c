/* RFC 8748 registry fees for domains (eppd_internal.h). Amounts are
 * integers of the currency's minor unit inside the registry (billing.h)
 * and decimals of the major unit on the wire (fee:feeType, xs:decimal);
 * the behaviour is described in docs/epp-domains-hosts.md, "Fees". */
#include <stdio.h>
#include <string.h>

#include "contrib/money.h"
#include "eppd_internal.h"
#include "registry/billing.h"
#include "registry/names.h"
#include "registry/policy.h"

/* RFC 8748: a server should not convert a currency the client got wrong
 * but answer 2004 (parameter value range error). */
#define FEE_CURRENCY_ERROR REG_ERR_RANGE

/* Client amounts are compared in millionths of the minor unit, so fees
 * with more decimals than the currency has still add up exactly enough. */
#define SUB_DIGITS 6

static const char *currency(const struct eppd_cmd *c) { return c->env->cfg->billing_currency; }

static char *decimal(struct eppd_cmd *c, int64_t minor)
{
    char buf[48];
    money_format_decimal(minor, money_exponent(currency(c)), buf, sizeof buf);
    return eppd_strdup(c, buf);
}

/* A <fee:currency> sent must be ours. */
static reg_err check_currency(struct eppd_cmd *c, const char *sent)
{
    if (sent && strcmp(sent, currency(c)))
        return reg_fail(&c->st, FEE_CURRENCY_ERROR, "fees are in %s here, not %s", currency(c),
                        sent);
    return REG_OK;
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

/* ---- <fee:check> ---------------------------------------------------------------------- */

/* One <fee:command>: which operation it is, its period, whether it can be
 * priced at all, and its price (which does not depend on the name: there
 * are no premium names here). */
static reg_err price_command(struct eppd_cmd *c, const struct epp_fee_command *in,
                             struct epp_fee_cmd_out *out)
{
    const struct registry_policy *p = c->env->policy;
    const char *n = in->name ? in->name : "";
    char reason[200] = "";
    const char *operation = NULL;
    int years = 0;
    *out = (struct epp_fee_cmd_out){.name = in->name, .custom_name = in->custom_name,
                                    .phase = in->phase, .subphase = in->subphase};
    if ((in->phase && strcmp(in->phase, "open")) || in->subphase) {
        snprintf(reason, sizeof reason,
                 "no launch phase %s%s%s here: the registry is open (general availability)",
                 in->phase ? in->phase : "", in->subphase ? "/" : "",
                 in->subphase ? in->subphase : "");
    } else if (!strcmp(n, "delete") || !strcmp(n, "update")) {
        years = 0; /* free: fee 0 */
    } else if (!strcmp(n, "restore")) {
        operation = "restore"; /* once, whatever the period: restore has none */
        years = 1;
    } else if (strcmp(n, "create") && strcmp(n, "renew") && strcmp(n, "transfer")) {
        snprintf(reason, sizeof reason, "no fee information for command %s%s%s", n,
                 in->custom_name ? " " : "", in->custom_name ? in->custom_name : "");
    } else {
        operation = n;
        out->has_period = true;
        int months = epp_period_months(in->period);
        if (months == 0)
            months = 12; /* the default period of create, renew and transfer */
        years = months / 12;
        int min = strcmp(n, "transfer") ? p->min_period : 1;
        if (months % 12)
            snprintf(reason, sizeof reason, "periods are whole years (12, 24, … months)");
        else if (years < min || years > p->max_period)
            snprintf(reason, sizeof reason, "period %d years is outside %d..%d", years, min,
                     p->max_period);
    }
    if (reason[0]) {
        /* the period we cannot price, as sent */
        out->has_period = out->has_period && in->period.value;
        out->period = in->period.value;
        out->period_months = in->period.months;
        out->reason = eppd_strdup(c, reason);
        return REG_OK;
    }
    out->period = years;
    int64_t price = 0;
    struct reg_op op = eppd_op(c);
    reg_status why = {0};
    reg_err e = operation ? billing_price(&op, op.registrar_id, operation, years, &price, &why)
                          : REG_OK;
    if (e == REG_ERR_CONFIG) { /* no price: the command would be refused */
        out->reason = eppd_strdup(c, reg_status_text(&why));
        return REG_OK;
    }
    if (e) {
        c->st = why;
        return e;
    }
    out->fee = decimal(c, price);
    out->description = description_of(operation);
    return REG_OK;
}

/* One <fee:cd>: avail="0" with a reason when the name cannot be priced
 * (not a name under our TLD, or reserved) or any command cannot. */
static void price_name(struct eppd_cmd *c, const char *input, struct epp_fee_cmd_out *cmds,
                       size_t n, struct epp_fee_cd *cd)
{
    struct domain_name dn;
    reg_status why = {0};
    char reason[sizeof why.reason + 32] = "";
    if (names_domain(&c->env->policy->names, input, &dn, &why)) {
        snprintf(dn.alabel, sizeof dn.alabel, "%s", input);
        snprintf(reason, sizeof reason, "%s", reg_status_text(&why));
    } else {
        char label[sizeof dn.alabel];
        snprintf(label, sizeof label, "%s", dn.alabel);
        char *dot = strchr(label, '.');
        if (dot)
            *dot = '\0';
        if (policy_is_reserved(c->env->policy, label))
            snprintf(reason, sizeof reason, "%s is reserved and cannot be registered", dn.alabel);
    }
    cd->obj_id = eppd_strdup(c, dn.alabel);
    cd->avail = !reason[0];
    for (size_t i = 0; cd->avail && i < n; i++)
        cd->avail = cmds[i].fee != NULL;
    cd->reason = reason[0] ? eppd_strdup(c, reason) : NULL;
    cd->class_name = "standard";
    cd->cmds = cmds;
    cd->ncmds = n;
}

reg_err eppd_fee_check(struct eppd_cmd *c, const struct epp_domain_check *in)
{
    const struct epp_fee_check *fc = &in->fee;
    if (!fc->given)
        return REG_OK;
    if (check_currency(c, fc->currency))
        return c->st.code;
    struct epp_fee_cmd_out *cmds = EPPD_ARRAY(c, struct epp_fee_cmd_out, fc->ncommands);
    struct epp_fee_chk *out = EPPD_NEW(c, struct epp_fee_chk);
    struct epp_fee_cd *cds = EPPD_ARRAY(c, struct epp_fee_cd, in->names.n);
    if (!cmds || !out || !cds)
        return c->st.code;
    for (size_t i = 0; i < fc->ncommands; i++)
        if (price_command(c, &fc->commands[i], &cmds[i]))
            return c->st.code;
    for (size_t i = 0; i < in->names.n; i++)
        price_name(c, in->names.items[i], cmds, fc->ncommands, &cds[i]);
    *out = (struct epp_fee_chk){currency(c), cds, in->names.n};
    epp_response_add_ext(&c->resp, epp_fee_chkdata(out));
    return REG_OK;
}

/* ---- transform commands ---------------------------------------------------------------- */

reg_err eppd_fee_agree(struct eppd_cmd *c, const struct epp_fee_agreement *in,
                       const char *element, const char *operation, int period_months,
                       struct eppd_fee *f)
{
    memset(f, 0, sizeof *f);
    if (!in->given)
        return REG_OK;
    if (check_currency(c, in->currency))
        return c->st.code;
    f->sent = true;
    f->element = element;
    f->operation = operation;
    f->years = period_months ? period_months / 12 : 1; /* as the registry charges */
    struct reg_op op = eppd_op(c);
    if (operation && billing_price(&op, op.registrar_id, operation, f->years, &f->price, &c->st))
        return c->st.code;
    int exp = money_exponent(currency(c));
    int64_t agreed = 0; /* fees plus (negative) credits, in 10^-SUB_DIGITS minor units */
    for (size_t i = 0; i < in->namounts; i++) {
        int64_t v;
        if (!money_parse_decimal(in->amounts[i], exp, SUB_DIGITS, &v))
            return reg_fail(&c->st, REG_ERR_INVALID, "fee amount \"%s\" is not a decimal number",
                            in->amounts[i]);
        agreed += v; /* both within ±MONEY_DECIMAL_CAP: cannot overflow */
        agreed = agreed > MONEY_DECIMAL_CAP ? MONEY_DECIMAL_CAP
                 : agreed < -MONEY_DECIMAL_CAP ? -MONEY_DECIMAL_CAP
                                               : agreed;
    }
    int64_t sub = money_pow10(SUB_DIGITS);
    int64_t need = f->price > MONEY_DECIMAL_CAP / sub ? MONEY_DECIMAL_CAP : f->price * sub;
    if (agreed < need) { /* RFC 8748: less than the server's fee is 2004 */
        char price[48], sent[48];
        money_format_decimal(f->price, exp, price, sizeof price);
        money_format_decimal(agreed / sub, exp, sent, sizeof sent);
        return reg_fail(&c->st, REG_ERR_RANGE,
                        "fee mismatch: price is %s %s (the fees sent add up to %s)", price,
                        currency(c), sent);
    }
    return REG_OK;
}

reg_err eppd_fee_result(struct eppd_cmd *c, const struct eppd_fee *f)
{
    if (!f->sent)
        return REG_OK;
    int64_t balance;
    struct reg_op op = eppd_op(c);
    struct epp_fee_result *out = EPPD_NEW(c, struct epp_fee_result);
    if (!out || billing_balance(op.db, op.registrar_id, &balance, &c->st))
        return c->st.code;
    *out = (struct epp_fee_result){
        .element = f->element,
        .currency = currency(c),
        .has_period = f->operation && strcmp(f->operation, "restore"),
        .years = f->years,
        .fee = decimal(c, f->price),
        .description = description_of(f->operation),
        .balance = decimal(c, balance),
    };
    epp_response_add_ext(&c->resp, epp_fee_data(out));
    return REG_OK;
}
