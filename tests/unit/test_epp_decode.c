/* The typed decoders (src/epp/decode*.c): what each command of each object
 * family decodes to, and the extension rules of decode.c (which extension
 * may ride on which command, unknown namespaces, unknown objects), on the
 * official IETF schemas ([contact] id_prefix = none, contact ids of 3–16
 * characters). test_epp_parse covers the hardened read, every sample's
 * kind and the redaction, on the long-id schemas. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epp/ns.h"
#include "epp/request.h"
#include "epptest.h"

/* ---- helpers ---------------------------------------------------------- */

/* Decodes a valid sample; fails the test with the reason otherwise. */
static const struct epp_request *ok_sample(struct decoded *d, const char *file)
{
    if (decode_sample(d, "valid", file) != REG_OK)
        fail_msg("valid/%s: %s: %s", file, reg_errname(d->e), d->st.reason);
    return &d->r;
}

static const struct epp_request *ok_str(struct decoded *d, const char *xml)
{
    if (decode_str(d, xml) != REG_OK)
        fail_msg("%s: %s\n---\n%s", reg_errname(d->e), d->st.reason, xml);
    return &d->r;
}

/* The command document with body (the command element) and, unless NULL,
 * the elements of <extension>. Caller frees. */
static char *command(const char *body, const char *ext)
{
    size_t n = strlen(body) + (ext ? strlen(ext) : 0) + 256;
    char *xml = malloc(n);
    assert_non_null(xml);
    snprintf(xml, n, EPP_OPEN "<command>%s%s%s%s<clTRID>ABC-ext</clTRID></command>" EPP_CLOSE,
             body, ext ? "<extension>" : "", ext ? ext : "", ext ? "</extension>" : "");
    return xml;
}

#define DOMAIN_XMLNS "xmlns:domain=\"" EPP_NS_DOMAIN "\""
#define CONTACT_XMLNS "xmlns:contact=\"" EPP_NS_CONTACT "\""
#define HOST_XMLNS "xmlns:host=\"" EPP_NS_HOST "\""
#define ACCOUNT_XMLNS "xmlns:account=\"" EPP_NS_ACCOUNT "\""

/* Commands, each schema-valid on its own. */
#define DOMAIN_CHECK                                                                   \
    "<check><domain:check " DOMAIN_XMLNS "><domain:name>example.dk</domain:name>"     \
    "</domain:check></check>"
#define DOMAIN_INFO                                                                    \
    "<info><domain:info " DOMAIN_XMLNS "><domain:name>example.dk</domain:name>"       \
    "</domain:info></info>"
#define DOMAIN_CREATE                                                                  \
    "<create><domain:create " DOMAIN_XMLNS "><domain:name>example.dk</domain:name>"   \
    "<domain:authInfo><domain:pw>2fooBAR</domain:pw></domain:authInfo></domain:create></create>"
#define DOMAIN_UPDATE                                                                  \
    "<update><domain:update " DOMAIN_XMLNS "><domain:name>example.dk</domain:name>"   \
    "<domain:chg/></domain:update></update>"
#define DOMAIN_DELETE                                                                  \
    "<delete><domain:delete " DOMAIN_XMLNS "><domain:name>example.dk</domain:name>"   \
    "</domain:delete></delete>"
#define DOMAIN_RENEW                                                                   \
    "<renew><domain:renew " DOMAIN_XMLNS "><domain:name>example.dk</domain:name>"     \
    "<domain:curExpDate>2027-04-03</domain:curExpDate></domain:renew></renew>"
#define DOMAIN_TRANSFER(op)                                                            \
    "<transfer op=\"" op "\"><domain:transfer " DOMAIN_XMLNS                          \
    "><domain:name>example.dk</domain:name></domain:transfer></transfer>"
#define CONTACT_CHECK                                                                  \
    "<check><contact:check " CONTACT_XMLNS "><contact:id>sh8013</contact:id>"         \
    "</contact:check></check>"
#define CONTACT_CREATE                                                                 \
    "<create><contact:create " CONTACT_XMLNS "><contact:id>sh8013</contact:id>"       \
    "<contact:postalInfo type=\"loc\"><contact:name>Jens Hansen</contact:name>"       \
    "<contact:addr><contact:city>Aarhus C</contact:city><contact:cc>DK</contact:cc>"  \
    "</contact:addr></contact:postalInfo><contact:email>jens@example.test</contact:email>" \
    "<contact:authInfo><contact:pw>2fooBAR</contact:pw></contact:authInfo>"           \
    "</contact:create></create>"
#define CONTACT_UPDATE                                                                 \
    "<update><contact:update " CONTACT_XMLNS "><contact:id>sh8013</contact:id>"       \
    "</contact:update></update>"
#define HOST_CREATE                                                                    \
    "<create><host:create " HOST_XMLNS "><host:name>ns1.example.net</host:name>"      \
    "</host:create></create>"
#define HOST_UPDATE                                                                    \
    "<update><host:update " HOST_XMLNS "><host:name>ns1.example.net</host:name>"      \
    "</host:update></update>"

/* Extension elements. */
#define SECDNS_XMLNS "xmlns:secDNS=\"" EPP_NS_SECDNS "\""
#define FEE_XMLNS "xmlns:fee=\"" EPP_NS_FEE "\""
#define REGD_XMLNS "xmlns:regd=\"" EPP_NS_REG_DOMAIN "\""
#define DS_DATA                                                                        \
    "<secDNS:dsData><secDNS:keyTag>12345</secDNS:keyTag><secDNS:alg>13</secDNS:alg>"  \
    "<secDNS:digestType>2</secDNS:digestType><secDNS:digest>49FD46E6C4B45C55D4AC"    \
    "</secDNS:digest></secDNS:dsData>"
#define SECDNS_CREATE "<secDNS:create " SECDNS_XMLNS ">" DS_DATA "</secDNS:create>"
#define SECDNS_UPDATE                                                                  \
    "<secDNS:update " SECDNS_XMLNS "><secDNS:rem><secDNS:all>true</secDNS:all>"       \
    "</secDNS:rem></secDNS:update>"
#define FEE_AGREE(verb)                                                                \
    "<fee:" verb " " FEE_XMLNS "><fee:currency>DKK</fee:currency><fee:fee>45.00</fee:fee>" \
    "</fee:" verb ">"
#define FEE_CHECK "<fee:check " FEE_XMLNS "><fee:command name=\"create\"/></fee:check>"
#define RGP_UPDATE                                                                     \
    "<rgp:update xmlns:rgp=\"" EPP_NS_RGP "\"><rgp:restore op=\"request\"/></rgp:update>"
#define REGD_CREATE                                                                    \
    "<regd:create " REGD_XMLNS "><regd:management>registrant</regd:management></regd:create>"
#define REGD_VERIFIED(verb) "<regd:" verb " " REGD_XMLNS "><regd:verified/></regd:" verb ">"
#define REGD_OTP "<regd:transfer " REGD_XMLNS "><regd:otp channel=\"sms\"/></regd:transfer>"
#define REGC_CREATE                                                                    \
    "<regc:create xmlns:regc=\"" EPP_NS_REG_CONTACT "\"><regc:type>person</regc:type></regc:create>"
#define REGC_UPDATE                                                                    \
    "<regc:update xmlns:regc=\"" EPP_NS_REG_CONTACT "\"><regc:mobile>+45.12345678</regc:mobile>" \
    "</regc:update>"
#define REGH(verb)                                                                     \
    "<regh:" verb " xmlns:regh=\"" EPP_NS_REG_HOST "\"><regh:admin>RNAME1</regh:admin></regh:" \
    verb ">"
#define CHANGEPOLL                                                                     \
    "<changePoll:changeData xmlns:changePoll=\"" EPP_NS_CHANGEPOLL "\" state=\"after\">" \
    "<changePoll:operation>update</changePoll:operation>"                             \
    "<changePoll:date>2027-01-01T00:00:00Z</changePoll:date>"                         \
    "<changePoll:svTRID>SRV-1</changePoll:svTRID><changePoll:who>x</changePoll:who>"  \
    "</changePoll:changeData>"

/* ---- domain ----------------------------------------------------------- */

static void domain_check_and_fee_check(void **state)
{
    (void)state;
    struct decoded d;
    const struct epp_request *r = ok_sample(&d, "domain-check.xml");
    const struct epp_domain_check *c = &r->u.domain_check;
    assert_int_equal(c->names.n, 3);
    assert_string_equal(c->names.items[0], "example.test");
    assert_string_equal(c->names.items[1], "example.net.test");
    assert_string_equal(c->names.items[2], "xn--bcher-kva.test");
    assert_false(c->fee.given);
    assert_int_equal(r->svcs, EPP_SVC_BIT(EPP_SVC_DOMAIN));
    decoded_free(&d);

    r = ok_sample(&d, "domain-check-fee.xml");
    c = &r->u.domain_check;
    assert_int_equal(c->names.n, 2);
    assert_string_equal(c->names.items[1], "example2.test");
    assert_true(c->fee.given);
    assert_string_equal(c->fee.currency, "DKK");
    assert_int_equal(c->fee.ncommands, 4);
    const char *cmds[] = {"create", "renew", "transfer", "restore"};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(c->fee.commands[i].name, cmds[i]);
        assert_null(c->fee.commands[i].custom_name);
        assert_null(c->fee.commands[i].phase);
    }
    assert_int_equal(c->fee.commands[0].period.value, 2);
    assert_false(c->fee.commands[0].period.months);
    assert_int_equal(epp_period_months(c->fee.commands[0].period), 24);
    assert_int_equal(epp_period_months(c->fee.commands[1].period), 0); /* none given */
    assert_int_equal(r->svcs, EPP_SVC_BIT(EPP_SVC_DOMAIN) | EPP_SVC_BIT(EPP_SVC_FEE));
    decoded_free(&d);

    /* phase, subphase, customName and a period in months */
    r = ok_str(&d, EPP_CMD(DOMAIN_CHECK "<extension><fee:check " FEE_XMLNS ">"
                           "<fee:command name=\"custom\" customName=\"promo\" phase=\"sunrise\" "
                           "subphase=\"a\"><fee:period unit=\"m\">6</fee:period></fee:command>"
                           "</fee:check></extension>",
                           "ABC-fee"));
    c = &r->u.domain_check;
    assert_null(c->fee.currency);
    assert_int_equal(c->fee.ncommands, 1);
    assert_string_equal(c->fee.commands[0].name, "custom");
    assert_string_equal(c->fee.commands[0].custom_name, "promo");
    assert_string_equal(c->fee.commands[0].phase, "sunrise");
    assert_string_equal(c->fee.commands[0].subphase, "a");
    assert_true(c->fee.commands[0].period.months);
    assert_int_equal(epp_period_months(c->fee.commands[0].period), 6);
    decoded_free(&d);
}

