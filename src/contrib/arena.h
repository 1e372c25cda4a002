/* A region allocator for one request (DESIGN §2, after Knot's mempool):
 * allocations are bumped from chunks and all released at once by
 * arena_reset() when the request is done. Bounded: past `limit` bytes an
 * allocation fails (NULL) and the arena stays failed until reset, so a
 * caller may allocate freely and check arena_failed() once. */
#ifndef REG_ARENA_H
#define REG_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *chunks; /* newest first */
    size_t used;                /* bytes handed out since the last reset */
    size_t limit;               /* 0 = unlimited */
    bool failed;
};

void arena_init(struct arena *a, size_t limit);
/* Releases every chunk but the newest, which is kept for the next request. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);
bool arena_failed(const struct arena *a);
/* Was p handed out by a (and not yet released by a reset)? */
bool arena_owns(const struct arena *a, const void *p);

/* n zeroed bytes aligned for any type; NULL when over the limit. */
void *arena_alloc(struct arena *a, size_t n);
/* count zeroed elements of size each (overflow-checked). */
void *arena_calloc(struct arena *a, size_t count, size_t size);
/* Copies (NULL → NULL). */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
