/* Account rows (R33–R38): the slots, loading and history versions of an
 * account, and its links to domains and contacts (R37) that the domain
 * and contact modules use. The operations are in account.h. */
#ifndef REG_ACCOUNT_STORE_H
#define REG_ACCOUNT_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include "names.h"
#include "op.h"
#include "registrar.h"

/* R33: the slots, in this order everywhere (info, snapshots, columns). */
enum { ACCOUNT_A1, ACCOUNT_A2, ACCOUNT_A3, ACCOUNT_B1, ACCOUNT_B2, ACCOUNT_B3, ACCOUNT_SLOTS };

/* "a1" … "b3"; NULL for anything else. */
const char *account_slot_name(int slot);
/* The slot index of "a1" … "b3", or -1 (R33). */
int account_slot_parse(const char *name);

struct account {
    int64_t id;
    char handle[CONTACT_ID_MAX + 1];
    char roid[48];
    int64_t sponsor_id;
    char sponsor[REGISTRAR_HANDLE_MAX + 1];
    char creator[REGISTRAR_HANDLE_MAX + 1];
    char updater[REGISTRAR_HANDLE_MAX + 1]; /* "" if never updated */
    char billing[12];                       /* registrar | registrant */
    int64_t slot_id[ACCOUNT_SLOTS];         /* 0: empty */
    char slot[ACCOUNT_SLOTS][CONTACT_ID_MAX + 1];
    reg_time created_at, updated_at;
    int64_t domains; /* how many domains belong to it */
    bool full;       /* the sponsor's (or staff's) view: slots included */
};

/* By stored handle (`by_id` 0) or by row id, with the row lock when
 * `lock`; *found false if none. */
reg_err account_load(const struct reg_op *op, const char *handle, int64_t by_id, bool lock,
                     struct account *a, bool *found, reg_status *st);
/* Whether an account has the stored handle (contact_taken_fn). */
reg_err account_handle_taken(const struct reg_op *op, const char *handle, bool *taken,
                             reg_status *st);
/* History (R40): a as `action` (deleted: its last version); or reloaded. */
reg_err account_record(const struct reg_op *op, const struct account *a, const char *action,
                       bool deleted, reg_status *st);
reg_err account_record_version(const struct reg_op *op, int64_t id, const char *action,
                               reg_status *st);

/* --- links to the other objects ------------------------------------------- */

/* R37: puts domain domain_id on the account of its registrant: the
 * account of the domain's sponsor whose a1 is the registrant, or a new
 * one (id: the registrant's id when it carries the sponsor's prefix and is
 * free, else REGISTRAR:XXXXXXXX; billed to the registrant when the domain
 * is registrant-managed, R19). Called when a domain is created and when
 * its registrant changes. */
reg_err account_attach_domain(const struct reg_op *op, int64_t domain_id, reg_status *st);

/* Is the contact in a slot that keeps it from being deleted? Every slot
 * does, except a1 of an account without domains (that account goes with
 * its a1, account_release_contact). */
reg_err account_contact_linked(db *d, int64_t contact_id, bool *linked);

/* Before contact contact_id is deleted: deletes the accounts without
 * domains whose a1 it is (history "delete"). */
reg_err account_release_contact(const struct reg_op *op, int64_t contact_id, reg_status *st);

#endif
