/* Domain commands (RFC 5731) with their extensions: secDNS-1.1 (RFC 5910),
 * rgp-1.0 (RFC 3915), fee-1.0 (RFC 8748) and registryd's domain-ext-1.0. */
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"

#define NS EPP_NS_DOMAIN

/* ---- extensions ------------------------------------------------------------------- */

static reg_err read_ds_list(struct dctx *d, xmlNodePtr parent, struct epp_ds_list *out)
{
    size_t n = epp_count(parent, EPP_NS_SECDNS, "dsData");
    out->items = arena_calloc(d->a, n ? n : 1, sizeof *out->items);
    out->n = 0;
    for (xmlNodePtr x = epp_child(parent, EPP_NS_SECDNS, "dsData"); x && out->items;
         x = epp_next_sibling(x, EPP_NS_SECDNS, "dsData")) {
        struct epp_ds *ds = &out->items[out->n++];
        char *v;
        v = xa_child_text(d->a, x, EPP_NS_SECDNS, "keyTag");
        ds->key_tag = v ? atoi(v) : -1; /* xs:unsignedShort */
        v = xa_child_text(d->a, x, EPP_NS_SECDNS, "alg");
        ds->alg = v ? atoi(v) : -1; /* xs:unsignedByte */
        v = xa_child_text(d->a, x, EPP_NS_SECDNS, "digestType");
        ds->digest_type = v ? atoi(v) : -1;
        ds->digest = xa_child_text(d->a, x, EPP_NS_SECDNS, "digest");
    }
    return arena_failed(d->a) ? dctx_nomem(d) : REG_OK;
}

static reg_err read_secdns_create(struct dctx *d, struct epp_secdns_create *out)
{
    xmlNodePtr sec = dctx_ext(d, EPP_NS_SECDNS, "create");
    if (!sec)
        return REG_OK;
    out->given = true;
    out->key_data = epp_child(sec, EPP_NS_SECDNS, "keyData") != NULL;
    out->max_sig_life = epp_child(sec, EPP_NS_SECDNS, "maxSigLife") != NULL;
    return read_ds_list(d, sec, &out->ds);
}

static reg_err read_secdns_update(struct dctx *d, struct epp_secdns_update *out)
{
    xmlNodePtr sec = dctx_ext(d, EPP_NS_SECDNS, "update");
    if (!sec)
        return REG_OK;
    out->given = true;
    xmlNodePtr rem = epp_child(sec, EPP_NS_SECDNS, "rem"), add = epp_child(sec, EPP_NS_SECDNS, "add");
    char *all = xa_child_text(d->a, rem, EPP_NS_SECDNS, "all"); /* xs:boolean */
    out->rem_all = all && (!strcmp(all, "true") || !strcmp(all, "1"));
    out->max_sig_life = epp_child(sec, EPP_NS_SECDNS, "chg") != NULL;
    out->key_data = epp_child(rem, EPP_NS_SECDNS, "keyData") || epp_child(add, EPP_NS_SECDNS, "keyData");
    if (read_ds_list(d, rem, &out->rem) || read_ds_list(d, add, &out->add))
        return d->st->code;
    return REG_OK;
}

static void read_fee_agreement(struct dctx *d, const char *verb, struct epp_fee_agreement *out)
{
    xmlNodePtr x = dctx_ext(d, EPP_NS_FEE, verb);
    if (!x)
        return;
    out->given = true;
    out->currency = xa_child_text(d->a, x, EPP_NS_FEE, "currency");
    size_t n = epp_count(x, EPP_NS_FEE, "fee") + epp_count(x, EPP_NS_FEE, "credit");
    out->amounts = arena_calloc(d->a, n ? n : 1, sizeof *out->amounts);
    for (xmlNodePtr e = epp_child(x, EPP_NS_FEE, NULL); e && out->amounts;
         e = epp_next_sibling(e, EPP_NS_FEE, NULL))
        if (!strcmp((const char *)e->name, "fee") || !strcmp((const char *)e->name, "credit"))
            out->amounts[out->namounts++] = xa_text(d->a, e);
}

