#include "outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "contrib/secret.h"

#define MAX_ATTEMPTS 10

reg_err outbox_email(db *d, reg_time now, const char *to, const char *subject, const char *body,
                     const char *cause, reg_status *st)
{
    if (!to || !strchr(to, '@'))
        return reg_fail(st, REG_ERR_INVALID, "no e-mail address to send to");
    db_stmt *s = db_query(d, "INSERT INTO outbox (channel, recipient, subject, body, cause, "
                             "next_try, created_at) VALUES ('email', ?, ?, ?, ?, ?, ?)");
    db_bind_text(s, 1, to);
    db_bind_text(s, 2, subject);
    db_bind_text(s, 3, body);
    db_bind_text(s, 4, cause);
    db_bind_int(s, 5, now);
    db_bind_int(s, 6, now);
    reg_err e = db_run(s);
    return e ? reg_fail(st, e, "cannot queue mail: %s", db_errmsg(d)) : REG_OK;
}

/* Header values come from our own data; keep them on one line. */
static void header_line(FILE *f, const char *name, const char *value)
{
    fprintf(f, "%s: ", name);
    for (const char *p = value; *p; p++)
        fputc(*p == '\r' || *p == '\n' ? ' ' : *p, f);
    fputs("\r\n", f);
}

static reg_err write_spool(const struct mail_settings *ms, int64_t id, const char *to,
                           const char *subject, const char *body, reg_time now, char *err,
                           size_t errlen)
{
    char path[4096], tmp[4200], date[64], token[SECRET_TOKEN_LEN];
    snprintf(path, sizeof path, "%s", ms->spool);
    for (char *p = path + 1; *p; p++) { /* mkdir -p */
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(path, 0750);
        *p = '/';
    }
    if (mkdir(ms->spool, 0750) && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %.400s: %s", ms->spool, strerror(errno));
        return REG_ERR_IO;
    }
    snprintf(path, sizeof path, "%s/%lld.eml", ms->spool, (long long)id);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %.400s: %s", tmp, strerror(errno));
        return REG_ERR_IO;
    }
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    secret_token(token);
    header_line(f, "From", ms->from);
    header_line(f, "To", to);
    header_line(f, "Subject", subject ? subject : "");
    header_line(f, "Date", date);
    fprintf(f, "Message-ID: <%lld.%.16s@registryd>\r\n", (long long)id, token);
    fputs("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
          "Content-Transfer-Encoding: 8bit\r\n\r\n", f);
    for (const char *p = body; *p; p++) {
        if (*p == '\n' && (p == body || p[-1] != '\r'))
            fputc('\r', f);
        fputc(*p, f);
    }
    fputs("\r\n", f);
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path)) {
        snprintf(err, errlen, "cannot write %.400s: %s", path, strerror(errno));
        unlink(tmp);
        return REG_ERR_IO;
    }
    return REG_OK;
}

static reg_err mark(db *d, int64_t id, bool sent, int attempts, reg_time now, const char *error)
{
    db_stmt *s = db_query(d, "UPDATE outbox SET state = ?, attempts = ?, next_try = ?, "
                             "sent_at = ?, last_error = ? WHERE id = ?");
    bool give_up = !sent && attempts >= MAX_ATTEMPTS;
    db_bind_text(s, 1, sent ? "sent" : give_up ? "failed" : "queued");
    db_bind_int(s, 2, attempts);
    db_bind_int(s, 3, now + (60LL << (attempts < 12 ? attempts : 12)));
    if (sent)
        db_bind_int(s, 4, now);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, error);
    db_bind_int(s, 6, id);
    return db_run(s);
}

reg_err outbox_deliver(db *d, const struct mail_settings *ms, reg_time now, int max, int *sent,
                       int *failed, reg_status *st)
{
    *sent = *failed = 0;
    for (int i = 0; i < max; i++) {
        db_stmt *s = db_query(d, "SELECT id, channel, recipient, subject, body, attempts FROM "
                                 "outbox WHERE state = 'queued' AND next_try <= ? "
                                 "ORDER BY next_try, id LIMIT 1");
        db_bind_int(s, 1, now);
        if (!db_next(s)) {
            reg_err e = db_done(s);
            return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
        }
        int64_t id = db_col_int(s, 0);
        bool email = !strcmp(db_col_text(s, 1), "email");
        char *to = strdup(db_col_text(s, 2));
        char *subject = db_col_is_null(s, 3) ? strdup("") : strdup(db_col_text(s, 3));
        char *body = strdup(db_col_text(s, 4));
        int attempts = (int)db_col_int(s, 5) + 1;
        db_done(s);
        char err[512] = "";
        reg_err e = email ? write_spool(ms, id, to, subject, body, now, err, sizeof err)
                          : (snprintf(err, sizeof err, "SMS delivery is not configured"),
                             REG_ERR_UNIMPLEMENTED);
        free(to);
        free(subject);
        free(body);
        if (mark(d, id, !e, attempts, now, e ? err : NULL))
            return reg_fail(st, REG_ERR_DB, "database: %s", db_errmsg(d));
        if (e)
            (*failed)++;
        else
            (*sent)++;
    }
    return REG_OK;
}

reg_err outbox_each(db *d, const char *state, void (*fn)(const struct outbox_msg *m, void *arg),
                    void *arg, reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT id, channel, recipient, subject, body, cause, state, "
                             "last_error, attempts, created_at, next_try, sent_at FROM outbox "
                             "WHERE CAST(? AS TEXT) IS NULL OR state = ? ORDER BY id");
    db_bind_text(s, 1, state);
    db_bind_text(s, 2, state);
    while (db_next(s)) {
        struct outbox_msg m = {
            .id = db_col_int(s, 0), .channel = db_col_text(s, 1), .recipient = db_col_text(s, 2),
            .subject = db_col_text(s, 3), .body = db_col_text(s, 4), .cause = db_col_text(s, 5),
            .state = db_col_text(s, 6), .last_error = db_col_text(s, 7),
            .attempts = (int)db_col_int(s, 8), .created_at = db_col_int(s, 9),
            .next_try = db_col_int(s, 10), .sent_at = db_col_int(s, 11),
        };
        fn(&m, arg);
    }
    reg_err e = db_done(s);
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

reg_err outbox_retry(db *d, int64_t id, reg_time now, reg_status *st)
{
    db_stmt *s = db_query(d, "UPDATE outbox SET state = 'queued', next_try = ? WHERE id = ? AND "
                             "state <> 'sent'");
    db_bind_int(s, 1, now);
    db_bind_int(s, 2, id);
    reg_err e = db_run(s);
    if (e)
        return reg_fail(st, e, "database: %s", db_errmsg(d));
    if (db_changes(d) == 0)
        return reg_fail(st, REG_ERR_NOT_FOUND, "no unsent message %lld in the outbox", (long long)id);
    return REG_OK;
}
