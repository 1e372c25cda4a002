/* EPP domain commands (RFC 5731, with RFC 5910 secDNS and RFC 3915 rgp):
 * XML → struct domain_* (registry/domain.h) → response. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epp/ns.h"
#include "epp/result.h"
#include "epp_fee.h"
#include "epp_internal.h"
#include "registry/domain.h"
#include "registry/otp.h"
#include "registry/poll.h"
#include "registry/management.h"

#define D(name) "domain:" name

/* Strings parsed from the request live until the command ends. */
struct strings {
    char *items[256];
    size_t n;
    int64_t wrong_otp; /* R16: a transfer request's wrong one-time password */
};

static const char *keep(struct strings *k, char *s)
{
    if (!s)
        return NULL;
    if (k->n == sizeof k->items / sizeof k->items[0]) {
        free(s);
        return "";
    }
    return k->items[k->n++] = s;
}

static void strings_free(void *data)
{
    struct strings *k = data;
    for (size_t i = 0; i < k->n; i++)
        free(k->items[i]);
    free(k);
}

static struct strings *strings_for(struct epp_ctx *c, reg_status *st)
{
    return epp_state_new(c, sizeof(struct strings), strings_free, st);
}

static xmlNodePtr ext_element(struct epp_ctx *c, const char *ns, const char *name)
{
    return epp_child(c->cmd.ext_node, ns, name);
}

/* <domain:period unit="y|m">N</domain:period> → months (0 if absent). */
static int period_months(xmlNodePtr parent)
{
    xmlNodePtr p = epp_child(parent, EPP_NS_DOMAIN, "period");
    if (!p)
        return 0;
    char *unit = epp_attr(p, "unit"), *v = epp_text(p);
    int n = atoi(v);
    int months = unit && !strcmp(unit, "m") ? n : n * 12;
    free(unit);
    free(v);
    return months;
}

static const char *auth_pw(struct strings *k, xmlNodePtr parent)
{
    xmlNodePtr ai = epp_child(parent, EPP_NS_DOMAIN, "authInfo");
    return keep(k, epp_child_text(ai, EPP_NS_DOMAIN, "pw"));
}

/* <domain:pw roid="…"> (RFC 5731 §2.6): with a roid, the password of
 * that contact object. */
static struct reg_authinfo auth_info(struct strings *k, xmlNodePtr parent)
{
    xmlNodePtr ai = epp_child(parent, EPP_NS_DOMAIN, "authInfo");
    xmlNodePtr pw = epp_child(ai, EPP_NS_DOMAIN, "pw");
    struct reg_authinfo a = {.pw = auth_pw(k, parent)};
    if (pw)
        a.roid = keep(k, epp_attr(pw, "roid"));
    return a;
}

static void write_time_if(epp_writer *w, const char *qname, reg_time t)
{
    if (t)
        epp_w_elem_time(w, qname, t);
}

/* ---- check --------------------------------------------------------------- */

static reg_err check_execute(struct epp_ctx *c, reg_status *st)
{
    struct reg_op op = epp_op(c);
    epp_reply(c, EPP_OK);
    epp_w_start(c->w, "resData");
    epp_w_start_ns(c->w, "domain", "chkData", EPP_NS_DOMAIN);
    for (xmlNodePtr n = epp_child(c->cmd.obj_node, EPP_NS_DOMAIN, "name"); n;
         n = epp_next_sibling(n, EPP_NS_DOMAIN, "name")) {
        char *name = epp_text(n);
        struct domain_name dn;
        struct domain_check_result r;
        reg_err e = domain_check(&op, name, &dn, &r, st);
        if (e) {
            free(name);
            return e;
        }
        epp_w_start(c->w, D("cd"));
        epp_w_start(c->w, D("name"));
        epp_w_attr(c->w, "avail", r.avail ? "1" : "0");
        epp_w_text(c->w, dn.alabel[0] ? dn.alabel : name);
        epp_w_end(c->w);
        if (!r.avail)
            epp_w_elem(c->w, D("reason"), r.reason);
        epp_w_end(c->w);
        free(name);
    }
    epp_w_end(c->w);
    epp_w_end(c->w);
    return epp_fee_check(c, st); /* RFC 8748 <fee:chkData> */
}

