#include "outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "contrib/log.h"
#include "contrib/metric_table.h"
#include "contrib/secret.h"
#include "contrib/strbuf.h"
#include "store/db.h"
#include "sms.h"
#include "smtp.h"

#define MAX_ATTEMPTS 10

/* sb's text for the caller to free; NULL (sb freed) without memory. */
static char *taken(strbuf *sb)
{
    if (sb->err) {
        sb_free(sb);
        return NULL;
    }
    return sb_steal(sb);
}

/* The spans of a message's secrets as stored in outbox.secrets:
 * "start:len,start:len" (bytes of the body, in order); NULL when it has
 * none. */
static char *secret_spans(const struct rendered *r)
{
    if (!r->nsecrets)
        return NULL;
    strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < r->nsecrets; i++)
        sb_printf(&sb, "%s%zu:%zu", i ? "," : "", r->secrets[i].start, r->secrets[i].len);
    return taken(&sb);
}

#define REDACTED "[redacted]"

/* body with "[redacted]" in place of each span of `spans` (as stored; "*"
 * is all of it, for rows older than the spans); spans that do not fit the
 * body redact all of it. *n gets how many secrets went. NULL without
 * memory. */
static char *redact(const char *body, const char *spans, int *n)
{
    size_t len = strlen(body), at = 0;
    strbuf sb;
    sb_init(&sb);
    *n = 0;
    for (const char *p = spans; strcmp(spans, "*");) {
        char *colon, *end;
        unsigned long long start = strtoull(p, &colon, 10);
        if (colon == p || *colon != ':' || start < at || start > len)
            break;
        unsigned long long span = strtoull(colon + 1, &end, 10);
        if (end == colon + 1 || (*end && *end != ',') || span > len - start)
            break;
        sb_printf(&sb, "%.*s" REDACTED, (int)(start - at), body + at);
        at = start + span;
        ++*n;
        if (!*end) {
            sb_puts(&sb, body + at);
            return taken(&sb);
        }
        p = end + 1;
    }
    sb_free(&sb); /* "*", or spans that do not fit: all of it */
    *n = 1;
    return strdup(REDACTED);
}

/* Set once at startup by the process that delivers (registryd), before
 * any thread queues a message. */
static void (*_Atomic queued_hook)(void);

void outbox_on_queued(void (*fn)(void))
{
    queued_hook = fn;
}

