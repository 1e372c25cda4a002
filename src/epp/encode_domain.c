/* Domain results (RFC 5731) and the extensions that answer domain
 * commands: secDNS-1.1, rgp-1.0, changePoll-1.0, fee-1.0, domain-ext. */
#include <stdio.h>

#include "response.h"
#include "writer.h"

#define D(name) "domain:" name

static void write_status(epp_writer *w, const char *qname, const struct epp_status_out *s)
{
    epp_w_start(w, qname);
    epp_w_attr(w, "s", s->s);
    if (s->text && *s->text) {
        epp_w_attr(w, "lang", "en");
        epp_w_text(w, s->text);
    }
    epp_w_end(w);
}

static void write_time_if(epp_writer *w, const char *qname, reg_time t)
{
    if (t)
        epp_w_elem_time(w, qname, t);
}

static void write_infdata(epp_writer *w, const void *data)
{
    const struct epp_domain_inf *d = data;
    epp_w_start_ns(w, "domain", "infData", EPP_NS_DOMAIN);
    epp_w_elem(w, D("name"), d->name);
    epp_w_elem(w, D("roid"), d->roid);
    for (size_t i = 0; i < d->nstatuses; i++)
        write_status(w, D("status"), &d->statuses[i]);
    if (d->full) {
        epp_w_elem(w, D("registrant"), d->registrant);
        for (size_t i = 0; i < d->ncontacts; i++) {
            epp_w_start(w, D("contact"));
            epp_w_attr(w, "type", d->contacts[i].type);
            epp_w_text(w, d->contacts[i].id);
            epp_w_end(w);
        }
        if (d->nns) {
            epp_w_start(w, D("ns"));
            for (size_t i = 0; i < d->nns; i++)
                epp_w_elem(w, D("hostObj"), d->ns[i]);
            epp_w_end(w);
        }
        for (size_t i = 0; i < d->nhosts; i++)
            epp_w_elem(w, D("host"), d->hosts[i]);
    }
    epp_w_elem(w, D("clID"), d->cl_id);
    if (d->full) {
        epp_w_elem(w, D("crID"), d->cr_id);
        epp_w_elem_time(w, D("crDate"), d->cr_date);
        if (d->up_date) {
            if (d->up_id) /* jobs change domains without a registrar */
                epp_w_elem(w, D("upID"), d->up_id);
            epp_w_elem_time(w, D("upDate"), d->up_date);
        }
        epp_w_elem_time(w, D("exDate"), d->ex_date);
        write_time_if(w, D("trDate"), d->tr_date);
        if (d->authinfo_set) { /* RFC 9154: the value is never returned, only that it is set */
            epp_w_start(w, D("authInfo"));
            epp_w_elem(w, D("pw"), NULL);
            epp_w_end(w);
        }
    }
    epp_w_end(w);
}

struct epp_part epp_domain_infdata(const struct epp_domain_inf *d)
{
    return (struct epp_part){EPP_SVC_DOMAIN, write_infdata, d};
}

static void write_trndata(epp_writer *w, const void *data)
{
    const struct epp_domain_trn *t = data;
    epp_w_start_ns(w, "domain", "trnData", EPP_NS_DOMAIN);
    epp_w_elem(w, D("name"), t->name);
    epp_w_elem(w, D("trStatus"), t->status);
    epp_w_elem(w, D("reID"), t->re_id);
    epp_w_elem_time(w, D("reDate"), t->re_date);
    epp_w_elem(w, D("acID"), t->ac_id);
    epp_w_elem_time(w, D("acDate"), t->ac_date);
    if (t->has_ex)
        epp_w_elem_time(w, D("exDate"), t->ex_date);
    epp_w_end(w);
}

struct epp_part epp_domain_trndata(const struct epp_domain_trn *d)
{
    return (struct epp_part){EPP_SVC_DOMAIN, write_trndata, d};
}

