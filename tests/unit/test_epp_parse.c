/* EPP command decoding (src/epp/decode.c, xml.c, schema.c) over the sample
 * documents in tests/data/epp and hand-made hostile input: the hardened
 * XML read, schema validation, the kind of command, the clTRID echo and the
 * redacted copy for the audit log. The typed fields of each command are
 * test_epp_decode's.
 *
 * Schema set: the long-id one ([contact] id_prefix = registrar, the
 * default), which the samples' REGISTRAR:ID contact ids need (one valid
 * sample, account-update-replace-a1.xml, has a 17-character id). The
 * official IETF set is test_epp_decode's. */
#include "testutil.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "epp/ns.h"
#include "epp/request.h"
#include "epp/xml.h"
#include "epptest.h"

/* ---- helpers ---------------------------------------------------------- */

/* Local name of <epp>'s first element child, by a plain (unvalidated)
 * read; "" if the document cannot be read. Caller frees. */
static char *top_element(const char *xml, size_t len)
{
    reg_status st = {0};
    xmlDocPtr doc = epp_xml_read(xml, len, &st);
    if (!doc)
        return strdup("");
    xmlNodePtr top = epp_child(xmlDocGetRootElement(doc), NULL, NULL);
    char *name = strdup(top ? (const char *)top->name : "");
    xmlFreeDoc(doc);
    return name;
}

/* ASCII → UTF-16LE with a byte-order mark, to get past byte-level checks
 * that only look for ASCII markup. */
static char *utf16le(const char *ascii, size_t *len)
{
    size_t n = strlen(ascii);
    char *out = malloc(2 + 2 * n);
    assert_non_null(out);
    out[0] = (char)0xff;
    out[1] = (char)0xfe;
    for (size_t i = 0; i < n; i++) {
        out[2 + 2 * i] = ascii[i];
        out[3 + 2 * i] = 0;
    }
    *len = 2 + 2 * n;
    return out;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define OBJECT_SVCS ((epp_svcs)((1u << EPP_SVC_OBJECTS) - 1))

/* The extension services a sample uses: those whose namespace appears
 * between its <extension> and </extension>. */
static epp_svcs sample_ext_svcs(const char *xml, size_t len, bool *has_extension)
{
    const char *open = memmem(xml, len, "<extension>", 11);
    *has_extension = open != NULL;
    if (!open)
        return 0;
    const char *close = memmem(open, len - (size_t)(open - xml), "</extension>", 12);
    assert_non_null(close);
    epp_svcs s = 0;
    for (int i = EPP_SVC_OBJECTS; i < EPP_SVC__COUNT; i++) {
        const char *uri = epp_svc_uri((epp_svc)i);
        if (memmem(open, (size_t)(close - open), uri, strlen(uri)))
            s |= EPP_SVC_BIT(i);
    }
    return s;
}

/* ---- valid commands --------------------------------------------------- */

static const struct expected {
    const char *file;
    epp_cmd_kind kind;
    epp_obj_kind obj;
    const char *cltrid;
    const char *name; /* epp_request_name */
} expected_commands[] = {
    {"account-check.xml", EPP_CMD_CHECK, EPP_OBJ_ACCOUNT, "ABC-12345", "account:check"},
    {"account-create-newcontact.xml", EPP_CMD_CREATE, EPP_OBJ_ACCOUNT, "ABC-12346",
     "account:create"},
    {"account-create.xml", EPP_CMD_CREATE, EPP_OBJ_ACCOUNT, "ABC-12345", "account:create"},
    {"account-info.xml", EPP_CMD_INFO, EPP_OBJ_ACCOUNT, "ABC-12345", "account:info"},
    {"account-update-replace-a1.xml", EPP_CMD_UPDATE, EPP_OBJ_ACCOUNT, "ABC-12347",
     "account:update"},
    {"account-update.xml", EPP_CMD_UPDATE, EPP_OBJ_ACCOUNT, "ABC-12345", "account:update"},
    {"contact-check.xml", EPP_CMD_CHECK, EPP_OBJ_CONTACT, "ABC-12345", "contact:check"},
    {"contact-create-ext-org.xml", EPP_CMD_CREATE, EPP_OBJ_CONTACT, "ABC-12345", "contact:create"},
    {"contact-create-ext.xml", EPP_CMD_CREATE, EPP_OBJ_CONTACT, "ABC-12345", "contact:create"},
    {"contact-create.xml", EPP_CMD_CREATE, EPP_OBJ_CONTACT, "ABC-12345", "contact:create"},
    {"contact-delete.xml", EPP_CMD_DELETE, EPP_OBJ_CONTACT, "ABC-12345", "contact:delete"},
    {"contact-info.xml", EPP_CMD_INFO, EPP_OBJ_CONTACT, "ABC-12345", "contact:info"},
    {"contact-transfer-query.xml", EPP_CMD_TRANSFER, EPP_OBJ_CONTACT, "ABC-12345",
     "contact:transfer"},
    {"contact-update-ext-mobile.xml", EPP_CMD_UPDATE, EPP_OBJ_CONTACT, "ABC-12345",
     "contact:update"},
    {"contact-update-ext.xml", EPP_CMD_UPDATE, EPP_OBJ_CONTACT, "ABC-12345", "contact:update"},
    {"contact-update.xml", EPP_CMD_UPDATE, EPP_OBJ_CONTACT, "ABC-12345", "contact:update"},
    {"domain-check-fee.xml", EPP_CMD_CHECK, EPP_OBJ_DOMAIN, "ABC-12345", "domain:check"},
    {"domain-check.xml", EPP_CMD_CHECK, EPP_OBJ_DOMAIN, "ABC-12345", "domain:check"},
    {"domain-create-extensions.xml", EPP_CMD_CREATE, EPP_OBJ_DOMAIN, "ABC-12345", "domain:create"},
    {"domain-create-hostattr.xml", EPP_CMD_CREATE, EPP_OBJ_DOMAIN, "ABC-12345", "domain:create"},
    {"domain-create-minimal.xml", EPP_CMD_CREATE, EPP_OBJ_DOMAIN, "", "domain:create"},
    {"domain-create-secdns-keydata.xml", EPP_CMD_CREATE, EPP_OBJ_DOMAIN, "ABC-12345",
     "domain:create"},
    {"domain-create.xml", EPP_CMD_CREATE, EPP_OBJ_DOMAIN, "ABC-12345", "domain:create"},
    {"domain-delete-verified.xml", EPP_CMD_DELETE, EPP_OBJ_DOMAIN, "ABC-12345", "domain:delete"},
    {"domain-delete.xml", EPP_CMD_DELETE, EPP_OBJ_DOMAIN, "ABC-12345", "domain:delete"},
    {"domain-info.xml", EPP_CMD_INFO, EPP_OBJ_DOMAIN, "ABC-12345", "domain:info"},
    {"domain-renew-99y.xml", EPP_CMD_RENEW, EPP_OBJ_DOMAIN, "ABC-12345", "domain:renew"},
    {"domain-renew.xml", EPP_CMD_RENEW, EPP_OBJ_DOMAIN, "ABC-12345", "domain:renew"},
    {"domain-transfer-approve.xml", EPP_CMD_TRANSFER, EPP_OBJ_DOMAIN, "ABC-12345",
     "domain:transfer"},
    {"domain-transfer-otp.xml", EPP_CMD_TRANSFER, EPP_OBJ_DOMAIN, "ABC-12345", "domain:transfer"},
    {"domain-transfer-query.xml", EPP_CMD_TRANSFER, EPP_OBJ_DOMAIN, "ABC-12345",
     "domain:transfer"},
    {"domain-transfer-request.xml", EPP_CMD_TRANSFER, EPP_OBJ_DOMAIN, "ABC-12345",
     "domain:transfer"},
    {"domain-update-null-authinfo.xml", EPP_CMD_UPDATE, EPP_OBJ_DOMAIN, "ABC-12345",
     "domain:update"},
    {"domain-update-rgp-report.xml", EPP_CMD_UPDATE, EPP_OBJ_DOMAIN, "ABC-12345", "domain:update"},
    {"domain-update-rgp-restore.xml", EPP_CMD_UPDATE, EPP_OBJ_DOMAIN, "ABC-12345",
     "domain:update"},
    {"domain-update-secdns.xml", EPP_CMD_UPDATE, EPP_OBJ_DOMAIN, "ABC-12345", "domain:update"},
    {"domain-update-verified.xml", EPP_CMD_UPDATE, EPP_OBJ_DOMAIN, "ABC-12345", "domain:update"},
    {"domain-update.xml", EPP_CMD_UPDATE, EPP_OBJ_DOMAIN, "ABC-12345", "domain:update"},
    {"hello.xml", EPP_CMD_HELLO, EPP_OBJ_NONE, "", "hello"},
    {"host-check.xml", EPP_CMD_CHECK, EPP_OBJ_HOST, "ABC-12345", "host:check"},
    {"host-create-external.xml", EPP_CMD_CREATE, EPP_OBJ_HOST, "ABC-12345", "host:create"},
    {"host-create.xml", EPP_CMD_CREATE, EPP_OBJ_HOST, "ABC-12345", "host:create"},
    {"host-delete.xml", EPP_CMD_DELETE, EPP_OBJ_HOST, "ABC-12345", "host:delete"},
    {"host-info.xml", EPP_CMD_INFO, EPP_OBJ_HOST, "ABC-12345", "host:info"},
    {"host-update-remove-admin.xml", EPP_CMD_UPDATE, EPP_OBJ_HOST, "ABC-12345", "host:update"},
    {"host-update.xml", EPP_CMD_UPDATE, EPP_OBJ_HOST, "ABC-12345", "host:update"},
    {"login-newpw.xml", EPP_CMD_LOGIN, EPP_OBJ_NONE, "ABC-12346", "login"},
    {"login.xml", EPP_CMD_LOGIN, EPP_OBJ_NONE, "ABC-12345", "login"},
    {"logout.xml", EPP_CMD_LOGOUT, EPP_OBJ_NONE, "ABC-12345", "logout"},
    {"poll-ack.xml", EPP_CMD_POLL, EPP_OBJ_NONE, "ABC-12346", "poll"},
    {"poll-req.xml", EPP_CMD_POLL, EPP_OBJ_NONE, "ABC-12345", "poll"},
};
#define N_EXPECTED (sizeof expected_commands / sizeof expected_commands[0])

static const struct expected *expected_for(const char *file)
{
    for (size_t i = 0; i < N_EXPECTED; i++)
        if (!strcmp(expected_commands[i].file, file))
            return &expected_commands[i];
    return NULL;
}

/* Every valid command sample decodes to its kind and object, with its
 * clTRID, the redacted copy for the log, and exactly the services it uses:
 * its object's, and one per extension element it carries. One arena
 * serves all of them, reset after each command as the server does. */
static void valid_commands_parse(void **state)
{
    (void)state;
    size_t n = 0, commands = 0;
    char **names = epp_test_list_samples("valid", &n);
    bool seen[N_EXPECTED] = {false};
    struct arena a;
    arena_init(&a, EPP_REQUEST_ARENA_MAX);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *xml = epp_test_read_sample("valid", names[i], &len);
        char *top = top_element(xml, len);
        if (strcmp(top, "command") && strcmp(top, "hello")) {
            free(top);
            free(xml);
            continue;
        }
        commands++;
        const struct expected *want = expected_for(names[i]);
        if (!want)
            fail_msg("valid/%s is a <%s> with no entry in expected_commands[]", names[i], top);
        seen[want - expected_commands] = true;

        struct epp_request r;
        reg_status st = {0};
        reg_err e = epp_decode(xml, len, &a, &r, &st);
        if (e != REG_OK)
            fail_msg("valid/%s: %s: %s", names[i], reg_errname(e), st.reason);
        assert_non_null(r.redacted);
        if (r.kind != want->kind || r.obj != want->obj)
            fail_msg("valid/%s: got %s/%s, want %s/%s", names[i], epp_cmd_kind_name(r.kind),
                     epp_obj_kind_name(r.obj), epp_cmd_kind_name(want->kind),
                     epp_obj_kind_name(want->obj));
        assert_string_equal(r.cltrid, want->cltrid);
        char nm[64];
        assert_string_equal(epp_request_name(&r, nm, sizeof nm), want->name);
        /* the object's service exactly for object commands */
        if (r.obj == EPP_OBJ_NONE)
            assert_int_equal(r.svcs & OBJECT_SVCS, 0);
        else
            assert_int_equal(r.svcs & OBJECT_SVCS, EPP_SVC_BIT(epp_obj_svc(r.obj)));
        /* the extensions found are exactly the sample's */
        bool has_extension;
        epp_svcs ext = sample_ext_svcs(xml, len, &has_extension);
        if ((r.svcs & ~OBJECT_SVCS) != ext)
            fail_msg("valid/%s: extension services %#x, want %#x", names[i],
                     r.svcs & ~OBJECT_SVCS, ext);
        assert_int_equal(ext != 0, has_extension);
        assert_null(r.bad_ns);
        assert_null(r.bad_name);
        arena_reset(&a);
        free(top);
        free(xml);
    }
    arena_free(&a);
    arena_free(&a); /* twice is harmless */
    for (size_t i = 0; i < N_EXPECTED; i++)
        if (!seen[i])
            fail_msg("expected_commands[] names valid/%s, which is missing or not a command",
                     expected_commands[i].file);
    assert_int_equal(commands, N_EXPECTED);
    print_message("%zu of %zu valid samples are commands; all parsed\n", commands, n);
    epp_test_free_list(names);
}

