/* The EPP front as a library (src/eppd): whole commands from frame to
 * response, in-process, on both backends, as the daemon's workers and the
 * portal's XML console drive it — the dispatch table's login rule, the
 * login services, the handlers' answers, the check step outside and the
 * execute step inside a transaction. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "epp/ns.h"
#include "eppd/eppd.h"
#include "registry/audit.h"

#define EPP_OPEN "<?xml version=\"1.0\" encoding=\"UTF-8\"?><epp xmlns=\"" EPP_NS "\">"
#define CMD(body, trid) EPP_OPEN "<command>" body "<clTRID>" trid "</clTRID></command></epp>"
#define DOMAIN_ATTR "xmlns:domain=\"" EPP_NS_DOMAIN "\""
#define LOGIN(svcs)                                                                             \
    CMD("<login><clID>REGA</clID><pw>" FIXTURE_PW "</pw><options><version>1.0</version>"           \
        "<lang>en</lang></options><svcs>" svcs "</svcs></login>", "LOGIN-1")
#define ALL_SVCS                                                                                \
    "<objURI>" EPP_NS_DOMAIN "</objURI><objURI>" EPP_NS_CONTACT "</objURI><svcExtension>"       \
    "<extURI>" EPP_NS_SECDNS "</extURI><extURI>" EPP_NS_REG_DOMAIN "</extURI></svcExtension>"

struct harness {
    struct fixture f;
    struct reg_config cfg;
    struct eppd_env env;
    struct eppd_session session;
    int slots_taken;
    int next_svtrid;
    struct db_counts used; /* by the last command run (its savepoint to its release) */
};

static bool take_slot(void *arg, int64_t registrar_id)
{
    struct harness *h = arg;
    (void)registrar_id;
    h->slots_taken++;
    return true;
}

static void start(void **state, struct harness *h, const char *name)
{
    memset(h, 0, sizeof *h);
    char err[256];
    assert_int_equal(config_load(&h->cfg, NULL, err, sizeof err), REG_OK);
    setup(state, &h->f, name);
    h->env = (struct eppd_env){.db = h->f.d, .cfg = &h->cfg, .policy = &h->f.policy,
                               .take_slot = take_slot, .slot_arg = h};
    snprintf(h->session.id, sizeof h->session.id, "S-test");
    snprintf(h->session.peer, sizeof h->session.peer, "127.0.0.1");
}

static void stop(struct harness *h)
{
    teardown(&h->f);
    config_free(&h->cfg);
}

/* One command as a worker runs it: prepare, execute in a transaction under
 * a savepoint (eppd_execute_in, the workers' own), commit, response; the session takes what the command
 * changed. Returns the result code; *xml (optional) gets the response. */
static int run(struct harness *h, const char *frame, char **xml)
{
    struct eppd_cmd c;
    char svtrid[40];
    snprintf(svtrid, sizeof svtrid, "SV-%d", ++h->next_svtrid);
    eppd_cmd_init(&c, &h->env, &h->session, svtrid, h->f.now);
    eppd_prepare(&c, frame, strlen(frame));
    assert_int_equal(db_begin(h->f.d), REG_OK);
    struct db_counts before, after;
    db_counts(h->f.d, &before);
    eppd_execute_in(h->f.d, &c, NULL, NULL);
    db_counts(h->f.d, &after);
    h->used = (struct db_counts){after.statements - before.statements,
                                 after.round_trips - before.round_trips};
    assert_int_equal(db_commit(h->f.d), REG_OK);
    size_t len;
    int code;
    char *out = eppd_response(&c, &len, &code);
    assert_non_null(out);
    assert_int_equal(strlen(out), len);
    if (c.out.login_failed)
        h->session.login_failures++;
    if (c.out.error_before_login)
        h->session.errors_before_login++;
    if (c.out.login_ok) {
        h->session.logged_in = true;
        h->session.registrar_id = c.out.new_registrar_id;
        h->session.services = c.out.new_services;
        snprintf(h->session.clid, sizeof h->session.clid, "%s", c.out.new_clid);
    }
    eppd_cmd_release(&c);
    if (xml)
        *xml = out;
    else
        free(out);
    return code;
}

static void expect(struct harness *h, const char *frame, int code, const char *part)
{
    char *xml;
    int got = run(h, frame, &xml);
    if (got != code || (part && !strstr(xml, part)))
        fail_msg("expected %d with \"%s\", got %d:\n%s", code, part ? part : "", got, xml);
    free(xml);
}

