/* The portal's hosts (issue 16): the registrar's name servers searched and
 * paged, a host's page with everything host:info shows, create (with the
 * addresses an in-zone host needs), the addresses changed and delete, each
 * through EPP's own operations (host.h; history channel "portal"), a
 * refusal shown next to its field with what was typed kept. */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "portal_internal.h"
#include "registry/host.h"
#include "registry/portal_objects.h"

#define HOSTS PORTAL_PREFIX "/hosts"
#define ADDRS_TEXT (2 * HOST_ADDR_MAX * (HOST_ADDR_STRLEN + 2) + 64)

/* ---- the list -------------------------------------------------------------------------------- */

static reg_err fetch(const struct reg_op *op, int64_t registrar_id, const char *q,
                     int64_t offset, size_t limit, void *rows, size_t *n, int64_t *total,
                     reg_status *st)
{
    return portal_hosts_page(op, registrar_id, q, offset, limit, rows, n, total, st);
}

static void list_row(strbuf *sb, const struct portal_ctx *c, const void *row)
{
    const struct portal_host_row *r = row;
    char date[REG_TIME_STRLEN];
    h_open(sb, "tr", NULL);
    h_open(sb, "td", "class", "text-nowrap", NULL);
    portal_object_link(sb, c, HOSTS, r->name, r->name);
    h_close(sb, "td");
    h_elem(sb, "td", r->addrs, "class", "text-break", NULL);
    h_elem(sb, "td", portal_date(r->created_at, date), NULL);
    h_elem(sb, "td", portal_t(c, r->linked ? T_YES : T_NO), NULL);
    h_close(sb, "tr");
}

void portal_hosts(struct portal_ctx *c)
{
    static const enum portal_text_id cols[] = {T_DOM_NAME, T_ADDRESSES, T_DOM_CREATED, T_IN_USE};
    static const struct portal_list list = {
        .path = HOSTS, .title = T_HOSTS, .new_text = T_HOST_NEW, .new_id = "new-host",
        .search_label = T_DOM_NAME_PART, .none = T_HOST_NONE, .table_id = "hosts",
        .cols = cols, .ncols = sizeof cols / sizeof cols[0],
        .row_size = sizeof(struct portal_host_row), .fetch = fetch, .row = list_row,
        .failed = "portal-hosts-failed"};
    portal_list_page(c, &list);
}

/* ---- the form, kept over the redirect after a refusal ------------------------------------------ */

static const char *const form_names[] = {"name", "addrs", "admin"};
#define NFORM (sizeof form_names / sizeof form_names[0])

struct host_form {
    char name[NAME_MAX_LEN + 1], addrs[ADDRS_TEXT], admin[CONTACT_ID_MAX + 1];
    char field[16], err[400];
};

static void form_values(struct host_form *f, char *v[NFORM], size_t cap[NFORM])
{
    v[0] = f->name, cap[0] = sizeof f->name;
    v[1] = f->addrs, cap[1] = sizeof f->addrs;
    v[2] = f->admin, cap[2] = sizeof f->admin;
}

/* The field a host_create or host_update reason concerns. */
static const char *field_of(const char *reason)
{
    if (strstr(reason, "address") || strstr(reason, "IPv") || strstr(reason, "range"))
        return "addrs";
    if (strstr(reason, "contact"))
        return "admin";
    return "name";
}

static void keep(struct portal_ctx *c, struct host_form *f, const char *form, const char *reason)
{
    char *v[NFORM];
    size_t cap[NFORM];
    form_values(f, v, cap);
    portal_form_keep(c, form, form_names, (const char *const *)v, NFORM, field_of(reason),
                     reason);
}

static bool take(struct portal_ctx *c, struct host_form *f, const char *form)
{
    char *v[NFORM];
    size_t cap[NFORM];
    memset(f, 0, sizeof *f);
    form_values(f, v, cap);
    return portal_form_take(c, form, form_names, v, cap, NFORM, f->field, sizeof f->field, f->err,
                            sizeof f->err);
}

