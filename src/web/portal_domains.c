/* The portal's domains (issue 16): the list with its search and CSV
 * export, a domain's page with everything domain:info shows and its
 * history, its changes (name servers, renewal, auth info) and the form
 * that starts a bulk change (portal_domain_life.c has the rest of a
 * domain's changes and the bulk pages). Every change goes through
 * registry/portal_domains.h, which uses EPP's operations. */
#include <event2/http.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "html.h"
#include "portal_internal.h"
#include "registry/domain.h"
#include "registry/history.h"
#include "registry/portal_domains.h"

#define PAGE_SIZE 50
#define HISTORY_SHOWN 50

/* The statuses a search offers: the derived ones, then the stored ones a
 * registrar meets most (RFC 5731 §2.3, RFC 3915). */
static const char *const search_statuses[] = {
    "ok", "inactive", "clientHold", "clientTransferProhibited", "clientUpdateProhibited",
    "clientDeleteProhibited", "clientRenewProhibited", "serverHold", "serverTransferProhibited",
    "serverUpdateProhibited", "serverDeleteProhibited", "pendingDelete", "pendingTransfer",
};

/* The operation as the logged-in user's registrar, through the portal. */
struct reg_op portal_domain_op(const struct portal_ctx *c)
{
    struct reg_op op = c->op;
    op.registrar_id = c->s.registrar_id;
    op.actor = c->s.registrar;
    return op;
}

static const char *date_of(reg_time t, char out[REG_TIME_STRLEN])
{
    if (!t)
        return strcpy(out, "");
    return clock_format_date(t, out, REG_TIME_STRLEN);
}

/* ---- the search ------------------------------------------------------------------------------ */

struct search {
    char name[NAME_MAX_LEN * 4 + 1], status[40], from[16], to[16], contact[HANDLE_MAX];
    char page[16];
    struct portal_domain_filter f;
    bool bad_date;
};

/* The search of the query string (?name=&status=&from=&to=&contact=&page=). */
static void search_of(struct portal_ctx *c, struct search *s)
{
    memset(s, 0, sizeof *s);
    web_query_field(c->w, "name", s->name, sizeof s->name);
    web_query_field(c->w, "status", s->status, sizeof s->status);
    web_query_field(c->w, "from", s->from, sizeof s->from);
    web_query_field(c->w, "to", s->to, sizeof s->to);
    web_query_field(c->w, "contact", s->contact, sizeof s->contact);
    web_query_field(c->w, "page", s->page, sizeof s->page);
    s->f = (struct portal_domain_filter){.name = s->name, .status = s->status,
                                         .contact = s->contact};
    if ((s->from[0] && clock_parse(s->from, &s->f.expires_from)) ||
        (s->to[0] && clock_parse(s->to, &s->f.expires_to)))
        s->bad_date = true;
}

/* The search's query string (without the page), for links. */
static void search_query(const struct search *s, strbuf *out)
{
    const char *keys[] = {"name", "status", "from", "to", "contact"};
    const char *values[] = {s->name, s->status, s->from, s->to, s->contact};
    portal_query_string(keys, values, sizeof keys / sizeof keys[0], out);
}

void portal_text_input(strbuf *sb, const char *id, const char *label, const char *type,
                       const char *value, const char *error)
{
    portal_input(sb, "col-sm-6 col-lg-3", id, label, type, value, error);
}

static void search_form(strbuf *sb, struct portal_ctx *c, const struct search *s)
{
    char action[320];
    h_open(sb, "form", "method", "get", "class", "row g-3 mb-4 align-items-end", "role", "search",
           "action", portal_url(c, PORTAL_PREFIX "/domains", action, sizeof action), NULL);
    portal_text_input(sb, "name", portal_t(c, T_DOM_NAME_PART), "search", s->name, NULL);
    h_open(sb, "div", "class", "col-sm-6 col-lg-3", NULL);
    h_elem(sb, "label", portal_t(c, T_STATUS), "for", "status", "class", "form-label", NULL);
    h_open(sb, "select", "id", "status", "name", "status", "class", "form-select", NULL);
    h_elem(sb, "option", portal_t(c, T_DOM_ANY_STATUS), "value", "", NULL);
    for (size_t i = 0; i < sizeof search_statuses / sizeof search_statuses[0]; i++)
        h_elem(sb, "option", search_statuses[i], "value", search_statuses[i],
               strcmp(s->status, search_statuses[i]) ? NULL : "selected", NULL, NULL);
    h_close(sb, "select");
    h_close(sb, "div");
    const char *date_error = s->bad_date ? portal_t(c, T_DOM_BAD_DATE) : NULL;
    portal_text_input(sb, "from", portal_t(c, T_DOM_EXPIRES_FROM), "date", s->from, date_error);
    portal_text_input(sb, "to", portal_t(c, T_DOM_EXPIRES_TO), "date", s->to, date_error);
    portal_text_input(sb, "contact", portal_t(c, T_DOM_CONTACT), "text", s->contact, NULL);
    h_open(sb, "div", "class", "col-sm-6 col-lg-3", NULL);
    h_elem(sb, "button", portal_t(c, T_DOM_SEARCH), "type", "submit", "class", "btn btn-primary",
           NULL);
    h_close(sb, "div");
    h_close(sb, "form");
}

