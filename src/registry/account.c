/* Registrant accounts (R33–R38): see account.h. Slot rules are checked
 * here with a message naming the rule; migration 0014's CHECK constraints
 * guard the same rules in the database. Every change records a history
 * version (R40) with the account as JSON after it. */
#include "account.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact_internal.h"
#include "account_store.h"
#include "contrib/strutil.h"
#include "history.h"

/* the slot is being filled by this command (contact not resolved or made yet) */
#define FILLING (-1)

/* The reason st already holds, after a prefix naming where it happened
 * (which slot, which id rules). */
static reg_err prefixed(reg_status *st, reg_err code, const char *prefix)
{
    char reason[sizeof st->reason];
    str_copy(reason, sizeof reason, st->reason);
    return reg_fail(st, code, "%s: %s", prefix, reason);
}

bool account_slot_is_admin(int slot) { return slot >= ACCOUNT_A1 && slot <= ACCOUNT_A3; }

/* --- memory ----------------------------------------------------------------- */

static void fill_free(struct account_fill *f)
{
    free(f->contact);
    contact_create_req_free(&f->new_contact);
    memset(f, 0, sizeof *f);
}

static void change_free(struct account_slot_change *c)
{
    char *strs[] = {c->name, c->org, c->city, c->sp, c->pc, c->cc, c->email, c->voice, c->voice_x};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(strs[i]);
    for (int i = 0; i < CONTACT_STREETS; i++)
        free(c->street[i]);
    memset(c, 0, sizeof *c);
}

void account_create_req_free(struct account_create_req *r)
{
    free(r->id);
    free(r->billing);
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        fill_free(&r->slot[i]);
    memset(r, 0, sizeof *r);
}

void account_update_req_free(struct account_update_req *r)
{
    free(r->id);
    free(r->billing);
    for (int i = 0; i < ACCOUNT_SLOTS; i++) {
        free(r->rem[i]);
        fill_free(&r->add[i]);
        change_free(&r->chg[i]);
    }
    memset(r, 0, sizeof *r);
}

/* --- loading ---------------------------------------------------------------- */

/* The client's id (any case, never prefixed): 2005 for ids R3 does not
 * allow, 2303 if there is no such account. */
static reg_err load_input(const struct reg_op *op, const char *id, bool lock, struct account *a,
                          reg_status *st)
{
    char handle[CONTACT_ID_MAX + 1];
    memset(a, 0, sizeof *a);
    if (names_contact_lookup(id, handle, st))
        return prefixed(st, st->code, "account ids follow the contact id rules");
    bool found;
    if (account_load(op, handle, 0, lock, a, &found, st))
        return st->code;
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "account %s does not exist", handle);
    return REG_OK;
}

static bool is_sponsor(const struct reg_op *op, const struct account *a)
{
    return op->registrar_id == 0 /* staff */ || op->registrar_id == a->sponsor_id;
}

/* --- check and info ---------------------------------------------------------- */

reg_err account_check(const struct reg_op *op, const char *id, bool *avail, char reason[160],
                      reg_status *st)
{
    char registrar[REGISTRAR_HANDLE_MAX + 1];
    if (registrar_handle_of(op->db, op->registrar_id, registrar, st))
        return st->code;
    return contact_id_check(op, registrar, id, account_handle_taken, avail, reason, st);
}

reg_err account_info(const struct reg_op *op, const char *id, struct account *out,
                     reg_status *st)
{
    if (load_input(op, id, false, out, st))
        return st->code;
    out->full = is_sponsor(op, out);
    if (!out->full) { /* the slots are the sponsor's business */
        memset(out->slot_id, 0, sizeof out->slot_id);
        memset(out->slot, 0, sizeof out->slot);
        out->domains = 0;
    }
    return REG_OK;
}

/* --- the slot rules ---------------------------------------------------------- */

/* The slots a command leaves filled: ids (FILLING while this command fills
 * the slot, 0 for empty) and handles of existing contacts. */
