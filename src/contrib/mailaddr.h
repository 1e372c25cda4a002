/* E-mail address syntax, shared by the settings ([mail] from) and the SMTP
 * client: a plausibility check, not RFC 5321 in full. */
#ifndef REG_MAILADDR_H
#define REG_MAILADDR_H

#include <stdbool.h>
#include <stddef.h>

/* The address inside "Name <addr>", or the whole (trimmed) value; false when
 * it is not one plausible address (no '@', control characters, spaces, <>). */
bool mail_addr_spec(const char *value, char *out, size_t outlen);

#endif
