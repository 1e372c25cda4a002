/* The registrar portal's domains, registry side (portal_domains.h). */
#include "portal_domains.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contrib/log.h"
#include "contrib/strutil.h"
#include "billing.h"
#include "contrib/clock.h"
#include "domain.h"
#include "otp.h"
#include "status.h"

/* ---- search --------------------------------------------------------------------------------- */

/* The WHERE clause of a filter and its values, bound in order after the
 * registrar's id. */
struct where {
    char sql[1024];
    const char *text[6];
    int64_t num[2];
    char like[2 * NAME_MAX_LEN * 4 + 3];
    char handle[HANDLE_MAX];
    char kinds[8]; /* 't' text, 'n' number, per value */
    size_t n, ntext, nnum;
};

static void where_add(struct where *w, const char *sql) { strncat(w->sql, sql, sizeof w->sql - strlen(w->sql) - 1); }
static void where_text(struct where *w, const char *v)
{
    w->text[w->ntext++] = v;
    w->kinds[w->n++] = 't';
}
static void where_num(struct where *w, int64_t v)
{
    w->num[w->nnum++] = v;
    w->kinds[w->n++] = 'n';
}

static void where_of(const struct portal_domain_filter *f, struct where *w)
{
    memset(w, 0, sizeof *w);
    where_add(w, " WHERE d.sponsor_id = ?");
    if (f->name && *f->name) {
        /* %part% with LIKE's own characters escaped; names are stored in lower case */
        size_t k = 0;
        w->like[k++] = '%';
        for (const char *p = f->name; *p && k + 3 < sizeof w->like; p++) {
            if (*p == '%' || *p == '_' || *p == '\\')
                w->like[k++] = '\\';
            w->like[k++] = (char)tolower((unsigned char)*p);
        }
        w->like[k++] = '%';
        w->like[k] = '\0';
        where_add(w, " AND (d.name LIKE ? ESCAPE '\\' OR d.uname LIKE ? ESCAPE '\\')");
        where_text(w, w->like);
        where_text(w, w->like);
    }
    if (f->status && *f->status) {
        /* RFC 5731 §2.3: inactive without name servers, ok when nothing else applies */
        static const char no_host[] = "NOT EXISTS (SELECT 1 FROM domain_host h WHERE h.domain_id = d.id)";
        static const char no_status[] = "NOT EXISTS (SELECT 1 FROM object_status s WHERE "
                                        "s.object_kind = 'domain' AND s.object_id = d.id)";
        if (!strcmp(f->status, "inactive")) {
            where_add(w, " AND ");
            where_add(w, no_host);
        } else if (!strcmp(f->status, "ok")) {
            where_add(w, " AND NOT ");
            where_add(w, no_host);
            where_add(w, " AND ");
            where_add(w, no_status);
        } else {
            where_add(w, " AND EXISTS (SELECT 1 FROM object_status s WHERE s.object_kind = "
                         "'domain' AND s.object_id = d.id AND s.status = ?)");
            where_text(w, f->status);
        }
    }
    if (f->expires_from) {
        where_add(w, " AND d.expires_at >= ?");
        where_num(w, f->expires_from);
    }
    if (f->expires_to) {
        where_add(w, " AND d.expires_at < ?");
        where_num(w, f->expires_to);
    }
    if (f->contact && *f->contact) {
        size_t i = 0;
        for (; f->contact[i] && i + 1 < sizeof w->handle; i++)
            w->handle[i] = (char)toupper((unsigned char)f->contact[i]);
        w->handle[i] = '\0';
        where_add(w, " AND (r.handle = ? OR EXISTS (SELECT 1 FROM domain_contact dc JOIN contact "
                     "c ON c.id = dc.contact_id WHERE dc.domain_id = d.id AND c.handle = ?))");
        where_text(w, w->handle);
        where_text(w, w->handle);
    }
}

/* Binds the registrar's id and the filter's values from position 1; the
 * next free position. */