/* A table's <thead> (a first column without a heading: select_column)
 * and the opening of its <tbody>. */
static void table_head(strbuf *sb, const struct portal_ctx *c, const enum portal_text_id *cols,
                       size_t n, bool select_column)
{
    h_open(sb, "thead", NULL);
    h_open(sb, "tr", NULL);
    if (select_column)
        h_elem(sb, "th", "", "scope", "col", NULL);
    for (size_t i = 0; i < n; i++)
        h_elem(sb, "th", portal_t(c, cols[i]), "scope", "col", NULL);
    h_close(sb, "tr");
    h_close(sb, "thead");
    h_open(sb, "tbody", NULL);
}

/* ---- the list -------------------------------------------------------------------------------- */

static void domain_link(strbuf *sb, const struct portal_ctx *c, const char *alabel,
                        const char *uname)
{
    char path[NAME_MAX_LEN + 64], href[NAME_MAX_LEN + 400];
    snprintf(path, sizeof path, PORTAL_PREFIX "/domains/%s", alabel);
    h_elem(sb, "a", uname, "href", portal_url(c, path, href, sizeof href), NULL);
}

static void list_table(strbuf *sb, struct portal_ctx *c, const struct portal_domain_row *rows,
                       size_t n)
{
    char date[REG_TIME_STRLEN], label[NAME_MAX_LEN * 4 + 64];
    h_open(sb, "div", "class", "table-responsive", NULL);
    h_open(sb, "table", "class", "table table-striped align-middle", "id", "domains", NULL);
    const enum portal_text_id cols[] = {T_DOM_NAME, T_STATUS, T_DOM_REGISTRANT, T_DOM_EXPIRES,
                                        T_DOM_NS};
    table_head(sb, c, cols, sizeof cols / sizeof cols[0], true);
    for (size_t i = 0; i < n; i++) {
        const struct portal_domain_row *r = &rows[i];
        h_open(sb, "tr", NULL);
        h_open(sb, "td", NULL);
        portal_tf(c, T_DOM_SELECT, label, sizeof label, r->uname, NULL);
        /* the bulk form's checkbox (form= the form below the table) */
        h_void(sb, "input", "type", "checkbox", "class", "form-check-input", "name", "d", "value",
               r->name, "form", "bulk", "aria-label", label, NULL);
        h_close(sb, "td");
        h_open(sb, "td", "class", "text-nowrap", NULL);
        domain_link(sb, c, r->name, r->uname);
        h_close(sb, "td");
        h_elem(sb, "td", r->statuses, NULL);
        h_elem(sb, "td", r->registrant, NULL);
        h_elem(sb, "td", date_of(r->expires_at, date), NULL);
        h_elem(sb, "td", r->ns, "class", "text-break", NULL);
        h_close(sb, "tr");
    }
    h_close(sb, "tbody");
    h_close(sb, "table");
    h_close(sb, "div");
}

