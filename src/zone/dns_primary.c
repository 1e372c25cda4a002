#include "dns_primary.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "contrib/settings.h"
#include "contrib/strutil.h"

struct dns_primary {
    char host[256];
    char port[12];
    ldns_rdf *origin;
    char *key_name, *key_secret;
    char alg[32]; /* ldns's form: "hmac-sha256." */
    struct timeval timeout;
};

struct dns_update {
    ldns_rr_list *rrs;
    size_t bytes;
};

reg_err dns_primary_new(const char *address, const char *zone, const struct dns_key *key,
                        int timeout_ms, struct dns_primary **out, reg_status *st)
{
    *out = NULL;
    struct dns_primary *p = calloc(1, sizeof *p);
    if (!p)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    int port;
    char origin[300];
    snprintf(origin, sizeof origin, "%s.", zone);
    if (settings_split_addr(address, p->host, sizeof p->host, &port) || port <= 0) {
        free(p);
        return reg_fail(st, REG_ERR_CONFIG, "zone.primary: \"%s\" is not host:port", address);
    }
    snprintf(p->port, sizeof p->port, "%d", port);
    snprintf(p->alg, sizeof p->alg, "%s.", key->algorithm);
    p->origin = ldns_dname_new_frm_str(origin);
    p->key_name = strdup(key->name);
    p->key_secret = strdup(key->secret);
    p->timeout.tv_sec = timeout_ms / 1000;
    p->timeout.tv_usec = (timeout_ms % 1000) * 1000;
    if (!p->origin || !p->key_name || !p->key_secret) {
        dns_primary_free(p);
        return reg_fail(st, REG_ERR_CONFIG, "zone %s or TSIG key %s cannot be used", zone,
                        key->name);
    }
    *out = p;
    return REG_OK;
}

void dns_primary_free(struct dns_primary *p)
{
    if (!p)
        return;
    ldns_rdf_deep_free(p->origin);
    free(p->key_name);
    if (p->key_secret)
        memset(p->key_secret, 0, strlen(p->key_secret));
    free(p->key_secret);
    free(p);
}

const ldns_rdf *dns_primary_origin(const struct dns_primary *p) { return p->origin; }

struct dns_update *dns_update_new(void)
{
    struct dns_update *u = calloc(1, sizeof *u);
    if (u && !(u->rrs = ldns_rr_list_new())) {
        free(u);
        u = NULL;
    }
    return u;
}

void dns_update_free(struct dns_update *u)
{
    if (!u)
        return;
    ldns_rr_list_deep_free(u->rrs);
    free(u);
}

reg_err dns_update_add(struct dns_update *u, ldns_rr *rr)
{
    if (!ldns_rr_list_push_rr(u->rrs, rr)) {
        ldns_rr_free(rr);
        return REG_ERR_NOMEM;
    }
    u->bytes += ldns_rr_uncompressed_size(rr);
    return REG_OK;
}

reg_err dns_update_delete(struct dns_update *u, const ldns_rdf *owner, ldns_rr_type type)
{
    /* class ANY, TTL 0, no rdata (RFC 2136 §2.5.2) */
    ldns_rr *rr = ldns_rr_new();
    ldns_rdf *name = ldns_rdf_clone(owner);
    if (!rr || !name) {
        ldns_rr_free(rr);
        ldns_rdf_deep_free(name);
        return REG_ERR_NOMEM;
    }
    ldns_rr_set_owner(rr, name);
    ldns_rr_set_type(rr, type);
    ldns_rr_set_class(rr, LDNS_RR_CLASS_ANY);
    ldns_rr_set_ttl(rr, 0);
    ldns_rr_set_question(rr, false);
    return dns_update_add(u, rr);
}

