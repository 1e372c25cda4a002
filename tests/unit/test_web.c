/* The web layer's safety helpers (R7 confirmation pages, DESIGN §11):
 * HTML escaping, CSV quoting, the shape check of tokens taken from URLs,
 * the CSRF double-submit compare, Origin matching, cookie and form
 * parsing. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <string.h>

#include "contrib/secret.h"
#include "testutil.h"
#include "web/csrf.h"
#include "web/html.h"
#include "web/portal_text.h"
#include "web/web.h"

/* What fn (html_escape or csv_field) appends for s. */
static char *appended(void (*fn)(strbuf *, const char *), const char *s)
{
    static char out[512];
    strbuf sb;
    sb_init(&sb);
    fn(&sb, s);
    snprintf(out, sizeof out, "%s", sb_str(&sb));
    sb_free(&sb);
    return out;
}

static char *escaped(const char *s) { return appended(html_escape, s); }

static void test_html_escape(void **state)
{
    (void)state;
    assert_string_equal(escaped("plain text"), "plain text");
    assert_string_equal(escaped(""), "");
    assert_string_equal(escaped(NULL), "");
    assert_string_equal(escaped("<script>alert('x')</script>"),
                        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assert_string_equal(escaped("\"onmouseover=\"x"), "&quot;onmouseover=&quot;x");
    assert_string_equal(escaped("A & B &amp;"), "A &amp; B &amp;amp;");
    assert_string_equal(escaped("&"), "&amp;");
    assert_string_equal(escaped("<<>>"), "&lt;&lt;&gt;&gt;");
    /* UTF-8 passes through untouched */
    assert_string_equal(escaped("bl\xc3\xa5" "b\xc3\xa6" "r.dk <x>"),
                        "bl\xc3\xa5" "b\xc3\xa6" "r.dk &lt;x&gt;");
}

/* RFC 4180: quoted only when needed, quotes doubled, line breaks kept
 * inside the quotes; HTML characters are no business of CSV. */
/* The portal's HTML writer escapes every text and attribute value. */
static void test_html_writer(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb);
    h_open(&sb, "form", "method", "post", "action", "/x?a=1&b=\"2\"", NULL);
    h_void(&sb, "input", "name", "q", "value", "<script>alert('x')</script>", "required", NULL,
           NULL);
    h_elem(&sb, "p", "Alpha & <Co>", "class", "lead", NULL);
    h_textf(&sb, "%s=%d", "<b>", 5);
    h_close(&sb, "form");
    assert_string_equal(sb_str(&sb),
                        "<form method=\"post\" action=\"/x?a=1&amp;b=&quot;2&quot;\">"
                        "<input name=\"q\" value=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
                        "\" required>"
                        "<p class=\"lead\">Alpha &amp; &lt;Co&gt;</p>&lt;b&gt;=5</form>");
    sb_free(&sb);
}

/* Every text of the portal in English and Danish, none empty; the
 * language of a tag. */
static void test_portal_texts(void **state)
{
    (void)state;
    for (int id = 0; id < T__COUNT; id++) {
        assert_true(portal_text("en", id)[0] != '\0');
        assert_true(portal_text("da", id)[0] != '\0');
    }
    assert_string_equal(portal_text("da", T_LOGIN_TITLE), "Log ind");
    assert_string_equal(portal_text("de", T_LOGIN_TITLE), "Log in");
    assert_string_equal(portal_lang("da-DK,da;q=0.9"), "da");
    assert_string_equal(portal_lang("DA"), "da");
    assert_string_equal(portal_lang("dav"), "en");
    assert_string_equal(portal_lang("en-GB"), "en");
    assert_string_equal(portal_lang(NULL), "en");
}

static void test_csv_field(void **state)
{
    (void)state;
    assert_string_equal(appended(csv_field, "plain <b> & 'x'"), "plain <b> & 'x'");
    assert_string_equal(appended(csv_field, ""), "");
    assert_string_equal(appended(csv_field, NULL), "");
    assert_string_equal(appended(csv_field, "a,b"), "\"a,b\"");
    assert_string_equal(appended(csv_field, "say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_string_equal(appended(csv_field, "\""), "\"\"\"\"");
    assert_string_equal(appended(csv_field, "one\ntwo"), "\"one\ntwo\"");
    assert_string_equal(appended(csv_field, "one\r\ntwo"), "\"one\r\ntwo\"");
}

