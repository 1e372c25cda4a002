/* Contact rows (contact_store.h). */
#include "contact_store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account_store.h"
#include "contrib/strutil.h"
#include "history.h"

static const char *const postal_type[2] = {"int", "loc"};

static char *dup(const char *s) { return s ? strdup(s) : NULL; }
static bool empty(const char *s) { return !s || !*s; }

void contact_postal_free(struct contact_postal *p)
{
    free(p->name);
    free(p->org);
    for (int i = 0; i < CONTACT_STREETS; i++)
        free(p->street[i]);
    free(p->city);
    free(p->sp);
    free(p->pc);
    free(p->cc);
    memset(p, 0, sizeof *p);
}


void contact_data_free(struct contact_data *d)
{
    for (int t = 0; t < 2; t++)
        contact_postal_free(&d->postal[t]);
    free(d->voice);
    free(d->voice_x);
    free(d->fax);
    free(d->fax_x);
    free(d->email);
    free(d->kind);
    free(d->ident_type);
    free(d->ident_value);
    free(d->ident_cc);
    free(d->mobile);
    memset(d, 0, sizeof *d);
}


void contact_free(struct contact *c)
{
    contact_data_free(&c->d);
    status_set_free(&c->status);
    free(c->idcheck_note);
    c->idcheck_note = NULL;
}


static const struct {
    unsigned bit;
    const char *name;
} disclose_names[] = {
    {CONTACT_DISCLOSE_NAME_INT, "name.int"}, {CONTACT_DISCLOSE_NAME_LOC, "name.loc"},
    {CONTACT_DISCLOSE_ORG_INT, "org.int"},   {CONTACT_DISCLOSE_ORG_LOC, "org.loc"},
    {CONTACT_DISCLOSE_ADDR_INT, "addr.int"}, {CONTACT_DISCLOSE_ADDR_LOC, "addr.loc"},
    {CONTACT_DISCLOSE_VOICE, "voice"},       {CONTACT_DISCLOSE_FAX, "fax"},
    {CONTACT_DISCLOSE_EMAIL, "email"},
};
#define N_DISCLOSE (sizeof disclose_names / sizeof disclose_names[0])

void contact_disclose_format(unsigned bits, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < N_DISCLOSE; i++)
        if (bits & disclose_names[i].bit) {
            int w = snprintf(out + o, n - o, "%s%s", o ? " " : "", disclose_names[i].name);
            if (w < 0 || (size_t)w >= n - o)
                break;
            o += (size_t)w;
        }
}

unsigned contact_disclose_parse(const char *s)
{
    unsigned bits = 0;
    while (s && *s) {
        size_t len = strcspn(s, " ");
        for (size_t i = 0; i < N_DISCLOSE; i++)
            if (strlen(disclose_names[i].name) == len && !strncmp(s, disclose_names[i].name, len))
                bits |= disclose_names[i].bit;
        s += len;
        while (*s == ' ')
            s++;
    }
    return bits;
}


#define SELECT_CONTACT                                                                             \
    "SELECT c.id, c.handle, c.sponsor_id, (SELECT handle FROM registrar WHERE id = "               \
    "c.sponsor_id), "                                                                              \
    "(SELECT handle FROM registrar WHERE id = c.creator_id), "                                     \
    "(SELECT handle FROM registrar WHERE id = c.updater_id), c.kind, c.voice, c.voice_x, c.fax, "  \
    "c.fax_x, c.email, c.mobile, c.ident_type, c.ident_value, c.ident_cc, c.disclose_flag, "       \
    "c.disclose_fields, c.authinfo_hash, c.idcheck_state, c.idcheck_deadline, c.created_at, "      \
    "c.updated_at, c.transferred_at, c.idcheck_method, c.idcheck_by, c.idcheck_at, "             \
    "c.idcheck_note, c.lang, (SELECT handle FROM registrar WHERE id = c.linked_registrar_id) "   \
    "FROM contact c "

