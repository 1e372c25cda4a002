/* Purging domains for good (RFC 3915's end of pendingDelete, R22). */
#ifndef REG_DOMAIN_PURGE_H
#define REG_DOMAIN_PURGE_H

#include <stdint.h>
#include "lifecycle.h"
#include "op.h"

/* Purges domains whose pendingDelete ended: one batch (the job), or all
 * of them in the caller's transaction (*count gets how many). */
reg_err domain_purge_batch(const struct reg_op *op, struct due_batch *b, reg_status *st);
reg_err domain_purge_due(const struct reg_op *op, int *count, reg_status *st);
/* Deletes domain alabel for good now, as the registry (a job, R22): its
 * subordinate hosts go with it, a pending transfer is cancelled, the
 * sponsor gets the autoPurge poll message. */
reg_err domain_purge(const struct reg_op *op, const char *alabel, reg_status *st);

/* Purges domain `id` (alabel): the sponsor gets the autoPurge poll
 * message when the registry does it, history the last version. */
reg_err domain_purge_id(const struct reg_op *op, int64_t id, const char *alabel, reg_status *st);

#endif
