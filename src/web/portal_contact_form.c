/* A contact's form, shared by Administration → Create handle and the
 * Contacts pages: its fields, the field a registry refusal concerns, the
 * values kept over the redirect after a refusal, and the form's values
 * as contact_create's request. */
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "portal_internal.h"

#define FORM_COOKIE "portal_form"

/* The form's fields: name, label, required. */
static const struct field {
    const char *name;
    enum portal_text_id label;
    bool required;
} fields[PORTAL_CONTACT_FIELDS] = {
    {"id", T_HANDLE_ID, false},      {"kind", T_KIND, false},
    {"name", T_NAME, true},          {"org", T_ORG, false},
    {"street1", T_STREET, false},    {"street2", T_STREET, false},
    {"street3", T_STREET, false},    {"city", T_CITY, true},
    {"sp", T_SP, false},             {"pc", T_PC, false},
    {"cc", T_CC, true},              {"voice", T_VOICE, false},
    {"email", T_EMAIL, true},        {"ident_type", T_IDENT_TYPE, false},
    {"ident_value", T_IDENT_VALUE, false}, {"ident_cc", T_IDENT_CC, false},
};

/* The field a contact_create or contact_update reason concerns (its
 * words name it), or NULL. */
static const char *field_of(const char *reason)
{
    static const struct {
        const char *words, *field;
    } map[] = {
        {"needs a name", "name"},    {" name", "name"},           {" org", "org"},
        {"street", "street1"},       {"city", "city"},            {" sp", "sp"},
        {" pc", "pc"},               {"country code", "cc"},      {"voice", "voice"},
        {"email", "email"},          {"e-mail", "email"},         {"contact type", "kind"},
        {"ident cc", "ident_cc"},    {"ident needs cc", "ident_cc"},
        {"ident type \"", "ident_type"}, {"ident", "ident_value"},
        {"contact id", "id"},        {"contact ", "id"},
    };
    /* the words outside quotes: a quoted value is what the user typed */
    char words[400];
    bool quoted = false;
    size_t k = 0;
    for (const char *p = reason; *p && k + 1 < sizeof words; p++) {
        if (*p == '"')
            quoted = !quoted;
        words[k++] = quoted && *p != '"' ? '_' : *p;
    }
    words[k] = '\0';
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strstr(words, map[i].words))
            return map[i].field;
    return NULL;
}

void portal_contact_form_read(const struct portal_ctx *c, struct portal_contact_form *f)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < PORTAL_CONTACT_FIELDS; i++)
        web_form_field(c->w, fields[i].name, f->v[i], PORTAL_CONTACT_FIELD_MAX);
}

void portal_contact_form_set(struct portal_contact_form *f, const char *name, const char *value)
{
    for (size_t i = 0; i < PORTAL_CONTACT_FIELDS; i++)
        if (!strcmp(fields[i].name, name))
            snprintf(f->v[i], PORTAL_CONTACT_FIELD_MAX, "%s", value ? value : "");
}

char *portal_contact_form_value(struct portal_contact_form *f, const char *name)
{
    for (size_t i = 0; i < PORTAL_CONTACT_FIELDS; i++)
        if (!strcmp(fields[i].name, name))
            return f->v[i][0] ? f->v[i] : NULL;
    return NULL;
}

