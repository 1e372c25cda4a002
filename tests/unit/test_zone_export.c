/* The zone file (src/zone/export.c, diff.c, guard.c) and the zone-export
 * job, on both backends: the layout with the default [zone] settings,
 * determinism (two runs differ in the serial only), atomic replacement,
 * the safety guard (held, logged, one alert mail a hold, --force), the
 * staff export to another file, and the diff. */
#include "regfixture.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "contrib/log.h"
#include "jobs/jobs.h"
#include "registry/domain.h"
#include "registry/host.h"
#include "registry/server_status.h"
#include "registry/zone_state.h"
#include "zone/diff.h"
#include "zone/export.h"

#define DIGEST "2BB183AF5F22588179A53B0A98631FAD1A292118A9B4B4D63B5E4E2B1F2F3F4C"

struct zfx {
    struct fixture f;
    struct reg_config cfg;
    struct zone_settings zs;
    char dir[512];
};

/* The fixture, the default configuration with [zone] file in a directory
 * of the test's own (made by the first export) and alerts to
 * hostmaster@nic.example; a holder and two external hosts. */
static void start(void **state, struct zfx *z, const char *base)
{
    memset(z, 0, sizeof *z);
    setup(state, &z->f, base);
    z->f.policy.allow_private_addresses = true;
    char err[SETTINGS_ERRLEN], file[600];
    if (config_load(&z->cfg, NULL, err, sizeof err))
        fail_msg("config_load: %s", err);
    snprintf(z->dir, sizeof z->dir, "%s/%s_%d_%s", test_tmpdir(), base, (int)getpid(),
             ((struct test_backend *)*state)->label);
    snprintf(file, sizeof file, "%s/zone/dk.zone", z->dir);
    assert_int_equal(settings_set(&reg_config_table, &z->cfg, "zone.file", file, err, sizeof err),
                     REG_OK);
    assert_int_equal(settings_set(&reg_config_table, &z->cfg, "zone.alert_email",
                                  "hostmaster@nic.example", err, sizeof err),
                     REG_OK);
    reg_status st;
    assert_int_equal(zone_settings_from_config(&z->cfg, &z->zs, &st), REG_OK);
    make_person(&z->f, z->f.a, "HOLDER", "holder@example.dk", "Jens Hansen", NULL);
    make_host(&z->f, z->f.a, "ns1.example.net", NULL);
    make_host(&z->f, z->f.a, "ns2.example.net", NULL);
}

static void stop(struct zfx *z)
{
    teardown(&z->f);
    config_free(&z->cfg);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", z->dir);
    assert_int_equal(system(cmd), 0);
}

static void delegate(struct zfx *z, const char *name, const char *ns1, const char *ns2)
{
    struct domain_create in = {TERMS, .name = name, .registrant = "REGA:HOLDER",
                               .ns = {ns1, ns2}, .nns = ns2 ? 2 : 1};
    make_domain_as(&z->f, z->f.a, &in);
}

static void server_hold(struct zfx *z, const char *name, bool add)
{
    struct reg_op op = staff(&z->f);
    char key[NAME_MAX_LEN + 1];
    reg_status st;
    OK(&z->f, server_status_change(&op, "domain", name, "serverHold", NULL, add, key, &st));
}

