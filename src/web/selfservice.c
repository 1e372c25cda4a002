/* The registrant self-service site's frame, session and ways in
 * (selfservice.h): the set-up and reset links' password page, login by
 * password or eID, the reset request, logout, the language, routing. */
#include "selfservice.h"

#include <stdio.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "csrf.h"
#include "html.h"
#include "registry/account.h"
#include "selfservice_internal.h"
#include "site.h"

#define SESSION_COOKIE "ss_session"
#define FORM_CSRF_COOKIE "ss_csrf" /* the forms before login */
#define FLASH_COOKIE "ss_flash"
#define FLASH_OK_COOKIE "ss_flash_ok"
#define FLASH_FIELD_COOKIE "ss_flash_field"
#define LANG_COOKIE "ss_lang"
#define P SELFSERVICE_PREFIX

/* The portal's policy: Bootstrap's stylesheet from our own origin, no
 * script, no inline style. */
static const char ss_csp[] =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

const char *ss_t(const struct ss_ctx *c, enum ss_text_id id) { return ss_text(c->lang, id); }

const char *ss_url(const struct ss_ctx *c, const char *path, char *out, size_t n)
{
    snprintf(out, n, "%s%s", c->base, path);
    return out;
}

void ss_flash_set(struct ss_ctx *c, const char *msg, bool ok)
{
    site_flash_set(c->w, FLASH_COOKIE, P, msg, c->flash, sizeof c->flash);
    web_set_cookie(c->w, FLASH_OK_COOKIE, ok ? "1" : "", P, ok ? 60 : 0);
}

void ss_flash_field(struct ss_ctx *c, const char *field, const char *msg)
{
    ss_flash_set(c, msg, false);
    /* a field name is ours: letters, digits, ':', '.', '_' and '-' only */
    char v[sizeof c->flash_field];
    size_t n = 0;
    for (const char *p = field; *p && n + 1 < sizeof v; p++)
        if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:._-", *p))
            v[n++] = *p;
    v[n] = '\0';
    web_set_cookie(c->w, FLASH_FIELD_COOKIE, v, P, 60);
}

const char *ss_field_error(const struct ss_ctx *c, const char *field)
{
    return c->flash[0] && c->flash_field[0] && !strcmp(c->flash_field, field) ? c->flash : NULL;
}

/* A change that loses a write conflict is simply run again. */
#define TX_ATTEMPTS 3

reg_err ss_in_tx(struct ss_ctx *c, reg_err (*fn)(struct ss_ctx *c, void *arg, reg_status *st),
                 void *arg, reg_status *st)
{
    reg_err e = REG_OK;
    for (int attempt = 1; attempt <= TX_ATTEMPTS; attempt++) {
        reg_status_clear(st);
        c->op.now = clock_now();
        if (!(e = db_begin(c->op.db)))
            e = fn(c, arg, st);
        else
            reg_fail(st, e, "database");
        e = db_end_tx(c->op.db, e, st);
        if (e != REG_ERR_DB_BUSY)
            break;
    }
    return e;
}

void ss_time(strbuf *sb, reg_time t, bool date_only)
{
    char iso[REG_TIME_STRLEN], shown[32];
    clock_format(t, iso, sizeof iso);
    if (date_only)
        snprintf(shown, sizeof shown, "%.10s", iso);
    else
        snprintf(shown, sizeof shown, "%.10s %.5s UTC", iso, iso + 11);
    h_elem(sb, "time", shown, "datetime", iso, NULL);
}

/* ---- the frame ----------------------------------------------------------------------------- */

static void nav_link(strbuf *sb, const struct ss_ctx *c, const char *path, enum ss_text_id id,
                     const char *html_id)
{
    char href[320];
    h_open(sb, "li", "class", "nav-item", NULL);
    h_elem(sb, "a", ss_t(c, id), "class", "nav-link", "id", html_id, "href",
           ss_url(c, path, href, sizeof href), NULL);
    h_close(sb, "li");
}

