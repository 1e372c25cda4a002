/* The rest of a domain's life in the portal (issue 16): create (with the
 * registrant's terms acceptance, R20, and the management model, R18), on
 * a domain's page its contacts and client statuses, DS records, incoming
 * transfers, delete (R7 with the registrant's confirmation, or R8
 * verified) and restore; transfer requests for another registrar's domain
 * (auth info, or a one-time password to the registrant, R16); bulk
 * renewal and tech-contact replacement. Every change is the registry's
 * operation EPP uses (registry/portal_domains.h); its refusal is shown
 * next to the field it concerns. */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/money.h"
#include "html.h"
#include "portal_internal.h"
#include "registry/domain.h"
#include "registry/portal_domains.h"
#include "registry/terms.h"

#define BULK_MAX PORTAL_DOMAINS_PAGE_MAX
#define YEARS_MAX 10

/* The client statuses a registrar sets on the page (RFC 5731 §2.3). */
static const char *const client_statuses[] = {
    "clientHold", "clientTransferProhibited", "clientUpdateProhibited", "clientDeleteProhibited",
    "clientRenewProhibited",
};
#define NCLIENT (sizeof client_statuses / sizeof client_statuses[0])

static const char *currency(const struct portal_ctx *c)
{
    return c->op.policy->currency ? c->op.policy->currency : "DKK";
}

/* A labelled select of 1..YEARS_MAX years; with prices (operation) when
 * the registry has them. */
static void years_select(strbuf *sb, struct portal_ctx *c, const char *id, const char *operation,
                         int chosen, const char *error)
{
    struct reg_op op = portal_domain_op(c);
    h_elem(sb, "label", portal_t(c, T_RENEW_YEARS), "for", id, "class", "form-label", NULL);
    h_open(sb, "select", "id", id, "name", id, "class",
           error ? "form-select is-invalid" : "form-select", NULL);
    for (int y = 1; y <= YEARS_MAX; y++) {
        char num[12], text[96], money[48];
        int64_t amount;
        reg_status st = {0};
        snprintf(num, sizeof num, "%d", y);
        if (operation && !portal_domain_price(&op, operation, y, &amount, &st))
            snprintf(text, sizeof text, "%d (%s)", y,
                     money_format_in(amount, currency(c), c->lang, money, sizeof money));
        else
            snprintf(text, sizeof text, "%d", y);
        h_elem(sb, "option", text, "value", num, y == chosen ? "selected" : NULL, NULL, NULL);
    }
    h_close(sb, "select");
    if (error)
        h_elem(sb, "div", error, "class", "invalid-feedback", NULL);
}

/* ---- create --------------------------------------------------------------------------------- */

/* The create form's fields: its values come back in the query string
 * after a refusal, so nothing typed is lost. */
static const char *const create_fields[] = {"name", "years", "registrant", "admin", "tech",
                                            "ns", "management", "terms"};
#define NCREATE (sizeof create_fields / sizeof create_fields[0])
#define CREATE_VALUE_MAX 1024

void portal_domain_new(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    char v[NCREATE][CREATE_VALUE_MAX];
    for (size_t i = 0; i < NCREATE; i++) {
        v[i][0] = '\0';
        web_query_field(c->w, create_fields[i], v[i], sizeof v[i]);
    }
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_NEW_TITLE));
    char action[320], label[200];
    h_open(&sb, "form", "method", "post", "id", "create-form", "class", "row g-3", "novalidate",
           NULL, "action", portal_url(c, PORTAL_PREFIX "/domains/new", action, sizeof action),
           NULL);
    portal_csrf_field(&sb, c->s.csrf);
    portal_text_input(&sb, "name", portal_t(c, T_DOM_NAME), "text", v[0],
                      portal_field_error(c, "name"));
    h_open(&sb, "div", "class", "col-sm-6 col-lg-3", NULL);
    years_select(&sb, c, "years", "create", atoi(v[1]) ? atoi(v[1]) : 1,
                 portal_field_error(c, "years"));
    h_close(&sb, "div");
    portal_text_input(&sb, "registrant", portal_t(c, T_DOM_REGISTRANT), "text", v[2],
                      portal_field_error(c, "registrant"));
    portal_text_input(&sb, "admin", portal_t(c, T_NEW_ADMIN), "text", v[3],
                      portal_field_error(c, "admin"));
    portal_text_input(&sb, "tech", portal_t(c, T_NEW_TECH), "text", v[4],
                      portal_field_error(c, "tech"));
    const char *ns_error = portal_field_error(c, "ns");
    h_open(&sb, "div", "class", "col-md-6", NULL);
    h_elem(&sb, "label", portal_t(c, T_DOM_NS), "for", "ns", "class", "form-label", NULL);
    h_elem(&sb, "textarea", v[5], "id", "ns", "name", "ns", "rows", "3", "class",
           ns_error ? "form-control is-invalid" : "form-control", "aria-describedby", "ns-help",
           NULL);
    h_elem(&sb, "div", portal_t(c, T_NS_HELP), "id", "ns-help", "class", "form-text", NULL);
    if (ns_error)
        h_elem(&sb, "div", ns_error, "id", "ns-error", "class", "invalid-feedback", NULL);
    h_close(&sb, "div");
    /* R18: the management model, the registrar's default unless chosen */
    const char *mg_error = portal_field_error(c, "management");
    h_open(&sb, "div", "class", "col-sm-6 col-lg-3", NULL);
    h_elem(&sb, "label", portal_t(c, T_DOM_MANAGEMENT), "for", "management", "class",
           "form-label", NULL);
    h_open(&sb, "select", "id", "management", "name", "management", "class",
           mg_error ? "form-select is-invalid" : "form-select", NULL);
    const struct {
        const char *value;
        enum portal_text_id text;
    } models[] = {{"", T_NEW_MG_DEFAULT}, {"registrar", T_NEW_MG_REGISTRAR},
                  {"registrant", T_NEW_MG_REGISTRANT}};
    for (size_t i = 0; i < 3; i++)
        h_elem(&sb, "option", portal_t(c, models[i].text), "value", models[i].value,
               strcmp(v[6], models[i].value) ? NULL : "selected", NULL, NULL);
    h_close(&sb, "select");
    if (mg_error)
        h_elem(&sb, "div", mg_error, "class", "invalid-feedback", NULL);
    h_close(&sb, "div");
    /* R20: the registrant's acceptance of the registry's terms */
    const char *terms_error = portal_field_error(c, "terms");
    h_open(&sb, "div", "class", "col-12", NULL);
    h_open(&sb, "div", "class", "form-check", NULL);
    h_void(&sb, "input", "type", "checkbox", "class",
           terms_error ? "form-check-input is-invalid" : "form-check-input", "id", "terms", "name",
           "terms", "value", "1", v[7][0] ? "checked" : NULL, NULL, NULL);
    h_elem(&sb, "label",
           portal_tf(c, T_NEW_TERMS, label, sizeof label, terms_current(c->op.policy), NULL),
           "for", "terms", "class", "form-check-label", NULL);
    if (terms_error)
        h_elem(&sb, "div", terms_error, "id", "terms-error", "class", "invalid-feedback", NULL);
    h_close(&sb, "div");
    h_close(&sb, "div");
    h_open(&sb, "div", "class", "col-12", NULL);
    portal_submit(&sb, portal_t(c, T_NEW_BUTTON), "btn btn-primary");
    h_close(&sb, "div");
    h_close(&sb, "form");
    portal_page_end(c, &sb, 200);
}

