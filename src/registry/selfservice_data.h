/* The self-service site's registrant actions beyond login and "my
 * domains" (issue 17; docs/self-service.md): asking the registrar for a
 * domain's auth code and, when the registrar lets the deadline pass, a
 * one-time password for the move to a new registrar (R15-R17); and "my
 * data": the contacts in the slots of the accounts the logged-in contact
 * administers, changed by the same rules as over EPP (R38, R5, R10,
 * R34-R36), their public (WHOIS/RDAP) disclosure, and their identity
 * check (R21).
 *
 * The registrant acts through the registry, not through a registrar:
 * op->registrar_id is 0 (the registry's own authority, as staff), op->actor
 * the contact's handle, op->channel SELFSERVICE_CHANNEL. Every function
 * checks first that the contact may act on the domain or account, and
 * runs in the caller's transaction. */
#ifndef REG_SELFSERVICE_DATA_H
#define REG_SELFSERVICE_DATA_H

#include <stdbool.h>
#include <stdint.h>

#include "account_store.h"
#include "authinfo_request.h"
#include "contact.h"
#include "idcheck.h"
#include "op.h"
#include "otp.h"

/* ---- R15-R17: the auth code ---------------------------------------------------------------- */

struct selfservice_authcode {
    bool any;                 /* the domain had a request */
    struct authinfo_req req;  /* the newest one */
    bool open, overdue;       /* it is open; and past its deadline (authinfo_request_overdue) */
};

/* The state of the auth-code request of a domain the contact holds
 * (selfservice_domain_get's rule; REG_ERR_NOT_FOUND otherwise). */
reg_err selfservice_authcode_get(const struct reg_op *op, int64_t contact_id, const char *name,
                                 struct selfservice_authcode *out, reg_status *st);

/* R15: asks the domain's registrar for its auth code (authinfo_request:
 * the deadline, the registrar's poll message); an open request is kept.
 * out gets the state afterwards. */
reg_err selfservice_authcode_request(const struct reg_op *op, int64_t contact_id,
                                     const char *name, struct selfservice_authcode *out,
                                     reg_status *st);

/* R16 once the request is overdue: a one-time password for the transfer
 * by registrar `gaining` (handle) sent straight to the registrant by
 * `channel` (email | sms), as otp_request does for that registrar.
 * REG_ERR_NOT_FOUND: not a domain the contact holds; REG_ERR_INVALID: no
 * such registrar; REG_ERR_NOT_TRANSFERABLE: the domain's own registrar;
 * REG_ERR_POLICY while no overdue request is open; otp_request's errors
 * otherwise. */
reg_err selfservice_otp_request(const struct reg_op *op, int64_t contact_id, const char *name,
                                const char *gaining, const char *channel, struct otp_sent *out,
                                reg_status *st);

/* ---- R38, R21: my data ----------------------------------------------------------------------- */

/* The accounts whose admin slot (a1-a3) the contact fills, by handle. */
reg_err selfservice_accounts_each(const struct reg_op *op, int64_t contact_id,
                                  void (*fn)(const struct account *a, void *arg), void *arg,
                                  reg_status *st);

/* The form of a slot's contact: every field as shown (NULL: not sent,
 * kept). street holds up to CONTACT_STREETS lines. */
struct selfservice_slot_form {
    const char *name, *org, *street[CONTACT_STREETS], *city, *sp, *pc, *cc;
    const char *voice, *email;
    const char *ident_type, *ident_value, *ident_cc;
};

/* The form's field a refusal is about, for the page to show it there. */
#define SELFSERVICE_FIELD_MAX 16

/* R38: changes the contact in `slot` ("a1" ... "b3") of account `account`,
 * which the contact must administer, to what the form says. Each part
 * that differs (name, org, address, voice, email, ident) is a contact
 * update of its own, through account_update's slot fields (ident:
 * contact_update), so every EPP rule holds: R5 refuses a new ident, R10
 * mails the old and the new address, statuses and R34's e-mail on a1.
 * On a refusal `field` names the form's field it is about ("" when none)
 * and the caller rolls back. *changed: whether anything differed. */
reg_err selfservice_slot_update(const struct reg_op *op, int64_t contact_id, const char *account,
                                const char *slot, const struct selfservice_slot_form *f,
                                bool *changed, char field[SELFSERVICE_FIELD_MAX], reg_status *st);

/* The CONTACT_DISCLOSE_* bits a contact of this kind may choose to
 * publish: a person (or an untyped contact) its name, address, phone and
 * e-mail; an organisation or a role its phone and e-mail (its name and
 * address are public anyway, DESIGN §7). */
unsigned selfservice_disclose_choosable(const char *kind);
/* The choosable bits contact_discloses() publishes now. */
unsigned selfservice_disclose_current(const struct contact_data *d);

/* The contact in `slot` of `account` publishes exactly the choosable
 * fields in `bits` (others in bits are ignored): a contact update of its
 * disclose element. */
reg_err selfservice_disclose_set(const struct reg_op *op, int64_t contact_id, const char *account,
                                 const char *slot, unsigned bits, reg_status *st);

/* R21: the eID check of the contact in `slot` of `account` by the
 * configured provider with `evidence` (idcheck_eid). */
reg_err selfservice_idcheck_eid(const struct reg_op *op, int64_t contact_id, const char *account,
                                const char *slot, const char *evidence, idcheck_outcome *out,
                                reg_status *st);

#endif
