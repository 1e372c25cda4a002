#include "op.h"

#include <stdio.h>

void roid_format(char out[48], char kind, int64_t id, const struct registry_policy *p)
{
    snprintf(out, 48, "%c%lld-%s", kind, (long long)id, p->roid_suffix);
}

reg_err op_db_fail(const struct reg_op *op, reg_status *st, reg_err e)
{
    return db_fail(op->db, st, e);
}

reg_err db_fail(db *d, reg_status *st, reg_err e)
{
    return reg_fail(st, e, "database: %s", db_errmsg(d));
}

reg_err db_end_tx(db *d, reg_err e, reg_status *st)
{
    if (e) {
        db_rollback(d);
        return e;
    }
    e = db_commit(d);
    return e ? db_fail(d, st, e) : REG_OK;
}
