/* Auth-code requests (R15, authinfo_request.c), one-time passwords for
 * transfers (R14, R16, otp.c) and the manual route (R17), transport-free,
 * on both backends. The password is read back from the outbox row the
 * registry queued, as the registrant would read it. Every call runs in a
 * transaction of its own that a failure rolls back, as the EPP workers
 * do; a wrong password is then counted with otp_count_wrong, as the EPP
 * layer does after the rollback. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/secret.h"
#include "registry/authinfo_request.h"
#include "registry/billing.h"
#include "registry/domain.h"
#include "registry/invoice.h"
#include "registry/otp.h"
#include "registry/poll.h"

#define MONDAY ((reg_time)1799056800) /* Monday 2027-01-04T10:00:00Z */
#define TTL (14 * DAY)
#define PW "Auth-Pw-1"

/* ---- fixture ------------------------------------------------------------------ */

/* The fixture from MONDAY with a pending-transfer policy, the working days,
 * auth-code and one-time-password settings of these tests, and two
 * contacts of REGA: REGA:HOLDER with a mobile number and REGA:NOMOBILE
 * without. */
static void open_fx(void **state, struct fixture *f, const char *base)
{
    setup_at(state, f, base, MONDAY);
    struct registry_policy *p = &f->policy;
    p->transfer_immediate = false; /* a password moves the domain at once even so */
    p->authinfo_deadline_days = 5;
    char err[128];
    assert_int_equal(workdays_parse("2027-01-06", &p->holidays, err, sizeof err), REG_OK);
    p->otp_ttl = TTL;
    p->otp_max_attempts = 5;
    p->otp_manual_fee = 20000;
    make_person(f, f->a, "HOLDER", "holder@example.dk", "Jens Hansen", "+45.12345678");
    make_person(f, f->a, "NOMOBILE", "nomobile@example.dk", "Jens Hansen", NULL);
}

/* A domain of REGA. */
static void create_domain(struct fixture *f, const char *name, const char *registrant,
                          const char *authinfo)
{
    struct domain_create in = {.name = name, .registrant = registrant, .authinfo = authinfo, TERMS};
    make_domain_as(f, f->a, &in);
}

static void assert_sponsor(struct fixture *f, const char *domain, const char *want)
{
    char *got = text_of(f, "SELECT r.handle FROM domain d JOIN registrar r ON r.id = "
                           "d.sponsor_id WHERE d.name = ?", domain);
    if (!got || strcmp(got, want))
        fail_msg("%s is sponsored by %s, want %s", domain, got ? got : "(nobody)", want);
    free(got);
}

/* The password in the newest OTP message, as the registrant reads it. */
static void last_password(struct fixture *f, char code[OTP_DISPLAY_LEN], char *to, size_t tolen)
{
    char *body = text_of(f, "SELECT body FROM outbox WHERE cause = 'otp' ORDER BY id DESC LIMIT 1",
                         NULL);
    char *rcpt = text_of(f, "SELECT recipient FROM outbox WHERE cause = 'otp' ORDER BY id DESC "
                            "LIMIT 1", NULL);
    assert_non_null(body);
    const char *p = strstr(body, "password:  ");
    p = p ? p + strlen("password:  ") : strstr(body, "One-time password ");
    if (p && !strncmp(p, "One-time password ", 18))
        p += 18;
    assert_non_null(p);
    snprintf(code, OTP_DISPLAY_LEN, "%.*s", OTP_DISPLAY_LEN - 1, p);
    assert_int_equal(code[5], '-');
    if (to)
        snprintf(to, tolen, "%s", rcpt);
    free(body);
    free(rcpt);
}

static struct otp_sent request_otp(struct fixture *f, int64_t registrar, const char *domain,
                                   const char *channel)
{
    struct reg_op o = op_as(f, registrar);
    struct otp_sent sent;
    reg_status st;
    OK(f, otp_request(&o, domain, channel, &sent, &st));
    return sent;
}

/* A transfer request as the EPP layer makes it: a wrong password is
 * counted after the failed command was rolled back. */
static reg_err transfer(struct fixture *f, int64_t registrar, const char *domain,
                        const char *code, bool *pending, reg_status *st)
{
    struct reg_op o = op_as(f, registrar);
    struct domain_transfer_info t;
    reg_err e = TX(f, domain_transfer(&o, XFER_REQUEST, domain, AUTH(code), 0, &t, pending, st));
    if (e && t.wrong_otp) {
        reg_status ignored = {0};
        assert_int_equal(TX(f, otp_count_wrong(&o, t.wrong_otp, &ignored)), REG_OK);
    }
    return e;
}

