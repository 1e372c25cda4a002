/* Linked WHOIS handles (DESIGN §4, R28-R31; seed 000, issue 16).
 *
 * A registrar names its own handle: a contact it sponsors (staff set it,
 * `regctl registrar set R --handle C`). A contact can be linked to one
 * registrar: its domains and name servers are then managed in that
 * registrar's portal, and it can no longer log in to self-service (R31).
 * The portal's Administrator sees the handles linked to the registrar with
 * their roles, domains and name servers (R28); links any of the link
 * candidates, the active handles whose contact data exactly equal the
 * registrar's own handle (R29); creates a handle already linked (R30); and
 * unlinks. Staff link and unlink any contact with regctl.
 *
 * "Active": not being deleted or transferred (no pendingDelete or
 * pendingTransfer) and its identity check not failed (R22). "Exactly
 * equal" (R29): name, organisation, street lines, city, postal code and
 * country of the postal address (the local one where it has both), ident
 * (type, value and country: the org number or VAT), voice and e-mail,
 * each compared after trimming white space and in Unicode NFC, the
 * e-mail also ignoring case. Fields not in that list (state, fax, mobile,
 * disclose flags) may differ.
 *
 * Changes run in the caller's transaction and record a contact version
 * "link" / "unlink" (R40); the own handle a "registrar" version. */
#ifndef REG_LINKED_H
#define REG_LINKED_H

#include <stdbool.h>
#include <stdint.h>

#include "contact.h"
#include "op.h"
#include "registrar.h"

#define LINKED_TEXT_MAX 256

/* ---- the registrar's own handle -------------------------------------------------------------- */

/* Staff name contact `contact` as registrar `registrar`'s own handle ("" or
 * NULL clears it). REG_ERR_NOT_FOUND for an unknown registrar or contact,
 * REG_ERR_POLICY when the contact is sponsored by another registrar. */
reg_err registrar_own_handle_set(const struct reg_op *op, const char *registrar,
                                 const char *contact, reg_status *st);
/* The own handle of registrar `registrar_id` in out ("" for none). */
reg_err registrar_own_handle_get(db *d, int64_t registrar_id, char out[CONTACT_ID_MAX + 1],
                                 reg_status *st);

/* ---- R31: for the self-service login ------------------------------------------------------- */

struct contact_link_info {
    bool linked;
    char registrar[REGISTRAR_HANDLE_MAX + 1]; /* its handle, "" when not linked */
    char registrar_name[LINKED_TEXT_MAX];     /* its name, "" when not linked */
};
/* Is contact `handle` (as a user typed it: case does not matter,
 * names_contact_lookup) linked, and to which
 * registrar? The self-service login must refuse a linked contact (R31),
 * e.g. "your handle is managed by <registrar_name> in its registrar portal".
 * REG_ERR_NOT_FOUND for an unknown contact; runs outside or inside a
 * transaction (one read). */
reg_err contact_link_info(db *d, const char *handle, struct contact_link_info *out,
                          reg_status *st);

/* ---- linking ----------------------------------------------------------------------------------- */

/* Staff: link contact `handle` to registrar `registrar` (any contact:
 * staff checked the papers). REG_ERR_NOT_FOUND, or REG_ERR_EXISTS when it
 * is linked already (to which is said). */
reg_err contact_link(const struct reg_op *op, const char *handle, const char *registrar,
                     reg_status *st);
/* Unlink contact `handle`; registrar_id 0 (staff): from whichever
 * registrar, else only from that one (REG_ERR_NOT_FOUND otherwise, as for
 * a contact not linked at all). */
reg_err contact_unlink(const struct reg_op *op, const char *handle, int64_t registrar_id,
                       reg_status *st);
/* The portal: link a link candidate of registrar registrar_id (R29);
 * REG_ERR_POLICY, saying why, for any other contact. */
reg_err linked_link_candidate(const struct reg_op *op, int64_t registrar_id, const char *handle,
                              reg_status *st);
/* R30: contact_create for op->registrar_id (the same rules and messages
 * as EPP), linked to it at once. */
reg_err linked_create(const struct reg_op *op, const struct contact_create_req *req,
                      char handle[CONTACT_ID_MAX + 1], reg_status *st);

/* ---- what the portal lists ------------------------------------------------------------------- */

/* A handle's roles (R28), as bits. */
enum {
    LINKED_REGISTRANT = 1u << 0,
    LINKED_ADMIN = 1u << 1,
    LINKED_TECH = 1u << 2,
    LINKED_BILLING = 1u << 3,
    LINKED_NS_ADMIN = 1u << 4, /* a name server's admin (regh:admin) */
};

struct linked_handle {
    char handle[CONTACT_ID_MAX + 1];
    char name[LINKED_TEXT_MAX], org[LINKED_TEXT_MAX], email[LINKED_TEXT_MAX];
    char sponsor[REGISTRAR_HANDLE_MAX + 1];
    unsigned roles;           /* LINKED_* it has in at least one object */
    int64_t registrant, admin, tech, billing; /* domains in each role */
    int64_t domains, hosts;   /* domains in any role; name servers it administers */
};

/* R28: the handles linked to registrar_id, by handle. */
reg_err linked_each(const struct reg_op *op, int64_t registrar_id,
                    void (*fn)(const struct linked_handle *h, void *arg), void *arg,
                    reg_status *st);
/* R28: one linked handle's domains (U-label, its LINKED_* roles in it) by
 * name, then its name servers. REG_ERR_NOT_FOUND unless the handle is
 * linked to registrar_id. out (optional) gets the handle's line. */
reg_err linked_objects(const struct reg_op *op, int64_t registrar_id, const char *handle,
                       struct linked_handle *out,
                       void (*domain_fn)(const char *name, unsigned roles, void *arg),
                       void (*host_fn)(const char *name, void *arg), void *arg, reg_status *st);

/* Why the candidates are none (R29: the empty list says why). */
enum linked_none { LINKED_SOME, LINKED_NO_OWN_HANDLE, LINKED_NO_MATCH };
/* R29: the link candidates of registrar_id, by handle; *why says why
 * there are none. */
reg_err linked_candidates(const struct reg_op *op, int64_t registrar_id,
                          void (*fn)(const struct linked_handle *h, void *arg), void *arg,
                          enum linked_none *why, reg_status *st);

/* R29's comparison of two contacts' data (see above). */
bool linked_same_data(const struct contact_data *a, const struct contact_data *b);

#endif
