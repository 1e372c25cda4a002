/* Management models and the registry's terms on both backends (R18-R20,
 * R26): the terms a create must carry and what is stored of them; the
 * registrar's default management model and the staff change of a
 * domain's model; the billing path of registrant-managed domains (the
 * create debited from the registrar, every renewal invoiced to the
 * registrant with its mail, registrar-managed renewals debited as before);
 * the contact-check reminder to registrants of registrar-managed domains,
 * once per interval; the registrars' name-service and DNSSEC flags and
 * the report of those that offer the one without the other. */
#include "regfixture.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "notify/outbox.h"
#include "registry/billing.h"
#include "registry/contact.h"
#include "registry/contact_check.h"
#include "registry/domain.h"
#include "registry/lifecycle.h"
#include "registry/management.h"
#include "registry/registrant_invoice.h"
#include "registry/registrar.h"
#include "registry/registrar_services.h"
#include "registry/terms.h"

#define ACCEPTED "2026-12-01T10:00:00Z" /* as in TERMS */

/* The shared fixture with the billing, renewal and contact-check policy of
 * these tests; REGB's domains are registrant-managed by default (R18). */
static void open_fx(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    struct registry_policy *p = &f->policy;
    p->autorenew = true;
    p->terms_version = "1.0";
    p->currency = "DKK";
    p->registrant_invoice_due = 30 * DAY;
    p->contact_check_interval = 365 * DAY;
    struct registrar_services_change registrant =
        {.default_management = "registrant", .name_service = -1, .dnssec = -1};
    reg_status st = {0};
    assert_int_equal(registrar_services_set(f->d, "REGB", &registrant, &st), REG_OK);
}

/* A person sponsored by `registrar` with id <HANDLE>:<id>, with a full
 * postal address in GB (no language of its own: the registry writes in
 * English), as invoices and contact-check reminders show it. */
static void billed_person(struct fixture *f, int64_t registrar, const char *id, const char *email,
                          const char *name)
{
    struct contact_create_req r;
    memset(&r, 0, sizeof r);
    r.id = (char *)id;
    r.d.postal[CONTACT_LOC] = (struct contact_postal){.present = true,
                                                      .name = (char *)name,
                                                      .org = (char *)"Hansen ApS",
                                                      .street = {(char *)"Vestergade 1"},
                                                      .pc = (char *)"8000",
                                                      .city = (char *)"Aarhus C",
                                                      .cc = (char *)"GB"};
    r.d.email = (char *)email;
    r.d.voice = (char *)"+45.12345678";
    r.d.kind = (char *)"person";
    create_contact(f, registrar, &r, NULL);
}

/* A one-year domain of `registrar` with the management model asked for
 * (NULL: the registrar's default); its expiry. */
static reg_time managed_domain(struct fixture *f, int64_t registrar, const char *name,
                               const char *registrant, const char *management)
{
    struct domain_create in = {.name = name, .registrant = registrant, .management = management,
                               TERMS};
    return make_domain_as(f, registrar, &in);
}

/* The domain as staff see it (caller frees). */
static void load(struct fixture *f, const char *name, struct domain *d)
{
    struct reg_op op = staff(f);
    reg_status st = {0};
    bool full;
    if (domain_info(&op, name, NULL, d, &full, &st))
        fail_msg("load %s: %s", name, reg_status_text(&st));
}

/* --- R20: the registry's terms ---------------------------------------------------- */

static reg_err create_with_terms(struct fixture *f, const char *name, const char *version,
                                 const char *accepted, reg_status *st)
{
    struct domain_create in = {.name = name, .registrant = "REGA:HOLDER",
                               .terms_version = version, .terms_accepted = accepted};
    struct reg_op op = op_as(f, f->a);
    return domain_create(&op, &in, NULL, st);
}

static void test_R20_terms_recorded_at_create(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r20_recorded");
    billed_person(&f, f.a, "holder", "holder@example.test", "Jens Hansen");
    managed_domain(&f, f.a, "agreed.dk", "REGA:HOLDER", NULL);
    struct domain d;
    load(&f, "agreed.dk", &d);
    reg_time accepted;
    assert_int_equal(clock_parse(ACCEPTED, &accepted), REG_OK);
    assert_string_equal(d.terms_version, "1.0");
    assert_int_equal(d.terms_accepted_at, accepted);
    assert_string_equal(d.terms_registrar, "REGA");
    domain_free(&d);
    /* kept in the domain's history too (R40) */
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM history WHERE object_key = 'agreed.dk' AND "
                                "snapshot LIKE '%\"terms\":{\"accepted\":%\"version\":\"1.0\"}%'",
                            NULL),
                     1);
    /* a transfer leaves them as the registering registrar vouched */
    exec_sql(&f, "UPDATE domain SET sponsor_id = (SELECT id FROM registrar WHERE handle = 'REGB')");
    load(&f, "agreed.dk", &d);
    assert_string_equal(d.terms_registrar, "REGA");
    assert_string_equal(d.sponsor, "REGB");
    domain_free(&d);
    teardown(&f);
}

