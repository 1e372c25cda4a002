/* Host objects (RFC 5732): see host.h for the rules. */
#include "host.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contrib/strutil.h"
#include "history.h"

/* ---- addresses ---------------------------------------------------------- */

/* IANA IPv4/IPv6 special-purpose address registries (RFC 6890 and
 * successors): no name server of a delegation can live there. */
struct range {
    const char *prefix;
    int bits;
    const char *what;
};

static const struct range v4_ranges[] = {
    {"0.0.0.0", 8, "in \"this network\" 0.0.0.0/8 (RFC 791)"},
    {"10.0.0.0", 8, "private (RFC 1918)"},
    {"100.64.0.0", 10, "shared address space (RFC 6598)"},
    {"127.0.0.0", 8, "loopback"},
    {"169.254.0.0", 16, "link-local"},
    {"172.16.0.0", 12, "private (RFC 1918)"},
    {"192.0.0.0", 24, "reserved for IETF protocol assignments (RFC 6890)"},
    {"192.0.2.0", 24, "for documentation (RFC 5737)"},
    {"192.88.99.0", 24, "6to4 relay anycast (RFC 7526)"},
    {"192.168.0.0", 16, "private (RFC 1918)"},
    {"198.18.0.0", 15, "for benchmarking (RFC 2544)"},
    {"198.51.100.0", 24, "for documentation (RFC 5737)"},
    {"203.0.113.0", 24, "for documentation (RFC 5737)"},
    {"224.0.0.0", 4, "multicast"},
    {"240.0.0.0", 4, "reserved (RFC 1112)"},
};

static const struct range v6_ranges[] = {
    {"::", 128, "unspecified"},
    {"::1", 128, "loopback"},
    {"::ffff:0:0", 96, "IPv4-mapped (use an IPv4 address)"},
    {"64:ff9b::", 96, "IPv4/IPv6 translation (RFC 6052)"},
    {"64:ff9b:1::", 48, "local-use IPv4/IPv6 translation (RFC 8215)"},
    {"100::", 64, "discard-only (RFC 6666)"},
    {"2001::", 32, "Teredo (RFC 4380)"},
    {"2001:2::", 48, "for benchmarking (RFC 5180)"},
    {"2001:10::", 28, "ORCHID (RFC 4843)"},
    {"2001:20::", 28, "ORCHIDv2 (RFC 7343)"},
    {"2001:db8::", 32, "for documentation (RFC 3849)"},
    {"2002::", 16, "6to4 (RFC 3056)"},
    {"3fff::", 20, "for documentation (RFC 9637)"},
    {"fc00::", 7, "unique local (RFC 4193)"},
    {"fe80::", 10, "link-local"},
    {"fec0::", 10, "site-local (deprecated, RFC 3879)"},
    {"ff00::", 8, "multicast"},
};

static bool in_prefix(const unsigned char *addr, int family, const char *prefix, int bits)
{
    unsigned char net[16];
    if (inet_pton(family, prefix, net) != 1)
        return false;
    int full = bits / 8, rest = bits % 8;
    if (memcmp(addr, net, (size_t)full))
        return false;
    if (rest) {
        unsigned char mask = (unsigned char)(0xff << (8 - rest));
        if ((addr[full] & mask) != (net[full] & mask))
            return false;
    }
    return true;
}

static const char *special_range(const unsigned char *addr, int family)
{
    const struct range *r = family == AF_INET ? v4_ranges : v6_ranges;
    size_t n = family == AF_INET ? sizeof v4_ranges / sizeof v4_ranges[0]
                                 : sizeof v6_ranges / sizeof v6_ranges[0];
    for (size_t i = 0; i < n; i++)
        if (in_prefix(addr, family, r[i].prefix, r[i].bits))
            return r[i].what;
    if (family == AF_INET6 && (addr[0] & 0xe0) != 0x20)
        return "outside global unicast 2000::/3";
    return NULL;
}

