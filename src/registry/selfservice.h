/* The registrant self-service site's rules (issue 17; R7, R21, R39;
 * docs/self-service.md). Who may log in: a contact that fills an admin
 * slot (a1-a3) of an account (R39), by its handle or its e-mail address,
 * with the password it chose through a one-time setup link (regctl
 * account credentials, or a reset link mailed by the site), or with an
 * eID whose identity the configured provider matches with the contact's
 * ident (R21; idcheck.h). [selfservice] max_failures wrong passwords or
 * identities lock the login for [selfservice] lockout; a reset link ends
 * the lockout once a new password is set. Sessions are rows keyed by the
 * SHA-256 of the browser's token, as the portal's.
 *
 * Transport-free: src/web/selfservice*.c shows it. The login functions
 * run their own transactions (the password hash is checked outside any);
 * the rest run in the caller's. History: channel "self-service". */
#ifndef REG_SELFSERVICE_H
#define REG_SELFSERVICE_H

#include <stdbool.h>
#include <stdint.h>
#include "contact.h"
#include "contrib/secret.h"
#include "op.h"
#include "pending.h"
#include "registrar.h"
#include "terms.h"

#define SELFSERVICE_CHANNEL "self-service"
#define SELFSERVICE_LOGIN_MAX 254 /* a handle or an e-mail address */

/* ---- set-up and reset links ------------------------------------------------------------- */

enum selfservice_link { SELFSERVICE_LINK_VALID, SELFSERVICE_LINK_USED, SELFSERVICE_LINK_EXPIRED };

/* The state of a setup link (for its page: a used or expired link is
 * 410). REG_ERR_NOT_FOUND for a token never issued or replaced by a newer
 * link. contact gets the contact's handle. */
reg_err selfservice_link_state(const struct reg_op *op, const char *token,
                               enum selfservice_link *state, char contact[CONTACT_ID_MAX + 1],
                               reg_status *st);

/* "Forgot my password" for `login` (handle or e-mail): when it names
 * exactly one contact that may log in, a new setup link valid for
 * [selfservice] reset_ttl is mailed to its address (template
 * selfservice-reset; it replaces any earlier link). Nothing tells the
 * caller whether it did: REG_OK either way, so the page cannot be used
 * to find out who has a login. Caller's transaction. */
reg_err selfservice_reset_request(const struct reg_op *op, const char *login, reg_status *st);

/* ---- login ------------------------------------------------------------------------------- */

/* Password login by handle or e-mail from the login form. On success a
 * new session, its token in token. REG_ERR_AUTH with a sentence for the
 * registrant: wrong login or password (counted), locked (until when),
 * an e-mail address of several contacts (log in with the handle).
 * Own transactions. */
reg_err selfservice_login_password(const struct reg_op *op, const char *login,
                                   const char *password, char token[SECRET_TOKEN_LEN],
                                   reg_status *st);

/* eID login: `evidence` is what the eID provider asserted (the test
 * provider: CC:IDENT, see docs/self-service.md); the provider must find
 * it to be the contact's identity. A mismatch is counted like a wrong
 * password; a provider error changes nothing (REG_ERR_IO); no provider
 * configured is REG_ERR_CONFIG. Own transactions. */
reg_err selfservice_login_eid(const struct reg_op *op, const char *login, const char *evidence,
                              char token[SECRET_TOKEN_LEN], reg_status *st);

/* Whether [idcheck] provider names an eID provider the site can offer. */
bool selfservice_eid_available(const struct reg_op *op);

/* ---- sessions ---------------------------------------------------------------------------- */

struct selfservice_session {
    int64_t contact_id;
    char handle[CONTACT_ID_MAX + 1];
    char name[256];
    char email[256];
    char lang[8];                 /* the contact's mail language (templates.h) */
    char method[12];              /* password | eid */
    char csrf[SECRET_SHA256_HEX]; /* the forms' token, derived from the session's */
};

/* The live session of this token (not idle past [selfservice]
 * idle_timeout, nor older than lifetime, its contact still in an admin
 * slot); REG_ERR_AUTH otherwise (an ended session is removed). Its last
 * use is recorded. Own transactions. */
reg_err selfservice_session_get(const struct reg_op *op, const char *token,
                                struct selfservice_session *out, reg_status *st);
reg_err selfservice_logout(const struct reg_op *op, const char *token, reg_status *st);

/* ---- my domains -------------------------------------------------------------------------- */

struct selfservice_domain {
    char name[NAME_MAX_LEN + 1];  /* A-label */
    char uname[NAME_MAX_LEN + 1]; /* U-label */
    reg_time expires;
    char registrar[REGISTRAR_HANDLE_MAX + 1];
    char registrar_name[256];
    char management[16]; /* registrar | registrant (R18) */
    char pending[24];    /* the open confirmation's kind, "" for none */
    char terms_version[TERMS_VERSION_MAX + 1]; /* R20: "" for a domain registered before */
    reg_time terms_accepted_at;
};

/* The domains the contact holds (account.h ACCOUNT_HOLDS_DOMAIN_SQL), by
 * name; `filter` (may be NULL or "") keeps names containing it (either
 * form, any case). */
reg_err selfservice_domains_each(const struct reg_op *op, int64_t contact_id, const char *filter,
                                 void (*fn)(const struct selfservice_domain *d, void *arg),
                                 void *arg, reg_status *st);
/* One of them by name (any case, A- or U-label); REG_ERR_NOT_FOUND when
 * the contact does not hold it. */
reg_err selfservice_domain_get(const struct reg_op *op, int64_t contact_id, const char *name,
                               struct selfservice_domain *out, reg_status *st);

/* R7: the confirmations awaiting the contact are pending.h's
 * pending_each_held and pending_decide_held. */

#endif
