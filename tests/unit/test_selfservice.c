/* The registrant self-service site's rules (registry/selfservice.h; issue
 * 17, R7, R21, R39) on both backends: the set-up link's states (valid,
 * used, expired, replaced), login by contact handle or e-mail address, an
 * address of several contacts, contacts outside the admin slots, the
 * lockout after [selfservice] max_failures and its end (time, or a new
 * password through the mailed reset link), eID login with the test
 * provider, sessions (idle timeout, logout, the forms' token), my domains
 * with a filter, and the answer to a pending action by the contact who
 * holds its domain and by no one else. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/account.h"
#include "registry/domain.h"
#include "registry/pending.h"
#include "registry/selfservice.h"

#define PW "a-long-password-1"
#define HOLDER "REGA:HOLDER"

static void ss_setup(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    f->policy.selfservice = (struct selfservice_policy){
        .max_failures = 5, .lockout = DAY, .idle_timeout = 1800, .lifetime = 43200,
        .reset_ttl = 3600, .eid_provider = "test"};
    f->policy.base_url = "https://nic.example";
    /* the holder (a Danish ident) holds hold.dk, so fills a1 of its
     * account (R37) */
    make_contact(f, "holder", "holder@example.test", "Jens Hansen", "priv", "0102031234", "DK");
    make_domain(f, "hold.dk", HOLDER, NULL, 0, NULL);
}

/* A set-up link for the holder's a1, valid for ttl; its token. */
static void issue(struct fixture *f, int64_t ttl, char token[64])
{
    struct reg_op op = staff(f);
    reg_status st;
    struct account_credentials cr;
    OK(f, account_credentials_issue(&op, HOLDER, "a1", ttl, &cr, &st));
    snprintf(token, 64, "%s", cr.token);
}

static enum selfservice_link link_state(struct fixture *f, const char *token, reg_err want)
{
    struct reg_op op = op_as(f, 0);
    reg_status st;
    enum selfservice_link s = SELFSERVICE_LINK_VALID;
    char who[CONTACT_ID_MAX + 1];
    EXPECT(f, selfservice_link_state(&op, token, &s, who, &st), want, st);
    if (!want)
        assert_string_equal(who, HOLDER);
    return s;
}

static void set_password(struct fixture *f, const char *token, const char *pw)
{
    struct reg_op op = op_as(f, 0);
    reg_status st;
    char who[CONTACT_ID_MAX + 1];
    OK(f, account_credentials_setup(&op, token, pw, who, &st));
}

/* A password login; REG_OK or the refusal containing `part`. */
static void login(struct fixture *f, const char *who, const char *pw, reg_err want,
                  const char *part, char token[SECRET_TOKEN_LEN])
{
    struct reg_op op = op_as(f, 0);
    reg_status st = {0};
    char dummy[SECRET_TOKEN_LEN];
    reg_err e = selfservice_login_password(&op, who, pw, token ? token : dummy, &st);
    expect_result(e, want, &st, part, "selfservice_login_password", __LINE__);
}

