/* Files compiled into the binaries (cmake/embed_files.cmake). */
#ifndef REG_EMBEDDED_H
#define REG_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name; /* file name without directory */
    const char *data; /* NUL-terminated */
    size_t len;
};

#endif
