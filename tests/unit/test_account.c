/* Registrant accounts (src/registry/account.c, account_credential.c) on
 * both backends: the slot rules R33–R36 with their codes and messages,
 * contact objects made from slot data and the account of a new domain
 * (R37), slot-field changes as contact updates (R38), self-service
 * credentials (R39) and history (R40). Each call runs in its own
 * transaction, rolled back on error as the EPP batch's savepoint is. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/secret.h"
#include "registry/account.h"
#include "registry/contact.h"
#include "registry/domain.h"

/* A contact of `registrar` with a loc postalInfo; returns its stored id. */
static void contact(struct fixture *f, int64_t registrar, const char *id, const char *email,
                    char out[CONTACT_ID_MAX + 1])
{
    struct contact_create_req r = {.id = (char *)id};
    r.d.postal[CONTACT_LOC] = (struct contact_postal){.present = true,
                                                      .name = "Jens Hansen",
                                                      .street = {"Vestergade 1"},
                                                      .city = "Aarhus C",
                                                      .pc = "8000",
                                                      .cc = "DK"};
    r.d.email = (char *)email;
    r.d.voice = "+45.12345678";
    create_contact(f, registrar, &r, out);
}

/* A create request with existing contacts per slot (NULL = empty);
 * strings are borrowed: never account_create_req_free it. */
static struct account_create_req create_req(const char *id, const char *billing,
                                            const char *const slots[ACCOUNT_SLOTS])
{
    struct account_create_req r = {.id = (char *)id, .billing = (char *)billing};
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        if (slots[i]) {
            r.slot[i].given = true;
            r.slot[i].contact = (char *)slots[i];
        }
    return r;
}

/* An existing contact for a slot of an account_update's add. */
static struct account_fill fill(const char *contact) {
  return (struct account_fill){.given = true, .contact = (char *)contact};
}

static void info(struct fixture *f, int64_t registrar, const char *id, struct account *a)
{
    struct reg_op op = op_as(f, registrar);
    reg_status st;
    OK(f, account_info(&op, id, a, &st));
}

/* Four contacts of REGA (C1..C4) and an account REGA:ACC with a1 = C1. */
struct world {
    char c[5][CONTACT_ID_MAX + 1];
    char acc[CONTACT_ID_MAX + 1];
};

static void world(struct fixture *f, struct world *w, const char *billing)
{
    static const char *const ids[] = {"c1", "c2", "c3", "c4", "c5"};
    for (int i = 0; i < 5; i++) {
        char email[64];
        snprintf(email, sizeof email, "%s@example.test", ids[i]);
        contact(f, f->a, ids[i], email, w->c[i]);
    }
    const char *slots[ACCOUNT_SLOTS] = {w->c[0]};
    struct account_create_req r = create_req("acc", billing, slots);
    struct reg_op op = op_as(f, f->a);
    reg_status st;
    OK(f, account_create(&op, &r, w->acc, &st));
    assert_string_equal(w->acc, "REGA:ACC");
}

/* --- R33 -------------------------------------------------------------------- */

static void test_R33_six_slots_a1_to_b3(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r33");
    static const char *const names[] = {"a1", "a2", "a3", "b1", "b2", "b3"};
    for (int i = 0; i < ACCOUNT_SLOTS; i++) {
        assert_int_equal(account_slot_parse(names[i]), i);
        assert_string_equal(account_slot_name(i), names[i]);
        assert_int_equal(account_slot_is_admin(i), i < 3);
    }
    assert_int_equal(account_slot_parse("a4"), -1);
    assert_int_equal(account_slot_parse("b0"), -1);
    assert_int_equal(account_slot_parse("A1"), -1);
    assert_null(account_slot_name(ACCOUNT_SLOTS));
    struct world w;
    world(&f, &w, "registrant");
    /* every slot can hold a contact at once */
    const char *all[ACCOUNT_SLOTS] = {w.c[1], w.c[2], w.c[3], w.c[1], w.c[2], w.c[3]};
    struct account_create_req r = create_req("full", "registrant", all);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    char h[CONTACT_ID_MAX + 1];
    OK(&f, account_create(&op, &r, h, &st));
    struct account a;
    info(&f, f.a, h, &a);
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        assert_string_equal(a.slot[i], all[i]);
    /* a name outside a1-b3 is refused where a slot is named */
    struct account_credentials cr;
    op = staff(&f);
    EXPECT_REASON(&f, account_credentials_issue(&op, h, "a4", DAY, &cr, &st), REG_ERR_INVALID, st,
                  "an account has admin slots a1, a2, a3 and billing slots b1, b2, b3");
    teardown(&f);
}

/* --- R34 -------------------------------------------------------------------- */

