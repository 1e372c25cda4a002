#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/audit.h"
#include "registry/names.h"
#include "registry/poll.h"
#include "registry/registrar.h"
#include "regctl.h"

/* regctl epp-log: read the EPP audit log. */
static int cmd_epp_log(struct regctl *ctl, int argc, char **argv);
/* regctl poll send: queue a service message for a registrar. */
static int cmd_poll_send(struct regctl *ctl, int argc, char **argv);
static int cmd_poll_list(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_epp_log_cmds[] = {
    {"", cmd_epp_log,
     "epp-log [--svtrid ID] [--cltrid ID] [--object NAME] [--registrar HANDLE] [--since TIME] "
     "[--limit N] [--full]",
     "logged EPP commands, newest first: when, registrar, session, command, result, duration, "
     "svTRID, clTRID; --full adds the request (passwords redacted) and the response; --svtrid "
     "shows the one command a registrar quotes in full; --object: the commands whose request or "
     "response names the domain (U- or A-label), contact or host"},
    {NULL, NULL, NULL, NULL},
};

const struct regctl_cmd regctl_poll_cmds[] = {
    {"send", cmd_poll_send, "poll send REGISTRAR --message TEXT",
     "queue a service message that the registrar reads with <poll op=\"req\">"},
    {"list", cmd_poll_list, "poll list REGISTRAR", "show a registrar's queued messages"},
    {NULL, NULL, NULL, NULL},
};

static void print_entry(const struct audit_entry *a, void *arg)
{
    int *count = arg;
    char ts[REG_TIME_STRLEN];
    printf("%s %-12s %-18s %-22s %d %6lldus %s %s\n", clock_format(a->at, ts, sizeof ts),
           a->clid ? a->clid : "-", a->session_id, a->command, a->result_code,
           (long long)a->duration_us, a->svtrid, a->cltrid ? a->cltrid : "-");
    if (a->request)
        printf("  request: %s\n  response: %s\n", a->request, a->response);
    ++*count;
}

/* A logged document under its label, ending in one newline. */
static void print_document(const char *label, const char *text)
{
    size_t n = strlen(text);
    printf("%s:\n%s%s", label, text, n && text[n - 1] == '\n' ? "" : "\n");
}

/* One command as a registrar's svTRID names it: every field on its own line. */
static void print_command(const struct audit_entry *a, void *arg)
{
    int *count = arg;
    char ts[REG_TIME_STRLEN];
    printf("svTRID:    %s\nclTRID:    %s\nwhen:      %s\nregistrar: %s\nsession:   %s from "
           "%s\ncommand:   %s\nresult:    %d\nduration:  %lld us\n",
           a->svtrid, a->cltrid ? a->cltrid : "-", clock_format(a->at, ts, sizeof ts),
           a->clid ? a->clid : "- (not logged in)", a->session_id, a->peer, a->command,
           a->result_code, (long long)a->duration_us);
    print_document("request", a->request);
    print_document("response", a->response);
    ++*count;
}

static int cmd_epp_log(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_epp_log_cmds[0];
    static const struct option opts[] = {
        {"registrar", required_argument, 0, 'r'}, {"since", required_argument, 0, 's'},
        {"limit", required_argument, 0, 'l'},     {"full", no_argument, 0, 'f'},
        {"svtrid", required_argument, 0, 'S'},    {"cltrid", required_argument, 0, 'C'},
        {"object", required_argument, 0, 'o'},    {0, 0, 0, 0},
    };
    struct audit_filter f = {0};
    char handle[REGISTRAR_HANDLE_MAX + 1];
    const char *object = NULL;
    reg_status st = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            if (registrar_handle_normalize(optarg, handle, &st))
                return regctl_usage_error(me, "%s", reg_status_text(&st));
            f.registrar = handle;
            break;
        case 's':
            if (clock_parse(optarg, &f.since))
                return regctl_usage_error(me,
                                          "--since \"%s\" is not a time like 2027-01-01T00:00:00Z",
                                          optarg);
            break;
        case 'l':
            f.limit = strtoll(optarg, NULL, 10);
            if (f.limit <= 0)
                return regctl_usage_error(me, "--limit must be a positive number");
            break;
        case 'f': f.full = true; break;
        case 'S': f.svtrid = optarg; break;
        case 'C': f.cltrid = optarg; break;
        case 'o': object = optarg; break;
        default:
            return regctl_usage_error(me, "unknown or incomplete option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return regctl_usage_error(me, "unexpected argument \"%s\"", argv[optind]);
    if ((f.svtrid && !*f.svtrid) || (f.cltrid && !*f.cltrid) || (object && !*object))
        return regctl_usage_error(me, "--svtrid, --cltrid and --object need a value");
    /* a domain by both its labels: the client may have sent either */
    struct name_policy np = {.tld = ctl->cfg.tld_name, .allowed_chars = ctl->cfg.tld_allowed_chars};
    struct domain_name dn;
    reg_status ignored;
    f.objects[0] = object;
    if (object && !names_domain(&np, object, &dn, &ignored)) {
        f.objects[0] = dn.alabel;
        f.objects[1] = dn.ulabel;
    }
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    int count = 0;
    f.full = f.full || f.svtrid;
    if (audit_epp_each(d, &f, f.svtrid ? print_command : print_entry, &count, &st))
        return regctl_fail("epp-log", "%s", reg_status_text(&st));
    if (f.svtrid && !count)
        return regctl_fail("epp-log", "no logged EPP command has svTRID %s%s", f.svtrid,
                           f.registrar || f.cltrid || object || f.since
                               ? " and the other criteria given"
                               : "");
    return 0;
}

static int cmd_poll_send(struct regctl *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{"message", required_argument, 0, 'm'}, {0, 0, 0, 0}};
    const char *message = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'm')
            return regctl_usage_error(&regctl_poll_cmds[0], "unknown or incomplete option \"%s\"",
                                      argv[optind - 1]);
        message = optarg;
    }
    if (optind != argc - 1)
        return regctl_usage_error(&regctl_poll_cmds[0], "give exactly one REGISTRAR");
    if (!message || !*message)
        return regctl_usage_error(&regctl_poll_cmds[0], "--message is required");
    struct regctl_session ss;
    if (!regctl_session_open(ctl, &ss, "poll send", true))
        return EXIT_FAIL;
    char handle[REGISTRAR_HANDLE_MAX + 1];
    reg_status st = {0};
    reg_err e = poll_staff_notice(ss.db, argv[optind], message, handle, &st);
    int rc = regctl_session_close(&ss, "poll send", e, &st);
    if (!rc)
        printf("message queued for %s\n", handle);
    return rc;
}

static void print_message(const struct poll_msg *m, void *arg)
{
    (void)arg;
    char ts[REG_TIME_STRLEN];
    printf("%lld %s %s %s\n", (long long)m->id, clock_format(m->created_at, ts, sizeof ts),
           m->label, m->message);
}

static int cmd_poll_list(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return regctl_usage_error(&regctl_poll_cmds[1], "give exactly one REGISTRAR");
    struct regctl_session ss;
    if (!regctl_session_open(ctl, &ss, "poll list", false))
        return EXIT_FAIL;
    struct registrar r;
    reg_status st = {0};
    reg_err e = registrar_get(ss.db, argv[1], &r, &st);
    if (!e) {
        e = poll_each(ss.db, r.id, print_message, NULL, &st);
        registrar_free(&r);
    }
    return regctl_session_close(&ss, "poll list", e, &st);
}
