/* The portal's contacts (issue 16): the registrar's contacts searched and
 * paged, a contact's page with everything contact:info shows its sponsor
 * and what uses it, and create, update and delete through EPP's own
 * operations (contact.h; history channel "portal"), a refusal shown next
 * to the field it concerns with the values kept. Also the parts the
 * object pages share (pager, dates, facts rows). */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "html.h"
#include "portal_internal.h"
#include "registry/portal_objects.h"

#define CONTACTS PORTAL_PREFIX "/contacts"
#define PAGE_SIZE 50
#define USES_SHOWN 200

/* ---- shared by the object pages ------------------------------------------------------------- */

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
static char *arg_of(const struct portal_ctx *c)
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

/* A refusal that concerns no field shown: at the top of the form. */
static void form_alert(strbuf *sb, const char *err, bool shown)
{
    if (err && *err && !shown)
        h_elem(sb, "div", err, "class", "alert alert-danger", "role", "alert", "id", "form-error",
               NULL);
}

/* ---- the list -------------------------------------------------------------------------------- */

void portal_contacts(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    char q[256] = "", pg[16] = "";
    web_query_field(c->w, "q", q, sizeof q);
    web_query_field(c->w, "page", pg, sizeof pg);
    long long page = atoll(pg) < 1 ? 1 : atoll(pg);
    struct portal_contact_row *rows = calloc(PAGE_SIZE, sizeof *rows);
    size_t n = 0;
    int64_t total = 0;
    reg_status st = {0};
    if (!rows)
        reg_fail(&st, REG_ERR_NOMEM, "out of memory");
    if (!rows || portal_contacts_page(&c->op, c->s.registrar_id, q, (page - 1) * PAGE_SIZE,
                                      PAGE_SIZE, rows, &n, &total, &st)) {
        free(rows);
        portal_unavailable(c, "portal-contacts-failed", &st);
        return;
    }
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_CONTACTS));
    char href[320];
    h_open(&sb, "p", NULL);
    h_elem(&sb, "a", portal_t(c, T_CONTACT_NEW), "class", "btn btn-primary", "id", "new-contact",
           "href", portal_url(c, CONTACTS "/new", href, sizeof href), NULL);
    h_close(&sb, "p");
    portal_search_box(&sb, c, CONTACTS, q, T_CONTACT_SEARCH);
    char found[200], t[24];
    snprintf(t, sizeof t, "%lld", (long long)total);
    h_elem(&sb, "p", n ? portal_tf(c, T_OBJECTS_FOUND, found, sizeof found, t, NULL)
                       : portal_t(c, T_CONTACT_NONE),
           "id", "found", NULL);
    if (n) {
        char date[REG_TIME_STRLEN];
        h_open(&sb, "div", "class", "table-responsive", NULL);
        h_open(&sb, "table", "class", "table table-striped align-middle", "id", "contacts", NULL);
        const enum portal_text_id cols[] = {T_HANDLE, T_NAME, T_ORG, T_EMAIL, T_DOM_CREATED,
                                            T_IN_USE};
        portal_thead(&sb, c, cols, sizeof cols / sizeof cols[0]);
        h_open(&sb, "tbody", NULL);
        for (size_t i = 0; i < n; i++) {
            h_open(&sb, "tr", NULL);
            h_open(&sb, "td", "class", "text-nowrap", NULL);
            portal_object_link(&sb, c, CONTACTS, rows[i].handle, rows[i].handle);
            h_close(&sb, "td");
            h_elem(&sb, "td", rows[i].name, NULL);
            h_elem(&sb, "td", rows[i].org, NULL);
            h_elem(&sb, "td", rows[i].email, "class", "text-break", NULL);
            h_elem(&sb, "td", portal_date(rows[i].created_at, date), NULL);
            h_elem(&sb, "td", portal_t(c, rows[i].linked ? T_YES : T_NO), NULL);
            h_close(&sb, "tr");
        }
        h_close(&sb, "tbody");
        h_close(&sb, "table");
        h_close(&sb, "div");
    }
    char query[800];
    portal_query_of(q, query, sizeof query);
    portal_pager(&sb, c, CONTACTS, query, page, page * PAGE_SIZE < total);
    free(rows);
    portal_page_end(c, &sb, 200);
}

