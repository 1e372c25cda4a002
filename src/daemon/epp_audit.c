/* The audit rows of read-only EPP batches, written in groups by one
 * thread (issue 18; docs/architecture.md, "The EPP log").
 *
 * A batch of checks and infos changes nothing but its audit rows. Written
 * by the batch itself, each such batch was a write transaction of its own:
 * it queued for SQLite's one writer, and its commit put some six pages
 * into the WAL (the log table's last leaf, three index leaves, the
 * AUTOINCREMENT counter, the database header) for one row of about a
 * kilobyte — 24 KiB a command, which the checkpoints then copied back and
 * fsynced. Under load that traffic, not the reads, set the tail latency.
 *
 * On PostgreSQL the rows, a savepoint and its release were four of a lone
 * domain:check's six round trips.
 *
 * Now such a batch only reads (a snapshot that refuses writes; on SQLite
 * beside the writer) and hands its rows here, copied. This thread writes
 * what has gathered in one transaction once EPP_AUDIT_GROUP rows wait or
 * the first has waited EPP_AUDIT_DELAY_US, whichever comes first. The
 * queue is bounded (rows and bytes): when it is full, workers wait for
 * room, so a database that cannot take the rows slows EPP down rather
 * than growing memory. Queued rows get a ticket; a batch that writes
 * first waits until the rows of its sessions are written (epp_audit_wait
 * on the tickets they were given), then writes its own: a session's rows
 * keep the order of its commands, and one that logged out has its whole
 * log in the database. At stop, everything queued is written before the
 * thread ends.
 *
 * What this gives up: a read command's answer may leave before its row
 * is written: EPP_AUDIT_DELAY_US, plus the wait for the writer's place
 * behind batches that write, plus a backlog when the database is slow.
 * Killed in that window, the process loses those rows of read commands;
 * the rows of commands that write stay in their own transaction, as
 * before. The group's commit is lazy (db_begin_lazy: SQLite's
 * synchronous=NORMAL, PostgreSQL's synchronous_commit=off), as the read
 * batches' own commits were: a power loss may take the last ones. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contrib/log.h"
#include "contrib/thread_name.h"
#include "epp_internal.h"

#define EPP_AUDIT_GROUP 256        /* rows that are written without waiting longer */
#define EPP_AUDIT_DELAY_US 5000    /* the longest the first row of a group waits */
#define EPP_AUDIT_MAX_ROWS 8192    /* queued at most */
#define EPP_AUDIT_MAX_BYTES (32u << 20)
#define EPP_AUDIT_PER_TXN 1024     /* rows in one transaction at most */
#define EPP_AUDIT_ATTEMPTS 3       /* a group whose connection was lost runs again */
#define EPP_AUDIT_DOWN_US (60 * 1000000) /* ... and waits this long in all for a database that is down */
#define EPP_AUDIT_DOWN_POLL_US 200000

/* One queued row: the entry and its strings in one allocation. */
struct queued {
    struct audit_entry e;
    size_t bytes;
};

struct epp_audit {
    db *db;
    pthread_mutex_t *write_lock; /* SQLite's one writer, shared with the workers; or NULL */
    pthread_mutex_t lock;
    pthread_cond_t more;     /* rows queued, or stopping */
    pthread_cond_t progress; /* rows written: room, and waiters' tickets */
    struct queued **ring;
    struct queued **group;     /* the writer's: the rows it has taken */
    struct audit_entry *rows;  /* ... as audit_epp_record_rows takes them */
    size_t head, n, bytes;
    uint64_t queued, written; /* rows ever queued, rows ever taken and finished */
    int64_t first_us;         /* when the oldest waiting row was queued */
    uint64_t want;            /* the rows a flush waits for: write them without delay */
    bool stopping;
    bool hurry;          /* stopping soon: do not wait for a database that is down */
    int64_t down_until;  /* the writer's: an outage waited for until then (0: none) */
    bool running;
    pthread_t thread;
};

static size_t slen(const char *s) { return s ? strlen(s) + 1 : 0; }

static const char *put(char **p, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*p, s, n);
    const char *at = *p;
    *p += n;
    return at;
}

static struct queued *copy_row(const struct audit_entry *r)
{
    size_t text = slen(r->clid) + slen(r->session_id) + slen(r->peer) + slen(r->svtrid) +
                  slen(r->cltrid) + slen(r->command) + slen(r->request) + slen(r->response);
    struct queued *q = malloc(sizeof *q + text);
    if (!q)
        return NULL;
    char *p = (char *)(q + 1);
    q->e = *r;
    q->e.clid = put(&p, r->clid);
    q->e.session_id = put(&p, r->session_id);
    q->e.peer = put(&p, r->peer);
    q->e.svtrid = put(&p, r->svtrid);
    q->e.cltrid = put(&p, r->cltrid);
    q->e.command = put(&p, r->command);
    q->e.request = put(&p, r->request);
    q->e.response = put(&p, r->response);
    q->bytes = sizeof *q + text;
    return q;
}

