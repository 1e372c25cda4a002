/* Domain lifecycle after expiry (DESIGN §8), driven by jobs and the clock:
 * expiry → autorenew (registrar-managed, [lifecycle] on_expiry = autorenew)
 * or left expired; expired + hold_after → serverHold (out of the zone);
 * expired + delete_after → deleted into the redemption period (RFC 3915);
 * after redemption and pendingDelete → purged. Each step is idempotent. */
#ifndef REG_LIFECYCLE_H
#define REG_LIFECYCLE_H

#include "op.h"

reg_err lifecycle_autorenew(const struct reg_op *op, int *count, reg_status *st);
reg_err lifecycle_hold_expired(const struct reg_op *op, int *count, reg_status *st);
reg_err lifecycle_delete_expired(const struct reg_op *op, int *count, reg_status *st);

#endif
