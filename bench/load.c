/* bench/load.h: a registry filled through its own functions. */
#include "load.h"

#include <stdio.h>
#include <string.h>

#include "registry/domain.h"
#include "registry/policy.h"

reg_err bench_load_holder(const struct reg_op *op, const char *id,
                          char holder[CONTACT_ID_MAX + 1], reg_status *st)
{
    struct contact_create_req c;
    memset(&c, 0, sizeof c);
    c.id = (char *)id;
    c.d.postal[CONTACT_LOC] = (struct contact_postal){.present = true, .name = "Jens Hansen",
                                                      .city = "Aarhus", .cc = "DK"};
    c.d.email = "holder@example.dk";
    c.d.kind = "person";
    reg_err e = db_begin(op->db);
    if (e)
        return db_fail(op->db, st, e);
    return db_end_tx(op->db, contact_create(op, &c, holder, st), st);
}

reg_err bench_load_domains(struct reg_op *op, const struct bench_load *l, reg_status *st,
                           char failed[64])
{
    failed[0] = '\0';
    long long end = l->first + l->n;
    for (long long i = l->first; i < end; i += LOAD_TX) {
        reg_err e = db_begin(op->db);
        if (e)
            return db_fail(op->db, st, e);
        for (long long k = i; k < end && k < i + LOAD_TX && !e; k++) {
            char name[64];
            snprintf(name, sizeof name, "%s%lld%s", l->prefix, k, l->suffix);
            struct domain_create in = {.name = name, .period_months = 12,
                                       .registrant = l->holder, /* R20: the server's own version */
                                       .terms_version = op->policy->terms_version
                                                            ? op->policy->terms_version
                                                            : "1.0",
                                       .terms_accepted = "2026-12-01T10:00:00Z"};
            struct domain out;
            memset(&out, 0, sizeof out);
            op->now = l->from + (reg_time)((k - l->first) * l->spread / l->n);
            e = domain_create(op, &in, &out, st);
            domain_free(&out);
            if (e)
                snprintf(failed, 64, "%s", name);
        }
        if ((e = db_end_tx(op->db, e, st)))
            return e;
    }
    return REG_OK;
}
