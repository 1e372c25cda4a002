/* Notification mails (R10, R11): see notices.h. The texts are templates
 * in src/notify/templates.c (en, da, nb, et); this file finds who gets
 * which one, in which language, and with which values. */
#include "notices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contrib/strbuf.h"
#include "names.h"
#include "notify/outbox.h"
#include "notify/templates.h"

#define VARS_MAX 12

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

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
};

struct domain_who {
    char name[2 * (NAME_MAX_LEN + 1) + 4]; /* "U-label (A-label)" for an IDN */
    int64_t sponsor_id, registrant_id;
};

/* The loc postal name / country (sorts after "int": DESC prefers it). */
#define POSTAL(col)                                                                                \
    "(SELECT p." col " FROM contact_postal p WHERE p.contact_id = c.id ORDER BY p.type DESC "     \
    "LIMIT 1)"

static reg_err load_registrar(const struct reg_op *op, int64_t id, struct registrar_who *r,
                              reg_status *st)
{
    memset(r, 0, sizeof *r);
    db_stmt *s = db_query(op->db, "SELECT handle, name FROM registrar WHERE id = ?");
    db_bind_int(s, 1, id);
    if (db_next(s)) {
        copy(r->handle, sizeof r->handle, db_col_text(s, 0));
        copy(r->name, sizeof r->name, db_col_text(s, 1));
    }
    reg_err e = db_done(s);
    if (r->name[0] && strcmp(r->name, r->handle))
        snprintf(r->label, sizeof r->label, "%s (%s)", r->name, r->handle);
    else
        copy(r->label, sizeof r->label, r->handle);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err load_contact(const struct reg_op *op, int64_t id, struct contact_who *c,
                            reg_status *st)
{
    memset(c, 0, sizeof *c);
    db_stmt *s = db_query(op->db, "SELECT c.handle, c.email, " POSTAL("name") ", c.lang, "
                                  POSTAL("cc") " FROM contact c WHERE c.id = ?");
    db_bind_int(s, 1, id);
    if (db_next(s)) {
        copy(c->handle, sizeof c->handle, db_col_text(s, 0));
        copy(c->email, sizeof c->email, db_col_text(s, 1));
        copy(c->name, sizeof c->name, db_col_text(s, 2));
        copy(c->lang, sizeof c->lang, db_col_text(s, 3));
        copy(c->cc, sizeof c->cc, db_col_text(s, 4));
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
        const char *a = db_col_text(s, 0), *u = db_col_text(s, 1);
        if (u && a && strcmp(a, u))
            snprintf(d->name, sizeof d->name, "%s (%s)", u, a);
        else
            copy(d->name, sizeof d->name, a);
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
    copy(buf, n, e ? "" : r.body);
    rendered_free(&r);
    return e;
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
        e = outbox_email(op->db, op->now, to, mail.subject, mail.body, cause, st);
    rendered_free(&mail);
    return e;
}

/* --- not yet in the template table (English only) ----------------------------- */

#define SIGNATURE "\n-- \nThe registry\n"

static reg_err queue_mail(const struct reg_op *op, const char *to, const char *subject,
                          strbuf *body, const char *cause, reg_status *st)
{
    if (body->err) {
        sb_free(body);
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    }
    reg_err e = mailable(to) ? outbox_email(op->db, op->now, to, subject, sb_str(body), cause, st)
                             : REG_OK;
    sb_free(body);
    return e;
}

static void greeting(strbuf *b, const char *name)
{
    if (name && *name)
        sb_printf(b, "Hello %s,\n\n", name);
    else
        sb_puts(b, "Hello,\n\n");
}

/* "registrar Example Registrar A/S (EXAMPLE)" */
static void registrar_phrase(strbuf *b, const struct registrar_who *r)
{
    if (r->name[0] && strcmp(r->name, r->handle))
        sb_printf(b, "registrar %s (%s)", r->name, r->handle);
    else
        sb_printf(b, "registrar %s", r->handle);
}

/* --- R10: a contact's e-mail address ---------------------------------------- */

reg_err notice_contact_email_change(const struct reg_op *op, int64_t contact_id,
                                    const char *old_email, const char *new_email, reg_status *st)
{
    struct contact_who c;
    struct registrar_who r;
    if (load_contact(op, contact_id, &c, st))
        return st->code;
    db_stmt *s = db_query(op->db, "SELECT sponsor_id FROM contact WHERE id = ?");
    db_bind_int(s, 1, contact_id);
    int64_t sponsor = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (load_registrar(op, sponsor, &r, st))
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
    copy(out, n, sb_str(&b));
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
            copy(to[i].email, sizeof to[i].email, email);
            copy(to[i].name, sizeof to[i].name, db_col_text(s, 2));
            copy(to[i].lang, sizeof to[i].lang,
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

reg_err notice_registrant_renewal(const struct reg_op *op, int64_t domain_id, const char *to,
                                  const char *name, reg_time until,
                                  const struct renewal_invoice *inv, reg_status *st)
{
    struct domain_who d;
    struct registrar_who r;
    if (load_domain(op, domain_id, &d, st) || load_registrar(op, d.sponsor_id, &r, st))
        return st->code;
    char date[REG_TIME_STRLEN], subject[NAME_MAX_LEN * 2 + 96];
    clock_format_date(until, date, sizeof date);
    if (inv)
        snprintf(subject, sizeof subject, "Domain %s renewed until %s: invoice R%lld", d.name,
                 date, (long long)inv->number);
    else
        snprintf(subject, sizeof subject, "Domain %s renewed until %s", d.name, date);
    strbuf b;
    sb_init(&b);
    greeting(&b, name);
    sb_printf(&b, "The domain %s has been renewed until %s.\n"
                  "You receive this message as its registrant: the domain is managed by you\n"
                  "directly with the registry, which therefore invoices you for its renewals.\n\n",
              d.name, date);
    if (inv) {
        char issued[REG_TIME_STRLEN], due[REG_TIME_STRLEN], from[REG_TIME_STRLEN];
        clock_format_date(inv->issued, issued, sizeof issued);
        clock_format_date(inv->due, due, sizeof due);
        clock_format_date(inv->from, from, sizeof from);
        sb_printf(&b, "Invoice R%lld\nIssued:    %s\nDue:       %s\nBilled to: ",
                  (long long)inv->number, issued, due);
        const char *lines[] = {inv->payer_name, inv->payer_org};
        bool first = true;
        for (size_t i = 0; i < 2; i++)
            if (lines[i] && *lines[i]) {
                sb_printf(&b, "%s%s\n", first ? "" : "           ", lines[i]);
                first = false;
            }
        for (const char *p = inv->payer_address; p && *p;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            sb_printf(&b, "%s%.*s\n", first ? "" : "           ", (int)n, p);
            first = false;
            p += n + (nl ? 1 : 0);
        }
        if (first)
            sb_putc(&b, '\n');
        sb_printf(&b, "Contact:   %s\n\n", inv->payer_handle);
        sb_printf(&b, "Renewal of %s for %d year%s, %s to %s: %s\nTotal: %s\n\n", d.name,
                  inv->years, inv->years == 1 ? "" : "s", from, date, inv->amount, inv->amount);
        sb_printf(&b, "Please pay by %s and quote the invoice number R%lld.\n", due,
                  (long long)inv->number);
    } else {
        sb_puts(&b, "There is nothing to pay for this renewal.\n");
    }
    sb_puts(&b, "\nThe domain's technical settings are still looked after by its ");
    registrar_phrase(&b, &r);
    sb_puts(&b, ".\n");
    sb_puts(&b, SIGNATURE);
    return queue_mail(op, to, subject, &b, "registrant-renewal", st);
}

/* --- R19: a registrant of registrar-managed domains checks its data ----------------- */

#define CHECK_DOMAINS_SHOWN 50

static void field_line(strbuf *b, const char *label, const char *value)
{
    if (value && *value)
        sb_printf(b, "  %-14s%s\n", label, value);
}

/* The contact's data as the registry holds it, one field a line. */
static reg_err contact_data(const struct reg_op *op, int64_t contact_id, strbuf *b,
                            struct contact_who *c, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT c.handle, c.email, c.voice, c.mobile, p.name, p.org, "
                                  "p.street1, p.street2, p.street3, p.pc, p.city, p.sp, p.cc "
                                  "FROM contact c LEFT JOIN contact_postal p ON p.contact_id = "
                                  "c.id WHERE c.id = ? ORDER BY p.type DESC LIMIT 1");
    db_bind_int(s, 1, contact_id); /* the local form first, as in load_contact */
    memset(c, 0, sizeof *c);
    if (db_next(s)) {
        copy(c->handle, sizeof c->handle, db_col_text(s, 0));
        copy(c->email, sizeof c->email, db_col_text(s, 1));
        copy(c->name, sizeof c->name, db_col_text(s, 4));
        field_line(b, "Name:", db_col_text(s, 4));
        field_line(b, "Organisation:", db_col_text(s, 5));
        const char *label = "Address:";
        for (int col = 6; col <= 8; col++)
            if (db_col_text(s, col) && *db_col_text(s, col)) {
                field_line(b, label, db_col_text(s, col));
                label = "";
            }
        char city[300];
        snprintf(city, sizeof city, "%s%s%s", db_col_text(s, 9) ? db_col_text(s, 9) : "",
                 db_col_text(s, 9) && *db_col_text(s, 9) ? " " : "",
                 db_col_text(s, 10) ? db_col_text(s, 10) : "");
        field_line(b, label, city);
        field_line(b, "", db_col_text(s, 11));
        field_line(b, "", db_col_text(s, 12));
        field_line(b, "Phone:", db_col_text(s, 2));
        field_line(b, "Mobile:", db_col_text(s, 3));
        field_line(b, "E-mail:", db_col_text(s, 1));
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err notice_contact_check(const struct reg_op *op, int64_t contact_id, reg_status *st)
{
    strbuf data, b;
    sb_init(&data);
    struct contact_who c;
    if (contact_data(op, contact_id, &data, &c, st)) {
        sb_free(&data);
        return st->code;
    }
    sb_init(&b);
    greeting(&b, c.name);
    sb_printf(&b, "You are the registrant (holder) of these domains in the .%s registry:\n",
              op->policy->names.tld);
    db_stmt *s = db_query(op->db, "SELECT d.name, d.uname, r.handle, r.name FROM domain d JOIN "
                                  "registrar r ON r.id = d.sponsor_id WHERE d.registrant_id = ? "
                                  "AND d.management = 'registrar' AND d.delete_requested_at IS "
                                  "NULL ORDER BY d.name");
    db_bind_int(s, 1, contact_id);
    int n = 0;
    while (db_next(s)) {
        if (++n > CHECK_DOMAINS_SHOWN)
            continue;
        const char *a = db_col_text(s, 0), *u = db_col_text(s, 1);
        struct registrar_who r;
        copy(r.handle, sizeof r.handle, db_col_text(s, 2));
        copy(r.name, sizeof r.name, db_col_text(s, 3));
        if (u && strcmp(a, u))
            sb_printf(&b, "  %s (%s), ", u, a);
        else
            sb_printf(&b, "  %s, ", a);
        registrar_phrase(&b, &r);
        sb_putc(&b, '\n');
    }
    reg_err e = db_done(s);
    if (e) {
        sb_free(&data);
        sb_free(&b);
        return op_db_fail(op, st, e);
    }
    if (n > CHECK_DOMAINS_SHOWN)
        sb_printf(&b, "  and %d more\n", n - CHECK_DOMAINS_SHOWN);
    sb_printf(&b, "\nThis is what the registry holds about you, as contact %s:\n%s\n", c.handle,
              sb_str(&data));
    sb_puts(&b, "Please check it. If anything is wrong or out of date, ask your registrar to\n"
                "correct it: the registry publishes who holds each domain, and it must be able\n"
                "to reach you. If everything is right, there is nothing to do.\n");
    sb_puts(&b, SIGNATURE);
    sb_free(&data);
    char subject[128];
    snprintf(subject, sizeof subject, "Please check your contact data in the .%s registry",
             op->policy->names.tld);
    return queue_mail(op, c.email, subject, &b, "contact-check", st);
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
    char subject[NAME_MAX_LEN * 2 + 64];
    snprintf(subject, sizeof subject, "Domain %s: now %s-managed", d.name,
             by_registrant ? "registrant" : "registrar");
    strbuf b;
    sb_init(&b);
    greeting(&b, holder.name);
    if (by_registrant) {
        sb_printf(&b, "From now on the registry deals with you directly about the domain %s:\n"
                      "it sends you the domain's notices and, from its next renewal on, its\n"
                      "invoices. Its ",
                  d.name);
        registrar_phrase(&b, &r);
        sb_puts(&b, " still looks after its technical settings.\n");
    } else {
        sb_printf(&b, "From now on the domain %s is managed for you by its ", d.name);
        registrar_phrase(&b, &r);
        sb_puts(&b, ",\nwhich also renews and invoices it. The registry will only ask you from "
                    "time to time\nto check your contact data.\n");
    }
    sb_printf(&b, "You receive this message as the domain's registrant (contact %s).\n",
              holder.handle);
    sb_puts(&b, SIGNATURE);
    return queue_mail(op, holder.email, subject, &b, "management-change", st);
}

/* --- R21, R22: identity checks of registrants ------------------------------------- */

#define IDCHECK_HOW                                                                                \
    "- with an electronic ID (eID), where the registry or your registrar offers it, or\n"          \
    "- by sending the registry an official document that shows who you are: for a\n"             \
    "  person a passport or national identity card, for a company or association\n"              \
    "  its registration certificate. Quote your contact id %s.\n"
#define IDCHECK_DOMAINS_LISTED 50

static reg_err idcheck_parties(const struct reg_op *op, int64_t contact_id, struct contact_who *c,
                               struct registrar_who *r, reg_status *st)
{
    if (load_contact(op, contact_id, c, st))
        return st->code;
    db_stmt *s = db_query(op->db, "SELECT sponsor_id FROM contact WHERE id = ?");
    db_bind_int(s, 1, contact_id);
    int64_t sponsor = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    return load_registrar(op, sponsor, r, st);
}

reg_err notice_idcheck_pending(const struct reg_op *op, int64_t contact_id, const char *alabel,
                               reg_time deadline, reg_status *st)
{
    struct contact_who c;
    struct registrar_who r;
    if (idcheck_parties(op, contact_id, &c, &r, st))
        return st->code;
    char date[REG_TIME_STRLEN], subject[128];
    clock_format_date(deadline, date, sizeof date);
    snprintf(subject, sizeof subject, "Please confirm your identity by %s", date);
    strbuf b;
    sb_init(&b);
    greeting(&b, c.name);
    sb_printf(&b, "Contact %s is now the registrant (holder) of the domain %s.\n"
                  "The registry checks the identity of every registrant, so that it is\n"
                  "known for certain who holds each domain name.\n\n"
                  "Please confirm your identity by %s:\n",
              c.handle, alabel, date);
    sb_printf(&b, IDCHECK_HOW, c.handle);
    sb_printf(&b, "\nIf your identity is not confirmed by then, your domains are suspended\n"
                  "(taken out of the DNS) and deleted %lld days later.\n\n"
                  "If you did not ask for this domain, please contact your ",
              (long long)(op->policy->idcheck_delete_after / 86400));
    registrar_phrase(&b, &r);
    sb_puts(&b, ".\n");
    sb_puts(&b, SIGNATURE);
    return queue_mail(op, c.email, subject, &b, "idcheck-pending", st);
}

/* "  example.dk  deleted on 2027-03-01", one line per domain. */
static reg_err idcheck_domain_lines(const struct reg_op *op, int64_t contact_id, strbuf *b,
                                    int *n, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT name, uname, idcheck_delete_at FROM domain "
                                  "WHERE registrant_id = ? ORDER BY name");
    db_bind_int(s, 1, contact_id);
    *n = 0;
    while (db_next(s)) {
        if (++*n > IDCHECK_DOMAINS_LISTED)
            continue;
        const char *a = db_col_text(s, 0), *u = db_col_text(s, 1);
        sb_printf(b, "  %s", u && *u ? u : a);
        if (u && a && strcmp(a, u))
            sb_printf(b, " (%s)", a);
        if (!db_col_is_null(s, 2)) {
            char date[REG_TIME_STRLEN];
            sb_printf(b, "  deleted on %s",
                      clock_format_date(db_col_int(s, 2), date, sizeof date));
        }
        sb_puts(b, "\n");
    }
    if (*n > IDCHECK_DOMAINS_LISTED)
        sb_printf(b, "  … and %d more\n", *n - IDCHECK_DOMAINS_LISTED);
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err notice_idcheck_failed(const struct reg_op *op, int64_t contact_id,
                              reg_time missed_deadline, reg_status *st)
{
    struct contact_who c;
    struct registrar_who r;
    if (idcheck_parties(op, contact_id, &c, &r, st))
        return st->code;
    strbuf list;
    sb_init(&list);
    int n = 0;
    if (idcheck_domain_lines(op, contact_id, &list, &n, st)) {
        sb_free(&list);
        return st->code;
    }
    strbuf b;
    sb_init(&b);
    greeting(&b, c.name);
    char date[REG_TIME_STRLEN];
    if (missed_deadline)
        sb_printf(&b, "The identity of contact %s was not confirmed by %s.\n\n", c.handle,
                  clock_format_date(missed_deadline, date, sizeof date));
    else
        sb_printf(&b, "The registry could not confirm the identity of contact %s.\n\n", c.handle);
    if (n) {
        sb_printf(&b, "The domains it holds are suspended: they are out of the DNS, so web\n"
                      "sites and e-mail under them no longer work. Each is deleted on the\n"
                      "date shown unless your identity is confirmed before:\n\n%s\n"
                      "To keep them, confirm your identity:\n",
                  sb_str(&list));
    } else {
        sb_printf(&b, "As long as it is not confirmed, contact %s cannot hold domain names.\n"
                      "To confirm your identity:\n",
                  c.handle);
    }
    sb_free(&list);
    sb_printf(&b, IDCHECK_HOW, c.handle);
    sb_puts(&b, "\nWith questions, please ask your ");
    registrar_phrase(&b, &r);
    sb_puts(&b, ".\n");
    sb_puts(&b, SIGNATURE);
    return queue_mail(op, c.email, n ? "Identity check failed: your domains are suspended"
                                      : "Identity check failed",
                      &b, "idcheck-failed", st);
}