static void test_R20_terms_missing_other_version_or_future_2306(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r20_refused");
    billed_person(&f, f.a, "holder", "holder@example.test", "Jens Hansen");
    reg_status st;
    /* missing: either part */
    EXPECT(&f, create_with_terms(&f, "t.dk", NULL, NULL, &st), REG_ERR_POLICY, st);
    assert_contains(st.reason, "regd:terms");
    assert_contains(st.reason, "version 1.0");
    EXPECT(&f, create_with_terms(&f, "t.dk", "1.0", NULL, &st), REG_ERR_POLICY, st);
    EXPECT(&f, create_with_terms(&f, "t.dk", "", ACCEPTED, &st), REG_ERR_POLICY, st);
    /* another version: the reason names the current one */
    EXPECT(&f, create_with_terms(&f, "t.dk", "0.9", ACCEPTED, &st), REG_ERR_POLICY, st);
    assert_contains(st.reason, "terms version 0.9 is not accepted: the current version is 1.0");
    /* in the future (beyond a registrar clock running a little fast) */
    char ts[REG_TIME_STRLEN];
    clock_format(T0 + TERMS_CLOCK_SKEW + 1, ts, sizeof ts);
    EXPECT(&f, create_with_terms(&f, "t.dk", "1.0", ts, &st), REG_ERR_POLICY, st);
    assert_contains(st.reason, "is in the future");
    EXPECT(&f, create_with_terms(&f, "t.dk", "1.0", "2028-01-01T00:00:00Z", &st), REG_ERR_POLICY,
           st);
    /* not a time with a zone */
    EXPECT(&f, create_with_terms(&f, "t.dk", "1.0", "2026-12-01T10:00:00", &st), REG_ERR_POLICY,
           st);
    assert_contains(st.reason, "not a time with a zone");
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM domain", NULL), 0);

    /* a clock a minute fast is not the future */
    clock_format(T0 + 60, ts, sizeof ts);
    EXPECT(&f, create_with_terms(&f, "fast.dk", "1.0", ts, &st), REG_OK, st);
    /* a new version: the old one is refused unless still accepted */
    f.policy.terms_version = "2.0";
    EXPECT(&f, create_with_terms(&f, "old.dk", "1.0", ACCEPTED, &st), REG_ERR_POLICY, st);
    assert_contains(st.reason, "the current version is 2.0");
    f.policy.terms_also_accept = "1.5, 1.0";
    EXPECT(&f, create_with_terms(&f, "old.dk", "1.0", ACCEPTED, &st), REG_OK, st);
    EXPECT(&f, create_with_terms(&f, "new.dk", "2.0", ACCEPTED, &st), REG_OK, st);
    EXPECT(&f, create_with_terms(&f, "other.dk", "1", ACCEPTED, &st), REG_ERR_POLICY, st);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM domain", NULL), 3);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM domain WHERE terms_version = ?", "1.0"), 2);
    teardown(&f);
}

/* --- R18: management models ------------------------------------------------------- */