static void domain_info(void **state)
{
    (void)state;
    struct decoded d;
    const struct epp_domain_info *i = &ok_sample(&d, "domain-info.xml")->u.domain_info;
    assert_string_equal(i->name, "example.test");
    assert_string_equal(i->hosts, "all");
    assert_true(i->auth.given);
    assert_string_equal(i->auth.pw, "2fooBAR");
    assert_null(i->auth.roid);
    assert_false(i->auth.null);
    decoded_free(&d);

    /* hosts= defaults to "all"; hosts="none"; no authInfo */
    i = &ok_str(&d, EPP_CMD(DOMAIN_INFO, "ABC-1"))->u.domain_info;
    assert_string_equal(i->hosts, "all");
    assert_false(i->auth.given);
    assert_null(i->auth.pw);
    decoded_free(&d);
    i = &ok_str(&d, EPP_CMD("<info><domain:info " DOMAIN_XMLNS "><domain:name hosts=\"none\">"
                            "example.dk</domain:name><domain:authInfo><domain:pw roid=\"C1-REP\">"
                            "s3cret</domain:pw></domain:authInfo></domain:info></info>",
                            "ABC-2"))
              ->u.domain_info;
    assert_string_equal(i->name, "example.dk");
    assert_string_equal(i->hosts, "none");
    assert_string_equal(i->auth.pw, "s3cret");
    assert_string_equal(i->auth.roid, "C1-REP"); /* RFC 5731 §2.6: a contact's password */
    decoded_free(&d);
}

static void assert_ds(const struct epp_ds *ds, int key_tag, int alg, int digest_type,
                      const char *digest)
{
    assert_int_equal(ds->key_tag, key_tag);
    assert_int_equal(ds->alg, alg);
    assert_int_equal(ds->digest_type, digest_type);
    assert_string_equal(ds->digest, digest);
}

static void domain_create(void **state)
{
    (void)state;
    struct decoded d;
    const struct epp_request *r = ok_sample(&d, "domain-create.xml");
    const struct epp_domain_create *c = &r->u.domain_create;
    assert_string_equal(c->name, "example.test");
    assert_int_equal(c->period.value, 2);
    assert_false(c->period.months);
    assert_int_equal(epp_period_months(c->period), 24);
    assert_false(c->ns.host_attr);
    assert_int_equal(c->ns.host_objs.n, 2);
    assert_string_equal(c->ns.host_objs.items[0], "ns1.example.net");
    assert_string_equal(c->ns.host_objs.items[1], "ns2.example.net");
    assert_string_equal(c->registrant, "RNAME:1A2B3C4D");
    assert_int_equal(c->contacts.n, 2);
    assert_string_equal(c->contacts.items[0].type, "admin");
    assert_string_equal(c->contacts.items[0].id, "RNAME:1A2B3C4D");
    assert_string_equal(c->contacts.items[1].type, "tech");
    assert_string_equal(c->contacts.items[1].id, "RNAME:5E6F7A8B");
    assert_true(c->auth.given);
    assert_string_equal(c->auth.pw, "2fooBAR");
    assert_null(c->auth.roid);
    assert_null(c->management);
    assert_string_equal(c->terms_version, "1.0");
    assert_string_equal(c->terms_accepted, "2025-04-01T08:00:00Z");
    assert_false(c->secdns.given);
    assert_false(c->fee.given);
    assert_int_equal(r->svcs, EPP_SVC_BIT(EPP_SVC_DOMAIN) | EPP_SVC_BIT(EPP_SVC_REG_DOMAIN));
    decoded_free(&d);

    /* secDNS dsData with maxSigLife, fee, management and terms */
    r = ok_sample(&d, "domain-create-extensions.xml");
    c = &r->u.domain_create;
    assert_int_equal(c->contacts.n, 3);
    assert_string_equal(c->contacts.items[2].type, "billing");
    assert_true(c->secdns.given);
    assert_true(c->secdns.max_sig_life);
    assert_false(c->secdns.key_data);
    assert_int_equal(c->secdns.ds.n, 1);
    assert_ds(&c->secdns.ds.items[0], 12345, 13, 2,
              "49FD46E6C4B45C55D4AC49FD46E6C4B45C55D4AC49FD46E6C4B45C55D4AC1234");
    assert_true(c->fee.given);
    assert_string_equal(c->fee.currency, "DKK");
    assert_int_equal(c->fee.namounts, 1);
    assert_string_equal(c->fee.amounts[0], "45.00");
    assert_string_equal(c->management, "registrant");
    assert_string_equal(c->terms_version, "2026-01");
    assert_string_equal(c->terms_accepted, "2026-03-01T11:58:00Z");
    assert_int_equal(r->svcs, EPP_SVC_BIT(EPP_SVC_DOMAIN) | EPP_SVC_BIT(EPP_SVC_SECDNS) |
                                  EPP_SVC_BIT(EPP_SVC_FEE) | EPP_SVC_BIT(EPP_SVC_REG_DOMAIN));
    decoded_free(&d);

    /* a period in months, hostAttr, a pw with a roid */
    c = &ok_sample(&d, "domain-create-hostattr.xml")->u.domain_create;
    assert_int_equal(c->period.value, 12);
    assert_true(c->period.months);
    assert_int_equal(epp_period_months(c->period), 12);
    assert_true(c->ns.host_attr);
    assert_int_equal(c->ns.host_objs.n, 0);
    assert_string_equal(c->auth.pw, "2fooBAR");
    assert_string_equal(c->auth.roid, "EXAMPLE1-REP");
    assert_int_equal(c->contacts.n, 0);
    decoded_free(&d);

    /* nothing but the name and an empty pw */
    r = ok_sample(&d, "domain-create-minimal.xml");
    c = &r->u.domain_create;
    assert_string_equal(c->name, "example.test");
    assert_int_equal(c->period.value, 0);
    assert_int_equal(epp_period_months(c->period), 0);
    assert_null(c->registrant);
    assert_int_equal(c->ns.host_objs.n, 0);
    assert_int_equal(c->contacts.n, 0);
    assert_true(c->auth.given);
    assert_string_equal(c->auth.pw, "");
    assert_null(c->terms_version);
    assert_string_equal(r->cltrid, "");
    decoded_free(&d);

    /* keyData is told apart (the registry takes dsData only) */
    c = &ok_sample(&d, "domain-create-secdns-keydata.xml")->u.domain_create;
    assert_true(c->secdns.given);
    assert_true(c->secdns.key_data);
    assert_false(c->secdns.max_sig_life);
    assert_int_equal(c->secdns.ds.n, 0);
    decoded_free(&d);

    /* every fee:fee and fee:credit is an amount, in order; no currency */
    const struct epp_fee_agreement *fee =
        &ok_str(&d, EPP_CMD(DOMAIN_CREATE "<extension><fee:create " FEE_XMLNS ">"
                            "<fee:fee>10.00</fee:fee><fee:fee>2.50</fee:fee>"
                            "<fee:credit>-1.00</fee:credit></fee:create></extension>",
                            "ABC-fee"))
             ->u.domain_create.fee;
    assert_true(fee->given);
    assert_null(fee->currency);
    assert_int_equal(fee->namounts, 3);
    assert_string_equal(fee->amounts[0], "10.00");
    assert_string_equal(fee->amounts[1], "2.50");
    assert_string_equal(fee->amounts[2], "-1.00");
    decoded_free(&d);
}

