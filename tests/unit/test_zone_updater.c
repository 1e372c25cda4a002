/* The updater (src/zone/updater.c) against a real primary (Knot DNS,
 * tests/unit/knotd.c) on both backends: a level brings a primary that
 * holds only its SOA and NS level with the data; queued changes arrive as
 * UPDATEs; a primary that drifted is found and levelled, the apex's own
 * records left alone; the safety guard holds the stream and the level.
 * After each step the primary's records below the apex are compared with
 * the zone file of the same data (src/zone/export.c): the two
 * publications agree, record for record. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "knotd.h"
#include "registry/domain.h"
#include "registry/host.h"
#include "registry/server_status.h"
#include "registry/zone_queue.h"
#include "registry/zone_state.h"
#include "zone/export.h"
#include "zone/updater.h"

#define DIGEST "2BB183AF5F22588179A53B0A98631FAD1A292118A9B4B4D63B5E4E2B1F2F3F4C"

struct ufx {
    struct fixture f;
    struct reg_config cfg;
    struct zone_settings zs;
    struct knotd k;
    struct dns_primary *p;
    struct zone_updater *u;
    char file[600];
};

static void start(void **state, struct ufx *z, const char *base)
{
    memset(z, 0, sizeof *z);
    setup(state, &z->f, base);
    z->f.policy.allow_private_addresses = true; /* documentation addresses */
    char err[SETTINGS_ERRLEN];
    if (config_load(&z->cfg, NULL, err, sizeof err))
        fail_msg("config_load: %s", err);
    reg_status st;
    assert_int_equal(zone_settings_from_config(&z->cfg, &z->zs, &st), REG_OK);
    knotd_start(&z->k, "dk", NULL, NULL);
    struct dns_key key = {KNOTD_KEY_NAME, "hmac-sha256", KNOTD_KEY_SECRET};
    assert_int_equal(dns_primary_new(z->k.address, "dk", &key, 5000, &z->p, &st), REG_OK);
    assert_int_equal(zone_updater_new(z->f.d, z->p, &z->zs, &z->u, &st), REG_OK);
    assert_int_equal(zone_queue_open(z->f.d, z->k.address, T0, &st), REG_OK);
    snprintf(z->file, sizeof z->file, "%s/%s_%d_%s.zone", test_tmpdir(), base, (int)getpid(),
             ((struct test_backend *)*state)->label);
    make_person(&z->f, z->f.a, "HOLDER", "holder@example.dk", "Jens Hansen", NULL);
    make_host(&z->f, z->f.a, "ns1.example.net", NULL);
    make_host(&z->f, z->f.a, "ns2.example.net", NULL);
}

static void stop(struct ufx *z)
{
    zone_updater_free(z->u);
    dns_primary_free(z->p);
    knotd_cleanup(&z->k);
    unlink(z->file);
    teardown(&z->f);
    config_free(&z->cfg);
}

static void delegate(struct ufx *z, const char *name, const char *ns1, const char *ns2)
{
    struct domain_create in = {TERMS, .name = name, .registrant = "REGA:HOLDER",
                               .ns = {ns1, ns2}, .nns = ns2 ? 2 : 1};
    make_domain_as(&z->f, z->f.a, &in);
}

static void hold(struct ufx *z, const char *name, bool add)
{
    struct reg_op op = staff(&z->f);
    char key[NAME_MAX_LEN + 1];
    reg_status st;
    OK(&z->f, server_status_change(&op, "domain", name, "serverHold", NULL, add, key, &st));
}

static void update(struct ufx *z, struct domain_update *u)
{
    struct reg_op a = op_of(&z->f, "REGA");
    reg_status st;
    OK(&z->f, domain_update(&a, u, &st));
}

static struct zone_update_result level(struct ufx *z)
{
    struct zone_update_result r;
    reg_status st = {0};
    if (zone_updater_level(z->u, z->f.now, &r, &st))
        fail_msg("level: %s", st.reason);
    return r;
}

