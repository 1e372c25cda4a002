/* Internal to the EPP service: jobs passed from the event loop to the
 * workers, and what the workers need of the server. The commands
 * themselves run through src/eppd (the handlers as a library). */
#ifndef REG_EPP_INTERNAL_H
#define REG_EPP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "config/config.h"
#include "contrib/status.h"
#include "eppd/eppd.h"

struct epp_server;
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
    struct eppd_outcome out;
    struct epp_job *next;
};

const struct registry_policy *epp_server_policy(const struct epp_server *s);
/* Session slots per registrar ([epp] max_sessions), shared by workers
 * (the eppd_env take_slot hook). */
bool epp_server_take_slot(void *server, int64_t registrar_id);
void epp_server_release_slot(struct epp_server *s, int64_t registrar_id);
/* Unique svTRID for this process. */
void epp_server_next_svtrid(struct epp_server *s, char out[40]);
/* Hand a finished job back to the event loop. */
void epp_server_complete(struct epp_server *s, struct epp_job *job);

/* Worker pool (epp_workers.c). */
struct epp_pool;
reg_err epp_pool_start(struct epp_server *srv, const struct reg_config *cfg,
                       struct epp_pool **out, char *err, size_t errlen);
void epp_pool_submit(struct epp_pool *p, struct epp_job *job);
void epp_pool_stop(struct epp_pool *p);

void epp_job_free(struct epp_job *job);

#endif