reg_err host_addr_parse(const struct registry_policy *p, const char *text, int version,
                        struct host_addr *out, reg_status *st)
{
    unsigned char bin[16];
    int family;
    if (!text || !*text)
        return reg_fail(st, REG_ERR_INVALID, "empty address");
    if (inet_pton(AF_INET, text, bin) == 1)
        family = AF_INET;
    else if (inet_pton(AF_INET6, text, bin) == 1)
        family = AF_INET6;
    else
        return reg_fail(st, REG_ERR_INVALID, "%s is not an IPv%s address", text,
                        version == 4 ? "4" : version == 6 ? "6" : "4 or IPv6");
    int v = family == AF_INET ? 4 : 6;
    if (version && version != v)
        return reg_fail(st, REG_ERR_INVALID, "%s is an IPv%d address but ip=\"v%d\"", text, v,
                        version);
    if (!inet_ntop(family, bin, out->addr, sizeof out->addr))
        return reg_fail(st, REG_ERR_INVALID, "%s is not an IP address", text);
    out->version = v;
    const char *what = p->allow_private_addresses ? NULL : special_range(bin, family);
    if (what)
        return reg_fail(st, REG_ERR_POLICY,
                        "address %s is %s; a name server needs a public address", out->addr, what);
    return REG_OK;
}

/* A set of addresses, IPv4 before IPv6, each family in text order. */
struct addr_set {
    struct host_addr a[2 * HOST_ADDR_MAX + 1];
    size_t n;
};

static bool set_has(const struct addr_set *s, const char *addr)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->a[i].addr, addr))
            return true;
    return false;
}

static size_t set_count(const struct addr_set *s, int version)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += s->a[i].version == version;
    return n;
}

/* Adds a (ignoring duplicates); REG_ERR_POLICY beyond the cap. */
static reg_err set_add(struct addr_set *s, const struct host_addr *a, const char *host,
                       reg_status *st)
{
    if (set_has(s, a->addr))
        return REG_OK;
    if (set_count(s, a->version) >= HOST_ADDR_MAX)
        return reg_fail(st, REG_ERR_POLICY, "host %s may have at most %d IPv%d addresses", host,
                        HOST_ADDR_MAX, a->version);
    s->a[s->n++] = *a;
    return REG_OK;
}

static void set_remove(struct addr_set *s, const char *addr)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->a[i].addr, addr)) {
            memmove(&s->a[i], &s->a[i + 1], (s->n - i - 1) * sizeof s->a[0]);
            s->n--;
            return;
        }
}

static int addr_cmp(const void *a, const void *b)
{
    const struct host_addr *x = a, *y = b;
    if (x->version != y->version)
        return x->version - y->version;
    return strcmp(x->addr, y->addr);
}

/* ranges: refuse special-purpose addresses (not when removing: an address
 * stored under an older policy must stay removable). */
static reg_err parse_list(const struct registry_policy *p, const struct host_addr_in *in, size_t n,
                          bool ranges, struct addr_set *out, const char *host, reg_status *st)
{
    struct registry_policy lenient = {.allow_private_addresses = true};
    for (size_t i = 0; i < n; i++) {
        struct host_addr a;
        reg_err e = host_addr_parse(ranges ? p : &lenient, in[i].addr, in[i].version, &a, st);
        if (!e)
            e = set_add(out, &a, host, st);
        if (e)
            return e;
    }
    return REG_OK;
}

/* ---- names ---------------------------------------------------------------- */

bool host_in_bailiwick(const struct registry_policy *p, const char *name,
                       char superordinate[NAME_MAX_LEN + 1])
{
    const char *tld = p->names.tld;
    size_t n = strlen(name), tl = tld ? strlen(tld) : 0;
    if (!tl || n <= tl + 1 || name[n - tl - 1] != '.' || strcasecmp(name + n - tl, tld))
        return false;
    const char *end = name + n - tl - 1; /* the dot before the TLD */
    const char *start = end;
    while (start > name && start[-1] != '.')
        start--;
    if (start == end)
        return false;
    if (superordinate)
        snprintf(superordinate, NAME_MAX_LEN + 1, "%s", start);
    return true;
}

/* ---- loading ------------------------------------------------------------------ */

void host_free(struct host *h)
{
    status_set_free(&h->status);
}

/* Loads the host row named `name` (already normalised) with its details.
 * *found false when there is none. lock: take the row lock first. */
