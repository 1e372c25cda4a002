/* regctl: staff command line. One file per command group; main.c holds the
 * group table and the global options (--config FILE, --now TIME). */
#ifndef REG_REGCTL_H
#define REG_REGCTL_H

#include <stdbool.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "daemon/config.h"
#include "store/db.h"

#define EXIT_FAIL 1  /* the command could not do its work */
#define EXIT_USAGE 2 /* bad arguments */

struct regctl {
    const char *config_path;
    struct reg_config cfg;
    bool now_given;
    reg_time now;
    db *db; /* opened on first use by regctl_db() */
};

struct regctl_cmd {
    const char *name;
    int (*run)(struct regctl *ctl, int argc, char **argv);
    const char *usage; /* "registrar add HANDLE --name NAME …" */
    const char *help;  /* one line */
};

struct regctl_group {
    const char *name;
    const struct regctl_cmd *cmds; /* NULL-name terminated */
    const char *help;
};

/* Prints "regctl: <what>: <message>" on stderr; returns EXIT_FAIL. */
int regctl_fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a usage error and returns EXIT_USAGE. */
int regctl_usage_error(const struct regctl_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Opens (and migrates) the configured database; prints the error itself. */
db *regctl_db(struct regctl *ctl);
/* Handles --help and rejects unknown options: parses argv with the given
 * long options; returns -1 when the caller should return *exit_code. */
bool regctl_wants_help(int argc, char **argv);
void regctl_print_cmd_help(const char *group, const struct regctl_cmd *cmd);

extern const struct regctl_cmd regctl_registrar_cmds[];
extern const struct regctl_cmd regctl_db_cmds[];
extern const struct regctl_cmd regctl_jobs_cmds[];
extern const struct regctl_cmd regctl_config_cmds[];
extern const struct regctl_cmd regctl_epp_log_cmds[];
extern const struct regctl_cmd regctl_poll_cmds[];
extern const struct regctl_cmd regctl_history_cmds[];
extern const struct regctl_cmd regctl_status_cmds[];
extern const struct regctl_cmd regctl_outbox_cmds[];
extern const struct regctl_cmd regctl_account_cmds[];
/* cmd_billing.c: prepaid accounts, prices, statements, invoices */
extern const struct regctl_cmd regctl_price_cmds[];
extern const struct regctl_cmd regctl_credit_cmds[];
extern const struct regctl_cmd regctl_balance_cmds[];
extern const struct regctl_cmd regctl_statement_cmds[];
extern const struct regctl_cmd regctl_ledger_cmds[];
extern const struct regctl_cmd regctl_fee_cmds[];
extern const struct regctl_cmd regctl_invoice_cmds[];
/* `registrar billing` (in the registrar group's table) */
int regctl_registrar_billing(struct regctl *ctl, int argc, char **argv);
#define REGCTL_REGISTRAR_BILLING_USAGE                                                           \
    "registrar billing HANDLE [--credit-limit AMOUNT] [--low-balance AMOUNT|none] "              \
    "[--rebate PERCENT [--from TIME]]"
#define REGCTL_REGISTRAR_BILLING_HELP                                                            \
    "show or set a registrar's prepaid account: how far below zero it may go, the balance that " \
    "triggers a warning, a rebate on every price (R24)"
int regctl_init(struct regctl *ctl, int argc, char **argv);

#endif
