#include "strutil.h"

#include <stdio.h>

void str_copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }
