/* What the pages of the registrar's objects share (Contacts, Hosts, Poll
 * messages, EPP log): a list page with its search and pages, tables,
 * facts, links, and what follows a change. */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "html.h"
#include "portal_internal.h"

const char *portal_date(reg_time t, char out[REG_TIME_STRLEN])
{
    if (!t)
        return strcpy(out, "");
    return clock_format_date(t, out, REG_TIME_STRLEN);
}

void portal_pager(strbuf *sb, const struct portal_ctx *c, const char *path, const char *query,
                  long long page, bool more)
{
    char p[1600], href[1900];
    const struct {
        bool on;
        long long to;
        enum portal_text_id text;
        const char *rel;
    } links[] = {{page > 1, page - 1, T_DOM_PREV, "prev"}, {more, page + 1, T_DOM_NEXT, "next"}};
    h_open(sb, "nav", "aria-label", portal_t(c, T_PAGES), NULL);
    h_open(sb, "ul", "class", "pagination", NULL);
    for (size_t i = 0; i < 2; i++) {
        if (!links[i].on)
            continue;
        snprintf(p, sizeof p, "%s?%s%spage=%lld", path, query, *query ? "&" : "", links[i].to);
        h_open(sb, "li", "class", "page-item", NULL);
        h_elem(sb, "a", portal_t(c, links[i].text), "class", "page-link", "rel", links[i].rel,
               "href", portal_url(c, p, href, sizeof href), NULL);
        h_close(sb, "li");
    }
    h_close(sb, "ul");
    h_close(sb, "nav");
}

/* A row of a facts list. */
void portal_fact(strbuf *sb, const char *term, const char *value, const char *id)
{
    h_elem(sb, "dt", term, "class", "col-sm-4 col-lg-3", NULL);
    h_elem(sb, "dd", value ? value : "", "class", "col-sm-8 col-lg-9 text-break", "id", id, NULL);
}

/* "2027-01-01T00:00:00Z by REGA", nothing for a time never set. */
void portal_fact_when(strbuf *sb, const struct portal_ctx *c, enum portal_text_id term,
                      reg_time t, const char *who, const char *id)
{
    char when[REG_TIME_STRLEN], text[REG_TIME_STRLEN + 64];
    if (!t)
        return;
    clock_format(t, when, sizeof when);
    if (who && *who)
        portal_tf(c, T_DOM_BY, text, sizeof text, when, who, NULL);
    else
        snprintf(text, sizeof text, "%s", when);
    portal_fact(sb, portal_t(c, term), text, id);
}

/* The page's last route segment, percent-decoded (malloc'd, NULL: none). */
char *portal_arg(const struct portal_ctx *c)
{
    return c->arg ? evhttp_uridecode(c->arg, 0, NULL) : NULL;
}

/* The search box of a list page (?q=). */
void portal_search_box(strbuf *sb, const struct portal_ctx *c, const char *path, const char *q,
                       enum portal_text_id label)
{
    char action[320];
    h_open(sb, "form", "method", "get", "class", "row g-3 mb-4 align-items-end", "role", "search",
           "action", portal_url(c, path, action, sizeof action), NULL);
    h_open(sb, "div", "class", "col-sm-8 col-lg-6", NULL);
    h_elem(sb, "label", portal_t(c, label), "for", "q", "class", "form-label", NULL);
    h_void(sb, "input", "id", "q", "name", "q", "type", "search", "value", q, "class",
           "form-control", NULL);
    h_close(sb, "div");
    h_open(sb, "div", "class", "col-sm-4 col-lg-3", NULL);
    h_elem(sb, "button", portal_t(c, T_DOM_SEARCH), "type", "submit", "class", "btn btn-primary",
           NULL);
    h_close(sb, "div");
    h_close(sb, "form");
}

/* "q=…" of the list's search ("" for none) into out. */
void portal_query_of(const char *q, char *out, size_t n)
{
    char *enc = *q ? evhttp_encode_uri(q) : NULL;
    snprintf(out, n, "%s%s", enc ? "q=" : "", enc ? enc : "");
    free(enc);
}

/* An object page's link: path/arg. */
void portal_object_link(strbuf *sb, const struct portal_ctx *c, const char *path, const char *arg,
                        const char *text)
{
    char p[600], href[900];
    char *enc = evhttp_encode_uri(arg);
    snprintf(p, sizeof p, "%s/%s", path, enc ? enc : "");
    free(enc);
    h_elem(sb, "a", text, "href", portal_url(c, p, href, sizeof href), NULL);
}


