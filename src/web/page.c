/* The page frame, escaping (HTML and CSV), security headers and request
 * helpers shared by every page (web.h). */
#include "web.h"

#include <ctype.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/netaddr.h"

/* Every page is self-contained: no scripts, no external resources (the
 * registry's logo comes from this server), inline CSS only, posts only to
 * itself, never framed (clickjacking). */
static const char *const security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
     "frame-ancestors 'none'"},
    /* the confirmation token is in the URL: never leak it to another site.
     * same-origin, not no-referrer: under no-referrer browsers send
     * "Origin: null" with a form's POST (Fetch), which the CSRF check
     * must refuse, so no form would ever go through in a real browser */
    {"Referrer-Policy", "same-origin"},
    {"Cache-Control", "no-store"},
    {"X-Content-Type-Options", "nosniff"},
};

/* Readable on a phone: one column, large tap targets, system fonts. */
static const char page_css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5;"
    "color:#1b1b1b;background:#fff;margin:0}"
    "main{max-width:40rem;margin:0 auto;padding:1rem 1.25rem 2rem}"
    "h1{font-size:1.5rem;line-height:1.25;margin:1rem 0}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:1.25rem 0}"
    "dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}"
    ".alabel{color:#555}"
    "form{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.5rem 0}"
    "button{font:inherit;font-size:1.1rem;padding:.7rem 1.6rem;border-radius:.4rem;"
    "border:2px solid #1b1b1b;background:#fff;color:#1b1b1b;cursor:pointer;min-width:8rem}"
    "button.confirm{background:#155724;border-color:#155724;color:#fff}"
    "button:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}"
    ".note{color:#555;font-size:.95rem}"
    "@media (max-width:30rem){dl{grid-template-columns:1fr;gap:0}dd{margin-bottom:.6rem}"
    "button{flex:1 1 100%}}";

/* Text of the router's own pages. */
static const struct {
    const char *not_found_heading, *not_found_text;
    const char *method_heading, *method_text;
    const char *too_large_heading, *too_large_text;
    const char *unavailable_heading, *unavailable_text;
} text = {
    .not_found_heading = "Page not found",
    .not_found_text = "There is no page at this address.",
    .method_heading = "Method not allowed",
    .method_text = "This page cannot be used that way.",
    .too_large_heading = "Request too large",
    .too_large_text = "The request was larger than this service accepts.",
    .unavailable_heading = "Temporarily unavailable",
    .unavailable_text = "The registry could not handle the request just now. Nothing was "
                        "changed. Please try again in a few minutes.",
};

void html_escape(strbuf *sb, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *ref = *s == '&'    ? "&amp;"
                          : *s == '<'  ? "&lt;"
                          : *s == '>'  ? "&gt;"
                          : *s == '"'  ? "&quot;"
                          : *s == '\'' ? "&#39;"
                                       : NULL;
        if (!ref)
            continue;
        sb_append(sb, run, (size_t)(s - run));
        sb_puts(sb, ref);
        run = s + 1;
    }
    sb_append(sb, run, (size_t)(s - run));
}

void csv_field(strbuf *sb, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        sb_puts(sb, s);
        return;
    }
    sb_putc(sb, '"');
    for (; *s; s++) {
        if (*s == '"')
            sb_putc(sb, '"');
        sb_putc(sb, *s);
    }
    sb_putc(sb, '"');
}

void web_page_begin(strbuf *sb, const char *title)
{
    web_page_begin_lang(sb, "en", title);
}

void web_page_begin_lang(strbuf *sb, const char *lang, const char *title)
{
    sb_puts(sb, "<!DOCTYPE html>\n<html lang=\"");
    html_escape(sb, lang);
    sb_puts(sb, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>");
    html_escape(sb, title);
    sb_puts(sb, "</title>\n<style>");
    sb_puts(sb, page_css);
    sb_puts(sb, "</style>\n</head>\n<body>\n<main>\n");
}

void web_page_end(strbuf *sb)
{
    sb_puts(sb, "</main>\n</body>\n</html>\n");
}

void web_add_header(struct web_request *w, const char *name, const char *value)
{
    evhttp_add_header(evhttp_request_get_output_headers(w->req), name, value);
}

/* The security headers, then the body as content_type. */
void web_send_as(struct web_request *w, int status, const char *content_type, strbuf *body_text)
{
    if (w->sent)
        return;
    w->sent = true;
    struct evkeyvalq *out = evhttp_request_get_output_headers(w->req);
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++) {
        const char *name = security_headers[i][0], *value = security_headers[i][1];
        if (w->csp && !strcmp(name, "Content-Security-Policy"))
            value = w->csp;
        else if (w->cacheable && !strcmp(name, "Cache-Control"))
            value = "public, max-age=86400";
        evhttp_remove_header(out, name);
        evhttp_add_header(out, name, value);
    }
    evhttp_remove_header(out, "Content-Type");
    evhttp_add_header(out, "Content-Type", content_type);
    struct evbuffer *body = evbuffer_new();
    if (!body || body_text->err) {
        if (body)
            evbuffer_free(body);
        evhttp_send_error(w->req, 500, NULL);
        return;
    }
    evbuffer_add(body, sb_str(body_text), body_text->len);
    evhttp_send_reply(w->req, status, NULL, body);
    evbuffer_free(body);
}

