#include "secret.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

void secret_derive_hex(const char *label, const char *token, char out[SECRET_SHA256_HEX])
{
    char buf[SECRET_TOKEN_LEN + 64];
    int n = snprintf(buf, sizeof buf, "%s:%s", label, token);
    secret_sha256_hex(buf, n > 0 && (size_t)n < sizeof buf ? (size_t)n : strlen(buf), out);
    secret_wipe(buf, sizeof buf);
}

reg_err secret_password_hash(const char *password, char out[SECRET_PWHASH_LEN])
{
    if (crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return REG_ERR_NOMEM;
    return REG_OK;
}

reg_err secret_web_password_check(const char *pw, reg_status *st)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < SECRET_WEB_PASSWORD_MIN || n > SECRET_WEB_PASSWORD_MAX)
        return reg_fail(st, REG_ERR_POLICY, "a password has %d to %d characters",
                        SECRET_WEB_PASSWORD_MIN, SECRET_WEB_PASSWORD_MAX);
    return REG_OK;
}

bool secret_login_password_ok(const char *hash, const char *password)
{
    static const char dummy[] = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
                                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    bool have = hash && *hash;
    return secret_password_verify(have ? hash : dummy, password ? password : "") == REG_OK && have;
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

/* ---- the pepper ----------------------------------------------------------------- */

struct pepper_key {
    unsigned char key[SECRET_PEPPER_KEY_MAX];
    size_t len;
    char id[SECRET_KEY_ID_LEN];
};

/* Set at start before any thread (or by a test), read-only after. */
static struct {
    struct pepper_key k[SECRET_PEPPER_KEYS_MAX];
    size_t n;
} pepper;

#define KEY_ID_LABEL "registryd pepper key id"

/* The first 4 bytes of HMAC(key, label): names the key, tells nothing of it. */
static void key_id(struct pepper_key *k)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, k->key, k->len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)KEY_ID_LABEL,
                                  sizeof KEY_ID_LABEL - 1);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(k->id, sizeof k->id, mac, 4);
}

static const struct pepper_key *key_by_id(const char *id)
{
    for (size_t i = 0; i < pepper.n; i++)
        if (!strcmp(pepper.k[i].id, id))
            return &pepper.k[i];
    return NULL;
}

reg_err secret_pepper_parse(const char *text, char *err, size_t errlen)
{
    struct pepper_key keys[SECRET_PEPPER_KEYS_MAX];
    size_t n = 0, line = 0;
    reg_err e = REG_OK;
    for (const char *p = text; *p && !e; line++) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *b = p;
        p += len + (end != NULL);
        while (len && (*b == ' ' || *b == '\t'))
            b++, len--;
        while (len && strchr(" \t\r", b[len - 1]))
            len--;
        if (!len || *b == '#')
            continue;
        size_t got = 0;
        const char *stop = NULL;
        if (n == SECRET_PEPPER_KEYS_MAX) {
            snprintf(err, errlen, "line %zu: more than %d keys", line + 1, SECRET_PEPPER_KEYS_MAX);
            e = REG_ERR_CONFIG;
        } else if (len < 2 * SECRET_PEPPER_KEY_MIN || len > 2 * SECRET_PEPPER_KEY_MAX ||
                   sodium_hex2bin(keys[n].key, sizeof keys[n].key, b, len, NULL, &got, &stop) ||
                   stop != b + len || got * 2 != len) {
            snprintf(err, errlen,
                     "line %zu: a key is %d to %d hex digits (%d to %d random bytes), e.g. from "
                     "openssl rand -hex 32",
                     line + 1, 2 * SECRET_PEPPER_KEY_MIN, 2 * SECRET_PEPPER_KEY_MAX,
                     SECRET_PEPPER_KEY_MIN, SECRET_PEPPER_KEY_MAX);
            e = REG_ERR_CONFIG;
        } else {
            keys[n].len = got;
            key_id(&keys[n]);
            for (size_t i = 0; i < n && !e; i++)
                if (!strcmp(keys[i].id, keys[n].id)) {
                    snprintf(err, errlen, "line %zu: the same key (id %s) twice", line + 1,
                             keys[n].id);
                    e = REG_ERR_CONFIG;
                }
            n++;
        }
    }
    if (!e && !n) {
        snprintf(err, errlen, "no key in it (one line of 64 hex digits, e.g. from openssl rand "
                              "-hex 32)");
        e = REG_ERR_CONFIG;
    }
    if (!e) {
        sodium_memzero(&pepper, sizeof pepper);
        memcpy(pepper.k, keys, n * sizeof *keys);
        pepper.n = n;
    }
    sodium_memzero(keys, sizeof keys);
    return e;
}

