/* R4 (seed 004): a domain that changes registrar takes its contacts along
 * as copies sponsored by the new registrar; the originals stay as they
 * are. docs/epp-domains-hosts.md ("Contacts follow the domain") is the
 * registrar-facing description. */
#ifndef REG_CONTACT_COPY_H
#define REG_CONTACT_COPY_H

#include <stdbool.h>
#include <stdint.h>
#include "contact.h"

struct contact_copy {
    int64_t id;
    char handle[CONTACT_ID_MAX + 1];
    bool reused; /* an identical contact of the registrar, not a new object */
};

/* The contact `registrar_id` (handle `registrar`) is to use instead of
 * contact `contact_id`: an identical contact it already sponsors
 * (contact_copy_identical), else a new copy with an R2 id
 * (REGISTRAR:XXXXXXXX), no auth info and only the original's server
 * statuses, recorded in history (action "copy", R40) as the work of
 * op->actor with `domain` as the reason. Inside the caller's
 * transaction. */
reg_err contact_copy_for(const struct reg_op *op, int64_t contact_id, int64_t registrar_id,
                         const char *registrar, const char *domain, struct contact_copy *out,
                         reg_status *st);

/* Is `candidate` a contact R4 may reuse for `orig`? Its data is identical
 * field by field (type, ident type/value/cc, postalInfo int and loc with
 * name, org, street 1–3, city, sp, pc, cc; voice and fax with their
 * extensions, email, mobile, disclose flag and fields), its identity check
 * is in the same state, it has the same server statuses, and it has no
 * pending* status. */
bool contact_copy_identical(const struct contact *orig, const struct contact *candidate);

#endif
