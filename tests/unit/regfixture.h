/* The registry fixture: the one every store-backed unit test of the
 * domain logic starts from, on both backends. A fresh database, the .dk
 * policy, the clock fixed at T0 (or a test's own start), and the
 * registrars REGA "Alpha Registrar", REGB "Beta Registrar" and REGC "Gamma
 * Registrar" (password FIXTURE_PW), by id (f->a, f->b, f->c) and by handle
 * (op_of). Contacts, domains and hosts are made through the registry API;
 * raw SQL is for what the API cannot do (rows an older version left,
 * tampering) and for reading back. Each call runs in a transaction of its
 * own, rolled back on error, as the EPP workers do with their savepoints
 * (EXPECT, TX). The outbox, the poll queues and the history come back as
 * mails, messages and versions. Tests below the registry (the store, the
 * outbox) take only its database: test_backend_db in testutil.h. See
 * docs/testing.md. */
#ifndef REG_REGFIXTURE_H
#define REG_REGFIXTURE_H

#include "testutil.h"

#include <stdbool.h>

#include "contrib/clock.h"
#include "registry/contact.h"
#include "registry/domain.h"
#include "registry/op.h"
#include "registry/policy.h"
#include "registry/poll.h"

#define T0 ((reg_time)1798761600) /* 2027-01-01T00:00:00Z */
#define DAY ((reg_time)86400)
/* The EPP password of the fixture's registrars. */
#define FIXTURE_PW "secret-pw1"

/* ---- the .dk policy --------------------------------------------------------------------- */

/* The .dk character set ([tld] allowed_chars default): a-z, 0-9, '-' and
 * æøåäöüé. */
#define DK_CHARS                                                                                   \
    "abcdefghijklmnopqrstuvwxyz0123456789-\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa4\xc3\xb6\xc3\xbc\xc3\xa9"

/* tld dk with its character set (DK_CHARS), ROIDs ending -DK, periods of
 * 1-10 years, immediate transfers (a pending one waits 5 days), 30 days of
 * redemption and 5 of pending delete. The fixture adds its lifecycle and
 * confirmation settings (see setup). */
void dk_policy(struct registry_policy *p);

/* R20: a domain create's acceptance of the terms (version 1.0, accepted
 * before the fixture's clock), inside its initialiser:
 * (struct domain_create){.name = "x.dk", TERMS}. */
#define TERMS .terms_version = "1.0", .terms_accepted = "2026-12-01T10:00:00Z"

/* Auth info given as a password alone (no roid), for domain_info and
 * domain_transfer. */
#define AUTH(password) (&(struct reg_authinfo){.pw = (password)})

/* ---- the fixture ------------------------------------------------------------------------ */

struct fixture {
    db *d;
    char *url; /* the database's, for a second connection */
    struct registry_policy policy;
    int64_t a, b, c; /* REGA, REGB, REGC (0 after setup_bare) */
    reg_time now;    /* of the operations op_as and op_of make */
    const char *svtrid; /* of the registrars' operations ("TEST-1") */
    /* the address of make_contact's and make_person's contacts: London,
     * GB (a country with no language of its own: the mails are in English) */
    const char *cc, *city;
};

/* base names the database (the backend's label is appended). setup starts
 * at T0, setup_at at t0; setup_bare at t0 without registrars. Each
 * initialises libsodium (secret_init) for the hashed secrets and loads
 * TEST_PEPPER, the key of the auth-info hashes (testutil.h). */
void setup(void **state, struct fixture *f, const char *base);
void setup_at(void **state, struct fixture *f, const char *base, reg_time t0);
void setup_bare(void **state, struct fixture *f, const char *base, reg_time t0);
/* Fails the test if a transaction was left open. */
void teardown(struct fixture *f);

/* ---- operations ------------------------------------------------------------------------- */

/* An operation over EPP of registrar `registrar` (f->a, f->b, f->c) or,
 * with 0, of a job ("job:test"); at f->now. */
struct reg_op op_as(struct fixture *f, int64_t registrar);
/* The same for the registrar with this handle ("REGA", ...). */
struct reg_op op_of(struct fixture *f, const char *handle);
/* An operation of the registry's staff (regctl). */
struct reg_op staff(struct fixture *f);
/* "REGA", "REGB" or "REGC". */
const char *handle_of(const struct fixture *f, int64_t registrar);

/* ---- checks ----------------------------------------------------------------------------- */

/* `call` in a transaction of its own, rolled back on error; the value is
 * call's result. */
reg_err fixture_tx_end(struct fixture *f, reg_err e);
#define TX(f, call) (assert_int_equal(db_begin((f)->d), REG_OK), fixture_tx_end((f), (call)))

/* Fails the test (naming the line and the call) unless got is want and an
 * error comes with a reason that contains `part` (NULL: any reason). */
void expect_result(reg_err got, reg_err want, const reg_status *st, const char *part,
                   const char *what, int line);

