/* The registry fixture with registrars by handle: see regfx.h. */
#include "regfx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkpolicy.h"

const char *const REGS[3] = {"REG-A", "REG-B", "REG-C"};

void exec_sql(struct fx *f, const char *sql)
{
    if (db_exec(f->db, sql))
        fail_msg("%s: %s", sql, db_errmsg(f->db));
}

int64_t scalar(struct fx *f, const char *sql, const char *arg)
{
    db_stmt *s = db_query(f->db, sql);
    if (arg)
        db_bind_text(s, 1, arg);
    int64_t v = db_next(s) ? db_col_int(s, 0) : -1;
    if (db_done(s))
        fail_msg("%s: %s", sql, db_errmsg(f->db));
    return v;
}

char *text_of(struct fx *f, const char *sql, const char *arg)
{
    db_stmt *s = db_query(f->db, sql);
    if (arg)
        db_bind_text(s, 1, arg);
    char *v = db_next(s) && db_col_text(s, 0) ? strdup(db_col_text(s, 0)) : NULL;
    if (db_done(s))
        fail_msg("%s: %s", sql, db_errmsg(f->db));
    return v;
}

int reg_index(const char *handle)
{
    for (int i = 0; i < 3; i++)
        if (!strcmp(REGS[i], handle))
            return i;
    fail_msg("no registrar %s", handle);
    return -1;
}

void make_contact(struct fx *f, const char *sponsor, const char *handle, const char *email,
                  const char *mobile)
{
    char sql[600], mob[64] = "NULL";
    if (mobile)
        snprintf(mob, sizeof mob, "'%s'", mobile);
    long long id = (long long)f->reg_id[reg_index(sponsor)];
    snprintf(sql, sizeof sql,
             "INSERT INTO contact (handle, sponsor_id, creator_id, email, mobile, created_at) "
             "VALUES ('%s', %lld, %lld, '%s', %s, %lld)",
             handle, id, id, email, mob, (long long)f->t0);
    exec_sql(f, sql);
}

void make_host(struct fx *f, const char *sponsor, const char *name, const char *superordinate)
{
    char sql[512], sup[300] = "NULL";
    if (superordinate)
        snprintf(sup, sizeof sup, "(SELECT id FROM domain WHERE name = '%s')", superordinate);
    long long id = (long long)f->reg_id[reg_index(sponsor)];
    snprintf(sql, sizeof sql,
             "INSERT INTO host (name, sponsor_id, creator_id, superordinate_id, created_at) "
             "VALUES ('%s', %lld, %lld, %s, %lld)",
             name, id, id, sup, (long long)f->t0);
    exec_sql(f, sql);
}

void fx_open_at(struct fx *f, void **state, const char *base, reg_time t0)
{
    char name[64];
    struct test_backend *b = *state;
    snprintf(name, sizeof name, "%s_%s", base, b->label);
    memset(f, 0, sizeof *f);
    clock_set_fixed(t0);
    f->t0 = f->now = t0;
    f->svtrid = "SV-TEST";
    f->db = test_db_open(b->kind, name);
    test_use_pepper();
    dk_policy(&f->policy);
    for (int i = 0; i < 3; i++) {
        char sql[300];
        snprintf(sql, sizeof sql,
                 "INSERT INTO registrar (handle, name, password_hash, created_at, updated_at) "
                 "VALUES ('%s', 'Registrar %s', 'x', %lld, %lld)",
                 REGS[i], REGS[i], (long long)t0, (long long)t0);
        exec_sql(f, sql);
        f->reg_id[i] = scalar(f, "SELECT id FROM registrar WHERE handle = ?", REGS[i]);
    }
}

void fx_open(struct fx *f, void **state, const char *base)
{
    fx_open_at(f, state, base, T0);
}

void fx_close(struct fx *f)
{
    assert_false(db_in_transaction(f->db));
    policy_free(&f->policy);
    db_close(f->db);
}

struct reg_op op_of(struct fx *f, const char *who)
{
    bool staff = !strcmp(who, "staff"), job = !strcmp(who, "job");
    struct reg_op o = {
        .db = f->db,
        .policy = &f->policy,
        .registrar_id = staff || job ? 0 : f->reg_id[reg_index(who)],
        .actor = job ? "job:test" : who,
        .channel = staff ? "regctl" : job ? "job" : "epp",
        .svtrid = staff || job ? NULL : f->svtrid,
        .now = f->now,
    };
    return o;
}

reg_err fx_tx_end(db *d, reg_err e)
{
    if (e)
        assert_int_equal(db_rollback(d), REG_OK);
    else
        assert_int_equal(db_commit(d), REG_OK);
    return e;
}

void ok_at(reg_err e, const reg_status *st, const char *what, int line)
{
    if (e)
        fail_msg("line %d: %s: %s: %s", line, what, reg_errname(e), reg_status_text(st));
}

void err_at(reg_err e, reg_err want, const reg_status *st, const char *what, int line)
{
    if (e != want)
        fail_msg("line %d: %s: got %s (%s), want %s", line, what, reg_errname(e),
                 e ? reg_status_text(st) : "", reg_errname(want));
    if (!st->reason[0])
        fail_msg("line %d: %s: %s without a reason", line, what, reg_errname(e));
}

int64_t poll_count(struct fx *f, const char *clid, struct poll_msg *oldest)
{
    int64_t count;
    bool found;
    struct poll_msg m;
    reg_status st = {0};
    assert_int_equal(poll_peek(f->db, f->reg_id[reg_index(clid)], &count, &m, &found, &st),
                     REG_OK);
    if (oldest)
        *oldest = m;
    else
        poll_msg_free(&m);
    return count;
}

void drain_poll(struct fx *f, const char *clid)
{
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM poll_message WHERE registrar_id = %lld",
             (long long)f->reg_id[reg_index(clid)]);
    exec_sql(f, sql);
}
