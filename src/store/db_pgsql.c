/* PostgreSQL driver (libpq): named prepared statements, text parameters
 * and results, SQLSTATE mapped to our error enum. A lost connection is
 * replaced with backoff, statements are prepared again on the new one, and
 * a COMMIT cut off in flight is resolved by its transaction id (db.h). */
#include "db_driver.h"

#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../contrib/clock.h"
#include "../contrib/log.h"
#include "../contrib/metric_table.h"

/* The protocol's limit (a 16-bit count); each statement holds room for
 * its own number only (a multi-row INSERT of the EPP log has 384) */
#define PG_MAX_PARAMS 65535
/* Reconnecting: the first attempt at once, then no attempt before 50 ms,
 * doubling up to 1 s, so a server that is back is used within a second. */
#define BACKOFF_FIRST_US 50000
#define BACKOFF_MAX_US 1000000
/* Resolving a COMMIT cut off in flight: how often to look. */
#define RESOLVE_POLL_US 200000

struct pg_impl {
    PGconn *conn;
    char *url;
    unsigned next_stmt_id;
    int64_t changes;
    int leases;          /* held on this connection */
    int64_t retry_at_us; /* no reconnect attempt before this (clock_mono_us) */
    int64_t backoff_us;
    uint64_t outage;     /* the process's outage count when this connection was made */
    char xid[24];        /* txid_current() of the open write transaction ("" none) */
    int pending;         /* deferred writes sent in pipeline mode, answers not read */
    bool begin_pending;  /* pg_begin_reads: its BEGIN not sent yet */
    bool commit_unread;  /* a read snapshot's COMMIT sent, its answer not read */
};

/* db_begin_reads: PostgreSQL refuses every write in it */
#define READS_BEGIN "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

struct pg_stmt {
    char name[24];
    char *sql;       /* the native text, to prepare again on a new connection */
    uint64_t serial; /* the connection it was prepared on */
    PGresult *res;
    int row, rows;
    int nparams;
    char *params[]; /* nparams of them */
};

/* One log line per change of the process's view of the database (db.h).
 * `outages` counts the outages this process has seen: a connection made
 * during outage N that breaks opens outage N+1 and logs it; one made
 * before breaks within an outage already logged (every connection finds
 * out on its next use) and says nothing. The first connection made again
 * closes the outage. */
static pthread_mutex_t outage_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t outages;
static bool outage_open;
static int64_t outage_since_us;

static struct pg_impl *impl(db *d) { return d->impl; }
static PGconn *conn_of(db *d) { return impl(d)->conn; }

static reg_err map_sqlstate(const char *state)
{
    if (!state)
        return REG_ERR_DB;
    if (!strncmp(state, "23", 2))
        return REG_ERR_DB_CONSTRAINT;
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
        return REG_ERR_DB_BUSY;
    if (!strncmp(state, "08", 2))
        return REG_ERR_IO;
    return REG_ERR_DB;
}

/* Class 08 is the connection itself; 57P01-57P05 end the session (the
 * server shutting down or restarting, a timeout). */
static bool connection_gone(PGconn *conn, const char *state)
{
    return PQstatus(conn) == CONNECTION_BAD ||
           (state && (!strncmp(state, "08", 2) || !strncmp(state, "57P0", 4)));
}

static void log_down(db *d, const char *why)
{
    pthread_mutex_lock(&outage_lock);
    if (impl(d)->outage == outages) {
        outages++;
        outage_open = true;
        outage_since_us = clock_mono_us();
        /* libpq's messages run over lines, indented */
        char line[400], quoted[600];
        size_t n = 0;
        for (const char *p = why; *p && n + 1 < sizeof line; p++)
            if (!strchr("\n\t", *p))
                line[n++] = *p;
            else if (n && line[n - 1] != ' ')
                line[n++] = ' ';
        while (n && line[n - 1] == ' ')
            n--;
        line[n] = '\0';
        reg_log(LOG_ERROR, "store", NULL, "database-down", "error=%s",
                log_quote(line, quoted, sizeof quoted));
    }
    pthread_mutex_unlock(&outage_lock);
}

