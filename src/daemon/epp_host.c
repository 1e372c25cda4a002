/* EPP host commands (RFC 5732) and the host extension
 * (https://registryd.org/epp/host-ext-1.0, regh:admin): XML ↔
 * registry/host.c. The check step reads the command into a struct host_cmd
 * (outside the transaction); the execute step calls the registry and
 * writes the response. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epp/ns.h"
#include "epp/result.h"
#include "epp_internal.h"
#include "registry/host.h"

/* Everything a host command carries; strings are owned by `owned`. */
struct host_cmd {
    const char **names; /* check */
    size_t nnames;
    const char *name;
    struct host_addr_in *add_addrs, *rem_addrs;
    size_t nadd_addrs, nrem_addrs;
    struct host_status_in *add_status;
    size_t nadd_status;
    const char **rem_status;
    size_t nrem_status;
    const char *new_name;
    const char *admin; /* NULL: no regh:admin; "" removes (update) */
    char **owned;
    size_t nowned, owned_cap;
};

static void host_cmd_free(void *data)
{
    struct host_cmd *hc = data;
    if (!hc)
        return;
    for (size_t i = 0; i < hc->nowned; i++)
        free(hc->owned[i]);
    free(hc->owned);
    free(hc->names);
    free(hc->add_addrs);
    free(hc->rem_addrs);
    free(hc->add_status);
    free(hc->rem_status);
    free(hc);
}

static reg_err oom(reg_status *st)
{
    return reg_fail(st, REG_ERR_NOMEM, "out of memory");
}

/* Keeps s (malloc'd, may be NULL) until the command is done. */
static const char *own(struct host_cmd *hc, char *s)
{
    if (!s)
        return NULL;
    if (hc->nowned == hc->owned_cap) {
        size_t cap = hc->owned_cap ? hc->owned_cap * 2 : 16;
        char **p = realloc(hc->owned, cap * sizeof *p);
        if (!p) {
            free(s);
            return NULL;
        }
        hc->owned = p;
        hc->owned_cap = cap;
    }
    hc->owned[hc->nowned++] = s;
    return s;
}

static const char *text_of(struct host_cmd *hc, xmlNodePtr n)
{
    return own(hc, epp_text(n));
}

static const char *attr_of(struct host_cmd *hc, xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return own(hc, s);
}

static size_t count_children(xmlNodePtr parent, const char *name)
{
    size_t n = 0;
    for (xmlNodePtr x = epp_child(parent, EPP_NS_HOST, name); x;
         x = epp_next_sibling(x, EPP_NS_HOST, name))
        n++;
    return n;
}

/* <host:addr ip="v4|v6">…</host:addr> children of parent. */
static reg_err read_addrs(struct host_cmd *hc, xmlNodePtr parent, struct host_addr_in **out,
                          size_t *n, reg_status *st)
{
    size_t count = count_children(parent, "addr");
    *n = 0;
    if (!count)
        return REG_OK;
    *out = calloc(count, sizeof **out);
    if (!*out)
        return oom(st);
    for (xmlNodePtr x = epp_child(parent, EPP_NS_HOST, "addr"); x;
         x = epp_next_sibling(x, EPP_NS_HOST, "addr")) {
        const char *ip = attr_of(hc, x, "ip");
        struct host_addr_in *a = &(*out)[(*n)++];
        a->addr = text_of(hc, x);
        a->version = ip && !strcmp(ip, "v6") ? 6 : 4; /* schema default: v4 */
        if (!a->addr)
            return oom(st);
    }
    return REG_OK;
}

/* <host:add>/<host:rem> statuses. */
static reg_err read_statuses(struct host_cmd *hc, xmlNodePtr parent, bool add, reg_status *st)
{
    size_t count = count_children(parent, "status");
    if (!count)
        return REG_OK;
    if (add && !(hc->add_status = calloc(count, sizeof *hc->add_status)))
        return oom(st);
    if (!add && !(hc->rem_status = calloc(count, sizeof *hc->rem_status)))
        return oom(st);
    for (xmlNodePtr x = epp_child(parent, EPP_NS_HOST, "status"); x;
         x = epp_next_sibling(x, EPP_NS_HOST, "status")) {
        const char *s = attr_of(hc, x, "s");
        if (!s)
            return reg_fail(st, REG_ERR_MISSING, "<host:status> needs an s attribute");
        if (add) {
            struct host_status_in *h = &hc->add_status[hc->nadd_status++];
            h->name = s;
            h->message = text_of(hc, x);
        } else {
            hc->rem_status[hc->nrem_status++] = s;
        }
    }
    return REG_OK;
}

