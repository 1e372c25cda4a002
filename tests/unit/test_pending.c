/* Registrant confirmations (R6–R9, src/registry/pending.c) on both
 * backends: a change of registrant or a delete without verified waits for
 * the registrant's answer through the link mailed to them; confirmed →
 * applied, rejected or lapsed → dropped; the registrar hears of each
 * outcome by poll; pendingUpdate blocks other updates. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/secret.h"
#include "registry/contact.h"
#include "registry/pending.h"
#include "registry/poll.h"

#define LINK_PREFIX "https://registry.example/confirm/"
#define SECRET_TOKEN_LEN_MAX 128

static void setup_sale(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    make_contact(f, "holder", "holder@example.test", "Old Holder", NULL, NULL, NULL);
    make_contact(f, "buyer", "buyer@example.test", "New Holder", NULL, NULL, NULL);
    make_domain(f, "sold.dk", "REGA:HOLDER", NULL, 0, NULL);
    take_mails(f);
}

static struct domain load(struct fixture *f, const char *name)
{
    struct reg_op op = op_as(f, f->a);
    struct domain d;
    bool full;
    reg_status st = {0};
    if (domain_info(&op, name, NULL, &d, &full, &st))
        fail_msg("info %s: %s", name, reg_status_text(&st));
    return d;
}

static void assert_registrant(struct fixture *f, const char *name, const char *handle)
{
    struct domain d = load(f, name);
    assert_string_equal(d.registrant, handle);
    domain_free(&d);
}

/* The status and the <regd:pendingAction> of the domain. */
static void assert_waiting(struct fixture *f, const char *name, const char *status,
                           const char *kind)
{
    struct domain d = load(f, name);
    if (status)
        assert_true(status_has(&d.statuses, status));
    else
        assert_false(status_has(&d.statuses, "pendingUpdate") ||
                     status_has(&d.statuses, "pendingDelete"));
    assert_string_equal(d.pending_action, kind ? kind : "");
    domain_free(&d);
}

static reg_err change_registrant(struct fixture *f, const char *to, bool verified, bool *pending)
{
    struct domain_update u = {.name = "sold.dk", .chg_registrant = to};
    struct reg_op op = op_as(f, f->a);
    op.cltrid = "CL-42";
    reg_status st;
    reg_err e;
    EXPECT(f, (e = domain_update_request(&op, &u, verified, pending, &st)), e, st);
    return e;
}

/* The token of the one confirmation mail queued since the last look, sent
 * to `to`. */
static void take_token(struct fixture *f, const char *to, char token[SECRET_TOKEN_LEN_MAX])
{
    struct mails *ms = take_mails(f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], to);
    assert_string_equal(ms->cause[0], "confirmation-request");
    const char *p = strstr(ms->body[0], LINK_PREFIX);
    if (!p)
        fail_msg("no link in:\n%s", ms->body[0]);
    p += strlen(LINK_PREFIX);
    size_t n = strcspn(p, " \r\n");
    assert_true(n > 0 && n < SECRET_TOKEN_LEN_MAX);
    memcpy(token, p, n);
    token[n] = '\0';
}

static reg_err decide(struct fixture *f, const char *token, bool confirm, struct pending_view *v)
{
    struct reg_op op = op_as(f, 0);
    op.actor = "registrant";
    op.channel = "web";
    reg_status st;
    reg_err e;
    EXPECT(f, (e = pending_decide(&op, token, confirm, v, &st)), e, st);
    return e;
}

/* The oldest poll message of REGA, which must be about the pending action;
 * acknowledged. */
static void assert_poll(struct fixture *f, bool applied, const char *text)
{
    struct poll_msg m;
    assert_true(take_poll(f, f->a, &m));
    assert_string_equal(m.label, "pending");
    assert_int_equal(m.kind, POLL_PENDING);
    assert_contains(m.message, text);
    assert_int_equal(m.u.pending.result, applied);
    assert_string_equal(m.u.pending.cltrid, "CL-42");
    poll_msg_free(&m);
}

/* A change of sold.dk's registrant to REGA:BUYER, waiting for the holder's
 * answer; token gets the one in the link mailed to the holder. */
static void ask_holder(struct fixture *f, char token[SECRET_TOKEN_LEN_MAX])
{
    bool pending = false;
    assert_int_equal(change_registrant(f, "REGA:BUYER", false, &pending), REG_OK);
    assert_true(pending);
    take_token(f, "holder@example.test", token);
}

