#include <stdio.h>

#include "regctl.h"

static int cmd_migrate(struct regctl *ctl, int argc, char **argv);
static int cmd_version(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_db_cmds[] = {
    {"migrate", cmd_migrate, "db migrate", "apply pending schema migrations"},
    {"version", cmd_version, "db version", "print the schema version of the database"},
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