static reg_err queue(db *d, reg_time now, const char *channel, const char *to,
                     const char *subject, const struct rendered *text, const char *cause,
                     reg_status *st)
{
    char *spans = secret_spans(text);
    if (text->nsecrets && !spans)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    db_stmt *s = db_query(d, "INSERT INTO outbox (channel, recipient, subject, body, secrets, "
                             "cause, next_try, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(s, 1, channel);
    db_bind_text(s, 2, to);
    db_bind_text(s, 3, subject);
    db_bind_text(s, 4, text->body);
    db_bind_text(s, 5, spans);
    db_bind_text(s, 6, cause);
    db_bind_int(s, 7, now);
    db_bind_int(s, 8, now);
    reg_err e = db_run(s);
    free(spans);
    if (e)
        return reg_fail(st, e, "cannot queue the %s: %s", channel, db_errmsg(d));
    void (*hook)(void) = queued_hook;
    if (hook) /* deliver once the message is committed, not a job interval later */
        db_after_commit(d, hook);
    return REG_OK;
}

reg_err outbox_email(db *d, reg_time now, const char *to, const struct rendered *mail,
                     const char *cause, reg_status *st)
{
    if (!to || !strchr(to, '@'))
        return reg_fail(st, REG_ERR_INVALID, "no e-mail address to send to");
    return queue(d, now, "email", to, mail->subject, mail, cause, st);
}

/* E.164: '+', then 6 to 15 digits; the EPP form "+45.12345678" (RFC 5733
 * e164Type) loses its dot. Anything else is refused rather than guessed. */
static bool sms_number(const char *to, char out[20])
{
    if (!to || to[0] != '+')
        return false;
    size_t digits = 0, dots = 0;
    out[0] = '+';
    for (const char *p = to + 1; *p; p++) {
        if (*p == '.' && !dots++ && digits)
            continue;
        if (*p < '0' || *p > '9' || digits == 15)
            return false;
        out[1 + digits++] = *p;
    }
    out[1 + digits] = '\0';
    return digits >= 6;
}

reg_err outbox_sms(db *d, reg_time now, const char *number, const struct rendered *text,
                   const char *cause, reg_status *st)
{
    char to[20];
    if (!sms_number(number, to))
        return reg_fail(st, REG_ERR_INVALID, "no mobile number (+ and 6-15 digits) to send to");
    return queue(d, now, "sms", to, NULL, text, cause, st);
}

/* Header values come from our own data; keep them on one line. */
static void header_line(strbuf *sb, const char *name, const char *value)
{
    sb_printf(sb, "%s: ", name);
    for (const char *p = value; *p; p++)
        sb_putc(sb, *p == '\r' || *p == '\n' ? ' ' : *p);
    sb_puts(sb, "\r\n");
}

/* RFC 2047 B encoding in words of at most 39 bytes (52 base64 characters,
 * 64 with the markers), never splitting a UTF-8 sequence; folded lines. */
static void header_encoded(strbuf *sb, const char *name, const char *value)
{
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        ascii &= (*p >= ' ' && *p < 0x7f) || *p == '\r' || *p == '\n' || *p == '\t';
    if (ascii) {
        header_line(sb, name, value);
        return;
    }
    sb_printf(sb, "%s:", name);
    size_t n = strlen(value);
    for (size_t i = 0; i < n;) {
        size_t k = n - i < 39 ? n - i : 39;
        while (k > 1 && i + k < n && ((unsigned char)value[i + k] & 0xc0) == 0x80)
            k--;
        unsigned char chunk[40], b64[64];
        for (size_t j = 0; j < k; j++) /* no CR/LF inside a header, even encoded */
            chunk[j] = value[i + j] == '\r' || value[i + j] == '\n' ? ' ' : value[i + j];
        EVP_EncodeBlock(b64, chunk, (int)k);
        sb_printf(sb, "%s=?utf-8?B?%s?=", i ? "\r\n " : " ", (const char *)b64);
        i += k;
    }
    sb_puts(sb, "\r\n");
}

char *mail_format(const char *from, int64_t id, const char *to, const char *subject,
                  const char *body, reg_time now, size_t *len)
{
    char date[64], token[SECRET_TOKEN_LEN];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    secret_token(token);
    strbuf sb;
    sb_init(&sb);
    header_line(&sb, "From", from);
    header_line(&sb, "To", to);
    header_encoded(&sb, "Subject", subject ? subject : "");
    header_line(&sb, "Date", date);
    sb_printf(&sb, "Message-ID: <%lld.%.16s@registryd>\r\n", (long long)id, token);
    sb_puts(&sb, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                 "Content-Transfer-Encoding: 8bit\r\n\r\n");
    for (const char *p = body; *p; p++) {
        if (*p == '\n' && (p == body || p[-1] != '\r'))
            sb_putc(&sb, '\r');
        sb_putc(&sb, *p);
    }
    if (!*body || body[strlen(body) - 1] != '\n')
        sb_puts(&sb, "\r\n");
    if (sb.err) {
        sb_free(&sb);
        return NULL;
    }
    *len = sb.len;
    return sb_steal(&sb);
}

/* One file per message, written to a temporary name, fsynced, renamed. */
static reg_err write_spool(const char *spool, int64_t id, const char *ext, const char *msg,
                           size_t len, char *err, size_t errlen)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s", spool);
    for (char *p = path + 1; *p; p++) { /* mkdir -p */
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(path, 0750);
        *p = '/';
    }
    if (mkdir(spool, 0750) && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %.400s: %s", spool, strerror(errno));
        return REG_ERR_IO;
    }
    snprintf(path, sizeof path, "%s/%lld.%s", spool, (long long)id, ext);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %.400s: %s", tmp, strerror(errno));
        return REG_ERR_IO;
    }
    bool ok = fwrite(msg, 1, len, f) == len;
    ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path)) {
        snprintf(err, errlen, "cannot write %.400s: %s", path, strerror(errno));
        unlink(tmp);
        return REG_ERR_IO;
    }
    return REG_OK;
}

/* --- channels: how one message goes out ------------------------------------- */

/* What one attempt came to. */
enum attempt {
    SENT,
    RETRY,   /* kept, due again after the backoff */
    REFUSED, /* failed at once: sending it again cannot help */
    HELD,    /* kept for a retry; the channel's transport is down: hold the others */
};

struct queued {
    int64_t id;
    const char *to, *subject, *body;
    const char *secrets; /* where its secrets are (outbox.secrets); NULL: none */
};

struct channel {
    const char *name; /* outbox.channel */
    const char *log;  /* log subsystem */
    enum attempt (*send)(const struct outbox_settings *os, const struct queued *m, reg_time now,
                         char *err, size_t errlen);
    const char *(*via)(const struct outbox_settings *os);
};

static bool set(const char *s) { return s && *s; }