static void page_links(strbuf *sb, struct portal_ctx *c, const struct search *s, long long page,
                       long long pages)
{
    strbuf q;
    sb_init(&q);
    search_query(s, &q);
    char path[1200], href[1500];
    h_open(sb, "nav", "aria-label", portal_t(c, T_DOM_SEARCH), NULL);
    h_open(sb, "ul", "class", "pagination", NULL);
    const struct {
        long long to;
        enum portal_text_id text;
        const char *rel;
    } links[] = {{page - 1, T_DOM_PREV, "prev"}, {page + 1, T_DOM_NEXT, "next"}};
    for (size_t i = 0; i < 2; i++) {
        if (links[i].to < 1 || links[i].to > pages)
            continue;
        snprintf(path, sizeof path, PORTAL_PREFIX "/domains?%s&page=%lld", sb_str(&q),
                 links[i].to);
        h_open(sb, "li", "class", "page-item", NULL);
        h_elem(sb, "a", portal_t(c, links[i].text), "class", "page-link", "rel", links[i].rel,
               "href", portal_url(c, path, href, sizeof href), NULL);
        h_close(sb, "li");
    }
    h_close(sb, "ul");
    h_close(sb, "nav");
    snprintf(path, sizeof path, PORTAL_PREFIX "/export/domains.csv?%s", sb_str(&q));
    h_open(sb, "p", NULL);
    h_elem(sb, "a", portal_t(c, T_DOM_EXPORT), "class", "btn btn-outline-secondary", "id",
           "export", "href", portal_url(c, path, href, sizeof href), NULL);
    h_close(sb, "p");
    sb_free(&q);
}

/* The bulk actions' first step: a GET form (the checkboxes of the table
 * belong to it) whose buttons lead to each action's confirmation page. */
static void bulk_form(strbuf *sb, struct portal_ctx *c)
{
    char action[320];
    /* Enter in a field: the first part the user has */
    const char *first = c->s.roles & PORTAL_NAMESERVER_MANAGER ? PORTAL_PREFIX "/bulk/replace-ns"
                                                               : PORTAL_PREFIX "/bulk/renew";
    h_open(sb, "form", "method", "get", "id", "bulk", "class", "mb-4", "action",
           portal_url(c, first, action, sizeof action), NULL);
    portal_bulk_fields(sb, c);
    h_close(sb, "form");
}

void portal_domains(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_DOMAIN_ROLES))
        return;
    struct search s;
    search_of(c, &s);
    long long page = atoll(s.page);
    if (page < 1)
        page = 1;
    struct portal_domain_row *rows = calloc(PAGE_SIZE, sizeof *rows);
    size_t n = 0;
    int64_t total = 0;
    reg_status st = {0};
    struct reg_op op = portal_domain_op(c);
    if (!rows) {
        reg_fail(&st, REG_ERR_NOMEM, "out of memory");
        portal_unavailable(c, "portal-domains-failed", &st);
        return;
    }
    if (!s.bad_date && portal_domains_page(&op, c->s.registrar_id, &s.f, (page - 1) * PAGE_SIZE,
                                           PAGE_SIZE, rows, &n, &total, &st)) {
        free(rows);
        portal_unavailable(c, "portal-domains-failed", &st);
        return;
    }
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_DOMAINS));
    if (c->s.roles & PORTAL_REGISTRAR) {
        char href[320];
        h_open(&sb, "p", "class", "d-flex flex-wrap gap-2", NULL);
        h_elem(&sb, "a", portal_t(c, T_NEW_LINK), "class", "btn btn-primary", "id", "new-domain",
               "href", portal_url(c, PORTAL_PREFIX "/domains/new", href, sizeof href), NULL);
        h_elem(&sb, "a", portal_t(c, T_TR_LINK), "class", "btn btn-outline-primary", "id",
               "transfer-in", "href", portal_url(c, PORTAL_PREFIX "/transfer", href, sizeof href),
               NULL);
        h_close(&sb, "p");
    }
    search_form(&sb, c, &s);
    long long pages = total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
    if (!n) {
        h_elem(&sb, "p", portal_t(c, T_DOM_NONE), "id", "found", NULL);
    } else {
        char found[200], t[24], p[24], ps[24];
        snprintf(t, sizeof t, "%lld", (long long)total);
        snprintf(p, sizeof p, "%lld", page);
        snprintf(ps, sizeof ps, "%lld", pages);
        h_elem(&sb, "p", portal_tf(c, T_DOM_FOUND, found, sizeof found, t, p, ps, NULL), "id",
               "found", NULL);
        list_table(&sb, c, rows, n);
    }
    page_links(&sb, c, &s, page, pages);
    if (n)
        bulk_form(&sb, c);
    free(rows);
    portal_page_end(c, &sb, 200);
}

/* ---- the CSV export ---------------------------------------------------------------------------- */

