#include "names.h"

#include <ctype.h>
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contrib/precis.h"
#include "contrib/secret.h"
#include "contrib/strutil.h"
#include "contrib/utf8.h"

/* Is cp in the UTF-8 set? */
static bool char_allowed(const char *set, uint32_t cp)
{
    while (*set) {
        uint32_t c;
        size_t n = utf8_decode(set, &c);
        if (!n)
            return false;
        if (c == cp)
            return true;
        set += n;
    }
    return false;
}

/* The label's characters must all be in the TLD's set (e.g. .dk). */
static reg_err check_allowed(const struct name_policy *p, const char *ulabel, reg_status *st)
{
    while (*ulabel) {
        uint32_t cp;
        size_t n = utf8_decode(ulabel, &cp);
        if (!n)
            return reg_fail(st, REG_ERR_INVALID, "the name is not valid UTF-8");
        if (!char_allowed(p->allowed_chars, cp))
            return reg_fail(st, REG_ERR_POLICY, "character '%.*s' (U+%04X) is not allowed under .%s",
                            (int)n, ulabel, cp, p->tld);
        ulabel += n;
    }
    return REG_OK;
}

static reg_err check_ldh(const char *alabel, reg_status *st)
{
    size_t n = strlen(alabel);
    if (n == 0)
        return reg_fail(st, REG_ERR_INVALID, "the name has an empty label");
    if (n > 63)
        return reg_fail(st, REG_ERR_INVALID, "the label is %zu characters; at most 63 are allowed", n);
    if (alabel[0] == '-' || alabel[n - 1] == '-')
        return reg_fail(st, REG_ERR_INVALID, "a label may not begin or end with a hyphen");
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)alabel[i]) && alabel[i] != '-')
            return reg_fail(st, REG_ERR_INVALID,
                            "'%c' is not allowed in a host name (letters, digits and '-')",
                            alabel[i]);
    if (n >= 4 && alabel[2] == '-' && alabel[3] == '-' && strncmp(alabel, "xn--", 4))
        return reg_fail(st, REG_ERR_INVALID,
                        "hyphens in the third and fourth position are reserved for A-labels (xn--)");
    return REG_OK;
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* The first code point of ulabel that libidn2 refuses with rc on its own
 * (after an "a", so that a combining mark is not a leading one), or 0. */
static uint32_t refused_code_point(const char *ulabel, int rc)
{
    for (const char *p = ulabel; *p;) {
        uint32_t cp;
        size_t n = utf8_decode(p, &cp);
        if (!n)
            return 0;
        char probe[8] = "a";
        memcpy(probe + 1, p, n);
        probe[n + 1] = '\0';
        uint8_t *out = NULL;
        int r = idn2_register_u8((const uint8_t *)probe, NULL, &out, 0);
        free(out);
        if (r == rc)
            return cp;
        p += n;
    }
    return 0;
}

/* Why IDNA2008 registration refused the U-label (a label of a domain or
 * host name, or what an A-label decodes to), naming the code point where
 * one is to blame (*bad gets it). The name itself is not repeated: it may
 * hold the very characters that deceive. */