static void test_R18_registrar_default_or_chosen_at_create(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r18_default");
    billed_person(&f, f.a, "holder", "holder@example.test", "Jens Hansen");
    billed_person(&f, f.b, "holder", "holder-b@example.test", "Bo Berg");
    managed_domain(&f, f.a, "a-default.dk", "REGA:HOLDER", NULL);
    managed_domain(&f, f.a, "a-chosen.dk", "REGA:HOLDER", "registrant");
    managed_domain(&f, f.b, "b-default.dk", "REGB:HOLDER", NULL); /* REGB defaults to registrant */
    managed_domain(&f, f.b, "b-chosen.dk", "REGB:HOLDER", "registrar");
    static const struct {
        const char *name, *want;
    } cases[] = {{"a-default.dk", "registrar"},
                 {"a-chosen.dk", "registrant"},
                 {"b-default.dk", "registrant"},
                 {"b-chosen.dk", "registrar"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct domain d;
        load(&f, cases[i].name, &d);
        if (strcmp(d.management, cases[i].want))
            fail_msg("%s: %s, want %s", cases[i].name, d.management, cases[i].want);
        domain_free(&d);
    }
    /* staff change a registrar's default; new domains follow */
    reg_status st = {0};
    struct registrar_services_change c =
        {.default_management = "registrant", .name_service = -1, .dnssec = -1};
    assert_int_equal(registrar_services_set(f.d, "rega", &c, &st), REG_OK);
    managed_domain(&f, f.a, "a-later.dk", "REGA:HOLDER", NULL);
    struct domain d;
    load(&f, "a-later.dk", &d);
    assert_string_equal(d.management, "registrant");
    domain_free(&d);
    /* bad models are refused everywhere */
    c.default_management = "owner";
    assert_int_equal(registrar_services_set(f.d, "REGA", &c, &st), REG_ERR_INVALID);
    struct registrar_new r = {.handle = "REGD", .name = "D", .password = "secret-pw1",
                              .default_management = "owner"};
    assert_int_equal(registrar_add(f.d, &r, &st), REG_ERR_INVALID);
    struct domain_create in = {.name = "bad.dk", .registrant = "REGA:HOLDER",
                               .management = "registry", .terms_version = "1.0",
                               .terms_accepted = ACCEPTED};
    struct reg_op op = op_as(&f, f.a);
    EXPECT(&f, domain_create(&op, &in, NULL, &st), REG_ERR_INVALID, st);
    teardown(&f);
}

static void test_R18_staff_change_kept_in_history_and_told(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r18_change");
    billed_person(&f, f.a, "holder", "holder@example.test", "Jens Hansen");
    managed_domain(&f, f.a, "moving.dk", "REGA:HOLDER", NULL);
    take_mails(&f);
    struct reg_op op = staff(&f);
    reg_status st;
    EXPECT(&f, domain_set_management(&op, "MOVING.dk", "registrant", &st), REG_OK, st);
    struct domain d;
    load(&f, "moving.dk", &d);
    assert_string_equal(d.management, "registrant");
    domain_free(&d);
    /* R40: a version with who and how */
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM history WHERE object_key = 'moving.dk' AND "
                                "action = 'management' AND actor = 'staff' AND channel = "
                                "'regctl' AND snapshot LIKE '%\"management\":\"registrant\"%'",
                            NULL),
                     1);
    /* the sponsor's poll queue, the registrant's mailbox */
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM poll_message WHERE kind = 'change' AND "
                                "object_name = 'moving.dk' AND message LIKE "
                                "'%now registrant-managed%'",
                            NULL),
                     1);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "holder@example.test");
    assert_string_equal(ms->cause[0], "management-change");
    assert_string_equal(ms->subject[0], "Domain moving.dk: now registrant-managed");
    assert_contains(ms->body[0], "the registry deals with you directly");
    /* the same again changes nothing; bad input neither */
    EXPECT(&f, domain_set_management(&op, "moving.dk", "registrant", &st), REG_ERR_POLICY, st);
    assert_contains(st.reason, "registrant-managed already");
    EXPECT(&f, domain_set_management(&op, "moving.dk", "both", &st), REG_ERR_INVALID, st);
    EXPECT(&f, domain_set_management(&op, "nowhere.dk", "registrar", &st), REG_ERR_NOT_FOUND, st);
    assert_int_equal(take_mails(&f)->n, 0);
    /* and back */
    EXPECT(&f, domain_set_management(&op, "moving.dk", "registrar", &st), REG_OK, st);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_contains(ms->body[0], "managed for you by its registrar Alpha Registrar (REGA)");
    teardown(&f);
}

/* --- R19: the billing path ---------------------------------------------------------- */

static int64_t debits(struct fixture *f, const char *object, const char *operation)
{
    db_stmt *s = db_query(f->d, "SELECT COALESCE(SUM(-amount), 0) FROM ledger WHERE kind = "
                                "'debit' AND object_name = ? AND operation = ?");
    db_bind_text(s, 1, object);
    db_bind_text(s, 2, operation);
    int64_t v = db_next(s) ? db_col_int(s, 0) : -1;
    if (db_done(s))
        fail_msg("debits: %s", db_errmsg(f->d));
    return v;
}

/* Each problem registrant_invoice_verify reports, one a line, into arg
 * (600 bytes). */
static void keep_problem(const char *problem, void *arg)
{
    char *said = arg;
    size_t n = strlen(said);
    snprintf(said + n, 600 - n, "%s\n", problem);
}