static void domain_update(void **state)
{
    (void)state;
    struct decoded d;
    const struct epp_domain_update *u = &ok_sample(&d, "domain-update.xml")->u.domain_update;
    assert_string_equal(u->name, "example.test");
    assert_int_equal(u->add.ns.host_objs.n, 1);
    assert_string_equal(u->add.ns.host_objs.items[0], "ns2.example.test");
    assert_int_equal(u->add.contacts.n, 1);
    assert_string_equal(u->add.contacts.items[0].type, "tech");
    assert_string_equal(u->add.contacts.items[0].id, "RNAME:9C0D1E2F");
    assert_int_equal(u->add.nstatuses, 1);
    assert_string_equal(u->add.statuses[0].s, "clientHold");
    assert_string_equal(u->add.statuses[0].text, "Payment overdue.");
    assert_int_equal(u->rem.ns.host_objs.n, 1);
    assert_string_equal(u->rem.ns.host_objs.items[0], "ns1.example.test");
    assert_string_equal(u->rem.contacts.items[0].id, "RNAME:5E6F7A8B");
    assert_int_equal(u->rem.nstatuses, 1);
    assert_string_equal(u->rem.statuses[0].s, "clientUpdateProhibited");
    assert_null(u->rem.statuses[0].text); /* an empty status has no text */
    assert_string_equal(u->chg_registrant, "RNAME:3A4B5C6D");
    assert_true(u->chg_auth.given);
    assert_string_equal(u->chg_auth.pw, "2BARfoo");
    assert_false(u->chg_auth.null);
    assert_int_equal(u->restore, EPP_RESTORE_NONE);
    assert_false(u->verified);
    assert_false(u->secdns.given);
    assert_false(u->fee.given);
    decoded_free(&d);

    /* <domain:null/> removes the auth info */
    u = &ok_sample(&d, "domain-update-null-authinfo.xml")->u.domain_update;
    assert_true(u->chg_auth.given);
    assert_true(u->chg_auth.null);
    assert_null(u->chg_auth.pw);
    assert_null(u->chg_registrant);
    assert_int_equal(u->add.nstatuses + u->rem.nstatuses, 0);
    assert_int_equal(u->add.ns.host_objs.n + u->add.contacts.n, 0);
    decoded_free(&d);

    /* secDNS: remove all, add one, change maxSigLife */
    u = &ok_sample(&d, "domain-update-secdns.xml")->u.domain_update;
    assert_true(u->secdns.given);
    assert_true(u->secdns.rem_all);
    assert_int_equal(u->secdns.rem.n, 0);
    assert_int_equal(u->secdns.add.n, 1);
    assert_ds(&u->secdns.add.items[0], 12346, 8, 2,
              "38EC35D5B3A34B33C99B38EC35D5B3A34B33C99B38EC35D5B3A34B33C99BABCD");
    assert_true(u->secdns.max_sig_life);
    assert_false(u->secdns.key_data);
    assert_false(u->chg_auth.given);
    decoded_free(&d);

    /* secDNS: remove one by its dsData, keyData told apart */
    u = &ok_str(&d, EPP_CMD(DOMAIN_UPDATE "<extension><secDNS:update " SECDNS_XMLNS ">"
                            "<secDNS:rem>" DS_DATA "</secDNS:rem><secDNS:add><secDNS:keyData>"
                            "<secDNS:flags>257</secDNS:flags><secDNS:protocol>3</secDNS:protocol>"
                            "<secDNS:alg>13</secDNS:alg><secDNS:pubKey>AQPJ////4Q==</secDNS:pubKey>"
                            "</secDNS:keyData></secDNS:add></secDNS:update></extension>",
                            "ABC-sec"))
             ->u.domain_update;
    assert_false(u->secdns.rem_all);
    assert_int_equal(u->secdns.rem.n, 1);
    assert_ds(&u->secdns.rem.items[0], 12345, 13, 2, "49FD46E6C4B45C55D4AC");
    assert_int_equal(u->secdns.add.n, 0);
    assert_true(u->secdns.key_data);
    assert_false(u->secdns.max_sig_life);
    decoded_free(&d);

    /* rgp restore request (with its fee) and report */
    const struct epp_request *r = ok_sample(&d, "domain-update-rgp-restore.xml");
    u = &r->u.domain_update;
    assert_int_equal(u->restore, EPP_RESTORE_REQUEST);
    assert_true(u->fee.given);
    assert_string_equal(u->fee.currency, "DKK");
    assert_int_equal(u->fee.namounts, 1);
    assert_string_equal(u->fee.amounts[0], "100.00");
    assert_int_equal(r->svcs, EPP_SVC_BIT(EPP_SVC_DOMAIN) | EPP_SVC_BIT(EPP_SVC_RGP) |
                                  EPP_SVC_BIT(EPP_SVC_FEE));
    decoded_free(&d);
    u = &ok_sample(&d, "domain-update-rgp-report.xml")->u.domain_update;
    assert_int_equal(u->restore, EPP_RESTORE_REPORT);
    assert_false(u->fee.given);
    decoded_free(&d);

    /* regd:verified (R8) */
    u = &ok_sample(&d, "domain-update-verified.xml")->u.domain_update;
    assert_true(u->verified);
    assert_string_equal(u->chg_registrant, "RNAME:3A4B5C6D");
    assert_int_equal(u->restore, EPP_RESTORE_NONE);
    decoded_free(&d);
}

static void domain_delete_renew_transfer(void **state)
{
    (void)state;
    struct decoded d;
    const struct epp_domain_delete *del = &ok_sample(&d, "domain-delete.xml")->u.domain_delete;
    assert_string_equal(del->name, "example.test");
    assert_false(del->verified);
    decoded_free(&d);
    del = &ok_sample(&d, "domain-delete-verified.xml")->u.domain_delete;
    assert_true(del->verified);
    decoded_free(&d);

    const struct epp_domain_renew *ren = &ok_sample(&d, "domain-renew.xml")->u.domain_renew;
    assert_string_equal(ren->name, "example.test");
    assert_string_equal(ren->cur_exp_date, "2027-04-03");
    assert_int_equal(epp_period_months(ren->period), 60);
    assert_true(ren->fee.given);
    assert_string_equal(ren->fee.currency, "DKK");
    assert_string_equal(ren->fee.amounts[0], "225.00");
    decoded_free(&d);
    ren = &ok_sample(&d, "domain-renew-99y.xml")->u.domain_renew;
    assert_int_equal(ren->period.value, 99);
    assert_int_equal(epp_period_months(ren->period), 99 * 12);
    assert_false(ren->fee.given);
    decoded_free(&d);

    const struct epp_domain_transfer *t =
        &ok_sample(&d, "domain-transfer-request.xml")->u.domain_transfer;
    assert_int_equal(t->op, EPP_XFER_REQUEST);
    assert_string_equal(t->name, "example.test");
    assert_int_equal(epp_period_months(t->period), 12);
    assert_true(t->auth.given);
    assert_string_equal(t->auth.pw, "2fooBAR");
    assert_string_equal(t->auth.roid, "JD1234-REP");
    assert_true(t->fee.given);
    assert_string_equal(t->fee.amounts[0], "45.00");
    assert_null(t->otp_channel);
    decoded_free(&d);
    t = &ok_sample(&d, "domain-transfer-otp.xml")->u.domain_transfer;
    assert_int_equal(t->op, EPP_XFER_REQUEST);
    assert_string_equal(t->otp_channel, "sms");
    assert_false(t->auth.given);
    assert_false(t->fee.given);
    decoded_free(&d);
    t = &ok_sample(&d, "domain-transfer-query.xml")->u.domain_transfer;
    assert_int_equal(t->op, EPP_XFER_QUERY);
    assert_string_equal(t->auth.roid, "JD1234-REP");
    assert_int_equal(t->period.value, 0);
    decoded_free(&d);
    t = &ok_sample(&d, "domain-transfer-approve.xml")->u.domain_transfer;
    assert_int_equal(t->op, EPP_XFER_APPROVE);
    assert_false(t->auth.given);
    decoded_free(&d);
}

/* ---- contact ---------------------------------------------------------- */

static void contact_check_info_delete_transfer(void **state)
{
    (void)state;
    struct decoded d;
    const struct epp_names *ids = &ok_sample(&d, "contact-check.xml")->u.id_check.ids;
    assert_int_equal(ids->n, 3);
    assert_string_equal(ids->items[0], "RNAME:1A2B3C4D");
    assert_string_equal(ids->items[2], "8013sah");
    decoded_free(&d);

    const struct epp_contact_info *i = &ok_sample(&d, "contact-info.xml")->u.contact_info;
    assert_string_equal(i->id, "RNAME:1A2B3C4D");
    assert_string_equal(i->auth.pw, "2fooBAR");
    decoded_free(&d);

    assert_string_equal(ok_sample(&d, "contact-delete.xml")->u.id, "sh8013");
    decoded_free(&d);

    const struct epp_contact_transfer *t =
        &ok_sample(&d, "contact-transfer-query.xml")->u.contact_transfer;
    assert_int_equal(t->op, EPP_XFER_QUERY);
    assert_string_equal(t->id, "sh8013");
    assert_string_equal(t->auth.pw, "2fooBAR");
    decoded_free(&d);
}

