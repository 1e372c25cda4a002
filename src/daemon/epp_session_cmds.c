/* Session commands (RFC 5730 §2.9.1–2.9.2): hello, login, logout, poll,
 * and the dispatch table of every command handler. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/secret.h"
#include "epp/ns.h"
#include "epp/result.h"
#include "epp_internal.h"
#include "registry/poll.h"
#include "registry/registrar.h"

void epp_reply(struct epp_ctx *c, int code)
{
    c->code = code;
    epp_w_result(c->w, code, NULL);
}

void epp_reply_msg(struct epp_ctx *c, int code, const char *msg)
{
    c->code = code;
    epp_w_result_msg(c->w, code, msg, NULL);
}

/* hello → greeting (RFC 5730 §2.3) */
static reg_err hello_execute(struct epp_ctx *c, reg_status *st)
{
    size_t len;
    c->raw_response = epp_greeting("registryd", c->now, &len);
    c->code = EPP_OK;
    return c->raw_response ? REG_OK : reg_fail(st, REG_ERR_NOMEM, "out of memory");
}

struct login_state {
    struct registrar registrar;
    char new_hash[SECRET_PWHASH_LEN];
};

static void login_free(void *data)
{
    struct login_state *ls = data;
    registrar_free(&ls->registrar);
    free(ls);
}

static bool known_uri(const char *uri, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(uri, list[i]))
            return true;
    return false;
}

static reg_err login_options(const struct epp_login *l, reg_status *st)
{
    if (strcmp(l->version, "1.0"))
        return reg_fail(st, REG_ERR_VERSION, "EPP version %s is not supported; use 1.0", l->version);
    if (strcmp(l->lang, "en"))
        return reg_fail(st, REG_ERR_UNIMPLEMENTED_OPTION, "language %s is not supported; use en",
                        l->lang);
    for (int i = 0; i < l->n_obj; i++)
        if (!known_uri(l->obj_uris[i], epp_object_uris, epp_object_uri_count))
            return reg_fail(st, REG_ERR_UNIMPLEMENTED_OBJECT, "object service %s is not served",
                            l->obj_uris[i]);
    for (int i = 0; i < l->n_ext; i++)
        if (!known_uri(l->ext_uris[i], epp_extension_uris, epp_extension_uri_count))
            return reg_fail(st, REG_ERR_UNIMPLEMENTED_EXTENSION, "extension %s is not served",
                            l->ext_uris[i]);
    return REG_OK;
}

/* Password and certificate checks run here, outside the batch transaction:
 * argon2id is deliberately slow. */
static reg_err login_check(struct epp_ctx *c, reg_status *st)
{
    const struct epp_login *l = &c->cmd.login;
    if (c->session->logged_in)
        return reg_fail(st, REG_ERR_USE, "already logged in; log out first");
    if (login_options(l, st))
        return st->code;
    if (l->has_newpw && registrar_password_check(l->newpw, st))
        return REG_ERR_POLICY;
    struct login_state *ls = epp_state_new(c, sizeof *ls, login_free, st);
    if (!ls)
        return st->code;
    const char *fp = c->session->cert_fp[0] ? c->session->cert_fp : NULL;
    reg_err e = registrar_authenticate(c->db, l->clid, l->pw, fp, c->session->peer, &ls->registrar, st);
    if (e == REG_ERR_AUTH) {
        c->job->login_failed = true;
        reg_log(LOG_WARN, "epp", c->session->id, "login-failed", "clid=%s peer=%s", l->clid,
                c->session->peer);
        if (c->session->login_failures + 1 >= c->cfg->epp_max_login_failures) {
            c->force_code = EPP_AUTH_CLOSING;
            c->job->close_after = true;
        }
        return e;
    }
    if (e)
        return e;
    if (l->has_newpw && secret_password_hash(l->newpw, ls->new_hash))
        return reg_fail(st, REG_ERR_NOMEM, "cannot hash the new password");
    return REG_OK;
}

