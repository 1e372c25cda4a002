/* Registration data for the public (R25, DESIGN §7): the privacy decision
 * field by field for every kind of contact and viewer (src/rdds/privacy.c),
 * and the lookups of domains, hosts, contacts and registrars on both
 * backends (src/registry/rdds_data.c). */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "rdds/privacy.h"
#include "registry/host.h"
#include "registry/rdds_data.h"

/* ---- privacy, field by field ------------------------------------------------------------- */

static const struct rdds_viewer sponsor_view = {RDDS_VIEW_REGISTRAR, "REGA"};
static const struct rdds_viewer other_registrar = {RDDS_VIEW_REGISTRAR, "REGB"};
static const struct rdds_viewer staff_view = {RDDS_VIEW_STAFF, NULL};

/* A contact of REGA with a loc address (and an int one when `with_int`),
 * phones, e-mail, mobile and ident, of `kind` (NULL: untyped). */
static struct rdds_contact contact_of(const char *kind)
{
    struct rdds_contact c = {.handle = "REGA:C1", .sponsor = "REGA", .idcheck_state = "verified"};
    c.d.kind = (char *)kind;
    c.d.postal[CONTACT_LOC] = (struct contact_postal){
        .present = true, .name = "Jens Hansen", .org = "Hansen ApS",
        .street = {"Vestergade 1"}, .city = "Aarhus", .sp = "Midtjylland", .pc = "8000",
        .cc = "DK"};
    c.d.voice = "+45.12345678";
    c.d.fax = "+45.12345679";
    c.d.email = "jens@example.net";
    c.d.mobile = "+45.22334455";
    c.d.ident_type = "priv";
    c.d.ident_value = "010203-1234";
    return c;
}

static void disclose(struct rdds_contact *c, int flag, unsigned bits)
{
    c->d.has_disclose = true;
    c->d.disclose_flag = flag;
    c->d.disclose = bits;
}

/* Every field's decision for viewer v, against the expected reasons
 * (RDDS_SHOWN: visible). */
static void expect_fields(const struct rdds_viewer *v, const struct rdds_contact *c,
                          const enum rdds_reason want[RDDS_F__COUNT], const char *what)
{
    for (int f = 0; f < RDDS_F__COUNT; f++) {
        struct rdds_decision d = rdds_privacy(v, c, (enum rdds_field)f);
        if (d.visible != (want[f] == RDDS_SHOWN) || d.reason != want[f])
            fail_msg("%s: field %s: got %s (reason %d), want reason %d", what,
                     rdds_field_name((enum rdds_field)f), d.visible ? "visible" : "redacted",
                     (int)d.reason, (int)want[f]);
        if (!d.visible)
            assert_true(strlen(rdds_reason_text(d.reason)) > 0);
    }
}

static const enum rdds_reason all_shown[RDDS_F__COUNT] = {RDDS_SHOWN};

