/* Domain commands (RFC 5731 with RFC 5910 secDNS, RFC 3915 rgp, RFC 8748
 * fees and domain-ext): the decoded request → registry/domain.h → typed
 * results. */
#include <stdio.h>
#include <string.h>

#include "eppd_internal.h"
#include "registry/domain.h"
#include "registry/management.h"
#include "registry/otp.h"

static const char *opt(const char *s) { return s && *s ? s : NULL; }

/* <domain:pw roid="…"> (RFC 5731 §2.6): with a roid, the password of that
 * contact object. */
static struct reg_authinfo auth_of(const struct epp_authinfo *a)
{
    return (struct reg_authinfo){.pw = eppd_pw(a), .roid = a->given ? a->roid : NULL};
}

/* ---- check ------------------------------------------------------------------------ */

static reg_err check_execute(struct eppd_cmd *c)
{
    const struct epp_domain_check *in = &c->req.u.domain_check;
    struct reg_op op = eppd_op(c);
    struct epp_check_data *out = EPPD_NEW(c, struct epp_check_data);
    struct epp_check_item *items = out ? EPPD_ARRAY(c, struct epp_check_item, in->names.n) : NULL;
    if (!items)
        return c->st.code;
    *out = (struct epp_check_data){EPP_SVC_DOMAIN, items, in->names.n};
    for (size_t i = 0; i < in->names.n; i++) {
        struct domain_name dn;
        struct domain_check_result r;
        if (domain_check(&op, in->names.items[i], &dn, &r, &c->st))
            return c->st.code;
        items[i].key = eppd_strdup(c, dn.alabel[0] ? dn.alabel : in->names.items[i]);
        items[i].avail = r.avail;
        items[i].reason = r.avail ? NULL : eppd_strdup(c, r.reason);
    }
    eppd_ok(c, EPP_OK);
    c->resp.resdata = epp_chkdata(out);
    return eppd_fee_check(c, in); /* RFC 8748 <fee:chkData> */
}

/* ---- info ------------------------------------------------------------------------- */

static void domain_release(void *d) { domain_free(d); }

/* A loaded domain that lives until the command is released. */
static struct domain *new_domain(struct eppd_cmd *c)
{
    struct domain *d = EPPD_NEW(c, struct domain);
    if (d)
        eppd_defer(c, domain_release, d);
    return d;
}

/* The stored statuses (with their messages) and the derived ones. */
static reg_err statuses_of(struct eppd_cmd *c, const struct domain *d, struct epp_domain_inf *out)
{
    const char *derived[2];
    size_t nd = domain_derived_statuses(d, derived);
    out->statuses = EPPD_ARRAY(c, struct epp_status_out, d->statuses.n + nd);
    if (!out->statuses)
        return c->st.code;
    for (size_t i = 0; i < d->statuses.n; i++)
        out->statuses[out->nstatuses++] =
            (struct epp_status_out){d->statuses.items[i].name, d->statuses.items[i].message};
    for (size_t i = 0; i < nd; i++)
        out->statuses[out->nstatuses++] = (struct epp_status_out){derived[i], NULL};
    return REG_OK;
}

static reg_err infdata(struct eppd_cmd *c, const struct domain *d, bool full, const char *hosts,
                       struct epp_domain_inf *out)
{
    bool sponsor = !strcmp(c->session->clid, d->sponsor);
    *out = (struct epp_domain_inf){
        .name = d->name.alabel, .roid = d->roid, .full = full, .registrant = d->registrant,
        .cl_id = d->sponsor, .cr_id = d->creator, .up_id = opt(d->updater),
        .cr_date = d->created_at, .up_date = d->updated_at, .ex_date = d->expires_at,
        .tr_date = d->transferred_at, .authinfo_set = d->has_authinfo && sponsor,
    };
    out->contacts = EPPD_ARRAY(c, struct epp_domain_contact_out, d->ncontacts);
    out->ns = EPPD_ARRAY(c, const char *, d->nns);
    out->hosts = EPPD_ARRAY(c, const char *, d->nsub);
    if (!out->contacts || !out->ns || !out->hosts)
        return c->st.code;
    for (size_t i = 0; i < d->ncontacts; i++)
        out->contacts[out->ncontacts++] =
            (struct epp_domain_contact_out){d->contacts[i].role, d->contacts[i].handle};
    bool del = !strcmp(hosts, "all") || !strcmp(hosts, "del");
    bool sub = !strcmp(hosts, "all") || !strcmp(hosts, "sub");
    for (size_t i = 0; del && i < d->nns; i++)
        out->ns[out->nns++] = d->ns[i];
    for (size_t i = 0; sub && i < d->nsub; i++)
        out->hosts[out->nhosts++] = d->subordinates[i];
    return statuses_of(c, d, out);
}

