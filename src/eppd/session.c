/* Session commands (RFC 5730 §2.9.1–2.9.2): hello, login, logout, poll. */
#include <stdio.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/secret.h"
#include "eppd_internal.h"
#include "registry/poll.h"
#include "registry/registrar.h"

/* hello → greeting (RFC 5730 §2.3) */
static reg_err hello_execute(struct eppd_cmd *c)
{
    size_t len;
    c->greeting = epp_greeting("registryd", c->now, &len);
    return c->greeting ? REG_OK : eppd_nomem(c);
}

/* ---- login ------------------------------------------------------------------------------ */

struct login_state {
    struct registrar registrar;
    char new_hash[SECRET_PWHASH_LEN];
};

static void login_release(void *ls) { registrar_free(&((struct login_state *)ls)->registrar); }

static reg_err login_options(struct eppd_cmd *c, const struct epp_login *l)
{
    if (strcmp(l->version, "1.0"))
        return reg_fail(&c->st, REG_ERR_VERSION, "EPP version %s is not supported; use 1.0",
                        l->version);
    if (strcmp(l->lang, "en"))
        return reg_fail(&c->st, REG_ERR_UNIMPLEMENTED_OPTION,
                        "language %s is not supported; use en", l->lang);
    if (l->unknown_obj)
        return reg_fail(&c->st, REG_ERR_UNIMPLEMENTED_OBJECT, "object service %s is not served",
                        l->unknown_obj);
    if (l->unknown_ext)
        return reg_fail(&c->st, REG_ERR_UNIMPLEMENTED_EXTENSION, "extension %s is not served",
                        l->unknown_ext);
    return REG_OK;
}

/* Password and certificate checks run here, outside the batch transaction:
 * argon2id is deliberately slow. */
static reg_err login_check(struct eppd_cmd *c)
{
    const struct epp_login *l = &c->req.u.login;
    if (login_options(c, l))
        return c->st.code;
    if (l->newpw && registrar_password_check(l->newpw, &c->st))
        return REG_ERR_POLICY;
    struct login_state *ls = EPPD_NEW(c, struct login_state);
    if (!ls)
        return c->st.code;
    c->state = ls;
    const struct eppd_session *s = c->session;
    reg_err e = registrar_authenticate(c->env->db, l->clid, l->pw, s->cert_fp[0] ? s->cert_fp : NULL,
                                       s->peer, &ls->registrar, &c->st);
    if (e == REG_ERR_AUTH) {
        c->out.login_failed = true;
        reg_log(LOG_WARN, "epp", s->id, "login-failed", "clid=%s peer=%s", l->clid, s->peer);
        if (s->login_failures + 1 >= c->env->cfg->epp_max_login_failures) {
            c->force_code = EPP_AUTH_CLOSING;
            c->out.close_after = true;
        }
        return e;
    }
    if (e)
        return e;
    eppd_defer(c, login_release, ls);
    if (l->newpw && secret_password_hash(l->newpw, ls->new_hash))
        return reg_fail(&c->st, REG_ERR_NOMEM, "cannot hash the new password");
    return REG_OK;
}

static reg_err login_execute(struct eppd_cmd *c)
{
    struct login_state *ls = c->state;
    if (!c->env->take_slot(c->env->slot_arg, ls->registrar.id)) {
        c->force_code = EPP_SESSION_LIMIT;
        return reg_fail(&c->st, REG_ERR_SESSION_LIMIT, "%s already has %lld sessions open",
                        ls->registrar.handle, (long long)c->env->cfg->epp_max_sessions);
    }
    c->out.holds_slot = true;
    c->out.new_registrar_id = ls->registrar.id;
    if (ls->new_hash[0] &&
        registrar_store_password_hash(c->env->db, ls->registrar.id, ls->new_hash, &c->st))
        return c->st.code;
    c->out.login_ok = true;
    c->out.new_services = c->req.u.login.svcs;
    snprintf(c->out.new_clid, sizeof c->out.new_clid, "%s", ls->registrar.handle);
    reg_log(LOG_INFO, "epp", c->session->id, "login", "clid=%s", ls->registrar.handle);
    eppd_ok(c, EPP_OK);
    return REG_OK;
}

static reg_err logout_execute(struct eppd_cmd *c)
{
    c->out.close_after = true;
    eppd_ok(c, EPP_OK_BYE);
    return REG_OK;
}

/* ---- poll ------------------------------------------------------------------------------- */

static struct epp_part transfer_part(struct eppd_cmd *c, const struct poll_transfer *p)
{
    struct epp_part none = {EPP_SVC_NONE, NULL, NULL};
    if (p->object == POLL_OBJ_CONTACT) {
        struct epp_contact_trn *t = EPPD_NEW(c, struct epp_contact_trn);
        if (!t)
            return none;
        *t = (struct epp_contact_trn){p->name,    p->status,       p->gaining,
                                      p->losing, p->requested_at, p->action_at};
        return epp_contact_trndata(t);
    }
    struct epp_domain_trn *t = EPPD_NEW(c, struct epp_domain_trn);
    if (!t)
        return none;
    *t = (struct epp_domain_trn){p->name,         p->status,       p->gaining,
                                 p->losing,       p->requested_at, p->action_at,
                                 p->has_expiry,   p->new_expires_at};
    return epp_domain_trndata(t);
}