static void field_box(strbuf *sb, const struct portal_ctx *c, const struct host_form *f,
                      const char *name, enum portal_text_id label, const char *value,
                      bool textarea, enum portal_text_id help)
{
    const char *err = f->err[0] && !strcmp(f->field, name) ? f->err : NULL;
    char err_id[40], help_id[40], describe[90];
    snprintf(err_id, sizeof err_id, "error-%s", name);
    snprintf(help_id, sizeof help_id, "help-%s", name);
    snprintf(describe, sizeof describe, "%s%s%s", help_id, err ? " " : "", err ? err_id : "");
    h_open(sb, "div", "class", "mb-3 col-md-8", NULL);
    h_elem(sb, "label", portal_t(c, label), "for", name, "class", "form-label", NULL);
    const char *cls = err ? "form-control is-invalid" : "form-control";
    if (textarea)
        h_elem(sb, "textarea", value, "id", name, "name", name, "rows", "4", "class", cls,
               "aria-describedby", describe, NULL);
    else
        h_void(sb, "input", "id", name, "name", name, "type", "text", "value", value, "class", cls,
               "aria-describedby", describe, NULL);
    h_elem(sb, "div", portal_t(c, help), "id", help_id, "class", "form-text", NULL);
    if (err)
        h_elem(sb, "div", err, "class", "invalid-feedback", "id", err_id, NULL);
    h_close(sb, "div");
}

/* The lines or words of a text (addresses), in place; how many (max + 1:
 * too many). */
static size_t words_of(char *text, const char **out, size_t max)
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

/* ---- create ------------------------------------------------------------------------------------ */

void portal_host_new(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    struct host_form f;
    take(c, &f, "host-new");
    strbuf sb;
    sb_init(&sb);
    portal_detail_begin(&sb, c, portal_t(c, T_HOST_NEW), HOSTS, T_BACK_TO_HOSTS);
    char href[320];
    h_open(&sb, "form", "method", "post", "id", "host-create", "class", "row", "action",
           portal_url(c, HOSTS "/new", href, sizeof href), NULL);
    portal_csrf_field(&sb, c->s.csrf);
    field_box(&sb, c, &f, "name", T_DOM_NAME, f.name, false, T_HOST_NAME_HELP);
    field_box(&sb, c, &f, "addrs", T_ADDRESSES, f.addrs, true, T_HOST_ADDRS_HELP);
    field_box(&sb, c, &f, "admin", T_HOST_ADMIN, f.admin, false, T_HOST_ADMIN_HELP);
    h_open(&sb, "div", "class", "col-12", NULL);
    h_elem(&sb, "button", portal_t(c, T_HOST_CREATE), "type", "submit", "class",
           "btn btn-primary", NULL);
    h_close(&sb, "div");
    h_close(&sb, "form");
    portal_page_end(c, &sb, 200);
}

struct create_arg {
    struct host_create req;
    struct host out;
};

static reg_err create_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    struct create_arg *a = arg;
    reg_err e = host_create(op, &a->req, &a->out, st);
    if (!e)
        host_free(&a->out);
    return e;
}

/* After portal_run: the form kept on a refusal (f: the form, NULL for
 * none), then portal_after_change. */
static void after(struct portal_ctx *c, reg_err e, struct host_form *f, const char *form,
                  const reg_status *st, const char *form_path, const char *done_path,
                  const char *msg)
{
    if (e && f && !reg_err_is_system(e))
        keep(c, f, form, st->reason);
    portal_after_change(c, e, "portal-host", f != NULL, form_path, done_path, msg);
}

static void host_path(const char *name, char *out, size_t n)
{
    char *enc = evhttp_encode_uri(name);
    snprintf(out, n, HOSTS "/%s", enc ? enc : "");
    free(enc);
}

void portal_host_create(struct portal_ctx *c)
{
    if (!portal_post_ok(c, PORTAL_REGISTRAR))
        return;
    struct host_form f;
    memset(&f, 0, sizeof f);
    char *v[NFORM];
    size_t cap[NFORM];
    form_values(&f, v, cap);
    for (size_t i = 0; i < NFORM; i++)
        web_form_field(c->w, form_names[i], v[i], cap[i]);
    char text[ADDRS_TEXT];
    snprintf(text, sizeof text, "%s", f.addrs);
    const char *words[2 * HOST_ADDR_MAX];
    struct host_addr_in addrs[2 * HOST_ADDR_MAX];
    size_t n = words_of(text, words, 2 * HOST_ADDR_MAX);
    reg_status st = {0};
    reg_err e;
    struct create_arg a = {.req = {.name = f.name, .addrs = addrs, .admin = f.admin}};
    if (n > 2 * HOST_ADDR_MAX) {
        e = reg_fail(&st, REG_ERR_POLICY, "a host has at most %d addresses of each family",
                     HOST_ADDR_MAX);
    } else {
        for (size_t i = 0; i < n; i++)
            addrs[i] = (struct host_addr_in){words[i], 0};
        a.req.naddrs = n;
        e = portal_run(c, create_fn, &a, T_HOST_CREATED, "portal-host-create-failed", &st);
    }
    char path[NAME_MAX_LEN * 3 + 64], msg[400];
    host_path(f.name, path, sizeof path);
    char name[NAME_MAX_LEN + 1];
    snprintf(name, sizeof name, "%s", f.name);
    after(c, e, &f, "host-new", &st, HOSTS "/new", path,
          portal_tf(c, T_HOST_CREATED, msg, sizeof msg, name, NULL));
}

