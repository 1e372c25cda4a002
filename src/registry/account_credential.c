/* R39: registrants reach the self-service site with the credentials of
 * their account's admin contacts (a1–a3). Groundwork for the self-service
 * site: staff (or the sponsor) issue a one-time setup token for the
 * contact in an admin slot; the site turns it into a password. Only
 * hashes are stored: SHA-256 of the token (256 random bits, so a fast
 * hash is enough), argon2id of the password. See account.h. */
#include "account.h"

#include <stdio.h>
#include <string.h>

#include "contrib/secret.h"
#include "contrib/strutil.h"
#include "history.h"

/* A short history version of the contact (R40): what happened to its
 * credentials, never a secret. */
static reg_err record(const struct reg_op *op, int64_t contact_id, const char *handle,
                      const char *action, const char *account, const char *slot,
                      reg_time expires_at, reg_status *st)
{
    char snap[512];
    if (account)
        snprintf(snap, sizeof snap,
                 "{\"account\":\"%s\",\"slot\":\"%s\",\"setup_expires_at\":%lld}", account, slot,
                 (long long)expires_at);
    else
        snprintf(snap, sizeof snap, "{\"password_set\":true}");
    return history_record(op, "contact", contact_id, handle, action, snap, st);
}

reg_err account_credentials_link(const struct reg_op *op, int64_t contact_id, int64_t ttl,
                                 char token[SECRET_TOKEN_LEN], reg_time *expires_at,
                                 reg_status *st)
{
    char hash[SECRET_SHA256_HEX];
    if (secret_token(token))
        return reg_fail(st, REG_ERR_INTERNAL, "no randomness");
    secret_sha256_hex(token, strlen(token), hash);
    *expires_at = op->now + ttl;
    db_stmt *q = db_query(op->db, "INSERT INTO contact_credential (contact_id, setup_token_hash, "
                                  "setup_expires_at, issued_at) VALUES (?, ?, ?, ?) "
                                  "ON CONFLICT (contact_id) DO UPDATE SET setup_token_hash = "
                                  "excluded.setup_token_hash, setup_expires_at = "
                                  "excluded.setup_expires_at, issued_at = excluded.issued_at, "
                                  "setup_used_at = NULL");
    db_bind_int(q, 1, contact_id);
    db_bind_text(q, 2, hash);
    db_bind_int(q, 3, *expires_at);
    db_bind_int(q, 4, op->now);
    reg_err e = db_run(q);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err account_credentials_issue(const struct reg_op *op, const char *id, const char *slot,
                                  int64_t ttl, struct account_credentials *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    int i = account_slot_parse(slot);
    if (i < 0) /* R33 */
        return reg_fail(st, REG_ERR_INVALID,
                        "slot \"%s\" does not exist: an account has admin slots a1, a2, a3 and "
                        "billing slots b1, b2, b3",
                        slot ? slot : "");
    if (!account_slot_is_admin(i)) /* R39 */
        return reg_fail(st, REG_ERR_POLICY,
                        "slot %s is a billing slot: only the admin contacts a1-a3 get "
                        "self-service access",
                        slot);
    if (ttl <= 0)
        return reg_fail(st, REG_ERR_RANGE, "a setup token must be valid for some time");
    struct account a;
    if (account_info(op, id, &a, st))
        return st->code;
    if (!a.full)
        return reg_fail(st, REG_ERR_AUTHZ, "account %s is sponsored by %s", a.handle, a.sponsor);
    if (!a.slot_id[i])
        return reg_fail(st, REG_ERR_POLICY, "slot %s of account %s is empty", slot, a.handle);
    str_copy(out->contact, sizeof out->contact, a.slot[i]);
    reg_err e = account_credentials_link(op, a.slot_id[i], ttl, out->token, &out->expires_at, st);
    if (e)
        return e;
    db_stmt *q = db_query(op->db, "SELECT email FROM contact WHERE id = ?");
    db_bind_int(q, 1, a.slot_id[i]);
    if (db_next(q))
        str_copy(out->email, sizeof out->email, db_col_text(q, 0));
    if ((e = db_done(q)))
        return op_db_fail(op, st, e);
    return record(op, a.slot_id[i], a.slot[i], "credentials-issued", a.handle, slot,
                  out->expires_at, st);
}

reg_err account_credentials_setup(const struct reg_op *op, const char *token,
                                  const char *password, char contact[CONTACT_ID_MAX + 1],
                                  reg_status *st)
{
    contact[0] = '\0';
    if (secret_web_password_check(password, st))
        return st->code;
    char hash[SECRET_SHA256_HEX], pwhash[SECRET_PWHASH_LEN];
    secret_sha256_hex(token ? token : "", token ? strlen(token) : 0, hash);
    db_stmt *q = db_query(op->db, "SELECT k.contact_id, k.setup_expires_at, c.handle, "
                                  "k.setup_used_at FROM contact_credential k JOIN contact c ON "
                                  "c.id = k.contact_id WHERE k.setup_token_hash = ? "
                                  "{{for_update}}");
    db_bind_text(q, 1, hash);
    int64_t id = 0;
    reg_time expires = 0;
    bool used = false;
    if (db_next(q)) {
        id = db_col_int(q, 0);
        expires = db_col_int(q, 1);
        str_copy(contact, CONTACT_ID_MAX + 1, db_col_text(q, 2));
        used = !db_col_is_null(q, 3);
    }
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    if (!id || used || op->now >= expires) {
        contact[0] = '\0';
        return reg_fail(st, REG_ERR_AUTH,
                        "this setup link is unknown, used or expired; ask your registrar or the "
                        "registry for a new one");
    }
    if (secret_password_hash(password, pwhash))
        return reg_fail(st, REG_ERR_INTERNAL, "cannot hash the password");
    /* the used link's hash stays, so its page can say it was used; a new
     * password also ends a lockout (the reset link's purpose) */
    q = db_query(op->db, "UPDATE contact_credential SET password_hash = ?, setup_used_at = ?, "
                         "password_set_at = ?, failures = 0, locked_until = 0 WHERE "
                         "contact_id = ?");
    db_bind_text(q, 1, pwhash);
    db_bind_int(q, 2, op->now);
    db_bind_int(q, 3, op->now);
    db_bind_int(q, 4, id);
    if ((e = db_run(q)))
        return op_db_fail(op, st, e);
    return record(op, id, contact, "credentials-set", NULL, NULL, 0, st);
}

reg_err account_credentials_verify(const struct reg_op *op, const char *contact,
                                   const char *password, reg_status *st)
{
    char handle[CONTACT_ID_MAX + 1], pwhash[SECRET_PWHASH_LEN] = "";
    reg_status ignored;
    if (names_contact_lookup(contact, handle, &ignored))
        return reg_fail(st, REG_ERR_AUTH, "wrong contact id or password");
    /* R39: only while the contact is an admin contact of some account */
    db_stmt *q = db_query(op->db, "SELECT k.password_hash FROM contact_credential k JOIN contact c "
                                  "ON c.id = k.contact_id WHERE c.handle = ? AND EXISTS (SELECT 1 "
                                  "FROM account a WHERE a.a1_id = c.id OR a.a2_id = c.id OR "
                                  "a.a3_id = c.id)");
    db_bind_text(q, 1, handle);
    if (db_next(q))
        str_copy(pwhash, sizeof pwhash, db_col_text(q, 0));
    reg_err e = db_done(q);
    if (e)
        return op_db_fail(op, st, e);
    if (!pwhash[0] || secret_password_verify(pwhash, password ? password : ""))
        return reg_fail(st, REG_ERR_AUTH, "wrong contact id or password");
    return REG_OK;
}
