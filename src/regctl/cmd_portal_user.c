/* regctl portal-user: the registrar portal's users (R27; registry/portal.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "registry/portal.h"
#include "regctl.h"

static int cmd_add(struct regctl *ctl, int argc, char **argv);
static int cmd_list(struct regctl *ctl, int argc, char **argv);
static int cmd_disable(struct regctl *ctl, int argc, char **argv);
static int cmd_enable(struct regctl *ctl, int argc, char **argv);
static int cmd_roles(struct regctl *ctl, int argc, char **argv);
static int cmd_reset(struct regctl *ctl, int argc, char **argv);

#define ROLES "administrator, nameserver_manager, registrar, payer, proxy"

const struct regctl_cmd regctl_portal_user_cmds[] = {
    {"add", cmd_add,
     "portal-user add REGISTRAR LOGIN --email ADDR --role ROLE[,ROLE]... [--password PW]",
     "create a user of the registrar portal for REGISTRAR (roles: " ROLES "); without "
     "--password one is generated and printed; the user enrols a TOTP key at the first login"},
    {"list", cmd_list, "portal-user list [REGISTRAR]", "list portal users (of one registrar)"},
    {"disable", cmd_disable, "portal-user disable LOGIN",
     "stop a portal user from logging in; its sessions end at once"},
    {"enable", cmd_enable, "portal-user enable LOGIN", "let a disabled portal user log in again"},
    {"roles", cmd_roles, "portal-user roles LOGIN ROLE[,ROLE]...",
     "replace a portal user's roles; they apply from its next page"},
    {"reset", cmd_reset, "portal-user reset LOGIN [--password PW] [--totp]",
     "a new password (--password, or without options one generated and printed) and/or a new "
     "TOTP enrolment at the next login (--totp; without options both); clears a lockout and "
     "ends the user's sessions"},
    {NULL, NULL, NULL, NULL},
};

static const struct regctl_cmd *cmd_named(const char *name)
{
    return regctl_cmd_named(regctl_portal_user_cmds, name);
}

static int cmd_add(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = cmd_named("add");
    static const struct option opts[] = {
        {"email", required_argument, 0, 'e'},
        {"role", required_argument, 0, 'r'},
        {"password", required_argument, 0, 'p'},
        {0, 0, 0, 0},
    };
    struct portal_user_new u = {0};
    char generated[17], roles[256] = "";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'e': u.email = optarg; break;
        case 'p': u.password = optarg; break;
        case 'r': /* --role a,b and --role a --role b alike */
            if (strlen(roles) + strlen(optarg) + 2 > sizeof roles)
                return regctl_usage_error(me, "too many --role");
            if (roles[0])
                strcat(roles, ",");
            strcat(roles, optarg);
            break;
        default:
            return regctl_usage_error(me, "unknown or incomplete option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind != argc - 2)
        return regctl_usage_error(me, "give REGISTRAR and LOGIN");
    if (!u.email)
        return regctl_usage_error(me, "--email is required");
    if (!roles[0])
        return regctl_usage_error(me, "--role is required (" ROLES ")");
    u.registrar = argv[optind];
    u.login = argv[optind + 1];
    u.roles = roles;
    if (!u.password) {
        registrar_generate_password(generated);
        u.password = generated;
    }
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "portal-user add", true))
        return EXIT_FAIL;
    reg_status st = {0};
    reg_err e = portal_user_add(&s.op, &u, &st);
    int rc = regctl_session_close(&s, "portal-user add", e, &st);
    if (rc)
        return rc;
    char login[PORTAL_LOGIN_MAX + 1];
    portal_login_normalize(u.login, login, &st);
    printf("portal user %s created\n", login);
    if (u.password == generated)
        printf("password: %s\n", generated);
    return 0;
}

static void print_user(const struct portal_user *u, void *arg)
{
    (void)arg;
    char roles[PORTAL_ROLES_STRLEN], last[REG_TIME_STRLEN];
    portal_roles_format(u->roles, roles);
    const char *state = u->disabled ? "disabled" : u->locked_until > clock_now() ? "locked"
                        : !u->has_password                                      ? "no-password"
                        : !u->totp_enrolled                                     ? "to-enrol"
                                                                                : "active";
    printf("%-16s %-24s %-11s %-20s %-40s %s\n", u->registrar, u->login, state,
           regctl_time(u->last_login_at, last), roles[0] ? roles : "-", u->email);
}