static void test_R19_create_debited_renewals_invoiced_to_registrant(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r19_billing");
    set_price(&f, "create", 0, 1000, 0, 0);
    set_price(&f, "renew", 0, 800, 0, 0);
    set_price(&f, "autorenew", 0, 700, 0, 0);
    /* REGA's own agreement (R24) is for what REGA pays, not the registrant */
    set_price(&f, "renew", 0, 100, f.a, 0);
    reg_status st;
    struct reg_op so = staff(&f);
    EXPECT(&f, billing_rebate_set(&so, f.a, 5000, 0, &st), REG_OK, st);
    post_entry(&f, f.a, "credit", 100000, "payment");
    billed_person(&f, f.a, "holder", "holder@example.test", "Jens Hansen");
    reg_time exp = managed_domain(&f, f.a, "self.dk", "REGA:HOLDER", "registrant");
    managed_domain(&f, f.a, "agent.dk", "REGA:HOLDER", "registrar");
    /* the first period: debited from the registrar like any create */
    assert_int_equal(debits(&f, "self.dk", "create"), 500);
    assert_int_equal(debits(&f, "agent.dk", "create"), 500);
    take_mails(&f);

    /* EPP renew of the registrant-managed domain: not debited; invoiced */
    f.now = T0 + 100 * DAY;
    struct reg_op op = op_as(&f, f.a);
    reg_time next = 0;
    EXPECT(&f, domain_renew(&op, "self.dk", "2028-01-01", 24, &next, &st), REG_OK, st);
    assert_int_equal(next, clock_add_months(exp, 24));
    assert_int_equal(debits(&f, "self.dk", "renew"), 0);
    struct registrant_invoice inv;
    assert_int_equal(registrant_invoice_get(f.d, 1, &inv, &st), REG_OK);
    assert_string_equal(inv.domain, "self.dk");
    assert_string_equal(inv.operation, "renew");
    assert_int_equal(inv.years, 2);
    assert_int_equal(inv.amount, 1600); /* the default price: 2 × 800 */
    assert_string_equal(inv.currency, "DKK");
    assert_int_equal(inv.period_start, exp);
    assert_int_equal(inv.period_end, next);
    assert_int_equal(inv.issued_at, f.now);
    assert_int_equal(inv.due_at, f.now + 30 * DAY);
    assert_string_equal(inv.sponsor, "REGA");
    assert_string_equal(inv.payer_kind, "registrant");
    assert_string_equal(inv.payer_handle, "REGA:HOLDER");
    assert_string_equal(inv.payer_name, "Jens Hansen");
    assert_string_equal(inv.payer_org, "Hansen ApS");
    assert_string_equal(inv.payer_address, "Vestergade 1\n8000 Aarhus C\nGB");
    assert_string_equal(inv.payer_email, "holder@example.test");
    assert_string_equal(inv.svtrid, "TEST-1");
    registrant_invoice_free(&inv);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "holder@example.test");
    assert_string_equal(ms->cause[0], "registrant-renewal");
    assert_string_equal(ms->subject[0], "Domain self.dk renewed until 2030-01-01: invoice R1");
    assert_contains(ms->body[0], "Invoice R1\nIssued:    2027-04-11\nDue:       2027-05-11\n"
                                 "Billed to: Jens Hansen\n           Hansen ApS\n"
                                 "           Vestergade 1\n           8000 Aarhus C\n"
                                 "           GB\nContact:   REGA:HOLDER\n");
    assert_contains(ms->body[0], "Renewal of self.dk for 2 years, 2028-01-01 to 2030-01-01: "
                                 "16.00 DKK\nTotal: 16.00 DKK");
    assert_contains(ms->body[0], "Alpha Registrar (REGA)");

    /* the registrar-managed one is renewed at its registrar's price */
    EXPECT(&f, domain_renew(&op, "agent.dk", "2028-01-01", 12, &next, &st), REG_OK, st);
    assert_int_equal(debits(&f, "agent.dk", "renew"), 50); /* override 100, rebate 50% */
    assert_int_equal(take_mails(&f)->n, 0);                /* the registry does not write */

    /* autorenew at expiry: the registrant-managed domain is invoiced, the
     * registrar-managed one debited; the sponsor hears of both */
    f.now = clock_add_months(exp, 12); /* agent.dk's new expiry */
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE domain SET expires_at = %lld WHERE name = 'self.dk'",
             (long long)f.now); /* as if it had been renewed for one year only */
    exec_sql(&f, sql);
    assert_int_equal(run_job(&f, f.now, lifecycle_autorenew), 2);
    /* REGA's renew override comes before the default autorenew price */
    assert_int_equal(debits(&f, "agent.dk", "autorenew"), 50);
    assert_int_equal(debits(&f, "self.dk", "autorenew"), 0);
    assert_int_equal(registrant_invoice_get(f.d, 2, &inv, &st), REG_OK);
    assert_string_equal(inv.domain, "self.dk");
    assert_string_equal(inv.operation, "autorenew");
    assert_int_equal(inv.years, 1);
    assert_int_equal(inv.amount, 700);
    assert_int_equal(inv.period_start, f.now);
    assert_null(inv.svtrid);
    registrant_invoice_free(&inv);
    assert_int_equal(registrant_invoice_get(f.d, 3, &inv, &st), REG_ERR_NOT_FOUND);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_contains(ms->subject[0], "invoice R2");
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM poll_message WHERE message LIKE "
                                "'Registry autoRenew of %'",
                            NULL),
                     2);
    /* running again renews nothing, invoices nothing */
    assert_int_equal(run_job(&f, f.now, lifecycle_autorenew), 0);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM registrant_invoice", NULL), 2);

    /* without a price: renewed, nothing to pay, the registrant is told */
    exec_sql(&f, "DELETE FROM price WHERE operation = 'renew'");
    op = op_as(&f, f.a);
    char date[16];
    struct domain d;
    load(&f, "self.dk", &d);
    clock_format_date(d.expires_at, date, sizeof date);
    domain_free(&d);
    EXPECT(&f, domain_renew(&op, "self.dk", date, 12, &next, &st), REG_OK, st);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM registrant_invoice", NULL), 2);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_contains(ms->body[0], "There is nothing to pay for this renewal.");

    /* the numbers are gapless and the counter agrees */
    int64_t n = 0, problems = 0;
    assert_int_equal(registrant_invoice_verify(f.d, &n, &problems, NULL, NULL, &st), REG_OK);
    assert_int_equal(n, 2);
    assert_int_equal(problems, 0);
    exec_sql(&f, "UPDATE registrant_invoice_counter SET last = 5");
    char said[600] = "";
    assert_int_equal(registrant_invoice_verify(f.d, &n, &problems, keep_problem, said, &st),
                     REG_OK);
    assert_int_equal(problems, 1);
    assert_string_equal(said, "the registrant invoice counter is at 5 but the last invoice is "
                              "R2\n");
    /* a gap: R1 and R3 */
    exec_sql(&f, "UPDATE registrant_invoice SET number = 3 WHERE number = 2");
    exec_sql(&f, "UPDATE registrant_invoice_counter SET last = 3");
    said[0] = '\0';
    assert_int_equal(registrant_invoice_verify(f.d, &n, &problems, keep_problem, said, &st),
                     REG_OK);
    assert_int_equal(problems, 1);
    assert_string_equal(said, "registrant invoice numbers are not R1..R2 without gaps (lowest "
                              "R1, highest R3)\n");
    teardown(&f);
}

