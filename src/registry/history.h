/* R40: every change to an object is kept as a version with who, when and
 * through which channel (and the EPP svTRID). */
#ifndef REG_HISTORY_H
#define REG_HISTORY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "op.h"

/* Inside the caller's transaction; snapshot is the object as JSON after
 * the change. */
reg_err history_record(const struct reg_op *op, const char *kind, int64_t id, const char *key,
                       const char *action, const char *snapshot, reg_status *st);

/* history_record with the snapshot as a JSON object, which it takes (and
 * frees); written compact with sorted keys. NULL (out of memory) fails. */
reg_err history_record_json(const struct reg_op *op, const char *kind, int64_t id,
                            const char *key, const char *action, json_t *snapshot,
                            reg_status *st);

struct history_version {
    int64_t version; /* 1, 2, … per object key */
    const char *kind, *key, *action, *actor, *channel, *svtrid, *snapshot;
    reg_time at;
};
/* Versions of every object named key (any kind, or only `kind`), oldest
 * first. */
reg_err history_each(db *d, const char *kind, const char *key,
                     void (*fn)(const struct history_version *v, void *arg), void *arg,
                     reg_status *st);
/* The same for the last `last` versions only (0: all), still oldest first
 * and numbered as history_each numbers them; *total (optional) gets how
 * many versions there are. */
reg_err history_each_last(db *d, const char *kind, const char *key, int64_t last,
                          int64_t *total, void (*fn)(const struct history_version *v, void *arg),
                          void *arg, reg_status *st);

/* Whether a snapshot field (its own name, without the names of the objects
 * it is in: "expires", "created_at", "at") holds a time in seconds since
 * the epoch, for readers that show snapshots (regctl history --full). */
bool history_time_field(const char *name);

#endif
