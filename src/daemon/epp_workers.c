/* Command workers with group commit (DESIGN §10): each worker takes every
 * queued command (up to [epp] batch_max), runs their check steps, then
 * executes them in ONE transaction, each under its own savepoint, writes
 * their audit rows together, and commits once — one fsync for the whole batch. No
 * response leaves before the commit that makes it true. A batch that only
 * reads runs in a snapshot that refuses writes (on SQLite beside the
 * writer) and hands its audit rows to the EPP log's writer thread
 * (epp_audit.c); on SQLite, while the workers have nothing to do, the
 * event loop runs such a command itself (epp_pool_run_here). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/metric_table.h"
#include "contrib/thread_name.h"
#include "epp/request.h"
#include "epp_internal.h"

/* One worker thread and its own database connection. */
struct worker {
    struct epp_pool *pool;
    db *db;
    pthread_cond_t wake;
    bool idle; /* on the pool's idle stack */
};

struct epp_pool {
    struct epp_pool_owner owner;
    const struct reg_config *cfg;
    pthread_mutex_t lock;
    /* two queues: commands of logged-in sessions, and the others */
    struct epp_queue {
        struct epp_job *head, *tail;
    } queues[2];
    /* Idle workers, the one that went idle last on top: a command goes to
     * the worker that ran the last one. On SQLite a connection's page
     * cache is emptied when another connection has written since its last
     * transaction (a batch that writes, the EPP log's writer): with the
     * workers taken in turn, a lone session's every command read the
     * tables' upper pages from the file again (issue 18). */
    struct worker **idle;
    int nidle;
    bool stopping;
    /* SQLite has one writer: queueing here is cheaper than its busy loop */
    pthread_mutex_t write_lock;
    bool serialize_writes;
    /* SQLite: the connection every batch that writes runs on, by whichever
     * worker holds write_lock. A connection's page cache is emptied when
     * another connection has committed since its last transaction: with
     * each worker writing on its own, every batch read the indexes' upper
     * pages from the file again (issue 18: five pread()s a domain:create
     * with 100 sessions). The check steps still read on the worker's own. */
    db *writer_db;
    struct epp_audit *audit; /* read-only batches' audit rows */
    /* SQLite: the event loop's connection (epp_pool_run_here) */
    db *here_db;
    atomic_int in_flight; /* commands submitted and not yet completed */
    int nthreads;
    pthread_t *threads;
    struct worker *workers;
};

enum { LOGGED_IN, BEFORE_LOGIN };

void epp_pool_submit(struct epp_pool *p, struct epp_job *job)
{
    job->next = NULL;
    if (!job->started_us) /* not since epp_pool_run_here declined it */
        job->started_us = clock_mono_us();
    atomic_fetch_add(&p->in_flight, 1);
    pthread_mutex_lock(&p->lock);
    struct epp_queue *q = &p->queues[job->view.logged_in ? LOGGED_IN : BEFORE_LOGIN];
    if (q->tail)
        q->tail->next = job;
    else
        q->head = job;
    q->tail = job;
    if (p->nidle) {
        struct worker *w = p->idle[--p->nidle];
        w->idle = false;
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&p->lock);
}

/* Moves up to `limit` jobs from q to the end of the batch (*first..*last). */
static int take_from(struct epp_queue *q, int limit, struct epp_job **first,
                     struct epp_job **last)
{
    int n = 0;
    while (q->head && n < limit) {
        struct epp_job *j = q->head;
        q->head = j->next;
        j->next = NULL;
        if (*last)
            (*last)->next = j;
        else
            *first = j;
        *last = j;
        n++;
    }
    if (!q->head)
        q->tail = NULL;
    return n;
}

/* Logged-in sessions' commands first: before login anyone may send as fast
 * as it can (hellos by the thousand, from many addresses), and a
 * registrar's command must not queue behind theirs. When both wait, a
 * quarter of the batch (at least one command) goes to the others, so
 * logins are not starved. */
