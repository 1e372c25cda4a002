/* Schema migrations: one set of SQL files (src/store/sql/), dialect tokens
 * rewritten per driver, each applied in its own transaction together with
 * its row in schema_version, so a crash never leaves half a migration.
 *
 * What no token can bridge (triggers: SQLite's BEGIN … END bodies against
 * PostgreSQL's trigger functions) goes in blocks for one backend: a line
 * {{sqlite}} or {{pgsql}} opens one, a line {{end}} closes it; the other
 * backend never sees it. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../contrib/clock.h"
#include "../contrib/log.h"
#include "db_driver.h"
#include "migrate.h"

static const char create_version_table[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

struct migration {
    int version;
    const struct embedded_file *file;
};

static struct migration migration_at(size_t i)
{
    struct migration m = {atoi(db_migration_files[i].name), &db_migration_files[i]};
    return m;
}

int db_schema_latest(void)
{
    return db_migration_files_count ? migration_at(db_migration_files_count - 1).version : 0;
}

const char *db_migration_name(int version)
{
    for (size_t i = 0; i < db_migration_files_count; i++)
        if (migration_at(i).version == version)
            return db_migration_files[i].name;
    return NULL;
}

static int current_version(db *d)
{
    db_stmt *s = db_query(d, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    int v = db_next(s) ? (int)db_col_int(s, 0) : -1;
    return db_done(s) ? -1 : v;
}

int db_schema_version(db *d)
{
    return current_version(d);
}

/* 1 when version is recorded, 0 when not, -1 on error. Each migration is
 * looked up by itself (not compared with the highest applied), so one that
 * arrives with a lower number than an applied one is still applied. */
static int is_applied(db *d, int version)
{
    db_stmt *s = db_query(d, "SELECT COUNT(*) FROM schema_version WHERE version = ?");
    db_bind_int(s, 1, version);
    int n = db_next(s) ? (int)db_col_int(s, 0) : -1;
    return db_done(s) ? -1 : n > 0;
}

/* The lines of a block marker: the marker alone on its line (spaces
 * around it allowed). */
static bool is_marker(const char *line, size_t len, const char *marker)
{
    while (len && (*line == ' ' || *line == '\t'))
        line++, len--;
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
        len--;
    return len == strlen(marker) && !memcmp(line, marker, len);
}

/* text with the blocks of the other backend left out and every marker
 * line dropped; NULL without memory or when the blocks do not pair up
 * (one left open, {{end}} outside a block, a block inside another). */
static char *for_backend(db_kind kind, const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(n + 1), *w = out;
    if (!out)
        return NULL;
    int block = -1; /* -1 outside a block, else the backend it is for */
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p), step = nl ? len + 1 : len;
        bool open_sqlite = is_marker(p, len, "{{sqlite}}"), open_pg = is_marker(p, len, "{{pgsql}}");
        if (open_sqlite || open_pg) {
            if (block >= 0)
                goto bad;
            block = open_sqlite ? DB_SQLITE : DB_PGSQL;
        } else if (is_marker(p, len, "{{end}}")) {
            if (block < 0)
                goto bad;
            block = -1;
        } else if (block < 0 || block == (int)kind) {
            memcpy(w, p, step);
            w += step;
        }
        p += step;
    }
    if (block >= 0)
        goto bad;
    *w = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

static reg_err apply_one(db *d, const struct migration *m, int *applied)
{
    reg_err e = db_begin(d);
    if (e)
        return e;
    if (db_kind_of(d) == DB_PGSQL)
        e = db_exec(d, "LOCK TABLE schema_version IN EXCLUSIVE MODE");
    int have = e ? -1 : is_applied(d, m->version);
    if (!e && have < 0)
        e = REG_ERR_DB;
    if (!e && have == 0) {
        char *text = for_backend(db_kind_of(d), m->file->data);
        char *sql = text ? db_rewrite_sql(d, text) : NULL;
        e = sql ? db_exec(d, sql) : db_set_error(d, REG_ERR_INTERNAL, "bad dialect token in migration");
        free(sql);
        free(text);
        if (!e) {
            db_stmt *s = db_query(d, "INSERT INTO schema_version (version, name, applied_at) "
                                     "VALUES (?, ?, ?)");
            db_bind_int(s, 1, m->version);
            db_bind_text(s, 2, m->file->name);
            db_bind_int(s, 3, clock_now());
            e = db_run(s);
        }
        if (!e) {
            (*applied)++;
            reg_log(LOG_INFO, "store", NULL, "migrate", "version=%d file=%s", m->version, m->file->name);
        }
    }
    if (e) {
        char msg[600];
        snprintf(msg, sizeof msg, "migration %s: %s", m->file->name, db_errmsg(d));
        db_rollback(d);
        return db_restate_error(d, e, msg);
    }
    return db_commit(d);
}

reg_err db_migrate(db *d, int *applied)
{
    int count = 0;
    reg_err e = db_exec(d, create_version_table);
    if (e)
        return e;
    int have = current_version(d);
    if (have > db_schema_latest()) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "database schema version %d is newer than this program knows (%d): upgrade "
                 "registryd",
                 have, db_schema_latest());
        return db_set_error(d, REG_ERR_CONFIG, msg);
    }
    for (size_t i = 0; i < db_migration_files_count && !e; i++) {
        struct migration m = migration_at(i);
        e = apply_one(d, &m, &count);
    }
    if (applied)
        *applied = count;
    return e;
}
