#include "names.h"

#include <ctype.h>
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contrib/secret.h"

/* Decode one UTF-8 code point; returns its length or 0 if malformed. */
static int utf8_next(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    int n = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (!n)
        return 0;
    unsigned v = s[0] & (0x7f >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    *cp = v;
    return n;
}

static bool char_allowed(const char *set, unsigned cp)
{
    const unsigned char *p = (const unsigned char *)set;
    while (*p) {
        unsigned c;
        int n = utf8_next(p, &c);
        if (!n)
            return false;
        if (c == cp)
            return true;
        p += n;
    }
    return false;
}

/* The label's characters must all be in the TLD's set (e.g. .dk). */
static reg_err check_allowed(const struct name_policy *p, const char *ulabel, reg_status *st)
{
    const unsigned char *s = (const unsigned char *)ulabel;
    while (*s) {
        unsigned cp;
        int n = utf8_next(s, &cp);
        if (!n)
            return reg_fail(st, REG_ERR_INVALID, "the name is not valid UTF-8");
        if (!char_allowed(p->allowed_chars, cp))
            return reg_fail(st, REG_ERR_POLICY, "character '%.*s' (U+%04X) is not allowed under .%s",
                            n, (const char *)s, cp, p->tld);
        s += n;
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

reg_err names_domain(const struct name_policy *p, const char *input, struct domain_name *out,
                     reg_status *st)
{
    char name[NAME_MAX_LEN * 4 + 2];
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

    char *alabel = NULL, *ulabel = NULL;
    int rc;
    if (!strncmp(label, "xn--", 4)) {
        reg_err e = check_ldh(label, st);
        if (e)
            return e;
        rc = idn2_to_unicode_8z8z(label, &ulabel, 0);
        if (rc == IDN2_OK)
            rc = idn2_lookup_u8((const uint8_t *)ulabel, (uint8_t **)&alabel, IDN2_NFC_INPUT);
        if (rc == IDN2_OK && strcmp(alabel, label))
            rc = IDN2_ALABEL_ROUNDTRIP_FAILED;
    } else {
        rc = idn2_lookup_u8((const uint8_t *)label, (uint8_t **)&alabel,
                            IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
        if (rc == IDN2_OK)
            rc = idn2_to_unicode_8z8z(alabel, &ulabel, 0);
    }
    if (rc != IDN2_OK) {
        free(alabel);
        free(ulabel);
        return reg_fail(st, REG_ERR_INVALID, "%s is not a valid IDNA2008 name: %s", input,
                        idn2_strerror(rc));
    }
    reg_err e = check_ldh(alabel, st);
    if (!e)
        e = check_allowed(p, ulabel, st);
    if (!e) {
        snprintf(out->alabel, sizeof out->alabel, "%s.%s", alabel, p->tld);
        snprintf(out->ulabel, sizeof out->ulabel, "%s.%s", ulabel, p->tld);
        out->idn = strncmp(alabel, "xn--", 4) == 0;
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

/* An A-label must decode to a valid U-label and encode back to itself. */
static reg_err check_alabel(const char *label, reg_status *st)
{
    char *ulabel = NULL, *again = NULL;
    int rc = idn2_to_unicode_8z8z(label, &ulabel, 0);
    if (rc == IDN2_OK)
        rc = idn2_lookup_u8((const uint8_t *)ulabel, (uint8_t **)&again, IDN2_NFC_INPUT);
    if (rc == IDN2_OK && strcmp(again, label))
        rc = IDN2_ALABEL_ROUNDTRIP_FAILED;
    free(ulabel);
    free(again);
    if (rc != IDN2_OK)
        return reg_fail(st, REG_ERR_INVALID, "%s is not a valid A-label: %s", label,
                        idn2_strerror(rc));
    return REG_OK;
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
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] >= 0x80)
            ascii = false;
    if (!ascii) {
        char *alabels = NULL;
        int rc = idn2_lookup_u8((const uint8_t *)name, (uint8_t **)&alabels,
                                IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
        if (rc != IDN2_OK || strlen(alabels) >= sizeof name) {
            free(alabels);
            return reg_fail(st, REG_ERR_INVALID, "%s is not a valid IDNA2008 host name: %s",
                            input, rc != IDN2_OK ? idn2_strerror(rc) : "too long");
        }
        snprintf(name, sizeof name, "%s", alabels);
        free(alabels);
        lower_ascii(name);
        n = strlen(name);
    }
    if (n > NAME_MAX_LEN)
        return reg_fail(st, REG_ERR_INVALID, "the host name is %zu characters; at most %d are allowed",
                        n, NAME_MAX_LEN);
    int labels = 0;
    const char *last = name;
    for (char *label = name;; labels++) {
        char *dot = strchr(label, '.');
        if (dot)
            *dot = '\0';
        reg_err e = check_ldh(label, st);
        if (!e && !strncmp(label, "xn--", 4))
            e = check_alabel(label, st);
        last = label;
        if (dot)
            *dot = '.';
        if (e)
            return e;
        if (!dot) {
            labels++;
            break;
        }
        label = dot + 1;
    }
    if (labels < 2)
        return reg_fail(st, REG_ERR_INVALID,
                        "a host name needs at least two labels, like ns1.example.net");
    if (strspn(last, "0123456789") == strlen(last))
        return reg_fail(st, REG_ERR_INVALID, "the last label of a host name may not be all digits");
    memcpy(out, name, n + 1);
    return REG_OK;
}
