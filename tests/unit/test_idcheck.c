/* Identity checks of registrants (src/registry/idcheck.c) on both backends:
 * R21 the state machine (none → pending with a deadline when a contact
 * first becomes a registrant, verified, failed), staff decisions, the test
 * eID provider, history (R40) and the mails; R22 the deadline pass: a
 * pending check past its deadline fails, a failed registrant's domains get
 * serverHold and are deleted delete_after later unless the registrant is
 * verified meanwhile, and a failed registrant cannot hold new domains
 * (REG_ERR_POLICY, EPP 2306). Time moves through reg_op.now. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "registry/contact.h"
#include "registry/idcheck.h"
#include "registry/poll.h"
#include "store/db.h"

#define DEADLINE (25 * DAY)
#define DELETE_AFTER (30 * DAY)

/* The shared fixture with identity checks on ([idcheck] defaults). */
static void setup_idcheck(void **state, struct fixture *f, const char *base)
{
    setup(state, f, base);
    f->policy.idcheck_enabled = true;
    f->policy.idcheck_deadline = DEADLINE;
    f->policy.idcheck_delete_after = DELETE_AFTER;
    f->policy.idcheck_documents = "ID Desk, Registry, Box 1, 1000 City";
}

/* A person REGA:<id> named Jens Hansen, with ident priv DK <ident> (or none). */
static void person(struct fixture *f, const char *id, const char *email, const char *ident)
{
    make_contact(f, id, email, "Jens Hansen", ident ? "priv" : NULL, ident, ident ? "DK" : NULL);
}

static reg_err create_domain(struct fixture *f, const char *name, const char *registrant,
                             reg_status *st)
{
    struct domain_create in = {.name = name, .period_months = 12, .registrant = registrant, TERMS};
    struct reg_op op = op_as(f, f->a);
    return domain_create(&op, &in, NULL, st);
}

/* The contact as its sponsor sees it. */
static void info(struct fixture *f, const char *handle, struct contact *k)
{
    struct reg_op op = op_as(f, f->a);
    reg_status st = {0};
    if (contact_info(&op, handle, NULL, k, &st))
        fail_msg("contact_info %s: %s", handle, reg_status_text(&st));
}

static void assert_state(struct fixture *f, const char *handle, const char *state,
                         reg_time deadline)
{
    struct contact k;
    info(f, handle, &k);
    assert_string_equal(k.idcheck_state, state);
    assert_int_equal(k.idcheck_deadline, deadline);
    contact_free(&k);
}

/* --- history and poll ---------------------------------------------------------------- */

/* The last history action of the object (and its actor). */
static const char *last_action(struct fixture *f, const char *kind, const char *key,
                               const char **actor)
{
    static struct version last;
    struct versions *h = history_of(f, kind, key);
    assert_true(h->n > 0);
    last = h->v[h->n - 1];
    free(h);
    if (actor)
        *actor = last.actor;
    return last.action;
}

/* --- domains ------------------------------------------------------------------------- */

static bool domain_exists(struct fixture *f, const char *name)
{
    return scalar(f, "SELECT COUNT(*) FROM domain WHERE name = ?", name) == 1;
}

/* The message of the domain's serverHold, "" without a message, NULL without the status. */
static const char *hold_message(struct fixture *f, const char *name)
{
    static char msg[128];
    db_stmt *s = db_query(f->d, "SELECT o.message FROM object_status o JOIN domain d ON d.id = "
                                "o.object_id WHERE o.object_kind = 'domain' AND o.status = "
                                "'serverHold' AND d.name = ?");
    db_bind_text(s, 1, name);
    bool held = db_next(s);
    if (held)
        snprintf(msg, sizeof msg, "%s", db_col_text(s, 0) ? db_col_text(s, 0) : "");
    assert_int_equal(db_done(s), REG_OK);
    return held ? msg : NULL;
}

static reg_time delete_at(struct fixture *f, const char *name)
{
    return scalar(f, "SELECT idcheck_delete_at FROM domain WHERE name = ?", name);
}

