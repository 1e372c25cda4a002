/* Loading the pepper and checking it against the database: see pepper.h. */
#include "pepper.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contrib/log.h"
#include "contrib/secret.h"

/* The key id of the newest keyed hash of each table that stores them ("" for
 * none), in the order of `tables`. */
static const char *const newest_sql[] = {
    "SELECT authinfo_hash FROM domain WHERE authinfo_hash LIKE 'h256$%' ORDER BY id DESC "
    "LIMIT 1",
    "SELECT authinfo_hash FROM contact WHERE authinfo_hash LIKE 'h256$%' ORDER BY id DESC "
    "LIMIT 1",
    "SELECT hash FROM otp WHERE hash LIKE 'h256$%' ORDER BY id DESC LIMIT 1",
};
static const char *const tables[] = {"domain auth info", "contact auth info", "one-time passwords"};
#define NTABLES (sizeof tables / sizeof tables[0])

static reg_err newest_keys(db *d, char ids[NTABLES][SECRET_KEY_ID_LEN], char *err, size_t errlen)
{
    for (size_t i = 0; i < NTABLES; i++) {
        db_stmt *s = db_query(d, newest_sql[i]);
        ids[i][0] = '\0';
        if (db_next(s))
            secret_authinfo_key_of(db_col_text(s, 0), ids[i]);
        if (db_done(s)) {
            snprintf(err, errlen, "pepper: cannot read the stored hashes: %s", db_errmsg(d));
            return REG_ERR_DB;
        }
    }
    return REG_OK;
}

void pepper_path(const struct reg_config *cfg, char *out, size_t n)
{
    bool dflt = !cfg->security_pepper_file[0];
    snprintf(out, n, "%s%s", dflt ? cfg->var_dir : cfg->security_pepper_file,
             dflt ? "/pepper" : "");
}

reg_err pepper_setup(db *d, const struct reg_config *cfg, char *err, size_t errlen)
{
    char path[4096], ids[NTABLES][SECRET_KEY_ID_LEN];
    bool dflt = !cfg->security_pepper_file[0];
    pepper_path(cfg, path, sizeof path);
    reg_err e = newest_keys(d, ids, err, errlen);
    if (e)
        return e;
    if (dflt && access(path, F_OK) && errno == ENOENT) {
        for (size_t i = 0; i < NTABLES; i++)
            if (ids[i][0]) {
                snprintf(err, errlen,
                         "pepper file %s is missing, but the database holds %s hashed with its "
                         "key %s: restore the file from its backup "
                         "(docs/operations.md, \"Secrets\")",
                         path, tables[i], ids[i]);
                return REG_ERR_CONFIG;
            }
        mkdir(cfg->var_dir, 0750);
        e = secret_pepper_create(path, err, errlen);
        /* another process made it first: use that one */
        if (e && access(path, F_OK))
            return e;
        if (!e)
            reg_log(LOG_INFO, "secret", NULL, "pepper-created", "file=%s", path);
    }
    if ((e = secret_pepper_load(path, err, errlen)))
        return e;
    for (size_t i = 0; i < NTABLES; i++)
        if (ids[i][0] && !secret_pepper_has(ids[i])) {
            snprintf(err, errlen,
                     "pepper file %s does not hold key %s, which the database's newest hash "
                     "of %s was made with: is it the right file? (docs/operations.md, "
                     "\"Secrets\")",
                     path, ids[i], tables[i]);
            return REG_ERR_CONFIG;
        }
    return REG_OK;
}

/* Hashes per key id of one table; "s256" (its first four characters) for
 * the older form. */
static const char *const usage_sql[] = {
    "SELECT CASE WHEN authinfo_hash LIKE 'h256$%' THEN substr(authinfo_hash, 6, 8) ELSE "
    "substr(authinfo_hash, 1, 4) END, COUNT(*) FROM domain WHERE authinfo_hash IS NOT NULL "
    "GROUP BY 1 ORDER BY 1",
    "SELECT CASE WHEN authinfo_hash LIKE 'h256$%' THEN substr(authinfo_hash, 6, 8) ELSE "
    "substr(authinfo_hash, 1, 4) END, COUNT(*) FROM contact WHERE authinfo_hash IS NOT NULL "
    "GROUP BY 1 ORDER BY 1",
    "SELECT CASE WHEN hash LIKE 'h256$%' THEN substr(hash, 6, 8) ELSE substr(hash, 1, 4) END, "
    "COUNT(*) FROM otp GROUP BY 1 ORDER BY 1",
};

static struct pepper_use *use_of(struct pepper_use *uses, size_t *n, const char *key)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(uses[i].key, key))
            return &uses[i];
    if (*n == PEPPER_USE_MAX)
        return NULL;
    struct pepper_use *u = &uses[(*n)++];
    memset(u, 0, sizeof *u);
    snprintf(u->key, sizeof u->key, "%s", key);
    return u;
}

reg_err pepper_usage(db *d, struct pepper_use uses[PEPPER_USE_MAX], size_t *n, reg_status *st)
{
    const char *ids[SECRET_PEPPER_KEYS_MAX];
    *n = 0;
    /* the pepper's own keys first, in their order, even when unused */
    for (size_t i = 0, k = secret_pepper_ids(ids); i < k; i++)
        use_of(uses, n, ids[i]);
    for (size_t t = 0; t < NTABLES; t++) {
        db_stmt *s = db_query(d, usage_sql[t]);
        while (db_next(s)) {
            struct pepper_use *u = use_of(uses, n, db_col_text(s, 0));
            int64_t count = db_col_int(s, 1);
            if (u)
                *(t == 0 ? &u->domains : t == 1 ? &u->contacts : &u->otps) += count;
        }
        reg_err e = db_done(s);
        if (e)
            return reg_fail(st, e, "database: %s", db_errmsg(d));
    }
    return REG_OK;
}
