#include "precis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unistr.h>
#include <unictype.h>
#include <uniname.h>
#include <uninorm.h>

#include "utf8.h"

/* RFC 5892 §2.6, used by reference in RFC 8264 §9.6. */
static const struct {
    uint32_t lo, hi;
    precis_prop prop;
} exceptions[] = {
    {0x00b7, 0x00b7, PRECIS_CONTEXTO},   {0x00df, 0x00df, PRECIS_PVALID},
    {0x0375, 0x0375, PRECIS_CONTEXTO},   {0x03c2, 0x03c2, PRECIS_PVALID},
    {0x05f3, 0x05f4, PRECIS_CONTEXTO},   {0x0640, 0x0640, PRECIS_DISALLOWED},
    {0x0660, 0x0669, PRECIS_CONTEXTO},   {0x06f0, 0x06f9, PRECIS_CONTEXTO},
    {0x06fd, 0x06fe, PRECIS_PVALID},     {0x07fa, 0x07fa, PRECIS_DISALLOWED},
    {0x0f0b, 0x0f0b, PRECIS_PVALID},     {0x3007, 0x3007, PRECIS_PVALID},
    {0x302e, 0x302f, PRECIS_DISALLOWED}, {0x3031, 0x3035, PRECIS_DISALLOWED},
    {0x303b, 0x303b, PRECIS_DISALLOWED}, {0x30fb, 0x30fb, PRECIS_CONTEXTO},
};

/* Hangul_Syllable_Type L, V or T (RFC 8264 §9.9). */
static bool old_hangul_jamo(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0xa960 && cp <= 0xa97c) ||
           (cp >= 0xd7b0 && cp <= 0xd7c6) || (cp >= 0xd7cb && cp <= 0xd7fb);
}

static bool in_category(uint32_t cp, uc_general_category_t c)
{
    return uc_is_general_category(cp, c);
}

bool precis_compat_form(uint32_t cp, char *buf, size_t n)
{
    uint32_t out[32];
    size_t len = sizeof out / sizeof out[0];
    uint32_t *r = u32_normalize(UNINORM_NFKC, &cp, 1, out, &len);
    bool differs = r && !(len == 1 && r[0] == cp);
    if (differs && buf && n) {
        size_t blen = n - 1;
        uint8_t *u8 = u32_to_u8(r, len, (uint8_t *)buf, &blen);
        if (u8 != (uint8_t *)buf) { /* did not fit */
            free(u8);
            blen = 0;
        }
        buf[blen] = '\0';
    }
    if (r != out)
        free(r);
    return differs;
}

/* The ignorable, the control and the else branches of RFC 8264 §8, with
 * what the code point is. */
static const char *ignorable_why(uint32_t cp)
{
    if (uc_is_property_not_a_character(cp))
        return "it is a noncharacter";
    if (uc_is_property_bidi_control(cp))
        return "it is a bidirectional formatting control";
    if (cp == 0x200b || cp == 0x2060 || cp == 0xfeff)
        return "it is an invisible zero-width character";
    return "it is an invisible (default-ignorable) character";
}

static const char *other_why(uint32_t cp)
{
    if (in_category(cp, UC_CATEGORY_Co))
        return "it is a private-use character";
    if (in_category(cp, UC_CATEGORY_Zl) || in_category(cp, UC_CATEGORY_Zp))
        return "it is a line or paragraph separator";
    if (in_category(cp, UC_CATEGORY_Cs))
        return "it is a surrogate";
    if (in_category(cp, UC_CATEGORY_Cf))
        return "it is a formatting character";
    return "PRECIS does not allow it in text";
}

