/* EPP contact commands (RFC 5733) and the contact extension
 * (https://registryd.org/epp/contact-ext-1.0): XML ↔ registry/contact.c.
 * The documents are schema-valid by now; this file only moves values
 * between the tree and the registry's structs and writes the answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epp/ns.h"
#include "epp/result.h"
#include "epp_contact_data.h"
#include "registry/contact.h"
#include "registry/poll.h"

#define NS EPP_NS_CONTACT
/* What a public <info> shows where the schema needs a value the contact
 * does not disclose (the RDAP/WHOIS convention). */
#define REDACTED "REDACTED FOR PRIVACY"

/* --- reading the command ----------------------------------------------------- */

static xmlNodePtr child(xmlNodePtr n, const char *name) { return epp_child(n, NS, name); }

static char *opt_text(xmlNodePtr parent, const char *name)
{
    return epp_child_text(parent, NS, name);
}

static bool attr_is(xmlNodePtr n, const char *name, const char *value)
{
    char *v = epp_attr(n, name);
    bool is = v && !strcmp(v, value);
    free(v);
    return is;
}

static reg_err parse_postal(xmlNodePtr parent, struct contact_postal out[2], reg_status *st)
{
    for (xmlNodePtr pi = child(parent, "postalInfo"); pi;
         pi = epp_next_sibling(pi, NS, "postalInfo")) {
        int t = attr_is(pi, "type", "loc") ? CONTACT_LOC : CONTACT_INT;
        struct contact_postal *p = &out[t];
        if (p->present)
            return reg_fail(st, REG_ERR_INVALID, "postalInfo type=\"%s\" is given twice",
                            t == CONTACT_LOC ? "loc" : "int");
        p->present = true;
        p->name = opt_text(pi, "name");
        p->org = opt_text(pi, "org");
        xmlNodePtr addr = child(pi, "addr");
        if (addr) {
            p->has_addr = true;
            epp_read_address(addr, NS, p->street, &p->city, &p->sp, &p->pc, &p->cc);
        }
    }
    return REG_OK;
}

static reg_err parse_disclose(xmlNodePtr parent, bool *given, int *flag, unsigned *bits,
                              reg_status *st)
{
    xmlNodePtr n = child(parent, "disclose");
    if (!n)
        return REG_OK;
    *given = true;
    *flag = attr_is(n, "flag", "1") || attr_is(n, "flag", "true");
    *bits = 0;
    for (xmlNodePtr k = epp_child(n, NS, NULL); k; k = epp_next_sibling(k, NS, NULL)) {
        const char *name = (const char *)k->name;
        bool loc = attr_is(k, "type", "loc");
        if (!strcmp(name, "name"))
            *bits |= loc ? CONTACT_DISCLOSE_NAME_LOC : CONTACT_DISCLOSE_NAME_INT;
        else if (!strcmp(name, "org"))
            *bits |= loc ? CONTACT_DISCLOSE_ORG_LOC : CONTACT_DISCLOSE_ORG_INT;
        else if (!strcmp(name, "addr"))
            *bits |= loc ? CONTACT_DISCLOSE_ADDR_LOC : CONTACT_DISCLOSE_ADDR_INT;
        else if (!strcmp(name, "voice"))
            *bits |= CONTACT_DISCLOSE_VOICE;
        else if (!strcmp(name, "fax"))
            *bits |= CONTACT_DISCLOSE_FAX;
        else if (!strcmp(name, "email"))
            *bits |= CONTACT_DISCLOSE_EMAIL;
        else
            return reg_fail(st, REG_ERR_INVALID, "disclose does not know <%s>", name);
    }
    return REG_OK;
}

/* <contact:authInfo><contact:pw>…</contact:pw></contact:authInfo>; *out
 * stays NULL when there is none. */
static reg_err parse_authinfo(xmlNodePtr parent, char **out, reg_status *st)
{
    xmlNodePtr a = child(parent, "authInfo");
    if (!a)
        return REG_OK;
    xmlNodePtr pw = child(a, "pw");
    if (!pw)
        return reg_fail(st, REG_ERR_UNIMPLEMENTED_OPTION,
                        "only <contact:pw> auth info is supported, not <contact:ext>");
    *out = epp_text(pw);
    return REG_OK;
}

/* The contact-ext element `name` (or none) of the command; any other
 * extension is refused (2103) rather than ignored. */
