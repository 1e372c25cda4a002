/* Schema validation against the XSDs in schema/ (embedded at build time).
 * libxml2's external-entity loader is replaced for the whole process: it
 * serves only the embedded schema files, so no document or schema can make
 * the process read a file or the network (XXE, DESIGN §11). */
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "contrib/embedded.h"
#include "contrib/utf8.h"
#include "request.h"
#include "xml.h"

extern const struct embedded_file epp_schema_files[];
extern const size_t epp_schema_files_count;

/* Two sets (request.h, epp_decode_long_ids): all.xsd with the official
 * IETF schemas, and all-long-ids.xsd with eppcom and domain allowing the
 * 100-character ids of [contact] id_prefix = registrar. One is chosen at
 * start and compiled once. */
static bool long_ids;
static pthread_once_t schema_once = PTHREAD_ONCE_INIT;
static xmlSchemaPtr schema;
static char schema_error[256];

void epp_decode_long_ids(bool on) { long_ids = on; }

static const struct embedded_file *embedded(const char *url)
{
    if (!url)
        return NULL;
    const char *base = strrchr(url, '/');
    base = base ? base + 1 : url;
    for (size_t i = 0; i < epp_schema_files_count; i++)
        if (!strcmp(epp_schema_files[i].name, base))
            return &epp_schema_files[i];
    return NULL;
}

static xmlParserInputPtr embedded_only_loader(const char *url, const char *id,
                                              xmlParserCtxtPtr ctxt)
{
    (void)id;
    const struct embedded_file *f = embedded(url);
    if (!f)
        return NULL; /* refuse: nothing outside the embedded schemas is read */
    xmlParserInputPtr in = xmlNewStringInputStream(ctxt, (const xmlChar *)f->data);
    if (in)
        in->filename = (const char *)xmlStrdup((const xmlChar *)f->name);
    return in;
}

/* The first error (not warning: all-long-ids.xsd warns that the other
 * schemas' imports of eppcom are skipped). */
static void collect_error(void *arg, xmlErrorPtr err)
{
    char *buf = arg;
    if (buf[0] || !err || !err->message || err->level == XML_ERR_WARNING)
        return;
    snprintf(buf, 256, "%.*s", (int)strcspn(err->message, "\r\n"), err->message);
    utf8_sanitize(buf);
}

static void compile_schema(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(embedded_only_loader);
    const char *top = long_ids ? "all-long-ids.xsd" : "all.xsd";
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(top);
    xmlSchemaSetParserStructuredErrors(pc, collect_error, schema_error);
    schema = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    if (!schema && !schema_error[0])
        snprintf(schema_error, sizeof schema_error, "cannot compile schema/%s", top);
}

reg_err epp_schema_init(reg_status *st)
{
    pthread_once(&schema_once, compile_schema);
    if (!schema)
        return reg_fail(st, REG_ERR_INTERNAL, "EPP schemas: %s", schema_error);
    return REG_OK;
}

/* One validation context per thread: libxml2 contexts are not shareable,
 * the compiled schema is. */
static _Thread_local xmlSchemaValidCtxtPtr valid_ctxt;
static _Thread_local char valid_error[256];

reg_err epp_schema_validate(xmlDocPtr doc, reg_status *st)
{
    if (epp_schema_init(st))
        return st->code;
    if (!valid_ctxt) {
        valid_ctxt = xmlSchemaNewValidCtxt(schema);
        if (!valid_ctxt)
            return reg_fail(st, REG_ERR_NOMEM, "cannot create a schema validation context");
        xmlSchemaSetValidStructuredErrors(valid_ctxt, collect_error, valid_error);
    }
    valid_error[0] = '\0';
    int rc = xmlSchemaValidateDoc(valid_ctxt, doc);
    if (rc != 0)
        return reg_fail(st, REG_ERR_SYNTAX, "%s",
                        valid_error[0] ? valid_error : "document does not match the EPP schemas");
    return REG_OK;
}

void epp_schema_thread_cleanup(void)
{
    if (valid_ctxt) {
        xmlSchemaFreeValidCtxt(valid_ctxt);
        valid_ctxt = NULL;
    }
}
