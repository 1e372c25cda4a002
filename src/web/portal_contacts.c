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

#include "html.h"
#include "portal_internal.h"
#include "registry/portal_objects.h"

#define CONTACTS PORTAL_PREFIX "/contacts"
#define USES_SHOWN 200

/* A refusal that concerns no field shown: at the top of the form. */
static void form_alert(strbuf *sb, const char *err, bool shown)
{
    if (err && *err && !shown)
        h_elem(sb, "div", err, "class", "alert alert-danger", "role", "alert", "id", "form-error",
               NULL);
}

/* ---- the list -------------------------------------------------------------------------------- */

static reg_err fetch(const struct reg_op *op, int64_t registrar_id, const char *q,
                     int64_t offset, size_t limit, void *rows, size_t *n, int64_t *total,
                     reg_status *st)
{
    return portal_contacts_page(op, registrar_id, q, offset, limit, rows, n, total, st);
}

static void list_row(strbuf *sb, const struct portal_ctx *c, const void *row)
{
    const struct portal_contact_row *r = row;
    char date[REG_TIME_STRLEN];
    h_open(sb, "tr", NULL);
    h_open(sb, "td", "class", "text-nowrap", NULL);
    portal_object_link(sb, c, CONTACTS, r->handle, r->handle);
    h_close(sb, "td");
    h_elem(sb, "td", r->name, NULL);
    h_elem(sb, "td", r->org, NULL);
    h_elem(sb, "td", r->email, "class", "text-break", NULL);
    h_elem(sb, "td", portal_date(r->created_at, date), NULL);
    h_elem(sb, "td", portal_t(c, r->linked ? T_YES : T_NO), NULL);
    h_close(sb, "tr");
}

void portal_contacts(struct portal_ctx *c)
{
    static const enum portal_text_id cols[] = {T_HANDLE, T_NAME,        T_ORG,
                                               T_EMAIL,  T_DOM_CREATED, T_IN_USE};
    static const struct portal_list list = {
        .path = CONTACTS, .title = T_CONTACTS, .new_text = T_CONTACT_NEW,
        .new_id = "new-contact", .search_label = T_CONTACT_SEARCH, .none = T_CONTACT_NONE,
        .table_id = "contacts", .cols = cols, .ncols = sizeof cols / sizeof cols[0],
        .row_size = sizeof(struct portal_contact_row), .fetch = fetch, .row = list_row,
        .failed = "portal-contacts-failed"};
    portal_list_page(c, &list);
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
    portal_detail_begin(&sb, c, portal_t(c, T_CONTACT_NEW), CONTACTS, T_BACK_TO_CONTACTS);
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

/* After portal_run: the form kept on a refusal (f: the form, NULL for
 * none), then portal_after_change. */
static void after_change(struct portal_ctx *c, reg_err e, struct portal_contact_form *f,
                         const char *form, const reg_status *st, const char *form_path,
                         const char *done_path, const char *done_msg)
{
    if (e && f && !reg_err_is_system(e))
        portal_contact_form_keep(c, f, form, st->reason);
    portal_after_change(c, e, "portal-contact", f != NULL, form_path, done_path, done_msg);
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
    char *handle = portal_arg(c);
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
    portal_detail_begin(&sb, c, ct.handle, CONTACTS, T_BACK_TO_CONTACTS);
    char path[CONTACT_ID_MAX + 64];
    contact_facts(&sb, c, &ct);

    h_elem(&sb, "h2", portal_t(c, T_CONTACT_USES), "class", "h5 mt-4", "id", "uses", NULL);
    if (u.n) {
        const enum portal_text_id cols[] = {T_OBJECT, T_ROLE};
        portal_table_begin(&sb, c, "contact-uses", cols, 2);
        sb_append(&sb, sb_str(&rows), rows.len); /* written by the same escaping writer */
        portal_table_end(&sb);
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
