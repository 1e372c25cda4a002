/* Shared by contact.c and contact_copy.c only. */
#ifndef REG_CONTACT_INTERNAL_H
#define REG_CONTACT_INTERNAL_H

#include "contact.h"

/* R1–R3: the stored id for `requested` (NULL, "" or "auto": R2's
 * REGISTRAR:XXXXXXXX, drawn again while taken) that no contact has yet;
 * REG_ERR_EXISTS for a chosen id in use. */
reg_err contact_pick_handle(const struct reg_op *op, const char *registrar, const char *requested,
                            char handle[CONTACT_ID_MAX + 1], reg_status *st);

/* The whole contact (postal data, statuses, linked) by its stored handle;
 * *found false if there is none. Free with contact_free. */
reg_err contact_load(const struct reg_op *op, const char *handle, struct contact *c, bool *found,
                     reg_status *st);

/* The contact as history JSON (R40); the caller frees it. */
char *contact_snapshot(const struct contact *c);

#endif
