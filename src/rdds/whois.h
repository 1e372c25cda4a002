/* WHOIS (RFC 3912; R25, DESIGN §7): the query line and the answer text.
 *
 * A query is one line of at most WHOIS_QUERY_MAX bytes of UTF-8 without
 * control characters, ended by CR LF or LF:
 *     NAME              a domain (U- or A-label, any case), else a host
 *     domain NAME       a domain          host NAME   a name server
 *     registrar HANDLE  a registrar       contact HANDLE   a contact
 *     help              the syntax
 * Keywords in any case; spaces around words are ignored.
 *
 * An answer is a header (the registry's name, the terms of use, the time
 * of the answer), a blank line, then "Key: value" lines of the object (or
 * `No match for "NAME".`), every line ended by CR LF, in UTF-8. A query
 * that cannot be parsed gets exactly one line, "Error: …", and nothing
 * else. Every answer is the public's: privacy.h decides what it shows,
 * withheld values read RDDS_REDACTED. The parser and the writers are pure
 * functions (the fuzz target drives the parser); whois_answer runs the
 * lookups on the caller's database connection. */
#ifndef REG_RDDS_WHOIS_H
#define REG_RDDS_WHOIS_H

#include <stdbool.h>
#include <stddef.h>
#include "contrib/arena.h"
#include "contrib/clock.h"
#include "contrib/strbuf.h"
#include "registry/policy.h"
#include "registry/rdds_data.h"
#include "store/db.h"

#define WHOIS_QUERY_MAX 255

enum whois_kind {
    WHOIS_ANY,       /* a bare name: a domain, else a host */
    WHOIS_DOMAIN,
    WHOIS_HOST,
    WHOIS_REGISTRAR,
    WHOIS_CONTACT,
    WHOIS_HELP,
};

struct whois_query {
    enum whois_kind kind;
    char arg[WHOIS_QUERY_MAX + 1]; /* the name or handle as given ("" for help) */
};

/* Where the query line ends in what has arrived: WHOIS_LINE_MORE (read
 * on), WHOIS_LINE_DONE (*len: the line's bytes without CR LF or LF) or
 * WHOIS_LINE_LONG (more than WHOIS_QUERY_MAX bytes and no end yet). */
enum whois_line { WHOIS_LINE_MORE, WHOIS_LINE_DONE, WHOIS_LINE_LONG };
enum whois_line whois_line_end(const char *buf, size_t n, size_t *len);

/* The query in line[0..len) (no line end): true with *q filled, or false
 * with *error the one line to answer (without its CR LF). */
bool whois_parse(const char *line, size_t len, struct whois_query *q, const char **error);

/* The one-line answers that are not about a query. */
#define WHOIS_ERR_LONG "Error: the query is longer than 255 bytes."
#define WHOIS_ERR_BUSY "Error: too many queries or connections from your address; try again later."
#define WHOIS_ERR_UNAVAILABLE "Error: the registry's data cannot be read right now; try again later."

struct whois_header {
    const char *registry; /* "The .dk registry" */
    const char *terms;    /* terms of use, one paragraph */
    reg_time now;         /* the time of the answer */
};

/* The writers: each appends whole CR LF lines to out. */
void whois_write_header(strbuf *out, const struct whois_header *h);
void whois_write_help(strbuf *out, const struct whois_header *h);
void whois_write_no_match(strbuf *out, const struct whois_header *h, const char *name);
void whois_write_domain(strbuf *out, const struct whois_header *h, const struct rdds_domain *d);
void whois_write_host(strbuf *out, const struct whois_header *h, const struct rdds_host *x);
void whois_write_contact(strbuf *out, const struct whois_header *h, const struct rdds_contact *c);
void whois_write_registrar(strbuf *out, const struct whois_header *h,
                           const struct rdds_registrar *r);
/* "Error: …" and CR LF. */
void whois_write_error(strbuf *out, const char *line);

/* The whole answer to a parsed query, looked up on d: the object, no
 * match, or (database trouble) the one line WHOIS_ERR_UNAVAILABLE, which
 * also comes back as REG_ERR_DB / REG_ERR_DB_DOWN for the caller to log.
 * The arena holds the records while the text is written (reset by the
 * caller). */
reg_err whois_answer(db *d, const struct registry_policy *p, const struct whois_header *h,
                     const struct whois_query *q, struct arena *a, strbuf *out);

#endif
