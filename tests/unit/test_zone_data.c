/* What the zone publishes (src/registry/zone_data.c) and its state
 * (zone_state.c), on both backends: which domains are delegated (holds,
 * inactive, redemption, R22 suspension, a delete awaiting the registrant),
 * IDN by A-label, byte order, DS, glue for in-bailiwick hosts a published
 * delegation uses, one domain and one host at a time, the streams past one
 * FETCH, and the serial (from the clock, strictly increasing). */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/strbuf.h"
#include "registry/domain.h"
#include "registry/host.h"
#include "registry/idcheck.h"
#include "registry/server_status.h"
#include "registry/zone_data.h"
#include "registry/zone_state.h"

#define BLAABAER_U "bl\xc3\xa5" "b\xc3\xa6" "rgr\xc3\xb8" "d.dk" /* blåbærgrød.dk */
#define BLAABAER_A "xn--blbrgrd-fxak7p.dk"
#define DIGEST_A "2BB183AF5F22588179A53B0A98631FAD1A292118A9B4B4D63B5E4E2B1F2F3F4C"
#define DIGEST_B "A0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6D7E8F9A0B1"

/* ---- fixture ----------------------------------------------------------------------------- */

/* Documentation addresses (RFC 5737, 3849) for the glue; a holder of
 * REGA; three external hosts. */
static void open_fx(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    f->policy.allow_private_addresses = true;
    make_person(f, f->a, "HOLDER", "holder@example.dk", "Jens Hansen", NULL);
    make_host(f, f->a, "ns1.example.net", NULL);
    make_host(f, f->a, "ns2.example.net", NULL);
    make_host(f, f->a, "ns.example.org", NULL);
}

/* A domain of REGA held by REGA:HOLDER with these name servers (NULL:
 * fewer). */
static void delegate(struct fixture *f, const char *name, const char *ns1, const char *ns2)
{
    struct domain_create in = {TERMS, .name = name, .registrant = "REGA:HOLDER",
                               .ns = {ns1, ns2}, .nns = ns2 ? 2 : ns1 ? 1 : 0};
    make_domain_as(f, f->a, &in);
}

static void add_ns(struct fixture *f, const char *name, const char *ns)
{
    struct reg_op a = op_of(f, "REGA");
    struct domain_update u = {.name = name, .add_ns = {ns}, .nadd_ns = 1};
    reg_status st;
    OK(f, domain_update(&a, &u, &st));
}

static void server_hold(struct fixture *f, const char *name, bool add)
{
    struct reg_op op = staff(f);
    char key[NAME_MAX_LEN + 1];
    reg_status st;
    OK(f, server_status_change(&op, "domain", name, "serverHold", NULL, add, key, &st));
}

/* The delegation as one line: "name ns,ns ds;ds glue=a,b;glue=a". */
static void describe(strbuf *sb, const struct zone_delegation *z)
{
    sb_puts(sb, z->name);
    for (size_t i = 0; i < z->n_ns; i++)
        sb_printf(sb, "%s%s", i ? "," : " ns=", z->ns[i]);
    for (size_t i = 0; i < z->n_ds; i++)
        sb_printf(sb, "%s%u/%u/%u/%.6s", i ? "," : " ds=", z->ds[i].key_tag, z->ds[i].alg,
                  z->ds[i].digest_type, z->ds[i].digest);
    for (size_t i = 0; i < z->n_glue; i++) {
        sb_printf(sb, " %s=", z->glue[i].host);
        for (size_t j = 0; j < z->glue[i].n_addr; j++)
            sb_printf(sb, "%s%s", j ? "," : "", z->glue[i].addr[j].addr);
    }
    sb_putc(sb, '\n');
}

static int collect(const struct zone_delegation *z, void *arg)
{
    describe(arg, z);
    return 0;
}

/* The whole zone as zone_data_each (or with all, zone_data_walk) gives
 * it, one line a name; caller frees. */
static char *zone_text(struct fixture *f, bool all)
{
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, ""); /* "" rather than NULL for an empty zone */
    reg_status st;
    EXPECT_OWN_TX(all ? zone_data_walk(f->d, f->now, collect, &sb, &st)
                      : zone_data_each(f->d, f->now, collect, &sb, &st),
                  REG_OK, st);
    assert_false(db_in_transaction(f->d)); /* its own snapshot, ended */
    return sb_steal(&sb);
}

static void assert_zone(struct fixture *f, bool all, const char *want)
{
    char *got = zone_text(f, all);
    assert_string_equal(got, want);
    free(got);
}