static struct epp_job *take_batch(struct worker *w, int max, int *count)
{
    struct epp_pool *p = w->pool;
    pthread_mutex_lock(&p->lock);
    while (!p->queues[LOGGED_IN].head && !p->queues[BEFORE_LOGIN].head && !p->stopping) {
        if (!w->idle) {
            p->idle[p->nidle++] = w;
            w->idle = true;
        }
        pthread_cond_wait(&w->wake, &p->lock);
    }
    /* woken by something else than a submit (a spurious wake-up): off the
     * stack, so no command is handed to a worker already running */
    for (int i = 0; w->idle && i < p->nidle; i++)
        if (p->idle[i] == w) {
            memmove(&p->idle[i], &p->idle[i + 1], (size_t)(p->nidle - i - 1) * sizeof *p->idle);
            p->nidle--;
            w->idle = false;
        }
    struct epp_job *first = NULL, *last = NULL;
    int share = p->queues[BEFORE_LOGIN].head && max > 1 ? (max >= 8 ? max / 4 : 1) : 0;
    int n = take_from(&p->queues[LOGGED_IN], max - share, &first, &last);
    n += take_from(&p->queues[BEFORE_LOGIN], max - n, &first, &last);
    n += take_from(&p->queues[LOGGED_IN], max - n, &first, &last);
    pthread_mutex_unlock(&p->lock);
    *count = n;
    return first;
}

/* Per-command state through the batch. */
struct slot {
    struct epp_job *job;
    struct eppd_cmd cmd;
    uint64_t round_trips; /* to the database, by its check step, execution and audit row */
    char *raw;            /* the audit row's copy of a frame that was not XML */
};

/* Round trips so far on d (db_counts). */
static uint64_t trips(const db *d)
{
    struct db_counts c;
    db_counts(d, &c);
    return c.round_trips;
}

/* The audit rows of a batch (eppd_audit_row), written together before
 * the commit as a few multi-row INSERTs (audit_epp_record_rows) instead of
 * one INSERT each (issue 18: 7 % of a domain:check). Each row is taken
 * when its command has run, after its savepoint was released or rolled
 * back, as before: a command that failed alone is recorded all the same.
 * Nothing reads them back: on PostgreSQL they are sent without waiting
 * (db_defer_writes) and answered with the batch's COMMIT, in its round
 * trip; should one fail, so does the commit (a failed statement aborts a
 * PostgreSQL transaction), the batch is lost as a whole and its commands
 * are answered so, and eppd_audit_commit_failed names them in the log. */
struct audit_rows {
    struct audit_entry *rows;
    size_t n;
};

static void take_row(struct audit_rows *a, struct slot *s)
{
    free(s->raw);
    s->raw = NULL;
    if (eppd_audit_row(&s->cmd, s->job->frame, s->job->frame_len, s->job->response,
                       s->job->result_code, s->job->started_us, &a->rows[a->n], &s->raw))
        a->n++;
}

/* The rows' statements' round trips, shared out among the batch's
 * commands (the remainder to the first ones), so the metric still sums to
 * what the connection did. */
static bool write_rows(db *d, struct audit_rows *a, struct slot *slots, int n)
{
    uint64_t before = trips(d);
    db_defer_writes(d, true);
    bool ok = eppd_audit_write(d, a->rows, a->n);
    db_defer_writes(d, false);
    uint64_t used = trips(d) - before;
    for (int i = 0; i < n; i++)
        slots[i].round_trips += used / (uint64_t)n + ((uint64_t)i < used % (uint64_t)n);
    return ok;
}

static void finish_response(struct slot *s)
{
    free(s->job->response);
    s->job->response = eppd_response(&s->cmd, &s->job->response_len, &s->job->result_code);
    s->job->out = s->cmd.out;
    s->job->hello = s->cmd.parsed && !s->cmd.failed && s->cmd.req.kind == EPP_CMD_HELLO;
}

/* A command that runs again (one that lost a deadlock, a batch whose
 * transaction was lost) gives back the session slot its first run took. */
static void forget_slot(struct epp_pool *p, struct slot *s)
{
    if (s->cmd.out.holds_slot) {
        p->owner.release_slot(p->owner.arg, s->cmd.out.new_registrar_id);
        s->cmd.out.holds_slot = false;
    }
}

/* A command run again after a lost deadlock gives back its slot first. */
struct forget_arg {
    struct epp_pool *p;
    struct slot *s;
};

static void forget_cmd_slot(struct eppd_cmd *c, void *arg)
{
    (void)c;
    struct forget_arg *f = arg;
    forget_slot(f->p, f->s);
}

static void execute_one(struct epp_pool *p, db *d, struct slot *s, struct audit_rows *a)
{
    struct forget_arg f = {p, s};
    uint64_t before = trips(d);
    eppd_execute_in(d, &s->cmd, forget_cmd_slot, &f);
    finish_response(s);
    take_row(a, s);
    s->round_trips += trips(d) - before;
}

