/* The request arena (src/contrib/arena.c): alignment, zeroing, the limit
 * and its sticky failure, reset keeping one chunk, and arena_owns, which
 * tells the JSON allocator (rdds/jsonmem.c) what it must not free(). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "contrib/arena.h"

static void aligned_and_zeroed(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 0);
    /* twice: the second round reuses the kept chunk, dirtied by the first */
    for (int round = 0; round < 2; round++) {
        for (size_t n = 1; n < 100; n += 7) {
            unsigned char *p = arena_alloc(&a, n);
            assert_non_null(p);
            assert_int_equal((uintptr_t)p % 16, 0);
            for (size_t i = 0; i < n; i++)
                assert_int_equal(p[i], 0);
            memset(p, 0xff, n);
        }
        arena_reset(&a);
    }
    /* larger than a chunk, and the copies */
    assert_non_null(arena_alloc(&a, 100000));
    assert_string_equal(arena_strdup(&a, "example.dk"), "example.dk");
    assert_string_equal(arena_strndup(&a, "example.dk", 7), "example");
    assert_string_equal(arena_printf(&a, "%s-%d", "D", 12), "D-12");
    assert_null(arena_strdup(&a, NULL));
    assert_false(arena_failed(&a));
    arena_free(&a);
}

static void limit_fails_until_reset(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 1000);
    assert_non_null(arena_alloc(&a, 600));
    assert_null(arena_alloc(&a, 600));
    assert_true(arena_failed(&a));
    /* failed stays failed, even for what would fit */
    assert_null(arena_alloc(&a, 1));
    assert_null(arena_calloc(&a, SIZE_MAX / 2, 4));
    arena_reset(&a);
    assert_false(arena_failed(&a));
    assert_non_null(arena_alloc(&a, 600));
    /* a count times size that overflows fails, it does not wrap */
    arena_reset(&a);
    assert_null(arena_calloc(&a, SIZE_MAX / 2, 4));
    assert_true(arena_failed(&a));
    arena_free(&a);
}

static void owns(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 0);
    assert_false(arena_owns(&a, &a)); /* no chunk yet */
    char *first = arena_alloc(&a, 10);
    char *big = arena_alloc(&a, 3 * 4096); /* a chunk of its own */
    char *last = arena_alloc(&a, 10);
    assert_true(arena_owns(&a, first));
    assert_true(arena_owns(&a, first + 9));
    assert_true(arena_owns(&a, big));
    assert_true(arena_owns(&a, big + 3 * 4096 - 1));
    assert_true(arena_owns(&a, last));
    char *elsewhere = malloc(10);
    assert_false(arena_owns(&a, elsewhere));
    assert_false(arena_owns(&a, &a));
    free(elsewhere);
    /* after a reset nothing is handed out, though a chunk is kept */
    arena_reset(&a);
    assert_false(arena_owns(&a, first));
    assert_false(arena_owns(&a, big));
    assert_false(arena_owns(&a, last));
    char *again = arena_alloc(&a, 10);
    assert_true(arena_owns(&a, again));
    assert_false(arena_owns(&a, again + 16)); /* beyond what was handed out */
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aligned_and_zeroed),
        cmocka_unit_test(limit_fails_until_reset),
        cmocka_unit_test(owns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