reg_err dns_update_take(struct dns_update *u, struct dns_update *from)
{
    size_t n = ldns_rr_list_rr_count(from->rrs);
    for (size_t i = 0; i < n; i++)
        if (!ldns_rr_list_push_rr(u->rrs, ldns_rr_list_rr(from->rrs, i))) {
            /* the ones not moved stay with from */
            for (size_t j = i; j < n; j++)
                ldns_rr_list_set_rr(from->rrs, ldns_rr_list_rr(from->rrs, j), j - i);
            ldns_rr_list_set_rr_count(from->rrs, n - i);
            return REG_ERR_NOMEM;
        }
    ldns_rr_list_set_rr_count(from->rrs, 0);
    u->bytes += from->bytes;
    from->bytes = 0;
    return REG_OK;
}

size_t dns_update_count(const struct dns_update *u) { return ldns_rr_list_rr_count(u->rrs); }
size_t dns_update_bytes(const struct dns_update *u) { return u->bytes; }

/* ---- one exchange over TCP ---------------------------------------------------------- */

static reg_err io_fail(const struct dns_primary *p, reg_status *st, const char *what)
{
    return reg_fail(st, REG_ERR_IO, "primary %s port %s: %s", p->host, p->port, what);
}

/* *fd connected to the primary (its address in *to, *tolen). */
static reg_err connect_primary(const struct dns_primary *p, int *fd, struct sockaddr_storage *to,
                               socklen_t *tolen, reg_status *st)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG}, *ai = NULL;
    int rc = getaddrinfo(p->host, p->port, &hints, &ai);
    if (rc) {
        char why[300];
        snprintf(why, sizeof why, "cannot resolve: %s", gai_strerror(rc));
        return io_fail(p, st, why);
    }
    *fd = 0;
    for (struct addrinfo *a = ai; a && *fd <= 0; a = a->ai_next) {
        memset(to, 0, sizeof *to);
        memcpy(to, a->ai_addr, a->ai_addrlen);
        *tolen = a->ai_addrlen;
        *fd = ldns_tcp_connect(to, *tolen, p->timeout);
    }
    freeaddrinfo(ai);
    return *fd > 0 ? REG_OK : io_fail(p, st, "cannot connect");
}

/* q signed with the key; *mac gets a copy of its MAC (for the answer's
 * verification) and *wire its wire form. */
static reg_err sign_and_wire(const struct dns_primary *p, ldns_pkt *q, ldns_rdf **mac,
                             ldns_buffer **wire, reg_status *st)
{
    *mac = NULL;
    *wire = NULL;
    ldns_pkt_set_random_id(q);
    ldns_status s = ldns_pkt_tsig_sign(q, p->key_name, p->key_secret, 300, p->alg, NULL);
    if (s != LDNS_STATUS_OK)
        return reg_fail(st, REG_ERR_CONFIG, "cannot sign with TSIG key %s (%s): %s", p->key_name,
                        p->alg, ldns_get_errorstr_by_id(s));
    *mac = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(q), 3));
    *wire = ldns_buffer_new(LDNS_MIN_BUFLEN);
    if (!*mac || !*wire || ldns_pkt2buffer_wire(*wire, q) != LDNS_STATUS_OK) {
        ldns_rdf_deep_free(*mac);
        ldns_buffer_free(*wire);
        *mac = NULL;
        *wire = NULL;
        return reg_fail(st, REG_ERR_NOMEM, "cannot build the DNS message");
    }
    return REG_OK;
}

/* One message read from fd, parsed: *pkt, and its wire in *raw (caller
 * frees both). */
static reg_err read_message(const struct dns_primary *p, int fd, ldns_pkt **pkt, uint8_t **raw,
                            size_t *size, reg_status *st)
{
    *pkt = NULL;
    *raw = ldns_tcp_read_wire_timeout(fd, size, p->timeout);
    if (!*raw || !*size) {
        free(*raw);
        *raw = NULL;
        return io_fail(p, st, "no answer (connection closed or timed out)");
    }
    if (ldns_wire2pkt(pkt, *raw, *size) != LDNS_STATUS_OK) {
        free(*raw);
        *raw = NULL;
        return io_fail(p, st, "an answer that is no DNS message");
    }
    return REG_OK;
}

