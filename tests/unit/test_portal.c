/* The registrar portal's users, login and sessions (registry/portal.h;
 * R27, DESIGN §11, issue 16), on both backends: roles and login names,
 * staff administration, password + TOTP (codes computed here with
 * liboath, as an authenticator app would), enrolment at the first login,
 * a code taken once, lockout and its end, the registrar's address
 * allow-list, idle timeout and lifetime, only token hashes stored, the
 * forms' token, roles that apply at the next request (R32), and the
 * dashboard's numbers. */
#include "regfixture.h"

#include <liboath/oath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/poll.h"
#include "registry/portal.h"
#include "registry/registrar.h"

#define PW "portal-password-1"
#define PEER "192.0.2.10"

static void portal_setup(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    f->policy.portal = (struct portal_policy){.max_failures = 5, .lockout = 900,
                                              .idle_timeout = 1800, .lifetime = 43200,
                                              .totp = true, .issuer = "Test Registry"};
    assert_int_equal(oath_init(), OATH_OK);
}

static void add_user(struct fixture *f, const char *registrar, const char *login,
                     const char *roles)
{
    struct reg_op op = staff(f);
    reg_status st;
    char email[128];
    snprintf(email, sizeof email, "%s@example.test", login);
    struct portal_user_new u = {.registrar = registrar, .login = login, .email = email,
                                .roles = roles, .password = PW};
    OK(f, portal_user_add(&op, &u, &st));
}

/* The code an authenticator app shows for a base32 key at time t. */
static void code_at(const char *secret, reg_time t, char out[8])
{
    char *key = NULL;
    size_t len = 0;
    assert_int_equal(oath_base32_decode(secret, strlen(secret), &key, &len), OATH_OK);
    assert_int_equal(oath_totp_generate(key, len, (time_t)t, 30, 0, 6, out), OATH_OK);
    free(key);
}

/* Password step; must reach `want`. */
static void password_ok(struct fixture *f, const char *login, enum portal_stage want,
                        char token[SECRET_TOKEN_LEN])
{
    struct reg_op op = staff(f);
    reg_status st;
    enum portal_stage stage;
    EXPECT_OWN_TX(portal_login_password(&op, login, PW, PEER, token, &stage, &st), REG_OK, st);
    assert_int_equal(stage, want);
}

/* A first login: password, enrolment with a code; the key and the full
 * session's token out. */
static void enrol(struct fixture *f, const char *login, char secret[PORTAL_TOTP_SECRET_LEN],
                  char full[SECRET_TOKEN_LEN])
{
    struct reg_op op = staff(f);
    reg_status st;
    char token[SECRET_TOKEN_LEN], uri[512], code[8];
    password_ok(f, login, PORTAL_STAGE_ENROL, token);
    EXPECT_OWN_TX(portal_enrol_key(&op, token, secret, uri, sizeof uri, &st), REG_OK, st);
    code_at(secret, f->now, code);
    EXPECT_OWN_TX(portal_login_code(&op, token, code, PEER, full, &st), REG_OK, st);
}

static void expect_auth(reg_err got, const reg_status *st, const char *part, int line)
{
    expect_result(got, REG_ERR_AUTH, st, part, "login step", line);
}
#define AUTH_FAILS(call, part)                                                                     \
    do {                                                                                           \
        reg_status_clear(&st);                                                                     \
        expect_auth((call), &st, (part), __LINE__);                                                \
    } while (0)

/* ---- roles and names ----------------------------------------------------------------------- */