static reg_err login_execute(struct epp_ctx *c, reg_status *st)
{
    struct login_state *ls = c->data;
    if (!epp_server_take_slot(c->server, ls->registrar.id)) {
        c->force_code = EPP_SESSION_LIMIT;
        return reg_fail(st, REG_ERR_SESSION_LIMIT, "%s already has %lld sessions open",
                        ls->registrar.handle, (long long)c->cfg->epp_max_sessions);
    }
    c->job->holds_session_slot = true;
    c->job->new_registrar_id = ls->registrar.id;
    if (ls->new_hash[0] && registrar_store_password_hash(c->db, ls->registrar.id, ls->new_hash, st))
        return st->code;
    c->job->login_ok = true;
    snprintf(c->job->new_clid, sizeof c->job->new_clid, "%s", ls->registrar.handle);
    reg_log(LOG_INFO, "epp", c->session->id, "login", "clid=%s", ls->registrar.handle);
    epp_reply(c, EPP_OK);
    return REG_OK;
}

static reg_err logout_execute(struct epp_ctx *c, reg_status *st)
{
    (void)st;
    c->job->close_after = true;
    epp_reply(c, EPP_OK_BYE);
    return REG_OK;
}

static reg_err poll_execute(struct epp_ctx *c, reg_status *st)
{
    int64_t count = 0;
    if (c->cmd.poll.ack) {
        if (poll_ack(c->db, c->session->registrar_id, c->cmd.poll.msgid, &count, st))
            return st->code;
        epp_reply(c, EPP_OK);
        epp_w_msgq(c->w, count, c->cmd.poll.msgid, 0, NULL);
        return REG_OK;
    }
    struct poll_msg m;
    bool found;
    if (poll_peek(c->db, c->session->registrar_id, &count, &m, &found, st))
        return st->code;
    if (!found) {
        epp_reply(c, EPP_OK_NO_MESSAGES);
        return REG_OK;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)m.id);
    epp_reply(c, EPP_OK_MESSAGES);
    epp_w_msgq(c->w, count, id, m.created_at, m.message);
    if (m.kind == POLL_TRANSFER && m.u.transfer.object == POLL_OBJ_CONTACT)
        epp_contact_write_poll_data(c->w, &m);
    else if (m.kind != POLL_NOTICE)
        epp_domain_write_poll_data(c->w, &m);
    poll_msg_free(&m);
    return REG_OK;
}

const struct epp_handler epp_session_handlers[] = {
    {EPP_CMD_HELLO, EPP_OBJ_NONE, false, NULL, hello_execute, true},
    {EPP_CMD_LOGIN, EPP_OBJ_NONE, false, login_check, login_execute, false},
    {EPP_CMD_LOGOUT, EPP_OBJ_NONE, true, NULL, logout_execute, false},
    {EPP_CMD_POLL, EPP_OBJ_NONE, true, NULL, poll_execute, false},
    {0, 0, false, NULL, NULL, false},
};

const struct epp_handler *epp_handler_find(epp_cmd_kind kind, epp_obj_kind obj)
{
    static const struct epp_handler *const tables[] = {
        epp_session_handlers, epp_contact_handlers, epp_host_handlers, epp_domain_handlers,
        epp_account_handlers,
    };
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct epp_handler *h = tables[t]; h->execute; h++)
            if (h->kind == kind && h->obj == obj)
                return h;
    return NULL;
}

void *epp_state_new(struct epp_ctx *c, size_t size, void (*free_data)(void *), reg_status *st)
{
    void *p = calloc(1, size);
    if (!p) {
        reg_fail(st, REG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    c->data = p;
    c->free_data = free_data;
    return p;
}

struct reg_op epp_op(const struct epp_ctx *c)
{
    struct reg_op op = {
        .db = c->db,
        .policy = c->policy,
        .registrar_id = c->session->registrar_id,
        .actor = c->session->clid,
        .channel = "epp",
        .svtrid = c->svtrid,
        .cltrid = c->cmd.cltrid[0] ? c->cmd.cltrid : NULL,
        .now = c->now,
    };
    return op;
}
