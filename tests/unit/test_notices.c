/* Contact ident changes (R5) and notification mails (R10, R11) on both
 * backends, read back from the outbox: a contact's new e-mail address
 * (old and new address), a change of registrant (old and new
 * registrant), a delete request (registrant), and the expiry notice one
 * day after expiry to every unique address of the domain's contacts,
 * once per expiry. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "notify/outbox.h"
#include "registry/billing.h"
#include "registry/contact.h"
#include "registry/domain.h"
#include "registry/lifecycle.h"
#include "registry/notices.h"

#define R5_REASON "the ident cannot change; create a new contact object instead"

/* --- R5 ------------------------------------------------------------------- */

static void ident_update(struct fixture *f, const char *id, const char *type, const char *value,
                        const char *cc, reg_err want)
{
    struct contact_update_req u = {.id = (char *)id,
                                   .chg_ident = true,
                                   .ident_type = (char *)type,
                                   .ident_value = (char *)value,
                                   .ident_cc = (char *)cc};
    struct reg_op op = op_as(f, f->a);
    reg_status st;
    EXPECT(f, contact_update(&op, &u, &st), want, st);
    if (want == REG_ERR_DATA_POLICY)
        assert_string_equal(st.reason, R5_REASON);
}

static void assert_ident(struct fixture *f, const char *id, const char *type, const char *value,
                         const char *cc)
{
    struct reg_op op = op_as(f, f->a);
    struct contact k;
    reg_status st = {0};
    if (contact_info(&op, id, NULL, &k, &st))
        fail_msg("info %s: %s", id, reg_status_text(&st));
    assert_string_equal(k.d.ident_type, type);
    assert_string_equal(k.d.ident_value, value);
    if (cc)
        assert_string_equal(k.d.ident_cc, cc);
    else
        assert_null(k.d.ident_cc);
    contact_free(&k);
}

static void r5_ident_cannot_change(void **state)
{
    struct fixture f;
    setup(state, &f, "r5_change");
    make_contact(&f, "priv", "p@example.test", "Jens Hansen", "priv", "0102031234", "DK");
    make_contact(&f, "bday", "b@example.test", "Jens Hansen", "birthday", "1980-02-29", "DK");

    ident_update(&f, "REGA:PRIV", "priv", "0102039999", "DK", REG_ERR_DATA_POLICY); /* value */
    ident_update(&f, "REGA:PRIV", "priv", "0102031234", "SE", REG_ERR_DATA_POLICY); /* cc */
    ident_update(&f, "REGA:PRIV", "passport", "0102031234", "DK", REG_ERR_DATA_POLICY);
    ident_update(&f, "REGA:BDAY", "birthday", "1980-03-01", "DK", REG_ERR_DATA_POLICY);
    assert_ident(&f, "REGA:PRIV", "priv", "0102031234", "DK");
    assert_ident(&f, "REGA:BDAY", "birthday", "1980-02-29", "DK");
    /* the same ident again is no change */
    ident_update(&f, "REGA:PRIV", "priv", "0102031234", "DK", REG_OK);
    ident_update(&f, "REGA:BDAY", "birthday", "1980-02-29", "DK", REG_OK);
    /* R5 comes before the other checks of the update: nothing is changed */
    struct contact_update_req u = {.id = "REGA:PRIV",
                                   .email = "new@example.test",
                                   .chg_ident = true,
                                   .ident_type = "priv",
                                   .ident_value = "x",
                                   .ident_cc = "DK"};
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    EXPECT(&f, contact_update(&op, &u, &st), REG_ERR_DATA_POLICY, st);
    assert_int_equal(take_mails(&f)->n, 0);
    teardown(&f);
}

