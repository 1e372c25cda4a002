/* IP addresses and prefixes for registrar allow-lists (src/contrib/netaddr.c). */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <string.h>

#include "contrib/netaddr.h"

static void expect_norm(const char *in, const char *want)
{
    char out[NETADDR_STRLEN] = "";
    reg_err e = netaddr_prefix_normalize(in, out, sizeof out);
    if (e != REG_OK)
        fail_msg("normalize(\"%s\") failed: %s", in, reg_strerror(e));
    if (strcmp(out, want))
        fail_msg("normalize(\"%s\") = \"%s\", want \"%s\"", in, out, want);
    /* the canonical form is a fixed point */
    char again[NETADDR_STRLEN] = "";
    assert_int_equal(netaddr_prefix_normalize(out, again, sizeof again), REG_OK);
    assert_string_equal(again, out);
}

static void normalize_ipv4(void **state)
{
    (void)state;
    expect_norm("192.0.2.1", "192.0.2.1/32");
    expect_norm("192.0.2.1/32", "192.0.2.1/32");
    expect_norm("192.0.2.0/24", "192.0.2.0/24");
    expect_norm("0.0.0.0/0", "0.0.0.0/0");
    expect_norm("255.255.255.255/0", "0.0.0.0/0");
}

static void normalize_masks_host_bits(void **state)
{
    (void)state;
    expect_norm("10.1.2.3/8", "10.0.0.0/8");
    expect_norm("192.0.2.255/25", "192.0.2.128/25");
    expect_norm("192.0.2.77/31", "192.0.2.76/31");
    expect_norm("172.31.255.255/12", "172.16.0.0/12");
    expect_norm("203.0.113.9/30", "203.0.113.8/30");
    expect_norm("2001:db8:abcd:12::1/32", "2001:db8::/32");
    expect_norm("2001:db8::ff/121", "2001:db8::80/121");
    expect_norm("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/63", "2001:db8:ffff:fffe::/63");
    expect_norm("ffff::1/0", "::/0");
}

static void normalize_ipv6(void **state)
{
    (void)state;
    expect_norm("2001:DB8::1", "2001:db8::1/128");
    expect_norm("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1/128");
    expect_norm("::1", "::1/128");
    expect_norm("::", "::/128");
    expect_norm("2001:db8::/32", "2001:db8::/32");
    /* IPv4-mapped IPv6 is the IPv4 address */
    expect_norm("::ffff:192.0.2.1", "192.0.2.1/32");
}

static void normalize_rejects_bad_input(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "/24",
                         "192.0.2",
                         "192.0.2.256",
                         "192.0.2.1/33",
                         "192.0.2.1/-1",
                         "192.0.2.1/",
                         "192.0.2.1/8x",
                         "192.0.2.1/24/1",
                         "192.0.2.1 ",
                         "192.0.2.1;",
                         "example.com",
                         "2001:db8::/129",
                         "2001:db8:::1",
                         "2001:db8::g",
                         "1234567890123456789012345678901234567890123456789012345678901234567890",
                         "[2001:db8::1]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[NETADDR_STRLEN] = "untouched";
        if (netaddr_prefix_normalize(bad[i], out, sizeof out) == REG_OK)
            fail_msg("normalize(\"%s\") accepted as \"%s\"", bad[i], out);
    }
}

static void contains_ipv4(void **state)
{
    (void)state;
    assert_true(netaddr_prefix_contains("192.0.2.0/24", "192.0.2.77"));
    assert_true(netaddr_prefix_contains("192.0.2.0/24", "192.0.2.0"));
    assert_true(netaddr_prefix_contains("192.0.2.0/24", "192.0.2.255"));
    assert_false(netaddr_prefix_contains("192.0.2.0/24", "192.0.3.0"));
    assert_false(netaddr_prefix_contains("192.0.2.0/24", "192.0.1.255"));
    assert_true(netaddr_prefix_contains("192.0.2.1", "192.0.2.1"));
    assert_false(netaddr_prefix_contains("192.0.2.1", "192.0.2.2"));
    assert_true(netaddr_prefix_contains("192.0.2.1/32", "192.0.2.1"));
    assert_true(netaddr_prefix_contains("0.0.0.0/0", "203.0.113.9"));
    /* host bits in the prefix are ignored */
    assert_true(netaddr_prefix_contains("10.1.2.3/8", "10.200.0.1"));
    assert_false(netaddr_prefix_contains("10.1.2.3/8", "11.0.0.1"));
    assert_true(netaddr_prefix_contains("192.0.2.128/25", "192.0.2.200"));
    assert_false(netaddr_prefix_contains("192.0.2.128/25", "192.0.2.127"));
}

