/* The EPP decoder (request.h): frame → hardened parse → extensions sorted
 * out → schema check → typed request. The one place that decides which
 * extension may ride on which command (ext_rules below). */
#include <ctype.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contrib/strbuf.h"
#include "contrib/utf8.h"
#include "decode_internal.h"

static const char *const cmd_names[EPP_CMD__COUNT] = {
    [EPP_CMD_HELLO] = "hello",     [EPP_CMD_LOGIN] = "login",   [EPP_CMD_LOGOUT] = "logout",
    [EPP_CMD_POLL] = "poll",       [EPP_CMD_CHECK] = "check",   [EPP_CMD_INFO] = "info",
    [EPP_CMD_CREATE] = "create",   [EPP_CMD_UPDATE] = "update", [EPP_CMD_DELETE] = "delete",
    [EPP_CMD_RENEW] = "renew",     [EPP_CMD_TRANSFER] = "transfer",
};

/* Object families: their namespace, name and decoder. */
static const struct {
    epp_obj_kind kind;
    epp_svc svc;
    const char *name;
    reg_err (*decode)(struct dctx *d);
} objects[] = {
    {EPP_OBJ_DOMAIN, EPP_SVC_DOMAIN, "domain", decode_domain},
    {EPP_OBJ_CONTACT, EPP_SVC_CONTACT, "contact", decode_contact},
    {EPP_OBJ_HOST, EPP_SVC_HOST, "host", decode_host},
    {EPP_OBJ_ACCOUNT, EPP_SVC_ACCOUNT, "account", decode_account},
};
#define NOBJECTS (sizeof objects / sizeof objects[0])

#define XFER_REQUEST_ONLY (1u << EPP_XFER_REQUEST)
#define XFER_ANY 0u

/* Which extension element may ride on which command (RFC 5910, 3915,
 * 8748 and registryd's extensions; docs/epp-extensions.md). Anything else
 * inside <extension> is refused with 2103 before the command runs. */
static const struct ext_rule {
    epp_obj_kind obj;
    epp_cmd_kind kind;
    epp_svc svc;
    const char *element;
    unsigned xfer_ops; /* transfer: the ops it goes with (0: all) */
} ext_rules[] = {
    {EPP_OBJ_DOMAIN, EPP_CMD_CHECK, EPP_SVC_FEE, "check", XFER_ANY},
    {EPP_OBJ_DOMAIN, EPP_CMD_CREATE, EPP_SVC_SECDNS, "create", XFER_ANY},
    {EPP_OBJ_DOMAIN, EPP_CMD_CREATE, EPP_SVC_REG_DOMAIN, "create", XFER_ANY},
    {EPP_OBJ_DOMAIN, EPP_CMD_CREATE, EPP_SVC_FEE, "create", XFER_ANY},
    {EPP_OBJ_DOMAIN, EPP_CMD_UPDATE, EPP_SVC_SECDNS, "update", XFER_ANY},
    {EPP_OBJ_DOMAIN, EPP_CMD_UPDATE, EPP_SVC_RGP, "update", XFER_ANY},
    {EPP_OBJ_DOMAIN, EPP_CMD_UPDATE, EPP_SVC_REG_DOMAIN, "update", XFER_ANY},
    {EPP_OBJ_DOMAIN, EPP_CMD_UPDATE, EPP_SVC_FEE, "update", XFER_ANY},
    {EPP_OBJ_DOMAIN, EPP_CMD_DELETE, EPP_SVC_REG_DOMAIN, "delete", XFER_ANY},
    {EPP_OBJ_DOMAIN, EPP_CMD_RENEW, EPP_SVC_FEE, "renew", XFER_ANY},
    {EPP_OBJ_DOMAIN, EPP_CMD_TRANSFER, EPP_SVC_REG_DOMAIN, "transfer", XFER_REQUEST_ONLY},
    {EPP_OBJ_DOMAIN, EPP_CMD_TRANSFER, EPP_SVC_FEE, "transfer", XFER_REQUEST_ONLY},
    {EPP_OBJ_CONTACT, EPP_CMD_CREATE, EPP_SVC_REG_CONTACT, "create", XFER_ANY},
    {EPP_OBJ_CONTACT, EPP_CMD_UPDATE, EPP_SVC_REG_CONTACT, "update", XFER_ANY},
    {EPP_OBJ_HOST, EPP_CMD_CREATE, EPP_SVC_REG_HOST, "create", XFER_ANY},
    {EPP_OBJ_HOST, EPP_CMD_UPDATE, EPP_SVC_REG_HOST, "update", XFER_ANY},
};