static void r5_exceptions(void **state)
{
    struct fixture f;
    setup(state, &f, "r5_except");
    make_contact(&f, "old-bday", "o@example.test", "Old Birthday", "birthday", "1980-02-29", "DK");
    make_contact(&f, "no-cc", "n@example.test", "No Country", "priv", "0102031234", "DK");
    make_contact(&f, "no-ident", "i@example.test", "No Ident", NULL, NULL, NULL);
    /* data the old registry let through (EPP create no longer does) */
    exec_sql(&f, "UPDATE contact SET ident_value = '29.02.1980' WHERE handle = 'REGA:OLD-BDAY'");
    exec_sql(&f, "UPDATE contact SET ident_cc = NULL WHERE handle = 'REGA:NO-CC'");

    /* 1. a birthday not written YYYY-MM-DD may be corrected ... */
    ident_update(&f, "REGA:OLD-BDAY", "birthday", "1980-02-29", "DK", REG_OK);
    assert_ident(&f, "REGA:OLD-BDAY", "birthday", "1980-02-29", "DK");
    /* ... once: now it is a proper date and fixed */
    ident_update(&f, "REGA:OLD-BDAY", "birthday", "1980-02-28", "DK", REG_ERR_DATA_POLICY);
    /* the new value must still be valid */
    exec_sql(&f, "UPDATE contact SET ident_value = '1980/02/29' WHERE handle = 'REGA:OLD-BDAY'");
    ident_update(&f, "REGA:OLD-BDAY", "birthday", "29.2.1980", "DK", REG_ERR_INVALID);
    /* and the correction may be to another type altogether */
    ident_update(&f, "REGA:OLD-BDAY", "priv", "2902801234", "DK", REG_OK);

    /* 2. an ident without cc may be changed ... */
    ident_update(&f, "REGA:NO-CC", "priv", "0102031234", "DK", REG_OK);
    assert_ident(&f, "REGA:NO-CC", "priv", "0102031234", "DK");
    /* ... until it has one */
    ident_update(&f, "REGA:NO-CC", "priv", "0102031235", "DK", REG_ERR_DATA_POLICY);
    /* no ident at all is no cc either: the first one may be set */
    ident_update(&f, "REGA:NO-IDENT", "org", "12345678", "DK", REG_OK);
    ident_update(&f, "REGA:NO-IDENT", "org", "87654321", "DK", REG_ERR_DATA_POLICY);

    /* the birthday exception is for birthdays only */
    exec_sql(&f, "UPDATE contact SET ident_value = '29.02.1980' WHERE handle = 'REGA:NO-IDENT'");
    ident_update(&f, "REGA:NO-IDENT", "org", "12345678", "DK", REG_ERR_DATA_POLICY);
    teardown(&f);
}

/* --- R10 ------------------------------------------------------------------ */

static void r10_contact_email_change(void **state)
{
    struct fixture f;
    setup(state, &f, "r10_email");
    make_contact(&f, "mail", "old@example.test", "Jens Hansen", NULL, NULL, NULL);
    assert_int_equal(take_mails(&f)->n, 0); /* create mails nobody */
    struct reg_op op = op_as(&f, f.a);
    reg_status st;

    struct contact_update_req u = {.id = "REGA:MAIL", .email = "new@example.test"};
    EXPECT(&f, contact_update(&op, &u, &st), REG_OK, st);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 2);
    int o = mail_to(ms, "old@example.test"), n = mail_to(ms, "new@example.test");
    for (int i = 0; i < 2; i++) {
        int k = i ? n : o;
        assert_string_equal(ms->cause[k], "contact-email-change");
        assert_string_equal(ms->subject[k], "Contact REGA:MAIL: e-mail address changed");
        assert_contains(ms->body[k], "REGA:MAIL");
        assert_contains(ms->body[k], "Alpha Registrar (REGA)");
        assert_contains(ms->body[k], "old@example.test");
        assert_contains(ms->body[k], "new@example.test");
        assert_contains(ms->body[k], "Hello Jens Hansen,");
    }
    assert_contains(ms->body[o], "will no longer receive");
    assert_contains(ms->body[n], "go to this address now");

    /* the same address again, other changes, a refused change: no mail */
    EXPECT(&f, contact_update(&op, &u, &st), REG_OK, st);
    u = (struct contact_update_req){.id = "REGA:MAIL", .chg_voice = true, .voice = "+45.12345678"};
    EXPECT(&f, contact_update(&op, &u, &st), REG_OK, st);
    u = (struct contact_update_req){.id = "REGA:MAIL", .email = "not-an-address"};
    EXPECT(&f, contact_update(&op, &u, &st), REG_ERR_INVALID, st);
    u = (struct contact_update_req){.id = "REGA:MAIL", .email = "other@example.test"};
    struct reg_op opb = op_as(&f, f.b);
    EXPECT(&f, contact_update(&opb, &u, &st), REG_ERR_AUTHZ, st);
    assert_int_equal(take_mails(&f)->n, 0);

    /* a change rolled back takes its mails with it */
    assert_int_equal(db_begin(f.d), REG_OK);
    assert_int_equal(contact_update(&op, &u, &st), REG_OK);
    assert_int_equal(db_rollback(f.d), REG_OK);
    assert_int_equal(take_mails(&f)->n, 0);

    /* staff change it too */
    struct reg_op so = staff(&f);
    EXPECT(&f, contact_update(&so, &u, &st), REG_OK, st);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 2);
    assert_contains(ms->body[mail_to(ms, "other@example.test")],
                    "by the registry, for its registrar Alpha Registrar (REGA)");
    teardown(&f);
}