static void fill_row(db_stmt *s, struct contact *c, char *hash, size_t hash_len)
{
    c->id = db_col_int(s, 0);
    str_copy(c->handle, sizeof c->handle, db_col_text(s, 1));
    c->sponsor_id = db_col_int(s, 2);
    str_copy(c->sponsor, sizeof c->sponsor, db_col_text(s, 3));
    str_copy(c->creator, sizeof c->creator, db_col_text(s, 4));
    str_copy(c->updater, sizeof c->updater, db_col_text(s, 5));
    c->d.kind = dup(db_col_text(s, 6));
    c->d.voice = dup(db_col_text(s, 7));
    c->d.voice_x = dup(db_col_text(s, 8));
    c->d.fax = dup(db_col_text(s, 9));
    c->d.fax_x = dup(db_col_text(s, 10));
    c->d.email = dup(db_col_text(s, 11));
    c->d.mobile = dup(db_col_text(s, 12));
    c->d.ident_type = dup(db_col_text(s, 13));
    c->d.ident_value = dup(db_col_text(s, 14));
    c->d.ident_cc = dup(db_col_text(s, 15));
    c->d.has_disclose = !db_col_is_null(s, 16);
    c->d.disclose_flag = c->d.has_disclose ? (int)db_col_int(s, 16) : 0;
    c->d.disclose = contact_disclose_parse(db_col_text(s, 17));
    c->authinfo_set = !db_col_is_null(s, 18);
    if (hash && hash_len)
        str_copy(hash, hash_len, db_col_text(s, 18));
    str_copy(c->idcheck_state, sizeof c->idcheck_state, db_col_text(s, 19));
    c->idcheck_deadline = db_col_is_null(s, 20) ? 0 : db_col_int(s, 20);
    c->created_at = db_col_int(s, 21);
    c->updated_at = db_col_is_null(s, 22) ? 0 : db_col_int(s, 22);
    c->transferred_at = db_col_is_null(s, 23) ? 0 : db_col_int(s, 23);
    str_copy(c->idcheck_method, sizeof c->idcheck_method, db_col_text(s, 24));
    str_copy(c->idcheck_by, sizeof c->idcheck_by, db_col_text(s, 25));
    c->idcheck_at = db_col_is_null(s, 26) ? 0 : db_col_int(s, 26);
    c->idcheck_note = dup(db_col_text(s, 27));
    str_copy(c->lang, sizeof c->lang, db_col_text(s, 28));
    str_copy(c->linked_registrar, sizeof c->linked_registrar, db_col_text(s, 29));
}

static reg_err load_postal(db *d, struct contact *c)
{
    db_stmt *s = db_query(d, "SELECT type, name, org, street1, street2, street3, city, sp, pc, cc "
                             "FROM contact_postal WHERE contact_id = ?");
    db_bind_int(s, 1, c->id);
    while (db_next(s)) {
        const char *type = db_col_text(s, 0);
        int t = type && !strcmp(type, "loc") ? CONTACT_LOC : CONTACT_INT;
        struct contact_postal *p = &c->d.postal[t];
        contact_postal_free(p);
        p->present = true;
        p->name = dup(db_col_text(s, 1));
        p->org = dup(db_col_text(s, 2));
        for (int i = 0; i < CONTACT_STREETS; i++)
            p->street[i] = dup(db_col_text(s, 3 + i));
        p->city = dup(db_col_text(s, 6));
        p->sp = dup(db_col_text(s, 7));
        p->pc = dup(db_col_text(s, 8));
        p->cc = dup(db_col_text(s, 9));
    }
    return db_done(s);
}

