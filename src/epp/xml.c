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

/* ---- parse cost (issue 12: expensive XML before login) ---------------------------------- */

/* What an honest EPP document never comes near: the largest command (a
 * domain update with every list full, an account create with six new
 * contacts) has a few hundred elements, four attributes per element and
 * nesting below 12. */
#define MAX_ELEMENTS 2048
#define MAX_ATTRIBUTES 1024        /* in the whole document */
#define MAX_ELEMENT_ATTRIBUTES 16  /* on one element, namespace declarations included */
#define MAX_NAME 96                /* bytes of an element or attribute name with its prefix */
#define MAX_DEPTH 32

static const char *skip_to(const char *p, const char *end, const char *stop)
{
    const char *q = memmem(p, (size_t)(end - p), stop, strlen(stop));
    return q ? q + strlen(stop) : end;
}

static bool name_char(char c)
{
    return c && !strchr(" \t\r\n/>=\"'<", c);
}

/* A linear scan of the bytes before libxml2 sees them: refuses documents
 * whose element, attribute, name or depth counts are far beyond EPP's, so
 * a hostile frame costs microseconds, not a worker's tenth of a second. A
 * construct the scan cannot follow is left for the parser to refuse. */
static reg_err precheck(const char *xml, size_t len, reg_status *st)
{
    const char *p = xml, *end = xml + len;
    size_t elements = 0, attributes = 0;
    int depth = 0;
    while ((p = memchr(p, '<', (size_t)(end - p)))) {
        if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
            p = skip_to(p + 4, end, "-->");
            continue;
        }
        if (end - p >= 9 && !memcmp(p, "<![CDATA[", 9)) {
            p = skip_to(p + 9, end, "]]>");
            continue;
        }
        if (end - p >= 2 && (p[1] == '?' || p[1] == '!')) {
            p = skip_to(p + 2, end, ">");
            continue;
        }
        if (end - p >= 2 && p[1] == '/') {
            depth--;
            p = skip_to(p + 2, end, ">");
            continue;
        }
        const char *n = ++p;
        while (p < end && name_char(*p))
            p++;
        if (p - n > MAX_NAME)
            return reg_fail(st, REG_ERR_SYNTAX, "an element name is longer than %d bytes",
                            MAX_NAME);
        if (++elements > MAX_ELEMENTS)
            return reg_fail(st, REG_ERR_SYNTAX, "more than %d elements in one document",
                            MAX_ELEMENTS);
        size_t here = 0;
        for (;;) {
            while (p < end && strchr(" \t\r\n", *p))
                p++;
            if (p >= end || *p == '>' || *p == '/' || *p == '<')
                break;
            const char *a = p;
            while (p < end && name_char(*p))
                p++;
            if (p == a)
                return REG_OK; /* not something we can follow: the parser decides */
            if (p - a > MAX_NAME)
                return reg_fail(st, REG_ERR_SYNTAX, "an attribute name is longer than %d bytes",
                                MAX_NAME);
            if (++here > MAX_ELEMENT_ATTRIBUTES || ++attributes > MAX_ATTRIBUTES)
                return reg_fail(st, REG_ERR_SYNTAX,
                                "too many attributes (at most %d on one element, %d in all)",
                                MAX_ELEMENT_ATTRIBUTES, MAX_ATTRIBUTES);
            while (p < end && strchr(" \t\r\n", *p))
                p++;
            if (p >= end || *p != '=')
                return REG_OK;
            for (p++; p < end && strchr(" \t\r\n", *p);)
                p++;
            if (p >= end || (*p != '"' && *p != '\''))
                return REG_OK;
            const char *close = memchr(p + 1, *p, (size_t)(end - p - 1));
            if (!close)
                return REG_OK;
            p = close + 1;
        }
        if (p < end && *p == '/')
            continue; /* <empty/> */
        if (++depth > MAX_DEPTH)
            return reg_fail(st, REG_ERR_SYNTAX, "elements are nested deeper than %d", MAX_DEPTH);
    }
    return REG_OK;
}

/* A UTF-16 document (RFC 5730 §6 lets a client send one) is checked on a
 * one-byte view of it: each code unit below 0x80 as itself, every other
 * one as 'x' — the markup the scan counts is all ASCII. */
static reg_err precheck_any(const char *xml, size_t len, reg_status *st)
{
    const unsigned char *b = (const unsigned char *)xml;
    int low = -1; /* the byte of a code unit that holds ASCII: 0 (LE) or 1 (BE) */
    if (len >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == '<' && b[1] == 0)))
        low = 0;
    else if (len >= 2 && ((b[0] == 0xfe && b[1] == 0xff) || (b[0] == 0 && b[1] == '<')))
        low = 1;
    if (low < 0)
        return precheck(xml, len, st);
    size_t n = len / 2;
    char *narrow = malloc(n ? n : 1);
    if (!narrow)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        unsigned char lo = b[2 * i + (size_t)low], hi = b[2 * i + 1 - (size_t)low];
        narrow[i] = hi == 0 && lo < 0x80 ? (char)lo : 'x';
    }
    reg_err e = precheck(narrow, n, st);
    free(narrow);
    return e;
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
    if (precheck_any(xml, len, st))
        return NULL;
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
