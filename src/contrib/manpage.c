#include "manpage.h"

#include <ctype.h>

static void escaped(FILE *out, const char *s)
{
    for (const char *p = s; *p; p++) {
        if ((p == s || p[-1] == '\n') && (*p == '.' || *p == '\''))
            fputs("\\&", out);
        if (*p == '\\')
            fputs("\\e", out);
        else if (*p == '-')
            fputs("\\-", out);
        else
            fputc(*p, out);
    }
}

void man_header(FILE *out, const char *name, int section, const char *version, const char *summary)
{
    char upper[64];
    size_t i = 0;
    for (; name[i] && i < sizeof upper - 1; i++)
        upper[i] = (char)toupper((unsigned char)name[i]);
    upper[i] = '\0';
    fprintf(out, ".\\\" Generated from the program's own tables; do not edit.\n");
    fprintf(out, ".TH %s %d \"\" \"registryd %s\" \"registryd\"\n", upper, section, version);
    man_section(out, "NAME");
    escaped(out, name);
    fputs(" \\- ", out);
    man_text(out, summary);
}

void man_section(FILE *out, const char *title)
{
    fputs(".SH ", out);
    escaped(out, title);
    fputc('\n', out);
}

void man_text(FILE *out, const char *text)
{
    escaped(out, text);
    fputc('\n', out);
}

void man_item(FILE *out, const char *tag, const char *text)
{
    fputs(".TP\n.B ", out);
    man_text(out, tag);
    man_text(out, text);
}