static void test_R34_create_needs_a1(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r34c");
    struct world w;
    world(&f, &w, NULL);
    const char *slots[ACCOUNT_SLOTS] = {NULL, w.c[1]};
    struct account_create_req r = create_req("no-a1", NULL, slots);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    char h[CONTACT_ID_MAX + 1];
    EXPECT_REASON(&f, account_create(&op, &r, h, &st), REG_ERR_POLICY, st,
                  "slot a1 must be filled");
    assert_non_null(
        strstr(st.reason, "it holds the registrant's own contact, with an email address"));
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM account WHERE handle = ?", "REGA:NO-A1"),
                     0);
    teardown(&f);
}

static void test_R34_a1_cannot_be_removed_only_replaced(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r34r");
    struct world w;
    world(&f, &w, NULL);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    struct account_update_req u = {.id = w.acc, .rem = {w.c[0]}};
    EXPECT_REASON(&f, account_update(&op, &u, &st), REG_ERR_POLICY, st,
                  "slot a1 cannot be emptied, only replaced");
    assert_true(strstr(st.reason, "add the new a1 contact in the same update") != NULL);
    /* replaced: rem and add in one update */
    u.add[ACCOUNT_A1] = fill(w.c[1]);
    OK(&f, account_update(&op, &u, &st));
    struct account a;
    info(&f, f.a, w.acc, &a);
    assert_string_equal(a.slot[ACCOUNT_A1], w.c[1]);
    teardown(&f);
}

static void test_R34_a1_needs_an_email(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r34e");
    struct world w;
    world(&f, &w, NULL);
    /* a contact object always has an email; one without (data from
     * elsewhere) cannot hold a1 */
    db_stmt *s = db_query(f.d, "UPDATE contact SET email = '' WHERE handle = ?");
    db_bind_text(s, 1, w.c[4]);
    assert_int_equal(db_run(s), REG_OK);
    const char *slots[ACCOUNT_SLOTS] = {w.c[4]};
    struct account_create_req r = create_req("mailless", NULL, slots);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    char h[CONTACT_ID_MAX + 1];
    EXPECT_REASON(&f, account_create(&op, &r, h, &st), REG_ERR_POLICY, st,
                  "including an email address");
    assert_true(strstr(st.reason, w.c[4]) &&
                strstr(st.reason, "a1 holds the registrant's own details"));
    struct account_update_req u = {.id = w.acc, .rem = {w.c[0]}};
    u.add[ACCOUNT_A1] = fill(w.c[4]);
    EXPECT_REASON(&f, account_update(&op, &u, &st), REG_ERR_POLICY, st,
                  "a1 holds the registrant's own details including an email address");
    /* in a2 it may stand */
    struct account_update_req u2 = {.id = w.acc};
    u2.add[ACCOUNT_A2] = fill(w.c[4]);
    OK(&f, account_update(&op, &u2, &st));
    teardown(&f);
}

static void test_R34_one_account_per_registrant_2305(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r34u");
    struct world w;
    world(&f, &w, NULL);
    const char *slots[ACCOUNT_SLOTS] = {w.c[0]};
    struct account_create_req r = create_req("second", NULL, slots);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    char h[CONTACT_ID_MAX + 1];
    EXPECT_REASON(&f, account_create(&op, &r, h, &st), REG_ERR_ASSOCIATION, st,
                  "already holds slot a1 of account REGA:ACC");
    /* another registrar may have its own account with that a1 */
    op = op_as(&f, f.b);
    OK(&f, account_create(&op, &r, h, &st));
    assert_string_equal(h, "REGB:SECOND");
    teardown(&f);
}

/* --- R35 -------------------------------------------------------------------- */

static void test_R35_b2_b3_need_b1(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r35b");
    struct world w;
    world(&f, &w, "registrant");
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    char h[CONTACT_ID_MAX + 1];
    const char *slots[ACCOUNT_SLOTS] = {w.c[1], NULL, NULL, NULL, w.c[2]};
    struct account_create_req r = create_req("b2only", "registrant", slots);
    EXPECT_REASON(&f, account_create(&op, &r, h, &st), REG_ERR_POLICY, st,
                  "slot b2 can only be filled while b1 is");
    assert_true(strstr(st.reason, "billing contacts fill b1 first") != NULL);
    struct account_update_req u = {.id = w.acc};
    u.add[ACCOUNT_B3] = fill(w.c[2]);
    EXPECT_REASON(&f, account_update(&op, &u, &st), REG_ERR_POLICY, st,
                  "slot b3 can only be filled while b1 is");
    u.add[ACCOUNT_B1] = fill(w.c[1]);
    OK(&f, account_update(&op, &u, &st));
    /* b1 cannot go while b3 stays */
    struct account_update_req rem = {.id = w.acc, .rem = {[ACCOUNT_B1] = w.c[1]}};
    EXPECT_REASON(&f, account_update(&op, &rem, &st), REG_ERR_POLICY, st,
                  "slot b3 can only be filled while b1 is");
    teardown(&f);
}

