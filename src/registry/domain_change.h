/* RFC 8590 change poll messages: the sponsor hears of a change the
 * registry made to its domain. */
#ifndef REG_DOMAIN_CHANGE_H
#define REG_DOMAIN_CHANGE_H

#include "op.h"

struct domain;

/* RFC 8590 change poll message to the sponsor about a change the registry
 * made (operation: autoRenew, autoDelete, autoPurge, update, …). The data
 * JSON carries the domain as it is now (state "after") or, for autoPurge,
 * as it was ("before"). */
reg_err domain_notify_change(const struct reg_op *op, const char *alabel, const char *operation,
                             const char *reason, reg_status *st);
/* The same about a domain the caller has just read (domain_load) and
 * whose sponsor's id it knows: the lifecycle jobs read a domain once for
 * its history version and this message. */
reg_err domain_notify_change_of(const struct reg_op *op, const struct domain *d, int64_t sponsor,
                                const char *operation, const char *reason, reg_status *st);

#endif