/* A connection was made: it belongs to the current outage count. */
static void log_back(db *d)
{
    pthread_mutex_lock(&outage_lock);
    impl(d)->outage = outages;
    if (outage_open) {
        outage_open = false;
        reg_log(LOG_INFO, "store", NULL, "database-back", "down_ms=%lld",
                (long long)((clock_mono_us() - outage_since_us) / 1000));
    }
    pthread_mutex_unlock(&outage_lock);
}

/* The connection broke: every statement fails until ready() replaces it. */
static reg_err lost(db *d, const char *why)
{
    struct pg_impl *im = impl(d);
    if (!d->lost) {
        d->lost = true;
        im->retry_at_us = 0; /* the first attempt at once: the server may be back already */
        im->backoff_us = 0;
        log_down(d, why);
    }
    char msg[512];
    snprintf(msg, sizeof msg, "the database connection was lost: %s", why);
    return db_set_error(d, REG_ERR_DB_DOWN, msg);
}

static reg_err fail_res(db *d, PGresult *res)
{
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    if (!msg || !*msg)
        msg = PQerrorMessage(conn_of(d));
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (connection_gone(conn_of(d), state))
        return lost(d, msg);
    if (d->reads) {
        /* db_begin_reads: a write refused (read_only_sql_transaction), or
         * any error, ends the transaction; the caller may run the work
         * again in one that may write. A refused write is expected there,
         * no database error; any other is one (RDAP's and WHOIS's lookups
         * run nothing again), counted as such */
        d->write_refused = true;
        d->deferred_failed = false; /* as db_set_error: pipe_end says when */
        if (state && !strcmp(state, "25006"))
            return db_restate_error(d, map_sqlstate(state), msg);
    }
    return db_set_error(d, map_sqlstate(state), msg);
}

