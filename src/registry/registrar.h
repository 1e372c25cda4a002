/* Registrar accounts (DESIGN §4): handle, password (argon2id), pinned
 * client-certificate fingerprints, source-address allow-list. */
#ifndef REG_REGISTRAR_H
#define REG_REGISTRAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "op.h"
#include "store/db.h"

#define REGISTRAR_HANDLE_MAX 16
#define REGISTRAR_LIST_MAX 16

struct registrar {
    int64_t id;
    char handle[REGISTRAR_HANDLE_MAX + 1];
    char *name;
    char *email;
    char *url, *phone; /* public contact (WHOIS, RDAP); NULL: none */
    bool disabled;
    char default_management[16];
    reg_time created_at, updated_at;
    char *certs[REGISTRAR_LIST_MAX];
    size_t ncerts;
    char *prefixes[REGISTRAR_LIST_MAX];
    size_t nprefixes;
};

struct registrar_new {
    const char *handle;
    const char *name;
    const char *password;
    const char *email;
    const char *certs[REGISTRAR_LIST_MAX];
    size_t ncerts;
    const char *prefixes[REGISTRAR_LIST_MAX];
    size_t nprefixes;
    const char *default_management; /* R18: registrar|registrant; NULL = registrar */
};

/* Handles are 3–16 of A–Z, 0–9 and '-', starting with a letter; input is
 * uppercased. The handle is also the EPP clID (RFC 5730 clIDType ≤ 16). */
reg_err registrar_handle_normalize(const char *in, char out[REGISTRAR_HANDLE_MAX + 1],
                                   reg_status *st);
/* EPP passwords are 6–16 printable ASCII characters without spaces
 * (RFC 5730 pwType), so every registrar password can be used to log in. */
reg_err registrar_password_check(const char *pw, reg_status *st);
/* "AB:CD:…" or "abcd…" (64 hex digits) → lowercase hex without colons. */
reg_err registrar_fingerprint_normalize(const char *in, char out[65], reg_status *st);

/* A generated password: 16 characters from an alphabet without look-alikes. */
reg_err registrar_generate_password(char out[17]);

/* All run in their own transaction. */
reg_err registrar_add(db *d, const struct registrar_new *r, reg_status *st);
/* registrar_add in the caller's transaction (the password is hashed in
 * it: slow); *id gets the new row's id. */
reg_err registrar_insert(db *d, const struct registrar_new *r, int64_t *id, reg_status *st);
reg_err registrar_get(db *d, const char *handle, struct registrar *out, reg_status *st);
/* The row id of the registrar with this (stored) handle; 0 if none or on a
 * database error. */
int64_t registrar_id_by_handle(db *d, const char *handle);
/* The handle of registrar `id` for a command only a registrar gives:
 * REG_ERR_INVALID for staff (id 0) or an unknown id. */
reg_err registrar_handle_of(db *d, int64_t id, char out[REGISTRAR_HANDLE_MAX + 1], reg_status *st);
reg_err registrar_set_password(db *d, const char *handle, const char *password, reg_status *st);
reg_err registrar_set_disabled(db *d, const char *handle, bool disabled, reg_status *st);
/* Inside the caller's transaction: store an argon2id hash made earlier
 * with secret_password_hash() (hashing is slow; do it outside). */
reg_err registrar_store_password_hash(db *d, int64_t id, const char *hash, reg_status *st);
/* Calls fn for each registrar ordered by handle (certs/prefixes not loaded). */
reg_err registrar_each(db *d, void (*fn)(const struct registrar *r, void *arg), void *arg,
                       reg_status *st);
void registrar_free(struct registrar *r);

/* What registrar_delete removed, and what it left naming the registrar by
 * its handle only. */
struct registrar_deletion {
    int64_t poll_messages, prices, rebates, one_time_passwords; /* removed */
    int64_t certificates, addresses, portal_users;              /* removed: its credentials */
    int64_t links; /* contacts no longer linked to it (R28) */
    int64_t log_entries, versions; /* EPP log and history rows kept, with its handle as text */
};
/* Staff delete a registrar, in the caller's transaction. Refused
 * (REG_ERR_ASSOCIATION, the reason naming each kind of record and how
 * many) while it sponsors a domain, contact, host or registrant account,
 * or while records kept for good name it: ledger entries and invoices,
 * registrant invoices, transfers, registrant confirmations, auth-code
 * requests, manual-route records, and other registrars' objects it
 * created or last updated. Otherwise its queued poll messages, price
 * overrides, rebates, one-time passwords, pinned certificates, address
 * allow-list and portal users (with their sessions) go with it, its EPP
 * log entries and history versions keep only its handle, and history
 * gets a "delete" version of kind "registrar" (no password hash). REG_ERR_NOT_FOUND for an unknown
 * handle. */
reg_err registrar_delete(const struct reg_op *op, const char *handle,
                         struct registrar_deletion *out, reg_status *st);

/* Is ip in the registrar's address allow-list (or has it none)? */
bool registrar_address_allowed(const struct registrar *r, const char *ip);

/* Login check for EPP and the portal (DESIGN §11): password, then the
 * pinned certificate (if any are pinned) and the source address (if an
 * allow-list exists). A disabled registrar cannot log in. On success *out
 * is filled (caller frees). Every refusal is REG_ERR_AUTH with a reason
 * safe to show the client. cert_fp may be NULL (no client certificate). */
reg_err registrar_authenticate(db *d, const char *handle, const char *password,
                               const char *cert_fp, const char *peer_ip, struct registrar *out,
                               reg_status *st);

#endif