static void portal_roles_and_logins(void **state)
{
    (void)state;
    unsigned r;
    char text[PORTAL_ROLES_STRLEN], login[PORTAL_LOGIN_MAX + 1];
    reg_status st = {0};
    assert_int_equal(portal_roles_parse("payer, administrator,payer", &r, &st), REG_OK);
    assert_int_equal(r, PORTAL_PAYER | PORTAL_ADMINISTRATOR);
    portal_roles_format(r, text);
    assert_string_equal(text, "administrator,payer");
    assert_int_equal(portal_roles_parse("", &r, &st), REG_OK);
    assert_int_equal(r, 0);
    assert_int_equal(portal_roles_parse("registrar,root", &r, &st), REG_ERR_INVALID);
    assert_non_null(strstr(st.reason, "\"root\" is not a role"));
    portal_roles_format(PORTAL_ROLES_ALL, text);
    assert_string_equal(text, "administrator,nameserver_manager,registrar,payer,proxy");

    assert_int_equal(portal_login_normalize("Anna.Berg@Reg-A", login, &st), REG_OK);
    assert_string_equal(login, "anna.berg@reg-a");
    const char *bad[] = {"ab", ".anna", "an na", "anna:x", "\xc3\xa6sa", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(portal_login_normalize(bad[i], login, &st), REG_ERR_INVALID);
}

/* ---- staff --------------------------------------------------------------------------------- */

struct listing {
    int n;
    char logins[8][PORTAL_LOGIN_MAX + 1];
};

static void note_user(const struct portal_user *u, void *arg)
{
    struct listing *l = arg;
    if (l->n < 8)
        snprintf(l->logins[l->n], sizeof l->logins[0], "%s", u->login);
    l->n++;
}

static void portal_staff_users(void **state)
{
    struct fixture f;
    portal_setup(state, &f, "portal_staff");
    struct reg_op op = staff(&f);
    reg_status st;
    add_user(&f, "REGA", "Anna", "administrator");
    add_user(&f, "REGB", "bob", "registrar,payer");
    /* login names are unique across registrars, in any case */
    struct portal_user_new dup = {.registrar = "REGB", .login = "ANNA",
                                  .email = "a@example.test", .roles = "payer"};
    EXPECT_REASON(&f, portal_user_add(&op, &dup, &st), REG_ERR_EXISTS, st, "anna is taken");
    struct portal_user_new bad = {.registrar = "NOPE", .login = "carl",
                                  .email = "c@example.test", .roles = "payer"};
    EXPECT_REASON(&f, portal_user_add(&op, &bad, &st), REG_ERR_NOT_FOUND, st, "NOPE");
    bad = (struct portal_user_new){.registrar = "REGA", .login = "carl", .email = "not-mail",
                                   .roles = "payer"};
    ERR(&f, REG_ERR_INVALID, portal_user_add(&op, &bad, &st));
    bad.email = "c@example.test";
    bad.password = "short";
    EXPECT_REASON(&f, portal_user_add(&op, &bad, &st), REG_ERR_POLICY, st, "10 to 128");

    struct portal_user u;
    assert_int_equal(portal_user_get(f.d, "anna", &u, &st), REG_OK);
    assert_string_equal(u.registrar, "REGA");
    assert_int_equal(u.roles, PORTAL_ADMINISTRATOR);
    assert_true(u.has_password);
    assert_false(u.totp_enrolled);
    /* no secret in the table but the argon2id hash */
    char *hash = text_of(&f, "SELECT password_hash FROM portal_user WHERE login = ?", "anna");
    assert_non_null(strstr(hash, "$argon2id$"));
    free(hash);

    struct listing l = {0};
    assert_int_equal(portal_user_each(f.d, NULL, note_user, &l, &st), REG_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.logins[0], "anna");
    l.n = 0;
    assert_int_equal(portal_user_each(f.d, "regb", note_user, &l, &st), REG_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.logins[0], "bob");

    OK(&f, portal_user_set_roles(&op, "bob", "nameserver_manager", &st));
    ERR(&f, REG_ERR_INVALID, portal_user_set_roles(&op, "bob", "owner", &st));
    ERR(&f, REG_ERR_NOT_FOUND, portal_user_set_roles(&op, "nobody", "payer", &st));
    OK(&f, portal_user_set_disabled(&op, "bob", true, &st));
    assert_int_equal(portal_user_get(f.d, "bob", &u, &st), REG_OK);
    assert_true(u.disabled);
    assert_int_equal(u.roles, PORTAL_NAMESERVER_MANAGER);
    ERR(&f, REG_ERR_MISSING, portal_user_reset(&op, "bob", NULL, false, &st));

    /* R40: every change in history, without a secret */
    struct versions *v = history_of(&f, "portal_user", "bob");
    assert_int_equal(v->n, 3);
    assert_string_equal(v->v[0].action, "create");
    assert_string_equal(v->v[1].action, "roles");
    assert_string_equal(v->v[2].action, "disable");
    assert_string_equal(v->v[2].channel, "regctl");
    assert_null(strstr(v->v[0].snapshot, "argon2"));
    assert_non_null(strstr(v->v[1].snapshot, "\"roles\":\"nameserver_manager\""));
    free(v);

    /* a registrar deleted takes its users along */
    struct registrar_deletion del;
    OK(&f, registrar_delete(&op, "REGC", &del, &st));
    assert_int_equal(del.portal_users, 0);
    add_user(&f, "REGB", "carl", "payer");
    char token[SECRET_TOKEN_LEN];
    password_ok(&f, "carl", PORTAL_STAGE_ENROL, token);
    OK(&f, registrar_delete(&op, "REGB", &del, &st));
    assert_int_equal(del.portal_users, 2);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM portal_session", NULL), 0);
    teardown(&f);
}

/* ---- login --------------------------------------------------------------------------------- */

static void portal_login_with_totp(void **state)
{
    struct fixture f;
    portal_setup(state, &f, "portal_login");
    struct reg_op op = staff(&f);
    reg_status st;
    add_user(&f, "REGA", "anna", "administrator,payer");
    char secret[PORTAL_TOTP_SECRET_LEN], again[PORTAL_TOTP_SECRET_LEN], token[SECRET_TOKEN_LEN],
        full[SECRET_TOKEN_LEN], uri[512], code[8];

    /* first login: enrolment; the key is kept until it is confirmed */
    password_ok(&f, "ANNA", PORTAL_STAGE_ENROL, token);
    EXPECT_OWN_TX(portal_enrol_key(&op, token, secret, uri, sizeof uri, &st), REG_OK, st);
    assert_int_equal(strlen(secret), 32);
    char want[256];
    snprintf(want, sizeof want, "otpauth://totp/Test%%20Registry:anna?secret=%s&issuer=Test%%20"
             "Registry&algorithm=SHA1&digits=6&period=30", secret);
    assert_string_equal(uri, want);
    password_ok(&f, "anna", PORTAL_STAGE_ENROL, token);
    EXPECT_OWN_TX(portal_enrol_key(&op, token, again, uri, sizeof uri, &st), REG_OK, st);
    assert_string_equal(again, secret);
    /* a session that is only half logged in opens no page */
    struct portal_session s;
    EXPECT_OWN_TX(portal_session_get(&op, token, PEER, &s, &st), REG_OK, st);
    assert_int_equal(s.stage, PORTAL_STAGE_ENROL);

    AUTH_FAILS(portal_login_code(&op, token, "000000x", PEER, full, &st), "wrong code");
    code_at(secret, f.now, code);
    EXPECT_OWN_TX(portal_login_code(&op, token, code, PEER, full, &st), REG_OK, st);
    assert_string_not_equal(full, token);
    /* the step's token is spent */
    AUTH_FAILS(portal_session_get(&op, token, PEER, &s, &st), "not logged in");
    EXPECT_OWN_TX(portal_session_get(&op, full, PEER, &s, &st), REG_OK, st);
    assert_int_equal(s.stage, PORTAL_STAGE_FULL);
    assert_string_equal(s.login, "anna");
    assert_string_equal(s.registrar, "REGA");
    assert_int_equal(s.registrar_id, f.a);
    assert_int_equal(s.roles, PORTAL_ADMINISTRATOR | PORTAL_PAYER);
    char csrf[SECRET_SHA256_HEX];
    portal_csrf_of(full, csrf);
    assert_string_equal(s.csrf, csrf);
    /* only the token's hash is kept */
    char hash[SECRET_SHA256_HEX];
    secret_sha256_hex(full, strlen(full), hash);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM portal_session WHERE token_hash = ?", hash),
                     1);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM portal_session WHERE token_hash = ?", full),
                     0);

    /* next login: password then code; the code of the step just used is
     * not taken again */
    f.now += 10;
    op = staff(&f);
    password_ok(&f, "anna", PORTAL_STAGE_PASSWORD, token);
    AUTH_FAILS(portal_login_code(&op, token, code, PEER, full, &st), "wrong code");
    f.now += 30;
    op = staff(&f);
    code_at(secret, f.now, code);
    EXPECT_OWN_TX(portal_login_code(&op, token, code, PEER, full, &st), REG_OK, st);
    assert_int_equal(portal_user_get(f.d, "anna", &(struct portal_user){0}, &st), REG_OK);

    /* R32: a role granted applies at the next request */
    OK(&f, portal_user_set_roles(&op, "anna", "payer,nameserver_manager", &st));
    EXPECT_OWN_TX(portal_session_get(&op, full, PEER, &s, &st), REG_OK, st);
    assert_int_equal(s.roles, PORTAL_PAYER | PORTAL_NAMESERVER_MANAGER);

    /* logout */
    EXPECT_OWN_TX(portal_logout(&op, full, &st), REG_OK, st);
    AUTH_FAILS(portal_session_get(&op, full, PEER, &s, &st), "not logged in");

    /* a reset of the TOTP key: enrol again, with a new key */
    OK(&f, portal_user_reset(&op, "anna", NULL, true, &st));
    char fresh[PORTAL_TOTP_SECRET_LEN];
    enrol(&f, "anna", fresh, full);
    assert_string_not_equal(fresh, secret);

    /* without TOTP ([portal] totp = false) the password is enough */
    f.policy.portal.totp = false;
    password_ok(&f, "anna", PORTAL_STAGE_FULL, token);
    EXPECT_OWN_TX(portal_session_get(&op, token, PEER, &s, &st), REG_OK, st);
    assert_int_equal(s.stage, PORTAL_STAGE_FULL);
    teardown(&f);
}

