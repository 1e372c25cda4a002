/* Growable byte buffer with a sticky error: append freely, check once. */
#ifndef REG_STRBUF_H
#define REG_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "error.h"

typedef struct {
    char *data; /* always NUL-terminated when len > 0 or after any append */
    size_t len, cap;
    size_t limit; /* 0 = unlimited; exceeding it sets REG_ERR_LIMIT */
    reg_err err;
} strbuf;

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_reset(strbuf *sb);
void sb_append(strbuf *sb, const void *data, size_t n);
void sb_puts(strbuf *sb, const char *s);
void sb_putc(strbuf *sb, char c);
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the buffer to the caller (free()), leaving sb empty. */
char *sb_steal(strbuf *sb);
/* The contents as a C string ("" when empty). */
const char *sb_str(const strbuf *sb);

#endif
