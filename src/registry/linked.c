/* Linked WHOIS handles (linked.h; R28-R31). */
#include "linked.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact_store.h"
#include "contrib/log.h"
#include "contrib/precis.h"
#include "contrib/strutil.h"
#include "history.h"

/* The registrar of a handle as given: its stored handle and row id. */
static reg_err registrar_of(db *d, const char *registrar, char rh[REGISTRAR_HANDLE_MAX + 1],
                            int64_t *rid, reg_status *st)
{
    if (registrar_handle_normalize(registrar, rh, st))
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist",
                        registrar ? registrar : "");
    if (!(*rid = registrar_id_by_handle(d, rh)))
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", rh);
    return REG_OK;
}

/* ---- the registrar's own handle ------------------------------------------------------------- */

reg_err registrar_own_handle_set(const struct reg_op *op, const char *registrar,
                                 const char *contact, reg_status *st)
{
    char rh[REGISTRAR_HANDLE_MAX + 1], ch[CONTACT_ID_MAX + 1] = "";
    int64_t rid, cid = 0;
    if (registrar_of(op->db, registrar, rh, &rid, st))
        return st->code;
    if (contact && *contact) {
        if (names_contact_lookup(contact, ch, st))
            return st->code;
        struct contact c;
        bool found;
        if (contact_load(op, ch, &c, &found, st))
            return st->code;
        if (!found)
            return reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", ch);
        bool own = c.sponsor_id == rid;
        char sponsor[REGISTRAR_HANDLE_MAX + 1];
        str_copy(sponsor, sizeof sponsor, c.sponsor);
        cid = c.id;
        contact_free(&c);
        if (!own)
            return reg_fail(st, REG_ERR_POLICY,
                            "contact %s is sponsored by %s, not by %s: a registrar's own handle "
                            "is a contact it sponsors",
                            ch, sponsor, rh);
    }
    db_stmt *q = db_query(op->db, "UPDATE registrar SET contact_id = ?, updated_at = ? WHERE id = ?");
    if (cid)
        db_bind_int(q, 1, cid);
    else
        db_bind_null(q, 1);
    db_bind_int(q, 2, op->now);
    db_bind_int(q, 3, rid);
    reg_err e = db_run(q);
    if (e)
        return op_db_fail(op, st, e);
    json_t *o = json_object();
    json_object_set_new(o, "handle", json_string(rh));
    json_object_set_new(o, "contact", ch[0] ? json_string(ch) : json_null());
    reg_log(LOG_INFO, "registry", op->svtrid, "registrar-own-handle", "registrar=%s contact=%s",
            rh, ch[0] ? ch : "-");
    return history_record_json(op, "registrar", rid, rh, "own-handle", o, st);
}

reg_err registrar_own_handle_get(db *d, int64_t registrar_id, char out[CONTACT_ID_MAX + 1],
                                 reg_status *st)
{
    out[0] = '\0';
    db_stmt *q = db_query(d, "SELECT c.handle FROM registrar r JOIN contact c ON c.id = "
                             "r.contact_id WHERE r.id = ?");
    db_bind_int(q, 1, registrar_id);
    if (db_next(q))
        str_copy(out, CONTACT_ID_MAX + 1, db_col_text(q, 0));
    reg_err e = db_done(q);
    return e ? db_fail(d, st, e) : REG_OK;
}

/* ---- R31 ------------------------------------------------------------------------------------- */

reg_err contact_link_info(db *d, const char *handle, struct contact_link_info *out,
                          reg_status *st)
{
    char h[CONTACT_ID_MAX + 1];
    memset(out, 0, sizeof *out);
    if (names_contact_lookup(handle, h, st))
        return reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", handle ? handle : "");
    db_stmt *q = db_query(d, "SELECT r.handle, r.name FROM contact c LEFT JOIN registrar r ON "
                             "r.id = c.linked_registrar_id WHERE c.handle = ?");
    db_bind_text(q, 1, h);
    bool found = db_next(q);
    if (found && !db_col_is_null(q, 0)) {
        out->linked = true;
        str_copy(out->registrar, sizeof out->registrar, db_col_text(q, 0));
        str_copy(out->registrar_name, sizeof out->registrar_name, db_col_text(q, 1));
    }
    reg_err e = db_done(q);
    if (e)
        return db_fail(d, st, e);
    return found ? REG_OK : reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", h);
}

