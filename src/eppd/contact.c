/* Contact commands (RFC 5733) and contact-ext-1.0: the decoded request →
 * registry/contact.h → typed results. */
#include <stdio.h>
#include <string.h>

#include "eppd_internal.h"
#include "registry/contact.h"

/* The codec's disclose bits are the registry's (RFC 5733 §2.9, same order). */
_Static_assert(EPP_DISCLOSE_NAME_INT == CONTACT_DISCLOSE_NAME_INT &&
                   EPP_DISCLOSE_ADDR_LOC == CONTACT_DISCLOSE_ADDR_LOC &&
                   EPP_DISCLOSE_EMAIL == CONTACT_DISCLOSE_EMAIL,
               "disclose bits differ");
_Static_assert(EPP_STREETS == CONTACT_STREETS && (int)EPP_POSTAL_LOC == (int)CONTACT_LOC,
               "postal shapes differ");

/* What a public <info> shows where the schema needs a value the contact
 * does not disclose (the RDAP/WHOIS convention). */
#define REDACTED "REDACTED FOR PRIVACY"

void eppd_postal_in(struct contact_postal *out, const struct epp_postal *in)
{
    *out = (struct contact_postal){.present = in->present, .name = in->name, .org = in->org,
                                   .city = in->city, .sp = in->sp, .pc = in->pc, .cc = in->cc,
                                   .has_addr = in->has_addr};
    for (int i = 0; i < CONTACT_STREETS; i++)
        out->street[i] = in->street[i];
}

/* <contact:authInfo> must be a <contact:pw>. */
static reg_err password(struct eppd_cmd *c, const struct epp_authinfo *a, char **out)
{
    if (a->given && a->ext)
        return reg_fail(&c->st, REG_ERR_UNIMPLEMENTED_OPTION,
                        "only <contact:pw> auth info is supported, not <contact:ext>");
    *out = a->given ? a->pw : NULL;
    return REG_OK;
}

/* ---- check ---------------------------------------------------------------------------- */


static reg_err check_execute(struct eppd_cmd *c)
{
    return eppd_check_keys(c, EPP_SVC_CONTACT, &c->req.u.id_check.ids, contact_check);
}

/* ---- info ------------------------------------------------------------------------------ */

static void contact_release(void *k) { contact_free(k); }

static struct epp_postal_out postal_out(const struct contact_postal *p)
{
    struct epp_postal_out o = {.present = p->present, .name = p->name ? p->name : REDACTED,
                               .org = p->org, .city = p->city ? p->city : REDACTED, .sp = p->sp,
                               .pc = p->pc, .cc = p->cc};
    for (int i = 0; i < CONTACT_STREETS; i++)
        o.street[i] = p->street[i];
    return o;
}

static reg_err infdata(struct eppd_cmd *c, const struct contact *k)
{
    bool full = k->view != CONTACT_VIEW_PUBLIC;
    struct epp_contact_inf *out = EPPD_NEW(c, struct epp_contact_inf);
    struct epp_status_out *statuses = EPPD_ARRAY(c, struct epp_status_out, 8);
    if (!out || !statuses)
        return c->st.code;
    const char *names[8], *msgs[8];
    size_t n = contact_status_list(k, names, msgs);
    for (size_t i = 0; i < n; i++)
        statuses[i] = (struct epp_status_out){names[i], msgs[i]};
    *out = (struct epp_contact_inf){
        .id = k->handle, .roid = k->roid, .statuses = statuses, .nstatuses = n,
        .postal = {postal_out(&k->d.postal[CONTACT_INT]), postal_out(&k->d.postal[CONTACT_LOC])},
        .voice = {k->d.voice, k->d.voice_x}, .fax = {k->d.fax, k->d.fax_x},
        .email = k->d.email ? k->d.email : REDACTED, .cl_id = k->sponsor, .cr_id = k->creator,
        .cr_date = k->created_at, .full = full, .up_id = k->updater[0] ? k->updater : NULL,
        .up_date = k->updated_at, .tr_date = k->transferred_at, .authinfo_set = k->authinfo_set,
        .has_disclose = k->d.has_disclose, .disclose_flag = k->d.disclose_flag,
        .disclose_fields = k->d.disclose,
    };
    c->resp.resdata = epp_contact_infdata(out);
    bool sponsor = k->view == CONTACT_VIEW_SPONSOR;
    if (!k->d.kind && !sponsor)
        return REG_OK; /* nothing for regc:infData */
    struct epp_regc_inf *regc = EPPD_NEW(c, struct epp_regc_inf);
    if (!regc)
        return c->st.code;
    bool decided = !strcmp(k->idcheck_state, "verified") || !strcmp(k->idcheck_state, "failed");
    *regc = (struct epp_regc_inf){
        .kind = k->d.kind,
        .ident_type = full ? k->d.ident_type : NULL,
        .ident_cc = k->d.ident_cc,
        .ident_value = k->d.ident_value,
        .mobile = full ? k->d.mobile : NULL,
        .has_idcheck = sponsor, /* R21, for the sponsor */
        .idcheck_state = k->idcheck_state[0] ? k->idcheck_state : "none",
        .idcheck_deadline = k->idcheck_deadline,
        .idcheck_method = decided && k->idcheck_method[0] ? k->idcheck_method : NULL,
        .idcheck_date = decided ? k->idcheck_at : 0,
        /* R28: which registrar's portal manages it, for the sponsor */
        .linked = sponsor && k->linked_registrar[0] ? k->linked_registrar : NULL,
    };
    epp_response_add_ext(&c->resp, epp_regc_infdata(regc));
    return REG_OK;
}