/* ---- info ---------------------------------------------------------------- */

static void write_ds_list(epp_writer *w, const struct ds_data *ds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char buf[16];
        epp_w_start(w, "secDNS:dsData");
        snprintf(buf, sizeof buf, "%d", ds[i].key_tag);
        epp_w_elem(w, "secDNS:keyTag", buf);
        snprintf(buf, sizeof buf, "%d", ds[i].alg);
        epp_w_elem(w, "secDNS:alg", buf);
        snprintf(buf, sizeof buf, "%d", ds[i].digest_type);
        epp_w_elem(w, "secDNS:digestType", buf);
        epp_w_elem(w, "secDNS:digest", ds[i].digest);
        epp_w_end(w);
    }
}

static void write_statuses(epp_writer *w, const struct domain *d)
{
    for (size_t i = 0; i < d->statuses.n; i++) {
        epp_w_start(w, D("status"));
        epp_w_attr(w, "s", d->statuses.items[i].name);
        if (d->statuses.items[i].message) {
            epp_w_attr(w, "lang", "en");
            epp_w_text(w, d->statuses.items[i].message);
        }
        epp_w_end(w);
    }
    const char *derived[2];
    size_t n = domain_derived_statuses(d, derived);
    for (size_t i = 0; i < n; i++) {
        epp_w_start(w, D("status"));
        epp_w_attr(w, "s", derived[i]);
        epp_w_end(w);
    }
}

static void write_hosts(epp_writer *w, const struct domain *d, const char *which)
{
    bool del = !strcmp(which, "all") || !strcmp(which, "del");
    bool sub = !strcmp(which, "all") || !strcmp(which, "sub");
    if (del && d->nns) {
        epp_w_start(w, D("ns"));
        for (size_t i = 0; i < d->nns; i++)
            epp_w_elem(w, D("hostObj"), d->ns[i]);
        epp_w_end(w);
    }
    for (size_t i = 0; sub && i < d->nsub; i++)
        epp_w_elem(w, D("host"), d->subordinates[i]);
}

/* R20: the terms the registrant accepted, for the sponsor only. */
static void write_terms(epp_writer *w, const struct domain *d)
{
    char ts[REG_TIME_STRLEN];
    epp_w_start(w, "regd:terms");
    epp_w_attr(w, "version", d->terms_version);
    epp_w_attr(w, "accepted", clock_format(d->terms_accepted_at, ts, sizeof ts));
    epp_w_end(w);
}

static void write_info_extensions(epp_writer *w, const struct domain *d, bool full,
                                  bool sponsor)
{
    bool ds = full && d->nds, rgp = d->rgp[0] != '\0';
    epp_w_start(w, "extension");
    if (ds) {
        epp_w_start_ns(w, "secDNS", "infData", EPP_NS_SECDNS);
        write_ds_list(w, d->ds, d->nds);
        epp_w_end(w);
    }
    if (rgp) {
        epp_w_start_ns(w, "rgp", "infData", EPP_NS_RGP);
        epp_w_start(w, "rgp:rgpStatus");
        epp_w_attr(w, "s", d->rgp);
        epp_w_end(w);
        epp_w_end(w);
    }
    epp_w_start_ns(w, "regd", "infData", EPP_NS_REG_DOMAIN);
    epp_w_elem(w, "regd:management", d->management);
    if (d->pending_action[0])
        epp_w_elem(w, "regd:pendingAction", d->pending_action);
    epp_w_elem(w, "regd:authInfoSet", d->has_authinfo ? "true" : "false");
    if (sponsor && d->terms_version[0])
        write_terms(w, d);
    epp_w_end(w);
    epp_w_end(w);
}