static void contact_create(void **state)
{
    (void)state;
    struct decoded d;
    const struct epp_request *r = ok_sample(&d, "contact-create.xml");
    const struct epp_contact_create *c = &r->u.contact_create;
    assert_string_equal(c->id, "sh8013");
    const struct epp_postal *p = &c->d.postal[EPP_POSTAL_INT];
    assert_true(p->present);
    assert_true(p->has_addr);
    assert_string_equal(p->name, "John Doe");
    assert_string_equal(p->org, "Example Inc.");
    assert_string_equal(p->street[0], "123 Example Dr.");
    assert_string_equal(p->street[1], "Suite 100");
    assert_null(p->street[2]);
    assert_string_equal(p->city, "Dulles");
    assert_string_equal(p->sp, "VA");
    assert_string_equal(p->pc, "20166-6503");
    assert_string_equal(p->cc, "US");
    assert_false(c->d.postal[EPP_POSTAL_LOC].present);
    assert_true(c->d.voice.given);
    assert_string_equal(c->d.voice.number, "+1.7035555555");
    assert_string_equal(c->d.voice.x, "1234");
    assert_true(c->d.fax.given);
    assert_string_equal(c->d.fax.number, "+1.7035555556");
    assert_null(c->d.fax.x);
    assert_string_equal(c->d.email, "jdoe@example.com");
    assert_string_equal(c->d.auth.pw, "2fooBAR");
    assert_true(c->d.disclose.given);
    assert_false(c->d.disclose.flag);
    assert_int_equal(c->d.disclose.fields, EPP_DISCLOSE_VOICE | EPP_DISCLOSE_EMAIL);
    assert_null(c->d.kind);
    assert_false(c->d.ident.given);
    assert_false(c->d.mobile.given);
    assert_int_equal(r->svcs, EPP_SVC_BIT(EPP_SVC_CONTACT));
    decoded_free(&d);

    /* a loc postalInfo, contact-ext type, ident and mobile */
    r = ok_sample(&d, "contact-create-ext.xml");
    c = &r->u.contact_create;
    assert_false(c->d.postal[EPP_POSTAL_INT].present);
    p = &c->d.postal[EPP_POSTAL_LOC];
    assert_true(p->present);
    assert_string_equal(p->name, "Jens Hansen");
    assert_null(p->org);
    assert_string_equal(p->street[0], "Vestergade 1");
    assert_null(p->sp);
    assert_string_equal(p->cc, "DK");
    assert_string_equal(c->d.voice.number, "+45.12345678");
    assert_false(c->d.fax.given);
    assert_string_equal(c->d.auth.pw, "");
    assert_false(c->d.disclose.given);
    assert_string_equal(c->d.kind, "person");
    assert_true(c->d.ident.given);
    assert_string_equal(c->d.ident.type, "birthday");
    assert_string_equal(c->d.ident.cc, "DK");
    assert_string_equal(c->d.ident.value, "1980-02-29");
    assert_true(c->d.mobile.given);
    assert_string_equal(c->d.mobile.number, "+45.87654321");
    assert_int_equal(r->svcs, EPP_SVC_BIT(EPP_SVC_CONTACT) | EPP_SVC_BIT(EPP_SVC_REG_CONTACT));
    decoded_free(&d);

    c = &ok_sample(&d, "contact-create-ext-org.xml")->u.contact_create;
    assert_string_equal(c->d.kind, "organization");
    assert_string_equal(c->d.ident.type, "org");
    assert_string_equal(c->d.ident.cc, "NO");
    assert_string_equal(c->d.ident.value, "987654321");
    assert_false(c->d.mobile.given);
    assert_string_equal(c->d.postal[EPP_POSTAL_INT].org, "Example AS");
    decoded_free(&d);

    /* both postalInfo forms; disclose by type */
    c = &ok_str(&d, EPP_CMD("<create><contact:create " CONTACT_XMLNS "><contact:id>sh8013"
                            "</contact:id><contact:postalInfo type=\"int\"><contact:name>"
                            "Jens Hansen</contact:name><contact:addr><contact:city>Aarhus"
                            "</contact:city><contact:cc>DK</contact:cc></contact:addr>"
                            "</contact:postalInfo><contact:postalInfo type=\"loc\">"
                            "<contact:name>Jens Hansen</contact:name><contact:addr>"
                            "<contact:city>Århus</contact:city><contact:cc>DK</contact:cc>"
                            "</contact:addr></contact:postalInfo><contact:email>j@example.test"
                            "</contact:email><contact:authInfo><contact:pw>2fooBAR</contact:pw>"
                            "</contact:authInfo><contact:disclose flag=\"1\">"
                            "<contact:name type=\"loc\"/><contact:org type=\"int\"/>"
                            "<contact:addr type=\"loc\"/><contact:fax/></contact:disclose>"
                            "</contact:create></create>",
                            "ABC-disc"))
             ->u.contact_create;
    assert_string_equal(c->d.postal[EPP_POSTAL_INT].city, "Aarhus");
    assert_string_equal(c->d.postal[EPP_POSTAL_LOC].city, "Århus");
    assert_true(c->d.disclose.flag);
    assert_int_equal(c->d.disclose.fields, EPP_DISCLOSE_NAME_LOC | EPP_DISCLOSE_ORG_INT |
                                               EPP_DISCLOSE_ADDR_LOC | EPP_DISCLOSE_FAX);
    decoded_free(&d);

    /* the same postalInfo type twice is schema-valid but not a contact */
    assert_int_equal(
        decode_str(&d, EPP_CMD("<create><contact:create " CONTACT_XMLNS "><contact:id>sh8013"
                               "</contact:id><contact:postalInfo type=\"int\"><contact:name>A"
                               "</contact:name><contact:addr><contact:city>B</contact:city>"
                               "<contact:cc>DK</contact:cc></contact:addr></contact:postalInfo>"
                               "<contact:postalInfo type=\"int\"><contact:name>C</contact:name>"
                               "<contact:addr><contact:city>D</contact:city><contact:cc>DK"
                               "</contact:cc></contact:addr></contact:postalInfo><contact:email>"
                               "j@example.test</contact:email><contact:authInfo><contact:pw>"
                               "2fooBAR</contact:pw></contact:authInfo></contact:create></create>",
                               "ABC-twice")),
        REG_ERR_INVALID);
    assert_non_null(strstr(d.st.reason, "twice"));
    decoded_free(&d);
}

static void contact_update(void **state)
{
    (void)state;
    struct decoded d;
    const struct epp_contact_update *u = &ok_sample(&d, "contact-update.xml")->u.contact_update;
    assert_string_equal(u->id, "sh8013");
    assert_int_equal(u->nadd, 1);
    assert_string_equal(u->add[0].s, "clientDeleteProhibited");
    assert_null(u->add[0].text);
    assert_int_equal(u->nrem, 0);
    const struct epp_postal *p = &u->chg.postal[EPP_POSTAL_INT];
    assert_true(p->present);
    assert_null(p->name);           /* absent: kept */
    assert_string_equal(p->org, ""); /* empty: removed */
    assert_string_equal(p->street[1], "Suite 200");
    assert_false(u->chg.postal[EPP_POSTAL_LOC].present);
    assert_string_equal(u->chg.voice.number, "+1.7034444444");
    assert_true(u->chg.fax.given);
    assert_string_equal(u->chg.fax.number, "");
    assert_null(u->chg.email);
    assert_string_equal(u->chg.auth.pw, "2fooBAR");
    assert_true(u->chg.disclose.given);
    assert_true(u->chg.disclose.flag);
    assert_int_equal(u->chg.disclose.fields, EPP_DISCLOSE_VOICE | EPP_DISCLOSE_EMAIL);
    assert_null(u->chg.kind);
    decoded_free(&d);

    /* <contact:chg> with the extension: ident, and an empty mobile */
    u = &ok_sample(&d, "contact-update-ext.xml")->u.contact_update;
    assert_string_equal(u->chg.email, "jens.hansen@example.test");
    assert_false(u->chg.voice.given);
    assert_true(u->chg.ident.given);
    assert_string_equal(u->chg.ident.type, "priv");
    assert_string_equal(u->chg.ident.value, "0102031234");
    assert_true(u->chg.mobile.given);
    assert_string_equal(u->chg.mobile.number, "");
    decoded_free(&d);

    /* the extension alone */
    u = &ok_sample(&d, "contact-update-ext-mobile.xml")->u.contact_update;
    assert_null(u->chg.email);
    assert_false(u->chg.postal[EPP_POSTAL_INT].present);
    assert_false(u->chg.auth.given);
    assert_false(u->chg.ident.given);
    assert_null(u->chg.kind);
    assert_string_equal(u->chg.mobile.number, "+372.51234567");
    decoded_free(&d);

    /* statuses removed, with text */
    u = &ok_str(&d, EPP_CMD("<update><contact:update " CONTACT_XMLNS "><contact:id>sh8013"
                            "</contact:id><contact:rem><contact:status "
                            "s=\"clientTransferProhibited\" lang=\"en\">Paid.</contact:status>"
                            "<contact:status s=\"clientDeleteProhibited\"/>"
                            "</contact:rem></contact:update></update>",
                            "ABC-rem"))
             ->u.contact_update;
    assert_int_equal(u->nadd, 0);
    assert_int_equal(u->nrem, 2);
    assert_string_equal(u->rem[0].s, "clientTransferProhibited");
    assert_string_equal(u->rem[0].text, "Paid.");
    assert_string_equal(u->rem[1].s, "clientDeleteProhibited");
    decoded_free(&d);
}

/* ---- host ------------------------------------------------------------- */

