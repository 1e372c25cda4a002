/* Running a prepared command in a transaction, its audit row, and one
 * command outside any session (the portal's XML console). registryd's
 * workers and the console share the first two, so a command is executed
 * and logged the same way wherever it comes from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "eppd_internal.h"
#include "registry/audit.h"

/* A command that lost a deadlock (PostgreSQL: two batches locking
 * registrars in opposite orders) is rolled back to its savepoint, which
 * releases its locks, and run again. */
#define EXECUTE_ATTEMPTS 3

/* RELEASE of a savepoint; when it fails (it reports the failure of a
 * write the command deferred, db_defer_writes), what the savepoint holds
 * is undone, so the transaction goes on without it. */
static reg_err release_or_undo(db *d, const char *name)
{
    reg_err e = db_release(d, name);
    if (e) {
        db_rollback_to(d, name);
        db_release(d, name);
    }
    return e;
}

/* The failed command's after-failure step: its own failure only costs
 * what it would have kept. */
static void run_after_failure(db *d, struct eppd_cmd *c)
{
    reg_status st = {0};
    if (db_savepoint(d, "after"))
        return;
    if (eppd_after_failure(c, &st)) {
        reg_log(LOG_ERROR, "epp", c->session->id, "after-failure", "svtrid=%s error=\"%s\"",
                c->svtrid, reg_status_text(&st));
        db_rollback_to(d, "after");
        db_release(d, "after");
    } else if (release_or_undo(d, "after")) {
        reg_log(LOG_ERROR, "epp", c->session->id, "after-failure", "svtrid=%s error=\"%s\"",
                c->svtrid, db_errmsg(d));
    }
}

void eppd_execute_in(db *d, struct eppd_cmd *c, void (*forget)(struct eppd_cmd *c, void *arg),
                     void *arg)
{
    /* Writes whose outcome the command does not read (its ledger row,
     * links, history, poll messages) go to PostgreSQL without waiting, each
     * answered with the statement after it (issue 18: round trips). The
     * RELEASE of the command's savepoint answers the last ones, so every
     * outcome is known before the command's answer is made; a failure
     * there undoes the command alone. */
    db_defer_writes(d, true);
    for (int attempt = 1; eppd_runs(c); attempt++) {
        if (db_savepoint(d, "cmd")) {
            eppd_fail(c, REG_ERR_DB, "database error");
            break;
        }
        reg_err e = eppd_execute(c);
        if (!e) {
            if (release_or_undo(d, "cmd"))
                eppd_fail(c, REG_ERR_DB, "database error");
            break;
        }
        db_rollback_to(d, "cmd");
        db_release(d, "cmd");
        if (e != REG_ERR_DB_BUSY || attempt == EXECUTE_ATTEMPTS)
            break;
        if (forget)
            forget(c, arg);
        eppd_retry(c);
    }
    if (eppd_has_after_failure(c))
        run_after_failure(d, c);
    db_defer_writes(d, false);
}

bool eppd_audit_row(const struct eppd_cmd *c, const char *frame, size_t frame_len,
                    const char *response, int result_code, int64_t started_us,
                    struct audit_entry *row, char **raw)
{
    const struct eppd_session *v = c->session;
    *raw = NULL;
    bool hello = c->parsed && !c->failed && c->req.kind == EPP_CMD_HELLO;
    if (hello && !v->logged_in)
        return false;
    if (!c->parsed)
        *raw = epp_raw_redacted(frame, frame_len);
    const char *login_clid = c->req.kind == EPP_CMD_LOGIN && c->req.u.login.clid && *c->req.u.login.clid
                                 ? c->req.u.login.clid
                                 : NULL;
    *row = (struct audit_entry){
        .at = c->now,
        .registrar_id = v->logged_in ? v->registrar_id : c->out.login_ok ? c->out.new_registrar_id : 0,
        .clid = v->logged_in ? v->clid : login_clid,
        .session_id = v->id,
        .peer = v->peer,
        .svtrid = c->svtrid,
        .cltrid = c->req.cltrid,
        .command = c->name,
        .result_code = result_code,
        .duration_us = clock_mono_us() - started_us,
        .request = c->parsed ? c->req.redacted : *raw ? *raw : "",
        .response = response ? response : "",
    };
    return true;
}