static bool res_ok(PGresult *res)
{
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

static void quiet_notices(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* Defaults the URL may override (its settings are processed after them):
 * give up a connect after 5 s, and notice a peer that vanished without a
 * word (a host gone, a link cut) within about 25 s at either end: the
 * client's keepalives, and the server's for this session, which ends it
 * and so frees the job leases of an instance that is gone (DESIGN §1).
 * PGCONNECT_TIMEOUT and PGOPTIONS, when set, win over these. The
 * application name says which process holds a session (pg_stat_activity). */
static PGconn *pg_connect(const char *url)
{
    char app[64];
    snprintf(app, sizeof app, "%s[%d]", program_invocation_short_name, (int)getpid());
    const char *const keys[] = {"connect_timeout", "options", "keepalives_idle",
                                "keepalives_interval", "keepalives_count",
                                "fallback_application_name", "dbname", NULL};
    const char *const values[] = {
        getenv("PGCONNECT_TIMEOUT") ? NULL : "5",
        getenv("PGOPTIONS") ? NULL
                            : "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 "
                              "-c tcp_keepalives_count=3",
        "10", "5", "3", app, url, NULL};
    return PQconnectdbParams(keys, values, 1);
}

static bool session_setup(PGconn *conn)
{
    PQsetNoticeProcessor(conn, quiet_notices, NULL);
    PGresult *res = PQexec(conn, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
    bool ok = res_ok(res);
    PQclear(res);
    return ok;
}

static reg_err pg_open(db *d, const char *url, char *err, size_t errlen)
{
    struct pg_impl *im = calloc(1, sizeof *im);
    if (!im || !(im->url = strdup(url))) {
        free(im);
        return REG_ERR_NOMEM;
    }
    im->conn = pg_connect(url);
    if (PQstatus(im->conn) != CONNECTION_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(im->conn));
        for (char *p = msg; *p; p++)
            if (*p == '\n')
                *p = p[1] ? ' ' : '\0';
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", msg);
        PQfinish(im->conn);
        free(im->url);
        free(im);
        return REG_ERR_IO;
    }
    d->impl = im;
    session_setup(im->conn);
    d->serial = 1;
    log_back(d);
    return REG_OK;
}

static void pg_close(db *d)
{
    struct pg_impl *im = d->impl;
    if (!im)
        return;
    PQfinish(im->conn);
    free(im->url);
    free(im);
}

/* PQreset: a new connection with the same parameters, unless the backoff
 * says not yet. */
static reg_err reconnect(db *d)
{
    struct pg_impl *im = impl(d);
    if (clock_mono_us() < im->retry_at_us)
        return db_set_error(d, REG_ERR_DB_DOWN,
                            "the database is unavailable (waiting to connect again)");
    im->pending = 0; /* PQreset leaves pipeline mode */
    im->begin_pending = im->commit_unread = false;
    PQreset(im->conn);
    if (PQstatus(im->conn) != CONNECTION_OK || !session_setup(im->conn)) {
        im->backoff_us = im->backoff_us ? im->backoff_us * 2 : BACKOFF_FIRST_US;
        if (im->backoff_us > BACKOFF_MAX_US)
            im->backoff_us = BACKOFF_MAX_US;
        im->retry_at_us = clock_mono_us() + im->backoff_us;
        char msg[512];
        snprintf(msg, sizeof msg, "the database is unavailable: %s", PQerrorMessage(im->conn));
        return db_set_error(d, REG_ERR_DB_DOWN, msg);
    }
    d->lost = false;
    d->serial++;
    im->backoff_us = im->retry_at_us = 0;
    log_back(d);
    metric_add(METRIC(M_DB_RECONNECTS), NULL, 1);
    return REG_OK;
}

/* The answer to a read snapshot's COMMIT (commit_reads), read before
 * anything else is sent: only a lost connection matters (a transaction
 * that read commits or rolls back the same). */
static void collect_commit(db *d)
{
    struct pg_impl *im = impl(d);
    if (!im->commit_unread)
        return;
    im->commit_unread = false;
    PGconn *c = im->conn;
    PGresult *res = PQgetResult(c);
    bool got = res != NULL, answered = got && PQresultStatus(res) != PGRES_FATAL_ERROR;
    PQclear(res);
    PGresult *more = got ? PQgetResult(c) : NULL; /* NULL: the end of COMMIT's answer */
    if (more) {
        PQclear(more);
        answered = false;
    }
    PGresult *sync = PQgetResult(c);
    bool synced = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    if (!synced || PQexitPipelineMode(c) != 1 || (!answered && PQstatus(c) != CONNECTION_OK))
        lost(d, PQerrorMessage(c));
}

/* Before anything goes to the server: a lost connection is replaced here,
 * never inside a transaction (it died with the connection) nor under a
 * lease (the work it guards must stop, not go on without it). */
static reg_err ready(db *d)
{
    collect_commit(d);
    if (!d->lost)
        return REG_OK;
    if (d->in_tx)
        return db_set_error(d, REG_ERR_DB_DOWN,
                            "the database connection was lost; the transaction is gone");
    if (impl(d)->leases)
        return db_set_error(d, REG_ERR_DB_DOWN,
                            "the database connection was lost while it held a lease");
    return reconnect(d);
}

static reg_err pg_check(db *d) { return ready(d); }

/* ---- pipeline mode (deferred writes, db.h) ----------------------------------------- */

static reg_err prepare_here(db *d, struct pg_stmt *ps);

/* The pipeline cannot be read any more: the connection is treated as
 * lost (a new one, outside the transaction, starts clean). */
static reg_err pipe_broken(db *d)
{
    impl(d)->pending = 0;
    return lost(d, PQerrorMessage(conn_of(d)));
}

/* The statements queued so far (impl->pending deferred writes, then
 * `extra` more whose results go to out[0..extra-1]): a sync, which sends
 * them, one wait, then every answer; pipeline mode ends. The first error
 * is returned (a statement after it is aborted by the server: its result
 * in out is PGRES_PIPELINE_ABORTED). */
static reg_err pipe_end(db *d, int extra, PGresult **out)
{
    struct pg_impl *im = impl(d);
    PGconn *c = im->conn;
    int total = im->pending + extra;
    im->pending = 0;
    for (int i = 0; i < extra; i++)
        out[i] = NULL;
    d->round_trips++;
    if (PQpipelineSync(c) != 1)
        return pipe_broken(d);
    reg_err e = REG_OK;
    for (int i = 0; i < total; i++) {
        PGresult *res = PQgetResult(c);
        if (!res)
            return pipe_broken(d);
        if (!e && !res_ok(res) && PQresultStatus(res) != PGRES_PIPELINE_ABORTED) {
            e = fail_res(d, res);
            d->deferred_failed = i < total - extra; /* db_deferred_failed */
            /* reported by a later statement, whose caller may read a
             * constraint as its own ("the name is taken"): a deferred
             * write's is a plain database error */
            if (d->deferred_failed && e == REG_ERR_DB_CONSTRAINT) {
                char why[sizeof d->errmsg];
                snprintf(why, sizeof why, "%s", d->errmsg);
                e = db_restate_error(d, REG_ERR_DB, why);
            }
        }
        int j = i - (total - extra);
        if (j >= 0)
            out[j] = res;
        else
            PQclear(res);
        PGresult *more = PQgetResult(c); /* NULL: the end of this statement's answer */
        if (more) {
            PQclear(more);
            return pipe_broken(d);
        }
    }
    PGresult *sync = PQgetResult(c);
    bool synced = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    if (!synced || PQexitPipelineMode(c) != 1)
        return pipe_broken(d);
    if (!e && d->lost) /* fail_res found the connection gone */
        e = REG_ERR_DB_DOWN;
    return e;
}

/* The answers to the deferred writes (nothing else queued). */
static reg_err pipe_drain(db *d)
{
    if (!d->impl || !impl(d)->pending)
        return REG_OK;
    if (d->lost) {
        impl(d)->pending = 0;
        return db_set_error(d, REG_ERR_DB_DOWN, "the database connection was lost");
    }
    return pipe_end(d, 0, NULL);
}

static reg_err pipe_enter(db *d)
{
    PGconn *c = conn_of(d);
    if (PQpipelineStatus(c) == PQ_PIPELINE_OFF && PQenterPipelineMode(c) != 1)
        return db_set_error(d, REG_ERR_DB, PQerrorMessage(c));
    return REG_OK;
}

static reg_err send_begin(db *d);

static reg_err pg_run_deferred(db_stmt *s)
{
    db *d = s->owner;
    struct pg_stmt *ps = s->impl;
    reg_err e = ready(d);
    if (!e && ps->serial != d->serial)
        e = prepare_here(d, ps);
    if (!e)
        e = send_begin(d);
    if (!e)
        e = pipe_enter(d);
    if (e)
        return e;
    if (PQsendQueryPrepared(conn_of(d), ps->name, ps->nparams, (const char *const *)ps->params,
                            NULL, NULL, 0) != 1)
        return pipe_broken(d);
    impl(d)->pending++;
    return REG_OK;
}

/* sql queued in the pipeline, its answer read with the next statement's */
static reg_err queue_text(db *d, const char *sql)
{
    reg_err e = pipe_enter(d);
    if (e)
        return e;
    if (PQsendQueryParams(conn_of(d), sql, 0, NULL, NULL, NULL, NULL, 0) != 1)
        return pipe_broken(d);
    impl(d)->pending++;
    return REG_OK;
}

static reg_err pg_exec_deferred(db *d, const char *sql)
{
    reg_err e = ready(d);
    if (!e)
        e = send_begin(d);
    return e ? e : queue_text(d, sql);
}

/* pg_begin_reads' BEGIN, queued to go with the statement about to be
 * sent. Until it is, begin_pending stays set, so no statement of the
 * snapshot can go without it (and run outside READ ONLY). */
static reg_err send_begin(db *d)
{
    if (!impl(d)->begin_pending)
        return REG_OK;
    reg_err e = queue_text(d, READS_BEGIN);
    if (!e)
        impl(d)->begin_pending = false;
    return e;
}

/* db_begin_reads: nothing is sent until the first statement, which takes
 * the BEGIN in its round trip (issue 18: one of a lone domain:check's
 * two); a transaction that ends before any statement costs none. */
static reg_err pg_begin_reads(db *d)
{
    reg_err e = ready(d);
    if (!e)
        e = pipe_drain(d);
    if (!e)
        impl(d)->begin_pending = true;
    return e;
}

/* ps after the deferred writes, in the same round trip; *res its answer
 * (NULL when there is none). */
static reg_err pipe_prepared(db *d, struct pg_stmt *ps, PGresult **res)
{
    *res = NULL;
    if (PQsendQueryPrepared(conn_of(d), ps->name, ps->nparams, (const char *const *)ps->params,
                            NULL, NULL, 0) != 1)
        return pipe_broken(d);
    return pipe_end(d, 1, res);
}

#define PIPE_EXEC_MAX 4

/* Statements of our own (sql[0..n-1], each exactly one: a transaction or
 * savepoint command) after the deferred writes, in the same round trip;
 * *res: the answer to the last. A statement after one that failed is
 * aborted by the server, as in one simple query. */
static reg_err pipe_exec(db *d, const char *const *sql, unsigned n, PGresult **res)
{
    *res = NULL;
    if (n == 0 || n > PIPE_EXEC_MAX)
        return db_set_error(d, REG_ERR_INTERNAL, "too many statements for one pipeline");
    reg_err e = pipe_enter(d);
    if (e)
        return e;
    for (unsigned i = 0; i < n; i++)
        if (PQsendQueryParams(conn_of(d), sql[i], 0, NULL, NULL, NULL, NULL, 0) != 1)
            return pipe_broken(d);
    PGresult *out[PIPE_EXEC_MAX];
    e = pipe_end(d, (int)n, out);
    for (unsigned i = 0; i + 1 < n; i++)
        PQclear(out[i]);
    if (e == REG_ERR_DB_DOWN) {
        PQclear(out[n - 1]);
        return e;
    }
    *res = out[n - 1];
    return e;
}

/* sql[0..n-1]: with `each`, n statements of our own, each exactly one,
 * sent after the deferred writes in one round trip; without, one text
 * (n == 1) that may hold several statements, sent as one simple query
 * once the deferred writes are answered. */
static reg_err run(db *d, const char *const *sql, unsigned n, bool each)
{
    const char *last = sql[n - 1];
    /* the transaction died with the connection: nothing is left to undo */
    if (d->lost && n == 1 && !strcmp(last, "ROLLBACK"))
        return REG_OK;
    reg_err e = ready(d);
    if (e)
        return e;
    if (impl(d)->begin_pending && n == 1 && (!strcmp(last, "COMMIT") || !strcmp(last, "ROLLBACK"))) {
        /* a read-only transaction that ran no statement: nothing to end */
        impl(d)->begin_pending = false;
        impl(d)->changes = 0;
        return REG_OK;
    }
    if ((e = send_begin(d)))
        return e;
    if (impl(d)->pending && !strncmp(sql[0], "ROLLBACK", 8)) {
        /* what was deferred is being undone: its errors do not matter, and
         * one must not abort the rollback in the pipeline */
        if (pipe_drain(d) == REG_ERR_DB_DOWN)
            return strcmp(sql[0], "ROLLBACK") ? REG_ERR_DB_DOWN : REG_OK;
    }
    PGresult *res;
    if (each && (impl(d)->pending || n > 1)) {
        e = pipe_exec(d, sql, n, &res);
        if (!res) /* the connection failed, or nothing was sent */
            return e ? e : db_set_error(d, REG_ERR_DB, "no statement was sent");
    } else {
        if ((e = pipe_drain(d)))
            return e;
        d->round_trips++;
        res = PQexec(conn_of(d), last);
    }
    /* an error of a deferred write comes first; the statement was aborted */
    if (!e)
        e = res_ok(res) ? REG_OK : fail_res(d, res);
    /* PostgreSQL answers COMMIT of an aborted transaction with ROLLBACK */
    if (!e && !strcmp(last, "COMMIT") && !strcmp(PQcmdStatus(res), "ROLLBACK"))
        e = db_set_error(d, REG_ERR_DB,
                         "transaction aborted by an earlier error; nothing was committed");
    if (!e)
        impl(d)->changes = strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return e;
}

static reg_err pg_exec(db *d, const char *sql) { return run(d, &sql, 1, false); }

static reg_err pg_exec_each(db *d, const char *const *sql, unsigned n)
{
    return run(d, sql, n, true);
}

/* BEGIN and the transaction's id in one round trip: the id tells later
 * what became of a COMMIT whose answer was lost (resolve()). */
static reg_err pg_begin(db *d)
{
    struct pg_impl *im = impl(d);
    im->xid[0] = '\0';
    reg_err e = ready(d);
    if (e)
        return e;
    if ((e = pipe_drain(d)))
        return e;
    d->round_trips++;
    PGresult *res = PQexec(im->conn, "BEGIN; SELECT txid_current()");
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        e = fail_res(d, res);
        PQclear(res);
        if (!d->lost && PQtransactionStatus(im->conn) != PQTRANS_IDLE)
            PQclear(PQexec(im->conn, "ROLLBACK"));
        return e;
    }
    snprintf(im->xid, sizeof im->xid, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return REG_OK;
}

/* What the server says of transaction xid, asked on a connection of its
 * own (the main one may hold leases or be refused by its backoff):
 * "committed", "aborted", "in progress", or NULL when it cannot be asked. */
static const char *xid_status(const char *url, const char *xid, char *out, size_t n)
{
    PGconn *conn = pg_connect(url);
    const char *status = NULL;
    if (PQstatus(conn) == CONNECTION_OK) {
        const char *params[] = {xid};
        PGresult *res = PQexecParams(conn, "SELECT txid_status($1::bigint)", 1, NULL, params,
                                     NULL, NULL, 0);
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
            !PQgetisnull(res, 0, 0)) {
            snprintf(out, n, "%s", PQgetvalue(res, 0, 0));
            status = out;
        } else if (state && !strcmp(state, "22023")) {
            /* "in the future": the restarted server never saw the id on
             * disk, so no commit record was written */
            snprintf(out, n, "aborted");
            status = out;
        }
        PQclear(res);
    }
    PQfinish(conn);
    return status;
}

/* The connection was lost while COMMIT was in flight: the transaction may
 * have committed. Ask until the server answers, for DB_RESOLVE_SECONDS
 * (it may be restarting). */
static reg_err resolve(db *d, const char *xid)
{
    int64_t deadline = clock_mono_us() + (int64_t)DB_RESOLVE_SECONDS * 1000000;
    for (;;) {
        char buf[32];
        const char *status = xid_status(impl(d)->url, xid, buf, sizeof buf);
        if (status && !strcmp(status, "committed")) {
            reg_log(LOG_WARN, "store", NULL, "commit-resolved", "xid=%s status=committed", xid);
            return REG_OK;
        }
        if (status && !strcmp(status, "aborted")) /* the failed COMMIT was counted */
            return db_restate_error(d, REG_ERR_DB_DOWN,
                                "the database connection was lost during the commit; the "
                                "transaction was not saved");
        if (clock_mono_us() >= deadline)
            return db_set_error(d, REG_ERR_DB_UNKNOWN,
                                "the database connection was lost during the commit and the "
                                "database did not come back in time to tell whether it was "
                                "saved");
        usleep(RESOLVE_POLL_US);
    }
}

/* A read snapshot's COMMIT is sent, not waited for (issue 18: one of a
 * lone domain:check's two round trips): what it read is known already,
 * and it cannot fail in a way that changes it. Its answer is read before
 * the connection's next use (collect_commit); a connection lost meanwhile
 * shows there. */
static reg_err commit_reads(db *d)
{
    reg_err e = ready(d);
    if (!e)
        e = queue_text(d, "COMMIT");
    if (e)
        return e;
    if (PQpipelineSync(conn_of(d)) != 1)
        return pipe_broken(d);
    impl(d)->pending = 0; /* its answer is collect_commit's */
    impl(d)->commit_unread = true;
    impl(d)->changes = 0;
    return REG_OK;
}

static reg_err pg_commit(db *d)
{
    struct pg_impl *im = impl(d);
    char xid[sizeof im->xid];
    /* db_begin_reads' transaction has no id (nor anything to lose): an
     * id left by an earlier transaction that rolled back is not its own */
    snprintf(xid, sizeof xid, "%s", d->reads ? "" : im->xid);
    im->xid[0] = '\0';
    if (d->reads && !im->begin_pending && !im->pending && !d->lost)
        return commit_reads(d);
    if (d->lost) /* COMMIT was never sent */
        return db_set_error(d, REG_ERR_DB_DOWN,
                            "the database connection was lost before the commit; the "
                            "transaction was not saved");
    const char *commit = "COMMIT";
    reg_err e = pg_exec_each(d, &commit, 1);
    if (e == REG_ERR_DB_DOWN && xid[0])
        return resolve(d, xid);
    return e;
}

static const char *pg_token(const char *name)
{
    if (!strcmp(name, "id"))
        return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    if (!strcmp(name, "for_update"))
        return "FOR UPDATE";
    if (!strcmp(name, "text_ci"))
        return "TEXT";
    return NULL;
}

/* Highest $n outside quoted literals. */
static int count_params(const char *sql)
{
    int max = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'') {
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
                ;
            if (!*p)
                break;
        } else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
            int n = atoi(p + 1);
            if (n > max)
                max = n;
        }
    }
    return max;
}

