/* The domain row and everything read with it: the only code that writes
 * the domain table (features and operations call these writers), loads a
 * domain with its contacts, name servers, DS records and statuses, and
 * records its history version (R40). */
#ifndef REG_DOMAIN_STORE_H
#define REG_DOMAIN_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
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


/* An update as a registrar asks for it (EPP), applied by domain_update or
 * stored while it waits for the registrant (pending.c). */
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

/* ---- reading -------------------------------------------------------------- */

/* By A-label; *hash (optional) gets the stored auth-info hash. */
reg_err domain_load(const struct reg_op *op, const char *alabel, struct domain *d, char *hash,
                    size_t hashlen, reg_status *st);
/* By user input (U- or A-label); a name we would never register is
 * REG_ERR_NOT_FOUND. */
reg_err domain_load_input(const struct reg_op *op, const char *name, struct domain *d,
                          char *hash, size_t hashlen, reg_status *st);
bool domain_is_sponsor(const struct reg_op *op, const struct domain *d);

/* Re-reads the domain and stores the version in history (R40). */
reg_err domain_record_version(const struct reg_op *op, const char *alabel, const char *action,
                              reg_status *st);
/* The same for a domain the caller has just read. */
reg_err domain_record_version_of(const struct reg_op *op, const struct domain *d,
                                 const char *action, reg_status *st);

/* The domain as stored in a change poll message (poll.c): a new object
 * for the caller, and the domain read back from one (missing fields stay
 * empty). */
json_t *domain_to_json(const struct domain *d);
void domain_from_json(json_t *o, struct domain *d);

/* ---- writing: every change of a domain row ---------------------------------- */

/* A change sets updated_at; `as_updater` also makes the acting registrar
 * (op->registrar_id) the updater, which staff and jobs leave as it was. */

struct domain_row {
    const char *alabel, *ulabel;
    int64_t registrant_id;
    const char *authinfo_hash; /* NULL: none */
    const char *management;
    reg_time expires_at;
    const char *terms_version;
    reg_time terms_accepted_at;
};
/* What domain_store_insert gives back: the new row's id, the account it
 * joined (0: none) and the handles of its sponsor and registrant. */
struct domain_inserted {
    int64_t id, account_id;
    char sponsor[17];
    char registrant[HANDLE_MAX];
};
/* A new domain sponsored, created and vouched for (R20) by the acting
 * registrar; REG_ERR_EXISTS if the name is taken. It joins the account
 * its registrant holds with the registrar (R37), if there is one. */
reg_err domain_store_insert(const struct reg_op *op, const struct domain_row *r,
                            struct domain_inserted *out, reg_status *st);
/* The domain domain_store_insert just made, as domain_load would read it:
 * its row from what was written (r, ins: its row is not read back) and
 * its lists (contacts, name servers, DS records, statuses) as stored. */
reg_err domain_store_load_new(const struct reg_op *op, const struct domain_row *r,
                              const struct domain_inserted *ins, struct domain *d,
                              reg_status *st);
/* The registrant (0: unchanged) and, with chg_authinfo, the auth-info
 * hash (NULL: none), by the acting registrar. */
reg_err domain_store_update(const struct reg_op *op, int64_t id, int64_t registrant_id,
                            bool chg_authinfo, const char *authinfo_hash, reg_status *st);
/* The auth-info hash `old` in the newer form `fresh` (secret_authinfo_verify
 * rehashed it on its use): the same auth info, so no history version and
 * no updated_at. Nothing happens if the hash is no longer `old`. */
reg_err domain_store_rehash_authinfo(const struct reg_op *op, int64_t id, const char *old,
                                     const char *fresh, reg_status *st);
reg_err domain_store_set_expiry(const struct reg_op *op, int64_t id, reg_time expires_at,
                                bool as_updater, reg_status *st);
/* Deleted now, purged at purge_at; purge_at 0 restores it (RFC 3915). */
reg_err domain_store_set_deletion(const struct reg_op *op, int64_t id, reg_time purge_at,
                                  bool as_updater, reg_status *st);
/* To the gaining registrar gid (also its updater) with a new expiry; the
 * old auth info goes. */
reg_err domain_store_move(const struct reg_op *op, int64_t id, int64_t gid, reg_time expires_at,
                          reg_status *st);
reg_err domain_store_set_management(const struct reg_op *op, int64_t id, const char *management,
                                    reg_status *st);
reg_err domain_store_set_account(const struct reg_op *op, int64_t id, int64_t account_id,
                                 reg_status *st);
/* R22: deletion for a failed identity check at `at` unless one is set
 * already (*when gets the one that holds); at 0 cancels it. */
reg_err domain_store_set_idcheck_delete(const struct reg_op *op, int64_t id, reg_time at,
                                        reg_time *when, reg_status *st);
/* The expiry the last expiry notice was sent for. */
reg_err domain_store_set_expiry_notice(const struct reg_op *op, int64_t id, reg_time expires,
                                       reg_status *st);
/* R4: registrant `from` of domain id becomes `to` (no change of
 * registrant, R6: the same person in a copied object). */
reg_err domain_store_replace_registrant(const struct reg_op *op, int64_t id, int64_t from,
                                        int64_t to, reg_status *st);
/* Removes the domain, its links, DS records, statuses and transfers. */
reg_err domain_store_delete(const struct reg_op *op, int64_t id, reg_status *st);

#endif
