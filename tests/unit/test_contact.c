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
#include "registry/history.h"
#include "registry/poll.h"
#include "registry/registrar.h"

/* The shared fixture with a third registrar, REGC. */
static void open_fx(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    f->c = add_registrar(f, "REGC", "Gamma Registrar");
}

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

static void create_ok(struct fixture *f, int64_t registrar, struct contact_create_req *r,
                      char handle[CONTACT_ID_MAX + 1])
{
    struct reg_op op = op_as(f, registrar);
    reg_status st = {0};
    EXPECT(f, contact_create(&op, r, handle, &st), REG_OK, st);
}

struct hist {
    int n;
    char actions[32][24];
    char last_snapshot[4096];
};

static void hist_cb(const struct history_version *v, void *arg)
{
    struct hist *h = arg;
    if (h->n < 32)
        snprintf(h->actions[h->n], sizeof h->actions[0], "%s", v->action);
    snprintf(h->last_snapshot, sizeof h->last_snapshot, "%s", v->snapshot);
    h->n++;
    assert_string_equal(v->kind, "contact");
    assert_string_equal(v->channel, "epp");
    assert_string_equal(v->svtrid, "TEST-1");
}

static struct hist history_of(struct fixture *f, const char *handle)
{
    struct hist h;
    memset(&h, 0, sizeof h);
    reg_status st = {0};
    assert_int_equal(history_each(f->d, "contact", handle, hist_cb, &h, &st), REG_OK);
    return h;
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
    open_fx(state, &f, "ct_create");
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
    create_ok(&f, f.a, &r, handle);
    assert_string_equal(handle, "REGA:ABC-1");

    /* R1: already prefixed with the registrar's handle: kept */
    person(&r, "rega:Other");
    create_ok(&f, f.a, &r, handle);
    assert_string_equal(handle, "REGA:OTHER");

    /* R2: no id, or "auto": REGISTRAR:XXXXXXXX */
    char *autos[] = {NULL, "", "auto", "AUTO"};
    for (size_t i = 0; i < sizeof autos / sizeof autos[0]; i++) {
        person(&r, autos[i]);
        create_ok(&f, f.b, &r, handle);
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
    create_ok(&f, f.a, &r, handle);
    k = info_ok(&f, f.c, "REGA:ORG", NULL);
    assert_string_equal(k.d.postal[CONTACT_LOC].name, "Example A/S");
    assert_string_equal(k.d.postal[CONTACT_LOC].city, "Aarhus C");
    assert_null(k.d.email);
    assert_null(k.d.voice);
    contact_free(&k);

    /* R40: a version per create, with the snapshot, never the auth info */
    struct hist h = history_of(&f, "REGA:ABC-1");
    assert_int_equal(h.n, 1);
    assert_string_equal(h.actions[0], "create");
    assert_non_null(strstr(h.last_snapshot, "\"authinfo_set\":true"));
    assert_non_null(strstr(h.last_snapshot, "Jens Hansen"));
    assert_null(strstr(h.last_snapshot, "2fooBAR"));
    /* the auth info is stored hashed */
    db_stmt *s = db_query(f.d, "SELECT authinfo_hash FROM contact WHERE handle = 'REGA:ABC-1'");
    assert_true(db_next(s));
    assert_null(strstr(db_col_text(s, 0), "2fooBAR"));
    assert_true(secret_authinfo_verify(db_col_text(s, 0), "2fooBAR-secret", NULL));
    assert_int_equal(db_done(s), REG_OK);
    teardown(&f);
}

static void expect_create_error(struct fixture *f, struct contact_create_req *r, reg_err code,
                                const char *in_reason)
{
    char handle[CONTACT_ID_MAX + 1];
    struct reg_op op = op_as(f, f->a);
    reg_status st = {0};
    EXPECT(f, contact_create(&op, r, handle, &st), code, st);
    if (in_reason && !strstr(st.reason, in_reason))
        fail_msg("reason \"%s\" does not mention \"%s\"", st.reason, in_reason);
}

static void create_errors(void **state)
{
    struct fixture f;
    open_fx(state, &f, "ct_create_err");
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1];
    person(&r, "taken");
    create_ok(&f, f.a, &r, handle);

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
    db_stmt *s = db_query(f.d, "SELECT COUNT(*) FROM contact");
    assert_true(db_next(s));
    assert_int_equal(db_col_int(s, 0), 1);
    assert_int_equal(db_done(s), REG_OK);
    s = db_query(f.d, "SELECT COUNT(*) FROM history");
    assert_true(db_next(s));
    assert_int_equal(db_col_int(s, 0), 1);
    assert_int_equal(db_done(s), REG_OK);
    teardown(&f);
}

