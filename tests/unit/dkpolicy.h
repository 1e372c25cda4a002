/* The .dk registry policy both unit-test fixtures (regfixture.h, regfx.h)
 * start from; a test changes what it needs after setup. */
#ifndef REG_DKPOLICY_H
#define REG_DKPOLICY_H

#include "registry/policy.h"

/* tld dk with its character set ([tld] allowed_chars default), ROIDs
 * ending -DK, periods of 1-10 years, immediate transfers (a pending one
 * waits 5 days), 30 days of redemption and 5 of pending delete. */
void dk_policy(struct registry_policy *p);

#endif
