/* Domain transfers (RFC 5731 §3.2.4) through the transfer engine
 * (transfer.c): what is particular to a domain. The gaining registrar
 * pays the period (R23). Whichever way the domain moves, its subordinate
 * hosts go with it, its contacts follow as copies (R4,
 * transfer_contacts.c) and it joins the gaining registrar's account of
 * its registrant (R37). A one-time password from the registrant (R16,
 * otp.c) in place of the auth info moves the domain at once in either
 * mode; without auth info and without a password nothing moves (R14). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_store.h"
#include "authinfo_request.h"
#include "contrib/secret.h"
#include "contrib/strutil.h"
#include "domain_auth.h"
#include "domain_store.h"
#include "host.h"
#include "otp.h"
#include "transfer_domain.h"

struct loaded {
    struct domain d;
    char hash[SECRET_AUTHINFO_HASH_LEN];
};

static reg_err load(const struct reg_op *op, const char *key, bool lock, struct transfer_object *o,
                    reg_status *st)
{
    (void)lock; /* the domain's writes serialise on the registrar and transfer rows */
    struct loaded *x = o->obj;
    if (domain_load_input(op, key, &x->d, x->hash, sizeof x->hash, st))
        return st->code;
    o->id = x->d.id;
    str_copy(o->key, sizeof o->key, x->d.name.alabel);
    str_copy(o->sponsor, sizeof o->sponsor, x->d.sponsor);
    o->statuses = &x->d.statuses;
    o->expires_at = x->d.expires_at;
    return REG_OK;
}

static void release(void *obj)
{
    struct loaded *x = obj;
    domain_free(&x->d);
}

static reg_err check_authinfo(const struct reg_op *op, const struct transfer_object *o,
                              const struct reg_authinfo *auth, reg_status *st)
{
    const struct loaded *x = o->obj;
    return domain_authinfo_check(op, &x->d, x->hash, auth, st);
}

/* The domain's auth info, or else this registrar's one-time password
 * (*by_otp); a wrong password sets *wrong_otp for the caller to count. */
static reg_err authorize(const struct reg_op *op, const struct transfer_object *o,
                         const struct reg_authinfo *auth, bool *by_otp, int64_t *wrong_otp,
                         reg_status *st)
{
    const struct loaded *x = o->obj;
    bool given = auth && auth->pw && *auth->pw;
    if (given && auth->roid && *auth->roid) /* a contact's password: no one-time password */
        return check_authinfo(op, o, auth, st);
    reg_status ignored;
    if (given && !check_authinfo(op, o, auth, &ignored))
        return REG_OK;
    if (given) {
        reg_err e = otp_redeem(op, &x->d, auth->pw, by_otp, wrong_otp, st);
        if (e || *by_otp)
            return e;
    }
    if (!x->d.has_authinfo) /* R14: never without the registrant's consent */
        return reg_fail(st, REG_ERR_AUTHINFO,
                        "%s has no auth info: ask for a one-time password to the registrant with "
                        "<regd:otp channel=\"email\"/> (or \"sms\") in a transfer request",
                        o->key);
    return reg_fail(st, REG_ERR_AUTHINFO, "the auth info for %s is not correct", o->key);
}

/* Moves the domain to the gaining registrar; the old auth info dies with
 * the move (the losing registrar knows it). */
static reg_err move(const struct reg_op *op, const struct transfer_object *o, int64_t gid,
                    const char *gaining, int months, reg_time *new_expiry, reg_status *st)
{
    *new_expiry = months ? clock_add_months(o->expires_at, months) : o->expires_at;
    if (domain_store_move(op, o->id, gid, *new_expiry, st))
        return st->code;
    reg_err e = status_remove(op->db, "domain", o->id, "pendingTransfer");
    if (e)
        return op_db_fail(op, st, e);
    /* R15: an auth-code request is moot now; R16: so are passwords */
    if (authinfo_requests_close(op, o->id, "transferred", st) || otp_void_domain(op, o->id, st))
        return st->code;
    /* RFC 5732 §3.2.4: subordinate hosts move with their domain; R4: its
     * contacts follow as copies; R37: it joins the gaining registrar's
     * account of its (copied) registrant */
    if (host_transfer_subordinates(op, o->id, gid, st) ||
        transfer_contacts_follow(op, o->id, gid, gaining, st))
        return st->code;
    return account_attach_domain(op, o->id, st);
}

static bool text(enum transfer_event ev, const struct poll_transfer *t, bool by_otp,
                 const char *who, char *buf, size_t n)
{
    (void)who;
    const char *what = "";
    switch (ev) {
    case TRANSFER_ASKED: what = "approve or reject it"; break;
    case TRANSFER_LEFT:
        what = by_otp ? "the domain has left your account (the registrant consented with a "
                        "one-time password)"
                      : "the domain has left your account";
        break;
    case TRANSFER_ARRIVED:
        what = by_otp ? "the domain is now yours (one-time password)" : "the domain is now yours";
        break;
    case TRANSFER_DECIDED: what = t->status; break;
    case TRANSFER_AUTO: what = "approved automatically"; break;
    case TRANSFER_WITHDRAWN: what = "the domain is being deleted"; break;
    }
    snprintf(buf, n, "Transfer of %s %s: %s", t->name, t->status, what);
    return true;
}

static const struct transfer_kind domain_kind = {
    .name = "domain",
    .poll = POLL_OBJ_DOMAIN,
    .noun = "",
    .paid = true,
    .obj_size = sizeof(struct loaded),
    .load = load,
    .release = release,
    .key_sql = "SELECT name FROM domain WHERE id = ?",
    .check_authinfo = check_authinfo,
    .authorize = authorize,
    .move = move,
    .record_version = domain_record_version,
    .text = text,
};

reg_err domain_transfer(const struct reg_op *op, transfer_op top, const char *name,
                        const struct reg_authinfo *auth, int period_months,
                        struct domain_transfer_info *out, bool *pending, reg_status *st)
{
    struct poll_transfer t;
    int64_t wrong_otp;
    reg_err e = transfer_run(op, &domain_kind, top, name, auth, period_months, &t, pending,
                             &wrong_otp, st);
    memset(out, 0, sizeof *out);
    str_copy(out->name, sizeof out->name, t.name);
    transfer_info_copy(&t, out->status, out->gaining, out->losing, &out->requested_at,
                       &out->action_at);
    out->has_expiry = t.has_expiry;
    out->new_expires_at = t.new_expires_at;
    out->wrong_otp = wrong_otp;
    return e;
}

reg_err domain_transfer_cancel_pending(const struct reg_op *op, int64_t domain_id, reg_status *st)
{
    return transfer_cancel_pending(op, &domain_kind, domain_id, st);
}

reg_err domain_transfer_auto_approve(const struct reg_op *op, int *count, reg_status *st)
{
    return transfer_approve_due(op, &domain_kind, count, st);
}
