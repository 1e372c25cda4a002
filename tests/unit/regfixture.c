/* The registry fixture: see regfixture.h. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/secret.h"
#include "registry/billing.h"
#include "registry/history.h"
#include "registry/host.h"
#include "registry/registrar.h"

/* ---- the .dk policy --------------------------------------------------------------------- */

void dk_policy(struct registry_policy *p)
{
    p->names.tld = "dk";
    p->names.allowed_chars = DK_CHARS;
    snprintf(p->roid_suffix, sizeof p->roid_suffix, "DK");
    p->min_period = 1;
    p->max_period = 10;
    p->transfer_immediate = true;
    p->transfer_pending_period = 5 * DAY;
    p->redemption_period = 30 * DAY;
    p->pending_delete_period = 5 * DAY;
    /* [billing] allow_unpriced: tests that are not about prices need
     * none; the fail-closed tests turn it off (test_billing) */
    p->allow_unpriced = true;
}

/* ---- the fixture ------------------------------------------------------------------------ */

static const char *const HANDLES[] = {"REGA", "REGB", "REGC"};
static const char *const NAMES[] = {"Alpha Registrar", "Beta Registrar", "Gamma Registrar"};

static int64_t add_registrar(struct fixture *f, const char *handle, const char *name)
{
    struct registrar_new r = {.handle = handle, .name = name, .password = FIXTURE_PW};
    reg_status st = {0};
    if (registrar_add(f->d, &r, &st))
        fail_msg("registrar_add %s: %s", handle, reg_status_text(&st));
    int64_t id = registrar_id_by_handle(f->d, handle);
    assert_true(id > 0);
    return id;
}

void setup_bare(void **state, struct fixture *f, const char *base, reg_time t0)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(secret_init(), REG_OK); /* passwords and auth info are hashed */
    clock_set_fixed(t0);
    f->now = t0;
    f->svtrid = "TEST-1";
    f->cc = "GB";
    f->city = "London";
    f->url = test_backend_url_migrated(state, base);
    f->d = test_db_open_url(f->url);
    test_use_pepper();
    struct registry_policy *p = &f->policy;
    dk_policy(p);
    p->hold_after = 15 * DAY;
    p->delete_after = 30 * DAY;
    p->confirm_ttl = 2 * DAY;
    p->base_url = "https://registry.example/";
    p->idcheck_documents = "id@registry.example";
}

void setup_at(void **state, struct fixture *f, const char *base, reg_time t0)
{
    setup_bare(state, f, base, t0);
    int64_t *ids[] = {&f->a, &f->b, &f->c};
    for (int i = 0; i < 3; i++)
        *ids[i] = add_registrar(f, HANDLES[i], NAMES[i]);
}

void setup(void **state, struct fixture *f, const char *base)
{
    setup_at(state, f, base, T0);
}

void teardown(struct fixture *f)
{
    assert_false(db_in_transaction(f->d));
    policy_free(&f->policy);
    db_close(f->d);
    free(f->url);
}

/* ---- operations ------------------------------------------------------------------------- */

const char *handle_of(const struct fixture *f, int64_t registrar)
{
    const int64_t ids[] = {f->a, f->b, f->c};
    for (int i = 0; i < 3; i++)
        if (registrar && ids[i] == registrar)
            return HANDLES[i];
    fail_msg("no registrar with id %lld", (long long)registrar);
    return NULL;
}

struct reg_op op_as(struct fixture *f, int64_t registrar)
{
    bool job = registrar == 0;
    struct reg_op op = {.db = f->d,
                        .policy = &f->policy,
                        .registrar_id = registrar,
                        .actor = job ? "job:test" : handle_of(f, registrar),
                        .channel = job ? "job" : "epp",
                        .svtrid = job ? NULL : f->svtrid,
                        .now = f->now};
    return op;
}

struct reg_op op_of(struct fixture *f, const char *handle)
{
    const int64_t ids[] = {f->a, f->b, f->c};
    for (int i = 0; i < 3; i++)
        if (!strcmp(HANDLES[i], handle))
            return op_as(f, ids[i]);
    fail_msg("no registrar %s", handle);
    return op_as(f, 0);
}

struct reg_op staff(struct fixture *f)
{
    struct reg_op op = op_as(f, 0);
    op.actor = "staff";
    op.channel = "regctl";
    return op;
}

/* ---- checks ----------------------------------------------------------------------------- */

reg_err fixture_tx_end(struct fixture *f, reg_err e)
{
    if (e)
        assert_int_equal(db_rollback(f->d), REG_OK);
    else
        assert_int_equal(db_commit(f->d), REG_OK);
    return e;
}

