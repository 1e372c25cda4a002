/* The self-service site's auth-code request and "my data": see
 * selfservice_data.h. The rules are the EPP ones (authinfo_request.h,
 * otp.h, account.h, contact.h, idcheck.h); this file only checks who may
 * act and finds which form field a refusal is about. */
#include "selfservice_data.h"

#include <stdio.h>
#include <string.h>

#include "account.h"
#include "contrib/strutil.h"
#include "registrar.h"
#include "selfservice.h"

/* ---- R15-R17 -------------------------------------------------------------------------------- */

reg_err selfservice_authcode_get(const struct reg_op *op, int64_t contact_id, const char *name,
                                 struct selfservice_authcode *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    struct selfservice_domain sd;
    if (selfservice_domain_get(op, contact_id, name, &sd, st) ||
        authinfo_request_latest(op, sd.name, &out->req, &out->any, st))
        return st->code;
    out->open = out->any && !out->req.closed_at;
    out->overdue = out->open && authinfo_request_overdue(op, &out->req);
    return REG_OK;
}

reg_err selfservice_authcode_request(const struct reg_op *op, int64_t contact_id,
                                     const char *name, struct selfservice_authcode *out,
                                     reg_status *st)
{
    struct selfservice_domain sd;
    struct authinfo_req r;
    bool existed;
    if (selfservice_domain_get(op, contact_id, name, &sd, st) ||
        authinfo_request(op, sd.name, NULL, &r, &existed, st))
        return st->code;
    return selfservice_authcode_get(op, contact_id, name, out, st);
}

reg_err selfservice_otp_request(const struct reg_op *op, int64_t contact_id, const char *name,
                                const char *gaining, const char *channel, struct otp_sent *out,
                                reg_status *st)
{
    memset(out, 0, sizeof *out);
    struct selfservice_authcode a;
    if (selfservice_authcode_get(op, contact_id, name, &a, st))
        return st->code;
    if (!a.overdue)
        return reg_fail(st, REG_ERR_POLICY,
                        "a one-time password is offered once your registrar has let the "
                        "deadline of your auth-code request pass");
    char handle[REGISTRAR_HANDLE_MAX + 1];
    if (registrar_handle_normalize(gaining ? gaining : "", handle, st))
        return st->code;
    int64_t id = registrar_id_by_handle(op->db, handle);
    if (!id)
        return reg_fail(st, REG_ERR_INVALID, "there is no registrar %s", handle);
    struct selfservice_domain sd;
    if (selfservice_domain_get(op, contact_id, name, &sd, st))
        return st->code;
    if (!strcmp(sd.registrar, handle)) /* otp_request's words are the registrar's */
        return reg_fail(st, REG_ERR_NOT_TRANSFERABLE, "%s is with that registrar already",
                        sd.name);
    /* the password is the new registrar's, as if it had asked over EPP */
    struct reg_op as = *op;
    as.registrar_id = id;
    return otp_request(&as, a.req.domain, channel, out, st);
}

/* ---- R38: my data --------------------------------------------------------------------------- */

reg_err selfservice_accounts_each(const struct reg_op *op, int64_t contact_id,
                                  void (*fn)(const struct account *a, void *arg), void *arg,
                                  reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT id FROM account WHERE a1_id = ? OR a2_id = ? OR "
                                  "a3_id = ? ORDER BY handle");
    for (int i = 1; i <= 3; i++)
        db_bind_int(s, i, contact_id);
    int64_t ids[64];
    size_t n = 0;
    while (db_next(s) && n < sizeof ids / sizeof ids[0])
        ids[n++] = db_col_int(s, 0);
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    for (size_t i = 0; i < n; i++) {
        struct account a;
        bool found;
        if (account_load(op, NULL, ids[i], false, &a, &found, st))
            return st->code;
        if (found) {
            a.full = true;
            fn(&a, arg);
        }
    }
    return REG_OK;
}

/* The account `handle` when the contact fills one of its admin slots;
 * the index of `slot` in *slot_index. */