/* E-mail to the relay or the spool. A refusal of the message (4xx/5xx) is
 * retried: relays refuse for passing reasons too (greylisting, full
 * mailbox); an unusable relay holds the channel. */
static enum attempt send_email(const struct outbox_settings *os, const struct queued *m,
                               reg_time now, char *err, size_t errlen)
{
    const struct mail_settings *ms = &os->mail;
    size_t len = 0;
    char *msg = mail_format(ms->from, m->id, m->to, m->subject, m->body, now, &len);
    if (!msg) {
        snprintf(err, errlen, "out of memory formatting the message");
        return RETRY;
    }
    reg_err e;
    if (set(ms->smtp)) {
        struct smtp_relay relay = {.url = ms->smtp, .starttls = ms->starttls, .user = ms->user,
                                   .password = ms->password, .ca_file = ms->ca_file,
                                   .timeout = ms->timeout};
        e = smtp_send(&relay, ms->from, m->to, msg, len, err, errlen);
    } else {
        e = write_spool(ms->spool, m->id, "eml", msg, len, err, errlen);
    }
    free(msg);
    return !e ? SENT : e == REG_ERR_IO && set(ms->smtp) ? HELD : RETRY;
}

static const char *email_via(const struct outbox_settings *os)
{
    return set(os->mail.smtp) ? "smtp" : "spool";
}

/* SMS to the gateway or the spool (sms.h says what each answer means). */
static enum attempt send_sms(const struct outbox_settings *os, const struct queued *m,
                             reg_time now, char *err, size_t errlen)
{
    (void)now;
    const struct sms_settings *ss = &os->sms;
    if (set(ss->gateway)) {
        struct sms_gateway gw = {.url = ss->gateway, .token = ss->token, .sender = ss->sender,
                                 .ca_file = ss->ca_file, .timeout = ss->timeout};
        reg_err e = sms_send(&gw, m->to, m->body, err, errlen);
        return !e ? SENT : e == REG_ERR_INVALID ? REFUSED : HELD;
    }
    char *json = sms_json(m->to, ss->sender ? ss->sender : "", m->body);
    if (!json) {
        snprintf(err, errlen, "the text is not valid UTF-8 (or out of memory)");
        return REFUSED;
    }
    size_t len = strlen(json);
    json[len] = '\n'; /* the NUL's place: the file ends with a line end */
    reg_err e = write_spool(ss->spool, m->id, "json", json, len + 1, err, errlen);
    free(json);
    return e ? RETRY : SENT;
}

static const char *sms_via(const struct outbox_settings *os)
{
    return set(os->sms.gateway) ? "gateway" : "spool";
}

static const struct channel channels[] = {
    {"email", "mail", send_email, email_via},
    {"sms", "sms", send_sms, sms_via},
};
#define CHANNELS (sizeof channels / sizeof channels[0])

static const struct channel *channel_named(const char *name)
{
    for (size_t i = 0; i < CHANNELS; i++)
        if (!strcmp(channels[i].name, name))
            return &channels[i];
    return NULL;
}

/* --- the queue -------------------------------------------------------------- */

/* Records what an attempt came to. A message delivered or given up keeps
 * its text with "[redacted]" in place of each secret it carried. */
static reg_err mark(db *d, const struct queued *m, enum attempt how, int attempts, reg_time now,
                    const char *error)
{
    bool sent = how == SENT, give_up = how == REFUSED || (!sent && attempts >= MAX_ATTEMPTS);
    int redacted = 0;
    char *kept = NULL;
    if ((sent || give_up) && m->secrets && !(kept = redact(m->body, m->secrets, &redacted)))
        return REG_ERR_NOMEM;
    db_stmt *s = db_query(d, "UPDATE outbox SET state = ?, attempts = ?, next_try = ?, "
                             "sent_at = ?, last_error = ?, body = COALESCE(?, body), "
                             "secrets = CASE WHEN ? > 0 THEN NULL ELSE secrets END, "
                             "redacted = redacted + ? WHERE id = ?");
    db_bind_text(s, 1, sent ? "sent" : give_up ? "failed" : "queued");
    db_bind_int(s, 2, attempts);
    db_bind_int(s, 3, now + (60LL << (attempts < 12 ? attempts : 12)));
    db_bind_int_or_null(s, 4, sent, now);
    db_bind_text(s, 5, error);
    db_bind_text(s, 6, kept);
    db_bind_int(s, 7, redacted);
    db_bind_int(s, 8, redacted);
    db_bind_int(s, 9, m->id);
    free(kept);
    return db_run(s);
}