static int64_t otp_attempts(struct fixture *f, const char *domain)
{
    return scalar(f, "SELECT o.attempts FROM otp o JOIN domain d ON d.id = o.domain_id WHERE "
                     "d.name = ? ORDER BY o.id DESC LIMIT 1", domain);
}

static char *otp_state(struct fixture *f, const char *domain)
{
    return text_of(f, "SELECT o.state FROM otp o JOIN domain d ON d.id = o.domain_id WHERE "
                      "d.name = ? ORDER BY o.id DESC LIMIT 1", domain);
}

static void assert_otp_state(struct fixture *f, const char *domain, const char *want)
{
    char *got = otp_state(f, domain);
    if (!got || strcmp(got, want))
        fail_msg("the newest password of %s is %s, want %s", domain, got ? got : "(none)", want);
    free(got);
}

/* ---- the password itself ---------------------------------------------------- */

static void test_R16_password_alphabet_and_normalising(void **state)
{
    (void)state;
    int seen[256] = {0};
    for (int i = 0; i < 2000; i++) {
        char code[OTP_CODE_LEN + 1];
        assert_int_equal(otp_generate(code), REG_OK);
        assert_int_equal(strlen(code), OTP_CODE_LEN);
        for (const char *c = code; *c; c++) {
            assert_non_null(strchr(OTP_ALPHABET, *c));
            seen[(unsigned char)*c]++;
        }
    }
    /* 20000 characters: every one of the 32 turns up, none that looks alike */
    for (const char *c = OTP_ALPHABET; *c; c++)
        assert_true(seen[(unsigned char)*c] > 0);
    assert_int_equal(seen['0'] + seen['O'] + seen['1'] + seen['I'], 0);
    /* 10 characters of 32: 50 bits (DESIGN §11, at least 40) */
    assert_int_equal(strlen(OTP_ALPHABET), 32);
    char out[OTP_CODE_LEN + 1];
    assert_true(otp_normalize("abcde-fghjk", out));
    assert_string_equal(out, "ABCDEFGHJK");
    assert_true(otp_normalize(" ABCDE FGHJK ", out));
    assert_string_equal(out, "ABCDEFGHJK");
    assert_false(otp_normalize("ABCDE-FGHJ", out));   /* 9 */
    assert_false(otp_normalize("ABCDE-FGHJKL", out)); /* 11 */
    assert_false(otp_normalize("ABCDE-FGHJ0", out));  /* not in the alphabet */
    assert_false(otp_normalize("ABCDE_FGHJK", out));
    assert_false(otp_normalize("", out));
    assert_false(otp_normalize(NULL, out));
}

/* ---- R14, R16 ------------------------------------------------------------------- */

