/* Domain and host names (src/registry/names.c), issue 12 item 8: IDNA2008
 * strictly (RFC 5891), never UTS #46 mapping. A name that is not already
 * what IDNA2008 registers is refused with a reason that says what is wrong
 * and names the code point, not silently mapped; ASCII upper case is
 * folded and one trailing dot dropped. */
#include "regfixture.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "registry/names.h"

static const struct name_policy dk = {.tld = "dk", .allowed_chars = DK_CHARS};

#define BLAABAER "bl\xc3\xa5" "b\xc3\xa6" "r"         /* blåbær */
#define BLAABAER_NFD "bla\xcc\x8a" "b\xc3\xa6" "r"    /* a + combining ring above */
#define BLAABAER_UPPER "BL\xc3\x85" "B\xc3\x86" "R"   /* BLÅBÆR */

static const struct {
    const char *in, *alabel, *ulabel;
} accepted[] = {
    {"example.dk", "example.dk", "example.dk"},
    {"EXAMPLE.DK.", "example.dk", "example.dk"},          /* ASCII case folded, root dot */
    {BLAABAER ".dk", "xn--blbr-roah.dk", BLAABAER ".dk"},
    {"B" "l\xc3\xa5" "b\xc3\xa6" "r.DK", "xn--blbr-roah.dk", BLAABAER ".dk"}, /* ASCII only */
    {"xn--blbr-roah.dk", "xn--blbr-roah.dk", BLAABAER ".dk"},
    {"XN--BLBR-ROAH.DK.", "xn--blbr-roah.dk", BLAABAER ".dk"},
    {"caf\xc3\xa9.dk", "xn--caf-dma.dk", "caf\xc3\xa9.dk"},
};

static const struct {
    const char *in;
    reg_err code;
    uint32_t cp;        /* the code point the reason names (and refused_cp); 0: none */
    const char *reason; /* a part of the reason */
} refused[] = {
    {"\xef\xac\x81sh.dk", REG_ERR_INVALID, 0xfb01,
     "U+FB01 (LATIN SMALL LIGATURE FI) is not allowed in a domain name: it is a compatibility "
     "form; write \"fi\" instead"},
    {"\xef\xbd\x85xample.dk", REG_ERR_INVALID, 0xff45, "compatibility form; write \"e\""},
    {"\xef\xbd\x85\xef\xbd\x98\xef\xbd\x81\xef\xbd\x8d\xef\xbd\x90\xef\xbd\x8c\xef\xbd\x85.dk",
     REG_ERR_INVALID, 0xff45, "FULLWIDTH LATIN SMALL LETTER E"},
    {BLAABAER_UPPER ".dk", REG_ERR_INVALID, 0x00c5,
     "U+00C5 (LATIN CAPITAL LETTER A WITH RING ABOVE) is not allowed in a domain name: IDNA2008 "
     "takes letters in lower case only (\xc3\xa5)"},
    {BLAABAER_NFD ".dk", REG_ERR_INVALID, 0x030a,
     "not in Unicode Normalization Form C (NFC) at U+030A (COMBINING RING ABOVE)"},
    {"\xe2\x84\xab" "bc.dk", REG_ERR_INVALID, 0x212b, "Normalization Form C"}, /* Angstrom sign */
    {"pay\xe2\x80\x8bpal.dk", REG_ERR_INVALID, 0x200b, "ZERO WIDTH SPACE"},
    {"evil\xe2\x80\xae" "cod.dk", REG_ERR_INVALID, 0x202e, "RIGHT-TO-LEFT OVERRIDE"},
    {"a\xe2\x80\x8d" "b.dk", REG_ERR_INVALID, 0x200d, "only after a virama"},
    {"a\xc2\xb7" "b.dk", REG_ERR_INVALID, 0x00b7, "between two l"},
    {"\xf0\x9f\x98\x80.dk", REG_ERR_INVALID, 0x1f600, "GRINNING FACE"},
    {"\xcc\x81" "a.dk", REG_ERR_INVALID, 0x0301, "may not begin with a combining mark"},
    {"ab\xd7\x90.dk", REG_ERR_INVALID, 0, "Bidi rule"},
    {"xn--sh-1b1n.dk", REG_ERR_INVALID, 0xfb01, "xn--sh-1b1n is not a valid A-label: U+FB01"},
    {"xn--ab.dk", REG_ERR_INVALID, 0x0081, "xn--ab is not a valid A-label: U+0081"},
    {"a\xd9\xa0\xdb\xb1.dk", REG_ERR_INVALID, 0x0660, "cannot be mixed"}, /* ٠ and ۱ */
    {"stra\xc3\x9f" "e.dk", REG_ERR_POLICY, 0, "(U+00DF) is not allowed under .dk"},
    {"a_b.dk", REG_ERR_INVALID, 0, "'_'"},
    {"example.com", REG_ERR_POLICY, 0, "not a name under .dk"},
};

