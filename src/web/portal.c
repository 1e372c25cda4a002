/* The registrar portal's pages (portal.h). */
#include "portal.h"

#include <event2/http.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/money.h"
#include "csrf.h"
#include "html.h"
#include "portal_internal.h"
#include "portal_text.h"
#include "qr.h"
#include "registry/poll.h"
#include "registry/portal.h"
#include "site.h"

#define SESSION_COOKIE "portal_session"
#define LOGIN_CSRF_COOKIE "portal_csrf"
#define FLASH_COOKIE "portal_flash"
#define LANG_COOKIE "portal_lang"

/* Roles as the page shows them, in the page's language. */
void portal_role_names(const struct portal_ctx *c, unsigned roles, char *out, size_t n)
{
    static const struct {
        unsigned bit;
        enum portal_text_id text;
    } names[] = {
        {PORTAL_ADMINISTRATOR, T_ROLE_ADMINISTRATOR},
        {PORTAL_NAMESERVER_MANAGER, T_ROLE_NAMESERVER_MANAGER},
        {PORTAL_REGISTRAR, T_ROLE_REGISTRAR},
        {PORTAL_PAYER, T_ROLE_PAYER},
        {PORTAL_PROXY, T_ROLE_PROXY},
    };
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0] && len < n; i++)
        if (roles & names[i].bit)
            len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "",
                                    portal_t(c, names[i].text));
}

/* Bootstrap's stylesheet from our own origin and nothing else: no script
 * at all, no inline style (Bootstrap's form controls draw with data:
 * images). */
static const char portal_csp[] =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

const char *portal_t(const struct portal_ctx *c, enum portal_text_id id)
{
    return portal_text(c->lang, id);
}

/* The text with each "{}" replaced by the next of the arguments. */
const char *portal_tf(const struct portal_ctx *c, enum portal_text_id id, char *out, size_t n,
                      ...)
{
    va_list ap;
    va_start(ap, n);
    size_t len = 0;
    const char *arg = NULL;
    out[0] = '\0';
    for (const char *t = portal_t(c, id); *t && len + 1 < n; t++) {
        if (t[0] == '{' && t[1] == '}' && (arg = va_arg(ap, const char *))) {
            len += (size_t)snprintf(out + len, n - len, "%s", arg);
            if (len >= n)
                len = n - 1;
            t++;
        } else {
            out[len++] = *t;
            out[len] = '\0';
        }
    }
    va_end(ap);
    return out;
}

/* <base path><path> into out. */
const char *portal_url(const struct portal_ctx *c, const char *path, char *out, size_t n)
{
    snprintf(out, n, "%s%s", c->base, path);
    return out;
}

/* ---- messages over a redirect ---------------------------------------------------------------- */

/* The message rides in a cookie of our own (base64url), never in the URL:
 * nobody can make the portal show a text of their choosing by a link. A
 * field's name, if any, comes first, ended by \x1f. */
