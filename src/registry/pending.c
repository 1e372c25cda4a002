/* Registrant confirmations (R6–R9): see pending.h. */
#include "pending.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "contrib/secret.h"
#include "contrib/strbuf.h"
#include "contrib/strutil.h"
#include "domain_store.h"
#include "notices.h"
#include "notify/templates.h"
#include "pending_internal.h"
#include "poll.h"

static const char *status_for(const char *kind)
{
    return !strcmp(kind, PENDING_KIND_DELETE) ? "pendingDelete" : "pendingUpdate";
}

/* ---- the stored command: struct domain_update <-> JSON ------------------------ */

static json_t *strings_json(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, v[i] ? json_string(v[i]) : json_null());
    return a;
}

static json_t *contacts_json(const struct domain_contact *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{ssss}", "role", v[i].role, "handle", v[i].handle));
    return a;
}

static json_t *ds_json(const struct ds_data *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{sisisiss}", "keyTag", v[i].key_tag, "alg", v[i].alg,
                                           "digestType", v[i].digest_type, "digest",
                                           v[i].digest));
    return a;
}

static char *update_to_json(const struct domain_update *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(u->name));
    json_object_set_new(o, "addNs", strings_json(u->add_ns, u->nadd_ns));
    json_object_set_new(o, "remNs", strings_json(u->rem_ns, u->nrem_ns));
    json_object_set_new(o, "addContacts", contacts_json(u->add_contacts, u->nadd_contacts));
    json_object_set_new(o, "remContacts", contacts_json(u->rem_contacts, u->nrem_contacts));
    json_object_set_new(o, "addStatus", strings_json(u->add_status, u->nadd_status));
    json_object_set_new(o, "addStatusMsg", strings_json(u->add_status_msg, u->nadd_status));
    json_object_set_new(o, "remStatus", strings_json(u->rem_status, u->nrem_status));
    json_object_set_new(o, "registrant", json_string(u->chg_registrant));
    /* the auth info itself is never stored in clear: a change of it is
     * applied now or not at all (see domain_update_request) */
    json_object_set_new(o, "addDs", ds_json(u->add_ds, u->nadd_ds));
    json_object_set_new(o, "remDs", ds_json(u->rem_ds, u->nrem_ds));
    json_object_set_new(o, "remAllDs", json_boolean(u->rem_all_ds));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static size_t strings_from(json_t *a, const char **out, size_t max)
{
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(a, i, v) if (n < max) out[n++] = json_string_value(v);
    return n;
}

static size_t contacts_from(json_t *a, struct domain_contact *out, size_t max)
{
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(a, i, v) if (n < max)
    {
        str_copy(out[n].role, sizeof out[n].role, json_string_value(json_object_get(v, "role")));
        str_copy(out[n].handle, sizeof out[n].handle, json_string_value(json_object_get(v, "handle")));
        n++;
    }
    return n;
}

static size_t ds_from(json_t *a, struct ds_data *out, size_t max)
{
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(a, i, v) if (n < max)
    {
        out[n].key_tag = (int)json_integer_value(json_object_get(v, "keyTag"));
        out[n].alg = (int)json_integer_value(json_object_get(v, "alg"));
        out[n].digest_type = (int)json_integer_value(json_object_get(v, "digestType"));
        str_copy(out[n].digest, sizeof out[n].digest, json_string_value(json_object_get(v, "digest")));
        n++;
    }
    return n;
}

