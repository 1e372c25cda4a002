/* Object status values (RFC 5731 §2.3, RFC 5732 §2.3, RFC 5733 §2.2):
 * the stored ones live in object_status; ok, linked and inactive are
 * derived by the object modules. */
#ifndef REG_OBJSTATUS_H
#define REG_OBJSTATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/status.h"
#include "store/db.h"

#define STATUS_MAX 24
#define STATUS_NAME_MAX 32

struct status_entry {
    char name[STATUS_NAME_MAX];
    char *message; /* optional free text (RFC: <status s="…" lang="en">text</status>) */
};

struct status_set {
    struct status_entry items[STATUS_MAX];
    size_t n;
};

/* Operations that statuses can prohibit. */
typedef enum { OP_UPDATE, OP_DELETE, OP_RENEW, OP_TRANSFER } status_op;

reg_err status_load(db *d, const char *kind, int64_t id, struct status_set *out);
void status_set_free(struct status_set *s);
bool status_has(const struct status_set *s, const char *name);
/* Inside the caller's transaction. */
reg_err status_add(db *d, const char *kind, int64_t id, const char *name, const char *message);
reg_err status_remove(db *d, const char *kind, int64_t id, const char *name);
reg_err status_remove_all(db *d, const char *kind, int64_t id);

/* A status message (free text shown in WHOIS, RDAP and EPP) under PRECIS
 * FreeformClass (contrib/precis.h): REG_ERR_INVALID naming the status and
 * the code point otherwise. NULL and "" pass. */
reg_err status_message_check(const char *name, const char *message, reg_status *st);

/* Is `name` a status a sponsoring client may add or remove on `kind`? */
bool status_client_settable(const char *kind, const char *name);
/* Is `name` a status the registry's staff set on `kind` (server_status.h)?
 * serverHold and serverRenewProhibited are for domains only, and hosts
 * have no serverTransferProhibited (RFC 5732 §2.3). */
bool status_server_settable(const char *kind, const char *name);
/* REG_ERR_STATUS_PROHIBITS (2304) naming the first status that forbids op. */
reg_err status_allows(const struct status_set *s, status_op op, reg_status *st);

#endif
