#include "smtp.h"

#include <stdio.h>
#include <string.h>

#include "contrib/mailaddr.h"
#include "curl_handle.h"

#define DEFAULT_TIMEOUT 60L

/* At most n-1 bytes of s with control characters as '?', for messages. */
static const char *printable(const char *s, char *buf, size_t n)
{
    size_t i = 0;
    for (; s && s[i] && i + 1 < n; i++)
        buf[i] = (unsigned char)s[i] < ' ' || s[i] == 0x7f ? '?' : s[i];
    buf[i] = '\0';
    return buf;
}

struct upload {
    const char *p;
    size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
    struct upload *u = arg;
    size_t n = size * nitems < u->left ? size * nitems : u->left;
    memcpy(buf, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

/* What the debug callback learns: the relay's last reply line, and how far
 * the session got (after MAIL FROM a failure is the message's). */
struct trace {
    char reply[200];
    const char *stage; /* NULL before MAIL FROM */
    bool quit_sent;
};

static bool starts(const char *data, size_t size, const char *prefix)
{
    size_t n = strlen(prefix);
    return size >= n && !strncmp(data, prefix, n);
}

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
    (void)h;
    struct trace *t = arg;
    if (type == CURLINFO_HEADER_OUT) { /* commands: matched, never kept (AUTH) */
        if (starts(data, size, "MAIL FROM:"))
            t->stage = "MAIL FROM";
        else if (starts(data, size, "RCPT TO:"))
            t->stage = "RCPT TO";
        else if (starts(data, size, "DATA"))
            t->stage = "DATA";
        else if (starts(data, size, "QUIT"))
            t->quit_sent = true;
    } else if (type == CURLINFO_HEADER_IN && !t->quit_sent) { /* not the 221 to QUIT */
        if (t->stage && !strcmp(t->stage, "DATA") && starts(data, size, "354"))
            t->stage = "end of data";
        size_t n = 0;
        for (size_t i = 0; i < size && n + 1 < sizeof t->reply; i++) {
            unsigned char c = (unsigned char)data[i];
            if (c == '\r' || c == '\n')
                break;
            t->reply[n++] = c < ' ' || c == 0x7f ? '?' : (char)c;
        }
        if (n)
            t->reply[n] = '\0';
    }
    return 0;
}

reg_err smtp_send(const struct smtp_relay *relay, const char *from, const char *to,
                  const char *msg, size_t len, char *err, size_t errlen)
{
    char env_from[320], env_to[320], mail_from[324], rcpt[324], shown[200];
    if (!mail_addr_spec(from, env_from, sizeof env_from)) {
        snprintf(err, errlen, "[mail] from is not an address: %s",
                 printable(from, shown, sizeof shown));
        return REG_ERR_POLICY;
    }
    if (!mail_addr_spec(to, env_to, sizeof env_to)) {
        snprintf(err, errlen, "recipient is not an address: %s", printable(to, shown, sizeof shown));
        return REG_ERR_POLICY;
    }
    char curl_err[CURL_ERROR_SIZE];
    long timeout = relay->timeout > 0 ? relay->timeout : DEFAULT_TIMEOUT;
    CURL *h = notify_curl_open(relay->url, "smtp,smtps", timeout, relay->ca_file, curl_err);
    if (!h) {
        snprintf(err, errlen, "cannot initialise libcurl");
        return REG_ERR_IO;
    }
    snprintf(mail_from, sizeof mail_from, "<%s>", env_from);
    snprintf(rcpt, sizeof rcpt, "<%s>", env_to);
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    struct upload up = {msg, len};
    struct trace tr = {"", NULL, false};

    curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &tr);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); /* feeds debug_cb; it prints nothing */
    if (relay->starttls)
        curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (relay->user && *relay->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, relay->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, relay->password ? relay->password : "");
    }

    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(rcpts);
    curl_easy_cleanup(h);
    if (rc == CURLE_OK)
        return REG_OK;

    const char *why = notify_curl_error(rc, curl_err);
    if (tr.stage && rc != CURLE_OPERATION_TIMEDOUT) {
        /* the relay answered this message with 4xx/5xx (or hung up on it) */
        snprintf(err, errlen, "relay refused the message at %s: %.300s", tr.stage,
                 tr.reply[0] && tr.reply[0] != '2' && tr.reply[0] != '3' ? tr.reply : why);
        return REG_ERR_POLICY;
    }
    if (tr.reply[0] == '4' || tr.reply[0] == '5')
        snprintf(err, errlen, "SMTP relay: %.300s (relay said: %s)", why, tr.reply);
    else
        snprintf(err, errlen, "SMTP relay: %.300s", why);
    return REG_ERR_IO;
}
