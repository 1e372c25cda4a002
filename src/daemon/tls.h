/* TLS for EPP (RFC 5734 §9): TLS 1.2 and 1.3 only, server certificate from
 * config or a self-signed pair generated into [paths] var on first run,
 * client certificates requested (not required) so they can be pinned by
 * SHA-256 fingerprint per registrar. */
#ifndef REG_TLS_H
#define REG_TLS_H

#include <openssl/ssl.h>
#include <stddef.h>
#include "config/config.h"

reg_err tls_server_ctx(const struct reg_config *cfg, SSL_CTX **out, char *err, size_t errlen);
/* SHA-256 of the peer certificate's DER as lowercase hex; "" if none. */
void tls_peer_fingerprint(SSL *ssl, char out[65]);

#endif