/* <extension>: only regh:<want> (create or update) is understood. */
static reg_err read_extension(struct epp_ctx *c, struct host_cmd *hc, const char *want,
                              reg_status *st)
{
    if (!c->cmd.ext_node)
        return REG_OK;
    for (xmlNodePtr x = epp_child(c->cmd.ext_node, NULL, NULL); x;
         x = epp_next_sibling(x, NULL, NULL)) {
        const char *ns = x->ns && x->ns->href ? (const char *)x->ns->href : "";
        if (!want || strcmp(ns, EPP_NS_REG_HOST) || strcmp((const char *)x->name, want))
            return reg_fail(st, REG_ERR_UNIMPLEMENTED_EXTENSION,
                            "extension element {%s}%s is not supported with host:%s", ns,
                            (const char *)x->name, epp_cmd_kind_name(c->cmd.kind));
        xmlNodePtr admin = epp_child(x, EPP_NS_REG_HOST, "admin");
        if (admin && !(hc->admin = text_of(hc, admin)))
            return oom(st);
    }
    return REG_OK;
}

/* check step of every host command: read it all. */
static reg_err host_read(struct epp_ctx *c, reg_status *st)
{
    struct host_cmd *hc = epp_state_new(c, sizeof *hc, host_cmd_free, st);
    if (!hc)
        return st->code;
    xmlNodePtr obj = c->cmd.obj_node;
    reg_err e;
    switch (c->cmd.kind) {
    case EPP_CMD_CHECK: {
        size_t n = count_children(obj, "name"); /* at most EPP_CHECK_MAX (epp_workers.c) */
        if (!(hc->names = calloc(n ? n : 1, sizeof *hc->names)))
            return oom(st);
        for (xmlNodePtr x = epp_child(obj, EPP_NS_HOST, "name"); x;
             x = epp_next_sibling(x, EPP_NS_HOST, "name"))
            if (!(hc->names[hc->nnames++] = text_of(hc, x)))
                return oom(st);
        return read_extension(c, hc, NULL, st);
    }
    case EPP_CMD_CREATE:
        if ((e = read_addrs(hc, obj, &hc->add_addrs, &hc->nadd_addrs, st)))
            return e;
        if ((e = read_extension(c, hc, "create", st)))
            return e;
        if (hc->admin && !*hc->admin) /* regh:create admin is a clIDType: never empty */
            hc->admin = NULL;
        break;
    case EPP_CMD_UPDATE: {
        xmlNodePtr add = epp_child(obj, EPP_NS_HOST, "add");
        xmlNodePtr rem = epp_child(obj, EPP_NS_HOST, "rem");
        xmlNodePtr chg = epp_child(obj, EPP_NS_HOST, "chg");
        if ((e = read_addrs(hc, add, &hc->add_addrs, &hc->nadd_addrs, st)) ||
            (e = read_addrs(hc, rem, &hc->rem_addrs, &hc->nrem_addrs, st)) ||
            (e = read_statuses(hc, add, true, st)) || (e = read_statuses(hc, rem, false, st)))
            return e;
        if (chg && !(hc->new_name = text_of(hc, epp_child(chg, EPP_NS_HOST, "name"))))
            return oom(st);
        if ((e = read_extension(c, hc, "update", st)))
            return e;
        break;
    }
    default:
        if ((e = read_extension(c, hc, NULL, st)))
            return e;
        break;
    }
    if (!(hc->name = text_of(hc, epp_child(obj, EPP_NS_HOST, "name"))))
        return oom(st);
    return REG_OK;
}

/* ---- responses ----------------------------------------------------------- */

static reg_err check_execute(struct epp_ctx *c, reg_status *st)
{
    struct host_cmd *hc = c->data;
    struct reg_op op = epp_op(c);
    bool *avail = calloc(hc->nnames ? hc->nnames : 1, sizeof *avail);
    char(*reasons)[33] = calloc(hc->nnames ? hc->nnames : 1, sizeof *reasons);
    reg_err e = avail && reasons ? REG_OK : oom(st);
    for (size_t i = 0; i < hc->nnames && !e; i++)
        e = host_check(&op, hc->names[i], &avail[i], reasons[i], st);
    if (!e) {
        epp_reply(c, EPP_OK);
        epp_w_start(c->w, "resData");
        epp_w_start_ns(c->w, "host", "chkData", EPP_NS_HOST);
        for (size_t i = 0; i < hc->nnames; i++) {
            epp_w_start(c->w, "host:cd");
            epp_w_start(c->w, "host:name");
            epp_w_attr(c->w, "avail", avail[i] ? "1" : "0");
            epp_w_text(c->w, hc->names[i]);
            epp_w_end(c->w);
            if (reasons[i][0])
                epp_w_elem(c->w, "host:reason", reasons[i]);
            epp_w_end(c->w); /* cd */
        }
        epp_w_end(c->w); /* chkData */
        epp_w_end(c->w); /* resData */
    }
    free(avail);
    free(reasons);
    return e;
}

static void write_status(epp_writer *w, const char *s, const char *message)
{
    epp_w_start(w, "host:status");
    epp_w_attr(w, "s", s);
    if (message && *message) {
        epp_w_attr(w, "lang", "en");
        epp_w_text(w, message);
    }
    epp_w_end(w);
}