static void collect_number(const struct registrant_invoice *inv, void *arg)
{
    char *out = arg;
    size_t n = strlen(out);
    snprintf(out + n, 64 - n, "%sR%lld", n ? " " : "", (long long)inv->number);
}

/* The self-service site's view (R19): a contact sees the invoices billed
 * to it, not another's, and keeps its own after the domain passed on. */
static void test_R19_invoices_a_registrant_may_see_their_state_and_the_next(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r19_held");
    set_price(&f, "renew", 0, 800, 0, 0);
    billed_person(&f, f.a, "holder", "holder@example.test", "Jens Hansen");
    billed_person(&f, f.a, "other", "other@example.test", "Eva Olsen");
    reg_time exp = managed_domain(&f, f.a, "self.dk", "REGA:HOLDER", "registrant");
    managed_domain(&f, f.a, "theirs.dk", "REGA:OTHER", "registrant");
    f.now = T0 + 100 * DAY;
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    reg_time next;
    EXPECT(&f, domain_renew(&op, "self.dk", "2028-01-01", 12, &next, &st), REG_OK, st);
    EXPECT(&f, domain_renew(&op, "theirs.dk", "2028-01-01", 12, &next, &st), REG_OK, st);
    int64_t holder = scalar(&f, "SELECT id FROM contact WHERE handle = 'REGA:HOLDER'", NULL);
    int64_t other = scalar(&f, "SELECT id FROM contact WHERE handle = 'REGA:OTHER'", NULL);
    char seen[64] = "";
    EXPECT(&f, registrant_invoice_each_held(f.d, holder, collect_number, seen, &st), REG_OK, st);
    assert_string_equal(seen, "R1");
    seen[0] = '\0';
    EXPECT(&f, registrant_invoice_each_held(f.d, other, collect_number, seen, &st), REG_OK, st);
    assert_string_equal(seen, "R2");
    struct registrant_invoice inv;
    EXPECT(&f, registrant_invoice_get_held(f.d, holder, 1, &inv, &st), REG_OK, st);
    assert_string_equal(inv.domain, "self.dk");
    /* open until its due date, overdue after it, while no payment is recorded */
    assert_string_equal(registrant_invoice_state(&inv, inv.due_at), "open");
    assert_string_equal(registrant_invoice_state(&inv, inv.due_at + 1), "overdue");
    registrant_invoice_free(&inv);
    assert_int_equal(registrant_invoice_get_held(f.d, holder, 2, &inv, &st), REG_ERR_NOT_FOUND);
    assert_int_equal(registrant_invoice_get_held(f.d, holder, 3, &inv, &st), REG_ERR_NOT_FOUND);

    /* self.dk passes to OTHER: HOLDER keeps its invoice, OTHER does not
     * get it */
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE domain SET registrant_id = %lld WHERE name = 'self.dk'",
             (long long)other);
    exec_sql(&f, sql);
    seen[0] = '\0';
    EXPECT(&f, registrant_invoice_each_held(f.d, holder, collect_number, seen, &st), REG_OK, st);
    assert_string_equal(seen, "R1");
    seen[0] = '\0';
    EXPECT(&f, registrant_invoice_each_held(f.d, other, collect_number, seen, &st), REG_OK, st);
    assert_string_equal(seen, "R2");
    assert_int_equal(registrant_invoice_get_held(f.d, other, 1, &inv, &st), REG_ERR_NOT_FOUND);

    /* the next invoice: the autorenew at expiry of a registrant-managed
     * domain, when the registry renews at expiry */
    reg_time at = 0;
    assert_true(registrant_invoice_next(&f.policy, "registrant", exp, &at));
    assert_int_equal(at, exp);
    assert_false(registrant_invoice_next(&f.policy, "registrar", exp, &at));
    f.policy.autorenew = false;
    assert_false(registrant_invoice_next(&f.policy, "registrant", exp, &at));
    teardown(&f);
}