/* ---- create ------------------------------------------------------------------------------------ */

static void contact_form(strbuf *sb, struct portal_ctx *c, const struct portal_contact_form *f,
                         const char *path, bool with_id, enum portal_text_id button,
                         const char *id)
{
    char action[600];
    bool shown = f->err_field && (with_id || strcmp(f->err_field, "id"));
    form_alert(sb, f->err, shown);
    h_open(sb, "form", "method", "post", "id", id, "class", "row", "action",
           portal_url(c, path, action, sizeof action), NULL);
    portal_csrf_field(sb, c->s.csrf);
    if (!with_id)
        h_void(sb, "input", "type", "hidden", "name", "action", "value", "update", NULL);
    portal_contact_form_fields(sb, c, f, with_id);
    h_open(sb, "div", "class", "col-12", NULL);
    h_elem(sb, "button", portal_t(c, button), "type", "submit", "class", "btn btn-primary", NULL);
    h_close(sb, "div");
    h_close(sb, "form");
}

void portal_contact_new(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    struct portal_contact_form f;
    if (!portal_contact_form_take(c, &f, "contact-new"))
        portal_contact_form_set(&f, "kind", "person");
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_CONTACT_NEW));
    char back[320];
    h_open(&sb, "p", NULL);
    h_elem(&sb, "a", portal_t(c, T_BACK_TO_CONTACTS), "href",
           portal_url(c, CONTACTS, back, sizeof back), NULL);
    h_close(&sb, "p");
    h_elem(&sb, "p", portal_t(c, T_CONTACT_NEW_INTRO), "class", "text-muted", NULL);
    contact_form(&sb, c, &f, CONTACTS "/new", true, T_CONTACT_CREATE, "contact-create");
    portal_page_end(c, &sb, 200);
}

struct create_arg {
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1];
};

static reg_err create_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    struct create_arg *a = arg;
    return contact_create(op, &a->r, a->handle, st);
}

/* The outcome of a change: a system failure answered (503), a refusal
 * with the form kept and back to `form_path`, or done and on to `done_path`. */
static void after_change(struct portal_ctx *c, reg_err e, struct portal_contact_form *f,
                         const char *form, const reg_status *st, const char *form_path,
                         const char *done_path, const char *done_msg)
{
    if (reg_err_is_system(e))
        return; /* portal_run answered */
    reg_log(LOG_INFO, "portal", c->w->id, e ? "portal-contact-refused" : "portal-contact",
            "login=%s form=%s%s%s", c->s.login, form, e ? " reason=" : "",
            e ? reg_errname(e) : "");
    if (e && f) {
        portal_contact_form_keep(c, f, form, st->reason);
        portal_flash_set(c, ""); /* the message is shown by the form */
    } else if (!e) {
        portal_flash_ok(c, done_msg);
    }
    web_redirect(c->w, e ? form_path : done_path);
}

void portal_contact_create(struct portal_ctx *c)
{
    if (!portal_post_ok(c, PORTAL_REGISTRAR))
        return;
    struct portal_contact_form f;
    portal_contact_form_read(c, &f);
    struct create_arg a = {0};
    portal_contact_create_req_of(&f, &a.r);
    reg_status st = {0};
    reg_err e = portal_run(c, create_fn, &a, T_CONTACT_CREATED, "portal-contact-create-failed",
                           &st);
    char path[CONTACT_ID_MAX + 64], msg[300];
    char *enc = evhttp_encode_uri(a.handle);
    snprintf(path, sizeof path, CONTACTS "/%s", enc ? enc : "");
    free(enc);
    portal_tf(c, T_CONTACT_CREATED, msg, sizeof msg, a.handle, NULL);
    after_change(c, e, &f, "contact-new", &st, CONTACTS "/new", path, msg);
}

/* ---- a contact's page ------------------------------------------------------------------------ */

/* The contact of the route if it is the registrar's; otherwise the page
 * is answered (404, or 503) and false returned. */
