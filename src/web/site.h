/* What the web sites with logins share (the registrar portal, the
 * registrant self-service site): a message carried over a redirect in a
 * cookie, Bootstrap's stylesheet from Debian's package, form parts, the
 * session cookie's token, the language from Accept-Language. Each site
 * keeps its own cookie names, paths and texts. */
#ifndef REG_WEB_SITE_H
#define REG_WEB_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "contrib/strbuf.h"
#include "web.h"

/* The message rides in a cookie of our own (base64url), never in the URL:
 * nobody can make a site show a text of their choosing by a link. Sets
 * cookie `name` under `path` for a minute; out (n bytes) gets msg, cut. */
void site_flash_set(struct web_request *w, const char *name, const char *path, const char *msg,
                    char *out, size_t n);
/* The message waiting in cookie `name`, if any, into out ("" if none). */
void site_flash_read(const struct web_request *w, const char *name, char *out, size_t n);

/* Sends Bootstrap's stylesheet from Debian's libjs-bootstrap5 ([portal]
 * bootstrap), cacheable; 404 when it is missing. */
void site_bootstrap_css(struct web_request *w, const char *log_area);

/* The page up to the navigation bar's brand: doctype, <html lang>, the
 * head (charset, viewport, "title · app", the stylesheet at css_href),
 * <body>, <nav> with its container and the brand linking to home_href:
 * the registry's logo and name ([registry] logo, name) when configured,
 * then app. */
void site_page_head(const struct web_request *w, strbuf *sb, const char *lang, const char *title,
                    const char *app, const char *css_href, const char *home_href);
/* </main>, the registry's footer (site_footer) in lang, </body></html>,
 * sent with status (web_send), sb freed. */
void site_page_end(struct web_request *w, strbuf *sb, const char *lang, int status);

/* The registry's logo as an <img> (alt: its name), when [registry] logo
 * is set; nothing otherwise. */
void site_logo(strbuf *sb, const struct web_request *w, const char *css_class);
/* A <footer> with the registry's name, [registry] support and a link to
 * [registry] terms_url, labelled in lang (en, da, nb, et); nothing when
 * none of them is set. css_class: the footer's class attribute. */
void site_footer(strbuf *sb, const struct reg_config *cfg, const char *lang,
                 const char *css_class);
/* A file for download: body sent as `type` with status 200 and
 * Content-Disposition: attachment; filename="name" (name is ours). */
void site_send_file(struct web_request *w, const char *type, const char *name, strbuf *body);

/* GET {base}/logo: the file of [registry] logo, cacheable (404 without one). */
#define SITE_LOGO_PATH "/logo"
void site_logo_serve(struct web_request *w);

/* Whether the request's client (behind [http] proxies, its own address)
 * may cost a password check or a mail now (web_password_gate_take);
 * when not, Retry-After is set and the refusal logged under log_area, and
 * the caller sends its page with 429. */
bool site_gate_ok(struct web_request *w, const char *log_area);

/* A logged-in session's POST: its form field CSRF_FIELD equals expected
 * (the token derived from the session's; constant time) and the Origin,
 * when the browser sends one, is base_url's. Logs a refusal. */
bool site_form_token_ok(const struct web_request *w, const char *expected);

/* A form's hidden CSRF field. */
void site_csrf_field(strbuf *sb, const char *value);
/* A labelled input (label for= the input's id, which is also its name). */
void site_field(strbuf *sb, const char *id, const char *label, const char *type,
                const char *autocomplete, bool autofocus);

/* A password form's hidden username (whose password it is), for password
 * managers; browsers ask for one in every form with a password. */
void site_username_field(strbuf *sb, const char *value);

/* The session token in cookie `name` into token (SECRET_TOKEN_LEN + 1
 * bytes), if it has a token's shape; "" otherwise. */
bool site_session_token(const struct web_request *w, const char *name, char *token, size_t n);

/* The best of `langs` for an Accept-Language header (RFC 9110 §12.5.4:
 * quality values, a range's primary tag; "no" and "nn" count as "nb");
 * NULL when none fits. */
const char *site_accept_language(const char *header, const char *const *langs, size_t nlangs);

/* Whether a route's path matches the request's path after the site's
 * prefix: whole, or for a path ending in "*" its start followed by one
 * non-empty segment (into *arg; NULL otherwise). */
bool site_route_match(const char *path, const char *rest, const char **arg);

#endif