/* Whether the reason names `word` as a word of its own (any case). */
static bool names_word(const char *reason, const char *word)
{
    size_t len = strlen(word);
    for (const char *p = reason; len && (p = strcasestr(p, word)); p++) {
        char after = p[len];
        if ((p == reason || p[-1] == ' ') &&
            (!after || after == ' ' || after == ',' || after == ':' || after == ';'))
            return true;
    }
    return false;
}

/* The form field a refusal of the create concerns: the one whose value
 * the reason names, else by what it speaks of, else the name. */
static const char *create_field_of(const char *reason, char v[NCREATE][CREATE_VALUE_MAX])
{
    static const size_t by_value[] = {2, 3, 4, 5}; /* registrant, admin, tech, ns */
    for (size_t k = 0; k < sizeof by_value / sizeof by_value[0]; k++) {
        char copy[CREATE_VALUE_MAX];
        snprintf(copy, sizeof copy, "%s", v[by_value[k]]);
        const char *w[DOMAIN_NS_MAX + 1];
        size_t n = portal_words(copy, w, DOMAIN_NS_MAX);
        for (size_t i = 0; i < n && i < DOMAIN_NS_MAX; i++)
            if (names_word(reason, w[i]))
                return create_fields[by_value[k]];
    }
    if (strstr(reason, "terms"))
        return "terms";
    if (strstr(reason, "management"))
        return "management";
    if (strstr(reason, "period"))
        return "years";
    if (strstr(reason, "registrant"))
        return "registrant";
    if (strstr(reason, "name server") || strstr(reason, "host"))
        return "ns";
    return "name";
}

/* Back to the form with what was typed (what fits in a Location). */
static void create_back(struct portal_ctx *c, char v[NCREATE][CREATE_VALUE_MAX])
{
    strbuf q;
    sb_init(&q);
    sb_puts(&q, PORTAL_PREFIX "/domains/new?");
    for (size_t i = 0; i < NCREATE; i++) {
        char *enc = evhttp_encode_uri(v[i]);
        if (enc && q.len + strlen(enc) + 20 < 440)
            sb_printf(&q, "%s%s=%s", i ? "&" : "", create_fields[i], enc);
        free(enc);
    }
    web_redirect(c->w, sb_str(&q));
    sb_free(&q);
}