static void write_rendata(epp_writer *w, const void *data)
{
    const struct epp_domain_ren *r = data;
    epp_w_start_ns(w, "domain", "renData", EPP_NS_DOMAIN);
    epp_w_elem(w, D("name"), r->name);
    epp_w_elem_time(w, D("exDate"), r->ex_date);
    epp_w_end(w);
}

struct epp_part epp_domain_rendata(const struct epp_domain_ren *d)
{
    return (struct epp_part){EPP_SVC_DOMAIN, write_rendata, d};
}

static void write_pandata(epp_writer *w, const void *data)
{
    const struct epp_domain_pan *p = data;
    epp_w_start_ns(w, "domain", "panData", EPP_NS_DOMAIN);
    epp_w_start(w, D("name"));
    epp_w_attr(w, "paResult", p->result ? "1" : "0");
    epp_w_text(w, p->name);
    epp_w_end(w);
    epp_w_start(w, D("paTRID"));
    if (p->cltrid && *p->cltrid)
        epp_w_elem(w, "clTRID", p->cltrid);
    epp_w_elem(w, "svTRID", p->svtrid);
    epp_w_end(w);
    epp_w_elem_time(w, D("paDate"), p->date);
    epp_w_end(w);
}

struct epp_part epp_domain_pandata(const struct epp_domain_pan *d)
{
    return (struct epp_part){EPP_SVC_DOMAIN, write_pandata, d};
}

/* ---- secDNS, rgp, domain-ext, changePoll ------------------------------------------------ */

static void write_int(epp_writer *w, const char *qname, int v)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", v);
    epp_w_elem(w, qname, buf);
}

static void write_secdns(epp_writer *w, const void *data)
{
    const struct epp_secdns_inf *s = data;
    epp_w_start_ns(w, "secDNS", "infData", EPP_NS_SECDNS);
    for (size_t i = 0; i < s->n; i++) {
        epp_w_start(w, "secDNS:dsData");
        write_int(w, "secDNS:keyTag", s->ds[i].key_tag);
        write_int(w, "secDNS:alg", s->ds[i].alg);
        write_int(w, "secDNS:digestType", s->ds[i].digest_type);
        epp_w_elem(w, "secDNS:digest", s->ds[i].digest);
        epp_w_end(w);
    }
    epp_w_end(w);
}

struct epp_part epp_secdns_infdata(const struct epp_secdns_inf *d)
{
    return (struct epp_part){EPP_SVC_SECDNS, write_secdns, d};
}

static void write_rgp(epp_writer *w, const void *data)
{
    const struct epp_rgp *r = data;
    epp_w_start_ns(w, "rgp", r->up ? "upData" : "infData", EPP_NS_RGP);
    epp_w_start(w, "rgp:rgpStatus");
    epp_w_attr(w, "s", r->status);
    epp_w_end(w);
    epp_w_end(w);
}

struct epp_part epp_rgp_data(const struct epp_rgp *d)
{
    return (struct epp_part){EPP_SVC_RGP, write_rgp, d};
}

static void write_regd(epp_writer *w, const void *data)
{
    const struct epp_regd_inf *r = data;
    epp_w_start_ns(w, "regd", "infData", EPP_NS_REG_DOMAIN);
    epp_w_elem(w, "regd:management", r->management);
    if (r->pending_action && *r->pending_action)
        epp_w_elem(w, "regd:pendingAction", r->pending_action);
    epp_w_elem(w, "regd:authInfoSet", r->authinfo_set ? "true" : "false");
    if (r->terms_version && *r->terms_version) { /* R20, for the sponsor only */
        char ts[REG_TIME_STRLEN];
        epp_w_start(w, "regd:terms");
        epp_w_attr(w, "version", r->terms_version);
        epp_w_attr(w, "accepted", clock_format(r->terms_accepted, ts, sizeof ts));
        epp_w_end(w);
    }
    epp_w_end(w);
}

struct epp_part epp_regd_infdata(const struct epp_regd_inf *d)
{
    return (struct epp_part){EPP_SVC_REG_DOMAIN, write_regd, d};
}

