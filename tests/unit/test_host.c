/* Host objects (src/registry/host.c, RFC 5732) on both backends: host
 * name rules (names_host), address rules, create / info / update / rename /
 * delete, the linked status, regh:admin, and the history rows every change
 * leaves (R40). */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "registry/host.h"
#include "registry/status.h"

/* The fixture with REGA's contacts REGA:HOLDER and REGA:NSADMIN and the
 * domains example.dk and other.dk of REGA and theirs.dk of REGB. */
static void open_fx(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    make_person(f, f->a, "HOLDER", "holder@example.net", "Jens Hansen", NULL);
    make_person(f, f->a, "NSADMIN", "ns@example.net", "Nis Admin", NULL);
    make_person(f, f->b, "HOLDER", "holder@example.net", "Jens Hansen", NULL);
    make_domain(f, "example.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain(f, "other.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain_as(f, f->b, &(struct domain_create){.name = "theirs.dk",
                                                    .registrant = "REGB:HOLDER", TERMS});
}

static int64_t domain_id(struct fixture *f, const char *name)
{
    return scalar(f, "SELECT id FROM domain WHERE name = ?", name);
}

/* Domain `name` of `op`'s registrar gets (add) or loses the name server `host`. */
static void link_host(struct fixture *f, const struct reg_op *op, const char *name,
                      const char *host, bool add)
{
    struct domain_update u = {.name = name};
    if (add)
        u.add_ns[u.nadd_ns++] = host;
    else
        u.rem_ns[u.nrem_ns++] = host;
    reg_status st;
    OK(f, domain_update(op, &u, &st));
}

#define expect_ok(e, st, what) expect_result((e), REG_OK, (st), NULL, (what), __LINE__)
#define expect_err(e, want, st, needle) expect_result((e), (want), (st), (needle), #e, __LINE__)

/* Each write in its own transaction, as the EPP batch would. */
static reg_err create(struct fixture *f, const struct reg_op *op, const char *name,
                      const char *const *addrs, const char *admin, reg_status *st)
{
    struct host_addr_in in[32];
    size_t n = 0;
    for (; addrs && addrs[n]; n++)
        in[n] = (struct host_addr_in){.addr = addrs[n], .version = strchr(addrs[n], ':') ? 6 : 4};
    struct host_create req = {.name = name, .addrs = in, .naddrs = n, .admin = admin};
    reg_status_clear(st);
    return TX(f, host_create(op, &req, NULL, st));
}

static reg_err update(struct fixture *f, const struct reg_op *op, const struct host_update *req,
                      reg_status *st)
{
    reg_status_clear(st);
    return TX(f, host_update(op, req, st));
}

static reg_err delete_host(struct fixture *f, const struct reg_op *op, const char *name,
                           reg_status *st)
{
    reg_status_clear(st);
    return TX(f, host_delete(op, name, st));
}

static void info_ok(const struct reg_op *op, const char *name, struct host *h)
{
    reg_status st = {0};
    expect_ok(host_info(op, name, h, &st), &st, name);
}

static bool has_addr(const struct host *h, const char *addr, int version)
{
    for (size_t i = 0; i < h->naddrs; i++)
        if (!strcmp(h->addrs[i].addr, addr) && h->addrs[i].version == version)
            return true;
    return false;
}

/* ---- names --------------------------------------------------------------- */

static void expect_name(const char *in, const char *want)
{
    char out[NAME_MAX_LEN + 1] = "";
    reg_status st = {0};
    reg_err e = names_host(in, out, &st);
    if (want) {
        if (e)
            fail_msg("host name \"%s\" refused: %s", in, reg_status_text(&st));
        assert_string_equal(out, want);
    } else {
        if (!e)
            fail_msg("host name \"%s\" accepted as \"%s\"", in ? in : "(null)", out);
        assert_int_equal(st.code, REG_ERR_INVALID);
        assert_true(st.reason[0] != '\0');
    }
}

static void name_rules(void **state)
{
    (void)state;
    char label63[64], label64[65], long_name[300];
    memset(label63, 'a', 63);
    label63[63] = '\0';
    memset(label64, 'a', 64);
    label64[64] = '\0';
    expect_name("ns1.example.net", "ns1.example.net");
    expect_name("NS1.Example.NET.", "ns1.example.net");
    expect_name("ns1.example.dk", "ns1.example.dk");
    expect_name("a.b", "a.b");
    expect_name("1ns.9example.net", "1ns.9example.net");
    expect_name("ns-1.ex-ample.net", "ns-1.ex-ample.net");
    expect_name("ns1.blåbær.dk", "ns1.xn--blbr-roah.dk");
    expect_name("ns1.xn--blbr-roah.dk", "ns1.xn--blbr-roah.dk");
    expect_name("NS1.blåbær.DK", "ns1.xn--blbr-roah.dk"); /* ASCII case folded */
    expect_name("NS1.BLÅBÆR.DK", NULL); /* IDNA2008 strictly: Å is not mapped (issue 12 item 8) */
    expect_name("ns1.XN--BLBR-ROAH.dk", "ns1.xn--blbr-roah.dk");
    char with63[128];
    snprintf(with63, sizeof with63, "%s.example.net", label63);
    expect_name(with63, with63);
    /* 63 + 1 + 63 + 1 + 63 + 1 + 57 + 4 (".net") = 253 characters: the limit */
    snprintf(long_name, sizeof long_name, "%s.%s.%s.%.*s.net", label63, label63, label63, 57,
             label63);
    assert_int_equal(strlen(long_name), 253);
    expect_name(long_name, long_name);
    snprintf(long_name, sizeof long_name, "%s.%s.%s.%.*s.net", label63, label63, label63, 58,
             label63);
    assert_int_equal(strlen(long_name), 254);
    expect_name(long_name, NULL);

    expect_name(NULL, NULL);
    expect_name("", NULL);
    expect_name(".", NULL);
    expect_name("localhost", NULL);      /* one label */
    expect_name("ns1..example.net", NULL);
    expect_name(".example.net", NULL);
    expect_name("-ns.example.net", NULL);
    expect_name("ns-.example.net", NULL);
    expect_name("ns_1.example.net", NULL);
    expect_name("ns 1.example.net", NULL);
    expect_name("ab--cd.example.net", NULL); /* reserved for A-labels */
    expect_name("xn--zz.example.net", NULL); /* not a valid A-label */
    expect_name("192.0.2.1", NULL);          /* last label all digits */
    snprintf(with63, sizeof with63, "%s.example.net", label64);
    expect_name(with63, NULL);

    reg_status st = {0};
    char out[NAME_MAX_LEN + 1];
    assert_int_equal(names_host("ns_1.example.net", out, &st), REG_ERR_INVALID);
    assert_non_null(strstr(st.reason, "'_'"));
}

static void bailiwick_rules(void **state)
{
    (void)state;
    struct registry_policy policy = {0};
    dk_policy(&policy);
    char dom[NAME_MAX_LEN + 1];
    assert_true(host_in_bailiwick(&policy, "ns1.example.dk", dom));
    assert_string_equal(dom, "example.dk");
    assert_true(host_in_bailiwick(&policy, "a.b.c.example.dk", dom));
    assert_string_equal(dom, "example.dk");
    assert_true(host_in_bailiwick(&policy, "example.dk", dom));
    assert_string_equal(dom, "example.dk");
    assert_false(host_in_bailiwick(&policy, "ns1.example.net", dom));
    assert_false(host_in_bailiwick(&policy, "ns1.exampledk.net", dom));
    assert_false(host_in_bailiwick(&policy, "ns1.example.dk.net", dom));
    assert_false(host_in_bailiwick(&policy, "ns1.notdk", dom));
}

/* ---- addresses ------------------------------------------------------------ */

static void expect_addr(const struct registry_policy *p, const char *in, int version,
                        const char *want, reg_err want_err)
{
    struct host_addr a;
    memset(&a, 0, sizeof a);
    reg_status st = {0};
    reg_err e = host_addr_parse(p, in, version, &a, &st);
    if (want_err) {
        if (e != want_err)
            fail_msg("address %s (v%d): expected %s, got %s (%s)", in, version,
                     reg_errname(want_err), reg_errname(e), st.reason);
        assert_true(st.reason[0] != '\0');
        return;
    }
    if (e)
        fail_msg("address %s refused: %s", in, st.reason);
    assert_string_equal(a.addr, want);
    assert_int_equal(a.version, strchr(want, ':') ? 6 : 4);
}

static void address_rules(void **state)
{
    (void)state;
    struct registry_policy policy = {0};
    dk_policy(&policy);
    const struct registry_policy *p = &policy;
    expect_addr(p, "193.0.14.129", 4, "193.0.14.129", REG_OK);
    expect_addr(p, "193.0.14.129", 0, "193.0.14.129", REG_OK);
    expect_addr(p, "2A00:1450:4001:0830:0000:0000:0000:200E", 6, "2a00:1450:4001:830::200e",
                REG_OK);
    expect_addr(p, "2001:0678:0004:0000:0000:0000:0000:0001", 6, "2001:678:4::1", REG_OK);
    /* syntax and family */
    expect_addr(p, "193.0.14.129", 6, NULL, REG_ERR_INVALID);
    expect_addr(p, "2001:678:4::1", 4, NULL, REG_ERR_INVALID);
    expect_addr(p, "300.1.1.1", 4, NULL, REG_ERR_INVALID);
    expect_addr(p, "1.2.3", 4, NULL, REG_ERR_INVALID);
    expect_addr(p, "193.000.14.129", 4, NULL, REG_ERR_INVALID);
    expect_addr(p, "ns1.example.net", 4, NULL, REG_ERR_INVALID);
    expect_addr(p, "2001:678::4::1", 6, NULL, REG_ERR_INVALID);
    expect_addr(p, "", 4, NULL, REG_ERR_INVALID);
    /* special-purpose ranges */
    static const char *const refused[] = {
        "0.1.2.3", "10.1.2.3", "100.64.0.1", "127.0.0.1", "169.254.1.1", "172.16.0.1",
        "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.1.1", "198.18.0.1",
        "198.51.100.7", "203.0.113.9", "224.0.0.251", "239.255.255.250", "240.0.0.1",
        "255.255.255.255", "::", "::1", "::ffff:193.0.14.129", "64:ff9b::c000:201",
        "100::1", "2001::1", "2001:2::1", "2001:10::1", "2001:db8::1", "2002:c000:201::1",
        "3fff::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "4000::1",
        "::193.0.14.129",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        expect_addr(p, refused[i], 0, NULL, REG_ERR_POLICY);
    expect_addr(p, "172.32.0.1", 4, "172.32.0.1", REG_OK);
    expect_addr(p, "100.128.0.1", 4, "100.128.0.1", REG_OK);
    /* the reason names the range */
    struct host_addr a;
    reg_status st = {0};
    assert_int_equal(host_addr_parse(p, "10.0.0.1", 4, &a, &st), REG_ERR_POLICY);
    assert_non_null(strstr(st.reason, "private"));
    assert_int_equal(host_addr_parse(p, "2001:db8::1", 6, &a, &st), REG_ERR_POLICY);
    assert_non_null(strstr(st.reason, "documentation"));
    /* [host] allow_private = true */
    struct registry_policy lax = policy;
    lax.allow_private_addresses = true;
    expect_addr(&lax, "10.1.2.3", 4, "10.1.2.3", REG_OK);
    expect_addr(&lax, "FE80::1", 6, "fe80::1", REG_OK);
    expect_addr(&lax, "300.1.1.1", 4, NULL, REG_ERR_INVALID);
}

/* ---- create and info --------------------------------------------------------- */

static void create_external(void **state)
{
    struct fixture f;
    open_fx(state, &f, "host_ext");
    struct reg_op a = op_of(&f, "REGA"), b = op_of(&f, "REGB");
    reg_status st;
    expect_ok(create(&f, &a, "NS1.Example.NET.", NULL, NULL, &st), &st, "create");
    struct host h;
    info_ok(&b, "ns1.example.net", &h); /* any registrar may read */
    assert_string_equal(h.name, "ns1.example.net");
    char roid[48];
    snprintf(roid, sizeof roid, "H%lld-DK", (long long)h.id);
    assert_string_equal(h.roid, roid);
    assert_string_equal(h.sponsor, "REGA");
    assert_string_equal(h.creator, "REGA");
    assert_string_equal(h.updater, "");
    assert_int_equal(h.created_at, T0);
    assert_int_equal(h.updated_at, 0);
    assert_int_equal(h.superordinate_id, 0);
    assert_int_equal(h.naddrs, 0);
    assert_int_equal(h.status.n, 0);
    assert_false(h.linked);
    assert_string_equal(h.admin, "");
    host_free(&h);

    const char *v4[] = {"193.0.14.129", NULL};
    expect_err(create(&f, &a, "ns1.example.net", NULL, NULL, &st), REG_ERR_EXISTS, &st, "exists");
    expect_err(create(&f, &b, "NS1.EXAMPLE.NET", NULL, NULL, &st), REG_ERR_EXISTS, &st, NULL);
    expect_err(create(&f, &a, "ns2.example.net", v4, NULL, &st), REG_ERR_POLICY, &st,
               "addresses are only for hosts under .dk");
    expect_err(create(&f, &a, "ns_2.example.net", NULL, NULL, &st), REG_ERR_INVALID, &st, NULL);
    expect_err(create(&f, &a, "ns2.example.net", NULL, "REGA:NOBODY", &st), REG_ERR_NOT_FOUND,
               &st, "REGA:NOBODY");
    expect_err(create(&f, &a, "ns2.example.net", NULL, "bad handle!", &st), REG_ERR_INVALID, &st,
               NULL);
    /* regh:admin: the contact's id, any case */
    expect_ok(create(&f, &a, "ns2.example.net", NULL, "rega:nsadmin", &st), &st, "create+admin");
    info_ok(&a, "ns2.example.net", &h);
    assert_string_equal(h.admin, "REGA:NSADMIN");
    host_free(&h);

    /* staff (registrar 0) cannot create: a host needs a sponsor */
    struct reg_op regctl = staff(&f);
    expect_err(create(&f, &regctl, "ns3.example.net", NULL, NULL, &st), REG_ERR_AUTHZ, &st, NULL);

    assert_int_equal(host_info(&a, "ns9.example.net", &h, &st), REG_ERR_NOT_FOUND);
    assert_non_null(strstr(st.reason, "ns9.example.net"));
    assert_int_equal(host_info(&a, "bad_name.example.net", &h, &st), REG_ERR_INVALID);
    assert_int_equal(scalar(&f, "SELECT count(*) FROM host", NULL), 2);
    teardown(&f);
}

static void create_in_bailiwick(void **state)
{
    struct fixture f;
    open_fx(state, &f, "host_in");
    struct reg_op a = op_of(&f, "REGA");
    reg_status st;
    const char *two[] = {"193.0.14.129", "2001:678:4::1", "193.0.14.129", "2001:0678:4::1", NULL};
    const char *one[] = {"193.0.14.129", NULL};
    expect_err(create(&f, &a, "ns1.missing.dk", one, NULL, &st), REG_ERR_NOT_FOUND, &st,
               "superordinate domain missing.dk does not exist");
    expect_err(create(&f, &a, "ns1.theirs.dk", one, NULL, &st), REG_ERR_AUTHZ, &st, "theirs.dk");
    expect_err(create(&f, &a, "ns1.example.dk", NULL, NULL, &st), REG_ERR_MISSING, &st,
               "at least one address");
    const char *priv[] = {"10.0.0.1", NULL};
    expect_err(create(&f, &a, "ns1.example.dk", priv, NULL, &st), REG_ERR_POLICY, &st, "private");

    /* 14 IPv4 addresses: one too many */
    char buf[14][24]; /* room for any int: gcc -O1 checks it */
    const char *many[15];
    for (int i = 0; i < 14; i++) {
        snprintf(buf[i], sizeof buf[i], "193.0.14.%d", i + 1);
        many[i] = buf[i];
    }
    many[14] = NULL;
    expect_err(create(&f, &a, "ns1.example.dk", many, NULL, &st), REG_ERR_POLICY, &st,
               "at most 13 IPv4");
    many[13] = NULL;
    expect_ok(create(&f, &a, "ns13.example.dk", many, NULL, &st), &st, "13 addresses");

    expect_ok(create(&f, &a, "ns1.example.dk", two, NULL, &st), &st, "create");
    struct host h;
    info_ok(&a, "ns1.example.dk", &h);
    assert_int_equal(h.superordinate_id, domain_id(&f, "example.dk"));
    assert_string_equal(h.superordinate, "example.dk");
    assert_int_equal(h.naddrs, 2); /* duplicates ignored */
    assert_string_equal(h.addrs[0].addr, "193.0.14.129");
    assert_int_equal(h.addrs[0].version, 4);
    assert_string_equal(h.addrs[1].addr, "2001:678:4::1");
    assert_int_equal(h.addrs[1].version, 6);
    host_free(&h);

    /* the host named like the domain itself is in-bailiwick too */
    expect_ok(create(&f, &a, "example.dk", one, NULL, &st), &st, "apex host");
    info_ok(&a, "example.dk", &h);
    assert_int_equal(h.superordinate_id, domain_id(&f, "example.dk"));
    host_free(&h);

    /* a pendingDelete superordinate domain takes no new hosts */
    assert_int_equal(status_add(f.d, "domain", domain_id(&f, "other.dk"), "pendingDelete", NULL),
                     REG_OK);
    expect_err(create(&f, &a, "ns1.other.dk", one, NULL, &st), REG_ERR_STATUS_PROHIBITS, &st,
               "pendingDelete");

    /* private addresses where the policy allows them */
    struct registry_policy lax = f.policy;
    lax.allow_private_addresses = true;
    struct reg_op op = a;
    op.policy = &lax;
    expect_ok(create(&f, &op, "ns2.example.dk", priv, NULL, &st), &st, "private allowed");
    teardown(&f);
}

/* ---- update ------------------------------------------------------------------ */

static void update_addresses_and_statuses(void **state)
{
    struct fixture f;
    open_fx(state, &f, "host_upd");
    struct reg_op a = op_of(&f, "REGA"), b = op_of(&f, "REGB");
    reg_status st;
    const char *one[] = {"193.0.14.129", NULL};
    expect_ok(create(&f, &a, "ns1.example.dk", one, NULL, &st), &st, "create");
    expect_ok(create(&f, &a, "ns.external.net", NULL, NULL, &st), &st, "create ext");

    struct host_addr_in add[] = {{"2001:678:4::1", 6}, {"193.0.14.130", 4}, {"193.0.14.129", 4}};
    struct host_addr_in rem[] = {{"193.0.14.129", 4}};
    struct host_update u = {.name = "ns1.example.dk", .add_addrs = add, .nadd_addrs = 3};
    /* adding an address it has is a no-op */
    expect_ok(update(&f, &a, &u, &st), &st, "add addrs");
    struct host h;
    info_ok(&a, "ns1.example.dk", &h);
    assert_int_equal(h.naddrs, 3);
    assert_true(has_addr(&h, "2001:678:4::1", 6));
    assert_string_equal(h.updater, "REGA");
    assert_int_equal(h.updated_at, T0);
    host_free(&h);

    /* add and remove the same */
    u = (struct host_update){.name = "ns1.example.dk", .add_addrs = rem, .nadd_addrs = 1,
                             .rem_addrs = rem, .nrem_addrs = 1};
    expect_err(update(&f, &a, &u, &st), REG_ERR_POLICY, &st, "both added and removed");
    u = (struct host_update){.name = "ns1.example.dk", .rem_addrs = rem, .nrem_addrs = 1};
    expect_ok(update(&f, &a, &u, &st), &st, "rem addr");
    expect_err(update(&f, &a, &u, &st), REG_ERR_POLICY, &st, "has no address 193.0.14.129");
    struct host_addr_in bad[] = {{"10.0.0.1", 4}}, wrongfam[] = {{"193.0.14.1", 6}};
    u = (struct host_update){.name = "ns1.example.dk", .add_addrs = bad, .nadd_addrs = 1};
    expect_err(update(&f, &a, &u, &st), REG_ERR_POLICY, &st, "private");
    u.add_addrs = wrongfam;
    expect_err(update(&f, &a, &u, &st), REG_ERR_INVALID, &st, "ip=\"v6\"");

    /* never the last address of an in-bailiwick host */
    struct host_addr_in all[] = {{"2001:678:4::1", 6}, {"193.0.14.130", 4}};
    u = (struct host_update){.name = "ns1.example.dk", .rem_addrs = all, .nrem_addrs = 2};
    expect_err(update(&f, &a, &u, &st), REG_ERR_POLICY, &st, "at least one address");
    /* external hosts take none */
    u = (struct host_update){.name = "ns.external.net", .add_addrs = add, .nadd_addrs = 1};
    expect_err(update(&f, &a, &u, &st), REG_ERR_POLICY, &st, "addresses are only for hosts under");

    /* only the sponsor; a missing host is 2303 */
    u = (struct host_update){.name = "ns1.example.dk", .add_addrs = add, .nadd_addrs = 1};
    expect_err(update(&f, &b, &u, &st), REG_ERR_AUTHZ, &st, "another registrar");
    u.name = "ns9.example.dk";
    expect_err(update(&f, &a, &u, &st), REG_ERR_NOT_FOUND, &st, NULL);

    /* statuses: only the client ones */
    struct host_status_in lock[] = {{"clientUpdateProhibited", "locked by the registrar"},
                                    {"clientDeleteProhibited", NULL}};
    struct host_status_in server[] = {{"serverUpdateProhibited", NULL}};
    struct host_status_in linked[] = {{"linked", NULL}};
    u = (struct host_update){.name = "ns.external.net", .add_status = server, .nadd_status = 1};
    expect_err(update(&f, &a, &u, &st), REG_ERR_POLICY, &st, "serverUpdateProhibited");
    u.add_status = linked;
    expect_err(update(&f, &a, &u, &st), REG_ERR_POLICY, &st, "linked");
    const char *rem_server[] = {"serverUpdateProhibited"};
    u = (struct host_update){.name = "ns.external.net", .rem_status = rem_server, .nrem_status = 1};
    expect_err(update(&f, &a, &u, &st), REG_ERR_POLICY, &st, NULL);
    const char *rem_del[] = {"clientDeleteProhibited"};
    u = (struct host_update){.name = "ns.external.net", .rem_status = rem_del, .nrem_status = 1};
    expect_err(update(&f, &a, &u, &st), REG_ERR_POLICY, &st, "does not have status");
    u = (struct host_update){.name = "ns.external.net", .add_status = lock, .nadd_status = 2};
    expect_ok(update(&f, &a, &u, &st), &st, "add statuses");
    u = (struct host_update){.name = "ns.external.net"};
    expect_err(update(&f, &a, &u, &st), REG_ERR_STATUS_PROHIBITS, &st, "clientUpdateProhibited");
    info_ok(&a, "ns.external.net", &h);
    assert_int_equal(h.status.n, 2);
    assert_true(status_has(&h.status, "clientUpdateProhibited"));
    assert_true(status_has(&h.status, "clientDeleteProhibited"));
    for (size_t i = 0; i < h.status.n; i++)
        if (!strcmp(h.status.items[i].name, "clientUpdateProhibited"))
            assert_string_equal(h.status.items[i].message, "locked by the registrar");
    host_free(&h);

    /* clientUpdateProhibited blocks everything but its own removal */
    u = (struct host_update){.name = "ns.external.net", .admin = "REGA:NSADMIN"};
    expect_err(update(&f, &a, &u, &st), REG_ERR_STATUS_PROHIBITS, &st, "clientUpdateProhibited");
    const char *unlock[] = {"clientUpdateProhibited"};
    u = (struct host_update){.name = "ns.external.net", .rem_status = unlock, .nrem_status = 1,
                             .admin = "REGA:NSADMIN"};
    expect_err(update(&f, &a, &u, &st), REG_ERR_STATUS_PROHIBITS, &st, "of its own");
    /* … and serverUpdateProhibited blocks even that */
    assert_int_equal(status_add(f.d, "host", scalar(&f, "SELECT id FROM host WHERE name = ?",
                                                      "ns.external.net"),
                                "serverUpdateProhibited", NULL),
                     REG_OK);
    u = (struct host_update){.name = "ns.external.net", .rem_status = unlock, .nrem_status = 1};
    expect_err(update(&f, &a, &u, &st), REG_ERR_STATUS_PROHIBITS, &st, "serverUpdateProhibited");
    assert_int_equal(status_remove(f.d, "host", scalar(&f, "SELECT id FROM host WHERE name = ?",
                                                         "ns.external.net"),
                                   "serverUpdateProhibited"),
                     REG_OK);
    expect_ok(update(&f, &a, &u, &st), &st, "unlock");
    u = (struct host_update){.name = "ns.external.net", .admin = "REGA:NSADMIN"};
    expect_ok(update(&f, &a, &u, &st), &st, "set admin");
    info_ok(&a, "ns.external.net", &h);
    assert_int_equal(h.status.n, 1);
    assert_string_equal(h.admin, "REGA:NSADMIN");
    host_free(&h);
    u.admin = "REGA:GHOST";
    expect_err(update(&f, &a, &u, &st), REG_ERR_NOT_FOUND, &st, "REGA:GHOST");
    u.admin = "";
    expect_ok(update(&f, &a, &u, &st), &st, "remove admin");
    info_ok(&a, "ns.external.net", &h);
    assert_string_equal(h.admin, "");
    host_free(&h);
    teardown(&f);
}

static void rename_hosts(void **state)
{
    struct fixture f;
    open_fx(state, &f, "host_ren");
    struct reg_op a = op_of(&f, "REGA"), b = op_of(&f, "REGB");
    reg_status st;
    const char *one[] = {"193.0.14.129", NULL};
    expect_ok(create(&f, &a, "ns1.example.dk", one, NULL, &st), &st, "create");
    expect_ok(create(&f, &a, "ns.external.net", NULL, NULL, &st), &st, "create ext");
    int64_t id = scalar(&f, "SELECT id FROM host WHERE name = ?", "ns.external.net");

    struct host_update u = {.name = "ns.external.net", .new_name = "ns1.example.dk"};
    expect_err(update(&f, &a, &u, &st), REG_ERR_EXISTS, &st, "ns1.example.dk");
    u.new_name = "bad_name.example.net";
    expect_err(update(&f, &a, &u, &st), REG_ERR_INVALID, &st, NULL);
    u.new_name = "NS.External.NET"; /* the same name: nothing to rename */
    expect_ok(update(&f, &a, &u, &st), &st, "same name");

    /* external → external */
    u.new_name = "ns.elsewhere.net";
    expect_ok(update(&f, &a, &u, &st), &st, "rename external");
    struct host h;
    assert_int_equal(host_info(&a, "ns.external.net", &h, &st), REG_ERR_NOT_FOUND);
    info_ok(&a, "ns.elsewhere.net", &h);
    assert_int_equal(h.id, id);
    host_free(&h);

    /* external → in-bailiwick: needs an address and our superordinate domain */
    u = (struct host_update){.name = "ns.elsewhere.net", .new_name = "ns2.example.dk"};
    expect_err(update(&f, &a, &u, &st), REG_ERR_POLICY, &st, "at least one address");
    struct host_addr_in add[] = {{"193.0.14.130", 4}};
    u = (struct host_update){.name = "ns.elsewhere.net", .new_name = "ns2.theirs.dk",
                             .add_addrs = add, .nadd_addrs = 1};
    expect_err(update(&f, &a, &u, &st), REG_ERR_AUTHZ, &st, "theirs.dk");
    u.new_name = "ns2.missing.dk";
    expect_err(update(&f, &a, &u, &st), REG_ERR_NOT_FOUND, &st, "missing.dk");
    u.new_name = "ns2.example.dk";
    expect_ok(update(&f, &a, &u, &st), &st, "rename in");
    info_ok(&a, "ns2.example.dk", &h);
    assert_int_equal(h.id, id);
    assert_int_equal(h.superordinate_id, domain_id(&f, "example.dk"));
    assert_int_equal(h.naddrs, 1);
    host_free(&h);

    /* in-bailiwick → another of our domains */
    u = (struct host_update){.name = "ns2.example.dk", .new_name = "ns2.other.dk"};
    expect_ok(update(&f, &a, &u, &st), &st, "rename across domains");
    info_ok(&a, "ns2.other.dk", &h);
    assert_int_equal(h.superordinate_id, domain_id(&f, "other.dk"));
    assert_int_equal(h.naddrs, 1);
    host_free(&h);

    /* in-bailiwick → external: its addresses must go in the same update */
    u = (struct host_update){.name = "ns2.other.dk", .new_name = "ns.outside.net"};
    expect_err(update(&f, &a, &u, &st), REG_ERR_POLICY, &st, "remove its addresses");
    struct host_addr_in rem[] = {{"193.0.14.130", 4}};
    u.rem_addrs = rem;
    u.nrem_addrs = 1;
    expect_ok(update(&f, &a, &u, &st), &st, "rename out");
    info_ok(&a, "ns.outside.net", &h);
    assert_int_equal(h.superordinate_id, 0);
    assert_string_equal(h.superordinate, "");
    assert_int_equal(h.naddrs, 0);
    host_free(&h);

    /* a linked host may be renamed: the domains follow it */
    link_host(&f, &b, "theirs.dk", "ns.outside.net", true);
    u = (struct host_update){.name = "ns.outside.net", .new_name = "ns.final.net"};
    expect_ok(update(&f, &a, &u, &st), &st, "rename linked");
    assert_int_equal(scalar(&f, "SELECT h.id FROM domain_host dh JOIN host h ON h.id = "
                                  "dh.host_id WHERE h.name = ?",
                             "ns.final.net"),
                     id);
    teardown(&f);
}

/* ---- delete and linked ------------------------------------------------------- */

static void delete_and_linked(void **state)
{
    struct fixture f;
    open_fx(state, &f, "host_del");
    struct reg_op a = op_of(&f, "REGA"), b = op_of(&f, "REGB");
    reg_status st;
    const char *one[] = {"193.0.14.129", NULL};
    expect_ok(create(&f, &a, "ns1.example.dk", one, NULL, &st), &st, "create");
    int64_t id = scalar(&f, "SELECT id FROM host WHERE name = ?", "ns1.example.dk");

    link_host(&f, &b, "theirs.dk", "ns1.example.dk", true);
    struct host h;
    info_ok(&b, "ns1.example.dk", &h);
    assert_true(h.linked);
    assert_int_equal(h.status.n, 0);
    host_free(&h);
    expect_err(delete_host(&f, &a, "ns1.example.dk", &st), REG_ERR_ASSOCIATION, &st, "theirs.dk");
    expect_err(delete_host(&f, &b, "ns1.example.dk", &st), REG_ERR_AUTHZ, &st, NULL);
    link_host(&f, &b, "theirs.dk", "ns1.example.dk", false);

    struct host_status_in lock[] = {{"clientDeleteProhibited", NULL}};
    struct host_update u = {.name = "ns1.example.dk", .add_status = lock, .nadd_status = 1};
    expect_ok(update(&f, &a, &u, &st), &st, "lock");
    expect_err(delete_host(&f, &a, "ns1.example.dk", &st), REG_ERR_STATUS_PROHIBITS, &st,
               "clientDeleteProhibited");
    const char *unlock[] = {"clientDeleteProhibited"};
    u = (struct host_update){.name = "ns1.example.dk", .rem_status = unlock, .nrem_status = 1};
    expect_ok(update(&f, &a, &u, &st), &st, "unlock");
    /* a status left behind would outlive the host: leave one to check */
    struct host_status_in upd[] = {{"clientUpdateProhibited", NULL}};
    u = (struct host_update){.name = "ns1.example.dk", .add_status = upd, .nadd_status = 1};
    expect_ok(update(&f, &a, &u, &st), &st, "update lock");

    expect_err(delete_host(&f, &a, "ns9.example.dk", &st), REG_ERR_NOT_FOUND, &st, NULL);
    expect_ok(delete_host(&f, &a, "NS1.example.dk.", &st), &st, "delete");
    assert_int_equal(host_info(&a, "ns1.example.dk", &h, &st), REG_ERR_NOT_FOUND);
    char q[160];
    snprintf(q, sizeof q, "SELECT count(*) FROM host_address WHERE host_id = %lld", (long long)id);
    assert_int_equal(scalar(&f, q, NULL), 0);
    snprintf(q, sizeof q,
             "SELECT count(*) FROM object_status WHERE object_kind = 'host' AND object_id = %lld",
             (long long)id);
    assert_int_equal(scalar(&f, q, NULL), 0);
    /* the name is free again */
    bool avail;
    char reason[33];
    assert_int_equal(host_check(&a, "ns1.example.dk", &avail, reason, &st), REG_OK);
    assert_true(avail);
    expect_ok(create(&f, &a, "ns1.example.dk", one, NULL, &st), &st, "re-create");
    teardown(&f);
}

static void check_names(void **state)
{
    struct fixture f;
    open_fx(state, &f, "host_chk");
    struct reg_op a = op_of(&f, "REGA"), b = op_of(&f, "REGB");
    reg_status st;
    expect_ok(create(&f, &a, "ns1.example.net", NULL, NULL, &st), &st, "create");
    bool avail;
    char reason[33];
    assert_int_equal(host_check(&b, "NS1.example.net", &avail, reason, &st), REG_OK);
    assert_false(avail);
    assert_string_equal(reason, "in use");
    assert_int_equal(host_check(&b, "ns2.example.net", &avail, reason, &st), REG_OK);
    assert_true(avail);
    assert_string_equal(reason, "");
    assert_int_equal(host_check(&b, "ns_2.example.net", &avail, reason, &st), REG_OK);
    assert_false(avail);
    assert_string_equal(reason, "invalid host name");
    teardown(&f);
}

static void transfer_with_domain(void **state)
{
    struct fixture f;
    open_fx(state, &f, "host_trn");
    struct reg_op a = op_of(&f, "REGA"), b = op_of(&f, "REGB");
    reg_status st;
    const char *one[] = {"193.0.14.129", NULL};
    expect_ok(create(&f, &a, "ns1.example.dk", one, NULL, &st), &st, "create");
    expect_ok(create(&f, &a, "ns2.example.dk", one, NULL, &st), &st, "create");
    expect_ok(create(&f, &a, "ns1.other.dk", one, NULL, &st), &st, "create");
    expect_ok(create(&f, &a, "ns.example.net", NULL, NULL, &st), &st, "create");

    /* example.dk goes to REGB (as transfer.c does), its hosts with it */
    int64_t example = domain_id(&f, "example.dk");
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE domain SET sponsor_id = %lld WHERE id = %lld",
             (long long)f.b, (long long)example);
    struct reg_op op = b;
    op.now = T0 + 3600;
    reg_status_clear(&st);
    reg_err e = TX(&f, (exec_sql(&f, sql), host_transfer_subordinates(&op, example, f.b, &st)));
    expect_ok(e, &st, "transfer");
    struct host h;
    info_ok(&a, "ns1.example.dk", &h);
    assert_string_equal(h.sponsor, "REGB");
    assert_string_equal(h.creator, "REGA");
    assert_int_equal(h.transferred_at, T0 + 3600);
    host_free(&h);
    info_ok(&a, "ns1.other.dk", &h);
    assert_string_equal(h.sponsor, "REGA");
    assert_int_equal(h.transferred_at, 0);
    host_free(&h);
    info_ok(&a, "ns.example.net", &h);
    assert_string_equal(h.sponsor, "REGA");
    host_free(&h);

    struct host_addr_in add[] = {{"193.0.14.130", 4}};
    struct host_update u = {.name = "ns2.example.dk", .add_addrs = add, .nadd_addrs = 1};
    expect_err(update(&f, &a, &u, &st), REG_ERR_AUTHZ, &st, NULL);
    expect_ok(update(&f, &b, &u, &st), &st, "new sponsor updates");
    assert_int_equal(scalar(&f, "SELECT count(*) FROM history WHERE object_kind = 'host' AND "
                                  "action = ?",
                             "transfer"),
                     2);
    teardown(&f);
}

/* ---- history (R40) ---------------------------------------------------------- */

/* The versions of host `name`: numbered from 1, each over EPP (caller frees). */
static struct versions *host_history(struct fixture *f, const char *name)
{
    struct versions *h = history_of(f, "host", name);
    for (int i = 0; i < h->n; i++) {
        assert_string_equal(h->v[i].kind, "host");
        assert_string_equal(h->v[i].channel, "epp");
        assert_int_equal(h->v[i].version, i + 1);
    }
    return h;
}

static void history_rows(void **state)
{
    struct fixture f;
    open_fx(state, &f, "host_hist");
    struct reg_op a = op_of(&f, "REGA"), b = op_of(&f, "REGB");
    reg_status st;
    const char *one[] = {"193.0.14.129", NULL};
    expect_ok(create(&f, &a, "ns1.example.dk", one, NULL, &st), &st, "create");
    struct host_addr_in add[] = {{"2001:678:4::1", 6}};
    struct host_update u = {.name = "ns1.example.dk", .add_addrs = add, .nadd_addrs = 1,
                            .admin = "REGA:NSADMIN"};
    expect_ok(update(&f, &a, &u, &st), &st, "update");
    /* failures leave no version */
    expect_err(update(&f, &b, &u, &st), REG_ERR_AUTHZ, &st, NULL);
    u = (struct host_update){.name = "ns1.example.dk", .new_name = "ns2.example.dk"};
    expect_ok(update(&f, &a, &u, &st), &st, "rename");
    expect_ok(delete_host(&f, &a, "ns2.example.dk", &st), &st, "delete");

    struct versions *s = host_history(&f, "ns1.example.dk");
    assert_int_equal(s->n, 2);
    assert_string_equal(s->v[0].action, "create");
    assert_string_equal(s->v[1].action, "update");
    assert_string_equal(s->v[0].actor, "REGA");
    assert_string_equal(s->v[0].svtrid, "TEST-1");
    assert_non_null(strstr(s->v[0].snapshot, "\"name\":\"ns1.example.dk\""));
    assert_non_null(strstr(s->v[0].snapshot, "\"addr\":\"193.0.14.129\""));
    assert_non_null(strstr(s->v[0].snapshot, "\"superordinate\":\"example.dk\""));
    assert_non_null(strstr(s->v[1].snapshot, "\"addr\":\"2001:678:4::1\""));
    assert_non_null(strstr(s->v[1].snapshot, "\"admin\":\"REGA:NSADMIN\""));
    assert_non_null(strstr(s->v[1].snapshot, "\"updater\":\"REGA\""));
    free(s);

    struct versions *r = host_history(&f, "ns2.example.dk");
    assert_int_equal(r->n, 2);
    assert_string_equal(r->v[0].action, "rename");
    assert_non_null(strstr(r->v[0].snapshot, "\"renamed_from\":\"ns1.example.dk\""));
    assert_string_equal(r->v[1].action, "delete");
    assert_non_null(strstr(r->v[1].snapshot, "\"name\":\"ns2.example.dk\""));
    free(r);
    /* all four versions belong to one object id */
    assert_int_equal(scalar(&f, "SELECT count(DISTINCT object_id) FROM history WHERE "
                                  "object_kind = ?",
                             "host"),
                     1);
    assert_int_equal(scalar(&f, "SELECT count(*) FROM history WHERE object_kind = ?", "host"), 4);
    teardown(&f);
}

int main(void)
{
    log_set_level(LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(name_rules),
        cmocka_unit_test(bailiwick_rules),
        cmocka_unit_test(address_rules),
        BOTH_BACKENDS(create_external),
        BOTH_BACKENDS(create_in_bailiwick),
        BOTH_BACKENDS(update_addresses_and_statuses),
        BOTH_BACKENDS(rename_hosts),
        BOTH_BACKENDS(delete_and_linked),
        BOTH_BACKENDS(check_names),
        BOTH_BACKENDS(transfer_with_domain),
        BOTH_BACKENDS(history_rows),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    clock_set_real();
    return failed;
}