static void deadline_in(struct timespec *ts, int64_t us)
{
    if (us < 0)
        us = 0;
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += us / 1000000;
    ts->tv_nsec += (long)(us % 1000000) * 1000;
    if (ts->tv_nsec >= 1000000000) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000;
    }
}

static bool hurrying(struct epp_audit *q)
{
    pthread_mutex_lock(&q->lock);
    bool h = q->hurry || q->stopping;
    pthread_mutex_unlock(&q->lock);
    return h;
}

void epp_audit_hurry(struct epp_audit *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->lock);
    q->hurry = true;
    pthread_mutex_unlock(&q->lock);
}

/* One group in one transaction. Lost connection or a database busy past
 * its timeout (another process holding SQLite's lock): nothing was saved,
 * so the group runs again, up to EPP_AUDIT_ATTEMPTS times; a database
 * still down then (PostgreSQL restarting or failing over: the attempts
 * take no time, refused by the connection's backoff) is waited for, up to
 * EPP_AUDIT_DOWN_US for the whole outage (the groups after give up at
 * once until one is written), unless registryd is stopping: these rows
 * are of commands already answered. A row the database refused is logged by
 * eppd_audit_write; any other failure loses the group, each row logged
 * here by its svTRID. */
static void write_group(struct epp_audit *q, struct audit_entry *rows, size_t n)
{
    for (int attempt = 1;; attempt++) {
        db_check(q->db);
        if (q->write_lock)
            pthread_mutex_lock(q->write_lock);
        reg_err e = db_begin_lazy(q->db);
        bool began = !e;
        bool rows_ok = began && eppd_audit_write(q->db, rows, n);
        if (began && db_lost(q->db))
            e = REG_ERR_DB_DOWN;
        if (!e) {
            e = db_commit(q->db);
            if (e && rows_ok)
                eppd_audit_commit_failed(q->db, rows, n);
        } else if (db_in_transaction(q->db))
            db_rollback(q->db);
        if (q->write_lock)
            pthread_mutex_unlock(q->write_lock);
        if ((e == REG_ERR_DB_DOWN || e == REG_ERR_DB_BUSY) && attempt < EPP_AUDIT_ATTEMPTS)
            continue;
        if (e == REG_ERR_DB_DOWN && !hurrying(q)) {
            int64_t now = clock_mono_us();
            if (!q->down_until)
                q->down_until = now + EPP_AUDIT_DOWN_US;
            if (now < q->down_until) {
                struct timespec pause = {0, EPP_AUDIT_DOWN_POLL_US * 1000L};
                nanosleep(&pause, NULL);
                continue;
            }
        }
        if (!e)
            q->down_until = 0; /* the database is back: a later outage is waited for anew */
        /* saved, or the refused rows are logged already, each */
        if (!e || (began && !rows_ok) || db_deferred_failed(q->db))
            return;
        for (size_t i = 0; i < n; i++)
            reg_log(LOG_ERROR, "epp", rows[i].session_id, "audit-failed",
                    "svtrid=%s command=%s rows_failed=%zu error=\"%s\"", rows[i].svtrid,
                    rows[i].command, n, db_errmsg(q->db));
        return;
    }
}