precis_prop precis_freeform(uint32_t cp, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    for (size_t i = 0; i < sizeof exceptions / sizeof exceptions[0]; i++)
        if (cp >= exceptions[i].lo && cp <= exceptions[i].hi) {
            if (exceptions[i].prop == PRECIS_DISALLOWED)
                *why = "it is one of the exceptions PRECIS and IDNA2008 disallow";
            return exceptions[i].prop;
        }
    if (cp > 0x10ffff || (in_category(cp, UC_CATEGORY_Cn) && !uc_is_property_not_a_character(cp))) {
        *why = "it is not an assigned character";
        return PRECIS_UNASSIGNED;
    }
    if (cp >= 0x21 && cp <= 0x7e)
        return PRECIS_PVALID;
    if (uc_is_property_join_control(cp))
        return PRECIS_CONTEXTJ;
    if (old_hangul_jamo(cp)) {
        *why = "it is a conjoining Hangul jamo; write Hangul as precomposed syllables";
        return PRECIS_DISALLOWED;
    }
    if (uc_is_property_default_ignorable_code_point(cp) || uc_is_property_not_a_character(cp)) {
        *why = ignorable_why(cp);
        return PRECIS_DISALLOWED;
    }
    if (in_category(cp, UC_CATEGORY_Cc)) {
        *why = "it is a control character";
        return PRECIS_DISALLOWED;
    }
    if (precis_compat_form(cp, NULL, 0))
        return PRECIS_FREE_PVAL;
    static const uc_general_category_t *const letter_digits[] = {
        &UC_CATEGORY_Ll, &UC_CATEGORY_Lu, &UC_CATEGORY_Lo, &UC_CATEGORY_Nd,
        &UC_CATEGORY_Lm, &UC_CATEGORY_Mn, &UC_CATEGORY_Mc};
    for (size_t i = 0; i < sizeof letter_digits / sizeof letter_digits[0]; i++)
        if (in_category(cp, *letter_digits[i]))
            return PRECIS_PVALID;
    /* other letters and digits, spaces, symbols, punctuation */
    static const uc_general_category_t *const free_pval[] = {
        &UC_CATEGORY_Lt, &UC_CATEGORY_Nl, &UC_CATEGORY_No, &UC_CATEGORY_Me, &UC_CATEGORY_Zs,
        &UC_CATEGORY_S,  &UC_CATEGORY_P};
    for (size_t i = 0; i < sizeof free_pval / sizeof free_pval[0]; i++)
        if (in_category(cp, *free_pval[i]))
            return PRECIS_FREE_PVAL;
    *why = other_why(cp);
    return PRECIS_DISALLOWED;
}

/* --- the contextual rules (RFC 5892 Appendix A) --------------------------- */

static bool script_is(uint32_t cp, const char *name)
{
    const uc_script_t *s = uc_script(cp);
    return s && !strcmp(s->name, name);
}

static bool virama_before(const uint32_t *s, size_t i)
{
    return i > 0 && uc_combining_class(s[i - 1]) == UC_CCC_VR;
}

/* A.1: (L|D) T* ZWNJ T* (R|D) */
static bool zwnj_joins(const uint32_t *s, size_t n, size_t i)
{
    size_t b = i;
    while (b > 0 && uc_joining_type(s[b - 1]) == UC_JOINING_TYPE_T)
        b--;
    if (b == 0)
        return false;
    int left = uc_joining_type(s[b - 1]);
    size_t a = i + 1;
    while (a < n && uc_joining_type(s[a]) == UC_JOINING_TYPE_T)
        a++;
    if (a == n)
        return false;
    int right = uc_joining_type(s[a]);
    return (left == UC_JOINING_TYPE_L || left == UC_JOINING_TYPE_D) &&
           (right == UC_JOINING_TYPE_R || right == UC_JOINING_TYPE_D);
}

static bool any_in(const uint32_t *s, size_t n, uint32_t lo, uint32_t hi)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= lo && s[i] <= hi)
            return true;
    return false;
}

static bool kana_or_han(const uint32_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (script_is(s[i], "Hiragana") || script_is(s[i], "Katakana") || script_is(s[i], "Han"))
            return true;
    return false;
}

const char *precis_context_rule(uint32_t cp)
{
    if (cp == 0x200c)
        return "it is allowed only after a virama or between letters that join";
    if (cp == 0x200d)
        return "it is allowed only after a virama";
    if (cp == 0x00b7)
        return "it is allowed only between two l (as in Catalan l\xc2\xb7l)";
    if (cp == 0x0375)
        return "it is allowed only before a Greek character";
    if (cp == 0x05f3 || cp == 0x05f4)
        return "it is allowed only after a Hebrew character";
    if (cp == 0x30fb)
        return "it is allowed only with Hiragana, Katakana or Han characters";
    if (cp >= 0x0660 && cp <= 0x0669)
        return "Arabic-Indic digits cannot be mixed with Extended Arabic-Indic digits";
    if (cp >= 0x06f0 && cp <= 0x06f9)
        return "Extended Arabic-Indic digits cannot be mixed with Arabic-Indic digits";
    return NULL;
}