static void login_rule_is_data(void **state)
{
    struct harness h;
    start(state, &h, "eppd_login_rule");
    /* before login: hello and login only */
    expect(&h, EPP_OPEN "<hello/></epp>", 1000, "<greeting>");
    expect(&h, CMD("<poll op=\"req\"/>", "BEFORE-1"), 2002, "log in first");
    expect(&h, CMD("<logout/>", "BEFORE-2"), 2002, "<clTRID>BEFORE-2</clTRID>");
    expect(&h, LOGIN(ALL_SVCS), 1000, NULL);
    assert_int_equal(h.slots_taken, 1);
    assert_true(h.session.logged_in);
    /* after it: everything but login */
    expect(&h, LOGIN(ALL_SVCS), 2002, "already logged in");
    expect(&h, EPP_OPEN "<hello/></epp>", 1000, "<greeting>");
    expect(&h, CMD("<poll op=\"req\"/>", "AFTER-1"), 1300, NULL);
    expect(&h, CMD("<logout/>", "AFTER-2"), 1500, NULL);
    stop(&h);
}

/* [epp] max_errors (issue 12): before login, the max_errors-th error is
 * answered 2500 and closes the session; a hello in between is no
 * progress; failed logins count on their own (max_login_failures); after
 * login errors are not counted. */
static void errors_before_login_close_the_session(void **state)
{
    struct harness h;
    start(state, &h, "eppd_max_errors");
    h.cfg.epp_max_errors = 3;
    expect(&h, CMD("<poll op=\"req\"/>", "E-1"), 2002, "log in first");
    expect(&h, EPP_OPEN "<hello/></epp>", 1000, "<greeting>");
    expect(&h, CMD("<login><clID>REGA</clID><pw>wrong-pw1</pw><options><version>1.0</version>"
                   "<lang>en</lang></options><svcs>" ALL_SVCS "</svcs></login>", "E-2"),
           2200, NULL);
    expect(&h, "<epp", 2001, NULL);
    assert_int_equal(h.session.errors_before_login, 2);
    expect(&h, CMD("<logout/>", "E-3"), 2500,
           "log in first: only &lt;hello&gt; and &lt;login&gt; are allowed before login; "
           "closing the session: 3 errors before login");
    /* a new session: logged in, errors are the registrar's own */
    h.session = (struct eppd_session){.id = "S-test2", .peer = "127.0.0.1"};
    expect(&h, LOGIN(ALL_SVCS), 1000, NULL);
    for (int i = 0; i < 5; i++)
        expect(&h, "<epp", 2001, NULL);
    assert_int_equal(h.session.errors_before_login, 0);
    expect(&h, CMD("<poll op=\"req\"/>", "E-4"), 1300, NULL);
    stop(&h);
}

static void login_services_hold_the_session(void **state)
{
    struct harness h;
    start(state, &h, "eppd_services");
    expect(&h, LOGIN("<objURI>" EPP_NS_DOMAIN "</objURI>"), 1000, NULL);
    assert_int_equal(h.session.services, EPP_SVC_BIT(EPP_SVC_DOMAIN));
    expect(&h,
           CMD("<check><domain:check " DOMAIN_ATTR "><domain:name>free.dk</domain:name>"
               "</domain:check></check>",
               "SVC-1"),
           1000, "avail=\"1\"");
    /* an object not announced: 2307; an extension not announced: 2103 */
    expect(&h,
           CMD("<info><contact:info xmlns:contact=\"" EPP_NS_CONTACT "\"><contact:id>REGA:X"
               "</contact:id></contact:info></info>",
               "SVC-2"),
           2307, EPP_NS_CONTACT);
    expect(&h,
           CMD("<delete><domain:delete " DOMAIN_ATTR "><domain:name>free.dk</domain:name>"
               "</domain:delete></delete><extension><regd:delete xmlns:regd=\"" EPP_NS_REG_DOMAIN
               "\"><regd:verified/></regd:delete></extension>",
               "SVC-3"),
           2103, EPP_NS_REG_DOMAIN);
    stop(&h);
}

