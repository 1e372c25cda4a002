#include "contact_check.h"

#include <stdint.h>

#include "contact_store.h"
#include "notices.h"

#define DEFAULT_INTERVAL ((int64_t)365 * 86400) /* [management] contact_check_interval */

reg_err contact_check_remind(const struct reg_op *op, int *count, reg_status *st)
{
    static _Thread_local int64_t due[CONTACT_CHECK_BATCH];
    int64_t interval = op->policy->contact_check_interval > 0 ? op->policy->contact_check_interval
                                                              : DEFAULT_INTERVAL;
    size_t n = 0;
    *count = 0;
    db_stmt *s = db_query(op->db, "SELECT d.registrant_id FROM domain d JOIN contact c ON c.id = "
                                  "d.registrant_id WHERE d.management = 'registrar' AND "
                                  "d.delete_requested_at IS NULL GROUP BY d.registrant_id, "
                                  "c.contact_check_sent_at HAVING COALESCE(c.contact_check_sent_at, "
                                  "MIN(d.created_at)) <= ? ORDER BY d.registrant_id LIMIT ?");
    db_bind_int(s, 1, op->now - interval);
    db_bind_int(s, 2, CONTACT_CHECK_BATCH);
    while (n < CONTACT_CHECK_BATCH && db_next(s))
        due[n++] = db_col_int(s, 0);
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    for (size_t i = 0; i < n; i++) {
        if (notice_contact_check(op, due[i], st))
            return st->code;
        if (contact_store_set_check_sent(op, due[i], st))
            return st->code;
        (*count)++;
    }
    return REG_OK;
}
