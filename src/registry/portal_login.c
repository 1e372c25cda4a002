/* The portal's login steps and sessions (DESIGN §11; portal.h): password,
 * then a TOTP code (RFC 6238 with liboath), enrolment of the TOTP key at
 * the first login, lockout after repeated failures, the registrar's
 * address allow-list, server-side sessions of which the database keeps
 * only the token's SHA-256. */
#include "portal.h"

#include <ctype.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/strutil.h"
#include "op.h"

/* A session's last use is written at most this often (seconds): the idle
 * timeout is minutes, and a page view need not always write. */
#define TOUCH_EVERY 30

static reg_err begin(db *d, reg_status *st)
{
    reg_err e = db_begin(d);
    return e ? db_fail(d, st, e) : REG_OK;
}

static reg_err exec_id(db *d, const char *sql, int64_t a, int64_t b, int64_t c, int nparams,
                       reg_status *st)
{
    db_stmt *q = db_query(d, sql);
    int64_t v[3] = {a, b, c};
    for (int i = 0; i < nparams; i++)
        db_bind_int(q, i + 1, v[i]);
    reg_err e = db_run(q);
    return e ? db_fail(d, st, e) : REG_OK;
}

/* ---- TOTP ---------------------------------------------------------------------------------- */

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_status = -1;
static void oath_start(void) { oath_status = oath_init(); }

/* liboath compares through this, so the code is compared in constant time. */
static int code_differs(void *given, const char *expected)
{
    return !secret_equal(given, expected);
}

/* The time step `code` was made for, within a step either side of now;
 * 0 for a wrong code (steps count from 1970: never 0 now). */
static uint64_t totp_step_of(const char *secret_b32, const char *code, reg_time now)
{
    pthread_once(&oath_once, oath_start);
    if (oath_status != OATH_OK || strlen(code) != PORTAL_TOTP_DIGITS ||
        strspn(code, "0123456789") != PORTAL_TOTP_DIGITS)
        return 0;
    char *key = NULL;
    size_t keylen = 0;
    if (oath_base32_decode(secret_b32, strlen(secret_b32), &key, &keylen) != OATH_OK)
        return 0;
    int pos = 0;
    uint64_t step = 0;
    int rc = oath_totp_validate3_callback(key, keylen, (time_t)now, PORTAL_TOTP_STEP, 0,
                                          PORTAL_TOTP_DIGITS, 1, &pos, &step, code_differs,
                                          (void *)code);
    secret_wipe(key, keylen);
    free(key);
    return rc >= 0 ? step : 0;
}

/* A new key: 160 random bits in base32 (RFC 4648, no padding needed). */
static reg_err totp_new_secret(char out[PORTAL_TOTP_SECRET_LEN])
{
    unsigned char raw[20];
    char *b32 = NULL;
    size_t len = 0;
    reg_err e = secret_random(raw, sizeof raw);
    if (!e && oath_base32_encode((const char *)raw, sizeof raw, &b32, &len) != OATH_OK)
        e = REG_ERR_NOMEM;
    if (!e)
        str_copy(out, PORTAL_TOTP_SECRET_LEN, b32);
    secret_wipe(raw, sizeof raw);
    free(b32);
    return e;
}

/* RFC 3986 unreserved characters as they are, the rest percent-encoded. */
static void uri_part(char *out, size_t n, size_t *len, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p && *len + 4 < n; p++) {
        if (isalnum(*p) && isascii(*p))
            out[(*len)++] = (char)*p;
        else if (strchr("-._~", *p))
            out[(*len)++] = (char)*p;
        else
            *len += (size_t)snprintf(out + *len, n - *len, "%%%02X", *p);
    }
    out[*len] = '\0';
}

/* ---- the user behind a login step ------------------------------------------------------------ */

struct login_row {
    int64_t id, registrar_id;
    char registrar[REGISTRAR_HANDLE_MAX + 1];
    char login[PORTAL_LOGIN_MAX + 1];
    char hash[SECRET_PWHASH_LEN];
    char secret[PORTAL_TOTP_SECRET_LEN];
    bool disabled, registrar_disabled, enrolled;
    int64_t last_step;
    reg_time locked_until;
};

#define LOGIN_COLUMNS                                                                           \
    "u.id, u.registrar_id, r.handle, u.login, u.password_hash, u.totp_secret, u.disabled, "    \
    "r.disabled, u.totp_enrolled, u.totp_last_step, u.locked_until"

