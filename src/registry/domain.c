#include "domain.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contrib/secret.h"
#include "contrib/strutil.h"
#include "authinfo_request.h"
#include "account_store.h"
#include "billing.h"
#include "domain_auth.h"
#include "history.h"
#include "idcheck.h"
#include "notices.h"
#include "pending.h"
#include "registrant_invoice.h"
#include "terms.h"

/* ---- lookups of linked objects -------------------------------------------- */

static void upper(char *dst, size_t n, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < n; i++)
        dst[i] = (char)toupper((unsigned char)src[i]);
    dst[i] = '\0';
}

static void lower(char *dst, size_t n, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < n; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    if (i && dst[i - 1] == '.')
        i--;
    dst[i] = '\0';
}

static reg_err id_of(const struct reg_op *op, const char *sql, const char *key, int64_t *id,
                     reg_status *st)
{
    db_stmt *s = db_query(op->db, sql);
    db_bind_text(s, 1, key);
    *id = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err contact_ref(const struct reg_op *op, const char *handle, int64_t *id, reg_status *st)
{
    char h[HANDLE_MAX];
    upper(h, sizeof h, handle);
    reg_err e = id_of(op, "SELECT id FROM contact WHERE handle = ?", h, id, st);
    if (!e && !*id)
        return reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", handle);
    return e;
}

/* The contacts one command names, each looked up once: a registrant is
 * often the admin contact too, and one contact often holds several roles. */
struct contact_refs {
    const char *handle[DOMAIN_CONTACTS_MAX + 1];
    int64_t id[DOMAIN_CONTACTS_MAX + 1];
    size_t n;
};

static reg_err contact_ref_once(const struct reg_op *op, struct contact_refs *refs,
                                const char *handle, int64_t *id, reg_status *st)
{
    for (size_t i = 0; refs && i < refs->n; i++)
        if (!strcasecmp(refs->handle[i], handle)) {
            *id = refs->id[i];
            return REG_OK;
        }
    if (contact_ref(op, handle, id, st))
        return st->code;
    if (refs && refs->n < sizeof refs->id / sizeof refs->id[0]) {
        refs->handle[refs->n] = handle;
        refs->id[refs->n++] = *id;
    }
    return REG_OK;
}

static reg_err host_ref(const struct reg_op *op, const char *name, int64_t *id, reg_status *st)
{
    char h[NAME_MAX_LEN + 1];
    reg_status ignored;
    if (names_host(name, h, &ignored)) /* not a host name: it cannot exist */
        lower(h, sizeof h, name);
    reg_err e = id_of(op, "SELECT id FROM host WHERE name = ?", h, id, st);
    if (!e && !*id)
        return reg_fail(st, REG_ERR_NOT_FOUND, "host %s does not exist", name);
    return e;
}

static bool valid_role(const char *role)
{
    return !strcmp(role, "admin") || !strcmp(role, "tech") || !strcmp(role, "billing");
}

/* ---- DNSSEC (RFC 5910) ------------------------------------------------------ */

/* Digest lengths by type (RFC 4034 SHA-1, RFC 4509 SHA-256, RFC 6605 SHA-384). */
static int digest_hex_length(int type)
{
    switch (type) {
    case 1: return 40;
    case 2: return 64;
    case 4: return 96;
    default: return 0;
    }
}

/* DNSSEC algorithms a registry accepts today (IANA registry; RSAMD5, DSA
 * and the other deprecated ones are refused). */
static const int algorithms[] = {5, 7, 8, 10, 13, 14, 15, 16};
#define NALGORITHMS (sizeof algorithms / sizeof algorithms[0])

static bool algorithm_accepted(int alg)
{
    for (size_t i = 0; i < NALGORITHMS; i++)
        if (algorithms[i] == alg)
            return true;
    return false;
}

/* "5, 7, 8, … or 16": the error names exactly what is accepted. */
static const char *algorithm_list(char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NALGORITHMS && o < n; i++)
        o += (size_t)snprintf(buf + o, n - o, "%s%d",
                              i == 0 ? "" : i + 1 == NALGORITHMS ? " or " : ", ", algorithms[i]);
    return buf;
}

