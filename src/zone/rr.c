/* Records in presentation format (rr.h). */
#include "rr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#define LABEL_MAX 63
#define WIRE_MAX 255 /* octets of a name on the wire, root label included */

/* Back to `mark` after a failure: out holds only whole lines. */
static reg_err undo(strbuf *out, size_t mark, reg_err e)
{
    if (e && out->data && out->len > mark) {
        out->len = mark;
        out->data[mark] = '\0';
    }
    return e;
}

static bool special(unsigned char c)
{
    return c == '"' || c == '(' || c == ')' || c == ';' || c == '@' || c == '$' || c == '\\' ||
           c == ' ' || c == '.';
}

/* One label of n octets (a '.' in it, as in a mailbox's local part, is
 * escaped). */
static reg_err put_label(strbuf *out, const char *label, size_t n, const char *name,
                         reg_status *st)
{
    if (n == 0)
        return reg_fail(st, REG_ERR_INVALID, "\"%s\" has an empty label", name);
    if (n > LABEL_MAX)
        return reg_fail(st, REG_ERR_INVALID, "\"%s\" has a label longer than %d octets", name,
                        LABEL_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)label[i];
        if (c > 0x7f)
            return reg_fail(st, REG_ERR_INVALID,
                            "\"%s\" is not ASCII: an IDN goes in the zone by its A-label", name);
        if (special(c))
            sb_printf(out, "\\%c", c);
        else if (c <= ' ' || c == 0x7f)
            sb_printf(out, "\\%03u", c);
        else
            sb_putc(out, (char)tolower(c));
    }
    sb_putc(out, '.');
    return REG_OK;
}

/* The labels of `from` (dot-separated, a trailing dot or none) as part of
 * `name`; wire: octets of the name written before them (a mailbox's
 * local part). */
static reg_err put_labels(strbuf *out, const char *name, const char *from, size_t wire,
                          reg_status *st)
{
    size_t len = strlen(from);
    if (len && from[len - 1] == '.')
        len--; /* absolute already */
    if (len == 0 && wire == 0) {
        sb_putc(out, '.'); /* the root */
        return REG_OK;
    }
    if (len == 0)
        return reg_fail(st, REG_ERR_INVALID, "\"%s\" has an empty label", name);
    for (size_t i = 0; i <= len;) {
        size_t n = strcspn(from + i, ".");
        if (i + n > len)
            n = len - i;
        reg_err e = put_label(out, from + i, n, name, st);
        if (e)
            return e;
        wire += n + 1;
        i += n + 1;
    }
    if (wire + 1 > WIRE_MAX)
        return reg_fail(st, REG_ERR_INVALID, "\"%s\" is longer than %d octets", name, WIRE_MAX);
    return REG_OK;
}

reg_err zone_rr_name(strbuf *out, const char *name, reg_status *st)
{
    size_t mark = out->len;
    return undo(out, mark, put_labels(out, name, name, 0, st));
}

reg_err zone_rr_mailbox(strbuf *out, const char *addr, reg_status *st)
{
    size_t mark = out->len;
    const char *at = strrchr(addr, '@');
    if (!at)
        return zone_rr_name(out, addr, st);
    size_t n = (size_t)(at - addr);
    reg_err e = put_label(out, addr, n, addr, st);
    if (!e && !at[1])
        e = reg_fail(st, REG_ERR_INVALID, "\"%s\" has no domain after '@'", addr);
    if (!e)
        e = put_labels(out, addr, at + 1, n + 1, st);
    return undo(out, mark, e);
}

static reg_err check_ttl(uint32_t v, const char *what, reg_status *st)
{
    return v > ZONE_TTL_MAX ? reg_fail(st, REG_ERR_INVALID, "%s %u is over %u", what, v,
                                       ZONE_TTL_MAX)
                            : REG_OK;
}

