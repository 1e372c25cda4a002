#include "registrant_invoice.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "billing.h"
#include "contrib/clock.h"
#include "contrib/strbuf.h"
#include "contrib/strutil.h"
#include "notices.h"

#define DEFAULT_CURRENCY "DKK" /* [billing] currency */

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

void registrant_invoice_free(struct registrant_invoice *inv)
{
    if (!inv)
        return;
    free(inv->payer_handle);
    free(inv->payer_name);
    free(inv->payer_org);
    free(inv->payer_address);
    free(inv->payer_email);
    free(inv->svtrid);
    free(inv->payment_ref);
    memset(inv, 0, sizeof *inv);
}

bool registrant_invoice_number_parse(const char *s, int64_t *number)
{
    if (!s || (s[0] != 'R' && s[0] != 'r') || s[1] < '1' || s[1] > '9')
        return false;
    int64_t n = 0;
    for (const char *p = s + 1; *p; p++) {
        if (*p < '0' || *p > '9' || n > (INT64_MAX - 9) / 10)
            return false;
        n = n * 10 + (*p - '0');
    }
    *number = n;
    return true;
}

/* ---- the payer ------------------------------------------------------------------ */

struct payer {
    const char *kind;
    int64_t contact_id;
    char handle[128], name[256], org[256], email[320];
    strbuf address; /* lines, '\n' between them */
};

/* The contact's postal data (the local form, else the international) as
 * name, organisation and address lines. */
static reg_err load_contact(const struct reg_op *op, int64_t contact_id, struct payer *p,
                            reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT c.handle, c.email, p.name, p.org, p.street1, "
                                  "p.street2, p.street3, p.pc, p.city, p.sp, p.cc FROM contact c "
                                  "LEFT JOIN contact_postal p ON p.contact_id = c.id WHERE "
                                  "c.id = ? ORDER BY p.type DESC LIMIT 1");
    db_bind_int(s, 1, contact_id); /* "loc" sorts after "int": DESC prefers the local form */
    bool found = db_next(s);
    if (found) {
        str_copy(p->handle, sizeof p->handle, db_col_text(s, 0));
        str_copy(p->email, sizeof p->email, db_col_text(s, 1));
        str_copy(p->name, sizeof p->name, db_col_text(s, 2));
        str_copy(p->org, sizeof p->org, db_col_text(s, 3));
        for (int col = 4; col <= 6; col++)
            if (db_col_text(s, col) && *db_col_text(s, col))
                sb_printf(&p->address, "%s\n", db_col_text(s, col));
        const char *pc = db_col_text(s, 7), *city = db_col_text(s, 8), *sp = db_col_text(s, 9);
        if (city && *city)
            sb_printf(&p->address, "%s%s%s\n", pc && *pc ? pc : "", pc && *pc ? " " : "", city);
        if (sp && *sp)
            sb_printf(&p->address, "%s\n", sp);
        if (db_col_text(s, 10) && *db_col_text(s, 10))
            sb_printf(&p->address, "%s", db_col_text(s, 10));
        if (p->address.len && p->address.data[p->address.len - 1] == '\n')
            p->address.data[--p->address.len] = '\0';
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_INTERNAL, "the payer contact %lld is missing",
                        (long long)contact_id);
    return p->address.err ? reg_fail(st, REG_ERR_NOMEM, "out of memory") : REG_OK;
}

/* Who pays the renewal of domain_id. Today the registrant contact.
 * Hook for registrant accounts (R33-R35): when the domain belongs to an
 * account whose billing is "registrant" and whose b1 slot is filled,
 * bill b1 (kind "account") and mail b1-b3; that belongs here, and only
 * here, so the invoice, its mail and regctl follow. */
static reg_err resolve_payer(const struct reg_op *op, int64_t domain_id, struct payer *p,
                             int64_t *sponsor_id, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT registrant_id, sponsor_id FROM domain WHERE id = ?");
    db_bind_int(s, 1, domain_id);
    bool found = db_next(s);
    if (found) {
        p->contact_id = db_col_int(s, 0);
        *sponsor_id = db_col_int(s, 1);
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_INTERNAL, "domain %lld vanished before its invoice",
                        (long long)domain_id);
    p->kind = "registrant";
    return load_contact(op, p->contact_id, p, st);
}

/* ---- issuing -------------------------------------------------------------------- */

