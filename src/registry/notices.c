/* Notification mails (R10, R11): see notices.h. The texts are templates
 * in src/notify/templates.c (en, da, nb, et); this file finds who gets
 * which one, in which language, and with which values. */
#include "notices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contrib/money.h"
#include "contrib/strbuf.h"
#include "contrib/strutil.h"
#include "names.h"
#include "notify/outbox.h"
#include "notify/templates.h"
#include "selfservice.h"

#define VARS_MAX 12

static bool mailable(const char *to) { return to && *to && strchr(to, '@'); }

/* --- what the texts name ---------------------------------------------------- */

struct registrar_who {
    char handle[32];
    char name[256];
    char label[300]; /* "Example Registrar A/S (EXAMPLE)", or the handle alone */
};

struct contact_who {
    char handle[128];
    char email[320];
    char name[256]; /* the loc name, else the int name; "" if none */
    char lang[4];   /* staff override ("" = automatic) */
    char cc[4];     /* of the loc address, else the int one */
    int64_t sponsor_id;
};

struct domain_who {
    char name[2 * (NAME_MAX_LEN + 1) + 4]; /* "U-label (A-label)" for an IDN */
    int64_t sponsor_id, registrant_id;
};

/* The loc postal name / country (sorts after "int": DESC prefers it). */
#define POSTAL(col)                                                                                \
    "(SELECT p." col " FROM contact_postal p WHERE p.contact_id = c.id ORDER BY p.type DESC "     \
    "LIMIT 1)"

static void label_registrar(struct registrar_who *r)
{
    if (r->name[0] && strcmp(r->name, r->handle))
        snprintf(r->label, sizeof r->label, "%s (%s)", r->name, r->handle);
    else
        str_copy(r->label, sizeof r->label, r->handle);
}

/* "U-label (A-label)" for an IDN, else the name. */
static void domain_label(const char *alabel, const char *ulabel, char *out, size_t n)
{
    if (ulabel && *ulabel && alabel && strcmp(alabel, ulabel))
        snprintf(out, n, "%s (%s)", ulabel, alabel);
    else
        str_copy(out, n, alabel);
}