static void host_commands(void **state)
{
    (void)state;
    struct decoded d;
    const struct epp_names *names = &ok_sample(&d, "host-check.xml")->u.host_check;
    assert_int_equal(names->n, 3);
    assert_string_equal(names->items[2], "ns3.example.test");
    decoded_free(&d);
    assert_string_equal(ok_sample(&d, "host-info.xml")->u.name, "ns1.example.test");
    decoded_free(&d);
    assert_string_equal(ok_sample(&d, "host-delete.xml")->u.name, "ns1.example.test");
    decoded_free(&d);

    const struct epp_request *r = ok_sample(&d, "host-create.xml");
    const struct epp_host_create *c = &r->u.host_create;
    assert_string_equal(c->name, "ns1.example.test");
    assert_int_equal(c->addrs.n, 3);
    assert_string_equal(c->addrs.items[0].addr, "192.0.2.2");
    assert_false(c->addrs.items[0].v6);
    assert_string_equal(c->addrs.items[1].addr, "192.0.2.29");
    assert_string_equal(c->addrs.items[2].addr, "1080:0:0:0:8:800:200C:417A");
    assert_true(c->addrs.items[2].v6);
    assert_string_equal(c->admin, "RNAME:5E6F7A8B");
    assert_int_equal(r->svcs, EPP_SVC_BIT(EPP_SVC_HOST) | EPP_SVC_BIT(EPP_SVC_REG_HOST));
    decoded_free(&d);
    c = &ok_sample(&d, "host-create-external.xml")->u.host_create;
    assert_int_equal(c->addrs.n, 0);
    assert_null(c->admin);
    decoded_free(&d);
    /* ip= defaults to v4 */
    c = &ok_str(&d, EPP_CMD("<create><host:create " HOST_XMLNS "><host:name>ns1.example.dk"
                            "</host:name><host:addr>192.0.2.1</host:addr></host:create></create>",
                            "ABC-v4"))
             ->u.host_create;
    assert_int_equal(c->addrs.n, 1);
    assert_false(c->addrs.items[0].v6);
    decoded_free(&d);

    const struct epp_host_update *u = &ok_sample(&d, "host-update.xml")->u.host_update;
    assert_string_equal(u->name, "ns1.example.test");
    assert_int_equal(u->add_addrs.n, 1);
    assert_string_equal(u->add_addrs.items[0].addr, "192.0.2.22");
    assert_false(u->add_addrs.items[0].v6);
    assert_int_equal(u->rem_addrs.n, 1);
    assert_true(u->rem_addrs.items[0].v6);
    assert_int_equal(u->nadd_status, 1);
    assert_string_equal(u->add_status[0].s, "clientUpdateProhibited");
    assert_int_equal(u->nrem_status, 0);
    assert_string_equal(u->new_name, "ns2.example.test");
    assert_string_equal(u->admin, "RNAME:9C0D1E2F");
    decoded_free(&d);
    /* an empty regh:admin removes the admin contact: "" is not NULL */
    u = &ok_sample(&d, "host-update-remove-admin.xml")->u.host_update;
    assert_non_null(u->admin);
    assert_string_equal(u->admin, "");
    assert_null(u->new_name);
    decoded_free(&d);
    /* no extension keeps it; removed statuses by name */
    u = &ok_str(&d, EPP_CMD("<update><host:update " HOST_XMLNS "><host:name>ns1.example.dk"
                            "</host:name><host:rem><host:status s=\"clientDeleteProhibited\"/>"
                            "<host:status s=\"clientUpdateProhibited\"/></host:rem></host:update>"
                            "</update>",
                            "ABC-hu"))
             ->u.host_update;
    assert_null(u->admin);
    assert_int_equal(u->nrem_status, 2);
    assert_string_equal(u->rem_status[0], "clientDeleteProhibited");
    assert_string_equal(u->rem_status[1], "clientUpdateProhibited");
    assert_int_equal(u->nadd_status, 0);
    assert_int_equal(u->add_addrs.n + u->rem_addrs.n, 0);
    decoded_free(&d);
}

/* ---- account ---------------------------------------------------------- */

enum { A1, A2, A3, B1, B2, B3 };

static void account_commands(void **state)
{
    (void)state;
    struct decoded d;
    const struct epp_names *ids = &ok_sample(&d, "account-check.xml")->u.id_check.ids;
    assert_int_equal(ids->n, 2);
    assert_string_equal(ids->items[1], "ACC-1002");
    decoded_free(&d);
    assert_string_equal(ok_sample(&d, "account-info.xml")->u.id, "RNAME:ACC-1001");
    decoded_free(&d);

    const struct epp_account_create *c = &ok_sample(&d, "account-create.xml")->u.account_create;
    assert_string_equal(c->id, "ACC-1001");
    assert_string_equal(c->billing, "registrant");
    assert_true(c->slot[A1].given);
    assert_false(c->slot[A1].is_new);
    assert_string_equal(c->slot[A1].contact, "RNAME:SH8013");
    assert_string_equal(c->slot[A2].contact, "RNAME:5E6F7A8B");
    assert_string_equal(c->slot[B1].contact, "RNAME:9C0D1E2F");
    assert_false(c->slot[A3].given);
    assert_false(c->slot[B2].given);
    assert_false(c->slot[B3].given);
    decoded_free(&d);

    c = &ok_sample(&d, "account-create-newcontact.xml")->u.account_create;
    assert_null(c->billing);
    const struct epp_account_fill *f = &c->slot[A1];
    assert_true(f->given);
    assert_true(f->is_new);
    assert_null(f->contact);
    assert_string_equal(f->new_contact.id, "ACC-1002-A1");
    assert_string_equal(f->new_contact.postal.name, "Karen Blixen");
    assert_null(f->new_contact.postal.org);
    assert_string_equal(f->new_contact.postal.street[0], "Rungstedvej 111");
    assert_string_equal(f->new_contact.postal.city, "Rungsted Kyst");
    assert_string_equal(f->new_contact.postal.pc, "2960");
    assert_string_equal(f->new_contact.postal.cc, "DK");
    assert_string_equal(f->new_contact.voice.number, "+45.45571057");
    assert_string_equal(f->new_contact.email, "karen@example.test");
    f = &c->slot[A2];
    assert_true(f->is_new);
    assert_null(f->new_contact.id); /* generated */
    assert_string_equal(f->new_contact.postal.org, "Dinesen ApS");
    assert_string_equal(f->new_contact.postal.city, "København");
    assert_null(f->new_contact.postal.street[0]);
    assert_false(f->new_contact.voice.given);
    assert_false(c->slot[A3].is_new);
    assert_string_equal(c->slot[A3].contact, "RNAME:5E6F7A8B");
    decoded_free(&d);

    const struct epp_account_update *u = &ok_sample(&d, "account-update.xml")->u.account_update;
    assert_string_equal(u->id, "RNAME:ACC-1001");
    assert_string_equal(u->billing, "registrar");
    assert_true(u->add[A3].given);
    assert_string_equal(u->add[A3].contact, "RNAME:3A4B5C6D");
    assert_false(u->add[A1].given);
    assert_string_equal(u->rem[B1], "RNAME:9C0D1E2F");
    assert_null(u->rem[A1]);
    assert_true(u->chg[A2].given);
    assert_string_equal(u->chg[A2].email, "anna@example.test");
    assert_null(u->chg[A2].name);
    assert_false(u->chg[A2].has_street);
    assert_false(u->chg[A2].voice.given);
    assert_true(u->chg[A1].given);
    assert_string_equal(u->chg[A1].name, "Jens Hansen");
    assert_true(u->chg[A1].has_street);
    assert_string_equal(u->chg[A1].street[0], "Vestergade 2");
    assert_string_equal(u->chg[A1].city, "Aarhus C");
    assert_string_equal(u->chg[A1].pc, "8000");
    assert_string_equal(u->chg[A1].cc, "DK");
    assert_string_equal(u->chg[A1].voice.number, "+45.12345678");
    assert_null(u->chg[A1].email);
    assert_false(u->chg[B1].given);
    decoded_free(&d);

    /* a new contact replacing a removed one in the same slot */
    u = &ok_str(&d, EPP_CMD("<update><account:update " ACCOUNT_XMLNS "><account:id>ACC-1002"
                            "</account:id><account:add><account:newContact slot=\"a1\">"
                            "<account:name>Karen Dinesen</account:name><account:city>Rungsted"
                            "</account:city><account:cc>DK</account:cc><account:email>"
                            "k@example.test</account:email></account:newContact></account:add>"
                            "<account:rem><account:contact slot=\"a1\">ACC-1002-A1"
                            "</account:contact></account:rem></account:update></update>",
                            "ABC-acc"))
             ->u.account_update;
    assert_true(u->add[A1].is_new);
    assert_string_equal(u->add[A1].new_contact.postal.name, "Karen Dinesen");
    assert_string_equal(u->add[A1].new_contact.email, "k@example.test");
    assert_string_equal(u->rem[A1], "ACC-1002-A1");
    assert_null(u->billing);
    decoded_free(&d);
}

/* ---- session ---------------------------------------------------------- */

#define LOGIN(svcs)                                                                    \
    "<login><clID>RNAME</clID><pw>2fooBAR-x9</pw><options><version>1.0</version>"    \
    "<lang>en</lang></options><svcs>" svcs "</svcs></login>"

static void login_services(void **state)
{
    (void)state;
    struct decoded d;
    /* what we serve is a bit; the first URI we do not serve is kept */
    const struct epp_login *l =
        &ok_str(&d, EPP_CMD(LOGIN("<objURI>" EPP_NS_DOMAIN "</objURI><objURI>urn:example:obj-1.0"
                                  "</objURI><objURI>urn:example:obj-2.0</objURI><objURI>"
                                  EPP_NS_HOST "</objURI><svcExtension><extURI>" EPP_NS_SECDNS
                                  "</extURI><extURI>urn:ietf:params:xml:ns:launch-1.0</extURI>"
                                  "<extURI>urn:ietf:params:xml:ns:fee-0.11</extURI><extURI>"
                                  EPP_NS_REG_DOMAIN "</extURI></svcExtension>"),
                            "ABC-login"))
             ->u.login;
    assert_int_equal(l->svcs, EPP_SVC_BIT(EPP_SVC_DOMAIN) | EPP_SVC_BIT(EPP_SVC_HOST) |
                                  EPP_SVC_BIT(EPP_SVC_SECDNS) | EPP_SVC_BIT(EPP_SVC_REG_DOMAIN));
    assert_string_equal(l->unknown_obj, "urn:example:obj-1.0");
    assert_string_equal(l->unknown_ext, "urn:ietf:params:xml:ns:launch-1.0");
    decoded_free(&d);

    /* an object announced as an extension, or the other way round, is not
     * served as such */
    l = &ok_str(&d, EPP_CMD(LOGIN("<objURI>" EPP_NS_SECDNS "</objURI><svcExtension><extURI>"
                                  EPP_NS_CONTACT "</extURI></svcExtension>"),
                            "ABC-login"))
             ->u.login;
    assert_int_equal(l->svcs, 0);
    assert_string_equal(l->unknown_obj, EPP_NS_SECDNS);
    assert_string_equal(l->unknown_ext, EPP_NS_CONTACT);
    decoded_free(&d);

    /* a login uses no service itself */
    assert_int_equal(ok_sample(&d, "login.xml")->svcs, 0);
    decoded_free(&d);
}

