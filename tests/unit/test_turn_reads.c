/* One read snapshot a turn of an event loop (src/daemon/turn_reads.c,
 * issue 15): the lookups of one turn share it, it is over before the loop
 * waits again, a change made meanwhile is seen from the next turn on, a
 * request that may write leaves it first, and nothing is written in it. */
#include "regfixture.h"

#include <event2/event.h>
#include <string.h>

#include "contrib/metric_table.h"
#include "daemon/turn_reads.h"
#include "registry/rdds_data.h"

struct turn_fx {
    struct fixture f;
    struct event_base *base;
    struct turn_reads t;
    db *other;        /* a second connection: changes made beside the loop */
    char seen[4][64]; /* REGB's name, as each lookup read it */
    int nseen;
    int renames;
};

static void start(void **state, struct turn_fx *x)
{
    memset(x, 0, sizeof *x);
    setup(state, &x->f, "turnreads");
    x->base = event_base_new();
    assert_non_null(x->base);
    assert_int_equal(turn_reads_init(&x->t, x->base, x->f.d), REG_OK);
    char err[256] = "";
    assert_int_equal(db_open(x->f.url, &x->other, err, sizeof err), REG_OK);
}

static void finish(struct turn_fx *x)
{
    turn_reads_free(&x->t);
    event_base_free(x->base);
    db_close(x->other);
    teardown(&x->f);
}

/* A lookup as RDAP's and WHOIS's: join, then read through the rdds API. */
static void on_lookup(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct turn_fx *x = arg;
    turn_reads_join(&x->t);
    assert_true(db_in_transaction(x->f.d));
    struct arena a;
    arena_init(&a, 1 << 16);
    struct rdds_registrar r;
    reg_status st = {0};
    assert_int_equal(rdds_find_registrar(x->f.d, "REGB", &a, &r, &st), REG_OK);
    snprintf(x->seen[x->nseen++], sizeof x->seen[0], "%s", r.name);
    arena_free(&a);
}

/* Someone else renames REGB meanwhile (committed at once). */
static void on_rename(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct turn_fx *x = arg;
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE registrar SET name = 'Beta %d' WHERE handle = 'REGB'",
             ++x->renames);
    assert_int_equal(db_exec(x->other, sql), REG_OK);
}

/* A request that may write, on the loop's own connection. */
static void on_write(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct turn_fx *x = arg;
    turn_reads_leave(&x->t);
    assert_false(db_in_transaction(x->f.d));
    assert_int_equal(db_begin(x->f.d), REG_OK);
    assert_int_equal(db_exec(x->f.d, "UPDATE registrar SET name = 'Written' WHERE handle = "
                                     "'REGB'"),
                     REG_OK);
    assert_int_equal(db_commit(x->f.d), REG_OK);
}

/* Runs the events of evs[] (made active in that order) in one turn. */
static void one_turn(struct turn_fx *x, event_callback_fn const *fns, int n)
{
    struct event *evs[8];
    for (int i = 0; i < n; i++) {
        evs[i] = event_new(x->base, -1, 0, fns[i], x);
        event_active(evs[i], EV_TIMEOUT, 1);
    }
    assert_int_equal(event_base_loop(x->base, EVLOOP_ONCE | EVLOOP_NONBLOCK), 0);
    for (int i = 0; i < n; i++)
        event_free(evs[i]);
}

static void turn_reads_one_snapshot_a_turn_none_between_turns(void **state)
{
    struct turn_fx x;
    start(state, &x);
    /* turn 1: two lookups around a rename: one snapshot, begun before it
     * (however long the rename takes: its age bound is the next test's) */
    x.t.max_age_us = 60 * 1000000;
    one_turn(&x, (event_callback_fn[]){on_lookup, on_rename, on_lookup}, 3);
    assert_int_equal(x.t.snapshots, 1);
    assert_string_equal(x.seen[0], "Beta Registrar");
    assert_string_equal(x.seen[1], "Beta Registrar");
    /* over before the loop waits: writers and checkpoints are not held up */
    assert_false(db_in_transaction(x.f.d));
    assert_false(x.t.held);
    /* turn 2: a snapshot of its own, which sees the rename */
    one_turn(&x, (event_callback_fn[]){on_lookup}, 1);
    assert_int_equal(x.t.snapshots, 2);
    assert_string_equal(x.seen[2], "Beta 1");
    assert_false(db_in_transaction(x.f.d));
    finish(&x);
}

