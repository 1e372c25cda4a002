/* Domain transfers (RFC 5731 §3.2.4) through the transfer engine. */
#ifndef REG_TRANSFER_DOMAIN_H
#define REG_TRANSFER_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "names.h"
#include "op.h"
#include "transfer.h"

struct domain_transfer_info {
    char name[NAME_MAX_LEN + 1];
    char status[24]; /* pending, clientApproved, serverApproved, … */
    char gaining[17], losing[17];
    reg_time requested_at, action_at, new_expires_at;
    bool has_expiry;
    /* a failed request with a wrong one-time password: its id, to be
     * counted with otp_count_wrong() once the command is rolled back */
    int64_t wrong_otp;
};
/* A request is authorised by the domain's auth info (or a contact's with
 * auth->roid, as domain_info) or by the requester's one-time password
 * (R16, otp.h), which moves the domain at once in any transfer mode;
 * without auth info it needs the password (R14). */
reg_err domain_transfer(const struct reg_op *op, transfer_op top, const char *name,
                        const struct reg_authinfo *auth, int period_months,
                        struct domain_transfer_info *out, bool *pending, reg_status *st);
/* Cancels a pending transfer of the domain (serverCancelled), refunding
 * the gaining registrar: used when the registry deletes the domain. */
reg_err domain_transfer_cancel_pending(const struct reg_op *op, int64_t domain_id, reg_status *st);

/* Approves pending transfers whose automatic-approval time has come. */
reg_err domain_transfer_auto_approve(const struct reg_op *op, int *count, reg_status *st);

#endif
