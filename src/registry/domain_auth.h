/* A domain's auth info as RFC 5731 §2.6 has it: the domain's own password,
 * or with a roid that of the registrant or a contact of the domain. Above
 * both stores: a password that matches an older hash form is stored again
 * in the current one by the store that owns its row (domain or contact). */
#ifndef REG_DOMAIN_AUTH_H
#define REG_DOMAIN_AUTH_H

#include "domain_store.h"

/* REG_OK if auth (with a pw) is d's auth info (hash: the stored one) or,
 * with a roid, that of the contact of d it names; else REG_ERR_AUTHINFO
 * saying why. */
reg_err domain_authinfo_check(const struct reg_op *op, const struct domain *d, const char *hash,
                              const struct reg_authinfo *auth, reg_status *st);

#endif
