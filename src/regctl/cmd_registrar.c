#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "registry/registrar.h"
#include "regctl.h"

static int cmd_add(struct regctl *ctl, int argc, char **argv);
static int cmd_list(struct regctl *ctl, int argc, char **argv);
static int cmd_show(struct regctl *ctl, int argc, char **argv);
static int cmd_passwd(struct regctl *ctl, int argc, char **argv);
static int cmd_disable(struct regctl *ctl, int argc, char **argv);
static int cmd_enable(struct regctl *ctl, int argc, char **argv);
static int cmd_delete(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_registrar_cmds[] = {
    {"add", cmd_add,
     "registrar add HANDLE --name NAME [--password PW] [--email ADDR] "
     "[--cert-fingerprint SHA256]... [--allow-ip ADDR[/LEN]]... "
     "[--management registrar|registrant]",
     "create a registrar; without --password one is generated and printed; --management: "
     "the default management model of its domains (default registrar)"},
    {"list", cmd_list, "registrar list", "list registrars"},
    {"show", cmd_show, "registrar show HANDLE", "show one registrar"},
    {"passwd", cmd_passwd, "registrar passwd HANDLE [--password PW]",
     "set a registrar's EPP password; without --password one is generated and printed"},
    {"disable", cmd_disable, "registrar disable HANDLE", "stop a registrar from logging in"},
    {"enable", cmd_enable, "registrar enable HANDLE", "let a disabled registrar log in again"},
    {"billing", regctl_registrar_billing, REGCTL_REGISTRAR_BILLING_USAGE,
     REGCTL_REGISTRAR_BILLING_HELP},
    {"set", regctl_registrar_set, REGCTL_REGISTRAR_SET_USAGE, REGCTL_REGISTRAR_SET_HELP},
    {"delete", cmd_delete, "registrar delete HANDLE",
     "delete a registrar that was never used or whose objects are gone: refused, naming what "
     "still ties it, while it sponsors anything or records kept for good name it (then disable "
     "it instead)"},
    {NULL, NULL, NULL, NULL},
};

static const struct regctl_cmd *cmd_named(const char *name)
{
    return regctl_cmd_named(regctl_registrar_cmds, name);
}

static int cmd_add(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = cmd_named("add");
    static const struct option opts[] = {
        {"name", required_argument, 0, 'n'},  {"password", required_argument, 0, 'p'},
        {"email", required_argument, 0, 'e'}, {"cert-fingerprint", required_argument, 0, 'c'},
        {"allow-ip", required_argument, 0, 'i'}, {"management", required_argument, 0, 'm'},
        {0, 0, 0, 0},
    };
    struct registrar_new r = {0};
    char generated[17];
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'n': r.name = optarg; break;
        case 'p': r.password = optarg; break;
        case 'e': r.email = optarg; break;
        case 'm': r.default_management = optarg; break;
        case 'c':
            if (r.ncerts == REGISTRAR_LIST_MAX)
                return regctl_usage_error(me, "at most %d --cert-fingerprint", REGISTRAR_LIST_MAX);
            r.certs[r.ncerts++] = optarg;
            break;
        case 'i':
            if (r.nprefixes == REGISTRAR_LIST_MAX)
                return regctl_usage_error(me, "at most %d --allow-ip", REGISTRAR_LIST_MAX);
            r.prefixes[r.nprefixes++] = optarg;
            break;
        default:
            return regctl_usage_error(me, "unknown or incomplete option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return regctl_usage_error(me, "give exactly one HANDLE");
    if (!r.name)
        return regctl_usage_error(me, "--name is required");
    r.handle = argv[optind];
    if (!r.password) {
        registrar_generate_password(generated);
        r.password = generated;
    }
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    reg_status st = {0};
    if (registrar_add(d, &r, &st))
        return regctl_fail("registrar add", "%s", reg_status_text(&st));
    char handle[REGISTRAR_HANDLE_MAX + 1];
    registrar_handle_normalize(r.handle, handle, &st);
    printf("registrar %s created\n", handle);
    if (r.password == generated)
        printf("password: %s\n", generated);
    return 0;
}

static void print_row(const struct registrar *r, void *arg)
{
    (void)arg;
    char ts[REG_TIME_STRLEN];
    printf("%-16s %-8s %-20s %s\n", r->handle, r->disabled ? "disabled" : "active",
           clock_format(r->created_at, ts, sizeof ts), r->name);
}

static int cmd_list(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 1)
        return regctl_usage_error(cmd_named("list"), "unexpected argument \"%s\"", argv[1]);
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    reg_status st = {0};
    printf("%-16s %-8s %-20s %s\n", "HANDLE", "STATE", "CREATED", "NAME");
    if (registrar_each(d, print_row, NULL, &st))
        return regctl_fail("registrar list", "%s", reg_status_text(&st));
    return 0;
}

static int one_handle(const char *name, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return regctl_usage_error(cmd_named(name), "give exactly one HANDLE");
    return 0;
}

static int cmd_show(struct regctl *ctl, int argc, char **argv)
{
    int rc = one_handle("show", argc, argv);
    if (rc)
        return rc;
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    struct registrar r;
    reg_status st = {0};
    if (registrar_get(d, argv[1], &r, &st))
        return regctl_fail("registrar show", "%s", reg_status_text(&st));
    char ts[REG_TIME_STRLEN];
    printf("handle: %s\nname: %s\nemail: %s\nurl: %s\nphone: %s\nstate: %s\n"
           "default-management: %s\ncreated: %s\n",
           r.handle, r.name, r.email ? r.email : "", r.url ? r.url : "", r.phone ? r.phone : "",
           r.disabled ? "disabled" : "active",
           r.default_management, clock_format(r.created_at, ts, sizeof ts));
    printf("updated: %s\n", clock_format(r.updated_at, ts, sizeof ts));
    for (size_t i = 0; i < r.ncerts; i++)
        printf("cert-fingerprint: %s\n", r.certs[i]);
    for (size_t i = 0; i < r.nprefixes; i++)
        printf("allow-ip: %s\n", r.prefixes[i]);
    registrar_free(&r);
    return regctl_registrar_show_services(d, argv[1]);
}

static int cmd_passwd(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = cmd_named("passwd");
    static const struct option opts[] = {{"password", required_argument, 0, 'p'}, {0, 0, 0, 0}};
    const char *pw = NULL;
    char generated[17];
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'p')
            return regctl_usage_error(me, "unknown or incomplete option \"%s\"", argv[optind - 1]);
        pw = optarg;
    }
    if (optind != argc - 1)
        return regctl_usage_error(me, "give exactly one HANDLE");
    if (!pw) {
        registrar_generate_password(generated);
        pw = generated;
    }
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    reg_status st = {0};
    if (registrar_set_password(d, argv[optind], pw, &st))
        return regctl_fail("registrar passwd", "%s", reg_status_text(&st));
    printf("password of %s changed\n", argv[optind]);
    if (pw == generated)
        printf("password: %s\n", generated);
    return 0;
}