static void errors_say_why_in_msg(void **state)
{
    struct harness h;
    start(state, &h, "eppd_msg");
    expect(&h, LOGIN(ALL_SVCS), 1000, NULL);
    char *xml;
    int code = run(&h,
                   CMD("<info><domain:info " DOMAIN_ATTR "><domain:name>nosuch.dk</domain:name>"
                       "</domain:info></info>",
                       "MSG-1"),
                   &xml);
    assert_int_equal(code, 2303);
    /* the same sentence in <msg> and <reason>, and it names the domain */
    const char *msg = strstr(xml, "<msg lang=\"en\">"), *reason = strstr(xml, "<reason lang=\"en\">");
    assert_non_null(msg);
    assert_non_null(reason);
    msg += strlen("<msg lang=\"en\">");
    reason += strlen("<reason lang=\"en\">");
    size_t n = strcspn(msg, "<");
    assert_true(n > 0);
    assert_int_equal(strcspn(reason, "<"), n);
    assert_memory_equal(msg, reason, n);
    assert_non_null(strstr(xml, "nosuch.dk"));
    assert_null(strstr(xml, "Object does not exist"));
    free(xml);
    stop(&h);
}

static void unimplemented_extension_changes_nothing(void **state)
{
    struct harness h;
    start(state, &h, "eppd_2103");
    expect(&h, LOGIN(ALL_SVCS), 1000, NULL);
    expect(&h,
           CMD("<check><domain:check " DOMAIN_ATTR "><domain:name>a.dk</domain:name>"
               "</domain:check></check><extension><launch:check xmlns:launch="
               "\"urn:ietf:params:xml:ns:launch-1.0\" type=\"avail\"/></extension>",
               "EXT-1"),
           2103, "<x:check xmlns:x=\"urn:ietf:params:xml:ns:launch-1.0\"/>");
    stop(&h);
}

/* Issue 18: what each command type costs the database, as a worker runs
 * it: its savepoint, the command, the release (the batch's BEGIN and
 * COMMIT are shared by the commands of a group commit; each command's
 * audit row is one more statement). Printed for docs/performance.md
 * ("round trips per command"), and bounded (domain:info: the row and
 * its lists, 2 statements on SQLite, 1 on PostgreSQL, within its
 * savepoint; the others with a little room), so that a command that gains
 * statements or round trips is noticed here. */
#define DOMAIN_CMD(verb, body, trid)                                                            \
    CMD("<" verb "><domain:" verb " " DOMAIN_ATTR ">" body "</domain:" verb "></" verb ">", trid)

/* max_pg_trips: round trips at most on PostgreSQL, where the writes whose
 * outcome the command does not read go without waiting (issue 18) */
static void costs(struct harness *h, bool report, const char *what, const char *frame, int code,
                  uint64_t max_statements, uint64_t max_pg_trips)
{
    expect(h, frame, code, NULL);
    if (!report)
        return;
    printf("round trips per command (%s): %-16s %3llu statements, %3llu round trips\n",
           db_kind_of(h->f.d) == DB_PGSQL ? "pgsql" : "sqlite", what,
           (unsigned long long)h->used.statements, (unsigned long long)h->used.round_trips);
    if (h->used.statements > max_statements)
        fail_msg("%s took %llu statements, more than %llu", what,
                 (unsigned long long)h->used.statements, (unsigned long long)max_statements);
    /* SQLite has no server: a statement is a call, counted as a round
     * trip; on PostgreSQL, with the statements prepared, a statement is at
     * most one */
    if (db_kind_of(h->f.d) == DB_SQLITE)
        assert_true(h->used.round_trips == h->used.statements);
    else if (h->used.round_trips > max_pg_trips || h->used.round_trips > h->used.statements)
        fail_msg("%s took %llu round trips, more than %llu", what,
                 (unsigned long long)h->used.round_trips, (unsigned long long)max_pg_trips);
}

