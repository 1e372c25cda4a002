/* Free text under PRECIS FreeformClass (src/contrib/precis.c), issue 12
 * item 8: text that can deceive a reader of WHOIS, RDAP, mail or a page is
 * refused, naming the first offending code point and why. */
#include "testutil.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "contrib/precis.h"
#include "contrib/utf8.h"

/* Accepted: letters of many scripts, spaces, punctuation, symbols, the
 * contextual characters where their rule holds. */
static const char *const accepted[] = {
    "Jens Hansen",
    "S\xc3\xb8ren \xc3\x86rb\xc3\xb8 \xc3\x85se",                   /* Søren Ærbø Åse */
    "Stra\xc3\x9f" "e 1, 2. th.",                                    /* ß */
    "\xce\x9a\xcf\x8e\xcf\x83\xcf\x84\xce\xb1\xcf\x82",              /* Κώστας (final sigma) */
    "\xd7\x93\xd7\x95\xd7\x93 \xd7\x9b\xd7\x94\xd7\x9f",             /* Hebrew, right to left */
    "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf",                              /* Arabic */
    "\xe5\xb1\xb1\xe7\x94\xb0 \xe5\xa4\xaa\xe9\x83\x8e",             /* 山田 太郎 */
    "\xed\x95\x9c\xea\xb5\xad",                                      /* 한국 (syllables) */
    "Jens\xc2\xa0Hansen",                                            /* no-break space */
    "\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3",                          /* ＡＢＣ: width kept */
    "\xef\xac\x81sh & chips",                                        /* ﬁ: compatibility form */
    "caf\xc3\xa9 \xe2\x82\xac 5 \xe2\x80\x94 \xe2\x80\x9cquoted\xe2\x80\x9d", /* é € — “” */
    "\xf0\x9f\x98\x80",                                              /* 😀 */
    "Col\xc2\xb7legi",                                               /* l·l (Catalan) */
    "\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8d\xe0\xa4\xb7",              /* क्‍ष: ZWJ after virama */
    "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85", /* می‌خواهم: ZWNJ joins */
    "\xe3\x82\xab\xe3\x83\xbb\xe3\x83\x8a",                          /* カ・ナ */
    "\xd7\x94\xd7\xb3",                                              /* Hebrew geresh after Hebrew */
    "\xcd\xb5\xce\xb1",                                              /* Greek keraia before alpha */
    "\xd9\xa1\xd9\xa2",                                              /* Arabic-Indic digits alone */
    "",
};

struct refused {
    const char *text;
    uint32_t cp;
    const char *why; /* a part of the reason */
};

/* Refused: each names its code point. */
static const struct refused refused[] = {
    {"Evil\xe2\x80\xae" "cod.exe", 0x202e, "bidirectional formatting control"},
    {"a\xe2\x80\xaa" "b", 0x202a, "bidirectional"},
    {"a\xe2\x81\xa6" "b", 0x2066, "bidirectional"},
    {"a\xe2\x81\xa9" "b", 0x2069, "bidirectional"},
    {"a\xe2\x80\x8e" "b", 0x200e, "bidirectional"},
    {"a\xe2\x80\x8f" "b", 0x200f, "bidirectional"},
    {"a\xd8\x9c" "b", 0x061c, "bidirectional"},
    {"pay\xe2\x80\x8bpal", 0x200b, "zero-width"},
    {"pay\xe2\x81\xa0pal", 0x2060, "zero-width"},
    {"\xef\xbb\xbfname", 0xfeff, "zero-width"},
    {"Jens\xc2\xad" "Hansen", 0x00ad, "invisible"},                /* soft hyphen */
    {"a\xef\xb8\x8f", 0xfe0f, "invisible"},                        /* variation selector */
    {"a\xe2\x80\x8d" "b", 0x200d, "only after a virama"},          /* ZWJ out of context */
    {"a\xe2\x80\x8c" "b", 0x200c, "virama or between letters"},    /* ZWNJ out of context */
    {"Jens\nHansen", 0x000a, "control character"},
    {"Jens\tHansen", 0x0009, "control character"},
    {"a\x7f", 0x007f, "control character"},
    {"a\xc2\x85" "b", 0x0085, "control character"},                /* C1: NEL */
    {"a\xc2\x9b" "b", 0x009b, "control character"},                /* C1: CSI */
    {"a\xe2\x80\xa8" "b", 0x2028, "line or paragraph separator"},
    {"a\xe2\x80\xa9" "b", 0x2029, "line or paragraph separator"},
    {"a\xee\x80\x80", 0xe000, "private-use"},
    {"a\xf3\xb0\x80\x80", 0xf0000, "private-use"},
    {"a\xef\xb7\x90", 0xfdd0, "noncharacter"},
    {"a\xef\xbf\xbe", 0xfffe, "noncharacter"},
    {"a\xcd\xb8", 0x0378, "not an assigned character"},
    {"\xe1\x84\x80\xe1\x85\xa1", 0x1100, "Hangul jamo"},           /* conjoining jamo */
    {"\xe3\x85\xa4", 0x3164, "invisible"},                         /* Hangul filler */
    {"a\xd9\x80" "b", 0x0640, "exceptions"},                       /* tatweel */
    {"a\xc2\xb7" "b", 0x00b7, "between two l"},
    {"a\xcd\xb5", 0x0375, "before a Greek"},
    {"a\xd7\xb3", 0x05f3, "after a Hebrew"},
    {"a\xe3\x83\xbb" "b", 0x30fb, "Hiragana, Katakana or Han"},
    {"\xd9\xa1\xdb\xb2", 0x0661, "cannot be mixed"},
    {"a\xd8\x80" "1", 0x0600, "formatting character"},             /* Arabic number sign */
    {"A\xe2\x84\xab", 0x212b, "Normalization Form C"},             /* Å (Angstrom sign) */
    {"Rene\xcc\x81", 0x0301, "Normalization Form C"},              /* e + combining acute */
};