/* "OWNER\tTTL\tIN\tTYPE\t" */
static reg_err head(strbuf *out, const char *owner, uint32_t ttl, const char *type,
                    reg_status *st)
{
    reg_err e = check_ttl(ttl, "TTL", st);
    if (!e)
        e = zone_rr_name(out, owner, st);
    if (!e)
        sb_printf(out, "\t%u\tIN\t%s\t", ttl, type);
    return e;
}

/* The line ends; a full buffer is the only failure left. */
static reg_err end(strbuf *out, size_t mark, reg_err e, reg_status *st)
{
    if (!e)
        sb_putc(out, '\n');
    if (!e && out->err)
        e = reg_fail(st, out->err, "cannot format the record: %s", reg_strerror(out->err));
    return undo(out, mark, e);
}

reg_err zone_rr_ns(strbuf *out, const char *owner, uint32_t ttl, const char *host,
                   reg_status *st)
{
    size_t mark = out->len;
    reg_err e = head(out, owner, ttl, "NS", st);
    if (!e)
        e = zone_rr_name(out, host, st);
    return end(out, mark, e, st);
}

reg_err zone_rr_ds(strbuf *out, const char *owner, uint32_t ttl, const struct zone_ds *ds,
                   reg_status *st)
{
    size_t mark = out->len, n = strlen(ds->digest);
    reg_err e = REG_OK;
    if (ds->key_tag > 65535 || ds->alg > 255 || ds->digest_type > 255)
        e = reg_fail(st, REG_ERR_INVALID, "DS %u %u %u of %s: key tag, algorithm or digest type "
                     "out of range", ds->key_tag, ds->alg, ds->digest_type, owner);
    else if (n == 0 || n % 2 || strspn(ds->digest, "0123456789abcdefABCDEF") != n)
        e = reg_fail(st, REG_ERR_INVALID, "DS digest of %s is not hex octets", owner);
    if (!e)
        e = head(out, owner, ttl, "DS", st);
    if (!e) {
        sb_printf(out, "%u %u %u ", ds->key_tag, ds->alg, ds->digest_type);
        for (size_t i = 0; i < n; i++)
            sb_putc(out, (char)toupper((unsigned char)ds->digest[i]));
    }
    return end(out, mark, e, st);
}

reg_err zone_rr_addr(strbuf *out, const char *owner, uint32_t ttl, const struct zone_addr *a,
                     reg_status *st)
{
    size_t mark = out->len;
    unsigned char bin[16];
    char text[INET6_ADDRSTRLEN];
    int af = a->version == 4 ? AF_INET : a->version == 6 ? AF_INET6 : -1;
    reg_err e = REG_OK;
    if (af < 0 || inet_pton(af, a->addr, bin) != 1 || !inet_ntop(af, bin, text, sizeof text))
        e = reg_fail(st, REG_ERR_INVALID, "\"%s\" of %s is not an IPv%d address", a->addr, owner,
                     a->version);
    if (!e)
        e = head(out, owner, ttl, af == AF_INET ? "A" : "AAAA", st);
    if (!e)
        sb_puts(out, text);
    return end(out, mark, e, st);
}

reg_err zone_rr_soa(strbuf *out, const char *owner, uint32_t ttl, const struct zone_soa *soa,
                    reg_status *st)
{
    size_t mark = out->len;
    reg_err e = check_ttl(soa->refresh, "SOA refresh", st);
    if (!e)
        e = check_ttl(soa->retry, "SOA retry", st);
    if (!e)
        e = check_ttl(soa->expire, "SOA expire", st);
    if (!e)
        e = check_ttl(soa->minimum, "SOA minimum", st);
    if (!e)
        e = head(out, owner, ttl, "SOA", st);
    if (!e)
        e = zone_rr_name(out, soa->mname, st);
    if (!e) {
        sb_putc(out, ' ');
        e = zone_rr_mailbox(out, soa->rname, st);
    }
    if (!e)
        sb_printf(out, " %u %u %u %u %u", soa->serial, soa->refresh, soa->retry, soa->expire,
                  soa->minimum);
    return end(out, mark, e, st);
}
