/* The zone's records in presentation format (src/zone/rr.c): absolute
 * lowercase names, escaping (quoting) of special bytes, the SOA mailbox,
 * IDN only by A-label, DS (RFC 4034 §5.3), A and AAAA in canonical text,
 * the limits of names, labels and TTLs; a refused record leaves the
 * buffer as it was. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "zone/rr.h"

#define DIGEST "2bb183af5f22588179a53b0a98631fad1a292118a9b4b4d63b5e4e2b1f2f3f4c"

/* What fn appended to an empty buffer, or the reason it refused. */
static char got[1024];

static const char *name_of(const char *in)
{
    strbuf sb;
    sb_init(&sb);
    reg_status st = {0};
    reg_err e = zone_rr_name(&sb, in, &st);
    snprintf(got, sizeof got, "%s", e ? st.reason : sb_str(&sb));
    if (e)
        assert_int_equal(sb.len, 0);
    sb_free(&sb);
    return got;
}

static const char *mailbox_of(const char *in)
{
    strbuf sb;
    sb_init(&sb);
    reg_status st = {0};
    reg_err e = zone_rr_mailbox(&sb, in, &st);
    snprintf(got, sizeof got, "%s", e ? st.reason : sb_str(&sb));
    sb_free(&sb);
    return got;
}

static void names_absolute_lowercase(void **state)
{
    (void)state;
    assert_string_equal(name_of("Example.DK"), "example.dk.");
    assert_string_equal(name_of("example.dk."), "example.dk.");
    assert_string_equal(name_of("dk"), "dk.");
    assert_string_equal(name_of(""), ".");
    assert_string_equal(name_of("."), ".");
    /* IDN: the A-label is published as it is; a U-label never */
    assert_string_equal(name_of("xn--blbrgrd-fxak7p.dk"), "xn--blbrgrd-fxak7p.dk.");
    assert_string_equal(name_of("bl\xc3\xa5" "b\xc3\xa6" "rgr\xc3\xb8" "d.dk"),
                        "\"bl\xc3\xa5" "b\xc3\xa6" "rgr\xc3\xb8" "d.dk\" is not ASCII: an IDN "
                        "goes in the zone by its A-label");
    /* quoting: special bytes escaped, control bytes as \DDD (RFC 1035 §5.1) */
    assert_string_equal(name_of("a b.dk"), "a\\ b.dk.");
    assert_string_equal(name_of("x;y(z)\"q\"@$\\.dk"), "x\\;y\\(z\\)\\\"q\\\"\\@\\$\\\\.dk.");
    assert_string_equal(name_of("tab\there.dk"), "tab\\009here.dk.");
    assert_string_equal(name_of("_dmarc.x.dk"), "_dmarc.x.dk.");
}

static void names_out_of_bounds(void **state)
{
    (void)state;
    char label[70], name[300], want[300];
    memset(label, 'a', 63);
    label[63] = '\0';
    snprintf(name, sizeof name, "%s.dk", label);
    snprintf(want, sizeof want, "%s.dk.", label);
    assert_string_equal(name_of(name), want);
    memset(label, 'a', 64);
    label[64] = '\0';
    snprintf(name, sizeof name, "%s.dk", label);
    assert_non_null(strstr(name_of(name), "has a label longer than 63 octets"));
    /* 255 octets on the wire at most: 63, 63, 63, 58 and "dk" make 255,
     * four labels of 63 and "dk" 260 */
    memset(label, 'b', 63);
    label[63] = '\0';
    snprintf(name, sizeof name, "%s.%s.%s.%.58s.dk", label, label, label, label);
    assert_string_equal(name_of(name) + strlen(name), "."); /* 255 exactly */
    snprintf(name, sizeof name, "%s.%s.%s.%s.dk", label, label, label, label);
    assert_non_null(strstr(name_of(name), "is longer than 255 octets"));
    assert_non_null(strstr(name_of("a..dk"), "has an empty label"));
    assert_non_null(strstr(name_of(".dk"), "has an empty label"));
    assert_non_null(strstr(name_of("dk.."), "has an empty label"));
}

/* The SOA RNAME (RFC 1035 §8): the local part's dots escaped. */
static void soa_mailbox(void **state)
{
    (void)state;
    assert_string_equal(mailbox_of("hostmaster@nic.dk"), "hostmaster.nic.dk.");
    assert_string_equal(mailbox_of("First.Last@NIC.dk"), "first\\.last.nic.dk.");
    assert_string_equal(mailbox_of("hostmaster.nic.dk"), "hostmaster.nic.dk.");
    assert_string_equal(mailbox_of("dns+zone@nic.dk."), "dns+zone.nic.dk.");
    assert_non_null(strstr(mailbox_of("hostmaster@"), "no domain after '@'"));
    assert_non_null(strstr(mailbox_of("@nic.dk"), "empty label"));
}

