/* Registrant accounts (DESIGN §4, §5 account-1.0; Nominet's model, R33–R39):
 * the registrant as the registry knows them, with admin contact slots
 * a1–a3 and billing contact slots b1–b3, each naming a contact object, and
 * who is billed (registrar or registrant). Every domain created belongs to
 * the account whose a1 is its registrant (made on first use, R37).
 * Transport-free: src/daemon/epp_account.c fills these structs from XML.
 *
 * Every function runs inside the caller's transaction and records a
 * history version (R40) for each change. Errors carry a sentence for the
 * client, naming the rule:
 *   REG_ERR_POLICY (2306)       R34 a1 empty or without email, R35 billing
 *                               slots, R36 one contact in two slots of a
 *                               kind, slot add/rem that does not fit
 *   REG_ERR_INVALID (2005)      R33 an unknown slot name, R3 ids
 *   REG_ERR_ASSOCIATION (2305)  the a1 contact already holds a1 of another
 *                               account of the same registrar
 *   REG_ERR_NOT_FOUND (2303), EXISTS (2302), AUTHZ (2201, not the
 *   sponsor), MISSING (2003, nothing to change).
 * docs/epp-accounts.md is the reference. */
#ifndef REG_ACCOUNT_H
#define REG_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>
#include "account_store.h"
#include "contact.h"
#include "names.h"
#include "op.h"
#include "registrar.h"
#include "contrib/secret.h"

bool account_slot_is_admin(int slot);

/* One slot filled by a command: an existing contact by its id, or a new
 * contact object made from data (R37; new_contact.id NULL = generated). */
struct account_fill {
    bool given;
    char *contact;
    bool is_new;
    struct contact_create_req new_contact;
};

/* R38: fields of the contact in a slot to change; NULL keeps a field, ""
 * removes an optional one (org, sp, pc, voice). Streets replace all
 * streets when has_street. */
struct account_slot_change {
    bool given;
    char *name, *org, *city, *sp, *pc, *cc, *email;
    bool has_street;
    char *street[CONTACT_STREETS];
    bool chg_voice;
    char *voice, *voice_x;
};

/* check: could a create with this id succeed? The id is normalised as
 * create would (R1–R3): *avail false with "in use" or why the id is not
 * allowed (names_contact_id_short_reason). Only database failures are
 * errors. */
reg_err account_check(const struct reg_op *op, const char *id, bool *avail, char reason[160],
                      reg_status *st);

/* info by id (any case, never prefixed). The sponsor (and staff) see the
 * slots (out->full); others see id, ROID, billing, sponsor and dates. */
reg_err account_info(const struct reg_op *op, const char *id, struct account *out,
                     reg_status *st);

struct account_create_req {
    char *id;      /* R1–R3 as for contacts */
    char *billing; /* NULL: registrar */
    struct account_fill slot[ACCOUNT_SLOTS];
};
/* Creates the account sponsored by op->registrar_id, making the contact
 * objects of slots given as data (R37); handle gets the stored id. */
reg_err account_create(const struct reg_op *op, const struct account_create_req *req,
                       char handle[CONTACT_ID_MAX + 1], reg_status *st);

struct account_update_req {
    char *id;
    char *rem[ACCOUNT_SLOTS]; /* the contact the client says is in the slot */
    struct account_fill add[ACCOUNT_SLOTS];
    char *billing; /* NULL: keep */
    struct account_slot_change chg[ACCOUNT_SLOTS];
};
/* Only the sponsor. Slots are emptied (rem) before they are filled (add),
 * so rem + add of a slot replaces its contact (the only way to change a1,
 * R34); the rules R34–R36 hold for the result. Then the slot-field
 * changes update the contact objects in those slots (R38) — a normal
 * contact update, seen by every account and domain using the contact,
 * with its own history version. */
reg_err account_update(const struct reg_op *op, const struct account_update_req *req,
                       reg_status *st);

void account_create_req_free(struct account_create_req *r);
void account_update_req_free(struct account_update_req *r);

/* --- R39: self-service credentials of admin contacts ---------------------- */

struct account_credentials {
    char contact[CONTACT_ID_MAX + 1]; /* the contact in the slot */
    char email[256];                  /* where the link is meant to go */
    char token[64];                   /* the one-time setup token (shown once) */
    reg_time expires_at;
};
/* Issues a one-time setup token for the contact in admin slot `slot` (a1–
 * a3) of account `id`, valid for `ttl` seconds; only its SHA-256 is
 * stored, replacing any earlier token of that contact. Billing slots get
 * no self-service access (REG_ERR_POLICY). Staff or the sponsor. */
reg_err account_credentials_issue(const struct reg_op *op, const char *id, const char *slot,
                                  int64_t ttl, struct account_credentials *out, reg_status *st);
/* A one-time setup link for contact_id valid for ttl seconds: token gets
 * it, only its SHA-256 is stored, replacing the contact's earlier link
 * (issue and the self-service site's password reset share it). No history:
 * the caller records why. */
reg_err account_credentials_link(const struct reg_op *op, int64_t contact_id, int64_t ttl,
                                 char token[SECRET_TOKEN_LEN], reg_time *expires_at,
                                 reg_status *st);
/* The self-service site's side: a valid, unexpired token sets the
 * contact's password (argon2id) and is used up. REG_ERR_AUTH for an
 * unknown, used or expired token; REG_ERR_POLICY for a weak password.
 * contact gets the contact's id. The link's hash is kept, marked used; a
 * new password clears the self-service lockout. */
reg_err account_credentials_setup(const struct reg_op *op, const char *token,
                                  const char *password, char contact[CONTACT_ID_MAX + 1],
                                  reg_status *st);
/* REG_OK when the contact (by id) has this password and still holds an
 * admin slot of some account (R39); REG_ERR_AUTH otherwise. */
reg_err account_credentials_verify(const struct reg_op *op, const char *contact,
                                   const char *password, reg_status *st);

/* The SQL condition "domain d is held by contact ?": its registrant, or in
 * an account whose admin slot the contact fills (R39). Bind the contact's
 * id ACCOUNT_HOLDS_DOMAIN_BINDS times. */
#define ACCOUNT_HOLDS_DOMAIN_SQL                                                               \
    "(d.registrant_id = ? OR d.account_id IN (SELECT id FROM account WHERE a1_id = ? OR "      \
    "a2_id = ? OR a3_id = ?))"
#define ACCOUNT_HOLDS_DOMAIN_BINDS 4

#endif