void web_send(struct web_request *w, int status, strbuf *page)
{
    web_send_as(w, status, "text/html; charset=utf-8", page);
}

void web_send_text(struct web_request *w, int status, strbuf *body)
{
    web_send_as(w, status, "text/plain; charset=utf-8", body);
}

void web_send_message(struct web_request *w, int status, const char *heading, const char *msg)
{
    strbuf sb;
    sb_init(&sb);
    web_page_begin(&sb, heading);
    sb_puts(&sb, "<h1>");
    html_escape(&sb, heading);
    sb_puts(&sb, "</h1>\n<p>");
    html_escape(&sb, msg);
    sb_puts(&sb, "</p>\n");
    web_page_end(&sb);
    web_send(w, status, &sb);
    sb_free(&sb);
}

void web_not_found(struct web_request *w)
{
    web_send_message(w, 404, text.not_found_heading, text.not_found_text);
}

void web_method_not_allowed(struct web_request *w, const char *allow)
{
    web_add_header(w, "Allow", allow);
    web_send_message(w, 405, text.method_heading, text.method_text);
}

void web_retry_after(struct web_request *w, int64_t seconds)
{
    char after[24];
    snprintf(after, sizeof after, "%lld", (long long)(seconds > 0 ? seconds : 1));
    web_add_header(w, "Retry-After", after);
}

void web_too_large(struct web_request *w)
{
    web_add_header(w, "Connection", "close");
    web_send_message(w, 413, text.too_large_heading, text.too_large_text);
}

void web_unavailable(struct web_request *w)
{
    web_retry_after(w, 60);
    web_send_message(w, 503, text.unavailable_heading, text.unavailable_text);
}

void web_set_cookie(struct web_request *w, const char *name, const char *value, const char *path,
                    int max_age)
{
    /* room for the 4096 bytes browsers keep of a cookie (the portal's
     * messages and kept forms run to a few hundred and more) */
    char base[256], header[4096 + 512], age[32] = "";
    bool https = !strncasecmp(w->cfg->http_base_url, "https://", 8);
    if (max_age >= 0)
        snprintf(age, sizeof age, "; Max-Age=%d", max_age);
    int n = snprintf(header, sizeof header, "%s=%s; Path=%s%s; HttpOnly; SameSite=Strict%s%s",
                     name, value, web_base_path(w->cfg->http_base_url, base, sizeof base), path,
                     age, https ? "; Secure" : "");
    if (n < 0 || (size_t)n >= sizeof header)
        return; /* a cut value would be read as another: none at all */
    web_add_header(w, "Set-Cookie", header);
}

void web_redirect(struct web_request *w, const char *path)
{
    char base[256], location[512];
    snprintf(location, sizeof location, "%s%s",
             web_base_path(w->cfg->http_base_url, base, sizeof base), path);
    web_add_header(w, "Location", location);
    strbuf empty;
    sb_init(&empty);
    web_send_as(w, 303, "text/plain; charset=utf-8", &empty);
    sb_free(&empty);
}

const char *web_header(const struct web_request *w, const char *name)
{
    return evhttp_find_header(evhttp_request_get_input_headers(w->req), name);
}

/* Finds name=value in one Cookie header value (RFC 6265 §4.2.1). */
static bool cookie_in(const char *header, const char *name, char *out, size_t n)
{
    size_t name_len = strlen(name);
    for (const char *p = header; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        const char *end = p + strcspn(p, ";");
        if (!strncmp(p, name, name_len) && p[name_len] == '=') {
            const char *v = p + name_len + 1;
            size_t len = (size_t)(end - v);
            while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
                len--;
            if (len >= n)
                return false;
            memcpy(out, v, len);
            out[len] = '\0';
            return true;
        }
        p = end;
    }
    return false;
}

bool web_cookie(const struct web_request *w, const char *name, char *out, size_t n)
{
    const struct evkeyvalq *in = evhttp_request_get_input_headers(w->req);
    for (const struct evkeyval *kv = in->tqh_first; kv; kv = kv->next.tqe_next)
        if (!strcasecmp(kv->key, "Cookie") && cookie_in(kv->value, name, out, n))
            return true;
    return false;
}

