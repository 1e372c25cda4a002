/* Manual pages in roff (man(7)), generated at build time from the same
 * tables as --help and `regctl config show`, so the pages cannot drift
 * from the programs. */
#ifndef REG_MANPAGE_H
#define REG_MANPAGE_H

#include <stdio.h>

/* .TH and .SH NAME: "registryd", 8, "the registry daemon". */
void man_header(FILE *out, const char *name, int section, const char *version,
                const char *summary);
/* .SH TITLE */
void man_section(FILE *out, const char *title);
/* Text with roff's special characters escaped (backslash, a leading '.' or
 * '\'', '-'), then a newline. */
void man_text(FILE *out, const char *text);
/* A tagged paragraph: .TP, tag in bold, then text. */
void man_item(FILE *out, const char *tag, const char *text);

#endif
