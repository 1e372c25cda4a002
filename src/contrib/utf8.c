#include "utf8.h"

#include <stdbool.h>
#include <string.h>

size_t utf8_decode(const char *str, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t n;
    uint32_t min;
    if ((s[0] & 0xe0) == 0xc0) {
        n = 2;
        min = 0x80;
    } else if ((s[0] & 0xf0) == 0xe0) {
        n = 3;
        min = 0x800;
    } else if ((s[0] & 0xf8) == 0xf0) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    uint32_t v = s[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

/* Length of a valid sequence at s (1..4), or 0. */
static size_t sequence_length(const unsigned char *s)
{
    uint32_t cp;
    return utf8_decode((const char *)s, &cp);
}

/* The length the lead byte c announces (1..4), or 0 when it leads none. */
static size_t announced(unsigned char c)
{
    return c < 0x80                ? 1
           : (c & 0xe0) == 0xc0    ? 2
           : (c & 0xf0) == 0xe0    ? 3
           : (c & 0xf8) == 0xf0    ? 4
                                   : 0;
}

static bool truncated_tail(const unsigned char *s)
{
    size_t len = strlen((const char *)s);
    size_t want = announced(s[0]);
    if (want == 1)
        return false;
    if (!want || len >= want)
        return false;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return false;
    return true;
}

void utf8_sanitize(char *str)
{
    unsigned char *s = (unsigned char *)str;
    while (*s) {
        size_t n = sequence_length(s);
        if (n) {
            s += n;
        } else if (truncated_tail(s)) {
            *s = '\0';
            return;
        } else {
            *s++ = '?';
        }
    }
}

size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

bool utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t want = announced((unsigned char)s[i]);
        uint32_t cp;
        /* the sequence must end within n before utf8_decode reads it */
        if (!s[i] || !want || n - i < want || utf8_decode(s + i, &cp) != want)
            return false;
        i += want;
    }
    return true;
}