struct slots {
    int64_t id[ACCOUNT_SLOTS];
    char handle[ACCOUNT_SLOTS][CONTACT_ID_MAX + 1];
    char billing[12];
};

/* R34 and R35: which slots are filled, checked before anything is
 * resolved or created. `update` words the a1 message for an update. */
static reg_err check_shape(const struct slots *s, bool update, reg_status *st)
{
    if (!s->id[ACCOUNT_A1])
        return update ? reg_fail(st, REG_ERR_POLICY,
                                 "slot a1 cannot be emptied, only replaced: add the new a1 "
                                 "contact in the same update")
                      : reg_fail(st, REG_ERR_POLICY,
                                 "slot a1 must be filled: it holds the registrant's own contact, "
                                 "with an email address");
    for (int i = ACCOUNT_B2; i <= ACCOUNT_B3; i++)
        if (s->id[i] && !s->id[ACCOUNT_B1])
            return reg_fail(st, REG_ERR_POLICY,
                            "slot %s can only be filled while b1 is: billing contacts fill b1 "
                            "first",
                            account_slot_name(i));
    bool billing_contacts = s->id[ACCOUNT_B1] || s->id[ACCOUNT_B2] || s->id[ACCOUNT_B3];
    if (billing_contacts && strcmp(s->billing, "registrant"))
        return reg_fail(st, REG_ERR_POLICY,
                        "billing contacts (slots b1-b3) are only for accounts the registry bills "
                        "directly; this account's billing is %s: set billing to registrant, or "
                        "leave b1-b3 empty",
                        s->billing);
    return REG_OK;
}

/* R36: one contact in at most one admin slot and one billing slot. */
static reg_err check_distinct(const struct slots *s, reg_status *st)
{
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        for (int j = i + 1; j < ACCOUNT_SLOTS; j++) {
            if (account_slot_is_admin(i) != account_slot_is_admin(j) || s->id[i] <= 0 ||
                s->id[i] != s->id[j])
                continue;
            return reg_fail(st, REG_ERR_POLICY,
                            "contact %s cannot fill both %s and %s: one contact fills at most "
                            "one %s slot",
                            s->handle[i], account_slot_name(i), account_slot_name(j),
                            account_slot_is_admin(i) ? "admin" : "billing");
        }
    return REG_OK;
}

static reg_err check_billing(const char *billing, reg_status *st)
{
    if (strcmp(billing, "registrar") && strcmp(billing, "registrant"))
        return reg_fail(st, REG_ERR_INVALID, "billing is registrar or registrant, not \"%s\"",
                        billing);
    return REG_OK;
}

/* An existing contact for a slot: its id and stored handle (2303 if none). */
static reg_err resolve_contact(const struct reg_op *op, int slot, const char *input,
                               struct slots *s, reg_status *st)
{
    if (names_contact_lookup(input, s->handle[slot], st))
        return prefixed(st, st->code, account_slot_name(slot));
    s->id[slot] = contact_id_by_handle(op->db, s->handle[slot]);
    if (!s->id[slot])
        return reg_fail(st, REG_ERR_NOT_FOUND, "contact %s (slot %s) does not exist",
                        s->handle[slot], account_slot_name(slot));
    return REG_OK;
}

/* R34: a1 holds the registrant's own details including an email (their
 * way into self-service, R39); every contact object has one, so this
 * guards data from elsewhere. */
static reg_err check_a1_email(const struct reg_op *op, const struct slots *s, reg_status *st)
{
    if (s->id[ACCOUNT_A1] <= 0)
        return REG_OK;
    db_stmt *q = db_query(op->db, "SELECT email FROM contact WHERE id = ?");
    db_bind_int(q, 1, s->id[ACCOUNT_A1]);
    char email[256] = "";
    if (db_next(q))
        str_copy(email, sizeof email, db_col_text(q, 0));
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    if (!strchr(email, '@'))
        return reg_fail(st, REG_ERR_POLICY,
                        "contact %s cannot fill slot a1: a1 holds the registrant's own details "
                        "including an email address, and %s has none",
                        s->handle[ACCOUNT_A1], s->handle[ACCOUNT_A1]);
    return REG_OK;
}