static reg_err load(const struct reg_op *op, const char *name, bool lock, struct host *h,
                    bool *found, reg_status *st)
{
    memset(h, 0, sizeof *h);
    *found = false;
    reg_err e;
    if (lock) {
        db_stmt *s = db_query(op->db, "SELECT id FROM host WHERE name = ? {{for_update}}");
        db_bind_text(s, 1, name);
        bool any = db_next(s);
        e = db_done(s);
        if (e)
            return op_db_fail(op, st, e);
        if (!any)
            return REG_OK;
    }
    db_stmt *s = db_query(op->db,
                          "SELECT h.id, h.name, h.sponsor_id, rs.handle, rc.handle, ru.handle, "
                          "h.superordinate_id, d.name, c.handle, h.created_at, h.updated_at, "
                          "h.transferred_at FROM host h "
                          "JOIN registrar rs ON rs.id = h.sponsor_id "
                          "JOIN registrar rc ON rc.id = h.creator_id "
                          "LEFT JOIN registrar ru ON ru.id = h.updater_id "
                          "LEFT JOIN domain d ON d.id = h.superordinate_id "
                          "LEFT JOIN contact c ON c.id = h.admin_contact_id "
                          "WHERE h.name = ?");
    db_bind_text(s, 1, name);
    if (db_next(s)) {
        *found = true;
        h->id = db_col_int(s, 0);
        str_copy(h->name, sizeof h->name, db_col_text(s, 1));
        h->sponsor_id = db_col_int(s, 2);
        str_copy(h->sponsor, sizeof h->sponsor, db_col_text(s, 3));
        str_copy(h->creator, sizeof h->creator, db_col_text(s, 4));
        str_copy(h->updater, sizeof h->updater, db_col_text(s, 5));
        h->superordinate_id = db_col_is_null(s, 6) ? 0 : db_col_int(s, 6);
        str_copy(h->superordinate, sizeof h->superordinate, db_col_text(s, 7));
        str_copy(h->admin, sizeof h->admin, db_col_text(s, 8));
        h->created_at = db_col_int(s, 9);
        h->updated_at = db_col_is_null(s, 10) ? 0 : db_col_int(s, 10);
        h->transferred_at = db_col_is_null(s, 11) ? 0 : db_col_int(s, 11);
    }
    e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!*found)
        return REG_OK;
    roid_format(h->roid, 'H', h->id, op->policy);

    s = db_query(op->db, "SELECT address, version FROM host_address WHERE host_id = ?");
    db_bind_int(s, 1, h->id);
    while (db_next(s) && h->naddrs < sizeof h->addrs / sizeof h->addrs[0]) {
        struct host_addr *a = &h->addrs[h->naddrs++];
        str_copy(a->addr, sizeof a->addr, db_col_text(s, 0));
        a->version = (int)db_col_int(s, 1);
    }
    e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    qsort(h->addrs, h->naddrs, sizeof h->addrs[0], addr_cmp);

    if ((e = status_load(op->db, "host", h->id, &h->status)))
        return op_db_fail(op, st, e);

    s = db_query(op->db, "SELECT 1 FROM domain_host WHERE host_id = ? LIMIT 1");
    db_bind_int(s, 1, h->id);
    h->linked = db_next(s);
    e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* The normalised name of an existing host, or REG_ERR_NOT_FOUND. */
static reg_err load_existing(const struct reg_op *op, const char *input, bool lock,
                             struct host *h, reg_status *st)
{
    char name[NAME_MAX_LEN + 1];
    memset(h, 0, sizeof *h);
    reg_err e = names_host(input, name, st);
    if (e)
        return e;
    bool found;
    if ((e = load(op, name, lock, h, &found, st)))
        return e;
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "host %s does not exist", name);
    return REG_OK;
}

