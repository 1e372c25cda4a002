/* The XML console (R12): a registrar's hand-written <epp> document run
 * through exactly the EPP command pipeline (w->epp, given by the daemon:
 * schema check, dispatch, the same handlers, the EPP log with session
 * "portal-console", history with channel "portal-console"). The POST
 * answers with a redirect to the command's svTRID; the page then shows
 * the request and the response as the EPP log keeps them, so a reload
 * never sends the command again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console_samples.h"
#include "contrib/log.h"
#include "html.h"
#include "portal_internal.h"
#include "registry/audit.h"

/* The largest document taken. The form's body is bounded by [http]
 * max_body too (64 KiB by default, and a document grows when it is
 * form-encoded), so the bound here is what a registrar meets first. */
#define CONSOLE_MAX (32 * 1024)

/* The logged command the page shows. */
struct logged {
    bool found;
    int code;
    char svtrid[48];
    strbuf request, response;
};

static void logged_copy(const struct audit_entry *a, void *arg)
{
    struct logged *l = arg;
    l->found = true;
    l->code = a->result_code;
    snprintf(l->svtrid, sizeof l->svtrid, "%s", a->svtrid);
    sb_puts(&l->request, a->request ? a->request : "");
    sb_puts(&l->response, a->response ? a->response : "");
}

/* The sample with the registry's TLD put in for "@TLD@". */
static void sample_text(const struct portal_ctx *c, const char *xml, strbuf *out)
{
    static const char mark[] = "@TLD@";
    for (const char *p = xml, *m; *p; p = m + sizeof mark - 1) {
        m = strstr(p, mark);
        if (!m) {
            sb_puts(out, p);
            break;
        }
        sb_append(out, p, (size_t)(m - p));
        sb_puts(out, c->w->cfg->tld_name);
    }
}

/* A GET form choosing a sample: it fills the textarea without script. */
static void sample_form(strbuf *sb, const struct portal_ctx *c, const char *chosen)
{
    char action[320];
    h_open(sb, "form", "method", "get", "class", "row g-2 mb-3 align-items-end", "action",
           portal_url(c, PORTAL_PREFIX "/console", action, sizeof action), NULL);
    h_open(sb, "div", "class", "col-sm-8 col-lg-5", NULL);
    h_elem(sb, "label", portal_t(c, T_CONSOLE_SAMPLE), "for", "sample", "class", "form-label",
           NULL);
    h_open(sb, "select", "id", "sample", "name", "sample", "class", "form-select", NULL);
    for (size_t i = 0; i < console_samples_n; i++)
        h_elem(sb, "option", console_samples[i].id, "value", console_samples[i].id,
               strcmp(chosen, console_samples[i].id) ? NULL : "selected", NULL, NULL);
    h_close(sb, "select");
    h_close(sb, "div");
    h_open(sb, "div", "class", "col-auto", NULL);
    h_elem(sb, "button", portal_t(c, T_CONSOLE_LOAD), "type", "submit", "id", "load-sample",
           "class", "btn btn-outline-secondary", NULL);
    h_close(sb, "div");
    h_close(sb, "form");
}

static void send_form(strbuf *sb, const struct portal_ctx *c, const char *text)
{
    char action[320];
    const char *error = portal_field_error(c, "xml");
    h_open(sb, "form", "method", "post", "class", "mb-4", "action",
           portal_url(c, PORTAL_PREFIX "/console", action, sizeof action), NULL);
    portal_csrf_field(sb, c->s.csrf);
    h_open(sb, "div", "class", "mb-3", NULL);
    h_elem(sb, "label", portal_t(c, T_CONSOLE_DOCUMENT), "for", "xml", "class", "form-label",
           NULL);
    /* no maxlength: a browser would cut a pasted document short without
     * a word; the POST says what the bound is */
    h_elem(sb, "textarea", text, "id", "xml", "name", "xml", "rows", "18", "spellcheck", "false",
           "wrap", "off", "class",
           error ? "form-control font-monospace is-invalid" : "form-control font-monospace",
           "aria-describedby", "xml-help", NULL);
    if (error)
        h_elem(sb, "div", error, "class", "invalid-feedback", NULL);
    h_elem(sb, "div", portal_t(c, T_CONSOLE_HELP), "id", "xml-help", "class", "form-text", NULL);
    h_close(sb, "div");
    h_elem(sb, "button", portal_t(c, T_CONSOLE_SEND), "type", "submit", "id", "send", "class",
           "btn btn-primary", NULL);
    h_close(sb, "form");
}