static void write_change(epp_writer *w, const void *data)
{
    const struct epp_change *c = data;
    epp_w_start_ns(w, "changePoll", "changeData", EPP_NS_CHANGEPOLL);
    epp_w_attr(w, "state", c->state);
    epp_w_elem(w, "changePoll:operation", c->operation);
    epp_w_elem_time(w, "changePoll:date", c->date);
    epp_w_elem(w, "changePoll:svTRID", c->svtrid);
    epp_w_elem(w, "changePoll:who", c->who);
    if (c->reason) {
        epp_w_start(w, "changePoll:reason");
        epp_w_attr(w, "lang", "en");
        epp_w_text(w, c->reason);
        epp_w_end(w);
    }
    epp_w_end(w);
}

struct epp_part epp_changepoll_data(const struct epp_change *d)
{
    return (struct epp_part){EPP_SVC_CHANGEPOLL, write_change, d};
}

/* ---- fee-1.0 ------------------------------------------------------------------------------ */

#define F(name) "fee:" name

static void write_period(epp_writer *w, int value, bool months)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", value);
    epp_w_start(w, F("period"));
    epp_w_attr(w, "unit", months ? "m" : "y");
    epp_w_text(w, buf);
    epp_w_end(w);
}

static void write_amount(epp_writer *w, const char *qname, const char *description,
                         const char *amount)
{
    epp_w_start(w, qname);
    if (description)
        epp_w_attr(w, "description", description);
    epp_w_text(w, amount);
    epp_w_end(w);
}

static void write_fee_command(epp_writer *w, const struct epp_fee_cmd_out *c)
{
    epp_w_start(w, F("command"));
    epp_w_attr(w, "name", c->name ? c->name : "");
    if (c->custom_name)
        epp_w_attr(w, "customName", c->custom_name);
    if (c->phase)
        epp_w_attr(w, "phase", c->phase);
    if (c->subphase)
        epp_w_attr(w, "subphase", c->subphase);
    if (c->fee) {
        epp_w_attr(w, "standard", "1"); /* every name is of the standard class */
        if (c->has_period)
            write_period(w, c->period, c->period_months);
        write_amount(w, F("fee"), c->description, c->fee);
    } else {
        if (c->has_period) /* the period we cannot price, as sent */
            write_period(w, c->period, c->period_months);
        epp_w_elem(w, F("reason"), c->reason);
    }
    epp_w_end(w);
}

static void write_fee_chk(epp_writer *w, const void *data)
{
    const struct epp_fee_chk *f = data;
    epp_w_start_ns(w, "fee", "chkData", EPP_NS_FEE);
    epp_w_elem(w, F("currency"), f->currency);
    for (size_t i = 0; i < f->ncds; i++) {
        const struct epp_fee_cd *cd = &f->cds[i];
        epp_w_start(w, F("cd"));
        epp_w_attr(w, "avail", cd->avail ? "1" : "0");
        epp_w_elem(w, F("objID"), cd->obj_id);
        if (cd->reason) {
            epp_w_elem(w, F("reason"), cd->reason);
        } else {
            epp_w_elem(w, F("class"), cd->class_name);
            for (size_t k = 0; k < cd->ncmds; k++)
                write_fee_command(w, &cd->cmds[k]);
        }
        epp_w_end(w);
    }
    epp_w_end(w);
}

struct epp_part epp_fee_chkdata(const struct epp_fee_chk *d)
{
    return (struct epp_part){EPP_SVC_FEE, write_fee_chk, d};
}

static void write_fee_result(epp_writer *w, const void *data)
{
    const struct epp_fee_result *f = data;
    epp_w_start_ns(w, "fee", f->element, EPP_NS_FEE);
    epp_w_elem(w, F("currency"), f->currency);
    if (f->has_period)
        write_period(w, f->years, false);
    write_amount(w, F("fee"), f->description, f->fee);
    write_amount(w, F("balance"), NULL, f->balance);
    epp_w_end(w);
}

struct epp_part epp_fee_data(const struct epp_fee_result *d)
{
    return (struct epp_part){EPP_SVC_FEE, write_fee_result, d};
}
