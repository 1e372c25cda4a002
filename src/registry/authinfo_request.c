/* Auth-code requests (R15): see authinfo_request.h. */
#include "authinfo_request.h"

#include <stdio.h>
#include <string.h>

#include "contrib/precis.h"
#include "contrib/strutil.h"
#include "contrib/workdays.h"
#include "domain_store.h"
#include "poll.h"

#define REQUEST_COLUMNS                                                                        \
    "SELECT q.id, d.name, r.handle, q.requested_at, q.deadline, q.closed_at, q.outcome, "     \
    "q.note, q.actor, q.channel, q.closed_by, q.registrar_id, q.overdue_notified_at FROM "  \
    "authinfo_request q JOIN "                                                                 \
    "domain d ON d.id = q.domain_id JOIN registrar r ON r.id = q.registrar_id "

static void read_request(db_stmt *s, struct authinfo_req *out)
{
    memset(out, 0, sizeof *out);
    out->id = db_col_int(s, 0);
    str_copy(out->domain, sizeof out->domain, db_col_text(s, 1));
    str_copy(out->registrar, sizeof out->registrar, db_col_text(s, 2));
    out->requested_at = db_col_int(s, 3);
    out->deadline = db_col_int(s, 4);
    out->closed_at = db_col_int(s, 5);
    str_copy(out->outcome, sizeof out->outcome, db_col_text(s, 6));
    str_copy(out->note, sizeof out->note, db_col_text(s, 7));
    str_copy(out->actor, sizeof out->actor, db_col_text(s, 8));
    str_copy(out->channel, sizeof out->channel, db_col_text(s, 9));
    str_copy(out->closed_by, sizeof out->closed_by, db_col_text(s, 10));
    out->registrar_id = db_col_int(s, 11);
    out->overdue_at = db_col_int(s, 12);
}