static struct pg_stmt *st(db_stmt *s) { return s->impl; }

/* A new connection knows no statements: each is prepared on the
 * connection it runs on. */
static reg_err prepare_here(db *d, struct pg_stmt *ps)
{
    reg_err e0 = pipe_drain(d);
    if (e0)
        return e0;
    d->round_trips++;
    PGresult *res = PQprepare(conn_of(d), ps->name, ps->sql, ps->nparams, NULL);
    reg_err e = res_ok(res) ? REG_OK : fail_res(d, res);
    PQclear(res);
    if (!e)
        ps->serial = d->serial;
    return e;
}

static reg_err pg_prepare(db_stmt *s, const char *sql)
{
    db *d = s->owner;
    reg_err e = ready(d);
    if (e)
        return e;
    int nparams = count_params(sql);
    if (nparams > PG_MAX_PARAMS)
        return db_set_error(d, REG_ERR_INTERNAL, "too many statement parameters");
    struct pg_stmt *ps = calloc(1, sizeof *ps + (size_t)nparams * sizeof ps->params[0]);
    if (!ps || !(ps->sql = strdup(sql))) {
        free(ps);
        return REG_ERR_NOMEM;
    }
    ps->nparams = nparams;
    snprintf(ps->name, sizeof ps->name, "s%u", ++impl(d)->next_stmt_id);
    if (!e)
        e = prepare_here(d, ps);
    if (e) {
        free(ps->sql);
        free(ps);
        return e;
    }
    s->impl = ps;
    return REG_OK;
}