static reg_err info_execute(struct epp_ctx *c, reg_status *st)
{
    struct strings *k = strings_for(c, st);
    if (!k)
        return st->code;
    xmlNodePtr name_node = epp_child(c->cmd.obj_node, EPP_NS_DOMAIN, "name");
    const char *name = keep(k, epp_text(name_node));
    const char *hosts = keep(k, epp_attr(name_node, "hosts"));
    struct reg_op op = epp_op(c);
    struct domain d;
    bool full;
    struct reg_authinfo auth = auth_info(k, c->cmd.obj_node);
    if (domain_info(&op, name, &auth, &d, &full, st))
        return st->code;
    epp_writer *w = c->w;
    epp_reply(c, EPP_OK);
    epp_w_start(w, "resData");
    epp_w_start_ns(w, "domain", "infData", EPP_NS_DOMAIN);
    epp_w_elem(w, D("name"), d.name.alabel);
    epp_w_elem(w, D("roid"), d.roid);
    write_statuses(w, &d);
    if (full) {
        epp_w_elem(w, D("registrant"), d.registrant);
        for (size_t i = 0; i < d.ncontacts; i++) {
            epp_w_start(w, D("contact"));
            epp_w_attr(w, "type", d.contacts[i].role);
            epp_w_text(w, d.contacts[i].handle);
            epp_w_end(w);
        }
        write_hosts(w, &d, hosts ? hosts : "all");
    }
    epp_w_elem(w, D("clID"), d.sponsor);
    if (full) {
        epp_w_elem(w, D("crID"), d.creator);
        epp_w_elem_time(w, D("crDate"), d.created_at);
        if (d.updated_at) {
            if (d.updater[0]) /* jobs change domains without a registrar */
                epp_w_elem(w, D("upID"), d.updater);
            epp_w_elem_time(w, D("upDate"), d.updated_at);
        }
        epp_w_elem_time(w, D("exDate"), d.expires_at);
        write_time_if(w, D("trDate"), d.transferred_at);
        if (d.has_authinfo && !strcmp(op.actor, d.sponsor)) {
            /* RFC 9154: the value is never returned, only that it is set */
            epp_w_start(w, D("authInfo"));
            epp_w_elem(w, D("pw"), NULL);
            epp_w_end(w);
        }
    }
    epp_w_end(w);
    epp_w_end(w);
    write_info_extensions(w, &d, full, !strcmp(op.actor, d.sponsor));
    domain_free(&d);
    return REG_OK;
}

/* ---- create -------------------------------------------------------------- */

static reg_err read_ds(xmlNodePtr ds_node, struct ds_data *ds, reg_status *st)
{
    char *v;
    memset(ds, 0, sizeof *ds);
    v = epp_child_text(ds_node, EPP_NS_SECDNS, "keyTag");
    ds->key_tag = v ? atoi(v) : -1;
    free(v);
    v = epp_child_text(ds_node, EPP_NS_SECDNS, "alg");
    ds->alg = v ? atoi(v) : -1;
    free(v);
    v = epp_child_text(ds_node, EPP_NS_SECDNS, "digestType");
    ds->digest_type = v ? atoi(v) : -1;
    free(v);
    v = epp_child_text(ds_node, EPP_NS_SECDNS, "digest");
    if (!v || strlen(v) >= sizeof ds->digest) {
        free(v);
        return reg_fail(st, REG_ERR_POLICY, "digest is too long");
    }
    snprintf(ds->digest, sizeof ds->digest, "%s", v);
    free(v);
    return REG_OK;
}

/* dsData children of parent into ds[]; keyData is not supported (2306). */
static reg_err read_ds_list(xmlNodePtr parent, struct ds_data *ds, size_t *n, reg_status *st)
{
    if (epp_child(parent, EPP_NS_SECDNS, "keyData"))
        return reg_fail(st, REG_ERR_POLICY, "send DS records (secDNS:dsData), not keyData");
    if (epp_child(parent, EPP_NS_SECDNS, "maxSigLife"))
        return reg_fail(st, REG_ERR_UNIMPLEMENTED_OPTION, "maxSigLife is not supported");
    for (xmlNodePtr x = epp_child(parent, EPP_NS_SECDNS, "dsData"); x;
         x = epp_next_sibling(x, EPP_NS_SECDNS, "dsData")) {
        if (*n == DOMAIN_DS_MAX)
            return reg_fail(st, REG_ERR_POLICY, "at most %d DS records", DOMAIN_DS_MAX);
        if (read_ds(x, &ds[(*n)++], st))
            return st->code;
    }
    return REG_OK;
}

