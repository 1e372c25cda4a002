/* Linked WHOIS handles (registry/linked.h; R28-R31, seed 000), on both
 * backends: the registrar's own handle, the link candidates (R29: exact
 * data after trimming and NFC, e-mail in any case; one field different,
 * an inactive or linked handle excluded; none without an own handle),
 * linking a candidate only, the linked list with roles, domains and name
 * servers (R28), a handle created already linked (R30, EPP's rules), the
 * answer for the self-service login (R31), staff link and unlink, and
 * their history (R40). */
#include "regfixture.h"

#include <stdio.h>
#include <string.h>

#include "contrib/precis.h"
#include "registry/linked.h"

/* The registrar's own handle's data: an organisation with an org number. */
static void company(struct fixture *f, int64_t registrar, const char *id, const char *name,
                    const char *city, const char *ivalue, const char *email)
{
    struct contact_create_req r;
    memset(&r, 0, sizeof r);
    r.id = (char *)id;
    r.d.postal[CONTACT_LOC] = (struct contact_postal){.present = true,
                                                      .name = (char *)name,
                                                      .org = "Alpha Hosting ApS",
                                                      .street = {"Vesterbrogade 1", "3. sal"},
                                                      .city = (char *)city,
                                                      .pc = "1620",
                                                      .cc = "DK"};
    r.d.email = (char *)email;
    r.d.voice = "+45.70201234";
    r.d.kind = "organization";
    r.d.ident_type = "org";
    r.d.ident_value = (char *)ivalue;
    r.d.ident_cc = "DK";
    create_contact(f, registrar, &r, NULL);
}

/* é as one code point (NFC) and as e + U+0301 (NFD) */
#define NAME "Ren\xc3\xa9 Hostmaster"
#define NAME_NFD "Rene\xcc\x81 Hostmaster"
#define CITY "K\xc3\xb8" "benhavn V"
#define SAME(f, reg, id) company(f, reg, id, NAME, CITY, "12345678", "hostmaster@alpha.dk")

struct found {
    int n;
    char h[12][CONTACT_ID_MAX + 1];
    struct linked_handle last;
};

static void note(const struct linked_handle *h, void *arg)
{
    struct found *fd = arg;
    if (fd->n < 12)
        snprintf(fd->h[fd->n], sizeof fd->h[0], "%s", h->handle);
    fd->n++;
    fd->last = *h;
}

static struct found candidates(struct fixture *f, int64_t registrar, enum linked_none *why)
{
    struct found fd = {0};
    struct reg_op op = op_as(f, registrar);
    reg_status st;
    OK(f, linked_candidates(&op, registrar, note, &fd, why, &st));
    return fd;
}

static void linked_text_comparison(void **state)
{
    (void)state;
    /* R29: trimming, NFC (e + combining acute = é), case only for e-mail */
    assert_true(precis_same_text("  Hostmaster\t", "Hostmaster", false));
    assert_true(precis_same_text("Caf\xc3\xa9", "Cafe\xcc\x81", false));
    assert_true(precis_same_text(NULL, "  ", false));
    assert_false(precis_same_text("Hostmaster", "hostmaster", false));
    assert_true(precis_same_text("Host@Alpha.DK", "host@alpha.dk", true));
    assert_true(precis_same_text("\xc3\x86SE@alpha.dk", "\xc3\xa6se@alpha.dk", true));
    assert_false(precis_same_text("Hostmaster A", "Hostmaster B", false));
}

static void linked_own_handle(void **state)
{
    struct fixture f;
    setup(state, &f, "linked_own");
    reg_status st;
    struct reg_op op = staff(&f);
    SAME(&f, f.a, "OWN");
    SAME(&f, f.b, "OTHER");
    char h[CONTACT_ID_MAX + 1];
    EXPECT_REASON(&f, registrar_own_handle_set(&op, "REGA", "REGA:NOPE", &st), REG_ERR_NOT_FOUND,
                  st, "contact REGA:NOPE does not exist");
    EXPECT_REASON(&f, registrar_own_handle_set(&op, "REGA", "REGB:OTHER", &st), REG_ERR_POLICY, st,
                  "sponsored by REGB, not by REGA");
    EXPECT_REASON(&f, registrar_own_handle_set(&op, "NOSUCH", "REGA:OWN", &st), REG_ERR_NOT_FOUND,
                  st, "registrar NOSUCH does not exist");
    OK(&f, registrar_own_handle_get(f.d, f.a, h, &st));
    assert_string_equal(h, "");
    OK(&f, registrar_own_handle_set(&op, "rega", "rega:own", &st));
    OK(&f, registrar_own_handle_get(f.d, f.a, h, &st));
    assert_string_equal(h, "REGA:OWN");
    /* the own handle cannot be deleted from under the registrar */
    struct reg_op a = op_as(&f, f.a);
    EXPECT_REASON(&f, contact_delete(&a, "REGA:OWN", &st), REG_ERR_ASSOCIATION, st,
                  "REGA's own handle");
    struct versions *v = history_of(&f, "registrar", "REGA");
    assert_string_equal(v->v[v->n - 1].action, "own-handle");
    assert_non_null(strstr(v->v[v->n - 1].snapshot, "REGA:OWN"));
    free(v);
    OK(&f, registrar_own_handle_set(&op, "REGA", "", &st));
    OK(&f, registrar_own_handle_get(f.d, f.a, h, &st));
    assert_string_equal(h, "");
    OK(&f, contact_delete(&a, "REGA:OWN", &st));
    teardown(&f);
}