static void records(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb);
    reg_status st = {0};
    assert_int_equal(zone_rr_ns(&sb, "Example.dk", 3600, "NS1.example.NET.", &st), REG_OK);
    struct zone_ds ds = {2371, 13, 2, DIGEST};
    assert_int_equal(zone_rr_ds(&sb, "example.dk", 3600, &ds, &st), REG_OK);
    struct zone_addr v4 = {4, "192.0.2.1"}, v6 = {6, "2001:DB8:0:0::1"};
    assert_int_equal(zone_rr_addr(&sb, "ns1.example.dk", 86400, &v4, &st), REG_OK);
    assert_int_equal(zone_rr_addr(&sb, "ns1.example.dk", 86400, &v6, &st), REG_OK);
    struct zone_soa soa = {"ns1.example.net", "hostmaster@example.net", 1798761600, 1800, 900,
                           1209600, 900};
    assert_int_equal(zone_rr_soa(&sb, "dk", 3600, &soa, &st), REG_OK);
    assert_string_equal(sb_str(&sb),
                        "example.dk.\t3600\tIN\tNS\tns1.example.net.\n"
                        "example.dk.\t3600\tIN\tDS\t2371 13 2 "
                        "2BB183AF5F22588179A53B0A98631FAD1A292118A9B4B4D63B5E4E2B1F2F3F4C\n"
                        "ns1.example.dk.\t86400\tIN\tA\t192.0.2.1\n"
                        "ns1.example.dk.\t86400\tIN\tAAAA\t2001:db8::1\n"
                        "dk.\t3600\tIN\tSOA\tns1.example.net. hostmaster.example.net. "
                        "1798761600 1800 900 1209600 900\n");
    sb_free(&sb);
}

/* Each refusal names what is wrong and leaves what was there. */
static void refused_records_leave_the_buffer(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, "before\n");
    reg_status st = {0};
    struct {
        struct zone_ds ds;
        const char *why;
    } bad_ds[] = {
        {{65536, 13, 2, DIGEST}, "out of range"},
        {{1, 256, 2, DIGEST}, "out of range"},
        {{1, 13, 256, DIGEST}, "out of range"},
        {{1, 13, 2, "ABC"}, "not hex octets"},
        {{1, 13, 2, "XY"}, "not hex octets"},
        {{1, 13, 2, ""}, "not hex octets"},
    };
    for (size_t i = 0; i < sizeof bad_ds / sizeof bad_ds[0]; i++) {
        assert_int_equal(zone_rr_ds(&sb, "x.dk", 3600, &bad_ds[i].ds, &st), REG_ERR_INVALID);
        assert_non_null(strstr(st.reason, bad_ds[i].why));
    }
    struct zone_addr bad_addr[] = {{4, "2001:db8::1"}, {6, "192.0.2.1"}, {4, "192.0.2"},
                                   {5, "192.0.2.1"}};
    for (size_t i = 0; i < sizeof bad_addr / sizeof bad_addr[0]; i++) {
        assert_int_equal(zone_rr_addr(&sb, "ns.x.dk", 3600, &bad_addr[i], &st), REG_ERR_INVALID);
        assert_non_null(strstr(st.reason, "is not an IPv"));
    }
    assert_int_equal(zone_rr_ns(&sb, "x.dk", ZONE_TTL_MAX + 1u, "ns.example.net", &st),
                     REG_ERR_INVALID);
    assert_non_null(strstr(st.reason, "TTL 2147483648 is over 2147483647"));
    /* a bad host after a good owner: the half-written line goes too */
    assert_int_equal(zone_rr_ns(&sb, "x.dk", 3600, "ns..example.net", &st), REG_ERR_INVALID);
    struct zone_soa soa = {"ns1.example.net", "hostmaster@", 1, 1800, 900, 1209600, 900};
    assert_int_equal(zone_rr_soa(&sb, "dk", 3600, &soa, &st), REG_ERR_INVALID);
    soa.rname = "hostmaster@example.net";
    soa.expire = 3000000000u;
    assert_int_equal(zone_rr_soa(&sb, "dk", 3600, &soa, &st), REG_ERR_INVALID);
    assert_non_null(strstr(st.reason, "SOA expire"));
    assert_string_equal(sb_str(&sb), "before\n");
    sb_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_absolute_lowercase),
        cmocka_unit_test(names_out_of_bounds),
        cmocka_unit_test(soa_mailbox),
        cmocka_unit_test(records),
        cmocka_unit_test(refused_records_leave_the_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
