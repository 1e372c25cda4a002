/* The EPP log's writer thread (src/daemon/epp_audit.c, issue 18): the rows
 * of read-only batches are copied when queued, written in the order they
 * were queued, all of them once a flush returns or the writer stops, and
 * a row the database refuses costs only itself on SQLite. */
#include "regfixture.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "contrib/metric_table.h"
#include "daemon/epp_internal.h"

struct audit_fx {
    struct fixture f;
    struct reg_config cfg;
    pthread_mutex_t write_lock;
    struct epp_audit *q;
};

static void start(void **state, struct audit_fx *x, const char *base)
{
    setup(state, &x->f, base);
    memset(&x->cfg, 0, sizeof x->cfg);
    x->cfg.database_url = x->f.url;
    pthread_mutex_init(&x->write_lock, NULL);
    char err[256] = "";
    assert_int_equal(epp_audit_start(&x->cfg, &x->write_lock, &x->q, err, sizeof err), REG_OK);
}

static void finish(struct audit_fx *x)
{
    epp_audit_stop(x->q);
    pthread_mutex_destroy(&x->write_lock);
    teardown(&x->f);
}

/* Queues rows first..first+n-1, each built in the same buffers, which are
 * overwritten before the writer can have read them: the queue must copy.
 * Returns the last row's ticket. */
static uint64_t queue_rows(struct audit_fx *x, int first, int n)
{
    uint64_t ticket = 0;
    for (int i = first; i < first + n; i++) {
        char svtrid[32], request[64], response[64];
        snprintf(svtrid, sizeof svtrid, "AU-%04d", i);
        snprintf(request, sizeof request, "<check>%d</check>", i);
        snprintf(response, sizeof response, "<ok>%d</ok>", i);
        struct audit_entry row = {.at = T0 + i, .registrar_id = x->f.a, .clid = "REGA",
                                  .session_id = "S-1", .peer = "127.0.0.1", .svtrid = svtrid,
                                  .cltrid = "CL", .command = "domain:check", .result_code = 1000,
                                  .duration_us = 7, .request = request, .response = response};
        uint64_t t = epp_audit_queue(x->q, &row, 1);
        assert_true(t > ticket); /* later rows, later tickets */
        ticket = t;
        memset(svtrid, 'x', sizeof svtrid - 1);
        memset(request, 'y', sizeof request - 1);
    }
    return ticket;
}

/* The log's svtrids in the order written, and the request of each checked. */
static int logged(struct audit_fx *x, char *out, size_t n)
{
    db_stmt *s = db_query(x->f.d, "SELECT svtrid, request, response FROM epp_log "
                                  "WHERE svtrid LIKE 'AU-%' ORDER BY id");
    int count = 0;
    size_t o = 0;
    out[0] = '\0';
    while (db_next(s)) {
        const char *sv = db_col_text(s, 0);
        int i = atoi(sv + 3);
        char want[64];
        snprintf(want, sizeof want, "<check>%d</check>", i);
        assert_string_equal(db_col_text(s, 1), want);
        snprintf(want, sizeof want, "<ok>%d</ok>", i);
        assert_string_equal(db_col_text(s, 2), want);
        if (o + strlen(sv) + 2 < n)
            o += (size_t)snprintf(out + o, n - o, "%s%s", count ? " " : "", sv);
        count++;
    }
    assert_int_equal(db_done(s), REG_OK);
    return count;
}

static void epp_audit_wait_writes_every_row_up_to_its_ticket_in_order(void **state)
{
    struct audit_fx x;
    start(state, &x, "epp_audit_order");
    /* a wait for the first rows has them written, in order (the rows
     * after them may or may not be yet) */
    uint64_t first = queue_rows(&x, 0, 10);
    uint64_t last = queue_rows(&x, 10, 290); /* more than one group */
    epp_audit_wait(x.q, first);
    char got[8192];
    assert_in_range(logged(&x, got, sizeof got), 10, 300);
    assert_memory_equal(got, "AU-0000 AU-0001 AU-0002 AU-0003 AU-0004 AU-0005 AU-0006 AU-0007 "
                             "AU-0008 AU-0009", 79);
    epp_audit_wait(x.q, last);
    assert_int_equal(logged(&x, got, sizeof got), 300);
    char want[8192];
    size_t o = 0;
    for (int i = 0; i < 300; i++)
        o += (size_t)snprintf(want + o, sizeof want - o, "%sAU-%04d", i ? " " : "", i);
    assert_string_equal(got, want);
    /* a wait for rows written, or for none (ticket 0), returns at once */
    epp_audit_wait(x.q, first);
    epp_audit_wait(x.q, 0);
    finish(&x);
}

