/* libFuzzer target: the names the registry parses (src/registry/names.c):
 * domain names under .dk, as U-labels or A-labels through libidn2, with
 * the .dk character set (æøåäöüé) and with an ASCII-only one; host names;
 * contact ids as created (R1-R3, for a short and a 16-character registrar
 * handle) and as looked up. The input is one string (up to a NUL).
 *
 * Checks: a refusal has the documented code and a reason in valid UTF-8
 * (it is sent as XML text). An accepted domain's A-label is lowercase LDH
 * ASCII, one label of 1-63 characters under ".dk", at most 253 bytes; its
 * U-label holds only allowed characters; the A-label, the U-label and the
 * A-label in upper case with a trailing dot all give the same name again;
 * names_host agrees on it; the ASCII-only policy accepts exactly the
 * accepted names whose U-label is ASCII, with the same result. An accepted
 * host name is canonical and gives itself again. IDNA2008 strictly (issue
 * 12 item 8): nothing is mapped but ASCII case and one trailing dot, so an
 * accepted domain name is its A-label or its U-label as given, and an
 * accepted host name has the given labels, each as given or as an A-label;
 * a refusal that blames a code point (refused_cp) names it in the reason
 * and, unless an A-label was given, it occurs in the input. A contact id is 1-100 of
 * A-Z 0-9 ':' '-', looks itself up, and one created is the registrar's
 * handle or starts with it and ':' and creates itself again. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "registry/names.h"

#define DK_CHARS                                                                                   \
    "abcdefghijklmnopqrstuvwxyz0123456789-\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa4\xc3\xb6\xc3\xbc\xc3\xa9"
static const struct name_policy dk = {.tld = "dk", .allowed_chars = DK_CHARS};
static const struct name_policy ascii = {.tld = "dk", .allowed_chars = "abcdefghijklmnopqrstuvwxyz0123456789-"};

static const char *input; /* for the report of a failed check */

static void fail(const char *what, int line)
{
    fprintf(stderr, "fuzz_names.c:%d: %s does not hold for input \"", line, what);
    for (const unsigned char *p = (const unsigned char *)input; *p; p++)
        fprintf(stderr, *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' ? "%c" : "\\x%02x",
                *p);
    fprintf(stderr, "\"\n");
    abort();
}
#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            fail(#c, __LINE__);                                                                    \
    } while (0)

/* One code point of strict UTF-8 (no overlong forms, surrogates or code
 * points past U+10FFFF) into *cp: its length, or 0 if invalid. */
