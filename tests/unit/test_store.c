/* Storage driver API (src/store/db.h) on SQLite and PostgreSQL: migrations,
 * binds and columns, the statement cache, placeholder rewriting, errors,
 * transactions and savepoints, durability, job leases, backup and restore. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contrib/log.h"
#include "store/db.h"

static db_kind kind_of(void **state) { return ((struct test_backend *)*state)->kind; }

/* Everything a test opens is tracked and closed by release_all(), the
 * per-test teardown, so a failing assertion (which longjmps out of the
 * test) leaks nothing and the sanitizer build reports only real leaks. */
#define MAX_TRACKED 8
static db *tracked_db[MAX_TRACKED];
static char *tracked_url[MAX_TRACKED];

static db *track(db *d)
{
    for (int i = 0; i < MAX_TRACKED; i++)
        if (!tracked_db[i])
            return tracked_db[i] = d;
    fail_msg("test opens more than %d connections", MAX_TRACKED);
    return d;
}

static char *track_url(char *url)
{
    for (int i = 0; i < MAX_TRACKED; i++)
        if (!tracked_url[i])
            return tracked_url[i] = url;
    fail_msg("test makes more than %d databases", MAX_TRACKED);
    return url;
}

static void close_db(db *d)
{
    for (int i = 0; i < MAX_TRACKED; i++)
        if (tracked_db[i] == d)
            tracked_db[i] = NULL;
    db_close(d);
}

static int release_all(void **state)
{
    (void)state;
    for (int i = 0; i < MAX_TRACKED; i++) {
        db_close(tracked_db[i]);
        tracked_db[i] = NULL;
        free(tracked_url[i]);
        tracked_url[i] = NULL;
    }
    return 0;
}

#define STORE_TEST(fn) BOTH_BACKENDS_TEARDOWN(fn, release_all)

static db *open_url(const char *url)
{
    db *d = NULL;
    char err[512] = "";
    if (db_open(url, &d, err, sizeof err))
        fail_msg("open %s: %s", url, err);
    assert_non_null(d);
    return track(d);
}

static db *open_migrated(const char *url)
{
    db *d = open_url(url);
    int applied = -1;
    if (db_migrate(d, &applied))
        fail_msg("migrate %s: %s", url, db_errmsg(d));
    return d;
}

static void exec_ok(db *d, const char *sql)
{
    if (db_exec(d, sql))
        fail_msg("%s: %s", sql, db_errmsg(d));
}

/* A scratch table: id, a number, a unique text and a free text. */
static void make_table(db *d)
{
    exec_ok(d, "CREATE TABLE t (id BIGINT PRIMARY KEY, n BIGINT, s TEXT UNIQUE, x TEXT)");
}

static reg_err insert_row(db *d, int64_t id, int64_t n, const char *s, const char *x)
{
    db_stmt *st = db_query(d, "INSERT INTO t (id, n, s, x) VALUES (?, ?, ?, ?)");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, n);
    db_bind_text(st, 3, s);
    db_bind_text(st, 4, x);
    return db_run(st);
}

static int64_t count_rows(db *d, const char *where)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM t%s%s", where ? " WHERE " : "", where ? where : "");
    db_stmt *s = db_query(d, sql);
    int64_t n = -1;
    if (db_next(s))
        n = db_col_int(s, 0);
    reg_err e = db_done(s);
    if (e)
        fail_msg("%s: %s", sql, db_errmsg(d));
    return n;
}

static void assert_one_line(const char *msg)
{
    assert_non_null(msg);
    if (!*msg)
        fail_msg("empty error message");
    if (strchr(msg, '\n') || strchr(msg, '\r'))
        fail_msg("error message is more than one line: \"%s\"", msg);
}

