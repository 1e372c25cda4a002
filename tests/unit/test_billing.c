/* Prepaid billing (src/registry/billing.c) and invoices (invoice.c) on both
 * backends: amounts and rounding, price resolution (R24: overrides,
 * rebates; later valid_from wins; exact periods; autorenew falls back to
 * renew), charges with and without funds and credit limit (R23: 2104
 * writes nothing), refunds, the low-balance warning, the consistency
 * check, and invoices (gapless numbers, idempotent monthly runs, one-off
 * fee invoices for R17) with their CSV and HTML (web/billing_export.c). */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/strbuf.h"
#include "registry/billing.h"
#include "registry/domain.h"
#include "registry/invoice.h"
#include "web/billing_export.h"

#define MAR_10 (T0 + (31 + 28 + 9) * DAY) /* 2027-03-10 */
#define APR_1 (T0 + (31 + 28 + 31) * DAY) /* 2027-04-01 */

static int64_t price_of(struct fixture *f, int64_t registrar, const char *op, int years)
{
    struct reg_op o = op_as(f, registrar);
    reg_status st = {0};
    int64_t amount = -1;
    if (billing_price(&o, registrar, op, years, &amount, &st))
        fail_msg("billing_price %s %d: %s", op, years, reg_status_text(&st));
    return amount;
}

static int64_t balance(struct fixture *f, int64_t registrar)
{
    reg_status st = {0};
    int64_t b = 0;
    assert_int_equal(billing_balance(f->d, registrar, &b, &st), REG_OK);
    return b;
}

static int64_t count(struct fixture *f, const char *sql)
{
    return scalar(f, sql, NULL);
}

