/* A lost PostgreSQL connection (store/db.h, issue 13 item 1): replaced
 * with backoff, its statements prepared again, never inside a transaction
 * or under a lease; the outcomes of a commit told apart; one log line per
 * change. The connection goes through tcpproxy.c, which cuts it the way a
 * restarting server or a network does. SQLite has no connection to lose:
 * the same calls change nothing there. */
#include "testutil.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/metric_table.h"
#include "tcpproxy.h"

static struct {
    struct tcpproxy *proxy;
    char *url; /* the test database */
    char *via; /* the same through the proxy */
    db *d;     /* through the proxy */
    PGconn *other; /* straight to the server, to look behind d's back */
} fx;

static db *open_url(const char *url)
{
    db *d = NULL;
    char err[512];
    if (db_open(url, &d, err, sizeof err))
        fail_msg("open %s: %s", url, err);
    return d;
}

/* One value of a query on the other connection ("" for none). */
static const char *other_value(const char *sql)
{
    static char out[64];
    PGresult *r = PQexec(fx.other, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(fx.other));
    snprintf(out, sizeof out, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    return out;
}

static int64_t rows_with(int64_t n)
{
    char sql[80];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM t WHERE n = %lld", (long long)n);
    return atoll(other_value(sql));
}

static reg_err insert(db *d, int64_t n)
{
    db_stmt *s = db_query(d, "INSERT INTO t (n) VALUES (?)");
    db_bind_int(s, 1, n);
    return db_run(s);
}

static reg_err count_rows(db *d, int64_t *out)
{
    db_stmt *s = db_query(d, "SELECT count(*) FROM t");
    *out = db_next(s) ? db_col_int(s, 0) : -1;
    return db_done(s);
}

/* d in a transaction that has inserted n. */
static db *transaction_with(int64_t n)
{
    assert_int_equal(db_begin(fx.d), REG_OK);
    assert_int_equal(insert(fx.d, n), REG_OK);
    return fx.d;
}

static int group_setup(void **state)
{
    (void)state;
    fx.url = test_db_url(DB_PGSQL, "failover");
    /* postgresql://USER@HOST:PORT/DB */
    const char *at = strchr(fx.url, '@'), *colon = at ? strchr(at, ':') : NULL;
    const char *slash = colon ? strchr(colon, '/') : NULL;
    if (!slash)
        fail_msg("cannot read host and port from %s", fx.url);
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)(colon - at - 1), at + 1);
    fx.proxy = tcpproxy_start(host, atoi(colon + 1));
    if (!fx.proxy)
        fail_msg("cannot start the TCP proxy");
    fx.via = malloc(strlen(fx.url) + 16);
    sprintf(fx.via, "%.*s:%d%s", (int)(colon - fx.url), fx.url, tcpproxy_port(fx.proxy), slash);
    fx.other = PQconnectdb(fx.url);
    if (PQstatus(fx.other) != CONNECTION_OK)
        fail_msg("cannot connect to %s: %s", fx.url, PQerrorMessage(fx.other));
    PQclear(PQexec(fx.other, "CREATE TABLE t (n BIGINT)"));
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    PQfinish(fx.other);
    tcpproxy_stop(fx.proxy);
    free(fx.url);
    free(fx.via);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    fx.d = open_url(fx.via);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(fx.d);
    fx.d = NULL;
    tcpproxy_refuse(fx.proxy, false);
    tcpproxy_cut_at(fx.proxy, "", false);
    return 0;
}

static void assert_one_line_mentioning(const char *msg, const char *word)
{
    if (strchr(msg, '\n') || !strstr(msg, word))
        fail_msg("\"%s\" is not one line mentioning \"%s\"", msg, word);
}

