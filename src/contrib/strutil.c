#include "strutil.h"

#include <stdio.h>
#include <string.h>

void str_copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

/* Appends len bytes of s to dst (capacity n, *used so far), cut to fit. */
static void put(char *dst, size_t n, size_t *used, const char *s, size_t len)
{
    if (*used + 1 >= n)
        return;
    if (len > n - 1 - *used)
        len = n - 1 - *used;
    memcpy(dst + *used, s, len);
    *used += len;
    dst[*used] = '\0';
}

void str_join(char *dst, size_t n, const char *const *parts)
{
    size_t used = 0;
    if (!n)
        return;
    dst[0] = '\0';
    for (; *parts; parts++)
        put(dst, n, &used, *parts, strlen(*parts));
}

void str_redact_url(char *dst, size_t n, const char *url)
{
    size_t used = 0;
    if (!n)
        return;
    dst[0] = '\0';
    if (!url)
        return;
    const char *p = url, *scheme = strstr(url, "://");
    if (scheme) {
        /* user info ends at the last '@': a password may hold '/', '?'
         * or '#' unencoded, and hiding too much is the safe side */
        const char *auth = scheme + 3, *at = strrchr(auth, '@');
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon) {
            put(dst, n, &used, url, (size_t)(colon + 1 - url));
            put(dst, n, &used, URL_REDACTED, strlen(URL_REDACTED));
            p = at;
        }
    }
    const char *query = strchr(p, '?');
    if (!query) {
        put(dst, n, &used, p, strlen(p));
        return;
    }
    put(dst, n, &used, p, (size_t)(query + 1 - p));
    for (const char *q = query + 1; *q;) {
        size_t len = strcspn(q, "&#");
        const char *eq = memchr(q, '=', len);
        size_t key = eq ? (size_t)(eq - q) : 0;
        if ((key == 8 && !strncmp(q, "password", 8)) ||
            (key == 11 && !strncmp(q, "sslpassword", 11))) {
            put(dst, n, &used, q, key + 1);
            put(dst, n, &used, URL_REDACTED, strlen(URL_REDACTED));
        } else {
            put(dst, n, &used, q, len);
        }
        q += len;
        if (*q == '#') {
            put(dst, n, &used, q, strlen(q));
            break;
        }
        if (*q == '&')
            put(dst, n, &used, q++, 1);
    }
}
