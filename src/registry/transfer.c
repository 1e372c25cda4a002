/* Domain transfers (RFC 5731 §3.2.4). [transfer] mode = immediate moves the
 * domain at once on correct auth info (the ccTLD norm); pending leaves it
 * for the losing registrar to approve or reject, approved automatically
 * after [transfer] pending_period. Both sides get poll messages. Whichever
 * way the domain moves, its contacts follow as copies (R4,
 * transfer_contacts.c). A one-time password from the registrant (R16,
 * otp.c) in place of the auth info moves the domain at once in either
 * mode; without auth info and without a password nothing moves (R14). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "billing.h"
#include "contrib/secret.h"
#include "domain_internal.h"
#include "authinfo_request.h"
#include "host.h"
#include "otp.h"
#include "poll.h"
#include "registrar.h"
#include "transfer.h"

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

/* The domain's latest transfer: *tid (0 if none), and in *years the
 * period it was requested (and paid) for, 0 without one. */
static reg_err latest(const struct reg_op *op, int64_t domain_id, int64_t *tid,
                      struct domain_transfer_info *out, int *years, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT t.id, t.status, g.handle, l.handle, t.requested_at, "
                                  "t.action_at, t.new_expires_at, t.period_years "
                                  "FROM transfer t JOIN registrar g "
                                  "ON g.id = t.gaining_id JOIN registrar l ON l.id = t.losing_id "
                                  "WHERE t.object_kind = 'domain' AND t.object_id = ? "
                                  "ORDER BY t.id DESC LIMIT 1");
    db_bind_int(s, 1, domain_id);
    *tid = 0;
    *years = 0;
    if (db_next(s)) {
        *tid = db_col_int(s, 0);
        copy(out->status, sizeof out->status, db_col_text(s, 1));
        copy(out->gaining, sizeof out->gaining, db_col_text(s, 2));
        copy(out->losing, sizeof out->losing, db_col_text(s, 3));
        out->requested_at = db_col_int(s, 4);
        out->action_at = db_col_int(s, 5);
        out->has_expiry = !db_col_is_null(s, 6);
        out->new_expires_at = db_col_int(s, 6);
        *years = db_col_is_null(s, 7) ? 0 : (int)db_col_int(s, 7);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* A poll message whose data lets the EPP layer render <domain:trnData>. */
static reg_err notify(const struct reg_op *op, const char *to_handle,
                      const struct domain_transfer_info *t, const char *text, reg_status *st)
{
    int64_t to = registrar_id_by_handle(op->db, to_handle);
    if (!to)
        return REG_OK;
    struct poll_transfer p = {.object = POLL_OBJ_DOMAIN,
                              .requested_at = t->requested_at,
                              .action_at = t->action_at,
                              .has_expiry = t->has_expiry,
                              .new_expires_at = t->new_expires_at};
    copy(p.name, sizeof p.name, t->name);
    copy(p.status, sizeof p.status, t->status);
    copy(p.gaining, sizeof p.gaining, t->gaining);
    copy(p.losing, sizeof p.losing, t->losing);
    char msg[512];
    snprintf(msg, sizeof msg, "Transfer of %s %s: %s", t->name, t->status, text);
    return poll_enqueue_transfer(op->db, to, &p, msg, st);
}

/* Moves the domain to the gaining registrar; the old auth info dies with
 * the move (the losing registrar knows it). */
static reg_err move(const struct reg_op *op, int64_t domain_id, const char *gaining,
                    int period_months, reg_time expires, reg_time *new_expiry, reg_status *st)
{
    int64_t gid = registrar_id_by_handle(op->db, gaining);
    *new_expiry = period_months ? clock_add_months(expires, period_months) : expires;
    db_stmt *s = db_query(op->db, "UPDATE domain SET sponsor_id = ?, transferred_at = ?, "
                                  "authinfo_hash = NULL, expires_at = ?, updated_at = ?, "
                                  "updater_id = ? WHERE id = ?");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, op->now);
    db_bind_int(s, 3, *new_expiry);
    db_bind_int(s, 4, op->now);
    db_bind_int(s, 5, gid);
    db_bind_int(s, 6, domain_id);
    reg_err e = db_run(s);
    if (!e)
        e = status_remove(op->db, "domain", domain_id, "pendingTransfer");
    if (e)
        return op_db_fail(op, st, e);
    /* R15: an auth-code request is moot now; R16: so are passwords */
    if (authinfo_requests_close(op, domain_id, "transferred", st) ||
        otp_void_domain(op, domain_id, st))
        return st->code;
    /* RFC 5732 §3.2.4: subordinate hosts move with their domain; R4: its
     * contacts follow as copies; R37: it joins the gaining registrar's
     * account of its (copied) registrant */
    if (host_transfer_subordinates(op, domain_id, gid, st) ||
        transfer_contacts_follow(op, domain_id, gid, gaining, st))
        return st->code;
    return account_attach_domain(op, domain_id, st);
}

