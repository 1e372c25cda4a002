/* The job scheduler: every [jobs] tick it runs the due jobs; in between,
 * a commit that queued mail or SMS wakes it to run outbox-deliver at
 * once, so a confirmation link or one-time password goes out within a
 * second instead of at the job's next interval (which stays as the
 * fallback: retries, mail queued by regctl). */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "contrib/log.h"
#include "contrib/thread_name.h"
#include "daemon.h"
#include "jobs/jobs.h"
#include "notify/outbox.h"

struct scheduler {
    const struct reg_config *cfg;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    bool queued; /* a committed transaction queued a message */
    db *db;
};

/* The one scheduler of the process, for the outbox hook. */
static struct scheduler *running;

static void on_queued(void)
{
    struct scheduler *s = running;
    pthread_mutex_lock(&s->lock);
    s->queued = true;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
}

static void *scheduler_main(void *arg)
{
    struct scheduler *s = arg;
    struct timespec next = {0}; /* the next tick */
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        bool deliver = s->queued;
        s->queued = false;
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        bool tick = now.tv_sec > next.tv_sec ||
                    (now.tv_sec == next.tv_sec && now.tv_nsec >= next.tv_nsec);
        pthread_mutex_unlock(&s->lock);
        reg_status st = {0};
        if (tick) {
            struct jobs_request req = {.now = clock_now()};
            jobs_run(s->db, s->cfg, &req, &st);
            next = now;
            next.tv_sec += s->cfg->jobs_tick;
        }
        if (deliver) {
            struct jobs_request req = {.now = clock_now(), .force = true,
                                       .only = "outbox-deliver"};
            jobs_run(s->db, s->cfg, &req, &st);
        }
        pthread_mutex_lock(&s->lock);
        while (!s->stopping && !s->queued &&
               pthread_cond_timedwait(&s->wake, &s->lock, &next) == 0)
            ;
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

reg_err scheduler_start(const struct reg_config *cfg, struct scheduler **out)
{
    struct scheduler *s = calloc(1, sizeof *s);
    if (!s)
        return REG_ERR_NOMEM;
    char err[512];
    reg_err e = db_open(cfg->database_url, &s->db, err, sizeof err);
    if (e) {
        reg_log(LOG_ERROR, "jobs", NULL, "db-open", "error=\"%s\"", err);
        free(s);
        return e;
    }
    s->cfg = cfg;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_create(&s->thread, NULL, scheduler_main, s)) {
        db_close(s->db);
        free(s);
        return REG_ERR_INTERNAL;
    }
    thread_name(s->thread, "jobs", -1);
    running = s;
    outbox_on_queued(on_queued);
    *out = s;
    return REG_OK;
}

void scheduler_stop(struct scheduler *s)
{
    if (!s)
        return;
    /* the servers are stopped: no commit calls on_queued any more */
    outbox_on_queued(NULL);
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    db_close(s->db);
    free(s);
}
