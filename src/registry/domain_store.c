/* The domain row (domain_store.h). */
#include "domain_store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/secret.h"
#include "contrib/strutil.h"
#include "history.h"

/* DOMAIN_NCOLS below counts these, and read_row reads them in order */
#define DOMAIN_COLUMNS                                                                        \
    "d.id, d.name, d.uname, s.handle, c.handle, u.handle, r.handle, d.authinfo_hash, "        \
    "d.management, d.created_at, d.updated_at, d.transferred_at, d.expires_at, "              \
    "d.delete_requested_at, d.purge_at, (SELECT p.kind FROM pending_action p WHERE "             \
    "p.domain_id = d.id AND p.state = 'pending'), d.terms_version, d.terms_accepted_at, "      \
    "t.handle"
#define DOMAIN_FROM                                                                           \
    " FROM domain d JOIN registrar s ON s.id = d.sponsor_id JOIN registrar c ON c.id = "      \
    "d.creator_id LEFT JOIN registrar u ON u.id = d.updater_id JOIN contact r ON r.id = "     \
    "d.registrant_id LEFT JOIN registrar t ON t.id = d.terms_registrar_id"

size_t domain_derived_statuses(const struct domain *d, const char *out[2])
{
    size_t n = 0;
    if (d->nns == 0)
        out[n++] = "inactive";
    if (d->statuses.n == 0 && n == 0)
        out[n++] = "ok";
    return n;
}

void domain_free(struct domain *d)
{
    status_set_free(&d->statuses);
}

static reg_err normalize(const struct reg_op *op, const char *name, struct domain_name *dn,
                         reg_status *st)
{
    return names_domain(&op->policy->names, name, dn, st);
}

/* ---- loading ------------------------------------------------------------ */

#define SUB_MAX STR_OF(DOMAIN_SUB_MAX)

/* A domain's lists: contacts, name servers, subordinate hosts (the first
 * DOMAIN_SUB_MAX by name: those a struct domain keeps; a domain has no
 * limit on them), DS records and statuses, the domain's id given by the
 * SQL expression ID. Columns:
 * the list (0-4), three integers (DS: key tag, algorithm, digest type),
 * two texts; each list in the order it had when read alone. */
#define DOMAIN_LISTS(ID)                                                                      \
    "SELECT 0 AS k, CAST(NULL AS INTEGER) AS i1, CAST(NULL AS INTEGER) AS i2, "             \
    "CAST(NULL AS INTEGER) AS i3, dc.role AS t1, c.handle AS t2 FROM domain_contact dc "    \
    "JOIN contact c ON c.id = dc.contact_id WHERE dc.domain_id = " ID " "                    \
    "UNION ALL SELECT 1, NULL, NULL, NULL, h.name, NULL FROM domain_host dh JOIN host h "    \
    "ON h.id = dh.host_id WHERE dh.domain_id = " ID " "                                      \
    "UNION ALL SELECT 2, NULL, NULL, NULL, name, NULL FROM (SELECT name FROM host WHERE "    \
    "superordinate_id = " ID " ORDER BY name LIMIT " SUB_MAX ") sub "                         \
    "UNION ALL SELECT 3, key_tag, alg, digest_type, digest, NULL FROM ds_record "            \
    "WHERE domain_id = " ID " UNION ALL SELECT 4, NULL, NULL, NULL, status, message FROM "   \
    "object_status WHERE object_kind = 'domain' AND object_id = " ID
#define DOMAIN_ORDER " ORDER BY 1, 2, 3, 4, 5, 6"
#define DOMAIN_NCOLS 19 /* DOMAIN_COLUMNS */

/* The row, then its lists by the row's id: two statements, the cheaper
 * form on SQLite, where a statement is a call. */
#define DOMAIN_ROW "SELECT " DOMAIN_COLUMNS DOMAIN_FROM " WHERE d.name = ?"
#define DOMAIN_ROW_LISTS DOMAIN_LISTS("?") DOMAIN_ORDER

/* The row and, on each row of the answer beside it, one item of its
 * lists: one statement, the cheaper form on PostgreSQL, where each is a
 * round trip (issue 18: a domain:info is this statement alone; on
 * SQLite it costs more than the two, docs/performance.md). No row: no
 * such domain; a domain without list items: one row, its list columns
 * NULL. */
