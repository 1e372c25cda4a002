/* The shared unit-test fixture: see regfixture.h. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkpolicy.h"
#include "registry/contact.h"
#include "registry/registrar.h"

int64_t add_registrar(struct fixture *f, const char *handle, const char *name)
{
    struct registrar_new r = {.handle = handle, .name = name, .password = "secret-pw1"};
    reg_status st = {0};
    if (registrar_add(f->d, &r, &st))
        fail_msg("registrar_add %s: %s", handle, reg_status_text(&st));
    struct registrar g;
    if (registrar_get(f->d, handle, &g, &st))
        fail_msg("registrar_get %s: %s", handle, reg_status_text(&st));
    int64_t id = g.id;
    registrar_free(&g);
    return id;
}

void setup(void **state, struct fixture *f, const char *base)
{
    char name[64];
    struct test_backend *b = *state;
    snprintf(name, sizeof name, "%s_%s", base, b->label);
    clock_set_fixed(T0);
    memset(f, 0, sizeof *f);
    f->now = T0;
    f->cc = "GB";
    f->city = "London";
    f->d = test_db_open(b->kind, name);
    test_use_pepper();
    struct registry_policy *p = &f->policy;
    dk_policy(p);
    p->hold_after = 15 * DAY;
    p->delete_after = 30 * DAY;
    p->confirm_ttl = 2 * DAY;
    p->base_url = "https://registry.example/";
    f->a = add_registrar(f, "REGA", "Alpha Registrar");
    f->b = add_registrar(f, "REGB", "Beta Registrar");
}

void teardown(struct fixture *f)
{
    assert_false(db_in_transaction(f->d));
    policy_free(&f->policy);
    db_close(f->d);
}

struct reg_op op_as(struct fixture *f, int64_t registrar)
{
    bool job = registrar == 0;
    struct reg_op op = {.db = f->d,
                        .policy = &f->policy,
                        .registrar_id = registrar,
                        .actor = job                 ? "job:test"
                                 : registrar == f->a ? "REGA"
                                 : registrar == f->c ? "REGC"
                                                     : "REGB",
                        .channel = job ? "job" : "epp",
                        .svtrid = job ? NULL : "TEST-1",
                        .now = f->now};
    return op;
}

struct reg_op staff(struct fixture *f)
{
    struct reg_op op = op_as(f, 0);
    op.actor = "staff";
    op.channel = "regctl";
    return op;
}

reg_err fixture_tx_end(struct fixture *f, reg_err e)
{
    if (e)
        assert_int_equal(db_rollback(f->d), REG_OK);
    else
        assert_int_equal(db_commit(f->d), REG_OK);
    return e;
}

void exec_sql(struct fixture *f, const char *sql)
{
    if (db_exec(f->d, sql))
        fail_msg("%s: %s", sql, db_errmsg(f->d));
}

/* A person sponsored by REGA with id REGA:<id>; ident (type, value, cc)
 * optional. */
void make_contact(struct fixture *f, const char *id, const char *email, const char *name,
                         const char *itype, const char *ivalue, const char *icc)
{
    struct contact_create_req r;
    memset(&r, 0, sizeof r);
    r.id = (char *)id;
    r.d.postal[CONTACT_LOC] = (struct contact_postal){
        .present = true, .name = (char *)name, .city = (char *)f->city, .cc = (char *)f->cc};
    r.d.email = (char *)email;
    r.d.kind = "person";
    r.d.ident_type = (char *)itype;
    r.d.ident_value = (char *)ivalue;
    r.d.ident_cc = (char *)icc;
    struct reg_op op = op_as(f, f->a);
    reg_status st;
    char handle[CONTACT_ID_MAX + 1];
    EXPECT(f, contact_create(&op, &r, handle, &st), REG_OK, st);
}

/* --- the outbox ----------------------------------------------------------- */

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


void make_domain(struct fixture *f, const char *name, const char *registrant,
                        const struct domain_contact *contacts, size_t ncontacts, reg_time *expires)
{
    /* R20: with the registrant's acceptance of the terms */
    struct domain_create in = {.name = name, .period_months = 12, .registrant = registrant, TERMS};
    for (size_t i = 0; i < ncontacts; i++)
        in.contacts[i] = contacts[i];
    in.ncontacts = ncontacts;
    struct reg_op op = op_as(f, f->a);
    struct domain out;
    reg_status st;
    memset(&out, 0, sizeof out);
    EXPECT(f, domain_create(&op, &in, &out, &st), REG_OK, st);
    if (expires)
        *expires = out.expires_at;
    domain_free(&out);
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
