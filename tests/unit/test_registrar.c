/* Registrar accounts (src/registry/registrar.c): handle, password and
 * fingerprint rules, storage on both backends, and the login check of
 * DESIGN §11 (password + pinned certificate + allowed source address). */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/secret.h"
#include "registry/registrar.h"

#define FP_LOWER "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define FP_OTHER "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
/* FP_LOWER as openssl prints it: uppercase pairs with colons */
#define FP_COLONS                                                                                  \
    "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:" \
    "CD:EF"

static void add_ok(db *d, const struct registrar_new *r)
{
    reg_status st = {0};
    if (registrar_add(d, r, &st))
        fail_msg("registrar_add %s: %s", r->handle, reg_status_text(&st));
    assert_false(db_in_transaction(d));
}

static void add_simple(db *d, const char *handle, const char *password)
{
    struct registrar_new r = {.handle = handle, .name = "Simple Registrar", .password = password};
    add_ok(d, &r);
}

static void expect_handle(const char *in, const char *want)
{
    char out[REGISTRAR_HANDLE_MAX + 1] = "";
    reg_status st = {0};
    reg_err e = registrar_handle_normalize(in, out, &st);
    if (want) {
        if (e)
            fail_msg("handle \"%s\" refused: %s", in, reg_status_text(&st));
        assert_string_equal(out, want);
    } else {
        if (!e)
            fail_msg("handle \"%s\" accepted as \"%s\"", in ? in : "(null)", out);
        assert_int_equal(st.code, REG_ERR_INVALID);
        assert_true(st.reason[0] != '\0');
    }
}

static void handle_rules(void **state)
{
    (void)state;
    expect_handle("abc", "ABC");
    expect_handle("Reg-1", "REG-1");
    expect_handle("REGISTRAR-NUMBER", "REGISTRAR-NUMBER"); /* 16 */
    expect_handle("a1-", "A1-");
    expect_handle("x00", "X00");
    expect_handle(NULL, NULL);
    expect_handle("", NULL);
    expect_handle("ab", NULL);
    expect_handle("REGISTRAR-NUMBER1", NULL); /* 17 */
    expect_handle("1abc", NULL);
    expect_handle("-abc", NULL);
    expect_handle("ab_c", NULL);
    expect_handle("ab c", NULL);
    expect_handle("abc.", NULL);
    expect_handle("ab:c", NULL);
    expect_handle("\xc3\xa6" "bc", NULL); /* æbc */
    expect_handle("ab\xc3\xa6", NULL);
}

static void password_rules(void **state)
{
    (void)state;
    const char *good[] = {"abcdef", "0123456789abcdef", "p@ss!#%&", "~~~~~~", "Aa1!Bb2@Cc3#"};
    const char *bad[] = {"",          "abcde",     "0123456789abcdefg", "abc def",
                         "abcdef\t",  "\tabcdef",  "p\xc3\xa4sswort",    "abc\177def",
                         "abcdef\n"};
    reg_status st = {0};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (registrar_password_check(good[i], &st))
            fail_msg("password \"%s\" refused: %s", good[i], reg_status_text(&st));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        reg_status_clear(&st);
        if (registrar_password_check(bad[i], &st) == REG_OK)
            fail_msg("password \"%s\" accepted", bad[i]);
        assert_int_equal(st.code, REG_ERR_INVALID);
        assert_true(st.reason[0] != '\0');
    }
    assert_int_not_equal(registrar_password_check(NULL, &st), REG_OK);
}

static void generated_passwords_pass_the_rules(void **state)
{
    (void)state;
    char a[17], b[17];
    assert_int_equal(registrar_generate_password(a), REG_OK);
    assert_int_equal(registrar_generate_password(b), REG_OK);
    assert_int_equal(strlen(a), 16);
    assert_string_not_equal(a, b);
    reg_status st = {0};
    assert_int_equal(registrar_password_check(a, &st), REG_OK);
    for (const char *p = a; *p; p++)
        assert_null(strchr("Il1O0", *p)); /* no look-alikes */
}