/* ---- names ---------------------------------------------------------------------- */

const char *epp_cmd_kind_name(epp_cmd_kind k)
{
    return (unsigned)k < EPP_CMD__COUNT ? cmd_names[k] : "?";
}

const char *epp_obj_kind_name(epp_obj_kind k)
{
    for (size_t i = 0; i < NOBJECTS; i++)
        if (objects[i].kind == k)
            return objects[i].name;
    return "";
}

epp_svc epp_obj_svc(epp_obj_kind k)
{
    for (size_t i = 0; i < NOBJECTS; i++)
        if (objects[i].kind == k)
            return objects[i].svc;
    return EPP_SVC_NONE;
}

const char *epp_request_name(const struct epp_request *r, char *buf, size_t n)
{
    if (r->obj == EPP_OBJ_NONE)
        snprintf(buf, n, "%s", epp_cmd_kind_name(r->kind));
    else
        snprintf(buf, n, "%s:%s", epp_obj_kind_name(r->obj), epp_cmd_kind_name(r->kind));
    return buf;
}

int epp_period_months(struct epp_period p)
{
    return p.months ? p.value : p.value * 12;
}

/* ---- shared pieces (decode_internal.h) ------------------------------------------- */

xmlNodePtr dctx_ext(const struct dctx *d, const char *ns, const char *name)
{
    return epp_child(d->ext, ns, name);
}

reg_err dctx_nomem(const struct dctx *d)
{
    return reg_fail(d->st, REG_ERR_LIMIT, "the command is too large to decode");
}

reg_err decode_names(struct dctx *d, xmlNodePtr parent, const char *ns, const char *name,
                     size_t max, const char *what, struct epp_names *out)
{
    size_t n = epp_count(parent, ns, name);
    if (n > max)
        return reg_fail(d->st, REG_ERR_POLICY, "at most %zu %s", max, what);
    out->items = arena_calloc(d->a, n ? n : 1, sizeof *out->items);
    out->n = 0;
    for (xmlNodePtr x = epp_child(parent, ns, name); x && out->items;
         x = epp_next_sibling(x, ns, name))
        out->items[out->n++] = xa_text(d->a, x);
    return arena_failed(d->a) ? dctx_nomem(d) : REG_OK;
}

void decode_authinfo(struct dctx *d, xmlNodePtr parent, const char *ns, struct epp_authinfo *out)
{
    memset(out, 0, sizeof *out);
    xmlNodePtr ai = epp_child(parent, ns, "authInfo");
    if (!ai)
        return;
    out->given = true;
    xmlNodePtr pw = epp_child(ai, ns, "pw");
    if (pw) {
        out->pw = xa_text(d->a, pw);
        out->roid = xa_attr(d->a, pw, "roid");
    } else if (epp_child(ai, ns, "null")) {
        out->null = true;
    } else {
        out->ext = true;
    }
}

void decode_period(struct dctx *d, xmlNodePtr parent, const char *ns, struct epp_period *out)
{
    memset(out, 0, sizeof *out);
    xmlNodePtr p = epp_child(parent, ns, "period");
    if (!p)
        return;
    char *v = xa_text(d->a, p), *unit = xa_attr(d->a, p, "unit");
    out->value = v ? atoi(v) : 0; /* the schema allows 1..99 */
    out->months = unit && !strcmp(unit, "m");
}

reg_err decode_statuses(struct dctx *d, xmlNodePtr parent, const char *ns, struct epp_status **out,
                        size_t *n)
{
    size_t count = epp_count(parent, ns, "status");
    *n = 0;
    *out = arena_calloc(d->a, count ? count : 1, sizeof **out);
    for (xmlNodePtr x = epp_child(parent, ns, "status"); x && *out;
         x = epp_next_sibling(x, ns, "status")) {
        struct epp_status *s = &(*out)[(*n)++];
        s->s = xa_attr(d->a, x, "s");
        s->text = xa_text(d->a, x);
        if (s->text && !*s->text)
            s->text = NULL;
    }
    return arena_failed(d->a) ? dctx_nomem(d) : REG_OK;
}

