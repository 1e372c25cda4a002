/* What staff record about a registrar's offer to its customers: the
 * default management model of the domains it registers (R18) and whether
 * it offers name service and DNSSEC (R26: a registrar that offers name
 * service must offer DNSSEC; `regctl report dnssec` lists those that do
 * not). */
#ifndef REG_REGISTRAR_SERVICES_H
#define REG_REGISTRAR_SERVICES_H

#include <stdbool.h>
#include "registrar.h"

struct registrar_services {
    char default_management[16]; /* registrar | registrant */
    bool name_service, dnssec;
};

/* Each field a change: NULL / -1 leaves it as it is. In its own
 * transaction. Unknown registrar: REG_ERR_NOT_FOUND; a model other than
 * registrar|registrant: REG_ERR_INVALID. */
struct registrar_services_change {
    const char *default_management;
    int name_service, dnssec; /* 0, 1, or -1 */
    /* The registrar's public details (WHOIS and RDAP show them): NULL
     * leaves one as it is, "" clears it (the name cannot be cleared). */
    const char *name, *email, *url, *phone;
};
reg_err registrar_services_set(db *d, const char *handle,
                               const struct registrar_services_change *c, reg_status *st);
reg_err registrar_services_get(db *d, const char *handle, struct registrar_services *out,
                               reg_status *st);

/* R26: the registrars that offer name service but not DNSSEC, by handle. */
reg_err registrar_dnssec_gap_each(db *d, void (*fn)(const char *handle, const char *name, void *arg),
                                  void *arg, reg_status *st);

#endif
