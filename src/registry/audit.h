/* The EPP audit log (DESIGN §4 epp_log): every command's redacted request
 * and response with who, which session, svTRID, result and duration. */
#ifndef REG_AUDIT_H
#define REG_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "store/db.h"

struct audit_entry {
    reg_time at;
    int64_t registrar_id; /* 0 = none (before login) */
    const char *clid;
    const char *session_id;
    const char *peer;
    const char *svtrid;
    const char *cltrid;
    const char *command;
    int result_code;
    int64_t duration_us;
    const char *request;
    const char *response;
};

/* A registrar_id whose registrar is gone (deleted while one of its
 * sessions was open) is stored as none: clid keeps the handle. */
reg_err audit_epp_record(db *d, const struct audit_entry *a, reg_status *st);

/* Most rows in one INSERT of audit_epp_record_rows. */
#define AUDIT_ROWS_PER_STATEMENT 32
/* Rows a[0..n-1], in that order, as audit_epp_record writes each, in few
 * statements (issue 18: a group commit's rows, one INSERT step instead of
 * one a row): multi-row INSERTs of 32, 16, 8, 4, 2 or 1 rows (a handful of
 * cached statements). A statement that fails is done again a row at a time
 * on SQLite, where a failed statement leaves the transaction as it was, so
 * one bad row costs only itself there; on PostgreSQL it has aborted the
 * transaction, and every row is marked failed. failed (may be NULL) gets,
 * for each row, whether it is known not written. Written deferred, like audit_epp_record, when the
 * caller allows it (db_defer_writes): then an error shows at the commit.
 * Returns the first error (st says which). */
reg_err audit_epp_record_rows(db *d, const struct audit_entry *a, size_t n, bool *failed,
                              reg_status *st);

#define AUDIT_OBJECT_KEYS 2

/* Every criterion given must hold. */
struct audit_filter {
    const char *registrar; /* handle, or NULL for all */
    const char *svtrid;    /* that command only */
    const char *cltrid;    /* the client's transaction id */
    /* commands whose request or response holds one of these as an
     * element's whole text (<domain:name>KEY</domain:name>), in any ASCII
     * case: a domain's A-label and U-label, a contact id, a host name.
     * Unused entries NULL. It reads every row in range: narrow it with
     * since. */
    const char *objects[AUDIT_OBJECT_KEYS];
    reg_time since; /* 0 = from the start */
    reg_time until; /* before this time (0 = up to now) */
    int64_t offset; /* the newest `offset` left out (paging) */
    int64_t limit;  /* the newest `limit` (0 = all) */
    bool full;      /* include request and response */
};
/* The matching commands, newest first. */
reg_err audit_epp_each(db *d, const struct audit_filter *f,
                       void (*fn)(const struct audit_entry *a, void *arg), void *arg,
                       reg_status *st);

#endif
