#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contrib/log.h"
#include "contrib/secret.h"

struct test_backend test_sqlite = {DB_SQLITE, "sqlite"};
struct test_backend test_pgsql = {DB_PGSQL, "pgsql"};

void test_use_pepper(void)
{
    char err[256];
    if (secret_pepper_parse(TEST_PEPPER "\n", err, sizeof err))
        fail_msg("test pepper: %s", err);
}

void test_legacy_hash(const char *code, char *out)
{
    char salt[17], input[256], digest[SECRET_SHA256_HEX];
    assert_int_equal(secret_random_hex(salt, 8, false), REG_OK);
    int n = snprintf(input, sizeof input, "%s$%s", salt, code);
    secret_sha256_hex(input, (size_t)n, digest);
    snprintf(out, SECRET_AUTHINFO_HASH_LEN, "s256$%s$%s", salt, digest);
}

bool test_offline_guess_matches(const char *hash, const char *guess)
{
    const char *hex = strrchr(hash, '$');
    char input[256], digest[SECRET_SHA256_HEX];
    if (!hex || hex - hash < 16)
        return false;
    int n = snprintf(input, sizeof input, "%.16s$%s", hex - 16, guess);
    secret_sha256_hex(input, (size_t)n, digest);
    return !strcmp(digest, hex + 1);
}

void test_store_legacy_hash(db *d, const char *update, const char *key, const char *code)
{
    char hash[SECRET_AUTHINFO_HASH_LEN];
    test_legacy_hash(code, hash);
    db_stmt *s = db_query(d, update);
    db_bind_text(s, 1, hash);
    db_bind_text(s, 2, key);
    assert_int_equal(db_run(s), REG_OK);
    assert_int_equal(db_changes(d), 1);
}

void test_assert_hash_form(db *d, const char *select, const char *key, const char *code,
                           bool keyed)
{
    char hash[SECRET_AUTHINFO_HASH_LEN] = "", id[SECRET_KEY_ID_LEN];
    db_stmt *s = db_query(d, select);
    db_bind_text(s, 1, key);
    if (db_next(s) && db_col_text(s, 0))
        snprintf(hash, sizeof hash, "%s", db_col_text(s, 0));
    assert_int_equal(db_done(s), REG_OK);
    if (!secret_authinfo_verify(hash, code, NULL))
        fail_msg("%s [%s]: \"%s\" does not verify", select, key, hash);
    secret_authinfo_key_of(hash, id);
    if (strcmp(id, keyed ? secret_pepper_current() : "s256"))
        fail_msg("%s [%s]: \"%s\" is not of key %s", select, key, hash,
                 keyed ? secret_pepper_current() : "s256");
    assert_int_equal(test_offline_guess_matches(hash, code), !keyed);
}

const char *test_tmpdir(void)
{
    const char *dir = getenv("REG_TEST_TMP");
    if (!dir || !*dir)
        dir = "/tmp";
    mkdir(dir, 0777);
    return dir;
}

void test_log_begin(struct test_log *l)
{
    snprintf(l->path, sizeof l->path, "%s/test-log-%d", test_tmpdir(), (int)getpid());
    l->fd = open(l->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    assert_true(l->fd >= 0);
    l->level = (int)log_get_level();
    log_set_level(LOG_INFO);
    log_set_fd(l->fd);
}

void test_log_end(struct test_log *l, char *out, size_t n)
{
    log_set_fd(2);
    log_set_level((log_level)l->level);
    ssize_t len = pread(l->fd, out, n - 1, 0);
    close(l->fd);
    unlink(l->path);
    out[len > 0 ? len : 0] = '\0';
}

char *test_pg_base_url(void)
{
    const char *file = getenv("REG_TEST_PG_URL_FILE");
    FILE *f = file ? fopen(file, "r") : NULL;
    if (!f)
        fail_msg("no PostgreSQL test server: %s missing (run the pg.start test fixture)",
                 file ? file : "REG_TEST_PG_URL_FILE");
    char buf[512] = "";
    if (!fgets(buf, sizeof buf, f))
        buf[0] = '\0';
    fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    return strdup(buf);
}

static void quiet_notices(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* `template`: NULL for an empty database, else the one to copy */
static char *pg_fresh_database(const char *name, const char *template)
{
    char *base = test_pg_base_url();
    char admin[600], dbname[128], sql[300];
    snprintf(admin, sizeof admin, "%s/postgres", base);
    snprintf(dbname, sizeof dbname, "t_%s_%d", name, (int)getpid());
    PGconn *c = PQconnectdb(admin);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("cannot connect to %s: %s", admin, PQerrorMessage(c));
    PQsetNoticeProcessor(c, quiet_notices, NULL); /* "does not exist, skipping" */
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);
    PQclear(PQexec(c, sql));
    snprintf(sql, sizeof sql, "CREATE DATABASE %s%s%s", dbname, template ? " TEMPLATE " : "",
             template ? template : "");
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("cannot create database %s: %s", dbname, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    char *url = malloc(700);
    snprintf(url, 700, "%s/%s", base, dbname);
    free(base);
    return url;
}

static char *db_url(db_kind kind, const char *name, const char *pg_template)
{
    if (kind == DB_PGSQL)
        return pg_fresh_database(name, pg_template);
    char *url = malloc(1024);
    snprintf(url, 1024, "sqlite:%s/%s-%d.db", test_tmpdir(), name, (int)getpid());
    const char *path = url + 7;
    char extra[1100];
    unlink(path);
    snprintf(extra, sizeof extra, "%s-wal", path);
    unlink(extra);
    snprintf(extra, sizeof extra, "%s-shm", path);
    unlink(extra);
    return url;
}

char *test_db_url(db_kind kind, const char *name)
{
    return db_url(kind, name, NULL);
}

db *test_db_open_url(const char *url)
{
    char err[512];
    db *d = NULL;
    if (db_open(url, &d, err, sizeof err))
        fail_msg("open %s: %s", url, err);
    int applied = 0;
    if (db_migrate(d, &applied))
        fail_msg("migrate: %s", db_errmsg(d));
    return d;
}

db *test_db_open(db_kind kind, const char *name)
{
    char *url = test_db_url(kind, name);
    db *d = test_db_open_url(url);
    free(url);
    return d;
}

static char *backend_url(void **state, const char *base, const char *pg_template)
{
    const struct test_backend *b = *state;
    char name[64];
    snprintf(name, sizeof name, "%s_%s", base, b->label);
    return db_url(b->kind, name, pg_template);
}

char *test_backend_url(void **state, const char *base)
{
    return backend_url(state, base, NULL);
}

char *test_backend_url_migrated(void **state, const char *base)
{
    return backend_url(state, base, "registry_template"); /* tests/pg-server.sh makes it */
}

db *test_backend_db(void **state, const char *base)
{
    char *url = test_backend_url(state, base);
    db *d = test_db_open_url(url);
    free(url);
    return d;
}
