/* The zone file (export.h). */
#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contrib/log.h"
#include "guard.h"
#include "registry/op.h"
#include "registry/zone_state.h"
#include "store/db.h"
#include "rr.h"

/* ---- rendering ------------------------------------------------------------------------- */

reg_err zone_render_apex(strbuf *out, const struct zone_settings *zs, uint32_t serial,
                         reg_status *st)
{
    struct zone_soa soa = {zs->mname, zs->rname, serial, zs->refresh, zs->retry, zs->expire,
                           zs->minimum};
    reg_err e = zone_rr_soa(out, zs->origin, zs->ttl, &soa, st);
    for (size_t i = 0; !e && i < zs->n_ns; i++)
        e = zone_rr_ns(out, zs->origin, zs->ttl, zs->ns[i], st);
    return e;
}

reg_err zone_render_name(strbuf *out, const struct zone_settings *zs,
                         const struct zone_delegation *z, int64_t *records, reg_status *st)
{
    reg_err e = REG_OK;
    for (size_t i = 0; !e && i < z->n_ns; i++)
        e = zone_rr_ns(out, z->name, zs->ttl, z->ns[i], st);
    for (size_t i = 0; !e && i < z->n_ds; i++)
        e = zone_rr_ds(out, z->name, zs->ttl, &z->ds[i], st);
    *records += (int64_t)(z->n_ns + z->n_ds);
    for (size_t g = 0; !e && g < z->n_glue; g++) {
        for (size_t i = 0; !e && i < z->glue[g].n_addr; i++)
            e = zone_rr_addr(out, z->glue[g].host, zs->ttl, &z->glue[g].addr[i], st);
        *records += (int64_t)z->glue[g].n_addr;
    }
    return e;
}

struct writer {
    FILE *f;
    strbuf sb;
    const struct zone_settings *zs;
    struct zone_counts *c;
    reg_status *st;
};

static reg_err flush_to(struct writer *w)
{
    if (w->sb.err)
        return reg_fail(w->st, w->sb.err, "cannot format the zone: %s", reg_strerror(w->sb.err));
    if (w->sb.len && fwrite(w->sb.data, 1, w->sb.len, w->f) != w->sb.len)
        return reg_fail(w->st, REG_ERR_IO, "cannot write the zone: %s", strerror(errno));
    sb_reset(&w->sb);
    return REG_OK;
}

static int write_name(const struct zone_delegation *z, void *arg)
{
    struct writer *w = arg;
    reg_err e = zone_render_name(&w->sb, w->zs, z, &w->c->records, w->st);
    if (!e && z->n_ns)
        w->c->delegations++;
    /* a block is small: write every 64 KiB or so, not every name */
    if (!e && w->sb.len >= 65536)
        e = flush_to(w);
    return (int)e;
}

reg_err zone_write(db *d, const struct zone_settings *zs, reg_time now, uint32_t serial,
                   FILE *f, struct zone_counts *c, reg_status *st)
{
    memset(c, 0, sizeof *c);
    struct writer w = {.f = f, .zs = zs, .c = c, .st = st};
    sb_init(&w.sb);
    sb_printf(&w.sb, "; the .%s zone, written by registryd (docs/zone.md)\n", zs->origin);
    reg_err e = zone_render_apex(&w.sb, zs, serial, st);
    c->records = 1 + (int64_t)zs->n_ns;
    /* before the walk too: to standard output, its text leaves as it goes */
    if (!e && db_sync_commits(d))
        e = db_fail(d, st, REG_ERR_IO);
    if (!e)
        e = zone_data_walk(d, now, write_name, &w, st);
    /* what it read may be committed and not yet on the disk (store/db.h,
     * db_sync_commits): a zone is published only once it is */
    if (!e && db_sync_commits(d))
        e = db_fail(d, st, REG_ERR_IO);
    if (!e)
        e = flush_to(&w);
    sb_free(&w.sb);
    return e;
}

/* ---- files ----------------------------------------------------------------------------- */

static reg_err io_fail(reg_status *st, const char *what, const char *path)
{
    return reg_fail(st, REG_ERR_IO, "cannot %s %s: %s", what, path, strerror(errno));
}