#define DOMAIN_LOAD                                                                           \
    "WITH d0 AS MATERIALIZED (" DOMAIN_ROW ") SELECT d0.*, l.k, l.i1, l.i2, l.i3, l.t1, "    \
    "l.t2 FROM d0 LEFT JOIN (" DOMAIN_LISTS("(SELECT id FROM d0)") ") l ON 1 = 1 ORDER BY "  \
    "l.k, l.i1, l.i2, l.i3, l.t1, l.t2"

/* One item of a list, from an answer row whose list columns start at
 * column c. */
static void list_item(db_stmt *s, int c, struct domain *d)
{
    const char *t = db_col_text(s, c + 4);
    switch (db_col_int(s, c)) {
    case 0:
        if (d->ncontacts == DOMAIN_CONTACTS_MAX)
            break;
        str_copy(d->contacts[d->ncontacts].role, sizeof d->contacts[0].role, t);
        str_copy(d->contacts[d->ncontacts].handle, HANDLE_MAX, db_col_text(s, c + 5));
        d->ncontacts++;
        break;
    case 1:
        if (d->nns < DOMAIN_NS_MAX)
            str_copy(d->ns[d->nns++], NAME_MAX_LEN + 1, t);
        break;
    case 2:
        if (d->nsub < DOMAIN_SUB_MAX)
            str_copy(d->subordinates[d->nsub++], NAME_MAX_LEN + 1, t);
        break;
    case 3:
        if (d->nds < DOMAIN_DS_MAX) {
            struct ds_data *ds = &d->ds[d->nds++];
            ds->key_tag = (int)db_col_int(s, c + 1);
            ds->alg = (int)db_col_int(s, c + 2);
            ds->digest_type = (int)db_col_int(s, c + 3);
            str_copy(ds->digest, sizeof ds->digest, t);
        }
        break;
    case 4:
        if (d->statuses.n < STATUS_MAX) {
            struct status_entry *e = &d->statuses.items[d->statuses.n++];
            snprintf(e->name, sizeof e->name, "%s", t);
            const char *m = db_col_text(s, c + 5);
            e->message = m ? strdup(m) : NULL;
        }
        break;
    }
}

static void rgp_state(const struct reg_op *op, struct domain *d)
{
    d->rgp[0] = '\0';
    if (!d->delete_requested_at)
        return;
    bool redeemable = op->now < d->delete_requested_at + op->policy->redemption_period;
    str_copy(d->rgp, sizeof d->rgp, redeemable ? "redemptionPeriod" : "pendingDelete");
}

/* The row's columns (DOMAIN_COLUMNS), from the first answer row. */
static void read_row(db_stmt *s, struct domain *d, char *hash, size_t hashlen)
{
    d->id = db_col_int(s, 0);
    str_copy(d->name.alabel, sizeof d->name.alabel, db_col_text(s, 1));
    str_copy(d->name.ulabel, sizeof d->name.ulabel, db_col_text(s, 2));
    d->name.idn = strcmp(d->name.alabel, d->name.ulabel) != 0;
    str_copy(d->sponsor, sizeof d->sponsor, db_col_text(s, 3));
    str_copy(d->creator, sizeof d->creator, db_col_text(s, 4));
    str_copy(d->updater, sizeof d->updater, db_col_text(s, 5));
    str_copy(d->registrant, sizeof d->registrant, db_col_text(s, 6));
    d->has_authinfo = !db_col_is_null(s, 7);
    if (hash)
        str_copy(hash, hashlen, db_col_text(s, 7));
    str_copy(d->management, sizeof d->management, db_col_text(s, 8));
    d->created_at = db_col_int(s, 9);
    d->updated_at = db_col_int(s, 10);
    d->transferred_at = db_col_int(s, 11);
    d->expires_at = db_col_int(s, 12);
    d->delete_requested_at = db_col_int(s, 13);
    d->purge_at = db_col_int(s, 14);
    str_copy(d->pending_action, sizeof d->pending_action, db_col_text(s, 15));
    str_copy(d->terms_version, sizeof d->terms_version, db_col_text(s, 16));
    d->terms_accepted_at = db_col_int(s, 17);
    str_copy(d->terms_registrar, sizeof d->terms_registrar, db_col_text(s, 18));
}

/* The lists of the domain d->id, by their statement of their own. */
static reg_err read_lists(const struct reg_op *op, struct domain *d)
{
    db_stmt *s = db_query(op->db, DOMAIN_ROW_LISTS);
    for (int i = 1; i <= 5; i++)
        db_bind_int(s, i, d->id);
    while (db_next(s))
        list_item(s, 0, d);
    return db_done(s);
}

/* The row and its lists in the form that costs least on the backend;
 * whether the domain exists. */