static void privacy_person(void **state)
{
    (void)state;
    struct rdds_contact c = contact_of("person");
    /* a person without a disclose element: only the country is public */
    enum rdds_reason hidden[RDDS_F__COUNT] = {
        [RDDS_F_NAME] = RDDS_PERSONAL,   [RDDS_F_ORG] = RDDS_PERSONAL,
        [RDDS_F_STREET] = RDDS_PERSONAL, [RDDS_F_CITY] = RDDS_PERSONAL,
        [RDDS_F_SP] = RDDS_PERSONAL,     [RDDS_F_PC] = RDDS_PERSONAL,
        [RDDS_F_CC] = RDDS_SHOWN,        [RDDS_F_VOICE] = RDDS_PERSONAL,
        [RDDS_F_FAX] = RDDS_PERSONAL,    [RDDS_F_EMAIL] = RDDS_PERSONAL,
        [RDDS_F_MOBILE] = RDDS_NEVER_PUBLIC, [RDDS_F_IDENT] = RDDS_NEVER_PUBLIC,
        [RDDS_F_IDCHECK] = RDDS_NEVER_PUBLIC,
    };
    expect_fields(&rdds_public, &c, hidden, "person, public");
    expect_fields(&other_registrar, &c, hidden, "person, another registrar");
    /* the sponsor and staff see it all */
    expect_fields(&sponsor_view, &c, all_shown, "person, sponsor");
    expect_fields(&staff_view, &c, all_shown, "person, staff");
    assert_true(rdds_privacy_full(&sponsor_view, &c));
    assert_false(rdds_privacy_full(&other_registrar, &c));
    assert_false(rdds_privacy_full(&rdds_public, &c));

    /* disclose flag="1" for the name (of the loc form shown) and the e-mail */
    disclose(&c, 1, CONTACT_DISCLOSE_NAME_LOC | CONTACT_DISCLOSE_EMAIL);
    enum rdds_reason some[RDDS_F__COUNT];
    memcpy(some, hidden, sizeof some);
    some[RDDS_F_NAME] = some[RDDS_F_EMAIL] = RDDS_SHOWN;
    expect_fields(&rdds_public, &c, some, "person disclosing name and email");
    /* the int form's bit does not disclose the loc form shown */
    disclose(&c, 1, CONTACT_DISCLOSE_NAME_INT | CONTACT_DISCLOSE_ADDR_INT);
    expect_fields(&rdds_public, &c, hidden, "person disclosing the int form only");
    /* with only an int form, its bits apply */
    c.d.postal[CONTACT_INT] = c.d.postal[CONTACT_LOC];
    c.d.postal[CONTACT_LOC] = (struct contact_postal){0};
    memcpy(some, hidden, sizeof some);
    some[RDDS_F_NAME] = some[RDDS_F_STREET] = some[RDDS_F_CITY] = some[RDDS_F_SP] =
        some[RDDS_F_PC] = RDDS_SHOWN;
    expect_fields(&rdds_public, &c, some, "person with an int form disclosing it");
    /* flag="0" is the default for a person anyway: still personal data */
    disclose(&c, 0, CONTACT_DISCLOSE_ALL);
    enum rdds_reason withheld[RDDS_F__COUNT];
    memcpy(withheld, hidden, sizeof withheld);
    for (int f = RDDS_F_NAME; f <= RDDS_F_EMAIL; f++)
        if (f != RDDS_F_CC)
            withheld[f] = RDDS_WITHHELD;
    expect_fields(&rdds_public, &c, withheld, "person withholding everything");

    /* an untyped contact is treated as a person */
    struct rdds_contact u = contact_of(NULL);
    expect_fields(&rdds_public, &u, hidden, "untyped contact");
}

static void privacy_organization(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) {
        const char *kind = i ? "role" : "organization";
        struct rdds_contact c = contact_of(kind);
        /* name, organisation and address public; never a phone or e-mail
         * that may be a person's own unless disclosed */
        enum rdds_reason want[RDDS_F__COUNT] = {
            [RDDS_F_VOICE] = RDDS_UNPUBLISHED,     [RDDS_F_FAX] = RDDS_UNPUBLISHED,
            [RDDS_F_EMAIL] = RDDS_UNPUBLISHED,     [RDDS_F_MOBILE] = RDDS_NEVER_PUBLIC,
            [RDDS_F_IDENT] = RDDS_NEVER_PUBLIC,    [RDDS_F_IDCHECK] = RDDS_NEVER_PUBLIC,
        };
        expect_fields(&rdds_public, &c, want, kind);
        expect_fields(&other_registrar, &c, want, kind);
        expect_fields(&sponsor_view, &c, all_shown, kind);
        expect_fields(&staff_view, &c, all_shown, kind);
        /* disclose flag="1" email: a role mailbox it chose to publish */
        disclose(&c, 1, CONTACT_DISCLOSE_EMAIL | CONTACT_DISCLOSE_VOICE);
        want[RDDS_F_EMAIL] = want[RDDS_F_VOICE] = RDDS_SHOWN;
        expect_fields(&rdds_public, &c, want, kind);
        /* disclose flag="0" for the address: withheld, the name stays */
        disclose(&c, 0, CONTACT_DISCLOSE_ADDR_LOC);
        want[RDDS_F_EMAIL] = want[RDDS_F_VOICE] = RDDS_UNPUBLISHED;
        want[RDDS_F_STREET] = want[RDDS_F_CITY] = want[RDDS_F_SP] = want[RDDS_F_PC] =
            RDDS_WITHHELD;
        expect_fields(&rdds_public, &c, want, kind);
    }
}

