/* What the TLD zone publishes (zone_data.h). */
#include "zone_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/strutil.h"

/* Byte order on both backends: SQLite compares text with memcmp (BINARY)
 * already; PostgreSQL's default collation may be a locale's, so its
 * queries say COLLATE "C". */
#define BYTES_PG " COLLATE \"C\""

/* The domain `a` is not held, deleted or suspended (zone_data.h). Two
 * spellings of one test, for two planners. SQLite, without statistics,
 * takes the index of either date (NULL in almost every row) to drive a
 * query and reads every domain once per host: the dates go through
 * COALESCE, which no index serves. PostgreSQL estimates COALESCE(…) IS
 * NULL at 0.5 % of the rows and then walks a million domains by nested
 * loops: its whole-zone streams test the columns, whose share of NULLs
 * its statistics know, and get hash joins. */
#define NOT_WITHHELD(a)                                                                          \
    "COALESCE(" a ".delete_requested_at, " a ".idcheck_delete_at) IS NULL AND NOT EXISTS (SELECT " \
    "1 FROM object_status o WHERE o.object_kind = 'domain' AND o.object_id = " a ".id AND "      \
    "o.status IN ('serverHold', 'clientHold'))"
/* On PostgreSQL the hold test is NOT IN, not NOT EXISTS: the held ids
 * become one hashed subplan probed once a row. NOT EXISTS became a nested
 * anti-join starting a scan of object_status for each of the 2,000,000
 * NS rows (4.6 s of the stream's 11.5 s; docs/performance.md). object_id
 * is NOT NULL, so NOT IN means NOT EXISTS. */
#define NOT_WITHHELD_PG(a)                                                                       \
    a ".delete_requested_at IS NULL AND " a ".idcheck_delete_at IS NULL AND " a ".id NOT IN "    \
      "(SELECT o.object_id FROM object_status o WHERE o.object_kind = 'domain' AND o.status IN " \
      "('serverHold', 'clientHold'))"
/* ... and has a name server: it is published. */
#define PUBLISHED_AS(a, W) W(a) " AND EXISTS (SELECT 1 FROM domain_host x WHERE x.domain_id = " a ".id)"
#define PUBLISHED(a) PUBLISHED_AS(a, NOT_WITHHELD)
/* Host `h` is named by a published delegation. */
#define USED_AS(h, W)                                                                            \
    "EXISTS (SELECT 1 FROM domain_host u JOIN domain ud ON ud.id = u.domain_id WHERE "           \
    "u.host_id = " h ".id AND " W("ud") ")"
#define USED(h) USED_AS(h, NOT_WITHHELD)

/* The streams of a walk, for each backend: c the collation after every
 * text column ordered by, W the spelling of the test above. */
#define NS_SQL(c, W)                                                                             \
    "SELECT d.name, h.name FROM domain d JOIN domain_host dh ON dh.domain_id = d.id JOIN host h " \
    "ON h.id = dh.host_id WHERE " W("d") " ORDER BY d.name" c ", h.name" c
#define DS_SQL(c, W)                                                                             \
    "SELECT d.name, r.key_tag, r.alg, r.digest_type, r.digest FROM domain d JOIN ds_record r ON " \
    "r.domain_id = d.id WHERE " PUBLISHED_AS("d", W) " ORDER BY d.name" c ", r.key_tag, r.alg, " \
    "r.digest_type, r.digest" c
#define GLUE_SQL(c, W)                                                                           \
    "SELECT s.name, h.name, a.version, a.address FROM host h JOIN domain s ON s.id = "           \
    "h.superordinate_id JOIN host_address a ON a.host_id = h.id WHERE " USED_AS("h", W)          \
    " ORDER BY s.name" c ", h.name" c ", a.version, a.address" c

/* One stream of rows in order. SQLite steps through its result as it is
 * read; PostgreSQL's driver fetches whole results, so there the query is
 * a cursor read FETCH_ROWS rows at a time. */
#define FETCH_ROWS 2000
#define CURSOR(name, sql)                                                                        \
    "DECLARE " name " NO SCROLL CURSOR FOR " sql, "FETCH " STR_OF(FETCH_ROWS) " FROM " name,         \
        "CLOSE " name

