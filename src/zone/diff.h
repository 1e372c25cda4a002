/* `regctl zone diff`: what the next run of the zone-export job would
 * change in [zone] file, record by record, and whether the safety guard
 * would hold it. Streamed on both sides: the file as written (export.h:
 * owner names in byte order, each name's records together) is read a
 * name at a time beside zone_data_walk. */
#ifndef REG_ZONE_DIFF_H
#define REG_ZONE_DIFF_H

#include <stdbool.h>
#include <stdio.h>
#include "export.h"

struct zone_diff {
    bool have_file;          /* [zone] file exists (else every record is new) */
    int64_t added, removed;  /* records; a changed record counts in both */
    int64_t published;       /* delegations published last (0: never) */
    struct zone_counts next; /* what the next run would write */
    bool would_hold;         /* the safety guard would hold it */
};

/* Writes "- RECORD" for each record of [zone] file the next run would
 * drop and "+ RECORD" for each it would add, to out, name by name; the
 * SOA's serial is not a change. */
reg_err zone_diff(db *d, const struct zone_settings *zs, reg_time now, FILE *out,
                  struct zone_diff *r, reg_status *st);

#endif
