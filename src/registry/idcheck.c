/* Identity checks of registrants (R21, R22): see idcheck.h. The state is
 * on the contact row (0003, 0012), the scheduled deletion of a suspended
 * domain on the domain row (domain.idcheck_delete_at). */
#include "idcheck.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contact_store.h"
#include "contrib/precis.h"
#include "contrib/strutil.h"
#include "domain_change.h"
#include "domain_purge.h"
#include "domain_store.h"
#include "names.h"
#include "notices.h"
#include "status.h"

#define BATCH 500

static bool empty(const char *s) { return !s || !*s; }
static const char *or_null(const char *s) { return empty(s) ? NULL : s; }

/* --- providers ---------------------------------------------------------------------- */

/* The test provider: a deterministic stand-in for an eID (MitID, BankID,
 * Smart-ID). The evidence is the identity the eID login asserted, written
 * CC:IDENT (e.g. DK:0102031234): it verifies the contact when CC and IDENT
 * equal the contact's ident cc and value, and fails it otherwise (also
 * when the contact has no ident). Evidence not in that form is an error:
 * nothing is decided. Never configure it in production. */
static idcheck_outcome test_verify(const struct idcheck_subject *who, const char *evidence,
                                   char reason[IDCHECK_REASON_MAX])
{
    const char *colon = evidence ? strchr(evidence, ':') : NULL;
    if (!colon || colon - evidence != 2 || !isalpha((unsigned char)evidence[0]) ||
        !isalpha((unsigned char)evidence[1]) || !colon[1]) {
        snprintf(reason, IDCHECK_REASON_MAX,
                 "the test provider takes evidence CC:IDENT, e.g. DK:0102031234");
        return IDCHECK_ERROR;
    }
    if (empty(who->ident_value) || empty(who->ident_cc)) {
        snprintf(reason, IDCHECK_REASON_MAX,
                 "contact %s has no ident with a country to compare the eID identity with",
                 who->handle);
        return IDCHECK_FAILED;
    }
    bool same = !strncasecmp(evidence, who->ident_cc, 2) && !who->ident_cc[2] &&
                !strcmp(colon + 1, who->ident_value);
    snprintf(reason, IDCHECK_REASON_MAX, "the eID identity %s the contact's ident (%s, %s)",
             same ? "matches" : "does not match", who->ident_type ? who->ident_type : "?",
             who->ident_cc);
    return same ? IDCHECK_VERIFIED : IDCHECK_FAILED;
}

/* The providers [idcheck] provider may name. An integrator adds one by
 * writing its verify function (in its own file, declared in idcheck.h)
 * and a line here. */
static const struct idcheck_provider providers[] = {
    {"test", test_verify,
     "deterministic stand-in: evidence CC:IDENT verifies when it equals the contact's ident"},
};
#define NPROVIDERS (sizeof providers / sizeof providers[0])

const struct idcheck_provider *idcheck_provider_find(const char *name)
{
    for (size_t i = 0; name && i < NPROVIDERS; i++)
        if (!strcmp(providers[i].name, name))
            return &providers[i];
    return NULL;
}

const char *idcheck_provider_names(void)
{
    static _Thread_local char names[256];
    size_t o = (size_t)snprintf(names, sizeof names, "none");
    for (size_t i = 0; i < NPROVIDERS && o < sizeof names; i++)
        o += (size_t)snprintf(names + o, sizeof names - o, "|%s", providers[i].name);
    return names;
}

/* --- the contact under check ------------------------------------------------------------ */

struct checked {
    int64_t id;
    char handle[CONTACT_ID_MAX + 1];
    char state[12];
    reg_time deadline;
    char method[12];
    reg_time at;
    char kind[16], name[256], email[320];
    char ident_type[16], ident_value[128], ident_cc[8];
};

#define CHECKED_COLUMNS                                                                            \
    "SELECT c.id, c.handle, c.idcheck_state, c.idcheck_deadline, c.kind, (SELECT p.name FROM "     \
    "contact_postal p WHERE p.contact_id = c.id ORDER BY p.type DESC LIMIT 1), c.email, "          \
    "c.ident_type, c.ident_value, c.ident_cc, c.idcheck_method, c.idcheck_at FROM contact c "

