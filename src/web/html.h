/* The HTML writer of the portal's pages: it escapes by default. Tag and
 * attribute names are string literals of our own code; every attribute
 * value and every text goes through html_escape, so a page cannot put a
 * caller's string into markup by mistake. Attributes come as name, value
 * pairs ended by NULL; a NULL value writes the name alone (required,
 * selected):
 *
 *     h_open(sb, "form", "method", "post", "action", url, NULL);
 *     h_void(sb, "input", "type", "hidden", "name", "csrf", "value", token, NULL);
 *     h_elem(sb, "h1", title, "class", "h3", NULL);
 *     h_close(sb, "form");
 */
#ifndef REG_WEB_HTML_H
#define REG_WEB_HTML_H

#include "contrib/strbuf.h"

#define H_SENTINEL __attribute__((sentinel))

/* <tag name="value" …> */
void h_open(strbuf *sb, const char *tag, ...) H_SENTINEL;
/* <tag name="value" …> without a closing tag (input, meta, link, br). */
void h_void(strbuf *sb, const char *tag, ...) H_SENTINEL;
/* </tag> */
void h_close(strbuf *sb, const char *tag);
/* Escaped text. */
void h_text(strbuf *sb, const char *text);
/* Escaped text from a format. */
void h_textf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* <tag …>text</tag> */
void h_elem(strbuf *sb, const char *tag, const char *text, ...) H_SENTINEL;

#endif
