/* Command workers with group commit (DESIGN §10): each worker takes every
 * queued command (up to [epp] batch_max), runs their check steps, then
 * executes them in ONE transaction, each under its own savepoint, writes
 * each audit row, and commits once — one fsync for the whole batch. No
 * response leaves before the commit that makes it true. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "epp/result.h"
#include "epp_internal.h"
#include "registry/audit.h"

struct epp_pool {
    struct epp_server *srv;
    const struct reg_config *cfg;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct epp_job *head, *tail;
    bool stopping;
    /* SQLite has one writer: queueing here is cheaper than its busy loop */
    pthread_mutex_t write_lock;
    bool serialize_writes;
    int nthreads;
    pthread_t *threads;
    db **dbs;
};

struct worker_arg {
    struct epp_pool *pool;
    db *db;
};

void epp_pool_submit(struct epp_pool *p, struct epp_job *job)
{
    job->next = NULL;
    job->started_us = clock_mono_us();
    pthread_mutex_lock(&p->lock);
    if (p->tail)
        p->tail->next = job;
    else
        p->head = job;
    p->tail = job;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
}

static struct epp_job *take_batch(struct epp_pool *p, int max, int *count)
{
    pthread_mutex_lock(&p->lock);
    while (!p->head && !p->stopping)
        pthread_cond_wait(&p->wake, &p->lock);
    struct epp_job *first = p->head, *last = NULL;
    int n = 0;
    for (struct epp_job *j = p->head; j && n < max; j = j->next) {
        last = j;
        n++;
    }
    if (last) {
        p->head = last->next;
        if (!p->head)
            p->tail = NULL;
        last->next = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    *count = n;
    return n ? first : NULL;
}

/* Per-command state through the batch. */
struct slot {
    struct epp_job *job;
    struct epp_ctx ctx;
    const struct epp_handler *handler;
    bool parsed;
    bool failed;      /* error decided (st) */
    reg_status st;
    char command_name[48];
};

static void fail_slot(struct slot *s, reg_err code, const char *reason)
{
    s->failed = true;
    s->st.code = code;
    snprintf(s->st.reason, sizeof s->st.reason, "%s", reason ? reason : "");
}

/* One cap for every object's <check>: each name or id costs queries. */
static bool too_many_checked(xmlNodePtr obj)
{
    size_t n = 0;
    for (xmlNodePtr x = epp_child(obj, NULL, NULL); x; x = epp_next_sibling(x, NULL, NULL))
        if (++n > EPP_CHECK_MAX)
            return true;
    return false;
}

/* Parse, session rules, handler lookup and the check step. */
static void prepare(struct slot *s)
{
    struct epp_ctx *c = &s->ctx;
    const struct session_view *v = c->session;
    c->now = clock_now();
    epp_server_next_svtrid(c->server, c->svtrid);
    reg_err e = epp_command_parse(s->job->frame, s->job->frame_len, &c->cmd, &s->st);
    s->parsed = c->cmd.doc != NULL;
    if (e) {
        snprintf(s->command_name, sizeof s->command_name, s->parsed ? "invalid" : "unparsed");
        s->failed = true;
        return;
    }
    epp_command_name(&c->cmd, s->command_name, sizeof s->command_name);
    s->handler = epp_handler_find(c->cmd.kind, c->cmd.obj);
    bool session_cmd = c->cmd.kind == EPP_CMD_LOGIN || c->cmd.kind == EPP_CMD_HELLO;
    if (!v->logged_in && !session_cmd) {
        fail_slot(s, REG_ERR_USE, "log in first: only <hello> and <login> are allowed before login");
        return;
    }
    if (!s->handler) {
        char reason[96];
        snprintf(reason, sizeof reason, "%s is not implemented by this server", s->command_name);
        fail_slot(s, REG_ERR_UNIMPLEMENTED, reason);
        return;
    }
    if (c->cmd.kind == EPP_CMD_CHECK && too_many_checked(c->cmd.obj_node)) {
        char reason[64];
        snprintf(reason, sizeof reason, "at most %d names or ids per check", EPP_CHECK_MAX);
        fail_slot(s, REG_ERR_POLICY, reason);
        return;
    }
    c->w = epp_writer_new();
    if (!c->w) {
        fail_slot(s, REG_ERR_NOMEM, "out of memory");
        return;
    }
    if (s->handler->check && s->handler->check(c, &s->st))
        s->failed = true;
}

static void render_error(struct slot *s)
{
    struct epp_ctx *c = &s->ctx;
    epp_writer_free(c->w);
    c->w = epp_writer_new();
    c->code = c->force_code ? c->force_code : epp_result_for(s->st.code);
    if (!c->w)
        return;
    epp_w_result(c->w, c->code, s->st.reason[0] ? s->st.reason : NULL);
}

static void finish_response(struct slot *s)
{
    struct epp_ctx *c = &s->ctx;
    if (s->failed)
        render_error(s);
    if (c->raw_response && !s->failed) {
        s->job->response = c->raw_response;
        s->job->response_len = strlen(c->raw_response);
        c->raw_response = NULL;
    } else if (c->w) {
        s->job->response = epp_w_finish(c->w, c->cmd.cltrid, c->svtrid, &s->job->response_len);
        c->w = NULL;
    }
    s->job->result_code = c->code;
    if (epp_result_closes(c->code))
        s->job->close_after = true;
}

static void audit(db *d, struct slot *s)
{
    struct epp_ctx *c = &s->ctx;
    char *request = s->parsed ? epp_command_redacted(&c->cmd)
                              : epp_raw_redacted(s->job->frame, s->job->frame_len);
    const char *clid = c->session->logged_in ? c->session->clid
                       : c->cmd.kind == EPP_CMD_LOGIN && c->cmd.login.clid[0] ? c->cmd.login.clid
                                                                   : NULL;
    int64_t registrar = c->session->logged_in ? c->session->registrar_id
                        : s->job->login_ok    ? s->job->new_registrar_id
                                              : 0;
    struct audit_entry a = {
        .at = c->now,
        .registrar_id = registrar,
        .clid = clid,
        .session_id = c->session->id,
        .peer = c->session->peer,
        .svtrid = c->svtrid,
        .cltrid = c->cmd.cltrid,
        .command = s->command_name,
        .result_code = c->code,
        .duration_us = clock_mono_us() - s->job->started_us,
        .request = request ? request : "",
        .response = s->job->response ? s->job->response : "",
    };
    reg_status st;
    if (audit_epp_record(d, &a, &st))
        reg_log(LOG_ERROR, "epp", c->session->id, "audit-failed", "svtrid=%s", c->svtrid);
    free(request);
}

/* A command that lost a deadlock (PostgreSQL: two batches locking
 * registrars in opposite orders) is rolled back to its savepoint, which
 * releases its locks, and run again. */
#define EXECUTE_ATTEMPTS 3

static void reset_for_retry(struct slot *s)
{
    struct epp_ctx *c = &s->ctx;
    if (c->free_data)
        c->free_data(c->data);
    c->data = NULL;
    c->free_data = NULL;
    c->after_failure = NULL;
    epp_writer_free(c->w);
    c->w = epp_writer_new();
    reg_status_clear(&s->st);
}

/* The failed command's after_failure step, in the batch transaction: its
 * own failure only costs what it would have kept. */
static void run_after_failure(db *d, struct slot *s)
{
    reg_status st = {0};
    if (db_savepoint(d, "after"))
        return;
    if (s->ctx.after_failure(&s->ctx, &st)) {
        reg_log(LOG_ERROR, "epp", s->ctx.session->id, "after-failure", "svtrid=%s error=\"%s\"",
                s->ctx.svtrid, reg_status_text(&st));
        db_rollback_to(d, "after");
    }
    db_release(d, "after");
}

static void execute_one(db *d, struct slot *s)
{
    struct epp_ctx *c = &s->ctx;
    for (int attempt = 1; !s->failed && s->handler->execute; attempt++) {
        if (db_savepoint(d, "cmd")) {
            fail_slot(s, REG_ERR_DB, "database error");
            break;
        }
        if (!s->handler->execute(c, &s->st)) {
            if (db_release(d, "cmd"))
                fail_slot(s, REG_ERR_DB, "database error");
            break;
        }
        db_rollback_to(d, "cmd");
        db_release(d, "cmd");
        if (s->st.code != REG_ERR_DB_BUSY || attempt == EXECUTE_ATTEMPTS || !c->w) {
            s->failed = true;
            break;
        }
        reset_for_retry(s);
    }
    if (s->failed && c->after_failure)
        run_after_failure(d, s);
    finish_response(s);
    audit(d, s);
}

/* A failed commit un-does every command of the batch: tell each so. */
static void batch_lost(struct slot *slots, int n)
{
    for (int i = 0; i < n; i++) {
        struct slot *s = &slots[i];
        free(s->job->response);
        s->job->response = NULL;
        s->job->login_ok = false;
        s->failed = true;
        s->st.code = REG_ERR_DB;
        snprintf(s->st.reason, sizeof s->st.reason, "the command was not saved; try again");
        finish_response(s);
    }
}

static void run_batch(struct epp_pool *p, db *d, struct epp_job *jobs, int n)
{
    struct slot *slots = calloc((size_t)n, sizeof *slots);
    if (!slots)
        return;
    int i = 0;
    for (struct epp_job *j = jobs; j; j = j->next, i++) {
        slots[i].job = j;
        slots[i].ctx = (struct epp_ctx){.db = d, .cfg = p->cfg, .policy = epp_server_policy(p->srv),
                                        .server = p->srv, .job = j, .session = &j->view};
        prepare(&slots[i]);
    }
    /* a batch that only reads commits without waiting for the disk: its
     * audit rows are flushed by the next durable commit */
    bool lazy = true;
    for (i = 0; i < n && lazy; i++)
        lazy = slots[i].failed || (slots[i].handler && slots[i].handler->read_only);
    if (p->serialize_writes)
        pthread_mutex_lock(&p->write_lock);
    reg_err e = lazy ? db_begin_lazy(d) : db_begin(d);
    for (i = 0; i < n && !e; i++)
        execute_one(d, &slots[i]);
    if (!e)
        e = db_commit(d);
    if (p->serialize_writes)
        pthread_mutex_unlock(&p->write_lock);
    if (e) {
        reg_log(LOG_ERROR, "epp", NULL, "commit-failed", "commands=%d error=\"%s\"", n, db_errmsg(d));
        batch_lost(slots, n);
    }
    for (i = 0; i < n; i++) {
        struct slot *s = &slots[i];
        if (s->ctx.free_data)
            s->ctx.free_data(s->ctx.data);
        epp_writer_free(s->ctx.w);
        free(s->ctx.raw_response);
        epp_command_free(&s->ctx.cmd);
    }
    free(slots);
    /* hand back only after the commit: no response before durability */
    for (struct epp_job *j = jobs, *next; j; j = next) {
        next = j->next;
        epp_server_complete(p->srv, j);
    }
}

static void *worker_main(void *arg)
{
    struct worker_arg *wa = arg;
    struct epp_pool *p = wa->pool;
    for (;;) {
        int n;
        struct epp_job *jobs = take_batch(p, (int)p->cfg->epp_batch_max, &n);
        if (!jobs)
            break;
        run_batch(p, wa->db, jobs, n);
    }
    epp_schema_thread_cleanup();
    free(wa);
    return NULL;
}

reg_err epp_pool_start(struct epp_server *srv, const struct reg_config *cfg,
                       struct epp_pool **out, char *err, size_t errlen)
{
    struct epp_pool *p = calloc(1, sizeof *p);
    if (!p)
        return REG_ERR_NOMEM;
    p->srv = srv;
    p->cfg = cfg;
    p->nthreads = (int)cfg->epp_workers;
    p->threads = calloc((size_t)p->nthreads, sizeof *p->threads);
    p->dbs = calloc((size_t)p->nthreads, sizeof *p->dbs);
    pthread_mutex_init(&p->lock, NULL);
    pthread_mutex_init(&p->write_lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    for (int i = 0; i < p->nthreads; i++) {
        reg_err e = db_open(cfg->database_url, &p->dbs[i], err, errlen);
        if (e) {
            p->nthreads = i;
            epp_pool_stop(p);
            return e;
        }
    }
    p->serialize_writes = p->nthreads && db_kind_of(p->dbs[0]) == DB_SQLITE;
    for (int i = 0; i < p->nthreads; i++) {
        struct worker_arg *wa = malloc(sizeof *wa);
        wa->pool = p;
        wa->db = p->dbs[i];
        pthread_create(&p->threads[i], NULL, worker_main, wa);
    }
    *out = p;
    return REG_OK;
}

void epp_pool_stop(struct epp_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nthreads; i++)
        if (p->threads[i])
            pthread_join(p->threads[i], NULL);
    for (int i = 0; i < p->nthreads; i++)
        db_close(p->dbs[i]);
    pthread_mutex_destroy(&p->lock);
    pthread_mutex_destroy(&p->write_lock);
    pthread_cond_destroy(&p->wake);
    free(p->threads);
    free(p->dbs);
    free(p);
}
