/* "My domains" on the self-service site (selfservice.h): the domains a
 * contact holds, as a list and one at a time. The domain page's details
 * (statuses, name servers, DNSSEC, contacts) come from rdds_data.h. */
#include "selfservice.h"

#include <stdio.h>
#include <string.h>

#include "account.h"
#include "contrib/strutil.h"

#define DOMAIN_COLUMNS                                                                         \
    "d.name, COALESCE(d.uname, d.name), d.expires_at, g.handle, g.name, d.management, "        \
    "(SELECT p.kind FROM pending_action p WHERE p.domain_id = d.id AND p.state = 'pending' "   \
    "AND p.expires_at > ?), d.terms_version, d.terms_accepted_at FROM domain d JOIN registrar g " \
    "ON g.id = d.sponsor_id WHERE "

static void read_domain(db_stmt *q, struct selfservice_domain *out)
{
    memset(out, 0, sizeof *out);
    str_copy(out->name, sizeof out->name, db_col_text(q, 0));
    str_copy(out->uname, sizeof out->uname, db_col_text(q, 1));
    out->expires = db_col_int(q, 2);
    str_copy(out->registrar, sizeof out->registrar, db_col_text(q, 3));
    str_copy(out->registrar_name, sizeof out->registrar_name, db_col_text(q, 4));
    str_copy(out->management, sizeof out->management, db_col_text(q, 5));
    str_copy(out->pending, sizeof out->pending, db_col_text(q, 6));
    str_copy(out->terms_version, sizeof out->terms_version, db_col_text(q, 7));
    out->terms_accepted_at = db_col_int(q, 8);
}

/* Binds now and the contact's id for DOMAIN_COLUMNS ACCOUNT_HOLDS_DOMAIN_SQL;
 * the next parameter's number. */
static int bind_held(db_stmt *q, const struct reg_op *op, int64_t contact_id)
{
    db_bind_int(q, 1, op->now);
    for (int i = 0; i < ACCOUNT_HOLDS_DOMAIN_BINDS; i++)
        db_bind_int(q, i + 2, contact_id);
    return ACCOUNT_HOLDS_DOMAIN_BINDS + 2;
}

reg_err selfservice_domains_each(const struct reg_op *op, int64_t contact_id, const char *filter,
                                 void (*fn)(const struct selfservice_domain *d, void *arg),
                                 void *arg, reg_status *st)
{
    /* a filter matches either form in any case (LIKE's own characters
     * taken literally) */
    char pattern[2 * NAME_MAX_LEN + 8] = "%";
    size_t n = 1;
    for (const char *p = filter ? filter : ""; *p && n + 4 < sizeof pattern; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            pattern[n++] = '\\';
        pattern[n++] = *p;
    }
    pattern[n++] = '%';
    pattern[n] = '\0';
    db_stmt *q = db_query(op->db, "SELECT " DOMAIN_COLUMNS ACCOUNT_HOLDS_DOMAIN_SQL
                                  " AND (lower(d.name) LIKE lower(?) ESCAPE '\\' OR "
                                  "lower(COALESCE(d.uname, d.name)) LIKE lower(?) ESCAPE '\\') "
                                  "ORDER BY d.name");
    int i = bind_held(q, op, contact_id);
    db_bind_text(q, i, pattern);
    db_bind_text(q, i + 1, pattern);
    while (db_next(q)) {
        struct selfservice_domain d;
        read_domain(q, &d);
        fn(&d, arg);
    }
    reg_err e = db_done(q);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err selfservice_domain_get(const struct reg_op *op, int64_t contact_id, const char *name,
                               struct selfservice_domain *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    db_stmt *q = db_query(op->db, "SELECT " DOMAIN_COLUMNS ACCOUNT_HOLDS_DOMAIN_SQL
                                  " AND (d.name = lower(?) OR d.uname = ?)");
    int i = bind_held(q, op, contact_id);
    db_bind_text(q, i, name ? name : "");
    db_bind_text(q, i + 1, name ? name : "");
    bool found = db_next(q);
    if (found)
        read_domain(q, out);
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    return found ? REG_OK : reg_fail(st, REG_ERR_NOT_FOUND, "you hold no domain of that name");
}
