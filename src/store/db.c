#include "db_driver.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../contrib/metric_table.h"
#include "../contrib/strbuf.h"
#include "../contrib/strutil.h"

struct db_lease {
    db *owner;
    void *handle;
};

/* registryd_db_errors_total's kind of an error; NULL for a lease another
 * process holds, which is no failure. */
static const char *error_kind(reg_err e)
{
    switch (e) {
    case REG_ERR_LOCKED: return NULL;
    case REG_ERR_DB_DOWN: return "connection";
    case REG_ERR_DB_BUSY: return "busy";
    case REG_ERR_DB_CONSTRAINT: return "constraint";
    case REG_ERR_DB_UNKNOWN: return "commit_unknown";
    default: return "other";
    }
}

reg_err db_set_error(db *d, reg_err e, const char *msg)
{
    d->deferred_failed = false; /* a new error: the driver says when it is a deferred write's */
    const char *kind = error_kind(e);
    if (kind)
        metric_add(METRIC(M_DB_ERRORS), &kind, 1);
    return db_restate_error(d, e, msg);
}

reg_err db_restate_error(db *d, reg_err e, const char *msg)
{
    d->err = e;
    snprintf(d->errmsg, sizeof d->errmsg, "%s", msg ? msg : reg_strerror(e));
    /* one line: drivers' messages may carry newlines (libpq does) */
    for (char *p = d->errmsg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = (p[1] ? ' ' : '\0');
    return e;
}

static reg_err open_url(const char *url, bool must_exist, db **out, char *err, size_t errlen)
{
    const struct db_driver *drv;
    const char *target;
    if (!strncmp(url, "sqlite:", 7)) {
        drv = &db_sqlite_driver;
        target = url + 7;
    } else if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11)) {
        drv = &db_pgsql_driver;
        target = url;
    } else {
        char safe[1024];
        str_redact_url(safe, sizeof safe, url);
        snprintf(err, errlen, "database url \"%s\" must start with sqlite: or postgresql://", safe);
        return REG_ERR_CONFIG;
    }
    if (!*target) {
        snprintf(err, errlen, "database url \"%s\" names no database", url);
        return REG_ERR_CONFIG;
    }
    db *d = calloc(1, sizeof *d);
    if (!d)
        return REG_ERR_NOMEM;
    d->drv = drv;
    d->must_exist = must_exist;
    d->sync_fd = -1;
    reg_err e = drv->open(d, target, err, errlen);
    if (e) {
        free(d);
        return e;
    }
    *out = d;
    return REG_OK;
}

reg_err db_open(const char *url, db **out, char *err, size_t errlen)
{
    return open_url(url, false, out, err, errlen);
}

reg_err db_open_existing(const char *url, db **out, char *err, size_t errlen)
{
    return open_url(url, true, out, err, errlen);
}

/* One checkpointer in the process: SQLite's (PostgreSQL has none). */
static const struct db_driver *const checkpointing = &db_sqlite_driver;

reg_err db_checkpointer_start(const char *url, char *err, size_t errlen)
{
    return strncmp(url, "sqlite:", 7) ? REG_OK
                                      : checkpointing->checkpointer_start(url + 7, err, errlen);
}

void db_checkpointer_stop(void) { checkpointing->checkpointer_stop(); }
void db_checkpointer_hold(bool hold) { checkpointing->checkpointer_hold(hold); }
void db_checkpointer_sync(void) { checkpointing->checkpointer_sync(); }

void db_close(db *d)
{
    if (!d)
        return;
    for (int i = 0; i < DB_CACHE_BUCKETS; i++) {
        for (db_stmt *s = d->cache[i], *next; s; s = next) {
            next = s->next_in_bucket;
            d->drv->finalize(s);
            free(s->sql);
            free(s);
        }
    }
    if (d->sync_fd >= 0)
        close(d->sync_fd);
    d->drv->close(d);
    free(d);
}

db_kind db_kind_of(const db *d) { return d->drv->kind; }
const char *db_errmsg(const db *d) { return d->errmsg; }
bool db_in_transaction(const db *d) { return d->in_tx; }

