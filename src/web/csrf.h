/* Tokens in URLs and CSRF protection of forms (DESIGN §11): a fresh random
 * value per page, set both as a cookie and as a hidden form field (the
 * double-submit pattern); a POST must bring both, equal, compared in
 * constant time, and — when the browser sends Origin — from base_url's
 * origin. SameSite=Strict keeps the cookie off cross-site requests too. */
#ifndef REG_WEB_CSRF_H
#define REG_WEB_CSRF_H

#include <stdbool.h>
#include "contrib/secret.h"
#include "web.h"

/* The form field that carries the value. */
#define CSRF_FIELD "csrf"

/* Is s exactly what secret_token() makes: SECRET_TOKEN_LEN-1 characters of
 * canonical base64url (RFC 4648 §5, no padding) for 32 bytes? */
bool web_token_valid(const char *s);

/* A new value into out, and its Set-Cookie header on the response:
 * `name=value; Path=<base path><path>; HttpOnly; SameSite=Strict` and
 * `Secure` when base_url is https. */
reg_err csrf_issue(struct web_request *w, const char *cookie, const char *path,
                   char out[SECRET_TOKEN_LEN]);
/* Both well-formed and equal (constant time). */
bool csrf_equal(const char *cookie_value, const char *field_value);
/* No Origin header, or the same origin as base_url. */
bool csrf_origin_ok(const char *origin, const char *base_url);
/* The whole check of a POST: cookie, field, origin. */
bool csrf_check(const struct web_request *w, const char *cookie);

#endif
