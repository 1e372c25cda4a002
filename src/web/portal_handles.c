/* Administration → Linked WHOIS handles (R27-R31, seed 000): the handles
 * linked to the registrar with their roles, a handle's domains and name
 * servers, the link candidates (or why there are none), link, unlink,
 * and "Create handle" (a contact created as over EPP, linked at once). */
#include <event2/buffer.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "html.h"
#include "portal_internal.h"
#include "registry/linked.h"

#define HANDLES PORTAL_PREFIX "/admin/handles"

struct reg_op portal_write_op(const struct portal_ctx *c)
{
    struct reg_op op = c->op;
    op.registrar_id = c->s.registrar_id;
    op.actor = c->s.login;
    return op;
}

reg_err portal_run(struct portal_ctx *c,
                   reg_err (*fn)(const struct reg_op *op, void *arg, reg_status *st), void *arg,
                   enum portal_text_id done, const char *what, reg_status *st)
{
    struct reg_op op = portal_write_op(c);
    reg_err e = db_begin(op.db);
    e = e ? db_fail(op.db, st, e) : db_end_tx(op.db, fn(&op, arg, st), st);
    if (reg_err_is_system(e))
        portal_unavailable(c, what, st);
    else if (e)
        portal_flash_set(c, st->reason);
    else
        portal_flash_ok(c, portal_t(c, done));
    return e;
}

/* portal_run, then the redirect to `back` unless a failure was answered. */
void portal_run_back(struct portal_ctx *c,
                     reg_err (*fn)(const struct reg_op *op, void *arg, reg_status *st), void *arg,
                     enum portal_text_id done, const char *what, const char *back)
{
    reg_status st = {0};
    if (!reg_err_is_system(portal_run(c, fn, arg, done, what, &st)))
        web_redirect(c->w, back);
}

bool portal_post_ok(struct portal_ctx *c, unsigned role)
{
    return portal_require(c, role) && portal_csrf_ok(c);
}

/* A form of one button posting `field`=`value` to path. */
void portal_button_form(strbuf *sb, const struct portal_ctx *c, const char *path,
                        const char *field, const char *value, const char *label,
                        const char *btn_class, const char *id)
{
    char action[320];
    h_open(sb, "form", "method", "post", "class", "d-inline", "action",
           portal_url(c, path, action, sizeof action), "id", id, NULL);
    portal_csrf_field(sb, c->s.csrf);
    h_void(sb, "input", "type", "hidden", "name", field, "value", value, NULL);
    h_elem(sb, "button", label, "type", "submit", "class", btn_class, NULL);
    h_close(sb, "form");
}

/* A column of amounts, right-aligned as its figures are. */
static bool money_column(enum portal_text_id col)
{
    return col == T_BILL_AMOUNT || col == T_BALANCE || col == T_BILL_TOTAL ||
           col == T_BILL_PRICE || col == T_BILL_YOUR_PRICE;
}

/* A table's head row. */
void portal_thead(strbuf *sb, const struct portal_ctx *c, const enum portal_text_id *cols,
                  size_t n)
{
    h_open(sb, "thead", NULL);
    h_open(sb, "tr", NULL);
    for (size_t i = 0; i < n; i++)
        if (money_column(cols[i]))
            h_elem(sb, "th", portal_t(c, cols[i]), "scope", "col", "class", "text-end", NULL);
        else
            h_elem(sb, "th", portal_t(c, cols[i]), "scope", "col", NULL);
    h_close(sb, "tr");
    h_close(sb, "thead");
}

/* Administration's options (R27), the current one marked. */
void portal_admin_tabs(strbuf *sb, const struct portal_ctx *c, const char *current)
{
    static const struct {
        const char *path;
        enum portal_text_id label;
    } tabs[] = {{PORTAL_PREFIX "/admin/users", T_USERS}, {HANDLES, T_LINKED_HANDLES}};
    char href[320];
    h_open(sb, "ul", "class", "nav nav-tabs mb-4", "id", "admin-tabs", NULL);
    for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++) {
        bool on = !strcmp(tabs[i].path, current);
        h_open(sb, "li", "class", "nav-item", NULL);
        h_elem(sb, "a", portal_t(c, tabs[i].label), "class", on ? "nav-link active" : "nav-link",
               "href", portal_url(c, tabs[i].path, href, sizeof href), on ? "aria-current" : NULL,
               "page", NULL);
        h_close(sb, "li");
    }
    h_close(sb, "ul");
}