/* ---- lookups on both backends ------------------------------------------------------------ */

#define SHA256_HEX "2BB183AF5F22588179A53B0A98631FAD1A292118A9B4B4D63B5E4E2B1F2F3F4C"

/* REGA's person REGA:HOLDER holds example.dk (an in-bailiwick name server
 * with two addresses and an external one, a DS record, admin and tech
 * contacts) and blåbærgrød.dk (no name servers). */
static void open_fx(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    f->policy.allow_private_addresses = true;
    make_person(f, f->a, "HOLDER", "holder@example.net", "Jens Hansen", "+45.22334455");
    struct contact_create_req org;
    memset(&org, 0, sizeof org);
    org.id = "ORG";
    org.d.kind = "organization";
    org.d.postal[CONTACT_INT] = (struct contact_postal){
        .present = true, .name = "Hostmaster", .org = "Example A/S", .street = {"Havnen 2"},
        .city = "Odense", .pc = "5000", .cc = "DK"};
    org.d.email = "hostmaster@example.net";
    org.d.voice = "+45.11111111";
    create_contact(f, f->a, &org, NULL);
    struct domain_contact cs[] = {{"admin", "REGA:ORG"}, {"tech", "REGA:HOLDER"}};
    make_domain(f, "example.dk", "REGA:HOLDER", cs, 2, NULL);
    make_domain(f, "bl\xc3\xa5" "b\xc3\xa6rgr\xc3\xb8" "d.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_host(f, f->a, "ns1.example.dk", "192.0.2.1");
    struct host_addr_in v6 = {.addr = "2001:db8::53", .version = 6};
    struct host_update hu = {.name = "ns1.example.dk", .add_addrs = &v6, .nadd_addrs = 1};
    struct reg_op a = op_as(f, f->a);
    reg_status st;
    OK(f, host_update(&a, &hu, &st));
    make_host(f, f->a, "ns.external.net", NULL);
    struct domain_update du = {.name = "example.dk",
                               .add_ns = {"ns1.example.dk", "ns.external.net"}, .nadd_ns = 2,
                               .add_ds = {{12345, 13, 2, SHA256_HEX}}, .nadd_ds = 1};
    OK(f, domain_update(&a, &du, &st));
    exec_sql(f, "UPDATE registrar SET url = 'https://alpha.example', phone = '+45.70000000' "
                "WHERE handle = 'REGA'");
}

static void find_domain(void **state)
{
    struct fixture f;
    open_fx(state, &f, "rdds_domain");
    struct arena a;
    arena_init(&a, 1 << 20);
    struct rdds_domain d;
    reg_status st = {0};
    assert_int_equal(rdds_find_domain(f.d, &f.policy, "EXAMPLE.DK.", f.now, &a, &d, &st), REG_OK);
    assert_string_equal(d.alabel, "example.dk");
    assert_false(d.idn);
    assert_true(strncmp(d.roid, "D", 1) == 0 && strstr(d.roid, "-DK"));
    assert_string_equal(d.sponsor.handle, "REGA");
    assert_string_equal(d.sponsor.name, "Alpha Registrar");
    assert_string_equal(d.sponsor.url, "https://alpha.example");
    assert_string_equal(d.sponsor.phone, "+45.70000000");
    assert_int_equal(d.created, f.now);
    assert_true(d.expires > d.created);
    /* statuses: nothing stored, name servers: ok */
    assert_int_equal(d.nstatus, 1);
    assert_string_equal(d.status[0], "ok");
    /* the registrant and its contacts, by role */
    assert_string_equal(d.registrant.handle, "REGA:HOLDER");
    assert_string_equal(d.registrant.d.kind, "person");
    assert_string_equal(d.registrant.d.postal[CONTACT_LOC].name, "Jens Hansen");
    assert_string_equal(d.registrant.d.mobile, "+45.22334455");
    assert_int_equal(d.ncontacts, 2);
    assert_string_equal(d.contacts[0].role, "admin");
    assert_string_equal(d.contacts[0].c.handle, "REGA:ORG");
    assert_string_equal(d.contacts[0].c.d.postal[CONTACT_INT].org, "Example A/S");
    assert_string_equal(d.contacts[0].c.d.postal[CONTACT_INT].street[0], "Havnen 2");
    assert_false(d.contacts[0].c.d.postal[CONTACT_LOC].present);
    assert_string_equal(d.contacts[1].role, "tech");
    /* name servers by name; glue only for the one under .dk */
    assert_int_equal(d.nns, 2);
    assert_string_equal(d.ns[0].name, "ns.external.net");
    assert_int_equal(d.ns[0].naddrs, 0);
    assert_string_equal(d.ns[1].name, "ns1.example.dk");
    assert_int_equal(d.ns[1].naddrs, 2);
    assert_string_equal(d.ns[1].addrs[0].addr, "192.0.2.1");
    assert_int_equal(d.ns[1].addrs[0].version, 4);
    assert_string_equal(d.ns[1].addrs[1].addr, "2001:db8::53");
    assert_int_equal(d.nds, 1);
    assert_int_equal(d.ds[0].key_tag, 12345);
    assert_string_equal(d.ds[0].digest, SHA256_HEX);
    /* R21: the registrant's identity check shows on the domain */
    assert_string_equal(d.idcheck_state, d.registrant.idcheck_state);
    arena_reset(&a);

    /* IDN: U-label (any case) or A-label */
    const char *names[] = {"bl\xc3\xa5" "b\xc3\xa6rgr\xc3\xb8" "d.dk",
                           "BL\xc3\x85" "B\xc3\x86RGR\xc3\x98" "D.DK", "xn--blbrgrd-fxak7p.dk",
                           "XN--BLBRGRD-FXAK7P.DK"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        reg_status_clear(&st);
        assert_int_equal(rdds_find_domain(f.d, &f.policy, names[i], f.now, &a, &d, &st), REG_OK);
        assert_string_equal(d.alabel, "xn--blbrgrd-fxak7p.dk");
        assert_string_equal(d.ulabel, "bl\xc3\xa5" "b\xc3\xa6rgr\xc3\xb8" "d.dk");
        assert_true(d.idn);
        /* no name servers: inactive */
        assert_int_equal(d.nstatus, 1);
        assert_string_equal(d.status[0], "inactive");
        arena_reset(&a);
    }

    /* not here: unknown, another TLD, a name below a domain; not a name at all */
    const char *missing[] = {"nothing.dk", "example.com", "www.example.dk"};
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        reg_status_clear(&st);
        assert_int_equal(rdds_find_domain(f.d, &f.policy, missing[i], f.now, &a, &d, &st),
                         REG_ERR_NOT_FOUND);
        assert_null(d.alabel);
    }
    reg_status_clear(&st);
    assert_int_equal(rdds_find_domain(f.d, &f.policy, "\xe2\x80\xae.dk", f.now, &a, &d, &st),
                     REG_ERR_INVALID);
    arena_free(&a);
    teardown(&f);
}

