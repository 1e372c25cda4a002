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

#endif