static int64_t count(struct fixture *f)
{
    int64_t n = -1;
    reg_status st;
    EXPECT_OWN_TX(zone_data_count(f->d, f->now, &n, &st), REG_OK, st);
    return n;
}

/* ---- which domains are delegated ----------------------------------------------------------- */

/* DESIGN §9: holds, inactive and deleted domains are left out; the rest in
 * byte order of the A-label, name servers sorted. */
static void published_domains_and_order(void **state)
{
    struct fixture f;
    reg_status st;
    open_fx(state, &f, "zone_published");
    delegate(&f, "plain.dk", "ns2.example.net", "ns1.example.net");
    delegate(&f, "inactive.dk", NULL, NULL);
    delegate(&f, "server.dk", "ns1.example.net", NULL);
    server_hold(&f, "server.dk", true);
    delegate(&f, "client.dk", "ns1.example.net", NULL);
    struct reg_op a = op_of(&f, "REGA");
    struct domain_update hold = {.name = "client.dk", .add_status = {"clientHold"},
                                 .nadd_status = 1};
    OK(&f, domain_update(&a, &hold, &st));
    delegate(&f, "gone.dk", "ns1.example.net", NULL);
    bool pending;
    OK(&f, domain_delete(&a, "gone.dk", &pending, &st));
    assert_true(pending); /* in its redemption period */
    /* R7: a delete the registrant has not confirmed leaves it delegated */
    delegate(&f, "asked.dk", "ns.example.org", NULL);
    enum domain_delete_outcome outcome;
    OK(&f, domain_delete_request(&a, "asked.dk", false, &outcome, &st));
    assert_int_equal(outcome, DOMAIN_DELETE_AWAITING_REGISTRANT);
    /* IDN by A-label; '-' sorts before '.', '.' before '0' (byte order) */
    delegate(&f, BLAABAER_U, "ns1.example.net", NULL);
    delegate(&f, "a0.dk", "ns1.example.net", NULL);
    delegate(&f, "a.dk", "ns1.example.net", NULL);
    delegate(&f, "a-b.dk", "ns1.example.net", NULL);
    assert_zone(&f, false,
                "a-b.dk ns=ns1.example.net\n"
                "a.dk ns=ns1.example.net\n"
                "a0.dk ns=ns1.example.net\n"
                "asked.dk ns=ns.example.org\n"
                "plain.dk ns=ns1.example.net,ns2.example.net\n" BLAABAER_A
                " ns=ns1.example.net\n");
    assert_int_equal(count(&f), 6);
    /* the hold lifted, it is back; a name server added to an inactive one */
    server_hold(&f, "server.dk", false);
    add_ns(&f, "inactive.dk", "ns2.example.net");
    assert_zone(&f, false,
                "a-b.dk ns=ns1.example.net\n"
                "a.dk ns=ns1.example.net\n"
                "a0.dk ns=ns1.example.net\n"
                "asked.dk ns=ns.example.org\n"
                "inactive.dk ns=ns2.example.net\n"
                "plain.dk ns=ns1.example.net,ns2.example.net\n"
                "server.dk ns=ns1.example.net\n" BLAABAER_A " ns=ns1.example.net\n");
    assert_int_equal(count(&f), 8);
    teardown(&f);
}

/* R22: a failed registrant's domains leave the zone, and stay out while
 * their deletion is scheduled even if staff lift the serverHold by hand;
 * verified, they are back. */
static void suspended_domains_R22(void **state)
{
    struct fixture f;
    open_fx(state, &f, "zone_r22");
    f.policy.idcheck_enabled = true;
    make_person(&f, f.a, "FAILER", "failer@example.dk", "Ole Olsen", NULL);
    struct domain_create in = {TERMS, .name = "susp.dk", .registrant = "REGA:FAILER",
                               .ns = {"ns1.example.net"}, .nns = 1};
    make_domain_as(&f, f.a, &in);
    delegate(&f, "kept.dk", "ns1.example.net", NULL);
    assert_int_equal(count(&f), 2);
    struct reg_op op = staff(&f);
    int domains = 0;
    reg_status st;
    OK(&f, idcheck_decide(&op, "REGA:FAILER", false, "documents", "forged papers", &domains,
                          &st));
    assert_int_equal(domains, 1);
    assert_zone(&f, false, "kept.dk ns=ns1.example.net\n");
    server_hold(&f, "susp.dk", false);
    assert_zone(&f, false, "kept.dk ns=ns1.example.net\n");
    OK(&f, idcheck_decide(&op, "REGA:FAILER", true, "documents", "passport seen", &domains,
                          &st));
    assert_zone(&f, false, "kept.dk ns=ns1.example.net\nsusp.dk ns=ns1.example.net\n");
    teardown(&f);
}

