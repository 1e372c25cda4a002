/* EPP command parsing (src/epp/parse.c, schema.c): the hardened XML read,
 * schema validation, command decoding and redaction, over the sample
 * documents in tests/data/epp and hand-made hostile input. */
#include "testutil.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "epp/command.h"
#include "epp/ns.h"

#ifndef REG_TEST_DATA
#define REG_TEST_DATA "tests/data"
#endif

#define EPP_OPEN "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<epp xmlns=\"" EPP_NS "\">"
#define EPP_CLOSE "</epp>"

/* ---- helpers ---------------------------------------------------------- */

static const char *data_dir(void)
{
    const char *env = getenv("REG_TEST_DATA");
    return env && *env ? env : REG_TEST_DATA;
}

static char *sample_path(const char *sub, const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/epp/%s/%s", data_dir(), sub, name);
    return path;
}

/* Whole file, malloc'd to its exact size (so ASan sees any over-read). */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    assert_true(n > 0);
    char *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static char *read_sample(const char *sub, const char *name, size_t *len)
{
    return read_file(sample_path(sub, name), len);
}

/* Sorted *.xml names of one sample directory; NULL-terminated. */
static char **list_samples(const char *sub, size_t *count)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/epp/%s", data_dir(), sub);
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0) {
        fail_msg("cannot list %s (set REG_TEST_DATA)", dir);
        n = 0;
    }
    char **names = calloc((size_t)n + 1, sizeof *names);
    assert_non_null(names);
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        const char *nm = ents[i]->d_name;
        size_t l = strlen(nm);
        if (l > 4 && !strcmp(nm + l - 4, ".xml"))
            names[k++] = strdup(nm);
        free(ents[i]);
    }
    free(ents);
    *count = k;
    return names;
}

static void free_list(char **names)
{
    for (char **p = names; *p; p++)
        free(*p);
    free(names);
}

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

static reg_err parse_str(const char *xml, struct epp_command *c, reg_status *st)
{
    memset(st, 0, sizeof *st);
    return epp_command_parse(xml, strlen(xml), c, st);
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

/* ---- valid commands --------------------------------------------------- */

static const struct expected {
    const char *file;
    epp_cmd_kind kind;
    epp_obj_kind obj;
    const char *cltrid;
    const char *name; /* epp_command_name */
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

static void valid_commands_parse(void **state)
{
    (void)state;
    size_t n = 0, commands = 0;
    char **names = list_samples("valid", &n);
    bool seen[N_EXPECTED] = {false};
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *xml = read_sample("valid", names[i], &len);
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

        struct epp_command c;
        reg_status st = {0};
        reg_err e = epp_command_parse(xml, len, &c, &st);
        if (e != REG_OK)
            fail_msg("valid/%s: %s: %s", names[i], reg_errname(e), st.reason);
        assert_non_null(c.doc);
        if (c.kind != want->kind || c.obj != want->obj)
            fail_msg("valid/%s: got %s/%s, want %s/%s", names[i], epp_cmd_kind_name(c.kind),
                     epp_obj_kind_name(c.obj), epp_cmd_kind_name(want->kind),
                     epp_obj_kind_name(want->obj));
        assert_string_equal(c.cltrid, want->cltrid);
        char nm[64];
        assert_string_equal(epp_command_name(&c, nm, sizeof nm), want->name);
        if (c.kind == EPP_CMD_HELLO) {
            assert_null(c.cmd_node);
        } else {
            assert_non_null(c.cmd_node);
            assert_string_equal((const char *)c.cmd_node->name, epp_cmd_kind_name(c.kind));
        }
        if (c.obj != EPP_OBJ_NONE) {
            assert_non_null(c.obj_node);
            assert_string_equal((const char *)c.obj_node->name, epp_cmd_kind_name(c.kind));
        }
        /* <extension> is found exactly when the sample has one */
        assert_int_equal(c.ext_node != NULL, memmem(xml, len, "<extension>", 11) != NULL);
        epp_command_free(&c);
        assert_null(c.doc);
        epp_command_free(&c); /* twice is harmless */
        free(top);
        free(xml);
    }
    for (size_t i = 0; i < N_EXPECTED; i++)
        if (!seen[i])
            fail_msg("expected_commands[] names valid/%s, which is missing or not a command",
                     expected_commands[i].file);
    assert_int_equal(commands, N_EXPECTED);
    print_message("%zu of %zu valid samples are commands; all parsed\n", commands, n);
    free_list(names);
}

static void responses_and_greetings_are_not_commands(void **state)
{
    (void)state;
    size_t n = 0, rejected = 0;
    char **names = list_samples("valid", &n);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *xml = read_sample("valid", names[i], &len);
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
        struct epp_command c;
        memset(&st, 0, sizeof st);
        reg_err e = epp_command_parse(xml, len, &c, &st);
        if (e != REG_ERR_SYNTAX)
            fail_msg("valid/%s (<%s>) parsed as a command: %s", names[i], top, reg_errname(e));
        assert_non_null(strstr(st.reason, "not a command"));
        assert_non_null(strstr(st.reason, top));
        assert_non_null(c.doc); /* kept for the log */
        assert_string_equal(c.cltrid, ""); /* a response's clTRID is not a client's */
        epp_command_free(&c);
        rejected++;
        free(top);
        free(xml);
    }
    assert_true(rejected >= 2);
    print_message("%zu responses/greetings rejected as commands\n", rejected);
    free_list(names);
}