/* The driver's exec of n statements, counted (db_counts). */
/* n statements of our own, each exactly one: the driver may send them in
 * one round trip (PostgreSQL: after its deferred writes, one pipeline). */
static reg_err exec_each(db *d, const char *const *sql, unsigned n)
{
    d->statements += n;
    if (d->drv->exec_each)
        return d->drv->exec_each(d, sql, n);
    reg_err e = REG_OK;
    for (unsigned i = 0; i < n && !e; i++)
        e = d->drv->exec(d, sql[i]);
    return e;
}

static reg_err exec1(db *d, const char *sql) { return exec_each(d, &sql, 1); }

/* Any text, which may hold several statements. */
reg_err db_exec(db *d, const char *sql)
{
    d->statements++;
    return d->drv->exec(d, sql);
}

void db_counts(const db *d, struct db_counts *out)
{
    out->statements = d->statements;
    out->round_trips = d->drv->counts_round_trips ? d->round_trips : d->statements;
}

uint64_t db_recompiles(const db *d)
{
    uint64_t n = 0;
    for (int i = 0; d->drv->recompiles && i < DB_CACHE_BUCKETS; i++)
        for (db_stmt *s = d->cache[i]; s; s = s->next_in_bucket)
            n += d->drv->recompiles(s);
    return n;
}

/* BEGIN of a transaction that may write (the driver may note its id). */
static reg_err begin_writes(db *d)
{
    if (!d->drv->begin)
        return exec1(d, d->drv->begin_sql);
    d->statements++;
    return d->drv->begin(d);
}

/* Write-ahead logs whose sync failed in this process. Linux marks the
 * pages whose write-back failed clean and reports the error once to each
 * descriptor open at the time: those pages may never reach the disk, and
 * every commit appended after them would be lost with them should the
 * machine stop (recovery ends at the first bad frame), although its own
 * sync succeeds. So once a sync of a database's WAL has failed, changes
 * to it are refused until the process starts again (as PostgreSQL stops
 * at a failed fsync), and db_sync_commits fails. */
#define FAILED_WALS 8
static pthread_mutex_t failed_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wal_id {
    dev_t dev;
    ino_t ino;
} failed_wal[FAILED_WALS];
static atomic_int nfailed; /* more than FAILED_WALS: every WAL counts as failed */

static void wal_sync_failed(int fd)
{
    struct stat st;
    bool known = !fstat(fd, &st);
    pthread_mutex_lock(&failed_lock);
    int n = atomic_load(&nfailed);
    if (known && n < FAILED_WALS)
        failed_wal[n] = (struct wal_id){st.st_dev, st.st_ino};
    atomic_store(&nfailed, known && n < FAILED_WALS ? n + 1 : FAILED_WALS + 1);
    pthread_mutex_unlock(&failed_lock);
}

/* REG_OK, or the refusal (set on d) of a database whose WAL sync failed */
static reg_err refuse_failed_wal(db *d)
{
    if (!atomic_load(&nfailed))
        return REG_OK;
    const char *file = d->drv->sync_file ? d->drv->sync_file(d) : NULL;
    struct stat st;
    if (!file || stat(file, &st))
        return REG_OK;
    pthread_mutex_lock(&failed_lock);
    int n = atomic_load(&nfailed);
    bool failed = n > FAILED_WALS;
    for (int i = 0; i < n && i < FAILED_WALS && !failed; i++)
        failed = failed_wal[i].dev == st.st_dev && failed_wal[i].ino == st.st_ino;
    pthread_mutex_unlock(&failed_lock);
    return failed ? db_set_error(d, REG_ERR_IO,
                                 "a sync of the database's write-ahead log failed earlier: "
                                 "changes are refused until the program is restarted (check "
                                 "the disk first)")
                  : REG_OK;
}

static reg_err begin_with(db *d, bool writes)
{
    if (d->in_tx)
        return db_set_error(d, REG_ERR_INTERNAL, "transaction already open");
    if (writes && refuse_failed_wal(d))
        return d->err;
    /* a lazy transaction's end could not make commits durable again */
    if (writes && d->restore_lazy) {
        reg_err e = exec1(d, d->drv->lazy_restore);
        if (e)
            return e;
        d->restore_lazy = false;
    }
    reg_err e = writes ? begin_writes(d) : exec1(d, d->drv->snapshot_begin_sql);
    if (!e)
        d->in_tx = true;
    return e;
}

