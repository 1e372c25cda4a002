/* libFuzzer target: what RDAP reads from a request (src/rdds/rdap.c,
 * src/web/page.c): the path after /rdap and the query string
 * (rdap_parse), the Authorization header (rdap_basic_credentials) and
 * X-Forwarded-For (web_forwarded_for). Input: four parts separated by
 * '\n' in that order. Checks: the status is one rdap_parse promises; a
 * lookup's name is a lower-case A-label and a handle upper case; an error
 * reason is UTF-8 that makes an RDAP error object; credentials hold no
 * control character; a forwarded address is an address. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/netaddr.h"
#include "contrib/utf8.h"
#include "fuzz.h"
#include "rdds/rdap.h"
#include "web/web.h"

static void check_utf8(const char *s)
{
    uint32_t cp;
    for (size_t k; *s; s += k)
        if (!(k = utf8_decode(s, &cp)))
            abort();
}

static void check_query(const char *path, const char *query)
{
    struct rdap_query q;
    char why[256] = "";
    int status = rdap_parse(path, *query ? query : NULL, &q, why, sizeof why);
    if (status != 200) {
        if ((status != 400 && status != 422 && status != 501) || !*why)
            abort();
        check_utf8(why);
        json_t *j = rdap_error_json(status, rdap_status_phrase(status), why);
        if (!j)
            abort();
        json_decref(j);
        return;
    }
    check_utf8(q.name);
    check_utf8(q.suffix);
    if (q.kind == RDAP_DOMAIN || q.kind == RDAP_NAMESERVER) {
        if (!*q.name || strspn(q.name, "abcdefghijklmnopqrstuvwxyz0123456789-.") != strlen(q.name))
            abort();
    } else if (q.kind == RDAP_ENTITY) {
        if (!*q.name || strspn(q.name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-") != strlen(q.name))
            abort();
    } else if (q.kind != RDAP_HELP && (!*q.name || strchr(q.name, '*') || strchr(q.suffix, '*'))) {
        abort();
    }
}

static void check_credentials(const char *header)
{
    char user[64], pw[256];
    if (!rdap_basic_credentials(header, user, sizeof user, pw, sizeof pw))
        return;
    for (const char *p = user; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == ':')
            abort();
    for (const char *p = pw; *p; p++)
        if ((unsigned char)*p < 0x20)
            abort();
}

static void check_forwarded(const char *header)
{
    char ip[64];
    struct netaddr_source src;
    if (web_forwarded_for(header, ip, sizeof ip) && !netaddr_source_parse(ip, &src))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *part[4];
    char *buf = fuzz_parts(data, size, part, 4);
    if (!buf)
        return 0;
    check_query(part[0], part[1]);
    check_credentials(part[2]);
    check_forwarded(part[3]);
    free(buf);
    return 0;
}