static reg_err find_ext(const struct epp_ctx *c, const char *name, xmlNodePtr *out, reg_status *st)
{
    *out = NULL;
    for (xmlNodePtr e = epp_child(c->cmd.ext_node, NULL, NULL); e;
         e = epp_next_sibling(e, NULL, NULL)) {
        const char *ns = e->ns && e->ns->href ? (const char *)e->ns->href : "";
        if (name && !strcmp(ns, EPP_NS_REG_CONTACT) && !strcmp((const char *)e->name, name) &&
            !*out) {
            *out = e;
            continue;
        }
        char cmd[48];
        return reg_fail(st, REG_ERR_UNIMPLEMENTED_EXTENSION,
                        "extension <%s xmlns=\"%s\"> is not used with %s", (const char *)e->name,
                        ns, epp_command_name(&c->cmd, cmd, sizeof cmd));
    }
    return REG_OK;
}

static void parse_ident(xmlNodePtr ext, char **type, char **value, char **cc, bool *given)
{
    xmlNodePtr n = epp_child(ext, EPP_NS_REG_CONTACT, "ident");
    if (!n)
        return;
    if (given)
        *given = true;
    *type = epp_attr(n, "type");
    *cc = epp_attr(n, "cc");
    *value = epp_text(n);
}

static char *ext_text(xmlNodePtr ext, const char *name, bool *given)
{
    xmlNodePtr n = epp_child(ext, EPP_NS_REG_CONTACT, name);
    if (!n)
        return NULL;
    if (given)
        *given = true;
    return epp_text(n);
}

/* The id the client gave (schema: always present). */
static char *id_of(const struct epp_ctx *c) { return opt_text(c->cmd.obj_node, "id"); }

/* --- writing the answers --------------------------------------------------------- */

static void w_phone(epp_writer *w, const char *qname, const char *number, const char *x)
{
    if (!number)
        return;
    epp_w_start(w, qname);
    if (x && *x)
        epp_w_attr(w, "x", x);
    epp_w_text(w, number);
    epp_w_end(w);
}

static void w_postal(epp_writer *w, const struct contact_postal *p, const char *type)
{
    epp_w_start(w, "contact:postalInfo");
    epp_w_attr(w, "type", type);
    epp_w_elem(w, "contact:name", p->name ? p->name : REDACTED);
    if (p->org)
        epp_w_elem(w, "contact:org", p->org);
    epp_w_start(w, "contact:addr");
    for (int i = 0; i < CONTACT_STREETS; i++)
        if (p->street[i])
            epp_w_elem(w, "contact:street", p->street[i]);
    epp_w_elem(w, "contact:city", p->city ? p->city : REDACTED);
    if (p->sp)
        epp_w_elem(w, "contact:sp", p->sp);
    if (p->pc)
        epp_w_elem(w, "contact:pc", p->pc);
    epp_w_elem(w, "contact:cc", p->cc);
    epp_w_end(w); /* addr */
    epp_w_end(w); /* postalInfo */
}

static void w_disclose(epp_writer *w, const struct contact_data *d)
{
    static const struct {
        unsigned bit;
        const char *qname, *type;
    } fields[] = {
        {CONTACT_DISCLOSE_NAME_INT, "contact:name", "int"},
        {CONTACT_DISCLOSE_NAME_LOC, "contact:name", "loc"},
        {CONTACT_DISCLOSE_ORG_INT, "contact:org", "int"},
        {CONTACT_DISCLOSE_ORG_LOC, "contact:org", "loc"},
        {CONTACT_DISCLOSE_ADDR_INT, "contact:addr", "int"},
        {CONTACT_DISCLOSE_ADDR_LOC, "contact:addr", "loc"},
        {CONTACT_DISCLOSE_VOICE, "contact:voice", NULL},
        {CONTACT_DISCLOSE_FAX, "contact:fax", NULL},
        {CONTACT_DISCLOSE_EMAIL, "contact:email", NULL},
    };
    epp_w_start(w, "contact:disclose");
    epp_w_attr(w, "flag", d->disclose_flag ? "1" : "0");
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (!(d->disclose & fields[i].bit))
            continue;
        epp_w_start(w, fields[i].qname);
        if (fields[i].type)
            epp_w_attr(w, "type", fields[i].type);
        epp_w_end(w);
    }
    epp_w_end(w);
}

/* <regc:idCheck state="pending" deadline="…"/> (R21); a decided check
 * says how (method) and when (date). */