static void round_trips_per_command(void **state)
{
    struct harness h;
    start(state, &h, "eppd_round_trips");
    reg_status st;
    (void)st;
    set_price(&h.f, "create", 0, 5000, 0, T0 - DAY);
    set_price(&h.f, "renew", 0, 5000, 0, T0 - DAY);
    set_price(&h.f, "transfer", 0, 5000, 0, T0 - DAY);
    post_entry(&h.f, h.f.a, "credit", 1000000, "prepaid");
    post_entry(&h.f, h.f.b, "credit", 1000000, "prepaid");
    make_contact(&h.f, "HOLDER", "holder@example.test", "Holder", NULL, NULL, NULL);
    make_contact(&h.f, "ADM", "adm@example.test", "Admin Person", NULL, NULL, NULL);
    make_host(&h.f, h.f.a, "ns1.example.net", NULL);
    make_host(&h.f, h.f.a, "ns2.example.net", NULL);
    expect(&h, LOGIN(ALL_SVCS), 1000, NULL);
    /* each command type twice: the first prepares its statements on the
     * connection (PostgreSQL) and makes the registrant's first domain, the
     * second is what a worker pays: it is the one reported */
    for (int round = 0; round < 2; round++) {
        char name[32], frame[2048];
        snprintf(name, sizeof name, "trips%d.dk", round);
#define F(...) (snprintf(frame, sizeof frame, __VA_ARGS__), frame)
        costs(&h, round == 1, "domain:check",
              F(DOMAIN_CMD("check", "<domain:name>%s</domain:name>", "RT-C"), name), 1000, 3, 2);
        costs(&h, round == 1, "domain:create",
              F(CMD("<create><domain:create " DOMAIN_ATTR "><domain:name>%s</domain:name>"
                    "<domain:period unit=\"y\">1</domain:period><domain:ns>"
                    "<domain:hostObj>ns1.example.net</domain:hostObj>"
                    "<domain:hostObj>ns2.example.net</domain:hostObj></domain:ns>"
                    "<domain:registrant>REGA:HOLDER</domain:registrant>"
                    "<domain:contact type=\"admin\">REGA:ADM</domain:contact>"
                    "<domain:contact type=\"tech\">REGA:ADM</domain:contact>"
                    "<domain:authInfo><domain:pw>Xy7-first-pw</domain:pw></domain:authInfo>"
                    "</domain:create></create><extension><regd:create xmlns:regd=\""
                    EPP_NS_REG_DOMAIN "\"><regd:terms version=\"1.0\" "
                    "accepted=\"2026-12-01T10:00:00Z\"/></regd:create></extension>",
                    "RT-CR"),
                name),
              1000, 20, 12);
        costs(&h, round == 1, "domain:info",
              F(DOMAIN_CMD("info", "<domain:name>%s</domain:name>", "RT-I"), name), 1000, 4, 2);
        costs(&h, round == 1, "domain:update",
              F(DOMAIN_CMD("update",
                           "<domain:name>%s</domain:name><domain:add><domain:status "
                           "s=\"clientHold\"/></domain:add><domain:chg><domain:authInfo>"
                           "<domain:pw>Xy7-second-pw</domain:pw></domain:authInfo></domain:chg>",
                           "RT-U"),
                name),
              1000, 13, 7);
        costs(&h, round == 1, "domain:renew",
              F(DOMAIN_CMD("renew",
                           "<domain:name>%s</domain:name><domain:curExpDate>2028-01-01"
                           "</domain:curExpDate><domain:period unit=\"y\">1</domain:period>",
                           "RT-R"),
                name),
              1000, 16, 8);
#undef F
    }
    /* a transfer to REGB and a delete by it, twice */
    expect(&h, CMD("<logout/>", "RT-OUT"), 1500, NULL);
    h.session = (struct eppd_session){.id = "S-test-b", .peer = "127.0.0.1"};
    expect(&h,
           CMD("<login><clID>REGB</clID><pw>" FIXTURE_PW "</pw><options><version>1.0</version>"
               "<lang>en</lang></options><svcs>" ALL_SVCS "</svcs></login>",
               "LOGIN-B"),
           1000, NULL);
    for (int round = 0; round < 2; round++) {
        char name[32], frame[1024];
        snprintf(name, sizeof name, "trips%d.dk", round);
        snprintf(frame, sizeof frame,
                 CMD("<transfer op=\"request\"><domain:transfer " DOMAIN_ATTR ">"
                     "<domain:name>%s</domain:name><domain:authInfo><domain:pw>Xy7-second-pw"
                     "</domain:pw></domain:authInfo></domain:transfer></transfer>",
                     "RT-T"),
                 name);
        costs(&h, round == 1, "domain:transfer", frame, 1000, 56, 47);
        snprintf(frame, sizeof frame, DOMAIN_CMD("delete", "<domain:name>%s</domain:name>", "RT-D"),
                 name);
        costs(&h, round == 1, "domain:delete", frame, 1001, 17, 11);
    }
    stop(&h);
}


/* ---- the audit rows of a batch (issue 18) --------------------------------------------- */

#define AUDIT_BATCH 37 /* statements of 32, 4 and 1 rows */