static void fingerprint_rules(void **state)
{
    (void)state;
    char out[65];
    reg_status st = {0};
    assert_int_equal(registrar_fingerprint_normalize(FP_LOWER, out, &st), REG_OK);
    assert_string_equal(out, FP_LOWER);
    assert_int_equal(registrar_fingerprint_normalize(FP_COLONS, out, &st), REG_OK);
    assert_string_equal(out, FP_LOWER);
    assert_int_equal(registrar_fingerprint_normalize(
                         "0123456789ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef", out, &st),
                     REG_OK);
    assert_string_equal(out, FP_LOWER);
    const char *bad[] = {
        "",
        ":::",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",   /* 63 */
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", /* 65 */
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg",
        "0123456789abcdef0123456789abcdef 0123456789abcdef0123456789abcdef",
        "01:23:45:67:89:AB:CD:EF", /* SHA-1-ish length */
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        reg_status_clear(&st);
        if (registrar_fingerprint_normalize(bad[i], out, &st) == REG_OK)
            fail_msg("fingerprint \"%s\" accepted as %s", bad[i], out);
        assert_int_equal(st.code, REG_ERR_INVALID);
    }
}

static void add_and_get(void **state)
{
    struct fixture f;
    setup_bare(state, &f, "reg_add", T0);
    db *d = f.d;
    struct registrar_new r = {.handle = "acme-1",
                              .name = "ACME Names A/S",
                              .password = "s3cret-pw",
                              .email = "hostmaster@acme.example",
                              .certs = {FP_COLONS, FP_OTHER},
                              .ncerts = 2,
                              .prefixes = {"2001:db8::1/32", "192.0.2.7/24", "198.51.100.1"},
                              .nprefixes = 3};
    add_ok(d, &r);

    struct registrar g;
    reg_status st = {0};
    assert_int_equal(registrar_get(d, "ACME-1", &g, &st), REG_OK);
    assert_true(g.id > 0);
    assert_string_equal(g.handle, "ACME-1");
    assert_string_equal(g.name, "ACME Names A/S");
    assert_string_equal(g.email, "hostmaster@acme.example");
    assert_false(g.disabled);
    assert_string_equal(g.default_management, "registrar");
    assert_int_equal(g.created_at, T0);
    assert_int_equal(g.updated_at, T0);
    assert_int_equal(g.ncerts, 2);
    assert_string_equal(g.certs[0], FP_LOWER); /* normalised, sorted */
    assert_string_equal(g.certs[1], FP_OTHER);
    assert_int_equal(g.nprefixes, 3);
    assert_string_equal(g.prefixes[0], "192.0.2.0/24");
    assert_string_equal(g.prefixes[1], "198.51.100.1/32");
    assert_string_equal(g.prefixes[2], "2001:db8::/32");
    int64_t id = g.id;
    registrar_free(&g);
    assert_null(g.name);

    /* lowercase lookup finds the same registrar */
    assert_int_equal(registrar_get(d, "acme-1", &g, &st), REG_OK);
    assert_int_equal(g.id, id);
    registrar_free(&g);

    /* no email, no lists */
    struct registrar_new plain = {.handle = "PLAIN", .name = "Plain", .password = "plain-pw"};
    add_ok(d, &plain);
    assert_int_equal(registrar_get(d, "PLAIN", &g, &st), REG_OK);
    assert_null(g.email);
    assert_int_equal(g.ncerts, 0);
    assert_int_equal(g.nprefixes, 0);
    assert_true(g.id != id);
    registrar_free(&g);

    reg_status_clear(&st);
    assert_int_equal(registrar_get(d, "NOBODY", &g, &st), REG_ERR_NOT_FOUND);
    assert_non_null(strstr(st.reason, "NOBODY"));
    assert_int_equal(registrar_get(d, "bad handle!", &g, &st), REG_ERR_NOT_FOUND);
    teardown(&f);
}

static void duplicate_is_refused(void **state)
{
    struct fixture f;
    setup_bare(state, &f, "reg_dup", T0);
    db *d = f.d;
    add_simple(d, "DUPE", "first-pw");
    struct registrar_new again = {.handle = "dupe", .name = "Other name", .password = "second-pw"};
    reg_status st = {0};
    assert_int_equal(registrar_add(d, &again, &st), REG_ERR_EXISTS);
    assert_int_equal(st.code, REG_ERR_EXISTS);
    assert_non_null(strstr(st.reason, "DUPE"));
    assert_false(db_in_transaction(d));
    /* the original is unchanged and still logs in with its password */
    struct registrar g;
    assert_int_equal(registrar_get(d, "DUPE", &g, &st), REG_OK);
    assert_string_equal(g.name, "Simple Registrar");
    registrar_free(&g);
    assert_int_equal(registrar_authenticate(d, "DUPE", "first-pw", NULL, NULL, &g, &st), REG_OK);
    registrar_free(&g);
    assert_int_equal(registrar_authenticate(d, "DUPE", "second-pw", NULL, NULL, &g, &st), REG_ERR_AUTH);
    teardown(&f);
}

