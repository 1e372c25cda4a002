/* See jsonout.h. */
#include "jsonout.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/utf8.h"

struct out {
    char *buf;
    size_t size, len; /* len counts on past size: the length needed */
    bool sorted;      /* members in the order of their keys */
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->len < o->size)
        memcpy(o->buf + o->len, s, o->size - o->len < n ? o->size - o->len : n);
    o->len += n;
}

static void put1(struct out *o, char c)
{
    if (o->len < o->size)
        o->buf[o->len] = c;
    o->len++;
}

/* A byte that goes out as it is: ASCII from U+0020 on but '"' and '\\'
 * (the bytes of multi-byte UTF-8 are checked apart). */
static bool plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* How many of the bytes s[0..n) from the start are plain, counted eight
 * at a time (a word with one byte that is not ends the count; the byte
 * loop of put_string takes it from there). A byte is not plain when it is
 * 0x80 or above (its high bit), below 0x20, '"' or '\\': for a word x,
 * (x - 0x20 in each byte) & ~x has a high bit set iff some byte of x is
 * below 0x20, and (x - 0x01s) & ~x iff some byte is zero, the test for
 * '"' and '\\' after an exclusive or with them (borrows only run on from
 * a byte that did match, so the answer for the word is exact). */
static size_t plain_run(const char *s, size_t n)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
        uint64_t bad = w | ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) |
                       ((backslash - ones) & ~backslash);
        if (bad & highs)
            break;
    }
    return i;
}

/* s[0..n) as a JSON string; s[n] is '\0' (jansson's strings always end
 * with one), so a multi-byte sequence cut by the end is seen as invalid. */
static bool put_string(struct out *o, const char *s, size_t n)
{
    put1(o, '"');
    size_t from = 0, i = 0;
    while (i < n) {
        i += plain_run(s + i, n - i);
        if (i >= n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (plain(c)) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            uint32_t cp;
            size_t k = utf8_decode(s + i, &cp);
            if (!k || k > n - i)
                return false;
            i += k;
            continue;
        }
        put(o, s + from, i - from);
        char esc[8];
        switch (c) {
        case '"': put(o, "\\\"", 2); break;
        case '\\': put(o, "\\\\", 2); break;
        case '\b': put(o, "\\b", 2); break;
        case '\f': put(o, "\\f", 2); break;
        case '\n': put(o, "\\n", 2); break;
        case '\r': put(o, "\\r", 2); break;
        case '\t': put(o, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c); /* jansson's upper-case hex */
            put(o, esc, 6);
        }
        from = ++i;
    }
    put(o, s + from, n - from);
    put1(o, '"');
    return true;
}

/* As jansson's jsonp_dtostr with its default precision: "%.17g", a
 * decimal point whatever the locale, ".0" when it would read as an
 * integer, no '+' or leading zeros in the exponent. */
static bool put_real(struct out *o, double v)
{
    char b[64];
    int n = snprintf(b, sizeof b, "%.17g", v);
    if (n < 0 || (size_t)n >= sizeof b - 3)
        return false;
    for (char *p = b; *p; p++)
        if (*p == ',')
            *p = '.';
    char *e = strchr(b, 'e');
    if (!strchr(b, '.') && !e) {
        memcpy(b + n, ".0", 3);
        n += 2;
    }
    if (e) {
        char *d = e + 1, *from = d;
        if (*from == '-')
            d = ++from;
        if (*from == '+')
            from++;
        while (*from == '0' && from[1])
            from++;
        memmove(d, from, strlen(from) + 1);
        n = (int)strlen(b);
    }
    put(o, b, (size_t)n);
    return true;
}

static bool put_value(struct out *o, const json_t *j, int depth);

/* One member of an object, to be sorted. */
struct member {
    const char *key;
    size_t len;
    const json_t *value;
};

/* jansson's order for JSON_SORT_KEYS: the bytes, then the shorter first. */
static int by_key(const void *a, const void *b)
{
    const struct member *x = a, *y = b;
    int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* An object's members, sorted in an allocation of their own (an array
 * on the stack would sit in every frame of a deep nesting). */
static bool put_sorted_object(struct out *o, const json_t *j, int depth)
{
    size_t n = json_object_size(j), i = 0;
    struct member *m = malloc((n ? n : 1) * sizeof *m);
    if (!m)
        return false;
    for (void *it = json_object_iter((json_t *)j); it && i < n;
         it = json_object_iter_next((json_t *)j, it), i++)
        m[i] = (struct member){json_object_iter_key(it), json_object_iter_key_len(it),
                               json_object_iter_value(it)};
    qsort(m, i, sizeof *m, by_key);
    bool ok = true;
    put1(o, '{');
    for (size_t k = 0; k < i && ok; k++) {
        if (k)
            put1(o, ',');
        ok = put_string(o, m[k].key, m[k].len);
        put1(o, ':');
        ok = ok && put_value(o, m[k].value, depth + 1);
    }
    put1(o, '}');
    free(m);
    return ok;
}

static bool put_value(struct out *o, const json_t *j, int depth)
{
    if (!j || depth > JSONOUT_MAX_DEPTH)
        return false;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        if (o->sorted)
            return put_sorted_object(o, j, depth);
        put1(o, '{');
        bool first = true;
        for (void *it = json_object_iter((json_t *)j); it;
             it = json_object_iter_next((json_t *)j, it)) {
            if (!first)
                put1(o, ',');
            first = false;
            if (!put_string(o, json_object_iter_key(it), json_object_iter_key_len(it)))
                return false;
            put1(o, ':');
            if (!put_value(o, json_object_iter_value(it), depth + 1))
                return false;
        }
        put1(o, '}');
        return true;
    }
    case JSON_ARRAY: {
        put1(o, '[');
        size_t n = json_array_size(j);
        for (size_t i = 0; i < n; i++) {
            if (i)
                put1(o, ',');
            if (!put_value(o, json_array_get(j, i), depth + 1))
                return false;
        }
        put1(o, ']');
        return true;
    }
    case JSON_STRING: return put_string(o, json_string_value(j), json_string_length(j));
    case JSON_INTEGER: {
        char b[32];
        int n = snprintf(b, sizeof b, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
        put(o, b, (size_t)n);
        return true;
    }
    case JSON_REAL: return put_real(o, json_real_value(j));
    case JSON_TRUE: put(o, "true", 4); return true;
    case JSON_FALSE: put(o, "false", 5); return true;
    case JSON_NULL: put(o, "null", 4); return true;
    }
    return false;
}

size_t jsonout_compact(const json_t *j, char *buf, size_t size)
{
    struct out o = {.buf = buf, .size = buf ? size : 0};
    return put_value(&o, j, 0) ? o.len : 0;
}

size_t jsonout_compact_sorted(const json_t *j, char *buf, size_t size)
{
    struct out o = {.buf = buf, .size = buf ? size : 0, .sorted = true};
    return put_value(&o, j, 0) ? o.len : 0;
}