static const struct stream_sql {
    const char *sqlite, *declare, *fetch, *close;
} stream_ns = {NS_SQL("", NOT_WITHHELD), CURSOR("zone_ns", NS_SQL(BYTES_PG, NOT_WITHHELD_PG))},
  stream_ds = {DS_SQL("", NOT_WITHHELD), CURSOR("zone_ds", DS_SQL(BYTES_PG, NOT_WITHHELD_PG))},
  stream_glue = {GLUE_SQL("", NOT_WITHHELD),
                 CURSOR("zone_glue", GLUE_SQL(BYTES_PG, NOT_WITHHELD_PG))};

struct stream {
    db *d;
    db_stmt *s;
    const struct stream_sql *q;
    bool cursor; /* PostgreSQL: s is a FETCH of cursor q */
    size_t batch; /* rows of the current FETCH read so far */
    bool row;     /* s is on a row */
    reg_err err;
};

/* To the next row; row is false at the end or on an error. */
static void stream_next(struct stream *r)
{
    for (;;) {
        if (db_next(r->s)) {
            r->row = true;
            r->batch++;
            return;
        }
        r->row = false;
        /* the end of the rows, or of one FETCH: a short one was the last */
        if ((r->err = db_done(r->s)) || !r->cursor || r->batch < FETCH_ROWS)
            return;
        r->batch = 0;
        r->s = db_query(r->d, r->q->fetch);
    }
}

static reg_err stream_open(struct stream *r, db *d, const struct stream_sql *q)
{
    memset(r, 0, sizeof *r);
    r->d = d;
    r->q = q;
    r->cursor = db_kind_of(d) == DB_PGSQL;
    if (r->cursor && (r->err = db_run(db_query(d, q->declare))))
        return r->err;
    r->s = db_query(d, r->cursor ? q->fetch : q->sqlite);
    stream_next(r);
    return r->err;
}

/* After a walk that went well (or that its callback stopped): a cursor
 * left open would stay in the caller's transaction. */
static reg_err stream_close(struct stream *r)
{
    if (r->row)
        db_done(r->s);
    r->row = false;
    return r->cursor ? db_exec(r->d, r->q->close) : REG_OK;
}

/* The current row is of owner name `name`. */
static bool stream_at(const struct stream *r, const char *name)
{
    return r->row && !strcmp(db_col_text(r->s, 0), name);
}

/* ---- growable arrays of a walk ---------------------------------------------------------- */

static bool grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    void *p = realloc(*v, n * size);
    if (!p)
        return false;
    *v = p;
    *cap = n;
    return true;
}

struct buffers {
    size_t cap_ns, cap_ds, cap_glue, *cap_addr; /* cap_addr: one per glue slot */
};

static void block_free(struct zone_delegation *z, struct buffers *b)
{
    free(z->ns);
    free(z->ds);
    size_t slots = b ? b->cap_glue : z->n_glue;
    for (size_t i = 0; z->glue && i < slots; i++)
        free(z->glue[i].addr);
    free(z->glue);
    if (b)
        free(b->cap_addr);
    memset(z, 0, sizeof *z);
}

void zone_delegation_free(struct zone_delegation *z)
{
    if (z)
        block_free(z, NULL);
}

static bool push_ns(struct zone_delegation *z, struct buffers *b, const char *host)
{
    if (!grow((void **)&z->ns, &b->cap_ns, z->n_ns + 1, sizeof *z->ns))
        return false;
    str_copy(z->ns[z->n_ns++], ZONE_NAME_SIZE, host);
    return true;
}

static bool push_ds(struct zone_delegation *z, struct buffers *b, db_stmt *s, int col)
{
    if (!grow((void **)&z->ds, &b->cap_ds, z->n_ds + 1, sizeof *z->ds))
        return false;
    struct zone_ds *ds = &z->ds[z->n_ds++];
    ds->key_tag = (unsigned)db_col_int(s, col);
    ds->alg = (unsigned)db_col_int(s, col + 1);
    ds->digest_type = (unsigned)db_col_int(s, col + 2);
    str_copy(ds->digest, sizeof ds->digest, db_col_text(s, col + 3));
    return true;
}