static struct idcheck_run run_pass(struct fixture *f, reg_time when)
{
    f->now = when;
    struct reg_op op = op_as(f, 0);
    op.actor = "job:idcheck-deadline";
    struct idcheck_run r;
    reg_status st;
    EXPECT(f, idcheck_deadline_pass(&op, &r, &st), REG_OK, st);
    return r;
}

static void decide(struct fixture *f, const char *handle, bool verified, const char *method,
                   const char *note, reg_err want, int want_domains)
{
    struct reg_op op = staff(f);
    reg_status st;
    int domains = -1;
    EXPECT(f, idcheck_decide(&op, handle, verified, method, note, &domains, &st), want, st);
    if (!want)
        assert_int_equal(domains, want_domains);
}

/* --- R21 ----------------------------------------------------------------------------- */

static void test_R21_registrant_becomes_pending(void **state)
{
    struct fixture f;
    setup_idcheck(state, &f, "r21_pending");
    person(&f, "holder", "holder@example.test", "0102031234");
    person(&f, "admin", "admin@example.test", NULL);
    person(&f, "buyer", "buyer@example.test", NULL);
    assert_state(&f, "REGA:HOLDER", "none", 0);
    assert_int_equal(take_mails(&f)->n, 0);

    /* its first domain: pending, deadline 25 days on, one mail */
    const struct domain_contact admin = {.role = "admin", .handle = "REGA:ADMIN"};
    make_domain(&f, "shared.dk", "REGA:HOLDER", &admin, 1, NULL);
    assert_state(&f, "REGA:HOLDER", "pending", T0 + DEADLINE);
    assert_state(&f, "REGA:ADMIN", "none", 0); /* only registrants are checked */
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->to[0], "holder@example.test");
    assert_string_equal(ms->cause[0], "idcheck-pending");
    assert_string_equal(ms->subject[0], "Please confirm your identity by 2027-01-26");
    assert_contains(ms->body[0], "Hello Jens Hansen,");
    assert_contains(ms->body[0], "Contact REGA:HOLDER is now the registrant (holder) of the "
                                 "domain shared.dk.");
    assert_contains(ms->body[0], "Please confirm your identity by 2027-01-26:");
    assert_contains(ms->body[0], "Quote your contact id REGA:HOLDER.");
    assert_contains(ms->body[0], "its registration certificate, to ID Desk, Registry, Box 1, "
                                 "1000 City.");
    assert_contains(ms->body[0], "deleted 30 days later");
    assert_contains(ms->body[0], "Alpha Registrar (REGA)");
    const char *actor;
    assert_string_equal(last_action(&f, "contact", "REGA:HOLDER", &actor), "idcheck-pending");
    assert_string_equal(actor, "REGA");

    /* a second domain a day later: the same deadline, no mail */
    f.now = T0 + DAY;
    make_domain(&f, "second.dk", "REGA:HOLDER", NULL, 0, NULL);
    assert_state(&f, "REGA:HOLDER", "pending", T0 + DEADLINE);
    assert_int_equal(take_mails(&f)->n, 0);

    /* a change of registrant starts the new registrant's check (R6) */
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    struct domain_update u = {.name = "second.dk", .chg_registrant = "REGA:BUYER"};
    EXPECT(&f, domain_update(&op, &u, &st), REG_OK, st);
    assert_state(&f, "REGA:BUYER", "pending", T0 + DAY + DEADLINE);
    ms = take_mails(&f);
    int pending = 0;
    for (int i = 0; i < ms->n; i++)
        if (!strcmp(ms->cause[i], "idcheck-pending")) {
            pending++;
            assert_string_equal(ms->to[i], "buyer@example.test");
            assert_contains(ms->body[i], "of the domain second.dk.");
        }
    assert_int_equal(pending, 1);

    /* a create that fails takes the new check (and its mail) with it */
    person(&f, "late", "late@example.test", NULL);
    take_mails(&f);
    EXPECT(&f, create_domain(&f, "second.dk", "REGA:LATE", &st), REG_ERR_EXISTS, st);
    assert_state(&f, "REGA:LATE", "none", 0);
    assert_int_equal(take_mails(&f)->n, 0);

    /* [idcheck] enabled = false: nothing starts */
    f.policy.idcheck_enabled = false;
    make_domain(&f, "unchecked.dk", "REGA:LATE", NULL, 0, NULL);
    assert_state(&f, "REGA:LATE", "none", 0);
    assert_int_equal(take_mails(&f)->n, 0);
    teardown(&f);
}