static reg_err read_ns(struct strings *k, xmlNodePtr parent, const char **ns, size_t *n,
                       reg_status *st)
{
    xmlNodePtr nsn = epp_child(parent, EPP_NS_DOMAIN, "ns");
    if (epp_child(nsn, EPP_NS_DOMAIN, "hostAttr"))
        return reg_fail(st, REG_ERR_POLICY,
                        "name servers are host objects here: create the host, then use hostObj");
    for (xmlNodePtr h = epp_child(nsn, EPP_NS_DOMAIN, "hostObj"); h;
         h = epp_next_sibling(h, EPP_NS_DOMAIN, "hostObj")) {
        if (*n == DOMAIN_NS_MAX)
            return reg_fail(st, REG_ERR_POLICY, "at most %d name servers", DOMAIN_NS_MAX);
        ns[(*n)++] = keep(k, epp_text(h));
    }
    return REG_OK;
}

static reg_err read_contacts(xmlNodePtr parent, struct domain_contact *out, size_t *n,
                             reg_status *st)
{
    for (xmlNodePtr x = epp_child(parent, EPP_NS_DOMAIN, "contact"); x;
         x = epp_next_sibling(x, EPP_NS_DOMAIN, "contact")) {
        if (*n == DOMAIN_CONTACTS_MAX)
            return reg_fail(st, REG_ERR_POLICY, "at most %d contacts", DOMAIN_CONTACTS_MAX);
        char *type = epp_attr(x, "type"), *id = epp_text(x);
        snprintf(out[*n].role, sizeof out[*n].role, "%s", type ? type : "");
        snprintf(out[*n].handle, sizeof out[*n].handle, "%s", id);
        (*n)++;
        free(type);
        free(id);
    }
    return REG_OK;
}

static reg_err create_execute(struct epp_ctx *c, reg_status *st)
{
    struct strings *k = strings_for(c, st);
    if (!k)
        return st->code;
    xmlNodePtr o = c->cmd.obj_node;
    struct domain_create in = {0};
    in.name = keep(k, epp_child_text(o, EPP_NS_DOMAIN, "name"));
    in.period_months = period_months(o);
    in.registrant = keep(k, epp_child_text(o, EPP_NS_DOMAIN, "registrant"));
    in.authinfo = auth_pw(k, o);
    if (read_ns(k, o, in.ns, &in.nns, st) || read_contacts(o, in.contacts, &in.ncontacts, st))
        return st->code;
    xmlNodePtr sec = ext_element(c, EPP_NS_SECDNS, "create");
    if (sec && read_ds_list(sec, in.ds, &in.nds, st))
        return st->code;
    xmlNodePtr regd = ext_element(c, EPP_NS_REG_DOMAIN, "create");
    in.management = keep(k, epp_child_text(regd, EPP_NS_REG_DOMAIN, "management"));
    xmlNodePtr terms = epp_child(regd, EPP_NS_REG_DOMAIN, "terms"); /* R20 */
    in.terms_version = keep(k, epp_attr(terms, "version"));
    in.terms_accepted = keep(k, epp_attr(terms, "accepted"));
    struct reg_op op = epp_op(c);
    struct domain d;
    struct epp_fee fee;
    if (epp_fee_agree(c, "create", "create", in.period_months, &fee, st) ||
        domain_create(&op, &in, &d, st))
        return st->code;
    epp_reply(c, EPP_OK);
    epp_w_start(c->w, "resData");
    epp_w_start_ns(c->w, "domain", "creData", EPP_NS_DOMAIN);
    epp_w_elem(c->w, D("name"), d.name.alabel);
    epp_w_elem_time(c->w, D("crDate"), d.created_at);
    epp_w_elem_time(c->w, D("exDate"), d.expires_at);
    epp_w_end(c->w);
    epp_w_end(c->w);
    domain_free(&d);
    return epp_fee_write_extension(c, &fee, st);
}

/* ---- update -------------------------------------------------------------- */

static reg_err read_status_list(struct strings *k, xmlNodePtr parent, const char **names,
                                const char **msgs, size_t *n, reg_status *st)
{
    for (xmlNodePtr x = epp_child(parent, EPP_NS_DOMAIN, "status"); x;
         x = epp_next_sibling(x, EPP_NS_DOMAIN, "status")) {
        if (*n == STATUS_MAX)
            return reg_fail(st, REG_ERR_POLICY, "too many statuses");
        names[*n] = keep(k, epp_attr(x, "s"));
        char *text = epp_text(x);
        if (msgs)
            msgs[*n] = *text ? keep(k, text) : (free(text), NULL);
        else
            free(text);
        (*n)++;
    }
    return REG_OK;
}