static void w_idcheck(epp_writer *w, const struct contact *k)
{
    char ts[REG_TIME_STRLEN];
    bool decided = !strcmp(k->idcheck_state, "verified") || !strcmp(k->idcheck_state, "failed");
    epp_w_start(w, "regc:idCheck");
    epp_w_attr(w, "state", k->idcheck_state[0] ? k->idcheck_state : "none");
    if (k->idcheck_deadline)
        epp_w_attr(w, "deadline", clock_format(k->idcheck_deadline, ts, sizeof ts));
    if (decided && k->idcheck_method[0])
        epp_w_attr(w, "method", k->idcheck_method);
    if (decided && k->idcheck_at)
        epp_w_attr(w, "date", clock_format(k->idcheck_at, ts, sizeof ts));
    epp_w_end(w);
}

static void w_info(epp_writer *w, const struct contact *k)
{
    bool full = k->view != CONTACT_VIEW_PUBLIC;
    epp_w_start(w, "resData");
    epp_w_start_ns(w, "contact", "infData", NS);
    epp_w_elem(w, "contact:id", k->handle);
    epp_w_elem(w, "contact:roid", k->roid);
    const char *names[8], *msgs[8];
    size_t n = contact_status_list(k, names, msgs);
    for (size_t i = 0; i < n; i++) {
        epp_w_start(w, "contact:status");
        epp_w_attr(w, "s", names[i]);
        if (msgs[i] && *msgs[i])
            epp_w_text(w, msgs[i]);
        epp_w_end(w);
    }
    if (k->d.postal[CONTACT_INT].present)
        w_postal(w, &k->d.postal[CONTACT_INT], "int");
    if (k->d.postal[CONTACT_LOC].present)
        w_postal(w, &k->d.postal[CONTACT_LOC], "loc");
    w_phone(w, "contact:voice", k->d.voice, k->d.voice_x);
    w_phone(w, "contact:fax", k->d.fax, k->d.fax_x);
    epp_w_elem(w, "contact:email", k->d.email ? k->d.email : REDACTED);
    epp_w_elem(w, "contact:clID", k->sponsor);
    epp_w_elem(w, "contact:crID", k->creator);
    epp_w_elem_time(w, "contact:crDate", k->created_at);
    if (full) {
        if (k->updated_at && k->updater[0]) {
            epp_w_elem(w, "contact:upID", k->updater);
            epp_w_elem_time(w, "contact:upDate", k->updated_at);
        } else if (k->updated_at) {
            epp_w_elem_time(w, "contact:upDate", k->updated_at);
        }
        if (k->transferred_at)
            epp_w_elem_time(w, "contact:trDate", k->transferred_at);
        if (k->authinfo_set) { /* RFC 9154: that it is set, never the value */
            epp_w_start(w, "contact:authInfo");
            epp_w_elem(w, "contact:pw", NULL);
            epp_w_end(w);
        }
        if (k->d.has_disclose)
            w_disclose(w, &k->d);
    }
    epp_w_end(w); /* infData */
    epp_w_end(w); /* resData */
    if (!k->d.kind && k->view != CONTACT_VIEW_SPONSOR)
        return; /* nothing for regc:infData */
    epp_w_start(w, "extension");
    epp_w_start_ns(w, "regc", "infData", EPP_NS_REG_CONTACT);
    if (k->d.kind)
        epp_w_elem(w, "regc:type", k->d.kind);
    if (full && k->d.ident_type && k->d.ident_value) {
        epp_w_start(w, "regc:ident");
        epp_w_attr(w, "type", k->d.ident_type);
        if (k->d.ident_cc)
            epp_w_attr(w, "cc", k->d.ident_cc);
        epp_w_text(w, k->d.ident_value);
        epp_w_end(w);
    }
    if (full && k->d.mobile)
        epp_w_elem(w, "regc:mobile", k->d.mobile);
    if (k->view == CONTACT_VIEW_SPONSOR)
        w_idcheck(w, k);
    epp_w_end(w); /* regc:infData */
    epp_w_end(w); /* extension */
}

static void w_transfer(epp_writer *w, const struct contact_transfer_info *t)
{
    epp_w_start(w, "resData");
    epp_w_start_ns(w, "contact", "trnData", NS);
    epp_w_elem(w, "contact:id", t->handle);
    epp_w_elem(w, "contact:trStatus", t->status);
    epp_w_elem(w, "contact:reID", t->gaining);
    epp_w_elem_time(w, "contact:reDate", t->requested_at);
    epp_w_elem(w, "contact:acID", t->losing);
    epp_w_elem_time(w, "contact:acDate", t->action_at);
    epp_w_end(w);
    epp_w_end(w);
}

/* <contact:trnData> for a poll message about a contact transfer (RFC 5733
 * §3.2.4 service messages). For epp_session_cmds.c's poll handler, next
 * to epp_domain_write_poll_data. */
