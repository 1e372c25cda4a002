/* Contact ident changes (R5) and notification mails (R10, R11) on both
 * backends, read back from the outbox: a contact's new e-mail address
 * (old and new address), a change of registrant (old and new
 * registrant), a delete request (registrant), and the expiry notice one
 * day after expiry to every unique address of the domain's contacts,
 * once per expiry. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "notify/outbox.h"
#include "registry/contact.h"
#include "registry/domain.h"
#include "registry/lifecycle.h"
#include "registry/registrar.h"

static const reg_time T0 = 1798761600; /* 2027-01-01T00:00:00Z */
#define DAY ((reg_time)86400)
#define R5_REASON "the ident cannot change; create a new contact object instead (R5)"

static const char DK_CHARS[] = "abcdefghijklmnopqrstuvwxyz0123456789-";

struct fixture {
    db *d;
    struct registry_policy policy;
    int64_t a, b; /* REGA "Alpha Registrar", REGB */
    reg_time now;
};

static int64_t add_registrar(db *d, const char *handle, const char *name)
{
    struct registrar_new r = {.handle = handle, .name = name, .password = "secret-pw1"};
    reg_status st = {0};
    if (registrar_add(d, &r, &st))
        fail_msg("registrar_add %s: %s", handle, reg_status_text(&st));
    struct registrar g;
    if (registrar_get(d, handle, &g, &st))
        fail_msg("registrar_get %s: %s", handle, reg_status_text(&st));
    int64_t id = g.id;
    registrar_free(&g);
    return id;
}

static void setup(void **state, struct fixture *f, const char *base)
{
    char name[64];
    struct test_backend *b = *state;
    snprintf(name, sizeof name, "%s_%s", base, b->label);
    clock_set_fixed(T0);
    memset(f, 0, sizeof *f);
    f->now = T0;
    f->d = test_db_open(b->kind, name);
    struct registry_policy *p = &f->policy;
    p->names.tld = "dk";
    p->names.allowed_chars = DK_CHARS;
    snprintf(p->roid_suffix, sizeof p->roid_suffix, "DK");
    p->min_period = 1;
    p->max_period = 10;
    p->transfer_immediate = true;
    p->transfer_pending_period = 5 * DAY;
    p->redemption_period = 30 * DAY;
    p->pending_delete_period = 5 * DAY;
    p->hold_after = 15 * DAY;
    p->delete_after = 30 * DAY;
    f->a = add_registrar(f->d, "REGA", "Alpha Registrar");
    f->b = add_registrar(f->d, "REGB", "Beta Registrar");
}

static void teardown(struct fixture *f)
{
    assert_false(db_in_transaction(f->d));
    policy_free(&f->policy);
    db_close(f->d);
}

static struct reg_op op_as(struct fixture *f, int64_t registrar)
{
    bool job = registrar == 0;
    struct reg_op op = {.db = f->d,
                        .policy = &f->policy,
                        .registrar_id = registrar,
                        .actor = job ? "job:test" : registrar == f->a ? "REGA" : "REGB",
                        .channel = job ? "job" : "epp",
                        .svtrid = job ? NULL : "TEST-1",
                        .now = f->now};
    return op;
}

/* Each call in its own transaction, rolled back on error (as the EPP
 * batch does with its savepoints); the result must be `code`. */
#define EXPECT(f, call, code, st)                                                                  \
    do {                                                                                           \
        reg_status_clear(&(st));                                                                   \
        assert_int_equal(db_begin((f)->d), REG_OK);                                                \
        reg_err got_ = (call);                                                                     \
        if (got_)                                                                                  \
            db_rollback((f)->d);                                                                   \
        else                                                                                       \
            assert_int_equal(db_commit((f)->d), REG_OK);                                           \
        if (got_ != (code))                                                                        \
            fail_msg("%s: expected %s, got %s (%s)", #call, reg_errname(code), reg_errname(got_),  \
                     reg_status_text(&(st)));                                                      \
    } while (0)

static void exec_sql(struct fixture *f, const char *sql)
{
    if (db_exec(f->d, sql))
        fail_msg("%s: %s", sql, db_errmsg(f->d));
}

/* A person sponsored by REGA with id REGA:<id>; ident (type, value, cc)
 * optional. */
static void make_contact(struct fixture *f, const char *id, const char *email, const char *name,
                         const char *itype, const char *ivalue, const char *icc)
{
    struct contact_create_req r;
    memset(&r, 0, sizeof r);
    r.id = (char *)id;
    r.d.postal[CONTACT_LOC] = (struct contact_postal){
        .present = true, .name = (char *)name, .city = "Aarhus C", .cc = "DK"};
    r.d.email = (char *)email;
    r.d.kind = "person";
    r.d.ident_type = (char *)itype;
    r.d.ident_value = (char *)ivalue;
    r.d.ident_cc = (char *)icc;
    struct reg_op op = op_as(f, f->a);
    reg_status st;
    char handle[CONTACT_ID_MAX + 1];
    EXPECT(f, contact_create(&op, &r, handle, &st), REG_OK, st);
}