static reg_err insert_transfer(const struct reg_op *op, int64_t domain_id,
                               const struct domain_transfer_info *t, int period_years,
                               int64_t charged, reg_status *st)
{
    db_stmt *s = db_query(op->db, "INSERT INTO transfer (object_kind, object_id, status, "
                                  "gaining_id, losing_id, requested_at, action_at, period_years, "
                                  "new_expires_at, charged) VALUES ('domain', ?, ?, ?, ?, ?, ?, ?, "
                                  "?, ?)");
    db_bind_int(s, 1, domain_id);
    db_bind_text(s, 2, t->status);
    db_bind_int(s, 3, registrar_id_by_handle(op->db, t->gaining));
    db_bind_int(s, 4, registrar_id_by_handle(op->db, t->losing));
    db_bind_int(s, 5, t->requested_at);
    db_bind_int(s, 6, t->action_at);
    if (period_years)
        db_bind_int(s, 7, period_years);
    else
        db_bind_null(s, 7);
    if (t->has_expiry)
        db_bind_int(s, 8, t->new_expires_at);
    else
        db_bind_null(s, 8);
    db_bind_int(s, 9, charged);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* The domain's auth info, or else this registrar's one-time password
 * (*by_otp); a wrong password sets out->wrong_otp for the caller to count. */
static reg_err authorize(const struct reg_op *op, const struct domain *d, const char *hash,
                         const char *authinfo, bool *by_otp, struct domain_transfer_info *out,
                         reg_status *st)
{
    bool given = authinfo && *authinfo;
    *by_otp = false;
    if (given && d->has_authinfo && secret_authinfo_verify(hash, authinfo))
        return REG_OK;
    if (given) {
        reg_err e = otp_redeem(op, d, authinfo, by_otp, &out->wrong_otp, st);
        if (e || *by_otp)
            return e;
    }
    if (!d->has_authinfo) /* R14: never without the registrant's consent */
        return reg_fail(st, REG_ERR_AUTHINFO,
                        "%s has no auth info: ask for a one-time password to the registrant with "
                        "<regd:otp channel=\"email\"/> (or \"sms\") in a transfer request (R14, "
                        "R16)",
                        d->name.alabel);
    return reg_fail(st, REG_ERR_AUTHINFO, "the auth info for %s is not correct", d->name.alabel);
}

static reg_err request(const struct reg_op *op, struct domain *d, const char *hash,
                       const char *authinfo, int period_months, struct domain_transfer_info *out,
                       bool *pending, reg_status *st)
{
    if (domain_is_sponsor(op, d))
        return reg_fail(st, REG_ERR_NOT_TRANSFERABLE, "%s is already yours", d->name.alabel);
    if (status_has(&d->statuses, "pendingTransfer"))
        return reg_fail(st, REG_ERR_PENDING, "a transfer of %s is already pending", d->name.alabel);
    if (status_allows(&d->statuses, OP_TRANSFER, st))
        return st->code;
    bool by_otp;
    if (authorize(op, d, hash, authinfo, &by_otp, out, st))
        return st->code;
    if (period_months % 12 || period_months / 12 > op->policy->max_period)
        return reg_fail(st, REG_ERR_POLICY, "a transfer period is 1..%d whole years",
                        op->policy->max_period);
    if (period_months && clock_add_months(d->expires_at, period_months) >
                             clock_add_months(op->now, op->policy->max_period * 12))
        return reg_fail(st, REG_ERR_POLICY, "the new expiry would be more than %d years ahead",
                        op->policy->max_period);
    copy(out->gaining, sizeof out->gaining, op->actor);
    copy(out->losing, sizeof out->losing, d->sponsor);
    out->requested_at = op->now;
    out->has_expiry = period_months > 0;
    out->new_expires_at = period_months ? clock_add_months(d->expires_at, period_months)
                                        : d->expires_at;
    /* R23: the gaining registrar pays at the request; a rejected or
     * cancelled transfer is refunded */
    int64_t charged = 0;
    int years = period_months ? period_months / 12 : 1;
    if (billing_charge(op, op->registrar_id, "transfer", years, "domain", d->name.alabel, &charged,
                       st))
        return st->code;
    /* R16: the registrant's own consent needs no approval by the sponsor */
    *pending = !op->policy->transfer_immediate && !by_otp;
    if (*pending) {
        copy(out->status, sizeof out->status, "pending");
        out->action_at = op->now + op->policy->transfer_pending_period;
        reg_err e = status_add(op->db, "domain", d->id, "pendingTransfer", NULL);
        if (e)
            return op_db_fail(op, st, e);
        if (insert_transfer(op, d->id, out, period_months / 12, charged, st) ||
            notify(op, out->losing, out, "approve or reject it", st))
            return st->code;
        return domain_record_version(op, d->name.alabel, "transfer-request", st);
    }
    copy(out->status, sizeof out->status, "serverApproved");
    out->action_at = op->now;
    reg_time exp;
    if (move(op, d->id, out->gaining, period_months, d->expires_at, &exp, st) ||
        insert_transfer(op, d->id, out, period_months / 12, charged, st) ||
        notify(op, out->losing, out,
               by_otp ? "the domain has left your account (the registrant consented with a "
                        "one-time password, R16)"
                      : "the domain has left your account",
               st) ||
        notify(op, out->gaining, out,
               by_otp ? "the domain is now yours (one-time password)" : "the domain is now yours",
               st))
        return st->code;
    return domain_record_version(op, d->name.alabel, "transfer", st);
}

/* Gives back what the gaining registrar paid for a transfer that failed. */
static reg_err refund(const struct reg_op *op, int64_t tid, const struct domain_transfer_info *t,
                      reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT charged, gaining_id FROM transfer WHERE id = ?");
    db_bind_int(s, 1, tid);
    int64_t charged = 0, gaining = 0;
    if (db_next(s)) {
        charged = db_col_int(s, 0);
        gaining = db_col_int(s, 1);
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!charged)
        return REG_OK;
    char text[300];
    snprintf(text, sizeof text, "refund: transfer of %s %s", t->name, t->status);
    struct ledger_entry le = {.registrar_id = gaining, .amount = charged, .kind = "refund",
                              .operation = "transfer", .object_kind = "domain",
                              .object_name = t->name, .text = text};
    return billing_post(op, &le, NULL, st);
}

/* Moves the domain whose transfer (*t, paid for `years`) was approved,
 * adding those years to its expiry as it is now (an autorenew while the
 * transfer was pending has moved it); t->new_expires_at follows. */
static reg_err complete(const struct reg_op *op, struct domain *d, int years,
                        struct domain_transfer_info *t, reg_status *st)
{
    reg_time exp;
    if (move(op, d->id, t->gaining, years * 12, d->expires_at, &exp, st))
        return st->code;
    if (t->has_expiry)
        t->new_expires_at = exp;
    return REG_OK;
}

static reg_err act(const struct reg_op *op, transfer_op top, struct domain *d, int64_t tid,
                   int years, struct domain_transfer_info *t, reg_status *st)
{
    if (!tid || strcmp(t->status, "pending"))
        return reg_fail(st, REG_ERR_NOT_PENDING, "no transfer of %s is pending", d->name.alabel);
    bool loser = !strcmp(op->actor, t->losing), gainer = !strcmp(op->actor, t->gaining);
    if ((top == XFER_CANCEL && !gainer) || (top != XFER_CANCEL && !loser))
        return reg_fail(st, REG_ERR_AUTHZ, top == XFER_CANCEL
                                               ? "only the requesting registrar may cancel"
                                               : "only the sponsoring registrar may decide");
    const char *status = top == XFER_APPROVE ? "clientApproved"
                         : top == XFER_REJECT ? "clientRejected"
                                              : "clientCancelled";
    copy(t->status, sizeof t->status, status);
    t->action_at = op->now;
    reg_err e;
    if (top == XFER_APPROVE) {
        if (complete(op, d, years, t, st))
            return st->code;
    } else if ((e = status_remove(op->db, "domain", d->id, "pendingTransfer"))) {
        return op_db_fail(op, st, e);
    } else if (refund(op, tid, t, st)) {
        return st->code;
    }
    if (transfer_close(op, tid, status, op->now, t->has_expiry ? &t->new_expires_at : NULL, st))
        return st->code;
    const char *other = top == XFER_CANCEL ? t->losing : t->gaining;
    if (notify(op, other, t, status, st))
        return st->code;
    return domain_record_version(op, d->name.alabel,
                                 top == XFER_APPROVE ? "transfer" : "transfer-closed", st);
}

reg_err domain_transfer(const struct reg_op *op, transfer_op top, const char *name,
                        const char *authinfo, int period_months, struct domain_transfer_info *out,
                        bool *pending, reg_status *st)
{
    struct domain d;
    char hash[SECRET_AUTHINFO_HASH_LEN] = "";
    memset(out, 0, sizeof *out);
    *pending = false;
    if (domain_load_input(op, name, &d, hash, sizeof hash, st))
        return st->code;
    copy(out->name, sizeof out->name, d.name.alabel);
    reg_err e;
    int64_t tid = 0;
    int years = 0;
    if (top == XFER_REQUEST) {
        e = request(op, &d, hash, authinfo, period_months, out, pending, st);
    } else if ((e = latest(op, d.id, &tid, out, &years, st))) {
        /* st set */
    } else if (top == XFER_QUERY) {
        bool party = domain_is_sponsor(op, &d) || (tid && !strcmp(op->actor, out->gaining)) ||
                     (authinfo && secret_authinfo_verify(hash, authinfo));
        if (!tid)
            e = reg_fail(st, REG_ERR_NOT_PENDING, "%s has no transfer to report", d.name.alabel);
        else if (!party && authinfo && *authinfo)
            e = reg_fail(st, REG_ERR_AUTHINFO, "the auth info for %s is not correct",
                         d.name.alabel);
        else if (!party)
            e = reg_fail(st, REG_ERR_AUTHZ, "only the parties of the transfer may query it");
        copy(out->name, sizeof out->name, d.name.alabel);
    } else {
        e = act(op, top, &d, tid, years, out, st);
    }
    domain_free(&d);
    return e;
}

reg_err domain_transfer_cancel_pending(const struct reg_op *op, int64_t domain_id, reg_status *st)
{
    struct domain_transfer_info t = {0};
    int64_t tid = 0;
    int years;
    if (latest(op, domain_id, &tid, &t, &years, st))
        return st->code;
    if (!tid || strcmp(t.status, "pending"))
        return REG_OK;
    db_stmt *s = db_query(op->db, "SELECT name FROM domain WHERE id = ?");
    db_bind_int(s, 1, domain_id);
    if (db_next(s))
        copy(t.name, sizeof t.name, db_col_text(s, 0));
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    copy(t.status, sizeof t.status, "serverCancelled");
    t.action_at = op->now;
    if (transfer_close(op, tid, t.status, op->now, NULL, st))
        return st->code;
    if ((e = status_remove(op->db, "domain", domain_id, "pendingTransfer")))
        return op_db_fail(op, st, e);
    if (refund(op, tid, &t, st) || notify(op, t.gaining, &t, "the domain is being deleted", st) ||
        notify(op, t.losing, &t, "the domain is being deleted", st))
        return st->code;
    return REG_OK;
}

reg_err transfer_close(const struct reg_op *op, int64_t tid, const char *status, reg_time at,
                       const reg_time *new_expires_at, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE transfer SET status = ?, action_at = ?, new_expires_at = "
                                  "COALESCE(?, new_expires_at) WHERE id = ?");
    db_bind_text(s, 1, status);
    db_bind_int(s, 2, at);
    if (new_expires_at)
        db_bind_int(s, 3, *new_expires_at);
    else
        db_bind_null(s, 3);
    db_bind_int(s, 4, tid);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err transfer_next_due(const struct reg_op *op, const char *kind, int64_t *tid, char *key,
                          size_t keylen, reg_status *st)
{
    const char *sql = !strcmp(kind, "domain")
                          ? "SELECT t.id, d.name FROM transfer t JOIN domain d ON d.id = "
                            "t.object_id WHERE t.object_kind = 'domain' AND t.status = "
                            "'pending' AND t.action_at <= ? ORDER BY t.id LIMIT 1"
                          : "SELECT t.id, c.handle FROM transfer t JOIN contact c ON c.id = "
                            "t.object_id WHERE t.object_kind = 'contact' AND t.status = "
                            "'pending' AND t.action_at <= ? ORDER BY t.id LIMIT 1";
    db_stmt *s = db_query(op->db, sql);
    db_bind_int(s, 1, op->now);
    *tid = 0;
    if (db_next(s)) {
        *tid = db_col_int(s, 0);
        copy(key, keylen, db_col_text(s, 1));
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err domain_transfer_auto_approve(const struct reg_op *op, int *count, reg_status *st)
{
    *count = 0;
    for (;;) {
        int64_t tid = 0;
        char name[NAME_MAX_LEN + 1] = "";
        reg_err e;
        if (transfer_next_due(op, "domain", &tid, name, sizeof name, st))
            return st->code;
        if (!tid)
            return REG_OK;
        struct domain d;
        struct domain_transfer_info t = {0};
        int64_t latest_id;
        int years;
        if (domain_load_input(op, name, &d, NULL, 0, st))
            return st->code;
        e = latest(op, d.id, &latest_id, &t, &years, st);
        copy(t.name, sizeof t.name, d.name.alabel);
        if (!e) {
            copy(t.status, sizeof t.status, "serverApproved");
            t.action_at = op->now;
            if (complete(op, &d, years, &t, st) ||
                transfer_close(op, tid, t.status, op->now,
                               t.has_expiry ? &t.new_expires_at : NULL, st) ||
                notify(op, t.gaining, &t, "approved automatically", st) ||
                notify(op, t.losing, &t, "approved automatically", st) ||
                domain_record_version(op, d.name.alabel, "transfer", st))
                e = st->code;
        }
        domain_free(&d);
        if (e)
            return e;
        (*count)++;
    }
}
