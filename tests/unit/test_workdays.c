/* Working-day arithmetic (src/contrib/workdays.c) for R15's "within 5
 * working days": weekends, holidays, the turn of the year, bad calendars. */
#include "testutil.h"

#include <string.h>

#include "contrib/clock.h"
#include "contrib/workdays.h"

static reg_time at(const char *s)
{
    reg_time t;
    if (clock_parse(s, &t))
        fail_msg("bad time %s", s);
    return t;
}

static void assert_deadline(const struct workdays *w, const char *from, int n, const char *want)
{
    char got[REG_TIME_STRLEN];
    clock_format(workdays_deadline(w, at(from), n), got, sizeof got);
    if (strcmp(got, want))
        fail_msg("%d working days after %s: %s, want %s", n, from, got, want);
}

static void test_R15_five_working_days_skip_the_weekend(void **state)
{
    (void)state;
    struct workdays none = {0};
    /* Monday → Tue, Wed, Thu, Fri, Mon */
    assert_deadline(&none, "2027-01-04T10:00:00Z", 5, "2027-01-11T23:59:59Z");
    /* the day of the request never counts, however early */
    assert_deadline(&none, "2027-01-04T00:00:00Z", 5, "2027-01-11T23:59:59Z");
    /* Friday night and the weekend: the next week's Friday */
    assert_deadline(&none, "2027-01-08T23:59:59Z", 5, "2027-01-15T23:59:59Z");
    assert_deadline(&none, "2027-01-09T12:00:00Z", 5, "2027-01-15T23:59:59Z");
    assert_deadline(&none, "2027-01-10T12:00:00Z", 5, "2027-01-15T23:59:59Z");
    /* one working day after a Friday is the Monday */
    assert_deadline(&none, "2027-01-08T09:00:00Z", 1, "2027-01-11T23:59:59Z");
    assert_false(workdays_is_working(&none, workdays_day_of(at("2027-01-09"))));
    assert_false(workdays_is_working(&none, workdays_day_of(at("2027-01-10"))));
    assert_true(workdays_is_working(&none, workdays_day_of(at("2027-01-11"))));
}

static void test_R15_holidays_and_the_year_end(void **state)
{
    (void)state;
    struct workdays w;
    char err[128];
    assert_int_equal(workdays_parse("2026-12-31 2026-12-24,2026-12-25, 2027-01-01,2026-12-24", &w,
                                    err, sizeof err),
                     REG_OK);
    assert_int_equal(w.n, 4); /* sorted, the repeated date once */
    assert_true(w.holidays[0] < w.holidays[1] && w.holidays[2] < w.holidays[3]);
    assert_false(workdays_is_working(&w, workdays_day_of(at("2026-12-24"))));
    assert_true(workdays_is_working(&w, workdays_day_of(at("2026-12-23"))));
    /* Wednesday 23 December: 24, 25 holidays, weekend, 28, 29, 30, 31 and 1
     * holidays, weekend, 4, 5 */
    assert_deadline(&w, "2026-12-23T12:00:00Z", 5, "2027-01-05T23:59:59Z");
    /* the same without holidays: weekends only */
    struct workdays none = {0};
    assert_deadline(&none, "2026-12-23T12:00:00Z", 5, "2026-12-30T23:59:59Z");
    /* a request on a holiday counts from the next working day */
    assert_deadline(&w, "2026-12-24T08:00:00Z", 1, "2026-12-28T23:59:59Z");
    workdays_free(&w);
    assert_null(w.holidays);
    assert_int_equal(w.n, 0);
}

static void holiday_lists_are_checked(void **state)
{
    (void)state;
    struct workdays w;
    char err[128] = "";
    assert_int_equal(workdays_parse("", &w, err, sizeof err), REG_OK);
    assert_int_equal(w.n, 0);
    assert_int_equal(workdays_parse(NULL, &w, err, sizeof err), REG_OK);
    assert_int_equal(workdays_parse(" , ", &w, err, sizeof err), REG_OK);
    assert_int_equal(w.n, 0);
    assert_int_equal(workdays_parse("2024-02-29", &w, err, sizeof err), REG_OK);
    assert_int_equal(w.n, 1);
    workdays_free(&w);
    static const char *const bad[] = {"2025-02-29", "2026-13-01", "24.12.2026", "2026-12-24T00:00:00Z",
                                      "2026-12-24,xmas", "2026-1-5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (workdays_parse(bad[i], &w, err, sizeof err) != REG_ERR_SYNTAX)
            fail_msg("\"%s\" was accepted", bad[i]);
        assert_null(w.holidays);
        assert_non_null(strstr(err, "is not a date like 2026-12-24"));
    }
    assert_non_null(strstr(err, "\"2026-1-5\""));
}

static void day_numbers_before_and_after_the_epoch(void **state)
{
    (void)state;
    assert_int_equal(workdays_day_of(0), 0);
    assert_int_equal(workdays_day_of(86399), 0);
    assert_int_equal(workdays_day_of(86400), 1);
    assert_int_equal(workdays_day_of(-1), -1);
    assert_int_equal(workdays_day_of(-86400), -1);
    assert_int_equal(workdays_day_of(-86401), -2);
    /* 1970-01-01 was a Thursday, 1969-12-28 a Sunday */
    assert_true(workdays_is_working(NULL, 0));
    assert_false(workdays_is_working(NULL, 2));
    assert_false(workdays_is_working(NULL, -4));
    assert_true(workdays_is_working(NULL, -3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_R15_five_working_days_skip_the_weekend),
        cmocka_unit_test(test_R15_holidays_and_the_year_end),
        cmocka_unit_test(holiday_lists_are_checked),
        cmocka_unit_test(day_numbers_before_and_after_the_epoch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
