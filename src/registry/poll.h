/* The registrar's service message queue (RFC 5730 §2.9.2.3): messages are
 * read oldest first and removed by acknowledgement. */
#ifndef REG_POLL_H
#define REG_POLL_H

#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "store/db.h"

struct poll_msg {
    int64_t id;
    reg_time created_at;
    char kind[24];
    char *message;
    char *object_type;
    char *object_name;
    char *data; /* JSON or NULL */
};

/* Inside the caller's transaction (so a message exists iff its cause does). */
reg_err poll_enqueue(db *d, int64_t registrar_id, const char *kind, const char *message,
                     const char *object_type, const char *object_name, const char *data,
                     reg_status *st);
/* Number of queued messages and the oldest one (found = false if none). */
reg_err poll_peek(db *d, int64_t registrar_id, int64_t *count, struct poll_msg *oldest,
                  bool *found, reg_status *st);
/* Removes message `id` of this registrar; REG_ERR_NOT_FOUND if it has no
 * such message. *remaining gets the queue length after removal. */
reg_err poll_ack(db *d, int64_t registrar_id, const char *id, int64_t *remaining, reg_status *st);
void poll_msg_free(struct poll_msg *m);

#endif