static void test_R35_billing_contacts_only_when_billing_registrant(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r35r");
    struct world w;
    world(&f, &w, NULL); /* billed to the registrar */
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    struct account_update_req u = {.id = w.acc};
    u.add[ACCOUNT_B1] = fill(w.c[1]);
    EXPECT_REASON(&f, account_update(&op, &u, &st), REG_ERR_POLICY, st,
                  "billing contacts (slots b1-b3) are only for accounts the registry bills");
    assert_true(strstr(st.reason, "set billing to registrant, or leave b1-b3 empty") != NULL);
    u.billing = "registrant";
    OK(&f, account_update(&op, &u, &st));
    /* back to the registrar only without billing contacts */
    struct account_update_req back = {.id = w.acc, .billing = "registrar"};
    EXPECT_REASON(&f, account_update(&op, &back, &st), REG_ERR_POLICY, st,
                  "this account's billing is registrar: set billing to registrant");
    back.rem[ACCOUNT_B1] = w.c[1];
    OK(&f, account_update(&op, &back, &st));
    struct account a;
    info(&f, f.a, w.acc, &a);
    assert_string_equal(a.billing, "registrar");
    assert_int_equal(a.slot_id[ACCOUNT_B1], 0);
    /* the database guards the rule too */
    db_stmt *s = db_query(f.d, "UPDATE account SET b1_id = a1_id WHERE handle = ?");
    db_bind_text(s, 1, w.acc);
    assert_int_equal(db_run(s), REG_ERR_DB_CONSTRAINT);
    teardown(&f);
}

/* --- R36 -------------------------------------------------------------------- */

static void test_R36_one_contact_per_admin_and_billing_slot(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r36");
    struct world w;
    world(&f, &w, "registrant");
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    char h[CONTACT_ID_MAX + 1];
    const char *admin[ACCOUNT_SLOTS] = {w.c[1], NULL, w.c[1]};
    struct account_create_req r = create_req("dup-admin", NULL, admin);
    EXPECT_REASON(&f, account_create(&op, &r, h, &st), REG_ERR_POLICY, st,
                  "cannot fill both a1 and a3: one contact fills at most one admin slot");
    assert_true(strstr(st.reason, w.c[1]) != NULL);
    const char *billing[ACCOUNT_SLOTS] = {w.c[1], NULL, NULL, w.c[2], w.c[2]};
    r = create_req("dup-billing", "registrant", billing);
    EXPECT_REASON(&f, account_create(&op, &r, h, &st), REG_ERR_POLICY, st,
                  "one contact fills at most one billing slot");
    struct account_update_req u = {.id = w.acc};
    u.add[ACCOUNT_A2] = fill(w.c[0]);
    EXPECT_REASON(&f, account_update(&op, &u, &st), REG_ERR_POLICY, st,
                  "one contact fills at most one admin slot");
    /* one admin slot and one billing slot is fine */
    const char *both[ACCOUNT_SLOTS] = {w.c[1], NULL, NULL, w.c[1]};
    r = create_req("admin-and-billing", "registrant", both);
    OK(&f, account_create(&op, &r, h, &st));
    teardown(&f);
}

/* --- R37 -------------------------------------------------------------------- */

static void test_R37_slots_given_as_data_create_contacts(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r37d");
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    char h[CONTACT_ID_MAX + 1];
    struct account_create_req r = {.id = "inline", .billing = "registrant"};
    static const struct {
        int slot;
        const char *id, *name, *email;
    } given[] = {{ACCOUNT_A1, "holder", "Karen Blixen", "karen@example.test"},
                 {ACCOUNT_A2, NULL, "Thomas Dinesen", "thomas@example.test"},
                 {ACCOUNT_B1, NULL, "Bogholderi", "books@example.test"}};
    for (size_t i = 0; i < 3; i++) {
        struct account_fill *fl = &r.slot[given[i].slot];
        fl->given = fl->is_new = true;
        fl->new_contact.id = (char *)given[i].id;
        fl->new_contact.d.postal[CONTACT_LOC] = (struct contact_postal){
            .present = true, .name = (char *)given[i].name, .city = "Rungsted", .cc = "DK"};
        fl->new_contact.d.email = (char *)given[i].email;
    }
    OK(&f, account_create(&op, &r, h, &st));
    struct account a;
    info(&f, f.a, h, &a);
    assert_string_equal(a.slot[ACCOUNT_A1], "REGA:HOLDER");
    assert_true(!strncmp(a.slot[ACCOUNT_A2], "REGA:", 5) && strlen(a.slot[ACCOUNT_A2]) == 13);
    assert_int_not_equal(a.slot_id[ACCOUNT_B1], 0);
    struct contact k;
    OK(&f, contact_info(&op, a.slot[ACCOUNT_A2], NULL, &k, &st));
    assert_string_equal(k.d.postal[CONTACT_LOC].name, "Thomas Dinesen");
    assert_string_equal(k.d.email, "thomas@example.test");
    assert_string_equal(k.sponsor, "REGA");
    assert_true(k.linked); /* in a slot */
    contact_free(&k);
    /* bad data: the contact's own error, naming the slot; nothing is made */
    struct account_create_req bad = {.id = "inline-bad"};
    bad.slot[ACCOUNT_A1] = (struct account_fill){.given = true, .is_new = true};
    bad.slot[ACCOUNT_A1].new_contact.d.postal[CONTACT_LOC] =
        (struct contact_postal){.present = true, .name = "X", .city = "Y", .cc = "DK"};
    bad.slot[ACCOUNT_A1].new_contact.d.email = "not-an-address";
    int64_t before = scalar(&f, "SELECT COUNT(*) FROM contact", NULL);
    EXPECT_REASON(&f, account_create(&op, &bad, h, &st), REG_ERR_INVALID, st,
                  "slot a1 (new contact)");
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM contact", NULL), before);
    teardown(&f);
}