static void responses_and_greetings_are_not_commands(void **state)
{
    (void)state;
    size_t n = 0, rejected = 0;
    char **names = epp_test_list_samples("valid", &n);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *xml = epp_test_read_sample("valid", names[i], &len);
        char *top = top_element(xml, len);
        if (!strcmp(top, "command") || !strcmp(top, "hello")) {
            free(top);
            free(xml);
            continue;
        }
        assert_true(!strcmp(top, "response") || !strcmp(top, "greeting"));
        /* schema-valid … */
        reg_status st = {0};
        xmlDocPtr doc = epp_xml_read(xml, len, &st);
        assert_non_null(doc);
        if (epp_schema_validate(doc, &st) != REG_OK)
            fail_msg("valid/%s does not validate: %s", names[i], st.reason);
        xmlFreeDoc(doc);
        /* … but refused as a command */
        struct decoded d;
        reg_err e = decode_buf(&d, xml, len);
        if (e != REG_ERR_SYNTAX)
            fail_msg("valid/%s (<%s>) parsed as a command: %s", names[i], top, reg_errname(e));
        assert_non_null(strstr(d.st.reason, "not a command"));
        assert_non_null(strstr(d.st.reason, top));
        assert_non_null(d.r.redacted); /* kept for the log */
        assert_string_equal(d.r.cltrid, ""); /* a response's clTRID is not a client's */
        decoded_free(&d);
        rejected++;
        free(top);
        free(xml);
    }
    assert_true(rejected >= 2);
    print_message("%zu responses/greetings rejected as commands\n", rejected);
    epp_test_free_list(names);
}

/* Invalid samples answered with a more specific code than 2001, by design
 * (tests/system/test_epp_samples.py DOCUMENTED_NOT_2001 and docs/epp.md). */
static const struct {
    const char *file;
    reg_err err;
    const char *bad_ns; /* the namespace at fault, for <extValue> */
} not_syntax_errors[] = {
    /* RFC 5730 §2.9.1.1: a login for another protocol version is 2100 */
    {"login-bad-version.xml", REG_ERR_VERSION, NULL},
    /* RFC 5730 §3: an object service the server does not implement is 2307 */
    {"domain-check-wrong-namespace.xml", REG_ERR_UNIMPLEMENTED_OBJECT,
     "urn:ietf:params:xml:ns:domain-1.1"},
    /* RFC 5730 §3: an extension the server does not implement is 2103 */
    {"extension-unknown-namespace.xml", REG_ERR_UNIMPLEMENTED_EXTENSION, "urn:example:unknown-1.0"},
};
#define N_NOT_SYNTAX (sizeof not_syntax_errors / sizeof not_syntax_errors[0])

static void invalid_samples_are_syntax_errors(void **state)
{
    (void)state;
    size_t n = 0;
    char **names = epp_test_list_samples("invalid", &n);
    assert_true(n > 0);
    bool seen[N_NOT_SYNTAX] = {false};
    for (size_t i = 0; i < n; i++) {
        struct decoded d;
        reg_err e = decode_sample(&d, "invalid", names[i]);
        reg_err want = REG_ERR_SYNTAX;
        const char *bad_ns = NULL;
        for (size_t k = 0; k < N_NOT_SYNTAX; k++)
            if (!strcmp(names[i], not_syntax_errors[k].file)) {
                want = not_syntax_errors[k].err;
                bad_ns = not_syntax_errors[k].bad_ns;
                seen[k] = true;
            }
        if (e != want)
            fail_msg("invalid/%s: got %s (%s), want %s", names[i], reg_errname(e), d.st.reason,
                     reg_errname(want));
        if (!d.st.reason[0])
            fail_msg("invalid/%s: no reason", names[i]);
        assert_int_equal(d.st.code, e);
        if (bad_ns) {
            assert_non_null(d.r.bad_ns);
            assert_string_equal(d.r.bad_ns, bad_ns);
        }
        /* the samples are well-formed: the document is kept for logging */
        assert_non_null(d.r.redacted);
        decoded_free(&d);
    }
    for (size_t k = 0; k < N_NOT_SYNTAX; k++)
        if (!seen[k])
            fail_msg("not_syntax_errors[] names invalid/%s, which is missing",
                     not_syntax_errors[k].file);
    print_message("%zu invalid samples rejected\n", n);
    epp_test_free_list(names);
}

/* ---- hostile and broken input ----------------------------------------- */