void epp_contact_write_poll_data(epp_writer *w, const struct poll_msg *m)
{
    if (m->kind != POLL_TRANSFER || m->u.transfer.object != POLL_OBJ_CONTACT)
        return;
    const struct poll_transfer *p = &m->u.transfer;
    struct contact_transfer_info t = {.requested_at = p->requested_at,
                                      .action_at = p->action_at};
    snprintf(t.handle, sizeof t.handle, "%.*s", CONTACT_ID_MAX, p->name);
    snprintf(t.status, sizeof t.status, "%s", p->status);
    snprintf(t.gaining, sizeof t.gaining, "%s", p->gaining);
    snprintf(t.losing, sizeof t.losing, "%s", p->losing);
    w_transfer(w, &t);
}

/* --- check --------------------------------------------------------------------- */

static reg_err check_execute(struct epp_ctx *c, reg_status *st)
{
    xmlNodePtr ext;
    if (find_ext(c, NULL, &ext, st))
        return st->code;
    return epp_check_ids(c, NS, "contact", contact_check, st);
}

/* --- info ---------------------------------------------------------------------- */

static reg_err info_execute(struct epp_ctx *c, reg_status *st)
{
    xmlNodePtr ext;
    char *id = id_of(c), *pw = NULL;
    reg_err e = find_ext(c, NULL, &ext, st);
    if (!e)
        e = parse_authinfo(c->cmd.obj_node, &pw, st);
    struct contact k;
    struct reg_op op = epp_op(c);
    if (!e && !(e = contact_info(&op, id, pw, &k, st))) {
        epp_reply(c, EPP_OK);
        w_info(c->w, &k);
        contact_free(&k);
    }
    free(id);
    free(pw);
    return e;
}

/* --- create ---------------------------------------------------------------------- */

static void create_free(void *data)
{
    contact_create_req_free(data);
    free(data);
}

/* Parsing happens outside the batch transaction. */
static reg_err create_check(struct epp_ctx *c, reg_status *st)
{
    struct contact_create_req *r = epp_state_new(c, sizeof *r, create_free, st);
    if (!r)
        return st->code;
    xmlNodePtr n = c->cmd.obj_node, ext;
    bool given = false;
    r->id = id_of(c);
    if (parse_postal(n, r->d.postal, st))
        return st->code;
    epp_read_phone(n, NS, "voice", &given, &r->d.voice, &r->d.voice_x);
    epp_read_phone(n, NS, "fax", &given, &r->d.fax, &r->d.fax_x);
    r->d.email = opt_text(n, "email");
    if (parse_authinfo(n, &r->authinfo, st) ||
        parse_disclose(n, &r->d.has_disclose, &r->d.disclose_flag, &r->d.disclose, st) ||
        find_ext(c, "create", &ext, st))
        return st->code;
    if (ext) {
        r->d.kind = ext_text(ext, "type", NULL);
        parse_ident(ext, &r->d.ident_type, &r->d.ident_value, &r->d.ident_cc, NULL);
        r->d.mobile = ext_text(ext, "mobile", NULL);
    }
    return REG_OK;
}

static reg_err create_execute(struct epp_ctx *c, reg_status *st)
{
    struct reg_op op = epp_op(c);
    char handle[CONTACT_ID_MAX + 1];
    if (contact_create(&op, c->data, handle, st))
        return st->code;
    epp_reply_created(c, NS, "contact", handle, op.now);
    return REG_OK;
}

/* --- update ------------------------------------------------------------------------ */

struct update_state {
    struct contact_update_req req;
    char *strings[3 * STATUS_MAX]; /* add, add_msg, rem */
    size_t nstrings;
};

static void update_free(void *data)
{
    struct update_state *u = data;
    contact_update_req_free(&u->req);
    for (size_t i = 0; i < u->nstrings; i++)
        free(u->strings[i]);
    free(u);
}

static const char *keep(struct update_state *u, char *s)
{
    if (u->nstrings < sizeof u->strings / sizeof u->strings[0])
        u->strings[u->nstrings++] = s;
    return s;
}

static reg_err parse_statuses(struct update_state *u, xmlNodePtr list, bool add, reg_status *st)
{
    struct contact_update_req *r = &u->req;
    for (xmlNodePtr s = child(list, "status"); s; s = epp_next_sibling(s, NS, "status")) {
        size_t *n = add ? &r->nadd : &r->nrem;
        if (*n >= STATUS_MAX)
            return reg_fail(st, REG_ERR_RANGE, "too many statuses");
        const char *name = keep(u, epp_attr(s, "s"));
        if (add) {
            r->add[*n] = name;
            r->add_msg[*n] = keep(u, epp_text(s));
        } else {
            r->rem[*n] = name;
        }
        (*n)++;
    }
    return REG_OK;
}

