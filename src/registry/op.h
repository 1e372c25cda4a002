/* Who is acting, when, through which channel: passed to every registry
 * operation so history (R40), poll messages and logs can say it. */
#ifndef REG_OP_H
#define REG_OP_H

#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "policy.h"
#include "store/db.h"

struct reg_op {
    db *db;
    const struct registry_policy *policy;
    int64_t registrar_id;  /* the acting registrar; 0 for staff and jobs */
    const char *actor;     /* registrar handle, "staff", or "job:NAME" */
    const char *channel;   /* "epp", "web", "regctl", "job" */
    const char *svtrid;    /* EPP server transaction id, or NULL */
    const char *cltrid;    /* the client's transaction id, or NULL */
    reg_time now;
};

/* Auth info as a client gives it (RFC 5731 §2.6, RFC 5733 §2.8): pw NULL
 * for none; roid names the contact object whose password pw is (domain
 * auth info only), NULL for the object's own. */
struct reg_authinfo {
    const char *pw;
    const char *roid;
};

/* ROIDs (RFC 5730 roidType) are derived from ids: D12-DK, C7-DK, H3-DK. */
void roid_format(char out[48], char kind, int64_t id, const struct registry_policy *p);

/* "database: <message>" with the driver's error. */
reg_err op_db_fail(const struct reg_op *op, reg_status *st, reg_err e);
/* The same for code that holds only the connection. */
reg_err db_fail(db *d, reg_status *st, reg_err e);
/* Ends the caller's transaction: commits when e is REG_OK, rolls back
 * otherwise; returns the outcome (a failed commit as db_fail). */
reg_err db_end_tx(db *d, reg_err e, reg_status *st);

#endif