static reg_err info_extensions(struct eppd_cmd *c, const struct domain *d, bool full)
{
    if (full && d->nds) {
        struct epp_secdns_inf *s = EPPD_NEW(c, struct epp_secdns_inf);
        struct epp_ds_out *ds = s ? EPPD_ARRAY(c, struct epp_ds_out, d->nds) : NULL;
        if (!ds)
            return c->st.code;
        for (size_t i = 0; i < d->nds; i++)
            ds[i] = (struct epp_ds_out){d->ds[i].key_tag, d->ds[i].alg, d->ds[i].digest_type,
                                        d->ds[i].digest};
        *s = (struct epp_secdns_inf){ds, d->nds};
        epp_response_add_ext(&c->resp, epp_secdns_infdata(s));
    }
    if (d->rgp[0]) {
        struct epp_rgp *r = EPPD_NEW(c, struct epp_rgp);
        if (!r)
            return c->st.code;
        r->status = d->rgp;
        epp_response_add_ext(&c->resp, epp_rgp_data(r));
    }
    struct epp_regd_inf *regd = EPPD_NEW(c, struct epp_regd_inf);
    if (!regd)
        return c->st.code;
    bool sponsor = !strcmp(c->session->clid, d->sponsor);
    *regd = (struct epp_regd_inf){
        .management = d->management,
        .pending_action = opt(d->pending_action),
        .authinfo_set = d->has_authinfo,
        .terms_version = sponsor ? opt(d->terms_version) : NULL, /* R20: the sponsor's */
        .terms_accepted = d->terms_accepted_at,
    };
    epp_response_add_ext(&c->resp, epp_regd_infdata(regd));
    return REG_OK;
}

static reg_err info_execute(struct eppd_cmd *c)
{
    const struct epp_domain_info *in = &c->req.u.domain_info;
    struct reg_op op = eppd_op(c);
    struct domain *d = new_domain(c);
    struct epp_domain_inf *out = EPPD_NEW(c, struct epp_domain_inf);
    bool full;
    struct reg_authinfo auth = auth_of(&in->auth);
    if (!d || !out || domain_info(&op, in->name, &auth, d, &full, &c->st) ||
        infdata(c, d, full, in->hosts, out))
        return c->st.code;
    eppd_ok(c, EPP_OK);
    c->resp.resdata = epp_domain_infdata(out);
    return info_extensions(c, d, full);
}

/* ---- create, update: the request in the registry's terms -------------------------------- */

static reg_err map_ns(struct eppd_cmd *c, const struct epp_domain_ns *in, const char **ns,
                      size_t *n)
{
    if (in->host_attr)
        return reg_fail(&c->st, REG_ERR_POLICY,
                        "name servers are host objects here: create the host, then use hostObj");
    if (in->host_objs.n > DOMAIN_NS_MAX)
        return reg_fail(&c->st, REG_ERR_POLICY, "at most %d name servers", DOMAIN_NS_MAX);
    for (size_t i = 0; i < in->host_objs.n; i++)
        ns[(*n)++] = in->host_objs.items[i];
    return REG_OK;
}

static reg_err map_contacts(struct eppd_cmd *c, const struct epp_domain_contacts *in,
                            struct domain_contact *out, size_t *n)
{
    if (in->n > DOMAIN_CONTACTS_MAX)
        return reg_fail(&c->st, REG_ERR_POLICY, "at most %d contacts", DOMAIN_CONTACTS_MAX);
    for (size_t i = 0; i < in->n; i++, (*n)++) {
        snprintf(out[*n].role, sizeof out[*n].role, "%s", in->items[i].type);
        snprintf(out[*n].handle, sizeof out[*n].handle, "%s", in->items[i].id);
    }
    return REG_OK;
}

static reg_err map_ds(struct eppd_cmd *c, const struct epp_ds_list *in, struct ds_data *out,
                      size_t *n)
{
    if (in->n > DOMAIN_DS_MAX)
        return reg_fail(&c->st, REG_ERR_POLICY, "at most %d DS records", DOMAIN_DS_MAX);
    for (size_t i = 0; i < in->n; i++, (*n)++) {
        const struct epp_ds *ds = &in->items[i];
        if (!ds->digest || strlen(ds->digest) >= sizeof out[*n].digest)
            return reg_fail(&c->st, REG_ERR_POLICY, "digest is too long");
        out[*n] = (struct ds_data){.key_tag = ds->key_tag, .alg = ds->alg,
                                   .digest_type = ds->digest_type};
        snprintf(out[*n].digest, sizeof out[*n].digest, "%s", ds->digest);
    }
    return REG_OK;
}

