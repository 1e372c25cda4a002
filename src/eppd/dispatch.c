/* One command through the table (eppd.h): decode, the login rule and the
 * login services, the handler's check and execute steps, the response. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "eppd_internal.h"

struct eppd_defer {
    void (*fn)(void *);
    void *arg;
    struct eppd_defer *next;
};

static const struct eppd_handler *const tables[] = {
    eppd_session_handlers, eppd_domain_handlers, eppd_contact_handlers, eppd_host_handlers,
    eppd_account_handlers,
};

static const struct eppd_handler *find(epp_cmd_kind kind, epp_obj_kind obj)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct eppd_handler *h = tables[t]; h->execute; h++)
            if (h->kind == kind && h->obj == obj)
                return h;
    return NULL;
}

/* ---- helpers for handlers (eppd_internal.h) -------------------------------------- */

struct reg_op eppd_op(const struct eppd_cmd *c)
{
    struct reg_op op = {
        .db = c->env->db,
        .policy = c->env->policy,
        .registrar_id = c->session->registrar_id,
        .actor = c->session->clid,
        .channel = c->session->channel[0] ? c->session->channel : "epp",
        .svtrid = c->svtrid,
        .cltrid = c->req.cltrid[0] ? c->req.cltrid : NULL,
        .now = c->now,
    };
    return op;
}

void eppd_ok(struct eppd_cmd *c, int code)
{
    c->resp.code = code;
}

void eppd_ok_msg(struct eppd_cmd *c, int code, const char *msg)
{
    c->resp.code = code;
    c->resp.msg = msg;
}

reg_err eppd_answer(struct eppd_cmd *c, bool failed)
{
    if (failed)
        return c->st.code;
    eppd_ok(c, EPP_OK);
    return REG_OK;
}

reg_err eppd_created(struct eppd_cmd *c, epp_svc svc, const char *name, int64_t cr_date,
                     int64_t ex_date)
{
    struct epp_created *out = EPPD_NEW(c, struct epp_created);
    char *copy = out ? eppd_strdup(c, name) : NULL;
    if (!copy)
        return c->st.code;
    *out = (struct epp_created){svc, copy, cr_date, ex_date};
    eppd_ok(c, EPP_OK);
    c->resp.resdata = epp_credata(out);
    return REG_OK;
}

reg_err eppd_check_keys(struct eppd_cmd *c, epp_svc svc, const struct epp_names *ids,
                        eppd_check_fn check)
{
    struct reg_op op = eppd_op(c);
    struct epp_check_data *out = EPPD_NEW(c, struct epp_check_data);
    struct epp_check_item *items = out ? EPPD_ARRAY(c, struct epp_check_item, ids->n) : NULL;
    if (!items)
        return c->st.code;
    *out = (struct epp_check_data){svc, items, ids->n};
    for (size_t i = 0; i < ids->n; i++) {
        char reason[160];
        if (check(&op, ids->items[i], &items[i].avail, reason, &c->st))
            return c->st.code;
        items[i].key = ids->items[i];
        items[i].reason = items[i].avail ? NULL : eppd_strdup(c, reason);
    }
    eppd_ok(c, EPP_OK);
    c->resp.resdata = epp_chkdata(out);
    return REG_OK;
}

reg_err eppd_nomem(struct eppd_cmd *c)
{
    return reg_fail(&c->st, REG_ERR_NOMEM, "out of memory");
}

void *eppd_alloc(struct eppd_cmd *c, size_t size)
{
    void *p = arena_alloc(&c->arena, size);
    if (!p)
        eppd_nomem(c);
    return p;
}

char *eppd_strdup(struct eppd_cmd *c, const char *s)
{
    char *p = arena_strdup(&c->arena, s ? s : "");
    if (!p)
        eppd_nomem(c);
    return p;
}

void eppd_defer(struct eppd_cmd *c, void (*fn)(void *), void *arg)
{
    struct eppd_defer *d = arena_alloc(&c->arena, sizeof *d);
    if (!d) { /* cannot be remembered: run it now rather than leak */
        fn(arg);
        return;
    }
    d->fn = fn;
    d->arg = arg;
    d->next = c->defers;
    c->defers = d;
}

const char *eppd_pw(const struct epp_authinfo *a)
{
    return a->given ? a->pw : NULL;
}

/* ---- the pipeline ------------------------------------------------------------------- */

