/* Incremental publication to a DNS primary (updater.h). */
#include "updater.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/strbuf.h"
#include "store/db.h"
#include "registry/op.h"
#include "registry/zone_data.h"
#include "registry/zone_queue.h"
#include "registry/zone_state.h"
#include "zone/guard.h"
#include "zone/rr.h"

/* An UPDATE stays well under the 64 KiB a DNS message over TCP may take
 * (the records' uncompressed size; the TSIG record comes on top). */
#define MESSAGE_BYTES 48000

/* ---- a set of 64-bit name hashes: the delegations at the primary ---------------------- */

struct hashset {
    uint64_t *slot; /* 0: empty */
    size_t cap, n;  /* cap a power of two */
};

static uint64_t name_hash(const char *name)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a, then a finaliser to spread it */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1;
}

static size_t hs_find(const struct hashset *s, uint64_t h)
{
    size_t i = (size_t)h & (s->cap - 1);
    while (s->slot[i] && s->slot[i] != h)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static bool hs_has(const struct hashset *s, uint64_t h)
{
    return s->cap && s->slot[hs_find(s, h)] == h;
}

static bool hs_add(struct hashset *s, uint64_t h)
{
    if (2 * (s->n + 1) > s->cap) {
        struct hashset bigger = {calloc(s->cap ? 2 * s->cap : 1024, sizeof(uint64_t)),
                                 s->cap ? 2 * s->cap : 1024, 0};
        if (!bigger.slot)
            return false;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i])
                bigger.slot[hs_find(&bigger, s->slot[i])] = s->slot[i], bigger.n++;
        free(s->slot);
        *s = bigger;
    }
    size_t i = hs_find(s, h);
    if (!s->slot[i])
        s->slot[i] = h, s->n++;
    return true;
}

/* Removal with backward shifting, so probes stay unbroken. */
static void hs_del(struct hashset *s, uint64_t h)
{
    if (!hs_has(s, h))
        return;
    size_t i = hs_find(s, h), mask = s->cap - 1;
    s->slot[i] = 0;
    s->n--;
    for (size_t j = (i + 1) & mask; s->slot[j]; j = (j + 1) & mask) {
        size_t home = (size_t)s->slot[j] & mask;
        /* j's entry may move to i when its home is not in (i, j] */
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
            s->slot[i] = s->slot[j];
            s->slot[j] = 0;
            i = j;
        }
    }
}

static void hs_free(struct hashset *s)
{
    free(s->slot);
    memset(s, 0, sizeof *s);
}

/* ---- the publisher ---------------------------------------------------------------------- */

struct zone_updater {
    db *db;
    struct dns_primary *primary;
    const struct zone_settings *set;
    struct hashset published; /* delegations at the primary */
    struct hashset apex_ns;   /* the primary's apex name servers (their glue is its own) */
    bool levelled;
    int64_t level_base; /* delegations at the primary after the last level */
    bool has_serial;
    uint32_t serial; /* the primary's after our last change */
};

reg_err zone_updater_new(db *d, struct dns_primary *p, const struct zone_settings *s,
                           struct zone_updater **out, reg_status *st)
{
    struct zone_updater *zu = calloc(1, sizeof *zu);
    if (!zu)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    zu->db = d;
    zu->primary = p;
    zu->set = s;
    *out = zu;
    return REG_OK;
}

void zone_updater_free(struct zone_updater *zu)
{
    if (!zu)
        return;
    hs_free(&zu->published);
    hs_free(&zu->apex_ns);
    free(zu);
}

/* ---- records ---------------------------------------------------------------------------- */

/* The canonical text of an owner name ("a.dk."): lowercase, absolute. */
static char *owner_text(const ldns_rdf *owner)
{
    ldns_rdf *c = ldns_rdf_clone(owner);
    if (!c)
        return NULL;
    ldns_dname2canonical(c);
    char *s = ldns_rdf2str(c);
    ldns_rdf_deep_free(c);
    return s;
}

/* A record's share of its set's digest: its canonical wire form (owner
 * and names in rdata lowercased, TTL included) hashed. Summed over a set,
 * order does not matter. */