static reg_err next_number(const struct reg_op *op, int64_t *number, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE registrant_invoice_counter SET last = last + 1 "
                                  "WHERE id = 1 RETURNING last");
    *number = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!*number)
        return reg_fail(st, REG_ERR_DB, "the registrant invoice counter is missing");
    return REG_OK;
}

static reg_err insert(const struct reg_op *op, int64_t domain_id, const char *operation,
                      int years, reg_time from, reg_time to, int64_t sponsor_id,
                      const struct payer *p, int64_t amount, const char *currency, int64_t number,
                      reg_status *st)
{
    db_stmt *s = db_query(op->db,
                          "INSERT INTO registrant_invoice (number, domain_id, domain_name, "
                          "operation, years, period_start, period_end, sponsor_id, payer_kind, "
                          "payer_contact_id, payer_handle, payer_name, payer_org, payer_address, "
                          "payer_email, issued_at, due_at, amount, currency, actor, channel, "
                          "svtrid) SELECT ?, id, name, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                          "?, ?, ?, ?, ? FROM domain WHERE id = ?");
    int i = 1;
    db_bind_int(s, i++, number);
    db_bind_text(s, i++, operation);
    db_bind_int(s, i++, years);
    db_bind_int(s, i++, from);
    db_bind_int(s, i++, to);
    db_bind_int(s, i++, sponsor_id);
    db_bind_text(s, i++, p->kind);
    db_bind_int(s, i++, p->contact_id);
    db_bind_text(s, i++, p->handle);
    db_bind_text(s, i++, p->name[0] ? p->name : NULL);
    db_bind_text(s, i++, p->org[0] ? p->org : NULL);
    db_bind_text(s, i++, p->address.len ? sb_str(&p->address) : NULL);
    db_bind_text(s, i++, p->email[0] ? p->email : NULL);
    db_bind_int(s, i++, op->now);
    db_bind_int(s, i++, op->now + op->policy->registrant_invoice_due);
    db_bind_int(s, i++, amount);
    db_bind_text(s, i++, currency);
    db_bind_text(s, i++, op->actor ? op->actor : "staff");
    db_bind_text(s, i++, op->channel ? op->channel : "regctl");
    db_bind_text(s, i++, op->svtrid);
    db_bind_int(s, i++, domain_id);
    reg_err e = db_run(s);
    if (e == REG_ERR_DB_CONSTRAINT)
        return reg_fail(st, REG_ERR_INTERNAL, "this renewal period is invoiced already");
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err registrant_invoice_renewal(const struct reg_op *op, int64_t domain_id,
                                   const char *operation, int years, reg_time from, reg_time to,
                                   int64_t *number, reg_status *st)
{
    const char *currency = op->policy->currency ? op->policy->currency : DEFAULT_CURRENCY;
    int64_t amount = 0, n = 0, sponsor_id = 0;
    struct payer p = {0};
    sb_init(&p.address);
    /* no registrar: the default price, without overrides or rebates */
    reg_err e = billing_price(op, 0, operation, years, &amount, st);
    if (!e)
        e = resolve_payer(op, domain_id, &p, &sponsor_id, st);
    if (!e && amount > 0 && !(e = next_number(op, &n, st)))
        e = insert(op, domain_id, operation, years, from, to, sponsor_id, &p, amount, currency,
                   n, st);
    if (!e) {
        struct renewal_invoice inv = {
            .number = n,
            .amount = amount,
            .currency = currency,
            .issued = op->now,
            .due = op->now + op->policy->registrant_invoice_due,
            .from = from,
            .years = years,
            .payer_handle = p.handle,
            .payer_name = p.name,
            .payer_org = p.org,
            .payer_address = p.address.len ? sb_str(&p.address) : "",
        };
        e = notice_registrant_renewal(op, domain_id, p.email, p.name, to, n ? &inv : NULL, st);
    }
    sb_free(&p.address);
    if (!e && number)
        *number = n;
    return e;
}

/* ---- reading -------------------------------------------------------------------- */

#define COLUMNS                                                                                    \
    "SELECT i.id, i.number, i.domain_name, i.operation, i.years, i.period_start, i.period_end, " \
    "i.issued_at, i.due_at, r.handle, i.payer_kind, i.payer_handle, i.payer_name, i.payer_org, " \
    "i.payer_address, i.payer_email, i.amount, i.currency, i.svtrid, i.paid_at, i.payment_ref "  \
    "FROM registrant_invoice i "                                                                   \
    "JOIN registrar r ON r.id = i.sponsor_id "

static void read_row(db_stmt *s, struct registrant_invoice *out)
{
    memset(out, 0, sizeof *out);
    out->id = db_col_int(s, 0);
    out->number = db_col_int(s, 1);
    str_copy(out->domain, sizeof out->domain, db_col_text(s, 2));
    str_copy(out->operation, sizeof out->operation, db_col_text(s, 3));
    out->years = (int)db_col_int(s, 4);
    out->period_start = db_col_int(s, 5);
    out->period_end = db_col_int(s, 6);
    out->issued_at = db_col_int(s, 7);
    out->due_at = db_col_int(s, 8);
    str_copy(out->sponsor, sizeof out->sponsor, db_col_text(s, 9));
    str_copy(out->payer_kind, sizeof out->payer_kind, db_col_text(s, 10));
    out->payer_handle = dup_or_null(db_col_text(s, 11));
    out->payer_name = dup_or_null(db_col_text(s, 12));
    out->payer_org = dup_or_null(db_col_text(s, 13));
    out->payer_address = dup_or_null(db_col_text(s, 14));
    out->payer_email = dup_or_null(db_col_text(s, 15));
    out->amount = db_col_int(s, 16);
    str_copy(out->currency, sizeof out->currency, db_col_text(s, 17));
    out->svtrid = dup_or_null(db_col_text(s, 18));
    out->paid_at = db_col_int(s, 19);
    out->payment_ref = dup_or_null(db_col_text(s, 20));
}

/* s's rows (its parameters bound): the first into *one (when one; the
 * caller frees it, *found says whether there was one) or each to fn. */
static reg_err read_rows(db *d, db_stmt *s, struct registrant_invoice *one, bool *found,
                         void (*fn)(const struct registrant_invoice *inv, void *arg), void *arg,
                         reg_status *st)
{
    bool any = false;
    while ((!one || !any) && db_next(s)) {
        if (one) {
            read_row(s, one);
        } else {
            struct registrant_invoice inv;
            read_row(s, &inv);
            fn(&inv, arg);
            registrant_invoice_free(&inv);
        }
        any = true;
    }
    reg_err e = db_done(s);
    if (e && one && any)
        registrant_invoice_free(one);
    if (found)
        *found = any && !e;
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

static reg_err not_found(int64_t number, reg_status *st)
{
    return reg_fail(st, REG_ERR_NOT_FOUND, "there is no registrant invoice %s%lld",
                    REGISTRANT_INVOICE_PREFIX, (long long)number);
}

reg_err registrant_invoice_get(db *d, int64_t number, struct registrant_invoice *out,
                               reg_status *st)
{
    db_stmt *s = db_query(d, COLUMNS "WHERE i.number = ?");
    db_bind_int(s, 1, number);
    bool found;
    if (read_rows(d, s, out, &found, NULL, NULL, st))
        return st->code;
    return found ? REG_OK : not_found(number, st);
}

reg_err registrant_invoice_each(db *d, const char *payer_handle,
                                void (*fn)(const struct registrant_invoice *inv, void *arg),
                                void *arg, reg_status *st)
{
    db_stmt *s = db_query(d, COLUMNS "WHERE CAST(? AS TEXT) IS NULL OR i.payer_handle = ? "
                             "ORDER BY i.number");
    db_bind_text(s, 1, payer_handle);
    db_bind_text(s, 2, payer_handle);
    return read_rows(d, s, NULL, NULL, fn, arg, st);
}

/* ---- the registrant's own ------------------------------------------------------- */

/* "Invoice i is one contact ? may see": billed to it, or billed to the
 * registrant of a domain it holds while that registrant still holds it (a
 * former registrant's invoices stay that registrant's). */
#define HELD                                                                                       \
    "(i.payer_contact_id = ? OR EXISTS (SELECT 1 FROM domain d WHERE d.id = i.domain_id AND "   \
    "d.registrant_id = i.payer_contact_id AND " ACCOUNT_HOLDS_DOMAIN_SQL "))"
#define HELD_BINDS (1 + ACCOUNT_HOLDS_DOMAIN_BINDS)

static void bind_held(db_stmt *s, int first, int64_t contact_id)
{
    for (int i = 0; i < HELD_BINDS; i++)
        db_bind_int(s, first + i, contact_id);
}

reg_err registrant_invoice_each_held(db *d, int64_t contact_id,
                                     void (*fn)(const struct registrant_invoice *inv, void *arg),
                                     void *arg, reg_status *st)
{
    db_stmt *s = db_query(d, COLUMNS "WHERE " HELD " ORDER BY i.number DESC");
    bind_held(s, 1, contact_id);
    return read_rows(d, s, NULL, NULL, fn, arg, st);
}

reg_err registrant_invoice_get_held(db *d, int64_t contact_id, int64_t number,
                                    struct registrant_invoice *out, reg_status *st)
{
    db_stmt *s = db_query(d, COLUMNS "WHERE i.number = ? AND " HELD);
    db_bind_int(s, 1, number);
    bind_held(s, 2, contact_id);
    bool found;
    if (read_rows(d, s, out, &found, NULL, NULL, st))
        return st->code;
    return found ? REG_OK : not_found(number, st);
}

reg_err registrant_invoice_paid(const struct reg_op *op, int64_t number, const char *reference,
                                reg_status *st)
{
    if (!reference || !reference[0])
        return reg_fail(st, REG_ERR_MISSING, "give the payment's reference (--reference)");
    if (strlen(reference) > 200)
        return reg_fail(st, REG_ERR_RANGE, "the payment's reference is longer than 200 characters");
    db_stmt *s = db_query(op->db, "UPDATE registrant_invoice SET paid_at = ?, payment_ref = ?, "
                                  "paid_by = ? WHERE number = ? AND paid_at IS NULL");
    db_bind_int(s, 1, op->now);
    db_bind_text(s, 2, reference);
    db_bind_text(s, 3, op->actor ? op->actor : "staff");
    db_bind_int(s, 4, number);
    reg_err e = db_run(s);
    if (e)
        return op_db_fail(op, st, e);
    if (db_changes(op->db) == 1)
        return REG_OK;
    /* nothing changed: no such invoice, or paid already */
    struct registrant_invoice inv;
    if (registrant_invoice_get(op->db, number, &inv, st))
        return st->code;
    char when[REG_TIME_STRLEN];
    e = reg_fail(st, REG_ERR_EXISTS, "invoice %s%lld was recorded as paid on %s (reference %s)",
                 REGISTRANT_INVOICE_PREFIX, (long long)number,
                 clock_format(inv.paid_at, when, sizeof when), inv.payment_ref);
    registrant_invoice_free(&inv);
    return e;
}

const char *registrant_invoice_state(const struct registrant_invoice *inv, reg_time now)
{
    if (inv->paid_at)
        return "paid";
    return now > inv->due_at ? "overdue" : "open";
}

bool registrant_invoice_next(const struct registry_policy *p, const char *management,
                             reg_time expires, reg_time *at)
{
    /* lifecycle.c renew_one: the autorenew at expiry invoices the
     * registrant of a registrant-managed domain */
    if (!p->autorenew || !management || strcmp(management, "registrant"))
        return false;
    *at = expires;
    return true;
}

/* ---- consistency ---------------------------------------------------------------- */

static void report(void (*bad)(const char *, void *), void *arg, int64_t *problems,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void report(void (*bad)(const char *, void *), void *arg, int64_t *problems,
                   const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    (*problems)++;
    if (bad)
        bad(msg, arg);
}

reg_err registrant_invoice_verify(db *d, int64_t *invoices, int64_t *problems,
                                  void (*bad)(const char *problem, void *arg), void *arg,
                                  reg_status *st)
{
    *invoices = *problems = 0;
    db_stmt *s = db_query(d, "SELECT COUNT(*), COALESCE(MIN(number), 0), COALESCE(MAX(number), 0), "
                             "(SELECT last FROM registrant_invoice_counter WHERE id = 1) FROM "
                             "registrant_invoice");
    if (db_next(s)) {
        int64_t n = db_col_int(s, 0), lo = db_col_int(s, 1), hi = db_col_int(s, 2);
        int64_t counter = db_col_is_null(s, 3) ? -1 : db_col_int(s, 3);
        *invoices = n;
        const char *r = REGISTRANT_INVOICE_PREFIX;
        if (n && (lo != 1 || hi != n))
            report(bad, arg, problems,
                   "registrant invoice numbers are not %s1..%s%lld without gaps (lowest %s%lld, "
                   "highest %s%lld)", r, r, (long long)n, r, (long long)lo, r, (long long)hi);
        if (counter != hi)
            report(bad, arg, problems,
                   "the registrant invoice counter is at %lld but the last invoice is %s%lld",
                   (long long)counter, r, (long long)hi);
    }
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}
