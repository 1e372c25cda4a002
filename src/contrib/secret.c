#include "secret.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* argon2id at OWASP's recommended floor (t=2, m=19 MiB): logins stay cheap
 * enough for many EPP sessions while offline guessing stays expensive. */
#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024u * 1024u)

reg_err secret_init(void)
{
    return sodium_init() < 0 ? REG_ERR_INTERNAL : REG_OK;
}

reg_err secret_random(void *buf, size_t n)
{
    if (n > INT32_MAX || RAND_bytes(buf, (int)n) != 1)
        return REG_ERR_INTERNAL;
    return REG_OK;
}

reg_err secret_random_hex(char *out, size_t bytes, bool upper)
{
    unsigned char raw[64];
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    if (bytes > sizeof raw)
        return REG_ERR_RANGE;
    reg_err e = secret_random(raw, bytes);
    if (e)
        return e;
    for (size_t i = 0; i < bytes; i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 15];
    }
    out[2 * bytes] = '\0';
    return REG_OK;
}

reg_err secret_token(char out[SECRET_TOKEN_LEN])
{
    unsigned char raw[32];
    reg_err e = secret_random(raw, sizeof raw);
    if (e)
        return e;
    sodium_bin2base64(out, SECRET_TOKEN_LEN, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return REG_OK;
}

void secret_sha256_hex(const void *data, size_t n, char out[SECRET_SHA256_HEX])
{
    unsigned char md[32];
    unsigned int len = 0;
    EVP_Digest(data, n, md, &len, EVP_sha256(), NULL);
    sodium_bin2hex(out, SECRET_SHA256_HEX, md, sizeof md);
}

reg_err secret_password_hash(const char *password, char out[SECRET_PWHASH_LEN])
{
    if (crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return REG_ERR_NOMEM;
    return REG_OK;
}

reg_err secret_password_verify(const char *hash, const char *password)
{
    if (!hash || !password)
        return REG_ERR_AUTH;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 ? REG_OK
                                                                            : REG_ERR_AUTH;
}

bool secret_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}

static void salted_digest(const char *salt, const char *code, char hex[SECRET_SHA256_HEX])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char md[32];
    unsigned int len = 0;
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    EVP_DigestUpdate(ctx, salt, strlen(salt));
    EVP_DigestUpdate(ctx, "$", 1);
    EVP_DigestUpdate(ctx, code, strlen(code));
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    sodium_bin2hex(hex, SECRET_SHA256_HEX, md, sizeof md);
}

reg_err secret_authinfo_hash(const char *code, char out[SECRET_AUTHINFO_HASH_LEN])
{
    char salt[17], hex[SECRET_SHA256_HEX];
    reg_err e = secret_random_hex(salt, 8, false);
    if (e)
        return e;
    salted_digest(salt, code, hex);
    snprintf(out, SECRET_AUTHINFO_HASH_LEN, "s256$%s$%s", salt, hex);
    return REG_OK;
}

bool secret_authinfo_verify(const char *hash, const char *code)
{
    if (!hash || !code || strncmp(hash, "s256$", 5))
        return false;
    const char *salt = hash + 5, *dollar = strchr(salt, '$');
    if (!dollar || dollar - salt != 16)
        return false;
    char s[17], hex[SECRET_SHA256_HEX];
    memcpy(s, salt, 16);
    s[16] = '\0';
    salted_digest(s, code, hex);
    return strlen(dollar + 1) == 64 && sodium_memcmp(dollar + 1, hex, 64) == 0;
}
