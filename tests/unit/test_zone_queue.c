/* The queue of zone changes (src/registry/zone_queue.c and the triggers of
 * src/store/sql/0018_zone_queue.sql; docs/zone.md "Incremental
 * publication"): every committed change that can alter the zone queues
 * the names it touches in its own transaction, whoever makes it (a
 * registrar, staff, a lifecycle job); a rolled-back one queues nothing;
 * nothing is queued while no primary is published to; the publisher reads
 * in id order and drops exactly what it delivered. On SQLite and
 * PostgreSQL. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/domain.h"
#include "registry/host.h"
#include "registry/lifecycle.h"
#include "registry/server_status.h"
#include "registry/zone_queue.h"

#define DS1 {.key_tag = 12345, .alg = 13, .digest_type = 2, \
             .digest = "2BB183AF5F22588179A53B0A98631FAD1A292118A8B2F7A8D4F6AE5A2A7C1E1F"}

/* REGA's holder, the domain example.dk with the in-bailiwick host
 * ns1.example.dk (192.0.2.1) and the external host ns.example.net. */
static void open_fx(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    f->policy.allow_private_addresses = true; /* documentation addresses (RFC 5737, 3849) */
    make_person(f, f->a, "HOLDER", "holder@example.net", "Jens Hansen", NULL);
    make_domain(f, "example.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_host(f, f->a, "ns1.example.dk", "192.0.2.1");
    make_host(f, f->a, "ns.example.net", NULL);
}

static void open_queue(struct fixture *f)
{
    reg_status st;
    assert_int_equal(zone_queue_open(f->d, "127.0.0.1:53", f->now, &st), REG_OK);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The queue as "domain:x.dk host:ns1.x.dk …", each entry once, sorted;
 * the rows are dropped as delivered. */
static const char *take_queue(struct fixture *f)
{
    static char out[4096];
    struct zone_change c[256];
    size_t n = 0;
    reg_status st;
    assert_int_equal(zone_queue_peek(f->d, c, 256, &n, &st), REG_OK);
    assert_true(n < 256);
    char *items[256];
    int64_t ids[256];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        char item[300];
        snprintf(item, sizeof item, "%s:%s", c[i].kind == ZONE_CHANGE_HOST ? "host" : "domain",
                 c[i].name);
        bool seen = false;
        for (size_t j = 0; j < m && !seen; j++)
            seen = !strcmp(items[j], item);
        if (!seen)
            items[m++] = strdup(item);
        ids[i] = c[i].id;
        if (i)
            assert_true(c[i].id > c[i - 1].id); /* in id order */
    }
    qsort(items, m, sizeof *items, cmp_str);
    out[0] = '\0';
    for (size_t i = 0; i < m; i++) {
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? " " : "", items[i]);
        free(items[i]);
    }
    assert_int_equal(zone_queue_done(f->d, ids, n, &st), REG_OK);
    assert_int_equal(scalar(f, "SELECT COUNT(*) FROM zone_change", NULL), 0);
    return out;
}

static void update(struct fixture *f, const struct reg_op *op, struct domain_update *u)
{
    reg_status st;
    OK(f, domain_update(op, u, &st));
}

/* Without a primary nothing is queued; open, every change is. */
static void queue_fills_only_while_open(void **state)
{
    struct fixture f;
    open_fx(state, &f, "zq_open");
    struct reg_op a = op_of(&f, "REGA");
    update(&f, &a, &(struct domain_update){.name = "example.dk", .add_ns = {"ns1.example.dk"},
                                           .nadd_ns = 1});
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM zone_change", NULL), 0);
    open_queue(&f);
    update(&f, &a, &(struct domain_update){.name = "example.dk", .add_ns = {"ns.example.net"},
                                           .nadd_ns = 1});
    assert_string_equal(take_queue(&f), "domain:example.dk");
    /* closed: the gate shuts and what waited goes */
    update(&f, &a, &(struct domain_update){.name = "example.dk", .rem_ns = {"ns.example.net"},
                                           .nrem_ns = 1});
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM zone_change", NULL), 1);
    reg_status st;
    assert_int_equal(zone_queue_close(f.d, &st), REG_OK);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM zone_change", NULL), 0);
    update(&f, &a, &(struct domain_update){.name = "example.dk", .add_ns = {"ns.example.net"},
                                           .nadd_ns = 1});
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM zone_change", NULL), 0);
    struct zone_queue_state zs;
    assert_int_equal(zone_queue_state(f.d, &zs, &st), REG_OK);
    assert_false(zs.open);
    teardown(&f);
}

