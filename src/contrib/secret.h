/* Randomness, hashing and password storage (DESIGN §11): passwords use
 * argon2id (libsodium), tokens are >= 128 random bits, compares of secrets
 * are constant-time. */
#ifndef REG_SECRET_H
#define REG_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "status.h"

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
/* SHA-256 (hex) of "label:token": a value derived from a session token
 * that nothing stored (the token's own hash) gives, such as a form's CSRF
 * token. */
void secret_derive_hex(const char *label, const char *token, char out[SECRET_SHA256_HEX]);
reg_err secret_password_hash(const char *password, char out[SECRET_PWHASH_LEN]);
/* REG_OK on match, REG_ERR_AUTH on mismatch or unreadable hash. */
reg_err secret_password_verify(const char *hash, const char *password);
/* A login's check: true when hash (NULL or "" for none) is password's.
 * Without a hash the same work is done against a dummy, so timing does
 * not tell which logins exist. */
bool secret_login_password_ok(const char *hash, const char *password);
bool secret_equal(const char *a, const char *b);
/* Passwords of the web logins (self-service, the registrar portal):
 * 10 to 128 characters; REG_ERR_POLICY with the rule otherwise. */
#define SECRET_WEB_PASSWORD_MIN 10
#define SECRET_WEB_PASSWORD_MAX 128
reg_err secret_web_password_check(const char *pw, reg_status *st);

/* Auth info (RFC 9154) and OTPs are hashed with a keyed hash: HMAC-SHA-256
 * under the pepper, a server secret kept outside the database, so a copy
 * of the database alone gives nothing to guess against (a 50-bit OTP or a
 * weak auth info would fall to a GPU against a plain salted hash). The
 * form is "h256$<key id>$<salt>$<hex>" = HMAC(key, salt "$" code); the key
 * id (8 hex digits, derived from the key) names which pepper key made it,
 * so the pepper can be rotated. It is cheap: domain:info pays one HMAC.
 * Hashes of the older form "s256$<salt>$<hex>" (plain salted SHA-256)
 * still verify, and are replaced on their next successful use. */
#define SECRET_AUTHINFO_HASH_LEN 96
/* The code hashed with the current pepper key; REG_ERR_CONFIG when no
 * pepper is loaded (nothing is ever stored without one). */
reg_err secret_authinfo_hash(const char *code, char out[SECRET_AUTHINFO_HASH_LEN]);
/* Constant-time; false for a NULL or malformed hash, or one made with a key
 * the pepper no longer holds. On a match by a hash in an older form (s256,
 * or a pepper key that is not the current one), rehash (optional) gets the
 * code hashed afresh for the caller to store in its place; otherwise
 * rehash is "". */
bool secret_authinfo_verify(const char *hash, const char *code,
                            char rehash[SECRET_AUTHINFO_HASH_LEN]);

/* A file holding a secret (a password file, the pepper), into buf (NUL
 * terminated, at most cap - 1 bytes). One set of rules for every such
 * file: it must be a regular file (opened without blocking, so a FIFO
 * cannot hang the caller), neither written by its group nor read or
 * written by others (group read is allowed: a group of registryd and
 * regctl), and shorter than cap. On failure err holds one line naming
 * `what` and the path, and buf is wiped; callers wipe buf after use with
 * secret_wipe. */
reg_err secret_file_read(const char *what, const char *path, char *buf, size_t cap, char *err,
                         size_t errlen);
/* Zeroes memory the compiler may not optimise the write away. */
void secret_wipe(void *p, size_t n);

/* The pepper: a text file of keys, one per line as 64 to 128 hex digits
 * (32 to 64 random bytes); '#' lines and blank lines are ignored. The
 * first key is the current one, which makes every new hash; the others
 * only verify hashes made with them until those are used again
 * (rotation). It is loaded once at start, before any thread, and is
 * read-only after that. */
#define SECRET_PEPPER_KEYS_MAX 8
#define SECRET_PEPPER_KEY_MIN 32
#define SECRET_PEPPER_KEY_MAX 64
#define SECRET_KEY_ID_LEN 9 /* 8 hex digits and NUL */
/* Reads the pepper file: refused (REG_ERR_CONFIG, one line in err) when it
 * is missing, not a regular file, readable or writable by others, or holds
 * no valid key. The process's keys are unchanged on failure. */
reg_err secret_pepper_load(const char *path, char *err, size_t errlen);
/* The same from text (tests; the file's contents). */
reg_err secret_pepper_parse(const char *text, char *err, size_t errlen);
/* Writes a new pepper file with one fresh 32-byte key, mode 0600; refuses
 * to overwrite an existing file. Does not load it. */
reg_err secret_pepper_create(const char *path, char *err, size_t errlen);
/* Forgets every key (tests). */
void secret_pepper_clear(void);
/* The id of the current key, "" when none is loaded. */
const char *secret_pepper_current(void);
/* Does the pepper hold the key with this id? */
bool secret_pepper_has(const char *key_id);
/* The ids of the pepper's keys, the current one first; their number. */
size_t secret_pepper_ids(const char *ids[SECRET_PEPPER_KEYS_MAX]);
/* The key id a stored hash was made with: "s256" for the older form, ""
 * when it is none of the known forms. */
void secret_authinfo_key_of(const char *hash, char out[SECRET_KEY_ID_LEN]);

#endif