/* "Registrant (1), Technical contact (2)": the roles with their counts. */
static void roles_text(const struct portal_ctx *c, const struct linked_handle *h, char *out,
                       size_t n)
{
    const struct {
        int64_t count;
        enum portal_text_id name;
    } r[] = {{h->registrant, T_R_REGISTRANT}, {h->admin, T_R_ADMIN},   {h->tech, T_R_TECH},
             {h->billing, T_R_BILLING},       {h->hosts, T_R_NS_ADMIN}};
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof r / sizeof r[0] && len < n; i++)
        if (r[i].count)
            len += (size_t)snprintf(out + len, n - len, "%s%s (%lld)", len ? ", " : "",
                                    portal_t(c, r[i].name), (long long)r[i].count);
    if (!out[0])
        snprintf(out, n, "%s", portal_t(c, T_NO_ROLES));
}

/* The role names of bits (LINKED_*). */
static void role_bits_text(const struct portal_ctx *c, unsigned roles, char *out, size_t n)
{
    const enum portal_text_id names[] = {T_R_REGISTRANT, T_R_ADMIN, T_R_TECH, T_R_BILLING,
                                         T_R_NS_ADMIN};
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0] && len < n; i++)
        if (roles & (1u << i))
            len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "",
                                    portal_t(c, names[i]));
}

/* ---- the list ------------------------------------------------------------------------------- */

struct rows {
    struct portal_ctx *c;
    strbuf *sb;
    int n;
};

static void handle_href(const struct portal_ctx *c, const char *handle, const char *anchor,
                        char *out, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, HANDLES "/%s%s", handle, anchor);
    portal_url(c, path, out, n);
}

static void linked_row(const struct linked_handle *h, void *arg)
{
    struct rows *r = arg;
    char href[512], roles[512], num[32];
    r->n++;
    h_open(r->sb, "tr", "data-handle", h->handle, NULL);
    h_open(r->sb, "td", NULL);
    handle_href(r->c, h->handle, "", href, sizeof href);
    h_elem(r->sb, "a", h->handle, "href", href, NULL);
    h_close(r->sb, "td");
    h_elem(r->sb, "td", h->org[0] ? h->org : h->name, NULL);
    roles_text(r->c, h, roles, sizeof roles);
    h_elem(r->sb, "td", roles, "class", "roles", NULL);
    h_open(r->sb, "td", NULL);
    handle_href(r->c, h->handle, "#domains", href, sizeof href);
    snprintf(num, sizeof num, "%lld", (long long)h->domains);
    h_elem(r->sb, "a", num, "href", href, "class", "domains", NULL);
    h_close(r->sb, "td");
    h_open(r->sb, "td", NULL);
    handle_href(r->c, h->handle, "#nameservers", href, sizeof href);
    snprintf(num, sizeof num, "%lld", (long long)h->hosts);
    h_elem(r->sb, "a", num, "href", href, "class", "nameservers", NULL);
    h_close(r->sb, "td");
    h_open(r->sb, "td", NULL);
    portal_button_form(r->sb, r->c, HANDLES "/unlink", "handle", h->handle,
                       portal_t(r->c, T_UNLINK), "btn btn-outline-danger btn-sm", "unlink");
    h_close(r->sb, "td");
    h_close(r->sb, "tr");
}