static bool load_contact(struct portal_ctx *c, struct contact *ct)
{
    char *handle = arg_of(c);
    struct reg_op op = portal_write_op(c);
    reg_status st = {0};
    reg_err e = handle ? contact_info(&op, handle, NULL, ct, &st) : REG_ERR_NOT_FOUND;
    free(handle);
    if (!e && ct->sponsor_id != c->s.registrar_id) {
        contact_free(ct);
        e = REG_ERR_NOT_FOUND; /* another registrar's: not shown here */
    }
    if (e && reg_err_is_system(e))
        portal_unavailable(c, "portal-contact-failed", &st);
    else if (e)
        portal_send_message(c, 404, T_CONTACT_NOT_FOUND, T_CONTACT_NOT_FOUND_TEXT);
    return !e;
}

static void postal_facts(strbuf *sb, const struct portal_ctx *c, const struct contact_postal *p,
                         const char *type)
{
    if (!p->present)
        return;
    char id[32];
    strbuf v;
    sb_init(&v);
    for (int i = 0; i < CONTACT_STREETS; i++)
        if (p->street[i] && *p->street[i])
            sb_printf(&v, "%s%s", v.len ? ", " : "", p->street[i]);
    sb_printf(&v, "%s%s%s%s%s%s %s", v.len ? ", " : "", p->pc ? p->pc : "", p->pc ? " " : "",
              p->city ? p->city : "", p->sp && *p->sp ? ", " : "", p->sp ? p->sp : "",
              p->cc ? p->cc : "");
    char term[80];
    snprintf(id, sizeof id, "f-name-%s", type);
    snprintf(term, sizeof term, "%s (%s)", portal_t(c, T_NAME), type);
    portal_fact(sb, term, p->name, id);
    if (p->org && *p->org) {
        snprintf(id, sizeof id, "f-org-%s", type);
        snprintf(term, sizeof term, "%s (%s)", portal_t(c, T_ORG), type);
        portal_fact(sb, term, p->org, id);
    }
    snprintf(id, sizeof id, "f-addr-%s", type);
    snprintf(term, sizeof term, "%s (%s)", portal_t(c, T_ADDRESS), type);
    portal_fact(sb, term, sb_str(&v), id);
    sb_free(&v);
}

/* Everything contact:info shows the sponsor (RFC 5733 §3.1.2 and the
 * registry's extension). */
static void contact_facts(strbuf *sb, const struct portal_ctx *c, const struct contact *ct)
{
    strbuf v;
    sb_init(&v);
    h_open(sb, "dl", "class", "row", "id", "facts", NULL);
    portal_fact(sb, portal_t(c, T_HANDLE), ct->handle, "f-handle");
    portal_fact(sb, portal_t(c, T_DOM_ROID), ct->roid, "f-roid");
    const char *names[8], *msgs[8];
    size_t ns = contact_status_list(ct, names, msgs);
    for (size_t i = 0; i < ns; i++)
        sb_printf(&v, "%s%s%s%s%s", i ? ", " : "", names[i], msgs[i] ? " (" : "",
                  msgs[i] ? msgs[i] : "", msgs[i] ? ")" : "");
    portal_fact(sb, portal_t(c, T_STATUS), sb_str(&v), "f-status");
    postal_facts(sb, c, &ct->d.postal[CONTACT_LOC], "loc");
    postal_facts(sb, c, &ct->d.postal[CONTACT_INT], "int");
    sb_reset(&v);
    if (ct->d.voice)
        sb_printf(&v, "%s%s%s", ct->d.voice, ct->d.voice_x ? " x" : "",
                  ct->d.voice_x ? ct->d.voice_x : "");
    portal_fact(sb, portal_t(c, T_VOICE), sb_str(&v), "f-voice");
    if (ct->d.fax) {
        sb_reset(&v);
        sb_printf(&v, "%s%s%s", ct->d.fax, ct->d.fax_x ? " x" : "", ct->d.fax_x ? ct->d.fax_x : "");
        portal_fact(sb, portal_t(c, T_FAX), sb_str(&v), "f-fax");
    }
    if (ct->d.mobile)
        portal_fact(sb, portal_t(c, T_MOBILE), ct->d.mobile, "f-mobile");
    portal_fact(sb, portal_t(c, T_EMAIL), ct->d.email, "f-email");
    portal_fact(sb, portal_t(c, T_KIND), ct->d.kind, "f-kind");
    if (ct->d.ident_type) {
        sb_reset(&v);
        sb_printf(&v, "%s %s%s%s", ct->d.ident_type, ct->d.ident_value ? ct->d.ident_value : "",
                  ct->d.ident_cc ? " " : "", ct->d.ident_cc ? ct->d.ident_cc : "");
        portal_fact(sb, portal_t(c, T_IDENT), sb_str(&v), "f-ident");
    }
    if (ct->d.has_disclose) {
        char fields[200];
        contact_disclose_format(ct->d.disclose, fields, sizeof fields);
        sb_reset(&v);
        sb_printf(&v, "%s: %s", portal_t(c, ct->d.disclose_flag ? T_DISCLOSED : T_WITHHELD),
                  fields);
        portal_fact(sb, portal_t(c, T_DISCLOSE), sb_str(&v), "f-disclose");
    }
    portal_fact(sb, portal_t(c, T_IDCHECK), ct->idcheck_state, "f-idcheck");
    portal_fact(sb, portal_t(c, T_DOM_AUTHINFO),
         portal_t(c, ct->authinfo_set ? T_DOM_AUTH_IS_SET : T_DOM_AUTH_NOT_SET), "f-authinfo");
    portal_fact(sb, portal_t(c, T_DOM_SPONSOR), ct->sponsor, "f-sponsor");
    portal_fact_when(sb, c, T_DOM_CREATED, ct->created_at, ct->creator, "f-created");
    portal_fact_when(sb, c, T_DOM_UPDATED, ct->updated_at, ct->updater, "f-updated");
    portal_fact_when(sb, c, T_DOM_TRANSFERRED, ct->transferred_at, NULL, "f-transferred");
    h_close(sb, "dl");
    sb_free(&v);
}

