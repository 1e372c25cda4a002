/* RFC 8748 registry fees (urn:ietf:params:xml:ns:epp:fee-1.0) for domain
 * commands: prices in <fee:check>, and the fee a client agrees to in a
 * create, renew, transfer request or update (restore). Prices come from
 * registry/billing.h; the behaviour is described in
 * docs/epp-domains-hosts.md, "Fees (RFC 8748)". */
#ifndef REG_EPP_FEE_H
#define REG_EPP_FEE_H

#include <stdbool.h>
#include <stdint.h>
#include "epp_internal.h"

/* Call after the domain:chkData resData is written. Without <fee:check>
 * it does nothing; with it, writes <extension><fee:chkData> with a
 * <fee:cd> for every domain:name of the command. A <fee:currency> other
 * than ours fails the command (2306). */
reg_err epp_fee_check(struct epp_ctx *c, reg_status *st);

/* The fee agreement of one transform command. */
struct epp_fee {
    bool sent;             /* the command carried the fee element */
    const char *result;    /* "creData", "renData", "trnData" or "updData" */
    const char *operation; /* what the registry charges (billing.h), NULL: nothing */
    int years;
    int64_t price;         /* minor units */
};

/* Call before the registry changes anything. elem is the command's fee
 * element ("create", "renew", "transfer", "update"); operation is what the
 * registry will charge (NULL: a free command), for period_months (0: the
 * default, one year). Without <fee:elem> it only clears *f. With it: a
 * <fee:currency> other than ours is 2306; fees (and credits) adding up to
 * less than the price are 2004 "fee mismatch: price is …". */
reg_err epp_fee_agree(struct epp_ctx *c, const char *elem, const char *operation,
                      int period_months, struct epp_fee *f, reg_status *st);

/* Call after the registry succeeded. When f->sent, writes the matching
 * <fee:creData|renData|trnData|updData>: currency, period (create, renew,
 * transfer), the fee charged and the balance after it. _data writes into
 * an <extension> the caller has open; _extension wraps it in one. */
reg_err epp_fee_write_data(struct epp_ctx *c, const struct epp_fee *f, reg_status *st);
reg_err epp_fee_write_extension(struct epp_ctx *c, const struct epp_fee *f, reg_status *st);

#endif