/* Every queued change sent; the rows delivered. */
static struct zone_update_result drain(struct ufx *z)
{
    struct zone_update_result r, all = {0};
    reg_status st = {0};
    do {
        if (zone_updater_drain(z->u, z->f.now, 1000, &r, &st))
            fail_msg("drain: %s", st.reason);
        all.names += r.names;
        all.rows += r.rows;
        all.held |= r.held;
        if (r.rows)
            all.delegations = r.delegations;
    } while (r.rows && !r.held);
    return all;
}

/* ---- the two publications side by side ------------------------------------------------ */

struct records {
    char *line[4096];
    size_t n;
};

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* rr, when it is below the apex and registryd's (NS, DS, A, AAAA), in
 * ldns's canonical text. */
static void keep(struct records *r, ldns_rr *rr)
{
    ldns_rr_type t = ldns_rr_get_type(rr);
    ldns_rdf *apex = ldns_dname_new_frm_str("dk.");
    bool ours = ldns_dname_compare(ldns_rr_owner(rr), apex) &&
                (t == LDNS_RR_TYPE_NS || t == LDNS_RR_TYPE_DS || t == LDNS_RR_TYPE_A ||
                 t == LDNS_RR_TYPE_AAAA);
    ldns_rdf_deep_free(apex);
    if (!ours)
        return;
    ldns_rr2canonical(rr);
    assert_true(r->n < 4096);
    r->line[r->n++] = ldns_rr2str(rr);
}

static int from_axfr(const ldns_rr *rr, void *ctx)
{
    ldns_rr *c = ldns_rr_clone(rr);
    keep(ctx, c);
    ldns_rr_free(c);
    return 0;
}

static char *joined(struct records *r)
{
    qsort(r->line, r->n, sizeof *r->line, cmp_line);
    size_t len = 1;
    for (size_t i = 0; i < r->n; i++)
        len += strlen(r->line[i]);
    char *out = calloc(1, len);
    for (size_t i = 0; i < r->n; i++) {
        strcat(out, r->line[i]);
        free(r->line[i]);
    }
    r->n = 0;
    return out;
}

/* The primary's records below the apex (registryd's types). */
static char *at_primary(struct ufx *z)
{
    struct records r = {.n = 0};
    uint32_t serial;
    reg_status st;
    if (dns_primary_axfr(z->p, from_axfr, &r, &serial, &st))
        fail_msg("axfr: %s", st.reason);
    return joined(&r);
}

static bool primary_has(struct ufx *z, const char *text)
{
    char *dns = at_primary(z);
    bool has = strstr(dns, text) != NULL;
    free(dns);
    return has;
}

/* The same records of a zone file exported from the data now. */
static char *in_zone_file(struct ufx *z)
{
    struct zone_run run;
    reg_status st;
    EXPECT_OWN_TX(zone_export_to(z->f.d, &z->zs, z->f.now, z->file, &run, &st), REG_OK, st);
    FILE *f = fopen(z->file, "r");
    assert_non_null(f);
    struct records r = {.n = 0};
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '$' || line[0] == ';' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = '\0';
        ldns_rr *rr = NULL;
        if (ldns_rr_new_frm_str(&rr, line, 3600, NULL, NULL) != LDNS_STATUS_OK)
            fail_msg("the zone file has a line ldns cannot read: %s", line);
        keep(&r, rr);
        ldns_rr_free(rr);
    }
    fclose(f);
    return joined(&r);
}

/* The primary publishes what the zone file does; returns the records. */
static char *assert_level(struct ufx *z)
{
    static char copy[65536];
    char *dns = at_primary(z), *file = in_zone_file(z);
    if (strcmp(dns, file))
        fail_msg("the primary and the zone file differ:\n--- primary\n%s--- zone file\n%s", dns,
                 file);
    snprintf(copy, sizeof copy, "%s", dns);
    free(dns);
    free(file);
    return copy;
}