static void verify_clean(struct fixture *f)
{
    int64_t rows, bad, invoices, problems;
    reg_status st = {0};
    assert_int_equal(billing_verify(f->d, &rows, &bad, NULL, NULL, &st), REG_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(invoice_verify(f->d, &invoices, &problems, NULL, NULL, &st), REG_OK);
    assert_int_equal(problems, 0);
}

/* ---- amounts and rounding ------------------------------------------------------- */

static void amounts_parse_and_format(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_int_equal(money_parse("12345", false, &v), REG_OK);
    assert_int_equal(v, 12345);
    assert_int_equal(money_parse("123.45", false, &v), REG_OK);
    assert_int_equal(v, 12345);
    assert_int_equal(money_parse("123.5", false, &v), REG_OK);
    assert_int_equal(v, 12350);
    assert_int_equal(money_parse("0.05", false, &v), REG_OK);
    assert_int_equal(v, 5);
    assert_int_equal(money_parse("-500", true, &v), REG_OK);
    assert_int_equal(v, -500);
    assert_int_equal(money_parse("-500", false, &v), REG_ERR_RANGE);
    assert_int_equal(money_parse("1.234", false, &v), REG_ERR_SYNTAX);
    assert_int_equal(money_parse("1.", false, &v), REG_ERR_SYNTAX);
    assert_int_equal(money_parse(".5", false, &v), REG_ERR_SYNTAX);
    assert_int_equal(money_parse("12a", false, &v), REG_ERR_SYNTAX);
    assert_int_equal(money_parse("", false, &v), REG_ERR_SYNTAX);
    assert_int_equal(money_parse("+5", false, &v), REG_ERR_SYNTAX);
    assert_int_equal(money_parse("1000000000000000", false, &v), REG_OK);
    assert_int_equal(money_parse("1000000000000001", false, &v), REG_ERR_RANGE);
    assert_int_equal(money_parse("99999999999999999999999", false, &v), REG_ERR_RANGE);

    char buf[MONEY_FMT_LEN];
    assert_string_equal(money_format(12345, "DKK", buf, sizeof buf), "123.45 DKK");
    assert_string_equal(money_format(-5, "DKK", buf, sizeof buf), "-0.05 DKK");
    assert_string_equal(money_format(0, NULL, buf, sizeof buf), "0.00");
    assert_string_equal(money_format(INT64_MIN, NULL, buf, sizeof buf),
                        "-92233720368547758.08");
    /* as the page's or the mail's reader writes it */
    assert_string_equal(money_format_in(12345, "DKK", "da", buf, sizeof buf), "123,45 DKK");
    assert_string_equal(money_format_in(-5, "EUR", "et-EE", buf, sizeof buf), "-0,05 EUR");
    assert_string_equal(money_format_in(150, "NOK", "NB", buf, sizeof buf), "1,50 NOK");
    assert_string_equal(money_format_in(12345, "DKK", "en", buf, sizeof buf), "123.45 DKK");
    assert_string_equal(money_format_in(12345, "DKK", "dan", buf, sizeof buf), "123.45 DKK");
    assert_string_equal(money_format_in(12345, NULL, NULL, buf, sizeof buf), "123.45");

    int bp = 0;
    assert_int_equal(billing_parse_percent("12.5", &bp), REG_OK);
    assert_int_equal(bp, 1250);
    assert_int_equal(billing_parse_percent("100", &bp), REG_OK);
    assert_int_equal(bp, 10000);
    assert_int_equal(billing_parse_percent("0.01", &bp), REG_OK);
    assert_int_equal(bp, 1);
    assert_int_equal(billing_parse_percent("100.01", &bp), REG_ERR_RANGE);
    assert_int_equal(billing_parse_percent("-1", &bp), REG_ERR_SYNTAX);
    assert_int_equal(billing_parse_percent("1.234", &bp), REG_ERR_SYNTAX);
}

/* R24: rebates round half up to the minor unit. */
static void rebate_rounding_half_up(void **state)
{
    (void)state;
    assert_int_equal(billing_apply_rebate(1000, 0), 1000);
    assert_int_equal(billing_apply_rebate(1000, 1250), 875);
    assert_int_equal(billing_apply_rebate(999, 1250), 874);  /* 874.125 */
    assert_int_equal(billing_apply_rebate(1001, 5000), 501); /* 500.5 → up */
    assert_int_equal(billing_apply_rebate(1003, 5000), 502); /* 501.5 → up */
    assert_int_equal(billing_apply_rebate(3, 5000), 2);      /* 1.5 → 2 */
    assert_int_equal(billing_apply_rebate(1, 4999), 1);      /* 0.5001 */
    assert_int_equal(billing_apply_rebate(1, 5001), 0);      /* 0.4999 */
    assert_int_equal(billing_apply_rebate(12345, 10000), 0);
    assert_int_equal(billing_apply_rebate(0, 1250), 0);
    /* no overflow at the largest amounts */
    assert_int_equal(billing_apply_rebate(MONEY_MAX * 10, 2500),
                     MONEY_MAX * 10 / 4 * 3);
    assert_int_equal(billing_apply_rebate(MONEY_MAX * 10 + 3, 5000),
                     MONEY_MAX * 5 + 2);
}

/* ---- price resolution ----------------------------------------------------------- */

static void price_resolution_R24(void **state)
{
    struct fixture f;
    reg_status st;
    setup(state, &f, "bill_price");
    /* nothing configured: not billed */
    assert_int_equal(price_of(&f, f.a, "create", 1), 0);

    set_price(&f, "create", 0, 1500, 0, T0 - DAY);
    /* years × the per-year price */
    assert_int_equal(price_of(&f, f.a, "create", 1), 1500);
    assert_int_equal(price_of(&f, f.a, "create", 3), 4500);
    assert_int_equal(price_of(&f, f.a, "create", 10), 15000);
    /* an exact period beats the per-year price */
    set_price(&f, "create", 2, 2500, 0, T0 - DAY);
    assert_int_equal(price_of(&f, f.a, "create", 2), 2500);
    assert_int_equal(price_of(&f, f.a, "create", 3), 4500);
    /* a later valid_from wins; a future one does not apply yet */
    set_price(&f, "create", 0, 1600, 0, T0 - 3600);
    set_price(&f, "create", 0, 9999, 0, T0 + DAY);
    assert_int_equal(price_of(&f, f.a, "create", 1), 1600);
    f.now = T0 + DAY;
    assert_int_equal(price_of(&f, f.a, "create", 1), 9999);
    f.now = T0;
    /* setting the same key again replaces the row */
    set_price(&f, "create", 0, 1700, 0, T0 - 3600);
    assert_int_equal(price_of(&f, f.a, "create", 1), 1700);
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM price WHERE operation = 'create' AND "
                              "years = 0 AND registrar_id IS NULL"), 3);
    /* an override beats the default, for that registrar only (R24) */
    set_price(&f, "create", 0, 1000, f.b, T0 - 30 * DAY);
    assert_int_equal(price_of(&f, f.b, "create", 1), 1000);
    assert_int_equal(price_of(&f, f.b, "create", 2), 2000); /* override per-year × 2 */
    assert_int_equal(price_of(&f, f.a, "create", 1), 1700);
    assert_int_equal(price_of(&f, f.a, "create", 2), 2500);
    /* a rebate on top, rounded half up */
    struct reg_op o = staff(&f);
    OK(&f, billing_rebate_set(&o, f.b, 1250, T0 - DAY, &st));
    assert_int_equal(price_of(&f, f.b, "create", 1), 875);
    OK(&f, billing_rebate_set(&o, f.c, 3333, T0 - DAY, &st));
    assert_int_equal(price_of(&f, f.c, "create", 1), 1133); /* 1700 × 0.6667 = 1133.39 */
    assert_int_equal(price_of(&f, f.c, "create", 2), 1667); /* 2500 × 0.6667 = 1666.75 */
    /* a later rebate replaces the earlier one; the same start replaces it */
    OK(&f, billing_rebate_set(&o, f.c, 5000, T0 - 60, &st));
    assert_int_equal(price_of(&f, f.c, "create", 1), 850);
    OK(&f, billing_rebate_set(&o, f.c, 0, T0 - 60, &st));
    assert_int_equal(price_of(&f, f.c, "create", 1), 1700);
    ERR(&f, REG_ERR_RANGE, billing_rebate_set(&o, f.c, 10001, T0, &st));

    /* autorenew falls back to renew: override renew before default autorenew */
    set_price(&f, "renew", 0, 1200, 0, T0 - DAY);
    assert_int_equal(price_of(&f, f.a, "autorenew", 1), 1200);
    assert_int_equal(price_of(&f, f.a, "autorenew", 2), 2400);
    set_price(&f, "autorenew", 0, 1300, 0, T0 - DAY);
    assert_int_equal(price_of(&f, f.a, "autorenew", 1), 1300);
    assert_int_equal(price_of(&f, f.a, "renew", 1), 1200);
    set_price(&f, "renew", 0, 800, f.b, T0 - DAY);
    assert_int_equal(price_of(&f, f.b, "autorenew", 1), 700); /* 800 - 12.5% */
    set_price(&f, "autorenew", 0, 900, f.b, T0 - DAY);
    assert_int_equal(price_of(&f, f.b, "autorenew", 1), 788); /* 787.5 → 788 */

    /* bad input */
    ERR(&f, REG_ERR_INVALID, billing_price_set(&o, "fee", 0, 100, 0, T0, &st));
    ERR(&f, REG_ERR_RANGE, billing_price_set(&o, "create", 11, 100, 0, T0, &st));
    ERR(&f, REG_ERR_RANGE, billing_price_set(&o, "create", 1, -1, 0, T0, &st));
    teardown(&f);
}

