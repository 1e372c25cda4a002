/* Contact commands (RFC 5733) with registryd's contact-ext-1.0, and the
 * account object (account-1.0), which carries contact data for its slots
 * in the same shapes. */
#include <string.h>

#include "decode_internal.h"

#define NS EPP_NS_CONTACT

/* ---- contact data ----------------------------------------------------------------- */

static reg_err read_postal(struct dctx *d, xmlNodePtr parent, struct epp_postal out[2])
{
    for (xmlNodePtr pi = epp_child(parent, NS, "postalInfo"); pi;
         pi = epp_next_sibling(pi, NS, "postalInfo")) {
        char *type = xa_attr(d->a, pi, "type");
        int t = type && !strcmp(type, "loc") ? EPP_POSTAL_LOC : EPP_POSTAL_INT;
        struct epp_postal *p = &out[t];
        if (p->present)
            return reg_fail(d->st, REG_ERR_INVALID, "postalInfo type=\"%s\" is given twice",
                            t == EPP_POSTAL_LOC ? "loc" : "int");
        p->present = true;
        p->name = xa_child_text(d->a, pi, NS, "name");
        p->org = xa_child_text(d->a, pi, NS, "org");
        xmlNodePtr addr = epp_child(pi, NS, "addr");
        if (addr) {
            p->has_addr = true;
            decode_address(d, addr, NS, p->street, &p->city, &p->sp, &p->pc, &p->cc);
        }
    }
    return REG_OK;
}

static reg_err read_disclose(struct dctx *d, xmlNodePtr parent, struct epp_disclose *out)
{
    static const struct {
        const char *name;
        unsigned int_bit, loc_bit;
    } fields[] = {
        {"name", EPP_DISCLOSE_NAME_INT, EPP_DISCLOSE_NAME_LOC},
        {"org", EPP_DISCLOSE_ORG_INT, EPP_DISCLOSE_ORG_LOC},
        {"addr", EPP_DISCLOSE_ADDR_INT, EPP_DISCLOSE_ADDR_LOC},
        {"voice", EPP_DISCLOSE_VOICE, EPP_DISCLOSE_VOICE},
        {"fax", EPP_DISCLOSE_FAX, EPP_DISCLOSE_FAX},
        {"email", EPP_DISCLOSE_EMAIL, EPP_DISCLOSE_EMAIL},
    };
    xmlNodePtr n = epp_child(parent, NS, "disclose");
    if (!n)
        return REG_OK;
    out->given = true;
    out->flag = epp_attr_true(n, "flag");
    for (xmlNodePtr k = epp_child(n, NS, NULL); k; k = epp_next_sibling(k, NS, NULL)) {
        size_t i = 0;
        while (i < sizeof fields / sizeof fields[0] && strcmp(fields[i].name, (const char *)k->name))
            i++;
        if (i == sizeof fields / sizeof fields[0])
            return reg_fail(d->st, REG_ERR_INVALID, "disclose does not know <%s>",
                            (const char *)k->name);
        char *type = xa_attr(d->a, k, "type");
        out->fields |= type && !strcmp(type, "loc") ? fields[i].loc_bit : fields[i].int_bit;
    }
    return REG_OK;
}

/* The postal data, phones, email, auth info and disclose of parent (the
 * create element, or <contact:chg>), and the regc:VERB extension. */
static reg_err read_data(struct dctx *d, xmlNodePtr parent, const char *verb,
                         struct epp_contact_data *out)
{
    if (read_postal(d, parent, out->postal) || read_disclose(d, parent, &out->disclose))
        return d->st->code;
    decode_phone(d, parent, NS, "voice", &out->voice);
    decode_phone(d, parent, NS, "fax", &out->fax);
    out->email = xa_child_text(d->a, parent, NS, "email");
    decode_authinfo(d, parent, NS, &out->auth);
    xmlNodePtr ext = dctx_ext(d, EPP_NS_REG_CONTACT, verb);
    if (!ext)
        return REG_OK;
    out->kind = xa_child_text(d->a, ext, EPP_NS_REG_CONTACT, "type");
    xmlNodePtr ident = epp_child(ext, EPP_NS_REG_CONTACT, "ident");
    if (ident) {
        out->ident.given = true;
        out->ident.type = xa_attr(d->a, ident, "type");
        out->ident.cc = xa_attr(d->a, ident, "cc");
        out->ident.value = xa_text(d->a, ident);
    }
    decode_phone(d, ext, EPP_NS_REG_CONTACT, "mobile", &out->mobile);
    return REG_OK;
}

