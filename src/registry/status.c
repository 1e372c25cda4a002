#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/precis.h"

reg_err status_load(db *d, const char *kind, int64_t id, struct status_set *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_query(d, "SELECT status, message FROM object_status WHERE object_kind = ? "
                             "AND object_id = ? ORDER BY status");
    db_bind_text(s, 1, kind);
    db_bind_int(s, 2, id);
    while (db_next(s) && out->n < STATUS_MAX) {
        struct status_entry *e = &out->items[out->n++];
        snprintf(e->name, sizeof e->name, "%s", db_col_text(s, 0));
        e->message = db_col_text(s, 1) ? strdup(db_col_text(s, 1)) : NULL;
    }
    return db_done(s);
}

void status_set_free(struct status_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i].message);
    s->n = 0;
}

bool status_has(const struct status_set *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->items[i].name, name))
            return true;
    return false;
}

reg_err status_add(db *d, const char *kind, int64_t id, const char *name, const char *message)
{
    db_stmt *s = db_query(d, "INSERT INTO object_status (object_kind, object_id, status, message) "
                             "VALUES (?, ?, ?, ?) ON CONFLICT (object_kind, object_id, status) "
                             "DO UPDATE SET message = excluded.message");
    db_bind_text(s, 1, kind);
    db_bind_int(s, 2, id);
    db_bind_text(s, 3, name);
    db_bind_text(s, 4, message);
    return db_run(s);
}

reg_err status_remove(db *d, const char *kind, int64_t id, const char *name)
{
    db_stmt *s = db_query(d, "DELETE FROM object_status WHERE object_kind = ? AND object_id = ? "
                             "AND status = ?");
    db_bind_text(s, 1, kind);
    db_bind_int(s, 2, id);
    db_bind_text(s, 3, name);
    return db_run(s);
}

reg_err status_remove_all(db *d, const char *kind, int64_t id)
{
    db_stmt *s = db_query(d, "DELETE FROM object_status WHERE object_kind = ? AND object_id = ?");
    db_bind_text(s, 1, kind);
    db_bind_int(s, 2, id);
    return db_run(s);
}

reg_err status_message_check(const char *name, const char *message, reg_status *st)
{
    char what[STATUS_NAME_MAX + 32];
    snprintf(what, sizeof what, "the message of status %s", name ? name : "");
    return precis_text_check(what, message, st);
}

static const char *const client_domain[] = {
    "clientDeleteProhibited", "clientHold", "clientRenewProhibited",
    "clientTransferProhibited", "clientUpdateProhibited", NULL,
};
static const char *const client_contact[] = {
    "clientDeleteProhibited", "clientTransferProhibited", "clientUpdateProhibited", NULL,
};
static const char *const client_host[] = {
    "clientDeleteProhibited", "clientUpdateProhibited", NULL,
};

static const char *const server_domain[] = {
    "serverDeleteProhibited", "serverHold", "serverRenewProhibited",
    "serverTransferProhibited", "serverUpdateProhibited", NULL,
};
static const char *const server_contact[] = {
    "serverDeleteProhibited", "serverTransferProhibited", "serverUpdateProhibited", NULL,
};
/* hosts move with their domain only: RFC 5732 has no *TransferProhibited */
static const char *const server_host[] = {
    "serverDeleteProhibited", "serverUpdateProhibited", NULL,
};

static bool in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (!strcmp(*list, name))
            return true;
    return false;
}

bool status_client_settable(const char *kind, const char *name)
{
    if (!strcmp(kind, "domain"))
        return in_list(client_domain, name);
    if (!strcmp(kind, "contact"))
        return in_list(client_contact, name);
    return in_list(client_host, name);
}

bool status_server_settable(const char *kind, const char *name)
{
    if (!strcmp(kind, "domain"))
        return in_list(server_domain, name);
    if (!strcmp(kind, "contact"))
        return in_list(server_contact, name);
    return !strcmp(kind, "host") && in_list(server_host, name);
}

/* RFC 5731 §2.3 and its siblings: which stored statuses forbid what.
 * pendingUpdate blocks updates (R9); any pending* blocks the others. */
static const struct {
    status_op op;
    const char *status;
} prohibits[] = {
    {OP_UPDATE, "clientUpdateProhibited"}, {OP_UPDATE, "serverUpdateProhibited"},
    {OP_UPDATE, "pendingUpdate"},          {OP_UPDATE, "pendingDelete"},
    {OP_UPDATE, "pendingTransfer"},        {OP_DELETE, "clientDeleteProhibited"},
    {OP_DELETE, "serverDeleteProhibited"}, {OP_DELETE, "pendingDelete"},
    {OP_DELETE, "pendingTransfer"},        {OP_DELETE, "pendingUpdate"},
    {OP_RENEW, "clientRenewProhibited"},   {OP_RENEW, "serverRenewProhibited"},
    {OP_RENEW, "pendingDelete"},           {OP_RENEW, "pendingTransfer"},
    {OP_TRANSFER, "clientTransferProhibited"}, {OP_TRANSFER, "serverTransferProhibited"},
    {OP_TRANSFER, "pendingDelete"},        {OP_TRANSFER, "pendingTransfer"},
    {OP_TRANSFER, "pendingUpdate"}, /* R7: the registrant's answer comes first */
};

reg_err status_allows(const struct status_set *s, status_op op, reg_status *st)
{
    static const char *const op_names[] = {"update", "delete", "renew", "transfer"};
    for (size_t i = 0; i < sizeof prohibits / sizeof prohibits[0]; i++)
        if (prohibits[i].op == op && status_has(s, prohibits[i].status))
            return reg_fail(st, REG_ERR_STATUS_PROHIBITS, "status %s prohibits %s",
                            prohibits[i].status, op_names[op]);
    return REG_OK;
}