static void accepted_names_are_stored_as_asked(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
        struct domain_name dn;
        reg_status st = {0};
        if (names_domain(&dk, accepted[i].in, &dn, &st))
            fail_msg("%s refused: %s", accepted[i].in, st.reason);
        assert_string_equal(dn.alabel, accepted[i].alabel);
        assert_string_equal(dn.ulabel, accepted[i].ulabel);
        assert_int_equal(dn.refused_cp, 0);
    }
}

static void idna2008_strict_refuses_what_uts46_would_map_item8(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        struct domain_name dn;
        reg_status st = {0};
        reg_err e = names_domain(&dk, refused[i].in, &dn, &st);
        if (e != refused[i].code)
            fail_msg("%s: %s (%s), want %s", refused[i].in, reg_strerror(e), st.reason,
                     reg_strerror(refused[i].code));
        if (!strstr(st.reason, refused[i].reason))
            fail_msg("%s: reason \"%s\" lacks \"%s\"", refused[i].in, st.reason,
                     refused[i].reason);
        assert_int_equal(dn.refused_cp, refused[i].cp);
        if (refused[i].cp) {
            char want[16];
            snprintf(want, sizeof want, "U+%04X", refused[i].cp);
            assert_non_null(strstr(st.reason, want));
        }
    }
}

/* The reason never repeats the name: it may hold what deceives. */
static void the_reason_does_not_echo_a_deceiving_name(void **state)
{
    (void)state;
    struct domain_name dn;
    reg_status st = {0};
    assert_int_equal(names_domain(&dk, "evil\xe2\x80\xae" "cod.dk", &dn, &st), REG_ERR_INVALID);
    assert_null(strstr(st.reason, "\xe2\x80\xae"));
    char host[NAME_MAX_LEN + 1];
    assert_int_equal(names_host("ns1.evil\xe2\x80\xae" "cod.net", host, &st), REG_ERR_INVALID);
    assert_null(strstr(st.reason, "\xe2\x80\xae"));
    assert_non_null(strstr(st.reason, "U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed in a host name"));
}

static void host_names_idna2008_strict_item8(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out; /* out NULL: refused, naming cp */
        uint32_t cp;
    } cases[] = {
        {"ns1." BLAABAER ".dk", "ns1.xn--blbr-roah.dk", 0},
        {"NS1." BLAABAER ".DK.", "ns1.xn--blbr-roah.dk", 0},
        {"ns1.stra\xc3\x9f" "e.de", "ns1.xn--strae-oqa.de", 0},
        {"ns1.xn--strae-oqa.de", "ns1.xn--strae-oqa.de", 0},
        {"NS1." BLAABAER_UPPER ".DK", NULL, 0x00c5},
        {"ns1." BLAABAER_NFD ".dk", NULL, 0x030a},
        {"ns1.\xef\xac\x81sh.net", NULL, 0xfb01},
        {"\xef\xbd\x8e\xef\xbd\x93\xef\xbc\x91.example.net", NULL, 0xff4e}, /* ｎｓ１ */
        {"ns1.xn--sh-1b1n.net", NULL, 0xfb01},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[NAME_MAX_LEN + 1];
        reg_status st = {0};
        reg_err e = names_host(cases[i].in, out, &st);
        if (cases[i].out) {
            if (e)
                fail_msg("%s refused: %s", cases[i].in, st.reason);
            assert_string_equal(out, cases[i].out);
            continue;
        }
        if (!e)
            fail_msg("%s accepted as %s", cases[i].in, out);
        assert_int_equal(e, REG_ERR_INVALID);
        char want[16];
        snprintf(want, sizeof want, "U+%04X", cases[i].cp);
        if (!strstr(st.reason, want))
            fail_msg("%s: reason \"%s\" lacks %s", cases[i].in, st.reason, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepted_names_are_stored_as_asked),
        cmocka_unit_test(idna2008_strict_refuses_what_uts46_would_map_item8),
        cmocka_unit_test(the_reason_does_not_echo_a_deceiving_name),
        cmocka_unit_test(host_names_idna2008_strict_item8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