/* A failed commit un-does every command of the batch: tell each so. */
static void batch_lost(struct slot *slots, int n, reg_err code, const char *reason)
{
    for (int i = 0; i < n; i++) {
        eppd_fail(&slots[i].cmd, code, reason);
        finish_response(&slots[i]);
    }
}

/* A commit whose sync failed may lose its changes; the commands that
 * were to change something and did not fail are told so (a failed one's
 * answer was a failure already). */
static void batch_unsynced(struct slot *slots, int n, const char *reason)
{
    for (int i = 0; i < n; i++)
        if (!eppd_read_only(&slots[i].cmd)) {
            eppd_fail(&slots[i].cmd, REG_ERR_DB_UNKNOWN, reason);
            finish_response(&slots[i]);
        }
}

/* Without memory for the batch, its sessions are closed rather than left
 * waiting for an answer that will never come (nothing was executed). */
static void batch_refused(struct epp_pool *p, struct epp_job *jobs)
{
    for (struct epp_job *j = jobs, *next; j; j = next) {
        next = j->next;
        j->out = (struct eppd_outcome){.close_after = true};
        reg_log(LOG_ERROR, "epp", j->view.id, "out-of-memory", "closing the session");
        p->owner.complete(p->owner.arg, j);
    }
}

/* A batch whose transaction was lost before it committed runs again from
 * its check steps on a new connection, at most this many times in all. */
#define BATCH_ATTEMPTS 3

/* How an attempt at a batch may run, and how it went. */
struct attempt {
    /* if it only reads, it may run in a snapshot that refuses writes
     * (SQLite: beside the writer), its audit rows for the writer thread */
    bool may_apart;
    bool only_apart; /* ... and it runs so or not at all (epp_pool_run_here) */
    bool apart;      /* it ran so */
    bool wrote;      /* it was to, but a command tried to write: nothing of it counts */
    bool declined;   /* only_apart, and it writes: nothing of it counts */
    bool unsynced;   /* committed, but its sync failed: maybe not on the disk */
    char errmsg[512]; /* the database's message when it failed (the connection
                       * may be the shared writer's, used by others after) */
};

/* The check steps, then every execute step in one transaction and one
 * commit. REG_ERR_DB_DOWN: the connection was lost and nothing was
 * committed, so the batch may run again; REG_ERR_DB_UNKNOWN: lost while
 * COMMIT was in flight and not resolved (db.h). */