/* The directory of path, fsync'd so a rename in it is on disk. */
static reg_err sync_dir(const char *path, reg_status *st)
{
    char buf[ZONE_PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    const char *dir = dirname(buf);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return io_fail(st, "open the directory", dir);
    int rc = fsync(fd);
    close(fd);
    return rc ? io_fail(st, "sync the directory", dir) : REG_OK;
}

/* The directories down to path's, made when missing (mkdir -p): a fresh
 * installation's [paths] var/TLD.zone, or a directory of the name
 * server's. */
static reg_err make_dirs(const char *path, reg_status *st)
{
    char dir[ZONE_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return REG_OK;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(dir, 0755);
        *p = '/';
    }
    return mkdir(dir, 0755) && errno != EEXIST ? io_fail(st, "create the directory", dir)
                                               : REG_OK;
}

/* The zone into a new temporary file beside path (its name in tmp),
 * written and on disk. */
static reg_err write_temp(db *d, const struct zone_settings *zs, reg_time now, uint32_t serial,
                          const char *path, char tmp[ZONE_PATH_MAX + 16], struct zone_counts *c,
                          reg_status *st)
{
    snprintf(tmp, ZONE_PATH_MAX + 16, "%s.XXXXXX", path);
    reg_err e = make_dirs(path, st);
    int fd = e ? -1 : mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        if (!e)
            e = io_fail(st, "create a file beside", path);
        tmp[0] = '\0';
        return e;
    }
    /* name servers read it under another user: world-readable as zone
     * files are (mkstemp makes it 0600) */
    FILE *f = fchmod(fd, 0644) ? NULL : fdopen(fd, "w");
    if (!f) {
        e = io_fail(st, "prepare", tmp);
        close(fd);
        return e;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 16);
    e = zone_write(d, zs, now, serial, f, c, st);
    if (!e && (fflush(f) || fsync(fd)))
        e = io_fail(st, "write", tmp);
    if (fclose(f) && !e)
        e = io_fail(st, "write", tmp);
    return e;
}

/* The next serial, in a transaction of its own. */
static reg_err take_serial(db *d, reg_time now, int64_t *serial, reg_status *st)
{
    reg_err e = db_begin(d);
    if (e)
        return reg_fail(st, e, "cannot take the zone's serial: %s", db_errmsg(d));
    if ((e = zone_serial_next(d, now, serial, st))) {
        db_rollback(d);
        return e;
    }
    if ((e = db_commit(d)))
        return reg_fail(st, e, "cannot take the zone's serial: %s", db_errmsg(d));
    return REG_OK;
}

/* The file published, in a transaction of its own. */
static reg_err record_published(db *d, reg_time now, const struct zone_run *r, reg_status *st)
{
    reg_err e = db_begin(d);
    if (!e && (e = zone_state_published(d, now, r->serial, r->counts.delegations, st))) {
        db_rollback(d);
        return e;
    }
    if (!e)
        e = db_commit(d);
    return e ? reg_fail(st, e, "cannot record the zone's publication: %s", db_errmsg(d))
             : REG_OK;
}

/* A failed publication is remembered (for regctl zone status) as well as
 * returned. */
static reg_err failed(db *d, reg_time now, reg_err e, reg_status *st)
{
    reg_status ignored = {0};
    if (db_begin(d) == REG_OK) {
        if (zone_state_failed(d, now, reg_status_text(st), &ignored) || db_commit(d))
            db_rollback(d);
    }
    return e;
}

reg_err zone_publish(db *d, const struct zone_settings *zs, reg_time now, bool force,
                     struct zone_run *r, reg_status *st)
{
    memset(r, 0, sizeof *r);
    reg_err e = zone_guard_previous(d, &r->previous, st);
    if (e)
        return e;
    if ((e = take_serial(d, now, &r->serial, st)))
        return failed(d, now, e, st);
    char tmp[ZONE_PATH_MAX + 16];
    int64_t t0 = clock_mono_us();
    e = write_temp(d, zs, now, (uint32_t)r->serial, zs->file, tmp, &r->counts, st);
    if (!e && !force && zone_guard_refuses(r->previous, r->counts.delegations, zs->max_shrink)) {
        unlink(tmp);
        r->held = true;
        return zone_guard_hold(d, zs, now, r->previous, r->counts.delegations, st);
    }
    if (!e && rename(tmp, zs->file))
        e = io_fail(st, "replace", zs->file);
    if (e) {
        if (*tmp)
            unlink(tmp);
        return failed(d, now, e, st);
    }
    if ((e = sync_dir(zs->file, st)) ||
        (e = record_published(d, now, r, st)))
        return failed(d, now, e, st);
    reg_log(LOG_INFO, "zone", NULL, "zone-published",
            "tld=%s serial=%lld delegations=%lld records=%lld ms=%lld forced=%s", zs->origin,
            (long long)r->serial, (long long)r->counts.delegations,
            (long long)r->counts.records, (long long)((clock_mono_us() - t0) / 1000),
            force ? "yes" : "no");
    return REG_OK;
}

reg_err zone_export_to(db *d, const struct zone_settings *zs, reg_time now, const char *path,
                       struct zone_run *r, reg_status *st)
{
    memset(r, 0, sizeof *r);
    reg_err e = take_serial(d, now, &r->serial, st);
    if (e)
        return e;
    if (!strcmp(path, "-")) {
        e = zone_write(d, zs, now, (uint32_t)r->serial, stdout, &r->counts, st);
        if (!e && fflush(stdout))
            e = io_fail(st, "write", "standard output");
        return e;
    }
    char tmp[ZONE_PATH_MAX + 16];
    e = write_temp(d, zs, now, (uint32_t)r->serial, path, tmp, &r->counts, st);
    if (!e && rename(tmp, path))
        e = io_fail(st, "replace", path);
    if (e && *tmp)
        unlink(tmp);
    return e ? e : sync_dir(path, st);
}
