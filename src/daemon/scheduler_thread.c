#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "contrib/log.h"
#include "daemon.h"
#include "jobs/jobs.h"

struct scheduler {
    const struct reg_config *cfg;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    db *db;
};

static void *scheduler_main(void *arg)
{
    struct scheduler *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        pthread_mutex_unlock(&s->lock);
        struct jobs_request req = {.now = clock_now()};
        reg_status st = {0};
        jobs_run(s->db, s->cfg, &req, &st);
        pthread_mutex_lock(&s->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += s->cfg->jobs_tick;
        while (!s->stopping && pthread_cond_timedwait(&s->wake, &s->lock, &until) == 0)
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
    *out = s;
    return REG_OK;
}

void scheduler_stop(struct scheduler *s)
{
    if (!s)
        return;
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