static void read_fee_check(struct dctx *d, struct epp_fee_check *out)
{
    xmlNodePtr x = dctx_ext(d, EPP_NS_FEE, "check");
    if (!x)
        return;
    out->given = true;
    out->currency = xa_child_text(d->a, x, EPP_NS_FEE, "currency");
    size_t n = epp_count(x, EPP_NS_FEE, "command");
    out->commands = arena_calloc(d->a, n ? n : 1, sizeof *out->commands);
    for (xmlNodePtr c = epp_child(x, EPP_NS_FEE, "command"); c && out->commands;
         c = epp_next_sibling(c, EPP_NS_FEE, "command")) {
        struct epp_fee_command *fc = &out->commands[out->ncommands++];
        fc->name = xa_attr(d->a, c, "name");
        fc->custom_name = xa_attr(d->a, c, "customName");
        fc->phase = xa_attr(d->a, c, "phase");
        fc->subphase = xa_attr(d->a, c, "subphase");
        decode_period(d, c, EPP_NS_FEE, &fc->period);
    }
}

/* <regd:VERB><regd:verified/></regd:VERB> (R8) */
static bool verified(struct dctx *d, const char *verb)
{
    return epp_child(dctx_ext(d, EPP_NS_REG_DOMAIN, verb), EPP_NS_REG_DOMAIN, "verified");
}

/* ---- the object ---------------------------------------------------------------------- */

static reg_err read_ns(struct dctx *d, xmlNodePtr parent, struct epp_domain_ns *out)
{
    xmlNodePtr ns = epp_child(parent, NS, "ns");
    out->host_attr = epp_child(ns, NS, "hostAttr") != NULL;
    /* the schema allows at most 13 per element */
    return decode_names(d, ns, NS, "hostObj", EPP_CHECK_MAX, "name servers", &out->host_objs);
}

static reg_err read_contacts(struct dctx *d, xmlNodePtr parent, struct epp_domain_contacts *out)
{
    size_t n = epp_count(parent, NS, "contact");
    out->items = arena_calloc(d->a, n ? n : 1, sizeof *out->items);
    out->n = 0;
    for (xmlNodePtr x = epp_child(parent, NS, "contact"); x && out->items;
         x = epp_next_sibling(x, NS, "contact")) {
        struct epp_domain_contact *c = &out->items[out->n++];
        c->type = xa_attr(d->a, x, "type");
        c->id = xa_token(d->a, x);
    }
    return arena_failed(d->a) ? dctx_nomem(d) : REG_OK;
}

static reg_err read_change(struct dctx *d, xmlNodePtr parent, struct epp_domain_change *out)
{
    if (read_ns(d, parent, &out->ns) || read_contacts(d, parent, &out->contacts))
        return d->st->code;
    return decode_statuses(d, parent, NS, &out->statuses, &out->nstatuses);
}

static char *name_of(struct dctx *d)
{
    return xa_child_text(d->a, d->obj, NS, "name");
}

static reg_err check(struct dctx *d)
{
    struct epp_domain_check *c = &d->r->u.domain_check;
    read_fee_check(d, &c->fee);
    return decode_names(d, d->obj, NS, "name", EPP_CHECK_MAX, "names or ids per check", &c->names);
}

static reg_err info(struct dctx *d)
{
    struct epp_domain_info *i = &d->r->u.domain_info;
    xmlNodePtr name = epp_child(d->obj, NS, "name");
    i->name = xa_text(d->a, name);
    i->hosts = xa_attr(d->a, name, "hosts");
    if (!i->hosts)
        i->hosts = "all"; /* the schema's default */
    decode_authinfo(d, d->obj, NS, &i->auth);
    return REG_OK;
}