static void test_R21_staff_decisions(void **state)
{
    struct fixture f;
    setup_idcheck(state, &f, "r21_staff");
    person(&f, "holder", "holder@example.test", "0102031234");
    make_domain(&f, "holder.dk", "REGA:HOLDER", NULL, 0, NULL);
    take_mails(&f);

    /* bad input changes nothing */
    decide(&f, "REGA:HOLDER", true, "letter", "passport seen", REG_ERR_INVALID, 0);
    decide(&f, "REGA:HOLDER", true, "documents", "", REG_ERR_MISSING, 0);
    decide(&f, "REGA:NOBODY", true, "documents", "passport seen", REG_ERR_NOT_FOUND, 0);
    decide(&f, "bad id!", true, "documents", "passport seen", REG_ERR_INVALID, 0);
    assert_state(&f, "REGA:HOLDER", "pending", T0 + DEADLINE);

    f.now = T0 + 3 * DAY;
    decide(&f, "rega:holder", true, "documents", "passport AB123 seen", REG_OK, 0);
    struct contact k;
    info(&f, "REGA:HOLDER", &k);
    assert_string_equal(k.idcheck_state, "verified");
    assert_int_equal(k.idcheck_deadline, 0);
    assert_string_equal(k.idcheck_method, "documents");
    assert_string_equal(k.idcheck_by, "staff");
    assert_int_equal(k.idcheck_at, T0 + 3 * DAY);
    assert_string_equal(k.idcheck_note, "passport AB123 seen");
    contact_free(&k);
    assert_string_equal(last_action(&f, "contact", "REGA:HOLDER", NULL), "idcheck-verified");
    assert_int_equal(take_mails(&f)->n, 0);

    /* only the sponsor sees the check: not another registrar with the auth info */
    struct reg_op opa = op_as(&f, f.a), opb = op_as(&f, f.b);
    reg_status st = {0};
    struct contact_update_req pw = {.id = "REGA:HOLDER", .authinfo = "Contact-pw1"};
    EXPECT(&f, contact_update(&opa, &pw, &st), REG_OK, st);
    assert_int_equal(contact_info(&opb, "REGA:HOLDER", "Contact-pw1", &k, &st), REG_OK);
    assert_string_equal(k.idcheck_state, "none");
    assert_string_equal(k.idcheck_method, "");
    assert_null(k.idcheck_note);
    contact_free(&k);

    /* twice is refused, with what is recorded */
    decide(&f, "REGA:HOLDER", true, "eid", "again", REG_ERR_POLICY, 0);
    /* staff may revoke it (fraud found later) */
    decide(&f, "REGA:HOLDER", false, "documents", "passport reported stolen", REG_OK, 1);
    assert_state(&f, "REGA:HOLDER", "failed", 0);
    assert_string_equal(last_action(&f, "contact", "REGA:HOLDER", NULL), "idcheck-failed");
    decide(&f, "REGA:HOLDER", false, "documents", "again", REG_ERR_POLICY, 0);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->cause[0], "idcheck-failed");
    assert_string_equal(ms->subject[0], "Identity check failed: your domains are suspended");
    assert_contains(ms->body[0], "could not confirm the identity of contact REGA:HOLDER");
    assert_contains(ms->body[0], "  holder.dk  deleted on 2027-02-03\n");
    /* the staff note is internal */
    assert_null(strstr(ms->body[0], "stolen"));

    /* a contact that holds nothing may be decided too, and hears so */
    person(&f, "spare", "spare@example.test", NULL);
    decide(&f, "REGA:SPARE", false, "documents", "forged papers", REG_OK, 0);
    ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->subject[0], "Identity check failed");
    assert_contains(ms->body[0], "cannot hold domain names");
    teardown(&f);
}

