/* UTF-8 hygiene for text that goes back to clients. */
#ifndef REG_UTF8_H
#define REG_UTF8_H

#include <stddef.h>

/* In place: a trailing incomplete sequence is dropped (it is what a cut
 * by bytes leaves) and every other invalid byte becomes '?'. */
void utf8_sanitize(char *s);
/* Number of code points (bytes that do not continue a sequence). */
size_t utf8_length(const char *s);

#endif
