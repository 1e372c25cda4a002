/* The registrar portal's domains, registry side (registry/portal_domains.h;
 * issue 16), on both backends: the list's filters (name, status, expiry,
 * contact) and rows, the export in batches, and the portal's changes
 * through the operations EPP uses: name servers (history with the
 * portal's channel, EPP's refusals), auth info (R13), renewal, and the
 * bulk replacement of a name server (a dry run counts, a refusal undoes
 * everything); a domain's life: create with the management model and
 * terms, contacts and client statuses, DS records, delete verified (R8)
 * and restored, delete waiting for the registrant (R7), bulk renewal and
 * tech-contact replacement. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/billing.h"
#include "registry/domain.h"
#include "registry/portal_domains.h"

#define NS1 "ns1.example.net"
#define NS2 "ns2.example.net"
#define NS3 "ns3.example.net"

/* REGA's HOLDER and TECH, three hosts; alpha.dk (NS1, tech TECH), beta.dk
 * (NS1 NS2), gamma.dk (none), and REGB's other.dk. */
static void domains_setup(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    make_person(f, f->a, "HOLDER", "holder@example.test", "Holder", NULL);
    make_person(f, f->a, "TECH", "tech@example.test", "Tech", NULL);
    make_person(f, f->b, "HOLDER", "holder@example.test", "Holder", NULL);
    make_host(f, f->a, NS1, NULL);
    make_host(f, f->a, NS2, NULL);
    make_host(f, f->a, NS3, NULL);
    make_domain_as(f, f->a, &(struct domain_create){TERMS, .name = "alpha.dk",
                   .registrant = "REGA:HOLDER", .ns = {NS1}, .nns = 1, .ncontacts = 1,
                   .contacts = {{"tech", "REGA:TECH"}}});
    make_domain_as(f, f->a, &(struct domain_create){TERMS, .name = "beta.dk",
                   .registrant = "REGA:HOLDER", .ns = {NS1, NS2}, .nns = 2});
    make_domain_as(f, f->a, &(struct domain_create){TERMS, .name = "gamma.dk",
                   .registrant = "REGA:HOLDER", .period_months = 24});
    make_domain_as(f, f->b, &(struct domain_create){TERMS, .name = "other.dk",
                   .registrant = "REGB:HOLDER", .ns = {NS1}, .nns = 1});
}

/* The names of REGA's domains matching f, joined by spaces. */
static const char *names_of(struct fixture *f, const struct portal_domain_filter *flt,
                            int64_t *total)
{
    static char out[1024];
    static struct portal_domain_row rows[PORTAL_DOMAINS_PAGE_MAX];
    size_t n;
    reg_status st;
    struct reg_op op = op_as(f, f->a);
    OK(f, portal_domains_page(&op, f->a, flt, 0, PORTAL_DOMAINS_PAGE_MAX, rows, &n, total, &st));
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? " " : "", rows[i].name);
    return out;
}

static void portal_domains_list(void **state)
{
    struct fixture f;
    domains_setup(state, &f, "portal_dom_list");
    int64_t total;
    assert_string_equal(names_of(&f, &(struct portal_domain_filter){0}, &total),
                        "alpha.dk beta.dk gamma.dk");
    assert_int_equal(total, 3);
    assert_string_equal(names_of(&f, &(struct portal_domain_filter){.name = "ET"}, &total), "beta.dk");
    assert_int_equal(total, 1);
    /* LIKE's own characters are plain characters */
    assert_string_equal(names_of(&f, &(struct portal_domain_filter){.name = "%"}, NULL), "");
    assert_string_equal(names_of(&f, &(struct portal_domain_filter){.status = "inactive"}, NULL),
                        "gamma.dk");
    assert_string_equal(names_of(&f, &(struct portal_domain_filter){.status = "ok"}, NULL),
                        "alpha.dk beta.dk");
    assert_string_equal(
        names_of(&f, &(struct portal_domain_filter){.status = "clientHold"}, NULL), "");
    assert_string_equal(names_of(&f, &(struct portal_domain_filter){.contact = "rega:tech"}, NULL),
                        "alpha.dk");
    assert_string_equal(
        names_of(&f, &(struct portal_domain_filter){.contact = "REGA:HOLDER"}, NULL),
        "alpha.dk beta.dk gamma.dk");
    /* gamma.dk runs two years, the others one */
    assert_string_equal(names_of(&f, &(struct portal_domain_filter){.expires_from =
                                                                       f.now + 400 * DAY},
                                 NULL),
                        "gamma.dk");
    assert_string_equal(
        names_of(&f, &(struct portal_domain_filter){.expires_to = f.now + 400 * DAY}, NULL),
        "alpha.dk beta.dk");

    /* a row: lists and derived statuses; a page further on */
    struct portal_domain_row rows[2];
    size_t n;
    reg_status st;
    struct reg_op op = op_as(&f, f.a);
    OK(&f, portal_domains_page(&op, f.a, &(struct portal_domain_filter){0}, 1, 2, rows, &n,
                               NULL, &st));
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].name, "beta.dk");
    assert_string_equal(rows[0].ns, NS1 " " NS2);
    assert_string_equal(rows[0].statuses, "ok");
    assert_string_equal(rows[0].registrant, "REGA:HOLDER");
    assert_string_equal(rows[1].statuses, "inactive");
    OK(&f, portal_domains_page(&op, f.a, &(struct portal_domain_filter){0}, 0, 1, rows, &n, NULL,
                               &st));
    assert_string_equal(rows[0].tech, "REGA:TECH");
    assert_string_equal(rows[0].admin, "");
    teardown(&f);
}

