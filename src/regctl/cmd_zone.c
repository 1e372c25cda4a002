#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "registry/zone_queue.h"
#include "registry/zone_state.h"
#include "regctl.h"
#include "zone/diff.h"
#include "zone/export.h"
#include "zone/guard.h"

/* regctl zone export|status|diff: the TLD zone (docs/zone.md). */
static int cmd_export(struct regctl *ctl, int argc, char **argv);
static int cmd_status(struct regctl *ctl, int argc, char **argv);
static int cmd_diff(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_zone_cmds[] = {
    {"export", cmd_export, "zone export [--out FILE] [--force]",
     "write the zone now: to [zone] file as the zone-export job does (--force publishes what "
     "the safety guard holds), or a staff copy to FILE, unguarded (- for standard output)"},
    {"status", cmd_status, "zone status",
     "the last serial, the last zone file published, the safety guard's hold, the last error; "
     "the DNS primary updated ([zone] primary): its serial, the updates waiting, its last "
     "error"},
    {"diff", cmd_diff, "zone diff",
     "what the next zone-export run would change in [zone] file, record by record, and "
     "whether the safety guard would hold it"},
    {NULL, NULL, NULL, NULL},
};

/* The zone's settings; and the database when db is given (NULL after a
 * failure, which is printed). */
static bool open_zone(struct regctl *ctl, struct zone_settings *zs, db **d, const char *what)
{
    reg_status st = {0};
    if (zone_settings_from_config(&ctl->cfg, zs, &st)) {
        regctl_fail(what, "%s", reg_status_text(&st));
        return false;
    }
    return !d || (*d = regctl_db(ctl)) != NULL;
}

/* Is `out` the published file (by name, or the same file by another)? */
static bool is_published_file(const char *out, const char *file)
{
    struct stat a, b;
    return !strcmp(out, file) ||
           (!stat(out, &a) && !stat(file, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

static int publish(db *d, const struct zone_settings *zs, bool force)
{
    db_lease *lease = NULL;
    reg_err e = db_lease_try(d, "zone-export", &lease);
    if (e == REG_ERR_LOCKED)
        return regctl_fail("zone export", "the zone-export job is running (in registryd or "
                                          "another regctl); try again in a moment");
    if (e)
        return regctl_fail("zone export", "cannot take the zone-export lease: %s",
                           db_errmsg(d));
    struct zone_run r;
    reg_status st = {0};
    e = zone_publish(d, zs, clock_now(), force, &r, &st);
    db_lease_release(lease);
    if (e)
        return regctl_fail("zone export", "%s", reg_status_text(&st));
    if (r.held) {
        char removed[64];
        zone_guard_removed(r.previous, r.counts.delegations, removed, sizeof removed);
        return regctl_fail("zone export",
                           "held by the safety guard: %s of the %lld delegations published "
                           "last would go (the limit is %d %%); regctl zone diff shows what, "
                           "regctl zone export --force publishes it",
                           removed, (long long)r.previous, zs->max_shrink);
    }
    printf("zone .%s serial %lld: %lld delegations, %lld records written to %s\n", zs->origin,
           (long long)r.serial, (long long)r.counts.delegations, (long long)r.counts.records,
           zs->file);
    return 0;
}

static int cmd_export(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_zone_cmds[0];
    static const struct option opts[] = {{"out", required_argument, 0, 'o'},
                                         {"force", no_argument, 0, 'f'},
                                         {0, 0, 0, 0}};
    const char *out = NULL;
    bool force = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else if (c == 'f')
            force = true;
        else
            return regctl_usage_error(me, "unknown option or missing value \"%s\"",
                                      argv[optind - 1]);
    }
    if (optind != argc)
        return regctl_usage_error(me, "unexpected argument \"%s\"", argv[optind]);
    struct zone_settings zs;
    if (!open_zone(ctl, &zs, NULL, "zone export"))
        return EXIT_FAIL;
    bool published = !out || is_published_file(out, zs.file);
    if (force && !published)
        return regctl_usage_error(me, "--force is for [zone] file (%s): a copy to another file "
                                      "is never held", zs.file);
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    if (published)
        return publish(d, &zs, force);
    struct zone_run r;
    reg_status st = {0};
    if (zone_export_to(d, &zs, clock_now(), out, &r, &st))
        return regctl_fail("zone export", "%s", reg_status_text(&st));
    if (strcmp(out, "-"))
        printf("zone .%s serial %lld: %lld delegations, %lld records written to %s\n",
               zs.origin, (long long)r.serial, (long long)r.counts.delegations,
               (long long)r.counts.records, out);
    return 0;
}

/* The incremental publication to the primary (docs/zone.md "Incremental
 * publication"), as its publisher recorded it; times are wall-clock. */
static int primary_status(db *d, const struct reg_config *cfg)
{
    struct zone_queue_state q;
    reg_status st = {0};
    if (zone_queue_state(d, &q, &st))
        return regctl_fail("zone status", "%s", reg_status_text(&st));
    char t[REG_TIME_STRLEN];
    if (!q.open) {
        printf("primary:         none%s\n",
               *cfg->zone_primary ? " yet (registryd's jobs service opens it)" : "");
        return 0;
    }
    printf("primary:         %s, updated since %s\n", q.address, regctl_time(q.since, t));
    if (q.has_serial)
        printf("primary serial:  %lld, %lld delegations\n", (long long)q.serial,
               (long long)q.delegations);
    printf("last level:      %s\n", q.levelled_at ? regctl_time(q.levelled_at, t) : "never");
    printf("last update:     %s, %lld names sent in all\n",
           q.sent_at ? regctl_time(q.sent_at, t) : "never", (long long)q.sent_total);
    if (q.queued)
        printf("queued updates:  %lld, the oldest since %s\n", (long long)q.queued,
               regctl_time(q.oldest, t));
    else
        printf("queued updates:  0\n");
    if (*q.last_error)
        printf("primary error:   %s: %s\n", regctl_time(q.last_error_at, t), q.last_error);
    else
        printf("primary error:   none\n");
    return 0;
}

static int cmd_status(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 1)
        return regctl_usage_error(&regctl_zone_cmds[1], "unexpected argument \"%s\"", argv[1]);
    struct zone_settings zs;
    db *d;
    if (!open_zone(ctl, &zs, &d, "zone status"))
        return EXIT_FAIL;
    struct zone_state s;
    reg_status st = {0};
    if (zone_state_get(d, &s, &st))
        return regctl_fail("zone status", "%s", reg_status_text(&st));
    char t[REG_TIME_STRLEN];
    printf("zone:            .%s\n", zs.origin);
    printf("file:            %s\n", zs.file);
    printf("last serial:     %lld\n", (long long)s.serial);
    if (s.published_at)
        printf("last published:  %s, serial %lld, %lld delegations\n",
               regctl_time(s.published_at, t), (long long)s.published_serial,
               (long long)s.published_delegations);
    else
        printf("last published:  never\n");
    if (s.held_at) {
        char removed[64];
        zone_guard_removed(s.published_delegations, s.held_delegations, removed, sizeof removed);
        printf("safety guard:    HELD since %s: the last run would have removed %s of %lld "
               "delegations (limit %d %%); regctl zone diff, then regctl zone export --force\n",
               regctl_time(s.held_at, t), removed, (long long)s.published_delegations,
               zs.max_shrink);
    } else {
        printf("safety guard:    not holding (limit %d %%)\n", zs.max_shrink);
    }
    printf("runs held:       %lld\n", (long long)s.guard_refusals);
    if (s.error_at)
        printf("last error:      %s: %s\n", regctl_time(s.error_at, t), s.error);
    else
        printf("last error:      none\n");
    return primary_status(d, &ctl->cfg);
}

static int cmd_diff(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 1)
        return regctl_usage_error(&regctl_zone_cmds[2], "unexpected argument \"%s\"", argv[1]);
    struct zone_settings zs;
    db *d;
    if (!open_zone(ctl, &zs, &d, "zone diff"))
        return EXIT_FAIL;
    struct zone_diff r;
    reg_status st = {0};
    if (zone_diff(d, &zs, clock_now(), stdout, &r, &st))
        return regctl_fail("zone diff", "%s", reg_status_text(&st));
    if (!r.have_file)
        printf("no zone file at %s yet: every record is new\n", zs.file);
    char removed[64];
    zone_guard_removed(r.published, r.next.delegations, removed, sizeof removed);
    printf("%lld records added, %lld removed; delegations: %lld published last, %lld next "
           "(%s fewer); the safety guard (limit %d %%) would %s\n",
           (long long)r.added, (long long)r.removed, (long long)r.published,
           (long long)r.next.delegations, removed, zs.max_shrink,
           r.would_hold ? "hold it" : "let it through");
    return 0;
}