static void selfservice_setup_link_states(void **state)
{
    struct fixture f;
    ss_setup(state, &f, "ss_link");
    char token[64], old[64];
    issue(&f, DAY, token);
    assert_int_equal(link_state(&f, token, REG_OK), SELFSERVICE_LINK_VALID);
    link_state(&f, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", REG_ERR_NOT_FOUND);
    set_password(&f, token, PW);
    /* single use: the link is known as used, and refused */
    assert_int_equal(link_state(&f, token, REG_OK), SELFSERVICE_LINK_USED);
    struct reg_op op = op_as(&f, 0);
    reg_status st;
    char who[CONTACT_ID_MAX + 1];
    EXPECT_REASON(&f, account_credentials_setup(&op, token, "another-password", who, &st),
                  REG_ERR_AUTH, st, "used");
    login(&f, HOLDER, PW, REG_OK, NULL, NULL);
    /* expiry: valid up to its last second */
    snprintf(old, sizeof old, "%s", token);
    issue(&f, 3600, token);
    link_state(&f, old, REG_ERR_NOT_FOUND); /* replaced by the new one */
    f.now += 3599;
    assert_int_equal(link_state(&f, token, REG_OK), SELFSERVICE_LINK_VALID);
    f.now += 1;
    assert_int_equal(link_state(&f, token, REG_OK), SELFSERVICE_LINK_EXPIRED);
    op = op_as(&f, 0);
    EXPECT_REASON(&f, account_credentials_setup(&op, token, "another-password", who, &st),
                  REG_ERR_AUTH, st, "expired");
    login(&f, HOLDER, PW, REG_OK, NULL, NULL); /* the old password stays */
    teardown(&f);
}

static void selfservice_login_by_handle_or_email(void **state)
{
    struct fixture f;
    ss_setup(state, &f, "ss_login");
    char link[64], token[SECRET_TOKEN_LEN];
    issue(&f, DAY, link);
    set_password(&f, link, PW);
    login(&f, "rega:holder", PW, REG_OK, NULL, token);
    struct reg_op op = op_as(&f, 0);
    reg_status st;
    struct selfservice_session s;
    EXPECT_OWN_TX(selfservice_session_get(&op, token, &s, &st), REG_OK, st);
    assert_string_equal(s.handle, HOLDER);
    assert_string_equal(s.name, "Jens Hansen");
    assert_string_equal(s.method, "password");
    assert_int_equal(strlen(s.csrf), 64);
    /* only the token's hash is stored, and the forms' token is neither */
    char hash[SECRET_SHA256_HEX];
    secret_sha256_hex(token, strlen(token), hash);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM selfservice_session WHERE token_hash = ?",
                            hash), 1);
    assert_string_not_equal(s.csrf, hash);
    login(&f, "Holder@Example.TEST", PW, REG_OK, NULL, NULL);
    login(&f, HOLDER, "wrong-password", REG_ERR_AUTH, "wrong contact handle", NULL);
    login(&f, "REGA:NOBODY", PW, REG_ERR_AUTH, "wrong contact handle", NULL);
    login(&f, "", PW, REG_ERR_AUTH, "wrong", NULL);
    /* a contact outside every admin slot cannot log in */
    make_contact(&f, "other", "other@example.test", "Other", NULL, NULL, NULL);
    login(&f, "REGA:OTHER", PW, REG_ERR_AUTH, "wrong", NULL);
    /* an address two admin contacts share names neither */
    make_contact(&f, "twin", "holder@example.test", "Twin", NULL, NULL, NULL);
    make_domain(&f, "twin.dk", "REGA:TWIN", NULL, 0, NULL);
    login(&f, "holder@example.test", PW, REG_ERR_AUTH, "several contacts use this e-mail", NULL);
    login(&f, HOLDER, PW, REG_OK, NULL, NULL);
    /* idle timeout, then logout */
    f.now += 1799;
    op = op_as(&f, 0);
    EXPECT_OWN_TX(selfservice_session_get(&op, token, &s, &st), REG_OK, st);
    f.now += 1800;
    op = op_as(&f, 0);
    EXPECT_OWN_TX(selfservice_session_get(&op, token, &s, &st), REG_ERR_AUTH, st);
    assert_non_null(strstr(st.reason, "ended"));
    login(&f, HOLDER, PW, REG_OK, NULL, token);
    op = op_as(&f, 0);
    EXPECT_OWN_TX(selfservice_logout(&op, token, &st), REG_OK, st);
    EXPECT_OWN_TX(selfservice_session_get(&op, token, &s, &st), REG_ERR_AUTH, st);
    teardown(&f);
}

