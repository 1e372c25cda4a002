/* R4: a transferred domain's registrant and admin/tech/billing contacts
 * follow it to the gaining registrar as copies (contact_copy.h). Re-pointing
 * the domain this way is not a change of registrant (R6): the person is the
 * same, only the object holding their data is new. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact_copy.h"
#include "names.h"
#include "transfer.h"

/* The domain's contacts (registrant and every role, each once) that
 * another registrar than `gaining_id` sponsors. */
static reg_err foreign_contacts(const struct reg_op *op, int64_t domain_id, int64_t gaining_id,
                                int64_t **ids, size_t *n, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT c.id FROM contact c WHERE c.sponsor_id <> ? AND "
                                  "(c.id = (SELECT registrant_id FROM domain WHERE id = ?) OR "
                                  "c.id IN (SELECT contact_id FROM domain_contact WHERE "
                                  "domain_id = ?)) ORDER BY c.id");
    db_bind_int(s, 1, gaining_id);
    db_bind_int(s, 2, domain_id);
    db_bind_int(s, 3, domain_id);
    size_t cap = 0;
    bool nomem = false;
    *ids = NULL;
    *n = 0;
    while (!nomem && db_next(s)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            int64_t *p = realloc(*ids, cap * sizeof **ids);
            if (!p) {
                nomem = true;
                break;
            }
            *ids = p;
        }
        (*ids)[(*n)++] = db_col_int(s, 0);
    }
    reg_err e = db_done(s);
    if (nomem)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* Every link of the domain to contact `from` now goes to `to`. Two old
 * contacts may share one copy (both identical to it), so a role already
 * held by `to` is not inserted twice. */
static reg_err repoint(const struct reg_op *op, int64_t domain_id, int64_t from, int64_t to,
                       reg_status *st)
{
    if (domain_store_replace_registrant(op, domain_id, from, to, st))
        return st->code;
    db_stmt *s = db_query(op->db, "INSERT INTO domain_contact (domain_id, contact_id, role) "
                                  "SELECT domain_id, ?, role FROM domain_contact WHERE domain_id "
                                  "= ? AND contact_id = ? ON CONFLICT DO NOTHING");
    db_bind_int(s, 1, to);
    db_bind_int(s, 2, domain_id);
    db_bind_int(s, 3, from);
    reg_err e = db_run(s);
    if (!e) {
        s = db_query(op->db, "DELETE FROM domain_contact WHERE domain_id = ? AND contact_id = ?");
        db_bind_int(s, 1, domain_id);
        db_bind_int(s, 2, from);
        e = db_run(s);
    }
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err domain_name_of(const struct reg_op *op, int64_t domain_id,
                              char name[NAME_MAX_LEN + 1], reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT name FROM domain WHERE id = ?");
    db_bind_int(s, 1, domain_id);
    snprintf(name, NAME_MAX_LEN + 1, "%s", db_next(s) ? db_col_text(s, 0) : "");
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err transfer_contacts_follow(const struct reg_op *op, int64_t domain_id, int64_t gaining_id,
                                 const char *gaining, reg_status *st)
{
    char name[NAME_MAX_LEN + 1];
    int64_t *ids;
    size_t n;
    if (domain_name_of(op, domain_id, name, st) ||
        foreign_contacts(op, domain_id, gaining_id, &ids, &n, st))
        return st->code;
    reg_err e = REG_OK;
    for (size_t i = 0; !e && i < n; i++) {
        struct contact_copy c;
        if (!(e = contact_copy_for(op, ids[i], gaining_id, gaining, name, &c, st)))
            e = repoint(op, domain_id, ids[i], c.id, st);
    }
    free(ids);
    return e;
}
