/* RDAP without HTTP (src/rdds/rdap.c): request paths and searches (RFC
 * 9082), HTTP Basic credentials (RFC 7617), X-Forwarded-For, the EPP to
 * RDAP status mapping (RFC 8056), error and help objects (RFC 9083). */
#include <string.h>

#include <stdlib.h>

#include "contrib/utf8.h"
#include "rdds/jsonmem.h"
#include "contrib/jsonout.h"
#include "rdds/privacy.h"
#include "rdds/rdap.h"
#include "testutil.h"
#include "../json_keys.h"
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
    /* rdap_url: as "%s%s/%s%s%s" would print it, cut short the same way */
    char url[64], cut[20];
    rdap_url(&site, "domain", "example.dk", url, sizeof url);
    assert_string_equal(url, "https://rdap.nic.example/rdap/domain/example.dk");
    rdap_url(&site, "domains", NULL, url, sizeof url);
    assert_string_equal(url, "https://rdap.nic.example/rdap/domains");
    rdap_url(&site, "domain", "example.dk", cut, sizeof cut);
    assert_string_equal(cut, "https://rdap.nic.ex");
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


/* ---- the serializer (contrib/jsonout.h) against json_dumpb ---------------------------- */

/* jsonout_compact writes json_dumpb's bytes (JSON_COMPACT), reads back as
 * the same value, reports the length it needs when the buffer is short,
 * and fails exactly where jansson fails; jsonout_compact_sorted the same
 * against JSON_SORT_KEYS. */
static void same_as_jansson_in(const json_t *j, bool sorted)
{
    size_t (*dump)(const json_t *, char *, size_t) =
        sorted ? jsonout_compact_sorted : jsonout_compact;
    char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | (sorted ? JSON_SORT_KEYS : 0));
    size_t need = dump(j, NULL, 0);
    if (!want || json_has_bad_key(j)) {
        assert_int_equal(need, 0);
        free(want);
        return;
    }
    assert_int_equal(need, strlen(want));
    char *got = malloc(need + 1);
    assert_non_null(got);
    got[need] = '#';
    assert_int_equal(dump(j, got, need), need);
    assert_memory_equal(got, want, need);
    assert_int_equal(got[need], '#');
    json_error_t err;
    json_t *back = json_loadb(got, need, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    /* jansson reads no key with U+0000 in it, though it writes one */
    if (!back && !strstr(err.text, "NUL byte in object key"))
        fail_msg("%s: %s", want, err.text);
    assert_true(!back || json_equal(back, (json_t *)j));
    json_decref(back);
    /* too short: the start is written, nothing past the buffer */
    size_t half = need / 2;
    memset(got, '#', need + 1);
    assert_int_equal(dump(j, got, half), need);
    assert_memory_equal(got, want, half);
    assert_int_equal(got[half], '#');
    free(got);
    free(want);
}

static void same_as_jansson(const json_t *j)
{
    same_as_jansson_in(j, false);
    same_as_jansson_in(j, true);
}

/* Every ASCII byte alone in a string and a key, multi-byte UTF-8 up to 4
 * bytes, NUL inside a string, invalid UTF-8 (which both refuse), numbers. */