static int where_bind(db_stmt *q, const struct where *w, int64_t registrar_id)
{
    int pos = 1;
    size_t t = 0, n = 0;
    db_bind_int(q, pos++, registrar_id);
    for (size_t i = 0; i < w->n; i++) {
        if (w->kinds[i] == 't')
            db_bind_text(q, pos++, w->text[t++]);
        else
            db_bind_int(q, pos++, w->num[n++]);
    }
    return pos;
}

#define FROM_DOMAINS " FROM domain d JOIN contact r ON r.id = d.registrant_id"

/* Appends " item" (or "item" to an empty list) with separator sep. */
static void list_add(char *list, size_t n, const char *sep, const char *item)
{
    size_t len = strlen(list);
    if (len)
        snprintf(list + len, n - len, "%s%s", sep, item);
    else
        str_copy(list, n, item);
}

struct by_id {
    int64_t id;
    size_t index;
};

static int by_id_cmp(const void *a, const void *b)
{
    int64_t x = ((const struct by_id *)a)->id, y = ((const struct by_id *)b)->id;
    return x < y ? -1 : x > y;
}

static struct portal_domain_row *row_of(struct portal_domain_row *rows, const struct by_id *ix,
                                        size_t n, int64_t id)
{
    struct by_id key = {id, 0};
    const struct by_id *hit = bsearch(&key, ix, n, sizeof *ix, by_id_cmp);
    return hit ? &rows[hit->index] : NULL;
}

/* The statuses, name servers and contacts of rows[0..n) (in name order):
 * read for the registrar's domains from the first name to the last, each
 * kept if it belongs to a row. */
static reg_err fill_lists(const struct reg_op *op, int64_t registrar_id,
                          struct portal_domain_row *rows, size_t n)
{
    if (!n)
        return REG_OK;
    struct by_id ix[PORTAL_DOMAINS_BATCH > PORTAL_DOMAINS_PAGE_MAX ? PORTAL_DOMAINS_BATCH
                                                                    : PORTAL_DOMAINS_PAGE_MAX];
    for (size_t i = 0; i < n; i++)
        ix[i] = (struct by_id){rows[i].id, i};
    qsort(ix, n, sizeof ix[0], by_id_cmp);
    static const char *const sql[] = {
        "SELECT d.id, s.status, '' FROM object_status s JOIN domain d ON d.id = s.object_id AND "
        "s.object_kind = 'domain' WHERE d.sponsor_id = ? AND d.name >= ? AND d.name <= ? "
        "ORDER BY d.id, s.status",
        "SELECT d.id, h.name, '' FROM domain_host dh JOIN domain d ON d.id = dh.domain_id JOIN "
        "host h ON h.id = dh.host_id WHERE d.sponsor_id = ? AND d.name >= ? AND d.name <= ? "
        "ORDER BY d.id, h.name",
        "SELECT d.id, c.handle, dc.role FROM domain_contact dc JOIN domain d ON d.id = "
        "dc.domain_id JOIN contact c ON c.id = dc.contact_id WHERE d.sponsor_id = ? AND "
        "d.name >= ? AND d.name <= ? ORDER BY d.id, dc.role, c.handle",
    };
    for (size_t k = 0; k < sizeof sql / sizeof sql[0]; k++) {
        db_stmt *q = db_query(op->db, sql[k]);
        db_bind_int(q, 1, registrar_id);
        db_bind_text(q, 2, rows[0].name);
        db_bind_text(q, 3, rows[n - 1].name);
        while (db_next(q)) {
            struct portal_domain_row *r = row_of(rows, ix, n, db_col_int(q, 0));
            if (!r)
                continue; /* in the range but not a match of the filter */
            const char *v = db_col_text(q, 1), *role = db_col_text(q, 2);
            if (k == 0)
                list_add(r->statuses, sizeof r->statuses, ",", v);
            else if (k == 1)
                list_add(r->ns, sizeof r->ns, " ", v);
            else if (!strcmp(role, "admin"))
                list_add(r->admin, sizeof r->admin, " ", v);
            else if (!strcmp(role, "tech"))
                list_add(r->tech, sizeof r->tech, " ", v);
            else
                list_add(r->billing, sizeof r->billing, " ", v);
        }
        reg_err e = db_done(q);
        if (e)
            return e;
    }
    for (size_t i = 0; i < n; i++) {
        struct portal_domain_row *r = &rows[i];
        if (!r->ns[0]) /* the derived statuses, as domain_derived_statuses */
            list_add(r->statuses, sizeof r->statuses, ",", "inactive");
        else if (!r->statuses[0])
            str_copy(r->statuses, sizeof r->statuses, "ok");
    }
    return REG_OK;
}