static reg_err idna_refusal(const char *what, const char *ulabel, int rc, uint32_t *bad,
                            reg_status *st)
{
    char cp[320], form[64];
    struct precis_fault f;
    uint32_t c = 0;
    switch (rc) {
    case IDN2_NOT_NFC:
        if (precis_nfc_fault(ulabel, &f) && f.kind == PRECIS_FAULT_NFC)
            c = f.cp;
        break;
    case IDN2_CONTEXTJ:
    case IDN2_CONTEXTJ_NO_RULE:
    case IDN2_CONTEXTO:
    case IDN2_CONTEXTO_NO_RULE:
        /* the same rules (RFC 5892 Appendix A) over the whole label */
        if (!precis_text_valid(ulabel, &f) && f.kind == PRECIS_FAULT_CODE_POINT &&
            precis_context_rule(f.cp)) {
            c = f.cp;
            break;
        }
        /* fall through */
    case IDN2_DISALLOWED:
    case IDN2_UNASSIGNED:
        c = refused_code_point(ulabel, rc);
        break;
    case IDN2_LEADING_COMBINING:
        utf8_decode(ulabel, &c);
        break;
    default:
        break;
    }
    *bad = c;
    precis_describe(c, cp, sizeof cp);
    switch (c ? rc : 0) {
    case IDN2_NOT_NFC:
        return reg_fail(st, REG_ERR_INVALID,
                        "the %s is not in Unicode Normalization Form C (NFC) at %s; send it "
                        "composed",
                        what, cp);
    case IDN2_DISALLOWED:
        if (precis_upper_case(c, form, sizeof form))
            return reg_fail(st, REG_ERR_INVALID,
                            "%s is not allowed in a %s: IDNA2008 takes letters in lower case "
                            "only (%s)",
                            cp, what, form);
        if (precis_compat_form(c, form, sizeof form))
            return reg_fail(st, REG_ERR_INVALID,
                            "%s is not allowed in a %s: it is a compatibility form; write \"%s\" "
                            "instead",
                            cp, what, form);
        return reg_fail(st, REG_ERR_INVALID, "%s is not allowed in a %s (IDNA2008)", cp, what);
    case IDN2_UNASSIGNED:
        return reg_fail(st, REG_ERR_INVALID,
                        "%s is not allowed in a %s: it is not an assigned character", cp, what);
    case IDN2_CONTEXTJ:
    case IDN2_CONTEXTJ_NO_RULE:
    case IDN2_CONTEXTO:
    case IDN2_CONTEXTO_NO_RULE: {
        const char *rule = precis_context_rule(c);
        return reg_fail(st, REG_ERR_INVALID, "%s is not allowed in a %s here: %s", cp, what,
                        rule ? rule : "IDNA2008's contextual rule for it does not hold");
    }
    case IDN2_LEADING_COMBINING:
        return reg_fail(st, REG_ERR_INVALID, "a label of a %s may not begin with a combining mark (%s)",
                        what, cp);
    default:
        break;
    }
    switch (rc) {
    case IDN2_BIDI:
        return reg_fail(st, REG_ERR_INVALID,
                        "a label of the %s breaks the Bidi rule of IDNA2008 (RFC 5893): it mixes "
                        "right-to-left and left-to-right characters",
                        what);
    case IDN2_HYPHEN_STARTEND:
        return reg_fail(st, REG_ERR_INVALID, "a label may not begin or end with a hyphen");
    case IDN2_2HYPHEN:
        return reg_fail(st, REG_ERR_INVALID,
                        "hyphens in the third and fourth position are reserved for A-labels (xn--)");
    case IDN2_TOO_BIG_LABEL:
        return reg_fail(st, REG_ERR_INVALID, "a label of the %s is too long: at most 63 "
                                             "characters as an A-label", what);
    default:
        return reg_fail(st, REG_ERR_INVALID, "the %s is not a valid IDNA2008 name: %s", what,
                        idn2_strerror(rc));
    }
}

/* IDNA2008 registration (RFC 5891 §4.1-4.4) of one label, strictly: a
 * U-label must already be what IDNA2008 registers (NFC, every code point
 * PVALID or in its context, the Bidi rule) and an A-label (lower case)
 * must decode to one and encode back to itself. Nothing is mapped: no
 * UTS #46 (lower-casing, width or compatibility mapping, NFC). *alabel and
 * *ulabel get both forms (free them); on refusal *bad gets the code point
 * the reason names, or 0. */