static void count_cb(const struct registrar *r, void *arg)
{
    (void)r;
    (*(int *)arg)++;
}

static void invalid_input_adds_nothing(void **state)
{
    struct fixture f;
    setup_bare(state, &f, "reg_invalid", T0);
    db *d = f.d;
    struct {
        struct registrar_new r;
        reg_err want;
    } cases[] = {
        {{.handle = "X", .name = "n", .password = "password"}, REG_ERR_INVALID},
        {{.handle = "NONAME", .password = "password"}, REG_ERR_MISSING},
        {{.handle = "EMPTYNAME", .name = "", .password = "password"}, REG_ERR_MISSING},
        {{.handle = "NOPASS", .name = "n"}, REG_ERR_INVALID},
        {{.handle = "SHORTPW", .name = "n", .password = "abc"}, REG_ERR_INVALID},
        {{.handle = "SPACEPW", .name = "n", .password = "pass word"}, REG_ERR_INVALID},
        {{.handle = "BADMAIL", .name = "n", .password = "password", .email = "nobody"},
         REG_ERR_INVALID},
        {{.handle = "BADMAIL2", .name = "n", .password = "password", .email = "ops @acme.dk"},
         REG_ERR_INVALID},
        /* issue 12 item 8: refused, and the reason does not repeat the override */
        {{.handle = "BADMAIL3", .name = "n", .password = "password",
          .email = "ops\xe2\x80\xae@acme.dk"},
         REG_ERR_INVALID},
        {{.handle = "BADCERT", .name = "n", .password = "password", .certs = {"abc"}, .ncerts = 1},
         REG_ERR_INVALID},
        {{.handle = "BADCERT2",
          .name = "n",
          .password = "password",
          .certs = {FP_LOWER, "zz"},
          .ncerts = 2},
         REG_ERR_INVALID},
        {{.handle = "BADIP", .name = "n", .password = "password", .prefixes = {"10.0.0.0/33"},
          .nprefixes = 1},
         REG_ERR_INVALID},
        {{.handle = "BADIP2", .name = "n", .password = "password", .prefixes = {"example.com"},
          .nprefixes = 1},
         REG_ERR_INVALID},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reg_status st = {0};
        reg_err e = registrar_add(d, &cases[i].r, &st);
        if (e != cases[i].want)
            fail_msg("case %zu (%s): got %s, want %s (%s)", i, cases[i].r.handle, reg_errname(e),
                     reg_errname(cases[i].want), reg_status_text(&st));
        assert_true(st.reason[0] != '\0');
        assert_null(strstr(st.reason, "\xe2\x80\xae"));
        assert_false(db_in_transaction(d));
    }
    int n = 0;
    reg_status st = {0};
    assert_int_equal(registrar_each(d, count_cb, &n, &st), REG_OK);
    assert_int_equal(n, 0);
    teardown(&f);
}

static void set_password(void **state)
{
    struct fixture f;
    setup_bare(state, &f, "reg_passwd", T0);
    db *d = f.d;
    add_simple(d, "PWREG", "old-password");
    struct registrar g;
    reg_status st = {0};
    clock_set_fixed(T0 + 3600);
    assert_int_equal(registrar_set_password(d, "pwreg", "new-password", &st), REG_OK);
    assert_false(db_in_transaction(d));
    assert_int_equal(registrar_authenticate(d, "PWREG", "old-password", NULL, NULL, &g, &st),
                     REG_ERR_AUTH);
    assert_int_equal(registrar_authenticate(d, "PWREG", "new-password", NULL, NULL, &g, &st), REG_OK);
    assert_int_equal(g.updated_at, T0 + 3600);
    assert_int_equal(g.created_at, T0);
    registrar_free(&g);

    reg_status_clear(&st);
    assert_int_equal(registrar_set_password(d, "PWREG", "short", &st), REG_ERR_INVALID);
    assert_int_equal(registrar_authenticate(d, "PWREG", "new-password", NULL, NULL, &g, &st), REG_OK);
    registrar_free(&g);
    reg_status_clear(&st);
    assert_int_equal(registrar_set_password(d, "NOBODY", "new-password", &st), REG_ERR_NOT_FOUND);
    assert_true(st.reason[0] != '\0');
    assert_int_equal(registrar_set_password(d, "bad handle", "new-password", &st), REG_ERR_NOT_FOUND);
    assert_false(db_in_transaction(d));
    teardown(&f);
}