/* Up to limit matching rows after name `after` ("" from the start),
 * `offset` skipped. */
static reg_err fetch(const struct reg_op *op, int64_t registrar_id, const struct where *w,
                     const char *after, int64_t offset, size_t limit,
                     struct portal_domain_row *rows, size_t *n, reg_status *st)
{
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT d.id, d.name, d.uname, r.handle, d.created_at, d.expires_at" FROM_DOMAINS
             "%s AND d.name > ? ORDER BY d.name LIMIT ? OFFSET ?",
             w->sql);
    db_stmt *q = db_query(op->db, sql);
    int pos = where_bind(q, w, registrar_id);
    db_bind_text(q, pos++, after);
    db_bind_int(q, pos++, (int64_t)limit);
    db_bind_int(q, pos, offset);
    *n = 0;
    while (*n < limit && db_next(q)) {
        struct portal_domain_row *r = &rows[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = db_col_int(q, 0);
        str_copy(r->name, sizeof r->name, db_col_text(q, 1));
        str_copy(r->uname, sizeof r->uname, db_col_text(q, 2));
        str_copy(r->registrant, sizeof r->registrant, db_col_text(q, 3));
        r->created_at = db_col_int(q, 4);
        r->expires_at = db_col_int(q, 5);
    }
    reg_err e = db_done(q);
    if (!e)
        e = fill_lists(op, registrar_id, rows, *n);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err portal_domains_page(const struct reg_op *op, int64_t registrar_id,
                            const struct portal_domain_filter *f, int64_t offset, size_t limit,
                            struct portal_domain_row *rows, size_t *n, int64_t *total,
                            reg_status *st)
{
    struct where w;
    where_of(f, &w);
    if (limit > PORTAL_DOMAINS_PAGE_MAX)
        limit = PORTAL_DOMAINS_PAGE_MAX;
    if (offset < 0)
        offset = 0;
    if (total) {
        char sql[1200];
        snprintf(sql, sizeof sql, "SELECT COUNT(*)" FROM_DOMAINS "%s", w.sql);
        db_stmt *q = db_query(op->db, sql);
        where_bind(q, &w, registrar_id);
        *total = db_next(q) ? db_col_int(q, 0) : 0;
        reg_err e = db_done(q);
        if (e)
            return op_db_fail(op, st, e);
    }
    return fetch(op, registrar_id, &w, "", offset, limit, rows, n, st);
}

reg_err portal_domains_each(const struct reg_op *op, int64_t registrar_id,
                            const struct portal_domain_filter *f,
                            int (*fn)(const struct portal_domain_row *r, void *arg), void *arg,
                            reg_status *st)
{
    struct where w;
    where_of(f, &w);
    struct portal_domain_row *rows = malloc(PORTAL_DOMAINS_BATCH * sizeof *rows);
    if (!rows)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    char after[NAME_MAX_LEN + 1] = "";
    reg_err e = REG_OK;
    size_t n;
    do {
        if ((e = fetch(op, registrar_id, &w, after, 0, PORTAL_DOMAINS_BATCH, rows, &n, st)))
            break;
        for (size_t i = 0; i < n && !e; i++)
            if (fn(&rows[i], arg))
                e = reg_fail(st, REG_ERR_INTERNAL, "the export stopped");
        if (n)
            str_copy(after, sizeof after, rows[n - 1].name);
    } while (!e && n == PORTAL_DOMAINS_BATCH);
    free(rows);
    return e;
}

/* ---- changes -------------------------------------------------------------------------------- */

/* Each change runs in a transaction of its own, ended by db_end_tx. */
static reg_err begin(const struct reg_op *op, reg_status *st)
{
    return db_begin(op->db) ? op_db_fail(op, st, REG_ERR_DB) : REG_OK;
}

/* The domain, which must be the acting registrar's. */
static reg_err load_own(const struct reg_op *op, const char *name, struct domain *d,
                        reg_status *st)
{
    if (domain_load_input(op, name, d, NULL, 0, st))
        return st->code;
    if (!domain_is_sponsor(op, d)) {
        domain_free(d);
        return reg_fail(st, REG_ERR_AUTHZ, "%s is sponsored by another registrar", name);
    }
    return REG_OK;
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(list[i], s))
            return true;
    return false;
}