static reg_err check_ds(struct ds_data *ds, reg_status *st)
{
    if (ds->key_tag < 0 || ds->key_tag > 65535)
        return reg_fail(st, REG_ERR_RANGE, "keyTag %d is outside 0..65535", ds->key_tag);
    char list[64];
    if (!algorithm_accepted(ds->alg))
        return reg_fail(st, REG_ERR_POLICY, "DNSSEC algorithm %d is not accepted (use %s)",
                        ds->alg, algorithm_list(list, sizeof list));
    int want = digest_hex_length(ds->digest_type);
    if (!want)
        return reg_fail(st, REG_ERR_POLICY,
                        "digest type %d is not accepted (1 SHA-1, 2 SHA-256, 4 SHA-384)",
                        ds->digest_type);
    size_t n = strlen(ds->digest);
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)ds->digest[i]))
            return reg_fail(st, REG_ERR_INVALID, "digest must be hexadecimal");
        ds->digest[i] = (char)toupper((unsigned char)ds->digest[i]);
    }
    if ((int)n != want)
        return reg_fail(st, REG_ERR_POLICY, "a digest of type %d has %d hex digits, not %zu",
                        ds->digest_type, want, n);
    return REG_OK;
}

static reg_err ds_change(const struct reg_op *op, int64_t domain_id, const struct ds_data *ds,
                         bool add, reg_status *st)
{
    db_stmt *s = db_query(op->db, add ? "INSERT INTO ds_record (domain_id, key_tag, alg, "
                                        "digest_type, digest) VALUES (?, ?, ?, ?, ?) "
                                        "ON CONFLICT DO NOTHING"
                                      : "DELETE FROM ds_record WHERE domain_id = ? AND key_tag = "
                                        "? AND alg = ? AND digest_type = ? AND digest = ?");
    db_bind_int(s, 1, domain_id);
    db_bind_int(s, 2, ds->key_tag);
    db_bind_int(s, 3, ds->alg);
    db_bind_int(s, 4, ds->digest_type);
    db_bind_text(s, 5, ds->digest);
    reg_err e = db_run_deferred(s); /* nothing reads its outcome: see db_defer_writes */
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* ---- periods ---------------------------------------------------------------- */

static reg_err check_period(const struct reg_op *op, int months, int *out, reg_status *st)
{
    if (months == 0)
        months = 12;
    if (months % 12)
        return reg_fail(st, REG_ERR_POLICY, "periods are whole years (12, 24, … months)");
    int years = months / 12;
    if (years < op->policy->min_period || years > op->policy->max_period)
        return reg_fail(st, REG_ERR_POLICY, "period %d years is outside %d..%d", years,
                        op->policy->min_period, op->policy->max_period);
    *out = months;
    return REG_OK;
}

/* ---- check ------------------------------------------------------------------ */

reg_err domain_check(const struct reg_op *op, const char *name, struct domain_name *norm,
                     struct domain_check_result *r, reg_status *st)
{
    memset(r, 0, sizeof *r);
    reg_status why = {0};
    if (names_domain(&op->policy->names, name, norm, &why)) {
        uint32_t cp = norm->refused_cp;
        memset(norm, 0, sizeof *norm); /* no stored form: the answer names it as asked */
        /* eppcom:reasonBaseType: at most 32 characters */
        if (why.code == REG_ERR_POLICY)
            snprintf(r->reason, sizeof r->reason, "not registrable under .%s",
                     op->policy->names.tld);
        else
            snprintf(r->reason, sizeof r->reason, cp ? "invalid name: U+%04X" : "invalid domain name",
                     cp);
        return REG_OK;
    }
    char label[NAME_MAX_LEN + 1];
    snprintf(label, sizeof label, "%s", norm->alabel);
    *strchr(label, '.') = '\0';
    if (policy_is_reserved(op->policy, label)) {
        snprintf(r->reason, sizeof r->reason, "reserved");
        return REG_OK;
    }
    int64_t id;
    if (id_of(op, "SELECT id FROM domain WHERE name = ?", norm->alabel, &id, st))
        return st->code;
    r->avail = id == 0;
    if (!r->avail)
        snprintf(r->reason, sizeof r->reason, "in use");
    return REG_OK;
}

/* ---- info ------------------------------------------------------------------- */

reg_err domain_info(const struct reg_op *op, const char *name, const struct reg_authinfo *auth,
                    struct domain *out, bool *full, reg_status *st)
{
    char hash[SECRET_AUTHINFO_HASH_LEN] = "";
    reg_err e = domain_load_input(op, name, out, hash, sizeof hash, st);
    if (e)
        return e;
    *full = domain_is_sponsor(op, out);
    if (!*full && auth && auth->pw && *auth->pw) {
        if (domain_authinfo_check(op, out, hash, auth, st)) {
            domain_free(out);
            return st->code;
        }
        *full = true;
    }
    return REG_OK;
}

/* ---- create ----------------------------------------------------------------- */

static reg_err link_contact(const struct reg_op *op, struct contact_refs *refs,
                            int64_t domain_id, const struct domain_contact *c, bool add,
                            reg_status *st)
{
    if (!valid_role(c->role))
        return reg_fail(st, REG_ERR_INVALID, "contact type %s is not admin, tech or billing",
                        c->role);
    int64_t cid;
    if (contact_ref_once(op, refs, c->handle, &cid, st))
        return st->code;
    db_stmt *s = db_query(op->db, add ? "INSERT INTO domain_contact (domain_id, contact_id, role) "
                                        "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
                                      : "DELETE FROM domain_contact WHERE domain_id = ? AND "
                                        "contact_id = ? AND role = ?");
    db_bind_int(s, 1, domain_id);
    db_bind_int(s, 2, cid);
    db_bind_text(s, 3, c->role);
    reg_err e = db_run_deferred(s); /* nothing reads its outcome: see db_defer_writes */
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err link_host(const struct reg_op *op, int64_t domain_id, const char *name, bool add,
                         reg_status *st)
{
    int64_t hid;
    if (host_ref(op, name, &hid, st))
        return st->code;
    db_stmt *s = db_query(op->db, add ? "INSERT INTO domain_host (domain_id, host_id) VALUES (?, ?) "
                                        "ON CONFLICT DO NOTHING"
                                      : "DELETE FROM domain_host WHERE domain_id = ? AND host_id = ?");
    db_bind_int(s, 1, domain_id);
    db_bind_int(s, 2, hid);
    reg_err e = db_run_deferred(s); /* nothing reads its outcome: see db_defer_writes */
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* What a create reads before it writes, in one statement (issue 18: on
 * PostgreSQL each was a round trip): the registrar's default management
 * (R18), the id of the domain of that name (0: none) and the registrant's
 * (0: no such contact). */
static reg_err create_reads(const struct reg_op *op, const char *alabel, const char *registrant,
                            char management[16], int64_t *existing, int64_t *registrant_id,
                            reg_status *st)
{
    char h[HANDLE_MAX];
    upper(h, sizeof h, registrant);
    db_stmt *s = db_query(op->db, "SELECT (SELECT default_management FROM registrar WHERE id = "
                                  "?), (SELECT id FROM domain WHERE name = ?), (SELECT id FROM "
                                  "contact WHERE handle = ?)");
    db_bind_int(s, 1, op->registrar_id);
    db_bind_text(s, 2, alabel);
    db_bind_text(s, 3, h);
    bool row = db_next(s);
    str_copy(management, 16, row && !db_col_is_null(s, 0) ? db_col_text(s, 0) : "registrar");
    *existing = row && !db_col_is_null(s, 1) ? db_col_int(s, 1) : 0;
    *registrant_id = row && !db_col_is_null(s, 2) ? db_col_int(s, 2) : 0;
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err domain_create_prepare(const struct reg_op *op, const struct domain_create *in,
                              struct domain_create_ready *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    struct domain_name *dn = &out->dn;
    if (names_domain(&op->policy->names, in->name, dn, st))
        return st->code;
    char label[NAME_MAX_LEN + 1];
    snprintf(label, sizeof label, "%s", dn->alabel);
    *strchr(label, '.') = '\0';
    if (policy_is_reserved(op->policy, label))
        return reg_fail(st, REG_ERR_POLICY, "%s is reserved and cannot be registered", dn->alabel);
    if (check_period(op, in->period_months, &out->months, st))
        return st->code;
    if (!in->registrant || !*in->registrant)
        return reg_fail(st, REG_ERR_MISSING, "a domain needs a registrant");
    if (in->management && strcmp(in->management, "registrar") && strcmp(in->management, "registrant"))
        return reg_fail(st, REG_ERR_INVALID, "management is registrar or registrant");
    if (in->management)
        str_copy(out->management, sizeof out->management, in->management);
    for (size_t i = 0; i < in->nds; i++) {
        out->ds[i] = in->ds[i];
        if (check_ds(&out->ds[i], st))
            return st->code;
    }
    if (terms_check(op, in->terms_version, in->terms_accepted, &out->terms_accepted, st)) /* R20 */
        return st->code;
    out->has_hash = in->authinfo && *in->authinfo;
    if (out->has_hash && secret_authinfo_hash(in->authinfo, out->hash))
        return reg_fail(st, REG_ERR_INTERNAL, "cannot hash the auth info");
    return REG_OK;
}

reg_err domain_create(const struct reg_op *op, const struct domain_create *in,
                      struct domain *out, reg_status *st)
{
    struct domain_create_ready here;
    const struct domain_create_ready *r = in->ready;
    if (!r) {
        if (domain_create_prepare(op, in, &here, st))
            return st->code;
        r = &here;
    }
    /* read in the transaction: on SQLite a read before it, on a
     * connection of its own, found its page cache emptied by the last
     * commit and cost more than it saved the writer (issue 18) */
    char management[16];
    int64_t existing, registrant;
    if (create_reads(op, r->dn.alabel, in->registrant, management, &existing, &registrant, st))
        return st->code;
    if (r->management[0])
        str_copy(management, sizeof management, r->management);
    if (existing)
        return reg_fail(st, REG_ERR_EXISTS, "domain %s is already registered", r->dn.alabel);
    if (!registrant)
        return reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", in->registrant);
    struct contact_refs refs = {.handle = {in->registrant}, .id = {registrant}, .n = 1};
    if (idcheck_registrant(op, registrant, r->dn.alabel, st)) /* R21, R22 */
        return st->code;
    /* R23: debited in the same transaction; 2104 leaves nothing behind */
    if (billing_charge(op, op->registrar_id, "create", r->months / 12, "domain", r->dn.alabel,
                       NULL, st))
        return st->code;
    struct domain_row row = {.alabel = r->dn.alabel, .ulabel = r->dn.ulabel,
                             .registrant_id = registrant,
                             .authinfo_hash = r->has_hash ? r->hash : NULL,
                             .management = management,
                             .expires_at = clock_add_months(op->now, r->months),
                             .terms_version = in->terms_version,
                             .terms_accepted_at = r->terms_accepted};
    struct domain_inserted ins;
    if (domain_store_insert(op, &row, &ins, st))
        return st->code;
    int64_t id = ins.id;
    for (size_t i = 0; i < in->ncontacts; i++)
        if (link_contact(op, &refs, id, &in->contacts[i], true, st))
            return st->code;
    for (size_t i = 0; i < in->nns; i++)
        if (link_host(op, id, in->ns[i], true, st))
            return st->code;
    for (size_t i = 0; i < in->nds; i++)
        if (ds_change(op, id, &r->ds[i], true, st))
            return st->code;
    if (!ins.account_id && account_attach_domain(op, id, st)) /* R37: the holder's first */
        return st->code;
    /* the new domain for its history version and the answer, its row
     * from what was written (issue 18: reading it back cost about 3 % of
     * a create's CPU). Anything that changes the row between the INSERT
     * and here (a trigger, a later step of this function) must be added
     * to domain_store_load_new: test_domain compares the two. */
    struct domain here_d, *d = out ? out : &here_d;
    reg_err e = domain_store_load_new(op, &row, &ins, d, st);
    if (!e)
        e = domain_record_version_of(op, d, "create", st);
    if (e || !out)
        domain_free(d); /* after a failed load, a second free does nothing */
    return e;
}

/* ---- update ----------------------------------------------------------------- */

/* RFC 5731 §2.3: with clientUpdateProhibited only its own removal passes. */
static bool only_unlocks(const struct domain_update *u)
{
    return u->nrem_status == 1 && !strcmp(u->rem_status[0], "clientUpdateProhibited") &&
           !u->nadd_ns && !u->nrem_ns && !u->nadd_contacts && !u->nrem_contacts &&
           !u->nadd_status && !u->chg_registrant && !u->chg_authinfo && !u->nadd_ds &&
           !u->nrem_ds && !u->rem_all_ds;
}

static reg_err check_update_allowed(const struct reg_op *op, const struct domain *d,
                                    const struct domain_update *u, reg_status *st)
{
    if (!domain_is_sponsor(op, d))
        return reg_fail(st, REG_ERR_AUTHZ, "%s is sponsored by another registrar", d->name.alabel);
    struct status_set effective = d->statuses;
    if (only_unlocks(u) && status_has(&d->statuses, "clientUpdateProhibited")) {
        /* check the others as if the lock were gone */
        effective.n = 0;
        for (size_t i = 0; i < d->statuses.n; i++)
            if (strcmp(d->statuses.items[i].name, "clientUpdateProhibited"))
                effective.items[effective.n++] = d->statuses.items[i];
    }
    if (status_allows(&effective, OP_UPDATE, st))
        return st->code;
    for (size_t i = 0; i < u->nadd_status; i++)
        if (!status_client_settable("domain", u->add_status[i]))
            return reg_fail(st, REG_ERR_POLICY, "status %s can only be set by the registry",
                            u->add_status[i]);
        else if (status_message_check(u->add_status[i], u->add_status_msg[i], st))
            return st->code;
    for (size_t i = 0; i < u->nrem_status; i++)
        if (!status_client_settable("domain", u->rem_status[i]))
            return reg_fail(st, REG_ERR_POLICY, "status %s can only be removed by the registry",
                            u->rem_status[i]);
    for (size_t i = 0; i < u->nrem_status; i++) /* as for contacts and hosts */
        if (!status_has(&d->statuses, u->rem_status[i]))
            return reg_fail(st, REG_ERR_POLICY, "status %s is not set on %s", u->rem_status[i],
                            d->name.alabel);
    return REG_OK;
}

static reg_err apply_statuses(const struct reg_op *op, int64_t id, const struct domain_update *u,
                              reg_status *st)
{
    reg_err e = REG_OK;
    for (size_t i = 0; i < u->nrem_status && !e; i++)
        e = status_remove(op->db, "domain", id, u->rem_status[i]);
    for (size_t i = 0; i < u->nadd_status && !e; i++)
        e = status_add(op->db, "domain", id, u->add_status[i], u->add_status_msg[i]);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err apply_links(const struct reg_op *op, int64_t id, const struct domain_update *u,
                           reg_status *st)
{
    for (size_t i = 0; i < u->nrem_ns; i++)
        if (link_host(op, id, u->rem_ns[i], false, st))
            return st->code;
    for (size_t i = 0; i < u->nadd_ns; i++)
        if (link_host(op, id, u->add_ns[i], true, st))
            return st->code;
    for (size_t i = 0; i < u->nrem_contacts; i++)
        if (link_contact(op, NULL, id, &u->rem_contacts[i], false, st))
            return st->code;
    for (size_t i = 0; i < u->nadd_contacts; i++)
        if (link_contact(op, NULL, id, &u->add_contacts[i], true, st))
            return st->code;
    return REG_OK;
}

static reg_err apply_ds(const struct reg_op *op, int64_t id, const struct domain_update *u,
                        reg_status *st)
{
    if (u->rem_all_ds) {
        db_stmt *s = db_query(op->db, "DELETE FROM ds_record WHERE domain_id = ?");
        db_bind_int(s, 1, id);
        reg_err e = db_run(s);
        if (e)
            return op_db_fail(op, st, e);
    }
    for (size_t i = 0; i < u->nrem_ds; i++) {
        struct ds_data ds = u->rem_ds[i];
        for (char *p = ds.digest; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (ds_change(op, id, &ds, false, st))
            return st->code;
    }
    for (size_t i = 0; i < u->nadd_ds; i++) {
        struct ds_data ds = u->add_ds[i];
        if (check_ds(&ds, st) || ds_change(op, id, &ds, true, st))
            return st->code;
    }
    return REG_OK;
}

static reg_err count_limit(const struct reg_op *op, int64_t id, reg_status *st)
{
    int64_t n;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    db_stmt *s = db_query(op->db, "SELECT (SELECT COUNT(*) FROM domain_host WHERE domain_id = ?), "
                                  "(SELECT COUNT(*) FROM ds_record WHERE domain_id = ?)");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, id);
    int64_t nds = 0;
    n = 0;
    if (db_next(s)) {
        n = db_col_int(s, 0);
        nds = db_col_int(s, 1);
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (n > DOMAIN_NS_MAX)
        return reg_fail(st, REG_ERR_POLICY, "at most %d name servers per domain", DOMAIN_NS_MAX);
    if (nds > DOMAIN_DS_MAX)
        return reg_fail(st, REG_ERR_POLICY, "at most %d DS records per domain", DOMAIN_DS_MAX);
    return REG_OK;
}

static reg_err registrant_of(const struct reg_op *op, int64_t id, int64_t *out, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT registrant_id FROM domain WHERE id = ?");
    db_bind_int(s, 1, id);
    *out = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err domain_update(const struct reg_op *op, const struct domain_update *u, reg_status *st)
{
    struct domain d;
    if (domain_load_input(op, u->name, &d, NULL, 0, st))
        return st->code;
    reg_err e = check_update_allowed(op, &d, u, st);
    int64_t id = d.id;
    char alabel[NAME_MAX_LEN + 1];
    str_copy(alabel, sizeof alabel, d.name.alabel);
    domain_free(&d);
    if (e)
        return e;
    if ((e = apply_statuses(op, id, u, st)) || (e = apply_links(op, id, u, st)) ||
        (e = apply_ds(op, id, u, st)) || (e = count_limit(op, id, st)))
        return e;
    int64_t registrant = 0, old_registrant = 0;
    if (u->chg_registrant && !*u->chg_registrant)
        return reg_fail(st, REG_ERR_POLICY, "a domain needs a registrant; it cannot be removed");
    if (u->chg_registrant && (contact_ref(op, u->chg_registrant, &registrant, st) ||
                              registrant_of(op, id, &old_registrant, st)))
        return st->code;
    if (registrant && registrant != old_registrant &&
        idcheck_registrant(op, registrant, alabel, st)) /* R21, R22 */
        return st->code;
    char hash[SECRET_AUTHINFO_HASH_LEN] = "";
    bool set_auth = u->chg_authinfo && u->authinfo && *u->authinfo;
    if (set_auth && secret_authinfo_hash(u->authinfo, hash))
        return reg_fail(st, REG_ERR_INTERNAL, "cannot hash the auth info");
    if (domain_store_update(op, id, registrant, u->chg_authinfo, set_auth ? hash : NULL, st))
        return st->code;
    /* R15: the sponsor setting auth info answers an auth-code request */
    if (set_auth && authinfo_requests_close(op, id, "authinfo-set", st))
        return st->code;
    /* R37: the domain moves to the new registrant's account */
    if (registrant && registrant != old_registrant && account_attach_domain(op, id, st))
        return st->code;
    if (domain_record_version(op, alabel, "update", st))
        return st->code;
    /* R6: another contact object as registrant is a change of registrant;
     * R10: the old and the new registrant are told */
    if (registrant && registrant != old_registrant)
        return notice_registrant_change(op, id, old_registrant, st);
    return REG_OK;
}

/* R6–R8: a change of registrant waits for the registrant unless verified.
 * The whole command is tried first (and rolled back), so whatever would
 * fail fails now, not 48 hours later on the registrant's click. */
reg_err domain_update_request(const struct reg_op *op, const struct domain_update *u,
                              bool verified, bool *pending, reg_status *st)
{
    *pending = false;
    if (verified || !u->chg_registrant || !*u->chg_registrant)
        return domain_update(op, u, st);
    struct domain d;
    if (domain_load_input(op, u->name, &d, NULL, 0, st))
        return st->code;
    int64_t id = d.id, old_registrant = 0, registrant = 0;
    domain_free(&d);
    if (registrant_of(op, id, &old_registrant, st) ||
        contact_ref(op, u->chg_registrant, &registrant, st))
        return st->code;
    if (registrant == old_registrant) /* R6: the same contact object is no change */
        return domain_update(op, u, st);
    if (u->chg_authinfo) /* R7: the auth info would change before the confirmation */
        return reg_fail(st, REG_ERR_POLICY,
                        "a change of registrant waits for the registrant's confirmation: "
                        "change the auth info in a separate update, or add <regd:verified/>");
    if (db_savepoint(op->db, "registrant_change_trial"))
        return op_db_fail(op, st, REG_ERR_DB);
    reg_err e = domain_update(op, u, st);
    if (db_rollback_to(op->db, "registrant_change_trial") ||
        db_release(op->db, "registrant_change_trial"))
        return op_db_fail(op, st, REG_ERR_DB);
    if (e)
        return e;
    *pending = true;
    return pending_registrant_change(op, id, u, st);
}

/* ---- delete, restore, purge (RFC 3915) ---------------------------------------- */


static reg_err subordinates_in_use(const struct reg_op *op, const struct domain *d, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT h.name FROM host h WHERE h.superordinate_id = ? "
                                  "ORDER BY h.name LIMIT 1");
    db_bind_int(s, 1, d->id);
    char name[NAME_MAX_LEN + 1] = "";
    if (db_next(s))
        str_copy(name, sizeof name, db_col_text(s, 0));
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (name[0])
        return reg_fail(st, REG_ERR_ASSOCIATION,
                        "delete or rename the hosts under %s first (%s)", d->name.alabel, name);
    return REG_OK;
}

static reg_err check_delete_allowed(const struct reg_op *op, const struct domain *d,
                                   reg_status *st)
{
    if (!domain_is_sponsor(op, d))
        return reg_fail(st, REG_ERR_AUTHZ, "%s is sponsored by another registrar", d->name.alabel);
    if (status_allows(&d->statuses, OP_DELETE, st))
        return st->code;
    return subordinates_in_use(op, d, st);
}

reg_err domain_delete_request(const struct reg_op *op, const char *name, bool verified,
                              enum domain_delete_outcome *outcome, reg_status *st)
{
    if (verified) {
        bool rgp = false;
        reg_err e = domain_delete(op, name, &rgp, st);
        *outcome = rgp ? DOMAIN_DELETE_REDEMPTION : DOMAIN_DELETE_DONE;
        return e;
    }
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    reg_err e = check_delete_allowed(op, &d, st);
    int64_t id = d.id;
    domain_free(&d);
    if (e)
        return e;
    *outcome = DOMAIN_DELETE_AWAITING_REGISTRANT;
    return pending_delete(op, id, st); /* R7 */
}

reg_err domain_delete(const struct reg_op *op, const char *name, bool *pending, reg_status *st)
{
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    reg_err e = check_delete_allowed(op, &d, st);
    int64_t id = d.id;
    char alabel[NAME_MAX_LEN + 1];
    str_copy(alabel, sizeof alabel, d.name.alabel);
    domain_free(&d);
    if (e)
        return e;
    *pending = op->policy->redemption_period > 0;
    /* R10: the registrant hears of the request (before a purge takes the
     * domain and its registrant link away) */
    if (notice_delete_request(op, id, *pending ? op->now + op->policy->redemption_period : 0, st))
        return st->code;
    if (!*pending)
        return domain_purge_id(op, id, alabel, st);
    if (domain_store_set_deletion(op, id,
                                  op->now + op->policy->redemption_period +
                                      op->policy->pending_delete_period,
                                  true, st))
        return st->code;
    if ((e = status_add(op->db, "domain", id, "pendingDelete", NULL)))
        return op_db_fail(op, st, e);
    return domain_record_version(op, alabel, "delete", st);
}

reg_err domain_restore(const struct reg_op *op, const char *name, reg_status *st)
{
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    reg_err e = REG_OK;
    if (!domain_is_sponsor(op, &d))
        e = reg_fail(st, REG_ERR_AUTHZ, "%s is sponsored by another registrar", d.name.alabel);
    else if (strcmp(d.rgp, "redemptionPeriod"))
        e = reg_fail(st, REG_ERR_NOT_RENEWABLE, "%s is not in its redemption period",
                     d.name.alabel);
    int64_t id = d.id;
    char alabel[NAME_MAX_LEN + 1];
    str_copy(alabel, sizeof alabel, d.name.alabel);
    domain_free(&d);
    if (e)
        return e;
    if (billing_charge(op, op->registrar_id, "restore", 1, "domain", alabel, NULL, st))
        return st->code;
    if (domain_store_set_deletion(op, id, 0, true, st))
        return st->code;
    if ((e = status_remove(op->db, "domain", id, "pendingDelete")))
        return op_db_fail(op, st, e);
    return domain_record_version(op, alabel, "restore", st);
}


/* ---- renew ------------------------------------------------------------------- */

/* The serverHold the domain-hold job set for expiry (message "expired")
 * goes when the domain is renewed; any other serverHold stays. */
static reg_err lift_expiry_hold(const struct reg_op *op, int64_t id)
{
    db_stmt *s = db_query(op->db, "DELETE FROM object_status WHERE object_kind = 'domain' AND "
                                  "object_id = ? AND status = 'serverHold' AND message = 'expired'");
    db_bind_int(s, 1, id);
    return db_run(s);
}

reg_err domain_renew(const struct reg_op *op, const char *name, const char *cur_exp_date,
                     int period_months, reg_time *new_expiry, reg_status *st)
{
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    reg_err e = REG_OK;
    int months = 0;
    char date[16];
    clock_format_date(d.expires_at, date, sizeof date);
    if (!domain_is_sponsor(op, &d))
        e = reg_fail(st, REG_ERR_AUTHZ, "%s is sponsored by another registrar", d.name.alabel);
    else if (status_allows(&d.statuses, OP_RENEW, st))
        e = st->code;
    else if (!cur_exp_date || strcmp(cur_exp_date, date))
        e = reg_fail(st, REG_ERR_POLICY, "curExpDate %s is not the expiry date %s",
                     cur_exp_date ? cur_exp_date : "", date);
    else if (check_period(op, period_months, &months, st))
        e = st->code;
    reg_time expiry = e ? 0 : clock_add_months(d.expires_at, months);
    if (!e && expiry > clock_add_months(op->now, op->policy->max_period * 12))
        e = reg_fail(st, REG_ERR_POLICY, "the new expiry would be more than %d years ahead",
                     op->policy->max_period);
    int64_t id = d.id;
    reg_time old_expiry = d.expires_at;
    bool registrant_pays = !strcmp(d.management, "registrant"); /* R19 */
    char alabel[NAME_MAX_LEN + 1];
    str_copy(alabel, sizeof alabel, d.name.alabel);
    domain_free(&d);
    if (e)
        return e;
    /* R23 debits the sponsor; R19 invoices the registrant of a
     * registrant-managed domain instead. Either lock (the registrar row,
     * the invoice counter) is taken before the domain row is written. */
    if (registrant_pays ? registrant_invoice_renewal(op, id, "renew", months / 12, old_expiry,
                                                     expiry, NULL, st)
                        : billing_charge(op, op->registrar_id, "renew", months / 12, "domain",
                                         alabel, NULL, st))
        return st->code;
    if (domain_store_set_expiry(op, id, expiry, true, st))
        return st->code;
    if (expiry > op->now && (e = lift_expiry_hold(op, id)))
        return op_db_fail(op, st, e);
    *new_expiry = expiry;
    return domain_record_version(op, alabel, "renew", st);
}
