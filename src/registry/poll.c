#include "poll.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/strutil.h"
#include "contrib/precis.h"
#include "domain_store.h"

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* The stored kinds of the typed messages; anything else is a notice. */
static const char *const kind_label[] = {
    [POLL_TRANSFER] = "transfer",
    [POLL_CHANGE] = "change",
    [POLL_PENDING] = "pending",
};

static reg_err insert(db *d, int64_t registrar_id, const char *label, const char *text,
                      const char *object_type, const char *object_name, json_t *data,
                      reg_status *st)
{
    char *json = NULL;
    if (data) {
        json = json_dumps(data, JSON_COMPACT);
        json_decref(data);
        if (!json)
            return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    }
    db_stmt *s = db_query(d, "INSERT INTO poll_message (registrar_id, created_at, kind, message, "
                             "object_type, object_name, data) VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, registrar_id);
    db_bind_int(s, 2, clock_now());
    db_bind_text(s, 3, label);
    db_bind_text(s, 4, text);
    db_bind_text(s, 5, object_type);
    db_bind_text(s, 6, object_name);
    db_bind_text(s, 7, json);
    reg_err e = db_run_deferred(s); /* see db_defer_writes */
    free(json);
    return e ? reg_fail(st, e, "cannot queue poll message: %s", db_errmsg(d)) : REG_OK;
}

reg_err poll_enqueue_notice(db *d, int64_t registrar_id, const char *label, const char *text,
                            const char *object_type, const char *object_name, reg_status *st)
{
    return insert(d, registrar_id, label, text, object_type, object_name, NULL, st);
}

reg_err poll_staff_notice(db *d, const char *registrar, const char *text,
                          char handle[REGISTRAR_HANDLE_MAX + 1], reg_status *st)
{
    handle[0] = '\0';
    if (!text || !*text)
        return reg_fail(st, REG_ERR_MISSING, "the message is empty");
    if (precis_text_check("the message", text, st))
        return st->code;
    struct registrar r;
    if (registrar_get(d, registrar, &r, st))
        return st->code;
    str_copy(handle, REGISTRAR_HANDLE_MAX + 1, r.handle);
    int64_t id = r.id;
    registrar_free(&r);
    return poll_enqueue_notice(d, id, "notice", text, NULL, NULL, st);
}

/* ---- payloads as JSON ------------------------------------------------------ */

static const char *const object_name[] = {[POLL_OBJ_DOMAIN] = "domain",
                                          [POLL_OBJ_CONTACT] = "contact"};

reg_err poll_enqueue_transfer(db *d, int64_t registrar_id, const struct poll_transfer *t,
                              const char *text, reg_status *st)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "name", t->name, "status", t->status,
                          "gaining", t->gaining, "losing", t->losing, "requested",
                          (json_int_t)t->requested_at, "action", (json_int_t)t->action_at);
    if (o && t->has_expiry)
        json_object_set_new(o, "expires", json_integer(t->new_expires_at));
    if (!o)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    return insert(d, registrar_id, kind_label[POLL_TRANSFER], text, object_name[t->object],
                  t->name, o, st);
}

reg_err poll_enqueue_change(db *d, int64_t registrar_id, const struct poll_change *c,
                            const char *text, reg_status *st)
{
    json_t *o = json_pack("{s:s,s:s,s:I,s:s,s:s,s:o}", "operation", c->operation, "state",
                          c->before ? "before" : "after", "date", (json_int_t)c->date, "svTRID",
                          c->svtrid, "who", c->who, "domain", domain_to_json(&c->domain));
    if (o && c->has_reason)
        json_object_set_new(o, "reason", json_string(c->reason));
    if (!o)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    return insert(d, registrar_id, kind_label[POLL_CHANGE], text, "domain",
                  c->domain.name.alabel, o, st);
}

reg_err poll_enqueue_pending(db *d, int64_t registrar_id, const struct poll_pending *p,
                             const char *text, reg_status *st)
{
    json_t *o = json_pack("{s:s,s:b,s:s,s:s,s:I}", "name", p->name, "paResult", p->result,
                          "cltrid", p->cltrid, "svtrid", p->svtrid, "date", (json_int_t)p->date);
    if (!o)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    return insert(d, registrar_id, kind_label[POLL_PENDING], text, "domain", p->name, o, st);
}