void portal_flash_field(struct portal_ctx *c, const char *field, const char *msg)
{
    char text[sizeof c->flash + sizeof c->flash_field + 1];
    char enc[sizeof text * 4 / 3 + 8];
    int n = snprintf(text, sizeof text, "%.*s%s%.*s", (int)sizeof c->flash_field - 1,
                     field ? field : "", field ? "\x1f" : "", (int)sizeof c->flash - 1, msg);
    if (n < 0 || (size_t)n >= sizeof text)
        n = (int)sizeof text - 1;
    snprintf(c->flash, sizeof c->flash, "%s", msg);
    snprintf(c->flash_field, sizeof c->flash_field, "%s", field ? field : "");
    sodium_bin2base64(enc, sizeof enc, (const unsigned char *)text, (size_t)n,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    web_set_cookie(c->w, FLASH_COOKIE, enc, PORTAL_PREFIX, 60);
}

void portal_flash_set(struct portal_ctx *c, const char *msg) { portal_flash_field(c, NULL, msg); }
void portal_flash_ok(struct portal_ctx *c, const char *msg) { portal_flash_field(c, "+", msg); }

const char *portal_field_error(const struct portal_ctx *c, const char *field)
{
    return c->flash[0] && !strcmp(c->flash_field, field) ? c->flash : NULL;
}

/* The message waiting, if any; it is forgotten once a page shows it
 * (page_begin), not on a redirect. */
static void flash_read(struct portal_ctx *c)
{
    char text[sizeof c->flash + sizeof c->flash_field + 1];
    char enc[sizeof text * 4 / 3 + 8];
    size_t len = 0;
    if (!web_cookie(c->w, FLASH_COOKIE, enc, sizeof enc) || !enc[0])
        return;
    if (sodium_base642bin((unsigned char *)text, sizeof text - 1, enc, strlen(enc), NULL, &len,
                          NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        len = 0;
    text[len] = '\0';
    const char *msg = text;
    char *sep = strchr(text, '\x1f');
    if (sep && (size_t)(sep - text) < sizeof c->flash_field) {
        memcpy(c->flash_field, text, (size_t)(sep - text));
        c->flash_field[sep - text] = '\0';
        msg = sep + 1;
    }
    size_t n = strlen(msg) < sizeof c->flash ? strlen(msg) : sizeof c->flash - 1;
    memcpy(c->flash, msg, n);
    c->flash[n] = '\0';
}

/* ---- the page frame ------------------------------------------------------------------------ */

static void nav_link(strbuf *sb, const struct portal_ctx *c, const char *path, enum portal_text_id id)
{
    char href[320];
    h_open(sb, "li", "class", "nav-item", NULL);
    h_elem(sb, "a", portal_t(c, id), "class", "nav-link", "href", portal_url(c, path, href, sizeof href), NULL);
    h_close(sb, "li");
}

/* Poll messages with the number waiting, if any (left out when the
 * queue cannot be read: the page itself does not depend on it). */
static void poll_nav_link(strbuf *sb, const struct portal_ctx *c)
{
    char href[320], num[24], label[120];
    int64_t n = 0;
    reg_status st = {0};
    if (poll_queue_length(c->op.db, c->s.registrar_id, &n, &st))
        n = 0;
    snprintf(num, sizeof num, "%lld", (long long)n);
    h_open(sb, "li", "class", "nav-item", NULL);
    h_open(sb, "a", "class", "nav-link", "id", "nav-poll", "href",
           portal_url(c, PORTAL_PREFIX "/poll", href, sizeof href), NULL);
    h_text(sb, portal_t(c, T_POLL_TITLE));
    if (n > 0) {
        h_text(sb, " ");
        h_elem(sb, "span", num, "class", "badge text-bg-primary", "id", "poll-unread",
               "aria-label", portal_tf(c, T_POLL_UNREAD, label, sizeof label, num, NULL), NULL);
    }
    h_close(sb, "a");
    h_close(sb, "li");
}

/* The session's hidden CSRF field. */
void portal_csrf_field(strbuf *sb, const char *value)
{
    site_csrf_field(sb, value);
}

void portal_page_begin(strbuf *sb, struct portal_ctx *c, const char *title)
{
    char href[320], home[320];
    bool in = c->has_session && c->s.stage == PORTAL_STAGE_FULL;
    site_page_head(c->w, sb, c->lang, title, portal_t(c, T_APP),
                   portal_url(c, PORTAL_PREFIX "/static/bootstrap.min.css", href, sizeof href),
                   portal_url(c, PORTAL_PREFIX "/", home, sizeof home));
    h_open(sb, "ul", "class", "navbar-nav me-auto", NULL);
    if (in) {
        nav_link(sb, c, PORTAL_PREFIX "/", T_OVERVIEW);
        if (c->s.roles & PORTAL_DOMAIN_ROLES)
            nav_link(sb, c, PORTAL_PREFIX "/domains", T_DOMAINS);
        if (c->s.roles & PORTAL_REGISTRAR) {
            nav_link(sb, c, PORTAL_PREFIX "/contacts", T_CONTACTS);
            nav_link(sb, c, PORTAL_PREFIX "/hosts", T_HOSTS);
            poll_nav_link(sb, c);
            nav_link(sb, c, PORTAL_PREFIX "/epp-log", T_EPPLOG);
            nav_link(sb, c, PORTAL_PREFIX "/console", T_CONSOLE_TITLE);
        }
        if (c->s.roles & PORTAL_PAYER)
            nav_link(sb, c, PORTAL_PREFIX "/billing", T_BILLING_TITLE);
        if (c->s.roles & PORTAL_ADMINISTRATOR) /* R27: only administrators see it */
            nav_link(sb, c, PORTAL_PREFIX "/admin/users", T_ADMIN);
        nav_link(sb, c, PORTAL_PREFIX "/profile", T_PROFILE);
    }
    h_close(sb, "ul");
    if (in) {
        h_open(sb, "span", "class", "navbar-text me-3", NULL);
        h_textf(sb, "%s %s (%s)", portal_t(c, T_LOGGED_IN_AS), c->s.login, c->s.registrar);
        h_close(sb, "span");
        h_open(sb, "form", "method", "post", "class", "me-3", "action",
               portal_url(c, PORTAL_PREFIX "/logout", href, sizeof href), NULL);
        portal_csrf_field(sb, c->s.csrf);
        h_elem(sb, "button", portal_t(c, T_LOGOUT), "type", "submit", "class",
               "btn btn-outline-secondary btn-sm", NULL);
        h_close(sb, "form");
    }
    const char *other = strcmp(c->lang, "da") ? "da" : "en";
    char lang_path[64];
    snprintf(lang_path, sizeof lang_path, PORTAL_PREFIX "/lang/%s", other);
    h_elem(sb, "a", portal_t(c, T_SWITCH_LANG), "class", "link-secondary", "lang", other, "hreflang",
           other, "href", portal_url(c, lang_path, href, sizeof href), NULL);
    h_close(sb, "div");
    h_close(sb, "nav");
    sb_puts(sb, "\n");
    h_open(sb, "main", "class", "container", NULL);
    h_elem(sb, "h1", title, "class", "h3 mb-4", NULL);
    if (c->flash[0]) {
        /* a field's message is shown by its field */
        if (!strcmp(c->flash_field, "+"))
            h_elem(sb, "div", c->flash, "class", "alert alert-success", "role", "status", "id",
                   "done", NULL);
        else if (!c->flash_field[0])
            h_elem(sb, "div", c->flash, "class", "alert alert-danger", "role", "alert", NULL);
        web_set_cookie(c->w, FLASH_COOKIE, "", PORTAL_PREFIX, 0);
    }
}

void portal_page_end(struct portal_ctx *c, strbuf *sb, int status)
{
    site_page_end(c->w, sb, c->lang, status);
}

/* A page of one paragraph (403, CSRF refusal, unavailable). */
void portal_send_message(struct portal_ctx *c, int status, enum portal_text_id title,
                         enum portal_text_id text)
{
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, title));
    h_elem(&sb, "p", portal_t(c, text), NULL);
    portal_page_end(c, &sb, status);
}

void portal_unavailable(struct portal_ctx *c, const char *what, const reg_status *st)
{
    reg_log(LOG_ERROR, "portal", c->w->id, what, "error=%s reason=%s", reg_errname(st->code),
            st->reason);
    web_retry_after(c->w, 60);
    portal_send_message(c, 503, T_APP, T_UNAVAILABLE);
}

/* A labelled form field (label for= the input's id). */
void portal_field(strbuf *sb, const char *id, const char *label, const char *type,
                  const char *autocomplete, bool autofocus)
{
    site_field(sb, id, label, type, autocomplete, autofocus);
}

/* ---- sessions ------------------------------------------------------------------------------- */

/* The session of the cookie, if any. false when the request is answered
 * already (the database failed). A session that ended leaves its reason
 * for the login page. */
static bool load_session(struct portal_ctx *c)
{
    if (!site_session_token(c->w, SESSION_COOKIE, c->token, sizeof c->token))
        return true;
    reg_status st = {0};
    reg_err e = portal_session_get(&c->op, c->token, c->w->peer, &c->s, &st);
    if (e == REG_ERR_AUTH) {
        if (strcmp(st.reason, "not logged in"))
            portal_flash_set(c, st.reason);
        web_set_cookie(c->w, SESSION_COOKIE, "", PORTAL_PREFIX, 0);
        c->token[0] = '\0';
        return true;
    }
    if (e) {
        portal_unavailable(c, "portal-session-failed", &st);
        return false;
    }
    c->has_session = true;
    /* the user's language unless the browser chose one here */
    char chosen[8];
    if (!web_cookie(c->w, LANG_COOKIE, chosen, sizeof chosen))
        c->lang = portal_lang(c->s.language);
    return true;
}

bool portal_logged_in(const struct portal_ctx *c)
{
    return c->has_session && c->s.stage == PORTAL_STAGE_FULL;
}

/* A page for logged-in users with `role` (0: any): anonymous users go to
 * the login page, users without the role get 403. */
bool portal_require(struct portal_ctx *c, unsigned role)
{
    if (!portal_logged_in(c)) {
        web_redirect(c->w, PORTAL_PREFIX "/login");
        return false;
    }
    if (role && !(c->s.roles & role)) {
        reg_log(LOG_INFO, "portal", c->w->id, "portal-forbidden", "login=%s path=%s",
                c->s.login, c->w->path);
        portal_send_message(c, 403, T_FORBIDDEN_TITLE, T_FORBIDDEN_TEXT);
        return false;
    }
    return true;
}

/* A POST of a session's form: its CSRF token (derived from the session's)
 * and, when the browser sends one, the Origin. */
bool portal_csrf_ok(struct portal_ctx *c)
{
    bool ok = c->has_session && site_form_token_ok(c->w, c->s.csrf);
    if (!ok)
        portal_send_message(c, 403, T_CSRF_TITLE, T_CSRF_TEXT);
    return ok;
}

static const char *stage_path(enum portal_stage stage)
{
    return stage == PORTAL_STAGE_FULL    ? PORTAL_PREFIX "/"
           : stage == PORTAL_STAGE_ENROL ? PORTAL_PREFIX "/login/enrol"
                                         : PORTAL_PREFIX "/login/code";
}

/* ---- login ---------------------------------------------------------------------------------- */

static void login_show(struct portal_ctx *c)
{
    if (portal_logged_in(c)) {
        web_redirect(c->w, PORTAL_PREFIX "/");
        return;
    }
    char csrf[SECRET_TOKEN_LEN], action[320];
    reg_status st = {0};
    if (csrf_issue(c->w, LOGIN_CSRF_COOKIE, PORTAL_PREFIX "/login", csrf)) {
        reg_fail(&st, REG_ERR_INTERNAL, "no randomness");
        portal_unavailable(c, "portal-csrf-failed", &st);
        return;
    }
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_LOGIN_TITLE));
    h_elem(&sb, "p", portal_t(c, T_LOGIN_INTRO), NULL);
    h_open(&sb, "form", "method", "post", "class", "col-md-6 col-lg-4", "action",
           portal_url(c, PORTAL_PREFIX "/login", action, sizeof action), NULL);
    portal_csrf_field(&sb, csrf);
    portal_field(&sb, "login", portal_t(c, T_LOGIN_NAME), "text", "username", true);
    portal_field(&sb, "password", portal_t(c, T_PASSWORD), "password", "current-password", false);
    h_elem(&sb, "button", portal_t(c, T_LOGIN_BUTTON), "type", "submit", "class", "btn btn-primary",
           NULL);
    h_close(&sb, "form");
    portal_page_end(c, &sb, 200);
}

