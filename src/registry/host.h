/* Host objects (RFC 5732; DESIGN §4): name servers, with their addresses
 * (glue) and the name-server administrator contact (regh:admin,
 * https://registryd.org/epp/host-ext-1.0).
 *
 * Rules (documented for registrars in docs/; summary here):
 *  - Names: names_host() — absolute LDH names, IDN converted to A-labels,
 *    stored lowercase without the trailing dot.
 *  - A host whose name ends in ".TLD" is in-bailiwick: its superordinate
 *    domain (the second-level name under the TLD) must exist (else 2303),
 *    be sponsored by the acting registrar (else 2201), not be
 *    pendingDelete (else 2304), and the host needs at least one address
 *    (2003 on create, 2306 when an update would leave it with none).
 *  - Any other host is external: it takes no addresses (2306).
 *  - Addresses: IPv4 or IPv6 (the ip="v4"/"v6" attribute must match, 2005),
 *    stored in canonical text form (RFC 5952 for IPv6); private, loopback,
 *    link-local, multicast, documentation, benchmarking and other reserved
 *    ranges (IANA special-purpose registries) and, for IPv6, anything
 *    outside global unicast 2000::/3 are refused with 2306 unless
 *    policy->allow_private_addresses. Duplicates are ignored. At most
 *    HOST_ADDR_MAX addresses of each family per host (2306).
 *  - Update and delete: only the sponsor (2201; registrar_id 0 = staff may
 *    act on any host). clientUpdateProhibited, serverUpdateProhibited and
 *    pending* statuses forbid updates (2304), except an update that only
 *    removes client statuses, clientUpdateProhibited among them, when no
 *    server or pending status forbids it too. Clients may add and remove
 *    only clientUpdateProhibited and clientDeleteProhibited (2306).
 *    Adding an address or status the host has is a no-op; removing one it
 *    does not have, or adding and removing the same value, is 2306.
 *  - Rename (chg name): the new name must be free (2302). Renaming into
 *    .TLD moves the host under the new superordinate domain (same checks
 *    as create) and needs addresses in the result; renaming out of .TLD
 *    must remove all addresses in the same update (2306). Domains that use
 *    the host follow it (they refer to it by id).
 *  - Delete: 2305 while any domain uses the host as a name server
 *    (domain_host); statuses may forbid it (2304). History is kept.
 *  - regh:admin names an existing contact by its full id (2303 if there is
 *    none); an empty element in an update removes it.
 *  - Every change records a history version (R40): create, update, rename,
 *    delete, with a JSON snapshot of the host after the change.
 *
 * The write functions run inside the caller's transaction (the EPP batch
 * transaction under a savepoint); on error the caller rolls back. */
#ifndef REG_HOST_H
#define REG_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "names.h"
#include "op.h"
#include "status.h"

/* Addresses per family per host: more than 13 glue records of one family
 * does not fit a classic 512-byte referral and no name server needs it. */
#define HOST_ADDR_MAX 13
#define HOST_ADDR_STRLEN 46 /* INET6_ADDRSTRLEN */
#define HOST_HANDLE_MAX 17 /* registrar handle + NUL */

struct host_addr {
    char addr[HOST_ADDR_STRLEN]; /* canonical text */
    int version;                 /* 4 or 6 */
};

/* An address as the client gave it; version 0 = take it from the text. */
struct host_addr_in {
    const char *addr;
    int version;
};

/* A client status to add, with its optional message. */
struct host_status_in {
    const char *name;
    const char *message;
};

struct host {
    int64_t id;
    char name[NAME_MAX_LEN + 1];
    char roid[48];
    int64_t sponsor_id;
    char sponsor[HOST_HANDLE_MAX], creator[HOST_HANDLE_MAX], updater[HOST_HANDLE_MAX];
    int64_t superordinate_id;               /* 0 for external hosts */
    char superordinate[NAME_MAX_LEN + 1];   /* "" for external hosts */
    char admin[CONTACT_ID_MAX + 1];         /* regh:admin, "" if none */
    reg_time created_at, updated_at, transferred_at; /* 0 = never */
    struct status_set status;               /* stored statuses */
    bool linked;                            /* used by a domain (domain_host) */
    struct host_addr addrs[2 * HOST_ADDR_MAX];
    size_t naddrs;                          /* IPv4 first, then IPv6 */
};

struct host_create {
    const char *name;
    const struct host_addr_in *addrs;
    size_t naddrs;
    const char *admin; /* NULL or "" = none */
};

struct host_update {
    const char *name;
    const struct host_addr_in *add_addrs, *rem_addrs;
    size_t nadd_addrs, nrem_addrs;
    const struct host_status_in *add_status;
    size_t nadd_status;
    const char *const *rem_status;
    size_t nrem_status;
    const char *new_name; /* NULL = keep the name */
    const char *admin;    /* NULL = unchanged, "" = remove */
};

/* One address: syntax, family (version 4, 6 or 0 for either; a mismatch
 * is REG_ERR_INVALID) and, unless p->allow_private_addresses, the
 * special-purpose ranges (REG_ERR_POLICY naming the range). */
reg_err host_addr_parse(const struct registry_policy *p, const char *text, int version,
                        struct host_addr *out, reg_status *st);

/* Is the (normalised) name under the TLD? If so and superordinate is not
 * NULL, writes the superordinate domain's name ("example.dk"). */
bool host_in_bailiwick(const struct registry_policy *p, const char *name,
                       char superordinate[NAME_MAX_LEN + 1]);

/* Availability of one name for <check>: avail false with a short reason
 * (≤ 32 characters: eppcom:reasonType) for a name in use or invalid. */
reg_err host_check(const struct reg_op *op, const char *name, bool *avail, char reason[33],
                   reg_status *st);

/* The host named `name` (any registrar may read it), with addresses,
 * statuses and whether it is linked. REG_ERR_NOT_FOUND if there is none.
 * Free with host_free. */
reg_err host_info(const struct reg_op *op, const char *name, struct host *out, reg_status *st);

/* The write operations (in the caller's transaction). host_create fills
 * *out (may be NULL) with the new host. */
reg_err host_create(const struct reg_op *op, const struct host_create *req, struct host *out,
                    reg_status *st);
reg_err host_update(const struct reg_op *op, const struct host_update *req, reg_status *st);
reg_err host_delete(const struct reg_op *op, const char *name, reg_status *st);

/* A domain changed sponsor (transfer): its subordinate hosts go with it
 * (RFC 5732 §3.2.4: hosts are transferred implicitly with their
 * superordinate domain). Sets their sponsor and trDate and records a
 * "transfer" version of each (R40). In the caller's transaction; for
 * transfer.c to call. */
reg_err host_transfer_subordinates(const struct reg_op *op, int64_t domain_id,
                                   int64_t new_sponsor_id, reg_status *st);

/* Re-reads the host named `name` (stored form) after a change made
 * outside the operations above and records the version as `action` (R40). */
reg_err host_record_version(const struct reg_op *op, const char *name, const char *action,
                            reg_status *st);

void host_free(struct host *h);

/* The host as the JSON object stored in history (malloc'd, NULL on OOM). */
char *host_snapshot(const struct host *h, const char *renamed_from);

#endif