static void jsonout_scalars(void **state)
{
    (void)state;
    for (int c = 0; c < 0x80; c++) {
        char s[3] = {'a', (char)c, 'z'};
        json_t *v = json_stringn_nocheck(s, 3);
        same_as_jansson(v);
        json_t *o = json_object();
        json_object_setn_new_nocheck(o, s, 3, v);
        same_as_jansson(o);
        json_decref(o);
    }
    const char *text[] = {"", "plain", "a/b</script>", "Jørgen \"Jo\" Øster\\gaard",
                          "København Ø\t\r\n\b\f", "€ ‰ \u2028 \u2029 \ufeff", "😀 𝄞 \U0010FFFF",
                          "\x7f\x01\x1f", "ascii then é"};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        json_t *v = json_string(text[i]);
        assert_non_null(v);
        same_as_jansson(v);
        json_decref(v);
    }
    json_t *nul = json_stringn("a\0b", 3);
    same_as_jansson(nul);
    json_decref(nul);
    /* not UTF-8: a lone continuation byte, an overlong '/', a surrogate,
     * past U+10FFFF, 0xF5, a cut sequence at the end and before a NUL */
    const char *bad[] = {"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
                         "ab\xe2\x82", "\xc3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *v = json_string_nocheck(bad[i]);
        assert_int_equal(jsonout_compact(v, NULL, 0), 0);
        same_as_jansson(v);
        json_t *a = json_array();
        json_array_append_new(a, v);
        same_as_jansson(a);
        json_decref(a);
    }
    json_t *cut = json_stringn_nocheck("\xc3\0", 2);
    assert_int_equal(jsonout_compact(cut, NULL, 0), 0);
    json_decref(cut);
    json_int_t ints[] = {0, 1, -1, 4711, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        json_t *v = json_integer(ints[i]);
        same_as_jansson(v);
        json_decref(v);
    }
    double reals[] = {0.0, -0.0, 1.0, -2.5, 0.1, 1e300, 1e-300, 1e-7, 123456789012345678.0,
                      5e-324, 1.7976931348623157e308, 100.0, 1e17, 1e16};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        json_t *v = json_real(reals[i]);
        same_as_jansson(v);
        json_decref(v);
    }
    json_t *lits[] = {json_true(), json_false(), json_null(), json_object(), json_array()};
    for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++) {
        same_as_jansson(lits[i]);
        json_decref(lits[i]);
    }
    assert_int_equal(jsonout_compact(NULL, NULL, 0), 0);
}

/* Nesting: deep trees as jansson writes them; past the limit, and a tree
 * that holds itself (which json_dumpb refuses), no answer at all. */
static void jsonout_nesting(void **state)
{
    (void)state;
    /* n nested containers: the innermost at depth n - 1 */
    json_t *deep = json_array();
    for (int n = 1; n <= JSONOUT_MAX_DEPTH + 1; n++) {
        if (n == 1000) /* json_loadb reads up to 2048 levels */
            same_as_jansson(deep);
        if (n == JSONOUT_MAX_DEPTH + 1) {
            assert_int_not_equal(jsonout_compact(deep, NULL, 0), 0);
            assert_int_not_equal(jsonout_compact_sorted(deep, NULL, 0), 0);
        }
        json_t *outer = n % 2 ? json_array() : json_object();
        if (json_is_array(outer))
            json_array_append_new(outer, deep);
        else
            json_object_set_new(outer, "k", deep);
        deep = outer;
    }
    assert_int_equal(jsonout_compact(deep, NULL, 0), 0);
    assert_int_equal(jsonout_compact_sorted(deep, NULL, 0), 0);
    json_decref(deep);

    json_t *a = json_array(), *b = json_array();
    json_array_append(a, b);
    json_array_append(b, a);
    assert_null(json_dumps(a, JSON_COMPACT));
    assert_int_equal(jsonout_compact(a, NULL, 0), 0);
    json_array_clear(b);
    json_decref(a);
    json_decref(b);
}

/* Trees of every kind of value and awkward strings, keys included. */
static uint64_t rnd_state = 88172645463325252u;
static unsigned rnd(unsigned n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (unsigned)(rnd_state % n);
}

static size_t rnd_text(char *out, bool valid)
{
    static const char *const piece[] = {"a", "Z", " ", "\"", "\\", "/", "\x01", "\x1f", "\x7f",
                                        "\n", "\t", "é", "€", "😀", "\u2028", "", "\0"};
    static const char *const broken[] = {"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82"};
    size_t n = 0, count = rnd(6);
    for (size_t i = 0; i < count; i++) {
        size_t p = rnd(sizeof piece / sizeof piece[0]);
        const char *s = piece[p];
        size_t len = p == sizeof piece / sizeof piece[0] - 1 ? 1 : strlen(s);
        memcpy(out + n, s, len);
        n += len;
    }
    if (!valid) {
        const char *s = broken[rnd(sizeof broken / sizeof broken[0])];
        memcpy(out + n, s, strlen(s));
        n += strlen(s);
    }
    return n;
}

