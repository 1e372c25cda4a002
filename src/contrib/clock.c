#include "clock.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum clock_mode { CLOCK_REAL, CLOCK_FIXED, CLOCK_OFFSET };

static _Atomic int clock_mode = CLOCK_REAL;
static _Atomic int64_t clock_value; /* fixed time, or offset from real */

static reg_time real_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (reg_time)ts.tv_sec;
}

reg_time clock_now(void)
{
    switch (atomic_load(&clock_mode)) {
    case CLOCK_FIXED:
        return atomic_load(&clock_value);
    case CLOCK_OFFSET:
        return real_now() + atomic_load(&clock_value);
    default:
        return real_now();
    }
}

void clock_set_fixed(reg_time t)
{
    atomic_store(&clock_value, t);
    atomic_store(&clock_mode, CLOCK_FIXED);
}

void clock_set_start(reg_time t)
{
    atomic_store(&clock_value, t - real_now());
    atomic_store(&clock_mode, CLOCK_OFFSET);
}

void clock_set_real(void)
{
    atomic_store(&clock_mode, CLOCK_REAL);
}

bool clock_is_moved(void)
{
    return atomic_load(&clock_mode) != CLOCK_REAL;
}

int64_t clock_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Days from civil date, proleptic Gregorian (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static char *two(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

char *clock_format(reg_time t, char *buf, size_t n)
{
    int64_t days = floor_div(t, 86400), secs = t - days * 86400;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    unsigned hh = (unsigned)(secs / 3600), mm = (unsigned)(secs / 60 % 60),
             ss = (unsigned)(secs % 60);
    if (y < 0 || y > 9999 || n < 21) { /* not the common case: printf's way */
        snprintf(buf, n, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, m, d, hh, mm, ss);
        return buf;
    }
    /* the same bytes digit by digit (RDAP writes several on every answer) */
    char *p = two(buf, (unsigned)(y / 100));
    p = two(p, (unsigned)(y % 100));
    *p++ = '-';
    p = two(p, m);
    *p++ = '-';
    p = two(p, d);
    *p++ = 'T';
    p = two(p, hh);
    *p++ = ':';
    p = two(p, mm);
    *p++ = ':';
    p = two(p, ss);
    *p++ = 'Z';
    *p = '\0';
    return buf;
}

char *clock_format_date(reg_time t, char *buf, size_t n)
{
    int64_t y;
    unsigned m, d;
    civil_from_days(floor_div(t, 86400), &y, &m, &d);
    snprintf(buf, n, "%04lld-%02u-%02u", (long long)y, m, d);
    return buf;
}

static bool take_digits(const char **p, int count, int *out)
{
    int v = 0;
    for (int i = 0; i < count; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += count;
    *out = v;
    return true;
}

static bool take_char(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

static unsigned month_length(int64_t y, unsigned m)
{
    static const unsigned len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

reg_err clock_parse(const char *s, reg_time *out)
{
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;
    if (!s || !take_digits(&p, 4, &y) || !take_char(&p, '-') ||
        !take_digits(&p, 2, &mo) || !take_char(&p, '-') || !take_digits(&p, 2, &d))
        return REG_ERR_SYNTAX;
    if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > month_length(y, (unsigned)mo))
        return REG_ERR_RANGE;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!take_digits(&p, 2, &h) || !take_char(&p, ':') || !take_digits(&p, 2, &mi) ||
            !take_char(&p, ':') || !take_digits(&p, 2, &se))
            return REG_ERR_SYNTAX;
        if (h > 23 || mi > 59 || se > 60)
            return REG_ERR_RANGE;
        if (*p == '.') {
            p++;
            if (!isdigit((unsigned char)*p))
                return REG_ERR_SYNTAX;
            while (isdigit((unsigned char)*p))
                p++;
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            sign = *p == '+' ? 1 : -1;
            p++;
            if (!take_digits(&p, 2, &oh) || !take_char(&p, ':') || !take_digits(&p, 2, &om))
                return REG_ERR_SYNTAX;
            if (oh > 23 || om > 59)
                return REG_ERR_RANGE;
        } else {
            return REG_ERR_SYNTAX; /* a time without a zone is ambiguous */
        }
    }
    if (*p != '\0')
        return REG_ERR_SYNTAX;
    if (se == 60)
        se = 59; /* leap second: clamp */
    *out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se -
           sign * (oh * 3600 + om * 60);
    return REG_OK;
}

reg_time clock_add_months(reg_time t, int months)
{
    int64_t days = floor_div(t, 86400), secs = t - days * 86400;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    int64_t total = y * 12 + (m - 1) + months;
    y = floor_div(total, 12);
    m = (unsigned)(total - y * 12) + 1;
    unsigned len = month_length(y, m);
    if (d > len)
        d = len;
    return days_from_civil(y, m, d) * 86400 + secs;
}
