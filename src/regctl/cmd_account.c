#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "contrib/settings.h"
#include "registry/account.h"
#include "regctl.h"

/* regctl account show|credentials: registrant accounts (R33–R39) as staff
 * see them, and the self-service setup links of their admin contacts. */
static int cmd_show(struct regctl *ctl, int argc, char **argv);
static int cmd_credentials(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_account_cmds[] = {
    {"show", cmd_show, "account show ACCOUNT",
     "an account's sponsor, billing, slots a1-a3 and b1-b3, and how many domains it holds"},
    {"credentials", cmd_credentials, "account credentials ACCOUNT --slot a1|a2|a3 [--ttl DURATION]",
     "print a one-time self-service setup link for the admin contact in that slot; "
     "valid for [account] setup_ttl unless --ttl is given"},
    {NULL, NULL, NULL, NULL},
};

static int cmd_show(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return regctl_usage_error(&regctl_account_cmds[0], "name one ACCOUNT");
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "account show", false))
        return EXIT_FAIL;
    struct account a;
    reg_status st = {0};
    reg_err e = account_info(&s.op, argv[1], &a, &st);
    int rc = regctl_session_close(&s, "account show", e, &st);
    if (rc)
        return rc;
    char ts[REG_TIME_STRLEN];
    printf("account   %s (%s)\n", a.handle, a.roid);
    printf("sponsor   %s\n", a.sponsor);
    printf("created   %s by %s\n", clock_format(a.created_at, ts, sizeof ts), a.creator);
    if (a.updated_at)
        printf("updated   %s by %s\n", clock_format(a.updated_at, ts, sizeof ts),
               a.updater[0] ? a.updater : "staff");
    printf("billing   %s\n", a.billing);
    for (int i = 0; i < ACCOUNT_SLOTS; i++)
        printf("%-9s %s\n", account_slot_name(i), a.slot_id[i] ? a.slot[i] : "-");
    printf("domains   %lld\n", (long long)a.domains);
    return 0;
}

static int cmd_credentials(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_account_cmds[1];
    static const struct option opts[] = {
        {"slot", required_argument, 0, 's'}, {"ttl", required_argument, 0, 't'}, {0, 0, 0, 0}};
    const char *slot = NULL;
    int64_t ttl = ctl->cfg.account_setup_ttl;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's')
            slot = optarg;
        else if (c == 't' && (settings_parse_duration(optarg, &ttl) || ttl <= 0))
            return regctl_usage_error(me, "--ttl \"%s\" is not a duration like 48h or 7d",
                                      optarg);
        else if (c != 't')
            return regctl_usage_error(me, "unknown option \"%s\"", argv[optind - 1]);
    }
    if (argc - optind != 1)
        return regctl_usage_error(me, "name one ACCOUNT");
    if (!slot)
        return regctl_usage_error(me, "give --slot a1, a2 or a3");
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "account credentials", true))
        return EXIT_FAIL;
    struct account_credentials cr;
    reg_status st = {0};
    reg_err e = account_credentials_issue(&s.op, argv[optind], slot, ttl, &cr, &st);
    int rc = regctl_session_close(&s, "account credentials", e, &st);
    if (rc)
        return rc;
    char ts[REG_TIME_STRLEN];
    printf("contact     %s <%s> (slot %s)\n", cr.contact, cr.email, slot);
    /* [http] base_url never ends in '/' (config.c checks it) */
    printf("setup link  %s/self-service/setup/%s\n", ctl->cfg.http_base_url, cr.token);
    printf("valid until %s (one use)\n", clock_format(cr.expires_at, ts, sizeof ts));
    return 0;
}