static reg_err run_attempt(struct epp_pool *p, struct eppd_env *env, struct slot *slots, int n,
                           struct audit_rows *a, struct attempt *how)
{
    db *d = env->db; /* the check steps' */
    a->n = 0;
    /* a connection an earlier batch found lost is replaced before a check
     * step reads through it */
    db_check(d);
    uint64_t conn = db_connection_serial(d);
    for (int i = 0; i < n; i++) {
        uint64_t before = trips(d);
        const char *frame = slots[i].job->frame;
        size_t len = slots[i].job->frame_len;
        if (!how->only_apart)
            eppd_prepare(&slots[i].cmd, frame, len);
        else if (!eppd_prepare_reads(&slots[i].cmd, frame, len)) {
            how->declined = true; /* it writes: turned back once its frame is read */
            return REG_OK;
        }
        slots[i].round_trips += trips(d) - before;
    }
    /* a batch that only reads has its audit rows written by the writer
     * thread, lazily (flushed by the next durable commit); when it runs
     * again as one that may write, it commits without waiting for the
     * disk */
    bool lazy = true;
    for (int i = 0; i < n && lazy; i++)
        lazy = eppd_read_only(&slots[i].cmd);
    /* such a batch writes nothing itself (issue 18: on SQLite its own
     * write transaction for a few audit rows cost a WAL page per index,
     * and the writer's queue; on PostgreSQL a savepoint, a release and the
     * rows: four round trips of a lone domain:check's six); one that writes
     * first has the rows queued so far written, so each session's rows
     * keep their order */
    how->apart = lazy && p->audit && how->may_apart;
    /* eppd_prepare_reads took only reads, but eppd_read_only has the last
     * word should the two ever differ */
    if (how->only_apart && !how->apart) {
        how->declined = true;
        return REG_OK;
    }
    if (p->audit && !how->apart) {
        uint64_t after = 0; /* the rows of these sessions' earlier reads */
        for (int i = 0; i < n; i++)
            if (slots[i].job->audit_after > after)
                after = slots[i].job->audit_after;
        epp_audit_wait(p->audit, after);
    }
    bool locked = p->serialize_writes && !how->apart;
    if (locked)
        pthread_mutex_lock(&p->write_lock);
    db *x = locked && p->writer_db ? p->writer_db : d; /* the execute steps' */
    /* a batch of several commands that writes waits for the disk after
     * it lets the next batch in (SQLite: the WAL's fdatasync, a fifth of
     * the time a domain:create held the writer's place with 100 sessions,
     * issue 18); its answers, as always, only once its commit is durable.
     * A batch of one (a lone session) has no one behind it to let in, and
     * the sync apart costs it two statements more. */
    reg_err e = how->apart  ? db_begin_reads(x)
                : lazy      ? db_begin_lazy(x)
                : n > 1     ? db_begin_sync_later(x)
                            : db_begin(x);
    /* a check step read through a connection that broke: what it read
     * cannot be trusted */
    if (!e && db_connection_serial(d) != conn) {
        db_rollback(x);
        e = REG_ERR_DB_DOWN;
    }
    env->db = x;
    /* once a write is refused, nothing more of the attempt counts */
    for (int i = 0; i < n && !e && !(how->apart && db_write_refused(x)); i++) {
        execute_one(p, x, &slots[i], a);
        if (db_lost(x))
            e = REG_ERR_DB_DOWN;
    }
    env->db = d;
    /* a command judged read-only wrote after all (an info whose auth info
     * was hashed with an older pepper key re-hashes it): the snapshot
     * refused it, so the batch runs again as one that writes */
    if (!e && how->apart && db_write_refused(x)) {
        db_rollback(x);
        how->wrote = true;
        how->declined = how->only_apart;
        return REG_OK;
    }
    bool rows_ok = true;
    if (!e && !how->apart) {
        rows_ok = write_rows(x, a, slots, n);
        if (db_lost(x))
            e = REG_ERR_DB_DOWN;
    }
    struct db_sync sync = {.fd = -1};
    if (!e) {
        e = db_commit_sync_later(x, &sync);
        if (e && rows_ok && !how->apart) /* each failed row is logged once */
            eppd_audit_commit_failed(x, a->rows, a->n);
    } else if (db_in_transaction(x))
        db_rollback(x);
    if (e)
        snprintf(how->errmsg, sizeof how->errmsg, "%s", db_errmsg(x));
    if (locked)
        pthread_mutex_unlock(&p->write_lock);
    if (!e && (e = db_sync_wait(&sync))) {
        how->unsynced = true;
        snprintf(how->errmsg, sizeof how->errmsg, "%s", sync.errmsg);
    }
    return e;
}

/* The command as it arrived, ready to run again. */
static void restart_command(struct epp_pool *p, struct slot *s)
{
    const struct eppd_env *env = s->cmd.env;
    char svtrid[sizeof s->cmd.svtrid];
    snprintf(svtrid, sizeof svtrid, "%s", s->cmd.svtrid);
    reg_time now = s->cmd.now;
    forget_slot(p, s);
    eppd_cmd_release(&s->cmd);
    eppd_cmd_init(&s->cmd, env, &s->job->view, svtrid, now);
}

/* A command's metrics, once its answer is final: by the name it was
 * decoded as (a bounded set: "domain:create", "invalid", ...). */
static void count_command(const struct slot *s, int64_t now_us)
{
    char code[12];
    snprintf(code, sizeof code, "%d", s->job->result_code);
    const char *command = s->cmd.name;
    metric_add(METRIC(M_EPP_COMMANDS), (const char *[]){command, code}, 1);
    metric_observe(METRIC(M_EPP_COMMAND_SECONDS), &command, now_us - s->job->started_us);
    metric_add(METRIC(M_EPP_DB_ROUND_TRIPS), &command, (int64_t)s->round_trips);
}

/* The commands' state released once their answers are made. */
static void release_slots(struct slot *slots, int n, struct audit_rows *rows)
{
    for (int i = 0; i < n; i++) {
        eppd_cmd_release(&slots[i].cmd);
        free(slots[i].raw);
    }
    free(slots);
    free(rows->rows);
}

/* Runs the batch and completes its jobs; false if only_apart and it was
 * declined (nothing of it done, its jobs not completed). */