static reg_err info_execute(struct eppd_cmd *c)
{
    const struct epp_contact_info *in = &c->req.u.contact_info;
    struct reg_op op = eppd_op(c);
    struct contact *k = EPPD_NEW(c, struct contact);
    char *pw;
    if (!k || password(c, &in->auth, &pw) || contact_info(&op, in->id, pw, k, &c->st))
        return c->st.code;
    eppd_defer(c, contact_release, k);
    eppd_ok(c, EPP_OK);
    return infdata(c, k);
}

/* ---- create, update ----------------------------------------------------------------------- */

/* The contact data of a create (or of an update's chg: the caller reads
 * the "given" flags it needs). */
static reg_err data_in(struct eppd_cmd *c, const struct epp_contact_data *in,
                       struct contact_data *out, char **authinfo)
{
    for (int t = 0; t < 2; t++)
        eppd_postal_in(&out->postal[t], &in->postal[t]);
    out->voice = in->voice.number;
    out->voice_x = in->voice.x;
    out->fax = in->fax.number;
    out->fax_x = in->fax.x;
    out->email = in->email;
    out->has_disclose = in->disclose.given;
    out->disclose_flag = in->disclose.flag;
    out->disclose = in->disclose.fields;
    out->kind = in->kind;
    out->ident_type = in->ident.type;
    out->ident_value = in->ident.value;
    out->ident_cc = in->ident.cc;
    out->mobile = in->mobile.number;
    return password(c, &in->auth, authinfo);
}

static reg_err create_check(struct eppd_cmd *c)
{
    const struct epp_contact_create *in = &c->req.u.contact_create;
    struct contact_create_req *r = EPPD_NEW(c, struct contact_create_req);
    if (!r || data_in(c, &in->d, &r->d, &r->authinfo))
        return c->st.code;
    r->id = in->id;
    c->state = r;
    return REG_OK;
}

static reg_err create_execute(struct eppd_cmd *c)
{
    struct reg_op op = eppd_op(c);
    char handle[CONTACT_ID_MAX + 1];
    if (contact_create(&op, c->state, handle, &c->st))
        return c->st.code;
    return eppd_created(c, EPP_SVC_CONTACT, handle, op.now, 0);
}

/* Client statuses to add (with their messages) or remove. */
static reg_err statuses_in(struct eppd_cmd *c, const struct epp_status *in, size_t n,
                           const char **names, const char **msgs, size_t *count)
{
    if (n > STATUS_MAX)
        return reg_fail(&c->st, REG_ERR_RANGE, "too many statuses");
    for (size_t i = 0; i < n; i++) {
        names[i] = in[i].s;
        if (msgs)
            msgs[i] = in[i].text ? in[i].text : "";
    }
    *count = n;
    return REG_OK;
}