static void test_R21_test_provider(void **state)
{
    struct fixture f;
    setup_idcheck(state, &f, "r21_provider");
    const struct idcheck_provider *p = idcheck_provider_find("test");
    assert_non_null(p);
    assert_string_equal(p->name, "test");
    assert_null(idcheck_provider_find("none"));
    assert_null(idcheck_provider_find("mitid"));
    /* [idcheck] provider offers exactly the providers compiled in */
    assert_string_equal(idcheck_provider_names(), CONFIG_IDCHECK_PROVIDERS);

    /* the provider alone: deterministic */
    char reason[IDCHECK_REASON_MAX];
    struct idcheck_subject who = {.handle = "REGA:X", .ident_type = "priv",
                                  .ident_value = "0102031234", .ident_cc = "DK"};
    assert_int_equal(p->verify(&who, "DK:0102031234", reason), IDCHECK_VERIFIED);
    assert_int_equal(p->verify(&who, "dk:0102031234", reason), IDCHECK_VERIFIED);
    assert_int_equal(p->verify(&who, "DK:0102039999", reason), IDCHECK_FAILED);
    assert_contains(reason, "does not match");
    assert_int_equal(p->verify(&who, "SE:0102031234", reason), IDCHECK_FAILED);
    assert_int_equal(p->verify(&who, "match", reason), IDCHECK_ERROR);
    assert_contains(reason, "CC:IDENT");
    assert_int_equal(p->verify(&who, "DK:", reason), IDCHECK_ERROR);
    who.ident_value = NULL;
    assert_int_equal(p->verify(&who, "DK:0102031234", reason), IDCHECK_FAILED);

    /* through the registry */
    person(&f, "holder", "holder@example.test", "0102031234");
    make_domain(&f, "holder.dk", "REGA:HOLDER", NULL, 0, NULL);
    take_mails(&f);
    struct reg_op op = staff(&f);
    reg_status st;
    idcheck_outcome out;
    int domains;
    EXPECT(&f, idcheck_eid(&op, NULL, "REGA:HOLDER", "DK:0102031234", &out, &domains, &st),
           REG_ERR_CONFIG, st);
    EXPECT(&f, idcheck_eid(&op, p, "REGA:HOLDER", "garbage", &out, &domains, &st), REG_ERR_IO,
           st);
    assert_int_equal(out, IDCHECK_ERROR);
    assert_contains(st.reason, "eID provider test: ");
    assert_state(&f, "REGA:HOLDER", "pending", T0 + DEADLINE); /* an error decides nothing */

    /* a mismatch fails the check (and suspends), a match later verifies it */
    EXPECT(&f, idcheck_eid(&op, p, "REGA:HOLDER", "DK:9999999999", &out, &domains, &st), REG_OK,
           st);
    assert_int_equal(out, IDCHECK_FAILED);
    assert_int_equal(domains, 1);
    assert_state(&f, "REGA:HOLDER", "failed", 0);
    assert_string_equal(hold_message(&f, "holder.dk"), IDCHECK_HOLD_MESSAGE);
    EXPECT(&f, idcheck_eid(&op, p, "REGA:HOLDER", "DK:0102031234", &out, &domains, &st), REG_OK,
           st);
    assert_int_equal(out, IDCHECK_VERIFIED);
    assert_int_equal(domains, 1);
    struct contact k;
    info(&f, "REGA:HOLDER", &k);
    assert_string_equal(k.idcheck_state, "verified");
    assert_string_equal(k.idcheck_method, "eid");
    assert_string_equal(k.idcheck_note,
                        "eID provider test: the eID identity matches the contact's ident (priv, "
                        "DK)");
    contact_free(&k);
    assert_null(hold_message(&f, "holder.dk"));
    EXPECT(&f, idcheck_eid(&op, p, "REGA:HOLDER", "DK:0102031234", &out, &domains, &st),
           REG_ERR_POLICY, st);
    teardown(&f);
}

/* --- R22 ------------------------------------------------------------------------------ */

