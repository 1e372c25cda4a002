/* SMTP submission of one message through libcurl (DESIGN §3, §8). No
 * database, no registry: the outbox formats the message and decides what a
 * failure means for the queue. */
#ifndef REG_SMTP_H
#define REG_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include "contrib/error.h"

struct smtp_relay {
    const char *url;      /* smtp://host:port[/ehlo-name] or smtps://host:port[/ehlo-name] */
    bool starttls;        /* smtp:// only: require STARTTLS before MAIL FROM */
    const char *user;     /* AUTH when non-empty */
    const char *password;
    const char *ca_file;  /* PEM CA bundle for the relay's certificate; NULL/"" = system store */
    long timeout;         /* seconds for the whole session; <= 0 = 60 */
};

/* Sends one RFC 5322 message (CRLF line ends, not dot-stuffed: libcurl
 * stuffs and terminates it) with envelope sender `from` and the single
 * recipient `to` (bare addresses or "Name <addr>").
 *
 * REG_OK: the relay answered 250 to the end of the data.
 * REG_ERR_IO: no usable session (connection refused, name lookup, TLS,
 *     STARTTLS missing, AUTH refused, timeout): later messages would fail
 *     the same way.
 * REG_ERR_POLICY: the relay refused this message (4xx/5xx to MAIL FROM,
 *     RCPT TO, DATA or the end of the data) or an address is unusable.
 * err gets one line naming the stage and the relay's last reply; it never
 * holds the password. */
reg_err smtp_send(const struct smtp_relay *relay, const char *from, const char *to,
                  const char *msg, size_t len, char *err, size_t errlen);

#endif
