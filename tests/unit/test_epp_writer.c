/* EPP response encoder (src/epp/encode.c, writer.c) and result codes
 * (src/epp/result.c). Every document written is read back with the
 * hardened parser and validated against the embedded schemas. */
#include "testutil.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/arena.h"
#include "contrib/clock.h"
#include "contrib/status.h"
#include "epp/ns.h"
#include "epp/request.h"
#include "epp/response.h"
#include "epp/result.h"
#include "epp/writer.h"
#include "epp/xml.h"

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

static const char *const RESULT[] = {"response", "result", NULL};
static const char *const MSG[] = {"response", "result", "msg", NULL};
static const char *const EXTVALUE[] = {"response", "result", "extValue", NULL};
static const char *const REASON[] = {"response", "result", "extValue", "reason", NULL};
static const char *const UNDEF[] = {"response", "result", "extValue", "value", "undef", NULL};
static const char *const CLTRID[] = {"response", "trID", "clTRID", NULL};
static const char *const SVTRID[] = {"response", "trID", "svTRID", NULL};

/* The response to r, validated (caller frees both). */
static xmlDocPtr write_valid(const struct epp_response *r, epp_svcs svcs, const char *cltrid,
                             const char *svtrid, char **xml)
{
    size_t len = 0;
    *xml = epp_response_write(r, svcs, cltrid, svtrid, &len);
    return must_validate(*xml, len);
}

static void assert_code(xmlDocPtr doc, int want)
{
    xmlChar *code = xmlGetProp(path(doc, RESULT), (const xmlChar *)"code");
    char buf[8];
    snprintf(buf, sizeof buf, "%d", want);
    assert_string_equal((const char *)code, buf);
    xmlFree(code);
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
    struct arena a;
    arena_init(&a, EPP_REQUEST_ARENA_MAX);
    struct epp_request req;
    reg_status st = {0};
    assert_int_equal(epp_decode(xml, len, &a, &req, &st), REG_ERR_SYNTAX);
    arena_free(&a);
    doc = must_validate(xml, len);
    assert_text_at(doc, svid, "x&y <z>");
    xmlFreeDoc(doc);
    free(xml);
}

/* ---- responses -------------------------------------------------------- */

static void result_with_reason_validates(void **state)
{
    (void)state;
    struct epp_response r = {.code = EPP_NOT_FOUND, .reason = "domain example.dk does not exist"};
    char *xml;
    xmlDocPtr doc = write_valid(&r, EPP_SVCS_ALL, "ABC-12345", "SRV-1", &xml);
    assert_code(doc, 2303);
    /* issue 11: the reason is in <msg> too (clients that show only <msg>) */
    assert_text_at(doc, MSG, "domain example.dk does not exist");
    assert_text_at(doc, REASON, "domain example.dk does not exist");
    assert_non_null(path(doc, UNDEF));
    assert_text_at(doc, CLTRID, "ABC-12345");
    assert_text_at(doc, SVTRID, "SRV-1");
    xmlFreeDoc(doc);
    free(xml);

    /* a message of the handler's own goes to <msg>, the reason stays */
    r.msg = "Domain not found";
    doc = write_valid(&r, EPP_SVCS_ALL, "ABC-12345", "SRV-1", &xml);
    assert_text_at(doc, MSG, "Domain not found");
    assert_text_at(doc, REASON, "domain example.dk does not exist");
    xmlFreeDoc(doc);
    free(xml);

    /* no reason (NULL or "") → no extValue and the RFC's text; no clTRID
     * → none echoed */
    const char *empties[] = {NULL, ""};
    for (size_t i = 0; i < 2; i++) {
        struct epp_response ok = {.code = EPP_OK, .reason = empties[i], .msg = empties[i]};
        doc = write_valid(&ok, EPP_SVCS_ALL, empties[i], "SRV-2", &xml);
        assert_null(path(doc, EXTVALUE));
        assert_null(path(doc, CLTRID));
        assert_text_at(doc, MSG, "Command completed successfully");
        xmlFreeDoc(doc);
        free(xml);
        /* an error without a reason says the RFC's text */
        struct epp_response err = {.code = EPP_SYNTAX, .reason = empties[i]};
        doc = write_valid(&err, EPP_SVCS_ALL, "ABC-1", "SRV-2", &xml);
        assert_null(path(doc, EXTVALUE));
        assert_text_at(doc, MSG, "Command syntax error");
        xmlFreeDoc(doc);
        free(xml);
    }
}