static void contains_ipv6(void **state)
{
    (void)state;
    assert_true(netaddr_prefix_contains("2001:db8::/32", "2001:db8:1::5"));
    assert_true(netaddr_prefix_contains("2001:db8::/32", "2001:DB8:FFFF::"));
    assert_false(netaddr_prefix_contains("2001:db8::/32", "2001:db9::1"));
    assert_true(netaddr_prefix_contains("2001:db8::1", "2001:db8::1"));
    assert_false(netaddr_prefix_contains("2001:db8::1", "2001:db8::2"));
    assert_true(netaddr_prefix_contains("::/0", "::1"));
    assert_true(netaddr_prefix_contains("2001:db8::80/121", "2001:db8::ff"));
    assert_false(netaddr_prefix_contains("2001:db8::80/121", "2001:db8::7f"));
}

static void contains_ipv4_mapped(void **state)
{
    (void)state;
    assert_true(netaddr_prefix_contains("192.0.2.0/24", "::ffff:192.0.2.10"));
    assert_true(netaddr_prefix_contains("192.0.2.0/24", "::FFFF:c000:020a"));
    assert_false(netaddr_prefix_contains("192.0.2.0/24", "::ffff:198.51.100.1"));
    assert_true(netaddr_prefix_contains("::ffff:192.0.2.1", "192.0.2.1"));
    assert_true(netaddr_prefix_contains("192.0.2.10", "::ffff:192.0.2.10"));
}

static void contains_mismatched_families_and_garbage(void **state)
{
    (void)state;
    assert_false(netaddr_prefix_contains("192.0.2.0/24", "2001:db8::1"));
    assert_false(netaddr_prefix_contains("0.0.0.0/0", "::1"));
    assert_false(netaddr_prefix_contains("2001:db8::/32", "192.0.2.1"));
    assert_false(netaddr_prefix_contains("::/0", "192.0.2.1"));
    /* IPv4-compatible (not mapped) addresses are IPv6 */
    assert_false(netaddr_prefix_contains("192.0.2.0/24", "::192.0.2.1"));
    assert_false(netaddr_prefix_contains("0.0.0.0/0", ""));
    assert_false(netaddr_prefix_contains("0.0.0.0/0", "192.0.2.1/32"));
    assert_false(netaddr_prefix_contains("0.0.0.0/0", "example.com"));
    assert_false(netaddr_prefix_contains("", "192.0.2.1"));
    assert_false(netaddr_prefix_contains("192.0.2.0/33", "192.0.2.1"));
    assert_false(netaddr_prefix_contains("garbage", "192.0.2.1"));
}

/* The listeners print where they are bound (with port) and log the peer
 * of each session (without). */
static void sockaddr_format(void **state)
{
    (void)state;
    char out[NETADDR_STRLEN];
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(7000)};
    inet_pton(AF_INET, "192.0.2.1", &in.sin_addr);
    netaddr_sockaddr_format((struct sockaddr *)&in, true, out, sizeof out);
    assert_string_equal(out, "192.0.2.1:7000");
    netaddr_sockaddr_format((struct sockaddr *)&in, false, out, sizeof out);
    assert_string_equal(out, "192.0.2.1");
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(65535)};
    inet_pton(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &in6.sin6_addr);
    netaddr_sockaddr_format((struct sockaddr *)&in6, true, out, sizeof out);
    assert_string_equal(out, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
    inet_pton(AF_INET6, "2001:db8::1", &in6.sin6_addr);
    netaddr_sockaddr_format((struct sockaddr *)&in6, false, out, sizeof out);
    assert_string_equal(out, "2001:db8::1");
    struct sockaddr other = {.sa_family = AF_UNIX};
    netaddr_sockaddr_format(&other, true, out, sizeof out);
    assert_string_equal(out, "unknown");
}

static struct netaddr_source source(const char *ip)
{
    struct sockaddr_storage ss = {0};
    if (strchr(ip, ':')) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        in6->sin6_family = AF_INET6;
        assert_int_equal(inet_pton(AF_INET6, ip, &in6->sin6_addr), 1);
    } else {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
        in->sin_family = AF_INET;
        assert_int_equal(inet_pton(AF_INET, ip, &in->sin_addr), 1);
    }
    struct netaddr_source s;
    netaddr_source_of((struct sockaddr *)&ss, &s);
    return s;
}

static void expect_source(const char *ip, const char *want)
{
    struct netaddr_source s = source(ip);
    char out[NETADDR_STRLEN];
    netaddr_source_format(&s, out, sizeof out);
    if (strcmp(out, want))
        fail_msg("source of %s is %s, want %s", ip, out, want);
}

