/* The self-service site's auth-code section of a domain's page with its
 * one-time password and manual route (R15-R17), and "My data": the
 * contacts in the slots of the registrant's accounts, their public
 * disclosure and identity check (R38, R21). The rules are the registry's
 * (registry/selfservice_data.h); a refusal is shown at the form field it
 * is about. */
#include <stdio.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/money.h"
#include "contrib/strutil.h"
#include "html.h"
#include "registry/account.h"
#include "registry/contact.h"
#include "registry/registrar.h"
#include "registry/selfservice_data.h"
#include "selfservice_internal.h"
#include "site.h"

#define P SELFSERVICE_PREFIX
/* Errors the registrant can act on; anything else is the registry's. */
static bool refusal(reg_err e)
{
    return e != REG_ERR_DB && e != REG_ERR_DB_BUSY && e != REG_ERR_INTERNAL && e != REG_ERR_IO &&
           e != REG_ERR_CONFIG;
}

/* A refused or failed POST the page answers itself: a domain the contact
 * does not hold (404), the registry's failure (503). */
static bool answered(struct ss_ctx *c, reg_err e, const reg_status *st, const char *what)
{
    if (e == REG_ERR_NOT_FOUND)
        ss_send_message(c, 404, S_NOT_FOUND_TITLE, S_NOT_FOUND_TEXT);
    else if (e && !refusal(e))
        ss_unavailable(c, what, st);
    else
        return false;
    return true;
}

static void dd_row(strbuf *sb, const char *label, const char *id)
{
    h_elem(sb, "dt", label, "class", "col-sm-4", NULL);
    h_open(sb, "dd", "class", "col-sm-8", "id", id, NULL);
}

static void form_open(strbuf *sb, struct ss_ctx *c, const char *id, const char *path)
{
    char action[600];
    h_open(sb, "form", "method", "post", "id", id, "class", "mb-3", "action",
           ss_url(c, path, action, sizeof action), NULL);
    site_csrf_field(sb, c->s.csrf);
}

/* ---- R15-R17: the domain page's section ---------------------------------------------------- */

static enum ss_text_id authcode_state(const struct selfservice_authcode *a, const char **key)
{
    if (a->overdue)
        return *key = "overdue", S_AC_OVERDUE;
    if (a->open)
        return *key = "open", S_AC_WAITING;
    *key = a->req.outcome;
    if (!strcmp(a->req.outcome, "authinfo-set"))
        return S_AC_SET;
    return !strcmp(a->req.outcome, "transferred") ? S_AC_MOVED : S_AC_DONE;
}

struct registrar_options {
    strbuf *sb;
    const char *sponsor;
};

static void registrar_option(const struct registrar *r, void *arg)
{
    struct registrar_options *x = arg;
    if (r->disabled || !strcmp(r->handle, x->sponsor))
        return;
    char label[300];
    snprintf(label, sizeof label, "%s (%s)", r->name ? r->name : r->handle, r->handle);
    h_elem(x->sb, "option", label, "value", r->handle, NULL);
}

static void radio(strbuf *sb, const char *name, const char *value, const char *label, bool checked)
{
    char id[64];
    snprintf(id, sizeof id, "%s-%s", name, value);
    h_open(sb, "div", "class", "form-check", NULL);
    h_void(sb, "input", "class", "form-check-input", "type", "radio", "name", name, "id", id,
           "value", value, checked ? "checked" : NULL, NULL, NULL);
    h_elem(sb, "label", label, "class", "form-check-label", "for", id, NULL);
    h_close(sb, "div");
}