static void r10_registrant_change(void **state)
{
    struct fixture f;
    setup(state, &f, "r10_registrant");
    make_contact(&f, "holder", "holder@example.test", "Old Holder", NULL, NULL, NULL);
    make_contact(&f, "buyer", "buyer@example.test", "New Holder", NULL, NULL, NULL);
    make_domain(&f, "sold.dk", "REGA:HOLDER", NULL, 0, NULL);
    assert_int_equal(take_mails(&f)->n, 0);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;

    /* the same registrant again, and other changes: no mail */
    struct domain_update u = {.name = "sold.dk", .chg_registrant = "REGA:HOLDER"};
    EXPECT(&f, domain_update(&op, &u, &st), REG_OK, st);
    u = (struct domain_update){.name = "sold.dk", .add_status = {"clientHold"}, .nadd_status = 1};
    EXPECT(&f, domain_update(&op, &u, &st), REG_OK, st);
    /* changing the registrant contact's own fields is no change of registrant (R6) */
    struct contact_update_req cu = {.id = "REGA:HOLDER", .chg_voice = true, .voice = "+45.1234"};
    EXPECT(&f, contact_update(&op, &cu, &st), REG_OK, st);
    assert_int_equal(take_mails(&f)->n, 0);

    u = (struct domain_update){.name = "sold.dk", .chg_registrant = "REGA:BUYER"};
    EXPECT(&f, domain_update(&op, &u, &st), REG_OK, st);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 2);
    int o = mail_to(ms, "holder@example.test"), n = mail_to(ms, "buyer@example.test");
    for (int i = 0; i < 2; i++) {
        int k = i ? n : o;
        assert_string_equal(ms->cause[k], "registrant-change");
        assert_string_equal(ms->subject[k], "Domain sold.dk: change of registrant");
        assert_contains(ms->body[k], "from contact REGA:HOLDER");
        assert_contains(ms->body[k], "to   contact REGA:BUYER");
        assert_contains(ms->body[k], "Alpha Registrar (REGA)");
    }
    assert_contains(ms->body[o], "Hello Old Holder,");
    assert_contains(ms->body[o], "is no longer the registrant");
    assert_contains(ms->body[n], "Hello New Holder,");
    assert_contains(ms->body[n], "is now the registrant");
    /* neither learns the other's name */
    assert_null(strstr(ms->body[o], "New Holder"));
    assert_null(strstr(ms->body[n], "Old Holder"));

    /* a refused update mails nobody */
    u = (struct domain_update){.name = "sold.dk", .chg_registrant = "REGA:HOLDER"};
    struct reg_op opb = op_as(&f, f.b);
    EXPECT(&f, domain_update(&opb, &u, &st), REG_ERR_AUTHZ, st);
    assert_int_equal(take_mails(&f)->n, 0);
    teardown(&f);
}

static void r10_delete_request(void **state)
{
    struct fixture f;
    setup(state, &f, "r10_delete");
    make_contact(&f, "holder", "holder@example.test", "Jens Hansen", NULL, NULL, NULL);
    make_contact(&f, "admin", "admin@example.test", "Admin", NULL, NULL, NULL);
    struct domain_contact dc[] = {{"admin", "REGA:ADMIN"}};
    make_domain(&f, "rgp.dk", "REGA:HOLDER", dc, 1, NULL);
    make_domain(&f, "gone.dk", "REGA:HOLDER", dc, 1, NULL);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    bool pending = false;

    /* RGP: into redemption, restorable for 30 days */
    EXPECT(&f, domain_delete(&op, "rgp.dk", &pending, &st), REG_OK, st);
    assert_true(pending);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "holder@example.test");
    assert_string_equal(ms->cause[0], "domain-delete");
    assert_string_equal(ms->subject[0], "Domain rgp.dk: deletion requested");
    assert_contains(ms->body[0], "Alpha Registrar (REGA) asked for the domain rgp.dk");
    assert_contains(ms->body[0], "restore it until 2027-01-31");

    /* immediate: no redemption period */
    f.policy.redemption_period = 0;
    op = op_as(&f, f.a);
    EXPECT(&f, domain_delete(&op, "gone.dk", &pending, &st), REG_OK, st);
    assert_false(pending);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "holder@example.test");
    assert_contains(ms->body[0], "has been deleted");
    struct domain d;
    EXPECT(&f, domain_info(&op, "gone.dk", NULL, &d, &(bool){false}, &st), REG_ERR_NOT_FOUND, st);

    /* refused: nothing */
    make_domain(&f, "kept.dk", "REGA:HOLDER", NULL, 0, NULL);
    take_mails(&f);
    struct reg_op opb = op_as(&f, f.b);
    EXPECT(&f, domain_delete(&opb, "kept.dk", &pending, &st), REG_ERR_AUTHZ, st);
    assert_int_equal(take_mails(&f)->n, 0);
    teardown(&f);
}