void eppd_cmd_init(struct eppd_cmd *c, const struct eppd_env *env,
                   const struct eppd_session *session, const char *svtrid, reg_time now)
{
    memset(c, 0, sizeof *c);
    c->env = env;
    c->session = session;
    snprintf(c->svtrid, sizeof c->svtrid, "%s", svtrid);
    c->now = now;
    arena_init(&c->arena, EPP_REQUEST_ARENA_MAX);
}

static void fail(struct eppd_cmd *c, reg_err code, const char *reason)
{
    c->failed = true;
    reg_fail(&c->st, code, "%s", reason);
}

/* RFC 5730 §2.9.1.1: a session uses the objects and extensions it announced
 * at login. A command on another object is 2307, one carrying another
 * extension 2103 (docs/epp.md, "Login services"). */
static bool announced(struct eppd_cmd *c)
{
    epp_svcs missing = c->req.svcs & ~c->session->services;
    if (!missing)
        return true;
    for (int s = 0; s < EPP_SVC__COUNT; s++) {
        if (!(missing & EPP_SVC_BIT(s)))
            continue;
        char reason[200];
        if (s < EPP_SVC_OBJECTS) {
            snprintf(reason, sizeof reason, "object service %s was not announced at login: log "
                     "in with it in <svcs>", epp_svc_uri((epp_svc)s));
            fail(c, REG_ERR_UNIMPLEMENTED_OBJECT, reason);
        } else {
            snprintf(reason, sizeof reason, "extension %s was not announced at login: log in "
                     "with it in <svcExtension>", epp_svc_uri((epp_svc)s));
            fail(c, REG_ERR_UNIMPLEMENTED_EXTENSION, reason);
        }
        return false;
    }
    return true;
}

/* fail() for prepare: the command is prepared (as a failure) */
static bool failed(struct eppd_cmd *c, reg_err e, const char *reason)
{
    fail(c, e, reason);
    return true;
}

static bool prepare(struct eppd_cmd *c, const char *frame, size_t len, bool only_reads)
{
    bool in = c->session->logged_in;
    snprintf(c->name, sizeof c->name, "unparsed");
    /* before login a peer may be anyone: a login is small, and nothing
     * bigger gets parsed (issue 12: expensive XML before login) */
    if (!in && len > EPPD_LOGIN_FRAME_MAX) {
        char reason[120];
        snprintf(reason, sizeof reason,
                 "before login only <hello> and <login> are taken, at most %d bytes",
                 EPPD_LOGIN_FRAME_MAX);
        return failed(c, REG_ERR_SYNTAX, reason);
    }
    struct epp_decoder *x;
    reg_err e = epp_decode_read(frame, len, &c->arena, &c->req, &x, &c->st);
    c->parsed = c->req.redacted != NULL;
    if (e == REG_ERR_UNIMPLEMENTED_OBJECT && !in) { /* before login an object is not asked about */
        snprintf(c->name, sizeof c->name, "invalid");
        c->req.bad_ns = c->req.bad_name = NULL;
        return failed(c, REG_ERR_USE,
                      "log in first: only <hello> and <login> are allowed before login");
    }
    if (e) {
        snprintf(c->name, sizeof c->name, c->parsed ? "invalid" : "unparsed");
        c->failed = true;
        return true;
    }
    snprintf(c->name, sizeof c->name, "invalid");
    bool known = c->req.kind != EPP_CMD__COUNT;
    c->handler = known ? find(c->req.kind, c->req.obj) : NULL;
    if (only_reads && c->handler && !c->handler->read_only) {
        epp_decoder_free(x);
        return false;
    }
    /* the login rule before the schema check: before login nothing but
     * <hello> and <login> costs a validation */
    enum eppd_login_rule rule = c->handler ? c->handler->login : EPPD_LOGGED_IN;
    if (known && rule == EPPD_LOGGED_IN && !in) {
        epp_decoder_free(x);
        epp_request_name(&c->req, c->name, sizeof c->name);
        return failed(c, REG_ERR_USE,
                      "log in first: only <hello> and <login> are allowed before login");
    }
    if (epp_decode_finish(x, &c->st)) {
        c->failed = true;
        return true;
    }
    epp_request_name(&c->req, c->name, sizeof c->name);
    if (rule == EPPD_BEFORE_LOGIN && in)
        return failed(c, REG_ERR_USE, "already logged in; log out first");
    if (!c->handler) {
        char reason[96];
        snprintf(reason, sizeof reason, "%s is not implemented by this server", c->name);
        return failed(c, REG_ERR_UNIMPLEMENTED, reason);
    }
    if (in && !announced(c))
        return true;
    if (c->handler->check && c->handler->check(c))
        c->failed = true;
    return true;
}

