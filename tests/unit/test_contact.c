/* Contacts (src/registry/contact.c, RFC 5733) on both backends: ids (R1–R3),
 * create/check/info/update/delete/transfer with their errors, privacy of
 * info for other registrars, auth info stored hashed (RFC 9154, R13), and
 * a history version for every change (R40). */
#include "regfixture.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/secret.h"
#include "registry/contact.h"
#include "registry/host.h"
#include "registry/poll.h"

static void person(struct contact_create_req *r, char *id)
{
    memset(r, 0, sizeof *r);
    r->id = id;
    r->d.postal[CONTACT_LOC] = (struct contact_postal){.present = true,
                                                       .name = "Jens Hansen",
                                                       .street = {"Vestergade 1"},
                                                       .city = "Aarhus C",
                                                       .pc = "8000",
                                                       .cc = "DK"};
    r->d.email = "jens@example.test";
    r->d.voice = "+45.12345678";
    r->authinfo = "2fooBAR-secret";
}

/* The versions of contact `handle`, each by a registrar over EPP (caller
 * frees). */
static struct versions *contact_history(struct fixture *f, const char *handle)
{
    struct versions *h = history_of(f, "contact", handle);
    for (int i = 0; i < h->n; i++) {
        assert_string_equal(h->v[i].kind, "contact");
        assert_string_equal(h->v[i].channel, "epp");
        assert_string_equal(h->v[i].svtrid, "TEST-1");
    }
    return h;
}

/* The snapshot of the newest version. */
static const char *last_snapshot(const struct versions *h)
{
    assert_true(h->n > 0);
    return h->v[h->n - 1].snapshot;
}

static struct contact info_ok(struct fixture *f, int64_t registrar, const char *id,
                              const char *authinfo)
{
    struct reg_op op = op_as(f, registrar);
    struct contact k;
    reg_status st = {0};
    EXPECT(f, contact_info(&op, id, authinfo, &k, &st), REG_OK, st);
    return k;
}

/* --- create and info ---------------------------------------------------------- */

