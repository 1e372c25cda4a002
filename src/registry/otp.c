/* One-time passwords (R16) and the manual route (R17): see otp.h. */
#include "otp.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "contrib/precis.h"
#include "contrib/secret.h"
#include "contrib/strutil.h"
#include "domain_store.h"
#include "invoice.h"
#include "notices.h"
#include "registrar.h"

/* ---- the password ---------------------------------------------------------- */

reg_err otp_generate(char out[OTP_CODE_LEN + 1])
{
    unsigned char raw[OTP_CODE_LEN];
    reg_err e = secret_random(raw, sizeof raw);
    if (e)
        return e;
    /* 32 characters: the low five bits of a random byte pick one without bias */
    for (size_t i = 0; i < OTP_CODE_LEN; i++)
        out[i] = OTP_ALPHABET[raw[i] & 31];
    out[OTP_CODE_LEN] = '\0';
    return REG_OK;
}

bool otp_normalize(const char *in, char out[OTP_CODE_LEN + 1])
{
    size_t n = 0;
    for (const char *p = in ? in : ""; *p; p++) {
        if (*p == ' ' || *p == '-' || *p == '\t')
            continue;
        char c = (char)toupper((unsigned char)*p);
        if (n == OTP_CODE_LEN || !strchr(OTP_ALPHABET, c))
            return false;
        out[n++] = c;
    }
    out[n] = '\0';
    return n == OTP_CODE_LEN;
}

/* "ABCDE-FGHJK": easier to read out and to type */
static void display(const char *code, char out[OTP_DISPLAY_LEN])
{
    snprintf(out, OTP_DISPLAY_LEN, "%.5s-%s", code, code + 5);
}

/* ---- asking for one (R16) ------------------------------------------------- */

/* Refused where the transfer would be: no point sending a password that
 * cannot be used. */
static reg_err transferable(const struct reg_op *op, const struct domain *d, reg_status *st)
{
    if (domain_is_sponsor(op, d))
        return reg_fail(st, REG_ERR_NOT_TRANSFERABLE, "%s is already yours", d->name.alabel);
    if (status_has(&d->statuses, "pendingTransfer"))
        return reg_fail(st, REG_ERR_PENDING, "a transfer of %s is already pending",
                        d->name.alabel);
    return status_allows(&d->statuses, OP_TRANSFER, st);
}

/* The registrant contact's e-mail address, or its mobile number in the
 * form the SMS gateway takes (+CC.NNNN → +CCNNNN). */