static void not_well_formed_is_syntax_error(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        " ",
        "<",
        "<epp",
        "hello",
        EPP_OPEN,
        EPP_OPEN "<hello/>",
        EPP_OPEN "<hello></epp>",
        EPP_OPEN "<hello/>" EPP_CLOSE "<epp/>",
        EPP_OPEN "<hello a='1' a='2'/>" EPP_CLOSE,
        EPP_OPEN "<hello>&undefined;</hello>" EPP_CLOSE,
        EPP_OPEN "<hello>&#0;</hello>" EPP_CLOSE,
        "<?xml version=\"1.0\" encoding=\"no-such-encoding\"?><epp/>",
        "<?xml version=\"9.9\"?><epp/>",
        "\xff\xfe\xfd",
        "<epp xmlns=\"" EPP_NS "\"><hello/></epp >trailing",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct decoded d;
        reg_err e = decode_str(&d, bad[i]);
        if (e != REG_ERR_SYNTAX)
            fail_msg("input %zu (%s): got %s", i, bad[i], reg_errname(e));
        if (!strstr(d.st.reason, "not well-formed"))
            fail_msg("input %zu (%s): reason \"%s\"", i, bad[i], d.st.reason);
        assert_null(d.r.redacted);
        assert_string_equal(d.r.cltrid, "");
        decoded_free(&d);
    }
    /* an embedded NUL byte */
    const char nul[] = EPP_OPEN "<hello/>\0" EPP_CLOSE;
    struct decoded d;
    assert_int_equal(decode_buf(&d, nul, sizeof nul - 1), REG_ERR_SYNTAX);
    assert_non_null(strstr(d.st.reason, "not well-formed"));
    decoded_free(&d);
}

#define LAUGHS                                                                                   \
    "<!DOCTYPE epp [\n"                                                                          \
    " <!ENTITY lol \"lol\">\n"                                                                   \
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"                   \
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"         \
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"         \
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"         \
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"         \
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"         \
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"         \
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"         \
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"         \
    "]>\n"

static void expect_refused(const char *label, const char *xml, size_t len)
{
    struct decoded d;
    double t0 = now_seconds();
    reg_err e = decode_buf(&d, xml, len);
    double dt = now_seconds() - t0;
    if (e != REG_ERR_SYNTAX)
        fail_msg("%s: got %s (%s), want REG_ERR_SYNTAX", label, reg_errname(e), d.st.reason);
    assert_true(d.st.reason[0] != '\0');
    /* nothing was expanded or read: not into the reason, not into the
     * echoed clTRID, not into a kept document */
    assert_null(strstr(d.st.reason, "lollol"));
    assert_null(strstr(d.st.reason, "root:"));
    assert_null(strstr(d.r.cltrid, "lollol"));
    assert_null(strstr(d.r.cltrid, "root:"));
    if (d.r.redacted) {
        assert_null(strstr(d.r.redacted, "lollol"));
        assert_null(strstr(d.r.redacted, "root:"));
    }
    if (dt > 10.0)
        fail_msg("%s: took %.1f s", label, dt);
    decoded_free(&d);
}

static void billion_laughs_is_refused(void **state)
{
    (void)state;
    const char *doc = "<?xml version=\"1.0\"?>\n" LAUGHS "<epp xmlns=\"" EPP_NS "\"><command>"
                      "<logout/><clTRID>&lol9;</clTRID></command></epp>";
    expect_refused("billion laughs", doc, strlen(doc));
    struct decoded d;
    assert_int_equal(decode_str(&d, doc), REG_ERR_SYNTAX);
    assert_non_null(strstr(d.st.reason, "DTD"));
    decoded_free(&d);

    /* the same in UTF-16, where a byte search for "<!DOCTYPE" finds nothing:
     * libxml2 still refuses to amplify */
    const char *doc16 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" LAUGHS
                        "<epp xmlns=\"" EPP_NS "\"><command><logout/><clTRID>&lol9;</clTRID>"
                        "</command></epp>";
    size_t len;
    char *u = utf16le(doc16, &len);
    expect_refused("billion laughs (UTF-16)", u, len);
    free(u);

    /* quadratic blowup: one big entity referenced many times */
    size_t big = 20000, refs = 2000;
    char *q = malloc(big + refs * 3 + 512);
    assert_non_null(q);
    char *p = q;
    p += sprintf(p, "<!DOCTYPE epp [<!ENTITY a \"");
    memset(p, 'a', big);
    p += big;
    p += sprintf(p, "\">]><epp xmlns=\"%s\"><command><logout/><clTRID>", EPP_NS);
    for (size_t i = 0; i < refs; i++)
        p += sprintf(p, "&a;");
    p += sprintf(p, "</clTRID></command></epp>");
    expect_refused("quadratic blowup", q, (size_t)(p - q));
    free(q);
}

/* Refused or not, nothing from outside the document may show up. */
static void expect_nothing_read(const char *label, const char *xml, size_t len)
{
    struct decoded d;
    decode_buf(&d, xml, len);
    assert_null(strstr(d.st.reason, "root:"));
    assert_null(strstr(d.r.cltrid, "root:"));
    if (d.r.redacted && strstr(d.r.redacted, "root:"))
        fail_msg("%s: file content in the document:\n%s", label, d.r.redacted);
    decoded_free(&d);
}

static const char *const xxe_docs[] = {
    /* XXE: a SYSTEM entity */
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE epp [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
    "<epp xmlns=\"" EPP_NS "\"><command><info><domain:info xmlns:domain=\"" EPP_NS_DOMAIN "\">"
    "<domain:name>&xxe;</domain:name></domain:info></info><clTRID>ABC&xxe;</clTRID>"
    "</command></epp>",
    /* an external DTD */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE epp SYSTEM \"file:///etc/passwd\">\n"
    "<epp xmlns=\"" EPP_NS "\"><hello/></epp>",
    /* a parameter entity pulling in an external subset */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE epp [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n"
    "<epp xmlns=\"" EPP_NS "\"><hello/></epp>",
    /* over the network */
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE epp [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/x\">]>\n"
    "<epp xmlns=\"" EPP_NS "\"><command><logout/><clTRID>ABC&xxe;</clTRID></command></epp>",
    /* an ENTITY declaration without the DOCTYPE */
    "<epp xmlns=\"" EPP_NS "\"><!ENTITY x SYSTEM \"file:///etc/passwd\"><hello/></epp>",
};

static void external_entities_are_refused(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof xxe_docs / sizeof xxe_docs[0]; i++) {
        char label[32];
        snprintf(label, sizeof label, "XXE #%zu", i);
        expect_refused(label, xxe_docs[i], strlen(xxe_docs[i]));
        /* in UTF-16 the byte-level DOCTYPE check is blind (see
         * dtd_refused_in_any_encoding); libxml2 must still read nothing */
        size_t len;
        char *u = utf16le(xxe_docs[i], &len);
        snprintf(label, sizeof label, "XXE #%zu (UTF-16)", i);
        expect_nothing_read(label, u, len);
        free(u);
    }
}

/* DESIGN §11: no DTDs. A document in UTF-16 (or UTF-32, EBCDIC) hides
 * "<!DOCTYPE" from a byte search; the DTD is then honoured. */
static void dtd_refused_in_any_encoding(void **state)
{
    (void)state;
    const char *doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
                      "<!DOCTYPE epp [<!ATTLIST epp xmlns CDATA \"" EPP_NS "\">]>\n"
                      "<epp><hello/></epp>";
    size_t len;
    char *u = utf16le(doc, &len);
    struct decoded d;
    reg_err e = decode_buf(&d, u, len);
    decoded_free(&d);
    free(u);
    if (e == REG_OK) {
        print_message("REGRESSION (src/epp/xml.c epp_xml_read): a UTF-16 document "
                      "with a DTD is accepted and its attribute defaults applied\n");
        fail();
    }
    assert_int_equal(e, REG_ERR_SYNTAX);
}

/* A secret hidden in an internal entity must not reach the audit log. */
static void redacted_log_holds_no_entity_secrets(void **state)
{
    (void)state;
    const char *doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
                      "<!DOCTYPE epp [<!ENTITY p \"s3cret-pass\">]>\n"
                      "<epp xmlns=\"" EPP_NS "\"><command><login><clID>RNAME</clID><pw>&p;</pw>"
                      "<options><version>1.0</version><lang>en</lang></options><svcs><objURI>"
                      EPP_NS_DOMAIN "</objURI></svcs></login><clTRID>ABC-1</clTRID></command></epp>";
    size_t len;
    char *u = utf16le(doc, &len);
    struct decoded d;
    reg_err e = decode_buf(&d, u, len);
    free(u);
    assert_int_not_equal(e, REG_OK);
    bool leaked = d.r.redacted && strstr(d.r.redacted, "s3cret-pass");
    decoded_free(&d);
    if (leaked) {
        print_message("REGRESSION (src/epp/decode.c redacted_copy): the DTD "
                      "internal subset is logged verbatim, with the password entity\n");
        fail();
    }
}

static void entity_loader_serves_only_embedded_schemas(void **state)
{
    (void)state;
    reg_status st = {0};
    assert_int_equal(epp_schema_init(&st), REG_OK);
    xmlExternalEntityLoader loader = xmlGetExternalEntityLoader();
    assert_non_null(loader);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    assert_non_null(ctxt);
    const char *refused[] = {"file:///etc/passwd", "/etc/passwd", "http://127.0.0.1:9/x.xsd",
                             "../../../../etc/hostname", "all.xsd.bak", ""};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        xmlParserInputPtr in = loader(refused[i], NULL, ctxt);
        if (in) {
            xmlFreeInputStream(in);
            fail_msg("the entity loader opened %s", refused[i]);
        }
    }
    /* the schemas themselves resolve, from memory, whatever the directory */
    xmlParserInputPtr in = loader("http://example.invalid/epp-1.0.xsd", NULL, ctxt);
    assert_non_null(in);
    assert_non_null(strstr((const char *)in->base, EPP_NS));
    xmlFreeInputStream(in);
    xmlFreeParserCtxt(ctxt);
}

static char *nested(const char *inner_open, const char *inner_close, size_t depth)
{
    size_t lo = strlen(inner_open), lc = strlen(inner_close);
    const char *head = EPP_OPEN "<command><logout/><clTRID>ABC-deep</clTRID>";
    const char *tail = "</command>" EPP_CLOSE;
    char *buf = malloc(strlen(head) + depth * (lo + lc) + strlen(tail) + 1);
    assert_non_null(buf);
    char *p = stpcpy(buf, head);
    for (size_t i = 0; i < depth; i++)
        p = stpcpy(p, inner_open);
    for (size_t i = 0; i < depth; i++)
        p = stpcpy(p, inner_close);
    strcpy(p, tail);
    return buf;
}

static void deep_nesting_is_an_error_not_a_crash(void **state)
{
    (void)state;
    const size_t depths[] = {200, 250, 300, 10000, 100000};
    for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        char *xml = nested("<a>", "</a>", depths[i]);
        struct decoded d;
        reg_err e = decode_str(&d, xml);
        assert_int_equal(e, REG_ERR_SYNTAX);
        assert_true(d.st.reason[0] != '\0');
        /* shallow enough to parse: logging it works too */
        char *top = top_element(xml, strlen(xml));
        if (top[0])
            assert_non_null(d.r.redacted);
        free(top);
        decoded_free(&d);
        free(xml);
    }
    /* unclosed, and deep in the EPP namespace itself */
    char *xml = nested("<command>", "", 50000);
    struct decoded d;
    assert_int_equal(decode_str(&d, xml), REG_ERR_SYNTAX);
    decoded_free(&d);
    free(xml);
}