static void create_and_info(void **state)
{
    struct fixture f;
    setup(state, &f, "ct_create");
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1];

    /* R1: prefixed with the registrar and stored upper case */
    person(&r, "abc-1");
    r.d.postal[CONTACT_INT] = (struct contact_postal){.present = true,
                                                      .name = "Jens Hansen",
                                                      .org = "Hansen ApS",
                                                      .street = {"Vestergade 1", "2. sal"},
                                                      .city = "Aarhus C",
                                                      .sp = "Midtjylland",
                                                      .pc = "8000",
                                                      .cc = "dk"};
    r.d.voice_x = "12";
    r.d.fax = "+45.87654321";
    r.d.has_disclose = true;
    r.d.disclose_flag = 1;
    r.d.disclose = CONTACT_DISCLOSE_EMAIL | CONTACT_DISCLOSE_VOICE;
    r.d.kind = "person";
    r.d.ident_type = "birthday";
    r.d.ident_value = "1980-02-29";
    r.d.ident_cc = "DK";
    r.d.mobile = "+45.11223344";
    create_contact(&f, f.a, &r, handle);
    assert_string_equal(handle, "REGA:ABC-1");

    /* R1: already prefixed with the registrar's handle: kept */
    person(&r, "rega:Other");
    create_contact(&f, f.a, &r, handle);
    assert_string_equal(handle, "REGA:OTHER");

    /* R2: no id, or "auto": REGISTRAR:XXXXXXXX */
    char *autos[] = {NULL, "", "auto", "AUTO"};
    for (size_t i = 0; i < sizeof autos / sizeof autos[0]; i++) {
        person(&r, autos[i]);
        create_contact(&f, f.b, &r, handle);
        assert_int_equal(strlen(handle), 5 + 8);
        assert_memory_equal(handle, "REGB:", 5);
        for (int j = 5; j < 13; j++)
            assert_true(isxdigit((unsigned char)handle[j]) && !islower((unsigned char)handle[j]));
    }

    /* the sponsor sees everything, lookups are case-insensitive */
    struct contact k = info_ok(&f, f.a, "rega:abc-1", NULL);
    assert_int_equal(k.view, CONTACT_VIEW_SPONSOR);
    assert_string_equal(k.handle, "REGA:ABC-1");
    assert_string_equal(k.roid, "C1-DK");
    assert_string_equal(k.sponsor, "REGA");
    assert_string_equal(k.creator, "REGA");
    assert_string_equal(k.updater, "");
    assert_int_equal(k.created_at, T0);
    assert_int_equal(k.updated_at, 0);
    assert_true(k.d.postal[CONTACT_INT].present);
    assert_string_equal(k.d.postal[CONTACT_INT].org, "Hansen ApS");
    assert_string_equal(k.d.postal[CONTACT_INT].street[1], "2. sal");
    assert_string_equal(k.d.postal[CONTACT_INT].sp, "Midtjylland");
    assert_string_equal(k.d.postal[CONTACT_INT].cc, "DK"); /* upper-cased */
    assert_string_equal(k.d.postal[CONTACT_LOC].city, "Aarhus C");
    assert_string_equal(k.d.voice, "+45.12345678");
    assert_string_equal(k.d.voice_x, "12");
    assert_string_equal(k.d.fax, "+45.87654321");
    assert_string_equal(k.d.email, "jens@example.test");
    assert_string_equal(k.d.kind, "person");
    assert_string_equal(k.d.ident_type, "birthday");
    assert_string_equal(k.d.ident_value, "1980-02-29");
    assert_string_equal(k.d.mobile, "+45.11223344");
    assert_true(k.d.has_disclose);
    assert_int_equal(k.d.disclose, CONTACT_DISCLOSE_EMAIL | CONTACT_DISCLOSE_VOICE);
    assert_true(k.authinfo_set);
    assert_string_equal(k.idcheck_state, "none");
    const char *names[8], *msgs[8];
    assert_int_equal(contact_status_list(&k, names, msgs), 1);
    assert_string_equal(names[0], "ok");
    contact_free(&k);

    /* another registrar: only what is disclosed (a person: voice and email
     * here), never ident or mobile; the country stays */
    k = info_ok(&f, f.b, "REGA:ABC-1", NULL);
    assert_int_equal(k.view, CONTACT_VIEW_PUBLIC);
    assert_null(k.d.postal[CONTACT_INT].name);
    assert_null(k.d.postal[CONTACT_INT].org);
    assert_null(k.d.postal[CONTACT_INT].city);
    assert_null(k.d.postal[CONTACT_INT].street[0]);
    assert_string_equal(k.d.postal[CONTACT_INT].cc, "DK");
    assert_string_equal(k.d.voice, "+45.12345678");
    assert_null(k.d.fax);
    assert_string_equal(k.d.email, "jens@example.test");
    assert_null(k.d.ident_value);
    assert_null(k.d.mobile);
    assert_true(k.redacted & CONTACT_DISCLOSE_NAME_INT);
    assert_true(k.redacted & CONTACT_DISCLOSE_FAX);
    assert_false(k.redacted & CONTACT_DISCLOSE_EMAIL);
    contact_free(&k);

    /* with the right auth info everything (but the id check) */
    k = info_ok(&f, f.b, "REGA:ABC-1", "2fooBAR-secret");
    assert_int_equal(k.view, CONTACT_VIEW_AUTHINFO);
    assert_string_equal(k.d.postal[CONTACT_INT].name, "Jens Hansen");
    assert_string_equal(k.d.mobile, "+45.11223344");
    contact_free(&k);

    reg_status st = {0};
    struct reg_op op = op_as(&f, f.b);
    EXPECT(&f, contact_info(&op, "REGA:ABC-1", "wrong", &k, &st), REG_ERR_AUTHINFO, st);
    EXPECT(&f, contact_info(&op, "REGA:NOPE", NULL, &k, &st), REG_ERR_NOT_FOUND, st);
    assert_non_null(strstr(st.reason, "REGA:NOPE"));
    /* lookups never add the prefix */
    op = op_as(&f, f.a);
    EXPECT(&f, contact_info(&op, "abc-1", NULL, &k, &st), REG_ERR_NOT_FOUND, st);
    EXPECT(&f, contact_info(&op, "bad id!", NULL, &k, &st), REG_ERR_INVALID, st);
    assert_non_null(strstr(st.reason, "' ' is not allowed"));

    /* an organization shows name and address, not its email */
    person(&r, "org");
    r.d.kind = "organization";
    r.d.postal[CONTACT_LOC].name = "Example A/S";
    create_contact(&f, f.a, &r, handle);
    k = info_ok(&f, f.c, "REGA:ORG", NULL);
    assert_string_equal(k.d.postal[CONTACT_LOC].name, "Example A/S");
    assert_string_equal(k.d.postal[CONTACT_LOC].city, "Aarhus C");
    assert_null(k.d.email);
    assert_null(k.d.voice);
    contact_free(&k);

    /* R40: a version per create, with the snapshot, never the auth info */
    struct versions *h = contact_history(&f, "REGA:ABC-1");
    assert_int_equal(h->n, 1);
    assert_string_equal(h->v[0].action, "create");
    assert_non_null(strstr(last_snapshot(h), "\"authinfo_set\":true"));
    assert_non_null(strstr(last_snapshot(h), "Jens Hansen"));
    assert_null(strstr(last_snapshot(h), "2fooBAR"));
    free(h);
    /* the auth info is stored hashed */
    char *hash = text_of(&f, "SELECT authinfo_hash FROM contact WHERE handle = 'REGA:ABC-1'", NULL);
    assert_non_null(hash);
    assert_null(strstr(hash, "2fooBAR"));
    assert_true(secret_authinfo_verify(hash, "2fooBAR-secret", NULL));
    free(hash);
    teardown(&f);
}

static void expect_create_error(struct fixture *f, struct contact_create_req *r, reg_err code,
                                const char *in_reason)
{
    char handle[CONTACT_ID_MAX + 1];
    struct reg_op op = op_as(f, f->a);
    reg_status st;
    EXPECT_REASON(f, contact_create(&op, r, handle, &st), code, st, in_reason);
}