static uint32_t serial_of(struct ufx *z)
{
    uint32_t s;
    reg_status st;
    assert_int_equal(dns_primary_serial(z->p, &s, &st), REG_OK);
    return s;
}

/* ---- the tests ---------------------------------------------------------------------------- */

/* Existing domains, a primary with its SOA and NS only: one level, and
 * the primary holds every published delegation with its DS and glue;
 * held and inactive domains are not there. A second level sends nothing. */
static void level_brings_an_empty_primary_level(void **state)
{
    struct ufx z;
    start(state, &z, "zu_level");
    delegate(&z, "a.dk", "ns1.example.net", "ns2.example.net");
    make_host(&z.f, z.f.a, "ns.a.dk", "192.0.2.53");
    struct domain_create sig = {TERMS, .name = "signed.dk", .registrant = "REGA:HOLDER",
                                .ns = {"ns.a.dk", "ns1.example.net"}, .nns = 2,
                                .ds = {{2371, 13, 2, DIGEST}}, .nds = 1};
    make_domain_as(&z.f, z.f.a, &sig);
    delegate(&z, "held.dk", "ns1.example.net", NULL);
    hold(&z, "held.dk", true);
    make_domain(&z.f, "inactive.dk", "REGA:HOLDER", NULL, 0, NULL);
    assert_true(scalar(&z.f, "SELECT COUNT(*) FROM zone_change", NULL) > 0);

    struct zone_update_result r = level(&z);
    assert_false(r.held);
    assert_int_equal(r.delegations, 2);
    assert_int_equal(r.names, 3); /* a.dk, signed.dk, ns.a.dk */
    assert_true(r.has_serial);
    /* the level covers what was queued before it */
    assert_int_equal(scalar(&z.f, "SELECT COUNT(*) FROM zone_change", NULL), 0);
    const char *recs = assert_level(&z);
    assert_non_null(strstr(recs, "signed.dk.\t3600\tIN\tDS\t2371 13 2 2bb183af"));
    assert_non_null(strstr(recs, "ns.a.dk.\t3600\tIN\tA\t192.0.2.53"));
    assert_null(strstr(recs, "held.dk"));
    assert_null(strstr(recs, "inactive.dk"));
    /* the zone file's next serial is above the primary's */
    struct zone_state zst;
    reg_status st;
    struct zone_attempt a = {.level = true, .has_serial = true, .serial = r.serial,
                             .delegations = r.delegations, .names = (int64_t)r.names};
    assert_int_equal(zone_queue_note(z.f.d, &a, 1, &st), REG_OK);
    assert_int_equal(zone_state_get(z.f.d, &zst, &st), REG_OK);
    assert_true(zst.serial >= (int64_t)r.serial);

    uint32_t serial = serial_of(&z);
    r = level(&z);
    assert_int_equal(r.names, 0);
    assert_int_equal(serial_of(&z), serial);
    stop(&z);
}

/* Every kind of change arrives with the queue: create with NS, NS update,
 * hold set and cleared, DS added, a glue address changed, a host renamed,
 * delete and restore. */