static void test_R22_deadline_fails_suspends_deletes(void **state)
{
    struct fixture f;
    setup_idcheck(state, &f, "r22_deadline");
    person(&f, "holder", "holder@example.test", "0102031234");
    person(&f, "other", "other@example.test", NULL);
    person(&f, "third", "third@example.test", NULL);
    make_domain(&f, "one.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain(&f, "two.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain(&f, "kept.dk", "REGA:OTHER", NULL, 0, NULL);
    make_domain(&f, "three.dk", "REGA:THIRD", NULL, 0, NULL);
    decide(&f, "REGA:OTHER", true, "documents", "passport", REG_OK, 0);
    take_mails(&f);
    drain_poll(&f, f.a);

    /* a second before the deadline: nothing */
    struct idcheck_run r = run_pass(&f, T0 + DEADLINE - 1);
    assert_int_equal(r.failed + r.suspended + r.deleted, 0);
    /* at the deadline: failed, both domains on hold and scheduled */
    reg_time failed_at = T0 + DEADLINE;
    r = run_pass(&f, failed_at);
    assert_int_equal(r.failed, 2);
    assert_int_equal(r.suspended, 3);
    assert_int_equal(r.deleted, 0);
    assert_state(&f, "REGA:HOLDER", "failed", 0);
    assert_state(&f, "REGA:THIRD", "failed", 0);
    assert_string_equal(hold_message(&f, "three.dk"), IDCHECK_HOLD_MESSAGE);
    const char *actor;
    assert_string_equal(last_action(&f, "contact", "REGA:HOLDER", &actor), "idcheck-failed");
    assert_string_equal(actor, "job:idcheck-deadline");
    for (int i = 0; i < 2; i++) {
        const char *name = i ? "two.dk" : "one.dk";
        assert_string_equal(hold_message(&f, name), IDCHECK_HOLD_MESSAGE);
        assert_int_equal(delete_at(&f, name), failed_at + DELETE_AFTER);
        assert_string_equal(last_action(&f, "domain", name, NULL), "idcheck-hold");
    }
    assert_null(hold_message(&f, "kept.dk"));
    /* the sponsor hears of each, the registrant gets one mail */
    const char *poll = drain_poll(&f, f.a);
    assert_contains(poll, "Registry update of one.dk: registrant failed identity check; "
                          "deletion on 2027-02-25");
    assert_contains(poll, "Registry update of two.dk: registrant failed identity check");
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 2);
    assert_string_equal(ms->to[1], "third@example.test");
    assert_contains(ms->body[1], "  three.dk  deleted on 2027-02-25\n");
    assert_string_equal(ms->to[0], "holder@example.test");
    assert_string_equal(ms->cause[0], "idcheck-failed");
    assert_contains(ms->body[0], "was not confirmed by 2027-01-26");
    assert_contains(ms->body[0], "  one.dk  deleted on 2027-02-25\n  two.dk  deleted on "
                                 "2027-02-25\n");

    /* idempotent */
    r = run_pass(&f, failed_at + DAY);
    assert_int_equal(r.started + r.failed + r.suspended + r.lifted + r.deleted, 0);
    assert_int_equal(take_mails(&f)->n, 0);

    /* a second before the deletion: still there; then gone, the sponsor told */
    r = run_pass(&f, failed_at + DELETE_AFTER - 1);
    assert_int_equal(r.deleted, 0);
    assert_true(domain_exists(&f, "one.dk"));
    r = run_pass(&f, failed_at + DELETE_AFTER);
    assert_int_equal(r.deleted, 3);
    assert_false(domain_exists(&f, "one.dk"));
    assert_false(domain_exists(&f, "two.dk"));
    assert_true(domain_exists(&f, "kept.dk"));
    assert_string_equal(last_action(&f, "domain", "one.dk", NULL), "purge");
    poll = drain_poll(&f, f.a);
    assert_contains(poll, "Registry autoPurge of one.dk");
    assert_contains(poll, "Registry autoPurge of two.dk");
    /* the name is free again */
    person(&f, "new", "new@example.test", NULL);
    make_domain(&f, "one.dk", "REGA:NEW", NULL, 0, NULL);
    teardown(&f);
}