/* ---- contact commands ---------------------------------------------------------------- */

static char *id_of(struct dctx *d)
{
    return xa_child_text(d->a, d->obj, NULL, "id");
}

static reg_err decode_contact_check(struct dctx *d)
{
    return decode_names(d, d->obj, NS, "id", EPP_CHECK_MAX, "names or ids per check",
                        &d->r->u.id_check.ids);
}

static reg_err decode_contact_info(struct dctx *d)
{
    d->r->u.contact_info.id = id_of(d);
    decode_authinfo(d, d->obj, NS, &d->r->u.contact_info.auth);
    return REG_OK;
}

static reg_err decode_contact_create(struct dctx *d)
{
    d->r->u.contact_create.id = id_of(d);
    return read_data(d, d->obj, "create", &d->r->u.contact_create.d);
}

static reg_err decode_contact_update(struct dctx *d)
{
    struct epp_contact_update *u = &d->r->u.contact_update;
    u->id = id_of(d);
    if (decode_statuses(d, epp_child(d->obj, NS, "add"), NS, &u->add, &u->nadd) ||
        decode_statuses(d, epp_child(d->obj, NS, "rem"), NS, &u->rem, &u->nrem))
        return d->st->code;
    xmlNodePtr chg = epp_child(d->obj, NS, "chg");
    if (chg)
        return read_data(d, chg, "update", &u->chg);
    /* the extension alone may change the type, ident or mobile */
    return read_data(d, NULL, "update", &u->chg);
}

static reg_err decode_contact_delete(struct dctx *d)
{
    d->r->u.id = id_of(d);
    return REG_OK;
}

static reg_err decode_contact_transfer(struct dctx *d)
{
    struct epp_contact_transfer *t = &d->r->u.contact_transfer;
    if (decode_xfer_op(d, &t->op))
        return d->st->code;
    t->id = id_of(d);
    decode_authinfo(d, d->obj, NS, &t->auth);
    return REG_OK;
}

reg_err decode_contact(struct dctx *d)
{
    static reg_err (*const decoders[EPP_CMD__COUNT])(struct dctx *) = {
        [EPP_CMD_CHECK] = decode_contact_check,   [EPP_CMD_INFO] = decode_contact_info,
        [EPP_CMD_CREATE] = decode_contact_create, [EPP_CMD_UPDATE] = decode_contact_update,
        [EPP_CMD_DELETE] = decode_contact_delete, [EPP_CMD_TRANSFER] = decode_contact_transfer,
    };
    reg_err (*decode)(struct dctx *) = decoders[d->r->kind];
    return decode ? decode(d)
                  : reg_fail(d->st, REG_ERR_SYNTAX, "%s has no %s command",
                             epp_obj_kind_name(d->r->obj), epp_cmd_kind_name(d->r->kind));
}

/* ---- account (R33-R38) --------------------------------------------------------------- */

#define ANS EPP_NS_ACCOUNT

/* The slot an element names (attribute slot= or name=); the schema only
 * lets a1–a3 and b1–b3 through. */
static int slot_of(struct dctx *d, xmlNodePtr n, const char *attr)
{
    static const char *const slot_names[EPP_ACCOUNT_SLOTS] = {"a1", "a2", "a3", "b1", "b2", "b3"};
    char *name = xa_attr(d->a, n, attr);
    for (int i = 0; name && i < EPP_ACCOUNT_SLOTS; i++)
        if (!strcmp(slot_names[i], name))
            return i;
    reg_fail(d->st, REG_ERR_INVALID, "slot \"%s\" does not exist: an account has admin slots a1, "
                                     "a2, a3 and billing slots b1, b2, b3",
             name ? name : "");
    return -1;
}

static reg_err twice(struct dctx *d, xmlNodePtr n, const char *attr)
{
    return reg_fail(d->st, REG_ERR_SYNTAX, "slot %s is given twice", xa_attr(d->a, n, attr));
}