static int csv_row(const struct portal_domain_row *r, void *arg)
{
    strbuf *out = arg;
    char created[REG_TIME_STRLEN], expires[REG_TIME_STRLEN];
    const char *fields[] = {r->name,    r->uname, r->statuses,
                            r->registrant, r->admin, r->tech,
                            r->billing, r->ns,    clock_format(r->created_at, created, sizeof created),
                            clock_format(r->expires_at, expires, sizeof expires)};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (i)
            sb_putc(out, ',');
        csv_field(out, fields[i]);
    }
    sb_puts(out, "\r\n");
    return out->err != 0;
}

/* The whole matching portfolio (the list's search, every page) as CSV
 * (RFC 4180). The registry reads it in batches; the file is built in
 * memory (about 150 bytes a domain: some 15 MB for 100 000) and sent. */
void portal_domains_csv(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_DOMAIN_ROLES))
        return;
    struct search s;
    search_of(c, &s);
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, "name,uname,statuses,registrant,admin,tech,billing,nameservers,created,expires\r\n");
    reg_status st = {0};
    struct reg_op op = portal_domain_op(c);
    if (!s.bad_date && portal_domains_each(&op, c->s.registrar_id, &s.f, csv_row, &sb, &st)) {
        sb_free(&sb);
        portal_unavailable(c, "portal-domains-export-failed", &st);
        return;
    }
    char disposition[128];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"domains-%s.csv\"",
             c->s.registrar);
    web_add_header(c->w, "Content-Disposition", disposition);
    reg_log(LOG_INFO, "portal", c->w->id, "portal-domains-export", "login=%s bytes=%zu",
            c->s.login, sb.len);
    web_send_as(c->w, 200, "text/csv; charset=utf-8", &sb);
    sb_free(&sb);
}

/* ---- a domain's page ------------------------------------------------------------------------- */

/* The route's name, percent-decoded (a U-label arrives encoded). */
static char *arg_name(const struct portal_ctx *c)
{
    return c->arg ? evhttp_uridecode(c->arg, 0, NULL) : NULL;
}

static void dl_row(strbuf *sb, const char *term, const char *value, const char *id)
{
    portal_fact(sb, term, value, id);
}

static void dl_when(strbuf *sb, const struct portal_ctx *c, enum portal_text_id term, reg_time t,
                    const char *who, const char *id)
{
    portal_fact_when(sb, c, term, t, who, id);
}

/* Everything domain:info shows (RFC 5731 §3.1.2, RFC 5910, RFC 3915). */
static void domain_facts(strbuf *sb, const struct portal_ctx *c, const struct domain *d)
{
    strbuf v;
    sb_init(&v);
    h_open(sb, "dl", "class", "row", "id", "facts", NULL);
    dl_row(sb, portal_t(c, T_DOM_NAME), d->name.ulabel, "f-name");
    if (d->name.idn)
        dl_row(sb, portal_t(c, T_DOM_ALABEL), d->name.alabel, "f-alabel");
    dl_row(sb, portal_t(c, T_DOM_ROID), d->roid, "f-roid");
    const char *derived[2];
    size_t nd = domain_derived_statuses(d, derived);
    for (size_t i = 0; i < d->statuses.n; i++) {
        sb_printf(&v, "%s%s", v.len ? ", " : "", d->statuses.items[i].name);
        if (d->statuses.items[i].message && *d->statuses.items[i].message)
            sb_printf(&v, " (%s)", d->statuses.items[i].message);
    }
    for (size_t i = 0; i < nd; i++)
        sb_printf(&v, "%s%s", v.len ? ", " : "", derived[i]);
    if (d->rgp[0])
        sb_printf(&v, ", %s", d->rgp);
    dl_row(sb, portal_t(c, T_STATUS), sb_str(&v), "f-status");
    if (d->pending_action[0])
        dl_row(sb, portal_t(c, T_DOM_PENDING), d->pending_action, "f-pending");
    dl_row(sb, portal_t(c, T_DOM_REGISTRANT), d->registrant, "f-registrant");
    sb_reset(&v);
    for (size_t i = 0; i < d->ncontacts; i++)
        sb_printf(&v, "%s%s: %s", i ? ", " : "", d->contacts[i].role, d->contacts[i].handle);
    dl_row(sb, portal_t(c, T_DOM_CONTACTS), sb_str(&v), "f-contacts");
    sb_reset(&v);
    for (size_t i = 0; i < d->nns; i++)
        sb_printf(&v, "%s%s", i ? ", " : "", d->ns[i]);
    dl_row(sb, portal_t(c, T_DOM_NS), sb_str(&v), "f-ns");
    if (d->nsub) {
        sb_reset(&v);
        for (size_t i = 0; i < d->nsub; i++)
            sb_printf(&v, "%s%s", i ? ", " : "", d->subordinates[i]);
        dl_row(sb, portal_t(c, T_DOM_HOSTS), sb_str(&v), "f-hosts");
    }
    if (d->nds) {
        sb_reset(&v);
        for (size_t i = 0; i < d->nds; i++)
            sb_printf(&v, "%s%d %d %d %s", i ? "; " : "", d->ds[i].key_tag, d->ds[i].alg,
                      d->ds[i].digest_type, d->ds[i].digest);
        dl_row(sb, portal_t(c, T_DOM_DS), sb_str(&v), "f-ds");
    }
    dl_row(sb, portal_t(c, T_DOM_SPONSOR), d->sponsor, "f-sponsor");
    dl_when(sb, c, T_DOM_CREATED, d->created_at, d->creator, "f-created");
    dl_when(sb, c, T_DOM_UPDATED, d->updated_at, d->updater, "f-updated");
    dl_when(sb, c, T_DOM_TRANSFERRED, d->transferred_at, NULL, "f-transferred");
    dl_when(sb, c, T_DOM_EXPIRES, d->expires_at, NULL, "f-expires");
    dl_row(sb, portal_t(c, T_DOM_AUTHINFO),
           portal_t(c, d->has_authinfo ? T_DOM_AUTH_IS_SET : T_DOM_AUTH_NOT_SET), "f-authinfo");
    dl_row(sb, portal_t(c, T_DOM_MANAGEMENT), d->management, "f-management");
    if (d->terms_version[0]) {
        char when[REG_TIME_STRLEN];
        sb_reset(&v);
        sb_printf(&v, "%s, %s", d->terms_version,
                  clock_format(d->terms_accepted_at, when, sizeof when));
        dl_row(sb, portal_t(c, T_DOM_TERMS), sb_str(&v), "f-terms");
    }
    h_close(sb, "dl");
    sb_free(&v);
}

