/* Storage driver API (DESIGN §2, §4). One front for SQLite and PostgreSQL.
 *
 * SQL is written once, with `?` placeholders and a few dialect tokens that
 * each driver rewrites: {{id}} (auto-increment primary key) and
 * {{for_update}} (row lock on PostgreSQL, nothing on SQLite, whose write
 * transactions are already exclusive). Values travel as integers or text;
 * there are no blobs.
 *
 * Statements are cached per connection and carry a sticky error:
 *     db_stmt *s = db_query(d, "SELECT name FROM registrar WHERE handle = ?");
 *     db_bind_text(s, 1, handle);
 *     if (db_next(s)) name = strdup(db_col_text(s, 0));
 *     reg_err e = db_done(s);   // error of bind/step, and resets s
 */
#ifndef REG_DB_H
#define REG_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../contrib/error.h"

typedef struct db db;
typedef struct db_stmt db_stmt;
typedef struct db_lease db_lease;

typedef enum { DB_SQLITE, DB_PGSQL } db_kind;

/* url: "sqlite:PATH" or "postgresql://…" / "postgres://…" (libpq URI). */
reg_err db_open(const char *url, db **out, char *err, size_t errlen);
/* The same, but a missing SQLite database is an error instead of being
 * created (a command that reads what should be there: db backup). */
reg_err db_open_existing(const char *url, db **out, char *err, size_t errlen);
void db_close(db *d);
/* SQLite: the WAL is copied back into the database file by a thread of
 * the store's own, for the database at url, instead of by the commit that
 * takes the WAL past SQLite's threshold (which held the one writer's place
 * through the copy and its fsyncs). Connections to url opened after the
 * start leave checkpoints to the thread; a commit still makes one itself
 * should the WAL grow far past the threshold. Nothing for PostgreSQL.
 * Stop it once the connections' work is over. For tests: hold keeps the
 * thread from checkpointing until let go; sync wakes it and waits until a
 * checkpoint begun after the call has ended (at once when held or not
 * running). */
reg_err db_checkpointer_start(const char *url, char *err, size_t errlen);
void db_checkpointer_stop(void);
void db_checkpointer_hold(bool hold);
void db_checkpointer_sync(void);
db_kind db_kind_of(const db *d);
/* The last error's message from the driver ("" if none). */
const char *db_errmsg(const db *d);

/* Write transactions: BEGIN IMMEDIATE on SQLite. Nested calls are errors. */
reg_err db_begin(db *d);
/* A transaction whose commit need not wait for the disk: for batches that
 * only append audit rows (read-only EPP commands). A later durable commit
 * flushes it too; a crash may lose it, never a durable one. */
reg_err db_begin_lazy(db *d);
/* A read-only transaction whose statements all see one snapshot
 * (PostgreSQL's default READ COMMITTED gives each statement its own). It
 * does not keep writers out as db_begin does on SQLite: reports such as a
 * statement or ledger verify use it. End it with db_rollback. */
reg_err db_begin_snapshot(db *d);
/* A snapshot as db_begin_snapshot, in which every statement that would
 * write is refused (SQLite: the driver asks SQLite of each statement
 * before it runs; PostgreSQL: a READ ONLY transaction): the EPP workers
 * run the batches they judge read-only in one, beside the writer. A
 * statement refused so fails, and db_write_refused tells; end it with
 * db_commit or db_rollback, which end the refusal. Savepoints in it are
 * no-ops: with every write refused there is nothing to undo. */
reg_err db_begin_reads(db *d);
/* Since db_begin_reads: a statement of d tried to write and was refused,
 * or, on PostgreSQL, where any error ends the transaction (and savepoints
 * are no-ops here), any statement failed. Either way the caller runs its
 * work again in a transaction that may write. On PostgreSQL, db_commit of
 * such a transaction sends its COMMIT without waiting for the answer (read
 * at the connection's next use), so it returns REG_OK even after a failed
 * statement: check db_write_refused first. */
bool db_write_refused(const db *d);
reg_err db_commit(db *d);
reg_err db_rollback(db *d);

/* A write transaction whose commit is made durable apart, after it is
 * visible (issue 18: on SQLite the EPP workers let the next batch in
 * while the last one's fdatasync runs): begin it with db_begin_sync_later,
 * commit it with db_commit_sync_later, which fills s, then call
 * db_sync_wait(s), which does not use d: another thread may begin the
 * next transaction on d meanwhile. Tell no one of the commit before
 * db_sync_wait returns REG_OK: until then a crash may lose it. Not
 * REG_OK: the commit is in the database but perhaps not on the disk
 * (s->errmsg says why). db_after_commit's function runs in db_sync_wait,
 * once it is durable. Where the backend has no such sync (PostgreSQL)
 * these are db_begin and db_commit, and db_sync_wait has nothing to do.
 * Meanwhile other connections read the commit: whatever acts on what it
 * read outside the database (mail, DNS, zone files) calls db_sync_commits
 * first. */
