/* Helpers for unit tests: scratch files and fresh databases on both
 * backends (SQLite file; database on the suite's PostgreSQL server). */
#ifndef REG_TESTUTIL_H
#define REG_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/db.h"

/* A directory for scratch files ($REG_TEST_TMP or /tmp), created. */
const char *test_tmpdir(void);
/* The log, at level info, into a scratch file from test_log_begin until
 * test_log_end, which gives what was written (at most n - 1 bytes). */
struct test_log {
    int fd, level;
    char path[1100];
};
void test_log_begin(struct test_log *l);
void test_log_end(struct test_log *l, char *out, size_t n);
/* The URL of the suite's PostgreSQL server, without a database; caller
 * frees. Fails the test when the pg fixture has not started one. */
char *test_pg_base_url(void);
/* A fresh, empty database for `name` on the given backend; caller frees. */
char *test_db_url(db_kind kind, const char *name);
/* Opened and migrated; fails the test on error. */
db *test_db_open(db_kind kind, const char *name);
/* The database at url, opened and migrated; fails the test on error. */
db *test_db_open_url(const char *url);

/* The pepper of the auth-info hashes that the registry fixtures load (the
 * binaries read theirs from [security] pepper_file), and a second key for
 * rotation tests. */
#define TEST_PEPPER "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define TEST_PEPPER_NEXT "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
/* Loads TEST_PEPPER as the only key; fails the test on error. */
void test_use_pepper(void);
/* An auth-info or OTP hash as the registry stored it before the pepper:
 * "s256$<salt>$<hex>" = SHA-256(salt "$" code); out holds 96 bytes. */
void test_legacy_hash(const char *code, char *out);
/* The attack on a copy of the database: does SHA-256(salt "$" guess) give
 * the digest of the stored hash ("<form>$[key id$]salt$hex")? */
bool test_offline_guess_matches(const char *hash, const char *guess);
/* Runs `update` ("UPDATE t SET hash = ? WHERE k = ?") with the legacy hash
 * of code and key: data as it was before the pepper. One row must change. */
void test_store_legacy_hash(db *d, const char *update, const char *key, const char *code);
/* The hash `select` ("SELECT hash FROM t WHERE k = ?") gives for key
 * verifies code, and is (keyed) in the form of the current pepper key, on
 * which the offline guess fails, or (!keyed) still the legacy one. */
void test_assert_hash_form(db *d, const char *select, const char *key, const char *code,
                           bool keyed);

/* cmocka state for tests that run once per backend. */
struct test_backend {
    db_kind kind;
    const char *label;
};
extern struct test_backend test_sqlite, test_pgsql;

/* test_db_url and test_db_open for the backend of a BOTH_BACKENDS test
 * (its cmocka state), the database named <base>_<label>. */
char *test_backend_url(void **state, const char *base);
/* test_backend_url, but on PostgreSQL a copy of the fixture's migrated
 * registry_template (0.3 s less than migrating it); on SQLite an empty file.
 * For tests that migrate it at once (test_db_open_url). */
char *test_backend_url_migrated(void **state, const char *base);
db *test_backend_db(void **state, const char *base);

/* Named "fn/sqlite" and "fn/pgsql" so a failure says which backend. */
#define BOTH_BACKENDS(fn)                                                        \
    {.name = #fn "/sqlite", .test_func = fn, .initial_state = &test_sqlite},    \
        {.name = #fn "/pgsql", .test_func = fn, .initial_state = &test_pgsql}

/* The same with a teardown that runs even when the test fails. */
#define BOTH_BACKENDS_TEARDOWN(fn, td)                                                    \
    {.name = #fn "/sqlite", .test_func = fn, .teardown_func = td,                         \
     .initial_state = &test_sqlite},                                                      \
        {.name = #fn "/pgsql", .test_func = fn, .teardown_func = td, .initial_state = &test_pgsql}

#endif