/* --- R11 ------------------------------------------------------------------ */

static int run_notice(struct fixture *f, reg_time now)
{
    return run_job(f, now, lifecycle_expiry_notice);
}

static void r11_expiry_notice(void **state)
{
    struct fixture f;
    setup(state, &f, "r11_expiry");
    make_contact(&f, "holder", "holder@example.test", "Jens Hansen", NULL, NULL, NULL);
    make_contact(&f, "admin", "admin@example.test", "Anne Admin", NULL, NULL, NULL);
    /* the same mailbox as the admin, written differently */
    make_contact(&f, "tech", "Admin@Example.test", "Tom Tech", NULL, NULL, NULL);
    make_contact(&f, "billing", "billing@example.test", "Bill Billing", NULL, NULL, NULL);
    struct domain_contact dc[] = {{"admin", "REGA:ADMIN"},
                                  {"tech", "REGA:TECH"},
                                  {"billing", "REGA:BILLING"},
                                  {"billing", "REGA:HOLDER"}};
    reg_time exp;
    make_domain(&f, "expired.dk", "REGA:HOLDER", dc, 4, &exp);
    take_mails(&f);

    /* not before one day after expiry */
    assert_int_equal(run_notice(&f, exp), 0);
    assert_int_equal(run_notice(&f, exp + DAY - 1), 0);
    assert_int_equal(take_mails(&f)->n, 0);
    assert_int_equal(run_notice(&f, exp + DAY), 1);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 3); /* holder, admin (= tech), billing */
    int h = mail_to(ms, "holder@example.test"), a = mail_to(ms, "admin@example.test"),
        b = mail_to(ms, "billing@example.test");
    for (int i = 0; i < ms->n; i++) {
        assert_string_equal(ms->cause[i], "domain-expired");
        assert_string_equal(ms->subject[i], "Domain expired.dk has expired");
        assert_contains(ms->body[i], "expired on 2028-01-01");
        assert_contains(ms->body[i], "out of the DNS on 2028-01-16");
        assert_contains(ms->body[i], "deleted on 2028-01-31");
        assert_contains(ms->body[i], "Alpha Registrar (REGA)");
    }
    assert_contains(ms->body[h], "as its registrant and billing contact.");
    assert_contains(ms->body[a], "as its administrative contact and technical contact.");
    assert_contains(ms->body[b], "as its billing contact.");

    /* once: not again for the same expiry */
    assert_int_equal(run_notice(&f, exp + DAY + 3600), 0);
    assert_int_equal(run_notice(&f, exp + 10 * DAY), 0);
    assert_int_equal(take_mails(&f)->n, 0);

    /* renewed late (still within the grace of the lifecycle), then expired
     * again: the new expiry is notified */
    f.now = exp + 10 * DAY;
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    reg_time next = 0;
    EXPECT(&f, domain_renew(&op, "expired.dk", "2028-01-01", 12, &next, &st), REG_OK, st);
    assert_int_equal(run_notice(&f, exp + 20 * DAY), 0);
    assert_int_equal(run_notice(&f, next + DAY - 1), 0);
    assert_int_equal(run_notice(&f, next + DAY), 1);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 3);
    assert_contains(ms->body[0], "expired on 2029-01-01");
    assert_int_equal(run_notice(&f, next + 2 * DAY), 0);
    teardown(&f);
}