void portal_form_keep(struct portal_ctx *c, const char *form, const char *const *names,
                      const char *const *values, size_t n, const char *field, const char *err)
{
    strbuf sb;
    sb_init(&sb);
    const char *meta[][2] = {{"_form", form}, {"_field", field ? field : ""}, {"_err", err}};
    for (size_t i = 0; i < 3 + n; i++) {
        char *enc = evhttp_encode_uri(i < 3 ? meta[i][1] : values[i - 3]);
        if (enc)
            sb_printf(&sb, "%s%s=%s", i ? "&" : "", i < 3 ? meta[i][0] : names[i - 3], enc);
        free(enc);
    }
    size_t cap = sb.len * 4 / 3 + 8;
    char *b64 = malloc(cap);
    if (b64 && !sb.err && cap < 3800) {
        sodium_bin2base64(b64, cap, (const unsigned char *)sb_str(&sb), sb.len,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        web_set_cookie(c->w, FORM_COOKIE, b64, PORTAL_PREFIX, 120);
    }
    free(b64);
    sb_free(&sb);
}

bool portal_form_take(struct portal_ctx *c, const char *form, const char *const *names,
                      char *const *values, const size_t *cap, size_t n, char *field,
                      size_t field_cap, char *err, size_t err_cap)
{
    char b64[4096], raw[3072];
    size_t len = 0;
    field[0] = err[0] = '\0';
    if (!web_cookie(c->w, FORM_COOKIE, b64, sizeof b64) || !b64[0])
        return false;
    if (sodium_base642bin((unsigned char *)raw, sizeof raw - 1, b64, strlen(b64), NULL, &len,
                          NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        return false;
    raw[len] = '\0';
    struct evkeyvalq q = {0};
    if (evhttp_parse_query_str(raw, &q)) {
        evhttp_clear_headers(&q);
        return false;
    }
    const char *which = evhttp_find_header(&q, "_form");
    if (!which || strcmp(which, form)) { /* another page's form: left for it */
        evhttp_clear_headers(&q);
        return false;
    }
    web_set_cookie(c->w, FORM_COOKIE, "", PORTAL_PREFIX, 0);
    for (size_t i = 0; i < n; i++) {
        const char *v = evhttp_find_header(&q, names[i]);
        snprintf(values[i], cap[i], "%s", v ? v : "");
    }
    const char *fld = evhttp_find_header(&q, "_field"), *msg = evhttp_find_header(&q, "_err");
    snprintf(field, field_cap, "%s", fld ? fld : "");
    snprintf(err, err_cap, "%s", msg ? msg : "");
    evhttp_clear_headers(&q);
    return true;
}

static const char *const *field_names(void)
{
    static const char *names[PORTAL_CONTACT_FIELDS];
    for (size_t i = 0; i < PORTAL_CONTACT_FIELDS; i++)
        names[i] = fields[i].name;
    return names;
}

void portal_contact_form_keep(struct portal_ctx *c, struct portal_contact_form *f,
                              const char *form, const char *reason)
{
    const char *values[PORTAL_CONTACT_FIELDS];
    for (size_t i = 0; i < PORTAL_CONTACT_FIELDS; i++)
        values[i] = f->v[i];
    snprintf(f->err, sizeof f->err, "%s", reason);
    f->err_field = field_of(reason);
    portal_form_keep(c, form, field_names(), values, PORTAL_CONTACT_FIELDS, f->err_field, f->err);
}

bool portal_contact_form_take(struct portal_ctx *c, struct portal_contact_form *f,
                              const char *form)
{
    char *values[PORTAL_CONTACT_FIELDS], field[32];
    size_t cap[PORTAL_CONTACT_FIELDS];
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < PORTAL_CONTACT_FIELDS; i++)
        values[i] = f->v[i], cap[i] = PORTAL_CONTACT_FIELD_MAX;
    if (!portal_form_take(c, form, field_names(), values, cap, PORTAL_CONTACT_FIELDS, field,
                          sizeof field, f->err, sizeof f->err))
        return false;
    for (size_t i = 0; i < PORTAL_CONTACT_FIELDS; i++)
        if (!strcmp(field, fields[i].name))
            f->err_field = fields[i].name;
    return true;
}

static void select_field(strbuf *sb, const struct portal_ctx *c, const char *name,
                         enum portal_text_id label, const char *value,
                         const char *const *values, const enum portal_text_id *labels, size_t n,
                         const char *err)
{
    char err_id[40];
    snprintf(err_id, sizeof err_id, "error-%s", name);
    h_open(sb, "div", "class", "mb-3 col-md-6", NULL);
    h_elem(sb, "label", portal_t(c, label), "for", name, "class", "form-label", NULL);
    h_open(sb, "select", "id", name, "name", name, "class",
           err ? "form-select is-invalid" : "form-select", "aria-describedby", err ? err_id : NULL,
           NULL);
    for (size_t i = 0; i < n; i++)
        h_elem(sb, "option", portal_t(c, labels[i]), "value", values[i],
               !strcmp(value, values[i]) ? "selected" : NULL, NULL, NULL);
    h_close(sb, "select");
    if (err)
        h_elem(sb, "div", err, "class", "invalid-feedback", "id", err_id, NULL);
    h_close(sb, "div");
}

void portal_contact_form_fields(strbuf *sb, const struct portal_ctx *c,
                                const struct portal_contact_form *f, bool with_id)
{
    for (size_t i = with_id ? 0 : 1; i < PORTAL_CONTACT_FIELDS; i++) {
        const char *name = fields[i].name, *value = f->v[i];
        const char *err = f->err_field && !strcmp(f->err_field, name) ? f->err : NULL;
        if (!strcmp(name, "kind")) {
            /* a contact without a type keeps none unless one is chosen */
            static const char *const v[] = {"organization", "person", "role", ""};
            static const enum portal_text_id l[] = {T_KIND_ORGANIZATION, T_KIND_PERSON,
                                                    T_KIND_ROLE, T_KIND_NONE};
            select_field(sb, c, name, T_KIND, value, v, l, value[0] ? 3 : 4, err);
            continue;
        }
        if (!strcmp(name, "ident_type")) {
            static const char *const v[] = {"", "org", "priv", "birthday", "passport"};
            static const enum portal_text_id l[] = {T_IDENT_NONE, T_IDENT_ORG, T_IDENT_PRIV,
                                                    T_IDENT_BIRTHDAY, T_IDENT_PASSPORT};
            select_field(sb, c, name, T_IDENT_TYPE, value, v, l, 5, err);
            continue;
        }
        char err_id[40];
        snprintf(err_id, sizeof err_id, "error-%s", name);
        h_open(sb, "div", "class", "mb-3 col-md-6", NULL);
        h_elem(sb, "label", portal_t(c, fields[i].label), "for", name, "class", "form-label",
               NULL);
        h_void(sb, "input", "id", name, "name", name, "type",
               !strcmp(name, "email") ? "email" : "text", "value", value, "maxlength", "255",
               "class", err ? "form-control is-invalid" : "form-control",
               /* (name, value) pairs that are there: a NULL name ends the list */
               err ? "aria-describedby" : fields[i].required ? "required" : NULL,
               err ? err_id : NULL, err && fields[i].required ? "required" : NULL, NULL, NULL);
        if (err)
            h_elem(sb, "div", err, "class", "invalid-feedback", "id", err_id, NULL);
        h_close(sb, "div");
    }
}

/* The contact's (loc) postal data of the form, strings pointing into f. */
static void postal_of(struct portal_contact_form *f, struct contact_postal *p)
{
#define V(name) portal_contact_form_value(f, name)
    p->present = true;
    p->name = V("name");
    p->org = V("org");
    p->street[0] = V("street1");
    p->street[1] = V("street2");
    p->street[2] = V("street3");
    p->city = V("city");
    p->sp = V("sp");
    p->pc = V("pc");
    p->cc = V("cc");
#undef V
}

void portal_contact_create_req_of(struct portal_contact_form *f, struct contact_create_req *r)
{
    memset(r, 0, sizeof *r);
#define V(name) portal_contact_form_value(f, name)
    r->id = V("id");
    postal_of(f, &r->d.postal[CONTACT_LOC]);
    r->d.voice = V("voice");
    r->d.email = V("email");
    r->d.kind = V("kind");
    r->d.ident_type = V("ident_type");
    r->d.ident_value = V("ident_value");
    r->d.ident_cc = V("ident_cc");
#undef V
}

void portal_contact_update_req_of(struct portal_contact_form *f, int postal_type,
                                  struct contact_update_req *r)
{
    memset(r, 0, sizeof *r);
#define V(name) portal_contact_form_value(f, name)
    struct contact_postal *p = &r->postal[postal_type];
    postal_of(f, p);
    p->has_addr = true;
    static char none[] = "";
    if (!p->org) /* an emptied organisation is removed */
        p->org = none;
    r->chg_voice = true;
    r->voice = V("voice");
    r->email = V("email");
    r->kind = V("kind");
    r->chg_ident = true;
    r->ident_type = V("ident_type");
    r->ident_value = V("ident_value");
    r->ident_cc = V("ident_cc");
#undef V
}
