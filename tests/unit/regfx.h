/* A registry fixture for unit tests of one registry module on both
 * backends, with the objects around it inserted by SQL: a fresh database
 * with registrars REG-A, REG-B and REG-C ("Registrar REG-A", ...), a .dk
 * policy, the clock fixed at the start time, operations named by the
 * registrar's handle, OK/ERR checks that name their line, and the poll
 * queue. tests/unit/regfixture.h is the fixture that makes everything
 * through the registry API. */
#ifndef REG_REGFX_H
#define REG_REGFX_H

#include "dkpolicy.h"
#include "testutil.h"

#include <stdbool.h>

#include "contrib/clock.h"
#include "registry/op.h"
#include "registry/poll.h"

#define T0 ((reg_time)1798761600) /* 2027-01-01T00:00:00Z */
#define DAY ((reg_time)86400)

/* the registrars' handles, in the order of fx.reg_id */
extern const char *const REGS[3];

struct fx {
    db *db;
    struct registry_policy policy;
    int64_t reg_id[3];
    reg_time now;
    reg_time t0;        /* the start time: the clock, now and created_at */
    const char *svtrid; /* of the registrars' operations ("SV-TEST") */
};

/* base names the database (with the backend's label appended). */
void fx_open(struct fx *f, void **state, const char *base);
void fx_open_at(struct fx *f, void **state, const char *base, reg_time t0);
void fx_close(struct fx *f);

/* The operation of registrar `who`, of the jobs ("job") or of the
 * registry's staff ("staff", through regctl). */
struct reg_op op_of(struct fx *f, const char *who);
/* Index of registrar `handle` in REGS; fails the test if there is none. */
int reg_index(const char *handle);

void exec_sql(struct fx *f, const char *sql);
/* One integer from sql with an optional text parameter (-1 if no row). */
int64_t scalar(struct fx *f, const char *sql, const char *arg);
/* The text of the first row of sql (one text argument or none); malloc'd,
 * NULL if no row or NULL. */
char *text_of(struct fx *f, const char *sql, const char *arg);

/* A contact with the full id `handle`, sponsored by `sponsor`; mobile
 * optional. */
void make_contact(struct fx *f, const char *sponsor, const char *handle, const char *email,
                  const char *mobile);
/* A host; superordinate (a domain name) or NULL for an external one. */
void make_host(struct fx *f, const char *sponsor, const char *name, const char *superordinate);

/* The number of poll messages queued for `clid`; *oldest (optional) gets
 * the oldest (caller frees). */
int64_t poll_count(struct fx *f, const char *clid, struct poll_msg *oldest);
void drain_poll(struct fx *f, const char *clid);

/* Every call runs in its own transaction, rolled back on error (as the
 * EPP workers do with their savepoints); TX(f, call) is call's result. */
reg_err fx_tx_end(db *d, reg_err e);
#define TX(f, call) (assert_int_equal(db_begin((f)->db), REG_OK), fx_tx_end((f)->db, (call)))

/* Fail the test, naming `line` and the call `what`, unless e is REG_OK
 * (ok_at), or unless e is `want` with a reason (err_at). */
void ok_at(reg_err e, const reg_status *st, const char *what, int line);
void err_at(reg_err e, reg_err want, const reg_status *st, const char *what, int line);

/* `call` uses `&st`, the reg_status these declare. */
#define OK(f, call)                                                                                \
    do {                                                                                           \
        reg_status st = {0};                                                                       \
        reg_err e_ = TX(f, call);                                                                  \
        ok_at(e_, &st, #call, __LINE__);                                                           \
    } while (0)
#define ERR(f, want, call)                                                                         \
    do {                                                                                           \
        reg_status st = {0};                                                                       \
        reg_err e_ = TX(f, call);                                                                  \
        err_at(e_, want, &st, #call, __LINE__);                                                    \
    } while (0)
/* The same with the caller's `st`, which then holds the reason. */
#define OK_IN(f, st, call)                                                                         \
    do {                                                                                           \
        reg_status_clear(&(st));                                                                   \
        reg_err e_ = TX(f, call);                                                                  \
        ok_at(e_, &(st), #call, __LINE__);                                                         \
    } while (0)
#define ERR_IN(f, st, want, call)                                                                  \
    do {                                                                                           \
        reg_status_clear(&(st));                                                                   \
        reg_err e_ = TX(f, call);                                                                  \
        err_at(e_, want, &(st), #call, __LINE__);                                                  \
    } while (0)
/* For calls that run their own transactions. */
#define DONE_OK(st, call)                                                                          \
    do {                                                                                           \
        reg_status_clear(&(st));                                                                   \
        ok_at((call), &(st), #call, __LINE__);                                                     \
    } while (0)
#define DONE_ERR(st, want, call)                                                                   \
    do {                                                                                           \
        reg_status_clear(&(st));                                                                   \
        err_at((call), want, &(st), #call, __LINE__);                                              \
    } while (0)

#endif
