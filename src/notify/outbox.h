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

/* In the caller's transaction. */
reg_err outbox_email(db *d, reg_time now, const char *to, const char *subject, const char *body,
                     const char *cause, reg_status *st);

struct outbox_msg {
    int64_t id;
    const char *channel, *recipient, *subject, *body, *cause, *state, *last_error;
    int attempts;
    reg_time created_at, next_try, sent_at;
};

struct mail_settings {
    const char *from;
    const char *spool; /* directory: one RFC 5322 file per message */
};

/* Delivers every queued message due at `now` (up to `max`): e-mail is
 * written to the spool directory. Failures are retried with exponential
 * backoff (1 min × 2^attempts); after 10 attempts a message is failed. */
reg_err outbox_deliver(db *d, const struct mail_settings *ms, reg_time now, int max, int *sent,
                       int *failed, reg_status *st);
reg_err outbox_each(db *d, const char *state, void (*fn)(const struct outbox_msg *m, void *arg),
                    void *arg, reg_status *st);
/* Puts a failed (or queued) message back in the queue, due now. */
reg_err outbox_retry(db *d, int64_t id, reg_time now, reg_status *st);

#endif