void portal_domain_new_post(struct portal_ctx *c)
{
    if (!portal_post_ok(c, PORTAL_REGISTRAR))
        return;
    char v[NCREATE][CREATE_VALUE_MAX];
    for (size_t i = 0; i < NCREATE; i++) {
        v[i][0] = '\0';
        web_form_field(c->w, create_fields[i], v[i], sizeof v[i]);
    }
    char w[4][CREATE_VALUE_MAX]; /* admin, tech, ns split in these copies */
    const char *admin[DOMAIN_CONTACTS_MAX + 1], *tech[DOMAIN_CONTACTS_MAX + 1],
        *ns[DOMAIN_NS_MAX + 1];
    snprintf(w[0], sizeof w[0], "%s", v[3]);
    snprintf(w[1], sizeof w[1], "%s", v[4]);
    snprintf(w[2], sizeof w[2], "%s", v[5]);
    size_t nadmin = portal_words(w[0], admin, DOMAIN_CONTACTS_MAX);
    size_t ntech = portal_words(w[1], tech, DOMAIN_CONTACTS_MAX);
    size_t nns = portal_words(w[2], ns, DOMAIN_NS_MAX);
    struct domain_create in = {.name = v[0], .period_months = atoi(v[1]) * 12,
                               .registrant = v[2],
                               .management = v[6][0] ? v[6] : NULL};
    char accepted[REG_TIME_STRLEN];
    if (v[7][0]) { /* accepted now, the version the form showed */
        in.terms_version = terms_current(c->op.policy);
        in.terms_accepted = clock_format(c->op.now, accepted, sizeof accepted);
    }
    reg_status st = {0};
    reg_err e = REG_OK;
    const char *field = NULL;
    if (!v[0][0]) {
        e = reg_fail(&st, REG_ERR_MISSING, "%s", portal_t(c, T_NEW_NAME_MISSING));
        field = "name";
    } else if (!v[7][0]) {
        e = reg_fail(&st, REG_ERR_POLICY, "%s", portal_t(c, T_NEW_TERMS_MISSING));
        field = "terms";
    } else if (nadmin > DOMAIN_CONTACTS_MAX || ntech > DOMAIN_CONTACTS_MAX ||
               nadmin + ntech > DOMAIN_CONTACTS_MAX) {
        e = reg_fail(&st, REG_ERR_POLICY, "a domain has at most %d contacts",
                     DOMAIN_CONTACTS_MAX);
        field = nadmin > ntech ? "admin" : "tech";
    } else if (nns > DOMAIN_NS_MAX) {
        e = reg_fail(&st, REG_ERR_POLICY, "a domain has at most %d name servers", DOMAIN_NS_MAX);
        field = "ns";
    } else {
        for (size_t i = 0; i < nadmin + ntech; i++) {
            struct domain_contact *dc = &in.contacts[in.ncontacts++];
            snprintf(dc->role, sizeof dc->role, "%s", i < nadmin ? "admin" : "tech");
            snprintf(dc->handle, sizeof dc->handle, "%s", i < nadmin ? admin[i] : tech[i - nadmin]);
        }
        for (size_t i = 0; i < nns; i++)
            in.ns[in.nns++] = ns[i];
        struct reg_op op = portal_domain_op(c);
        struct domain d;
        e = portal_domain_create(&op, &in, &d, &st);
        if (!e) {
            char msg[300], path[NAME_MAX_LEN + 64], date[REG_TIME_STRLEN];
            portal_tf(c, T_NEW_DONE, msg, sizeof msg, d.name.ulabel,
                      clock_format_date(d.expires_at, date, sizeof date), NULL);
            reg_log(LOG_INFO, "portal", c->w->id, "portal-domain-create", "login=%s domain=%s",
                    c->s.login, d.name.alabel);
            snprintf(path, sizeof path, PORTAL_PREFIX "/domains/%s", d.name.alabel);
            domain_free(&d);
            portal_flash_ok(c, msg);
            web_redirect(c->w, path);
            return;
        }
        if (reg_err_is_system(e)) {
            portal_unavailable(c, "portal-domain-create-failed", &st);
            return;
        }
        field = create_field_of(st.reason, v);
    }
    reg_log(LOG_INFO, "portal", c->w->id, "portal-change-refused",
            "login=%s field=%s object=%s reason=%s", c->s.login, field, v[0], reg_errname(e));
    portal_flash_field(c, field, st.reason);
    create_back(c, v);
}

/* ---- on a domain's page --------------------------------------------------------------------- */

static void heading(strbuf *sb, const struct portal_ctx *c, enum portal_text_id text)
{
    h_elem(sb, "h2", portal_t(c, text), "class", "h5 mt-4", NULL);
}

static void contacts_form(strbuf *sb, struct portal_ctx *c, const struct domain *d)
{
    strbuf admin, tech;
    sb_init(&admin);
    sb_init(&tech);
    for (size_t i = 0; i < d->ncontacts; i++) {
        strbuf *to = !strcmp(d->contacts[i].role, "admin")  ? &admin
                     : !strcmp(d->contacts[i].role, "tech") ? &tech
                                                            : NULL;
        if (to)
            sb_printf(to, "%s%s", to->len ? " " : "", d->contacts[i].handle);
    }
    const char *error = portal_field_error(c, "contacts");
    heading(sb, c, T_CT_TITLE);
    portal_domain_form_open(sb, c, d, "contacts", "contacts-form");
    h_open(sb, "div", "class", "row g-3 mb-3", NULL);
    portal_text_input(sb, "admin", portal_t(c, T_NEW_ADMIN), "text", sb_str(&admin), error);
    portal_text_input(sb, "tech", portal_t(c, T_NEW_TECH), "text", sb_str(&tech), NULL);
    h_close(sb, "div");
    h_open(sb, "fieldset", "class", "mb-3", NULL);
    h_elem(sb, "legend", portal_t(c, T_CT_STATUSES), "class", "form-label fs-6", NULL);
    for (size_t i = 0; i < NCLIENT; i++) {
        char id[48];
        snprintf(id, sizeof id, "st-%s", client_statuses[i]);
        h_open(sb, "div", "class", "form-check form-check-inline", NULL);
        h_void(sb, "input", "type", "checkbox", "class", "form-check-input", "id", id, "name", id,
               "value", "1", status_has(&d->statuses, client_statuses[i]) ? "checked" : NULL,
               NULL, NULL);
        h_elem(sb, "label", client_statuses[i], "for", id, "class", "form-check-label", NULL);
        h_close(sb, "div");
    }
    h_close(sb, "fieldset");
    portal_submit(sb, portal_t(c, T_CT_SAVE), "btn btn-primary");
    h_close(sb, "form");
    sb_free(&admin);
    sb_free(&tech);
}

static void ds_hidden(strbuf *sb, const struct ds_data *ds)
{
    char num[3][16];
    snprintf(num[0], sizeof num[0], "%d", ds->key_tag);
    snprintf(num[1], sizeof num[1], "%d", ds->alg);
    snprintf(num[2], sizeof num[2], "%d", ds->digest_type);
    portal_hidden(sb, "key_tag", num[0]);
    portal_hidden(sb, "alg", num[1]);
    portal_hidden(sb, "digest_type", num[2]);
    portal_hidden(sb, "digest", ds->digest);
}