static reg_err read_update(struct epp_ctx *c, struct strings *k, struct domain_update *u,
                           reg_status *st)
{
    xmlNodePtr o = c->cmd.obj_node;
    u->name = keep(k, epp_child_text(o, EPP_NS_DOMAIN, "name"));
    xmlNodePtr add = epp_child(o, EPP_NS_DOMAIN, "add"), rem = epp_child(o, EPP_NS_DOMAIN, "rem");
    xmlNodePtr chg = epp_child(o, EPP_NS_DOMAIN, "chg");
    if (read_ns(k, add, u->add_ns, &u->nadd_ns, st) || read_ns(k, rem, u->rem_ns, &u->nrem_ns, st) ||
        read_contacts(add, u->add_contacts, &u->nadd_contacts, st) ||
        read_contacts(rem, u->rem_contacts, &u->nrem_contacts, st) ||
        read_status_list(k, add, u->add_status, u->add_status_msg, &u->nadd_status, st) ||
        read_status_list(k, rem, u->rem_status, NULL, &u->nrem_status, st))
        return st->code;
    u->chg_registrant = keep(k, epp_child_text(chg, EPP_NS_DOMAIN, "registrant"));
    xmlNodePtr ai = epp_child(chg, EPP_NS_DOMAIN, "authInfo");
    if (ai) {
        u->chg_authinfo = true;
        u->authinfo = keep(k, epp_child_text(ai, EPP_NS_DOMAIN, "pw")); /* <null/> → NULL */
    }
    xmlNodePtr sec = ext_element(c, EPP_NS_SECDNS, "update");
    if (sec) {
        xmlNodePtr srem = epp_child(sec, EPP_NS_SECDNS, "rem");
        char *all = epp_child_text(srem, EPP_NS_SECDNS, "all"); /* xs:boolean */
        u->rem_all_ds = all && (!strcmp(all, "true") || !strcmp(all, "1"));
        free(all);
        if (epp_child(sec, EPP_NS_SECDNS, "chg"))
            return reg_fail(st, REG_ERR_UNIMPLEMENTED_OPTION, "maxSigLife is not supported");
        if (read_ds_list(srem, u->rem_ds, &u->nrem_ds, st) ||
            read_ds_list(epp_child(sec, EPP_NS_SECDNS, "add"), u->add_ds, &u->nadd_ds, st))
            return st->code;
    }
    return REG_OK;
}

/* <regd:update|delete><regd:verified/> (R8). */
static bool verified(struct epp_ctx *c, const char *verb)
{
    return epp_child(ext_element(c, EPP_NS_REG_DOMAIN, verb), EPP_NS_REG_DOMAIN, "verified");
}

static reg_err update_execute(struct epp_ctx *c, reg_status *st)
{
    struct strings *k = strings_for(c, st);
    if (!k)
        return st->code;
    struct domain_update u = {0};
    if (read_update(c, k, &u, st))
        return st->code;
    struct reg_op op = epp_op(c);
    struct epp_fee fee;
    xmlNodePtr restore = epp_child(ext_element(c, EPP_NS_RGP, "update"), EPP_NS_RGP, "restore");
    if (restore) {
        char *rop = epp_attr(restore, "op");
        bool report = rop && !strcmp(rop, "report");
        free(rop);
        if (report) /* restore takes effect on request: there is nothing to report */
            return reg_fail(st, REG_ERR_POLICY, "restore reports are not needed here: a restore "
                                                "request restores the domain at once");
        if (epp_fee_agree(c, "update", "restore", 12, &fee, st) ||
            domain_restore(&op, u.name, st))
            return st->code;
        epp_reply(c, EPP_OK);
        epp_w_start(c->w, "extension");
        epp_w_start_ns(c->w, "rgp", "upData", EPP_NS_RGP);
        epp_w_start(c->w, "rgp:rgpStatus");
        epp_w_attr(c->w, "s", "pendingRestore"); /* the state the request passed through */
        epp_w_end(c->w);
        epp_w_end(c->w);
        reg_err e = epp_fee_write_data(c, &fee, st);
        epp_w_end(c->w);
        return e;
    }
    bool pending = false;
    if (epp_fee_agree(c, "update", NULL, 0, &fee, st) ||
        domain_update_request(&op, &u, verified(c, "update"), &pending, st))
        return st->code;
    epp_reply(c, pending ? EPP_OK_PENDING : EPP_OK);
    return epp_fee_write_extension(c, &fee, st);
}

