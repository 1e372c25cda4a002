#include "registrar_services.h"

#include <stdio.h>
#include <string.h>

#include "management.h"

static reg_err db_fail(db *d, reg_status *st, reg_err e)
{
    return reg_fail(st, e, "database: %s", db_errmsg(d));
}

reg_err registrar_services_set(db *d, const char *handle,
                               const struct registrar_services_change *c, reg_status *st)
{
    char norm[REGISTRAR_HANDLE_MAX + 1];
    if (c->default_management && !management_valid(c->default_management))
        return reg_fail(st, REG_ERR_INVALID, "management is registrar or registrant, not \"%s\"",
                        c->default_management);
    if (registrar_handle_normalize(handle, norm, st))
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", handle ? handle : "");
    reg_err e = db_begin(d);
    if (e)
        return db_fail(d, st, e);
    db_stmt *s = db_query(d, "UPDATE registrar SET default_management = COALESCE(?, "
                             "default_management), offers_name_service = CASE WHEN ? < 0 THEN "
                             "offers_name_service ELSE ? END, offers_dnssec = CASE WHEN ? < 0 "
                             "THEN offers_dnssec ELSE ? END, updated_at = ? WHERE handle = ?");
    db_bind_text(s, 1, c->default_management);
    db_bind_int(s, 2, c->name_service);
    db_bind_int(s, 3, c->name_service);
    db_bind_int(s, 4, c->dnssec);
    db_bind_int(s, 5, c->dnssec);
    db_bind_int(s, 6, clock_now());
    db_bind_text(s, 7, norm);
    e = db_run(s);
    if (!e && db_changes(d) == 0) {
        db_rollback(d);
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", norm);
    }
    if (!e)
        e = db_commit(d);
    else
        db_rollback(d);
    return e ? db_fail(d, st, e) : REG_OK;
}

reg_err registrar_services_get(db *d, const char *handle, struct registrar_services *out,
                               reg_status *st)
{
    char norm[REGISTRAR_HANDLE_MAX + 1];
    memset(out, 0, sizeof *out);
    if (registrar_handle_normalize(handle, norm, st))
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", handle ? handle : "");
    db_stmt *s = db_query(d, "SELECT default_management, offers_name_service, offers_dnssec FROM "
                             "registrar WHERE handle = ?");
    db_bind_text(s, 1, norm);
    bool found = db_next(s);
    if (found) {
        snprintf(out->default_management, sizeof out->default_management, "%s",
                 db_col_text(s, 0));
        out->name_service = db_col_int(s, 1) != 0;
        out->dnssec = db_col_int(s, 2) != 0;
    }
    reg_err e = db_done(s);
    if (e)
        return db_fail(d, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", norm);
    return REG_OK;
}

reg_err registrar_dnssec_gap_each(db *d, void (*fn)(const char *handle, const char *name, void *arg),
                                  void *arg, reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT handle, name FROM registrar WHERE offers_name_service = 1 "
                             "AND offers_dnssec = 0 ORDER BY handle");
    while (db_next(s))
        fn(db_col_text(s, 0), db_col_text(s, 1), arg);
    reg_err e = db_done(s);
    return e ? db_fail(d, st, e) : REG_OK;
}