static reg_err administered(const struct reg_op *op, int64_t contact_id, const char *handle,
                            const char *slot, struct account *a, int *slot_index, reg_status *st)
{
    bool found = false;
    if (handle && handle[0] && account_load(op, handle, 0, true, a, &found, st))
        return st->code;
    bool admin = false;
    for (int i = ACCOUNT_A1; found && i <= ACCOUNT_A3; i++)
        admin = admin || a->slot_id[i] == contact_id;
    if (!admin)
        return reg_fail(st, REG_ERR_NOT_FOUND, "you administer no account %s",
                        handle ? handle : "");
    *slot_index = account_slot_parse(slot ? slot : "");
    if (*slot_index < 0)
        return reg_fail(st, REG_ERR_INVALID, "there is no slot \"%s\"", slot ? slot : "");
    if (!a->slot_id[*slot_index])
        return reg_fail(st, REG_ERR_POLICY, "slot %s of account %s is empty",
                        account_slot_name(*slot_index), a->handle);
    return REG_OK;
}

/* The contact in `slot` of account `handle`, which the contact
 * administers (free k with contact_free). */
static reg_err slot_contact(const struct reg_op *op, int64_t contact_id, const char *handle,
                            const char *slot, struct account *a, int *slot_index,
                            struct contact *k, reg_status *st)
{
    bool found;
    if (administered(op, contact_id, handle, slot, a, slot_index, st) ||
        contact_load(op, a->slot[*slot_index], k, &found, st))
        return st->code;
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist",
                        a->slot[*slot_index]);
    return REG_OK;
}

/* Whether a form's value differs from the stored one (NULL: not sent). */
static bool differs(const char *given, const char *stored)
{
    return given && strcmp(given, stored ? stored : "");
}

/* account_slot_change's fields are not const; it only reads them */
static char *value(const char *given)
{
    return (char *)given;
}

static reg_err slot_change(const struct reg_op *op, const struct account *a, int slot,
                           const struct account_slot_change *ch, reg_status *st)
{
    struct account_update_req r = {.id = (char *)a->handle};
    r.chg[slot] = *ch;
    r.chg[slot].given = true;
    return account_update(op, &r, st);
}

reg_err selfservice_slot_update(const struct reg_op *op, int64_t contact_id, const char *account,
                                const char *slot, const struct selfservice_slot_form *f,
                                bool *changed, char field[SELFSERVICE_FIELD_MAX], reg_status *st)
{
    *changed = false;
    field[0] = '\0';
    struct account a;
    int i;
    struct contact k;
    if (slot_contact(op, contact_id, account, slot, &a, &i, &k, st))
        return st->code;
    const struct contact_postal *cur =
        &k.d.postal[k.d.postal[CONTACT_LOC].present ? CONTACT_LOC : CONTACT_INT];
    bool street = false;
    for (int n = 0; n < CONTACT_STREETS; n++)
        street = street || differs(f->street[n], cur->street[n]);
    /* one contact update per part that differs, in the form's order: the
     * first refusal names its field */
    struct {
        const char *field;
        bool differs;
        struct account_slot_change ch;
    } parts[] = {
        {"name", differs(f->name, cur->name), {.name = value(f->name)}},
        {"org", differs(f->org, cur->org), {.org = value(f->org)}},
        {"street",
         street || differs(f->city, cur->city) || differs(f->sp, cur->sp) ||
             differs(f->pc, cur->pc) || differs(f->cc, cur->cc),
         {.has_street = true,
          .city = value(f->city ? f->city : cur->city),
          .sp = value(f->sp ? f->sp : cur->sp),
          .pc = value(f->pc ? f->pc : cur->pc),
          .cc = value(f->cc ? f->cc : cur->cc)}},
        {"voice", differs(f->voice, k.d.voice), {.chg_voice = true, .voice = value(f->voice)}},
        {"email", differs(f->email, k.d.email), {.email = value(f->email)}},
    };
    /* the lines given, blank ones left out (the form always has three) */
    for (size_t n = 0, kept = 0; n < CONTACT_STREETS; n++) {
        const char *line = street ? f->street[n] : cur->street[n];
        if (line && line[0])
            parts[2].ch.street[kept++] = value(line);
    }
    bool ident = differs(f->ident_type, k.d.ident_type) ||
                 differs(f->ident_value, k.d.ident_value) || differs(f->ident_cc, k.d.ident_cc);
    reg_err e = REG_OK;
    /* Where one-time passwords and reset links go is decided by the
     * contact itself or the account's first administrator (a1): a2 or a3
     * could otherwise move a1's mail to an address of theirs and then ask
     * for a transfer password (R16) */
    if (differs(f->email, k.d.email) && k.id != contact_id && a.slot_id[ACCOUNT_A1] != contact_id) {
        str_copy(field, SELFSERVICE_FIELD_MAX, "email");
        e = reg_fail(st, REG_ERR_AUTHZ, "only %s itself or the account's first administrator (a1) "
                     "can change its e-mail address", k.handle);
    }
    for (size_t n = 0; !e && n < sizeof parts / sizeof parts[0]; n++) {
        if (!parts[n].differs)
            continue;
        *changed = true;
        if ((e = slot_change(op, &a, i, &parts[n].ch, st)))
            str_copy(field, SELFSERVICE_FIELD_MAX, parts[n].field);
    }
    if (!e && ident) {
        /* not a slot field over EPP either: the contact's own update (R5) */
        *changed = true;
        struct contact_update_req u = {.id = a.slot[i],
                                       .chg_ident = true,
                                       .ident_type = value(f->ident_type ? f->ident_type
                                                                         : k.d.ident_type),
                                       .ident_value = value(f->ident_value ? f->ident_value
                                                                           : k.d.ident_value),
                                       .ident_cc = value(f->ident_cc ? f->ident_cc
                                                                     : k.d.ident_cc)};
        if ((e = contact_update(op, &u, st)))
            str_copy(field, SELFSERVICE_FIELD_MAX, "ident_value");
    }
    contact_free(&k);
    return e;
}