struct history_rows {
    strbuf *sb;
};

static void history_row(const struct history_version *hv, void *arg)
{
    strbuf *sb = ((struct history_rows *)arg)->sb;
    char num[24], when[REG_TIME_STRLEN];
    snprintf(num, sizeof num, "%lld", (long long)hv->version);
    h_open(sb, "tr", NULL);
    h_elem(sb, "td", num, NULL);
    h_open(sb, "td", NULL);
    clock_format(hv->at, when, sizeof when);
    h_elem(sb, "time", when, "datetime", when, NULL);
    h_close(sb, "td");
    h_elem(sb, "td", hv->action, NULL);
    h_elem(sb, "td", hv->actor ? hv->actor : "", NULL);
    h_elem(sb, "td", hv->channel ? hv->channel : "", NULL);
    h_close(sb, "tr");
}

/* The domain's versions (R40), the newest HISTORY_SHOWN. */
static reg_err domain_history(strbuf *sb, const struct portal_ctx *c, const char *alabel,
                              reg_status *st)
{
    h_elem(sb, "h2", portal_t(c, T_DOM_HISTORY), "class", "h5 mt-4", NULL);
    h_open(sb, "div", "class", "table-responsive", NULL);
    h_open(sb, "table", "class", "table table-sm", "id", "history", NULL);
    const enum portal_text_id cols[] = {T_HIST_VERSION, T_HIST_WHEN, T_HIST_ACTION, T_HIST_WHO,
                                        T_HIST_CHANNEL};
    table_head(sb, c, cols, sizeof cols / sizeof cols[0], false);
    struct history_rows rows = {sb};
    int64_t total = 0;
    if (history_each_last(c->w->db, "domain", alabel, HISTORY_SHOWN, &total, history_row, &rows,
                          st))
        return st->code;
    h_close(sb, "tbody");
    h_close(sb, "table");
    h_close(sb, "div");
    if (total > HISTORY_SHOWN) {
        char older[24], text[200];
        snprintf(older, sizeof older, "%lld", (long long)(total - HISTORY_SHOWN));
        h_elem(sb, "p", portal_tf(c, T_HIST_OLDER, text, sizeof text, older, NULL), "class",
               "text-muted", NULL);
    }
    return REG_OK;
}