static reg_err count_due(db *d, reg_time now, const char *channel, int *n)
{
    db_stmt *s = db_query(d, "SELECT COUNT(*) FROM outbox WHERE state = 'queued' AND "
                             "next_try <= ? AND channel = ?");
    db_bind_int(s, 1, now);
    db_bind_text(s, 2, channel);
    *n = db_next(s) ? (int)db_col_int(s, 0) : 0;
    return db_done(s);
}

/* The next due message of a channel not held (m->id 0 when none). */
static reg_err next_due(db *d, reg_time now, const bool held[CHANNELS], struct queued *m,
                        const struct channel **ch, int *attempts)
{
    _Static_assert(sizeof channels / sizeof channels[0] == 2, "one '<> ?' per channel");
    memset(m, 0, sizeof *m);
    bool secret = false;
    db_stmt *s = db_query(d, "SELECT id, channel, recipient, subject, body, attempts, secrets "
                             "FROM outbox WHERE state = 'queued' AND next_try <= ? "
                             "AND channel <> ? AND channel <> ? ORDER BY next_try, id LIMIT 1");
    db_bind_int(s, 1, now);
    for (size_t i = 0; i < CHANNELS; i++)
        db_bind_text(s, 2 + (int)i, held[i] ? channels[i].name : "-");
    if (db_next(s)) {
        m->id = db_col_int(s, 0);
        *ch = channel_named(db_col_text(s, 1));
        m->to = strdup(db_col_text(s, 2));
        m->subject = strdup(db_col_is_null(s, 3) ? "" : db_col_text(s, 3));
        m->body = strdup(db_col_text(s, 4));
        *attempts = (int)db_col_int(s, 5) + 1;
        secret = !db_col_is_null(s, 6);
        m->secrets = secret ? strdup(db_col_text(s, 6)) : NULL;
    }
    reg_err e = db_done(s);
    if (!e && m->id && (!m->to || !m->subject || !m->body || (secret && !m->secrets)))
        e = REG_ERR_NOMEM;
    return e;
}

static void queued_free(struct queued *m)
{
    free((char *)m->to);
    free((char *)m->subject);
    free((char *)m->body);
    free((char *)m->secrets);
}

reg_err outbox_deliver(db *d, const struct outbox_settings *os, reg_time now, int max,
                       struct outbox_result *res, reg_status *st)
{
    memset(res, 0, sizeof *res);
    if (db_in_transaction(d))
        return reg_fail(st, REG_ERR_INTERNAL, "outbox_deliver must not run inside a transaction");
    bool held[CHANNELS] = {false};
    for (int i = 0; i < max; i++) {
        struct queued m;
        const struct channel *ch = NULL;
        int attempts = 0;
        reg_err e = next_due(d, now, held, &m, &ch, &attempts);
        if (e || !m.id) {
            queued_free(&m);
            if (e)
                return e == REG_ERR_NOMEM ? reg_fail(st, e, "out of memory")
                                          : reg_fail(st, e, "database: %s", db_errmsg(d));
            break;
        }
        /* the message may be committed and not yet on the disk
         * (store/db.h, db_sync_commits): sent only once it is */
        if (db_sync_commits(d)) {
            queued_free(&m);
            return reg_fail(st, REG_ERR_IO, "database: %s", db_errmsg(d));
        }
        char err[512] = "";
        enum attempt how = RETRY;
        if (ch)
            how = ch->send(os, &m, now, err, sizeof err);
        else
            snprintf(err, sizeof err, "no such channel");
        if (how == SENT)
            reg_log(LOG_INFO, ch->log, NULL, "delivered", "outbox=%lld via=%s", (long long)m.id,
                    ch->via(os));
        else
            reg_log(LOG_WARN, ch ? ch->log : "mail", NULL, "deliver-failed",
                    "outbox=%lld attempt=%d error=\"%s\"", (long long)m.id, attempts, err);
        bool given_up = how == REFUSED || (how != SENT && attempts >= MAX_ATTEMPTS);
        const char *channel = ch ? ch->name : "unknown";
        if (how == SENT)
            metric_add(METRIC(M_OUTBOX_SENT), &channel, 1);
        else
            metric_add(METRIC(M_OUTBOX_FAILURES),
                       (const char *[]){channel, given_up ? "given_up" : "retry"}, 1);
        e = mark(d, &m, how, attempts, now, how == SENT ? NULL : err);
        queued_free(&m);
        if (e)
            return e == REG_ERR_NOMEM ? reg_fail(st, e, "out of memory")
                                      : reg_fail(st, REG_ERR_DB, "database: %s", db_errmsg(d));
        if (how == SENT)
            res->sent++;
        else if (given_up)
            res->failed++;
        else
            res->retry++;
        if (how == HELD) /* the others of this channel would fail alike: leave them due */
            held[ch - channels] = true;
    }
    for (size_t c = 0; c < CHANNELS; c++) {
        int *waiting = !strcmp(channels[c].name, "email") ? &res->waiting : &res->waiting_sms;
        if (held[c] && count_due(d, now, channels[c].name, waiting))
            return reg_fail(st, REG_ERR_DB, "database: %s", db_errmsg(d));
    }
    return REG_OK;
}

