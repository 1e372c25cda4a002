/* Server statuses set by staff (src/registry/server_status.c, regctl
 * status) on both backends: names normalised as EPP does, which status
 * goes with which object, already set / not set, a history version by
 * staff through regctl (R40), the sponsor's change poll message for a
 * domain (RFC 8590), and EPP's rules applying to the status afterwards. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/contact.h"
#include "registry/domain.h"
#include "registry/history.h"
#include "registry/host.h"
#include "registry/poll.h"
#include "registry/server_status.h"

#define BLAABAER_U "bl\xc3\xa5" "b\xc3\xa6" "rgr\xc3\xb8" "d.dk" /* blåbærgrød.dk */
#define BLAABAER_A "xn--blbrgrd-fxak7p.dk"

/* REGA's contact REGA:HOLDER, its domain blåbærgrød.dk and its external
 * host ns1.example.net; REGA's poll queue empty. */
static void open_fx(struct fixture *f, void **state, const char *base)
{
    setup(state, f, base);
    make_contact(f, "HOLDER", "holder@example.dk", "Jens Hansen", NULL, NULL, NULL);
    make_host(f, f->a, "ns1.example.net", NULL);
    struct domain_create in = {TERMS, .name = BLAABAER_U, .registrant = "REGA:HOLDER"};
    make_domain_as(f, f->a, &in);
    drain_poll(f, f->a);
}

static reg_err change(struct fixture *f, const char *kind, const char *name, const char *status,
                      const char *message, bool add, char key[NAME_MAX_LEN + 1], reg_status *st)
{
    struct reg_op op = staff(f);
    return server_status_change(&op, kind, name, status, message, add, key, st);
}

/* The stored message of status `status` of kind's object `key` ("" for
 * none; NULL when the object does not have the status). Caller frees. */
static char *status_of(struct fixture *f, const char *kind, const char *key, const char *status)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT COALESCE(s.message, '') FROM object_status s JOIN %s o ON o.id = s.object_id "
             "WHERE s.object_kind = '%s' AND s.status = '%s' AND o.%s = ?",
             kind, kind, status, strcmp(kind, "contact") ? "name" : "handle");
    return text_of(f, sql, key);
}

/* The number of versions of kind's object `key`. */
static int versions(struct fixture *f, const char *kind, const char *key)
{
    struct versions *vs = history_of(f, kind, key);
    int n = vs->n;
    free(vs);
    return n;
}

/* The object has n versions, the last `action` by staff through regctl,
 * and its snapshot (the whole object, as EPP's versions) names `status`
 * or not. */
static void assert_version(struct fixture *f, const char *kind, const char *key, int n,
                           const char *action, const char *status, bool listed)
{
    struct versions *vs = history_of(f, kind, key);
    assert_int_equal(vs->n, n);
    const struct version *l = &vs->v[n - 1];
    assert_string_equal(l->action, action);
    assert_string_equal(l->actor, "staff");
    assert_string_equal(l->channel, "regctl");
    if ((strstr(l->snapshot, status) != NULL) != listed)
        fail_msg("%s %s: the %s version %s %s: %s", kind, key, action,
                 listed ? "does not list" : "still lists", status, l->snapshot);
    assert_non_null(strstr(l->snapshot, key));
    free(vs);
}

/* REGA's one queued message is the change poll message about the IDN
 * domain with this reason. */
static void assert_change_poll(struct fixture *f, const char *reason)
{
    struct poll_msg m;
    assert_int_equal(poll_count(f, f->a, &m), 1);
    assert_int_equal(m.kind, POLL_CHANGE);
    assert_string_equal(m.u.change.operation, "update");
    assert_string_equal(m.u.change.who, "staff");
    assert_true(m.u.change.has_reason);
    assert_string_equal(m.u.change.reason, reason);
    assert_string_equal(m.u.change.domain.name.alabel, BLAABAER_A);
    char text[200];
    snprintf(text, sizeof text, "Registry update of %s: %s", BLAABAER_A, reason);
    assert_string_equal(m.message, text);
    poll_msg_free(&m);
    drain_poll(f, f->a);
}

