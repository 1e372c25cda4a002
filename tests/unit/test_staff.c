/* The registry functions behind regctl's staff tools (issue 13 item 8),
 * on both backends: the last versions of an object's history, numbered
 * as the whole history numbers them, and which snapshot fields are times;
 * a domain's registrant confirmations; the ledger entries that name an
 * object; the EPP log's filters and order; the deletion of a registrar,
 * refused while it holds objects or records kept for good name it, and
 * what goes with it when it is allowed. */
#include "regfixture.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/audit.h"
#include "registry/billing.h"
#include "registry/history.h"
#include "registry/host.h"
#include "registry/pending.h"
#include "registry/poll.h"
#include "registry/registrar.h"

/* ---- history ------------------------------------------------------------------------------- */

struct seen {
    int n;
    int64_t version[8];
    char action[8][32];
};

static void note_version(const struct history_version *v, void *arg)
{
    struct seen *s = arg;
    if (s->n < 8) {
        s->version[s->n] = v->version;
        snprintf(s->action[s->n], sizeof s->action[0], "%s", v->action);
    }
    s->n++;
}

static void staff_history_last_versions(void **state)
{
    struct fixture f;
    setup(state, &f, "staff_hist");
    make_contact(&f, "holder", "holder@example.test", "Holder", NULL, NULL, NULL);
    struct reg_op op = staff(&f);
    reg_status st = {0};
    bool changed;
    OK(&f, contact_set_lang(&op, "REGA:HOLDER", "da", &changed, &st));
    OK(&f, contact_set_lang(&op, "REGA:HOLDER", "nb", &changed, &st));
    OK(&f, contact_set_lang(&op, "REGA:HOLDER", "et", &changed, &st));

    struct seen s = {0};
    int64_t total = 0;
    assert_int_equal(history_each_last(f.d, "contact", "REGA:HOLDER", 2, &total, note_version, &s,
                                       &st),
                     REG_OK);
    assert_int_equal(total, 4);
    assert_int_equal(s.n, 2);
    /* the last two, oldest first, with the numbers of the whole history */
    assert_int_equal(s.version[0], 3);
    assert_int_equal(s.version[1], 4);
    assert_string_equal(s.action[0], s.action[1]);
    assert_string_not_equal(s.action[0], "create");

    s = (struct seen){0};
    assert_int_equal(history_each_last(f.d, "contact", "REGA:HOLDER", 10, NULL, note_version, &s,
                                       &st),
                     REG_OK);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.version[0], 1);
    assert_string_equal(s.action[0], "create");
    s = (struct seen){0};
    assert_int_equal(history_each(f.d, "contact", "REGA:HOLDER", note_version, &s, &st), REG_OK);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.version[3], 4);
    /* another kind of the same key, and a key with no history */
    s = (struct seen){0};
    total = -1;
    assert_int_equal(history_each_last(f.d, "host", "REGA:HOLDER", 2, &total, note_version, &s,
                                       &st),
                     REG_OK);
    assert_int_equal(total, 0);
    assert_int_equal(s.n, 0);

    /* the time fields of every snapshot, and some that are not times */
    const char *times[] = {"expires", "accepted", "created_at", "updated_at", "transferred_at",
                           "deadline", "at", "created", "updated", "transferred",
                           "setup_expires_at"};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
        assert_true(history_time_field(times[i]));
    const char *others[] = {"keyTag", "alg", "digestType", "flag", "handle", "name", NULL};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_false(history_time_field(others[i]));
    teardown(&f);
}

/* ---- registrant confirmations ------------------------------------------------------------ */

struct confirmations {
    int n;
    struct pending_view v[4];
    char svtrid[4][48];
};

static void note_confirmation(const struct pending_view *v, const char *svtrid, void *arg)
{
    struct confirmations *c = arg;
    if (c->n < 4) {
        c->v[c->n] = *v;
        snprintf(c->svtrid[c->n], sizeof c->svtrid[0], "%s", svtrid);
    }
    c->n++;
}

/* The snapshot a version stores is the object's JSON with its keys in
 * order, as json_dumps(JSON_COMPACT | JSON_SORT_KEYS) writes it: one that
 * fits history_record_json's buffer on the stack and one of 5,000 bytes
 * that does not (issue 18: written by contrib/jsonout.h). */
struct snapshots {
    int n;
    char *text[2];
};