static reg_err info_execute(struct epp_ctx *c, reg_status *st)
{
    struct host_cmd *hc = c->data;
    struct reg_op op = epp_op(c);
    struct host h;
    reg_err e = host_info(&op, hc->name, &h, st);
    if (e)
        return e;
    epp_writer *w = c->w;
    epp_reply(c, EPP_OK);
    epp_w_start(w, "resData");
    epp_w_start_ns(w, "host", "infData", EPP_NS_HOST);
    epp_w_elem(w, "host:name", h.name);
    epp_w_elem(w, "host:roid", h.roid);
    /* RFC 5732 §2.3: ok only alone or with linked; at most 7 (schema) */
    size_t written = 0;
    for (size_t i = 0; i < h.status.n && written < 6; i++, written++)
        write_status(w, h.status.items[i].name, h.status.items[i].message);
    if (!h.status.n)
        write_status(w, "ok", NULL);
    if (h.linked)
        write_status(w, "linked", NULL);
    for (size_t i = 0; i < h.naddrs; i++) {
        epp_w_start(w, "host:addr");
        epp_w_attr(w, "ip", h.addrs[i].version == 6 ? "v6" : "v4");
        epp_w_text(w, h.addrs[i].addr);
        epp_w_end(w);
    }
    epp_w_elem(w, "host:clID", h.sponsor);
    epp_w_elem(w, "host:crID", h.creator);
    epp_w_elem_time(w, "host:crDate", h.created_at);
    if (h.updater[0])
        epp_w_elem(w, "host:upID", h.updater);
    if (h.updated_at)
        epp_w_elem_time(w, "host:upDate", h.updated_at);
    if (h.transferred_at)
        epp_w_elem_time(w, "host:trDate", h.transferred_at);
    epp_w_end(w); /* infData */
    epp_w_end(w); /* resData */
    if (h.admin[0]) {
        epp_w_start(w, "extension");
        epp_w_start_ns(w, "regh", "infData", EPP_NS_REG_HOST);
        epp_w_elem(w, "regh:admin", h.admin);
        epp_w_end(w);
        epp_w_end(w);
    }
    host_free(&h);
    return REG_OK;
}

static reg_err create_execute(struct epp_ctx *c, reg_status *st)
{
    struct host_cmd *hc = c->data;
    struct reg_op op = epp_op(c);
    struct host_create req = {
        .name = hc->name,
        .addrs = hc->add_addrs,
        .naddrs = hc->nadd_addrs,
        .admin = hc->admin,
    };
    struct host h;
    reg_err e = host_create(&op, &req, &h, st);
    if (e)
        return e;
    epp_reply(c, EPP_OK);
    epp_w_start(c->w, "resData");
    epp_w_start_ns(c->w, "host", "creData", EPP_NS_HOST);
    epp_w_elem(c->w, "host:name", h.name);
    epp_w_elem_time(c->w, "host:crDate", h.created_at);
    epp_w_end(c->w);
    epp_w_end(c->w);
    host_free(&h);
    return REG_OK;
}

static reg_err update_execute(struct epp_ctx *c, reg_status *st)
{
    struct host_cmd *hc = c->data;
    struct reg_op op = epp_op(c);
    struct host_update req = {
        .name = hc->name,
        .add_addrs = hc->add_addrs,
        .nadd_addrs = hc->nadd_addrs,
        .rem_addrs = hc->rem_addrs,
        .nrem_addrs = hc->nrem_addrs,
        .add_status = hc->add_status,
        .nadd_status = hc->nadd_status,
        .rem_status = hc->rem_status,
        .nrem_status = hc->nrem_status,
        .new_name = hc->new_name,
        .admin = hc->admin,
    };
    reg_err e = host_update(&op, &req, st);
    if (e)
        return e;
    epp_reply(c, EPP_OK);
    return REG_OK;
}

static reg_err delete_execute(struct epp_ctx *c, reg_status *st)
{
    struct host_cmd *hc = c->data;
    struct reg_op op = epp_op(c);
    reg_err e = host_delete(&op, hc->name, st);
    if (e)
        return e;
    epp_reply(c, EPP_OK);
    return REG_OK;
}

const struct epp_handler epp_host_handlers[] = {
    {EPP_CMD_CHECK, EPP_OBJ_HOST, true, host_read, check_execute, true},
    {EPP_CMD_INFO, EPP_OBJ_HOST, true, host_read, info_execute, true},
    {EPP_CMD_CREATE, EPP_OBJ_HOST, true, host_read, create_execute, false},
    {EPP_CMD_UPDATE, EPP_OBJ_HOST, true, host_read, update_execute, false},
    {EPP_CMD_DELETE, EPP_OBJ_HOST, true, host_read, delete_execute, false},
    {0, 0, false, NULL, NULL, false},
};