/* Both backends: with nothing broken the calls change nothing. */
static void nothing_lost_nothing_changes(void **state)
{
    db *d = test_backend_db(state, "nolost");
    uint64_t serial = db_connection_serial(d);
    assert_int_equal(db_exec(d, "CREATE TABLE t (n BIGINT)"), REG_OK);
    assert_int_equal(db_check(d), REG_OK);
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(insert(d, 1), REG_OK);
    assert_int_equal(db_commit(d), REG_OK);
    assert_int_equal(db_ping(d), REG_OK);
    int64_t n;
    assert_int_equal(count_rows(d, &n), REG_OK);
    assert_int_equal(n, 1);
    assert_false(db_lost(d));
    assert_int_equal(db_connection_serial(d), serial);
    db_close(d);
}

/* The server ends the session (as a restart does: 57P01); the next call
 * fails, the one after runs on a new connection, its cached statements
 * prepared again. */
/* registryd_db_errors_total of a kind, registryd_db_reconnects_total */
static int64_t db_errors(const char *kind) { return metric_value(METRIC(M_DB_ERRORS), &kind); }
static int64_t reconnects(void) { return metric_value(METRIC(M_DB_RECONNECTS), NULL); }

static void idle_loss_is_replaced_and_statements_prepared_again(void **state)
{
    (void)state;
    db *d = fx.d;
    int64_t lost = db_errors("connection"), replaced = reconnects();
    assert_int_equal(insert(d, 10), REG_OK);
    int64_t n, before;
    assert_int_equal(count_rows(d, &before), REG_OK);
    uint64_t serial = db_connection_serial(d);
    db_stmt *s = db_query(d, "SELECT pg_backend_pid()");
    assert_true(db_next(s));
    long long pid = (long long)db_col_int(s, 0);
    assert_int_equal(db_done(s), REG_OK);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", pid);
    other_value(sql);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_stat_activity WHERE pid = %lld", pid);
    while (strcmp(other_value(sql), "0"))
        usleep(10000);

    assert_int_equal(count_rows(d, &n), REG_ERR_DB_DOWN);
    assert_true(db_lost(d));
    assert_one_line_mentioning(db_errmsg(d), "connection was lost");
    assert_int_equal(db_errors("connection"), lost + 1);
    assert_int_equal(reconnects(), replaced);
    assert_int_equal(count_rows(d, &n), REG_OK);
    assert_int_equal(n, before);
    assert_false(db_lost(d));
    assert_int_equal(db_connection_serial(d), serial + 1);
    assert_int_equal(reconnects(), replaced + 1);
    assert_int_equal(db_errors("connection"), lost + 1);
    assert_int_equal(insert(d, 10), REG_OK);
    assert_int_equal(rows_with(10), 2);
}

/* Cut inside a transaction: no reconnect until it is ended, COMMIT is
 * never sent and nothing was saved. */
static void transaction_lost_before_commit_saves_nothing(void **state)
{
    (void)state;
    db *d = transaction_with(20);
    tcpproxy_cut(fx.proxy);
    int accepted = tcpproxy_accepted(fx.proxy);
    assert_int_equal(insert(d, 21), REG_ERR_DB_DOWN);
    assert_int_equal(insert(d, 21), REG_ERR_DB_DOWN);
    assert_int_equal(db_savepoint(d, "x"), REG_ERR_DB_DOWN);
    assert_int_equal(tcpproxy_accepted(fx.proxy), accepted);
    assert_int_equal(db_commit(d), REG_ERR_DB_DOWN);
    assert_one_line_mentioning(db_errmsg(d), "not saved");
    assert_false(db_in_transaction(d));
    assert_int_equal(tcpproxy_accepted(fx.proxy), accepted);
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(tcpproxy_accepted(fx.proxy), accepted + 1);
    assert_int_equal(db_rollback(d), REG_OK);
    assert_int_equal(rows_with(20) + rows_with(21), 0);
}

/* The server got COMMIT, the answer was lost: it committed, and db_commit
 * says so. */
