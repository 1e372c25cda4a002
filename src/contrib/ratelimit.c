#include "ratelimit.h"

#include <stdlib.h>
#include <string.h>

static double refilled(const struct token_bucket *b, const struct rate_limit *r, int64_t now_us)
{
    double t = b->tokens;
    if (now_us > b->at_us)
        t += (double)(now_us - b->at_us) * (double)r->per_minute / 60e6;
    return t > (double)r->burst ? (double)r->burst : t;
}

void token_bucket_init(struct token_bucket *b, const struct rate_limit *r, int64_t now_us)
{
    b->tokens = (double)r->burst;
    b->at_us = now_us;
}

bool token_bucket_take(struct token_bucket *b, const struct rate_limit *r, int64_t now_us)
{
    if (r->per_minute <= 0)
        return true;
    b->tokens = refilled(b, r, now_us);
    b->at_us = now_us;
    if (b->tokens < 1.0)
        return false;
    b->tokens -= 1.0;
    return true;
}

int64_t token_bucket_wait_us(const struct token_bucket *b, const struct rate_limit *r,
                             int64_t now_us)
{
    if (r->per_minute <= 0)
        return 0;
    double missing = 1.0 - refilled(b, r, now_us);
    return missing <= 0 ? 0 : (int64_t)(missing * 60e6 / (double)r->per_minute) + 1;
}

bool token_bucket_full(const struct token_bucket *b, const struct rate_limit *r, int64_t now_us)
{
    return r->per_minute <= 0 || refilled(b, r, now_us) >= (double)r->burst;
}

struct source_table {
    struct rate_limit rate;
    size_t capacity, count, nslots;
    struct source_entry **slots;
};

static size_t slot_of(const struct source_table *t, const struct netaddr_source *s)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    h = (h ^ s->family) * 1099511628211ull;
    for (size_t i = 0; i < sizeof s->bytes; i++)
        h = (h ^ s->bytes[i]) * 1099511628211ull;
    return (size_t)(h & (t->nslots - 1));
}

struct source_table *source_table_new(size_t capacity, const struct rate_limit *r)
{
    struct source_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->rate = *r;
    t->capacity = capacity ? capacity : 1;
    for (t->nslots = 16; t->nslots < t->capacity; t->nslots *= 2)
        ;
    t->slots = calloc(t->nslots, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return NULL;
    }
    return t;
}

void source_table_free(struct source_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nslots; i++)
        for (struct source_entry *e = t->slots[i], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    free(t->slots);
    free(t);
}

static void unlink_entry(struct source_table *t, struct source_entry **p)
{
    struct source_entry *e = *p;
    *p = e->next;
    free(e);
    t->count--;
}

/* Forgets the sources that no longer matter: no connections and a bucket
 * that is full again (a new entry would be the same). */
static size_t forget_refilled(struct source_table *t, int64_t now_us)
{
    size_t dropped = 0;
    for (size_t i = 0; i < t->nslots; i++)
        for (struct source_entry **p = &t->slots[i]; *p;) {
            if ((*p)->conns == 0 && token_bucket_full(&(*p)->bucket, &t->rate, now_us)) {
                unlink_entry(t, p);
                dropped++;
            } else {
                p = &(*p)->next;
            }
        }
    return dropped;
}

/* Forgets the idle source with the fullest bucket: it loses the least. */
static bool evict_fullest_idle(struct source_table *t, int64_t now_us)
{
    struct source_entry **best = NULL;
    double best_tokens = -1;
    for (size_t i = 0; i < t->nslots; i++)
        for (struct source_entry **p = &t->slots[i]; *p; p = &(*p)->next) {
            double tokens = refilled(&(*p)->bucket, &t->rate, now_us);
            if ((*p)->conns == 0 && tokens > best_tokens) {
                best = p;
                best_tokens = tokens;
            }
        }
    if (best)
        unlink_entry(t, best);
    return best != NULL;
}

struct source_entry *source_table_get(struct source_table *t, const struct netaddr_source *src,
                                      int64_t now_us)
{
    size_t slot = slot_of(t, src);
    for (struct source_entry *e = t->slots[slot]; e; e = e->next)
        if (netaddr_source_equal(&e->src, src))
            return e;
    if (t->count >= t->capacity && !forget_refilled(t, now_us) && !evict_fullest_idle(t, now_us))
        return NULL;
    struct source_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->src = *src;
    token_bucket_init(&e->bucket, &t->rate, now_us);
    e->next = t->slots[slot];
    t->slots[slot] = e;
    t->count++;
    return e;
}

size_t source_table_count(const struct source_table *t)
{
    return t->count;
}

bool source_table_take(struct source_table *t, const struct rate_limit *r,
                       const struct netaddr_source *src, int64_t now_us, int64_t *wait_s)
{
    struct source_entry *e = source_table_get(t, src, now_us);
    if (e && token_bucket_take(&e->bucket, r, now_us))
        return true;
    int64_t us = e ? token_bucket_wait_us(&e->bucket, r, now_us) : 1000000;
    *wait_s = us <= 1000000 ? 1 : (us + 999999) / 1000000;
    return false;
}
