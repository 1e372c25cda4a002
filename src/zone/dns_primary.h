/* A DNS primary that takes dynamic updates: RFC 2136 UPDATE messages,
 * SOA queries and AXFR, each signed with a TSIG key (RFC 8945) and each
 * answer's signature verified; messages are built and parsed with ldns
 * (Debian libldns-dev), never by hand. One TCP connection per exchange:
 * no idle connection to lose, and a refused connection is an outage. */
#ifndef REG_DNS_PRIMARY_H
#define REG_DNS_PRIMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ldns/ldns.h>

#include "contrib/status.h"

struct dns_key {
    const char *name;      /* "registry-update" */
    const char *algorithm; /* "hmac-sha256" (Knot's and BIND's names) */
    const char *secret;    /* base64 */
};

struct dns_primary;

/* address: host:port (a name is resolved at each connection); zone: the
 * origin ("dk"); timeout_ms bounds connecting and each read. */
reg_err dns_primary_new(const char *address, const char *zone, const struct dns_key *key,
                        int timeout_ms, struct dns_primary **out, reg_status *st);
void dns_primary_free(struct dns_primary *p);
/* The zone's origin as an ldns name (owned by p). */
const ldns_rdf *dns_primary_origin(const struct dns_primary *p);

/* An UPDATE being put together: its update section, in order. */
struct dns_update;
struct dns_update *dns_update_new(void);
void dns_update_free(struct dns_update *u);
/* "Delete an RRset" (RFC 2136 §2.5.2): every record of `type` at owner. */
reg_err dns_update_delete(struct dns_update *u, const ldns_rdf *owner, ldns_rr_type type);
/* "Add to an RRset" (§2.5.1); u takes rr. */
reg_err dns_update_add(struct dns_update *u, ldns_rr *rr);
/* Moves every record of `from` to the end of u (from is left empty). */
reg_err dns_update_take(struct dns_update *u, struct dns_update *from);
/* Records in it, and the bytes they take uncompressed (an UPDATE goes
 * over TCP: the message must stay under 64 KiB). */
size_t dns_update_count(const struct dns_update *u);
size_t dns_update_bytes(const struct dns_update *u);

/* Sends u and waits for the answer. REG_OK when the primary applied it
 * (NOERROR, signed with the key). REG_ERR_IO: no connection or no answer
 * (an outage); REG_ERR_AUTH: the answer's signature does not verify, or
 * the primary refused the key (NOTAUTH); REG_ERR_POLICY: it refused the
 * update (REFUSED, NOTZONE, FORMERR…, the RCODE named). */
reg_err dns_primary_update(struct dns_primary *p, const struct dns_update *u, reg_status *st);

/* The serial of the zone's SOA as the primary serves it now. */
reg_err dns_primary_serial(struct dns_primary *p, uint32_t *serial, reg_status *st);

/* A zone transfer: fn gets every record of the zone (the closing SOA not
 * again), the rr only for the call; a non-zero return stops it
 * (REG_ERR_INTERNAL). Every message's signature is verified (RFC 8945
 * §5.3.1). *serial gets the SOA serial of the transfer. */
reg_err dns_primary_axfr(struct dns_primary *p, int (*fn)(const ldns_rr *rr, void *ctx),
                         void *ctx, uint32_t *serial, reg_status *st);

#endif
