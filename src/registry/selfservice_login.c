/* The self-service site's way in (selfservice.h): setup and reset links,
 * login by password or eID with the lockout, sessions. */
#include "selfservice.h"

#include <stdio.h>
#include <string.h>

#include "account.h"
#include "contrib/log.h"
#include "contrib/strutil.h"
#include "history.h"
#include "idcheck.h"
#include "linked.h"
#include "notices.h"

/* A session's last use is written at most this often (seconds). */
#define TOUCH_EVERY 30

/* "contact c fills an admin slot of some account" (R39) */
#define ADMIN_SQL                                                                              \
    "EXISTS (SELECT 1 FROM account a WHERE a.a1_id = c.id OR a.a2_id = c.id OR a.a3_id = c.id)"

static const char *const wrong_login = "wrong contact handle, e-mail address or password";

/* ---- links ------------------------------------------------------------------------------- */

reg_err selfservice_link_state(const struct reg_op *op, const char *token,
                               enum selfservice_link *state, char contact[CONTACT_ID_MAX + 1],
                               reg_status *st)
{
    char hash[SECRET_SHA256_HEX];
    secret_sha256_hex(token ? token : "", token ? strlen(token) : 0, hash);
    contact[0] = '\0';
    db_stmt *q = db_query(op->db, "SELECT c.handle, k.setup_expires_at, k.setup_used_at FROM "
                                  "contact_credential k JOIN contact c ON c.id = k.contact_id "
                                  "WHERE k.setup_token_hash = ?");
    db_bind_text(q, 1, hash);
    bool found = db_next(q);
    if (found) {
        str_copy(contact, CONTACT_ID_MAX + 1, db_col_text(q, 0));
        *state = !db_col_is_null(q, 2)              ? SELFSERVICE_LINK_USED
                 : op->now >= db_col_int(q, 1)      ? SELFSERVICE_LINK_EXPIRED
                                                    : SELFSERVICE_LINK_VALID;
    }
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    return found ? REG_OK : reg_fail(st, REG_ERR_NOT_FOUND, "this link is not known");
}

/* ---- who logs in ------------------------------------------------------------------------- */

struct login_row {
    int64_t id;
    char handle[CONTACT_ID_MAX + 1];
    char hash[SECRET_PWHASH_LEN];
    int64_t failures;
    reg_time locked_until;
};

/* The contact `login` names (a handle, or an e-mail address of exactly
 * one contact that may log in): *found 0 none, 1 it (in r), 2 several. */