static void test_R22_verified_meanwhile_lifts_hold(void **state)
{
    struct fixture f;
    setup_idcheck(state, &f, "r22_lift");
    person(&f, "holder", "holder@example.test", "0102031234");
    person(&f, "heir", "heir@example.test", NULL);
    make_domain(&f, "saved.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain(&f, "court.dk", "REGA:HOLDER", NULL, 0, NULL);
    make_domain(&f, "moved.dk", "REGA:HOLDER", NULL, 0, NULL);
    /* a serverHold of staff's own is not the identity check's */
    exec_sql(&f, "INSERT INTO object_status (object_kind, object_id, status, message) SELECT "
                 "'domain', id, 'serverHold', 'court order' FROM domain WHERE name = 'court.dk'");
    reg_time failed_at = T0 + DEADLINE;
    struct idcheck_run r = run_pass(&f, failed_at);
    assert_int_equal(r.suspended, 3);
    assert_string_equal(hold_message(&f, "court.dk"), "court order");
    assert_int_equal(delete_at(&f, "court.dk"), failed_at + DELETE_AFTER);

    /* moved.dk gets another registrant: its suspension stays until that one is verified */
    f.now = failed_at + DAY;
    struct reg_op op = op_as(&f, f.a);
    reg_status st;
    struct domain_update u = {.name = "moved.dk", .chg_registrant = "REGA:HEIR"};
    EXPECT(&f, domain_update(&op, &u, &st), REG_OK, st);
    assert_state(&f, "REGA:HEIR", "pending", f.now + DEADLINE);
    drain_poll(&f, f.a);

    /* verified: every hold for this reason lifted, deletions cancelled */
    f.now = failed_at + 10 * DAY;
    decide(&f, "REGA:HOLDER", true, "documents", "papers arrived late", REG_OK, 2);
    assert_null(hold_message(&f, "saved.dk"));
    assert_int_equal(delete_at(&f, "saved.dk"), 0);
    assert_string_equal(last_action(&f, "domain", "saved.dk", NULL), "idcheck-lift");
    assert_string_equal(hold_message(&f, "court.dk"), "court order");
    assert_int_equal(delete_at(&f, "court.dk"), 0);
    assert_string_equal(hold_message(&f, "moved.dk"), IDCHECK_HOLD_MESSAGE);
    const char *poll = drain_poll(&f, f.a);
    assert_contains(poll, "Registry update of saved.dk: identity verified: hold lifted");

    /* the new registrant is verified before the deletion date */
    decide(&f, "REGA:HEIR", true, "eid", "MitID", REG_OK, 1);
    assert_null(hold_message(&f, "moved.dk"));
    r = run_pass(&f, failed_at + DELETE_AFTER + DAY);
    assert_int_equal(r.deleted + r.suspended, 0);
    assert_true(domain_exists(&f, "saved.dk"));
    assert_true(domain_exists(&f, "moved.dk"));
    assert_true(domain_exists(&f, "court.dk"));
    teardown(&f);
}

static void test_R22_hold_survives_other_lifts(void **state)
{
    struct fixture f;
    setup_idcheck(state, &f, "r22_relift");
    person(&f, "holder", "holder@example.test", NULL);
    make_domain(&f, "renewed.dk", "REGA:HOLDER", NULL, 0, NULL);
    decide(&f, "REGA:HOLDER", false, "documents", "forged", REG_OK, 1);
    /* something else took the hold away (staff, a renewal lifting an
     * expiry hold): the next pass puts it back, the date unchanged */
    reg_time when = delete_at(&f, "renewed.dk");
    exec_sql(&f, "DELETE FROM object_status WHERE status = 'serverHold'");
    struct idcheck_run r = run_pass(&f, T0 + DAY);
    assert_int_equal(r.suspended, 1);
    assert_string_equal(hold_message(&f, "renewed.dk"), IDCHECK_HOLD_MESSAGE);
    assert_int_equal(delete_at(&f, "renewed.dk"), when);

    /* registrants older than the checks (state none) are started by the pass */
    person(&f, "old", "old@example.test", NULL);
    f.policy.idcheck_enabled = false;
    make_domain(&f, "old.dk", "REGA:OLD", NULL, 0, NULL);
    f.policy.idcheck_enabled = true;
    take_mails(&f);
    r = run_pass(&f, T0 + 2 * DAY);
    assert_int_equal(r.started, 1);
    assert_state(&f, "REGA:OLD", "pending", T0 + 2 * DAY + DEADLINE);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_string_equal(ms->cause[0], "idcheck-pending");
    assert_contains(ms->body[0], "of the domain old.dk.");

    /* with checks disabled the pass does nothing */
    f.policy.idcheck_enabled = false;
    r = run_pass(&f, T0 + 100 * DAY);
    assert_int_equal(r.started + r.failed + r.suspended + r.lifted + r.deleted, 0);
    assert_true(domain_exists(&f, "renewed.dk"));
    teardown(&f);
}

/* A hold set before the message lost its rule id (schema 0015 and
 * earlier) takes the new text with migration 0016, and is lifted as one
 * set today when the registrant is verified. */
static void test_R22_hold_under_the_old_text_is_migrated(void **state)
{
    struct fixture f;
    setup_idcheck(state, &f, "r22_migrated");
    person(&f, "holder", "holder@example.test", NULL);
    make_domain(&f, "older.dk", "REGA:HOLDER", NULL, 0, NULL);
    decide(&f, "REGA:HOLDER", false, "documents", "forged", REG_OK, 1);
    exec_sql(&f, "UPDATE object_status SET message = 'identity check of the registrant failed "
                 "(R22)' WHERE status = 'serverHold'");
    exec_sql(&f, "DELETE FROM schema_version WHERE version = 16");
    int applied = -1;
    if (db_migrate(f.d, &applied))
        fail_msg("migrate: %s", db_errmsg(f.d));
    assert_int_equal(applied, 1);
    assert_string_equal(hold_message(&f, "older.dk"),
                        "identity check of the registrant failed: out of the zone until the "
                        "registrant proves their identity to the registry");
    assert_string_equal(hold_message(&f, "older.dk"), IDCHECK_HOLD_MESSAGE);
    f.now += DAY;
    decide(&f, "REGA:HOLDER", true, "documents", "papers arrived", REG_OK, 1);
    assert_null(hold_message(&f, "older.dk"));
    assert_int_equal(delete_at(&f, "older.dk"), 0);
    teardown(&f);
}

static void test_R22_failed_registrant_refused_2306(void **state)
{
    struct fixture f;
    setup_idcheck(state, &f, "r22_refused");
    person(&f, "holder", "holder@example.test", NULL);
    person(&f, "good", "good@example.test", NULL);
    make_domain(&f, "good.dk", "REGA:GOOD", NULL, 0, NULL);
    decide(&f, "REGA:HOLDER", false, "documents", "forged", REG_OK, 0);
    take_mails(&f);

    reg_status st;
    EXPECT(&f, create_domain(&f, "new.dk", "REGA:HOLDER", &st), REG_ERR_POLICY, st);
    assert_string_equal(st.reason, "registrant REGA:HOLDER failed its identity check");
    assert_false(domain_exists(&f, "new.dk"));
    struct reg_op op = op_as(&f, f.a);
    struct domain_update u = {.name = "good.dk", .chg_registrant = "REGA:HOLDER"};
    EXPECT(&f, domain_update(&op, &u, &st), REG_ERR_POLICY, st);
    assert_string_equal(st.reason, "registrant REGA:HOLDER failed its identity check");
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM domain d JOIN contact c ON c.id = "
                                "d.registrant_id WHERE c.handle = ?",
                            "REGA:HOLDER"),
                     0);
    assert_int_equal(take_mails(&f)->n, 0);
    /* as admin contact it is fine: only registrants are checked */
    u = (struct domain_update){.name = "good.dk",
                               .add_contacts = {{.role = "admin", .handle = "REGA:HOLDER"}},
                               .nadd_contacts = 1};
    EXPECT(&f, domain_update(&op, &u, &st), REG_OK, st);
    /* verified again, it may register */
    decide(&f, "REGA:HOLDER", true, "documents", "real papers", REG_OK, 0);
    EXPECT(&f, create_domain(&f, "new.dk", "REGA:HOLDER", &st), REG_OK, st);
    teardown(&f);
}

