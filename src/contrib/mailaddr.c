/* See mailaddr.h. */
#include "mailaddr.h"

#include <string.h>

bool mail_addr_spec(const char *value, char *out, size_t outlen)
{
    if (!value)
        return false;
    const char *start = value, *end = value + strlen(value);
    const char *lt = strchr(value, '<');
    if (lt) {
        const char *gt = strchr(lt, '>');
        if (!gt)
            return false;
        start = lt + 1;
        end = gt;
    }
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t n = (size_t)(end - start);
    if (n == 0 || n >= outlen)
        return false;
    bool at = false;
    for (const char *p = start; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',')
            return false;
        at |= c == '@';
    }
    if (!at || *start == '@' || end[-1] == '@')
        return false;
    memcpy(out, start, n);
    out[n] = '\0';
    return true;
}