static void candidate_row(const struct linked_handle *h, void *arg)
{
    struct rows *r = arg;
    r->n++;
    h_open(r->sb, "tr", "data-handle", h->handle, NULL);
    h_elem(r->sb, "td", h->handle, NULL);
    h_elem(r->sb, "td", h->name, NULL);
    h_elem(r->sb, "td", h->org, NULL);
    h_elem(r->sb, "td", h->email, NULL);
    h_elem(r->sb, "td", h->sponsor, NULL);
    h_open(r->sb, "td", NULL);
    portal_button_form(r->sb, r->c, HANDLES "/link", "handle", h->handle, portal_t(r->c, T_LINK),
                       "btn btn-primary btn-sm", "link");
    h_close(r->sb, "td");
    h_close(r->sb, "tr");
}

/* ---- the create form, remembered over the redirect after an error (portal_contact_form.c) -- */

static void create_form(strbuf *sb, struct portal_ctx *c, const struct portal_contact_form *f)
{
    char action[320];
    h_elem(sb, "h2", portal_t(c, T_CREATE_HANDLE), "class", "h5 mt-5", "id", "create", NULL);
    h_elem(sb, "p", portal_t(c, T_CREATE_HANDLE_INTRO), "class", "text-muted", NULL);
    h_open(sb, "form", "method", "post", "id", "create-handle", "class", "row", "action",
           portal_url(c, HANDLES "/create", action, sizeof action), NULL);
    portal_csrf_field(sb, c->s.csrf);
    portal_contact_form_fields(sb, c, f, true);
    h_open(sb, "div", "class", "col-12", NULL);
    h_elem(sb, "button", portal_t(c, T_CREATE_HANDLE), "type", "submit", "class",
           "btn btn-primary", NULL);
    h_close(sb, "div");
    h_close(sb, "form");
}

/* ---- pages ------------------------------------------------------------------------------------ */

void portal_admin_handles(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_ADMINISTRATOR)) /* R27 */
        return;
    struct portal_contact_form f;
    if (!portal_contact_form_take(c, &f, "handle"))
        portal_contact_form_set(&f, "kind", "organization");
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_LINKED_HANDLES));
    portal_admin_tabs(&sb, c, HANDLES);
    h_elem(&sb, "p", portal_t(c, T_LINKED_INTRO), NULL);
    struct rows rows = {c, &sb, 0};
    reg_status st = {0};
    h_open(&sb, "div", "class", "table-responsive", NULL);
    h_open(&sb, "table", "class", "table table-striped", "id", "linked", NULL);
    const enum portal_text_id cols[] = {T_HANDLE, T_NAME, T_HANDLE_ROLES, T_DOMAINS,
                                        T_NAMESERVERS, T_ACTIONS};
    portal_thead(&sb, c, cols, sizeof cols / sizeof cols[0]);
    h_open(&sb, "tbody", NULL);
    if (linked_each(&c->op, c->s.registrar_id, linked_row, &rows, &st)) {
        sb_free(&sb);
        portal_unavailable(c, "portal-linked-failed", &st);
        return;
    }
    h_close(&sb, "tbody");
    h_close(&sb, "table");
    h_close(&sb, "div");
    if (!rows.n)
        h_elem(&sb, "p", portal_t(c, T_NO_LINKED), "class", "text-muted", "id", "no-linked", NULL);

    h_elem(&sb, "h2", portal_t(c, T_CANDIDATES), "class", "h5 mt-5", NULL);
    h_elem(&sb, "p", portal_t(c, T_CANDIDATES_INTRO), "class", "text-muted", NULL);
    strbuf cand;
    sb_init(&cand);
    struct rows crow = {c, &cand, 0};
    enum linked_none why;
    if (linked_candidates(&c->op, c->s.registrar_id, candidate_row, &crow, &why, &st)) {
        sb_free(&cand);
        sb_free(&sb);
        portal_unavailable(c, "portal-candidates-failed", &st);
        return;
    }
    h_open(&sb, "div", "class", "table-responsive", NULL);
    h_open(&sb, "table", "class", "table table-striped", "id", "candidates", NULL);
    const enum portal_text_id ccols[] = {T_HANDLE, T_NAME, T_ORG, T_EMAIL, T_SPONSOR, T_ACTIONS};
    portal_thead(&sb, c, ccols, sizeof ccols / sizeof ccols[0]);
    h_open(&sb, "tbody", NULL);
    sb_append(&sb, sb_str(&cand), cand.len); /* written by the same escaping writer */
    sb_free(&cand);
    h_close(&sb, "tbody");
    h_close(&sb, "table");
    h_close(&sb, "div");
    if (why != LINKED_SOME)
        h_elem(&sb, "p", portal_t(c, why == LINKED_NO_OWN_HANDLE ? T_NO_OWN_HANDLE : T_NO_MATCH),
               "class", "alert alert-info", "id", "no-candidates", NULL);
    create_form(&sb, c, &f);
    portal_page_end(c, &sb, 200);
}

