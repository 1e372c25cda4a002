/* The one source of "now" (DESIGN §8). Business time is whole seconds since
 * the Unix epoch, UTC. Tests and staff move it with clock_set_fixed() or
 * clock_set_offset(); measured durations use clock_mono_us(), never this. */
#ifndef REG_CLOCK_H
#define REG_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "error.h"

typedef int64_t reg_time;

#define REG_TIME_STRLEN 32 /* enough for any clock_format() output */

reg_time clock_now(void);
/* Freeze the clock at t (until clock_set_real()). */
void clock_set_fixed(reg_time t);
/* Let the clock run, starting at t now. */
void clock_set_start(reg_time t);
void clock_set_real(void);
bool clock_is_moved(void);

/* Monotonic microseconds for measuring durations and timeouts. */
int64_t clock_mono_us(void);

/* "2027-01-01T00:00:00Z" (RFC 3339, UTC). Returns buf. */
char *clock_format(reg_time t, char *buf, size_t n);
/* "2027-01-01" */
char *clock_format_date(reg_time t, char *buf, size_t n);
/* Accepts RFC 3339 date-times (fractional seconds ignored, Z or +hh:mm)
 * and plain dates YYYY-MM-DD (midnight UTC). */
reg_err clock_parse(const char *s, reg_time *out);

/* Calendar arithmetic in UTC: add months (years*12), clamping the day to
 * the target month's length (Jan 31 + 1 month = Feb 28/29). */
reg_time clock_add_months(reg_time t, int months);

#endif
