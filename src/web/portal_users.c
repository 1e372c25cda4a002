/* Administration: the registrar's portal users. */
#include <stdio.h>
#include <string.h>

#include "contrib/clock.h"
#include "html.h"
#include "portal_internal.h"

struct user_rows {
    struct portal_ctx *c;
    strbuf *sb;
};

#define USERS PORTAL_PREFIX "/admin/users"

/* A user's actions: roles, disable or enable, reset the key. */
static void user_actions(strbuf *sb, const struct portal_ctx *c, const struct portal_user *u)
{
    char action[320], prefix[PORTAL_LOGIN_MAX + 8];
    snprintf(prefix, sizeof prefix, "%s-", u->login);
    h_open(sb, "form", "method", "post", "class", "mb-2 roles-form", "action",
           portal_url(c, USERS "/roles", action, sizeof action), NULL);
    portal_csrf_field(sb, c->s.csrf);
    h_void(sb, "input", "type", "hidden", "name", "login", "value", u->login, NULL);
    /* one's own Administrator stays (as on My profile) */
    portal_role_boxes(sb, c, u->roles, strcmp(u->login, c->s.login) ? 0 : PORTAL_ADMINISTRATOR,
                      prefix);
    h_elem(sb, "button", portal_t(c, T_SAVE), "type", "submit", "class",
           "btn btn-outline-primary btn-sm", NULL);
    h_close(sb, "form");
    if (u->disabled)
        portal_button_form(sb, c, USERS "/enable", "login", u->login, portal_t(c, T_ENABLE),
                           "btn btn-outline-secondary btn-sm me-2", "enable");
    else if (strcmp(u->login, c->s.login))
        portal_button_form(sb, c, USERS "/disable", "login", u->login, portal_t(c, T_DISABLE),
                           "btn btn-outline-danger btn-sm me-2", "disable");
    portal_button_form(sb, c, USERS "/totp", "login", u->login, portal_t(c, T_RESET_TOTP),
                       "btn btn-outline-secondary btn-sm", "reset-totp");
}

static void user_row(const struct portal_user *u, void *arg)
{
    struct user_rows *r = arg;
    const struct portal_ctx *c = r->c;
    char roles[256], last[REG_TIME_STRLEN];
    portal_role_names(c, u->roles, roles, sizeof roles);
    enum portal_text_id state = u->disabled                     ? T_STATE_DISABLED
                                : u->locked_until > c->op.now   ? T_STATE_LOCKED
                                : !u->totp_enrolled             ? T_STATE_ENROL
                                                                : T_STATE_ACTIVE;
    h_open(r->sb, "tr", NULL);
    h_elem(r->sb, "td", u->login, NULL);
    h_elem(r->sb, "td", u->email, NULL);
    h_elem(r->sb, "td", roles, NULL);
    h_elem(r->sb, "td", portal_t(c, state), NULL);
    if (u->last_login_at) {
        clock_format(u->last_login_at, last, sizeof last);
        h_open(r->sb, "td", NULL);
        h_elem(r->sb, "time", last, "datetime", last, NULL);
        h_close(r->sb, "td");
    } else {
        h_elem(r->sb, "td", portal_t(c, T_NEVER), NULL);
    }
    h_open(r->sb, "td", NULL);
    user_actions(r->sb, c, u);
    h_close(r->sb, "td");
    h_close(r->sb, "tr");
}

/* The form that adds a user to this registrar. */
static void add_form(strbuf *sb, struct portal_ctx *c)
{
    char action[320];
    h_elem(sb, "h2", portal_t(c, T_ADD_USER), "class", "h5 mt-5", NULL);
    h_open(sb, "form", "method", "post", "id", "add-user", "class", "col-md-8 col-lg-6", "action",
           portal_url(c, USERS "/add", action, sizeof action), NULL);
    portal_csrf_field(sb, c->s.csrf);
    portal_field(sb, "login", portal_t(c, T_LOGIN_NAME), "text", "username", false);
    portal_field(sb, "email", portal_t(c, T_EMAIL), "email", "off", false);
    portal_field(sb, "password", portal_t(c, T_FIRST_PASSWORD), "password", "new-password", false);
    h_open(sb, "div", "class", "mb-3", NULL);
    portal_role_boxes(sb, c, PORTAL_REGISTRAR, 0, "new-");
    h_close(sb, "div");
    h_elem(sb, "button", portal_t(c, T_ADD_USER), "type", "submit", "class", "btn btn-primary",
           NULL);
    h_close(sb, "form");
}

