#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "contrib/money.h"
#include "contrib/strutil.h"
#include "registry/billing.h"
#include "registry/registrar.h"
#include "regctl.h"

#define DEMO_HANDLE "DEMO"
#define DEMO_CREDIT 1000000 /* 10,000.00 in minor units */

static int make_dirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0750) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0750) && errno != EEXIST ? -1 : 0;
}

/* Demo prices per year, in minor units, for the operations that have
 * none: the registry refuses unpriced operations ([billing]
 * allow_unpriced), and the README's demo creates, renews, transfers and
 * restores. Prices already set are kept. */
static const struct {
    const char *operation;
    int64_t amount;
} demo_prices[] = {{"create", 5000}, {"renew", 5000}, {"autorenew", 5000},
                   {"transfer", 5000}, {"restore", 10000}};

static void note_unpriced(const char *operation, int years, void *arg)
{
    (void)years;
    bool *missing = arg;
    for (size_t i = 0; i < sizeof demo_prices / sizeof demo_prices[0]; i++)
        if (!strcmp(demo_prices[i].operation, operation))
            missing[i] = true;
}

/* What the demo set-up did, and what it found done already. */
struct demo_outcome {
    bool added;    /* DEMO made now, with password */
    char password[17];
    int priced;    /* operations given a demo price now */
    bool credited; /* DEMO had no ledger entry: credited now */
    int64_t balance;
};

/* The demo registrar, the prices it needs and its credit, in one
 * transaction: each part only when it is missing, so a second run changes
 * nothing that exists (not DEMO's password) and a run that failed half-way
 * is completed by the next one. */
static int demo_setup(struct regctl *ctl, struct demo_outcome *out)
{
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "init", true))
        return EXIT_FAIL;
    reg_status st = {0};
    reg_err e = REG_OK;
    int64_t id = registrar_id_by_handle(s.db, DEMO_HANDLE);
    if (!id) {
        registrar_generate_password(out->password);
        struct registrar_new r = {.handle = DEMO_HANDLE, .name = "Demo Registrar",
                                  .password = out->password, .email = "demo@example.invalid"};
        e = registrar_insert(s.db, &r, &id, &st);
        out->added = !e;
    }
    bool missing[sizeof demo_prices / sizeof demo_prices[0]] = {0};
    int nmissing = 0;
    if (!e)
        e = billing_unpriced_each(&s.op, note_unpriced, missing, &nmissing, &st);
    for (size_t i = 0; !e && i < sizeof demo_prices / sizeof demo_prices[0]; i++)
        if (missing[i]) {
            e = billing_price_set(&s.op, demo_prices[i].operation, 0, demo_prices[i].amount, 0,
                                  s.op.now, &st);
            out->priced++;
        }
    bool paid = false;
    if (!e)
        e = billing_has_entries(s.db, id, &paid, &st);
    if (!e && !paid) {
        struct ledger_entry le = {.registrar_id = id, .amount = DEMO_CREDIT, .kind = "credit",
                                  .text = "demo credit"};
        e = billing_post(&s.op, &le, NULL, &st);
        out->credited = !e;
    }
    if (!e)
        e = billing_balance(s.db, id, &out->balance, &st);
    return regctl_session_close(&s, "init", e, &st);
}

static int ensure_demo(struct regctl *ctl)
{
    struct demo_outcome o = {0};
    int rc = demo_setup(ctl, &o);
    if (rc)
        return rc;
    char m[MONEY_FMT_LEN];
    const char *cur = ctl->cfg.billing_currency;
    if (o.added)
        printf("demo registrar: clID %s password %s\n", DEMO_HANDLE, o.password);
    else
        printf("demo registrar %s exists: its password is kept (regctl registrar passwd %s "
               "sets a new one)\n",
               DEMO_HANDLE, DEMO_HANDLE);
    if (o.priced)
        printf("demo prices set for the operations that had none (regctl price list)\n");
    else
        printf("demo prices: every operation has a price already, none changed\n");
    if (o.credited)
        printf("demo registrar credited %s\n", money_format(DEMO_CREDIT, cur, m, sizeof m));
    else
        printf("demo credit: %s has ledger entries already, none added (balance %s)\n",
               DEMO_HANDLE, money_format(o.balance, cur, m, sizeof m));
    return 0;
}

int regctl_init(struct regctl *ctl, int argc, char **argv)
{
    bool demo = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--demo"))
            demo = true;
        else {
            fprintf(stderr, "regctl: init: unknown argument \"%s\" (usage: regctl init [--demo])\n",
                    argv[i]);
            return EXIT_USAGE;
        }
    }
    const char *var = ctl->cfg.var_dir;
    if (make_dirs(var))
        return regctl_fail("init", "cannot create directory %s: %s", var, strerror(errno));
    const char *url = ctl->cfg.database_url;
    const char *slash = strrchr(url, '/');
    if (!strncmp(url, "sqlite:", 7) && slash && slash > url + 7) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - url - 7), url + 7);
        if (make_dirs(dir))
            return regctl_fail("init", "cannot create directory %s: %s", dir, strerror(errno));
    }
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    char safe[1024];
    str_redact_url(safe, sizeof safe, ctl->cfg.database_url);
    printf("database %s ready (schema version %d)\n", safe, db_schema_version(d));
    return demo ? ensure_demo(ctl) : 0;
}