/* Host `host` with one more address: a new glue entry when host is not
 * the last one's. */
static bool push_glue(struct zone_delegation *z, struct buffers *b, const char *host,
                      int version, const char *addr)
{
    if (!z->n_glue || strcmp(z->glue[z->n_glue - 1].host, host)) {
        size_t old = b->cap_glue;
        if (!grow((void **)&z->glue, &b->cap_glue, z->n_glue + 1, sizeof *z->glue))
            return false;
        if (b->cap_glue != old) {
            size_t *caps = realloc(b->cap_addr, b->cap_glue * sizeof *caps);
            if (!caps)
                return false;
            b->cap_addr = caps;
            for (size_t i = old; i < b->cap_glue; i++) {
                z->glue[i].addr = NULL;
                caps[i] = 0;
            }
        }
        struct zone_glue *g = &z->glue[z->n_glue++];
        str_copy(g->host, sizeof g->host, host);
        g->n_addr = 0;
    }
    struct zone_glue *g = &z->glue[z->n_glue - 1];
    if (!grow((void **)&g->addr, &b->cap_addr[z->n_glue - 1], g->n_addr + 1, sizeof *g->addr))
        return false;
    g->addr[g->n_addr].version = version;
    str_copy(g->addr[g->n_addr].addr, sizeof g->addr[0].addr, addr);
    g->n_addr++;
    return true;
}

/* ---- transactions ----------------------------------------------------------------------- */

/* A snapshot of our own when the caller has no transaction open. */
static reg_err read_begin(db *d, bool *own)
{
    *own = !db_in_transaction(d);
    return *own ? db_begin_snapshot(d) : REG_OK;
}

/* PostgreSQL, for the whole-zone streams, until the transaction ends: no
 * JIT (compiling the plans costs more than it saves on these scans), and
 * work_mem for the sorts and hashes of a million domains in memory
 * instead of temporary files (per sort or hash node of the server's
 * backend, not the exporter's memory; docs/performance.md). */
