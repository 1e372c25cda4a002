#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/manpage.h"
#include "contrib/secret.h"
#include "registry/notices.h"
#include "registry/pepper.h"
#include "regctl.h"

static const struct regctl_cmd init_cmds[] = {
    {"", regctl_init, "init [--demo]",
     "create the data directory and database schema; --demo adds registrar DEMO"},
    {NULL, NULL, NULL, NULL},
};

static const struct regctl_group groups[] = {
    {"init", init_cmds, "create the data directory and the database schema"},
    {"registrar", regctl_registrar_cmds,
     "registrar accounts: add, list, show, passwd, disable, billing, set, delete"},
    {"portal-user", regctl_portal_user_cmds,
     "registrar portal users: add, list, disable, enable, roles, reset"},
    {"jobs", regctl_jobs_cmds, "scheduled jobs: list, run (optionally --now TIME)"},
    {"db", regctl_db_cmds, "database: migrate, version, backup, restore"},
    {"config", regctl_config_cmds, "configuration: show effective values, check"},
    {"epp-log", regctl_epp_log_cmds, "the EPP audit log: every command, request and response"},
    {"poll", regctl_poll_cmds, "registrars' EPP message queues: send, list"},
    {"history", regctl_history_cmds, "every version of an object: who, when, how"},
    {"status", regctl_status_cmds, "server statuses: serverHold, server*Prohibited"},
    {"outbox", regctl_outbox_cmds, "outgoing mail and SMS: list, retry, test, templates"},
    {"contact", regctl_contact_cmds,
     "contacts: show one, the language of the registry's messages"},
    {"authinfo", regctl_authinfo_cmds, "auth-code requests: request, done, list, overdue"},
    {"otp", regctl_otp_cmds,
     "one-time passwords for transfers and the manual route: manual, list"},
    {"pepper", regctl_pepper_cmds,
     "the keys of the auth-info and one-time-password hashes: status"},
    {"account", regctl_account_cmds, "registrant accounts: show, self-service credentials"},
    {"idcheck", regctl_idcheck_cmds, "registrants' identity checks: verify, fail, eid, list"},
    {"price", regctl_price_cmds, "price lists: set, list (defaults and registrar overrides)"},
    {"credit", regctl_credit_cmds, "prepaid accounts: add a payment, adjust, refund"},
    {"balance", regctl_balance_cmds, "prepaid balances of one registrar or all"},
    {"statement", regctl_statement_cmds, "a registrar's ledger entries with running balance"},
    {"ledger", regctl_ledger_cmds, "the ledger: verify every balance and invoice"},
    {"fee", regctl_fee_cmds, "one-off fees outside the monthly invoice"},
    {"invoice", regctl_invoice_cmds, "invoices: run a month, list, show as text, CSV or HTML"},
    {"domain", regctl_domain_cmds, "domains: show one, change the management model"},
    {"host", regctl_host_cmds, "hosts (name servers): show one"},
    {"report", regctl_report_cmds, "reports: registrars with name service but no DNSSEC"},
    {"zone", regctl_zone_cmds, "the TLD zone: export the zone file, status, diff"},
};
#define NGROUPS (sizeof groups / sizeof groups[0])

const char *regctl_time(reg_time t, char buf[REG_TIME_STRLEN])
{
    return t ? clock_format(t, buf, REG_TIME_STRLEN) : "-";
}

int regctl_fail(const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "regctl: %s: ", what);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_FAIL;
}

const struct regctl_cmd *regctl_cmd_named(const struct regctl_cmd *table, const char *name)
{
    for (const struct regctl_cmd *c = table; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}

int regctl_usage_error(const struct regctl_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "regctl: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (usage: regctl %s)\n", cmd->usage);
    va_end(ap);
    return EXIT_USAGE;
}

bool regctl_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return true;
    return false;
}

void regctl_print_cmd_help(const char *group, const struct regctl_cmd *cmd)
{
    const char *example = regctl_example(group, cmd);
    printf("usage: regctl %s\n\n%s\n\nglobal options: --config FILE, --now TIME (RFC 3339)\n",
           cmd->usage, cmd->help);
    if (example)
        printf("\nexample: %s\n", example);
}

db *regctl_db(struct regctl *ctl)
{
    if (ctl->db)
        return ctl->db;
    char err[1024];
    if (db_open(ctl->cfg.database_url, &ctl->db, err, sizeof err)) {
        regctl_fail("database", "%s", err);
        return NULL;
    }
    int applied = 0;
    if (db_migrate(ctl->db, &applied)) {
        regctl_fail("database", "cannot migrate schema: %s", db_errmsg(ctl->db));
        db_close(ctl->db);
        ctl->db = NULL;
    } else if (pepper_setup(ctl->db, &ctl->cfg, err, sizeof err)) {
        /* the same pepper as registryd: regctl init makes it */
        regctl_fail("secret", "%s", err);
        db_close(ctl->db);
        ctl->db = NULL;
    }
    return ctl->db;
}

static void print_overview(FILE *out)
{
    fprintf(out, "usage: regctl [--config FILE] [--now TIME] GROUP [COMMAND] [ARGS]\n"
                 "       regctl --version\n\n"
                 "registryd's staff command line. Groups:\n");
    for (size_t i = 0; i < NGROUPS; i++)
        fprintf(out, "  %-12s %s\n", groups[i].name, groups[i].help);
    fprintf(out, "\n'regctl GROUP --help' lists a group's commands; every command takes --help.\n");
}