struct db_sync {
    int fd; /* to fdatasync; -1: nothing */
    void (*after_commit)(void);
    char errmsg[256];
};
reg_err db_begin_sync_later(db *d);
reg_err db_commit_sync_later(db *d, struct db_sync *s);
reg_err db_sync_wait(struct db_sync *s);
/* Every commit made so far, by any connection of this process or
 * another, on the disk (SQLite: the WAL's fdatasync; PostgreSQL: nothing
 * to do, its commits are durable before others see them, but for lazy
 * ones, which hold only audit rows). Once a sync of a database's WAL has
 * failed in this process, this fails, and so does every BEGIN of a
 * transaction that may write to it, until the process starts again. */
reg_err db_sync_commits(db *d);
/* fn() once the open transaction commits (not when it is rolled back;
 * a rollback to a savepoint keeps it); at once outside a transaction.
 * One function per transaction: the last one set. */
void db_after_commit(db *d, void (*fn)(void));
bool db_in_transaction(const db *d);
/* Savepoints let many commands share one transaction and one commit
 * (group commit) while each can still fail alone. */
reg_err db_savepoint(db *d, const char *name);
reg_err db_release(db *d, const char *name);
reg_err db_rollback_to(db *d, const char *name);
/* RELEASE SAVEPOINT name and SAVEPOINT next in one round trip (a loop of
 * steps each under its own savepoint). It also reports the error of a
 * deferred write (db_run_deferred) not reported yet: then neither was
 * done (PostgreSQL aborted them) and ROLLBACK TO name is what is left. */
reg_err db_release_savepoint(db *d, const char *name, const char *next);

/* A lost connection (PostgreSQL; an SQLite database is never lost).
 *
 * A statement on a connection that broke fails with REG_ERR_DB_DOWN. The
 * connection is replaced at the next call outside a transaction, with
 * backoff: while the server stays away calls fail at once (no attempt
 * before the backoff has passed, 50 ms doubling to 1 s). Cached statements
 * are prepared again on the new connection. Never inside a transaction (it
 * died with the connection: end it with db_rollback) and never while the
 * connection holds a lease (the work under it must stop, not go on
 * without it: release the lease first).
 *
 * db_commit tells the outcomes apart: REG_ERR_DB_DOWN when the connection
 * was lost before COMMIT was sent, or while it was in flight and the
 * transaction turned out aborted — nothing was saved, running it again is
 * safe; REG_OK when it turned out committed; REG_ERR_DB_UNKNOWN when that
 * could not be learnt (the server stayed away for DB_RESOLVE_SECONDS). A
 * transaction that may write records its id (txid_current()) at BEGIN, and
 * a COMMIT cut off in flight is resolved with txid_status() on a new
 * connection.
 *
 * The process logs one line when it first finds the database gone
 * (event=database-down) and one when a connection is back
 * (event=database-back), not one per statement. */
#define DB_RESOLVE_SECONDS 10
/* Replaces a lost connection now (subject to the backoff); REG_OK when the
 * connection is (again) usable as far as the client knows. */
reg_err db_check(db *d);
/* db_check and a round trip to the server: is the database there? */
reg_err db_ping(db *d);
/* Has the connection been found broken (and not replaced yet)? */
bool db_lost(const db *d);
/* A number that changes whenever the connection is replaced: what was read
 * before on another connection may be wrong (a statement that failed when
 * it broke). */
uint64_t db_connection_serial(const db *d);

/* Housekeeping, outside a transaction: refreshes the query planner's
 * statistics and, on SQLite, checkpoints the WAL (passively) so the log
 * does not grow without bound between restarts. */
reg_err db_maintain(db *d);

/* Run SQL text without parameters (may hold several statements). */
reg_err db_exec(db *d, const char *sql);

/* A cached prepared statement for sql (compare by content); never NULL:
 * a preparation error is sticky in the returned statement. */
