/* The registrar's service message queue (RFC 5730 §2.9.2.3): messages are
 * read oldest first and removed by acknowledgement. A message is text and,
 * for the kinds EPP answers with response data, a typed payload; poll.c
 * alone turns the payload into the stored JSON and back, so the registry
 * speaks no EPP and the EPP side reads no JSON. */
#ifndef REG_POLL_H
#define REG_POLL_H

#include <stdbool.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "domain_store.h"
#include "names.h"
#include "registrar.h"
#include "store/db.h"

enum poll_kind {
    POLL_NOTICE,   /* text only (staff notices, low balance, auth-code requests, …) */
    POLL_TRANSFER, /* a domain or contact transfer (RFC 5731 / 5733 §3.2.4) */
    POLL_CHANGE,   /* a change the registry made to a domain (RFC 8590) */
    POLL_PENDING,  /* how a command answered 1001 ended (RFC 5731 §3.3) */
};

enum poll_object { POLL_OBJ_DOMAIN, POLL_OBJ_CONTACT };

struct poll_transfer {
    enum poll_object object;
    char name[NAME_MAX_LEN + 1]; /* domain name or contact id */
    char status[24];             /* pending, clientApproved, serverApproved, … */
    char gaining[REGISTRAR_HANDLE_MAX + 1], losing[REGISTRAR_HANDLE_MAX + 1];
    reg_time requested_at, action_at; /* action: decided, or automatic approval due */
    bool has_expiry;                  /* a domain's new expiry, when the transfer sets one */
    reg_time new_expires_at;
};

struct poll_change {
    struct domain domain; /* as it is after the change, or was before (autoPurge) */
    char operation[24];   /* autoRenew, autoDelete, autoPurge, update, … */
    bool before;          /* state="before": the domain is shown as it was */
    reg_time date;
    char svtrid[64];
    char who[64];
    bool has_reason;
    char reason[33]; /* eppcom:reasonType: at most 32 characters */
};

struct poll_pending {
    char name[NAME_MAX_LEN + 1];
    bool result; /* paResult: the action was carried out */
    char cltrid[128]; /* "" when the command had none */
    char svtrid[64];
    reg_time date;
};

struct poll_msg {
    int64_t id;
    reg_time created_at;
    enum poll_kind kind;
    char label[24]; /* the stored kind: notice, low-balance, transfer, change, … */
    char *message;
    char *object_type; /* domain | contact | NULL */
    char *object_name;
    union {
        struct poll_transfer transfer;
        struct poll_change change;
        struct poll_pending pending;
    } u;
};

/* Each inside the caller's transaction (so a message exists iff its cause
 * does). A notice is text under `label` (notice, low-balance,
 * authinfoRequest, …), optionally about an object. */
reg_err poll_enqueue_notice(db *d, int64_t registrar_id, const char *label, const char *text,
                            const char *object_type, const char *object_name, reg_status *st);
reg_err poll_enqueue_transfer(db *d, int64_t registrar_id, const struct poll_transfer *t,
                              const char *text, reg_status *st);
reg_err poll_enqueue_change(db *d, int64_t registrar_id, const struct poll_change *c,
                            const char *text, reg_status *st);
reg_err poll_enqueue_pending(db *d, int64_t registrar_id, const struct poll_pending *p,
                             const char *text, reg_status *st);

/* regctl poll send: a notice from the registry's staff to `registrar`
 * (a handle in any case; its stored form into handle). Refuses empty
 * text, text that is not the registry's PRECIS text (precis_text_check:
 * controls, bidi controls, invalid UTF-8, …) and an unknown registrar
 * (REG_ERR_NOT_FOUND). Inside the caller's transaction. */
reg_err poll_staff_notice(db *d, const char *registrar, const char *text,
                          char handle[REGISTRAR_HANDLE_MAX + 1], reg_status *st);

/* Number of queued messages and the oldest one (found = false if none).
 * A stored payload that cannot be read makes the message a plain notice. */
reg_err poll_peek(db *d, int64_t registrar_id, int64_t *count, struct poll_msg *oldest,
                  bool *found, reg_status *st);
/* Number of queued messages only (the portal's navigation). */
reg_err poll_queue_length(db *d, int64_t registrar_id, int64_t *count, reg_status *st);
/* Every queued message of the registrar to fn, oldest first (as
 * poll_peek reads each); fn must not keep it. */
reg_err poll_each(db *d, int64_t registrar_id, void (*fn)(const struct poll_msg *m, void *arg),
                  void *arg, reg_status *st);
/* Removes message `id` of this registrar; REG_ERR_NOT_FOUND if it has no
 * such message. *remaining gets the queue length after removal. */
reg_err poll_ack(db *d, int64_t registrar_id, const char *id, int64_t *remaining, reg_status *st);
void poll_msg_free(struct poll_msg *m);

#endif