static void migrate_is_idempotent(void **state)
{
    char *url = track_url(test_backend_url(state, "migrate"));
    db *d = open_url(url);
    assert_int_equal(db_kind_of(d), kind_of(state));
    assert_true(db_schema_latest() >= 1);
    assert_int_equal(db_schema_version(d), -1); /* no schema yet */
    int applied = -1;
    if (db_migrate(d, &applied))
        fail_msg("migrate: %s", db_errmsg(d));
    assert_true(applied >= 1);
    const int64_t first_applied = applied;
    assert_int_equal(db_schema_version(d), db_schema_latest());
    applied = -1;
    assert_int_equal(db_migrate(d, &applied), REG_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(db_schema_version(d), db_schema_latest());
    /* one schema_version row per migration; the tables are there */
    db_stmt *s = db_query(d, "SELECT COUNT(*) FROM schema_version");
    assert_true(db_next(s));
    assert_int_equal(db_col_int(s, 0), first_applied);
    assert_int_equal(db_done(s), REG_OK);
    exec_ok(d, "SELECT handle FROM registrar; SELECT name FROM job_run");
    close_db(d);
    /* and again on a new connection */
    d = open_url(url);
    applied = -1;
    assert_int_equal(db_migrate(d, &applied), REG_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(db_schema_version(d), db_schema_latest());
    close_db(d);
}

/* A migration missing below the highest applied one (branches merged out
 * of order) is still applied: here its objects exist, so trying it fails
 * and names it, which shows it was not skipped. */
static void migrate_applies_a_gap_below_the_highest(void **state)
{
    db *d = track(test_backend_db(state, "gap"));
    assert_true(db_schema_latest() >= 2);
    exec_ok(d, "DELETE FROM schema_version WHERE version = 1");
    int applied = -1;
    assert_int_not_equal(db_migrate(d, &applied), REG_OK);
    if (!strstr(db_errmsg(d), "0001_"))
        fail_msg("the missing migration is not named: %s", db_errmsg(d));
}

static void migrate_refuses_newer_schema(void **state)
{
    db *d = track(test_backend_db(state, "newer"));
    db_stmt *s = db_query(d, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
    db_bind_int(s, 1, db_schema_latest() + 1);
    db_bind_text(s, 2, "from_the_future");
    db_bind_int(s, 3, 0);
    assert_int_equal(db_run(s), REG_OK);
    int applied = -1;
    assert_int_not_equal(db_migrate(d, &applied), REG_OK);
    assert_one_line(db_errmsg(d));
    assert_non_null(strstr(db_errmsg(d), "newer"));
    close_db(d);
}

static void binds_and_columns(void **state)
{
    db *d = track(test_backend_db(state, "binds"));
    make_table(d);
    const int64_t big = (int64_t)1 << 40, neg = -1234567890123LL;
    const char *text = "O'Brien \"æøå\" ; -- ? $1";
    assert_int_equal(insert_row(d, 1, big, text, NULL), REG_OK);
    assert_int_equal(db_changes(d), 1);
    assert_int_equal(insert_row(d, 2, neg, "", "x"), REG_OK);
    db_stmt *s = db_query(d, "INSERT INTO t (id, n, s, x) VALUES (?, ?, ?, ?)");
    db_bind_int(s, 1, 3);
    db_bind_null(s, 2);
    db_bind_null(s, 3);
    db_bind_text(s, 4, "third");
    assert_int_equal(db_run(s), REG_OK);

    s = db_query(d, "SELECT id, n, s, x FROM t ORDER BY id");
    assert_true(db_next(s));
    assert_int_equal(db_col_int(s, 0), 1);
    assert_int_equal(db_col_int(s, 1), big);
    assert_string_equal(db_col_text(s, 2), text);
    assert_true(db_col_is_null(s, 3));
    assert_null(db_col_text(s, 3));
    assert_true(db_next(s));
    assert_int_equal(db_col_int(s, 1), neg);
    assert_false(db_col_is_null(s, 2)); /* "" is not NULL */
    assert_string_equal(db_col_text(s, 2), "");
    assert_string_equal(db_col_text(s, 3), "x");
    assert_true(db_next(s));
    assert_true(db_col_is_null(s, 1));
    assert_int_equal(db_col_int(s, 1), 0);
    assert_true(db_col_is_null(s, 2));
    assert_string_equal(db_col_text(s, 3), "third");
    assert_false(db_next(s));
    assert_false(db_next(s)); /* stays at the end */
    assert_int_equal(db_done(s), REG_OK);

    /* a bound parameter is data, never SQL */
    s = db_query(d, "SELECT COUNT(*) FROM t WHERE s = ?");
    db_bind_text(s, 1, "' OR '1'='1");
    assert_true(db_next(s));
    assert_int_equal(db_col_int(s, 0), 0);
    assert_int_equal(db_done(s), REG_OK);

    /* changes counts every row an UPDATE touched */
    s = db_query(d, "UPDATE t SET x = ? WHERE id >= ?");
    db_bind_text(s, 1, "y");
    db_bind_int(s, 2, 2);
    assert_int_equal(db_run(s), REG_OK);
    assert_int_equal(db_changes(d), 2);
    s = db_query(d, "DELETE FROM t WHERE id = ?");
    db_bind_int(s, 1, 99);
    assert_int_equal(db_run(s), REG_OK);
    assert_int_equal(db_changes(d), 0);
    close_db(d);
}

static void statement_cache_reuses_with_new_binds(void **state)
{
    db *d = track(test_backend_db(state, "cache"));
    make_table(d);
    for (int i = 1; i <= 5; i++) {
        char s[16];
        snprintf(s, sizeof s, "row%d", i);
        assert_int_equal(insert_row(d, i, i * 10, s, NULL), REG_OK);
    }
    /* same text from a different buffer → the same cached statement */
    char *sql = strdup("SELECT s FROM t WHERE n = ?");
    db_stmt *a = db_query(d, "SELECT s FROM t WHERE n = ?");
    db_bind_int(a, 1, 20);
    assert_true(db_next(a));
    assert_string_equal(db_col_text(a, 0), "row2");
    assert_int_equal(db_done(a), REG_OK);
    db_stmt *b = db_query(d, sql);
    assert_ptr_equal(a, b);
    db_bind_int(b, 1, 40);
    assert_true(db_next(b));
    assert_string_equal(db_col_text(b, 0), "row4");
    assert_false(db_next(b));
    assert_int_equal(db_done(b), REG_OK);
    free(sql);

    /* reuse after stopping early, before the last row */
    db_stmt *all = db_query(d, "SELECT id FROM t WHERE n >= ? ORDER BY id");
    db_bind_int(all, 1, 0);
    assert_true(db_next(all));
    assert_int_equal(db_col_int(all, 0), 1);
    assert_int_equal(db_done(all), REG_OK);
    all = db_query(d, "SELECT id FROM t WHERE n >= ? ORDER BY id");
    db_bind_int(all, 1, 30);
    int64_t n = 0;
    while (db_next(all))
        n++;
    assert_int_equal(n, 3);
    assert_int_equal(db_done(all), REG_OK);

    /* binds do not survive db_done: an unbound parameter is NULL */
    db_stmt *ins = db_query(d, "INSERT INTO t (id, n, s, x) VALUES (?, ?, ?, ?)");
    db_bind_int(ins, 1, 6);
    db_bind_int(ins, 2, 60);
    db_bind_text(ins, 3, "row6");
    db_bind_text(ins, 4, "stale?");
    assert_int_equal(db_run(ins), REG_OK);
    ins = db_query(d, "INSERT INTO t (id, n, s, x) VALUES (?, ?, ?, ?)");
    db_bind_int(ins, 1, 7);
    db_bind_int(ins, 2, 70);
    db_bind_text(ins, 3, "row7");
    assert_int_equal(db_run(ins), REG_OK);
    assert_int_equal(count_rows(d, "id = 7 AND x IS NULL"), 1);

    /* many distinct statements: the cache keeps them all working */
    for (int i = 0; i < 600; i++) {
        char q[96];
        snprintf(q, sizeof q, "SELECT %d + n FROM t WHERE id = ?", i);
        db_stmt *s = db_query(d, q);
        db_bind_int(s, 1, 1);
        assert_true(db_next(s));
        assert_int_equal(db_col_int(s, 0), i + 10);
        assert_int_equal(db_done(s), REG_OK);
    }
    close_db(d);
}

/* db_query hands out a cached statement ready for fresh binds even when
 * its last user stopped early without db_done (an early-return path). */
static void unfinished_statement_is_reset_by_query(void **state)
{
    db *d = track(test_backend_db(state, "unfinished"));
    make_table(d);
    for (int i = 1; i <= 3; i++) {
        char s[16];
        snprintf(s, sizeof s, "row%d", i);
        assert_int_equal(insert_row(d, i, i * 10, s, NULL), REG_OK);
    }
    const char *sql = "SELECT s FROM t WHERE n >= ? ORDER BY id";
    db_stmt *a = db_query(d, sql);
    db_bind_int(a, 1, 10);
    assert_true(db_next(a));
    assert_string_equal(db_col_text(a, 0), "row1");
    /* no db_done(a) */
    db_stmt *b = db_query(d, sql);
    db_bind_int(b, 1, 30);
    if (!db_next(b))
        fail_msg("reused statement returned no row (%s)", db_errmsg(d));
    assert_string_equal(db_col_text(b, 0), "row3");
    assert_false(db_next(b));
    assert_int_equal(db_done(b), REG_OK);
    close_db(d);
}

static void question_mark_in_literal_is_not_a_placeholder(void **state)
{
    db *d = track(test_backend_db(state, "literal"));
    make_table(d);
    db_stmt *s = db_query(d, "INSERT INTO t (id, n, s, x) VALUES (?, 1, 'what?', ?)");
    db_bind_int(s, 1, 1);
    db_bind_text(s, 2, "bound");
    assert_int_equal(db_run(s), REG_OK);
    s = db_query(d, "INSERT INTO t (id, n, s, x) VALUES (?, 2, 'it''s ? or ? ?', ?)");
    db_bind_int(s, 1, 2);
    db_bind_text(s, 2, "also bound");
    assert_int_equal(db_run(s), REG_OK);
    s = db_query(d, "SELECT s, x FROM t WHERE x = ? AND s <> '?' ORDER BY id");
    db_bind_text(s, 1, "bound");
    assert_true(db_next(s));
    assert_string_equal(db_col_text(s, 0), "what?");
    assert_string_equal(db_col_text(s, 1), "bound");
    assert_false(db_next(s));
    assert_int_equal(db_done(s), REG_OK);
    s = db_query(d, "SELECT s FROM t WHERE id = ?");
    db_bind_int(s, 1, 2);
    assert_true(db_next(s));
    assert_string_equal(db_col_text(s, 0), "it's ? or ? ?");
    assert_int_equal(db_done(s), REG_OK);
    close_db(d);
}

/* PostgreSQL numbers placeholders $1, $2, …: a '$' inside a literal (an
 * argon2 hash prefix, a price) must not be taken for one. */
static void dollar_in_literal_is_not_a_placeholder(void **state)
{
    db *d = track(test_backend_db(state, "dollar"));
    make_table(d);
    db_stmt *s = db_query(d, "INSERT INTO t (id, n, s, x) VALUES (?, 1, '$argon2id$v=19$', ?)");
    db_bind_int(s, 1, 1);
    db_bind_text(s, 2, "costs $5");
    reg_err e = db_run(s);
    if (e)
        fail_msg("insert with '$' in a literal: %s", db_errmsg(d));
    s = db_query(d, "SELECT x FROM t WHERE s LIKE '$argon2id$%' AND x <> 'US$9' AND id = ?");
    db_bind_int(s, 1, 1);
    if (!db_next(s))
        fail_msg("select with '$9' in a literal: %s", db_errmsg(d));
    assert_string_equal(db_col_text(s, 0), "costs $5");
    e = db_done(s);
    if (e)
        fail_msg("select with '$' in a literal: %s", db_errmsg(d));
    close_db(d);
}

static void unique_violation_is_a_constraint_error(void **state)
{
    db *d = track(test_backend_db(state, "unique"));
    make_table(d);
    assert_int_equal(insert_row(d, 1, 1, "same", NULL), REG_OK);
    assert_int_equal(insert_row(d, 2, 2, "same", NULL), REG_ERR_DB_CONSTRAINT);
    assert_one_line(db_errmsg(d));
    assert_int_equal(insert_row(d, 1, 3, "other", NULL), REG_ERR_DB_CONSTRAINT); /* primary key */
    assert_one_line(db_errmsg(d));
    /* the connection and the cached statement keep working */
    assert_int_equal(insert_row(d, 3, 3, "third", NULL), REG_OK);
    assert_int_equal(count_rows(d, NULL), 2);
    /* schema constraints too */
    db_stmt *s = db_query(d, "INSERT INTO registrar (handle, name, password_hash, created_at, "
                             "updated_at) VALUES (?, ?, ?, 0, 0)");
    db_bind_text(s, 1, "NONAME");
    db_bind_null(s, 2);
    db_bind_text(s, 3, "x");
    assert_int_equal(db_run(s), REG_ERR_DB_CONSTRAINT);
    close_db(d);
}

static void rollback_discards(void **state)
{
    db *d = track(test_backend_db(state, "rollback"));
    make_table(d);
    assert_false(db_in_transaction(d));
    assert_int_equal(db_begin(d), REG_OK);
    assert_true(db_in_transaction(d));
    assert_int_equal(insert_row(d, 1, 1, "a", NULL), REG_OK);
    assert_int_equal(insert_row(d, 2, 2, "b", NULL), REG_OK);
    assert_int_equal(count_rows(d, NULL), 2); /* visible inside */
    assert_int_equal(db_rollback(d), REG_OK);
    assert_false(db_in_transaction(d));
    assert_int_equal(count_rows(d, NULL), 0);
    close_db(d);
}

static void nested_begin_is_refused(void **state)
{
    db *d = track(test_backend_db(state, "nested"));
    make_table(d);
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(insert_row(d, 1, 1, "a", NULL), REG_OK);
    assert_int_not_equal(db_begin(d), REG_OK);
    assert_true(db_errmsg(d)[0] != '\0');
    assert_true(db_in_transaction(d)); /* the open one is untouched */
    assert_int_equal(db_commit(d), REG_OK);
    assert_false(db_in_transaction(d));
    assert_int_equal(count_rows(d, NULL), 1);
    close_db(d);
}

static void savepoint_rollback_keeps_the_rest(void **state)
{
    db *d = track(test_backend_db(state, "savepoint"));
    make_table(d);
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(insert_row(d, 1, 1, "kept-before", NULL), REG_OK);
    assert_int_equal(db_savepoint(d, "cmd1"), REG_OK);
    assert_int_equal(insert_row(d, 2, 2, "undone", NULL), REG_OK);
    assert_int_equal(db_rollback_to(d, "cmd1"), REG_OK);
    assert_int_equal(db_release(d, "cmd1"), REG_OK);
    assert_int_equal(db_savepoint(d, "cmd2"), REG_OK);
    assert_int_equal(insert_row(d, 3, 3, "kept-after", NULL), REG_OK);
    assert_int_equal(db_release(d, "cmd2"), REG_OK);
    assert_true(db_in_transaction(d));
    assert_int_equal(db_commit(d), REG_OK);
    assert_int_equal(count_rows(d, NULL), 2);
    assert_int_equal(count_rows(d, "s = 'undone'"), 0);
    assert_int_equal(count_rows(d, "s = 'kept-before'"), 1);
    assert_int_equal(count_rows(d, "s = 'kept-after'"), 1);
    /* a savepoint name is an identifier, nothing else */
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_not_equal(db_savepoint(d, "x; DROP TABLE t"), REG_OK);
    assert_int_equal(db_rollback(d), REG_OK);
    assert_int_equal(count_rows(d, NULL), 2);
    close_db(d);
}

/* The transaction-control statements a connection runs for every command
 * (savepoints, BEGIN IMMEDIATE: prepared once on SQLite) do the same the
 * tenth time as the first, and more savepoint names than are kept still
 * work (they run as text). */
static void savepoints_run_again_alike(void **state)
{
    db *d = track(test_backend_db(state, "spagain"));
    make_table(d);
    for (int round = 0; round < 10; round++) {
        char name[32], kept[32], undone[32];
        snprintf(name, sizeof name, "sp%d", round % 2 ? round : 0); /* some kept, some new */
        snprintf(kept, sizeof kept, "kept-%d", round);
        snprintf(undone, sizeof undone, "undone-%d", round);
        assert_int_equal(db_begin(d), REG_OK);
        assert_int_equal(insert_row(d, 100 + round, round, kept, NULL), REG_OK);
        assert_int_equal(db_savepoint(d, name), REG_OK);
        assert_int_equal(insert_row(d, 200 + round, round, undone, NULL), REG_OK);
        assert_int_equal(db_rollback_to(d, name), REG_OK);
        assert_int_equal(db_release(d, name), REG_OK);
        assert_int_equal(db_commit(d), REG_OK);
        assert_int_equal(count_rows(d, "s LIKE 'kept-%'"), round + 1);
        assert_int_equal(count_rows(d, "s LIKE 'undone-%'"), 0);
    }
    /* many names in one transaction, past what is kept */
    assert_int_equal(db_begin(d), REG_OK);
    for (int i = 0; i < 24; i++) {
        char name[32], val[32];
        snprintf(name, sizeof name, "many%d", i);
        snprintf(val, sizeof val, "nested-%d", i);
        assert_int_equal(db_savepoint(d, name), REG_OK);
        assert_int_equal(insert_row(d, 300 + i, i, val, NULL), REG_OK);
    }
    assert_int_equal(db_rollback_to(d, "many12"), REG_OK); /* undoes 12 … 23 */
    assert_int_equal(db_release(d, "many0"), REG_OK);
    assert_int_equal(db_commit(d), REG_OK);
    assert_int_equal(count_rows(d, "s LIKE 'nested-%'"), 12);
    close_db(d);
}

/* Group commit: one command fails inside the shared transaction, its
 * savepoint is rolled back, and the other commands still commit. */
static void savepoint_recovers_from_a_failed_statement(void **state)
{
    db *d = track(test_backend_db(state, "spfail"));
    make_table(d);
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(db_savepoint(d, "c1"), REG_OK);
    assert_int_equal(insert_row(d, 1, 1, "first", NULL), REG_OK);
    assert_int_equal(db_release(d, "c1"), REG_OK);
    assert_int_equal(db_savepoint(d, "c2"), REG_OK);
    assert_int_equal(insert_row(d, 2, 2, "first", NULL), REG_ERR_DB_CONSTRAINT);
    assert_int_equal(db_rollback_to(d, "c2"), REG_OK);
    assert_int_equal(db_release(d, "c2"), REG_OK);
    assert_int_equal(db_savepoint(d, "c3"), REG_OK);
    assert_int_equal(insert_row(d, 3, 3, "third", NULL), REG_OK);
    assert_int_equal(db_release(d, "c3"), REG_OK);
    assert_int_equal(db_commit(d), REG_OK);
    assert_int_equal(count_rows(d, NULL), 2);
    assert_int_equal(count_rows(d, "id = 2"), 0);
    close_db(d);
}

/* DESIGN §4: a write reported committed is committed. If a statement failed
 * inside the transaction and the caller commits anyway, db_commit must
 * either report failure or have committed the writes that succeeded. */
static void commit_after_failed_statement_does_not_lie(void **state)
{
    char *url = track_url(test_backend_url(state, "commitlie"));
    db *d = open_migrated(url);
    make_table(d);
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(insert_row(d, 1, 1, "a", NULL), REG_OK);
    assert_int_equal(insert_row(d, 2, 2, "a", NULL), REG_ERR_DB_CONSTRAINT);
    reg_err e = db_commit(d);
    assert_false(db_in_transaction(d));
    close_db(d);
    d = open_url(url);
    int64_t rows = count_rows(d, "id = 1");
    if (e == REG_OK && rows != 1)
        fail_msg("db_commit returned REG_OK but the row written before the failed statement "
                 "is not in the database");
    /* either way the connection is usable afterwards */
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(insert_row(d, 3, 3, "c", NULL), REG_OK);
    assert_int_equal(db_commit(d), REG_OK);
    close_db(d);
}

/* A COMMIT that the database refuses (a deferred constraint) is reported,
 * with the driver's one-line reason, and leaves nothing behind. */
static void failed_commit_is_reported(void **state)
{
    db *d = track(test_backend_db(state, "commitfail"));
    make_table(d);
    exec_ok(d, "CREATE TABLE child (id BIGINT PRIMARY KEY, parent BIGINT REFERENCES t (id) "
               "DEFERRABLE INITIALLY DEFERRED)");
    assert_int_equal(db_begin(d), REG_OK);
    db_stmt *s = db_query(d, "INSERT INTO child (id, parent) VALUES (?, ?)");
    db_bind_int(s, 1, 1);
    db_bind_int(s, 2, 999); /* no such parent: checked at COMMIT */
    assert_int_equal(db_run(s), REG_OK);
    reg_err e = db_commit(d);
    assert_int_equal(e, REG_ERR_DB_CONSTRAINT);
    if (!db_errmsg(d)[0])
        fail_msg("db_commit failed (%s) but db_errmsg() is empty", reg_errname(e));
    assert_one_line(db_errmsg(d));
    assert_false(db_in_transaction(d));
    s = db_query(d, "SELECT COUNT(*) FROM child");
    assert_true(db_next(s));
    assert_int_equal(db_col_int(s, 0), 0);
    assert_int_equal(db_done(s), REG_OK);
    /* the connection is fine afterwards */
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(insert_row(d, 999, 1, "parent", NULL), REG_OK);
    s = db_query(d, "INSERT INTO child (id, parent) VALUES (?, ?)");
    db_bind_int(s, 1, 1);
    db_bind_int(s, 2, 999);
    assert_int_equal(db_run(s), REG_OK);
    assert_int_equal(db_commit(d), REG_OK);
    close_db(d);
}

static void commit_is_durable_across_reopen(void **state)
{
    char *url = track_url(test_backend_url(state, "durable"));
    db *d = open_migrated(url);
    make_table(d);
    assert_int_equal(db_begin(d), REG_OK);
    for (int i = 1; i <= 50; i++) {
        char s[16];
        snprintf(s, sizeof s, "r%d", i);
        assert_int_equal(insert_row(d, i, i, s, NULL), REG_OK);
    }
    assert_int_equal(db_commit(d), REG_OK);
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(insert_row(d, 100, 100, "never", NULL), REG_OK);
    close_db(d); /* closed with a transaction open: it must not commit */
    d = open_migrated(url);
    assert_int_equal(count_rows(d, NULL), 50);
    assert_int_equal(count_rows(d, "s = 'never'"), 0);
    assert_int_equal(db_schema_version(d), db_schema_latest());
    close_db(d);
}

/* A lazy transaction commits like any other, and the connection is back
 * to durable commits afterwards (SQLite: synchronous=FULL, i.e. 2). */
static void lazy_commit_commits_and_restores_durability(void **state)
{
    char *url = track_url(test_backend_url(state, "lazy"));
    db *d = open_migrated(url);
    make_table(d);
    assert_int_equal(db_begin_lazy(d), REG_OK);
    assert_int_equal(insert_row(d, 1, 1, "lazy", NULL), REG_OK);
    assert_int_equal(db_commit(d), REG_OK);
    assert_int_equal(db_begin_lazy(d), REG_OK);
    assert_int_equal(insert_row(d, 2, 2, "rolled back", NULL), REG_OK);
    assert_int_equal(db_rollback(d), REG_OK);
    if (kind_of(state) == DB_SQLITE) {
        db_stmt *s = db_query(d, "PRAGMA synchronous");
        assert_true(db_next(s));
        assert_int_equal(db_col_int(s, 0), 2);
        assert_int_equal(db_done(s), REG_OK);
    }
    close_db(d);
    d = open_migrated(url);
    assert_int_equal(count_rows(d, NULL), 1);
    assert_int_equal(count_rows(d, "s = 'lazy'"), 1);
    close_db(d);
}

/* db_begin_sync_later: the commit is visible at once, durable at
 * db_sync_wait (SQLite: the fdatasync of the WAL, opened before the commit;
 * the connection is back to durable commits at once), which alone runs
 * db_after_commit's function; a sync that fails says so and runs nothing.
 * On PostgreSQL the commit waits for the disk itself and db_sync_wait has
 * nothing to do. */
static int synced_calls;
static void count_synced(void) { synced_calls++; }

static int synchronous_of(db *d)
{
    db_stmt *q = db_query(d, "PRAGMA synchronous");
    assert_true(db_next(q));
    int v = (int)db_col_int(q, 0);
    assert_int_equal(db_done(q), REG_OK);
    return v;
}

static void sync_later_commits_then_syncs(void **state)
{
    char *url = track_url(test_backend_url(state, "synclater"));
    db *d1 = open_migrated(url), *d2 = open_migrated(url);
    make_table(d1);
    bool sqlite = kind_of(state) == DB_SQLITE;
    synced_calls = 0;
    struct db_sync s;
    assert_int_equal(db_begin_sync_later(d1), REG_OK);
    assert_int_equal(insert_row(d1, 1, 1, "later", NULL), REG_OK);
    db_after_commit(d1, count_synced);
    assert_int_equal(db_commit_sync_later(d1, &s), REG_OK);
    assert_int_equal(count_rows(d2, "s = 'later'"), 1); /* visible before the sync */
    if (sqlite) {
        /* the descriptor is the WAL's */
        char wal[1024];
        struct stat a, b;
        snprintf(wal, sizeof wal, "%s-wal", url + strlen("sqlite:"));
        assert_true(s.fd >= 0);
        assert_int_equal(fstat(s.fd, &a), 0);
        assert_int_equal(stat(wal, &b), 0);
        assert_true(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
        assert_int_equal(synced_calls, 0);
        assert_int_equal(synchronous_of(d1), 2);
    } else {
        assert_int_equal(s.fd, -1);
        assert_int_equal(synced_calls, 1);
    }
    /* the connection is free for the next transaction before the sync */
    assert_int_equal(db_begin_sync_later(d1), REG_OK);
    assert_int_equal(insert_row(d1, 2, 2, "rolled back", NULL), REG_OK);
    assert_int_equal(db_rollback(d1), REG_OK);
    assert_int_equal(db_sync_wait(&s), REG_OK);
    assert_int_equal(synced_calls, 1);
    assert_int_equal(s.fd, -1);
    assert_int_equal(db_sync_wait(&s), REG_OK); /* once only */
    assert_int_equal(synced_calls, 1);
    assert_int_equal(db_sync_commits(d2), REG_OK);

    /* a descriptor that cannot be synced (a pipe's) stands for a disk
     * that fails */
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    struct db_sync bad = {.fd = pipefd[0], .after_commit = count_synced};
    assert_int_equal(db_sync_wait(&bad), REG_ERR_DB_UNKNOWN);
    assert_non_null(strstr(bad.errmsg, "cannot sync the write-ahead log: "));
    assert_int_equal(synced_calls, 1);
    assert_int_equal(bad.fd, -1);
    close(pipefd[1]);

    if (sqlite) {
        /* a BEGIN that fails (here: the connection is made read-only,
         * which refuses BEGIN IMMEDIATE at once, as a database busy past
         * the timeout would) leaves the connection's commits durable,
         * and its error is the BEGIN's */
        assert_int_equal(db_exec(d1, "PRAGMA query_only=1"), REG_OK);
        assert_int_not_equal(db_begin_sync_later(d1), REG_OK);
        assert_non_null(strstr(db_errmsg(d1), "readonly"));
        assert_int_equal(db_exec(d1, "PRAGMA query_only=0"), REG_OK);
        assert_int_equal(synchronous_of(d1), 2);
        assert_false(db_in_transaction(d1));
    }
    close_db(d1);
    close_db(d2);
    d1 = open_migrated(url);
    assert_int_equal(count_rows(d1, NULL), 1);
    close_db(d1);
}

/* A second connection sees a transaction's rows only after the commit. */
static void other_connection_sees_only_committed(void **state)
{
    char *url = track_url(test_backend_url(state, "isolation"));
    db *d1 = open_migrated(url);
    db *d2 = open_migrated(url);
    make_table(d1);
    assert_int_equal(db_begin(d1), REG_OK);
    assert_int_equal(insert_row(d1, 1, 1, "a", NULL), REG_OK);
    assert_int_equal(count_rows(d2, NULL), 0);
    assert_int_equal(db_commit(d1), REG_OK);
    assert_int_equal(count_rows(d2, NULL), 1);
    close_db(d1);
    close_db(d2);
}

/* db_begin_snapshot: each statement sees the state of the first read,
 * though another connection commits meanwhile (and is not kept out). */
static void snapshot_sees_one_state_and_lets_writers_in(void **state)
{
    char *url = track_url(test_backend_url(state, "snapshot"));
    db *d1 = open_migrated(url);
    db *d2 = open_migrated(url);
    make_table(d1);
    assert_int_equal(insert_row(d1, 1, 1, "before", NULL), REG_OK);
    assert_int_equal(db_begin_snapshot(d1), REG_OK);
    assert_true(db_in_transaction(d1));
    assert_int_equal(db_begin_snapshot(d1), REG_ERR_INTERNAL); /* no nesting */
    assert_int_equal(count_rows(d1, NULL), 1);
    assert_int_equal(insert_row(d2, 2, 2, "during", NULL), REG_OK);
    assert_int_equal(count_rows(d2, NULL), 2);
    assert_int_equal(count_rows(d1, NULL), 1);
    assert_int_equal(db_rollback(d1), REG_OK);
    assert_int_equal(count_rows(d1, NULL), 2);
    close_db(d1);
    close_db(d2);
}

/* db_begin_reads (issue 18: the EPP workers' read-only batches): a
 * snapshot in which a write is refused (SQLite: by the driver; PostgreSQL:
 * a READ ONLY transaction), and db_write_refused says so; its end lifts the
 * refusal. Beginning and
 * ending one keeps the connection's prepared statements as they are (with
 * PRAGMA query_only, each expired them all, and every read batch compiled
 * its SQL again). */
static void reads_refuse_writes_until_their_end(void **state)
{
    char *url = track_url(test_backend_url(state, "reads"));
    db *d = open_migrated(url);
    make_table(d);
    assert_int_equal(insert_row(d, 1, 1, "before", NULL), REG_OK);
    uint64_t compiled = db_recompiles(d); /* the migrations' statements, after each one's DDL */
    assert_int_equal(db_begin_reads(d), REG_OK);
    assert_int_equal(db_begin_reads(d), REG_ERR_INTERNAL); /* no nesting */
    assert_int_equal(count_rows(d, NULL), 1);
    bool sqlite = db_kind_of(d) == DB_SQLITE;
    assert_false(db_write_refused(d));
    /* with nothing to undo, savepoints cost no statement */
    struct db_counts c0, c1;
    db_counts(d, &c0);
    assert_int_equal(db_savepoint(d, "sp"), REG_OK);
    assert_int_equal(db_release_savepoint(d, "sp", "sp2"), REG_OK);
    assert_int_equal(db_rollback_to(d, "sp2"), REG_OK);
    assert_int_equal(db_release(d, "sp2"), REG_OK);
    db_counts(d, &c1);
    assert_int_equal(c1.statements - c0.statements, 0);
    assert_int_not_equal(insert_row(d, 2, 2, "refused", NULL), REG_OK);
    assert_true(db_write_refused(d));
    assert_int_equal(db_rollback(d), REG_OK);
    assert_int_equal(insert_row(d, 3, 3, "after", NULL), REG_OK); /* writes again */
    assert_int_equal(count_rows(d, NULL), 2);
    /* a new one starts unrefused, and a commit ends it as well; on
     * PostgreSQL its BEGIN goes with its first statement, and one that ran
     * none costs no round trip (SQLite's round trips are its statements) */
    db_counts(d, &c0);
    assert_int_equal(db_begin_reads(d), REG_OK);
    assert_false(db_write_refused(d));
    assert_int_equal(db_commit(d), REG_OK);
    db_counts(d, &c1);
    assert_int_equal(c1.round_trips - c0.round_trips, sqlite ? 2 : 0);
    assert_int_equal(db_begin_reads(d), REG_OK);
    assert_int_equal(count_rows(d, NULL), 2);
    db_counts(d, &c0);
    assert_int_equal(c0.round_trips - c1.round_trips, sqlite ? 2 : 1);
    /* and its COMMIT is sent, not waited for: its answer is read first
     * thing at the connection's next use */
    assert_int_equal(db_commit(d), REG_OK);
    db_counts(d, &c1);
    assert_int_equal(c1.round_trips - c0.round_trips, sqlite ? 1 : 0);
    assert_int_equal(insert_row(d, 4, 4, "after commit", NULL), REG_OK);
    assert_int_equal(count_rows(d, NULL), 3);
    /* a read that fails: PostgreSQL's transaction ends with it, so the
     * work must run again (as after a refused write); SQLite's goes on */
    assert_int_equal(db_begin_reads(d), REG_OK);
    db_stmt *bad = db_query(d, "SELECT n FROM no_such_table");
    assert_false(db_next(bad));
    assert_int_not_equal(db_done(bad), REG_OK);
    assert_int_equal(db_write_refused(d), !sqlite);
    db_stmt *next = db_query(d, "SELECT COUNT(*) FROM t");
    assert_int_equal(db_next(next), sqlite);
    assert_int_equal(db_done(next) == REG_OK, sqlite);
    assert_int_equal(db_rollback(d), REG_OK);
    assert_int_equal(count_rows(d, NULL), 3);
    assert_int_equal(db_recompiles(d) - compiled, 0);
    /* a write as the snapshot's first statement, never prepared before:
     * refused all the same (PostgreSQL: its PREPARE, then the BEGIN goes
     * before it, never the write alone, outside READ ONLY) */
    assert_int_equal(db_begin_reads(d), REG_OK);
    db_stmt *w = db_query(d, "INSERT INTO t (id, n, s, x) VALUES (9, 9, 'first', NULL)");
    assert_int_not_equal(db_run(w), REG_OK);
    assert_true(db_write_refused(d));
    assert_int_equal(db_rollback(d), REG_OK);
    assert_int_equal(count_rows(d, "id = 9"), 0);
    close_db(d);
}

/* db_maintain refreshes the planner's statistics (PostgreSQL: the row
 * estimate of a table) and checkpoints SQLite's WAL: the database file
 * grows by the rows that were only in the log. */
static void maintain_refreshes_statistics_and_checkpoints(void **state)
{
    char *url = track_url(test_backend_url(state, "maintain"));
    db *d = open_migrated(url);
    make_table(d);
    char big[2048];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(db_begin(d), REG_OK);
    for (int i = 1; i <= 50; i++) {
        char key[16];
        snprintf(key, sizeof key, "r%d", i);
        assert_int_equal(insert_row(d, i, i, key, big), REG_OK);
    }
    assert_int_equal(db_commit(d), REG_OK);
    struct stat before, after;
    if (kind_of(state) == DB_SQLITE)
        assert_int_equal(stat(url + 7, &before), 0);
    assert_int_equal(db_maintain(d), REG_OK);
    if (kind_of(state) == DB_SQLITE) {
        assert_int_equal(stat(url + 7, &after), 0);
        assert_true(after.st_size >= before.st_size + 50 * 1024);
    } else {
        db_stmt *s = db_query(d, "SELECT CAST(reltuples AS BIGINT) FROM pg_class "
                                 "WHERE relname = 't'");
        assert_true(db_next(s));
        assert_int_equal(db_col_int(s, 0), 50);
        assert_int_equal(db_done(s), REG_OK);
    }
    assert_int_equal(count_rows(d, NULL), 50);
    close_db(d);
}

static void dialect_tokens_and_returning(void **state)
{
    db *d = track(test_backend_db(state, "tokens"));
    make_table(d);
    assert_int_equal(insert_row(d, 7, 70, "seven", NULL), REG_OK);
    assert_int_equal(db_begin(d), REG_OK);
    db_stmt *s = db_query(d, "SELECT n FROM t WHERE id = ? {{for_update}}");
    db_bind_int(s, 1, 7);
    assert_true(db_next(s));
    assert_int_equal(db_col_int(s, 0), 70);
    assert_int_equal(db_done(s), REG_OK);
    assert_int_equal(db_commit(d), REG_OK);
    /* registrar.id is {{id}}: generated, returned by RETURNING */
    int64_t ids[2];
    for (int i = 0; i < 2; i++) {
        s = db_query(d, "INSERT INTO registrar (handle, name, password_hash, created_at, updated_at) "
                        "VALUES (?, 'n', 'h', 0, 0) RETURNING id");
        db_bind_text(s, 1, i ? "SECOND" : "FIRST");
        assert_true(db_next(s));
        ids[i] = db_col_int(s, 0);
        assert_int_equal(db_done(s), REG_OK);
    }
    assert_true(ids[0] > 0);
    assert_true(ids[1] > ids[0]);
    /* an unknown token is an error, not SQL sent as is */
    s = db_query(d, "SELECT {{no_such_token}} FROM t");
    assert_non_null(s);
    assert_false(db_next(s));
    assert_int_not_equal(db_done(s), REG_OK);
    close_db(d);
}

static void bad_sql_is_a_sticky_error(void **state)
{
    db *d = track(test_backend_db(state, "badsql"));
    make_table(d);
    db_stmt *s = db_query(d, "SELEC nonsense FROM nowhere WHERE x = ?");
    assert_non_null(s);
    const char *msg = db_errmsg(d);
    assert_one_line(msg);
    db_bind_int(s, 1, 1);
    db_bind_text(s, 1, "x");
    db_bind_null(s, 1);
    assert_false(db_next(s));
    assert_int_not_equal(db_done(s), REG_OK);
    assert_int_not_equal(db_run(db_query(d, "SELECT * FROM no_such_table")), REG_OK);
    assert_one_line(db_errmsg(d));
    assert_int_not_equal(db_exec(d, "THIS IS NOT SQL"), REG_OK);
    assert_one_line(db_errmsg(d));

    /* an error at bind time sticks through next and is returned by done */
    s = db_query(d, "SELECT n FROM t WHERE id = ?");
    db_bind_int(s, 99, 1);
    db_bind_int(s, 1, 1); /* does not clear the error */
    assert_false(db_next(s));
    assert_int_not_equal(db_done(s), REG_OK);
    /* done reset it: the same statement works again */
    assert_int_equal(insert_row(d, 1, 5, "a", NULL), REG_OK);
    s = db_query(d, "SELECT n FROM t WHERE id = ?");
    db_bind_int(s, 1, 1);
    assert_true(db_next(s));
    assert_int_equal(db_col_int(s, 0), 5);
    assert_int_equal(db_done(s), REG_OK);
    /* a run-time error (NOT NULL) in a statement that prepared fine */
    s = db_query(d, "INSERT INTO registrar (handle, name, password_hash, created_at, updated_at) "
                    "VALUES (?, ?, 'h', 0, 0)");
    db_bind_text(s, 1, "X");
    db_bind_text(s, 2, NULL);
    assert_false(db_next(s));
    assert_int_equal(db_done(s), REG_ERR_DB_CONSTRAINT);
    assert_one_line(db_errmsg(d));
    close_db(d);
}

static void leases_exclude_other_connections(void **state)
{
    char *url = track_url(test_backend_url(state, "lease"));
    db *d1 = open_migrated(url);
    db *d2 = open_migrated(url);
    db_lease *l1 = NULL, *l2 = NULL, *other = NULL;
    assert_int_equal(db_lease_try(d1, "job-x", &l1), REG_OK);
    assert_non_null(l1);
    assert_int_equal(db_lease_try(d2, "job-x", &l2), REG_ERR_LOCKED);
    assert_null(l2);
    assert_true(db_errmsg(d2)[0] != '\0');
    assert_int_equal(db_lease_try(d2, "job-x", &l2), REG_ERR_LOCKED); /* still */
    /* another name is independent */
    assert_int_equal(db_lease_try(d2, "job-y", &other), REG_OK);
    db_lease_release(l1);
    assert_int_equal(db_lease_try(d2, "job-x", &l2), REG_OK);
    assert_int_equal(db_lease_try(d1, "job-x", &l1), REG_ERR_LOCKED);
    db_lease_release(l2);
    db_lease_release(other);
    assert_int_equal(db_lease_try(d1, "job-x", &l1), REG_OK);
    db_lease_release(l1);
    db_lease_release(NULL); /* harmless */
    close_db(d1);
    close_db(d2);
}

static void expect_open_error(const char *url, reg_err want, const char *mention)
{
    db *d = NULL;
    char err[512] = "";
    reg_err e = db_open(url, &d, err, sizeof err);
    if (e == REG_OK) {
        close_db(d);
        fail_msg("db_open(\"%s\") succeeded", url);
    }
    if (want != REG_OK && e != want)
        fail_msg("db_open(\"%s\") = %s, want %s (%s)", url, reg_errname(e), reg_errname(want), err);
    assert_one_line(err);
    if (mention && !strstr(err, mention))
        fail_msg("db_open(\"%s\") error \"%s\" does not mention \"%s\"", url, err, mention);
}

static void open_errors_are_one_line(void **state)
{
    (void)state;
    char url[1024];
    expect_open_error("mysql://localhost/registry", REG_ERR_CONFIG, "mysql://");
    expect_open_error("registry.db", REG_ERR_CONFIG, NULL);
    expect_open_error("", REG_ERR_CONFIG, NULL);
    expect_open_error("sqlite:", REG_ERR_CONFIG, NULL);
    snprintf(url, sizeof url, "sqlite:%s/no-such-dir-%d/registry.db", test_tmpdir(), (int)getpid());
    expect_open_error(url, REG_OK, "no-such-dir");
    /* nothing listens on port 1 */
    expect_open_error("postgresql://postgres@127.0.0.1:1/registry?connect_timeout=5", REG_OK,
                      "PostgreSQL");
    char *base = test_pg_base_url();
    snprintf(url, sizeof url, "%s/no_such_database_%d", base, (int)getpid());
    expect_open_error(url, REG_OK, "no_such_database");
    snprintf(url, sizeof url, "%s/postgres?no_such_option=1", base);
    expect_open_error(url, REG_OK, NULL);
    free(base);
}

/* ---- backup and restore (src/store/backup.c) ---- */

/* path of an SQLite url; a scratch file name beside the test databases */
static const char *sqlite_path(const char *url) { return url + strlen("sqlite:"); }

static void scratch_path(char *out, size_t n, const char *name)
{
    char side[1200];
    snprintf(out, n, "%s/%s-%d", test_tmpdir(), name, (int)getpid());
    unlink(out);
    snprintf(side, sizeof side, "%s-wal", out);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", out);
    unlink(side);
}

static int64_t rows_in_copy(const char *path)
{
    char url[1100];
    snprintf(url, sizeof url, "sqlite:%s", path);
    db *c = open_url(url);
    int64_t n = count_rows(c, NULL);
    assert_int_equal(db_schema_version(c), db_schema_latest());
    close_db(c);
    return n;
}

static off_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) ? 0 : st.st_size;
}

/* Issue 18 (p99): with the checkpoint thread running, a commit that takes
 * the WAL past SQLite's 1,000-page threshold no longer copies it back into
 * the database file itself; the thread does. Held, nothing is copied
 * however far the WAL grows; let go, the thread copies it all. */
static void sqlite_checkpoints_run_on_their_own_thread(void **state)
{
    (void)state;
    char path[1100], wal[1200], url[1200];
    scratch_path(path, sizeof path, "ckpt");
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(url, sizeof url, "sqlite:%s", path);
    db *d = open_url(url); /* the database exists before the thread starts */
    assert_int_equal(db_exec(d, "CREATE TABLE t (x TEXT)"), REG_OK);
    close_db(d);
    char err[512] = "";
    if (db_checkpointer_start(url, err, sizeof err))
        fail_msg("checkpointer: %s", err);
    db_checkpointer_hold(true);
    d = open_url(url);
    char row[3001];
    memset(row, 'x', sizeof row - 1);
    row[sizeof row - 1] = '\0';
    for (int i = 0; i < 1300; i++) { /* a page or more a commit */
        assert_int_equal(db_begin_lazy(d), REG_OK);
        db_stmt *s = db_query(d, "INSERT INTO t (x) VALUES (?)");
        db_bind_text(s, 1, row);
        db_next(s);
        assert_int_equal(db_done(s), REG_OK);
        assert_int_equal(db_commit(d), REG_OK);
    }
    assert_true(file_size(wal) >= 1300 * 4096);
    assert_true(file_size(path) < 64 * 4096); /* no commit copied the WAL back */
    db_checkpointer_hold(false);
    db_checkpointer_sync();
    assert_true(file_size(path) >= 1300 * 3000); /* the thread did */
    close_db(d);
    db_checkpointer_stop();
    /* stopped: connections opened now checkpoint as SQLite does by itself */
    d = open_url(url);
    assert_int_equal(db_exec(d, "DELETE FROM t"), REG_OK);
    close_db(d);
}

/* Files in the test directory whose names start with prefix. */
static int files_starting(const char *prefix)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ls -a %s | grep -c '^%s' || true", test_tmpdir(), prefix);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (!p || fscanf(p, "%d", &n) != 1)
        fail_msg("cannot list %s", test_tmpdir());
    pclose(p);
    return n;
}

static void expect_refusal(db *d, reg_err got, reg_err want, const char *mention)
{
    if (got != want)
        fail_msg("got %s, want %s (%s)", reg_errname(got), reg_errname(want), db_errmsg(d));
    assert_one_line(db_errmsg(d));
    if (!strstr(db_errmsg(d), mention))
        fail_msg("\"%s\" does not mention \"%s\"", db_errmsg(d), mention);
}

/* The copy is of one instant: the rows committed before it, none of a
 * transaction open on another connection meanwhile (which is not held
 * up). It is one self-contained file of mode 0600, no temporary file is
 * left, and an existing file is replaced only when asked. PostgreSQL is
 * refused with the names of its own tools. */
static void backup_is_one_instant_while_another_writes(void **state)
{
    char *url = track_url(test_backend_url(state, "backup"));
    db *d1 = open_migrated(url);
    char path[1024];
    scratch_path(path, sizeof path, "backup-copy.db");
    struct db_copy_info info = {0};
    if (kind_of(state) == DB_PGSQL) {
        expect_refusal(d1, db_backup(d1, path, false, &info), REG_ERR_UNIMPLEMENTED, "pg_dump");
        expect_refusal(d1, db_restore(d1, path, &info), REG_ERR_UNIMPLEMENTED, "pg_restore");
        assert_int_equal(access(path, F_OK), -1);
        return;
    }
    db *d2 = open_migrated(url);
    make_table(d1);
    for (int i = 0; i < 50; i++)
        assert_int_equal(insert_row(d1, i, i, NULL, "committed"), REG_OK);
    assert_int_equal(db_begin(d2), REG_OK);
    for (int i = 50; i < 60; i++)
        assert_int_equal(insert_row(d2, i, i, NULL, "in flight"), REG_OK);
    if (db_backup(d1, path, false, &info))
        fail_msg("backup: %s", db_errmsg(d1));
    assert_int_equal(db_commit(d2), REG_OK);
    assert_int_equal(info.schema_version, db_schema_latest());
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(info.bytes, (int64_t)st.st_size);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* rollback-journal mode (header bytes 18, 19 = 1): nothing in a -wal */
    unsigned char header[20];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(header, 1, sizeof header, f), sizeof header);
    fclose(f);
    assert_int_equal(header[18], 1);
    assert_int_equal(files_starting("backup-copy.db.tmp-"), 0);
    assert_int_equal(rows_in_copy(path), 50);

    /* not replaced unless asked; then it is */
    expect_refusal(d1, db_backup(d1, path, false, &info), REG_ERR_EXISTS, path);
    assert_int_equal(rows_in_copy(path), 50);
    assert_int_equal(db_backup(d1, path, true, &info), REG_OK);
    assert_int_equal(rows_in_copy(path), 60);
    /* never onto the database itself */
    expect_refusal(d1, db_backup(d1, sqlite_path(url), true, &info), REG_ERR_INVALID,
                   "database itself");
    assert_int_equal(count_rows(d2, NULL), 60);
    assert_int_equal(files_starting("backup-copy.db.tmp-"), 0);
    unlink(path);
}