/* R19: staff record a registrant's payment once, with its reference and
 * who recorded it; the invoice shows as paid from then on, even past its
 * due date; a second record, a missing reference or an unknown number is
 * refused and changes nothing. */
static void test_R19_payment_recorded_once(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r19_paid");
    set_price(&f, "renew", 0, 800, 0, 0);
    billed_person(&f, f.a, "holder", "holder@example.test", "Jens Hansen");
    managed_domain(&f, f.a, "paid.dk", "REGA:HOLDER", "registrant");
    f.now = T0 + 100 * DAY;
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    reg_time next;
    EXPECT(&f, domain_renew(&op, "paid.dk", "2028-01-01", 12, &next, &st), REG_OK, st);
    struct reg_op s = staff(&f);
    assert_int_equal(registrant_invoice_paid(&s, 1, "", &st), REG_ERR_MISSING);
    assert_int_equal(registrant_invoice_paid(&s, 9, "bank 1", &st), REG_ERR_NOT_FOUND);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM registrant_invoice WHERE paid_at IS NULL",
                            NULL), 1);
    f.now += 3 * DAY;
    s = staff(&f);
    EXPECT(&f, registrant_invoice_paid(&s, 1, "bank 2027-04-13 ref 88123", &st), REG_OK, st);
    f.now += DAY;
    s = staff(&f);
    assert_int_equal(registrant_invoice_paid(&s, 1, "bank again", &st), REG_ERR_EXISTS);
    assert_contains(st.reason, "reference bank 2027-04-13 ref 88123");
    struct registrant_invoice inv;
    EXPECT(&f, registrant_invoice_get(f.d, 1, &inv, &st), REG_OK, st);
    assert_int_equal(inv.paid_at, T0 + 103 * DAY);
    assert_string_equal(inv.payment_ref, "bank 2027-04-13 ref 88123");
    assert_string_equal(registrant_invoice_state(&inv, inv.due_at + 1), "paid");
    registrant_invoice_free(&inv);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM registrant_invoice WHERE paid_by = 'staff'",
                            NULL), 1);
    teardown(&f);
}

static void test_R19_invoice_numbers_parse(void **state)
{
    (void)state;
    int64_t n = 0;
    /* registrant invoice numbers (the prefix and a number; spelled through
     * the prefix so that no literal reads as one of the design's rule ids) */
#define INV REGISTRANT_INVOICE_PREFIX
    assert_true(registrant_invoice_number_parse(INV "7", &n));
    assert_int_equal(n, 7);
    char lower[8]; /* the prefix in lower case is accepted too */
    snprintf(lower, sizeof lower, "%c120", tolower((unsigned char)INV[0]));
    assert_true(registrant_invoice_number_parse(lower, &n));
    assert_int_equal(n, 120);
    static const char *const bad[] = {"7", INV, INV "0", INV "07", INV "-1", INV "1x", "RR1", "",
                                      INV "99999999999999999999"};
#undef INV
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (registrant_invoice_number_parse(bad[i], &n))
            fail_msg("\"%s\" parsed", bad[i]);
    assert_false(registrant_invoice_number_parse(NULL, &n));
}

/* R19: every notice about a registrant-managed domain reaches its
 * registrant; with on_expiry = expire nothing is renewed or invoiced and
 * the expiry notice (R11) goes to the registrant. */
static void test_R19_expiry_notice_reaches_the_registrant(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r19_expiry");
    f.policy.autorenew = false;
    set_price(&f, "renew", 0, 800, 0, 0);
    billed_person(&f, f.a, "holder", "holder@example.test", "Jens Hansen");
    reg_time exp = managed_domain(&f, f.a, "lapsing.dk", "REGA:HOLDER", "registrant");
    take_mails(&f);
    assert_int_equal(run_job(&f, exp + DAY, lifecycle_autorenew), 0);
    assert_int_equal(run_job(&f, exp + DAY, lifecycle_expiry_notice), 1);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM registrant_invoice", NULL), 0);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "holder@example.test");
    assert_string_equal(ms->cause[0], "domain-expired");
    assert_contains(ms->body[0], "as its registrant");
    teardown(&f);
}

/* --- R19: contact-check reminders ----------------------------------------------------- */

static int remind(struct fixture *f, reg_time when)
{
    return run_job(f, when, contact_check_remind);
}