/* R16 and R17: what an overdue request offers. */
static bool otp_offer(strbuf *sb, struct ss_ctx *c, const char *alabel, const char *sponsor)
{
    char path[300];
    h_elem(sb, "p", ss_t(c, S_OTP_INTRO), "id", "otp-intro", NULL);
    snprintf(path, sizeof path, P "/otp/%s", alabel);
    form_open(sb, c, "otp-form", path);
    h_open(sb, "div", "class", "mb-3", NULL);
    h_elem(sb, "label", ss_t(c, S_OTP_REGISTRAR), "for", "registrar", "class", "form-label", NULL);
    h_open(sb, "select", "id", "registrar", "name", "registrar", "class",
           ss_field_error(c, "registrar") ? "form-select is-invalid" : "form-select", "required",
           NULL, NULL);
    struct registrar_options x = {.sb = sb, .sponsor = sponsor};
    reg_status st = {0};
    if (registrar_each(c->op.db, registrar_option, &x, &st)) {
        sb_free(sb);
        ss_unavailable(c, "selfservice-registrars-failed", &st);
        return false;
    }
    h_close(sb, "select");
    if (ss_field_error(c, "registrar"))
        h_elem(sb, "div", ss_field_error(c, "registrar"), "class", "invalid-feedback", "id",
               "registrar-error", NULL);
    h_close(sb, "div");
    h_open(sb, "fieldset", "class", "mb-3", NULL);
    h_elem(sb, "legend", ss_t(c, S_OTP_CHANNEL), "class", "form-label fs-6", NULL);
    radio(sb, "channel", "email", ss_t(c, S_OTP_EMAIL), true);
    radio(sb, "channel", "sms", ss_t(c, S_OTP_SMS), false);
    h_close(sb, "fieldset");
    h_elem(sb, "button", ss_t(c, S_OTP_BUTTON), "type", "submit", "class", "btn btn-primary",
           "id", "otp-send", NULL);
    h_close(sb, "form");
    h_elem(sb, "h3", ss_t(c, S_MANUAL_TITLE), "class", "h6 mt-4", NULL);
    h_open(sb, "p", "id", "manual-route", NULL);
    h_textf(sb, "%s %s", ss_t(c, S_MANUAL_TEXT), c->op.policy->idcheck_documents);
    h_close(sb, "p");
    if (c->op.policy->otp_manual_fee > 0) {
        char fee[64];
        money_format_in(c->op.policy->otp_manual_fee, c->op.policy->currency, c->lang, fee,
                        sizeof fee);
        h_open(sb, "p", "id", "manual-fee", NULL);
        h_textf(sb, "%s %s", ss_t(c, S_MANUAL_FEE), fee);
        h_close(sb, "p");
    }
    return true;
}

bool ss_authcode_section(strbuf *sb, struct ss_ctx *c, const char *alabel)
{
    struct selfservice_authcode a;
    reg_status st = {0};
    if (selfservice_authcode_get(&c->op, c->s.contact_id, alabel, &a, &st)) {
        sb_free(sb);
        ss_unavailable(c, "selfservice-authcode-failed", &st);
        return false;
    }
    h_open(sb, "section", "id", "authcode", "class", "mt-4", NULL);
    h_elem(sb, "h2", ss_t(c, S_AC_TITLE), "class", "h5", NULL);
    h_elem(sb, "p", ss_t(c, S_AC_INTRO), NULL);
    if (a.any) {
        const char *key;
        enum ss_text_id state = authcode_state(&a, &key);
        h_open(sb, "dl", "class", "row", "id", "authcode-request", NULL);
        dd_row(sb, ss_t(c, S_AC_ASKED_ON), "authcode-asked");
        ss_time(sb, a.req.requested_at, false);
        h_close(sb, "dd");
        dd_row(sb, ss_t(c, S_AC_DEADLINE), "authcode-deadline");
        ss_time(sb, a.req.deadline, true);
        h_close(sb, "dd");
        dd_row(sb, ss_t(c, S_AC_STATE), "authcode-state");
        h_elem(sb, "span", ss_t(c, state), "data-state", key, NULL);
        h_close(sb, "dd");
        h_close(sb, "dl");
    }
    if (!a.open) {
        char path[300];
        snprintf(path, sizeof path, P "/authcode/%s", alabel);
        form_open(sb, c, "authcode-form", path);
        h_elem(sb, "button", ss_t(c, S_AC_ASK), "type", "submit", "class",
               "btn btn-outline-primary", "id", "authcode-ask", NULL);
        h_close(sb, "form");
    } else if (a.overdue && !otp_offer(sb, c, alabel, a.req.registrar)) {
        return false;
    }
    h_close(sb, "section");
    return true;
}

