#include "workdays.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

int64_t workdays_day_of(reg_time t)
{
    return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
}

static int compare_days(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* A plain date YYYY-MM-DD and nothing else (clock_parse also takes
 * date-times, which would silently name the wrong day). */
static bool parse_date(const char *s, size_t len, int64_t *day)
{
    char buf[11];
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    memcpy(buf, s, 10);
    buf[10] = '\0';
    reg_time t;
    if (clock_parse(buf, &t))
        return false;
    char back[16];
    clock_format_date(t, back, sizeof back);
    if (strcmp(back, buf)) /* 2026-02-30 must not become 2026-03-02 */
        return false;
    *day = workdays_day_of(t);
    return true;
}

reg_err workdays_parse(const char *list, struct workdays *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = list ? list : "";
    int64_t *days = NULL;
    size_t n = 0;
    for (;;) {
        p += strspn(p, ", \t");
        if (!*p)
            break;
        size_t len = strcspn(p, ", \t");
        int64_t day;
        bool is_date = parse_date(p, len, &day);
        if (!is_date || n == WORKDAYS_HOLIDAYS_MAX) {
            if (err && !is_date)
                snprintf(err, errlen, "\"%.*s\" is not a date like 2026-12-24", (int)len, p);
            else if (err)
                snprintf(err, errlen, "more than %d holidays", WORKDAYS_HOLIDAYS_MAX);
            free(days);
            return REG_ERR_SYNTAX;
        }
        int64_t *grown = realloc(days, (n + 1) * sizeof *days);
        if (!grown) {
            free(days);
            return REG_ERR_NOMEM;
        }
        days = grown;
        days[n++] = day;
        p += len;
    }
    if (n)
        qsort(days, n, sizeof *days, compare_days);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++)
        if (!unique || days[unique - 1] != days[i])
            days[unique++] = days[i];
    out->holidays = days;
    out->n = unique;
    return REG_OK;
}

void workdays_free(struct workdays *w)
{
    free(w->holidays);
    w->holidays = NULL;
    w->n = 0;
}

static bool is_holiday(const struct workdays *w, int64_t day)
{
    return w && w->n && bsearch(&day, w->holidays, w->n, sizeof day, compare_days) != NULL;
}

bool workdays_is_working(const struct workdays *w, int64_t day)
{
    int weekday = (int)(((day % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
    return weekday != 0 && weekday != 6 && !is_holiday(w, day);
}

reg_time workdays_deadline(const struct workdays *w, reg_time t, int n)
{
    int64_t day = workdays_day_of(t);
    for (int found = 0; found < (n < 1 ? 1 : n);)
        if (workdays_is_working(w, ++day))
            found++;
    return (day + 1) * DAY - 1;
}