static reg_err create(struct dctx *d)
{
    struct epp_domain_create *c = &d->r->u.domain_create;
    xmlNodePtr o = d->obj;
    c->name = name_of(d);
    decode_period(d, o, NS, &c->period);
    c->registrant = xa_child_text(d->a, o, NS, "registrant");
    decode_authinfo(d, o, NS, &c->auth);
    xmlNodePtr regd = dctx_ext(d, EPP_NS_REG_DOMAIN, "create");
    c->management = xa_child_text(d->a, regd, EPP_NS_REG_DOMAIN, "management");
    xmlNodePtr terms = epp_child(regd, EPP_NS_REG_DOMAIN, "terms"); /* R20 */
    c->terms_version = xa_attr(d->a, terms, "version");
    c->terms_accepted = xa_attr(d->a, terms, "accepted");
    read_fee_agreement(d, "create", &c->fee);
    if (read_ns(d, o, &c->ns) || read_contacts(d, o, &c->contacts))
        return d->st->code;
    return read_secdns_create(d, &c->secdns);
}

static reg_err update(struct dctx *d)
{
    struct epp_domain_update *u = &d->r->u.domain_update;
    xmlNodePtr o = d->obj;
    u->name = name_of(d);
    if (read_change(d, epp_child(o, NS, "add"), &u->add) ||
        read_change(d, epp_child(o, NS, "rem"), &u->rem))
        return d->st->code;
    xmlNodePtr chg = epp_child(o, NS, "chg");
    u->chg_registrant = xa_child_text(d->a, chg, NS, "registrant");
    decode_authinfo(d, chg, NS, &u->chg_auth);
    xmlNodePtr restore = epp_child(dctx_ext(d, EPP_NS_RGP, "update"), EPP_NS_RGP, "restore");
    if (restore) {
        char *op = xa_attr(d->a, restore, "op");
        u->restore = op && !strcmp(op, "report") ? EPP_RESTORE_REPORT : EPP_RESTORE_REQUEST;
    }
    u->verified = verified(d, "update");
    read_fee_agreement(d, "update", &u->fee);
    return read_secdns_update(d, &u->secdns);
}

static reg_err delete(struct dctx *d)
{
    d->r->u.domain_delete.name = name_of(d);
    d->r->u.domain_delete.verified = verified(d, "delete");
    return REG_OK;
}

static reg_err renew(struct dctx *d)
{
    struct epp_domain_renew *r = &d->r->u.domain_renew;
    r->name = name_of(d);
    r->cur_exp_date = xa_child_text(d->a, d->obj, NS, "curExpDate");
    decode_period(d, d->obj, NS, &r->period);
    read_fee_agreement(d, "renew", &r->fee);
    return REG_OK;
}

static reg_err transfer(struct dctx *d)
{
    struct epp_domain_transfer *t = &d->r->u.domain_transfer;
    if (decode_xfer_op(d, &t->op))
        return d->st->code;
    t->name = name_of(d);
    decode_period(d, d->obj, NS, &t->period);
    decode_authinfo(d, d->obj, NS, &t->auth);
    xmlNodePtr otp = epp_child(dctx_ext(d, EPP_NS_REG_DOMAIN, "transfer"), EPP_NS_REG_DOMAIN, "otp");
    t->otp_channel = xa_attr(d->a, otp, "channel"); /* required by the schema */
    read_fee_agreement(d, "transfer", &t->fee);
    return REG_OK;
}

reg_err decode_domain(struct dctx *d)
{
    static reg_err (*const decoders[EPP_CMD__COUNT])(struct dctx *) = {
        [EPP_CMD_CHECK] = check,   [EPP_CMD_INFO] = info,   [EPP_CMD_CREATE] = create,
        [EPP_CMD_UPDATE] = update, [EPP_CMD_DELETE] = delete, [EPP_CMD_RENEW] = renew,
        [EPP_CMD_TRANSFER] = transfer,
    };
    reg_err (*decode)(struct dctx *) = decoders[d->r->kind];
    return decode ? decode(d)
                  : reg_fail(d->st, REG_ERR_SYNTAX, "%s has no %s command",
                             epp_obj_kind_name(d->r->obj), epp_cmd_kind_name(d->r->kind));
}