/* --- check ---------------------------------------------------------------------- */

static void check_ids(void **state)
{
    struct fixture f;
    open_fx(state, &f, "ct_check");
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1], reason[160];
    person(&r, "used");
    create_ok(&f, f.a, &r, handle);
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
    assert_non_null(strstr(reason, "R3"));
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
    open_fx(state, &f, "ct_update");
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1];
    person(&r, "upd");
    create_ok(&f, f.a, &r, handle);
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

    struct hist h = history_of(&f, "REGA:UPD");
    assert_int_equal(h.n, 8); /* create + the 7 updates that succeeded */
    assert_string_equal(h.actions[0], "create");
    for (int i = 1; i < h.n; i++)
        assert_string_equal(h.actions[i], "update");
    teardown(&f);
}

/* --- delete ------------------------------------------------------------------------- */

static void link_domain(struct fixture *f, const char *name, int64_t registrant, int64_t contact)
{
    assert_int_equal(db_begin(f->d), REG_OK);
    db_stmt *s =
        db_query(f->d, "INSERT INTO domain (name, uname, sponsor_id, creator_id, "
                       "registrant_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id");
    db_bind_text(s, 1, name);
    db_bind_text(s, 2, name);
    db_bind_int(s, 3, f->a);
    db_bind_int(s, 4, f->a);
    db_bind_int(s, 5, registrant);
    db_bind_int(s, 6, T0);
    db_bind_int(s, 7, T0 + 365 * 86400);
    assert_true(db_next(s));
    int64_t domain = db_col_int(s, 0);
    assert_int_equal(db_done(s), REG_OK);
    if (contact) {
        s = db_query(f->d, "INSERT INTO domain_contact (domain_id, contact_id, role) "
                           "VALUES (?, ?, 'tech')");
        db_bind_int(s, 1, domain);
        db_bind_int(s, 2, contact);
        assert_int_equal(db_run(s), REG_OK);
    }
    assert_int_equal(db_commit(f->d), REG_OK);
}

static void delete_contact(void **state)
{
    struct fixture f;
    open_fx(state, &f, "ct_delete");
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1];
    person(&r, "owner");
    create_ok(&f, f.a, &r, handle); /* id 1 */
    person(&r, "tech");
    create_ok(&f, f.a, &r, handle); /* id 2 */
    person(&r, "admin");
    create_ok(&f, f.a, &r, handle); /* id 3 */
    person(&r, "free");
    create_ok(&f, f.a, &r, handle); /* id 4 */
    link_domain(&f, "example.dk", 1, 2);
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO host (name, sponsor_id, creator_id, admin_contact_id, created_at) "
             "VALUES ('ns1.example.net', %lld, %lld, 3, %lld)",
             (long long)f.a, (long long)f.a, (long long)T0);
    assert_int_equal(db_exec(f.d, sql), REG_OK);

    reg_status st = {0};
    struct reg_op opa = op_as(&f, f.a), opb = op_as(&f, f.b);
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
    db_stmt *s = db_query(f.d, "SELECT (SELECT COUNT(*) FROM contact_postal WHERE contact_id = 4) "
                               "+ (SELECT COUNT(*) FROM object_status WHERE object_id = 4 AND "
                               "object_kind = 'contact')");
    assert_true(db_next(s));
    assert_int_equal(db_col_int(s, 0), 0);
    assert_int_equal(db_done(s), REG_OK);
    struct hist h = history_of(&f, "REGA:FREE");
    assert_int_equal(h.n, 4);
    assert_string_equal(h.actions[3], "delete");
    assert_non_null(strstr(h.last_snapshot, "\"deleted\":true"));
    /* the id can be used again */
    person(&r, "free");
    create_ok(&f, f.a, &r, handle);
    teardown(&f);
}

/* --- transfer ------------------------------------------------------------------------ */