/* The operator's line for audit rows not written: which commands, why. */
static void log_failed(const struct audit_entry *rows, size_t n, const bool *failed,
                       const char *why)
{
    char quoted[600];
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += !failed || failed[i];
    for (size_t i = 0; i < n; i++)
        if (!failed || failed[i])
            reg_log(LOG_ERROR, "epp", rows[i].session_id, "audit-failed",
                    "svtrid=%s command=%s rows_failed=%zu error=%s", rows[i].svtrid,
                    rows[i].command, count, log_quote(why, quoted, sizeof quoted));
}

bool eppd_audit_write(db *d, const struct audit_entry *rows, size_t n)
{
    if (!n)
        return true;
    bool one, *failed = n == 1 ? &one : calloc(n, sizeof *failed);
    reg_status st;
    reg_err e = audit_epp_record_rows(d, rows, n, failed, &st);
    /* with the connection lost the batch is not saved at all: the driver
     * logs that once */
    if (e && !db_lost(d))
        log_failed(rows, n, failed, st.reason);
    if (failed != &one)
        free(failed);
    return !e;
}

void eppd_audit_commit_failed(db *d, const struct audit_entry *rows, size_t n)
{
    if (n && db_deferred_failed(d) && !db_lost(d))
        log_failed(rows, n, NULL, db_errmsg(d));
}

void eppd_audit(db *d, const struct eppd_cmd *c, const char *frame, size_t frame_len,
                const char *response, int result_code, int64_t started_us)
{
    struct audit_entry row;
    char *raw;
    if (eppd_audit_row(c, frame, frame_len, response, result_code, started_us, &row, &raw))
        (void)eppd_audit_write(d, &row, 1);
    free(raw);
}

/* ---- the XML console ------------------------------------------------------------------ */

/* The session commands make no sense there: the console is logged in as
 * the portal user's registrar for as long as the portal session lasts. */
static bool session_command(const struct eppd_cmd *c)
{
    return c->parsed && strcmp(c->name, "invalid") && strcmp(c->name, "unparsed") &&
           (c->req.kind == EPP_CMD_HELLO || c->req.kind == EPP_CMD_LOGIN ||
            c->req.kind == EPP_CMD_LOGOUT);
}

reg_err eppd_run_alone(const struct eppd_env *env, const struct eppd_session *session,
                       const char *svtrid, const char *frame, size_t len, char **response,
                       int *code, reg_status *st)
{
    int64_t started = clock_mono_us();
    struct eppd_cmd c;
    *response = NULL;
    eppd_cmd_init(&c, env, session, svtrid, clock_now());
    eppd_prepare(&c, frame, len);
    if (!c.req.cltrid[0])
        snprintf(c.req.cltrid, sizeof c.req.cltrid, "console-%s", svtrid);
    if (session_command(&c))
        eppd_fail(&c, REG_ERR_USE,
                  "<hello>, <login> and <logout> are not taken in the XML console: it is logged "
                  "in as your registrar already");
    db *d = env->db;
    reg_err e = eppd_read_only(&c) ? db_begin_lazy(d) : db_begin(d);
    if (!e) {
        eppd_execute_in(d, &c, NULL, NULL);
        size_t rlen;
        *response = eppd_response(&c, &rlen, code);
        eppd_audit(d, &c, frame, len, *response, *code, started);
        e = db_lost(d) ? REG_ERR_DB_DOWN : db_commit(d);
        if (e && db_in_transaction(d))
            db_rollback(d);
    }
    if (e) {
        free(*response);
        *response = NULL;
        reg_fail(st, e, "the command was not saved (the registry database failed); try again");
    } else if (!*response) {
        e = reg_fail(st, REG_ERR_NOMEM, "the response could not be written");
    }
    eppd_cmd_release(&c);
    return e;
}