/* ---- DS and glue ------------------------------------------------------------------------- */

/* RFC 4034 DS data: sorted by key tag, algorithm, digest type, digest. */
static void ds_records(void **state)
{
    struct fixture f;
    open_fx(state, &f, "zone_ds");
    struct domain_create in = {TERMS, .name = "signed.dk", .registrant = "REGA:HOLDER",
                               .ns = {"ns1.example.net"}, .nns = 1,
                               .ds = {{60485, 13, 2, DIGEST_B}, {2371, 8, 2, DIGEST_A},
                                      {2371, 8, 1, "0123456789ABCDEF0123456789ABCDEF01234567"}},
                               .nds = 3};
    make_domain_as(&f, f.a, &in);
    /* DS of a domain without name servers is not published */
    struct domain_create bare = {TERMS, .name = "bare.dk", .registrant = "REGA:HOLDER",
                                 .ds = {{1, 13, 2, DIGEST_A}}, .nds = 1};
    make_domain_as(&f, f.a, &bare);
    assert_zone(&f, true,
                "signed.dk ns=ns1.example.net ds=2371/8/1/012345,2371/8/2/2BB183,"
                "60485/13/2/A0B1C2\n");
    struct zone_delegation z;
    bool published;
    reg_status st;
    EXPECT_OWN_TX(zone_data_domain(f.d, "signed.dk", f.now, &z, &published, &st), REG_OK, st);
    assert_true(published);
    assert_int_equal(z.n_ds, 3);
    assert_int_equal(z.ds[2].key_tag, 60485);
    assert_int_equal(z.ds[2].alg, 13);
    assert_int_equal(z.ds[2].digest_type, 2);
    assert_string_equal(z.ds[2].digest, DIGEST_B);
    zone_delegation_free(&z);
    teardown(&f);
}