struct uses {
    strbuf *sb;
    const struct portal_ctx *c;
    size_t n;
};

static void use_row(const char *name, const char *role, void *arg)
{
    struct uses *u = arg;
    static const struct {
        const char *role;
        enum portal_text_id text;
    } roles[] = {{"registrant", T_R_REGISTRANT}, {"admin", T_R_ADMIN},   {"tech", T_R_TECH},
                 {"billing", T_R_BILLING},       {"host", T_R_NS_ADMIN}};
    const char *shown = role;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (!strcmp(roles[i].role, role))
            shown = portal_t(u->c, roles[i].text);
    u->n++;
    h_open(u->sb, "tr", NULL);
    h_elem(u->sb, "td", name, NULL);
    h_elem(u->sb, "td", shown, NULL);
    h_close(u->sb, "tr");
}

/* The form's values from the stored contact: its loc postalInfo, else
 * its int one (the one an update changes: *type). */
static void form_of(const struct contact *ct, struct portal_contact_form *f, int *type)
{
    memset(f, 0, sizeof *f);
    *type = ct->d.postal[CONTACT_LOC].present ? CONTACT_LOC : CONTACT_INT;
    const struct contact_postal *p = &ct->d.postal[*type];
    const char *const pairs[][2] = {
        {"name", p->name},           {"org", p->org},         {"street1", p->street[0]},
        {"street2", p->street[1]},   {"street3", p->street[2]}, {"city", p->city},
        {"sp", p->sp},               {"pc", p->pc},           {"cc", p->cc},
        {"voice", ct->d.voice},      {"email", ct->d.email},  {"kind", ct->d.kind},
        {"ident_type", ct->d.ident_type}, {"ident_value", ct->d.ident_value},
        {"ident_cc", ct->d.ident_cc},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        portal_contact_form_set(f, pairs[i][0], pairs[i][1]);
}

void portal_contact_page(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    struct contact ct;
    if (!load_contact(c, &ct))
        return;
    strbuf sb, rows;
    sb_init(&sb);
    sb_init(&rows);
    struct uses u = {&rows, c, 0};
    reg_status st = {0};
    if (portal_contact_uses(&c->op, ct.handle, USES_SHOWN, use_row, &u, &st)) {
        contact_free(&ct);
        sb_free(&rows);
        portal_unavailable(c, "portal-contact-uses-failed", &st);
        return;
    }
    portal_page_begin(&sb, c, ct.handle);
    char back[320], path[CONTACT_ID_MAX + 64];
    h_open(&sb, "p", NULL);
    h_elem(&sb, "a", portal_t(c, T_BACK_TO_CONTACTS), "href",
           portal_url(c, CONTACTS, back, sizeof back), NULL);
    h_close(&sb, "p");
    contact_facts(&sb, c, &ct);

    h_elem(&sb, "h2", portal_t(c, T_CONTACT_USES), "class", "h5 mt-4", "id", "uses", NULL);
    if (u.n) {
        h_open(&sb, "div", "class", "table-responsive", NULL);
        h_open(&sb, "table", "class", "table table-striped", "id", "contact-uses", NULL);
        const enum portal_text_id cols[] = {T_OBJECT, T_ROLE};
        portal_thead(&sb, c, cols, 2);
        h_open(&sb, "tbody", NULL);
        sb_append(&sb, sb_str(&rows), rows.len); /* written by the same escaping writer */
        h_close(&sb, "tbody");
        h_close(&sb, "table");
        h_close(&sb, "div");
    } else {
        h_elem(&sb, "p", portal_t(c, T_CONTACT_UNUSED), "class", "text-muted", "id", "unused",
               NULL);
    }
    sb_free(&rows);

    struct portal_contact_form f;
    int type;
    if (!portal_contact_form_take(c, &f, ct.handle))
        form_of(&ct, &f, &type);
    char *enc = evhttp_encode_uri(ct.handle);
    snprintf(path, sizeof path, CONTACTS "/%s", enc ? enc : "");
    free(enc);
    h_elem(&sb, "h2", portal_t(c, T_CONTACT_CHANGE), "class", "h5 mt-4", "id", "change", NULL);
    contact_form(&sb, c, &f, path, false, T_SAVE, "contact-update");
    h_elem(&sb, "h2", portal_t(c, T_CONTACT_DELETE), "class", "h5 mt-4", NULL);
    if (ct.linked)
        h_elem(&sb, "p", portal_t(c, T_CONTACT_DELETE_LINKED), "class", "text-muted", NULL);
    portal_button_form(&sb, c, path, "action", "delete", portal_t(c, T_CONTACT_DELETE),
                       "btn btn-outline-danger", "contact-delete");
    contact_free(&ct);
    portal_page_end(c, &sb, 200);
}

/* ---- update and delete --------------------------------------------------------------------- */

struct change_arg {
    struct contact_update_req r;
    const char *handle;
};

static reg_err update_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    return contact_update(op, &((struct change_arg *)arg)->r, st);
}