static void create_errors(void **state)
{
    struct fixture f;
    setup(state, &f, "ct_create_err");
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1];
    person(&r, "taken");
    create_contact(&f, f.a, &r, handle);

    person(&r, "TAKEN");
    expect_create_error(&f, &r, REG_ERR_EXISTS, "REGA:TAKEN");
    person(&r, "rega:taken");
    expect_create_error(&f, &r, REG_ERR_EXISTS, "REGA:TAKEN");
    /* R3: characters and length */
    person(&r, "bad_id");
    expect_create_error(&f, &r, REG_ERR_INVALID, "'_' is not allowed");
    person(&r, "blå");
    expect_create_error(&f, &r, REG_ERR_INVALID, "is not allowed");
    char long_id[CONTACT_ID_MAX + 2];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    person(&r, long_id);
    expect_create_error(&f, &r, REG_ERR_INVALID, "101 characters; 1 to 100 are allowed");
    long_id[CONTACT_ID_MAX - 2] = '\0'; /* fits, but not with "REGA:" */
    person(&r, long_id);
    expect_create_error(&f, &r, REG_ERR_INVALID, "would exceed 100 characters");

    person(&r, "x1");
    r.d.postal[CONTACT_LOC].present = false;
    expect_create_error(&f, &r, REG_ERR_MISSING, "postalInfo");
    person(&r, "x1");
    r.d.postal[CONTACT_INT] = r.d.postal[CONTACT_LOC];
    r.d.postal[CONTACT_INT].name = "Jens Hånsen";
    expect_create_error(&f, &r, REG_ERR_INVALID, "ASCII");
    person(&r, "x1");
    r.d.postal[CONTACT_LOC].cc = "DNK";
    expect_create_error(&f, &r, REG_ERR_INVALID, "DNK");
    person(&r, "x1");
    r.d.email = "not-an-address";
    expect_create_error(&f, &r, REG_ERR_INVALID, "not-an-address");
    person(&r, "x1");
    r.d.email = NULL;
    expect_create_error(&f, &r, REG_ERR_MISSING, "email");
    person(&r, "x1");
    r.d.voice = "12345678";
    expect_create_error(&f, &r, REG_ERR_INVALID, "voice");
    person(&r, "x1");
    r.d.kind = "person";
    r.d.ident_type = "birthday";
    r.d.ident_value = "29.02.1980";
    r.d.ident_cc = "DK";
    expect_create_error(&f, &r, REG_ERR_INVALID, "YYYY-MM-DD");
    r.d.ident_value = "1981-02-29"; /* not a leap year */
    expect_create_error(&f, &r, REG_ERR_INVALID, "YYYY-MM-DD");
    r.d.ident_value = "1980-02-29";
    r.d.ident_cc = "dk";
    expect_create_error(&f, &r, REG_ERR_INVALID, "cc");
    r.d.ident_cc = NULL;
    expect_create_error(&f, &r, REG_ERR_MISSING, "cc");
    person(&r, "x1");
    r.d.kind = "company";
    expect_create_error(&f, &r, REG_ERR_INVALID, "company");
    person(&r, "x1");
    r.d.mobile = "+45 1234";
    expect_create_error(&f, &r, REG_ERR_INVALID, "mobile");

    /* nothing of that was stored */
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM contact", NULL), 1);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM history", NULL), 1);
    teardown(&f);
}

/* Issue 12 item 8: free text under PRECIS FreeformClass. Every postal
 * field, the email and the ident value are refused with 2005 naming the
 * field and the first offending code point; text of any script passes. */