/* The EPP log's rows, oldest first: "svtrid code|" each, and the request
 * of the row with svtrid `want` into req (when given). */
static void audit_rows(struct harness *h, char *out, size_t n, const char *want, char **req)
{
    db_stmt *s = db_query(h->f.d, "SELECT svtrid, result_code, request FROM epp_log ORDER BY id");
    size_t o = 0;
    out[0] = '\0';
    while (db_next(s)) {
        o += (size_t)snprintf(out + o, n - o, "%s %lld|", db_col_text(s, 0),
                              (long long)db_col_int(s, 1));
        assert_true(o < n);
        if (want && req && !strcmp(db_col_text(s, 0), want))
            *req = strdup(db_col_text(s, 2));
    }
    assert_int_equal(db_done(s), REG_OK);
}

/* A batch as a worker runs it: each command under its savepoint, its row
 * taken after, all rows written together before the one commit, deferred
 * on PostgreSQL. Every command has its row, in order, with its own result:
 * also those that failed (2303 for a domain not there, whatever step
 * found it), one refused by the schema (2001) and one that was not XML,
 * whose rows are taken after their savepoints were rolled back; a secretless
 * request is stored byte for byte as received, one with a password
 * redacted. */
static void audit_rows_of_a_batch(void **state)
{
    struct harness h;
    start(state, &h, "eppd_audit_batch");
    expect(&h, LOGIN(ALL_SVCS), 1000, NULL);
    static struct eppd_cmd cmds[AUDIT_BATCH];
    char *frames[AUDIT_BATCH], *responses[AUDIT_BATCH], *raws[AUDIT_BATCH];
    struct audit_entry rows[AUDIT_BATCH];
    int codes[AUDIT_BATCH];
    char expected[AUDIT_BATCH * 24] = "";
    size_t nrows = 0, o = 0;
    assert_int_equal(db_begin(h.f.d), REG_OK);
    for (int i = 0; i < AUDIT_BATCH; i++) {
        char frame[1024];
        if (i % 5 == 1) /* no such domain */
            snprintf(frame, sizeof frame,
                     DOMAIN_CMD("info", "<domain:name>nosuch%d.dk</domain:name>", "AB-%d"), i, i);
        else if (i == 7) /* refused by the schema */
            snprintf(frame, sizeof frame, CMD("<check><domain:check " DOMAIN_ATTR "><domain:bogus/>"
                                              "</domain:check></check>", "AB-%d"), i);
        else if (i == 8) /* not XML */
            snprintf(frame, sizeof frame, "<epp><command><check>");
        else if (i == 9) /* a secret: stored redacted */
            snprintf(frame, sizeof frame,
                     DOMAIN_CMD("info", "<domain:name>nosuch.dk</domain:name><domain:authInfo>"
                                "<domain:pw>Zz9-batch-secret</domain:pw></domain:authInfo>", "AB-%d"),
                     i);
        else
            snprintf(frame, sizeof frame,
                     DOMAIN_CMD("check", "<domain:name>free%d.dk</domain:name>", "AB-%d"), i, i);
        frames[i] = strdup(frame);
        char svtrid[40];
        snprintf(svtrid, sizeof svtrid, "SV-B%02d", i);
        eppd_cmd_init(&cmds[i], &h.env, &h.session, svtrid, h.f.now);
        eppd_prepare(&cmds[i], frames[i], strlen(frames[i]));
        eppd_execute_in(h.f.d, &cmds[i], NULL, NULL);
        size_t len;
        responses[i] = eppd_response(&cmds[i], &len, &codes[i]);
        assert_true(eppd_audit_row(&cmds[i], frames[i], strlen(frames[i]), responses[i], codes[i],
                                   clock_mono_us(), &rows[nrows], &raws[i]));
        nrows++;
        o += (size_t)snprintf(expected + o, sizeof expected - o, "%s %d|", svtrid, codes[i]);
    }
    assert_int_equal(codes[1], 2303);
    assert_int_equal(codes[7], 2001);
    assert_int_equal(codes[8], 2001);
    assert_int_equal(codes[0], 1000);
    db_defer_writes(h.f.d, true);
    assert_true(eppd_audit_write(h.f.d, rows, nrows));
    db_defer_writes(h.f.d, false);
    assert_int_equal(db_commit(h.f.d), REG_OK);
    char got[sizeof expected + 64], *req0 = NULL, *req9 = NULL, *req8 = NULL;
    audit_rows(&h, got, sizeof got, "SV-B00", &req0);
    audit_rows(&h, got, sizeof got, "SV-B09", &req9);
    audit_rows(&h, got, sizeof got, "SV-B08", &req8);
    assert_string_equal(got, expected);
    assert_non_null(req0);
    assert_string_equal(req0, frames[0]); /* as received */
    assert_non_null(req9);
    assert_null(strstr(req9, "Zz9-batch-secret"));
    assert_non_null(strstr(req9, "[redacted]"));
    assert_non_null(req8);
    assert_non_null(strstr(req8, "unparsed"));
    free(req0);
    free(req9);
    free(req8);
    for (int i = 0; i < AUDIT_BATCH; i++) {
        eppd_cmd_release(&cmds[i]);
        free(frames[i]);
        free(responses[i]);
        free(raws[i]);
    }
    stop(&h);
}