reg_err db_begin(db *d) { return begin_with(d, true); }
reg_err db_begin_snapshot(db *d) { return begin_with(d, false); }

reg_err db_begin_reads(db *d)
{
    if (d->in_tx)
        return db_set_error(d, REG_ERR_INTERNAL, "transaction already open");
    d->write_refused = false;
    reg_err e;
    if (!d->drv->begin_reads) {
        e = begin_with(d, false);
    } else {
        d->statements++;
        e = d->drv->begin_reads(d);
        d->in_tx = !e;
    }
    d->reads = !e && d->drv->refuses_writes;
    return e;
}

bool db_write_refused(const db *d) { return d->write_refused; }

static void end_lazy(db *d);

reg_err db_begin_lazy(db *d)
{
    if (d->in_tx)
        return db_set_error(d, REG_ERR_INTERNAL, "transaction already open");
    if (refuse_failed_wal(d))
        return d->err;
    reg_err e = d->drv->lazy_before ? exec1(d, d->drv->lazy_before) : REG_OK;
    d->lazy = d->drv->lazy_before != NULL;
    if (!e)
        e = begin_writes(d);
    if (!e) {
        d->in_tx = true;
        if (d->drv->lazy_after_begin)
            e = exec1(d, d->drv->lazy_after_begin);
    }
    if (!e)
        return REG_OK;
    /* an error means no transaction and durable commits again (a BEGIN
     * refused as busy left no transaction for a rollback to end); the
     * error is the one that stopped the begin */
    char why[sizeof d->errmsg];
    snprintf(why, sizeof why, "%s", d->errmsg);
    if (d->in_tx)
        db_rollback(d);
    else
        end_lazy(d);
    return db_restate_error(d, e, why);
}

reg_err db_check(db *d) { return d->drv->check ? d->drv->check(d) : REG_OK; }

reg_err db_ping(db *d)
{
    reg_err e = REG_OK;
    /* a connection that broke while idle shows it only when used: then it
     * is replaced at once and asked again */
    for (int attempt = 0; attempt < 2; attempt++) {
        bool known_lost = d->lost;
        e = db_check(d);
        if (!e)
            e = exec1(d, "SELECT 1");
        if (e != REG_ERR_DB_DOWN || known_lost)
            break;
    }
    return e;
}

bool db_lost(const db *d) { return d->lost; }
uint64_t db_connection_serial(const db *d) { return d->serial; }

reg_err db_maintain(db *d)
{
    return exec1(d, d->drv->maintain_sql);
}

static void end_lazy(db *d)
{
    /* should the restore fail, the next transaction that may write tries
     * it again first (begin_with) */
    if (d->lazy && d->drv->lazy_restore)
        d->restore_lazy = exec1(d, d->drv->lazy_restore) != REG_OK;
    d->lazy = false;
    if (d->sync_fd >= 0) { /* rolled back: nothing to sync */
        close(d->sync_fd);
        d->sync_fd = -1;
    }
    d->reads = false;
}

reg_err db_commit(db *d)
{
    d->statements++;
    reg_err e = d->drv->commit ? d->drv->commit(d) : d->drv->exec(d, "COMMIT");
    if (e) {
        char why[sizeof d->errmsg];
        snprintf(why, sizeof why, "%s", d->errmsg);
        bool deferred = d->deferred_failed;
        exec1(d, "ROLLBACK");
        db_restate_error(d, e, why);
        d->deferred_failed = deferred;
    }
    d->in_tx = false;
    end_lazy(d);
    void (*fn)(void) = d->after_commit;
    d->after_commit = NULL;
    if (fn && !e)
        fn();
    return e;
}

/* The WAL is opened before the commit writes to it: Linux reports a
 * failed write-back of a file's pages to each descriptor that was open
 * when it failed, not to one opened after another has seen the error. */