static void portal_lockout(void **state)
{
    struct fixture f;
    portal_setup(state, &f, "portal_lockout");
    struct reg_op op = staff(&f);
    reg_status st;
    add_user(&f, "REGA", "anna", "registrar");
    char secret[PORTAL_TOTP_SECRET_LEN], token[SECRET_TOKEN_LEN], full[SECRET_TOKEN_LEN],
        code[8];
    enum portal_stage stage;
    enrol(&f, "anna", secret, full);

    /* unknown logins are refused alike, and count for nobody */
    AUTH_FAILS(portal_login_password(&op, "nobody", PW, PEER, token, &stage, &st),
               "wrong login name or password");
    /* four wrong passwords and a wrong code: locked for 15 minutes */
    for (int i = 0; i < 4; i++)
        AUTH_FAILS(portal_login_password(&op, "anna", "wrong-password", PEER, token, &stage, &st),
                   "wrong login name or password");
    password_ok(&f, "anna", PORTAL_STAGE_PASSWORD, token);
    char spare[SECRET_TOKEN_LEN];
    AUTH_FAILS(portal_login_code(&op, token, "123456", PEER, spare, &st),
               "locked until 2027-01-01 00:15 UTC");
    assert_int_equal(scalar(&f, "SELECT locked_until FROM portal_user WHERE login = ?", "anna"),
                     T0 + 900);
    /* now even the right password is refused, and the half login ended */
    AUTH_FAILS(portal_login_password(&op, "anna", PW, PEER, token, &stage, &st), "locked");
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM portal_session WHERE stage <> 'full'",
                            NULL), 0);
    /* the logged-in session stays (the lockout is against guessing) */
    struct portal_session s;
    EXPECT_OWN_TX(portal_session_get(&op, full, PEER, &s, &st), REG_OK, st);

    f.now += 900;
    op = staff(&f);
    password_ok(&f, "anna", PORTAL_STAGE_PASSWORD, token);
    code_at(secret, f.now, code);
    EXPECT_OWN_TX(portal_login_code(&op, token, code, PEER, full, &st), REG_OK, st);
    assert_int_equal(scalar(&f, "SELECT failures FROM portal_user WHERE login = ?", "anna"), 0);

    /* staff clear a lockout with a reset */
    for (int i = 0; i < 5; i++)
        reg_status_clear(&st), portal_login_password(&op, "anna", "wrong-password", PEER, token,
                                                     &stage, &st);
    AUTH_FAILS(portal_login_password(&op, "anna", PW, PEER, token, &stage, &st), "locked");
    OK(&f, portal_user_reset(&op, "anna", "portal-password-2", false, &st));
    EXPECT_OWN_TX(portal_login_password(&op, "anna", "portal-password-2", PEER, token, &stage,
                                        &st),
                  REG_OK, st);
    /* and the reset ended every session */
    AUTH_FAILS(portal_session_get(&op, full, PEER, &s, &st), "not logged in");
    teardown(&f);
}

