/* RDAP without HTTP (src/rdds/rdap.c): request paths and searches (RFC
 * 9082), HTTP Basic credentials (RFC 7617), X-Forwarded-For, the EPP to
 * RDAP status mapping (RFC 8056), error and help objects (RFC 9083). */
#include <string.h>

#include "rdds/jsonmem.h"
#include "rdds/rdap.h"
#include "testutil.h"
#include "web/web.h"

static int parse(const char *path, const char *query, struct rdap_query *q)
{
    char why[256] = "";
    int status = rdap_parse(path, query, q, why, sizeof why);
    if (status != 200 && !*why)
        fail_msg("%s?%s: status %d without a reason", path, query ? query : "", status);
    return status;
}

static void expect_status(const char *path, const char *query, int want)
{
    struct rdap_query q;
    int got = parse(path, query, &q);
    if (got != want)
        fail_msg("%s?%s: status %d, want %d", path, query ? query : "", got, want);
}

static void expect_lookup(const char *path, enum rdap_kind kind, const char *name)
{
    struct rdap_query q;
    int got = parse(path, NULL, &q);
    if (got != 200 || q.kind != kind || strcmp(q.name, name))
        fail_msg("%s: status %d kind %d name \"%s\", want kind %d \"%s\"", path, got, q.kind,
                 q.name, kind, name);
}

static void lookups(void **state)
{
    (void)state;
    expect_lookup("/domain/example.dk", RDAP_DOMAIN, "example.dk");
    expect_lookup("/domain/EXAMPLE.DK", RDAP_DOMAIN, "example.dk");
    expect_lookup("/domain/example.dk.", RDAP_DOMAIN, "example.dk");
    /* a U-label, percent-encoded as clients send it, and its A-label */
    expect_lookup("/domain/bl%C3%A5b%C3%A6rgr%C3%B8d.dk", RDAP_DOMAIN, "xn--blbrgrd-fxak7p.dk");
    expect_lookup("/domain/xn--blbrgrd-fxak7p.dk", RDAP_DOMAIN, "xn--blbrgrd-fxak7p.dk");
    expect_lookup("/nameserver/NS1.Example.dk", RDAP_NAMESERVER, "ns1.example.dk");
    /* handles are stored upper case: contacts (R1) and registrars */
    expect_lookup("/entity/reg-a:abc-1", RDAP_ENTITY, "REG-A:ABC-1");
    expect_lookup("/entity/DEMO", RDAP_ENTITY, "DEMO");
    expect_lookup("/help", RDAP_HELP, "");
}

