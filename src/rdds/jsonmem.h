/* jansson's memory for answers built by the thousand (RDAP): while a
 * thread has an arena set, every JSON value it makes is carved from that
 * arena and freeing one costs nothing; resetting the arena releases the
 * whole answer at once. Everywhere else — other threads, and this one
 * without an arena — jansson uses malloc and free as before, so strings
 * from json_dumps are still free()d by their callers. */
#ifndef REG_RDDS_JSONMEM_H
#define REG_RDDS_JSONMEM_H

#include <jansson.h>

#include "contrib/arena.h"

/* Once, at the start of the process, before any JSON value exists
 * (registryd's main). Without it jsonmem_use changes nothing. */
void jsonmem_install(void);
/* The calling thread's arena for JSON values from now on; NULL: malloc
 * again. Past the arena's limit values come from malloc, so a full arena
 * fails the caller's own allocations, never jansson's. Every value made
 * while the arena is set must be released (json_decref or jsonmem_drop)
 * before it is unset or reset. */
void jsonmem_use(struct arena *a);
/* Releases j (may be NULL), made while the arena is set: when every value
 * made since jsonmem_use came from the arena, resetting it frees them all
 * and the walk through the tree that json_decref makes (a few per cent of
 * an RDAP answer) is skipped; when one came from malloc (the arena full),
 * or no arena is set, json_decref. j must hold no value made before
 * jsonmem_use: its count would stay raised. */
void jsonmem_drop(json_t *j);

#endif