static void fill_login(db_stmt *q, struct login_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(q, 0);
    r->registrar_id = db_col_int(q, 1);
    str_copy(r->registrar, sizeof r->registrar, db_col_text(q, 2));
    str_copy(r->login, sizeof r->login, db_col_text(q, 3));
    if (!db_col_is_null(q, 4))
        str_copy(r->hash, sizeof r->hash, db_col_text(q, 4));
    if (!db_col_is_null(q, 5))
        str_copy(r->secret, sizeof r->secret, db_col_text(q, 5));
    r->disabled = db_col_int(q, 6) != 0;
    r->registrar_disabled = db_col_int(q, 7) != 0;
    r->enrolled = db_col_int(q, 8) != 0;
    r->last_step = db_col_int(q, 9);
    r->locked_until = db_col_int(q, 10);
}

static const char *const wrong_login = "wrong login name or password";

static reg_err locked(reg_time until, reg_status *st)
{
    char t[REG_TIME_STRLEN];
    clock_format(until, t, sizeof t);
    return reg_fail(st, REG_ERR_AUTH,
                    "too many failed attempts: this login is locked until %.10s %.5s UTC", t,
                    t + 11);
}

/* Disabled (user or registrar) or an address outside the allow-list. */
static reg_err refused(db *d, const struct login_row *r, const char *peer, reg_status *st)
{
    if (r->disabled || r->registrar_disabled)
        return reg_fail(st, REG_ERR_AUTH, "this login is disabled; ask your administrator");
    struct registrar reg;
    reg_status inner;
    reg_err e = registrar_get(d, r->registrar, &reg, &inner);
    if (e)
        return reg_fail(st, e, "%s", inner.reason);
    bool allowed = registrar_address_allowed(&reg, peer);
    registrar_free(&reg);
    if (!allowed)
        return reg_fail(st, REG_ERR_AUTH,
                        "logging in from this address is not allowed for your registrar");
    return REG_OK;
}

/* One more failure of user r in its own transaction; at the limit the
 * user is locked and its unfinished logins end. The refusal to return:
 * `why`, or the lockout when this failure caused one. */
static reg_err count_failure(const struct reg_op *op, const struct login_row *r, const char *why,
                             reg_status *st)
{
    const struct portal_policy *pp = &op->policy->portal;
    reg_err e = begin(op->db, st);
    int64_t failures = 0;
    if (!e)
        e = exec_id(op->db, "UPDATE portal_user SET failures = failures + 1 WHERE id = ?", r->id,
                    0, 0, 1, st);
    if (!e) {
        db_stmt *q = db_query(op->db, "SELECT failures FROM portal_user WHERE id = ?");
        db_bind_int(q, 1, r->id);
        failures = db_next(q) ? db_col_int(q, 0) : 0;
        if ((e = db_done(q)))
            e = op_db_fail(op, st, e);
    }
    bool lock = !e && failures >= pp->max_failures;
    if (lock)
        e = exec_id(op->db, "UPDATE portal_user SET failures = 0, locked_until = ? WHERE id = ?",
                    op->now + pp->lockout, r->id, 0, 2, st);
    if (lock && !e)
        e = exec_id(op->db, "DELETE FROM portal_session WHERE user_id = ? AND stage <> 'full'",
                    r->id, 0, 0, 1, st);
    if ((e = db_end_tx(op->db, e, st)))
        return e;
    if (lock) {
        reg_log(LOG_WARN, "portal", NULL, "portal-lockout", "login=%s registrar=%s until=%lld",
                r->login, r->registrar, (long long)(op->now + pp->lockout));
        return locked(op->now + pp->lockout, st);
    }
    reg_log(LOG_INFO, "portal", NULL, "portal-login-failed", "login=%s failures=%lld", r->login,
            (long long)failures);
    return reg_fail(st, REG_ERR_AUTH, "%s", why);
}

