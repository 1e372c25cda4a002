#include "op.h"

#include <stdio.h>

void roid_format(char out[48], char kind, int64_t id, const struct registry_policy *p)
{
    snprintf(out, 48, "%c%lld-%s", kind, (long long)id, p->roid_suffix);
}

reg_err op_db_fail(const struct reg_op *op, reg_status *st, reg_err e)
{
    return reg_fail(st, e, "database: %s", db_errmsg(op->db));
}
