/* Shared by the domain and contact transfer code. */
#ifndef REG_TRANSFER_H
#define REG_TRANSFER_H

#include <stddef.h>
#include <stdint.h>
#include "op.h"

/* The oldest pending transfer of kind ("domain" or "contact") whose
 * automatic-approval time has come: *tid (0 when there is none) and the
 * object's key (domain name or contact handle). */
reg_err transfer_next_due(const struct reg_op *op, const char *kind, int64_t *tid, char *key,
                          size_t keylen, reg_status *st);

#endif
