/* Portal users and their roles, as staff administer them (R27; portal.h).
 * The login steps and sessions are in portal_login.c. */
#include "portal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/mailaddr.h"
#include "contrib/strutil.h"
#include "history.h"
#include "op.h"

static const char *const role_names[] = {"administrator", "nameserver_manager", "registrar",
                                         "payer", "proxy"};
#define NROLES (sizeof role_names / sizeof role_names[0])

reg_err portal_roles_parse(const char *text, unsigned *roles, reg_status *st)
{
    *roles = 0;
    for (const char *p = text ? text : ""; *p;) {
        p += strspn(p, " ,");
        size_t n = strcspn(p, " ,");
        if (!n)
            break;
        size_t i = 0;
        while (i < NROLES && (strlen(role_names[i]) != n || strncmp(p, role_names[i], n)))
            i++;
        if (i == NROLES)
            return reg_fail(st, REG_ERR_INVALID,
                            "\"%.*s\" is not a role: the roles are administrator, "
                            "nameserver_manager, registrar, payer and proxy",
                            (int)(n > 40 ? 40 : n), p);
        *roles |= 1u << i;
        p += n;
    }
    return REG_OK;
}

void portal_roles_format(unsigned roles, char out[PORTAL_ROLES_STRLEN])
{
    out[0] = '\0';
    for (size_t i = 0; i < NROLES; i++)
        if (roles & (1u << i)) {
            if (out[0])
                strcat(out, ",");
            strcat(out, role_names[i]);
        }
}

reg_err portal_login_normalize(const char *in, char out[PORTAL_LOGIN_MAX + 1], reg_status *st)
{
    size_t n = in ? strlen(in) : 0;
    if (n < 3 || n > PORTAL_LOGIN_MAX)
        return reg_fail(st, REG_ERR_INVALID, "a login name has 3 to %d characters",
                        PORTAL_LOGIN_MAX);
    if (!isalnum((unsigned char)in[0]) || !isascii((unsigned char)in[0]))
        return reg_fail(st, REG_ERR_INVALID, "a login name starts with a letter or a digit");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (!isascii(c) || !(isalnum(c) || strchr("._@-", c)))
            return reg_fail(st, REG_ERR_INVALID,
                            "a login name may hold only letters a-z, digits and . _ @ -");
        out[i] = (char)tolower(c);
    }
    out[n] = '\0';
    return REG_OK;
}

/* ---- reading ------------------------------------------------------------------------------ */

#define USER_COLUMNS                                                                            \
    "u.id, u.registrar_id, r.handle, u.login, u.email, u.roles, u.language, u.disabled, "      \
    "u.password_hash IS NOT NULL, u.totp_enrolled, u.locked_until, u.failures, u.created_at, " \
    "u.last_login_at"
#define USER_FROM " FROM portal_user u JOIN registrar r ON r.id = u.registrar_id"

static void fill_user(db_stmt *q, struct portal_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = db_col_int(q, 0);
    u->registrar_id = db_col_int(q, 1);
    str_copy(u->registrar, sizeof u->registrar, db_col_text(q, 2));
    str_copy(u->login, sizeof u->login, db_col_text(q, 3));
    str_copy(u->email, sizeof u->email, db_col_text(q, 4));
    /* stored by portal_roles_format: always parses */
    portal_roles_parse(db_col_text(q, 5), &u->roles, NULL);
    str_copy(u->language, sizeof u->language, db_col_text(q, 6));
    u->disabled = db_col_int(q, 7) != 0;
    u->has_password = db_col_int(q, 8) != 0;
    u->totp_enrolled = db_col_int(q, 9) != 0;
    u->locked_until = db_col_int(q, 10);
    u->failures = (int)db_col_int(q, 11);
    u->created_at = db_col_int(q, 12);
    u->last_login_at = db_col_is_null(q, 13) ? 0 : db_col_int(q, 13);
}

reg_err portal_user_get(db *d, const char *login, struct portal_user *out, reg_status *st)
{
    char norm[PORTAL_LOGIN_MAX + 1];
    reg_status ignored;
    memset(out, 0, sizeof *out);
    if (portal_login_normalize(login, norm, &ignored))
        return reg_fail(st, REG_ERR_NOT_FOUND, "there is no portal user \"%s\"",
                        login ? login : "");
    db_stmt *q = db_query(d, "SELECT " USER_COLUMNS USER_FROM " WHERE u.login = ?");
    db_bind_text(q, 1, norm);
    bool found = db_next(q);
    if (found)
        fill_user(q, out);
    reg_err e = db_done(q);
    if (e)
        return db_fail(d, st, e);
    return found ? REG_OK : reg_fail(st, REG_ERR_NOT_FOUND, "there is no portal user %s", norm);
}