static void test_R37_new_domain_joins_its_registrants_account(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r37n");
    char holder[CONTACT_ID_MAX + 1], other[CONTACT_ID_MAX + 1];
    contact(&f, f.a, "holder", "holder@example.test", holder);
    contact(&f, f.a, "other", "other@example.test", other);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    struct domain_create dc = {TERMS, .name = "first.dk", .registrant = holder};
    OK(&f, domain_create(&op, &dc, NULL, &st));
    /* a new account, named after the registrant, a1 = the registrant */
    struct account a;
    info(&f, f.a, holder, &a);
    assert_string_equal(a.handle, "REGA:HOLDER");
    assert_string_equal(a.slot[ACCOUNT_A1], holder);
    assert_string_equal(a.billing, "registrar");
    assert_int_equal(a.domains, 1);
    /* the second domain of that registrant joins it */
    dc.name = "second.dk";
    OK(&f, domain_create(&op, &dc, NULL, &st));
    info(&f, f.a, holder, &a);
    assert_int_equal(a.domains, 2);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM account", NULL), 1);
    /* registrant-managed: the registry bills the registrant (R19) */
    struct domain_create dm = {TERMS, .name = "managed.dk", .registrant = other,
                               .management = "registrant"};
    OK(&f, domain_create(&op, &dm, NULL, &st));
    info(&f, f.a, other, &a);
    assert_string_equal(a.billing, "registrant");
    /* a change of registrant moves the domain to the new registrant's account */
    struct domain_update du = {.name = "second.dk", .chg_registrant = other};
    OK(&f, domain_update(&op, &du, &st));
    info(&f, f.a, other, &a);
    assert_int_equal(a.domains, 2);
    info(&f, f.a, holder, &a);
    assert_int_equal(a.domains, 1);
    /* the registrant's own id taken by another account: a generated id */
    char third[CONTACT_ID_MAX + 1], fourth[CONTACT_ID_MAX + 1], h[CONTACT_ID_MAX + 1];
    contact(&f, f.a, "third", "third@example.test", third);
    contact(&f, f.a, "fourth", "fourth@example.test", fourth);
    const char *slots[ACCOUNT_SLOTS] = {fourth};
    struct account_create_req r = create_req("third", NULL, slots);
    OK(&f, account_create(&op, &r, h, &st));
    assert_string_equal(h, "REGA:THIRD");
    dc = (struct domain_create){TERMS, .name = "third.dk", .registrant = third};
    OK(&f, domain_create(&op, &dc, NULL, &st));
    char *acc = text_of(&f, "SELECT a.handle FROM account a JOIN domain d ON d.account_id = a.id "
                            "WHERE d.name = ?", "third.dk");
    assert_non_null(acc);
    assert_true(!strncmp(acc, "REGA:", 5) && strcmp(acc, "REGA:THIRD") && strlen(acc) == 13);
    info(&f, f.a, acc, &a);
    free(acc);
    assert_string_equal(a.slot[ACCOUNT_A1], third);
    /* a registrant's account is unambiguous: its a1 cannot be a1 elsewhere */
    struct account_update_req u = {.id = "REGA:THIRD", .rem = {fourth}};
    u.add[ACCOUNT_A1] = fill(holder);
    EXPECT_REASON(&f, account_update(&op, &u, &st), REG_ERR_ASSOCIATION, st,
                  "contact REGA:HOLDER already holds slot a1 of account REGA:HOLDER");
    teardown(&f);
}

static void test_R37_transferred_domain_joins_the_gaining_registrars_account(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r37t");
    char holder[CONTACT_ID_MAX + 1];
    contact(&f, f.a, "holder", "holder@example.test", holder);
    struct reg_op a = op_as(&f, f.a), b = op_as(&f, f.b);
    reg_status st;
    struct domain_create dc = {TERMS, .name = "moving.dk", .registrant = holder,
                               .authinfo = "Xfer-Pw-1"};
    OK(&f, domain_create(&a, &dc, NULL, &st));
    struct domain_transfer_info t;
    bool pending;
    OK(&f, domain_transfer(&b, XFER_REQUEST, "moving.dk", AUTH("Xfer-Pw-1"), 0, &t, &pending, &st));
    /* R4 gave REGB a copy of the registrant; the domain is on REGB's
     * account of that copy, the old account stays with REGA */
    char *registrant = text_of(&f, "SELECT c.handle FROM domain d JOIN contact c ON c.id = "
                                   "d.registrant_id WHERE d.name = ?", "moving.dk");
    assert_non_null(registrant);
    assert_true(!strncmp(registrant, "REGB:", 5));
    char *acc = text_of(&f, "SELECT a.handle FROM domain d JOIN account a ON a.id = d.account_id "
                            "WHERE d.name = ?", "moving.dk");
    assert_non_null(acc);
    struct account x;
    info(&f, f.b, acc, &x);
    assert_string_equal(x.sponsor, "REGB");
    assert_string_equal(x.slot[ACCOUNT_A1], registrant);
    assert_int_equal(x.domains, 1);
    free(registrant);
    free(acc);
    info(&f, f.a, holder, &x);
    assert_string_equal(x.sponsor, "REGA");
    assert_int_equal(x.domains, 0);
    teardown(&f);
}