reg_err db_begin_sync_later(db *d)
{
    const char *file = d->drv->sync_file ? d->drv->sync_file(d) : NULL;
    int fd = file ? open(file, O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0) /* nothing to sync apart: the commit waits for the disk */
        return db_begin(d);
    reg_err e = db_begin_lazy(d);
    if (e) {
        close(fd);
        return e;
    }
    d->sync_fd = fd;
    return REG_OK;
}

reg_err db_commit_sync_later(db *d, struct db_sync *s)
{
    *s = (struct db_sync){.fd = -1};
    if (d->sync_fd < 0) /* not begun by db_begin_sync_later, or nothing to sync */
        return db_commit(d);
    int fd = d->sync_fd;
    d->sync_fd = -1; /* the commit's end closes only a descriptor it still has */
    void (*fn)(void) = d->after_commit;
    d->after_commit = NULL; /* at db_sync_wait, once durable */
    reg_err e = db_commit(d);
    if (e) {
        close(fd);
        return e;
    }
    s->fd = fd;
    s->after_commit = fn;
    return REG_OK;
}

/* fdatasync(fd); a failure is remembered (refuse_failed_wal) and put
 * into msg */
static bool synced(int fd, char *msg, size_t size)
{
    if (!fdatasync(fd))
        return true;
    snprintf(msg, size,
             "cannot sync the write-ahead log: %s; changes are refused until the program is "
             "restarted (check the disk first)",
             strerror(errno));
    wal_sync_failed(fd);
    return false;
}

reg_err db_sync_wait(struct db_sync *s)
{
    reg_err e = REG_OK;
    if (s->fd >= 0) {
        if (!synced(s->fd, s->errmsg, sizeof s->errmsg))
            e = REG_ERR_DB_UNKNOWN;
        close(s->fd);
        s->fd = -1;
    }
    if (!e && s->after_commit)
        s->after_commit();
    s->after_commit = NULL;
    return e;
}

reg_err db_sync_commits(db *d)
{
    const char *file = d->drv->sync_file ? d->drv->sync_file(d) : NULL;
    if (!file)
        return REG_OK;
    if (refuse_failed_wal(d)) /* a descriptor opened after a failure is not told of it */
        return d->err;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) /* no WAL: nothing waits in one */
        return REG_OK;
    char msg[256];
    if (fd < 0)
        snprintf(msg, sizeof msg, "cannot open the write-ahead log: %s", strerror(errno));
    bool ok = fd >= 0 && synced(fd, msg, sizeof msg);
    if (fd >= 0)
        close(fd);
    return ok ? REG_OK : db_set_error(d, REG_ERR_IO, msg);
}

void db_after_commit(db *d, void (*fn)(void))
{
    if (!d->in_tx)
        fn(); /* autocommit: the statement is committed already */
    else
        d->after_commit = fn;
}

reg_err db_rollback(db *d)
{
    d->after_commit = NULL;
    d->in_tx = false;
    reg_err e = exec1(d, "ROLLBACK");
    end_lazy(d);
    return e;
}

static bool identifier(const char *name)
{
    if (!*name || strlen(name) > 48)
        return false;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return false;
    return true;
}

/* may_defer: where writes may be deferred (db_defer_writes) the statement
 * is too, sent with the statement after it in its round trip (a SAVEPOINT:
 * issue 18, one round trip fewer for every EPP command on PostgreSQL). */
static reg_err savepoint_sql(db *d, const char *verb, const char *name, bool may_defer)
{
    if (!identifier(name))
        return db_set_error(d, REG_ERR_INVALID, "savepoint name must be an identifier");
    /* db_begin_reads: nothing can be written, so a savepoint has nothing
     * to undo (issue 18: two of a domain:check's three statements) */
    if (d->reads)
        return REG_OK;
    char sql[128];
    snprintf(sql, sizeof sql, "%s %s", verb, name);
    if (!may_defer || !d->defer || !d->in_tx || !d->drv->exec_deferred)
        return exec1(d, sql);
    d->statements++;
    return d->drv->exec_deferred(d, sql);
}

reg_err db_savepoint(db *d, const char *name)
{
    return savepoint_sql(d, "SAVEPOINT", name, true);
}