static reg_err find_login(const struct reg_op *op, const char *login, struct login_row *r,
                          int *found, reg_status *st)
{
    memset(r, 0, sizeof *r);
    *found = 0;
    char handle[CONTACT_ID_MAX + 1];
    reg_status ignored;
    bool by_email = login && strchr(login, '@');
    if (!login || !*login || strlen(login) > SELFSERVICE_LOGIN_MAX ||
        (!by_email && names_contact_lookup(login, handle, &ignored)))
        return REG_OK;
    db_stmt *q = db_query(op->db, by_email
                                      ? "SELECT c.id, c.handle, k.password_hash, k.failures, "
                                        "k.locked_until FROM contact c LEFT JOIN "
                                        "contact_credential k ON k.contact_id = c.id WHERE "
                                        "lower(c.email) = lower(?) AND " ADMIN_SQL " LIMIT 2"
                                      : "SELECT c.id, c.handle, k.password_hash, k.failures, "
                                        "k.locked_until FROM contact c LEFT JOIN "
                                        "contact_credential k ON k.contact_id = c.id WHERE "
                                        "c.handle = ? AND " ADMIN_SQL);
    db_bind_text(q, 1, by_email ? login : handle);
    while (db_next(q)) {
        if (++*found > 1)
            continue;
        r->id = db_col_int(q, 0);
        str_copy(r->handle, sizeof r->handle, db_col_text(q, 1));
        if (!db_col_is_null(q, 2))
            str_copy(r->hash, sizeof r->hash, db_col_text(q, 2));
        r->failures = db_col_is_null(q, 3) ? 0 : db_col_int(q, 3);
        r->locked_until = db_col_is_null(q, 4) ? 0 : db_col_int(q, 4);
    }
    reg_err e = db_done(q);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err locked(reg_time until, reg_status *st)
{
    char t[REG_TIME_STRLEN];
    clock_format(until, t, sizeof t);
    return reg_fail(st, REG_ERR_AUTH,
                    "too many failed attempts: this login is locked until %.10s %.5s UTC; a "
                    "new password chosen through a reset link ends the lock",
                    t, t + 11);
}

static reg_err ambiguous(reg_status *st)
{
    return reg_fail(st, REG_ERR_AUTH,
                    "several contacts use this e-mail address: log in with your contact handle");
}

/* The row of contact_credential, made when the contact has none yet (an
 * eID login needs no password). */
static reg_err credential_row(const struct reg_op *op, int64_t id, reg_status *st)
{
    db_stmt *q = db_query(op->db, "INSERT INTO contact_credential (contact_id, issued_at) "
                                  "VALUES (?, ?) ON CONFLICT (contact_id) DO NOTHING");
    db_bind_int(q, 1, id);
    db_bind_int(q, 2, op->now);
    reg_err e = db_run(q);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* One more failure of r in its own transaction; at the limit the login is
 * locked. The refusal to return: `why`, or the lockout it caused. */
static reg_err count_failure(const struct reg_op *op, const struct login_row *r, const char *why,
                             reg_status *st)
{
    const struct selfservice_policy *pp = &op->policy->selfservice;
    reg_err e = db_begin(op->db);
    if (e)
        return op_db_fail(op, st, e);
    e = credential_row(op, r->id, st);
    bool lock = r->failures + 1 >= pp->max_failures;
    if (!e) {
        db_stmt *q = db_query(op->db, "UPDATE contact_credential SET failures = ?, locked_until "
                                      "= ? WHERE contact_id = ?");
        db_bind_int(q, 1, lock ? 0 : r->failures + 1);
        db_bind_int(q, 2, lock ? op->now + pp->lockout : 0);
        db_bind_int(q, 3, r->id);
        if ((e = db_run(q)))
            e = op_db_fail(op, st, e);
    }
    if ((e = db_end_tx(op->db, e, st)))
        return e;
    if (lock) {
        reg_log(LOG_WARN, "self-service", NULL, "selfservice-lockout", "contact=%s until=%lld",
                r->handle, (long long)(op->now + pp->lockout));
        return locked(op->now + pp->lockout, st);
    }
    reg_log(LOG_INFO, "self-service", NULL, "selfservice-login-failed", "contact=%s failures=%lld",
            r->handle, (long long)(r->failures + 1));
    return reg_fail(st, REG_ERR_AUTH, "%s", why);
}

/* R31: a handle linked to a registrar (the registrar portal manages its
 * domains and name servers) may not log in to self-service; the refusal
 * names the registrar. Checked before every new session, after the
 * password or eID proved who is asking, so nobody else learns of the link. */
static reg_err refuse_linked(const struct reg_op *op, const struct login_row *r, reg_status *st)
{
    struct contact_link_info li;
    reg_err e = contact_link_info(op->db, r->handle, &li, st);
    if (e == REG_ERR_NOT_FOUND) /* deleted meanwhile: no session for it either */
        return reg_fail(st, REG_ERR_AUTH, "this handle no longer exists");
    if (e)
        return e;
    if (!li.linked)
        return REG_OK;
    reg_log(LOG_INFO, "self-service", NULL, "selfservice-linked-refused",
            "contact=%s registrar=%s", r->handle, li.registrar);
    return reg_fail(st, REG_ERR_AUTH,
                    "handle %s is managed by its registrar %s (%s) in the registrar portal, not "
                    "here; ask them about its domains and name servers",
                    r->handle, li.registrar_name[0] ? li.registrar_name : li.registrar,
                    li.registrar);
}

/* The contact is in: a new session in its own transaction, the failure
 * count cleared, the login noted. */
static reg_err new_session(const struct reg_op *op, const struct login_row *r, const char *method,
                           char token[SECRET_TOKEN_LEN], reg_status *st)
{
    if (refuse_linked(op, r, st))
        return st->code;
    char hash[SECRET_SHA256_HEX];
    if (secret_token(token))
        return reg_fail(st, REG_ERR_INTERNAL, "no randomness");
    secret_sha256_hex(token, strlen(token), hash);
    const struct selfservice_policy *pp = &op->policy->selfservice;
    reg_err e = db_begin(op->db);
    if (e)
        return op_db_fail(op, st, e);
    /* the table holds live sessions only, give or take a login */
    db_stmt *q = db_query(op->db, "DELETE FROM selfservice_session WHERE last_seen <= ? OR "
                                  "created_at <= ?");
    db_bind_int(q, 1, op->now - pp->idle_timeout);
    db_bind_int(q, 2, op->now - pp->lifetime);
    if ((e = db_run(q)))
        e = op_db_fail(op, st, e);
    if (!e) {
        q = db_query(op->db, "INSERT INTO selfservice_session (token_hash, contact_id, method, "
                             "created_at, last_seen) VALUES (?, ?, ?, ?, ?)");
        db_bind_text(q, 1, hash);
        db_bind_int(q, 2, r->id);
        db_bind_text(q, 3, method);
        db_bind_int(q, 4, op->now);
        db_bind_int(q, 5, op->now);
        if ((e = db_run(q)))
            e = op_db_fail(op, st, e);
    }
    if (!e)
        e = credential_row(op, r->id, st);
    if (!e) {
        q = db_query(op->db, "UPDATE contact_credential SET failures = 0, last_login_at = ? "
                             "WHERE contact_id = ?");
        db_bind_int(q, 1, op->now);
        db_bind_int(q, 2, r->id);
        if ((e = db_run(q)))
            e = op_db_fail(op, st, e);
    }
    if ((e = db_end_tx(op->db, e, st))) {
        token[0] = '\0';
        return e;
    }
    reg_log(LOG_INFO, "self-service", NULL, "selfservice-login", "contact=%s method=%s",
            r->handle, method);
    return REG_OK;
}

reg_err selfservice_login_password(const struct reg_op *op, const char *login,
                                   const char *password, char token[SECRET_TOKEN_LEN],
                                   reg_status *st)
{
    struct login_row r;
    int found;
    token[0] = '\0';
    if (find_login(op, login, &r, &found, st))
        return st->code;
    if (found > 1)
        return ambiguous(st);
    if (found && r.locked_until > op->now)
        return locked(r.locked_until, st);
    /* the same work for an unknown login or one without a password */
    bool ok = secret_login_password_ok(found ? r.hash : NULL, password) && found;
    if (!found)
        return reg_fail(st, REG_ERR_AUTH, "%s", wrong_login);
    if (!ok)
        return count_failure(op, &r, wrong_login, st);
    return new_session(op, &r, "password", token, st);
}

bool selfservice_eid_available(const struct reg_op *op)
{
    return idcheck_provider_find(op->policy->selfservice.eid_provider) != NULL;
}

reg_err selfservice_login_eid(const struct reg_op *op, const char *login, const char *evidence,
                              char token[SECRET_TOKEN_LEN], reg_status *st)
{
    token[0] = '\0';
    const struct idcheck_provider *p = idcheck_provider_find(op->policy->selfservice.eid_provider);
    if (!p)
        return reg_fail(st, REG_ERR_CONFIG, "logging in with an eID is not offered here");
    struct login_row r;
    int found;
    if (find_login(op, login, &r, &found, st))
        return st->code;
    if (found > 1)
        return ambiguous(st);
    if (!found)
        return reg_fail(st, REG_ERR_AUTH, "no contact with this handle or e-mail address may "
                                          "log in here");
    if (r.locked_until > op->now)
        return locked(r.locked_until, st);
    char kind[16] = "", name[256] = "", itype[16] = "", ivalue[128] = "", icc[8] = "",
         email[256] = "";
    db_stmt *q = db_query(op->db, "SELECT c.kind, (SELECT p.name FROM contact_postal p WHERE "
                                  "p.contact_id = c.id ORDER BY p.type DESC LIMIT 1), "
                                  "c.ident_type, c.ident_value, c.ident_cc, c.email FROM contact "
                                  "c WHERE c.id = ?");
    db_bind_int(q, 1, r.id);
    if (db_next(q)) {
        str_copy(kind, sizeof kind, db_col_text(q, 0));
        str_copy(name, sizeof name, db_col_text(q, 1));
        str_copy(itype, sizeof itype, db_col_text(q, 2));
        str_copy(ivalue, sizeof ivalue, db_col_text(q, 3));
        str_copy(icc, sizeof icc, db_col_text(q, 4));
        str_copy(email, sizeof email, db_col_text(q, 5));
    }
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    const struct idcheck_subject who = {
        .handle = r.handle, .kind = kind[0] ? kind : NULL, .name = name,
        .ident_type = itype[0] ? itype : NULL, .ident_value = ivalue[0] ? ivalue : NULL,
        .ident_cc = icc[0] ? icc : NULL, .email = email};
    char reason[IDCHECK_REASON_MAX] = "";
    idcheck_outcome out = p->verify(&who, evidence ? evidence : "", reason);
    if (out == IDCHECK_ERROR)
        return reg_fail(st, REG_ERR_IO, "the eID login could not be checked: %s", reason);
    if (out == IDCHECK_FAILED)
        return count_failure(op, &r, "the identity of the eID login is not this contact's", st);
    return new_session(op, &r, "eid", token, st);
}

/* ---- reset ------------------------------------------------------------------------------- */

reg_err selfservice_reset_request(const struct reg_op *op, const char *login, reg_status *st)
{
    struct login_row r;
    int found;
    if (find_login(op, login, &r, &found, st))
        return st->code;
    if (found != 1) {
        reg_log(LOG_INFO, "self-service", NULL, "selfservice-reset-unknown", "matches=%d", found);
        return REG_OK;
    }
    char token[SECRET_TOKEN_LEN], link[512];
    reg_time expires;
    reg_err e = account_credentials_link(op, r.id, op->policy->selfservice.reset_ttl, token,
                                         &expires, st);
    if (e)
        return e;
    const char *base = op->policy->base_url ? op->policy->base_url : "";
    snprintf(link, sizeof link, "%s/self-service/setup/%s", base, token);
    secret_wipe(token, sizeof token);
    e = notice_selfservice_reset(op, r.id, link, expires, st);
    secret_wipe(link, sizeof link);
    if (e)
        return e;
    char snap[64];
    snprintf(snap, sizeof snap, "{\"reset_expires_at\":%lld}", (long long)expires);
    return history_record(op, "contact", r.id, r.handle, "credentials-reset-sent", snap, st);
}

/* ---- sessions ---------------------------------------------------------------------------- */

static reg_err drop_session(const struct reg_op *op, const char *hash, reg_status *st)
{
    reg_err e = db_begin(op->db);
    if (e)
        return op_db_fail(op, st, e);
    db_stmt *q = db_query(op->db, "DELETE FROM selfservice_session WHERE token_hash = ?");
    db_bind_text(q, 1, hash);
    if ((e = db_run(q)))
        e = op_db_fail(op, st, e);
    return db_end_tx(op->db, e, st);
}

reg_err selfservice_session_get(const struct reg_op *op, const char *token,
                                struct selfservice_session *out, reg_status *st)
{
    const struct selfservice_policy *pp = &op->policy->selfservice;
    char hash[SECRET_SHA256_HEX];
    memset(out, 0, sizeof *out);
    if (!token || !*token)
        return reg_fail(st, REG_ERR_AUTH, "not logged in");
    secret_sha256_hex(token, strlen(token), hash);
    db_stmt *q = db_query(op->db, "SELECT s.created_at, s.last_seen, s.method, c.id, c.handle, "
                                  "(SELECT p.name FROM contact_postal p WHERE p.contact_id = "
                                  "c.id ORDER BY p.type DESC LIMIT 1), c.email, c.lang, " ADMIN_SQL
                                  " FROM selfservice_session s JOIN contact c ON c.id = "
                                  "s.contact_id WHERE s.token_hash = ?");
    db_bind_text(q, 1, hash);
    bool found = db_next(q), live = false, admin = false;
    reg_time last_seen = 0;
    if (found) {
        reg_time created = db_col_int(q, 0);
        last_seen = db_col_int(q, 1);
        live = op->now - last_seen < pp->idle_timeout && op->now - created < pp->lifetime;
        str_copy(out->method, sizeof out->method, db_col_text(q, 2));
        out->contact_id = db_col_int(q, 3);
        str_copy(out->handle, sizeof out->handle, db_col_text(q, 4));
        str_copy(out->name, sizeof out->name, db_col_text(q, 5));
        str_copy(out->email, sizeof out->email, db_col_text(q, 6));
        str_copy(out->lang, sizeof out->lang, db_col_text(q, 7));
        admin = db_col_int(q, 8) != 0;
    }
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_AUTH, "not logged in");
    if (!live || !admin) {
        if (drop_session(op, hash, st))
            return st->code;
        return reg_fail(st, REG_ERR_AUTH, !live ? "the session has ended; log in again"
                                                : "this contact no longer has self-service "
                                                  "access");
    }
    if (op->now - last_seen >= TOUCH_EVERY) {
        if ((e = db_begin(op->db)))
            return op_db_fail(op, st, e);
        q = db_query(op->db, "UPDATE selfservice_session SET last_seen = ? WHERE token_hash = ?");
        db_bind_int(q, 1, op->now);
        db_bind_text(q, 2, hash);
        if ((e = db_run(q)))
            e = op_db_fail(op, st, e);
        if ((e = db_end_tx(op->db, e, st)))
            return e;
    }
    secret_derive_hex("selfservice-csrf", token, out->csrf);
    return REG_OK;
}

reg_err selfservice_logout(const struct reg_op *op, const char *token, reg_status *st)
{
    char hash[SECRET_SHA256_HEX];
    secret_sha256_hex(token ? token : "", token ? strlen(token) : 0, hash);
    return drop_session(op, hash, st);
}