/* One account per registrant and registrar: the account a domain with
 * this registrant joins must be unambiguous (R37). */
static reg_err check_holder_free(const struct reg_op *op, int64_t sponsor_id, int64_t account_id,
                                 const struct slots *s, reg_status *st)
{
    if (s->id[ACCOUNT_A1] <= 0)
        return REG_OK;
    db_stmt *q = db_query(op->db, "SELECT handle FROM account WHERE sponsor_id = ? AND "
                                  "a1_id = ? AND id <> ?");
    db_bind_int(q, 1, sponsor_id);
    db_bind_int(q, 2, s->id[ACCOUNT_A1]);
    db_bind_int(q, 3, account_id);
    char other[CONTACT_ID_MAX + 1] = "";
    if (db_next(q))
        str_copy(other, sizeof other, db_col_text(q, 0));
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    if (other[0])
        return reg_fail(st, REG_ERR_ASSOCIATION,
                        "contact %s already holds slot a1 of account %s: a registrant has one "
                        "account per registrar; use that account",
                        s->handle[ACCOUNT_A1], other);
    return REG_OK;
}

/* R37: the contact objects of slots given as data. */
static reg_err create_new_contacts(const struct reg_op *op, const struct account_fill fills[],
                                   struct slots *s, reg_status *st)
{
    for (int i = 0; i < ACCOUNT_SLOTS; i++) {
        if (!fills[i].given || !fills[i].is_new)
            continue;
        char where[32];
        snprintf(where, sizeof where, "slot %s (new contact)", account_slot_name(i));
        if (contact_create(op, &fills[i].new_contact, s->handle[i], st))
            return prefixed(st, st->code, where);
        s->id[i] = contact_id_by_handle(op->db, s->handle[i]);
        if (!s->id[i])
            return reg_fail(st, REG_ERR_INTERNAL, "contact %s vanished", s->handle[i]);
    }
    return REG_OK;
}

/* Fills `s` from the command's slots: existing contacts resolved, new
 * ones marked; then every rule that does not need the new objects; then
 * the new contacts are made. Nothing is written before the rules pass. */
static reg_err apply_fills(const struct reg_op *op, int64_t sponsor_id, int64_t account_id,
                           const struct account_fill fills[], struct slots *s, bool update,
                           reg_status *st)
{
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        if (fills[i].given)
            s->id[i] = FILLING;
    if (check_billing(s->billing, st) || check_shape(s, update, st))
        return st->code;
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        if (fills[i].given && !fills[i].is_new &&
            resolve_contact(op, i, fills[i].contact, s, st))
            return st->code;
    bool a1_given = fills[ACCOUNT_A1].given && !fills[ACCOUNT_A1].is_new;
    if (check_distinct(s, st) ||
        (a1_given && (check_a1_email(op, s, st) ||
                      check_holder_free(op, sponsor_id, account_id, s, st))))
        return st->code;
    return create_new_contacts(op, fills, s, st);
}

static void bind_slots(db_stmt *q, int first, const struct slots *s)
{
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        db_bind_int_or_null(q, first + i, s->id[i] > 0, s->id[i]);
}

/* --- create ------------------------------------------------------------------ */

