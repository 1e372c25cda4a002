/* Internal to the EPP service: jobs passed from the event loop to the
 * workers, and what the workers need of the server. The commands
 * themselves run through src/eppd (the handlers as a library). */
#ifndef REG_EPP_INTERNAL_H
#define REG_EPP_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "config/config.h"
#include "contrib/status.h"
#include "eppd/eppd.h"
#include "registry/audit.h"

struct epp_session;

struct epp_job {
    struct epp_session *session;  /* touched only on the loop thread */
    struct eppd_session view;     /* what the command may know (a copy) */
    char *frame;
    size_t frame_len;
    int64_t started_us;
    /* results, filled by the worker */
    char *response;
    size_t response_len;
    int result_code;
    bool hello; /* a <hello> answered with the greeting */
    bool read_only; /* the command only read (eppd_read_only) */
    bool ran_here;  /* epp_pool_run_here ran it */
    /* the EPP log's writer: the session's rows queued so far were up to
     * this ticket (epp_audit_queue) when the job was made, and are in the
     * database before the job writes; after it ran, its own rows' */
    uint64_t audit_after, audit_ticket;
    struct eppd_outcome out;
    struct epp_job *next;
};

/* What the worker pool needs of the server that owns it (epp_server.c),
 * so the workers never call back into the listener. */
struct epp_pool_owner {
    void *arg;
    const struct registry_policy *policy;
    /* session slots per registrar ([epp] max_sessions) */
    bool (*take_slot)(void *arg, int64_t registrar_id);
    void (*release_slot)(void *arg, int64_t registrar_id);
    /* a unique svTRID for this process */
    void (*next_svtrid)(void *arg, char out[40]);
    /* hand a finished job back to the event loop */
    void (*complete)(void *arg, struct epp_job *job);
};

/* Worker pool (epp_workers.c). */
struct epp_pool;
reg_err epp_pool_start(const struct epp_pool_owner *owner, const struct reg_config *cfg,
                       struct epp_pool **out, char *err, size_t errlen);
void epp_pool_submit(struct epp_pool *p, struct epp_job *job);
/* On SQLite, runs a logged-in session's command on the calling thread (the
 * event loop), on a connection of the pool's kept for it, when no command
 * is with the workers and this one only reads: its rows go to the EPP
 * log's writer, and it is completed as a worker's would be. false: nothing
 * of it was done (it writes, or the workers are busy); submit it. */
bool epp_pool_run_here(struct epp_pool *p, struct epp_job *job);
void epp_pool_stop(struct epp_pool *p);

void epp_job_free(struct epp_job *job);

/* The audit rows of read-only batches, written in groups by a thread of
 * their own (epp_audit.c). write_lock: the pool's (SQLite's one writer),
 * taken around each group's transaction; NULL for none. */
struct epp_audit;
reg_err epp_audit_start(const struct reg_config *cfg, pthread_mutex_t *write_lock,
                        struct epp_audit **out, char *err, size_t errlen);
/* Copies rows[0..n-1] into the queue, in order; waits while it is full.
 * Returns their ticket: epp_audit_wait(q, it) returns once they are
 * written. */
uint64_t epp_audit_queue(struct epp_audit *q, const struct audit_entry *rows, size_t n);
/* Could rows of `bytes` in all be queued now without waiting? */
bool epp_audit_has_room(struct epp_audit *q, size_t bytes);
/* Returns once every row up to ticket (epp_audit_queue) is written (or
 * its failure logged); at once for ticket 0. */
void epp_audit_wait(struct epp_audit *q, uint64_t ticket);
/* registryd is stopping: the writer no longer waits for a database that
 * is down (rows it cannot write are logged as lost); it still writes
 * what it can until epp_audit_stop. */
void epp_audit_hurry(struct epp_audit *q);
/* Writes what is queued, then ends the thread. */
void epp_audit_stop(struct epp_audit *q);

#endif