/* ---- linking ----------------------------------------------------------------------------------- */

/* The contact by a handle as given; REG_ERR_NOT_FOUND if none. */
static reg_err load(const struct reg_op *op, const char *handle, struct contact *c,
                    reg_status *st)
{
    char h[CONTACT_ID_MAX + 1];
    bool found;
    memset(c, 0, sizeof *c);
    if (names_contact_lookup(handle, h, st))
        return reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", handle ? handle : "");
    if (contact_load(op, h, c, &found, st))
        return st->code;
    return found ? REG_OK : reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", h);
}

/* Sets (registrar_id) or clears (0) the link and records the version. */
static reg_err set_link(const struct reg_op *op, const struct contact *c, int64_t registrar_id,
                        reg_status *st)
{
    db_stmt *q = db_query(op->db, "UPDATE contact SET linked_registrar_id = ? WHERE id = ?");
    if (registrar_id)
        db_bind_int(q, 1, registrar_id);
    else
        db_bind_null(q, 1);
    db_bind_int(q, 2, c->id);
    reg_err e = db_run(q);
    if (e)
        return op_db_fail(op, st, e);
    reg_log(LOG_INFO, "registry", op->svtrid, registrar_id ? "contact-link" : "contact-unlink",
            "contact=%s actor=%s", c->handle, op->actor ? op->actor : "-");
    return contact_record_version(op, c->handle, registrar_id ? "link" : "unlink", st);
}

reg_err contact_link(const struct reg_op *op, const char *handle, const char *registrar,
                     reg_status *st)
{
    char rh[REGISTRAR_HANDLE_MAX + 1];
    int64_t rid;
    if (registrar_of(op->db, registrar, rh, &rid, st))
        return st->code;
    struct contact c;
    if (load(op, handle, &c, st))
        return st->code;
    reg_err e = c.linked_registrar[0]
                    ? reg_fail(st, REG_ERR_EXISTS, "contact %s is linked to %s already%s",
                               c.handle, c.linked_registrar,
                               strcmp(c.linked_registrar, rh) ? ": unlink it first" : "")
                    : set_link(op, &c, rid, st);
    contact_free(&c);
    return e;
}

reg_err contact_unlink(const struct reg_op *op, const char *handle, int64_t registrar_id,
                       reg_status *st)
{
    struct contact c;
    if (load(op, handle, &c, st))
        return st->code;
    char rh[REGISTRAR_HANDLE_MAX + 1] = "";
    reg_err e = REG_OK;
    if (registrar_id && registrar_handle_of(op->db, registrar_id, rh, st))
        e = st->code;
    else if (!c.linked_registrar[0] || (rh[0] && strcmp(rh, c.linked_registrar)))
        e = reg_fail(st, REG_ERR_NOT_FOUND, "contact %s is not linked%s%s", c.handle,
                     rh[0] ? " to " : "", rh);
    else
        e = set_link(op, &c, 0, st);
    contact_free(&c);
    return e;
}

/* ---- R29: the comparison --------------------------------------------------------------------- */

/* The postal address compared: the local one where there are both. */
static const struct contact_postal *postal_of(const struct contact_data *d)
{
    return d->postal[CONTACT_LOC].present ? &d->postal[CONTACT_LOC] : &d->postal[CONTACT_INT];
}

