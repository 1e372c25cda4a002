#include "lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "contrib/log.h"
#include "domain_change.h"
#include "domain_store.h"
#include "notices.h"
#include "registrant_invoice.h"
#include "transfer_domain.h"

/* A step on one due domain (id, name, sponsor_id, expires_at,
 * management). */
typedef reg_err (*domain_step)(const struct reg_op *op, int64_t id, const char *name,
                               int64_t sponsor, reg_time expires, const char *management,
                               reg_status *st);

struct due {
    int64_t id, sponsor;
    reg_time expires;
    char name[NAME_MAX_LEN + 1];
    char management[16];
};

/* Which domains a step is due on: `where` on domain d, its one '?' bound
 * to op->now - `before` (how long after expiry the step comes). */
struct due_rule {
    const char *where;
    reg_time (*before)(const struct registry_policy *p);
};

/* How many domains rule r finds due at op->now. */
static reg_err count_due(const struct reg_op *op, const struct due_rule *r, int64_t *n,
                         reg_status *st)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM domain d WHERE %s", r->where);
    db_stmt *s = db_query(op->db, sql);
    db_bind_int(s, 1, op->now - r->before(op->policy));
    *n = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* One batch: up to b->limit domains rule r finds due with an id above
 * b->after, in id order so a domain a step changes (and leaves due, or
 * declines) is not met again in this run. The rows are read first because
 * the steps change them. A step that declines one (REG_ERR_BILLING: no
 * funds) leaves it for the next stage of the lifecycle. */
static reg_err for_each_due(const struct reg_op *op, const struct due_rule *r, domain_step step,
                            struct due_batch *b, reg_status *st)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT d.id, d.name, d.sponsor_id, d.expires_at, d.management FROM domain d "
             "WHERE %s AND d.id > ? ORDER BY d.id LIMIT ?",
             r->where);
    int limit = b->limit > 0 ? b->limit : LIFECYCLE_BATCH;
    struct due *due = malloc((size_t)limit * sizeof *due);
    if (!due)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    int n = 0;
    db_stmt *s = db_query(op->db, sql);
    db_bind_int(s, 1, op->now - r->before(op->policy));
    db_bind_int(s, 2, b->after);
    db_bind_int(s, 3, limit);
    while (n < limit && db_next(s)) {
        due[n].id = db_col_int(s, 0);
        snprintf(due[n].name, sizeof due[n].name, "%s", db_col_text(s, 1));
        due[n].sponsor = db_col_int(s, 2);
        due[n].expires = db_col_int(s, 3);
        snprintf(due[n].management, sizeof due[n].management, "%s", db_col_text(s, 4));
        n++;
    }
    reg_err e = db_done(s);
    if (e) {
        free(due);
        return op_db_fail(op, st, e);
    }
    b->more = n == limit;
    /* Each domain under a savepoint: one that cannot be done (no funds, or
     * a price or a rule that refuses it) is left as it was and the others
     * go on; a database failure ends the batch, which is rolled back.
     * Round trips (issue 18): the writes nothing reads back (ledger row,
     * domain row, history version, poll message) are deferred, and their
     * answers come with the next statement, at the latest with the RELEASE
     * of the domain's savepoint, which goes with the next one's SAVEPOINT.
     * One that failed fails its domain as before: nothing after it was
     * done, ROLLBACK TO undoes the rest. After a ROLLBACK TO the savepoint
     * is still there for the next domain. */
    db_defer_writes(op->db, true);
    if (n > 0 && (e = db_savepoint(op->db, "due")))
        e = op_db_fail(op, st, e);
    for (int i = 0; i < n && !e; i++) {
        bool last = i + 1 == n;
        b->after = due[i].id;
        e = step(op, due[i].id, due[i].name, due[i].sponsor, due[i].expires, due[i].management,
                 st);
        if (!e) {
            e = last ? db_release(op->db, "due") : db_release_savepoint(op->db, "due", "due");
            if (!e) {
                b->done++;
                continue;
            }
            e = op_db_fail(op, st, e);
        }
        if (reg_err_is_system(e))
            break;
        if (e == REG_ERR_BILLING) {
            b->declined++;
        } else {
            b->failed++;
            reg_log(LOG_ERROR, "lifecycle", NULL, "domain-failed", "domain=%s reason=\"%s\"",
                    due[i].name, reg_status_text(st));
        }
        *st = (reg_status){0};
        e = db_rollback_to(op->db, "due");
        if (!e && last)
            e = db_release(op->db, "due");
        if (e)
            e = op_db_fail(op, st, e);
    }
    db_defer_writes(op->db, false);
    free(due);
    return e;
}