static void accepts_text_of_every_script(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
        struct precis_fault f;
        if (!precis_text_valid(accepted[i], &f))
            fail_msg("\"%s\" refused at U+%04X: %s", accepted[i], f.cp, f.why);
        reg_status st = {0};
        assert_int_equal(precis_text_check("field", accepted[i], &st), REG_OK);
    }
}

static void refuses_deceiving_text_naming_the_code_point(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const struct refused *r = &refused[i];
        struct precis_fault f;
        if (precis_text_valid(r->text, &f))
            fail_msg("U+%04X: accepted", r->cp);
        if (f.cp != r->cp)
            fail_msg("U+%04X: refused naming U+%04X (%s)", r->cp, f.cp, f.why);
        /* the offset points at the code point */
        uint32_t at = 0;
        assert_true(f.offset < strlen(r->text));
        assert_true(utf8_decode(r->text + f.offset, &at) > 0);
        assert_int_equal(at, r->cp);
        reg_status st = {0};
        assert_int_equal(precis_text_check("postalInfo loc name", r->text, &st), REG_ERR_INVALID);
        char want[16];
        snprintf(want, sizeof want, "U+%04X", r->cp);
        if (!strstr(st.reason, want) || !strstr(st.reason, r->why) ||
            strncmp(st.reason, "postalInfo loc name: ", 21))
            fail_msg("U+%04X: reason \"%s\"", r->cp, st.reason);
    }
}

static void the_reason_names_field_code_point_and_why(void **state)
{
    (void)state;
    reg_status st = {0};
    assert_int_equal(precis_text_check("postalInfo loc name", "Evil\xe2\x80\xae" "cod.exe", &st),
                     REG_ERR_INVALID);
    assert_string_equal(st.reason, "postalInfo loc name: U+202E (RIGHT-TO-LEFT OVERRIDE) is not "
                                   "allowed in text: it is a bidirectional formatting control");
    assert_int_equal(precis_text_check("city", "Rene\xcc\x81", &st), REG_ERR_INVALID);
    assert_string_equal(st.reason, "city: the text is not in Unicode Normalization Form C (NFC) "
                                   "at U+0301 (COMBINING ACUTE ACCENT); send it composed");
    assert_int_equal(precis_text_check("note", "a\xc2\x85", &st), REG_ERR_INVALID);
    assert_string_equal(st.reason, "note: U+0085 (a control character) is not allowed in text: it "
                                   "is a control character");
}

static void invalid_utf8_is_refused_naming_the_byte(void **state)
{
    (void)state;
    static const char *const bad[] = {"a\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80",
                                      "\xf4\x90\x80\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct precis_fault f;
        assert_false(precis_text_valid(bad[i], &f));
        assert_int_equal(f.kind, PRECIS_FAULT_UTF8);
        reg_status st = {0};
        assert_int_equal(precis_text_check("org", bad[i], &st), REG_ERR_INVALID);
        assert_non_null(strstr(st.reason, "not valid UTF-8"));
    }
}

static void empty_and_missing_text_pass(void **state)
{
    (void)state;
    reg_status st = {0};
    assert_int_equal(precis_text_check("org", NULL, &st), REG_OK);
    assert_int_equal(precis_text_check("org", "", &st), REG_OK);
}

