/* RDAP paths and queries (RFC 9082) and the JSON every answer shares
 * (RFC 9083). rdap.h. */
#include "rdap.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "contrib/strutil.h"
#include "contrib/utf8.h"
#include "registry/names.h"

/* ---- percent-decoding and values ----------------------------------------------------- */

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* The `len` bytes at s percent-decoded into out (form = a query value,
 * where '+' is a space): false for a bad escape, a NUL or other control
 * character, invalid UTF-8 or a value longer than RDAP_VALUE_MAX. */
static bool decode(const char *s, size_t len, bool form, char out[RDAP_VALUE_MAX + 1])
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 2 < len ? hexval(s[i + 1]) : -1;
            int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return false;
            c = (unsigned char)(hi * 16 + lo);
            i += 2;
        } else if (form && c == '+') {
            c = ' ';
        }
        if (c < 0x20 || c == 0x7f || n == RDAP_VALUE_MAX)
            return false;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    for (const char *p = out; *p;) {
        uint32_t cp;
        size_t k = utf8_decode(p, &cp);
        if (!k)
            return false;
        p += k;
    }
    return true;
}

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* A domain or host name as a lookup gives it (U- or A-label in any case,
 * one trailing dot) → A-label in lower case (names_lookup_fold). */
static bool lookup_name(const char *in, char out[RDAP_VALUE_MAX + 1], char *why, size_t whylen)
{
    char name[RDAP_VALUE_MAX + 1];
    snprintf(name, sizeof name, "%s", in);
    size_t len = strlen(name);
    if (len && name[len - 1] == '.')
        name[len - 1] = '\0';
    reg_status st;
    char folded[RDAP_VALUE_MAX + 1], host[NAME_MAX_LEN + 1];
    if (names_lookup_fold(name, folded, sizeof folded, &st) || names_host(folded, host, &st)) {
        snprintf(why, whylen, "%s", reg_status_text(&st));
        return false;
    }
    snprintf(out, RDAP_VALUE_MAX + 1, "%s", host);
    return true;
}

/* ---- searches (RFC 9082 §3.2, §4.1) ---------------------------------------------------- */

/* Letters, digits, '-' and '.' of a name pattern in ASCII (lowered), or
 * any UTF-8 without spaces; never a '*'. */
static bool name_part_ok(char *s)
{
    if (is_ascii(s)) {
        lower_ascii(s);
        return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-.") == strlen(s);
    }
    return !strpbrk(s, " *");
}

/* A name pattern: "exam*", "exam*.dk", or a whole name. */
static int name_pattern(const char *v, struct rdap_query *q, char *why, size_t whylen)
{
    const char *star = strchr(v, '*');
    if (!star) {
        q->partial = false;
        return lookup_name(v, q->name, why, whylen) ? 200 : 400;
    }
    const char *after = star + 1;
    size_t prefix = (size_t)(star - v);
    if (strchr(after, '*') || (*after && *after != '.') ||
        (*after && memchr(v, '.', prefix))) {
        snprintf(why, whylen, "a name pattern may hold one '*', at the end of the name or of "
                              "its first label (\"exam*\", \"exam*.dk\")");
        return 422;
    }
    if (!prefix) {
        snprintf(why, whylen, "a name pattern needs at least one character before the '*'");
        return 422;
    }
    snprintf(q->name, sizeof q->name, "%.*s", (int)prefix, v);
    snprintf(q->suffix, sizeof q->suffix, "%s", after);
    if (!name_part_ok(q->name) || !name_part_ok(q->suffix)) {
        snprintf(why, whylen, "a name pattern holds letters, digits, '-', '.' and one '*'");
        return 400;
    }
    q->partial = true;
    q->unicode = !is_ascii(q->name) || !is_ascii(q->suffix);
    return 200;
}

/* An entity pattern: "Example*" or a whole full name or handle. */
static int entity_pattern(const char *v, struct rdap_query *q, char *why, size_t whylen)
{
    const char *star = strchr(v, '*');
    if (star && star[1]) {
        snprintf(why, whylen, "an entity pattern may hold one '*', at its end (\"Exam*\")");
        return 422;
    }
    size_t len = star ? (size_t)(star - v) : strlen(v);
    if (!len) {
        snprintf(why, whylen, "an entity pattern needs at least one character before the '*'");
        return 422;
    }
    snprintf(q->name, sizeof q->name, "%.*s", (int)len, v);
    q->partial = star != NULL;
    if (q->field == RDAP_BY_HANDLE) {
        for (char *p = q->name; *p; p++) {
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
            if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == ':' ||
                  *p == '-')) {
                snprintf(why, whylen, "a handle holds letters, digits, ':' and '-' only");
                return 400;
            }
        }
    }
    return 200;
}