/* R29 */
static void linked_candidates_exact(void **state)
{
    struct fixture f;
    setup(state, &f, "linked_cand");
    reg_status st;
    struct reg_op op = staff(&f);
    enum linked_none why;
    SAME(&f, f.a, "OWN");
    /* without an own handle: none, and that is why */
    struct found fd = candidates(&f, f.a, &why);
    assert_int_equal(fd.n, 0);
    assert_int_equal(why, LINKED_NO_OWN_HANDLE);
    OK(&f, registrar_own_handle_set(&op, "REGA", "REGA:OWN", &st));

    SAME(&f, f.b, "SAME");
    company(&f, f.c, "CASE", NAME, CITY, "12345678", "HostMaster@Alpha.DK");
    SAME(&f, f.b, "NFD");
    SAME(&f, f.b, "TRIM");
    company(&f, f.b, "CITY", NAME, "Aarhus C", "12345678", "hostmaster@alpha.dk");
    company(&f, f.b, "VAT", NAME, CITY, "87654321", "hostmaster@alpha.dk");
    company(&f, f.b, "NAME", NAME ".", CITY, "12345678", "hostmaster@alpha.dk");
    SAME(&f, f.b, "FAILED");
    SAME(&f, f.b, "PENDING");
    SAME(&f, f.b, "VOICE");
    /* stored before the NFC rule (EPP refuses it now), and with spaces */
    exec_sql(&f, "UPDATE contact_postal SET name = '" NAME_NFD "' WHERE contact_id = "
                 "(SELECT id FROM contact WHERE handle = 'REGB:NFD')");
    exec_sql(&f, "UPDATE contact_postal SET name = '  " NAME " ', street1 = ' Vesterbrogade 1' "
                 "WHERE contact_id = (SELECT id FROM contact WHERE handle = 'REGB:TRIM')");
    exec_sql(&f, "UPDATE contact SET idcheck_state = 'failed' WHERE handle = 'REGB:FAILED'");
    exec_sql(&f, "INSERT INTO object_status (object_kind, object_id, status) SELECT 'contact', id, "
                 "'pendingDelete' FROM contact WHERE handle = 'REGB:PENDING'");
    exec_sql(&f, "UPDATE contact SET voice = '+45.70201235' WHERE handle = 'REGB:VOICE'");

    fd = candidates(&f, f.a, &why);
    assert_int_equal(why, LINKED_SOME);
    const char *want[] = {"REGA:OWN", "REGB:NFD", "REGB:SAME", "REGB:TRIM", "REGC:CASE"};
    assert_int_equal(fd.n, 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(fd.h[i], want[i]);
    assert_string_equal(fd.last.org, "Alpha Hosting ApS");

    /* another registrar's own handle with different data: none, and why */
    company(&f, f.b, "BOWN", "Beta", "Odense", "11111111", "b@beta.dk");
    OK(&f, registrar_own_handle_set(&op, "REGB", "REGB:BOWN", &st));
    fd = candidates(&f, f.b, &why);
    assert_int_equal(why, LINKED_SOME); /* its own handle itself */
    assert_int_equal(fd.n, 1);
    exec_sql(&f, "UPDATE contact SET linked_registrar_id = (SELECT id FROM registrar WHERE "
                 "handle = 'REGB') WHERE handle = 'REGB:BOWN'");
    fd = candidates(&f, f.b, &why);
    assert_int_equal(fd.n, 0);
    assert_int_equal(why, LINKED_NO_MATCH);

    /* the portal links candidates only */
    struct reg_op a = op_as(&f, f.a);
    EXPECT_REASON(&f, linked_link_candidate(&a, f.a, "REGB:CITY", &st), REG_ERR_POLICY, st,
                  "not exactly those");
    EXPECT_REASON(&f, linked_link_candidate(&a, f.a, "REGB:FAILED", &st), REG_ERR_POLICY, st,
                  "not active");
    EXPECT_REASON(&f, linked_link_candidate(&a, f.a, "REGB:NOPE", &st), REG_ERR_NOT_FOUND, st,
                  "does not exist");
    OK(&f, linked_link_candidate(&a, f.a, "regb:same", &st));
    EXPECT_REASON(&f, linked_link_candidate(&a, f.a, "REGB:SAME", &st), REG_ERR_EXISTS, st,
                  "linked already");
    fd = candidates(&f, f.a, &why);
    assert_int_equal(fd.n, 4); /* linked: no longer a candidate */
    struct reg_op c = op_as(&f, f.c);
    EXPECT_REASON(&f, linked_link_candidate(&c, f.c, "REGC:CASE", &st), REG_ERR_POLICY, st,
                  "no handle of its own");
    teardown(&f);
}

struct objects {
    int nd, nh;
    char domain[4][64], host[4][64];
    unsigned roles[4];
};

static void note_domain(const char *name, unsigned roles, void *arg)
{
    struct objects *o = arg;
    if (o->nd < 4) {
        snprintf(o->domain[o->nd], sizeof o->domain[0], "%s", name);
        o->roles[o->nd] = roles;
    }
    o->nd++;
}

static void note_host(const char *name, void *arg)
{
    struct objects *o = arg;
    if (o->nh < 4)
        snprintf(o->host[o->nh], sizeof o->host[0], "%s", name);
    o->nh++;
}

/* R28, R31, staff link/unlink and history */
static void linked_list_and_login(void **state)
{
    struct fixture f;
    setup(state, &f, "linked_list");
    reg_status st;
    struct reg_op op = staff(&f);
    struct reg_op a = op_as(&f, f.a);
    SAME(&f, f.a, "OWN");
    SAME(&f, f.a, "NS");
    make_contact(&f, "ADM", "adm@example.test", "Admin Person", NULL, NULL, NULL);
    OK(&f, registrar_own_handle_set(&op, "REGA", "REGA:OWN", &st));
    OK(&f, linked_link_candidate(&a, f.a, "REGA:NS", &st));
    struct domain_contact dc[] = {{"tech", "REGA:NS"}, {"admin", "REGA:ADM"}};
    make_domain(&f, "alpha-hosting.dk", "REGA:NS", dc, 2, NULL);
    struct domain_contact dc2[] = {{"tech", "REGA:NS"}, {"billing", "REGA:NS"}};
    make_domain(&f, "b\xc3\xa6r.dk", "REGA:ADM", dc2, 2, NULL);
    make_host(&f, f.a, "ns1.alpha-hosting.dk", "193.0.14.129");
    make_host(&f, f.a, "ns2.example.net", NULL);
    exec_sql(&f, "UPDATE host SET admin_contact_id = (SELECT id FROM contact WHERE handle = "
                 "'REGA:NS')");

    struct found fd = {0};
    OK(&f, linked_each(&a, f.a, note, &fd, &st));
    assert_int_equal(fd.n, 1);
    assert_string_equal(fd.last.handle, "REGA:NS");
    assert_string_equal(fd.last.name, NAME);
    assert_int_equal(fd.last.roles, LINKED_REGISTRANT | LINKED_TECH | LINKED_BILLING |
                                        LINKED_NS_ADMIN);
    assert_int_equal(fd.last.registrant, 1);
    assert_int_equal(fd.last.tech, 2);
    assert_int_equal(fd.last.admin, 0);
    assert_int_equal(fd.last.billing, 1);
    assert_int_equal(fd.last.domains, 2);
    assert_int_equal(fd.last.hosts, 2);

    struct objects o = {0};
    struct linked_handle line;
    OK(&f, linked_objects(&a, f.a, "REGA:NS", &line, note_domain, note_host, &o, &st));
    assert_int_equal(o.nd, 2);
    assert_string_equal(o.domain[0], "alpha-hosting.dk");
    assert_int_equal(o.roles[0], LINKED_REGISTRANT | LINKED_TECH);
    assert_string_equal(o.domain[1], "b\xc3\xa6r.dk");
    assert_int_equal(o.roles[1], LINKED_TECH | LINKED_BILLING);
    assert_int_equal(o.nh, 2);
    assert_string_equal(o.host[0], "ns1.alpha-hosting.dk");
    assert_int_equal(line.domains, 2);
    /* another registrar sees nothing of it */
    struct reg_op b = op_as(&f, f.b);
    memset(&o, 0, sizeof o);
    EXPECT_REASON(&f, linked_objects(&b, f.b, "REGA:NS", NULL, note_domain, note_host, &o, &st),
                  REG_ERR_NOT_FOUND, st, "not linked to REGB");
    assert_int_equal(o.nd, 0);
    EXPECT_REASON(&f, linked_objects(&a, f.a, "REGA:ADM", NULL, note_domain, note_host, &o, &st),
                  REG_ERR_NOT_FOUND, st, "not linked to REGA");

    /* R31: what the self-service login asks */
    struct contact_link_info info;
    OK(&f, contact_link_info(f.d, "rega:ns", &info, &st));
    assert_true(info.linked);
    assert_string_equal(info.registrar, "REGA");
    assert_string_equal(info.registrar_name, "Alpha Registrar");
    OK(&f, contact_link_info(f.d, "REGA:ADM", &info, &st));
    assert_false(info.linked);
    assert_string_equal(info.registrar, "");
    EXPECT_REASON(&f, contact_link_info(f.d, "REGA:NONE", &info, &st), REG_ERR_NOT_FOUND, st,
                  "does not exist");

    /* staff: link anything, but not twice; unlink from the right one */
    EXPECT_REASON(&f, contact_link(&op, "REGA:NS", "REGB", &st), REG_ERR_EXISTS, st,
                  "linked to REGA already: unlink it first");
    EXPECT_REASON(&f, contact_unlink(&b, "REGA:NS", f.b, &st), REG_ERR_NOT_FOUND, st,
                  "not linked to REGB");
    OK(&f, contact_unlink(&a, "REGA:NS", f.a, &st));
    EXPECT_REASON(&f, contact_unlink(&op, "REGA:NS", 0, &st), REG_ERR_NOT_FOUND, st,
                  "is not linked");
    OK(&f, contact_link(&op, "REGA:ADM", "regb", &st));
    EXPECT_REASON(&f, contact_link(&op, "REGA:ADM", "NOSUCH", &st), REG_ERR_NOT_FOUND, st,
                  "registrar NOSUCH does not exist");
    OK(&f, contact_link_info(f.d, "REGA:ADM", &info, &st));
    assert_string_equal(info.registrar, "REGB");
    memset(&fd, 0, sizeof fd);
    OK(&f, linked_each(&b, f.b, note, &fd, &st));
    assert_int_equal(fd.n, 1);
    assert_int_equal(fd.last.roles, LINKED_REGISTRANT | LINKED_ADMIN);
    OK(&f, contact_unlink(&op, "REGA:ADM", 0, &st));

    struct versions *v = history_of(&f, "contact", "REGA:NS");
    assert_int_equal(v->n, 3);
    assert_string_equal(v->v[1].action, "link");
    assert_string_equal(v->v[1].channel, "epp");
    assert_non_null(strstr(v->v[1].snapshot, "\"linked_registrar\":\"REGA\""));
    assert_string_equal(v->v[2].action, "unlink");
    assert_null(strstr(v->v[2].snapshot, "linked_registrar"));
    free(v);
    teardown(&f);
}

/* R30 */
static void linked_create_handle(void **state)
{
    struct fixture f;
    setup(state, &f, "linked_create");
    reg_status st;
    struct reg_op a = op_as(&f, f.a);
    struct contact_create_req r;
    memset(&r, 0, sizeof r);
    r.id = "web1";
    r.d.postal[CONTACT_LOC] = (struct contact_postal){.present = true, .name = "Web Master",
                                                      .city = "Aarhus", .cc = "DK"};
    char h[CONTACT_ID_MAX + 1];
    /* EPP's rules and words */
    EXPECT_REASON(&f, linked_create(&a, &r, h, &st), REG_ERR_MISSING, st,
                  "an email address is required");
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM contact", NULL), 0);
    r.d.email = "web@example.test";
    OK(&f, linked_create(&a, &r, h, &st));
    assert_string_equal(h, "REGA:WEB1");
    struct contact_link_info info;
    OK(&f, contact_link_info(f.d, h, &info, &st));
    assert_string_equal(info.registrar, "REGA");
    EXPECT_REASON(&f, linked_create(&a, &r, h, &st), REG_ERR_EXISTS, st, NULL);
    /* deleting a registrar unlinks the contacts others sponsor */
    struct reg_op op = staff(&f);
    OK(&f, contact_unlink(&op, "REGA:WEB1", 0, &st));
    OK(&f, contact_link(&op, "REGA:WEB1", "REGC", &st));
    struct registrar_deletion out;
    OK(&f, registrar_delete(&op, "REGC", &out, &st));
    assert_int_equal(out.links, 1);
    OK(&f, contact_link_info(f.d, "REGA:WEB1", &info, &st));
    assert_false(info.linked);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linked_text_comparison),
        BOTH_BACKENDS(linked_own_handle),
        BOTH_BACKENDS(linked_candidates_exact),
        BOTH_BACKENDS(linked_list_and_login),
        BOTH_BACKENDS(linked_create_handle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