/* The domain's open request, if any (*found). */
static reg_err open_request(const struct reg_op *op, int64_t domain_id, struct authinfo_req *out,
                            bool *found, reg_status *st)
{
    db_stmt *s = db_query(op->db, REQUEST_COLUMNS "WHERE q.domain_id = ? AND q.closed_at IS NULL "
                                                  "ORDER BY q.id LIMIT 1");
    db_bind_int(s, 1, domain_id);
    *found = db_next(s);
    if (*found)
        read_request(s, out);
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err sponsor_of(const struct reg_op *op, int64_t domain_id, int64_t *sponsor,
                          reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT sponsor_id FROM domain WHERE id = ?");
    db_bind_int(s, 1, domain_id);
    *sponsor = db_next(s) ? db_col_int(s, 0) : 0;
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err tell_sponsor(const struct reg_op *op, int64_t sponsor, const struct authinfo_req *r,
                            int days, reg_status *st)
{
    char asked[REG_TIME_STRLEN], due[REG_TIME_STRLEN], msg[AUTHINFO_NOTE_MAX + 512];
    clock_format_date(r->requested_at, asked, sizeof asked);
    clock_format_date(r->deadline, due, sizeof due);
    int n = snprintf(msg, sizeof msg,
                     "Auth-code request for %s: the registrant asked for the auth info on %s; "
                     "give it to them by the end of %s (UTC, %d working days)",
                     r->domain, asked, due, days);
    if (r->note[0] && n > 0 && (size_t)n < sizeof msg)
        snprintf(msg + n, sizeof msg - (size_t)n, ". Note: %s", r->note);
    return poll_enqueue_notice(op->db, sponsor, "authinfoRequest", msg, "domain", r->domain,
                               st);
}

reg_err authinfo_request(const struct reg_op *op, const char *name, const char *note,
                         struct authinfo_req *out, bool *existed, reg_status *st)
{
    *existed = false;
    memset(out, 0, sizeof *out);
    if (note && strlen(note) > AUTHINFO_NOTE_MAX)
        return reg_fail(st, REG_ERR_RANGE, "the note is longer than %d bytes", AUTHINFO_NOTE_MAX);
    if (precis_text_check("the note", note, st))
        return st->code;
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    int64_t domain_id = d.id;
    domain_free(&d);
    if (open_request(op, domain_id, out, existed, st))
        return st->code;
    if (*existed)
        return REG_OK;
    int64_t sponsor;
    if (sponsor_of(op, domain_id, &sponsor, st))
        return st->code;
    int days = op->policy->authinfo_deadline_days;
    db_stmt *s = db_query(op->db, "INSERT INTO authinfo_request (domain_id, registrar_id, "
                                  "requested_at, deadline, note, actor, channel) VALUES (?, ?, ?, "
                                  "?, ?, ?, ?)");
    db_bind_int(s, 1, domain_id);
    db_bind_int(s, 2, sponsor);
    db_bind_int(s, 3, op->now);
    db_bind_int(s, 4, workdays_deadline(&op->policy->holidays, op->now, days));
    /* one line, valid text: precis_text_check refused controls above */
    db_bind_text(s, 5, note && note[0] ? note : NULL);
    db_bind_text(s, 6, op->actor);
    db_bind_text(s, 7, op->channel);
    reg_err e = db_run(s);
    if (e)
        return op_db_fail(op, st, e);
    bool found;
    if (open_request(op, domain_id, out, &found, st))
        return st->code;
    return tell_sponsor(op, sponsor, out, days, st);
}

reg_err authinfo_request_latest(const struct reg_op *op, const char *alabel,
                                struct authinfo_req *out, bool *found, reg_status *st)
{
    db_stmt *s = db_query(op->db, REQUEST_COLUMNS "WHERE d.name = ? ORDER BY q.id DESC LIMIT 1");
    db_bind_text(s, 1, alabel);
    *found = db_next(s);
    if (*found)
        read_request(s, out);
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

bool authinfo_request_overdue(const struct reg_op *op, const struct authinfo_req *r)
{
    return !r->closed_at && (r->deadline < op->now || r->overdue_at);
}

static reg_err close_open(const struct reg_op *op, int64_t domain_id, const char *outcome,
                          reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE authinfo_request SET closed_at = ?, outcome = ?, "
                                  "closed_by = ? WHERE domain_id = ? AND closed_at IS NULL");
    db_bind_int(s, 1, op->now);
    db_bind_text(s, 2, outcome);
    db_bind_text(s, 3, op->actor);
    db_bind_int(s, 4, domain_id);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err authinfo_request_done(const struct reg_op *op, const char *name, struct authinfo_req *out,
                              reg_status *st)
{
    struct domain d;
    if (domain_load_input(op, name, &d, NULL, 0, st))
        return st->code;
    int64_t domain_id = d.id;
    char alabel[NAME_MAX_LEN + 1];
    str_copy(alabel, sizeof alabel, d.name.alabel);
    domain_free(&d);
    bool found;
    if (open_request(op, domain_id, out, &found, st))
        return st->code;
    if (!found)
        return reg_fail(st, REG_ERR_NOT_PENDING, "%s has no open auth-code request", alabel);
    if (close_open(op, domain_id, "done", st))
        return st->code;
    out->closed_at = op->now;
    str_copy(out->outcome, sizeof out->outcome, "done");
    str_copy(out->closed_by, sizeof out->closed_by, op->actor);
    return REG_OK;
}

reg_err authinfo_requests_close(const struct reg_op *op, int64_t domain_id, const char *outcome,
                                reg_status *st)
{
    return close_open(op, domain_id, outcome, st);
}

reg_err authinfo_request_each(const struct reg_op *op, authinfo_list which,
                              void (*fn)(const struct authinfo_req *r, void *arg), void *arg,
                              reg_status *st)
{
    static const char *const sql[] = {
        [AUTHINFO_LIST_OPEN] = REQUEST_COLUMNS "WHERE q.closed_at IS NULL "
                                               "ORDER BY q.deadline, q.id",
        [AUTHINFO_LIST_OVERDUE] = REQUEST_COLUMNS "WHERE q.closed_at IS NULL AND q.deadline < ? "
                                                  "ORDER BY q.deadline, q.id",
        [AUTHINFO_LIST_ALL] = REQUEST_COLUMNS "ORDER BY q.id DESC",
    };
    db_stmt *s = db_query(op->db, sql[which]);
    if (which == AUTHINFO_LIST_OVERDUE)
        db_bind_int(s, 1, op->now);
    struct authinfo_req r;
    while (db_next(s)) {
        read_request(s, &r);
        fn(&r, arg);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err tell_overdue(const struct reg_op *op, const struct authinfo_req *r, reg_status *st)
{
    db_stmt *s = db_query(op->db, "UPDATE authinfo_request SET overdue_notified_at = ? WHERE id = ?");
    db_bind_int(s, 1, op->now);
    db_bind_int(s, 2, r->id);
    reg_err e = db_run(s);
    if (e)
        return op_db_fail(op, st, e);
    char due[REG_TIME_STRLEN], asked[REG_TIME_STRLEN], msg[NAME_MAX_LEN + 300];
    snprintf(msg, sizeof msg,
             "Auth-code request for %s is overdue: asked on %s, due by the end of %s (UTC); "
             "give the registrant the auth info now",
             r->domain, clock_format_date(r->requested_at, asked, sizeof asked),
             clock_format_date(r->deadline, due, sizeof due));
    return poll_enqueue_notice(op->db, r->registrar_id, "authinfoOverdue", msg, "domain",
                               r->domain, st);
}

reg_err authinfo_requests_overdue(const struct reg_op *op, int *count, reg_status *st)
{
    *count = 0;
    for (;;) {
        db_stmt *s = db_query(op->db, REQUEST_COLUMNS "WHERE q.closed_at IS NULL AND "
                                                      "q.deadline < ? AND q.overdue_notified_at "
                                                      "IS NULL ORDER BY q.deadline, q.id LIMIT 1");
        db_bind_int(s, 1, op->now);
        struct authinfo_req r;
        bool found = db_next(s);
        if (found)
            read_request(s, &r);
        reg_err e = db_done(s);
        if (e)
            return op_db_fail(op, st, e);
        if (!found)
            return REG_OK;
        if (tell_overdue(op, &r, st))
            return st->code;
        (*count)++;
    }
}