static reg_err load_linked(db *d, struct contact *c)
{
    db_stmt *s =
        db_query(d, "SELECT CASE WHEN EXISTS (SELECT 1 FROM domain WHERE registrant_id = ?) "
                    "OR EXISTS (SELECT 1 FROM domain_contact WHERE contact_id = ?) "
                    "OR EXISTS (SELECT 1 FROM host WHERE admin_contact_id = ?) "
                    "THEN 1 ELSE 0 END");
    db_bind_int(s, 1, c->id);
    db_bind_int(s, 2, c->id);
    db_bind_int(s, 3, c->id);
    c->linked = db_next(s) && db_col_int(s, 0) != 0;
    reg_err e = db_done(s);
    bool in_account = false; /* R33: a slot of an account */
    if (!e && !c->linked && !(e = account_contact_linked(d, c->id, &in_account)))
        c->linked = in_account;
    return e;
}

/* The whole contact by its stored handle; *found false if none. `lock`
 * takes the row lock (PostgreSQL) for a change. hash (may be NULL) gets
 * the stored auth info hash. */
reg_err contact_load_row(const struct reg_op *op, const char *handle, bool lock, struct contact *c,
                         bool *found, char *hash, size_t hash_len, reg_status *st)
{
    memset(c, 0, sizeof *c);
    if (hash && hash_len)
        hash[0] = '\0';
    db_stmt *s = db_query(op->db, lock ? SELECT_CONTACT "WHERE c.handle = ? {{for_update}}"
                                       : SELECT_CONTACT "WHERE c.handle = ?");
    db_bind_text(s, 1, handle);
    *found = db_next(s);
    if (*found)
        fill_row(s, c, hash, hash_len);
    reg_err e = db_done(s);
    if (!e && *found) {
        roid_format(c->roid, 'C', c->id, op->policy);
        e = load_postal(op->db, c);
        if (!e)
            e = status_load(op->db, "contact", c->id, &c->status);
        if (!e)
            e = load_linked(op->db, c);
    }
    if (e) {
        contact_free(c);
        *found = false;
        return op_db_fail(op, st, e);
    }
    return REG_OK;
}


int64_t contact_id_by_handle(db *d, const char *handle)
{
    db_stmt *s = db_query(d, "SELECT id FROM contact WHERE handle = ?");
    db_bind_text(s, 1, handle);
    int64_t id = db_next(s) ? db_col_int(s, 0) : 0;
    return db_done(s) ? 0 : id;
}


/* --- history (R40) --------------------------------------------------------- */

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *postal_json(const struct contact_postal *p)
{
    json_t *street = json_array();
    for (int i = 0; i < CONTACT_STREETS; i++)
        if (p->street[i])
            json_array_append_new(street, json_string(p->street[i]));
    json_t *o = json_object();
    json_object_set_new(o, "name", jstr(p->name));
    json_object_set_new(o, "org", jstr(p->org));
    json_object_set_new(o, "street", street);
    json_object_set_new(o, "city", jstr(p->city));
    json_object_set_new(o, "sp", jstr(p->sp));
    json_object_set_new(o, "pc", jstr(p->pc));
    json_object_set_new(o, "cc", jstr(p->cc));
    return o;
}

static json_t *time_json(reg_time t) { return t ? json_integer(t) : json_null(); }

