/* The queue of zone changes for the DNS primary (DESIGN §9; docs/zone.md
 * "Incremental publication"). Database triggers (src/store/sql/
 * 0018_zone_queue.sql) queue the name every committed change of a domain,
 * its name servers, DS records or statuses, or of a host's addresses
 * touches, in the change's own transaction; the publisher (src/zone)
 * reads the queue in id order, publishes each name's current state and
 * drops the rows it delivered. The queue fills only while it is open
 * (zone_queue_open): registryd opens it when it publishes to a primary. */
#ifndef REG_ZONE_QUEUE_H
#define REG_ZONE_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "store/db.h"

#define ZONE_NAME_MAX 255

/* Changes queue from now on, for the primary at `address` (HOST:PORT),
 * kept when the queue was open already (for the same or another address). */
reg_err zone_queue_open(db *d, const char *address, reg_time now, reg_status *st);
/* No primary any more: changes stop being queued and the queue goes. */
reg_err zone_queue_close(db *d, reg_status *st);

enum zone_change_kind { ZONE_CHANGE_DOMAIN, ZONE_CHANGE_HOST };

struct zone_change {
    int64_t id;
    enum zone_change_kind kind;
    char name[ZONE_NAME_MAX + 1];
};

/* The oldest queued changes, at most max of them, in id order (the order
 * of their transactions' commits on SQLite; on PostgreSQL a later commit
 * may carry a lower id, read at a later call). */
reg_err zone_queue_peek(db *d, struct zone_change *out, size_t max, size_t *n, reg_status *st);
/* Every change queued now (ids only, in order; caller frees *ids). */
reg_err zone_queue_ids(db *d, int64_t **ids, size_t *n, reg_status *st);
/* Delivered: these rows go, in one transaction. */
reg_err zone_queue_done(db *d, const int64_t *ids, size_t n, reg_status *st);

/* The in-bailiwick hosts whose glue a change of `domain` may touch: the
 * ones its NS set names and the ones under it (its subordinate hosts),
 * each once; fn stops the walk with a non-zero return. */
reg_err zone_domain_hosts(db *d, const char *domain, int (*fn)(const char *host, void *ctx),
                          void *ctx, reg_status *st);

/* What the publisher did, for regctl and the logs. Times are wall-clock
 * seconds (operations, not business time). */
struct zone_queue_state {
    bool open;                 /* a primary is published to */
    char address[300];
    int64_t since, serial, delegations, levelled_at, sent_at, sent_total, last_error_at;
    bool has_serial, has_delegations;
    char last_error[300];      /* "" when the last attempt succeeded */
    int64_t queued;            /* changes waiting */
    int64_t oldest;            /* queued_at of the oldest, 0 when none */
};
reg_err zone_queue_state(db *d, struct zone_queue_state *out, reg_status *st);

/* The outcome of one attempt: a level (AXFR and difference) or an UPDATE.
 * error NULL is a success: `serial` (when has_serial) is the primary's
 * serial after it, `delegations` (when >= 0) the count published there,
 * `names` the names sent. An error keeps the rest as it was. The zone
 * file's last serial (zone_state) is raised to the primary's, so the next
 * file's is higher. */
struct zone_attempt {
    bool level;
    const char *error;
    bool has_serial;
    int64_t serial;
    int64_t delegations;
    int64_t names;
};
reg_err zone_queue_note(db *d, const struct zone_attempt *a, int64_t wall_now, reg_status *st);

#endif