static void turn_reads_a_write_leaves_the_snapshot_first(void **state)
{
    struct turn_fx x;
    start(state, &x);
    x.t.max_age_us = 60 * 1000000;
    one_turn(&x, (event_callback_fn[]){on_lookup, on_write, on_lookup}, 3);
    /* the lookup after the write joins a new snapshot, which sees it */
    assert_int_equal(x.t.snapshots, 2);
    assert_string_equal(x.seen[0], "Beta Registrar");
    assert_string_equal(x.seen[1], "Written");
    assert_false(db_in_transaction(x.f.d));
    finish(&x);
}

static void turn_reads_refuses_a_write_in_the_snapshot(void **state)
{
    struct turn_fx x;
    start(state, &x);
    turn_reads_join(&x.t);
    assert_true(x.t.held);
    assert_int_not_equal(db_exec(x.f.d, "UPDATE registrar SET name = 'No' WHERE handle = 'REGB'"),
                         REG_OK);
    assert_true(db_write_refused(x.f.d));
    /* refused as a write (PostgreSQL's "read-only transaction" too) */
    assert_non_null(strstr(db_errmsg(x.f.d), "read-only transaction"));
    turn_reads_leave(&x.t);
    assert_false(db_in_transaction(x.f.d));
    /* nothing was written */
    db_stmt *s = db_query(x.other, "SELECT name FROM registrar WHERE handle = 'REGB'");
    assert_true(db_next(s));
    assert_string_equal(db_col_text(s, 0), "Beta Registrar");
    assert_int_equal(db_done(s), REG_OK);
    /* the turn's end event finds nothing held */
    assert_int_equal(event_base_loop(x.base, EVLOOP_ONCE | EVLOOP_NONBLOCK), 0);
    assert_int_equal(x.t.snapshots, 1);
    finish(&x);
}

/* A snapshot serves for max_age_us at most, however long the turn: a
 * lookup met after that joins a new one, which sees what was committed
 * meanwhile (WHOIS answers a whole accept burst in one turn). */
static void turn_reads_a_snapshot_serves_for_a_bounded_time(void **state)
{
    struct turn_fx x;
    start(state, &x);
    x.t.max_age_us = 0; /* every snapshot too old for a second lookup */
    one_turn(&x, (event_callback_fn[]){on_lookup, on_rename, on_lookup}, 3);
    assert_int_equal(x.t.snapshots, 2);
    assert_string_equal(x.seen[0], "Beta Registrar");
    assert_string_equal(x.seen[1], "Beta 1");
    assert_false(db_in_transaction(x.f.d));
    finish(&x);
}

static int64_t db_errors(const char *kind) { return metric_value(METRIC(M_DB_ERRORS), &kind); }

/* A statement that fails in the snapshot is a database error of
 * registryd_db_errors_total (the lookups run nothing again); a refused
 * write is not one (EPP's read batches run again as writes). */
static void turn_reads_a_failed_lookup_is_counted(void **state)
{
    struct turn_fx x;
    start(state, &x);
    int64_t other = db_errors("other");
    turn_reads_join(&x.t);
    db_stmt *s = db_query(x.f.d, "SELECT no_such_column FROM registrar");
    assert_false(db_next(s));
    assert_int_not_equal(db_done(s), REG_OK);
    assert_int_equal(db_errors("other"), other + 1);
    turn_reads_leave(&x.t);
    turn_reads_join(&x.t);
    assert_int_not_equal(db_exec(x.f.d, "UPDATE registrar SET name = 'No'"), REG_OK);
    assert_true(db_write_refused(x.f.d));
    assert_int_equal(db_errors("other"), other + 1);
    turn_reads_leave(&x.t);
    assert_false(db_in_transaction(x.f.d));
    finish(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(turn_reads_one_snapshot_a_turn_none_between_turns),
        BOTH_BACKENDS(turn_reads_a_write_leaves_the_snapshot_first),
        BOTH_BACKENDS(turn_reads_refuses_a_write_in_the_snapshot),
        BOTH_BACKENDS(turn_reads_a_snapshot_serves_for_a_bounded_time),
        BOTH_BACKENDS(turn_reads_a_failed_lookup_is_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
