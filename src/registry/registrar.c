#include "registrar.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/mailaddr.h"
#include "contrib/netaddr.h"
#include "contrib/precis.h"
#include "contrib/secret.h"
#include "contrib/strbuf.h"
#include "history.h"
#include "op.h"

reg_err registrar_handle_normalize(const char *in, char out[REGISTRAR_HANDLE_MAX + 1],
                                   reg_status *st)
{
    size_t n = in ? strlen(in) : 0;
    if (n < 3 || n > REGISTRAR_HANDLE_MAX)
        return reg_fail(st, REG_ERR_INVALID, "registrar handle \"%s\" must be 3 to %d characters",
                        in ? in : "", REGISTRAR_HANDLE_MAX);
    if (!isalpha((unsigned char)in[0]))
        return reg_fail(st, REG_ERR_INVALID, "registrar handle \"%s\" must start with a letter", in);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (!(isascii(c) && (isalnum(c) || c == '-')))
            return reg_fail(st, REG_ERR_INVALID,
                            "registrar handle \"%s\" may hold only letters, digits and '-'", in);
        out[i] = (char)toupper(c);
    }
    out[n] = '\0';
    return REG_OK;
}

reg_err registrar_password_check(const char *pw, reg_status *st)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < 6 || n > 16)
        return reg_fail(st, REG_ERR_INVALID,
                        "password must be 6 to 16 characters (the EPP limit of RFC 5730)");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)pw[i] <= ' ' || (unsigned char)pw[i] >= 0x7f)
            return reg_fail(st, REG_ERR_INVALID,
                            "password may hold only printable ASCII characters without spaces");
    return REG_OK;
}

reg_err registrar_fingerprint_normalize(const char *in, char out[65], reg_status *st)
{
    size_t o = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ':')
            continue;
        if (!isxdigit((unsigned char)*p) || o == 64)
            return reg_fail(st, REG_ERR_INVALID,
                            "certificate fingerprint \"%s\" must be a SHA-256 as 64 hex digits "
                            "(colons allowed)", in);
        out[o++] = (char)tolower((unsigned char)*p);
    }
    if (o != 64)
        return reg_fail(st, REG_ERR_INVALID,
                        "certificate fingerprint \"%s\" must be 64 hex digits, got %zu", in, o);
    out[o] = '\0';
    return REG_OK;
}

reg_err registrar_generate_password(char out[17])
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    unsigned char raw[16];
    reg_err e = secret_random(raw, sizeof raw);
    for (int i = 0; i < 16; i++)
        out[i] = alphabet[raw[i] % (sizeof alphabet - 1)];
    out[16] = '\0';
    return e;
}

static reg_err insert_list(db *d, int64_t id, const char *sql, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        db_stmt *s = db_query(d, sql);
        db_bind_int(s, 1, id);
        db_bind_text(s, 2, items[i]);
        reg_err e = db_run(s);
        if (e)
            return e;
    }
    return REG_OK;
}

static reg_err validate_new(const struct registrar_new *r, char handle[REGISTRAR_HANDLE_MAX + 1],
                            char certs[][65], char prefixes[][NETADDR_STRLEN], reg_status *st)
{
    if (registrar_handle_normalize(r->handle, handle, st))
        return st->code;
    if (!r->name || !*r->name)
        return reg_fail(st, REG_ERR_MISSING, "a registrar needs a name (--name)");
    if (precis_text_check("the registrar's name", r->name, st))
        return st->code;
    if (registrar_password_check(r->password, st))
        return st->code;
    if (r->email) { /* checked as text first: the reason below repeats it */
        char addr[256];
        if (precis_text_check("the registrar's email", r->email, st))
            return st->code;
        if (!mail_addr_spec(r->email, addr, sizeof addr))
            return reg_fail(st, REG_ERR_INVALID, "email \"%s\" is not an address", r->email);
    }
    if (r->default_management && strcmp(r->default_management, "registrar") &&
        strcmp(r->default_management, "registrant"))
        return reg_fail(st, REG_ERR_INVALID, "management is registrar or registrant, not \"%s\"",
                        r->default_management);
    if (r->ncerts > REGISTRAR_LIST_MAX || r->nprefixes > REGISTRAR_LIST_MAX)
        return reg_fail(st, REG_ERR_LIMIT, "at most %d certificates and %d addresses",
                        REGISTRAR_LIST_MAX, REGISTRAR_LIST_MAX);
    for (size_t i = 0; i < r->ncerts; i++)
        if (registrar_fingerprint_normalize(r->certs[i], certs[i], st))
            return st->code;
    for (size_t i = 0; i < r->nprefixes; i++)
        if (netaddr_prefix_normalize(r->prefixes[i], prefixes[i], NETADDR_STRLEN))
            return reg_fail(st, REG_ERR_INVALID,
                            "\"%s\" is not an IP address or prefix like 192.0.2.0/24",
                            r->prefixes[i]);
    return REG_OK;
}

