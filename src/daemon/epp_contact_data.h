/* What contact commands (RFC 5733, epp_contact.c) and account commands
 * (account-1.0, epp_account.c) read and write alike: addresses, phone
 * numbers, the check of ids (both live in the contact id space, R1–R3)
 * and the creData answer. ns is the namespace of the command's elements,
 * prefix the one its answer is written with ("contact", "account"). */
#ifndef REG_EPP_CONTACT_DATA_H
#define REG_EPP_CONTACT_DATA_H

#include <stdbool.h>
#include "epp_internal.h"
#include "registry/contact.h"

/* The <street> (at most CONTACT_STREETS), <city>, <sp>, <pc> and <cc>
 * children of parent (absent ones stay NULL); true when a street was
 * given. */
bool epp_read_address(xmlNodePtr parent, const char *ns, char *street[CONTACT_STREETS],
                      char **city, char **sp, char **pc, char **cc);

/* <name x="123">+45.12345678</name> (voice, fax): *given, *number and *x
 * when parent has it; an empty element (allowed by the schema) gives ""
 * and removes the number in an update. */
void epp_read_phone(xmlNodePtr parent, const char *ns, const char *name, bool *given,
                    char **number, char **x);

/* contact_check, account_check: *avail, and a reason when it is not. */
typedef reg_err (*epp_id_check_fn)(const struct reg_op *op, const char *id, bool *avail,
                                   char reason[160], reg_status *st);

/* <check> of the command's <id> elements (RFC 5730 §2.9.2.1): answers
 * 1000 with <prefix:chkData>, one <prefix:cd> per id in the order given,
 * with a <prefix:reason> for each id that is not available. */
reg_err epp_check_ids(struct epp_ctx *c, const char *ns, const char *prefix,
                      epp_id_check_fn check, reg_status *st);

/* Answers 1000 with <prefix:creData> (id, crDate). */
void epp_reply_created(struct epp_ctx *c, const char *ns, const char *prefix, const char *id,
                       reg_time created);

#endif