static void clear_params(struct pg_stmt *ps)
{
    for (int i = 0; i < ps->nparams; i++) {
        free(ps->params[i]);
        ps->params[i] = NULL;
    }
}

static void pg_finalize(db_stmt *s)
{
    struct pg_stmt *ps = st(s);
    if (!ps)
        return;
    clear_params(ps);
    PQclear(ps->res);
    free(ps->sql);
    free(ps);
}

static reg_err set_param(db_stmt *s, int idx, const char *text)
{
    struct pg_stmt *ps = st(s);
    if (idx < 1 || idx > ps->nparams)
        return db_set_error(s->owner, REG_ERR_INTERNAL, "bind index out of range");
    char *copy = NULL;
    if (text && !(copy = strdup(text)))
        return REG_ERR_NOMEM;
    free(ps->params[idx - 1]);
    ps->params[idx - 1] = copy;
    return REG_OK;
}

static reg_err pg_bind_int(db_stmt *s, int idx, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    return set_param(s, idx, buf);
}

static reg_err pg_bind_text(db_stmt *s, int idx, const char *v) { return set_param(s, idx, v); }
static reg_err pg_bind_null(db_stmt *s, int idx) { return set_param(s, idx, NULL); }

static int pg_step(db_stmt *s)
{
    struct pg_stmt *ps = st(s);
    if (!ps->res) {
        db *d = s->owner;
        if (d->reads && d->write_refused) {
            /* the server ended the transaction at that error: every later
             * statement would fail, a round trip each */
            db_restate_error(d, REG_ERR_DB, "the read-only transaction has failed already");
            return -1;
        }
        reg_err e = ready(d);
        if (!e && ps->serial != d->serial)
            e = prepare_here(d, ps);
        if (!e)
            e = send_begin(d);
        if (e)
            return -1;
        if (impl(d)->pending) {
            /* the deferred writes and this statement: one round trip */
            e = pipe_prepared(d, ps, &ps->res);
            if (e) {
                PQclear(ps->res);
                ps->res = NULL;
                return -1;
            }
        } else {
            d->round_trips++;
            ps->res = PQexecPrepared(conn_of(d), ps->name, ps->nparams,
                                     (const char *const *)ps->params, NULL, NULL, 0);
        }
        if (!res_ok(ps->res)) {
            fail_res(d, ps->res);
            PQclear(ps->res);
            ps->res = NULL;
            return -1;
        }
        impl(d)->changes = strtoll(PQcmdTuples(ps->res), NULL, 10);
        ps->rows = PQntuples(ps->res);
        ps->row = -1;
    }
    if (ps->row + 1 >= ps->rows)
        return 0;
    ps->row++;
    return 1;
}

