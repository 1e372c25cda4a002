/* EPP command parsing (RFC 5730 §2.9): hardened libxml2 parse, schema
 * validation, then decoding of the command envelope. */
#include <ctype.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "contrib/strbuf.h"
#include "contrib/utf8.h"
#include "ns.h"

static const char *const cmd_names[EPP_CMD__COUNT] = {
    [EPP_CMD_HELLO] = "hello",     [EPP_CMD_LOGIN] = "login",   [EPP_CMD_LOGOUT] = "logout",
    [EPP_CMD_POLL] = "poll",       [EPP_CMD_CHECK] = "check",   [EPP_CMD_INFO] = "info",
    [EPP_CMD_CREATE] = "create",   [EPP_CMD_UPDATE] = "update", [EPP_CMD_DELETE] = "delete",
    [EPP_CMD_RENEW] = "renew",     [EPP_CMD_TRANSFER] = "transfer",
};

static const struct {
    epp_obj_kind kind;
    const char *ns;
    const char *name;
} objects[] = {
    {EPP_OBJ_DOMAIN, EPP_NS_DOMAIN, "domain"},
    {EPP_OBJ_CONTACT, EPP_NS_CONTACT, "contact"},
    {EPP_OBJ_HOST, EPP_NS_HOST, "host"},
    {EPP_OBJ_ACCOUNT, EPP_NS_ACCOUNT, "account"},
};

const char *epp_cmd_kind_name(epp_cmd_kind k)
{
    return (unsigned)k < EPP_CMD__COUNT ? cmd_names[k] : "?";
}

const char *epp_obj_kind_name(epp_obj_kind k)
{
    for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++)
        if (objects[i].kind == k)
            return objects[i].name;
    return "";
}

const char *epp_command_name(const struct epp_command *c, char *buf, size_t n)
{
    if (c->obj == EPP_OBJ_NONE)
        snprintf(buf, n, "%s", epp_cmd_kind_name(c->kind));
    else
        snprintf(buf, n, "%s:%s", epp_obj_kind_name(c->obj), epp_cmd_kind_name(c->kind));
    return buf;
}

static bool in_ns(xmlNodePtr n, const char *ns)
{
    return !ns || (n->ns && n->ns->href && !strcmp((const char *)n->ns->href, ns));
}

xmlNodePtr epp_next_sibling(xmlNodePtr node, const char *ns, const char *name)
{
    for (xmlNodePtr n = node ? node->next : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && (!name || !strcmp((const char *)n->name, name)) &&
            in_ns(n, ns))
            return n;
    return NULL;
}

xmlNodePtr epp_child(xmlNodePtr parent, const char *ns, const char *name)
{
    for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && (!name || !strcmp((const char *)n->name, name)) &&
            in_ns(n, ns))
            return n;
    return NULL;
}

char *epp_text(xmlNodePtr node)
{
    xmlChar *raw = node ? xmlNodeGetContent(node) : NULL;
    if (!raw)
        return strdup("");
    const char *s = (const char *)raw;
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *out = strndup(s, n);
    xmlFree(raw);
    return out;
}

char *epp_child_text(xmlNodePtr parent, const char *ns, const char *name)
{
    xmlNodePtr n = epp_child(parent, ns, name);
    return n ? epp_text(n) : NULL;
}

