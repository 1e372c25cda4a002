/* The registrar portal's contacts and hosts, registry side (issue 16): a
 * registrar's contacts and hosts searched and listed a page at a time, and
 * what uses a contact. The changes themselves are EPP's operations
 * (contact.h, host.h), called by the pages in a transaction of their own.
 * Transport-free: src/web/portal_contacts.c and portal_hosts.c show it. */
#ifndef REG_PORTAL_OBJECTS_H
#define REG_PORTAL_OBJECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "host.h"
#include "names.h"
#include "op.h"

#define PORTAL_OBJECTS_PAGE_MAX 100

/* One contact as a list row: the name and organisation of its loc
 * postalInfo (else its int one). */
struct portal_contact_row {
    char handle[CONTACT_ID_MAX + 1];
    char name[256], org[256], email[256];
    reg_time created_at;
    bool linked; /* a domain's registrant or contact, or a host's admin */
};

/* The registrar's contacts whose handle, name or e-mail contains `q` (any
 * case; NULL or "": all), by handle: `offset` skipped, at most `limit`
 * (≤ PORTAL_OBJECTS_PAGE_MAX) into rows; *n how many, *total how many
 * match in all. */
reg_err portal_contacts_page(const struct reg_op *op, int64_t registrar_id, const char *q,
                             int64_t offset, size_t limit, struct portal_contact_row *rows,
                             size_t *n, int64_t *total, reg_status *st);

/* What uses contact `handle` (stored form): each domain with the role
 * ("registrant", "admin", "tech", "billing") and each host it administers
 * ("host"), by name, at most `max` of them; fn once each. */
reg_err portal_contact_uses(const struct reg_op *op, const char *handle, size_t max,
                            void (*fn)(const char *name, const char *role, void *arg), void *arg,
                            reg_status *st);

/* One host as a list row: its addresses space-separated. */
struct portal_host_row {
    char name[NAME_MAX_LEN + 1];
    char addrs[2 * HOST_ADDR_MAX * HOST_ADDR_STRLEN];
    reg_time created_at;
    bool linked; /* used by a domain */
};

/* The registrar's hosts whose name contains `q` (any case; NULL or "":
 * all), by name; as portal_contacts_page. */
reg_err portal_hosts_page(const struct reg_op *op, int64_t registrar_id, const char *q,
                          int64_t offset, size_t limit, struct portal_host_row *rows, size_t *n,
                          int64_t *total, reg_status *st);

#endif