/* Each code validates and is the code written, with its text (or, for an
 * error, its reason) in <msg> and an error's reason in <extValue>. */
static void every_result_code_validates(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CODES; i++) {
        bool error = all_codes[i] >= 2000;
        struct epp_response r = {.code = all_codes[i], .reason = error ? "because" : NULL};
        char *xml;
        xmlDocPtr doc = write_valid(&r, EPP_SVCS_ALL, "ABC-codes", "SRV-codes", &xml);
        assert_code(doc, all_codes[i]);
        assert_text_at(doc, MSG, error ? "because" : epp_result_text(all_codes[i]));
        if (error)
            assert_text_at(doc, REASON, "because");
        else
            assert_null(path(doc, REASON));
        xmlFreeDoc(doc);
        free(xml);
    }
}

/* RFC 5730 §2.6: <value> names the element at fault, with its namespace
 * (an unimplemented extension, 2103; an object service, 2307). */
static void value_names_the_element_at_fault(void **state)
{
    (void)state;
    struct epp_response r = {.code = EPP_UNIMPLEMENTED_EXTENSION,
                             .reason = "extension launch-1.0 is not implemented",
                             .value_ns = "urn:ietf:params:xml:ns:launch-1.0",
                             .value_name = "check"};
    char *xml;
    xmlDocPtr doc = write_valid(&r, EPP_SVCS_ALL, "ABC-2103", "SRV-2103", &xml);
    static const char *const value[] = {"response", "result", "extValue", "value", NULL};
    xmlNodePtr v = epp_child(path(doc, value), NULL, NULL);
    assert_non_null(v);
    assert_string_equal((const char *)v->name, "check");
    assert_string_equal(epp_ns_of(v), "urn:ietf:params:xml:ns:launch-1.0");
    assert_null(epp_next_sibling(v, NULL, NULL));
    assert_null(path(doc, UNDEF));
    xmlFreeDoc(doc);
    free(xml);
}

/* An element at fault without a namespace cannot be named in <value>
 * (xmlns:x="" is not allowed in XML 1.0 namespaces; strict parsers refuse
 * the response): <undef/> instead. */
static void value_without_a_namespace_is_undef(void **state)
{
    (void)state;
    const char *nss[] = {"", NULL};
    for (size_t i = 0; i < 2; i++) {
        struct epp_response r = {.code = EPP_SYNTAX, .reason = "because", .value_ns = nss[i],
                                 .value_name = "verified"};
        char *xml;
        xmlDocPtr doc = write_valid(&r, EPP_SVCS_ALL, "ABC-undef", "SRV-undef", &xml);
        assert_null(strstr(xml, "xmlns:x=\"\""));
        assert_null(strstr(xml, "verified"));
        assert_non_null(path(doc, UNDEF));
        xmlFreeDoc(doc);
        free(xml);
    }
}