/* A POST form to this domain's page doing `action`. */
void portal_domain_form_open(strbuf *sb, const struct portal_ctx *c, const struct domain *d,
                             const char *action, const char *id)
{
    char path[NAME_MAX_LEN + 64], href[NAME_MAX_LEN + 400];
    snprintf(path, sizeof path, PORTAL_PREFIX "/domains/%s", d->name.alabel);
    h_open(sb, "form", "method", "post", "class", "mb-3", "id", id, "action",
           portal_url(c, path, href, sizeof href), NULL);
    portal_csrf_field(sb, c->s.csrf);
    h_void(sb, "input", "type", "hidden", "name", "action", "value", action, NULL);
}

void portal_submit(strbuf *sb, const char *label, const char *cls)
{
    h_elem(sb, "button", label, "type", "submit", "class", cls, NULL);
}

/* R32: only a name server manager sees the form. */
static void ns_form(strbuf *sb, const struct portal_ctx *c, const struct domain *d)
{
    h_elem(sb, "h2", portal_t(c, T_NS_TITLE), "class", "h5 mt-4", NULL);
    if (!(c->s.roles & PORTAL_NAMESERVER_MANAGER)) {
        h_elem(sb, "p", portal_t(c, T_NS_NEEDS_ROLE), "class", "text-muted", "id", "ns-role",
               NULL);
        return;
    }
    strbuf v;
    sb_init(&v);
    for (size_t i = 0; i < d->nns; i++)
        sb_printf(&v, "%s\n", d->ns[i]);
    const char *error = portal_field_error(c, "ns");
    portal_domain_form_open(sb, c, d, "ns", "ns-form");
    h_open(sb, "div", "class", "mb-3", NULL);
    h_elem(sb, "label", portal_t(c, T_DOM_NS), "for", "ns", "class", "form-label", NULL);
    h_elem(sb, "textarea", sb_str(&v), "id", "ns", "name", "ns", "rows", "4", "class",
           error ? "form-control is-invalid" : "form-control", "aria-describedby",
           error ? "ns-help ns-error" : "ns-help", NULL);
    h_elem(sb, "div", portal_t(c, T_NS_HELP), "id", "ns-help", "class", "form-text", NULL);
    if (error)
        h_elem(sb, "div", error, "id", "ns-error", "class", "invalid-feedback", NULL);
    h_close(sb, "div");
    portal_submit(sb, portal_t(c, T_NS_SAVE), "btn btn-primary");
    h_close(sb, "form");
    sb_free(&v);
}

static void renew_form(strbuf *sb, const struct portal_ctx *c, const struct domain *d)
{
    char date[REG_TIME_STRLEN];
    const char *error = portal_field_error(c, "years");
    h_elem(sb, "h2", portal_t(c, T_RENEW_TITLE), "class", "h5 mt-4", NULL);
    portal_domain_form_open(sb, c, d, "renew", "renew-form");
    /* the expiry shown: a second submission of the same form is refused */
    h_void(sb, "input", "type", "hidden", "name", "expires", "value",
           clock_format_date(d->expires_at, date, sizeof date), NULL);
    h_open(sb, "div", "class", "mb-3 col-sm-4 col-lg-2", NULL);
    h_elem(sb, "label", portal_t(c, T_RENEW_YEARS), "for", "years", "class", "form-label", NULL);
    h_open(sb, "select", "id", "years", "name", "years", "class",
           error ? "form-select is-invalid" : "form-select", NULL);
    for (int y = 1; y <= 10; y++) {
        char num[12];
        snprintf(num, sizeof num, "%d", y);
        h_elem(sb, "option", num, "value", num, NULL);
    }
    h_close(sb, "select");
    if (error)
        h_elem(sb, "div", error, "class", "invalid-feedback", NULL);
    h_close(sb, "div");
    portal_submit(sb, portal_t(c, T_RENEW_BUTTON), "btn btn-primary");
    h_close(sb, "form");
}