static bool run_batch(struct epp_pool *p, db *d, struct epp_job *jobs, int n, bool only_apart)
{
    struct slot *slots = calloc((size_t)n, sizeof *slots);
    struct audit_rows rows = {.rows = calloc((size_t)n, sizeof *rows.rows)};
    if (!slots || !rows.rows) {
        free(slots);
        free(rows.rows);
        if (only_apart)
            return false;
        atomic_fetch_sub(&p->in_flight, n);
        batch_refused(p, jobs);
        return true;
    }
    struct eppd_env env = {.db = d, .cfg = p->cfg, .policy = p->owner.policy,
                           .take_slot = p->owner.take_slot, .slot_arg = p->owner.arg};
    int i = 0;
    for (struct epp_job *j = jobs; j; j = j->next, i++) {
        char svtrid[40];
        p->owner.next_svtrid(p->owner.arg, svtrid);
        slots[i].job = j;
        eppd_cmd_init(&slots[i].cmd, &env, &j->view, svtrid, clock_now());
    }
    reg_err e;
    struct attempt how = {.may_apart = true, .only_apart = only_apart};
    for (int failed = 0;;) {
        e = run_attempt(p, &env, slots, n, &rows, &how);
        if (how.declined) { /* as it came: a worker runs it */
            for (i = 0; i < n; i++) {
                forget_slot(p, &slots[i]);
                struct epp_job *j = slots[i].job;
                free(j->response);
                j->response = NULL;
                j->response_len = 0;
                j->result_code = 0;
                j->hello = false;
                j->out = (struct eppd_outcome){0};
            }
            release_slots(slots, n, &rows);
            return false;
        }
        if (how.wrote) { /* again, as a batch that writes: not a failed attempt */
            how.may_apart = how.wrote = false;
        }
        /* nothing was committed: once the database is there again, the
         * batch runs again and its clients never see the outage */
        else if (e != REG_ERR_DB_DOWN || ++failed == BATCH_ATTEMPTS || db_check(d))
            break;
        for (i = 0; i < n; i++)
            restart_command(p, &slots[i]);
    }
    if (e == REG_ERR_DB_DOWN) { /* the driver logs the outage, once */
        batch_lost(slots, n, e, "the registry database is unavailable; try again shortly");
    } else if (how.unsynced) {
        reg_log(LOG_ERROR, "epp", NULL, "sync-failed", "commands=%d error=\"%s\"", n,
                how.errmsg);
        batch_unsynced(slots, n,
                       "the registry could not make sure the command was saved on its disk, so "
                       "it may have been saved: look before sending it again");
    } else if (e == REG_ERR_DB_UNKNOWN) {
        reg_log(LOG_ERROR, "epp", NULL, "commit-unknown", "commands=%d error=\"%s\"", n,
                how.errmsg);
        batch_lost(slots, n, e,
                   "the connection to the registry database was lost while the command was "
                   "being saved, so it may have been saved: look before sending it again");
    } else if (e) {
        reg_log(LOG_ERROR, "epp", NULL, "commit-failed", "commands=%d error=\"%s\"", n,
                how.errmsg);
        batch_lost(slots, n, REG_ERR_DB, "the command was not saved; try again");
    } else if (how.apart) {
        uint64_t ticket = epp_audit_queue(p->audit, rows.rows, rows.n);
        for (i = 0; i < n; i++)
            slots[i].job->audit_ticket = ticket;
    }
    metric_observe(METRIC(M_EPP_BATCH_COMMANDS), NULL, n);
    int64_t now_us = clock_mono_us();
    for (i = 0; i < n; i++) {
        count_command(&slots[i], now_us);
        slots[i].job->read_only = eppd_read_only(&slots[i].cmd);
    }
    release_slots(slots, n, &rows);
    if (!only_apart)
        atomic_fetch_sub(&p->in_flight, n);
    /* hand back only after the commit: no response before durability */
    for (struct epp_job *j = jobs, *next; j; j = next) {
        next = j->next;
        p->owner.complete(p->owner.arg, j);
    }
    return true;
}

/* What the loop parses itself at most, and what it counts a read's
 * audit row to take at most beside its frame (the answer, the fields). */
#define HERE_FRAME_MAX (16 * 1024)
#define HERE_ROW_MAX (256 * 1024)

/* A lone session's read went from the loop to a worker and its answer
 * back: two threads woken a command, a third of registryd's CPU for a
 * domain:check (issue 18). With nothing at the workers the loop has
 * nothing else to do meanwhile but read other sessions' frames, which
 * then go to the workers. Writes never run here: a commit that waits for
 * the disk would hold up every session. */