static void msgq_and_resdata_validate(void **state)
{
    (void)state;
    struct epp_domain_trn trn = {.name = "example.dk",
                                 .status = "pending",
                                 .re_id = "ClientX",
                                 .re_date = t0(),
                                 .ac_id = "ClientY",
                                 .ac_date = t0() + 5 * 86400,
                                 .has_ex = true,
                                 .ex_date = t0() + 365 * 86400};
    struct epp_response r = {.code = EPP_OK_MESSAGES,
                             .has_msgq = true,
                             .msgq_count = 5,
                             .msgq_id = "42",
                             .msgq_date = t0(),
                             .msgq_text = "Transfer requested.",
                             .resdata = epp_domain_trndata(&trn)};
    char *xml;
    xmlDocPtr doc = write_valid(&r, EPP_SVCS_ALL, "ABC-poll", "SRV-poll", &xml);
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
    static const char *const exdate[] = {"response", "resData", "trnData", "exDate", NULL};
    assert_text_at(doc, exdate, "2028-02-29T12:34:56Z");
    xmlFreeDoc(doc);
    free(xml);

    /* check data with attributes, an extension, a msgQ without date/text */
    struct epp_check_item items[] = {{"a.dk", true, NULL}, {"b.dk", false, "In use"}};
    struct epp_check_data chk = {EPP_SVC_DOMAIN, items, 2};
    struct epp_rgp rgp = {.status = "pendingRestore", .up = true};
    struct epp_response c = {.code = EPP_OK,
                             .has_msgq = true,
                             .msgq_count = 1,
                             .msgq_id = "7",
                             .resdata = epp_chkdata(&chk)};
    epp_response_add_ext(&c, epp_rgp_data(&rgp));
    doc = write_valid(&c, EPP_SVCS_ALL, "ABC-chk", "SRV-chk", &xml);
    assert_null(path(doc, qdate));
    assert_null(path(doc, qmsg));
    static const char *const rgpst[] = {"response", "extension", "upData", "rgpStatus", NULL};
    assert_non_null(path(doc, rgpst));
    static const char *const cd[] = {"response", "resData", "chkData", "cd", NULL};
    xmlNodePtr cd1 = path(doc, cd), cd2 = epp_next_sibling(cd1, EPP_NS_DOMAIN, "cd");
    assert_non_null(cd2);
    xmlChar *avail = xmlGetProp(epp_child(cd2, EPP_NS_DOMAIN, "name"), (const xmlChar *)"avail");
    assert_string_equal((const char *)avail, "0");
    xmlFree(avail);
    char *reason = epp_text(epp_child(cd2, EPP_NS_DOMAIN, "reason"));
    assert_string_equal(reason, "In use");
    free(reason);
    assert_null(epp_child(cd1, EPP_NS_DOMAIN, "reason"));
    xmlFreeDoc(doc);
    free(xml);
}

/* RFC 9038: a part of a service the client did not announce at login is
 * not put in <resData>/<extension> but in <extValue><value>, with the
 * reason; announced parts stay where they belong. */
static void unannounced_parts_go_to_extvalue(void **state)
{
    (void)state;
    struct epp_ds_out ds = {12345, 13, 2, "49FD46E6C4B45C55D4AC49FD46E6C4B45C55D4AC"};
    struct epp_secdns_inf sec = {&ds, 1};
    struct epp_rgp rgp = {.status = "addPeriod"};
    struct epp_response r = {.code = EPP_OK};
    epp_response_add_ext(&r, epp_secdns_infdata(&sec));
    epp_response_add_ext(&r, epp_rgp_data(&rgp));
    static const char *const in_ext[] = {"response", "extension", "infData", NULL};
    static const char *const value[] = {"response", "result", "extValue", "value", NULL};

    /* all announced: both in <extension>, no extValue */
    char *xml;
    xmlDocPtr doc = write_valid(&r, EPP_SVCS_ALL, "ABC-9038", "SRV-9038", &xml);
    assert_null(path(doc, EXTVALUE));
    xmlNodePtr e = path(doc, in_ext);
    assert_non_null(e);
    assert_string_equal(epp_ns_of(e), EPP_NS_SECDNS);
    assert_non_null(epp_next_sibling(e, EPP_NS_RGP, "infData"));
    xmlFreeDoc(doc);
    free(xml);

    /* secDNS not announced: its part moves to extValue, rgp stays */
    epp_svcs svcs = EPP_SVCS_ALL & ~EPP_SVC_BIT(EPP_SVC_SECDNS);
    doc = write_valid(&r, svcs, "ABC-9038", "SRV-9038", &xml);
    e = path(doc, in_ext);
    assert_non_null(e);
    assert_string_equal(epp_ns_of(e), EPP_NS_RGP);
    assert_null(epp_next_sibling(e, NULL, NULL));
    xmlNodePtr v = epp_child(path(doc, value), NULL, NULL);
    assert_non_null(v);
    assert_string_equal((const char *)v->name, "infData");
    assert_string_equal(epp_ns_of(v), EPP_NS_SECDNS);
    char *why = epp_text(path(doc, REASON));
    assert_non_null(strstr(why, EPP_NS_SECDNS));
    free(why);
    assert_text_at(doc, MSG, "Command completed successfully");
    xmlFreeDoc(doc);
    free(xml);

    /* none announced: no <extension> at all, two extValues */
    doc = write_valid(&r, EPP_SVC_BIT(EPP_SVC_DOMAIN), "ABC-9038", "SRV-9038", &xml);
    static const char *const ext[] = {"response", "extension", NULL};
    assert_null(path(doc, ext));
    xmlNodePtr ev = path(doc, EXTVALUE);
    assert_non_null(ev);
    assert_non_null(epp_next_sibling(ev, EPP_NS, "extValue"));
    xmlFreeDoc(doc);
    free(xml);

    /* the same for <resData> of an object not announced */
    struct epp_created cre = {EPP_SVC_HOST, "ns1.example.dk", t0(), 0};
    struct epp_response h = {.code = EPP_OK, .resdata = epp_credata(&cre)};
    doc = write_valid(&h, EPP_SVC_BIT(EPP_SVC_DOMAIN), "ABC-9038", "SRV-9038", &xml);
    static const char *const resdata[] = {"response", "resData", NULL};
    assert_null(path(doc, resdata));
    v = epp_child(path(doc, value), NULL, NULL);
    assert_non_null(v);
    assert_string_equal((const char *)v->name, "creData");
    xmlFreeDoc(doc);
    free(xml);
}