static void r11_renewed_or_deleted_domains_get_none(void **state)
{
    struct fixture f;
    setup(state, &f, "r11_none");
    make_contact(&f, "holder", "holder@example.test", "Jens Hansen", NULL, NULL, NULL);
    reg_time exp;
    make_domain(&f, "auto.dk", "REGA:HOLDER", NULL, 0, &exp);
    make_domain(&f, "deleted.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain(&f, "unpaid.dk", "REGA:HOLDER", NULL, 0, NULL);
    /* its sponsor REGB cannot pay the autorenew (R23), so it expires */
    char sql[300];
    snprintf(sql, sizeof sql, "UPDATE domain SET sponsor_id = %lld WHERE name = 'unpaid.dk'",
             (long long)f.b);
    exec_sql(&f, sql);
    struct reg_op op = staff(&f);
    reg_status st;
    EXPECT(&f, billing_price_set(&op, "autorenew", 0, 100, f.b, 0, &st), REG_OK, st);
    /* deleted by its registrar before it expired: in redemption, no notice */
    op = op_as(&f, f.a);
    bool pending;
    EXPECT(&f, domain_delete(&op, "deleted.dk", &pending, &st), REG_OK, st);
    take_mails(&f);

    /* autorenew at expiry (the domain-expiry job runs before this one) */
    f.policy.autorenew = true;
    assert_int_equal(run_job(&f, exp, lifecycle_autorenew), 1); /* auto.dk; not unpaid.dk */
    assert_int_equal(run_notice(&f, exp + DAY), 1);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_contains(ms->subject[0], "unpaid.dk");

    /* a domain the delete job took into redemption before any notice went
     * (say the jobs did not run for a month) gets none */
    make_domain(&f, "late.dk", "REGA:HOLDER", NULL, 0, &exp);
    exec_sql(&f, "UPDATE domain SET management = 'registrant' WHERE name = 'late.dk'");
    assert_true(run_job(&f, exp + 31 * DAY, lifecycle_delete_expired) >= 1);
    take_mails(&f);
    assert_int_equal(run_notice(&f, exp + 32 * DAY), 0);
    assert_int_equal(take_mails(&f)->n, 0);
    teardown(&f);
}

/* SMS rows take E.164 numbers, EPP's "+CC.NUMBER" form included. */
static void sms_numbers(void **state)
{
    struct fixture f;
    setup(state, &f, "sms_numbers");
    static const struct {
        const char *number, *stored;
    } cases[] = {
        {"+45.20304050", "+4520304050"}, {"+4520304050", "+4520304050"},
        {"+372.5123456", "+3725123456"}, {"4520304050", NULL},   {"+45.20.30", NULL},
        {"+12345", NULL},                {"+45 20304050", NULL}, {"+1234567890123456", NULL},
        {".4520304050", NULL},           {"+.4520304050", NULL}, {NULL, NULL},
    };
    char body[] = "text";
    const struct rendered text = {.body = body};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reg_status st;
        EXPECT(&f, outbox_sms(f.d, f.now, cases[i].number, &text, "test", &st),
               cases[i].stored ? REG_OK : REG_ERR_INVALID, st);
        if (cases[i].stored)
            assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND "
                                        "recipient = ?", cases[i].stored), 1);
        exec_sql(&f, "DELETE FROM outbox");
    }
    teardown(&f);
}

/* --- the language of a notice (notify/templates.h) ------------------------ */

static void contact_in(struct fixture *f, const char *id, const char *email, const char *name,
                       const char *cc)
{
    const char *was = f->cc;
    f->cc = cc;
    make_contact(f, id, email, name, NULL, NULL, NULL);
    f->cc = was;
}

static void new_email(struct fixture *f, const char *id, const char *email)
{
    struct contact_update_req u = {.id = (char *)id, .email = (char *)email};
    struct reg_op op = op_as(f, f->a);
    reg_status st;
    EXPECT(f, contact_update(&op, &u, &st), REG_OK, st);
}

static void set_lang(struct fixture *f, const char *id, const char *lang, reg_err want,
                     bool changed_want)
{
    struct reg_op op = staff(f);
    reg_status st;
    bool changed = !changed_want;
    EXPECT(f, contact_set_lang(&op, id, lang, &changed, &st), want, st);
    if (!want)
        assert_int_equal(changed, changed_want);
}

/* By the country of the contact's address: DK da, NO nb, EE et; another
 * country gets [mail] language. */
