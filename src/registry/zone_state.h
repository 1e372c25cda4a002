/* The zone's publication state (table zone_state, one row; docs/zone.md):
 * the SOA serial, the last zone file published, the safety guard's hold
 * and the last failure. The zone file writer (src/zone) and the DNS UPDATE
 * publisher share it; `regctl zone status` shows it, metrics read it. */
#ifndef REG_ZONE_STATE_H
#define REG_ZONE_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "store/db.h"

/* SOA serials are 32-bit (RFC 1982); seconds since 1970 fit until 2106. */
#define ZONE_SERIAL_MAX 4294967295LL

struct zone_state {
    int64_t serial;                /* the last serial given out (0: none yet) */
    reg_time published_at;         /* the last zone file published (0: never) */
    int64_t published_serial;      /* its serial */
    int64_t published_delegations; /* its delegations: the guard's base */
    reg_time held_at;              /* the guard holds publication since (0: not held) */
    int64_t held_delegations;      /* the delegations the held run would have published */
    int64_t guard_refusals;        /* runs the guard refused, ever (a counter for metrics) */
    reg_time error_at;             /* the last failure (0: none since the last success) */
    char error[384];
};

reg_err zone_state_get(db *d, struct zone_state *out, reg_status *st);

/* The next SOA serial, in the caller's write transaction: max(now,
 * last + 1), so it comes from the clock yet strictly increases even when
 * two runs fall in one second or the clock moved back. Recorded as the
 * last serial given out. */
reg_err zone_serial_next(db *d, reg_time now, int64_t *serial, reg_status *st);

/* In the caller's write transaction. A zone file was published: its
 * time, serial and delegations; the hold and the last error are cleared. */
reg_err zone_state_published(db *d, reg_time at, int64_t serial, int64_t delegations,
                             reg_status *st);
/* The guard refused a run that would have published `delegations`: the
 * refusal is counted; *first tells whether publication was not held
 * before (the alert goes out once per hold). */
reg_err zone_state_held(db *d, reg_time at, int64_t delegations, bool *first, reg_status *st);
/* A publication failed: why (kept until the next success). */
reg_err zone_state_failed(db *d, reg_time at, const char *error, reg_status *st);

#endif