static void disable_and_enable(void **state)
{
    struct fixture f;
    setup_bare(state, &f, "reg_disable", T0);
    db *d = f.d;
    add_simple(d, "OFFON", "password1");
    add_simple(d, "BYSTANDER", "password2");
    struct registrar g;
    reg_status st = {0};
    clock_set_fixed(T0 + 60);
    assert_int_equal(registrar_set_disabled(d, "offon", true, &st), REG_OK);
    assert_int_equal(registrar_get(d, "OFFON", &g, &st), REG_OK);
    assert_true(g.disabled);
    assert_int_equal(g.updated_at, T0 + 60);
    registrar_free(&g);
    reg_status_clear(&st);
    assert_int_equal(registrar_authenticate(d, "OFFON", "password1", NULL, NULL, &g, &st),
                     REG_ERR_AUTH);
    assert_non_null(strstr(st.reason, "disabled"));
    /* only that one */
    assert_int_equal(registrar_get(d, "BYSTANDER", &g, &st), REG_OK);
    assert_false(g.disabled);
    registrar_free(&g);
    /* disabling twice is fine */
    assert_int_equal(registrar_set_disabled(d, "OFFON", true, &st), REG_OK);

    assert_int_equal(registrar_set_disabled(d, "OFFON", false, &st), REG_OK);
    assert_int_equal(registrar_authenticate(d, "OFFON", "password1", NULL, NULL, &g, &st), REG_OK);
    assert_false(g.disabled);
    registrar_free(&g);
    assert_int_equal(registrar_set_disabled(d, "NOBODY", true, &st), REG_ERR_NOT_FOUND);
    assert_false(db_in_transaction(d));
    teardown(&f);
}

struct seen {
    int n;
    char handles[8][REGISTRAR_HANDLE_MAX + 1];
    bool disabled[8];
};

static void collect(const struct registrar *r, void *arg)
{
    struct seen *s = arg;
    if (s->n < 8) {
        snprintf(s->handles[s->n], sizeof s->handles[0], "%s", r->handle);
        s->disabled[s->n] = r->disabled;
        assert_non_null(r->name);
    }
    s->n++;
}

static void each_in_handle_order(void **state)
{
    struct fixture f;
    setup_bare(state, &f, "reg_each", T0);
    db *d = f.d;
    struct seen s = {0};
    reg_status st = {0};
    assert_int_equal(registrar_each(d, collect, &s, &st), REG_OK);
    assert_int_equal(s.n, 0);
    add_simple(d, "zed", "password");
    add_simple(d, "ALPHA", "password");
    add_simple(d, "mid-2", "password");
    add_simple(d, "MID-10", "password");
    assert_int_equal(registrar_set_disabled(d, "MID-2", true, &st), REG_OK);
    assert_int_equal(registrar_each(d, collect, &s, &st), REG_OK);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.handles[0], "ALPHA");
    assert_string_equal(s.handles[1], "MID-10");
    assert_string_equal(s.handles[2], "MID-2");
    assert_string_equal(s.handles[3], "ZED");
    assert_false(s.disabled[1]);
    assert_true(s.disabled[2]);
    teardown(&f);
}

static void expect_auth(db *d, const char *handle, const char *pw, const char *fp, const char *ip,
                        const char *why)
{
    struct registrar g = {0};
    reg_status st = {0};
    reg_err e = registrar_authenticate(d, handle, pw, fp, ip, &g, &st);
    if (!why) {
        if (e)
            fail_msg("login %s/%s fp=%s ip=%s refused: %s", handle, pw, fp ? fp : "-", ip ? ip : "-",
                     reg_status_text(&st));
        char norm[REGISTRAR_HANDLE_MAX + 1];
        registrar_handle_normalize(handle, norm, &st);
        assert_string_equal(g.handle, norm);
        registrar_free(&g);
        return;
    }
    if (e != REG_ERR_AUTH)
        fail_msg("login %s/%s fp=%s ip=%s: got %s, want REG_ERR_AUTH", handle, pw ? pw : "(null)",
                 fp ? fp : "-", ip ? ip : "-", reg_errname(e));
    assert_int_equal(st.code, REG_ERR_AUTH);
    if (!strstr(st.reason, why))
        fail_msg("login %s refused with \"%s\", want a reason mentioning \"%s\"", handle, st.reason,
                 why);
    assert_null(g.name); /* nothing handed out on refusal */
}

