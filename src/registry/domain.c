#include "domain.h"
#include "domain_internal.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/secret.h"
#include "contrib/utf8.h"
#include "authinfo_request.h"
#include "account.h"
#include "billing.h"
#include "history.h"
#include "idcheck.h"
#include "notices.h"
#include "pending.h"
#include "poll.h"
#include "registrant_invoice.h"
#include "terms.h"

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

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

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

static reg_err load_lists(const struct reg_op *op, struct domain *d)
{
    db_stmt *s = db_query(op->db, "SELECT dc.role, c.handle FROM domain_contact dc JOIN contact c "
                                  "ON c.id = dc.contact_id WHERE dc.domain_id = ? "
                                  "ORDER BY dc.role, c.handle");
    db_bind_int(s, 1, d->id);
    while (db_next(s) && d->ncontacts < DOMAIN_CONTACTS_MAX) {
        copy(d->contacts[d->ncontacts].role, sizeof d->contacts[0].role, db_col_text(s, 0));
        copy(d->contacts[d->ncontacts].handle, HANDLE_MAX, db_col_text(s, 1));
        d->ncontacts++;
    }
    reg_err e = db_done(s);
    if (e)
        return e;
    s = db_query(op->db, "SELECT h.name FROM domain_host dh JOIN host h ON h.id = dh.host_id "
                         "WHERE dh.domain_id = ? ORDER BY h.name");
    db_bind_int(s, 1, d->id);
    while (db_next(s) && d->nns < DOMAIN_NS_MAX)
        copy(d->ns[d->nns++], NAME_MAX_LEN + 1, db_col_text(s, 0));
    if ((e = db_done(s)))
        return e;
    s = db_query(op->db, "SELECT name FROM host WHERE superordinate_id = ? ORDER BY name");
    db_bind_int(s, 1, d->id);
    while (db_next(s) && d->nsub < DOMAIN_SUB_MAX)
        copy(d->subordinates[d->nsub++], NAME_MAX_LEN + 1, db_col_text(s, 0));
    if ((e = db_done(s)))
        return e;
    s = db_query(op->db, "SELECT key_tag, alg, digest_type, digest FROM ds_record WHERE "
                         "domain_id = ? ORDER BY key_tag, alg, digest_type, digest");
    db_bind_int(s, 1, d->id);
    while (db_next(s) && d->nds < DOMAIN_DS_MAX) {
        struct ds_data *ds = &d->ds[d->nds++];
        ds->key_tag = (int)db_col_int(s, 0);
        ds->alg = (int)db_col_int(s, 1);
        ds->digest_type = (int)db_col_int(s, 2);
        copy(ds->digest, sizeof ds->digest, db_col_text(s, 3));
    }
    if ((e = db_done(s)))
        return e;
    return status_load(op->db, "domain", d->id, &d->statuses);
}

static void rgp_state(const struct reg_op *op, struct domain *d)
{
    d->rgp[0] = '\0';
    if (!d->delete_requested_at)
        return;
    bool redeemable = op->now < d->delete_requested_at + op->policy->redemption_period;
    copy(d->rgp, sizeof d->rgp, redeemable ? "redemptionPeriod" : "pendingDelete");
}

/* Loads by A-label; *hash (optional) gets the stored auth-info hash. */
static reg_err load(const struct reg_op *op, const char *alabel, struct domain *d, char *hash,
                    size_t hashlen, reg_status *st)
{
    memset(d, 0, sizeof *d);
    db_stmt *s = db_query(op->db, "SELECT " DOMAIN_COLUMNS DOMAIN_FROM " WHERE d.name = ?");
    db_bind_text(s, 1, alabel);
    bool found = db_next(s);
    if (found) {
        d->id = db_col_int(s, 0);
        copy(d->name.alabel, sizeof d->name.alabel, db_col_text(s, 1));
        copy(d->name.ulabel, sizeof d->name.ulabel, db_col_text(s, 2));
        d->name.idn = strcmp(d->name.alabel, d->name.ulabel) != 0;
        copy(d->sponsor, sizeof d->sponsor, db_col_text(s, 3));
        copy(d->creator, sizeof d->creator, db_col_text(s, 4));
        copy(d->updater, sizeof d->updater, db_col_text(s, 5));
        copy(d->registrant, sizeof d->registrant, db_col_text(s, 6));
        d->has_authinfo = !db_col_is_null(s, 7);
        if (hash)
            copy(hash, hashlen, db_col_text(s, 7));
        copy(d->management, sizeof d->management, db_col_text(s, 8));
        d->created_at = db_col_int(s, 9);
        d->updated_at = db_col_int(s, 10);
        d->transferred_at = db_col_int(s, 11);
        d->expires_at = db_col_int(s, 12);
        d->delete_requested_at = db_col_int(s, 13);
        d->purge_at = db_col_int(s, 14);
        copy(d->pending_action, sizeof d->pending_action, db_col_text(s, 15));
        copy(d->terms_version, sizeof d->terms_version, db_col_text(s, 16));
        d->terms_accepted_at = db_col_int(s, 17);
        copy(d->terms_registrar, sizeof d->terms_registrar, db_col_text(s, 18));
    }
    reg_err e = db_done(s);
    if (!e && found)
        e = load_lists(op, d);
    if (e)
        return op_db_fail(op, st, e);
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
    return load(op, dn.alabel, d, hash, hashlen, st);
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
    reg_err e = load(op, alabel, &d, NULL, 0, st);
    if (e)
        return e;
    e = history_record_json(op, "domain", d.id, d.name.alabel, action, snapshot(&d), st);
    domain_free(&d);
    return e;
}