/* A create with name servers and DS; NS and DS changes; an in-bailiwick
 * name server's glue is queued under the host's name. */
static void domain_changes_are_queued(void **state)
{
    struct fixture f;
    open_fx(state, &f, "zq_domain");
    open_queue(&f);
    struct reg_op a = op_of(&f, "REGA");
    make_domain_as(&f, f.a, &(struct domain_create){
                                .name = "new.dk", .registrant = "REGA:HOLDER",
                                .ns = {"ns1.example.dk", "ns.example.net"}, .nns = 2,
                                .ds = {DS1}, .nds = 1, TERMS});
    assert_string_equal(take_queue(&f), "domain:new.dk host:ns1.example.dk");
    update(&f, &a, &(struct domain_update){.name = "new.dk", .rem_ns = {"ns1.example.dk"},
                                           .nrem_ns = 1});
    assert_string_equal(take_queue(&f), "domain:new.dk host:ns1.example.dk");
    update(&f, &a, &(struct domain_update){.name = "new.dk", .rem_all_ds = true});
    assert_string_equal(take_queue(&f), "domain:new.dk");
    update(&f, &a, &(struct domain_update){.name = "new.dk", .add_ds = {DS1}, .nadd_ds = 1});
    assert_string_equal(take_queue(&f), "domain:new.dk");
    /* a change of contacts only leaves the zone alone */
    make_person(&f, f.a, "TECH", "tech@example.net", "Tina Tech", NULL);
    update(&f, &a, &(struct domain_update){
                       .name = "new.dk",
                       .add_contacts = {{.role = "tech", .handle = "REGA:TECH"}},
                       .nadd_contacts = 1});
    assert_string_equal(take_queue(&f), "");
    teardown(&f);
}

/* Holds set and cleared by staff (regctl status) and by the registrar;
 * delete (pendingDelete), restore, purge. */
static void status_changes_are_queued(void **state)
{
    struct fixture f;
    open_fx(state, &f, "zq_status");
    open_queue(&f);
    struct reg_op a = op_of(&f, "REGA"), s = staff(&f);
    char key[NAME_MAX_LEN + 1];
    reg_status st;
    OK(&f, server_status_change(&s, "domain", "example.dk", "serverHold", NULL, true, key, &st));
    assert_string_equal(take_queue(&f), "domain:example.dk");
    OK(&f, server_status_change(&s, "domain", "example.dk", "serverHold", NULL, false, key, &st));
    assert_string_equal(take_queue(&f), "domain:example.dk");
    update(&f, &a, &(struct domain_update){.name = "example.dk", .add_status = {"clientHold"},
                                           .nadd_status = 1});
    assert_string_equal(take_queue(&f), "domain:example.dk");
    /* a host's status is no matter of the zone */
    OK(&f, server_status_change(&s, "host", "ns1.example.dk", "serverUpdateProhibited", NULL,
                                true, key, &st));
    assert_string_equal(take_queue(&f), "");
    make_domain(&f, "gone.dk", "REGA:HOLDER", NULL, 0, NULL);
    assert_string_equal(take_queue(&f), "domain:gone.dk");
    bool pending;
    OK(&f, domain_delete(&a, "gone.dk", &pending, &st));
    assert_true(pending);
    assert_string_equal(take_queue(&f), "domain:gone.dk");
    OK(&f, domain_restore(&a, "gone.dk", &st));
    assert_string_equal(take_queue(&f), "domain:gone.dk");
    /* the columns that keep a domain out of the zone, whoever sets them;
     * a renewal's new expiry is no matter of the zone */
    exec_sql(&f, "UPDATE domain SET idcheck_delete_at = 1 WHERE name = 'example.dk'");
    assert_string_equal(take_queue(&f), "domain:example.dk");
    exec_sql(&f, "UPDATE domain SET expires_at = expires_at + 86400 WHERE name = 'example.dk'");
    assert_string_equal(take_queue(&f), "");
    /* purged for good */
    OK(&f, domain_delete(&a, "gone.dk", &pending, &st));
    take_queue(&f);
    OK(&f, domain_purge(&s, "gone.dk", &st));
    assert_string_equal(take_queue(&f), "domain:gone.dk");
    teardown(&f);
}