/* The update that makes d's name servers ns[0..n). */
static void ns_diff(const struct domain *d, const char *const *ns, size_t n,
                    struct domain_update *u)
{
    const char *have[DOMAIN_NS_MAX];
    for (size_t i = 0; i < d->nns; i++) {
        have[i] = d->ns[i];
        if (!in_list(ns, n, d->ns[i]))
            u->rem_ns[u->nrem_ns++] = d->ns[i];
    }
    for (size_t i = 0; i < n; i++) {
        if (*ns[i] && !in_list(have, d->nns, ns[i]) && !in_list(ns, i, ns[i]) &&
            u->nadd_ns < DOMAIN_NS_MAX)
            u->add_ns[u->nadd_ns++] = ns[i];
    }
}

/* One domain:update as EPP makes it (never a change of registrant, so it
 * never waits for the registrant). */
static reg_err update(const struct reg_op *op, const struct domain_update *u, reg_status *st)
{
    bool pending;
    return domain_update_request(op, u, false, &pending, st);
}

/* What a change of one domain updates: fn fills u (its name set) from
 * the domain as it is. */
typedef void (*update_fn)(const struct domain *d, const void *arg, struct domain_update *u);

static bool has_change(const struct domain_update *u)
{
    return u->nadd_ns || u->nrem_ns || u->nadd_contacts || u->nrem_contacts || u->nadd_status ||
           u->nrem_status || u->chg_registrant || u->chg_authinfo || u->nadd_ds || u->nrem_ds ||
           u->rem_all_ds;
}

/* The acting registrar's domain `name` updated as fn says, in a
 * transaction of its own; nothing sent when there is nothing to change.
 * *changed (optional): whether anything changed. */
static reg_err update_own(const struct reg_op *op, const char *name, update_fn fn,
                          const void *arg, bool *changed, reg_status *st)
{
    if (changed)
        *changed = false;
    if (begin(op, st))
        return st->code;
    struct domain d;
    reg_err e = load_own(op, name, &d, st);
    if (!e) {
        struct domain_update u = {.name = d.name.alabel};
        fn(&d, arg, &u);
        if (changed)
            *changed = has_change(&u);
        if (has_change(&u))
            e = update(op, &u, st);
        domain_free(&d);
    }
    return db_end_tx(op->db, e, st);
}

struct ns_list {
    const char *ns[DOMAIN_NS_MAX];
    size_t n;
};

static void ns_update(const struct domain *d, const void *arg, struct domain_update *u)
{
    const struct ns_list *l = arg;
    ns_diff(d, l->ns, l->n, u);
}

reg_err portal_domain_set_ns(const struct reg_op *op, const char *name, const char *const *ns,
                             size_t n, bool *changed, reg_status *st)
{
    *changed = false;
    struct ns_list given = {.n = 0};
    for (size_t i = 0; i < n; i++)
        if (*ns[i]) {
            if (given.n == DOMAIN_NS_MAX)
                return reg_fail(st, REG_ERR_POLICY, "a domain has at most %d name servers",
                                DOMAIN_NS_MAX);
            given.ns[given.n++] = ns[i];
        }
    return update_own(op, name, ns_update, &given, changed, st);
}