/* keyData and maxSigLife are RFC 5910 options we do not take. */
static reg_err dnssec_options(struct eppd_cmd *c, bool key_data, bool max_sig_life)
{
    if (key_data)
        return reg_fail(&c->st, REG_ERR_POLICY, "send DS records (secDNS:dsData), not keyData");
    if (max_sig_life)
        return reg_fail(&c->st, REG_ERR_UNIMPLEMENTED_OPTION, "maxSigLife is not supported");
    return REG_OK;
}

static reg_err create_check(struct eppd_cmd *c)
{
    const struct epp_domain_create *in = &c->req.u.domain_create;
    struct domain_create *r = EPPD_NEW(c, struct domain_create);
    if (!r)
        return c->st.code;
    r->name = in->name;
    r->period_months = epp_period_months(in->period);
    r->registrant = in->registrant;
    r->authinfo = eppd_pw(&in->auth);
    r->management = in->management;
    r->terms_version = in->terms_version;
    r->terms_accepted = in->terms_accepted;
    struct domain_create_ready *ready = EPPD_NEW(c, struct domain_create_ready);
    if (!ready || map_ns(c, &in->ns, r->ns, &r->nns) ||
        map_contacts(c, &in->contacts, r->contacts, &r->ncontacts) ||
        dnssec_options(c, in->secdns.key_data, in->secdns.max_sig_life) ||
        map_ds(c, &in->secdns.ds, r->ds, &r->nds))
        return c->st.code;
    /* its checks and the auth info's hash before the transaction */
    struct reg_op op = eppd_op(c);
    if (domain_create_prepare(&op, r, ready, &c->st))
        return c->st.code;
    r->ready = ready;
    c->state = r;
    return REG_OK;
}

static reg_err create_execute(struct eppd_cmd *c)
{
    const struct domain_create *r = c->state;
    struct reg_op op = eppd_op(c);
    struct domain *d = new_domain(c);
    struct eppd_fee *fee = EPPD_NEW(c, struct eppd_fee);
    if (!d || !fee ||
        eppd_fee_agree(c, &c->req.u.domain_create.fee, "creData", "create", r->period_months,
                       fee) ||
        domain_create(&op, r, d, &c->st) ||
        eppd_created(c, EPP_SVC_DOMAIN, d->name.alabel, d->created_at, d->expires_at))
        return c->st.code;
    return eppd_fee_result(c, fee);
}

static reg_err map_statuses(struct eppd_cmd *c, const struct epp_domain_change *in,
                            const char **names, const char **msgs, size_t *n)
{
    if (in->nstatuses > STATUS_MAX)
        return reg_fail(&c->st, REG_ERR_POLICY, "too many statuses");
    for (size_t i = 0; i < in->nstatuses; i++, (*n)++) {
        names[*n] = in->statuses[i].s;
        if (msgs)
            msgs[*n] = in->statuses[i].text;
    }
    return REG_OK;
}

static reg_err update_check(struct eppd_cmd *c)
{
    const struct epp_domain_update *in = &c->req.u.domain_update;
    struct domain_update *u = EPPD_NEW(c, struct domain_update);
    if (!u)
        return c->st.code;
    u->name = in->name;
    if (map_ns(c, &in->add.ns, u->add_ns, &u->nadd_ns) ||
        map_ns(c, &in->rem.ns, u->rem_ns, &u->nrem_ns) ||
        map_contacts(c, &in->add.contacts, u->add_contacts, &u->nadd_contacts) ||
        map_contacts(c, &in->rem.contacts, u->rem_contacts, &u->nrem_contacts) ||
        map_statuses(c, &in->add, u->add_status, u->add_status_msg, &u->nadd_status) ||
        map_statuses(c, &in->rem, u->rem_status, NULL, &u->nrem_status))
        return c->st.code;
    u->chg_registrant = in->chg_registrant;
    if (in->chg_auth.given) {
        u->chg_authinfo = true;
        u->authinfo = in->chg_auth.pw; /* <domain:null/> → NULL: removed */
    }
    const struct epp_secdns_update *sec = &in->secdns;
    if (sec->given) {
        u->rem_all_ds = sec->rem_all;
        if (sec->max_sig_life)
            return reg_fail(&c->st, REG_ERR_UNIMPLEMENTED_OPTION, "maxSigLife is not supported");
        if (dnssec_options(c, sec->key_data, false) ||
            map_ds(c, &sec->rem, u->rem_ds, &u->nrem_ds) ||
            map_ds(c, &sec->add, u->add_ds, &u->nadd_ds))
            return c->st.code;
    }
    if (in->restore == EPP_RESTORE_REPORT) /* restore takes effect on request */
        return reg_fail(&c->st, REG_ERR_POLICY, "restore reports are not needed here: a restore "
                                                "request restores the domain at once");
    c->state = u;
    return REG_OK;
}

