/* The registrar portal's contacts and hosts, registry side
 * (registry/portal_objects.h; issue 16), on both backends: a registrar's
 * contacts searched by handle, name or e-mail and paged, whether each is
 * in use, what uses a contact, and a registrar's hosts with their
 * addresses; another registrar's objects never listed. */
#include "regfixture.h"

#include <stdio.h>
#include <string.h>

#include "registry/domain.h"
#include "registry/portal_objects.h"

static void objects_setup(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    make_person(f, f->a, "HOLDER", "holder@example.test", "Hanne Holder", NULL);
    make_person(f, f->a, "TECH", "Tech@Example.TEST", "Tom Tech", NULL);
    make_person(f, f->a, "SPARE", "spare@other.test", "Sara 50%_off", NULL);
    make_person(f, f->b, "HOLDER", "holder@example.test", "Hanne Holder", NULL);
    make_domain_as(f, f->a, &(struct domain_create){TERMS, .name = "alpha.dk",
                   .registrant = "REGA:HOLDER", .ncontacts = 2,
                   .contacts = {{"tech", "REGA:TECH"}, {"admin", "REGA:HOLDER"}}});
    make_host(f, f->a, "ns1.alpha.dk", "193.0.14.129");
    make_host(f, f->a, "ns.example.net", NULL);
    make_host(f, f->b, "ns.other.net", NULL);
    exec_sql(f, "UPDATE host SET admin_contact_id = (SELECT id FROM contact WHERE handle = "
                "'REGA:TECH') WHERE name = 'ns.example.net'");
}

/* REGA's contacts matching q as "HANDLE(linked) …", *total how many match. */
static const char *contacts_of(struct fixture *f, const char *q, int64_t offset, size_t limit,
                               int64_t *total)
{
    static char out[1024];
    struct portal_contact_row rows[PORTAL_OBJECTS_PAGE_MAX];
    size_t n;
    reg_status st;
    struct reg_op op = op_as(f, f->a);
    OK(f, portal_contacts_page(&op, f->a, q, offset, limit, rows, &n, total, &st));
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strncat(out, " ", sizeof out - strlen(out) - 1);
        strncat(out, rows[i].handle, sizeof out - strlen(out) - 1);
        if (rows[i].linked)
            strncat(out, "(linked)", sizeof out - strlen(out) - 1);
    }
    return out;
}

static void portal_objects_contacts(void **state)
{
    struct fixture f;
    objects_setup(state, &f, "portal_obj_contacts");
    int64_t total = -1;
    assert_string_equal(contacts_of(&f, NULL, 0, 50, &total),
                        "REGA:HOLDER(linked) REGA:SPARE REGA:TECH(linked)");
    assert_int_equal(total, 3);
    /* by handle, name or e-mail, any case */
    assert_string_equal(contacts_of(&f, "rega:sp", 0, 50, &total), "REGA:SPARE");
    assert_string_equal(contacts_of(&f, "TOM", 0, 50, &total), "REGA:TECH(linked)");
    assert_string_equal(contacts_of(&f, "example.test", 0, 50, &total),
                        "REGA:HOLDER(linked) REGA:TECH(linked)");
    assert_int_equal(total, 2);
    /* LIKE's own characters are only themselves */
    assert_string_equal(contacts_of(&f, "50%_", 0, 50, &total), "REGA:SPARE");
    assert_string_equal(contacts_of(&f, "%", 0, 50, &total), "REGA:SPARE");
    assert_string_equal(contacts_of(&f, "_", 0, 50, &total), "REGA:SPARE");
    /* a page */
    assert_string_equal(contacts_of(&f, "", 1, 1, &total), "REGA:SPARE");
    assert_int_equal(total, 3);

    struct portal_contact_row rows[PORTAL_OBJECTS_PAGE_MAX];
    size_t n;
    reg_status st;
    struct reg_op op = op_as(&f, f.a);
    OK(&f, portal_contacts_page(&op, f.a, "holder", 0, 50, rows, &n, &total, &st));
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].name, "Hanne Holder");
    assert_string_equal(rows[0].email, "holder@example.test");
    assert_true(rows[0].created_at > 0);
    teardown(&f);
}

static void add_use(const char *name, const char *role, void *arg)
{
    char *out = arg;
    snprintf(out + strlen(out), 512 - strlen(out), "%s%s:%s", *out ? " " : "", name, role);
}

static void portal_objects_uses(void **state)
{
    struct fixture f;
    objects_setup(state, &f, "portal_obj_uses");
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    char out[512] = "";
    OK(&f, portal_contact_uses(&op, "REGA:HOLDER", 10, add_use, out, &st));
    assert_string_equal(out, "alpha.dk:admin alpha.dk:registrant");
    out[0] = '\0';
    OK(&f, portal_contact_uses(&op, "REGA:TECH", 10, add_use, out, &st));
    assert_string_equal(out, "alpha.dk:tech ns.example.net:host");
    out[0] = '\0';
    OK(&f, portal_contact_uses(&op, "REGA:TECH", 1, add_use, out, &st));
    assert_string_equal(out, "alpha.dk:tech");
    out[0] = '\0';
    OK(&f, portal_contact_uses(&op, "REGA:SPARE", 10, add_use, out, &st));
    assert_string_equal(out, "");
    teardown(&f);
}

static void portal_objects_hosts(void **state)
{
    struct fixture f;
    objects_setup(state, &f, "portal_obj_hosts");
    struct portal_host_row rows[PORTAL_OBJECTS_PAGE_MAX];
    size_t n;
    int64_t total;
    reg_status st;
    struct reg_op op = op_as(&f, f.a);
    OK(&f, portal_hosts_page(&op, f.a, NULL, 0, 50, rows, &n, &total, &st));
    assert_int_equal(n, 2); /* not REGB's */
    assert_int_equal(total, 2);
    assert_string_equal(rows[0].name, "ns.example.net");
    assert_string_equal(rows[0].addrs, "");
    assert_false(rows[0].linked);
    assert_string_equal(rows[1].name, "ns1.alpha.dk");
    assert_string_equal(rows[1].addrs, "193.0.14.129");
    OK(&f, portal_hosts_page(&op, f.a, "ALPHA", 0, 50, rows, &n, &total, &st));
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].name, "ns1.alpha.dk");
    OK(&f, portal_hosts_page(&op, f.a, "", 1, 50, rows, &n, &total, &st));
    assert_int_equal(n, 1);
    assert_int_equal(total, 2);
    assert_string_equal(rows[0].name, "ns1.alpha.dk");
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(portal_objects_contacts),
        BOTH_BACKENDS(portal_objects_uses),
        BOTH_BACKENDS(portal_objects_hosts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