/* ---- charges ---------------------------------------------------------------------- */

static void charge_needs_funds_R23(void **state)
{
    struct fixture f;
    reg_status st;
    setup(state, &f, "bill_charge");
    f.svtrid = "SV-1";
    set_price(&f, "create", 0, 1500, 0, T0 - DAY);
    struct reg_op a = op_as(&f, f.a);
    int64_t charged = -1;
    /* no money: 2104 and nothing written */
    ERR(&f, REG_ERR_BILLING,
        billing_charge(&a, f.a, "create", 1, "domain", "a.dk", &charged, &st));
    assert_int_equal(charged, 0);
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM ledger"), 0);
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM poll_message"), 0);

    post_entry(&f, f.a, "credit", 2000, "payment");
    OK(&f, billing_charge(&a, f.a, "create", 1, "domain", "a.dk", &charged, &st));
    assert_int_equal(charged, 1500);
    assert_int_equal(balance(&f, f.a), 500);
    /* the row says what, who, how */
    db_stmt *s = db_query(f.d, "SELECT kind, operation, years, object_kind, object_name, svtrid, "
                                "amount, balance_after, actor, channel, oneoff FROM ledger "
                                "ORDER BY id DESC LIMIT 1");
    assert_true(db_next(s));
    assert_string_equal(db_col_text(s, 0), "debit");
    assert_string_equal(db_col_text(s, 1), "create");
    assert_int_equal(db_col_int(s, 2), 1);
    assert_string_equal(db_col_text(s, 3), "domain");
    assert_string_equal(db_col_text(s, 4), "a.dk");
    assert_string_equal(db_col_text(s, 5), "SV-1");
    assert_int_equal(db_col_int(s, 6), -1500);
    assert_int_equal(db_col_int(s, 7), 500);
    assert_string_equal(db_col_text(s, 8), "REGA");
    assert_string_equal(db_col_text(s, 9), "epp");
    assert_int_equal(db_col_int(s, 10), 0);
    assert_int_equal(db_done(s), REG_OK);

    /* 500 left, 1500 needed; a credit limit of 999 is not enough, 1000 is */
    ERR(&f, REG_ERR_BILLING,
        billing_charge(&a, f.a, "create", 1, "domain", "b.dk", NULL, &st));
    struct reg_op o = staff(&f);
    OK(&f, billing_set_credit_limit(&o, f.a, 999, &st));
    ERR(&f, REG_ERR_BILLING,
        billing_charge(&a, f.a, "create", 1, "domain", "b.dk", NULL, &st));
    OK(&f, billing_set_credit_limit(&o, f.a, 1000, &st));
    OK(&f, billing_charge(&a, f.a, "create", 1, "domain", "b.dk", NULL, &st));
    assert_int_equal(balance(&f, f.a), -1000);
    ERR(&f, REG_ERR_BILLING,
        billing_charge(&a, f.a, "create", 1, "domain", "c.dk", NULL, &st));
    ERR(&f, REG_ERR_RANGE, billing_set_credit_limit(&o, f.a, -1, &st));

    /* a free operation writes nothing */
    OK(&f, billing_charge(&a, f.a, "restore", 1, "domain", "b.dk", &charged, &st));
    assert_int_equal(charged, 0);
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM ledger"), 3);

    /* refunds give money back; the balance is the sum of the entries */
    struct ledger_entry r = {.registrar_id = f.a, .amount = 1500, .kind = "refund",
                             .operation = "create", .object_kind = "domain", .object_name = "b.dk",
                             .text = "refund: create b.dk"};
    int64_t after = 0;
    OK(&f, billing_post(&o, &r, &after, &st));
    assert_int_equal(after, 500);
    assert_int_equal(balance(&f, f.a), 500);
    assert_int_equal(count(&f, "SELECT SUM(amount) FROM ledger"), 500);
    /* entries need a text and a sane amount; unknown registrars are refused */
    struct ledger_entry bad = {.registrar_id = f.a, .amount = 5, .kind = "credit"};
    ERR(&f, REG_ERR_MISSING, billing_post(&o, &bad, NULL, &st));
    bad.text = "x";
    bad.amount = MONEY_MAX + 1;
    ERR(&f, REG_ERR_RANGE, billing_post(&o, &bad, NULL, &st));
    bad.amount = 5;
    bad.registrar_id = 999999;
    ERR(&f, REG_ERR_NOT_FOUND, billing_post(&o, &bad, NULL, &st));
    verify_clean(&f);
    teardown(&f);
}