static json_t *rnd_tree(int depth, bool *valid)
{
    char text[64];
    unsigned kind = depth > 4 ? 2 + rnd(6) : rnd(8);
    switch (kind) {
    case 0: {
        json_t *o = json_object();
        for (unsigned i = rnd(5); i > 0; i--) {
            bool ok = rnd(40) != 0;
            *valid = *valid && ok;
            size_t n = rnd_text(text, ok);
            json_object_setn_new_nocheck(o, text, n, rnd_tree(depth + 1, valid));
        }
        return o;
    }
    case 1: {
        json_t *a = json_array();
        for (unsigned i = rnd(5); i > 0; i--)
            json_array_append_new(a, rnd_tree(depth + 1, valid));
        return a;
    }
    case 2:
    case 3: {
        bool ok = rnd(40) != 0;
        *valid = *valid && ok;
        size_t n = rnd_text(text, ok);
        return json_stringn_nocheck(text, n);
    }
    case 4: return json_integer((json_int_t)rnd_state);
    case 5: return json_real((double)(int64_t)rnd_state / (double)(1u + rnd(1000000)));
    case 6: return rnd(2) ? json_true() : json_false();
    default: return json_null();
    }
}

static void jsonout_random_trees(void **state)
{
    (void)state;
    int refused = 0;
    for (int i = 0; i < 3000; i++) {
        bool valid = true;
        json_t *t = rnd_tree(0, &valid);
        same_as_jansson(t);
        if (!valid && !jsonout_compact(t, NULL, 0))
            refused++;
        json_decref(t);
    }
    assert_true(refused > 0); /* the invalid strings were met, and refused */
}

/* Members in key order: many (100 keys, given in
 * a shuffled order), keys that begin others ("a", "a\0", "ab"), empty
 * and non-ASCII keys: as JSON_SORT_KEYS writes them. */
