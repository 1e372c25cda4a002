/* RDAP (RFC 7480, RFC 9082, RFC 9083): what a request path asks, as a pure
 * function (rdap_parse, fuzzed by tests/fuzz/fuzz_rdap.c), and the JSON of
 * every answer, built with jansson. No HTTP here: src/web/rdap.c serves it
 * on the [http] listener under /rdap/. */
#ifndef REG_RDAP_H
#define REG_RDAP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "privacy.h"

#define RDAP_PATH "/rdap" /* the route; queries are /rdap/domain/NAME … */
#define RDAP_MEDIA_TYPE "application/rdap+json"

/* The longest decoded name, handle or search value we look at. */
#define RDAP_VALUE_MAX 1024

enum rdap_kind {
    RDAP_HELP,        /* /rdap/help */
    RDAP_DOMAIN,      /* /rdap/domain/NAME */
    RDAP_NAMESERVER,  /* /rdap/nameserver/NAME */
    RDAP_ENTITY,      /* /rdap/entity/HANDLE */
    RDAP_DOMAINS,     /* /rdap/domains?name=PATTERN */
    RDAP_NAMESERVERS, /* /rdap/nameservers?name=PATTERN */
    RDAP_ENTITIES,    /* /rdap/entities?fn=PATTERN or ?handle=PATTERN */
};

/* What a search matches on. */
enum rdap_field { RDAP_BY_NAME, RDAP_BY_FN, RDAP_BY_HANDLE };

struct rdap_query {
    enum rdap_kind kind;
    enum rdap_field field; /* searches */
    /* Lookups: the domain or host name as an A-label in lower case, or the
     * handle in upper case. Searches: the pattern's fixed part before its
     * '*' (the whole value without one), normalised the same way. */
    char name[RDAP_VALUE_MAX + 1];
    /* Searches: what follows the '*' ("" or ".dk": a domain label suffix,
     * RFC 9082 §4.1). */
    char suffix[RDAP_VALUE_MAX + 1];
    bool partial; /* the pattern has a '*' */
    bool unicode; /* a name pattern with non-ASCII characters: it matches
                   * U-labels, an ASCII one A-labels */
};

/* Parses `rest`, the request path after RDAP_PATH as sent (percent-encoded;
 * "/domain/example.dk"), and `query`, the query string (NULL if none).
 * Returns 200 with *q filled, or the HTTP status of the error with one
 * sentence in `why`: 400 for a malformed path, name or parameter, 422 for
 * a style of partial match we do not support (RFC 9082 §4.1), 501 for a
 * query type RDAP defines that a domain registry does not serve (ip,
 * autnum, searches by name server or address). */
int rdap_parse(const char *rest, const char *query, struct rdap_query *q, char *why,
               size_t whylen);

/* The value of an HTTP Basic Authorization header ("Basic dXNlcjpwdw==")
 * split into user and password (RFC 7617). False if it is not Basic, not
 * base64, has no ':', a control character, or does not fit. */
bool rdap_basic_credentials(const char *header, char *user, size_t userlen, char *password,
                            size_t passlen);

/* ---- JSON ---------------------------------------------------------------------------- */

/* What every answer shares, from the configuration. */
struct rdap_site {
    const char *base_url; /* [http] base_url; links are base_url + "/rdap/…" */
    const char *port43;   /* WHOIS host name; "" = none */
    const char *terms;    /* terms of use, shown as a notice; "" = none */
    const char *terms_url; /* where the terms are published; "" = none */
    int64_t max_results;  /* most objects in a search answer */
};

/* RFC 9083 §6: {"errorCode", "title", "description": [why],
 * "rdapConformance"}. */
json_t *rdap_error_json(int status, const char *title, const char *why);
/* The reason phrase of an HTTP status we answer with. */
const char *rdap_status_phrase(int status);

/* A link object (RFC 9083 §4.2): value (the context URI), rel, href and
 * the media type (NULL: none). */
json_t *rdap_link(const char *value, const char *rel, const char *href, const char *type);
/* base_url + "/rdap/" + kind [+ "/" + name]: the URL of an object. */
void rdap_url(const struct rdap_site *site, const char *kind, const char *name, char *out,
              size_t n);
/* The notices of an answer whose URL is `self`: the terms of use. */
json_t *rdap_notices(const struct rdap_site *site, const char *self);

/* /rdap/help (RFC 9083 §7): every conformance value we use, the terms and
 * what can be asked. */
json_t *rdap_help_json(const struct rdap_site *site);

/* RFC 8056: the RDAP status value of an EPP status ("clientHold" → "client
 * hold", "ok" → "active"); NULL for one it does not map. */
const char *rdap_status_of_epp(const char *epp);

/* ---- objects (rdap_json.c) ------------------------------------------------------------- */

/* One answer being built: who asks, and the RFC 9537 "redacted" entries
 * of every field left out for that viewer (JSONPath from the answer's
 * root). */
struct rdap_answer {
    const struct rdap_site *site;
    const struct rdds_viewer *viewer;
    reg_time now; /* "last update of RDAP database": answers are read live */
    json_t *redacted;
};

/* The object classes of RFC 9083 §5, each as the member of an answer at
 * JSONPath `path` ("$" for a lookup, "$.domainSearchResults[2]" in a
 * search); fields withheld from the viewer are added to a->redacted. NULL
 * when out of memory. */
json_t *rdap_domain_json(struct rdap_answer *a, const struct rdds_domain *d, const char *path);
json_t *rdap_nameserver_json(struct rdap_answer *a, const struct rdds_host *h, const char *path);
json_t *rdap_contact_json(struct rdap_answer *a, const struct rdds_contact *c, const char *path);
json_t *rdap_registrar_json(struct rdap_answer *a, const struct rdds_registrar *r,
                            const char *path);

/* A lookup's answer: `obj` (taken over) with rdapConformance, the notices
 * and the redacted entries. */
json_t *rdap_lookup_answer(struct rdap_answer *a, json_t *obj, const char *self);
/* A search's answer: `results` (taken over) as `member`
 * ("domainSearchResults", "nameserverSearchResults",
 * "entitySearchResults"), with a notice when more matched than it holds. */
json_t *rdap_search_answer(struct rdap_answer *a, const char *member, json_t *results,
                           bool truncated, const char *self);

#endif
