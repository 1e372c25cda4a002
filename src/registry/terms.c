#include "terms.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *terms_current(const struct registry_policy *p)
{
    return p->terms_version && *p->terms_version ? p->terms_version : TERMS_DEFAULT_VERSION;
}

/* version is one of the comma-separated list (spaces around items ignored). */
static bool listed(const char *list, const char *version)
{
    size_t n = strlen(version);
    for (const char *p = list ? list : ""; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ',')
            end++;
        const char *last = end;
        while (last > p && last[-1] == ' ')
            last--;
        if ((size_t)(last - p) == n && n && !strncmp(p, version, n))
            return true;
        p = end;
    }
    return false;
}

/* R20: the registrant's acceptance of the current terms, recorded at
 * registration. */
reg_err terms_check(const struct reg_op *op, const char *version, const char *accepted,
                    reg_time *accepted_at, reg_status *st)
{
    const char *current = terms_current(op->policy);
    if (!version || !*version || !accepted || !*accepted)
        return reg_fail(st, REG_ERR_POLICY,
                        "the registrant's acceptance of the registry's terms is missing: send "
                        "regd:terms with version %s and the time the registrant accepted them",
                        current);
    if (strcmp(version, current) && !listed(op->policy->terms_also_accept, version))
        return reg_fail(st, REG_ERR_POLICY,
                        "terms version %.*s is not accepted: the current version is %s; the "
                        "registrant must accept that one",
                        TERMS_VERSION_MAX, version, current);
    reg_time t;
    if (clock_parse(accepted, &t))
        return reg_fail(st, REG_ERR_POLICY,
                        "the terms' accepted time \"%.40s\" is not a time with a zone like "
                        "2027-01-01T12:00:00Z", accepted);
    if (t > op->now + TERMS_CLOCK_SKEW) {
        char now[REG_TIME_STRLEN];
        return reg_fail(st, REG_ERR_POLICY,
                        "the terms' accepted time %.40s is in the future (the registry's time "
                        "is %s): give the time the registrant accepted them", accepted,
                        clock_format(op->now, now, sizeof now));
    }
    *accepted_at = t;
    return REG_OK;
}