/* The strings in *u point into o: keep o until u is used. */
void pending_update_from_json(json_t *o, struct domain_update *u)
{
    memset(u, 0, sizeof *u);
    u->name = json_string_value(json_object_get(o, "name"));
    u->nadd_ns = strings_from(json_object_get(o, "addNs"), u->add_ns, DOMAIN_NS_MAX);
    u->nrem_ns = strings_from(json_object_get(o, "remNs"), u->rem_ns, DOMAIN_NS_MAX);
    u->nadd_contacts =
        contacts_from(json_object_get(o, "addContacts"), u->add_contacts, DOMAIN_CONTACTS_MAX);
    u->nrem_contacts =
        contacts_from(json_object_get(o, "remContacts"), u->rem_contacts, DOMAIN_CONTACTS_MAX);
    u->nadd_status = strings_from(json_object_get(o, "addStatus"), u->add_status, STATUS_MAX);
    strings_from(json_object_get(o, "addStatusMsg"), u->add_status_msg, STATUS_MAX);
    u->nrem_status = strings_from(json_object_get(o, "remStatus"), u->rem_status, STATUS_MAX);
    u->chg_registrant = json_string_value(json_object_get(o, "registrant"));
    u->nadd_ds = ds_from(json_object_get(o, "addDs"), u->add_ds, DOMAIN_DS_MAX);
    u->nrem_ds = ds_from(json_object_get(o, "remDs"), u->rem_ds, DOMAIN_DS_MAX);
    u->rem_all_ds = json_is_true(json_object_get(o, "remAllDs"));
}

/* ---- storing a request ------------------------------------------------------------ */