/* ---- delete, renew ------------------------------------------------------- */

static reg_err delete_execute(struct epp_ctx *c, reg_status *st)
{
    char *name = epp_child_text(c->cmd.obj_node, EPP_NS_DOMAIN, "name");
    struct reg_op op = epp_op(c);
    enum domain_delete_outcome outcome;
    reg_err e = domain_delete_request(&op, name, verified(c, "delete"), &outcome, st);
    free(name);
    if (e)
        return e;
    epp_reply(c, outcome == DOMAIN_DELETE_DONE ? EPP_OK : EPP_OK_PENDING);
    return REG_OK;
}

static reg_err renew_execute(struct epp_ctx *c, reg_status *st)
{
    struct strings *k = strings_for(c, st);
    if (!k)
        return st->code;
    xmlNodePtr o = c->cmd.obj_node;
    const char *name = keep(k, epp_child_text(o, EPP_NS_DOMAIN, "name"));
    const char *cur = keep(k, epp_child_text(o, EPP_NS_DOMAIN, "curExpDate"));
    struct reg_op op = epp_op(c);
    reg_time expiry;
    struct epp_fee fee;
    bool registrant_pays; /* R19: then the registrar is charged nothing */
    if (management_registrant_pays(&op, name, &registrant_pays, st) ||
        epp_fee_agree(c, "renew", registrant_pays ? NULL : "renew", period_months(o), &fee, st) ||
        domain_renew(&op, name, cur, period_months(o), &expiry, st))
        return st->code;
    struct domain_name dn;
    names_domain(&op.policy->names, name, &dn, st);
    epp_reply(c, EPP_OK);
    epp_w_start(c->w, "resData");
    epp_w_start_ns(c->w, "domain", "renData", EPP_NS_DOMAIN);
    epp_w_elem(c->w, D("name"), dn.alabel);
    epp_w_elem_time(c->w, D("exDate"), expiry);
    epp_w_end(c->w);
    epp_w_end(c->w);
    return epp_fee_write_extension(c, &fee, st);
}

/* ---- transfer ------------------------------------------------------------ */

static void write_trn(epp_writer *w, const struct domain_transfer_info *t)
{
    epp_w_start_ns(w, "domain", "trnData", EPP_NS_DOMAIN);
    epp_w_elem(w, D("name"), t->name);
    epp_w_elem(w, D("trStatus"), t->status);
    epp_w_elem(w, D("reID"), t->gaining);
    epp_w_elem_time(w, D("reDate"), t->requested_at);
    epp_w_elem(w, D("acID"), t->losing);
    epp_w_elem_time(w, D("acDate"), t->action_at);
    if (t->has_expiry)
        epp_w_elem_time(w, D("exDate"), t->new_expires_at);
    epp_w_end(w);
}

static void write_poll_transfer(epp_writer *w, const struct poll_transfer *p)
{
    struct domain_transfer_info t = {.requested_at = p->requested_at,
                                     .action_at = p->action_at,
                                     .has_expiry = p->has_expiry,
                                     .new_expires_at = p->new_expires_at};
    snprintf(t.name, sizeof t.name, "%s", p->name);
    snprintf(t.status, sizeof t.status, "%s", p->status);
    snprintf(t.gaining, sizeof t.gaining, "%s", p->gaining);
    snprintf(t.losing, sizeof t.losing, "%s", p->losing);
    epp_w_start(w, "resData");
    write_trn(w, &t);
    epp_w_end(w);
}

/* domain:infData of the domain a change poll message carries: its stored
 * statuses without their texts, no hosts, DS or auth info. */