static void huge_flat_input_is_handled(void **state)
{
    (void)state;
    /* many siblings and a long text node: no recursion, just size */
    const size_t n = 100000;
    char *xml = nested("<a/>", "", n);
    struct decoded d;
    assert_int_equal(decode_str(&d, xml), REG_ERR_SYNTAX);
    assert_string_equal(d.r.cltrid, "ABC-deep");
    decoded_free(&d);
    free(xml);

    size_t big = 1 << 20;
    char *s = malloc(big + 256);
    assert_non_null(s);
    char *p = stpcpy(s, EPP_OPEN "<command><logout/><clTRID>");
    memset(p, 'x', big);
    p += big;
    strcpy(p, "</clTRID></command>" EPP_CLOSE);
    assert_int_equal(decode_str(&d, s), REG_ERR_SYNTAX);
    assert_true(strlen(d.r.cltrid) <= EPP_CLTRID_MAX);
    decoded_free(&d);
    free(s);
}

/* The parse cost bound (xml.c precheck): element, attribute, name and
 * depth counts are checked on the bytes before libxml2 reads them, exactly
 * at their limits; a refused frame still gets its clTRID back. */
static char *cost_frame(size_t empties, size_t depth, size_t attrs, size_t name_len)
{
    char *xml = malloc(64 * 1024), *p = xml;
    assert_non_null(xml);
    p += sprintf(p, EPP_OPEN "<command><logout");
    for (size_t i = 0; i < attrs; i++)
        p += sprintf(p, " a%zu=\"x\"", i);
    p += sprintf(p, "/><clTRID>ABC-cost</clTRID>");
    for (size_t i = 0; i < empties; i++)
        p = stpcpy(p, "<a/>");
    for (size_t i = 0; i < depth; i++)
        p = stpcpy(p, "<a>");
    for (size_t i = 0; i < depth; i++)
        p = stpcpy(p, "</a>");
    if (name_len) {
        *p++ = '<';
        memset(p, 'n', name_len);
        p += name_len;
        p = stpcpy(p, "/>");
    }
    strcpy(p, "</command>" EPP_CLOSE);
    return xml;
}

static void expect_cost(const char *label, char *xml, const char *refusal)
{
    struct decoded d;
    decode_str(&d, xml);
    bool refused = strstr(d.st.reason, refusal) != NULL;
    if (!refused)
        fail_msg("%s: not refused for its cost (%s: %s)", label, reg_errname(d.e), d.st.reason);
    assert_int_equal(d.e, REG_ERR_SYNTAX);
    assert_null(d.r.redacted); /* never read */
    assert_string_equal(d.r.cltrid, "ABC-cost");
    decoded_free(&d);
    free(xml);
}

static void expect_read(const char *label, char *xml)
{
    struct decoded d;
    decode_str(&d, xml);
    if (!d.r.redacted) /* read (and refused by the schema, for the extra elements) */
        fail_msg("%s: not read: %s", label, d.st.reason);
    decoded_free(&d);
    free(xml);
}

static void parse_cost_is_bounded(void **state)
{
    (void)state;
    /* epp, command, logout and clTRID are 4 elements; epp and command 2 levels */
    expect_read("2048 elements", cost_frame(2044, 0, 0, 0));
    expect_cost("2049 elements", cost_frame(2045, 0, 0, 0), "more than 2048 elements");
    expect_read("depth 32", cost_frame(0, 30, 0, 0));
    expect_cost("depth 33", cost_frame(0, 31, 0, 0), "nested deeper than 32");
    expect_read("16 attributes", cost_frame(0, 0, 16, 0));
    expect_cost("17 attributes", cost_frame(0, 0, 17, 0), "too many attributes");
    expect_read("a name of 96 bytes", cost_frame(0, 0, 0, 96));
    expect_cost("a name of 97 bytes", cost_frame(0, 0, 0, 97), "name is longer than 96");

    /* 1024 attributes in all: the root's xmlns and 1023 more */
    char *xml = malloc(64 * 1024), *p = xml;
    assert_non_null(xml);
    p += sprintf(p, EPP_OPEN "<command><logout/><clTRID>ABC-cost</clTRID>");
    for (int i = 0; i < 1024; i++)
        p += sprintf(p, "%s<b x=\"1\"/>", i == 1023 ? "<c/>" : "");
    strcpy(p, "</command>" EPP_CLOSE);
    expect_cost("1025 attributes", xml, "too many attributes");

    /* markup inside comments, CDATA, processing instructions and attribute
     * values is not counted */
    xml = malloc(64 * 1024);
    assert_non_null(xml);
    p = stpcpy(xml, EPP_OPEN "<hello><![CDATA[");
    for (int i = 0; i < 3000; i++)
        p = stpcpy(p, "<a>");
    p = stpcpy(p, "]]><!--");
    for (int i = 0; i < 3000; i++)
        p = stpcpy(p, "<a x='1' y='2'>");
    p = stpcpy(p, "--><?pi <a><a><a>?></hello>" EPP_CLOSE);
    struct decoded d;
    if (decode_str(&d, xml) != REG_OK)
        fail_msg("markup in comments and CDATA counted: %s", d.st.reason);
    decoded_free(&d);
    free(xml);
    assert_int_equal(decode_str(&d, EPP_CMD("<poll op=\"ack\" msgID=\"1>/2\"/>", "ABC-cost")),
                     REG_OK);
    assert_string_equal(d.r.u.poll.msgid, "1>/2");
    decoded_free(&d);
}

/* ---- decoding --------------------------------------------------------- */

static void login_fields_are_decoded(void **state)
{
    (void)state;
    struct decoded d;
    assert_int_equal(decode_sample(&d, "valid", "login.xml"), REG_OK);
    assert_int_equal(d.r.kind, EPP_CMD_LOGIN);
    const struct epp_login *l = &d.r.u.login;
    assert_string_equal(l->clid, "RNAME");
    assert_string_equal(l->pw, "2fooBAR-x9");
    assert_null(l->newpw);
    assert_string_equal(l->version, "1.0");
    assert_string_equal(l->lang, "en");
    /* every object and extension the greeting offers, nothing else */
    assert_int_equal(l->svcs, EPP_SVCS_ALL);
    assert_null(l->unknown_obj);
    assert_null(l->unknown_ext);
    decoded_free(&d);

    assert_int_equal(decode_sample(&d, "valid", "login-newpw.xml"), REG_OK);
    l = &d.r.u.login;
    assert_string_equal(l->clid, "RNAME");
    assert_string_equal(l->pw, "2fooBAR-x9");
    assert_non_null(l->newpw);
    assert_string_equal(l->newpw, "bar-FOO2-y7");
    assert_string_equal(l->version, "1.0");
    assert_string_equal(l->lang, "en");
    assert_int_equal(l->svcs, EPP_SVC_BIT(EPP_SVC_DOMAIN));
    assert_null(l->unknown_obj);
    assert_null(l->unknown_ext);
    decoded_free(&d);

    /* maximum lengths, surrounding whitespace trimmed */
    const char *max = EPP_OPEN "<command><login><clID> ABCDEFGHIJKLMNOP </clID>"
                               "<pw>\n  0123456789abcdef\n</pw><newPW>fedcba9876543210</newPW>"
                               "<options><version>1.0</version><lang>da</lang></options>"
                               "<svcs><objURI>" EPP_NS_HOST "</objURI></svcs></login>"
                               "<clTRID>0123456789012345678901234567890123456789012345678901234567890123"
                               "</clTRID></command>" EPP_CLOSE;
    assert_int_equal(decode_str(&d, max), REG_OK);
    l = &d.r.u.login;
    assert_string_equal(l->clid, "ABCDEFGHIJKLMNOP");
    assert_string_equal(l->pw, "0123456789abcdef");
    assert_string_equal(l->newpw, "fedcba9876543210");
    assert_string_equal(l->lang, "da");
    assert_int_equal(l->svcs, EPP_SVC_BIT(EPP_SVC_HOST));
    assert_string_equal(d.r.cltrid,
                        "0123456789012345678901234567890123456789012345678901234567890123");
    decoded_free(&d);
}