void ss_page_begin(strbuf *sb, struct ss_ctx *c, const char *title)
{
    char href[320], home[320];
    site_page_head(c->w, sb, c->lang, title, ss_t(c, S_APP),
                   ss_url(c, P "/static/bootstrap.min.css", href, sizeof href),
                   ss_url(c, P "/", home, sizeof home));
    h_open(sb, "ul", "class", "navbar-nav me-auto", NULL);
    if (c->in) {
        nav_link(sb, c, P "/", S_HOME, "nav-home");
        nav_link(sb, c, P "/domains", S_MY_DOMAINS, "nav-domains");
        nav_link(sb, c, P "/data", S_MY_DATA, "nav-data");
        nav_link(sb, c, P "/invoices", S_INVOICES, "nav-invoices");
    }
    h_close(sb, "ul");
    if (c->in) {
        h_open(sb, "span", "class", "navbar-text me-3", "id", "logged-in-as", NULL);
        h_textf(sb, "%s %s", ss_t(c, S_LOGGED_IN_AS), c->s.name[0] ? c->s.name : c->s.handle);
        h_close(sb, "span");
        h_open(sb, "form", "method", "post", "class", "me-3", "id", "logout-form", "action",
               ss_url(c, P "/logout", href, sizeof href), NULL);
        site_csrf_field(sb, c->s.csrf);
        h_elem(sb, "button", ss_t(c, S_LOGOUT), "type", "submit", "class",
               "btn btn-outline-secondary btn-sm", NULL);
        h_close(sb, "form");
    }
    /* the other languages, each named in itself */
    h_open(sb, "ul", "class", "nav", "id", "languages", "aria-label", ss_t(c, S_LANGUAGE), NULL);
    for (size_t i = 0; i < SS_LANG_COUNT; i++) {
        if (!strcmp(ss_langs[i], c->lang))
            continue;
        char path[64], id[16];
        snprintf(path, sizeof path, P "/lang/%s", ss_langs[i]);
        snprintf(id, sizeof id, "lang-%s", ss_langs[i]);
        h_open(sb, "li", "class", "nav-item", NULL);
        h_elem(sb, "a", ss_text(ss_langs[i], S_LANG_NAME), "class", "nav-link link-secondary",
               "id", id, "lang", ss_langs[i], "hreflang", ss_langs[i], "href",
               ss_url(c, path, href, sizeof href), NULL);
        h_close(sb, "li");
    }
    h_close(sb, "ul");
    h_close(sb, "div");
    h_close(sb, "nav");
    sb_puts(sb, "\n");
    h_open(sb, "main", "class", "container", NULL);
    h_elem(sb, "h1", title, "class", "h3 mb-4", NULL);
    if (c->flash[0]) {
        if (!c->flash_field[0])
            h_elem(sb, "div", c->flash, "class",
                   c->flash_ok ? "alert alert-success" : "alert alert-danger", "role", "alert", "id",
                   "flash", NULL);
        else /* the form shows it at its field */
            web_set_cookie(c->w, FLASH_FIELD_COOKIE, "", P, 0);
        web_set_cookie(c->w, FLASH_COOKIE, "", P, 0);
        if (c->flash_ok)
            web_set_cookie(c->w, FLASH_OK_COOKIE, "", P, 0);
    }
}

void ss_page_end(struct ss_ctx *c, strbuf *sb, int status)
{
    site_page_end(c->w, sb, c->lang, status);
}

void ss_send_message(struct ss_ctx *c, int status, enum ss_text_id title, enum ss_text_id text)
{
    strbuf sb;
    sb_init(&sb);
    ss_page_begin(&sb, c, ss_t(c, title));
    h_elem(&sb, "p", ss_t(c, text), "id", "message", NULL);
    ss_page_end(c, &sb, status);
}

void ss_unavailable(struct ss_ctx *c, const char *what, const reg_status *st)
{
    reg_log(LOG_ERROR, "self-service", c->w->id, what, "error=%s reason=%s",
            reg_errname(st->code), st->reason);
    web_retry_after(c->w, 60);
    ss_send_message(c, 503, S_APP, S_UNAVAILABLE);
}

/* ---- the session --------------------------------------------------------------------------- */

/* The session of the cookie, if any; false when the request is answered
 * already (the database failed). A session that ended leaves its reason
 * for the login page. */
static bool load_session(struct ss_ctx *c)
{
    if (!site_session_token(c->w, SESSION_COOKIE, c->token, sizeof c->token))
        return true;
    reg_status st = {0};
    reg_err e = selfservice_session_get(&c->op, c->token, &c->s, &st);
    if (e == REG_ERR_AUTH) {
        if (strcmp(st.reason, "not logged in"))
            ss_flash_set(c, st.reason, false);
        web_set_cookie(c->w, SESSION_COOKIE, "", P, 0);
        c->token[0] = '\0';
        return true;
    }
    if (e) {
        ss_unavailable(c, "selfservice-session-failed", &st);
        return false;
    }
    c->in = true;
    c->op.actor = c->s.handle;
    return true;
}