static void test_R16_password_by_email_moves_the_domain_at_once(void **state)
{
    struct fixture f;
    open_fx(state, &f, "otp_email");
    create_domain(&f, "noauth.dk", "REGA:HOLDER", NULL);
    /* R14: no auth info and no password: refused, saying how */
    reg_status st = {0};
    bool pending = true;
    EXPECT_OWN_TX(transfer(&f, f.b, "noauth.dk", NULL, &pending, &st), REG_ERR_AUTHINFO, st);
    assert_non_null(strstr(st.reason, "<regd:otp channel=\"email\"/>"));
    EXPECT_OWN_TX(transfer(&f, f.b, "noauth.dk", "Guess-1", &pending, &st), REG_ERR_AUTHINFO, st);

    struct otp_sent sent = request_otp(&f, f.b, "NOAUTH.dk", "email");
    assert_string_equal(sent.domain, "noauth.dk");
    assert_string_equal(sent.channel, "email");
    assert_string_equal(sent.sent_to, "holder@example.dk");
    assert_int_equal(sent.expires_at, MONDAY + TTL);
    char code[OTP_DISPLAY_LEN], to[64];
    last_password(&f, code, to, sizeof to);
    assert_string_equal(to, "holder@example.dk");
    char *subject = text_of(&f, "SELECT subject FROM outbox WHERE cause = 'otp'", NULL);
    assert_string_equal(subject, "One-time password to move the domain noauth.dk");
    free(subject);
    char *body = text_of(&f, "SELECT body FROM outbox WHERE cause = 'otp'", NULL);
    assert_non_null(strstr(body, "registrar Beta Registrar (REGB)"));
    assert_non_null(strstr(body, "until 2027-01-18T10:00:00Z"));
    free(body);
    /* stored hashed, bound to REGB */
    char *hash = text_of(&f, "SELECT hash FROM otp", NULL);
    char plain[OTP_CODE_LEN + 1];
    assert_true(otp_normalize(code, plain));
    assert_null(strstr(hash, plain));
    assert_true(secret_authinfo_verify(hash, plain, NULL));
    free(hash);
    assert_int_equal(scalar(&f, "SELECT registrar_id FROM otp", NULL), f.b);
    assert_otp_state(&f, "noauth.dk", "active");

    /* another registrar cannot use it */
    EXPECT_OWN_TX(transfer(&f, f.c, "noauth.dk", code, &pending, &st), REG_ERR_AUTHINFO, st);
    assert_int_equal(otp_attempts(&f, "noauth.dk"), 0);
    /* the right registrar with the right password, in pending mode: at once */
    f.now += DAY;
    char lower[OTP_DISPLAY_LEN];
    for (size_t i = 0; i < sizeof lower; i++)
        lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
    EXPECT_OWN_TX(transfer(&f, f.b, "noauth.dk", lower, &pending, &st), REG_OK, st);
    assert_false(pending);
    assert_sponsor(&f, "noauth.dk", "REGB");
    assert_otp_state(&f, "noauth.dk", "used");
    assert_int_equal(scalar(&f, "SELECT used_at FROM otp", NULL), MONDAY + DAY);
    char *status = text_of(&f, "SELECT status FROM transfer", NULL);
    assert_string_equal(status, "serverApproved");
    free(status);
    /* both sides hear of it as of any completed transfer */
    struct poll_msg m;
    assert_int_equal(poll_count(&f, f.a, &m), 1);
    assert_string_equal(m.label, "transfer");
    assert_int_equal(m.kind, POLL_TRANSFER);
    assert_non_null(strstr(m.message, "one-time password"));
    assert_string_equal(m.u.transfer.status, "serverApproved");
    poll_msg_free(&m);
    assert_int_equal(poll_count(&f, f.b, NULL), 1);
    teardown(&f);
}

static void test_R16_wrong_tries_are_counted_then_void(void **state)
{
    struct fixture f;
    open_fx(state, &f, "otp_wrong");
    create_domain(&f, "guarded.dk", "REGA:HOLDER", PW);
    request_otp(&f, f.b, "guarded.dk", "email");
    char code[OTP_DISPLAY_LEN];
    last_password(&f, code, NULL, 0);
    reg_status st = {0};
    bool pending;
    for (int i = 1; i <= 4; i++) {
        EXPECT_OWN_TX(transfer(&f, f.b, "guarded.dk", "AAAAA-AAAAA", &pending, &st), REG_ERR_AUTHINFO, st);
        assert_int_equal(otp_attempts(&f, "guarded.dk"), i);
        assert_otp_state(&f, "guarded.dk", "active");
        char want[64];
        snprintf(want, sizeof want, "(%d more wrong %s", 5 - i, 5 - i == 1 ? "try" : "tries");
        assert_non_null(strstr(st.reason, want));
        assert_non_null(strstr(st.reason, "the auth info or your one-time password"));
    }
    /* the fifth wrong try voids the password */
    EXPECT_OWN_TX(transfer(&f, f.b, "guarded.dk", "not-even-a-code", &pending, &st), REG_ERR_AUTHINFO, st);
    assert_non_null(strstr(st.reason, "that was the last try"));
    assert_otp_state(&f, "guarded.dk", "void");
    assert_int_equal(otp_attempts(&f, "guarded.dk"), 5);
    /* the right password is no use now */
    EXPECT_OWN_TX(transfer(&f, f.b, "guarded.dk", code, &pending, &st), REG_ERR_AUTHINFO, st);
    assert_non_null(strstr(st.reason, "the auth info for guarded.dk is not correct"));
    assert_sponsor(&f, "guarded.dk", "REGA");
    /* a new password works */
    request_otp(&f, f.b, "guarded.dk", "email");
    last_password(&f, code, NULL, 0);
    EXPECT_OWN_TX(transfer(&f, f.b, "guarded.dk", code, &pending, &st), REG_OK, st);
    assert_false(pending);
    assert_sponsor(&f, "guarded.dk", "REGB");
    teardown(&f);
}

