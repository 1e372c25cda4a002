/* Server statuses (RFC 5731 §2.3, RFC 5732 §2.3, RFC 5733 §2.2): the
 * statuses of domains, contacts and hosts that only the registry's staff
 * set and remove (regctl status), never a registrar. Which status goes
 * with which object is status_server_settable (status.h). */
#ifndef REG_SERVER_STATUS_H
#define REG_SERVER_STATUS_H

#include <stdbool.h>
#include "names.h"
#include "op.h"

/* Sets (add) or removes the server status `status` of the `kind`
 * (domain, contact or host) object `name`, as the client would name it:
 * a domain in U- or A-labels, a contact id in any case, a host name
 * (normalised as EPP does). message (add only; NULL or "" for none) is
 * the status's text that info shows. In the caller's transaction, by
 * staff (op->registrar_id 0): records a "status-add" or "status-rem"
 * version (R40) and tells a domain's sponsor with a change poll message
 * (RFC 8590), as the registry's other changes do. key gets the object's
 * stored name. Errors: REG_ERR_AUTHZ for a registrar, REG_ERR_INVALID
 * for another kind or a message status_message_check refuses (PRECIS
 * text, as EPP's), REG_ERR_POLICY for a status that is not a server
 * status of the kind or that the object already has (add) or does not
 * have (remove), REG_ERR_NOT_FOUND, and what loading the name gives. */
reg_err server_status_change(const struct reg_op *op, const char *kind, const char *name,
                             const char *status, const char *message, bool add,
                             char key[NAME_MAX_LEN + 1], reg_status *st);

#endif
