#include "csrf.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define TOKEN_CHARS (SECRET_TOKEN_LEN - 1)

bool web_token_valid(const char *s)
{
    /* the alphabet is checked here: libsodium's decoder maps some bytes
     * >= 0x80 to digits (found by tests/fuzz/fuzz_web.c) */
    if (!s || strnlen(s, TOKEN_CHARS + 1) != TOKEN_CHARS ||
        strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
            TOKEN_CHARS)
        return false;
    unsigned char raw[32];
    size_t len = 0;
    const char *end = NULL;
    /* libsodium also refuses non-zero trailing bits, so every token has
     * exactly one spelling */
    return sodium_base642bin(raw, sizeof raw, s, TOKEN_CHARS, NULL, &len, &end,
                             sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
           len == sizeof raw && end == s + TOKEN_CHARS;
}

reg_err csrf_issue(struct web_request *w, const char *cookie, const char *path,
                   char out[SECRET_TOKEN_LEN])
{
    reg_err e = secret_token(out);
    if (e)
        return e;
    web_set_cookie(w, cookie, out, path, -1);
    return REG_OK;
}

bool csrf_equal(const char *cookie_value, const char *field_value)
{
    return web_token_valid(cookie_value) && web_token_valid(field_value) &&
           secret_equal(cookie_value, field_value);
}

bool csrf_origin_ok(const char *origin, const char *base_url)
{
    if (!origin)
        return true;
    char want[300], got[300];
    return web_origin(base_url, want, sizeof want) && web_origin(origin, got, sizeof got) &&
           !strcmp(want, got);
}

bool csrf_check(const struct web_request *w, const char *cookie)
{
    char from_cookie[SECRET_TOKEN_LEN + 1], from_form[SECRET_TOKEN_LEN + 1];
    return web_cookie(w, cookie, from_cookie, sizeof from_cookie) &&
           web_form_field(w, CSRF_FIELD, from_form, sizeof from_form) &&
           csrf_equal(from_cookie, from_form) &&
           csrf_origin_ok(web_header(w, "Origin"), w->cfg->http_base_url);
}