static void authinfo_update(const struct domain *d, const void *arg, struct domain_update *u)
{
    (void)d;
    const char *pw = arg;
    u->chg_authinfo = true;
    u->authinfo = pw && *pw ? pw : NULL;
}

reg_err portal_domain_set_authinfo(const struct reg_op *op, const char *name, const char *pw,
                                   reg_status *st)
{
    return update_own(op, name, authinfo_update, pw, NULL, st);
}

reg_err portal_domain_renew(const struct reg_op *op, const char *name, const char *cur_exp,
                            int years, reg_time *new_expiry, reg_status *st)
{
    if (begin(op, st))
        return st->code;
    return db_end_tx(op->db, domain_renew(op, name, cur_exp, years * 12, new_expiry, st), st);
}

/* Runs fn on each of names[0..n) (the acting registrar's), counting those
 * it changed, in one transaction: the first refusal rolls everything back
 * and names the domain; dry_run rolls back in any case. charged (unless
 * NULL): what the registrar's account paid for it all, or would pay. */
static reg_err each_own(const struct reg_op *op, const char *const *names, size_t n,
                        bool dry_run, size_t *changed, int64_t *charged,
                        reg_err (*fn)(const struct reg_op *op, const struct domain *d, void *arg,
                                      bool dry_run, bool *hit, reg_status *st),
                        void *arg, reg_status *st)
{
    *changed = 0;
    if (begin(op, st))
        return st->code;
    int64_t before = 0, after = 0;
    reg_err e = charged ? billing_balance(op->db, op->registrar_id, &before, st) : REG_OK;
    for (size_t i = 0; i < n && !e; i++) {
        struct domain d;
        if ((e = load_own(op, names[i], &d, st)))
            break;
        bool hit = false;
        if ((e = fn(op, &d, arg, dry_run, &hit, st))) {
            char why[sizeof st->reason];
            str_copy(why, sizeof why, st->reason);
            e = reg_fail(st, st->code, "%s: %s", d.name.ulabel, why);
        }
        *changed += hit;
        domain_free(&d);
    }
    if (!e && charged && !(e = billing_balance(op->db, op->registrar_id, &after, st)))
        *charged = before - after;
    if (dry_run) {
        if (db_rollback(op->db) && !e)
            return op_db_fail(op, st, REG_ERR_DB);
        return e;
    }
    return db_end_tx(op->db, e, st);
}

struct ns_swap {
    char old[NAME_MAX_LEN + 1], fresh[NAME_MAX_LEN + 1];
};

static reg_err ns_one(const struct reg_op *op, const struct domain *d, void *arg, bool dry_run,
                      bool *hit, reg_status *st)
{
    const struct ns_swap *t = arg;
    const char *have[DOMAIN_NS_MAX];
    for (size_t k = 0; k < d->nns; k++)
        have[k] = d->ns[k];
    if (!in_list(have, d->nns, t->old))
        return REG_OK;
    *hit = true;
    struct domain_update u = {.name = d->name.alabel, .nrem_ns = 1, .rem_ns = {t->old}};
    if (!in_list(have, d->nns, t->fresh))
        u.add_ns[u.nadd_ns++] = t->fresh;
    return dry_run ? REG_OK : update(op, &u, st);
}

reg_err portal_domains_replace_ns(const struct reg_op *op, const char *const *names, size_t n,
                                  const char *from, const char *to, bool dry_run,
                                  size_t *changed, reg_status *st)
{
    *changed = 0;
    struct ns_swap t;
    if (names_host(from, t.old, st) || names_host(to, t.fresh, st))
        return st->code;
    if (!strcmp(t.old, t.fresh))
        return reg_fail(st, REG_ERR_POLICY, "the new name server is the old one");
    return each_own(op, names, n, dry_run, changed, NULL, ns_one, &t, st);
}

/* ---- a domain's life (create, contacts and statuses, DS, transfer, delete, restore) --------- */

reg_err portal_domain_price(const struct reg_op *op, const char *operation, int years,
                            int64_t *amount, reg_status *st)
{
    return billing_price(op, op->registrar_id, operation, years, amount, st);
}