static void lang_by_country(void **state)
{
    struct fixture f;
    setup(state, &f, "lang_country");
    contact_in(&f, "dk", "dk@example.test", "Jens Hansen", "DK");
    contact_in(&f, "no", "no@example.test", "Kari Nordmann", "NO");
    contact_in(&f, "ee", "ee@example.test", "Mari Maasikas", "EE");
    contact_in(&f, "se", "se@example.test", "Sven Svensson", "SE");
    contact_in(&f, "anon", "anon@example.test", "Anonymous", "EE");
    /* data kept from before names were required */
    exec_sql(&f, "UPDATE contact_postal SET name = '' WHERE contact_id = "
                 "(SELECT id FROM contact WHERE handle = 'REGA:ANON')");
    take_mails(&f);

    new_email(&f, "REGA:DK", "dk2@example.test");
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 2);
    int o = mail_to(ms, "dk@example.test"), n = mail_to(ms, "dk2@example.test");
    assert_string_equal(ms->subject[o], "Kontakt REGA:DK: e-mailadressen er ændret");
    assert_contains(ms->body[o], "Kære Jens Hansen\n\nDen 2027-01-01 blev e-mailadressen for "
                                 "kontakten REGA:DK i registret ændret\n"
                                 "fra dk@example.test\ntil dk2@example.test\n"
                                 "af registratoren Alpha Registrar (REGA).\n");
    assert_contains(ms->body[o], "Denne adresse vil ikke længere modtage beskeder");
    assert_contains(ms->body[n], "Beskeder om kontakten sendes nu til denne adresse.");
    assert_contains(ms->body[n], "\n-- \nRegistreringsenheden\n");

    new_email(&f, "REGA:NO", "no2@example.test");
    ms = take_mails(&f);
    o = mail_to(ms, "no@example.test");
    assert_string_equal(ms->subject[o], "Kontakt REGA:NO: e-postadressen er endret");
    assert_contains(ms->body[o], "Hei Kari Nordmann,\n\nDen 2027-01-01 ble e-postadressen");
    assert_contains(ms->body[o], "av registraren Alpha Registrar (REGA).");

    new_email(&f, "REGA:EE", "ee2@example.test");
    ms = take_mails(&f);
    o = mail_to(ms, "ee@example.test");
    assert_string_equal(ms->subject[o], "Kontakt REGA:EE: e-posti aadress on muudetud");
    assert_contains(ms->body[o], "Lugupeetud Mari Maasikas!\n\n2027-01-01 muudeti registris "
                                 "kontakti REGA:EE e-posti aadressi.\n"
                                 "Vana aadress: ee@example.test\nUus aadress:  ee2@example.test\n"
                                 "Muudatuse tegi registrar Alpha Registrar (REGA).\n");

    /* no country of ours: [mail] language (English by default) */
    new_email(&f, "REGA:SE", "se2@example.test");
    ms = take_mails(&f);
    assert_string_equal(ms->subject[0], "Contact REGA:SE: e-mail address changed");
    f.policy.language = "da";
    new_email(&f, "REGA:SE", "se3@example.test");
    ms = take_mails(&f);
    assert_string_equal(ms->subject[0], "Kontakt REGA:SE: e-mailadressen er ændret");
    assert_contains(ms->body[0], "Kære Sven Svensson\n");
    /* a country of ours still wins over the default */
    new_email(&f, "REGA:NO", "no3@example.test");
    assert_contains(take_mails(&f)->body[0], "Hei Kari Nordmann,");

    /* no name: the greeting without one */
    new_email(&f, "REGA:ANON", "anon2@example.test");
    assert_true(!strncmp(take_mails(&f)->body[0], "Tere!\n\n2027-01-01 muudeti", 25));
    teardown(&f);
}

/* regctl contact lang: the staff override wins over the country; "auto"
 * (NULL) goes back to it; each change is a history version (R40). */
static void lang_override(void **state)
{
    struct fixture f;
    setup(state, &f, "lang_override");
    contact_in(&f, "dk", "dk@example.test", "Jens Hansen", "DK");
    take_mails(&f);

    set_lang(&f, "REGA:DK", "et", REG_OK, true);
    set_lang(&f, "rega:dk", "et", REG_OK, false); /* the same again: no change */
    struct versions *h = history_of(&f, "contact", "REGA:DK");
    assert_int_equal(h->n, 2); /* create, the language */
    assert_contains(h->v[1].snapshot, "\"lang\":\"et\"");
    free(h);
    new_email(&f, "REGA:DK", "dk2@example.test");
    struct mails *ms = take_mails(&f);
    assert_string_equal(ms->subject[0], "Kontakt REGA:DK: e-posti aadress on muudetud");

    set_lang(&f, "REGA:DK", "en", REG_OK, true);
    new_email(&f, "REGA:DK", "dk3@example.test");
    assert_string_equal(take_mails(&f)->subject[0], "Contact REGA:DK: e-mail address changed");

    set_lang(&f, "REGA:DK", "auto", REG_OK, true);
    new_email(&f, "REGA:DK", "dk4@example.test");
    assert_string_equal(take_mails(&f)->subject[0], "Kontakt REGA:DK: e-mailadressen er ændret");
    h = history_of(&f, "contact", "REGA:DK");
    assert_contains(h->v[h->n - 1].snapshot, "\"lang\":null");
    free(h);

    /* only our languages; only existing contacts */
    set_lang(&f, "REGA:DK", "sv", REG_ERR_INVALID, false);
    set_lang(&f, "REGA:DK", "no", REG_ERR_INVALID, false);
    set_lang(&f, "REGA:NONE", "da", REG_ERR_NOT_FOUND, false);
    teardown(&f);
}

/* R11 in the language of each recipient: one mailbox, one language (its
 * first contact's), the roles in that language. */
