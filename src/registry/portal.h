/* The registrar portal's users, login and sessions (DESIGN §4, §11, R27;
 * issue 16). Users belong to a registrar and have roles; they log in with
 * a login name (unique across registrars), a password (argon2id) and a
 * TOTP code (RFC 6238, liboath), enrolling their TOTP key at the first
 * login; [portal] max_failures wrong passwords or codes lock the user for
 * [portal] lockout; the registrar's address allow-list applies. Sessions
 * are rows of their own: the browser holds a random token, the database
 * only its SHA-256. Transport-free: src/web/portal.c shows it, regctl
 * portal-user administers it.
 *
 * Staff functions run in the caller's transaction and record a history
 * version of kind "portal_user" (never a secret). The login steps run
 * their own transactions (the password hash is checked outside any). */
#ifndef REG_PORTAL_H
#define REG_PORTAL_H

#include <stdbool.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/secret.h"
#include "contrib/status.h"
#include "op.h"
#include "registrar.h"
#include "store/db.h"

/* Roles (R27, DESIGN §4), as bits. */
enum {
    PORTAL_ADMINISTRATOR = 1u << 0,     /* the only role that reaches Administration */
    PORTAL_NAMESERVER_MANAGER = 1u << 1, /* changes a domain's name servers (R32) */
    PORTAL_REGISTRAR = 1u << 2,          /* domains, contacts, hosts */
    PORTAL_PAYER = 1u << 3,              /* balance, statements, invoices */
    PORTAL_PROXY = 1u << 4,
};
#define PORTAL_ROLES_ALL 0x1fu
#define PORTAL_ROLES_STRLEN 96
#define PORTAL_LOGIN_MAX 64
#define PORTAL_EMAIL_MAX 254

/* "administrator,payer" (any order, spaces allowed around names) → bits;
 * REG_ERR_INVALID naming an unknown role. An empty list is allowed. */
reg_err portal_roles_parse(const char *text, unsigned *roles, reg_status *st);
/* The bits as the canonical list ("" for none). */
void portal_roles_format(unsigned roles, char out[PORTAL_ROLES_STRLEN]);

/* Login names: 3 to 64 of a-z, 0-9 and . _ @ -, starting with a letter or
 * digit; input is lowercased. */
reg_err portal_login_normalize(const char *in, char out[PORTAL_LOGIN_MAX + 1], reg_status *st);

struct portal_user {
    int64_t id, registrar_id;
    char registrar[REGISTRAR_HANDLE_MAX + 1];
    char login[PORTAL_LOGIN_MAX + 1];
    char email[PORTAL_EMAIL_MAX + 1];
    unsigned roles;
    char language[8];
    bool disabled, has_password, totp_enrolled;
    reg_time locked_until; /* 0: not locked */
    int failures;
    reg_time created_at, last_login_at;
};

struct portal_user_new {
    const char *registrar; /* handle */
    const char *login;
    const char *email;
    const char *roles;     /* "registrar,payer" */
    const char *password;  /* NULL: none yet (set by a reset) */
};

/* Staff add a user. REG_ERR_EXISTS when the login is taken (by any
 * registrar), REG_ERR_NOT_FOUND for an unknown registrar, REG_ERR_INVALID
 * or REG_ERR_POLICY for a bad field. The password is hashed here (slow). */
reg_err portal_user_add(const struct reg_op *op, const struct portal_user_new *u,
                        reg_status *st);
reg_err portal_user_get(db *d, const char *login, struct portal_user *out, reg_status *st);
/* Every user of the registrar (a handle; NULL: of all), by registrar and
 * login. */
reg_err portal_user_each(db *d, const char *registrar,
                         void (*fn)(const struct portal_user *u, void *arg), void *arg,
                         reg_status *st);
/* Disable (sessions end at once) or enable. */
reg_err portal_user_set_disabled(const struct reg_op *op, const char *login, bool disabled,
                                 reg_status *st);
/* Replace the roles; they apply from the user's next request (R32). */
reg_err portal_user_set_roles(const struct reg_op *op, const char *login, const char *roles,
                              reg_status *st);
/* Reset: a new password (NULL keeps it), and/or the TOTP key forgotten so
 * the user enrols again at the next login. Either way the lockout and the
 * failure count are cleared and the user's sessions end. */
reg_err portal_user_reset(const struct reg_op *op, const char *login, const char *password,
                          bool totp, reg_status *st);
/* The user's own change of password (My profile): the current password
 * must be right (REG_ERR_AUTH otherwise, counted as a failure is not: the
 * user is logged in), the new one follows secret_web_password_check.
 * Sessions stay; history gets "password". */