reg_err db_release(db *d, const char *name)
{
    return savepoint_sql(d, "RELEASE SAVEPOINT", name, false);
}

reg_err db_rollback_to(db *d, const char *name)
{
    return savepoint_sql(d, "ROLLBACK TO SAVEPOINT", name, false);
}

/* One round trip on PostgreSQL (two statements of one pipeline); the
 * second is not run when the first fails. */
reg_err db_release_savepoint(db *d, const char *name, const char *next)
{
    if (!identifier(name) || !identifier(next))
        return db_set_error(d, REG_ERR_INVALID, "savepoint name must be an identifier");
    if (d->reads) /* as in savepoint_sql */
        return REG_OK;
    char release[80], savepoint[80];
    snprintf(release, sizeof release, "RELEASE SAVEPOINT %s", name);
    snprintf(savepoint, sizeof savepoint, "SAVEPOINT %s", next);
    const char *sql[] = {release, savepoint};
    return exec_each(d, sql, 2);
}

/* Rewrite dialect tokens and, for PostgreSQL, ? placeholders to $n.
 * Quoted literals and -- comments are copied untouched. */
static char *rewrite_sql(const struct db_driver *drv, const char *sql, bool params)
{
    strbuf out;
    sb_init(&out);
    int param = 0;
    for (const char *p = sql; *p;) {
        if (p[0] == '-' && p[1] == '-') { /* comment: copied, quotes in it mean nothing */
            size_t n = strcspn(p, "\n");
            sb_append(&out, p, n);
            p += n;
        } else if (*p == '\'') {
            const char *end = p + 1;
            while (*end && !(*end == '\'' && end[1] != '\''))
                end += *end == '\'' ? 2 : 1;
            if (*end)
                end++;
            sb_append(&out, p, (size_t)(end - p));
            p = end;
        } else if (p[0] == '{' && p[1] == '{') {
            const char *close = strstr(p, "}}");
            if (!close) {
                sb_free(&out);
                return NULL;
            }
            char name[32];
            size_t n = (size_t)(close - p - 2);
            if (n >= sizeof name) {
                sb_free(&out);
                return NULL;
            }
            memcpy(name, p + 2, n);
            name[n] = '\0';
            const char *text = drv->token(name);
            if (!text) {
                sb_free(&out);
                return NULL;
            }
            sb_puts(&out, text);
            p = close + 2;
        } else if (*p == '?' && params && drv->numbered_params) {
            sb_printf(&out, "$%d", ++param);
            p++;
        } else {
            sb_putc(&out, *p++);
        }
    }
    if (out.err) {
        sb_free(&out);
        return NULL;
    }
    return sb_steal(&out);
}

char *db_rewrite_sql(const db *d, const char *sql) { return rewrite_sql(d->drv, sql, false); }

/* The statement cache's bucket: the text's length and at most 32 bytes at
 * each end. Hashing the whole text a byte at a time was most of a cached
 * lookup (2.6 % of registryd's CPU for a domain:update, docs/performance.md
 * 2026-12-06); strlen is fast, equal texts still land in one bucket, and
 * the bucket is searched with strcmp. */
