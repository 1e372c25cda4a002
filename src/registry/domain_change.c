/* RFC 8590 change poll messages (domain_change.h). */
#include "domain_change.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/strutil.h"
#include "contrib/utf8.h"
#include "domain_store.h"
#include "poll.h"

/* The message about c->domain, to sponsor (0: none, nothing sent). */
static reg_err notify(const struct reg_op *op, struct poll_change *c, int64_t sponsor,
                      const char *operation, const char *reason, reg_status *st)
{
    const struct domain *d = &c->domain;
    str_copy(c->operation, sizeof c->operation, operation);
    c->before = !strcmp(operation, "autoPurge");
    c->date = op->now;
    str_copy(c->svtrid, sizeof c->svtrid, op->svtrid);
    if (!c->svtrid[0])
        snprintf(c->svtrid, sizeof c->svtrid, "%s-%lld", op->actor, (long long)op->now);
    str_copy(c->who, sizeof c->who, op->actor);
    if (reason) { /* eppcom:reasonType holds at most 32 characters */
        c->has_reason = true;
        str_copy(c->reason, sizeof c->reason, reason);
        utf8_sanitize(c->reason);
    }
    char msg[400];
    snprintf(msg, sizeof msg, "Registry %s of %s%s%s", operation, d->name.alabel,
             reason ? ": " : "", reason ? reason : "");
    return sponsor ? poll_enqueue_change(op->db, sponsor, c, msg, st) : REG_OK;
}

reg_err domain_notify_change(const struct reg_op *op, const char *alabel, const char *operation,
                             const char *reason, reg_status *st)
{
    struct poll_change *c = calloc(1, sizeof *c);
    if (!c)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    if (domain_load(op, alabel, &c->domain, NULL, 0, st)) {
        free(c);
        return st->code;
    }
    int64_t sponsor = 0;
    db_stmt *q = db_query(op->db, "SELECT sponsor_id FROM domain WHERE id = ?");
    db_bind_int(q, 1, c->domain.id);
    if (db_next(q))
        sponsor = db_col_int(q, 0);
    reg_err e = db_done(q);
    if (e)
        op_db_fail(op, st, e);
    else
        e = notify(op, c, sponsor, operation, reason, st);
    domain_free(&c->domain);
    free(c);
    return e;
}

reg_err domain_notify_change_of(const struct reg_op *op, const struct domain *d, int64_t sponsor,
                                const char *operation, const char *reason, reg_status *st)
{
    struct poll_change *c = calloc(1, sizeof *c);
    if (!c)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    c->domain = *d; /* borrowed: the caller frees it */
    reg_err e = notify(op, c, sponsor, operation, reason, st);
    free(c);
    return e;
}