static void poll_msgid(void **state)
{
    (void)state;
    struct decoded d;
#define ID31 "1234567890123456789012345678901"
    /* message ids are numbers of at most 31 characters here */
    assert_int_equal(decode_str(&d, EPP_CMD("<poll op=\"ack\" msgID=\"" ID31 "\"/>", "ABC-poll")),
                     REG_OK);
    assert_string_equal(d.r.u.poll.msgid, ID31);
    decoded_free(&d);
    assert_int_equal(decode_str(&d, EPP_CMD("<poll op=\"ack\" msgID=\"" ID31 "2\"/>", "ABC-poll")),
                     REG_ERR_INVALID);
    assert_string_equal(d.r.cltrid, "ABC-poll");
    decoded_free(&d);
}

/* ---- extension rules (decode.c ext_rules) ------------------------------ */

/* Each frame is sent with the extension on a command it belongs to first:
 * the frame is otherwise good, so the refusal is the rule's. */
static void expect_2103(const char *label, const char *body, const char *ext, const char *ns,
                        const char *name)
{
    char *xml = command(body, ext);
    struct decoded d;
    reg_err e = decode_str(&d, xml);
    if (e != REG_ERR_UNIMPLEMENTED_EXTENSION)
        fail_msg("%s: got %s (%s), want 2103\n%s", label, reg_errname(e), d.st.reason, xml);
    if (!d.r.bad_ns || strcmp(d.r.bad_ns, ns) || !d.r.bad_name || strcmp(d.r.bad_name, name))
        fail_msg("%s: element at fault {%s}%s, want {%s}%s", label,
                 d.r.bad_ns ? d.r.bad_ns : "(null)", d.r.bad_name ? d.r.bad_name : "(null)", ns,
                 name);
    assert_string_equal(d.r.cltrid, "ABC-ext");
    assert_non_null(d.r.redacted);
    decoded_free(&d);
    free(xml);
}

static void expect_ok(const char *label, const char *body, const char *ext)
{
    char *xml = command(body, ext);
    struct decoded d;
    if (decode_str(&d, xml) != REG_OK)
        fail_msg("%s: %s (%s)\n%s", label, reg_errname(d.e), d.st.reason, xml);
    decoded_free(&d);
    free(xml);
}

/* RFC 5730 §3 (issue 11 §1): a schema-valid command with an extension we
 * do not implement is 2103 naming it, not 2001. */
static void unknown_extension_namespace_is_2103(void **state)
{
    (void)state;
    static const struct {
        const char *label, *body, *ext, *ns, *name;
    } cases[] = {
        {"RFC 8334 launch:check on domain:check", DOMAIN_CHECK,
         "<launch:check xmlns:launch=\"urn:ietf:params:xml:ns:launch-1.0\" type=\"avail\">"
         "<launch:phase>sunrise</launch:phase></launch:check>",
         "urn:ietf:params:xml:ns:launch-1.0", "check"},
        {"allocationToken-1.0 on domain:create", DOMAIN_CREATE,
         "<allocationToken:allocationToken xmlns:allocationToken="
         "\"urn:ietf:params:xml:ns:allocationToken-1.0\">abc123</allocationToken:allocationToken>",
         "urn:ietf:params:xml:ns:allocationToken-1.0", "allocationToken"},
        {"fee-0.11 on domain:check", DOMAIN_CHECK,
         "<fee:check xmlns:fee=\"urn:ietf:params:xml:ns:fee-0.11\"><fee:currency>DKK</fee:currency>"
         "<fee:command>create</fee:command><fee:period unit=\"y\">1</fee:period></fee:check>",
         "urn:ietf:params:xml:ns:fee-0.11", "check"},
        {"fee-0.6 on domain:check", DOMAIN_CHECK,
         "<fee:check xmlns:fee=\"urn:ietf:params:xml:ns:fee-0.6\"><fee:domain><fee:name>"
         "example.dk</fee:name><fee:command>create</fee:command></fee:domain></fee:check>",
         "urn:ietf:params:xml:ns:fee-0.6", "check"},
        {"fee-0.12 on domain:renew", DOMAIN_RENEW,
         "<fee:renew xmlns:fee=\"urn:ietf:params:xml:ns:fee-0.12\"><fee:fee>5.00</fee:fee>"
         "</fee:renew>",
         "urn:ietf:params:xml:ns:fee-0.12", "renew"},
        {"unknown namespace on a poll", "<poll op=\"req\"/>",
         "<x:hint xmlns:x=\"urn:example:poll-1.0\"/>", "urn:example:poll-1.0", "hint"},
        {"unknown namespace on a login", LOGIN("<objURI>" EPP_NS_DOMAIN "</objURI>"),
         "<x:login xmlns:x=\"urn:example:login-1.0\"/>", "urn:example:login-1.0", "login"},
        {"unknown namespace on a contact:create", CONTACT_CREATE,
         "<x:create xmlns:x=\"urn:example:x-1.0\"/>", "urn:example:x-1.0", "create"},
        /* next to a known one: still 2103, naming the unknown one */
        {"unknown next to secDNS:create", DOMAIN_CREATE,
         SECDNS_CREATE "<x:create xmlns:x=\"urn:example:x-1.0\"><x:y/></x:create>",
         "urn:example:x-1.0", "create"},
        /* two unknown: the first */
        {"two unknown", DOMAIN_CREATE,
         "<x:a xmlns:x=\"urn:example:x-1.0\"/><y:b xmlns:y=\"urn:example:y-1.0\"/>",
         "urn:example:x-1.0", "a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_ok(cases[i].label, cases[i].body, NULL);
        expect_2103(cases[i].label, cases[i].body, cases[i].ext, cases[i].ns, cases[i].name);
    }
    /* the reason names the namespace */
    char *xml = command(DOMAIN_CHECK, cases[0].ext);
    struct decoded d;
    assert_int_equal(decode_str(&d, xml), REG_ERR_UNIMPLEMENTED_EXTENSION);
    assert_non_null(strstr(d.st.reason, "urn:ietf:params:xml:ns:launch-1.0"));
    assert_int_equal(d.r.kind, EPP_CMD_CHECK);
    assert_int_equal(d.r.obj, EPP_OBJ_DOMAIN);
    decoded_free(&d);
    free(xml);
}

/* Issue 11 §2: an extension element of a namespace we implement, on a
 * command it does not belong to, is refused (2103), never ignored. */
static void misplaced_extension_is_2103(void **state)
{
    (void)state;
    static const struct {
        const char *label, *body, *ext, *ns, *name;
        const char *home, *home_ext; /* where it belongs: accepted there */
    } cases[] = {
        {"secDNS:create in a domain:update", DOMAIN_UPDATE, SECDNS_CREATE, EPP_NS_SECDNS, "create",
         DOMAIN_CREATE, SECDNS_CREATE},
        {"secDNS:update in a domain:create", DOMAIN_CREATE, SECDNS_UPDATE, EPP_NS_SECDNS, "update",
         DOMAIN_UPDATE, SECDNS_UPDATE},
        {"secDNS:create on a domain:info", DOMAIN_INFO, SECDNS_CREATE, EPP_NS_SECDNS, "create",
         DOMAIN_CREATE, SECDNS_CREATE},
        {"fee:create on a renew", DOMAIN_RENEW, FEE_AGREE("create"), EPP_NS_FEE, "create",
         DOMAIN_CREATE, FEE_AGREE("create")},
        {"fee:renew on a create", DOMAIN_CREATE, FEE_AGREE("renew"), EPP_NS_FEE, "renew",
         DOMAIN_RENEW, FEE_AGREE("renew")},
        {"fee:check on a domain:info", DOMAIN_INFO, FEE_CHECK, EPP_NS_FEE, "check", DOMAIN_CHECK,
         FEE_CHECK},
        {"fee:check on a contact:check", CONTACT_CHECK, FEE_CHECK, EPP_NS_FEE, "check",
         DOMAIN_CHECK, FEE_CHECK},
        {"regd:otp on transfer op=query", DOMAIN_TRANSFER("query"), REGD_OTP, EPP_NS_REG_DOMAIN,
         "transfer", DOMAIN_TRANSFER("request"), REGD_OTP},
        {"regd:otp on transfer op=approve", DOMAIN_TRANSFER("approve"), REGD_OTP,
         EPP_NS_REG_DOMAIN, "transfer", DOMAIN_TRANSFER("request"), REGD_OTP},
        {"fee:transfer on transfer op=approve", DOMAIN_TRANSFER("approve"), FEE_AGREE("transfer"),
         EPP_NS_FEE, "transfer", DOMAIN_TRANSFER("request"), FEE_AGREE("transfer")},
        {"fee:transfer on transfer op=cancel", DOMAIN_TRANSFER("cancel"), FEE_AGREE("transfer"),
         EPP_NS_FEE, "transfer", DOMAIN_TRANSFER("request"), FEE_AGREE("transfer")},
        {"rgp:update on a domain:create", DOMAIN_CREATE, RGP_UPDATE, EPP_NS_RGP, "update",
         DOMAIN_UPDATE, RGP_UPDATE},
        {"regd:create on a domain:update", DOMAIN_UPDATE, REGD_CREATE, EPP_NS_REG_DOMAIN, "create",
         DOMAIN_CREATE, REGD_CREATE},
        {"regd:delete on a domain:update", DOMAIN_UPDATE, REGD_VERIFIED("delete"),
         EPP_NS_REG_DOMAIN, "delete", DOMAIN_DELETE, REGD_VERIFIED("delete")},
        {"regd:update on a domain:delete", DOMAIN_DELETE, REGD_VERIFIED("update"),
         EPP_NS_REG_DOMAIN, "update", DOMAIN_UPDATE, REGD_VERIFIED("update")},
        {"regc:create on a contact:update", CONTACT_UPDATE, REGC_CREATE, EPP_NS_REG_CONTACT,
         "create", CONTACT_CREATE, REGC_CREATE},
        {"regc:update on a contact:create", CONTACT_CREATE, REGC_UPDATE, EPP_NS_REG_CONTACT,
         "update", CONTACT_UPDATE, REGC_UPDATE},
        {"regh:create on a host:update", HOST_UPDATE, REGH("create"), EPP_NS_REG_HOST, "create",
         HOST_CREATE, REGH("create")},
        {"regh:update on a host:create", HOST_CREATE, REGH("update"), EPP_NS_REG_HOST, "update",
         HOST_UPDATE, REGH("update")},
        {"regh:create on a domain:create", DOMAIN_CREATE, REGH("create"), EPP_NS_REG_HOST,
         "create", HOST_CREATE, REGH("create")},
        {"secDNS:create on a poll", "<poll op=\"req\"/>", SECDNS_CREATE, EPP_NS_SECDNS, "create",
         DOMAIN_CREATE, SECDNS_CREATE},
        {"regd:create on a logout", "<logout/>", REGD_CREATE, EPP_NS_REG_DOMAIN, "create",
         DOMAIN_CREATE, REGD_CREATE},
        /* changePoll is response data only */
        {"changePoll:changeData in a command", DOMAIN_INFO, CHANGEPOLL, EPP_NS_CHANGEPOLL,
         "changeData", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_ok(cases[i].label, cases[i].body, NULL);
        if (cases[i].home)
            expect_ok(cases[i].label, cases[i].home, cases[i].home_ext);
        expect_2103(cases[i].label, cases[i].body, cases[i].ext, cases[i].ns, cases[i].name);
    }
    /* the reason says which command it is not used with */
    char *xml = command(DOMAIN_TRANSFER("query"), REGD_OTP);
    struct decoded d;
    assert_int_equal(decode_str(&d, xml), REG_ERR_UNIMPLEMENTED_EXTENSION);
    assert_non_null(strstr(d.st.reason, "domain:transfer"));
    assert_non_null(strstr(d.st.reason, "op="));
    decoded_free(&d);
    free(xml);
}

/* One extension element per service and command: the same twice is a
 * syntax error (which of the two would count?). */
static void same_extension_twice_is_2001(void **state)
{
    (void)state;
    static const struct {
        const char *body, *ext;
    } cases[] = {
        {DOMAIN_CREATE, SECDNS_CREATE SECDNS_CREATE},
        {DOMAIN_CHECK, FEE_CHECK FEE_CHECK},
        {DOMAIN_UPDATE, RGP_UPDATE RGP_UPDATE},
        {DOMAIN_CREATE, REGD_CREATE SECDNS_CREATE REGD_CREATE},
        {HOST_UPDATE, REGH("update") REGH("update")},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *xml = command(cases[i].body, cases[i].ext);
        struct decoded d;
        if (decode_str(&d, xml) != REG_ERR_SYNTAX)
            fail_msg("%s (%s)\n%s", reg_errname(d.e), d.st.reason, xml);
        assert_non_null(strstr(d.st.reason, "twice"));
        assert_string_equal(d.r.cltrid, "ABC-ext");
        decoded_free(&d);
        free(xml);
    }
    /* two different ones of the same command are fine */
    expect_ok("secDNS, fee and regd on a create", DOMAIN_CREATE,
              SECDNS_CREATE FEE_AGREE("create") REGD_CREATE);
}

/* Where the schema of an extension we implement forbids the element, it is
 * a syntax error, like any schema violation (issue 11 §2). */
static void unknown_element_of_a_known_namespace_is_2001(void **state)
{
    (void)state;
    const char *exts[] = {
        "<secDNS:bogus " SECDNS_XMLNS "/>",
        "<secDNS:create " SECDNS_XMLNS "><secDNS:bogus/></secDNS:create>",
        "<fee:create " FEE_XMLNS "><fee:price>1</fee:price></fee:create>",
    };
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        char *xml = command(DOMAIN_CREATE, exts[i]);
        struct decoded d;
        if (decode_str(&d, xml) != REG_ERR_SYNTAX)
            fail_msg("%s (%s)\n%s", reg_errname(d.e), d.st.reason, xml);
        assert_null(d.r.bad_ns);
        decoded_free(&d);
        free(xml);
    }
}

/* RFC 5730's <extension> takes elements of other namespaces (##other): one
 * without a namespace, or in EPP's own, is a schema violation (2001), not
 * an extension we do not implement; 2103 would name it in <extValue> with
 * an empty namespace (xmlns:x="", not well-formed in XML 1.0 namespaces). */
static void extension_without_a_namespace_is_2001(void **state)
{
    (void)state;
    const char *exts[] = {
        "<verified xmlns=\"\"/>",
        "<delete xmlns=\"\"><verified/></delete>",
        SECDNS_CREATE "<bare xmlns=\"\"/>",
        "<verified/>", /* the document's default namespace: EPP's */
        "<epp:delete xmlns:epp=\"" EPP_NS "\"/>",
    };
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        char *xml = command(DOMAIN_CREATE, exts[i]);
        struct decoded d;
        if (decode_str(&d, xml) != REG_ERR_SYNTAX)
            fail_msg("%s: %s (%s), bad_ns \"%s\"", exts[i], reg_errname(d.e), d.st.reason,
                     d.r.bad_ns ? d.r.bad_ns : "(null)");
        assert_null(d.r.bad_ns);
        assert_string_equal(d.r.cltrid, "ABC-ext");
        decoded_free(&d);
        free(xml);
    }
}

