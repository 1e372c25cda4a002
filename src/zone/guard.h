/* The zone's safety guard (docs/zone.md): a publication that would remove
 * more than [zone] max_shrink percent of the delegations published last
 * is not published but held, until staff publish with `regctl zone export
 * --force`. Registries added such a guard after publishing a broken zone
 * (a truncated database read, a bad query); it costs nothing when
 * domains come and go at the usual rate.
 *
 * The zone file writer (export.h) uses it for [zone] file; the DNS UPDATE
 * publisher for its stream. The hold is in zone_state (registry/
 * zone_state.h): held_at, held_delegations and the counter guard_refusals
 * are what `regctl zone status` shows and metrics expose. */
#ifndef REG_ZONE_GUARD_H
#define REG_ZONE_GUARD_H

#include <stdbool.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "store/db.h"
#include "zone.h"

/* True when publishing `next` delegations after `previous` removes more
 * than max_shrink percent of them. Nothing is refused after no
 * publication (previous 0), and max_shrink 100 refuses nothing. */
bool zone_guard_refuses(int64_t previous, int64_t next, int max_shrink);

/* The delegations the guard compares a run with: those of the last file
 * published (zone_state), 0 when none was. */
reg_err zone_guard_previous(db *d, int64_t *previous, reg_status *st);

/* How many of `previous` a shrink to `next` removes, for messages:
 * "N (P %)". */
void zone_guard_removed(int64_t previous, int64_t next, char *out, size_t n);

/* A refused publication, in a transaction of its own: counted and held
 * (zone_state_held), one log line (event=zone-held) every time, and the
 * alert mail to [zone] alert_email through the outbox when the hold
 * begins (one mail a hold, not one a run). */
reg_err zone_guard_hold(db *d, const struct zone_settings *zs, reg_time now, int64_t previous,
                        int64_t next, reg_status *st);

#endif