static void bad_paths(void **state)
{
    (void)state;
    const char *bad[] = {"", "/", "/domain", "/domain/", "/domain/a/b", "/domain/a b.dk",
                         "/domain/%zz.dk", "/domain/%", "/domain/%4", "/domain/a%00.dk",
                         "/domain/a%0a.dk", "/domain/%FF.dk", "/domain/-a.dk", "/domain/a..dk",
                         "/domain/a_b.dk", "/entity/a%20b", "/entity/a/b", "/entity/",
                         "/nameserver/", "/help/", "/help/x", "/domains/x", "/whois/x",
                         "/Domain/example.dk", "/\xff\xfe"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_status(bad[i], NULL, 400);
    /* a name of 1025 decoded bytes is refused before anything looks at it */
    char long_path[1200] = "/domain/";
    memset(long_path + strlen(long_path), 'a', 1025);
    expect_status(long_path, NULL, 400);
    /* number registries' queries: defined by RDAP, not served here */
    expect_status("/ip/192.0.2.1", NULL, 501);
    expect_status("/autnum/64496", NULL, 501);
}

static void searches(void **state)
{
    (void)state;
    struct rdap_query q;
    assert_int_equal(parse("/domains", "name=Exam*", &q), 200);
    assert_int_equal(q.kind, RDAP_DOMAINS);
    assert_string_equal(q.name, "exam");
    assert_string_equal(q.suffix, "");
    assert_true(q.partial);
    assert_false(q.unicode);
    assert_int_equal(parse("/domains", "name=exam*.DK", &q), 200);
    assert_string_equal(q.name, "exam");
    assert_string_equal(q.suffix, ".dk");
    assert_int_equal(parse("/domains", "foo=1&name=bl%C3%A5*&sort=x", &q), 200);
    assert_string_equal(q.name, "bl\xc3\xa5");
    assert_true(q.unicode);
    /* no '*': one name, looked up as a lookup would */
    assert_int_equal(parse("/domains", "name=Example.dk", &q), 200);
    assert_false(q.partial);
    assert_string_equal(q.name, "example.dk");
    assert_int_equal(parse("/nameservers", "name=ns*", &q), 200);
    assert_int_equal(q.kind, RDAP_NAMESERVERS);
    assert_int_equal(parse("/entities", "fn=Example+Org*", &q), 200);
    assert_int_equal(q.kind, RDAP_ENTITIES);
    assert_int_equal(q.field, RDAP_BY_FN);
    assert_string_equal(q.name, "Example Org");
    assert_true(q.partial);
    assert_int_equal(parse("/entities", "handle=reg-a:*", &q), 200);
    assert_int_equal(q.field, RDAP_BY_HANDLE);
    assert_string_equal(q.name, "REG-A:");

    /* RFC 9082 §4.1: styles of partial match we do not support are 422 */
    expect_status("/domains", "name=*", 422);
    expect_status("/domains", "name=*.dk", 422);
    expect_status("/domains", "name=ex*m*", 422);
    expect_status("/domains", "name=a.b*.dk", 422);
    expect_status("/domains", "name=ex*mple.dk", 422);
    expect_status("/entities", "fn=a*b", 422);
    expect_status("/entities", "fn=*", 422);
    /* searches RDAP defines that a domain registry does not serve */
    expect_status("/domains", "nsLdhName=ns1.example.dk", 501);
    expect_status("/domains", "nsIp=192.0.2.1", 501);
    expect_status("/nameservers", "ip=192.0.2.1", 501);
    /* malformed */
    expect_status("/domains", NULL, 400);
    expect_status("/domains", "", 400);
    expect_status("/domains", "sort=name", 400);
    expect_status("/domains", "name", 400);
    expect_status("/domains", "name=a*&name=b*", 400);
    expect_status("/nameservers", "name=ns*&ip=1", 400);
    expect_status("/domains", "name=a%00*", 400);
    expect_status("/domains", "name=a_b*", 400);
    expect_status("/domains", "name=a+b*", 400);
    expect_status("/domains", "name=%C3*", 400);
    expect_status("/entities", "handle=a/b*", 400);
    expect_status("/entities", "name=x*", 400);
}

static void basic_credentials(void **state)
{
    (void)state;
    char user[64], pw[256];
    /* "DEMO:pass:word" */
    assert_true(rdap_basic_credentials("Basic REVNTzpwYXNzOndvcmQ=", user, sizeof user, pw,
                                       sizeof pw));
    assert_string_equal(user, "DEMO");
    assert_string_equal(pw, "pass:word");
    assert_true(rdap_basic_credentials("basic  REVNTzpwYXNzOndvcmQ= ", user, sizeof user, pw,
                                       sizeof pw));
    assert_string_equal(pw, "pass:word");
    /* "DEMO:" (an empty password is still a pair) */
    assert_true(rdap_basic_credentials("Basic REVNTzo=", user, sizeof user, pw, sizeof pw));
    assert_string_equal(pw, "");
    const char *bad[] = {NULL,
                         "",
                         "Bearer REVNTzpwYXNzOndvcmQ=",
                         "Basic",
                         "Basic ",
                         "Basic REVNTw==",                /* "DEMO": no ':' */
                         "Basic REVNTzpwYXNzOndvcmQ",     /* padding missing */
                         "Basic REVNTzpwYXNzOndvcmQ==",   /* too much padding */
                         "Basic REVN=zpwYXNzOndvcmQ=",    /* '=' inside */
                         "Basic REVNTzpw!XNzOndvcmQ=",    /* not base64 */
                         "Basic REVNTzpwYQl3b3Jk",        /* "DEMO:pa\tword" */
                         "Basic REVNTwA6cHc="};           /* "DEMO\0:pw" */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (rdap_basic_credentials(bad[i], user, sizeof user, pw, sizeof pw))
            fail_msg("\"%s\" accepted", bad[i] ? bad[i] : "(null)");
    /* a user longer than the buffer */
    assert_false(rdap_basic_credentials("Basic REVNTzpwYXNzOndvcmQ=", user, 4, pw, sizeof pw));
}

static void forwarded_for(void **state)
{
    (void)state;
    char ip[64];
    assert_true(web_forwarded_for("203.0.113.9", ip, sizeof ip));
    assert_string_equal(ip, "203.0.113.9");
    /* the last entry is the one our proxy appended; the others are the
     * client's word */
    assert_true(web_forwarded_for("10.0.0.1, 198.51.100.7 , 2001:db8::5 ", ip, sizeof ip));
    assert_string_equal(ip, "2001:db8::5");
    const char *bad[] = {NULL, "", "203.0.113.9:443", "[2001:db8::1]", "unknown", "1.2.3.4,",
                         "1.2.3.4, _hidden"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (web_forwarded_for(bad[i], ip, sizeof ip))
            fail_msg("\"%s\" gave %s", bad[i] ? bad[i] : "(null)", ip);
}

/* RFC 8056 §2, every EPP status of RFC 5731-5733 and RFC 3915 */
static void status_mapping(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"ok", "active"},
        {"linked", "associated"},
        {"inactive", "inactive"},
        {"clientHold", "client hold"},
        {"serverHold", "server hold"},
        {"clientDeleteProhibited", "client delete prohibited"},
        {"serverDeleteProhibited", "server delete prohibited"},
        {"clientRenewProhibited", "client renew prohibited"},
        {"serverRenewProhibited", "server renew prohibited"},
        {"clientTransferProhibited", "client transfer prohibited"},
        {"serverTransferProhibited", "server transfer prohibited"},
        {"clientUpdateProhibited", "client update prohibited"},
        {"serverUpdateProhibited", "server update prohibited"},
        {"pendingCreate", "pending create"},
        {"pendingDelete", "pending delete"},
        {"pendingRenew", "pending renew"},
        {"pendingRestore", "pending restore"},
        {"pendingTransfer", "pending transfer"},
        {"pendingUpdate", "pending update"},
        {"addPeriod", "add period"},
        {"autoRenewPeriod", "auto renew period"},
        {"renewPeriod", "renew period"},
        {"transferPeriod", "transfer period"},
        {"redemptionPeriod", "redemption period"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *got = rdap_status_of_epp(pairs[i][0]);
        if (!got || strcmp(got, pairs[i][1]))
            fail_msg("%s → %s, want %s", pairs[i][0], got ? got : "(none)", pairs[i][1]);
    }
    assert_null(rdap_status_of_epp("OK"));
    assert_null(rdap_status_of_epp("bogus"));
}

static void error_object(void **state)
{
    (void)state;
    json_t *e = rdap_error_json(404, rdap_status_phrase(404), "no such domain");
    assert_non_null(e);
    assert_int_equal(json_integer_value(json_object_get(e, "errorCode")), 404);
    assert_string_equal(json_string_value(json_object_get(e, "title")), "Not Found");
    json_t *d = json_object_get(e, "description");
    assert_int_equal(json_array_size(d), 1);
    assert_string_equal(json_string_value(json_array_get(d, 0)), "no such domain");
    json_t *c = json_object_get(e, "rdapConformance");
    assert_int_equal(json_array_size(c), 1);
    assert_string_equal(json_string_value(json_array_get(c, 0)), "rdap_level_0");
    json_decref(e);
    assert_string_equal(rdap_status_phrase(429), "Too Many Requests");
    assert_string_equal(rdap_status_phrase(422), "Unprocessable Content");
}

static void help_object(void **state)
{
    (void)state;
    struct rdap_site site = {.base_url = "https://rdap.nic.example",
                             .port43 = "",
                             .terms = "Line one.\nLine two.",
                             .terms_url = "https://nic.example/terms",
                             .max_results = 10};
    json_t *h = rdap_help_json(&site);
    assert_non_null(h);
    json_t *c = json_object_get(h, "rdapConformance");
    assert_int_equal(json_array_size(c), 2);
    assert_string_equal(json_string_value(json_array_get(c, 0)), "rdap_level_0");
    assert_string_equal(json_string_value(json_array_get(c, 1)), "redacted");
    json_t *notices = json_object_get(h, "notices");
    assert_int_equal(json_array_size(notices), 2);
    json_t *terms = json_array_get(notices, 0);
    assert_string_equal(json_string_value(json_object_get(terms, "title")), "Terms of Use");
    json_t *lines = json_object_get(terms, "description");
    assert_int_equal(json_array_size(lines), 2);
    assert_string_equal(json_string_value(json_array_get(lines, 1)), "Line two.");
    json_t *link = json_array_get(json_object_get(terms, "links"), 0);
    assert_string_equal(json_string_value(json_object_get(link, "value")),
                        "https://rdap.nic.example/rdap/help");
    assert_string_equal(json_string_value(json_object_get(link, "rel")), "terms-of-service");
    assert_string_equal(json_string_value(json_object_get(link, "href")),
                        "https://nic.example/terms");
    json_t *self = json_array_get(json_object_get(json_array_get(notices, 1), "links"), 0);
    assert_string_equal(json_string_value(json_object_get(self, "rel")), "self");
    assert_string_equal(json_string_value(json_object_get(self, "type")),
                        "application/rdap+json");
    json_decref(h);
    /* without terms there is no terms notice */
    site.terms = "";
    h = rdap_help_json(&site);
    assert_int_equal(json_array_size(json_object_get(h, "notices")), 1);
    json_decref(h);
}

/* JSON values made on a thread with an arena come from it (freeing them is
 * nothing); without one, and for json_dumps' strings, malloc and free as
 * ever. */
static void json_in_an_arena(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 1 << 20);
    jsonmem_use(&a);
    json_t *o = json_pack("{s:s, s:[i, i]}", "name", "example.dk", "list", 1, 2);
    assert_non_null(o);
    assert_true(arena_owns(&a, o));
    assert_true(arena_owns(&a, json_string_value(json_object_get(o, "name"))));
    char buf[64];
    assert_int_equal(json_dumpb(o, buf, sizeof buf, JSON_COMPACT), 34);
    assert_memory_equal(buf, "{\"name\":\"example.dk\",\"list\":[1,2]}", 34);
    json_decref(o);
    jsonmem_use(NULL);
    arena_reset(&a);
    /* no arena: malloc, and a dumped string the caller frees */
    json_t *p = json_pack("[s]", "x");
    assert_false(arena_owns(&a, p));
    char *text = json_dumps(p, JSON_COMPACT);
    assert_string_equal(text, "[\"x\"]");
    free(text);
    json_decref(p);
    arena_free(&a);
}

/* Past the arena's limit jansson gets malloc: the answer is whole, and
 * what came from malloc is freed (ASan would see a leak or a bad free). */
static void json_past_the_arena(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 512);
    jsonmem_use(&a);
    json_t *list = json_array();
    for (int i = 0; i < 100; i++)
        assert_int_equal(json_array_append_new(list, json_string("a name of some length")), 0);
    assert_true(arena_failed(&a));
    assert_true(arena_owns(&a, list));
    assert_false(arena_owns(&a, json_array_get(list, 99)));
    assert_int_equal(json_array_size(list), 100);
    assert_string_equal(json_string_value(json_array_get(list, 99)), "a name of some length");
    json_decref(list);
    jsonmem_use(NULL);
    arena_free(&a);
}

int main(void)
{
    jsonmem_install();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lookups),           cmocka_unit_test(bad_paths),
        cmocka_unit_test(searches),          cmocka_unit_test(basic_credentials),
        cmocka_unit_test(forwarded_for),     cmocka_unit_test(status_mapping),
        cmocka_unit_test(error_object),      cmocka_unit_test(help_object),
        cmocka_unit_test(json_in_an_arena),  cmocka_unit_test(json_past_the_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