static void queued_changes_arrive(void **state)
{
    struct ufx z;
    start(state, &z, "zu_changes");
    delegate(&z, "a.dk", "ns1.example.net", NULL);
    make_host(&z.f, z.f.a, "ns.a.dk", "192.0.2.53");
    level(&z);
    struct reg_op a = op_of(&z.f, "REGA");
    reg_status st;

    delegate(&z, "new.dk", "ns.a.dk", "ns1.example.net");
    struct zone_update_result r = drain(&z);
    assert_int_equal(r.delegations, 2);
    assert_non_null(strstr(assert_level(&z), "new.dk.\t3600\tIN\tNS\tns.a.dk."));

    update(&z, &(struct domain_update){.name = "new.dk", .rem_ns = {"ns1.example.net"},
                                       .nrem_ns = 1, .add_ns = {"ns2.example.net"},
                                       .nadd_ns = 1});
    drain(&z);
    assert_non_null(strstr(assert_level(&z), "new.dk.\t3600\tIN\tNS\tns2.example.net."));

    hold(&z, "new.dk", true);
    r = drain(&z);
    assert_int_equal(r.delegations, 1);
    const char *recs = assert_level(&z);
    assert_null(strstr(recs, "new.dk"));
    assert_null(strstr(recs, "ns.a.dk.")); /* its only user is held: no glue */
    hold(&z, "new.dk", false);
    drain(&z);
    assert_non_null(strstr(assert_level(&z), "ns.a.dk.\t3600\tIN\tA\t192.0.2.53"));

    update(&z, &(struct domain_update){.name = "new.dk", .add_ds = {{2371, 13, 2, DIGEST}},
                                       .nadd_ds = 1});
    drain(&z);
    assert_non_null(strstr(assert_level(&z), "new.dk.\t3600\tIN\tDS\t2371 13 2"));

    struct host_addr_in v6 = {.addr = "2001:db8::53", .version = 6};
    OK(&z.f, host_update(&a, &(struct host_update){.name = "ns.a.dk", .add_addrs = &v6,
                                                   .nadd_addrs = 1},
                         &st));
    drain(&z);
    assert_non_null(strstr(assert_level(&z), "ns.a.dk.\t3600\tIN\tAAAA\t2001:db8::53"));

    OK(&z.f, host_update(&a, &(struct host_update){.name = "ns.a.dk", .new_name = "dns.a.dk"},
                         &st));
    drain(&z);
    recs = assert_level(&z);
    assert_null(strstr(recs, "\tns.a.dk."));
    assert_non_null(strstr(recs, "new.dk.\t3600\tIN\tNS\tdns.a.dk."));

    bool pending;
    OK(&z.f, domain_delete(&a, "new.dk", &pending, &st));
    r = drain(&z);
    assert_int_equal(r.delegations, 1);
    assert_null(strstr(assert_level(&z), "new.dk"));
    OK(&z.f, domain_restore(&a, "new.dk", &st));
    drain(&z);
    assert_non_null(strstr(assert_level(&z), "new.dk."));
    stop(&z);
}

/* Records the data does not have, changed or missing ones at the primary
 * (another writer, a primary restored from an old file): the serial gives
 * it away, and a level mends it; the apex's name server's address, which
 * is the primary's own, stays. */
static void level_mends_a_drifted_primary(void **state)
{
    struct ufx z;
    start(state, &z, "zu_drift");
    delegate(&z, "a.dk", "ns1.example.net", NULL);
    make_host(&z.f, z.f.a, "ns.a.dk", "192.0.2.53");
    delegate(&z, "b.dk", "ns.a.dk", NULL);
    level(&z);
    reg_status st;
    bool drifted = true;
    assert_int_equal(zone_updater_drifted(z.u, &drifted, &st), REG_OK);
    assert_false(drifted);

    struct dns_update *u = dns_update_new();
    const char *junk[] = {"zz.dk. 3600 IN NS ns9.example.net.", "ns.a.dk. 3600 IN A 192.0.2.99",
                          "ns1.nic.dk. 3600 IN A 192.0.2.1"};
    for (size_t i = 0; i < 3; i++) {
        ldns_rr *rr = NULL;
        assert_int_equal(ldns_rr_new_frm_str(&rr, junk[i], 3600, NULL, NULL), LDNS_STATUS_OK);
        assert_int_equal(dns_update_add(u, rr), REG_OK);
    }
    ldns_rdf *b = ldns_dname_new_frm_str("b.dk.");
    assert_int_equal(dns_update_delete(u, b, LDNS_RR_TYPE_NS), REG_OK);
    ldns_rdf_deep_free(b);
    assert_int_equal(dns_primary_update(z.p, u, &st), REG_OK);
    dns_update_free(u);

    assert_int_equal(zone_updater_drifted(z.u, &drifted, &st), REG_OK);
    assert_true(drifted);
    struct zone_update_result r = level(&z);
    assert_int_equal(r.names, 3); /* zz.dk, ns.a.dk, b.dk */
    assert_int_equal(r.delegations, 2);
    char *dns = at_primary(&z);
    assert_null(strstr(dns, "zz.dk"));
    assert_null(strstr(dns, "192.0.2.99"));
    assert_non_null(strstr(dns, "b.dk.\t3600\tIN\tNS\tns.a.dk."));
    free(dns);
    /* the apex's name server's address (the primary's apex NS is
     * ns1.nic.dk) is the primary's: kept, though the data has none */
    assert_true(primary_has(&z, "ns1.nic.dk.\t3600\tIN\tA\t192.0.2.1"));
    u = dns_update_new();
    ldns_rdf *ns1 = ldns_dname_new_frm_str("ns1.nic.dk.");
    assert_int_equal(dns_update_delete(u, ns1, LDNS_RR_TYPE_A), REG_OK);
    ldns_rdf_deep_free(ns1);
    assert_int_equal(dns_primary_update(z.p, u, &st), REG_OK);
    dns_update_free(u);
    assert_level(&z);
    /* a level that finds nothing to do learns the serial all the same */
    assert_int_equal(zone_updater_drifted(z.u, &drifted, &st), REG_OK);
    assert_true(drifted);
    assert_int_equal(level(&z).names, 0);
    assert_int_equal(zone_updater_drifted(z.u, &drifted, &st), REG_OK);
    assert_false(drifted);
    stop(&z);
}

