/* Domains (RFC 5731) with DNSSEC delegation data (RFC 5910), the
 * redemption grace period (RFC 3915) and transfers. Transport-free: the
 * EPP glue (src/daemon/epp_domain.c) fills and reads these structs. */
#ifndef REG_DOMAIN_H
#define REG_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "names.h"
#include "op.h"
#include "status.h"

#define DOMAIN_NS_MAX 13
#define DOMAIN_CONTACTS_MAX 12
#define DOMAIN_DS_MAX 8
#define DOMAIN_SUB_MAX 64
#define HANDLE_MAX 101

struct domain_contact {
    char role[8]; /* admin | tech | billing */
    char handle[HANDLE_MAX];
};

struct ds_data {
    int key_tag, alg, digest_type;
    char digest[129]; /* uppercase hex */
};

struct domain {
    int64_t id;
    struct domain_name name;
    char roid[48];
    char sponsor[17], creator[17], updater[17];
    char registrant[HANDLE_MAX];
    struct domain_contact contacts[DOMAIN_CONTACTS_MAX];
    size_t ncontacts;
    char ns[DOMAIN_NS_MAX][NAME_MAX_LEN + 1];
    size_t nns;
    char subordinates[DOMAIN_SUB_MAX][NAME_MAX_LEN + 1];
    size_t nsub;
    struct ds_data ds[DOMAIN_DS_MAX];
    size_t nds;
    struct status_set statuses; /* stored; see domain_derived_statuses */
    bool has_authinfo;
    char management[16];
    char terms_version[32];  /* R20: "" on domains registered before */
    reg_time terms_accepted_at;
    char terms_registrar[17]; /* the registrar that vouched for the acceptance */
    reg_time created_at, updated_at, transferred_at, expires_at;
    reg_time delete_requested_at, purge_at;
    char rgp[24]; /* "", "redemptionPeriod" or "pendingDelete" */
    char pending_action[24]; /* R7: "", registrantChange or delete, awaiting the registrant */
};

/* Derived statuses (RFC 5731 §2.3): ok when nothing else applies, inactive
 * without name servers. Writes up to 2 names into out; returns count. */
size_t domain_derived_statuses(const struct domain *d, const char *out[2]);
void domain_free(struct domain *d);

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
 * right auth info (RFC 5731 §3.1.2). Wrong auth info is 2202. */
reg_err domain_info(const struct reg_op *op, const char *name, const char *authinfo,
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
};
reg_err domain_create(const struct reg_op *op, const struct domain_create *in,
                      struct domain *out, reg_status *st);

struct domain_update {
    const char *name;
    const char *add_ns[DOMAIN_NS_MAX], *rem_ns[DOMAIN_NS_MAX];
    size_t nadd_ns, nrem_ns;
    struct domain_contact add_contacts[DOMAIN_CONTACTS_MAX], rem_contacts[DOMAIN_CONTACTS_MAX];
    size_t nadd_contacts, nrem_contacts;
    const char *add_status[STATUS_MAX], *add_status_msg[STATUS_MAX], *rem_status[STATUS_MAX];
    size_t nadd_status, nrem_status;
    const char *chg_registrant;
    bool chg_authinfo;
    const char *authinfo; /* with chg_authinfo: NULL/"" removes it */
    struct ds_data add_ds[DOMAIN_DS_MAX], rem_ds[DOMAIN_DS_MAX];
    size_t nadd_ds, nrem_ds;
    bool rem_all_ds;
};
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
/* Purges domains whose pendingDelete ended (job); *count gets how many. */
reg_err domain_purge_due(const struct reg_op *op, int *count, reg_status *st);
/* Deletes domain alabel for good now, as the registry (a job, R22): its
 * subordinate hosts go with it, a pending transfer is cancelled, the
 * sponsor gets the autoPurge poll message. */
reg_err domain_purge(const struct reg_op *op, const char *alabel, reg_status *st);

/* R19: a registrant-managed domain's renewal is not debited from the
 * registrar; the registry invoices the registrant (registrant_invoice.h). */
reg_err domain_renew(const struct reg_op *op, const char *name, const char *cur_exp_date,
                     int period_months, reg_time *new_expiry, reg_status *st);

struct domain_transfer_info {
    char name[NAME_MAX_LEN + 1];
    char status[24]; /* pending, clientApproved, serverApproved, … */
    char gaining[17], losing[17];
    reg_time requested_at, action_at, new_expires_at;
    bool has_expiry;
    /* a failed request with a wrong one-time password: its id, to be
     * counted with otp_count_wrong() once the command is rolled back */
    int64_t wrong_otp;
};
typedef enum { XFER_REQUEST, XFER_QUERY, XFER_APPROVE, XFER_REJECT, XFER_CANCEL } transfer_op;
/* A request is authorised by the domain's auth info or by the requester's
 * one-time password (R16, otp.h), which moves the domain at once in any
 * transfer mode; without auth info it needs the password (R14). */
reg_err domain_transfer(const struct reg_op *op, transfer_op top, const char *name,
                        const char *authinfo, int period_months, struct domain_transfer_info *out,
                        bool *pending, reg_status *st);
/* RFC 8590 change poll message to the sponsor about a change the registry
 * made (operation: autoRenew, autoDelete, autoPurge, update, …). The data
 * JSON carries the domain as it is now (state "after") or, for autoPurge,
 * as it was ("before"). */
reg_err domain_notify_change(const struct reg_op *op, const char *alabel, const char *operation,
                             const char *reason, reg_status *st);

/* Cancels a pending transfer of the domain (serverCancelled), refunding
 * the gaining registrar: used when the registry deletes the domain. */
reg_err domain_transfer_cancel_pending(const struct reg_op *op, int64_t domain_id, reg_status *st);

/* Approves pending transfers whose automatic-approval time has come. */
reg_err domain_transfer_auto_approve(const struct reg_op *op, int *count, reg_status *st);

#endif