/* A handle's domains and name servers, each into its own table body. */
struct objects {
    struct portal_ctx *c;
    strbuf domains, hosts;
    int nd, nh;
};

static void domain_row(const char *name, unsigned roles, void *arg)
{
    struct objects *o = arg;
    char text[256];
    role_bits_text(o->c, roles, text, sizeof text);
    o->nd++;
    h_open(&o->domains, "tr", NULL);
    h_elem(&o->domains, "td", name, NULL);
    h_elem(&o->domains, "td", text, NULL);
    h_close(&o->domains, "tr");
}

static void host_row(const char *name, void *arg)
{
    struct objects *o = arg;
    o->nh++;
    h_open(&o->hosts, "tr", NULL);
    h_elem(&o->hosts, "td", name, NULL);
    h_close(&o->hosts, "tr");
}

/* A table of the rows in body, or the sentence for none. */
static void object_table(strbuf *sb, const struct portal_ctx *c, const char *id,
                         const enum portal_text_id *cols, size_t ncols, const strbuf *body, int n,
                         enum portal_text_id none)
{
    if (!n) {
        h_elem(sb, "p", portal_t(c, none), "class", "text-muted", "id", id, NULL);
        return;
    }
    h_open(sb, "div", "class", "table-responsive", NULL);
    h_open(sb, "table", "class", "table table-striped", "id", id, NULL);
    portal_thead(sb, c, cols, ncols);
    h_open(sb, "tbody", NULL);
    sb_append(sb, sb_str(body), body->len); /* written by the escaping writer */
    h_close(sb, "tbody");
    h_close(sb, "table");
    h_close(sb, "div");
}

/* One linked handle: its domains (with its roles in each) and name
 * servers (R28). */