static void r7_registrant_change_confirmed(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r7_confirm");
    bool pending = false;
    assert_int_equal(change_registrant(&f, "REGA:BUYER", false, &pending), REG_OK);
    assert_true(pending);
    assert_registrant(&f, "sold.dk", "REGA:HOLDER"); /* nothing applied yet */
    assert_waiting(&f, "sold.dk", "pendingUpdate", "registrantChange");
    char token[SECRET_TOKEN_LEN_MAX];
    take_token(&f, "holder@example.test", token);

    struct pending_view v;
    struct reg_op op = op_as(&f, 0);
    reg_status st = {0};
    assert_int_equal(pending_find(&op, token, &v, &st), REG_OK);
    assert_string_equal(v.state, "pending");
    assert_string_equal(v.kind, "registrantChange");
    assert_string_equal(v.domain, "sold.dk");
    assert_string_equal(v.registrar_handle, "REGA");
    assert_string_equal(v.registrant_handle, "REGA:HOLDER");
    assert_string_equal(v.registrant_name, "Old Holder");
    assert_string_equal(v.new_registrant_handle, "REGA:BUYER");
    assert_int_equal(v.expires_at, f.now + 2 * DAY);

    assert_int_equal(decide(&f, token, true, &v), REG_OK);
    assert_string_equal(v.state, "confirmed");
    assert_registrant(&f, "sold.dk", "REGA:BUYER");
    assert_waiting(&f, "sold.dk", NULL, NULL);
    /* R10: the old and the new registrant hear of the change */
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 2);
    assert_contains(ms->body[mail_to(ms, "buyer@example.test")], "now the registrant");
    assert_contains(ms->body[mail_to(ms, "holder@example.test")], "no longer the registrant");
    assert_poll(&f, true, "The change of registrant of sold.dk was confirmed");
    /* single use */
    assert_int_equal(decide(&f, token, false, &v), REG_ERR_NOT_PENDING);
    assert_string_equal(v.state, "confirmed");
    assert_registrant(&f, "sold.dk", "REGA:BUYER");
    teardown(&f);
}

static void r7_registrant_change_rejected(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r7_reject");
    char token[SECRET_TOKEN_LEN_MAX];
    ask_holder(&f, token);
    struct pending_view v;
    assert_int_equal(decide(&f, token, false, &v), REG_OK);
    assert_string_equal(v.state, "rejected");
    assert_registrant(&f, "sold.dk", "REGA:HOLDER");
    assert_waiting(&f, "sold.dk", NULL, NULL);
    assert_int_equal(take_mails(&f)->n, 0);
    assert_poll(&f, false, "rejected by the registrant");
    assert_int_equal(decide(&f, token, true, &v), REG_ERR_NOT_PENDING);
    assert_registrant(&f, "sold.dk", "REGA:HOLDER");
    teardown(&f);
}

static void r7_unanswered_request_lapses(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r7_expiry");
    char token[SECRET_TOKEN_LEN_MAX];
    ask_holder(&f, token);

    reg_time asked = f.now;
    assert_int_equal(run_job(&f, asked + 2 * DAY - 1, pending_expire_due), 0); /* not yet */
    assert_waiting(&f, "sold.dk", "pendingUpdate", "registrantChange");

    assert_int_equal(run_job(&f, asked + 2 * DAY, pending_expire_due), 1);
    assert_waiting(&f, "sold.dk", NULL, NULL);
    assert_registrant(&f, "sold.dk", "REGA:HOLDER");
    assert_poll(&f, false, "not confirmed by the registrant in time");
    struct pending_view v;
    assert_int_equal(decide(&f, token, true, &v), REG_ERR_NOT_PENDING);
    assert_string_equal(v.state, "expired");
    assert_registrant(&f, "sold.dk", "REGA:HOLDER");
    teardown(&f);
}

/* A click after the deadline but before the job ran counts as lapsed. */
static void r7_late_answer_is_refused(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r7_late");
    char token[SECRET_TOKEN_LEN_MAX];
    ask_holder(&f, token);
    f.now += 2 * DAY;
    struct pending_view v;
    assert_int_equal(decide(&f, token, true, &v), REG_ERR_NOT_PENDING);
    assert_string_equal(v.state, "expired");
    assert_registrant(&f, "sold.dk", "REGA:HOLDER");
    assert_int_equal(run_job(&f, f.now, pending_expire_due), 1); /* the job drops it */
    assert_waiting(&f, "sold.dk", NULL, NULL);
    teardown(&f);
}

