/* Incremental publication to a DNS primary (DESIGN §9; docs/zone.md
 * "Incremental publication"). State-based: for every name the queue
 * (registry/zone_queue.h) names, the records it should have now are read
 * from the data (registry/zone_data.h, as the zone file is) and replace,
 * in one UPDATE, those the primary holds: the NS and DS sets of a
 * delegation, the A and AAAA sets of an in-bailiwick host. Sending a
 * name's state twice changes nothing, so a batch that may or may not have
 * arrived is simply sent again.
 *
 * A level (at start, after an outage, when the primary's serial moved
 * without us) reads the primary's zone by AXFR and sends the difference
 * from the data, so it needs no serial precondition and brings a primary
 * that holds only its SOA and NS, or one that lost or gained records,
 * level. Below the apex registryd owns NS, DS, A and AAAA; the apex
 * (SOA, NS, DNSKEY…), the addresses of the apex's name servers and every
 * other type are the primary's own and left alone.
 *
 * The safety guard (guard.h) applies to both: a level or a batch that
 * would leave the primary with more than [zone] max_shrink percent fewer
 * delegations than the previous run published (the last zone file; before
 * any, what the primary held at the last level) is not sent. Publication
 * is then held (zone_state), for the zone file too, and the updater sends
 * nothing until the hold is lifted (`regctl zone export --force`, or a
 * zone-export run that passes the guard again). */
#ifndef REG_ZONE_UPDATER_H
#define REG_ZONE_UPDATER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "store/db.h"
#include "zone/dns_primary.h"
#include "zone/zone.h"

struct zone_updater;

/* p, d and the settings (origin, ttl, max_shrink, the alert) stay the
 * caller's. */
reg_err zone_updater_new(db *d, struct dns_primary *p, const struct zone_settings *s,
                           struct zone_updater **out, reg_status *st);
void zone_updater_free(struct zone_updater *zu);

struct zone_update_result {
    size_t names;        /* owner names sent */
    size_t records;      /* records in the UPDATEs, deletions included */
    size_t messages;     /* UPDATE messages */
    size_t rows;         /* queue rows delivered */
    int64_t delegations; /* at the primary afterwards */
    bool held;           /* the guard refused: nothing was sent */
    bool has_serial;
    uint32_t serial;     /* the primary's afterwards */
};

/* AXFR, the difference sent, the queue rows read before the data was
 * read dropped (the level covers them). */
reg_err zone_updater_level(struct zone_updater *zu, reg_time now, struct zone_update_result *r,
                           reg_status *st);
/* The oldest queued changes (at most max_rows rows) sent; r->rows 0 when
 * the queue is empty. Needs a level first (REG_ERR_USE otherwise): the
 * guard counts from it. */
reg_err zone_updater_drain(struct zone_updater *zu, reg_time now, size_t max_rows,
                           struct zone_update_result *r, reg_status *st);
/* Has the primary's serial moved since our last change (another writer,
 * a restart that lost updates)? Then a level is due. */
reg_err zone_updater_drifted(struct zone_updater *zu, bool *drifted, reg_status *st);

#endif
