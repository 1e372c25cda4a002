#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "registry/authinfo_request.h"
#include "regctl.h"

/* regctl authinfo request|done|list|overdue: auth-code requests (R15). The
 * self-service site will call the same registry functions. */
static int cmd_request(struct regctl *ctl, int argc, char **argv);
static int cmd_done(struct regctl *ctl, int argc, char **argv);
static int cmd_list(struct regctl *ctl, int argc, char **argv);
static int cmd_overdue(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_authinfo_cmds[] = {
    {"request", cmd_request, "authinfo request DOMAIN [--note TEXT]",
     "record that the registrant asked for the domain's auth info: the sponsor gets a poll "
     "message and [authinfo] deadline_days working days to give it"},
    {"done", cmd_done, "authinfo done DOMAIN",
     "close the domain's open request (the registrant has the auth info); setting auth info "
     "over EPP closes it too"},
    {"list", cmd_list, "authinfo list [--all]",
     "open requests, earliest deadline first; --all lists closed ones too, newest first"},
    {"overdue", cmd_overdue, "authinfo overdue",
     "open requests past their deadline (give --now TIME to look at another moment)"},
    {NULL, NULL, NULL, NULL},
};

static int cmd_request(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_authinfo_cmds[0];
    static const struct option opts[] = {{"note", required_argument, 0, 'n'}, {0, 0, 0, 0}};
    const char *note = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'n')
            return regctl_usage_error(me, "unknown or incomplete option \"%s\"", argv[optind - 1]);
        note = optarg;
    }
    if (argc - optind != 1)
        return regctl_usage_error(me, "name one DOMAIN");
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "authinfo", true))
        return EXIT_FAIL;
    struct authinfo_req r;
    bool existed;
    reg_status st = {0};
    reg_err e = authinfo_request(&s.op, argv[optind], note, &r, &existed, &st);
    int days = s.policy.authinfo_deadline_days;
    int rc = regctl_session_close(&s, "authinfo request", e, &st);
    if (rc)
        return rc;
    char a[REG_TIME_STRLEN], b[REG_TIME_STRLEN];
    if (existed)
        printf("%s already has an open auth-code request (requested %s, deadline %s); nothing "
               "recorded\n",
               r.domain, regctl_time(r.requested_at, a), regctl_time(r.deadline, b));
    else
        printf("auth-code request for %s recorded: its sponsor %s was told by poll message and "
               "must give the auth info by %s (%d working days)\n",
               r.domain, r.registrar, regctl_time(r.deadline, b), days);
    return 0;
}

static int cmd_done(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return regctl_usage_error(&regctl_authinfo_cmds[1], "name one DOMAIN");
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "authinfo", true))
        return EXIT_FAIL;
    struct authinfo_req r;
    reg_status st = {0};
    reg_err e = authinfo_request_done(&s.op, argv[1], &r, &st);
    int rc = regctl_session_close(&s, "authinfo done", e, &st);
    if (!rc) {
        char a[REG_TIME_STRLEN];
        printf("auth-code request for %s (requested %s) closed\n", r.domain,
               regctl_time(r.requested_at, a));
    }
    return rc;
}

struct listing {
    reg_time now;
    int count;
};

static void print_row(const struct authinfo_req *r, void *arg)
{
    struct listing *l = arg;
    char a[REG_TIME_STRLEN], b[REG_TIME_STRLEN], state[40];
    if (r->closed_at)
        snprintf(state, sizeof state, "closed:%s", r->outcome);
    else
        snprintf(state, sizeof state, "%s", r->deadline < l->now ? "overdue" : "open");
    printf("%-30s %-16s %-20s %-20s %-20s %s\n", r->domain, r->registrar,
           regctl_time(r->requested_at, a), regctl_time(r->deadline, b), state, r->note);
    l->count++;
}

static int list(struct regctl *ctl, authinfo_list which, const char *what)
{
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "authinfo", false))
        return EXIT_FAIL;
    printf("%-30s %-16s %-20s %-20s %-20s %s\n", "DOMAIN", "REGISTRAR", "REQUESTED", "DEADLINE",
           "STATE", "NOTE");
    struct listing l = {.now = s.op.now};
    reg_status st = {0};
    reg_err e = authinfo_request_each(&s.op, which, print_row, &l, &st);
    return regctl_session_close(&s, what, e, &st);
}

static int cmd_list(struct regctl *ctl, int argc, char **argv)
{
    bool all = argc == 2 && !strcmp(argv[1], "--all");
    if (argc > 2 || (argc == 2 && !all))
        return regctl_usage_error(&regctl_authinfo_cmds[2], "the only option is --all");
    return list(ctl, all ? AUTHINFO_LIST_ALL : AUTHINFO_LIST_OPEN, "authinfo list");
}

static int cmd_overdue(struct regctl *ctl, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return regctl_usage_error(&regctl_authinfo_cmds[3], "no arguments (but --now TIME)");
    return list(ctl, AUTHINFO_LIST_OVERDUE, "authinfo overdue");
}
