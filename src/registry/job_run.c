#include "job_run.h"

#include <stdio.h>
#include <string.h>

reg_err job_run_last(db *d, const char *name, struct job_run *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    db_stmt *s =
        db_query(d, "SELECT last_start, last_status, last_ok, left_due FROM job_run WHERE name = ?");
    db_bind_text(s, 1, name);
    if (db_next(s)) {
        out->ran = true;
        out->last_start = db_col_int(s, 0);
        const char *status = db_col_text(s, 1);
        snprintf(out->last_status, sizeof out->last_status, "%s", status ? status : "");
        out->succeeded = !db_col_is_null(s, 2);
        out->last_ok = out->succeeded ? db_col_int(s, 2) : 0;
        out->left = db_col_int(s, 3);
    }
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "cannot read job state: %s", db_errmsg(d)) : REG_OK;
}

reg_err job_run_record(db *d, const char *name, reg_time start, reg_time finish, bool ok,
                       const char *message, reg_status *st)
{
    return job_run_finish(d, name, start, finish, ok, message, 0, st);
}

reg_err job_run_finish(db *d, const char *name, reg_time start, reg_time finish, bool ok,
                       const char *message, int64_t left, reg_status *st)
{
    db_stmt *s = db_query(d, "INSERT INTO job_run (name, last_start, last_finish, last_status, "
                             "last_message, runs, last_ok, left_due) VALUES (?, ?, ?, ?, ?, 1, "
                             "?, ?) ON CONFLICT (name) DO UPDATE SET last_start = "
                             "excluded.last_start, last_finish = excluded.last_finish, "
                             "last_status = excluded.last_status, last_message = "
                             "excluded.last_message, runs = job_run.runs + 1, "
                             "last_ok = COALESCE(excluded.last_ok, job_run.last_ok), "
                             "left_due = excluded.left_due");
    db_bind_text(s, 1, name);
    db_bind_int(s, 2, start);
    db_bind_int(s, 3, finish);
    db_bind_text(s, 4, ok ? "ok" : "failed");
    db_bind_text(s, 5, message);
    db_bind_int_or_null(s, 6, ok, start);
    db_bind_int(s, 7, left);
    reg_err e = db_run(s);
    return e ? reg_fail(st, e, "recording the run failed: %s", db_errmsg(d)) : REG_OK;
}