static void keep_snapshot(const struct history_version *v, void *arg)
{
    struct snapshots *s = arg;
    if (s->n < 2)
        s->text[s->n] = strdup(v->snapshot);
    s->n++;
}

static void staff_history_snapshot_text(void **state)
{
    struct fixture f;
    setup(state, &f, "staff_snap");
    struct reg_op op = staff(&f);
    reg_status st = {0};
    char big[5001];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    json_t *small = json_pack("{s:s,s:i,s:[s,s],s:{s:s,s:b}}", "zeta", "Ørsted \"A/S\"", "alpha",
                              7, "mid", "b", "a", "inner", "z", "1", "a", 1);
    json_t *large = json_pack("{s:s,s:s}", "note", big, "kind", "large");
    char *want[2] = {json_dumps(small, JSON_COMPACT | JSON_SORT_KEYS),
                     json_dumps(large, JSON_COMPACT | JSON_SORT_KEYS)};
    assert_non_null(want[0]);
    assert_non_null(want[1]);
    assert_true(strlen(want[1]) > 2048); /* past the buffer on the stack */
    OK(&f, history_record_json(&op, "host", 1, "snap.test", "create", small, &st));
    OK(&f, history_record_json(&op, "host", 1, "snap.test", "update", large, &st));
    struct snapshots s = {0};
    assert_int_equal(history_each(f.d, "host", "snap.test", keep_snapshot, &s, &st), REG_OK);
    assert_int_equal(s.n, 2);
    for (int i = 0; i < 2; i++) {
        assert_string_equal(s.text[i], want[i]);
        free(s.text[i]);
        free(want[i]);
    }
    teardown(&f);
}