static void commit_cut_after_the_server_got_it_is_committed(void **state)
{
    (void)state;
    db *d = transaction_with(30);
    tcpproxy_cut_at(fx.proxy, "COMMIT", true);
    assert_int_equal(db_commit(d), REG_OK);
    assert_int_equal(rows_with(30), 1);
    assert_false(db_in_transaction(d));
    int64_t n;
    assert_int_equal(count_rows(d, &n), REG_OK);
}

/* COMMIT never reached the server: the transaction was aborted and
 * db_commit says nothing was saved. */
static void commit_cut_before_the_server_got_it_is_not_saved(void **state)
{
    (void)state;
    db *d = transaction_with(40);
    tcpproxy_cut_at(fx.proxy, "COMMIT", false);
    int64_t lost = db_errors("connection");
    assert_int_equal(db_commit(d), REG_ERR_DB_DOWN);
    /* one failed COMMIT, counted once however it is told */
    assert_int_equal(db_errors("connection"), lost + 1);
    assert_one_line_mentioning(db_errmsg(d), "not saved");
    assert_int_equal(rows_with(40), 0);
}

/* The server stays away: after DB_RESOLVE_SECONDS the outcome is unknown. */
static void commit_unresolved_while_the_server_stays_away_is_unknown(void **state)
{
    (void)state;
    db *d = transaction_with(50);
    tcpproxy_cut_at(fx.proxy, "COMMIT", false);
    tcpproxy_refuse(fx.proxy, true);
    int64_t t0 = clock_mono_us(), unknown = db_errors("commit_unknown");
    assert_int_equal(db_commit(d), REG_ERR_DB_UNKNOWN);
    assert_int_equal(db_errors("commit_unknown"), unknown + 1);
    assert_true(clock_mono_us() - t0 >= (int64_t)DB_RESOLVE_SECONDS * 1000000);
    assert_one_line_mentioning(db_errmsg(d), "whether it was saved");
    tcpproxy_refuse(fx.proxy, false);
    int64_t n;
    assert_int_equal(count_rows(d, &n), REG_OK);
}

/* While the server refuses, attempts are spaced out; it is used within
 * about a second of its return. */
static void reconnect_backs_off_while_the_server_is_away(void **state)
{
    (void)state;
    db *d = fx.d;
    int64_t n;
    tcpproxy_refuse(fx.proxy, true);
    tcpproxy_cut(fx.proxy);
    int accepted = tcpproxy_accepted(fx.proxy);
    assert_int_equal(count_rows(d, &n), REG_ERR_DB_DOWN); /* finds out */
    assert_int_equal(count_rows(d, &n), REG_ERR_DB_DOWN); /* tries at once */
    assert_int_equal(tcpproxy_accepted(fx.proxy), accepted + 1);
    assert_int_equal(count_rows(d, &n), REG_ERR_DB_DOWN); /* waits */
    assert_one_line_mentioning(db_errmsg(d), "waiting");
    assert_int_equal(tcpproxy_accepted(fx.proxy), accepted + 1);
    assert_int_equal(db_check(d), REG_ERR_DB_DOWN);
    assert_int_equal(db_ping(d), REG_ERR_DB_DOWN);
    assert_int_equal(tcpproxy_accepted(fx.proxy), accepted + 1);
    usleep(120000);
    assert_int_equal(count_rows(d, &n), REG_ERR_DB_DOWN); /* the next attempt */
    assert_int_equal(tcpproxy_accepted(fx.proxy), accepted + 2);
    tcpproxy_refuse(fx.proxy, false);
    int64_t back = clock_mono_us();
    while (db_check(d) && clock_mono_us() - back < 5000000)
        usleep(10000);
    assert_int_equal(count_rows(d, &n), REG_OK);
    assert_true(clock_mono_us() - back < 1500000);
}

/* The lease went with the connection: the connection is not replaced
 * while the lease is held (the work under it must stop), and another
 * instance may take the lease at once. */