/* Fail closed (issue 13 item 4): a billable operation without a price
 * that applies is refused with a reason naming the price, and changes
 * nothing; [billing] allow_unpriced makes it free. */
static void unpriced_operation_is_refused_item4(void **state)
{
    struct fixture f;
    reg_status st;
    setup(state, &f, "bill_unpriced");
    f.policy.allow_unpriced = false;
    make_contact(&f, "HOLDER", "holder@example.test", "Holder", NULL, NULL, NULL);
    set_price(&f, "create", 1, 1500, 0, T0 - DAY); /* a one-year price only */
    post_entry(&f, f.a, "credit", 10000, "payment");
    struct reg_op a = op_as(&f, f.a);
    struct domain out;
    memset(&out, 0, sizeof out);
    struct domain_create two = {TERMS, .name = "two-years.dk", .period_months = 24,
                                .registrant = "REGA:HOLDER"};
    EXPECT_REASON(&f, domain_create(&a, &two, &out, &st), REG_ERR_CONFIG, st,
                  "no price for create of 2 years");
    domain_free(&out);
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM domain"), 0);
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM ledger"), 1); /* the credit */
    assert_int_equal(balance(&f, f.a), 10000);
    /* the one-year create has its price */
    two.period_months = 12;
    make_domain_as(&f, f.a, &two);
    assert_int_equal(balance(&f, f.a), 8500);
    /* renew has no price at all; autorenew falls back to it */
    int64_t amount = -1;
    EXPECT_REASON(&f, billing_price(&a, f.a, "autorenew", 1, &amount, &st), REG_ERR_CONFIG, st,
                  "no price for autorenew of 1 year");
    EXPECT_REASON(&f, billing_charge(&a, f.a, "renew", 1, "domain", "two-years.dk", NULL, &st),
                  REG_ERR_CONFIG, st, "no price for renew of 1 year");
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM ledger"), 2);

    /* the operator's opt-in: free, no ledger row */
    f.policy.allow_unpriced = true;
    struct domain_create other = {TERMS, .name = "free-two.dk", .period_months = 24,
                                  .registrant = "REGA:HOLDER"};
    make_domain_as(&f, f.a, &other);
    assert_int_equal(balance(&f, f.a), 8500);
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM ledger"), 2);
    verify_clean(&f);
    teardown(&f);
}

static void note_unpriced(const char *operation, int years, void *arg)
{
    sb_printf(arg, "%s %d;", operation, years);
}

static char *unpriced(struct fixture *f, int *missing)
{
    strbuf sb;
    sb_init(&sb);
    struct reg_op o = staff(f);
    reg_status st = {0};
    if (billing_unpriced_each(&o, note_unpriced, &sb, missing, &st))
        fail_msg("billing_unpriced_each: %s", reg_status_text(&st));
    char *list = strdup(sb_str(&sb));
    sb_free(&sb);
    return list;
}

/* regctl price check: every billable operation and period without a
 * default price now; an override or a future price does not fill one. */