/* A new registrar checked and its password hashed (slow: done before any
 * transaction where the caller can). */
struct prepared {
    char handle[REGISTRAR_HANDLE_MAX + 1], hash[SECRET_PWHASH_LEN];
    char certs[REGISTRAR_LIST_MAX][65], prefixes[REGISTRAR_LIST_MAX][NETADDR_STRLEN];
};

static reg_err prepare(const struct registrar_new *r, struct prepared *p, reg_status *st)
{
    if (validate_new(r, p->handle, p->certs, p->prefixes, st))
        return st->code;
    if (secret_password_hash(r->password, p->hash))
        return reg_fail(st, REG_ERR_NOMEM, "cannot hash the password");
    return REG_OK;
}

static reg_err insert_prepared(db *d, const struct registrar_new *r, const struct prepared *p,
                               int64_t *id, reg_status *st)
{
    *id = 0;
    db_stmt *s = db_query(d, "SELECT 1 FROM registrar WHERE handle = ?");
    db_bind_text(s, 1, p->handle);
    bool exists = db_next(s);
    reg_err e = db_done(s);
    if (!e && exists)
        return reg_fail(st, REG_ERR_EXISTS, "registrar %s already exists", p->handle);
    reg_time now = clock_now();
    if (!e) {
        s = db_query(d, "INSERT INTO registrar (handle, name, email, password_hash, created_at, "
                        "updated_at, default_management) VALUES (?, ?, ?, ?, ?, ?, ?) "
                        "RETURNING id");
        db_bind_text(s, 1, p->handle);
        db_bind_text(s, 2, r->name);
        db_bind_text(s, 3, r->email);
        db_bind_text(s, 4, p->hash);
        db_bind_int(s, 5, now);
        db_bind_int(s, 6, now);
        db_bind_text(s, 7, r->default_management ? r->default_management : "registrar");
        if (db_next(s))
            *id = db_col_int(s, 0);
        e = db_done(s);
    }
    const char *cert_ptrs[REGISTRAR_LIST_MAX], *prefix_ptrs[REGISTRAR_LIST_MAX];
    for (size_t i = 0; i < r->ncerts; i++)
        cert_ptrs[i] = p->certs[i];
    for (size_t i = 0; i < r->nprefixes; i++)
        prefix_ptrs[i] = p->prefixes[i];
    if (!e)
        e = insert_list(d, *id,
                        "INSERT INTO registrar_cert (registrar_id, fingerprint) VALUES (?, ?) "
                        "ON CONFLICT DO NOTHING",
                        cert_ptrs, r->ncerts);
    if (!e)
        e = insert_list(d, *id,
                        "INSERT INTO registrar_ip (registrar_id, prefix) VALUES (?, ?) "
                        "ON CONFLICT DO NOTHING",
                        prefix_ptrs, r->nprefixes);
    if (e == REG_ERR_DB_CONSTRAINT) /* a concurrent add of the same handle won */
        return reg_fail(st, REG_ERR_EXISTS, "registrar %s already exists", p->handle);
    if (e)
        return db_fail(d, st, e);
    reg_log(LOG_INFO, "registry", NULL, "registrar-add", "handle=%s", p->handle);
    return REG_OK;
}

reg_err registrar_add(db *d, const struct registrar_new *r, reg_status *st)
{
    struct prepared p;
    if (prepare(r, &p, st))
        return st->code;
    reg_err e = db_begin(d);
    if (e)
        return db_fail(d, st, e);
    int64_t id;
    return db_end_tx(d, insert_prepared(d, r, &p, &id, st), st);
}

reg_err registrar_insert(db *d, const struct registrar_new *r, int64_t *id, reg_status *st)
{
    struct prepared p;
    *id = 0;
    if (prepare(r, &p, st))
        return st->code;
    return insert_prepared(d, r, &p, id, st);
}

static reg_err load_list(db *d, const char *sql, int64_t id, char **items, size_t *n)
{
    db_stmt *s = db_query(d, sql);
    db_bind_int(s, 1, id);
    *n = 0;
    while (db_next(s) && *n < REGISTRAR_LIST_MAX)
        items[(*n)++] = strdup(db_col_text(s, 0));
    return db_done(s);
}

