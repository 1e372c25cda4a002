#include "poll.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

reg_err poll_enqueue(db *d, int64_t registrar_id, const char *kind, const char *message,
                     const char *object_type, const char *object_name, const char *data,
                     reg_status *st)
{
    db_stmt *s = db_query(d, "INSERT INTO poll_message (registrar_id, created_at, kind, message, "
                             "object_type, object_name, data) VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, registrar_id);
    db_bind_int(s, 2, clock_now());
    db_bind_text(s, 3, kind);
    db_bind_text(s, 4, message);
    db_bind_text(s, 5, object_type);
    db_bind_text(s, 6, object_name);
    db_bind_text(s, 7, data);
    reg_err e = db_run(s);
    return e ? reg_fail(st, e, "cannot queue poll message: %s", db_errmsg(d)) : REG_OK;
}

static reg_err queue_length(db *d, int64_t registrar_id, int64_t *count)
{
    db_stmt *s = db_query(d, "SELECT COUNT(*) FROM poll_message WHERE registrar_id = ?");
    db_bind_int(s, 1, registrar_id);
    *count = db_next(s) ? db_col_int(s, 0) : 0;
    return db_done(s);
}

reg_err poll_peek(db *d, int64_t registrar_id, int64_t *count, struct poll_msg *oldest,
                  bool *found, reg_status *st)
{
    memset(oldest, 0, sizeof *oldest);
    reg_err e = queue_length(d, registrar_id, count);
    *found = false;
    if (!e && *count > 0) {
        db_stmt *s = db_query(d, "SELECT id, created_at, kind, message, object_type, object_name, "
                                 "data FROM poll_message WHERE registrar_id = ? ORDER BY id LIMIT 1");
        db_bind_int(s, 1, registrar_id);
        if (db_next(s)) {
            *found = true;
            oldest->id = db_col_int(s, 0);
            oldest->created_at = db_col_int(s, 1);
            snprintf(oldest->kind, sizeof oldest->kind, "%s", db_col_text(s, 2));
            oldest->message = strdup(db_col_text(s, 3));
            oldest->object_type = dup_or_null(db_col_text(s, 4));
            oldest->object_name = dup_or_null(db_col_text(s, 5));
            oldest->data = dup_or_null(db_col_text(s, 6));
        }
        e = db_done(s);
    }
    return e ? reg_fail(st, e, "cannot read the message queue: %s", db_errmsg(d)) : REG_OK;
}

reg_err poll_ack(db *d, int64_t registrar_id, const char *id, int64_t *remaining, reg_status *st)
{
    char *end;
    errno = 0;
    long long msg = strtoll(id, &end, 10);
    if (end == id || *end || errno || msg <= 0)
        return reg_fail(st, REG_ERR_NOT_FOUND, "no message %s in your queue", id);
    db_stmt *s = db_query(d, "DELETE FROM poll_message WHERE id = ? AND registrar_id = ?");
    db_bind_int(s, 1, msg);
    db_bind_int(s, 2, registrar_id);
    reg_err e = db_run(s);
    if (!e && db_changes(d) == 0)
        return reg_fail(st, REG_ERR_NOT_FOUND, "no message %s in your queue", id);
    if (!e)
        e = queue_length(d, registrar_id, remaining);
    return e ? reg_fail(st, e, "cannot acknowledge: %s", db_errmsg(d)) : REG_OK;
}

void poll_msg_free(struct poll_msg *m)
{
    free(m->message);
    free(m->object_type);
    free(m->object_name);
    free(m->data);
    memset(m, 0, sizeof *m);
}