reg_err decode_xfer_op(struct dctx *d, epp_xfer_op *out)
{
    static const char *const ops[] = {[EPP_XFER_REQUEST] = "request", [EPP_XFER_QUERY] = "query",
                                      [EPP_XFER_APPROVE] = "approve", [EPP_XFER_REJECT] = "reject",
                                      [EPP_XFER_CANCEL] = "cancel"};
    char *op = xa_attr(d->a, d->cmd, "op");
    for (size_t i = 0; op && i < sizeof ops / sizeof ops[0]; i++)
        if (!strcmp(op, ops[i])) {
            *out = (epp_xfer_op)i;
            return REG_OK;
        }
    return reg_fail(d->st, REG_ERR_SYNTAX, "transfer op=\"%s\" is not one RFC 5730 defines",
                    op ? op : "");
}

bool decode_address(struct dctx *d, xmlNodePtr parent, const char *ns, char *street[EPP_STREETS],
                    char **city, char **sp, char **pc, char **cc)
{
    int i = 0;
    for (xmlNodePtr s = epp_child(parent, ns, "street"); s && i < EPP_STREETS;
         s = epp_next_sibling(s, ns, "street"))
        street[i++] = xa_text(d->a, s);
    *city = xa_child_text(d->a, parent, ns, "city");
    *sp = xa_child_text(d->a, parent, ns, "sp");
    *pc = xa_child_text(d->a, parent, ns, "pc");
    *cc = xa_child_text(d->a, parent, ns, "cc");
    return i > 0;
}

void decode_phone(struct dctx *d, xmlNodePtr parent, const char *ns, const char *name,
                  struct epp_phone *out)
{
    xmlNodePtr n = epp_child(parent, ns, name);
    if (!n)
        return;
    out->given = true;
    out->number = xa_text(d->a, n);
    out->x = xa_attr(d->a, n, "x");
}

/* ---- the clTRID ------------------------------------------------------------------- */

/* trIDStringType: 3 to 64 characters; anything else cannot be echoed. */
static void set_cltrid(struct epp_request *r, const char *s, size_t n)
{
    r->cltrid[0] = '\0';
    if (n > EPP_CLTRID_MAX)
        return;
    memcpy(r->cltrid, s, n);
    r->cltrid[n] = '\0';
    size_t chars = utf8_length(r->cltrid);
    char check[EPP_CLTRID_MAX + 1];
    memcpy(check, r->cltrid, n + 1);
    utf8_sanitize(check);
    if (chars < 3 || chars > 64 || strcmp(check, r->cltrid))
        r->cltrid[0] = '\0';
}

/* A frame refused before parsing (a DTD, not well-formed) still gets its
 * clTRID back when one can be read (RFC 5730 §2.6): the text between the
 * first <clTRID> (with any prefix) and the next '<', if it is plain text. */
static void scan_cltrid(struct epp_request *r, const char *xml, size_t len)
{
    const char *end = xml + len;
    for (const char *p = xml; (p = memmem(p, (size_t)(end - p), "clTRID>", 7)); p += 7) {
        const char *open = p;
        while (open > xml && open[-1] != '<' && open[-1] != '/' && !isspace((unsigned char)open[-1]) &&
               open[-1] != '>')
            open--;
        if (open == xml || open[-1] != '<')
            continue; /* a closing tag, or text */
        const char *text = p + 7, *stop = memchr(text, '<', (size_t)(end - text));
        if (!stop)
            return;
        while (text < stop && isspace((unsigned char)*text))
            text++;
        const char *tail = stop;
        while (tail > text && isspace((unsigned char)tail[-1]))
            tail--;
        if (memchr(text, '&', (size_t)(tail - text)))
            return;
        for (const char *c = text; c < tail; c++)
            if ((unsigned char)*c < 0x20)
                return;
        set_cltrid(r, text, (size_t)(tail - text));
        return;
    }
}

/* ---- redaction for the audit log ----------------------------------------------------- */

