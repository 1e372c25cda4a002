/* The one-time password message (R16): see notices_otp.h. */
#include "notices_otp.h"

#include <stdio.h>
#include <string.h>

#include "names.h"
#include "notify/outbox.h"

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

void notice_otp_subject(const char *domain, char *out, size_t n)
{
    snprintf(out, n, "One-time password to move the domain %s", domain);
}

void notice_otp_email(const char *holder, const char *domain, const char *registrar,
                      const char *code, const char *until, char *out, size_t n)
{
    char hello[300];
    if (holder && *holder)
        snprintf(hello, sizeof hello, "Hello %s,", holder);
    else
        copy(hello, sizeof hello, "Hello,");
    snprintf(out, n,
             "%s\n\n"
             "The %s has asked the registry for a one-time password\n"
             "to move the domain %s, of which you are the registrant (holder),\n"
             "to it.\n\n"
             "Your one-time password:  %s\n\n"
             "If you want the domain moved to that registrar, give them this password.\n"
             "It works once, for that registrar only, until %s.\n\n"
             "If you did not ask for the move, ignore this message: without the password\n"
             "nothing changes.\n"
             "\n-- \nThe registry\n",
             hello, registrar, domain, code, until);
}

void notice_otp_sms(const char *domain, const char *registrar, const char *code,
                    const char *until, char *out, size_t n)
{
    snprintf(out, n,
             "One-time password %s to move %s to %s. Give it only to that registrar, and only "
             "if you want the move. Valid until %s.",
             code, domain, registrar, until);
}

struct otp_who {
    char domain[2 * (NAME_MAX_LEN + 1) + 4]; /* "U-label (A-label)" for an IDN */
    char holder[256];
    char registrar[300]; /* "Name (HANDLE)" */
};

static reg_err load_who(const struct reg_op *op, int64_t domain_id, int64_t gaining_id,
                        struct otp_who *w, reg_status *st)
{
    memset(w, 0, sizeof *w);
    db_stmt *s = db_query(op->db, "SELECT d.name, d.uname, (SELECT p.name FROM contact_postal p "
                                  "WHERE p.contact_id = d.registrant_id ORDER BY p.type DESC "
                                  "LIMIT 1), r.name, r.handle FROM domain d, registrar r "
                                  "WHERE d.id = ? AND r.id = ?");
    db_bind_int(s, 1, domain_id); /* "loc" sorts after "int": DESC prefers the local name */
    db_bind_int(s, 2, gaining_id);
    if (db_next(s)) {
        const char *a = db_col_text(s, 0), *u = db_col_text(s, 1);
        if (a && u && strcmp(a, u))
            snprintf(w->domain, sizeof w->domain, "%s (%s)", u, a);
        else
            copy(w->domain, sizeof w->domain, a);
        copy(w->holder, sizeof w->holder, db_col_text(s, 2));
        const char *name = db_col_text(s, 3), *handle = db_col_text(s, 4);
        if (name && *name && strcmp(name, handle))
            snprintf(w->registrar, sizeof w->registrar, "registrar %s (%s)", name, handle);
        else
            snprintf(w->registrar, sizeof w->registrar, "registrar %s", handle ? handle : "");
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err notice_otp(const struct reg_op *op, int64_t domain_id, int64_t gaining_id,
                   const char *channel, const char *to, const char *code, reg_time expires,
                   reg_status *st)
{
    struct otp_who w;
    if (load_who(op, domain_id, gaining_id, &w, st))
        return st->code;
    char until[REG_TIME_STRLEN + 8];
    clock_format(expires, until, sizeof until);
    if (!strcmp(channel, "sms")) {
        char text[1024];
        notice_otp_sms(w.domain, w.registrar, code, until, text, sizeof text);
        return outbox_sms(op->db, op->now, to, text, "otp", st);
    }
    char subject[sizeof w.domain + 64], body[4096];
    notice_otp_subject(w.domain, subject, sizeof subject);
    notice_otp_email(w.holder, w.domain, w.registrar, code, until, body, sizeof body);
    return outbox_email(op->db, op->now, to, subject, body, "otp", st);
}
