/* Contacts (RFC 5733; DESIGN §4, R1–R3, R5, R10, R13, R40): check, info,
 * create, update, delete and transfer. Transport-free: the EPP glue
 * (src/daemon/epp_contact.c) fills these structs from XML and writes its
 * responses from them.
 *
 * Every function runs inside the caller's transaction (the EPP batch, or
 * one the caller opened) and records a history version (R40) for every
 * change it makes. Errors carry a sentence for the client:
 * REG_ERR_NOT_FOUND (2303), EXISTS (2302), AUTHZ (2201, not the sponsor),
 * AUTHINFO (2202), STATUS_PROHIBITS (2304), ASSOCIATION (2305, linked),
 * POLICY (2306), DATA_POLICY (2308, R5), INVALID (2005, R3 and field
 * syntax), MISSING (2003), PENDING / NOT_PENDING (2300 / 2301),
 * NOT_TRANSFERABLE (2106). */
#ifndef REG_CONTACT_H
#define REG_CONTACT_H

#include "contact_store.h"
#include "names.h"
#include "op.h"
#include "registrar.h"
#include "status.h"
#include <stdbool.h>
#include <stdint.h>

/* The statuses to show: the stored ones, "ok" when there are none, and
 * "linked" when linked (RFC 5733 §2.2). Returns how many (at most 7, the
 * schema's limit); msgs[i] is the stored message or NULL. */
size_t contact_status_list(const struct contact *c, const char *names[8], const char *msgs[8]);

/* Is `field` (one CONTACT_DISCLOSE_* bit) shown to the public? Policy
 * (DESIGN §7): a person's (or an untyped contact's) data is hidden unless
 * disclosed with flag="1"; an organization's or role's name, org and
 * address are shown unless withheld with flag="0"; phone numbers and
 * email only with flag="1". */
bool contact_discloses(const struct contact_data *d, unsigned field);
/* A telephone number as EPP carries it (RFC 5733 §2.5): "+CC.NNNN". */
bool contact_phone_valid(const char *s);

/* --- commands ------------------------------------------------------------ */

/* check: could a create with this id succeed? The id is normalised as
 * create would (R1–R3); *avail false with a short reason (the schema
 * allows 32 characters): "in use" or why the id is not allowed
 * (names_contact_id_short_reason). Only database failures are errors. */
reg_err contact_check(const struct reg_op *op, const char *id, bool *avail, char reason[160],
                      reg_status *st);

/* info: the contact with id (uppercased, never prefixed) as this viewer
 * may see it. authinfo (NULL = none given) lets a non-sponsor see all;
 * a wrong one is REG_ERR_AUTHINFO. Hidden fields are NULL in out->d and
 * their bits set in out->redacted. Free with contact_free. */
reg_err contact_info(const struct reg_op *op, const char *id, const char *authinfo,
                     struct contact *out, reg_status *st);

struct contact_create_req {
    char *id; /* NULL, "" or "auto": REGISTRAR:XXXXXXXX (R2) */
    struct contact_data d;
    char *authinfo; /* plain (stored hashed, RFC 9154); NULL or "": none */
};
/* Creates the contact sponsored by op->registrar_id; handle gets the
 * stored id (R1); crDate is op->now. */
reg_err contact_create(const struct reg_op *op, const struct contact_create_req *req,
                       char handle[CONTACT_ID_MAX + 1], reg_status *st);

struct contact_update_req {
    char *id;
    const char *add[STATUS_MAX]; /* client statuses to add, with optional messages */
    const char *add_msg[STATUS_MAX];
    size_t nadd;
    const char *rem[STATUS_MAX];
    size_t nrem;
    struct contact_postal postal[2]; /* present: change that postalInfo */
    bool chg_voice, chg_fax;         /* "" or NULL number removes it */
    char *voice, *voice_x, *fax, *fax_x;
    char *email;    /* NULL: keep */
    char *authinfo; /* NULL: keep; "": unset (RFC 9154) */
    bool chg_disclose;
    int disclose_flag;
    unsigned disclose;
    /* contact-ext-1.0 */
    char *kind; /* NULL: keep */
    bool chg_ident;
    char *ident_type, *ident_value, *ident_cc;
    bool chg_mobile;
    char *mobile; /* "" or NULL removes it */
};
/* Frees the strings of a request built with malloc'd strings (the EPP
 * glue's); add/rem/add_msg stay the builder's. */
void contact_create_req_free(struct contact_create_req *r);
void contact_update_req_free(struct contact_update_req *r);

/* Only the sponsor. clientUpdateProhibited blocks everything but an
 * update that only removes it; serverUpdateProhibited and pending*
 * block all updates (2304). R5: a different ident is REG_ERR_DATA_POLICY
 * (2308), unless the stored one has no cc or is a birthday not written
 * YYYY-MM-DD; the same ident again is no change. R10: a new email queues
 * a notice to the old and the new address (notices.h). */
reg_err contact_update(const struct reg_op *op, const struct contact_update_req *req,
                       reg_status *st);

/* Only the sponsor; not while linked (2305) or prohibited (2304). The
 * contact, its postal data and statuses are removed; history keeps a
 * "delete" version. */
reg_err contact_delete(const struct reg_op *op, const char *id, reg_status *st);

typedef enum {
    CONTACT_XFER_REQUEST,
    CONTACT_XFER_QUERY,
    CONTACT_XFER_APPROVE,
    CONTACT_XFER_REJECT,
    CONTACT_XFER_CANCEL,
} contact_xfer_op;

struct contact_transfer_info {
    char handle[CONTACT_ID_MAX + 1];
    char status[24]; /* eppcom trStatusType */
    char gaining[REGISTRAR_HANDLE_MAX + 1], losing[REGISTRAR_HANDLE_MAX + 1];
    reg_time requested_at, action_at; /* acDate: decided, or automatic approval due */
};

/* request: by another registrar with the contact's auth info. [transfer]
 * mode = immediate moves it at once (serverApproved); pending sets
 * pendingTransfer (*pending true → 1001) until the sponsor approves or
 * rejects, the requester cancels, or contact_transfer_auto_approve runs.
 * Completed transfers unset the auth info (the losing registrar knows
 * it; RFC 9154). query: the latest transfer, for its parties, the sponsor
 * or a holder of the auth info. Poll messages tell the other side. */
reg_err contact_transfer(const struct reg_op *op, contact_xfer_op top, const char *id,
                         const char *authinfo, struct contact_transfer_info *out, bool *pending,
                         reg_status *st);

/* Approves every pending contact transfer whose action_at has come
 * (serverApproved), for the lifecycle job; *count gets how many. */
reg_err contact_transfer_auto_approve(const struct reg_op *op, int *count, reg_status *st);

/* Staff: the language of the registry's messages to contact `id` (en, da,
 * nb or et; NULL or "auto" = automatic, by the country of its address).
 * Not an EPP field (DESIGN §5 fixes the extension); a change is recorded
 * in history (R40). REG_ERR_NOT_FOUND, REG_ERR_INVALID (a language not
 * ours). *changed says whether it was different. */
reg_err contact_set_lang(const struct reg_op *op, const char *id, const char *lang, bool *changed,
                         reg_status *st);



#endif