/* The names of what the log never keeps: the text of <pw> and <newPW>,
 * and everything inside <authInfo> (any namespace). The frame's own bytes
 * are searched for the same names (as_received below), so the two cannot
 * drift apart. */
#define SECRET_PW "pw"
#define SECRET_NEWPW "newPW"
#define SECRET_AUTHINFO "authInfo"

static bool in_authinfo(xmlNodePtr n)
{
    return n->parent && n->parent->type == XML_ELEMENT_NODE &&
           !strcmp((const char *)n->parent->name, SECRET_AUTHINFO);
}

static bool is_secret(xmlNodePtr n)
{
    const char *name = (const char *)n->name;
    return !strcmp(name, SECRET_PW) || !strcmp(name, SECRET_NEWPW) || in_authinfo(n);
}

static void redact(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) {
            /* a password typed straight into authInfo (refused, but
             * logged), or in a comment or CDATA beside <pw> */
            if (in_authinfo(n) && !xmlIsBlankNode(n))
                xmlNodeSetContent(n, (const xmlChar *)"[redacted]");
            continue;
        }
        if (is_secret(n) && n->children)
            xmlNodeSetContent(n, (const xmlChar *)"[redacted]");
        else
            redact(n->children);
    }
}

/* Would redact() change anything under n? The same walk, reading only. */
static bool holds_secret(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) {
            if (in_authinfo(n) && !xmlIsBlankNode(n))
                return true;
            continue;
        }
        if (is_secret(n) && n->children)
            return true;
        if (holds_secret(n->children))
            return true;
    }
    return false;
}

/* The frame as received is the audit copy when the redacted copy could
 * differ from it only in layout (issue 18: copying the tree and writing it
 * out again was 4 % of a domain:check): no secret anywhere in the tree
 * (what redact() would change) and, belt and braces, none of the secret
 * elements' names anywhere in the bytes (a name hidden from the tree, in
 * a comment, a processing instruction, cannot hold a secret the tree
 * misses then); UTF-8 as declared, valid, no NUL. */
static bool as_received(xmlDocPtr doc, const char *frame, size_t len)
{
    if (doc->encoding && strcasecmp((const char *)doc->encoding, "UTF-8"))
        return false;
    if (memmem(frame, len, SECRET_PW, strlen(SECRET_PW)) ||
        memmem(frame, len, SECRET_NEWPW, strlen(SECRET_NEWPW)) ||
        memmem(frame, len, SECRET_AUTHINFO, strlen(SECRET_AUTHINFO)))
        return false;
    return utf8_valid(frame, len) && !holds_secret(xmlDocGetRootElement(doc));
}