reg_err portal_domain_create(const struct reg_op *op, const struct domain_create *in,
                             struct domain *out, reg_status *st)
{
    if (begin(op, st))
        return st->code;
    reg_err e = domain_create(op, in, out, st);
    bool loaded = !e;
    if ((e = db_end_tx(op->db, e, st)) && loaded)
        domain_free(out); /* the commit failed */
    return e;
}

/* Adds to u what makes the domain's contacts of `role` exactly handles[0..n). */
static void contacts_diff(const struct domain *d, const char *role, const char *const *handles,
                          size_t n, struct domain_update *u)
{
    const char *have[DOMAIN_CONTACTS_MAX];
    size_t nhave = 0;
    for (size_t i = 0; i < d->ncontacts; i++) {
        if (strcmp(d->contacts[i].role, role))
            continue;
        have[nhave++] = d->contacts[i].handle;
        if (!in_list(handles, n, d->contacts[i].handle) && u->nrem_contacts < DOMAIN_CONTACTS_MAX) {
            struct domain_contact *c = &u->rem_contacts[u->nrem_contacts++];
            str_copy(c->role, sizeof c->role, role);
            str_copy(c->handle, sizeof c->handle, d->contacts[i].handle);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!*handles[i] || in_list(have, nhave, handles[i]) || in_list(handles, i, handles[i]) ||
            u->nadd_contacts == DOMAIN_CONTACTS_MAX)
            continue;
        struct domain_contact *c = &u->add_contacts[u->nadd_contacts++];
        str_copy(c->role, sizeof c->role, role);
        str_copy(c->handle, sizeof c->handle, handles[i]);
    }
}

static void contacts_update(const struct domain *d, const void *arg, struct domain_update *u)
{
    const struct portal_domain_contacts *in = arg;
    contacts_diff(d, "admin", in->admin, in->nadmin, u);
    contacts_diff(d, "tech", in->tech, in->ntech, u);
    /* the client statuses: those not given go, those given come */
    for (size_t i = 0; i < d->statuses.n; i++) {
        const char *s = d->statuses.items[i].name;
        if (status_client_settable("domain", s) && !in_list(in->statuses, in->nstatuses, s) &&
            u->nrem_status < STATUS_MAX)
            u->rem_status[u->nrem_status++] = s;
    }
    for (size_t i = 0; i < in->nstatuses && u->nadd_status < STATUS_MAX; i++)
        if (!status_has(&d->statuses, in->statuses[i]))
            u->add_status[u->nadd_status++] = in->statuses[i];
}

reg_err portal_domain_set_contacts(const struct reg_op *op, const char *name,
                                   const struct portal_domain_contacts *in, bool *changed,
                                   reg_status *st)
{
    return update_own(op, name, contacts_update, in, changed, st);
}

struct ds_change {
    const struct ds_data *add, *rem;
};

static void ds_update(const struct domain *d, const void *arg, struct domain_update *u)
{
    (void)d;
    const struct ds_change *c = arg;
    if (c->add)
        u->add_ds[u->nadd_ds++] = *c->add;
    if (c->rem)
        u->rem_ds[u->nrem_ds++] = *c->rem;
}

reg_err portal_domain_ds(const struct reg_op *op, const char *name, const struct ds_data *add,
                         const struct ds_data *rem, reg_status *st)
{
    struct ds_change c = {add, rem};
    return update_own(op, name, ds_update, &c, NULL, st);
}

reg_err portal_domain_transfer(const struct reg_op *op, transfer_op top, const char *name,
                               const char *pw, struct domain_transfer_info *out, bool *pending,
                               reg_status *st)
{
    memset(out, 0, sizeof *out);
    *pending = false;
    if (begin(op, st))
        return st->code;
    struct reg_authinfo auth = {.pw = pw && *pw ? pw : NULL};
    reg_err e = db_end_tx(op->db, domain_transfer(op, top, name, &auth, 0, out, pending, st), st);
    if (e && out->wrong_otp) {
        /* a wrong one-time password counts although the request was rolled back */
        reg_status st2 = {0};
        if (!begin(op, &st2))
            db_end_tx(op->db, otp_count_wrong(op, out->wrong_otp, &st2), &st2);
        if (st2.code)
            reg_log(LOG_WARN, "portal", NULL, "otp-count-failed", "reason=%s", st2.reason);
    }
    return e;
}