static void r8_verified_applies_at_once(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r8_verified");
    bool pending = true;
    assert_int_equal(change_registrant(&f, "REGA:BUYER", true, &pending), REG_OK);
    assert_false(pending);
    assert_registrant(&f, "sold.dk", "REGA:BUYER");
    assert_waiting(&f, "sold.dk", NULL, NULL);
    assert_int_equal(take_mails(&f)->n, 2); /* the R10 notices only */
    teardown(&f);
}

/* R6: the registrant's own contact object again is no change of
 * registrant; editing that contact's fields is not one either. */
static void r6_same_registrant_is_no_change(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r6_same");
    bool pending = true;
    assert_int_equal(change_registrant(&f, "rega:holder", false, &pending), REG_OK);
    assert_false(pending);
    assert_waiting(&f, "sold.dk", NULL, NULL);
    struct contact_update_req u = {.id = "REGA:HOLDER", .email = "holder2@example.test"};
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    EXPECT(&f, contact_update(&op, &u, &st), REG_OK, st);
    assert_waiting(&f, "sold.dk", NULL, NULL);
    teardown(&f);
}

static void r9_pending_update_blocks_updates(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r9_blocks");
    bool pending = false;
    change_registrant(&f, "REGA:BUYER", false, &pending);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    struct domain_update u = {.name = "sold.dk", .add_status = {"clientHold"}, .nadd_status = 1};
    EXPECT(&f, domain_update_request(&op, &u, false, &pending, &st), REG_ERR_STATUS_PROHIBITS,
           st);
    assert_contains(st.reason, "pendingUpdate");
    EXPECT(&f, domain_update_request(&op, &u, true, &pending, &st), REG_ERR_STATUS_PROHIBITS, st);
    /* nor a second change of registrant, nor a delete, nor a transfer */
    assert_int_equal(change_registrant(&f, "REGA:HOLDER", false, &pending),
                     REG_ERR_STATUS_PROHIBITS);
    enum domain_delete_outcome out;
    EXPECT(&f, domain_delete_request(&op, "sold.dk", true, &out, &st), REG_ERR_STATUS_PROHIBITS,
           st);
    teardown(&f);
}

/* The whole command is tried at the request: what would fail fails now. */
static void r7_request_is_checked_at_once(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r7_checked");
    bool pending = false;
    assert_int_equal(change_registrant(&f, "REGA:NOBODY", false, &pending), REG_ERR_NOT_FOUND);
    struct domain_update u = {.name = "sold.dk", .chg_registrant = "REGA:BUYER",
                              .add_ns = {"ns1.nowhere.invalid"}, .nadd_ns = 1};
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    EXPECT(&f, domain_update_request(&op, &u, false, &pending, &st), REG_ERR_NOT_FOUND, st);
    struct domain_update auth = {.name = "sold.dk", .chg_registrant = "REGA:BUYER",
                                 .chg_authinfo = true, .authinfo = "New-Auth-1"};
    EXPECT(&f, domain_update_request(&op, &auth, false, &pending, &st), REG_ERR_POLICY, st);
    assert_contains(st.reason, "separate update");
    assert_waiting(&f, "sold.dk", NULL, NULL);
    assert_int_equal(take_mails(&f)->n, 0);
    struct domain_update other = {.name = "sold.dk", .add_status = {"clientHold"},
                                  .nadd_status = 1};
    EXPECT(&f, domain_update_request(&op, &other, false, &pending, &st), REG_OK, st);
    assert_false(pending); /* no change of registrant: applied at once */
    teardown(&f);
}

/* Confirmed, but the new registrant was deleted meanwhile: nothing is
 * applied, and the registrar is told why. */
static void r7_confirmed_change_that_no_longer_applies(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r7_failed");
    char token[SECRET_TOKEN_LEN_MAX];
    ask_holder(&f, token);
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    EXPECT(&f, contact_delete(&op, "REGA:BUYER", &st), REG_OK, st);
    struct pending_view v;
    assert_int_equal(decide(&f, token, true, &v), REG_OK);
    assert_string_equal(v.state, "failed");
    assert_string_equal(v.reason, "contact REGA:BUYER does not exist");
    assert_registrant(&f, "sold.dk", "REGA:HOLDER");
    assert_waiting(&f, "sold.dk", NULL, NULL);
    assert_poll(&f, false, "could not be applied: contact REGA:BUYER does not exist");
    teardown(&f);
}

