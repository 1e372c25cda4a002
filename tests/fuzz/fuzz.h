/* What the fuzz targets share. */
#ifndef REG_FUZZ_H
#define REG_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The input as a NUL-terminated copy (free() it); NULL if out of memory. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

/* A target's input made of several fields: a copy of it (free() it;
 * NULL if out of memory) with its first n lines as part[0..n-1], each cut
 * at its newline, missing ones "". */
static inline char *fuzz_parts(const uint8_t *data, size_t size, char **part, int n)
{
    char *buf = fuzz_string(data, size), *s = buf;
    for (int i = 0; i < n; i++)
        part[i] = "";
    for (int i = 0; i < n && s; i++) {
        part[i] = s;
        s = strchr(s, '\n');
        if (s)
            *s++ = '\0';
    }
    return buf;
}

#endif