/* ---- change poll (RFC 8590) ---------------------------------------------- */

reg_err domain_notify_change(const struct reg_op *op, const char *alabel, const char *operation,
                             const char *reason, reg_status *st)
{
    struct domain d;
    if (load(op, alabel, &d, NULL, 0, st))
        return st->code;
    json_t *dom = snapshot(&d);
    json_object_set_new(dom, "roid", json_string(d.roid));
    json_object_set_new(dom, "crID", json_string(d.creator));
    json_object_set_new(dom, "crDate", json_integer(d.created_at));
    if (d.updated_at) {
        json_object_set_new(dom, "upID", json_string(d.updater[0] ? d.updater : d.sponsor));
        json_object_set_new(dom, "upDate", json_integer(d.updated_at));
    }
    json_object_set_new(dom, "derived_inactive", json_boolean(d.nns == 0));
    char svtrid[64];
    snprintf(svtrid, sizeof svtrid, "%s", op->svtrid ? op->svtrid : "");
    if (!svtrid[0])
        snprintf(svtrid, sizeof svtrid, "%s-%lld", op->actor, (long long)op->now);
    json_t *o = json_pack("{s:s,s:s,s:I,s:s,s:s,s:o}", "operation", operation, "state",
                          !strcmp(operation, "autoPurge") ? "before" : "after", "date",
                          (json_int_t)op->now, "svTRID", svtrid, "who", op->actor, "domain", dom);
    if (reason) { /* eppcom:reasonType holds at most 32 characters */
        char r[33];
        snprintf(r, sizeof r, "%s", reason);
        utf8_sanitize(r);
        json_object_set_new(o, "reason", json_string(r));
    }
    char *data = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    char msg[400];
    snprintf(msg, sizeof msg, "Registry %s of %s%s%s", operation, d.name.alabel,
             reason ? ": " : "", reason ? reason : "");
    int64_t sponsor = 0;
    db_stmt *q = db_query(op->db, "SELECT sponsor_id FROM domain WHERE id = ?");
    db_bind_int(q, 1, d.id);
    if (db_next(q))
        sponsor = db_col_int(q, 0);
    reg_err e = db_done(q);
    if (!e && sponsor)
        e = poll_enqueue(op->db, sponsor, "change", msg, "domain", d.name.alabel, data, st);
    else if (e)
        op_db_fail(op, st, e);
    free(data);
    domain_free(&d);
    return e;
}

/* ---- lookups of linked objects -------------------------------------------- */

static void upper(char *dst, size_t n, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < n; i++)
        dst[i] = (char)toupper((unsigned char)src[i]);
    dst[i] = '\0';
}

static void lower(char *dst, size_t n, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < n; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    if (i && dst[i - 1] == '.')
        i--;
    dst[i] = '\0';
}

static reg_err id_of(const struct reg_op *op, const char *sql, const char *key, int64_t *id,
                     reg_status *st)
{
    db_stmt *s = db_query(op->db, sql);
    db_bind_text(s, 1, key);
    *id = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err contact_ref(const struct reg_op *op, const char *handle, int64_t *id, reg_status *st)
{
    char h[HANDLE_MAX];
    upper(h, sizeof h, handle);
    reg_err e = id_of(op, "SELECT id FROM contact WHERE handle = ?", h, id, st);
    if (!e && !*id)
        return reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", handle);
    return e;
}

static reg_err host_ref(const struct reg_op *op, const char *name, int64_t *id, reg_status *st)
{
    char h[NAME_MAX_LEN + 1];
    reg_status ignored;
    if (names_host(name, h, &ignored)) /* not a host name: it cannot exist */
        lower(h, sizeof h, name);
    reg_err e = id_of(op, "SELECT id FROM host WHERE name = ?", h, id, st);
    if (!e && !*id)
        return reg_fail(st, REG_ERR_NOT_FOUND, "host %s does not exist", name);
    return e;
}

static bool valid_role(const char *role)
{
    return !strcmp(role, "admin") || !strcmp(role, "tech") || !strcmp(role, "billing");
}

/* ---- DNSSEC (RFC 5910) ------------------------------------------------------ */

/* Digest lengths by type (RFC 4034 SHA-1, RFC 4509 SHA-256, RFC 6605 SHA-384). */
static int digest_hex_length(int type)
{
    switch (type) {
    case 1: return 40;
    case 2: return 64;
    case 4: return 96;
    default: return 0;
    }
}

/* DNSSEC algorithms a registry accepts today (IANA registry; RSAMD5, DSA
 * and the other deprecated ones are refused). */
static bool algorithm_accepted(int alg)
{
    static const int ok[] = {5, 7, 8, 10, 13, 14, 15, 16};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (ok[i] == alg)
            return true;
    return false;
}

static reg_err check_ds(struct ds_data *ds, reg_status *st)
{
    if (ds->key_tag < 0 || ds->key_tag > 65535)
        return reg_fail(st, REG_ERR_RANGE, "keyTag %d is outside 0..65535", ds->key_tag);
    if (!algorithm_accepted(ds->alg))
        return reg_fail(st, REG_ERR_POLICY,
                        "DNSSEC algorithm %d is not accepted (use 8, 13, 14, 15 or 16)", ds->alg);
    int want = digest_hex_length(ds->digest_type);
    if (!want)
        return reg_fail(st, REG_ERR_POLICY,
                        "digest type %d is not accepted (1 SHA-1, 2 SHA-256, 4 SHA-384)",
                        ds->digest_type);
    size_t n = strlen(ds->digest);
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)ds->digest[i]))
            return reg_fail(st, REG_ERR_INVALID, "digest must be hexadecimal");
        ds->digest[i] = (char)toupper((unsigned char)ds->digest[i]);
    }
    if ((int)n != want)
        return reg_fail(st, REG_ERR_POLICY, "a digest of type %d has %d hex digits, not %zu",
                        ds->digest_type, want, n);
    return REG_OK;
}