static int set_disabled(struct regctl *ctl, const char *name, int argc, char **argv, bool disabled)
{
    int rc = one_handle(name, argc, argv);
    if (rc)
        return rc;
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    reg_status st = {0};
    if (registrar_set_disabled(d, argv[1], disabled, &st))
        return regctl_fail(disabled ? "registrar disable" : "registrar enable", "%s",
                           reg_status_text(&st));
    printf("registrar %s %s\n", argv[1], disabled ? "disabled" : "enabled");
    return 0;
}

static int cmd_disable(struct regctl *ctl, int argc, char **argv)
{
    return set_disabled(ctl, "disable", argc, argv, true);
}

static int cmd_enable(struct regctl *ctl, int argc, char **argv)
{
    return set_disabled(ctl, "enable", argc, argv, false);
}

/* "3 poll messages" into buf after a separator, when n is not 0. */
static void count_phrase(char *buf, size_t n, int64_t count, const char *one, const char *many)
{
    if (!count)
        return;
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s%lld %s", len ? ", " : "", (long long)count,
             count == 1 ? one : many);
}

static int cmd_delete(struct regctl *ctl, int argc, char **argv)
{
    int rc = one_handle("delete", argc, argv);
    if (rc)
        return rc;
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "registrar delete", true))
        return EXIT_FAIL;
    struct registrar_deletion out;
    reg_status st = {0};
    reg_err e = registrar_delete(&s.op, argv[1], &out, &st);
    if ((rc = regctl_session_close(&s, "registrar delete", e, &st)))
        return rc;
    char handle[REGISTRAR_HANDLE_MAX + 1], removed[512] = "", kept[256] = "";
    registrar_handle_normalize(argv[1], handle, &st);
    count_phrase(removed, sizeof removed, out.poll_messages, "queued poll message",
                 "queued poll messages");
    count_phrase(removed, sizeof removed, out.prices, "price override", "price overrides");
    count_phrase(removed, sizeof removed, out.rebates, "rebate", "rebates");
    count_phrase(removed, sizeof removed, out.one_time_passwords, "one-time password",
                 "one-time passwords");
    count_phrase(removed, sizeof removed, out.certificates, "pinned certificate",
                 "pinned certificates");
    count_phrase(removed, sizeof removed, out.addresses, "allowed address", "allowed addresses");
    count_phrase(removed, sizeof removed, out.portal_users, "portal user", "portal users");
    count_phrase(removed, sizeof removed, out.links, "link of another's contact",
                 "links of others' contacts");
    count_phrase(kept, sizeof kept, out.log_entries, "EPP log entry", "EPP log entries");
    count_phrase(kept, sizeof kept, out.versions, "history version", "history versions");
    printf("registrar %s deleted\n", handle);
    if (removed[0])
        printf("removed with it: %s\n", removed);
    if (kept[0])
        printf("kept, naming it by its handle: %s\n", kept);
    return 0;
}