static void test_R16_one_use_one_per_registrar_and_expiry(void **state)
{
    struct fixture f;
    open_fx(state, &f, "otp_life");
    create_domain(&f, "life.dk", "REGA:HOLDER", NULL);
    create_domain(&f, "late.dk", "REGA:HOLDER", NULL);
    reg_status st = {0};
    bool pending;
    /* a new request by the same registrar voids its older password; another
     * registrar's stays */
    request_otp(&f, f.c, "life.dk", "email");
    char c_code[OTP_DISPLAY_LEN], old[OTP_DISPLAY_LEN], code[OTP_DISPLAY_LEN];
    last_password(&f, c_code, NULL, 0);
    request_otp(&f, f.b, "life.dk", "email");
    last_password(&f, old, NULL, 0);
    request_otp(&f, f.b, "life.dk", "email");
    last_password(&f, code, NULL, 0);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM otp WHERE state = 'void'", NULL), 1);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM otp WHERE state = 'active'", NULL), 2);
    if (strcmp(old, code))
        EXPECT_OWN_TX(transfer(&f, f.b, "life.dk", old, &pending, &st), REG_ERR_AUTHINFO, st);
    EXPECT_OWN_TX(transfer(&f, f.b, "life.dk", code, &pending, &st), REG_OK, st);
    /* the move voided REGC's password */
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM otp WHERE state = 'active'", NULL), 0);
    EXPECT_OWN_TX(transfer(&f, f.c, "life.dk", c_code, &pending, &st), REG_ERR_AUTHINFO, st);
    /* single use: back to REGA with auth info, then REGB's used password again */
    struct reg_op b = op_of(&f, "REGB");
    struct domain_update set = {.name = "life.dk", .chg_authinfo = true, .authinfo = PW};
    OK(&f, domain_update(&b, &set, &st));
    struct reg_op a = op_of(&f, "REGA");
    struct domain_transfer_info t;
    OK(&f, domain_transfer(&a, XFER_REQUEST, "life.dk", AUTH(PW), 0, &t, &pending, &st));
    assert_true(pending); /* auth info follows [transfer] mode */
    struct reg_op approve = op_of(&f, "REGB");
    OK(&f, domain_transfer(&approve, XFER_APPROVE, "life.dk", NULL, 0, &t, &pending, &st));
    assert_sponsor(&f, "life.dk", "REGA");
    EXPECT_OWN_TX(transfer(&f, f.b, "life.dk", code, &pending, &st), REG_ERR_AUTHINFO, st);
    assert_non_null(strstr(st.reason, "has no auth info"));

    /* expiry: refused after ttl, removed by the job */
    request_otp(&f, f.b, "late.dk", "email");
    last_password(&f, code, NULL, 0);
    f.now = MONDAY + TTL;
    EXPECT_OWN_TX(transfer(&f, f.b, "late.dk", code, &pending, &st), REG_ERR_AUTHINFO, st);
    assert_non_null(strstr(st.reason, "expired at 2027-01-18T10:00:00Z"));
    assert_int_equal(otp_attempts(&f, "late.dk"), 0);
    assert_int_equal(run_job(&f, MONDAY + TTL - 1, otp_expire_due), 0);
    assert_int_equal(run_job(&f, MONDAY + TTL, otp_expire_due), 4); /* used, void and active */
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM otp", NULL), 0);
    EXPECT_OWN_TX(transfer(&f, f.b, "late.dk", code, &pending, &st), REG_ERR_AUTHINFO, st);
    assert_non_null(strstr(st.reason, "has no auth info"));
    teardown(&f);
}

static void test_R16_sms_and_refusals(void **state)
{
    struct fixture f;
    open_fx(state, &f, "otp_sms");
    create_domain(&f, "mobile.dk", "REGA:HOLDER", NULL);
    create_domain(&f, "nomobile.dk", "REGA:NOMOBILE", NULL);
    create_domain(&f, "locked.dk", "REGA:HOLDER", NULL);
    struct otp_sent sent = request_otp(&f, f.b, "mobile.dk", "sms");
    assert_string_equal(sent.sent_to, "+4512345678");
    char code[OTP_DISPLAY_LEN], to[64];
    last_password(&f, code, to, sizeof to);
    assert_string_equal(to, "+4512345678");
    char *channel = text_of(&f, "SELECT channel FROM outbox WHERE cause = 'otp'", NULL);
    assert_string_equal(channel, "sms");
    free(channel);
    bool pending;
    reg_status st = {0};
    EXPECT_OWN_TX(transfer(&f, f.b, "mobile.dk", code, &pending, &st), REG_OK, st);
    assert_sponsor(&f, "mobile.dk", "REGB");

    struct reg_op b = op_of(&f, "REGB"), a = op_of(&f, "REGA");
    struct otp_sent s;
    ERR(&f, REG_ERR_POLICY, otp_request(&b, "nomobile.dk", "sms", &s, &st));
    assert_non_null(strstr(st.reason, "no mobile number"));
    /* every contact object has an email; data from elsewhere may not */
    exec_sql(&f, "UPDATE contact SET email = '' WHERE handle = 'REGA:NOMOBILE'");
    ERR(&f, REG_ERR_POLICY, otp_request(&b, "nomobile.dk", "email", &s, &st));
    assert_non_null(strstr(st.reason, "(contact REGA:NOMOBILE) has no e-mail address to send "
                                      "the password to; ask the registry to set one"));
    ERR(&f, REG_ERR_NOT_TRANSFERABLE, otp_request(&a, "nomobile.dk", "email", &s, &st));
    ERR(&f, REG_ERR_NOT_FOUND, otp_request(&b, "nothing.dk", "email", &s, &st));
    ERR(&f, REG_ERR_INVALID, otp_request(&b, "nomobile.dk", "pigeon", &s, &st));
    struct domain_update lock = {.name = "locked.dk", .add_status = {"clientTransferProhibited"},
                                 .nadd_status = 1};
    OK(&f, domain_update(&a, &lock, &st));
    ERR(&f, REG_ERR_STATUS_PROHIBITS, otp_request(&b, "locked.dk", "email", &s, &st));
    /* nothing was stored or queued for the refusals */
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM otp", NULL), 1);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM outbox WHERE cause = 'otp'", NULL), 1);
    teardown(&f);
}