static uint64_t rr_digest(const ldns_rr *rr)
{
    ldns_rr *c = ldns_rr_clone(rr);
    uint8_t *wire = NULL;
    size_t size = 0;
    uint64_t h = 0;
    if (c) {
        ldns_rr2canonical(c);
        if (ldns_rr2wire(&wire, c, LDNS_SECTION_ANSWER, &size) == LDNS_STATUS_OK) {
            unsigned char md[32];
            ldns_sha256(wire, (unsigned)size, md);
            memcpy(&h, md, sizeof h);
        }
        free(wire);
        ldns_rr_free(c);
    }
    return h;
}

/* What one owner name should hold of one kind: a delegation's NS and DS
 * sets, or a host's A and AAAA sets, as the records to add after the
 * sets are deleted. */
enum kind { DELEGATION, GLUE };

struct owner_records {
    struct dns_update *u; /* the deletions, then the records */
    uint64_t digest;      /* sum of rr_digest over the records */
    size_t records;
};

static const ldns_rr_type kind_types[2][2] = {
    [DELEGATION] = {LDNS_RR_TYPE_NS, LDNS_RR_TYPE_DS},
    [GLUE] = {LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA},
};

static void owner_records_free(struct owner_records *o)
{
    dns_update_free(o->u);
    memset(o, 0, sizeof *o);
}

/* o gets the deletions of owner's sets of `kind`, then the records of
 * `lines` (presentation format, rr.h), parsed by ldns. */
static reg_err owner_records_make(struct owner_records *o, const char *owner, enum kind kind,
                                  const char *lines, reg_status *st)
{
    memset(o, 0, sizeof *o);
    o->u = dns_update_new();
    ldns_rdf *name = ldns_dname_new_frm_str(owner);
    reg_err e = o->u && name ? REG_OK : reg_fail(st, REG_ERR_INVALID, "\"%s\" is no DNS name",
                                                 owner);
    for (int i = 0; !e && i < 2; i++)
        e = dns_update_delete(o->u, name, kind_types[kind][i]);
    ldns_rdf_deep_free(name);
    for (const char *p = lines; !e && p && *p;) {
        size_t n = strcspn(p, "\n");
        char line[1200];
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        p += n + (p[n] == '\n');
        ldns_rr *rr = NULL;
        ldns_status s = ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL);
        if (s != LDNS_STATUS_OK) {
            e = reg_fail(st, REG_ERR_INVALID, "cannot publish \"%s\": %s", line,
                         ldns_get_errorstr_by_id(s));
            break;
        }
        o->digest += rr_digest(rr);
        o->records++;
        if ((e = dns_update_add(o->u, rr)))
            reg_fail(st, e, "out of memory");
    }
    if (e)
        owner_records_free(o);
    return e;
}

/* The records a delegation should have (none when it is not published). */
static reg_err delegation_records(const struct zone_updater *zu,
                                  const struct zone_delegation *z, bool published,
                                  struct owner_records *o, reg_status *st)
{
    strbuf sb;
    sb_init(&sb);
    reg_err e = REG_OK;
    for (size_t i = 0; published && !e && i < z->n_ns; i++)
        e = zone_rr_ns(&sb, z->name, zu->set->ttl, z->ns[i], st);
    for (size_t i = 0; published && !e && i < z->n_ds; i++)
        e = zone_rr_ds(&sb, z->name, zu->set->ttl, &z->ds[i], st);
    if (!e && sb.err)
        e = reg_fail(st, sb.err, "out of memory");
    char owner[ZONE_NAME_SIZE + 2];
    snprintf(owner, sizeof owner, "%s.", z->name);
    if (!e)
        e = owner_records_make(o, owner, DELEGATION, sb_str(&sb), st);
    sb_free(&sb);
    return e;
}

static reg_err glue_records(const struct zone_updater *zu, const char *host,
                            const struct zone_addr *addr, size_t n, struct owner_records *o,
                            reg_status *st)
{
    strbuf sb;
    sb_init(&sb);
    reg_err e = REG_OK;
    for (size_t i = 0; !e && i < n; i++)
        e = zone_rr_addr(&sb, host, zu->set->ttl, &addr[i], st);
    if (!e && sb.err)
        e = reg_fail(st, sb.err, "out of memory");
    char owner[ZONE_NAME_SIZE + 2];
    snprintf(owner, sizeof owner, "%s.", host);
    if (!e)
        e = owner_records_make(o, owner, GLUE, sb_str(&sb), st);
    sb_free(&sb);
    return e;
}