/* ---- a host's page ---------------------------------------------------------------------------- */

static bool load_host(struct portal_ctx *c, struct host *h)
{
    char *name = portal_arg(c);
    struct reg_op op = portal_write_op(c);
    reg_status st = {0};
    reg_err e = name ? host_info(&op, name, h, &st) : REG_ERR_NOT_FOUND;
    free(name);
    if (!e && h->sponsor_id != c->s.registrar_id) {
        host_free(h);
        e = REG_ERR_NOT_FOUND; /* another registrar's: not shown here */
    }
    if (e && reg_err_is_system(e))
        portal_unavailable(c, "portal-host-failed", &st);
    else if (e)
        portal_send_message(c, 404, T_HOST_NOT_FOUND, T_HOST_NOT_FOUND_TEXT);
    return !e;
}

/* Everything host:info shows (RFC 5732 §3.1.2 and regh:admin). */
static void host_facts(strbuf *sb, const struct portal_ctx *c, const struct host *h)
{
    strbuf v;
    sb_init(&v);
    h_open(sb, "dl", "class", "row", "id", "facts", NULL);
    portal_fact(sb, portal_t(c, T_DOM_NAME), h->name, "f-name");
    portal_fact(sb, portal_t(c, T_DOM_ROID), h->roid, "f-roid");
    for (size_t i = 0; i < h->status.n; i++)
        sb_printf(&v, "%s%s", i ? ", " : "", h->status.items[i].name);
    if (h->linked)
        sb_printf(&v, "%slinked", v.len ? ", " : "");
    if (!h->status.n)
        sb_printf(&v, "%sok", v.len ? ", " : "");
    portal_fact(sb, portal_t(c, T_STATUS), sb_str(&v), "f-status");
    sb_reset(&v);
    for (size_t i = 0; i < h->naddrs; i++)
        sb_printf(&v, "%s%s", i ? ", " : "", h->addrs[i].addr);
    portal_fact(sb, portal_t(c, T_ADDRESSES), sb_str(&v), "f-addrs");
    if (h->superordinate[0])
        portal_fact(sb, portal_t(c, T_HOST_SUPERORDINATE), h->superordinate, "f-superordinate");
    portal_fact(sb, portal_t(c, T_HOST_ADMIN), h->admin, "f-admin");
    portal_fact(sb, portal_t(c, T_DOM_SPONSOR), h->sponsor, "f-sponsor");
    portal_fact_when(sb, c, T_DOM_CREATED, h->created_at, h->creator, "f-created");
    portal_fact_when(sb, c, T_DOM_UPDATED, h->updated_at, h->updater, "f-updated");
    portal_fact_when(sb, c, T_DOM_TRANSFERRED, h->transferred_at, NULL, "f-transferred");
    h_close(sb, "dl");
    sb_free(&v);
}

void portal_host_page(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    struct host h;
    if (!load_host(c, &h))
        return;
    char path[NAME_MAX_LEN * 3 + 64], href[NAME_MAX_LEN * 3 + 400];
    host_path(h.name, path, sizeof path);
    struct host_form f;
    if (!take(c, &f, h.name)) {
        strbuf a;
        sb_init(&a);
        for (size_t i = 0; i < h.naddrs; i++)
            sb_printf(&a, "%s\n", h.addrs[i].addr);
        snprintf(f.addrs, sizeof f.addrs, "%s", sb_str(&a));
        sb_free(&a);
    }
    strbuf sb;
    sb_init(&sb);
    portal_detail_begin(&sb, c, h.name, HOSTS, T_BACK_TO_HOSTS);
    host_facts(&sb, c, &h);
    h_elem(&sb, "h2", portal_t(c, T_HOST_CHANGE_ADDRS), "class", "h5 mt-4", NULL);
    if (f.err[0] && strcmp(f.field, "addrs"))
        h_elem(&sb, "div", f.err, "class", "alert alert-danger", "role", "alert", "id",
               "form-error", NULL);
    h_open(&sb, "form", "method", "post", "id", "host-update", "class", "row", "action",
           portal_url(c, path, href, sizeof href), NULL);
    portal_csrf_field(&sb, c->s.csrf);
    h_void(&sb, "input", "type", "hidden", "name", "action", "value", "addrs", NULL);
    field_box(&sb, c, &f, "addrs", T_ADDRESSES, f.addrs, true, T_HOST_ADDRS_HELP);
    h_open(&sb, "div", "class", "col-12", NULL);
    h_elem(&sb, "button", portal_t(c, T_SAVE), "type", "submit", "class", "btn btn-primary", NULL);
    h_close(&sb, "div");
    h_close(&sb, "form");
    h_elem(&sb, "h2", portal_t(c, T_HOST_DELETE), "class", "h5 mt-4", NULL);
    if (h.linked)
        h_elem(&sb, "p", portal_t(c, T_HOST_DELETE_LINKED), "class", "text-muted", NULL);
    portal_button_form(&sb, c, path, "action", "delete", portal_t(c, T_HOST_DELETE),
                       "btn btn-outline-danger", "host-delete");
    host_free(&h);
    portal_page_end(c, &sb, 200);
}