struct listing {
    int n;
    char rows[8][160];
};

/* "HANDLE STATE METHOD BY DOMAINS SPONSOR NOTE", "-" for what is empty */
static void list_row(const struct idcheck_row *r, void *arg)
{
    struct listing *l = arg;
    if (l->n < 8)
        snprintf(l->rows[l->n++], sizeof l->rows[0], "%s %s %s %s %lld %s %s", r->handle, r->state,
                 r->method[0] ? r->method : "-", r->by[0] ? r->by : "-", (long long)r->domains,
                 r->sponsor, r->note[0] ? r->note : "-");
}

static void test_R21_list(void **state)
{
    struct fixture f;
    setup_idcheck(state, &f, "r21_list");
    person(&f, "p", "p@example.test", NULL);
    person(&f, "v", "v@example.test", NULL);
    person(&f, "n", "n@example.test", NULL);
    make_domain(&f, "p.dk", "REGA:P", NULL, 0, NULL);
    make_domain(&f, "p2.dk", "REGA:P", NULL, 0, NULL);
    decide(&f, "REGA:V", true, "documents", "ok", REG_OK, 0);
    struct reg_op op = staff(&f);
    reg_status st = {0};
    struct listing got = {0};
#define LIST(state_)                                                                              \
    do {                                                                                          \
        memset(&got, 0, sizeof got);                                                              \
        assert_int_equal(idcheck_list(&op, state_, list_row, &got, &st), REG_OK);                 \
    } while (0)
    LIST(NULL);
    assert_int_equal(got.n, 2);
    assert_string_equal(got.rows[0], "REGA:V verified documents staff 0 REGA ok");
    assert_string_equal(got.rows[1], "REGA:P pending - REGA 2 REGA -");
    LIST("pending");
    assert_int_equal(got.n, 1);
    LIST("none");
    assert_int_equal(got.n, 1);
    assert_string_equal(got.rows[0], "REGA:N none - - 0 REGA -");
    assert_int_equal(idcheck_list(&op, "expired", list_row, &got, &st), REG_ERR_INVALID);
#undef LIST
    teardown(&f);
}

