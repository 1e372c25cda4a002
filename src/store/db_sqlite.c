/* SQLite driver: WAL, synchronous=FULL (an acknowledged commit survives a
 * crash), foreign keys on, busy timeout so concurrent writers wait. */
#include "db_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define SQLITE_BUSY_MS 10000

struct sqlite_impl {
    sqlite3 *conn;
    char *path;
};

static sqlite3 *conn_of(db *d) { return ((struct sqlite_impl *)d->impl)->conn; }

static reg_err map_code(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return REG_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return REG_ERR_DB_BUSY;
    case SQLITE_CONSTRAINT: return REG_ERR_DB_CONSTRAINT;
    case SQLITE_NOMEM: return REG_ERR_NOMEM;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN: return REG_ERR_IO;
    default: return REG_ERR_DB;
    }
}

static reg_err fail(db *d, int rc)
{
    return db_set_error(d, map_code(rc), sqlite3_errmsg(conn_of(d)));
}

static reg_err sq_exec(db *d, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(conn_of(d), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        reg_err e = db_set_error(d, map_code(rc), msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return e;
    }
    return REG_OK;
}

static reg_err sq_open(db *d, const char *path, char *err, size_t errlen)
{
    struct sqlite_impl *im = calloc(1, sizeof *im);
    if (!im || !(im->path = strdup(path))) {
        free(im);
        return REG_ERR_NOMEM;
    }
    int rc = sqlite3_open_v2(path, &im->conn,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open SQLite database %s: %s%s", path,
                 im->conn ? sqlite3_errmsg(im->conn) : sqlite3_errstr(rc),
                 rc == SQLITE_CANTOPEN ? " (does its directory exist? try: regctl init)" : "");
        sqlite3_close(im->conn);
        free(im->path);
        free(im);
        return REG_ERR_IO;
    }
    d->impl = im;
    sqlite3_busy_timeout(im->conn, SQLITE_BUSY_MS);
    sqlite3_extended_result_codes(im->conn, 1);
    reg_err e = sq_exec(d, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                           "PRAGMA foreign_keys=ON;");
    if (e) {
        snprintf(err, errlen, "cannot set up SQLite database %s: %s", path, d->errmsg);
        sqlite3_close(im->conn);
        free(im->path);
        free(im);
        d->impl = NULL;
        return e;
    }
    return REG_OK;
}

static void sq_close(db *d)
{
    struct sqlite_impl *im = d->impl;
    if (!im)
        return;
    sqlite3_close(im->conn);
    free(im->path);
    free(im);
}

static const char *sq_token(const char *name)
{
    if (!strcmp(name, "id"))
        return "INTEGER PRIMARY KEY AUTOINCREMENT";
    if (!strcmp(name, "for_update"))
        return "";
    if (!strcmp(name, "text_ci"))
        return "TEXT COLLATE NOCASE";
    return NULL;
}

static sqlite3_stmt *st(db_stmt *s) { return s->impl; }

static reg_err sq_prepare(db_stmt *s, const char *sql)
{
    sqlite3_stmt *p = NULL;
    int rc = sqlite3_prepare_v3(conn_of(s->owner), sql, -1, SQLITE_PREPARE_PERSISTENT, &p, NULL);
    if (rc != SQLITE_OK)
        return fail(s->owner, rc);
    s->impl = p;
    return REG_OK;
}

static void sq_finalize(db_stmt *s) { sqlite3_finalize(st(s)); }

static reg_err sq_bind_int(db_stmt *s, int idx, int64_t v)
{
    int rc = sqlite3_bind_int64(st(s), idx, v);
    return rc == SQLITE_OK ? REG_OK : fail(s->owner, rc);
}

static reg_err sq_bind_text(db_stmt *s, int idx, const char *v)
{
    int rc = sqlite3_bind_text(st(s), idx, v, -1, SQLITE_TRANSIENT);
    return rc == SQLITE_OK ? REG_OK : fail(s->owner, rc);
}

static reg_err sq_bind_null(db_stmt *s, int idx)
{
    int rc = sqlite3_bind_null(st(s), idx);
    return rc == SQLITE_OK ? REG_OK : fail(s->owner, rc);
}

static int sq_step(db_stmt *s)
{
    int rc = sqlite3_step(st(s));
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    fail(s->owner, rc);
    return -1;
}

static void sq_reset(db_stmt *s)
{
    sqlite3_reset(st(s));
    sqlite3_clear_bindings(st(s));
}

static bool sq_col_is_null(db_stmt *s, int col)
{
    return sqlite3_column_type(st(s), col) == SQLITE_NULL;
}

static int64_t sq_col_int(db_stmt *s, int col) { return sqlite3_column_int64(st(s), col); }

static const char *sq_col_text(db_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(st(s), col);
}

static int64_t sq_changes(db *d) { return sqlite3_changes64(conn_of(d)); }

/* A lease is an exclusive flock on "<database>.lease-<name>". */
static reg_err sq_lease_try(db *d, const char *name, void **handle)
{
    struct sqlite_impl *im = d->impl;
    char path[4096];
    snprintf(path, sizeof path, "%s.lease-%s", im->path, name);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        char msg[4200];
        snprintf(msg, sizeof msg, "cannot open lease file %s: %s", path, strerror(errno));
        return db_set_error(d, REG_ERR_IO, msg);
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return db_set_error(d, REG_ERR_LOCKED, "lease held by another process");
    }
    *handle = (void *)(intptr_t)fd;
    return REG_OK;
}

static void sq_lease_release(db *d, void *handle)
{
    (void)d;
    int fd = (int)(intptr_t)handle;
    flock(fd, LOCK_UN);
    close(fd);
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .kind = DB_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .token = sq_token,
    .numbered_params = false,
    .begin_sql = "BEGIN IMMEDIATE",
    .snapshot_begin_sql = "BEGIN", /* deferred: WAL readers keep their first read's snapshot */
    .lazy_before = "PRAGMA synchronous=NORMAL",
    .lazy_restore = "PRAGMA synchronous=FULL",
    .maintain_sql = "PRAGMA optimize; PRAGMA wal_checkpoint(PASSIVE);",
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .reset = sq_reset,
    .col_is_null = sq_col_is_null,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .changes = sq_changes,
    .lease_try = sq_lease_try,
    .lease_release = sq_lease_release,
};
