/* R4: contacts copied to the registrar that gains a domain (contact_copy.h).
 * The copy is made row to row in SQL, not through contact_create: the
 * original may hold data today's checks refuse (R5 exists because the old
 * registry let such idents in), and a copy must not fail on it. */
#include "contact_copy.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact_store.h"
#include "history.h"

static bool same(const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && !strcmp(a, b);
}

static bool same_postal(const struct contact_postal *a, const struct contact_postal *b)
{
    if (a->present != b->present)
        return false;
    if (!a->present)
        return true;
    for (int i = 0; i < CONTACT_STREETS; i++)
        if (!same(a->street[i], b->street[i]))
            return false;
    return same(a->name, b->name) && same(a->org, b->org) && same(a->city, b->city) &&
           same(a->sp, b->sp) && same(a->pc, b->pc) && same(a->cc, b->cc);
}

static bool same_disclose(const struct contact_data *a, const struct contact_data *b)
{
    if (a->has_disclose != b->has_disclose)
        return false;
    return !a->has_disclose || (a->disclose_flag == b->disclose_flag && a->disclose == b->disclose);
}

static bool same_data(const struct contact_data *a, const struct contact_data *b)
{
    return same(a->kind, b->kind) && same(a->ident_type, b->ident_type) &&
           same(a->ident_value, b->ident_value) && same(a->ident_cc, b->ident_cc) &&
           same_postal(&a->postal[CONTACT_INT], &b->postal[CONTACT_INT]) &&
           same_postal(&a->postal[CONTACT_LOC], &b->postal[CONTACT_LOC]) &&
           same(a->voice, b->voice) && same(a->voice_x, b->voice_x) && same(a->fax, b->fax) &&
           same(a->fax_x, b->fax_x) && same(a->email, b->email) && same(a->mobile, b->mobile) &&
           same_disclose(a, b);
}

static bool is_server_status(const char *name) { return !strncmp(name, "server", 6); }

/* Every server status of a is one of b's. */
static bool server_statuses_within(const struct status_set *a, const struct status_set *b)
{
    for (size_t i = 0; i < a->n; i++)
        if (is_server_status(a->items[i].name) && !status_has(b, a->items[i].name))
            return false;
    return true;
}

static bool has_pending(const struct status_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strncmp(s->items[i].name, "pending", 7))
            return true;
    return false;
}

/* Server statuses (registry locks) and the identity check (R21) must match
 * too: reusing a contact must never lift a lock or change whether the
 * domain's registrant is verified. */
bool contact_copy_identical(const struct contact *orig, const struct contact *candidate)
{
    return !has_pending(&candidate->status) && same_data(&orig->d, &candidate->d) &&
           same(orig->idcheck_state, candidate->idcheck_state) &&
           server_statuses_within(&orig->status, &candidate->status) &&
           server_statuses_within(&candidate->status, &orig->status);
}

/* --- lookups ------------------------------------------------------------------ */

static reg_err handle_of(const struct reg_op *op, int64_t id, char handle[CONTACT_ID_MAX + 1],
                         reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT handle FROM contact WHERE id = ?");
    db_bind_int(s, 1, id);
    handle[0] = '\0';
    if (db_next(s))
        snprintf(handle, CONTACT_ID_MAX + 1, "%s", db_col_text(s, 0));
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!handle[0])
        return reg_fail(st, REG_ERR_INTERNAL, "contact #%lld vanished", (long long)id);
    return REG_OK;
}

struct handles {
    char (*items)[CONTACT_ID_MAX + 1];
    size_t n, cap;
};

static bool handles_push(struct handles *h, const char *handle)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        void *p = realloc(h->items, cap * sizeof *h->items);
        if (!p)
            return false;
        h->items = p;
        h->cap = cap;
    }
    snprintf(h->items[h->n++], CONTACT_ID_MAX + 1, "%s", handle);
    return true;
}

/* The registrar's contacts with orig's email, oldest first: the only ones
 * that can be identical. Collected before any is loaded, as loading runs
 * statements of its own. */
static reg_err candidates(const struct reg_op *op, const struct contact *orig,
                          int64_t registrar_id, struct handles *out, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT handle FROM contact WHERE sponsor_id = ? AND email = ? "
                                  "AND id <> ? ORDER BY id");
    db_bind_int(s, 1, registrar_id);
    db_bind_text(s, 2, orig->d.email ? orig->d.email : "");
    db_bind_int(s, 3, orig->id);
    bool nomem = false;
    while (!nomem && db_next(s))
        nomem = !handles_push(out, db_col_text(s, 0));
    reg_err e = db_done(s);
    if (nomem)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err find_identical(const struct reg_op *op, const struct contact *orig,
                              int64_t registrar_id, struct contact_copy *out, reg_status *st)
{
    struct handles h = {0};
    reg_err e = candidates(op, orig, registrar_id, &h, st);
    for (size_t i = 0; !e && i < h.n && !out->id; i++) {
        struct contact c;
        bool found;
        if ((e = contact_load(op, h.items[i], &c, &found, st)))
            break;
        if (found && contact_copy_identical(orig, &c)) {
            out->id = c.id;
            snprintf(out->handle, sizeof out->handle, "%s", c.handle);
            out->reused = true;
        }
        contact_free(&c);
    }
    free(h.items);
    return e;
}

/* --- the copy ------------------------------------------------------------------- */


/* R40: the copy's first version says what it was copied from and why. */
static reg_err record_copy(const struct reg_op *op, const char *handle, const char *from,
                           const char *domain, reg_status *st)
{
    struct contact c;
    bool found;
    if (contact_load(op, handle, &c, &found, st))
        return st->code;
    if (!found)
        return reg_fail(st, REG_ERR_INTERNAL, "contact %s vanished after its copy", handle);
    json_t *o = contact_snapshot(&c);
    json_object_set_new(o, "copied_from", json_string(from));
    json_object_set_new(o, "copied_for_domain", json_string(domain));
    reg_err e = history_record_json(op, "contact", c.id, c.handle, "copy", o, st);
    contact_free(&c);
    return e;
}

reg_err contact_copy_for(const struct reg_op *op, int64_t contact_id, int64_t registrar_id,
                         const char *registrar, const char *domain, struct contact_copy *out,
                         reg_status *st)
{
    memset(out, 0, sizeof *out);
    char from[CONTACT_ID_MAX + 1];
    struct contact orig;
    bool found;
    if (handle_of(op, contact_id, from, st) || contact_load(op, from, &orig, &found, st))
        return st->code;
    if (!found)
        return reg_fail(st, REG_ERR_INTERNAL, "contact %s vanished", from);
    reg_err e = find_identical(op, &orig, registrar_id, out, st);
    contact_free(&orig);
    if (e || out->id)
        return e;
    if (contact_pick_handle(op, registrar, NULL, out->handle, st) ||
        contact_store_copy(op, contact_id, registrar_id, out->handle, &out->id, st))
        return st->code;
    return record_copy(op, out->handle, from, domain, st);
}