static void jsonout_sorted_keys(void **state)
{
    (void)state;
    json_t *o = json_object();
    for (int i = 0; i < 100; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", (i * 37) % 100);
        json_object_set_new(o, key, json_integer(i));
    }
    json_t *inner = json_object();
    static const char *const keys[] = {"ab", "a", "", "é", "Z", "a b", "€"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        json_object_set_new(inner, keys[i], json_string(keys[i]));
    json_object_setn_new_nocheck(inner, "a\0", 2, json_null());
    json_object_set_new(o, "inner", inner);
    same_as_jansson(o);
    char buf[2048];
    size_t n = jsonout_compact_sorted(o, buf, sizeof buf);
    assert_true(n > 0 && n < sizeof buf);
    assert_memory_equal(buf, "{\"inner\":{\"\":\"\",\"Z\":\"Z\",\"a\":\"a\",\"a\\u0000\":null,",
                        47);
    json_decref(o);
}

/* Answers as RDAP builds them: a domain with an IDN name, a person
 * registrant (redacted for the public, whole for the sponsor) and
 * organisation contacts whose data holds quotes, backslashes, control
 * characters and non-ASCII text; name servers with glue, DS records. */
static struct rdds_contact answer_contact(const char *handle, char *kind, char *name, char *org,
                                          char *email)
{
    static char street1[] = "Nørregade 1\\2 \"Bag\"", street2[] = "c/o\tPost\x01",
                city[] = "København K", pc[] = "1165", cc[] = "DK", voice[] = "+45.12345678",
                voice_x[] = "12", fax[] = "+45.87654321", state[] = "pending";
    struct rdds_contact c = {.handle = handle, .sponsor = "REG-A", .created = 1700000000,
                             .changed = 1710000000, .idcheck_state = state,
                             .idcheck_deadline = 1720000000};
    snprintf(c.roid, sizeof c.roid, "C%zu-DK", strlen(handle));
    c.d.kind = kind;
    c.d.voice = voice;
    c.d.voice_x = voice_x;
    c.d.fax = fax;
    c.d.email = email;
    struct contact_postal *p = &c.d.postal[CONTACT_LOC];
    *p = (struct contact_postal){.present = true, .name = name, .org = org, .city = city,
                                 .pc = pc, .cc = cc};
    p->street[0] = street1;
    p->street[1] = street2;
    return c;
}

static void jsonout_rdap_answers(void **state)
{
    (void)state;
    static char person[] = "person", organization[] = "organization", role[] = "role";
    static char jo[] = "Jørgen \"Jo\" Øster\\gaard\x1f", orsted[] = "Ørsted A/S </script>",
                noc[] = "NOC \u2028 😀", mail1[] = "jo@example.dk", mail2[] = "noc@example.dk";
    struct rdap_site site = {.base_url = "https://rdap.nic.example", .port43 = "whois.nic.example",
                             .terms = "Line one.\nLine \"two\".", .terms_url = "https://nic.example/t",
                             .max_results = 10};
    struct rdds_domain d = {.alabel = "xn--blbrgrd-fxak7p.dk", .ulabel = "blåbærgrød.dk",
                            .idn = true, .created = 1700000000, .expires = 1800000000,
                            .changed = 1710000000, .idcheck_state = "pending",
                            .idcheck_deadline = 1720000000};
    snprintf(d.roid, sizeof d.roid, "D42-DK");
    d.status[d.nstatus++] = "clientHold";
    d.status[d.nstatus++] = "serverTransferProhibited";
    d.sponsor = (struct rdds_registrar){.handle = "REG-A", .name = "Registrar \"A\" ApS",
                                        .url = "https://reg-a.example/?a=1&b=2",
                                        .phone = "+45.11111111", .email = "info@reg-a.example"};
    d.registrant = answer_contact("REG-A:JO", person, jo, NULL, mail1);
    d.contacts[0] = (struct rdds_domain_contact){"admin",
                                                 answer_contact("REG-A:ORG", organization,
                                                                orsted, orsted, mail2)};
    d.contacts[1] = (struct rdds_domain_contact){"tech",
                                                 answer_contact("REG-A:NOC", role, noc, NULL,
                                                                mail2)};
    d.ncontacts = 2;
    struct rdds_addr glue[] = {{"192.0.2.1", 4}, {"2001:db8::1", 6}};
    d.ns[0] = (struct rdds_ns){"ns1.xn--blbrgrd-fxak7p.dk", "ns1.blåbærgrød.dk", glue, 2};
    d.ns[1] = (struct rdds_ns){"ns.example.com", "ns.example.com", NULL, 0};
    d.nns = 2;
    d.ds[0] = (struct ds_data){12345, 13, 2, "0123456789ABCDEF"};
    d.nds = 1;
    const struct rdds_viewer sponsor = {RDDS_VIEW_REGISTRAR, "REG-A"};
    const struct rdds_viewer *viewers[] = {&rdds_public, &sponsor};
    for (size_t i = 0; i < 2; i++) {
        struct rdap_answer a = {.site = &site, .viewer = viewers[i], .now = 1715000000,
                                .redacted = json_array()};
        json_t *j = rdap_lookup_answer(&a, rdap_domain_json(&a, &d, "$"),
                                       "https://rdap.nic.example/rdap/domain/x");
        assert_non_null(j);
        /* the public sees redactions, the sponsor everything */
        assert_int_equal(json_object_get(j, "redacted") != NULL, i == 0);
        same_as_jansson(j);
        json_decref(j);
        struct rdds_contact c = d.registrant;
        c.status[c.nstatus++] = "linked";
        j = rdap_lookup_answer(&a, rdap_contact_json(&a, &c, "$"), "x");
        same_as_jansson(j);
        json_decref(j);
        json_decref(a.redacted);
    }
    json_t *help = rdap_help_json(&site);
    same_as_jansson(help);
    json_decref(help);
    json_t *err = rdap_error_json(400, "Bad Request", "no \"domain\" \x01 é here");
    same_as_jansson(err);
    json_decref(err);
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
        cmocka_unit_test(jsonout_scalars),   cmocka_unit_test(jsonout_nesting),
        cmocka_unit_test(jsonout_random_trees), cmocka_unit_test(jsonout_rdap_answers),
        cmocka_unit_test(jsonout_sorted_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