/* Expiry: the lifecycle job's serverHold is queued like staff's (both
 * domains of the fixture expire together). */
static void expiry_hold_is_queued(void **state)
{
    struct fixture f;
    open_fx(state, &f, "zq_expiry");
    f.policy.autorenew = false;
    open_queue(&f);
    reg_time expires;
    make_domain(&f, "late.dk", "REGA:HOLDER", NULL, 0, &expires);
    take_queue(&f);
    assert_int_equal(run_job(&f, expires + 15 * DAY, lifecycle_hold_expired), 2);
    assert_string_equal(take_queue(&f), "domain:example.dk domain:late.dk");
    teardown(&f);
}

/* Addresses of an in-bailiwick host, a rename (its glue under both names
 * and the NS sets that name it), a delete; an external host's changes are
 * no matter of glue. */
static void host_changes_are_queued(void **state)
{
    struct fixture f;
    open_fx(state, &f, "zq_host");
    struct reg_op a = op_of(&f, "REGA");
    update(&f, &a, &(struct domain_update){.name = "example.dk", .add_ns = {"ns1.example.dk"},
                                           .nadd_ns = 1});
    open_queue(&f);
    reg_status st;
    struct host_addr_in v6 = {.addr = "2001:db8::1", .version = 6};
    OK(&f, host_update(&a, &(struct host_update){.name = "ns1.example.dk", .add_addrs = &v6,
                                                 .nadd_addrs = 1},
                       &st));
    assert_string_equal(take_queue(&f), "host:ns1.example.dk");
    struct host_addr_in v4 = {.addr = "192.0.2.1", .version = 4};
    OK(&f, host_update(&a, &(struct host_update){.name = "ns1.example.dk", .rem_addrs = &v4,
                                                 .nrem_addrs = 1},
                       &st));
    assert_string_equal(take_queue(&f), "host:ns1.example.dk");
    OK(&f, host_update(&a, &(struct host_update){.name = "ns1.example.dk",
                                                 .new_name = "ns2.example.dk"},
                       &st));
    assert_string_equal(take_queue(&f),
                        "domain:example.dk host:ns1.example.dk host:ns2.example.dk");
    make_host(&f, f.a, "ns3.example.dk", "192.0.2.3");
    assert_string_equal(take_queue(&f), "host:ns3.example.dk");
    OK(&f, host_delete(&a, "ns3.example.dk", &st));
    assert_string_equal(take_queue(&f), "host:ns3.example.dk");
    OK(&f, host_update(&a, &(struct host_update){.name = "ns.example.net",
                                                 .admin = ""}, &st));
    assert_string_equal(take_queue(&f), "");
    teardown(&f);
}

/* A rolled-back change queues nothing: the row is in the change's own
 * transaction. */
static void rollback_queues_nothing(void **state)
{
    struct fixture f;
    open_fx(state, &f, "zq_rollback");
    open_queue(&f);
    struct reg_op a = op_of(&f, "REGA");
    reg_status st;
    assert_int_equal(db_begin(f.d), REG_OK);
    struct domain_update u = {.name = "example.dk", .add_ns = {"ns1.example.dk"}, .nadd_ns = 1};
    assert_int_equal(domain_update(&a, &u, &st), REG_OK);
    assert_true(scalar(&f, "SELECT COUNT(*) FROM zone_change", NULL) > 0);
    assert_int_equal(db_rollback(f.d), REG_OK);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM zone_change", NULL), 0);
    teardown(&f);
}

/* The publisher reads in id order, at most what it asks for, and drops
 * only the rows it names: one queued meanwhile stays. */
static void done_drops_exactly_the_delivered(void **state)
{
    struct fixture f;
    open_fx(state, &f, "zq_done");
    open_queue(&f);
    make_domain(&f, "a.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain(&f, "b.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain(&f, "c.dk", "REGA:HOLDER", NULL, 0, NULL);
    struct zone_change c[2];
    size_t n;
    reg_status st;
    assert_int_equal(zone_queue_peek(f.d, c, 2, &n, &st), REG_OK);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].name, "a.dk");
    assert_string_equal(c[1].name, "b.dk");
    int64_t *all;
    size_t nall;
    assert_int_equal(zone_queue_ids(f.d, &all, &nall, &st), REG_OK);
    assert_int_equal(nall, 3);
    assert_int_equal(all[0], c[0].id);
    free(all);
    int64_t ids[] = {c[0].id, c[1].id};
    assert_int_equal(zone_queue_done(f.d, ids, 2, &st), REG_OK);
    assert_string_equal(take_queue(&f), "domain:c.dk");
    teardown(&f);
}