/* --- R38 -------------------------------------------------------------------- */

static void test_R38_slot_fields_update_the_contact(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r38");
    struct world w;
    world(&f, &w, NULL);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    struct account_update_req u = {.id = w.acc};
    u.add[ACCOUNT_A2] = fill(w.c[1]);
    u.chg[ACCOUNT_A2] = (struct account_slot_change){.given = true, .email = "new@example.test",
                                                     .city = "Odense C", .pc = "5000"};
    u.chg[ACCOUNT_A1] = (struct account_slot_change){.given = true, .name = "Jens P. Hansen",
                                                     .chg_voice = true, .voice = ""};
    OK(&f, account_update(&op, &u, &st));
    struct contact k;
    OK(&f, contact_info(&op, w.c[1], NULL, &k, &st));
    assert_string_equal(k.d.email, "new@example.test");
    assert_string_equal(k.d.postal[CONTACT_LOC].city, "Odense C");
    assert_string_equal(k.d.postal[CONTACT_LOC].pc, "5000");
    assert_string_equal(k.d.postal[CONTACT_LOC].street[0], "Vestergade 1"); /* kept */
    assert_string_equal(k.d.postal[CONTACT_LOC].name, "Jens Hansen");
    contact_free(&k);
    OK(&f, contact_info(&op, w.c[0], NULL, &k, &st));
    assert_string_equal(k.d.postal[CONTACT_LOC].name, "Jens P. Hansen");
    assert_null(k.d.voice);
    contact_free(&k);
    /* the contact update is the contact's own history version */
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM history WHERE object_kind = 'contact' AND "
                                "action = 'update' AND object_key = ?", w.c[1]), 1);
    /* changed directly by id: every account holding it sees it */
    const char *slots[ACCOUNT_SLOTS] = {w.c[2], w.c[1]};
    struct account_create_req r = create_req("other", NULL, slots);
    char h[CONTACT_ID_MAX + 1];
    OK(&f, account_create(&op, &r, h, &st));
    struct contact_update_req cu = {.id = w.c[1], .email = "direct@example.test"};
    OK(&f, contact_update(&op, &cu, &st));
    static const char a2_email[] = "SELECT c.email FROM account a JOIN contact c ON c.id = "
                                   "a.a2_id WHERE a.handle = ?";
    const char *accounts[] = {w.acc, h};
    for (int i = 0; i < 2; i++) {
        char *email = text_of(&f, a2_email, accounts[i]);
        assert_non_null(email);
        assert_string_equal(email, "direct@example.test");
        free(email);
    }
    /* errors: an empty slot, no field, bad data, another's contact */
    struct account_update_req e1 = {.id = w.acc};
    e1.chg[ACCOUNT_A3] = (struct account_slot_change){.given = true, .email = "x@example.test"};
    EXPECT_REASON(&f, account_update(&op, &e1, &st), REG_ERR_POLICY, st,
                  "slot a3 of account REGA:ACC is empty");
    struct account_update_req e2 = {.id = w.acc};
    e2.chg[ACCOUNT_A2] = (struct account_slot_change){.given = true};
    EXPECT_REASON(&f, account_update(&op, &e2, &st), REG_ERR_MISSING, st,
                  "give at least one field");
    struct account_update_req e3 = {.id = w.acc, .billing = "registrant"};
    e3.chg[ACCOUNT_A2] = (struct account_slot_change){.given = true, .email = "no-at-sign"};
    EXPECT_REASON(&f, account_update(&op, &e3, &st), REG_ERR_INVALID, st,
                  "slot a2 (contact REGA:C2)");
    struct account a;
    info(&f, f.a, w.acc, &a);
    assert_string_equal(a.billing, "registrar"); /* nothing of e3 was kept */
    char theirs[CONTACT_ID_MAX + 1];
    contact(&f, f.b, "theirs", "theirs@example.test", theirs);
    struct account_update_req e4 = {.id = w.acc};
    e4.add[ACCOUNT_A3] = fill(theirs);
    e4.chg[ACCOUNT_A3] = (struct account_slot_change){.given = true, .email = "x@example.test"};
    EXPECT_REASON(&f, account_update(&op, &e4, &st), REG_ERR_AUTHZ, st, "sponsored by REGB");
    teardown(&f);
}