static void a_lease_keeps_its_lost_connection_until_released(void **state)
{
    (void)state;
    db *d = fx.d;
    db *elsewhere = open_url(fx.url);
    db_lease *mine = NULL, *theirs = NULL;
    assert_int_equal(db_lease_try(d, "job-x", &mine), REG_OK);
    assert_int_equal(db_lease_try(elsewhere, "job-x", &theirs), REG_ERR_LOCKED);
    tcpproxy_cut(fx.proxy);
    int accepted = tcpproxy_accepted(fx.proxy);
    int64_t n;
    assert_int_equal(count_rows(d, &n), REG_ERR_DB_DOWN);
    assert_int_equal(count_rows(d, &n), REG_ERR_DB_DOWN);
    assert_one_line_mentioning(db_errmsg(d), "lease");
    assert_int_equal(db_check(d), REG_ERR_DB_DOWN);
    assert_int_equal(tcpproxy_accepted(fx.proxy), accepted);
    assert_int_equal(db_lease_try(elsewhere, "job-x", &theirs), REG_OK);
    db_lease_release(mine);
    assert_int_equal(count_rows(d, &n), REG_OK);
    assert_int_equal(db_lease_try(d, "job-x", &mine), REG_ERR_LOCKED);
    db_lease_release(theirs);
    assert_int_equal(db_lease_try(d, "job-x", &mine), REG_OK);
    db_lease_release(mine);
    db_close(elsewhere);
}

/* A scheduler's connection broke while it waited for the next tick: its
 * next lease is taken on a new connection, not refused. */
static void a_lease_asked_on_a_connection_broken_while_idle_is_taken(void **state)
{
    (void)state;
    db_lease *l = NULL;
    tcpproxy_cut(fx.proxy);
    assert_int_equal(db_lease_try(fx.d, "job-y", &l), REG_OK);
    assert_false(db_lost(fx.d));
    db_lease_release(l);
}

/* Two connections lose the server, fail and retry many times: one line
 * when it went, one when it came back. */
static void one_log_line_per_change(void **state)
{
    (void)state;
    db *d2 = open_url(fx.via); /* made (and any earlier outage closed) before the log */
    struct test_log tl;
    test_log_begin(&tl);
    int64_t n;
    tcpproxy_refuse(fx.proxy, true);
    tcpproxy_cut(fx.proxy);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(count_rows(fx.d, &n), REG_ERR_DB_DOWN);
        assert_int_equal(count_rows(d2, &n), REG_ERR_DB_DOWN);
        usleep(30000);
    }
    tcpproxy_refuse(fx.proxy, false);
    for (int i = 0; i < 300 && (count_rows(fx.d, &n) || count_rows(d2, &n)); i++)
        usleep(10000);
    assert_int_equal(count_rows(fx.d, &n), REG_OK);
    assert_int_equal(count_rows(d2, &n), REG_OK);
    char log[8192];
    test_log_end(&tl, log, sizeof log);
    int down = 0, back = 0;
    for (const char *p = log; (p = strstr(p, "event=database-down")); p++)
        down++;
    for (const char *p = log; (p = strstr(p, "event=database-back")); p++)
        back++;
    if (down != 1 || back != 1)
        fail_msg("want one database-down and one database-back line, got:\n%s", log);
    db_close(d2);
}

#define PG_TEST(fn) cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &test_pgsql)

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(nothing_lost_nothing_changes),
        PG_TEST(idle_loss_is_replaced_and_statements_prepared_again),
        PG_TEST(transaction_lost_before_commit_saves_nothing),
        PG_TEST(commit_cut_after_the_server_got_it_is_committed),
        PG_TEST(commit_cut_before_the_server_got_it_is_not_saved),
        PG_TEST(commit_unresolved_while_the_server_stays_away_is_unknown),
        PG_TEST(reconnect_backs_off_while_the_server_is_away),
        PG_TEST(a_lease_keeps_its_lost_connection_until_released),
        PG_TEST(a_lease_asked_on_a_connection_broken_while_idle_is_taken),
        PG_TEST(one_log_line_per_change),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