static reg_err load_rows(const struct reg_op *op, const char *alabel, struct domain *d,
                         char *hash, size_t hashlen, bool *found)
{
    bool one = db_kind_of(op->db) == DB_PGSQL;
    db_stmt *s = db_query(op->db, one ? DOMAIN_LOAD : DOMAIN_ROW);
    db_bind_text(s, 1, alabel);
    while (db_next(s)) {
        if (!*found)
            read_row(s, d, hash, hashlen);
        *found = true;
        if (one && !db_col_is_null(s, DOMAIN_NCOLS))
            list_item(s, DOMAIN_NCOLS, d);
    }
    reg_err e = db_done(s);
    return e || one || !*found ? e : read_lists(op, d);
}

reg_err domain_load(const struct reg_op *op, const char *alabel, struct domain *d, char *hash,
                    size_t hashlen, reg_status *st)
{
    memset(d, 0, sizeof *d);
    bool found = false;
    reg_err e = load_rows(op, alabel, d, hash, hashlen, &found);
    if (e) {
        domain_free(d); /* the status messages read before the failure */
        return op_db_fail(op, st, e);
    }
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "domain %s does not exist", alabel);
    roid_format(d->roid, 'D', d->id, op->policy);
    rgp_state(op, d);
    return REG_OK;
}

reg_err domain_load_input(const struct reg_op *op, const char *name, struct domain *d,
                          char *hash, size_t hashlen, reg_status *st)
{
    struct domain_name dn;
    if (normalize(op, name, &dn, st)) {
        /* a name we would never register cannot exist either */
        if (st->code == REG_ERR_POLICY)
            return reg_fail(st, REG_ERR_NOT_FOUND, "domain %s does not exist", name);
        return st->code;
    }
    return domain_load(op, dn.alabel, d, hash, hashlen, st);
}

bool domain_is_sponsor(const struct reg_op *op, const struct domain *d)
{
    return op->actor && !strcmp(op->actor, d->sponsor);
}

/* ---- history snapshot (R40) ---------------------------------------------- */

static json_t *snapshot(const struct domain *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(d->name.alabel));
    json_object_set_new(o, "uname", json_string(d->name.ulabel));
    json_object_set_new(o, "sponsor", json_string(d->sponsor));
    json_object_set_new(o, "registrant", json_string(d->registrant));
    json_object_set_new(o, "expires", json_integer(d->expires_at));
    json_object_set_new(o, "management", json_string(d->management));
    if (d->terms_version[0])
        json_object_set_new(o, "terms", json_pack("{s:s,s:I,s:s}", "version", d->terms_version,
                                                  "accepted", (json_int_t)d->terms_accepted_at,
                                                  "registrar", d->terms_registrar));
    json_object_set_new(o, "authinfo_set", json_boolean(d->has_authinfo));
    json_t *c = json_array(), *ns = json_array(), *ds = json_array(), *stv = json_array();
    for (size_t i = 0; i < d->ncontacts; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "role", json_string(d->contacts[i].role));
        json_object_set_new(x, "handle", json_string(d->contacts[i].handle));
        json_array_append_new(c, x);
    }
    for (size_t i = 0; i < d->nns; i++)
        json_array_append_new(ns, json_string(d->ns[i]));
    for (size_t i = 0; i < d->nds; i++)
        json_array_append_new(ds, json_pack("{s:i,s:i,s:i,s:s}", "keyTag", d->ds[i].key_tag,
                                            "alg", d->ds[i].alg, "digestType",
                                            d->ds[i].digest_type, "digest", d->ds[i].digest));
    for (size_t i = 0; i < d->statuses.n; i++)
        json_array_append_new(stv, json_string(d->statuses.items[i].name));
    json_object_set_new(o, "contacts", c);
    json_object_set_new(o, "ns", ns);
    json_object_set_new(o, "ds", ds);
    json_object_set_new(o, "statuses", stv);
    return o;
}

/* Re-reads the domain and stores the version in history. */
reg_err domain_record_version(const struct reg_op *op, const char *alabel, const char *action,
                              reg_status *st)
{
    struct domain d;
    reg_err e = domain_load(op, alabel, &d, NULL, 0, st);
    if (e)
        return e;
    e = domain_record_version_of(op, &d, action, st);
    domain_free(&d);
    return e;
}

reg_err domain_record_version_of(const struct reg_op *op, const struct domain *d,
                                 const char *action, reg_status *st)
{
    return history_record_json(op, "domain", d->id, d->name.alabel, action, snapshot(d), st);
}