static void test_token_valid(void **state)
{
    (void)state;
    for (int i = 0; i < 64; i++) {
        char t[SECRET_TOKEN_LEN];
        assert_int_equal(secret_token(t), REG_OK);
        assert_true(web_token_valid(t));
    }
    const char *good = "abcdefghijklmnopqrstuvwxyz_-0123456789ABCDA";
    assert_int_equal(strlen(good), SECRET_TOKEN_LEN - 1);
    assert_true(web_token_valid(good));
    const char *bad[] = {
        NULL,
        "",
        "abcdefghijklmnopqrstuvwxyz_-0123456789ABCD",   /* one short */
        "abcdefghijklmnopqrstuvwxyz_-0123456789ABCDAA", /* one long */
        "abcdefghijklmnopqrstuvwxyz+/0123456789ABCDA",  /* standard alphabet */
        "abcdefghijklmnopqrstuvwxyz_-0123456789ABCD=",  /* padding */
        "abcdefghijklmnopqrstuvwxyz_-0123456789ABCDB",  /* non-zero trailing bits */
        "abcdefghijklmnopqrstuvwxyz_-0123456789AB%41",  /* percent-encoded */
        "abcdefghijklmnopqrstuvwxyz_-0123456789ABC/A",
        "../../../../../../../../../../../etc/passwd",
        "abcdefghijklmnopqrstuvwxyz_-0123456789ABC A",
        "kYbpbeOA_eLM2N3OfENXvN6O\xe1" "OVh891kwIMBrcv5Mpw", /* libsodium decodes \xe1 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(web_token_valid(bad[i]));
    char with_nul[] = "abcdefghijklmnopqrstuvwxyz_-0123456789ABC\0A";
    assert_false(web_token_valid(with_nul));
}

static void test_csrf_equal(void **state)
{
    (void)state;
    char a[SECRET_TOKEN_LEN], b[SECRET_TOKEN_LEN];
    assert_int_equal(secret_token(a), REG_OK);
    assert_int_equal(secret_token(b), REG_OK);
    char copy[SECRET_TOKEN_LEN];
    memcpy(copy, a, sizeof copy);
    assert_true(csrf_equal(a, copy));
    assert_false(csrf_equal(a, b));
    assert_false(csrf_equal("", ""));
    assert_false(csrf_equal("x", "x")); /* equal, but not a token */
    char shorter[SECRET_TOKEN_LEN];
    memcpy(shorter, a, sizeof shorter);
    shorter[SECRET_TOKEN_LEN - 2] = '\0';
    assert_false(csrf_equal(a, shorter));
    /* one character off at the end */
    copy[SECRET_TOKEN_LEN - 3] = copy[SECRET_TOKEN_LEN - 3] == 'Q' ? 'R' : 'Q';
    assert_false(csrf_equal(a, copy));
}

static void test_origin(void **state)
{
    (void)state;
    char o[128];
    assert_true(web_origin("https://Self.NIC.example/reg", o, sizeof o));
    assert_string_equal(o, "https://self.nic.example");
    assert_true(web_origin("https://nic.example:443", o, sizeof o));
    assert_string_equal(o, "https://nic.example");
    assert_true(web_origin("http://127.0.0.1:8080", o, sizeof o));
    assert_string_equal(o, "http://127.0.0.1:8080");
    assert_true(web_origin("http://[::1]:80/x?y", o, sizeof o));
    assert_string_equal(o, "http://[::1]");
    assert_false(web_origin("null", o, sizeof o));
    assert_false(web_origin("ftp://nic.example", o, sizeof o));
    assert_false(web_origin("https://", o, sizeof o));
    assert_false(web_origin("https://user@evil.example", o, sizeof o));

    const char *base = "https://self.nic.example/reg";
    assert_true(csrf_origin_ok(NULL, base)); /* no Origin: cookie + field decide */
    assert_true(csrf_origin_ok("https://self.nic.example", base));
    assert_true(csrf_origin_ok("https://self.nic.example:443", base));
    assert_false(csrf_origin_ok("http://self.nic.example", base));
    assert_false(csrf_origin_ok("https://self.nic.example:8443", base));
    assert_false(csrf_origin_ok("https://self.nic.example.evil.example", base));
    assert_false(csrf_origin_ok("https://evil.example", base));
    assert_false(csrf_origin_ok("null", base));
    assert_false(csrf_origin_ok("", base));
}

static void test_base_path(void **state)
{
    (void)state;
    char p[64];
    assert_string_equal(web_base_path("https://nic.example", p, sizeof p), "");
    assert_string_equal(web_base_path("https://nic.example/", p, sizeof p), "");
    assert_string_equal(web_base_path("https://nic.example/self", p, sizeof p), "/self");
    assert_string_equal(web_base_path("https://nic.example/a/b/", p, sizeof p), "/a/b");
}

/* A request as evhttp hands it to a handler, without a connection. */
static struct evhttp_request *request(const char *cookie, const char *origin, const char *body)
{
    struct evhttp_request *req = evhttp_request_new(NULL, NULL);
    struct evkeyvalq *h = evhttp_request_get_input_headers(req);
    if (cookie)
        evhttp_add_header(h, "Cookie", cookie);
    if (origin)
        evhttp_add_header(h, "Origin", origin);
    if (body)
        evbuffer_add(evhttp_request_get_input_buffer(req), body, strlen(body));
    return req;
}

static void test_cookie_and_form(void **state)
{
    (void)state;
    struct evhttp_request *req = request("a=1; confirm_csrf=xyz ;b=2", NULL,
                                         "decision=confirm&csrf=abc%2Ddef&empty=");
    struct web_request w = {.req = req};
    char v[16];
    assert_true(web_cookie(&w, "confirm_csrf", v, sizeof v));
    assert_string_equal(v, "xyz");
    assert_true(web_cookie(&w, "b", v, sizeof v));
    assert_string_equal(v, "2");
    assert_false(web_cookie(&w, "csrf", v, sizeof v)); /* a suffix of a name is not the name */
    assert_false(web_cookie(&w, "confirm", v, sizeof v));
    assert_true(web_form_field(&w, "csrf", v, sizeof v));
    assert_string_equal(v, "abc-def");
    assert_true(web_form_field(&w, "empty", v, sizeof v));
    assert_string_equal(v, "");
    assert_false(web_form_field(&w, "missing", v, sizeof v));
    char tiny[4];
    assert_false(web_form_field(&w, "decision", tiny, sizeof tiny)); /* too long for out */
    evhttp_request_free(req);
}

static void test_csrf_check(void **state)
{
    (void)state;
    struct reg_config cfg = {.http_base_url = "https://self.nic.example"};
    char t[SECRET_TOKEN_LEN], other[SECRET_TOKEN_LEN];
    assert_int_equal(secret_token(t), REG_OK);
    assert_int_equal(secret_token(other), REG_OK);
    char cookie[128], body[128], wrong_body[128];
    snprintf(cookie, sizeof cookie, "confirm_csrf=%s", t);
    snprintf(body, sizeof body, "csrf=%s&decision=confirm", t);
    snprintf(wrong_body, sizeof wrong_body, "csrf=%s&decision=confirm", other);
    struct {
        const char *cookie, *origin, *body;
        bool ok;
    } cases[] = {
        {cookie, NULL, body, true},
        {cookie, "https://self.nic.example", body, true},
        {cookie, "https://evil.example", body, false},
        {cookie, "null", body, false},
        {NULL, NULL, body, false},
        {cookie, NULL, "decision=confirm", false},
        {cookie, NULL, wrong_body, false},
        {"confirm_csrf=", NULL, "csrf=&decision=confirm", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct evhttp_request *req = request(cases[i].cookie, cases[i].origin, cases[i].body);
        struct web_request w = {.req = req, .cfg = &cfg};
        if (csrf_check(&w, "confirm_csrf") != cases[i].ok)
            fail_msg("case %zu: expected %s", i, cases[i].ok ? "accepted" : "refused");
        evhttp_request_free(req);
    }
}

int main(void)
{
    assert_int_equal(secret_init(), REG_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test(test_html_writer),
        cmocka_unit_test(test_portal_texts),
        cmocka_unit_test(test_token_valid),
        cmocka_unit_test(test_csrf_equal),
        cmocka_unit_test(test_origin),
        cmocka_unit_test(test_base_path),
        cmocka_unit_test(test_cookie_and_form),
        cmocka_unit_test(test_csrf_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