static void lang_per_recipient(void **state)
{
    struct fixture f;
    setup(state, &f, "lang_recipient");
    contact_in(&f, "holder", "holder@example.test", "Jens Hansen", "DK");
    contact_in(&f, "admin", "admin@example.test", "Mari Maasikas", "EE");
    contact_in(&f, "tech", "tech@example.test", "Kari Nordmann", "NO");
    struct domain_contact dc[] = {
        {"admin", "REGA:ADMIN"}, {"tech", "REGA:ADMIN"}, {"tech", "REGA:TECH"},
        {"billing", "REGA:HOLDER"}};
    reg_time exp;
    make_domain(&f, "sprog.dk", "REGA:HOLDER", dc, 4, &exp);
    take_mails(&f);
    run_notice(&f, exp + DAY);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 3);
    int h = mail_to(ms, "holder@example.test"), a = mail_to(ms, "admin@example.test"),
        t = mail_to(ms, "tech@example.test");
    assert_string_equal(ms->subject[h], "Domænet sprog.dk er udløbet");
    assert_contains(ms->body[h], "Domænet sprog.dk udløb den 2028-01-01 og er ikke blevet "
                                 "fornyet.\nDu modtager denne besked som domænets registrant og "
                                 "faktureringskontakt.\n");
    assert_contains(ms->body[h], "fjernes domænet fra DNS den 2028-01-16 og slettes den "
                                 "2028-01-31.\n");
    assert_string_equal(ms->subject[a], "Domeeni sprog.dk registreering on aegunud");
    assert_contains(ms->body[a], "Saate selle kirja, sest olete domeeni halduskontakt ja "
                                 "tehniline kontakt.\n");
    assert_contains(ms->body[a], "paluge registraril Alpha Registrar (REGA) registreeringut");
    assert_string_equal(ms->subject[t], "Domenet sprog.dk er utløpt");
    assert_contains(ms->body[t], "som domenets tekniske kontakt.\n");
    teardown(&f);
}

/* R7: the confirmation request is in the current registrant's language,
 * with the link. */
static void r7_confirmation_request_in_the_registrants_language(void **state)
{
    struct fixture f;
    setup(state, &f, "lang_confirm");
    contact_in(&f, "holder", "holder@example.test", "Jens Hansen", "DK");
    contact_in(&f, "buyer", "buyer@example.test", "Kari Nordmann", "NO");
    make_domain(&f, "sold.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain(&f, "gone.dk", "REGA:BUYER", NULL, 0, NULL);
    take_mails(&f);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    bool pending = false;
    struct domain_update u = {.name = "sold.dk", .chg_registrant = "REGA:BUYER"};
    EXPECT(&f, domain_update_request(&op, &u, false, &pending, &st), REG_OK, st);
    assert_true(pending);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "holder@example.test");
    assert_string_equal(ms->subject[0], "Domænet sold.dk: bekræft venligst skiftet af registrant");
    assert_contains(ms->body[0], "Kære Jens Hansen\n\nRegistratoren Alpha Registrar (REGA) har "
                                 "anmodet om at overdrage domænet sold.dk\nfra dig (kontakt "
                                 "REGA:HOLDER) til kontakt REGA:BUYER.\n");
    assert_contains(ms->body[0], "\n\n  https://registry.example/confirm/");
    assert_contains(ms->body[0], "Linket kan bruges én gang, indtil 2027-01-03T00:00:00Z.");

    enum domain_delete_outcome outcome;
    EXPECT(&f, domain_delete_request(&op, "gone.dk", false, &outcome, &st), REG_OK, st);
    assert_int_equal(outcome, DOMAIN_DELETE_AWAITING_REGISTRANT);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "buyer@example.test");
    assert_string_equal(ms->subject[0], "Domenet gone.dk: bekreft slettingen");
    assert_contains(ms->body[0], "Hei Kari Nordmann,\n\nRegistraren Alpha Registrar (REGA) har "
                                 "bedt om å slette domenet gone.dk,\nsom du (kontakt REGA:BUYER) "
                                 "er innehaver av.\n");
    teardown(&f);
}

/* R16, R18, R19, R21 and R22 in the recipient's language: labels aligned
 * after the longest in that language. */