unsigned selfservice_disclose_choosable(const char *kind)
{
    unsigned phone_mail = CONTACT_DISCLOSE_VOICE | CONTACT_DISCLOSE_EMAIL;
    if (kind && (!strcmp(kind, "organization") || !strcmp(kind, "role")))
        return phone_mail;
    return phone_mail | CONTACT_DISCLOSE_NAME_INT | CONTACT_DISCLOSE_NAME_LOC |
           CONTACT_DISCLOSE_ADDR_INT | CONTACT_DISCLOSE_ADDR_LOC;
}

unsigned selfservice_disclose_current(const struct contact_data *d)
{
    unsigned out = 0, choosable = selfservice_disclose_choosable(d->kind);
    for (unsigned bit = 1; bit <= CONTACT_DISCLOSE_ALL; bit <<= 1)
        if ((choosable & bit) && contact_discloses(d, bit))
            out |= bit;
    return out;
}

reg_err selfservice_disclose_set(const struct reg_op *op, int64_t contact_id, const char *account,
                                 const char *slot, unsigned bits, reg_status *st)
{
    struct account a;
    int i;
    struct contact k;
    if (slot_contact(op, contact_id, account, slot, &a, &i, &k, st))
        return st->code;
    unsigned choosable = selfservice_disclose_choosable(k.d.kind);
    contact_free(&k);
    bits &= choosable;
    /* flag 1 lists what is shown; nothing chosen: flag 0 withholds the
     * choosable fields (an organisation's name and address stay public) */
    struct contact_update_req u = {.id = a.slot[i],
                                   .chg_disclose = true,
                                   .disclose_flag = bits ? 1 : 0,
                                   .disclose = bits ? bits : choosable | CONTACT_DISCLOSE_FAX};
    return contact_update(op, &u, st);
}

reg_err selfservice_idcheck_eid(const struct reg_op *op, int64_t contact_id, const char *account,
                                const char *slot, const char *evidence, idcheck_outcome *out,
                                reg_status *st)
{
    *out = IDCHECK_ERROR;
    struct account a;
    int i, domains;
    if (administered(op, contact_id, account, slot, &a, &i, st))
        return st->code;
    const struct idcheck_provider *p = idcheck_provider_find(op->policy->selfservice.eid_provider);
    if (idcheck_eid(op, p, a.slot[i], evidence, out, &domains, st))
        return st->code;
    /* a mismatch typed into a form must not fail the check (and suspend
     * the domains): refused, so the caller rolls it back */
    if (*out != IDCHECK_VERIFIED)
        return reg_fail(st, REG_ERR_AUTH, "the identity of the eID is not this contact's");
    return REG_OK;
}
