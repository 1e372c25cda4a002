/* Shared by the domain modules: domain.c, transfer.c, otp.c,
 * authinfo_request.c, and by poll.c for the change poll's domain. */
#ifndef REG_DOMAIN_INTERNAL_H
#define REG_DOMAIN_INTERNAL_H

#include <jansson.h>

#include "domain.h"

/* Loads a domain by user input (U- or A-label); *hash gets the stored
 * auth-info hash when non-NULL. */
reg_err domain_load_input(const struct reg_op *op, const char *name, struct domain *d,
                          char *hash, size_t hashlen, reg_status *st);
/* Re-reads the domain and stores the version in history (R40). */
reg_err domain_record_version(const struct reg_op *op, const char *alabel, const char *action,
                              reg_status *st);
bool domain_is_sponsor(const struct reg_op *op, const struct domain *d);

/* REG_OK if auth (with a pw) is d's auth info (hash: the stored one) or,
 * with a roid, that of the contact of d it names (RFC 5731 §2.6); else
 * REG_ERR_AUTHINFO saying why. */
reg_err domain_authinfo_check(const struct reg_op *op, const struct domain *d, const char *hash,
                              const struct reg_authinfo *auth, reg_status *st);

/* The domain as stored in a change poll message (poll.c): a new object
 * for the caller, and the domain read back from one (missing fields stay
 * empty). */
json_t *domain_to_json(const struct domain *d);
void domain_from_json(json_t *o, struct domain *d);

#endif
