/* Small string helpers shared by every layer. */
#ifndef REG_STRUTIL_H
#define REG_STRUTIL_H

#include <stddef.h>

/* src into the n-byte buffer dst, cut to fit and always terminated; NULL
 * copies as "". */
void str_copy(char *dst, size_t n, const char *src);

/* The strings of parts (the list ends at the first NULL) one after another into the n-byte buffer dst, cut to
 * fit and always terminated, as snprintf("%s%s…") would write them but
 * without a format to parse (RDAP builds several such texts an answer). */
void str_join(char *dst, size_t n, const char *const *parts);

/* A URL fit to print: the password of its user info
 * ("postgresql://user:SECRET@host/db") and the value of a "password"
 * query parameter ("?password=SECRET") become "***". Every place that
 * prints a database URL (banner, regctl, config show, errors) uses it. */
#define URL_REDACTED "***"
void str_redact_url(char *dst, size_t n, const char *url);

/* A macro's value as a string literal, to splice into SQL text:
 * STR_OF(FETCH_ROWS) is "2000". */
#define STR_OF_(x) #x
#define STR_OF(x) STR_OF_(x)

#endif