/* A session of user `id` at `stage`, its token into token. */
static reg_err new_session(const struct reg_op *op, int64_t id, const char *stage,
                           char token[SECRET_TOKEN_LEN], reg_status *st)
{
    char hash[SECRET_SHA256_HEX];
    if (secret_token(token))
        return reg_fail(st, REG_ERR_INTERNAL, "no randomness");
    secret_sha256_hex(token, strlen(token), hash);
    db_stmt *q = db_query(op->db, "INSERT INTO portal_session (token_hash, user_id, stage, "
                                  "created_at, last_seen) VALUES (?, ?, ?, ?, ?)");
    db_bind_text(q, 1, hash);
    db_bind_int(q, 2, id);
    db_bind_text(q, 3, stage);
    db_bind_int(q, 4, op->now);
    db_bind_int(q, 5, op->now);
    reg_err e = db_run(q);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* Removes the session whose token has this hash, in the caller's
 * transaction. */
static reg_err drop_session(const struct reg_op *op, const char *hash, reg_status *st)
{
    db_stmt *q = db_query(op->db, "DELETE FROM portal_session WHERE token_hash = ?");
    db_bind_text(q, 1, hash);
    reg_err e = db_run(q);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* The user is in: failures cleared, last login noted. */
static reg_err logged_in(const struct reg_op *op, int64_t id, reg_status *st)
{
    return exec_id(op->db, "UPDATE portal_user SET failures = 0, last_login_at = ? WHERE id = ?",
                   op->now, id, 0, 2, st);
}

reg_err portal_login_password(const struct reg_op *op, const char *login, const char *password,
                              const char *peer, char token[SECRET_TOKEN_LEN],
                              enum portal_stage *stage, reg_status *st)
{
    char norm[PORTAL_LOGIN_MAX + 1];
    reg_status ignored;
    struct login_row r = {0};
    bool found = false;
    token[0] = '\0';
    if (!portal_login_normalize(login, norm, &ignored)) {
        db_stmt *q = db_query(op->db, "SELECT " LOGIN_COLUMNS " FROM portal_user u JOIN "
                                      "registrar r ON r.id = u.registrar_id WHERE u.login = ?");
        db_bind_text(q, 1, norm);
        if ((found = db_next(q)))
            fill_login(q, &r);
        reg_err e = db_done(q);
        if (e)
            return op_db_fail(op, st, e);
    }
    if (found && r.locked_until > op->now)
        return locked(r.locked_until, st);
    /* the same work for an unknown login or one without a password */
    bool ok = secret_login_password_ok(found ? r.hash : NULL, password) && found;
    if (!found)
        return reg_fail(st, REG_ERR_AUTH, "%s", wrong_login);
    if (!ok)
        return count_failure(op, &r, wrong_login, st);
    if (refused(op->db, &r, peer, st))
        return st->code;
    const struct portal_policy *pp = &op->policy->portal;
    char secret[PORTAL_TOTP_SECRET_LEN];
    *stage = !pp->totp ? PORTAL_STAGE_FULL : r.enrolled ? PORTAL_STAGE_PASSWORD : PORTAL_STAGE_ENROL;
    reg_err e = begin(op->db, st);
    if (!e && *stage == PORTAL_STAGE_ENROL && !r.secret[0]) {
        /* made once and kept until enrolled, so a second try shows the
         * key the user may have scanned already */
        if (totp_new_secret(secret))
            e = reg_fail(st, REG_ERR_INTERNAL, "no randomness");
        db_stmt *q = e ? NULL : db_query(op->db, "UPDATE portal_user SET totp_secret = ? "
                                                 "WHERE id = ? AND totp_secret IS NULL");
        if (q) {
            db_bind_text(q, 1, secret);
            db_bind_int(q, 2, r.id);
            if ((e = db_run(q)))
                e = op_db_fail(op, st, e);
        }
        secret_wipe(secret, sizeof secret);
    }
    const char *names[] = {"password", "enrol", "full"};
    int64_t expired = 0;
    if (!e) /* the table holds live sessions only, give or take a login */
        e = portal_sessions_expire(op, &expired, st);
    if (!e)
        e = new_session(op, r.id, names[*stage], token, st);
    if (!e && *stage == PORTAL_STAGE_FULL)
        e = logged_in(op, r.id, st);
    if ((e = db_end_tx(op->db, e, st))) {
        token[0] = '\0';
        return e;
    }
    reg_log(LOG_INFO, "portal", NULL, "portal-password-ok", "login=%s registrar=%s next=%s",
            r.login, r.registrar, names[*stage]);
    return REG_OK;
}

/* The user of a login step's session (stage password or enrol, begun
 * within PORTAL_STEP_TTL); REG_ERR_AUTH otherwise. */
static reg_err step_user(const struct reg_op *op, const char *token, struct login_row *r,
                         bool *enrol, reg_status *st)
{
    char hash[SECRET_SHA256_HEX];
    secret_sha256_hex(token ? token : "", token ? strlen(token) : 0, hash);
    db_stmt *q = db_query(op->db, "SELECT " LOGIN_COLUMNS ", s.stage, s.created_at FROM "
                                  "portal_session s JOIN portal_user u ON u.id = s.user_id JOIN "
                                  "registrar r ON r.id = u.registrar_id WHERE s.token_hash = ?");
    db_bind_text(q, 1, hash);
    bool found = db_next(q), fresh = false;
    if (found) {
        fill_login(q, r);
        *enrol = !strcmp(db_col_text(q, 11), "enrol");
        fresh = strcmp(db_col_text(q, 11), "full") && db_col_int(q, 12) + PORTAL_STEP_TTL > op->now;
    }
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    if (!found || !fresh)
        return reg_fail(st, REG_ERR_AUTH, "the login took too long or has ended; log in again");
    if (r->locked_until > op->now)
        return locked(r->locked_until, st);
    if (*enrol && !r->secret[0])
        return reg_fail(st, REG_ERR_AUTH, "the login has ended; log in again");
    return REG_OK;
}

reg_err portal_login_code(const struct reg_op *op, const char *token, const char *code,
                          const char *peer, char new_token[SECRET_TOKEN_LEN], reg_status *st)
{
    struct login_row r;
    bool enrol = false;
    new_token[0] = '\0';
    if (step_user(op, token, &r, &enrol, st))
        return st->code;
    char digits[16] = "";
    size_t n = 0;
    for (const char *p = code ? code : ""; *p && n + 1 < sizeof digits; p++)
        if (*p != ' ') /* apps show "123 456" */
            digits[n++] = *p;
    digits[n] = '\0';
    uint64_t step = r.secret[0] ? totp_step_of(r.secret, digits, op->now) : 0;
    if (!step || (int64_t)step <= r.last_step) /* a code is taken once */
        return count_failure(op, &r, "wrong code", st);
    if (refused(op->db, &r, peer, st))
        return st->code;
    char hash[SECRET_SHA256_HEX];
    secret_sha256_hex(token, strlen(token), hash);
    reg_err e = begin(op->db, st);
    /* a new token for the logged-in session: one seen before the login is
     * worth nothing after it */
    if (!e)
        e = drop_session(op, hash, st);
    if (!e)
        e = exec_id(op->db, "UPDATE portal_user SET totp_enrolled = 1, totp_last_step = ? "
                            "WHERE id = ?",
                    (int64_t)step, r.id, 0, 2, st);
    if (!e)
        e = logged_in(op, r.id, st);
    if (!e)
        e = new_session(op, r.id, "full", new_token, st);
    if ((e = db_end_tx(op->db, e, st))) {
        new_token[0] = '\0';
        return e;
    }
    reg_log(LOG_INFO, "portal", NULL, enrol ? "portal-enrolled" : "portal-login",
            "login=%s registrar=%s", r.login, r.registrar);
    return REG_OK;
}

reg_err portal_enrol_key(const struct reg_op *op, const char *token,
                         char secret[PORTAL_TOTP_SECRET_LEN], char *uri, size_t urilen,
                         reg_status *st)
{
    struct login_row r;
    bool enrol = false;
    secret[0] = '\0';
    if (step_user(op, token, &r, &enrol, st))
        return st->code;
    if (!enrol)
        return reg_fail(st, REG_ERR_USE, "the TOTP key is enrolled already");
    str_copy(secret, PORTAL_TOTP_SECRET_LEN, r.secret);
    /* Key Uri Format (Google Authenticator): the label is issuer:login */
    char fallback[96];
    snprintf(fallback, sizeof fallback, ".%s registry",
             op->policy->names.tld ? op->policy->names.tld : "");
    const char *issuer = op->policy->portal.issuer ? op->policy->portal.issuer : fallback;
    size_t len = (size_t)snprintf(uri, urilen, "otpauth://totp/");
    uri_part(uri, urilen, &len, issuer);
    len += (size_t)snprintf(uri + len, urilen - len, ":");
    uri_part(uri, urilen, &len, r.login);
    len += (size_t)snprintf(uri + len, urilen - len, "?secret=%s&issuer=", r.secret);
    uri_part(uri, urilen, &len, issuer);
    snprintf(uri + len, urilen - len, "&algorithm=SHA1&digits=%d&period=%d", PORTAL_TOTP_DIGITS,
             PORTAL_TOTP_STEP);
    secret_wipe(r.secret, sizeof r.secret);
    return REG_OK;
}

/* ---- sessions ------------------------------------------------------------------------------- */

void portal_csrf_of(const char *token, char out[SECRET_SHA256_HEX])
{
    /* not derivable from what the database holds (the token's own hash) */
    secret_derive_hex("portal-csrf", token, out);
}

static reg_err delete_session(const struct reg_op *op, const char *hash, reg_status *st)
{
    reg_err e = begin(op->db, st);
    if (!e)
        e = drop_session(op, hash, st);
    return db_end_tx(op->db, e, st);
}

reg_err portal_session_get(const struct reg_op *op, const char *token, const char *peer,
                           struct portal_session *out, reg_status *st)
{
    const struct portal_policy *pp = &op->policy->portal;
    char hash[SECRET_SHA256_HEX];
    memset(out, 0, sizeof *out);
    if (!token || !*token)
        return reg_fail(st, REG_ERR_AUTH, "not logged in");
    secret_sha256_hex(token, strlen(token), hash);
    db_stmt *q = db_query(op->db,
                          "SELECT s.stage, s.created_at, s.last_seen, u.id, u.login, u.roles, "
                          "u.language, u.disabled, r.id, r.handle, r.name, r.disabled FROM "
                          "portal_session s JOIN portal_user u ON u.id = s.user_id JOIN "
                          "registrar r ON r.id = u.registrar_id WHERE s.token_hash = ?");
    db_bind_text(q, 1, hash);
    bool found = db_next(q), live = false, disabled = false;
    reg_time last_seen = 0;
    if (found) {
        const char *stage = db_col_text(q, 0);
        out->stage = !strcmp(stage, "full")    ? PORTAL_STAGE_FULL
                     : !strcmp(stage, "enrol") ? PORTAL_STAGE_ENROL
                                               : PORTAL_STAGE_PASSWORD;
        reg_time created = db_col_int(q, 1);
        last_seen = db_col_int(q, 2);
        live = out->stage == PORTAL_STAGE_FULL
                   ? op->now - last_seen < pp->idle_timeout && op->now - created < pp->lifetime
                   : op->now - created < PORTAL_STEP_TTL;
        out->user_id = db_col_int(q, 3);
        str_copy(out->login, sizeof out->login, db_col_text(q, 4));
        portal_roles_parse(db_col_text(q, 5), &out->roles, NULL);
        str_copy(out->language, sizeof out->language, db_col_text(q, 6));
        disabled = db_col_int(q, 7) || db_col_int(q, 11);
        out->registrar_id = db_col_int(q, 8);
        str_copy(out->registrar, sizeof out->registrar, db_col_text(q, 9));
        str_copy(out->registrar_name, sizeof out->registrar_name, db_col_text(q, 10));
    }
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_AUTH, "not logged in");
    const char *why = !live ? "the session has ended; log in again" : NULL;
    if (!why && disabled)
        why = "this login is disabled; ask your administrator";
    if (!why) {
        struct registrar reg;
        reg_status inner;
        if ((e = registrar_get(op->db, out->registrar, &reg, &inner)))
            return reg_fail(st, e, "%s", inner.reason);
        if (!registrar_address_allowed(&reg, peer))
            why = "logging in from this address is not allowed for your registrar";
        registrar_free(&reg);
    }
    if (why) {
        if (delete_session(op, hash, st))
            return st->code;
        return reg_fail(st, REG_ERR_AUTH, "%s", why);
    }
    if (op->now - last_seen >= TOUCH_EVERY) {
        e = begin(op->db, st);
        if (!e) {
            q = db_query(op->db, "UPDATE portal_session SET last_seen = ? WHERE token_hash = ?");
            db_bind_int(q, 1, op->now);
            db_bind_text(q, 2, hash);
            if ((e = db_run(q)))
                e = op_db_fail(op, st, e);
        }
        if ((e = db_end_tx(op->db, e, st)))
            return e;
    }
    portal_csrf_of(token, out->csrf);
    return REG_OK;
}

reg_err portal_logout(const struct reg_op *op, const char *token, reg_status *st)
{
    char hash[SECRET_SHA256_HEX];
    secret_sha256_hex(token ? token : "", token ? strlen(token) : 0, hash);
    return delete_session(op, hash, st);
}

reg_err portal_sessions_expire(const struct reg_op *op, int64_t *n, reg_status *st)
{
    const struct portal_policy *pp = &op->policy->portal;
    db_stmt *q = db_query(op->db, "DELETE FROM portal_session WHERE (stage = 'full' AND "
                                  "(last_seen <= ? OR created_at <= ?)) OR (stage <> 'full' AND "
                                  "created_at <= ?)");
    db_bind_int(q, 1, op->now - pp->idle_timeout);
    db_bind_int(q, 2, op->now - pp->lifetime);
    db_bind_int(q, 3, op->now - PORTAL_STEP_TTL);
    reg_err e = db_run(q);
    if (e)
        return op_db_fail(op, st, e);
    *n = db_changes(op->db);
    return REG_OK;
}
