/* One transfer engine for domains and contacts (RFC 5731 / 5733 §3.2.4):
 * request, query, approve, reject, cancel, automatic approval and the
 * registry's cancellation, in [transfer] mode immediate or pending, with
 * the transfer table, poll messages to the parties and R23's charge and
 * refund. What differs by object is a struct transfer_kind of functions,
 * defined by the object's module (transfer_domain.c, contact.c). */
#ifndef REG_TRANSFER_H
#define REG_TRANSFER_H

#include <stddef.h>
#include <stdint.h>
#include "names.h"
#include "op.h"
#include "poll.h"
#include "registrar.h"
#include "status.h"

typedef enum { XFER_REQUEST, XFER_QUERY, XFER_APPROVE, XFER_REJECT, XFER_CANCEL } transfer_op;

/* What the engine reads of a loaded object; obj is the kind's own. */
struct transfer_object {
    int64_t id;
    char key[NAME_MAX_LEN + 1]; /* domain A-label or contact handle */
    char sponsor[REGISTRAR_HANDLE_MAX + 1];
    const struct status_set *statuses;
    reg_time expires_at; /* 0: the object does not expire */
    void *obj;
};

/* Why a party is told: the request waits for the losing registrar
 * (ASKED); an immediate transfer (LEFT to the losing, ARRIVED to the
 * gaining registrar); a party decided (DECIDED, to the other one); no
 * answer in time (AUTO) or the registry withdrew it (WITHDRAWN), to both. */
enum transfer_event {
    TRANSFER_ASKED,
    TRANSFER_LEFT,
    TRANSFER_ARRIVED,
    TRANSFER_DECIDED,
    TRANSFER_AUTO,
    TRANSFER_WITHDRAWN,
};

struct transfer_kind {
    const char *name;       /* object_kind in the transfer table */
    enum poll_object poll;  /* the poll message's object */
    const char *noun;       /* before the key in messages: "" or "contact " */
    bool paid;              /* R23: the gaining registrar pays the period */
    /* The object by the client's key, locked for a change when `lock`,
     * into o->obj (obj_size bytes, zeroed; the engine frees it after
     * `release`); REG_ERR_NOT_FOUND if there is none. */
    size_t obj_size;
    reg_err (*load)(const struct reg_op *op, const char *key, bool lock,
                    struct transfer_object *o, reg_status *st);
    void (*release)(void *obj);
    /* SQL for the stored key of the object with id ?. */
    const char *key_sql;
    /* REG_OK if auth is the object's auth info, else REG_ERR_AUTHINFO. */
    reg_err (*check_authinfo)(const struct reg_op *op, const struct transfer_object *o,
                              const struct reg_authinfo *auth, reg_status *st);
    /* May a request with auth move the object? *by_otp: the registrant's
     * consent, which moves it at once (R16); *wrong_otp as otp_redeem. */
    reg_err (*authorize)(const struct reg_op *op, const struct transfer_object *o,
                         const struct reg_authinfo *auth, bool *by_otp, int64_t *wrong_otp,
                         reg_status *st);
    /* The object to the gaining registrar with what follows it; `months`
     * extend its expiry (*new_expiry, when it expires). */
    reg_err (*move)(const struct reg_op *op, const struct transfer_object *o, int64_t gaining_id,
                    const char *gaining, int months, reg_time *new_expiry, reg_status *st);
    reg_err (*record_version)(const struct reg_op *op, const char *key, const char *action,
                              reg_status *st);
    /* The poll text of `ev` for a party (who: the acting registrar, ""
     * for the registry); false: that party is not told. */
    bool (*text)(enum transfer_event ev, const struct poll_transfer *t, bool by_otp,
                 const char *who, char *buf, size_t n);
};

/* A transfer command on the object `key`; *out the transfer as EPP shows
 * it, *pending whether a request waits for the losing registrar, and
 * *wrong_otp a wrong one-time password to count after the rollback. */
reg_err transfer_run(const struct reg_op *op, const struct transfer_kind *k, transfer_op top,
                     const char *key, const struct reg_authinfo *auth, int period_months,
                     struct poll_transfer *out, bool *pending, int64_t *wrong_otp,
                     reg_status *st);

/* The fields of a public transfer info struct (domain.h, contact.h) that
 * it shares with t. */
void transfer_info_copy(const struct poll_transfer *t, char status[24],
                        char gaining[REGISTRAR_HANDLE_MAX + 1],
                        char losing[REGISTRAR_HANDLE_MAX + 1], reg_time *requested_at,
                        reg_time *action_at);

/* Approves every pending transfer of kind k whose time has come
 * (serverApproved); *count gets how many. */
reg_err transfer_approve_due(const struct reg_op *op, const struct transfer_kind *k, int *count,
                              reg_status *st);

/* Cancels a pending transfer of object `id` (serverCancelled), refunding
 * the gaining registrar: the registry deletes the object. */
reg_err transfer_cancel_pending(const struct reg_op *op, const struct transfer_kind *k,
                                int64_t id, reg_status *st);

/* R4: the domain's registrant and admin/tech/billing contacts that another
 * registrar sponsors are replaced by copies sponsored by the gaining one
 * (gaining_id, handle gaining): an identical contact it already has, or a
 * new copy (contact_copy.h); each old contact once, however many roles it
 * holds. The old objects are left as they are. */
reg_err transfer_contacts_follow(const struct reg_op *op, int64_t domain_id, int64_t gaining_id,
                                 const char *gaining, reg_status *st);

#endif