/* The whole file (caller frees); NULL if there is none. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, m);
    fclose(f);
    fclose(m);
    return buf;
}

static struct zone_run publish(struct zfx *z, reg_time now, bool force)
{
    struct zone_run r;
    reg_status st;
    EXPECT_OWN_TX(zone_publish(z->f.d, &z->zs, now, force, &r, &st), REG_OK, st);
    assert_false(db_in_transaction(z->f.d));
    return r;
}

/* Files in the zone's directory: the zone alone, no temporary left. */
static int files_in(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* The zone loads with every [zone] setting at its default (the system test
 * runs the checkers); layout, order, glue, DS, IDN, the held domain out. */
static void zone_file_with_the_defaults(void **state)
{
    struct zfx z;
    start(state, &z, "zfile_layout");
    delegate(&z, "b.dk", "ns2.example.net", "ns1.example.net");
    struct domain_create sig = {TERMS, .name = "bl\xc3\xa5" "b\xc3\xa6" "r.dk",
                                .registrant = "REGA:HOLDER", .ns = {"ns1.example.net"}, .nns = 1,
                                .ds = {{2371, 13, 2, DIGEST}}, .nds = 1};
    make_domain_as(&z.f, z.f.a, &sig);
    delegate(&z, "a.dk", "ns1.example.net", NULL);
    make_host(&z.f, z.f.a, "ns.a.dk", "192.0.2.53");
    delegate(&z, "c.dk", "ns.a.dk", "ns1.example.net");
    delegate(&z, "held.dk", "ns1.example.net", NULL);
    server_hold(&z, "held.dk", true);

    struct zone_run r = publish(&z, T0, false);
    assert_false(r.held);
    assert_int_equal(r.serial, T0);
    assert_int_equal(r.previous, 0);
    assert_int_equal(r.counts.delegations, 4);
    assert_int_equal(r.counts.records, 3 + 2 + 2 + 2 + 2); /* apex, a, b, c, blåbær */
    char *text = slurp(z.zs.file);
    assert_non_null(text);
    assert_string_equal(text,
                        "; the .dk zone, written by registryd (docs/zone.md)\n"
                        "dk.\t3600\tIN\tSOA\tns1.example.net. registry.localhost. 1798761600 "
                        "1800 900 1209600 900\n"
                        "dk.\t3600\tIN\tNS\tns1.example.net.\n"
                        "dk.\t3600\tIN\tNS\tns2.example.net.\n"
                        "a.dk.\t3600\tIN\tNS\tns1.example.net.\n"
                        "ns.a.dk.\t3600\tIN\tA\t192.0.2.53\n"
                        "b.dk.\t3600\tIN\tNS\tns1.example.net.\n"
                        "b.dk.\t3600\tIN\tNS\tns2.example.net.\n"
                        "c.dk.\t3600\tIN\tNS\tns.a.dk.\n"
                        "c.dk.\t3600\tIN\tNS\tns1.example.net.\n"
                        "xn--blbr-roah.dk.\t3600\tIN\tNS\tns1.example.net.\n"
                        "xn--blbr-roah.dk.\t3600\tIN\tDS\t2371 13 2 " DIGEST "\n");
    struct stat sb;
    assert_int_equal(stat(z.zs.file, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0644);
    char zonedir[600];
    snprintf(zonedir, sizeof zonedir, "%s/zone", z.dir);
    assert_int_equal(files_in(zonedir), 1);

    /* the same data again in the same second: only the serial moves */
    r = publish(&z, T0, false);
    assert_int_equal(r.serial, T0 + 1);
    char *again = slurp(z.zs.file);
    char *serial = strstr(text, "1798761600");
    memcpy(serial, "1798761601", 10);
    assert_string_equal(again, text);
    free(text);
    free(again);
    struct zone_state s;
    reg_status st;
    EXPECT_OWN_TX(zone_state_get(z.f.d, &s, &st), REG_OK, st);
    assert_int_equal(s.published_at, T0);
    assert_int_equal(s.published_serial, T0 + 1);
    assert_int_equal(s.published_delegations, 4);
    assert_int_equal(files_in(zonedir), 1);
    stop(&z);
}

/* Issue 14 item 3: more than max_shrink (5 %) of the delegations gone is
 * held: the file stays, one alert mail a hold, counted; --force publishes;
 * 5 % exactly is let through. */
static void guard_holds_a_shrinking_zone(void **state)
{
    struct zfx z;
    start(state, &z, "zfile_guard");
    for (int i = 0; i < 40; i++) {
        char name[16];
        snprintf(name, sizeof name, "d%02d.dk", i);
        delegate(&z, name, "ns1.example.net", NULL);
    }
    assert_int_equal(publish(&z, T0, false).counts.delegations, 40);
    char *before = slurp(z.zs.file);
    take_mails(&z.f);
    server_hold(&z, "d00.dk", true);
    server_hold(&z, "d01.dk", true);
    assert_int_equal(publish(&z, T0 + 300, false).held, false); /* 2 of 40: 5 % */
    char *shrunk = slurp(z.zs.file);
    assert_string_not_equal(shrunk, before);
    for (int i = 2; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "d%02d.dk", i);
        server_hold(&z, name, true);
    }
    struct zone_run r = publish(&z, T0 + 600, false); /* 3 of 38: 7.9 % */
    assert_true(r.held);
    assert_int_equal(r.previous, 38);
    assert_int_equal(r.counts.delegations, 35);
    char *kept = slurp(z.zs.file);
    assert_string_equal(kept, shrunk);
    struct mails *ms = take_mails(&z.f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "hostmaster@nic.example");
    assert_string_equal(ms->cause[0], "zone-held");
    assert_string_equal(ms->subject[0], "Zone .dk held by the safety guard");
    assert_contains(ms->body[0], "it would have removed 3 (7.9 %) of the 38 delegations");
    assert_contains(ms->body[0], "regctl zone export --force");
    /* held again: counted, no second mail */
    assert_true(publish(&z, T0 + 900, false).held);
    assert_int_equal(take_mails(&z.f)->n, 0);
    struct zone_state s;
    reg_status st;
    EXPECT_OWN_TX(zone_state_get(z.f.d, &s, &st), REG_OK, st);
    assert_int_equal(s.held_at, T0 + 600);
    assert_int_equal(s.held_delegations, 35);
    assert_int_equal(s.guard_refusals, 2);
    assert_int_equal(s.published_delegations, 38);
    /* staff look and publish it all the same */
    r = publish(&z, T0 + 1000, true);
    assert_false(r.held);
    EXPECT_OWN_TX(zone_state_get(z.f.d, &s, &st), REG_OK, st);
    assert_int_equal(s.held_at, 0);
    assert_int_equal(s.published_delegations, 35);
    assert_int_equal(s.published_serial, r.serial);
    char *forced = slurp(z.zs.file);
    assert_null(strstr(forced, "d04.dk."));
    assert_non_null(strstr(forced, "d05.dk."));
    /* a hold begun anew mails again */
    for (int i = 5; i < 10; i++) {
        char name[16];
        snprintf(name, sizeof name, "d%02d.dk", i);
        server_hold(&z, name, true);
    }
    assert_true(publish(&z, T0 + 1300, false).held);
    assert_int_equal(take_mails(&z.f)->n, 1);
    free(before);
    free(shrunk);
    free(kept);
    free(forced);
    stop(&z);
}

/* regctl zone export --out FILE: unguarded, not the published file, a
 * serial of its own. */
static void staff_export_elsewhere(void **state)
{
    struct zfx z;
    start(state, &z, "zfile_staff");
    delegate(&z, "a.dk", "ns1.example.net", NULL);
    publish(&z, T0, false);
    server_hold(&z, "a.dk", true); /* 100 % gone: the guard would hold it */
    char path[700];
    snprintf(path, sizeof path, "%s/copy.zone", z.dir);
    struct zone_run r;
    reg_status st;
    EXPECT_OWN_TX(zone_export_to(z.f.d, &z.zs, T0, path, &r, &st), REG_OK, st);
    assert_false(r.held);
    assert_int_equal(r.serial, T0 + 1);
    assert_int_equal(r.counts.delegations, 0);
    char *copy = slurp(path);
    assert_null(strstr(copy, "a.dk."));
    free(copy);
    struct zone_state s;
    EXPECT_OWN_TX(zone_state_get(z.f.d, &s, &st), REG_OK, st);
    assert_int_equal(s.published_serial, T0); /* not recorded as published */
    assert_int_equal(s.serial, T0 + 1);
    assert_int_equal(s.guard_refusals, 0);
    stop(&z);
}

/* regctl zone diff: record by record, the serial no change. */
static void diff_of_the_next_run(void **state)
{
    struct zfx z;
    start(state, &z, "zfile_diff");
    char *text = NULL;
    size_t len = 0;
    struct zone_diff r;
    reg_status st;
    /* nothing published yet: every record is new */
    FILE *out = open_memstream(&text, &len);
    EXPECT_OWN_TX(zone_diff(z.f.d, &z.zs, T0, out, &r, &st), REG_OK, st);
    fclose(out);
    assert_false(r.have_file);
    assert_int_equal(r.added, 3);
    assert_contains(text, "+ dk.\t3600\tIN\tNS\tns2.example.net.\n");
    /* no file: the apex shows the serial the next run would take */
    assert_contains(text, "+ dk.\t3600\tIN\tSOA\tns1.example.net. registry.localhost. "
                          "1798761600 ");
    free(text);

    delegate(&z, "a.dk", "ns1.example.net", NULL);
    delegate(&z, "b.dk", "ns1.example.net", NULL);
    delegate(&z, "c.dk", "ns1.example.net", NULL);
    publish(&z, T0, false);
    out = open_memstream(&text, &len);
    EXPECT_OWN_TX(zone_diff(z.f.d, &z.zs, T0 + 60, out, &r, &st), REG_OK, st);
    fclose(out);
    assert_string_equal(text, "");
    assert_int_equal(r.added + r.removed, 0);
    free(text);

    server_hold(&z, "a.dk", true);
    struct reg_op a = op_of(&z.f, "REGA");
    struct domain_update u = {.name = "b.dk", .add_ns = {"ns2.example.net"}, .nadd_ns = 1,
                              .add_ds = {{7, 13, 2, DIGEST}}, .nadd_ds = 1};
    OK(&z.f, domain_update(&a, &u, &st));
    delegate(&z, "d.dk", "ns2.example.net", NULL);
    out = open_memstream(&text, &len);
    EXPECT_OWN_TX(zone_diff(z.f.d, &z.zs, T0 + 60, out, &r, &st), REG_OK, st);
    fclose(out);
    assert_string_equal(text, "- a.dk.\t3600\tIN\tNS\tns1.example.net.\n"
                              "+ b.dk.\t3600\tIN\tNS\tns2.example.net.\n"
                              "+ b.dk.\t3600\tIN\tDS\t7 13 2 " DIGEST "\n"
                              "+ d.dk.\t3600\tIN\tNS\tns2.example.net.\n");
    assert_int_equal(r.removed, 1);
    assert_int_equal(r.added, 3);
    assert_int_equal(r.published, 3);
    assert_int_equal(r.next.delegations, 3);
    assert_false(r.would_hold);
    free(text);
    server_hold(&z, "c.dk", true);
    out = open_memstream(&text, &len);
    EXPECT_OWN_TX(zone_diff(z.f.d, &z.zs, T0 + 60, out, &r, &st), REG_OK, st);
    fclose(out);
    assert_true(r.would_hold); /* 3 → 2 */
    free(text);
    stop(&z);
}

/* The zone-export job writes [zone] file; the directory is made. */
static void zone_export_job(void **state)
{
    struct zfx z;
    start(state, &z, "zfile_job");
    delegate(&z, "a.dk", "ns1.example.net", NULL);
    struct jobs_request req = {.now = T0, .only = "zone-export"};
    reg_status st;
    EXPECT_OWN_TX(jobs_run(z.f.d, &z.cfg, &req, &st), REG_OK, st);
    char *text = slurp(z.zs.file);
    assert_non_null(text);
    assert_contains(text, "a.dk.\t3600\tIN\tNS\tns1.example.net.\n");
    free(text);
    assert_int_equal(scalar(&z.f, "SELECT published_delegations FROM zone_state", NULL), 1);
    assert_int_equal(jobs_find("zone-export")->interval_setting(&z.cfg), 300);
    stop(&z);
}

int main(void)
{
    log_set_level(LOG_OFF);
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(zone_file_with_the_defaults),
        BOTH_BACKENDS(guard_holds_a_shrinking_zone),
        BOTH_BACKENDS(staff_export_elsewhere),
        BOTH_BACKENDS(diff_of_the_next_run),
        BOTH_BACKENDS(zone_export_job),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
