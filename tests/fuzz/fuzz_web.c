/* libFuzzer target: what the HTTP pages parse from a request (src/web/):
 * the Cookie header, the form body, the Origin header against base_url,
 * the token from the URL path (R7), and the HTML escaping of whatever
 * ends up on a page. Input: four parts separated by '\n' (cookie, body,
 * origin, token). Checks: escaped text holds no markup character, a
 * token said valid has the alphabet and length of secret_token(), an
 * origin is scheme://authority in lower case, a cookie value holds no ';'. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "web/csrf.h"
#include "web/web.h"

static void check_escaped(const char *in)
{
    strbuf sb;
    sb_init(&sb);
    html_escape(&sb, in);
    const char *out = sb_str(&sb);
    if (strpbrk(out, "<>\"'"))
        abort();
    for (const char *amp = strchr(out, '&'); amp; amp = strchr(amp + 1, '&'))
        if (strncmp(amp, "&amp;", 5) && strncmp(amp, "&lt;", 4) && strncmp(amp, "&gt;", 4) &&
            strncmp(amp, "&quot;", 6) && strncmp(amp, "&#39;", 5))
            abort();
    sb_free(&sb);
}

static void check_token(const char *t)
{
    if (!web_token_valid(t))
        return;
    if (strlen(t) != SECRET_TOKEN_LEN - 1 ||
        strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
            SECRET_TOKEN_LEN - 1)
        abort();
}

static void check_origin(const char *o)
{
    char out[300];
    if (!web_origin(o, out, sizeof out))
        return;
    const char *rest = !strncmp(out, "https://", 8) ? out + 8 : !strncmp(out, "http://", 7) ? out + 7
                                                                                            : NULL;
    if (!rest || !*rest || strpbrk(rest, "/?#@"))
        abort();
    for (const char *p = rest; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            abort();
    csrf_origin_ok(o, "https://self.nic.example/reg");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *part[4];
    char *buf = fuzz_parts(data, size, part, 4);
    if (!buf)
        return 0;
    struct evhttp_request *req = evhttp_request_new(NULL, NULL);
    if (req) {
        evhttp_add_header(evhttp_request_get_input_headers(req), "Cookie", part[0]);
        evbuffer_add(evhttp_request_get_input_buffer(req), part[1], strlen(part[1]));
        struct reg_config cfg = {.http_base_url = "https://self.nic.example/reg"};
        struct web_request w = {.req = req, .cfg = &cfg};
        char v[64];
        if (web_cookie(&w, "confirm_csrf", v, sizeof v) && strchr(v, ';'))
            abort();
        web_form_field(&w, "csrf", v, sizeof v);
        web_form_field(&w, "decision", v, sizeof v);
        csrf_check(&w, "confirm_csrf");
        evhttp_request_free(req);
    }
    check_origin(part[2]);
    check_token(part[3]);
    for (int i = 0; i < 4; i++)
        check_escaped(part[i]);
    char path[300];
    web_base_path(part[2], path, sizeof path);
    free(buf);
    return 0;
}