static void login_post(struct portal_ctx *c)
{
    if (!csrf_check(c->w, LOGIN_CSRF_COOKIE)) {
        reg_log(LOG_INFO, "http", c->w->id, "csrf-refused", "peer=%s", c->w->peer);
        portal_send_message(c, 403, T_CSRF_TITLE, T_CSRF_TEXT);
        return;
    }
    /* a password check is tens of milliseconds of the HTTP thread: a
     * source gets a few at once, then a few a minute */
    if (!site_gate_ok(c->w, "portal")) {
        portal_send_message(c, 429, T_TOO_MANY_TITLE, T_TOO_MANY_TEXT);
        return;
    }
    char login[PORTAL_LOGIN_MAX + 2] = "", password[SECRET_WEB_PASSWORD_MAX + 2] = "",
         token[SECRET_TOKEN_LEN];
    web_form_field(c->w, "login", login, sizeof login);
    web_form_field(c->w, "password", password, sizeof password);
    enum portal_stage stage;
    reg_status st = {0};
    reg_err e = portal_login_password(&c->op, login, password, c->w->peer, token, &stage, &st);
    secret_wipe(password, sizeof password);
    if (e == REG_ERR_AUTH) {
        portal_flash_set(c, st.reason);
        web_redirect(c->w, PORTAL_PREFIX "/login");
        return;
    }
    if (e) {
        portal_unavailable(c, "portal-login-failed", &st);
        return;
    }
    web_set_cookie(c->w, SESSION_COOKIE, token, PORTAL_PREFIX, -1);
    web_redirect(c->w, stage_path(stage));
}