reg_err outbox_backlog(db *d, reg_time now,
                       void (*fn)(const char *channel, int64_t queued, int64_t age, void *arg),
                       void *arg, reg_status *st)
{
    int64_t queued[CHANNELS] = {0};
    reg_time oldest[CHANNELS] = {0};
    db_stmt *s = db_query(d, "SELECT channel, COUNT(*), MIN(created_at) FROM outbox "
                             "WHERE state = 'queued' GROUP BY channel");
    while (db_next(s)) {
        const struct channel *ch = channel_named(db_col_text(s, 0));
        if (ch) {
            queued[ch - channels] = db_col_int(s, 1);
            oldest[ch - channels] = db_col_int(s, 2);
        }
    }
    reg_err e = db_done(s);
    if (e)
        return reg_fail(st, e, "cannot read the outbox: %s", db_errmsg(d));
    for (size_t c = 0; c < CHANNELS; c++)
        fn(channels[c].name, queued[c],
           queued[c] && now > oldest[c] ? now - oldest[c] : 0, arg);
    return REG_OK;
}

reg_err outbox_each(db *d, const char *state, void (*fn)(const struct outbox_msg *m, void *arg),
                    void *arg, reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT id, channel, recipient, subject, body, cause, state, "
                             "last_error, attempts, created_at, next_try, sent_at, secrets "
                             "FROM outbox WHERE CAST(? AS TEXT) IS NULL OR state = ? ORDER BY id");
    db_bind_text(s, 1, state);
    db_bind_text(s, 2, state);
    bool nomem = false;
    while (!nomem && db_next(s)) {
        /* a secret still to be sent is not shown either */
        bool secret = !db_col_is_null(s, 12);
        int n;
        char *shown = secret ? redact(db_col_text(s, 4), db_col_text(s, 12), &n) : NULL;
        nomem = secret && !shown;
        struct outbox_msg m = {
            .id = db_col_int(s, 0), .channel = db_col_text(s, 1), .recipient = db_col_text(s, 2),
            .subject = db_col_text(s, 3), .body = shown ? shown : db_col_text(s, 4),
            .cause = db_col_text(s, 5), .state = db_col_text(s, 6),
            .last_error = db_col_text(s, 7), .attempts = (int)db_col_int(s, 8),
            .created_at = db_col_int(s, 9), .next_try = db_col_int(s, 10),
            .sent_at = db_col_int(s, 11),
        };
        if (!nomem)
            fn(&m, arg);
        free(shown);
    }
    reg_err e = db_done(s);
    if (nomem)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    return e ? reg_fail(st, e, "database: %s", db_errmsg(d)) : REG_OK;
}

reg_err outbox_retry(db *d, int64_t id, reg_time now, reg_status *st)
{
    /* one statement: the deliverer may mark the message sent meanwhile */
    db_stmt *s = db_query(d, "UPDATE outbox SET state = 'queued', next_try = ? "
                             "WHERE id = ? AND state <> 'sent' AND redacted = 0");
    db_bind_int(s, 1, now);
    db_bind_int(s, 2, id);
    reg_err e = db_run(s);
    if (e)
        return reg_fail(st, e, "database: %s", db_errmsg(d));
    if (db_changes(d))
        return REG_OK;
    /* nothing queued: say why */
    s = db_query(d, "SELECT redacted FROM outbox WHERE id = ? AND state <> 'sent'");
    db_bind_int(s, 1, id);
    bool found = db_next(s);
    int64_t redacted = found ? db_col_int(s, 0) : 0;
    if ((e = db_done(s)))
        return reg_fail(st, e, "database: %s", db_errmsg(d));
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "no unsent message %lld in the outbox", (long long)id);
    if (redacted)
        return reg_fail(st, REG_ERR_POLICY,
                        "message %lld carried a password or confirmation link that was removed "
                        "when it was given up; it cannot be sent again: the registrar asks for "
                        "a new one",
                        (long long)id);
    return reg_fail(st, REG_ERR_NOT_FOUND, "no unsent message %lld in the outbox", (long long)id);
}
