/* EPP response/greeting writer (src/epp/writer.c) and result codes
 * (src/epp/result.c). Every document written is read back with the
 * hardened parser and validated against the embedded schemas. */
#include "testutil.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/status.h"
#include "epp/command.h"
#include "epp/ns.h"
#include "epp/result.h"
#include "epp/writer.h"

/* Every code the RFC defines, in result.h. */
static const int all_codes[] = {
    EPP_OK,
    EPP_OK_PENDING,
    EPP_OK_NO_MESSAGES,
    EPP_OK_MESSAGES,
    EPP_OK_BYE,
    EPP_UNKNOWN_COMMAND,
    EPP_SYNTAX,
    EPP_USE,
    EPP_MISSING_PARAM,
    EPP_RANGE,
    EPP_VALUE_SYNTAX,
    EPP_VERSION,
    EPP_UNIMPLEMENTED,
    EPP_UNIMPLEMENTED_OPTION,
    EPP_UNIMPLEMENTED_EXTENSION,
    EPP_BILLING,
    EPP_NOT_RENEWABLE,
    EPP_NOT_TRANSFERABLE,
    EPP_AUTH,
    EPP_AUTHZ,
    EPP_AUTHINFO,
    EPP_PENDING_TRANSFER,
    EPP_NOT_PENDING_TRANSFER,
    EPP_EXISTS,
    EPP_NOT_FOUND,
    EPP_STATUS_PROHIBITS,
    EPP_ASSOCIATION,
    EPP_POLICY,
    EPP_UNIMPLEMENTED_OBJECT,
    EPP_DATA_POLICY,
    EPP_FAILED,
    EPP_FAILED_CLOSING,
    EPP_AUTH_CLOSING,
    EPP_SESSION_LIMIT,
};
#define N_CODES (sizeof all_codes / sizeof all_codes[0])

static bool is_known_code(int code)
{
    for (size_t i = 0; i < N_CODES; i++)
        if (all_codes[i] == code)
            return true;
    return false;
}

/* Parse + validate; fails the test with the schema's complaint. Returns
 * the document for further inspection (caller frees). */
static xmlDocPtr must_validate(const char *xml, size_t len)
{
    assert_non_null(xml);
    assert_int_equal(strlen(xml), len);
    reg_status st = {0};
    xmlDocPtr doc = epp_xml_read(xml, len, &st);
    if (!doc)
        fail_msg("%s\n---\n%s", st.reason, xml);
    if (epp_schema_validate(doc, &st) != REG_OK) {
        xmlFreeDoc(doc);
        fail_msg("%s\n---\n%s", st.reason, xml);
    }
    return doc;
}

static xmlNodePtr path(xmlDocPtr doc, const char *const *names)
{
    xmlNodePtr n = xmlDocGetRootElement(doc);
    for (; n && *names; names++)
        n = epp_child(n, NULL, *names);
    return n;
}

/* The element at names exists and its text is want. */
static void assert_text_at(xmlDocPtr doc, const char *const *names, const char *want)
{
    xmlNodePtr n = path(doc, names);
    assert_non_null(n);
    char *s = epp_text(n);
    assert_string_equal(s, want);
    free(s);
}

static reg_time t0(void)
{
    reg_time t;
    assert_int_equal(clock_parse("2027-03-01T12:34:56Z", &t), REG_OK);
    return t;
}

/* ---- greeting --------------------------------------------------------- */