bool linked_same_data(const struct contact_data *a, const struct contact_data *b)
{
    const struct contact_postal *pa = postal_of(a), *pb = postal_of(b);
    if (!pa->present || !pb->present)
        return false;
    const char *pairs[][2] = {
        {pa->name, pb->name},           {pa->org, pb->org},
        {pa->street[0], pb->street[0]}, {pa->street[1], pb->street[1]},
        {pa->street[2], pb->street[2]}, {pa->city, pb->city},
        {pa->pc, pb->pc},               {pa->cc, pb->cc},
        {a->ident_type, b->ident_type}, {a->ident_value, b->ident_value},
        {a->ident_cc, b->ident_cc},     {a->voice, b->voice},
        {a->voice_x, b->voice_x},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (!precis_same_text(pairs[i][0], pairs[i][1], false))
            return false;
    return precis_same_text(a->email, b->email, true);
}

/* Not being deleted or transferred, its identity check not failed. */
static bool active(const struct contact *c)
{
    return strcmp(c->idcheck_state, "failed") && !status_has(&c->status, "pendingDelete") &&
           !status_has(&c->status, "pendingTransfer");
}

/* The line of a handle (name, organisation, e-mail from its contact). */
static void line_of(const struct contact *c, struct linked_handle *h)
{
    memset(h, 0, sizeof *h);
    const struct contact_postal *p = postal_of(&c->d);
    str_copy(h->handle, sizeof h->handle, c->handle);
    str_copy(h->name, sizeof h->name, p->present && p->name ? p->name : "");
    str_copy(h->org, sizeof h->org, p->present && p->org ? p->org : "");
    str_copy(h->email, sizeof h->email, c->d.email ? c->d.email : "");
    str_copy(h->sponsor, sizeof h->sponsor, c->sponsor);
}

/* A list of handles read before they are loaded one by one (a driver
 * may not run a statement while another one's rows are being read). */
struct handles {
    char (*h)[CONTACT_ID_MAX + 1];
    size_t n, cap;
};

static reg_err handles_read(db *d, db_stmt *q, struct handles *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    while (db_next(q)) {
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 16;
            void *p = realloc(out->h, cap * sizeof *out->h);
            if (!p) {
                db_done(q);
                free(out->h);
                return reg_fail(st, REG_ERR_NOMEM, "out of memory");
            }
            out->h = p;
            out->cap = cap;
        }
        str_copy(out->h[out->n++], CONTACT_ID_MAX + 1, db_col_text(q, 0));
    }
    reg_err e = db_done(q);
    if (e) {
        free(out->h);
        return db_fail(d, st, e);
    }
    return REG_OK;
}

/* visit(each contact whose handle q selects, loaded), until it fails. */
static reg_err each_contact(const struct reg_op *op, db_stmt *q,
                            reg_err (*visit)(const struct reg_op *op, const struct contact *c,
                                             void *arg, reg_status *st),
                            void *arg, reg_status *st)
{
    struct handles hs;
    reg_err e = handles_read(op->db, q, &hs, st); /* frees what it read on failure */
    if (e)
        return e;
    for (size_t i = 0; !e && i < hs.n; i++) {
        struct contact c;
        bool found;
        if ((e = contact_load(op, hs.h[i], &c, &found, st)))
            break;
        if (found)
            e = visit(op, &c, arg, st);
        contact_free(&c);
    }
    free(hs.h);
    return e;
}

/* The registrar's own handle, loaded; *why LINKED_NO_OWN_HANDLE without. */
static reg_err own_contact(const struct reg_op *op, int64_t registrar_id, struct contact *own,
                           enum linked_none *why, reg_status *st)
{
    char h[CONTACT_ID_MAX + 1];
    bool found = false;
    memset(own, 0, sizeof *own);
    *why = LINKED_NO_OWN_HANDLE;
    if (registrar_own_handle_get(op->db, registrar_id, h, st))
        return st->code;
    if (h[0] && contact_load(op, h, own, &found, st))
        return st->code;
    if (found)
        *why = LINKED_NO_MATCH;
    return REG_OK;
}

/* Is c a candidate for a registrar whose own handle is own? */
static bool candidate(const struct contact *own, const struct contact *c)
{
    return !c->linked_registrar[0] && active(c) && linked_same_data(&own->d, &c->d);
}

struct each_arg {
    void (*fn)(const struct linked_handle *h, void *arg);
    void *arg;
    const struct contact *own; /* candidates: the registrar's own handle */
    enum linked_none *why;
};

static reg_err visit_candidate(const struct reg_op *op, const struct contact *c, void *arg,
                               reg_status *st)
{
    (void)op, (void)st;
    struct each_arg *a = arg;
    if (candidate(a->own, c)) {
        struct linked_handle line;
        line_of(c, &line);
        *a->why = LINKED_SOME;
        a->fn(&line, a->arg);
    }
    return REG_OK;
}