/* Overwrites bytes of a file at offset. */
static void scribble(const char *path, long offset, const char *bytes, size_t n)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, offset, SEEK_SET), 0);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

/* A backup made with db_backup, modified by sql (NULL: as it is). */
static void make_backup(void **state, const char *path, int rows, const char *sql)
{
    char *url = test_backend_url(state, "restore_src");
    db *src = open_migrated(url);
    free(url);
    make_table(src);
    for (int i = 0; i < rows; i++)
        assert_int_equal(insert_row(src, i, i, NULL, "from the backup"), REG_OK);
    if (db_backup(src, path, true, NULL))
        fail_msg("backup: %s", db_errmsg(src));
    close_db(src);
    if (sql) {
        char copy[1100];
        snprintf(copy, sizeof copy, "sqlite:%s", path);
        db *c = open_url(copy);
        exec_ok(c, sql);
        close_db(c);
    }
}

/* db_restore replaces the content with a backup's, and refuses (changing
 * nothing) while another connection has the database open, and a file
 * that is not a whole registryd database of a schema it knows. */
static void restore_replaces_content_and_checks_the_copy(void **state)
{
    if (kind_of(state) == DB_PGSQL)
        skip(); /* refused: backup_is_one_instant_while_another_writes */
    char path[1024], other[1024];
    scratch_path(path, sizeof path, "restore-backup.db");
    scratch_path(other, sizeof other, "restore-other.db");
    make_backup(state, path, 7, NULL);
    char *url = track_url(test_backend_url(state, "restore_dst"));
    db *d = open_migrated(url);
    make_table(d);
    assert_int_equal(insert_row(d, 100, 1, NULL, "before the restore"), REG_OK);

    db *busy = open_url(url); /* a running registryd */
    assert_int_equal(count_rows(busy, NULL), 1);
    struct db_copy_info info = {0};
    expect_refusal(d, db_restore(d, path, &info), REG_ERR_DB_BUSY, "in use");
    assert_int_equal(count_rows(busy, NULL), 1);
    close_db(busy);

    expect_refusal(d, db_restore(d, sqlite_path(url), &info), REG_ERR_INVALID, "itself");
    FILE *f = fopen(other, "w");
    assert_non_null(f);
    fputs("not a database, but long enough to have a header of one\n", f);
    fclose(f);
    expect_refusal(d, db_restore(d, other, &info), REG_ERR_INVALID, "not an SQLite database");
    unlink(other);
    char other_url[1100];
    snprintf(other_url, sizeof other_url, "sqlite:%s", other);
    db *o = open_url(other_url);
    exec_ok(o, "CREATE TABLE unrelated (x TEXT)");
    close_db(o);
    expect_refusal(d, db_restore(d, other, &info), REG_ERR_INVALID, "no schema_version");
    unlink(other);

    make_backup(state, other, 3, "UPDATE schema_version SET name = '0001_something_else.sql' "
                                 "WHERE version = 1");
    expect_refusal(d, db_restore(d, other, &info), REG_ERR_INVALID, "not a registryd database");
    make_backup(state, other, 3, "INSERT INTO schema_version (version, name, applied_at) "
                                 "VALUES (99999, '99999_future.sql', 0)");
    expect_refusal(d, db_restore(d, other, &info), REG_ERR_INVALID, "newer");
    /* a page of the table's data scribbled over */
    make_backup(state, other, 400, NULL);
    struct stat st;
    assert_int_equal(stat(other, &st), 0);
    static const char junk[512] = "junk junk junk junk junk junk junk junk junk junk";
    scribble(other, (long)st.st_size - 4096 + 8, junk, sizeof junk);
    expect_refusal(d, db_restore(d, other, &info), REG_ERR_INVALID, "damaged");
    unlink(other);
    assert_int_equal(count_rows(d, NULL), 1);

    if (db_restore(d, path, &info))
        fail_msg("restore: %s", db_errmsg(d));
    assert_int_equal(info.schema_version, db_schema_latest());
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(info.bytes, (int64_t)st.st_size);
    assert_int_equal(count_rows(d, NULL), 7);
    assert_int_equal(count_rows(d, "x = 'before the restore'"), 0);
    /* the connection goes on as before: writes, and others may open it */
    assert_int_equal(insert_row(d, 200, 2, NULL, "after"), REG_OK);
    db *again = open_url(url);
    assert_int_equal(count_rows(again, NULL), 8);
    close_db(again);
    close_db(d);
    unlink(path);
}