static void text_that_deceives_is_refused_item8(void **state)
{
    struct fixture f;
    setup(state, &f, "ct_precis");
    struct contact_create_req r;
    person(&r, "p1");
    r.d.postal[CONTACT_LOC].name = "Jens \xe2\x80\xaeHansen"; /* RIGHT-TO-LEFT OVERRIDE */
    expect_create_error(&f, &r, REG_ERR_INVALID,
                        "postalInfo loc name: U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed in "
                        "text");
    static const struct {
        size_t field; /* index in the list below */
        const char *text, *reason;
    } cases[] = {
        {0, "Jens\xc2\x85Hansen", "postalInfo loc name: U+0085"},            /* C1 control */
        {1, "Pay\xe2\x80\x8bpal ApS", "postalInfo loc org: U+200B (ZERO WIDTH SPACE)"},
        {2, "Vestergade\n1", "postalInfo loc street: U+000A"},
        {3, "Aarhus \xe2\x81\xa6" "C", "postalInfo loc city: U+2066"},          /* bidi isolate */
        {4, "\xef\xbb\xbfMidtjylland", "postalInfo loc sp: U+FEFF"},
        {5, "8000\xe2\x80\x8f", "postalInfo loc pc: U+200F"},                  /* RLM */
        {0, "Ja\xcc\x8a" "ne", "postalInfo loc name: the text is not in Unicode Normalization "
                               "Form C (NFC) at U+030A"},
        {6, "jens\xe2\x80\xae@example.test", "email: U+202E"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        person(&r, "p1");
        struct contact_postal *p = &r.d.postal[CONTACT_LOC];
        char **fields[] = {&p->name, &p->org, &p->street[0], &p->city, &p->sp, &p->pc, &r.d.email};
        *fields[cases[i].field] = (char *)cases[i].text;
        expect_create_error(&f, &r, REG_ERR_INVALID, cases[i].reason);
    }
    /* the reasons that repeat a value never repeat one that can deceive */
    person(&r, "p1");
    r.d.email = "not-an-address\xe2\x80\xae";
    expect_create_error(&f, &r, REG_ERR_INVALID, "email: U+202E");
    person(&r, "p1");
    r.d.voice = "+45\xe2\x80\xae.12345678";
    expect_create_error(&f, &r, REG_ERR_INVALID, "U+202E");
    person(&r, "p1");
    r.d.postal[CONTACT_INT].present = true;
    r.d.postal[CONTACT_INT].name = "Jens \xe2\x80\xaeHansen";
    r.d.postal[CONTACT_INT].city = "Aarhus";
    r.d.postal[CONTACT_INT].cc = "DK";
    expect_create_error(&f, &r, REG_ERR_INVALID, "postalInfo int name: U+202E");
    person(&r, "p1");
    r.d.kind = "person";
    r.d.ident_type = "passport";
    r.d.ident_value = "AB\xe2\x80\x8d" "123";
    r.d.ident_cc = "DK";
    expect_create_error(&f, &r, REG_ERR_INVALID, "ident value: U+200D (ZERO WIDTH JOINER)");

    /* any script, right to left, ZWNJ where Persian needs it, NBSP: fine */
    static const char *const names[] = {
        "\xd7\x93\xd7\x95\xd7\x93 \xd7\x9b\xd7\x94\xd7\x9f",
        "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85",
        "\xe5\xb1\xb1\xe7\x94\xb0 \xe5\xa4\xaa\xe9\x83\x8e", "S\xc3\xb8ren\xc2\xa0\xc3\x86rb\xc3\xb8"};
    char handle[CONTACT_ID_MAX + 1];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char id[8];
        snprintf(id, sizeof id, "ok%zu", i);
        person(&r, id);
        r.d.postal[CONTACT_LOC].name = (char *)names[i];
        create_contact(&f, f.a, &r, handle);
        struct contact k = info_ok(&f, f.a, handle, NULL);
        assert_string_equal(k.d.postal[CONTACT_LOC].name, names[i]); /* stored as sent */
        contact_free(&k);
    }

    /* update: a changed field and a status message */
    struct reg_op opa = op_as(&f, f.a);
    reg_status st = {0};
    struct contact_update_req u = {.id = "REGA:OK0"};
    u.postal[CONTACT_LOC] = (struct contact_postal){.present = true, .org = "A\xe2\x80\xaa" "B"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_INVALID, st);
    assert_non_null(strstr(st.reason, "postalInfo loc org: U+202A"));
    u = (struct contact_update_req){.id = "REGA:OK0", .add = {"clientUpdateProhibited"},
                                    .add_msg = {"locked \xe2\x80\xae by owner"}, .nadd = 1};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_INVALID, st);
    assert_non_null(strstr(st.reason, "the message of status clientUpdateProhibited: U+202E"));
    u.add_msg[0] = "locked by the owner";
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);

    /* nothing refused was stored */
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM contact", NULL), 4);
    teardown(&f);
}

/* --- check ---------------------------------------------------------------------- */

static void check_ids(void **state)
{
    struct fixture f;
    setup(state, &f, "ct_check");
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1], reason[160];
    person(&r, "used");
    create_contact(&f, f.a, &r, handle);
    struct reg_op op = op_as(&f, f.a);
    reg_status st = {0};
    bool avail;
    EXPECT(&f, contact_check(&op, "used", &avail, reason, &st), REG_OK, st);
    assert_false(avail);
    assert_string_equal(reason, "in use");
    EXPECT(&f, contact_check(&op, "REGA:USED", &avail, reason, &st), REG_OK, st);
    assert_false(avail);
    EXPECT(&f, contact_check(&op, "free", &avail, reason, &st), REG_OK, st);
    assert_true(avail);
    assert_string_equal(reason, "");
    EXPECT(&f, contact_check(&op, "no way!", &avail, reason, &st), REG_OK, st);
    assert_false(avail);
    assert_string_equal(reason, "only A-Z, 0-9, : and - allowed");
    /* an id that would be too long with its "REGA:" prefix: the length */
    char long_id[CONTACT_ID_MAX + 1];
    memset(long_id, 'X', CONTACT_ID_MAX - 2);
    long_id[CONTACT_ID_MAX - 2] = '\0';
    EXPECT(&f, contact_check(&op, long_id, &avail, reason, &st), REG_OK, st);
    assert_false(avail);
    assert_string_equal(reason, "id too long or too short");
    /* for REGB, "used" would be REGB:USED: available */
    op = op_as(&f, f.b);
    EXPECT(&f, contact_check(&op, "used", &avail, reason, &st), REG_OK, st);
    assert_true(avail);
    teardown(&f);
}

/* --- update ------------------------------------------------------------------------ */

