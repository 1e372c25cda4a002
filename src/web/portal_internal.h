/* What the registrar portal's page files share (portal.c has the frame,
 * the sessions, login and the routing table; a page file adds its
 * functions here and its routes to portal.c's table). Not for use outside
 * src/web. */
#ifndef REG_WEB_PORTAL_INTERNAL_H
#define REG_WEB_PORTAL_INTERNAL_H

#include <stdbool.h>

#include "contrib/secret.h"
#include "contrib/strbuf.h"
#include "portal.h"
#include "portal_text.h"
#include "registry/op.h"
#include "registry/portal.h"

/* One request as the portal sees it. */
struct portal_ctx {
    struct web_request *w;
    struct reg_op op;
    const char *lang;
    char base[256];                    /* the base URL's path */
    char token[SECRET_TOKEN_LEN + 1];  /* the session cookie, "" for none */
    bool has_session;                  /* token names a live session */
    struct portal_session s;
    char flash[400]; /* a message carried over a redirect */
    char flash_field[32]; /* the form field it concerns; "+": it says a change was made */
    const char *arg; /* the last segment of a route ending in *, else NULL */
};

/* One route: a method, a path after PORTAL_PREFIX (whole, or ending in
 * "*" for one more segment, given to the page as c->arg) and its page. */
struct portal_page {
    unsigned method; /* one WEB_* bit */
    const char *path;
    void (*fn)(struct portal_ctx *c);
};

/* The page's text in its language. */
const char *portal_t(const struct portal_ctx *c, enum portal_text_id id);
/* The same with each "{}" of the text replaced by the next string of the
 * arguments (ended by NULL), into out. */
const char *portal_tf(const struct portal_ctx *c, enum portal_text_id id, char *out, size_t n,
                      ...) __attribute__((sentinel));
/* <base path><path> into out. */
const char *portal_url(const struct portal_ctx *c, const char *path, char *out, size_t n);
/* A message shown by the next page (after a redirect): an error at the
 * top; portal_flash_field's next to the form field `field` (the page asks
 * portal_field_error); portal_flash_ok's says that a change was made. */
void portal_flash_set(struct portal_ctx *c, const char *msg);
void portal_flash_field(struct portal_ctx *c, const char *field, const char *msg);
void portal_flash_ok(struct portal_ctx *c, const char *msg);
/* The message waiting for form field `field`, or NULL. */
const char *portal_field_error(const struct portal_ctx *c, const char *field);

/* The frame: page_begin writes everything up to the <h1>title</h1> and
 * the waiting message; page_end closes it and sends it with status. */
void portal_page_begin(strbuf *sb, struct portal_ctx *c, const char *title);
void portal_page_end(struct portal_ctx *c, strbuf *sb, int status);
/* A page of one paragraph (403, CSRF refusal, unavailable). */
void portal_send_message(struct portal_ctx *c, int status, enum portal_text_id title,
                         enum portal_text_id text);
/* 503 after a database failure, logged as `what`. */
void portal_unavailable(struct portal_ctx *c, const char *what, const reg_status *st);

/* Form parts: the session's hidden CSRF field; a labelled input. */
void portal_csrf_field(strbuf *sb, const char *value);
void portal_field(strbuf *sb, const char *id, const char *label, const char *type,
                  const char *autocomplete, bool autofocus);
/* A figure on a card (the dashboard). */
void portal_card(strbuf *sb, const char *label, const char *value, const char *id);
/* Role names in the page's language, comma-separated. */
void portal_role_names(const struct portal_ctx *c, unsigned roles, char *out, size_t n);

/* Access: a logged-in session (past TOTP); portal_require answers the
 * request itself (login page or 403) and returns false unless the user
 * has `role` (0: any); portal_csrf_ok likewise for a POST's CSRF token. */
bool portal_logged_in(const struct portal_ctx *c);
bool portal_require(struct portal_ctx *c, unsigned role);
bool portal_csrf_ok(struct portal_ctx *c);

/* ---- pages (one file each) ---- */
void portal_dashboard(struct portal_ctx *c);   /* portal_home.c */
void portal_admin_users(struct portal_ctx *c); /* portal_users.c */
/* portal_domains.c: the list, its CSV, a domain's page and its changes
 * of name servers, renewal and auth info. Who reaches the domain pages: */
#define PORTAL_DOMAIN_ROLES (PORTAL_REGISTRAR | PORTAL_NAMESERVER_MANAGER)
void portal_domains(struct portal_ctx *c);
void portal_domains_csv(struct portal_ctx *c);
void portal_domain_page(struct portal_ctx *c);
void portal_domain_post(struct portal_ctx *c);
/* Parts of portal_domains.c the domain pages share: the operation as the
 * user's registrar; a labelled text input (error: its message or NULL);
 * a POST form to domain d's page doing `action`; a submit button; a hidden
 * field; a change's outcome (done: the message, refused: st's reason next
 * to `field`, a system failure: 503) and the redirect to domain `back`;
 * the route's domain if it is the registrar's (else answered, false); the
 * words of text (separated by blanks, commas or line ends; split in
 * place) into out, how many (max + 1: too many). */
struct domain;
struct reg_op portal_domain_op(const struct portal_ctx *c);
void portal_text_input(strbuf *sb, const char *id, const char *label, const char *type,
                       const char *value, const char *error);
