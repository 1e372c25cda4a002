/* The zone file (DESIGN §9, docs/zone.md): an RFC 1035 master file of the
 * TLD, written by the zone-export job and `regctl zone export`.
 *
 * Layout, deterministic (two files of the same data differ in the serial
 * only): a comment, the SOA, the apex NS set in the order of [zone] ns,
 * then every owner name of zone_data_walk in byte order: a delegation's
 * NS, then its DS, then the A and AAAA records of the hosts under it
 * (glue). Every name absolute, every record with its TTL (rr.h).
 *
 * Rows are streamed from the database into the file: memory does not
 * grow with the zone. */
#ifndef REG_ZONE_EXPORT_H
#define REG_ZONE_EXPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "contrib/strbuf.h"
#include "store/db.h"
#include "zone.h"

struct zone_counts {
    int64_t delegations; /* published delegations (names with NS) */
    int64_t records;     /* records, SOA and apex NS included */
};

/* The apex: the SOA with `serial`, then the NS set. */
reg_err zone_render_apex(strbuf *out, const struct zone_settings *zs, uint32_t serial,
                         reg_status *st);
/* The records of one owner name of zone_data_walk: NS, DS, then each glue
 * host's addresses; *records (added to) counts them. */
reg_err zone_render_name(strbuf *out, const struct zone_settings *zs,
                         const struct zone_delegation *z, int64_t *records, reg_status *st);

/* The whole zone with `serial` to f (no flush). */
reg_err zone_write(db *d, const struct zone_settings *zs, reg_time now, uint32_t serial,
                   FILE *f, struct zone_counts *c, reg_status *st);

struct zone_run {
    bool held;         /* the safety guard refused it: nothing was published */
    int64_t serial;    /* of the file written (or the one the guard held) */
    int64_t previous;  /* delegations published last (0: never published) */
    struct zone_counts counts;
};

/* The zone-export job and `regctl zone export [--force]`: the zone to
 * [zone] file, replaced atomically (a temporary file beside it, fsync,
 * rename, fsync of the directory), with the next serial
 * (zone_serial_next). Unless force, the safety guard (guard.h) compares
 * its delegations with the last published file's: a run it refuses is
 * not written (r->held; REG_OK: the guard did its work). Published, it is
 * recorded in zone_state; a failure is recorded there too. The caller
 * holds the zone-export lease, and no transaction. */
reg_err zone_publish(db *d, const struct zone_settings *zs, reg_time now, bool force,
                     struct zone_run *r, reg_status *st);

/* `regctl zone export --out PATH`: a staff export to another file
 * (written atomically as above) or, with "-", to standard output. Not
 * guarded and not recorded as published; it takes a serial of its own,
 * so no two files carry one serial. */
reg_err zone_export_to(db *d, const struct zone_settings *zs, reg_time now, const char *path,
                       struct zone_run *r, reg_status *st);

#endif
