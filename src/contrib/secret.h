/* Randomness, hashing and password storage (DESIGN §11): passwords use
 * argon2id (libsodium), tokens are >= 128 random bits, compares of secrets
 * are constant-time. */
#ifndef REG_SECRET_H
#define REG_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"

#define SECRET_PWHASH_LEN 128 /* buffer size for secret_password_hash() */
#define SECRET_SHA256_HEX 65

reg_err secret_init(void);
reg_err secret_random(void *buf, size_t n);
/* `bytes` random bytes as lowercase (or uppercase) hex; out holds 2*bytes+1. */
reg_err secret_random_hex(char *out, size_t bytes, bool upper);
/* URL-safe token of 32 random bytes (256 bits), base64url without padding. */
#define SECRET_TOKEN_LEN 44
reg_err secret_token(char out[SECRET_TOKEN_LEN]);

void secret_sha256_hex(const void *data, size_t n, char out[SECRET_SHA256_HEX]);
reg_err secret_password_hash(const char *password, char out[SECRET_PWHASH_LEN]);
/* REG_OK on match, REG_ERR_AUTH on mismatch or unreadable hash. */
reg_err secret_password_verify(const char *hash, const char *password);
bool secret_equal(const char *a, const char *b);

/* Auth info (RFC 9154) and OTPs: salted SHA-256 ("s256$<salt>$<hex>"),
 * fast enough to hash on every create; auth info is meant to be a strong
 * random code, and the hash keeps a database reader from using it. */
#define SECRET_AUTHINFO_HASH_LEN 96
reg_err secret_authinfo_hash(const char *code, char out[SECRET_AUTHINFO_HASH_LEN]);
/* Constant-time; false for a NULL or malformed hash. */
bool secret_authinfo_verify(const char *hash, const char *code);

#endif
