/* The record of each scheduled job's last run (table job_run): the
 * scheduler (src/jobs) reads it to know what is due and writes it after
 * each run; `regctl jobs list` shows it.
 *
 * Here and not in the store: the store is the driver, the schema and the
 * leases, and knows no table's rows; every table is read and written by
 * the registry (or notify) module that owns it, bookkeeping included
 * (audit.c's epp_log likewise). */
#ifndef REG_JOB_RUN_H
#define REG_JOB_RUN_H

#include <stdbool.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "store/db.h"

struct job_run {
    bool ran; /* false: never ran, the rest is empty */
    reg_time last_start;
    char last_status[16]; /* "ok" or "failed" */
    bool succeeded;       /* false: no run has succeeded yet */
    reg_time last_ok;     /* start of the last run that succeeded */
    int64_t left;         /* due things the last run left when its time budget ran out */
};

/* The last run of job `name`. */
reg_err job_run_last(db *d, const char *name, struct job_run *out, reg_status *st);
/* Records a run of job `name` from start to finish, ok (then it is the
 * last success) or failed with its message, and counts it. */
reg_err job_run_record(db *d, const char *name, reg_time start, reg_time finish, bool ok,
                       const char *message, reg_status *st);
/* The same with how many due things the run left (its time budget ran
 * out): the scheduler runs it again at its next tick while that is > 0. */
reg_err job_run_finish(db *d, const char *name, reg_time start, reg_time finish, bool ok,
                       const char *message, int64_t left, reg_status *st);

#endif