static void update_contact(void **state)
{
    struct fixture f;
    setup(state, &f, "ct_update");
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1];
    person(&r, "upd");
    create_contact(&f, f.a, &r, handle);
    reg_status st = {0};
    struct reg_op opa = op_as(&f, f.a), opb = op_as(&f, f.b);

    struct contact_update_req u = {.id = "REGA:UPD", .email = "new@example.test"};
    EXPECT(&f, contact_update(&opb, &u, &st), REG_ERR_AUTHZ, st);
    assert_non_null(strstr(st.reason, "REGA"));
    clock_set_fixed(T0 + 60);
    f.now = T0 + 60;
    opa = op_as(&f, f.a);
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);

    /* partial postalInfo: a new name keeps the address */
    u = (struct contact_update_req){.id = "rega:upd"};
    u.postal[CONTACT_LOC] = (struct contact_postal){.present = true, .name = "Jens P. Hansen"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);
    /* a postalInfo the contact does not have yet needs name and addr */
    u.postal[CONTACT_LOC].present = false;
    u.postal[CONTACT_INT] = (struct contact_postal){.present = true, .name = "Jens Hansen"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_MISSING, st);
    u.postal[CONTACT_INT] = (struct contact_postal){
        .present = true, .name = "Jens Hansen", .has_addr = true, .city = "Aarhus", .cc = "dk"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);
    /* voice removed, fax added, auth info changed, disclose set, ext */
    u = (struct contact_update_req){.id = "REGA:UPD",
                                    .chg_voice = true,
                                    .voice = "",
                                    .chg_fax = true,
                                    .fax = "+45.99887766",
                                    .fax_x = "7",
                                    .authinfo = "new-Auth-9",
                                    .chg_disclose = true,
                                    .disclose_flag = 1,
                                    .disclose = CONTACT_DISCLOSE_NAME_LOC,
                                    .kind = "person",
                                    .chg_mobile = true,
                                    .mobile = "+45.11111111"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);
    struct contact k = info_ok(&f, f.a, "REGA:UPD", NULL);
    assert_string_equal(k.d.email, "new@example.test");
    assert_string_equal(k.d.postal[CONTACT_LOC].name, "Jens P. Hansen");
    assert_string_equal(k.d.postal[CONTACT_LOC].city, "Aarhus C");
    assert_string_equal(k.d.postal[CONTACT_INT].cc, "DK");
    assert_null(k.d.voice);
    assert_string_equal(k.d.fax, "+45.99887766");
    assert_string_equal(k.d.fax_x, "7");
    assert_string_equal(k.d.kind, "person");
    assert_string_equal(k.d.mobile, "+45.11111111");
    assert_string_equal(k.updater, "REGA");
    assert_int_equal(k.updated_at, T0 + 60);
    contact_free(&k);
    /* the public sees the disclosed loc name only */
    k = info_ok(&f, f.c, "REGA:UPD", NULL);
    assert_string_equal(k.d.postal[CONTACT_LOC].name, "Jens P. Hansen");
    assert_null(k.d.postal[CONTACT_INT].name);
    contact_free(&k);
    /* the old auth info no longer works, the new one does; "" unsets it */
    EXPECT(&f, contact_info(&opb, "REGA:UPD", "2fooBAR-secret", &k, &st), REG_ERR_AUTHINFO, st);
    k = info_ok(&f, f.b, "REGA:UPD", "new-Auth-9");
    contact_free(&k);
    u = (struct contact_update_req){.id = "REGA:UPD", .authinfo = ""};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);
    k = info_ok(&f, f.a, "REGA:UPD", NULL);
    assert_false(k.authinfo_set);
    contact_free(&k);

    /* bad values */
    u = (struct contact_update_req){.id = "REGA:UPD", .email = "nope"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_INVALID, st);
    u = (struct contact_update_req){.id = "REGA:UPD",
                                    .chg_ident = true,
                                    .ident_type = "birthday",
                                    .ident_value = "1.1.1990",
                                    .ident_cc = "DK"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_INVALID, st);
    u = (struct contact_update_req){.id = "REGA:UPD"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_MISSING, st);
    u = (struct contact_update_req){.id = "REGA:NONE", .email = "a@b.dk"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_NOT_FOUND, st);

    /* statuses: client ones only */
    u = (struct contact_update_req){.id = "REGA:UPD", .add = {"serverUpdateProhibited"}, .nadd = 1};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_POLICY, st);
    u = (struct contact_update_req){.id = "REGA:UPD",
                                    .add = {"clientUpdateProhibited"},
                                    .add_msg = {"locked by owner"},
                                    .nadd = 1};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_STATUS_PROHIBITS, st);
    u = (struct contact_update_req){.id = "REGA:UPD", .email = "x@example.test"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_STATUS_PROHIBITS, st);
    assert_non_null(strstr(st.reason, "clientUpdateProhibited"));
    k = info_ok(&f, f.a, "REGA:UPD", NULL);
    const char *names[8], *msgs[8];
    assert_int_equal(contact_status_list(&k, names, msgs), 1);
    assert_string_equal(names[0], "clientUpdateProhibited");
    assert_string_equal(msgs[0], "locked by owner");
    contact_free(&k);
    /* removing it together with another change is refused; alone it works */
    u = (struct contact_update_req){
        .id = "REGA:UPD", .rem = {"clientUpdateProhibited"}, .nrem = 1, .email = "x@example.test"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_STATUS_PROHIBITS, st);
    u = (struct contact_update_req){.id = "REGA:UPD", .rem = {"clientUpdateProhibited"}, .nrem = 1};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_POLICY, st); /* not set any more */
    /* serverUpdateProhibited (set by the registry) blocks every update */
    assert_int_equal(status_add(f.d, "contact", 1, "serverUpdateProhibited", NULL), REG_OK);
    u = (struct contact_update_req){.id = "REGA:UPD", .email = "y@example.test"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_STATUS_PROHIBITS, st);
    assert_non_null(strstr(st.reason, "serverUpdateProhibited"));

    struct versions *h = contact_history(&f, "REGA:UPD");
    assert_int_equal(h->n, 8); /* create + the 7 updates that succeeded */
    assert_string_equal(h->v[0].action, "create");
    for (int i = 1; i < h->n; i++)
        assert_string_equal(h->v[i].action, "update");
    free(h);
    teardown(&f);
}

