/* Small string helpers shared by every layer. */
#ifndef REG_STRUTIL_H
#define REG_STRUTIL_H

#include <stddef.h>

/* src into the n-byte buffer dst, cut to fit and always terminated; NULL
 * copies as "". */
void str_copy(char *dst, size_t n, const char *src);

#endif