static reg_err name_taken(const struct reg_op *op, const char *name, bool *taken, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT 1 FROM host WHERE name = ?");
    db_bind_text(s, 1, name);
    *taken = db_next(s);
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* The superordinate domain of an in-bailiwick host name: must exist, be
 * the acting registrar's and not be on its way out. */
static reg_err superordinate(const struct reg_op *op, const char *domain, int64_t *id,
                             reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT id, sponsor_id FROM domain WHERE name = ?");
    db_bind_text(s, 1, domain);
    bool found = db_next(s);
    int64_t sponsor = 0;
    if (found) {
        *id = db_col_int(s, 0);
        sponsor = db_col_int(s, 1);
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "superordinate domain %s does not exist", domain);
    if (op->registrar_id && sponsor != op->registrar_id)
        return reg_fail(st, REG_ERR_AUTHZ,
                        "superordinate domain %s is sponsored by another registrar", domain);
    struct status_set ds;
    if ((e = status_load(op->db, "domain", *id, &ds)))
        return op_db_fail(op, st, e);
    bool deleting = status_has(&ds, "pendingDelete");
    status_set_free(&ds);
    if (deleting)
        return reg_fail(st, REG_ERR_STATUS_PROHIBITS, "superordinate domain %s is pendingDelete",
                        domain);
    return REG_OK;
}

/* regh:admin: the contact's id (exact, uppercased) → its row id. */
static reg_err admin_contact(const struct reg_op *op, const char *handle, int64_t *id,
                             reg_status *st)
{
    char key[CONTACT_ID_MAX + 1];
    reg_err e = names_contact_lookup(handle, key, st);
    if (e)
        return e;
    db_stmt *s = db_query(op->db, "SELECT id FROM contact WHERE handle = ?");
    db_bind_text(s, 1, key);
    bool found = db_next(s);
    if (found)
        *id = db_col_int(s, 0);
    if ((e = db_done(s)))
        return op_db_fail(op, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", key);
    return REG_OK;
}

/* ---- history ------------------------------------------------------------------ */

static json_t *time_json(reg_time t)
{
    char ts[REG_TIME_STRLEN];
    return t ? json_string(clock_format(t, ts, sizeof ts)) : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

char *host_snapshot(const struct host *h, const char *renamed_from)
{
    json_t *o = json_object();
    json_t *addrs = json_array(), *statuses = json_array();
    if (!o || !addrs || !statuses) {
        json_decref(o);
        json_decref(addrs);
        json_decref(statuses);
        return NULL;
    }
    for (size_t i = 0; i < h->naddrs; i++)
        json_array_append_new(addrs, json_pack("{s:s, s:s}", "ip",
                                               h->addrs[i].version == 4 ? "v4" : "v6", "addr",
                                               h->addrs[i].addr));
    for (size_t i = 0; i < h->status.n; i++)
        json_array_append_new(statuses, json_string(h->status.items[i].name));
    json_object_set_new(o, "name", json_string(h->name));
    json_object_set_new(o, "roid", json_string(h->roid));
    json_object_set_new(o, "sponsor", json_string(h->sponsor));
    json_object_set_new(o, "creator", json_string(h->creator));
    json_object_set_new(o, "updater", str_or_null(h->updater));
    json_object_set_new(o, "superordinate", str_or_null(h->superordinate));
    json_object_set_new(o, "admin", str_or_null(h->admin));
    json_object_set_new(o, "addresses", addrs);
    json_object_set_new(o, "statuses", statuses);
    json_object_set_new(o, "created", time_json(h->created_at));
    json_object_set_new(o, "updated", time_json(h->updated_at));
    json_object_set_new(o, "transferred", time_json(h->transferred_at));
    if (renamed_from)
        json_object_set_new(o, "renamed_from", json_string(renamed_from));
    char *out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return out;
}

/* Re-reads the host (by name) and records the version. */
static reg_err record(const struct reg_op *op, const char *name, const char *action,
                      const char *renamed_from, reg_status *st)
{
    struct host h;
    bool found;
    reg_err e = load(op, name, false, &h, &found, st);
    if (!e && !found)
        e = reg_fail(st, REG_ERR_INTERNAL, "host %s vanished", name);
    if (e) {
        host_free(&h);
        return e;
    }
    char *snap = host_snapshot(&h, renamed_from);
    if (!snap)
        e = reg_fail(st, REG_ERR_NOMEM, "out of memory");
    else
        e = history_record(op, "host", h.id, h.name, action, snap, st);
    free(snap);
    host_free(&h);
    return e;
}

reg_err host_record_version(const struct reg_op *op, const char *name, const char *action,
                            reg_status *st)
{
    return record(op, name, action, NULL, st);
}

/* ---- operations ------------------------------------------------------------------ */

reg_err host_check(const struct reg_op *op, const char *input, bool *avail, char reason[33],
                   reg_status *st)
{
    char name[NAME_MAX_LEN + 1];
    reg_status ignored;
    reason[0] = '\0';
    *avail = false;
    if (names_host(input, name, &ignored)) {
        snprintf(reason, 33, "invalid host name");
        return REG_OK;
    }
    bool taken;
    reg_err e = name_taken(op, name, &taken, st);
    if (e)
        return e;
    *avail = !taken;
    if (taken)
        snprintf(reason, 33, "in use");
    return REG_OK;
}

reg_err host_info(const struct reg_op *op, const char *name, struct host *out, reg_status *st)
{
    reg_err e = load_existing(op, name, false, out, st);
    if (e)
        host_free(out);
    return e;
}

static reg_err insert_addrs(const struct reg_op *op, int64_t id, const struct addr_set *s,
                            reg_status *st)
{
    for (size_t i = 0; i < s->n; i++) {
        db_stmt *q = db_query(op->db, "INSERT INTO host_address (host_id, address, version) "
                                      "VALUES (?, ?, ?)");
        db_bind_int(q, 1, id);
        db_bind_text(q, 2, s->a[i].addr);
        db_bind_int(q, 3, s->a[i].version);
        reg_err e = db_run(q);
        if (e)
            return op_db_fail(op, st, e);
    }
    return REG_OK;
}

reg_err host_create(const struct reg_op *op, const struct host_create *req, struct host *out,
                    reg_status *st)
{
    char name[NAME_MAX_LEN + 1], dom[NAME_MAX_LEN + 1];
    reg_err e = names_host(req->name, name, st);
    if (e)
        return e;
    if (!op->registrar_id)
        return reg_fail(st, REG_ERR_AUTHZ, "hosts are created by a registrar");
    bool taken;
    if ((e = name_taken(op, name, &taken, st)))
        return e;
    if (taken)
        return reg_fail(st, REG_ERR_EXISTS, "host %s already exists", name);
    struct addr_set addrs = {.n = 0};
    if ((e = parse_list(op->policy, req->addrs, req->naddrs, true, &addrs, name, st)))
        return e;
    int64_t dom_id = 0, admin_id = 0;
    if (host_in_bailiwick(op->policy, name, dom)) {
        if ((e = superordinate(op, dom, &dom_id, st)))
            return e;
        if (addrs.n == 0)
            return reg_fail(st, REG_ERR_MISSING,
                            "host %s is under .%s and needs at least one address", name,
                            op->policy->names.tld);
    } else if (addrs.n) {
        return reg_fail(st, REG_ERR_POLICY,
                        "addresses are only for hosts under .%s; %s is an external host",
                        op->policy->names.tld, name);
    }
    if (req->admin && *req->admin && (e = admin_contact(op, req->admin, &admin_id, st)))
        return e;

    db_stmt *s = db_query(op->db, "INSERT INTO host (name, sponsor_id, creator_id, "
                                  "superordinate_id, admin_contact_id, created_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, name);
    db_bind_int(s, 2, op->registrar_id);
    db_bind_int(s, 3, op->registrar_id);
    db_bind_int_or_null(s, 4, dom_id, dom_id);
    db_bind_int_or_null(s, 5, admin_id, admin_id);
    db_bind_int(s, 6, op->now);
    int64_t id = db_next(s) ? db_col_int(s, 0) : 0;
    if ((e = db_done(s)))
        return e == REG_ERR_DB_CONSTRAINT
                   ? reg_fail(st, REG_ERR_EXISTS, "host %s already exists", name)
                   : op_db_fail(op, st, e);
    if (!id)
        return reg_fail(st, REG_ERR_INTERNAL, "host %s was not stored", name);
    qsort(addrs.a, addrs.n, sizeof addrs.a[0], addr_cmp);
    if ((e = insert_addrs(op, id, &addrs, st)))
        return e;
    if ((e = record(op, name, "create", NULL, st)))
        return e;
    if (out) {
        bool found;
        if ((e = load(op, name, false, out, &found, st))) {
            host_free(out);
            return e;
        }
    }
    return REG_OK;
}

static bool in_names(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], name))
            return true;
    return false;
}

/* Status rules of an update; *unlock_only when the command does nothing
 * but remove client statuses, clientUpdateProhibited among them. */
static reg_err check_statuses(const struct host_update *req, bool *unlock_only, reg_status *st)
{
    for (size_t i = 0; i < req->nadd_status; i++) {
        const char *s = req->add_status[i].name;
        if (!status_client_settable("host", s))
            return reg_fail(st, REG_ERR_POLICY, "status %s cannot be set by a client", s);
        if (status_message_check(s, req->add_status[i].message, st))
            return st->code;
        for (size_t j = 0; j < req->nrem_status; j++)
            if (!strcmp(s, req->rem_status[j]))
                return reg_fail(st, REG_ERR_POLICY, "status %s is both added and removed", s);
    }
    for (size_t i = 0; i < req->nrem_status; i++)
        if (!status_client_settable("host", req->rem_status[i]))
            return reg_fail(st, REG_ERR_POLICY, "status %s cannot be removed by a client",
                            req->rem_status[i]);
    *unlock_only = in_names(req->rem_status, req->nrem_status, "clientUpdateProhibited") &&
                   !req->nadd_status && !req->nadd_addrs && !req->nrem_addrs && !req->new_name &&
                   !req->admin;
    return REG_OK;
}

/* 2304 unless the statuses allow the update (see check_statuses). */
static reg_err update_allowed(const struct host *h, bool unlock_only, reg_status *st)
{
    reg_err e = status_allows(&h->status, OP_UPDATE, st);
    if (!e)
        return REG_OK;
    struct status_set others = {.n = 0};
    for (size_t i = 0; i < h->status.n; i++)
        if (strcmp(h->status.items[i].name, "clientUpdateProhibited"))
            others.items[others.n++] = h->status.items[i]; /* messages borrowed, not freed */
    reg_err other = status_allows(&others, OP_UPDATE, st);
    if (other)
        return other;
    if (unlock_only)
        return REG_OK;
    return reg_fail(st, REG_ERR_STATUS_PROHIBITS,
                    "status clientUpdateProhibited prohibits update; remove it in an update of "
                    "its own first");
}

reg_err host_update(const struct reg_op *op, const struct host_update *req, reg_status *st)
{
    struct host h;
    reg_err e = load_existing(op, req->name, true, &h, st);
    if (e) {
        host_free(&h);
        return e;
    }
    const char *tld = op->policy->names.tld;
    bool unlock_only = false;
    char new_name[NAME_MAX_LEN + 1], dom[NAME_MAX_LEN + 1];
    int64_t dom_id = h.superordinate_id, admin_id = 0;
    bool renamed = false, was_inside = h.superordinate_id != 0, inside;
    struct addr_set addrs = {.n = 0}, add = {.n = 0}, rem = {.n = 0};

    if (op->registrar_id && h.sponsor_id != op->registrar_id) {
        e = reg_fail(st, REG_ERR_AUTHZ, "host %s is sponsored by another registrar", h.name);
        goto out;
    }
    if ((e = check_statuses(req, &unlock_only, st)) ||
        (e = update_allowed(&h, unlock_only, st)))
        goto out;

    /* name */
    snprintf(new_name, sizeof new_name, "%s", h.name);
    if (req->new_name) {
        if ((e = names_host(req->new_name, new_name, st)))
            goto out;
        renamed = strcmp(new_name, h.name) != 0;
    }
    if (renamed) {
        bool taken;
        if ((e = name_taken(op, new_name, &taken, st)))
            goto out;
        if (taken) {
            e = reg_fail(st, REG_ERR_EXISTS, "host %s already exists", new_name);
            goto out;
        }
    }
    inside = host_in_bailiwick(op->policy, new_name, dom);
    if (renamed) {
        dom_id = 0;
        if (inside && (e = superordinate(op, dom, &dom_id, st)))
            goto out;
    }

    /* addresses: current − rem + add */
    for (size_t i = 0; i < h.naddrs; i++)
        addrs.a[addrs.n++] = h.addrs[i];
    if ((e = parse_list(op->policy, req->rem_addrs, req->nrem_addrs, false, &rem, h.name, st)) ||
        (e = parse_list(op->policy, req->add_addrs, req->nadd_addrs, true, &add, h.name, st)))
        goto out;
    for (size_t i = 0; i < rem.n; i++) {
        if (set_has(&add, rem.a[i].addr)) {
            e = reg_fail(st, REG_ERR_POLICY, "address %s is both added and removed", rem.a[i].addr);
            goto out;
        }
        if (!set_has(&addrs, rem.a[i].addr)) {
            e = reg_fail(st, REG_ERR_POLICY, "host %s has no address %s", h.name, rem.a[i].addr);
            goto out;
        }
        set_remove(&addrs, rem.a[i].addr);
    }
    if (add.n && !inside) {
        e = reg_fail(st, REG_ERR_POLICY,
                     "addresses are only for hosts under .%s; %s is an external host", tld,
                     new_name);
        goto out;
    }
    for (size_t i = 0; i < add.n; i++)
        if ((e = set_add(&addrs, &add.a[i], new_name, st)))
            goto out;
    if (inside && addrs.n == 0) {
        e = reg_fail(st, REG_ERR_POLICY, "host %s is under .%s and needs at least one address",
                     new_name, tld);
        goto out;
    }
    if (!inside && addrs.n) {
        e = reg_fail(st, REG_ERR_POLICY,
                     was_inside ? "renaming %s out of .%s: remove its addresses in the same update"
                                : "host %s is not under .%s and cannot have addresses",
                     h.name, tld);
        goto out;
    }

    /* statuses */
    for (size_t i = 0; i < req->nrem_status; i++)
        if (!status_has(&h.status, req->rem_status[i])) {
            e = reg_fail(st, REG_ERR_POLICY, "host %s does not have status %s", h.name,
                         req->rem_status[i]);
            goto out;
        }

    /* admin contact */
    bool admin_change = req->admin != NULL;
    if (admin_change && *req->admin && (e = admin_contact(op, req->admin, &admin_id, st)))
        goto out;

    /* apply */
    db_stmt *s;
    if (admin_change) {
        s = db_query(op->db, "UPDATE host SET name = ?, superordinate_id = ?, "
                             "admin_contact_id = ?, updater_id = ?, updated_at = ? WHERE id = ?");
        db_bind_text(s, 1, new_name);
        db_bind_int_or_null(s, 2, dom_id, dom_id);
        db_bind_int_or_null(s, 3, admin_id, admin_id);
        db_bind_int_or_null(s, 4, op->registrar_id, op->registrar_id);
        db_bind_int(s, 5, op->now);
        db_bind_int(s, 6, h.id);
    } else {
        s = db_query(op->db, "UPDATE host SET name = ?, superordinate_id = ?, updater_id = ?, "
                             "updated_at = ? WHERE id = ?");
        db_bind_text(s, 1, new_name);
        db_bind_int_or_null(s, 2, dom_id, dom_id);
        db_bind_int_or_null(s, 3, op->registrar_id, op->registrar_id);
        db_bind_int(s, 4, op->now);
        db_bind_int(s, 5, h.id);
    }
    if ((e = db_run(s))) {
        e = e == REG_ERR_DB_CONSTRAINT && renamed
                ? reg_fail(st, REG_ERR_EXISTS, "host %s already exists", new_name)
                : op_db_fail(op, st, e);
        goto out;
    }
    s = db_query(op->db, "DELETE FROM host_address WHERE host_id = ?");
    db_bind_int(s, 1, h.id);
    if ((e = db_run(s))) {
        e = op_db_fail(op, st, e);
        goto out;
    }
    qsort(addrs.a, addrs.n, sizeof addrs.a[0], addr_cmp);
    if ((e = insert_addrs(op, h.id, &addrs, st)))
        goto out;
    for (size_t i = 0; i < req->nrem_status && !e; i++)
        e = status_remove(op->db, "host", h.id, req->rem_status[i]);
    for (size_t i = 0; i < req->nadd_status && !e; i++)
        if (!status_has(&h.status, req->add_status[i].name))
            e = status_add(op->db, "host", h.id, req->add_status[i].name,
                           req->add_status[i].message && *req->add_status[i].message
                               ? req->add_status[i].message
                               : NULL);
    if (e) {
        e = op_db_fail(op, st, e);
        goto out;
    }
    e = record(op, new_name, renamed ? "rename" : "update", renamed ? h.name : NULL, st);
out:
    host_free(&h);
    return e;
}

reg_err host_delete(const struct reg_op *op, const char *name, reg_status *st)
{
    struct host h;
    reg_err e = load_existing(op, name, true, &h, st);
    if (e)
        goto out;
    if (op->registrar_id && h.sponsor_id != op->registrar_id) {
        e = reg_fail(st, REG_ERR_AUTHZ, "host %s is sponsored by another registrar", h.name);
        goto out;
    }
    if ((e = status_allows(&h.status, OP_DELETE, st)))
        goto out;
    if (h.linked) {
        db_stmt *s = db_query(op->db, "SELECT d.name FROM domain_host dh JOIN domain d ON "
                                      "d.id = dh.domain_id WHERE dh.host_id = ? ORDER BY d.name");
        db_bind_int(s, 1, h.id);
        int64_t n = 0;
        char first[NAME_MAX_LEN + 1] = "";
        while (db_next(s))
            if (n++ == 0)
                str_copy(first, sizeof first, db_col_text(s, 0));
        if ((e = db_done(s))) {
            e = op_db_fail(op, st, e);
            goto out;
        }
        e = reg_fail(st, REG_ERR_ASSOCIATION,
                     "host %s is a name server of %lld domain%s (%s%s); remove it from them first",
                     h.name, (long long)n, n == 1 ? "" : "s", first, n > 1 ? ", …" : "");
        goto out;
    }
    /* the last version, then the rows */
    char *snap = host_snapshot(&h, NULL);
    if (!snap) {
        e = reg_fail(st, REG_ERR_NOMEM, "out of memory");
        goto out;
    }
    e = history_record(op, "host", h.id, h.name, "delete", snap, st);
    free(snap);
    if (e)
        goto out;
    if ((e = status_remove_all(op->db, "host", h.id))) {
        e = op_db_fail(op, st, e);
        goto out;
    }
    static const char *const deletes[] = {
        "DELETE FROM host_address WHERE host_id = ?",
        "DELETE FROM host WHERE id = ?",
    };
    for (size_t i = 0; i < sizeof deletes / sizeof deletes[0]; i++) {
        db_stmt *s = db_query(op->db, deletes[i]);
        db_bind_int(s, 1, h.id);
        if ((e = db_run(s))) {
            e = op_db_fail(op, st, e);
            goto out;
        }
    }
out:
    host_free(&h);
    return e;
}

reg_err host_transfer_subordinates(const struct reg_op *op, int64_t domain_id,
                                   int64_t new_sponsor_id, reg_status *st)
{
    char (*names)[NAME_MAX_LEN + 1] = NULL;
    size_t n = 0, cap = 0;
    reg_err e = REG_OK;
    db_stmt *s = db_query(op->db, "SELECT name FROM host WHERE superordinate_id = ? AND "
                                  "sponsor_id <> ? ORDER BY name");
    db_bind_int(s, 1, domain_id);
    db_bind_int(s, 2, new_sponsor_id);
    while (!e && db_next(s)) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            void *p = realloc(names, ncap * sizeof *names);
            if (!p) {
                e = reg_fail(st, REG_ERR_NOMEM, "out of memory");
                break;
            }
            names = p;
            cap = ncap;
        }
        str_copy(names[n++], sizeof names[0], db_col_text(s, 0));
    }
    reg_err de = db_done(s);
    if (!e && de)
        e = op_db_fail(op, st, de);
    if (!e && n) {
        s = db_query(op->db, "UPDATE host SET sponsor_id = ?, transferred_at = ? WHERE "
                             "superordinate_id = ? AND sponsor_id <> ?");
        db_bind_int(s, 1, new_sponsor_id);
        db_bind_int(s, 2, op->now);
        db_bind_int(s, 3, domain_id);
        db_bind_int(s, 4, new_sponsor_id);
        if ((e = db_run(s)))
            e = op_db_fail(op, st, e);
    }
    for (size_t i = 0; i < n && !e; i++)
        e = record(op, names[i], "transfer", NULL, st);
    free(names);
    return e;
}