static void ds_forms(strbuf *sb, struct portal_ctx *c, const struct domain *d)
{
    heading(sb, c, T_DOM_DS);
    if (d->nds) {
        h_open(sb, "ul", "class", "list-unstyled", "id", "ds-list", NULL);
        for (size_t i = 0; i < d->nds; i++) {
            char text[220], id[32];
            snprintf(text, sizeof text, "%d %d %d %s", d->ds[i].key_tag, d->ds[i].alg,
                     d->ds[i].digest_type, d->ds[i].digest);
            snprintf(id, sizeof id, "ds-rem-%zu", i);
            h_open(sb, "li", "class", "d-flex flex-wrap gap-2 align-items-center mb-2", NULL);
            h_elem(sb, "code", text, "class", "text-break", NULL);
            portal_domain_form_open(sb, c, d, "ds-rem", id);
            ds_hidden(sb, &d->ds[i]);
            char aria[260];
            h_elem(sb, "button", portal_t(c, T_DS_REMOVE), "type", "submit", "class",
                   "btn btn-sm btn-outline-danger", "aria-label",
                   portal_tf(c, T_DS_REMOVE_ONE, aria, sizeof aria, text, NULL), NULL);
            h_close(sb, "form");
            h_close(sb, "li");
        }
        h_close(sb, "ul");
    }
    const char *error = portal_field_error(c, "ds");
    portal_domain_form_open(sb, c, d, "ds-add", "ds-form");
    h_open(sb, "div", "class", "row g-3 mb-3", NULL);
    portal_text_input(sb, "key_tag", portal_t(c, T_DS_KEYTAG), "text", "", NULL);
    portal_text_input(sb, "alg", portal_t(c, T_DS_ALG), "text", "13", NULL);
    portal_text_input(sb, "digest_type", portal_t(c, T_DS_DIGEST_TYPE), "text", "2", NULL);
    portal_text_input(sb, "digest", portal_t(c, T_DS_DIGEST), "text", "", error);
    h_close(sb, "div");
    portal_submit(sb, portal_t(c, T_DS_ADD), "btn btn-primary");
    h_close(sb, "form");
}

/* An incoming transfer waiting for this registrar: approve or reject. */
static reg_err transfer_forms(strbuf *sb, struct portal_ctx *c, const struct domain *d,
                              reg_status *st)
{
    if (!status_has(&d->statuses, "pendingTransfer"))
        return REG_OK;
    struct reg_op op = portal_domain_op(c);
    struct domain_transfer_info t;
    bool pending;
    reg_err e = portal_domain_transfer(&op, XFER_QUERY, d->name.alabel, NULL, &t, &pending, st);
    if (e)
        return reg_err_is_system(e) ? e : REG_OK;
    if (strcmp(t.status, "pending"))
        return REG_OK;
    char text[400], when[REG_TIME_STRLEN], until[REG_TIME_STRLEN];
    heading(sb, c, T_TR_INCOMING);
    h_elem(sb, "p",
           portal_tf(c, T_TR_INCOMING_TEXT, text, sizeof text, t.gaining,
                     clock_format(t.requested_at, when, sizeof when),
                     clock_format(t.action_at, until, sizeof until), NULL),
           "id", "transfer-pending", NULL);
    const char *error = portal_field_error(c, "transfer");
    if (error)
        h_elem(sb, "div", error, "class", "text-danger mb-2", "id", "transfer-error", NULL);
    h_open(sb, "div", "class", "d-flex flex-wrap gap-2", NULL);
    portal_domain_form_open(sb, c, d, "transfer-approve", "transfer-approve");
    portal_submit(sb, portal_t(c, T_TR_APPROVE), "btn btn-primary");
    h_close(sb, "form");
    portal_domain_form_open(sb, c, d, "transfer-reject", "transfer-reject");
    portal_submit(sb, portal_t(c, T_TR_REJECT), "btn btn-outline-danger");
    h_close(sb, "form");
    h_close(sb, "div");
    return REG_OK;
}

static void delete_forms(strbuf *sb, struct portal_ctx *c, const struct domain *d)
{
    heading(sb, c, d->rgp[0] ? T_RESTORE_TITLE : T_DEL_TITLE);
    const char *error = portal_field_error(c, "delete");
    if (error)
        h_elem(sb, "div", error, "class", "text-danger mb-2", "id", "delete-error", NULL);
    if (!strcmp(d->rgp, "redemptionPeriod")) {
        char text[300], until[REG_TIME_STRLEN];
        h_elem(sb, "p",
               portal_tf(c, T_RESTORE_TEXT, text, sizeof text,
                         clock_format(d->purge_at, until, sizeof until), NULL),
               NULL);
        portal_domain_form_open(sb, c, d, "restore", "restore-form");
        portal_submit(sb, portal_t(c, T_RESTORE_BUTTON), "btn btn-primary");
        h_close(sb, "form");
        return;
    }
    if (d->rgp[0] || !strcmp(d->pending_action, "delete")) {
        h_elem(sb, "p", portal_t(c, T_DEL_UNDER_WAY), "class", "text-muted", NULL);
        return;
    }
    /* R7: the registrant confirms by the link mailed to them */
    h_elem(sb, "p", portal_t(c, T_DEL_ASK_TEXT), NULL);
    portal_domain_form_open(sb, c, d, "delete", "delete-ask");
    portal_submit(sb, portal_t(c, T_DEL_ASK), "btn btn-outline-danger");
    h_close(sb, "form");
    /* R8: the registrar vouches for the registrant's intent */
    portal_domain_form_open(sb, c, d, "delete-verified", "delete-verified");
    h_open(sb, "div", "class", "form-check mb-2", NULL);
    h_void(sb, "input", "type", "checkbox", "class", "form-check-input", "id", "verified", "name",
           "verified", "value", "1", "required", NULL, NULL);
    h_elem(sb, "label", portal_t(c, T_DEL_VERIFIED), "for", "verified", "class",
           "form-check-label", NULL);
    h_close(sb, "div");
    portal_submit(sb, portal_t(c, T_DEL_NOW), "btn btn-danger");
    h_close(sb, "form");
}