struct collected {
    int n;
    char last[NAME_MAX_LEN + 1];
    bool sorted;
};

static int collect(const struct portal_domain_row *r, void *arg)
{
    struct collected *c = arg;
    if (c->n && strcmp(c->last, r->name) >= 0)
        c->sorted = false;
    snprintf(c->last, sizeof c->last, "%s", r->name);
    c->n++;
    return 0;
}

static void portal_domains_export(void **state)
{
    struct fixture f;
    domains_setup(state, &f, "portal_dom_export");
    /* more than a batch */
    for (int i = 0; i < PORTAL_DOMAINS_BATCH + 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "bulk%03d.dk", i);
        make_domain(&f, name, "REGA:HOLDER", NULL, 0, NULL);
    }
    reg_status st;
    struct reg_op op = op_as(&f, f.a);
    struct collected c = {.sorted = true};
    OK(&f, portal_domains_each(&op, f.a, &(struct portal_domain_filter){0}, collect, &c, &st));
    assert_int_equal(c.n, PORTAL_DOMAINS_BATCH + 8);
    assert_true(c.sorted);
    assert_string_equal(c.last, "gamma.dk");
    c = (struct collected){.sorted = true};
    OK(&f, portal_domains_each(&op, f.a, &(struct portal_domain_filter){.status = "ok"}, collect,
                               &c, &st));
    assert_int_equal(c.n, 2);
    teardown(&f);
}

/* The name servers of a domain, as stored, joined by spaces. */
static void expect_ns(struct fixture *f, const char *name, const char *want)
{
    struct domain d;
    reg_status st;
    struct reg_op op = op_as(f, f->a);
    OK(f, domain_load(&op, name, &d, NULL, 0, &st));
    char got[1024] = "";
    for (size_t i = 0; i < d.nns; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " " : "", d.ns[i]);
    domain_free(&d);
    assert_string_equal(got, want);
}

static struct reg_op portal_op(struct fixture *f, int64_t registrar)
{
    struct reg_op op = op_as(f, registrar);
    op.channel = "portal";
    op.svtrid = NULL;
    return op;
}

