#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(strbuf *sb) { memset(sb, 0, sizeof *sb); }

void sb_free(strbuf *sb)
{
    free(sb->data);
    sb_init(sb);
}

void sb_reset(strbuf *sb)
{
    sb->len = 0;
    sb->err = REG_OK;
    if (sb->data)
        sb->data[0] = '\0';
}

static bool sb_reserve(strbuf *sb, size_t extra)
{
    if (sb->err)
        return false;
    if (sb->limit && sb->len + extra > sb->limit) {
        sb->err = REG_ERR_LIMIT;
        return false;
    }
    if (sb->len + extra + 1 <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    char *p = realloc(sb->data, cap);
    if (!p) {
        sb->err = REG_ERR_NOMEM;
        return false;
    }
    sb->data = p;
    sb->cap = cap;
    return true;
}

void sb_append(strbuf *sb, const void *data, size_t n)
{
    if (!sb_reserve(sb, n))
        return;
    if (n)
        memcpy(sb->data + sb->len, data, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_puts(strbuf *sb, const char *s) { sb_append(sb, s, strlen(s)); }
void sb_putc(strbuf *sb, char c) { sb_append(sb, &c, 1); }

void sb_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        sb->err = REG_ERR_INVALID;
        return;
    }
    if (!sb_reserve(sb, (size_t)n))
        return;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

char *sb_steal(strbuf *sb)
{
    char *p = sb->data;
    if (!p)
        p = calloc(1, 1);
    sb_init(sb);
    return p;
}

const char *sb_str(const strbuf *sb) { return sb->data ? sb->data : ""; }
