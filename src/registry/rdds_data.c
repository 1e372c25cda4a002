/* Registration data for the public lookups (rdds_data.h). Each lookup is
 * a few indexed reads on the caller's connection: a domain is two
 * statements, its row with the sponsor, then everything else of it (its
 * contacts with their postal data, statuses, DS records, name servers with
 * their glue) as one union. What it reads is sorted here, not by ORDER BY
 * (a sorter for every lookup). */
#include "rdds_data.h"

#include <stdlib.h>
#include <string.h>

#include "contrib/strutil.h"

/* A contact with its sponsor and both postal forms: RDDS_CONTACT_NCOLS
 * columns from the first one selected. */
#define RDDS_CONTACT_COLS                                                                     \
    "c.handle, c.id, s.handle, c.kind, c.voice, c.voice_x, c.fax, c.fax_x, c.email, "         \
    "c.mobile, c.ident_type, c.ident_value, c.ident_cc, c.disclose_flag, c.disclose_fields, " \
    "c.idcheck_state, c.idcheck_deadline, c.created_at, c.updated_at, c.transferred_at, "     \
    "pi.name, pi.org, pi.street1, pi.street2, pi.street3, pi.city, pi.sp, pi.pc, pi.cc, "     \
    "pl.name, pl.org, pl.street1, pl.street2, pl.street3, pl.city, pl.sp, pl.pc, pl.cc"
#define RDDS_CONTACT_JOINS                                                                    \
    " JOIN registrar s ON s.id = c.sponsor_id"                                                \
    " LEFT JOIN contact_postal pi ON pi.contact_id = c.id AND pi.type = 'int'"                \
    " LEFT JOIN contact_postal pl ON pl.contact_id = c.id AND pl.type = 'loc'"
#define POSTAL_COL 20
#define POSTAL_NCOLS 9

static const char *col(db_stmt *s, int i, struct arena *a)
{
    return arena_strdup(a, db_col_text(s, i));
}

static reg_time col_time(db_stmt *s, int i)
{
    return db_col_is_null(s, i) ? 0 : db_col_int(s, i);
}

static reg_err db_trouble(db *d, reg_err e, reg_status *st)
{
    return reg_fail(st, e, "database: %s", db_errmsg(d));
}

static reg_err out_of_memory(reg_status *st)
{
    return reg_fail(st, REG_ERR_NOMEM, "out of memory for the answer");
}

static void fill_postal(db_stmt *s, int at, struct arena *a, struct contact_postal *p)
{
    p->present = !db_col_is_null(s, at);
    if (!p->present)
        return;
    p->name = (char *)col(s, at, a);
    p->org = (char *)col(s, at + 1, a);
    for (int i = 0; i < CONTACT_STREETS; i++)
        p->street[i] = (char *)col(s, at + 2 + i, a);
    p->city = (char *)col(s, at + 5, a);
    p->sp = (char *)col(s, at + 6, a);
    p->pc = (char *)col(s, at + 7, a);
    p->cc = (char *)col(s, at + 8, a);
}

/* The RDDS_CONTACT_COLS starting at column `at`; returns the row id. */
static int64_t fill_contact(db_stmt *s, int at, const struct registry_policy *p, struct arena *a,
                            struct rdds_contact *c)
{
    memset(c, 0, sizeof *c);
    c->handle = col(s, at, a);
    int64_t id = db_col_int(s, at + 1);
    roid_format(c->roid, 'C', id, p);
    c->sponsor = col(s, at + 2, a);
    struct contact_data *d = &c->d;
    d->kind = (char *)col(s, at + 3, a);
    d->voice = (char *)col(s, at + 4, a);
    d->voice_x = (char *)col(s, at + 5, a);
    d->fax = (char *)col(s, at + 6, a);
    d->fax_x = (char *)col(s, at + 7, a);
    d->email = (char *)col(s, at + 8, a);
    d->mobile = (char *)col(s, at + 9, a);
    d->ident_type = (char *)col(s, at + 10, a);
    d->ident_value = (char *)col(s, at + 11, a);
    d->ident_cc = (char *)col(s, at + 12, a);
    d->has_disclose = !db_col_is_null(s, at + 13);
    d->disclose_flag = d->has_disclose ? (int)db_col_int(s, at + 13) : 0;
    d->disclose = contact_disclose_parse(db_col_text(s, at + 14));
    c->idcheck_state = col(s, at + 15, a);
    c->idcheck_deadline = col_time(s, at + 16);
    c->created = col_time(s, at + 17);
    c->changed = col_time(s, at + 18);
    c->transferred = col_time(s, at + 19);
    fill_postal(s, at + POSTAL_COL, a, &d->postal[CONTACT_INT]);
    fill_postal(s, at + POSTAL_COL + POSTAL_NCOLS, a, &d->postal[CONTACT_LOC]);
    return id;
}

