/* An error code plus the sentence that tells the client what to fix.
 * Domain logic fills it; the edge maps `code` to an EPP result code or an
 * HTTP status and shows `reason`. */
#ifndef REG_STATUS_H
#define REG_STATUS_H

#include "error.h"

typedef struct {
    reg_err code;
    char reason[384];
} reg_status;

/* Sets st (if non-NULL) and returns code, so callers can `return reg_fail(…)`. */
reg_err reg_fail(reg_status *st, reg_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void reg_status_clear(reg_status *st);
/* The reason, or the code's generic text when no reason was given. */
const char *reg_status_text(const reg_status *st);

#endif