static reg_err idna_label(const char *what, const char *label, char **alabel, char **ulabel,
                          uint32_t *bad, reg_status *st)
{
    *alabel = *ulabel = NULL;
    *bad = 0;
    bool is_a = !strncmp(label, "xn--", 4);
    int rc = is_a ? idn2_register_u8(NULL, (const uint8_t *)label, (uint8_t **)alabel, 0)
                  : idn2_register_u8((const uint8_t *)label, NULL, (uint8_t **)alabel, 0);
    if (rc == IDN2_OK)
        rc = idn2_to_unicode_8z8z(*alabel, ulabel, 0);
    if (rc == IDN2_OK)
        return REG_OK;
    free(*alabel);
    free(*ulabel);
    *alabel = *ulabel = NULL;
    if (!is_a)
        return idna_refusal(what, label, rc, bad, st);
    /* an A-label: explain what it decodes to */
    char *decoded = NULL;
    if (rc == IDN2_ALABEL_ROUNDTRIP_FAILED || idn2_to_unicode_8z8z(label, &decoded, 0) != IDN2_OK ||
        is_ascii(decoded)) {
        free(decoded);
        return reg_fail(st, REG_ERR_INVALID,
                        "%s is not a valid A-label: it does not decode to a U-label that "
                        "encodes back to it",
                        label);
    }
    reg_status why = {0};
    idna_refusal(what, decoded, rc, bad, &why);
    free(decoded);
    return reg_fail(st, REG_ERR_INVALID, "%s is not a valid A-label: %s", label, why.reason);
}

reg_err names_domain(const struct name_policy *p, const char *input, struct domain_name *out,
                     reg_status *st)
{
    char name[NAME_MAX_LEN * 4 + 2];
    out->refused_cp = 0;
    size_t n = input ? strlen(input) : 0;
    if (n && input[n - 1] == '.')
        n--;
    if (n == 0)
        return reg_fail(st, REG_ERR_INVALID, "the domain name is empty");
    if (n >= sizeof name)
        return reg_fail(st, REG_ERR_INVALID, "the domain name is too long");
    memcpy(name, input, n);
    name[n] = '\0';
    lower_ascii(name);
    size_t tl = strlen(p->tld);
    char *dot = strchr(name, '.');
    if (!dot || n <= tl + 1 || name[n - tl - 1] != '.' || strcmp(name + n - tl, p->tld))
        return reg_fail(st, REG_ERR_POLICY, "%s is not a name under .%s", input, p->tld);
    if (dot != name + n - tl - 1)
        return reg_fail(st, REG_ERR_POLICY,
                        "only second-level names like example.%s are registered here", p->tld);
    *dot = '\0';
    const char *label = name;

    /* an ASCII label is its own A-label and U-label */
    char *alabel = NULL, *ulabel = NULL;
    const char *a = label, *u = label;
    bool is_a = !strncmp(label, "xn--", 4);
    reg_err e = is_a ? check_ldh(label, st) : REG_OK;
    if (!e && (is_a || !is_ascii(label))) {
        e = idna_label("domain name", label, &alabel, &ulabel, &out->refused_cp, st);
        a = alabel;
        u = ulabel;
    }
    if (!e)
        e = check_ldh(a, st);
    if (!e)
        e = check_allowed(p, u, st);
    if (!e) {
        int wa = snprintf(out->alabel, sizeof out->alabel, "%s.%s", a, p->tld);
        int wu = snprintf(out->ulabel, sizeof out->ulabel, "%s.%s", u, p->tld);
        if (wa < 0 || (size_t)wa >= sizeof out->alabel || wu < 0 ||
            (size_t)wu >= sizeof out->ulabel) /* not after check_ldh; for the compiler */
            e = reg_fail(st, REG_ERR_INVALID, "the domain name is too long");
        out->idn = strncmp(a, "xn--", 4) == 0;
    }
    free(alabel);
    free(ulabel);
    return e;
}

/* A character a contact id may hold (R3). */
static bool contact_id_char(unsigned char c)
{
    return isascii(c) && (isalnum(c) || c == ':' || c == '-');
}

