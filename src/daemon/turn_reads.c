/* One read snapshot a turn of an event loop (turn_reads.h, issue 15).
 *
 * Why: a lookup alone is a transaction of its own, and on SQLite its
 * begin and end take and give back the file's and the WAL's read locks
 * (fcntl) and look at the WAL's header: about a tenth of an RDAP domain
 * lookup's CPU. The requests a loop meets in one turn arrived about
 * together: one snapshot, begun for the first, serves them all, and the
 * loop ends it before it waits for more (an event made active when the
 * snapshot begins runs after the events already active in the turn). A
 * request that arrives while the loop is idle is answered from a
 * snapshot begun for it. A turn can be long (a WHOIS loop reads and
 * answers every connection of an accept burst in one callback), and a
 * request met late in it may have been sent after the snapshot began: a
 * snapshot serves for TURN_READS_MAX_US at most, so an answer may miss a
 * change committed at most that long before its request came, and the
 * WAL's checkpoints (PostgreSQL's vacuum) are never held back longer.
 *
 * The snapshot is db_begin_reads': a statement that would write is
 * refused in it, so a route that only reads cannot change anything by
 * mistake; one that may write leaves the snapshot first. A request that
 * failed leaves it too (PostgreSQL ends a transaction at an error). */
#include "daemon/turn_reads.h"

#include <event2/event.h>

#include "contrib/clock.h"

static void on_turn_end(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    turn_reads_leave(arg);
}

reg_err turn_reads_init(struct turn_reads *t, struct event_base *base, db *d)
{
    *t = (struct turn_reads){.d = d, .max_age_us = TURN_READS_MAX_US};
    t->end = event_new(base, -1, 0, on_turn_end, t);
    return t->end ? REG_OK : REG_ERR_NOMEM;
}

void turn_reads_join(struct turn_reads *t)
{
    if (t->held && clock_mono_us() - t->began_us < t->max_age_us)
        return;
    turn_reads_leave(t);
    if (!t->d || !t->end || db_in_transaction(t->d))
        return;
    if (db_begin_reads(t->d) != REG_OK)
        return; /* the lookups begin their own, and say what is wrong */
    t->held = true;
    t->began_us = clock_mono_us();
    t->snapshots++;
    event_active(t->end, EV_TIMEOUT, 1);
}

void turn_reads_leave(struct turn_reads *t)
{
    if (!t->held)
        return;
    t->held = false;
    /* a read-only transaction: its end changes nothing, whatever it says */
    (void)db_commit(t->d);
}

void turn_reads_free(struct turn_reads *t)
{
    turn_reads_leave(t);
    if (t->end)
        event_free(t->end);
    t->end = NULL;
}