static void pg_reset(db_stmt *s)
{
    struct pg_stmt *ps = st(s);
    PQclear(ps->res);
    ps->res = NULL;
    clear_params(ps);
}

static bool pg_col_is_null(db_stmt *s, int col)
{
    struct pg_stmt *ps = st(s);
    return !ps->res || PQgetisnull(ps->res, ps->row, col);
}

static const char *pg_col_text(db_stmt *s, int col)
{
    struct pg_stmt *ps = st(s);
    if (pg_col_is_null(s, col))
        return NULL;
    return PQgetvalue(ps->res, ps->row, col);
}

static int64_t pg_col_int(db_stmt *s, int col)
{
    const char *v = pg_col_text(s, col);
    if (!v)
        return 0;
    if (v[0] == 't' && v[1] == '\0')
        return 1; /* boolean results */
    return strtoll(v, NULL, 10);
}

static int64_t pg_changes(db *d) { return impl(d)->changes; }

/* 64-bit FNV-1a of the lease name: the advisory-lock key. */
static int64_t lease_key(const char *name)
{
    uint64_t h = 14695981039346656037ull;
    for (const char *p = "registryd:"; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (; *name; name++)
        h = (h ^ (unsigned char)*name) * 1099511628211ull;
    return (int64_t)h;
}

/* A session advisory lock: it lives as long as the connection, so a
 * lease of a lost connection is gone (and ready() will not replace the
 * connection until it is released). */
struct pg_lease {
    int64_t key;
    uint64_t serial;
};

static reg_err pg_lease_try(db *d, const char *name, void **handle)
{
    char sql[96];
    int64_t key = lease_key(name);
    snprintf(sql, sizeof sql, "SELECT pg_try_advisory_lock(%" PRId64 ")", key);
    PGresult *res = NULL;
    /* a connection that broke while idle shows it here: a lock taken on
     * it died with it, so asking again on a new one is safe */
    for (int attempt = 0; attempt < 2; attempt++) {
        bool known_lost = d->lost;
        PQclear(res);
        res = NULL;
        reg_err e = ready(d);
        if (!e)
            e = pipe_drain(d);
        if (e)
            return e;
        d->round_trips++;
        res = PQexec(conn_of(d), sql);
        if (res_ok(res))
            break;
        e = fail_res(d, res);
        if (known_lost || e != REG_ERR_DB_DOWN || attempt == 1) {
            PQclear(res);
            return e;
        }
    }
    bool got = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!got)
        return db_set_error(d, REG_ERR_LOCKED, "lease held by another process");
    struct pg_lease *l = malloc(sizeof *l);
    if (!l)
        return REG_ERR_NOMEM;
    *l = (struct pg_lease){key, d->serial};
    impl(d)->leases++;
    *handle = l;
    return REG_OK;
}