static void greeting_validates(void **state)
{
    (void)state;
    size_t len = 0;
    char *xml = epp_greeting("registryd test", t0(), &len);
    xmlDocPtr doc = must_validate(xml, len);
    assert_non_null(strstr(xml, "encoding=\"UTF-8\""));

    static const char *const svid[] = {"greeting", "svID", NULL};
    static const char *const svdate[] = {"greeting", "svDate", NULL};
    assert_text_at(doc, svid, "registryd test");
    assert_text_at(doc, svdate, "2027-03-01T12:34:56Z");

    /* every object and extension URI served, in order */
    static const char *const menu[] = {"greeting", "svcMenu", NULL};
    xmlNodePtr m = path(doc, menu);
    assert_non_null(m);
    size_t i = 0;
    for (xmlNodePtr u = epp_child(m, EPP_NS, "objURI"); u; u = epp_next_sibling(u, EPP_NS, "objURI")) {
        assert_true(i < epp_object_uri_count);
        char *t = epp_text(u);
        assert_string_equal(t, epp_object_uris[i++]);
        free(t);
    }
    assert_int_equal(i, epp_object_uri_count);
    i = 0;
    xmlNodePtr ext = epp_child(m, EPP_NS, "svcExtension");
    assert_non_null(ext);
    for (xmlNodePtr u = epp_child(ext, EPP_NS, "extURI"); u; u = epp_next_sibling(u, EPP_NS, "extURI")) {
        assert_true(i < epp_extension_uri_count);
        char *t = epp_text(u);
        assert_string_equal(t, epp_extension_uris[i++]);
        free(t);
    }
    assert_int_equal(i, epp_extension_uri_count);
    static const char *const dcp[] = {"greeting", "dcp", "statement", "purpose", NULL};
    assert_non_null(path(doc, dcp));
    xmlFreeDoc(doc);
    free(xml);

    /* a greeting is not a command */
    xml = epp_greeting("x&y <z>", t0(), &len);
    struct epp_command c;
    reg_status st = {0};
    assert_int_equal(epp_command_parse(xml, len, &c, &st), REG_ERR_SYNTAX);
    epp_command_free(&c);
    doc = must_validate(xml, len);
    assert_text_at(doc, svid, "x&y <z>");
    xmlFreeDoc(doc);
    free(xml);
}

/* ---- responses -------------------------------------------------------- */

static void result_with_reason_validates(void **state)
{
    (void)state;
    epp_writer *w = epp_writer_new();
    assert_non_null(w);
    epp_w_result(w, EPP_NOT_FOUND, "domain example.dk does not exist");
    size_t len = 0;
    char *xml = epp_w_finish(w, "ABC-12345", "SRV-1", &len);
    xmlDocPtr doc = must_validate(xml, len);

    static const char *const result[] = {"response", "result", NULL};
    xmlNodePtr r = path(doc, result);
    assert_non_null(r);
    xmlChar *code = xmlGetProp(r, (const xmlChar *)"code");
    assert_string_equal((const char *)code, "2303");
    xmlFree(code);
    static const char *const msg[] = {"response", "result", "msg", NULL};
    static const char *const reason[] = {"response", "result", "extValue", "reason", NULL};
    static const char *const undef[] = {"response", "result", "extValue", "value", "undef", NULL};
    static const char *const cltrid[] = {"response", "trID", "clTRID", NULL};
    static const char *const svtrid[] = {"response", "trID", "svTRID", NULL};
    assert_text_at(doc, msg, "Object does not exist");
    assert_text_at(doc, reason, "domain example.dk does not exist");
    assert_non_null(path(doc, undef));
    assert_text_at(doc, cltrid, "ABC-12345");
    assert_text_at(doc, svtrid, "SRV-1");
    xmlFreeDoc(doc);
    free(xml);

    /* no reason (NULL or "") → no extValue; no clTRID → none echoed */
    const char *empties[] = {NULL, ""};
    for (size_t i = 0; i < 2; i++) {
        w = epp_writer_new();
        epp_w_result(w, EPP_OK, empties[i]);
        xml = epp_w_finish(w, empties[i], "SRV-2", &len);
        doc = must_validate(xml, len);
        static const char *const ev[] = {"response", "result", "extValue", NULL};
        assert_null(path(doc, ev));
        assert_null(path(doc, cltrid));
        xmlFreeDoc(doc);
        free(xml);
    }
}

/* Each code validates and is the code written, with its text and, for an
 * error, its reason. */
static void every_result_code_validates(void **state)
{
    (void)state;
    static const char *const result[] = {"response", "result", NULL};
    static const char *const msg[] = {"response", "result", "msg", NULL};
    static const char *const reason[] = {"response", "result", "extValue", "reason", NULL};
    for (size_t i = 0; i < N_CODES; i++) {
        epp_writer *w = epp_writer_new();
        epp_w_result(w, all_codes[i], all_codes[i] >= 2000 ? "because" : NULL);
        size_t len = 0;
        char *xml = epp_w_finish(w, "ABC-codes", "SRV-codes", &len);
        xmlDocPtr doc = must_validate(xml, len);
        xmlChar *code = xmlGetProp(path(doc, result), (const xmlChar *)"code");
        char want[8];
        snprintf(want, sizeof want, "%d", all_codes[i]);
        assert_string_equal((const char *)code, want);
        xmlFree(code);
        assert_text_at(doc, msg, epp_result_text(all_codes[i]));
        if (all_codes[i] >= 2000)
            assert_text_at(doc, reason, "because");
        else
            assert_null(path(doc, reason));
        xmlFreeDoc(doc);
        free(xml);
    }
}