static void invalid_samples_are_syntax_errors(void **state)
{
    (void)state;
    size_t n = 0;
    char **names = list_samples("invalid", &n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *xml = read_sample("invalid", names[i], &len);
        struct epp_command c;
        reg_status st = {0};
        reg_err e = epp_command_parse(xml, len, &c, &st);
        /* RFC 5730 §2.9.1.1: a login for another version may be 2100 */
        bool version_ok = !strcmp(names[i], "login-bad-version.xml") && e == REG_ERR_VERSION;
        if (e != REG_ERR_SYNTAX && !version_ok)
            fail_msg("invalid/%s: got %s, want REG_ERR_SYNTAX", names[i], reg_errname(e));
        if (!st.reason[0])
            fail_msg("invalid/%s: no reason", names[i]);
        assert_int_equal(st.code, e);
        /* the samples are well-formed: the document is kept for logging */
        assert_non_null(c.doc);
        epp_command_free(&c);
        free(xml);
    }
    print_message("%zu invalid samples rejected\n", n);
    free_list(names);
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
        struct epp_command c;
        reg_status st;
        reg_err e = parse_str(bad[i], &c, &st);
        if (e != REG_ERR_SYNTAX)
            fail_msg("input %zu (%s): got %s", i, bad[i], reg_errname(e));
        if (!strstr(st.reason, "not well-formed"))
            fail_msg("input %zu (%s): reason \"%s\"", i, bad[i], st.reason);
        assert_null(c.doc);
        assert_string_equal(c.cltrid, "");
        epp_command_free(&c);
    }
    /* an embedded NUL byte */
    const char nul[] = EPP_OPEN "<hello/>\0" EPP_CLOSE;
    struct epp_command c;
    reg_status st = {0};
    assert_int_equal(epp_command_parse(nul, sizeof nul - 1, &c, &st), REG_ERR_SYNTAX);
    assert_non_null(strstr(st.reason, "not well-formed"));
    epp_command_free(&c);
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
    struct epp_command c;
    reg_status st = {0};
    double t0 = now_seconds();
    reg_err e = epp_command_parse(xml, len, &c, &st);
    double dt = now_seconds() - t0;
    if (e != REG_ERR_SYNTAX)
        fail_msg("%s: got %s (%s), want REG_ERR_SYNTAX", label, reg_errname(e), st.reason);
    assert_true(st.reason[0] != '\0');
    /* nothing was expanded or read: not into the reason, not into the
     * echoed clTRID, not into a kept document */
    assert_null(strstr(st.reason, "lollol"));
    assert_null(strstr(st.reason, "root:"));
    assert_null(strstr(c.cltrid, "lollol"));
    assert_null(strstr(c.cltrid, "root:"));
    if (c.doc) {
        char *red = epp_command_redacted(&c);
        if (red) {
            assert_null(strstr(red, "lollol"));
            assert_null(strstr(red, "root:"));
        }
        free(red);
    }
    if (dt > 10.0)
        fail_msg("%s: took %.1f s", label, dt);
    epp_command_free(&c);
}