/* ---- sending: whole owners per message ------------------------------------------------- */

struct sender {
    struct zone_updater *zu;
    struct dns_update *u;
    struct zone_update_result *r;
};

static reg_err flush(struct sender *s, reg_status *st)
{
    if (!s->u || !dns_update_count(s->u))
        return REG_OK;
    /* what it was made of may be committed and not yet on the disk
     * (store/db.h, db_sync_commits): sent only once it is */
    reg_err e = db_sync_commits(s->zu->db) ? db_fail(s->zu->db, st, REG_ERR_IO)
                                           : dns_primary_update(s->zu->primary, s->u, st);
    if (!e) {
        s->r->records += dns_update_count(s->u);
        s->r->messages++;
    }
    dns_update_free(s->u);
    s->u = NULL;
    return e;
}

/* o's deletions and records go in one message, never split: the name is
 * never without its NS set at the primary. */
static reg_err send_owner(struct sender *s, struct owner_records *o, reg_status *st)
{
    reg_err e = REG_OK;
    if (s->u && dns_update_bytes(s->u) + dns_update_bytes(o->u) > MESSAGE_BYTES)
        e = flush(s, st);
    if (!e && !s->u && !(s->u = dns_update_new()))
        e = reg_fail(st, REG_ERR_NOMEM, "out of memory");
    if (!e && (e = dns_update_take(s->u, o->u)))
        reg_fail(st, e, "out of memory");
    if (!e)
        s->r->names++;
    return e;
}

/* The serial after our changes: what a later drift check compares with. */
static void learn_serial(struct zone_updater *zu, struct zone_update_result *r)
{
    reg_status st;
    uint32_t serial;
    if (dns_primary_serial(zu->primary, &serial, &st))
        return; /* the next check finds it moved, and levels: no harm */
    zu->serial = r->serial = serial;
    zu->has_serial = r->has_serial = true;
}

/* A name whose records no zone may hold (rr.h refuses them; the registry's
 * rules keep such names out): logged and passed over, so it does not stop
 * the stream or a level: the primary keeps what it has of the name. The
 * zone file refuses it as loudly. */
static reg_err unpublishable(const char *name, reg_status *st)
{
    char q[600];
    reg_log(LOG_ERROR, "zone", NULL, "unpublishable", "name=%s error=%s", name,
            log_quote(st->reason, q, sizeof q));
    reg_status_clear(st);
    return REG_OK;
}

/* ---- the guard -------------------------------------------------------------------------- */

/* Publication is held (for the file or for us) until staff lift it:
 * nothing is read or sent meanwhile. */
static reg_err held_now(struct zone_updater *zu, bool *held, reg_status *st)
{
    struct zone_state zs;
    reg_err e = zone_state_get(zu->db, &zs, st);
    *held = !e && zs.held_at;
    return e;
}

/* May `next` delegations at the primary be published (guard.h)? The
 * previous run is the last zone file published, or before any the
 * primary as the last level left it (`fallback`). */
static reg_err guard(struct zone_updater *zu, reg_time now, int64_t next, int64_t fallback,
                     bool *held, reg_status *st)
{
    struct zone_state zs;
    reg_err e = zone_state_get(zu->db, &zs, st);
    *held = !e && zs.held_at;
    if (e || *held)
        return e;
    int64_t previous = zs.published_at ? zs.published_delegations : fallback;
    if (!zone_guard_refuses(previous, next, zu->set->max_shrink))
        return REG_OK;
    *held = true;
    return zone_guard_hold(zu->db, zu->set, now, previous, next, st);
}

/* ---- the level -------------------------------------------------------------------------- */

/* The primary's zone as read by AXFR: per owner name below the apex, the
 * digest of each kind's records, and whether the data has it too. */
struct owner {
    char *name;
    uint64_t digest[2];
    bool has[2], wanted[2];
};

