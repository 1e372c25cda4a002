/* The registrant's decision on a pending action (R7): a confirmation
 * applies the stored command through the domain operations, as the
 * registrar that asked for it; see pending.h. */
#include <stdio.h>
#include <string.h>

#include "contrib/strutil.h"
#include "domain.h"
#include "pending_internal.h"

/* Applies the stored command as the registrar that asked for it, on the
 * registrant's word. A failure rolls everything back to where it was. The
 * action is marked confirmed first: a delete may purge the domain, and the
 * purge cancels whatever is still pending on it. */
static reg_err apply(const struct reg_op *op, struct pending_action *a, reg_status *st)
{
    struct reg_op as = *op;
    as.registrar_id = a->registrar_id;
    as.actor = a->v.registrar_handle; /* its command, on the registrant's word (channel web) */
    if (db_savepoint(op->db, "pending_apply"))
        return op_db_fail(op, st, REG_ERR_DB);
    reg_err e = pending_set_state(op, a, "confirmed", NULL, st);
    if (!e)
        e = pending_lift_status(op, a, NULL, st);
    if (!e && !strcmp(a->v.kind, PENDING_KIND_DELETE)) {
        bool rgp;
        e = domain_delete(&as, a->v.domain, &rgp, st);
    } else if (!e) {
        json_t *o = a->command ? json_loads(a->command, 0, NULL) : NULL;
        struct domain_update u;
        if (!o)
            e = reg_fail(st, REG_ERR_INTERNAL, "the stored command cannot be read");
        else {
            pending_update_from_json(o, &u);
            e = domain_update(&as, &u, st);
        }
        json_decref(o);
    }
    if (!e)
        return db_release(op->db, "pending_apply") ? op_db_fail(op, st, REG_ERR_DB) : REG_OK;
    str_copy(a->v.state, sizeof a->v.state, "pending");
    if (db_rollback_to(op->db, "pending_apply") || db_release(op->db, "pending_apply"))
        return op_db_fail(op, st, REG_ERR_DB);
    return e;
}

/* The decision on loaded action a (freed here), whichever way it was found. */
static reg_err decide(const struct reg_op *op, struct pending_action a, bool confirm,
                      struct pending_view *out, reg_status *st)
{
    /* past its time but not yet dropped by the job: refused, nothing written */
    if (!strcmp(a.v.state, "pending") && op->now >= a.v.expires_at)
        str_copy(a.v.state, sizeof a.v.state, "expired");
    if (strcmp(a.v.state, "pending")) {
        *out = a.v;
        pending_action_free(&a);
        return reg_fail(st, REG_ERR_NOT_PENDING, "this request was already %s", out->state);
    }
    reg_err e;
    if (!confirm) {
        e = pending_drop(op, &a, "rejected", NULL, st);
    } else {
        reg_status why = {0};
        if (apply(op, &a, &why) == REG_OK)
            e = pending_tell_registrar(op, &a, "confirmed by the registrant and applied", st);
        else if (reg_err_is_system(why.code))
            e = reg_fail(st, why.code, "%s", why.reason);
        else if (!(e = pending_drop(op, &a, "failed", why.reason, st)))
            str_copy(a.v.reason, sizeof a.v.reason, why.reason);
    }
    *out = a.v;
    pending_action_free(&a);
    return e;
}

reg_err pending_decide(const struct reg_op *op, const char *token, bool confirm,
                       struct pending_view *out, reg_status *st)
{
    struct pending_action a;
    if (pending_load_by_token(op, token, &a, st))
        return st->code;
    return decide(op, a, confirm, out, st);
}

reg_err pending_decide_held(const struct reg_op *op, int64_t contact_id, int64_t id,
                            bool confirm, struct pending_view *out, reg_status *st)
{
    struct pending_action a;
    if (pending_load_held(op, contact_id, id, &a, st))
        return st->code;
    return decide(op, a, confirm, out, st);
}
