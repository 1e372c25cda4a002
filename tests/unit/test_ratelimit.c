/* Token buckets and the table of sources behind the per-source limits
 * (src/contrib/ratelimit.c). Time is passed in: no clock, no sleeping. */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "contrib/ratelimit.h"

#define SECOND 1000000LL

static struct netaddr_source v4(const char *ip)
{
    struct sockaddr_in in = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, ip, &in.sin_addr), 1);
    struct netaddr_source s;
    netaddr_source_of((struct sockaddr *)&in, &s);
    return s;
}

/* 60 a minute with a burst of 3: three at once, then one a second. */
static void bucket_burst_then_rate(void **state)
{
    (void)state;
    struct rate_limit r = {60, 3};
    struct token_bucket b;
    int64_t t = 1000 * SECOND;
    token_bucket_init(&b, &r, t);
    assert_true(token_bucket_full(&b, &r, t));
    for (int i = 0; i < 3; i++)
        assert_true(token_bucket_take(&b, &r, t));
    assert_false(token_bucket_take(&b, &r, t));
    assert_false(token_bucket_take(&b, &r, t + SECOND / 2));
    /* the wait says when the next one comes */
    int64_t wait = token_bucket_wait_us(&b, &r, t + SECOND / 2);
    assert_true(wait > SECOND / 2 - 10 && wait <= SECOND / 2 + 10);
    assert_int_equal(token_bucket_wait_us(&b, &r, t + SECOND), 0);
    assert_true(token_bucket_take(&b, &r, t + SECOND));
    assert_false(token_bucket_take(&b, &r, t + SECOND));
    assert_false(token_bucket_full(&b, &r, t + 3 * SECOND));
    /* refusals do not cost tokens, and the bucket never holds more than the burst */
    assert_true(token_bucket_full(&b, &r, t + 4 * SECOND));
    t += 3600 * SECOND;
    for (int i = 0; i < 3; i++)
        assert_true(token_bucket_take(&b, &r, t));
    assert_false(token_bucket_take(&b, &r, t));
    /* a clock that steps back does not refill */
    assert_false(token_bucket_take(&b, &r, t - 10 * SECOND));
}

static void bucket_without_limit(void **state)
{
    (void)state;
    struct rate_limit r = {0, 1};
    struct token_bucket b;
    token_bucket_init(&b, &r, 0);
    for (int i = 0; i < 1000; i++)
        assert_true(token_bucket_take(&b, &r, 0));
    assert_int_equal(token_bucket_wait_us(&b, &r, 0), 0);
    assert_true(token_bucket_full(&b, &r, 0));
}

static void table_keeps_one_entry_per_source(void **state)
{
    (void)state;
    struct rate_limit r = {6, 2};
    struct source_table *t = source_table_new(8, &r);
    struct netaddr_source a = v4("192.0.2.1"), b = v4("192.0.2.2");
    struct source_entry *ea = source_table_get(t, &a, 0);
    assert_non_null(ea);
    assert_ptr_equal(source_table_get(t, &a, 0), ea);
    assert_ptr_not_equal(source_table_get(t, &b, 0), ea);
    assert_int_equal(source_table_count(t), 2);
    assert_true(token_bucket_take(&ea->bucket, &r, 0));
    assert_true(token_bucket_take(&ea->bucket, &r, 0));
    assert_false(token_bucket_take(&ea->bucket, &r, 0));
    /* found again with its bucket as it was */
    assert_false(token_bucket_take(&source_table_get(t, &a, SECOND)->bucket, &r, SECOND));
    source_table_free(t);
}

/* A source's take: its burst, then false with whole seconds to wait
 * (6 a minute: one every 10 s), at least 1; token_bucket_wait_us adds a
 * microsecond so that the token is whole once waited for, which rounds
 * 10 s up to 11. */
static void table_take_says_how_long_to_wait(void **state)
{
    (void)state;
    struct rate_limit r = {6, 2};
    struct source_table *t = source_table_new(8, &r);
    struct netaddr_source a = v4("192.0.2.1"), b = v4("192.0.2.2");
    int64_t wait_s = -1;
    assert_true(source_table_take(t, &r, &a, 0, &wait_s));
    assert_true(source_table_take(t, &r, &a, 0, &wait_s));
    assert_false(source_table_take(t, &r, &a, 0, &wait_s));
    assert_int_equal(wait_s, 11);
    assert_false(source_table_take(t, &r, &a, 9 * SECOND + 1, &wait_s));
    assert_int_equal(wait_s, 1);
    assert_true(source_table_take(t, &r, &a, 10 * SECOND, &wait_s));
    assert_true(source_table_take(t, &r, &b, 0, &wait_s)); /* another source is apart */
    source_table_free(t);
}

/* Full: forget what no longer matters, then the idle source with the
 * fullest bucket; never one with connections open. */
static void table_is_bounded(void **state)
{
    (void)state;
    struct rate_limit r = {60, 5};
    struct source_table *t = source_table_new(4, &r);
    char ip[32];
    struct source_entry *e[4];
    for (int i = 0; i < 4; i++) {
        snprintf(ip, sizeof ip, "198.51.100.%d", i);
        struct netaddr_source s = v4(ip);
        e[i] = source_table_get(t, &s, 0);
        assert_non_null(e[i]);
    }
    /* 0 and 1 hold connections; 2 spent its burst; 3 spent one token */
    e[0]->conns = e[1]->conns = 1;
    for (int i = 0; i < 5; i++)
        assert_true(token_bucket_take(&e[2]->bucket, &r, 0));
    assert_true(token_bucket_take(&e[3]->bucket, &r, 0));
    struct netaddr_source n = v4("203.0.113.1");
    assert_non_null(source_table_get(t, &n, 0)); /* 3, the fullest idle one, made room */
    assert_int_equal(source_table_count(t), 4);
    struct netaddr_source s2 = v4("198.51.100.2"), s3 = v4("198.51.100.3");
    struct netaddr_source n2 = v4("203.0.113.2");
    e[2] = source_table_get(t, &s2, 0);
    assert_false(token_bucket_take(&e[2]->bucket, &r, 0)); /* 2 was kept, still empty */
    /* the new source, idle with a full bucket, is forgotten for the next one */
    struct source_entry *x = source_table_get(t, &n2, SECOND);
    assert_non_null(x);
    assert_int_equal(source_table_count(t), 4);
    /* every entry with connections (2, the last idle one, makes room for
     * the new source's return): nothing can go */
    struct source_entry *all[4];
    size_t k = 0;
    struct netaddr_source keep[4] = {v4("198.51.100.0"), v4("198.51.100.1"), n2, v4("203.0.113.1")};
    for (int i = 0; i < 4; i++) {
        all[k] = source_table_get(t, &keep[i], SECOND);
        if (all[k])
            all[k++]->conns = 1;
    }
    assert_int_equal(source_table_count(t), 4);
    assert_null(source_table_get(t, &s3, 2 * SECOND));
    /* a minute on, those that close their connections are forgotten as needed */
    for (size_t i = 0; i < k; i++)
        all[i]->conns = 0;
    assert_non_null(source_table_get(t, &s3, 100 * SECOND));
    assert_true(source_table_count(t) <= 4);
    source_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bucket_burst_then_rate),
        cmocka_unit_test(bucket_without_limit),
        cmocka_unit_test(table_keeps_one_entry_per_source),
        cmocka_unit_test(table_is_bounded),
        cmocka_unit_test(table_take_says_how_long_to_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