bool epp_pool_run_here(struct epp_pool *p, struct epp_job *job)
{
    if (!p->here_db || !job->view.logged_in || job->frame_len > HERE_FRAME_MAX ||
        atomic_load(&p->in_flight))
        return false;
    /* the loop never waits for room in the EPP log's queue (a writer held
     * up by another process's write); with nothing at the workers, no one
     * else adds rows until this one is in */
    if (!epp_audit_has_room(p->audit, job->frame_len + HERE_ROW_MAX))
        return false;
    job->next = NULL;
    job->started_us = clock_mono_us();
    job->ran_here = true;
    if (!run_batch(p, p->here_db, job, 1, true))
        return job->ran_here = false;
    metric_add(METRIC(M_EPP_LOOP_COMMANDS), NULL, 1);
    return true;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    for (;;) {
        int n;
        struct epp_job *jobs = take_batch(w, (int)w->pool->cfg->epp_batch_max, &n);
        if (!jobs)
            break;
        run_batch(w->pool, w->db, jobs, n, false);
    }
    epp_schema_thread_cleanup();
    return NULL;
}

reg_err epp_pool_start(const struct epp_pool_owner *owner, const struct reg_config *cfg,
                       struct epp_pool **out, char *err, size_t errlen)
{
    struct epp_pool *p = calloc(1, sizeof *p);
    if (!p)
        return REG_ERR_NOMEM;
    p->owner = *owner;
    p->cfg = cfg;
    p->nthreads = (int)cfg->epp_workers;
    p->threads = calloc((size_t)p->nthreads, sizeof *p->threads);
    p->workers = calloc((size_t)p->nthreads, sizeof *p->workers);
    p->idle = calloc((size_t)p->nthreads, sizeof *p->idle);
    pthread_mutex_init(&p->lock, NULL);
    pthread_mutex_init(&p->write_lock, NULL);
    if (!p->threads || !p->workers || !p->idle) {
        p->nthreads = 0;
        epp_pool_stop(p);
        return REG_ERR_NOMEM;
    }
    for (int i = 0; i < p->nthreads; i++) {
        p->workers[i].pool = p;
        pthread_cond_init(&p->workers[i].wake, NULL);
        reg_err e = db_open(cfg->database_url, &p->workers[i].db, err, errlen);
        if (e) {
            p->nthreads = i + 1;
            epp_pool_stop(p);
            return e;
        }
    }
    p->serialize_writes = p->nthreads && db_kind_of(p->workers[0].db) == DB_SQLITE;
    if (p->nthreads) {
        /* PostgreSQL too: a read batch then writes nothing (no savepoints,
         * no audit rows, a commit with nothing to flush) */
        reg_err e = epp_audit_start(cfg, p->serialize_writes ? &p->write_lock : NULL, &p->audit,
                                    err, errlen);
        /* the loop runs reads only on SQLite: there it is a call, on
         * PostgreSQL a round trip the loop would wait for */
        if (!e && p->serialize_writes)
            e = db_open(cfg->database_url, &p->here_db, err, errlen);
        if (!e && p->serialize_writes)
            e = db_open(cfg->database_url, &p->writer_db, err, errlen);
        if (e) {
            epp_pool_stop(p);
            return e;
        }
    }
    for (int i = 0; i < p->nthreads; i++)
        if (!pthread_create(&p->threads[i], NULL, worker_main, &p->workers[i]))
            thread_name(p->threads[i], "epp-worker", i);
    *out = p;
    return REG_OK;
}

void epp_pool_stop(struct epp_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    for (int i = 0; i < p->nthreads; i++)
        pthread_cond_signal(&p->workers[i].wake);
    pthread_mutex_unlock(&p->lock);
    /* a worker may be waiting for the EPP log's writer, and the writer for
     * a database that is down: it stops waiting for it now */
    epp_audit_hurry(p->audit);
    for (int i = 0; i < p->nthreads; i++)
        if (p->threads[i])
            pthread_join(p->threads[i], NULL);
    epp_audit_stop(p->audit); /* the workers' last rows are queued: written now */
    db_close(p->here_db);
    db_close(p->writer_db);
    for (int i = 0; i < p->nthreads; i++) {
        db_close(p->workers[i].db);
        pthread_cond_destroy(&p->workers[i].wake);
    }
    pthread_mutex_destroy(&p->lock);
    pthread_mutex_destroy(&p->write_lock);
    free(p->threads);
    free(p->workers);
    free(p->idle);
    free(p);
}