reg_err rdds_tune_connection(db *d)
{
    if (db_kind_of(d) != DB_SQLITE)
        return REG_OK;
    /* 64 MiB of cache; the file mapped up to 4 GiB (only what exists is) */
    return db_exec(d, "PRAGMA cache_size = -65536; PRAGMA mmap_size = 4294967296;");
}

const struct contact_postal *rdds_contact_postal(const struct rdds_contact *c, int *form)
{
    int f = c->d.postal[CONTACT_LOC].present ? CONTACT_LOC : CONTACT_INT;
    if (form)
        *form = f;
    return c->d.postal[f].present ? &c->d.postal[f] : NULL;
}

/* The stored statuses of an object, in name order, after those already in
 * status[]. */
static reg_err load_statuses(db *d, const char *kind, int64_t id, struct arena *a,
                             const char **status, size_t *n)
{
    db_stmt *s = db_query(d, "SELECT status FROM object_status WHERE object_kind = ? AND "
                             "object_id = ? ORDER BY status");
    db_bind_text(s, 1, kind);
    db_bind_int(s, 2, id);
    while (db_next(s))
        if (*n < STATUS_MAX)
            status[(*n)++] = col(s, 0, a);
    return db_done(s);
}

static void add_status(const char **status, size_t *n, const char *name)
{
    if (*n < RDDS_STATUS_MAX)
        status[(*n)++] = name;
}

/* A host's or contact's derived statuses (RFC 5732 §2.3, RFC 5733 §2.2):
 * linked when something uses it, ok when nothing is stored. */
static void derive_statuses(const char **status, size_t *n, bool linked)
{
    bool stored = *n > 0;
    if (linked)
        add_status(status, n, "linked");
    if (!stored)
        add_status(status, n, "ok");
}

static void fill_registrar(db_stmt *s, int at, struct arena *a, struct rdds_registrar *r)
{
    r->handle = col(s, at, a);
    r->name = col(s, at + 1, a);
    r->url = col(s, at + 2, a);
    r->phone = col(s, at + 3, a);
    r->email = col(s, at + 4, a);
    r->disabled = db_col_int(s, at + 5) != 0;
    r->created = col_time(s, at + 6);
    r->changed = col_time(s, at + 7);
}
#define RDDS_REGISTRAR_COLS                                                                   \
    "s.handle, s.name, s.url, s.phone, s.email, s.disabled, s.created_at, s.updated_at"

/* A client's name to the stored A-label form of a domain or host. */
static reg_err fold(const char *name, char *out, size_t n, reg_status *st)
{
    return names_lookup_fold(name ? name : "", out, n, st);
}

static void ulabel_of(const char *alabel, struct arena *a, const char **out)
{
    if (!strstr(alabel, "xn--")) {
        *out = alabel;
        return;
    }
    char u[NAME_MAX_LEN * 4 + 1];
    names_ulabel(alabel, u, sizeof u);
    *out = arena_strdup(a, u);
}

/* ---- domains ------------------------------------------------------------------------- */

/* A domain's contacts by role, then handle (strcmp: as SQLite's BINARY
 * collation would order them). */
static int by_role_handle(const void *x, const void *y)
{
    const struct rdds_domain_contact *a = x, *b = y;
    int r = strcmp(a->role ? a->role : "", b->role ? b->role : "");
    return r ? r : strcmp(a->c.handle ? a->c.handle : "", b->c.handle ? b->c.handle : "");
}