/* ---- R15 ---------------------------------------------------------------------------- */

static void test_R15_request_deadline_poll_and_closing(void **state)
{
    struct fixture f;
    reg_status st;
    open_fx(state, &f, "authreq");
    create_domain(&f, "wanted.dk", "REGA:HOLDER", NULL);
    create_domain(&f, "other.dk", "REGA:HOLDER", NULL);
    struct reg_op regctl = staff(&f);
    struct authinfo_req r;
    bool existed = true;
    OK(&f, authinfo_request(&regctl, "WANTED.dk", "asked by phone", &r, &existed, &st));
    assert_false(existed);
    assert_string_equal(r.domain, "wanted.dk");
    assert_string_equal(r.registrar, "REGA");
    assert_int_equal(r.requested_at, MONDAY);
    /* Monday 4 January, Wednesday 6 a holiday: 5, 7, 8, 11, 12 */
    char ts[REG_TIME_STRLEN];
    assert_string_equal(clock_format(r.deadline, ts, sizeof ts), "2027-01-12T23:59:59Z");
    struct poll_msg m;
    assert_int_equal(poll_count(&f, f.a, &m), 1);
    assert_string_equal(m.label, "authinfoRequest");
    assert_string_equal(m.object_name, "wanted.dk");
    assert_non_null(strstr(m.message, "by the end of 2027-01-12"));
    assert_non_null(strstr(m.message, "Note: asked by phone"));
    poll_msg_free(&m);
    /* a second request while one is open: the same one, no new message */
    OK(&f, authinfo_request(&regctl, "wanted.dk", NULL, &r, &existed, &st));
    assert_true(existed);
    assert_int_equal(poll_count(&f, f.a, NULL), 1);
    drain_poll(&f, f.a);

    /* removing auth info does not answer it; setting it does (by the sponsor) */
    struct reg_op a = op_of(&f, "REGA");
    struct domain_update rm = {.name = "wanted.dk", .chg_authinfo = true, .authinfo = NULL};
    OK(&f, domain_update(&a, &rm, &st));
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM authinfo_request WHERE closed_at IS NULL",
                            NULL), 1);
    f.now = MONDAY + 2 * DAY;
    a = op_of(&f, "REGA");
    struct domain_update set = {.name = "wanted.dk", .chg_authinfo = true, .authinfo = PW};
    OK(&f, domain_update(&a, &set, &st));
    char *outcome = text_of(&f, "SELECT outcome FROM authinfo_request", NULL);
    assert_string_equal(outcome, "authinfo-set");
    free(outcome);
    assert_int_equal(scalar(&f, "SELECT closed_at FROM authinfo_request", NULL), MONDAY + 2 * DAY);
    ERR(&f, REG_ERR_NOT_PENDING, authinfo_request_done(&regctl, "wanted.dk", &r, &st));

    /* staff close one; a transfer closes another */
    OK(&f, authinfo_request(&regctl, "other.dk", NULL, &r, &existed, &st));
    OK(&f, authinfo_request_done(&regctl, "other.dk", &r, &st));
    assert_string_equal(r.outcome, "done");
    assert_string_equal(r.closed_by, "staff");
    OK(&f, authinfo_request(&regctl, "wanted.dk", NULL, &r, &existed, &st));
    assert_false(existed);
    struct reg_op b = op_of(&f, "REGB");
    struct domain_transfer_info t;
    bool pending;
    OK(&f, domain_transfer(&b, XFER_REQUEST, "wanted.dk", AUTH(PW), 0, &t, &pending, &st));
    struct reg_op approve = op_of(&f, "REGA");
    OK(&f, domain_transfer(&approve, XFER_APPROVE, "wanted.dk", NULL, 0, &t, &pending, &st));
    outcome = text_of(&f, "SELECT outcome FROM authinfo_request ORDER BY id DESC LIMIT 1", NULL);
    assert_string_equal(outcome, "transferred");
    free(outcome);
    ERR(&f, REG_ERR_NOT_FOUND, authinfo_request(&regctl, "none.dk", NULL, &r, &existed, &st));
    char longnote[AUTHINFO_NOTE_MAX + 2];
    memset(longnote, 'x', sizeof longnote - 1);
    longnote[sizeof longnote - 1] = '\0';
    ERR(&f, REG_ERR_RANGE, authinfo_request(&regctl, "other.dk", longnote, &r, &existed, &st));
    teardown(&f);
}