static void lang_r16_r18_r19_r21_r22_notices(void **state)
{
    struct fixture f;
    setup(state, &f, "lang_r18_r19");
    contact_in(&f, "mari", "mari@example.ee", "Mari Maasikas", "EE");
    contact_in(&f, "jens", "jens@example.dk", "Jens Hansen", "DK");
    make_domain(&f, "tamm.dk", "REGA:MARI", NULL, 0, NULL);
    make_domain(&f, "skov.dk", "REGA:JENS", NULL, 0, NULL);
    take_mails(&f);
    int64_t mari = scalar(&f, "SELECT id FROM contact WHERE handle = ?", "REGA:MARI");
    int64_t skov = scalar(&f, "SELECT id FROM domain WHERE name = ?", "skov.dk");
    struct reg_op op = op_as(&f, 0);
    reg_status st;

    EXPECT(&f, notice_contact_check(&op, mari, &st), REG_OK, st);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->subject[0], "Palun kontrollige oma kontaktandmeid .dk registris");
    assert_contains(ms->body[0], "Lugupeetud Mari Maasikas!\n\nTe olete nende domeenide "
                                 "registreerija (omanik) .dk registris:\n"
                                 "  tamm.dk, registrar Alpha Registrar (REGA)\n\n"
                                 "Registripidajal on Teie kohta kontaktina REGA:MARI järgmised "
                                 "andmed:\n"
                                 "  Nimi:           Mari Maasikas\n"
                                 "  Aadress:        London\n"
                                 "                  EE\n"
                                 "  E-post:         mari@example.ee\n\n");

    exec_sql(&f, "UPDATE domain SET management = 'registrant' WHERE name = 'skov.dk'");
    EXPECT(&f, notice_management_change(&op, skov, &st), REG_OK, st);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->subject[0], "Domænet skov.dk: administreres nu af registranten");
    assert_contains(ms->body[0], "Kære Jens Hansen\n\nFra nu af har registreringsenheden direkte "
                                 "kontakt med dig om domænet skov.dk:\n");

    op = op_as(&f, f.b);
    EXPECT(&f, notice_otp(&op, skov, f.b, "sms", "+45.12345678", "ABCDE-FGHJK", T0 + 14 * DAY,
                          &st),
           REG_OK, st);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "+4512345678");
    assert_string_equal(ms->body[0], "Engangskode ABCDE-FGHJK til at flytte skov.dk til Beta "
                                     "Registrar (REGB). Gyldig til 2027-01-15T00:00:00Z. Giv den "
                                     "kun til denne registrator.");
    /* e-mail: an address is needed, the registrar was told it was sent */
    EXPECT(&f, notice_otp(&op, skov, f.b, "email", "nobody", "ABCDE-FGHJK", T0, &st),
           REG_ERR_INVALID, st);

    /* R21, R22 to a Norwegian contact */
    contact_in(&f, "kari", "kari@example.no", "Kari Nordmann", "NO");
    int64_t kari = scalar(&f, "SELECT id FROM contact WHERE handle = ?", "REGA:KARI");
    f.policy.idcheck_delete_after = 30 * DAY;
    op = op_as(&f, 0);
    take_mails(&f);
    EXPECT(&f, notice_idcheck_pending(&op, kari, "fjord.dk", T0 + 25 * DAY, &st), REG_OK, st);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->subject[0], "Vennligst bekreft identiteten din innen 2027-01-26");
    assert_contains(ms->body[0], "Kontakt REGA:KARI er nå innehaver av domenet fjord.dk.\n");
    assert_contains(ms->body[0], "registreringsattesten, til id@registry.example.\n"
                                 "  Oppgi kontakt-ID-en din REGA:KARI.\n\n"
                                 "Er identiteten din ikke bekreftet innen da");
    assert_contains(ms->body[0], "og slettet 30 dager senere.");
    EXPECT(&f, notice_idcheck_failed(&op, kari, 0, &st), REG_OK, st);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->subject[0], "Identitetskontrollen mislyktes");
    assert_contains(ms->body[0], "Hei Kari Nordmann,\n\nRegisterenheten kunne ikke bekrefte "
                                 "identiteten til kontakt REGA:KARI.\n\n");
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(r5_ident_cannot_change),
        BOTH_BACKENDS(r5_exceptions),
        BOTH_BACKENDS(r10_contact_email_change),
        BOTH_BACKENDS(r10_registrant_change),
        BOTH_BACKENDS(r10_delete_request),
        BOTH_BACKENDS(r11_expiry_notice),
        BOTH_BACKENDS(r11_renewed_or_deleted_domains_get_none),
        BOTH_BACKENDS(lang_by_country),
        BOTH_BACKENDS(lang_override),
        BOTH_BACKENDS(lang_per_recipient),
        BOTH_BACKENDS(r7_confirmation_request_in_the_registrants_language),
        BOTH_BACKENDS(lang_r16_r18_r19_r21_r22_notices),
        BOTH_BACKENDS(sms_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