/* RFC 3915: a restore request restores the domain at once. */
static reg_err restore_execute(struct eppd_cmd *c, const struct domain_update *u)
{
    struct reg_op op = eppd_op(c);
    struct eppd_fee *fee = EPPD_NEW(c, struct eppd_fee);
    struct epp_rgp *rgp = EPPD_NEW(c, struct epp_rgp);
    if (!fee || !rgp ||
        eppd_fee_agree(c, &c->req.u.domain_update.fee, "updData", "restore", 12, fee) ||
        domain_restore(&op, u->name, &c->st))
        return c->st.code;
    eppd_ok(c, EPP_OK);
    *rgp = (struct epp_rgp){"pendingRestore", true}; /* the state the request passed through */
    epp_response_add_ext(&c->resp, epp_rgp_data(rgp));
    return eppd_fee_result(c, fee);
}

static reg_err update_execute(struct eppd_cmd *c)
{
    const struct domain_update *u = c->state;
    const struct epp_domain_update *in = &c->req.u.domain_update;
    if (in->restore == EPP_RESTORE_REQUEST)
        return restore_execute(c, u);
    struct reg_op op = eppd_op(c);
    struct eppd_fee *fee = EPPD_NEW(c, struct eppd_fee);
    bool pending = false;
    if (!fee || eppd_fee_agree(c, &in->fee, "updData", NULL, 0, fee) ||
        domain_update_request(&op, u, in->verified, &pending, &c->st))
        return c->st.code;
    eppd_ok(c, pending ? EPP_OK_PENDING : EPP_OK);
    return eppd_fee_result(c, fee);
}

/* ---- delete, renew ------------------------------------------------------------------- */

static reg_err delete_execute(struct eppd_cmd *c)
{
    const struct epp_domain_delete *in = &c->req.u.domain_delete;
    struct reg_op op = eppd_op(c);
    enum domain_delete_outcome outcome;
    if (domain_delete_request(&op, in->name, in->verified, &outcome, &c->st))
        return c->st.code;
    eppd_ok(c, outcome == DOMAIN_DELETE_DONE ? EPP_OK : EPP_OK_PENDING);
    return REG_OK;
}

static reg_err renew_execute(struct eppd_cmd *c)
{
    const struct epp_domain_renew *in = &c->req.u.domain_renew;
    struct reg_op op = eppd_op(c);
    int months = epp_period_months(in->period);
    struct eppd_fee *fee = EPPD_NEW(c, struct eppd_fee);
    struct epp_domain_ren *out = EPPD_NEW(c, struct epp_domain_ren);
    struct domain_name *dn = EPPD_NEW(c, struct domain_name);
    bool registrant_pays; /* R19: then the registrar is charged nothing */
    if (!fee || !out || !dn || management_registrant_pays(&op, in->name, &registrant_pays, &c->st) ||
        eppd_fee_agree(c, &in->fee, "renData", registrant_pays ? NULL : "renew", months, fee) ||
        domain_renew(&op, in->name, in->cur_exp_date, months, &out->ex_date, &c->st) ||
        names_domain(&op.policy->names, in->name, dn, &c->st))
        return c->st.code;
    out->name = dn->alabel;
    eppd_ok(c, EPP_OK);
    c->resp.resdata = epp_domain_rendata(out);
    return eppd_fee_result(c, fee);
}

/* ---- transfer ------------------------------------------------------------------------ */

static struct epp_domain_trn *trn_of(struct eppd_cmd *c, const struct domain_transfer_info *t)
{
    struct epp_domain_trn *out = EPPD_NEW(c, struct epp_domain_trn);
    if (out)
        *out = (struct epp_domain_trn){
            .name = eppd_strdup(c, t->name), .status = eppd_strdup(c, t->status),
            .re_id = eppd_strdup(c, t->gaining), .ac_id = eppd_strdup(c, t->losing),
            .re_date = t->requested_at, .ac_date = t->action_at, .has_ex = t->has_expiry,
            .ex_date = t->new_expires_at,
        };
    return out;
}

