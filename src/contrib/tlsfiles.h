/* The PEM files of a TLS configuration, loaded the one way registryd's
 * EPP listener uses them and `regctl config check` checks them. */
#ifndef REG_TLSFILES_H
#define REG_TLSFILES_H

#include <openssl/ssl.h>
#include <stddef.h>
#include <stdbool.h>
#include "error.h"

/* "what: <OpenSSL's reason>" in err. */
void tls_openssl_error(char *err, size_t errlen, const char *what);
/* The certificate chain of cert and the private key of key (NULL or "":
 * the key is in cert too) into ctx, checked to belong together. */
reg_err tls_use_cert_key(SSL_CTX *ctx, const char *cert, const char *key, char *err,
                         size_t errlen);
/* The same on a throw-away context: do the files exist and load? */
reg_err tls_check_cert_key(const char *cert, const char *key, char *err, size_t errlen);
/* A CA bundle (PEM) loads as trust anchors. */
reg_err tls_check_ca_file(const char *ca, char *err, size_t errlen);

#endif