/* The domain as a change poll message shows it: the history snapshot and
 * what <domain:infData> adds (upID is the sponsor when the updater is
 * not known). domain_from_json reads it back for poll.c. */
json_t *domain_to_json(const struct domain *d)
{
    json_t *o = snapshot(d);
    json_object_set_new(o, "roid", json_string(d->roid));
    json_object_set_new(o, "crID", json_string(d->creator));
    json_object_set_new(o, "crDate", json_integer(d->created_at));
    if (d->updated_at) {
        json_object_set_new(o, "upID", json_string(d->updater[0] ? d->updater : d->sponsor));
        json_object_set_new(o, "upDate", json_integer(d->updated_at));
    }
    return o;
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

void domain_from_json(json_t *o, struct domain *d)
{
    memset(d, 0, sizeof *d);
    str_copy(d->name.alabel, sizeof d->name.alabel, jstr(o, "name"));
    str_copy(d->name.ulabel, sizeof d->name.ulabel, jstr(o, "uname"));
    d->name.idn = strcmp(d->name.alabel, d->name.ulabel) != 0;
    str_copy(d->roid, sizeof d->roid, jstr(o, "roid"));
    str_copy(d->sponsor, sizeof d->sponsor, jstr(o, "sponsor"));
    str_copy(d->creator, sizeof d->creator, jstr(o, "crID"));
    str_copy(d->updater, sizeof d->updater, jstr(o, "upID"));
    str_copy(d->registrant, sizeof d->registrant, jstr(o, "registrant"));
    str_copy(d->management, sizeof d->management, jstr(o, "management"));
    d->created_at = json_integer_value(json_object_get(o, "crDate"));
    d->updated_at = json_integer_value(json_object_get(o, "upDate"));
    d->expires_at = json_integer_value(json_object_get(o, "expires"));
    d->has_authinfo = json_is_true(json_object_get(o, "authinfo_set"));
    json_t *terms = json_object_get(o, "terms");
    str_copy(d->terms_version, sizeof d->terms_version, jstr(terms, "version"));
    d->terms_accepted_at = json_integer_value(json_object_get(terms, "accepted"));
    str_copy(d->terms_registrar, sizeof d->terms_registrar, jstr(terms, "registrar"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o, "contacts"), i, v) {
        if (d->ncontacts == DOMAIN_CONTACTS_MAX)
            break;
        str_copy(d->contacts[d->ncontacts].role, sizeof d->contacts[0].role, jstr(v, "role"));
        str_copy(d->contacts[d->ncontacts].handle, HANDLE_MAX, jstr(v, "handle"));
        d->ncontacts++;
    }
    json_array_foreach(json_object_get(o, "ns"), i, v) {
        if (d->nns == DOMAIN_NS_MAX)
            break;
        str_copy(d->ns[d->nns++], NAME_MAX_LEN + 1, json_string_value(v));
    }
    json_array_foreach(json_object_get(o, "ds"), i, v) {
        if (d->nds == DOMAIN_DS_MAX)
            break;
        struct ds_data *ds = &d->ds[d->nds++];
        ds->key_tag = (int)json_integer_value(json_object_get(v, "keyTag"));
        ds->alg = (int)json_integer_value(json_object_get(v, "alg"));
        ds->digest_type = (int)json_integer_value(json_object_get(v, "digestType"));
        str_copy(ds->digest, sizeof ds->digest, jstr(v, "digest"));
    }
    json_array_foreach(json_object_get(o, "statuses"), i, v) {
        if (d->statuses.n == STATUS_MAX)
            break;
        str_copy(d->statuses.items[d->statuses.n++].name, STATUS_NAME_MAX, json_string_value(v));
    }
}

/* ---- writing ------------------------------------------------------------------ */

static reg_err run(const struct reg_op *op, db_stmt *s, reg_status *st)
{
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* `updated_at = ?, updater_id = …` bound at idx, idx + 1, idx + 2 */
#define SET_UPDATED "updated_at = ?, updater_id = CASE WHEN ? = 1 THEN ? ELSE updater_id END"
static void bind_updated(const struct reg_op *op, db_stmt *s, int idx, bool as_updater)
{
    db_bind_int(s, idx, op->now);
    db_bind_int(s, idx + 1, as_updater);
    db_bind_int(s, idx + 2, op->registrar_id);
}

reg_err domain_store_insert(const struct reg_op *op, const struct domain_row *r,
                            struct domain_inserted *out, reg_status *st)
{
    db_stmt *s = db_query(op->db, "INSERT INTO domain (name, uname, sponsor_id, creator_id, "
                                  "registrant_id, authinfo_hash, management, created_at, "
                                  "expires_at, terms_version, terms_accepted_at, "
                                  "terms_registrar_id, account_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                                  "?, ?, ?, ?, (SELECT id FROM account WHERE sponsor_id = ? AND "
                                  "a1_id = ?)) RETURNING id, account_id, (SELECT r.handle FROM "
                                  "registrar r WHERE r.id = domain.sponsor_id), (SELECT c.handle FROM "
                                  "contact c WHERE c.id = domain.registrant_id)");
    db_bind_text(s, 1, r->alabel);
    db_bind_text(s, 2, r->ulabel);
    db_bind_int(s, 3, op->registrar_id);
    db_bind_int(s, 4, op->registrar_id);
    db_bind_int(s, 5, r->registrant_id);
    db_bind_text(s, 6, r->authinfo_hash);
    db_bind_text(s, 7, r->management);
    db_bind_int(s, 8, op->now);
    db_bind_int(s, 9, r->expires_at);
    db_bind_text(s, 10, r->terms_version);
    db_bind_int(s, 11, r->terms_accepted_at);
    db_bind_int(s, 12, op->registrar_id);
    db_bind_int(s, 13, op->registrar_id);
    db_bind_int(s, 14, r->registrant_id);
    memset(out, 0, sizeof *out);
    if (db_next(s)) {
        out->id = db_col_int(s, 0);
        out->account_id = db_col_is_null(s, 1) ? 0 : db_col_int(s, 1);
        str_copy(out->sponsor, sizeof out->sponsor, db_col_text(s, 2));
        str_copy(out->registrant, sizeof out->registrant, db_col_text(s, 3));
    }
    reg_err e = db_done(s);
    if (e == REG_ERR_DB_CONSTRAINT)
        return reg_fail(st, REG_ERR_EXISTS, "domain %s is already registered", r->alabel);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err domain_store_load_new(const struct reg_op *op, const struct domain_row *r,
                              const struct domain_inserted *ins, struct domain *d,
                              reg_status *st)
{
    memset(d, 0, sizeof *d);
    d->id = ins->id;
    str_copy(d->name.alabel, sizeof d->name.alabel, r->alabel);
    str_copy(d->name.ulabel, sizeof d->name.ulabel, r->ulabel);
    d->name.idn = strcmp(d->name.alabel, d->name.ulabel) != 0;
    /* sponsor, creator and the registrar that vouched for the terms are
     * all the acting registrar (domain_store_insert) */
    str_copy(d->sponsor, sizeof d->sponsor, ins->sponsor);
    str_copy(d->creator, sizeof d->creator, ins->sponsor);
    str_copy(d->terms_registrar, sizeof d->terms_registrar, ins->sponsor);
    str_copy(d->registrant, sizeof d->registrant, ins->registrant);
    d->has_authinfo = r->authinfo_hash != NULL;
    str_copy(d->management, sizeof d->management, r->management);
    d->created_at = op->now;
    d->expires_at = r->expires_at;
    str_copy(d->terms_version, sizeof d->terms_version, r->terms_version);
    d->terms_accepted_at = r->terms_accepted_at;
    reg_err e = read_lists(op, d);
    if (e) {
        domain_free(d);
        return op_db_fail(op, st, e);
    }
    roid_format(d->roid, 'D', d->id, op->policy);
    rgp_state(op, d);
    return REG_OK;
}

reg_err domain_store_update(const struct reg_op *op, int64_t id, int64_t registrant_id,
                            bool chg_authinfo, const char *authinfo_hash, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE domain SET registrant_id = COALESCE(?, registrant_id), "
                                  "authinfo_hash = CASE WHEN ? = 1 THEN ? ELSE authinfo_hash END, "
                                  "updated_at = ?, updater_id = ? WHERE id = ?");
    db_bind_int_or_null(s, 1, registrant_id, registrant_id);
    db_bind_int(s, 2, chg_authinfo);
    db_bind_text(s, 3, authinfo_hash);
    db_bind_int(s, 4, op->now);
    db_bind_int(s, 5, op->registrar_id);
    db_bind_int(s, 6, id);
    return run(op, s, st);
}

reg_err domain_store_rehash_authinfo(const struct reg_op *op, int64_t id, const char *old,
                                     const char *fresh, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE domain SET authinfo_hash = ? WHERE id = ? AND "
                                  "authinfo_hash = ?");
    db_bind_text(s, 1, fresh);
    db_bind_int(s, 2, id);
    db_bind_text(s, 3, old);
    return run(op, s, st);
}

reg_err domain_store_set_expiry(const struct reg_op *op, int64_t id, reg_time expires_at,
                                bool as_updater, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE domain SET expires_at = ?, " SET_UPDATED " WHERE id = ?");
    db_bind_int(s, 1, expires_at);
    bind_updated(op, s, 2, as_updater);
    db_bind_int(s, 5, id);
    reg_err e = db_run_deferred(s); /* see db_defer_writes */
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err domain_store_set_deletion(const struct reg_op *op, int64_t id, reg_time purge_at,
                                  bool as_updater, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE domain SET delete_requested_at = ?, purge_at = ?, "
                                  SET_UPDATED " WHERE id = ?");
    db_bind_int_or_null(s, 1, purge_at, op->now);
    db_bind_int_or_null(s, 2, purge_at, purge_at);
    bind_updated(op, s, 3, as_updater);
    db_bind_int(s, 6, id);
    return run(op, s, st);
}

reg_err domain_store_move(const struct reg_op *op, int64_t id, int64_t gid, reg_time expires_at,
                          reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE domain SET sponsor_id = ?, transferred_at = ?, "
                                  "authinfo_hash = NULL, expires_at = ?, updated_at = ?, "
                                  "updater_id = ? WHERE id = ?");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, op->now);
    db_bind_int(s, 3, expires_at);
    db_bind_int(s, 4, op->now);
    db_bind_int(s, 5, gid);
    db_bind_int(s, 6, id);
    return run(op, s, st);
}