/* More than max_shrink (5 %) of the last zone file's delegations gone at
 * once: the stream is held, nothing sent, nothing lost; publication is
 * held until the file is published with --force, then the stream goes on. */
static void guard_holds_the_stream(void **state)
{
    struct ufx z;
    start(state, &z, "zu_guard");
    char name[32];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "d%02d.dk", i);
        delegate(&z, name, "ns1.example.net", NULL);
    }
    level(&z);
    struct zone_run run;
    reg_status st;
    EXPECT_OWN_TX(zone_publish(z.f.d, &z.zs, z.f.now, false, &run, &st), REG_OK, st);
    assert_false(run.held);
    assert_int_equal(run.counts.delegations, 20);

    hold(&z, "d00.dk", true); /* 1 of 20: 5 %, allowed */
    struct zone_update_result r = drain(&z);
    assert_false(r.held);
    assert_int_equal(r.delegations, 19);
    hold(&z, "d01.dk", true); /* 2 of 20 gone: 10 % */
    r = drain(&z);
    assert_true(r.held);
    assert_int_equal(r.rows, 0);
    struct zone_state zst;
    assert_int_equal(zone_state_get(z.f.d, &zst, &st), REG_OK);
    assert_true(zst.held_at > 0);
    assert_int_equal(zst.guard_refusals, 1);
    assert_true(primary_has(&z, "d01.dk")); /* still published */
    assert_true(scalar(&z.f, "SELECT COUNT(*) FROM zone_change", NULL) > 0);
    /* held: nothing goes, not even what the guard would let through */
    hold(&z, "d00.dk", false);
    r = drain(&z);
    assert_true(r.held);
    assert_int_equal(zone_state_get(z.f.d, &zst, &st), REG_OK);
    assert_int_equal(zst.guard_refusals, 1); /* one hold, not one per look */
    /* a level waits too */
    struct zone_update_result lv;
    assert_int_equal(zone_updater_level(z.u, z.f.now, &lv, &st), REG_OK);
    assert_true(lv.held);

    EXPECT_OWN_TX(zone_publish(z.f.d, &z.zs, z.f.now, true, &run, &st), REG_OK, st);
    r = drain(&z);
    assert_false(r.held);
    assert_int_equal(r.delegations, 19);
    assert_level(&z);
    stop(&z);
}

/* Before any zone file, the level compares with what the primary holds:
 * a database that lost half its delegations does not empty the primary. */