/* The schema counts characters, the arena holds bytes: a schema-valid
 * non-ASCII password or clTRID must not be cut (let alone mid-character). */
static void multibyte_values_are_not_truncated(void **state)
{
    (void)state;
    const char *xml = EPP_OPEN "<command><login><clID>RNAME</clID>"
                               "<pw>ææææææææææææææææ</pw>"
                               "<options><version>1.0</version><lang>en</lang></options>"
                               "<svcs><objURI>" EPP_NS_DOMAIN "</objURI></svcs></login>"
                               "<clTRID>€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€</clTRID></command>" EPP_CLOSE;
    struct decoded d;
    assert_int_equal(decode_str(&d, xml), REG_OK);
    assert_string_equal(d.r.u.login.pw, "ææææææææææææææææ");
    assert_string_equal(d.r.cltrid, "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€");
    decoded_free(&d);

    /* the longest values the schema allows, in 4-byte characters */
    char big[2048];
    char clid[16 * 4 + 1] = "", pw[16 * 4 + 1] = "", cltrid[64 * 4 + 1] = "";
    for (int i = 0; i < 16; i++) {
        strcat(clid, "\xf0\x9f\x98\x80"); /* U+1F600 */
        strcat(pw, "\xf0\x9f\x94\x91");   /* U+1F511 */
    }
    for (int i = 0; i < 64; i++)
        strcat(cltrid, "\xf0\x90\x8d\x88"); /* U+10348 */
    snprintf(big, sizeof big,
             EPP_OPEN "<command><login><clID>%s</clID><pw>%s</pw><newPW>%s</newPW>"
                      "<options><version>1.0</version><lang>en</lang></options>"
                      "<svcs><objURI>" EPP_NS_DOMAIN "</objURI></svcs></login>"
                      "<clTRID>%s</clTRID></command>" EPP_CLOSE,
             clid, pw, pw, cltrid);
    reg_err e = decode_str(&d, big);
    if (e != REG_OK)
        fail_msg("%s: %s", reg_errname(e), d.st.reason);
    assert_string_equal(d.r.u.login.clid, clid);
    assert_string_equal(d.r.u.login.pw, pw);
    assert_string_equal(d.r.u.login.newpw, pw);
    assert_string_equal(d.r.cltrid, cltrid);
    decoded_free(&d);
}

static void poll_op_and_msgid(void **state)
{
    (void)state;
    struct decoded d;
    assert_int_equal(decode_sample(&d, "valid", "poll-req.xml"), REG_OK);
    assert_int_equal(d.r.kind, EPP_CMD_POLL);
    assert_false(d.r.u.poll.ack);
    assert_string_equal(d.r.u.poll.msgid, "");
    decoded_free(&d);

    assert_int_equal(decode_sample(&d, "valid", "poll-ack.xml"), REG_OK);
    assert_true(d.r.u.poll.ack);
    assert_string_equal(d.r.u.poll.msgid, "12345");
    decoded_free(&d);

    /* ack without msgID is schema-valid but useless */
    assert_int_equal(decode_str(&d, EPP_CMD("<poll op=\"ack\"/>", "ABC-1")), REG_ERR_MISSING);
    assert_non_null(strstr(d.st.reason, "msgID"));
    assert_string_equal(d.r.cltrid, "ABC-1");
    decoded_free(&d);

    /* req ignores a msgID; a bad op is a schema error */
    assert_int_equal(decode_str(&d, EPP_CMD("<poll op=\"req\" msgID=\"9\"/>", "ABC-2")), REG_OK);
    assert_false(d.r.u.poll.ack);
    decoded_free(&d);
    assert_int_equal(decode_str(&d, EPP_CMD("<poll op=\"peek\"/>", "ABC-3")), REG_ERR_SYNTAX);
    assert_string_equal(d.r.cltrid, "ABC-3");
    decoded_free(&d);
}

static epp_xfer_op xfer_op_of(const struct epp_request *r)
{
    return r->obj == EPP_OBJ_CONTACT ? r->u.contact_transfer.op : r->u.domain_transfer.op;
}

static void transfer_op_is_decoded(void **state)
{
    (void)state;
    const struct {
        const char *file;
        epp_xfer_op op;
    } samples[] = {
        {"domain-transfer-request.xml", EPP_XFER_REQUEST},
        {"domain-transfer-query.xml", EPP_XFER_QUERY},
        {"domain-transfer-approve.xml", EPP_XFER_APPROVE},
        {"domain-transfer-otp.xml", EPP_XFER_REQUEST},
        {"contact-transfer-query.xml", EPP_XFER_QUERY},
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        struct decoded d;
        assert_int_equal(decode_sample(&d, "valid", samples[i].file), REG_OK);
        assert_int_equal(d.r.kind, EPP_CMD_TRANSFER);
        assert_int_equal(xfer_op_of(&d.r), samples[i].op);
        decoded_free(&d);
    }
    const struct {
        const char *name;
        epp_xfer_op op;
    } ops[] = {{"request", EPP_XFER_REQUEST}, {"query", EPP_XFER_QUERY},
               {"approve", EPP_XFER_APPROVE}, {"reject", EPP_XFER_REJECT},
               {"cancel", EPP_XFER_CANCEL}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        char xml[1024];
        snprintf(xml, sizeof xml,
                 EPP_OPEN "<command><transfer op=\"%s\"><domain:transfer xmlns:domain=\"" EPP_NS_DOMAIN
                          "\"><domain:name>example.dk</domain:name></domain:transfer></transfer>"
                          "<clTRID>ABC-%zu</clTRID></command>" EPP_CLOSE,
                 ops[i].name, i);
        struct decoded d;
        assert_int_equal(decode_str(&d, xml), REG_OK);
        assert_int_equal(d.r.u.domain_transfer.op, ops[i].op);
        assert_int_equal(d.r.obj, EPP_OBJ_DOMAIN);
        decoded_free(&d);
    }
    /* an op belongs to <transfer> only (the typed request has no op for
     * other commands): on <info> it is a schema error */
    struct decoded d;
    assert_int_equal(
        decode_str(&d, EPP_CMD("<info op=\"query\"><domain:info xmlns:domain=\"" EPP_NS_DOMAIN "\">"
                               "<domain:name>example.dk</domain:name></domain:info></info>",
                               "ABC-op")),
        REG_ERR_SYNTAX);
    decoded_free(&d);
}

/* RFC 5730 §3: an object namespace the server does not serve is 2307,
 * decided before the schema check (which has no schema for it), naming
 * the element at fault. */
static void unserved_object_namespace(void **state)
{
    (void)state;
    struct decoded d;
    assert_int_equal(decode_str(&d, EPP_CMD("<check><x:check xmlns:x=\"urn:example:x\"/></check>",
                                            "ABC-obj")),
                     REG_ERR_UNIMPLEMENTED_OBJECT);
    assert_true(d.st.reason[0] != '\0');
    assert_non_null(strstr(d.st.reason, "urn:example:x"));
    assert_string_equal(d.r.cltrid, "ABC-obj");
    assert_int_equal(d.r.kind, EPP_CMD_CHECK);
    assert_string_equal(d.r.bad_ns, "urn:example:x");
    assert_string_equal(d.r.bad_name, "check");
    decoded_free(&d);
}

