/* Domain lifecycle after expiry (DESIGN §8), driven by jobs and the clock:
 * expiry → autorenew ([lifecycle] on_expiry = autorenew: registrar-managed
 * domains debited from the sponsor, registrant-managed ones invoiced to the
 * registrant, R19) or left expired; expired + hold_after → serverHold (out of the zone);
 * expired + delete_after → deleted into the redemption period (RFC 3915);
 * after redemption and pendingDelete → purged; expired + 1 day → one
 * notice to the domain's contacts (R11). Each step is idempotent. */
#ifndef REG_LIFECYCLE_H
#define REG_LIFECYCLE_H

#include "op.h"

reg_err lifecycle_autorenew(const struct reg_op *op, int *count, reg_status *st);
reg_err lifecycle_hold_expired(const struct reg_op *op, int *count, reg_status *st);
reg_err lifecycle_delete_expired(const struct reg_op *op, int *count, reg_status *st);

/* R11: how long after expiry the notice goes out. */
#define LIFECYCLE_EXPIRY_NOTICE_AFTER ((reg_time)86400)

/* R11: every domain expired at least LIFECYCLE_EXPIRY_NOTICE_AFTER ago,
 * not deleted, and not yet notified for this expiry date gets one mail
 * per unique address of its contacts (notice_expired); the expiry date is
 * recorded, so the same expiry is never notified twice while the next
 * one (after a renewal) is. A domain the autorenew job renewed is no
 * longer expired. *count gets how many domains. */
reg_err lifecycle_expiry_notice(const struct reg_op *op, int *count, reg_status *st);

#endif
