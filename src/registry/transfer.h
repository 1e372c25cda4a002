/* Shared by the domain and contact transfer code. */
#ifndef REG_TRANSFER_H
#define REG_TRANSFER_H

#include <stddef.h>
#include <stdint.h>
#include "op.h"

/* Records how a pending transfer ended: its status, when (`at`) and, for
 * a domain that moved, the expiry it got (NULL keeps the stored one). */
reg_err transfer_close(const struct reg_op *op, int64_t tid, const char *status, reg_time at,
                       const reg_time *new_expires_at, reg_status *st);

/* The oldest pending transfer of kind ("domain" or "contact") whose
 * automatic-approval time has come: *tid (0 when there is none) and the
 * object's key (domain name or contact handle). */
reg_err transfer_next_due(const struct reg_op *op, const char *kind, int64_t *tid, char *key,
                          size_t keylen, reg_status *st);

/* R4: the domain's registrant and admin/tech/billing contacts that another
 * registrar sponsors are replaced by copies sponsored by the gaining one
 * (gaining_id, handle gaining): an identical contact it already has, or a
 * new copy (contact_copy.h); each old contact once, however many roles it
 * holds. The old objects are left as they are. */
reg_err transfer_contacts_follow(const struct reg_op *op, int64_t domain_id, int64_t gaining_id,
                                 const char *gaining, reg_status *st);

#endif
