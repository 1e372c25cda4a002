/* The EPP front as a library (DESIGN §2): one command from frame to
 * response, through the dispatch table {command, object, login rule,
 * check, execute, read_only} and one thin handler per object family
 * (decode → registry operation → encode). registryd's workers drive it
 * inside their group-commit transactions; the portal's XML console and
 * the fuzzers use the very same pipeline.
 *
 *   struct eppd_cmd c;
 *   eppd_cmd_init(&c, &env, &session, svtrid, now);
 *   eppd_prepare(&c, frame, len);      // decode + check step, no transaction
 *   if (eppd_runs(&c)) {               // inside the caller's transaction,
 *       savepoint;                     // under a savepoint of its own:
 *       if (eppd_execute(&c)) rollback to savepoint (then eppd_retry or
 *                               eppd_after_failure as the error says);
 *   }
 *   xml = eppd_response(&c, &len);     // after the commit
 *   eppd_cmd_release(&c);
 */
#ifndef REG_EPPD_H
#define REG_EPPD_H

#include <stdbool.h>
#include <stdint.h>
#include "config/config.h"
#include "contrib/arena.h"
#include "contrib/status.h"
#include "epp/request.h"
#include "epp/response.h"
#include "registry/audit.h"
#include "registry/policy.h"
#include "store/db.h"

/* The largest frame taken before login: a login with every service we
 * offer is about 1.2 KiB. */
#define EPPD_LOGIN_FRAME_MAX 4096

/* What a command may know of its session (a copy). */
struct eppd_session {
    char id[24];
    char peer[64];
    char cert_fp[65];
    bool logged_in;
    char clid[17];
    int64_t registrar_id;
    int login_failures;
    int errors_before_login; /* [epp] max_errors */
    epp_svcs services; /* announced at login (RFC 5730 §2.9.1.1) */
    char channel[24]; /* history's channel: "" for "epp" (the XML console's own) */
};

/* The process around the commands: per-registrar session slots. */
struct eppd_env {
    db *db;
    const struct reg_config *cfg;
    const struct registry_policy *policy;
    bool (*take_slot)(void *arg, int64_t registrar_id);
    void *slot_arg;
};

/* What the session must change after the command. */
struct eppd_outcome {
    bool close_after;
    bool login_ok;
    bool login_failed;
    bool holds_slot; /* a slot was taken for new_registrar_id */
    bool error_before_login; /* counts toward [epp] max_errors */
    char new_clid[17];
    int64_t new_registrar_id;
    epp_svcs new_services;
};

struct eppd_handler;
struct eppd_defer;

struct eppd_cmd {
    const struct eppd_env *env;
    const struct eppd_session *session;
    char svtrid[40];
    reg_time now;
    struct arena arena;
    struct epp_request req;
    bool parsed; /* req.redacted holds the request as XML */
    char name[48]; /* "domain:create"; "invalid" or "unparsed" when decoding failed */
    const struct eppd_handler *handler;
    bool failed;
    reg_status st;
    int force_code; /* on failure, answer this code instead of the mapped one */
    struct epp_response resp;
    char *greeting; /* hello: the whole document (malloc'd) */
    void *state;    /* the handler's, from check to execute (arena) */
    reg_err (*after_failure)(struct eppd_cmd *c, reg_status *st);
    struct eppd_defer *defers;
    struct eppd_outcome out;
};

void eppd_cmd_init(struct eppd_cmd *c, const struct eppd_env *env,
                   const struct eppd_session *session, const char *svtrid, reg_time now);
/* Decode, login rule, login services, the handler's check step. */
void eppd_prepare(struct eppd_cmd *c, const char *frame, size_t len);
/* The same for a command that only reads; false, once the frame is read
 * and names a command that writes, with nothing more done (no schema
 * check, no check step): release c. */
bool eppd_prepare_reads(struct eppd_cmd *c, const char *frame, size_t len);
/* Is there an execute step to run (nothing failed so far)? Does the
 * command only read (its transaction may commit lazily)? */
bool eppd_runs(const struct eppd_cmd *c);
bool eppd_read_only(const struct eppd_cmd *c);
/* The execute step, inside the caller's transaction and savepoint. An
 * error leaves c->st set and the caller rolls back to its savepoint. */
reg_err eppd_execute(struct eppd_cmd *c);
/* After an execute that failed with REG_ERR_DB_BUSY was rolled back:
 * forget its effects so it can run again. */
void eppd_retry(struct eppd_cmd *c);
/* Does the failed command keep something despite the rollback (a wrong
 * one-time password counts, R16)? Run it under a savepoint of its own. */
bool eppd_has_after_failure(const struct eppd_cmd *c);
reg_err eppd_after_failure(struct eppd_cmd *c, reg_status *st);
/* Marks the command failed (the caller's database error, a lost commit). */
void eppd_fail(struct eppd_cmd *c, reg_err code, const char *reason);
/* The response document (malloc'd) and its result code. */
char *eppd_response(struct eppd_cmd *c, size_t *len, int *code);
void eppd_cmd_release(struct eppd_cmd *c);

/* The execute step in d's open transaction, under a savepoint of its own;
 * a command that lost a deadlock (REG_ERR_DB_BUSY) is rolled back to it
 * and run again, up to 3 times, forget(c, arg) (may be NULL) undoing what
 * the session took before each new run; then the after-failure step. */
void eppd_execute_in(db *d, struct eppd_cmd *c, void (*forget)(struct eppd_cmd *c, void *arg),
                     void *arg);
/* The command's audit row (DESIGN §4 epp_log) in d's open transaction:
 * the request as decoded (secrets redacted) or, for a frame that was not
 * XML, a shortened prefix of it. A hello before login leaves none: anyone
 * may send them by the thousand (issue 12). */
void eppd_audit(db *d, const struct eppd_cmd *c, const char *frame, size_t frame_len,
                const char *response, int result_code, int64_t started_us);
/* The same in two steps, so a batch's rows go in few statements (issue 18):
 * the command's row as eppd_audit would write it, its duration measured
 * now; false (nothing to write) for a hello before login. The row points
 * into c, frame and response, and into *raw (free it after the write; NULL
 * when none), which must outlive the write. */
bool eppd_audit_row(const struct eppd_cmd *c, const char *frame, size_t frame_len,
                    const char *response, int result_code, int64_t started_us,
                    struct audit_entry *row, char **raw);
/* rows[0..n-1] in d's open transaction (audit_epp_record_rows); one
 * event=audit-failed line for each row not written. False when that
 * happened (the lines are written). */
bool eppd_audit_write(db *d, const struct audit_entry *rows, size_t n);
/* After the commit of d's transaction failed, when eppd_audit_write had
 * found nothing wrong: if the failure was that of the deferred audit rows
 * (PostgreSQL reports a deferred write's error with the COMMIT;
 * db_deferred_failed), an event=audit-failed line for each of
 * rows[0..n-1], the rows the transaction deferred, none of them saved. */
void eppd_audit_commit_failed(db *d, const struct audit_entry *rows, size_t n);

/* The portal's XML console (R12): one whole document outside any TCP
 * session, as `session` (logged in, its registrar, channel and actor) in a
 * transaction of its own on env->db, through the same decoding, schema
 * check, dispatch and handlers, audited like a session's command. A
 * missing clTRID is filled in; <hello>, <login> and <logout> are refused
 * (2002). *response (malloc'd) and *code are the answer; an error return
 * (with st) means nothing was saved. */
reg_err eppd_run_alone(const struct eppd_env *env, const struct eppd_session *session,
                       const char *svtrid, const char *frame, size_t len, char **response,
                       int *code, reg_status *st);

#endif