static reg_err insert_deferred(db *d, int64_t id, const char *s)
{
    db_stmt *st = db_query(d, "INSERT INTO t (id, n, s, x) VALUES (?, ?, ?, ?)");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, id);
    db_bind_text(st, 3, s);
    db_bind_text(st, 4, NULL);
    return db_run_deferred(st);
}

static uint64_t trips_of(db *d)
{
    struct db_counts c;
    db_counts(d, &c);
    return c.round_trips;
}

/* Issue 18: deferred writes (libpq pipeline mode on PostgreSQL, ordinary
 * ones on SQLite) are seen by the next statement and cost no round trip of
 * their own there; one that fails is reported by the next statement, and
 * ROLLBACK TO its savepoint leaves the transaction usable with the
 * savepoint still there; RELEASE and the next SAVEPOINT are one exec;
 * db_counts counts statements and round trips. */
static void deferred_writes_report_their_errors(void **state)
{
    db *d = track(test_backend_db(state, "deferred"));
    bool pg = db_kind_of(d) == DB_PGSQL;
    make_table(d);
    /* not allowed: an ordinary write */
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(insert_deferred(d, 1, "plain"), REG_OK);
    assert_int_equal(insert_deferred(d, 2, "plain"), REG_ERR_DB_CONSTRAINT);
    assert_int_equal(db_rollback(d), REG_OK);

    db_defer_writes(d, true);
    /* outside a transaction: an ordinary write too */
    assert_int_equal(insert_deferred(d, 1, "alone"), REG_OK);
    assert_int_equal(count_rows(d, "s = 'alone'"), 1);

    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(db_savepoint(d, "due"), REG_OK);
    assert_int_equal(count_rows(d, "id IN (2, 3)"), 0); /* prepared before it is counted */
    struct db_counts c0, c1;
    db_counts(d, &c0);
    assert_int_equal(insert_deferred(d, 2, "two"), REG_OK);
    assert_int_equal(insert_deferred(d, 3, "three"), REG_OK);
    assert_int_equal(count_rows(d, "id IN (2, 3)"), 2); /* the next statement sees them */
    db_counts(d, &c1);
    assert_int_equal(c1.statements - c0.statements, 3);
    assert_int_equal(c1.round_trips - c0.round_trips, pg ? 1 : 3);
    /* the next domain's savepoint with this one's release; the writes
     * before it are answered in the same round trip */
    assert_int_equal(insert_deferred(d, 4, "four"), REG_OK);
    uint64_t t = trips_of(d);
    assert_int_equal(db_release_savepoint(d, "due", "due"), REG_OK);
    assert_int_equal(trips_of(d) - t, pg ? 1 : 2);

    /* a failure: reported by what comes next (on SQLite at once) */
    reg_err e = insert_deferred(d, 5, "two");
    if (pg) {
        assert_int_equal(e, REG_OK);
        assert_int_equal(insert_deferred(d, 6, "six"), REG_OK); /* aborted with it */
        /* a plain database error, not a constraint: the caller of the
         * statement that reports it must not read it as its own */
        assert_int_equal(db_release_savepoint(d, "due", "due"), REG_ERR_DB);
        assert_true(db_deferred_failed(d));
    } else {
        assert_int_equal(e, REG_ERR_DB_CONSTRAINT);
        assert_int_equal(insert_deferred(d, 6, "six"), REG_OK);
    }
    /* undone back to the savepoint, which is still there */
    assert_int_equal(db_rollback_to(d, "due"), REG_OK);
    assert_int_equal(insert_deferred(d, 7, "seven"), REG_OK);
    assert_int_equal(db_release(d, "due"), REG_OK);
    /* the last deferred write goes with COMMIT; one that fails fails it */
    assert_int_equal(insert_deferred(d, 8, "eight"), REG_OK);
    assert_int_equal(db_commit(d), REG_OK);
    assert_int_equal(count_rows(d, NULL), 6); /* alone, two, three, four, seven, eight */
    assert_int_equal(count_rows(d, "id IN (5, 6)"), 0);

    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(insert_deferred(d, 9, "eight"), pg ? REG_OK : REG_ERR_DB_CONSTRAINT);
    if (pg)
        assert_int_not_equal(db_commit(d), REG_OK);
    else
        assert_int_equal(db_rollback(d), REG_OK);
    assert_false(db_in_transaction(d));
    assert_int_equal(count_rows(d, "id = 9"), 0);
    /* a rollback drops what was deferred, its error with it */
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(insert_deferred(d, 10, "ten"), REG_OK);
    assert_int_equal(db_flush(d), REG_OK);
    assert_int_equal(insert_deferred(d, 11, "eleven"), REG_OK);
    assert_int_equal(db_rollback(d), REG_OK);
    assert_int_equal(count_rows(d, "id >= 10"), 0);
    db_defer_writes(d, false);

    /* RELEASE and SAVEPOINT with nothing deferred: one round trip as
     * well; when the release fails the next savepoint is not made */
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(db_savepoint(d, "one"), REG_OK);
    t = trips_of(d);
    assert_int_equal(db_release_savepoint(d, "one", "two"), REG_OK);
    assert_int_equal(trips_of(d) - t, pg ? 1 : 2);
    assert_int_equal(db_release(d, "two"), REG_OK);
    assert_int_not_equal(db_release_savepoint(d, "gone", "three"), REG_OK);
    if (!pg) /* PostgreSQL's transaction is aborted by the failure */
        assert_int_not_equal(db_release(d, "three"), REG_OK);
    assert_int_equal(db_rollback(d), REG_OK);
    close_db(d);
}