/* The mail names an IDN by its U-label, the form its registrant knows (the
 * A-label beside it), and in the registrant's language where documents go. */
static void test_R21_mail_names_idn_by_ulabel(void **state)
{
    struct fixture f;
    setup_idcheck(state, &f, "r21_ulabel");
    person(&f, "holder", "holder@example.test", NULL);
    make_domain(&f, "xn--blbrgrd-fxak7p.dk", "REGA:HOLDER", NULL, 0, NULL);
    struct mails *ms = take_mails(&f);
    assert_int_equal(ms->n, 1);
    assert_contains(ms->body[0], "of the domain bl\xc3\xa5" "b\xc3\xa6rgr\xc3\xb8" "d.dk "
                                 "(xn--blbrgrd-fxak7p.dk).");
    assert_contains(ms->body[0], "to ID Desk, Registry, Box 1, 1000 City.");
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(test_R21_registrant_becomes_pending),
        BOTH_BACKENDS(test_R21_mail_names_idn_by_ulabel),
        BOTH_BACKENDS(test_R21_staff_decisions),
        BOTH_BACKENDS(test_R21_test_provider),
        BOTH_BACKENDS(test_R21_list),
        BOTH_BACKENDS(test_R22_deadline_fails_suspends_deletes),
        BOTH_BACKENDS(test_R22_verified_meanwhile_lifts_hold),
        BOTH_BACKENDS(test_R22_hold_survives_other_lifts),
        BOTH_BACKENDS(test_R22_hold_under_the_old_text_is_migrated),
        BOTH_BACKENDS(test_R22_failed_registrant_refused_2306),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
