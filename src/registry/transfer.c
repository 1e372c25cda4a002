/* The transfer engine (transfer.h): one implementation of RFC 5731 / 5733
 * §3.2.4 for every object kind. [transfer] mode = immediate moves the
 * object at once on correct auth info (the ccTLD norm); pending leaves it
 * for the losing registrar to approve or reject, approved automatically
 * after [transfer] pending_period. The parties get poll messages. */
#include "transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "contrib/strutil.h"

static bool given(const struct reg_authinfo *auth) { return auth && auth->pw && *auth->pw; }

/* ---- the transfer table --------------------------------------------------- */

/* The object's latest transfer: *tid (0 if none), and in *years the
 * period it was requested (and paid) for, 0 without one. */
static reg_err latest(const struct reg_op *op, const struct transfer_kind *k, int64_t object_id,
                      int64_t *tid, int *years, struct poll_transfer *t, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT t.id, t.status, g.handle, l.handle, t.requested_at, "
                                  "t.action_at, t.new_expires_at, t.period_years "
                                  "FROM transfer t JOIN registrar g "
                                  "ON g.id = t.gaining_id JOIN registrar l ON l.id = t.losing_id "
                                  "WHERE t.object_kind = ? AND t.object_id = ? "
                                  "ORDER BY t.id DESC LIMIT 1");
    db_bind_text(s, 1, k->name);
    db_bind_int(s, 2, object_id);
    *tid = 0;
    *years = 0;
    if (db_next(s)) {
        *tid = db_col_int(s, 0);
        str_copy(t->status, sizeof t->status, db_col_text(s, 1));
        str_copy(t->gaining, sizeof t->gaining, db_col_text(s, 2));
        str_copy(t->losing, sizeof t->losing, db_col_text(s, 3));
        t->requested_at = db_col_int(s, 4);
        t->action_at = db_col_int(s, 5);
        t->has_expiry = !db_col_is_null(s, 6);
        t->new_expires_at = db_col_int(s, 6);
        *years = db_col_is_null(s, 7) ? 0 : (int)db_col_int(s, 7);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err insert(const struct reg_op *op, const struct transfer_kind *k, int64_t object_id,
                      const struct poll_transfer *t, int years, int64_t charged, reg_status *st)
{
    db_stmt *s = db_query(op->db, "INSERT INTO transfer (object_kind, object_id, status, "
                                  "gaining_id, losing_id, requested_at, action_at, period_years, "
                                  "new_expires_at, charged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(s, 1, k->name);
    db_bind_int(s, 2, object_id);
    db_bind_text(s, 3, t->status);
    db_bind_int(s, 4, registrar_id_by_handle(op->db, t->gaining));
    db_bind_int(s, 5, registrar_id_by_handle(op->db, t->losing));
    db_bind_int(s, 6, t->requested_at);
    db_bind_int(s, 7, t->action_at);
    db_bind_int_or_null(s, 8, years, years);
    db_bind_int_or_null(s, 9, t->has_expiry, t->new_expires_at);
    db_bind_int(s, 10, charged);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* Records how a pending transfer ended: t's status and action time and,
 * for an object that moved with a new expiry, that expiry. */
static reg_err close_row(const struct reg_op *op, int64_t tid, const struct poll_transfer *t,
                         reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE transfer SET status = ?, action_at = ?, new_expires_at = "
                                  "COALESCE(?, new_expires_at) WHERE id = ?");
    db_bind_text(s, 1, t->status);
    db_bind_int(s, 2, t->action_at);
    db_bind_int_or_null(s, 3, t->has_expiry, t->new_expires_at);
    db_bind_int(s, 4, tid);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* A poll message to registrar `to` (a handle) about t, if the kind has
 * something to tell it. */
static reg_err notify(const struct reg_op *op, const struct transfer_kind *k, const char *to,
                      enum transfer_event ev, const struct poll_transfer *t, bool by_otp,
                      const char *who, reg_status *st)
{
    char text[512];
    int64_t id = registrar_id_by_handle(op->db, to);
    if (!id || !k->text(ev, t, by_otp, who, text, sizeof text))
        return REG_OK;
    return poll_enqueue_transfer(op->db, id, t, text, st);
}

/* R23: gives back what the gaining registrar paid for a transfer that
 * did not happen. */
static reg_err refund(const struct reg_op *op, const struct transfer_kind *k, int64_t tid,
                      const struct poll_transfer *t, reg_status *st)
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
                              .operation = "transfer", .object_kind = k->name,
                              .object_name = t->name, .text = text};
    return billing_post(op, &le, NULL, st);
}

/* The object by key, in memory the caller frees with unload(). */
static reg_err load(const struct reg_op *op, const struct transfer_kind *k, const char *key,
                    bool lock, struct transfer_object *o, reg_status *st)
{
    memset(o, 0, sizeof *o);
    o->obj = calloc(1, k->obj_size);
    if (!o->obj)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    reg_err e = k->load(op, key, lock, o, st);
    if (e) {
        free(o->obj);
        o->obj = NULL;
    }
    return e;
}

static void unload(const struct transfer_kind *k, struct transfer_object *o)
{
    if (o->obj)
        k->release(o->obj);
    free(o->obj);
    o->obj = NULL;
}

void transfer_info_copy(const struct poll_transfer *t, char status[24],
                        char gaining[REGISTRAR_HANDLE_MAX + 1],
                        char losing[REGISTRAR_HANDLE_MAX + 1], reg_time *requested_at,
                        reg_time *action_at)
{
    str_copy(status, 24, t->status);
    str_copy(gaining, REGISTRAR_HANDLE_MAX + 1, t->gaining);
    str_copy(losing, REGISTRAR_HANDLE_MAX + 1, t->losing);
    *requested_at = t->requested_at;
    *action_at = t->action_at;
}

/* The stored key of object `id`; "" if it is gone. */
static reg_err key_of(const struct reg_op *op, const struct transfer_kind *k, int64_t id,
                      char *key, size_t n, reg_status *st)
{
    db_stmt *s = db_query(op->db, k->key_sql);
    db_bind_int(s, 1, id);
    str_copy(key, n, db_next(s) ? db_col_text(s, 0) : "");
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* ---- request ------------------------------------------------------------------ */

static reg_err check_period(const struct reg_op *op, const struct transfer_object *o, int months,
                            reg_status *st)
{
    if (months % 12 || months / 12 > op->policy->max_period)
        return reg_fail(st, REG_ERR_POLICY, "a transfer period is 1..%d whole years",
                        op->policy->max_period);
    if (months && clock_add_months(o->expires_at, months) >
                      clock_add_months(op->now, op->policy->max_period * 12))
        return reg_fail(st, REG_ERR_POLICY, "the new expiry would be more than %d years ahead",
                        op->policy->max_period);
    return REG_OK;
}

static reg_err request(const struct reg_op *op, const struct transfer_kind *k,
                       const struct transfer_object *o, const struct reg_authinfo *auth,
                       int months, struct poll_transfer *t, bool *pending, int64_t *wrong_otp,
                       reg_status *st)
{
    char me[REGISTRAR_HANDLE_MAX + 1];
    if (!op->registrar_id)
        return reg_fail(st, REG_ERR_INVALID, "a transfer is requested by a registrar");
    if (registrar_handle_of(op->db, op->registrar_id, me, st))
        return st->code;
    if (!strcmp(me, o->sponsor))
        return reg_fail(st, REG_ERR_NOT_TRANSFERABLE, "%s%s is already yours", k->noun, o->key);
    if (status_has(o->statuses, "pendingTransfer"))
        return reg_fail(st, REG_ERR_PENDING, "a transfer of %s%s is already pending", k->noun,
                        o->key);
    if (status_allows(o->statuses, OP_TRANSFER, st))
        return st->code;
    bool by_otp = false;
    if (k->authorize(op, o, auth, &by_otp, wrong_otp, st) || check_period(op, o, months, st))
        return st->code;
    str_copy(t->gaining, sizeof t->gaining, me);
    str_copy(t->losing, sizeof t->losing, o->sponsor);
    t->requested_at = op->now;
    t->has_expiry = months > 0;
    t->new_expires_at = months ? clock_add_months(o->expires_at, months) : o->expires_at;
    /* R23: the gaining registrar pays at the request; a rejected or
     * cancelled transfer is refunded */
    int64_t charged = 0;
    if (k->paid && billing_charge(op, op->registrar_id, "transfer", months ? months / 12 : 1,
                                  k->name, o->key, &charged, st))
        return st->code;
    /* R16: the registrant's own consent needs no approval by the sponsor */
    *pending = !op->policy->transfer_immediate && !by_otp;
    if (*pending) {
        str_copy(t->status, sizeof t->status, "pending");
        t->action_at = op->now + op->policy->transfer_pending_period;
        reg_err e = status_add(op->db, k->name, o->id, "pendingTransfer", NULL);
        if (e)
            return op_db_fail(op, st, e);
        if (insert(op, k, o->id, t, months / 12, charged, st) ||
            notify(op, k, t->losing, TRANSFER_ASKED, t, false, me, st))
            return st->code;
        return k->record_version(op, o->key, "transfer-request", st);
    }
    str_copy(t->status, sizeof t->status, "serverApproved");
    t->action_at = op->now;
    reg_time exp;
    if (k->move(op, o, op->registrar_id, me, months, &exp, st) ||
        insert(op, k, o->id, t, months / 12, charged, st) ||
        notify(op, k, t->losing, TRANSFER_LEFT, t, by_otp, me, st) ||
        notify(op, k, t->gaining, TRANSFER_ARRIVED, t, by_otp, me, st))
        return st->code;
    return k->record_version(op, o->key, "transfer", st);
}

/* ---- approve, reject, cancel ----------------------------------------------------- */

/* Moves the object whose transfer (*t, paid for `years`) was approved,
 * adding those years to its expiry as it is now (an autorenew while the
 * transfer was pending has moved it); t->new_expires_at follows. */
static reg_err complete(const struct reg_op *op, const struct transfer_kind *k,
                        const struct transfer_object *o, int years, struct poll_transfer *t,
                        reg_status *st)
{
    reg_time exp;
    if (k->move(op, o, registrar_id_by_handle(op->db, t->gaining), t->gaining, years * 12, &exp,
                st))
        return st->code;
    if (t->has_expiry)
        t->new_expires_at = exp;
    return REG_OK;
}

static reg_err act(const struct reg_op *op, const struct transfer_kind *k, transfer_op top,
                   const struct transfer_object *o, int64_t tid, int years,
                   struct poll_transfer *t, reg_status *st)
{
    if (!tid || strcmp(t->status, "pending"))
        return reg_fail(st, REG_ERR_NOT_PENDING, "no transfer of %s%s is pending", k->noun,
                        o->key);
    char me[REGISTRAR_HANDLE_MAX + 1] = "";
    if (op->registrar_id && registrar_handle_of(op->db, op->registrar_id, me, st))
        return st->code;
    bool staff = op->registrar_id == 0;
    bool loser = staff || !strcmp(me, t->losing), gainer = staff || !strcmp(me, t->gaining);
    if (top == XFER_CANCEL && !gainer)
        return reg_fail(st, REG_ERR_AUTHZ, "only %s, who requested the transfer of %s%s, may "
                                           "cancel it",
                        t->gaining, k->noun, o->key);
    if (top != XFER_CANCEL && !loser)
        return reg_fail(st, REG_ERR_AUTHZ,
                        "only %s, the sponsor of %s%s, may approve or reject its transfer",
                        t->losing, k->noun, o->key);
    str_copy(t->status, sizeof t->status,
         top == XFER_APPROVE  ? "clientApproved"
         : top == XFER_REJECT ? "clientRejected"
                              : "clientCancelled");
    t->action_at = op->now;
    reg_err e;
    if (top == XFER_APPROVE) {
        if (complete(op, k, o, years, t, st))
            return st->code;
    } else if ((e = status_remove(op->db, k->name, o->id, "pendingTransfer"))) {
        return op_db_fail(op, st, e);
    } else if (refund(op, k, tid, t, st)) {
        return st->code;
    }
    if (close_row(op, tid, t, st) ||
        notify(op, k, top == XFER_CANCEL ? t->losing : t->gaining, TRANSFER_DECIDED, t, false, me,
               st))
        return st->code;
    return k->record_version(op, o->key,
                             top == XFER_APPROVE  ? "transfer"
                             : top == XFER_REJECT ? "transfer-reject"
                                                  : "transfer-cancel",
                             st);
}

/* ---- query ------------------------------------------------------------------------ */

/* The latest transfer, for its parties, the sponsor (and staff) or a
 * holder of the auth info. */
static reg_err query(const struct reg_op *op, const struct transfer_kind *k,
                     const struct transfer_object *o, const struct reg_authinfo *auth, int64_t tid,
                     const struct poll_transfer *t, reg_status *st)
{
    if (!tid)
        return reg_fail(st, REG_ERR_NOT_PENDING, "no transfer of %s%s has been requested",
                        k->noun, o->key);
    char me[REGISTRAR_HANDLE_MAX + 1] = "";
    if (!op->registrar_id)
        return REG_OK;
    if (registrar_handle_of(op->db, op->registrar_id, me, st))
        return st->code;
    if (!strcmp(me, o->sponsor) || !strcmp(me, t->gaining) || !strcmp(me, t->losing))
        return REG_OK;
    if (given(auth))
        return k->check_authinfo(op, o, auth, st);
    return reg_fail(st, REG_ERR_AUTHZ,
                    "only the sponsor, the parties of the transfer or a holder of the auth info "
                    "may query the transfer of %s%s",
                    k->noun, o->key);
}

reg_err transfer_run(const struct reg_op *op, const struct transfer_kind *k, transfer_op top,
                     const char *key, const struct reg_authinfo *auth, int period_months,
                     struct poll_transfer *out, bool *pending, int64_t *wrong_otp,
                     reg_status *st)
{
    struct transfer_object o = {0};
    memset(out, 0, sizeof *out);
    out->object = k->poll;
    *pending = false;
    *wrong_otp = 0;
    if (load(op, k, key, top != XFER_QUERY, &o, st))
        return st->code;
    str_copy(out->name, sizeof out->name, o.key);
    reg_err e;
    int64_t tid = 0;
    int years = 0;
    if (top == XFER_REQUEST)
        e = request(op, k, &o, auth, period_months, out, pending, wrong_otp, st);
    else if ((e = latest(op, k, o.id, &tid, &years, out, st)))
        ; /* st set */
    else if (top == XFER_QUERY)
        e = query(op, k, &o, auth, tid, out, st);
    else
        e = act(op, k, top, &o, tid, years, out, st);
    unload(k, &o);
    return e;
}

/* ---- the registry's decisions ------------------------------------------------------- */

/* The oldest pending transfer of kind k whose automatic approval is due:
 * *tid (0 when there is none) and its object's id. */
static reg_err next_due(const struct reg_op *op, const struct transfer_kind *k, int64_t *tid,
                        int64_t *object_id, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT id, object_id FROM transfer WHERE object_kind = ? AND "
                                  "status = 'pending' AND action_at <= ? ORDER BY id LIMIT 1");
    db_bind_text(s, 1, k->name);
    db_bind_int(s, 2, op->now);
    *tid = 0;
    if (db_next(s)) {
        *tid = db_col_int(s, 0);
        *object_id = db_col_int(s, 1);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err approve_due(const struct reg_op *op, const struct transfer_kind *k, int64_t tid,
                           int64_t object_id, reg_status *st)
{
    char key[NAME_MAX_LEN + 1];
    struct poll_transfer t = {.object = k->poll};
    if (key_of(op, k, object_id, key, sizeof key, st))
        return st->code;
    if (!key[0]) { /* deleted meanwhile: nothing to approve */
        str_copy(t.status, sizeof t.status, "serverCancelled");
        t.action_at = op->now;
        return close_row(op, tid, &t, st);
    }
    struct transfer_object o = {0};
    int64_t latest_id;
    int years;
    if (load(op, k, key, true, &o, st))
        return st->code;
    str_copy(t.name, sizeof t.name, o.key);
    reg_err e = latest(op, k, o.id, &latest_id, &years, &t, st);
    if (!e) {
        /* acDate stays: it is when the approval was due */
        str_copy(t.status, sizeof t.status, "serverApproved");
        if (complete(op, k, &o, years, &t, st) || close_row(op, tid, &t, st) ||
            notify(op, k, t.losing, TRANSFER_AUTO, &t, false, "", st) ||
            notify(op, k, t.gaining, TRANSFER_AUTO, &t, false, "", st) ||
            k->record_version(op, o.key, "transfer", st))
            e = st->code;
    }
    unload(k, &o);
    return e;
}

reg_err transfer_approve_due(const struct reg_op *op, const struct transfer_kind *k, int *count,
                              reg_status *st)
{
    *count = 0;
    for (;;) {
        int64_t tid, object_id;
        if (next_due(op, k, &tid, &object_id, st))
            return st->code;
        if (!tid)
            return REG_OK;
        if (approve_due(op, k, tid, object_id, st))
            return st->code;
        (*count)++;
    }
}

reg_err transfer_cancel_pending(const struct reg_op *op, const struct transfer_kind *k,
                                int64_t id, reg_status *st)
{
    struct poll_transfer t = {.object = k->poll};
    int64_t tid = 0;
    int years;
    if (latest(op, k, id, &tid, &years, &t, st))
        return st->code;
    if (!tid || strcmp(t.status, "pending"))
        return REG_OK;
    if (key_of(op, k, id, t.name, sizeof t.name, st))
        return st->code;
    str_copy(t.status, sizeof t.status, "serverCancelled");
    t.action_at = op->now;
    reg_err e;
    if (close_row(op, tid, &t, st))
        return st->code;
    if ((e = status_remove(op->db, k->name, id, "pendingTransfer")))
        return op_db_fail(op, st, e);
    if (refund(op, k, tid, &t, st) ||
        notify(op, k, t.gaining, TRANSFER_WITHDRAWN, &t, false, "", st) ||
        notify(op, k, t.losing, TRANSFER_WITHDRAWN, &t, false, "", st))
        return st->code;
    return REG_OK;
}