bool ss_require(struct ss_ctx *c)
{
    if (!c->in)
        web_redirect(c->w, P "/login");
    return c->in;
}

bool ss_csrf_ok(struct ss_ctx *c)
{
    bool ok = c->in && site_form_token_ok(c->w, c->s.csrf);
    if (!ok)
        ss_send_message(c, 403, S_CSRF_TITLE, S_CSRF_TEXT);
    return ok;
}

/* A form before login: its CSRF token (double submit) into csrf; false
 * when the request is answered already. */
static bool form_token(struct ss_ctx *c, char csrf[SECRET_TOKEN_LEN])
{
    if (!csrf_issue(c->w, FORM_CSRF_COOKIE, P, csrf))
        return true;
    reg_status st = {0};
    reg_fail(&st, REG_ERR_INTERNAL, "no randomness");
    ss_unavailable(c, "selfservice-csrf-failed", &st);
    return false;
}

static bool form_csrf_ok(struct ss_ctx *c)
{
    if (csrf_check(c->w, FORM_CSRF_COOKIE))
        return true;
    reg_log(LOG_INFO, "http", c->w->id, "csrf-refused", "peer=%s", c->w->peer);
    ss_send_message(c, 403, S_CSRF_TITLE, S_CSRF_TEXT);
    return false;
}

/* A form of labelled fields and one button, posted to path. */
static void begin_form(strbuf *sb, struct ss_ctx *c, const char *id, const char *path,
                       const char *csrf)
{
    char action[320];
    h_open(sb, "form", "method", "post", "class", "col-md-8 col-lg-5", "id", id, "action",
           ss_url(c, path, action, sizeof action), NULL);
    site_csrf_field(sb, csrf);
}

static void end_form(strbuf *sb, struct ss_ctx *c, enum ss_text_id button)
{
    h_elem(sb, "button", ss_t(c, button), "type", "submit", "class", "btn btn-primary", NULL);
    h_close(sb, "form");
}

/* A page with a form before login: title, intro, the form's start (its
 * CSRF token issued); false when the request is answered already. */
static bool form_page(strbuf *sb, struct ss_ctx *c, enum ss_text_id title, enum ss_text_id intro,
                      const char *form_id, const char *path)
{
    char csrf[SECRET_TOKEN_LEN];
    if (!form_token(c, csrf))
        return false;
    sb_init(sb);
    ss_page_begin(sb, c, ss_t(c, title));
    h_elem(sb, "p", ss_t(c, intro), NULL);
    begin_form(sb, c, form_id, path, csrf);
    return true;
}

/* ---- login --------------------------------------------------------------------------------- */

static void login_show(struct ss_ctx *c)
{
    if (c->in) {
        web_redirect(c->w, P "/");
        return;
    }
    char href[320];
    strbuf sb;
    if (!form_page(&sb, c, S_LOGIN_TITLE, S_LOGIN_INTRO, "login-form", P "/login"))
        return;
    site_field(&sb, "login", ss_t(c, S_LOGIN_NAME), "text", "username", true);
    site_field(&sb, "password", ss_t(c, S_PASSWORD), "password", "current-password", false);
    end_form(&sb, c, S_LOGIN_BUTTON);
    h_open(&sb, "p", "class", "mt-3", NULL);
    h_elem(&sb, "a", ss_t(c, S_FORGOT), "id", "forgot-link", "href",
           ss_url(c, P "/reset", href, sizeof href), NULL);
    h_close(&sb, "p");
    if (selfservice_eid_available(&c->op)) {
        h_open(&sb, "p", NULL);
        h_elem(&sb, "a", ss_t(c, S_EID_TITLE), "id", "eid-link", "class",
               "btn btn-outline-primary", "href", ss_url(c, P "/login/eid", href, sizeof href),
               NULL);
        h_close(&sb, "p");
    }
    ss_page_end(c, &sb, 200);
}

/* A login step's outcome: in (the session cookie), refused (the reason,
 * back to `again`), or the database failed. */