/* regctl(8) from the tables behind --help (--help-man, run by the build). */
static void print_man(FILE *out)
{
    man_header(out, "regctl", 8, REG_VERSION, "registryd's staff command line");
    man_section(out, "SYNOPSIS");
    man_text(out, "regctl [--config FILE] [--now TIME] GROUP [COMMAND] [ARGS]");
    man_section(out, "DESCRIPTION");
    man_text(out, "Runs one staff command against the registry's database, with the settings "
                  "of registryd.conf(5). Every command takes --help. A failure exits non-zero "
                  "(1: the command could not do its work, 2: bad arguments) with one line on "
                  "standard error.");
    man_section(out, "GLOBAL OPTIONS");
    man_item(out, "--config FILE", "the settings file; built-in defaults when absent");
    man_item(out, "--now TIME", "run the command at this time (RFC 3339), e.g. "
                                "2027-03-01T00:00:00Z");
    man_item(out, "--version", "print the version and exit");
    man_section(out, "COMMANDS");
    for (size_t i = 0; i < NGROUPS; i++) {
        fputs(".SS ", out);
        man_text(out, groups[i].name);
        man_text(out, groups[i].help);
        for (const struct regctl_cmd *c = groups[i].cmds; c->name; c++) {
            char tag[300];
            const char *example = regctl_example(groups[i].name, c);
            snprintf(tag, sizeof tag, "regctl %s", c->usage);
            man_item(out, tag, c->help);
            if (example) {
                fputs(".IP\nExample:\n.B ", out);
                man_text(out, example);
            }
        }
    }
    man_section(out, "EXAMPLE");
    man_text(out, "regctl --config /etc/registryd/registryd.conf registrar add REG1 --name "
                  "\"Registrar One\" --email ops@one.example");
    man_section(out, "SEE ALSO");
    man_text(out, "registryd(8), registryd.conf(5)");
}

static void print_group(const struct regctl_group *g)
{
    printf("usage: regctl %s COMMAND ...\n\n%s\n\ncommands:\n", g->name, g->help);
    for (const struct regctl_cmd *c = g->cmds; c->name; c++)
        printf("  regctl %-50s %s\n", c->usage, c->help);
}

/* Pulls --config and --now out of argv wherever they are. */
static int take_globals(struct regctl *ctl, int *argc, char **argv)
{
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i], *val = NULL;
        bool is_config = !strcmp(a, "--config") || !strncmp(a, "--config=", 9);
        bool is_now = !strcmp(a, "--now") || !strncmp(a, "--now=", 6);
        if (!is_config && !is_now) {
            argv[out++] = argv[i];
            continue;
        }
        const char *eq = strchr(a, '=');
        if (eq) {
            val = eq + 1;
        } else if (i + 1 < *argc) {
            val = argv[++i];
        } else {
            fprintf(stderr, "regctl: %s needs a value\n", a);
            return EXIT_USAGE;
        }
        if (is_config) {
            ctl->config_path = val;
        } else if (clock_parse(val, &ctl->now)) {
            fprintf(stderr, "regctl: --now \"%s\" is not a time like 2027-01-01T00:00:00Z\n", val);
            return EXIT_USAGE;
        } else {
            ctl->now_given = true;
        }
    }
    *argc = out;
    argv[out] = NULL;
    return 0;
}

static int dispatch(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_group *g = NULL;
    for (size_t i = 0; i < NGROUPS && !g; i++)
        if (!strcmp(groups[i].name, argv[1]))
            g = &groups[i];
    if (!g) {
        fprintf(stderr, "regctl: unknown command group \"%s\" (try regctl --help)\n", argv[1]);
        return EXIT_USAGE;
    }
    if (g->cmds[0].name && !g->cmds[0].name[0]) { /* a group that is one command */
        if (regctl_wants_help(argc - 1, argv + 1)) {
            regctl_print_cmd_help(g->name, &g->cmds[0]);
            return 0;
        }
        return g->cmds[0].run(ctl, argc - 1, argv + 1);
    }
    if (argc < 3) {
        fprintf(stderr, "regctl: %s: missing command (try regctl %s --help)\n", g->name, g->name);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")) {
        print_group(g);
        return 0;
    }
    const struct regctl_cmd *c = regctl_cmd_named(g->cmds, argv[2]);
    if (c) {
        if (regctl_wants_help(argc - 2, argv + 2)) {
            regctl_print_cmd_help(g->name, c);
            return 0;
        }
        return c->run(ctl, argc - 2, argv + 2);
    }
    fprintf(stderr, "regctl: unknown command \"%s %s\" (try regctl %s --help)\n", argv[1],
            argv[2], argv[1]);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    struct regctl ctl = {0};
    char err[SETTINGS_ERRLEN];
    int rc = take_globals(&ctl, &argc, argv);
    if (rc)
        return rc;
    if (argc < 2) {
        fprintf(stderr, "regctl: missing command group (try regctl --help)\n");
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        print_overview(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("regctl %s\n", REG_VERSION);
        return 0;
    }
    if (!strcmp(argv[1], "--help-man")) {
        print_man(stdout);
        return 0;
    }
    if (secret_init())
        return regctl_fail("startup", "cannot initialise libsodium");
    if (config_load(&ctl.cfg, ctl.config_path, err, sizeof err))
        return regctl_fail("config", "%s", err);
    log_set_level(LOG_WARN); /* regctl talks on stdout; logs only for trouble */
    size_t own_texts;
    reg_status tst = {0};
    if (notices_setup(&ctl.cfg, &own_texts, &tst)) {
        config_free(&ctl.cfg);
        return regctl_fail("config", "%s", reg_status_text(&tst));
    }
    if (ctl.cfg.clock_now)
        clock_set_fixed(ctl.cfg.clock_now);
    if (ctl.now_given)
        clock_set_fixed(ctl.now);
    rc = dispatch(&ctl, argc, argv);
    db_close(ctl.db);
    config_free(&ctl.cfg);
    return rc;
}