/* The letters of a contact id (R3): ASCII letters, digits, ':' and '-',
 * at most max characters, uppercased into out. */
static reg_err contact_id_chars(const char *in, size_t min, size_t max, char *out, reg_status *st)
{
    size_t n = strlen(in);
    if (n > max || n < min)
        return reg_fail(st, REG_ERR_INVALID, "contact id is %zu characters; %zu to %zu are allowed",
                        n, min, max);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (!contact_id_char(c))
            return reg_fail(st, REG_ERR_INVALID,
                            "contact id may hold only ASCII letters, digits, ':' and '-'; "
                            "'%c' is not allowed", isprint(c) ? c : '?');
        out[i] = (char)toupper(c);
    }
    out[n] = '\0';
    return REG_OK;
}

reg_err names_contact_id(const struct name_policy *p, const char *registrar,
                         const char *requested, char out[CONTACT_ID_MAX + 1], reg_status *st)
{
    bool plain = p && p->plain_contact_ids;
    if (!requested || !*requested || !strcasecmp(requested, "auto")) {
        char hex[9];
        if (secret_random_hex(hex, 4, true))
            return reg_fail(st, REG_ERR_INTERNAL, "no randomness");
        if (plain)
            snprintf(out, CONTACT_ID_MAX + 1, "C%s", hex);
        else
            snprintf(out, CONTACT_ID_MAX + 1, "%s:%s", registrar, hex); /* R2 */
        return REG_OK;
    }
    char id[CONTACT_ID_MAX + 1];
    if (plain) /* RFC 5730 clIDType */
        return contact_id_chars(requested, 3, CONTACT_ID_PLAIN_MAX, out, st);
    if (contact_id_chars(requested, 1, CONTACT_ID_MAX, id, st))
        return st->code;
    size_t hl = strlen(registrar);
    bool prefixed = !strncmp(id, registrar, hl) && (id[hl] == ':' || id[hl] == '\0'); /* R1 */
    if (prefixed) {
        snprintf(out, CONTACT_ID_MAX + 1, "%s", id);
        return REG_OK;
    }
    int w = snprintf(out, CONTACT_ID_MAX + 1, "%s:%s", registrar, id);
    if (w < 0 || w > CONTACT_ID_MAX)
        return reg_fail(st, REG_ERR_INVALID,
                        "contact id with its registrar prefix %s: would exceed %d characters",
                        registrar, CONTACT_ID_MAX);
    return REG_OK;
}

const char *names_contact_id_short_reason(const char *requested)
{
    for (const char *p = requested ? requested : ""; *p; p++)
        if (!contact_id_char((unsigned char)*p))
            return "only A-Z, 0-9, : and - allowed";
    return "id too long or too short";
}

reg_err names_contact_lookup(const char *input, char out[CONTACT_ID_MAX + 1], reg_status *st)
{
    if (!input || !*input)
        return reg_fail(st, REG_ERR_MISSING, "contact id is empty");
    return contact_id_chars(input, 1, CONTACT_ID_MAX, out, st);
}

/* One label of a host name as its A-label, appended to host (used bytes
 * so far in *used); LDH labels first, so their reasons stay the LDH ones. */
static reg_err host_label(const char *label, char *host, size_t size, size_t *used,
                          reg_status *st)
{
    bool is_a = !strncmp(label, "xn--", 4), ascii = is_ascii(label);
    reg_err e = ascii ? check_ldh(label, st) : REG_OK;
    char *alabel = NULL, *ulabel = NULL;
    uint32_t bad;
    if (!e && (is_a || !ascii))
        e = idna_label("host name", label, &alabel, &ulabel, &bad, st);
    const char *a = alabel ? alabel : label;
    if (!e && !ascii)
        e = check_ldh(a, st);
    size_t n = strlen(a);
    if (!e && *used + n + 1 >= size)
        e = reg_fail(st, REG_ERR_INVALID, "the host name is too long; at most %d characters",
                     NAME_MAX_LEN);
    if (!e) {
        memcpy(host + *used, a, n + 1);
        *used += n;
    }
    free(alabel);
    free(ulabel);
    return e;
}