static reg_err update_check(struct epp_ctx *c, reg_status *st)
{
    struct update_state *u = epp_state_new(c, sizeof *u, update_free, st);
    if (!u)
        return st->code;
    struct contact_update_req *r = &u->req;
    xmlNodePtr n = c->cmd.obj_node, ext;
    r->id = id_of(c);
    if (parse_statuses(u, child(n, "add"), true, st) ||
        parse_statuses(u, child(n, "rem"), false, st))
        return st->code;
    xmlNodePtr chg = child(n, "chg");
    if (chg) {
        if (parse_postal(chg, r->postal, st))
            return st->code;
        epp_read_phone(chg, NS, "voice", &r->chg_voice, &r->voice, &r->voice_x);
        epp_read_phone(chg, NS, "fax", &r->chg_fax, &r->fax, &r->fax_x);
        r->email = opt_text(chg, "email");
        if (parse_authinfo(chg, &r->authinfo, st) ||
            parse_disclose(chg, &r->chg_disclose, &r->disclose_flag, &r->disclose, st))
            return st->code;
    }
    if (find_ext(c, "update", &ext, st))
        return st->code;
    if (ext) {
        r->kind = ext_text(ext, "type", NULL);
        parse_ident(ext, &r->ident_type, &r->ident_value, &r->ident_cc, &r->chg_ident);
        r->mobile = ext_text(ext, "mobile", &r->chg_mobile);
    }
    return REG_OK;
}

static reg_err update_execute(struct epp_ctx *c, reg_status *st)
{
    struct update_state *u = c->data;
    struct reg_op op = epp_op(c);
    if (contact_update(&op, &u->req, st))
        return st->code;
    epp_reply(c, EPP_OK);
    return REG_OK;
}

/* --- delete ---------------------------------------------------------------------- */

static reg_err delete_execute(struct epp_ctx *c, reg_status *st)
{
    xmlNodePtr ext;
    if (find_ext(c, NULL, &ext, st))
        return st->code;
    struct reg_op op = epp_op(c);
    char *id = id_of(c);
    reg_err e = contact_delete(&op, id, st);
    free(id);
    if (!e)
        epp_reply(c, EPP_OK);
    return e;
}

/* --- transfer -------------------------------------------------------------------- */

static reg_err transfer_execute(struct epp_ctx *c, reg_status *st)
{
    static const struct {
        const char *name;
        contact_xfer_op op;
    } ops[] = {
        {"request", CONTACT_XFER_REQUEST}, {"query", CONTACT_XFER_QUERY},
        {"approve", CONTACT_XFER_APPROVE}, {"reject", CONTACT_XFER_REJECT},
        {"cancel", CONTACT_XFER_CANCEL},
    };
    size_t i = 0;
    while (i < sizeof ops / sizeof ops[0] && strcmp(ops[i].name, c->cmd.transfer_op))
        i++;
    if (i == sizeof ops / sizeof ops[0])
        return reg_fail(st, REG_ERR_SYNTAX, "transfer op=\"%s\" is not one RFC 5730 defines",
                        c->cmd.transfer_op);
    xmlNodePtr ext;
    char *id = id_of(c), *pw = NULL;
    reg_err e = find_ext(c, NULL, &ext, st);
    if (!e)
        e = parse_authinfo(c->cmd.obj_node, &pw, st);
    struct reg_op op = epp_op(c);
    struct contact_transfer_info t;
    bool pending = false;
    if (!e && !(e = contact_transfer(&op, ops[i].op, id, pw, &t, &pending, st))) {
        epp_reply(c, ops[i].op == CONTACT_XFER_REQUEST && pending ? EPP_OK_PENDING : EPP_OK);
        w_transfer(c->w, &t);
    }
    free(id);
    free(pw);
    return e;
}

const struct epp_handler epp_contact_handlers[] = {
    {EPP_CMD_CHECK, EPP_OBJ_CONTACT, true, NULL, check_execute, true},
    {EPP_CMD_INFO, EPP_OBJ_CONTACT, true, NULL, info_execute, true},
    {EPP_CMD_CREATE, EPP_OBJ_CONTACT, true, create_check, create_execute, false},
    {EPP_CMD_UPDATE, EPP_OBJ_CONTACT, true, update_check, update_execute, false},
    {EPP_CMD_DELETE, EPP_OBJ_CONTACT, true, NULL, delete_execute, false},
    {EPP_CMD_TRANSFER, EPP_OBJ_CONTACT, true, NULL, transfer_execute, false},
    {0, 0, false, NULL, NULL, false},
};