/* The response as the EPP log keeps it, indented for reading. */
static void response_view(strbuf *sb, const struct portal_ctx *c, const struct logged *l)
{
    char head[160], code[16];
    snprintf(code, sizeof code, "%d", l->code);
    h_elem(sb, "h2",
           portal_tf(c, T_CONSOLE_RESULT, head, sizeof head, code, l->svtrid, NULL),
           "class", "h5", "id", "result", NULL);
    char *pretty = c->w->epp->indent(sb_str(&l->response), l->response.len);
    h_open(sb, "pre", "class", "border rounded bg-light p-3", NULL);
    h_elem(sb, "code", pretty ? pretty : sb_str(&l->response), "id", "response", NULL);
    h_close(sb, "pre");
    free(pretty);
}

/* The role (and for a POST the CSRF token) and the pipeline: false when
 * the request is answered already. */
static bool console_ready(struct portal_ctx *c, bool post)
{
    if (!(post ? portal_post_ok(c, PORTAL_REGISTRAR) : portal_require(c, PORTAL_REGISTRAR)))
        return false;
    if (!c->w->epp) {
        portal_send_message(c, 503, T_CONSOLE_TITLE, T_UNAVAILABLE);
        return false;
    }
    return true;
}

void portal_console(struct portal_ctx *c)
{
    if (!console_ready(c, false))
        return;
    char chosen[48] = "", svtrid[48] = "";
    web_query_field(c->w, "sample", chosen, sizeof chosen);
    web_query_field(c->w, "svtrid", svtrid, sizeof svtrid);
    struct logged l = {0};
    sb_init(&l.request);
    sb_init(&l.response);
    if (svtrid[0]) {
        /* only this registrar's own commands */
        struct audit_filter f = {.registrar = c->s.registrar, .svtrid = svtrid, .limit = 1,
                                 .full = true};
        reg_status st = {0};
        if (audit_epp_each(c->op.db, &f, logged_copy, &l, &st)) {
            sb_free(&l.request);
            sb_free(&l.response);
            portal_unavailable(c, "portal-console-log-failed", &st);
            return;
        }
    }
    strbuf text;
    sb_init(&text);
    const struct console_sample *sample = console_sample_find(chosen[0] ? chosen : "domain-info");
    if (l.found && !chosen[0])
        sb_puts(&text, sb_str(&l.request));
    else if (sample)
        sample_text(c, sample->xml, &text);
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_CONSOLE_TITLE));
    h_elem(&sb, "p", portal_t(c, T_CONSOLE_INTRO), NULL);
    sample_form(&sb, c, sample ? sample->id : "");
    send_form(&sb, c, sb_str(&text));
    if (l.found)
        response_view(&sb, c, &l);
    else if (svtrid[0])
        h_elem(&sb, "p", portal_t(c, T_CONSOLE_NO_SUCH), "class", "text-muted", NULL);
    sb_free(&text);
    sb_free(&l.request);
    sb_free(&l.response);
    portal_page_end(c, &sb, 200);
}

void portal_console_post(struct portal_ctx *c)
{
    if (!console_ready(c, true))
        return;
    /* the value is never longer than the body, which the router bounds */
    size_t n = (size_t)c->w->cfg->http_max_body + 1;
    char *xml = malloc(n);
    if (!xml) {
        reg_status st = {0};
        reg_fail(&st, REG_ERR_NOMEM, "out of memory");
        portal_unavailable(c, "portal-console-failed", &st);
        return;
    }
    xml[0] = '\0';
    web_form_field(c->w, "xml", xml, n);
    size_t len = strlen(xml);
    char msg[200], max[16];
    snprintf(max, sizeof max, "%d", CONSOLE_MAX / 1024);
    if (!len || len > CONSOLE_MAX) {
        free(xml);
        portal_flash_field(c, "xml",
                           len ? portal_tf(c, T_CONSOLE_TOO_BIG, msg, sizeof msg, max, NULL)
                               : portal_t(c, T_CONSOLE_EMPTY));
        web_redirect(c->w, PORTAL_PREFIX "/console");
        return;
    }
    struct web_epp_as as = {.registrar_id = c->s.registrar_id, .clid = c->s.registrar,
                            .peer = c->w->peer};
    char svtrid[40];
    int code = 0;
    reg_status st = {0};
    reg_err e = c->w->epp->run(c->w->epp->arg, c->op.db, &as, xml, len, svtrid, &code, &st);
    free(xml);
    if (e) {
        reg_log(LOG_ERROR, "portal", c->w->id, "portal-console-failed", "error=%s reason=%s",
                reg_errname(st.code), st.reason);
        portal_flash_set(c, st.reason);
        web_redirect(c->w, PORTAL_PREFIX "/console");
        return;
    }
    reg_log(LOG_INFO, "portal", c->w->id, "portal-console", "login=%s svtrid=%s code=%d",
            c->s.login, svtrid, code);
    char path[128];
    snprintf(path, sizeof path, PORTAL_PREFIX "/console?svtrid=%s", svtrid);
    web_redirect(c->w, path);
}
