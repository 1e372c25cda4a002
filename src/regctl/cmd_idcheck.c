#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "registry/idcheck.h"
#include "registry/names.h"
#include "regctl.h"

/* regctl idcheck verify|fail|eid|list: identity checks of registrants
 * (R21, R22). Each change runs in one transaction as actor "staff". */
static int cmd_verify(struct regctl *ctl, int argc, char **argv);
static int cmd_fail(struct regctl *ctl, int argc, char **argv);
static int cmd_eid(struct regctl *ctl, int argc, char **argv);
static int cmd_list(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_idcheck_cmds[] = {
    {"verify", cmd_verify, "idcheck verify HANDLE --method eid|documents --note TEXT",
     "record that the contact's identity was checked and is right; lifts suspensions"},
    {"fail", cmd_fail, "idcheck fail HANDLE --method eid|documents --note TEXT",
     "record that the identity check failed; suspends the contact's domains"},
    {"eid", cmd_eid, "idcheck eid HANDLE --evidence TEXT",
     "run the [idcheck] provider on the evidence an eID produced; records verified or failed"},
    {"list", cmd_list, "idcheck list [--state none|pending|verified|failed]",
     "contacts by identity-check state (default: every one checked or pending)"},
    {NULL, NULL, NULL, NULL},
};

enum { CMD_VERIFY, CMD_FAIL, CMD_EID, CMD_LIST };

struct args {
    const char *method, *note, *evidence, *state;
    char handle[CONTACT_ID_MAX + 1]; /* as stored: upper case */
};

/* HANDLE plus the options `allowed` ("mne" for method, note, evidence;
 * "s" for state); 0 when fine, else the exit code. */
static int parse(const struct regctl_cmd *me, int argc, char **argv, const char *allowed,
                 bool handle, struct args *a)
{
    static const struct option opts[] = {{"method", required_argument, 0, 'm'},
                                         {"note", required_argument, 0, 'n'},
                                         {"evidence", required_argument, 0, 'e'},
                                         {"state", required_argument, 0, 's'},
                                         {0, 0, 0, 0}};
    memset(a, 0, sizeof *a);
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == '?' || c == ':' || !strchr(allowed, c))
            return regctl_usage_error(me, "unknown option or missing value \"%s\"",
                                      argv[optind - 1]);
        const char **slot = c == 'm' ? &a->method : c == 'n' ? &a->note
                                                : c == 'e'   ? &a->evidence
                                                             : &a->state;
        *slot = optarg;
    }
    int want = handle ? 1 : 0;
    if (argc - optind != want)
        return regctl_usage_error(me, handle ? "give one contact HANDLE" : "unexpected argument");
    reg_status st = {0};
    if (handle && names_contact_lookup(argv[optind], a->handle, &st))
        return regctl_usage_error(me, "%s", reg_status_text(&st));
    if (strchr(allowed, 'm') && (!a->method || !a->note))
        return regctl_usage_error(me, "give --method eid|documents and --note TEXT");
    if (strchr(allowed, 'e') && !a->evidence)
        return regctl_usage_error(me, "give --evidence");
    return 0;
}

static int decide(struct regctl *ctl, int argc, char **argv, bool verified)
{
    const struct regctl_cmd *me = &regctl_idcheck_cmds[verified ? CMD_VERIFY : CMD_FAIL];
    const char *what = verified ? "idcheck verify" : "idcheck fail";
    struct args a;
    int rc = parse(me, argc, argv, "mn", true, &a);
    if (rc)
        return rc;
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, what, true))
        return EXIT_FAIL;
    reg_status st = {0};
    int domains = 0;
    reg_err e = idcheck_decide(&s.op, a.handle, verified, a.method, a.note, &domains, &st);
    if ((rc = regctl_session_close(&s, what, e, &st)))
        return rc;
    if (verified)
        printf("contact %s: identity verified (%s); %d suspended domain%s released\n", a.handle,
               a.method, domains, domains == 1 ? "" : "s");
    else
        printf("contact %s: identity check failed (%s); %d domain%s suspended\n", a.handle,
               a.method, domains, domains == 1 ? "" : "s");
    return 0;
}

static int cmd_verify(struct regctl *ctl, int argc, char **argv)
{
    return decide(ctl, argc, argv, true);
}

static int cmd_fail(struct regctl *ctl, int argc, char **argv)
{
    return decide(ctl, argc, argv, false);
}

static int cmd_eid(struct regctl *ctl, int argc, char **argv)
{
    struct args a;
    int rc = parse(&regctl_idcheck_cmds[CMD_EID], argc, argv, "e", true, &a);
    if (rc)
        return rc;
    const char *name = ctl->cfg.idcheck_provider;
    const struct idcheck_provider *p = idcheck_provider_find(name);
    if (!p)
        return regctl_fail("idcheck eid", "no eID provider is configured ([idcheck] provider = %s)",
                           name);
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "idcheck eid", true))
        return EXIT_FAIL;
    reg_status st = {0};
    idcheck_outcome outcome = IDCHECK_ERROR;
    int domains = 0;
    reg_err e = idcheck_eid(&s.op, p, a.handle, a.evidence, &outcome, &domains, &st);
    if ((rc = regctl_session_close(&s, "idcheck eid", e, &st)))
        return rc;
    if (outcome == IDCHECK_VERIFIED)
        printf("contact %s: identity verified by eID provider %s; %d suspended domain%s "
               "released\n",
               a.handle, p->name, domains, domains == 1 ? "" : "s");
    else
        printf("contact %s: identity check failed by eID provider %s; %d domain%s suspended\n",
               a.handle, p->name, domains, domains == 1 ? "" : "s");
    return 0;
}

static void print_header(void)
{
    /* WHEN: the deadline of a pending check, else when the state was set */
    printf("%-24s %-8s %-20s %-9s %-20s %-7s %-12s %s\n", "CONTACT", "STATE", "WHEN", "METHOD",
           "BY", "DOMAINS", "SPONSOR", "NOTE");
}

static void print_row(const struct idcheck_row *r, void *arg)
{
    int *n = arg;
    if (*n == 0)
        print_header();
    char when[REG_TIME_STRLEN];
    reg_time t = !strcmp(r->state, "pending") ? r->deadline : r->at;
    printf("%-24s %-8s %-20s %-9s %-20s %-7lld %-12s %s\n", r->handle, r->state,
           regctl_time(t, when), r->method[0] ? r->method : "-", r->by[0] ? r->by : "-",
           (long long)r->domains, r->sponsor, r->note);
    (*n)++;
}

static int cmd_list(struct regctl *ctl, int argc, char **argv)
{
    struct args a;
    int rc = parse(&regctl_idcheck_cmds[CMD_LIST], argc, argv, "s", false, &a);
    if (rc)
        return rc;
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "idcheck list", false))
        return EXIT_FAIL;
    reg_status st = {0};
    int n = 0;
    reg_err e = idcheck_list(&s.op, a.state, print_row, &n, &st);
    if ((rc = regctl_session_close(&s, "idcheck list", e, &st)))
        return rc;
    if (n == 0)
        printf("no contacts %s%s\n", a.state ? "in state " : "with an identity check",
               a.state ? a.state : "");
    return 0;
}