static int collect(const char *host, void *ctx)
{
    char *out = ctx;
    snprintf(out + strlen(out), 512 - strlen(out), "%s%s", *out ? " " : "", host);
    return 0;
}

/* The glue a domain change may touch: in-bailiwick hosts of its NS set and
 * its own subordinate hosts, not external ones. */
static void domain_hosts_lists_glue_candidates(void **state)
{
    struct fixture f;
    open_fx(state, &f, "zq_hosts");
    make_domain(&f, "other.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_host(&f, f.a, "ns.other.dk", "192.0.2.7");
    struct reg_op a = op_of(&f, "REGA");
    update(&f, &a, &(struct domain_update){.name = "example.dk",
                                           .add_ns = {"ns.other.dk", "ns.example.net"},
                                           .nadd_ns = 2});
    char out[512] = "";
    reg_status st;
    assert_int_equal(zone_domain_hosts(f.d, "example.dk", collect, out, &st), REG_OK);
    assert_string_equal(out, "ns.other.dk ns1.example.dk");
    out[0] = '\0';
    assert_int_equal(zone_domain_hosts(f.d, "none.dk", collect, out, &st), REG_OK);
    assert_string_equal(out, "");
    teardown(&f);
}

/* What the publisher records: successes clear the last error, errors keep
 * the rest. */
static void state_records_attempts(void **state)
{
    struct fixture f;
    open_fx(state, &f, "zq_state");
    open_queue(&f);
    make_domain(&f, "a.dk", "REGA:HOLDER", NULL, 0, NULL);
    reg_status st;
    struct zone_queue_state zs;
    assert_int_equal(zone_queue_state(f.d, &zs, &st), REG_OK);
    assert_true(zs.open);
    assert_string_equal(zs.address, "127.0.0.1:53");
    assert_int_equal(zs.queued, 1);
    assert_true(zs.oldest > 0);
    assert_false(zs.has_serial);
    struct zone_attempt lv = {.level = true, .has_serial = true, .serial = 7, .delegations = 3,
                              .names = 4};
    assert_int_equal(zone_queue_note(f.d, &lv, 1000, &st), REG_OK);
    struct zone_attempt bad = {.error = "connection refused", .delegations = -1};
    assert_int_equal(zone_queue_note(f.d, &bad, 1001, &st), REG_OK);
    assert_int_equal(zone_queue_state(f.d, &zs, &st), REG_OK);
    assert_string_equal(zs.last_error, "connection refused");
    assert_int_equal(zs.last_error_at, 1001);
    assert_int_equal(zs.serial, 7);
    assert_int_equal(zs.delegations, 3);
    assert_int_equal(zs.levelled_at, 1000);
    struct zone_attempt up = {.has_serial = true, .serial = 8, .delegations = -1, .names = 2};
    assert_int_equal(zone_queue_note(f.d, &up, 1002, &st), REG_OK);
    assert_int_equal(zone_queue_state(f.d, &zs, &st), REG_OK);
    assert_string_equal(zs.last_error, "");
    assert_int_equal(zs.serial, 8);
    assert_int_equal(zs.delegations, 3);
    assert_int_equal(zs.sent_at, 1002);
    assert_int_equal(zs.sent_total, 6);
    /* opening again keeps the state and the queue */
    assert_int_equal(zone_queue_open(f.d, "127.0.0.1:5353", f.now, &st), REG_OK);
    assert_int_equal(zone_queue_state(f.d, &zs, &st), REG_OK);
    assert_string_equal(zs.address, "127.0.0.1:5353");
    assert_int_equal(zs.serial, 8);
    assert_int_equal(zs.queued, 1);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(queue_fills_only_while_open),
        BOTH_BACKENDS(domain_changes_are_queued),
        BOTH_BACKENDS(status_changes_are_queued),
        BOTH_BACKENDS(expiry_hold_is_queued),
        BOTH_BACKENDS(host_changes_are_queued),
        BOTH_BACKENDS(rollback_queues_nothing),
        BOTH_BACKENDS(done_drops_exactly_the_delivered),
        BOTH_BACKENDS(domain_hosts_lists_glue_candidates),
        BOTH_BACKENDS(state_records_attempts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