/* The object as JSON (never the auth info, only whether it is set). */
static json_t *snapshot(const struct contact *c, bool deleted)
{
    json_t *o = json_object();
    json_object_set_new(o, "handle", json_string(c->handle));
    json_object_set_new(o, "roid", json_string(c->roid));
    json_object_set_new(o, "sponsor", json_string(c->sponsor));
    json_object_set_new(o, "creator", json_string(c->creator));
    json_object_set_new(o, "updater", c->updater[0] ? json_string(c->updater) : json_null());
    json_object_set_new(o, "type", jstr(c->d.kind));
    json_t *postal = json_object();
    for (int t = 0; t < 2; t++)
        if (c->d.postal[t].present)
            json_object_set_new(postal, postal_type[t], postal_json(&c->d.postal[t]));
    json_object_set_new(o, "postalInfo", postal);
    json_object_set_new(o, "voice", jstr(c->d.voice));
    json_object_set_new(o, "voice_x", jstr(c->d.voice_x));
    json_object_set_new(o, "fax", jstr(c->d.fax));
    json_object_set_new(o, "fax_x", jstr(c->d.fax_x));
    json_object_set_new(o, "email", jstr(c->d.email));
    json_object_set_new(o, "mobile", jstr(c->d.mobile));
    if (c->d.ident_type) {
        json_t *ident = json_object();
        json_object_set_new(ident, "type", jstr(c->d.ident_type));
        json_object_set_new(ident, "value", jstr(c->d.ident_value));
        json_object_set_new(ident, "cc", jstr(c->d.ident_cc));
        json_object_set_new(o, "ident", ident);
    } else {
        json_object_set_new(o, "ident", json_null());
    }
    if (c->d.has_disclose) {
        char fields[160];
        contact_disclose_format(c->d.disclose, fields, sizeof fields);
        json_t *dis = json_object();
        json_object_set_new(dis, "flag", json_integer(c->d.disclose_flag));
        json_object_set_new(dis, "fields", json_string(fields));
        json_object_set_new(o, "disclose", dis);
    } else {
        json_object_set_new(o, "disclose", json_null());
    }
    json_object_set_new(o, "authinfo_set", json_boolean(c->authinfo_set));
    json_t *idc = json_object();
    json_object_set_new(idc, "state", json_string(c->idcheck_state));
    json_object_set_new(idc, "deadline", time_json(c->idcheck_deadline));
    json_object_set_new(idc, "method", c->idcheck_method[0] ? json_string(c->idcheck_method)
                                                            : json_null());
    json_object_set_new(idc, "by", c->idcheck_by[0] ? json_string(c->idcheck_by) : json_null());
    json_object_set_new(idc, "at", time_json(c->idcheck_at));
    json_object_set_new(idc, "note", jstr(c->idcheck_note));
    json_object_set_new(o, "idcheck", idc);
    json_t *statuses = json_array();
    for (size_t i = 0; i < c->status.n; i++)
        json_array_append_new(statuses, json_string(c->status.items[i].name));
    json_object_set_new(o, "statuses", statuses);
    json_object_set_new(o, "linked", json_boolean(c->linked));
    json_object_set_new(o, "lang", c->lang[0] ? json_string(c->lang) : json_null());
    if (c->linked_registrar[0]) /* R28: only when linked, so older versions read the same */
        json_object_set_new(o, "linked_registrar", json_string(c->linked_registrar));
    json_object_set_new(o, "created_at", time_json(c->created_at));
    json_object_set_new(o, "updated_at", time_json(c->updated_at));
    json_object_set_new(o, "transferred_at", time_json(c->transferred_at));
    if (deleted)
        json_object_set_new(o, "deleted", json_true());
    return o;
}

reg_err contact_record(const struct reg_op *op, const struct contact *c, const char *action,
                       bool deleted, reg_status *st)
{
    return history_record_json(op, "contact", c->id, c->handle, action, snapshot(c, deleted), st);
}

/* Reloads the contact after a change and records it. */
reg_err contact_record_version(const struct reg_op *op, const char *handle, const char *action,
                               reg_status *st)
{
    struct contact c;
    bool found;
    if (contact_load_row(op, handle, false, &c, &found, NULL, 0, st))
        return st->code;
    if (!found)
        return reg_fail(st, REG_ERR_INTERNAL, "contact %s vanished during %s", handle, action);
    reg_err e = contact_record(op, &c, action, false, st);
    contact_free(&c);
    return e;
}


/* --- writing ----------------------------------------------------------------- */

