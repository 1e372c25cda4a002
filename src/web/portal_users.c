/* Administration: the registrar's portal users. */
#include <stdio.h>

#include "contrib/clock.h"
#include "html.h"
#include "portal_internal.h"

struct user_rows {
    struct portal_ctx *c;
    strbuf *sb;
};

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
    h_close(r->sb, "tr");
}

/* Administration: the registrar's portal users (R27: administrators only). */
void portal_admin_users(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_ADMINISTRATOR))
        return;
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_USERS));
    h_open(&sb, "div", "class", "table-responsive", NULL);
    h_open(&sb, "table", "class", "table table-striped", "id", "users", NULL);
    h_open(&sb, "thead", NULL);
    h_open(&sb, "tr", NULL);
    const enum portal_text_id cols[] = {T_LOGIN_COL, T_EMAIL, T_ROLES, T_STATE, T_LAST_LOGIN};
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
    portal_page_end(c, &sb, 200);
}