static void authinfo_forms(strbuf *sb, const struct portal_ctx *c, const struct domain *d)
{
    const char *error = portal_field_error(c, "authinfo");
    h_elem(sb, "h2", portal_t(c, T_DOM_AUTHINFO), "class", "h5 mt-4", NULL);
    portal_domain_form_open(sb, c, d, "auth-set", "auth-form");
    h_open(sb, "div", "class", "mb-3 col-md-6", NULL);
    h_elem(sb, "label", portal_t(c, T_AUTH_NEW), "for", "authinfo", "class", "form-label", NULL);
    /* text: it is passed on to the registrant, so they see what they typed */
    h_void(sb, "input", "id", "authinfo", "name", "authinfo", "type", "text", "autocomplete", "off",
           "spellcheck", "false", "class", error ? "form-control is-invalid" : "form-control",
           NULL);
    if (error)
        h_elem(sb, "div", error, "class", "invalid-feedback", NULL);
    h_close(sb, "div");
    portal_submit(sb, portal_t(c, T_AUTH_SET), "btn btn-primary");
    h_close(sb, "form");
    h_open(sb, "div", "class", "d-flex flex-wrap gap-2", NULL);
    portal_domain_form_open(sb, c, d, "auth-generate", "auth-generate");
    portal_submit(sb, portal_t(c, T_AUTH_GENERATE), "btn btn-outline-primary");
    h_close(sb, "form");
    if (d->has_authinfo) {
        portal_domain_form_open(sb, c, d, "auth-clear", "auth-clear");
        portal_submit(sb, portal_t(c, T_AUTH_CLEAR), "btn btn-outline-danger");
        h_close(sb, "form");
    }
    h_close(sb, "div");
}

/* The domain of the route, if it is the registrar's; otherwise the page
 * is answered (404, or 503) and false returned. */
bool portal_domain_load(struct portal_ctx *c, struct domain *d)
{
    char *name = arg_name(c);
    struct reg_op op = portal_domain_op(c);
    reg_status st = {0};
    bool full = false;
    reg_err e = name ? domain_info(&op, name, NULL, d, &full, &st) : REG_ERR_NOT_FOUND;
    free(name);
    if (!e && !full) {
        domain_free(d);
        e = REG_ERR_NOT_FOUND; /* another registrar's: not shown here */
    }
    if (e && reg_err_is_system(e))
        portal_unavailable(c, "portal-domain-failed", &st);
    else if (e)
        portal_send_message(c, 404, T_DOM_NOT_FOUND, T_DOM_NOT_FOUND_TEXT);
    return !e;
}

void portal_domain_page(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_DOMAIN_ROLES))
        return;
    struct domain d;
    if (!portal_domain_load(c, &d))
        return;
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, d.name.ulabel);
    char back[320];
    h_open(&sb, "p", NULL);
    h_elem(&sb, "a", portal_t(c, T_BACK), "href",
           portal_url(c, PORTAL_PREFIX "/domains", back, sizeof back), NULL);
    h_close(&sb, "p");
    domain_facts(&sb, c, &d);
    ns_form(&sb, c, &d);
    reg_status st = {0};
    if (c->s.roles & PORTAL_REGISTRAR) {
        renew_form(&sb, c, &d);
        authinfo_forms(&sb, c, &d);
    }
    if (((c->s.roles & PORTAL_REGISTRAR) && portal_domain_life_forms(&sb, c, &d, &st)) ||
        domain_history(&sb, c, d.name.alabel, &st)) {
        sb_free(&sb);
        domain_free(&d);
        portal_unavailable(c, "portal-domain-history-failed", &st);
        return;
    }
    domain_free(&d);
    portal_page_end(c, &sb, 200);
}

/* ---- a domain's changes ---------------------------------------------------------------------- */

/* 20 characters from an alphabet without look-alikes (about 115 bits). */
static void generate_authinfo(char out[21])
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 20; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[20] = '\0';
}

/* The outcome of a change: done (with the message for the page), refused
 * (the registry's reason next to the field), or a failure of the
 * machinery (503). */
void portal_domain_outcome(struct portal_ctx *c, reg_err e, const reg_status *st, const char *field,
                    const char *done, const char *back)
{
    if (e && reg_err_is_system(e)) {
        portal_unavailable(c, "portal-domain-change-failed", st);
        return;
    }
    reg_log(LOG_INFO, "portal", c->w->id, e ? "portal-change-refused" : "portal-change",
            "login=%s field=%s object=%s%s%s", c->s.login, field, back, e ? " reason=" : "",
            e ? reg_errname(e) : "");
    if (e)
        portal_flash_field(c, field, st->reason);
    else
        portal_flash_ok(c, done);
    char path[NAME_MAX_LEN + 64];
    snprintf(path, sizeof path, PORTAL_PREFIX "/domains/%s", back);
    web_redirect(c->w, path);
}

