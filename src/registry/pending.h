/* Registrant confirmations (DESIGN §6 R6–R9, §4 pending_action).
 *
 * A change of registrant (R6) or a domain delete asked for by a registrar
 * without <regd:verified/> (R8) is not applied: the command is stored, the
 * domain gets pendingUpdate / pendingDelete, and the current registrant
 * gets a mail with a link to the confirmation page (R7):
 *
 *     {base_url}/confirm/{token}
 *
 * The token is 256 random bits (secret_token); only its SHA-256 is stored,
 * so a database reader cannot confirm anything. A token is single-use: once
 * decided (confirmed, rejected) or expired it only shows what happened.
 *
 * Outcomes, each in one transaction:
 *   confirmed → the stored command is applied as the registrar that asked
 *               (still its sponsor), with the R10 notices of a change of
 *               registrant or a delete request;
 *   rejected, or not answered within policy->confirm_ttl (48 h default,
 *   the pending-expire job) → dropped, the domain as it was.
 * The registrar gets a poll message (RFC 5731 §3.3 <domain:panData>, with
 * the clTRID/svTRID of the original command, op->cltrid/op->svtrid) in
 * every outcome; the new
 * registrant of a confirmed change is told by the R10 notice. */
#ifndef REG_PENDING_H
#define REG_PENDING_H

#include <stdbool.h>
#include <stdint.h>
#include "domain.h"
#include "op.h"

#define PENDING_KIND_REGISTRANT_CHANGE "registrantChange"
#define PENDING_KIND_DELETE "delete"

/* What a confirmation page shows (all strings NUL-terminated, "" if none). */
struct pending_view {
    int64_t id;
    char kind[24];                    /* registrantChange | delete */
    char state[12];                   /* pending, confirmed, rejected, expired, failed */
    char domain[NAME_MAX_LEN + 1];    /* A-label */
    char udomain[NAME_MAX_LEN + 1];   /* U-label (= A-label when ASCII) */
    char registrar_handle[32];
    char registrar_name[256];
    char registrant_handle[HANDLE_MAX]; /* the current registrant */
    char registrant_name[256];
    char new_registrant_handle[HANDLE_MAX]; /* registrantChange only */
    char new_registrant_name[256];
    reg_time requested_at, expires_at, decided_at;
    char reason[384]; /* failed: why the confirmed command could not be applied */
    char lang[4];     /* the registrant's language, that of the mail asking it (en, da, nb, et) */
};

/* Stores a pending change of registrant of domain_id: u is the whole update
 * command (it is applied whole on confirmation, and nothing of it before).
 * Called by domain_update; adds pendingUpdate and queues the mail. */
reg_err pending_registrant_change(const struct reg_op *op, int64_t domain_id,
                                  const struct domain_update *u, reg_status *st);
/* Stores a pending delete of domain_id (called by domain_delete): adds
 * pendingDelete and queues the mail. */
reg_err pending_delete(const struct reg_op *op, int64_t domain_id, reg_status *st);

/* The action behind a token. REG_ERR_NOT_FOUND for an unknown token; a
 * decided or expired action is found, with its state. */
reg_err pending_find(const struct reg_op *op, const char *token, struct pending_view *out,
                     reg_status *st);

/* Every confirmation request of the domain named alabel (a purged one's
 * too), newest first, for staff: fn gets each as a page would show it (a
 * pending one past its expiry as expired) and the svTRID of the command
 * that asked ("" if none). */
reg_err pending_each_for_domain(const struct reg_op *op, const char *alabel,
                                void (*fn)(const struct pending_view *v, const char *svtrid,
                                           void *arg),
                                void *arg, reg_status *st);

/* R7 on the self-service site: the open actions (state pending, not
 * past their expiry) on domains contact_id holds (account.h
 * ACCOUNT_HOLDS_DOMAIN_SQL), oldest first; fn gets each with its id. */
reg_err pending_each_held(const struct reg_op *op, int64_t contact_id,
                          void (*fn)(const struct pending_view *v, void *arg), void *arg,
                          reg_status *st);
/* The same answer as pending_decide, to action `id` by the contact who
 * holds its domain (op->channel "self-service"): REG_ERR_NOT_FOUND when
 * the action is not on one of its domains; otherwise as pending_decide. */
reg_err pending_decide_held(const struct reg_op *op, int64_t contact_id, int64_t id,
                            bool confirm, struct pending_view *out, reg_status *st);

/* The registrant's answer (op->channel "web", op->actor "registrant").
 * REG_ERR_NOT_FOUND: unknown token. REG_ERR_NOT_PENDING: already decided or
 * expired (out says which; nothing is written). On confirm, a stored
 * command that can no longer be applied (the contact is gone) leaves the
 * domain unchanged: REG_OK with out->state "failed" and out->reason, and the
 * registrar is told. Other errors: roll back. out gets the action as it is
 * afterwards. */
reg_err pending_decide(const struct reg_op *op, const char *token, bool confirm,
                       struct pending_view *out, reg_status *st);

/* The pending-expire job: drops every action past its expiry. */
reg_err pending_expire_due(const struct reg_op *op, int *count, reg_status *st);

/* Drops the domain's open action without applying it (the domain is going
 * away or changing sponsor): no mail, a poll message to the registrar. */
reg_err pending_cancel_for_domain(const struct reg_op *op, int64_t domain_id, const char *why,
                                  reg_status *st);

/* The kind of the domain's open action ("" if none), for <regd:pendingAction>. */
reg_err pending_kind_of(const struct reg_op *op, int64_t domain_id, char kind[24],
                        reg_status *st);

#endif
