/* Working days (R15: "within 5 working days"): every day that is neither
 * a Saturday, a Sunday nor a listed holiday. Days are UTC calendar days,
 * like every other date of the registry's clock. */
#ifndef REG_WORKDAYS_H
#define REG_WORKDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "clock.h"

#define WORKDAYS_HOLIDAYS_MAX 1024

struct workdays {
    int64_t *holidays; /* day numbers (days since 1970-01-01), sorted, unique */
    size_t n;
};

/* "2026-12-24,2026-12-25" (commas and/or blanks between dates; empty: no
 * holidays) into out (workdays_free releases it). On a bad entry err says
 * which, out is left empty and REG_ERR_SYNTAX is returned. */
reg_err workdays_parse(const char *list, struct workdays *out, char *err, size_t errlen);
void workdays_free(struct workdays *w);

/* The day number of t (floor(t / 86400)). */
int64_t workdays_day_of(reg_time t);
bool workdays_is_working(const struct workdays *w, int64_t day);

/* The last second (23:59:59 UTC) of the n-th working day after the day of
 * t (n >= 1; the day of t itself never counts, whatever the hour). */
reg_time workdays_deadline(const struct workdays *w, reg_time t, int n);

#endif