void eppd_prepare(struct eppd_cmd *c, const char *frame, size_t len)
{
    prepare(c, frame, len, false);
}

bool eppd_prepare_reads(struct eppd_cmd *c, const char *frame, size_t len)
{
    return prepare(c, frame, len, true);
}

bool eppd_runs(const struct eppd_cmd *c)
{
    return !c->failed && c->handler && c->handler->execute;
}

bool eppd_read_only(const struct eppd_cmd *c)
{
    return c->failed || (c->handler && c->handler->read_only);
}

reg_err eppd_execute(struct eppd_cmd *c)
{
    reg_err e = c->handler->execute(c);
    if (e)
        c->failed = true;
    return e;
}

void eppd_retry(struct eppd_cmd *c)
{
    /* the check step's state stays: it was made outside the transaction */
    memset(&c->resp, 0, sizeof c->resp);
    c->after_failure = NULL;
    c->failed = false;
    c->force_code = 0;
    reg_status_clear(&c->st);
}

bool eppd_has_after_failure(const struct eppd_cmd *c)
{
    return c->failed && c->after_failure;
}

reg_err eppd_after_failure(struct eppd_cmd *c, reg_status *st)
{
    return c->after_failure(c, st);
}

void eppd_fail(struct eppd_cmd *c, reg_err code, const char *reason)
{
    c->failed = true;
    c->force_code = 0;
    c->out.login_ok = false;
    c->st.code = code;
    snprintf(c->st.reason, sizeof c->st.reason, "%s", reason ? reason : "");
}

/* Before login anyone may send anything: a session that has failed
 * [epp] max_errors times before logging in is answered 2500 and closed
 * (hellos in between do not help; failed logins count on their own, up to
 * max_login_failures). */
static void error_before_login(struct eppd_cmd *c)
{
    c->out.error_before_login = true;
    if (epp_result_closes(c->resp.code) ||
        c->session->errors_before_login + 1 < c->env->cfg->epp_max_errors)
        return;
    size_t n = sizeof c->st.reason + 96;
    char *reason = arena_alloc(&c->arena, n);
    if (reason)
        snprintf(reason, n, "%s%sclosing the session: %lld errors before login",
                 c->resp.reason ? c->resp.reason : "", c->resp.reason ? "; " : "",
                 (long long)c->env->cfg->epp_max_errors);
    c->resp.code = EPP_FAILED_CLOSING;
    c->resp.reason = reason ? reason : "closing the session: too many errors before login";
}

char *eppd_response(struct eppd_cmd *c, size_t *len, int *code)
{
    char *xml;
    if (c->greeting && !c->failed) {
        xml = c->greeting;
        c->greeting = NULL;
        *len = strlen(xml);
        *code = EPP_OK;
        return xml;
    }
    if (c->failed) {
        /* an error answers nothing but its result */
        struct epp_response err = {
            .code = c->force_code ? c->force_code : epp_result_for(c->st.code),
            .reason = c->st.reason[0] ? c->st.reason : NULL,
            .value_ns = c->req.bad_ns,
            .value_name = c->req.bad_name,
        };
        c->resp = err;
        if (!c->session->logged_in && !c->out.login_failed)
            error_before_login(c);
    }
    *code = c->resp.code;
    if (epp_result_closes(*code))
        c->out.close_after = true;
    /* before login every service is the client's (a greeting lists them) */
    epp_svcs svcs = c->session->logged_in ? c->session->services : EPP_SVCS_ALL;
    xml = epp_response_write(&c->resp, svcs, c->req.cltrid, c->svtrid, len);
    if (!xml)
        reg_log(LOG_ERROR, "epp", c->session->id, "encode-failed", "svtrid=%s", c->svtrid);
    return xml;
}

void eppd_cmd_release(struct eppd_cmd *c)
{
    for (struct eppd_defer *d = c->defers; d; d = d->next)
        d->fn(d->arg);
    c->defers = NULL;
    free(c->greeting);
    c->greeting = NULL;
    arena_free(&c->arena);
}