/* A create of name with one name server, as a batch's command runs it:
 * in the caller's transaction, under its savepoint; its result code. */
static int create_in_batch(struct harness *h, const char *name, const char *svtrid)
{
    char frame[2048];
    snprintf(frame, sizeof frame,
             CMD("<create><domain:create " DOMAIN_ATTR "><domain:name>%s</domain:name>"
                 "<domain:period unit=\"y\">1</domain:period><domain:ns>"
                 "<domain:hostObj>ns1.example.net</domain:hostObj></domain:ns>"
                 "<domain:registrant>REGA:HOLDER</domain:registrant>"
                 "<domain:authInfo><domain:pw>Xy7-first-pw</domain:pw></domain:authInfo>"
                 "</domain:create></create><extension><regd:create xmlns:regd=\""
                 EPP_NS_REG_DOMAIN "\"><regd:terms version=\"1.0\" "
                 "accepted=\"2026-12-01T10:00:00Z\"/></regd:create></extension>",
                 "DW-1"),
             name);
    struct eppd_cmd c;
    eppd_cmd_init(&c, &h->env, &h->session, svtrid, h->f.now);
    eppd_prepare(&c, frame, strlen(frame));
    eppd_execute_in(h->f.d, &c, NULL, NULL);
    size_t len;
    int code;
    free(eppd_response(&c, &len, &code));
    eppd_cmd_release(&c);
    return code;
}

static int64_t rows_naming(struct harness *h, const char *sql, const char *name)
{
    db_stmt *s = db_query(h->f.d, sql);
    db_bind_text(s, 1, name);
    int64_t n = db_next(s) ? db_col_int(s, 0) : -1;
    assert_int_equal(db_done(s), REG_OK);
    return n;
}

/* Issue 18: on PostgreSQL a create's links, ledger row and history go
 * without waiting, answered by a later statement or the RELEASE of the
 * command's savepoint. One that fails fails its command alone, wholly (no
 * domain, no charge), and the batch's other commands are committed. */