/* A <command> whose first element is an <extension> holding only
 * extensions we do not implement: the extension is taken out and freed,
 * and it was the command's element too (fuzz_epp_parse found the read of
 * the freed node). A schema error, with nothing read from freed memory
 * (the ASan build's run of this test). */
static void extension_in_place_of_the_command_is_2001(void **state)
{
    (void)state;
    struct decoded d;
    assert_int_equal(decode_str(&d, EPP_OPEN "<command><extension><x:update xmlns:x=\"urn:ex:x-1.0\">"
                                            "<x:admin/></x:update></extension><clTRID>ABC-x"
                                            "</clTRID></command></epp>"),
                     REG_ERR_SYNTAX);
    assert_int_equal(d.r.kind, EPP_CMD__COUNT);
    decoded_free(&d);
}

/* RFC 5730 §3: an object namespace we do not serve is 2307, on any object
 * command, naming the element. */
static void unknown_object_namespace_is_2307(void **state)
{
    (void)state;
    const char *verbs[] = {"check", "info", "create", "update", "delete", "renew"};
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        char xml[512];
        snprintf(xml, sizeof xml,
                 EPP_CMD("<%s><obj:%s xmlns:obj=\"urn:ietf:params:xml:ns:obj-1.0\"><obj:name>x"
                         "</obj:name></obj:%s></%s>",
                         "ABC-2307"),
                 verbs[i], verbs[i], verbs[i], verbs[i]);
        struct decoded d;
        if (decode_str(&d, xml) != REG_ERR_UNIMPLEMENTED_OBJECT)
            fail_msg("%s: %s (%s)", verbs[i], reg_errname(d.e), d.st.reason);
        assert_string_equal(d.r.bad_ns, "urn:ietf:params:xml:ns:obj-1.0");
        assert_string_equal(d.r.bad_name, verbs[i]);
        assert_string_equal(d.r.cltrid, "ABC-2307");
        assert_int_equal(d.r.obj, EPP_OBJ_NONE);
        decoded_free(&d);
    }
    struct decoded d;
    assert_int_equal(decode_str(&d, EPP_CMD("<transfer op=\"query\"><obj:transfer xmlns:obj=\"urn:"
                                            "example:obj\"/></transfer>",
                                            "ABC-2307")),
                     REG_ERR_UNIMPLEMENTED_OBJECT);
    decoded_free(&d);
    /* a known object under a wrong namespace version (invalid sample) */
    assert_int_equal(decode_sample(&d, "invalid", "domain-check-wrong-namespace.xml"),
                     REG_ERR_UNIMPLEMENTED_OBJECT);
    assert_string_equal(d.r.bad_ns, "urn:ietf:params:xml:ns:domain-1.1");
    decoded_free(&d);
}

/* At most EPP_CHECK_MAX names or ids in one check, of any object (2306). */
static void check_of_more_than_100_is_policy(void **state)
{
    (void)state;
    static const struct {
        const char *open, *item_open, *item_close, *close;
    } objs[] = {
        {"<check><domain:check " DOMAIN_XMLNS ">", "<domain:name>d", ".dk</domain:name>",
         "</domain:check></check>"},
        {"<check><contact:check " CONTACT_XMLNS ">", "<contact:id>cid", "</contact:id>",
         "</contact:check></check>"},
        {"<check><host:check " HOST_XMLNS ">", "<host:name>ns", ".dk</host:name>",
         "</host:check></check>"},
        {"<check><account:check " ACCOUNT_XMLNS ">", "<account:id>acc", "</account:id>",
         "</account:check></check>"},
    };
    for (size_t o = 0; o < sizeof objs / sizeof objs[0]; o++)
        for (size_t n = EPP_CHECK_MAX; n <= EPP_CHECK_MAX + 1; n++) {
            char *xml = malloc(16384), *p = xml;
            assert_non_null(xml);
            p += sprintf(p, EPP_OPEN "<command>%s", objs[o].open);
            for (size_t i = 0; i < n; i++)
                p += sprintf(p, "%s%zu%s", objs[o].item_open, i, objs[o].item_close);
            sprintf(p, "%s<clTRID>ABC-max</clTRID></command>" EPP_CLOSE, objs[o].close);
            struct decoded d;
            reg_err e = decode_str(&d, xml);
            if (n <= EPP_CHECK_MAX) {
                if (e != REG_OK)
                    fail_msg("%zu names: %s (%s)", n, reg_errname(e), d.st.reason);
            } else {
                assert_int_equal(e, REG_ERR_POLICY);
                assert_non_null(strstr(d.st.reason, "100"));
                assert_string_equal(d.r.cltrid, "ABC-max");
            }
            decoded_free(&d);
            free(xml);
        }
}

