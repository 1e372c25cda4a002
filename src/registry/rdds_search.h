/* Searches of the registration data (RDAP, RFC 9082 §3.2 and §4.1), open
 * to registrars only: which objects match a pattern, by name, in name
 * order; the caller then reads each with rdds_find_* and shows it within
 * the privacy rules. Every search is bounded by `limit` in SQL; `*more`
 * says that more matched.
 *
 * A pattern is a fixed prefix and, when `partial`, any characters after
 * it, then a fixed `suffix`: "exam*" matches every name that starts with
 * "exam"; "exam*.dk" only those whose first label starts with "exam"
 * (what '*' matches holds no '.'). Without `partial` the prefix is the
 * whole name. Names are matched in byte order, with the index: ASCII
 * patterns (lower case) against A-labels; for domains a `unicode` pattern
 * against U-labels (a scan: there is no index on them). */
#ifndef REG_RDDS_SEARCH_H
#define REG_RDDS_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include "contrib/arena.h"
#include "contrib/status.h"
#include "store/db.h"

struct rdds_pattern {
    const char *prefix;
    const char *suffix; /* "" for none */
    bool partial;
    bool unicode;
};

/* The A-label names of the matching domains (hosts) into names[], at most
 * `limit`; the strings are the arena's. */
reg_err rdds_search_domains(db *d, const struct rdds_pattern *p, size_t limit, struct arena *a,
                            const char **names, size_t *n, bool *more, reg_status *st);
reg_err rdds_search_hosts(db *d, const struct rdds_pattern *p, size_t limit, struct arena *a,
                          const char **names, size_t *n, bool *more, reg_status *st);

struct rdds_entity_hit {
    const char *handle;
    bool registrar; /* a registrar's handle, else a contact's */
};

/* The contacts `sponsor` sponsors, then the registrars, whose handle
 * (by_handle; an upper-case prefix) or full name (a contact's postal name,
 * a registrar's name; ASCII letters case-insensitively) matches. A suffix
 * is not used. */
reg_err rdds_search_entities(db *d, const char *sponsor, bool by_handle,
                             const struct rdds_pattern *p, size_t limit, struct arena *a,
                             struct rdds_entity_hit *hits, size_t *n, bool *more,
                             reg_status *st);

#endif