/* Per-source limits count an IPv4 address, or an IPv6 /64, as one client. */
static void sources_group_ipv6_by_64(void **state)
{
    (void)state;
    expect_source("192.0.2.1", "192.0.2.1");
    expect_source("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64");
    expect_source("::ffff:192.0.2.7", "192.0.2.7");
    expect_source("::1", "::/64");
    struct netaddr_source a = source("2001:db8:1:2::1"), b = source("2001:db8:1:2:ffff::9"),
                          c = source("2001:db8:1:3::1"), d = source("192.0.2.1"),
                          e = source("::ffff:192.0.2.1"), f = source("192.0.2.2");
    assert_true(netaddr_source_equal(&a, &b));
    assert_false(netaddr_source_equal(&a, &c));
    assert_true(netaddr_source_equal(&d, &e));
    assert_false(netaddr_source_equal(&d, &f));
    struct sockaddr other = {.sa_family = AF_UNIX};
    netaddr_source_of(&other, &a);
    char out[NETADDR_STRLEN];
    netaddr_source_format(&a, out, sizeof out);
    assert_string_equal(out, "other");
}

/* RDAP counts a client named in X-Forwarded-For as text: the same source
 * as the socket address would give. */
static void sources_from_text(void **state)
{
    (void)state;
    const char *ips[] = {"192.0.2.1", "2001:db8:1:2:aaaa::1", "::ffff:192.0.2.7", "::1"};
    for (size_t i = 0; i < sizeof ips / sizeof ips[0]; i++) {
        struct netaddr_source parsed, want = source(ips[i]);
        assert_true(netaddr_source_parse(ips[i], &parsed));
        assert_true(netaddr_source_equal(&parsed, &want));
    }
    struct netaddr_source s;
    const char *bad[] = {"", "192.0.2.1:80", "[2001:db8::1]", "192.0.2.0/24", "localhost",
                         " 192.0.2.1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (netaddr_source_parse(bad[i], &s))
            fail_msg("\"%s\" parsed as a source", bad[i]);
    assert_true(netaddr_is_loopback("127.0.0.1"));
    assert_true(netaddr_is_loopback("127.255.0.2"));
    assert_true(netaddr_is_loopback("::1"));
    assert_true(netaddr_is_loopback("::ffff:127.0.0.2"));
    assert_false(netaddr_is_loopback("128.0.0.1"));
    assert_false(netaddr_is_loopback("::2"));
    assert_false(netaddr_is_loopback("192.0.2.1"));
    assert_false(netaddr_is_loopback("bogus"));
}

/* [epp] exempt and [http] exempt: prefixes the per-source limits skip. */
static void prefix_lists(void **state)
{
    (void)state;
    const char *list = "127.0.0.0/8, ::1 ,2001:db8::/32";
    assert_null(netaddr_prefix_list_check(list));
    assert_null(netaddr_prefix_list_check(""));
    assert_null(netaddr_prefix_list_check(" , "));
    assert_non_null(netaddr_prefix_list_check("127.0.0.0/8,localhost"));
    assert_non_null(netaddr_prefix_list_check("10.0.0.0/33"));
    assert_non_null(netaddr_prefix_list_check("1.2.3.4 5.6.7.8"));
    assert_true(netaddr_prefix_list_contains(list, "127.1.2.3"));
    assert_true(netaddr_prefix_list_contains(list, "::1"));
    assert_true(netaddr_prefix_list_contains(list, "2001:db8:ffff::1"));
    assert_false(netaddr_prefix_list_contains(list, "::2"));
    assert_false(netaddr_prefix_list_contains(list, "128.0.0.1"));
    assert_false(netaddr_prefix_list_contains("", "127.0.0.1"));
    assert_false(netaddr_prefix_list_contains("bogus, 10.0.0.0/8", "127.0.0.1"));
    assert_true(netaddr_prefix_list_contains("bogus, 10.0.0.0/8", "10.9.9.9"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalize_ipv4),
        cmocka_unit_test(normalize_masks_host_bits),
        cmocka_unit_test(normalize_ipv6),
        cmocka_unit_test(normalize_rejects_bad_input),
        cmocka_unit_test(contains_ipv4),
        cmocka_unit_test(contains_ipv6),
        cmocka_unit_test(contains_ipv4_mapped),
        cmocka_unit_test(contains_mismatched_families_and_garbage),
        cmocka_unit_test(sockaddr_format),
        cmocka_unit_test(sources_group_ipv6_by_64),
        cmocka_unit_test(sources_from_text),
        cmocka_unit_test(prefix_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