void portal_admin_handle(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_ADMINISTRATOR))
        return;
    char handle[CONTACT_ID_MAX + 1], title[CONTACT_ID_MAX + 64], href[320], roles[512];
    snprintf(handle, sizeof handle, "%s", c->arg ? c->arg : "");
    char *plain = evhttp_decode_uri(handle); /* ":" may come as %3A */
    if (plain) {
        snprintf(handle, sizeof handle, "%s", plain);
        free(plain);
    }
    struct objects o = {.c = c};
    sb_init(&o.domains);
    sb_init(&o.hosts);
    struct linked_handle line;
    reg_status st = {0};
    reg_err e = linked_objects(&c->op, c->s.registrar_id, handle, &line, domain_row, host_row,
                               &o, &st);
    if (e == REG_ERR_NOT_FOUND) {
        sb_free(&o.domains);
        sb_free(&o.hosts);
        web_not_found(c->w);
        return;
    }
    if (e) {
        sb_free(&o.domains);
        sb_free(&o.hosts);
        portal_unavailable(c, "portal-handle-failed", &st);
        return;
    }
    strbuf sb;
    sb_init(&sb);
    snprintf(title, sizeof title, "%s %s", portal_t(c, T_HANDLE), line.handle);
    portal_page_begin(&sb, c, title);
    h_open(&sb, "dl", "class", "row", "id", "handle", NULL);
    const struct {
        enum portal_text_id label;
        const char *value;
    } rows[] = {{T_NAME, line.name}, {T_ORG, line.org}, {T_EMAIL, line.email},
                {T_SPONSOR, line.sponsor}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        h_elem(&sb, "dt", portal_t(c, rows[i].label), "class", "col-sm-3", NULL);
        h_elem(&sb, "dd", rows[i].value, "class", "col-sm-9", NULL);
    }
    roles_text(c, &line, roles, sizeof roles);
    h_elem(&sb, "dt", portal_t(c, T_HANDLE_ROLES), "class", "col-sm-3", NULL);
    h_elem(&sb, "dd", roles, "class", "col-sm-9", NULL);
    h_close(&sb, "dl");
    h_elem(&sb, "h2", portal_t(c, T_DOMAINS), "class", "h5 mt-4", NULL);
    const enum portal_text_id dcols[] = {T_DOMAIN, T_HANDLE_ROLES};
    object_table(&sb, c, "domains", dcols, 2, &o.domains, o.nd, T_NO_HANDLE_DOMAINS);
    h_elem(&sb, "h2", portal_t(c, T_NAMESERVERS), "class", "h5 mt-4", NULL);
    const enum portal_text_id hcols[] = {T_NAMESERVER};
    object_table(&sb, c, "nameservers", hcols, 1, &o.hosts, o.nh, T_NO_HANDLE_NAMESERVERS);
    sb_free(&o.domains);
    sb_free(&o.hosts);
    h_open(&sb, "p", "class", "mt-4", NULL);
    portal_button_form(&sb, c, HANDLES "/unlink", "handle", line.handle, portal_t(c, T_UNLINK),
                       "btn btn-outline-danger me-3", "unlink");
    h_elem(&sb, "a", portal_t(c, T_BACK_TO_HANDLES), "href",
           portal_url(c, HANDLES, href, sizeof href), NULL);
    h_close(&sb, "p");
    portal_page_end(c, &sb, 200);
}

/* The handle a link or unlink form names, and its registrar. */
struct link_arg {
    int64_t registrar_id;
    char handle[CONTACT_ID_MAX + 2];
};

static reg_err link_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    struct link_arg *l = arg;
    return linked_link_candidate(op, l->registrar_id, l->handle, st);
}

static reg_err unlink_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    struct link_arg *l = arg;
    return contact_unlink(op, l->handle, l->registrar_id, st);
}

static void link_change(struct portal_ctx *c,
                        reg_err (*fn)(const struct reg_op *op, void *arg, reg_status *st),
                        enum portal_text_id done)
{
    if (!portal_post_ok(c, PORTAL_ADMINISTRATOR))
        return;
    struct link_arg l = {.registrar_id = c->s.registrar_id};
    web_form_field(c->w, "handle", l.handle, sizeof l.handle);
    portal_run_back(c, fn, &l, done, "portal-link-failed", HANDLES);
}

void portal_admin_handle_link(struct portal_ctx *c) { link_change(c, link_fn, T_HANDLE_LINKED); }

void portal_admin_handle_unlink(struct portal_ctx *c)
{
    link_change(c, unlink_fn, T_HANDLE_UNLINKED);
}

struct create_arg {
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1];
};

static reg_err create_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    struct create_arg *a = arg;
    return linked_create(op, &a->r, a->handle, st);
}

void portal_admin_handle_create(struct portal_ctx *c)
{
    if (!portal_post_ok(c, PORTAL_ADMINISTRATOR))
        return;
    struct portal_contact_form f;
    portal_contact_form_read(c, &f);
    struct create_arg a;
    portal_contact_create_req_of(&f, &a.r);
    reg_status st = {0};
    reg_err e = portal_run(c, create_fn, &a, T_HANDLE_CREATED, "portal-handle-create-failed", &st);
    if (reg_err_is_system(e))
        return;
    if (e) { /* the message next to its field, the values kept */
        portal_contact_form_keep(c, &f, "handle", st.reason);
        web_redirect(c->w, HANDLES "#create");
        return;
    }
    char msg[300];
    snprintf(msg, sizeof msg, "%s %s", portal_t(c, T_HANDLE_CREATED), a.handle);
    portal_flash_ok(c, msg);
    web_redirect(c->w, HANDLES);
}
