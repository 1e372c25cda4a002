/* Internal: what a storage driver provides. Only db.c and the drivers
 * include this. */
#ifndef REG_DB_DRIVER_H
#define REG_DB_DRIVER_H

#include "db.h"

struct db_driver {
    const char *name;
    db_kind kind;
    reg_err (*open)(db *d, const char *target, char *err, size_t errlen);
    void (*close)(db *d);
    reg_err (*exec)(db *d, const char *sql); /* any SQL text, maybe several statements */
    /* optional: n statements of db.c's own, each exactly one, in one go
     * (otherwise exec, one at a time). With it, begin_sql and the lazy_*
     * texts below must be single statements; maintain_sql may hold
     * several (SQLite's driver then runs it as text). */
    reg_err (*exec_each)(db *d, const char *const *sql, unsigned n);
    const char *(*token)(const char *name); /* dialect token → SQL text */
    bool numbered_params; /* rewrite ? to $1, $2, … */
    const char *begin_sql;
    /* optional, for transactions that may write (db_begin, db_begin_lazy):
     * instead of exec(begin_sql) */
    reg_err (*begin)(db *d);
    /* optional: instead of exec("COMMIT") (see db.h on its outcomes) */
    reg_err (*commit)(db *d);
    /* optional: replace a lost connection (db_check) */
    reg_err (*check)(db *d);
    const char *snapshot_begin_sql; /* db_begin_snapshot */
    /* db_begin_reads: the driver's step and exec refuse a statement that
     * would write while d->reads is set (and set d->write_refused; so does
     * any failed statement where an error ends the transaction) */
    bool refuses_writes;
    /* optional, db_begin_reads instead of exec(snapshot_begin_sql): may
     * send nothing before the transaction's first statement */
    reg_err (*begin_reads)(db *d);
    /* db_begin_lazy: SQL before BEGIN, after BEGIN, and after the end */
    const char *lazy_before, *lazy_after_begin, *lazy_restore;
    /* optional: the file whose fdatasync makes a lazy transaction's
     * commit durable (db_begin_sync_later, db_sync_commits); NULL: none */
    const char *(*sync_file)(db *d);
    const char *maintain_sql; /* db_maintain */
    /* optional: send s without waiting for its answer (db_run_deferred);
     * flush: the answers to what was sent, the first error */
    reg_err (*run_deferred)(db_stmt *s);
    /* optional: the same for one statement of our own text (SAVEPOINT) */
    reg_err (*exec_deferred)(db *d, const char *sql);
    /* optional: checkpoints on a thread of the driver's own, for the
     * database at target (db_checkpointer_start and the rest) */
    reg_err (*checkpointer_start)(const char *target, char *err, size_t errlen);
    void (*checkpointer_stop)(void);
    void (*checkpointer_hold)(bool hold);
    void (*checkpointer_sync)(void);
    reg_err (*flush)(db *d);
    /* the driver counts d->round_trips itself; otherwise a round trip is
     * a statement */
    bool counts_round_trips;
    reg_err (*prepare)(db_stmt *s, const char *sql);
    void (*finalize)(db_stmt *s);
    reg_err (*bind_int)(db_stmt *s, int idx, int64_t v);
    reg_err (*bind_text)(db_stmt *s, int idx, const char *v);
    reg_err (*bind_null)(db_stmt *s, int idx);
    int (*step)(db_stmt *s); /* 1 row, 0 done, -1 error (db has it) */
    void (*reset)(db_stmt *s);
    uint64_t (*recompiles)(db_stmt *s); /* optional: db_recompiles */
    bool (*col_is_null)(db_stmt *s, int col);
    int64_t (*col_int)(db_stmt *s, int col);
    const char *(*col_text)(db_stmt *s, int col);
    int64_t (*changes)(db *d);
    reg_err (*lease_try)(db *d, const char *name, void **handle);
    void (*lease_release)(db *d, void *handle);
    /* optional (backup.c): the database's file; a checked copy of it
     * into the empty file tmp; its content replaced by the copy at path */
    const char *(*file)(db *d);
    reg_err (*backup)(db *d, const char *tmp, struct db_copy_info *info);
    reg_err (*restore)(db *d, const char *path, struct db_copy_info *info);
};

struct db_stmt {
    db *owner;
    char *sql; /* as given by the caller: the cache key */
    reg_err err;
    bool finished;
    bool started; /* db_next ran it (counted once) */
    void *impl;
    struct db_stmt *next_in_bucket;
};

#define DB_CACHE_BUCKETS 256

struct db {
    const struct db_driver *drv;
    void *impl;
    reg_err err;
    char errmsg[512];
    bool in_tx;
    bool lazy; /* the open transaction was begun with db_begin_lazy */
    int sync_fd; /* ... by db_begin_sync_later: its file to sync, opened before the
                  * commit; -1: none */
    bool restore_lazy; /* lazy_restore failed: tried again before a durable begin */
    bool reads;         /* ... with db_begin_reads, writes refused */
    bool write_refused; /* db_write_refused */
    bool lost; /* the driver found the connection broken */
    bool must_exist; /* db_open_existing: the driver creates no database */
    bool defer;      /* db_defer_writes */
    bool deferred_failed; /* the last error was a deferred write's (db_deferred_failed) */
    uint64_t statements, round_trips; /* db_counts */
    uint64_t serial; /* the driver counts the connections it made */
    void (*after_commit)(void); /* db_after_commit: called once the transaction commits */
    struct db_stmt *cache[DB_CACHE_BUCKETS];
};

/* Migration SQL in the driver's dialect (tokens only, placeholders left
 * alone; malloc'd), NULL on a bad token. */
char *db_rewrite_sql(const db *d, const char *sql);

/* Record a driver error on d, counted in registryd_db_errors_total;
 * returns e. */
reg_err db_set_error(db *d, reg_err e, const char *msg);
/* The error already recorded (and counted), told in other words. */
reg_err db_restate_error(db *d, reg_err e, const char *msg);

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pgsql_driver;

#endif
