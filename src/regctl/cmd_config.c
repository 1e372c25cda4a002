#include <stdio.h>

#include "regctl.h"

static int cmd_show(struct regctl *ctl, int argc, char **argv);
static int cmd_check(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_config_cmds[] = {
    {"show", cmd_show, "config show", "print every setting's effective value, with its doc line"},
    {"check", cmd_check, "config check", "load the configuration and report the first error"},
    {NULL, NULL, NULL, NULL},
};

static int cmd_show(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 1)
        return regctl_usage_error(&regctl_config_cmds[0], "unexpected argument \"%s\"", argv[1]);
    printf("# effective configuration (%s)\n",
           ctl->config_path ? ctl->config_path : "built-in defaults; no --config given");
    settings_show(&reg_config_table, &ctl->cfg, stdout);
    return 0;
}

static int cmd_check(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 1)
        return regctl_usage_error(&regctl_config_cmds[1], "unexpected argument \"%s\"", argv[1]);
    /* main() already loaded it and would have failed with file:line */
    printf("%s: ok\n", ctl->config_path ? ctl->config_path : "built-in defaults");
    return 0;
}