static void msgq_and_resdata_validate(void **state)
{
    (void)state;
    epp_writer *w = epp_writer_new();
    epp_w_result(w, EPP_OK_MESSAGES, NULL);
    epp_w_msgq(w, 5, "42", t0(), "Transfer requested.");
    epp_w_start(w, "resData");
    epp_w_start_ns(w, "domain", "trnData", EPP_NS_DOMAIN);
    epp_w_elem(w, "domain:name", "example.dk");
    epp_w_elem(w, "domain:trStatus", "pending");
    epp_w_elem(w, "domain:reID", "ClientX");
    epp_w_elem_time(w, "domain:reDate", t0());
    epp_w_elem(w, "domain:acID", "ClientY");
    epp_w_elem_time(w, "domain:acDate", t0() + 5 * 86400);
    epp_w_elem_time(w, "domain:exDate", t0() + 365 * 86400);
    epp_w_end(w); /* trnData */
    epp_w_end(w); /* resData */
    size_t len = 0;
    char *xml = epp_w_finish(w, "ABC-poll", "SRV-poll", &len);
    xmlDocPtr doc = must_validate(xml, len);
    static const char *const msgq[] = {"response", "msgQ", NULL};
    xmlNodePtr q = path(doc, msgq);
    assert_non_null(q);
    xmlChar *count = xmlGetProp(q, (const xmlChar *)"count");
    xmlChar *id = xmlGetProp(q, (const xmlChar *)"id");
    assert_string_equal((const char *)count, "5");
    assert_string_equal((const char *)id, "42");
    xmlFree(count);
    xmlFree(id);
    static const char *const qdate[] = {"response", "msgQ", "qDate", NULL};
    static const char *const qmsg[] = {"response", "msgQ", "msg", NULL};
    assert_text_at(doc, qdate, "2027-03-01T12:34:56Z");
    assert_text_at(doc, qmsg, "Transfer requested.");
    static const char *const name[] = {"response", "resData", "trnData", "name", NULL};
    xmlNodePtr n = path(doc, name);
    assert_non_null(n);
    assert_non_null(n->ns);
    assert_string_equal((const char *)n->ns->href, EPP_NS_DOMAIN);
    xmlFreeDoc(doc);
    free(xml);

    /* check data with attributes, an extension, a msgQ without date/text */
    w = epp_writer_new();
    epp_w_result(w, EPP_OK, NULL);
    epp_w_msgq(w, 1, "7", 0, NULL);
    epp_w_start(w, "resData");
    epp_w_start_ns(w, "domain", "chkData", EPP_NS_DOMAIN);
    const char *names[] = {"a.dk", "b.dk"};
    for (int i = 0; i < 2; i++) {
        epp_w_start(w, "domain:cd");
        epp_w_start(w, "domain:name");
        epp_w_attr(w, "avail", i ? "0" : "1");
        epp_w_text(w, names[i]);
        epp_w_end(w);
        if (i)
            epp_w_elem(w, "domain:reason", "In use");
        epp_w_end(w);
    }
    epp_w_end(w);
    epp_w_end(w);
    epp_w_start(w, "extension");
    epp_w_start_ns(w, "rgp", "upData", EPP_NS_RGP);
    epp_w_start(w, "rgp:rgpStatus");
    epp_w_attr(w, "s", "pendingRestore");
    epp_w_end(w);
    epp_w_end(w);
    epp_w_end(w);
    xml = epp_w_finish(w, "ABC-chk", "SRV-chk", &len);
    doc = must_validate(xml, len);
    assert_null(path(doc, qdate));
    assert_null(path(doc, qmsg));
    static const char *const rgp[] = {"response", "extension", "upData", "rgpStatus", NULL};
    assert_non_null(path(doc, rgp));
    xmlFreeDoc(doc);
    free(xml);
}