static void logged_in(struct ss_ctx *c, reg_err e, const reg_status *st, const char *token,
                      const char *again)
{
    if (e == REG_ERR_AUTH || e == REG_ERR_IO) {
        ss_flash_set(c, st->reason, false);
        web_redirect(c->w, again);
    } else if (e) {
        ss_unavailable(c, "selfservice-login-failed", st);
    } else {
        web_set_cookie(c->w, SESSION_COOKIE, token, P, -1);
        web_redirect(c->w, P "/");
    }
}

static void login_post(struct ss_ctx *c)
{
    if (!form_csrf_ok(c))
        return;
    /* a password check is tens of milliseconds of the HTTP thread */
    if (!site_gate_ok(c->w, "self-service")) {
        ss_send_message(c, 429, S_TOO_MANY_TITLE, S_TOO_MANY_TEXT);
        return;
    }
    char login[SELFSERVICE_LOGIN_MAX + 2] = "", password[SECRET_WEB_PASSWORD_MAX + 2] = "",
         token[SECRET_TOKEN_LEN];
    web_form_field(c->w, "login", login, sizeof login);
    web_form_field(c->w, "password", password, sizeof password);
    reg_status st = {0};
    reg_err e = selfservice_login_password(&c->op, login, password, token, &st);
    secret_wipe(password, sizeof password);
    logged_in(c, e, &st, token, P "/login");
}

/* eID: the test provider's evidence is typed in (docs/self-service.md:
 * a real provider would hand it over after its own login). */
static void eid_show(struct ss_ctx *c)
{
    if (!selfservice_eid_available(&c->op)) {
        web_not_found(c->w);
        return;
    }
    if (c->in) {
        web_redirect(c->w, P "/");
        return;
    }
    strbuf sb;
    if (!form_page(&sb, c, S_EID_TITLE, S_EID_INTRO, "eid-form", P "/login/eid"))
        return;
    site_field(&sb, "login", ss_t(c, S_LOGIN_NAME), "text", "username", true);
    site_field(&sb, "evidence", ss_t(c, S_EID_EVIDENCE), "text", "off", false);
    end_form(&sb, c, S_EID_BUTTON);
    ss_page_end(c, &sb, 200);
}

static void eid_post(struct ss_ctx *c)
{
    if (!selfservice_eid_available(&c->op)) {
        web_not_found(c->w);
        return;
    }
    if (!form_csrf_ok(c))
        return;
    char login[SELFSERVICE_LOGIN_MAX + 2] = "", evidence[256] = "", token[SECRET_TOKEN_LEN];
    web_form_field(c->w, "login", login, sizeof login);
    web_form_field(c->w, "evidence", evidence, sizeof evidence);
    reg_status st = {0};
    reg_err e = selfservice_login_eid(&c->op, login, evidence, token, &st);
    logged_in(c, e, &st, token, P "/login/eid");
}

static void logout_post(struct ss_ctx *c)
{
    if (!ss_require(c) || !ss_csrf_ok(c))
        return;
    reg_status st = {0};
    if (selfservice_logout(&c->op, c->token, &st)) {
        ss_unavailable(c, "selfservice-logout-failed", &st);
        return;
    }
    reg_log(LOG_INFO, "self-service", c->w->id, "selfservice-logout", "contact=%s", c->s.handle);
    web_set_cookie(c->w, SESSION_COOKIE, "", P, 0);
    web_redirect(c->w, P "/login");
}

/* ---- set-up and reset links ---------------------------------------------------------------- */

/* The link's token, answered 404/410 unless it is valid; contact gets its
 * contact's handle. */
static bool valid_link(struct ss_ctx *c, char contact[CONTACT_ID_MAX + 1])
{
    enum selfservice_link state;
    reg_status st = {0};
    reg_err e = web_token_valid(c->arg) ? selfservice_link_state(&c->op, c->arg, &state, contact, &st)
                                        : REG_ERR_NOT_FOUND;
    if (e == REG_ERR_NOT_FOUND)
        ss_send_message(c, 404, S_LINK_UNKNOWN_TITLE, S_LINK_UNKNOWN_TEXT);
    else if (e)
        ss_unavailable(c, "selfservice-link-failed", &st);
    else if (state == SELFSERVICE_LINK_USED)
        ss_send_message(c, 410, S_LINK_USED_TITLE, S_LINK_USED_TEXT);
    else if (state == SELFSERVICE_LINK_EXPIRED)
        ss_send_message(c, 410, S_LINK_EXPIRED_TITLE, S_LINK_EXPIRED_TEXT);
    return !e && state == SELFSERVICE_LINK_VALID;
}

