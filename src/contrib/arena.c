/* See arena.h. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 4096
#define ALIGN 16

struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used;
    _Alignas(ALIGN) unsigned char data[];
};

void arena_init(struct arena *a, size_t limit)
{
    memset(a, 0, sizeof *a);
    a->limit = limit;
}

void arena_reset(struct arena *a)
{
    /* keep the newest (largest) chunk for the next request */
    struct arena_chunk *c = a->chunks;
    if (c) {
        for (struct arena_chunk *old = c->next, *next; old; old = next) {
            next = old->next;
            free(old);
        }
        c->next = NULL;
        c->used = 0;
    }
    a->used = 0;
    a->failed = false;
}

void arena_free(struct arena *a)
{
    arena_reset(a);
    free(a->chunks);
    a->chunks = NULL;
}

bool arena_failed(const struct arena *a) { return a->failed; }

bool arena_owns(const struct arena *a, const void *p)
{
    /* as integers: p may be from anywhere */
    uintptr_t b = (uintptr_t)p;
    for (const struct arena_chunk *c = a->chunks; c; c = c->next)
        if (b >= (uintptr_t)c->data && b < (uintptr_t)c->data + c->used)
            return true;
    return false;
}

static void *fail(struct arena *a)
{
    a->failed = true;
    return NULL;
}

void *arena_alloc(struct arena *a, size_t n)
{
    if (a->failed)
        return NULL;
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < n || (a->limit && (need > a->limit || a->used > a->limit - need)))
        return fail(a);
    struct arena_chunk *c = a->chunks;
    if (!c || c->size - c->used < need) {
        size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;
        if (c && c->size * 2 > size && c->size * 2 <= (a->limit ? a->limit : SIZE_MAX / 2))
            size = c->size * 2; /* grow geometrically: few mallocs per request */
        struct arena_chunk *nc = malloc(sizeof *nc + size);
        if (!nc)
            return fail(a);
        nc->size = size;
        nc->used = 0;
        nc->next = c;
        a->chunks = c = nc;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->used += need;
    memset(p, 0, n);
    return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return fail(a);
    return arena_alloc(a, count * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = arena_alloc(a, n + 1);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return fail(a);
    char *p = arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