static void resdata_against_schema_is_checked(void **state)
{
    (void)state;
    /* the validation in these tests has teeth: a wrong resData fails */
    epp_writer *w = epp_writer_new();
    epp_w_result(w, EPP_OK, NULL);
    epp_w_start(w, "resData");
    epp_w_start_ns(w, "domain", "chkData", EPP_NS_DOMAIN);
    epp_w_elem(w, "domain:bogus", "x");
    epp_w_end(w);
    epp_w_end(w);
    size_t len = 0;
    char *xml = epp_w_finish(w, "ABC-bad", "SRV-bad", &len);
    assert_non_null(xml);
    reg_status st = {0};
    xmlDocPtr doc = epp_xml_read(xml, len, &st);
    assert_non_null(doc);
    assert_int_equal(epp_schema_validate(doc, &st), REG_ERR_SYNTAX);
    assert_true(st.reason[0] != '\0');
    xmlFreeDoc(doc);
    free(xml);
}

static void special_characters_are_escaped(void **state)
{
    (void)state;
    const char *nasty = "a<b>&c\"d'e ]]> <!-- x --> <![CDATA[y]]> &amp; </reason></result>";
    epp_writer *w = epp_writer_new();
    epp_w_result(w, EPP_VALUE_SYNTAX, nasty);
    epp_w_msgq(w, 1, "id\"<&>", t0(), nasty);
    size_t len = 0;
    char *xml = epp_w_finish(w, "C<&>\"'", "S<&>", &len);
    assert_non_null(xml);
    /* no raw markup from the values */
    assert_null(strstr(xml, "<b>"));
    assert_null(strstr(xml, "</reason></result> "));
    assert_null(strstr(xml, "<!-- x"));
    assert_null(strstr(xml, "<![CDATA["));
    assert_non_null(strstr(xml, "&lt;b&gt;"));
    assert_non_null(strstr(xml, "&amp;c"));
    assert_non_null(strstr(xml, "&amp;amp;"));
    /* read back: every value round-trips exactly */
    xmlDocPtr doc = must_validate(xml, len);
    static const char *const reason[] = {"response", "result", "extValue", "reason", NULL};
    static const char *const qmsg[] = {"response", "msgQ", "msg", NULL};
    static const char *const cltrid[] = {"response", "trID", "clTRID", NULL};
    static const char *const svtrid[] = {"response", "trID", "svTRID", NULL};
    static const char *const msgq[] = {"response", "msgQ", NULL};
    assert_text_at(doc, reason, nasty);
    assert_text_at(doc, qmsg, nasty);
    assert_text_at(doc, cltrid, "C<&>\"'");
    assert_text_at(doc, svtrid, "S<&>");
    xmlChar *id = xmlGetProp(path(doc, msgq), (const xmlChar *)"id");
    assert_string_equal((const char *)id, "id\"<&>");
    xmlFree(id);
    xmlFreeDoc(doc);
    free(xml);

    /* non-ASCII text passes through as UTF-8 */
    w = epp_writer_new();
    epp_w_result(w, EPP_POLICY, "æøå € 名前");
    xml = epp_w_finish(w, "ABC-utf8", "SRV-utf8", &len);
    doc = must_validate(xml, len);
    assert_text_at(doc, reason, "æøå € 名前");
    xmlFreeDoc(doc);
    free(xml);
}

static void misuse_fails_cleanly(void **state)
{
    (void)state;
    /* too many ends: the writer records the failure and returns NULL */
    epp_writer *w = epp_writer_new();
    epp_w_result(w, EPP_OK, NULL);
    for (int i = 0; i < 5; i++)
        epp_w_end(w);
    size_t len = 4242;
    char *xml = epp_w_finish(w, "ABC-x", "SRV-x", &len);
    assert_null(xml);
    assert_int_equal(len, 4242);
    /* abandoned writers are freed without a leak */
    w = epp_writer_new();
    epp_w_result(w, EPP_OK, "reason");
    epp_w_start(w, "resData");
    epp_writer_free(w);
    epp_writer_free(NULL);
}

/* ---- result codes ----------------------------------------------------- */

