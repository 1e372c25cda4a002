/* Rate limits per source address (issue 12): a token bucket, and a bounded
 * table of sources (netaddr_source: an IPv4 address or an IPv6 /64) with
 * their open connections and their bucket. Listeners count connections and
 * new sessions with it; WHOIS and RDAP will count queries the same way.
 * Times are microseconds of clock_mono_us(), passed in; nothing here
 * locks (one table per event loop). */
#ifndef REG_RATELIMIT_H
#define REG_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "netaddr.h"

/* `per_minute` tokens a minute, at most `burst` saved up; per_minute 0 =
 * no limit. */
struct rate_limit {
    int64_t per_minute;
    int64_t burst;
};

struct token_bucket {
    double tokens;
    int64_t at_us; /* when tokens was last brought up to date */
};

/* A full bucket. */
void token_bucket_init(struct token_bucket *b, const struct rate_limit *r, int64_t now_us);
/* Takes one token if there is one (always true without a limit). */
bool token_bucket_take(struct token_bucket *b, const struct rate_limit *r, int64_t now_us);
/* Microseconds until take would succeed (0: now). */
int64_t token_bucket_wait_us(const struct token_bucket *b, const struct rate_limit *r,
                             int64_t now_us);
/* Would the bucket be full now (so forgetting it changes nothing)? */
bool token_bucket_full(const struct token_bucket *b, const struct rate_limit *r, int64_t now_us);

struct source_entry {
    struct netaddr_source src;
    int64_t conns; /* the caller's count; an entry with conns > 0 is kept */
    struct token_bucket bucket;
    struct source_entry *next; /* hash chain (the table's) */
};

struct source_table;

/* A table of at most `capacity` sources, their buckets limited by r. */
struct source_table *source_table_new(size_t capacity, const struct rate_limit *r);
void source_table_free(struct source_table *t);
/* The entry of src, made with a full bucket if it is not there. When the
 * table is full it first forgets the sources that no longer matter (no
 * connections, bucket full again), then, if need be, the idle source whose
 * bucket is the fullest (an attacker with more sources than the table holds
 * gets some of its tokens back, nobody loses a connection count); NULL
 * when every entry has connections open or memory runs out. */
struct source_entry *source_table_get(struct source_table *t, const struct netaddr_source *src,
                                      int64_t now_us);
/* Takes a token from the bucket of `src` in t at now_us: true, or false
 * with *wait_s, the whole seconds (at least 1) until one is there, for a
 * Retry-After. A source the table cannot hold waits a second. */
bool source_table_take(struct source_table *t, const struct rate_limit *r,
                       const struct netaddr_source *src, int64_t now_us, int64_t *wait_s);
size_t source_table_count(const struct source_table *t);

#endif
