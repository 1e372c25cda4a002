#include "lifecycle.h"

#include <stdio.h>
#include <string.h>

#include "billing.h"
#include "domain_change.h"
#include "domain_store.h"
#include "notices.h"
#include "registrant_invoice.h"
#include "transfer_domain.h"

/* Calls step(op, id, name, sponsor_id, expires_at) for every domain the
 * query returns (id, name, sponsor_id, expires_at), binding `now` to each
 * '?'. Rows are fetched one at a time because step changes them. */
typedef reg_err (*domain_step)(const struct reg_op *op, int64_t id, const char *name,
                               int64_t sponsor, reg_time expires, reg_status *st);

#define DUE_BATCH 1000

struct due {
    int64_t id, sponsor;
    reg_time expires;
    char name[NAME_MAX_LEN + 1];
};

/* Each run takes up to DUE_BATCH due domains (the jobs run again until
 * none is left); a step that declines one (REG_ERR_BILLING) leaves it for
 * the next stage of the lifecycle. */
static reg_err for_each_due(const struct reg_op *op, const char *sql, int nbinds, reg_time when,
                            domain_step step, int *count, reg_status *st)
{
    static _Thread_local struct due due[DUE_BATCH];
    size_t n = 0;
    *count = 0;
    db_stmt *s = db_query(op->db, sql);
    for (int i = 1; i <= nbinds; i++)
        db_bind_int(s, i, when);
    while (n < DUE_BATCH && db_next(s)) {
        due[n].id = db_col_int(s, 0);
        snprintf(due[n].name, sizeof due[n].name, "%s", db_col_text(s, 1));
        due[n].sponsor = db_col_int(s, 2);
        due[n].expires = db_col_int(s, 3);
        n++;
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    for (size_t i = 0; i < n; i++) {
        e = step(op, due[i].id, due[i].name, due[i].sponsor, due[i].expires, st);
        if (e == REG_ERR_BILLING)
            continue;
        if (e)
            return e;
        (*count)++;
    }
    return REG_OK;
}

/* The domain's expiry moves a year on; history and the sponsor's poll
 * message follow. */
static reg_err extend(const struct reg_op *op, int64_t id, const char *name, reg_time next,
                      reg_status *st)
{
    if (domain_store_set_expiry(op, id, next, false, st) ||
        domain_record_version(op, name, "autorenew", st))
        return st->code;
    return domain_notify_change(op, name, "autoRenew", "renewed at expiry", st);
}

static reg_err renew_one(const struct reg_op *op, int64_t id, const char *name, int64_t sponsor,
                         reg_time expires, reg_status *st)
{
    /* R23: debited like a renewal; without funds the domain expires */
    if (billing_charge(op, sponsor, "autorenew", 1, "domain", name, NULL, st))
        return st->code;
    return extend(op, id, name, clock_add_months(expires, 12), st);
}

/* R19: the registry renews a registrant-managed domain and invoices its
 * registrant; the registrar is not debited (it still gets the poll
 * message). The invoice counter is locked before the domain row. */
static reg_err renew_for_registrant(const struct reg_op *op, int64_t id, const char *name,
                                    int64_t sponsor, reg_time expires, reg_status *st)
{
    (void)sponsor;
    reg_time next = clock_add_months(expires, 12);
    if (registrant_invoice_renewal(op, id, "autorenew", 1, expires, next, NULL, st))
        return st->code;
    return extend(op, id, name, next, st);
}

reg_err lifecycle_autorenew(const struct reg_op *op, int *count, reg_status *st)
{
    *count = 0;
    if (!op->policy->autorenew)
        return REG_OK;
    int by_registrant = 0;
    if (for_each_due(op,
                     "SELECT id, name, sponsor_id, expires_at FROM domain WHERE expires_at <= ? "
                     "AND delete_requested_at IS NULL AND management = 'registrar' "
                     "ORDER BY expires_at",
                     1, op->now, renew_one, count, st) ||
        for_each_due(op,
                     "SELECT id, name, sponsor_id, expires_at FROM domain WHERE expires_at <= ? "
                     "AND delete_requested_at IS NULL AND management = 'registrant' "
                     "ORDER BY expires_at",
                     1, op->now, renew_for_registrant, &by_registrant, st))
        return st->code;
    *count += by_registrant;
    return REG_OK;
}

static reg_err hold_one(const struct reg_op *op, int64_t id, const char *name, int64_t sponsor,
                        reg_time expires, reg_status *st)
{
    (void)sponsor;
    (void)expires;
    reg_err e = status_add(op->db, "domain", id, "serverHold", "expired");
    if (e)
        return op_db_fail(op, st, e);
    if (domain_record_version(op, name, "hold-expired", st))
        return st->code;
    return domain_notify_change(op, name, "update", "expired: serverHold", st);
}

reg_err lifecycle_hold_expired(const struct reg_op *op, int *count, reg_status *st)
{
    return for_each_due(op,
                        "SELECT d.id, d.name, d.sponsor_id, d.expires_at FROM domain d WHERE "
                        "d.expires_at <= ? AND d.delete_requested_at IS NULL AND NOT EXISTS "
                        "(SELECT 1 FROM object_status o WHERE o.object_kind = 'domain' AND "
                        "o.object_id = d.id AND o.status = 'serverHold')",
                        1, op->now - op->policy->hold_after, hold_one, count, st);
}

static reg_err delete_one(const struct reg_op *op, int64_t id, const char *name, int64_t sponsor,
                          reg_time expires, reg_status *st)
{
    (void)expires;
    if (domain_transfer_cancel_pending(op, id, st))
        return st->code;
    if (domain_store_set_deletion(op, id,
                                  op->now + op->policy->redemption_period +
                                      op->policy->pending_delete_period,
                                  false, st))
        return st->code;
    reg_err e = status_add(op->db, "domain", id, "pendingDelete", NULL);
    if (e)
        return op_db_fail(op, st, e);
    (void)sponsor;
    if (domain_record_version(op, name, "delete-expired", st))
        return st->code;
    return domain_notify_change(op, name, "autoDelete",
                                "expired; in redemption period", st);
}

reg_err lifecycle_delete_expired(const struct reg_op *op, int *count, reg_status *st)
{
    return for_each_due(op,
                        "SELECT id, name, sponsor_id, expires_at FROM domain WHERE expires_at <= ? "
                        "AND delete_requested_at IS NULL ORDER BY expires_at",
                        1, op->now - op->policy->delete_after, delete_one, count, st);
}

static reg_err notice_one(const struct reg_op *op, int64_t id, const char *name, int64_t sponsor,
                          reg_time expires, reg_status *st)
{
    (void)name;
    (void)sponsor;
    int mails = 0;
    if (notice_expired(op, id, expires, &mails, st))
        return st->code;
    return domain_store_set_expiry_notice(op, id, expires, st);
}

reg_err lifecycle_expiry_notice(const struct reg_op *op, int *count, reg_status *st)
{
    /* a domain in redemption was deleted, by its registrar or by the
     * domain-delete job: it is past the point of an expiry notice */
    return for_each_due(op,
                        "SELECT id, name, sponsor_id, expires_at FROM domain WHERE expires_at <= ? "
                        "AND delete_requested_at IS NULL AND (expiry_notice_for IS NULL OR "
                        "expiry_notice_for <> expires_at) ORDER BY expires_at",
                        1, op->now - LIFECYCLE_EXPIRY_NOTICE_AFTER, notice_one, count, st);
}
