/* The registrar portal's contacts and hosts, registry side (portal_objects.h). */
#include "portal_objects.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "contrib/strutil.h"

/* %part% in lower case with LIKE's own characters escaped ("" for none). */
static void like_of(const char *q, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    if (!q || !*q || n < 4)
        return;
    out[k++] = '%';
    for (const char *p = q; *p && k + 3 < n; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            out[k++] = '\\';
        out[k++] = (char)tolower((unsigned char)*p);
    }
    out[k++] = '%';
    out[k] = '\0';
}

static void clamp(int64_t *offset, size_t *limit)
{
    if (*limit > PORTAL_OBJECTS_PAGE_MAX)
        *limit = PORTAL_OBJECTS_PAGE_MAX;
    if (*offset < 0)
        *offset = 0;
}

/* The registrar's id and the pattern (NULL: all) from position 1, once
 * for each `uses` of it in the WHERE clause. */
static int bind_where(db_stmt *q, int64_t registrar_id, const char *like, int uses)
{
    int pos = 1;
    db_bind_int(q, pos++, registrar_id);
    db_bind_text(q, pos++, like[0] ? like : NULL);
    for (int i = 0; i < uses; i++)
        db_bind_text(q, pos++, like[0] ? like : NULL);
    return pos;
}

static reg_err count_of(const struct reg_op *op, const char *sql, int64_t registrar_id,
                        const char *like, int uses, int64_t *total)
{
    db_stmt *q = db_query(op->db, sql);
    bind_where(q, registrar_id, like, uses);
    *total = db_next(q) ? db_col_int(q, 0) : 0;
    return db_done(q);
}

/* ---- contacts ------------------------------------------------------------------------------ */

#define CONTACT_WHERE                                                                              \
    " FROM contact c WHERE c.sponsor_id = ? AND (CAST(? AS TEXT) IS NULL OR LOWER(c.handle) "    \
    "LIKE ? ESCAPE '\\' OR LOWER(c.email) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM "          \
    "contact_postal p WHERE p.contact_id = c.id AND LOWER(p.name) LIKE ? ESCAPE '\\'))"

/* The loc postalInfo's field, else the int one's. */
#define POSTAL(col)                                                                                \
    "(SELECT p." col " FROM contact_postal p WHERE p.contact_id = c.id ORDER BY CASE p.type "     \
    "WHEN 'loc' THEN 0 ELSE 1 END LIMIT 1)"