static void fill_row(db_stmt *s, struct registrar *r)
{
    r->id = db_col_int(s, 0);
    snprintf(r->handle, sizeof r->handle, "%s", db_col_text(s, 1));
    r->name = strdup(db_col_text(s, 2));
    r->email = db_col_is_null(s, 3) ? NULL : strdup(db_col_text(s, 3));
    r->disabled = db_col_int(s, 4) != 0;
    snprintf(r->default_management, sizeof r->default_management, "%s", db_col_text(s, 5));
    r->created_at = db_col_int(s, 6);
    r->updated_at = db_col_int(s, 7);
    r->url = db_col_is_null(s, 8) ? NULL : strdup(db_col_text(s, 8));
    r->phone = db_col_is_null(s, 9) ? NULL : strdup(db_col_text(s, 9));
}

#define REGISTRAR_COLUMNS \
    "id, handle, name, email, disabled, default_management, created_at, updated_at, url, phone"

/* Reads one registrar (and its lists) inside the caller's transaction,
 * or outside any; also returns its password hash when hash != NULL. */
static reg_err load(db *d, const char *handle, struct registrar *out, char *hash, size_t hashlen,
                    reg_status *st)
{
    char norm[REGISTRAR_HANDLE_MAX + 1];
    if (registrar_handle_normalize(handle, norm, st))
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", handle ? handle : "");
    memset(out, 0, sizeof *out);
    db_stmt *s = db_query(d, "SELECT " REGISTRAR_COLUMNS ", password_hash FROM registrar "
                             "WHERE handle = ?");
    db_bind_text(s, 1, norm);
    bool found = db_next(s);
    if (found) {
        fill_row(s, out);
        if (hash)
            snprintf(hash, hashlen, "%s", db_col_text(s, 10));
    }
    reg_err e = db_done(s);
    if (e)
        return db_fail(d, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", norm);
    e = load_list(d, "SELECT fingerprint FROM registrar_cert WHERE registrar_id = ? ORDER BY 1",
                  out->id, out->certs, &out->ncerts);
    if (!e)
        e = load_list(d, "SELECT prefix FROM registrar_ip WHERE registrar_id = ? ORDER BY 1",
                      out->id, out->prefixes, &out->nprefixes);
    if (e) {
        registrar_free(out);
        return db_fail(d, st, e);
    }
    return REG_OK;
}

reg_err registrar_get(db *d, const char *handle, struct registrar *out, reg_status *st)
{
    return load(d, handle, out, NULL, 0, st);
}

int64_t registrar_id_by_handle(db *d, const char *handle)
{
    db_stmt *s = db_query(d, "SELECT id FROM registrar WHERE handle = ?");
    db_bind_text(s, 1, handle);
    int64_t id = db_next(s) ? db_col_int(s, 0) : 0;
    return db_done(s) ? 0 : id;
}

reg_err registrar_handle_of(db *d, int64_t id, char out[REGISTRAR_HANDLE_MAX + 1], reg_status *st)
{
    out[0] = '\0';
    db_stmt *s = db_query(d, "SELECT handle FROM registrar WHERE id = ?");
    db_bind_int(s, 1, id);
    if (db_next(s))
        snprintf(out, REGISTRAR_HANDLE_MAX + 1, "%s", db_col_text(s, 0));
    reg_err e = db_done(s);
    if (e)
        return reg_fail(st, e, "database: %s", db_errmsg(d));
    if (!out[0])
        return id ? reg_fail(st, REG_ERR_INVALID, "this needs a registrar (registrar id %lld unknown)",
                             (long long)id)
                  : reg_fail(st, REG_ERR_INVALID, "this is done by a registrar, not by staff");
    return REG_OK;
}

void registrar_free(struct registrar *r)
{
    free(r->name);
    free(r->email);
    free(r->url);
    free(r->phone);
    for (size_t i = 0; i < r->ncerts; i++)
        free(r->certs[i]);
    for (size_t i = 0; i < r->nprefixes; i++)
        free(r->prefixes[i]);
    memset(r, 0, sizeof *r);
}

static reg_err update_one(db *d, const char *handle, const char *sql, const char *text, int64_t num,
                          reg_status *st)
{
    char norm[REGISTRAR_HANDLE_MAX + 1];
    if (registrar_handle_normalize(handle, norm, st))
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", handle);
    reg_err e = db_begin(d);
    if (e)
        return db_fail(d, st, e);
    db_stmt *s = db_query(d, sql);
    if (text)
        db_bind_text(s, 1, text);
    else
        db_bind_int(s, 1, num);
    db_bind_int(s, 2, clock_now());
    db_bind_text(s, 3, norm);
    e = db_run(s);
    if (e)
        return db_end_tx(d, db_fail(d, st, e), st);
    if (db_changes(d) == 0)
        return db_end_tx(d, reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", norm),
                         st);
    return db_end_tx(d, REG_OK, st);
}

reg_err registrar_set_password(db *d, const char *handle, const char *password, reg_status *st)
{
    char hash[SECRET_PWHASH_LEN];
    if (registrar_password_check(password, st))
        return st->code;
    if (secret_password_hash(password, hash))
        return reg_fail(st, REG_ERR_NOMEM, "cannot hash the password");
    return update_one(d, handle,
                      "UPDATE registrar SET password_hash = ?, updated_at = ? WHERE handle = ?",
                      hash, 0, st);
}

reg_err registrar_store_password_hash(db *d, int64_t id, const char *hash, reg_status *st)
{
    db_stmt *s = db_query(d, "UPDATE registrar SET password_hash = ?, updated_at = ? WHERE id = ?");
    db_bind_text(s, 1, hash);
    db_bind_int(s, 2, clock_now());
    db_bind_int(s, 3, id);
    reg_err e = db_run(s);
    return e ? db_fail(d, st, e) : REG_OK;
}

reg_err registrar_set_disabled(db *d, const char *handle, bool disabled, reg_status *st)
{
    return update_one(d, handle, "UPDATE registrar SET disabled = ?, updated_at = ? WHERE handle = ?",
                      NULL, disabled, st);
}

reg_err registrar_each(db *d, void (*fn)(const struct registrar *r, void *arg), void *arg,
                       reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT " REGISTRAR_COLUMNS " FROM registrar ORDER BY handle");
    while (db_next(s)) {
        struct registrar r = {0};
        fill_row(s, &r);
        fn(&r, arg);
        registrar_free(&r);
    }
    reg_err e = db_done(s);
    return e ? db_fail(d, st, e) : REG_OK;
}

static bool cert_pinned(const struct registrar *r, const char *fp)
{
    if (r->ncerts == 0)
        return true;
    for (size_t i = 0; fp && i < r->ncerts; i++)
        if (secret_equal(r->certs[i], fp))
            return true;
    return false;
}

bool registrar_address_allowed(const struct registrar *r, const char *ip)
{
    if (r->nprefixes == 0)
        return true;
    for (size_t i = 0; ip && i < r->nprefixes; i++)
        if (netaddr_prefix_contains(r->prefixes[i], ip))
            return true;
    return false;
}

reg_err registrar_authenticate(db *d, const char *handle, const char *password,
                               const char *cert_fp, const char *peer_ip, struct registrar *out,
                               reg_status *st)
{
    char hash[SECRET_PWHASH_LEN] = "";
    reg_status inner;
    reg_err e = load(d, handle, out, hash, sizeof hash, &inner);
    if (e == REG_ERR_NOT_FOUND) {
        /* same work as a real check, so timing does not reveal handles */
        secret_password_verify("$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
                               "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                               password ? password : "");
        return reg_fail(st, REG_ERR_AUTH, "invalid client id or password");
    }
    if (e)
        return reg_fail(st, e, "%s", inner.reason);
    const char *why = NULL;
    if (secret_password_verify(hash, password))
        why = "invalid client id or password";
    else if (out->disabled)
        why = "registrar account is disabled";
    else if (!cert_pinned(out, cert_fp))
        why = "client certificate is not one pinned for this registrar";
    else if (!registrar_address_allowed(out, peer_ip))
        why = "source address is not allowed for this registrar";
    if (why) {
        registrar_free(out);
        return reg_fail(st, REG_ERR_AUTH, "%s", why);
    }
    return REG_OK;
}

/* ---- deletion ------------------------------------------------------------------------ */

/* What ties a registrar to the registry's records. Each row counts the
 * rows that name registrar ? (every ? is its id). */
struct tie {
    const char *one, *many, *sql;
};

/* What it holds: it must give these up before it can go. */
static const struct tie holdings[] = {
    {"domain", "domains", "SELECT COUNT(*) FROM domain WHERE sponsor_id = ?"},
    {"contact", "contacts", "SELECT COUNT(*) FROM contact WHERE sponsor_id = ?"},
    {"host", "hosts", "SELECT COUNT(*) FROM host WHERE sponsor_id = ?"},
    {"registrant account", "registrant accounts",
     "SELECT COUNT(*) FROM account WHERE sponsor_id = ?"},
};

/* Records kept for good that need the registrar's row (they name it by
 * id only): while any exists it stays, disabled. */
static const struct tie records[] = {
    {"ledger entry", "ledger entries", "SELECT COUNT(*) FROM ledger WHERE registrar_id = ?"},
    {"invoice", "invoices", "SELECT COUNT(*) FROM invoice WHERE registrar_id = ?"},
    {"registrant invoice", "registrant invoices",
     "SELECT COUNT(*) FROM registrant_invoice WHERE sponsor_id = ?"},
    {"transfer", "transfers",
     "SELECT COUNT(*) FROM transfer WHERE gaining_id = ? OR losing_id = ?"},
    {"registrant confirmation", "registrant confirmations",
     "SELECT COUNT(*) FROM pending_action WHERE registrar_id = ?"},
    {"auth-code request", "auth-code requests",
     "SELECT COUNT(*) FROM authinfo_request WHERE registrar_id = ?"},
    {"manual-route record", "manual-route records",
     "SELECT COUNT(*) FROM otp_manual WHERE registrar_id = ?"},
    /* objects it created or last changed that another registrar now
     * sponsors: their crID / upID (and a domain's terms) name it */
    {"other registrar's domain", "other registrars' domains",
     "SELECT COUNT(*) FROM domain WHERE (creator_id = ? OR updater_id = ? OR "
     "terms_registrar_id = ?) AND sponsor_id <> ?"},
    {"other registrar's contact", "other registrars' contacts",
     "SELECT COUNT(*) FROM contact WHERE (creator_id = ? OR updater_id = ?) AND sponsor_id <> ?"},
    {"other registrar's host", "other registrars' hosts",
     "SELECT COUNT(*) FROM host WHERE (creator_id = ? OR updater_id = ?) AND sponsor_id <> ?"},
    {"other registrar's registrant account", "other registrars' registrant accounts",
     "SELECT COUNT(*) FROM account WHERE (creator_id = ? OR updater_id = ?) AND sponsor_id <> ?"},
};

static reg_err count_tie(db *d, const struct tie *t, int64_t id, int64_t *n, reg_status *st)
{
    db_stmt *s = db_query(d, t->sql);
    int marks = 0;
    for (const char *p = t->sql; *p; p++)
        if (*p == '?')
            db_bind_int(s, ++marks, id);
    *n = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? db_fail(d, st, e) : REG_OK;
}

/* "2 domains and 1 host" from the non-zero counts of ties[]; false when
 * all are zero. */
static reg_err list_ties(db *d, const struct tie *ties, size_t n, int64_t id, strbuf *out,
                         bool *any, reg_status *st)
{
    int64_t count[16];
    size_t last = n, shown = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        if (count_tie(d, &ties[i], id, &count[i], st))
            return st->code;
        if (count[i]) {
            last = i;
            total++;
        }
    }
    *any = total > 0;
    for (size_t i = 0; i < n; i++) {
        if (!count[i])
            continue;
        if (shown++)
            sb_puts(out, i == last ? " and " : ", ");
        sb_printf(out, "%lld %s", (long long)count[i], count[i] == 1 ? ties[i].one : ties[i].many);
    }
    return REG_OK;
}

/* The registrar as its last history version keeps it (no password hash). */
static json_t *registrar_snapshot(const struct registrar *r)
{
    json_t *o = json_object(), *certs = json_array(), *ips = json_array();
    for (size_t i = 0; i < r->ncerts; i++)
        json_array_append_new(certs, json_string(r->certs[i]));
    for (size_t i = 0; i < r->nprefixes; i++)
        json_array_append_new(ips, json_string(r->prefixes[i]));
    json_object_set_new(o, "handle", json_string(r->handle));
    json_object_set_new(o, "name", json_string(r->name));
    json_object_set_new(o, "email", r->email ? json_string(r->email) : json_null());
    json_object_set_new(o, "url", r->url ? json_string(r->url) : json_null());
    json_object_set_new(o, "phone", r->phone ? json_string(r->phone) : json_null());
    json_object_set_new(o, "disabled", json_boolean(r->disabled));
    json_object_set_new(o, "default_management", json_string(r->default_management));
    json_object_set_new(o, "cert_fingerprints", certs);
    json_object_set_new(o, "allow_ips", ips);
    json_object_set_new(o, "created_at", json_integer(r->created_at));
    json_object_set_new(o, "updated_at", json_integer(r->updated_at));
    json_object_set_new(o, "deleted", json_true());
    return o;
}

/* Runs sql (one ? for the id) and adds the rows it changed to *n. */
static reg_err change_rows(db *d, const char *sql, int64_t id, int64_t *n, reg_status *st)
{
    db_stmt *s = db_query(d, sql);
    db_bind_int(s, 1, id);
    reg_err e = db_run(s);
    if (e)
        return db_fail(d, st, e);
    *n = db_changes(d);
    return REG_OK;
}

/* The refusal naming what still ties registrar r, if anything does. */
static reg_err deletable(db *d, const struct registrar *r, reg_status *st)
{
    strbuf held, kept;
    sb_init(&held);
    sb_init(&kept);
    bool holds = false, named = false;
    reg_err e = list_ties(d, holdings, sizeof holdings / sizeof holdings[0], r->id, &held, &holds,
                          st);
    if (!e)
        e = list_ties(d, records, sizeof records / sizeof records[0], r->id, &kept, &named, st);
    if (!e && (held.err || kept.err))
        e = reg_fail(st, REG_ERR_NOMEM, "out of memory");
    else if (!e && holds && named)
        e = reg_fail(st, REG_ERR_ASSOCIATION,
                     "registrar %s still sponsors %s (transfer or delete them first) and is named "
                     "in %s, records kept for good: disable it instead",
                     r->handle, sb_str(&held), sb_str(&kept));
    else if (!e && holds)
        e = reg_fail(st, REG_ERR_ASSOCIATION,
                     "registrar %s still sponsors %s: transfer or delete them first", r->handle,
                     sb_str(&held));
    else if (!e && named)
        e = reg_fail(st, REG_ERR_ASSOCIATION,
                     "registrar %s is named in %s, records kept for good: disable it instead",
                     r->handle, sb_str(&kept));
    sb_free(&held);
    sb_free(&kept);
    return e;
}

reg_err registrar_delete(const struct reg_op *op, const char *handle,
                         struct registrar_deletion *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    struct registrar r;
    if (load(op->db, handle, &r, NULL, 0, st))
        return st->code;
    /* the row locked: a session of it cannot add an object meanwhile */
    db_stmt *s = db_query(op->db, "SELECT id FROM registrar WHERE id = ? {{for_update}}");
    db_bind_int(s, 1, r.id);
    db_next(s);
    reg_err e = db_done(s);
    if (e)
        e = db_fail(op->db, st, e);
    else
        e = deletable(op->db, &r, st);
    /* rows of no use without it go; the EPP log and history keep its
     * handle as text (clid, actor) */
    int64_t gone = 0;
    const struct {
        const char *sql;
        int64_t *n;
    } steps[] = {
        {"DELETE FROM poll_message WHERE registrar_id = ?", &out->poll_messages},
        {"DELETE FROM price WHERE registrar_id = ?", &out->prices},
        {"DELETE FROM rebate WHERE registrar_id = ?", &out->rebates},
        {"DELETE FROM otp WHERE registrar_id = ?", &out->one_time_passwords},
        {"DELETE FROM registrar_cert WHERE registrar_id = ?", &out->certificates},
        {"DELETE FROM registrar_ip WHERE registrar_id = ?", &out->addresses},
        /* their sessions go with them (ON DELETE CASCADE) */
        {"DELETE FROM portal_user WHERE registrar_id = ?", &out->portal_users},
        /* other registrars' contacts it managed in its portal (R28) */
        {"UPDATE contact SET linked_registrar_id = NULL WHERE linked_registrar_id = ?",
         &out->links},
        {"UPDATE epp_log SET registrar_id = NULL WHERE registrar_id = ?", &out->log_entries},
        {"UPDATE history SET registrar_id = NULL WHERE registrar_id = ?", &out->versions},
        {"DELETE FROM registrar WHERE id = ?", &gone},
    };
    for (size_t i = 0; !e && i < sizeof steps / sizeof steps[0]; i++)
        e = change_rows(op->db, steps[i].sql, r.id, steps[i].n, st);
    if (!e)
        e = history_record_json(op, "registrar", r.id, r.handle, "delete", registrar_snapshot(&r),
                                st);
    if (!e)
        reg_log(LOG_INFO, "registry", NULL, "registrar-delete", "handle=%s", r.handle);
    registrar_free(&r);
    return e;
}