struct owners {
    struct owner *v;
    size_t n, cap;
    uint32_t *index; /* 1-based into v; 0 empty */
    size_t icap;
    const ldns_rdf *origin;
    struct hashset apex_ns; /* the apex's name servers: their addresses are the primary's */
    bool nomem;
};

static size_t owners_slot(const struct owners *o, const char *name)
{
    size_t i = (size_t)name_hash(name) & (o->icap - 1);
    while (o->index[i] && strcmp(o->v[o->index[i] - 1].name, name))
        i = (i + 1) & (o->icap - 1);
    return i;
}

static struct owner *owners_find(const struct owners *o, const char *name)
{
    if (!o->icap)
        return NULL;
    size_t i = owners_slot(o, name);
    return o->index[i] ? &o->v[o->index[i] - 1] : NULL;
}

static struct owner *owners_get(struct owners *o, const char *name)
{
    struct owner *w = owners_find(o, name);
    if (w)
        return w;
    if (2 * (o->n + 1) > o->icap) {
        size_t icap = o->icap ? 2 * o->icap : 4096;
        uint32_t *index = calloc(icap, sizeof *index);
        if (!index)
            return NULL;
        free(o->index);
        o->index = index;
        o->icap = icap;
        for (size_t k = 0; k < o->n; k++)
            o->index[owners_slot(o, o->v[k].name)] = (uint32_t)(k + 1);
    }
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 4096;
        struct owner *v = realloc(o->v, cap * sizeof *v);
        if (!v)
            return NULL;
        o->v = v;
        o->cap = cap;
    }
    w = &o->v[o->n];
    memset(w, 0, sizeof *w);
    if (!(w->name = strdup(name)))
        return NULL;
    o->index[owners_slot(o, name)] = (uint32_t)++o->n;
    return w;
}

static void owners_free(struct owners *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->v[i].name);
    free(o->v);
    free(o->index);
    hs_free(&o->apex_ns);
}

static int axfr_record(const ldns_rr *rr, void *ctx)
{
    struct owners *o = ctx;
    ldns_rr_type t = ldns_rr_get_type(rr);
    bool apex = !ldns_dname_compare(ldns_rr_owner(rr), o->origin);
    if (apex) {
        if (t == LDNS_RR_TYPE_NS) {
            char *ns = owner_text(ldns_rr_rdf(rr, 0));
            o->nomem |= !ns || !hs_add(&o->apex_ns, name_hash(ns));
            free(ns);
        }
        return o->nomem;
    }
    enum kind k;
    if (t == LDNS_RR_TYPE_NS || t == LDNS_RR_TYPE_DS)
        k = DELEGATION;
    else if (t == LDNS_RR_TYPE_A || t == LDNS_RR_TYPE_AAAA)
        k = GLUE;
    else
        return 0; /* RRSIG, NSEC…: the primary's own */
    char *name = owner_text(ldns_rr_owner(rr));
    struct owner *w = name ? owners_get(o, name) : NULL;
    free(name);
    if (!w)
        return o->nomem = true;
    w->digest[k] += rr_digest(rr);
    w->has[k] = true;
    return 0;
}

struct level {
    struct zone_updater *zu;
    struct owners *o;
    struct sender s;
    struct hashset published;
    reg_status *st;
    reg_err err;
};

/* The primary's records of an owner of the data, if any. */
static struct owner *level_find(struct level *l, const char *name)
{
    char *key = NULL;
    ldns_rdf *d = ldns_dname_new_frm_str(name);
    if (d)
        key = owner_text(d);
    ldns_rdf_deep_free(d);
    struct owner *w = key ? owners_find(l->o, key) : NULL;
    free(key);
    return w;
}

/* One owner of the data: sent when the primary has something else. */
static int level_owner(struct level *l, const char *name, enum kind k, struct owner_records *rec)
{
    struct owner *w = level_find(l, name);
    if (w)
        w->wanted[k] = true;
    bool same = w && w->has[k] && w->digest[k] == rec->digest;
    if (!same)
        l->err = send_owner(&l->s, rec, l->st);
    owner_records_free(rec);
    return l->err;
}