static void write_poll_infdata(epp_writer *w, const struct domain *d)
{
    epp_w_start(w, "resData");
    epp_w_start_ns(w, "domain", "infData", EPP_NS_DOMAIN);
    epp_w_elem(w, D("name"), d->name.alabel);
    epp_w_elem(w, D("roid"), d->roid);
    for (size_t i = 0; i < d->statuses.n; i++) {
        epp_w_start(w, D("status"));
        epp_w_attr(w, "s", d->statuses.items[i].name);
        epp_w_end(w);
    }
    bool inactive = d->nns == 0;
    if (inactive || d->statuses.n == 0) {
        epp_w_start(w, D("status"));
        epp_w_attr(w, "s", inactive ? "inactive" : "ok");
        epp_w_end(w);
    }
    epp_w_elem(w, D("registrant"), d->registrant);
    for (size_t i = 0; i < d->ncontacts; i++) {
        epp_w_start(w, D("contact"));
        epp_w_attr(w, "type", d->contacts[i].role);
        epp_w_text(w, d->contacts[i].handle);
        epp_w_end(w);
    }
    if (d->nns) {
        epp_w_start(w, D("ns"));
        for (size_t i = 0; i < d->nns; i++)
            epp_w_elem(w, D("hostObj"), d->ns[i]);
        epp_w_end(w);
    }
    epp_w_elem(w, D("clID"), d->sponsor);
    epp_w_elem(w, D("crID"), d->creator);
    epp_w_elem_time(w, D("crDate"), d->created_at);
    if (d->updated_at) {
        epp_w_elem(w, D("upID"), d->updater[0] ? d->updater : d->sponsor);
        epp_w_elem_time(w, D("upDate"), d->updated_at);
    }
    epp_w_elem_time(w, D("exDate"), d->expires_at);
    epp_w_end(w);
    epp_w_end(w);
}

static void write_poll_change(epp_writer *w, const struct poll_change *c)
{
    write_poll_infdata(w, &c->domain);
    epp_w_start(w, "extension");
    epp_w_start_ns(w, "changePoll", "changeData", EPP_NS_CHANGEPOLL);
    epp_w_attr(w, "state", c->before ? "before" : "after");
    epp_w_elem(w, "changePoll:operation", c->operation);
    epp_w_elem_time(w, "changePoll:date", c->date);
    epp_w_elem(w, "changePoll:svTRID", c->svtrid);
    epp_w_elem(w, "changePoll:who", c->who);
    if (c->has_reason) {
        epp_w_start(w, "changePoll:reason");
        epp_w_attr(w, "lang", "en");
        epp_w_text(w, c->reason);
        epp_w_end(w);
    }
    epp_w_end(w);
    epp_w_end(w);
}

/* RFC 5731 §3.3: how a command answered 1001 ended (R7's confirmations). */
static void write_poll_pending(epp_writer *w, const struct poll_pending *p)
{
    epp_w_start(w, "resData");
    epp_w_start_ns(w, "domain", "panData", EPP_NS_DOMAIN);
    epp_w_start(w, D("name"));
    epp_w_attr(w, "paResult", p->result ? "1" : "0");
    epp_w_text(w, p->name);
    epp_w_end(w);
    epp_w_start(w, D("paTRID"));
    if (p->cltrid[0])
        epp_w_elem(w, "clTRID", p->cltrid);
    epp_w_elem(w, "svTRID", p->svtrid);
    epp_w_end(w);
    epp_w_elem_time(w, D("paDate"), p->date);
    epp_w_end(w);
    epp_w_end(w);
}

void epp_domain_write_poll_data(epp_writer *w, const struct poll_msg *m)
{
    if (m->kind == POLL_TRANSFER && m->u.transfer.object == POLL_OBJ_DOMAIN)
        write_poll_transfer(w, &m->u.transfer);
    else if (m->kind == POLL_CHANGE)
        write_poll_change(w, &m->u.change);
    else if (m->kind == POLL_PENDING)
        write_poll_pending(w, &m->u.pending);
}

/* R16: <transfer op="request"> with <regd:otp channel="email|sms"/> has the
 * registry send the registrant a one-time password; nothing is transferred
 * yet, so the answer is 1001 without trnData, and <msg> says what to do. */