static reg_err write_postal(const struct reg_op *op, int64_t id, const struct contact_data *d,
                            reg_status *st)
{
    db_stmt *s = db_query(op->db, "DELETE FROM contact_postal WHERE contact_id = ?");
    db_bind_int(s, 1, id);
    reg_err e = db_run(s);
    for (int t = 0; t < 2 && !e; t++) {
        const struct contact_postal *p = &d->postal[t];
        if (!p->present)
            continue;
        s = db_query(op->db, "INSERT INTO contact_postal (contact_id, type, name, org, street1, "
                             "street2, street3, city, sp, pc, cc) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        db_bind_int(s, 1, id);
        db_bind_text(s, 2, postal_type[t]);
        db_bind_text(s, 3, p->name);
        db_bind_text(s, 4, p->org);
        for (int i = 0; i < CONTACT_STREETS; i++)
            db_bind_text(s, 5 + i, p->street[i]);
        db_bind_text(s, 8, p->city);
        db_bind_text(s, 9, p->sp);
        db_bind_text(s, 10, p->pc);
        db_bind_text(s, 11, p->cc);
        e = db_run(s);
    }
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static void bind_disclose(db_stmt *s, int idx, const struct contact_data *d)
{
    if (!d->has_disclose) {
        db_bind_null(s, idx);
        db_bind_null(s, idx + 1);
        return;
    }
    char fields[160];
    contact_disclose_format(d->disclose, fields, sizeof fields);
    db_bind_int(s, idx, d->disclose_flag);
    db_bind_text(s, idx + 1, fields);
}


reg_err contact_handle_taken(const struct reg_op *op, const char *handle, bool *out,
                             reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT 1 FROM contact WHERE handle = ?");
    db_bind_text(s, 1, handle);
    *out = db_next(s);
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err contact_pick_handle(const struct reg_op *op, const char *registrar, const char *requested,
                            char handle[CONTACT_ID_MAX + 1], reg_status *st)
{
    bool generated = empty(requested) || !strcasecmp(requested, "auto");
    for (int attempt = 0;; attempt++) {
        bool taken;
        if (names_contact_id(&op->policy->names, registrar, requested, handle, st) || contact_handle_taken(op, handle, &taken, st))
            return st->code;
        if (!taken)
            return REG_OK;
        if (!generated || attempt >= 8)
            return reg_fail(st, REG_ERR_EXISTS, "contact %s already exists", handle);
    }
}

reg_err contact_load(const struct reg_op *op, const char *handle, struct contact *c, bool *found,
                     reg_status *st)
{
    return contact_load_row(op, handle, false, c, found, NULL, 0, st);
}

json_t *contact_snapshot(const struct contact *c) { return snapshot(c, false); }

/* ---- writing: every change of a contact row ------------------------------------ */

/* kind, voice, voice_x, fax, fax_x, email, mobile, ident_type,
 * ident_value, ident_cc, disclose_flag, disclose_fields from `first` on */
static void bind_data(db_stmt *s, int first, const struct contact_data *d)
{
    const char *text[] = {d->kind,   d->voice,      d->voice_x,     d->fax,     d->fax_x,
                          d->email,  d->mobile,     d->ident_type,  d->ident_value,
                          d->ident_cc};
    for (int i = 0; i < (int)(sizeof text / sizeof text[0]); i++)
        db_bind_text(s, first + i, text[i]);
    bind_disclose(s, first + 10, d);
}

static reg_err run(const struct reg_op *op, db_stmt *s, reg_status *st)
{
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err contact_store_insert(const struct reg_op *op, const char *handle,
                             const struct contact_data *d, const char *authinfo_hash, int64_t *id,
                             reg_status *st)
{
    db_stmt *s =
        db_query(op->db, "INSERT INTO contact (handle, sponsor_id, creator_id, kind, voice, "
                         "voice_x, fax, fax_x, email, mobile, ident_type, ident_value, "
                         "ident_cc, disclose_flag, disclose_fields, authinfo_hash, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "RETURNING id");
    db_bind_text(s, 1, handle);
    db_bind_int(s, 2, op->registrar_id);
    db_bind_int(s, 3, op->registrar_id);
    bind_data(s, 4, d);
    db_bind_text(s, 16, authinfo_hash);
    db_bind_int(s, 17, op->now);
    *id = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    if (e == REG_ERR_DB_CONSTRAINT) /* a concurrent create of the same id won */
        return reg_fail(st, REG_ERR_EXISTS, "contact %s already exists", handle);
    if (e)
        return op_db_fail(op, st, e);
    return write_postal(op, *id, d, st);
}

reg_err contact_store_update(const struct reg_op *op, int64_t id, const struct contact_data *d,
                             bool chg_authinfo, const char *authinfo_hash, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE contact SET kind = ?, voice = ?, voice_x = ?, "
                                  "fax = ?, fax_x = ?, email = ?, mobile = ?, ident_type = ?, "
                                  "ident_value = ?, ident_cc = ?, disclose_flag = ?, "
                                  "disclose_fields = ?, updated_at = ?, updater_id = ? "
                                  "WHERE id = ?");
    bind_data(s, 1, d);
    db_bind_int(s, 13, op->now);
    db_bind_int_or_null(s, 14, op->registrar_id, op->registrar_id);
    db_bind_int(s, 15, id);
    if (run(op, s, st))
        return st->code;
    if (chg_authinfo) {
        s = db_query(op->db, "UPDATE contact SET authinfo_hash = ? WHERE id = ?");
        db_bind_text(s, 1, authinfo_hash);
        db_bind_int(s, 2, id);
        if (run(op, s, st))
            return st->code;
    }
    return write_postal(op, id, d, st);
}

reg_err contact_store_rehash_authinfo(const struct reg_op *op, int64_t id, const char *old,
                                      const char *fresh, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE contact SET authinfo_hash = ? WHERE id = ? AND "
                                  "authinfo_hash = ?");
    db_bind_text(s, 1, fresh);
    db_bind_int(s, 2, id);
    db_bind_text(s, 3, old);
    return run(op, s, st);
}

reg_err contact_store_touch(const struct reg_op *op, int64_t id, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE contact SET updated_at = ?, updater_id = ? "
                                  "WHERE id = ?");
    db_bind_int(s, 1, op->now);
    db_bind_int_or_null(s, 2, op->registrar_id, op->registrar_id);
    db_bind_int(s, 3, id);
    return run(op, s, st);
}

reg_err contact_store_move(const struct reg_op *op, int64_t id, int64_t gid, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE contact SET sponsor_id = ?, transferred_at = ?, "
                                  "authinfo_hash = NULL, updated_at = ?, updater_id = ? "
                                  "WHERE id = ?");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, op->now);
    db_bind_int(s, 3, op->now);
    db_bind_int(s, 4, gid);
    db_bind_int(s, 5, id);
    return run(op, s, st);
}