static void price_check_lists_unpriced_item4(void **state)
{
    struct fixture f;
    setup(state, &f, "bill_check");
    f.policy.max_period = 3;
    int missing = -1;
    char *list = unpriced(&f, &missing);
    assert_string_equal(list, "create 1;create 2;create 3;renew 1;renew 2;renew 3;autorenew 1;"
                              "transfer 1;transfer 2;transfer 3;restore 1;");
    assert_int_equal(missing, 11);
    free(list);
    set_price(&f, "create", 0, 1500, 0, T0 - DAY); /* per year: every period */
    set_price(&f, "renew", 1, 1200, 0, T0 - DAY);  /* autorenew falls back to it */
    set_price(&f, "restore", 0, 5000, 0, T0 - DAY);
    set_price(&f, "transfer", 0, 900, f.b, T0 - DAY); /* an override only */
    set_price(&f, "transfer", 2, 900, 0, T0 + DAY);   /* not yet */
    list = unpriced(&f, &missing);
    assert_string_equal(list, "renew 2;renew 3;transfer 1;transfer 2;transfer 3;");
    assert_int_equal(missing, 5);
    free(list);
    set_price(&f, "renew", 0, 1200, 0, T0 - DAY);
    set_price(&f, "transfer", 0, 900, 0, T0 - DAY);
    list = unpriced(&f, &missing);
    assert_string_equal(list, "");
    assert_int_equal(missing, 0);
    free(list);
    teardown(&f);
}

/* One poll message per crossing below the threshold. */
static void low_balance_warning_once_per_crossing(void **state)
{
    struct fixture f;
    reg_status st;
    setup(state, &f, "bill_low");
    set_price(&f, "create", 0, 1500, 0, T0 - DAY);
    struct reg_op o = staff(&f), a = op_as(&f, f.a);
    post_entry(&f, f.a, "credit", 6000, "payment");
    OK(&f, billing_set_low_balance(&o, f.a, true, 5000, &st));
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM poll_message"), 0);
    OK(&f, billing_charge(&a, f.a, "create", 1, "domain", "a.dk", NULL, &st)); /* 4500 */
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM poll_message WHERE kind = 'low-balance'"), 1);
    OK(&f, billing_charge(&a, f.a, "create", 1, "domain", "b.dk", NULL, &st)); /* 3000 */
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM poll_message"), 1);
    post_entry(&f, f.a, "credit", 2000, "payment"); /* 5000: at the level, re-armed */
    assert_int_equal(count(&f, "SELECT low_balance_warned FROM registrar WHERE handle = 'REGA'"),
                     0);
    OK(&f, billing_charge(&a, f.a, "create", 1, "domain", "c.dk", NULL, &st)); /* 3500 */
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM poll_message"), 2);
    /* a 2104 sends nothing */
    OK(&f, billing_set_credit_limit(&o, f.a, 0, &st));
    post_entry(&f, f.a, "adjustment", -3000, "correction"); /* 500 */
    ERR(&f, REG_ERR_BILLING,
        billing_charge(&a, f.a, "create", 1, "domain", "d.dk", NULL, &st));
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM poll_message"), 2);
    /* a new threshold above the balance is a crossing at once; none removes it */
    post_entry(&f, f.a, "credit", 10000, "payment"); /* 10500 */
    OK(&f, billing_set_low_balance(&o, f.a, true, 20000, &st));
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM poll_message"), 3);
    OK(&f, billing_set_low_balance(&o, f.a, false, 0, &st));
    post_entry(&f, f.a, "adjustment", -10000, "correction");
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM poll_message"), 3);
    struct billing_account acc;
    reg_status rs = {0};
    assert_int_equal(billing_account_get(f.d, f.a, f.now, &acc, &rs), REG_OK);
    assert_false(acc.has_low_balance);
    assert_int_equal(acc.balance, 500);
    verify_clean(&f);
    teardown(&f);
}

static int64_t bad_rows[8];
static int nbad;
static void on_bad(int64_t id, int64_t stored, int64_t computed, void *arg)
{
    (void)stored;
    (void)computed;
    (void)arg;
    if (nbad < 8)
        bad_rows[nbad++] = id;
}

static void verify_detects_tampering(void **state)
{
    struct fixture f;
    setup(state, &f, "bill_verify");
    post_entry(&f, f.a, "credit", 1000, "one");
    post_entry(&f, f.a, "credit", 1000, "two");
    post_entry(&f, f.b, "credit", 700, "three");
    post_entry(&f, f.a, "adjustment", -300, "four");
    int64_t rows = 0, bad = 0;
    reg_status st = {0};
    assert_int_equal(billing_verify(f.d, &rows, &bad, NULL, NULL, &st), REG_OK);
    assert_int_equal(rows, 4);
    assert_int_equal(bad, 0);
    int64_t registrars = 0;
    assert_int_equal(billing_ledger_registrars(f.d, &registrars, &st), REG_OK);
    assert_int_equal(registrars, 2);
    int64_t second = scalar(&f, "SELECT id FROM ledger WHERE text = 'two'", NULL);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE ledger SET balance_after = balance_after + 1 WHERE id = %lld",
             (long long)second);
    exec_sql(&f, sql);
    nbad = 0;
    assert_int_equal(billing_verify(f.d, &rows, &bad, on_bad, NULL, &st), REG_OK);
    /* the tampered row and the next one of that registrar disagree */
    assert_int_equal(bad, 2);
    assert_int_equal(bad_rows[0], second);
    /* an amount changed after the fact is caught too */
    exec_sql(&f, "UPDATE ledger SET balance_after = balance_after - 1 WHERE text = 'two'");
    assert_int_equal(billing_verify(f.d, &rows, &bad, NULL, NULL, &st), REG_OK);
    assert_int_equal(bad, 0);
    exec_sql(&f, "UPDATE ledger SET amount = 999 WHERE text = 'three'");
    assert_int_equal(billing_verify(f.d, &rows, &bad, NULL, NULL, &st), REG_OK);
    assert_int_equal(bad, 1);
    teardown(&f);
}