/* The contact by stored handle, or by id when handle is NULL, row-locked
 * (PostgreSQL) for the change; *found false if none. */
static reg_err load(const struct reg_op *op, int64_t id, const char *handle, struct checked *c,
                    bool *found, reg_status *st)
{
    memset(c, 0, sizeof *c);
    db_stmt *s = db_query(op->db, handle ? CHECKED_COLUMNS "WHERE c.handle = ? {{for_update}}"
                                         : CHECKED_COLUMNS "WHERE c.id = ? {{for_update}}");
    if (handle)
        db_bind_text(s, 1, handle);
    else
        db_bind_int(s, 1, id);
    *found = db_next(s);
    if (*found) {
        c->id = db_col_int(s, 0);
        str_copy(c->handle, sizeof c->handle, db_col_text(s, 1));
        str_copy(c->state, sizeof c->state, db_col_text(s, 2));
        c->deadline = db_col_is_null(s, 3) ? 0 : db_col_int(s, 3);
        str_copy(c->kind, sizeof c->kind, db_col_text(s, 4));
        str_copy(c->name, sizeof c->name, db_col_text(s, 5));
        str_copy(c->email, sizeof c->email, db_col_text(s, 6));
        str_copy(c->ident_type, sizeof c->ident_type, db_col_text(s, 7));
        str_copy(c->ident_value, sizeof c->ident_value, db_col_text(s, 8));
        str_copy(c->ident_cc, sizeof c->ident_cc, db_col_text(s, 9));
        str_copy(c->method, sizeof c->method, db_col_text(s, 10));
        c->at = db_col_is_null(s, 11) ? 0 : db_col_int(s, 11);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* Only the state and handle, without a lock: the hot path of domain create. */
static reg_err peek(const struct reg_op *op, int64_t id, struct checked *c, bool *found,
                    reg_status *st)
{
    memset(c, 0, sizeof *c);
    db_stmt *s = db_query(op->db, "SELECT idcheck_state, handle FROM contact WHERE id = ?");
    db_bind_int(s, 1, id);
    *found = db_next(s);
    if (*found) {
        str_copy(c->state, sizeof c->state, db_col_text(s, 0));
        str_copy(c->handle, sizeof c->handle, db_col_text(s, 1));
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err load_input(const struct reg_op *op, const char *input, struct checked *c,
                          reg_status *st)
{
    char handle[CONTACT_ID_MAX + 1];
    bool found;
    if (names_contact_lookup(input, handle, st) || load(op, 0, handle, c, &found, st))
        return st->code;
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", handle);
    return REG_OK;
}

/* --- transitions ------------------------------------------------------------------------ */

/* Stores the new state with who (op->actor), when, how and why, and
 * records the contact version (R40) as "idcheck-<state>". */
static reg_err set_state(const struct reg_op *op, struct checked *c, const char *state,
                         reg_time deadline, const char *method, const char *note, reg_status *st)
{
    if (contact_store_set_idcheck(op, c->id, state, deadline, or_null(method), or_null(note), st))
        return st->code;
    str_copy(c->state, sizeof c->state, state);
    c->deadline = deadline;
    char action[32];
    snprintf(action, sizeof action, "idcheck-%s", state);
    return contact_record_version(op, c->handle, action, st);
}

/* The rows (id, name) a query returns, in batches: step runs on each; the
 * query must stop returning a row once step has handled it. Used for
 * domains and, in the job, for contacts. */
typedef reg_err (*row_step)(const struct reg_op *op, int64_t id, const char *name, void *arg,
                               reg_status *st);

struct row_query {
    const char *sql;
    int64_t binds[2];
    int nbinds;
};

struct row {
    int64_t id;
    char name[NAME_MAX_LEN + 1];
};

/* One batch into rows; *n gets how many. */
static reg_err fetch(const struct reg_op *op, const struct row_query *q, struct row *rows,
                     size_t *n, reg_status *st)
{
    *n = 0;
    db_stmt *s = db_query(op->db, q->sql);
    for (int i = 0; i < q->nbinds; i++)
        db_bind_int(s, i + 1, q->binds[i]);
    while (*n < BATCH && db_next(s)) {
        rows[*n].id = db_col_int(s, 0);
        str_copy(rows[*n].name, sizeof rows[*n].name, db_col_text(s, 1));
        (*n)++;
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* rows are the call's own: a step may run each_row again (a contact
 * failing suspends its domains) */
static reg_err each_row(const struct reg_op *op, const struct row_query *q, row_step step,
                           void *arg, int *count, reg_status *st)
{
    struct row *rows = malloc(BATCH * sizeof *rows);
    if (!rows)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory");
    reg_err e = REG_OK;
    for (size_t n = 1; !e && n;) {
        e = fetch(op, q, rows, &n, st);
        for (size_t i = 0; !e && i < n; i++) {
            e = step(op, rows[i].id, rows[i].name, arg, st);
            if (!e && count)
                (*count)++;
        }
    }
    free(rows);
    return e;
}

static bool has_server_hold(const struct reg_op *op, int64_t domain_id, reg_err *e)
{
    db_stmt *s = db_query(op->db, "SELECT 1 FROM object_status WHERE object_kind = 'domain' AND "
                                  "object_id = ? AND status = 'serverHold'");
    db_bind_int(s, 1, domain_id);
    bool held = db_next(s);
    *e = db_done(s);
    return held;
}

/* R22: out of the zone (unless a serverHold for another reason already
 * keeps it out: that one is left as it is) and deleted delete_after from
 * now, unless a deletion is already scheduled. */
static reg_err suspend_one(const struct reg_op *op, int64_t id, const char *name, void *arg,
                           reg_status *st)
{
    (void)arg;
    reg_err e;
    bool held = has_server_hold(op, id, &e);
    if (!e && !held)
        e = status_add(op->db, "domain", id, "serverHold", IDCHECK_HOLD_MESSAGE);
    if (e)
        return op_db_fail(op, st, e);
    reg_time when;
    if (domain_store_set_idcheck_delete(op, id, op->now + op->policy->idcheck_delete_after, &when,
                                        st))
        return st->code;
    char date[REG_TIME_STRLEN], reason[96];
    /* the first 32 characters are the changePoll reason (eppcom:reasonType) */
    snprintf(reason, sizeof reason, "registrant failed identity check; deletion on %s",
             clock_format_date(when, date, sizeof date));
    if (domain_record_version(op, name, "idcheck-hold", st))
        return st->code;
    return domain_notify_change(op, name, "update", reason, st);
}

/* The registrant is verified: the serverHold set for R22 goes (any other
 * stays) and the deletion is cancelled. */
static reg_err lift_one(const struct reg_op *op, int64_t id, const char *name, void *arg,
                        reg_status *st)
{
    (void)arg;
    db_stmt *s = db_query(op->db, "DELETE FROM object_status WHERE object_kind = 'domain' AND "
                                  "object_id = ? AND status = 'serverHold' AND message = ?");
    db_bind_int(s, 1, id);
    db_bind_text(s, 2, IDCHECK_HOLD_MESSAGE);
    reg_err e = db_run(s);
    if (e)
        return op_db_fail(op, st, e);
    if (domain_store_set_idcheck_delete(op, id, 0, NULL, st))
        return st->code;
    if (domain_record_version(op, name, "idcheck-lift", st))
        return st->code;
    return domain_notify_change(op, name, "update", "identity verified: hold lifted", st);
}

static reg_err delete_one(const struct reg_op *op, int64_t id, const char *name, void *arg,
                          reg_status *st)
{
    (void)id;
    (void)arg;
    return domain_purge(op, name, st);
}

/* Every domain of a failed registrant (contact_id, or any: 0) that is not
 * both on serverHold and scheduled for deletion. */
static reg_err suspend_domains(const struct reg_op *op, int64_t contact_id, int *count,
                               reg_status *st)
{
    struct row_query q = {
        .sql = contact_id
                   ? "SELECT d.id, d.name FROM domain d JOIN contact c ON c.id = d.registrant_id "
                     "WHERE c.idcheck_state = 'failed' AND c.id = ? AND (d.idcheck_delete_at IS "
                     "NULL OR NOT EXISTS (SELECT 1 FROM object_status o WHERE o.object_kind = "
                     "'domain' AND o.object_id = d.id AND o.status = 'serverHold')) ORDER BY d.id"
                   : "SELECT d.id, d.name FROM domain d JOIN contact c ON c.id = d.registrant_id "
                     "WHERE c.idcheck_state = 'failed' AND (d.idcheck_delete_at IS NULL OR NOT "
                     "EXISTS (SELECT 1 FROM object_status o WHERE o.object_kind = 'domain' AND "
                     "o.object_id = d.id AND o.status = 'serverHold')) ORDER BY d.id",
        .binds = {contact_id},
        .nbinds = contact_id ? 1 : 0,
    };
    return each_row(op, &q, suspend_one, NULL, count, st);
}

/* Every suspended domain whose registrant (contact_id, or any: 0) is
 * verified now. */
static reg_err lift_domains(const struct reg_op *op, int64_t contact_id, int *count,
                            reg_status *st)
{
    struct row_query q = {
        .sql = contact_id
                   ? "SELECT d.id, d.name FROM domain d JOIN contact c ON c.id = d.registrant_id "
                     "WHERE d.idcheck_delete_at IS NOT NULL AND c.idcheck_state = 'verified' "
                     "AND c.id = ? ORDER BY d.id"
                   : "SELECT d.id, d.name FROM domain d JOIN contact c ON c.id = d.registrant_id "
                     "WHERE d.idcheck_delete_at IS NOT NULL AND c.idcheck_state = 'verified' "
                     "ORDER BY d.id",
        .binds = {contact_id},
        .nbinds = contact_id ? 1 : 0,
    };
    return each_row(op, &q, lift_one, NULL, count, st);
}

/* *lifted (may be NULL) counts the domains released. */
static reg_err become_verified(const struct reg_op *op, struct checked *c, const char *method,
                               const char *note, int *lifted, reg_status *st)
{
    if (set_state(op, c, "verified", 0, method, note, st))
        return st->code;
    return lift_domains(op, c->id, lifted, st);
}

/* missed_deadline: the deadline it failed by, or 0. A contact already
 * failed gets the new decision recorded, nothing more. *suspended (may be
 * NULL) counts the domains suspended. */
static reg_err become_failed(const struct reg_op *op, struct checked *c, const char *method,
                             const char *note, reg_time missed_deadline, int *suspended,
                             reg_status *st)
{
    bool already = !strcmp(c->state, "failed");
    if (set_state(op, c, "failed", 0, method, note, st))
        return st->code;
    if (already)
        return REG_OK;
    if (op->policy->idcheck_enabled && suspend_domains(op, c->id, suspended, st))
        return st->code;
    return notice_idcheck_failed(op, c->id, missed_deadline, st);
}

static reg_err become_pending(const struct reg_op *op, struct checked *c, const char *alabel,
                              reg_status *st)
{
    reg_time deadline = op->now + op->policy->idcheck_deadline;
    if (set_state(op, c, "pending", deadline, NULL, NULL, st))
        return st->code;
    return notice_idcheck_pending(op, c->id, alabel, deadline, st);
}

/* --- the API ------------------------------------------------------------------------------- */

reg_err idcheck_registrant(const struct reg_op *op, int64_t contact_id, const char *alabel,
                           reg_status *st)
{
    if (!op->policy->idcheck_enabled)
        return REG_OK;
    struct checked c;
    bool found;
    /* every create reads the registrant; only the first one changes it,
     * so the row lock is taken only then (a registrant with many domains
     * must not serialise their creates). A check failed meanwhile is
     * caught by the job, which suspends its domains. */
    if (peek(op, contact_id, &c, &found, st) ||
        (found && !strcmp(c.state, "none") && load(op, contact_id, NULL, &c, &found, st)))
        return st->code;
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "contact %lld does not exist",
                        (long long)contact_id);
    /* 2306: the registrant parameter names a contact the registry's
     * policy refuses (R22), see docs/epp-contacts.md */
    if (!strcmp(c.state, "failed"))
        return reg_fail(st, REG_ERR_POLICY, "registrant %s failed its identity check", c.handle);
    if (!strcmp(c.state, "none"))
        return become_pending(op, &c, alabel, st);
    return REG_OK;
}

static reg_err check_decision(const char *method, const char *note, reg_status *st)
{
    if (empty(method) || (strcmp(method, "eid") && strcmp(method, "documents")))
        return reg_fail(st, REG_ERR_INVALID, "method \"%s\" is not eid or documents",
                        method ? method : "");
    if (empty(note))
        return reg_fail(st, REG_ERR_MISSING, "a note is required: say what was checked");
    if (strlen(note) > IDCHECK_NOTE_MAX)
        return reg_fail(st, REG_ERR_RANGE, "the note is longer than %d characters",
                        IDCHECK_NOTE_MAX);
    return precis_text_check("the note", note, st);
}

static reg_err already(const struct checked *c, reg_status *st)
{
    char date[REG_TIME_STRLEN];
    return reg_fail(st, REG_ERR_POLICY, "contact %s is already %s (%s%s%s)", c->handle, c->state,
                    c->method[0] ? c->method : "", c->method[0] ? ", " : "",
                    c->at ? clock_format(c->at, date, sizeof date) : "no date");
}

reg_err idcheck_decide(const struct reg_op *op, const char *handle, bool verified,
                       const char *method, const char *note, int *domains, reg_status *st)
{
    struct checked c;
    *domains = 0;
    if (check_decision(method, note, st) || load_input(op, handle, &c, st))
        return st->code;
    if (!strcmp(c.state, verified ? "verified" : "failed"))
        return already(&c, st);
    return verified ? become_verified(op, &c, method, note, domains, st)
                    : become_failed(op, &c, method, note, 0, domains, st);
}

reg_err idcheck_eid(const struct reg_op *op, const struct idcheck_provider *p, const char *handle,
                    const char *evidence, idcheck_outcome *out, int *domains, reg_status *st)
{
    *out = IDCHECK_ERROR;
    *domains = 0;
    if (!p)
        return reg_fail(st, REG_ERR_CONFIG,
                        "no eID provider is configured: set [idcheck] provider (%s)",
                        idcheck_provider_names());
    if (empty(evidence))
        return reg_fail(st, REG_ERR_MISSING, "give the evidence the eID produced");
    struct checked c;
    if (load_input(op, handle, &c, st))
        return st->code;
    if (!strcmp(c.state, "verified"))
        return already(&c, st);
    struct idcheck_subject who = {
        .handle = c.handle,
        .kind = or_null(c.kind),
        .name = or_null(c.name),
        .ident_type = or_null(c.ident_type),
        .ident_value = or_null(c.ident_value),
        .ident_cc = or_null(c.ident_cc),
        .email = or_null(c.email),
    };
    char reason[IDCHECK_REASON_MAX] = "";
    *out = p->verify(&who, evidence, reason);
    if (*out == IDCHECK_ERROR)
        return reg_fail(st, REG_ERR_IO, "eID provider %s: %s", p->name,
                        reason[0] ? reason : "no answer");
    char note[IDCHECK_REASON_MAX + 64];
    snprintf(note, sizeof note, "eID provider %s: %s", p->name, reason);
    return *out == IDCHECK_VERIFIED ? become_verified(op, &c, "eid", note, domains, st)
                                    : become_failed(op, &c, "eid", note, 0, domains, st);
}

reg_err idcheck_list(const struct reg_op *op, const char *state,
                     void (*fn)(const struct idcheck_row *r, void *arg), void *arg,
                     reg_status *st)
{
    static const char *const states[] = {"none", "pending", "verified", "failed"};
    bool known = !state;
    for (size_t i = 0; state && i < sizeof states / sizeof states[0]; i++)
        known |= !strcmp(states[i], state);
    if (!known)
        return reg_fail(st, REG_ERR_INVALID,
                        "state \"%s\" is not none, pending, verified or failed", state);
#define LIST_SQL                                                                                   \
    "SELECT c.handle, r.handle, c.idcheck_state, c.idcheck_method, c.idcheck_by, c.idcheck_note, " \
    "c.idcheck_deadline, c.idcheck_at, (SELECT COUNT(*) FROM domain d WHERE d.registrant_id = "    \
    "c.id) FROM contact c JOIN registrar r ON r.id = c.sponsor_id "
#define LIST_ORDER " ORDER BY COALESCE(c.idcheck_deadline, c.idcheck_at, 0), c.handle"
    db_stmt *s = db_query(op->db, state ? LIST_SQL "WHERE c.idcheck_state = ?" LIST_ORDER
                                        : LIST_SQL "WHERE c.idcheck_state <> 'none'" LIST_ORDER);
#undef LIST_SQL
#undef LIST_ORDER
    if (state)
        db_bind_text(s, 1, state);
    while (db_next(s)) {
        struct idcheck_row r = {
            .handle = db_col_text(s, 0),
            .sponsor = db_col_text(s, 1),
            .state = db_col_text(s, 2),
            .method = db_col_is_null(s, 3) ? "" : db_col_text(s, 3),
            .by = db_col_is_null(s, 4) ? "" : db_col_text(s, 4),
            .note = db_col_is_null(s, 5) ? "" : db_col_text(s, 5),
            .deadline = db_col_is_null(s, 6) ? 0 : db_col_int(s, 6),
            .at = db_col_is_null(s, 7) ? 0 : db_col_int(s, 7),
            .domains = db_col_int(s, 8),
        };
        fn(&r, arg);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* --- the job (R22) ------------------------------------------------------------------------ */

static reg_err start_one(const struct reg_op *op, int64_t contact_id, const char *alabel,
                         void *arg, reg_status *st)
{
    (void)arg;
    struct checked c;
    bool found;
    if (load(op, contact_id, NULL, &c, &found, st))
        return st->code;
    return found ? become_pending(op, &c, alabel, st) : REG_OK;
}

static reg_err fail_one(const struct reg_op *op, int64_t contact_id, const char *handle,
                        void *arg, reg_status *st)
{
    (void)handle;
    struct idcheck_run *run = arg;
    struct checked c;
    bool found;
    if (load(op, contact_id, NULL, &c, &found, st))
        return st->code;
    if (!found)
        return REG_OK;
    char date[REG_TIME_STRLEN], note[96];
    snprintf(note, sizeof note, "not verified by the deadline %s",
             clock_format(c.deadline, date, sizeof date));
    return become_failed(op, &c, NULL, note, c.deadline, &run->suspended, st);
}

reg_err idcheck_deadline_pass(const struct reg_op *op, struct idcheck_run *out, reg_status *st)
{
    memset(out, 0, sizeof *out);
    if (!op->policy->idcheck_enabled)
        return REG_OK;
    /* registrants from before checks were enabled, or made registrant by a
     * path that did not start one (R21: every registrant is checked) */
    struct row_query unchecked = {
        .sql = "SELECT c.id, MIN(d.name) FROM contact c JOIN domain d ON d.registrant_id = c.id "
               "WHERE c.idcheck_state = 'none' GROUP BY c.id ORDER BY c.id",
    };
    struct row_query overdue = {
        .sql = "SELECT id, handle FROM contact WHERE idcheck_state = 'pending' AND "
               "idcheck_deadline <= ? ORDER BY idcheck_deadline, id",
        .binds = {op->now},
        .nbinds = 1,
    };
    if (each_row(op, &unchecked, start_one, NULL, &out->started, st) ||
        each_row(op, &overdue, fail_one, out, &out->failed, st) ||
        suspend_domains(op, 0, &out->suspended, st) || lift_domains(op, 0, &out->lifted, st))
        return st->code;
    /* after the lift: a verified registrant's domain is never deleted */
    struct row_query due = {
        .sql = "SELECT d.id, d.name FROM domain d JOIN contact c ON c.id = d.registrant_id "
               "WHERE d.idcheck_delete_at IS NOT NULL AND d.idcheck_delete_at <= ? AND "
               "c.idcheck_state <> 'verified' ORDER BY d.idcheck_delete_at, d.id",
        .binds = {op->now},
        .nbinds = 1,
    };
    return each_row(op, &due, delete_one, NULL, &out->deleted, st);
}
