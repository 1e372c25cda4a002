#include "audit.h"

#include <stdbool.h>
#include <stddef.h>

reg_err audit_epp_record(db *d, const struct audit_entry *a, reg_status *st)
{
    db_stmt *s = db_query(d, "INSERT INTO epp_log (at, registrar_id, clid, session_id, peer, svtrid, "
                             "cltrid, command, result_code, duration_us, request, response) "
                             "VALUES (?, (SELECT id FROM registrar WHERE id = ?), ?, ?, ?, ?, ?, "
                             "?, ?, ?, ?, ?)");
    db_bind_int(s, 1, a->at);
    db_bind_int_or_null(s, 2, a->registrar_id, a->registrar_id);
    db_bind_text(s, 3, a->clid);
    db_bind_text(s, 4, a->session_id);
    db_bind_text(s, 5, a->peer);
    db_bind_text(s, 6, a->svtrid);
    db_bind_text(s, 7, a->cltrid && *a->cltrid ? a->cltrid : NULL);
    db_bind_text(s, 8, a->command);
    db_bind_int(s, 9, a->result_code);
    db_bind_int(s, 10, a->duration_us);
    db_bind_text(s, 11, a->request);
    db_bind_text(s, 12, a->response);
    /* a write nothing reads: the EPP workers defer it (db_defer_writes) */
    reg_err e = db_run_deferred(s);
    return e ? reg_fail(st, e, "cannot write the EPP log: %s", db_errmsg(d)) : REG_OK;
}

/* "%>key<%" for LIKE, the key in ASCII lower case with LIKE's own
 * characters escaped; "" when the key does not fit. */
static void object_pattern(const char *key, char *out, size_t n)
{
    size_t o = 0;
    out[o++] = '%';
    out[o++] = '>';
    for (const char *p = key; *p; p++) {
        if (o + 5 >= n) {
            out[0] = '\0';
            return;
        }
        if (*p == '%' || *p == '_' || *p == '\\')
            out[o++] = '\\';
        out[o++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    }
    out[o++] = '<';
    out[o++] = '%';
    out[o] = '\0';
}

reg_err audit_epp_each(db *d, const struct audit_filter *f,
                       void (*fn)(const struct audit_entry *a, void *arg), void *arg,
                       reg_status *st)
{
    char pattern[AUDIT_OBJECT_KEYS][600];
    for (int i = 0; i < AUDIT_OBJECT_KEYS; i++) {
        const char *key = f->objects[i] ? f->objects[i] : f->objects[0];
        pattern[i][0] = '\0';
        if (key)
            object_pattern(key, pattern[i], sizeof pattern[i]);
        if (key && !pattern[i][0])
            return reg_fail(st, REG_ERR_INVALID, "the object name is too long");
    }
    db_stmt *s = db_query(d, "SELECT l.at, l.registrar_id, l.clid, l.session_id, l.peer, l.svtrid, "
                             "l.cltrid, l.command, l.result_code, l.duration_us, l.request, "
                             "l.response FROM epp_log l LEFT JOIN registrar r ON r.id = "
                             "l.registrar_id WHERE l.at >= ? AND l.at < ? AND (CAST(? AS TEXT) IS NULL OR "
                             "r.handle = ? OR (l.registrar_id IS NULL AND UPPER(l.clid) = ?)) "
                             "AND (CAST(? AS TEXT) IS NULL OR l.svtrid = ?) "
                             "AND (CAST(? AS TEXT) IS NULL OR l.cltrid = ?) "
                             "AND (CAST(? AS TEXT) IS NULL "
                             "OR LOWER(l.request) LIKE ? ESCAPE '\\' "
                             "OR LOWER(l.response) LIKE ? ESCAPE '\\' "
                             "OR LOWER(l.request) LIKE ? ESCAPE '\\' "
                             "OR LOWER(l.response) LIKE ? ESCAPE '\\') "
                             "ORDER BY l.id DESC LIMIT ? OFFSET ?");
    /* a second key absent: the first again */
    const char *p0 = pattern[0][0] ? pattern[0] : NULL, *p1 = p0 ? pattern[1] : NULL;
    const char *texts[] = {f->registrar, f->registrar, f->registrar, f->svtrid, f->svtrid,
                           f->cltrid,    f->cltrid,    p0,           p0,        p0,
                           p1,           p1};
    db_bind_int(s, 1, f->since);
    db_bind_int(s, 2, f->until > 0 ? f->until : INT64_MAX);
    for (int i = 0; i < (int)(sizeof texts / sizeof texts[0]); i++)
        db_bind_text(s, 3 + i, texts[i]);
    db_bind_int(s, 15, f->limit > 0 ? f->limit : INT64_MAX);
    db_bind_int(s, 16, f->offset > 0 ? f->offset : 0);
    while (db_next(s)) {
        struct audit_entry a = {
            .at = db_col_int(s, 0),
            .registrar_id = db_col_int(s, 1),
            .clid = db_col_text(s, 2),
            .session_id = db_col_text(s, 3),
            .peer = db_col_text(s, 4),
            .svtrid = db_col_text(s, 5),
            .cltrid = db_col_text(s, 6),
            .command = db_col_text(s, 7),
            .result_code = (int)db_col_int(s, 8),
            .duration_us = db_col_int(s, 9),
            .request = f->full ? db_col_text(s, 10) : NULL,
            .response = f->full ? db_col_text(s, 11) : NULL,
        };
        fn(&a, arg);
    }
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "cannot read the EPP log: %s", db_errmsg(d)) : REG_OK;
}
