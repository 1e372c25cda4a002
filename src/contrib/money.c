/* See money.h. */
#include "money.h"

#include <stdio.h>
#include <strings.h>
#include <string.h>

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

static char *format_with(int64_t amount, const char *currency, char point, char *buf, size_t n)
{
    /* magnitude without negating INT64_MIN */
    uint64_t mag = amount < 0 ? (uint64_t)(-(amount + 1)) + 1 : (uint64_t)amount;
    snprintf(buf, n, "%s%llu%c%02llu%s%s", amount < 0 ? "-" : "", (unsigned long long)(mag / 100),
             point, (unsigned long long)(mag % 100), currency ? " " : "", currency ? currency : "");
    return buf;
}

char *money_format(int64_t amount, const char *currency, char *buf, size_t n)
{
    return format_with(amount, currency, '.', buf, n);
}

/* Languages that write a decimal comma (CLDR), by primary subtag. */
static bool decimal_comma(const char *lang)
{
    static const char *const comma[] = {"da", "nb", "nn", "no", "et", "sv", "fi", "is", "de",
                                        "fr", "es", "it", "nl", "pt", "pl", "cs", "lt", "lv"};
    if (!lang)
        return false;
    size_t len = strcspn(lang, "-_");
    for (size_t i = 0; i < sizeof comma / sizeof comma[0]; i++)
        if (len == strlen(comma[i]) && !strncasecmp(lang, comma[i], len))
            return true;
    return false;
}

char *money_format_in(int64_t amount, const char *currency, const char *lang, char *buf,
                      size_t n)
{
    return format_with(amount, currency, decimal_comma(lang) ? ',' : '.', buf, n);
}

int money_exponent(const char *currency)
{
    static const char *const zero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                       "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF",
                                       "XPF", "XXX"};
    static const char *const three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
        if (!strcmp(currency, zero[i]))
            return 0;
    for (size_t i = 0; i < sizeof three / sizeof three[0]; i++)
        if (!strcmp(currency, three[i]))
            return 3;
    return 2;
}

int64_t money_pow10(int n)
{
    int64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

void money_format_decimal(int64_t minor, int exponent, char *out, size_t n)
{
    uint64_t v = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    uint64_t scale = (uint64_t)money_pow10(exponent);
    if (exponent == 0)
        snprintf(out, n, "%s%llu", minor < 0 ? "-" : "", (unsigned long long)v);
    else
        snprintf(out, n, "%s%llu.%0*llu", minor < 0 ? "-" : "", (unsigned long long)(v / scale),
                 exponent, (unsigned long long)(v % scale));
}

bool money_parse_decimal(const char *s, int exponent, int extra, int64_t *out)
{
    const int frac_max = exponent + extra;
    const int64_t scale = money_pow10(frac_max);
    bool neg = false, digits = false;
    int64_t whole = 0, frac = 0;
    int nfrac = 0;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    for (; *s >= '0' && *s <= '9'; s++, digits = true)
        whole = whole > MONEY_DECIMAL_CAP / scale ? whole : whole * 10 + (*s - '0');
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, digits = true)
            if (nfrac < frac_max) {
                frac = frac * 10 + (*s - '0');
                nfrac++;
            }
    if (!digits || *s)
        return false;
    frac *= money_pow10(frac_max - nfrac);
    int64_t v = whole > MONEY_DECIMAL_CAP / scale ? MONEY_DECIMAL_CAP : whole * scale + frac;
    if (v > MONEY_DECIMAL_CAP)
        v = MONEY_DECIMAL_CAP;
    *out = neg ? -v : v;
    return true;
}
