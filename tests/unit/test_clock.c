#include "testutil.h"

#include <string.h>

#include "contrib/clock.h"

static void parse_and_format_round_trip(void **state)
{
    (void)state;
    reg_time t;
    char buf[REG_TIME_STRLEN];
    assert_int_equal(clock_parse("2027-01-01T00:00:00Z", &t), REG_OK);
    assert_int_equal(t, 1798761600);
    assert_string_equal(clock_format(t, buf, sizeof buf), "2027-01-01T00:00:00Z");
    assert_int_equal(clock_parse("1999-12-31T23:59:59.123Z", &t), REG_OK);
    assert_string_equal(clock_format(t, buf, sizeof buf), "1999-12-31T23:59:59Z");
    assert_int_equal(clock_parse("2024-02-29", &t), REG_OK);
    assert_string_equal(clock_format(t, buf, sizeof buf), "2024-02-29T00:00:00Z");
    assert_string_equal(clock_format_date(t, buf, sizeof buf), "2024-02-29");
    /* the digit-by-digit path and printf's agree at its edges: years 0
     * and 9999, the year 10000 and before 0 (printf's), a buffer too
     * small for the whole (cut short as snprintf cuts it) */
    assert_string_equal(clock_format(-62167219200, buf, sizeof buf), "0000-01-01T00:00:00Z");
    assert_string_equal(clock_format(253402300799, buf, sizeof buf), "9999-12-31T23:59:59Z");
    assert_string_equal(clock_format(253402300800, buf, sizeof buf), "10000-01-01T00:00:00Z");
    assert_string_equal(clock_format(-62167219201, buf, sizeof buf), "-001-12-31T23:59:59Z");
    char small[11];
    assert_string_equal(clock_format(1798761600, small, sizeof small), "2027-01-01");
}

static void parse_applies_offsets(void **state)
{
    (void)state;
    reg_time a, b;
    assert_int_equal(clock_parse("2027-01-01T02:00:00+02:00", &a), REG_OK);
    assert_int_equal(clock_parse("2027-01-01T00:00:00Z", &b), REG_OK);
    assert_int_equal(a, b);
    assert_int_equal(clock_parse("2026-12-31T19:00:00-05:00", &a), REG_OK);
    assert_int_equal(a, b);
}

static void parse_rejects_bad_input(void **state)
{
    (void)state;
    reg_time t;
    const char *bad[] = {"",
                         "2027",
                         "2027-13-01",
                         "2027-02-29",
                         "2027-01-01T00:00:00",
                         "2027-01-01T24:00:00Z",
                         "2027-01-01T00:00:00Zjunk",
                         "2027-01-01T00:00Z",
                         "27-01-01",
                         "2027-01-01T00:00:00.Z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_not_equal(clock_parse(bad[i], &t), REG_OK);
    assert_int_not_equal(clock_parse(NULL, &t), REG_OK);
}

static void add_months_clamps_to_month_end(void **state)
{
    (void)state;
    reg_time t;
    char buf[REG_TIME_STRLEN];
    clock_parse("2027-01-31T10:00:00Z", &t);
    assert_string_equal(clock_format(clock_add_months(t, 1), buf, sizeof buf), "2027-02-28T10:00:00Z");
    clock_parse("2024-02-29T00:00:00Z", &t);
    assert_string_equal(clock_format(clock_add_months(t, 12), buf, sizeof buf), "2025-02-28T00:00:00Z");
    assert_string_equal(clock_format(clock_add_months(t, 48), buf, sizeof buf), "2028-02-29T00:00:00Z");
    assert_string_equal(clock_format(clock_add_months(t, -1), buf, sizeof buf), "2024-01-29T00:00:00Z");
}

static void fixed_and_started_clocks(void **state)
{
    (void)state;
    reg_time t;
    clock_parse("2030-06-01T12:00:00Z", &t);
    clock_set_fixed(t);
    assert_true(clock_is_moved());
    assert_int_equal(clock_now(), t);
    clock_set_start(t);
    reg_time n = clock_now();
    assert_true(n >= t && n <= t + 5);
    clock_set_real();
    assert_false(clock_is_moved());
    assert_true(clock_now() > 1700000000);
}

static void monotonic_clock_advances(void **state)
{
    (void)state;
    int64_t a = clock_mono_us(), b = clock_mono_us();
    assert_true(b >= a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_and_format_round_trip),
        cmocka_unit_test(parse_applies_offsets),
        cmocka_unit_test(parse_rejects_bad_input),
        cmocka_unit_test(add_months_clamps_to_month_end),
        cmocka_unit_test(fixed_and_started_clocks),
        cmocka_unit_test(monotonic_clock_advances),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
