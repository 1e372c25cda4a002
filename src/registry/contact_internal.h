/* Shared by contact.c and account.c only. */
#ifndef REG_CONTACT_INTERNAL_H
#define REG_CONTACT_INTERNAL_H

#include "contact.h"

/* Whether a stored handle is in use (by a contact, by an account). */
typedef reg_err (*contact_taken_fn)(const struct reg_op *op, const char *handle, bool *taken,
                                    reg_status *st);

/* The <check> of an id in the contact id space (contacts and accounts):
 * normalised as a create by registrar would (R1–R3), then *avail is
 * !taken_fn, with the reason "in use", why the id is not allowed
 * (names_contact_id_short_reason) or "invalid id". Only database
 * failures are errors. */
reg_err contact_id_check(const struct reg_op *op, const char *registrar, const char *id,
                         contact_taken_fn taken_fn, bool *avail, char reason[160], reg_status *st);

#endif