static reg_err authcode_tx(struct ss_ctx *c, void *arg, reg_status *st)
{
    return selfservice_authcode_request(&c->op, c->s.contact_id, c->arg, arg, st);
}

static void back_to_domain(struct ss_ctx *c)
{
    char path[320];
    snprintf(path, sizeof path, P "/domains/%s", c->arg);
    web_redirect(c->w, path);
}

void ss_authcode_post(struct ss_ctx *c)
{
    if (!ss_require(c) || !ss_csrf_ok(c))
        return;
    struct selfservice_authcode a;
    reg_status st = {0};
    reg_err e = ss_in_tx(c, authcode_tx, &a, &st);
    if (answered(c, e, &st, "selfservice-authcode-failed"))
        return;
    if (e)
        ss_flash_set(c, st.reason, false);
    else {
        reg_log(LOG_INFO, "self-service", c->w->id, "selfservice-authcode-request",
                "domain=%s contact=%s registrar=%s deadline=%lld", a.req.domain, c->s.handle,
                a.req.registrar, (long long)a.req.deadline);
        ss_flash_set(c, ss_t(c, S_AC_ASKED), true);
    }
    back_to_domain(c);
}

struct otp_form {
    char registrar[REGISTRAR_HANDLE_MAX + 8], channel[8];
    struct otp_sent sent;
};

static reg_err otp_tx(struct ss_ctx *c, void *arg, reg_status *st)
{
    struct otp_form *f = arg;
    return selfservice_otp_request(&c->op, c->s.contact_id, c->arg, f->registrar, f->channel,
                                   &f->sent, st);
}

void ss_otp_post(struct ss_ctx *c)
{
    if (!ss_require(c) || !ss_csrf_ok(c))
        return;
    struct otp_form f = {0};
    web_form_field(c->w, "registrar", f.registrar, sizeof f.registrar);
    web_form_field(c->w, "channel", f.channel, sizeof f.channel);
    reg_status st = {0};
    reg_err e = ss_in_tx(c, otp_tx, &f, &st);
    if (answered(c, e, &st, "selfservice-otp-failed"))
        return;
    if (e == REG_ERR_NOT_TRANSFERABLE || e == REG_ERR_INVALID) {
        ss_flash_field(c, "registrar", st.reason); /* the registrar chosen */
    } else if (e) {
        ss_flash_set(c, st.reason, false);
    } else {
        reg_log(LOG_INFO, "self-service", c->w->id, "selfservice-otp-sent",
                "domain=%s contact=%s registrar=%s channel=%s", f.sent.domain, c->s.handle,
                f.registrar, f.sent.channel);
        char msg[OTP_ADDR_MAX + 200];
        snprintf(msg, sizeof msg, "%s %s.", ss_t(c, S_OTP_SENT), f.sent.sent_to);
        ss_flash_set(c, msg, true);
    }
    back_to_domain(c);
}

/* ---- R38, R21: my data --------------------------------------------------------------------- */

/* The form's fields: name (also the html id's suffix), label, type,
 * autocomplete. */