static int by_name(const void *x, const void *y)
{
    const struct rdds_ns *a = x, *b = y;
    return strcmp(a->name, b->name);
}

static int by_version_address(const void *x, const void *y)
{
    const struct rdds_addr *a = x, *b = y;
    return a->version != b->version ? (a->version > b->version) - (a->version < b->version)
                                    : strcmp(a->addr ? a->addr : "", b->addr ? b->addr : "");
}

static int by_text(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int by_ds(const void *x, const void *y)
{
    const struct ds_data *a = x, *b = y;
    if (a->key_tag != b->key_tag)
        return a->key_tag < b->key_tag ? -1 : 1;
    if (a->alg != b->alg)
        return a->alg < b->alg ? -1 : 1;
    if (a->digest_type != b->digest_type)
        return a->digest_type < b->digest_type ? -1 : 1;
    return strcmp(a->digest, b->digest);
}

/* Everything of a domain but its row, in one statement: each arm of the
 * union is a kind of row (its first column), the second column its text
 * (role, status, digest, host name), then RDDS_CONTACT_COLS, where the
 * rows of the other kinds put their few values in columns of the same type
 * and NULL in the rest. The contacts' arms come first: PostgreSQL types a
 * union's columns pair by pair from the left, and NULL against NULL would
 * make a column text before the contacts' integers meet it. */
enum { ROW_REGISTRANT, ROW_CONTACT, ROW_STATUS, ROW_DS, ROW_NS };
#define N1 ", NULL"
#define N2 N1 N1
#define N4 N2 N2
#define N8 N4 N4
#define N16 N8 N8
#define N32 N16 N16
/* where a DS or name server row puts its values, as RDDS_CONTACT_COLS
 * columns: c.handle (text), c.id, c.disclose_flag, c.idcheck_deadline */
#define ROW_TEXT 1
#define ROW_COLS 2
#define ROW_ADDR (ROW_COLS + 0)
#define ROW_INT1 (ROW_COLS + 1)
#define ROW_INT2 (ROW_COLS + 13)
#define ROW_INT3 (ROW_COLS + 16)
static const char domain_rows_sql[] =
    "SELECT 0, '', " RDDS_CONTACT_COLS " FROM contact c" RDDS_CONTACT_JOINS
    " WHERE c.id = ? UNION ALL "
    "SELECT 1, dc.role, " RDDS_CONTACT_COLS " FROM domain_contact dc JOIN contact c ON "
    "c.id = dc.contact_id" RDDS_CONTACT_JOINS " WHERE dc.domain_id = ? UNION ALL "
    "SELECT 2, status" N32 N4 N2 " FROM object_status WHERE object_kind = 'domain' AND "
    "object_id = ? UNION ALL "
    "SELECT 3, digest, NULL, key_tag" N8 N2 N1 ", alg, NULL, NULL, digest_type" N16 N4 N1
    " FROM ds_record WHERE domain_id = ? UNION ALL "
    "SELECT 4, h.name, ad.address, ad.version" N32 N4 " FROM domain_host dh JOIN host h ON "
    "h.id = dh.host_id LEFT JOIN host_address ad ON ad.host_id = h.id AND "
    "h.superordinate_id IS NOT NULL WHERE dh.domain_id = ?";

/* A name server row: the host, and its address when it has glue. */
static void add_ns_row(db_stmt *s, struct arena *a, struct rdds_domain *out)
{
    const char *name = db_col_text(s, ROW_TEXT);
    if (!name)
        return;
    struct rdds_ns *ns = NULL;
    for (size_t i = out->nns; i-- > 0 && !ns;)
        if (!strcmp(out->ns[i].name, name))
            ns = &out->ns[i];
    if (!ns) {
        if (out->nns == DOMAIN_NS_MAX)
            return;
        ns = &out->ns[out->nns];
        ns->name = col(s, ROW_TEXT, a);
        if (!ns->name)
            return; /* out of arena: the lookup fails on it */
        out->nns++;
        ulabel_of(ns->name, a, &ns->uname);
        ns->addrs = arena_calloc(a, 2 * HOST_ADDR_MAX, sizeof *ns->addrs);
    }
    if (!db_col_is_null(s, ROW_ADDR) && ns->addrs && ns->naddrs < 2 * HOST_ADDR_MAX)
        ns->addrs[ns->naddrs++] =
            (struct rdds_addr){col(s, ROW_ADDR, a), (int)db_col_int(s, ROW_INT1)};
}

/* The registrant, the other contacts, the stored statuses, the DS records
 * and the name servers with their glue, in any order from the database;
 * each put in order here (no ORDER BY: SQLite built a sorter for every
 * lookup, docs/performance.md): contacts by role, then handle; statuses
 * by name; DS records by key tag, algorithm, digest type and digest; name
 * servers by name, each one's glue by version, then address. */
static reg_err domain_rows(db *d, const struct registry_policy *p, int64_t domain_id,
                           int64_t registrant_id, struct arena *a, struct rdds_domain *out)
{
    db_stmt *s = db_query(d, domain_rows_sql);
    db_bind_int(s, 1, registrant_id);
    for (int i = 2; i <= 5; i++)
        db_bind_int(s, i, domain_id);
    size_t stored = out->nstatus;
    while (db_next(s)) {
        switch (db_col_int(s, 0)) {
        case ROW_REGISTRANT: fill_contact(s, ROW_COLS, p, a, &out->registrant); break;
        case ROW_CONTACT:
            if (out->ncontacts < DOMAIN_CONTACTS_MAX) {
                struct rdds_domain_contact *dc = &out->contacts[out->ncontacts++];
                dc->role = col(s, ROW_TEXT, a);
                fill_contact(s, ROW_COLS, p, a, &dc->c);
            }
            break;
        case ROW_STATUS:
            if (out->nstatus < STATUS_MAX)
                out->status[out->nstatus++] = col(s, ROW_TEXT, a);
            break;
        case ROW_DS:
            if (out->nds < DOMAIN_DS_MAX) {
                struct ds_data *ds = &out->ds[out->nds++];
                str_copy(ds->digest, sizeof ds->digest, db_col_text(s, ROW_TEXT));
                ds->key_tag = (int)db_col_int(s, ROW_INT1);
                ds->alg = (int)db_col_int(s, ROW_INT2);
                ds->digest_type = (int)db_col_int(s, ROW_INT3);
            }
            break;
        case ROW_NS: add_ns_row(s, a, out); break;
        }
    }
    qsort(out->contacts, out->ncontacts, sizeof *out->contacts, by_role_handle);
    qsort(out->status + stored, out->nstatus - stored, sizeof *out->status, by_text);
    qsort(out->ds, out->nds, sizeof *out->ds, by_ds);
    qsort(out->ns, out->nns, sizeof *out->ns, by_name);
    for (size_t i = 0; i < out->nns; i++)
        if (out->ns[i].naddrs > 1)
            qsort(out->ns[i].addrs, out->ns[i].naddrs, sizeof *out->ns[i].addrs,
                  by_version_address);
    return db_done(s);
}

static reg_err find_domain(db *d, const struct registry_policy *p, const char *name, reg_time now,
                           struct arena *a, struct rdds_domain *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    char folded[NAME_MAX_LEN * 4 + 2];
    struct domain_name dn;
    if (fold(name, folded, sizeof folded, st))
        return st->code;
    reg_err e = names_domain(&p->names, folded, &dn, st);
    if (e == REG_ERR_POLICY)
        return reg_fail(st, REG_ERR_NOT_FOUND, "no domain %s here", folded);
    if (e)
        return e;
    db_stmt *s = db_query(d, "SELECT d.id, d.name, d.uname, d.registrant_id, d.created_at, "
                             "d.updated_at, d.transferred_at, d.expires_at, d.delete_requested_at, "
                             "d.idcheck_delete_at, " RDDS_REGISTRAR_COLS
                             " FROM domain d JOIN registrar s ON s.id = d.sponsor_id "
                             "WHERE d.name = ?");
    db_bind_text(s, 1, dn.alabel);
    int64_t id = 0, registrant_id = 0;
    reg_time delete_requested = 0;
    if (db_next(s)) {
        id = db_col_int(s, 0);
        out->alabel = col(s, 1, a);
        out->ulabel = col(s, 2, a);
        registrant_id = db_col_int(s, 3);
        out->created = col_time(s, 4);
        out->changed = col_time(s, 5);
        out->transferred = col_time(s, 6);
        out->expires = col_time(s, 7);
        delete_requested = col_time(s, 8);
        out->idcheck_delete_at = col_time(s, 9);
        fill_registrar(s, 10, a, &out->sponsor);
    }
    if ((e = db_done(s)))
        return db_trouble(d, e, st);
    if (!id)
        return reg_fail(st, REG_ERR_NOT_FOUND, "no domain %s here", dn.alabel);
    out->idn = out->alabel && out->ulabel && strcmp(out->alabel, out->ulabel);
    roid_format(out->roid, 'D', id, p);
    if ((e = domain_rows(d, p, id, registrant_id, a, out)))
        return db_trouble(d, e, st);
    /* derived as EPP derives them (domain_derived_statuses), with the RGP
     * state (RFC 3915) while it is redeemable */
    bool stored = out->nstatus > 0;
    if (delete_requested && now < delete_requested + p->redemption_period)
        add_status(out->status, &out->nstatus, "redemptionPeriod");
    if (!out->nns)
        add_status(out->status, &out->nstatus, "inactive");
    if (!stored && out->nns)
        add_status(out->status, &out->nstatus, "ok");
    out->idcheck_state = out->registrant.idcheck_state;
    out->idcheck_deadline = out->registrant.idcheck_deadline;
    return REG_OK;
}

/* ---- hosts --------------------------------------------------------------------------- */

static reg_err find_host(db *d, const struct registry_policy *p, const char *name, struct arena *a,
                         struct rdds_host *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    char folded[NAME_MAX_LEN * 4 + 2], host[NAME_MAX_LEN + 1];
    if (fold(name, folded, sizeof folded, st) || names_host(folded, host, st))
        return st->code;
    db_stmt *s = db_query(d, "SELECT h.id, h.name, s.handle, sd.name, h.created_at, h.updated_at, "
                             "h.transferred_at, CASE WHEN EXISTS (SELECT 1 FROM domain_host dh "
                             "WHERE dh.host_id = h.id) THEN 1 ELSE 0 END FROM host h JOIN "
                             "registrar s ON s.id = h.sponsor_id LEFT JOIN domain sd ON sd.id = "
                             "h.superordinate_id WHERE h.name = ?");
    db_bind_text(s, 1, host);
    int64_t id = 0;
    bool linked = false;
    if (db_next(s)) {
        id = db_col_int(s, 0);
        out->name = col(s, 1, a);
        out->sponsor = col(s, 2, a);
        out->superordinate = col(s, 3, a);
        out->created = col_time(s, 4);
        out->changed = col_time(s, 5);
        out->transferred = col_time(s, 6);
        linked = db_col_int(s, 7) != 0;
    }
    reg_err e = db_done(s);
    if (e)
        return db_trouble(d, e, st);
    if (!id)
        return reg_fail(st, REG_ERR_NOT_FOUND, "no host %s here", host);
    roid_format(out->roid, 'H', id, p);
    ulabel_of(out->name, a, &out->uname);
    out->addrs = arena_calloc(a, 2 * HOST_ADDR_MAX, sizeof *out->addrs);
    s = db_query(d, "SELECT address, version FROM host_address WHERE host_id = ? "
                    "ORDER BY version, address");
    db_bind_int(s, 1, id);
    while (db_next(s))
        if (out->addrs && out->naddrs < 2 * HOST_ADDR_MAX)
            out->addrs[out->naddrs++] = (struct rdds_addr){col(s, 0, a), (int)db_col_int(s, 1)};
    if ((e = db_done(s)) || (e = load_statuses(d, "host", id, a, out->status, &out->nstatus)))
        return db_trouble(d, e, st);
    derive_statuses(out->status, &out->nstatus, linked);
    return REG_OK;
}

/* ---- contacts and registrars ---------------------------------------------------------- */

static reg_err find_contact(db *d, const struct registry_policy *p, const char *handle,
                            struct arena *a, struct rdds_contact *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    char id[CONTACT_ID_MAX + 1];
    if (names_contact_lookup(handle, id, st))
        return st->code;
    db_stmt *s = db_query(d, "SELECT " RDDS_CONTACT_COLS ", CASE WHEN EXISTS (SELECT 1 FROM "
                             "domain WHERE registrant_id = c.id) OR EXISTS (SELECT 1 FROM "
                             "domain_contact WHERE contact_id = c.id) OR EXISTS (SELECT 1 FROM "
                             "host WHERE admin_contact_id = c.id) THEN 1 ELSE 0 END FROM contact c"
                             RDDS_CONTACT_JOINS " WHERE c.handle = ?");
    db_bind_text(s, 1, id);
    int64_t row = 0;
    bool linked = false;
    if (db_next(s)) {
        row = fill_contact(s, 0, p, a, out);
        linked = db_col_int(s, POSTAL_COL + 2 * POSTAL_NCOLS) != 0;
    }
    reg_err e = db_done(s);
    if (!e && row)
        e = load_statuses(d, "contact", row, a, out->status, &out->nstatus);
    if (e)
        return db_trouble(d, e, st);
    if (!row)
        return reg_fail(st, REG_ERR_NOT_FOUND, "no contact %s here", id);
    derive_statuses(out->status, &out->nstatus, linked);
    return REG_OK;
}

/* ---- one snapshot a lookup ------------------------------------------------------------ */

/* A lookup's reads see one moment (a domain with its contacts as they were
 * together), and on SQLite they are one read transaction instead of one
 * each. Inside the caller's transaction they are already. */
static bool snapshot_begin(db *d)
{
    return !db_in_transaction(d) && db_begin_snapshot(d) == REG_OK;
}

/* Ends the snapshot; a lookup that failed (or ran out of arena) leaves
 * its record zeroed. */
static reg_err snapshot_end(db *d, bool began, struct arena *a, void *out, size_t size, reg_err e,
                            reg_status *st)
{
    if (began)
        db_rollback(d);
    if (!e && arena_failed(a))
        e = out_of_memory(st);
    if (e)
        memset(out, 0, size);
    return e;
}

reg_err rdds_find_domain(db *d, const struct registry_policy *p, const char *name, reg_time now,
                         struct arena *a, struct rdds_domain *out, reg_status *st)
{
    bool began = snapshot_begin(d);
    return snapshot_end(d, began, a, out, sizeof *out, find_domain(d, p, name, now, a, out, st),
                        st);
}

reg_err rdds_find_host(db *d, const struct registry_policy *p, const char *name, struct arena *a,
                       struct rdds_host *out, reg_status *st)
{
    bool began = snapshot_begin(d);
    return snapshot_end(d, began, a, out, sizeof *out, find_host(d, p, name, a, out, st), st);
}

reg_err rdds_find_contact(db *d, const struct registry_policy *p, const char *handle,
                          struct arena *a, struct rdds_contact *out, reg_status *st)
{
    bool began = snapshot_begin(d);
    return snapshot_end(d, began, a, out, sizeof *out, find_contact(d, p, handle, a, out, st),
                        st);
}

reg_err rdds_find_registrar(db *d, const char *handle, struct arena *a, struct rdds_registrar *out,
                            reg_status *st)
{
    memset(out, 0, sizeof *out);
    char h[REGISTRAR_HANDLE_MAX + 1];
    if (registrar_handle_normalize(handle ? handle : "", h, st))
        return st->code;
    db_stmt *s = db_query(d, "SELECT " RDDS_REGISTRAR_COLS " FROM registrar s WHERE s.handle = ?");
    db_bind_text(s, 1, h);
    bool found = db_next(s);
    if (found)
        fill_registrar(s, 0, a, out);
    reg_err e = db_done(s);
    if (e)
        e = db_trouble(d, e, st);
    else if (!found)
        e = reg_fail(st, REG_ERR_NOT_FOUND, "no registrar %s here", h);
    return snapshot_end(d, false, a, out, sizeof *out, e, st);
}