/* An owner whose records were refused (unpublishable): what the primary
 * has of it stays, and counts. */
static int level_skip(struct level *l, const char *name, const char *owner, enum kind k)
{
    if (l->err != REG_ERR_INVALID)
        return l->err;
    l->err = unpublishable(name, l->st);
    struct owner *w = level_find(l, owner);
    if (w && w->has[k]) {
        w->wanted[k] = true;
        if (k == DELEGATION && !hs_add(&l->published, name_hash(owner)))
            return l->err = reg_fail(l->st, REG_ERR_NOMEM, "out of memory");
    }
    return 0;
}

static int level_delegation(const struct zone_delegation *z, void *ctx)
{
    struct level *l = ctx;
    struct owner_records rec;
    char owner[ZONE_NAME_SIZE + 2];
    snprintf(owner, sizeof owner, "%s.", z->name);
    if (z->n_ns && (l->err = delegation_records(l->zu, z, true, &rec, l->st))) {
        if (level_skip(l, z->name, owner, DELEGATION))
            return l->err;
    } else if (z->n_ns) {
        if (level_owner(l, owner, DELEGATION, &rec))
            return l->err;
        if (!hs_add(&l->published, name_hash(owner)))
            return l->err = reg_fail(l->st, REG_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < z->n_glue; i++) {
        const struct zone_glue *g = &z->glue[i];
        snprintf(owner, sizeof owner, "%s.", g->host);
        if ((l->err = glue_records(l->zu, g->host, g->addr, g->n_addr, &rec, l->st))) {
            if (level_skip(l, g->host, owner, GLUE))
                return l->err;
        } else if (level_owner(l, owner, GLUE, &rec))
            return l->err;
    }
    return 0;
}

/* Owners the primary has and the data has not: their sets deleted. */
static reg_err level_removals(struct level *l)
{
    for (size_t i = 0; !l->err && i < l->o->n; i++) {
        struct owner *w = &l->o->v[i];
        for (int k = 0; !l->err && k < 2; k++) {
            if (!w->has[k] || w->wanted[k])
                continue;
            if (k == GLUE && hs_has(&l->o->apex_ns, name_hash(w->name)))
                continue; /* the apex's name server: the primary's */
            struct owner_records rec;
            if (!(l->err = owner_records_make(&rec, w->name, (enum kind)k, "", l->st))) {
                l->err = send_owner(&l->s, &rec, l->st);
                owner_records_free(&rec);
            }
        }
    }
    return l->err;
}

reg_err zone_updater_level(struct zone_updater *zu, reg_time now, struct zone_update_result *r,
                           reg_status *st)
{
    memset(r, 0, sizeof *r);
    struct owners o = {.origin = dns_primary_origin(zu->primary)};
    struct level l = {.zu = zu, .o = &o, .s = {.zu = zu, .r = r}, .st = st};
    uint32_t serial;
    int64_t *ids = NULL, at_primary = 0, wanted = 0;
    size_t nids = 0;
    reg_err e = held_now(zu, &r->held, st);
    if (e || r->held)
        return e;
    /* the queue first: every row read is covered by the data read after */
    e = zone_queue_ids(zu->db, &ids, &nids, st);
    if (!e && (e = dns_primary_axfr(zu->primary, axfr_record, &o, &serial, st)) && o.nomem)
        e = reg_fail(st, REG_ERR_NOMEM, "out of memory reading the primary's zone");
    for (size_t i = 0; !e && i < o.n; i++)
        at_primary += o.v[i].has[DELEGATION];
    if (!e)
        e = zone_data_count(zu->db, now, &wanted, st);
    if (!e)
        e = guard(zu, now, wanted, at_primary, &r->held, st);
    if (!e && !r->held) {
        e = zone_data_walk(zu->db, now, level_delegation, &l, st);
        if (e && l.err)
            e = l.err; /* the walk's own status is in st already */
        if (!e)
            e = level_removals(&l);
        if (!e)
            e = flush(&l.s, st);
    }
    dns_update_free(l.s.u);
    if (!e && !r->held) {
        hs_free(&zu->published);
        zu->published = l.published;
        l.published = (struct hashset){0};
        hs_free(&zu->apex_ns);
        zu->apex_ns = o.apex_ns;
        o.apex_ns = (struct hashset){0};
        zu->levelled = true;
        zu->level_base = r->delegations = (int64_t)zu->published.n;
        learn_serial(zu, r);
        if ((e = zone_queue_done(zu->db, ids, nids, st)) == REG_OK)
            r->rows = nids;
    }
    owners_free(&o);
    hs_free(&l.published);
    free(ids);
    return e;
}

/* ---- the queue -------------------------------------------------------------------------- */

#define BATCH_MAX 1000

struct batch {
    struct zone_updater *zu;
    char (*hosts)[ZONE_NAME_SIZE];
    size_t nhosts, cap;
    reg_status *st;
};

static int add_host(const char *host, void *ctx)
{
    struct batch *b = ctx;
    for (size_t i = 0; i < b->nhosts; i++)
        if (!strcmp(b->hosts[i], host))
            return 0;
    if (b->nhosts == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        void *v = realloc(b->hosts, cap * sizeof *b->hosts);
        if (!v)
            return 1;
        b->hosts = v;
        b->cap = cap;
    }
    snprintf(b->hosts[b->nhosts++], ZONE_NAME_SIZE, "%s", host);
    return 0;
}

/* Is name in the zone (the origin or below it)? */
static bool in_zone(const struct zone_updater *zu, const char *name)
{
    const char *zone = zu->set->origin;
    size_t n = strlen(name), z = strlen(zone);
    return n > z && name[n - z - 1] == '.' && !strcasecmp(name + n - z, zone);
}

/* The owners of one batch, read in one snapshot: every delegation named
 * and the glue it may touch. *next gets the delegations at the primary
 * once they are sent. */
struct pending {
    struct owner_records *v;
    bool *deleg_published; /* per v, for DELEGATION owners */
    uint64_t *hash;        /* name hash per v (0 for glue) */
    size_t n, cap;
};

static reg_err pending_push(struct pending *p, struct owner_records *rec, uint64_t hash,
                            bool published, reg_status *st)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        struct owner_records *v = realloc(p->v, cap * sizeof *v);
        if (v)
            p->v = v;
        bool *pub = v ? realloc(p->deleg_published, cap * sizeof *pub) : NULL;
        if (pub)
            p->deleg_published = pub;
        uint64_t *h = pub ? realloc(p->hash, cap * sizeof *h) : NULL;
        if (!h) {
            owner_records_free(rec);
            return reg_fail(st, REG_ERR_NOMEM, "out of memory");
        }
        p->hash = h;
        p->cap = cap;
    }
    p->v[p->n] = *rec;
    p->deleg_published[p->n] = published;
    p->hash[p->n++] = hash;
    return REG_OK;
}

