/* One read snapshot for the lookups of one turn of an event loop (issue
 * 15): the RDAP and WHOIS loops answer every request that is ready in a
 * turn from one read-only transaction on their connection, instead of
 * one each, and end it before the loop waits again. A lone request still
 * has a snapshot of its own, begun when it is answered; requests that
 * arrived together share the one begun for the first of them. */
#ifndef REG_DAEMON_TURN_READS_H
#define REG_DAEMON_TURN_READS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct event_base;
struct event;

struct turn_reads {
    db *d;
    struct event *end; /* active once a snapshot is held: ends it at the turn's end */
    bool held;
    uint64_t snapshots; /* begun so far (tests) */
};

/* Sets t up for the connection d of the loop base. */
reg_err turn_reads_init(struct turn_reads *t, struct event_base *base, db *d);

/* Before a request that only reads: joins the turn's snapshot, beginning
 * it if none is held. If it cannot begin, nothing is held and the
 * lookups begin their own (and report what went wrong). */
void turn_reads_join(struct turn_reads *t);

/* Ends the held snapshot, if any: before a request that may write, after
 * one that failed, and at the turn's end. */
void turn_reads_leave(struct turn_reads *t);

/* Ends a held snapshot and frees the event (before the loop's base). */
void turn_reads_free(struct turn_reads *t);

#endif