/* ---- update and delete ------------------------------------------------------------------------ */

struct change_arg {
    struct host_update req;
    const char *name;
};

static reg_err update_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    return host_update(op, &((struct change_arg *)arg)->req, st);
}

static reg_err delete_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    return host_delete(op, ((struct change_arg *)arg)->name, st);
}

/* Whether the address list has text's address (canonical forms compared;
 * a text that does not parse is compared as it is). */
static bool has_addr(const struct registry_policy *p, const struct host_addr *list, size_t n,
                     const char *text)
{
    struct host_addr a;
    reg_status ignored;
    struct registry_policy any = *p;
    any.allow_private_addresses = true; /* the syntax only: the rules are host_update's */
    const char *canon = host_addr_parse(&any, text, 0, &a, &ignored) ? text : a.addr;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i].addr, canon))
            return true;
    return false;
}

void portal_host_post(struct portal_ctx *c)
{
    if (!portal_post_ok(c, PORTAL_REGISTRAR))
        return;
    struct host h;
    if (!load_host(c, &h))
        return;
    char path[NAME_MAX_LEN * 3 + 64], action[16] = "", msg[400];
    host_path(h.name, path, sizeof path);
    struct change_arg a = {.req = {.name = h.name}, .name = h.name};
    web_form_field(c->w, "action", action, sizeof action);
    reg_status st = {0};
    reg_err e;
    if (!strcmp(action, "delete")) {
        e = portal_run(c, delete_fn, &a, T_HOST_DELETED, "portal-host-delete-failed", &st);
        after(c, e, NULL, "delete", &st, path, HOSTS,
              portal_tf(c, T_HOST_DELETED, msg, sizeof msg, h.name, NULL));
        host_free(&h);
        return;
    }
    struct host_form f;
    memset(&f, 0, sizeof f);
    if (!web_form_field(c->w, "addrs", f.addrs, sizeof f.addrs))
        f.addrs[0] = '\0';
    char text[ADDRS_TEXT];
    snprintf(text, sizeof text, "%s", f.addrs);
    const char *words[2 * HOST_ADDR_MAX];
    size_t n = words_of(text, words, 2 * HOST_ADDR_MAX);
    struct host_addr_in add[2 * HOST_ADDR_MAX], rem[2 * HOST_ADDR_MAX];
    size_t nadd = 0, nrem = 0;
    if (n > 2 * HOST_ADDR_MAX) {
        e = reg_fail(&st, REG_ERR_POLICY, "a host has at most %d addresses of each family",
                     HOST_ADDR_MAX);
    } else {
        /* the difference: one host:update adding and removing */
        for (size_t i = 0; i < n; i++)
            if (!has_addr(c->op.policy, h.addrs, h.naddrs, words[i]))
                add[nadd++] = (struct host_addr_in){words[i], 0};
        for (size_t i = 0; i < h.naddrs; i++) {
            bool kept = false;
            for (size_t k = 0; k < n && !kept; k++) {
                struct host_addr one = h.addrs[i];
                kept = has_addr(c->op.policy, &one, 1, words[k]);
            }
            if (!kept)
                rem[nrem++] = (struct host_addr_in){h.addrs[i].addr, h.addrs[i].version};
        }
        a.req.add_addrs = add;
        a.req.nadd_addrs = nadd;
        a.req.rem_addrs = rem;
        a.req.nrem_addrs = nrem;
        e = nadd || nrem
                ? portal_run(c, update_fn, &a, T_HOST_SAVED, "portal-host-update-failed", &st)
                : REG_OK;
    }
    after(c, e, &f, h.name, &st, path, path,
          portal_t(c, nadd || nrem ? T_HOST_SAVED : T_HOST_UNCHANGED));
    host_free(&h);
}
