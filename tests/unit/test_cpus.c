#include "testutil.h"

#include <sched.h>
#include <unistd.h>

#include "contrib/cpus.h"

/* cgroup v2 cpu.max: "QUOTA PERIOD", or "max PERIOD" for no limit */
static void quotas_round_up(void **state)
{
    (void)state;
    assert_int_equal(cpus_of_quota("max 100000\n"), 0);
    assert_int_equal(cpus_of_quota("200000 100000\n"), 2);
    assert_int_equal(cpus_of_quota("150000 100000"), 2); /* 1.5 CPUs: both run */
    assert_int_equal(cpus_of_quota("50000 100000"), 1);
    assert_int_equal(cpus_of_quota(""), 0);
    assert_int_equal(cpus_of_quota("100000"), 0);
    assert_int_equal(cpus_of_quota("-1 100000"), 0);
    assert_int_equal(cpus_of_quota(NULL), 0);
}

/* never more than the affinity mask, never less than one */
static void usable_cpus_are_within_the_mask(void **state)
{
    (void)state;
    cpu_set_t set;
    assert_int_equal(sched_getaffinity(0, sizeof set, &set), 0);
    int n = cpus_usable();
    assert_true(n >= 1);
    assert_true(n <= CPU_COUNT(&set));
    /* a mask of one CPU is one CPU, whatever the machine has */
    cpu_set_t one;
    CPU_ZERO(&one);
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, &set)) {
            CPU_SET(i, &one);
            break;
        }
    assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
    assert_int_equal(cpus_usable(), 1);
    assert_int_equal(sched_setaffinity(0, sizeof set, &set), 0);
    assert_int_equal(cpus_usable(), n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quotas_round_up),
        cmocka_unit_test(usable_cpus_are_within_the_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