/* The search parameters of RFC 9082 §3.2; the ones a domain registry
 * does not serve are 501. Other parameters are left alone (extensions a
 * client may add). */
struct search_param {
    enum rdap_kind kind;
    const char *key;
    enum rdap_field field;
    bool served;
};

static const struct search_param search_params[] = {
    {RDAP_DOMAINS, "name", RDAP_BY_NAME, true},
    {RDAP_DOMAINS, "nsLdhName", RDAP_BY_NAME, false},
    {RDAP_DOMAINS, "nsIp", RDAP_BY_NAME, false},
    {RDAP_NAMESERVERS, "name", RDAP_BY_NAME, true},
    {RDAP_NAMESERVERS, "ip", RDAP_BY_NAME, false},
    {RDAP_ENTITIES, "fn", RDAP_BY_FN, true},
    {RDAP_ENTITIES, "handle", RDAP_BY_HANDLE, true},
};

static int search(const char *query, struct rdap_query *q, char *why, size_t whylen)
{
    const struct search_param *found = NULL;
    char value[RDAP_VALUE_MAX + 1] = "";
    for (const char *p = query ? query : ""; *p;) {
        size_t len = strcspn(p, "&");
        size_t klen = strcspn(p, "=&");
        for (size_t i = 0; i < sizeof search_params / sizeof search_params[0]; i++) {
            const struct search_param *sp = &search_params[i];
            if (sp->kind != q->kind || strlen(sp->key) != klen || strncmp(p, sp->key, klen))
                continue;
            if (found) {
                snprintf(why, whylen, "give one search parameter, once");
                return 400;
            }
            found = sp;
            if (klen == len || !decode(p + klen + 1, len - klen - 1, true, value)) {
                snprintf(why, whylen, "the value of %s is missing, too long or not UTF-8 text",
                         sp->key);
                return 400;
            }
        }
        p += len + (p[len] == '&');
    }
    if (!found) {
        snprintf(why, whylen, "%s",
                 q->kind == RDAP_ENTITIES ? "search entities with ?fn=PATTERN or ?handle=PATTERN"
                                          : "search with ?name=PATTERN");
        return 400;
    }
    if (!found->served) {
        snprintf(why, whylen, "this registry does not search by %s", found->key);
        return 501;
    }
    q->field = found->field;
    return q->kind == RDAP_ENTITIES ? entity_pattern(value, q, why, whylen)
                                    : name_pattern(value, q, why, whylen);
}

/* ---- the path ------------------------------------------------------------------------ */

static const struct {
    const char *segment;
    enum rdap_kind kind;
    bool lookup; /* takes one more segment */
    bool served;
} path_kinds[] = {
    {"help", RDAP_HELP, false, true},
    {"domain", RDAP_DOMAIN, true, true},
    {"nameserver", RDAP_NAMESERVER, true, true},
    {"entity", RDAP_ENTITY, true, true},
    {"domains", RDAP_DOMAINS, false, true},
    {"nameservers", RDAP_NAMESERVERS, false, true},
    {"entities", RDAP_ENTITIES, false, true},
    /* RFC 9082 queries of number registries */
    {"ip", RDAP_HELP, true, false},
    {"autnum", RDAP_HELP, true, false},
};

