/* EPP account commands (https://registryd.org/epp/account-1.0, DESIGN §5;
 * R33–R38): XML ↔ registry/account.c. The documents are schema-valid by
 * now (slot names, one entry per slot, element order); this file only
 * moves values between the tree and the registry's structs and writes the
 * answers. Reference: docs/epp-accounts.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epp/ns.h"
#include "epp/result.h"
#include "epp_contact_data.h"
#include "registry/account.h"

#define NS EPP_NS_ACCOUNT

/* --- reading the command ----------------------------------------------------- */

static xmlNodePtr child(xmlNodePtr n, const char *name) { return epp_child(n, NS, name); }
static xmlNodePtr next(xmlNodePtr n, const char *name) { return epp_next_sibling(n, NS, name); }

static char *opt_text(xmlNodePtr parent, const char *name)
{
    return epp_child_text(parent, NS, name);
}

/* The slot an element names (attribute slot= or name=); the schema only
 * lets a1–a3 and b1–b3 through (R33). */
static reg_err slot_of(xmlNodePtr n, const char *attr_name, int *slot, reg_status *st)
{
    char *name = epp_attr(n, attr_name);
    *slot = account_slot_parse(name);
    reg_err e = *slot < 0 ? reg_fail(st, REG_ERR_INVALID,
                                     "slot \"%s\" does not exist: an account has admin slots a1, "
                                     "a2, a3 and billing slots b1, b2, b3 (R33)",
                                     name ? name : "")
                          : REG_OK;
    free(name);
    return e;
}

/* No extension is defined for account commands: any is refused (2103). */
static reg_err no_extension(const struct epp_ctx *c, reg_status *st)
{
    xmlNodePtr e = epp_child(c->cmd.ext_node, NULL, NULL);
    if (!e)
        return REG_OK;
    const char *ns = e->ns && e->ns->href ? (const char *)e->ns->href : "";
    char cmd[48];
    return reg_fail(st, REG_ERR_UNIMPLEMENTED_EXTENSION,
                    "extension <%s xmlns=\"%s\"> is not used with %s", (const char *)e->name, ns,
                    epp_command_name(&c->cmd, cmd, sizeof cmd));
}

static char *id_of(const struct epp_ctx *c) { return opt_text(c->cmd.obj_node, "id"); }

/* <account:newContact slot="a2" [id="…"]>: a contact object to create
 * (R37), with its data as a loc postalInfo (UTF-8 allowed). */
static void parse_new_contact(xmlNodePtr n, struct contact_create_req *r)
{
    struct contact_postal *p = &r->d.postal[CONTACT_LOC];
    bool voice = false;
    r->id = epp_attr(n, "id");
    p->present = p->has_addr = true;
    p->name = opt_text(n, "name");
    p->org = opt_text(n, "org");
    epp_read_address(n, NS, p->street, &p->city, &p->sp, &p->pc, &p->cc);
    epp_read_phone(n, NS, "voice", &voice, &r->d.voice, &r->d.voice_x);
    r->d.email = opt_text(n, "email");
}

/* The <account:contact> and <account:newContact> children of parent. */
static reg_err parse_fills(xmlNodePtr parent, struct account_fill fills[ACCOUNT_SLOTS],
                           reg_status *st)
{
    for (xmlNodePtr n = epp_child(parent, NS, NULL); n; n = epp_next_sibling(n, NS, NULL)) {
        bool is_new = !strcmp((const char *)n->name, "newContact");
        if (!is_new && strcmp((const char *)n->name, "contact"))
            continue;
        int slot;
        if (slot_of(n, "slot", &slot, st))
            return st->code;
        struct account_fill *f = &fills[slot];
        if (f->given)
            return reg_fail(st, REG_ERR_SYNTAX, "slot %s is given twice", account_slot_name(slot));
        f->given = true;
        f->is_new = is_new;
        if (is_new)
            parse_new_contact(n, &f->new_contact);
        else
            f->contact = epp_text(n);
    }
    return REG_OK;
}

/* <account:slot name="a2">…fields…</account:slot> (R38) */
static reg_err parse_slot_changes(xmlNodePtr obj, struct account_slot_change chg[ACCOUNT_SLOTS],
                                  reg_status *st)
{
    for (xmlNodePtr n = child(obj, "slot"); n; n = next(n, "slot")) {
        int slot;
        if (slot_of(n, "name", &slot, st))
            return st->code;
        struct account_slot_change *c = &chg[slot];
        if (c->given)
            return reg_fail(st, REG_ERR_SYNTAX, "slot %s is given twice", account_slot_name(slot));
        c->given = true;
        c->name = opt_text(n, "name");
        c->org = opt_text(n, "org");
        c->has_street = epp_read_address(n, NS, c->street, &c->city, &c->sp, &c->pc, &c->cc);
        epp_read_phone(n, NS, "voice", &c->chg_voice, &c->voice, &c->voice_x);
        c->email = opt_text(n, "email");
    }
    return REG_OK;
}