static void portal_refusals_and_timeouts(void **state)
{
    struct fixture f;
    portal_setup(state, &f, "portal_refuse");
    struct reg_op op = staff(&f);
    reg_status st;
    /* a registrar with an address allow-list */
    struct registrar_new r = {.handle = "REGD", .name = "Delta", .password = FIXTURE_PW,
                              .prefixes = {"192.0.2.0/24"}, .nprefixes = 1};
    EXPECT_OWN_TX(registrar_add(f.d, &r, &st), REG_OK, st);
    add_user(&f, "REGD", "dora", "registrar");
    add_user(&f, "REGA", "anna", "registrar");
    char secret[PORTAL_TOTP_SECRET_LEN], token[SECRET_TOKEN_LEN], full[SECRET_TOKEN_LEN];
    enum portal_stage stage;
    AUTH_FAILS(portal_login_password(&op, "dora", PW, "198.51.100.7", token, &stage, &st),
               "not allowed");
    enrol(&f, "dora", secret, full); /* from 192.0.2.10 */
    struct portal_session s;
    AUTH_FAILS(portal_session_get(&op, full, "198.51.100.7", &s, &st), "not allowed");
    /* that ended the session */
    AUTH_FAILS(portal_session_get(&op, full, PEER, &s, &st), "not logged in");

    /* disabled user, disabled registrar */
    enrol(&f, "anna", secret, full);
    OK(&f, portal_user_set_disabled(&op, "anna", true, &st));
    AUTH_FAILS(portal_session_get(&op, full, PEER, &s, &st), "not logged in");
    AUTH_FAILS(portal_login_password(&op, "anna", PW, PEER, token, &stage, &st), "disabled");
    OK(&f, portal_user_set_disabled(&op, "anna", false, &st));
    password_ok(&f, "anna", PORTAL_STAGE_PASSWORD, token);
    EXPECT_OWN_TX(registrar_set_disabled(f.d, "REGA", true, &st), REG_OK, st);
    AUTH_FAILS(portal_login_password(&op, "anna", PW, PEER, token, &stage, &st), "disabled");
    EXPECT_OWN_TX(registrar_set_disabled(f.d, "REGA", false, &st), REG_OK, st);

    /* idle timeout (30 minutes), refreshed by use; lifetime (12 hours) */
    char code[8];
    password_ok(&f, "anna", PORTAL_STAGE_PASSWORD, token);
    f.now += 30;
    op = staff(&f);
    code_at(secret, f.now, code);
    EXPECT_OWN_TX(portal_login_code(&op, token, code, PEER, full, &st), REG_OK, st);
    reg_time login_at = f.now;
    for (int i = 0; i < 25; i++) { /* used every 29 minutes, for over 12 hours */
        f.now += 29 * 60;
        op = staff(&f);
        if (f.now - login_at >= 43200)
            break;
        EXPECT_OWN_TX(portal_session_get(&op, full, PEER, &s, &st), REG_OK, st);
    }
    AUTH_FAILS(portal_session_get(&op, full, PEER, &s, &st), "ended");
    password_ok(&f, "anna", PORTAL_STAGE_PASSWORD, token);
    f.now += PORTAL_STEP_TTL; /* the code must follow the password within 5 minutes */
    op = staff(&f);
    code_at(secret, f.now, code);
    AUTH_FAILS(portal_login_code(&op, token, code, PEER, full, &st), "log in again");
    password_ok(&f, "anna", PORTAL_STAGE_PASSWORD, token);
    f.now += 60;
    op = staff(&f);
    code_at(secret, f.now, code);
    EXPECT_OWN_TX(portal_login_code(&op, token, code, PEER, full, &st), REG_OK, st);
    f.now += 1800;
    op = staff(&f);
    AUTH_FAILS(portal_session_get(&op, full, PEER, &s, &st), "ended");
    teardown(&f);
}

