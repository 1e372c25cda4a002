/* The publisher to the DNS primary ([zone] primary; docs/zone.md
 * "Incremental publication"): a thread of the jobs service with its own
 * database connection. One instance publishes at a time (the lease
 * "zone-publish"); it brings the primary level, then sends the queued
 * changes as they commit, and after any outage levels again. Without a
 * primary it closes the queue, so none grows. */
#ifndef REG_ZONE_PUBLISHER_H
#define REG_ZONE_PUBLISHER_H

#include "config/config.h"
#include "contrib/error.h"

struct zone_publisher;

/* *out NULL (and REG_OK) when no primary is configured. err gets a
 * configuration error (the zone's settings). */
reg_err zone_publisher_start(const struct reg_config *cfg, struct zone_publisher **out, char *err,
                             size_t errlen);
void zone_publisher_stop(struct zone_publisher *z);

#endif