static void test_domain_status_by_u_label_versions_and_polls(void **state)
{
    struct fixture f;
    open_fx(&f, state, "srvst_domain");
    char key[NAME_MAX_LEN + 1];
    reg_status st = {0};

    OK(&f, change(&f, "domain", BLAABAER_U, "serverUpdateProhibited", "court order", true, key,
                  &st));
    assert_string_equal(key, BLAABAER_A);
    char *msg = status_of(&f, "domain", BLAABAER_A, "serverUpdateProhibited");
    assert_non_null(msg);
    assert_string_equal(msg, "court order");
    free(msg);
    assert_version(&f, "domain", BLAABAER_A, 2, "status-add", "serverUpdateProhibited", true);
    assert_change_poll(&f, "serverUpdateProhibited set");

    /* EPP's rules see it: the sponsor can no longer update the domain */
    struct reg_op a = op_of(&f, "REGA");
    struct domain_update u = {.name = BLAABAER_A, .chg_authinfo = true, .authinfo = "New-Pw-1"};
    ERR(&f, REG_ERR_STATUS_PROHIBITS, domain_update(&a, &u, &st));
    assert_non_null(strstr(st.reason, "serverUpdateProhibited"));

    /* set twice is refused and changes nothing: no version, no message */
    ERR(&f, REG_ERR_POLICY, change(&f, "domain", BLAABAER_A, "serverUpdateProhibited", "other text",
                                   true, key, &st));
    assert_string_equal(st.reason, "domain " BLAABAER_A " already has status "
                                   "serverUpdateProhibited");
    msg = status_of(&f, "domain", BLAABAER_A, "serverUpdateProhibited");
    assert_string_equal(msg, "court order");
    free(msg);
    assert_int_equal(versions(&f, "domain", BLAABAER_A), 2);
    assert_int_equal(poll_count(&f, f.a, NULL), 0);

    /* removed, in upper case with the root's dot */
    OK(&f, change(&f, "domain", "XN--BLBRGRD-FXAK7P.DK.", "serverUpdateProhibited", NULL, false,
                  key, &st));
    assert_string_equal(key, BLAABAER_A);
    assert_null(status_of(&f, "domain", BLAABAER_A, "serverUpdateProhibited"));
    assert_version(&f, "domain", BLAABAER_A, 3, "status-rem", "serverUpdateProhibited", false);
    assert_change_poll(&f, "serverUpdateProhibited removed");
    OK(&f, domain_update(&a, &u, &st));

    ERR(&f, REG_ERR_POLICY, change(&f, "domain", BLAABAER_A, "serverHold", NULL, false, key, &st));
    assert_string_equal(st.reason, "domain " BLAABAER_A " does not have status serverHold");

    /* serverHold with no text, and the domain-only statuses */
    OK(&f, change(&f, "domain", BLAABAER_A, "serverHold", "", true, key, &st));
    msg = status_of(&f, "domain", BLAABAER_A, "serverHold");
    assert_string_equal(msg, "");
    free(msg);
    assert_change_poll(&f, "serverHold set");
    OK(&f, change(&f, "domain", BLAABAER_A, "serverRenewProhibited", NULL, true, key, &st));
    drain_poll(&f, f.a);
    teardown(&f);
}

static void test_contact_and_host_statuses(void **state)
{
    struct fixture f;
    open_fx(&f, state, "srvst_objects");
    char key[NAME_MAX_LEN + 1];
    reg_status st = {0};
    struct reg_op a = op_of(&f, "REGA");

    /* a contact id in any case; its sponsor can no longer delete it */
    OK(&f, change(&f, "contact", "rega:holder", "serverDeleteProhibited", NULL, true, key, &st));
    assert_string_equal(key, "REGA:HOLDER");
    assert_version(&f, "contact", "REGA:HOLDER", 2, "status-add", "serverDeleteProhibited",
                   true);
    ERR(&f, REG_ERR_STATUS_PROHIBITS, contact_delete(&a, "REGA:HOLDER", &st));
    ERR(&f, REG_ERR_POLICY, change(&f, "contact", "REGA:HOLDER", "serverDeleteProhibited", NULL,
                                   true, key, &st));
    assert_string_equal(st.reason, "contact REGA:HOLDER already has status "
                                   "serverDeleteProhibited");
    OK(&f, change(&f, "contact", "REGA:HOLDER", "serverTransferProhibited", NULL, true, key, &st));
    OK(&f, change(&f, "contact", "REGA:HOLDER", "serverDeleteProhibited", NULL, false, key, &st));
    assert_version(&f, "contact", "REGA:HOLDER", 4, "status-rem", "serverDeleteProhibited",
                   false);

    /* a host name in any case, with the root's dot */
    OK(&f, change(&f, "host", "NS1.Example.NET.", "serverUpdateProhibited", "frozen", true, key,
                  &st));
    assert_string_equal(key, "ns1.example.net");
    assert_version(&f, "host", "ns1.example.net", 2, "status-add", "serverUpdateProhibited",
                   true);
    struct host_update hu = {.name = "ns1.example.net", .admin = "REGA:HOLDER"};
    ERR(&f, REG_ERR_STATUS_PROHIBITS, host_update(&a, &hu, &st));
    OK(&f, change(&f, "host", "ns1.example.net", "serverUpdateProhibited", NULL, false, key, &st));
    assert_version(&f, "host", "ns1.example.net", 3, "status-rem", "serverUpdateProhibited",
                   false);
    OK(&f, host_update(&a, &hu, &st));

    /* only domains tell their sponsor */
    assert_int_equal(poll_count(&f, f.a, NULL), 0);
    teardown(&f);
}

