#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "registry/domain.h"
#include "registry/history.h"
#include "registry/status.h"
#include "regctl.h"

/* regctl status add|rem KIND NAME STATUS: the server statuses staff set
 * (serverHold, serverUpdateProhibited, …; RFC 5731 §2.3). */
static int cmd_add(struct regctl *ctl, int argc, char **argv);
static int cmd_rem(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_status_cmds[] = {
    {"add", cmd_add, "status add domain|contact|host NAME STATUS [--message TEXT]",
     "set a server status, e.g. serverHold or serverTransferProhibited"},
    {"rem", cmd_rem, "status rem domain|contact|host NAME STATUS",
     "remove a server status"},
    {NULL, NULL, NULL, NULL},
};

static const char *const server_statuses[] = {
    "serverHold", "serverDeleteProhibited", "serverRenewProhibited",
    "serverTransferProhibited", "serverUpdateProhibited", NULL,
};

static bool known(const char *kind, const char *status)
{
    for (const char *const *s = server_statuses; *s; s++)
        if (!strcmp(*s, status))
            return strcmp(kind, "domain") == 0 ||
                   (strcmp(status, "serverHold") && strcmp(status, "serverRenewProhibited"));
    return false;
}

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
    if (!known(kind, status))
        return regctl_fail("status", "%s is not a server status of a %s (serverHold is for "
                                     "domains; server{Update,Delete,Transfer}Prohibited for all)",
                           status, kind);
    reg_status why = {0};
    if (add && status_message_check(status, message, &why))
        return regctl_fail("status", "%s", why.reason);
    struct regctl_session ss;
    if (!regctl_session_open(ctl, &ss, "status", true))
        return EXIT_FAIL;
    char key[256];
    struct domain_name dn;
    reg_status st = {0};
    if (!strcmp(kind, "domain") && !names_domain(&ss.policy.names, name, &dn, &st)) {
        snprintf(key, sizeof key, "%s", dn.alabel);
    } else {
        /* handles are upper case, host names lower case; a name too long
         * for key is cut (and then not found), never left unterminated */
        bool contact = !strcmp(kind, "contact");
        size_t i = 0;
        for (; name[i] && i < sizeof key - 1; i++)
            key[i] = (char)(contact ? toupper((unsigned char)name[i])
                                    : tolower((unsigned char)name[i]));
        key[i] = '\0';
    }
    memset(&st, 0, sizeof st);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s = ?", kind,
             strcmp(kind, "contact") ? "name" : "handle");
    reg_err e = REG_OK;
    db_stmt *s = db_query(ss.db, sql);
    int64_t id = 0;
    db_bind_text(s, 1, key);
    id = db_next(s) ? db_col_int(s, 0) : 0;
    if ((e = db_done(s)))
        reg_fail(&st, e, "database: %s", db_errmsg(ss.db));
    else if (!id)
        e = reg_fail(&st, REG_ERR_NOT_FOUND, "%s %s does not exist", kind, name);
    if (!e && (e = add ? status_add(ss.db, kind, id, status, message)
                       : status_remove(ss.db, kind, id, status)))
        reg_fail(&st, e, "database: %s", db_errmsg(ss.db));
    char snap[512];
    snprintf(snap, sizeof snap, "{\"%s\":\"%s\"}", add ? "statusAdded" : "statusRemoved", status);
    if (!e)
        e = history_record(&ss.op, kind, id, key, add ? "status-add" : "status-rem", snap, &st);
    if (!e && !strcmp(kind, "domain"))
        e = domain_notify_change(&ss.op, key, "update", add ? status : "status removed", &st);
    int rc = regctl_session_close(&ss, "status", e, &st);
    if (rc)
        return rc;
    printf("%s %s: %s %s\n", kind, key, status, add ? "set" : "removed");
    return 0;
}

static int cmd_add(struct regctl *ctl, int argc, char **argv) { return run(ctl, argc, argv, true); }
static int cmd_rem(struct regctl *ctl, int argc, char **argv) { return run(ctl, argc, argv, false); }
