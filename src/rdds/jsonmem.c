/* See jsonmem.h. */
#include "jsonmem.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>

static bool installed;
static _Thread_local struct arena *current;
/* a value of this thread came from malloc since jsonmem_use */
static _Thread_local bool spilled;

/* Past the arena's limit a value comes from malloc: an answer is never
 * built with members silently missing; the lookups that read into the same
 * arena fail on it, so the overflow stays one object's worth. */
static void *jm_malloc(size_t n)
{
    void *p = current ? arena_alloc(current, n) : NULL;
    if (p)
        return p;
    spilled = true;
    return malloc(n);
}

static void jm_free(void *p)
{
    if (p && !(current && arena_owns(current, p)))
        free(p);
}

void jsonmem_install(void)
{
    json_set_alloc_funcs(jm_malloc, jm_free);
    installed = true;
}

void jsonmem_use(struct arena *a)
{
    current = installed ? a : NULL;
    spilled = false;
}

void jsonmem_drop(json_t *j)
{
    if (!current || spilled)
        json_decref(j);
}
