/* Account commands (account-1.0, DESIGN §5; R33–R38): the decoded request
 * → registry/account.h → typed results. Reference: docs/epp-accounts.md. */
#include "eppd_internal.h"
#include "registry/account.h"

_Static_assert(EPP_ACCOUNT_SLOTS == ACCOUNT_SLOTS, "account slots differ");

/* A slot filled by a command: a contact by id, or one to make from data (R37). */
static void fill_in(struct account_fill *out, const struct epp_account_fill *in)
{
    out->given = in->given;
    out->contact = in->contact;
    out->is_new = in->is_new;
    if (!in->is_new)
        return;
    const struct epp_new_contact *n = &in->new_contact;
    struct contact_create_req *r = &out->new_contact;
    r->id = n->id;
    eppd_postal_in(&r->d.postal[CONTACT_LOC], &n->postal);
    r->d.voice = n->voice.number;
    r->d.voice_x = n->voice.x;
    r->d.email = n->email;
}

/* R38: fields of the contact in a slot to change. */
static void change_in(struct account_slot_change *out, const struct epp_slot_change *in)
{
    *out = (struct account_slot_change){
        .given = in->given, .name = in->name, .org = in->org, .city = in->city, .sp = in->sp,
        .pc = in->pc, .cc = in->cc, .email = in->email, .has_street = in->has_street,
        .chg_voice = in->voice.given, .voice = in->voice.number, .voice_x = in->voice.x,
    };
    for (int i = 0; i < CONTACT_STREETS; i++)
        out->street[i] = in->street[i];
}

static reg_err check_execute(struct eppd_cmd *c)
{
    return eppd_check_keys(c, EPP_SVC_ACCOUNT, &c->req.u.id_check.ids, account_check);
}

static reg_err info_execute(struct eppd_cmd *c)
{
    struct reg_op op = eppd_op(c);
    struct account *a = EPPD_NEW(c, struct account);
    struct epp_account_inf *out = EPPD_NEW(c, struct epp_account_inf);
    if (!a || !out || account_info(&op, c->req.u.id, a, &c->st))
        return c->st.code;
    *out = (struct epp_account_inf){
        .id = a->handle, .roid = a->roid, .billing = a->billing, .cl_id = a->sponsor,
        .cr_id = a->full ? a->creator : NULL, .cr_date = a->created_at,
        .up_id = a->full && a->updater[0] ? a->updater : NULL,
        .up_date = a->full ? a->updated_at : 0,
    };
    for (int i = 0; a->full && i < ACCOUNT_SLOTS; i++)
        out->slot[i] = a->slot_id[i] ? a->slot[i] : NULL;
    eppd_ok(c, EPP_OK);
    c->resp.resdata = epp_account_infdata(out);
    return REG_OK;
}

static reg_err create_check(struct eppd_cmd *c)
{
    const struct epp_account_create *in = &c->req.u.account_create;
    struct account_create_req *r = EPPD_NEW(c, struct account_create_req);
    if (!r)
        return c->st.code;
    r->id = in->id;
    r->billing = in->billing;
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        fill_in(&r->slot[i], &in->slot[i]);
    c->state = r;
    return REG_OK;
}

static reg_err create_execute(struct eppd_cmd *c)
{
    struct reg_op op = eppd_op(c);
    char handle[CONTACT_ID_MAX + 1];
    if (account_create(&op, c->state, handle, &c->st))
        return c->st.code;
    return eppd_created(c, EPP_SVC_ACCOUNT, handle, op.now, 0);
}

static reg_err update_check(struct eppd_cmd *c)
{
    const struct epp_account_update *in = &c->req.u.account_update;
    struct account_update_req *r = EPPD_NEW(c, struct account_update_req);
    if (!r)
        return c->st.code;
    r->id = in->id;
    r->billing = in->billing;
    for (int i = 0; i < ACCOUNT_SLOTS; i++) {
        fill_in(&r->add[i], &in->add[i]);
        r->rem[i] = in->rem[i];
        change_in(&r->chg[i], &in->chg[i]);
    }
    c->state = r;
    return REG_OK;
}

static reg_err update_execute(struct eppd_cmd *c)
{
    struct reg_op op = eppd_op(c);
    return eppd_answer(c, account_update(&op, c->state, &c->st));
}

const struct eppd_handler eppd_account_handlers[] = {
    {EPP_CMD_CHECK, EPP_OBJ_ACCOUNT, EPPD_LOGGED_IN, NULL, check_execute, true},
    {EPP_CMD_INFO, EPP_OBJ_ACCOUNT, EPPD_LOGGED_IN, NULL, info_execute, true},
    {EPP_CMD_CREATE, EPP_OBJ_ACCOUNT, EPPD_LOGGED_IN, create_check, create_execute, false},
    {EPP_CMD_UPDATE, EPP_OBJ_ACCOUNT, EPPD_LOGGED_IN, update_check, update_execute, false},
    {0, 0, 0, NULL, NULL, false},
};