static reg_err otp_request_execute(struct epp_ctx *c, struct strings *k, const char *name,
                                   xmlNodePtr otp, reg_status *st)
{
    if (auth_pw(k, c->cmd.obj_node))
        return reg_fail(st, REG_ERR_POLICY,
                        "<regd:otp> asks for a one-time password: send it without "
                        "<domain:authInfo>, then the password as authInfo in a transfer request");
    const char *channel = keep(k, epp_attr(otp, "channel"));
    struct reg_op op = epp_op(c);
    struct otp_sent sent;
    if (otp_request(&op, name, channel, &sent, st))
        return st->code;
    char until[REG_TIME_STRLEN], msg[NAME_MAX_LEN + 300];
    snprintf(msg, sizeof msg,
             "A one-time password for %s was sent to the registrant by %s, valid until %s; "
             "nothing is transferred yet: request the transfer with the password as "
             "<domain:authInfo>",
             sent.domain, strcmp(sent.channel, "sms") ? "e-mail" : "SMS",
             clock_format(sent.expires_at, until, sizeof until));
    epp_reply_msg(c, EPP_OK_PENDING, msg);
    return REG_OK;
}

/* after_failure of a transfer request with a wrong one-time password */
static reg_err count_wrong_otp(struct epp_ctx *c, reg_status *st)
{
    struct strings *k = c->data;
    struct reg_op op = epp_op(c);
    return otp_count_wrong(&op, k->wrong_otp, st);
}

static reg_err transfer_execute(struct epp_ctx *c, reg_status *st)
{
    static const struct {
        const char *name;
        transfer_op op;
    } ops[] = {{"request", XFER_REQUEST}, {"query", XFER_QUERY},   {"approve", XFER_APPROVE},
               {"reject", XFER_REJECT},   {"cancel", XFER_CANCEL}};
    transfer_op top = XFER_QUERY;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (!strcmp(c->cmd.transfer_op, ops[i].name))
            top = ops[i].op;
    struct strings *k = strings_for(c, st);
    if (!k)
        return st->code;
    xmlNodePtr o = c->cmd.obj_node;
    const char *name = keep(k, epp_child_text(o, EPP_NS_DOMAIN, "name"));
    xmlNodePtr otp = epp_child(ext_element(c, EPP_NS_REG_DOMAIN, "transfer"), EPP_NS_REG_DOMAIN,
                               "otp");
    if (otp && top != XFER_REQUEST)
        return reg_fail(st, REG_ERR_POLICY, "<regd:otp> belongs in <transfer op=\"request\">");
    if (otp)
        return otp_request_execute(c, k, name, otp, st);
    struct reg_op op = epp_op(c);
    struct domain_transfer_info t = {0};
    bool pending;
    struct epp_fee fee = {0}; /* RFC 8748 fees apply to requests only */
    if (top == XFER_REQUEST && epp_fee_agree(c, "transfer", "transfer", period_months(o), &fee, st))
        return st->code;
    struct reg_authinfo auth = auth_info(k, o);
    if (domain_transfer(&op, top, name, &auth, period_months(o), &t, &pending, st)) {
        k->wrong_otp = t.wrong_otp;
        if (t.wrong_otp)
            c->after_failure = count_wrong_otp;
        return st->code;
    }
    epp_reply(c, pending ? EPP_OK_PENDING : EPP_OK);
    epp_w_start(c->w, "resData");
    write_trn(c->w, &t);
    epp_w_end(c->w);
    return epp_fee_write_extension(c, &fee, st);
}

const struct epp_handler epp_domain_handlers[] = {
    {EPP_CMD_CHECK, EPP_OBJ_DOMAIN, true, NULL, check_execute, true},
    {EPP_CMD_INFO, EPP_OBJ_DOMAIN, true, NULL, info_execute, true},
    {EPP_CMD_CREATE, EPP_OBJ_DOMAIN, true, NULL, create_execute, false},
    {EPP_CMD_UPDATE, EPP_OBJ_DOMAIN, true, NULL, update_execute, false},
    {EPP_CMD_DELETE, EPP_OBJ_DOMAIN, true, NULL, delete_execute, false},
    {EPP_CMD_RENEW, EPP_OBJ_DOMAIN, true, NULL, renew_execute, false},
    {EPP_CMD_TRANSFER, EPP_OBJ_DOMAIN, true, NULL, transfer_execute, false},
    {0, 0, false, NULL, NULL, false},
};