/* Does the rule of s[i] (a CONTEXTJ or CONTEXTO code point) hold? */
static bool context_holds(const uint32_t *s, size_t n, size_t i)
{
    uint32_t cp = s[i];
    uint32_t before = i > 0 ? s[i - 1] : 0, after = i + 1 < n ? s[i + 1] : 0;
    switch (cp) {
    case 0x200c:
        return virama_before(s, i) || zwnj_joins(s, n, i);
    case 0x200d:
        return virama_before(s, i);
    case 0x00b7:
        return before == 0x6c && after == 0x6c;
    case 0x0375:
        return after && script_is(after, "Greek");
    case 0x05f3:
    case 0x05f4:
        return before && script_is(before, "Hebrew");
    case 0x30fb:
        return kana_or_han(s, n);
    default:
        if (cp >= 0x0660 && cp <= 0x0669)
            return !any_in(s, n, 0x06f0, 0x06f9);
        if (cp >= 0x06f0 && cp <= 0x06f9)
            return !any_in(s, n, 0x0660, 0x0669);
        return false;
    }
}

/* --- strings ---------------------------------------------------------------- */

/* text as code points with their byte offsets; NULL with *f set for
 * invalid UTF-8 (or no memory: offset SIZE_MAX). */
static uint32_t *decode(const char *text, size_t *n, size_t **offsets, struct precis_fault *f)
{
    size_t len = strlen(text);
    uint32_t *s = malloc((len + 1) * sizeof *s);
    size_t *off = malloc((len + 1) * sizeof *off);
    if (!s || !off) {
        free(s);
        free(off);
        *f = (struct precis_fault){PRECIS_FAULT_UTF8, 0, SIZE_MAX, "out of memory"};
        return NULL;
    }
    *n = 0;
    for (size_t at = 0; at < len;) {
        size_t l = utf8_decode(text + at, &s[*n]);
        if (!l) {
            *f = (struct precis_fault){PRECIS_FAULT_UTF8, (unsigned char)text[at], at,
                                       "it is not valid UTF-8"};
            free(s);
            free(off);
            return NULL;
        }
        off[(*n)++] = at;
        at += l;
    }
    *offsets = off;
    return s;
}

/* Is the code point a reason for NFC to change the text around it? */
static bool nfc_culprit(uint32_t cp)
{
    uint32_t d[UC_DECOMPOSITION_MAX_LENGTH];
    return uc_combining_class(cp) != 0 || uc_canonical_decomposition(cp, d) >= 0;
}

static bool nfc_of(const uint32_t *s, size_t n, const size_t *off, struct precis_fault *f)
{
    size_t len = 0;
    uint32_t *nfc = u32_normalize(UNINORM_NFC, s, n, NULL, &len);
    if (!nfc) {
        *f = (struct precis_fault){PRECIS_FAULT_UTF8, 0, SIZE_MAX, "out of memory"};
        return true;
    }
    size_t i = 0;
    while (i < n && i < len && nfc[i] == s[i])
        i++;
    bool differs = i < n || i < len;
    free(nfc);
    if (!differs)
        return false;
    size_t at = i < n ? i : n - 1;
    for (size_t j = at; j < n; j++)
        if (nfc_culprit(s[j])) {
            at = j;
            break;
        }
    *f = (struct precis_fault){PRECIS_FAULT_NFC, s[at], off[at],
                               "the text is not in Unicode Normalization Form C (NFC)"};
    return true;
}

bool precis_nfc_fault(const char *text, struct precis_fault *f)
{
    size_t n, *off;
    uint32_t *s = decode(text, &n, &off, f);
    if (!s)
        return true;
    bool bad = nfc_of(s, n, off, f);
    free(s);
    free(off);
    return bad;
}

/* Printable ASCII is valid text and already NFC: most text is, and needs
 * no decoding (ledger texts on every create, postal fields). */
static bool printable_ascii(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            return false;
    return true;
}

bool precis_text_valid(const char *text, struct precis_fault *f)
{
    if (printable_ascii(text))
        return true;
    size_t n, *off;
    uint32_t *s = decode(text, &n, &off, f);
    if (!s)
        return false;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        const char *why;
        switch (precis_freeform(s[i], &why)) {
        case PRECIS_PVALID:
        case PRECIS_FREE_PVAL:
            break;
        case PRECIS_CONTEXTJ:
        case PRECIS_CONTEXTO:
            if (!context_holds(s, n, i)) {
                *f = (struct precis_fault){PRECIS_FAULT_CODE_POINT, s[i], off[i],
                                           precis_context_rule(s[i])};
                ok = false;
            }
            break;
        case PRECIS_DISALLOWED:
        case PRECIS_UNASSIGNED:
            *f = (struct precis_fault){PRECIS_FAULT_CODE_POINT, s[i], off[i], why};
            ok = false;
            break;
        }
    }
    if (ok && n && nfc_of(s, n, off, f))
        ok = false;
    free(s);
    free(off);
    return ok;
}