void portal_domain_form_open(strbuf *sb, const struct portal_ctx *c, const struct domain *d,
                             const char *action, const char *id);
void portal_submit(strbuf *sb, const char *label, const char *cls);
void portal_hidden(strbuf *sb, const char *name, const char *value);
void portal_domain_outcome(struct portal_ctx *c, reg_err e, const reg_status *st,
                           const char *field, const char *done, const char *back);
bool portal_domain_load(struct portal_ctx *c, struct domain *d);
size_t portal_words(char *text, const char **out, size_t max);

/* portal_domain_life.c: create, and on a domain's page its contacts and
 * statuses, DS records, transfers, delete and restore; transfer requests
 * for another registrar's domain; bulk renewal and tech-contact
 * replacement, and the bulk name-server replacement (R32: name server
 * managers) with the same confirmation page. */
void portal_domain_new(struct portal_ctx *c);
void portal_domain_new_post(struct portal_ctx *c);
void portal_transfer(struct portal_ctx *c);
void portal_transfer_post(struct portal_ctx *c);
void portal_bulk_ns_confirm(struct portal_ctx *c);
void portal_bulk_ns_post(struct portal_ctx *c);
void portal_bulk_renew_confirm(struct portal_ctx *c);
void portal_bulk_renew_post(struct portal_ctx *c);
void portal_bulk_tech_confirm(struct portal_ctx *c);
void portal_bulk_tech_post(struct portal_ctx *c);
/* The domain page's forms for these (registrar role); a failure reading
 * the pending transfer is returned. */
reg_err portal_domain_life_forms(strbuf *sb, struct portal_ctx *c, const struct domain *d,
                                 reg_status *st);
/* A POST to the domain page doing `action` of these: handled (answered)
 * or false for an action it does not know. */
bool portal_domain_life_post(struct portal_ctx *c, const char *action, const char *alabel);
/* The bulk form's parts for the user's roles. */
void portal_bulk_fields(strbuf *sb, struct portal_ctx *c);
void portal_admin_user_add(struct portal_ctx *c);
void portal_admin_user_roles(struct portal_ctx *c);
void portal_admin_user_disable(struct portal_ctx *c);
void portal_admin_user_enable(struct portal_ctx *c);
void portal_admin_user_totp(struct portal_ctx *c);

/* portal_handles.c: Administration → Linked WHOIS handles (R28-R31), and
 * parts any page may use: an operation as the logged-in user of its
 * registrar (registrar_id, actor = the login; channel "portal"); a POST's
 * checks (role, then CSRF; false when answered already); a form of one
 * button posting field=value; a table's head row. */
struct reg_op portal_write_op(const struct portal_ctx *c);
bool portal_post_ok(struct portal_ctx *c, unsigned role);
void portal_button_form(strbuf *sb, const struct portal_ctx *c, const char *path,
                        const char *field, const char *value, const char *label,
                        const char *btn_class, const char *id);
void portal_thead(strbuf *sb, const struct portal_ctx *c, const enum portal_text_id *cols,
                  size_t n);
/* Administration's options as tabs, the one at path `current` marked. */
void portal_admin_tabs(strbuf *sb, const struct portal_ctx *c, const char *current);
/* Runs fn(op, arg) in a transaction as this user (portal_write_op); the
 * outcome (`done` or st's reason) goes to the next page, except a system
 * failure (reg_err_is_system), which it answers itself (503). */
reg_err portal_run(struct portal_ctx *c,
                   reg_err (*fn)(const struct reg_op *op, void *arg, reg_status *st), void *arg,
                   enum portal_text_id done, const char *what, reg_status *st);
/* portal_run, then a redirect to `back` unless it answered already. */
void portal_run_back(struct portal_ctx *c,
                     reg_err (*fn)(const struct reg_op *op, void *arg, reg_status *st), void *arg,
                     enum portal_text_id done, const char *what, const char *back);
void portal_admin_handles(struct portal_ctx *c);
void portal_admin_handle(struct portal_ctx *c);
void portal_admin_handle_link(struct portal_ctx *c);
void portal_admin_handle_unlink(struct portal_ctx *c);
void portal_admin_handle_create(struct portal_ctx *c);

/* portal_profile.c: My profile (own details, password, TOTP, roles) */
void portal_profile(struct portal_ctx *c);
void portal_profile_password(struct portal_ctx *c);
void portal_profile_totp(struct portal_ctx *c);
void portal_profile_roles(struct portal_ctx *c);
/* Role checkboxes (name role_<role>; ids prefixed by prefix), those in
 * fixed shown but not changeable; the roles a form's boxes give. */
void portal_role_boxes(strbuf *sb, const struct portal_ctx *c, unsigned roles, unsigned fixed,
                       const char *prefix);
unsigned portal_roles_from_form(const struct portal_ctx *c);

/* portal_console.c: the XML console (R12, role registrar) */
void portal_console(struct portal_ctx *c);
void portal_console_post(struct portal_ctx *c);

/* portal_billing.c: balance, statement (page and CSV), invoices (view
 * and download), the price list (role payer) */
void portal_billing(struct portal_ctx *c);
void portal_billing_statement_csv(struct portal_ctx *c);
void portal_billing_invoice(struct portal_ctx *c);

#endif