/* Issue 11 §6: a frame refused before parsing still gets its clTRID back. */
static void refused_frames_echo_the_cltrid(void **state)
{
    (void)state;
    struct decoded d;
    const char *dtd = "<?xml version=\"1.0\"?><!DOCTYPE epp [<!ENTITY x \"y\">]>"
                      "<epp xmlns=\"" EPP_NS "\"><command><logout/><clTRID>ABC-dtd</clTRID>"
                      "</command></epp>";
    assert_int_equal(decode_str(&d, dtd), REG_ERR_SYNTAX);
    assert_non_null(strstr(d.st.reason, "DTD"));
    assert_string_equal(d.r.cltrid, "ABC-dtd");
    assert_null(d.r.redacted);
    decoded_free(&d);
    /* with a prefix and whitespace */
    const char *prefixed = "<!DOCTYPE epp><e:epp xmlns:e=\"" EPP_NS "\"><e:command><e:logout/>"
                           "<e:clTRID>\n ABC-pfx \n</e:clTRID></e:command></e:epp>";
    assert_int_equal(decode_str(&d, prefixed), REG_ERR_SYNTAX);
    assert_string_equal(d.r.cltrid, "ABC-pfx");
    decoded_free(&d);
    /* not an entity, markup or a control character, and 3–64 characters */
    const char *not_echoed[] = {
        "<!DOCTYPE epp><epp><command><logout/><clTRID>A&x;C</clTRID></command></epp>",
        "<!DOCTYPE epp><epp><command><logout/><clTRID>AB</clTRID></command></epp>",
        "<!DOCTYPE epp><epp><command><logout/><clTRID>A\x01" "BC</clTRID></command></epp>",
        "<!DOCTYPE epp><epp><command><logout/><clTRID><![CDATA[ABC]]></clTRID></command></epp>",
        "<!DOCTYPE epp><epp><command><logout/><clTRID>\xff\xfe" "ABC</clTRID></command></epp>",
        "<!DOCTYPE epp><epp><command><logout/><clTRID>ABC",
    };
    for (size_t i = 0; i < sizeof not_echoed / sizeof not_echoed[0]; i++) {
        assert_int_equal(decode_str(&d, not_echoed[i]), REG_ERR_SYNTAX);
        if (d.r.cltrid[0])
            fail_msg("#%zu: echoed \"%s\"", i, d.r.cltrid);
        decoded_free(&d);
    }
    char big[512];
    snprintf(big, sizeof big, "<!DOCTYPE epp><epp><command><logout/><clTRID>%065d</clTRID>", 7);
    assert_int_equal(decode_str(&d, big), REG_ERR_SYNTAX);
    assert_string_equal(d.r.cltrid, "");
    decoded_free(&d);
    snprintf(big, sizeof big, "<!DOCTYPE epp><epp><command><logout/><clTRID>%064d</clTRID>", 7);
    assert_int_equal(decode_str(&d, big), REG_ERR_SYNTAX);
    assert_int_equal(strlen(d.r.cltrid), 64);
    decoded_free(&d);
}

/* ---- the two phases (epp_decode_read / epp_decode_finish) -------------- */

/* The first phase tells the command (kind, object, clTRID, the audit copy)
 * without the schema check; the second gives what epp_decode gives; a
 * decoder given up between them is freed whole (ASan checks). */
static void two_phases(void **state)
{
    (void)state;
    size_t len;
    char *xml = epp_test_read_sample("valid", "domain-create-extensions.xml", &len);
    struct arena a;
    arena_init(&a, EPP_REQUEST_ARENA_MAX);
    struct epp_request r;
    reg_status st = {0};
    struct epp_decoder *x = NULL;
    assert_int_equal(epp_decode_read(xml, len, &a, &r, &x, &st), REG_OK);
    assert_non_null(x);
    assert_int_equal(r.kind, EPP_CMD_CREATE);
    assert_int_equal(r.obj, EPP_OBJ_DOMAIN);
    assert_string_equal(r.cltrid, "ABC-12345");
    assert_non_null(r.redacted);
    assert_null(r.u.domain_create.name); /* not decoded yet */
    assert_int_equal(epp_decode_finish(x, &st), REG_OK);
    assert_string_equal(r.u.domain_create.name, "example.test");
    assert_true(r.u.domain_create.secdns.given);
    struct decoded whole;
    decode_buf(&whole, xml, len);
    assert_int_equal(whole.r.svcs, r.svcs);
    assert_string_equal(whole.r.redacted, r.redacted);
    decoded_free(&whole);
    arena_reset(&a);

    /* given up after the first phase, with an unknown extension unplugged */
    char *unknown = command(DOMAIN_CREATE, "<x:y xmlns:x=\"urn:example:x-1.0\"><x:z/></x:y>");
    assert_int_equal(epp_decode_read(unknown, strlen(unknown), &a, &r, &x, &st), REG_OK);
    epp_decoder_free(x);
    epp_decoder_free(NULL);
    arena_reset(&a);
    /* and the same finished: 2103 */
    assert_int_equal(epp_decode_read(unknown, strlen(unknown), &a, &r, &x, &st), REG_OK);
    assert_int_equal(epp_decode_finish(x, &st), REG_ERR_UNIMPLEMENTED_EXTENSION);
    assert_string_equal(r.bad_ns, "urn:example:x-1.0");
    free(unknown);
    arena_reset(&a);

    /* refused in the first phase: no decoder to free */
    const char *broken = EPP_OPEN "<command><logout/><clTRID>ABC-1</clTRID>";
    x = (struct epp_decoder *)&a; /* anything but NULL */
    assert_int_equal(epp_decode_read(broken, strlen(broken), &a, &r, &x, &st), REG_ERR_SYNTAX);
    assert_null(x);
    assert_string_equal(r.cltrid, "ABC-1");
    const char *obj = EPP_CMD("<info><x:info xmlns:x=\"urn:example:x\"/></info>", "ABC-2");
    assert_int_equal(epp_decode_read(obj, strlen(obj), &a, &r, &x, &st),
                     REG_ERR_UNIMPLEMENTED_OBJECT);
    assert_null(x);
    arena_free(&a);
    free(xml);
}

/* ---- the official schemas --------------------------------------------- */

/* RFC 5730's clIDType: ids of 3–16 characters ([contact] id_prefix = none). */
static void official_schemas_take_16_characters(void **state)
{
    (void)state;
    char xml[512];
    for (int n = 16; n <= 17; n++) {
        snprintf(xml, sizeof xml,
                 EPP_CMD("<info><contact:info " CONTACT_XMLNS "><contact:id>%.*s</contact:id>"
                         "</contact:info></info>",
                         "ABC-16"),
                 n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        struct decoded d;
        reg_err e = decode_str(&d, xml);
        assert_int_equal(e, n <= 16 ? REG_OK : REG_ERR_SYNTAX);
        decoded_free(&d);
    }
}

/* Every valid command sample decodes on the official schemas too, but for
 * the ones whose REGISTRAR:ID ids exceed 16 characters. */
static const char *const long_id_samples[] = {"account-update-replace-a1.xml"};

static void samples_on_the_official_schemas(void **state)
{
    (void)state;
    size_t n = 0, ok = 0;
    char **names = epp_test_list_samples("valid", &n);
    for (size_t i = 0; i < n; i++) {
        if (strstr(names[i], "response") || !strcmp(names[i], "greeting.xml"))
            continue;
        bool long_ids = false;
        for (size_t k = 0; k < sizeof long_id_samples / sizeof long_id_samples[0]; k++)
            long_ids |= !strcmp(names[i], long_id_samples[k]);
        struct decoded d;
        reg_err e = decode_sample(&d, "valid", names[i]);
        if (long_ids) {
            if (e != REG_ERR_SYNTAX || !strstr(d.st.reason, "maxLength"))
                fail_msg("valid/%s: %s (%s), want 2001 for a long id", names[i], reg_errname(e),
                         d.st.reason);
        } else if (e != REG_OK) {
            fail_msg("valid/%s: %s (%s)", names[i], reg_errname(e), d.st.reason);
        } else {
            ok++;
        }
        decoded_free(&d);
    }
    assert_true(ok > 40);
    epp_test_free_list(names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(domain_check_and_fee_check),
        cmocka_unit_test(domain_info),
        cmocka_unit_test(domain_create),
        cmocka_unit_test(domain_update),
        cmocka_unit_test(domain_delete_renew_transfer),
        cmocka_unit_test(contact_check_info_delete_transfer),
        cmocka_unit_test(contact_create),
        cmocka_unit_test(contact_update),
        cmocka_unit_test(host_commands),
        cmocka_unit_test(account_commands),
        cmocka_unit_test(login_services),
        cmocka_unit_test(poll_msgid),
        cmocka_unit_test(unknown_extension_namespace_is_2103),
        cmocka_unit_test(misplaced_extension_is_2103),
        cmocka_unit_test(same_extension_twice_is_2001),
        cmocka_unit_test(unknown_element_of_a_known_namespace_is_2001),
        cmocka_unit_test(extension_without_a_namespace_is_2001),
        cmocka_unit_test(extension_in_place_of_the_command_is_2001),
        cmocka_unit_test(unknown_object_namespace_is_2307),
        cmocka_unit_test(check_of_more_than_100_is_policy),
        cmocka_unit_test(refused_frames_echo_the_cltrid),
        cmocka_unit_test(two_phases),
        cmocka_unit_test(official_schemas_take_16_characters),
        cmocka_unit_test(samples_on_the_official_schemas),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    epp_schema_thread_cleanup();
    return rc;
}