static reg_err load_registrar(const struct reg_op *op, int64_t id, struct registrar_who *r,
                              reg_status *st)
{
    memset(r, 0, sizeof *r);
    db_stmt *s = db_query(op->db, "SELECT handle, name FROM registrar WHERE id = ?");
    db_bind_int(s, 1, id);
    if (db_next(s)) {
        str_copy(r->handle, sizeof r->handle, db_col_text(s, 0));
        str_copy(r->name, sizeof r->name, db_col_text(s, 1));
    }
    reg_err e = db_done(s);
    label_registrar(r);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err load_contact(const struct reg_op *op, int64_t id, struct contact_who *c,
                            reg_status *st)
{
    memset(c, 0, sizeof *c);
    db_stmt *s = db_query(op->db, "SELECT c.handle, c.email, " POSTAL("name") ", c.lang, "
                                  POSTAL("cc") ", c.sponsor_id FROM contact c WHERE c.id = ?");
    db_bind_int(s, 1, id);
    if (db_next(s)) {
        str_copy(c->handle, sizeof c->handle, db_col_text(s, 0));
        str_copy(c->email, sizeof c->email, db_col_text(s, 1));
        str_copy(c->name, sizeof c->name, db_col_text(s, 2));
        str_copy(c->lang, sizeof c->lang, db_col_text(s, 3));
        str_copy(c->cc, sizeof c->cc, db_col_text(s, 4));
        c->sponsor_id = db_col_int(s, 5);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err load_domain(const struct reg_op *op, int64_t id, struct domain_who *d,
                           reg_status *st)
{
    memset(d, 0, sizeof *d);
    db_stmt *s = db_query(op->db, "SELECT name, uname, sponsor_id, registrant_id FROM domain "
                                  "WHERE id = ?");
    db_bind_int(s, 1, id);
    bool found = db_next(s);
    if (found) {
        domain_label(db_col_text(s, 0), db_col_text(s, 1), d->name, sizeof d->name);
        d->sponsor_id = db_col_int(s, 2);
        d->registrant_id = db_col_int(s, 3);
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_INTERNAL, "domain %lld vanished before its notice",
                        (long long)id);
    return REG_OK;
}

reg_err notices_setup(const struct reg_config *cfg, size_t *loaded, reg_status *st)
{
    template_branding_set(cfg->registry_name, cfg->registry_support, cfg->registry_terms_url);
    return template_overrides_load(cfg->mail_templates, loaded, st);
}

static const char *lang_of(const struct reg_op *op, const char *override, const char *cc)
{
    return template_lang_for(override, cc, op->policy->language);
}

/* --- sending ------------------------------------------------------------------ */

/* A phrase (a TEMPLATE_PART) in buf; "" when it cannot be rendered. */
static reg_err phrase(const char *id, const char *lang, const struct template_var *vars,
                      size_t nvars, char *buf, size_t n, reg_status *st)
{
    struct rendered r;
    reg_err e = template_render(id, lang, vars, nvars, &r, st);
    str_copy(buf, n, e ? "" : r.body);
    rendered_free(&r);
    return e;
}

/* Ends a list of domains the query s gave (e: the first error while its
 * rows were written): the query's outcome, then "… and N more" in lang
 * when there were n rows and only `shown` were listed. */
static reg_err end_list(const struct reg_op *op, db_stmt *s, reg_err e, int n, int shown,
                        const char *lang, strbuf *b, reg_status *st)
{
    reg_err done = db_done(s);
    if (e)
        return e;
    if (done)
        return op_db_fail(op, st, done);
    if (n > shown) {
        char more[16], line[80];
        snprintf(more, sizeof more, "%d", n - shown);
        const struct template_var count = {"n", more};
        if (phrase("list.more", lang, &count, 1, line, sizeof line, st))
            return st->code;
        sb_printf(b, "%s\n", line);
    }
    return REG_OK;
}

/* Renders the e-mail template `id` in `lang` for a recipient called `name`
 * (the greeting) and queues it to `to`, unless that is no address: a
 * contact's bad address never fails the change itself. */
static reg_err queue_notice(const struct reg_op *op, const char *to, const char *name,
                            const char *lang, const char *id, const struct template_var *vars,
                            size_t nvars, const char *cause, reg_status *st)
{
    if (!mailable(to))
        return REG_OK;
    if (nvars >= VARS_MAX)
        return reg_fail(st, REG_ERR_INTERNAL, "too many values for template %s", id);
    struct template_var all[VARS_MAX], who = {"name", name};
    char greeting[400];
    if (phrase(name && *name ? "greeting" : "greeting.anonymous", lang, &who, 1, greeting,
               sizeof greeting, st))
        return st->code;
    memcpy(all, vars, nvars * sizeof *vars);
    all[nvars++] = (struct template_var){"greeting", greeting};
    struct rendered mail;
    reg_err e = template_render(id, lang, all, nvars, &mail, st);
    if (!e)
        e = outbox_email(op->db, op->now, to, &mail, cause, st);
    rendered_free(&mail);
    return e;
}

/* --- R10: a contact's e-mail address ---------------------------------------- */

reg_err notice_contact_email_change(const struct reg_op *op, int64_t contact_id,
                                    const char *old_email, const char *new_email, reg_status *st)
{
    struct contact_who c;
    struct registrar_who r;
    if (load_contact(op, contact_id, &c, st) || load_registrar(op, c.sponsor_id, &r, st))
        return st->code;
    const char *lang = lang_of(op, c.lang, c.cc);
    char date[REG_TIME_STRLEN], by[512];
    clock_format_date(op->now, date, sizeof date);
    struct template_var registrar = {"registrar", r.label};
    if (phrase(op->registrar_id ? "changed-by.registrar" : "changed-by.registry", lang,
               &registrar, 1, by, sizeof by, st))
        return st->code;
    const struct template_var vars[] = {
        {"date", date},
        {"contact", c.handle},
        {"old_email", old_email ? old_email : "-"},
        {"new_email", new_email},
        {"changed_by", by},
    };
    size_t n = sizeof vars / sizeof vars[0];
    if (queue_notice(op, old_email, c.name, lang, "contact-email-change.old", vars, n,
                     "contact-email-change", st) ||
        queue_notice(op, new_email, c.name, lang, "contact-email-change.new", vars, n,
                     "contact-email-change", st))
        return st->code;
    return REG_OK;
}

/* --- R10: a change of registrant ---------------------------------------------- */

reg_err notice_registrant_change(const struct reg_op *op, int64_t domain_id,
                                 int64_t old_registrant_id, reg_status *st)
{
    struct domain_who d;
    struct registrar_who r;
    struct contact_who before, after;
    if (load_domain(op, domain_id, &d, st) || load_registrar(op, d.sponsor_id, &r, st) ||
        load_contact(op, old_registrant_id, &before, st) ||
        load_contact(op, d.registrant_id, &after, st))
        return st->code;
    char date[REG_TIME_STRLEN];
    clock_format_date(op->now, date, sizeof date);
    const struct template_var vars[] = {
        {"date", date},
        {"domain", d.name},
        {"old_registrant", before.handle},
        {"new_registrant", after.handle},
        {"registrar", r.label},
    };
    size_t n = sizeof vars / sizeof vars[0];
    if (queue_notice(op, before.email, before.name, lang_of(op, before.lang, before.cc),
                     "registrant-change.old", vars, n, "registrant-change", st) ||
        queue_notice(op, after.email, after.name, lang_of(op, after.lang, after.cc),
                     "registrant-change.new", vars, n, "registrant-change", st))
        return st->code;
    return REG_OK;
}

/* --- R10: a delete request ---------------------------------------------------- */

reg_err notice_delete_request(const struct reg_op *op, int64_t domain_id,
                              reg_time restorable_until, reg_status *st)
{
    struct domain_who d;
    struct registrar_who r;
    struct contact_who holder;
    if (load_domain(op, domain_id, &d, st) || load_registrar(op, d.sponsor_id, &r, st) ||
        load_contact(op, d.registrant_id, &holder, st))
        return st->code;
    char date[REG_TIME_STRLEN], until[REG_TIME_STRLEN] = "";
    clock_format_date(op->now, date, sizeof date);
    if (restorable_until)
        clock_format_date(restorable_until, until, sizeof until);
    const struct template_var vars[] = {
        {"date", date},         {"registrar", r.label}, {"domain", d.name},
        {"contact", holder.handle}, {"until", until},
    };
    return queue_notice(op, holder.email, holder.name, lang_of(op, holder.lang, holder.cc),
                        restorable_until ? "delete-request.restorable" : "delete-request.deleted",
                        vars, sizeof vars / sizeof vars[0], "domain-delete", st);
}

/* --- R7: the registrant is asked to confirm ------------------------------------ */

reg_err notice_confirmation_request(const struct reg_op *op, int64_t domain_id, const char *kind,
                                    int64_t new_registrant_id, const char *link,
                                    reg_time expires_at, reg_status *st)
{
    struct domain_who d;
    struct registrar_who r;
    struct contact_who holder, buyer = {0};
    bool change = !strcmp(kind, "registrantChange");
    if (load_domain(op, domain_id, &d, st) || load_registrar(op, d.sponsor_id, &r, st) ||
        load_contact(op, d.registrant_id, &holder, st) ||
        (change && load_contact(op, new_registrant_id, &buyer, st)))
        return st->code;
    char until[REG_TIME_STRLEN];
    clock_format(expires_at, until, sizeof until);
    const struct template_var vars[] = {
        {"registrar", r.label}, {"domain", d.name}, {"contact", holder.handle},
        {"new_registrant", buyer.handle}, {"link", link}, {"until", until},
    };
    return queue_notice(op, holder.email, holder.name, lang_of(op, holder.lang, holder.cc),
                        change ? "confirm-request.registrant-change" : "confirm-request.delete",
                        vars, sizeof vars / sizeof vars[0], "confirmation-request", st);
}

/* --- R39: a self-service password reset ------------------------------------------ */

reg_err notice_selfservice_reset(const struct reg_op *op, int64_t contact_id, const char *link,
                                 reg_time expires_at, reg_status *st)
{
    struct contact_who who;
    if (load_contact(op, contact_id, &who, st))
        return st->code;
    char until[REG_TIME_STRLEN];
    clock_format(expires_at, until, sizeof until);
    const struct template_var vars[] = {{"contact", who.handle}, {"link", link}, {"until", until}};
    return queue_notice(op, who.email, who.name, lang_of(op, who.lang, who.cc),
                        "selfservice-reset", vars, 3, "selfservice-reset", st);
}

/* --- R11: expired ----------------------------------------------------------------- */

#define RECIPIENTS_MAX 16

static const char *const role_ids[] = {"role.registrant", "role.admin", "role.tech",
                                       "role.billing"};
#define ROLE_COUNT (sizeof role_ids / sizeof role_ids[0])

struct recipient {
    char email[320];
    char name[256]; /* of the first contact with this address */
    char lang[4];   /* that contact's language */
    unsigned roles; /* bit i: role_ids[i] */
};

/* "registrant, administrative contact and billing contact", in lang. */
static reg_err role_phrase(const char *lang, unsigned roles, char *out, size_t n, reg_status *st)
{
    char word[ROLE_COUNT][64], and_word[16];
    int total = 0, done = 0;
    if (phrase("role.and", lang, NULL, 0, and_word, sizeof and_word, st))
        return st->code;
    for (size_t i = 0; i < ROLE_COUNT; i++)
        if (roles & (1u << i) && phrase(role_ids[i], lang, NULL, 0, word[total++], sizeof word[0], st))
            return st->code;
    strbuf b;
    sb_init(&b);
    for (int i = 0; i < total; i++, done++) {
        if (done)
            sb_puts(&b, done == total - 1 ? and_word : ", ");
        sb_puts(&b, word[i]);
    }
    str_copy(out, n, sb_str(&b));
    reg_err e = b.err;
    sb_free(&b);
    return e ? reg_fail(st, e, "out of memory") : REG_OK;
}

/* The unique addresses among the domain's registrant, admin, tech and
 * billing contacts (in that order), each with its roles. */
static reg_err expiry_recipients(const struct reg_op *op, int64_t domain_id, struct recipient *to,
                                 size_t *n, reg_status *st)
{
    *n = 0;
    db_stmt *s = db_query(op->db, "SELECT 0, c.email, " POSTAL("name") ", c.lang, " POSTAL("cc")
                                  " FROM domain d JOIN contact c ON c.id = d.registrant_id "
                                  "WHERE d.id = ? "
                                  "UNION ALL SELECT CASE dc.role WHEN 'admin' THEN 1 "
                                  "WHEN 'tech' THEN 2 ELSE 3 END, c.email, " POSTAL("name") ", "
                                  "c.lang, " POSTAL("cc") " FROM domain_contact dc "
                                  "JOIN contact c ON c.id = dc.contact_id "
                                  "WHERE dc.domain_id = ? ORDER BY 1, 2");
    db_bind_int(s, 1, domain_id);
    db_bind_int(s, 2, domain_id);
    while (db_next(s)) {
        int role = (int)db_col_int(s, 0);
        const char *email = db_col_text(s, 1);
        if (!mailable(email) || strlen(email) >= sizeof to[0].email || role < 0 ||
            role >= (int)ROLE_COUNT)
            continue;
        size_t i = 0;
        while (i < *n && strcasecmp(to[i].email, email)) /* one mail per mailbox */
            i++;
        if (i == *n) {
            if (*n == RECIPIENTS_MAX)
                continue;
            str_copy(to[i].email, sizeof to[i].email, email);
            str_copy(to[i].name, sizeof to[i].name, db_col_text(s, 2));
            str_copy(to[i].lang, sizeof to[i].lang,
                 lang_of(op, db_col_text(s, 3), db_col_text(s, 4)));
            to[i].roles = 0;
            (*n)++;
        }
        to[i].roles |= 1u << role;
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err notice_expired(const struct reg_op *op, int64_t domain_id, reg_time expired, int *mails,
                       reg_status *st)
{
    *mails = 0;
    struct domain_who d;
    struct registrar_who r;
    struct recipient to[RECIPIENTS_MAX];
    size_t n = 0;
    if (load_domain(op, domain_id, &d, st) || load_registrar(op, d.sponsor_id, &r, st) ||
        expiry_recipients(op, domain_id, to, &n, st))
        return st->code;
    char date[REG_TIME_STRLEN], hold[REG_TIME_STRLEN], del[REG_TIME_STRLEN], roles[400];
    clock_format_date(expired, date, sizeof date);
    clock_format_date(expired + op->policy->hold_after, hold, sizeof hold);
    clock_format_date(expired + op->policy->delete_after, del, sizeof del);
    bool held_first = op->policy->hold_after < op->policy->delete_after;
    for (size_t i = 0; i < n; i++) {
        if (role_phrase(to[i].lang, to[i].roles, roles, sizeof roles, st))
            return st->code;
        const struct template_var vars[] = {
            {"domain", d.name},    {"date", date},           {"roles", roles},
            {"hold_date", hold},   {"delete_date", del},     {"registrar", r.label},
        };
        if (queue_notice(op, to[i].email, to[i].name, to[i].lang,
                         held_first ? "expired.hold" : "expired.delete", vars,
                         sizeof vars / sizeof vars[0], "domain-expired", st))
            return st->code;
        (*mails)++;
    }
    return REG_OK;
}

/* --- R19: a registrant-managed domain renewed, with its invoice ------------------ */

/* "Jens Hansen\nHansen ApS\nVestergade 1\n8000 Aarhus C\nDK": the lines there are. */
static void billed_to(const struct renewal_invoice *inv, strbuf *b)
{
    const char *lines[] = {inv->payer_name, inv->payer_org, inv->payer_address};
    for (size_t i = 0; i < 3; i++)
        if (lines[i] && *lines[i])
            sb_printf(b, "%s%s", b->len ? "\n" : "", lines[i]);
}

reg_err notice_registrant_renewal(const struct reg_op *op, int64_t domain_id, const char *to,
                                  const char *name, reg_time until,
                                  const struct renewal_invoice *inv, reg_status *st)
{
    struct domain_who d;
    struct registrar_who r;
    struct contact_who holder; /* R19: the registrant is the one the registry deals with */
    if (load_domain(op, domain_id, &d, st) || load_registrar(op, d.sponsor_id, &r, st) ||
        load_contact(op, d.registrant_id, &holder, st))
        return st->code;
    const char *lang = lang_of(op, holder.lang, holder.cc);
    char date[REG_TIME_STRLEN], issued[REG_TIME_STRLEN] = "", due[REG_TIME_STRLEN] = "",
         from[REG_TIME_STRLEN] = "", number[24] = "", n[16] = "", years[64] = "",
         amount[MONEY_FMT_LEN] = "";
    clock_format_date(until, date, sizeof date);
    strbuf payer;
    sb_init(&payer);
    if (inv) {
        clock_format_date(inv->issued, issued, sizeof issued);
        clock_format_date(inv->due, due, sizeof due);
        clock_format_date(inv->from, from, sizeof from);
        snprintf(number, sizeof number, "%lld", (long long)inv->number);
        snprintf(n, sizeof n, "%d", inv->years);
        money_format_in(inv->amount, inv->currency, lang, amount, sizeof amount);
        struct template_var count = {"n", n};
        billed_to(inv, &payer);
        if (phrase(inv->years == 1 ? "years.one" : "years.other", lang, &count, 1, years,
                   sizeof years, st)) {
            sb_free(&payer);
            return st->code;
        }
    }
    const struct template_var vars[] = {
        {"domain", d.name},
        {"until", date},
        {"registrar", r.label},
        {"number", number},
        {"issued", issued},
        {"due", due},
        {"billed_to", payer.err ? "" : sb_str(&payer)},
        {"payer", inv ? inv->payer_handle : ""},
        {"years", years},
        {"from", from},
        {"amount", amount},
    };
    reg_err e = queue_notice(op, to, name, lang,
                             inv ? "registrant-renewal.invoice" : "registrant-renewal.free", vars,
                             sizeof vars / sizeof vars[0], "registrant-renewal", st);
    sb_free(&payer);
    return e;
}

/* --- R19: a registrant of registrar-managed domains checks its data ----------------- */

#define CHECK_DOMAINS_SHOWN 50

/* The contact's data as the registry holds it, one labelled field a line
 * (labels in lang, values aligned after the longest). */
static reg_err contact_data(const struct reg_op *op, int64_t contact_id, const char *lang,
                            strbuf *b, reg_status *st)
{
    static const char *const label_ids[] = {"label.name",  "label.org",    "label.address",
                                            "label.phone", "label.mobile", "label.email"};
    enum { NAME, ORG, ADDRESS, PHONE, MOBILE, EMAIL, LABELS };
    char label[LABELS][64];
    size_t width = 0;
    for (size_t i = 0; i < LABELS; i++) {
        if (phrase(label_ids[i], lang, NULL, 0, label[i], sizeof label[i], st))
            return st->code;
        size_t chars = 0;
        for (const char *p = label[i]; *p; p++)
            chars += ((unsigned char)*p & 0xc0) != 0x80;
        width = chars + 1 > width ? chars + 1 : width;
    }
    db_stmt *s = db_query(op->db, "SELECT c.email, c.voice, c.mobile, p.name, p.org, p.street1, "
                                  "p.street2, p.street3, p.pc, p.city, p.sp, p.cc FROM contact c "
                                  "LEFT JOIN contact_postal p ON p.contact_id = c.id "
                                  "WHERE c.id = ? ORDER BY p.type DESC LIMIT 1");
    db_bind_int(s, 1, contact_id); /* the local form first, as in load_contact */
    if (db_next(s)) {
        char city[300];
        const char *pc = db_col_text(s, 8), *town = db_col_text(s, 9);
        snprintf(city, sizeof city, "%s%s%s", pc ? pc : "", pc && *pc ? " " : "",
                 town ? town : "");
        const struct {
            const char *label, *value;
        } rows[] = {
            {label[NAME], db_col_text(s, 3)},    {label[ORG], db_col_text(s, 4)},
            {label[ADDRESS], db_col_text(s, 5)}, {"", db_col_text(s, 6)},
            {"", db_col_text(s, 7)},             {"", city},
            {"", db_col_text(s, 10)},            {"", db_col_text(s, 11)},
            {label[PHONE], db_col_text(s, 1)},   {label[MOBILE], db_col_text(s, 2)},
            {label[EMAIL], db_col_text(s, 0)},
        };
        bool address_shown = false;
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
            if (!rows[i].value || !*rows[i].value)
                continue;
            /* the address label goes on its first line present */
            bool in_address = i >= 2 && i <= 7;
            const char *l = in_address ? (address_shown ? "" : label[ADDRESS]) : rows[i].label;
            address_shown |= in_address;
            size_t chars = 0;
            for (const char *p = l; *p; p++)
                chars += ((unsigned char)*p & 0xc0) != 0x80;
            sb_printf(b, "  %s%*s%s\n", l, (int)(width - chars), "", rows[i].value);
        }
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* "  example.dk, registrar Example (EX)" a line, for each registrar-managed
 * domain the contact holds. */
static reg_err held_domains(const struct reg_op *op, int64_t contact_id, const char *lang,
                            strbuf *b, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT d.name, d.uname, r.handle, r.name FROM domain d JOIN "
                                  "registrar r ON r.id = d.sponsor_id WHERE d.registrant_id = ? "
                                  "AND d.management = 'registrar' AND d.delete_requested_at IS "
                                  "NULL ORDER BY d.name");
    db_bind_int(s, 1, contact_id);
    int n = 0;
    reg_err e = REG_OK;
    while (!e && db_next(s)) {
        if (++n > CHECK_DOMAINS_SHOWN)
            continue;
        char name[2 * (NAME_MAX_LEN + 1) + 4], line[700];
        struct registrar_who r;
        memset(&r, 0, sizeof r);
        str_copy(r.handle, sizeof r.handle, db_col_text(s, 2));
        str_copy(r.name, sizeof r.name, db_col_text(s, 3));
        label_registrar(&r);
        domain_label(db_col_text(s, 0), db_col_text(s, 1), name, sizeof name);
        const struct template_var vars[] = {{"domain", name}, {"registrar", r.label}};
        e = phrase("contact-check.domain", lang, vars, 2, line, sizeof line, st);
        sb_printf(b, "%s\n", line);
    }
    return end_list(op, s, e, n, CHECK_DOMAINS_SHOWN, lang, b, st);
}

reg_err notice_contact_check(const struct reg_op *op, int64_t contact_id, reg_status *st)
{
    struct contact_who c;
    if (load_contact(op, contact_id, &c, st))
        return st->code;
    const char *lang = lang_of(op, c.lang, c.cc);
    strbuf domains, data;
    sb_init(&domains);
    sb_init(&data);
    reg_err e = held_domains(op, contact_id, lang, &domains, st);
    if (!e)
        e = contact_data(op, contact_id, lang, &data, st);
    if (!e && (domains.err || data.err))
        e = reg_fail(st, REG_ERR_NOMEM, "out of memory");
    if (!e) {
        const struct template_var vars[] = {{"tld", op->policy->names.tld},
                                            {"domains", sb_str(&domains)},
                                            {"contact", c.handle},
                                            {"data", sb_str(&data)}};
        e = queue_notice(op, c.email, c.name, lang, "contact-check", vars, 4, "contact-check", st);
    }
    sb_free(&domains);
    sb_free(&data);
    return e;
}

/* --- R18: the management model changed ------------------------------------------ */

reg_err notice_management_change(const struct reg_op *op, int64_t domain_id, reg_status *st)
{
    struct domain_who d;
    struct registrar_who r;
    struct contact_who holder;
    if (load_domain(op, domain_id, &d, st) || load_registrar(op, d.sponsor_id, &r, st) ||
        load_contact(op, d.registrant_id, &holder, st))
        return st->code;
    db_stmt *s = db_query(op->db, "SELECT management FROM domain WHERE id = ?");
    db_bind_int(s, 1, domain_id);
    bool by_registrant = db_next(s) && !strcmp(db_col_text(s, 0), "registrant");
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    const struct template_var vars[] = {
        {"domain", d.name}, {"registrar", r.label}, {"contact", holder.handle}};
    return queue_notice(op, holder.email, holder.name, lang_of(op, holder.lang, holder.cc),
                        by_registrant ? "management-change.registrant"
                                      : "management-change.registrar",
                        vars, 3, "management-change", st);
}

/* --- R16: a one-time password --------------------------------------------------- */

reg_err notice_otp(const struct reg_op *op, int64_t domain_id, int64_t gaining_id,
                   const char *channel, const char *to, const char *code, reg_time expires,
                   reg_status *st)
{
    struct domain_who d;
    struct registrar_who r;
    struct contact_who holder;
    if (load_domain(op, domain_id, &d, st) || load_registrar(op, gaining_id, &r, st) ||
        load_contact(op, d.registrant_id, &holder, st))
        return st->code;
    const char *lang = lang_of(op, holder.lang, holder.cc);
    char until[REG_TIME_STRLEN];
    clock_format(expires, until, sizeof until);
    const struct template_var vars[] = {
        {"domain", d.name}, {"registrar", r.label}, {"code", code}, {"expiry", until}};
    /* asked for by the registrant (selfservice_data.h), not by the registrar */
    bool registrant = op->channel && !strcmp(op->channel, SELFSERVICE_CHANNEL);
    if (strcmp(channel, "sms")) /* the registrar was told it was sent: no silent skip */
        return mailable(to) ? queue_notice(op, to, holder.name, lang,
                                           registrant ? "otp-registrant.email" : "otp.email",
                                           vars, 4, "otp", st)
                            : reg_fail(st, REG_ERR_INVALID, "no e-mail address to send to");
    struct rendered text;
    reg_err e = template_render("otp.sms", lang, vars, 4, &text, st);
    if (!e)
        e = outbox_sms(op->db, op->now, to, &text, "otp", st);
    rendered_free(&text);
    return e;
}

/* --- R21, R22: identity checks of registrants ------------------------------------- */

#define IDCHECK_DOMAINS_LISTED 50

/* The contact, its sponsor, its language and how to confirm an identity. */
struct idcheck_who {
    struct contact_who c;
    struct registrar_who r;
    const char *lang;
    char how[1200];
};

static reg_err idcheck_parties(const struct reg_op *op, int64_t contact_id, struct idcheck_who *w,
                               reg_status *st)
{
    if (load_contact(op, contact_id, &w->c, st) || load_registrar(op, w->c.sponsor_id, &w->r, st))
        return st->code;
    w->lang = lang_of(op, w->c.lang, w->c.cc);
    /* policy_from_config sets it: [idcheck] documents or [mail] from */
    const char *documents = op->policy->idcheck_documents;
    const struct template_var vars[] = {
        {"contact", w->c.handle},
        {"documents", documents ? documents : ""},
    };
    return phrase("idcheck.how", w->lang, vars, 2, w->how, sizeof w->how, st);
}

reg_err notice_idcheck_pending(const struct reg_op *op, int64_t contact_id, const char *alabel,
                               reg_time deadline, reg_status *st)
{
    struct idcheck_who w;
    if (idcheck_parties(op, contact_id, &w, st))
        return st->code;
    char date[REG_TIME_STRLEN], days[24], ulabel[NAME_MAX_LEN * 4 + 1];
    char domain[sizeof ulabel + NAME_MAX_LEN + 4];
    clock_format_date(deadline, date, sizeof date);
    snprintf(days, sizeof days, "%lld", (long long)(op->policy->idcheck_delete_after / 86400));
    /* the name as the registrant knows it: "blåbærgrød.dk (xn--…)" */
    names_ulabel(alabel, ulabel, sizeof ulabel);
    domain_label(alabel, ulabel, domain, sizeof domain);
    const struct template_var vars[] = {
        {"contact", w.c.handle}, {"domain", domain},        {"deadline", date},
        {"how", w.how},          {"delete_days", days},     {"registrar", w.r.label},
    };
    return queue_notice(op, w.c.email, w.c.name, w.lang, "idcheck-pending", vars,
                        sizeof vars / sizeof vars[0], "idcheck-pending", st);
}

/* "  example.dk  deleted on 2027-03-01", one line per domain (in lang). */
static reg_err idcheck_domain_lines(const struct reg_op *op, int64_t contact_id, const char *lang,
                                    strbuf *b, int *n, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT name, uname, idcheck_delete_at FROM domain "
                                  "WHERE registrant_id = ? ORDER BY name");
    db_bind_int(s, 1, contact_id);
    *n = 0;
    reg_err e = REG_OK;
    while (!e && db_next(s)) {
        if (++*n > IDCHECK_DOMAINS_LISTED)
            continue;
        char name[2 * (NAME_MAX_LEN + 1) + 4], line[700], date[REG_TIME_STRLEN];
        domain_label(db_col_text(s, 0), db_col_text(s, 1), name, sizeof name);
        if (db_col_is_null(s, 2)) {
            sb_printf(b, "  %s\n", name);
            continue;
        }
        clock_format_date(db_col_int(s, 2), date, sizeof date);
        const struct template_var vars[] = {{"domain", name}, {"date", date}};
        e = phrase("idcheck-failed.domain", lang, vars, 2, line, sizeof line, st);
        sb_printf(b, "%s\n", line);
    }
    return end_list(op, s, e, *n, IDCHECK_DOMAINS_LISTED, lang, b, st);
}

reg_err notice_idcheck_failed(const struct reg_op *op, int64_t contact_id,
                              reg_time missed_deadline, reg_status *st)
{
    struct idcheck_who w;
    if (idcheck_parties(op, contact_id, &w, st))
        return st->code;
    char date[REG_TIME_STRLEN] = "", reason[600];
    if (missed_deadline)
        clock_format_date(missed_deadline, date, sizeof date);
    const struct template_var why[] = {{"contact", w.c.handle}, {"deadline", date}};
    if (phrase(missed_deadline ? "idcheck-failed.missed" : "idcheck-failed.refused", w.lang, why,
               2, reason, sizeof reason, st))
        return st->code;
    strbuf list;
    sb_init(&list);
    int n = 0;
    reg_err e = idcheck_domain_lines(op, contact_id, w.lang, &list, &n, st);
    if (!e && list.err)
        e = reg_fail(st, REG_ERR_NOMEM, "out of memory");
    if (!e) {
        const struct template_var vars[] = {
            {"reason", reason}, {"contact", w.c.handle}, {"domains", sb_str(&list)},
            {"how", w.how},     {"registrar", w.r.label},
        };
        e = queue_notice(op, w.c.email, w.c.name, w.lang,
                         n ? "idcheck-failed.suspended" : "idcheck-failed.none", vars,
                         sizeof vars / sizeof vars[0], "idcheck-failed", st);
    }
    sb_free(&list);
    return e;
}