reg_err portal_domain_life_forms(strbuf *sb, struct portal_ctx *c, const struct domain *d,
                                 reg_status *st)
{
    contacts_form(sb, c, d);
    ds_forms(sb, c, d);
    if (transfer_forms(sb, c, d, st))
        return st->code;
    delete_forms(sb, c, d);
    return REG_OK;
}

/* A DS record of the form's fields; false (st says why) when one is bad. */
static bool ds_of_form(const struct portal_ctx *c, struct ds_data *ds, reg_status *st)
{
    char key_tag[16] = "", alg[16] = "", type[16] = "";
    memset(ds, 0, sizeof *ds);
    web_form_field(c->w, "key_tag", key_tag, sizeof key_tag);
    web_form_field(c->w, "alg", alg, sizeof alg);
    web_form_field(c->w, "digest_type", type, sizeof type);
    char *end1, *end2, *end3;
    long k = strtol(key_tag, &end1, 10), a = strtol(alg, &end2, 10), t = strtol(type, &end3, 10);
    if (!key_tag[0] || !alg[0] || !type[0] || *end1 || *end2 || *end3) {
        reg_fail(st, REG_ERR_INVALID, "%s", portal_t(c, T_DS_NUMBERS));
        return false;
    }
    if (!web_form_field(c->w, "digest", ds->digest, sizeof ds->digest) || !ds->digest[0]) {
        reg_fail(st, REG_ERR_MISSING, "%s", portal_t(c, T_DS_NO_DIGEST));
        return false;
    }
    for (char *p = ds->digest; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    ds->key_tag = (int)(k < -1 || k > 1000000 ? -1 : k);
    ds->alg = (int)(a < 0 || a > 1000 ? -1 : a);
    ds->digest_type = (int)(t < 0 || t > 1000 ? -1 : t);
    return true;
}

bool portal_domain_life_post(struct portal_ctx *c, const char *action, const char *alabel)
{
    struct reg_op op = portal_domain_op(c);
    reg_status st = {0};
    reg_err e;
    char msg[300];
    if (!strcmp(action, "contacts")) {
        char admin[CREATE_VALUE_MAX] = "", tech[CREATE_VALUE_MAX] = "";
        web_form_field(c->w, "admin", admin, sizeof admin);
        web_form_field(c->w, "tech", tech, sizeof tech);
        struct portal_domain_contacts in = {0};
        in.nadmin = portal_words(admin, in.admin, DOMAIN_CONTACTS_MAX);
        in.ntech = portal_words(tech, in.tech, DOMAIN_CONTACTS_MAX);
        for (size_t i = 0; i < NCLIENT; i++) {
            char id[48], on[4] = "";
            snprintf(id, sizeof id, "st-%s", client_statuses[i]);
            if (web_form_field(c->w, id, on, sizeof on) && on[0])
                in.statuses[in.nstatuses++] = client_statuses[i];
        }
        bool changed = false;
        e = in.nadmin > DOMAIN_CONTACTS_MAX || in.ntech > DOMAIN_CONTACTS_MAX
                ? reg_fail(&st, REG_ERR_POLICY, "a domain has at most %d contacts of a kind",
                           DOMAIN_CONTACTS_MAX)
                : portal_domain_set_contacts(&op, alabel, &in, &changed, &st);
        portal_domain_outcome(c, e, &st, "contacts",
                              portal_t(c, changed ? T_CT_SAVED : T_CT_UNCHANGED), alabel);
    } else if (!strcmp(action, "ds-add") || !strcmp(action, "ds-rem")) {
        struct ds_data ds;
        bool add = !strcmp(action, "ds-add");
        e = !ds_of_form(c, &ds, &st)
                ? st.code
                : portal_domain_ds(&op, alabel, add ? &ds : NULL, add ? NULL : &ds, &st);
        portal_domain_outcome(c, e, &st, "ds", portal_t(c, add ? T_DS_ADDED : T_DS_REMOVED),
                              alabel);
    } else if (!strcmp(action, "transfer-approve") || !strcmp(action, "transfer-reject")) {
        bool approve = !strcmp(action, "transfer-approve"), pending;
        struct domain_transfer_info t;
        e = portal_domain_transfer(&op, approve ? XFER_APPROVE : XFER_REJECT, alabel, NULL, &t,
                                   &pending, &st);
        if (!e && approve) { /* no longer ours: back to the list */
            portal_flash_ok(c, portal_tf(c, T_TR_APPROVED, msg, sizeof msg, alabel, t.gaining,
                                         NULL));
            web_redirect(c->w, PORTAL_PREFIX "/domains");
            return true;
        }
        portal_domain_outcome(c, e, &st, "transfer", portal_t(c, T_TR_REJECTED), alabel);
    } else if (!strcmp(action, "delete") || !strcmp(action, "delete-verified")) {
        char verified[4] = "";
        bool r8 = !strcmp(action, "delete-verified");
        if (r8 && (!web_form_field(c->w, "verified", verified, sizeof verified) || !verified[0])) {
            e = reg_fail(&st, REG_ERR_MISSING, "%s", portal_t(c, T_DEL_VERIFY_MISSING));
            portal_domain_outcome(c, e, &st, "delete", "", alabel);
            return true;
        }
        enum domain_delete_outcome out = DOMAIN_DELETE_AWAITING_REGISTRANT;
        e = portal_domain_delete(&op, alabel, r8, &out, &st);
        if (!e && out == DOMAIN_DELETE_DONE) { /* gone: back to the list */
            portal_flash_ok(c, portal_tf(c, T_DEL_GONE, msg, sizeof msg, alabel, NULL));
            web_redirect(c->w, PORTAL_PREFIX "/domains");
            return true;
        }
        portal_domain_outcome(c, e, &st, "delete",
                              portal_t(c, out == DOMAIN_DELETE_REDEMPTION ? T_DEL_REDEMPTION
                                                                          : T_DEL_ASKED),
                              alabel);
    } else if (!strcmp(action, "restore")) {
        e = portal_domain_restore(&op, alabel, &st);
        portal_domain_outcome(c, e, &st, "delete", portal_t(c, T_RESTORED), alabel);
    } else {
        return false;
    }
    return true;
}

/* ---- transfer requests ---------------------------------------------------------------------- */

void portal_transfer(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    char name[NAME_MAX_LEN * 4 + 1] = "", action[320];
    web_query_field(c->w, "name", name, sizeof name);
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, T_TR_TITLE));
    h_elem(&sb, "p", portal_t(c, T_TR_INTRO), NULL);
    portal_url(c, PORTAL_PREFIX "/transfer", action, sizeof action);
    h_open(&sb, "form", "method", "post", "id", "transfer-form", "class", "mb-4", "action",
           action, NULL);
    portal_csrf_field(&sb, c->s.csrf);
    portal_hidden(&sb, "action", "request");
    h_open(&sb, "div", "class", "row g-3 mb-3", NULL);
    portal_text_input(&sb, "name", portal_t(c, T_DOM_NAME), "text", name,
                      portal_field_error(c, "name"));
    portal_text_input(&sb, "authinfo", portal_t(c, T_TR_AUTH), "text", "",
                      portal_field_error(c, "authinfo"));
    h_close(&sb, "div");
    portal_submit(&sb, portal_t(c, T_TR_REQUEST), "btn btn-primary");
    h_close(&sb, "form");
    /* R16: no auth info: a one-time password straight to the registrant */
    h_elem(&sb, "h2", portal_t(c, T_OTP_TITLE), "class", "h5", NULL);
    h_elem(&sb, "p", portal_t(c, T_OTP_INTRO), NULL);
    h_open(&sb, "form", "method", "post", "id", "otp-form", "action", action, NULL);
    portal_csrf_field(&sb, c->s.csrf);
    portal_hidden(&sb, "action", "otp");
    h_open(&sb, "div", "class", "row g-3 mb-3", NULL);
    portal_text_input(&sb, "otp_name", portal_t(c, T_DOM_NAME), "text", name,
                      portal_field_error(c, "otp_name"));
    h_open(&sb, "div", "class", "col-sm-6 col-lg-3", NULL);
    h_elem(&sb, "label", portal_t(c, T_OTP_CHANNEL), "for", "channel", "class", "form-label",
           NULL);
    h_open(&sb, "select", "id", "channel", "name", "channel", "class", "form-select", NULL);
    h_elem(&sb, "option", portal_t(c, T_OTP_EMAIL), "value", "email", NULL);
    h_elem(&sb, "option", portal_t(c, T_OTP_SMS), "value", "sms", NULL);
    h_close(&sb, "select");
    h_close(&sb, "div");
    h_close(&sb, "div");
    portal_submit(&sb, portal_t(c, T_OTP_SEND), "btn btn-outline-primary");
    h_close(&sb, "form");
    portal_page_end(c, &sb, 200);
}