static void pending_free(struct pending *p)
{
    for (size_t i = 0; i < p->n; i++)
        owner_records_free(&p->v[i]);
    free(p->v);
    free(p->deleg_published);
    free(p->hash);
}

static reg_err read_batch(struct zone_updater *zu, reg_time now, const struct zone_change *c,
                          size_t n, struct pending *p, reg_status *st)
{
    struct batch b = {.zu = zu, .st = st};
    reg_err e = REG_OK;
    for (size_t i = 0; !e && i < n; i++) {
        if (c[i].kind == ZONE_CHANGE_HOST) {
            if (add_host(c[i].name, &b))
                e = reg_fail(st, REG_ERR_NOMEM, "out of memory");
            continue;
        }
        bool seen = false; /* a domain once per batch */
        for (size_t j = 0; j < i && !seen; j++)
            seen = c[j].kind == ZONE_CHANGE_DOMAIN && !strcmp(c[j].name, c[i].name);
        if (seen || !in_zone(zu, c[i].name))
            continue;
        struct zone_delegation z;
        bool published;
        struct owner_records rec;
        e = zone_data_domain(zu->db, c[i].name, now, &z, &published, st);
        if (!e && (e = delegation_records(zu, &z, published, &rec, st)) == REG_ERR_INVALID)
            e = unpublishable(c[i].name, st);
        else if (!e) {
            char owner[ZONE_NAME_SIZE + 2];
            snprintf(owner, sizeof owner, "%s.", c[i].name);
            e = pending_push(p, &rec, name_hash(owner), published, st);
        }
        zone_delegation_free(&z);
        if (!e)
            e = zone_domain_hosts(zu->db, c[i].name, add_host, &b, st);
    }
    for (size_t i = 0; !e && i < b.nhosts; i++) {
        if (!in_zone(zu, b.hosts[i]))
            continue; /* a host renamed out of the zone: it never had glue */
        struct zone_addr *addr;
        size_t naddr;
        struct owner_records rec;
        e = zone_data_glue(zu->db, b.hosts[i], now, &addr, &naddr, st);
        char owner[ZONE_NAME_SIZE + 2];
        snprintf(owner, sizeof owner, "%s.", b.hosts[i]);
        /* an apex name server's addresses stay the primary's unless the
         * data has some to publish */
        bool leave = !e && !naddr && hs_has(&zu->apex_ns, name_hash(owner));
        if (!e && !leave && (e = glue_records(zu, b.hosts[i], addr, naddr, &rec, st)))
            leave = true;
        free(addr);
        if (e == REG_ERR_INVALID)
            e = unpublishable(b.hosts[i], st);
        else if (!e && !leave)
            e = pending_push(p, &rec, 0, false, st);
    }
    free(b.hosts);
    return e;
}

