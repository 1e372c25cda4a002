/* Server statuses set by staff (server_status.h). */
#include "server_status.h"

#include <stdio.h>
#include <string.h>

#include "contact_store.h"
#include "contrib/strutil.h"
#include "domain_change.h"
#include "domain_store.h"
#include "host.h"
#include "status.h"

/* What differs between the kinds: finding the object by the client's
 * name (its row id and stored key), recording its version, and whom the
 * change is told (NULL: nobody). */
struct kind {
    const char *name;
    reg_err (*find)(const struct reg_op *op, const char *name, int64_t *id,
                    char key[NAME_MAX_LEN + 1], reg_status *st);
    reg_err (*record_version)(const struct reg_op *op, const char *key, const char *action,
                              reg_status *st);
    reg_err (*tell)(const struct reg_op *op, const char *key, const char *status, bool add,
                    reg_status *st);
};

static reg_err find_domain(const struct reg_op *op, const char *name, int64_t *id,
                           char key[NAME_MAX_LEN + 1], reg_status *st)
{
    struct domain d = {0}; /* freed even when the name is refused before loading */
    reg_err e = domain_load_input(op, name, &d, NULL, 0, st);
    if (!e) {
        *id = d.id;
        str_copy(key, NAME_MAX_LEN + 1, d.name.alabel);
    }
    domain_free(&d);
    return e;
}

/* The sponsor hears of it as of the registry's other changes to its
 * domains (a hold for a failed identity check, at expiry, …). */
static reg_err tell_sponsor(const struct reg_op *op, const char *alabel, const char *status,
                            bool add, reg_status *st)
{
    char reason[33]; /* eppcom:reasonType; the longest status fits */
    snprintf(reason, sizeof reason, "%s %s", status, add ? "set" : "removed");
    return domain_notify_change(op, alabel, "update", reason, st);
}

static reg_err find_contact(const struct reg_op *op, const char *name, int64_t *id,
                            char key[NAME_MAX_LEN + 1], reg_status *st)
{
    char handle[CONTACT_ID_MAX + 1];
    if (names_contact_lookup(name, handle, st))
        return st->code;
    struct contact c;
    bool found;
    if (contact_load_row(op, handle, true, &c, &found, NULL, 0, st))
        return st->code;
    if (found) {
        *id = c.id;
        str_copy(key, NAME_MAX_LEN + 1, c.handle);
    }
    contact_free(&c);
    return found ? REG_OK : reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", handle);
}

static reg_err find_host(const struct reg_op *op, const char *name, int64_t *id,
                         char key[NAME_MAX_LEN + 1], reg_status *st)
{
    struct host h;
    if (host_info(op, name, &h, st))
        return st->code;
    *id = h.id;
    str_copy(key, NAME_MAX_LEN + 1, h.name);
    host_free(&h);
    return REG_OK;
}

static const struct kind kinds[] = {
    {"domain", find_domain, domain_record_version, tell_sponsor},
    {"contact", find_contact, contact_record_version, NULL},
    {"host", find_host, host_record_version, NULL},
};

reg_err server_status_change(const struct reg_op *op, const char *kind, const char *name,
                             const char *status, const char *message, bool add,
                             char key[NAME_MAX_LEN + 1], reg_status *st)
{
    key[0] = '\0';
    const struct kind *k = NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kinds[i].name, kind))
            k = &kinds[i];
    if (op->registrar_id)
        return reg_fail(st, REG_ERR_AUTHZ,
                        "server statuses are set by the registry, not by a registrar");
    if (!k)
        return reg_fail(st, REG_ERR_INVALID,
                        "server statuses are for domains, contacts and hosts, not \"%s\"", kind);
    if (!status_server_settable(kind, status))
        return reg_fail(st, REG_ERR_POLICY,
                        "%s is not a server status of a %s (serverHold and serverRenewProhibited "
                        "are for domains, serverTransferProhibited for domains and contacts, "
                        "server{Update,Delete}Prohibited for all)",
                        status, kind);
    if (add && status_message_check(status, message, st))
        return st->code;
    int64_t id = 0;
    if (k->find(op, name, &id, key, st))
        return st->code;
    struct status_set has;
    reg_err e = status_load(op->db, kind, id, &has);
    bool had = status_has(&has, status);
    status_set_free(&has);
    if (e)
        return op_db_fail(op, st, e);
    if (add && had)
        return reg_fail(st, REG_ERR_POLICY, "%s %s already has status %s", kind, key, status);
    if (!add && !had)
        return reg_fail(st, REG_ERR_POLICY, "%s %s does not have status %s", kind, key, status);
    e = add ? status_add(op->db, kind, id, status, message && *message ? message : NULL)
            : status_remove(op->db, kind, id, status);
    if (e)
        return op_db_fail(op, st, e);
    if (k->record_version(op, key, add ? "status-add" : "status-rem", st))
        return st->code;
    return k->tell ? k->tell(op, key, status, add, st) : REG_OK;
}
