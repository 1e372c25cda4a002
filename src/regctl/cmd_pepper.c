#include <stdio.h>
#include <string.h>

#include "registry/pepper.h"
#include "regctl.h"

/* regctl pepper status: the keys of the pepper file and how many stored
 * hashes each made, so staff can see the migration from the older form
 * and when a rotated-out key holds nothing any more (docs/operations.md,
 * "Secrets"). */
static int cmd_status(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_pepper_cmds[] = {
    {"status", cmd_status, "pepper status",
     "the pepper file's keys (the current one first) and the stored auth-info and "
     "one-time-password hashes each made; s256: from before the pepper, replaced on use"},
    {NULL, NULL, NULL, NULL},
};

static const char *role(const char *key, size_t i, size_t nkeys)
{
    if (i < nkeys)
        return i == 0 ? "current" : "verifies only";
    return strcmp(key, "s256") ? "not in the file: never verifies" : "before the pepper";
}

static int cmd_status(struct regctl *ctl, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return regctl_usage_error(&regctl_pepper_cmds[0], "no arguments");
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "pepper", false))
        return EXIT_FAIL;
    char path[4096];
    const char *ids[SECRET_PEPPER_KEYS_MAX];
    size_t nkeys = secret_pepper_ids(ids), n = 0;
    pepper_path(&ctl->cfg, path, sizeof path);
    struct pepper_use uses[PEPPER_USE_MAX];
    reg_status st = {0};
    reg_err e = pepper_usage(s.db, uses, &n, &st);
    if (!e) {
        printf("pepper file %s: %zu key%s\n", path, nkeys, nkeys == 1 ? "" : "s");
        printf("%-9s %-32s %10s %10s %10s\n", "KEY", "ROLE", "DOMAINS", "CONTACTS", "OTPS");
        for (size_t i = 0; i < n; i++)
            printf("%-9s %-32s %10lld %10lld %10lld\n", uses[i].key, role(uses[i].key, i, nkeys),
                   (long long)uses[i].domains, (long long)uses[i].contacts,
                   (long long)uses[i].otps);
    }
    return regctl_session_close(&s, "pepper status", e, &st);
}
