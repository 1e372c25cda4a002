/* Account rows (account_store.h): loading, history versions (R40) and
 * the links of accounts to domains and contacts (R37). */
#include "account_store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/strutil.h"
#include "domain_store.h"
#include "history.h"

static const char *const slot_names[ACCOUNT_SLOTS] = {"a1", "a2", "a3", "b1", "b2", "b3"};
const char *account_slot_name(int slot)
{
    return slot >= 0 && slot < ACCOUNT_SLOTS ? slot_names[slot] : NULL;
}

int account_slot_parse(const char *name)
{
    for (int i = 0; name && i < ACCOUNT_SLOTS; i++)
        if (!strcmp(name, slot_names[i]))
            return i;
    return -1;
}

#define HANDLE_OF(col) "(SELECT handle FROM contact WHERE id = a." col "), "
/* Subqueries rather than joins, so PostgreSQL can lock the row (FOR UPDATE
 * is not allowed on the nullable side of an outer join). */
#define SELECT_ACCOUNT                                                                             \
    "SELECT a.id, a.handle, a.sponsor_id, (SELECT handle FROM registrar WHERE id = a.sponsor_id), " \
    "(SELECT handle FROM registrar WHERE id = a.creator_id), "                                     \
    "(SELECT handle FROM registrar WHERE id = a.updater_id), a.billing, a.a1_id, a.a2_id, "        \
    "a.a3_id, a.b1_id, a.b2_id, a.b3_id, " HANDLE_OF("a1_id") HANDLE_OF("a2_id")                   \
        HANDLE_OF("a3_id") HANDLE_OF("b1_id") HANDLE_OF("b2_id") HANDLE_OF("b3_id")                \
    "a.created_at, a.updated_at, (SELECT COUNT(*) FROM domain WHERE account_id = a.id) "           \
    "FROM account a "

static void fill_row(db_stmt *s, struct account *a)
{
    a->id = db_col_int(s, 0);
    str_copy(a->handle, sizeof a->handle, db_col_text(s, 1));
    a->sponsor_id = db_col_int(s, 2);
    str_copy(a->sponsor, sizeof a->sponsor, db_col_text(s, 3));
    str_copy(a->creator, sizeof a->creator, db_col_text(s, 4));
    str_copy(a->updater, sizeof a->updater, db_col_text(s, 5));
    str_copy(a->billing, sizeof a->billing, db_col_text(s, 6));
    for (int i = 0; i < ACCOUNT_SLOTS; i++) {
        a->slot_id[i] = db_col_is_null(s, 7 + i) ? 0 : db_col_int(s, 7 + i);
        str_copy(a->slot[i], sizeof a->slot[i], db_col_text(s, 13 + i));
    }
    a->created_at = db_col_int(s, 19);
    a->updated_at = db_col_is_null(s, 20) ? 0 : db_col_int(s, 20);
    a->domains = db_col_int(s, 21);
}

/* By stored handle (`by_id` 0) or by row id; *found false if none. */
reg_err account_load(const struct reg_op *op, const char *handle, int64_t by_id, bool lock,
                     struct account *a, bool *found, reg_status *st)
{
    memset(a, 0, sizeof *a);
    const char *sql = by_id ? (lock ? SELECT_ACCOUNT "WHERE a.id = ? {{for_update}}"
                                    : SELECT_ACCOUNT "WHERE a.id = ?")
                            : (lock ? SELECT_ACCOUNT "WHERE a.handle = ? {{for_update}}"
                                    : SELECT_ACCOUNT "WHERE a.handle = ?");
    db_stmt *s = db_query(op->db, sql);
    if (by_id)
        db_bind_int(s, 1, by_id);
    else
        db_bind_text(s, 1, handle);
    *found = db_next(s);
    if (*found)
        fill_row(s, a);
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (*found) {
        roid_format(a->roid, 'A', a->id, op->policy);
        a->full = true;
    }
    return REG_OK;
}

reg_err account_handle_taken(const struct reg_op *op, const char *handle, bool *taken,
                            reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT 1 FROM account WHERE handle = ?");
    db_bind_text(s, 1, handle);
    *taken = db_next(s);
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* --- history (R40) --------------------------------------------------------- */

static json_t *time_json(reg_time t) { return t ? json_integer(t) : json_null(); }

static json_t *snapshot(const struct account *a, bool deleted)
{
    json_t *o = json_object(), *slots = json_object();
    json_object_set_new(o, "handle", json_string(a->handle));
    json_object_set_new(o, "roid", json_string(a->roid));
    json_object_set_new(o, "sponsor", json_string(a->sponsor));
    json_object_set_new(o, "creator", json_string(a->creator));
    json_object_set_new(o, "updater", a->updater[0] ? json_string(a->updater) : json_null());
    json_object_set_new(o, "billing", json_string(a->billing));
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        json_object_set_new(slots, slot_names[i],
                            a->slot_id[i] ? json_string(a->slot[i]) : json_null());
    json_object_set_new(o, "slots", slots);
    json_object_set_new(o, "created_at", time_json(a->created_at));
    json_object_set_new(o, "updated_at", time_json(a->updated_at));
    if (deleted)
        json_object_set_new(o, "deleted", json_true());
    return o;
}

reg_err account_record(const struct reg_op *op, const struct account *a, const char *action,
                       bool deleted, reg_status *st)
{
    return history_record_json(op, "account", a->id, a->handle, action, snapshot(a, deleted), st);
}

/* Reloads the account after a change and records it. */
reg_err account_record_version(const struct reg_op *op, int64_t id, const char *action,
                               reg_status *st)
{
    struct account a;
    bool found;
    if (account_load(op, NULL, id, false, &a, &found, st))
        return st->code;
    if (!found)
        return reg_fail(st, REG_ERR_INTERNAL, "account %lld vanished during %s", (long long)id,
                        action);
    return account_record(op, &a, action, false, st);
}

/* --- links to domains and contacts (R37) ----------------------------------- */

struct domain_holder {
    int64_t sponsor_id, registrant_id, account_id; /* account_id: 0 if none yet */
    char management[16];
    char sponsor[REGISTRAR_HANDLE_MAX + 1], registrant[CONTACT_ID_MAX + 1];
};

static reg_err domain_holder_of(const struct reg_op *op, int64_t domain_id,
                                struct domain_holder *h, reg_status *st)
{
    memset(h, 0, sizeof *h);
    db_stmt *q = db_query(op->db, "SELECT d.sponsor_id, d.registrant_id, d.management, "
                                  "(SELECT handle FROM registrar WHERE id = d.sponsor_id), "
                                  "(SELECT handle FROM contact WHERE id = d.registrant_id), "
                                  "(SELECT id FROM account WHERE sponsor_id = d.sponsor_id AND "
                                  "a1_id = d.registrant_id) FROM domain d WHERE d.id = ?");
    db_bind_int(q, 1, domain_id);
    bool found = db_next(q);
    if (found) {
        h->sponsor_id = db_col_int(q, 0);
        h->registrant_id = db_col_int(q, 1);
        str_copy(h->management, sizeof h->management, db_col_text(q, 2));
        str_copy(h->sponsor, sizeof h->sponsor, db_col_text(q, 3));
        str_copy(h->registrant, sizeof h->registrant, db_col_text(q, 4));
        h->account_id = db_col_is_null(q, 5) ? 0 : db_col_int(q, 5);
    }
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_INTERNAL, "domain %lld vanished", (long long)domain_id);
    return REG_OK;
}