/* Administration: the registrar's portal users (R27: administrators only). */
void portal_admin_users(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_ADMINISTRATOR))
        return;
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_USERS));
    portal_admin_tabs(&sb, c, USERS);
    h_open(&sb, "div", "class", "table-responsive", NULL);
    h_open(&sb, "table", "class", "table table-striped", "id", "users", NULL);
    h_open(&sb, "thead", NULL);
    h_open(&sb, "tr", NULL);
    const enum portal_text_id cols[] = {T_LOGIN_COL, T_EMAIL, T_ROLES, T_STATE, T_LAST_LOGIN,
                                        T_ACTIONS};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        h_elem(&sb, "th", portal_t(c, cols[i]), "scope", "col", NULL);
    h_close(&sb, "tr");
    h_close(&sb, "thead");
    h_open(&sb, "tbody", NULL);
    struct user_rows rows = {c, &sb};
    reg_status st = {0};
    if (portal_user_each(c->w->db, c->s.registrar, user_row, &rows, &st)) {
        sb_free(&sb);
        portal_unavailable(c, "portal-users-failed", &st);
        return;
    }
    h_close(&sb, "tbody");
    h_close(&sb, "table");
    h_close(&sb, "div");
    add_form(&sb, c);
    portal_page_end(c, &sb, 200);
}

/* ---- changes (administrators, users of their own registrar only) ---------------------------- */

struct user_arg {
    const struct portal_ctx *c;
    char login[PORTAL_LOGIN_MAX + 2], email[PORTAL_EMAIL_MAX + 2];
    char password[SECRET_WEB_PASSWORD_MAX + 2];
    unsigned roles;
    reg_err (*fn)(const struct reg_op *op, struct user_arg *a, reg_status *st);
};

/* The user named by the form, if it is of this registrar (else as if
 * there were none: another registrar's logins are not told). */
static reg_err own_user(const struct reg_op *op, struct user_arg *a, reg_status *st)
{
    struct portal_user u;
    reg_err e = portal_user_get(op->db, a->login, &u, st);
    if (e == REG_ERR_NOT_FOUND || (!e && u.registrar_id != a->c->s.registrar_id))
        return reg_fail(st, REG_ERR_NOT_FOUND, "%s", portal_t(a->c, T_NOT_YOURS));
    return e;
}

static reg_err user_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    struct user_arg *a = arg;
    return own_user(op, a, st) ? st->code : a->fn(op, a, st);
}

/* Is the form's login the user's own? */
static bool is_self(const struct user_arg *a)
{
    char norm[PORTAL_LOGIN_MAX + 1];
    reg_status ignored;
    return !portal_login_normalize(a->login, norm, &ignored) && !strcmp(norm, a->c->s.login);
}

static reg_err roles_fn(const struct reg_op *op, struct user_arg *a, reg_status *st)
{
    char text[PORTAL_ROLES_STRLEN];
    /* its box is disabled (not sent) for oneself: nobody locks their
     * registrar out of Administration */
    portal_roles_format(a->roles | (is_self(a) ? PORTAL_ADMINISTRATOR : 0), text);
    return portal_user_set_roles(op, a->login, text, st);
}

static reg_err disable_fn(const struct reg_op *op, struct user_arg *a, reg_status *st)
{
    if (is_self(a))
        return reg_fail(st, REG_ERR_POLICY, "%s", portal_t(a->c, T_NOT_SELF));
    return portal_user_set_disabled(op, a->login, true, st);
}

static reg_err enable_fn(const struct reg_op *op, struct user_arg *a, reg_status *st)
{
    return portal_user_set_disabled(op, a->login, false, st);
}

static reg_err totp_fn(const struct reg_op *op, struct user_arg *a, reg_status *st)
{
    return portal_user_reset(op, a->login, NULL, true, st);
}

static void user_change(struct portal_ctx *c,
                        reg_err (*fn)(const struct reg_op *op, struct user_arg *a, reg_status *st))
{
    if (!portal_post_ok(c, PORTAL_ADMINISTRATOR))
        return;
    struct user_arg a = {.c = c, .fn = fn, .roles = portal_roles_from_form(c)};
    web_form_field(c->w, "login", a.login, sizeof a.login);
    portal_run_back(c, user_fn, &a, T_USER_SAVED, "portal-user-change-failed", USERS);
}

void portal_admin_user_roles(struct portal_ctx *c) { user_change(c, roles_fn); }
void portal_admin_user_disable(struct portal_ctx *c) { user_change(c, disable_fn); }
void portal_admin_user_enable(struct portal_ctx *c) { user_change(c, enable_fn); }
void portal_admin_user_totp(struct portal_ctx *c) { user_change(c, totp_fn); }

static reg_err add_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    struct user_arg *a = arg;
    char roles[PORTAL_ROLES_STRLEN];
    portal_roles_format(a->roles, roles);
    struct portal_user_new u = {.registrar = a->c->s.registrar, .login = a->login,
                                .email = a->email, .roles = roles, .password = a->password};
    return portal_user_add(op, &u, st);
}

void portal_admin_user_add(struct portal_ctx *c)
{
    if (!portal_post_ok(c, PORTAL_ADMINISTRATOR))
        return;
    struct user_arg a = {.c = c, .roles = portal_roles_from_form(c)};
    web_form_field(c->w, "login", a.login, sizeof a.login);
    web_form_field(c->w, "email", a.email, sizeof a.email);
    web_form_field(c->w, "password", a.password, sizeof a.password);
    portal_run_back(c, add_fn, &a, T_USER_ADDED, "portal-user-add-failed", USERS);
    secret_wipe(a.password, sizeof a.password);
}
