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

reg_err audit_epp_record(db *d, const struct audit_entry *a, reg_status *st);

struct audit_filter {
    const char *registrar; /* handle, or NULL for all */
    reg_time since;        /* 0 = from the start */
    int64_t limit;
    bool full;             /* include request and response */
};
reg_err audit_epp_each(db *d, const struct audit_filter *f,
                       void (*fn)(const struct audit_entry *a, void *arg), void *arg,
                       reg_status *st);

#endif