reg_err portal_domain_otp(const struct reg_op *op, const char *name, const char *channel,
                          struct otp_sent *out, reg_status *st)
{
    if (begin(op, st))
        return st->code;
    return db_end_tx(op->db, otp_request(op, name, channel, out, st), st);
}

reg_err portal_domain_delete(const struct reg_op *op, const char *name, bool verified,
                             enum domain_delete_outcome *outcome, reg_status *st)
{
    if (begin(op, st))
        return st->code;
    return db_end_tx(op->db, domain_delete_request(op, name, verified, outcome, st), st);
}

reg_err portal_domain_restore(const struct reg_op *op, const char *name, reg_status *st)
{
    if (begin(op, st))
        return st->code;
    return db_end_tx(op->db, domain_restore(op, name, st), st);
}

/* ---- bulk: renew, replace a tech contact ---------------------------------------------------- */

static reg_err renew_one(const struct reg_op *op, const struct domain *d, void *arg,
                         bool dry_run, bool *hit, reg_status *st)
{
    int years = *(const int *)arg;
    char date[REG_TIME_STRLEN];
    reg_time until;
    *hit = true;
    /* a dry run renews too (then rolls back): what would be refused is known */
    (void)dry_run;
    return domain_renew(op, d->name.alabel, clock_format_date(d->expires_at, date, sizeof date),
                        years * 12, &until, st);
}

reg_err portal_domains_renew(const struct reg_op *op, const char *const *names, size_t n,
                             int years, bool dry_run, size_t *renewed, int64_t *charged,
                             reg_status *st)
{
    *charged = 0;
    return each_own(op, names, n, dry_run, renewed, charged, renew_one, &years, st);
}

struct tech_swap {
    char from[HANDLE_MAX], to[HANDLE_MAX];
};

static reg_err tech_one(const struct reg_op *op, const struct domain *d, void *arg,
                        bool dry_run, bool *hit, reg_status *st)
{
    const struct tech_swap *t = arg;
    bool has_from = false, has_to = false;
    for (size_t i = 0; i < d->ncontacts; i++)
        if (!strcmp(d->contacts[i].role, "tech")) {
            has_from |= !strcasecmp(d->contacts[i].handle, t->from);
            has_to |= !strcasecmp(d->contacts[i].handle, t->to);
        }
    if (!has_from)
        return REG_OK;
    *hit = true;
    struct domain_update u = {.name = d->name.alabel, .nrem_contacts = 1};
    str_copy(u.rem_contacts[0].role, sizeof u.rem_contacts[0].role, "tech");
    str_copy(u.rem_contacts[0].handle, sizeof u.rem_contacts[0].handle, t->from);
    if (!has_to) {
        str_copy(u.add_contacts[0].role, sizeof u.add_contacts[0].role, "tech");
        str_copy(u.add_contacts[0].handle, sizeof u.add_contacts[0].handle, t->to);
        u.nadd_contacts = 1;
    }
    (void)dry_run; /* applied in a dry run too, then rolled back */
    return update(op, &u, st);
}

reg_err portal_domains_replace_tech(const struct reg_op *op, const char *const *names, size_t n,
                                    const char *from, const char *to, bool dry_run,
                                    size_t *changed, reg_status *st)
{
    *changed = 0;
    struct tech_swap t;
    if (!from || !*from || !to || !*to)
        return reg_fail(st, REG_ERR_MISSING, "give the contact to replace and the new one");
    str_copy(t.from, sizeof t.from, from);
    str_copy(t.to, sizeof t.to, to);
    if (!strcasecmp(t.from, t.to))
        return reg_fail(st, REG_ERR_POLICY, "the new contact is the old one");
    return each_own(op, names, n, dry_run, changed, NULL, tech_one, &t, st);
}