static void selfservice_lockout_and_reset(void **state)
{
    struct fixture f;
    ss_setup(state, &f, "ss_lock");
    char link[64];
    issue(&f, DAY, link);
    set_password(&f, link, PW);
    take_mails(&f);
    for (int i = 0; i < 4; i++)
        login(&f, HOLDER, "wrong-password", REG_ERR_AUTH, "wrong", NULL);
    login(&f, "holder@example.test", "wrong-password", REG_ERR_AUTH,
          "too many failed attempts: this login is locked until", NULL);
    login(&f, HOLDER, PW, REG_ERR_AUTH, "locked until", NULL);
    /* [selfservice] lockout later it ends */
    f.now += DAY;
    login(&f, HOLDER, PW, REG_OK, NULL, NULL);
    /* a login clears the count: four more are not a lockout */
    for (int i = 0; i < 4; i++)
        login(&f, HOLDER, "wrong-password", REG_ERR_AUTH, "wrong", NULL);
    login(&f, HOLDER, PW, REG_OK, NULL, NULL);
    for (int i = 0; i < 5; i++)
        login(&f, HOLDER, "wrong-password", REG_ERR_AUTH, NULL, NULL);
    login(&f, HOLDER, PW, REG_ERR_AUTH, "locked", NULL);
    /* a reset for no one sends nothing and says nothing */
    struct reg_op op = op_as(&f, 0);
    reg_status st;
    OK(&f, selfservice_reset_request(&op, "REGA:NOBODY", &st));
    assert_int_equal(take_mails(&f)->n, 0);
    OK(&f, selfservice_reset_request(&op, "holder@example.test", &st));
    struct mails *m = take_mails(&f);
    assert_int_equal(m->n, 1);
    assert_string_equal(m->to[0], "holder@example.test");
    assert_string_equal(m->cause[0], "selfservice-reset");
    const char *at = strstr(m->body[0], "https://nic.example/self-service/setup/");
    assert_non_null(at);
    char token[64];
    snprintf(token, sizeof token, "%.43s", at + strlen("https://nic.example/self-service/setup/"));
    assert_int_equal(link_state(&f, token, REG_OK), SELFSERVICE_LINK_VALID);
    /* valid for [selfservice] reset_ttl */
    f.now += 3600;
    assert_int_equal(link_state(&f, token, REG_OK), SELFSERVICE_LINK_EXPIRED);
    f.now -= 1;
    set_password(&f, token, "a-new-password-2");
    login(&f, HOLDER, "a-new-password-2", REG_OK, NULL, NULL);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM history WHERE object_key = ? AND action = "
                                "'credentials-reset-sent'", HOLDER), 1);
    teardown(&f);
}

static void selfservice_eid_login(void **state)
{
    struct fixture f;
    ss_setup(state, &f, "ss_eid");
    struct reg_op op = op_as(&f, 0);
    reg_status st;
    char token[SECRET_TOKEN_LEN];
    EXPECT_OWN_TX(selfservice_login_eid(&op, HOLDER, "0102031234", token, &st), REG_ERR_IO, st);
    EXPECT_OWN_TX(selfservice_login_eid(&op, HOLDER, "DK:0909091111", token, &st), REG_ERR_AUTH,
                  st);
    assert_int_equal(scalar(&f, "SELECT k.failures FROM contact_credential k JOIN contact c ON "
                                "c.id = k.contact_id WHERE c.handle = ?", HOLDER), 1);
    /* no password needed: the eID is the proof */
    EXPECT_OWN_TX(selfservice_login_eid(&op, "holder@example.test", "DK:0102031234", token, &st),
                  REG_OK, st);
    struct selfservice_session s;
    EXPECT_OWN_TX(selfservice_session_get(&op, token, &s, &st), REG_OK, st);
    assert_string_equal(s.method, "eid");
    assert_int_equal(scalar(&f, "SELECT k.failures FROM contact_credential k JOIN contact c ON "
                                "c.id = k.contact_id WHERE c.handle = ?", HOLDER), 0);
    f.policy.selfservice.eid_provider = "none";
    assert_false(selfservice_eid_available(&op));
    EXPECT_OWN_TX(selfservice_login_eid(&op, HOLDER, "DK:0102031234", token, &st),
                  REG_ERR_CONFIG, st);
    teardown(&f);
}

struct names {
    int n;
    char name[4][NAME_MAX_LEN + 1];
};

static void collect(const struct selfservice_domain *d, void *arg)
{
    struct names *x = arg;
    if (x->n < 4)
        snprintf(x->name[x->n++], sizeof x->name[0], "%s", d->name);
}

