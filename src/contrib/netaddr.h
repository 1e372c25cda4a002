/* IP addresses and prefixes (IPv4 and IPv6) for allow-lists. */
#ifndef REG_NETADDR_H
#define REG_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include "error.h"

#define NETADDR_STRLEN 64

/* Parse "192.0.2.1", "2001:db8::/32", "10.0.0.0/8" and write the canonical
 * form (network address with prefix length) into out. */
reg_err netaddr_prefix_normalize(const char *in, char *out, size_t n);
/* Is address ip inside prefix (both textual; IPv4-mapped IPv6 matches v4)? */
bool netaddr_prefix_contains(const char *prefix, const char *ip);

struct sockaddr;
/* A socket address as text: "192.0.2.1" / "2001:db8::1", or with_port
 * "192.0.2.1:700" / "[2001:db8::1]:700"; "unknown" for other families.
 * NETADDR_STRLEN bytes are always enough. */
void netaddr_sockaddr_format(const struct sockaddr *sa, bool with_port, char *out, size_t n);

/* A connection's source for per-source limits: an IPv4 address, or the /64
 * an IPv6 address is in (one subscriber usually holds a whole /64, so its
 * addresses count as one). An IPv4-mapped IPv6 address is its IPv4
 * address; every other family is one source, family 0. */
struct netaddr_source {
    unsigned char family; /* 4, 6 or 0 */
    unsigned char bytes[8];
};
void netaddr_source_of(const struct sockaddr *sa, struct netaddr_source *out);
/* The source of a textual address ("192.0.2.1", "2001:db8::1"); false if
 * it is not one. */
bool netaddr_source_parse(const char *ip, struct netaddr_source *out);
/* Is ip a loopback address (127.0.0.0/8, ::1, or 127.x mapped into IPv6)? */
bool netaddr_is_loopback(const char *ip);
bool netaddr_source_equal(const struct netaddr_source *a, const struct netaddr_source *b);
/* "192.0.2.1", "2001:db8:1:2::/64" or "other"; NETADDR_STRLEN is enough. */
void netaddr_source_format(const struct netaddr_source *s, char *out, size_t n);
/* Is address ip inside one of the prefixes of `list` ("127.0.0.0/8, ::1",
 * comma-separated, spaces allowed)? An item that does not parse matches
 * nothing: check the list with netaddr_prefix_list_check first. */
bool netaddr_prefix_list_contains(const char *list, const char *ip);
/* NULL when every item of the comma-separated list is a prefix
 * (netaddr_prefix_normalize), else what a good value looks like. */
const char *netaddr_prefix_list_check(const char *list);

#endif
