/* My profile: the user's own details, password, authenticator key and
 * roles (an Administrator may grant themselves other roles, e.g. Name
 * server manager, as in seed 000; a role applies from the next request,
 * R32). Also the role checkboxes Administration's users page shares. */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "portal_internal.h"
#include "site.h"

#define PROFILE PORTAL_PREFIX "/profile"

static const struct {
    unsigned bit;
    const char *field; /* the checkbox's name */
    enum portal_text_id label;
} role_boxes[] = {
    {PORTAL_ADMINISTRATOR, "role_administrator", T_ROLE_ADMINISTRATOR},
    {PORTAL_NAMESERVER_MANAGER, "role_nameserver_manager", T_ROLE_NAMESERVER_MANAGER},
    {PORTAL_REGISTRAR, "role_registrar", T_ROLE_REGISTRAR},
    {PORTAL_PAYER, "role_payer", T_ROLE_PAYER},
    {PORTAL_PROXY, "role_proxy", T_ROLE_PROXY},
};
#define NBOXES (sizeof role_boxes / sizeof role_boxes[0])

void portal_role_boxes(strbuf *sb, const struct portal_ctx *c, unsigned roles, unsigned fixed,
                       const char *prefix)
{
    for (size_t i = 0; i < NBOXES; i++) {
        char id[96];
        snprintf(id, sizeof id, "%s%s", prefix, role_boxes[i].field);
        bool on = roles & role_boxes[i].bit, locked = fixed & role_boxes[i].bit;
        h_open(sb, "div", "class", "form-check form-check-inline", NULL);
        h_void(sb, "input", "class", "form-check-input", "type", "checkbox", "id", id, "name",
               role_boxes[i].field, "value", "1", on ? "checked" : NULL, NULL,
               locked ? "disabled" : NULL, NULL, NULL);
        h_elem(sb, "label", portal_t(c, role_boxes[i].label), "class", "form-check-label", "for",
               id, NULL);
        h_close(sb, "div");
    }
}

unsigned portal_roles_from_form(const struct portal_ctx *c)
{
    unsigned roles = 0;
    char v[8];
    for (size_t i = 0; i < NBOXES; i++)
        if (web_form_field(c->w, role_boxes[i].field, v, sizeof v) && v[0])
            roles |= role_boxes[i].bit;
    return roles;
}

void portal_profile(struct portal_ctx *c)
{
    if (!portal_require(c, 0))
        return;
    struct portal_user u;
    reg_status st = {0};
    if (portal_user_get(c->w->db, c->s.login, &u, &st)) {
        portal_unavailable(c, "portal-profile-failed", &st);
        return;
    }
    char roles[256], action[320], last[REG_TIME_STRLEN];
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_PROFILE));
    h_open(&sb, "dl", "class", "row", "id", "details", NULL);
    portal_role_names(c, c->s.roles, roles, sizeof roles);
    const struct {
        enum portal_text_id label;
        const char *value;
    } rows[] = {{T_LOGIN_NAME, u.login},
                {T_REGISTRAR, c->s.registrar_name[0] ? c->s.registrar_name : u.registrar},
                {T_EMAIL, u.email},
                {T_ROLES, roles[0] ? roles : portal_t(c, T_NO_ROLES)},
                {T_LAST_LOGIN, u.last_login_at ? clock_format(u.last_login_at, last, sizeof last)
                                               : portal_t(c, T_NEVER)}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        h_elem(&sb, "dt", portal_t(c, rows[i].label), "class", "col-sm-3", NULL);
        if (rows[i].label == T_ROLES)
            h_elem(&sb, "dd", rows[i].value, "class", "col-sm-9", "id", "my-roles", NULL);
        else
            h_elem(&sb, "dd", rows[i].value, "class", "col-sm-9", NULL);
    }
    h_close(&sb, "dl");

    /* roles: an administrator sets their own (keeping administrator) */
    h_elem(&sb, "h2", portal_t(c, T_MY_ROLES), "class", "h5 mt-4", NULL);
    if (c->s.roles & PORTAL_ADMINISTRATOR) {
        h_elem(&sb, "p", portal_t(c, T_MY_ROLES_ADMIN), "class", "text-muted", NULL);
        h_open(&sb, "form", "method", "post", "id", "roles-form", "action",
               portal_url(c, PROFILE "/roles", action, sizeof action), NULL);
        portal_csrf_field(&sb, c->s.csrf);
        h_open(&sb, "div", "class", "mb-3", NULL);
        portal_role_boxes(&sb, c, c->s.roles, PORTAL_ADMINISTRATOR, "my-");
        h_close(&sb, "div");
        h_elem(&sb, "button", portal_t(c, T_SAVE), "type", "submit", "class", "btn btn-primary",
               NULL);
        h_close(&sb, "form");
    } else {
        h_elem(&sb, "p", portal_t(c, T_MY_ROLES_ASK), "class", "text-muted", NULL);
    }

    h_elem(&sb, "h2", portal_t(c, T_CHANGE_PASSWORD), "class", "h5 mt-5", NULL);
    h_open(&sb, "form", "method", "post", "id", "password-form", "class", "col-md-6 col-lg-4",
           "action", portal_url(c, PROFILE "/password", action, sizeof action), NULL);
    portal_csrf_field(&sb, c->s.csrf);
    site_username_field(&sb, u.login);
    portal_field(&sb, "current", portal_t(c, T_CURRENT_PASSWORD), "password", "current-password",
                 false);
    portal_field(&sb, "new", portal_t(c, T_NEW_PASSWORD), "password", "new-password", false);
    h_elem(&sb, "button", portal_t(c, T_CHANGE_PASSWORD), "type", "submit", "class",
           "btn btn-primary", NULL);
    h_close(&sb, "form");

    h_elem(&sb, "h2", portal_t(c, T_TOTP_RESET), "class", "h5 mt-5", NULL);
    h_elem(&sb, "p", portal_t(c, T_TOTP_RESET_INTRO), "class", "text-muted", NULL);
    h_open(&sb, "form", "method", "post", "id", "totp-form", "class", "col-md-6 col-lg-4",
           "action", portal_url(c, PROFILE "/totp", action, sizeof action), NULL);
    portal_csrf_field(&sb, c->s.csrf);
    site_username_field(&sb, u.login);
    portal_field(&sb, "totp-current", portal_t(c, T_CURRENT_PASSWORD), "password",
                 "current-password", false);
    h_elem(&sb, "button", portal_t(c, T_TOTP_RESET), "type", "submit", "class",
           "btn btn-outline-danger", NULL);
    h_close(&sb, "form");
    portal_page_end(c, &sb, 200);
}

