#include <stdio.h>
#include <string.h>

#include "registry/history.h"
#include "registry/names.h"
#include "regctl.h"

/* regctl history OBJECT: every version of a domain, contact, host or
 * account (R40). */
static int cmd_history(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_history_cmds[] = {
    {"", cmd_history, "history [--full] OBJECT",
     "every version of a domain (A-label), contact, host or account: when, who, channel, "
     "svTRID; "
     "--full adds each version's data"},
    {NULL, NULL, NULL, NULL},
};

struct print_opts {
    bool full;
    int count;
};

static void print_version(const struct history_version *v, void *arg)
{
    struct print_opts *o = arg;
    char ts[REG_TIME_STRLEN];
    printf("%-3lld %s %-7s %-16s %-22s %-5s %s\n", (long long)v->version,
           clock_format(v->at, ts, sizeof ts), v->kind, v->action, v->actor, v->channel,
           v->svtrid ? v->svtrid : "-");
    if (o->full)
        printf("    %s\n", v->snapshot);
    o->count++;
}

static int cmd_history(struct regctl *ctl, int argc, char **argv)
{
    struct print_opts o = {0};
    const char *key = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--full"))
            o.full = true;
        else if (argv[i][0] == '-' || key)
            return regctl_usage_error(&regctl_history_cmds[0], "unexpected argument \"%s\"",
                                      argv[i]);
        else
            key = argv[i];
    }
    if (!key)
        return regctl_usage_error(&regctl_history_cmds[0], "name an OBJECT");
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    /* a domain by its A-label (U-labels converted); hosts are stored
     * lowercase, contacts uppercase */
    struct name_policy np = {.tld = ctl->cfg.tld_name, .allowed_chars = ctl->cfg.tld_allowed_chars};
    struct domain_name dn;
    reg_status ignored;
    if (!names_domain(&np, key, &dn, &ignored))
        key = dn.alabel;
    char lower[256], upper[256];
    size_t n = strlen(key);
    if (n >= sizeof lower)
        return regctl_fail("history", "object name too long");
    for (size_t i = 0; i <= n; i++) {
        lower[i] = (char)(key[i] >= 'A' && key[i] <= 'Z' ? key[i] + 32 : key[i]);
        upper[i] = (char)(key[i] >= 'a' && key[i] <= 'z' ? key[i] - 32 : key[i]);
    }
    printf("%-3s %-20s %-7s %-16s %-22s %-5s %s\n", "V", "WHEN", "KIND", "ACTION", "WHO", "VIA",
           "SVTRID");
    reg_status st = {0};
    if (history_each(d, NULL, lower, print_version, &o, &st) ||
        (strcmp(lower, upper) && history_each(d, NULL, upper, print_version, &o, &st)))
        return regctl_fail("history", "%s", reg_status_text(&st));
    if (!o.count)
        return regctl_fail("history", "no history for %s", key);
    return 0;
}