static void billion_laughs_is_refused(void **state)
{
    (void)state;
    const char *doc = "<?xml version=\"1.0\"?>\n" LAUGHS "<epp xmlns=\"" EPP_NS "\"><command>"
                      "<logout/><clTRID>&lol9;</clTRID></command></epp>";
    expect_refused("billion laughs", doc, strlen(doc));
    struct epp_command c;
    reg_status st;
    assert_int_equal(parse_str(doc, &c, &st), REG_ERR_SYNTAX);
    assert_non_null(strstr(st.reason, "DTD"));
    epp_command_free(&c);

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
    struct epp_command c;
    reg_status st = {0};
    epp_command_parse(xml, len, &c, &st);
    assert_null(strstr(st.reason, "root:"));
    assert_null(strstr(c.cltrid, "root:"));
    if (c.doc) {
        char *red = epp_command_redacted(&c);
        if (red && strstr(red, "root:"))
            fail_msg("%s: file content in the document:\n%s", label, red);
        free(red);
    }
    epp_command_free(&c);
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
    struct epp_command c;
    reg_status st = {0};
    reg_err e = epp_command_parse(u, len, &c, &st);
    epp_command_free(&c);
    free(u);
    if (e == REG_OK) {
        print_message("REGRESSION (src/epp/parse.c epp_xml_read): a UTF-16 document "
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
    struct epp_command c;
    reg_status st = {0};
    reg_err e = epp_command_parse(u, len, &c, &st);
    free(u);
    assert_int_not_equal(e, REG_OK);
    char *red = c.doc ? epp_command_redacted(&c) : NULL;
    bool leaked = red && strstr(red, "s3cret-pass");
    free(red);
    epp_command_free(&c);
    if (leaked) {
        print_message("REGRESSION (src/epp/parse.c epp_command_redacted): the DTD "
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
        struct epp_command c;
        reg_status st = {0};
        reg_err e = epp_command_parse(xml, strlen(xml), &c, &st);
        assert_int_equal(e, REG_ERR_SYNTAX);
        assert_true(st.reason[0] != '\0');
        if (c.doc) { /* shallow enough to parse: logging it must work too */
            char *red = epp_command_redacted(&c);
            assert_non_null(red);
            free(red);
        }
        epp_command_free(&c);
        free(xml);
    }
    /* unclosed, and deep in the EPP namespace itself */
    char *xml = nested("<command>", "", 50000);
    struct epp_command c;
    reg_status st = {0};
    assert_int_equal(epp_command_parse(xml, strlen(xml), &c, &st), REG_ERR_SYNTAX);
    epp_command_free(&c);
    free(xml);
}

static void huge_flat_input_is_handled(void **state)
{
    (void)state;
    /* many siblings and a long text node: no recursion, just size */
    const size_t n = 100000;
    char *xml = nested("<a/>", "", n);
    struct epp_command c;
    reg_status st = {0};
    assert_int_equal(epp_command_parse(xml, strlen(xml), &c, &st), REG_ERR_SYNTAX);
    assert_string_equal(c.cltrid, "ABC-deep");
    epp_command_free(&c);
    free(xml);

    size_t big = 1 << 20;
    char *s = malloc(big + 256);
    assert_non_null(s);
    char *p = stpcpy(s, EPP_OPEN "<command><logout/><clTRID>");
    memset(p, 'x', big);
    p += big;
    strcpy(p, "</clTRID></command>" EPP_CLOSE);
    assert_int_equal(epp_command_parse(s, strlen(s), &c, &st), REG_ERR_SYNTAX);
    assert_true(strlen(c.cltrid) <= EPP_CLTRID_MAX);
    epp_command_free(&c);
    free(s);
}

/* ---- decoding --------------------------------------------------------- */

static void login_fields_are_decoded(void **state)
{
    (void)state;
    size_t len;
    char *xml = read_sample("valid", "login.xml", &len);
    struct epp_command c;
    reg_status st = {0};
    assert_int_equal(epp_command_parse(xml, len, &c, &st), REG_OK);
    assert_int_equal(c.kind, EPP_CMD_LOGIN);
    assert_string_equal(c.login.clid, "RNAME");
    assert_string_equal(c.login.pw, "2fooBAR-x9");
    assert_false(c.login.has_newpw);
    assert_string_equal(c.login.newpw, "");
    assert_string_equal(c.login.version, "1.0");
    assert_string_equal(c.login.lang, "en");
    assert_int_equal(c.login.n_obj, (int)epp_object_uri_count);
    for (size_t i = 0; i < epp_object_uri_count; i++)
        assert_string_equal(c.login.obj_uris[i], epp_object_uris[i]);
    assert_int_equal(c.login.n_ext, (int)epp_extension_uri_count);
    for (size_t i = 0; i < epp_extension_uri_count; i++)
        assert_string_equal(c.login.ext_uris[i], epp_extension_uris[i]);
    epp_command_free(&c);
    free(xml);

    xml = read_sample("valid", "login-newpw.xml", &len);
    assert_int_equal(epp_command_parse(xml, len, &c, &st), REG_OK);
    assert_string_equal(c.login.clid, "RNAME");
    assert_string_equal(c.login.pw, "2fooBAR-x9");
    assert_true(c.login.has_newpw);
    assert_string_equal(c.login.newpw, "bar-FOO2-y7");
    assert_string_equal(c.login.version, "1.0");
    assert_string_equal(c.login.lang, "en");
    assert_int_equal(c.login.n_obj, 1);
    assert_string_equal(c.login.obj_uris[0], EPP_NS_DOMAIN);
    assert_int_equal(c.login.n_ext, 0);
    epp_command_free(&c);
    free(xml);

    /* maximum lengths, surrounding whitespace trimmed */
    const char *max = EPP_OPEN "<command><login><clID> ABCDEFGHIJKLMNOP </clID>"
                               "<pw>\n  0123456789abcdef\n</pw><newPW>fedcba9876543210</newPW>"
                               "<options><version>1.0</version><lang>da</lang></options>"
                               "<svcs><objURI>" EPP_NS_HOST "</objURI></svcs></login>"
                               "<clTRID>0123456789012345678901234567890123456789012345678901234567890123"
                               "</clTRID></command>" EPP_CLOSE;
    assert_int_equal(parse_str(max, &c, &st), REG_OK);
    assert_string_equal(c.login.clid, "ABCDEFGHIJKLMNOP");
    assert_string_equal(c.login.pw, "0123456789abcdef");
    assert_string_equal(c.login.newpw, "fedcba9876543210");
    assert_string_equal(c.login.lang, "da");
    assert_string_equal(c.cltrid,
                        "0123456789012345678901234567890123456789012345678901234567890123");
    epp_command_free(&c);
}

/* The schema counts characters, the struct holds bytes: a schema-valid
 * non-ASCII password or clTRID must not be cut (let alone mid-character). */
static void multibyte_values_are_not_truncated(void **state)
{
    (void)state;
    const char *xml = EPP_OPEN "<command><login><clID>RNAME</clID>"
                               "<pw>ææææææææææææææææ</pw>"
                               "<options><version>1.0</version><lang>en</lang></options>"
                               "<svcs><objURI>" EPP_NS_DOMAIN "</objURI></svcs></login>"
                               "<clTRID>€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€</clTRID></command>" EPP_CLOSE;
    struct epp_command c;
    reg_status st;
    assert_int_equal(parse_str(xml, &c, &st), REG_OK);
    assert_string_equal(c.login.pw, "ææææææææææææææææ");
    assert_string_equal(c.cltrid, "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€");
    epp_command_free(&c);

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
    reg_err e = parse_str(big, &c, &st);
    if (e != REG_OK)
        fail_msg("%s: %s", reg_errname(e), st.reason);
    assert_string_equal(c.login.clid, clid);
    assert_string_equal(c.login.pw, pw);
    assert_string_equal(c.login.newpw, pw);
    assert_string_equal(c.cltrid, cltrid);
    epp_command_free(&c);
}

static void poll_op_and_msgid(void **state)
{
    (void)state;
    size_t len;
    char *xml = read_sample("valid", "poll-req.xml", &len);
    struct epp_command c;
    reg_status st = {0};
    assert_int_equal(epp_command_parse(xml, len, &c, &st), REG_OK);
    assert_int_equal(c.kind, EPP_CMD_POLL);
    assert_false(c.poll.ack);
    assert_string_equal(c.poll.msgid, "");
    epp_command_free(&c);
    free(xml);

    xml = read_sample("valid", "poll-ack.xml", &len);
    assert_int_equal(epp_command_parse(xml, len, &c, &st), REG_OK);
    assert_true(c.poll.ack);
    assert_string_equal(c.poll.msgid, "12345");
    epp_command_free(&c);
    free(xml);

    /* ack without msgID is schema-valid but useless */
    const char *noid = EPP_OPEN "<command><poll op=\"ack\"/><clTRID>ABC-1</clTRID></command>" EPP_CLOSE;
    assert_int_equal(parse_str(noid, &c, &st), REG_ERR_MISSING);
    assert_non_null(strstr(st.reason, "msgID"));
    assert_string_equal(c.cltrid, "ABC-1");
    epp_command_free(&c);

    /* req ignores a msgID; a bad op is a schema error */
    const char *req = EPP_OPEN "<command><poll op=\"req\" msgID=\"9\"/><clTRID>ABC-2</clTRID>"
                               "</command>" EPP_CLOSE;
    assert_int_equal(parse_str(req, &c, &st), REG_OK);
    assert_false(c.poll.ack);
    epp_command_free(&c);
    const char *bad = EPP_OPEN "<command><poll op=\"peek\"/><clTRID>ABC-3</clTRID></command>" EPP_CLOSE;
    assert_int_equal(parse_str(bad, &c, &st), REG_ERR_SYNTAX);
    assert_string_equal(c.cltrid, "ABC-3");
    epp_command_free(&c);
}

static void transfer_op_is_decoded(void **state)
{
    (void)state;
    const struct {
        const char *file, *op;
    } samples[] = {
        {"domain-transfer-request.xml", "request"}, {"domain-transfer-query.xml", "query"},
        {"domain-transfer-approve.xml", "approve"}, {"domain-transfer-otp.xml", "request"},
        {"contact-transfer-query.xml", "query"},
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        size_t len;
        char *xml = read_sample("valid", samples[i].file, &len);
        struct epp_command c;
        reg_status st = {0};
        assert_int_equal(epp_command_parse(xml, len, &c, &st), REG_OK);
        assert_int_equal(c.kind, EPP_CMD_TRANSFER);
        assert_string_equal(c.transfer_op, samples[i].op);
        epp_command_free(&c);
        free(xml);
    }
    const char *ops[] = {"request", "query", "approve", "reject", "cancel"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        char xml[1024];
        snprintf(xml, sizeof xml,
                 EPP_OPEN "<command><transfer op=\"%s\"><domain:transfer xmlns:domain=\"" EPP_NS_DOMAIN
                          "\"><domain:name>example.dk</domain:name></domain:transfer></transfer>"
                          "<clTRID>ABC-%zu</clTRID></command>" EPP_CLOSE,
                 ops[i], i);
        struct epp_command c;
        reg_status st;
        assert_int_equal(parse_str(xml, &c, &st), REG_OK);
        assert_string_equal(c.transfer_op, ops[i]);
        assert_int_equal(c.obj, EPP_OBJ_DOMAIN);
        epp_command_free(&c);
    }
    /* other commands leave it empty */
    size_t len;
    char *xml = read_sample("valid", "domain-info.xml", &len);
    struct epp_command c;
    reg_status st = {0};
    assert_int_equal(epp_command_parse(xml, len, &c, &st), REG_OK);
    assert_string_equal(c.transfer_op, "");
    epp_command_free(&c);
    free(xml);
}

static void unserved_object_namespace(void **state)
{
    (void)state;
    /* a <check> of an object namespace the schemas do not know is refused by
     * validation (##other, strict) before decoding */
    const char *xml = EPP_OPEN "<command><check><x:check xmlns:x=\"urn:example:x\"/></check>"
                               "<clTRID>ABC-obj</clTRID></command>" EPP_CLOSE;
    struct epp_command c;
    reg_status st;
    reg_err e = parse_str(xml, &c, &st);
    assert_true(e == REG_ERR_SYNTAX || e == REG_ERR_UNIMPLEMENTED_OBJECT);
    assert_true(st.reason[0] != '\0');
    assert_string_equal(c.cltrid, "ABC-obj");
    epp_command_free(&c);
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
        char *xml = read_sample(cases[i].dir, cases[i].file, &len);
        struct epp_command c;
        reg_status st = {0};
        reg_err e = epp_command_parse(xml, len, &c, &st);
        assert_int_equal(e == REG_OK, !strcmp(cases[i].dir, "valid"));
        assert_non_null(c.doc);
        char *red = epp_command_redacted(&c);
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
        if (c.kind == EPP_CMD_LOGIN && e == REG_OK)
            assert_true(c.login.pw[0] != '\0');
        char *again = epp_command_redacted(&c);
        assert_string_equal(red, again);
        free(again);
        free(red);
        epp_command_free(&c);
        free(xml);
    }

    /* a short password in a failed login is hidden too */
    size_t len;
    char *xml = read_sample("invalid", "login-pw-too-short.xml", &len);
    struct epp_command c;
    reg_status st = {0};
    epp_command_parse(xml, len, &c, &st);
    xmlNodePtr pw = epp_child(epp_child(epp_child(xmlDocGetRootElement(c.doc), EPP_NS, "command"),
                                        EPP_NS, "login"),
                              EPP_NS, "pw");
    assert_non_null(pw);
    char *secret = epp_text(pw);
    assert_true(secret[0] != '\0');
    char *red = epp_command_redacted(&c);
    char needle[64];
    snprintf(needle, sizeof needle, ">%s<", secret);
    assert_null(strstr(red, needle));
    free(red);
    free(secret);
    epp_command_free(&c);
    free(xml);

    /* authInfo with an <ext> child, and an empty <pw/> */
    const char *ext = EPP_OPEN "<command><info><domain:info xmlns:domain=\"" EPP_NS_DOMAIN "\">"
                               "<domain:name>example.dk</domain:name><domain:authInfo>"
                               "<domain:pw/></domain:authInfo></domain:info></info>"
                               "<clTRID>ABC-red</clTRID></command>" EPP_CLOSE;
    assert_int_equal(parse_str(ext, &c, &st), REG_OK);
    red = epp_command_redacted(&c);
    assert_non_null(strstr(red, "example.dk"));
    free(red);
    epp_command_free(&c);
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
        EPP_OPEN "<command><info><domain:info xmlns:domain=\"" EPP_NS_DOMAIN "\">"
                 "<domain:bogus/></domain:info></info><clTRID>ECHO-123</clTRID></command>" EPP_CLOSE,
        /* unknown command */
        EPP_OPEN "<command><frobnicate/><clTRID>ECHO-123</clTRID></command>" EPP_CLOSE,
        /* surrounding whitespace is trimmed */
        EPP_OPEN "<command><logout/><clTRID>\n  ECHO-123\n</clTRID><junk/></command>" EPP_CLOSE,
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        struct epp_command c;
        reg_status st;
        assert_int_equal(parse_str(docs[i], &c, &st), REG_ERR_SYNTAX);
        assert_true(st.reason[0] != '\0');
        assert_string_equal(c.cltrid, "ECHO-123");
        assert_non_null(c.doc);
        epp_command_free(&c);
    }
    /* invalid samples carry one too */
    const char *files[] = {"poll-bad-op.xml", "command-empty.xml", "login-missing-pw.xml",
                           "domain-create-period-0.xml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len;
        char *xml = read_sample("invalid", files[i], &len);
        struct epp_command c;
        reg_status st = {0};
        assert_int_equal(epp_command_parse(xml, len, &c, &st), REG_ERR_SYNTAX);
        assert_string_equal(c.cltrid, "ABC-12345");
        epp_command_free(&c);
        free(xml);
    }
    /* a clTRID that is itself invalid (too short) is not echoed */
    size_t len;
    char *xml = read_sample("invalid", "cltrid-too-short.xml", &len);
    struct epp_command c;
    reg_status st = {0};
    assert_int_equal(epp_command_parse(xml, len, &c, &st), REG_ERR_SYNTAX);
    assert_string_equal(c.cltrid, "");
    epp_command_free(&c);
    free(xml);
    /* nor one in a document that is not even well-formed */
    const char *broken = EPP_OPEN "<command><logout/><clTRID>ECHO-123</clTRID></command>";
    assert_int_equal(parse_str(broken, &c, &st), REG_ERR_SYNTAX);
    assert_string_equal(c.cltrid, "");
    epp_command_free(&c);
    /* nor one outside <command> (<hello> is anyType in RFC 5730's schema) */
    const char *hello = EPP_OPEN "<hello><clTRID>ECHO-123</clTRID></hello>" EPP_CLOSE;
    assert_int_equal(parse_str(hello, &c, &st), REG_OK);
    assert_int_equal(c.kind, EPP_CMD_HELLO);
    assert_string_equal(c.cltrid, "");
    epp_command_free(&c);
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
        struct epp_command c;
        reg_status st;
        assert_int_equal(parse_str(xml, &c, &st), REG_ERR_SYNTAX);
        broken |= !valid_utf8(st.reason);
        epp_command_free(&c);
        /* schema-invalid: the validator's message names it too */
        snprintf(xml, sizeof xml,
                 EPP_OPEN "<command><logout/><clTRID>ABC-1</clTRID><%s%s/></command>" EPP_CLOSE,
                 pad, e150);
        assert_int_equal(parse_str(xml, &c, &st), REG_ERR_SYNTAX);
        broken |= !valid_utf8(st.reason);
        epp_command_free(&c);
    }
    free(e200);
    free(e150);
    if (broken) {
        print_message("REGRESSION (src/epp/parse.c swallow_errors, src/epp/schema.c "
                      "collect_first_error): reason cut inside a UTF-8 sequence\n");
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
        struct epp_command c;
        reg_status st;
        assert_int_equal(parse_str(docs[i], &c, &st), REG_ERR_SYNTAX);
        assert_true(st.reason[0] != '\0');
        leaked |= strstr(st.reason, "s3cret-pass") != NULL;
        char *raw = epp_raw_redacted(docs[i], strlen(docs[i]));
        assert_null(strstr(raw, "s3cret-pass"));
        free(raw);
        epp_command_free(&c);
    }
    if (leaked) {
        print_message("REGRESSION (src/epp/parse.c swallow_errors): the 2001 reason "
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
    struct epp_command c = {.kind = EPP_CMD_CREATE, .obj = EPP_OBJ_HOST};
    char buf[8];
    assert_string_equal(epp_command_name(&c, buf, sizeof buf), "host:cr"); /* truncated, safe */
}

static void text_helpers(void **state)
{
    (void)state;
    const char *xml = EPP_OPEN "<hello><a>  x y \n</a><b/><a>2</a></hello>" EPP_CLOSE;
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
    assert_null(epp_next_sibling(a2, NULL, NULL));
    assert_null(epp_child(hello, EPP_NS_DOMAIN, "a"));
    assert_null(epp_child(NULL, NULL, NULL));
    t = epp_text(NULL);
    assert_string_equal(t, "");
    free(t);
    xmlFreeDoc(doc);
}

int main(void)
{
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
        cmocka_unit_test(login_fields_are_decoded),
        cmocka_unit_test(multibyte_values_are_not_truncated),
        cmocka_unit_test(poll_op_and_msgid),
        cmocka_unit_test(transfer_op_is_decoded),
        cmocka_unit_test(unserved_object_namespace),
        cmocka_unit_test(redacted_hides_passwords_and_authinfo),
        cmocka_unit_test(raw_redacted_stops_before_secrets),
        cmocka_unit_test(cltrid_echoed_when_validation_fails),
        cmocka_unit_test(reasons_are_valid_utf8),
        cmocka_unit_test(reasons_quote_no_secrets),
        cmocka_unit_test(names_of_kinds),
        cmocka_unit_test(text_helpers),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    epp_schema_thread_cleanup();
    return rc;
}