/* ---- redaction and clTRID echo ---------------------------------------- */

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void redacted_hides_passwords_and_authinfo(void **state)
{
    (void)state;
    const struct {
        const char *dir, *file;
        const char *secrets[3];
        const char *kept;
        size_t min_redactions;
    } cases[] = {
        {"valid", "login-newpw.xml", {"2fooBAR-x9", "bar-FOO2-y7"}, "RNAME", 2},
        {"valid", "login.xml", {"2fooBAR-x9"}, "RNAME", 1},
        {"valid", "domain-create.xml", {"2fooBAR"}, "<domain:name>", 1},
        {"valid", "domain-transfer-request.xml", {"2fooBAR"}, "JD1234-REP", 1},
        {"valid", "domain-update.xml", {"2BARfoo"}, "<domain:name>", 1},
        {"valid", "contact-create.xml", {"2fooBAR"}, "<contact:id>", 1},
        {"valid", "contact-info.xml", {"2fooBAR"}, "<contact:id>", 1},
        /* refused documents are logged too */
        {"invalid", "login-pw-too-short.xml", {NULL}, "<clID>", 1},
        {"invalid", "domain-create-period-0.xml", {"2fooBAR"}, "<domain:name>", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *xml = epp_test_read_sample(cases[i].dir, cases[i].file, &len);
        struct decoded d;
        reg_err e = decode_buf(&d, xml, len);
        assert_int_equal(e == REG_OK, !strcmp(cases[i].dir, "valid"));
        const char *red = d.r.redacted;
        assert_non_null(red);
        for (size_t k = 0; k < 3 && cases[i].secrets[k]; k++) {
            assert_non_null(memmem(xml, len, cases[i].secrets[k], strlen(cases[i].secrets[k])));
            if (strstr(red, cases[i].secrets[k]))
                fail_msg("%s/%s: \"%s\" in the redacted log:\n%s", cases[i].dir, cases[i].file,
                         cases[i].secrets[k], red);
        }
        assert_true(count_of(red, "[redacted]") >= cases[i].min_redactions);
        assert_non_null(strstr(red, cases[i].kept));
        /* the command itself is untouched */
        if (d.r.kind == EPP_CMD_LOGIN && e == REG_OK)
            assert_string_equal(d.r.u.login.pw, cases[i].secrets[0]);
        /* the same frame is logged the same way again */
        struct decoded again;
        decode_buf(&again, xml, len);
        assert_string_equal(red, again.r.redacted);
        decoded_free(&again);
        decoded_free(&d);
        free(xml);
    }

    /* a short password in a failed login is hidden too */
    size_t len;
    char *xml = epp_test_read_sample("invalid", "login-pw-too-short.xml", &len);
    reg_status st = {0};
    xmlDocPtr doc = epp_xml_read(xml, len, &st);
    assert_non_null(doc);
    xmlNodePtr pw = epp_child(epp_child(epp_child(xmlDocGetRootElement(doc), EPP_NS, "command"),
                                        EPP_NS, "login"),
                              EPP_NS, "pw");
    assert_non_null(pw);
    char *secret = epp_text(pw);
    assert_true(secret[0] != '\0');
    xmlFreeDoc(doc);
    struct decoded d;
    assert_int_equal(decode_buf(&d, xml, len), REG_ERR_SYNTAX);
    char needle[64];
    snprintf(needle, sizeof needle, ">%s<", secret);
    assert_non_null(d.r.redacted);
    assert_null(strstr(d.r.redacted, needle));
    free(secret);
    decoded_free(&d);
    free(xml);

    /* an empty <pw/> */
    const char *empty = EPP_CMD("<info><domain:info xmlns:domain=\"" EPP_NS_DOMAIN "\">"
                                "<domain:name>example.dk</domain:name><domain:authInfo>"
                                "<domain:pw/></domain:authInfo></domain:info></info>",
                                "ABC-red");
    assert_int_equal(decode_str(&d, empty), REG_OK);
    assert_non_null(strstr(d.r.redacted, "example.dk"));
    assert_true(d.r.u.domain_info.auth.given);
    assert_string_equal(d.r.u.domain_info.auth.pw, "");
    decoded_free(&d);

    /* authInfo with an <ext> child (refused: we have no schema for its
     * content, but it is logged, without the secret) */
    const char *ext = EPP_CMD("<info><domain:info xmlns:domain=\"" EPP_NS_DOMAIN "\">"
                              "<domain:name>example.dk</domain:name><domain:authInfo><domain:ext>"
                              "<x:token xmlns:x=\"urn:example:x\">s3cret-token</x:token>"
                              "</domain:ext></domain:authInfo></domain:info></info>",
                              "ABC-red");
    assert_int_equal(decode_str(&d, ext), REG_ERR_SYNTAX);
    assert_non_null(d.r.redacted);
    assert_non_null(strstr(d.r.redacted, "example.dk"));
    assert_null(strstr(d.r.redacted, "s3cret-token"));
    decoded_free(&d);

    /* a password written straight into authInfo (a client's mistake, 2001),
     * or in a comment or CDATA beside <pw>, is not logged either */
    const char *beside[] = {"s3cret-text", "<![CDATA[s3cret-text]]>", "<!-- s3cret-text -->",
                            "<domain:pw>x</domain:pw> s3cret-text "};
    for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
        char frame[1024];
        snprintf(frame, sizeof frame,
                 EPP_CMD("<info><domain:info xmlns:domain=\"" EPP_NS_DOMAIN "\"><domain:name>"
                         "example.dk</domain:name><domain:authInfo>%s</domain:authInfo>"
                         "</domain:info></info>",
                         "ABC-red"),
                 beside[i]);
        decode_str(&d, frame);
        assert_non_null(d.r.redacted);
        assert_non_null(strstr(d.r.redacted, "example.dk"));
        if (strstr(d.r.redacted, "s3cret-text"))
            fail_msg("%s: in the redacted log:\n%s", beside[i], d.r.redacted);
        decoded_free(&d);
    }
}

static void raw_redacted_stops_before_secrets(void **state)
{
    (void)state;
    const char *raw = "<epp><command><login><clID>RNAME</clID><pw>s3cret-pass</pw>";
    char *r = epp_raw_redacted(raw, strlen(raw));
    assert_non_null(r);
    assert_null(strstr(r, "s3cret"));
    assert_non_null(strstr(r, "RNAME"));
    assert_non_null(strstr(r, "unparsed"));
    free(r);
    const char *ai = "<domain:authInfo><domain:x>s3cret</domain:x>";
    r = epp_raw_redacted(ai, strlen(ai));
    assert_null(strstr(r, "s3cret"));
    free(r);
    const char bin[] = "\x01\x02<\xff\xfe>\0tail";
    r = epp_raw_redacted(bin, sizeof bin - 1);
    for (const char *p = r; *p; p++)
        assert_true((*p >= ' ' && *p < 0x7f) || *p == '\n');
    free(r);
}

static void cltrid_echoed_when_validation_fails(void **state)
{
    (void)state;
    const char *docs[] = {
        /* unknown element in the object */
        EPP_CMD("<info><domain:info xmlns:domain=\"" EPP_NS_DOMAIN "\"><domain:bogus/>"
                "</domain:info></info>",
                "ECHO-123"),
        /* unknown command */
        EPP_CMD("<frobnicate/>", "ECHO-123"),
        /* surrounding whitespace is trimmed */
        EPP_OPEN "<command><logout/><clTRID>\n  ECHO-123\n</clTRID><junk/></command>" EPP_CLOSE,
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        struct decoded d;
        assert_int_equal(decode_str(&d, docs[i]), REG_ERR_SYNTAX);
        assert_true(d.st.reason[0] != '\0');
        assert_string_equal(d.r.cltrid, "ECHO-123");
        assert_non_null(d.r.redacted);
        decoded_free(&d);
    }
    /* invalid samples carry one too */
    const char *files[] = {"poll-bad-op.xml", "command-empty.xml", "login-missing-pw.xml",
                           "domain-create-period-0.xml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct decoded d;
        assert_int_equal(decode_sample(&d, "invalid", files[i]), REG_ERR_SYNTAX);
        assert_string_equal(d.r.cltrid, "ABC-12345");
        decoded_free(&d);
    }
    /* a clTRID that is itself invalid (too short) is not echoed */
    struct decoded d;
    assert_int_equal(decode_sample(&d, "invalid", "cltrid-too-short.xml"), REG_ERR_SYNTAX);
    assert_string_equal(d.r.cltrid, "");
    decoded_free(&d);
    /* one in a document that is not even well-formed is (issue 11: every
     * 2001 echoes the clTRID when one can be read), when it is plain text */
    const char *broken = EPP_OPEN "<command><logout/><clTRID>ECHO-123</clTRID></command>";
    assert_int_equal(decode_str(&d, broken), REG_ERR_SYNTAX);
    assert_null(d.r.redacted);
    assert_string_equal(d.r.cltrid, "ECHO-123");
    decoded_free(&d);
    const char *too_short = EPP_OPEN "<command><logout/><clTRID>EC</clTRID></command>";
    assert_int_equal(decode_str(&d, too_short), REG_ERR_SYNTAX);
    assert_string_equal(d.r.cltrid, "");
    decoded_free(&d);
    /* nor one outside <command> (<hello> is anyType in RFC 5730's schema) */
    const char *hello = EPP_OPEN "<hello><clTRID>ECHO-123</clTRID></hello>" EPP_CLOSE;
    assert_int_equal(decode_str(&d, hello), REG_OK);
    assert_int_equal(d.r.kind, EPP_CMD_HELLO);
    assert_string_equal(d.r.cltrid, "");
    decoded_free(&d);
}

/* Reasons quote the document (element names, values) and are cut to fit
 * their buffers; the cut must not split a UTF-8 sequence, or the 2001
 * response carrying the reason is not well-formed XML. */
static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2
                : (*p & 0xf8) == 0xf0 ? 3 : -1;
        if (n < 0)
            return false;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xc0) != 0x80)
                return false;
    }
    return true;
}

