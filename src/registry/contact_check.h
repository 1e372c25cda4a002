/* R19: for registrar-managed domains the registry deals with the
 * registrar, and only asks the registrant, from time to time, to check
 * its contact data. Each contact that is the registrant of at least one
 * registrar-managed domain (not being deleted) gets one mail every
 * op->policy->contact_check_interval: the first an interval after its
 * first such domain was created, the next an interval after the last
 * (contact.contact_check_sent_at). */
#ifndef REG_CONTACT_CHECK_H
#define REG_CONTACT_CHECK_H

#include "op.h"

/* Most registrants reminded per call; the job runs again for the rest. */
#define CONTACT_CHECK_BATCH 1000

/* Mails every registrant due at op->now (up to CONTACT_CHECK_BATCH) and
 * records the time, in the caller's transaction. *count gets how many. */
reg_err contact_check_remind(const struct reg_op *op, int *count, reg_status *st);

#endif
