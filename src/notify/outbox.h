/* The outbox (DESIGN §4, §8): messages are queued in the transaction of
 * the change that causes them, so a message exists exactly when its cause
 * was committed; the outbox-deliver job sends them later. */
#ifndef REG_OUTBOX_H
#define REG_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "store/db.h"
#include "templates.h"

/* fn() after each commit of a transaction that queued a message (on the
 * committing thread, so it must be quick: registryd's wakes its
 * scheduler to deliver at once). Set it before any thread queues. */
void outbox_on_queued(void (*fn)(void));

/* In the caller's transaction: the rendered template `mail` (subject and
 * body) to `to`. Where its secrets are (templates.h: a password, a link
 * with a token) is stored with it: the message goes out whole, and once
 * it is delivered (to the relay or the spool) or given up, the stored
 * body keeps "[redacted]" in place of each secret, for the record, never
 * the live value. */
reg_err outbox_email(db *d, reg_time now, const char *to, const struct rendered *mail,
                     const char *cause, reg_status *st);

/* In the caller's transaction: the body of `text` as a text message to a
 * mobile number in international form (+4512345678, or EPP's
 * +45.12345678: stored without the dot), its secrets kept as for
 * e-mail. Delivered by the SMS gateway. */
reg_err outbox_sms(db *d, reg_time now, const char *to, const struct rendered *text,
                   const char *cause, reg_status *st);

/* A message as it may be shown (outbox_each): `body` has "[redacted]" in
 * place of each secret, also while the message still waits to be sent. */
struct outbox_msg {
    int64_t id;
    const char *channel, *recipient, *subject, *body, *cause, *state, *last_error;
    int attempts;
    reg_time created_at, next_try, sent_at;
};

struct mail_settings {
    const char *from;
    const char *spool;    /* directory: one RFC 5322 file per message (no relay set) */
    const char *smtp;     /* relay URL smtp://… or smtps://…; NULL/"" = the spool */
    bool starttls;        /* smtp:// only: require STARTTLS */
    const char *user;     /* AUTH when non-empty */
    const char *password;
    const char *ca_file;  /* PEM CA bundle for the relay; NULL/"" = system store */
    long timeout;         /* seconds per SMTP session */
};

/* The RFC 5322 text of one e-mail: CRLF line ends, header values on one
 * line, a non-ASCII subject as RFC 2047 encoded words, UTF-8 body sent as
 * 8bit. The spool stores exactly this and the relay receives exactly this.
 * Returns a malloc'd string (length in *len) or NULL without memory. */
char *mail_format(const char *from, int64_t id, const char *to, const char *subject,
                  const char *body, reg_time now, size_t *len);

struct sms_settings {
    const char *gateway;  /* URL https://…; NULL/"" = the spool */
    const char *token;    /* Authorization: Bearer …; NULL/"" = none */
    const char *sender;   /* the "from" of every message */
    const char *ca_file;  /* PEM CA bundle for the gateway; NULL/"" = system store */
    long timeout;         /* seconds per request */
    const char *spool;    /* directory: one JSON file per message (no gateway set) */
};

struct outbox_settings {
    struct mail_settings mail;
    struct sms_settings sms;
};

struct outbox_result {
    int sent;         /* written to a spool, or accepted by the relay / gateway */
    int retry;        /* kept in the queue, due again after the backoff */
    int failed;       /* given up: after the last attempt, or refused for good */
    int waiting;      /* e-mail due but not tried: the relay was unreachable */
    int waiting_sms;  /* SMS due but not tried: the gateway was unavailable */
};

/* Delivers every queued message due at `now` (up to `max`), each by its
 * channel: e-mail to the SMTP relay when os->mail.smtp is set, else to
 * the mail spool; SMS to the HTTP gateway when os->sms.gateway is set,
 * else to the SMS spool (the exact JSON the gateway would get, ID.json).
 * Each message is marked in its own short write, never inside a
 * transaction held across the network (must be called outside one; the
 * job's lease keeps other instances away).
 *
 * A failure keeps the message queued with last_error and exponential
 * backoff (1 min × 2^attempts); after 10 attempts it is failed. A message
 * the SMS gateway refuses for good (400, 410, 413, 422: a bad number or
 * text) is failed at once. When a channel's transport cannot be used (the
 * relay unreachable, TLS, AUTH, timeout; the gateway unreachable or
 * answering 5xx, 429, 401, …) the message that met it is kept for a retry
 * and the channel's other messages wait, untouched, until the next run;
 * the other channel goes on. A message the relay or gateway accepted but
 * that could not be marked is sent again later (at-least-once). */
reg_err outbox_deliver(db *d, const struct outbox_settings *os, reg_time now, int max,
                       struct outbox_result *res, reg_status *st);
/* The queue's backlog for monitoring: fn once per channel ("email",
 * "sms"), with how many messages wait to be delivered or given up and
 * how long the oldest of them has waited at `now` (seconds; 0: none). */
reg_err outbox_backlog(db *d, reg_time now,
                       void (*fn)(const char *channel, int64_t queued, int64_t age, void *arg),
                       void *arg, reg_status *st);
reg_err outbox_each(db *d, const char *state, void (*fn)(const struct outbox_msg *m, void *arg),
                    void *arg, reg_status *st);
/* Puts a failed (or queued) message back in the queue, due now; not one
 * whose secrets were removed when it was given up (REG_ERR_POLICY). */
reg_err outbox_retry(db *d, int64_t id, reg_time now, reg_status *st);

#endif
