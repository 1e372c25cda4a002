/* Auth-code requests (DESIGN §6 R15): a registrant who wants to move a
 * domain asks for its auth info; the sponsoring registrar must give it
 * within [authinfo] deadline_days (5) working days. The registry records
 * the request with its deadline and tells the sponsor by poll message
 * (kind "authinfoRequest"). A request is open until
 *   - the sponsor next sets auth info on the domain (domain_update with a
 *     new value: outcome "authinfo-set"), or
 *   - staff close it (regctl authinfo done: outcome "done"), or
 *   - the domain changes registrar (outcome "transferred").
 * An open request past its deadline is overdue: the authinfo-overdue job
 * tells the sponsor once (kind "authinfoOverdue") and staff list them with
 * regctl authinfo overdue.
 *
 * Callers: regctl now, the self-service site later (op->channel "web",
 * op->actor "registrant"). Every function runs in the caller's
 * transaction. */
#ifndef REG_AUTHINFO_REQUEST_H
#define REG_AUTHINFO_REQUEST_H

#include <stdbool.h>
#include <stdint.h>
#include "names.h"
#include "op.h"

#define AUTHINFO_NOTE_MAX 500

struct authinfo_req {
    int64_t id;
    char domain[NAME_MAX_LEN + 1]; /* A-label */
    int64_t registrar_id;
    char registrar[32];            /* the sponsor asked (handle) */
    reg_time requested_at, deadline, closed_at; /* closed_at 0: open */
    char outcome[16];              /* "", authinfo-set, done, transferred */
    char note[AUTHINFO_NOTE_MAX + 1];
    char actor[64], channel[16], closed_by[64];
    reg_time overdue_at; /* when the authinfo-overdue job reported it; 0: not yet */
};

/* Records a request for domain `name` (deadline from op->policy's working
 * days) and queues the poll message to its sponsor. A domain that already
 * has an open request keeps it: *existed is true, out is that request and
 * nothing is written. REG_ERR_NOT_FOUND for an unknown domain,
 * REG_ERR_RANGE for a note over AUTHINFO_NOTE_MAX bytes. */
reg_err authinfo_request(const struct reg_op *op, const char *name, const char *note,
                         struct authinfo_req *out, bool *existed, reg_status *st);

/* The newest request of the domain with this A-label (open or closed);
 * *found false when it never had one. */
reg_err authinfo_request_latest(const struct reg_op *op, const char *alabel,
                                struct authinfo_req *out, bool *found, reg_status *st);

/* Whether an open request is overdue at op->now: its deadline passed, or
 * the authinfo-overdue job has reported it so. */
bool authinfo_request_overdue(const struct reg_op *op, const struct authinfo_req *r);

/* Closes the domain's open request (outcome "done", closed_by op->actor);
 * REG_ERR_NOT_PENDING when none is open. out gets the closed request. */
reg_err authinfo_request_done(const struct reg_op *op, const char *name, struct authinfo_req *out,
                              reg_status *st);

/* Closes every open request of domain_id with `outcome` (authinfo-set,
 * transferred): called by domain_update and the transfer code. */
reg_err authinfo_requests_close(const struct reg_op *op, int64_t domain_id, const char *outcome,
                                reg_status *st);

typedef enum {
    AUTHINFO_LIST_OPEN,    /* open requests */
    AUTHINFO_LIST_OVERDUE, /* open and past their deadline at op->now */
    AUTHINFO_LIST_ALL,     /* every request, closed ones too */
} authinfo_list;
/* Oldest deadline first (all: newest request first). */
reg_err authinfo_request_each(const struct reg_op *op, authinfo_list which,
                              void (*fn)(const struct authinfo_req *r, void *arg), void *arg,
                              reg_status *st);

/* The authinfo-overdue job: one poll message to the sponsor of each open
 * request whose deadline passed and that was not reported yet. */
reg_err authinfo_requests_overdue(const struct reg_op *op, int *count, reg_status *st);

#endif
