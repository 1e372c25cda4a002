/* regctl domain: staff changes to domains. */
#include <stdio.h>
#include <string.h>

#include "registry/management.h"
#include "regctl.h"

static int cmd_management(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_domain_cmds[] = {
    {"management", cmd_management, "domain management NAME registrar|registrant",
     "change a domain's management model, e.g. on the registrant's request; kept in history, "
     "the registrar gets a poll message and the registrant a mail"},
    {NULL, NULL, NULL, NULL},
};

static int cmd_management(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_domain_cmds[0];
    if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-')
        return regctl_usage_error(me, "give a domain NAME and the model");
    if (!management_valid(argv[2]))
        return regctl_usage_error(me, "the model is registrar or registrant, not \"%s\"",
                                  argv[2]);
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "domain management", true))
        return EXIT_FAIL;
    reg_status st = {0};
    reg_err e = domain_set_management(&s.op, argv[1], argv[2], &st);
    int rc = regctl_session_close(&s, "domain management", e, &st);
    if (!rc)
        printf("%s is now %s-managed\n", argv[1], argv[2]);
    return rc;
}