static void test_R19_contact_check_reminder_once_per_interval(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r19_check");
    billed_person(&f, f.a, "early", "early@example.test", "Erik Early");
    billed_person(&f, f.a, "late", "late@example.test", "Lone Late");
    billed_person(&f, f.a, "self", "self@example.test", "Sofie Self");
    managed_domain(&f, f.a, "early-one.dk", "REGA:EARLY", NULL);
    managed_domain(&f, f.a, "early-two.dk", "REGA:EARLY", NULL);
    managed_domain(&f, f.a, "early-own.dk", "REGA:EARLY", "registrant"); /* not listed */
    managed_domain(&f, f.a, "self-only.dk", "REGA:SELF", "registrant");  /* never asked */
    f.now = T0 + 100 * DAY;
    managed_domain(&f, f.a, "late.dk", "REGA:LATE", NULL);
    take_mails(&f);

    assert_int_equal(remind(&f, T0 + 365 * DAY - 1), 0);
    assert_int_equal(remind(&f, T0 + 365 * DAY), 1);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "early@example.test");
    assert_string_equal(ms->cause[0], "contact-check");
    assert_string_equal(ms->subject[0], "Please check your contact data in the .dk registry");
    assert_contains(ms->body[0], "Hello Erik Early,");
    assert_contains(ms->body[0], "  early-one.dk, registrar Alpha Registrar (REGA)\n"
                                 "  early-two.dk, registrar Alpha Registrar (REGA)\n\n");
    assert_false(strstr(ms->body[0], "early-own.dk"));
    assert_contains(ms->body[0], "as contact REGA:EARLY:\n"
                                 "  Name:         Erik Early\n"
                                 "  Organisation: Hansen ApS\n"
                                 "  Address:      Vestergade 1\n"
                                 "                8000 Aarhus C\n"
                                 "                GB\n"
                                 "  Phone:        +45.12345678\n"
                                 "  E-mail:       early@example.test\n");
    /* once per interval: not again until a year after this one */
    assert_int_equal(remind(&f, T0 + 365 * DAY), 0);
    assert_int_equal(remind(&f, T0 + 400 * DAY), 0);
    assert_int_equal(remind(&f, T0 + 465 * DAY), 1); /* late.dk's registrant */
    ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "late@example.test");
    assert_int_equal(remind(&f, T0 + 730 * DAY - 1), 0);
    assert_int_equal(remind(&f, T0 + 730 * DAY), 1);
    assert_string_equal(take_mails(&f)->to[0], "early@example.test");
    assert_int_equal(scalar_or(&f, "SELECT contact_check_sent_at FROM contact WHERE handle = ?",
                               "REGA:EARLY", -1),
                     T0 + 730 * DAY);
    assert_int_equal(scalar_or(&f, "SELECT contact_check_sent_at FROM contact WHERE handle = ?",
                               "REGA:SELF", -1),
                     -1);

    /* a shorter interval applies at once; domains being deleted do not count */
    f.policy.contact_check_interval = 30 * DAY;
    exec_sql(&f, "UPDATE domain SET delete_requested_at = 1 WHERE name = 'late.dk'");
    assert_int_equal(remind(&f, T0 + 760 * DAY), 1);
    assert_string_equal(take_mails(&f)->to[0], "early@example.test");
    teardown(&f);
}

/* --- R26: name service and DNSSEC ------------------------------------------------------ */

struct gaps {
    int n;
    char handles[8][20];
};

static void gap(const char *handle, const char *name, void *arg)
{
    struct gaps *g = arg;
    (void)name;
    if (g->n < 8)
        snprintf(g->handles[g->n], sizeof g->handles[0], "%s", handle);
    g->n++;
}

static void test_R26_name_service_without_dnssec_reported(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r26_dnssec");
    reg_status st = {0};
    struct registrar_services s;
    assert_int_equal(registrar_services_get(f.d, "REGA", &s, &st), REG_OK);
    assert_false(s.name_service);
    assert_false(s.dnssec);
    assert_string_equal(s.default_management, "registrar");
    struct gaps g = {0};
    assert_int_equal(registrar_dnssec_gap_each(f.d, gap, &g, &st), REG_OK);
    assert_int_equal(g.n, 0);

    struct registrar_services_change both = {.name_service = 1, .dnssec = 1},
        ns_only = {.name_service = 1, .dnssec = -1};
    assert_int_equal(registrar_services_set(f.d, "REGA", &both, &st), REG_OK);
    assert_int_equal(registrar_services_set(f.d, "REGB", &ns_only, &st), REG_OK);
    assert_int_equal(registrar_services_set(f.d, "regc", &ns_only, &st), REG_OK);
    assert_int_equal(registrar_services_get(f.d, "REGB", &s, &st), REG_OK);
    assert_true(s.name_service);
    assert_false(s.dnssec);
    assert_string_equal(s.default_management, "registrant"); /* untouched */
    g = (struct gaps){0};
    assert_int_equal(registrar_dnssec_gap_each(f.d, gap, &g, &st), REG_OK);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.handles[0], "REGB");
    assert_string_equal(g.handles[1], "REGC");
    /* REGC starts signing; REGB stops offering name service */
    struct registrar_services_change dnssec = {.name_service = -1, .dnssec = 1},
        no_ns = {.name_service = 0, .dnssec = -1};
    assert_int_equal(registrar_services_set(f.d, "REGC", &dnssec, &st), REG_OK);
    assert_int_equal(registrar_services_set(f.d, "REGB", &no_ns, &st), REG_OK);
    g = (struct gaps){0};
    assert_int_equal(registrar_dnssec_gap_each(f.d, gap, &g, &st), REG_OK);
    assert_int_equal(g.n, 0);
    assert_int_equal(registrar_services_set(f.d, "NOBODY", &dnssec, &st), REG_ERR_NOT_FOUND);
    assert_int_equal(registrar_services_get(f.d, "NOBODY", &s, &st), REG_ERR_NOT_FOUND);
    teardown(&f);
}

