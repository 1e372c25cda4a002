#include "history.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/jsonout.h"

reg_err history_record(const struct reg_op *op, const char *kind, int64_t id, const char *key,
                       const char *action, const char *snapshot, reg_status *st)
{
    db_stmt *s = db_query(op->db, "INSERT INTO history (object_kind, object_id, object_key, "
                                  "action, at, registrar_id, actor, channel, svtrid, snapshot) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(s, 1, kind);
    db_bind_int(s, 2, id);
    db_bind_text(s, 3, key);
    db_bind_text(s, 4, action);
    db_bind_int(s, 5, op->now);
    db_bind_int_or_null(s, 6, op->registrar_id, op->registrar_id);
    db_bind_text(s, 7, op->actor);
    db_bind_text(s, 8, op->channel);
    db_bind_text(s, 9, op->svtrid);
    db_bind_text(s, 10, snapshot ? snapshot : "{}");
    reg_err e = db_run_deferred(s); /* nothing reads it back: see db_defer_writes */
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* The snapshot as json_dumps(JSON_COMPACT | JSON_SORT_KEYS) writes an
 * object with UTF-8 keys (the only kind the snapshots have), by
 * contrib/jsonout.h at about half the cost (issue 18: a domain:create
 * writes one in SQLite's one writer's place). Most fit the buffer on the
 * stack. */
#define SNAPSHOT_ON_STACK 2048

reg_err history_record_json(const struct reg_op *op, const char *kind, int64_t id,
                            const char *key, const char *action, json_t *snapshot,
                            reg_status *st)
{
    char stack[SNAPSHOT_ON_STACK], *snap = stack;
    size_t n = snapshot ? jsonout_compact_sorted(snapshot, stack, sizeof stack - 1) : 0;
    /* the second pass may fail where the first did not (an object of
     * many members takes memory): then nothing is stored */
    if (n >= sizeof stack && (snap = malloc(n + 1)) &&
        jsonout_compact_sorted(snapshot, snap, n) != n) {
        free(snap);
        snap = NULL;
    }
    json_decref(snapshot);
    if (!n || !snap)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    snap[n] = '\0';
    reg_err e = history_record(op, kind, id, key, action, snap, st);
    if (snap != stack)
        free(snap);
    return e;
}

reg_err history_each(db *d, const char *kind, const char *key,
                     void (*fn)(const struct history_version *v, void *arg), void *arg,
                     reg_status *st)
{
    return history_each_last(d, kind, key, 0, NULL, fn, arg, st);
}

#define KEY_MATCH "object_key = ? AND (CAST(? AS TEXT) IS NULL OR object_kind = ?)"

static void bind_key(db_stmt *s, const char *kind, const char *key)
{
    db_bind_text(s, 1, key);
    db_bind_text(s, 2, kind);
    db_bind_text(s, 3, kind);
}

reg_err history_each_last(db *d, const char *kind, const char *key, int64_t last,
                          int64_t *total, void (*fn)(const struct history_version *v, void *arg),
                          void *arg, reg_status *st)
{
    int64_t n = 0, skip = 0;
    db_stmt *s;
    if (last > 0 || total) { /* the versions before the last ones keep their numbers */
        s = db_query(d, "SELECT COUNT(*) FROM history WHERE " KEY_MATCH);
        bind_key(s, kind, key);
        n = db_next(s) ? db_col_int(s, 0) : 0;
        reg_err e = db_done(s);
        if (e)
            return reg_fail(st, e, "database: %s", db_errmsg(d));
        if (total)
            *total = n;
        skip = last > 0 && n > last ? n - last : 0;
    }
    s = db_query(d, "SELECT object_kind, object_key, action, actor, channel, svtrid, snapshot, at "
                    "FROM history WHERE " KEY_MATCH " ORDER BY id LIMIT ? OFFSET ?");
    bind_key(s, kind, key);
    db_bind_int(s, 4, last > 0 ? last : INT64_MAX);
    db_bind_int(s, 5, skip);
    n = skip;
    while (db_next(s)) {
        struct history_version v = {
            .version = ++n,
            .kind = db_col_text(s, 0),
            .key = db_col_text(s, 1),
            .action = db_col_text(s, 2),
            .actor = db_col_text(s, 3),
            .channel = db_col_text(s, 4),
            .svtrid = db_col_text(s, 5),
            .snapshot = db_col_text(s, 6),
            .at = db_col_int(s, 7),
        };
        fn(&v, arg);
    }
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

bool history_time_field(const char *name)
{
    /* the snapshots' time fields (domain_store.c, contact_store.c, host.c,
     * account_store.c, account_credential.c, registrar.c) */
    static const char *const times[] = {"expires",  "accepted", "created_at", "updated_at",
                                        "transferred_at", "deadline", "at", "created",
                                        "updated", "transferred", "setup_expires_at"};
    for (size_t i = 0; name && i < sizeof times / sizeof times[0]; i++)
        if (!strcmp(name, times[i]))
            return true;
    return false;
}