static int utf8_step(const unsigned char *s, unsigned *cp)
{
    static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    int n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
                                : (s[0] & 0xf8) == 0xf0                    ? 4
                                                                           : 0;
    if (!n)
        return 0;
    unsigned v = n == 1 ? s[0] : s[0] & (0x7f >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if ((n > 1 && v < min[n]) || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

static int utf8_valid(const char *s)
{
    unsigned cp;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = utf8_step(p, &cp);
        if (!n)
            return 0;
        p += n;
    }
    return 1;
}

/* Is every character of the UTF-8 string s (up to end) in the set? */
static int all_in(const char *s, const char *end, const char *set)
{
    unsigned cp, c;
    for (const unsigned char *p = (const unsigned char *)s; p < (const unsigned char *)end;) {
        int n = utf8_step(p, &cp);
        if (!n)
            return 0;
        int found = 0;
        for (const unsigned char *q = (const unsigned char *)set; *q && !found;) {
            int m = utf8_step(q, &c);
            found = c == cp;
            q += m;
        }
        if (!found)
            return 0;
        p += n;
    }
    return 1;
}

static void check_refusal(reg_err e, const reg_status *st, reg_err a, reg_err b)
{
    CHECK(e == a || e == b);
    CHECK(st->code == e);
    CHECK(st->reason[0] != '\0');
    CHECK(utf8_valid(st->reason));
}

/* A label of an A-label name: 1-63 of a-z 0-9 '-', not starting or ending
 * with '-'. */
static void check_ldh_label(const char *l, size_t n)
{
    CHECK(n >= 1 && n <= 63);
    CHECK(strspn(l, "abcdefghijklmnopqrstuvwxyz0123456789-") >= n);
    CHECK(l[0] != '-' && l[n - 1] != '-');
}

static void upper_dot(const char *s, char *out, size_t n)
{
    size_t i = 0;
    for (; s[i] && i + 2 < n; i++)
        out[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
    out[i++] = '.';
    out[i] = '\0';
}

/* The input in ASCII lower case without one trailing dot: all that
 * names_domain and names_host may change. */
static void folded(const char *s, char *out, size_t n)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    if (i && out[i - 1] == '.')
        i--;
    out[i] = '\0';
}

static int contains_cp(const char *s, unsigned cp)
{
    unsigned c;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = utf8_step(p, &c);
        if (!n)
            return 0;
        if (c == cp)
            return 1;
        p += n;
    }
    return 0;
}

static int domain(const struct name_policy *p, const char *in, struct domain_name *dn)
{
    reg_status st = {0};
    reg_err e = names_domain(p, in, dn, &st);
    if (e) {
        check_refusal(e, &st, REG_ERR_INVALID, REG_ERR_POLICY);
        if (dn->refused_cp) {
            char want[16];
            snprintf(want, sizeof want, "U+%04X", dn->refused_cp);
            CHECK(strstr(st.reason, want) != NULL);
            CHECK(strcasestr(in, "xn--") || contains_cp(in, dn->refused_cp));
        }
        return 0;
    }
    CHECK(dn->refused_cp == 0);
    return 1;
}

static void same_domain(const struct domain_name *a, const struct domain_name *b)
{
    CHECK(!strcmp(a->alabel, b->alabel));
    CHECK(!strcmp(a->ulabel, b->ulabel));
    CHECK(a->idn == b->idn);
}

static void check_domain(const char *in)
{
    struct domain_name dn, asc, again;
    int ok = domain(&dk, in, &dn);
    int ok_ascii = domain(&ascii, in, &asc);
    if (ok_ascii) {
        CHECK(ok);
        same_domain(&dn, &asc);
    }
    if (!ok)
        return;
    /* nothing mapped: the name as given is its A-label or its U-label */
    char f[4 * NAME_MAX_LEN + 8];
    folded(in, f, sizeof f);
    CHECK(!strcmp(f, dn.alabel) || !strcmp(f, dn.ulabel));
    /* the A-label: one LDH label under .dk */
    size_t n = strlen(dn.alabel);
    CHECK(n <= NAME_MAX_LEN && n > 3);
    CHECK(!strcmp(dn.alabel + n - 3, ".dk"));
    CHECK(strchr(dn.alabel, '.') == dn.alabel + n - 3);
    check_ldh_label(dn.alabel, n - 3);
    CHECK(dn.idn == !strncmp(dn.alabel, "xn--", 4));
    /* the U-label: allowed characters under .dk; the A-label itself if
     * not an IDN */
    size_t u = strlen(dn.ulabel);
    CHECK(u > 3 && !strcmp(dn.ulabel + u - 3, ".dk"));
    CHECK(utf8_valid(dn.ulabel));
    CHECK(all_in(dn.ulabel, dn.ulabel + u - 3, DK_CHARS));
    if (!dn.idn)
        CHECK(!strcmp(dn.ulabel, dn.alabel));
    /* the ASCII-only policy takes it exactly when its U-label is ASCII */
    CHECK(ok_ascii == all_in(dn.ulabel, dn.ulabel + u - 3, ascii.allowed_chars));
    /* every form of the name gives the same name again */
    CHECK(domain(&dk, dn.alabel, &again));
    same_domain(&dn, &again);
    CHECK(domain(&dk, dn.ulabel, &again));
    same_domain(&dn, &again);
    char upper[NAME_MAX_LEN + 2];
    upper_dot(dn.alabel, upper, sizeof upper);
    CHECK(domain(&dk, upper, &again));
    same_domain(&dn, &again);
    /* a host under it is named alike */
    char host[NAME_MAX_LEN + 1];
    reg_status st = {0};
    CHECK(names_host(dn.alabel, host, &st) == REG_OK);
    CHECK(!strcmp(host, dn.alabel));
    CHECK(names_host(dn.ulabel, host, &st) == REG_OK);
    CHECK(!strcmp(host, dn.alabel));
}

static void check_host(const char *in)
{
    char h[NAME_MAX_LEN + 1], again[NAME_MAX_LEN + 1];
    reg_status st = {0};
    reg_err e = names_host(in, h, &st);
    if (e) {
        check_refusal(e, &st, REG_ERR_INVALID, REG_ERR_INVALID);
        return;
    }
    size_t n = strlen(h);
    CHECK(n <= NAME_MAX_LEN);
    int labels = 0;
    const char *last = h;
    for (const char *l = h;; labels++) {
        size_t len = strcspn(l, ".");
        check_ldh_label(l, len);
        last = l;
        if (!l[len]) {
            labels++;
            break;
        }
        l += len + 1;
    }
    CHECK(labels >= 2);
    CHECK(strspn(last, "0123456789") != strlen(last));
    /* nothing mapped: the labels as given, each itself or its A-label */
    char f[4 * NAME_MAX_LEN + 8];
    folded(in, f, sizeof f);
    const char *a = h, *g = f;
    for (int i = 0; i < labels; i++) {
        size_t al = strcspn(a, "."), gl = strcspn(g, ".");
        CHECK((al == gl && !strncmp(a, g, al)) || !strncmp(a, "xn--", 4));
        a += al + (a[al] != '\0');
        g += gl + (g[gl] != '\0');
    }
    CHECK(!*a && !*g);
    CHECK(names_host(h, again, &st) == REG_OK && !strcmp(h, again));
    char upper[NAME_MAX_LEN + 2];
    upper_dot(h, upper, sizeof upper);
    CHECK(names_host(upper, again, &st) == REG_OK && !strcmp(h, again));
}

/* 1-100 of A-Z 0-9 ':' '-', and looked up it is itself. */
static void check_contact_id(const char *id)
{
    size_t n = strlen(id);
    CHECK(n >= 1 && n <= CONTACT_ID_MAX);
    CHECK(strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-") == n);
    char again[CONTACT_ID_MAX + 1];
    reg_status st = {0};
    CHECK(names_contact_lookup(id, again, &st) == REG_OK && !strcmp(id, again));
}

static void check_contact(const char *in)
{
    char id[CONTACT_ID_MAX + 1], again[CONTACT_ID_MAX + 1];
    reg_status st = {0};
    reg_err e = names_contact_lookup(in, id, &st);
    if (e) {
        check_refusal(e, &st, REG_ERR_INVALID, REG_ERR_MISSING);
        CHECK(e == REG_ERR_INVALID || !*in);
    } else {
        check_contact_id(id);
        CHECK(!strcasecmp(id, in) && strlen(id) == strlen(in));
    }
    static const char *const registrars[] = {"REG-A", "ABCDEFGHIJKLMNOP"};
    for (size_t i = 0; i < sizeof registrars / sizeof registrars[0]; i++) {
        const char *r = registrars[i];
        size_t rl = strlen(r);
        e = names_contact_id(NULL, r, in, id, &st);
        if (e) {
            check_refusal(e, &st, REG_ERR_INVALID, REG_ERR_INVALID);
            continue;
        }
        check_contact_id(id);
        CHECK(!strncmp(id, r, rl) && (id[rl] == ':' || id[rl] == '\0'));
        if (!*in || !strcasecmp(in, "auto")) { /* R2: REGISTRAR:XXXXXXXX */
            CHECK(strlen(id) == rl + 9 && strspn(id + rl + 1, "0123456789ABCDEF") == 8);
            continue;
        }
        CHECK(names_contact_id(NULL, r, id, again, &st) == REG_OK && !strcmp(id, again));
    }
    /* [contact] id_prefix = none: the id asked for, 3-16 characters */
    static const struct name_policy plain = {.plain_contact_ids = true};
    e = names_contact_id(&plain, "REG-A", in, id, &st);
    if (e) {
        check_refusal(e, &st, REG_ERR_INVALID, REG_ERR_INVALID);
    } else if (!*in || !strcasecmp(in, "auto")) {
        CHECK(strlen(id) == 9 && id[0] == 'C' && strspn(id + 1, "0123456789ABCDEF") == 8);
    } else {
        check_contact_id(id);
        CHECK(strlen(id) >= 3 && strlen(id) <= 16 && !strcasecmp(id, in));
        CHECK(names_contact_id(&plain, "REG-A", id, again, &st) == REG_OK && !strcmp(id, again));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fuzz_string(data, size);
    if (!buf)
        return 0;
    input = buf;
    check_domain(buf);
    check_host(buf);
    check_contact(buf);
    free(buf);
    return 0;
}