/* The code and enrolment pages: a session at that login step. */
static bool at_step(struct portal_ctx *c, enum portal_stage want)
{
    if (!c->has_session) {
        web_redirect(c->w, PORTAL_PREFIX "/login");
        return false;
    }
    if (c->s.stage != want) {
        web_redirect(c->w, stage_path(c->s.stage));
        return false;
    }
    return true;
}

static void code_form(strbuf *sb, struct portal_ctx *c, const char *path)
{
    char action[320];
    h_open(sb, "form", "method", "post", "class", "col-md-6 col-lg-4", "action",
           portal_url(c, path, action, sizeof action), NULL);
    portal_csrf_field(sb, c->s.csrf);
    h_open(sb, "div", "class", "mb-3", NULL);
    h_elem(sb, "label", portal_t(c, T_CODE_LABEL), "for", "code", "class", "form-label", NULL);
    h_void(sb, "input", "id", "code", "name", "code", "type", "text", "class", "form-control",
           "inputmode", "numeric", "pattern", "[0-9 ]{6,7}", "maxlength", "7", "autocomplete",
           "one-time-code", "required", NULL, "autofocus", NULL, NULL);
    h_close(sb, "div");
    h_elem(sb, "button", portal_t(c, T_CONTINUE), "type", "submit", "class", "btn btn-primary", NULL);
    h_close(sb, "form");
}