char *epp_attr(xmlNodePtr node, const char *name)
{
    xmlChar *v = node ? xmlGetProp(node, (const xmlChar *)name) : NULL;
    char *s = v ? strdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* The element's text with whitespace collapsed as xs:token does. */
static void copy_text(xmlNodePtr node, char *dst, size_t n)
{
    char *t = epp_text(node);
    size_t o = 0;
    bool space = false;
    for (const char *p = t ? t : ""; *p && o + 1 < n; p++) {
        if (isspace((unsigned char)*p)) {
            space = true;
            continue;
        }
        if (space && o + 2 < n)
            dst[o++] = ' ';
        space = false;
        dst[o++] = *p;
    }
    dst[o] = '\0';
    free(t);
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

static epp_cmd_kind kind_of(const char *name)
{
    for (int k = EPP_CMD_LOGIN; k < EPP_CMD__COUNT; k++)
        if (!strcmp(cmd_names[k], name))
            return (epp_cmd_kind)k;
    return EPP_CMD__COUNT;
}

static void decode_login(xmlNodePtr login, struct epp_login *l)
{
    copy_text(epp_child(login, EPP_NS, "clID"), l->clid, sizeof l->clid);
    copy_text(epp_child(login, EPP_NS, "pw"), l->pw, sizeof l->pw);
    xmlNodePtr newpw = epp_child(login, EPP_NS, "newPW");
    l->has_newpw = newpw != NULL;
    if (newpw)
        copy_text(newpw, l->newpw, sizeof l->newpw);
    xmlNodePtr opts = epp_child(login, EPP_NS, "options");
    copy_text(epp_child(opts, EPP_NS, "version"), l->version, sizeof l->version);
    copy_text(epp_child(opts, EPP_NS, "lang"), l->lang, sizeof l->lang);
    xmlNodePtr svcs = epp_child(login, EPP_NS, "svcs");
    for (xmlNodePtr u = epp_child(svcs, EPP_NS, "objURI"); u && l->n_obj < EPP_MAX_URIS;
         u = epp_next_sibling(u, EPP_NS, "objURI"))
        if (u->children && u->children->content)
            l->obj_uris[l->n_obj++] = (const char *)u->children->content;
    xmlNodePtr ext = epp_child(svcs, EPP_NS, "svcExtension");
    for (xmlNodePtr u = epp_child(ext, EPP_NS, "extURI"); u && l->n_ext < EPP_MAX_URIS;
         u = epp_next_sibling(u, EPP_NS, "extURI"))
        if (u->children && u->children->content)
            l->ext_uris[l->n_ext++] = (const char *)u->children->content;
}

static reg_err decode_object(struct epp_command *c, reg_status *st)
{
    c->obj_node = epp_child(c->cmd_node, NULL, NULL);
    if (!c->obj_node)
        return reg_fail(st, REG_ERR_SYNTAX, "<%s> names no object", cmd_names[c->kind]);
    for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++)
        if (in_ns(c->obj_node, objects[i].ns))
            c->obj = objects[i].kind;
    if (c->obj == EPP_OBJ_NONE)
        return reg_fail(st, REG_ERR_UNIMPLEMENTED_OBJECT, "object namespace %s is not served",
                        c->obj_node->ns ? (const char *)c->obj_node->ns->href : "(none)");
    return REG_OK;
}

static reg_err decode(struct epp_command *c, reg_status *st)
{
    xmlNodePtr root = xmlDocGetRootElement(c->doc);
    xmlNodePtr top = epp_child(root, EPP_NS, NULL);
    if (!top)
        return reg_fail(st, REG_ERR_SYNTAX, "empty <epp> element");
    if (!strcmp((const char *)top->name, "hello")) {
        c->kind = EPP_CMD_HELLO;
        return REG_OK;
    }
    if (strcmp((const char *)top->name, "command"))
        return reg_fail(st, REG_ERR_SYNTAX, "<%s> is not a command a client may send",
                        (const char *)top->name);
    c->cmd_node = epp_child(top, EPP_NS, NULL);
    c->kind = kind_of((const char *)c->cmd_node->name);
    if (c->kind == EPP_CMD__COUNT)
        return reg_fail(st, REG_ERR_SYNTAX, "unknown command <%s>", (const char *)c->cmd_node->name);
    c->ext_node = epp_child(top, EPP_NS, "extension");
    copy_text(epp_child(top, EPP_NS, "clTRID"), c->cltrid, sizeof c->cltrid);
    switch (c->kind) {
    case EPP_CMD_LOGIN:
        decode_login(c->cmd_node, &c->login);
        return REG_OK;
    case EPP_CMD_LOGOUT:
        return REG_OK;
    case EPP_CMD_POLL: {
        xmlChar *op = xmlGetProp(c->cmd_node, (const xmlChar *)"op");
        xmlChar *id = xmlGetProp(c->cmd_node, (const xmlChar *)"msgID");
        c->poll.ack = op && !strcmp((const char *)op, "ack");
        bool too_long = id && strlen((const char *)id) >= sizeof c->poll.msgid;
        snprintf(c->poll.msgid, sizeof c->poll.msgid, "%s", id ? (const char *)id : "");
        xmlFree(op);
        xmlFree(id);
        if (too_long)
            return reg_fail(st, REG_ERR_INVALID, "msgID is too long; message ids are numbers");
        if (c->poll.ack && !c->poll.msgid[0])
            return reg_fail(st, REG_ERR_MISSING, "poll op=\"ack\" needs a msgID");
        return REG_OK;
    }
    case EPP_CMD_TRANSFER: {
        xmlChar *op = xmlGetProp(c->cmd_node, (const xmlChar *)"op");
        snprintf(c->transfer_op, sizeof c->transfer_op, "%s", op ? (const char *)op : "");
        xmlFree(op);
        return decode_object(c, st);
    }
    default:
        return decode_object(c, st);
    }
}

/* RFC 5730 §2.9.1.1: a login for another protocol version is 2100, not a
 * schema error (our schema fixes <version> to 1.0). */
static bool unsupported_version(xmlNodePtr command, reg_status *st)
{
    xmlNodePtr options = epp_child(epp_child(command, EPP_NS, "login"), EPP_NS, "options");
    xmlNodePtr version = epp_child(options, EPP_NS, "version");
    if (!version)
        return false;
    char v[16];
    copy_text(version, v, sizeof v);
    if (!strcmp(v, "1.0"))
        return false;
    reg_fail(st, REG_ERR_VERSION, "EPP version %s is not supported; use 1.0", v);
    return true;
}

reg_err epp_command_parse(const char *xml, size_t len, struct epp_command *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    out->doc = epp_xml_read(xml, len, st);
    if (!out->doc)
        return st->code;
    /* echo the client's clTRID even when the command is invalid (§2.6) */
    xmlNodePtr top = epp_child(xmlDocGetRootElement(out->doc), EPP_NS, "command");
    xmlNodePtr cltrid = epp_child(top, EPP_NS, "clTRID");
    if (cltrid) {
        copy_text(cltrid, out->cltrid, sizeof out->cltrid);
        size_t chars = utf8_length(out->cltrid);
        if (chars < 3 || chars > 64) /* trIDStringType: echoing it would be invalid */
            out->cltrid[0] = '\0';
    }
    reg_err e = epp_schema_validate(out->doc, st);
    if (e)
        return unsupported_version(top, st) ? REG_ERR_VERSION : e;
    return decode(out, st);
}

void epp_command_free(struct epp_command *c)
{
    if (c->doc)
        xmlFreeDoc(c->doc);
    c->doc = NULL;
}

static bool is_secret(xmlNodePtr n)
{
    const char *name = (const char *)n->name;
    if (!strcmp(name, "pw") || !strcmp(name, "newPW"))
        return true;
    return n->parent && n->parent->type == XML_ELEMENT_NODE &&
           !strcmp((const char *)n->parent->name, "authInfo");
}

static void redact(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_secret(n) && n->children)
            xmlNodeSetContent(n, (const xmlChar *)"[redacted]");
        else
            redact(n->children);
    }
}