/* Issue 12 item 8: slot fields and contacts given as data are free text
 * under PRECIS FreeformClass, refused naming the slot, the field and the
 * code point; nothing is changed or made. */
static void test_slot_text_that_deceives_is_refused_item8(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_precis");
    struct world w;
    world(&f, &w, NULL);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    struct account_update_req u = {.id = w.acc};
    u.chg[ACCOUNT_A1] = (struct account_slot_change){.given = true,
                                                     .name = "Jens \xe2\x80\xaeHansen"};
    EXPECT_REASON(&f, account_update(&op, &u, &st), REG_ERR_INVALID, st,
                  "slot a1 (contact REGA:C1): postalInfo loc name: "
                  "U+202E (RIGHT-TO-LEFT OVERRIDE)");
    u.chg[ACCOUNT_A1] = (struct account_slot_change){.given = true, .city = "Aarhus\xc2\x9b"};
    EXPECT_REASON(&f, account_update(&op, &u, &st), REG_ERR_INVALID, st,
                  "postalInfo loc city: U+009B");
    struct contact k;
    OK(&f, contact_info(&op, w.c[0], NULL, &k, &st));
    assert_string_equal(k.d.postal[CONTACT_LOC].name, "Jens Hansen");
    assert_string_equal(k.d.postal[CONTACT_LOC].city, "Aarhus C");
    contact_free(&k);

    struct account_create_req r = {.id = "inline-bidi"};
    r.slot[ACCOUNT_A1] = (struct account_fill){.given = true, .is_new = true};
    r.slot[ACCOUNT_A1].new_contact.d.postal[CONTACT_LOC] = (struct contact_postal){
        .present = true, .name = "Karen \xe2\x81\xa7" "Blixen", .city = "Rungsted", .cc = "DK"};
    r.slot[ACCOUNT_A1].new_contact.d.email = "karen@example.test";
    int64_t before = scalar(&f, "SELECT COUNT(*) FROM contact", NULL);
    char h[CONTACT_ID_MAX + 1];
    EXPECT_REASON(&f, account_create(&op, &r, h, &st), REG_ERR_INVALID, st,
                  "slot a1 (new contact): postalInfo loc name: U+2067");
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM contact", NULL), before);
    teardown(&f);
}

/* --- R39 -------------------------------------------------------------------- */

static void test_R39_admin_contacts_get_setup_tokens(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r39");
    struct world w;
    world(&f, &w, "registrant");
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    struct account_update_req u = {.id = w.acc};
    u.add[ACCOUNT_B1] = fill(w.c[1]);
    u.add[ACCOUNT_A2] = fill(w.c[2]);
    OK(&f, account_update(&op, &u, &st));
    struct reg_op regctl = staff(&f);
    struct account_credentials cr;
    EXPECT_REASON(&f, account_credentials_issue(&regctl, w.acc, "b1", 7 * DAY, &cr, &st),
                  REG_ERR_POLICY, st, "only the admin contacts a1-a3");
    EXPECT_REASON(&f, account_credentials_issue(&regctl, w.acc, "a3", 7 * DAY, &cr, &st),
                  REG_ERR_POLICY, st, "slot a3 of account REGA:ACC is empty");
    struct reg_op other = op_as(&f, f.b);
    EXPECT_REASON(&f, account_credentials_issue(&other, w.acc, "a1", 7 * DAY, &cr, &st),
                  REG_ERR_AUTHZ, st, "sponsored by REGA");
    OK(&f, account_credentials_issue(&regctl, w.acc, "a1", 7 * DAY, &cr, &st));
    assert_string_equal(cr.contact, w.c[0]);
    assert_string_equal(cr.email, "c1@example.test");
    assert_int_equal(cr.expires_at, T0 + 7 * DAY);
    assert_true(strlen(cr.token) >= 43); /* 256 bits */
    /* only the token's hash is stored */
    char want[SECRET_SHA256_HEX];
    char *stored = text_of(&f, "SELECT k.setup_token_hash FROM contact_credential k JOIN contact "
                               "c ON c.id = k.contact_id WHERE c.handle = ?", w.c[0]);
    secret_sha256_hex(cr.token, strlen(cr.token), want);
    assert_non_null(stored);
    assert_string_equal(stored, want);
    free(stored);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM contact_credential WHERE "
                                "setup_token_hash = ?", cr.token), 0);
    char who[CONTACT_ID_MAX + 1];
    EXPECT_REASON(&f, account_credentials_setup(&op, cr.token, "short", who, &st), REG_ERR_POLICY,
                  st, "10 to 128");
    EXPECT_REASON(&f, account_credentials_setup(&op, "not-the-token", "long-enough-pw", who, &st),
                  REG_ERR_AUTH, st, "unknown, used or expired");
    OK(&f, account_credentials_setup(&op, cr.token, "long-enough-pw", who, &st));
    assert_string_equal(who, w.c[0]);
    /* single use */
    EXPECT_REASON(&f, account_credentials_setup(&op, cr.token, "another-password", who, &st),
                  REG_ERR_AUTH, st, "unknown, used or expired");
    OK(&f, account_credentials_verify(&op, w.c[0], "long-enough-pw", &st));
    EXPECT_REASON(&f, account_credentials_verify(&op, w.c[0], "wrong-password", &st), REG_ERR_AUTH,
                  st, "wrong");
    char *hash = text_of(&f, "SELECT k.password_hash FROM contact_credential k JOIN contact c ON "
                             "c.id = k.contact_id WHERE c.handle = ?", w.c[0]);
    assert_non_null(hash);
    assert_true(!strncmp(hash, "$argon2id$", 10));
    free(hash);
    /* an expired token does nothing */
    OK(&f, account_credentials_issue(&regctl, w.acc, "a2", DAY, &cr, &st));
    f.now = T0 + DAY;
    op = op_as(&f, f.a);
    EXPECT_REASON(&f, account_credentials_setup(&op, cr.token, "long-enough-pw", who, &st),
                  REG_ERR_AUTH, st, "expired");
    /* credentials count only while the contact is an admin contact */
    struct account_update_req swap = {.id = w.acc, .rem = {w.c[0]}};
    swap.add[ACCOUNT_A1] = fill(w.c[3]);
    OK(&f, account_update(&op, &swap, &st));
    EXPECT_REASON(&f, account_credentials_verify(&op, w.c[0], "long-enough-pw", &st), REG_ERR_AUTH,
                  st, "wrong");
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM history WHERE object_kind = 'contact' AND "
                                "action IN ('credentials-issued', 'credentials-set') AND "
                                "object_key = ?", w.c[0]), 2);
    teardown(&f);
}