/* R16: <regd:otp channel="email|sms"/> has the registry send the registrant
 * a one-time password; nothing is transferred yet, so the answer is 1001
 * without trnData, and <msg> says what to do. */
static reg_err otp_request_execute(struct eppd_cmd *c, const struct epp_domain_transfer *in)
{
    if (in->auth.given)
        return reg_fail(&c->st, REG_ERR_POLICY,
                        "<regd:otp> asks for a one-time password: send it without "
                        "<domain:authInfo>, then the password as authInfo in a transfer request");
    struct reg_op op = eppd_op(c);
    struct otp_sent sent;
    if (otp_request(&op, in->name, in->otp_channel, &sent, &c->st))
        return c->st.code;
    char until[REG_TIME_STRLEN];
    char *msg = arena_printf(&c->arena,
                             "A one-time password for %s was sent to the registrant by %s, valid "
                             "until %s; nothing is transferred yet: request the transfer with "
                             "the password as <domain:authInfo>",
                             sent.domain, strcmp(sent.channel, "sms") ? "e-mail" : "SMS",
                             clock_format(sent.expires_at, until, sizeof until));
    if (!msg)
        return eppd_nomem(c);
    eppd_ok_msg(c, EPP_OK_PENDING, msg);
    return REG_OK;
}

/* after_failure of a transfer request with a wrong one-time password */
static reg_err count_wrong_otp(struct eppd_cmd *c, reg_status *st)
{
    const int64_t *otp = c->state;
    struct reg_op op = eppd_op(c);
    return otp_count_wrong(&op, *otp, st);
}

static reg_err transfer_execute(struct eppd_cmd *c)
{
    static const transfer_op ops[] = {[EPP_XFER_REQUEST] = XFER_REQUEST,
                                      [EPP_XFER_QUERY] = XFER_QUERY,
                                      [EPP_XFER_APPROVE] = XFER_APPROVE,
                                      [EPP_XFER_REJECT] = XFER_REJECT,
                                      [EPP_XFER_CANCEL] = XFER_CANCEL};
    const struct epp_domain_transfer *in = &c->req.u.domain_transfer;
    if (in->otp_channel) /* the decoder lets it through with a request only */
        return otp_request_execute(c, in);
    struct reg_op op = eppd_op(c);
    int months = epp_period_months(in->period);
    struct eppd_fee *fee = EPPD_NEW(c, struct eppd_fee);
    int64_t *wrong_otp = EPPD_NEW(c, int64_t);
    if (!fee || !wrong_otp || eppd_fee_agree(c, &in->fee, "trnData", "transfer", months, fee))
        return c->st.code;
    struct domain_transfer_info t = {0};
    bool pending;
    struct reg_authinfo auth = auth_of(&in->auth);
    if (domain_transfer(&op, ops[in->op], in->name, &auth, months, &t, &pending, &c->st)) {
        if (t.wrong_otp) {
            *wrong_otp = t.wrong_otp;
            c->state = wrong_otp;
            c->after_failure = count_wrong_otp;
        }
        return c->st.code;
    }
    struct epp_domain_trn *out = trn_of(c, &t);
    if (!out)
        return c->st.code;
    eppd_ok(c, pending ? EPP_OK_PENDING : EPP_OK);
    c->resp.resdata = epp_domain_trndata(out);
    return eppd_fee_result(c, fee);
}

const struct eppd_handler eppd_domain_handlers[] = {
    {EPP_CMD_CHECK, EPP_OBJ_DOMAIN, EPPD_LOGGED_IN, NULL, check_execute, true},
    {EPP_CMD_INFO, EPP_OBJ_DOMAIN, EPPD_LOGGED_IN, NULL, info_execute, true},
    {EPP_CMD_CREATE, EPP_OBJ_DOMAIN, EPPD_LOGGED_IN, create_check, create_execute, false},
    {EPP_CMD_UPDATE, EPP_OBJ_DOMAIN, EPPD_LOGGED_IN, update_check, update_execute, false},
    {EPP_CMD_DELETE, EPP_OBJ_DOMAIN, EPPD_LOGGED_IN, NULL, delete_execute, false},
    {EPP_CMD_RENEW, EPP_OBJ_DOMAIN, EPPD_LOGGED_IN, NULL, renew_execute, false},
    {EPP_CMD_TRANSFER, EPP_OBJ_DOMAIN, EPPD_LOGGED_IN, NULL, transfer_execute, false},
    {0, 0, 0, NULL, NULL, false},
};