static void portal_domains_changes(void **state)
{
    struct fixture f;
    domains_setup(state, &f, "portal_dom_change");
    reg_status st;
    struct reg_op op = portal_op(&f, f.a);
    bool changed;

    /* name servers: the new set, recorded with the portal's channel */
    const char *ns[] = {NS3, "", "NS2.example.net"};
    EXPECT_OWN_TX(portal_domain_set_ns(&op, "alpha.dk", ns, 3, &changed, &st), REG_OK, st);
    assert_true(changed);
    expect_ns(&f, "alpha.dk", NS2 " " NS3);
    struct versions *v = history_of(&f, "domain", "alpha.dk");
    assert_string_equal(v->v[v->n - 1].channel, "portal");
    assert_string_equal(v->v[v->n - 1].actor, "REGA");
    free(v);
    EXPECT_OWN_TX(portal_domain_set_ns(&op, "alpha.dk", ns, 3, &changed, &st), REG_OK, st);
    assert_false(changed);
    /* EPP's refusal, and nothing changed */
    const char *unknown[] = {"ns9.example.net"};
    reg_status_clear(&st);
    expect_result(portal_domain_set_ns(&op, "alpha.dk", unknown, 1, &changed, &st),
                  REG_ERR_NOT_FOUND, &st, "host ns9.example.net does not exist", "set_ns",
                  __LINE__);
    expect_ns(&f, "alpha.dk", NS2 " " NS3);
    reg_status_clear(&st);
    expect_result(portal_domain_set_ns(&op, "other.dk", ns, 1, &changed, &st), REG_ERR_AUTHZ, &st,
                  "another registrar", "set_ns", __LINE__);

    /* auth info: set, then cleared */
    struct domain d;
    EXPECT_OWN_TX(portal_domain_set_authinfo(&op, "beta.dk", "Secret-Auth-1", &st), REG_OK, st);
    OK(&f, domain_load(&op, "beta.dk", &d, NULL, 0, &st));
    assert_true(d.has_authinfo);
    domain_free(&d);
    EXPECT_OWN_TX(portal_domain_set_authinfo(&op, "beta.dk", "", &st), REG_OK, st);
    OK(&f, domain_load(&op, "beta.dk", &d, NULL, 0, &st));
    assert_false(d.has_authinfo);
    reg_time before = d.expires_at;
    domain_free(&d);

    /* renewal from the date shown; the same form again is refused */
    char date[16];
    clock_format_date(before, date, sizeof date);
    reg_time after;
    EXPECT_OWN_TX(portal_domain_renew(&op, "beta.dk", date, 2, &after, &st), REG_OK, st);
    assert_int_equal(after, clock_add_months(before, 24));
    reg_status_clear(&st);
    expect_result(portal_domain_renew(&op, "beta.dk", date, 1, &after, &st), REG_ERR_POLICY, &st,
                  "is not the expiry date", "renew", __LINE__);
    teardown(&f);
}

static void portal_domains_bulk(void **state)
{
    struct fixture f;
    domains_setup(state, &f, "portal_dom_bulk");
    reg_status st;
    struct reg_op op = portal_op(&f, f.a);
    size_t changed;
    const char *names[] = {"alpha.dk", "beta.dk", "gamma.dk"};
    /* the confirmation's count; nothing written */
    EXPECT_OWN_TX(portal_domains_replace_ns(&op, names, 3, NS1, NS3, true, &changed, &st), REG_OK,
                  st);
    assert_int_equal(changed, 2);
    expect_ns(&f, "alpha.dk", NS1);
    /* one refusal undoes everything, naming the domain */
    const char *with_other[] = {"alpha.dk", "beta.dk", "other.dk"};
    reg_status_clear(&st);
    expect_result(portal_domains_replace_ns(&op, with_other, 3, NS1, NS3, false, &changed, &st),
                  REG_ERR_AUTHZ, &st, "other.dk", "replace_ns", __LINE__);
    expect_ns(&f, "alpha.dk", NS1);
    expect_ns(&f, "beta.dk", NS1 " " NS2);
    /* a name server the domain has already is not added twice */
    EXPECT_OWN_TX(portal_domains_replace_ns(&op, names, 3, NS1, NS2, false, &changed, &st), REG_OK,
                  st);
    assert_int_equal(changed, 2);
    expect_ns(&f, "alpha.dk", NS2);
    expect_ns(&f, "beta.dk", NS2);
    expect_ns(&f, "gamma.dk", "");
    reg_status_clear(&st);
    expect_result(portal_domains_replace_ns(&op, names, 3, NS2, "ns2.EXAMPLE.net", false,
                                            &changed, &st),
                  REG_ERR_POLICY, &st, "the old one", "replace_ns", __LINE__);
    teardown(&f);
}

/* The contacts of a domain as "role:HANDLE" joined by spaces, and its
 * stored statuses joined by spaces. */
static void expect_contacts(struct fixture *f, const char *name, const char *contacts,
                            const char *statuses)
{
    struct domain d;
    reg_status st;
    struct reg_op op = op_as(f, f->a);
    OK(f, domain_load(&op, name, &d, NULL, 0, &st));
    char got[1024] = "", sts[1024] = "";
    for (size_t i = 0; i < d.ncontacts; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s:%s", i ? " " : "",
                 d.contacts[i].role, d.contacts[i].handle);
    for (size_t i = 0; i < d.statuses.n; i++)
        snprintf(sts + strlen(sts), sizeof sts - strlen(sts), "%s%s", i ? " " : "",
                 d.statuses.items[i].name);
    domain_free(&d);
    assert_string_equal(got, contacts);
    if (statuses)
        assert_string_equal(sts, statuses);
}

