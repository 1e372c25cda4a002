/* Host commands (RFC 5732) and host-ext-1.0 (regh:admin): the decoded
 * request → registry/host.h → typed results. */
#include <string.h>

#include "eppd_internal.h"
#include "registry/host.h"

/* ---- the request in the registry's terms -------------------------------------------- */

static struct host_addr_in *addrs_in(struct eppd_cmd *c, const struct epp_host_addrs *in)
{
    struct host_addr_in *out = EPPD_ARRAY(c, struct host_addr_in, in->n);
    for (size_t i = 0; out && i < in->n; i++)
        out[i] = (struct host_addr_in){in->items[i].addr, in->items[i].v6 ? 6 : 4};
    return out;
}

static reg_err create_check(struct eppd_cmd *c)
{
    const struct epp_host_create *in = &c->req.u.host_create;
    struct host_create *r = EPPD_NEW(c, struct host_create);
    if (!r || !(r->addrs = addrs_in(c, &in->addrs)))
        return c->st.code;
    r->name = in->name;
    r->naddrs = in->addrs.n;
    r->admin = in->admin;
    c->state = r;
    return REG_OK;
}

static reg_err update_check(struct eppd_cmd *c)
{
    const struct epp_host_update *in = &c->req.u.host_update;
    struct host_update *r = EPPD_NEW(c, struct host_update);
    struct host_status_in *add = EPPD_ARRAY(c, struct host_status_in, in->nadd_status);
    if (!r || !add || !(r->add_addrs = addrs_in(c, &in->add_addrs)) ||
        !(r->rem_addrs = addrs_in(c, &in->rem_addrs)))
        return c->st.code;
    for (size_t i = 0; i < in->nadd_status; i++)
        add[i] = (struct host_status_in){in->add_status[i].s,
                                         in->add_status[i].text ? in->add_status[i].text : ""};
    r->name = in->name;
    r->nadd_addrs = in->add_addrs.n;
    r->nrem_addrs = in->rem_addrs.n;
    r->add_status = add;
    r->nadd_status = in->nadd_status;
    r->rem_status = (const char *const *)in->rem_status;
    r->nrem_status = in->nrem_status;
    r->new_name = in->new_name;
    r->admin = in->admin;
    c->state = r;
    return REG_OK;
}

/* ---- execute ---------------------------------------------------------------------------- */

/* host_check's reason fits in 33 bytes (RFC 5732's reasonType) */
static reg_err check_execute(struct eppd_cmd *c)
{
    return eppd_check_keys(c, EPP_SVC_HOST, &c->req.u.host_check, host_check);
}

static void host_release(void *h) { host_free(h); }

static reg_err info_execute(struct eppd_cmd *c)
{
    struct reg_op op = eppd_op(c);
    struct host *h = EPPD_NEW(c, struct host);
    struct epp_host_inf *out = EPPD_NEW(c, struct epp_host_inf);
    /* RFC 5732 §2.3: ok only alone or with linked; at most 7 (schema) */
    struct epp_status_out *statuses = EPPD_ARRAY(c, struct epp_status_out, 8);
    struct epp_host_addr *addrs = EPPD_ARRAY(c, struct epp_host_addr, 2 * HOST_ADDR_MAX);
    if (!h || !out || !statuses || !addrs || host_info(&op, c->req.u.name, h, &c->st))
        return c->st.code;
    eppd_defer(c, host_release, h);
    size_t n = 0;
    for (size_t i = 0; i < h->status.n && n < 6; i++)
        statuses[n++] = (struct epp_status_out){h->status.items[i].name, h->status.items[i].message};
    if (!h->status.n)
        statuses[n++] = (struct epp_status_out){"ok", NULL};
    if (h->linked)
        statuses[n++] = (struct epp_status_out){"linked", NULL};
    for (size_t i = 0; i < h->naddrs; i++)
        addrs[i] = (struct epp_host_addr){h->addrs[i].addr, h->addrs[i].version == 6};
    *out = (struct epp_host_inf){
        .name = h->name, .roid = h->roid, .statuses = statuses, .nstatuses = n, .addrs = addrs,
        .naddrs = h->naddrs, .cl_id = h->sponsor, .cr_id = h->creator,
        .up_id = h->updater[0] ? h->updater : NULL, .cr_date = h->created_at,
        .up_date = h->updated_at, .tr_date = h->transferred_at,
    };
    eppd_ok(c, EPP_OK);
    c->resp.resdata = epp_host_infdata(out);
    if (h->admin[0])
        epp_response_add_ext(&c->resp, epp_regh_infdata(h->admin));
    return REG_OK;
}

static reg_err create_execute(struct eppd_cmd *c)
{
    struct reg_op op = eppd_op(c);
    struct host *h = EPPD_NEW(c, struct host);
    if (!h || host_create(&op, c->state, h, &c->st))
        return c->st.code;
    eppd_defer(c, host_release, h);
    return eppd_created(c, EPP_SVC_HOST, h->name, h->created_at, 0);
}

static reg_err update_execute(struct eppd_cmd *c)
{
    struct reg_op op = eppd_op(c);
    return eppd_answer(c, host_update(&op, c->state, &c->st));
}

static reg_err delete_execute(struct eppd_cmd *c)
{
    struct reg_op op = eppd_op(c);
    return eppd_answer(c, host_delete(&op, c->req.u.name, &c->st));
}

const struct eppd_handler eppd_host_handlers[] = {
    {EPP_CMD_CHECK, EPP_OBJ_HOST, EPPD_LOGGED_IN, NULL, check_execute, true},
    {EPP_CMD_INFO, EPP_OBJ_HOST, EPPD_LOGGED_IN, NULL, info_execute, true},
    {EPP_CMD_CREATE, EPP_OBJ_HOST, EPPD_LOGGED_IN, create_check, create_execute, false},
    {EPP_CMD_UPDATE, EPP_OBJ_HOST, EPPD_LOGGED_IN, update_check, update_execute, false},
    {EPP_CMD_DELETE, EPP_OBJ_HOST, EPPD_LOGGED_IN, NULL, delete_execute, false},
    {0, 0, 0, NULL, NULL, false},
};