static void code_show(struct portal_ctx *c)
{
    if (!at_step(c, PORTAL_STAGE_PASSWORD))
        return;
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_CODE_TITLE));
    h_elem(&sb, "p", portal_t(c, T_CODE_INTRO), NULL);
    code_form(&sb, c, PORTAL_PREFIX "/login/code");
    portal_page_end(c, &sb, 200);
}

static void enrol_show(struct portal_ctx *c)
{
    if (!at_step(c, PORTAL_STAGE_ENROL))
        return;
    char secret[PORTAL_TOTP_SECRET_LEN], uri[512], grouped[48];
    reg_status st = {0};
    reg_err e = portal_enrol_key(&c->op, c->token, secret, uri, sizeof uri, &st);
    if (e == REG_ERR_AUTH || e == REG_ERR_USE) {
        portal_flash_set(c, st.reason);
        web_redirect(c->w, PORTAL_PREFIX "/login");
        return;
    }
    if (e) {
        portal_unavailable(c, "portal-enrol-failed", &st);
        return;
    }
    /* ABCD EFGH …: easier to type */
    size_t n = 0;
    for (size_t i = 0; secret[i] && n + 2 < sizeof grouped; i++) {
        if (i && i % 4 == 0)
            grouped[n++] = ' ';
        grouped[n++] = secret[i];
    }
    grouped[n] = '\0';
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_ENROL_TITLE));
    h_elem(&sb, "p", portal_t(c, T_ENROL_INTRO), NULL);
    h_open(&sb, "dl", "class", "row", NULL);
    h_elem(&sb, "dt", portal_t(c, T_ENROL_KEY), "class", "col-sm-3", NULL);
    h_open(&sb, "dd", "class", "col-sm-9", NULL);
    h_elem(&sb, "code", grouped, "id", "totp-secret", "class", "fs-5 user-select-all", NULL);
    h_close(&sb, "dd");
    h_elem(&sb, "dt", portal_t(c, T_ENROL_LINK), "class", "col-sm-3", NULL);
    h_open(&sb, "dd", "class", "col-sm-9 text-break", NULL);
    h_elem(&sb, "a", uri, "id", "totp-uri", "href", uri, NULL);
    h_close(&sb, "dd");
    h_elem(&sb, "dt", portal_t(c, T_ENROL_QR), "class", "col-sm-3", NULL);
    h_open(&sb, "dd", "class", "col-sm-9", NULL);
    qr_svg(&sb, uri, portal_t(c, T_ENROL_QR), 220);
    h_close(&sb, "dd");
    h_close(&sb, "dl");
    code_form(&sb, c, PORTAL_PREFIX "/login/enrol");
    secret_wipe(secret, sizeof secret);
    portal_page_end(c, &sb, 200);
}

