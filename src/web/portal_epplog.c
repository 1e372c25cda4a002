/* The portal's EPP log (issue 16): this registrar's own commands from the
 * audit log (audit.h, what regctl epp-log reads, with the registrar's
 * handle always as a criterion), searchable by svTRID, clTRID, object and
 * date range, newest first, a page at a time; a command's page shows its
 * request and response as logged (redacted). */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "html.h"
#include "portal_internal.h"
#include "registry/audit.h"

#define EPPLOG PORTAL_PREFIX "/epp-log"
#define PAGE_SIZE 50

struct search {
    char svtrid[80], cltrid[80], object[NAME_MAX_LEN * 4 + 1], from[16], to[16], page[16];
    struct audit_filter f;
    struct domain_name dn;
    bool bad_date;
};

static void search_of(struct portal_ctx *c, struct search *s)
{
    memset(s, 0, sizeof *s);
    web_query_field(c->w, "svtrid", s->svtrid, sizeof s->svtrid);
    web_query_field(c->w, "cltrid", s->cltrid, sizeof s->cltrid);
    web_query_field(c->w, "object", s->object, sizeof s->object);
    web_query_field(c->w, "from", s->from, sizeof s->from);
    web_query_field(c->w, "to", s->to, sizeof s->to);
    web_query_field(c->w, "page", s->page, sizeof s->page);
    s->f.registrar = c->s.registrar; /* only this registrar's commands */
    s->f.svtrid = s->svtrid[0] ? s->svtrid : NULL;
    s->f.cltrid = s->cltrid[0] ? s->cltrid : NULL;
    s->f.objects[0] = s->object[0] ? s->object : NULL;
    /* a domain by both its labels: the client may have sent either */
    reg_status ignored;
    if (s->object[0] && !names_domain(&c->op.policy->names, s->object, &s->dn, &ignored)) {
        s->f.objects[0] = s->dn.alabel;
        s->f.objects[1] = s->dn.ulabel;
    }
    if ((s->from[0] && clock_parse(s->from, &s->f.since)) ||
        (s->to[0] && clock_parse(s->to, &s->f.until)))
        s->bad_date = true;
    else if (s->f.until)
        s->f.until += 86400; /* the whole last day */
}

static void search_query(const struct search *s, strbuf *out)
{
    const char *keys[] = {"svtrid", "cltrid", "object", "from", "to"};
    const char *values[] = {s->svtrid, s->cltrid, s->object, s->from, s->to};
    portal_query_string(keys, values, sizeof keys / sizeof keys[0], out);
}

#define COL "col-sm-6 col-lg-2"

static void search_form(strbuf *sb, struct portal_ctx *c, const struct search *s)
{
    char action[320];
    h_open(sb, "form", "method", "get", "class", "row g-3 mb-4 align-items-end", "role", "search",
           "action", portal_url(c, EPPLOG, action, sizeof action), NULL);
    portal_input(sb, COL, "svtrid", "svTRID", "text", s->svtrid, NULL);
    portal_input(sb, COL, "cltrid", "clTRID", "text", s->cltrid, NULL);
    portal_input(sb, COL, "object", portal_t(c, T_EPPLOG_OBJECT), "text", s->object, NULL);
    const char *date_error = s->bad_date ? portal_t(c, T_DOM_BAD_DATE) : NULL;
    portal_input(sb, COL, "from", portal_t(c, T_EPPLOG_FROM), "date", s->from, date_error);
    portal_input(sb, COL, "to", portal_t(c, T_EPPLOG_TO), "date", s->to, date_error);
    h_open(sb, "div", "class", COL, NULL);
    h_elem(sb, "button", portal_t(c, T_DOM_SEARCH), "type", "submit", "class", "btn btn-primary",
           NULL);
    h_close(sb, "div");
    h_close(sb, "form");
}

struct rows {
    strbuf *sb;
    const struct portal_ctx *c;
    size_t n;
    bool detail; /* the command's page: request and response */
};