/* RFC 8590: the domain as the change left it (infData: its stored statuses
 * without texts, no hosts or DS) and <changePoll:changeData>. */
static reg_err change_parts(struct eppd_cmd *c, const struct poll_change *p)
{
    const struct domain *d = &p->domain;
    struct epp_domain_inf *inf = EPPD_NEW(c, struct epp_domain_inf);
    struct epp_status_out *statuses = EPPD_ARRAY(c, struct epp_status_out, d->statuses.n + 1);
    struct epp_domain_contact_out *contacts =
        EPPD_ARRAY(c, struct epp_domain_contact_out, d->ncontacts);
    const char **ns = EPPD_ARRAY(c, const char *, d->nns);
    struct epp_change *chg = EPPD_NEW(c, struct epp_change);
    if (!inf || !statuses || !contacts || !ns || !chg)
        return c->st.code;
    size_t n = 0;
    for (size_t i = 0; i < d->statuses.n; i++)
        statuses[n++] = (struct epp_status_out){d->statuses.items[i].name, NULL};
    if (d->nns == 0 || d->statuses.n == 0)
        statuses[n++] = (struct epp_status_out){d->nns == 0 ? "inactive" : "ok", NULL};
    for (size_t i = 0; i < d->ncontacts; i++)
        contacts[i] = (struct epp_domain_contact_out){d->contacts[i].role, d->contacts[i].handle};
    for (size_t i = 0; i < d->nns; i++)
        ns[i] = d->ns[i];
    *inf = (struct epp_domain_inf){
        .name = d->name.alabel, .roid = d->roid, .statuses = statuses, .nstatuses = n,
        .full = true, .registrant = d->registrant, .contacts = contacts,
        .ncontacts = d->ncontacts, .ns = ns, .nns = d->nns, .cl_id = d->sponsor,
        .cr_id = d->creator, .up_id = d->updater[0] ? d->updater : d->sponsor,
        .cr_date = d->created_at, .up_date = d->updated_at, .ex_date = d->expires_at,
    };
    *chg = (struct epp_change){p->before ? "before" : "after", p->operation, p->svtrid,
                               p->who, p->date, p->has_reason ? p->reason : NULL};
    c->resp.resdata = epp_domain_infdata(inf);
    epp_response_add_ext(&c->resp, epp_changepoll_data(chg));
    return REG_OK;
}

static struct epp_part pending_part(struct eppd_cmd *c, const struct poll_pending *p)
{
    struct epp_domain_pan *pan = EPPD_NEW(c, struct epp_domain_pan);
    if (!pan)
        return (struct epp_part){EPP_SVC_NONE, NULL, NULL};
    *pan = (struct epp_domain_pan){p->name, p->result, p->cltrid, p->svtrid, p->date};
    return epp_domain_pandata(pan);
}

static void poll_release(void *m) { poll_msg_free(m); }

static reg_err poll_execute(struct eppd_cmd *c)
{
    const struct epp_poll *in = &c->req.u.poll;
    db *d = c->env->db;
    int64_t count = 0;
    c->resp.has_msgq = true;
    if (in->ack) {
        if (poll_ack(d, c->session->registrar_id, in->msgid, &count, &c->st))
            return c->st.code;
        eppd_ok(c, EPP_OK);
        c->resp.msgq_count = count;
        c->resp.msgq_id = in->msgid;
        return REG_OK;
    }
    struct poll_msg *m = EPPD_NEW(c, struct poll_msg);
    bool found;
    if (!m || poll_peek(d, c->session->registrar_id, &count, m, &found, &c->st))
        return c->st.code;
    if (!found) {
        c->resp.has_msgq = false;
        eppd_ok(c, EPP_OK_NO_MESSAGES);
        return REG_OK;
    }
    eppd_defer(c, poll_release, m);
    eppd_ok(c, EPP_OK_MESSAGES);
    c->resp.msgq_count = count;
    c->resp.msgq_id = arena_printf(&c->arena, "%lld", (long long)m->id);
    c->resp.msgq_date = m->created_at;
    c->resp.msgq_text = m->message;
    switch (m->kind) {
    case POLL_TRANSFER:
        c->resp.resdata = transfer_part(c, &m->u.transfer);
        break;
    case POLL_CHANGE:
        return change_parts(c, &m->u.change);
    case POLL_PENDING:
        c->resp.resdata = pending_part(c, &m->u.pending);
        break;
    case POLL_NOTICE:
        break;
    }
    return c->resp.msgq_id ? c->st.code : eppd_nomem(c);
}

const struct eppd_handler eppd_session_handlers[] = {
    {EPP_CMD_HELLO, EPP_OBJ_NONE, EPPD_ANYTIME, NULL, hello_execute, true},
    {EPP_CMD_LOGIN, EPP_OBJ_NONE, EPPD_BEFORE_LOGIN, login_check, login_execute, false},
    {EPP_CMD_LOGOUT, EPP_OBJ_NONE, EPPD_LOGGED_IN, NULL, logout_execute, false},
    {EPP_CMD_POLL, EPP_OBJ_NONE, EPPD_LOGGED_IN, NULL, poll_execute, false},
    {0, 0, 0, NULL, NULL, false},
};