reg_err linked_candidates(const struct reg_op *op, int64_t registrar_id,
                          void (*fn)(const struct linked_handle *h, void *arg), void *arg,
                          enum linked_none *why, reg_status *st)
{
    struct contact own;
    if (own_contact(op, registrar_id, &own, why, st))
        return st->code;
    if (*why == LINKED_NO_OWN_HANDLE)
        return REG_OK;
    /* the voice number is ASCII and checked on input: equal after SQL's
     * TRIM exactly when equal after ours, which narrows the scan */
    char voice[64];
    const char *v = own.d.voice ? own.d.voice : "";
    while (*v == ' ')
        v++;
    str_copy(voice, sizeof voice, v);
    for (size_t n = strlen(voice); n && voice[n - 1] == ' ';)
        voice[--n] = '\0';
    db_stmt *q = db_query(op->db, "SELECT handle FROM contact WHERE linked_registrar_id IS NULL "
                                  "AND COALESCE(TRIM(voice), '') = ? ORDER BY handle");
    db_bind_text(q, 1, voice);
    struct each_arg a = {fn, arg, &own, why};
    reg_err e = each_contact(op, q, visit_candidate, &a, st);
    contact_free(&own);
    return e;
}

reg_err linked_link_candidate(const struct reg_op *op, int64_t registrar_id, const char *handle,
                              reg_status *st)
{
    struct contact own, c;
    enum linked_none why;
    if (own_contact(op, registrar_id, &own, &why, st))
        return st->code;
    if (why == LINKED_NO_OWN_HANDLE)
        return reg_fail(st, REG_ERR_POLICY,
                        "your registrar has no handle of its own registered with the registry, "
                        "so no handle can be linked; ask the registry to register it");
    reg_err e = load(op, handle, &c, st);
    if (!e) {
        if (c.linked_registrar[0])
            e = reg_fail(st, REG_ERR_EXISTS, "handle %s is linked already", c.handle);
        else if (!active(&c))
            e = reg_fail(st, REG_ERR_POLICY, "handle %s is not active", c.handle);
        else if (!linked_same_data(&own.d, &c.d))
            e = reg_fail(st, REG_ERR_POLICY,
                         "handle %s cannot be linked: its contact data are not exactly those of "
                         "your registrar's handle %s",
                         c.handle, own.handle);
        else
            e = set_link(op, &c, registrar_id, st);
        contact_free(&c);
    }
    contact_free(&own);
    return e;
}

reg_err linked_create(const struct reg_op *op, const struct contact_create_req *req,
                      char handle[CONTACT_ID_MAX + 1], reg_status *st)
{
    if (contact_create(op, req, handle, st))
        return st->code;
    struct contact c;
    if (load(op, handle, &c, st))
        return st->code;
    reg_err e = set_link(op, &c, op->registrar_id, st);
    contact_free(&c);
    return e;
}

/* ---- R28: the lists ---------------------------------------------------------------------------- */

/* Counts of a handle's roles and objects, after line_of. */
static reg_err count_roles(db *d, int64_t id, struct linked_handle *h, reg_status *st)
{
    db_stmt *q = db_query(
        d, "SELECT (SELECT COUNT(*) FROM domain WHERE registrant_id = ?), "
           "(SELECT COUNT(DISTINCT domain_id) FROM domain_contact WHERE contact_id = ? AND role = "
           "'admin'), "
           "(SELECT COUNT(DISTINCT domain_id) FROM domain_contact WHERE contact_id = ? AND role = "
           "'tech'), "
           "(SELECT COUNT(DISTINCT domain_id) FROM domain_contact WHERE contact_id = ? AND role = "
           "'billing'), "
           "(SELECT COUNT(*) FROM host WHERE admin_contact_id = ?), "
           "(SELECT COUNT(*) FROM (SELECT id FROM domain WHERE registrant_id = ? UNION SELECT "
           "domain_id FROM domain_contact WHERE contact_id = ?) x)");
    for (int i = 1; i <= 7; i++)
        db_bind_int(q, i, id);
    if (db_next(q)) {
        h->registrant = db_col_int(q, 0);
        h->admin = db_col_int(q, 1);
        h->tech = db_col_int(q, 2);
        h->billing = db_col_int(q, 3);
        h->hosts = db_col_int(q, 4);
        h->domains = db_col_int(q, 5);
    }
    reg_err e = db_done(q);
    if (e)
        return db_fail(d, st, e);
    h->roles = (h->registrant ? LINKED_REGISTRANT : 0) | (h->admin ? LINKED_ADMIN : 0) |
               (h->tech ? LINKED_TECH : 0) | (h->billing ? LINKED_BILLING : 0) |
               (h->hosts ? LINKED_NS_ADMIN : 0);
    return REG_OK;
}

