/* See epp_contact_data.h. */
#include "epp_contact_data.h"

#include <stdio.h>
#include <stdlib.h>

#include "epp/result.h"

bool epp_read_address(xmlNodePtr parent, const char *ns, char *street[CONTACT_STREETS],
                      char **city, char **sp, char **pc, char **cc)
{
    int i = 0;
    for (xmlNodePtr s = epp_child(parent, ns, "street"); s && i < CONTACT_STREETS;
         s = epp_next_sibling(s, ns, "street"))
        street[i++] = epp_text(s);
    *city = epp_child_text(parent, ns, "city");
    *sp = epp_child_text(parent, ns, "sp");
    *pc = epp_child_text(parent, ns, "pc");
    *cc = epp_child_text(parent, ns, "cc");
    return i > 0;
}

void epp_read_phone(xmlNodePtr parent, const char *ns, const char *name, bool *given,
                    char **number, char **x)
{
    xmlNodePtr n = epp_child(parent, ns, name);
    if (!n)
        return;
    *given = true;
    *number = epp_text(n);
    *x = epp_attr(n, "x");
}

/* "prefix:local" in buf. */
static const char *qname(char *buf, size_t n, const char *prefix, const char *local)
{
    snprintf(buf, n, "%s:%s", prefix, local);
    return buf;
}

static void write_check_data(struct epp_ctx *c, const char *ns, const char *prefix, size_t n,
                             char **ids, const bool *avail, const char (*reason)[160])
{
    char q[32];
    epp_reply(c, EPP_OK);
    epp_w_start(c->w, "resData");
    epp_w_start_ns(c->w, prefix, "chkData", ns);
    for (size_t i = 0; i < n; i++) {
        epp_w_start(c->w, qname(q, sizeof q, prefix, "cd"));
        epp_w_start(c->w, qname(q, sizeof q, prefix, "id"));
        epp_w_attr(c->w, "avail", avail[i] ? "1" : "0");
        epp_w_text(c->w, ids[i]);
        epp_w_end(c->w);
        if (!avail[i] && reason[i][0])
            epp_w_elem(c->w, qname(q, sizeof q, prefix, "reason"), reason[i]);
        epp_w_end(c->w); /* cd */
    }
    epp_w_end(c->w); /* chkData */
    epp_w_end(c->w); /* resData */
}

reg_err epp_check_ids(struct epp_ctx *c, const char *ns, const char *prefix,
                      epp_id_check_fn check, reg_status *st)
{
    struct reg_op op = epp_op(c);
    size_t n = 0;
    for (xmlNodePtr id = epp_child(c->cmd.obj_node, ns, "id"); id;
         id = epp_next_sibling(id, ns, "id"))
        n++;
    bool *avail = calloc(n ? n : 1, sizeof *avail);
    char(*reason)[160] = calloc(n ? n : 1, sizeof *reason);
    char **ids = calloc(n ? n : 1, sizeof *ids);
    reg_err e = avail && reason && ids ? REG_OK : reg_fail(st, REG_ERR_NOMEM, "out of memory");
    size_t i = 0;
    for (xmlNodePtr id = epp_child(c->cmd.obj_node, ns, "id"); id && !e;
         id = epp_next_sibling(id, ns, "id"), i++) {
        ids[i] = epp_text(id);
        e = check(&op, ids[i], &avail[i], reason[i], st);
    }
    if (!e)
        write_check_data(c, ns, prefix, n, ids, avail, (const char(*)[160])reason);
    for (i = 0; ids && i < n; i++)
        free(ids[i]);
    free(ids);
    free(avail);
    free(reason);
    return e;
}

void epp_reply_created(struct epp_ctx *c, const char *ns, const char *prefix, const char *id,
                       reg_time created)
{
    char q[32];
    epp_reply(c, EPP_OK);
    epp_w_start(c->w, "resData");
    epp_w_start_ns(c->w, prefix, "creData", ns);
    epp_w_elem(c->w, qname(q, sizeof q, prefix, "id"), id);
    epp_w_elem_time(c->w, qname(q, sizeof q, prefix, "crDate"), created);
    epp_w_end(c->w);
    epp_w_end(c->w);
}