/* The public details WHOIS and RDAP show: each checked before anything is
 * written, "" clears, NULL keeps. */
static void test_registrar_public_details_set_checked_and_cleared(void **state)
{
    struct fixture f;
    open_fx(state, &f, "registrar_details");
    reg_status st = {0};
    struct registrar_services_change c = {.name_service = -1, .dnssec = -1,
                                          .name = "Registrar A/S",
                                          .email = "support@rega.example",
                                          .url = "https://www.rega.example/",
                                          .phone = "+45.70201234"};
    assert_int_equal(registrar_services_set(f.d, "REGA", &c, &st), REG_OK);
    struct registrar r;
    assert_int_equal(registrar_get(f.d, "REGA", &r, &st), REG_OK);
    assert_string_equal(r.name, "Registrar A/S");
    assert_string_equal(r.email, "support@rega.example");
    assert_string_equal(r.url, "https://www.rega.example/");
    assert_string_equal(r.phone, "+45.70201234");
    registrar_free(&r);

    /* each bad value refused, naming it, and the good one beside it not written */
    struct {
        struct registrar_services_change c;
        reg_err code;
        const char *reason;
    } bad[] = {
        {{.name_service = -1, .dnssec = -1, .url = "ftp://rega.example", .phone = "+45.1"},
         REG_ERR_INVALID, "web address \"ftp://rega.example\""},
        {{.name_service = -1, .dnssec = -1, .url = "https://rega.example/a b"}, REG_ERR_INVALID,
         "without spaces"},
        {{.name_service = -1, .dnssec = -1, .url = "https://"}, REG_ERR_INVALID, "web address"},
        {{.name_service = -1, .dnssec = -1, .phone = "70201234", .url = "https://x.example"},
         REG_ERR_INVALID, "+CC.NNNNNNNN"},
        {{.name_service = -1, .dnssec = -1, .email = "nobody", .phone = "+45.1"},
         REG_ERR_INVALID, "email \"nobody\""},
        {{.name_service = -1, .dnssec = -1, .name = "", .phone = "+45.1"}, REG_ERR_MISSING,
         "needs a name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        st = (reg_status){0};
        assert_int_equal(registrar_services_set(f.d, "REGA", &bad[i].c, &st), bad[i].code);
        assert_non_null(strstr(reg_status_text(&st), bad[i].reason));
    }
    assert_int_equal(registrar_get(f.d, "REGA", &r, &st), REG_OK);
    assert_string_equal(r.url, "https://www.rega.example/");
    assert_string_equal(r.phone, "+45.70201234");
    registrar_free(&r);

    /* "" clears; what is not named stays */
    struct registrar_services_change clear = {.name_service = -1, .dnssec = -1, .url = "",
                                              .phone = ""};
    assert_int_equal(registrar_services_set(f.d, "REGA", &clear, &st), REG_OK);
    assert_int_equal(registrar_get(f.d, "REGA", &r, &st), REG_OK);
    assert_null(r.url);
    assert_null(r.phone);
    assert_string_equal(r.email, "support@rega.example");
    assert_string_equal(r.name, "Registrar A/S");
    registrar_free(&r);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(test_R20_terms_recorded_at_create),
        BOTH_BACKENDS(test_R20_terms_missing_other_version_or_future_2306),
        BOTH_BACKENDS(test_R18_registrar_default_or_chosen_at_create),
        BOTH_BACKENDS(test_R18_staff_change_kept_in_history_and_told),
        BOTH_BACKENDS(test_R19_create_debited_renewals_invoiced_to_registrant),
        BOTH_BACKENDS(test_R19_invoices_a_registrant_may_see_their_state_and_the_next),
        BOTH_BACKENDS(test_R19_payment_recorded_once),
        cmocka_unit_test(test_R19_invoice_numbers_parse),
        BOTH_BACKENDS(test_R19_expiry_notice_reaches_the_registrant),
        BOTH_BACKENDS(test_R19_contact_check_reminder_once_per_interval),
        BOTH_BACKENDS(test_R26_name_service_without_dnssec_reported),
        BOTH_BACKENDS(test_registrar_public_details_set_checked_and_cleared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
