#include "netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct prefix {
    int family;
    unsigned char addr[16];
    int bits;
};

static bool parse_addr(const char *s, struct prefix *p)
{
    if (inet_pton(AF_INET, s, p->addr) == 1) {
        p->family = AF_INET;
        p->bits = 32;
        return true;
    }
    if (inet_pton(AF_INET6, s, p->addr) == 1) {
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (!memcmp(p->addr, mapped, 12)) {
            memmove(p->addr, p->addr + 12, 4);
            p->family = AF_INET;
            p->bits = 32;
        } else {
            p->family = AF_INET6;
            p->bits = 128;
        }
        return true;
    }
    return false;
}

static bool parse_prefix(const char *s, struct prefix *p)
{
    char host[NETADDR_STRLEN];
    const char *slash = strchr(s, '/');
    size_t hl = slash ? (size_t)(slash - s) : strlen(s);
    if (hl == 0 || hl >= sizeof host)
        return false;
    memcpy(host, s, hl);
    host[hl] = '\0';
    if (!parse_addr(host, p))
        return false;
    if (slash) {
        if (slash[1] < '0' || slash[1] > '9')
            return false;
        char *end;
        long bits = strtol(slash + 1, &end, 10);
        if (end == slash + 1 || *end || bits < 0 || bits > p->bits)
            return false;
        p->bits = (int)bits;
    }
    return true;
}

static void mask(struct prefix *p)
{
    int len = p->family == AF_INET ? 4 : 16;
    for (int i = 0; i < len; i++) {
        int keep = p->bits - i * 8;
        if (keep <= 0)
            p->addr[i] = 0;
        else if (keep < 8)
            p->addr[i] &= (unsigned char)(0xff << (8 - keep));
    }
}

reg_err netaddr_prefix_normalize(const char *in, char *out, size_t n)
{
    struct prefix p;
    if (!parse_prefix(in, &p))
        return REG_ERR_SYNTAX;
    mask(&p);
    char host[INET6_ADDRSTRLEN];
    inet_ntop(p.family, p.addr, host, sizeof host);
    snprintf(out, n, "%s/%d", host, p.bits);
    return REG_OK;
}

bool netaddr_prefix_contains(const char *prefix, const char *ip)
{
    struct prefix net, addr;
    if (!parse_prefix(prefix, &net) || !parse_addr(ip, &addr) || net.family != addr.family)
        return false;
    addr.bits = net.bits;
    mask(&addr);
    mask(&net);
    return !memcmp(net.addr, addr.addr, net.family == AF_INET ? 4 : 16);
}

void netaddr_sockaddr_format(const struct sockaddr *sa, bool with_port, char *out, size_t n)
{
    char ip[INET6_ADDRSTRLEN];
    int port;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
        port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
        port = ntohs(in6->sin6_port);
    } else {
        snprintf(out, n, "unknown");
        return;
    }
    if (!with_port)
        snprintf(out, n, "%s", ip);
    else
        snprintf(out, n, sa->sa_family == AF_INET6 ? "[%s]:%d" : "%s:%d", ip, port);
}

void netaddr_source_of(const struct sockaddr *sa, struct netaddr_source *out)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    memset(out, 0, sizeof *out);
    if (sa->sa_family == AF_INET) {
        out->family = 4;
        memcpy(out->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        const unsigned char *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
        if (!memcmp(a, mapped, sizeof mapped)) {
            out->family = 4;
            memcpy(out->bytes, a + 12, 4);
        } else {
            out->family = 6;
            memcpy(out->bytes, a, 8); /* the /64 */
        }
    }
}

bool netaddr_source_parse(const char *ip, struct netaddr_source *out)
{
    struct prefix p;
    memset(out, 0, sizeof *out);
    if (!parse_addr(ip, &p))
        return false;
    out->family = p.family == AF_INET ? 4 : 6;
    memcpy(out->bytes, p.addr, p.family == AF_INET ? 4 : 8);
    return true;
}

bool netaddr_is_loopback(const char *ip)
{
    return netaddr_prefix_contains("127.0.0.0/8", ip) || netaddr_prefix_contains("::1/128", ip);
}

bool netaddr_source_equal(const struct netaddr_source *a, const struct netaddr_source *b)
{
    return a->family == b->family && !memcmp(a->bytes, b->bytes, sizeof a->bytes);
}

void netaddr_source_format(const struct netaddr_source *s, char *out, size_t n)
{
    char ip[INET6_ADDRSTRLEN];
    if (s->family == 4) {
        inet_ntop(AF_INET, s->bytes, ip, sizeof ip);
        snprintf(out, n, "%s", ip);
    } else if (s->family == 6) {
        unsigned char full[16] = {0};
        memcpy(full, s->bytes, 8);
        inet_ntop(AF_INET6, full, ip, sizeof ip);
        snprintf(out, n, "%s/64", ip);
    } else {
        snprintf(out, n, "other");
    }
}

/* Calls fn on each trimmed, non-empty item of a comma-separated list until
 * it returns true. */
static bool each_item(const char *list, bool (*fn)(const char *item, const void *arg),
                      const void *arg)
{
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        char item[NETADDR_STRLEN];
        if (len >= sizeof item) {
            snprintf(item, sizeof item, "!"); /* too long: never a prefix */
        } else {
            memcpy(item, p, len);
            item[len] = '\0';
        }
        if (len && fn(item, arg))
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

static bool item_contains(const char *item, const void *ip)
{
    return netaddr_prefix_contains(item, ip);
}

bool netaddr_prefix_list_contains(const char *list, const char *ip)
{
    return each_item(list, item_contains, ip);
}

static bool item_bad(const char *item, const void *arg)
{
    (void)arg;
    struct prefix p;
    return !parse_prefix(item, &p);
}

const char *netaddr_prefix_list_check(const char *list)
{
    return each_item(list, item_bad, NULL)
               ? "comma-separated addresses or prefixes like 127.0.0.0/8, ::1"
               : NULL;
}
