#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "web.h"

static void attrs(strbuf *sb, va_list ap)
{
    const char *name;
    while ((name = va_arg(ap, const char *))) {
        const char *value = va_arg(ap, const char *);
        sb_putc(sb, ' ');
        sb_puts(sb, name);
        if (value) {
            sb_puts(sb, "=\"");
            html_escape(sb, value);
            sb_putc(sb, '"');
        }
    }
}

/* <tag attrs…> */
static void start_tag(strbuf *sb, const char *tag, va_list ap)
{
    sb_putc(sb, '<');
    sb_puts(sb, tag);
    attrs(sb, ap);
    sb_putc(sb, '>');
}

void h_open(strbuf *sb, const char *tag, ...)
{
    va_list ap;
    va_start(ap, tag);
    start_tag(sb, tag, ap);
    va_end(ap);
}

/* the same as h_open: the name says no h_close follows */
void h_void(strbuf *sb, const char *tag, ...)
{
    va_list ap;
    va_start(ap, tag);
    start_tag(sb, tag, ap);
    va_end(ap);
}

void h_close(strbuf *sb, const char *tag)
{
    sb_puts(sb, "</");
    sb_puts(sb, tag);
    sb_puts(sb, ">");
}

void h_text(strbuf *sb, const char *text)
{
    html_escape(sb, text);
}

void h_textf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->err = REG_ERR_NOMEM;
        return;
    }
    html_escape(sb, s);
    free(s);
}

void h_elem(strbuf *sb, const char *tag, const char *text, ...)
{
    va_list ap;
    va_start(ap, text);
    start_tag(sb, tag, ap);
    va_end(ap);
    html_escape(sb, text);
    h_close(sb, tag);
}