void portal_transfer_post(struct portal_ctx *c)
{
    if (!portal_post_ok(c, PORTAL_REGISTRAR))
        return;
    char action[16] = "", name[NAME_MAX_LEN * 4 + 1] = "", pw[256] = "", channel[8] = "";
    web_form_field(c->w, "action", action, sizeof action);
    bool otp = !strcmp(action, "otp");
    web_form_field(c->w, otp ? "otp_name" : "name", name, sizeof name);
    struct reg_op op = portal_domain_op(c);
    reg_status st = {0};
    reg_err e;
    char msg[400], when[REG_TIME_STRLEN], path[NAME_MAX_LEN * 4 + 64];
    const char *field = otp ? "otp_name" : "name";
    if (!name[0]) {
        e = reg_fail(&st, REG_ERR_MISSING, "%s", portal_t(c, T_NEW_NAME_MISSING));
    } else if (otp) {
        web_form_field(c->w, "channel", channel, sizeof channel);
        struct otp_sent sent;
        e = portal_domain_otp(&op, name, channel, &sent, &st);
        if (!e)
            portal_tf(c, T_OTP_SENT, msg, sizeof msg, sent.domain,
                      clock_format(sent.expires_at, when, sizeof when), NULL);
    } else {
        web_form_field(c->w, "authinfo", pw, sizeof pw);
        struct domain_transfer_info t;
        bool pending = false;
        e = portal_domain_transfer(&op, XFER_REQUEST, name, pw, &t, &pending, &st);
        if (e && strstr(st.reason, "auth"))
            field = "authinfo";
        if (!e && !pending) { /* moved at once (a one-time password): ours now */
            portal_flash_ok(c, portal_tf(c, T_TR_DONE, msg, sizeof msg, t.name, NULL));
            snprintf(path, sizeof path, PORTAL_PREFIX "/domains/%s", t.name);
            web_redirect(c->w, path);
            return;
        }
        if (!e)
            portal_tf(c, T_TR_PENDING, msg, sizeof msg, t.name, t.losing,
                      clock_format(t.action_at, when, sizeof when), NULL);
    }
    if (e && reg_err_is_system(e)) {
        portal_unavailable(c, "portal-transfer-failed", &st);
        return;
    }
    reg_log(LOG_INFO, "portal", c->w->id, e ? "portal-change-refused" : "portal-transfer",
            "login=%s action=%s object=%s%s%s", c->s.login, otp ? "otp" : "request", name,
            e ? " reason=" : "", e ? reg_errname(e) : "");
    if (e)
        portal_flash_field(c, field, st.reason);
    else
        portal_flash_ok(c, msg);
    web_redirect(c->w, PORTAL_PREFIX "/transfer");
}