/* --- the outbox ----------------------------------------------------------- */

#define MAILS_MAX 16

struct mails {
    int n;
    char to[MAILS_MAX][128], cause[MAILS_MAX][40], subject[MAILS_MAX][200], body[MAILS_MAX][2048];
};

static void collect(const struct outbox_msg *m, void *arg)
{
    struct mails *ms = arg;
    if (ms->n == MAILS_MAX)
        fail_msg("more than %d mails", MAILS_MAX);
    snprintf(ms->to[ms->n], sizeof ms->to[0], "%s", m->recipient);
    snprintf(ms->cause[ms->n], sizeof ms->cause[0], "%s", m->cause);
    snprintf(ms->subject[ms->n], sizeof ms->subject[0], "%s", m->subject ? m->subject : "");
    snprintf(ms->body[ms->n], sizeof ms->body[0], "%s", m->body);
    ms->n++;
}

/* Everything queued since the last call (which empties the outbox). */
static struct mails *take_mails(struct fixture *f)
{
    static struct mails ms;
    memset(&ms, 0, sizeof ms);
    reg_status st = {0};
    if (outbox_each(f->d, NULL, collect, &ms, &st))
        fail_msg("outbox_each: %s", reg_status_text(&st));
    exec_sql(f, "DELETE FROM outbox");
    return &ms;
}

static int mail_to(const struct mails *ms, const char *to)
{
    for (int i = 0; i < ms->n; i++)
        if (!strcmp(ms->to[i], to))
            return i;
    fail_msg("no mail to %s", to);
    return -1;
}

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" not in:\n%s", part, text);
}

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
    struct reg_op staff = op_as(&f, 0);
    staff.actor = "staff";
    staff.channel = "regctl";
    EXPECT(&f, contact_update(&staff, &u, &st), REG_OK, st);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 2);
    assert_contains(ms->body[mail_to(ms, "other@example.test")],
                    "by the registry, for its registrar Alpha Registrar (REGA)");
    teardown(&f);
}

static void make_domain(struct fixture *f, const char *name, const char *registrant,
                        const struct domain_contact *contacts, size_t ncontacts, reg_time *expires)
{
    struct domain_create in = {.name = name, .period_months = 12, .registrant = registrant};
    for (size_t i = 0; i < ncontacts; i++)
        in.contacts[i] = contacts[i];
    in.ncontacts = ncontacts;
    struct reg_op op = op_as(f, f->a);
    struct domain out;
    reg_status st;
    memset(&out, 0, sizeof out);
    EXPECT(f, domain_create(&op, &in, &out, &st), REG_OK, st);
    if (expires)
        *expires = out.expires_at;
    domain_free(&out);
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
    f->now = now;
    struct reg_op op = op_as(f, 0);
    reg_status st;
    int count = -1;
    EXPECT(f, lifecycle_expiry_notice(&op, &count, &st), REG_OK, st);
    return count;
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
    make_domain(&f, "manual.dk", "REGA:HOLDER", NULL, 0, NULL);
    exec_sql(&f, "UPDATE domain SET management = 'registrant' WHERE name = 'manual.dk'");
    /* deleted by its registrar before it expired: in redemption, no notice */
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    bool pending;
    EXPECT(&f, domain_delete(&op, "deleted.dk", &pending, &st), REG_OK, st);
    take_mails(&f);

    /* autorenew at expiry (the domain-expiry job runs before this one) */
    f.policy.autorenew = true;
    f.now = exp;
    op = op_as(&f, 0);
    int renewed = 0;
    EXPECT(&f, lifecycle_autorenew(&op, &renewed, &st), REG_OK, st);
    assert_int_equal(renewed, 1); /* auto.dk; manual.dk is registrant-managed */
    assert_int_equal(run_notice(&f, exp + DAY), 1);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_contains(ms->subject[0], "manual.dk");

    /* a domain the delete job took into redemption before any notice went
     * (say the jobs did not run for a month) gets none */
    make_domain(&f, "late.dk", "REGA:HOLDER", NULL, 0, &exp);
    exec_sql(&f, "UPDATE domain SET management = 'registrant' WHERE name = 'late.dk'");
    op = op_as(&f, 0);
    f.now = exp + 31 * DAY;
    op.now = f.now;
    int deleted = 0;
    EXPECT(&f, lifecycle_delete_expired(&op, &deleted, &st), REG_OK, st);
    assert_true(deleted >= 1);
    take_mails(&f);
    assert_int_equal(run_notice(&f, exp + 32 * DAY), 0);
    assert_int_equal(take_mails(&f)->n, 0);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