static const char *rcode_name(ldns_pkt_rcode rc, char *buf, size_t n)
{
    const ldns_lookup_table *t = ldns_lookup_by_id(ldns_rcodes, (int)rc);
    snprintf(buf, n, "%s", t ? t->name : "an unknown RCODE");
    return buf;
}

/* The answer to a query with id `id`, signed with the key after `mac`
 * (first: the query's; later messages of a transfer: the previous one's),
 * and NOERROR. */
static reg_err check_answer(const struct dns_primary *p, ldns_pkt *a, uint8_t *raw, size_t size,
                            uint16_t id, const ldns_rdf *mac, bool next, reg_status *st)
{
    char rc[32];
    if (ldns_pkt_id(a) != id || !ldns_pkt_qr(a))
        return io_fail(p, st, "an answer to another question");
    bool signed_ok = ldns_pkt_tsig(a) &&
                     (next ? ldns_pkt_tsig_verify_next(a, raw, size, p->key_name, p->key_secret,
                                                       mac, 1)
                           : ldns_pkt_tsig_verify(a, raw, size, p->key_name, p->key_secret, mac));
    ldns_pkt_rcode code = ldns_pkt_get_rcode(a);
    if (code == LDNS_RCODE_NOTAUTH)
        return reg_fail(st, REG_ERR_AUTH, "primary %s port %s refused TSIG key %s (NOTAUTH)",
                        p->host, p->port, p->key_name);
    if (!signed_ok)
        return reg_fail(st, REG_ERR_AUTH,
                        "primary %s port %s: the answer (%s) is not signed with TSIG key %s",
                        p->host, p->port, rcode_name(code, rc, sizeof rc), p->key_name);
    if (code != LDNS_RCODE_NOERROR)
        return reg_fail(st, REG_ERR_POLICY, "primary %s port %s refused the change: %s", p->host,
                        p->port, rcode_name(code, rc, sizeof rc));
    return REG_OK;
}

/* Sends q (signed here) over a new connection; *fd stays open for the
 * caller, who reads the answer(s) with the returned *mac. */
static reg_err send_query(struct dns_primary *p, ldns_pkt *q, int *fd, ldns_rdf **mac,
                          reg_status *st)
{
    ldns_buffer *wire;
    *fd = 0;
    reg_err e = sign_and_wire(p, q, mac, &wire, st);
    if (e)
        return e;
    struct sockaddr_storage to;
    socklen_t tolen = 0;
    e = connect_primary(p, fd, &to, &tolen, st);
    if (!e && ldns_tcp_send_query(wire, *fd, &to, tolen) <= 0)
        e = io_fail(p, st, "cannot send");
    ldns_buffer_free(wire);
    if (e) {
        if (*fd > 0)
            close(*fd);
        *fd = 0;
        ldns_rdf_deep_free(*mac);
        *mac = NULL;
    }
    return e;
}

/* q sent, its one answer checked; *answer (optional) keeps it. */
static reg_err exchange(struct dns_primary *p, ldns_pkt *q, ldns_pkt **answer, reg_status *st)
{
    int fd;
    ldns_rdf *mac;
    reg_err e = send_query(p, q, &fd, &mac, st);
    if (e)
        return e;
    ldns_pkt *a = NULL;
    uint8_t *raw = NULL;
    size_t size = 0;
    e = read_message(p, fd, &a, &raw, &size, st);
    close(fd);
    if (!e)
        e = check_answer(p, a, raw, size, ldns_pkt_id(q), mac, false, st);
    free(raw);
    ldns_rdf_deep_free(mac);
    if (!e && answer)
        *answer = a;
    else
        ldns_pkt_free(a);
    return e;
}