/* ---- bulk: renew, replace a tech contact ---------------------------------------------------- */

/* One bulk action's part of the list's form: its heading, its inputs
 * (two text fields, or with ids[1] NULL the years) and its button, which
 * leads to its confirmation page. */
static void bulk_part(strbuf *sb, struct portal_ctx *c, enum portal_text_id title,
                      const char *const ids[2], const enum portal_text_id labels[2],
                      enum portal_text_id button, const char *path)
{
    char href[320];
    heading(sb, c, title);
    h_open(sb, "div", "class", "row g-3 align-items-end", NULL);
    if (ids[1]) {
        portal_text_input(sb, ids[0], portal_t(c, labels[0]), "text", "", NULL);
        portal_text_input(sb, ids[1], portal_t(c, labels[1]), "text", "", NULL);
    } else {
        h_open(sb, "div", "class", "col-sm-6 col-lg-3", NULL);
        years_select(sb, c, ids[0], NULL, 1, NULL);
        h_close(sb, "div");
    }
    h_open(sb, "div", "class", "col-sm-6 col-lg-3", NULL);
    h_elem(sb, "button", portal_t(c, button), "type", "submit", "class",
           "btn btn-outline-primary", "formaction", portal_url(c, path, href, sizeof href), NULL);
    h_close(sb, "div");
    h_close(sb, "div");
}

void portal_bulk_fields(strbuf *sb, struct portal_ctx *c)
{
    if (c->s.roles & PORTAL_NAMESERVER_MANAGER) /* R32 */
        /* ids of their own: the search form above has from and to */
        bulk_part(sb, c, T_BULK_TITLE, (const char *[]){"old_ns", "new_ns"},
                  (enum portal_text_id[]){T_BULK_FROM, T_BULK_TO}, T_BULK_BUTTON,
                  PORTAL_PREFIX "/bulk/replace-ns");
    if (!(c->s.roles & PORTAL_REGISTRAR))
        return;
    bulk_part(sb, c, T_BR_TITLE, (const char *[]){"bulk_years", NULL},
              (enum portal_text_id[]){T_RENEW_YEARS, T_RENEW_YEARS}, T_BR_BUTTON,
              PORTAL_PREFIX "/bulk/renew");
    bulk_part(sb, c, T_BT_TITLE, (const char *[]){"old_tech", "new_tech"},
              (enum portal_text_id[]){T_BT_FROM, T_BT_TO}, T_BT_BUTTON,
              PORTAL_PREFIX "/bulk/replace-tech");
}

/* One bulk action: its confirmation page says how many domains change
 * (a dry run of the same operation) and posts the same selection. */
struct bulk_action {
    unsigned role;
    const char *path;               /* PORTAL_PREFIX "/bulk/…" */
    enum portal_text_id title;
    const char *keys[2];            /* the query's parameters, as the form posts them */
    enum portal_text_id count_text; /* "{n} of the {m} selected …" with the parameters */
    enum portal_text_id confirm;    /* the button: "… {n} domains" */
    enum portal_text_id nothing, done;
    bool costs; /* the confirmation says what the account will be charged */
    reg_err (*run)(const struct reg_op *op, const char *const *names, size_t n,
                   const char *const *params, bool dry_run, size_t *changed, int64_t *charged,
                   reg_status *st);
};

static reg_err run_ns(const struct reg_op *op, const char *const *names, size_t n,
                      const char *const *params, bool dry_run, size_t *changed, int64_t *charged,
                      reg_status *st)
{
    *charged = 0;
    return portal_domains_replace_ns(op, names, n, params[0], params[1], dry_run, changed, st);
}

static reg_err run_renew(const struct reg_op *op, const char *const *names, size_t n,
                         const char *const *params, bool dry_run, size_t *changed,
                         int64_t *charged, reg_status *st)
{
    *charged = 0;
    int years = atoi(params[0]);
    if (years < 1 || years > YEARS_MAX)
        return reg_fail(st, REG_ERR_POLICY, "renew by 1 to %d years", YEARS_MAX);
    return portal_domains_renew(op, names, n, years, dry_run, changed, charged, st);
}

static reg_err run_tech(const struct reg_op *op, const char *const *names, size_t n,
                        const char *const *params, bool dry_run, size_t *changed,
                        int64_t *charged, reg_status *st)
{
    *charged = 0;
    return portal_domains_replace_tech(op, names, n, params[0], params[1], dry_run, changed, st);
}

/* R32: name servers need the name server manager role */
static const struct bulk_action ns_action = {
    PORTAL_NAMESERVER_MANAGER, PORTAL_PREFIX "/bulk/replace-ns", T_BULK_TITLE,
    {"old_ns", "new_ns"}, T_BULK_COUNT, T_BULK_CONFIRM, T_BULK_NOTHING, T_BULK_DONE, false, run_ns};
static const struct bulk_action renew_action = {
    PORTAL_REGISTRAR, PORTAL_PREFIX "/bulk/renew", T_BR_TITLE, {"bulk_years", NULL}, T_BR_COUNT,
    T_BR_CONFIRM, T_BULK_NOTHING, T_BR_DONE, true, run_renew};
static const struct bulk_action tech_action = {
    PORTAL_REGISTRAR, PORTAL_PREFIX "/bulk/replace-tech", T_BT_TITLE, {"old_tech", "new_tech"},
    T_BT_COUNT, T_BT_CONFIRM, T_BT_NOTHING, T_BT_DONE, false, run_tech};