static void portal_domains_life(void **state)
{
    struct fixture f;
    domains_setup(state, &f, "portal_dom_life");
    make_person(&f, f.a, "TECH2", "tech2@example.test", "Tech Two", NULL);
    reg_status st;
    struct reg_op op = portal_op(&f, f.a);
    struct domain d;

    /* create: R18 model and R20 terms as given, history with the portal's channel */
    EXPECT_OWN_TX(portal_domain_create(&op, &(struct domain_create){TERMS, .name = "neu.dk",
                                                  .registrant = "REGA:HOLDER",
                                                  .management = "registrant"},
                                       &d, &st),
                  REG_OK, st);
    assert_string_equal(d.management, "registrant");
    assert_string_equal(d.terms_version, "1.0");
    domain_free(&d);
    struct versions *v = history_of(&f, "domain", "neu.dk");
    assert_string_equal(v->v[v->n - 1].channel, "portal");
    free(v);
    reg_status_clear(&st);
    expect_result(portal_domain_create(&op, &(struct domain_create){TERMS, .name = "neu2.dk",
                                                   .registrant = "REGA:NOSUCH"},
                                       &d, &st),
                  REG_ERR_NOT_FOUND, &st, "contact REGA:NOSUCH does not exist", "create",
                  __LINE__);

    /* contacts and client statuses become exactly those given */
    bool changed;
    struct portal_domain_contacts in = {.admin = {"REGA:TECH2"}, .nadmin = 1,
                                        .tech = {"REGA:TECH2", "REGA:TECH"}, .ntech = 2,
                                        .statuses = {"clientHold"}, .nstatuses = 1};
    EXPECT_OWN_TX(portal_domain_set_contacts(&op, "alpha.dk", &in, &changed, &st), REG_OK, st);
    assert_true(changed);
    expect_contacts(&f, "alpha.dk", "admin:REGA:TECH2 tech:REGA:TECH tech:REGA:TECH2",
                    "clientHold");
    EXPECT_OWN_TX(portal_domain_set_contacts(&op, "alpha.dk", &in, &changed, &st), REG_OK, st);
    assert_false(changed);
    in = (struct portal_domain_contacts){.tech = {"REGA:TECH"}, .ntech = 1};
    EXPECT_OWN_TX(portal_domain_set_contacts(&op, "alpha.dk", &in, &changed, &st), REG_OK, st);
    expect_contacts(&f, "alpha.dk", "tech:REGA:TECH", "");
    reg_status_clear(&st);
    expect_result(portal_domain_set_contacts(&op, "other.dk", &in, &changed, &st), REG_ERR_AUTHZ,
                  &st, "another registrar", "set_contacts", __LINE__);

    /* DS records: added, refused by EPP's rules, removed */
    struct ds_data ds = {12345, 13, 2, ""};
    memset(ds.digest, 'A', 64);
    EXPECT_OWN_TX(portal_domain_ds(&op, "beta.dk", &ds, NULL, &st), REG_OK, st);
    OK(&f, domain_load(&op, "beta.dk", &d, NULL, 0, &st));
    assert_int_equal(d.nds, 1);
    domain_free(&d);
    struct ds_data bad = {1, 13, 2, "ABC"};
    reg_status_clear(&st);
    expect_result(portal_domain_ds(&op, "beta.dk", &bad, NULL, &st), REG_ERR_POLICY, &st,
                  "64 hex digits", "ds", __LINE__);
    EXPECT_OWN_TX(portal_domain_ds(&op, "beta.dk", NULL, &ds, &st), REG_OK, st);
    OK(&f, domain_load(&op, "beta.dk", &d, NULL, 0, &st));
    assert_int_equal(d.nds, 0);
    domain_free(&d);

    /* delete: R8 at once into redemption, then restored; R7 waits for the registrant */
    enum domain_delete_outcome out;
    EXPECT_OWN_TX(portal_domain_delete(&op, "gamma.dk", true, &out, &st), REG_OK, st);
    assert_int_equal(out, DOMAIN_DELETE_REDEMPTION);
    OK(&f, domain_load(&op, "gamma.dk", &d, NULL, 0, &st));
    assert_string_equal(d.rgp, "redemptionPeriod");
    domain_free(&d);
    EXPECT_OWN_TX(portal_domain_restore(&op, "gamma.dk", &st), REG_OK, st);
    OK(&f, domain_load(&op, "gamma.dk", &d, NULL, 0, &st));
    assert_string_equal(d.rgp, "");
    domain_free(&d);
    reg_status_clear(&st);
    expect_result(portal_domain_restore(&op, "gamma.dk", &st), REG_ERR_NOT_RENEWABLE, &st,
                  "not in its redemption period", "restore", __LINE__);
    EXPECT_OWN_TX(portal_domain_delete(&op, "neu.dk", false, &out, &st), REG_OK, st);
    assert_int_equal(out, DOMAIN_DELETE_AWAITING_REGISTRANT);
    OK(&f, domain_load(&op, "neu.dk", &d, NULL, 0, &st));
    assert_string_equal(d.pending_action, "delete");
    domain_free(&d);
    teardown(&f);
}

