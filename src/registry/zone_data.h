/* What the TLD zone publishes (DESIGN §9; docs/zone.md), read from the
 * registry's rows: the delegations (NS and DS of each published domain)
 * and the addresses (glue) of the in-bailiwick name servers they use.
 * The zone file writer (src/zone) and the DNS UPDATE publisher read the
 * zone through these functions only, so both publish the same thing.
 *
 * A domain is published when it has at least one name server and is not
 *  - on serverHold or clientHold (R22's suspension is a serverHold too);
 *  - deleted into its redemption period or pendingDelete (RFC 3915:
 *    domain.delete_requested_at is set);
 *  - suspended by a failed identity check (R22: domain.idcheck_delete_at
 *    is set, even if staff lifted the hold by hand).
 * A delete still awaiting the registrant's confirmation (R7: status
 * pendingDelete "awaiting the registrant", no deletion yet) keeps the
 * domain published: the registrant has not agreed, and may reject it.
 * Publication follows the stored state only; the jobs change that state
 * at its times (expiry → serverHold, …).
 *
 * Glue: the addresses of a host are published when the host is
 * in-bailiwick (under the TLD: it has a superordinate domain) and at least
 * one published delegation names it. That holds even when the host's own
 * domain is not published (on hold, say): the delegations that use the
 * host keep working, and BIND refuses a zone whose in-zone name server
 * has no address.
 *
 * Names are A-labels (IDN as xn--…), lowercase, without the trailing dot.
 * Order is byte order (strcmp) of the names on both backends, whatever
 * the database's collation: delegations by name, their name servers by
 * name, DS by key tag, algorithm, digest type and digest, glue by host
 * name, then IPv4 before IPv6, then address text.
 *
 * Reads run in the caller's transaction when one is open; otherwise the
 * function opens a read-only snapshot of its own (db_begin_snapshot) and
 * ends it, so one call sees one consistent state. */
#ifndef REG_ZONE_DATA_H
#define REG_ZONE_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "store/db.h"

#define ZONE_NAME_SIZE 256 /* a name, its NUL included */

struct zone_ds {
    unsigned key_tag, alg, digest_type;
    char digest[130]; /* hex, uppercase */
};

struct zone_addr {
    int version;   /* 4 or 6 */
    char addr[46]; /* canonical text (RFC 5952 for IPv6) */
};

/* An in-bailiwick host and the addresses to publish for it. */
struct zone_glue {
    char host[ZONE_NAME_SIZE];
    size_t n_addr;
    struct zone_addr *addr;
};

struct zone_delegation {
    char name[ZONE_NAME_SIZE]; /* A-label, lowercase, no trailing dot */
    size_t n_ns;
    char (*ns)[ZONE_NAME_SIZE]; /* name server host names, sorted */
    size_t n_ds;
    struct zone_ds *ds; /* sorted */
    /* the hosts under this name whose addresses are published (see
     * above), sorted by host name; there may be some when the name
     * itself is not published */
    size_t n_glue;
    struct zone_glue *glue;
};

/* Every delegation that is published at `now`, sorted by name (byte
 * order), one callback per domain with its glue; rows are streamed (a few
 * thousand at a time), never the whole zone in memory. The delegation
 * passed is valid during the call only. The callback returns 0 to go on;
 * anything else stops the walk, and zone_data_each returns that value (a
 * reg_err: the callback fills its own status). The callback may read the
 * database but must not end the transaction, nor call zone_data_each. */
reg_err zone_data_each(db *d, reg_time now, int (*cb)(const struct zone_delegation *, void *),
                       void *ctx, reg_status *st);

/* The same, with the names that carry only glue too (n_ns == 0: a domain
 * that is not published but has hosts a published delegation uses): every
 * owner name of the zone below the apex, in order. The zone file. */
reg_err zone_data_walk(db *d, reg_time now, int (*cb)(const struct zone_delegation *, void *),
                       void *ctx, reg_status *st);

/* One domain (A-label): *published false when it must not be in the zone
 * (absent, on hold, inactive, pending delete, suspended); then out has no
 * NS or DS. out->glue holds the addresses to publish for hosts under the
 * domain either way. Free out with zone_delegation_free (also after an
 * error). */
reg_err zone_data_domain(db *d, const char *name, reg_time now, struct zone_delegation *out,
                         bool *published, reg_status *st);

/* Glue for one host name: the addresses to publish (none when the host is
 * not in-bailiwick or no published delegation uses it); *out (caller
 * frees) is NULL when *n is 0. */
reg_err zone_data_glue(db *d, const char *host, reg_time now, struct zone_addr **out, size_t *n,
                       reg_status *st);

/* How many delegations are published at `now` (the safety guard's
 * measure). */
reg_err zone_data_count(db *d, reg_time now, int64_t *n, reg_status *st);

void zone_delegation_free(struct zone_delegation *z);

#endif
