/* Domain lifecycle after expiry (DESIGN §8), driven by jobs and the clock:
 * expiry → autorenew ([lifecycle] on_expiry = autorenew: registrar-managed
 * domains debited from the sponsor, registrant-managed ones invoiced to the
 * registrant, R19) or left expired; expired + hold_after → serverHold (out of the zone);
 * expired + delete_after → deleted into the redemption period (RFC 3915);
 * after redemption and pendingDelete → purged; expired + 1 day → one
 * notice to the domain's contacts (R11). Each step is idempotent. */
#ifndef REG_LIFECYCLE_H
#define REG_LIFECYCLE_H

#include <stdbool.h>
#include "op.h"

/* One bounded transaction's share of a lifecycle step: the jobs run
 * batches, each in its own transaction, until one ends below its limit,
 * so everything due is done in one run without one huge transaction. */
struct due_batch {
    int limit;     /* in: at most this many domains (<= 0: LIFECYCLE_BATCH) */
    int64_t after; /* in/out: the last domain id looked at; 0 at the start of a run */
    int done;      /* out, added to: domains changed */
    int declined;  /* out, added to: due domains left as they were (no funds) */
    int failed;    /* out, added to: due domains a step refused otherwise (logged each) */
    bool more;     /* out: the batch was full, there may be more */
};
typedef reg_err (*lifecycle_batch_fn)(const struct reg_op *op, struct due_batch *b,
                                      reg_status *st);

#define LIFECYCLE_BATCH 1000

/* Runs fn batch after batch in the caller's transaction until nothing is
 * due; *count gets how many domains it changed. */
reg_err lifecycle_all(const struct reg_op *op, lifecycle_batch_fn fn, int *count, reg_status *st);

/* How many domains a step finds due at op->now (the jobs' backlog: the
 * progress of a run, /metrics); those a run declined (no funds) stay
 * due until the next stage. */
typedef reg_err (*lifecycle_due_fn)(const struct reg_op *op, int64_t *n, reg_status *st);

/* Each step as one batch (the jobs), as everything due in the caller's
 * transaction (*count: how many domains) and as the count of what is
 * due. */
reg_err lifecycle_autorenew_batch(const struct reg_op *op, struct due_batch *b, reg_status *st);
reg_err lifecycle_autorenew(const struct reg_op *op, int *count, reg_status *st);
reg_err lifecycle_autorenew_due(const struct reg_op *op, int64_t *n, reg_status *st);
reg_err lifecycle_hold_batch(const struct reg_op *op, struct due_batch *b, reg_status *st);
reg_err lifecycle_hold_expired(const struct reg_op *op, int *count, reg_status *st);
reg_err lifecycle_hold_due(const struct reg_op *op, int64_t *n, reg_status *st);
reg_err lifecycle_delete_batch(const struct reg_op *op, struct due_batch *b, reg_status *st);
reg_err lifecycle_delete_expired(const struct reg_op *op, int *count, reg_status *st);
reg_err lifecycle_delete_due(const struct reg_op *op, int64_t *n, reg_status *st);
reg_err lifecycle_expiry_notice_batch(const struct reg_op *op, struct due_batch *b,
                                      reg_status *st);
reg_err lifecycle_expiry_notice_due(const struct reg_op *op, int64_t *n, reg_status *st);

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