/* Field `name` of the urlencoded text into out. */
static bool urlencoded_field(const char *encoded, size_t len, const char *name, char *out, size_t n)
{
    struct evkeyvalq fields = {0};
    bool found = false;
    if (strlen(encoded) == len && evhttp_parse_query_str(encoded, &fields) == 0) {
        const char *v = evhttp_find_header(&fields, name);
        if (v && strlen(v) < n) {
            memcpy(out, v, strlen(v) + 1);
            found = true;
        }
    }
    evhttp_clear_headers(&fields);
    return found;
}

bool web_form_field(const struct web_request *w, const char *name, char *out, size_t n)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(w->req);
    size_t len = evbuffer_get_length(in);
    char *body = malloc(len + 1);
    if (!body)
        return false;
    evbuffer_copyout(in, body, len);
    body[len] = '\0';
    bool found = urlencoded_field(body, len, name, out, n);
    free(body);
    return found;
}

bool web_query_field(const struct web_request *w, const char *name, char *out, size_t n)
{
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(w->req);
    const char *q = uri ? evhttp_uri_get_query(uri) : NULL;
    return q && urlencoded_field(q, strlen(q), name, out, n);
}

/* The parsed query string of the request (fields empty when there is none). */
static bool query_of(const struct web_request *w, struct evkeyvalq *fields)
{
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(w->req);
    const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
    return query && evhttp_parse_query_str(query, fields) == 0;
}

size_t web_query_values(const struct web_request *w, const char *name, strbuf *out)
{
    struct evkeyvalq fields = {0};
    size_t n = 0;
    if (query_of(w, &fields))
        for (struct evkeyval *kv = fields.tqh_first; kv; kv = kv->next.tqe_next)
            if (!strcmp(kv->key, name) && !strchr(kv->value, '\n')) {
                sb_puts(out, kv->value);
                sb_putc(out, '\n');
                n++;
            }
    evhttp_clear_headers(&fields);
    return n;
}

bool web_origin(const char *url, char *out, size_t n)
{
    const char *scheme = !strncasecmp(url, "https://", 8) ? "https"
                         : !strncasecmp(url, "http://", 7) ? "http"
                                                           : NULL;
    if (!scheme)
        return false;
    const char *host = url + strlen(scheme) + 3;
    size_t len = strcspn(host, "/?#");
    const char *default_port = !strcmp(scheme, "https") ? ":443" : ":80";
    size_t dp = strlen(default_port);
    if (len > dp && !strncmp(host + len - dp, default_port, dp))
        len -= dp;
    if (!len || memchr(host, '@', len) || strlen(scheme) + 3 + len >= n)
        return false;
    int k = snprintf(out, n, "%s://", scheme);
    for (size_t i = 0; i < len; i++)
        out[k + i] = (char)tolower((unsigned char)host[i]);
    out[k + len] = '\0';
    return true;
}

const char *web_base_path(const char *base_url, char *out, size_t n)
{
    const char *p = strstr(base_url, "://");
    p = p ? p + 3 + strcspn(p + 3, "/") : base_url + strlen(base_url);
    size_t len = strcspn(p, "?#");
    while (len && p[len - 1] == '/')
        len--;
    snprintf(out, n, "%.*s", (int)len, p);
    return out;
}

/* The last comma-separated item of a header value, trimmed, into out. */
static bool last_item(const char *header, char *out, size_t n)
{
    if (!header)
        return false;
    const char *last = strrchr(header, ',');
    last = last ? last + 1 : header;
    while (*last == ' ' || *last == '\t')
        last++;
    size_t len = strlen(last);
    while (len && (last[len - 1] == ' ' || last[len - 1] == '\t'))
        len--;
    if (!len || len >= n)
        return false;
    memcpy(out, last, len);
    out[len] = '\0';
    return true;
}

bool web_forwarded_for(const char *header, char *out, size_t n)
{
    char ip[NETADDR_STRLEN];
    struct netaddr_source src;
    if (!last_item(header, ip, sizeof ip) || !netaddr_source_parse(ip, &src) || strlen(ip) >= n)
        return false;
    memcpy(out, ip, strlen(ip) + 1);
    return true;
}

void web_client_of(const struct web_request *w, const char *proxies, struct web_client *out)
{
    *out = (struct web_client){0};
    snprintf(out->ip, sizeof out->ip, "%s", w->peer);
    if (!proxies || !*proxies || !netaddr_prefix_list_contains(proxies, w->peer))
        return;
    out->via_proxy = true;
    web_forwarded_for(web_header(w, "X-Forwarded-For"), out->ip, sizeof out->ip);
    char proto[16];
    out->tls = last_item(web_header(w, "X-Forwarded-Proto"), proto, sizeof proto) &&
               !strcasecmp(proto, "https");
}