static void a_deferred_write_that_fails_fails_its_command_alone(void **state)
{
    struct harness h;
    start(state, &h, "eppd_deferred_fail");
    set_price(&h.f, "create", 0, 5000, 0, T0 - DAY);
    post_entry(&h.f, h.f.a, "credit", 1000000, "prepaid");
    make_contact(&h.f, "HOLDER", "holder@example.test", "Holder", NULL, NULL, NULL);
    make_host(&h.f, h.f.a, "ns1.example.net", NULL);
    expect(&h, LOGIN(ALL_SVCS), 1000, NULL);
    /* a name server link that the database refuses for one name (the
     * failure shows at the command's next statement), and a history row
     * for another (the command's last write: it shows at the RELEASE) */
    assert_int_equal(
        db_exec(h.f.d,
                db_kind_of(h.f.d) == DB_PGSQL
                    ? "CREATE FUNCTION refuse_ns() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
                      "IF (SELECT name FROM domain WHERE id = NEW.domain_id) = 'refused.dk' THEN "
                      "RAISE EXCEPTION 'test: link refused'; END IF; RETURN NEW; END $f$; "
                      "CREATE TRIGGER refuse_ns BEFORE INSERT ON domain_host FOR EACH ROW "
                      "EXECUTE FUNCTION refuse_ns(); "
                      "CREATE FUNCTION refuse_history() RETURNS trigger LANGUAGE plpgsql AS $f$ "
                      "BEGIN IF NEW.object_key = 'late.dk' THEN RAISE EXCEPTION 'test: history "
                      "refused'; END IF; RETURN NEW; END $f$; "
                      "CREATE TRIGGER refuse_history BEFORE INSERT ON history FOR EACH ROW "
                      "EXECUTE FUNCTION refuse_history()"
                    : "CREATE TRIGGER refuse_ns BEFORE INSERT ON domain_host WHEN (SELECT name "
                      "FROM domain WHERE id = NEW.domain_id) = 'refused.dk' BEGIN SELECT "
                      "RAISE(ABORT, 'test: link refused'); END; "
                      "CREATE TRIGGER refuse_history BEFORE INSERT ON history WHEN "
                      "NEW.object_key = 'late.dk' BEGIN SELECT RAISE(ABORT, 'test: history "
                      "refused'); END"),
        REG_OK);
    assert_int_equal(db_begin(h.f.d), REG_OK);
    assert_int_equal(create_in_batch(&h, "before.dk", "SV-DW1"), 1000);
    assert_int_equal(create_in_batch(&h, "refused.dk", "SV-DW2"), 2400);
    assert_int_equal(create_in_batch(&h, "late.dk", "SV-DW3"), 2400);
    assert_int_equal(create_in_batch(&h, "after.dk", "SV-DW4"), 1000);
    assert_int_equal(db_commit(h.f.d), REG_OK);
    const char *domains = "SELECT COUNT(*) FROM domain WHERE name = ?";
    const char *charges = "SELECT COUNT(*) FROM ledger WHERE object_name = ?";
    const char *history = "SELECT COUNT(*) FROM history WHERE object_key = ?";
    assert_int_equal(rows_naming(&h, domains, "refused.dk"), 0);
    assert_int_equal(rows_naming(&h, charges, "refused.dk"), 0);
    assert_int_equal(rows_naming(&h, history, "refused.dk"), 0);
    assert_int_equal(rows_naming(&h, domains, "late.dk"), 0);
    assert_int_equal(rows_naming(&h, charges, "late.dk"), 0);
    assert_int_equal(rows_naming(&h, domains, "before.dk"), 1);
    assert_int_equal(rows_naming(&h, charges, "before.dk"), 1);
    assert_int_equal(rows_naming(&h, domains, "after.dk"), 1);
    assert_int_equal(rows_naming(&h, charges, "after.dk"), 1);
    assert_int_equal(rows_naming(&h, history, "after.dk"), 1);
    stop(&h);
}

static struct audit_entry audit_entry_of(const char *svtrid)
{
    return (struct audit_entry){.at = T0, .session_id = "S-test", .peer = "127.0.0.1",
                                .svtrid = svtrid, .command = "domain:check",
                                .result_code = 1000, .request = "<epp/>", .response = "<epp/>"};
}

/* A row that cannot be written (its svTRID taken: the column is unique)
 * gets one event=audit-failed line naming its command, on both backends,
 * whether the write is deferred or not. PostgreSQL reports a deferred
 * write's error only with the COMMIT, which then fails: the line comes
 * from eppd_audit_commit_failed (it was missing, issue 18). On SQLite the
 * other rows of the statement are written all the same. */