db_stmt *db_query(db *d, const char *sql);
void db_bind_int(db_stmt *s, int idx, int64_t v); /* idx from 1 */
void db_bind_text(db_stmt *s, int idx, const char *v); /* NULL binds SQL NULL */
void db_bind_null(db_stmt *s, int idx);
/* v when present, else SQL NULL (an optional integer: an id, a time). */
void db_bind_int_or_null(db_stmt *s, int idx, bool present, int64_t v);
/* Advance to the next row; false at the end or on error. */
bool db_next(db_stmt *s);
bool db_col_is_null(db_stmt *s, int col); /* col from 0 */
int64_t db_col_int(db_stmt *s, int col);
const char *db_col_text(db_stmt *s, int col); /* NULL for SQL NULL */
/* Finish with s: returns its sticky error and resets it for reuse. */
reg_err db_done(db_stmt *s);
/* Execute a statement that returns no rows: next + done. */
reg_err db_run(db_stmt *s);
/* Rows changed by the last INSERT/UPDATE/DELETE statement. */
int64_t db_changes(db *d);

/* Deferred writes (libpq pipeline mode, issue 18): a statement whose result
 * nothing reads (no rows, no db_changes) run by db_run_deferred is, on
 * PostgreSQL inside a transaction of a connection that allows it
 * (db_defer_writes), sent without waiting for its answer; the answer comes
 * with the next statement's, in one round trip. Its error is reported by
 * that next statement (db_next, db_exec, db_release, db_commit…) or by
 * db_flush, so the caller must look at the outcome of what follows; a
 * constraint it broke is reported as REG_ERR_DB, never as
 * REG_ERR_DB_CONSTRAINT, which the next statement's caller could take for
 * its own ("the name is taken"). On
 * SQLite, outside a transaction or when not allowed, it is db_run.
 * Allowing it is the business of a loop that checks every outcome (the
 * lifecycle jobs); it is off by default. */
void db_defer_writes(db *d, bool on);
reg_err db_run_deferred(db_stmt *s);
/* The answers to deferred writes now: the first error among them. */
reg_err db_flush(db *d);
/* Was the last error recorded on d (db_errmsg) that of a deferred write,
 * reported by a later statement or the commit? Then the caller knows which
 * of its writes failed (the EPP workers log their audit rows' failure). */
bool db_deferred_failed(const db *d);

/* What a connection has sent since it was opened (issue 18: round trips
 * per command). statements: each statement executed (a db_next that ran
 * it, each transaction or savepoint command, each db_exec); round_trips:
 * each wait for the server's answer (PostgreSQL: several deferred writes
 * and the statement after them are one; a statement's preparation on a
 * connection is one more). SQLite has no server: a round trip is a
 * statement there. Cheap: two counters, no lock (a db is one thread's). */
struct db_counts {
    uint64_t statements, round_trips;
};
void db_counts(const db *d, struct db_counts *out);
/* How often the database compiled d's prepared statements again (SQLite:
 * after a schema change, or a pragma that expires them all; 0 where the
 * driver does not say). For tests and benchmarks: it walks the cache. */
uint64_t db_recompiles(const db *d);

/* Job leases (DESIGN §8): only one instance holds `name` at a time.
 * PostgreSQL: session advisory lock; SQLite: flock on a file beside the
 * database. REG_ERR_LOCKED when another holder has it. */
reg_err db_lease_try(db *d, const char *name, db_lease **out);
void db_lease_release(db_lease *l);

/* Backup and restore of an SQLite database (docs/operations.md "Backup and
 * restore"). PostgreSQL's own tools do this for it (pg_dump, pg_restore,
 * pg_basebackup): both calls refuse it with REG_ERR_UNIMPLEMENTED and a
 * line that names them. Outside a transaction. */
struct db_copy_info {
    int schema_version; /* of the copy */
    int64_t bytes;      /* its size */
};
/* A consistent copy of the database as of one instant, taken while others
 * go on writing: SQLite's backup API in one step, one read transaction,
 * which in WAL mode holds no writer up. It is written to a temporary file
 * beside path (mode 0600), made self-contained (rollback journal, nothing
 * in a -wal file), checked (quick_check, registryd's schema), fsynced,
 * then renamed to path and the directory fsynced: path is whole or absent.
 * An existing path is refused (REG_ERR_EXISTS) unless replace; the
 * database itself always is. */
reg_err db_backup(db *d, const char *path, bool replace, struct db_copy_info *info);
/* Replaces the database's content with the copy at path, which must be a
 * registryd database that passes quick_check with a schema version this
 * program knows (REG_ERR_INVALID otherwise: nothing is changed). Refused
 * with REG_ERR_DB_BUSY while any other connection has the database open
 * (a running registryd). The WAL is emptied first, so no log of the old
 * database can be replayed over the restored one. */
reg_err db_restore(db *d, const char *path, struct db_copy_info *info);

/* Migrations (src/store/sql/, embedded at build time). */
reg_err db_migrate(db *d, int *applied);
/* The highest migration applied; -1 when the database has no schema yet
 * (no schema_version table: db_migrate never ran) or cannot be read. */
int db_schema_version(db *d);
int db_schema_latest(void);

#endif