/* --- delete ------------------------------------------------------------------------- */

static void delete_contact(void **state)
{
    struct fixture f;
    setup(state, &f, "ct_delete");
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1];
    person(&r, "owner");
    create_contact(&f, f.a, &r, handle); /* id 1 */
    person(&r, "tech");
    create_contact(&f, f.a, &r, handle); /* id 2 */
    person(&r, "admin");
    create_contact(&f, f.a, &r, handle); /* id 3 */
    person(&r, "free");
    create_contact(&f, f.a, &r, handle); /* id 4 */
    struct domain_contact tech = {"tech", "REGA:TECH"};
    make_domain(&f, "example.dk", "REGA:OWNER", &tech, 1, NULL);
    reg_status st = {0};
    struct host_create ns = {.name = "ns1.example.net", .admin = "REGA:ADMIN"};
    struct reg_op opa = op_as(&f, f.a), opb = op_as(&f, f.b);
    OK(&f, host_create(&opa, &ns, NULL, &st));

    const char *linked[] = {"REGA:OWNER", "REGA:TECH", "REGA:ADMIN"};
    for (size_t i = 0; i < 3; i++) {
        struct contact k = info_ok(&f, f.a, linked[i], NULL);
        const char *names[8], *msgs[8];
        assert_int_equal(contact_status_list(&k, names, msgs), 2);
        assert_string_equal(names[0], "ok");
        assert_string_equal(names[1], "linked");
        contact_free(&k);
        EXPECT(&f, contact_delete(&opa, linked[i], &st), REG_ERR_ASSOCIATION, st);
    }
    EXPECT(&f, contact_delete(&opb, "REGA:FREE", &st), REG_ERR_AUTHZ, st);
    EXPECT(&f, contact_delete(&opa, "REGA:NOTHING", &st), REG_ERR_NOT_FOUND, st);
    struct contact_update_req u = {.id = "REGA:FREE", .add = {"clientDeleteProhibited"}, .nadd = 1};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);
    EXPECT(&f, contact_delete(&opa, "REGA:FREE", &st), REG_ERR_STATUS_PROHIBITS, st);
    assert_non_null(strstr(st.reason, "clientDeleteProhibited"));
    u = (struct contact_update_req){
        .id = "REGA:FREE", .rem = {"clientDeleteProhibited"}, .nrem = 1};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);
    EXPECT(&f, contact_delete(&opa, "rega:free", &st), REG_OK, st);
    struct contact k;
    EXPECT(&f, contact_info(&opa, "REGA:FREE", NULL, &k, &st), REG_ERR_NOT_FOUND, st);
    assert_int_equal(scalar(&f, "SELECT (SELECT COUNT(*) FROM contact_postal WHERE contact_id = 4) "
                                "+ (SELECT COUNT(*) FROM object_status WHERE object_id = 4 AND "
                                "object_kind = 'contact')", NULL),
                     0);
    struct versions *h = contact_history(&f, "REGA:FREE");
    assert_int_equal(h->n, 4);
    assert_string_equal(h->v[3].action, "delete");
    assert_non_null(strstr(last_snapshot(h), "\"deleted\":true"));
    free(h);
    /* the id can be used again */
    person(&r, "free");
    create_contact(&f, f.a, &r, handle);
    teardown(&f);
}

/* --- transfer ------------------------------------------------------------------------ */

/* The number of poll messages of `registrar`; msg gets the oldest one's text. */
static int64_t polls(struct fixture *f, int64_t registrar, char msg[512])
{
    struct poll_msg m;
    int64_t count = poll_count(f, registrar, &m);
    snprintf(msg, 512, "%s", count ? m.message : "");
    poll_msg_free(&m);
    return count;
}

/* contact_transfer as `op` (opa, opb, opc) on `id` with authinfo `pw`
 * (NULL: none), in a transaction of its own: the result must be `code`;
 * the answer lands in the caller's t and pending. */