static size_t glue_of(struct fixture *f, const char *host, char *text, size_t len)
{
    struct zone_addr *a;
    size_t n;
    reg_status st;
    EXPECT_OWN_TX(zone_data_glue(f->d, host, f->now, &a, &n, &st), REG_OK, st);
    text[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(text + strlen(text), len - strlen(text), "%s%d:%s", i ? "," : "", a[i].version,
                 a[i].addr);
    free(a);
    return n;
}

/* Glue only for in-bailiwick hosts a published delegation uses, also when
 * the host's own domain is out of the zone (else BIND refuses the zone);
 * none for external hosts, none for hosts nothing published uses. */
static void glue_of_used_inbailiwick_hosts(void **state)
{
    struct fixture f;
    reg_status st;
    open_fx(state, &f, "zone_glue");
    delegate(&f, "host.dk", "ns1.example.net", NULL);
    make_host(&f, f.a, "ns2.host.dk", "192.0.2.2");
    make_host(&f, f.a, "ns1.host.dk", "2001:db8::1");
    make_host(&f, f.a, "unused.host.dk", "192.0.2.9");
    struct reg_op a = op_of(&f, "REGA");
    struct host_update hu = {.name = "ns1.host.dk",
                             .add_addrs = (struct host_addr_in[]){{"192.0.2.1", 4}},
                             .nadd_addrs = 1};
    OK(&f, host_update(&a, &hu, &st));
    delegate(&f, "user.dk", "ns2.host.dk", "ns1.host.dk");
    /* a domain whose own host serves it */
    delegate(&f, "self.dk", NULL, NULL);
    make_host(&f, f.a, "ns.self.dk", "198.51.100.7");
    add_ns(&f, "self.dk", "ns.self.dk");
    assert_zone(&f, false,
                "host.dk ns=ns1.example.net ns1.host.dk=192.0.2.1,2001:db8::1 "
                "ns2.host.dk=192.0.2.2\n"
                "self.dk ns=ns.self.dk ns.self.dk=198.51.100.7\n"
                "user.dk ns=ns1.host.dk,ns2.host.dk\n");
    char text[200];
    assert_int_equal(glue_of(&f, "ns1.host.dk", text, sizeof text), 2);
    assert_string_equal(text, "4:192.0.2.1,6:2001:db8::1");
    assert_int_equal(glue_of(&f, "unused.host.dk", text, sizeof text), 0);
    assert_int_equal(glue_of(&f, "ns1.example.net", text, sizeof text), 0);
    assert_int_equal(glue_of(&f, "no.such.dk", text, sizeof text), 0);

    /* host.dk held: its hosts keep their addresses while user.dk uses them,
     * under a name that is no delegation (zone_data_walk only) */
    server_hold(&f, "host.dk", true);
    assert_zone(&f, false,
                "self.dk ns=ns.self.dk ns.self.dk=198.51.100.7\n"
                "user.dk ns=ns1.host.dk,ns2.host.dk\n");
    assert_zone(&f, true,
                "host.dk ns1.host.dk=192.0.2.1,2001:db8::1 ns2.host.dk=192.0.2.2\n"
                "self.dk ns=ns.self.dk ns.self.dk=198.51.100.7\n"
                "user.dk ns=ns1.host.dk,ns2.host.dk\n");
    struct zone_delegation z;
    bool published = true;
    EXPECT_OWN_TX(zone_data_domain(f.d, "host.dk", f.now, &z, &published, &st), REG_OK, st);
    assert_false(published);
    assert_int_equal(z.n_ns, 0);
    assert_int_equal(z.n_glue, 2);
    assert_string_equal(z.glue[0].host, "ns1.host.dk");
    assert_int_equal(z.glue[0].n_addr, 2);
    assert_int_equal(z.glue[0].addr[1].version, 6);
    zone_delegation_free(&z);
    assert_int_equal(glue_of(&f, "ns2.host.dk", text, sizeof text), 1);

    /* nothing published uses them any more: no glue at all */
    server_hold(&f, "user.dk", true);
    server_hold(&f, "self.dk", true);
    assert_zone(&f, true, "");
    assert_int_equal(glue_of(&f, "ns1.host.dk", text, sizeof text), 0);
    assert_int_equal(count(&f), 0);
    teardown(&f);
}

/* ---- one domain ---------------------------------------------------------------------------- */

static void one_domain(void **state)
{
    struct fixture f;
    reg_status st;
    open_fx(state, &f, "zone_one");
    delegate(&f, BLAABAER_U, "ns2.example.net", "ns1.example.net");
    delegate(&f, "inactive.dk", NULL, NULL);
    struct zone_delegation z;
    bool published = false;
    EXPECT_OWN_TX(zone_data_domain(f.d, BLAABAER_A, f.now, &z, &published, &st), REG_OK, st);
    assert_true(published);
    assert_string_equal(z.name, BLAABAER_A);
    assert_int_equal(z.n_ns, 2);
    assert_string_equal(z.ns[0], "ns1.example.net");
    assert_string_equal(z.ns[1], "ns2.example.net");
    assert_int_equal(z.n_ds, 0);
    zone_delegation_free(&z);
    for (int i = 0; i < 2; i++) {
        published = true;
        const char *name = i ? "absent.dk" : "inactive.dk";
        EXPECT_OWN_TX(zone_data_domain(f.d, name, f.now, &z, &published, &st), REG_OK, st);
        assert_false(published);
        assert_string_equal(z.name, name);
        assert_int_equal(z.n_ns + z.n_ds + z.n_glue, 0);
        zone_delegation_free(&z);
    }
    /* in the caller's transaction: it is left open */
    assert_int_equal(db_begin(f.d), REG_OK);
    EXPECT_OWN_TX(zone_data_domain(f.d, BLAABAER_A, f.now, &z, &published, &st), REG_OK, st);
    assert_true(db_in_transaction(f.d));
    assert_int_equal(db_rollback(f.d), REG_OK);
    zone_delegation_free(&z);
    teardown(&f);
}

/* ---- streaming ----------------------------------------------------------------------------- */

struct stopper {
    int seen, stop_at;
};

static int stop_early(const struct zone_delegation *z, void *arg)
{
    (void)z;
    struct stopper *s = arg;
    return ++s->seen == s->stop_at ? REG_ERR_IO : REG_OK;
}

static int count_cb(const struct zone_delegation *z, void *arg)
{
    int64_t *n = arg;
    *n += (int64_t)z->n_ns;
    return 0;
}

/* More rows than one FETCH (2000) on PostgreSQL, exactly one FETCH's
 * worth too; a callback that stops the walk, in the caller's
 * transaction, which stays usable (its cursors are closed). */
static void streams_past_one_fetch(void **state)
{
    struct fixture f;
    reg_status st;
    open_fx(state, &f, "zone_stream");
    assert_int_equal(db_begin(f.d), REG_OK);
    struct reg_op a = op_of(&f, "REGA");
    for (int i = 0; i < 2000; i++) {
        char name[32];
        snprintf(name, sizeof name, "d%04d.dk", i);
        struct domain_create in = {TERMS, .name = name, .registrant = "REGA:HOLDER",
                                   .ns = {"ns1.example.net"}, .nns = 1};
        struct domain out;
        memset(&out, 0, sizeof out);
        assert_int_equal(domain_create(&a, &in, &out, &st), REG_OK);
        domain_free(&out);
    }
    assert_int_equal(db_commit(f.d), REG_OK);
    int64_t n = 0;
    EXPECT_OWN_TX(zone_data_each(f.d, f.now, count_cb, &n, &st), REG_OK, st);
    assert_int_equal(n, 2000); /* one row a domain: exactly one FETCH */
    add_ns(&f, "d0007.dk", "ns2.example.net");
    n = 0;
    EXPECT_OWN_TX(zone_data_each(f.d, f.now, count_cb, &n, &st), REG_OK, st);
    assert_int_equal(n, 2001);
    assert_int_equal(count(&f), 2000);

    assert_int_equal(db_begin_snapshot(f.d), REG_OK);
    struct stopper s = {0, 1500};
    assert_int_equal(zone_data_each(f.d, f.now, stop_early, &s, &st), REG_ERR_IO);
    assert_int_equal(s.seen, 1500);
    assert_true(db_in_transaction(f.d));
    n = 0;
    assert_int_equal(zone_data_each(f.d, f.now, count_cb, &n, &st), REG_OK);
    assert_int_equal(n, 2001);
    assert_int_equal(db_rollback(f.d), REG_OK);
    teardown(&f);
}

/* ---- serial and state ---------------------------------------------------------------------- */

static int64_t next_serial(struct fixture *f, reg_time now)
{
    int64_t serial = 0;
    reg_status st;
    EXPECT(f, zone_serial_next(f->d, now, &serial, &st), REG_OK, st);
    return serial;
}

/* From the clock, yet strictly increasing within one second and when the
 * clock goes back. */
static void serial_from_the_clock(void **state)
{
    struct fixture f;
    reg_status st;
    open_fx(state, &f, "zone_serial");
    struct zone_state zs;
    EXPECT_OWN_TX(zone_state_get(f.d, &zs, &st), REG_OK, st);
    assert_int_equal(zs.serial, 0);
    assert_int_equal(zs.published_at, 0);
    assert_int_equal(next_serial(&f, T0), T0);
    assert_int_equal(next_serial(&f, T0), T0 + 1);
    assert_int_equal(next_serial(&f, T0 - 3600), T0 + 2);
    assert_int_equal(next_serial(&f, T0 + 1), T0 + 3);
    assert_int_equal(next_serial(&f, T0 + 300), T0 + 300);

    bool first = false;
    EXPECT(&f, zone_state_held(f.d, T0 + 10, 90, &first, &st), REG_OK, st);
    assert_true(first);
    EXPECT(&f, zone_state_held(f.d, T0 + 20, 80, &first, &st), REG_OK, st);
    assert_false(first);
    EXPECT(&f, zone_state_failed(f.d, T0 + 20, "disk full", &st), REG_OK, st);
    EXPECT_OWN_TX(zone_state_get(f.d, &zs, &st), REG_OK, st);
    assert_int_equal(zs.held_at, T0 + 10);
    assert_int_equal(zs.held_delegations, 80);
    assert_int_equal(zs.guard_refusals, 2);
    assert_int_equal(zs.error_at, T0 + 20);
    assert_string_equal(zs.error, "disk full");
    EXPECT(&f, zone_state_published(f.d, T0 + 30, T0 + 300, 100, &st), REG_OK, st);
    EXPECT_OWN_TX(zone_state_get(f.d, &zs, &st), REG_OK, st);
    assert_int_equal(zs.serial, T0 + 300);
    assert_int_equal(zs.published_at, T0 + 30);
    assert_int_equal(zs.published_serial, T0 + 300);
    assert_int_equal(zs.published_delegations, 100);
    assert_int_equal(zs.held_at, 0);
    assert_int_equal(zs.guard_refusals, 2); /* a counter: never reset */
    assert_int_equal(zs.error_at, 0);
    assert_string_equal(zs.error, "");
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(published_domains_and_order),
        BOTH_BACKENDS(suspended_domains_R22),
        BOTH_BACKENDS(ds_records),
        BOTH_BACKENDS(glue_of_used_inbailiwick_hosts),
        BOTH_BACKENDS(one_domain),
        BOTH_BACKENDS(streams_past_one_fetch),
        BOTH_BACKENDS(serial_from_the_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