char *epp_command_redacted(const struct epp_command *c)
{
    xmlDocPtr copy = xmlCopyDoc(c->doc, 1);
    if (!copy)
        return NULL;
    redact(xmlDocGetRootElement(copy));
    xmlChar *out = NULL;
    int len = 0;
    xmlDocDumpMemoryEnc(copy, &out, &len, "UTF-8");
    xmlFreeDoc(copy);
    char *s = out ? strndup((const char *)out, (size_t)len) : NULL;
    xmlFree(out);
    return s;
}

char *epp_raw_redacted(const char *xml, size_t len)
{
    /* Unparseable input may hold secrets we cannot locate: keep only its
     * size and a prefix up to the first '<pw' or 'authInfo'. */
    size_t keep = len < 512 ? len : 512;
    const char *cut = memmem(xml, keep, "pw", 2);
    const char *cut2 = memmem(xml, keep, "authInfo", 8);
    if (cut && (size_t)(cut - xml) < keep)
        keep = (size_t)(cut - xml);
    if (cut2 && (size_t)(cut2 - xml) < keep)
        keep = (size_t)(cut2 - xml);
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "[unparsed %zu bytes] ", len);
    for (size_t i = 0; i < keep; i++)
        sb_putc(&sb, (xml[i] >= ' ' && xml[i] < 0x7f) || xml[i] == '\n' ? xml[i] : '?');
    return sb_steal(&sb);
}
