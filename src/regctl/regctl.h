/* regctl: staff command line. One file per command group; main.c holds the
 * group table and the global options (--config FILE, --now TIME). */
#ifndef REG_REGCTL_H
#define REG_REGCTL_H

#include <stdbool.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "config/config.h"
#include "registry/op.h"
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

/* t as 2027-01-01T00:00:00Z in buf, or "-" when there is none (0). */
const char *regctl_time(reg_time t, char buf[REG_TIME_STRLEN]);
/* Prints "regctl: <what>: <message>" on stderr; returns EXIT_FAIL. */
int regctl_fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a usage error and returns EXIT_USAGE. */
/* The command called name in a NULL-terminated table (NULL when none). */
const struct regctl_cmd *regctl_cmd_named(const struct regctl_cmd *table, const char *name);
int regctl_usage_error(const struct regctl_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Opens (and migrates) the configured database; prints the error itself. */
db *regctl_db(struct regctl *ctl);
/* Handles --help and rejects unknown options: parses argv with the given
 * long options; returns -1 when the caller should return *exit_code. */
bool regctl_wants_help(int argc, char **argv);
void regctl_print_cmd_help(const char *group, const struct regctl_cmd *cmd);
/* The example of a command (examples.c), NULL when it has none. */
const char *regctl_example(const char *group, const struct regctl_cmd *cmd);

/* A staff operation (actor "staff", channel "regctl", now from the
 * clock) with the configured policy; write opens a transaction.
 * regctl_session_close commits it (or rolls back when e is set), frees
 * the policy and returns the exit code, printing st's reason on failure. */
struct regctl_session {
    db *db;
    struct registry_policy policy;
    struct reg_op op;
};
bool regctl_session_open(struct regctl *ctl, struct regctl_session *s, const char *what,
                         bool write);
/* The same with a read-only transaction whose statements all see one
 * snapshot (db_begin_snapshot): for reports that must add up. */
bool regctl_session_snapshot(struct regctl *ctl, struct regctl_session *s, const char *what);
int regctl_session_close(struct regctl_session *s, const char *what, reg_err e,
                         const reg_status *st);

extern const struct regctl_cmd regctl_registrar_cmds[];
extern const struct regctl_cmd regctl_portal_user_cmds[];
extern const struct regctl_cmd regctl_db_cmds[];
extern const struct regctl_cmd regctl_jobs_cmds[];
extern const struct regctl_cmd regctl_config_cmds[];
extern const struct regctl_cmd regctl_epp_log_cmds[];
extern const struct regctl_cmd regctl_poll_cmds[];
extern const struct regctl_cmd regctl_history_cmds[];
extern const struct regctl_cmd regctl_status_cmds[];
extern const struct regctl_cmd regctl_outbox_cmds[];
extern const struct regctl_cmd regctl_authinfo_cmds[];
extern const struct regctl_cmd regctl_otp_cmds[];
extern const struct regctl_cmd regctl_pepper_cmds[];
extern const struct regctl_cmd regctl_account_cmds[];
extern const struct regctl_cmd regctl_idcheck_cmds[];
extern const struct regctl_cmd regctl_contact_cmds[];
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
    "triggers a warning, a rebate on every price"
/* cmd_registrar_services.c: `registrar set` (R18 default management, R26
 * name service and DNSSEC) and the lines `registrar show` adds for them */
int regctl_registrar_set(struct regctl *ctl, int argc, char **argv);
int regctl_registrar_show_services(db *d, const char *handle);
#define REGCTL_REGISTRAR_SET_USAGE                                                               \
    "registrar set HANDLE [--management registrar|registrant] [--name-service yes|no] "         \
    "[--dnssec yes|no] [--name NAME] [--email ADDR] [--url URL] [--phone +CC.NUMBER] "          \
    "[--handle CONTACT]"
#define REGCTL_REGISTRAR_SET_HELP                                                                \
    "record a registrar's default management model, whether it offers name service and "       \
    "DNSSEC to its customers, the name, email, web address and phone that WHOIS and RDAP "     \
    "show (\"\" clears one), and its own handle: a contact it sponsors, whose data its link "   \
    "candidates must match"
/* cmd_report.c, cmd_domain.c */
extern const struct regctl_cmd regctl_report_cmds[];
extern const struct regctl_cmd regctl_domain_cmds[];
/* cmd_zone.c: the TLD zone (export, status, diff) */
extern const struct regctl_cmd regctl_zone_cmds[];
/* cmd_registrant_invoice.c: `invoice list --registrants`, `invoice show RN`
 * and their part of `ledger verify` (R19) */
int regctl_registrant_invoice_list(struct regctl *ctl, const char *payer);
int regctl_registrant_invoice_show(struct regctl *ctl, const char *number);
int regctl_registrant_invoice_paid(struct regctl *ctl, const char *number, const char *reference);
int regctl_registrant_invoice_verify(db *d, int64_t *invoices);
int regctl_init(struct regctl *ctl, int argc, char **argv);

/* cmd_history.c: one history version as `regctl history` prints it (its
 * data field by field, times in UTC, when full), and the columns' header. */
struct history_version;
void regctl_history_header(void);
void regctl_history_version(const struct history_version *v, bool full);

/* show.c, for domain show, contact show and host show: "key:   value"
 * lines; a time with who did it ("-" for none); the stored statuses with
 * their messages; the last `last` versions of an object under a heading
 * that says how many there are. */
void regctl_field(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void regctl_field_time(const char *key, reg_time t, const char *by);
struct status_set;
void regctl_show_statuses(const struct status_set *set);
reg_err regctl_show_history(db *d, const char *kind, const char *key, int64_t last,
                            reg_status *st);
/* A show command's NAME and --history N (the versions to show, 10 by
 * default), and its read-only session (close it with
 * regctl_session_close(&show->s, show->what, …)); false with *rc the exit
 * code when it cannot start. */
struct regctl_show {
    char what[32]; /* "domain show" */
    const char *name;
    int64_t history;
    struct regctl_session s;
};
bool regctl_show_open(struct regctl *ctl, const struct regctl_cmd *me, int argc, char **argv,
                      struct regctl_show *show, int *rc);
/* An object's latest transfer (status "" for none). */
void regctl_show_transfer(const char *status, const char *gaining, const char *losing,
                          reg_time requested_at, reg_time action_at);
/* cmd_host.c */
extern const struct regctl_cmd regctl_host_cmds[];

#endif