/* --- check ----------------------------------------------------------------------- */

static reg_err check_execute(struct epp_ctx *c, reg_status *st)
{
    if (no_extension(c, st))
        return st->code;
    return epp_check_ids(c, NS, "account", account_check, st);
}

/* --- info ------------------------------------------------------------------------ */

static void w_info(epp_writer *w, const struct account *a)
{
    epp_w_start(w, "resData");
    epp_w_start_ns(w, "account", "infData", NS);
    epp_w_elem(w, "account:id", a->handle);
    epp_w_elem(w, "account:roid", a->roid);
    epp_w_elem(w, "account:billing", a->billing);
    for (int i = 0; a->full && i < ACCOUNT_SLOTS; i++) {
        if (!a->slot_id[i])
            continue;
        epp_w_start(w, "account:contact");
        epp_w_attr(w, "slot", account_slot_name(i));
        epp_w_text(w, a->slot[i]);
        epp_w_end(w);
    }
    epp_w_elem(w, "account:clID", a->sponsor);
    if (a->full)
        epp_w_elem(w, "account:crID", a->creator);
    epp_w_elem_time(w, "account:crDate", a->created_at);
    if (a->full && a->updated_at) {
        if (a->updater[0])
            epp_w_elem(w, "account:upID", a->updater);
        epp_w_elem_time(w, "account:upDate", a->updated_at);
    }
    epp_w_end(w); /* infData */
    epp_w_end(w); /* resData */
}

static reg_err info_execute(struct epp_ctx *c, reg_status *st)
{
    if (no_extension(c, st))
        return st->code;
    char *id = id_of(c);
    struct account a;
    struct reg_op op = epp_op(c);
    reg_err e = account_info(&op, id, &a, st);
    if (!e) {
        epp_reply(c, EPP_OK);
        w_info(c->w, &a);
    }
    free(id);
    return e;
}

/* --- create ------------------------------------------------------------------------ */

static void create_free(void *data)
{
    account_create_req_free(data);
    free(data);
}

/* Parsing happens outside the batch transaction. */
static reg_err create_check(struct epp_ctx *c, reg_status *st)
{
    struct account_create_req *r = epp_state_new(c, sizeof *r, create_free, st);
    if (!r)
        return st->code;
    r->id = id_of(c);
    r->billing = opt_text(c->cmd.obj_node, "billing");
    if (no_extension(c, st) || parse_fills(c->cmd.obj_node, r->slot, st))
        return st->code;
    return REG_OK;
}

static reg_err create_execute(struct epp_ctx *c, reg_status *st)
{
    struct reg_op op = epp_op(c);
    char handle[CONTACT_ID_MAX + 1];
    if (account_create(&op, c->data, handle, st))
        return st->code;
    epp_reply_created(c, NS, "account", handle, op.now);
    return REG_OK;
}

/* --- update ------------------------------------------------------------------------ */

static void update_free(void *data)
{
    account_update_req_free(data);
    free(data);
}

static reg_err parse_rems(xmlNodePtr rem, char *out[ACCOUNT_SLOTS], reg_status *st)
{
    for (xmlNodePtr n = child(rem, "contact"); n; n = next(n, "contact")) {
        int slot;
        if (slot_of(n, "slot", &slot, st))
            return st->code;
        if (out[slot])
            return reg_fail(st, REG_ERR_SYNTAX, "slot %s is given twice", account_slot_name(slot));
        out[slot] = epp_text(n);
    }
    return REG_OK;
}

static reg_err update_check(struct epp_ctx *c, reg_status *st)
{
    struct account_update_req *r = epp_state_new(c, sizeof *r, update_free, st);
    if (!r)
        return st->code;
    xmlNodePtr n = c->cmd.obj_node, add = child(n, "add"), rem = child(n, "rem");
    r->id = id_of(c);
    r->billing = opt_text(child(n, "chg"), "billing");
    if (no_extension(c, st) || (add && parse_fills(add, r->add, st)) ||
        (rem && parse_rems(rem, r->rem, st)) || parse_slot_changes(n, r->chg, st))
        return st->code;
    return REG_OK;
}

static reg_err update_execute(struct epp_ctx *c, reg_status *st)
{
    struct reg_op op = epp_op(c);
    if (account_update(&op, c->data, st))
        return st->code;
    epp_reply(c, EPP_OK);
    return REG_OK;
}

const struct epp_handler epp_account_handlers[] = {
    {EPP_CMD_CHECK, EPP_OBJ_ACCOUNT, true, NULL, check_execute, true},
    {EPP_CMD_INFO, EPP_OBJ_ACCOUNT, true, NULL, info_execute, true},
    {EPP_CMD_CREATE, EPP_OBJ_ACCOUNT, true, create_check, create_execute, false},
    {EPP_CMD_UPDATE, EPP_OBJ_ACCOUNT, true, update_check, update_execute, false},
    {0, 0, false, NULL, NULL, false},
};