/* `call` in its own transaction (TX); st is the caller's reg_status, which
 * call fills and which holds the reason afterwards. */
#define EXPECT_REASON(f, call, code, st, part)                                                     \
    do {                                                                                           \
        reg_status_clear(&(st));                                                                   \
        reg_err got_ = TX(f, call);                                                                \
        expect_result(got_, (code), &(st), (part), #call, __LINE__);                               \
    } while (0)
#define EXPECT(f, call, code, st) EXPECT_REASON(f, call, code, st, NULL)
/* Shorthands with the caller's reg_status named st. */
#define OK(f, call) EXPECT(f, call, REG_OK, st)
#define ERR(f, code, call) EXPECT(f, call, code, st)
/* For a call that runs its own transactions. */
#define EXPECT_OWN_TX(call, code, st)                                                              \
    do {                                                                                           \
        reg_status_clear(&(st));                                                                   \
        reg_err got_ = (call);                                                                     \
        expect_result(got_, (code), &(st), NULL, #call, __LINE__);                                 \
    } while (0)

/* ---- objects, through the registry API ---------------------------------------------------- */

/* Created by `registrar`, which must succeed; handle (optional) gets the
 * stored id. */
void create_contact(struct fixture *f, int64_t registrar, const struct contact_create_req *r,
                    char handle[CONTACT_ID_MAX + 1]);
/* A person of `registrar` with id <HANDLE>:<id>: a loc address of `name`
 * in f->city, f->cc, the e-mail address and a mobile number (optional). */
void make_person(struct fixture *f, int64_t registrar, const char *id, const char *email,
                 const char *name, const char *mobile);
/* A person of REGA the same way, with an ident (type, value, cc) or none. */
void make_contact(struct fixture *f, const char *id, const char *email, const char *name,
                  const char *itype, const char *ivalue, const char *icc);
/* `in` created by `registrar`, which must succeed; its expiry. */
reg_time make_domain_as(struct fixture *f, int64_t registrar, const struct domain_create *in);
/* A one-year domain of REGA with the terms accepted; *expires (optional)
 * gets its expiry. */
void make_domain(struct fixture *f, const char *name, const char *registrant,
                 const struct domain_contact *contacts, size_t ncontacts, reg_time *expires);
/* A host of `registrar`: external without an address, in-bailiwick (under
 * a domain of the registrar) with one. */
void make_host(struct fixture *f, int64_t registrar, const char *name, const char *addr);

/* Staff set the price of `operation` for `years` (0: a year's price) from
 * `from`, for `registrar` (0: the default); must succeed. */
void set_price(struct fixture *f, const char *operation, int years, int64_t amount,
               int64_t registrar, reg_time from);
/* Staff post a ledger entry of `kind` ("credit", ...) for `registrar`;
 * must succeed. */
void post_entry(struct fixture *f, int64_t registrar, const char *kind, int64_t amount,
                const char *text);

/* A job step (a job's registry operation) run at `now` (f->now moves
 * there) in its own transaction, which must succeed; its count. */
typedef reg_err (*job_fn)(const struct reg_op *op, int *count, reg_status *st);
int run_job(struct fixture *f, reg_time now, job_fn fn);

/* ---- SQL: rows the API cannot make, and reading back -------------------------------------- */

void exec_sql(struct fixture *f, const char *sql);
/* One integer from sql with an optional text parameter (0 if no row). */
int64_t scalar(struct fixture *f, const char *sql, const char *arg);
/* The same, with `none` for no row or a NULL value. */
int64_t scalar_or(struct fixture *f, const char *sql, const char *arg, int64_t none);
/* The text of the first row (NULL for no row or a NULL value); caller frees. */
char *text_of(struct fixture *f, const char *sql, const char *arg);

/* ---- the outbox ------------------------------------------------------------------------- */

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

/* ---- poll queues ------------------------------------------------------------------------ */

/* The number of messages queued for `registrar`; *oldest (optional) gets
 * the oldest (caller frees it with poll_msg_free; zeroed if none). */
int64_t poll_count(struct fixture *f, int64_t registrar, struct poll_msg *oldest);
/* The oldest message of `registrar`, acknowledged; false if none. */
bool take_poll(struct fixture *f, int64_t registrar, struct poll_msg *m);
/* Every queued message of `registrar`, joined by newlines; acknowledged. */
const char *drain_poll(struct fixture *f, int64_t registrar);

/* ---- history (R40) ---------------------------------------------------------------------- */

#define VERSIONS_MAX 32

struct versions {
    int n;
    struct version {
        int64_t version;
        char kind[16], action[32], actor[40], channel[16], svtrid[32];
        char snapshot[4096];
    } v[VERSIONS_MAX];
};

/* Every version of the objects named `key` (of `kind`, or any kind with
 * NULL), oldest first; caller frees. Fails past VERSIONS_MAX. */
struct versions *history_of(struct fixture *f, const char *kind, const char *key);

#endif