/* The handle's line with its counts. */
static reg_err full_line(const struct reg_op *op, const struct contact *c,
                         struct linked_handle *h, reg_status *st)
{
    line_of(c, h);
    return count_roles(op->db, c->id, h, st);
}

static reg_err visit_linked(const struct reg_op *op, const struct contact *c, void *arg,
                            reg_status *st)
{
    struct each_arg *a = arg;
    struct linked_handle line;
    if (full_line(op, c, &line, st))
        return st->code;
    a->fn(&line, a->arg);
    return REG_OK;
}

reg_err linked_each(const struct reg_op *op, int64_t registrar_id,
                    void (*fn)(const struct linked_handle *h, void *arg), void *arg,
                    reg_status *st)
{
    db_stmt *q = db_query(op->db, "SELECT handle FROM contact WHERE linked_registrar_id = ? "
                                  "ORDER BY handle");
    db_bind_int(q, 1, registrar_id);
    struct each_arg a = {fn, arg, NULL, NULL};
    return each_contact(op, q, visit_linked, &a, st);
}

static unsigned role_bit(const char *role)
{
    return !strcmp(role, "registrant") ? LINKED_REGISTRANT
           : !strcmp(role, "admin")    ? LINKED_ADMIN
           : !strcmp(role, "tech")     ? LINKED_TECH
                                       : LINKED_BILLING;
}

reg_err linked_objects(const struct reg_op *op, int64_t registrar_id, const char *handle,
                       struct linked_handle *out,
                       void (*domain_fn)(const char *name, unsigned roles, void *arg),
                       void (*host_fn)(const char *name, void *arg), void *arg, reg_status *st)
{
    struct contact c;
    if (load(op, handle, &c, st))
        return st->code;
    char rh[REGISTRAR_HANDLE_MAX + 1];
    reg_err e = registrar_handle_of(op->db, registrar_id, rh, st);
    if (!e && strcmp(c.linked_registrar, rh))
        e = reg_fail(st, REG_ERR_NOT_FOUND, "handle %s is not linked to %s", c.handle, rh);
    struct linked_handle line;
    if (!e && out && !(e = full_line(op, &c, &line, st)))
        *out = line;
    int64_t id = c.id;
    contact_free(&c);
    if (e)
        return e;
    /* one row per domain and role, by name: gathered into one call each */
    db_stmt *q = db_query(op->db,
                          "SELECT d.uname, 'registrant' FROM domain d WHERE d.registrant_id = ? "
                          "UNION ALL SELECT d.uname, dc.role FROM domain_contact dc JOIN domain d "
                          "ON d.id = dc.domain_id WHERE dc.contact_id = ? ORDER BY 1, 2");
    db_bind_int(q, 1, id);
    db_bind_int(q, 2, id);
    char name[256] = "";
    unsigned roles = 0;
    while (db_next(q)) {
        const char *n = db_col_text(q, 0);
        if (name[0] && strcmp(name, n)) {
            domain_fn(name, roles, arg);
            roles = 0;
        }
        str_copy(name, sizeof name, n);
        roles |= role_bit(db_col_text(q, 1));
    }
    if ((e = db_done(q)))
        return db_fail(op->db, st, e);
    if (name[0])
        domain_fn(name, roles, arg);
    q = db_query(op->db, "SELECT name FROM host WHERE admin_contact_id = ? ORDER BY name");
    db_bind_int(q, 1, id);
    while (db_next(q))
        host_fn(db_col_text(q, 0), arg);
    e = db_done(q);
    return e ? db_fail(op->db, st, e) : REG_OK;
}
