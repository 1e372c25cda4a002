/* A registry fixture for unit tests of the domain logic on both backends:
 * a fresh database with registrars REGA ("Alpha Registrar") and REGB
 * ("Beta Registrar"), a .dk policy, the clock fixed at T0, contacts and
 * domains made through the registry API, and the outbox read back as
 * mails. Registrars are named by their ids (f->a, f->b); tests/unit/regfx.h
 * is the fixture that names them by handle. */
#ifndef REG_REGFIXTURE_H
#define REG_REGFIXTURE_H

#include "dkpolicy.h"
#include "testutil.h"

#include "contrib/clock.h"
#include "notify/outbox.h"
#include "registry/domain.h"
#include "registry/op.h"

#define T0 ((reg_time)1798761600) /* 2027-01-01T00:00:00Z */
#define DAY ((reg_time)86400)

struct fixture {
    db *d;
    struct registry_policy policy;
    int64_t a, b; /* REGA "Alpha Registrar", REGB "Beta Registrar" */
    int64_t c;    /* REGC once a test adds it with add_registrar, else 0 */
    reg_time now;
    /* the address of the contacts make_contact creates: London, GB (a
     * country with no language of its own, so the mails are in English) */
    const char *cc, *city;
};

/* base names the database (with the backend's label appended). */
void setup(void **state, struct fixture *f, const char *base);
void teardown(struct fixture *f);
/* A registrar added through the registry API; its id. */
int64_t add_registrar(struct fixture *f, const char *handle, const char *name);
/* An operation as registrar id `registrar` (f->a, f->b, f->c) or, with 0,
 * as a job. */
struct reg_op op_as(struct fixture *f, int64_t registrar);
/* An operation of the registry's staff (regctl). */
struct reg_op staff(struct fixture *f);
void exec_sql(struct fixture *f, const char *sql);
/* One integer from sql with an optional text parameter (0 if no row). */
int64_t scalar(struct fixture *f, const char *sql, const char *arg);
/* The same, with `none` for no row or a NULL value. */
int64_t scalar_or(struct fixture *f, const char *sql, const char *arg, int64_t none);

/* `call` in a transaction of its own, rolled back on error (as the EPP
 * batch does with its savepoints); the value is call's result. */
reg_err fixture_tx_end(struct fixture *f, reg_err e);
#define TX(f, call) (assert_int_equal(db_begin((f)->d), REG_OK), fixture_tx_end((f), (call)))

/* Each call in its own transaction; the result must be `code`, with a
 * reason when it is an error. */
#define EXPECT(f, call, code, st)                                                                  \
    do {                                                                                           \
        reg_status_clear(&(st));                                                                   \
        reg_err got_ = TX(f, call);                                                                \
        if (got_ != (code))                                                                        \
            fail_msg("line %d: %s: expected %s, got %s (%s)", __LINE__, #call,                    \
                     reg_errname(code), reg_errname(got_), reg_status_text(&(st)));                \
        if (got_ && !(st).reason[0])                                                               \
            fail_msg("line %d: %s: %s without a reason", __LINE__, #call, reg_errname(got_));      \
    } while (0)

/* A person sponsored by REGA with id REGA:<id>; ident (type, value, cc)
 * optional. */
void make_contact(struct fixture *f, const char *id, const char *email, const char *name,
                  const char *itype, const char *ivalue, const char *icc);
/* A one-year domain of REGA; *expires (optional) gets its expiry. */
void make_domain(struct fixture *f, const char *name, const char *registrant,
                 const struct domain_contact *contacts, size_t ncontacts, reg_time *expires);

#define MAILS_MAX 16

struct mails {
    int n;
    char to[MAILS_MAX][128], cause[MAILS_MAX][40], subject[MAILS_MAX][200], body[MAILS_MAX][4096];
};

/* Everything queued since the last call (which empties the outbox). */
struct mails *take_mails(struct fixture *f);
/* Index of the mail to `to`; fails the test if there is none. */
int mail_to(const struct mails *ms, const char *to);
void assert_contains(const char *text, const char *part);

#endif
