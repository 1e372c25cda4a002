#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "registry/server_status.h"
#include "regctl.h"

/* regctl status add|rem KIND NAME STATUS: the server statuses staff set
 * (serverHold, serverUpdateProhibited, …; RFC 5731 §2.3), through the
 * registry's rules (server_status.h). */
static int cmd_add(struct regctl *ctl, int argc, char **argv);
static int cmd_rem(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_status_cmds[] = {
    {"add", cmd_add, "status add domain|contact|host NAME STATUS [--message TEXT]",
     "set a server status, e.g. serverHold or serverTransferProhibited"},
    {"rem", cmd_rem, "status rem domain|contact|host NAME STATUS",
     "remove a server status"},
    {NULL, NULL, NULL, NULL},
};

static int run(struct regctl *ctl, int argc, char **argv, bool add)
{
    const struct regctl_cmd *me = &regctl_status_cmds[add ? 0 : 1];
    static const struct option opts[] = {{"message", required_argument, 0, 'm'}, {0, 0, 0, 0}};
    const char *message = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'm' || !add)
            return regctl_usage_error(me, "unknown option \"%s\"", argv[optind - 1]);
        message = optarg;
    }
    if (argc - optind != 3)
        return regctl_usage_error(me, "give KIND, NAME and STATUS");
    const char *kind = argv[optind], *name = argv[optind + 1], *status = argv[optind + 2];
    if (strcmp(kind, "domain") && strcmp(kind, "contact") && strcmp(kind, "host"))
        return regctl_usage_error(me, "KIND is domain, contact or host");
    struct regctl_session ss;
    if (!regctl_session_open(ctl, &ss, "status", true))
        return EXIT_FAIL;
    char key[NAME_MAX_LEN + 1];
    reg_status st = {0};
    reg_err e = server_status_change(&ss.op, kind, name, status, message, add, key, &st);
    int rc = regctl_session_close(&ss, "status", e, &st);
    if (rc)
        return rc;
    printf("%s %s: %s %s\n", kind, key, status, add ? "set" : "removed");
    return 0;
}

static int cmd_add(struct regctl *ctl, int argc, char **argv) { return run(ctl, argc, argv, true); }
static int cmd_rem(struct regctl *ctl, int argc, char **argv) { return run(ctl, argc, argv, false); }
