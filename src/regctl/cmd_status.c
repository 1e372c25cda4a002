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
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    struct registry_policy policy;
    config_policy(&ctl->cfg, &policy);
    char key[256];
    struct domain_name dn;
    reg_status st = {0};
    if (!strcmp(kind, "domain") && !names_domain(&policy.names, name, &dn, &st))
        snprintf(key, sizeof key, "%s", dn.alabel);
    else
        for (size_t i = 0; i < sizeof key; i++) {
            char ch = name[i];
            key[i] = (char)(!strcmp(kind, "contact") ? (ch >= 'a' && ch <= 'z' ? ch - 32 : ch)
                                                     : (ch >= 'A' && ch <= 'Z' ? ch + 32 : ch));
            if (!ch)
                break;
        }
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s = ?", kind,
             strcmp(kind, "contact") ? "name" : "handle");
    reg_err e = db_begin(d);
    db_stmt *s = e ? NULL : db_query(d, sql);
    int64_t id = 0;
    if (s) {
        db_bind_text(s, 1, key);
        id = db_next(s) ? db_col_int(s, 0) : 0;
        e = db_done(s);
    }
    if (!e && !id) {
        db_rollback(d);
        policy_free(&policy);
        return regctl_fail("status", "%s %s does not exist", kind, name);
    }
    if (!e)
        e = add ? status_add(d, kind, id, status, message) : status_remove(d, kind, id, status);
    struct reg_op op = {.db = d, .policy = &policy, .actor = "staff", .channel = "regctl",
                        .now = clock_now()};
    char snap[512];
    snprintf(snap, sizeof snap, "{\"%s\":\"%s\"}", add ? "statusAdded" : "statusRemoved", status);
    if (!e)
        e = history_record(&op, kind, id, key, add ? "status-add" : "status-rem", snap, &st);
    if (!e && !strcmp(kind, "domain"))
        e = domain_notify_change(&op, key, "update", add ? status : "status removed", &st);
    if (!e)
        e = db_commit(d);
    else
        db_rollback(d);
    policy_free(&policy);
    if (e)
        return regctl_fail("status", "%s", st.reason[0] ? st.reason : db_errmsg(d));
    printf("%s %s: %s %s\n", kind, key, status, add ? "set" : "removed");
    return 0;
}

static int cmd_add(struct regctl *ctl, int argc, char **argv) { return run(ctl, argc, argv, true); }
static int cmd_rem(struct regctl *ctl, int argc, char **argv) { return run(ctl, argc, argv, false); }
