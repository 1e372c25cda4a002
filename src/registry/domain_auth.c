#include "domain_auth.h"

#include <stdlib.h>
#include <string.h>

#include "contact_store.h"
#include "contrib/secret.h"
#include "contrib/strutil.h"

/* The contact of domain d whose roid is `roid`: *found, its id and its
 * auth-info hash ("" when it has none). */
static reg_err contact_by_roid(const struct reg_op *op, const struct domain *d, const char *roid,
                               bool *found, int64_t *id, char hash[SECRET_AUTHINFO_HASH_LEN],
                               reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT c.id, c.authinfo_hash FROM contact c WHERE c.id = "
                                  "(SELECT registrant_id FROM domain WHERE id = ?) OR c.id IN "
                                  "(SELECT contact_id FROM domain_contact WHERE domain_id = ?)");
    db_bind_int(s, 1, d->id);
    db_bind_int(s, 2, d->id);
    *found = false;
    while (!*found && db_next(s)) {
        char r[48];
        roid_format(r, 'C', db_col_int(s, 0), op->policy);
        if ((*found = !strcmp(r, roid))) {
            *id = db_col_int(s, 0);
            str_copy(hash, SECRET_AUTHINFO_HASH_LEN, db_col_text(s, 1));
        }
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* Does `roid` name a contact object at all (C<id>-<suffix>)? */
static reg_err roid_is_contact(const struct reg_op *op, const char *roid, bool *is,
                               reg_status *st)
{
    char *end, again[48];
    long long id = roid[0] == 'C' ? strtoll(roid + 1, &end, 10) : 0;
    *is = false;
    if (id <= 0)
        return REG_OK;
    roid_format(again, 'C', id, op->policy);
    if (strcmp(again, roid))
        return REG_OK;
    db_stmt *s = db_query(op->db, "SELECT 1 FROM contact WHERE id = ?");
    db_bind_int(s, 1, id);
    *is = db_next(s);
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err domain_authinfo_check(const struct reg_op *op, const struct domain *d, const char *hash,
                              const struct reg_authinfo *auth, reg_status *st)
{
    const char *pw = auth && auth->pw ? auth->pw : "";
    char rehash[SECRET_AUTHINFO_HASH_LEN];
    if (!auth || !auth->roid || !*auth->roid) {
        if (!d->has_authinfo || !secret_authinfo_verify(hash, pw, rehash))
            return reg_fail(st, REG_ERR_AUTHINFO, "the auth info for %s is not correct",
                            d->name.alabel);
        /* migrated on use to the current pepper key */
        return rehash[0] ? domain_store_rehash_authinfo(op, d->id, hash, rehash, st) : REG_OK;
    }
    /* RFC 5731 §2.6: the password of the contact object the roid names */
    char contact_hash[SECRET_AUTHINFO_HASH_LEN] = "";
    bool found, exists;
    int64_t contact_id = 0;
    if (contact_by_roid(op, d, auth->roid, &found, &contact_id, contact_hash, st))
        return st->code;
    if (!found && roid_is_contact(op, auth->roid, &exists, st))
        return st->code;
    if (!found && exists)
        return reg_fail(st, REG_ERR_AUTHINFO,
                        "%s is not the roid of the registrant or a contact of %s", auth->roid,
                        d->name.alabel);
    if (!found)
        return reg_fail(st, REG_ERR_AUTHINFO,
                        "no contact has the roid %s: give that of the registrant or a contact "
                        "of %s",
                        auth->roid, d->name.alabel);
    if (!contact_hash[0] || !secret_authinfo_verify(contact_hash, pw, rehash))
        return reg_fail(st, REG_ERR_AUTHINFO, "the auth info of contact %s for %s is not correct",
                        auth->roid, d->name.alabel);
    return rehash[0] ? contact_store_rehash_authinfo(op, contact_id, contact_hash, rehash, st)
                     : REG_OK;
}
