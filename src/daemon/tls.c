#include "tls.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contrib/log.h"
#include "contrib/tlsfiles.h"


static bool add_ext(X509 *cert, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return false;
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

static bool write_pem(const char *path, EVP_PKEY *key, X509 *cert)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    bool ok = key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1
                  : PEM_write_X509(f, cert) == 1;
    return fclose(f) == 0 && ok;
}

/* A self-signed P-256 certificate for localhost, valid ten years. */
static reg_err generate_self_signed(const char *cert_path, const char *key_path, char *err,
                                    size_t errlen)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    reg_err e = REG_ERR_TLS;
    if (!key || !cert) {
        tls_openssl_error(err, errlen, "cannot generate a key");
        goto out;
    }
    X509_set_version(cert, 2);
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        goto out;
    serial[0] &= 0x7f;
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 10L * 365 * 86400);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"registryd", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0);
    X509_set_issuer_name(cert, name);
    if (!add_ext(cert, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") ||
        !add_ext(cert, NID_basic_constraints, "critical,CA:FALSE") ||
        !X509_sign(cert, key, EVP_sha256())) {
        tls_openssl_error(err, errlen, "cannot sign the certificate");
        goto out;
    }
    mode_t old = umask(077);
    bool ok = write_pem(key_path, key, NULL);
    umask(old);
    if (!ok || !write_pem(cert_path, NULL, cert)) {
        snprintf(err, errlen, "cannot write %s / %s: %s", cert_path, key_path, strerror(errno));
        e = REG_ERR_IO;
        goto out;
    }
    reg_log(LOG_INFO, "tls", NULL, "self-signed", "cert=%s key=%s", cert_path, key_path);
    e = REG_OK;
out:
    X509_free(cert);
    EVP_PKEY_free(key);
    return e;
}

/* Registrars are identified by pinned fingerprints, not by a CA: accept
 * any client certificate here and compare fingerprints at login. */
static int accept_any_client_cert(int preverify, X509_STORE_CTX *ctx)
{
    (void)preverify;
    (void)ctx;
    return 1;
}

reg_err tls_server_ctx(const struct reg_config *cfg, SSL_CTX **out, char *err, size_t errlen)
{
    char cert_path[4096], key_path[4096];
    if (cfg->epp_cert[0]) {
        snprintf(cert_path, sizeof cert_path, "%s", cfg->epp_cert);
        snprintf(key_path, sizeof key_path, "%s", cfg->epp_key[0] ? cfg->epp_key : cfg->epp_cert);
    } else {
        snprintf(cert_path, sizeof cert_path, "%s/epp-cert.pem", cfg->var_dir);
        snprintf(key_path, sizeof key_path, "%s/epp-key.pem", cfg->var_dir);
        if (access(cert_path, R_OK) != 0 || access(key_path, R_OK) != 0) {
            mkdir(cfg->var_dir, 0750);
            reg_err e = generate_self_signed(cert_path, key_path, err, errlen);
            if (e)
                return e;
        }
    }
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        tls_openssl_error(err, errlen, "cannot create TLS context");
        return REG_ERR_TLS;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    /* an idle session holds no record buffers (about 34 KiB each): what
     * thousands of idle connections cost (docs/performance.md) */
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any_client_cert);
    static const unsigned char sid_ctx[] = "registryd-epp";
    SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof sid_ctx - 1);
    reg_err e = tls_use_cert_key(ctx, cert_path, key_path, err, errlen);
    if (e) {
        SSL_CTX_free(ctx);
        return e;
    }
    *out = ctx;
    return REG_OK;
}

void tls_peer_fingerprint(SSL *ssl, char out[65])
{
    out[0] = '\0';
    X509 *peer = SSL_get1_peer_certificate(ssl);
    if (!peer)
        return;
    unsigned char md[32];
    unsigned int n = 0;
    if (X509_digest(peer, EVP_sha256(), md, &n) == 1 && n == 32)
        for (unsigned i = 0; i < n; i++)
            snprintf(out + 2 * i, 3, "%02x", md[i]);
    X509_free(peer);
}
