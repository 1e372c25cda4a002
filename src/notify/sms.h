/* SMS delivery through an HTTP gateway with libcurl (DESIGN §3, §8). No
 * database, no registry: the outbox decides what an outcome means for
 * the queue.
 *
 * The request: POST to the gateway URL, Content-Type: application/json,
 * Authorization: Bearer TOKEN (when a token is set), body
 *
 *     {"to":"+4512345678","from":"Registry","text":"…"}
 *
 * (sms_json). Redirects are not followed. */
#ifndef REG_SMS_H
#define REG_SMS_H

#include <stddef.h>
#include "contrib/error.h"

struct sms_gateway {
    const char *url;     /* https://… (http:// allowed, e.g. a gateway on loopback) */
    const char *token;   /* bearer token; NULL/"" = no Authorization header */
    const char *sender;  /* the "from" */
    const char *ca_file; /* PEM CA bundle for the gateway's certificate; NULL/"" = system store */
    long timeout;        /* seconds for the whole request; <= 0 = 30 */
};

/* The JSON body, compact, keys in the order to, from, text; strings UTF-8
 * as they are (JSON escapes only). malloc'd; NULL without memory or when
 * a string is not valid UTF-8. */
char *sms_json(const char *to, const char *from, const char *text);

/* Sends one message.
 *
 * REG_OK: the gateway answered 2xx.
 * REG_ERR_INVALID: the gateway refused this message for good: 400, 410,
 *     413 or 422 (a bad number or text; sending it again cannot help).
 * REG_ERR_IO: the gateway cannot take messages now: no connection, TLS,
 *     timeout, 3xx, any other 4xx (401/403 token, 404/405 URL, 402
 *     account, 429 rate limit, …) or 5xx. Later messages would fare alike.
 * err gets one line with the status and the start of the gateway's
 * answer; it never holds the token. */
reg_err sms_send(const struct sms_gateway *gw, const char *to, const char *text, char *err,
                 size_t errlen);

#endif
