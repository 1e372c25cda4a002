#include <string.h>

#include "regctl.h"

/* A staff operation context for commands that call the registry; begin
 * (if any) opens its transaction. */
static bool open_with(struct regctl *ctl, struct regctl_session *s, const char *what,
                      reg_err (*begin)(db *d))
{
    memset(s, 0, sizeof *s);
    s->db = regctl_db(ctl);
    if (!s->db)
        return false;
    policy_from_config(&ctl->cfg, &s->policy);
    s->op = (struct reg_op){.db = s->db, .policy = &s->policy, .actor = "staff",
                            .channel = "regctl", .now = clock_now()};
    if (begin && begin(s->db)) {
        regctl_fail(what, "database: %s", db_errmsg(s->db));
        policy_free(&s->policy);
        return false;
    }
    return true;
}

bool regctl_session_open(struct regctl *ctl, struct regctl_session *s, const char *what,
                         bool write)
{
    return open_with(ctl, s, what, write ? db_begin : NULL);
}

bool regctl_session_snapshot(struct regctl *ctl, struct regctl_session *s, const char *what)
{
    return open_with(ctl, s, what, db_begin_snapshot);
}

int regctl_session_close(struct regctl_session *s, const char *what, reg_err e,
                         const reg_status *st)
{
    bool commit_failed = false;
    if (db_in_transaction(s->db)) {
        if (!e && (e = db_commit(s->db)))
            commit_failed = true;
        else if (e)
            db_rollback(s->db);
    }
    int rc = 0;
    if (commit_failed)
        rc = regctl_fail(what, "cannot commit: %s", db_errmsg(s->db));
    else if (e) /* one line even when the failure left no reason */
        rc = regctl_fail(what, "%s", st->reason[0] ? st->reason : db_errmsg(s->db));
    policy_free(&s->policy);
    return rc;
}