reg_err contact_store_set_lang(const struct reg_op *op, int64_t id, const char *lang,
                               reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE contact SET lang = ? WHERE id = ?");
    db_bind_text(s, 1, lang); /* NULL: automatic */
    db_bind_int(s, 2, id);
    return run(op, s, st);
}

reg_err contact_store_set_idcheck(const struct reg_op *op, int64_t id, const char *state,
                                  reg_time deadline, const char *method, const char *note,
                                  reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE contact SET idcheck_state = ?, idcheck_deadline = ?, "
                                  "idcheck_method = ?, idcheck_by = ?, idcheck_at = ?, "
                                  "idcheck_note = ? WHERE id = ?");
    db_bind_text(s, 1, state);
    db_bind_int_or_null(s, 2, deadline, deadline);
    db_bind_text(s, 3, method);
    db_bind_text(s, 4, op->actor ? op->actor : "registry");
    db_bind_int(s, 5, op->now);
    db_bind_text(s, 6, note);
    db_bind_int(s, 7, id);
    return run(op, s, st);
}

reg_err contact_store_set_check_sent(const struct reg_op *op, int64_t id, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE contact SET contact_check_sent_at = ? WHERE id = ?");
    db_bind_int(s, 1, op->now);
    db_bind_int(s, 2, id);
    return run(op, s, st);
}

