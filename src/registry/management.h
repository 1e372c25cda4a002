/* R18: each domain is registrar-managed or registrant-managed, chosen at
 * registration (<regd:management>; the registrar's default otherwise,
 * registrar_services.h). R19: what the model means — registrant-managed
 * renewals are invoiced to the registrant (registrant_invoice.h), the
 * registrants of registrar-managed domains are asked from time to time to
 * check their contact data (contact_check.h). */
#ifndef REG_MANAGEMENT_H
#define REG_MANAGEMENT_H

#include <stdbool.h>
#include "op.h"

/* "registrar" or "registrant". */
bool management_valid(const char *model);

/* Staff change a domain's model later (on the registrant's request; a
 * registrar cannot over EPP). The version goes to history (R40, action
 * "management"), the sponsor gets a change poll message, the registrant a
 * mail. The same model again is REG_ERR_POLICY; nothing changes. */
reg_err domain_set_management(const struct reg_op *op, const char *name, const char *model,
                              reg_status *st);

/* Whether renewing `name` is invoiced to its registrant rather than
 * debited from the registrar (R19); false for a name that does not exist
 * (the renew itself reports that). */
reg_err management_registrant_pays(const struct reg_op *op, const char *name, bool *yes,
                                   reg_status *st);

#endif
