/* Host commands (RFC 5732) with registryd's host-ext-1.0 (regh:admin). */
#include <string.h>

#include "decode_internal.h"

#define NS EPP_NS_HOST

/* <host:addr ip="v4|v6">…</host:addr> children of parent. */
static reg_err read_addrs(struct dctx *d, xmlNodePtr parent, struct epp_host_addrs *out)
{
    size_t n = epp_count(parent, NS, "addr");
    out->items = arena_calloc(d->a, n ? n : 1, sizeof *out->items);
    out->n = 0;
    for (xmlNodePtr x = epp_child(parent, NS, "addr"); x && out->items;
         x = epp_next_sibling(x, NS, "addr")) {
        char *ip = xa_attr(d->a, x, "ip");
        struct epp_host_addr *a = &out->items[out->n++];
        a->addr = xa_text(d->a, x);
        a->v6 = ip && !strcmp(ip, "v6"); /* the schema's default is v4 */
    }
    return arena_failed(d->a) ? dctx_nomem(d) : REG_OK;
}

/* regh:admin of regh:VERB: NULL when absent, "" for an empty element. */
static char *admin_of(struct dctx *d, const char *verb)
{
    xmlNodePtr admin = epp_child(dctx_ext(d, EPP_NS_REG_HOST, verb), EPP_NS_REG_HOST, "admin");
    return xa_token(d->a, admin);
}

static reg_err update(struct dctx *d)
{
    struct epp_host_update *u = &d->r->u.host_update;
    xmlNodePtr add = epp_child(d->obj, NS, "add"), rem = epp_child(d->obj, NS, "rem");
    u->name = xa_child_text(d->a, d->obj, NS, "name");
    u->new_name = xa_child_text(d->a, epp_child(d->obj, NS, "chg"), NS, "name");
    u->admin = admin_of(d, "update");
    if (read_addrs(d, add, &u->add_addrs) || read_addrs(d, rem, &u->rem_addrs) ||
        decode_statuses(d, add, NS, &u->add_status, &u->nadd_status))
        return d->st->code;
    struct epp_status *rem_status;
    if (decode_statuses(d, rem, NS, &rem_status, &u->nrem_status))
        return d->st->code;
    u->rem_status = arena_calloc(d->a, u->nrem_status ? u->nrem_status : 1, sizeof *u->rem_status);
    for (size_t i = 0; u->rem_status && i < u->nrem_status; i++)
        u->rem_status[i] = rem_status[i].s;
    return REG_OK;
}

reg_err decode_host(struct dctx *d)
{
    struct epp_request *r = d->r;
    switch (r->kind) {
    case EPP_CMD_CHECK:
        return decode_names(d, d->obj, NS, "name", EPP_CHECK_MAX, "names or ids per check",
                            &r->u.host_check);
    case EPP_CMD_INFO:
    case EPP_CMD_DELETE:
        r->u.name = xa_child_text(d->a, d->obj, NS, "name");
        return REG_OK;
    case EPP_CMD_CREATE:
        r->u.host_create.name = xa_child_text(d->a, d->obj, NS, "name");
        r->u.host_create.admin = admin_of(d, "create");
        /* regh:create's admin is a clIDType: never empty */
        if (r->u.host_create.admin && !*r->u.host_create.admin)
            r->u.host_create.admin = NULL;
        return read_addrs(d, d->obj, &r->u.host_create.addrs);
    case EPP_CMD_UPDATE:
        return update(d);
    default: /* the schema has no host renew or transfer */
        return reg_fail(d->st, REG_ERR_SYNTAX, "host has no %s command",
                        epp_cmd_kind_name(r->kind));
    }
}
