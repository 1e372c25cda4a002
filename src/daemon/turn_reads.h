/* One read snapshot for the lookups of one turn of an event loop (issue
 * 15): the RDAP and WHOIS loops answer the requests they meet in a turn
 * from one read-only transaction on their connection, instead of one
 * each, and end it before the loop waits again. A lone request has a
 * snapshot of its own, begun when it is answered; requests met together
 * share the one begun for the first of them while it is younger than
 * TURN_READS_MAX_US, so an answer is never older than that. */
#ifndef REG_DAEMON_TURN_READS_H
#define REG_DAEMON_TURN_READS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct event_base;
struct event;

/* A held snapshot serves lookups for this long at most (a WHOIS loop
 * answers a whole burst of accepted connections in one turn). */
#define TURN_READS_MAX_US 1000

struct turn_reads {
    db *d;
    struct event *end; /* active once a snapshot is held: ends it at the turn's end */
    bool held;
    int64_t began_us;   /* clock_mono_us when the held one began */
    int64_t max_age_us; /* TURN_READS_MAX_US (tests set less) */
    uint64_t snapshots; /* begun so far (tests) */
};

/* Sets t up for the connection d of the loop base. */
reg_err turn_reads_init(struct turn_reads *t, struct event_base *base, db *d);

/* Before a request that only reads: joins the turn's snapshot, beginning
 * it if none is held or the one held is max_age_us old. If it cannot
 * begin, nothing is held and the lookups begin their own (and report
 * what went wrong). */
void turn_reads_join(struct turn_reads *t);

/* Ends the held snapshot, if any: before a request that may write, after
 * one that failed, and at the turn's end. */
void turn_reads_leave(struct turn_reads *t);

/* Ends a held snapshot and frees the event (before the loop's base). */
void turn_reads_free(struct turn_reads *t);

#endif