void portal_table_begin(strbuf *sb, const struct portal_ctx *c, const char *id,
                        const enum portal_text_id *cols, size_t n)
{
    h_open(sb, "div", "class", "table-responsive", NULL);
    h_open(sb, "table", "class", "table table-striped align-middle", "id", id, NULL);
    portal_thead(sb, c, cols, n);
    h_open(sb, "tbody", NULL);
}

void portal_table_end(strbuf *sb)
{
    h_close(sb, "tbody");
    h_close(sb, "table");
    h_close(sb, "div");
}

void portal_detail_begin(strbuf *sb, struct portal_ctx *c, const char *title,
                         const char *back_path, enum portal_text_id back_text)
{
    char href[320];
    portal_page_begin(sb, c, title);
    h_open(sb, "p", NULL);
    h_elem(sb, "a", portal_t(c, back_text), "href", portal_url(c, back_path, href, sizeof href),
           NULL);
    h_close(sb, "p");
}

#define LIST_PAGE 50

void portal_list_page(struct portal_ctx *c, const struct portal_list *l)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    char q[256] = "", pg[16] = "";
    web_query_field(c->w, "q", q, sizeof q);
    web_query_field(c->w, "page", pg, sizeof pg);
    long long page = atoll(pg) < 1 ? 1 : atoll(pg);
    char *rows = calloc(LIST_PAGE, l->row_size);
    size_t n = 0;
    int64_t total = 0;
    reg_status st = {0};
    if (!rows)
        reg_fail(&st, REG_ERR_NOMEM, "out of memory");
    if (!rows || l->fetch(&c->op, c->s.registrar_id, q, (page - 1) * LIST_PAGE, LIST_PAGE, rows,
                          &n, &total, &st)) {
        free(rows);
        portal_unavailable(c, l->failed, &st);
        return;
    }
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, l->title));
    char href[320], path[300];
    snprintf(path, sizeof path, "%s/new", l->path);
    h_open(&sb, "p", NULL);
    h_elem(&sb, "a", portal_t(c, l->new_text), "class", "btn btn-primary", "id", l->new_id,
           "href", portal_url(c, path, href, sizeof href), NULL);
    h_close(&sb, "p");
    portal_search_box(&sb, c, l->path, q, l->search_label);
    char found[200], t[24];
    snprintf(t, sizeof t, "%lld", (long long)total);
    h_elem(&sb, "p", n ? portal_tf(c, T_OBJECTS_FOUND, found, sizeof found, t, NULL)
                       : portal_t(c, l->none),
           "id", "found", NULL);
    if (n) {
        portal_table_begin(&sb, c, l->table_id, l->cols, l->ncols);
        for (size_t i = 0; i < n; i++)
            l->row(&sb, c, rows + i * l->row_size);
        portal_table_end(&sb);
    }
    char query[800];
    portal_query_of(q, query, sizeof query);
    portal_pager(&sb, c, l->path, query, page, page * LIST_PAGE < total);
    free(rows);
    portal_page_end(c, &sb, 200);
}

void portal_after_change(struct portal_ctx *c, reg_err e, const char *event, bool form_kept,
                         const char *back, const char *done, const char *msg)
{
    if (reg_err_is_system(e))
        return; /* portal_run answered */
    reg_log(LOG_INFO, "portal", c->w->id, event, "login=%s result=%s%s%s", c->s.login,
            e ? "refused" : "done", e ? " reason=" : "", e ? reg_errname(e) : "");
    if (e && form_kept)
        portal_flash_set(c, ""); /* the form shows the message */
    else if (!e)
        portal_flash_ok(c, msg);
    web_redirect(c->w, e ? back : done);
}

void portal_input(strbuf *sb, const char *col, const char *id, const char *label,
                  const char *type, const char *value, const char *error)
{
    h_open(sb, "div", "class", col, NULL);
    h_elem(sb, "label", label, "for", id, "class", "form-label", NULL);
    h_void(sb, "input", "id", id, "name", id, "type", type, "value", value, "class",
           error ? "form-control is-invalid" : "form-control", NULL);
    if (error)
        h_elem(sb, "div", error, "class", "invalid-feedback", NULL);
    h_close(sb, "div");
}

void portal_query_string(const char *const *keys, const char *const *values, size_t n,
                         strbuf *out)
{
    for (size_t i = 0; i < n; i++) {
        char *enc = evhttp_encode_uri(values[i]);
        if (!enc)
            continue;
        sb_printf(out, "%s%s=%s", out->len ? "&" : "", keys[i], enc);
        free(enc);
    }
}