static reg_err update_check(struct eppd_cmd *c)
{
    const struct epp_contact_update *in = &c->req.u.contact_update;
    struct contact_update_req *r = EPPD_NEW(c, struct contact_update_req);
    struct contact_data d = {0};
    if (!r || statuses_in(c, in->add, in->nadd, r->add, r->add_msg, &r->nadd) ||
        statuses_in(c, in->rem, in->nrem, r->rem, NULL, &r->nrem) ||
        data_in(c, &in->chg, &d, &r->authinfo))
        return c->st.code;
    r->id = in->id;
    for (int t = 0; t < 2; t++)
        r->postal[t] = d.postal[t];
    r->chg_voice = in->chg.voice.given;
    r->voice = d.voice;
    r->voice_x = d.voice_x;
    r->chg_fax = in->chg.fax.given;
    r->fax = d.fax;
    r->fax_x = d.fax_x;
    r->email = d.email;
    r->chg_disclose = d.has_disclose;
    r->disclose_flag = d.disclose_flag;
    r->disclose = d.disclose;
    r->kind = d.kind;
    r->chg_ident = in->chg.ident.given;
    r->ident_type = d.ident_type;
    r->ident_value = d.ident_value;
    r->ident_cc = d.ident_cc;
    r->chg_mobile = in->chg.mobile.given;
    r->mobile = d.mobile;
    c->state = r;
    return REG_OK;
}

static reg_err update_execute(struct eppd_cmd *c)
{
    struct reg_op op = eppd_op(c);
    return eppd_answer(c, contact_update(&op, c->state, &c->st));
}

/* ---- delete, transfer ------------------------------------------------------------------------ */

static reg_err delete_execute(struct eppd_cmd *c)
{
    struct reg_op op = eppd_op(c);
    return eppd_answer(c, contact_delete(&op, c->req.u.id, &c->st));
}

static reg_err transfer_execute(struct eppd_cmd *c)
{
    static const contact_xfer_op ops[] = {
        [EPP_XFER_REQUEST] = CONTACT_XFER_REQUEST, [EPP_XFER_QUERY] = CONTACT_XFER_QUERY,
        [EPP_XFER_APPROVE] = CONTACT_XFER_APPROVE, [EPP_XFER_REJECT] = CONTACT_XFER_REJECT,
        [EPP_XFER_CANCEL] = CONTACT_XFER_CANCEL,
    };
    const struct epp_contact_transfer *in = &c->req.u.contact_transfer;
    struct reg_op op = eppd_op(c);
    struct contact_transfer_info t;
    struct epp_contact_trn *out = EPPD_NEW(c, struct epp_contact_trn);
    bool pending = false;
    char *pw;
    if (!out || password(c, &in->auth, &pw) ||
        contact_transfer(&op, ops[in->op], in->id, pw, &t, &pending, &c->st))
        return c->st.code;
    *out = (struct epp_contact_trn){
        .id = eppd_strdup(c, t.handle), .status = eppd_strdup(c, t.status),
        .re_id = eppd_strdup(c, t.gaining), .ac_id = eppd_strdup(c, t.losing),
        .re_date = t.requested_at, .ac_date = t.action_at,
    };
    eppd_ok(c, in->op == EPP_XFER_REQUEST && pending ? EPP_OK_PENDING : EPP_OK);
    c->resp.resdata = epp_contact_trndata(out);
    return REG_OK;
}

const struct eppd_handler eppd_contact_handlers[] = {
    {EPP_CMD_CHECK, EPP_OBJ_CONTACT, EPPD_LOGGED_IN, NULL, check_execute, true},
    {EPP_CMD_INFO, EPP_OBJ_CONTACT, EPPD_LOGGED_IN, NULL, info_execute, true},
    {EPP_CMD_CREATE, EPP_OBJ_CONTACT, EPPD_LOGGED_IN, create_check, create_execute, false},
    {EPP_CMD_UPDATE, EPP_OBJ_CONTACT, EPPD_LOGGED_IN, update_check, update_execute, false},
    {EPP_CMD_DELETE, EPP_OBJ_CONTACT, EPPD_LOGGED_IN, NULL, delete_execute, false},
    {EPP_CMD_TRANSFER, EPP_OBJ_CONTACT, EPPD_LOGGED_IN, NULL, transfer_execute, false},
    {0, 0, 0, NULL, NULL, false},
};