#define XFER(op, kind, id, pw, code)                                                               \
    EXPECT(&f, contact_transfer(&(op), CONTACT_XFER_##kind, (id), (pw), &t, &pending, &st),        \
           (code), st)

static void transfer_immediate(void **state)
{
    struct fixture f;
    setup(state, &f, "ct_xfer_now");
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1], msg[512];
    person(&r, "move");
    create_contact(&f, f.a, &r, handle);
    reg_status st = {0};
    struct reg_op opa = op_as(&f, f.a), opb = op_as(&f, f.b), opc = op_as(&f, f.c);
    struct contact_transfer_info t;
    bool pending;

    XFER(opa, REQUEST, "REGA:MOVE", "2fooBAR-secret", REG_ERR_NOT_TRANSFERABLE);
    XFER(opb, REQUEST, "REGA:MOVE", NULL, REG_ERR_AUTHINFO);
    XFER(opb, REQUEST, "REGA:MOVE", "wrong", REG_ERR_AUTHINFO);
    XFER(opb, QUERY, "REGA:MOVE", NULL, REG_ERR_NOT_PENDING);
    XFER(opb, REQUEST, "REGA:GONE", "x", REG_ERR_NOT_FOUND);
    /* clientTransferProhibited */
    struct contact_update_req u = {
        .id = "REGA:MOVE", .add = {"clientTransferProhibited"}, .nadd = 1};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);
    XFER(opb, REQUEST, "REGA:MOVE", "2fooBAR-secret", REG_ERR_STATUS_PROHIBITS);
    u = (struct contact_update_req){
        .id = "REGA:MOVE", .rem = {"clientTransferProhibited"}, .nrem = 1};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_OK, st);

    assert_int_equal(poll_count(&f, f.a, NULL), 0);
    XFER(opb, REQUEST, "rega:move", "2fooBAR-secret", REG_OK);
    assert_false(pending);
    assert_string_equal(t.handle, "REGA:MOVE");
    assert_string_equal(t.status, "serverApproved");
    assert_string_equal(t.gaining, "REGB");
    assert_string_equal(t.losing, "REGA");
    assert_int_equal(t.requested_at, T0);
    assert_int_equal(t.action_at, T0);
    assert_int_equal(polls(&f, f.a, msg), 1);
    assert_string_equal(msg, "Contact REGA:MOVE transferred to REGB");

    struct contact k = info_ok(&f, f.b, "REGA:MOVE", NULL);
    assert_int_equal(k.view, CONTACT_VIEW_SPONSOR);
    assert_string_equal(k.sponsor, "REGB");
    assert_string_equal(k.creator, "REGA");
    assert_int_equal(k.transferred_at, T0);
    assert_false(k.authinfo_set); /* the losing registrar knew it */
    contact_free(&k);
    /* the old sponsor is now a stranger */
    k = info_ok(&f, f.a, "REGA:MOVE", NULL);
    assert_int_equal(k.view, CONTACT_VIEW_PUBLIC);
    contact_free(&k);
    u = (struct contact_update_req){.id = "REGA:MOVE", .email = "a@example.test"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_AUTHZ, st);

    /* query: the parties may, others not */
    XFER(opa, QUERY, "REGA:MOVE", NULL, REG_OK);
    assert_string_equal(t.status, "serverApproved");
    XFER(opc, QUERY, "REGA:MOVE", NULL, REG_ERR_AUTHZ);
    XFER(opb, APPROVE, "REGA:MOVE", NULL, REG_ERR_NOT_PENDING);

    struct versions *h = contact_history(&f, "REGA:MOVE");
    assert_int_equal(h->n, 4);
    assert_string_equal(h->v[3].action, "transfer");
    assert_non_null(strstr(last_snapshot(h), "\"sponsor\":\"REGB\""));
    free(h);
    teardown(&f);
}

static void transfer_pending(void **state)
{
    struct fixture f;
    setup(state, &f, "ct_xfer_pend");
    f.policy.transfer_immediate = false;
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1], msg[512];
    person(&r, "slow");
    create_contact(&f, f.a, &r, handle);
    reg_status st = {0};
    struct reg_op opa = op_as(&f, f.a), opb = op_as(&f, f.b), opc = op_as(&f, f.c);
    struct contact_transfer_info t;
    bool pending;

    /* request → pending; the sponsor is asked */
    XFER(opb, REQUEST, "REGA:SLOW", "2fooBAR-secret", REG_OK);
    assert_true(pending);
    assert_string_equal(t.status, "pending");
    assert_int_equal(t.action_at, T0 + 5 * 86400);
    assert_int_equal(polls(&f, f.a, msg), 1);
    assert_non_null(strstr(msg, "REGA:SLOW"));
    struct contact k = info_ok(&f, f.a, "REGA:SLOW", NULL);
    assert_true(status_has(&k.status, "pendingTransfer"));
    assert_string_equal(k.sponsor, "REGA");
    contact_free(&k);
    /* pending blocks updates, deletes and other requests */
    struct contact_update_req u = {.id = "REGA:SLOW", .email = "a@example.test"};
    EXPECT(&f, contact_update(&opa, &u, &st), REG_ERR_STATUS_PROHIBITS, st);
    EXPECT(&f, contact_delete(&opa, "REGA:SLOW", &st), REG_ERR_STATUS_PROHIBITS, st);
    XFER(opc, REQUEST, "REGA:SLOW", "2fooBAR-secret", REG_ERR_PENDING);
    /* the right party for each action */
    XFER(opb, REJECT, "REGA:SLOW", NULL, REG_ERR_AUTHZ);
    XFER(opa, CANCEL, "REGA:SLOW", NULL, REG_ERR_AUTHZ);
    XFER(opc, QUERY, "REGA:SLOW", NULL, REG_ERR_AUTHZ);
    XFER(opc, QUERY, "REGA:SLOW", "2fooBAR-secret", REG_OK);
    assert_string_equal(t.status, "pending");
    XFER(opa, REJECT, "REGA:SLOW", NULL, REG_OK);
    assert_string_equal(t.status, "clientRejected");
    assert_int_equal(polls(&f, f.b, msg), 1);
    assert_non_null(strstr(msg, "rejected"));

    /* again, cancelled by the requester */
    XFER(opb, REQUEST, "REGA:SLOW", "2fooBAR-secret", REG_OK);
    XFER(opb, CANCEL, "REGA:SLOW", NULL, REG_OK);
    assert_string_equal(t.status, "clientCancelled");
    XFER(opb, CANCEL, "REGA:SLOW", NULL, REG_ERR_NOT_PENDING);

    /* again, approved by the sponsor */
    XFER(opb, REQUEST, "REGA:SLOW", "2fooBAR-secret", REG_OK);
    XFER(opa, APPROVE, "REGA:SLOW", NULL, REG_OK);
    assert_string_equal(t.status, "clientApproved");
    assert_false(pending);
    k = info_ok(&f, f.b, "REGA:SLOW", NULL);
    assert_string_equal(k.sponsor, "REGB");
    assert_false(status_has(&k.status, "pendingTransfer"));
    contact_free(&k);

    /* automatic approval when the sponsor does not answer in time */
    u = (struct contact_update_req){.id = "REGA:SLOW", .authinfo = "back-Again-1"};
    EXPECT(&f, contact_update(&opb, &u, &st), REG_OK, st);
    XFER(opc, REQUEST, "REGA:SLOW", "back-Again-1", REG_OK);
    assert_int_equal(run_job(&f, T0 + 86400, contact_transfer_auto_approve), 0);
    assert_int_equal(run_job(&f, T0 + 5 * 86400, contact_transfer_auto_approve), 1);
    k = info_ok(&f, f.c, "REGA:SLOW", NULL);
    assert_string_equal(k.sponsor, "REGC");
    contact_free(&k);
    XFER(opc, QUERY, "REGA:SLOW", NULL, REG_OK);
    assert_string_equal(t.status, "serverApproved");

    /* R40: request, reject, request, cancel, request, approve, update,
     * request, automatic approval */
    struct versions *h = history_of(&f, NULL, "REGA:SLOW");
    const char *want[] = {"create",           "transfer-request", "transfer-reject",
                          "transfer-request", "transfer-cancel",  "transfer-request",
                          "transfer",         "update",           "transfer-request",
                          "transfer"};
    assert_int_equal(h->n, sizeof want / sizeof want[0]);
    for (int i = 0; i < h->n; i++)
        assert_string_equal(h->v[i].action, want[i]);
    free(h);
    teardown(&f);
}