/* Every typed part the handlers fill (response.h), written as the server
 * writes it, validates against the schemas: full and short views, every
 * optional element present and absent. */
static void every_typed_part_validates(void **state)
{
    (void)state;
    reg_time t = t0();
    struct epp_status_out st[] = {{"ok", NULL}, {"clientUpdateProhibited", "By request."}};
    struct epp_domain_contact_out dc[] = {{"admin", "RNAME:A1"}, {"tech", "RNAME:T1"}};
    const char *ns[] = {"ns1.example.net", "ns2.example.net"};
    const char *hosts[] = {"ns1.example.dk"};
    struct epp_domain_inf dinf = {"example.dk", "D1-DK", st, 2, true, "RNAME:R1", dc, 2,
                                  ns, 2, hosts, 1, "RNAME", "RNAME", "OTHER",
                                  t, t + 1, t + 365 * 86400, t + 2, true};
    struct epp_domain_inf dshort = {"example.dk", "D1-DK", st, 1, false, .cl_id = "RNAME"};
    struct epp_domain_trn dtrn = {"example.dk", "clientApproved", "NEWREG", "RNAME", t, t + 1,
                                  false, 0};
    struct epp_domain_ren dren = {"example.dk", t + 365 * 86400};
    struct epp_domain_pan pan = {"example.dk", true, "ABC-1", "SRV-1", t};
    struct epp_domain_pan pan_no_cltrid = {"example.dk", false, NULL, "SRV-1", t};
    struct epp_ds_out ds[] = {{12345, 13, 2, "49FD46E6C4B45C55D4AC"}};
    struct epp_secdns_inf sec = {ds, 1}; /* never empty: the handler leaves it out */
    struct epp_rgp rgp_inf = {"redemptionPeriod", false};
    struct epp_regd_inf regd = {"registrant", "transfer", true, "2026-01", t};
    struct epp_regd_inf regd_short = {"registrar", NULL, false, NULL, 0};
    struct epp_change chg = {"after", "update", "SRV-9", "staff", t, "court order"};
    struct epp_change chg_short = {"before", "delete", "SRV-9", "job", t, NULL};
    struct epp_fee_cmd_out cmds[] = {
        {"create", NULL, NULL, NULL, true, 2, false, "90.00", "Registration", NULL},
        {"custom", "promo", "sunrise", "a", true, 6, true, NULL, NULL, "not priced"},
        {"renew", NULL, NULL, NULL, false, 0, false, "45.00", NULL, NULL},
    };
    struct epp_fee_cd cds[] = {{"example.dk", true, NULL, "standard", cmds, 3},
                               {"taken.dk", false, "In use", NULL, NULL, 0}};
    struct epp_fee_chk fchk = {"DKK", cds, 2};
    struct epp_fee_result fres = {"creData", "DKK", true, 1, "45.00", "Registration", "955.00"};
    struct epp_fee_result fren = {"renData", "DKK", false, 0, "45.00", NULL, "910.00"};
    struct epp_postal_out post = {true, "Jens Hansen", "Hansen ApS",
                                  {"Vestergade 1", "2. sal", NULL}, "Aarhus C", "Midtjylland",
                                  "8000", "DK"};
    struct epp_postal_out post_min = {true, "Jens Hansen", NULL, {NULL}, "Aarhus C", NULL,
                                      NULL, "DK"};
    struct epp_contact_inf cinf = {"RNAME:C1", "C1-DK", st, 2, {post, post_min},
                                   {"+45.12345678", "12"}, {"+45.87654321", NULL},
                                   "jens@example.test", "RNAME", "RNAME", t, true, "OTHER",
                                   t + 1, t + 2, true, true, true,
                                   EPP_DISCLOSE_NAME_LOC | EPP_DISCLOSE_ADDR_INT |
                                       EPP_DISCLOSE_VOICE | EPP_DISCLOSE_EMAIL};
    struct epp_contact_inf cshort = {"RNAME:C1", "C1-DK", st, 1, {{false}, post_min},
                                     {NULL, NULL}, {NULL, NULL}, "jens@example.test",
                                     "RNAME", "RNAME", t, .full = false};
    struct epp_regc_inf regc = {"person", "priv", "DK", "0102031234", "+45.87654321", true,
                                "pending", "eid", t + 86400, t, NULL};
    struct epp_regc_inf regc_short = {"organization", NULL, NULL, NULL, NULL, false,
                                      NULL, NULL, 0, 0, NULL};
    struct epp_contact_trn ctrn = {"RNAME:C1", "pending", "NEWREG", "RNAME", t, t + 5 * 86400};
    struct epp_host_addr addrs[] = {{"192.0.2.1", false}, {"2001:db8::1", true}};
    struct epp_host_inf hinf = {"ns1.example.dk", "H1-DK", st, 2, addrs, 2, "RNAME", "RNAME",
                                "OTHER", t, t + 1, t + 2};
    struct epp_host_inf hshort = {"ns1.example.net", "H2-DK", st, 1, NULL, 0, "RNAME", "RNAME",
                                  NULL, t, 0, 0};
    struct epp_account_inf ainf = {"RNAME:ACC-1", "A1-DK", "registrant",
                                   {"RNAME:C1", NULL, NULL, "RNAME:C2", NULL, NULL},
                                   "RNAME", "RNAME", "OTHER", t, t + 1};
    struct epp_account_inf ashort = {"RNAME:ACC-1", "A1-DK", "registrar", {NULL},
                                     "RNAME", NULL, NULL, t, 0};
    struct epp_check_item items[] = {{"aaa.dk", true, NULL}, {"bbb.dk", false, "In use"},
                                     {"ccc.dk", false, ""}};
    struct epp_created created[EPP_SVC_OBJECTS];
    struct epp_check_data checks[EPP_SVC_OBJECTS];
    const char *keys[EPP_SVC_OBJECTS] = {"example.dk", "RNAME:C1", "ns1.example.dk", "ACC-1"};
    for (int s = 0; s < EPP_SVC_OBJECTS; s++) {
        created[s] = (struct epp_created){(epp_svc)s, keys[s], t, t + 365 * 86400};
        checks[s] = (struct epp_check_data){(epp_svc)s, items, 3};
    }

    struct {
        const char *label;
        struct epp_part resdata;
        struct epp_part ext[3];
    } cases[] = {
        {"domain infData", epp_domain_infdata(&dinf),
         {epp_secdns_infdata(&sec), epp_rgp_data(&rgp_inf), epp_regd_infdata(&regd)}},
        {"domain infData, short", epp_domain_infdata(&dshort),
         {epp_regd_infdata(&regd_short)}},
        {"domain trnData", epp_domain_trndata(&dtrn), {epp_fee_data(&fres)}},
        {"domain renData", epp_domain_rendata(&dren), {epp_fee_data(&fren)}},
        {"domain panData", epp_domain_pandata(&pan), {{0}}},
        {"domain panData without clTRID", epp_domain_pandata(&pan_no_cltrid), {{0}}},
        {"domain infData with changePoll", epp_domain_infdata(&dinf),
         {epp_changepoll_data(&chg)}},
        {"changePoll, short", epp_domain_infdata(&dshort), {epp_changepoll_data(&chg_short)}},
        {"domain chkData with fee", epp_chkdata(&checks[EPP_SVC_DOMAIN]),
         {epp_fee_chkdata(&fchk)}},
        {"contact infData", epp_contact_infdata(&cinf), {epp_regc_infdata(&regc)}},
        {"contact infData, short", epp_contact_infdata(&cshort), {epp_regc_infdata(&regc_short)}},
        {"contact trnData", epp_contact_trndata(&ctrn), {{0}}},
        {"host infData", epp_host_infdata(&hinf), {epp_regh_infdata("RNAME:C1")}},
        {"host infData, short", epp_host_infdata(&hshort), {{0}}},
        {"account infData", epp_account_infdata(&ainf), {{0}}},
        {"account infData, short", epp_account_infdata(&ashort), {{0}}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct epp_response r = {.code = EPP_OK, .resdata = cases[i].resdata};
        for (size_t k = 0; k < 3; k++)
            epp_response_add_ext(&r, cases[i].ext[k]);
        size_t len = 0;
        char *xml = epp_response_write(&r, EPP_SVCS_ALL, "ABC-part", "SRV-part", &len);
        if (!xml)
            fail_msg("%s: not written", cases[i].label);
        reg_status vst = {0};
        xmlDocPtr doc = epp_xml_read(xml, len, &vst);
        if (!doc || epp_schema_validate(doc, &vst) != REG_OK)
            fail_msg("%s: %s\n---\n%s", cases[i].label, vst.reason, xml);
        xmlFreeDoc(doc);
        free(xml);
    }
    for (int s = 0; s < EPP_SVC_OBJECTS; s++) {
        struct epp_response r = {.code = EPP_OK, .resdata = epp_credata(&created[s])};
        char *xml;
        xmlFreeDoc(write_valid(&r, EPP_SVCS_ALL, "ABC-cre", "SRV-cre", &xml));
        free(xml);
        r.resdata = epp_chkdata(&checks[s]);
        xmlFreeDoc(write_valid(&r, EPP_SVCS_ALL, "ABC-chk", "SRV-chk", &xml));
        free(xml);
    }
}

/* A part that writes what the schema does not allow. */
static void write_bogus(epp_writer *w, const void *data)
{
    (void)data;
    epp_w_start_ns(w, "domain", "chkData", EPP_NS_DOMAIN);
    epp_w_elem(w, "domain:bogus", "x");
    epp_w_end(w);
}

static void resdata_against_schema_is_checked(void **state)
{
    (void)state;
    /* the validation in these tests has teeth: a wrong resData fails */
    struct epp_response r = {.code = EPP_OK,
                             .resdata = {EPP_SVC_DOMAIN, write_bogus, NULL}};
    size_t len = 0;
    char *xml = epp_response_write(&r, EPP_SVCS_ALL, "ABC-bad", "SRV-bad", &len);
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
    struct epp_response r = {.code = EPP_VALUE_SYNTAX,
                             .reason = nasty,
                             .has_msgq = true,
                             .msgq_count = 1,
                             .msgq_id = "id\"<&>",
                             .msgq_date = t0(),
                             .msgq_text = nasty};
    size_t len = 0;
    char *xml = epp_response_write(&r, EPP_SVCS_ALL, "C<&>\"'", "S<&>", &len);
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
    static const char *const qmsg[] = {"response", "msgQ", "msg", NULL};
    static const char *const msgq[] = {"response", "msgQ", NULL};
    assert_text_at(doc, MSG, nasty);
    assert_text_at(doc, REASON, nasty);
    assert_text_at(doc, qmsg, nasty);
    assert_text_at(doc, CLTRID, "C<&>\"'");
    assert_text_at(doc, SVTRID, "S<&>");
    xmlChar *id = xmlGetProp(path(doc, msgq), (const xmlChar *)"id");
    assert_string_equal((const char *)id, "id\"<&>");
    xmlFree(id);
    xmlFreeDoc(doc);
    free(xml);

    /* non-ASCII text passes through as UTF-8 */
    struct epp_response u = {.code = EPP_POLICY, .reason = "æøå € 名前"};
    doc = write_valid(&u, EPP_SVCS_ALL, "ABC-utf8", "SRV-utf8", &xml);
    assert_text_at(doc, MSG, "æøå € 名前");
    assert_text_at(doc, REASON, "æøå € 名前");
    xmlFreeDoc(doc);
    free(xml);
}

/* A part that closes more than it opened. */
static void write_too_many_ends(epp_writer *w, const void *data)
{
    (void)data;
    for (int i = 0; i < 5; i++)
        epp_w_end(w);
}

static void misuse_fails_cleanly(void **state)
{
    (void)state;
    /* too many ends: the writer records the failure and returns NULL */
    struct epp_response r = {.code = EPP_OK,
                             .resdata = {EPP_SVC_DOMAIN, write_too_many_ends, NULL}};
    size_t len = 4242;
    char *xml = epp_response_write(&r, EPP_SVCS_ALL, "ABC-x", "SRV-x", &len);
    assert_null(xml);
    assert_int_equal(len, 4242);
    /* abandoned writers are freed without a leak */
    epp_writer *w = epp_writer_new();
    assert_non_null(w);
    epp_w_msgq(w, 1, "1", 0, "reason");
    epp_w_start(w, "resData");
    epp_writer_free(w);
    epp_writer_free(NULL);
}

/* <extension> takes at most EPP_RESPONSE_EXT_MAX parts; more, and parts
 * with nothing to write, are dropped, never written past the array. */
static void extension_parts_are_bounded(void **state)
{
    (void)state;
    struct epp_rgp rgp = {.status = "redemptionPeriod", .up = true};
    struct epp_response r = {.code = EPP_OK};
    epp_response_add_ext(&r, (struct epp_part){EPP_SVC_RGP, NULL, &rgp});
    assert_int_equal(r.next, 0);
    for (int i = 0; i < EPP_RESPONSE_EXT_MAX + 2; i++)
        epp_response_add_ext(&r, epp_rgp_data(&rgp));
    assert_int_equal(r.next, EPP_RESPONSE_EXT_MAX);
    size_t len = 0;
    char *xml = epp_response_write(&r, EPP_SVCS_ALL, "ABC-ext", "SRV-ext", &len);
    assert_non_null(xml);
    size_t n = 0;
    for (const char *p = strstr(xml, "<rgp:upData"); p; p = strstr(p + 1, "<rgp:upData"))
        n++;
    assert_int_equal(n, EPP_RESPONSE_EXT_MAX);
    free(xml);
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

/* The XML console shows responses indented (epp_xml_indent): the same
 * document, two spaces a level, whitespace between elements ignored; NULL
 * for what is not XML, and no entity is expanded. */
static void indent_for_people(void **state)
{
    (void)state;
    const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><epp xmlns=\"urn:x\">"
                      "<response>  <result code=\"1000\"><msg>a &amp; b</msg></result>"
                      "</response></epp>";
    char *out = epp_xml_indent(xml, strlen(xml));
    assert_non_null(out);
    assert_non_null(strstr(out, "<epp xmlns=\"urn:x\">\n  <response>\n    <result code=\"1000\">\n"
                                "      <msg>a &amp; b</msg>\n    </result>\n  </response>\n</epp>"));
    free(out);
    assert_null(epp_xml_indent("<epp><not closed", 16));
    const char *entity = "<!DOCTYPE e [<!ENTITY x \"expanded\">]><e>&x;</e>";
    out = epp_xml_indent(entity, strlen(entity));
    assert_true(!out || !strstr(out, "<e>expanded</e>"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(indent_for_people),
        cmocka_unit_test(greeting_validates),
        cmocka_unit_test(result_with_reason_validates),
        cmocka_unit_test(every_result_code_validates),
        cmocka_unit_test(value_names_the_element_at_fault),
        cmocka_unit_test(value_without_a_namespace_is_undef),
        cmocka_unit_test(msgq_and_resdata_validate),
        cmocka_unit_test(unannounced_parts_go_to_extvalue),
        cmocka_unit_test(every_typed_part_validates),
        cmocka_unit_test(resdata_against_schema_is_checked),
        cmocka_unit_test(special_characters_are_escaped),
        cmocka_unit_test(misuse_fails_cleanly),
        cmocka_unit_test(extension_parts_are_bounded),
        cmocka_unit_test(result_text_for_each_code),
        cmocka_unit_test(result_closes),
        cmocka_unit_test(every_error_maps_to_a_result_code),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    epp_schema_thread_cleanup();
    return rc;
}