reg_err account_create(const struct reg_op *op, const struct account_create_req *req,
                       char handle[CONTACT_ID_MAX + 1], reg_status *st)
{
    char registrar[REGISTRAR_HANDLE_MAX + 1];
    handle[0] = '\0';
    if (registrar_handle_of(op->db, op->registrar_id, registrar, st))
        return st->code;
    if (names_contact_id(&op->policy->names, registrar, req->id, handle, st))
        return prefixed(st, st->code, "account ids follow the contact id rules");
    bool taken;
    if (account_handle_taken(op, handle, &taken, st))
        return st->code;
    if (taken)
        return reg_fail(st, REG_ERR_EXISTS, "account %s already exists", handle);
    struct slots s = {0};
    str_copy(s.billing, sizeof s.billing, req->billing ? req->billing : "registrar");
    if (apply_fills(op, op->registrar_id, 0, req->slot, &s, false, st))
        return st->code;
    db_stmt *q = db_query(op->db, "INSERT INTO account (handle, sponsor_id, creator_id, billing, "
                                  "a1_id, a2_id, a3_id, b1_id, b2_id, b3_id, created_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(q, 1, handle);
    db_bind_int(q, 2, op->registrar_id);
    db_bind_int(q, 3, op->registrar_id);
    db_bind_text(q, 4, s.billing);
    bind_slots(q, 5, &s);
    db_bind_int(q, 11, op->now);
    int64_t id = db_next(q) ? db_col_int(q, 0) : 0;
    reg_err e = db_done(q);
    if (e == REG_ERR_DB_CONSTRAINT) { /* a concurrent create won? */
        reg_status why = {0};
        op_db_fail(op, st, e);
        if (!account_handle_taken(op, handle, &taken, &why) && taken)
            return reg_fail(st, REG_ERR_EXISTS, "account %s already exists", handle);
        return e;
    }
    if (e)
        return op_db_fail(op, st, e);
    return account_record_version(op, id, "create", st);
}

/* --- update ------------------------------------------------------------------ */

static bool has_changes(const struct account_update_req *r)
{
    if (r->billing)
        return true;
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        if (r->rem[i] || r->add[i].given || r->chg[i].given)
            return true;
    return false;
}

/* Slots emptied by rem must hold the contact the client names. */
static reg_err apply_rems(const struct account *a, const struct account_update_req *r,
                          struct slots *s, reg_status *st)
{
    for (int i = 0; i < ACCOUNT_SLOTS; i++) {
        if (!r->rem[i])
            continue;
        char h[CONTACT_ID_MAX + 1];
        if (names_contact_lookup(r->rem[i], h, st))
            return prefixed(st, st->code, account_slot_name(i));
        if (!s->id[i])
            return reg_fail(st, REG_ERR_POLICY, "slot %s of account %s is empty: nothing to remove",
                            account_slot_name(i), a->handle);
        if (strcmp(h, s->handle[i]))
            return reg_fail(st, REG_ERR_POLICY, "slot %s of account %s holds %s, not %s",
                            account_slot_name(i), a->handle, s->handle[i], h);
        s->id[i] = 0;
        s->handle[i][0] = '\0';
    }
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        if (r->add[i].given && s->id[i])
            return reg_fail(st, REG_ERR_POLICY,
                            "slot %s of account %s already holds %s: remove it (rem) in the same "
                            "update to replace it",
                            account_slot_name(i), a->handle, s->handle[i]);
    return REG_OK;
}

static bool change_is_empty(const struct account_slot_change *ch)
{
    return !ch->name && !ch->org && !ch->city && !ch->sp && !ch->pc && !ch->cc && !ch->email &&
           !ch->has_street && !ch->chg_voice;
}

static const char *or_else(const char *given, const char *current)
{
    return given ? given : current;
}

/* R38: the slot's field changes as a contact update of the contact in
 * it. The fields go to its loc postalInfo, or its int one if it has no
 * loc; an address field given keeps the others. */
static reg_err change_slot_contact(const struct reg_op *op, const struct account *a, int slot,
                                   const char *handle, const struct account_slot_change *ch,
                                   reg_status *st)
{
    if (change_is_empty(ch))
        return reg_fail(st, REG_ERR_MISSING, "slot %s: give at least one field to change",
                        account_slot_name(slot));
    if (!handle[0])
        return reg_fail(st, REG_ERR_POLICY,
                        "slot %s of account %s is empty: there is no contact to change",
                        account_slot_name(slot), a->handle);
    struct contact k;
    if (contact_info(op, handle, NULL, &k, st))
        return st->code;
    if (k.view != CONTACT_VIEW_SPONSOR) {
        reg_fail(st, REG_ERR_AUTHZ,
                 "contact %s in slot %s is sponsored by %s; only its sponsor may change it",
                 handle, account_slot_name(slot), k.sponsor);
        contact_free(&k);
        return st->code;
    }
    int t = k.d.postal[CONTACT_LOC].present ? CONTACT_LOC : CONTACT_INT;
    const struct contact_postal *cur = &k.d.postal[t];
    struct contact_update_req u = {.id = (char *)handle};
    struct contact_postal *p = &u.postal[t];
    bool addr = ch->has_street || ch->city || ch->sp || ch->pc || ch->cc;
    p->present = addr || ch->name || ch->org;
    p->name = ch->name;
    p->org = ch->org;
    if (addr) {
        p->has_addr = true;
        for (int i = 0; i < CONTACT_STREETS; i++)
            p->street[i] = ch->has_street ? ch->street[i] : cur->street[i];
        p->city = (char *)or_else(ch->city, cur->city);
        p->sp = (char *)or_else(ch->sp, cur->sp);
        p->pc = (char *)or_else(ch->pc, cur->pc);
        p->cc = (char *)or_else(ch->cc, cur->cc);
    }
    u.chg_voice = ch->chg_voice;
    u.voice = ch->voice;
    u.voice_x = ch->voice_x;
    u.email = ch->email;
    reg_err e = contact_update(op, &u, st); /* borrowed strings: not freed */
    contact_free(&k);
    if (e) {
        char where[CONTACT_ID_MAX + 32];
        snprintf(where, sizeof where, "slot %s (contact %s)", account_slot_name(slot), handle);
        return prefixed(st, e, where);
    }
    return REG_OK;
}

static reg_err write_update(const struct reg_op *op, const struct account *a,
                            const struct slots *s, reg_status *st)
{
    db_stmt *q = db_query(op->db, "UPDATE account SET billing = ?, a1_id = ?, a2_id = ?, "
                                  "a3_id = ?, b1_id = ?, b2_id = ?, b3_id = ?, updated_at = ?, "
                                  "updater_id = ? WHERE id = ?");
    db_bind_text(q, 1, s->billing);
    bind_slots(q, 2, s);
    db_bind_int(q, 8, op->now);
    db_bind_int_or_null(q, 9, op->registrar_id, op->registrar_id);
    db_bind_int(q, 10, a->id);
    reg_err e = db_run(q);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err account_update(const struct reg_op *op, const struct account_update_req *r,
                       reg_status *st)
{
    struct account a;
    if (load_input(op, r->id, true, &a, st))
        return st->code;
    if (!is_sponsor(op, &a))
        return reg_fail(st, REG_ERR_AUTHZ,
                        "account %s is sponsored by %s; only its sponsor may update it", a.handle,
                        a.sponsor);
    if (!has_changes(r))
        return reg_fail(st, REG_ERR_MISSING,
                        "nothing to change: give add, rem, chg or a slot's fields");
    struct slots s = {0};
    memcpy(s.id, a.slot_id, sizeof s.id);
    memcpy(s.handle, a.slot, sizeof s.handle);
    str_copy(s.billing, sizeof s.billing, r->billing ? r->billing : a.billing);
    if (apply_rems(&a, r, &s, st) || apply_fills(op, a.sponsor_id, a.id, r->add, &s, true, st) ||
        write_update(op, &a, &s, st))
        return st->code;
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        if (r->chg[i].given && change_slot_contact(op, &a, i, s.handle[i], &r->chg[i], st))
            return st->code;
    return account_record_version(op, a.id, "update", st);
}