static void staff_confirmations_of_a_domain(void **state)
{
    struct fixture f;
    setup(state, &f, "staff_pending");
    make_contact(&f, "holder", "holder@example.test", "Old Holder", NULL, NULL, NULL);
    make_contact(&f, "buyer", "buyer@example.test", "New Holder", NULL, NULL, NULL);
    make_domain(&f, "sold.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain(&f, "kept.dk", "REGA:HOLDER", NULL, 0, NULL);
    struct reg_op op = op_as(&f, f.a);
    op.svtrid = "SV-CHANGE-1";
    struct domain_update u = {.name = "sold.dk", .chg_registrant = "REGA:BUYER"};
    bool pending = false;
    reg_status st = {0};
    OK(&f, domain_update_request(&op, &u, false, &pending, &st));
    assert_true(pending);

    struct confirmations c = {0};
    struct reg_op s = staff(&f);
    assert_int_equal(pending_each_for_domain(&s, "sold.dk", note_confirmation, &c, &st), REG_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.v[0].kind, "registrantChange");
    assert_string_equal(c.v[0].state, "pending");
    assert_string_equal(c.v[0].registrar_handle, "REGA");
    assert_string_equal(c.v[0].registrant_handle, "REGA:HOLDER");
    assert_string_equal(c.v[0].new_registrant_handle, "REGA:BUYER");
    assert_int_equal(c.v[0].requested_at, T0);
    assert_string_equal(c.svtrid[0], "SV-CHANGE-1");
    /* unanswered past its expiry it is shown expired, job or no job */
    s.now = c.v[0].expires_at;
    c = (struct confirmations){0};
    assert_int_equal(pending_each_for_domain(&s, "sold.dk", note_confirmation, &c, &st), REG_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.v[0].state, "expired");
    c = (struct confirmations){0};
    assert_int_equal(pending_each_for_domain(&s, "kept.dk", note_confirmation, &c, &st), REG_OK);
    assert_int_equal(c.n, 0);
    teardown(&f);
}

/* ---- the ledger of an object ----------------------------------------------------------------- */

struct ledger_seen {
    int n;
    char registrar[4][17], kind[4][16], name[4][64];
    int64_t amount[4];
};

static void note_ledger(const struct ledger_row *r, void *arg)
{
    struct ledger_seen *l = arg;
    if (l->n < 4) {
        snprintf(l->registrar[l->n], sizeof l->registrar[0], "%s", r->registrar);
        snprintf(l->kind[l->n], sizeof l->kind[0], "%s", r->kind);
        snprintf(l->name[l->n], sizeof l->name[0], "%s", r->object_name);
        l->amount[l->n] = r->amount;
    }
    l->n++;
}

#define IDN_A "xn--blbrgrd-fxak7p.dk"
#define IDN_U "bl\xc3\xa5" "b\xc3\xa6" "rgr\xc3\xb8" "d.dk"

static void staff_ledger_of_an_object(void **state)
{
    struct fixture f;
    setup(state, &f, "staff_ledger");
    set_price(&f, "create", 0, 5000, 0, T0 - DAY);
    post_entry(&f, f.a, "credit", 100000, "payment");
    make_contact(&f, "holder", "holder@example.test", "Holder", NULL, NULL, NULL);
    make_domain(&f, IDN_U, "REGA:HOLDER", NULL, 0, NULL);
    make_domain(&f, "other.dk", "REGA:HOLDER", NULL, 0, NULL);
    /* staff refund REGB naming the domain by its U-label */
    struct reg_op op = staff(&f);
    struct ledger_entry le = {.registrar_id = f.b, .amount = 1000, .kind = "refund",
                              .object_kind = "domain", .object_name = IDN_U, .text = "goodwill"};
    reg_status st = {0};
    OK(&f, billing_post(&op, &le, NULL, &st));

    struct ledger_seen l = {0};
    assert_int_equal(billing_object_each(f.d, IDN_A, IDN_U, note_ledger, &l, &st), REG_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.registrar[0], "REGA");
    assert_string_equal(l.kind[0], "debit");
    assert_string_equal(l.name[0], IDN_A);
    assert_int_equal(l.amount[0], -5000);
    assert_string_equal(l.registrar[1], "REGB");
    assert_string_equal(l.kind[1], "refund");
    assert_int_equal(l.amount[1], 1000);
    l = (struct ledger_seen){0};
    assert_int_equal(billing_object_each(f.d, "other.dk", NULL, note_ledger, &l, &st), REG_OK);
    assert_int_equal(l.n, 1);
    l = (struct ledger_seen){0};
    assert_int_equal(billing_object_each(f.d, "none.dk", NULL, note_ledger, &l, &st), REG_OK);
    assert_int_equal(l.n, 0);

    bool yes = false;
    assert_int_equal(billing_has_entries(f.d, f.a, &yes, &st), REG_OK);
    assert_true(yes);
    assert_int_equal(billing_has_entries(f.d, f.c, &yes, &st), REG_OK);
    assert_false(yes);
    teardown(&f);
}

/* ---- the EPP log ----------------------------------------------------------------------------- */

static void log_command(struct fixture *f, reg_time at, int64_t registrar, const char *clid,
                        const char *svtrid, const char *cltrid, const char *command,
                        const char *request, const char *response)
{
    struct audit_entry a = {.at = at, .registrar_id = registrar, .clid = clid,
                            .session_id = "S1", .peer = "192.0.2.1", .svtrid = svtrid,
                            .cltrid = cltrid, .command = command, .result_code = 1000,
                            .duration_us = 10, .request = request, .response = response};
    reg_status st = {0};
    OK(f, audit_epp_record(f->d, &a, &st));
}

struct log_seen {
    int n;
    char svtrid[8][32];
    bool full;
};

static void note_entry(const struct audit_entry *a, void *arg)
{
    struct log_seen *l = arg;
    if (l->n < 8)
        snprintf(l->svtrid[l->n], sizeof l->svtrid[0], "%s", a->svtrid);
    l->full = a->request != NULL;
    l->n++;
}

/* The svTRIDs the filter finds, newest first, joined by spaces. */
static const char *found(struct fixture *f, const struct audit_filter *flt)
{
    static char out[256];
    struct log_seen l = {0};
    reg_status st = {0};
    if (audit_epp_each(f->d, flt, note_entry, &l, &st))
        fail_msg("audit_epp_each: %s", reg_status_text(&st));
    out[0] = '\0';
    for (int i = 0; i < l.n && i < 8; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? " " : "", l.svtrid[i]);
    return out;
}

static void staff_epp_log_filters_and_order(void **state)
{
    struct fixture f;
    setup(state, &f, "staff_epplog");
    log_command(&f, T0, f.a, "REGA", "SV-1", "A-1", "domain:create",
                "<domain:create><domain:name>" IDN_U "</domain:name></domain:create>",
                "<domain:creData><domain:name>" IDN_A "</domain:name></domain:creData>");
    log_command(&f, T0 + 1, f.a, "REGA", "SV-2", "A-2", "domain:info",
                "<domain:info><domain:name>EXAMPLE.dk</domain:name></domain:info>", "<ok/>");
    log_command(&f, T0 + 2, f.b, "REGB", "SV-3", "B-1", "domain:info",
                "<domain:info><domain:name>" IDN_A "</domain:name></domain:info>", "<ok/>");
    log_command(&f, T0 + 3, 0, "rega", "SV-4", NULL, "login", "<login>[redacted]</login>",
                "<fail/>");
    log_command(&f, T0 + 4, f.b, "REGB", "SV-5", "B-2", "contact:info",
                "<contact:info><contact:id>axb</contact:id></contact:info>", "<ok/>");

    /* newest first, a limit takes the newest */
    assert_string_equal(found(&f, &(struct audit_filter){0}), "SV-5 SV-4 SV-3 SV-2 SV-1");
    assert_string_equal(found(&f, &(struct audit_filter){.limit = 2}), "SV-5 SV-4");
    assert_string_equal(found(&f, &(struct audit_filter){.since = T0 + 2}), "SV-5 SV-4 SV-3");
    /* a date range's end is exclusive; a page after the newest `offset` (the portal) */
    assert_string_equal(found(&f, &(struct audit_filter){.until = T0 + 2}), "SV-2 SV-1");
    assert_string_equal(found(&f, &(struct audit_filter){.since = T0 + 1, .until = T0 + 4}),
                        "SV-4 SV-3 SV-2");
    assert_string_equal(found(&f, &(struct audit_filter){.offset = 1, .limit = 2}), "SV-4 SV-3");
    assert_string_equal(found(&f, &(struct audit_filter){.offset = 4}), "SV-1");
    assert_string_equal(
        found(&f, &(struct audit_filter){.registrar = "REGA", .offset = 1, .limit = 1}), "SV-2");
    /* a failed login is the registrar's by the clid it gave */
    assert_string_equal(found(&f, &(struct audit_filter){.registrar = "REGA"}), "SV-4 SV-2 SV-1");
    assert_string_equal(found(&f, &(struct audit_filter){.svtrid = "SV-3"}), "SV-3");
    assert_string_equal(found(&f, &(struct audit_filter){.svtrid = "SV-"}), "");
    assert_string_equal(found(&f, &(struct audit_filter){.cltrid = "A-2"}), "SV-2");
    /* an object by either of its labels, in the request or the response */
    assert_string_equal(found(&f, &(struct audit_filter){.objects = {IDN_A, IDN_U}}),
                        "SV-3 SV-1");
    assert_string_equal(found(&f, &(struct audit_filter){.objects = {IDN_U}}), "SV-1");
    assert_string_equal(found(&f, &(struct audit_filter){.objects = {"example.dk"}}), "SV-2");
    assert_string_equal(found(&f, &(struct audit_filter){.objects = {"example"}}), "");
    /* LIKE's own characters are only themselves */
    assert_string_equal(found(&f, &(struct audit_filter){.objects = {"a_b"}}), "");
    assert_string_equal(found(&f, &(struct audit_filter){.objects = {"%"}}), "");
    assert_string_equal(found(&f, &(struct audit_filter){.objects = {"AXB"}}), "SV-5");
    /* criteria together */
    assert_string_equal(
        found(&f, &(struct audit_filter){.registrar = "REGB", .objects = {IDN_A, IDN_U}}),
        "SV-3");
    assert_string_equal(found(&f, &(struct audit_filter){.registrar = "REGB", .cltrid = "A-1"}),
                        "");
    /* the request and response only when asked */
    struct log_seen l = {0};
    reg_status st = {0};
    assert_int_equal(audit_epp_each(f.d, &(struct audit_filter){.svtrid = "SV-1", .full = true},
                                    note_entry, &l, &st),
                     REG_OK);
    assert_true(l.full);
    l = (struct log_seen){0};
    assert_int_equal(audit_epp_each(f.d, &(struct audit_filter){.svtrid = "SV-1"}, note_entry, &l,
                                    &st),
                     REG_OK);
    assert_false(l.full);

    /* a command of a registrar deleted while its session was open: kept,
     * with its clid */
    log_command(&f, T0 + 5, 987654, "GONE", "SV-6", NULL, "domain:check", "<check/>", "<ok/>");
    assert_int_equal(scalar_or(&f, "SELECT registrar_id FROM epp_log WHERE svtrid = 'SV-6'", NULL,
                               -1),
                     -1);
    assert_string_equal(found(&f, &(struct audit_filter){.registrar = "GONE"}), "SV-6");
    teardown(&f);
}

/* ---- deleting a registrar --------------------------------------------------------------------- */

static reg_err delete_registrar(struct fixture *f, const char *handle,
                                struct registrar_deletion *out, reg_status *st)
{
    struct reg_op op = staff(f);
    return registrar_delete(&op, handle, out, st);
}

static void staff_registrar_delete_refused_naming_what_ties_it(void **state)
{
    struct fixture f;
    setup(state, &f, "staff_regdel_no");
    reg_status st = {0};
    struct registrar_deletion out;
    EXPECT_REASON(&f, delete_registrar(&f, "NOBODY", &out, &st), REG_ERR_NOT_FOUND, st,
                  "registrar NOBODY does not exist");

    /* REGC holds objects */
    make_person(&f, f.c, "holder", "holder@example.test", "Holder", NULL);
    make_host(&f, f.c, "ns1.example.net", NULL);
    make_host(&f, f.c, "ns2.example.net", NULL);
    struct domain_create in = {.name = "gamma.dk", .period_months = 12,
                               .registrant = "REGC:HOLDER", .authinfo = "Xfer-Pw-1", TERMS};
    make_domain_as(&f, f.c, &in);
    EXPECT_REASON(&f, delete_registrar(&f, "regc", &out, &st), REG_ERR_ASSOCIATION, st,
                  "registrar REGC still sponsors 1 domain, 1 contact, 2 hosts and 1 registrant "
                  "account: transfer or delete them first");

    /* REGB paid once: the ledger keeps it */
    post_entry(&f, f.b, "credit", 1000, "payment");
    EXPECT_REASON(&f, delete_registrar(&f, "REGB", &out, &st), REG_ERR_ASSOCIATION, st,
                  "registrar REGB is named in 1 ledger entry, records kept for good: disable it "
                  "instead");

    /* REGA takes gamma.dk: REGC is the losing party of a transfer and the
     * creator of a domain REGA now sponsors */
    struct reg_op a = op_as(&f, f.a);
    struct domain_transfer_info t;
    bool pending;
    OK(&f, domain_transfer(&a, XFER_REQUEST, "gamma.dk", AUTH("Xfer-Pw-1"), 0, &t, &pending, &st));
    assert_string_equal(t.status, "serverApproved");
    struct reg_op c = op_as(&f, f.c);
    OK(&f, host_delete(&c, "ns1.example.net", &st));
    OK(&f, host_delete(&c, "ns2.example.net", &st));
    EXPECT_REASON(&f, delete_registrar(&f, "REGC", &out, &st), REG_ERR_ASSOCIATION, st,
                  "registrar REGC still sponsors 1 contact and 1 registrant account (transfer or "
                  "delete them first) and is named in 1 transfer and 1 other registrar's domain, "
                  "records kept for good: disable it instead");
    /* nothing went: its credentials and its contact are there */
    assert_int_equal(registrar_id_by_handle(f.d, "REGC"), f.c);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM contact WHERE handle = ?", "REGC:HOLDER"),
                     1);
    teardown(&f);
}