static void *audit_main(void *arg)
{
    struct epp_audit *q = arg;
    struct queued **g = q->group;
    struct audit_entry *r = q->rows;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (!q->n && !q->stopping)
            pthread_cond_wait(&q->more, &q->lock);
        if (!q->n)
            break; /* stopping, and everything is written */
        /* gather: a group's first row waits at most EPP_AUDIT_DELAY_US */
        struct timespec until;
        deadline_in(&until, EPP_AUDIT_DELAY_US - (clock_mono_us() - q->first_us));
        while (q->n < EPP_AUDIT_GROUP && !q->stopping && q->want <= q->written &&
               pthread_cond_timedwait(&q->more, &q->lock, &until) != ETIMEDOUT)
            ;
        size_t take = q->n < EPP_AUDIT_PER_TXN ? q->n : EPP_AUDIT_PER_TXN;
        for (size_t i = 0; i < take; i++) {
            g[i] = q->ring[q->head];
            q->head = (q->head + 1) % EPP_AUDIT_MAX_ROWS;
            r[i] = g[i]->e;
        }
        q->n -= take;
        q->first_us = clock_mono_us();
        pthread_mutex_unlock(&q->lock);

        write_group(q, r, take);

        size_t freed = 0;
        for (size_t i = 0; i < take; i++) {
            freed += g[i]->bytes;
            free(g[i]);
        }
        pthread_mutex_lock(&q->lock);
        q->bytes -= freed;
        q->written += take;
        pthread_cond_broadcast(&q->progress);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

/* The queue's memory and q itself (nothing of it running) */
static void free_buffers(struct epp_audit *q)
{
    free(q->ring);
    free(q->group);
    free(q->rows);
    free(q);
}

reg_err epp_audit_start(const struct reg_config *cfg, pthread_mutex_t *write_lock,
                        struct epp_audit **out, char *err, size_t errlen)
{
    struct epp_audit *q = calloc(1, sizeof *q);
    if (!q)
        return REG_ERR_NOMEM;
    q->ring = calloc(EPP_AUDIT_MAX_ROWS, sizeof *q->ring);
    q->group = calloc(EPP_AUDIT_PER_TXN, sizeof *q->group);
    q->rows = calloc(EPP_AUDIT_PER_TXN, sizeof *q->rows);
    reg_err e = !q->ring || !q->group || !q->rows
                    ? REG_ERR_NOMEM
                    : db_open(cfg->database_url, &q->db, err, errlen);
    if (e) {
        free_buffers(q);
        return e;
    }
    q->write_lock = write_lock;
    pthread_mutex_init(&q->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&q->more, &attr);
    pthread_condattr_destroy(&attr);
    pthread_cond_init(&q->progress, NULL);
    q->running = !pthread_create(&q->thread, NULL, audit_main, q);
    if (!q->running) {
        epp_audit_stop(q);
        snprintf(err, errlen, "cannot start the EPP log's writer thread");
        return REG_ERR_NOMEM;
    }
    thread_name(q->thread, "epp-log", -1);
    *out = q;
    return REG_OK;
}

uint64_t epp_audit_queue(struct epp_audit *q, const struct audit_entry *rows, size_t n)
{
    uint64_t ticket = 0;
    for (size_t i = 0; i < n; i++) {
        struct queued *c = copy_row(&rows[i]);
        if (!c) {
            reg_log(LOG_ERROR, "epp", rows[i].session_id, "audit-failed",
                    "svtrid=%s command=%s rows_failed=1 error=\"out of memory\"", rows[i].svtrid,
                    rows[i].command);
            continue;
        }
        pthread_mutex_lock(&q->lock);
        /* room for it: an empty queue takes any row */
        while (q->n && (q->n == EPP_AUDIT_MAX_ROWS || q->bytes + c->bytes > EPP_AUDIT_MAX_BYTES))
            pthread_cond_wait(&q->progress, &q->lock);
        q->ring[(q->head + q->n) % EPP_AUDIT_MAX_ROWS] = c;
        if (!q->n)
            q->first_us = clock_mono_us();
        q->n++;
        q->bytes += c->bytes;
        ticket = ++q->queued;
        if (q->n == 1 || q->n == EPP_AUDIT_GROUP)
            pthread_cond_signal(&q->more);
        pthread_mutex_unlock(&q->lock);
    }
    return ticket;
}

bool epp_audit_has_room(struct epp_audit *q, size_t bytes)
{
    pthread_mutex_lock(&q->lock);
    bool room = !q->n || (q->n < EPP_AUDIT_MAX_ROWS && q->bytes + bytes <= EPP_AUDIT_MAX_BYTES);
    pthread_mutex_unlock(&q->lock);
    return room;
}

void epp_audit_wait(struct epp_audit *q, uint64_t ticket)
{
    if (!ticket)
        return;
    pthread_mutex_lock(&q->lock);
    if (q->written < ticket && q->want < ticket) {
        q->want = ticket;
        pthread_cond_signal(&q->more);
    }
    while (q->written < ticket)
        pthread_cond_wait(&q->progress, &q->lock);
    pthread_mutex_unlock(&q->lock);
}

void epp_audit_stop(struct epp_audit *q)
{
    if (!q)
        return;
    if (q->running) {
        pthread_mutex_lock(&q->lock);
        q->stopping = true;
        pthread_cond_signal(&q->more);
        pthread_mutex_unlock(&q->lock);
        pthread_join(q->thread, NULL);
    }
    for (size_t i = 0; i < q->n; i++)
        free(q->ring[(q->head + i) % EPP_AUDIT_MAX_ROWS]);
    db_close(q->db);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->more);
    pthread_cond_destroy(&q->progress);
    free_buffers(q);
}
