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

reg_err pepper_setup(db *d, const struct reg_config *cfg, char *err, size_t errlen)
{
    char path[4096], ids[NTABLES][SECRET_KEY_ID_LEN];
    bool dflt = !cfg->security_pepper_file[0];
    snprintf(path, sizeof path, "%s%s", dflt ? cfg->var_dir : cfg->security_pepper_file,
             dflt ? "/pepper" : "");
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