reg_err portal_user_each(db *d, const char *registrar,
                         void (*fn)(const struct portal_user *u, void *arg), void *arg,
                         reg_status *st)
{
    char handle[REGISTRAR_HANDLE_MAX + 1] = "";
    if (registrar) {
        if (registrar_handle_normalize(registrar, handle, st))
            return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", registrar);
        if (!registrar_id_by_handle(d, handle))
            return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", handle);
    }
    db_stmt *q = db_query(d, "SELECT " USER_COLUMNS USER_FROM
                             " WHERE ? = '' OR r.handle = ? ORDER BY r.handle, u.login");
    db_bind_text(q, 1, handle);
    db_bind_text(q, 2, handle);
    while (db_next(q)) {
        struct portal_user u;
        fill_user(q, &u);
        fn(&u, arg);
    }
    reg_err e = db_done(q);
    return e ? db_fail(d, st, e) : REG_OK;
}

/* ---- changes ------------------------------------------------------------------------------- */

/* A history version of the user as it is now (R40): never a secret. */
static reg_err record(const struct reg_op *op, const char *login, const char *action,
                      reg_status *st)
{
    struct portal_user u;
    if (portal_user_get(op->db, login, &u, st))
        return st->code;
    char roles[PORTAL_ROLES_STRLEN];
    portal_roles_format(u.roles, roles);
    json_t *o = json_object();
    json_object_set_new(o, "registrar", json_string(u.registrar));
    json_object_set_new(o, "login", json_string(u.login));
    json_object_set_new(o, "email", json_string(u.email));
    json_object_set_new(o, "roles", json_string(roles));
    json_object_set_new(o, "disabled", json_boolean(u.disabled));
    json_object_set_new(o, "password_set", json_boolean(u.has_password));
    json_object_set_new(o, "totp_enrolled", json_boolean(u.totp_enrolled));
    reg_log(LOG_INFO, "registry", op->svtrid, "portal-user", "login=%s action=%s registrar=%s",
            u.login, action, u.registrar);
    return history_record_json(op, "portal_user", u.id, u.login, action, o, st);
}

static reg_err check_email(const char *email, reg_status *st)
{
    char addr[PORTAL_EMAIL_MAX + 1];
    if (!email || !*email)
        return reg_fail(st, REG_ERR_MISSING, "a portal user needs an e-mail address");
    if (strlen(email) > PORTAL_EMAIL_MAX || !mail_addr_spec(email, addr, sizeof addr) ||
        strcmp(addr, email))
        return reg_fail(st, REG_ERR_INVALID, "\"%s\" is not an e-mail address", email);
    return REG_OK;
}

reg_err portal_user_add(const struct reg_op *op, const struct portal_user_new *u,
                        reg_status *st)
{
    char login[PORTAL_LOGIN_MAX + 1], handle[REGISTRAR_HANDLE_MAX + 1],
        roles_text[PORTAL_ROLES_STRLEN], hash[SECRET_PWHASH_LEN];
    unsigned roles;
    if (portal_login_normalize(u->login, login, st) || check_email(u->email, st) ||
        portal_roles_parse(u->roles, &roles, st))
        return st->code;
    if (u->password && secret_web_password_check(u->password, st))
        return st->code;
    if (registrar_handle_normalize(u->registrar, handle, st))
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist",
                        u->registrar ? u->registrar : "");
    int64_t registrar_id = registrar_id_by_handle(op->db, handle);
    if (!registrar_id)
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", handle);
    db_stmt *q = db_query(op->db, "SELECT 1 FROM portal_user WHERE login = ?");
    db_bind_text(q, 1, login);
    bool taken = db_next(q);
    reg_err e = db_done(q);
    if (e)
        return db_fail(op->db, st, e);
    if (taken) /* across registrars: the login alone names the user */
        return reg_fail(st, REG_ERR_EXISTS, "the login name %s is taken", login);
    if (u->password && secret_password_hash(u->password, hash))
        return reg_fail(st, REG_ERR_NOMEM, "cannot hash the password");
    portal_roles_format(roles, roles_text);
    q = db_query(op->db, "INSERT INTO portal_user (registrar_id, login, email, roles, "
                         "password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(q, 1, registrar_id);
    db_bind_text(q, 2, login);
    db_bind_text(q, 3, u->email);
    db_bind_text(q, 4, roles_text);
    if (u->password)
        db_bind_text(q, 5, hash);
    else
        db_bind_null(q, 5);
    db_bind_int(q, 6, op->now);
    db_bind_int(q, 7, op->now);
    if ((e = db_run(q)) == REG_ERR_DB_CONSTRAINT)
        return reg_fail(st, REG_ERR_EXISTS, "the login name %s is taken", login);
    if (e)
        return db_fail(op->db, st, e);
    return record(op, login, "create", st);
}

/* Runs sql on user `id`: its parameters are text (if given), then num
 * (if has_num), then the time of the change, then the id. */