reg_err portal_contacts_page(const struct reg_op *op, int64_t registrar_id, const char *q,
                             int64_t offset, size_t limit, struct portal_contact_row *rows,
                             size_t *n, int64_t *total, reg_status *st)
{
    char like[3 * CONTACT_ID_MAX + 256];
    like_of(q, like, sizeof like);
    clamp(&offset, &limit);
    *n = 0;
    reg_err e = count_of(op, "SELECT COUNT(*)" CONTACT_WHERE, registrar_id, like, 3, total);
    if (e)
        return op_db_fail(op, st, e);
    db_stmt *s = db_query(
        op->db,
        "SELECT c.handle, " POSTAL("name") ", " POSTAL("org") ", c.email, c.created_at, "
        "CASE WHEN EXISTS (SELECT 1 FROM domain d WHERE d.registrant_id = c.id) OR EXISTS "
        "(SELECT 1 FROM domain_contact dc WHERE dc.contact_id = c.id) OR EXISTS (SELECT 1 FROM "
        "host h WHERE h.admin_contact_id = c.id) THEN 1 ELSE 0 END" CONTACT_WHERE
        " ORDER BY c.handle LIMIT ? OFFSET ?");
    int pos = bind_where(s, registrar_id, like, 3);
    db_bind_int(s, pos++, (int64_t)limit);
    db_bind_int(s, pos, offset);
    while (*n < limit && db_next(s)) {
        struct portal_contact_row *r = &rows[(*n)++];
        memset(r, 0, sizeof *r);
        str_copy(r->handle, sizeof r->handle, db_col_text(s, 0));
        str_copy(r->name, sizeof r->name, db_col_text(s, 1) ? db_col_text(s, 1) : "");
        str_copy(r->org, sizeof r->org, db_col_text(s, 2) ? db_col_text(s, 2) : "");
        str_copy(r->email, sizeof r->email, db_col_text(s, 3) ? db_col_text(s, 3) : "");
        r->created_at = db_col_int(s, 4);
        r->linked = db_col_int(s, 5) != 0;
    }
    e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err portal_contact_uses(const struct reg_op *op, const char *handle, size_t max,
                            void (*fn)(const char *name, const char *role, void *arg), void *arg,
                            reg_status *st)
{
    db_stmt *s = db_query(
        op->db, "SELECT name, role FROM (SELECT d.name AS name, 'registrant' AS role FROM domain "
                "d JOIN contact c ON c.id = d.registrant_id WHERE c.handle = ? UNION ALL SELECT "
                "d.name, dc.role FROM domain_contact dc JOIN domain d ON d.id = dc.domain_id "
                "JOIN contact c ON c.id = dc.contact_id WHERE c.handle = ? UNION ALL SELECT "
                "h.name, 'host' FROM host h JOIN contact c ON c.id = h.admin_contact_id WHERE "
                "c.handle = ?) u ORDER BY name, role LIMIT ?");
    for (int i = 1; i <= 3; i++)
        db_bind_text(s, i, handle);
    db_bind_int(s, 4, (int64_t)max);
    while (db_next(s))
        fn(db_col_text(s, 0), db_col_text(s, 1), arg);
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* ---- hosts --------------------------------------------------------------------------------- */

#define HOST_WHERE                                                                                 \
    " FROM host h WHERE h.sponsor_id = ? AND (CAST(? AS TEXT) IS NULL OR h.name LIKE ? "         \
    "ESCAPE '\\')"

reg_err portal_hosts_page(const struct reg_op *op, int64_t registrar_id, const char *q,
                          int64_t offset, size_t limit, struct portal_host_row *rows, size_t *n,
                          int64_t *total, reg_status *st)
{
    char like[3 * NAME_MAX_LEN + 8];
    like_of(q, like, sizeof like);
    clamp(&offset, &limit);
    *n = 0;
    reg_err e = count_of(op, "SELECT COUNT(*)" HOST_WHERE, registrar_id, like, 1, total);
    if (e)
        return op_db_fail(op, st, e);
    db_stmt *s = db_query(op->db, "SELECT h.name, h.created_at, CASE WHEN EXISTS (SELECT 1 "
                                  "FROM domain_host dh WHERE dh.host_id = h.id) THEN 1 ELSE 0 "
                                  "END" HOST_WHERE " ORDER BY h.name LIMIT ? OFFSET ?");
    int pos = bind_where(s, registrar_id, like, 1);
    db_bind_int(s, pos++, (int64_t)limit);
    db_bind_int(s, pos, offset);
    while (*n < limit && db_next(s)) {
        struct portal_host_row *r = &rows[(*n)++];
        memset(r, 0, sizeof *r);
        str_copy(r->name, sizeof r->name, db_col_text(s, 0));
        r->created_at = db_col_int(s, 1);
        r->linked = db_col_int(s, 2) != 0;
    }
    e = db_done(s);
    /* the addresses, a page's hosts at a time (IPv4 first, as host_info) */
    for (size_t i = 0; !e && i < *n; i++) {
        db_stmt *a = db_query(op->db, "SELECT a.address FROM host_address a JOIN host h ON h.id "
                                      "= a.host_id WHERE h.name = ? ORDER BY a.version, "
                                      "a.address");
        db_bind_text(a, 1, rows[i].name);
        while (db_next(a)) {
            size_t len = strlen(rows[i].addrs);
            snprintf(rows[i].addrs + len, sizeof rows[i].addrs - len, "%s%s", len ? " " : "",
                     db_col_text(a, 0));
        }
        e = db_done(a);
    }
    return e ? op_db_fail(op, st, e) : REG_OK;
}