static void guard_holds_a_level_that_would_empty_the_primary(void **state)
{
    struct ufx z;
    start(state, &z, "zu_guard_level");
    char name[32];
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof name, "d%02d.dk", i);
        delegate(&z, name, "ns1.example.net", NULL);
    }
    level(&z);
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "d%02d.dk", i);
        hold(&z, name, true);
    }
    /* a new updater (registryd restarted) levels first */
    zone_updater_free(z.u);
    reg_status st;
    assert_int_equal(zone_updater_new(z.f.d, z.p, &z.zs, &z.u, &st), REG_OK);
    struct zone_update_result r;
    assert_int_equal(zone_updater_level(z.u, z.f.now, &r, &st), REG_OK);
    assert_true(r.held);
    assert_int_equal(r.names, 0);
    assert_true(primary_has(&z, "d00.dk"));
    stop(&z);
}

/* Records no zone may hold (a DS digest that is not hex, an address that
 * is none; the registry's checks keep them out, so the rows are written
 * here by hand) stop neither the stream nor a level: the name is logged
 * and passed over, the primary keeps what it had of it, and every other
 * change arrives. */
static void unpublishable_names_are_passed_over(void **state)
{
    struct ufx z;
    start(state, &z, "zu_unpub");
    delegate(&z, "a.dk", "ns1.example.net", NULL);
    delegate(&z, "b.dk", "ns1.example.net", NULL);
    make_host(&z.f, z.f.a, "ns.a.dk", "192.0.2.53");
    delegate(&z, "c.dk", "ns.a.dk", NULL);
    level(&z);
    assert_level(&z);
    exec_sql(&z.f, "INSERT INTO ds_record (domain_id, key_tag, alg, digest_type, digest) "
                   "SELECT id, 1, 13, 2, 'NOT-HEX' FROM domain WHERE name = 'b.dk'");
    exec_sql(&z.f, "UPDATE host_address SET address = 'not-an-address' "
                   "WHERE host_id = (SELECT id FROM host WHERE name = 'ns.a.dk')");
    delegate(&z, "d.dk", "ns2.example.net", NULL);
    struct zone_update_result r = drain(&z);
    assert_false(r.held);
    assert_int_equal(r.delegations, 4);
    assert_int_equal(scalar(&z.f, "SELECT COUNT(*) FROM zone_change", NULL), 0);
    assert_true(primary_has(&z, "d.dk.\t3600\tIN\tNS\tns2.example.net."));
    assert_true(primary_has(&z, "b.dk.\t3600\tIN\tNS\tns1.example.net."));
    assert_true(primary_has(&z, "ns.a.dk.\t3600\tIN\tA\t192.0.2.53"));
    assert_false(primary_has(&z, "b.dk.\t3600\tIN\tDS"));
    /* a level leaves them too, and counts the delegation */
    r = level(&z);
    assert_int_equal(r.delegations, 4);
    assert_true(primary_has(&z, "b.dk.\t3600\tIN\tNS\tns1.example.net."));
    assert_true(primary_has(&z, "ns.a.dk.\t3600\tIN\tA\t192.0.2.53"));
    stop(&z);
}

/* The queue must not be drained before the primary was levelled. */
static void drain_needs_a_level(void **state)
{
    struct ufx z;
    start(state, &z, "zu_order");
    struct zone_update_result r;
    reg_status st;
    assert_int_equal(zone_updater_drain(z.u, z.f.now, 10, &r, &st), REG_ERR_USE);
    stop(&z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(level_brings_an_empty_primary_level),
        BOTH_BACKENDS(queued_changes_arrive),
        BOTH_BACKENDS(level_mends_a_drifted_primary),
        BOTH_BACKENDS(guard_holds_the_stream),
        BOTH_BACKENDS(guard_holds_a_level_that_would_empty_the_primary),
        BOTH_BACKENDS(unpublishable_names_are_passed_over),
        BOTH_BACKENDS(drain_needs_a_level),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