static int parse(const char *rest, const char *query, struct rdap_query *q, char *why,
                 size_t whylen)
{
    if (*rest != '/' || !rest[1]) {
        snprintf(why, whylen, "ask for /rdap/domain/NAME, /rdap/nameserver/NAME, "
                              "/rdap/entity/HANDLE or /rdap/help");
        return 400;
    }
    const char *seg = rest + 1;
    size_t seglen = strcspn(seg, "/");
    const char *arg = seg[seglen] ? seg + seglen + 1 : NULL;
    for (size_t i = 0; i < sizeof path_kinds / sizeof path_kinds[0]; i++) {
        if (strlen(path_kinds[i].segment) != seglen || strncmp(seg, path_kinds[i].segment, seglen))
            continue;
        if (!path_kinds[i].served) {
            snprintf(why, whylen, "this is a domain name registry: it answers no %s queries",
                     path_kinds[i].segment);
            return 501;
        }
        q->kind = path_kinds[i].kind;
        if (!path_kinds[i].lookup) {
            if (arg) {
                snprintf(why, whylen, "/rdap/%s takes nothing after it in the path",
                         path_kinds[i].segment);
                return 400;
            }
            return q->kind == RDAP_HELP ? 200 : search(query, q, why, whylen);
        }
        char value[RDAP_VALUE_MAX + 1];
        if (!arg || !*arg || strchr(arg, '/')) {
            snprintf(why, whylen, "/rdap/%s/ takes one %s", path_kinds[i].segment,
                     q->kind == RDAP_ENTITY ? "handle" : "name");
            return 400;
        }
        if (!decode(arg, strlen(arg), false, value)) {
            snprintf(why, whylen, "the %s is not percent-encoded UTF-8 text, or too long",
                     q->kind == RDAP_ENTITY ? "handle" : "name");
            return 400;
        }
        if (q->kind != RDAP_ENTITY)
            return lookup_name(value, q->name, why, whylen) ? 200 : 400;
        reg_status st;
        char handle[CONTACT_ID_MAX + 1];
        if (names_contact_lookup(value, handle, &st)) {
            snprintf(why, whylen, "%s", reg_status_text(&st));
            return 400;
        }
        snprintf(q->name, sizeof q->name, "%s", handle);
        return 200;
    }
    snprintf(why, whylen, "unknown query type \"%.*s\"", (int)(seglen > 64 ? 64 : seglen), seg);
    return 400;
}

int rdap_parse(const char *rest, const char *query, struct rdap_query *q, char *why,
               size_t whylen)
{
    memset(q, 0, sizeof *q);
    int status = parse(rest, query, q, why, whylen);
    if (status != 200)
        utf8_sanitize(why); /* it may quote what was sent */
    return status;
}

/* ---- credentials ----------------------------------------------------------------- */

static int b64val(char c)
{
    return c >= 'A' && c <= 'Z'   ? c - 'A'
           : c >= 'a' && c <= 'z' ? c - 'a' + 26
           : c >= '0' && c <= '9' ? c - '0' + 52
           : c == '+'             ? 62
           : c == '/'             ? 63
                                  : -1;
}

/* Standard base64 with padding (RFC 4648 §4) into out; its length, or -1. */
static long b64decode(const char *in, size_t len, char *out, size_t n)
{
    if (len % 4)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        int pad = 0;
        for (int j = 0; j < 4; j++) {
            char c = in[i + j];
            if (c == '=' && i + 4 == len && j >= 2 && (j == 3 || in[i + 3] == '=')) {
                v[j] = 0;
                pad++;
            } else if ((v[j] = b64val(c)) < 0 || pad) {
                return -1;
            }
        }
        unsigned bits = (unsigned)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
        int bytes = 3 - pad;
        if (k + (size_t)bytes >= n)
            return -1;
        for (int j = 0; j < bytes; j++)
            out[k++] = (char)(bits >> (16 - 8 * j));
    }
    out[k] = '\0';
    return (long)k;
}

bool rdap_basic_credentials(const char *header, char *user, size_t userlen, char *password,
                            size_t passlen)
{
    if (!header || strncasecmp(header, "Basic ", 6))
        return false;
    const char *b = header + 6;
    while (*b == ' ')
        b++;
    size_t len = strlen(b);
    while (len && b[len - 1] == ' ')
        len--;
    char plain[512];
    long n = b64decode(b, len, plain, sizeof plain);
    if (n <= 0 || memchr(plain, '\0', (size_t)n))
        return false;
    for (long i = 0; i < n; i++)
        if ((unsigned char)plain[i] < 0x20 || plain[i] == 0x7f)
            return false;
    char *colon = strchr(plain, ':');
    if (!colon || (size_t)(colon - plain) >= userlen || strlen(colon + 1) >= passlen)
        return false;
    *colon = '\0';
    snprintf(user, userlen, "%s", plain);
    snprintf(password, passlen, "%s", colon + 1);
    return true;
}

/* ---- JSON every answer shares ---------------------------------------------------------- */

const char *rdap_status_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
    }
}

json_t *rdap_error_json(int status, const char *title, const char *why)
{
    return json_pack("{s:[s], s:i, s:s, s:[s]}", "rdapConformance", "rdap_level_0", "errorCode",
                     status, "title", title, "description", why);
}