static reg_err recipient(const struct reg_op *op, const char *registrant, bool sms,
                         char to[OTP_ADDR_MAX], reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT email, mobile FROM contact WHERE handle = ?");
    db_bind_text(s, 1, registrant);
    char email[OTP_ADDR_MAX] = "", mobile[64] = "";
    if (db_next(s)) {
        str_copy(email, sizeof email, db_col_text(s, 0));
        str_copy(mobile, sizeof mobile, db_col_text(s, 1));
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (sms) {
        if (!mobile[0])
            return reg_fail(st, REG_ERR_POLICY,
                            "the registrant (contact %s) has no mobile number (regc:mobile): ask "
                            "for the password by e-mail, <regd:otp channel=\"email\"/>",
                            registrant);
        size_t n = 0;
        for (const char *p = mobile; *p && n + 1 < OTP_ADDR_MAX; p++)
            if (*p != '.')
                to[n++] = *p;
        to[n] = '\0';
        return REG_OK;
    }
    if (!strchr(email, '@')) /* R17: staff can set one */
        return reg_fail(st, REG_ERR_POLICY,
                        "the registrant (contact %s) has no e-mail address to send the password "
                        "to; ask the registry to set one by its manual route",
                        registrant);
    str_copy(to, OTP_ADDR_MAX, email);
    return REG_OK;
}

static reg_err store(const struct reg_op *op, int64_t domain_id, const char *code,
                     const struct otp_sent *out, reg_status *st)
{
    char hash[SECRET_AUTHINFO_HASH_LEN];
    if (secret_authinfo_hash(code, hash))
        return reg_fail(st, REG_ERR_INTERNAL, "cannot hash the one-time password");
    /* the registrar's older password for this domain is void now */
    db_stmt *s = db_query(op->db, "UPDATE otp SET state = 'void' WHERE domain_id = ? AND "
                                  "registrar_id = ? AND state = 'active'");
    db_bind_int(s, 1, domain_id);
    db_bind_int(s, 2, op->registrar_id);
    reg_err e = db_run(s);
    if (e)
        return op_db_fail(op, st, e);
    s = db_query(op->db, "INSERT INTO otp (domain_id, registrar_id, hash, channel, sent_to, "
                         "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, domain_id);
    db_bind_int(s, 2, op->registrar_id);
    db_bind_text(s, 3, hash);
    db_bind_text(s, 4, out->channel);
    db_bind_text(s, 5, out->sent_to);
    db_bind_int(s, 6, op->now);
    db_bind_int(s, 7, out->expires_at);
    e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err otp_request(const struct reg_op *op, const char *name, const char *channel,
                    struct otp_sent *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    bool sms = channel && !strcmp(channel, "sms");
    if (!sms && (!channel || strcmp(channel, "email")))
        return reg_fail(st, REG_ERR_INVALID, "the channel of a one-time password is email or sms");
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    reg_err e = transferable(op, &d, st);
    if (!e)
        e = recipient(op, d.registrant, sms, out->sent_to, st);
    int64_t domain_id = d.id;
    str_copy(out->domain, sizeof out->domain, d.name.alabel);
    domain_free(&d);
    if (e)
        return e;
    str_copy(out->channel, sizeof out->channel, sms ? "sms" : "email");
    out->expires_at = op->now + op->policy->otp_ttl;
    char code[OTP_CODE_LEN + 1], shown[OTP_DISPLAY_LEN];
    if (otp_generate(code))
        return reg_fail(st, REG_ERR_INTERNAL, "no random numbers for a one-time password");
    display(code, shown);
    e = store(op, domain_id, code, out, st);
    if (!e)
        e = notice_otp(op, domain_id, op->registrar_id, out->channel, out->sent_to, shown,
                       out->expires_at, st);
    memset(code, 0, sizeof code);
    memset(shown, 0, sizeof shown);
    return e;
}

/* ---- using one ----------------------------------------------------------------- */

/* Only while still active: of two requests racing with the same password
 * (PostgreSQL re-checks the row after the first commits) one wins. A hash
 * of an older form (rehash set) is replaced all the same, so none is kept. */
static reg_err mark_used(const struct reg_op *op, const struct domain *d, int64_t id,
                         const char *rehash, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE otp SET state = 'used', used_at = ?, "
                                  "hash = COALESCE(?, hash) WHERE id = ? AND state = 'active'");
    db_bind_int(s, 1, op->now);
    db_bind_text(s, 2, rehash[0] ? rehash : NULL);
    db_bind_int(s, 3, id);
    reg_err e = db_run(s);
    if (e)
        return op_db_fail(op, st, e);
    if (db_changes(op->db) != 1)
        return reg_fail(st, REG_ERR_AUTHINFO, "the one-time password for %s was used already",
                        d->name.alabel);
    return REG_OK;
}

reg_err otp_redeem(const struct reg_op *op, const struct domain *d, const char *code,
                   bool *matched, int64_t *wrong_otp, reg_status *st)
{
    *matched = false;
    *wrong_otp = 0;
    db_stmt *s = db_query(op->db, "SELECT id, hash, attempts, expires_at FROM otp WHERE "
                                  "domain_id = ? AND registrar_id = ? AND state = 'active' "
                                  "ORDER BY id DESC LIMIT 1");
    db_bind_int(s, 1, d->id);
    db_bind_int(s, 2, op->registrar_id);
    int64_t id = 0, attempts = 0;
    reg_time expires = 0;
    char hash[SECRET_AUTHINFO_HASH_LEN] = "";
    if (db_next(s)) {
        id = db_col_int(s, 0);
        str_copy(hash, sizeof hash, db_col_text(s, 1));
        attempts = db_col_int(s, 2);
        expires = db_col_int(s, 3);
    }
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    if (!id)
        return REG_OK;
    const char *what = d->has_authinfo ? "the auth info or your one-time password"
                                       : "your one-time password";
    if (expires <= op->now) {
        char ts[REG_TIME_STRLEN];
        return reg_fail(st, REG_ERR_AUTHINFO,
                        "%s for %s is not correct: the one-time password expired at %s; ask "
                        "for a new one with <regd:otp>",
                        what, d->name.alabel, clock_format(expires, ts, sizeof ts));
    }
    char norm[OTP_CODE_LEN + 1], rehash[SECRET_AUTHINFO_HASH_LEN];
    if (otp_normalize(code, norm) && secret_authinfo_verify(hash, norm, rehash)) {
        *matched = true;
        return mark_used(op, d, id, rehash, st);
    }
    *wrong_otp = id;
    int64_t left = op->policy->otp_max_attempts - (attempts + 1);
    if (left > 0)
        return reg_fail(st, REG_ERR_AUTHINFO,
                        "%s for %s is not correct (%lld more wrong %s before the one-time "
                        "password is void)",
                        what, d->name.alabel, (long long)left, left == 1 ? "try" : "tries");
    return reg_fail(st, REG_ERR_AUTHINFO,
                    "%s for %s is not correct; that was the last try: the one-time password is "
                    "void, ask for a new one with <regd:otp>",
                    what, d->name.alabel);
}

reg_err otp_count_wrong(const struct reg_op *op, int64_t otp_id, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE otp SET attempts = attempts + 1, state = CASE WHEN "
                                  "attempts + 1 >= ? THEN 'void' ELSE state END WHERE id = ? AND "
                                  "state = 'active'");
    db_bind_int(s, 1, op->policy->otp_max_attempts);
    db_bind_int(s, 2, otp_id);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err otp_void_domain(const struct reg_op *op, int64_t domain_id, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE otp SET state = 'void' WHERE domain_id = ? AND "
                                  "state = 'active'");
    db_bind_int(s, 1, domain_id);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err otp_expire_due(const struct reg_op *op, int *count, reg_status *st)
{
    db_stmt *s = db_query(op->db, "DELETE FROM otp WHERE expires_at <= ?");
    db_bind_int(s, 1, op->now);
    reg_err e = db_run(s);
    if (e)
        return op_db_fail(op, st, e);
    *count = (int)db_changes(op->db);
    return REG_OK;
}

/* The name a listing filters on: domain's A-label, as given when it is
 * not a domain name, "" (no filter) for NULL. */
static void domain_key(const struct reg_op *op, const char *domain, char key[NAME_MAX_LEN + 1])
{
    struct domain_name dn;
    reg_status ignored;
    key[0] = '\0';
    if (domain)
        str_copy(key, NAME_MAX_LEN + 1,
             names_domain(&op->policy->names, domain, &dn, &ignored) ? domain : dn.alabel);
}

reg_err otp_each(const struct reg_op *op, const char *domain,
                 void (*fn)(const struct otp_row *r, void *arg), void *arg, reg_status *st)
{
    char key[NAME_MAX_LEN + 1];
    domain_key(op, domain, key);
    db_stmt *s = db_query(op->db, "SELECT o.id, d.name, r.handle, o.channel, o.sent_to, o.state, "
                                  "o.created_at, o.expires_at, o.used_at, o.attempts FROM otp o "
                                  "JOIN domain d ON d.id = o.domain_id JOIN registrar r ON r.id "
                                  "= o.registrar_id WHERE ? = '' OR d.name = ? ORDER BY o.id DESC");
    db_bind_text(s, 1, key);
    db_bind_text(s, 2, key);
    while (db_next(s)) {
        struct otp_row r = {
            .id = db_col_int(s, 0),
            .domain = db_col_text(s, 1),
            .registrar = db_col_text(s, 2),
            .channel = db_col_text(s, 3),
            .sent_to = db_col_text(s, 4),
            .state = db_col_text(s, 5),
            .created_at = db_col_int(s, 6),
            .expires_at = db_col_int(s, 7),
            .used_at = db_col_int(s, 8),
            .attempts = (int)db_col_int(s, 9),
        };
        fn(&r, arg);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* ---- R17: the manual route ---------------------------------------------------- */

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static reg_err check_manual(const struct otp_manual_req *in, reg_status *st)
{
    if (blank(in->documents)) /* R17 */
        return reg_fail(st, REG_ERR_MISSING,
                        "say which documents were checked, e.g. \"certificate of "
                        "registration; passport of the signatory\"");
    if (strlen(in->documents) > OTP_DOCUMENTS_MAX)
        return reg_fail(st, REG_ERR_RANGE, "the documents text is longer than %d bytes",
                        OTP_DOCUMENTS_MAX);
    if (precis_text_check("the documents text", in->documents, st))
        return st->code;
    if (blank(in->checked_by))
        return reg_fail(st, REG_ERR_MISSING, "say who checked the documents");
    if (blank(in->email))
        return reg_fail(st, REG_ERR_MISSING, "give the registrant's new e-mail address");
    return REG_OK;
}

/* The registrant contact's new address, through contact_update: history
 * (R40) as staff over regctl, and the R10 mails to the old and the new
 * address. */
static reg_err set_email(const struct reg_op *op, struct otp_manual_result *out,
                         const char *email, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT email FROM contact WHERE handle = ?");
    db_bind_text(s, 1, out->registrant);
    if (db_next(s))
        str_copy(out->old_email, sizeof out->old_email, db_col_text(s, 0));
    reg_err e = db_done(s);
    if (e)
        return op_db_fail(op, st, e);
    char handle[HANDLE_MAX], address[OTP_ADDR_MAX];
    str_copy(handle, sizeof handle, out->registrant);
    str_copy(address, sizeof address, email);
    struct contact_update_req u = {.id = handle, .email = address};
    if (contact_update(op, &u, st))
        return st->code;
    str_copy(out->new_email, sizeof out->new_email, address);
    return REG_OK;
}

static reg_err charge(const struct reg_op *op, const struct otp_manual_req *in,
                      int64_t registrar_id, struct otp_manual_result *out, reg_status *st)
{
    out->fee = op->policy->otp_manual_fee;
    if (out->fee <= 0)
        return REG_OK;
    char text[NAME_MAX_LEN + 100];
    snprintf(text, sizeof text, "Manual handling of a change of registrar for %s",
             out->domain);
    struct invoice inv = {0};
    reg_err e = invoice_fee(op, in->currency, registrar_id, out->fee, text, "domain", out->domain,
                            &inv, st);
    out->invoice_number = inv.number;
    invoice_free(&inv);
    return e;
}

static reg_err record_manual(const struct reg_op *op, int64_t registrar_id,
                             struct otp_manual_result *out, reg_status *st)
{
    db_stmt *s = db_query(op->db, "INSERT INTO otp_manual (domain, registrar_id, registrant, "
                                  "old_email, new_email, documents, checked_by, at, fee, "
                                  "invoice_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                  "RETURNING id");
    db_bind_text(s, 1, out->domain);
    db_bind_int(s, 2, registrar_id);
    db_bind_text(s, 3, out->registrant);
    db_bind_text(s, 4, out->old_email[0] ? out->old_email : NULL);
    db_bind_text(s, 5, out->new_email);
    db_bind_text(s, 6, out->documents);
    db_bind_text(s, 7, out->checked_by);
    db_bind_int(s, 8, op->now);
    db_bind_int(s, 9, out->fee);
    db_bind_int_or_null(s, 10, out->invoice_number, out->invoice_number);
    if (db_next(s))
        out->id = db_col_int(s, 0);
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err otp_manual(const struct reg_op *op, const struct otp_manual_req *in,
                   struct otp_manual_result *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    if (check_manual(in, st))
        return st->code;
    struct registrar r;
    if (registrar_get(op->db, in->registrar, &r, st))
        return st->code;
    int64_t registrar_id = r.id;
    str_copy(out->registrar, sizeof out->registrar, r.handle);
    registrar_free(&r);
    struct domain d;
    if (domain_load_input(op, in->domain, &d, NULL, 0, st))
        return st->code;
    reg_err e = REG_OK;
    if (!strcmp(d.sponsor, out->registrar))
        e = reg_fail(st, REG_ERR_NOT_TRANSFERABLE, "%s already sponsors %s", out->registrar,
                     d.name.alabel);
    str_copy(out->domain, sizeof out->domain, d.name.alabel);
    str_copy(out->registrant, sizeof out->registrant, d.registrant);
    domain_free(&d);
    if (e)
        return e;
    str_copy(out->documents, sizeof out->documents, in->documents);
    str_copy(out->checked_by, sizeof out->checked_by, in->checked_by);
    out->at = op->now;
    if (set_email(op, out, in->email, st) || charge(op, in, registrar_id, out, st))
        return st->code;
    return record_manual(op, registrar_id, out, st);
}

reg_err otp_manual_each(const struct reg_op *op, const char *domain,
                        void (*fn)(const struct otp_manual_result *r, void *arg), void *arg,
                        reg_status *st)
{
    char key[NAME_MAX_LEN + 1];
    domain_key(op, domain, key);
    db_stmt *s = db_query(op->db, "SELECT m.id, m.domain, r.handle, m.registrant, m.old_email, "
                                  "m.new_email, m.documents, m.checked_by, m.at, m.fee, "
                                  "m.invoice_number FROM otp_manual m JOIN registrar r ON r.id = "
                                  "m.registrar_id WHERE ? = '' OR m.domain = ? ORDER BY m.id DESC");
    db_bind_text(s, 1, key);
    db_bind_text(s, 2, key);
    while (db_next(s)) {
        struct otp_manual_result m = {0};
        m.id = db_col_int(s, 0);
        str_copy(m.domain, sizeof m.domain, db_col_text(s, 1));
        str_copy(m.registrar, sizeof m.registrar, db_col_text(s, 2));
        str_copy(m.registrant, sizeof m.registrant, db_col_text(s, 3));
        str_copy(m.old_email, sizeof m.old_email, db_col_text(s, 4));
        str_copy(m.new_email, sizeof m.new_email, db_col_text(s, 5));
        str_copy(m.documents, sizeof m.documents, db_col_text(s, 6));
        str_copy(m.checked_by, sizeof m.checked_by, db_col_text(s, 7));
        m.at = db_col_int(s, 8);
        m.fee = db_col_int(s, 9);
        m.invoice_number = db_col_int(s, 10);
        fn(&m, arg);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}