/* ---- statements ----------------------------------------------------------------- */

static void statement_running_balance(void **state)
{
    struct fixture f;
    setup(state, &f, "bill_stmt");
    f.now = T0;
    post_entry(&f, f.a, "credit", 10000, "january");
    f.now = T0 + 40 * DAY;
    post_entry(&f, f.a, "adjustment", -2500, "february");
    post_entry(&f, f.b, "credit", 777, "other registrar");
    f.now = T0 + 70 * DAY;
    post_entry(&f, f.a, "refund", 100, "march");
    int64_t opening = -1, closing = -1;
    reg_status st = {0};
    assert_int_equal(billing_statement(f.d, f.a, T0 + 31 * DAY, T0 + 59 * DAY, &opening,
                                       &closing, NULL, NULL, &st), REG_OK);
    assert_int_equal(opening, 10000);
    assert_int_equal(closing, 7500);
    assert_int_equal(billing_statement(f.d, f.a, 0, T0 + 365 * DAY, &opening, &closing,
                                       NULL, NULL, &st), REG_OK);
    assert_int_equal(opening, 0);
    assert_int_equal(closing, 7600);
    teardown(&f);
}

/* ---- invoices ------------------------------------------------------------------- */

struct seen {
    int n, existed;
    int64_t numbers[16];
    int64_t totals[16];
};

static void on_invoice(const struct invoice *inv, bool existed, void *arg)
{
    struct seen *s = arg;
    if (s->n < 16) {
        s->numbers[s->n] = inv->number;
        s->totals[s->n] = inv->total;
    }
    s->n++;
    s->existed += existed;
}

static void run_month(struct fixture *f, const char *month, struct seen *seen,
                      struct invoice_run_result *res)
{
    struct reg_op o = staff(f);
    reg_status st = {0};
    memset(seen, 0, sizeof *seen);
    if (invoice_run_month(&o, "DKK", month, on_invoice, seen, res, &st))
        fail_msg("invoice run %s: %s", month, reg_status_text(&st));
    assert_false(db_in_transaction(f->d));
}