static int cmd_list(struct regctl *ctl, int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
        return regctl_usage_error(cmd_named("list"), "give at most one REGISTRAR");
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    reg_status st = {0};
    printf("%-16s %-24s %-11s %-20s %-40s %s\n", "REGISTRAR", "LOGIN", "STATE", "LAST-LOGIN",
           "ROLES", "EMAIL");
    if (portal_user_each(d, argc == 2 ? argv[1] : NULL, print_user, NULL, &st))
        return regctl_fail("portal-user list", "%s", reg_status_text(&st));
    return 0;
}

/* One write of a staff session, its outcome printed. */
static int run_write(struct regctl *ctl, const char *what,
                     reg_err (*fn)(const struct reg_op *op, void *arg, reg_status *st),
                     void *arg)
{
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, what, true))
        return EXIT_FAIL;
    reg_status st = {0};
    reg_err e = fn(&s.op, arg, &st);
    return regctl_session_close(&s, what, e, &st);
}

struct change {
    const char *login, *text;
    bool flag;
};

static reg_err do_disabled(const struct reg_op *op, void *arg, reg_status *st)
{
    struct change *c = arg;
    return portal_user_set_disabled(op, c->login, c->flag, st);
}

static int set_disabled(struct regctl *ctl, const char *name, int argc, char **argv, bool disabled)
{
    if (argc != 2 || argv[1][0] == '-')
        return regctl_usage_error(cmd_named(name), "give exactly one LOGIN");
    struct change c = {.login = argv[1], .flag = disabled};
    int rc = run_write(ctl, disabled ? "portal-user disable" : "portal-user enable", do_disabled,
                       &c);
    if (!rc)
        printf("portal user %s %s\n", argv[1], disabled ? "disabled" : "enabled");
    return rc;
}

static int cmd_disable(struct regctl *ctl, int argc, char **argv)
{
    return set_disabled(ctl, "disable", argc, argv, true);
}

static int cmd_enable(struct regctl *ctl, int argc, char **argv)
{
    return set_disabled(ctl, "enable", argc, argv, false);
}

static reg_err do_roles(const struct reg_op *op, void *arg, reg_status *st)
{
    struct change *c = arg;
    return portal_user_set_roles(op, c->login, c->text, st);
}

static int cmd_roles(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 3 || argv[1][0] == '-')
        return regctl_usage_error(cmd_named("roles"), "give LOGIN and the roles");
    struct change c = {.login = argv[1], .text = argv[2]};
    int rc = run_write(ctl, "portal-user roles", do_roles, &c);
    if (!rc)
        printf("roles of portal user %s set\n", argv[1]);
    return rc;
}

static reg_err do_reset(const struct reg_op *op, void *arg, reg_status *st)
{
    struct change *c = arg;
    return portal_user_reset(op, c->login, c->text, c->flag, st);
}

static int cmd_reset(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = cmd_named("reset");
    static const struct option opts[] = {
        {"password", required_argument, 0, 'p'},
        {"totp", no_argument, 0, 't'},
        {0, 0, 0, 0},
    };
    struct change ch = {0};
    char generated[17];
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p': ch.text = optarg; break;
        case 't': ch.flag = true; break;
        default:
            return regctl_usage_error(me, "unknown or incomplete option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return regctl_usage_error(me, "give exactly one LOGIN");
    ch.login = argv[optind];
    if (!ch.text && !ch.flag) { /* the whole reset */
        registrar_generate_password(generated);
        ch.text = generated;
        ch.flag = true;
    }
    int rc = run_write(ctl, "portal-user reset", do_reset, &ch);
    if (rc)
        return rc;
    printf("portal user %s reset:%s%s\n", ch.login, ch.text ? " new password" : "",
           ch.flag ? (ch.text ? ", TOTP to enrol at the next login"
                              : " TOTP to enrol at the next login")
                   : "");
    if (ch.text == generated)
        printf("password: %s\n", generated);
    return 0;
}