reg_err lifecycle_all(const struct reg_op *op, lifecycle_batch_fn fn, int *count, reg_status *st)
{
    struct due_batch b = {.limit = LIFECYCLE_BATCH};
    *count = 0;
    do {
        b.done = 0;
        b.more = false;
        if (fn(op, &b, st))
            return st->code;
        *count += b.done;
    } while (b.more);
    return REG_OK;
}

/* After a step's change: the domain's history version and its sponsor's
 * RFC 8590 poll message, from one read of it (a job does many). */
static reg_err record_and_notify(const struct reg_op *op, const char *name, int64_t sponsor,
                                 const char *action, const char *operation, const char *reason,
                                 reg_status *st)
{
    struct domain d;
    if (domain_load(op, name, &d, NULL, 0, st))
        return st->code;
    reg_err e = domain_record_version_of(op, &d, action, st);
    if (!e)
        e = domain_notify_change_of(op, &d, sponsor, operation, reason, st);
    domain_free(&d);
    return e;
}

/* The domain's expiry moves a year on; history and the sponsor's poll
 * message follow. */
static reg_err extend(const struct reg_op *op, int64_t id, const char *name, int64_t sponsor,
                      reg_time next, reg_status *st)
{
    if (domain_store_set_expiry(op, id, next, false, st))
        return st->code;
    return record_and_notify(op, name, sponsor, "autorenew", "autoRenew", "renewed at expiry",
                             st);
}

/* R23: a registrar-managed domain is debited from its sponsor like a
 * renewal (without funds it expires); R19: a registrant-managed one is
 * renewed by the registry and invoiced to its registrant, the registrar
 * not debited (it still gets the poll message; the invoice counter is
 * locked before the domain row). */
static reg_err renew_one(const struct reg_op *op, int64_t id, const char *name, int64_t sponsor,
                         reg_time expires, const char *management, reg_status *st)
{
    reg_time next = clock_add_months(expires, 12);
    if (!strcmp(management, "registrant")) {
        if (registrant_invoice_renewal(op, id, "autorenew", 1, expires, next, NULL, st))
            return st->code;
    } else if (billing_charge(op, sponsor, "autorenew", 1, "domain", name, NULL, st)) {
        return st->code;
    }
    return extend(op, id, name, sponsor, next, st);
}

static reg_time at_expiry(const struct registry_policy *p)
{
    (void)p;
    return 0;
}

static const struct due_rule autorenew_due = {
    "d.expires_at <= ? AND d.delete_requested_at IS NULL AND "
    "d.management IN ('registrar', 'registrant')",
    at_expiry};

reg_err lifecycle_autorenew_batch(const struct reg_op *op, struct due_batch *b, reg_status *st)
{
    b->more = false;
    if (!op->policy->autorenew)
        return REG_OK;
    return for_each_due(op, &autorenew_due, renew_one, b, st);
}

reg_err lifecycle_autorenew_due(const struct reg_op *op, int64_t *n, reg_status *st)
{
    *n = 0;
    return op->policy->autorenew ? count_due(op, &autorenew_due, n, st) : REG_OK;
}

reg_err lifecycle_autorenew(const struct reg_op *op, int *count, reg_status *st)
{
    return lifecycle_all(op, lifecycle_autorenew_batch, count, st);
}