static reg_err domain_row(const struct reg_op *op, int64_t domain_id, char alabel[NAME_MAX_LEN + 1],
                          int64_t *registrant, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT name, registrant_id FROM domain WHERE id = ?");
    db_bind_int(s, 1, domain_id);
    bool found = db_next(s);
    if (found) {
        str_copy(alabel, NAME_MAX_LEN + 1, db_col_text(s, 0));
        *registrant = db_col_int(s, 1);
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    return found ? REG_OK : reg_fail(st, REG_ERR_NOT_FOUND, "domain %lld does not exist",
                                     (long long)domain_id);
}

static reg_err contact_id_of(const struct reg_op *op, const char *handle, int64_t *id,
                             reg_status *st)
{
    char h[HANDLE_MAX];
    str_copy(h, sizeof h, handle);
    for (char *p = h; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    db_stmt *s = db_query(op->db, "SELECT id FROM contact WHERE handle = ?");
    db_bind_text(s, 1, h);
    *id = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    return *id ? REG_OK : reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", handle);
}

static void confirm_link(const struct reg_op *op, const char *token, char *out, size_t n)
{
    const char *base = op->policy->base_url ? op->policy->base_url : "";
    size_t len = strlen(base);
    while (len && base[len - 1] == '/')
        len--;
    snprintf(out, n, "%.*s/confirm/%s", (int)len, base, token);
}

static reg_err store(const struct reg_op *op, int64_t domain_id, const char *kind,
                     int64_t new_registrant, const char *command, reg_status *st)
{
    char alabel[NAME_MAX_LEN + 1];
    int64_t registrant = 0;
    if (domain_row(op, domain_id, alabel, &registrant, st))
        return st->code;
    char token[SECRET_TOKEN_LEN], hash[SECRET_SHA256_HEX];
    if (secret_token(token))
        return reg_fail(st, REG_ERR_INTERNAL, "no randomness for the confirmation token");
    secret_sha256_hex(token, strlen(token), hash);
    reg_time expires = op->now + op->policy->confirm_ttl;
    db_stmt *s = db_query(op->db, "INSERT INTO pending_action (domain_id, domain_name, kind, "
                                  "registrar_id, registrant_id, new_registrant_id, command, "
                                  "token_hash, cltrid, svtrid, requested_at, expires_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, domain_id);
    db_bind_text(s, 2, alabel);
    db_bind_text(s, 3, kind);
    db_bind_int(s, 4, op->registrar_id);
    db_bind_int(s, 5, registrant);
    db_bind_int_or_null(s, 6, new_registrant, new_registrant);
    db_bind_text(s, 7, command);
    db_bind_text(s, 8, hash);
    db_bind_text(s, 9, op->cltrid);
    db_bind_text(s, 10, op->svtrid);
    db_bind_int(s, 11, op->now);
    db_bind_int(s, 12, expires);
    reg_err e = db_run(s);
    if (!e)
        e = status_add(op->db, "domain", domain_id, status_for(kind), "awaiting the registrant");
    if (e)
        return op_db_fail(op, st, e);
    char link[512];
    confirm_link(op, token, link, sizeof link);
    if (domain_record_version(op, alabel, "request", st))
        return st->code;
    return notice_confirmation_request(op, domain_id, kind, new_registrant, link, expires, st);
}

reg_err pending_registrant_change(const struct reg_op *op, int64_t domain_id,
                                  const struct domain_update *u, reg_status *st)
{
    int64_t new_registrant;
    if (contact_id_of(op, u->chg_registrant, &new_registrant, st))
        return st->code;
    char *command = update_to_json(u);
    if (!command)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    reg_err e = store(op, domain_id, PENDING_KIND_REGISTRANT_CHANGE, new_registrant, command, st);
    free(command);
    return e;
}

reg_err pending_delete(const struct reg_op *op, int64_t domain_id, reg_status *st)
{
    return store(op, domain_id, PENDING_KIND_DELETE, 0, NULL, st);
}

/* ---- reading ------------------------------------------------------------------------ */


#define ACTION_COLUMNS                                                                          \
    "p.id, p.kind, p.state, p.domain_name, COALESCE(d.uname, p.domain_name), g.handle, g.name, " \
    "c.handle, (SELECT name FROM contact_postal WHERE contact_id = c.id ORDER BY type DESC "     \
    "LIMIT 1), n.handle, (SELECT name FROM contact_postal WHERE contact_id = n.id ORDER BY "     \
    "type DESC LIMIT 1), p.requested_at, p.expires_at, p.decided_at, p.domain_id, "            \
    "p.registrar_id, p.command, p.cltrid, p.svtrid, c.lang, (SELECT cc FROM contact_postal "     \
    "WHERE contact_id = c.id ORDER BY type DESC LIMIT 1) "                                       \
    "FROM pending_action p JOIN registrar g ON g.id = p.registrar_id "                          \
    "LEFT JOIN domain d ON d.id = p.domain_id LEFT JOIN contact c ON c.id = p.registrant_id "  \
    "LEFT JOIN contact n ON n.id = p.new_registrant_id "

void pending_action_free(struct pending_action *a)
{
    free(a->command);
    a->command = NULL;
}

static void read_action(const struct reg_op *op, db_stmt *s, struct pending_action *a)
{
    struct pending_view *v = &a->v;
    v->id = db_col_int(s, 0);
    str_copy(v->kind, sizeof v->kind, db_col_text(s, 1));
    str_copy(v->state, sizeof v->state, db_col_text(s, 2));
    str_copy(v->domain, sizeof v->domain, db_col_text(s, 3));
    str_copy(v->udomain, sizeof v->udomain, db_col_text(s, 4));
    str_copy(v->registrar_handle, sizeof v->registrar_handle, db_col_text(s, 5));
    str_copy(v->registrar_name, sizeof v->registrar_name, db_col_text(s, 6));
    str_copy(v->registrant_handle, sizeof v->registrant_handle, db_col_text(s, 7));
    str_copy(v->registrant_name, sizeof v->registrant_name, db_col_text(s, 8));
    str_copy(v->new_registrant_handle, sizeof v->new_registrant_handle, db_col_text(s, 9));
    str_copy(v->new_registrant_name, sizeof v->new_registrant_name, db_col_text(s, 10));
    v->requested_at = db_col_int(s, 11);
    v->expires_at = db_col_int(s, 12);
    v->decided_at = db_col_int(s, 13);
    a->domain_id = db_col_int(s, 14);
    a->registrar_id = db_col_int(s, 15);
    a->command = db_col_is_null(s, 16) ? NULL : strdup(db_col_text(s, 16));
    str_copy(a->cltrid, sizeof a->cltrid, db_col_text(s, 17));
    str_copy(a->svtrid, sizeof a->svtrid, db_col_text(s, 18));
    str_copy(v->lang, sizeof v->lang,
             template_lang_for(db_col_text(s, 19), db_col_text(s, 20),
                               op->policy ? op->policy->language : NULL));
}

/* The one action query s finds (REG_ERR_NOT_FOUND if none). */
static reg_err load_one(const struct reg_op *op, db_stmt *s, struct pending_action *a,
                        reg_status *st)
{
    bool found = db_next(s);
    if (found)
        read_action(op, s, a);
    reg_err e = db_done(s);
    if (e) {
        pending_action_free(a);
        return op_db_fail(op, st, e);
    }
    return found ? REG_OK : reg_fail(st, REG_ERR_NOT_FOUND, "no such confirmation request");
}

reg_err pending_load_by_token(const struct reg_op *op, const char *token, struct pending_action *a,
                             reg_status *st)
{
    memset(a, 0, sizeof *a);
    char hash[SECRET_SHA256_HEX];
    secret_sha256_hex(token, strlen(token), hash);
    db_stmt *s = db_query(op->db, "SELECT " ACTION_COLUMNS "WHERE p.token_hash = ?");
    db_bind_text(s, 1, hash);
    return load_one(op, s, a, st);
}

reg_err pending_load_held(const struct reg_op *op, int64_t contact_id, int64_t id,
                          struct pending_action *a, reg_status *st)
{
    memset(a, 0, sizeof *a);
    db_stmt *s = db_query(op->db, "SELECT " ACTION_COLUMNS "WHERE p.id = ? AND p.state = "
                                  "'pending' AND " ACCOUNT_HOLDS_DOMAIN_SQL);
    db_bind_int(s, 1, id);
    for (int i = 0; i < ACCOUNT_HOLDS_DOMAIN_BINDS; i++)
        db_bind_int(s, i + 2, contact_id);
    return load_one(op, s, a, st);
}

reg_err pending_each_held(const struct reg_op *op, int64_t contact_id,
                          void (*fn)(const struct pending_view *v, void *arg), void *arg,
                          reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT " ACTION_COLUMNS "WHERE p.state = 'pending' AND "
                                  "p.expires_at > ? AND " ACCOUNT_HOLDS_DOMAIN_SQL
                                  " ORDER BY p.expires_at, p.id");
    db_bind_int(s, 1, op->now);
    for (int i = 0; i < ACCOUNT_HOLDS_DOMAIN_BINDS; i++)
        db_bind_int(s, i + 2, contact_id);
    while (db_next(s)) {
        struct pending_action a;
        memset(&a, 0, sizeof a);
        read_action(op, s, &a);
        fn(&a.v, arg);
        pending_action_free(&a);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* A pending action past its expiry is expired, whether or not the job has
 * run yet. */
static void expire_view(const struct reg_op *op, struct pending_view *v)
{
    if (!strcmp(v->state, "pending") && op->now >= v->expires_at)
        str_copy(v->state, sizeof v->state, "expired");
}

reg_err pending_find(const struct reg_op *op, const char *token, struct pending_view *out,
                     reg_status *st)
{
    struct pending_action a;
    if (pending_load_by_token(op, token, &a, st))
        return st->code;
    *out = a.v;
    expire_view(op, out);
    pending_action_free(&a);
    return REG_OK;
}

reg_err pending_each_for_domain(const struct reg_op *op, const char *alabel,
                                void (*fn)(const struct pending_view *v, const char *svtrid,
                                           void *arg),
                                void *arg, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT " ACTION_COLUMNS "WHERE p.domain_name = ? "
                                  "ORDER BY p.id DESC");
    db_bind_text(s, 1, alabel);
    while (db_next(s)) {
        struct pending_action a;
        memset(&a, 0, sizeof a);
        read_action(op, s, &a);
        expire_view(op, &a.v);
        fn(&a.v, a.svtrid, arg);
        pending_action_free(&a);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err pending_kind_of(const struct reg_op *op, int64_t domain_id, char kind[24], reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT kind FROM pending_action WHERE domain_id = ? AND "
                                  "state = 'pending'");
    db_bind_int(s, 1, domain_id);
    str_copy(kind, 24, db_next(s) ? db_col_text(s, 0) : "");
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* ---- outcomes ----------------------------------------------------------------------- */

static const char *kind_phrase(const char *kind)
{
    return !strcmp(kind, PENDING_KIND_DELETE) ? "delete" : "change of registrant";
}

/* RFC 5731 §3.3: the registrar hears how its pending command ended, as a
 * poll message carrying <domain:panData> (POLL_PENDING). */
reg_err pending_tell_registrar(const struct reg_op *op, const struct pending_action *a,
                              const char *outcome, reg_status *st)
{
    bool applied = !strcmp(a->v.state, "confirmed");
    char msg[512];
    snprintf(msg, sizeof msg, "The %s of %s was %s", kind_phrase(a->v.kind), a->v.domain,
             outcome);
    struct poll_pending p = {.result = applied, .date = op->now};
    str_copy(p.name, sizeof p.name, a->v.domain);
    str_copy(p.cltrid, sizeof p.cltrid, a->cltrid);
    str_copy(p.svtrid, sizeof p.svtrid, a->svtrid);
    return poll_enqueue_pending(op->db, a->registrar_id, &p, msg, st);
}

reg_err pending_set_state(const struct reg_op *op, struct pending_action *a, const char *state,
                         const char *reason, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE pending_action SET state = ?, decided_at = ?, "
                                  "reason = ? WHERE id = ? AND state = 'pending'");
    db_bind_text(s, 1, state);
    db_bind_int(s, 2, op->now);
    db_bind_text(s, 3, reason);
    db_bind_int(s, 4, a->v.id);
    reg_err e = db_run(s);
    if (e)
        return op_db_fail(op, st, e);
    str_copy(a->v.state, sizeof a->v.state, state);
    a->v.decided_at = op->now;
    return REG_OK;
}

/* The domain leaves pendingUpdate / pendingDelete (and history says so). */
reg_err pending_lift_status(const struct reg_op *op, const struct pending_action *a, const char *why,
                           reg_status *st)
{
    if (!a->domain_id)
        return REG_OK;
    reg_err e = status_remove(op->db, "domain", a->domain_id, status_for(a->v.kind));
    if (e)
        return op_db_fail(op, st, e);
    return why ? domain_record_version(op, a->v.domain, why, st) : REG_OK;
}

/* Dropped without applying: rejected, expired, cancelled or failed. */
reg_err pending_drop(const struct reg_op *op, struct pending_action *a, const char *state,
                    const char *reason, reg_status *st)
{
    static const struct {
        const char *state, *phrase;
    } phrases[] = {
        {"rejected", "rejected by the registrant"},
        {"expired", "not confirmed by the registrant in time; it lapsed"},
        {"cancelled", "cancelled"},
        {"failed", "confirmed by the registrant but could not be applied"},
    };
    const char *phrase = state;
    for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
        if (!strcmp(phrases[i].state, state))
            phrase = phrases[i].phrase;
    char outcome[400];
    snprintf(outcome, sizeof outcome, "%s%s%s", phrase, reason ? ": " : "", reason ? reason : "");
    if (pending_set_state(op, a, state, reason, st) || pending_lift_status(op, a, state, st) ||
        pending_tell_registrar(op, a, outcome, st))
        return st->code;
    return REG_OK;
}

reg_err pending_expire_due(const struct reg_op *op, int *count, reg_status *st)
{
    *count = 0;
    for (;;) {
        struct pending_action a;
        memset(&a, 0, sizeof a);
        db_stmt *s = db_query(op->db, "SELECT " ACTION_COLUMNS "WHERE p.state = 'pending' AND "
                                      "p.expires_at <= ? ORDER BY p.expires_at, p.id LIMIT 1");
        db_bind_int(s, 1, op->now);
        bool found = db_next(s);
        if (found)
            read_action(op, s, &a);
        reg_err e = db_done(s);
        if (!e && found)
            e = pending_drop(op, &a, "expired", NULL, st) ? st->code : REG_OK;
        else if (e)
            e = op_db_fail(op, st, e);
        pending_action_free(&a);
        if (e || !found)
            return e;
        (*count)++;
    }
}

reg_err pending_cancel_for_domain(const struct reg_op *op, int64_t domain_id, const char *why,
                                  reg_status *st)
{
    struct pending_action a;
    memset(&a, 0, sizeof a);
    db_stmt *s = db_query(op->db, "SELECT " ACTION_COLUMNS "WHERE p.state = 'pending' AND "
                                  "p.domain_id = ?");
    db_bind_int(s, 1, domain_id);
    bool found = db_next(s);
    if (found)
        read_action(op, s, &a);
    reg_err e = db_done(s);
    if (e)
        e = op_db_fail(op, st, e);
    else if (found)
        e = pending_drop(op, &a, "cancelled", why, st);
    pending_action_free(&a);
    return e;
}
