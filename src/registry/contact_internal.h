/* Shared by contact.c, contact_copy.c and account.c only. */
#ifndef REG_CONTACT_INTERNAL_H
#define REG_CONTACT_INTERNAL_H

#include <jansson.h>

#include "contact.h"

/* R1–R3: the stored id for `requested` (NULL, "" or "auto": R2's
 * REGISTRAR:XXXXXXXX, drawn again while taken) that no contact has yet;
 * REG_ERR_EXISTS for a chosen id in use. */
reg_err contact_pick_handle(const struct reg_op *op, const char *registrar, const char *requested,
                            char handle[CONTACT_ID_MAX + 1], reg_status *st);

/* Whether a stored handle is in use (by a contact, by an account). */
typedef reg_err (*contact_taken_fn)(const struct reg_op *op, const char *handle, bool *taken,
                                    reg_status *st);

/* The <check> of an id in the contact id space (contacts and accounts):
 * normalised as a create by registrar would (R1–R3), then *avail is
 * !taken_fn, with the reason "in use", "id not allowed (R3)" or "invalid
 * id". Only database failures are errors. */
reg_err contact_id_check(const struct reg_op *op, const char *registrar, const char *id,
                         contact_taken_fn taken_fn, bool *avail, char reason[160], reg_status *st);

/* The whole contact (postal data, statuses, linked) by its stored handle;
 * *found false if there is none. Free with contact_free. */
reg_err contact_load(const struct reg_op *op, const char *handle, struct contact *c, bool *found,
                     reg_status *st);

/* The contact as history JSON (R40): a new object for the caller
 * (history_record_json takes it). */
json_t *contact_snapshot(const struct contact *c);

#endif