struct password_change {
    const char *login;
    char current[SECRET_WEB_PASSWORD_MAX + 2], fresh[SECRET_WEB_PASSWORD_MAX + 2];
};

static reg_err password_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    struct password_change *p = arg;
    return portal_user_change_password(op, p->login, p->current, p->fresh, st);
}

void portal_profile_password(struct portal_ctx *c)
{
    if (!portal_post_ok(c, 0))
        return;
    struct password_change p = {.login = c->s.login};
    web_form_field(c->w, "current", p.current, sizeof p.current);
    web_form_field(c->w, "new", p.fresh, sizeof p.fresh);
    portal_run_back(c, password_fn, &p, T_PASSWORD_CHANGED, "portal-password-failed", PROFILE);
    secret_wipe(&p, sizeof p);
}

/* The key forgotten once the password is checked. */
static reg_err totp_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    struct password_change *p = arg;
    if (portal_user_check_password(op->db, p->login, p->current, st))
        return st->code;
    return portal_user_reset(op, p->login, NULL, true, st);
}

void portal_profile_totp(struct portal_ctx *c)
{
    if (!portal_post_ok(c, 0))
        return;
    struct password_change p = {.login = c->s.login};
    web_form_field(c->w, "totp-current", p.current, sizeof p.current);
    /* done: the reset ended the sessions, so on to the login page */
    reg_status st = {0};
    reg_err e = portal_run(c, totp_fn, &p, T_TOTP_RESET_DONE, "portal-totp-failed", &st);
    secret_wipe(&p, sizeof p);
    if (!reg_err_is_system(e))
        web_redirect(c->w, e ? PROFILE : PORTAL_PREFIX "/login");
}

struct roles_change {
    const char *login;
    unsigned roles;
};

static reg_err roles_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    struct roles_change *r = arg;
    char text[PORTAL_ROLES_STRLEN];
    portal_roles_format(r->roles, text);
    return portal_user_set_roles(op, r->login, text, st);
}

void portal_profile_roles(struct portal_ctx *c)
{
    if (!portal_post_ok(c, PORTAL_ADMINISTRATOR))
        return;
    /* administrator stays: nobody locks their registrar out of Administration here */
    struct roles_change r = {c->s.login, portal_roles_from_form(c) | PORTAL_ADMINISTRATOR};
    portal_run_back(c, roles_fn, &r, T_ROLES_SAVED, "portal-roles-failed", PROFILE);
}