static void audit_failure_is_logged(void **state)
{
    struct harness h;
    start(state, &h, "eppd_audit_failed");
    bool pg = db_kind_of(h.f.d) == DB_PGSQL;
    reg_status st;
    struct audit_entry taken = audit_entry_of("SV-DUP");
    assert_int_equal(db_begin(h.f.d), REG_OK);
    assert_int_equal(audit_epp_record(h.f.d, &taken, &st), REG_OK);
    assert_int_equal(db_commit(h.f.d), REG_OK);
    for (int deferred = 0; deferred < 2; deferred++) {
        char a[16], c[16];
        snprintf(a, sizeof a, "SV-A%d", deferred);
        snprintf(c, sizeof c, "SV-C%d", deferred);
        struct audit_entry rows[3] = {audit_entry_of(a), audit_entry_of("SV-DUP"),
                                      audit_entry_of(c)};
        struct test_log l;
        char log[8192];
        test_log_begin(&l);
        assert_int_equal(db_begin(h.f.d), REG_OK);
        db_defer_writes(h.f.d, deferred);
        bool ok = eppd_audit_write(h.f.d, rows, 3);
        db_defer_writes(h.f.d, false);
        /* deferred on PostgreSQL: nothing known yet */
        assert_int_equal(ok, pg && deferred);
        reg_err e = db_commit(h.f.d);
        if (e && ok) /* as the workers do */
            eppd_audit_commit_failed(h.f.d, rows, 3);
        test_log_end(&l, log, sizeof log);
        if (!strstr(log, "event=audit-failed") || !strstr(log, "svtrid=SV-DUP"))
            fail_msg("%s, %s: no audit-failed line for SV-DUP:\n%s", pg ? "pgsql" : "sqlite",
                     deferred ? "deferred" : "at once", log);
        /* one line for it, not one per place that saw the error */
        const char *first = strstr(log, "svtrid=SV-DUP");
        assert_null(strstr(first + 1, "svtrid=SV-DUP"));
        char got[256];
        audit_rows(&h, got, sizeof got, NULL, NULL);
        char want[256];
        if (pg) {
            /* a failed statement aborts the transaction: nothing saved,
             * and every row of it is named */
            assert_int_not_equal(e, REG_OK);
            assert_non_null(strstr(log, a));
            assert_non_null(strstr(log, c));
            if (deferred)
                assert_true(db_deferred_failed(h.f.d));
            snprintf(want, sizeof want, "SV-DUP 1000|");
        } else {
            /* the others of the statement are saved, and not named */
            assert_int_equal(e, REG_OK);
            assert_null(strstr(log, a));
            assert_null(strstr(log, c));
            snprintf(want, sizeof want, "SV-DUP 1000|SV-A0 1000|SV-C0 1000|%s",
                     deferred ? "SV-A1 1000|SV-C1 1000|" : "");
        }
        assert_string_equal(got, want);
    }
    stop(&h);
}

/* eppd_prepare_reads, for the EPP loop (issue 18): a command that only
 * reads, or fails before it runs, is prepared as by eppd_prepare; one that
 * writes is turned back once its frame is read, before its schema check
 * and its check step (no statement). */
static bool prepared_for_reads(struct harness *h, const char *frame, uint64_t *statements)
{
    struct eppd_cmd c;
    eppd_cmd_init(&c, &h->env, &h->session, "SV-reads", h->f.now);
    struct db_counts before, after;
    db_counts(h->f.d, &before);
    bool taken = eppd_prepare_reads(&c, frame, strlen(frame));
    db_counts(h->f.d, &after);
    *statements = after.statements - before.statements;
    if (taken)
        assert_true(eppd_read_only(&c));
    eppd_cmd_release(&c);
    return taken;
}

static void only_reads_are_prepared_for_the_loop(void **state)
{
    struct harness h;
    start(state, &h, "eppd_reads");
    expect(&h, LOGIN(ALL_SVCS), 1000, NULL);
    uint64_t used;
    assert_true(prepared_for_reads(
        &h, DOMAIN_CMD("check", "<domain:name>free.dk</domain:name>", "R-1"), &used));
    assert_true(prepared_for_reads(
        &h, DOMAIN_CMD("info", "<domain:name>none.dk</domain:name>", "R-2"), &used));
    assert_true(prepared_for_reads(&h, EPP_OPEN "<hello/></epp>", &used));
    assert_true(prepared_for_reads(&h, "<epp>not a command", &used)); /* fails: a read */
    assert_false(prepared_for_reads(
        &h, DOMAIN_CMD("delete", "<domain:name>none.dk</domain:name>", "R-3"), &used));
    assert_int_equal(used, 0);
    assert_false(prepared_for_reads(&h, CMD("<logout/>", "R-4"), &used));
    assert_int_equal(used, 0);
    /* a login is turned back before its password is hashed */
    assert_false(prepared_for_reads(&h, LOGIN(ALL_SVCS), &used));
    assert_int_equal(used, 0);
    stop(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(login_rule_is_data),
        BOTH_BACKENDS(login_services_hold_the_session),
        BOTH_BACKENDS(errors_before_login_close_the_session),
        BOTH_BACKENDS(errors_say_why_in_msg),
        BOTH_BACKENDS(unimplemented_extension_changes_nothing),
        BOTH_BACKENDS(round_trips_per_command),
        BOTH_BACKENDS(audit_rows_of_a_batch),
        BOTH_BACKENDS(audit_failure_is_logged),
        BOTH_BACKENDS(a_deferred_write_that_fails_fails_its_command_alone),
        BOTH_BACKENDS(only_reads_are_prepared_for_the_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