static int64_t poll_count(struct fixture *f, int64_t registrar, char *last_msg, size_t n)
{
    int64_t count = 0;
    struct poll_msg m;
    bool found;
    reg_status st = {0};
    assert_int_equal(poll_peek(f->d, registrar, &count, &m, &found, &st), REG_OK);
    if (found && last_msg)
        snprintf(last_msg, n, "%s", m.message);
    if (found)
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
    open_fx(state, &f, "ct_xfer_now");
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1], msg[512];
    person(&r, "move");
    create_ok(&f, f.a, &r, handle);
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

    assert_int_equal(poll_count(&f, f.a, NULL, 0), 0);
    XFER(opb, REQUEST, "rega:move", "2fooBAR-secret", REG_OK);
    assert_false(pending);
    assert_string_equal(t.handle, "REGA:MOVE");
    assert_string_equal(t.status, "serverApproved");
    assert_string_equal(t.gaining, "REGB");
    assert_string_equal(t.losing, "REGA");
    assert_int_equal(t.requested_at, T0);
    assert_int_equal(t.action_at, T0);
    assert_int_equal(poll_count(&f, f.a, msg, sizeof msg), 1);
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

    struct hist h = history_of(&f, "REGA:MOVE");
    assert_int_equal(h.n, 4);
    assert_string_equal(h.actions[3], "transfer");
    assert_non_null(strstr(h.last_snapshot, "\"sponsor\":\"REGB\""));
    teardown(&f);
}

static void transfer_pending(void **state)
{
    struct fixture f;
    open_fx(state, &f, "ct_xfer_pend");
    f.policy.transfer_immediate = false;
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1], msg[512];
    person(&r, "slow");
    create_ok(&f, f.a, &r, handle);
    reg_status st = {0};
    struct reg_op opa = op_as(&f, f.a), opb = op_as(&f, f.b), opc = op_as(&f, f.c);
    struct contact_transfer_info t;
    bool pending;

    /* request → pending; the sponsor is asked */
    XFER(opb, REQUEST, "REGA:SLOW", "2fooBAR-secret", REG_OK);
    assert_true(pending);
    assert_string_equal(t.status, "pending");
    assert_int_equal(t.action_at, T0 + 5 * 86400);
    assert_int_equal(poll_count(&f, f.a, msg, sizeof msg), 1);
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
    assert_int_equal(poll_count(&f, f.b, msg, sizeof msg), 1);
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
    int count = -1;
    struct reg_op job = {.db = f.d,
                         .policy = &f.policy,
                         .actor = "job:transfers",
                         .channel = "job",
                         .now = T0 + 86400};
    EXPECT(&f, contact_transfer_auto_approve(&job, &count, &st), REG_OK, st);
    assert_int_equal(count, 0);
    job.now = T0 + 5 * 86400;
    EXPECT(&f, contact_transfer_auto_approve(&job, &count, &st), REG_OK, st);
    assert_int_equal(count, 1);
    k = info_ok(&f, f.c, "REGA:SLOW", NULL);
    assert_string_equal(k.sponsor, "REGC");
    contact_free(&k);
    XFER(opc, QUERY, "REGA:SLOW", NULL, REG_OK);
    assert_string_equal(t.status, "serverApproved");

    /* R40: request, reject, request, cancel, request, approve, update,
     * request, automatic approval */
    db_stmt *s = db_query(f.d, "SELECT action, channel FROM history WHERE object_key = "
                               "'REGA:SLOW' ORDER BY id");
    const char *want[] = {"create",           "transfer-request", "transfer-reject",
                          "transfer-request", "transfer-cancel",  "transfer-request",
                          "transfer",         "update",           "transfer-request",
                          "transfer"};
    size_t n = 0;
    while (db_next(s)) {
        assert_true(n < sizeof want / sizeof want[0]);
        assert_string_equal(db_col_text(s, 0), want[n]);
        n++;
    }
    assert_int_equal(db_done(s), REG_OK);
    assert_int_equal(n, sizeof want / sizeof want[0]);
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
    open_fx(state, &f, "ct_legacy_hash");
    f.policy.transfer_immediate = false; /* the auth info stays while it is pending */
    struct contact_create_req r;
    char handle[CONTACT_ID_MAX + 1];
    person(&r, "old");
    create_ok(&f, f.a, &r, handle);
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
    assert_int_equal(history_of(&f, "REGA:OLD").n, 1);

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
        BOTH_BACKENDS(transfer_pending),
        BOTH_BACKENDS(legacy_authinfo_migrates_on_use),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    clock_set_real();
    return failed;
}