static void portal_domains_bulk_life(void **state)
{
    struct fixture f;
    domains_setup(state, &f, "portal_dom_bulk_life");
    make_person(&f, f.a, "TECH2", "tech2@example.test", "Tech Two", NULL);
    reg_status st;
    struct reg_op op = portal_op(&f, f.a);
    size_t changed;
    struct domain d;
    OK(&f, domain_load(&op, "alpha.dk", &d, NULL, 0, &st));
    reg_time before = d.expires_at;
    domain_free(&d);
    const char *names[] = {"alpha.dk", "beta.dk"};
    /* renewal: the dry run counts, says the charge and writes nothing; a
     * refusal undoes all */
    set_price(&f, "renew", 2, 25000, 0, 0);
    post_entry(&f, f.a, "credit", 100000, "top-up");
    int64_t charged = -1, balance_before, balance;
    OK(&f, billing_balance(f.d, f.a, &balance_before, &st));
    EXPECT_OWN_TX(portal_domains_renew(&op, names, 2, 2, true, &changed, &charged, &st), REG_OK, st);
    assert_int_equal(changed, 2);
    assert_int_equal(charged, 50000);
    OK(&f, billing_balance(f.d, f.a, &balance, &st));
    assert_int_equal(balance, balance_before);
    OK(&f, domain_load(&op, "alpha.dk", &d, NULL, 0, &st));
    assert_int_equal(d.expires_at, before);
    domain_free(&d);
    const char *with_other[] = {"alpha.dk", "other.dk"};
    reg_status_clear(&st);
    expect_result(portal_domains_renew(&op, with_other, 2, 1, false, &changed, &charged, &st),
                  REG_ERR_AUTHZ, &st, "other.dk", "renew", __LINE__);
    EXPECT_OWN_TX(portal_domains_renew(&op, names, 2, 2, false, &changed, &charged, &st), REG_OK, st);
    assert_int_equal(changed, 2);
    assert_int_equal(charged, 50000);
    OK(&f, billing_balance(f.d, f.a, &balance, &st));
    assert_int_equal(balance, balance_before - 50000);
    OK(&f, domain_load(&op, "alpha.dk", &d, NULL, 0, &st));
    assert_int_equal(d.expires_at, clock_add_months(before, 24));
    domain_free(&d);

    /* tech contact: only where it is; an unknown new one undoes all */
    const char *three[] = {"alpha.dk", "beta.dk", "gamma.dk"};
    EXPECT_OWN_TX(portal_domains_replace_tech(&op, three, 3, "REGA:TECH", "REGA:TECH2", true,
                                              &changed, &st),
                  REG_OK, st);
    assert_int_equal(changed, 1);
    expect_contacts(&f, "alpha.dk", "tech:REGA:TECH", NULL);
    reg_status_clear(&st);
    expect_result(portal_domains_replace_tech(&op, three, 3, "REGA:TECH", "REGA:NONE", false,
                                              &changed, &st),
                  REG_ERR_NOT_FOUND, &st, "alpha.dk: contact REGA:NONE does not exist",
                  "replace_tech", __LINE__);
    EXPECT_OWN_TX(portal_domains_replace_tech(&op, three, 3, "REGA:TECH", "REGA:TECH2", false,
                                              &changed, &st),
                  REG_OK, st);
    assert_int_equal(changed, 1);
    expect_contacts(&f, "alpha.dk", "tech:REGA:TECH2", NULL);
    reg_status_clear(&st);
    expect_result(portal_domains_replace_tech(&op, three, 3, "REGA:TECH2", "rega:tech2", false,
                                              &changed, &st),
                  REG_ERR_POLICY, &st, "the old one", "replace_tech", __LINE__);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(portal_domains_list),
        BOTH_BACKENDS(portal_domains_export),
        BOTH_BACKENDS(portal_domains_changes),
        BOTH_BACKENDS(portal_domains_bulk),
        BOTH_BACKENDS(portal_domains_life),
        BOTH_BACKENDS(portal_domains_bulk_life),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
