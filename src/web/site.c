/* Shared parts of the sites with logins (site.h). */
#include "site.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contrib/log.h"
#include "contrib/secret.h"
#include "csrf.h"
#include "html.h"
#include "notify/templates.h"

#define BOOTSTRAP_CSS "/css/bootstrap.min.css"

void site_flash_set(struct web_request *w, const char *name, const char *path, const char *msg,
                    char *out, size_t n)
{
    char enc[512];
    size_t len = strlen(msg);
    if (len >= n)
        len = n - 1;
    if (len > (sizeof enc - 8) * 3 / 4)
        len = (sizeof enc - 8) * 3 / 4;
    memcpy(out, msg, len);
    out[len] = '\0';
    sodium_bin2base64(enc, sizeof enc, (const unsigned char *)msg, len,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    web_set_cookie(w, name, enc, path, 60);
}

void site_flash_read(const struct web_request *w, const char *name, char *out, size_t n)
{
    char enc[512];
    size_t len = 0;
    out[0] = '\0';
    if (!web_cookie(w, name, enc, sizeof enc) || !enc[0])
        return;
    if (sodium_base642bin((unsigned char *)out, n - 1, enc, strlen(enc), NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        len = 0;
    out[len] = '\0';
}

/* ---- static files: read once, then served from memory -------------------------------------- */

/* A file every visitor's browser asks for (the stylesheet, the logo): read
 * at its first request and kept for the life of the process, so serving it
 * costs the HTTP thread no disk reads. A file that cannot be read is tried
 * again at the next request (an operator may put it in place); a changed
 * file is seen after a restart. The lock guards only which copy is
 * current: a request takes a reference and copies the bytes into its
 * answer without it, so HTTP loops serving a 4 MiB stylesheet do not wait
 * on each other. */
struct asset_data {
    atomic_int refs; /* the asset's own, and one per request sending it */
    char path[1024];
    strbuf body;
};

struct asset {
    struct asset_data *cur;
};

static pthread_mutex_t assets_lock = PTHREAD_MUTEX_INITIALIZER;
static struct asset bootstrap_asset, logo_asset;

enum asset_result { ASSET_OK, ASSET_MISSING, ASSET_TOO_BIG };

static void asset_unref(struct asset_data *a)
{
    if (a && atomic_fetch_sub(&a->refs, 1) == 1) {
        sb_free(&a->body);
        free(a);
    }
}

/* The contents of path, at most max bytes, with one reference for the
 * caller; NULL and *r saying why not. */
static struct asset_data *asset_read(const char *path, size_t max, enum asset_result *r)
{
    *r = ASSET_MISSING;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct asset_data *a = calloc(1, sizeof *a);
    if (!a) {
        fclose(f);
        return NULL;
    }
    sb_init(&a->body);
    char buf[65536];
    size_t got;
    while (a->body.len <= max && (got = fread(buf, 1, sizeof buf, f)) > 0)
        sb_append(&a->body, buf, got);
    bool failed = ferror(f) || a->body.err;
    fclose(f);
    if (failed || a->body.len > max) {
        *r = failed ? ASSET_MISSING : ASSET_TOO_BIG;
        sb_free(&a->body);
        free(a);
        return NULL;
    }
    snprintf(a->path, sizeof a->path, "%s", path);
    atomic_init(&a->refs, 1);
    *r = ASSET_OK;
    return a;
}

/* Sends a's contents (path, at most max bytes) as type, or says why not. */
static enum asset_result asset_send(struct web_request *w, struct asset *a, const char *path,
                                    size_t max, const char *type)
{
    enum asset_result r = ASSET_OK;
    pthread_mutex_lock(&assets_lock);
    if (a->cur && strcmp(a->cur->path, path)) { /* another configuration (tests) */
        asset_unref(a->cur);
        a->cur = NULL;
    }
    if (!a->cur)
        a->cur = asset_read(path, max, &r);
    struct asset_data *mine = a->cur;
    if (mine)
        atomic_fetch_add(&mine->refs, 1);
    pthread_mutex_unlock(&assets_lock);
    if (mine) {
        w->cacheable = true;
        web_send_as(w, 200, type, &mine->body);
        asset_unref(mine);
    }
    return r;
}

#define BOOTSTRAP_MAX_BYTES (4 * 1024 * 1024)
#define LOGO_MAX_BYTES (1024 * 1024)

void site_bootstrap_css(struct web_request *w, const char *log_area)
{
    char path[1024];
    snprintf(path, sizeof path, "%s" BOOTSTRAP_CSS, w->cfg->portal_bootstrap);
    enum asset_result r =
        asset_send(w, &bootstrap_asset, path, BOOTSTRAP_MAX_BYTES, "text/css; charset=utf-8");
    if (r != ASSET_OK) {
        reg_log(LOG_WARN, log_area, w->id,
                r == ASSET_TOO_BIG ? "bootstrap-too-big" : "bootstrap-missing", "path=%s", path);
        web_not_found(w);
    }
}

void site_logo_serve(struct web_request *w)
{
    static const char *const types[][2] = {{".png", "image/png"},
                                           {".svg", "image/svg+xml"},
                                           {".jpg", "image/jpeg"},
                                           {".jpeg", "image/jpeg"},
                                           {".webp", "image/webp"}};
    const char *file = w->cfg->registry_logo;
    const char *type = NULL;
    size_t n = strlen(file);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (n > strlen(types[i][0]) && !strcasecmp(file + n - strlen(types[i][0]), types[i][0]))
            type = types[i][1];
    if (w->rest[0] || !type) {
        web_not_found(w);
        return;
    }
    enum asset_result r = asset_send(w, &logo_asset, file, LOGO_MAX_BYTES, type);
    if (r == ASSET_MISSING)
        reg_log(LOG_WARN, "http", w->id, "logo-missing", "path=%s", file);
    else if (r == ASSET_TOO_BIG)
        reg_log(LOG_WARN, "http", w->id, "logo-too-big", "path=%s limit=%d", file, LOGO_MAX_BYTES);
    if (r != ASSET_OK)
        web_not_found(w);
}

void site_logo(strbuf *sb, const struct web_request *w, const char *css_class)
{
    if (!w->cfg->registry_logo[0])
        return;
    char base[256], src[320];
    web_base_path(w->cfg->http_base_url, base, sizeof base);
    snprintf(src, sizeof src, "%s" SITE_LOGO_PATH, base);
    const char *name = w->cfg->registry_name[0] ? w->cfg->registry_name : "";
    h_void(sb, "img", "src", src, "alt", name, "class", css_class, "height", "32", NULL);
}

void site_footer(strbuf *sb, const struct reg_config *cfg, const char *lang,
                 const char *css_class)
{
    if (!cfg->registry_name[0] && !cfg->registry_support[0] && !cfg->registry_terms_url[0])
        return;
    sb_puts(sb, "\n");
    h_open(sb, "footer", "class", css_class, "id", "registry-footer", NULL);
    const char *sep = "";
    if (cfg->registry_name[0]) {
        h_text(sb, cfg->registry_name);
        sep = " \xc2\xb7 ";
    }
    if (cfg->registry_support[0]) {
        /* the labels the mails' signature uses (an operator's own too) */
        h_textf(sb, "%s%s: %s", sep, template_label("label.support", lang), cfg->registry_support);
        sep = " \xc2\xb7 ";
    }
    if (cfg->registry_terms_url[0]) {
        h_text(sb, sep);
        h_elem(sb, "a", template_label("label.terms", lang), "href", cfg->registry_terms_url,
               NULL);
    }
    h_close(sb, "footer");
}

void site_page_head(const struct web_request *w, strbuf *sb, const char *lang, const char *title,
                    const char *app, const char *css_href, const char *home_href)
{
    sb_puts(sb, "<!DOCTYPE html>\n");
    h_open(sb, "html", "lang", lang, NULL);
    h_open(sb, "head", NULL);
    h_void(sb, "meta", "charset", "utf-8", NULL);
    h_void(sb, "meta", "name", "viewport", "content", "width=device-width, initial-scale=1", NULL);
    h_open(sb, "title", NULL);
    h_textf(sb, "%s \xc2\xb7 %s", title, app);
    h_close(sb, "title");
    h_void(sb, "link", "rel", "stylesheet", "href", css_href, NULL);
    /* no icon: otherwise the browser asks for /favicon.ico on every page */
    h_void(sb, "link", "rel", "icon", "href", "data:,", NULL);
    h_close(sb, "head");
    sb_puts(sb, "\n");
    h_open(sb, "body", NULL);
    h_open(sb, "nav", "class", "navbar navbar-expand-md bg-light border-bottom mb-4",
           "aria-label", app, NULL);
    h_open(sb, "div", "class", "container flex-wrap", NULL);
    h_open(sb, "a", "class", "navbar-brand", "href", home_href, NULL);
    site_logo(sb, w, "me-2 align-text-top");
    if (w->cfg->registry_name[0])
        h_textf(sb, "%s \xc2\xb7 ", w->cfg->registry_name);
    h_text(sb, app);
    h_close(sb, "a");
}

void site_page_end(struct web_request *w, strbuf *sb, const char *lang, int status)
{
    h_close(sb, "main");
    site_footer(sb, w->cfg, lang, "container border-top mt-5 py-3 small text-muted");
    h_close(sb, "body");
    h_close(sb, "html");
    sb_puts(sb, "\n");
    web_send(w, status, sb);
    sb_free(sb);
}

bool site_form_token_ok(const struct web_request *w, const char *expected)
{
    char got[SECRET_SHA256_HEX + 1];
    bool ok = web_form_field(w, CSRF_FIELD, got, sizeof got) && strlen(got) == strlen(expected) &&
              secret_equal(got, expected) &&
              csrf_origin_ok(web_header(w, "Origin"), w->cfg->http_base_url);
    if (!ok)
        reg_log(LOG_INFO, "http", w->id, "csrf-refused", "peer=%s", w->peer);
    return ok;
}

void site_csrf_field(strbuf *sb, const char *value)
{
    h_void(sb, "input", "type", "hidden", "name", CSRF_FIELD, "value", value, NULL);
}

void site_field(strbuf *sb, const char *id, const char *label, const char *type,
                const char *autocomplete, bool autofocus)
{
    h_open(sb, "div", "class", "mb-3", NULL);
    h_elem(sb, "label", label, "for", id, "class", "form-label", NULL);
    h_void(sb, "input", "id", id, "name", id, "type", type, "class", "form-control",
           "autocomplete", autocomplete, "required", NULL, autofocus ? "autofocus" : NULL, NULL,
           NULL);
    h_close(sb, "div");
}

void site_username_field(strbuf *sb, const char *value)
{
    h_void(sb, "input", "type", "text", "name", "username", "autocomplete", "username", "value",
           value, "hidden", NULL, NULL);
}

bool site_session_token(const struct web_request *w, const char *name, char *token, size_t n)
{
    if (!web_cookie(w, name, token, n) || !web_token_valid(token)) {
        token[0] = '\0';
        return false;
    }
    return true;
}

/* The primary tag of a language range ("da-DK" → "da"), Norwegian's
 * macrolanguage and Nynorsk as Bokmål. */
static void primary_tag(const char *range, size_t len, char out[4])
{
    size_t i = 0;
    while (i < len && i < 3 && range[i] != '-' && range[i] != '_')
        out[i] = (char)(range[i] | 0x20), i++;
    out[i] = '\0';
    if (i == len || range[i] == '-' || range[i] == '_') {
        if (!strcmp(out, "no") || !strcmp(out, "nn"))
            strcpy(out, "nb");
    } else {
        out[0] = '\0'; /* longer than a primary tag we know */
    }
}

const char *site_accept_language(const char *header, const char *const *langs, size_t nlangs)
{
    const char *best = NULL;
    int best_q = 0;
    for (const char *p = header ? header : ""; *p;) {
        p += strspn(p, " \t,");
        size_t len = strcspn(p, ";, \t");
        if (!len)
            break;
        const char *range = p;
        p += len;
        int q = 1000;
        const char *end = p + strcspn(p, ",");
        const char *qs = strstr(p, "q=");
        if (qs && qs < end) {
            double v = strtod(qs + 2, NULL);
            q = v < 0 ? 0 : v > 1 ? 1000 : (int)(v * 1000 + 0.5);
        }
        p = end;
        char tag[4];
        primary_tag(range, len, tag);
        for (size_t i = 0; tag[0] && i < nlangs; i++)
            if (!strcmp(tag, langs[i]) && q > best_q) {
                best = langs[i];
                best_q = q;
            }
    }
    return best;
}

bool site_route_match(const char *path, const char *rest, const char **arg)
{
    size_t n = strlen(path);
    if (n && path[n - 1] == '*') {
        if (strncmp(rest, path, n - 1) || !rest[n - 1] || strchr(rest + n - 1, '/'))
            return false;
        *arg = rest + n - 1;
        return true;
    }
    *arg = NULL;
    return !strcmp(rest, path);
}

bool site_gate_ok(struct web_request *w, const char *log_area)
{
    struct web_client client;
    int64_t wait_s;
    web_client_of(w, w->cfg->http_proxies, &client);
    if (web_password_gate_take(w, client.ip, &wait_s))
        return true;
    web_retry_after(w, wait_s);
    reg_log(LOG_INFO, log_area, w->id, "login-rate", "peer=%s", client.ip);
    return false;
}

void site_send_file(struct web_request *w, const char *type, const char *name, strbuf *body)
{
    char disposition[128];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", name);
    web_add_header(w, "Content-Disposition", disposition);
    web_send_as(w, 200, type, body);
}
