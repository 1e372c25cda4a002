#include "writer.h"

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ns.h"
#include "response.h"

struct epp_writer {
    xmlBufferPtr buf;
    xmlTextWriterPtr tw;
    bool failed;
};

#define X(s) ((const xmlChar *)(s))

static void check(epp_writer *w, int rc)
{
    if (rc < 0)
        w->failed = true;
}

static epp_writer *open_doc(void)
{
    epp_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->buf = xmlBufferCreate();
    w->tw = w->buf ? xmlNewTextWriterMemory(w->buf, 0) : NULL;
    if (!w->tw) {
        if (w->buf)
            xmlBufferFree(w->buf);
        free(w);
        return NULL;
    }
    check(w, xmlTextWriterStartDocument(w->tw, NULL, "UTF-8", "no"));
    check(w, xmlTextWriterStartElementNS(w->tw, NULL, X("epp"), X(EPP_NS)));
    return w;
}

epp_writer *epp_writer_new(void)
{
    epp_writer *w = open_doc();
    if (w)
        check(w, xmlTextWriterStartElement(w->tw, X("response")));
    return w;
}

void epp_writer_free(epp_writer *w)
{
    if (!w)
        return;
    xmlFreeTextWriter(w->tw);
    xmlBufferFree(w->buf);
    free(w);
}

void epp_w_msgq(epp_writer *w, int64_t count, const char *id, reg_time qdate, const char *msg)
{
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)count);
    check(w, xmlTextWriterStartElement(w->tw, X("msgQ")));
    check(w, xmlTextWriterWriteAttribute(w->tw, X("count"), X(n)));
    check(w, xmlTextWriterWriteAttribute(w->tw, X("id"), X(id)));
    if (qdate)
        epp_w_elem_time(w, "qDate", qdate);
    if (msg) {
        check(w, xmlTextWriterStartElement(w->tw, X("msg")));
        check(w, xmlTextWriterWriteAttribute(w->tw, X("lang"), X("en")));
        check(w, xmlTextWriterWriteString(w->tw, X(msg)));
        check(w, xmlTextWriterEndElement(w->tw));
    }
    check(w, xmlTextWriterEndElement(w->tw));
}

void epp_w_start(epp_writer *w, const char *qname)
{
    check(w, xmlTextWriterStartElement(w->tw, X(qname)));
}

void epp_w_start_ns(epp_writer *w, const char *prefix, const char *name, const char *ns)
{
    check(w, xmlTextWriterStartElementNS(w->tw, X(prefix), X(name), X(ns)));
}

void epp_w_attr(epp_writer *w, const char *name, const char *value)
{
    check(w, xmlTextWriterWriteAttribute(w->tw, X(name), X(value)));
}

void epp_w_text(epp_writer *w, const char *text)
{
    check(w, xmlTextWriterWriteString(w->tw, X(text)));
}

void epp_w_elem(epp_writer *w, const char *qname, const char *text)
{
    check(w, xmlTextWriterStartElement(w->tw, X(qname)));
    if (text)
        check(w, xmlTextWriterWriteString(w->tw, X(text)));
    check(w, xmlTextWriterEndElement(w->tw));
}

void epp_w_elem_time(epp_writer *w, const char *qname, reg_time t)
{
    char ts[REG_TIME_STRLEN];
    epp_w_elem(w, qname, clock_format(t, ts, sizeof ts));
}

void epp_w_end(epp_writer *w)
{
    check(w, xmlTextWriterEndElement(w->tw));
}

static char *close_doc(epp_writer *w, size_t *len)
{
    check(w, xmlTextWriterEndDocument(w->tw));
    xmlFreeTextWriter(w->tw);
    w->tw = NULL;
    char *out = NULL;
    if (!w->failed) {
        size_t n = (size_t)xmlBufferLength(w->buf);
        out = malloc(n + 1);
        if (out) {
            memcpy(out, xmlBufferContent(w->buf), n);
            out[n] = '\0';
            *len = n;
        }
    }
    xmlBufferFree(w->buf);
    free(w);
    return out;
}

char *epp_w_finish(epp_writer *w, const char *cltrid, const char *svtrid, size_t *len)
{
    check(w, xmlTextWriterStartElement(w->tw, X("trID")));
    if (cltrid && *cltrid)
        epp_w_elem(w, "clTRID", cltrid);
    epp_w_elem(w, "svTRID", svtrid);
    check(w, xmlTextWriterEndElement(w->tw)); /* trID */
    check(w, xmlTextWriterEndElement(w->tw)); /* response */
    return close_doc(w, len);
}

char *epp_greeting(const char *svid, reg_time now, size_t *len)
{
    epp_writer *w = open_doc();
    if (!w)
        return NULL;
    epp_w_start(w, "greeting");
    epp_w_elem(w, "svID", svid);
    epp_w_elem_time(w, "svDate", now);
    epp_w_start(w, "svcMenu");
    epp_w_elem(w, "version", "1.0");
    epp_w_elem(w, "lang", "en");
    for (size_t i = 0; i < epp_object_uri_count; i++)
        epp_w_elem(w, "objURI", epp_object_uris[i]);
    epp_w_start(w, "svcExtension");
    for (size_t i = 0; i < epp_extension_uri_count; i++)
        epp_w_elem(w, "extURI", epp_extension_uris[i]);
    epp_w_end(w); /* svcExtension */
    epp_w_end(w); /* svcMenu */
    /* dcp (RFC 5730 §2.4): access to personal data, purpose of processing,
     * recipients (us and the registrars), retention per business need. */
    epp_w_start(w, "dcp");
    epp_w_start(w, "access");
    epp_w_start(w, "personalAndOther");
    epp_w_end(w);
    epp_w_end(w);
    epp_w_start(w, "statement");
    epp_w_start(w, "purpose");
    epp_w_start(w, "admin");
    epp_w_end(w);
    epp_w_start(w, "prov");
    epp_w_end(w);
    epp_w_end(w);
    epp_w_start(w, "recipient");
    epp_w_start(w, "ours");
    epp_w_end(w);
    epp_w_start(w, "public");
    epp_w_end(w);
    epp_w_end(w);
    epp_w_start(w, "retention");
    epp_w_start(w, "business");
    epp_w_end(w);
    epp_w_end(w);
    epp_w_end(w); /* statement */
    epp_w_end(w); /* dcp */
    epp_w_end(w); /* greeting */
    return close_doc(w, len);
}

/* ---- indented for people ------------------------------------------------------------- */

char *epp_xml_indent(const char *xml, size_t len)
{
    if (len > INT_MAX)
        return NULL;
    /* blank text between elements would keep libxml2 from indenting; no
     * network, no entities, no DTD (as every read of ours) */
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING);
    if (!doc)
        return NULL;
    xmlChar *mem = NULL;
    int n = 0;
    xmlDocDumpFormatMemoryEnc(doc, &mem, &n, "UTF-8", 1);
    xmlFreeDoc(doc);
    char *out = mem && n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (out) {
        memcpy(out, mem, (size_t)n);
        out[n] = '\0';
    }
    xmlFree(mem);
    return out;
}
