#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "contrib/secret.h"
#include "registry/pepper.h"
#include "regctl.h"

/* regctl db: the schema, and backups of an SQLite database
 * (docs/operations.md "Backup and restore"). */
static int cmd_migrate(struct regctl *ctl, int argc, char **argv);
static int cmd_version(struct regctl *ctl, int argc, char **argv);
static int cmd_backup(struct regctl *ctl, int argc, char **argv);
static int cmd_restore(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_db_cmds[] = {
    {"migrate", cmd_migrate, "db migrate", "apply pending schema migrations"},
    {"version", cmd_version, "db version", "print the schema version of the database"},
    {"backup", cmd_backup, "db backup FILE [--force]",
     "copy the SQLite database to FILE while registryd runs: one consistent instant, checked "
     "and fsynced, never half written; --force replaces an existing FILE. The pepper file is "
     "not in it (back it up apart); PostgreSQL: use pg_dump"},
    {"restore", cmd_restore, "db restore FILE [--force]",
     "replace the SQLite database with the backup FILE, registryd stopped; FILE must be a "
     "registryd database of a schema version this program knows; --force when the database "
     "holds a registry already"},
    {NULL, NULL, NULL, NULL},
};

static db *open_plain(struct regctl *ctl)
{
    char err[512];
    db *d = NULL;
    if (db_open(ctl->cfg.database_url, &d, err, sizeof err)) {
        regctl_fail("database", "%s", err);
        return NULL;
    }
    return d;
}

static int cmd_migrate(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 1)
        return regctl_usage_error(&regctl_db_cmds[0], "unexpected argument \"%s\"", argv[1]);
    db *d = open_plain(ctl);
    if (!d)
        return EXIT_FAIL;
    int applied = 0;
    int rc = 0;
    if (db_migrate(d, &applied))
        rc = regctl_fail("db migrate", "%s", db_errmsg(d));
    else
        printf("applied %d migration%s; schema version %d\n", applied, applied == 1 ? "" : "s",
               db_schema_version(d));
    db_close(d);
    return rc;
}

static int cmd_version(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 1)
        return regctl_usage_error(&regctl_db_cmds[1], "unexpected argument \"%s\"", argv[1]);
    db *d = open_plain(ctl);
    if (!d)
        return EXIT_FAIL;
    int have = db_schema_version(d);
    if (have < 0)
        printf("schema version 0 (not initialised; run regctl db migrate); this program knows %d\n",
               db_schema_latest());
    else
        printf("schema version %d; this program knows %d\n", have, db_schema_latest());
    db_close(d);
    return 0;
}

/* FILE and --force of db backup and db restore; false after a usage error
 * (*rc set). */
static bool file_and_force(const struct regctl_cmd *me, int argc, char **argv, const char **file,
                           bool *force, int *rc)
{
    static const struct option opts[] = {{"force", no_argument, 0, 'f'}, {0, 0, 0, 0}};
    int c;
    *force = false;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'f') {
            *rc = regctl_usage_error(me, "unknown option \"%s\"", argv[optind - 1]);
            return false;
        }
        *force = true;
    }
    if (argc - optind != 1) {
        *rc = regctl_usage_error(me, "give one FILE");
        return false;
    }
    *file = argv[optind];
    return true;
}

/* The reminder after a backup: the pepper is kept apart on purpose
 * (docs/operations.md "Secrets"), so it is named, not copied. */
static void pepper_reminder(const struct reg_config *cfg)
{
    char path[4096], err[512], keys[SECRET_PEPPER_KEYS_MAX * SECRET_KEY_ID_LEN + 16] = "";
    pepper_path(cfg, path, sizeof path);
    if (!secret_pepper_load(path, err, sizeof err)) {
        const char *ids[SECRET_PEPPER_KEYS_MAX];
        size_t n = secret_pepper_ids(ids);
        strcat(keys, n == 1 ? " (key " : " (keys ");
        for (size_t i = 0; i < n; i++) {
            strcat(keys, ids[i]);
            strcat(keys, i + 1 < n ? ", " : ")");
        }
    }
    printf("not in the backup: the pepper file %s%s, without which its auth info and one-time "
           "passwords never verify; keep a copy of that file apart from the backups\n",
           path, keys);
}

static int cmd_backup(struct regctl *ctl, int argc, char **argv)
{
    const char *file;
    bool force;
    int rc = 0;
    if (!file_and_force(&regctl_db_cmds[2], argc, argv, &file, &force, &rc))
        return rc;
    char err[1024];
    db *d = NULL;
    if (db_open_existing(ctl->cfg.database_url, &d, err, sizeof err))
        return regctl_fail("db backup", "%s", err);
    struct db_copy_info info;
    reg_err e = db_backup(d, file, force, &info);
    if (e)
        rc = regctl_fail("db backup", "%s%s", db_errmsg(d),
                         e == REG_ERR_EXISTS ? ": give a new name, or --force to replace it" : "");
    else
        printf("backup written to %s: schema version %d, %lld bytes, checked\n", file,
               info.schema_version, (long long)info.bytes);
    db_close(d);
    if (!e)
        pepper_reminder(&ctl->cfg);
    return rc;
}

static int cmd_restore(struct regctl *ctl, int argc, char **argv)
{
    const char *file;
    bool force;
    int rc = 0;
    if (!file_and_force(&regctl_db_cmds[3], argc, argv, &file, &force, &rc))
        return rc;
    db *d = open_plain(ctl);
    if (!d)
        return EXIT_FAIL;
    int had = db_kind_of(d) == DB_SQLITE ? db_schema_version(d) : -1;
    struct db_copy_info info;
    reg_err e = REG_OK;
    if (had >= 0 && !force)
        rc = regctl_fail("db restore",
                         "the database holds a registry already (schema version %d): --force to "
                         "replace it with %s",
                         had, file);
    else if ((e = db_restore(d, file, &info)))
        rc = regctl_fail("db restore", "%s", db_errmsg(d));
    db_close(d);
    if (rc || e)
        return EXIT_FAIL;
    printf("database restored from %s (schema version %d, %lld bytes)\n", file,
           info.schema_version, (long long)info.bytes);
    /* what registryd does at start: migrate, and load the pepper, which
     * must hold the key of the restored hashes */
    if (!(d = regctl_db(ctl)))
        return EXIT_FAIL;
    char path[4096];
    pepper_path(&ctl->cfg, path, sizeof path);
    int now = db_schema_version(d);
    if (now != info.schema_version)
        printf("migrated to schema version %d\n", now);
    printf("the pepper file %s holds the key of its hashes: registryd may start\n", path);
    return 0;
}