reg_err dns_primary_update(struct dns_primary *p, const struct dns_update *u, reg_status *st)
{
    ldns_rdf *zone = ldns_rdf_clone(p->origin);
    ldns_pkt *q = zone ? ldns_update_pkt_new(zone, LDNS_RR_CLASS_IN, NULL, u->rrs, NULL) : NULL;
    if (!q) {
        ldns_rdf_deep_free(zone);
        return reg_fail(st, REG_ERR_NOMEM, "cannot build the DNS UPDATE");
    }
    ldns_pkt_set_rd(q, false);
    reg_err e = exchange(p, q, NULL, st);
    ldns_pkt_free(q);
    return e;
}

static ldns_pkt *question(const struct dns_primary *p, ldns_rr_type type)
{
    ldns_rdf *zone = ldns_rdf_clone(p->origin);
    ldns_pkt *q = zone ? ldns_pkt_query_new(zone, type, LDNS_RR_CLASS_IN, 0) : NULL;
    if (!q)
        ldns_rdf_deep_free(zone);
    return q;
}

static bool soa_serial(const ldns_rr *rr, uint32_t *serial)
{
    if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA || ldns_rr_rd_count(rr) < 3)
        return false;
    *serial = ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
    return true;
}

reg_err dns_primary_serial(struct dns_primary *p, uint32_t *serial, reg_status *st)
{
    ldns_pkt *q = question(p, LDNS_RR_TYPE_SOA), *a = NULL;
    if (!q)
        return reg_fail(st, REG_ERR_NOMEM, "cannot build the SOA query");
    reg_err e = exchange(p, q, &a, st);
    ldns_pkt_free(q);
    if (e)
        return e;
    ldns_rr_list *ans = ldns_pkt_answer(a);
    bool found = false;
    for (size_t i = 0; !found && i < ldns_rr_list_rr_count(ans); i++)
        found = soa_serial(ldns_rr_list_rr(ans, i), serial);
    ldns_pkt_free(a);
    return found ? REG_OK : io_fail(p, st, "no SOA record in the answer (is the zone loaded?)");
}

reg_err dns_primary_axfr(struct dns_primary *p, int (*fn)(const ldns_rr *rr, void *ctx),
                         void *ctx, uint32_t *serial, reg_status *st)
{
    ldns_pkt *q = question(p, LDNS_RR_TYPE_AXFR);
    if (!q)
        return reg_fail(st, REG_ERR_NOMEM, "cannot build the AXFR query");
    int fd;
    ldns_rdf *mac;
    reg_err e = send_query(p, q, &fd, &mac, st);
    uint16_t id = ldns_pkt_id(q);
    ldns_pkt_free(q);
    if (e)
        return e;
    int soas = 0;
    for (bool first = true; !e && soas < 2; first = false) {
        ldns_pkt *a = NULL;
        uint8_t *raw = NULL;
        size_t size = 0;
        e = read_message(p, fd, &a, &raw, &size, st);
        if (!e)
            e = check_answer(p, a, raw, size, id, mac, !first, st);
        if (!e) { /* this message's MAC signs the next one */
            ldns_rdf_deep_free(mac);
            mac = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(a), 3));
        }
        ldns_rr_list *ans = e ? NULL : ldns_pkt_answer(a);
        size_t n = ans ? ldns_rr_list_rr_count(ans) : 0;
        if (!e && !n)
            e = io_fail(p, st, "an empty transfer message");
        for (size_t i = 0; !e && i < n && soas < 2; i++) {
            const ldns_rr *rr = ldns_rr_list_rr(ans, i);
            uint32_t s;
            if (soa_serial(rr, &s)) {
                if (!soas++)
                    *serial = s;
                else
                    break; /* the closing SOA */
            } else if (!soas) {
                e = io_fail(p, st, "a transfer that does not start with the SOA");
                break;
            }
            if (fn(rr, ctx))
                e = reg_fail(st, REG_ERR_INTERNAL, "zone transfer stopped");
        }
        free(raw);
        ldns_pkt_free(a);
    }
    close(fd);
    ldns_rdf_deep_free(mac);
    return e;
}
