/* Shared by pending.c (requests and their ends) and pending_decide.c (the
 * registrant's decision, which applies the stored command). */
#ifndef REG_PENDING_INTERNAL_H
#define REG_PENDING_INTERNAL_H

#include <jansson.h>

#include "pending.h"

struct pending_action {
    struct pending_view v;
    int64_t domain_id, registrar_id;
    char *command;
    char cltrid[128], svtrid[48];
};

void pending_action_free(struct pending_action *a);
/* The action by its confirmation token; REG_ERR_NOT_FOUND if none. */
reg_err pending_load_by_token(const struct reg_op *op, const char *token,
                              struct pending_action *a, reg_status *st);
/* The open action `id` on a domain contact_id holds; REG_ERR_NOT_FOUND
 * if none (decided ones included: they are not its to see by id). */
reg_err pending_load_held(const struct reg_op *op, int64_t contact_id, int64_t id,
                          struct pending_action *a, reg_status *st);
/* Decided now: state (and reason), if it is still pending. */
reg_err pending_set_state(const struct reg_op *op, struct pending_action *a, const char *state,
                          const char *reason, reg_status *st);
/* The domain leaves pendingUpdate / pendingDelete; with why, history says so. */
reg_err pending_lift_status(const struct reg_op *op, const struct pending_action *a,
                            const char *why, reg_status *st);
/* Dropped without applying (rejected, expired, cancelled, failed). */
reg_err pending_drop(const struct reg_op *op, struct pending_action *a, const char *state,
                     const char *reason, reg_status *st);
/* RFC 5731 §3.3: the registrar hears how its pending command ended. */
reg_err pending_tell_registrar(const struct reg_op *op, const struct pending_action *a,
                               const char *outcome, reg_status *st);
/* The stored update; its strings point into o: keep o until u is used. */
void pending_update_from_json(json_t *o, struct domain_update *u);

#endif
