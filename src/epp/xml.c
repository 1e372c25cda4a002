/* See xml.h: the hardened read and the DOM helpers of the decoders. */
#include "xml.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/utf8.h"

bool epp_in_ns(xmlNodePtr n, const char *ns)
{
    return !ns || (n->ns && n->ns->href && !strcmp((const char *)n->ns->href, ns));
}

const char *epp_ns_of(xmlNodePtr n)
{
    return n && n->ns && n->ns->href ? (const char *)n->ns->href : "";
}

static xmlNodePtr first_from(xmlNodePtr n, const char *ns, const char *name)
{
    for (; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && (!name || !strcmp((const char *)n->name, name)) &&
            epp_in_ns(n, ns))
            return n;
    return NULL;
}

xmlNodePtr epp_next_sibling(xmlNodePtr node, const char *ns, const char *name)
{
    return node ? first_from(node->next, ns, name) : NULL;
}

xmlNodePtr epp_child(xmlNodePtr parent, const char *ns, const char *name)
{
    return parent ? first_from(parent->children, ns, name) : NULL;
}

size_t epp_count(xmlNodePtr parent, const char *ns, const char *name)
{
    size_t n = 0;
    for (xmlNodePtr x = epp_child(parent, ns, name); x; x = epp_next_sibling(x, ns, name))
        n++;
    return n;
}

/* The trimmed bounds of node's text in raw (libxml2-owned). */
static const char *trimmed(const char *s, size_t *len)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    *len = n;
    return s;
}

char *epp_text(xmlNodePtr node)
{
    xmlChar *raw = node ? xmlNodeGetContent(node) : NULL;
    if (!raw)
        return strdup("");
    size_t n;
    const char *s = trimmed((const char *)raw, &n);
    char *out = strndup(s, n);
    xmlFree(raw);
    return out;
}

char *xa_text(struct arena *a, xmlNodePtr node)
{
    if (!node)
        return NULL;
    xmlChar *raw = xmlNodeGetContent(node);
    size_t n = 0;
    const char *s = raw ? trimmed((const char *)raw, &n) : "";
    char *out = arena_strndup(a, s, n);
    xmlFree(raw);
    return out;
}

char *xa_child_text(struct arena *a, xmlNodePtr parent, const char *ns, const char *name)
{
    return xa_text(a, epp_child(parent, ns, name));
}

char *xa_attr(struct arena *a, xmlNodePtr node, const char *name)
{
    xmlChar *v = node ? xmlGetProp(node, (const xmlChar *)name) : NULL;
    char *s = v ? arena_strdup(a, (const char *)v) : NULL;
    xmlFree(v);
    return s;
}

bool epp_attr_true(xmlNodePtr node, const char *name)
{
    xmlChar *v = node ? xmlGetProp(node, (const xmlChar *)name) : NULL;
    bool yes = v && (!strcmp((const char *)v, "1") || !strcmp((const char *)v, "true"));
    xmlFree(v);
    return yes;
}

char *xa_token(struct arena *a, xmlNodePtr node)
{
    char *t = xa_text(a, node);
    if (!t)
        return NULL;
    size_t o = 0;
    bool space = false;
    for (const char *p = t; *p; p++) {
        if (isspace((unsigned char)*p)) {
            space = true;
            continue;
        }
        if (space && o)
            t[o++] = ' ';
        space = false;
        t[o++] = *p;
    }
    t[o] = '\0';
    return t;
}

/* libxml2's messages may quote the input on their following lines (a
 * password, say): keep the first line only. */
static void swallow_errors(void *arg, xmlErrorPtr err)
{
    char *buf = arg;
    if (buf[0] || !err || !err->message)
        return;
    snprintf(buf, 256, "line %d: %.*s", err->line, (int)strcspn(err->message, "\r\n"),
             err->message);
    utf8_sanitize(buf);
}

static void stop_at_dtd(void *ctx, const xmlChar *name, const xmlChar *ext_id,
                        const xmlChar *sys_id)
{
    (void)name;
    (void)ext_id;
    (void)sys_id;
    xmlParserCtxtPtr ctxt = ctx;
    ctxt->_private = (void *)"dtd";
    xmlStopParser(ctxt);
}

xmlDocPtr epp_xml_read(const char *xml, size_t len, reg_status *st)
{
    /* EPP never uses a DTD; refusing one outright stops entity expansion
     * (billion laughs) and external entities (XXE) before parsing. */
    if (memmem(xml, len, "<!DOCTYPE", 9) || memmem(xml, len, "<!ENTITY", 8)) {
        reg_fail(st, REG_ERR_SYNTAX, "DTDs and entity declarations are not allowed in EPP");
        return NULL;
    }
    if (len > INT32_MAX) {
        reg_fail(st, REG_ERR_LIMIT, "document too large");
        return NULL;
    }
    char err[256] = "";
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        reg_fail(st, REG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    /* the byte search above cannot see a DTD in UTF-16: stop at one here */
    ctxt->sax->internalSubset = stop_at_dtd;
    /* libxml2's error handler is per thread: set it for this parse only */
    xmlSetStructuredErrorFunc(err, swallow_errors);
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "epp", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlSetStructuredErrorFunc(NULL, NULL);
    bool well_formed = ctxt->wellFormed;
    bool had_dtd = ctxt->_private != NULL || (doc && (doc->intSubset || doc->extSubset));
    xmlFreeParserCtxt(ctxt);
    if (had_dtd) {
        xmlFreeDoc(doc);
        reg_fail(st, REG_ERR_SYNTAX, "DTDs and entity declarations are not allowed in EPP");
        return NULL;
    }
    if (!doc || !well_formed) {
        xmlFreeDoc(doc);
        reg_fail(st, REG_ERR_SYNTAX, "XML is not well-formed: %s", err[0] ? err : "parse error");
        return NULL;
    }
    return doc;
}