reg_err contact_store_copy(const struct reg_op *op, int64_t from, int64_t registrar_id,
                           const char *handle, int64_t *id, reg_status *st)
{
    static const char *const sql[] = {
        "INSERT INTO contact_postal (contact_id, type, name, org, street1, street2, street3, "
        "city, sp, pc, cc) SELECT ?, type, name, org, street1, street2, street3, city, sp, pc, "
        "cc FROM contact_postal WHERE contact_id = ?",
        /* a lock the registry set stays; the losing registrar's client
         * statuses and pending* states do not */
        "INSERT INTO object_status (object_kind, object_id, status, message) SELECT "
        "object_kind, ?, status, message FROM object_status WHERE object_kind = 'contact' AND "
        "object_id = ? AND status LIKE 'server%'",
    };
    db_stmt *s = db_query(op->db, "INSERT INTO contact (handle, sponsor_id, creator_id, kind, "
                                  "voice, voice_x, fax, fax_x, email, mobile, ident_type, "
                                  "ident_value, ident_cc, disclose_flag, disclose_fields, "
                                  "idcheck_state, idcheck_deadline, idcheck_method, idcheck_by, "
                                  "idcheck_at, idcheck_note, lang, created_at) "
                                  "SELECT ?, ?, ?, kind, voice, voice_x, fax, fax_x, email, "
                                  "mobile, ident_type, ident_value, ident_cc, disclose_flag, "
                                  "disclose_fields, idcheck_state, idcheck_deadline, "
                                  "idcheck_method, idcheck_by, idcheck_at, idcheck_note, lang, ? "
                                  "FROM contact WHERE id = ? RETURNING id");
    db_bind_text(s, 1, handle);
    db_bind_int(s, 2, registrar_id);
    db_bind_int(s, 3, registrar_id);
    db_bind_int(s, 4, op->now);
    db_bind_int(s, 5, from);
    *id = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    for (size_t i = 0; !e && i < sizeof sql / sizeof sql[0]; i++) {
        s = db_query(op->db, sql[i]);
        db_bind_int(s, 1, *id);
        db_bind_int(s, 2, from);
        e = db_run(s);
    }
    if (e)
        return op_db_fail(op, st, e);
    return *id ? REG_OK : reg_fail(st, REG_ERR_INTERNAL, "the copy of %s was not made", handle);
}

reg_err contact_store_delete(const struct reg_op *op, int64_t id, const char *handle,
                             reg_status *st)
{
    static const char *const sql[] = {
        "DELETE FROM object_status WHERE object_kind = 'contact' AND object_id = ?",
        "DELETE FROM contact_postal WHERE contact_id = ?",
        "DELETE FROM contact WHERE id = ?",
    };
    /* a registrar's own handle (R29) stays until staff name another */
    db_stmt *q = db_query(op->db, "SELECT handle FROM registrar WHERE contact_id = ?");
    db_bind_int(q, 1, id);
    char registrar[REGISTRAR_HANDLE_MAX + 1] = "";
    if (db_next(q))
        str_copy(registrar, sizeof registrar, db_col_text(q, 0));
    reg_err qe = db_done(q);
    if (qe)
        return op_db_fail(op, st, qe);
    if (registrar[0])
        return reg_fail(st, REG_ERR_ASSOCIATION,
                        "contact %s is registrar %s's own handle; the registry's staff must name "
                        "another first", handle, registrar);
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        db_stmt *s = db_query(op->db, sql[i]);
        db_bind_int(s, 1, id);
        reg_err e = db_run(s);
        if (e == REG_ERR_DB_CONSTRAINT) /* linked since we looked */
            return reg_fail(st, REG_ERR_ASSOCIATION,
                            "contact %s is linked; replace it there first", handle);
        if (e)
            return op_db_fail(op, st, e);
    }
    return REG_OK;
}
