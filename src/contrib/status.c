#include "status.h"

#include <stdarg.h>
#include <stdio.h>

#include "utf8.h"

reg_err reg_fail(reg_status *st, reg_err code, const char *fmt, ...)
{
    if (st) {
        st->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(st->reason, sizeof st->reason, fmt, ap);
        va_end(ap);
        utf8_sanitize(st->reason); /* reasons go to clients as XML text */
    }
    return code;
}

void reg_status_clear(reg_status *st)
{
    st->code = REG_OK;
    st->reason[0] = '\0';
}

const char *reg_status_text(const reg_status *st)
{
    return st->reason[0] ? st->reason : reg_strerror(st->code);
}