static void count_pending(const struct pending_view *v, void *arg)
{
    (void)v;
    ++*(int *)arg;
}

static void selfservice_domains_and_pending(void **state)
{
    struct fixture f;
    ss_setup(state, &f, "ss_domains");
    make_domain(&f, "second.dk", HOLDER, NULL, 0, NULL);
    make_contact(&f, "buyer", "buyer@example.test", "Buyer", NULL, NULL, NULL);
    make_domain(&f, "theirs.dk", "REGA:BUYER", NULL, 0, NULL);
    int64_t holder = scalar(&f, "SELECT id FROM contact WHERE handle = ?", HOLDER);
    int64_t buyer = scalar(&f, "SELECT id FROM contact WHERE handle = ?", "REGA:BUYER");
    struct reg_op op = op_as(&f, 0);
    reg_status st;
    struct names x = {0};
    OK(&f, selfservice_domains_each(&op, holder, NULL, collect, &x, &st));
    assert_int_equal(x.n, 2);
    assert_string_equal(x.name[0], "hold.dk");
    assert_string_equal(x.name[1], "second.dk");
    x.n = 0;
    OK(&f, selfservice_domains_each(&op, holder, "SEC", collect, &x, &st));
    assert_int_equal(x.n, 1);
    x.n = 0;
    OK(&f, selfservice_domains_each(&op, holder, "%", collect, &x, &st)); /* taken literally */
    assert_int_equal(x.n, 0);
    struct selfservice_domain d;
    OK(&f, selfservice_domain_get(&op, holder, "HOLD.dk", &d, &st));
    assert_string_equal(d.management, "registrar");
    assert_string_equal(d.registrar, "REGA");
    EXPECT(&f, selfservice_domain_get(&op, holder, "theirs.dk", &d, &st), REG_ERR_NOT_FOUND, st);
    /* R7: a change of registrant waits for the holder */
    struct domain_update u = {.name = "hold.dk", .chg_registrant = "REGA:BUYER"};
    struct reg_op reg = op_as(&f, f.a);
    bool pending = false;
    OK(&f, domain_update_request(&reg, &u, false, &pending, &st));
    assert_true(pending);
    int n = 0;
    OK(&f, pending_each_held(&op, holder, count_pending, &n, &st));
    assert_int_equal(n, 1);
    n = 0;
    OK(&f, pending_each_held(&op, buyer, count_pending, &n, &st));
    assert_int_equal(n, 0);
    OK(&f, selfservice_domain_get(&op, holder, "hold.dk", &d, &st));
    assert_string_equal(d.pending, PENDING_KIND_REGISTRANT_CHANGE);
    int64_t id = scalar(&f, "SELECT id FROM pending_action WHERE domain_name = ?", "hold.dk");
    struct pending_view v;
    op.channel = SELFSERVICE_CHANNEL;
    op.actor = HOLDER;
    /* not the buyer's to answer */
    EXPECT(&f, pending_decide_held(&op, buyer, id, true, &v, &st), REG_ERR_NOT_FOUND, st);
    OK(&f, pending_decide_held(&op, holder, id, true, &v, &st));
    assert_string_equal(v.state, "confirmed");
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM domain d JOIN contact c ON c.id = "
                                "d.registrant_id WHERE d.name = 'hold.dk' AND c.handle = ?",
                            "REGA:BUYER"), 1);
    assert_true(scalar(&f, "SELECT COUNT(*) FROM history WHERE object_key = 'hold.dk' AND "
                           "channel = ?", SELFSERVICE_CHANNEL) >= 1);
    /* answered: no more */
    EXPECT(&f, pending_decide_held(&op, holder, id, false, &v, &st), REG_ERR_NOT_FOUND, st);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(selfservice_setup_link_states),
        BOTH_BACKENDS(selfservice_login_by_handle_or_email),
        BOTH_BACKENDS(selfservice_lockout_and_reset),
        BOTH_BACKENDS(selfservice_eid_login),
        BOTH_BACKENDS(selfservice_domains_and_pending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
