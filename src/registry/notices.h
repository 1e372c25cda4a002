/* Notification mails to registrants and contacts (DESIGN §6 R10, R11).
 * Each function queues its mails with outbox_email() in the caller's
 * transaction, so a mail exists exactly when the change that causes it
 * was committed; the outbox-deliver job sends them.
 *
 * The texts are templates in src/notify/templates.c, in the recipient
 * contact's language: its staff override (contact.lang, `regctl contact
 * lang`), else by the country of its postal address (DK → da, NO → nb,
 * EE → et, see template_lang_for), else policy->language ([mail]
 * language). An address that is empty or has no '@' is skipped: a
 * contact's bad address never fails the change itself.
 *
 * Causes (outbox.cause): contact-email-change, registrant-change,
 * domain-delete, confirmation-request, domain-expired, registrant-renewal,
 * contact-check, management-change, otp, selfservice-reset. */
#ifndef REG_NOTICES_H
#define REG_NOTICES_H

#include <stdbool.h>
#include <stdint.h>
#include "config/config.h"
#include "op.h"

/* The branding of every mail ([registry] name, support, terms_url) and
 * the operator's own texts ([mail] templates, checked): once, at start-up,
 * before any thread sends. *loaded: how many texts of the operator's. */
reg_err notices_setup(const struct reg_config *cfg, size_t *loaded, reg_status *st);

/* R10: contact contact_id's e-mail changed from old_email to new_email
 * (call after the update): one mail to each address, naming the contact
 * and its registrar. */
reg_err notice_contact_email_change(const struct reg_op *op, int64_t contact_id,
                                    const char *old_email, const char *new_email, reg_status *st);

/* R10: domain domain_id's registrant was replaced (call after the
 * update): one mail to the old registrant's address, one to the new. */
reg_err notice_registrant_change(const struct reg_op *op, int64_t domain_id,
                                 int64_t old_registrant_id, reg_status *st);

/* R10: a delete of domain domain_id was requested (call before the
 * domain row goes): one mail to the registrant. restorable_until is the
 * end of the redemption period, 0 when the domain is deleted at once. */
reg_err notice_delete_request(const struct reg_op *op, int64_t domain_id,
                              reg_time restorable_until, reg_status *st);

/* R7: one mail to the current registrant of domain_id asking to confirm
 * or reject a change of registrant (kind "registrantChange", to contact
 * new_registrant_id) or a delete (kind "delete"), with the link to the
 * confirmation page and its expiry. Cause: confirmation-request. */
reg_err notice_confirmation_request(const struct reg_op *op, int64_t domain_id, const char *kind,
                                    int64_t new_registrant_id, const char *link,
                                    reg_time expires_at, reg_status *st);

/* R39: contact contact_id asked the self-service site for a new password:
 * one mail to its address with the one-time link to choose one, valid
 * until expires_at. Cause: selfservice-reset. */
reg_err notice_selfservice_reset(const struct reg_op *op, int64_t contact_id, const char *link,
                                 reg_time expires_at, reg_status *st);

/* R11: domain domain_id expired at `expired`: one mail to every unique
 * address among its registrant, admin, tech and billing contacts (each
 * mail says in which roles). *mails gets how many were queued. */
reg_err notice_expired(const struct reg_op *op, int64_t domain_id, reg_time expired, int *mails,
                       reg_status *st);

/* R19: registrant-managed domain domain_id was renewed until `until`
 * (by its registrar over EPP, or at expiry). The payer gets one mail at
 * `to` (greeted by `name`): with the invoice, or saying there is nothing
 * to pay (inv NULL: a zero price). */
struct renewal_invoice {
    int64_t number;     /* shown as R<number> */
    int64_t amount;       /* minor units, written as the mail's language does */
    const char *currency;
    reg_time issued, due, from;
    int years;
    const char *payer_handle, *payer_name, *payer_org, *payer_address; /* "" if none */
};
reg_err notice_registrant_renewal(const struct reg_op *op, int64_t domain_id, const char *to,
                                  const char *name, reg_time until,
                                  const struct renewal_invoice *inv, reg_status *st);

/* R19: asks contact contact_id, the registrant of registrar-managed
 * domains, to check the contact data the registry holds (shown in the
 * mail) and to have its registrar correct it. */
reg_err notice_contact_check(const struct reg_op *op, int64_t contact_id, reg_status *st);

/* R18: domain domain_id's management model was changed by the registry
 * (call after the change): one mail to the registrant saying who deals
 * with it from now on. */
reg_err notice_management_change(const struct reg_op *op, int64_t domain_id, reg_status *st);

/* R21: the identity check of contact contact_id became pending (call
 * after the change) because it became the registrant of domain alabel:
 * one mail to the contact saying how to confirm its identity and by
 * `deadline`, and what happens if it does not. Cause idcheck-pending. */
reg_err notice_idcheck_pending(const struct reg_op *op, int64_t contact_id, const char *alabel,
                               reg_time deadline, reg_status *st);

/* R22: the identity check of contact contact_id failed (call after its
 * domains were suspended): one mail to the contact listing each domain it
 * holds with the date it will be deleted. missed_deadline (0 if not the
 * reason) is the deadline it did not meet. Cause idcheck-failed. */
reg_err notice_idcheck_failed(const struct reg_op *op, int64_t contact_id,
                              reg_time missed_deadline, reg_status *st);
/* R16: the one-time password `code` ("ABCDE-FGHJK") for domain_id, asked
 * for by the registrar gaining_id, valid until `expires`: to `to` (an
 * e-mail address for channel "email", +CCNNNNNNNN for "sms"), in the
 * registrant's language. Cause: otp. */
reg_err notice_otp(const struct reg_op *op, int64_t domain_id, int64_t gaining_id,
                   const char *channel, const char *to, const char *code, reg_time expires,
                   reg_status *st);

#endif