static void test_refusals_change_nothing(void **state)
{
    struct fixture f;
    open_fx(&f, state, "srvst_refused");
    char key[NAME_MAX_LEN + 1];
    reg_status st = {0};
    static const struct {
        const char *kind, *name, *status;
        reg_err want;
        const char *reason; /* part of it */
    } cases[] = {
        /* statuses of other objects, or not the registry's */
        {"domain", BLAABAER_A, "clientHold", REG_ERR_POLICY, "clientHold is not a server status"},
        {"domain", BLAABAER_A, "pendingDelete", REG_ERR_POLICY, "not a server status of a domain"},
        {"contact", "REGA:HOLDER", "serverHold", REG_ERR_POLICY, "of a contact"},
        {"contact", "REGA:HOLDER", "serverRenewProhibited", REG_ERR_POLICY, "of a contact"},
        {"host", "ns1.example.net", "serverTransferProhibited", REG_ERR_POLICY, "of a host"},
        {"account", "REGA:HOLDER", "serverUpdateProhibited", REG_ERR_INVALID, "\"account\""},
        /* objects that do not exist, or names none could have */
        {"domain", "nosuch.dk", "serverHold", REG_ERR_NOT_FOUND, "nosuch.dk does not exist"},
        {"domain", "nosuch.example", "serverHold", REG_ERR_NOT_FOUND, "does not exist"},
        {"contact", "REGA:NOBODY", "serverUpdateProhibited", REG_ERR_NOT_FOUND,
         "contact REGA:NOBODY does not exist"},
        {"contact", "REG A", "serverUpdateProhibited", REG_ERR_INVALID, ""},
        {"host", "ns9.example.net", "serverUpdateProhibited", REG_ERR_NOT_FOUND,
         "host ns9.example.net does not exist"},
        {"host", "ns_1.example.net", "serverUpdateProhibited", REG_ERR_INVALID, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        EXPECT_REASON(&f, change(&f, cases[i].kind, cases[i].name, cases[i].status, NULL, true,
                                 key, &st),
                      cases[i].want, st, cases[i].reason);

    /* a status text that is not PRECIS text (status_message_check) */
    ERR(&f, REG_ERR_INVALID, change(&f, "domain", BLAABAER_A, "serverHold", "court\norder", true,
                                    key, &st));
    assert_string_equal(st.reason, "the message of status serverHold: U+000A (a control "
                                   "character) is not allowed in text: it is a control character");
    ERR(&f, REG_ERR_INVALID, change(&f, "domain", BLAABAER_A, "serverHold", "court \xff order",
                                    true, key, &st));
    assert_string_equal(st.reason, "the message of status serverHold: byte 0xFF at offset 6 is "
                                   "not valid UTF-8");

    /* a registrar's operation may not set or remove server statuses */
    struct reg_op a = op_of(&f, "REGA");
    ERR(&f, REG_ERR_AUTHZ, server_status_change(&a, "domain", BLAABAER_A, "serverHold", NULL, true,
                                                key, &st));

    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM object_status", NULL), 0);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM history WHERE action LIKE 'status-%'",
                            NULL), 0);
    assert_int_equal(poll_count(&f, f.a, NULL), 0);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(test_domain_status_by_u_label_versions_and_polls),
        BOTH_BACKENDS(test_contact_and_host_statuses),
        BOTH_BACKENDS(test_refusals_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