void expect_result(reg_err got, reg_err want, const reg_status *st, const char *part,
                   const char *what, int line)
{
    if (got != want)
        fail_msg("line %d: %s: expected %s, got %s (%s)", line, what, reg_errname(want),
                 reg_errname(got), reg_status_text(st));
    if (got && !st->reason[0])
        fail_msg("line %d: %s: %s without a reason", line, what, reg_errname(got));
    if (part && !strstr(st->reason, part))
        fail_msg("line %d: %s: the reason \"%s\" does not say \"%s\"", line, what, st->reason,
                 part);
}

/* ---- objects, through the registry API ---------------------------------------------------- */

void create_contact(struct fixture *f, int64_t registrar, const struct contact_create_req *r,
                    char handle[CONTACT_ID_MAX + 1])
{
    struct reg_op op = op_as(f, registrar);
    char stored[CONTACT_ID_MAX + 1];
    reg_status st;
    OK(f, contact_create(&op, r, stored, &st));
    if (handle)
        snprintf(handle, CONTACT_ID_MAX + 1, "%s", stored);
}

static void person(struct fixture *f, int64_t registrar, const char *id, const char *email,
                   const char *name, const char *mobile, const char *itype, const char *ivalue,
                   const char *icc)
{
    struct contact_create_req r;
    memset(&r, 0, sizeof r);
    r.id = (char *)id;
    r.d.postal[CONTACT_LOC] = (struct contact_postal){
        .present = true, .name = (char *)name, .city = (char *)f->city, .cc = (char *)f->cc};
    r.d.email = (char *)email;
    r.d.mobile = (char *)mobile;
    r.d.kind = "person";
    r.d.ident_type = (char *)itype;
    r.d.ident_value = (char *)ivalue;
    r.d.ident_cc = (char *)icc;
    create_contact(f, registrar, &r, NULL);
}

void make_person(struct fixture *f, int64_t registrar, const char *id, const char *email,
                 const char *name, const char *mobile)
{
    person(f, registrar, id, email, name, mobile, NULL, NULL, NULL);
}

void make_contact(struct fixture *f, const char *id, const char *email, const char *name,
                  const char *itype, const char *ivalue, const char *icc)
{
    person(f, f->a, id, email, name, NULL, itype, ivalue, icc);
}

reg_time make_domain_as(struct fixture *f, int64_t registrar, const struct domain_create *in)
{
    struct reg_op op = op_as(f, registrar);
    struct domain out;
    reg_status st;
    memset(&out, 0, sizeof out);
    OK(f, domain_create(&op, in, &out, &st));
    reg_time expires = out.expires_at;
    domain_free(&out);
    return expires;
}

void make_domain(struct fixture *f, const char *name, const char *registrant,
                 const struct domain_contact *contacts, size_t ncontacts, reg_time *expires)
{
    struct domain_create in = {.name = name, .period_months = 12, .registrant = registrant, TERMS};
    for (size_t i = 0; i < ncontacts; i++)
        in.contacts[i] = contacts[i];
    in.ncontacts = ncontacts;
    reg_time at = make_domain_as(f, f->a, &in);
    if (expires)
        *expires = at;
}

void make_host(struct fixture *f, int64_t registrar, const char *name, const char *addr)
{
    struct host_addr_in in = {.addr = addr, .version = addr && strchr(addr, ':') ? 6 : 4};
    struct host_create req = {.name = name, .addrs = &in, .naddrs = addr ? 1 : 0};
    struct reg_op op = op_as(f, registrar);
    reg_status st;
    OK(f, host_create(&op, &req, NULL, &st));
}

void set_price(struct fixture *f, const char *operation, int years, int64_t amount,
               int64_t registrar, reg_time from)
{
    struct reg_op op = staff(f);
    reg_status st;
    OK(f, billing_price_set(&op, operation, years, amount, registrar, from, &st));
}

void post_entry(struct fixture *f, int64_t registrar, const char *kind, int64_t amount,
                const char *text)
{
    struct reg_op op = staff(f);
    struct ledger_entry le = {.registrar_id = registrar, .amount = amount, .kind = kind,
                              .text = text};
    reg_status st;
    OK(f, billing_post(&op, &le, NULL, &st));
}

int run_job(struct fixture *f, reg_time now, job_fn fn)
{
    f->now = now;
    struct reg_op op = op_as(f, 0);
    reg_status st;
    int count = -1;
    OK(f, fn(&op, &count, &st));
    return count;
}

/* ---- SQL -------------------------------------------------------------------------------- */

void exec_sql(struct fixture *f, const char *sql)
{
    if (db_exec(f->d, sql))
        fail_msg("%s: %s", sql, db_errmsg(f->d));
}

int64_t scalar_or(struct fixture *f, const char *sql, const char *arg, int64_t none)
{
    db_stmt *s = db_query(f->d, sql);
    if (arg)
        db_bind_text(s, 1, arg);
    int64_t v = db_next(s) && !db_col_is_null(s, 0) ? db_col_int(s, 0) : none;
    if (db_done(s))
        fail_msg("%s: %s", sql, db_errmsg(f->d));
    return v;
}