void precis_describe(uint32_t cp, char *buf, size_t n)
{
    char name[UNINAME_MAX];
    if (unicode_character_name(cp, name))
        snprintf(buf, n, "U+%04X (%s)", cp, name);
    else if (uc_is_property_unified_ideograph(cp))
        snprintf(buf, n, "U+%04X (CJK UNIFIED IDEOGRAPH-%04X)", cp, cp);
    else if (in_category(cp, UC_CATEGORY_Cc))
        snprintf(buf, n, "U+%04X (a control character)", cp);
    else if (in_category(cp, UC_CATEGORY_Co))
        snprintf(buf, n, "U+%04X (a private-use character)", cp);
    else if (in_category(cp, UC_CATEGORY_Cn))
        snprintf(buf, n, "U+%04X (unassigned)", cp);
    else
        snprintf(buf, n, "U+%04X", cp);
}

bool precis_upper_case(uint32_t cp, char *buf, size_t n)
{
    uint32_t lower = uc_tolower(cp);
    if (lower == cp)
        return false;
    if (buf && n) {
        size_t blen = n - 1;
        uint8_t *u8 = u32_to_u8(&lower, 1, (uint8_t *)buf, &blen);
        if (u8 != (uint8_t *)buf) {
            free(u8);
            blen = 0;
        }
        buf[blen] = '\0';
    }
    return true;
}

reg_err precis_text_check(const char *field, const char *text, reg_status *st)
{
    struct precis_fault f;
    if (!text || !*text || precis_text_valid(text, &f))
        return REG_OK;
    char cp[UNINAME_MAX + 32];
    precis_describe(f.cp, cp, sizeof cp);
    switch (f.kind) {
    case PRECIS_FAULT_UTF8:
        if (f.offset == SIZE_MAX)
            return reg_fail(st, REG_ERR_INTERNAL, "%s: out of memory", field);
        return reg_fail(st, REG_ERR_INVALID, "%s: byte 0x%02X at offset %zu is not valid UTF-8",
                        field, f.cp, f.offset);
    case PRECIS_FAULT_NFC:
        return reg_fail(st, REG_ERR_INVALID,
                        "%s: the text is not in Unicode Normalization Form C (NFC) at %s; send "
                        "it composed",
                        field, cp);
    case PRECIS_FAULT_CODE_POINT:
        break;
    }
    return reg_fail(st, REG_ERR_INVALID, "%s: %s is not allowed in text: %s", field, cp, f.why);
}

/* s without the white space (ASCII and Unicode White_Space) at its ends:
 * *len bytes from the result. */
static const char *trimmed(const char *s, size_t *len)
{
    const uint8_t *b = (const uint8_t *)(s ? s : ""), *end = b + strlen((const char *)b);
    ucs4_t cp;
    int n;
    while (b < end && (n = u8_mbtouc(&cp, b, (size_t)(end - b))) > 0 &&
           uc_is_property_white_space(cp))
        b += n;
    while (end > b) {
        const uint8_t *prev = u8_prev(&cp, end, b);
        if (!prev || !uc_is_property_white_space(cp))
            break;
        end = prev;
    }
    *len = (size_t)(end - b);
    return (const char *)b;
}

bool precis_same_text(const char *a, const char *b, bool ignore_case)
{
    size_t na, nb;
    const char *ta = trimmed(a, &na), *tb = trimmed(b, &nb);
    int cmp = 0;
    if (u8_check((const uint8_t *)ta, na) || u8_check((const uint8_t *)tb, nb))
        return na == nb && !memcmp(ta, tb, na);
    int rc = ignore_case ? u8_casecmp((const uint8_t *)ta, na, (const uint8_t *)tb, nb, NULL,
                                      UNINORM_NFC, &cmp)
                         : u8_normcmp((const uint8_t *)ta, na, (const uint8_t *)tb, nb, UNINORM_NFC,
                                      &cmp);
    if (rc < 0) /* out of memory: equal only if identical */
        return na == nb && !memcmp(ta, tb, na);
    return cmp == 0;
}
