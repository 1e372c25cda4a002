/* UTF-8 hygiene for text that goes back to clients. */
#ifndef REG_UTF8_H
#define REG_UTF8_H

#include <stddef.h>

/* In place: a trailing incomplete sequence is dropped (it is what a cut
 * by bytes leaves) and every other invalid byte becomes '?'. */
void utf8_sanitize(char *s);
/* The first byte of s that keeps it from being one line of text: not
 * UTF-8, or a control character (below 0x20, or 0x7f); NULL if none.
 * Text staff write for a registrar to read (a poll message, a status
 * text) must pass: EPP's XML cannot carry most control characters. */
const char *utf8_line_fault(const char *s);
/* Number of code points (bytes that do not continue a sequence). */
size_t utf8_length(const char *s);

#endif