static void pg_lease_release(db *d, void *handle)
{
    struct pg_lease *l = handle;
    collect_commit(d);
    if (!d->lost && l->serial == d->serial) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%" PRId64 ")", l->key);
        pipe_drain(d);
        d->round_trips++;
        PGresult *res = PQexec(conn_of(d), sql);
        if (!res_ok(res))
            fail_res(d, res);
        PQclear(res);
    }
    impl(d)->leases--;
    free(l);
}

const struct db_driver db_pgsql_driver = {
    .name = "postgresql",
    .kind = DB_PGSQL,
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .token = pg_token,
    .numbered_params = true,
    .begin_sql = "BEGIN",
    .begin = pg_begin,
    .exec_each = pg_exec_each,
    .commit = pg_commit,
    .check = pg_check,
    .run_deferred = pg_run_deferred,
    .exec_deferred = pg_exec_deferred,
    .flush = pipe_drain,
    .counts_round_trips = true,
    .snapshot_begin_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ",
    .refuses_writes = true,
    .begin_reads = pg_begin_reads,
    .lazy_after_begin = "SET LOCAL synchronous_commit TO OFF",
    .maintain_sql = "ANALYZE",
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .reset = pg_reset,
    .col_is_null = pg_col_is_null,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .changes = pg_changes,
    .lease_try = pg_lease_try,
    .lease_release = pg_lease_release,
};