static void authenticate(void **state)
{
    struct fixture f;
    setup_bare(state, &f, "reg_auth", T0);
    db *d = f.d;
    add_simple(d, "OPEN", "open-pw1");
    struct registrar_new pinned = {.handle = "PINNED",
                                   .name = "Pinned",
                                   .password = "pinned-pw",
                                   .certs = {FP_COLONS, FP_OTHER},
                                   .ncerts = 2};
    add_ok(d, &pinned);
    struct registrar_new walled = {.handle = "WALLED",
                                   .name = "Walled",
                                   .password = "walled-pw",
                                   .prefixes = {"192.0.2.0/24", "2001:db8::/32"},
                                   .nprefixes = 2};
    add_ok(d, &walled);
    struct registrar_new both = {.handle = "BOTH",
                                 .name = "Both",
                                 .password = "both-pw1",
                                 .certs = {FP_LOWER},
                                 .ncerts = 1,
                                 .prefixes = {"198.51.100.0/24"},
                                 .nprefixes = 1};
    add_ok(d, &both);

    /* password */
    expect_auth(d, "OPEN", "open-pw1", NULL, NULL, NULL);
    expect_auth(d, "open", "open-pw1", FP_OTHER, "203.0.113.1", NULL);
    expect_auth(d, "OPEN", "open-pw2", NULL, NULL, "invalid client id or password");
    expect_auth(d, "OPEN", "OPEN-PW1", NULL, NULL, "invalid client id or password");
    expect_auth(d, "OPEN", "", NULL, NULL, "invalid client id or password");
    expect_auth(d, "OPEN", NULL, NULL, NULL, "invalid client id or password");
    /* an unknown handle looks exactly like a wrong password */
    expect_auth(d, "NOBODY", "open-pw1", NULL, NULL, "invalid client id or password");
    expect_auth(d, "not a handle", "open-pw1", NULL, NULL, "invalid client id or password");
    expect_auth(d, NULL, "open-pw1", NULL, NULL, "invalid client id or password");

    /* pinned certificates */
    expect_auth(d, "PINNED", "pinned-pw", FP_LOWER, NULL, NULL);
    expect_auth(d, "PINNED", "pinned-pw", FP_OTHER, NULL, NULL);
    expect_auth(d, "PINNED", "pinned-pw",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL,
                "certificate");
    expect_auth(d, "PINNED", "pinned-pw", NULL, NULL, "certificate");
    expect_auth(d, "PINNED", "pinned-pw", "", NULL, "certificate");
    /* the wrong password is reported as such, not as a certificate problem */
    expect_auth(d, "PINNED", "wrong-pw", NULL, NULL, "invalid client id or password");

    /* source address allow-list */
    expect_auth(d, "WALLED", "walled-pw", NULL, "192.0.2.200", NULL);
    expect_auth(d, "WALLED", "walled-pw", NULL, "2001:db8:1::9", NULL);
    expect_auth(d, "WALLED", "walled-pw", NULL, "::ffff:192.0.2.1", NULL);
    expect_auth(d, "WALLED", "walled-pw", NULL, "192.0.3.1", "address");
    expect_auth(d, "WALLED", "walled-pw", NULL, "2001:db9::1", "address");
    expect_auth(d, "WALLED", "walled-pw", NULL, NULL, "address");
    expect_auth(d, "WALLED", "walled-pw", NULL, "garbage", "address");

    /* both checks */
    expect_auth(d, "BOTH", "both-pw1", FP_LOWER, "198.51.100.20", NULL);
    expect_auth(d, "BOTH", "both-pw1", FP_OTHER, "198.51.100.20", "certificate");
    expect_auth(d, "BOTH", "both-pw1", FP_LOWER, "192.0.2.1", "address");

    /* disabled beats everything but a wrong password */
    reg_status st = {0};
    assert_int_equal(registrar_set_disabled(d, "BOTH", true, &st), REG_OK);
    expect_auth(d, "BOTH", "both-pw1", FP_LOWER, "198.51.100.20", "disabled");
    expect_auth(d, "BOTH", "wrong-pw", FP_LOWER, "198.51.100.20", "invalid client id or password");
    assert_false(db_in_transaction(d));
    teardown(&f);
}

int main(void)
{
    log_set_level(LOG_WARN);
    if (secret_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(handle_rules),
        cmocka_unit_test(password_rules),
        cmocka_unit_test(generated_passwords_pass_the_rules),
        cmocka_unit_test(fingerprint_rules),
        BOTH_BACKENDS(add_and_get),
        BOTH_BACKENDS(duplicate_is_refused),
        BOTH_BACKENDS(invalid_input_adds_nothing),
        BOTH_BACKENDS(set_password),
        BOTH_BACKENDS(disable_and_enable),
        BOTH_BACKENDS(each_in_handle_order),
        BOTH_BACKENDS(authenticate),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    clock_set_real();
    return failed;
}