static const struct field {
    const char *name;
    enum ss_text_id label;
    const char *type, *autocomplete;
} fields[] = {
    {"name", S_F_NAME, "text", "name"},
    {"org", S_F_ORG, "text", "organization"},
    {"street1", S_F_STREET, "text", "address-line1"},
    {"street2", S_F_STREET, "text", "address-line2"},
    {"street3", S_F_STREET, "text", "address-line3"},
    {"city", S_F_CITY, "text", "address-level2"},
    {"sp", S_F_SP, "text", "address-level1"},
    {"pc", S_F_PC, "text", "postal-code"},
    {"cc", S_F_CC, "text", "country"},
    {"voice", S_F_VOICE, "tel", "tel"},
    {"email", S_F_EMAIL, "email", "email"},
    {"ident_value", S_F_IDENT, "text", "off"},
    {"ident_cc", S_F_IDENT_CC, "text", "off"},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* The slot form's field and its error key: "ACCOUNT.a2.email". */
static void field_key(char *out, size_t n, const char *account, const char *slot,
                      const char *field)
{
    int k = snprintf(out, n, "%s.%s.", account, slot);
    if (k > 0 && (size_t)k < n)
        str_copy(out + k, n - (size_t)k, field);
}

static const char *stored_value(const struct contact *k, const char *name)
{
    const struct contact_postal *p =
        &k->d.postal[k->d.postal[CONTACT_LOC].present ? CONTACT_LOC : CONTACT_INT];
    if (!strcmp(name, "name"))
        return p->name;
    if (!strcmp(name, "org"))
        return p->org;
    if (!strncmp(name, "street", 6))
        return p->street[name[6] - '1'];
    if (!strcmp(name, "city"))
        return p->city;
    if (!strcmp(name, "sp"))
        return p->sp;
    if (!strcmp(name, "pc"))
        return p->pc;
    if (!strcmp(name, "cc"))
        return p->cc;
    if (!strcmp(name, "voice"))
        return k->d.voice;
    if (!strcmp(name, "email"))
        return k->d.email;
    if (!strcmp(name, "ident_value"))
        return k->d.ident_value;
    return k->d.ident_cc;
}

static void input(strbuf *sb, struct ss_ctx *c, const char *id_prefix, const char *key_prefix,
                  const struct field *f, const char *value)
{
    char id[160], key[160];
    snprintf(id, sizeof id, "%s-%s", id_prefix, f->name);
    snprintf(key, sizeof key, "%s.%s", key_prefix, f->name);
    const char *err = ss_field_error(c, key);
    h_open(sb, "div", "class", "mb-2", NULL);
    h_elem(sb, "label", ss_t(c, f->label), "for", id, "class", "form-label small mb-0", NULL);
    h_void(sb, "input", "id", id, "name", f->name, "type", f->type, "autocomplete",
           f->autocomplete, "class", err ? "form-control is-invalid" : "form-control", "value",
           value ? value : "", NULL);
    if (err) {
        char eid[180];
        snprintf(eid, sizeof eid, "%s-error", id);
        h_elem(sb, "div", err, "class", "invalid-feedback", "id", eid, NULL);
    }
    h_close(sb, "div");
}

static void checkbox(strbuf *sb, const char *prefix, const char *name, const char *label,
                     bool checked)
{
    char id[160];
    snprintf(id, sizeof id, "%s-%s", prefix, name);
    h_open(sb, "div", "class", "form-check form-check-inline", NULL);
    h_void(sb, "input", "class", "form-check-input", "type", "checkbox", "name", name, "id", id,
           "value", "1", checked ? "checked" : NULL, NULL, NULL);
    h_elem(sb, "label", label, "class", "form-check-label", "for", id, NULL);
    h_close(sb, "div");
}

static void hidden(strbuf *sb, const char *name, const char *value)
{
    h_void(sb, "input", "type", "hidden", "name", name, "value", value, NULL);
}

static void disclose_form(strbuf *sb, struct ss_ctx *c, const char *prefix, const char *account,
                          const char *slot, const struct contact *k)
{
    char id[160];
    snprintf(id, sizeof id, "%s-disclose", prefix);
    form_open(sb, c, id, P "/data/disclose");
    hidden(sb, "account", account);
    hidden(sb, "slot", slot);
    h_elem(sb, "h4", ss_t(c, S_DISCLOSE), "class", "h6", NULL);
    unsigned may = selfservice_disclose_choosable(k->d.kind);
    unsigned now = selfservice_disclose_current(&k->d);
    if (may & CONTACT_DISCLOSE_NAME_LOC)
        checkbox(sb, id, "show_name", ss_t(c, S_D_NAME), now & CONTACT_DISCLOSE_NAME_LOC);
    if (may & CONTACT_DISCLOSE_ADDR_LOC)
        checkbox(sb, id, "show_addr", ss_t(c, S_D_ADDR), now & CONTACT_DISCLOSE_ADDR_LOC);
    checkbox(sb, id, "show_voice", ss_t(c, S_D_VOICE), now & CONTACT_DISCLOSE_VOICE);
    checkbox(sb, id, "show_email", ss_t(c, S_D_EMAIL), now & CONTACT_DISCLOSE_EMAIL);
    if (!(may & CONTACT_DISCLOSE_NAME_LOC))
        h_elem(sb, "p", ss_t(c, S_D_ORG_NOTE), "class", "form-text", NULL);
    h_open(sb, "div", NULL);
    h_elem(sb, "button", ss_t(c, S_D_SAVE), "type", "submit", "class",
           "btn btn-outline-primary btn-sm mt-2", NULL);
    h_close(sb, "div");
    h_close(sb, "form");
}

static void idcheck_part(strbuf *sb, struct ss_ctx *c, const char *prefix, const char *account,
                         const char *slot, const struct contact *k)
{
    char id[160];
    snprintf(id, sizeof id, "%s-idcheck", prefix);
    h_open(sb, "div", "id", id, "data-state", k->idcheck_state, NULL);
    h_elem(sb, "h4", ss_t(c, S_ID_TITLE), "class", "h6", NULL);
    const char *state = k->idcheck_state;
    h_open(sb, "p", NULL);
    if (!strcmp(state, "pending")) {
        h_text(sb, ss_t(c, S_ID_PENDING));
        h_text(sb, " ");
        ss_time(sb, k->idcheck_deadline, true);
    } else {
        h_text(sb, ss_t(c, !strcmp(state, "verified") ? S_ID_VERIFIED
                           : !strcmp(state, "failed") ? S_ID_FAILED
                                                      : S_ID_NONE));
    }
    h_close(sb, "p");
    if (!strcmp(state, "pending") || !strcmp(state, "failed")) {
        if (selfservice_eid_available(&c->op)) {
            char fid[180], key[200];
            snprintf(fid, sizeof fid, "%s-eid", prefix);
            snprintf(key, sizeof key, "%s.%s.evidence", account, slot);
            const char *err = ss_field_error(c, key);
            form_open(sb, c, fid, P "/data/eid");
            hidden(sb, "account", account);
            hidden(sb, "slot", slot);
            char in[200];
            snprintf(in, sizeof in, "%s-evidence", fid);
            h_elem(sb, "label", ss_t(c, S_ID_EID), "for", in, "class", "form-label", NULL);
            h_elem(sb, "div", ss_t(c, S_EID_EVIDENCE), "class", "form-text", NULL);
            h_void(sb, "input", "id", in, "name", "evidence", "type", "text", "class",
                   err ? "form-control is-invalid" : "form-control", "autocomplete", "off",
                   "required", NULL, NULL);
            if (err)
                h_elem(sb, "div", err, "class", "invalid-feedback", NULL);
            h_elem(sb, "button", ss_t(c, S_EID_BUTTON), "type", "submit", "class",
                   "btn btn-primary btn-sm mt-2", NULL);
            h_close(sb, "form");
        }
        h_open(sb, "p", "class", "small", NULL);
        h_textf(sb, "%s %s", ss_t(c, S_ID_DOCS), c->op.policy->idcheck_documents);
        h_close(sb, "p");
    }
    h_close(sb, "div");
}

/* One slot's card: the contact form, its disclosure, its identity check. */
static bool slot_card(strbuf *sb, struct ss_ctx *c, const struct account *a, int slot)
{
    const char *sname = account_slot_name(slot);
    char prefix[96], key_prefix[128], title[200];
    /* ids differ per account too: one contact may be in several */
    snprintf(prefix, sizeof prefix, "slot-%lld-%s", (long long)a->id, sname);
    snprintf(key_prefix, sizeof key_prefix, "%s.%s", a->handle, sname);
    snprintf(title, sizeof title, "%s (%s)",
             ss_t(c, account_slot_is_admin(slot) ? S_SLOT_ADMIN : S_SLOT_BILLING), sname);
    h_open(sb, "div", "class", "card mb-3", "id", prefix, NULL);
    h_open(sb, "div", "class", "card-body", NULL);
    h_elem(sb, "h3", title, "class", "h6 card-title", NULL);
    if (!a->slot_id[slot]) {
        h_elem(sb, "p", ss_t(c, S_SLOT_EMPTY), "class", "text-muted mb-0", NULL);
        h_close(sb, "div");
        h_close(sb, "div");
        return true;
    }
    struct contact k;
    bool found;
    reg_status st = {0};
    if (contact_load(&c->op, a->slot[slot], &k, &found, &st) || !found) {
        sb_free(sb);
        ss_unavailable(c, "selfservice-contact-failed", &st);
        return false;
    }
    h_elem(sb, "p", k.handle, "class", "text-muted small", NULL);
    char fid[128];
    snprintf(fid, sizeof fid, "%s-form", prefix);
    form_open(sb, c, fid, P "/data/contact");
    hidden(sb, "account", a->handle);
    hidden(sb, "slot", sname);
    for (size_t i = 0; i < NFIELDS; i++) {
        if (!strcmp(fields[i].name, "ident_value"))
            h_elem(sb, "p", ss_t(c, S_IDENT_NOTE), "class", "form-text mt-3 mb-1", NULL);
        input(sb, c, prefix, key_prefix, &fields[i], stored_value(&k, fields[i].name));
    }
    h_elem(sb, "button", ss_t(c, S_SAVE), "type", "submit", "class", "btn btn-primary mt-2",
           NULL);
    h_close(sb, "form");
    disclose_form(sb, c, prefix, a->handle, sname, &k);
    idcheck_part(sb, c, prefix, a->handle, sname, &k);
    contact_free(&k);
    h_close(sb, "div");
    h_close(sb, "div");
    return true;
}

struct accounts {
    strbuf *sb;
    struct ss_ctx *c;
    int n;
    bool failed;
};

static void account_part(const struct account *a, void *arg)
{
    struct accounts *x = arg;
    if (x->failed)
        return;
    x->n++;
    h_open(x->sb, "section", "class", "mb-4", "data-account", a->handle, NULL);
    h_open(x->sb, "h2", "class", "h5", NULL);
    h_textf(x->sb, "%s %s", ss_t(x->c, S_ACCOUNT), a->handle);
    h_close(x->sb, "h2");
    for (int i = 0; i < ACCOUNT_SLOTS && !x->failed; i++)
        x->failed = !slot_card(x->sb, x->c, a, i);
    if (!x->failed)
        h_close(x->sb, "section");
}

void ss_data(struct ss_ctx *c)
{
    if (!ss_require(c))
        return;
    strbuf sb;
    sb_init(&sb);
    ss_page_begin(&sb, c, ss_t(c, S_MY_DATA));
    h_elem(&sb, "p", ss_t(c, S_DATA_INTRO), NULL);
    struct accounts x = {.sb = &sb, .c = c};
    reg_status st = {0};
    if (selfservice_accounts_each(&c->op, c->s.contact_id, account_part, &x, &st)) {
        if (!x.failed)
            sb_free(&sb);
        ss_unavailable(c, "selfservice-data-failed", &st);
        return;
    }
    if (x.failed)
        return;
    if (!x.n)
        h_elem(&sb, "p", ss_t(c, S_NO_ACCOUNTS), "id", "no-accounts", NULL);
    ss_page_end(c, &sb, 200);
}

/* ---- the forms' answers ---- */

struct slot_post {
    char account[CONTACT_ID_MAX + 1], slot[4];
    char v[NFIELDS][256];
    bool given[NFIELDS];
    bool changed;
    char field[SELFSERVICE_FIELD_MAX];
    unsigned bits;
    char evidence[256];
};

static const char *given(const struct slot_post *p, const char *name)
{
    for (size_t i = 0; i < NFIELDS; i++)
        if (!strcmp(fields[i].name, name))
            return p->given[i] ? p->v[i] : NULL;
    return NULL;
}

static reg_err contact_tx(struct ss_ctx *c, void *arg, reg_status *st)
{
    struct slot_post *p = arg;
    struct selfservice_slot_form f = {
        .name = given(p, "name"),
        .org = given(p, "org"),
        .street = {given(p, "street1"), given(p, "street2"), given(p, "street3")},
        .city = given(p, "city"),
        .sp = given(p, "sp"),
        .pc = given(p, "pc"),
        .cc = given(p, "cc"),
        .voice = given(p, "voice"),
        .email = given(p, "email"),
        .ident_value = given(p, "ident_value"),
        .ident_cc = given(p, "ident_cc"),
    };
    return selfservice_slot_update(&c->op, c->s.contact_id, p->account, p->slot, &f, &p->changed,
                                   p->field, st);
}

static reg_err disclose_tx(struct ss_ctx *c, void *arg, reg_status *st)
{
    struct slot_post *p = arg;
    return selfservice_disclose_set(&c->op, c->s.contact_id, p->account, p->slot, p->bits, st);
}

static reg_err eid_tx(struct ss_ctx *c, void *arg, reg_status *st)
{
    struct slot_post *p = arg;
    idcheck_outcome out;
    return selfservice_idcheck_eid(&c->op, c->s.contact_id, p->account, p->slot, p->evidence,
                                   &out, st);
}

/* The field a refusal is shown at, as the page names it. */
static void flash_at(struct ss_ctx *c, const struct slot_post *p, const char *field,
                     const char *msg)
{
    char key[sizeof c->flash_field + 320];
    /* an address refusal is shown at its first line */
    field_key(key, sizeof key, p->account, p->slot, !strcmp(field, "street") ? "street1" : field);
    ss_flash_field(c, key, msg);
}

void ss_data_post(struct ss_ctx *c)
{
    if (!ss_require(c) || !ss_csrf_ok(c))
        return;
    struct slot_post post = {0}, *p = &post;
    web_form_field(c->w, "account", p->account, sizeof p->account);
    web_form_field(c->w, "slot", p->slot, sizeof p->slot);
    reg_status st = {0};
    reg_err e;
    enum ss_text_id done;
    const char *what = c->arg;
    if (!strcmp(what, "contact")) {
        for (size_t i = 0; i < NFIELDS; i++)
            p->given[i] = web_form_field(c->w, fields[i].name, p->v[i], sizeof p->v[i]);
        e = ss_in_tx(c, contact_tx, p, &st);
        done = p->changed ? S_SAVED : S_UNCHANGED;
    } else if (!strcmp(what, "disclose")) {
        static const struct {
            const char *name;
            unsigned bits;
        } shows[] = {
            {"show_name", CONTACT_DISCLOSE_NAME_INT | CONTACT_DISCLOSE_NAME_LOC},
            {"show_addr", CONTACT_DISCLOSE_ADDR_INT | CONTACT_DISCLOSE_ADDR_LOC},
            {"show_voice", CONTACT_DISCLOSE_VOICE},
            {"show_email", CONTACT_DISCLOSE_EMAIL},
        };
        char on[4];
        for (size_t i = 0; i < sizeof shows / sizeof shows[0]; i++)
            if (web_form_field(c->w, shows[i].name, on, sizeof on) && !strcmp(on, "1"))
                p->bits |= shows[i].bits;
        e = ss_in_tx(c, disclose_tx, p, &st);
        done = S_D_SAVED;
    } else if (!strcmp(what, "eid")) {
        web_form_field(c->w, "evidence", p->evidence, sizeof p->evidence);
        e = ss_in_tx(c, eid_tx, p, &st);
        done = S_ID_DONE;
        str_copy(p->field, sizeof p->field, "evidence");
    } else {
        web_not_found(c->w);
        return;
    }
    if (e && !refusal(e)) {
        ss_unavailable(c, "selfservice-data-failed", &st);
        return;
    }
    if (e) {
        reg_log(LOG_INFO, "self-service", c->w->id, "selfservice-data-refused",
                "form=%s account=%s slot=%s contact=%s error=%s", what, p->account, p->slot,
                c->s.handle, reg_errname(e));
        if (p->field[0])
            flash_at(c, p, p->field, st.reason);
        else
            ss_flash_set(c, st.reason, false);
    } else {
        reg_log(LOG_INFO, "self-service", c->w->id, "selfservice-data-saved",
                "form=%s account=%s slot=%s contact=%s", what, p->account, p->slot, c->s.handle);
        ss_flash_set(c, ss_t(c, done), true);
    }
    web_redirect(c->w, P "/data");
}