static void row(const struct audit_entry *a, void *arg)
{
    struct rows *r = arg;
    char when[REG_TIME_STRLEN], code[16], us[24];
    if (r->n++ >= PAGE_SIZE)
        return; /* the one more that says there is a next page */
    clock_format(a->at, when, sizeof when);
    snprintf(code, sizeof code, "%d", a->result_code);
    snprintf(us, sizeof us, "%lld", (long long)a->duration_us);
    if (r->detail) {
        h_open(r->sb, "dl", "class", "row", "id", "facts", NULL);
        portal_fact(r->sb, "svTRID", a->svtrid, "f-svtrid");
        portal_fact(r->sb, "clTRID", a->cltrid, "f-cltrid");
        portal_fact(r->sb, portal_t(r->c, T_DATE), when, "f-when");
        portal_fact(r->sb, portal_t(r->c, T_EPPLOG_COMMAND), a->command, "f-command");
        portal_fact(r->sb, portal_t(r->c, T_EPPLOG_RESULT), code, "f-result");
        portal_fact(r->sb, portal_t(r->c, T_EPPLOG_DURATION), us, "f-duration");
        portal_fact(r->sb, portal_t(r->c, T_EPPLOG_PEER), a->peer, "f-peer");
        h_close(r->sb, "dl");
        h_elem(r->sb, "h2", portal_t(r->c, T_EPPLOG_REQUEST), "class", "h5 mt-4", NULL);
        h_elem(r->sb, "pre", a->request ? a->request : "", "class", "bg-light p-3 text-wrap",
               "id", "request", NULL);
        h_elem(r->sb, "h2", portal_t(r->c, T_EPPLOG_RESPONSE), "class", "h5 mt-4", NULL);
        h_elem(r->sb, "pre", a->response ? a->response : "", "class", "bg-light p-3 text-wrap",
               "id", "response", NULL);
        return;
    }
    h_open(r->sb, "tr", NULL);
    h_elem(r->sb, "td", when, "class", "text-nowrap", NULL);
    h_elem(r->sb, "td", a->command, NULL);
    h_open(r->sb, "td", "class", "text-break", NULL);
    portal_object_link(r->sb, r->c, EPPLOG, a->svtrid, a->svtrid);
    h_close(r->sb, "td");
    h_elem(r->sb, "td", a->cltrid ? a->cltrid : "", "class", "text-break", NULL);
    h_elem(r->sb, "td", code, NULL);
    h_elem(r->sb, "td", us, NULL);
    h_close(r->sb, "tr");
}

void portal_epplog(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    struct search s;
    search_of(c, &s);
    long long page = atoll(s.page) < 1 ? 1 : atoll(s.page);
    s.f.offset = (page - 1) * PAGE_SIZE;
    s.f.limit = PAGE_SIZE + 1;
    strbuf sb, body;
    sb_init(&sb);
    sb_init(&body);
    struct rows r = {&body, c, 0, false};
    reg_status st = {0};
    if (!s.bad_date && audit_epp_each(c->op.db, &s.f, row, &r, &st)) {
        sb_free(&body);
        if (reg_err_is_system(st.code)) {
            portal_unavailable(c, "portal-epplog-failed", &st);
            return;
        }
        s.bad_date = false; /* an object name too long: nothing matches */
        r.n = 0;
        sb_init(&body);
    }
    portal_page_begin(&sb, c, portal_t(c, T_EPPLOG));
    h_elem(&sb, "p", portal_t(c, T_EPPLOG_INTRO), "class", "text-muted", NULL);
    search_form(&sb, c, &s);
    if (!r.n) {
        h_elem(&sb, "p", portal_t(c, T_EPPLOG_NONE), "id", "found", NULL);
    } else {
        const enum portal_text_id cols[] = {T_DATE, T_EPPLOG_COMMAND, T_EPPLOG_SVTRID,
                                            T_EPPLOG_CLTRID, T_EPPLOG_RESULT, T_EPPLOG_DURATION};
        portal_table_begin(&sb, c, "epp-log", cols, sizeof cols / sizeof cols[0]);
        sb_append(&sb, sb_str(&body), body.len); /* written by the same escaping writer */
        portal_table_end(&sb);
    }
    sb_free(&body);
    strbuf q;
    sb_init(&q);
    search_query(&s, &q);
    portal_pager(&sb, c, EPPLOG, sb_str(&q), page, r.n > PAGE_SIZE);
    sb_free(&q);
    portal_page_end(c, &sb, 200);
}

void portal_epplog_entry(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    char *svtrid = portal_arg(c);
    struct audit_filter f = {.registrar = c->s.registrar, .svtrid = svtrid, .limit = 1,
                             .full = true};
    strbuf body;
    sb_init(&body);
    struct rows r = {&body, c, 0, true};
    reg_status st = {0};
    if (svtrid && audit_epp_each(c->op.db, &f, row, &r, &st)) {
        free(svtrid);
        sb_free(&body);
        portal_unavailable(c, "portal-epplog-failed", &st);
        return;
    }
    if (!r.n) { /* none, or another registrar's */
        free(svtrid);
        sb_free(&body);
        portal_send_message(c, 404, T_EPPLOG_NOT_FOUND, T_EPPLOG_NOT_FOUND_TEXT);
        return;
    }
    strbuf sb;
    sb_init(&sb);
    portal_detail_begin(&sb, c, svtrid, EPPLOG, T_BACK_TO_EPPLOG);
    free(svtrid);
    sb_append(&sb, sb_str(&body), body.len); /* written by the same escaping writer */
    sb_free(&body);
    portal_page_end(c, &sb, 200);
}
