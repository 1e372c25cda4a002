/* The .dk registry policy both unit-test fixtures (regfixture.h, regfx.h)
 * start from; a test changes what it needs after setup. */
#ifndef REG_DKPOLICY_H
#define REG_DKPOLICY_H

#include "registry/op.h"
#include "registry/policy.h"

/* tld dk with its character set ([tld] allowed_chars default), ROIDs
 * ending -DK, periods of 1-10 years, immediate transfers (a pending one
 * waits 5 days), 30 days of redemption and 5 of pending delete. */
void dk_policy(struct registry_policy *p);

/* R20: a domain create's acceptance of the terms (version 1.0, accepted
 * before any fixture's clock), inside its initialiser:
 * (struct domain_create){.name = "x.dk", TERMS}. */
#define TERMS .terms_version = "1.0", .terms_accepted = "2026-12-01T10:00:00Z"

/* Auth info given as a password alone (no roid), for domain_info and
 * domain_transfer. */
#define AUTH(password) (&(struct reg_authinfo){.pw = (password)})

#endif