static void setup_show(struct ss_ctx *c)
{
    char contact[CONTACT_ID_MAX + 1], csrf[SECRET_TOKEN_LEN], path[128];
    if (!valid_link(c, contact) || !form_token(c, csrf))
        return;
    strbuf sb;
    sb_init(&sb);
    ss_page_begin(&sb, c, ss_t(c, S_SETUP_TITLE));
    h_elem(&sb, "p", ss_t(c, S_SETUP_INTRO), NULL);
    h_elem(&sb, "p", contact, "class", "fw-bold", "id", "setup-contact", NULL);
    snprintf(path, sizeof path, P "/setup/%s", c->arg);
    begin_form(&sb, c, "setup-form", path, csrf);
    site_username_field(&sb, contact);
    site_field(&sb, "password", ss_t(c, S_PASSWORD), "password", "new-password", true);
    site_field(&sb, "password2", ss_t(c, S_PASSWORD_AGAIN), "password", "new-password", false);
    end_form(&sb, c, S_SETUP_BUTTON);
    ss_page_end(c, &sb, 200);
}

static void setup_post(struct ss_ctx *c)
{
    char contact[CONTACT_ID_MAX + 1], path[128];
    if (!form_csrf_ok(c) || !valid_link(c, contact))
        return;
    snprintf(path, sizeof path, P "/setup/%s", c->arg);
    char pw[SECRET_WEB_PASSWORD_MAX + 2] = "", pw2[sizeof pw] = "";
    web_form_field(c->w, "password", pw, sizeof pw);
    web_form_field(c->w, "password2", pw2, sizeof pw2);
    if (strcmp(pw, pw2)) {
        secret_wipe(pw, sizeof pw);
        secret_wipe(pw2, sizeof pw2);
        ss_flash_set(c, ss_t(c, S_SETUP_MISMATCH), false);
        web_redirect(c->w, path);
        return;
    }
    secret_wipe(pw2, sizeof pw2);
    reg_status st = {0};
    c->op.actor = contact;
    reg_err e = db_begin(c->op.db);
    if (!e)
        e = account_credentials_setup(&c->op, c->arg, pw, contact, &st);
    else
        reg_fail(&st, e, "database");
    e = db_end_tx(c->op.db, e, &st);
    secret_wipe(pw, sizeof pw);
    if (e == REG_ERR_POLICY) { /* too short or long */
        ss_flash_set(c, st.reason, false);
        web_redirect(c->w, path);
    } else if (e == REG_ERR_AUTH) { /* used or expired in the meantime */
        valid_link(c, contact);
    } else if (e) {
        ss_unavailable(c, "selfservice-setup-failed", &st);
    } else {
        reg_log(LOG_INFO, "self-service", c->w->id, "selfservice-password-set", "contact=%s",
                contact);
        ss_flash_set(c, ss_t(c, S_SETUP_DONE), true);
        web_redirect(c->w, P "/login");
    }
}

static void reset_show(struct ss_ctx *c)
{
    strbuf sb;
    if (!form_page(&sb, c, S_RESET_TITLE, S_RESET_INTRO, "reset-form", P "/reset"))
        return;
    site_field(&sb, "login", ss_t(c, S_LOGIN_NAME), "text", "username", true);
    end_form(&sb, c, S_RESET_BUTTON);
    ss_page_end(c, &sb, 200);
}

static void reset_post(struct ss_ctx *c)
{
    if (!form_csrf_ok(c))
        return;
    /* each request may send a mail: as few as password checks */
    if (!site_gate_ok(c->w, "self-service")) {
        ss_send_message(c, 429, S_TOO_MANY_TITLE, S_TOO_MANY_TEXT);
        return;
    }
    char login[SELFSERVICE_LOGIN_MAX + 2] = "";
    web_form_field(c->w, "login", login, sizeof login);
    reg_status st = {0};
    reg_err e = db_begin(c->op.db);
    if (!e)
        e = selfservice_reset_request(&c->op, login, &st);
    else
        reg_fail(&st, e, "database");
    if ((e = db_end_tx(c->op.db, e, &st))) {
        ss_unavailable(c, "selfservice-reset-failed", &st);
        return;
    }
    ss_flash_set(c, ss_t(c, S_RESET_SENT), true);
    web_redirect(c->w, P "/login");
}

/* ---- files and the language ---------------------------------------------------------------- */

