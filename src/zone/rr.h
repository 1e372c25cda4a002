/* The records of the TLD zone in presentation format (RFC 1035 §5.1), one
 * line each: "OWNER<TAB>TTL<TAB>IN<TAB>TYPE<TAB>RDATA\n", every name
 * absolute (with its trailing dot) and lowercase. Pure: no I/O, no
 * database. The zone file writer (export.c) prints them; the DNS UPDATE
 * publisher takes its owner names and TTLs from the same functions.
 *
 * Names are given as text, labels separated by dots, a trailing dot or
 * none ("" and "." are the root). They must be ASCII: an IDN goes in the
 * zone by its A-label (xn--…), and a U-label or any other byte over 0x7f
 * is refused, never escaped into the zone. Bytes that are special in the
 * presentation format ('"', '(', ')', ';', '@', '$', '\\', space) are
 * escaped with a backslash, other non-printing ones as \DDD (RFC 1035
 * §5.1); names from the registry are LDH and need none of it.
 *
 * Each function appends one line to out and returns REG_OK, or leaves out
 * as it was and returns REG_ERR_INVALID (with st's reason) for a value no
 * zone may hold: a label over 63 octets or empty, a name over 255 octets
 * on the wire, a TTL or SOA timer over 2^31 - 1 (RFC 2181 §8), a DS field
 * out of range or a digest that is not hex, an address of another family
 * than its version. */
#ifndef REG_ZONE_RR_H
#define REG_ZONE_RR_H

#include <stdint.h>
#include "contrib/status.h"
#include "contrib/strbuf.h"
#include "registry/zone_data.h"

#define ZONE_TTL_MAX 2147483647u /* RFC 2181 §8 */

/* The SOA rdata (RFC 1035 §3.3.13). rname is a mail address
 * ("hostmaster@nic.dk") or already a name ("hostmaster.nic.dk"). */
struct zone_soa {
    const char *mname, *rname;
    uint32_t serial, refresh, retry, expire, minimum;
};

/* name as an absolute name: lowercase, escaped, with its trailing dot. */
reg_err zone_rr_name(strbuf *out, const char *name, reg_status *st);
/* The SOA RNAME of a mail address: "hostmaster@nic.dk" becomes
 * "hostmaster.nic.dk.", a dot in the local part escaped
 * ("first.last@nic.dk": "first\.last.nic.dk."); without '@' a name as
 * zone_rr_name writes it. */
reg_err zone_rr_mailbox(strbuf *out, const char *addr, reg_status *st);

reg_err zone_rr_ns(strbuf *out, const char *owner, uint32_t ttl, const char *host,
                   reg_status *st);
/* RFC 4034 §5.3: key tag, algorithm and digest type in decimal, the
 * digest in uppercase hex. */
reg_err zone_rr_ds(strbuf *out, const char *owner, uint32_t ttl, const struct zone_ds *ds,
                   reg_status *st);
/* A (version 4) or AAAA (version 6), the address in canonical text
 * (RFC 5952 for IPv6). */
reg_err zone_rr_addr(strbuf *out, const char *owner, uint32_t ttl, const struct zone_addr *a,
                     reg_status *st);
reg_err zone_rr_soa(strbuf *out, const char *owner, uint32_t ttl, const struct zone_soa *soa,
                    reg_status *st);

#endif