static void code_post(struct portal_ctx *c)
{
    if (!c->has_session) {
        web_redirect(c->w, PORTAL_PREFIX "/login");
        return;
    }
    if (!portal_csrf_ok(c))
        return;
    char code[16] = "", token[SECRET_TOKEN_LEN];
    web_form_field(c->w, "code", code, sizeof code);
    reg_status st = {0};
    reg_err e = portal_login_code(&c->op, c->token, code, c->w->peer, token, &st);
    if (e == REG_ERR_AUTH) {
        portal_flash_set(c, st.reason);
        web_redirect(c->w, stage_path(c->s.stage));
        return;
    }
    if (e) {
        portal_unavailable(c, "portal-code-failed", &st);
        return;
    }
    web_set_cookie(c->w, SESSION_COOKIE, token, PORTAL_PREFIX, -1);
    web_redirect(c->w, PORTAL_PREFIX "/");
}

static void logout_post(struct portal_ctx *c)
{
    if (!c->has_session) {
        web_redirect(c->w, PORTAL_PREFIX "/login");
        return;
    }
    if (!portal_csrf_ok(c))
        return;
    reg_status st = {0};
    if (portal_logout(&c->op, c->token, &st)) {
        portal_unavailable(c, "portal-logout-failed", &st);
        return;
    }
    reg_log(LOG_INFO, "portal", c->w->id, "portal-logout", "login=%s", c->s.login);
    web_set_cookie(c->w, SESSION_COOKIE, "", PORTAL_PREFIX, 0);
    web_redirect(c->w, PORTAL_PREFIX "/login");
}

/* ---- shared page parts ------------------------------------------------------------------------ */

void portal_card(strbuf *sb, const char *label, const char *value, const char *id)
{
    h_open(sb, "div", "class", "col-sm-6 col-lg-3", NULL);
    h_open(sb, "div", "class", "card h-100", NULL);
    h_open(sb, "div", "class", "card-body", NULL);
    h_elem(sb, "h2", label, "class", "h6 card-title text-muted", NULL);
    h_elem(sb, "p", value, "class", "card-text fs-3 mb-0", "id", id, NULL);
    h_close(sb, "div");
    h_close(sb, "div");
    h_close(sb, "div");
}

/* Bootstrap's stylesheet from Debian's libjs-bootstrap5 ([portal] bootstrap). */
static void bootstrap_css(struct portal_ctx *c)
{
    site_bootstrap_css(c->w, "portal");
}

/* The language chosen by a link: remembered in a cookie, back to the start. */
static void choose_lang(struct portal_ctx *c, const char *lang)
{
    web_set_cookie(c->w, LANG_COOKIE, lang, PORTAL_PREFIX, 365 * 86400);
    web_redirect(c->w, portal_logged_in(c) ? PORTAL_PREFIX "/" : PORTAL_PREFIX "/login");
}

static void lang_en(struct portal_ctx *c) { choose_lang(c, "en"); }
static void lang_da(struct portal_ctx *c) { choose_lang(c, "da"); }

/* ---- routing ----------------------------------------------------------------------------------- */