/* RFC 8264 §8 on single code points. */
static void derived_properties(void **state)
{
    (void)state;
    static const struct {
        uint32_t cp;
        precis_prop prop;
    } table[] = {
        {'a', PRECIS_PVALID},          {'~', PRECIS_PVALID},          {' ', PRECIS_FREE_PVAL},
        {0x00e5, PRECIS_PVALID},       {0x00c5, PRECIS_PVALID},       {0x00df, PRECIS_PVALID},
        {0x00a0, PRECIS_FREE_PVAL},    {0xfb01, PRECIS_FREE_PVAL},    {0xff41, PRECIS_FREE_PVAL},
        {0x2160, PRECIS_FREE_PVAL},    {0x20ac, PRECIS_FREE_PVAL},    {0x00bd, PRECIS_FREE_PVAL},
        {0x200c, PRECIS_CONTEXTJ},     {0x200d, PRECIS_CONTEXTJ},     {0x00b7, PRECIS_CONTEXTO},
        {0x0660, PRECIS_CONTEXTO},     {0x0000, PRECIS_DISALLOWED},   {0x001b, PRECIS_DISALLOWED},
        {0x0085, PRECIS_DISALLOWED},   {0x202e, PRECIS_DISALLOWED},   {0x200b, PRECIS_DISALLOWED},
        {0xe000, PRECIS_DISALLOWED},   {0xfffe, PRECIS_DISALLOWED},   {0x1160, PRECIS_DISALLOWED},
        {0x0378, PRECIS_UNASSIGNED},   {0x10ffff, PRECIS_DISALLOWED}, {0xe0001, PRECIS_DISALLOWED},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        precis_prop p = precis_freeform(table[i].cp, NULL);
        if (p != table[i].prop)
            fail_msg("U+%04X: property %d, want %d", table[i].cp, p, table[i].prop);
    }
}

/* utf8_valid: strict, no NUL, and never a byte past the length given */
static void validates_utf8_within_its_length(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    static const char text[] = "bl\xc3\xa5 \xe2\x82\xac \xf0\x9f\x98\x80";
    assert_true(utf8_valid(text, sizeof text - 1));
    assert_false(utf8_valid("a\0b", 3));              /* NUL */
    assert_false(utf8_valid("\xc0\xaf", 2));          /* overlong */
    assert_false(utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
    assert_false(utf8_valid("\xf4\x90\x80\x80", 4));  /* past U+10FFFF */
    assert_false(utf8_valid("\xa5", 1));              /* a lone continuation */
    /* a sequence cut by the length: the bytes after it are valid, unread */
    assert_false(utf8_valid("\xc3\xa5", 1));
    assert_false(utf8_valid("\xe2\x82\xac", 2));
}

static void describes_code_points(void **state)
{
    (void)state;
    char buf[320];
    precis_describe(0x202e, buf, sizeof buf);
    assert_string_equal(buf, "U+202E (RIGHT-TO-LEFT OVERRIDE)");
    precis_describe(0x4e00, buf, sizeof buf);
    assert_string_equal(buf, "U+4E00 (CJK UNIFIED IDEOGRAPH-4E00)");
    precis_describe(0xe000, buf, sizeof buf);
    assert_string_equal(buf, "U+E000 (a private-use character)");
    precis_describe(0x1f600, buf, sizeof buf);
    assert_string_equal(buf, "U+1F600 (GRINNING FACE)");
    assert_true(precis_compat_form(0xfb01, buf, sizeof buf));
    assert_string_equal(buf, "fi");
    assert_true(precis_compat_form(0xff45, buf, sizeof buf));
    assert_string_equal(buf, "e");
    assert_false(precis_compat_form(0x00e5, buf, sizeof buf));
    assert_true(precis_upper_case(0x00c5, buf, sizeof buf));
    assert_string_equal(buf, "\xc3\xa5");
    assert_false(precis_upper_case(0x00e5, buf, sizeof buf));
    struct precis_fault f;
    assert_false(precis_nfc_fault("bl\xc3\xa5" "b\xc3\xa6r", &f));
    assert_true(precis_nfc_fault("bla\xcc\x8a", &f));
    assert_int_equal(f.cp, 0x030a);
    assert_int_equal(f.offset, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_text_of_every_script),
        cmocka_unit_test(refuses_deceiving_text_naming_the_code_point),
        cmocka_unit_test(the_reason_names_field_code_point_and_why),
        cmocka_unit_test(invalid_utf8_is_refused_naming_the_byte),
        cmocka_unit_test(empty_and_missing_text_pass),
        cmocka_unit_test(derived_properties),
        cmocka_unit_test(describes_code_points),
        cmocka_unit_test(validates_utf8_within_its_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