reg_err zone_updater_drain(struct zone_updater *zu, reg_time now, size_t max_rows,
                           struct zone_update_result *r, reg_status *st)
{
    memset(r, 0, sizeof *r);
    if (!zu->levelled)
        return reg_fail(st, REG_ERR_USE, "the primary has not been levelled yet");
    if (max_rows > BATCH_MAX)
        max_rows = BATCH_MAX;
    struct zone_change *c = calloc(max_rows ? max_rows : 1, sizeof *c);
    if (!c)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    size_t n = 0;
    struct pending p = {0};
    /* the queue first, then the data in one snapshot: every row read was
     * committed before the state that is sent */
    reg_err e = held_now(zu, &r->held, st);
    if (!e && !r->held)
        e = zone_queue_peek(zu->db, c, max_rows, &n, st);
    if (!e && n && !(e = db_begin_snapshot(zu->db))) {
        e = read_batch(zu, now, c, n, &p, st);
        db_rollback(zu->db);
    }
    int64_t next = (int64_t)zu->published.n;
    for (size_t i = 0; !e && i < p.n; i++)
        if (p.hash[i])
            next += (int64_t)p.deleg_published[i] - (int64_t)hs_has(&zu->published, p.hash[i]);
    if (!e && n)
        e = guard(zu, now, next, zu->level_base, &r->held, st);
    struct sender s = {.zu = zu, .r = r};
    for (size_t i = 0; !e && !r->held && i < p.n; i++)
        e = send_owner(&s, &p.v[i], st);
    if (!e && !r->held)
        e = flush(&s, st);
    dns_update_free(s.u);
    if (!e && n && !r->held) {
        for (size_t i = 0; i < p.n; i++) {
            if (!p.hash[i])
                continue;
            if (p.deleg_published[i])
                e = hs_add(&zu->published, p.hash[i]) ? e : REG_ERR_NOMEM;
            else
                hs_del(&zu->published, p.hash[i]);
        }
        if (e) /* the count is off: the next level sets it right */
            zu->levelled = false;
        int64_t *ids = malloc(n * sizeof *ids);
        for (size_t i = 0; ids && i < n; i++)
            ids[i] = c[i].id;
        e = ids ? zone_queue_done(zu->db, ids, n, st) : reg_fail(st, REG_ERR_NOMEM, "out of memory");
        free(ids);
        if (!e)
            r->rows = n;
        r->delegations = (int64_t)zu->published.n;
        learn_serial(zu, r);
    }
    pending_free(&p);
    free(c);
    return e;
}

reg_err zone_updater_drifted(struct zone_updater *zu, bool *drifted, reg_status *st)
{
    uint32_t serial;
    reg_err e = dns_primary_serial(zu->primary, &serial, st);
    if (!e)
        *drifted = !zu->has_serial || serial != zu->serial;
    return e;
}