int64_t scalar(struct fixture *f, const char *sql, const char *arg)
{
    return scalar_or(f, sql, arg, 0);
}

char *text_of(struct fixture *f, const char *sql, const char *arg)
{
    db_stmt *s = db_query(f->d, sql);
    if (arg)
        db_bind_text(s, 1, arg);
    char *v = db_next(s) && db_col_text(s, 0) ? strdup(db_col_text(s, 0)) : NULL;
    if (db_done(s))
        fail_msg("%s: %s", sql, db_errmsg(f->d));
    return v;
}

/* ---- the outbox ------------------------------------------------------------------------- */

struct mails *take_mails(struct fixture *f)
{
    static struct mails ms;
    memset(&ms, 0, sizeof ms);
    /* the rows as their recipients get them: secrets and all (outbox_each
     * shows them redacted) */
    db_stmt *s = db_query(f->d, "SELECT recipient, cause, subject, body FROM outbox ORDER BY id");
    while (db_next(s)) {
        if (ms.n == MAILS_MAX)
            fail_msg("more than %d mails", MAILS_MAX);
        const char *subject = db_col_text(s, 2);
        snprintf(ms.to[ms.n], sizeof ms.to[0], "%s", db_col_text(s, 0));
        snprintf(ms.cause[ms.n], sizeof ms.cause[0], "%s", db_col_text(s, 1));
        snprintf(ms.subject[ms.n], sizeof ms.subject[0], "%s", subject ? subject : "");
        snprintf(ms.body[ms.n], sizeof ms.body[0], "%s", db_col_text(s, 3));
        ms.n++;
    }
    if (db_done(s))
        fail_msg("reading the outbox: %s", db_errmsg(f->d));
    exec_sql(f, "DELETE FROM outbox");
    return &ms;
}

int mail_to(const struct mails *ms, const char *to)
{
    for (int i = 0; i < ms->n; i++)
        if (!strcmp(ms->to[i], to))
            return i;
    fail_msg("no mail to %s", to);
    return -1;
}

void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" not in:\n%s", part, text);
}

/* ---- poll queues ------------------------------------------------------------------------ */

int64_t poll_count(struct fixture *f, int64_t registrar, struct poll_msg *oldest)
{
    int64_t count = 0;
    bool found = false;
    struct poll_msg m;
    memset(&m, 0, sizeof m);
    reg_status st = {0};
    if (poll_peek(f->d, registrar, &count, &m, &found, &st))
        fail_msg("poll_peek: %s", reg_status_text(&st));
    if (!found)
        memset(&m, 0, sizeof m);
    if (oldest)
        *oldest = m;
    else if (found)
        poll_msg_free(&m);
    return count;
}

bool take_poll(struct fixture *f, int64_t registrar, struct poll_msg *m)
{
    if (!poll_count(f, registrar, m))
        return false;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)m->id);
    int64_t left;
    reg_status st = {0};
    if (poll_ack(f->d, registrar, id, &left, &st))
        fail_msg("poll_ack %s: %s", id, reg_status_text(&st));
    return true;
}

const char *drain_poll(struct fixture *f, int64_t registrar)
{
    static char all[4096];
    all[0] = '\0';
    struct poll_msg m;
    while (take_poll(f, registrar, &m)) {
        size_t used = strlen(all);
        snprintf(all + used, sizeof all - used, "%s\n", m.message);
        poll_msg_free(&m);
    }
    return all;
}

/* ---- history ---------------------------------------------------------------------------- */

static void collect_version(const struct history_version *v, void *arg)
{
    struct versions *vs = arg;
    if (vs->n == VERSIONS_MAX)
        fail_msg("more than %d versions of %s", VERSIONS_MAX, v->key);
    struct version *x = &vs->v[vs->n++];
    x->version = v->version;
    snprintf(x->kind, sizeof x->kind, "%s", v->kind);
    snprintf(x->action, sizeof x->action, "%s", v->action);
    snprintf(x->actor, sizeof x->actor, "%s", v->actor);
    snprintf(x->channel, sizeof x->channel, "%s", v->channel);
    snprintf(x->svtrid, sizeof x->svtrid, "%s", v->svtrid ? v->svtrid : "");
    snprintf(x->snapshot, sizeof x->snapshot, "%s", v->snapshot);
}

struct versions *history_of(struct fixture *f, const char *kind, const char *key)
{
    struct versions *vs = calloc(1, sizeof *vs);
    assert_non_null(vs);
    reg_status st = {0};
    if (history_each(f->d, kind, key, collect_version, vs, &st))
        fail_msg("history of %s: %s", key, reg_status_text(&st));
    return vs;
}