static reg_err ds_change(const struct reg_op *op, int64_t domain_id, const struct ds_data *ds,
                         bool add, reg_status *st)
{
    db_stmt *s = db_query(op->db, add ? "INSERT INTO ds_record (domain_id, key_tag, alg, "
                                        "digest_type, digest) VALUES (?, ?, ?, ?, ?) "
                                        "ON CONFLICT DO NOTHING"
                                      : "DELETE FROM ds_record WHERE domain_id = ? AND key_tag = "
                                        "? AND alg = ? AND digest_type = ? AND digest = ?");
    db_bind_int(s, 1, domain_id);
    db_bind_int(s, 2, ds->key_tag);
    db_bind_int(s, 3, ds->alg);
    db_bind_int(s, 4, ds->digest_type);
    db_bind_text(s, 5, ds->digest);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* ---- periods ---------------------------------------------------------------- */

static reg_err check_period(const struct reg_op *op, int months, int *out, reg_status *st)
{
    if (months == 0)
        months = 12;
    if (months % 12)
        return reg_fail(st, REG_ERR_POLICY, "periods are whole years (12, 24, … months)");
    int years = months / 12;
    if (years < op->policy->min_period || years > op->policy->max_period)
        return reg_fail(st, REG_ERR_POLICY, "period %d years is outside %d..%d", years,
                        op->policy->min_period, op->policy->max_period);
    *out = months;
    return REG_OK;
}

/* ---- check ------------------------------------------------------------------ */

reg_err domain_check(const struct reg_op *op, const char *name, struct domain_name *norm,
                     struct domain_check_result *r, reg_status *st)
{
    memset(r, 0, sizeof *r);
    reg_status why = {0};
    if (normalize(op, name, norm, &why)) {
        uint32_t cp = norm->refused_cp;
        memset(norm, 0, sizeof *norm); /* no stored form: the answer names it as asked */
        /* eppcom:reasonBaseType: at most 32 characters */
        if (why.code == REG_ERR_POLICY)
            snprintf(r->reason, sizeof r->reason, "not registrable under .%s",
                     op->policy->names.tld);
        else
            snprintf(r->reason, sizeof r->reason, cp ? "invalid name: U+%04X" : "invalid domain name",
                     cp);
        return REG_OK;
    }
    char label[NAME_MAX_LEN + 1];
    snprintf(label, sizeof label, "%s", norm->alabel);
    *strchr(label, '.') = '\0';
    if (policy_is_reserved(op->policy, label)) {
        snprintf(r->reason, sizeof r->reason, "reserved");
        return REG_OK;
    }
    int64_t id;
    if (id_of(op, "SELECT id FROM domain WHERE name = ?", norm->alabel, &id, st))
        return st->code;
    r->avail = id == 0;
    if (!r->avail)
        snprintf(r->reason, sizeof r->reason, "in use");
    return REG_OK;
}

/* ---- info ------------------------------------------------------------------- */

reg_err domain_info(const struct reg_op *op, const char *name, const char *authinfo,
                    struct domain *out, bool *full, reg_status *st)
{
    char hash[SECRET_AUTHINFO_HASH_LEN] = "";
    reg_err e = domain_load_input(op, name, out, hash, sizeof hash, st);
    if (e)
        return e;
    *full = domain_is_sponsor(op, out);
    if (!*full && authinfo && *authinfo) {
        if (!out->has_authinfo || !secret_authinfo_verify(hash, authinfo)) {
            domain_free(out);
            return reg_fail(st, REG_ERR_AUTHINFO, "the auth info for %s is not correct",
                            out->name.alabel);
        }
        *full = true;
    }
    return REG_OK;
}

/* ---- create ----------------------------------------------------------------- */

static reg_err link_contact(const struct reg_op *op, int64_t domain_id,
                            const struct domain_contact *c, bool add, reg_status *st)
{
    if (!valid_role(c->role))
        return reg_fail(st, REG_ERR_INVALID, "contact type %s is not admin, tech or billing",
                        c->role);
    int64_t cid;
    if (contact_ref(op, c->handle, &cid, st))
        return st->code;
    db_stmt *s = db_query(op->db, add ? "INSERT INTO domain_contact (domain_id, contact_id, role) "
                                        "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
                                      : "DELETE FROM domain_contact WHERE domain_id = ? AND "
                                        "contact_id = ? AND role = ?");
    db_bind_int(s, 1, domain_id);
    db_bind_int(s, 2, cid);
    db_bind_text(s, 3, c->role);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err link_host(const struct reg_op *op, int64_t domain_id, const char *name, bool add,
                         reg_status *st)
{
    int64_t hid;
    if (host_ref(op, name, &hid, st))
        return st->code;
    db_stmt *s = db_query(op->db, add ? "INSERT INTO domain_host (domain_id, host_id) VALUES (?, ?) "
                                        "ON CONFLICT DO NOTHING"
                                      : "DELETE FROM domain_host WHERE domain_id = ? AND host_id = ?");
    db_bind_int(s, 1, domain_id);
    db_bind_int(s, 2, hid);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err default_management(const struct reg_op *op, char out[16], reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT default_management FROM registrar WHERE id = ?");
    db_bind_int(s, 1, op->registrar_id);
    copy(out, 16, db_next(s) ? db_col_text(s, 0) : "registrar");
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err validate_create(const struct reg_op *op, const struct domain_create *in,
                               struct domain_name *dn, int *months, char management[16],
                               struct ds_data *ds, reg_time *terms_accepted, reg_status *st)
{
    if (normalize(op, in->name, dn, st))
        return st->code;
    char label[NAME_MAX_LEN + 1];
    snprintf(label, sizeof label, "%s", dn->alabel);
    *strchr(label, '.') = '\0';
    if (policy_is_reserved(op->policy, label))
        return reg_fail(st, REG_ERR_POLICY, "%s is reserved and cannot be registered", dn->alabel);
    if (check_period(op, in->period_months, months, st))
        return st->code;
    if (!in->registrant || !*in->registrant)
        return reg_fail(st, REG_ERR_MISSING, "a domain needs a registrant");
    if (in->management && strcmp(in->management, "registrar") && strcmp(in->management, "registrant"))
        return reg_fail(st, REG_ERR_INVALID, "management is registrar or registrant");
    if (in->management)
        copy(management, 16, in->management);
    else if (default_management(op, management, st)) /* R18 */
        return st->code;
    for (size_t i = 0; i < in->nds; i++) {
        ds[i] = in->ds[i];
        if (check_ds(&ds[i], st))
            return st->code;
    }
    return terms_check(op, in->terms_version, in->terms_accepted, terms_accepted, st); /* R20 */
}

reg_err domain_create(const struct reg_op *op, const struct domain_create *in,
                      struct domain *out, reg_status *st)
{
    struct domain_name dn;
    struct ds_data ds[DOMAIN_DS_MAX];
    char management[16], hash[SECRET_AUTHINFO_HASH_LEN];
    int months = 0;
    reg_time terms_accepted;
    if (validate_create(op, in, &dn, &months, management, ds, &terms_accepted, st))
        return st->code;
    int64_t existing, registrant;
    if (id_of(op, "SELECT id FROM domain WHERE name = ?", dn.alabel, &existing, st))
        return st->code;
    if (existing)
        return reg_fail(st, REG_ERR_EXISTS, "domain %s is already registered", dn.alabel);
    if (contact_ref(op, in->registrant, &registrant, st) ||
        idcheck_registrant(op, registrant, dn.alabel, st)) /* R21, R22 */
        return st->code;
    /* R23: debited in the same transaction; 2104 leaves nothing behind */
    if (billing_charge(op, op->registrar_id, "create", months / 12, "domain", dn.alabel, NULL, st))
        return st->code;
    bool has_auth = in->authinfo && *in->authinfo;
    if (has_auth && secret_authinfo_hash(in->authinfo, hash))
        return reg_fail(st, REG_ERR_INTERNAL, "cannot hash the auth info");
    db_stmt *s = db_query(op->db, "INSERT INTO domain (name, uname, sponsor_id, creator_id, "
                                  "registrant_id, authinfo_hash, management, created_at, "
                                  "expires_at, terms_version, terms_accepted_at, "
                                  "terms_registrar_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                  "RETURNING id");
    db_bind_text(s, 1, dn.alabel);
    db_bind_text(s, 2, dn.ulabel);
    db_bind_int(s, 3, op->registrar_id);
    db_bind_int(s, 4, op->registrar_id);
    db_bind_int(s, 5, registrant);
    db_bind_text(s, 6, has_auth ? hash : NULL);
    db_bind_text(s, 7, management);
    db_bind_int(s, 8, op->now);
    db_bind_int(s, 9, clock_add_months(op->now, months));
    db_bind_text(s, 10, in->terms_version);
    db_bind_int(s, 11, terms_accepted);
    db_bind_int(s, 12, op->registrar_id);
    int64_t id = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    if (e == REG_ERR_DB_CONSTRAINT)
        return reg_fail(st, REG_ERR_EXISTS, "domain %s is already registered", dn.alabel);
    if (e)
        return op_db_fail(op, st, e);
    for (size_t i = 0; i < in->ncontacts; i++)
        if (link_contact(op, id, &in->contacts[i], true, st))
            return st->code;
    for (size_t i = 0; i < in->nns; i++)
        if (link_host(op, id, in->ns[i], true, st))
            return st->code;
    for (size_t i = 0; i < in->nds; i++)
        if (ds_change(op, id, &ds[i], true, st))
            return st->code;
    if (account_attach_domain(op, id, st) || /* R37 */
        domain_record_version(op, dn.alabel, "create", st))
        return st->code;
    return out ? load(op, dn.alabel, out, NULL, 0, st) : REG_OK;
}

/* ---- update ----------------------------------------------------------------- */

/* RFC 5731 §2.3: with clientUpdateProhibited only its own removal passes. */
static bool only_unlocks(const struct domain_update *u)
{
    return u->nrem_status == 1 && !strcmp(u->rem_status[0], "clientUpdateProhibited") &&
           !u->nadd_ns && !u->nrem_ns && !u->nadd_contacts && !u->nrem_contacts &&
           !u->nadd_status && !u->chg_registrant && !u->chg_authinfo && !u->nadd_ds &&
           !u->nrem_ds && !u->rem_all_ds;
}

static reg_err check_update_allowed(const struct reg_op *op, const struct domain *d,
                                    const struct domain_update *u, reg_status *st)
{
    if (!domain_is_sponsor(op, d))
        return reg_fail(st, REG_ERR_AUTHZ, "%s is sponsored by another registrar", d->name.alabel);
    struct status_set effective = d->statuses;
    if (only_unlocks(u) && status_has(&d->statuses, "clientUpdateProhibited")) {
        /* check the others as if the lock were gone */
        effective.n = 0;
        for (size_t i = 0; i < d->statuses.n; i++)
            if (strcmp(d->statuses.items[i].name, "clientUpdateProhibited"))
                effective.items[effective.n++] = d->statuses.items[i];
    }
    if (status_allows(&effective, OP_UPDATE, st))
        return st->code;
    for (size_t i = 0; i < u->nadd_status; i++)
        if (!status_client_settable("domain", u->add_status[i]))
            return reg_fail(st, REG_ERR_POLICY, "status %s can only be set by the registry",
                            u->add_status[i]);
        else if (status_message_check(u->add_status[i], u->add_status_msg[i], st))
            return st->code;
    for (size_t i = 0; i < u->nrem_status; i++)
        if (!status_client_settable("domain", u->rem_status[i]))
            return reg_fail(st, REG_ERR_POLICY, "status %s can only be removed by the registry",
                            u->rem_status[i]);
    for (size_t i = 0; i < u->nrem_status; i++) /* as for contacts and hosts */
        if (!status_has(&d->statuses, u->rem_status[i]))
            return reg_fail(st, REG_ERR_POLICY, "status %s is not set on %s", u->rem_status[i],
                            d->name.alabel);
    return REG_OK;
}

static reg_err apply_statuses(const struct reg_op *op, int64_t id, const struct domain_update *u,
                              reg_status *st)
{
    reg_err e = REG_OK;
    for (size_t i = 0; i < u->nrem_status && !e; i++)
        e = status_remove(op->db, "domain", id, u->rem_status[i]);
    for (size_t i = 0; i < u->nadd_status && !e; i++)
        e = status_add(op->db, "domain", id, u->add_status[i], u->add_status_msg[i]);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err apply_links(const struct reg_op *op, int64_t id, const struct domain_update *u,
                           reg_status *st)
{
    for (size_t i = 0; i < u->nrem_ns; i++)
        if (link_host(op, id, u->rem_ns[i], false, st))
            return st->code;
    for (size_t i = 0; i < u->nadd_ns; i++)
        if (link_host(op, id, u->add_ns[i], true, st))
            return st->code;
    for (size_t i = 0; i < u->nrem_contacts; i++)
        if (link_contact(op, id, &u->rem_contacts[i], false, st))
            return st->code;
    for (size_t i = 0; i < u->nadd_contacts; i++)
        if (link_contact(op, id, &u->add_contacts[i], true, st))
            return st->code;
    return REG_OK;
}

static reg_err apply_ds(const struct reg_op *op, int64_t id, const struct domain_update *u,
                        reg_status *st)
{
    if (u->rem_all_ds) {
        db_stmt *s = db_query(op->db, "DELETE FROM ds_record WHERE domain_id = ?");
        db_bind_int(s, 1, id);
        reg_err e = db_run(s);
        if (e)
            return op_db_fail(op, st, e);
    }
    for (size_t i = 0; i < u->nrem_ds; i++) {
        struct ds_data ds = u->rem_ds[i];
        for (char *p = ds.digest; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (ds_change(op, id, &ds, false, st))
            return st->code;
    }
    for (size_t i = 0; i < u->nadd_ds; i++) {
        struct ds_data ds = u->add_ds[i];
        if (check_ds(&ds, st) || ds_change(op, id, &ds, true, st))
            return st->code;
    }
    return REG_OK;
}

static reg_err count_limit(const struct reg_op *op, int64_t id, reg_status *st)
{
    int64_t n;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    db_stmt *s = db_query(op->db, "SELECT (SELECT COUNT(*) FROM domain_host WHERE domain_id = ?), "
                                  "(SELECT COUNT(*) FROM ds_record WHERE domain_id = ?)");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, id);
    int64_t nds = 0;
    n = 0;
    if (db_next(s)) {
        n = db_col_int(s, 0);
        nds = db_col_int(s, 1);
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (n > DOMAIN_NS_MAX)
        return reg_fail(st, REG_ERR_POLICY, "at most %d name servers per domain", DOMAIN_NS_MAX);
    if (nds > DOMAIN_DS_MAX)
        return reg_fail(st, REG_ERR_POLICY, "at most %d DS records per domain", DOMAIN_DS_MAX);
    return REG_OK;
}

static reg_err registrant_of(const struct reg_op *op, int64_t id, int64_t *out, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT registrant_id FROM domain WHERE id = ?");
    db_bind_int(s, 1, id);
    *out = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err domain_update(const struct reg_op *op, const struct domain_update *u, reg_status *st)
{
    struct domain d;
    if (domain_load_input(op, u->name, &d, NULL, 0, st))
        return st->code;
    reg_err e = check_update_allowed(op, &d, u, st);
    int64_t id = d.id;
    char alabel[NAME_MAX_LEN + 1];
    copy(alabel, sizeof alabel, d.name.alabel);
    domain_free(&d);
    if (e)
        return e;
    if ((e = apply_statuses(op, id, u, st)) || (e = apply_links(op, id, u, st)) ||
        (e = apply_ds(op, id, u, st)) || (e = count_limit(op, id, st)))
        return e;
    int64_t registrant = 0, old_registrant = 0;
    if (u->chg_registrant && !*u->chg_registrant)
        return reg_fail(st, REG_ERR_POLICY, "a domain needs a registrant; it cannot be removed");
    if (u->chg_registrant && (contact_ref(op, u->chg_registrant, &registrant, st) ||
                              registrant_of(op, id, &old_registrant, st)))
        return st->code;
    if (registrant && registrant != old_registrant &&
        idcheck_registrant(op, registrant, alabel, st)) /* R21, R22 */
        return st->code;
    char hash[SECRET_AUTHINFO_HASH_LEN] = "";
    bool set_auth = u->chg_authinfo && u->authinfo && *u->authinfo;
    if (set_auth && secret_authinfo_hash(u->authinfo, hash))
        return reg_fail(st, REG_ERR_INTERNAL, "cannot hash the auth info");
    db_stmt *s = db_query(op->db, "UPDATE domain SET registrant_id = COALESCE(?, registrant_id), "
                                  "authinfo_hash = CASE WHEN ? = 1 THEN ? ELSE authinfo_hash END, "
                                  "updated_at = ?, updater_id = ? WHERE id = ?");
    if (registrant)
        db_bind_int(s, 1, registrant);
    else
        db_bind_null(s, 1);
    db_bind_int(s, 2, u->chg_authinfo);
    db_bind_text(s, 3, set_auth ? hash : NULL);
    db_bind_int(s, 4, op->now);
    db_bind_int(s, 5, op->registrar_id);
    db_bind_int(s, 6, id);
    if ((e = db_run(s)))
        return op_db_fail(op, st, e);
    /* R15: the sponsor setting auth info answers an auth-code request */
    if (set_auth && authinfo_requests_close(op, id, "authinfo-set", st))
        return st->code;
    /* R37: the domain moves to the new registrant's account */
    if (registrant && registrant != old_registrant && account_attach_domain(op, id, st))
        return st->code;
    if (domain_record_version(op, alabel, "update", st))
        return st->code;
    /* R6: another contact object as registrant is a change of registrant;
     * R10: the old and the new registrant are told */
    if (registrant && registrant != old_registrant)
        return notice_registrant_change(op, id, old_registrant, st);
    return REG_OK;
}

/* R6–R8: a change of registrant waits for the registrant unless verified.
 * The whole command is tried first (and rolled back), so whatever would
 * fail fails now, not 48 hours later on the registrant's click. */
reg_err domain_update_request(const struct reg_op *op, const struct domain_update *u,
                              bool verified, bool *pending, reg_status *st)
{
    *pending = false;
    if (verified || !u->chg_registrant || !*u->chg_registrant)
        return domain_update(op, u, st);
    struct domain d;
    if (domain_load_input(op, u->name, &d, NULL, 0, st))
        return st->code;
    int64_t id = d.id, old_registrant = 0, registrant = 0;
    domain_free(&d);
    if (registrant_of(op, id, &old_registrant, st) ||
        contact_ref(op, u->chg_registrant, &registrant, st))
        return st->code;
    if (registrant == old_registrant) /* R6: the same contact object is no change */
        return domain_update(op, u, st);
    if (u->chg_authinfo)
        return reg_fail(st, REG_ERR_POLICY,
                        "a change of registrant waits for the registrant's confirmation (R7): "
                        "change the auth info in a separate update, or add <regd:verified/>");
    if (db_savepoint(op->db, "registrant_change_trial"))
        return op_db_fail(op, st, REG_ERR_DB);
    reg_err e = domain_update(op, u, st);
    if (db_rollback_to(op->db, "registrant_change_trial") ||
        db_release(op->db, "registrant_change_trial"))
        return op_db_fail(op, st, REG_ERR_DB);
    if (e)
        return e;
    *pending = true;
    return pending_registrant_change(op, id, u, st);
}

/* ---- delete, restore, purge (RFC 3915) ---------------------------------------- */

/* Hosts under a purged domain go with it, and out of every delegation
 * that still names them (their glue would point into a free name). */
static reg_err purge_subordinates(const struct reg_op *op, int64_t domain_id, reg_status *st)
{
    static const char *const sql[] = {
        "DELETE FROM domain_host WHERE host_id = ?",
        "DELETE FROM host_address WHERE host_id = ?",
        "DELETE FROM object_status WHERE object_kind = 'host' AND object_id = ?",
        "DELETE FROM host WHERE id = ?",
    };
    for (;;) {
        db_stmt *s = db_query(op->db, "SELECT id, name FROM host WHERE superordinate_id = ? LIMIT 1");
        db_bind_int(s, 1, domain_id);
        int64_t hid = 0;
        char name[NAME_MAX_LEN + 1] = "";
        if (db_next(s)) {
            hid = db_col_int(s, 0);
            copy(name, sizeof name, db_col_text(s, 1));
        }
        reg_err e = db_done(s);
        if (e)
            return op_db_fail(op, st, e);
        if (!hid)
            return REG_OK;
        char snap[NAME_MAX_LEN + 32];
        snprintf(snap, sizeof snap, "{\"name\":\"%s\"}", name);
        if (history_record(op, "host", hid, name, "purge", snap, st))
            return st->code;
        for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
            s = db_query(op->db, sql[i]);
            db_bind_int(s, 1, hid);
            if ((e = db_run(s)))
                return op_db_fail(op, st, e);
        }
    }
}

static reg_err purge(const struct reg_op *op, int64_t id, const char *alabel, reg_status *st)
{
    if (!op->registrar_id && domain_notify_change(op, alabel, "autoPurge", NULL, st))
        return st->code;
    static const char *const sql[] = {
        "DELETE FROM domain_contact WHERE domain_id = ?",
        "DELETE FROM domain_host WHERE domain_id = ?",
        "DELETE FROM ds_record WHERE domain_id = ?",
        "DELETE FROM object_status WHERE object_kind = 'domain' AND object_id = ?",
        "DELETE FROM transfer WHERE object_kind = 'domain' AND object_id = ?",
        "DELETE FROM domain WHERE id = ?",
    };
    if (domain_transfer_cancel_pending(op, id, st) ||
        pending_cancel_for_domain(op, id, "the domain was deleted", st) ||
        domain_record_version(op, alabel, "purge", st) || purge_subordinates(op, id, st))
        return st->code;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        db_stmt *s = db_query(op->db, sql[i]);
        db_bind_int(s, 1, id);
        reg_err e = db_run(s);
        if (e)
            return op_db_fail(op, st, e);
    }
    return REG_OK;
}

static reg_err subordinates_in_use(const struct reg_op *op, const struct domain *d, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT h.name FROM host h WHERE h.superordinate_id = ? "
                                  "ORDER BY h.name LIMIT 1");
    db_bind_int(s, 1, d->id);
    char name[NAME_MAX_LEN + 1] = "";
    if (db_next(s))
        copy(name, sizeof name, db_col_text(s, 0));
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (name[0])
        return reg_fail(st, REG_ERR_ASSOCIATION,
                        "delete or rename the hosts under %s first (%s)", d->name.alabel, name);
    return REG_OK;
}

static reg_err check_delete_allowed(const struct reg_op *op, const struct domain *d,
                                   reg_status *st)
{
    if (!domain_is_sponsor(op, d))
        return reg_fail(st, REG_ERR_AUTHZ, "%s is sponsored by another registrar", d->name.alabel);
    if (status_allows(&d->statuses, OP_DELETE, st))
        return st->code;
    return subordinates_in_use(op, d, st);
}

reg_err domain_delete_request(const struct reg_op *op, const char *name, bool verified,
                              enum domain_delete_outcome *outcome, reg_status *st)
{
    if (verified) {
        bool rgp = false;
        reg_err e = domain_delete(op, name, &rgp, st);
        *outcome = rgp ? DOMAIN_DELETE_REDEMPTION : DOMAIN_DELETE_DONE;
        return e;
    }
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    reg_err e = check_delete_allowed(op, &d, st);
    int64_t id = d.id;
    domain_free(&d);
    if (e)
        return e;
    *outcome = DOMAIN_DELETE_AWAITING_REGISTRANT;
    return pending_delete(op, id, st); /* R7 */
}

reg_err domain_delete(const struct reg_op *op, const char *name, bool *pending, reg_status *st)
{
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    reg_err e = check_delete_allowed(op, &d, st);
    int64_t id = d.id;
    char alabel[NAME_MAX_LEN + 1];
    copy(alabel, sizeof alabel, d.name.alabel);
    domain_free(&d);
    if (e)
        return e;
    *pending = op->policy->redemption_period > 0;
    /* R10: the registrant hears of the request (before a purge takes the
     * domain and its registrant link away) */
    if (notice_delete_request(op, id, *pending ? op->now + op->policy->redemption_period : 0, st))
        return st->code;
    if (!*pending)
        return purge(op, id, alabel, st);
    db_stmt *s = db_query(op->db, "UPDATE domain SET delete_requested_at = ?, purge_at = ?, "
                                  "updated_at = ?, updater_id = ? WHERE id = ?");
    db_bind_int(s, 1, op->now);
    db_bind_int(s, 2, op->now + op->policy->redemption_period + op->policy->pending_delete_period);
    db_bind_int(s, 3, op->now);
    db_bind_int(s, 4, op->registrar_id);
    db_bind_int(s, 5, id);
    if ((e = db_run(s)) || (e = status_add(op->db, "domain", id, "pendingDelete", NULL)))
        return op_db_fail(op, st, e);
    return domain_record_version(op, alabel, "delete", st);
}

reg_err domain_restore(const struct reg_op *op, const char *name, reg_status *st)
{
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    reg_err e = REG_OK;
    if (!domain_is_sponsor(op, &d))
        e = reg_fail(st, REG_ERR_AUTHZ, "%s is sponsored by another registrar", d.name.alabel);
    else if (strcmp(d.rgp, "redemptionPeriod"))
        e = reg_fail(st, REG_ERR_NOT_RENEWABLE, "%s is not in its redemption period",
                     d.name.alabel);
    int64_t id = d.id;
    char alabel[NAME_MAX_LEN + 1];
    copy(alabel, sizeof alabel, d.name.alabel);
    domain_free(&d);
    if (e)
        return e;
    if (billing_charge(op, op->registrar_id, "restore", 1, "domain", alabel, NULL, st))
        return st->code;
    db_stmt *s = db_query(op->db, "UPDATE domain SET delete_requested_at = NULL, purge_at = NULL, "
                                  "updated_at = ?, updater_id = ? WHERE id = ?");
    db_bind_int(s, 1, op->now);
    db_bind_int(s, 2, op->registrar_id);
    db_bind_int(s, 3, id);
    if ((e = db_run(s)) || (e = status_remove(op->db, "domain", id, "pendingDelete")))
        return op_db_fail(op, st, e);
    return domain_record_version(op, alabel, "restore", st);
}

reg_err domain_purge_due(const struct reg_op *op, int *count, reg_status *st)
{
    *count = 0;
    for (;;) {
        db_stmt *s = db_query(op->db, "SELECT id, name FROM domain WHERE purge_at IS NOT NULL AND "
                                      "purge_at <= ? ORDER BY purge_at LIMIT 1");
        db_bind_int(s, 1, op->now);
        int64_t id = 0;
        char name[NAME_MAX_LEN + 1] = "";
        if (db_next(s)) {
            id = db_col_int(s, 0);
            copy(name, sizeof name, db_col_text(s, 1));
        }
        reg_err e = db_done(s);
        if (e)
            return op_db_fail(op, st, e);
        if (!id)
            return REG_OK;
        if (purge(op, id, name, st))
            return st->code;
        (*count)++;
    }
}

reg_err domain_purge(const struct reg_op *op, const char *alabel, reg_status *st)
{
    struct domain d;
    if (load(op, alabel, &d, NULL, 0, st))
        return st->code;
    int64_t id = d.id;
    domain_free(&d);
    return purge(op, id, alabel, st);
}

/* ---- renew ------------------------------------------------------------------- */

/* The serverHold the domain-hold job set for expiry (message "expired")
 * goes when the domain is renewed; any other serverHold stays. */
static reg_err lift_expiry_hold(const struct reg_op *op, int64_t id)
{
    db_stmt *s = db_query(op->db, "DELETE FROM object_status WHERE object_kind = 'domain' AND "
                                  "object_id = ? AND status = 'serverHold' AND message = 'expired'");
    db_bind_int(s, 1, id);
    return db_run(s);
}

reg_err domain_renew(const struct reg_op *op, const char *name, const char *cur_exp_date,
                     int period_months, reg_time *new_expiry, reg_status *st)
{
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    reg_err e = REG_OK;
    int months = 0;
    char date[16];
    clock_format_date(d.expires_at, date, sizeof date);
    if (!domain_is_sponsor(op, &d))
        e = reg_fail(st, REG_ERR_AUTHZ, "%s is sponsored by another registrar", d.name.alabel);
    else if (status_allows(&d.statuses, OP_RENEW, st))
        e = st->code;
    else if (!cur_exp_date || strcmp(cur_exp_date, date))
        e = reg_fail(st, REG_ERR_POLICY, "curExpDate %s is not the expiry date %s",
                     cur_exp_date ? cur_exp_date : "", date);
    else if (check_period(op, period_months, &months, st))
        e = st->code;
    reg_time expiry = e ? 0 : clock_add_months(d.expires_at, months);
    if (!e && expiry > clock_add_months(op->now, op->policy->max_period * 12))
        e = reg_fail(st, REG_ERR_POLICY, "the new expiry would be more than %d years ahead",
                     op->policy->max_period);
    int64_t id = d.id;
    reg_time old_expiry = d.expires_at;
    bool registrant_pays = !strcmp(d.management, "registrant"); /* R19 */
    char alabel[NAME_MAX_LEN + 1];
    copy(alabel, sizeof alabel, d.name.alabel);
    domain_free(&d);
    if (e)
        return e;
    /* R23 debits the sponsor; R19 invoices the registrant of a
     * registrant-managed domain instead. Either lock (the registrar row,
     * the invoice counter) is taken before the domain row is written. */
    if (registrant_pays ? registrant_invoice_renewal(op, id, "renew", months / 12, old_expiry,
                                                     expiry, NULL, st)
                        : billing_charge(op, op->registrar_id, "renew", months / 12, "domain",
                                         alabel, NULL, st))
        return st->code;
    db_stmt *s = db_query(op->db, "UPDATE domain SET expires_at = ?, updated_at = ?, updater_id = "
                                  "? WHERE id = ?");
    db_bind_int(s, 1, expiry);
    db_bind_int(s, 2, op->now);
    db_bind_int(s, 3, op->registrar_id);
    db_bind_int(s, 4, id);
    if ((e = db_run(s)))
        return op_db_fail(op, st, e);
    if (expiry > op->now && (e = lift_expiry_hold(op, id)))
        return op_db_fail(op, st, e);
    *new_expiry = expiry;
    return domain_record_version(op, alabel, "renew", st);
}