static reg_err hold_one(const struct reg_op *op, int64_t id, const char *name, int64_t sponsor,
                        reg_time expires, const char *management, reg_status *st)
{
    (void)expires;
    (void)management;
    reg_err e = status_add(op->db, "domain", id, "serverHold", "expired");
    if (e)
        return op_db_fail(op, st, e);
    return record_and_notify(op, name, sponsor, "hold-expired", "update", "expired: serverHold",
                             st);
}

static reg_time hold_after(const struct registry_policy *p)
{
    return p->hold_after;
}

static const struct due_rule hold_due = {
    "d.expires_at <= ? AND d.delete_requested_at IS NULL AND NOT EXISTS "
    "(SELECT 1 FROM object_status o WHERE o.object_kind = 'domain' AND "
    "o.object_id = d.id AND o.status = 'serverHold')",
    hold_after};

reg_err lifecycle_hold_batch(const struct reg_op *op, struct due_batch *b, reg_status *st)
{
    return for_each_due(op, &hold_due, hold_one, b, st);
}

reg_err lifecycle_hold_due(const struct reg_op *op, int64_t *n, reg_status *st)
{
    return count_due(op, &hold_due, n, st);
}

reg_err lifecycle_hold_expired(const struct reg_op *op, int *count, reg_status *st)
{
    return lifecycle_all(op, lifecycle_hold_batch, count, st);
}

static reg_err delete_one(const struct reg_op *op, int64_t id, const char *name, int64_t sponsor,
                          reg_time expires, const char *management, reg_status *st)
{
    (void)expires;
    (void)management;
    /* a pending transfer cancelled leaves the sponsor as it was */
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
    return record_and_notify(op, name, sponsor, "delete-expired", "autoDelete",
                             "expired; in redemption period", st);
}

static reg_time delete_after(const struct registry_policy *p)
{
    return p->delete_after;
}

static const struct due_rule delete_due = {"d.expires_at <= ? AND d.delete_requested_at IS NULL",
                                           delete_after};

reg_err lifecycle_delete_batch(const struct reg_op *op, struct due_batch *b, reg_status *st)
{
    return for_each_due(op, &delete_due, delete_one, b, st);
}

reg_err lifecycle_delete_due(const struct reg_op *op, int64_t *n, reg_status *st)
{
    return count_due(op, &delete_due, n, st);
}

reg_err lifecycle_delete_expired(const struct reg_op *op, int *count, reg_status *st)
{
    return lifecycle_all(op, lifecycle_delete_batch, count, st);
}

static reg_err notice_one(const struct reg_op *op, int64_t id, const char *name, int64_t sponsor,
                          reg_time expires, const char *management, reg_status *st)
{
    (void)name;
    (void)sponsor;
    (void)management;
    int mails = 0;
    if (notice_expired(op, id, expires, &mails, st))
        return st->code;
    return domain_store_set_expiry_notice(op, id, expires, st);
}

static reg_time notice_after(const struct registry_policy *p)
{
    (void)p;
    return LIFECYCLE_EXPIRY_NOTICE_AFTER;
}

/* a domain in redemption was deleted, by its registrar or by the
 * domain-delete job: it is past the point of an expiry notice */
static const struct due_rule notice_due = {
    "d.expires_at <= ? AND d.delete_requested_at IS NULL AND "
    "(d.expiry_notice_for IS NULL OR d.expiry_notice_for <> d.expires_at)",
    notice_after};

reg_err lifecycle_expiry_notice_batch(const struct reg_op *op, struct due_batch *b,
                                      reg_status *st)
{
    return for_each_due(op, &notice_due, notice_one, b, st);
}

reg_err lifecycle_expiry_notice_due(const struct reg_op *op, int64_t *n, reg_status *st)
{
    return count_due(op, &notice_due, n, st);
}

reg_err lifecycle_expiry_notice(const struct reg_op *op, int *count, reg_status *st)
{
    return lifecycle_all(op, lifecycle_expiry_notice_batch, count, st);
}
