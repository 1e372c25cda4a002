/* SQLite driver: WAL, synchronous=FULL (an acknowledged commit survives a
 * crash), foreign keys on, busy timeout so concurrent writers wait.
 * Temporary storage in memory: each EPP command of a batch runs under its
 * own savepoint, and SQLite keeps the pages a savepoint changed in a
 * statement journal, which with file storage spills to a temporary file
 * (open, pwrite, unlink) once it passes 64 KiB: 3 % of a create's CPU
 * under load (issue 18). The journal lives as long as its transaction. */
#include "db_driver.h"
#include "migrate.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "../contrib/log.h"
#include "../contrib/thread_name.h"

#define SQLITE_BUSY_MS 10000

/* Statements kept prepared per connection: BEGIN, COMMIT and ROLLBACK,
 * and up to KEPT_OTHERS of db.c's other one-statement texts. */
#define KEPT_OTHERS 16
#define KEPT_MAX (KEPT_OTHERS + 3)

struct sqlite_impl {
    sqlite3 *conn;
    char *path;
    char *wal; /* the WAL's path in WAL mode (sq_sync_file), else NULL */
    /* One-statement texts prepared at their first run, which sqlite3_exec
     * parsed every time: BEGIN, COMMIT and ROLLBACK (a read-only lookup,
     * WHOIS or RDAP, or EPP batch is a transaction of its own), and the
     * other texts of db.c run for every EPP command that writes
     * (savepoints, BEGIN IMMEDIATE; issue 18). */
    struct kept_text {
        char *sql;
        sqlite3_stmt *stmt;
    } kept[KEPT_MAX];
    int nkept;
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

static reg_err exec_failed(db *d, int rc, char *msg)
{
    reg_err e = db_set_error(d, map_code(rc), msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return e;
}

/* db_begin_reads: a statement that would write is not run. Asked of each
 * statement (sqlite3_stmt_readonly) rather than of the connection with
 * PRAGMA query_only, which, as every flag pragma, expires all the
 * connection's prepared statements: each read batch then compiled its
 * statements again (issue 18: a third of a domain:info). */
static bool refused(db *d, sqlite3_stmt *s)
{
    if (!d->reads || sqlite3_stmt_readonly(s))
        return false;
    d->write_refused = true;
    /* expected (the caller runs it again as a write): not a database
     * error of registryd_db_errors_total */
    db_restate_error(d, REG_ERR_DB, "a write was refused in a read-only transaction");
    return true;
}

/* sqlite3_exec's work, each statement asked first (refused) */
static reg_err exec_reads(db *d, const char *sql)
{
    while (*sql) {
        sqlite3_stmt *s = NULL;
        const char *tail = sql;
        int rc = sqlite3_prepare_v2(conn_of(d), sql, -1, &s, &tail);
        if (rc != SQLITE_OK)
            return fail(d, rc);
        if (s && refused(d, s)) {
            sqlite3_finalize(s);
            return REG_ERR_DB;
        }
        while (s && (rc = sqlite3_step(s)) == SQLITE_ROW)
            ;
        sqlite3_finalize(s);
        if (s && rc != SQLITE_DONE)
            return fail(d, rc);
        sql = tail;
    }
    return REG_OK;
}

/* The statement kept for sql, prepared at its first run: BEGIN, COMMIT
 * or ROLLBACK, and with `others` (db.c's own texts, each one statement:
 * db_driver.h) any other while there is room. NULL: run it as text (not
 * kept, a PRAGMA, which SQLite prepares again at every run anyway, more
 * than one statement, or it cannot be prepared: sqlite3_exec says why). */
static sqlite3_stmt *kept(db *d, const char *sql, bool others)
{
    struct sqlite_impl *im = d->impl;
    for (int i = 0; i < im->nkept; i++)
        if (!strcmp(im->kept[i].sql, sql))
            return im->kept[i].stmt;
    bool always = !strcmp(sql, "BEGIN") || !strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK");
    if (!always && (!others || !strncmp(sql, "PRAGMA", 6) || im->nkept >= KEPT_OTHERS))
        return NULL;
    sqlite3_stmt *s = NULL;
    const char *tail = NULL;
    if (im->nkept == KEPT_MAX || sqlite3_prepare_v2(im->conn, sql, -1, &s, &tail) != SQLITE_OK ||
        !s || tail[strspn(tail, " \t\n;")]) {
        sqlite3_finalize(s);
        return NULL;
    }
    char *copy = strdup(sql);
    if (!copy) {
        sqlite3_finalize(s);
        return NULL;
    }
    im->kept[im->nkept++] = (struct kept_text){copy, s};
    return s;
}

/* A kept statement run to its end, ready for its next run. */
static reg_err run_kept(db *d, sqlite3_stmt *s)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        ;
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? REG_OK : fail(d, rc);
}

static reg_err sq_exec(db *d, const char *sql)
{
    sqlite3_stmt *s = kept(d, sql, false);
    if (s)
        return run_kept(d, s);
    if (d->reads)
        return exec_reads(d, sql);
    char *msg = NULL;
    int rc = sqlite3_exec(conn_of(d), sql, NULL, NULL, &msg);
    return rc == SQLITE_OK ? REG_OK : exec_failed(d, rc, msg);
}

/* db.c's own statements, each exactly one (db_driver.h) */
static reg_err sq_exec_each(db *d, const char *const *sql, unsigned n)
{
    reg_err e = REG_OK;
    for (unsigned i = 0; i < n && !e; i++) {
        sqlite3_stmt *s = d->reads ? NULL : kept(d, sql[i], true);
        e = s ? run_kept(d, s) : sq_exec(d, sql[i]);
    }
    return e;
}

/* Before SQLite's first use in the process: no count of its memory in
 * use (SQLITE_CONFIG_MEMSTATUS). The count is kept under one mutex for the
 * whole process, taken on every allocation and free, which the WHOIS and
 * HTTP threads' lookups then took turns at; nothing here reads it. */
static pthread_once_t configured = PTHREAD_ONCE_INIT;

static void configure(void)
{
    /* SQLITE_MISUSE when SQLite is already initialised: then as it is */
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int open_conn(const char *path, sqlite3 **conn, int flags)
{
    pthread_once(&configured, configure);
    return sqlite3_open_v2(path, conn, flags, NULL);
}

/* Checkpoints on a thread of their own (db_checkpointer_start). By
 * default SQLite copies the WAL back into the database file in the commit
 * that takes the WAL past 1,000 pages: a few milliseconds of copying and
 * two fsyncs while that connection holds the one writer's place, so every
 * other command of the registry waited behind it, and a lone EPP session
 * paid it every few thousand commands (issue 18: its p99). With the
 * thread, a commit past the threshold only wakes it; a PASSIVE checkpoint
 * copies what no reader still needs, beside the writers. Should the WAL
 * grow to CKPT_BACKSTOP pages all the same (the thread fell behind), the
 * commit checkpoints itself as before. */
#define CKPT_PAGES 1000 /* SQLite's own threshold */
#define CKPT_BACKSTOP (16 * CKPT_PAGES)

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake, done;
    char *path; /* the database it serves; NULL: not running */
    bool stopping, wanted, held;
    uint64_t started, finished; /* checkpoints begun, and the last one ended */
    pthread_t thread;
} ck = {.lock = PTHREAD_MUTEX_INITIALIZER,
        .wake = PTHREAD_COND_INITIALIZER,
        .done = PTHREAD_COND_INITIALIZER};

/* The WAL's size when the thread was last woken (0: since it restarted) */
static atomic_int ck_woken_at;

static void ck_wake(void)
{
    pthread_mutex_lock(&ck.lock);
    ck.wanted = true;
    pthread_cond_signal(&ck.wake);
    pthread_mutex_unlock(&ck.lock);
}

/* sqlite3_wal_hook: after each commit, with the WAL's size in pages */
static int on_wal_commit(void *arg, sqlite3 *conn, const char *name, int pages)
{
    (void)arg;
    int woken_at = atomic_load_explicit(&ck_woken_at, memory_order_relaxed);
    if (pages < CKPT_PAGES) {
        if (woken_at) /* the WAL started again from its beginning */
            atomic_store_explicit(&ck_woken_at, 0, memory_order_relaxed);
    } else if (pages >= CKPT_BACKSTOP) {
        sqlite3_wal_checkpoint_v2(conn, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    } else if (!woken_at || pages >= woken_at + CKPT_PAGES) {
        atomic_store_explicit(&ck_woken_at, pages, memory_order_relaxed);
        ck_wake();
    }
    return SQLITE_OK;
}

static void *checkpoint_main(void *arg)
{
    sqlite3 *conn = arg;
    pthread_mutex_lock(&ck.lock);
    for (;;) {
        while (!ck.stopping && (!ck.wanted || ck.held))
            pthread_cond_wait(&ck.wake, &ck.lock);
        if (ck.stopping)
            break;
        ck.wanted = false;
        uint64_t mine = ++ck.started;
        pthread_mutex_unlock(&ck.lock);
        int rc = sqlite3_wal_checkpoint_v2(conn, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
            reg_log(LOG_WARN, "store", NULL, "checkpoint-failed", "error=\"%s\"",
                    sqlite3_errmsg(conn));
        pthread_mutex_lock(&ck.lock);
        ck.finished = mine;
        pthread_cond_broadcast(&ck.done);
    }
    pthread_mutex_unlock(&ck.lock);
    sqlite3_close(conn);
    return NULL;
}

static int open_conn(const char *path, sqlite3 **conn, int flags);

static reg_err sqlite_checkpointer_start(const char *path, char *err, size_t errlen)
{
    pthread_mutex_lock(&ck.lock);
    bool running = ck.path != NULL;
    pthread_mutex_unlock(&ck.lock);
    if (running)
        return REG_OK;
    sqlite3 *conn = NULL;
    char *copy = strdup(path);
    if (!copy)
        return REG_ERR_NOMEM;
    if (open_conn(path, &conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX) != SQLITE_OK ||
        sqlite3_exec(conn, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open SQLite database %s for checkpoints: %s", path,
                 conn ? sqlite3_errmsg(conn) : "out of memory");
        sqlite3_close(conn);
        free(copy);
        return REG_ERR_IO;
    }
    pthread_mutex_lock(&ck.lock);
    ck.path = copy;
    if (pthread_create(&ck.thread, NULL, checkpoint_main, conn)) {
        ck.path = NULL;
        pthread_mutex_unlock(&ck.lock);
        snprintf(err, errlen, "cannot start the checkpoint thread");
        sqlite3_close(conn);
        free(copy);
        return REG_ERR_INTERNAL;
    }
    thread_name(ck.thread, "db-checkpoint", -1);
    pthread_mutex_unlock(&ck.lock);
    return REG_OK;
}

static void sqlite_checkpointer_stop(void)
{
    pthread_mutex_lock(&ck.lock);
    if (!ck.path) {
        pthread_mutex_unlock(&ck.lock);
        return;
    }
    ck.stopping = true;
    pthread_cond_signal(&ck.wake);
    pthread_mutex_unlock(&ck.lock);
    pthread_join(ck.thread, NULL);
    pthread_mutex_lock(&ck.lock);
    free(ck.path);
    ck.path = NULL;
    ck.stopping = ck.wanted = ck.held = false;
    ck.started = ck.finished = 0;
    pthread_cond_broadcast(&ck.done);
    pthread_mutex_unlock(&ck.lock);
    atomic_store(&ck_woken_at, 0);
}

static void sqlite_checkpointer_hold(bool hold)
{
    pthread_mutex_lock(&ck.lock);
    ck.held = hold;
    pthread_cond_signal(&ck.wake);
    pthread_mutex_unlock(&ck.lock);
}

static void sqlite_checkpointer_sync(void)
{
    pthread_mutex_lock(&ck.lock);
    uint64_t target = ck.started + 1;
    ck.wanted = true;
    pthread_cond_signal(&ck.wake);
    while (ck.path && !ck.held && ck.finished < target)
        pthread_cond_wait(&ck.done, &ck.lock);
    pthread_mutex_unlock(&ck.lock);
}

/* Whether connections to path leave their checkpoints to the thread. */
static bool checkpointer_serves(const char *path)
{
    pthread_mutex_lock(&ck.lock);
    bool yes = ck.path && !strcmp(ck.path, path);
    pthread_mutex_unlock(&ck.lock);
    return yes;
}

/* Whether the connection's database is in WAL mode (SQLite keeps it in
 * another mode where the file system cannot share the WAL's index). */
static bool journal_is_wal(sqlite3 *conn)
{
    sqlite3_stmt *s;
    bool wal = false;
    if (sqlite3_prepare_v2(conn, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        const unsigned char *mode = sqlite3_column_text(s, 0);
        wal = mode && !strcmp((const char *)mode, "wal");
    }
    sqlite3_finalize(s);
    return wal;
}

/* The WAL's path if the connection is in WAL mode (malloc'd), else NULL. */
static char *wal_path(sqlite3 *conn)
{
    if (!journal_is_wal(conn))
        return NULL;
    sqlite3_filename db_file = sqlite3_db_filename(conn, "main");
    const char *wal = db_file && *db_file ? sqlite3_filename_wal(db_file) : NULL;
    return wal && *wal ? strdup(wal) : NULL;
}

static reg_err sq_open(db *d, const char *path, char *err, size_t errlen)
{
    struct sqlite_impl *im = calloc(1, sizeof *im);
    if (!im || !(im->path = strdup(path))) {
        free(im);
        return REG_ERR_NOMEM;
    }
    int rc = open_conn(path, &im->conn,
                       SQLITE_OPEN_READWRITE | (d->must_exist ? 0 : SQLITE_OPEN_CREATE) |
                           SQLITE_OPEN_NOMUTEX);
    if (rc != SQLITE_OK && d->must_exist && access(path, F_OK) && errno == ENOENT) {
        snprintf(err, errlen, "there is no SQLite database at %s", path);
        sqlite3_close(im->conn);
        free(im->path);
        free(im);
        return REG_ERR_NOT_FOUND;
    }
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
                           "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
    im->wal = e ? NULL : wal_path(im->conn);
    if (!e && checkpointer_serves(path))
        sqlite3_wal_hook(im->conn, on_wal_commit, NULL); /* instead of SQLite's own */
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
    for (int i = 0; i < im->nkept; i++) {
        sqlite3_finalize(im->kept[i].stmt);
        free(im->kept[i].sql);
    }
    sqlite3_close(im->conn);
    free(im->wal);
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
    if (refused(s->owner, st(s)))
        return -1;
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

static uint64_t sq_recompiles(db_stmt *s)
{
    return (uint64_t)sqlite3_stmt_status(st(s), SQLITE_STMTSTATUS_REPREPARE, 0);
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

/* ---- backup and restore (backup.c does the files) ---- */

static const char *sq_file(db *d) { return ((struct sqlite_impl *)d->impl)->path; }

/* Records on d the message of rc on connection c (about file), e.g.
 * "backup of var/registry.db: database is locked". */
static reg_err fail_on(db *d, sqlite3 *c, int rc, const char *what, const char *file)
{
    char msg[4400];
    snprintf(msg, sizeof msg, "%s %s: %s", what, file, c ? sqlite3_errmsg(c) : sqlite3_errstr(rc));
    return db_set_error(d, map_code(rc), msg);
}

/* Is the database on c (named file in messages) whole and registryd's?
 * quick_check must pass and every schema_version row below this program's
 * latest must name its migration; info gets the highest version. */
static reg_err inspect(db *d, sqlite3 *c, const char *file, struct db_copy_info *info)
{
    char msg[4400];
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(c, "PRAGMA quick_check", -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW &&
        strcmp((const char *)sqlite3_column_text(s, 0), "ok")) {
        snprintf(msg, sizeof msg, "%s is damaged (quick_check: %s)", file,
                 (const char *)sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
        return db_set_error(d, REG_ERR_INVALID, msg);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW) {
        if ((rc & 0xff) == SQLITE_NOTADB)
            snprintf(msg, sizeof msg, "%s is not an SQLite database", file);
        else
            snprintf(msg, sizeof msg, "%s is damaged (%s)", file, sqlite3_errmsg(c));
        return db_set_error(d, REG_ERR_INVALID, msg);
    }
    if (sqlite3_prepare_v2(c, "SELECT version, name FROM schema_version ORDER BY version", -1,
                           &s, NULL) != SQLITE_OK) {
        snprintf(msg, sizeof msg, "%s is not a registryd database (it has no schema_version table)",
                 file);
        return db_set_error(d, REG_ERR_INVALID, msg);
    }
    int version = -1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int v = sqlite3_column_int(s, 0);
        const char *name = (const char *)sqlite3_column_text(s, 1);
        const char *ours = db_migration_name(v);
        if (v <= db_schema_latest() && (!ours || !name || strcmp(ours, name))) {
            snprintf(msg, sizeof msg,
                     "%s is not a registryd database (its schema version %d is \"%s\", not a "
                     "migration of registryd)",
                     file, v, name ? name : "");
            sqlite3_finalize(s);
            return db_set_error(d, REG_ERR_INVALID, msg);
        }
        version = v;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return fail_on(d, c, rc, "cannot read the schema version of", file);
    if (version < 0) {
        snprintf(msg, sizeof msg, "%s holds no registry (its schema_version table is empty)", file);
        return db_set_error(d, REG_ERR_INVALID, msg);
    }
    info->schema_version = version;
    return REG_OK;
}

/* One step: the whole copy under one read transaction of src (a
 * consistent snapshot; in WAL mode writers go on). A lock is only met
 * while another connection recovers the WAL: tried again for 10 s. */
static int copy_all(sqlite3 *dst, sqlite3 *src)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return sqlite3_errcode(dst);
    int rc;
    for (int tries = 0; (rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED;
         tries++) {
        if (tries == 100)
            break;
        sqlite3_sleep(100);
    }
    int done = sqlite3_backup_finish(b);
    return rc == SQLITE_DONE ? done : rc;
}

static reg_err sq_backup(db *d, const char *tmp, struct db_copy_info *info)
{
    struct sqlite_impl *im = d->impl;
    sqlite3 *dst = NULL;
    int rc = open_conn(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
    reg_err e = REG_OK;
    /* synchronous off: the caller fsyncs the finished file once */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(dst, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        e = fail_on(d, dst, rc, "cannot write the copy", tmp);
    } else if ((rc = copy_all(dst, im->conn)) != SQLITE_OK) {
        e = fail_on(d, dst, rc, "backup of", im->path);
        /* the header says WAL, as the source's does: a copy that is one
         * file, readable where it lies, is in rollback-journal mode */
    } else if ((rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL))) {
        e = fail_on(d, dst, rc, "cannot finish the copy", tmp);
    } else {
        e = inspect(d, dst, im->path, info);
    }
    if (sqlite3_close(dst) != SQLITE_OK && !e)
        e = fail_on(d, NULL, SQLITE_IOERR, "cannot close the copy", tmp);
    return e;
}

static reg_err sq_restore(db *d, const char *path, struct db_copy_info *info)
{
    struct sqlite_impl *im = d->impl;
    char msg[4400];
    sqlite3 *src = NULL;
    int rc = open_conn(path, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
    if (rc != SQLITE_OK) {
        reg_err e = fail_on(d, src, rc, "cannot open", path);
        sqlite3_close(src);
        return e;
    }
    reg_err e = inspect(d, src, path, info);
    if (!e && info->schema_version > db_schema_latest()) {
        snprintf(msg, sizeof msg,
                 "%s has schema version %d, newer than this program knows (%d): restore it with "
                 "the registryd that made it, or a later one",
                 path, info->schema_version, db_schema_latest());
        e = db_set_error(d, REG_ERR_INVALID, msg);
    }
    /* Alone on the database: leaving WAL mode needs an exclusive lock,
     * which another connection's shared one (a running registryd holds
     * one as long as it runs) refuses at once. It also checkpoints and
     * deletes the -wal file, so no log of the old content can be replayed
     * over the new. Exclusive locking mode keeps the lock until the end. */
    sqlite3_busy_timeout(im->conn, 0);
    if (!e && (rc = sqlite3_exec(im->conn, "PRAGMA locking_mode=EXCLUSIVE; "
                                           "PRAGMA journal_mode=DELETE",
                                 NULL, NULL, NULL))) {
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
            snprintf(msg, sizeof msg,
                     "the database %s is in use by another process (a running registryd?): "
                     "stop it first",
                     im->path);
            e = db_set_error(d, REG_ERR_DB_BUSY, msg);
        } else {
            e = fail_on(d, im->conn, rc, "cannot take the database", im->path);
        }
    }
    if (!e && (rc = copy_all(im->conn, src)) != SQLITE_OK)
        e = fail_on(d, im->conn, rc, "restore of", im->path);
    sqlite3_close(src);
    /* back to the driver's own settings (WAL is set at every open too);
     * quietly: d keeps the error that ended the restore, if one did */
    sqlite3_exec(im->conn, "PRAGMA locking_mode=NORMAL; PRAGMA journal_mode=WAL", NULL, NULL,
                 NULL);
    free(im->wal);
    im->wal = wal_path(im->conn);
    sqlite3_busy_timeout(im->conn, SQLITE_BUSY_MS);
    return e;
}

/* A lazy commit (synchronous=NORMAL) in WAL mode is in the WAL, not yet
 * on the disk (db_begin_sync_later); in another mode it waits for the
 * disk as any other, and a database in memory has no file. */
static const char *sq_sync_file(db *d) { return ((struct sqlite_impl *)d->impl)->wal; }

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .kind = DB_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .exec_each = sq_exec_each,
    .token = sq_token,
    .numbered_params = false,
    .begin_sql = "BEGIN IMMEDIATE",
    .snapshot_begin_sql = "BEGIN", /* deferred: WAL readers keep their first read's snapshot */
    .refuses_writes = true,
    .lazy_before = "PRAGMA synchronous=NORMAL",
    .lazy_restore = "PRAGMA synchronous=FULL",
    .sync_file = sq_sync_file,
    .maintain_sql = "PRAGMA optimize; PRAGMA wal_checkpoint(PASSIVE);",
    .checkpointer_start = sqlite_checkpointer_start,
    .checkpointer_stop = sqlite_checkpointer_stop,
    .checkpointer_hold = sqlite_checkpointer_hold,
    .checkpointer_sync = sqlite_checkpointer_sync,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .reset = sq_reset,
    .recompiles = sq_recompiles,
    .col_is_null = sq_col_is_null,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .changes = sq_changes,
    .lease_try = sq_lease_try,
    .lease_release = sq_lease_release,
    .file = sq_file,
    .backup = sq_backup,
    .restore = sq_restore,
};
