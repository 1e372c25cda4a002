/* GET /health (health.h): one round trip to the database on the HTTP
 * thread's connection, which also replaces that connection once the
 * database is back (store/db.h); the free space of the filesystems the
 * registry writes to; where the scheduler runs, its jobs. Plain text, one
 * line per item that is wrong. */
#include "health.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#define MIB (1024 * 1024)

/* A filesystem the registry writes to, and what of ours is on it. */
struct fs {
    char what[64];
    dev_t dev;
    struct statvfs vfs;
    int err; /* errno of stat or statvfs, 0 when dev and vfs are set */
};

static void add_fs(struct fs *list, int *n, const char *what, const char *path)
{
    struct fs f = {.err = 0};
    snprintf(f.what, sizeof f.what, "%s", what);
    struct stat info;
    if (stat(path, &info) || statvfs(path, &f.vfs))
        f.err = errno;
    else
        f.dev = info.st_dev;
    for (int i = 0; i < *n && !f.err; i++)
        if (!list[i].err && list[i].dev == f.dev) { /* one filesystem */
            size_t len = strlen(list[i].what);
            snprintf(list[i].what + len, sizeof list[i].what - len, " and %s", what);
            return;
        }
    list[(*n)++] = f;
}

/* "disk: …" when the SQLite database's or [paths] var's filesystem has
 * less free than [health] disk_min_free (MiB) or disk_min_free_percent. */
static void check_disk(const struct reg_config *cfg, strbuf *lines)
{
    struct fs list[2];
    int n = 0;
    if (!strncmp(cfg->database_url, "sqlite:", 7)) {
        char path[4096];
        snprintf(path, sizeof path, "%s", cfg->database_url + 7);
        add_fs(list, &n, "the database", dirname(path));
    }
    add_fs(list, &n, "[paths] var", cfg->var_dir);
    for (int i = 0; i < n; i++) {
        if (list[i].err) {
            sb_printf(lines, "disk: %s cannot be checked: %s\n", list[i].what,
                      strerror(list[i].err));
            continue;
        }
        /* what an unprivileged writer may still use */
        unsigned long long size = (unsigned long long)list[i].vfs.f_blocks * list[i].vfs.f_frsize;
        unsigned long long avail = (unsigned long long)list[i].vfs.f_bavail * list[i].vfs.f_frsize;
        bool low = avail < (unsigned long long)cfg->health_disk_min_free * MIB ||
                   avail * 100 < size * (unsigned long long)cfg->health_disk_min_free_percent;
        if (low)
            sb_printf(lines, "disk: %s: %llu MiB free of %llu MiB (%.1f%%)\n", list[i].what,
                      avail / MIB, size / MIB, size ? 100.0 * (double)avail / (double)size : 0.0);
    }
}

static void overdue_line(const char *job, int64_t interval, bool overdue, reg_time last_ok,
                         void *arg)
{
    if (!overdue)
        return;
    char when[REG_TIME_STRLEN];
    if (last_ok)
        sb_printf(arg, "jobs: %s has not succeeded since %s (it runs every %llds)\n", job,
                  clock_format(last_ok, when, sizeof when), (long long)interval);
    else
        sb_printf(arg, "jobs: %s has never succeeded (it runs every %llds)\n", job,
                  (long long)interval);
}

void health_show(struct web_request *w)
{
    if (*w->rest) { /* the route is a prefix: /healthz is not ours */
        web_not_found(w);
        return;
    }
    strbuf sb;
    sb_init(&sb);
    bool db_ok = db_ping(w->db) == REG_OK;
    if (!db_ok)
        sb_puts(&sb, "database: unavailable\n");
    check_disk(w->cfg, &sb);
    reg_status st = {0};
    /* without the database the jobs' state cannot be read: that line says it */
    if (db_ok && w->jobs &&
        w->jobs->each(w->db, w->cfg, clock_now(), w->jobs->since, overdue_line, &sb, &st))
        sb_printf(&sb, "jobs: cannot be checked: %s\n", reg_status_text(&st));
    bool ok = sb.len == 0;
    if (ok)
        sb_puts(&sb, "ok\n");
    web_send_text(w, ok ? 200 : 503, &sb);
    sb_free(&sb);
}