static void staff_registrar_delete_takes_what_has_no_history_value(void **state)
{
    struct fixture f;
    setup(state, &f, "staff_regdel_ok");
    const char *fp = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    struct registrar_new r = {.handle = "temp", .name = "Temporary", .password = FIXTURE_PW,
                              .certs = {fp}, .ncerts = 1, .prefixes = {"192.0.2.0/24"},
                              .nprefixes = 1};
    int64_t id = 0;
    reg_status st = {0};
    /* registrar_insert runs in the caller's transaction */
    OK(&f, registrar_insert(f.d, &r, &id, &st));
    assert_true(id > 0);
    assert_int_equal(registrar_id_by_handle(f.d, "TEMP"), id);

    /* what it leaves behind: a queued message, a price override, a rebate,
     * a logged command, a contact made and deleted over EPP */
    char handle[REGISTRAR_HANDLE_MAX + 1];
    OK(&f, poll_staff_notice(f.d, "TEMP", "welcome", handle, &st));
    set_price(&f, "create", 0, 4000, id, T0);
    struct reg_op s = staff(&f);
    OK(&f, billing_rebate_set(&s, id, 500, T0, &st));
    log_command(&f, T0, id, "TEMP", "SV-T1", "T-1", "contact:create", "<create/>", "<ok/>");
    struct reg_op op = op_as(&f, 0);
    op.registrar_id = id;
    op.actor = "TEMP";
    op.channel = "epp";
    struct contact_create_req req;
    memset(&req, 0, sizeof req);
    req.id = (char *)"short";
    req.d.postal[CONTACT_LOC] = (struct contact_postal){
        .present = true, .name = (char *)"Short Lived", .city = (char *)"London", .cc = (char *)"GB"};
    req.d.email = (char *)"short@example.test";
    char stored[CONTACT_ID_MAX + 1];
    OK(&f, contact_create(&op, &req, stored, &st));
    OK(&f, contact_delete(&op, stored, &st));

    struct registrar_deletion out;
    OK(&f, delete_registrar(&f, "Temp", &out, &st));
    assert_int_equal(out.poll_messages, 1);
    assert_int_equal(out.prices, 1);
    assert_int_equal(out.rebates, 1);
    assert_int_equal(out.certificates, 1);
    assert_int_equal(out.addresses, 1);
    assert_int_equal(out.log_entries, 1);
    assert_int_equal(out.versions, 2); /* the contact's create and delete */

    assert_int_equal(registrar_id_by_handle(f.d, "TEMP"), 0);
    struct registrar gone;
    EXPECT(&f, registrar_get(f.d, "TEMP", &gone, &st), REG_ERR_NOT_FOUND, st);
    /* the log and the contact's history name it by handle */
    assert_string_equal(found(&f, &(struct audit_filter){.registrar = "TEMP"}), "SV-T1");
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM history WHERE actor = ? AND registrar_id "
                                "IS NULL",
                            "TEMP"),
                     2);
    /* its own last version, by staff, without its password */
    struct versions *v = history_of(&f, "registrar", "TEMP");
    assert_int_equal(v->n, 1);
    assert_string_equal(v->v[0].action, "delete");
    assert_string_equal(v->v[0].actor, "staff");
    assert_string_equal(v->v[0].channel, "regctl");
    assert_contains(v->v[0].snapshot, "\"name\":\"Temporary\"");
    assert_contains(v->v[0].snapshot, fp);
    assert_contains(v->v[0].snapshot, "192.0.2.0/24");
    assert_null(strstr(v->v[0].snapshot, "argon2"));
    free(v);
    /* the handle is free again; a second delete finds nothing */
    EXPECT(&f, delete_registrar(&f, "TEMP", &out, &st), REG_ERR_NOT_FOUND, st);
    struct registrar_new again = {.handle = "TEMP", .name = "Again", .password = FIXTURE_PW};
    EXPECT_OWN_TX(registrar_add(f.d, &again, &st), REG_OK, st);
    teardown(&f);
}