/* RFC 8056 §2 */
static const char *const epp_rdap_status[][2] = {
    {"addPeriod", "add period"},
    {"autoRenewPeriod", "auto renew period"},
    {"clientDeleteProhibited", "client delete prohibited"},
    {"clientHold", "client hold"},
    {"clientRenewProhibited", "client renew prohibited"},
    {"clientTransferProhibited", "client transfer prohibited"},
    {"clientUpdateProhibited", "client update prohibited"},
    {"inactive", "inactive"},
    {"linked", "associated"},
    {"ok", "active"},
    {"pendingCreate", "pending create"},
    {"pendingDelete", "pending delete"},
    {"pendingRenew", "pending renew"},
    {"pendingRestore", "pending restore"},
    {"pendingTransfer", "pending transfer"},
    {"pendingUpdate", "pending update"},
    {"redemptionPeriod", "redemption period"},
    {"renewPeriod", "renew period"},
    {"serverDeleteProhibited", "server delete prohibited"},
    {"serverRenewProhibited", "server renew prohibited"},
    {"serverTransferProhibited", "server transfer prohibited"},
    {"serverUpdateProhibited", "server update prohibited"},
    {"serverHold", "server hold"},
    {"transferPeriod", "transfer period"},
};

const char *rdap_status_of_epp(const char *epp)
{
    for (size_t i = 0; i < sizeof epp_rdap_status / sizeof epp_rdap_status[0]; i++)
        if (!strcmp(epp, epp_rdap_status[i][0]))
            return epp_rdap_status[i][1];
    return NULL;
}

json_t *rdap_link(const char *value, const char *rel, const char *href, const char *type)
{
    json_t *l = json_object();
    json_object_set_new_nocheck(l, "value", json_string(value));
    json_object_set_new_nocheck(l, "rel", json_string_nocheck(rel));
    json_object_set_new_nocheck(l, "href", json_string(href));
    if (type)
        json_object_set_new_nocheck(l, "type", json_string_nocheck(type));
    return l;
}

void rdap_url(const struct rdap_site *site, const char *kind, const char *name, char *out,
              size_t n)
{
    /* without printf: several URLs an answer */
    str_join(out, n,
             (const char *[]){site->base_url, RDAP_PATH "/", kind, name ? "/" : "",
                              name ? name : "", NULL});
}

/* A text of several lines as a description array, one line a string. */
static json_t *lines(const char *text)
{
    json_t *a = json_array();
    for (const char *p = text; a && *p;) {
        size_t len = strcspn(p, "\n");
        json_array_append_new(a, json_stringn(p, len));
        p += len + (p[len] == '\n');
    }
    return a;
}

json_t *rdap_notices(const struct rdap_site *site, const char *self)
{
    json_t *notices = json_array();
    if (notices && *site->terms) {
        /* member by member: json_pack parsed its format on every answer */
        json_t *terms = json_object();
        json_object_set_new_nocheck(terms, "title", json_string_nocheck("Terms of Use"));
        json_object_set_new_nocheck(terms, "description", lines(site->terms));
        if (*site->terms_url) {
            json_t *links = json_array();
            json_array_append_new(links,
                                  rdap_link(self, "terms-of-service", site->terms_url, "text/html"));
            json_object_set_new_nocheck(terms, "links", links);
        }
        json_array_append_new(notices, terms);
    }
    return notices;
}

json_t *rdap_help_json(const struct rdap_site *site)
{
    char self[512];
    rdap_url(site, "help", NULL, self, sizeof self);
    json_t *notices = rdap_notices(site, self);
    json_t *help = json_pack(
        "{s:s, s:[s,s,s,s,s,s,s,s], s:[o]}", "title", "Queries",
        "description",
        "GET /rdap/domain/NAME: a domain, by its U-label or A-label name.",
        "GET /rdap/nameserver/NAME: a name server (host).",
        "GET /rdap/entity/HANDLE: a contact, or a registrar by its handle.",
        "GET /rdap/help: this text.",
        "Searches, for registrars signed in with HTTP Basic (their EPP client id and "
        "password) over HTTPS:",
        "GET /rdap/domains?name=PATTERN and /rdap/nameservers?name=PATTERN, where a "
        "PATTERN is a name or ends its first label with '*' (\"exam*\", \"exam*.dk\").",
        "GET /rdap/entities?fn=PATTERN or ?handle=PATTERN: the registrar's own contacts "
        "and the registrars, by full name or handle, a trailing '*' matching any end.",
        "Registrars see every field of their own objects; others see what the privacy "
        "rules allow, and each field left out is listed under \"redacted\" (RFC 9537).",
        "links", rdap_link(self, "self", self, RDAP_MEDIA_TYPE));
    json_array_append_new(notices, help);
    return json_pack("{s:[s,s], s:o}", "rdapConformance", "rdap_level_0", "redacted", "notices",
                     notices);
}
