#include "management.h"

#include <stdio.h>
#include <string.h>

#include "domain_change.h"
#include "domain_store.h"
#include "notices.h"

bool management_valid(const char *model)
{
    return model && (!strcmp(model, "registrar") || !strcmp(model, "registrant"));
}

reg_err domain_set_management(const struct reg_op *op, const char *name, const char *model,
                              reg_status *st)
{
    if (!management_valid(model))
        return reg_fail(st, REG_ERR_INVALID, "management is registrar or registrant, not \"%s\"",
                        model ? model : "");
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    int64_t id = d.id;
    char alabel[NAME_MAX_LEN + 1];
    snprintf(alabel, sizeof alabel, "%s", d.name.alabel);
    bool same = !strcmp(d.management, model);
    domain_free(&d);
    if (same)
        return reg_fail(st, REG_ERR_POLICY, "%s is %s-managed already", alabel, model);
    /* like the lifecycle jobs, staff leave upID to the last registrar */
    if (domain_store_set_management(op, id, model, st))
        return st->code;
    char reason[33];
    snprintf(reason, sizeof reason, "now %s-managed", model);
    if (domain_record_version(op, alabel, "management", st) ||
        domain_notify_change(op, alabel, "update", reason, st))
        return st->code;
    return notice_management_change(op, id, st);
}

reg_err management_registrant_pays(const struct reg_op *op, const char *name, bool *yes,
                                   reg_status *st)
{
    struct domain_name dn;
    reg_status ignored = {0};
    *yes = false;
    if (!name || names_domain(&op->policy->names, name, &dn, &ignored))
        return REG_OK;
    db_stmt *s = db_query(op->db, "SELECT management FROM domain WHERE name = ?");
    db_bind_text(s, 1, dn.alabel);
    *yes = db_next(s) && !strcmp(db_col_text(s, 0), "registrant");
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}