reg_err secret_file_read(const char *what, const char *path, char *buf, size_t cap, char *err,
                         size_t errlen)
{
    buf[0] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb)) {
        snprintf(err, errlen, "%s %s: cannot open: %s", what, path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return REG_ERR_CONFIG;
    }
    reg_err e = REG_ERR_CONFIG;
    size_t got = 0;
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "%s %s is not a regular file", what, path);
    } else if (sb.st_mode & (S_IWGRP | S_IXGRP | S_IRWXO)) {
        snprintf(err, errlen,
                 "%s %s may be read or changed by others (mode %04o): chmod 600 it "
                 "(640 with a group for registryd and regctl)",
                 what, path, (unsigned)(sb.st_mode & 07777));
    } else if (sb.st_size >= (off_t)cap) {
        snprintf(err, errlen, "%s %s is larger than %zu bytes", what, path, cap - 1);
    } else {
        e = REG_OK;
        while (got < cap - 1) {
            ssize_t n = read(fd, buf + got, cap - 1 - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
                e = REG_ERR_CONFIG;
                break;
            }
            if (n == 0)
                break;
            got += (size_t)n;
        }
        if (!e && got == cap - 1) { /* grew since fstat */
            snprintf(err, errlen, "%s %s is larger than %zu bytes", what, path, cap - 1);
            e = REG_ERR_CONFIG;
        }
    }
    close(fd);
    if (e)
        sodium_memzero(buf, cap);
    else
        buf[got] = '\0';
    return e;
}

void secret_wipe(void *p, size_t n)
{
    sodium_memzero(p, n);
}

reg_err secret_pepper_load(const char *path, char *err, size_t errlen)
{
    char text[8192], why[256];
    reg_err e = secret_file_read("pepper file", path, text, sizeof text, err, errlen);
    if (!e && (e = secret_pepper_parse(text, why, sizeof why)))
        snprintf(err, errlen, "pepper file %s: %s", path, why);
    sodium_memzero(text, sizeof text);
    return e;
}

reg_err secret_pepper_create(const char *path, char *err, size_t errlen)
{
    char hex[2 * SECRET_PEPPER_KEY_MIN + 1], text[512];
    if (secret_random_hex(hex, SECRET_PEPPER_KEY_MIN, false)) {
        snprintf(err, errlen, "no random bytes for a pepper");
        return REG_ERR_INTERNAL;
    }
    int n = snprintf(text, sizeof text,
                     "# registryd pepper: the keys of the auth-info and one-time-password "
                     "hashes.\n# Keep a copy apart from the database backups; without it no "
                     "stored auth info\n# verifies. The first key hashes; the others only "
                     "verify (docs/operations.md,\n# \"Secrets\").\n%s\n",
                     hex);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && write(fd, text, (size_t)n) == n && fsync(fd) == 0;
    int saved = errno;
    if (fd >= 0 && close(fd) && ok) {
        ok = false;
        saved = errno;
    }
    sodium_memzero(hex, sizeof hex);
    sodium_memzero(text, sizeof text);
    if (!ok) {
        snprintf(err, errlen, "cannot create pepper file %s: %s", path, strerror(saved));
        if (fd >= 0)
            unlink(path);
        return REG_ERR_IO;
    }
    return REG_OK;
}

void secret_pepper_clear(void)
{
    sodium_memzero(&pepper, sizeof pepper);
}

const char *secret_pepper_current(void)
{
    return pepper.n ? pepper.k[0].id : "";
}

