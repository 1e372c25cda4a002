#include "tlsfiles.h"

#include <errno.h>
#include <openssl/err.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void tls_openssl_error(char *err, size_t errlen, const char *what)
{
    char buf[256];
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    ERR_clear_error();
    snprintf(err, errlen, "%s: %s", what, buf);
}

/* OpenSSL's reasons for a missing file are cryptic ("system lib"). */
static bool readable(const char *what, const char *path, char *err, size_t errlen)
{
    if (access(path, R_OK) == 0)
        return true;
    snprintf(err, errlen, "cannot read %s %s: %s", what, path, strerror(errno));
    return false;
}

reg_err tls_use_cert_key(SSL_CTX *ctx, const char *cert, const char *key, char *err, size_t errlen)
{
    char what[4200];
    if (!key || !*key)
        key = cert;
    if (!readable("certificate", cert, err, errlen))
        return REG_ERR_TLS;
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
        snprintf(what, sizeof what, "cannot load certificate %s", cert);
        tls_openssl_error(err, errlen, what);
        return REG_ERR_TLS;
    }
    if (!readable("private key", key, err, errlen))
        return REG_ERR_TLS;
    if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
        snprintf(what, sizeof what, "cannot load private key %s", key);
        tls_openssl_error(err, errlen, what);
        return REG_ERR_TLS;
    }
    return REG_OK;
}

reg_err tls_check_cert_key(const char *cert, const char *key, char *err, size_t errlen)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        tls_openssl_error(err, errlen, "cannot create TLS context");
        return REG_ERR_TLS;
    }
    reg_err e = tls_use_cert_key(ctx, cert, key, err, errlen);
    SSL_CTX_free(ctx);
    return e;
}

reg_err tls_check_ca_file(const char *ca, char *err, size_t errlen)
{
    if (!readable("CA bundle", ca, err, errlen))
        return REG_ERR_TLS;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        tls_openssl_error(err, errlen, "cannot create TLS context");
        return REG_ERR_TLS;
    }
    reg_err e = REG_OK;
    if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
        char what[4200];
        snprintf(what, sizeof what, "cannot load CA bundle %s", ca);
        tls_openssl_error(err, errlen, what);
        e = REG_ERR_TLS;
    }
    SSL_CTX_free(ctx);
    return e;
}