/* --- RFC 5730 codes, deletion, history (R40) -------------------------------- */

static void test_account_codes_2201_2302_2303(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_codes");
    struct world w;
    world(&f, &w, NULL);
    struct reg_op op = op_as(&f, f.a), b = op_as(&f, f.b);
    reg_status st;
    char h[CONTACT_ID_MAX + 1];
    const char *slots[ACCOUNT_SLOTS] = {w.c[1]};
    struct account_create_req r = create_req("REGA:ACC", NULL, slots);
    EXPECT_REASON(&f, account_create(&op, &r, h, &st), REG_ERR_EXISTS, st,
                  "account REGA:ACC already exists");
    const char *missing[ACCOUNT_SLOTS] = {"REGA:NOPE"};
    r = create_req("new", NULL, missing);
    EXPECT_REASON(&f, account_create(&op, &r, h, &st), REG_ERR_NOT_FOUND, st,
                  "contact REGA:NOPE (slot a1) does not exist");
    r = create_req("bad_id", NULL, slots);
    EXPECT_REASON(&f, account_create(&op, &r, h, &st), REG_ERR_INVALID, st, "'_' is not allowed");
    struct account a;
    EXPECT_REASON(&f, account_info(&op, "acc", &a, &st), REG_ERR_NOT_FOUND, st,
                  "account ACC does not exist");
    struct account_update_req u = {.id = w.acc, .billing = "registrant"};
    EXPECT_REASON(&f, account_update(&b, &u, &st), REG_ERR_AUTHZ, st,
                  "only its sponsor may update it");
    struct account_update_req nothing = {.id = w.acc};
    EXPECT_REASON(&f, account_update(&op, &nothing, &st), REG_ERR_MISSING, st, "nothing to change");
    struct account_update_req wrong = {.id = w.acc, .rem = {w.c[1]}};
    EXPECT_REASON(&f, account_update(&op, &wrong, &st), REG_ERR_POLICY, st,
                  "slot a1 of account REGA:ACC holds REGA:C1, not REGA:C2");
    struct account_update_req taken = {.id = w.acc};
    taken.add[ACCOUNT_A1] = fill(w.c[1]);
    EXPECT_REASON(&f, account_update(&op, &taken, &st), REG_ERR_POLICY, st,
                  "already holds REGA:C1");
    /* check */
    bool avail;
    char reason[160];
    OK(&f, account_check(&op, "acc", &avail, reason, &st));
    assert_false(avail);
    assert_string_equal(reason, "in use");
    OK(&f, account_check(&b, "acc", &avail, reason, &st)); /* would be REGB:ACC */
    assert_true(avail);
    OK(&f, account_check(&op, "no_way", &avail, reason, &st));
    assert_false(avail);
    assert_string_equal(reason, "only A-Z, 0-9, : and - allowed");
    /* another registrar sees no slots */
    info(&f, f.b, w.acc, &a);
    assert_false(a.full);
    assert_int_equal(a.slot_id[ACCOUNT_A1], 0);
    assert_string_equal(a.slot[ACCOUNT_A1], "");
    assert_string_equal(a.sponsor, "REGA");
    teardown(&f);
}

