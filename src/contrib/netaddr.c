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