static void bulk_confirm(struct portal_ctx *c, const struct bulk_action *a)
{
    if (!portal_require(c, a->role))
        return;
    char p[2][NAME_MAX_LEN + HANDLE_MAX] = {"", ""};
    const char *params[2] = {p[0], p[1]};
    for (size_t i = 0; i < 2 && a->keys[i]; i++)
        web_query_field(c->w, a->keys[i], p[i], sizeof p[i]);
    strbuf sel;
    sb_init(&sel);
    size_t n = web_query_values(c->w, "d", &sel);
    char *text = strdup(sb_str(&sel));
    const char *names[BULK_MAX];
    size_t count = text ? portal_words(text, names, BULK_MAX) : 0;
    reg_status st = {0};
    size_t changing = 0;
    int64_t charged = 0;
    struct reg_op op = portal_domain_op(c);
    reg_err e = !n || count > BULK_MAX
                    ? reg_fail(&st, REG_ERR_MISSING, "%s", portal_t(c, T_BULK_NO_SELECTION))
                    : a->run(&op, names, count, params, true, &changing, &charged, &st);
    free(text);
    if (e && reg_err_is_system(e)) {
        sb_free(&sel);
        portal_unavailable(c, "portal-bulk-failed", &st);
        return;
    }
    strbuf sb;
    sb_init(&sb);
    portal_page_begin(&sb, c, portal_t(c, a->title));
    char back[320], action[320], msg[2 * sizeof p[0] + 300], num[24], of[24];
    snprintf(num, sizeof num, "%zu", changing);
    snprintf(of, sizeof of, "%zu", count);
    if (e) {
        h_elem(&sb, "div", st.reason, "class", "alert alert-danger", "role", "alert", NULL);
    } else if (!changing) {
        h_elem(&sb, "p", portal_t(c, a->nothing), "id", "bulk-count", NULL);
    } else {
        h_elem(&sb, "p", portal_tf(c, a->count_text, msg, sizeof msg, num, of, p[0], p[1], NULL),
               "id", "bulk-count", NULL);
        if (a->costs) {
            char money[MONEY_FMT_LEN];
            money_format_in(charged, currency(c), c->lang, money, sizeof money);
            h_elem(&sb, "p", portal_tf(c, T_BR_CHARGE, msg, sizeof msg, money, NULL), "id",
                   "bulk-charge", NULL);
        }
        h_open(&sb, "form", "method", "post", "action",
               portal_url(c, a->path, action, sizeof action), NULL);
        portal_csrf_field(&sb, c->s.csrf);
        for (size_t i = 0; i < 2 && a->keys[i]; i++)
            portal_hidden(&sb, a->keys[i], p[i]);
        portal_hidden(&sb, "domains", sb_str(&sel));
        h_elem(&sb, "button", portal_tf(c, a->confirm, msg, sizeof msg, num, NULL), "type",
               "submit", "class", "btn btn-primary", NULL);
        h_close(&sb, "form");
    }
    h_open(&sb, "p", "class", "mt-3", NULL);
    h_elem(&sb, "a", portal_t(c, T_BACK), "href",
           portal_url(c, PORTAL_PREFIX "/domains", back, sizeof back), NULL);
    h_close(&sb, "p");
    sb_free(&sel);
    portal_page_end(c, &sb, 200);
}

static void bulk_post(struct portal_ctx *c, const struct bulk_action *a)
{
    if (!portal_post_ok(c, a->role))
        return;
    char p[2][NAME_MAX_LEN + HANDLE_MAX] = {"", ""};
    const char *params[2] = {p[0], p[1]};
    for (size_t i = 0; i < 2 && a->keys[i]; i++)
        web_form_field(c->w, a->keys[i], p[i], sizeof p[i]);
    size_t cap = BULK_MAX * (NAME_MAX_LEN + 1) + 1;
    char *text = calloc(1, cap);
    const char *names[BULK_MAX];
    size_t n = text && web_form_field(c->w, "domains", text, cap)
                   ? portal_words(text, names, BULK_MAX)
                   : 0;
    struct reg_op op = portal_domain_op(c);
    reg_status st = {0};
    size_t changed = 0;
    int64_t charged = 0;
    reg_err e = !n || n > BULK_MAX
                    ? reg_fail(&st, REG_ERR_MISSING, "%s", portal_t(c, T_BULK_NO_SELECTION))
                    : a->run(&op, names, n, params, false, &changed, &charged, &st);
    free(text);
    if (e && reg_err_is_system(e)) {
        portal_unavailable(c, "portal-bulk-failed", &st);
        return;
    }
    reg_log(LOG_INFO, "portal", c->w->id, e ? "portal-bulk-refused" : "portal-bulk",
            "login=%s action=%s domains=%zu changed=%zu charged=%lld", c->s.login, a->path, n,
            changed, (long long)charged);
    if (e) {
        portal_flash_set(c, st.reason);
    } else {
        char msg[200], num[24];
        snprintf(num, sizeof num, "%zu", changed);
        portal_flash_ok(c, portal_tf(c, a->done, msg, sizeof msg, num, NULL));
    }
    web_redirect(c->w, PORTAL_PREFIX "/domains");
}

void portal_bulk_ns_confirm(struct portal_ctx *c) { bulk_confirm(c, &ns_action); }
void portal_bulk_ns_post(struct portal_ctx *c) { bulk_post(c, &ns_action); }
void portal_bulk_renew_confirm(struct portal_ctx *c) { bulk_confirm(c, &renew_action); }
void portal_bulk_renew_post(struct portal_ctx *c) { bulk_post(c, &renew_action); }
void portal_bulk_tech_confirm(struct portal_ctx *c) { bulk_confirm(c, &tech_action); }
void portal_bulk_tech_post(struct portal_ctx *c) { bulk_post(c, &tech_action); }
