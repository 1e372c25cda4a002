/* R20: the registrant has an agreement with the registry too, so every
 * registration records the registrant's acceptance of the registry's
 * terms: which version, when, and the registrar that vouched for it. */
#ifndef REG_TERMS_H
#define REG_TERMS_H

#include "op.h"

#define TERMS_DEFAULT_VERSION "1.0" /* [terms] version */
#define TERMS_VERSION_MAX 32
/* An acceptance time up to this far ahead of the registry's clock is the
 * registrar's clock running fast, not a time in the future. */
#define TERMS_CLOCK_SKEW ((reg_time)300)

/* Checks a create's terms: version must be the current one
 * (op->policy->terms_version) or one of terms_also_accept; accepted is an
 * RFC 3339 time not in the future. Missing, another version or a future
 * time are REG_ERR_POLICY (2306) saying what to send. */
reg_err terms_check(const struct reg_op *op, const char *version, const char *accepted,
                    reg_time *accepted_at, reg_status *st);

/* The current version (the policy's, or TERMS_DEFAULT_VERSION). */
const char *terms_current(const struct registry_policy *p);

#endif