static void reasons_are_valid_utf8(void **state)
{
    (void)state;
    char *e200 = malloc(200 * 2 + 1), *e150 = malloc(150 * 2 + 1);
    assert_non_null(e200);
    assert_non_null(e150);
    e200[0] = e150[0] = '\0';
    for (int i = 0; i < 200; i++)
        strcat(e200, "é");
    for (int i = 0; i < 150; i++)
        strcat(e150, "é");
    bool broken = false;
    for (int shift = 0; shift < 2; shift++) {
        char xml[2048];
        const char *pad = shift ? "x" : "";
        /* not well-formed: libxml2's message names the element */
        snprintf(xml, sizeof xml, EPP_OPEN "<%s%s>" EPP_CLOSE, pad, e200);
        struct decoded d;
        assert_int_equal(decode_str(&d, xml), REG_ERR_SYNTAX);
        broken |= !valid_utf8(d.st.reason);
        decoded_free(&d);
        /* schema-invalid: the validator's message names it too */
        snprintf(xml, sizeof xml,
                 EPP_OPEN "<command><logout/><clTRID>ABC-1</clTRID><%s%s/></command>" EPP_CLOSE,
                 pad, e150);
        assert_int_equal(decode_str(&d, xml), REG_ERR_SYNTAX);
        broken |= !valid_utf8(d.st.reason);
        decoded_free(&d);
    }
    free(e200);
    free(e150);
    if (broken) {
        print_message("REGRESSION (src/epp/xml.c swallow_errors, src/epp/schema.c "
                      "collect_error): reason cut inside a UTF-8 sequence\n");
        fail();
    }
}

/* libxml2 quotes up to 50 bytes of the document in some messages
 * ("CData section not finished\n…"); the reason goes into the 2001
 * response, which the audit log stores next to the redacted request. */
static void reasons_quote_no_secrets(void **state)
{
    (void)state;
    const char *docs[] = {
        EPP_OPEN "<command><login><clID>RNAME</clID><pw><![CDATA[s3cret-pass]]</pw><options>"
                 "<version>1.0</version><lang>en</lang></options></login></command>" EPP_CLOSE,
        EPP_OPEN "<command><login><clID>RNAME</clID><!--<pw>s3cret-pass</pw><options>"
                 "<version>1.0</version></options></login></command>" EPP_CLOSE,
    };
    bool leaked = false;
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        struct decoded d;
        assert_int_equal(decode_str(&d, docs[i]), REG_ERR_SYNTAX);
        assert_true(d.st.reason[0] != '\0');
        leaked |= strstr(d.st.reason, "s3cret-pass") != NULL;
        char *raw = epp_raw_redacted(docs[i], strlen(docs[i]));
        assert_null(strstr(raw, "s3cret-pass"));
        free(raw);
        decoded_free(&d);
    }
    if (leaked) {
        print_message("REGRESSION (src/epp/xml.c swallow_errors): the 2001 reason "
                      "quotes the password from libxml2's message\n");
        fail();
    }
}

static void names_of_kinds(void **state)
{
    (void)state;
    assert_string_equal(epp_cmd_kind_name(EPP_CMD_HELLO), "hello");
    assert_string_equal(epp_cmd_kind_name(EPP_CMD_TRANSFER), "transfer");
    assert_string_equal(epp_cmd_kind_name(EPP_CMD__COUNT), "?");
    assert_string_equal(epp_cmd_kind_name((epp_cmd_kind)-1), "?");
    assert_string_equal(epp_obj_kind_name(EPP_OBJ_DOMAIN), "domain");
    assert_string_equal(epp_obj_kind_name(EPP_OBJ_ACCOUNT), "account");
    assert_string_equal(epp_obj_kind_name(EPP_OBJ_NONE), "");
    for (int k = 0; k < EPP_CMD__COUNT; k++)
        assert_true(strcmp(epp_cmd_kind_name((epp_cmd_kind)k), "?") != 0);
    /* each object kind has its service, and that service's namespace */
    assert_int_equal(epp_obj_svc(EPP_OBJ_NONE), EPP_SVC_NONE);
    assert_string_equal(epp_svc_uri(epp_obj_svc(EPP_OBJ_DOMAIN)), EPP_NS_DOMAIN);
    assert_string_equal(epp_svc_uri(epp_obj_svc(EPP_OBJ_CONTACT)), EPP_NS_CONTACT);
    assert_string_equal(epp_svc_uri(epp_obj_svc(EPP_OBJ_HOST)), EPP_NS_HOST);
    assert_string_equal(epp_svc_uri(epp_obj_svc(EPP_OBJ_ACCOUNT)), EPP_NS_ACCOUNT);
    struct epp_request r = {.kind = EPP_CMD_CREATE, .obj = EPP_OBJ_HOST};
    char buf[8];
    assert_string_equal(epp_request_name(&r, buf, sizeof buf), "host:cr"); /* truncated, safe */
}

static void text_helpers(void **state)
{
    (void)state;
    const char *xml = EPP_OPEN "<hello><a>  x y \n</a><b/><a>2</a><c k=\"v\">\t p \n q  r </c>"
                               "</hello>" EPP_CLOSE;
    reg_status st = {0};
    xmlDocPtr doc = epp_xml_read(xml, strlen(xml), &st);
    assert_non_null(doc);
    xmlNodePtr hello = epp_child(xmlDocGetRootElement(doc), EPP_NS, "hello");
    assert_non_null(hello);
    xmlNodePtr a = epp_child(hello, EPP_NS, "a");
    char *t = epp_text(a);
    assert_string_equal(t, "x y");
    free(t);
    xmlNodePtr a2 = epp_next_sibling(a, EPP_NS, "a");
    t = epp_text(a2);
    assert_string_equal(t, "2");
    free(t);
    xmlNodePtr c = epp_next_sibling(a2, NULL, NULL);
    assert_non_null(c);
    assert_null(epp_next_sibling(c, NULL, NULL));
    assert_null(epp_child(hello, EPP_NS_DOMAIN, "a"));
    assert_null(epp_child(NULL, NULL, NULL));
    t = epp_text(NULL);
    assert_string_equal(t, "");
    free(t);
    assert_int_equal(epp_count(hello, EPP_NS, "a"), 2);
    assert_int_equal(epp_count(hello, NULL, NULL), 4);
    assert_int_equal(epp_count(NULL, NULL, NULL), 0);
    assert_string_equal(epp_ns_of(a), EPP_NS);
    assert_string_equal(epp_ns_of(NULL), "");
    assert_true(epp_in_ns(a, EPP_NS));
    assert_false(epp_in_ns(a, EPP_NS_DOMAIN));

    /* the arena variants: NULL for what is absent, xs:token collapsing */
    struct arena ar;
    arena_init(&ar, 4096);
    assert_string_equal(xa_text(&ar, a), "x y");
    assert_null(xa_text(&ar, NULL));
    assert_string_equal(xa_child_text(&ar, hello, EPP_NS, "b"), "");
    assert_null(xa_child_text(&ar, hello, EPP_NS, "missing"));
    assert_string_equal(xa_attr(&ar, c, "k"), "v");
    assert_null(xa_attr(&ar, c, "missing"));
    assert_null(xa_attr(&ar, NULL, "k"));
    assert_string_equal(xa_text(&ar, c), "p \n q  r");
    assert_string_equal(xa_token(&ar, c), "p q r");
    assert_null(xa_token(&ar, NULL));
    assert_false(arena_failed(&ar));
    arena_free(&ar);
    xmlFreeDoc(doc);
}

/* The long-id schema set ([contact] id_prefix = registrar) takes the
 * REGISTRAR:ID contact ids of up to 100 characters; 101 stay refused. */
static void long_ids_take_100_characters(void **state)
{
    (void)state;
    char id[128], xml[1024];
    for (int n = 99; n <= 101; n++) {
        memset(id, 'A', sizeof id);
        memcpy(id, "RNAME:", 6);
        id[n] = '\0';
        snprintf(xml, sizeof xml,
                 EPP_CMD("<info><contact:info xmlns:contact=\"" EPP_NS_CONTACT "\"><contact:id>%s"
                         "</contact:id></contact:info></info>",
                         "ABC-long"),
                 id);
        struct decoded d;
        reg_err e = decode_str(&d, xml);
        if (n <= 100) {
            assert_int_equal(e, REG_OK);
            assert_string_equal(d.r.u.contact_info.id, id);
        } else {
            assert_int_equal(e, REG_ERR_SYNTAX);
            assert_non_null(strstr(d.st.reason, "maxLength"));
        }
        decoded_free(&d);
    }
}


/* ---- the audit copy: as received, or redacted (issue 18) ---------------- */

/* Every text a secret element holds in the document as parsed (<pw>,
 * <newPW>, anything inside <authInfo>), comments and CDATA included, each
 * of at least 3 bytes, into secrets[] (malloc'd); the count. */
static size_t collect_secrets(xmlNodePtr n, bool inside, char **secrets, size_t k, size_t max)
{
    for (; n; n = n->next) {
        bool secret = inside;
        if (n->type == XML_ELEMENT_NODE)
            secret |= !strcmp((const char *)n->name, "pw") ||
                      !strcmp((const char *)n->name, "newPW") ||
                      !strcmp((const char *)n->name, "authInfo");
        if (n->type != XML_ELEMENT_NODE && inside && n->content) {
            char *t = (char *)n->content;
            while (*t == ' ' || *t == '\n' || *t == '\t' || *t == '\r')
                t++;
            size_t len = strcspn(t, " \n\t\r");
            if (len >= 3 && k < max)
                secrets[k++] = strndup(t, len);
        }
        k = collect_secrets(n->children, secret, secrets, k, max);
    }
    return k;
}