static reg_err delete_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    return contact_delete(op, ((struct change_arg *)arg)->handle, st);
}

void portal_contact_post(struct portal_ctx *c)
{
    if (!portal_post_ok(c, PORTAL_REGISTRAR))
        return;
    struct contact ct;
    if (!load_contact(c, &ct))
        return;
    char handle[CONTACT_ID_MAX + 1], path[CONTACT_ID_MAX + 64], action[16] = "";
    snprintf(handle, sizeof handle, "%s", ct.handle);
    int type = ct.d.postal[CONTACT_LOC].present ? CONTACT_LOC : CONTACT_INT;
    contact_free(&ct);
    char *enc = evhttp_encode_uri(handle);
    snprintf(path, sizeof path, CONTACTS "/%s", enc ? enc : "");
    free(enc);
    web_form_field(c->w, "action", action, sizeof action);
    struct change_arg a = {.handle = handle};
    reg_status st = {0};
    char msg[300];
    if (!strcmp(action, "delete")) {
        reg_err e = portal_run(c, delete_fn, &a, T_CONTACT_DELETED, "portal-contact-delete-failed",
                               &st);
        /* refused: the reason at the top of the contact's page */
        after_change(c, e, NULL, "delete", &st, path, CONTACTS,
                     portal_tf(c, T_CONTACT_DELETED, msg, sizeof msg, handle, NULL));
        return;
    }
    struct portal_contact_form f;
    portal_contact_form_read(c, &f);
    portal_contact_update_req_of(&f, type, &a.r);
    a.r.id = handle;
    reg_err e = portal_run(c, update_fn, &a, T_CONTACT_SAVED, "portal-contact-update-failed", &st);
    after_change(c, e, &f, handle, &st, path, path, portal_t(c, T_CONTACT_SAVED));
}