static void find_domain_statuses(void **state)
{
    struct fixture f;
    open_fx(state, &f, "rdds_status");
    struct reg_op a = op_as(&f, f.a);
    reg_status st;
    struct arena ar;
    arena_init(&ar, 1 << 20);
    struct rdds_domain d;
    /* stored statuses in name order, DS records by key tag, algorithm,
     * digest type and digest, whatever order they were added in */
    struct domain_update du = {
        .name = "example.dk",
        .add_status = {"clientTransferProhibited", "clientHold"}, .nadd_status = 2,
        .add_ds = {{40000, 8, 2, SHA256_HEX}, {7, 13, 2, SHA256_HEX}, {7, 8, 2, SHA256_HEX}},
        .nadd_ds = 3};
    OK(&f, domain_update(&a, &du, &st));
    assert_int_equal(rdds_find_domain(f.d, &f.policy, "example.dk", f.now, &ar, &d, &st), REG_OK);
    assert_int_equal(d.nstatus, 2);
    assert_string_equal(d.status[0], "clientHold");
    assert_string_equal(d.status[1], "clientTransferProhibited");
    assert_int_equal(d.nds, 4);
    const int tags[][2] = {{7, 8}, {7, 13}, {12345, 13}, {40000, 8}};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(d.ds[i].key_tag, tags[i][0]);
        assert_int_equal(d.ds[i].alg, tags[i][1]);
        assert_string_equal(d.ds[i].digest, SHA256_HEX);
    }
    arena_reset(&ar);

    /* a domain's other rows come in one statement in whatever order the
     * database likes (its keys order them by role and contact id, by host
     * id, by address text); here they are sorted: contacts by role, then
     * handle (REGA:AAA is made after REGA:ORG, so its id is larger), name
     * servers by name (ns.external.net was made after ns1.example.dk), an
     * in-bailiwick server's glue by version, then address ("2001:db8::53"
     * sorts between "192.0.2.1" and "203.0.113.5" as text) */
    make_person(&f, f.a, "AAA", "aaa@example.net", "Anna Andersen", "+45.33445566");
    struct host_addr_in v4 = {.addr = "203.0.113.5", .version = 4};
    struct host_update hu = {.name = "ns1.example.dk", .add_addrs = &v4, .nadd_addrs = 1};
    OK(&f, host_update(&a, &hu, &st));
    struct domain_update more = {.name = "example.dk",
                                 .add_contacts = {{"billing", "REGA:ORG"},
                                                  {"admin", "REGA:AAA"}},
                                 .nadd_contacts = 2};
    OK(&f, domain_update(&a, &more, &st));
    assert_int_equal(rdds_find_domain(f.d, &f.policy, "example.dk", f.now, &ar, &d, &st), REG_OK);
    const char *contacts[][2] = {{"admin", "REGA:AAA"}, {"admin", "REGA:ORG"},
                                 {"billing", "REGA:ORG"}, {"tech", "REGA:HOLDER"}};
    assert_int_equal(d.ncontacts, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(d.contacts[i].role, contacts[i][0]);
        assert_string_equal(d.contacts[i].c.handle, contacts[i][1]);
    }
    assert_string_equal(d.contacts[0].c.d.postal[CONTACT_LOC].name, "Anna Andersen");
    assert_string_equal(d.contacts[2].c.d.postal[CONTACT_INT].org, "Example A/S");
    assert_string_equal(d.registrant.handle, "REGA:HOLDER");
    assert_int_equal(d.nns, 2);
    assert_string_equal(d.ns[0].name, "ns.external.net");
    assert_int_equal(d.ns[0].naddrs, 0);
    assert_string_equal(d.ns[1].name, "ns1.example.dk");
    const char *glue[] = {"192.0.2.1", "203.0.113.5", "2001:db8::53"};
    assert_int_equal(d.ns[1].naddrs, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(d.ns[1].addrs[i].addr, glue[i]);
        assert_int_equal(d.ns[1].addrs[i].version, i < 2 ? 4 : 6);
    }
    /* the statuses and DS records of above, still in order beside them */
    assert_int_equal(d.nstatus, 2);
    assert_string_equal(d.status[0], "clientHold");
    assert_int_equal(d.nds, 4);
    assert_int_equal(d.ds[3].key_tag, 40000);
    assert_int_equal(d.ds[3].digest_type, 2);
    arena_reset(&ar);
    OK(&f, domain_delete(&a, "xn--blbrgrd-fxak7p.dk", &(bool){false}, &st));
    assert_int_equal(
        rdds_find_domain(f.d, &f.policy, "xn--blbrgrd-fxak7p.dk", f.now, &ar, &d, &st), REG_OK);
    /* stored pendingDelete, the RGP state, no name servers */
    assert_int_equal(d.nstatus, 3);
    assert_string_equal(d.status[0], "pendingDelete");
    assert_string_equal(d.status[1], "redemptionPeriod");
    assert_string_equal(d.status[2], "inactive");
    arena_reset(&ar);
    /* past redemption: pendingDelete alone */
    assert_int_equal(rdds_find_domain(f.d, &f.policy, "xn--blbrgrd-fxak7p.dk",
                                      f.now + f.policy.redemption_period + 1, &ar, &d, &st),
                     REG_OK);
    assert_int_equal(d.nstatus, 2);
    assert_string_equal(d.status[1], "inactive");
    arena_free(&ar);
    teardown(&f);
}

