/* UTF-8 hygiene for text that goes back to clients. */
#ifndef REG_UTF8_H
#define REG_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* In place: a trailing incomplete sequence is dropped (it is what a cut
 * by bytes leaves) and every other invalid byte becomes '?'. */
void utf8_sanitize(char *s);
/* One code point of strict UTF-8 at s (no overlong forms, surrogates or
 * code points past U+10FFFF) into *cp: its length in bytes (1-4), or 0
 * when s does not start a valid sequence. s[0] == '\0' gives 1 and 0. */
size_t utf8_decode(const char *s, uint32_t *cp);
/* Whether the n bytes at s are strict UTF-8 (as utf8_decode) without NUL;
 * reads nothing past s[n - 1]. */
bool utf8_valid(const char *s, size_t n);
/* Number of code points (bytes that do not continue a sequence). */
size_t utf8_length(const char *s);

#endif