size_t secret_pepper_ids(const char *ids[SECRET_PEPPER_KEYS_MAX])
{
    for (size_t i = 0; i < pepper.n; i++)
        ids[i] = pepper.k[i].id;
    return pepper.n;
}

bool secret_pepper_has(const char *key_id)
{
    return key_id && key_by_id(key_id);
}

/* ---- auth info and OTP hashes ---------------------------------------------------- */

#define SALT_HEX 16 /* 8 random bytes */

/* The older form: SHA-256(salt "$" code), no key. */
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

/* HMAC-SHA-256(key, salt "$" code) */
static void keyed_digest(const struct pepper_key *k, const char *salt, const char *code,
                         char hex[SECRET_SHA256_HEX])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, k->key, k->len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)salt, strlen(salt));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)"$", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)code, strlen(code));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
    sodium_bin2hex(hex, SECRET_SHA256_HEX, mac, sizeof mac);
}

reg_err secret_authinfo_hash(const char *code, char out[SECRET_AUTHINFO_HASH_LEN])
{
    char salt[SALT_HEX + 1], hex[SECRET_SHA256_HEX];
    out[0] = '\0';
    if (!pepper.n)
        return REG_ERR_CONFIG;
    reg_err e = secret_random_hex(salt, SALT_HEX / 2, false);
    if (e)
        return e;
    keyed_digest(&pepper.k[0], salt, code, hex);
    snprintf(out, SECRET_AUTHINFO_HASH_LEN, "h256$%s$%s$%s", pepper.k[0].id, salt, hex);
    return REG_OK;
}

/* The parts of "h256$<id>$<salt>$<hex>" or "s256$<salt>$<hex>" (id ""):
 * false unless the hash has exactly that shape. */
static bool split_hash(const char *hash, char id[SECRET_KEY_ID_LEN], char salt[SALT_HEX + 1],
                       const char **hex)
{
    const char *p;
    id[0] = '\0';
    if (!hash)
        return false;
    if (!strncmp(hash, "h256$", 5)) {
        p = hash + 5;
        if (strlen(p) < SECRET_KEY_ID_LEN || p[SECRET_KEY_ID_LEN - 1] != '$')
            return false;
        memcpy(id, p, SECRET_KEY_ID_LEN - 1);
        id[SECRET_KEY_ID_LEN - 1] = '\0';
        p += SECRET_KEY_ID_LEN;
    } else if (!strncmp(hash, "s256$", 5)) {
        p = hash + 5;
    } else {
        return false;
    }
    if (strlen(p) != SALT_HEX + 1 + 64 || p[SALT_HEX] != '$')
        return false;
    memcpy(salt, p, SALT_HEX);
    salt[SALT_HEX] = '\0';
    *hex = p + SALT_HEX + 1;
    return true;
}

void secret_authinfo_key_of(const char *hash, char out[SECRET_KEY_ID_LEN])
{
    char salt[SALT_HEX + 1];
    const char *hex;
    if (!split_hash(hash, out, salt, &hex))
        out[0] = '\0';
    else if (!out[0])
        snprintf(out, SECRET_KEY_ID_LEN, "s256");
}

bool secret_authinfo_verify(const char *hash, const char *code,
                            char rehash[SECRET_AUTHINFO_HASH_LEN])
{
    char id[SECRET_KEY_ID_LEN], salt[SALT_HEX + 1], want[SECRET_SHA256_HEX];
    const char *hex;
    if (rehash)
        rehash[0] = '\0';
    if (!code || !split_hash(hash, id, salt, &hex))
        return false;
    const struct pepper_key *k = NULL;
    if (id[0] && !(k = key_by_id(id)))
        return false;
    if (k)
        keyed_digest(k, salt, code, want);
    else
        salted_digest(salt, code, want);
    if (sodium_memcmp(hex, want, 64) != 0)
        return false;
    /* an older form, or an older key: hashed again with the current one */
    if (rehash && k != &pepper.k[0] && secret_authinfo_hash(code, rehash))
        rehash[0] = '\0';
    return true;
}