reg_err domain_store_set_management(const struct reg_op *op, int64_t id, const char *management,
                                    reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE domain SET management = ?, updated_at = ? WHERE id = ?");
    db_bind_text(s, 1, management);
    db_bind_int(s, 2, op->now);
    db_bind_int(s, 3, id);
    return run(op, s, st);
}

reg_err domain_store_set_account(const struct reg_op *op, int64_t id, int64_t account_id,
                                 reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE domain SET account_id = ? WHERE id = ?");
    db_bind_int(s, 1, account_id);
    db_bind_int(s, 2, id);
    return run(op, s, st);
}

reg_err domain_store_set_idcheck_delete(const struct reg_op *op, int64_t id, reg_time at,
                                        reg_time *when, reg_status *st)
{
    db_stmt *s = db_query(op->db, at ? "UPDATE domain SET idcheck_delete_at = COALESCE("
                                       "idcheck_delete_at, ?) WHERE id = ?"
                                     : "UPDATE domain SET idcheck_delete_at = NULL WHERE id = ?");
    int i = 1;
    if (at)
        db_bind_int(s, i++, at);
    db_bind_int(s, i, id);
    if (run(op, s, st))
        return st->code;
    if (!when)
        return REG_OK;
    s = db_query(op->db, "SELECT idcheck_delete_at FROM domain WHERE id = ?");
    db_bind_int(s, 1, id);
    *when = db_next(s) && !db_col_is_null(s, 0) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err domain_store_set_expiry_notice(const struct reg_op *op, int64_t id, reg_time expires,
                                       reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE domain SET expiry_notice_for = ? WHERE id = ?");
    db_bind_int(s, 1, expires);
    db_bind_int(s, 2, id);
    return run(op, s, st);
}

reg_err domain_store_replace_registrant(const struct reg_op *op, int64_t id, int64_t from,
                                        int64_t to, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE domain SET registrant_id = ? WHERE id = ? AND "
                                  "registrant_id = ?");
    db_bind_int(s, 1, to);
    db_bind_int(s, 2, id);
    db_bind_int(s, 3, from);
    return run(op, s, st);
}

reg_err domain_store_delete(const struct reg_op *op, int64_t id, reg_status *st)
{
    static const char *const sql[] = {
        "DELETE FROM domain_contact WHERE domain_id = ?",
        "DELETE FROM domain_host WHERE domain_id = ?",
        "DELETE FROM ds_record WHERE domain_id = ?",
        "DELETE FROM object_status WHERE object_kind = 'domain' AND object_id = ?",
        "DELETE FROM transfer WHERE object_kind = 'domain' AND object_id = ?",
        "DELETE FROM domain WHERE id = ?",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        db_stmt *s = db_query(op->db, sql[i]);
        db_bind_int(s, 1, id);
        if (run(op, s, st))
            return st->code;
    }
    return REG_OK;
}