/* --- auth info hashed before the pepper (issue 12 item 7) ------------------------ */

#define LEGACY_SET "UPDATE contact SET authinfo_hash = ? WHERE handle = ?"
#define HASH_OF "SELECT authinfo_hash FROM contact WHERE handle = ?"

/* A contact's auth info stored as salted SHA-256 still works, and its
 * first successful use stores it under the pepper: in info and in a
 * transfer, never on a wrong one, without a history version. */
static void legacy_authinfo_migrates_on_use(void **state)
{
    struct fixture f;
    setup(state, &f, "ct_legacy_hash");
    f.policy.transfer_immediate = false; /* the auth info stays while it is pending */
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1];
    person(&r, "old");
    create_contact(&f, f.a, &r, handle);
    test_store_legacy_hash(f.d, LEGACY_SET, "REGA:OLD", "2fooBAR-secret");
    test_assert_hash_form(f.d, HASH_OF, "REGA:OLD", "2fooBAR-secret", false);
    struct reg_op opb = op_as(&f, f.b), opc = op_as(&f, f.c);
    struct contact k;
    reg_status st = {0};
    EXPECT(&f, contact_info(&opb, "REGA:OLD", "wrong", &k, &st), REG_ERR_AUTHINFO, st);
    test_assert_hash_form(f.d, HASH_OF, "REGA:OLD", "2fooBAR-secret", false);
    k = info_ok(&f, f.b, "REGA:OLD", "2fooBAR-secret");
    assert_int_equal(k.view, CONTACT_VIEW_AUTHINFO);
    contact_free(&k);
    test_assert_hash_form(f.d, HASH_OF, "REGA:OLD", "2fooBAR-secret", true);
    struct versions *h = contact_history(&f, "REGA:OLD");
    assert_int_equal(h->n, 1);
    free(h);

    test_store_legacy_hash(f.d, LEGACY_SET, "REGA:OLD", "2fooBAR-secret");
    struct contact_transfer_info t;
    bool pending;
    XFER(opc, REQUEST, "REGA:OLD", "wrong", REG_ERR_AUTHINFO);
    test_assert_hash_form(f.d, HASH_OF, "REGA:OLD", "2fooBAR-secret", false);
    XFER(opc, REQUEST, "REGA:OLD", "2fooBAR-secret", REG_OK);
    assert_true(pending);
    test_assert_hash_form(f.d, HASH_OF, "REGA:OLD", "2fooBAR-secret", true);
    teardown(&f);
}

int main(void)
{
    log_set_level(LOG_WARN);
    if (secret_init())
        return 1;
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(create_and_info),  BOTH_BACKENDS(create_errors),
        BOTH_BACKENDS(check_ids),        BOTH_BACKENDS(update_contact),
        BOTH_BACKENDS(delete_contact),   BOTH_BACKENDS(transfer_immediate),
        BOTH_BACKENDS(transfer_pending), BOTH_BACKENDS(text_that_deceives_is_refused_item8),
        BOTH_BACKENDS(legacy_authinfo_migrates_on_use),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    clock_set_real();
    return failed;
}