reg_err names_host(const char *input, char out[NAME_MAX_LEN + 1], reg_status *st)
{
    char name[NAME_MAX_LEN * 4 + 2];
    size_t n = input ? strlen(input) : 0;
    if (n && input[n - 1] == '.')
        n--;
    if (n == 0)
        return reg_fail(st, REG_ERR_INVALID, "the host name is empty");
    if (n >= sizeof name)
        return reg_fail(st, REG_ERR_INVALID, "the host name is too long; at most %d characters",
                        NAME_MAX_LEN);
    memcpy(name, input, n);
    name[n] = '\0';
    lower_ascii(name);
    if (is_ascii(name) && n > NAME_MAX_LEN)
        return reg_fail(st, REG_ERR_INVALID, "the host name is %zu characters; at most %d are allowed",
                        n, NAME_MAX_LEN);
    /* label by label: U-labels become A-labels, strictly (idna_label) */
    char host[sizeof name];
    size_t used = 0, last = 0;
    int labels = 0;
    for (char *label = name;; labels++) {
        char *dot = strchr(label, '.');
        if (dot)
            *dot = '\0';
        last = used;
        if (host_label(label, host, sizeof host, &used, st))
            return st->code;
        if (!dot) {
            labels++;
            break;
        }
        host[used++] = '.';
        label = dot + 1;
    }
    host[used] = '\0';
    if (used > NAME_MAX_LEN)
        return reg_fail(st, REG_ERR_INVALID, "the host name is %zu characters; at most %d are allowed",
                        used, NAME_MAX_LEN);
    if (labels < 2)
        return reg_fail(st, REG_ERR_INVALID,
                        "a host name needs at least two labels, like ns1.example.net");
    if (strspn(host + last, "0123456789") == strlen(host + last))
        return reg_fail(st, REG_ERR_INVALID, "the last label of a host name may not be all digits");
    memcpy(out, host, used + 1);
    return REG_OK;
}

void names_ulabel(const char *alabel, char *out, size_t n)
{
    char *u = NULL;
    bool idn = strstr(alabel, "xn--") != NULL;
    if (idn && idn2_to_unicode_8z8z(alabel, &u, 0) == IDN2_OK)
        str_copy(out, n, u);
    else
        str_copy(out, n, alabel);
    free(u);
}

reg_err names_lookup_fold(const char *input, char *out, size_t n, reg_status *st)
{
    if (is_ascii(input)) {
        if (strlen(input) >= n)
            return reg_fail(st, REG_ERR_INVALID, "the name is too long; at most %d characters",
                            NAME_MAX_LEN);
        str_copy(out, n, input);
        return REG_OK;
    }
    char *mapped = NULL;
    /* STD3 rules: a mapping to a space or other non-LDH ASCII (U+3000
     * IDEOGRAPHIC SPACE maps to ' ') is an error, not a name to look up */
    int rc = idn2_lookup_u8((const uint8_t *)input, (uint8_t **)&mapped,
                            IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL | IDN2_USE_STD3_ASCII_RULES);
    if (rc != IDN2_OK)
        return reg_fail(st, REG_ERR_INVALID, "not a valid domain or host name: %s",
                        idn2_strerror(rc));
    reg_err e = REG_OK;
    if (mapped[strspn(mapped, "abcdefghijklmnopqrstuvwxyz0123456789-.")])
        e = reg_fail(st, REG_ERR_INVALID, "not a valid domain or host name");
    else if (strlen(mapped) >= n)
        e = reg_fail(st, REG_ERR_INVALID, "the name is too long; at most %d characters",
                     NAME_MAX_LEN);
    else
        str_copy(out, n, mapped);
    idn2_free(mapped);
    return e;
}