static reg_err update_user(const struct reg_op *op, int64_t id, const char *sql, const char *text,
                           bool has_num, int64_t num, reg_status *st)
{
    db_stmt *q = db_query(op->db, sql);
    int i = 1;
    if (text)
        db_bind_text(q, i++, text);
    if (has_num)
        db_bind_int(q, i++, num);
    db_bind_int(q, i++, op->now);
    db_bind_int(q, i, id);
    reg_err e = db_run(q);
    return e ? db_fail(op->db, st, e) : REG_OK;
}

/* Ends every session of user `id`. */
static reg_err end_sessions(const struct reg_op *op, int64_t id, reg_status *st)
{
    db_stmt *q = db_query(op->db, "DELETE FROM portal_session WHERE user_id = ?");
    db_bind_int(q, 1, id);
    reg_err e = db_run(q);
    return e ? db_fail(op->db, st, e) : REG_OK;
}

reg_err portal_user_set_disabled(const struct reg_op *op, const char *login, bool disabled,
                                 reg_status *st)
{
    struct portal_user u;
    if (portal_user_get(op->db, login, &u, st) ||
        update_user(op, u.id, "UPDATE portal_user SET disabled = ?, updated_at = ? WHERE id = ?",
                    NULL, true, disabled, st) ||
        (disabled && end_sessions(op, u.id, st)))
        return st->code;
    return record(op, u.login, disabled ? "disable" : "enable", st);
}

reg_err portal_user_set_roles(const struct reg_op *op, const char *login, const char *roles,
                              reg_status *st)
{
    unsigned bits;
    char text[PORTAL_ROLES_STRLEN];
    struct portal_user u;
    if (portal_roles_parse(roles, &bits, st) || portal_user_get(op->db, login, &u, st))
        return st->code;
    portal_roles_format(bits, text);
    if (update_user(op, u.id, "UPDATE portal_user SET roles = ?, updated_at = ? WHERE id = ?",
                    text, false, 0, st))
        return st->code;
    return record(op, u.login, "roles", st);
}

reg_err portal_user_reset(const struct reg_op *op, const char *login, const char *password,
                          bool totp, reg_status *st)
{
    char hash[SECRET_PWHASH_LEN];
    struct portal_user u;
    if (!password && !totp)
        return reg_fail(st, REG_ERR_MISSING,
                        "a reset sets a new password, forgets the TOTP key, or both");
    if ((password && secret_web_password_check(password, st)) ||
        portal_user_get(op->db, login, &u, st))
        return st->code;
    if (password && secret_password_hash(password, hash))
        return reg_fail(st, REG_ERR_NOMEM, "cannot hash the password");
    if (update_user(op, u.id,
                    "UPDATE portal_user SET failures = 0, locked_until = 0, updated_at = ? "
                    "WHERE id = ?",
                    NULL, false, 0, st) ||
        (password &&
         update_user(op, u.id, "UPDATE portal_user SET password_hash = ?, updated_at = ? "
                               "WHERE id = ?",
                     hash, false, 0, st)) ||
        (totp && update_user(op, u.id,
                             "UPDATE portal_user SET totp_secret = NULL, totp_enrolled = 0, "
                             "totp_last_step = 0, updated_at = ? WHERE id = ?",
                             NULL, false, 0, st)) ||
        end_sessions(op, u.id, st))
        return st->code;
    return record(op, u.login,
                  password && totp ? "reset" : password ? "reset-password" : "reset-totp", st);
}

reg_err portal_user_check_password(db *d, const char *login, const char *password,
                                   reg_status *st)
{
    struct portal_user u;
    if (portal_user_get(d, login, &u, st))
        return st->code;
    db_stmt *q = db_query(d, "SELECT password_hash FROM portal_user WHERE id = ?");
    db_bind_int(q, 1, u.id);
    char hash[SECRET_PWHASH_LEN] = "";
    if (db_next(q))
        str_copy(hash, sizeof hash, db_col_text(q, 0));
    reg_err e = db_done(q);
    if (e)
        return db_fail(d, st, e);
    if (!hash[0] || secret_password_verify(hash, password ? password : ""))
        return reg_fail(st, REG_ERR_AUTH, "the current password is not right");
    return REG_OK;
}

reg_err portal_user_change_password(const struct reg_op *op, const char *login,
                                    const char *current, const char *fresh, reg_status *st)
{
    struct portal_user u;
    char hash[SECRET_PWHASH_LEN];
    if (secret_web_password_check(fresh, st) ||
        portal_user_check_password(op->db, login, current, st) ||
        portal_user_get(op->db, login, &u, st))
        return st->code;
    if (secret_password_hash(fresh, hash))
        return reg_fail(st, REG_ERR_NOMEM, "cannot hash the password");
    if (update_user(op, u.id, "UPDATE portal_user SET password_hash = ?, updated_at = ? WHERE id = ?",
                    hash, false, 0, st))
        return st->code;
    return record(op, u.login, "password", st);
}