static void result_text_for_each_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CODES; i++) {
        const char *t = epp_result_text(all_codes[i]);
        assert_non_null(t);
        assert_true(strlen(t) > 5);
        if (all_codes[i] != EPP_FAILED)
            assert_string_not_equal(t, epp_result_text(EPP_FAILED));
        for (size_t j = 0; j < i; j++) /* no two codes share a text */
            assert_string_not_equal(t, epp_result_text(all_codes[j]));
        /* 1xxx "completed successfully", 2xxx not */
        assert_int_equal(strstr(t, "completed successfully") != NULL, all_codes[i] < 2000);
    }
    assert_string_equal(epp_result_text(1000), "Command completed successfully");
    assert_string_equal(epp_result_text(1001), "Command completed successfully; action pending");
    assert_string_equal(epp_result_text(1300), "Command completed successfully; no messages");
    assert_string_equal(epp_result_text(1301), "Command completed successfully; ack to dequeue");
    assert_string_equal(epp_result_text(1500), "Command completed successfully; ending session");
    assert_string_equal(epp_result_text(2001), "Command syntax error");
    assert_string_equal(epp_result_text(2303), "Object does not exist");
    assert_string_equal(epp_result_text(2308), "Data management policy violation");
    assert_string_equal(epp_result_text(2502),
                        "Session limit exceeded; server closing connection");
    /* unknown codes fall back, never NULL */
    const int unknown[] = {0, -1, 999, 1002, 2309, 2503, 9999};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        assert_string_equal(epp_result_text(unknown[i]), "Command failed");
}

static void result_closes(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CODES; i++) {
        int c = all_codes[i];
        bool closes = c == 1500 || c == 2500 || c == 2501 || c == 2502;
        assert_int_equal(epp_result_closes(c) != 0, closes);
    }
}

static void every_error_maps_to_a_result_code(void **state)
{
    (void)state;
    for (int e = 0; e < REG_ERR__COUNT; e++) {
        int code = epp_result_for((reg_err)e);
        if (code < 1000 || code > 2502 || !is_known_code(code))
            fail_msg("%s maps to %d", reg_errname((reg_err)e), code);
        if (e == REG_OK)
            assert_int_equal(code, EPP_OK);
        else if (code < 2000)
            fail_msg("error %s maps to success code %d", reg_errname((reg_err)e), code);
    }
    assert_int_equal(epp_result_for(REG_ERR_SYNTAX), EPP_SYNTAX);
    assert_int_equal(epp_result_for(REG_ERR_MISSING), EPP_MISSING_PARAM);
    assert_int_equal(epp_result_for(REG_ERR_INVALID), EPP_VALUE_SYNTAX);
    assert_int_equal(epp_result_for(REG_ERR_RANGE), EPP_RANGE);
    assert_int_equal(epp_result_for(REG_ERR_NOT_FOUND), EPP_NOT_FOUND);
    assert_int_equal(epp_result_for(REG_ERR_EXISTS), EPP_EXISTS);
    assert_int_equal(epp_result_for(REG_ERR_AUTH), EPP_AUTH);
    assert_int_equal(epp_result_for(REG_ERR_AUTHZ), EPP_AUTHZ);
    assert_int_equal(epp_result_for(REG_ERR_AUTHINFO), EPP_AUTHINFO);
    assert_int_equal(epp_result_for(REG_ERR_SESSION_LIMIT), EPP_SESSION_LIMIT);
    assert_int_equal(epp_result_for(REG_ERR_UNIMPLEMENTED_OBJECT), EPP_UNIMPLEMENTED_OBJECT);
    assert_int_equal(epp_result_for(REG_ERR_UNIMPLEMENTED_EXTENSION), EPP_UNIMPLEMENTED_EXTENSION);
    assert_int_equal(epp_result_for(REG_ERR_DATA_POLICY), EPP_DATA_POLICY);
    assert_int_equal(epp_result_for(REG_ERR_DB), EPP_FAILED);
    assert_int_equal(epp_result_for(REG_ERR_INTERNAL), EPP_FAILED);
    /* out of range → 2400, not an out-of-bounds read */
    assert_int_equal(epp_result_for(REG_ERR__COUNT), EPP_FAILED);
    assert_int_equal(epp_result_for((reg_err)-1), EPP_FAILED);
    assert_int_equal(epp_result_for((reg_err)100000), EPP_FAILED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(greeting_validates),
        cmocka_unit_test(result_with_reason_validates),
        cmocka_unit_test(every_result_code_validates),
        cmocka_unit_test(msgq_and_resdata_validate),
        cmocka_unit_test(resdata_against_schema_is_checked),
        cmocka_unit_test(special_characters_are_escaped),
        cmocka_unit_test(misuse_fails_cleanly),
        cmocka_unit_test(result_text_for_each_code),
        cmocka_unit_test(result_closes),
        cmocka_unit_test(every_error_maps_to_a_result_code),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    epp_schema_thread_cleanup();
    return rc;
}