reg_err portal_user_change_password(const struct reg_op *op, const char *login,
                                    const char *current, const char *fresh, reg_status *st);
/* Is password the user's current one? REG_ERR_AUTH otherwise (a step
 * such as a new TOTP key asks for it again). */
reg_err portal_user_check_password(db *d, const char *login, const char *password,
                                   reg_status *st);

/* ---- login and sessions ------------------------------------------------------------------ */

enum portal_stage { PORTAL_STAGE_PASSWORD, PORTAL_STAGE_ENROL, PORTAL_STAGE_FULL };

/* A code is a TOTP of 6 digits over 30 s steps (RFC 6238 defaults, what
 * authenticator apps use); one step either side is accepted. */
#define PORTAL_TOTP_DIGITS 6
#define PORTAL_TOTP_STEP 30
/* 160 random bits (RFC 4226 §4) are 32 base32 characters. */
#define PORTAL_TOTP_SECRET_LEN 33
/* From the password to the code, at most this long (seconds). */
#define PORTAL_STEP_TTL 300

/* Step 1: login name and password from address peer. On success a new
 * session at *stage (FULL when TOTP is off; ENROL when the user has no
 * TOTP key yet; PASSWORD when a code is next), its token in token.
 * REG_ERR_AUTH with a reason for the user: wrong login or password
 * (counted), locked, disabled, address not allowed. */
reg_err portal_login_password(const struct reg_op *op, const char *login, const char *password,
                              const char *peer, char token[SECRET_TOKEN_LEN],
                              enum portal_stage *stage, reg_status *st);
/* Step 2: the code for a session at PASSWORD or ENROL (which enrols the
 * key). On success the session is FULL under a new token (the old one
 * ends). A wrong code is counted like a wrong password. */
reg_err portal_login_code(const struct reg_op *op, const char *token, const char *code,
                          const char *peer, char new_token[SECRET_TOKEN_LEN], reg_status *st);
/* For a session at ENROL: the user's TOTP key (base32) and its otpauth://
 * URI (Key Uri Format: issuer, login, secret, SHA1, 6 digits, 30 s). */
reg_err portal_enrol_key(const struct reg_op *op, const char *token,
                         char secret[PORTAL_TOTP_SECRET_LEN], char *uri, size_t urilen,
                         reg_status *st);

/* A session as a page sees it. */
struct portal_session {
    enum portal_stage stage;
    int64_t user_id, registrar_id;
    char login[PORTAL_LOGIN_MAX + 1];
    char registrar[REGISTRAR_HANDLE_MAX + 1];
    char registrar_name[128];
    unsigned roles; /* as they are now (R32) */
    char language[8];
    char csrf[SECRET_SHA256_HEX]; /* the forms' token, derived from the session's */
};
/* The session of this token, if it is live: not idle past the timeout or
 * older than the lifetime (a login step: PORTAL_STEP_TTL), its user and
 * registrar enabled, peer allowed. REG_ERR_AUTH otherwise (an ended
 * session is removed). Its last use is recorded. */
reg_err portal_session_get(const struct reg_op *op, const char *token, const char *peer,
                           struct portal_session *out, reg_status *st);
/* Ends the session of this token (no error when there is none). */
reg_err portal_logout(const struct reg_op *op, const char *token, reg_status *st);
/* The forms' token of a session token (what portal_session.csrf holds). */
void portal_csrf_of(const char *token, char out[SECRET_SHA256_HEX]);
/* Removes sessions past their time (a job may call it). *n: how many. */
reg_err portal_sessions_expire(const struct reg_op *op, int64_t *n, reg_status *st);

/* ---- the dashboard ----------------------------------------------------------------------- */

#define PORTAL_STATUS_MAX 24

struct portal_dashboard {
    int64_t domains;
    struct {
        char status[32];
        int64_t count;
    } by_status[PORTAL_STATUS_MAX]; /* "ok" for none stored, then by name */
    size_t nstatus;
    int64_t expiring;     /* within 30 days of now */
    int64_t balance, credit_limit;
    int64_t poll_messages; /* queued, not yet acknowledged */
    /* domains this registrar registered in each of the last
     * PORTAL_CHART_MONTHS calendar months (UTC), the oldest first; month
     * "YYYY-MM". Deleted domains are not counted. */
    struct {
        char month[8];
        int64_t count;
    } registrations[12];
};
#define PORTAL_CHART_MONTHS 12
#define PORTAL_EXPIRING_DAYS 30
reg_err portal_dashboard_get(const struct reg_op *op, int64_t registrar_id,
                             struct portal_dashboard *out, reg_status *st);

#endif