static void staff_registrar_insert_rolls_back_with_its_transaction(void **state)
{
    struct fixture f;
    setup(state, &f, "staff_reginsert");
    struct registrar_new r = {.handle = "later", .name = "Later", .password = FIXTURE_PW};
    int64_t id = 0;
    reg_status st = {0};
    assert_int_equal(db_begin(f.d), REG_OK);
    assert_int_equal(registrar_insert(f.d, &r, &id, &st), REG_OK);
    assert_true(id > 0);
    assert_int_equal(db_rollback(f.d), REG_OK);
    assert_int_equal(registrar_id_by_handle(f.d, "LATER"), 0);
    /* the rules of registrar_add */
    struct registrar_new dup = {.handle = "rega", .name = "Dup", .password = FIXTURE_PW};
    EXPECT_REASON(&f, registrar_insert(f.d, &dup, &id, &st), REG_ERR_EXISTS, st,
                  "registrar REGA already exists");
    struct registrar_new bad = {.handle = "x", .name = "Bad", .password = FIXTURE_PW};
    EXPECT(&f, registrar_insert(f.d, &bad, &id, &st), REG_ERR_INVALID, st);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(staff_history_last_versions),
        BOTH_BACKENDS(staff_history_snapshot_text),
        BOTH_BACKENDS(staff_confirmations_of_a_domain),
        BOTH_BACKENDS(staff_ledger_of_an_object),
        BOTH_BACKENDS(staff_epp_log_filters_and_order),
        BOTH_BACKENDS(staff_registrar_delete_refused_naming_what_ties_it),
        BOTH_BACKENDS(staff_registrar_delete_takes_what_has_no_history_value),
        BOTH_BACKENDS(staff_registrar_insert_rolls_back_with_its_transaction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
