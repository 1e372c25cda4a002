/* Free text under PRECIS (RFC 8264): the FreeformClass and the registry's
 * profile of it, applied to every text a registrar, a registrant or staff
 * set that WHOIS, RDAP, mail or a page shows later (contact names and
 * addresses, status messages, staff notes). What can deceive a reader is
 * refused: controls (C0 and C1), bidirectional controls (U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069, U+061C), zero-width and other invisible
 * characters (U+200B, U+2060, U+FEFF, soft hyphen, variation selectors:
 * every Default_Ignorable_Code_Point), noncharacters, private use,
 * unassigned code points, conjoining (old) Hangul jamo, line and paragraph
 * separators and the exceptions RFC 5892 §2.6 disallows.
 *
 * The profile (RFC 8264 §5.2, the choices of RFC 8265's OpaqueString for
 * free text, with normalisation checked instead of applied):
 *   width mapping      none: full-width forms are kept as sent
 *   additional mapping none: spaces (U+0020, U+00A0, …) are kept as sent
 *   case mapping       none
 *   normalisation      NFC required: text that is not NFC is refused,
 *                      naming where, rather than rewritten, so what the
 *                      registry stores and shows is byte for byte what the
 *                      registrar sent
 *   directionality     none: right-to-left text is fine, the controls
 *                      that reorder it are not
 * ZWNJ and ZWJ (CONTEXTJ) pass where RFC 5892 Appendix A.1/A.2 allow them
 * (after a virama; ZWNJ also between joining letters), which Indic and
 * Persian names need; the CONTEXTO exceptions (middle dot, Greek keraia,
 * Hebrew geresh and gershayim, katakana middle dot, Arabic-Indic digits)
 * pass where Appendix A.3-A.9 allow them. Unicode properties come from
 * GNU libunistring. */
#ifndef REG_PRECIS_H
#define REG_PRECIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* A code point's derived property in the FreeformClass (RFC 8264 §8). */
typedef enum {
    PRECIS_PVALID,     /* letters and digits */
    PRECIS_FREE_PVAL,  /* spaces, symbols, punctuation, compatibility forms */
    PRECIS_CONTEXTJ,   /* ZWNJ, ZWJ: only where their rule holds */
    PRECIS_CONTEXTO,   /* the exceptions with a contextual rule */
    PRECIS_DISALLOWED,
    PRECIS_UNASSIGNED,
} precis_prop;

/* The property of cp; *why (optional) gets, for DISALLOWED and UNASSIGNED,
 * the end of a sentence saying what cp is: "it is a control character". */
precis_prop precis_freeform(uint32_t cp, const char **why);

enum precis_fault_kind { PRECIS_FAULT_UTF8, PRECIS_FAULT_CODE_POINT, PRECIS_FAULT_NFC };

struct precis_fault {
    enum precis_fault_kind kind;
    uint32_t cp;     /* the offending code point (the byte, for UTF8) */
    size_t offset;   /* its byte offset in the text */
    const char *why; /* CODE_POINT: "it is a bidirectional formatting control" */
};

/* Is text (UTF-8, NUL-terminated) valid in the registry's text profile?
 * false with *f naming the first offending code point: invalid UTF-8
 * first, then a code point that is not allowed where it stands, then the
 * first code point that keeps the text from being NFC. */
bool precis_text_valid(const char *text, struct precis_fault *f);

/* REG_OK, or REG_ERR_INVALID with a reason naming the field and the code
 * point, e.g. "postalInfo loc name: U+202E (RIGHT-TO-LEFT OVERRIDE) is not
 * allowed in text: it is a bidirectional formatting control". NULL and ""
 * pass: whether a field is required is the caller's rule. */
reg_err precis_text_check(const char *field, const char *text, reg_status *st);

/* Are a and b the same text once white space at either end is trimmed
 * and both are in Unicode NFC (with ignore_case, also after Unicode case
 * folding)? NULL counts as "". Invalid UTF-8 is compared byte for byte.
 * For "exactly the same data" (R29: link candidates), where stored text
 * from before the NFC rule, or typed with stray spaces, must still match. */
bool precis_same_text(const char *a, const char *b, bool ignore_case);

/* --- for the messages about names (registry/names.c) ------------------- */

/* "U+202E (RIGHT-TO-LEFT OVERRIDE)"; "U+0085 (a control character)" or
 * "U+E000 (a private-use character)" where Unicode gives no name. */
void precis_describe(uint32_t cp, char *buf, size_t n);
/* NFC: false when s is in NFC; true with *f at the first code point that
 * keeps it from being NFC (the combining mark of a decomposed letter, or
 * a character NFC replaces). Invalid UTF-8 is a PRECIS_FAULT_UTF8 fault. */
bool precis_nfc_fault(const char *s, struct precis_fault *f);
/* Is cp a compatibility form (NFKC changes it)? buf gets NFKC(cp). */
bool precis_compat_form(uint32_t cp, char *buf, size_t n);
/* Is cp an upper-case or title-case letter? buf gets its lower case. */
bool precis_upper_case(uint32_t cp, char *buf, size_t n);
/* The contextual rule of a CONTEXTJ or CONTEXTO code point, as the end
 * of a sentence ("it is allowed only after a virama"); NULL for others. */
const char *precis_context_rule(uint32_t cp);

#endif
