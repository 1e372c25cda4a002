/* Inside src/epp only (and its unit tests): the hardened libxml2 read, the
 * schema check and small DOM helpers the decoders use. Nothing outside the
 * codec sees an xmlNodePtr. */
#ifndef REG_EPP_XML_H
#define REG_EPP_XML_H

#include <libxml/tree.h>
#include <stdbool.h>
#include "contrib/arena.h"
#include "contrib/status.h"

/* Hardened XML parse (no network, no DTD, no entity expansion), without
 * schema validation. */
xmlDocPtr epp_xml_read(const char *xml, size_t len, reg_status *st);
/* Validates doc against the compiled schema set (schema.c). */
reg_err epp_schema_validate(xmlDocPtr doc, reg_status *st);

/* First child element with this local name in namespace ns (NULL = any);
 * the next sibling likewise. */
xmlNodePtr epp_child(xmlNodePtr parent, const char *ns, const char *name);
xmlNodePtr epp_next_sibling(xmlNodePtr node, const char *ns, const char *name);
/* Is n in namespace ns (NULL: any)? Its namespace URI, or "". */
bool epp_in_ns(xmlNodePtr n, const char *ns);
const char *epp_ns_of(xmlNodePtr n);
/* The element's text, trimmed (malloc'd, never NULL). */
char *epp_text(xmlNodePtr node);

/* The same into an arena: the trimmed text of node (NULL node → NULL); of
 * parent's first child <name> in ns (NULL when there is none); an
 * attribute's value (NULL when absent); the text with whitespace collapsed
 * as xs:token does. */
char *xa_text(struct arena *a, xmlNodePtr node);
char *xa_child_text(struct arena *a, xmlNodePtr parent, const char *ns, const char *name);
char *xa_attr(struct arena *a, xmlNodePtr node, const char *name);
char *xa_token(struct arena *a, xmlNodePtr node);
/* Number of children <name> in ns. */
size_t epp_count(xmlNodePtr parent, const char *ns, const char *name);
/* Is the attribute (xs:boolean) true: "1" or "true"? */
bool epp_attr_true(xmlNodePtr node, const char *name);

#endif