static void invoices_gapless_and_idempotent(void **state)
{
    struct fixture f;
    reg_status st;
    setup(state, &f, "bill_inv");
    set_price(&f, "create", 0, 1500, 0, T0 - DAY);
    set_price(&f, "renew", 0, 1000, 0, T0 - DAY);
    f.now = T0 + 40 * DAY; /* February: credits and one debit */
    post_entry(&f, f.a, "credit", 100000, "payment A");
    post_entry(&f, f.b, "credit", 100000, "payment B");
    post_entry(&f, f.c, "credit", 100000, "payment C"); /* C: only a credit, never an invoice */
    struct reg_op a = op_as(&f, f.a), b = op_as(&f, f.b);
    a.now = b.now = f.now;
    OK(&f, billing_charge(&a, f.a, "create", 1, "domain", "feb.dk", NULL, &st));
    f.now = MAR_10;
    a.now = b.now = f.now;
    OK(&f, billing_charge(&a, f.a, "create", 2, "domain", "a.dk", NULL, &st));
    OK(&f, billing_charge(&a, f.a, "renew", 1, "domain", "a.dk", NULL, &st));
    OK(&f, billing_charge(&b, f.b, "create", 1, "domain", "b.dk", NULL, &st));
    post_entry(&f, f.b, "refund", 1500, "refund b.dk");

    /* not before the month is over */
    struct reg_op o = staff(&f);
    struct invoice_run_result res;
    reg_status rs = {0};
    assert_int_equal(invoice_run_month(&o, "DKK", "2027-03", NULL, NULL, &res, &rs),
                     REG_ERR_POLICY);
    assert_int_equal(invoice_run_month(&o, "DKK", "2027-3", NULL, NULL, &res, &rs),
                     REG_ERR_SYNTAX);
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM invoice"), 0);

    /* February first: A only (B and C had no charges) */
    f.now = APR_1 + 3600;
    struct seen seen;
    run_month(&f, "2027-02", &seen, &res);
    assert_int_equal(res.issued, 1);
    assert_int_equal(seen.numbers[0], 1);
    assert_int_equal(seen.totals[0], 1500);
    /* March: A (create 2y + renew) and B (create, refund: total 0) */
    run_month(&f, "2027-03", &seen, &res);
    assert_int_equal(res.issued, 2);
    assert_int_equal(res.existing, 0);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.numbers[0], 2);
    assert_int_equal(seen.totals[0], 4000);
    assert_int_equal(seen.numbers[1], 3);
    assert_int_equal(seen.totals[1], 0);
    struct invoice inv;
    assert_int_equal(invoice_get(f.d, 2, &inv, &rs), REG_OK);
    assert_string_equal(inv.registrar, "REGA");
    assert_string_equal(inv.kind, "monthly");
    assert_string_equal(inv.period, "2027-03");
    assert_string_equal(inv.currency, "DKK");
    assert_string_equal(inv.billed_to, "Alpha Registrar");
    assert_int_equal(inv.nlines, 2);
    invoice_free(&inv);
    assert_int_equal(invoice_get(f.d, 4, &inv, &rs), REG_ERR_NOT_FOUND);

    /* again: nothing new, the same numbers reported */
    run_month(&f, "2027-03", &seen, &res);
    assert_int_equal(res.issued, 0);
    assert_int_equal(res.existing, 2);
    assert_int_equal(seen.existed, 2);
    assert_int_equal(seen.numbers[0], 2);
    assert_int_equal(seen.numbers[1], 3);
    run_month(&f, "2027-02", &seen, &res);
    assert_int_equal(res.issued, 0);
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM invoice"), 3);
    /* credits are never invoiced; every charge is, once */
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM ledger WHERE kind = 'credit' AND "
                              "invoice_id IS NOT NULL"), 0);
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM ledger WHERE kind <> 'credit' AND "
                              "invoice_id IS NULL"), 0);

    /* a charge posted late for March lands on April's invoice */
    f.now = MAR_10 + DAY;
    a.now = f.now;
    OK(&f, billing_charge(&a, f.a, "renew", 1, "domain", "late.dk", NULL, &st));
    f.now = APR_1 + 31 * DAY;
    run_month(&f, "2027-03", &seen, &res);
    assert_int_equal(res.issued, 0);
    run_month(&f, "2027-04", &seen, &res);
    assert_int_equal(res.issued, 1);
    assert_int_equal(seen.numbers[0], 4);
    assert_int_equal(seen.totals[0], 1000);
    verify_clean(&f);

    /* tampering is found: a total, a line, a gap */
    exec_sql(&f, "UPDATE invoice SET total = total + 1 WHERE number = 2");
    int64_t invoices = 0, problems = 0;
    assert_int_equal(invoice_verify(f.d, &invoices, &problems, NULL, NULL, &rs), REG_OK);
    assert_int_equal(invoices, 4);
    assert_int_equal(problems, 1);
    exec_sql(&f, "UPDATE invoice SET total = total - 1 WHERE number = 2");
    exec_sql(&f, "UPDATE invoice SET number = 7 WHERE number = 4");
    assert_int_equal(invoice_verify(f.d, &invoices, &problems, NULL, NULL, &rs), REG_OK);
    assert_int_equal(problems, 2); /* a gap, and the counter behind */
    teardown(&f);
}