static unsigned hash_sql(const char *s)
{
    size_t n = strlen(s);
    unsigned h = (2166136261u ^ (unsigned)n) * 16777619u;
    size_t head = n < 64 ? n : 32;
    for (size_t i = 0; i < head; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    for (size_t i = n < 64 ? n : n - 32; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h % DB_CACHE_BUCKETS;
}

/* A statement whose preparation failed: carries the error, never cached. */
static db_stmt failed_stmt_for(db *d, reg_err e);

db_stmt *db_query(db *d, const char *sql)
{
    unsigned b = hash_sql(sql);
    for (db_stmt *s = d->cache[b]; s; s = s->next_in_bucket) {
        if (s->sql == sql || !strcmp(s->sql, sql)) {
            if (s->impl)
                d->drv->reset(s); /* a previous user may have stopped early */
            s->err = REG_OK;
            s->finished = false;
            s->started = false;
            return s;
        }
    }
    db_stmt *s = calloc(1, sizeof *s);
    char *native = s ? rewrite_sql(d->drv, sql, true) : NULL;
    if (!s || !native || !(s->sql = strdup(sql))) {
        free(native);
        if (s)
            free(s);
        static _Thread_local db_stmt broken;
        broken = failed_stmt_for(d, native ? REG_ERR_NOMEM : REG_ERR_INTERNAL);
        db_set_error(d, broken.err, "cannot prepare statement (bad dialect token or no memory)");
        return &broken;
    }
    s->owner = d;
    reg_err e = d->drv->prepare(s, native);
    free(native);
    if (e) {
        static _Thread_local db_stmt broken;
        free(s->sql);
        free(s);
        broken = failed_stmt_for(d, e);
        return &broken;
    }
    s->next_in_bucket = d->cache[b];
    d->cache[b] = s;
    return s;
}

static db_stmt failed_stmt_for(db *d, reg_err e)
{
    db_stmt s = {.owner = d, .err = e, .finished = true};
    return s;
}

static bool usable(db_stmt *s) { return s->err == REG_OK && s->impl != NULL; }

void db_bind_int(db_stmt *s, int idx, int64_t v)
{
    if (usable(s))
        s->err = s->owner->drv->bind_int(s, idx, v);
}

void db_bind_text(db_stmt *s, int idx, const char *v)
{
    if (usable(s))
        s->err = v ? s->owner->drv->bind_text(s, idx, v) : s->owner->drv->bind_null(s, idx);
}

void db_bind_null(db_stmt *s, int idx)
{
    if (usable(s))
        s->err = s->owner->drv->bind_null(s, idx);
}

void db_bind_int_or_null(db_stmt *s, int idx, bool present, int64_t v)
{
    if (present)
        db_bind_int(s, idx, v);
    else
        db_bind_null(s, idx);
}

bool db_next(db_stmt *s)
{
    if (!usable(s) || s->finished)
        return false;
    if (!s->started) {
        s->started = true;
        s->owner->statements++;
    }
    int r = s->owner->drv->step(s);
    if (r < 0) {
        s->err = s->owner->err ? s->owner->err : REG_ERR_DB;
        s->finished = true;
        return false;
    }
    if (r == 0)
        s->finished = true;
    return r == 1;
}

bool db_col_is_null(db_stmt *s, int col) { return s->owner->drv->col_is_null(s, col); }
int64_t db_col_int(db_stmt *s, int col) { return s->owner->drv->col_int(s, col); }
const char *db_col_text(db_stmt *s, int col) { return s->owner->drv->col_text(s, col); }

reg_err db_done(db_stmt *s)
{
    reg_err e = s->err;
    if (s->impl)
        s->owner->drv->reset(s);
    s->err = REG_OK;
    s->finished = false;
    s->started = false;
    return e;
}

reg_err db_run(db_stmt *s)
{
    while (db_next(s))
        ;
    return db_done(s);
}

int64_t db_changes(db *d) { return d->drv->changes(d); }

void db_defer_writes(db *d, bool on) { d->defer = on; }

reg_err db_run_deferred(db_stmt *s)
{
    db *d = s->owner;
    /* db_begin_reads: a write is refused at once, not at the commit */
    if (!usable(s) || !d->defer || !d->in_tx || d->reads || !d->drv->run_deferred)
        return db_run(s);
    d->statements++;
    reg_err e = d->drv->run_deferred(s);
    if (e)
        s->err = e;
    return db_done(s);
}

bool db_deferred_failed(const db *d) { return d->deferred_failed; }

reg_err db_flush(db *d)
{
    return d->drv->flush ? d->drv->flush(d) : REG_OK;
}

reg_err db_lease_try(db *d, const char *name, db_lease **out)
{
    db_lease *l = calloc(1, sizeof *l);
    if (!l)
        return REG_ERR_NOMEM;
    reg_err e = d->drv->lease_try(d, name, &l->handle);
    if (e) {
        free(l);
        return e;
    }
    l->owner = d;
    *out = l;
    return REG_OK;
}

void db_lease_release(db_lease *l)
{
    if (!l)
        return;
    l->owner->drv->lease_release(l->owner, l->handle);
    free(l);
}