/* ---- the dashboard -------------------------------------------------------------------------- */

static void portal_dashboard_numbers(void **state)
{
    struct fixture f;
    portal_setup(state, &f, "portal_dash");
    reg_status st;
    make_person(&f, f.a, "HOLDER", "holder@example.test", "Holder", NULL);
    make_domain(&f, "one.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain(&f, "two.dk", "REGA:HOLDER", NULL, 0, NULL);
    post_entry(&f, f.a, "credit", 150000, "payment");
    char handle[REGISTRAR_HANDLE_MAX + 1];
    EXPECT_OWN_TX(poll_staff_notice(f.d, "REGA", "maintenance tonight", handle, &st), REG_OK, st);
    struct portal_dashboard d;
    struct reg_op op = op_as(&f, f.a);
    OK(&f, portal_dashboard_get(&op, f.a, &d, &st));
    assert_int_equal(d.domains, 2);
    assert_int_equal(d.balance, 150000);
    assert_int_equal(d.expiring, 0);
    assert_int_equal(d.poll_messages, 1);
    assert_int_equal(d.nstatus, 1);
    assert_string_equal(d.by_status[0].status, "ok");
    assert_int_equal(d.by_status[0].count, 2);
    /* registrations per month: both in this month (T0's), the last of 12 */
    assert_string_equal(d.registrations[0].month, "2026-02");
    assert_string_equal(d.registrations[PORTAL_CHART_MONTHS - 1].month, "2027-01");
    assert_int_equal(d.registrations[PORTAL_CHART_MONTHS - 1].count, 2);
    for (int i = 0; i < PORTAL_CHART_MONTHS - 1; i++)
        assert_int_equal(d.registrations[i].count, 0);
    /* eleven months on, both expire within 30 days */
    f.now += 340 * DAY;
    op = op_as(&f, f.a);
    OK(&f, portal_dashboard_get(&op, f.a, &d, &st));
    assert_int_equal(d.expiring, 2);
    /* 400 days on, they are older than the chart's 12 months */
    f.now += 60 * DAY;
    op = op_as(&f, f.a);
    OK(&f, portal_dashboard_get(&op, f.a, &d, &st));
    assert_string_equal(d.registrations[PORTAL_CHART_MONTHS - 1].month, "2028-02");
    for (int i = 0; i < PORTAL_CHART_MONTHS; i++)
        assert_int_equal(d.registrations[i].count, 0);
    OK(&f, portal_dashboard_get(&op, f.b, &d, &st));
    assert_int_equal(d.domains, 0);
    assert_int_equal(d.poll_messages, 0);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(portal_roles_and_logins),
        BOTH_BACKENDS(portal_staff_users),
        BOTH_BACKENDS(portal_login_with_totp),
        BOTH_BACKENDS(portal_lockout),
        BOTH_BACKENDS(portal_refusals_and_timeouts),
        BOTH_BACKENDS(portal_dashboard_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