/* <account:newContact slot="a2" [id="…"]>: its data as a loc postalInfo. */
static void read_new_contact(struct dctx *d, xmlNodePtr n, struct epp_new_contact *c)
{
    c->id = xa_attr(d->a, n, "id");
    c->postal.present = c->postal.has_addr = true;
    c->postal.name = xa_child_text(d->a, n, ANS, "name");
    c->postal.org = xa_child_text(d->a, n, ANS, "org");
    decode_address(d, n, ANS, c->postal.street, &c->postal.city, &c->postal.sp, &c->postal.pc,
                   &c->postal.cc);
    decode_phone(d, n, ANS, "voice", &c->voice);
    c->email = xa_child_text(d->a, n, ANS, "email");
}

/* The <account:contact> and <account:newContact> children of parent. */
static reg_err read_fills(struct dctx *d, xmlNodePtr parent,
                          struct epp_account_fill fills[EPP_ACCOUNT_SLOTS])
{
    for (xmlNodePtr n = epp_child(parent, ANS, NULL); n; n = epp_next_sibling(n, ANS, NULL)) {
        bool is_new = !strcmp((const char *)n->name, "newContact");
        if (!is_new && strcmp((const char *)n->name, "contact"))
            continue;
        int slot = slot_of(d, n, "slot");
        if (slot < 0)
            return d->st->code;
        struct epp_account_fill *f = &fills[slot];
        if (f->given)
            return twice(d, n, "slot");
        f->given = true;
        f->is_new = is_new;
        if (is_new)
            read_new_contact(d, n, &f->new_contact);
        else
            f->contact = xa_token(d->a, n);
    }
    return REG_OK;
}

/* <account:slot name="a2">…fields…</account:slot> (R38) */
static reg_err read_slot_changes(struct dctx *d, struct epp_slot_change chg[EPP_ACCOUNT_SLOTS])
{
    for (xmlNodePtr n = epp_child(d->obj, ANS, "slot"); n; n = epp_next_sibling(n, ANS, "slot")) {
        int slot = slot_of(d, n, "name");
        if (slot < 0)
            return d->st->code;
        struct epp_slot_change *c = &chg[slot];
        if (c->given)
            return twice(d, n, "name");
        c->given = true;
        c->name = xa_child_text(d->a, n, ANS, "name");
        c->org = xa_child_text(d->a, n, ANS, "org");
        c->has_street = decode_address(d, n, ANS, c->street, &c->city, &c->sp, &c->pc, &c->cc);
        decode_phone(d, n, ANS, "voice", &c->voice);
        c->email = xa_child_text(d->a, n, ANS, "email");
    }
    return REG_OK;
}

static reg_err decode_account_create(struct dctx *d)
{
    struct epp_account_create *c = &d->r->u.account_create;
    c->id = id_of(d);
    c->billing = xa_child_text(d->a, d->obj, ANS, "billing");
    return read_fills(d, d->obj, c->slot);
}

static reg_err decode_account_update(struct dctx *d)
{
    struct epp_account_update *u = &d->r->u.account_update;
    u->id = id_of(d);
    u->billing = xa_child_text(d->a, epp_child(d->obj, ANS, "chg"), ANS, "billing");
    xmlNodePtr add = epp_child(d->obj, ANS, "add"), rem = epp_child(d->obj, ANS, "rem");
    if (add && read_fills(d, add, u->add))
        return d->st->code;
    for (xmlNodePtr n = epp_child(rem, ANS, "contact"); n; n = epp_next_sibling(n, ANS, "contact")) {
        int slot = slot_of(d, n, "slot");
        if (slot < 0)
            return d->st->code;
        if (u->rem[slot])
            return twice(d, n, "slot");
        u->rem[slot] = xa_token(d->a, n);
    }
    return read_slot_changes(d, u->chg);
}

reg_err decode_account(struct dctx *d)
{
    switch (d->r->kind) {
    case EPP_CMD_CHECK:
        return decode_names(d, d->obj, ANS, "id", EPP_CHECK_MAX, "names or ids per check",
                            &d->r->u.id_check.ids);
    case EPP_CMD_INFO:
        d->r->u.id = id_of(d);
        return REG_OK;
    case EPP_CMD_CREATE:
        return decode_account_create(d);
    case EPP_CMD_UPDATE:
        return decode_account_update(d);
    default: /* the schema has no other account command */
        return reg_fail(d->st, REG_ERR_SYNTAX, "account has no %s command",
                        epp_cmd_kind_name(d->r->kind));
    }
}