static void count_one(const struct authinfo_req *r, void *arg)
{
    (void)r;
    (*(int *)arg)++;
}

static int count_rows(struct fixture *f, authinfo_list which)
{
    struct reg_op o = staff(f);
    int n = 0;
    reg_status st = {0};
    assert_int_equal(authinfo_request_each(&o, which, count_one, &n, &st), REG_OK);
    return n;
}

static void test_R15_overdue_after_weekend_and_holiday(void **state)
{
    struct fixture f;
    reg_status st;
    open_fx(state, &f, "authdue");
    create_domain(&f, "slow.dk", "REGA:HOLDER", NULL);
    struct reg_op regctl = staff(&f);
    struct authinfo_req r;
    bool existed;
    OK(&f, authinfo_request(&regctl, "slow.dk", NULL, &r, &existed, &st));
    drain_poll(&f, f.a);
    /* the deadline is Tuesday 12 January (weekend and a holiday between) */
    f.now = r.deadline;
    assert_int_equal(count_rows(&f, AUTHINFO_LIST_OVERDUE), 0);
    assert_int_equal(count_rows(&f, AUTHINFO_LIST_OPEN), 1);
    assert_int_equal(run_job(&f, f.now, authinfo_requests_overdue), 0);
    f.now = r.deadline + 1;
    assert_int_equal(count_rows(&f, AUTHINFO_LIST_OVERDUE), 1);
    assert_int_equal(run_job(&f, f.now, authinfo_requests_overdue), 1);
    struct poll_msg m;
    assert_int_equal(poll_count(&f, f.a, &m), 1);
    assert_string_equal(m.label, "authinfoOverdue");
    assert_non_null(strstr(m.message, "slow.dk is overdue"));
    poll_msg_free(&m);
    /* once */
    assert_int_equal(run_job(&f, f.now, authinfo_requests_overdue), 0);
    assert_int_equal(count_rows(&f, AUTHINFO_LIST_ALL), 1);
    OK(&f, authinfo_request_done(&regctl, "slow.dk", &r, &st));
    assert_int_equal(count_rows(&f, AUTHINFO_LIST_OVERDUE), 0);
    assert_int_equal(count_rows(&f, AUTHINFO_LIST_OPEN), 0);
    assert_int_equal(count_rows(&f, AUTHINFO_LIST_ALL), 1);
    teardown(&f);
}

/* The self-service page's view: the newest request and whether it is
 * overdue (past its deadline, or reported by the job). */
static void test_R15_latest_request_and_overdue(void **state)
{
    struct fixture f;
    reg_status st;
    open_fx(state, &f, "authlatest");
    create_domain(&f, "late.dk", "REGA:HOLDER", NULL);
    struct reg_op o = staff(&f);
    struct authinfo_req r, latest;
    bool existed, found = true;
    OK(&f, authinfo_request_latest(&o, "late.dk", &latest, &found, &st));
    assert_false(found);
    OK(&f, authinfo_request(&o, "late.dk", NULL, &r, &existed, &st));
    OK(&f, authinfo_request_latest(&o, "late.dk", &latest, &found, &st));
    assert_true(found);
    assert_int_equal(latest.id, r.id);
    assert_int_equal(latest.overdue_at, 0);
    assert_false(authinfo_request_overdue(&o, &latest));
    o.now = r.deadline + 1; /* past the deadline, before the job */
    assert_true(authinfo_request_overdue(&o, &latest));
    /* the job reported it (its clock moved): overdue whatever this clock says */
    assert_int_equal(run_job(&f, r.deadline + 1, authinfo_requests_overdue), 1);
    o = staff(&f);
    OK(&f, authinfo_request_latest(&o, "late.dk", &latest, &found, &st));
    assert_int_equal(latest.overdue_at, r.deadline + 1);
    assert_true(authinfo_request_overdue(&o, &latest));
    /* closed: never overdue; a newer request is the latest */
    OK(&f, authinfo_request_done(&o, "late.dk", &r, &st));
    OK(&f, authinfo_request_latest(&o, "late.dk", &latest, &found, &st));
    assert_int_not_equal(latest.closed_at, 0);
    assert_false(authinfo_request_overdue(&o, &latest));
    struct authinfo_req again;
    OK(&f, authinfo_request(&o, "late.dk", NULL, &again, &existed, &st));
    OK(&f, authinfo_request_latest(&o, "late.dk", &latest, &found, &st));
    assert_int_equal(latest.id, again.id);
    assert_false(authinfo_request_overdue(&o, &latest));
    teardown(&f);
}