static const struct portal_page pages[] = {
    {WEB_GET, "/", portal_dashboard},
    {WEB_GET, "/login", login_show},
    {WEB_POST, "/login", login_post},
    {WEB_GET, "/login/code", code_show},
    {WEB_POST, "/login/code", code_post},
    {WEB_GET, "/login/enrol", enrol_show},
    {WEB_POST, "/login/enrol", code_post},
    {WEB_POST, "/logout", logout_post},
    {WEB_GET, "/admin/users", portal_admin_users},
    {WEB_POST, "/admin/users/add", portal_admin_user_add},
    {WEB_POST, "/admin/users/roles", portal_admin_user_roles},
    {WEB_POST, "/admin/users/disable", portal_admin_user_disable},
    {WEB_POST, "/admin/users/enable", portal_admin_user_enable},
    {WEB_POST, "/admin/users/totp", portal_admin_user_totp},
    {WEB_GET, "/admin/handles", portal_admin_handles},
    {WEB_POST, "/admin/handles/link", portal_admin_handle_link},
    {WEB_POST, "/admin/handles/unlink", portal_admin_handle_unlink},
    {WEB_POST, "/admin/handles/create", portal_admin_handle_create},
    {WEB_GET, "/admin/handles/*", portal_admin_handle},
    {WEB_GET, "/profile", portal_profile},
    {WEB_POST, "/profile/password", portal_profile_password},
    {WEB_POST, "/profile/totp", portal_profile_totp},
    {WEB_POST, "/profile/roles", portal_profile_roles},
    {WEB_GET, "/static/bootstrap.min.css", bootstrap_css},
    {WEB_GET, "/lang/en", lang_en},
    {WEB_GET, "/lang/da", lang_da},
    {WEB_GET, "/domains", portal_domains},
    {WEB_GET, "/export/domains.csv", portal_domains_csv},
    {WEB_GET, "/domains/new", portal_domain_new},
    {WEB_POST, "/domains/new", portal_domain_new_post},
    {WEB_GET, "/transfer", portal_transfer},
    {WEB_POST, "/transfer", portal_transfer_post},
    {WEB_GET, "/bulk/renew", portal_bulk_renew_confirm},
    {WEB_POST, "/bulk/renew", portal_bulk_renew_post},
    {WEB_GET, "/bulk/replace-tech", portal_bulk_tech_confirm},
    {WEB_POST, "/bulk/replace-tech", portal_bulk_tech_post},
    {WEB_GET, "/domains/*", portal_domain_page},
    {WEB_POST, "/domains/*", portal_domain_post},
    {WEB_GET, "/bulk/replace-ns", portal_bulk_ns_confirm},
    {WEB_POST, "/bulk/replace-ns", portal_bulk_ns_post},
    {WEB_GET, "/console", portal_console},
    {WEB_POST, "/console", portal_console_post},
    {WEB_GET, "/billing", portal_billing},
    {WEB_GET, "/billing/statement.csv", portal_billing_statement_csv},
    {WEB_GET, "/billing/invoices/*", portal_billing_invoice},
    {WEB_GET, "/contacts", portal_contacts},
    {WEB_GET, "/contacts/new", portal_contact_new},
    {WEB_POST, "/contacts/new", portal_contact_create},
    {WEB_GET, "/contacts/*", portal_contact_page},
    {WEB_POST, "/contacts/*", portal_contact_post},
    {WEB_GET, "/hosts", portal_hosts},
    {WEB_GET, "/hosts/new", portal_host_new},
    {WEB_POST, "/hosts/new", portal_host_create},
    {WEB_GET, "/hosts/*", portal_host_page},
    {WEB_POST, "/hosts/*", portal_host_post},
    {WEB_GET, "/poll", portal_poll},
    {WEB_POST, "/poll/ack", portal_poll_ack},
    {WEB_GET, "/poll/*", portal_poll_message},
    {WEB_GET, "/epp-log", portal_epplog},
    {WEB_GET, "/epp-log/*", portal_epplog_entry},
};

/* Whether a table path matches the request's path after PORTAL_PREFIX:
 * whole, or for a path ending in "*" its start followed by one non-empty
 * segment (into *arg). */
static bool portal_route_match(const char *path, const char *rest, const char **arg)
{
    return site_route_match(path, rest, arg);
}

void portal_handle(struct web_request *w)
{
    if (!w->rest[0]) {
        web_redirect(w, PORTAL_PREFIX "/");
        return;
    }
    unsigned wanted = w->method == WEB_HEAD ? WEB_GET : w->method, allowed = 0;
    size_t i = 0;
    const char *arg = NULL;
    for (; i < sizeof pages / sizeof pages[0]; i++)
        if (portal_route_match(pages[i].path, w->rest, &arg)) {
            allowed |= pages[i].method;
            if (pages[i].method & wanted)
                break;
        }
    if (i == sizeof pages / sizeof pages[0]) {
        if (allowed)
            web_method_not_allowed(w, allowed & WEB_GET ? "GET, HEAD" : "POST");
        else
            web_not_found(w);
        return;
    }
    w->csp = portal_csp;
    struct portal_ctx c = {.w = w, .arg = arg};
    c.op = (struct reg_op){.db = w->db, .policy = w->policy, .actor = "portal",
                           .channel = "portal", .now = clock_now()};
    web_base_path(w->cfg->http_base_url, c.base, sizeof c.base);
    char chosen[8] = "";
    c.lang = portal_lang(web_cookie(w, LANG_COOKIE, chosen, sizeof chosen)
                             ? chosen
                             : web_header(w, "Accept-Language"));
    if (pages[i].fn != bootstrap_css && (flash_read(&c), !load_session(&c)))
        return;
    pages[i].fn(&c);
}