int main(void)
{
    log_set_level(LOG_WARN);
    const struct CMUnitTest tests[] = {
        STORE_TEST(migrate_is_idempotent),
        STORE_TEST(migrate_refuses_newer_schema),
        STORE_TEST(migrate_applies_a_gap_below_the_highest),
        STORE_TEST(binds_and_columns),
        STORE_TEST(statement_cache_reuses_with_new_binds),
        STORE_TEST(unfinished_statement_is_reset_by_query),
        STORE_TEST(question_mark_in_literal_is_not_a_placeholder),
        STORE_TEST(dollar_in_literal_is_not_a_placeholder),
        STORE_TEST(unique_violation_is_a_constraint_error),
        STORE_TEST(rollback_discards),
        STORE_TEST(nested_begin_is_refused),
        STORE_TEST(savepoint_rollback_keeps_the_rest),
        STORE_TEST(savepoints_run_again_alike),
        STORE_TEST(savepoint_recovers_from_a_failed_statement),
        STORE_TEST(deferred_writes_report_their_errors),
        STORE_TEST(commit_after_failed_statement_does_not_lie),
        STORE_TEST(failed_commit_is_reported),
        STORE_TEST(commit_is_durable_across_reopen),
        STORE_TEST(lazy_commit_commits_and_restores_durability),
        STORE_TEST(sync_later_commits_then_syncs),
        STORE_TEST(other_connection_sees_only_committed),
        STORE_TEST(maintain_refreshes_statistics_and_checkpoints),
        STORE_TEST(snapshot_sees_one_state_and_lets_writers_in),
        STORE_TEST(reads_refuse_writes_until_their_end),
        STORE_TEST(dialect_tokens_and_returning),
        STORE_TEST(bad_sql_is_a_sticky_error),
        STORE_TEST(leases_exclude_other_connections),
        STORE_TEST(backup_is_one_instant_while_another_writes),
        STORE_TEST(restore_replaces_content_and_checks_the_copy),
        cmocka_unit_test(open_errors_are_one_line),
        cmocka_unit_test(sqlite_checkpoints_run_on_their_own_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