/* ---- R17 ------------------------------------------------------------------------------ */

static void test_R17_manual_route(void **state)
{
    struct fixture f;
    open_fx(state, &f, "otpmanual");
    create_domain(&f, "lost.dk", "REGA:HOLDER", NULL);
    struct reg_op regctl = staff(&f);
    struct otp_manual_req in = {.domain = "lost.dk", .registrar = "REGB",
                                .email = "new-holder@example.net",
                                .documents = "certificate of registration; passport of the CEO",
                                .checked_by = "alice", .currency = "NOK"};
    struct otp_manual_result out;
    reg_status st = {0};
    /* R23: no credit for the fee: nothing at all happens */
    ERR(&f, REG_ERR_BILLING, otp_manual(&regctl, &in, &out, &st));
    char *email = text_of(&f, "SELECT email FROM contact WHERE handle = 'REGA:HOLDER'", NULL);
    assert_string_equal(email, "holder@example.dk");
    free(email);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM otp_manual", NULL), 0);
    post_entry(&f, f.b, "credit", 50000, "payment");
    struct otp_manual_req bad = in;
    bad.documents = "  ";
    ERR(&f, REG_ERR_MISSING, otp_manual(&regctl, &bad, &out, &st));
    assert_non_null(strstr(st.reason, "say which documents were checked, e.g."));
    bad = in;
    bad.registrar = "REGA";
    ERR(&f, REG_ERR_NOT_TRANSFERABLE, otp_manual(&regctl, &bad, &out, &st));
    bad = in;
    bad.email = "not-an-address";
    ERR(&f, REG_ERR_INVALID, otp_manual(&regctl, &bad, &out, &st));
    bad = in;
    bad.registrar = "NOBODY";
    ERR(&f, REG_ERR_NOT_FOUND, otp_manual(&regctl, &bad, &out, &st));

    f.now = MONDAY + DAY;
    regctl = staff(&f);
    OK(&f, otp_manual(&regctl, &in, &out, &st));
    assert_string_equal(out.domain, "lost.dk");
    assert_string_equal(out.registrar, "REGB");
    assert_string_equal(out.registrant, "REGA:HOLDER");
    assert_string_equal(out.old_email, "holder@example.dk");
    assert_string_equal(out.new_email, "new-holder@example.net");
    assert_int_equal(out.fee, 20000);
    assert_true(out.invoice_number > 0);
    assert_int_equal(out.at, MONDAY + DAY);
    /* recorded: who checked what, when */
    char *who = text_of(&f, "SELECT checked_by || ' | ' || documents FROM otp_manual", NULL);
    assert_string_equal(who, "alice | certificate of registration; passport of the CEO");
    free(who);
    /* the contact's new address, in history as staff through regctl (R40) */
    email = text_of(&f, "SELECT email FROM contact WHERE handle = 'REGA:HOLDER'", NULL);
    assert_string_equal(email, "new-holder@example.net");
    free(email);
    char *channel = text_of(&f, "SELECT actor || '/' || channel FROM history WHERE object_key = "
                                "'REGA:HOLDER' ORDER BY id DESC LIMIT 1", NULL);
    assert_string_equal(channel, "staff/regctl");
    free(channel);
    /* R10: the old and the new address are told */
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM outbox WHERE cause = 'contact-email-change'",
                            NULL), 2);
    /* the fee: a one-off invoice of one line, at once */
    struct invoice inv;
    OK(&f, invoice_get(f.d, out.invoice_number, &inv, &st));
    assert_string_equal(inv.kind, "oneoff");
    assert_int_equal(inv.total, 20000);
    assert_int_equal(inv.nlines, 1);
    assert_int_equal(inv.registrar_id, f.b);
    invoice_free(&inv);
    char *line = text_of(&f, "SELECT text FROM ledger WHERE operation = 'fee'", NULL);
    assert_string_equal(line, "Manual handling of a change of registrar for lost.dk");
    free(line);
    int64_t balance;
    assert_int_equal(billing_balance(f.d, f.b, &balance, &st), REG_OK);
    assert_int_equal(balance, 30000);
    /* ... that the monthly run does not bill again */
    f.now = MONDAY + 40 * DAY;
    regctl = staff(&f);
    struct invoice_run_result res;
    assert_int_equal(invoice_run_month(&regctl, "NOK", "2027-01", NULL, NULL, &res, &st), REG_OK);
    assert_int_equal(res.issued, 0);
    assert_int_equal(res.oneoff, 0);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM invoice", NULL), 1);

    /* REGB can now ask for a password: it goes to the new address */
    struct otp_sent sent = request_otp(&f, f.b, "lost.dk", "email");
    assert_string_equal(sent.sent_to, "new-holder@example.net");
    char code[OTP_DISPLAY_LEN];
    last_password(&f, code, NULL, 0);
    bool pending;
    EXPECT_OWN_TX(transfer(&f, f.b, "lost.dk", code, &pending, &st), REG_OK, st);
    assert_sponsor(&f, "lost.dk", "REGB");

    /* with [otp] manual_fee = 0 nothing is charged */
    create_domain(&f, "free.dk", "REGA:NOMOBILE", NULL);
    f.policy.otp_manual_fee = 0;
    in.domain = "free.dk";
    in.registrar = "REGC";
    OK(&f, otp_manual(&regctl, &in, &out, &st));
    assert_int_equal(out.fee, 0);
    assert_int_equal(out.invoice_number, 0);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM invoice", NULL), 1);
    teardown(&f);
}