static void bootstrap_css(struct ss_ctx *c) { site_bootstrap_css(c->w, "self-service"); }

/* The language chosen by a link: remembered in a cookie for a year. */
static void choose_lang(struct ss_ctx *c)
{
    const char *lang = ss_lang_known(c->arg);
    if (!lang) {
        web_not_found(c->w);
        return;
    }
    web_set_cookie(c->w, LANG_COOKIE, lang, P, 365 * 86400);
    web_redirect(c->w, c->in ? P "/" : P "/login");
}

/* ---- routing ------------------------------------------------------------------------------- */

struct ss_page {
    unsigned method;
    const char *path; /* after the prefix; ending in "*": one more segment (c->arg) */
    void (*fn)(struct ss_ctx *c);
};

static const struct ss_page pages[] = {
    {WEB_GET, "/", ss_home},
    {WEB_GET, "/login", login_show},
    {WEB_POST, "/login", login_post},
    {WEB_GET, "/login/eid", eid_show},
    {WEB_POST, "/login/eid", eid_post},
    {WEB_POST, "/logout", logout_post},
    {WEB_GET, "/setup/*", setup_show},
    {WEB_POST, "/setup/*", setup_post},
    {WEB_GET, "/reset", reset_show},
    {WEB_POST, "/reset", reset_post},
    {WEB_GET, "/domains", ss_domains},
    {WEB_GET, "/domains/*", ss_domain},
    {WEB_POST, "/pending/*", ss_decide},
    {WEB_POST, "/authcode/*", ss_authcode_post},
    {WEB_POST, "/otp/*", ss_otp_post},
    {WEB_GET, "/data", ss_data},
    {WEB_POST, "/data/*", ss_data_post},
    {WEB_GET, "/invoices", ss_invoices},
    {WEB_GET, "/invoices/*", ss_invoice},
    {WEB_GET, "/terms", ss_terms},
    {WEB_GET, "/static/bootstrap.min.css", bootstrap_css},
    {WEB_GET, "/lang/*", choose_lang},
};

/* The page's language: the one chosen here (cookie), else the best the
 * browser accepts, else the contact's own, else English. */
static void pick_lang(struct ss_ctx *c)
{
    char chosen[8] = "";
    const char *lang = web_cookie(c->w, LANG_COOKIE, chosen, sizeof chosen) ? ss_lang_known(chosen)
                                                                           : NULL;
    if (!lang)
        lang = site_accept_language(web_header(c->w, "Accept-Language"), ss_langs, SS_LANG_COUNT);
    if (!lang && c->in)
        lang = ss_lang_known(c->s.lang);
    c->lang = lang ? lang : ss_langs[0];
}

void selfservice_handle(struct web_request *w)
{
    if (!w->rest[0]) {
        web_redirect(w, P "/");
        return;
    }
    unsigned wanted = w->method == WEB_HEAD ? WEB_GET : w->method, allowed = 0;
    size_t i = 0, n = sizeof pages / sizeof pages[0];
    const char *arg = NULL;
    for (; i < n; i++)
        if (site_route_match(pages[i].path, w->rest, &arg)) {
            allowed |= pages[i].method;
            if (pages[i].method & wanted)
                break;
        }
    if (i == n) {
        if (allowed)
            web_method_not_allowed(w, allowed & WEB_GET ? "GET, HEAD" : "POST");
        else
            web_not_found(w);
        return;
    }
    w->csp = ss_csp;
    struct ss_ctx c = {.w = w, .arg = arg, .lang = ss_langs[0]};
    c.op = (struct reg_op){.db = w->db, .policy = w->policy, .actor = "registrant",
                           .channel = SELFSERVICE_CHANNEL, .now = clock_now()};
    web_base_path(w->cfg->http_base_url, c.base, sizeof c.base);
    if (pages[i].fn == bootstrap_css) {
        bootstrap_css(&c);
        return;
    }
    site_flash_read(w, FLASH_COOKIE, c.flash, sizeof c.flash);
    char ok[4];
    c.flash_ok = web_cookie(w, FLASH_OK_COOKIE, ok, sizeof ok) && !strcmp(ok, "1");
    if (!web_cookie(w, FLASH_FIELD_COOKIE, c.flash_field, sizeof c.flash_field))
        c.flash_field[0] = '\0';
    if (!load_session(&c))
        return;
    pick_lang(&c);
    pages[i].fn(&c);
}
