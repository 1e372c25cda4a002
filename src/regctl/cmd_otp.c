#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry/billing.h"
#include "registry/otp.h"
#include "regctl.h"

/* regctl otp manual|list|manual-list: one-time passwords for transfers
 * (R16) and the manual route (R17). */
static int cmd_manual(struct regctl *ctl, int argc, char **argv);
static int cmd_list(struct regctl *ctl, int argc, char **argv);
static int cmd_manual_list(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_otp_cmds[] = {
    {"manual", cmd_manual,
     "otp manual DOMAIN --registrar GAINING --email NEW --documents TEXT [--by NAME]",
     "the manual route: record the documents checked (by NAME, default your login), put "
     "NEW on the registrant contact, and charge GAINING [otp] manual_fee on its own invoice; "
     "GAINING can then ask for a one-time password by e-mail"},
    {"list", cmd_list, "otp list [DOMAIN]",
     "one-time passwords sent (never the passwords): to whom, for which registrar, state, wrong "
     "tries, expiry"},
    {"manual-list", cmd_manual_list, "otp manual-list [DOMAIN]",
     "manual-route records: documents, who checked them, when, the e-mail set, the invoice"},
    {NULL, NULL, NULL, NULL},
};

/* Who runs regctl: the login behind sudo, else the user. */
static const char *login_name(void)
{
    const char *sudo = getenv("SUDO_USER");
    if (sudo && *sudo)
        return sudo;
    struct passwd *pw = getpwuid(geteuid());
    return pw && pw->pw_name && *pw->pw_name ? pw->pw_name : "staff";
}

static void print_manual(const struct otp_manual_result *m, const char *currency)
{
    char at[REG_TIME_STRLEN], fee[MONEY_FMT_LEN];
    printf("manual route for %s, record %lld\n", m->domain, (long long)m->id);
    printf("  documents checked by %s at %s: %s\n", m->checked_by, regctl_time(m->at, at),
           m->documents);
    printf("  registrant contact %s: e-mail %s -> %s (history: update by staff via regctl; "
           "both addresses notified)\n",
           m->registrant, m->old_email[0] ? m->old_email : "(none)", m->new_email);
    printf("  %s may now ask for a one-time password by e-mail: <domain:transfer op=\"request\"> "
           "with <regd:otp channel=\"email\"/>; it goes to %s\n",
           m->registrar, m->new_email);
    if (m->fee > 0)
        printf("  fee %lld (%s) charged to %s on one-off invoice %lld, not on the monthly "
               "invoice\n",
               (long long)m->fee, money_format(m->fee, currency, fee, sizeof fee), m->registrar,
               (long long)m->invoice_number);
    else
        printf("  no fee charged ([otp] manual_fee = 0)\n");
}

static int cmd_manual(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_otp_cmds[0];
    static const struct option opts[] = {{"registrar", required_argument, 0, 'r'},
                                         {"email", required_argument, 0, 'e'},
                                         {"documents", required_argument, 0, 'd'},
                                         {"by", required_argument, 0, 'b'},
                                         {0, 0, 0, 0}};
    struct otp_manual_req in = {.checked_by = login_name(), .currency = ctl->cfg.billing_currency};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r': in.registrar = optarg; break;
        case 'e': in.email = optarg; break;
        case 'd': in.documents = optarg; break;
        case 'b': in.checked_by = optarg; break;
        default:
            return regctl_usage_error(me, "unknown or incomplete option \"%s\"", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return regctl_usage_error(me, "name one DOMAIN");
    if (!in.registrar || !in.email || !in.documents)
        return regctl_usage_error(me, "--registrar, --email and --documents are required");
    in.domain = argv[optind];
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "otp", true))
        return EXIT_FAIL;
    struct otp_manual_result m;
    reg_status st = {0};
    reg_err e = otp_manual(&s.op, &in, &m, &st);
    int rc = regctl_session_close(&s, "otp manual", e, &st);
    if (!rc)
        print_manual(&m, in.currency);
    return rc;
}

static void print_otp(const struct otp_row *r, void *arg)
{
    int *count = arg;
    char a[REG_TIME_STRLEN], b[REG_TIME_STRLEN], u[REG_TIME_STRLEN];
    printf("%-6lld %-30s %-16s %-6s %-30s %-7s %-5d %-20s %-20s %s\n", (long long)r->id,
           r->domain, r->registrar, r->channel, r->sent_to, r->state, r->attempts,
           regctl_time(r->created_at, a), regctl_time(r->expires_at, b),
           regctl_time(r->used_at, u));
    (*count)++;
}

static int cmd_list(struct regctl *ctl, int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
        return regctl_usage_error(&regctl_otp_cmds[1], "at most one DOMAIN");
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "otp", false))
        return EXIT_FAIL;
    printf("%-6s %-30s %-16s %-6s %-30s %-7s %-5s %-20s %-20s %s\n", "ID", "DOMAIN", "REGISTRAR",
           "VIA", "SENT TO", "STATE", "WRONG", "SENT", "EXPIRES", "USED");
    int count = 0;
    reg_status st = {0};
    reg_err e = otp_each(&s.op, argc == 2 ? argv[1] : NULL, print_otp, &count, &st);
    return regctl_session_close(&s, "otp list", e, &st);
}

static void print_manual_row(const struct otp_manual_result *m, void *arg)
{
    print_manual(m, arg);
}

static int cmd_manual_list(struct regctl *ctl, int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
        return regctl_usage_error(&regctl_otp_cmds[2], "at most one DOMAIN");
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "otp", false))
        return EXIT_FAIL;
    reg_status st = {0};
    reg_err e = otp_manual_each(&s.op, argc == 2 ? argv[1] : NULL, print_manual_row,
                                (void *)ctl->cfg.billing_currency, &st);
    return regctl_session_close(&s, "otp manual-list", e, &st);
}