/* ---- hashes an offline attacker could guess against (issue 12 item 7) ----------- */

#define OTP_HASH "SELECT hash FROM otp WHERE state = ?"

/* A 50-bit password is stored under the pepper, so a copy of the database
 * alone cannot test guesses; one stored before the pepper (salted SHA-256)
 * still works until it is used, and the used row keeps the keyed form. */
static void test_R16_password_hash_is_keyed_and_old_ones_migrate(void **state)
{
    struct fixture f;
    open_fx(state, &f, "otp_keyed");
    create_domain(&f, "noauth.dk", "REGA:HOLDER", NULL);
    request_otp(&f, f.b, "noauth.dk", "email");
    char code[OTP_DISPLAY_LEN], plain[OTP_CODE_LEN + 1];
    last_password(&f, code, NULL, 0);
    assert_true(otp_normalize(code, plain));
    test_assert_hash_form(f.d, OTP_HASH, "active", plain, true);

    /* as stored before the pepper */
    test_store_legacy_hash(f.d, "UPDATE otp SET hash = ? WHERE state = ?", "active", plain);
    test_assert_hash_form(f.d, OTP_HASH, "active", plain, false);
    reg_status st = {0};
    bool pending = true;
    EXPECT_OWN_TX(transfer(&f, f.b, "noauth.dk", "ABCDE-FGHJK", &pending, &st), REG_ERR_AUTHINFO,
                  st);
    test_assert_hash_form(f.d, OTP_HASH, "active", plain, false);
    EXPECT_OWN_TX(transfer(&f, f.b, "noauth.dk", code, &pending, &st), REG_OK, st);
    assert_false(pending);
    assert_sponsor(&f, "noauth.dk", "REGB");
    test_assert_hash_form(f.d, OTP_HASH, "used", plain, true);
    teardown(&f);
}

int main(void)
{
    secret_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_R16_password_alphabet_and_normalising),
        BOTH_BACKENDS(test_R16_password_by_email_moves_the_domain_at_once),
        BOTH_BACKENDS(test_R16_wrong_tries_are_counted_then_void),
        BOTH_BACKENDS(test_R16_one_use_one_per_registrar_and_expiry),
        BOTH_BACKENDS(test_R16_sms_and_refusals),
        BOTH_BACKENDS(test_R16_password_hash_is_keyed_and_old_ones_migrate),
        BOTH_BACKENDS(test_R15_request_deadline_poll_and_closing),
        BOTH_BACKENDS(test_R15_overdue_after_weekend_and_holiday),
        BOTH_BACKENDS(test_R15_latest_request_and_overdue),
        BOTH_BACKENDS(test_R17_manual_route),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
