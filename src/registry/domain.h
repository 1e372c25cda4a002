/* Domains (RFC 5731) with DNSSEC delegation data (RFC 5910), the
 * redemption grace period (RFC 3915) and transfers. Transport-free: the
 * EPP glue (src/daemon/epp_domain.c) fills and reads these structs. */
#ifndef REG_DOMAIN_H
#define REG_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "contrib/secret.h"
#include "domain_change.h"
#include "domain_purge.h"
#include "domain_store.h"
#include "names.h"
#include "op.h"
#include "status.h"
#include "transfer_domain.h"

struct domain_check_result {
    bool avail;
    char reason[384];
};
/* check (RFC 5731 §3.1.1): the answer names the domain as the client
 * asked (name, unchanged: a client matches answers to its questions by
 * the text it sent); norm gets the stored form (A-label and U-label) when
 * the name parsed, and is empty (alabel "") when it did not: then avail is
 * false with a reason of at most 32 characters that names the refused
 * code point where there is one ("invalid name: U+FB01"). */
reg_err domain_check(const struct reg_op *op, const char *name, struct domain_name *norm,
                     struct domain_check_result *r, reg_status *st);

/* full = the caller may see everything: the sponsor, or anyone with the
 * right auth info (RFC 5731 §3.1.2): the domain's, or with auth->roid
 * that of its registrant or other contact the roid names (§2.6). Wrong
 * auth info, or a roid of no contact of the domain, is 2202. auth NULL
 * or without pw: none given. */
reg_err domain_info(const struct reg_op *op, const char *name, const struct reg_authinfo *auth,
                    struct domain *out, bool *full, reg_status *st);

struct domain_create {
    const char *name;
    int period_months; /* 0 = default one year */
    const char *registrant;
    struct domain_contact contacts[DOMAIN_CONTACTS_MAX];
    size_t ncontacts;
    const char *ns[DOMAIN_NS_MAX];
    size_t nns;
    const char *authinfo; /* NULL or "" = none */
    struct ds_data ds[DOMAIN_DS_MAX];
    size_t nds;
    const char *management; /* NULL = the registrar's default (R18) */
    /* R20: the registrant accepted this version of the registry's terms at
     * this time (RFC 3339); both required, see terms.h */
    const char *terms_version;
    const char *terms_accepted;
    /* NULL, or domain_create_prepare's outcome for this same input,
     * taken as it is (domain_create works it out itself when NULL) */
    const struct domain_create_ready *ready;
};

/* What a create checks and works out before its transaction: the name,
 * period, management, DS records and terms (R20) checked, and the auth
 * info hashed. EPP's check step runs it, so that none of it is done in
 * SQLite's one writer's place (issue 18); what it reads (the registrar's
 * default management, R18, and whether the name is taken) domain_create
 * reads in the transaction. management is "" for the default. */
struct domain_create_ready {
    struct domain_name dn;
    int months;
    char management[16];
    struct ds_data ds[DOMAIN_DS_MAX];
    reg_time terms_accepted;
    bool has_hash;
    char hash[SECRET_AUTHINFO_HASH_LEN];
};
reg_err domain_create_prepare(const struct reg_op *op, const struct domain_create *in,
                              struct domain_create_ready *out, reg_status *st);
reg_err domain_create(const struct reg_op *op, const struct domain_create *in,
                      struct domain *out, reg_status *st);

/* Applies an update at once (staff, a confirmed request). A chg_registrant
 * naming another contact object is a change of registrant (R6): the old
 * and the new registrant get a notice (R10). */
reg_err domain_update(const struct reg_op *op, const struct domain_update *u, reg_status *st);

/* The registrar's update (EPP): a change of registrant (R6) without
 * verified (R8) is stored and waits for the registrant's confirmation (R7,
 * pending.h): *pending is set and nothing is applied yet. Call inside a
 * transaction (the whole command is tried in a savepoint first). */
reg_err domain_update_request(const struct reg_op *op, const struct domain_update *u,
                              bool verified, bool *pending, reg_status *st);

enum domain_delete_outcome {
    DOMAIN_DELETE_DONE,                /* purged at once (no redemption period) */
    DOMAIN_DELETE_REDEMPTION,          /* RGP redemptionPeriod started */
    DOMAIN_DELETE_AWAITING_REGISTRANT, /* R7: pendingDelete until the registrant confirms */
};
/* The registrar's delete (EPP): without verified (R8) it waits for the
 * registrant (R7); verified it is domain_delete. */
reg_err domain_delete_request(const struct reg_op *op, const char *name, bool verified,
                              enum domain_delete_outcome *outcome, reg_status *st);

/* RGP (RFC 3915): a delete starts the redemption period (pendingDelete);
 * with a zero redemption period the domain goes at once. *pending tells
 * which happened. Either way the registrant gets a notice (R10). */
reg_err domain_delete(const struct reg_op *op, const char *name, bool *pending, reg_status *st);
reg_err domain_restore(const struct reg_op *op, const char *name, reg_status *st);
/* R19: a registrant-managed domain's renewal is not debited from the
 * registrar; the registry invoices the registrant (registrant_invoice.h). */
reg_err domain_renew(const struct reg_op *op, const char *name, const char *cur_exp_date,
                     int period_months, reg_time *new_expiry, reg_status *st);

#endif