static reg_err tune_walk(db *d)
{
    return db_kind_of(d) == DB_PGSQL
               ? db_exec(d, "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
               : REG_OK;
}

static void read_end(db *d, bool own)
{
    if (own && db_in_transaction(d))
        db_rollback(d);
}

static reg_err db_failed(db *d, reg_err e, reg_status *st)
{
    return reg_fail(st, e, "cannot read the zone's data: %s", db_errmsg(d));
}

/* ---- the walk --------------------------------------------------------------------------- */

/* The smallest owner name at the head of the streams (NULL: all done). */
static const char *next_name(struct stream *const *v, size_t n)
{
    const char *min = NULL;
    for (size_t i = 0; i < n; i++)
        if (v[i]->row && (!min || strcmp(db_col_text(v[i]->s, 0), min) < 0))
            min = db_col_text(v[i]->s, 0);
    return min;
}

static reg_err walk(db *d, bool glue_only_too,
                    int (*cb)(const struct zone_delegation *, void *), void *ctx, reg_status *st)
{
    bool own;
    reg_err e = read_begin(d, &own);
    if (!e && (e = tune_walk(d))) {
        e = db_failed(d, e, st);
        read_end(d, own);
        return e;
    }
    if (e)
        return db_failed(d, e, st);
    struct stream ns, ds, glue;
    struct stream *all[] = {&ns, &ds, &glue};
    size_t opened = 0;
    struct zone_delegation z;
    struct buffers b;
    memset(&z, 0, sizeof z);
    memset(&b, 0, sizeof b);
    bool nomem = false;
    int stop = 0;
    static const struct stream_sql *const sql[] = {&stream_ns, &stream_ds, &stream_glue};
    for (; !e && opened < 3; opened++)
        e = stream_open(all[opened], d, sql[opened]);
    while (!e && !nomem && !stop) {
        const char *name = next_name(all, 3);
        if (!name)
            break;
        str_copy(z.name, sizeof z.name, name);
        z.n_ns = z.n_ds = z.n_glue = 0;
        for (; !nomem && stream_at(&ns, z.name); stream_next(&ns))
            nomem = !push_ns(&z, &b, db_col_text(ns.s, 1));
        for (; !nomem && stream_at(&ds, z.name); stream_next(&ds))
            nomem = !push_ds(&z, &b, ds.s, 1);
        for (; !nomem && stream_at(&glue, z.name); stream_next(&glue))
            nomem = !push_glue(&z, &b, db_col_text(glue.s, 1), (int)db_col_int(glue.s, 2),
                               db_col_text(glue.s, 3));
        e = ns.err ? ns.err : ds.err ? ds.err : glue.err;
        if (!e && !nomem && (z.n_ns || glue_only_too))
            stop = cb(&z, ctx);
    }
    block_free(&z, &b);
    if (e) /* the reason before anything else runs: the transaction is spoilt */
        e = db_failed(d, e, st);
    for (size_t i = 0; !e && i < opened; i++)
        if ((e = stream_close(all[i])))
            e = db_failed(d, e, st);
    read_end(d, own);
    if (e)
        return e;
    if (nomem)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory reading the zone");
    return (reg_err)stop;
}

reg_err zone_data_each(db *d, reg_time now, int (*cb)(const struct zone_delegation *, void *),
                       void *ctx, reg_status *st)
{
    (void)now; /* publication follows the stored state (zone_data.h) */
    return walk(d, false, cb, ctx, st);
}

reg_err zone_data_walk(db *d, reg_time now, int (*cb)(const struct zone_delegation *, void *),
                       void *ctx, reg_status *st)
{
    (void)now;
    return walk(d, true, cb, ctx, st);
}

/* ---- one domain, one host --------------------------------------------------------------- */

/* The glue under domain `id` into z. */
static reg_err load_glue(db *d, int64_t id, struct zone_delegation *z, struct buffers *b,
                         bool *nomem)
{
    db_stmt *s = db_query(d, "SELECT h.name, a.version, a.address FROM host h JOIN "
                             "host_address a ON a.host_id = h.id WHERE h.superordinate_id = ? "
                             "AND " USED("h") " ORDER BY h.name, a.version, a.address");
    db_bind_int(s, 1, id);
    while (!*nomem && db_next(s))
        *nomem = !push_glue(z, b, db_col_text(s, 0), (int)db_col_int(s, 1), db_col_text(s, 2));
    return db_done(s);
}

static reg_err load_domain(db *d, const char *name, struct zone_delegation *out,
                           struct buffers *b, bool *published, bool *nomem)
{
    db_stmt *s = db_query(d, "SELECT d.id, CASE WHEN " PUBLISHED("d") " THEN 1 ELSE 0 END "
                             "FROM domain d WHERE d.name = ?");
    db_bind_text(s, 1, name);
    bool found = db_next(s);
    int64_t id = found ? db_col_int(s, 0) : 0;
    *published = found && db_col_int(s, 1);
    reg_err e = db_done(s);
    if (e || !found)
        return e;
    if (*published) {
        s = db_query(d, "SELECT h.name FROM domain_host dh JOIN host h ON h.id = dh.host_id "
                        "WHERE dh.domain_id = ?");
        db_bind_int(s, 1, id);
        while (!*nomem && db_next(s))
            *nomem = !push_ns(out, b, db_col_text(s, 0));
        if ((e = db_done(s)))
            return e;
        s = db_query(d, "SELECT key_tag, alg, digest_type, digest FROM ds_record WHERE "
                        "domain_id = ?");
        db_bind_int(s, 1, id);
        while (!*nomem && db_next(s))
            *nomem = !push_ds(out, b, s, 0);
        if ((e = db_done(s)))
            return e;
    }
    return load_glue(d, id, out, b, nomem);
}

static int cmp_ns(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int cmp_ds(const void *a, const void *b)
{
    const struct zone_ds *x = a, *y = b;
    if (x->key_tag != y->key_tag)
        return x->key_tag < y->key_tag ? -1 : 1;
    if (x->alg != y->alg)
        return x->alg < y->alg ? -1 : 1;
    if (x->digest_type != y->digest_type)
        return x->digest_type < y->digest_type ? -1 : 1;
    return strcmp(x->digest, y->digest);
}

static int cmp_addr(const void *a, const void *b)
{
    const struct zone_addr *x = a, *y = b;
    if (x->version != y->version)
        return x->version < y->version ? -1 : 1;
    return strcmp(x->addr, y->addr);
}

static int cmp_glue(const void *a, const void *b)
{
    return strcmp(((const struct zone_glue *)a)->host, ((const struct zone_glue *)b)->host);
}

/* qsort, but an empty list may be NULL (qsort's may not). */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

/* The walk's order, whatever the database's collation: sorted here
 * (a domain has a handful of each). */
static void sort_delegation(struct zone_delegation *z)
{
    sort(z->ns, z->n_ns, sizeof *z->ns, cmp_ns);
    sort(z->ds, z->n_ds, sizeof *z->ds, cmp_ds);
    sort(z->glue, z->n_glue, sizeof *z->glue, cmp_glue);
    for (size_t i = 0; i < z->n_glue; i++)
        sort(z->glue[i].addr, z->glue[i].n_addr, sizeof *z->glue[i].addr, cmp_addr);
}

reg_err zone_data_domain(db *d, const char *name, reg_time now, struct zone_delegation *out,
                         bool *published, reg_status *st)
{
    (void)now;
    memset(out, 0, sizeof *out);
    *published = false;
    str_copy(out->name, sizeof out->name, name);
    bool own, nomem = false;
    reg_err e = read_begin(d, &own);
    struct buffers b;
    memset(&b, 0, sizeof b);
    if (!e)
        e = load_domain(d, name, out, &b, published, &nomem);
    read_end(d, own);
    free(b.cap_addr); /* slots past n_glue hold no addresses */
    if (nomem)
        e = reg_fail(st, REG_ERR_NOMEM, "out of memory reading the zone");
    else if (e)
        e = db_failed(d, e, st);
    if (e) {
        zone_delegation_free(out);
        str_copy(out->name, sizeof out->name, name);
        *published = false;
        return e;
    }
    sort_delegation(out);
    return REG_OK;
}

reg_err zone_data_glue(db *d, const char *host, reg_time now, struct zone_addr **out, size_t *n,
                       reg_status *st)
{
    (void)now;
    *out = NULL;
    *n = 0;
    bool own;
    reg_err e = read_begin(d, &own);
    if (e)
        return db_failed(d, e, st);
    db_stmt *s = db_query(d, "SELECT a.version, a.address FROM host h JOIN host_address a ON "
                             "a.host_id = h.id WHERE h.name = ? AND h.superordinate_id IS NOT "
                             "NULL AND " USED("h"));
    db_bind_text(s, 1, host);
    size_t cap = 0;
    bool nomem = false;
    while (!nomem && db_next(s)) {
        nomem = !grow((void **)out, &cap, *n + 1, sizeof **out);
        if (!nomem) {
            (*out)[*n].version = (int)db_col_int(s, 0);
            str_copy((*out)[*n].addr, sizeof (*out)[0].addr, db_col_text(s, 1));
            (*n)++;
        }
    }
    e = db_done(s);
    read_end(d, own);
    if (e || nomem) {
        free(*out);
        *out = NULL;
        *n = 0;
        return nomem ? reg_fail(st, REG_ERR_NOMEM, "out of memory reading the zone")
                     : db_failed(d, e, st);
    }
    sort(*out, *n, sizeof **out, cmp_addr);
    return REG_OK;
}

reg_err zone_data_count(db *d, reg_time now, int64_t *n, reg_status *st)
{
    (void)now;
    bool own;
    reg_err e = read_begin(d, &own);
    if (e)
        return db_failed(d, e, st);
    db_stmt *s = db_query(d, "SELECT COUNT(*) FROM domain d WHERE " PUBLISHED("d"));
    *n = db_next(s) ? db_col_int(s, 0) : 0;
    e = db_done(s);
    read_end(d, own);
    return e ? db_failed(d, e, st) : REG_OK;
}