static void r7_delete_confirmed(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r7_delete");
    struct reg_op op = op_as(&f, f.a);
    op.cltrid = "CL-42";
    reg_status st;
    enum domain_delete_outcome out = DOMAIN_DELETE_DONE;
    EXPECT(&f, domain_delete_request(&op, "sold.dk", false, &out, &st), REG_OK, st);
    assert_int_equal(out, DOMAIN_DELETE_AWAITING_REGISTRANT);
    assert_waiting(&f, "sold.dk", "pendingDelete", "delete");
    struct domain d = load(&f, "sold.dk");
    assert_string_equal(d.rgp, ""); /* not deleted yet */
    domain_free(&d);
    char token[SECRET_TOKEN_LEN_MAX];
    take_token(&f, "holder@example.test", token);

    struct pending_view v;
    assert_int_equal(decide(&f, token, true, &v), REG_OK);
    d = load(&f, "sold.dk");
    assert_string_equal(d.rgp, "redemptionPeriod"); /* RFC 3915 from here on */
    assert_string_equal(d.pending_action, "");
    domain_free(&d);
    assert_poll(&f, true, "The delete of sold.dk was confirmed");
    teardown(&f);
}

static void r7_delete_rejected_and_verified(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r7_delete_rej");
    struct reg_op op = op_as(&f, f.a);
    op.cltrid = "CL-42";
    reg_status st;
    enum domain_delete_outcome out;
    EXPECT(&f, domain_delete_request(&op, "sold.dk", false, &out, &st), REG_OK, st);
    char token[SECRET_TOKEN_LEN_MAX];
    take_token(&f, "holder@example.test", token);
    struct pending_view v;
    assert_int_equal(decide(&f, token, false, &v), REG_OK);
    assert_waiting(&f, "sold.dk", NULL, NULL);
    assert_poll(&f, false, "rejected");
    /* R8 */
    EXPECT(&f, domain_delete_request(&op, "sold.dk", true, &out, &st), REG_OK, st);
    assert_int_equal(out, DOMAIN_DELETE_REDEMPTION);
    teardown(&f);
}

static void unknown_token_is_not_found(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r7_unknown");
    struct pending_view v;
    struct reg_op op = op_as(&f, 0);
    reg_status st = {0};
    assert_int_equal(pending_find(&op, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &v, &st),
                     REG_ERR_NOT_FOUND);
    assert_int_equal(decide(&f, "x", true, &v), REG_ERR_NOT_FOUND);
    teardown(&f);
}

/* Only a hash of the token is stored. */
static void r7_token_is_stored_hashed(void **state)
{
    struct fixture f;
    setup_sale(state, &f, "r7_hashed");
    char token[SECRET_TOKEN_LEN_MAX];
    ask_holder(&f, token);
    assert_int_equal(strlen(token), SECRET_TOKEN_LEN - 1); /* 256 bits, base64url */
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM pending_action WHERE token_hash = ?", token),
                     0);
    char hash[SECRET_SHA256_HEX];
    secret_sha256_hex(token, strlen(token), hash);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM pending_action WHERE token_hash = ?", hash),
                     1);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(r7_registrant_change_confirmed),
        BOTH_BACKENDS(r7_registrant_change_rejected),
        BOTH_BACKENDS(r7_unanswered_request_lapses),
        BOTH_BACKENDS(r7_late_answer_is_refused),
        BOTH_BACKENDS(r8_verified_applies_at_once),
        BOTH_BACKENDS(r6_same_registrant_is_no_change),
        BOTH_BACKENDS(r9_pending_update_blocks_updates),
        BOTH_BACKENDS(r7_request_is_checked_at_once),
        BOTH_BACKENDS(r7_confirmed_change_that_no_longer_applies),
        BOTH_BACKENDS(r7_delete_confirmed),
        BOTH_BACKENDS(r7_delete_rejected_and_verified),
        BOTH_BACKENDS(unknown_token_is_not_found),
        BOTH_BACKENDS(r7_token_is_stored_hashed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