/* The name-server textarea's lines (CR LF or LF), trimmed, in place. */
static size_t split_lines(char *text, const char **out, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        while (*line == ' ' || *line == '\t')
            line++;
        size_t len = strlen(line);
        while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
            line[--len] = '\0';
        if (!*line)
            continue;
        if (n == max)
            return max + 1;
        out[n++] = line;
    }
    return n;
}

void portal_domain_post(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_DOMAIN_ROLES) || !portal_csrf_ok(c))
        return;
    char action[24] = "";
    web_form_field(c->w, "action", action, sizeof action);
    bool ns = !strcmp(action, "ns");
    /* R32: name servers need the name server manager role, the rest the registrar role */
    if (!portal_require(c, ns ? PORTAL_NAMESERVER_MANAGER : PORTAL_REGISTRAR))
        return;
    struct domain d;
    if (!portal_domain_load(c, &d))
        return;
    char alabel[NAME_MAX_LEN + 1];
    snprintf(alabel, sizeof alabel, "%s", d.name.alabel);
    domain_free(&d);
    struct reg_op op = portal_domain_op(c);
    reg_status st = {0};
    reg_err e;
    char msg[300];
    if (ns) {
        char text[DOMAIN_NS_MAX * (NAME_MAX_LEN + 2) + 64] = "";
        const char *list[DOMAIN_NS_MAX];
        /* a text too long for the buffer is refused, never taken as empty */
        size_t n = web_form_field(c->w, "ns", text, sizeof text)
                       ? split_lines(text, list, DOMAIN_NS_MAX)
                       : DOMAIN_NS_MAX + 1;
        bool changed = false;
        e = n > DOMAIN_NS_MAX
                ? reg_fail(&st, REG_ERR_POLICY, "a domain has at most %d name servers",
                           DOMAIN_NS_MAX)
                : portal_domain_set_ns(&op, alabel, list, n, &changed, &st);
        portal_domain_outcome(c, e, &st, "ns", portal_t(c, changed ? T_NS_SAVED : T_NS_UNCHANGED), alabel);
    } else if (!strcmp(action, "renew")) {
        char years[8] = "", expires[16] = "", date[REG_TIME_STRLEN];
        web_form_field(c->w, "years", years, sizeof years);
        web_form_field(c->w, "expires", expires, sizeof expires);
        reg_time until = 0;
        e = portal_domain_renew(&op, alabel, expires, atoi(years), &until, &st);
        portal_tf(c, T_RENEWED, msg, sizeof msg,
                  e ? "" : clock_format_date(until, date, sizeof date), NULL);
        portal_domain_outcome(c, e, &st, "years", msg, alabel);
    } else if (!strcmp(action, "auth-set") || !strcmp(action, "auth-generate")) {
        char pw[256] = "";
        bool generated = !strcmp(action, "auth-generate");
        if (generated)
            generate_authinfo(pw);
        else
            web_form_field(c->w, "authinfo", pw, sizeof pw);
        e = !pw[0] ? reg_fail(&st, REG_ERR_MISSING, "%s", portal_t(c, T_AUTH_EMPTY))
                   : portal_domain_set_authinfo(&op, alabel, pw, &st);
        if (generated) /* shown once, in the message of the next page */
            portal_tf(c, T_AUTH_GENERATED, msg, sizeof msg, pw, NULL);
        else
            snprintf(msg, sizeof msg, "%s", portal_t(c, T_AUTH_WAS_SET));
        sodium_memzero(pw, sizeof pw);
        portal_domain_outcome(c, e, &st, "authinfo", msg, alabel);
        sodium_memzero(msg, sizeof msg);
    } else if (!strcmp(action, "auth-clear")) {
        e = portal_domain_set_authinfo(&op, alabel, NULL, &st);
        portal_domain_outcome(c, e, &st, "authinfo", portal_t(c, T_AUTH_CLEARED), alabel);
    } else if (!portal_domain_life_post(c, action, alabel)) {
        web_redirect(c->w, PORTAL_PREFIX "/domains");
    }
}

/* ---- shared with portal_domain_life.c ---------------------------------------------------------- */

size_t portal_words(char *text, const char **out, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *w = strtok_r(text, " ,\t\r\n", &save); w; w = strtok_r(NULL, " ,\t\r\n", &save)) {
        if (n == max)
            return max + 1;
        out[n++] = w;
    }
    return n;
}

void portal_hidden(strbuf *sb, const char *name, const char *value)
{
    h_void(sb, "input", "type", "hidden", "name", name, "value", value, NULL);
}