/* What the log keeps of a frame: not a byte of any secret; the frame
 * itself, byte for byte, exactly when it holds no secret (and is plain
 * UTF-8, as declared). `raw_expected`: the caller's own judgement. */
static void expect_audit_copy(const char *label, const char *xml, size_t len, bool raw_expected)
{
    struct decoded d;
    decode_buf(&d, xml, len);
    if (!d.r.redacted)
        fail_msg("%s: no audit copy (%s)", label, d.st.reason);
    char *secrets[64];
    size_t n = 0;
    reg_status st = {0};
    xmlDocPtr doc = epp_xml_read(xml, len, &st);
    assert_non_null(doc);
    n = collect_secrets(xmlDocGetRootElement(doc), false, secrets, 0, 64);
    xmlFreeDoc(doc);
    bool raw = strlen(d.r.redacted) == len && !memcmp(d.r.redacted, xml, len);
    for (size_t i = 0; i < n; i++) {
        if (strstr(d.r.redacted, secrets[i]))
            fail_msg("%s: secret \"%s\" in the audit copy:\n%s", label, secrets[i], d.r.redacted);
        free(secrets[i]);
    }
    if (raw != raw_expected)
        fail_msg("%s: audit copy %s the frame, expected %s:\n%s", label,
                 raw ? "is" : "is not", raw_expected ? "as received" : "redacted", d.r.redacted);
    if (!raw_expected && n)
        assert_non_null(strstr(d.r.redacted, "[redacted]"));
    decoded_free(&d);
}

/* The samples that carry secrets, one of each kind, are stored redacted;
 * those that carry none as received. Over every valid sample: no secret
 * text in any audit copy, and a copy as received only when the frame's
 * bytes name no secret element. */
static void audit_copy_is_raw_only_without_secrets(void **state)
{
    (void)state;
    const char *with_secrets[] = {"login.xml", "login-newpw.xml", "domain-create.xml",
                                  "domain-transfer-request.xml", "domain-update.xml",
                                  "contact-create.xml", "contact-info.xml",
                                  "domain-update-null-authinfo.xml"};
    const char *without[] = {"domain-check.xml", "hello.xml", "logout.xml", "poll-req.xml",
                             "host-create.xml", "domain-transfer-otp.xml", "domain-renew.xml"};
    for (size_t i = 0; i < sizeof with_secrets / sizeof with_secrets[0]; i++) {
        size_t len;
        char *xml = epp_test_read_sample("valid", with_secrets[i], &len);
        expect_audit_copy(with_secrets[i], xml, len, false);
        free(xml);
    }
    for (size_t i = 0; i < sizeof without / sizeof without[0]; i++) {
        size_t len;
        char *xml = epp_test_read_sample("valid", without[i], &len);
        expect_audit_copy(without[i], xml, len, true);
        free(xml);
    }
    size_t count;
    char **names = epp_test_list_samples("valid", &count);
    for (size_t i = 0; i < count; i++) {
        size_t len;
        char *xml = epp_test_read_sample("valid", names[i], &len);
        struct decoded d;
        decode_buf(&d, xml, len);
        bool names_secret = memmem(xml, len, "pw", 2) || memmem(xml, len, "newPW", 5) ||
                            memmem(xml, len, "authInfo", 8);
        decoded_free(&d);
        /* responses and greetings are read too (and refused): same rule */
        expect_audit_copy(names[i], xml, len, !names_secret);
        free(xml);
    }
    epp_test_free_list(names);

    /* made up: a secret's name only in a comment, a processing instruction,
     * an attribute value: redacted copy all the same (nothing there to hide,
     * but the bytes are not trusted) */
    const char *named[] = {
        EPP_CMD("<!-- pw --><logout/>", "ABC-raw"),
        EPP_CMD("<?x authInfo?><logout/>", "ABC-raw"),
        EPP_CMD("<poll op=\"req\" msgID=\"newPW\"/>", "ABC-raw"),
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        expect_audit_copy(named[i], named[i], strlen(named[i]), false);
    /* a secret element in any namespace or none, empty or not */
    const char *secret_docs[] = {
        EPP_CMD("<info><domain:info xmlns:domain=\"" EPP_NS_DOMAIN "\"><domain:name>a.dk"
                "</domain:name><domain:authInfo><domain:pw roid=\"X-DK\">Qq1-secret</domain:pw>"
                "</domain:authInfo></domain:info></info>", "ABC-raw"),
        EPP_CMD("<login><clID>RNAME</clID><pw>Qq1-secret</pw><newPW>Qq2-secret</newPW><options>"
                "<version>1.0</version><lang>en</lang></options><svcs><objURI>" EPP_NS_DOMAIN
                "</objURI></svcs></login>", "ABC-raw"),
        EPP_CMD("<create><contact:create xmlns:contact=\"" EPP_NS_CONTACT "\"><contact:id>C1"
                "</contact:id><contact:postalInfo type=\"int\"><contact:name>N</contact:name>"
                "<contact:addr><contact:city>C</contact:city><contact:cc>DK</contact:cc>"
                "</contact:addr></contact:postalInfo><contact:email>a@b.dk</contact:email>"
                "<contact:authInfo><contact:pw>Qq3-secret</contact:pw></contact:authInfo>"
                "</contact:create></create>", "ABC-raw"),
        EPP_CMD("<update><domain:update xmlns:domain=\"" EPP_NS_DOMAIN "\"><domain:name>a.dk"
                "</domain:name><domain:chg><domain:authInfo><domain:pw>Qq4-secret</domain:pw>"
                "</domain:authInfo></domain:chg></domain:update></update>", "ABC-raw"),
        EPP_CMD("<transfer op=\"request\"><domain:transfer xmlns:domain=\"" EPP_NS_DOMAIN "\">"
                "<domain:name>a.dk</domain:name><domain:authInfo><domain:pw>Qq5-secret"
                "</domain:pw></domain:authInfo></domain:transfer></transfer>", "ABC-raw"),
    };
    for (size_t i = 0; i < sizeof secret_docs / sizeof secret_docs[0]; i++) {
        expect_audit_copy(secret_docs[i], secret_docs[i], strlen(secret_docs[i]), false);
        struct decoded d;
        decode_str(&d, secret_docs[i]);
        assert_null(strstr(d.r.redacted, "-secret"));
        decoded_free(&d);
    }

    /* secretless, but not plain UTF-8 as declared: written out again */
    const char *latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<epp xmlns=\"" EPP_NS
                         "\"><command><check><domain:check xmlns:domain=\"" EPP_NS_DOMAIN "\">"
                         "<domain:name>\xe6.dk</domain:name></domain:check></check>"
                         "<clTRID>ABC-raw</clTRID></command></epp>";
    struct decoded d;
    assert_int_equal(decode_str(&d, latin1), REG_OK);
    assert_non_null(d.r.redacted);
    assert_non_null(strstr(d.r.redacted, "\xc3\xa6.dk")); /* in UTF-8 */
    assert_null(strstr(d.r.redacted, "ISO-8859-1"));
    decoded_free(&d);
    /* the same text in UTF-8: as received */
    const char *utf8 = EPP_CMD("<check><domain:check xmlns:domain=\"" EPP_NS_DOMAIN "\">"
                               "<domain:name>\xc3\xa6.dk</domain:name></domain:check></check>",
                               "ABC-raw");
    expect_audit_copy("utf8", utf8, strlen(utf8), true);
}

int main(void)
{
    /* before the first decode: the schema set is compiled once */
    epp_decode_long_ids(true);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_commands_parse),
        cmocka_unit_test(responses_and_greetings_are_not_commands),
        cmocka_unit_test(invalid_samples_are_syntax_errors),
        cmocka_unit_test(not_well_formed_is_syntax_error),
        cmocka_unit_test(billion_laughs_is_refused),
        cmocka_unit_test(external_entities_are_refused),
        cmocka_unit_test(dtd_refused_in_any_encoding),
        cmocka_unit_test(redacted_log_holds_no_entity_secrets),
        cmocka_unit_test(entity_loader_serves_only_embedded_schemas),
        cmocka_unit_test(deep_nesting_is_an_error_not_a_crash),
        cmocka_unit_test(huge_flat_input_is_handled),
        cmocka_unit_test(parse_cost_is_bounded),
        cmocka_unit_test(login_fields_are_decoded),
        cmocka_unit_test(multibyte_values_are_not_truncated),
        cmocka_unit_test(poll_op_and_msgid),
        cmocka_unit_test(transfer_op_is_decoded),
        cmocka_unit_test(unserved_object_namespace),
        cmocka_unit_test(redacted_hides_passwords_and_authinfo),
        cmocka_unit_test(raw_redacted_stops_before_secrets),
        cmocka_unit_test(audit_copy_is_raw_only_without_secrets),
        cmocka_unit_test(cltrid_echoed_when_validation_fails),
        cmocka_unit_test(reasons_are_valid_utf8),
        cmocka_unit_test(reasons_quote_no_secrets),
        cmocka_unit_test(names_of_kinds),
        cmocka_unit_test(text_helpers),
        cmocka_unit_test(long_ids_take_100_characters),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    epp_schema_thread_cleanup();
    return rc;
}