static char *redacted_copy(xmlDocPtr doc, struct arena *a)
{
    xmlDocPtr copy = xmlCopyDoc(doc, 1);
    if (!copy)
        return NULL;
    redact(xmlDocGetRootElement(copy));
    xmlChar *out = NULL;
    int len = 0;
    xmlDocDumpMemoryEnc(copy, &out, &len, "UTF-8");
    xmlFreeDoc(copy);
    char *s = out ? arena_strndup(a, (const char *)out, (size_t)len) : NULL;
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

/* ---- the envelope ------------------------------------------------------------------- */

static epp_cmd_kind kind_of(const char *name)
{
    for (int k = EPP_CMD_LOGIN; k < EPP_CMD__COUNT; k++)
        if (!strcmp(cmd_names[k], name))
            return (epp_cmd_kind)k;
    return EPP_CMD__COUNT;
}

/* RFC 5730 §2.9.1.1: a login for another protocol version is 2100, not a
 * schema error (our schema fixes <version> to 1.0). */
static bool unsupported_version(struct dctx *d)
{
    xmlNodePtr version = epp_child(epp_child(d->cmd, EPP_NS, "options"), EPP_NS, "version");
    char *v = d->r->kind == EPP_CMD_LOGIN ? xa_token(d->a, version) : NULL;
    if (!v || !strcmp(v, "1.0"))
        return false;
    reg_fail(d->st, REG_ERR_VERSION, "EPP version %.16s is not supported; use 1.0", v);
    return true;
}

static void bad_element(struct dctx *d, xmlNodePtr e)
{
    d->r->bad_ns = arena_strdup(d->a, epp_ns_of(e));
    d->r->bad_name = arena_strdup(d->a, (const char *)e->name);
}

/* RFC 5730 §3 (2103), RFC 9038: extension elements of namespaces we do
 * not implement are taken out of the tree before the schema check (the
 * envelope's wildcard is strict, and we have no schema for them); the
 * first one is remembered. An element in no namespace or in EPP's own is
 * no extension at all: the wildcard (##other) refuses it, 2001. */
static xmlNodePtr unplug_unknown_extensions(xmlNodePtr ext)
{
    xmlNodePtr first = NULL;
    for (xmlNodePtr e = epp_child(ext, NULL, NULL), next; e; e = next) {
        next = epp_next_sibling(e, NULL, NULL);
        const char *ns = epp_ns_of(e);
        if (!*ns || !strcmp(ns, EPP_NS) || epp_svc_of(ns) != EPP_SVC_NONE)
            continue;
        xmlUnlinkNode(e);
        if (!first)
            first = e;
        else
            xmlFreeNode(e);
    }
    return first;
}

static const struct ext_rule *ext_rule_for(const struct epp_request *r, xmlNodePtr e,
                                          epp_xfer_op op)
{
    epp_svc svc = epp_svc_of(epp_ns_of(e));
    for (size_t i = 0; i < sizeof ext_rules / sizeof ext_rules[0]; i++) {
        const struct ext_rule *x = &ext_rules[i];
        if (x->obj == r->obj && x->kind == r->kind && x->svc == svc &&
            !strcmp(x->element, (const char *)e->name) &&
            (!x->xfer_ops || r->kind != EPP_CMD_TRANSFER || (x->xfer_ops & (1u << op))))
            return x;
    }
    return NULL;
}

/* Every element inside <extension> must be one the command takes, once. */
static reg_err check_extensions(struct dctx *d)
{
    epp_xfer_op op = EPP_XFER_QUERY;
    if (d->r->kind == EPP_CMD_TRANSFER && decode_xfer_op(d, &op))
        return d->st->code;
    epp_svcs seen = 0;
    for (xmlNodePtr e = epp_child(d->ext, NULL, NULL); e; e = epp_next_sibling(e, NULL, NULL)) {
        char name[48];
        epp_request_name(d->r, name, sizeof name);
        const struct ext_rule *x = ext_rule_for(d->r, e, op);
        if (!x) {
            bad_element(d, e);
            return reg_fail(d->st, REG_ERR_UNIMPLEMENTED_EXTENSION,
                            "extension <%s xmlns=\"%s\"> is not used with %s%s%s",
                            (const char *)e->name, epp_ns_of(e), name,
                            d->r->kind == EPP_CMD_TRANSFER ? " op=" : "",
                            d->r->kind == EPP_CMD_TRANSFER ? (op == EPP_XFER_REQUEST ? "request"
                                                             : "query, approve, reject or cancel")
                                                           : "");
        }
        if (seen & EPP_SVC_BIT(x->svc))
            return reg_fail(d->st, REG_ERR_SYNTAX, "extension <%s xmlns=\"%s\"> is given twice",
                            (const char *)e->name, epp_ns_of(e));
        seen |= EPP_SVC_BIT(x->svc);
    }
    d->r->svcs |= seen;
    return REG_OK;
}

/* ---- session commands --------------------------------------------------------------- */

static reg_err decode_login(struct dctx *d)
{
    struct epp_login *l = &d->r->u.login;
    xmlNodePtr c = d->cmd;
    l->clid = xa_token(d->a, epp_child(c, EPP_NS, "clID"));
    l->pw = xa_text(d->a, epp_child(c, EPP_NS, "pw"));
    l->newpw = xa_text(d->a, epp_child(c, EPP_NS, "newPW"));
    xmlNodePtr opts = epp_child(c, EPP_NS, "options");
    l->version = xa_token(d->a, epp_child(opts, EPP_NS, "version"));
    l->lang = xa_token(d->a, epp_child(opts, EPP_NS, "lang"));
    xmlNodePtr svcs = epp_child(c, EPP_NS, "svcs");
    for (xmlNodePtr u = epp_child(svcs, EPP_NS, "objURI"); u;
         u = epp_next_sibling(u, EPP_NS, "objURI")) {
        char *uri = xa_token(d->a, u);
        epp_svc s = epp_svc_of(uri);
        if (s != EPP_SVC_NONE && s < EPP_SVC_OBJECTS)
            l->svcs |= EPP_SVC_BIT(s);
        else if (!l->unknown_obj)
            l->unknown_obj = uri;
    }
    xmlNodePtr ext = epp_child(svcs, EPP_NS, "svcExtension");
    for (xmlNodePtr u = epp_child(ext, EPP_NS, "extURI"); u;
         u = epp_next_sibling(u, EPP_NS, "extURI")) {
        char *uri = xa_token(d->a, u);
        epp_svc s = epp_svc_of(uri);
        if (s >= EPP_SVC_OBJECTS)
            l->svcs |= EPP_SVC_BIT(s);
        else if (!l->unknown_ext)
            l->unknown_ext = uri;
    }
    return arena_failed(d->a) ? dctx_nomem(d) : REG_OK;
}

static reg_err decode_poll(struct dctx *d)
{
    struct epp_poll *p = &d->r->u.poll;
    char *op = xa_attr(d->a, d->cmd, "op");
    p->msgid = xa_attr(d->a, d->cmd, "msgID");
    p->ack = op && !strcmp(op, "ack");
    if (!p->msgid)
        p->msgid = "";
    if (strlen(p->msgid) >= 32)
        return reg_fail(d->st, REG_ERR_INVALID, "msgID is too long; message ids are numbers");
    if (p->ack && !p->msgid[0])
        return reg_fail(d->st, REG_ERR_MISSING, "poll op=\"ack\" needs a msgID");
    return REG_OK;
}

/* The object of an object command: its family, or 2307. */
static reg_err find_object(struct dctx *d, reg_err (**decode)(struct dctx *))
{
    d->obj = epp_child(d->cmd, NULL, NULL);
    if (!d->obj)
        return reg_fail(d->st, REG_ERR_SYNTAX, "<%s> names no object", cmd_names[d->r->kind]);
    for (size_t i = 0; i < NOBJECTS; i++)
        if (epp_in_ns(d->obj, epp_svc_uri(objects[i].svc))) {
            d->r->obj = objects[i].kind;
            d->r->svcs |= EPP_SVC_BIT(objects[i].svc);
            *decode = objects[i].decode;
            return REG_OK;
        }
    if (!*epp_ns_of(d->obj) || epp_in_ns(d->obj, EPP_NS))
        return REG_OK; /* no object namespace at all: the schema check says what is wrong */
    bad_element(d, d->obj);
    return reg_fail(d->st, REG_ERR_UNIMPLEMENTED_OBJECT, "object service %s is not served here",
                    epp_ns_of(d->obj));
}

/* ---- epp_decode ------------------------------------------------------------------------ */

/* Between the two phases (request.h): the tree and what the first phase
 * found in it. */
struct epp_decoder {
    xmlDocPtr doc;
    struct dctx d;
    xmlNodePtr top;
    xmlNodePtr unknown; /* the first extension of a namespace we do not implement */
    reg_err (*decode)(struct dctx *);
    const char *frame; /* as received: the audit copy when it holds no secret */
    size_t frame_len;
};

/* The envelope: clTRID, the audit copy, the command, its object, the
 * extensions we do not implement taken out. */
static reg_err read_envelope(struct epp_decoder *x)
{
    struct dctx *d = &x->d;
    struct epp_request *r = d->r;
    x->top = epp_child(xmlDocGetRootElement(x->doc), EPP_NS, NULL);
    xmlNodePtr cltrid = epp_child(x->top, EPP_NS, "clTRID");
    if (x->top && !strcmp((const char *)x->top->name, "command") && cltrid) {
        char *t = xa_token(d->a, cltrid);
        if (t)
            set_cltrid(r, t, strlen(t));
    }
    r->redacted = as_received(x->doc, x->frame, x->frame_len)
                      ? arena_strndup(d->a, x->frame, x->frame_len)
                      : redacted_copy(x->doc, d->a);
    if (x->top && !strcmp((const char *)x->top->name, "hello"))
        r->kind = EPP_CMD_HELLO;
    if (!x->top || strcmp((const char *)x->top->name, "command"))
        return REG_OK;
    d->cmd = epp_child(x->top, EPP_NS, NULL);
    r->kind = d->cmd ? kind_of((const char *)d->cmd->name) : EPP_CMD__COUNT;
    d->ext = epp_child(x->top, EPP_NS, "extension");
    bool object_cmd = r->kind >= EPP_CMD_CHECK && r->kind < EPP_CMD__COUNT;
    /* an object we do not serve has no schema here: 2307 at once */
    if (object_cmd && find_object(d, &x->decode))
        return d->st->code;
    x->unknown = unplug_unknown_extensions(d->ext);
    if (x->unknown && !epp_child(d->ext, NULL, NULL)) { /* nothing left: drop it */
        /* a <command> whose first element is <extension> names it as its
         * command too (a schema error, answered after this): not kept
         * pointing at the freed node (found by fuzz_epp_parse) */
        if (d->cmd == d->ext)
            d->cmd = NULL;
        xmlUnlinkNode(d->ext);
        xmlFreeNode(d->ext);
        d->ext = NULL;
    }
    return REG_OK;
}

/* The schema check and the typed request. */
static reg_err decode_request(struct epp_decoder *x)
{
    struct dctx *d = &x->d;
    struct epp_request *r = d->r;
    reg_err e = epp_schema_validate(x->doc, d->st);
    if (e)
        return unsupported_version(d) ? REG_ERR_VERSION : e;
    if (r->kind == EPP_CMD__COUNT)
        return reg_fail(d->st, REG_ERR_SYNTAX, "<%s> is not a command a client may send",
                        x->top ? (const char *)x->top->name : "epp");
    if (x->unknown) {
        bad_element(d, x->unknown);
        return reg_fail(d->st, REG_ERR_UNIMPLEMENTED_EXTENSION,
                        "extension %s is not implemented by this server", epp_ns_of(x->unknown));
    }
    if (r->kind != EPP_CMD_HELLO && check_extensions(d))
        return d->st->code;
    switch (r->kind) {
    case EPP_CMD_HELLO:
    case EPP_CMD_LOGOUT:
        return REG_OK;
    case EPP_CMD_LOGIN:
        return decode_login(d);
    case EPP_CMD_POLL:
        return decode_poll(d);
    default:
        if (!x->decode)
            return reg_fail(d->st, REG_ERR_SYNTAX, "<%s> names no object", cmd_names[r->kind]);
        e = x->decode(d);
        return !e && arena_failed(d->a) ? dctx_nomem(d) : e;
    }
}

void epp_decoder_free(struct epp_decoder *x)
{
    if (!x)
        return;
    xmlFreeNode(x->unknown);
    xmlFreeDoc(x->doc);
    x->unknown = NULL;
    x->doc = NULL;
}

reg_err epp_decode_read(const char *frame, size_t len, struct arena *a, struct epp_request *out,
                        struct epp_decoder **decoder, reg_status *st)
{
    memset(out, 0, sizeof *out);
    out->kind = EPP_CMD__COUNT;
    *decoder = NULL;
    xmlDocPtr doc = epp_xml_read(frame, len, st);
    if (!doc) {
        scan_cltrid(out, frame, len);
        return st->code;
    }
    struct epp_decoder *x = arena_alloc(a, sizeof *x);
    if (!x) {
        xmlFreeDoc(doc);
        return reg_fail(st, REG_ERR_LIMIT, "the command is too large to decode");
    }
    *x = (struct epp_decoder){.doc = doc, .d = {.a = a, .r = out, .st = st}, .frame = frame,
                              .frame_len = len};
    reg_err e = read_envelope(x);
    if (e) {
        epp_decoder_free(x);
        return e;
    }
    *decoder = x;
    return REG_OK;
}

reg_err epp_decode_finish(struct epp_decoder *x, reg_status *st)
{
    x->d.st = st;
    reg_err e = decode_request(x);
    if (!e && arena_failed(x->d.a))
        e = dctx_nomem(&x->d);
    epp_decoder_free(x);
    return e;
}

reg_err epp_decode(const char *frame, size_t len, struct arena *a, struct epp_request *out,
                   reg_status *st)
{
    struct epp_decoder *x;
    reg_err e = epp_decode_read(frame, len, a, out, &x, st);
    return e ? e : epp_decode_finish(x, st);
}