static void epp_audit_stop_writes_what_is_queued(void **state)
{
    struct audit_fx x;
    start(state, &x, "epp_audit_stop");
    queue_rows(&x, 0, 10);
    epp_audit_stop(x.q);
    x.q = NULL;
    char got[512];
    assert_int_equal(logged(&x, got, sizeof got), 10);
    assert_string_equal(got, "AU-0000 AU-0001 AU-0002 AU-0003 AU-0004 AU-0005 AU-0006 AU-0007 "
                             "AU-0008 AU-0009");
    finish(&x);
}

/* A row the database refuses (here its svTRID is taken): on SQLite the
 * group's other rows are written; on PostgreSQL the error aborted the
 * group's transaction, and the rows are lost, each logged. Either way the
 * writer goes on with the next group. */
static void epp_audit_refused_row(void **state)
{
    struct audit_fx x;
    start(state, &x, "epp_audit_refused");
    epp_audit_wait(x.q, queue_rows(&x, 1, 1));
    epp_audit_wait(x.q, queue_rows(&x, 0, 3)); /* AU-0001 again, between two new ones */
    char got[512];
    if (db_kind_of(x.f.d) == DB_SQLITE) {
        assert_int_equal(logged(&x, got, sizeof got), 3);
        assert_string_equal(got, "AU-0001 AU-0000 AU-0002");
    } else {
        assert_int_equal(logged(&x, got, sizeof got), 1);
    }
    epp_audit_wait(x.q, queue_rows(&x, 5, 1));
    assert_int_equal(logged(&x, got, sizeof got), db_kind_of(x.f.d) == DB_SQLITE ? 4 : 2);
    finish(&x);
}

static const char *one_value(db *d, const char *sql, char *out, size_t n)
{
    db_stmt *s = db_query(d, sql);
    out[0] = '\0';
    if (db_next(s))
        snprintf(out, n, "%s", db_col_text(s, 0));
    assert_int_equal(db_done(s), REG_OK);
    return out;
}

/* PostgreSQL away just after some reads were answered (a restart, a
 * failover): the writer waits for it, rather than losing their rows after
 * three attempts that take no time (the connection's backoff refuses
 * them at once). The outage: the database takes no connection and the
 * writer's is ended. */
static void epp_audit_waits_out_a_database_outage(void **state)
{
    struct audit_fx x;
    start(state, &x, "epp_audit_down");
    db *d = x.f.d;
    char name[128], sql[512], v[32], err[256];
    one_value(d, "SELECT current_database()", name, sizeof name);
    /* the database's connections are refused from another one's */
    char url[512];
    snprintf(url, sizeof url, "%s", x.f.url);
    char *slash = strrchr(url, '/');
    assert_non_null(slash);
    snprintf(slash + 1, sizeof url - (size_t)(slash + 1 - url), "postgres");
    db *admin = NULL;
    assert_int_equal(db_open(url, &admin, err, sizeof err), REG_OK);
    snprintf(sql, sizeof sql, "ALTER DATABASE \"%s\" WITH ALLOW_CONNECTIONS false", name);
    assert_int_equal(db_exec(admin, sql), REG_OK);
    const char *others = "FROM pg_stat_activity WHERE datname = current_database() AND "
                         "pid <> pg_backend_pid()";
    snprintf(sql, sizeof sql, "SELECT count(pg_terminate_backend(pid)) %s", others);
    one_value(d, sql, v, sizeof v);
    snprintf(sql, sizeof sql, "SELECT count(*) %s", others);
    while (strcmp(one_value(d, sql, v, sizeof v), "0"))
        usleep(10000);
    const char *kind = "connection";
    int64_t errors = metric_value(METRIC(M_DB_ERRORS), &kind);
    uint64_t ticket = queue_rows(&x, 0, 1);
    /* its three attempts, and two more: it is waiting */
    for (int i = 0; i < 1000 && metric_value(METRIC(M_DB_ERRORS), &kind) < errors + 5; i++)
        usleep(10000);
    snprintf(sql, sizeof sql, "ALTER DATABASE \"%s\" WITH ALLOW_CONNECTIONS true", name);
    assert_int_equal(db_exec(admin, sql), REG_OK);
    db_close(admin);
    epp_audit_wait(x.q, ticket);
    char got[64];
    assert_int_equal(logged(&x, got, sizeof got), 1);
    assert_string_equal(got, "AU-0000");
    finish(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(epp_audit_wait_writes_every_row_up_to_its_ticket_in_order),
        BOTH_BACKENDS(epp_audit_stop_writes_what_is_queued),
        BOTH_BACKENDS(epp_audit_refused_row),
        {.name = "epp_audit_waits_out_a_database_outage/pgsql",
         .test_func = epp_audit_waits_out_a_database_outage, .initial_state = &test_pgsql},
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
