/* See money.h. */
#include "money.h"

#include <stdio.h>

reg_err money_parse(const char *s, bool allow_negative, int64_t *out)
{
    if (!s || !*s)
        return REG_ERR_SYNTAX;
    bool neg = *s == '-';
    if (neg && !allow_negative)
        return REG_ERR_RANGE;
    const char *p = s + neg;
    int64_t whole = 0, frac = 0;
    int ndigits = 0, nfrac = -1;
    for (; *p >= '0' && *p <= '9'; p++, ndigits++) {
        if (whole > MONEY_MAX)
            return REG_ERR_RANGE;
        whole = whole * 10 + (*p - '0');
    }
    if (*p == '.') {
        nfrac = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, nfrac++)
            if (nfrac < 2)
                frac = frac * 10 + (*p - '0');
            else
                return REG_ERR_SYNTAX; /* more than two decimals */
        if (nfrac == 0)
            return REG_ERR_SYNTAX;
        if (nfrac == 1)
            frac *= 10;
    }
    if (*p || !ndigits)
        return REG_ERR_SYNTAX;
    int64_t v = whole;
    if (nfrac >= 0) { /* major units */
        if (whole > MONEY_MAX / 100)
            return REG_ERR_RANGE;
        v = whole * 100 + frac;
    }
    if (v > MONEY_MAX)
        return REG_ERR_RANGE;
    *out = neg ? -v : v;
    return REG_OK;
}

char *money_format(int64_t amount, const char *currency, char *buf, size_t n)
{
    /* magnitude without negating INT64_MIN */
    uint64_t mag = amount < 0 ? (uint64_t)(-(amount + 1)) + 1 : (uint64_t)amount;
    snprintf(buf, n, "%s%llu.%02llu%s%s", amount < 0 ? "-" : "", (unsigned long long)(mag / 100),
             (unsigned long long)(mag % 100), currency ? " " : "", currency ? currency : "");
    return buf;
}