static void find_host_contact_registrar(void **state)
{
    struct fixture f;
    open_fx(state, &f, "rdds_objects");
    struct arena a;
    arena_init(&a, 1 << 20);
    reg_status st = {0};

    struct rdds_host h;
    assert_int_equal(rdds_find_host(f.d, &f.policy, "NS1.example.dk", &a, &h, &st), REG_OK);
    assert_string_equal(h.name, "ns1.example.dk");
    assert_string_equal(h.uname, "ns1.example.dk");
    assert_string_equal(h.sponsor, "REGA");
    assert_string_equal(h.superordinate, "example.dk");
    assert_int_equal(h.naddrs, 2);
    assert_int_equal(h.nstatus, 2);
    assert_string_equal(h.status[0], "linked");
    assert_string_equal(h.status[1], "ok");
    assert_true(h.roid[0] == 'H');
    assert_int_equal(rdds_find_host(f.d, &f.policy, "ns.external.net", &a, &h, &st), REG_OK);
    assert_null(h.superordinate);
    assert_int_equal(h.naddrs, 0);
    reg_status_clear(&st);
    assert_int_equal(rdds_find_host(f.d, &f.policy, "ns9.example.dk", &a, &h, &st),
                     REG_ERR_NOT_FOUND);

    struct rdds_contact c;
    assert_int_equal(rdds_find_contact(f.d, &f.policy, "rega:holder", &a, &c, &st), REG_OK);
    assert_string_equal(c.handle, "REGA:HOLDER");
    assert_string_equal(c.sponsor, "REGA");
    assert_string_equal(c.d.email, "holder@example.net");
    assert_true(c.roid[0] == 'C');
    assert_int_equal(c.nstatus, 2);
    assert_string_equal(c.status[0], "linked");
    int form;
    assert_string_equal(rdds_contact_postal(&c, &form)->name, "Jens Hansen");
    assert_int_equal(form, CONTACT_LOC);
    reg_status_clear(&st);
    assert_int_equal(rdds_find_contact(f.d, &f.policy, "REGA:NOBODY", &a, &c, &st),
                     REG_ERR_NOT_FOUND);

    struct rdds_registrar r;
    assert_int_equal(rdds_find_registrar(f.d, "rega", &a, &r, &st), REG_OK);
    assert_string_equal(r.handle, "REGA");
    assert_string_equal(r.url, "https://alpha.example");
    assert_false(r.disabled);
    assert_int_equal(rdds_find_registrar(f.d, "REGB", &a, &r, &st), REG_OK);
    assert_null(r.url);
    reg_status_clear(&st);
    assert_int_equal(rdds_find_registrar(f.d, "NOPE", &a, &r, &st), REG_ERR_NOT_FOUND);
    arena_free(&a);
    teardown(&f);
}

int main(void)
{
    log_set_level(LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(privacy_person),
        cmocka_unit_test(privacy_organization),
        BOTH_BACKENDS(find_domain),
        BOTH_BACKENDS(find_domain_statuses),
        BOTH_BACKENDS(find_host_contact_registrar),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    clock_set_real();
    return failed;
}