static const char *str_at(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static reg_time time_at(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static bool read_transfer(json_t *o, const char *object_type, struct poll_transfer *t)
{
    if (!object_type || !str_at(o, "name") || !str_at(o, "status") || !str_at(o, "gaining") ||
        !str_at(o, "losing"))
        return false;
    if (!strcmp(object_type, "domain"))
        t->object = POLL_OBJ_DOMAIN;
    else if (!strcmp(object_type, "contact"))
        t->object = POLL_OBJ_CONTACT;
    else
        return false;
    str_copy(t->name, sizeof t->name, str_at(o, "name"));
    str_copy(t->status, sizeof t->status, str_at(o, "status"));
    str_copy(t->gaining, sizeof t->gaining, str_at(o, "gaining"));
    str_copy(t->losing, sizeof t->losing, str_at(o, "losing"));
    t->requested_at = time_at(o, "requested");
    t->action_at = time_at(o, "action");
    t->has_expiry = json_object_get(o, "expires") != NULL;
    t->new_expires_at = time_at(o, "expires");
    return true;
}

static bool read_change(json_t *o, struct poll_change *c)
{
    json_t *dom = json_object_get(o, "domain");
    if (!json_is_object(dom) || !str_at(o, "operation"))
        return false;
    domain_from_json(dom, &c->domain);
    str_copy(c->operation, sizeof c->operation, str_at(o, "operation"));
    c->before = str_at(o, "state") && !strcmp(str_at(o, "state"), "before");
    c->date = time_at(o, "date");
    str_copy(c->svtrid, sizeof c->svtrid, str_at(o, "svTRID"));
    str_copy(c->who, sizeof c->who, str_at(o, "who"));
    c->has_reason = str_at(o, "reason") != NULL;
    str_copy(c->reason, sizeof c->reason, str_at(o, "reason"));
    return true;
}

static bool read_pending(json_t *o, struct poll_pending *p)
{
    if (!str_at(o, "name"))
        return false;
    str_copy(p->name, sizeof p->name, str_at(o, "name"));
    p->result = json_is_true(json_object_get(o, "paResult"));
    str_copy(p->cltrid, sizeof p->cltrid, str_at(o, "cltrid"));
    str_copy(p->svtrid, sizeof p->svtrid, str_at(o, "svtrid"));
    p->date = time_at(o, "date");
    return true;
}

/* m->kind from the stored label and data: POLL_NOTICE unless the data
 * reads as the payload its label names. */
static void read_payload(struct poll_msg *m, const char *data)
{
    m->kind = POLL_NOTICE;
    json_t *o = data ? json_loads(data, 0, NULL) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        return;
    }
    if (!strcmp(m->label, kind_label[POLL_TRANSFER]) &&
        read_transfer(o, m->object_type, &m->u.transfer))
        m->kind = POLL_TRANSFER;
    else if (!strcmp(m->label, kind_label[POLL_CHANGE]) && read_change(o, &m->u.change))
        m->kind = POLL_CHANGE;
    else if (!strcmp(m->label, kind_label[POLL_PENDING]) && read_pending(o, &m->u.pending))
        m->kind = POLL_PENDING;
    json_decref(o);
}

/* ---- the queue ------------------------------------------------------------- */

static reg_err queue_length(db *d, int64_t registrar_id, int64_t *count)
{
    db_stmt *s = db_query(d, "SELECT COUNT(*) FROM poll_message WHERE registrar_id = ?");
    db_bind_int(s, 1, registrar_id);
    *count = db_next(s) ? db_col_int(s, 0) : 0;
    return db_done(s);
}

#define POLL_SELECT                                                                           \
    "SELECT id, created_at, kind, message, object_type, object_name, data FROM poll_message "  \
    "WHERE registrar_id = ? ORDER BY id"

/* The message of POLL_SELECT's current row, into m (zeroed first). */
static void read_row(db_stmt *s, struct poll_msg *m)
{
    memset(m, 0, sizeof *m);
    m->id = db_col_int(s, 0);
    m->created_at = db_col_int(s, 1);
    str_copy(m->label, sizeof m->label, db_col_text(s, 2));
    m->message = strdup(db_col_text(s, 3));
    m->object_type = dup_or_null(db_col_text(s, 4));
    m->object_name = dup_or_null(db_col_text(s, 5));
    read_payload(m, db_col_text(s, 6));
}

reg_err poll_peek(db *d, int64_t registrar_id, int64_t *count, struct poll_msg *oldest,
                  bool *found, reg_status *st)
{
    memset(oldest, 0, sizeof *oldest);
    reg_err e = queue_length(d, registrar_id, count);
    *found = false;
    if (!e && *count > 0) {
        db_stmt *s = db_query(d, POLL_SELECT " LIMIT 1");
        db_bind_int(s, 1, registrar_id);
        if (db_next(s)) {
            *found = true;
            read_row(s, oldest);
        }
        e = db_done(s);
    }
    return e ? reg_fail(st, e, "cannot read the message queue: %s", db_errmsg(d)) : REG_OK;
}

reg_err poll_queue_length(db *d, int64_t registrar_id, int64_t *count, reg_status *st)
{
    reg_err e = queue_length(d, registrar_id, count);
    return e ? reg_fail(st, e, "cannot read the message queue: %s", db_errmsg(d)) : REG_OK;
}

reg_err poll_each(db *d, int64_t registrar_id, void (*fn)(const struct poll_msg *m, void *arg),
                  void *arg, reg_status *st)
{
    db_stmt *s = db_query(d, POLL_SELECT);
    db_bind_int(s, 1, registrar_id);
    struct poll_msg *m = malloc(sizeof *m); /* a change carries a whole domain */
    while (m && db_next(s)) {
        read_row(s, m);
        fn(m, arg);
        poll_msg_free(m);
    }
    reg_err e = db_done(s);
    if (!m && !e)
        e = reg_fail(st, REG_ERR_NOMEM, "out of memory");
    else if (e)
        reg_fail(st, e, "cannot read the message queue: %s", db_errmsg(d));
    free(m);
    return e;
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
    if (m->kind == POLL_CHANGE)
        domain_free(&m->u.change.domain);
    memset(m, 0, sizeof *m);
}
