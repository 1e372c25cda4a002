#include "audit.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define AUDIT_COLUMNS 12
#define AUDIT_INSERT                                                                            \
    "INSERT INTO epp_log (at, registrar_id, clid, session_id, peer, svtrid, cltrid, command, "   \
    "result_code, duration_us, request, response) VALUES "
#define AUDIT_ROW "(?, (SELECT id FROM registrar WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

/* The statement for 2^k rows, k = 0..5 (AUDIT_ROWS_PER_STATEMENT = 32):
 * built once, the same text each time for the statement cache. */
#define AUDIT_SIZES 6
_Static_assert(1 << (AUDIT_SIZES - 1) == AUDIT_ROWS_PER_STATEMENT, "one statement per power of 2");
static char insert_sql[AUDIT_SIZES]
                      [sizeof AUDIT_INSERT + AUDIT_ROWS_PER_STATEMENT * sizeof(", " AUDIT_ROW)];
static pthread_once_t insert_once = PTHREAD_ONCE_INIT;

static void build_insert_sql(void)
{
    for (int k = 0; k < AUDIT_SIZES; k++) {
        char *p = insert_sql[k];
        p += sprintf(p, "%s", AUDIT_INSERT);
        for (int i = 0; i < 1 << k; i++)
            p += sprintf(p, "%s%s", i ? ", " : "", AUDIT_ROW);
    }
}

static void bind_row(db_stmt *s, int first, const struct audit_entry *a)
{
    db_bind_int(s, first + 1, a->at);
    db_bind_int_or_null(s, first + 2, a->registrar_id, a->registrar_id);
    db_bind_text(s, first + 3, a->clid);
    db_bind_text(s, first + 4, a->session_id);
    db_bind_text(s, first + 5, a->peer);
    db_bind_text(s, first + 6, a->svtrid);
    db_bind_text(s, first + 7, a->cltrid && *a->cltrid ? a->cltrid : NULL);
    db_bind_text(s, first + 8, a->command);
    db_bind_int(s, first + 9, a->result_code);
    db_bind_int(s, first + 10, a->duration_us);
    db_bind_text(s, first + 11, a->request);
    db_bind_text(s, first + 12, a->response);
}

/* 2^k rows from a in one statement. */
static reg_err insert_rows(db *d, const struct audit_entry *a, int k)
{
    pthread_once(&insert_once, build_insert_sql);
    db_stmt *s = db_query(d, insert_sql[k]);
    for (int i = 0; i < 1 << k; i++)
        bind_row(s, i * AUDIT_COLUMNS, &a[i]);
    /* a write nothing reads: the EPP workers defer it (db_defer_writes) */
    return db_run_deferred(s);
}

reg_err audit_epp_record(db *d, const struct audit_entry *a, reg_status *st)
{
    reg_err e = insert_rows(d, a, 0);
    return e ? reg_fail(st, e, "cannot write the EPP log: %s", db_errmsg(d)) : REG_OK;
}

reg_err audit_epp_record_rows(db *d, const struct audit_entry *a, size_t n, bool *failed,
                              reg_status *st)
{
    reg_err first = REG_OK;
    char why[sizeof st->reason];
    why[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (failed)
            failed[i] = false;
    size_t done = 0;
    while (done < n) {
        int k = AUDIT_SIZES - 1;
        while ((size_t)1 << k > n - done)
            k--;
        size_t rows = (size_t)1 << k;
        reg_err e = insert_rows(d, a + done, k);
        if (e && rows > 1 && db_kind_of(d) == DB_SQLITE && e != REG_ERR_DB_DOWN) {
            /* nothing of the statement was written: each row alone */
            for (size_t i = 0; i < rows; i++) {
                reg_err e1 = insert_rows(d, a + done + i, 0);
                if (e1 && !first) {
                    first = e1;
                    snprintf(why, sizeof why, "%s", db_errmsg(d));
                }
                if (failed)
                    failed[done + i] = e1 != REG_OK;
            }
        } else if (e) {
            if (!first) {
                first = e;
                snprintf(why, sizeof why, "%s", db_errmsg(d));
            }
            for (size_t i = 0; i < rows && failed; i++)
                failed[done + i] = true;
        }
        done += rows;
    }
    /* PostgreSQL: the error aborted the transaction, and with it every
     * row (a deferred one's error may even show with a later statement) */
    for (size_t i = 0; first && failed && db_kind_of(d) != DB_SQLITE && i < n; i++)
        failed[i] = true;
    return first ? reg_fail(st, first, "cannot write the EPP log: %s", why) : REG_OK;
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
