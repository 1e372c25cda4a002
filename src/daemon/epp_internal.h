/* Internal to the EPP service: jobs passed from the event loop to the
 * workers, the per-command context handlers see, and the handler table. */
#ifndef REG_EPP_INTERNAL_H
#define REG_EPP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "config/config.h"
#include "contrib/status.h"
#include "epp/command.h"
#include "epp/writer.h"
#include "registry/op.h"
#include "store/db.h"

struct epp_server;
struct epp_session;

/* What a worker may know of the session (a copy: sessions belong to the
 * event loop thread). */
struct session_view {
    char id[24];
    char peer[64];
    char cert_fp[65];
    bool logged_in;
    char clid[17];
    int64_t registrar_id;
    int login_failures;
};

struct epp_job {
    struct epp_session *session; /* touched only on the loop thread */
    struct session_view view;
    char *frame;
    size_t frame_len;
    int64_t started_us;
    /* results, filled by the worker */
    char *response;
    size_t response_len;
    int result_code;
    bool close_after;
    bool login_ok;
    bool login_failed;
    bool holds_session_slot; /* a slot was taken for view.registrar_id */
    char new_clid[17];
    int64_t new_registrar_id;
    struct epp_job *next;
};

/* One command being executed. */
struct epp_ctx {
    db *db;
    const struct reg_config *cfg;
    const struct registry_policy *policy;
    struct epp_server *server;
    struct epp_job *job;
    const struct session_view *session;
    struct epp_command cmd;
    char svtrid[40];
    reg_time now;
    epp_writer *w;     /* the handler writes result, msgQ, resData, extension */
    int code;          /* result code written by the handler */
    int force_code;    /* on failure, answer this code instead of the mapped one */
    char *raw_response; /* a whole document instead of a <response> (hello) */
    void *data;        /* handler's own state between check and execute */
    void (*free_data)(void *data);
    /* Set by a failing execute for what must outlive the failure (a wrong
     * one-time password counts, R16): run after the command's savepoint
     * was rolled back, under a savepoint of its own. */
    reg_err (*after_failure)(struct epp_ctx *c, reg_status *st);
};

/* {command, object} → handler. check runs outside any transaction (parsing,
 * validation, expensive work such as password hashing); execute runs in the
 * batch transaction and must leave it usable (errors roll back to the
 * command's savepoint). Both return REG_OK or an error with a reason; on
 * success execute has written the result via epp_reply(). */
struct epp_handler {
    epp_cmd_kind kind;
    epp_obj_kind obj;
    bool needs_login;
    reg_err (*check)(struct epp_ctx *c, reg_status *st);
    reg_err (*execute)(struct epp_ctx *c, reg_status *st);
    /* changes nothing but its audit row: its batch may commit lazily */
    bool read_only;
};

const struct epp_handler *epp_handler_find(epp_cmd_kind kind, epp_obj_kind obj);
/* Handler tables, one per file, each ending with an entry whose execute
 * is NULL. */
extern const struct epp_handler epp_session_handlers[];
extern const struct epp_handler epp_contact_handlers[];
extern const struct epp_handler epp_host_handlers[];
extern const struct epp_handler epp_domain_handlers[];
extern const struct epp_handler epp_account_handlers[];

struct poll_msg;
/* resData (and extension) of a poll message about a domain: a transfer →
 * domain:trnData; a change → domain:infData + RFC 8590
 * changePoll:changeData; a pending action's end → domain:panData. */
void epp_domain_write_poll_data(epp_writer *w, const struct poll_msg *m);
/* The same for a poll message about a contact (contact:trnData). */
void epp_contact_write_poll_data(epp_writer *w, const struct poll_msg *m);

/* The registry operation context for this command (acting registrar,
 * channel "epp", svTRID, now). */
struct reg_op epp_op(const struct epp_ctx *c);
const struct registry_policy *epp_server_policy(const struct epp_server *s);
/* The handler's state between check and execute: size zeroed bytes kept
 * in c->data and released with free_data when the command ends. NULL with
 * st set (out of memory) when it cannot be had. */
void *epp_state_new(struct epp_ctx *c, size_t size, void (*free_data)(void *), reg_status *st);
/* Writes <result code=…> for a success; handlers then add resData. */
void epp_reply(struct epp_ctx *c, int code);
/* The same with a <msg> of our own (see epp_w_result_msg). */
void epp_reply_msg(struct epp_ctx *c, int code, const char *msg);

/* Session slots per registrar ([epp] max_sessions), shared by workers. */
bool epp_server_take_slot(struct epp_server *s, int64_t registrar_id);
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