/* R17: a one-off fee is debited and invoiced at once, on its own. */
static void oneoff_fee_invoice_R17(void **state)
{
    struct fixture f;
    reg_status st;
    setup(state, &f, "bill_fee");
    set_price(&f, "create", 0, 1500, 0, T0 - DAY);
    f.now = MAR_10;
    post_entry(&f, f.a, "credit", 30000, "payment");
    struct reg_op o = staff(&f), a = op_as(&f, f.a);
    a.now = f.now;
    OK(&f, billing_charge(&a, f.a, "create", 1, "domain", "a.dk", NULL, &st));
    struct invoice inv = {0};
    OK(&f, invoice_fee(&o, "NOK", f.a, 20000, "manual handling of a transfer", "domain",
                       "a.dk", &inv, &st));
    assert_int_equal(inv.number, 1);
    assert_string_equal(inv.kind, "oneoff");
    assert_string_equal(inv.period, "");
    assert_int_equal(inv.total, 20000);
    assert_int_equal(inv.nlines, 1);
    assert_string_equal(inv.currency, "NOK");
    invoice_free(&inv);
    assert_int_equal(balance(&f, f.a), 30000 - 1500 - 20000);
    assert_int_equal(count(&f, "SELECT oneoff FROM ledger WHERE operation = 'fee'"), 1);
    /* not enough money: 2104, no row, no invoice, no number used */
    ERR(&f, REG_ERR_BILLING, invoice_fee(&o, "NOK", f.a, 8501, "too much", NULL, NULL, NULL,
                                         &st));
    ERR(&f, REG_ERR_RANGE, invoice_fee(&o, "NOK", f.a, 0, "nothing", NULL, NULL, NULL, &st));
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM invoice"), 1);
    assert_int_equal(count(&f, "SELECT COUNT(*) FROM ledger"), 3);
    /* the monthly invoice leaves the fee out */
    f.now = APR_1;
    struct seen seen;
    struct invoice_run_result res;
    run_month(&f, "2027-03", &seen, &res);
    assert_int_equal(res.issued, 1);
    assert_int_equal(seen.numbers[0], 2);
    assert_int_equal(seen.totals[0], 1500);
    OK(&f, invoice_fee(&o, "NOK", f.a, 100, "another fee", NULL, NULL, NULL, &st));
    assert_int_equal(count(&f, "SELECT MAX(number) FROM invoice"), 3);
    /* a fee row without its invoice (say, from an older version) is
     * invoiced by the next run */
    f.now = APR_1 + DAY;
    struct ledger_entry le = {.registrar_id = f.a, .amount = -50, .kind = "debit",
                              .operation = "fee", .text = "stray fee", .oneoff = true};
    OK(&f, billing_post(&o, &le, NULL, &st));
    int64_t problems = 0, invoices = 0;
    reg_status rs = {0};
    assert_int_equal(invoice_verify(f.d, &invoices, &problems, NULL, NULL, &rs), REG_OK);
    assert_int_equal(problems, 1);
    f.now = APR_1 + 31 * DAY;
    run_month(&f, "2027-04", &seen, &res);
    assert_int_equal(res.oneoff, 1);
    assert_int_equal(res.issued, 0);
    verify_clean(&f);

    /* exports */
    assert_int_equal(invoice_get(f.d, 1, &inv, &rs), REG_OK);
    strbuf out;
    sb_init(&out);
    assert_int_equal(web_invoice_csv(f.d, &inv, &out, &rs), REG_OK);
    const char *buf = sb_str(&out);
    assert_non_null(strstr(buf, "invoice,issued,registrar,kind,period,line"));
    assert_non_null(strstr(buf, ",oneoff,,1,"));
    assert_non_null(strstr(buf, "manual handling of a transfer,20000,200.00,NOK\r\n"));
    sb_reset(&out);
    assert_int_equal(web_invoice_html(f.d, &inv, "no", &out, &rs), REG_OK);
    buf = sb_str(&out);
    assert_non_null(strstr(buf, "<!DOCTYPE html>"));
    assert_non_null(strstr(buf, "The .no registry"));
    assert_non_null(strstr(buf, "REGA"));
    assert_non_null(strstr(buf, "<strong>200.00 NOK</strong>"));
    sb_free(&out);
    invoice_free(&inv);
    teardown(&f);
}

static void csv_and_html_escaping(void **state)
{
    (void)state;
    strbuf out;
    sb_init(&out);
    csv_field(&out, "plain");
    sb_putc(&out, '|');
    csv_field(&out, "a,b \"q\"");
    sb_putc(&out, '|');
    html_escape(&out, "<b>&'\"");
    assert_string_equal(sb_str(&out), "plain|\"a,b \"\"q\"\"\"|&lt;b&gt;&amp;&#39;&quot;");
    sb_free(&out);
    reg_time start, end;
    assert_int_equal(invoice_month("2027-12", &start, &end), REG_OK);
    char a[REG_TIME_STRLEN], b[REG_TIME_STRLEN];
    assert_string_equal(clock_format(start, a, sizeof a), "2027-12-01T00:00:00Z");
    assert_string_equal(clock_format(end, b, sizeof b), "2028-01-01T00:00:00Z");
    assert_int_not_equal(invoice_month("2027-13", &start, &end), REG_OK);
    assert_int_not_equal(invoice_month("2027-1", &start, &end), REG_OK);
    assert_int_not_equal(invoice_month("27-01-01", &start, &end), REG_OK);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amounts_parse_and_format),
        cmocka_unit_test(rebate_rounding_half_up),
        cmocka_unit_test(csv_and_html_escaping),
        BOTH_BACKENDS(price_resolution_R24),
        BOTH_BACKENDS(charge_needs_funds_R23),
        BOTH_BACKENDS(unpriced_operation_is_refused_item4),
        BOTH_BACKENDS(price_check_lists_unpriced_item4),
        BOTH_BACKENDS(low_balance_warning_once_per_crossing),
        BOTH_BACKENDS(verify_detects_tampering),
        BOTH_BACKENDS(statement_running_balance),
        BOTH_BACKENDS(invoices_gapless_and_idempotent),
        BOTH_BACKENDS(oneoff_fee_invoice_R17),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    clock_set_real();
    return failed;
}