static void test_account_contacts_in_slots_are_linked_2305(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_link");
    struct world w;
    world(&f, &w, NULL);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    struct account_update_req u = {.id = w.acc};
    u.add[ACCOUNT_A2] = fill(w.c[1]);
    OK(&f, account_update(&op, &u, &st));
    EXPECT_REASON(&f, contact_delete(&op, w.c[1], &st), REG_ERR_ASSOCIATION, st,
                  "in an account's slot");
    /* an account without domains goes with its a1 contact */
    struct account_update_req rem = {.id = w.acc, .rem = {[ACCOUNT_A2] = w.c[1]}};
    OK(&f, account_update(&op, &rem, &st));
    OK(&f, contact_delete(&op, w.c[1], &st));
    OK(&f, contact_delete(&op, w.c[0], &st));
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM account WHERE handle = ?", w.acc), 0);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM history WHERE object_kind = 'account' AND "
                                "action = 'delete' AND object_key = ?", w.acc), 1);
    /* with a domain its a1 is linked */
    struct domain_create dc = {TERMS, .name = "held.dk", .registrant = w.c[2]};
    OK(&f, domain_create(&op, &dc, NULL, &st));
    struct contact k;
    OK(&f, contact_info(&op, w.c[2], NULL, &k, &st));
    assert_true(k.linked);
    contact_free(&k);
    EXPECT_REASON(&f, contact_delete(&op, w.c[2], &st), REG_ERR_ASSOCIATION, st, "linked");
    /* the a1 of an account with domains is linked, registrant or not */
    struct account_update_req swap = {.id = w.c[2], .rem = {w.c[2]}};
    swap.add[ACCOUNT_A1] = fill(w.c[4]);
    OK(&f, account_update(&op, &swap, &st));
    OK(&f, contact_info(&op, w.c[4], NULL, &k, &st));
    assert_true(k.linked);
    contact_free(&k);
    EXPECT_REASON(&f, contact_delete(&op, w.c[4], &st), REG_ERR_ASSOCIATION, st,
                  "in an account's slot");
    teardown(&f);
}

static void test_R40_every_account_change_in_history(void **state)
{
    struct fixture f;
    setup(state, &f, "acc_r40");
    struct world w;
    world(&f, &w, NULL);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    struct account_update_req u = {.id = w.acc, .billing = "registrant"};
    u.add[ACCOUNT_B1] = fill(w.c[1]);
    OK(&f, account_update(&op, &u, &st));
    struct account_update_req bad = {.id = w.acc, .rem = {w.c[0]}}; /* refused: no version */
    EXPECT_REASON(&f, account_update(&op, &bad, &st), REG_ERR_POLICY, st,
                  "slot a1 cannot be emptied, only replaced");
    struct versions *vs = history_of(&f, "account", w.acc);
    assert_int_equal(vs->n, 2);
    assert_string_equal(vs->v[0].action, "create");
    assert_string_equal(vs->v[1].action, "update");
    for (int i = 0; i < 2; i++) {
        assert_string_equal(vs->v[i].actor, "REGA");
        assert_string_equal(vs->v[i].channel, "epp");
    }
    assert_non_null(strstr(vs->v[1].snapshot, "\"billing\":\"registrant\""));
    assert_non_null(strstr(vs->v[1].snapshot, "\"b1\":\"REGA:C2\""));
    assert_non_null(strstr(vs->v[1].snapshot, "\"a2\":null"));
    free(vs);
    teardown(&f);
}

int main(void)
{
    log_set_level(LOG_WARN);
    if (secret_init())
        return 1;
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(test_R33_six_slots_a1_to_b3),
        BOTH_BACKENDS(test_R34_create_needs_a1),
        BOTH_BACKENDS(test_R34_a1_cannot_be_removed_only_replaced),
        BOTH_BACKENDS(test_R34_a1_needs_an_email),
        BOTH_BACKENDS(test_R34_one_account_per_registrant_2305),
        BOTH_BACKENDS(test_R35_b2_b3_need_b1),
        BOTH_BACKENDS(test_R35_billing_contacts_only_when_billing_registrant),
        BOTH_BACKENDS(test_R36_one_contact_per_admin_and_billing_slot),
        BOTH_BACKENDS(test_R37_slots_given_as_data_create_contacts),
        BOTH_BACKENDS(test_R37_new_domain_joins_its_registrants_account),
        BOTH_BACKENDS(test_R37_transferred_domain_joins_the_gaining_registrars_account),
        BOTH_BACKENDS(test_R38_slot_fields_update_the_contact),
        BOTH_BACKENDS(test_slot_text_that_deceives_is_refused_item8),
        BOTH_BACKENDS(test_R39_admin_contacts_get_setup_tokens),
        BOTH_BACKENDS(test_account_codes_2201_2302_2303),
        BOTH_BACKENDS(test_account_contacts_in_slots_are_linked_2305),
        BOTH_BACKENDS(test_R40_every_account_change_in_history),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    clock_set_real();
    return failed;
}