/* The new account's id: the registrant's own when it carries the
 * sponsor's prefix and no account has it, else REGISTRAR:XXXXXXXX (R2). */
static reg_err holder_account_handle(const struct reg_op *op, const struct domain_holder *h,
                                     char out[CONTACT_ID_MAX + 1], reg_status *st)
{
    size_t n = strlen(h->sponsor);
    bool own = !strncmp(h->registrant, h->sponsor, n) && h->registrant[n] == ':';
    bool taken = true;
    if (own) {
        str_copy(out, CONTACT_ID_MAX + 1, h->registrant);
        if (account_handle_taken(op, out, &taken, st))
            return st->code;
    }
    for (int attempt = 0; taken; attempt++) {
        if (attempt >= 8)
            return reg_fail(st, REG_ERR_INTERNAL, "no free account id for %s", h->registrant);
        if (names_contact_id(&op->policy->names, h->sponsor, NULL, out, st) || account_handle_taken(op, out, &taken, st))
            return st->code;
    }
    return REG_OK;
}

static reg_err create_holder_account(const struct reg_op *op, const struct domain_holder *h,
                                     int64_t *account_id, reg_status *st)
{
    char handle[CONTACT_ID_MAX + 1];
    if (holder_account_handle(op, h, handle, st))
        return st->code;
    db_stmt *q = db_query(op->db, "INSERT INTO account (handle, sponsor_id, creator_id, billing, "
                                  "a1_id, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(q, 1, handle);
    db_bind_int(q, 2, h->sponsor_id);
    db_bind_int(q, 3, h->sponsor_id);
    /* R19: a registrant-managed domain is billed to the registrant */
    db_bind_text(q, 4, !strcmp(h->management, "registrant") ? "registrant" : "registrar");
    db_bind_int(q, 5, h->registrant_id);
    db_bind_int(q, 6, op->now);
    *account_id = db_next(q) ? db_col_int(q, 0) : 0;
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    return account_record_version(op, *account_id, "create", st);
}

reg_err account_attach_domain(const struct reg_op *op, int64_t domain_id, reg_status *st)
{
    struct domain_holder h;
    if (domain_holder_of(op, domain_id, &h, st))
        return st->code;
    int64_t account_id = h.account_id;
    if (!account_id && create_holder_account(op, &h, &account_id, st))
        return st->code;
    return domain_store_set_account(op, domain_id, account_id, st);
}

reg_err account_contact_linked(db *d, int64_t contact_id, bool *linked)
{
    db_stmt *q = db_query(d, "SELECT 1 FROM account a WHERE a.a2_id = ? OR a.a3_id = ? OR "
                             "a.b1_id = ? OR a.b2_id = ? OR a.b3_id = ? OR (a.a1_id = ? AND "
                             "EXISTS (SELECT 1 FROM domain WHERE account_id = a.id))");
    for (int i = 1; i <= 6; i++)
        db_bind_int(q, i, contact_id);
    *linked = db_next(q);
    return db_done(q);
}

reg_err account_release_contact(const struct reg_op *op, int64_t contact_id, reg_status *st)
{
    for (;;) { /* one at a time: at most one per registrar */
        db_stmt *q = db_query(op->db, "SELECT a.id FROM account a WHERE a.a1_id = ? AND NOT "
                                      "EXISTS (SELECT 1 FROM domain WHERE account_id = a.id) "
                                      "ORDER BY a.id LIMIT 1");
        db_bind_int(q, 1, contact_id);
        int64_t id = db_next(q) ? db_col_int(q, 0) : 0;
        reg_err e = db_done(q);
        if (e)
            return op_db_fail(op, st, e);
        if (!id)
            return REG_OK;
        struct account a;
        bool found;
        if (account_load(op, NULL, id, true, &a, &found, st) || account_record(op, &a, "delete", true, st))
            return st->code;
        q = db_query(op->db, "DELETE FROM account WHERE id = ?");
        db_bind_int(q, 1, id);
        if ((e = db_run(q)))
            return op_db_fail(op, st, e);
    }
}
