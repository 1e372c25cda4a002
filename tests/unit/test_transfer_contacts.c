/* R4 (seed 004): when a domain changes registrar its contacts are copied to
 * the new registrar as new objects with new ids (R2), reusing an identical
 * contact of the new registrar; the old objects are untouched; the copies
 * are recorded in history (R40). src/registry/contact_copy.c and
 * transfer_contacts.c, through domain_transfer and
 * domain_transfer_auto_approve, on both backends: immediate transfers,
 * approval by the losing registrar, automatic approval by the job. */
#include "regfixture.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "contrib/secret.h"
#include "registry/contact.h"
#include "registry/contact_copy.h"
#include "registry/contact_internal.h"

#define PW "Auth-Pw-1"

/* The fixture with the transfer mode of the test. */
static void open_fx(void **state, struct fixture *f, const char *base, bool immediate)
{
    setup(state, f, base);
    f->policy.transfer_immediate = immediate;
}

/* ---- contacts and domains ----------------------------------------------------- */

/* A contact with every field R4 compares set; `email` makes it unique. */
static void full_contact(struct contact_create_req *r, char *id, char *email)
{
    memset(r, 0, sizeof *r);
    r->id = id;
    r->d.postal[CONTACT_INT] = (struct contact_postal){.present = true,
                                                      .name = "Jens Hansen",
                                                      .org = "Hansen ApS",
                                                      .street = {"Vestergade 1", "2. sal"},
                                                      .city = "Aarhus C",
                                                      .sp = "Midtjylland",
                                                      .pc = "8000",
                                                      .cc = "DK"};
    r->d.postal[CONTACT_LOC] = (struct contact_postal){.present = true,
                                                      .name = "Jens Hansen",
                                                      .street = {"Vestergade 1", "2. sal"},
                                                      .city = "\xc3\x85rhus C",
                                                      .pc = "8000",
                                                      .cc = "DK"};
    r->d.voice = "+45.12345678";
    r->d.voice_x = "12";
    r->d.fax = "+45.87654321";
    r->d.email = email;
    r->d.has_disclose = true;
    r->d.disclose_flag = 1;
    r->d.disclose = CONTACT_DISCLOSE_EMAIL | CONTACT_DISCLOSE_VOICE;
    r->d.kind = "person";
    r->d.ident_type = "priv";
    r->d.ident_value = "010180-1234";
    r->d.ident_cc = "DK";
    r->d.mobile = "+45.11223344";
    r->authinfo = "Contact-Pw-1";
}

static void simple_contact(struct fixture *f, int64_t registrar, const char *id, const char *email)
{
    struct contact_create_req r;
    full_contact(&r, (char *)id, (char *)email);
    create_contact(f, registrar, &r, NULL);
}

static void create_domain(struct fixture *f, int64_t registrar, const char *name,
                          const char *registrant, const char *admin, const char *tech,
                          const char *billing)
{
    struct domain_create in = {.name = name, .registrant = registrant, .authinfo = PW, TERMS};
    const char *roles[] = {"admin", "tech", "billing"}, *handles[] = {admin, tech, billing};
    for (int i = 0; i < 3; i++)
        if (handles[i]) {
            snprintf(in.contacts[in.ncontacts].role, sizeof in.contacts[0].role, "%s", roles[i]);
            snprintf(in.contacts[in.ncontacts].handle, HANDLE_MAX, "%s", handles[i]);
            in.ncontacts++;
        }
    make_domain_as(f, registrar, &in);
}

static void transfer(struct fixture *f, int64_t registrar, transfer_op top, const char *name,
                     bool want_pending)
{
    struct reg_op o = op_as(f, registrar);
    struct domain_transfer_info t;
    bool pending;
    reg_status st;
    OK(f, domain_transfer(&o, top, name, AUTH(top == XFER_REQUEST ? PW : NULL), 0, &t, &pending, &st));
    assert_int_equal(pending, want_pending);
}

/* The domain as its sponsor sees it; the caller frees it. */
static void load_domain(struct fixture *f, const char *name, const char *sponsor, struct domain *d)
{
    bool full;
    struct reg_op o = op_of(f, sponsor);
    reg_status st;
    OK(f, domain_info(&o, name, NULL, d, &full, &st));
    assert_true(full);
    assert_string_equal(d->sponsor, sponsor);
}

static const char *role_handle(const struct domain *d, const char *role)
{
    for (size_t i = 0; i < d->ncontacts; i++)
        if (!strcmp(d->contacts[i].role, role))
            return d->contacts[i].handle;
    fail_msg("%s has no %s contact", d->name.alabel, role);
    return NULL;
}

/* R2: REGISTRAR:XXXXXXXX, eight upper-case hex digits. */
static void assert_generated_id(const char *handle, const char *registrar)
{
    size_t n = strlen(registrar);
    if (strncmp(handle, registrar, n) || handle[n] != ':' || strlen(handle) != n + 9)
        fail_msg("%s is not %s:XXXXXXXX (R2)", handle, registrar);
    for (size_t i = n + 1; handle[i]; i++)
        if (!isxdigit((unsigned char)handle[i]) || islower((unsigned char)handle[i]))
            fail_msg("%s is not %s:XXXXXXXX (R2)", handle, registrar);
}

static int64_t contacts_of(struct fixture *f, const char *registrar)
{
    return scalar(f, "SELECT COUNT(*) FROM contact c JOIN registrar r ON r.id = c.sponsor_id "
                     "WHERE r.handle = ?", registrar);
}

/* Everything stored about a contact (its history JSON, which names every
 * field, sponsor, dates and statuses, and its auth info hash), for
 * "untouched" checks. Whether it is linked is left out: that follows from
 * the domains, not from the object. */
static char *fingerprint(struct fixture *f, const char *handle)
{
    struct reg_op o = op_of(f, "REGA");
    struct contact c;
    bool found;
    reg_status st = {0};
    assert_int_equal(contact_load(&o, handle, &c, &found, &st), REG_OK);
    assert_true(found);
    json_t *j = contact_snapshot(&c);
    assert_int_equal(json_object_del(j, "linked"), 0);
    char *snap = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    char *hash = text_of(f, "SELECT authinfo_hash FROM contact WHERE handle = ?", handle);
    char *out = malloc(strlen(snap) + (hash ? strlen(hash) : 1) + 2);
    sprintf(out, "%s|%s", snap, hash ? hash : "-");
    free(snap);
    free(hash);
    contact_free(&c);
    return out;
}

/* R40: the copy has one version, "copy", by `actor` through `channel`,
 * naming the original and the domain. */
static void assert_copy_history(struct fixture *f, const char *copy, const char *from,
                                const char *domain, const char *actor, const char *channel,
                                const char *svtrid)
{
    struct versions *vs = history_of(f, "contact", copy);
    assert_int_equal(vs->n, 1);
    const struct version *v = &vs->v[0];
    assert_string_equal(v->action, "copy");
    assert_string_equal(v->actor, actor);
    assert_string_equal(v->channel, channel);
    assert_string_equal(v->svtrid, svtrid);
    char want[256];
    snprintf(want, sizeof want, "\"copied_from\":\"%s\"", from);
    if (!strstr(v->snapshot, want))
        fail_msg("history of %s lacks %s: %s", copy, want, v->snapshot);
    snprintf(want, sizeof want, "\"copied_for_domain\":\"%s\"", domain);
    if (!strstr(v->snapshot, want))
        fail_msg("history of %s lacks %s: %s", copy, want, v->snapshot);
    free(vs);
}

/* Equal strings, or both absent. */
static void assert_same_text(const char *got, const char *want)
{
    if (!got || !want) {
        if (got != want)
            fail_msg("\"%s\" is not \"%s\"", got ? got : "(none)", want ? want : "(none)");
        return;
    }
    assert_string_equal(got, want);
}

/* The copy as its new sponsor sees it, against the original. */
static void assert_copy_of(struct fixture *f, const char *copy, const char *orig, const char *gaining)
{
    struct reg_op g = op_of(f, gaining), all = staff(f); /* staff see every contact in full */
    struct contact c, o;
    reg_status st;
    OK(f, contact_info(&g, copy, NULL, &c, &st));
    OK(f, contact_info(&all, orig, NULL, &o, &st));
    assert_int_equal(o.view, CONTACT_VIEW_SPONSOR);
    assert_int_equal(c.view, CONTACT_VIEW_SPONSOR);
    assert_string_equal(c.sponsor, gaining);
    assert_string_equal(c.creator, gaining);
    assert_string_equal(c.updater, "");
    assert_int_equal(c.created_at, f->now);
    assert_int_equal(c.transferred_at, 0);
    assert_false(c.authinfo_set); /* no auth info until the new sponsor sets one */
    assert_true(c.linked);
    for (int t = 0; t < 2; t++) {
        const struct contact_postal *x = &c.d.postal[t], *y = &o.d.postal[t];
        assert_int_equal(x->present, y->present);
        if (!x->present)
            continue;
        assert_same_text(x->name, y->name);
        assert_same_text(x->city, y->city);
        assert_same_text(x->cc, y->cc);
        for (int i = 0; i < 2; i++)
            assert_same_text(x->street[i], y->street[i]);
    }
    assert_same_text(c.d.email, o.d.email);
    assert_same_text(c.d.voice, o.d.voice);
    assert_same_text(c.d.voice_x, o.d.voice_x);
    assert_same_text(c.d.fax, o.d.fax);
    assert_int_equal(c.d.has_disclose, o.d.has_disclose);
    assert_int_equal(c.d.disclose_flag, o.d.disclose_flag);
    assert_int_equal(c.d.disclose, o.d.disclose);
    /* contact-ext-1.0 and the identity check come along */
    assert_same_text(c.d.kind, o.d.kind);
    assert_same_text(c.d.ident_type, o.d.ident_type);
    assert_same_text(c.d.ident_value, o.d.ident_value);
    assert_same_text(c.d.ident_cc, o.d.ident_cc);
    assert_same_text(c.d.mobile, o.d.mobile);
    assert_same_text(c.idcheck_state, o.idcheck_state);
    assert_int_equal(c.idcheck_deadline, o.idcheck_deadline);
    assert_same_text(c.idcheck_method, o.idcheck_method);
    assert_same_text(c.idcheck_by, o.idcheck_by);
    assert_int_equal(c.idcheck_at, o.idcheck_at);
    assert_same_text(c.idcheck_note, o.idcheck_note);
    assert_true(contact_copy_identical(&o, &c));
    /* registry locks stay, the losing registrar's own statuses do not */
    for (size_t i = 0; i < o.status.n; i++)
        assert_int_equal(status_has(&c.status, o.status.items[i].name),
                         !strncmp(o.status.items[i].name, "server", 6));
    for (size_t i = 0; i < c.status.n; i++)
        assert_true(!strncmp(c.status.items[i].name, "server", 6));
    contact_free(&c);
    contact_free(&o);
}

/* ---- immediate transfer ------------------------------------------------------------------- */

static void R4_immediate_transfer_copies_contacts(void **state)
{
    struct fixture f;
    reg_status st;
    open_fx(state, &f, "r4_now", true);
    simple_contact(&f, f.a, "HOLDER", "holder@example.test");
    simple_contact(&f, f.a, "ADMIN", "admin@example.test");
    struct contact_create_req r;
    full_contact(&r, "TECH", "tech@example.test");
    r.d.postal[CONTACT_INT].present = false; /* loc only */
    r.d.has_disclose = false;
    r.d.mobile = NULL;
    r.d.kind = "role";
    r.d.ident_type = r.d.ident_value = r.d.ident_cc = NULL;
    create_contact(&f, f.a, &r, NULL);
    /* a verified registrant, with a registry lock and a lock of its sponsor */
    exec_sql(&f, "UPDATE contact SET idcheck_state = 'verified', idcheck_deadline = 1800000000, "
                 "idcheck_method = 'documents', idcheck_by = 'staff', idcheck_at = 1799000000, "
                 "idcheck_note = 'passport seen' WHERE handle = 'REGA:HOLDER'");
    int64_t holder_id = scalar(&f, "SELECT id FROM contact WHERE handle = ?", "REGA:HOLDER");
    assert_int_equal(status_add(f.d, "contact", holder_id, "serverDeleteProhibited", "court"),
                     REG_OK);
    struct contact_update_req lock = {.id = "REGA:HOLDER",
                                      .add = {"clientUpdateProhibited"}, .nadd = 1};
    struct reg_op a = op_of(&f, "REGA");
    OK(&f, contact_update(&a, &lock, &st));
    create_domain(&f, f.a, "r4.dk", "REGA:HOLDER", "REGA:ADMIN", "REGA:TECH", NULL);
    create_domain(&f, f.a, "stays.dk", "REGA:HOLDER", "REGA:ADMIN", "REGA:TECH", NULL);
    const char *old[] = {"REGA:HOLDER", "REGA:ADMIN", "REGA:TECH"};
    char *before[3];
    int history_before[3];
    for (int i = 0; i < 3; i++) {
        before[i] = fingerprint(&f, old[i]);
        struct versions *vs = history_of(&f, "contact", old[i]);
        history_before[i] = vs->n;
        free(vs);
    }
    int64_t b_contacts = contacts_of(&f, "REGB");

    f.now = T0 + DAY;
    transfer(&f, f.b, XFER_REQUEST, "r4.dk", false);

    /* the domain points at new objects of REGB with R2 ids ... */
    struct domain d;
    load_domain(&f, "r4.dk", "REGB", &d);
    const char *now[] = {d.registrant, role_handle(&d, "admin"), role_handle(&d, "tech")};
    assert_int_equal(d.ncontacts, 2);
    for (int i = 0; i < 3; i++) {
        assert_generated_id(now[i], "REGB");
        assert_copy_of(&f, now[i], old[i], "REGB");
        /* ... recorded in history: the gaining registrar made them over EPP */
        assert_copy_history(&f, now[i], old[i], "r4.dk", "REGB", "epp", "TEST-1");
    }
    /* the registrant's verified identity check came along */
    struct reg_op bo = op_of(&f, "REGB");
    struct contact c;
    OK(&f, contact_info(&bo, now[0], NULL, &c, &st));
    assert_string_equal(c.idcheck_state, "verified");
    assert_int_equal(c.idcheck_deadline, 1800000000);
    assert_string_equal(c.idcheck_method, "documents");
    assert_string_equal(c.idcheck_note, "passport seen");
    assert_true(status_has(&c.status, "serverDeleteProhibited"));
    assert_false(status_has(&c.status, "clientUpdateProhibited"));
    contact_free(&c);
    assert_string_not_equal(now[0], now[1]);
    assert_string_not_equal(now[1], now[2]);
    assert_int_equal(contacts_of(&f, "REGB"), b_contacts + 3);
    /* the domain's own transfer version names the copies */
    struct versions *vs = history_of(&f, "domain", "r4.dk");
    assert_string_equal(vs->v[vs->n - 1].action, "transfer");
    assert_non_null(strstr(vs->v[vs->n - 1].snapshot, now[0]));
    assert_null(strstr(vs->v[vs->n - 1].snapshot, "REGA:"));
    free(vs);

    /* the old objects are exactly as they were, still REGA's and still
     * linked to REGA's other domain, with no new history version */
    for (int i = 0; i < 3; i++) {
        char *after = fingerprint(&f, old[i]);
        assert_string_equal(after, before[i]);
        free(after);
        free(before[i]);
        struct versions *h = history_of(&f, "contact", old[i]);
        assert_int_equal(h->n, history_before[i]);
        free(h);
    }
    struct domain s;
    load_domain(&f, "stays.dk", "REGA", &s);
    assert_string_equal(s.registrant, "REGA:HOLDER");
    assert_string_equal(role_handle(&s, "admin"), "REGA:ADMIN");
    assert_string_equal(role_handle(&s, "tech"), "REGA:TECH");
    domain_free(&s);

    /* the copies are REGB's to change; REGA cannot */
    struct reg_op b = op_of(&f, "REGB");
    struct contact_update_req chg = {.id = (char *)now[1], .email = "new@example.test"};
    OK(&f, contact_update(&b, &chg, &st));
    a = op_of(&f, "REGA");
    ERR(&f, REG_ERR_AUTHZ, contact_update(&a, &chg, &st));
    domain_free(&d);
    teardown(&f);
}

/* A contact in several roles of one domain is copied once; two contacts with
 * identical data end up as one copy holding both their roles. */
static void R4_contact_in_several_roles_copied_once(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r4_roles", true);
    simple_contact(&f, f.a, "ALL", "all@example.test");
    simple_contact(&f, f.a, "TWIN1", "twin@example.test");
    simple_contact(&f, f.a, "TWIN2", "twin@example.test");
    create_domain(&f, f.a, "one.dk", "REGA:ALL", "REGA:ALL", "REGA:ALL", "REGA:ALL");
    /* the same role held by both twins becomes one role of one copy */
    struct domain_create in = {.name = "twins.dk", .registrant = "REGA:TWIN1", .authinfo = PW,
                               TERMS,
                               .contacts = {{"admin", "REGA:TWIN1"}, {"admin", "REGA:TWIN2"},
                                            {"tech", "REGA:TWIN2"}},
                               .ncontacts = 3};
    make_domain_as(&f, f.a, &in);

    transfer(&f, f.b, XFER_REQUEST, "one.dk", false);
    assert_int_equal(contacts_of(&f, "REGB"), 1);
    struct domain d;
    load_domain(&f, "one.dk", "REGB", &d);
    assert_generated_id(d.registrant, "REGB");
    assert_int_equal(d.ncontacts, 3);
    for (size_t i = 0; i < d.ncontacts; i++)
        assert_string_equal(d.contacts[i].handle, d.registrant);
    assert_copy_history(&f, d.registrant, "REGA:ALL", "one.dk", "REGB", "epp", "TEST-1");
    domain_free(&d);

    transfer(&f, f.b, XFER_REQUEST, "twins.dk", false);
    assert_int_equal(contacts_of(&f, "REGB"), 2);
    load_domain(&f, "twins.dk", "REGB", &d);
    assert_generated_id(d.registrant, "REGB");
    assert_int_equal(d.ncontacts, 2); /* admin and tech, both the one copy */
    assert_string_equal(role_handle(&d, "admin"), d.registrant);
    assert_string_equal(role_handle(&d, "tech"), d.registrant);
    domain_free(&d);
    assert_int_equal(scalar(&f, "SELECT COUNT(*) FROM domain_contact dc JOIN contact c ON c.id = "
                                "dc.contact_id WHERE c.handle LIKE ?", "REGA:TWIN%"), 0);
    teardown(&f);
}

/* Contacts the gaining registrar already sponsors stay; a third registrar's
 * contact is copied like the losing one's. */
static void R4_only_foreign_contacts_copied(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r4_foreign", true);
    simple_contact(&f, f.a, "HOLDER", "holder@example.test");
    simple_contact(&f, f.b, "TECH", "btech@example.test");
    simple_contact(&f, f.c, "ADMIN", "cadmin@example.test");
    create_domain(&f, f.a, "mixed.dk", "REGA:HOLDER", "REGC:ADMIN", "REGB:TECH", NULL);
    char *c_before = fingerprint(&f, "REGC:ADMIN");
    transfer(&f, f.b, XFER_REQUEST, "mixed.dk", false);
    struct domain d;
    load_domain(&f, "mixed.dk", "REGB", &d);
    assert_string_equal(role_handle(&d, "tech"), "REGB:TECH");
    assert_generated_id(d.registrant, "REGB");
    assert_generated_id(role_handle(&d, "admin"), "REGB");
    assert_copy_of(&f, role_handle(&d, "admin"), "REGC:ADMIN", "REGB");
    struct versions *vs = history_of(&f, "contact", "REGB:TECH");
    assert_int_equal(vs->n, 1); /* only its create */
    free(vs);
    char *c_after = fingerprint(&f, "REGC:ADMIN");
    assert_string_equal(c_after, c_before);
    free(c_before);
    free(c_after);
    domain_free(&d);
    teardown(&f);
}

/* ---- reuse of an identical contact ------------------------------------------------------ */

struct variant {
    const char *what;
    void (*mutate)(struct contact_create_req *r); /* NULL: identical data */
    const char *sql;                              /* then run on the candidate (? = handle) */
    const char *status;                           /* then added to the candidate */
};

static void m_kind(struct contact_create_req *r) { r->d.kind = "organization"; }
static void m_ident_value(struct contact_create_req *r) { r->d.ident_value = "010180-9999"; }
static void m_ident_cc(struct contact_create_req *r) { r->d.ident_cc = "SE"; }
static void m_ident_type(struct contact_create_req *r) { r->d.ident_type = "passport"; }
static void m_int_name(struct contact_create_req *r) { r->d.postal[CONTACT_INT].name = "J Hansen"; }
static void m_int_org(struct contact_create_req *r) { r->d.postal[CONTACT_INT].org = NULL; }
static void m_loc_street(struct contact_create_req *r) { r->d.postal[CONTACT_LOC].street[1] = "3. sal"; }
static void m_loc_street3(struct contact_create_req *r) { r->d.postal[CONTACT_LOC].street[2] = "Baghuset"; }
static void m_loc_city(struct contact_create_req *r) { r->d.postal[CONTACT_LOC].city = "Aarhus C"; }
static void m_int_sp(struct contact_create_req *r) { r->d.postal[CONTACT_INT].sp = NULL; }
static void m_loc_pc(struct contact_create_req *r) { r->d.postal[CONTACT_LOC].pc = "8200"; }
static void m_int_cc(struct contact_create_req *r) { r->d.postal[CONTACT_INT].cc = "SE"; }
static void m_no_loc(struct contact_create_req *r) { r->d.postal[CONTACT_LOC].present = false; }
static void m_voice(struct contact_create_req *r) { r->d.voice = "+45.12345679"; }
static void m_voice_x(struct contact_create_req *r) { r->d.voice_x = NULL; }
static void m_fax(struct contact_create_req *r) { r->d.fax = NULL; }
static void m_fax_x(struct contact_create_req *r) { r->d.fax_x = "7"; }
static void m_mobile(struct contact_create_req *r) { r->d.mobile = "+45.11223345"; }
static void m_disclose_flag(struct contact_create_req *r) { r->d.disclose_flag = 0; }
static void m_disclose_fields(struct contact_create_req *r) { r->d.disclose = CONTACT_DISCLOSE_EMAIL; }
static void m_no_disclose(struct contact_create_req *r) { r->d.has_disclose = false; }
static void m_email(struct contact_create_req *r) { r->d.email = "other@example.test"; }

static const struct variant near_misses[] = {
    {"type", m_kind, NULL, NULL},
    {"ident type", m_ident_type, NULL, NULL},
    {"ident value", m_ident_value, NULL, NULL},
    {"ident cc", m_ident_cc, NULL, NULL},
    {"int name", m_int_name, NULL, NULL},
    {"int org", m_int_org, NULL, NULL},
    {"loc street 2", m_loc_street, NULL, NULL},
    {"loc street 3", m_loc_street3, NULL, NULL},
    {"loc city", m_loc_city, NULL, NULL},
    {"int sp", m_int_sp, NULL, NULL},
    {"loc pc", m_loc_pc, NULL, NULL},
    {"int cc", m_int_cc, NULL, NULL},
    {"no loc postalInfo", m_no_loc, NULL, NULL},
    {"voice", m_voice, NULL, NULL},
    {"voice x", m_voice_x, NULL, NULL},
    {"fax", m_fax, NULL, NULL},
    {"fax x", m_fax_x, NULL, NULL},
    {"mobile", m_mobile, NULL, NULL},
    {"disclose flag", m_disclose_flag, NULL, NULL},
    {"disclose fields", m_disclose_fields, NULL, NULL},
    {"no disclose", m_no_disclose, NULL, NULL},
    {"email", m_email, NULL, NULL},
    {"id check state", NULL, "UPDATE contact SET idcheck_state = 'verified' WHERE handle = ?",
     NULL},
    {"server status", NULL, NULL, "serverUpdateProhibited"},
    {"pending transfer", NULL, NULL, "pendingTransfer"},
    {"another registrar's", NULL, "UPDATE contact SET sponsor_id = (SELECT id FROM registrar "
                                  "WHERE handle = 'REGC') WHERE handle = ?", NULL},
};

/* The candidate: REGB's contact with the original's data, changed as v says. */
static void make_candidate(struct fixture *f, const struct variant *v, int i, char *email,
                           char handle[CONTACT_ID_MAX + 1])
{
    char id[32];
    snprintf(id, sizeof id, "NEAR%d", i);
    struct contact_create_req r;
    full_contact(&r, id, email);
    if (v->mutate)
        v->mutate(&r);
    create_contact(f, f->b, &r, handle);
    if (v->sql) {
        db_stmt *s = db_query(f->d, v->sql);
        db_bind_text(s, 1, handle);
        if (db_run(s))
            fail_msg("%s: %s", v->sql, db_errmsg(f->d));
    }
    if (v->status) {
        int64_t id_ = scalar(f, "SELECT id FROM contact WHERE handle = ?", handle);
        assert_int_equal(status_add(f->d, "contact", id_, v->status, NULL), REG_OK);
    }
}

static void R4_identical_contact_reused(void **state)
{
    struct fixture f;
    reg_status st;
    open_fx(state, &f, "r4_reuse", true);
    /* REGB already has the registrant's exact data (and clientUpdateProhibited
     * of its own, which is not compared): that contact is used */
    simple_contact(&f, f.a, "HOLDER", "same@example.test");
    char mine[CONTACT_ID_MAX + 1];
    struct contact_create_req r;
    full_contact(&r, "MINE", "same@example.test");
    create_contact(&f, f.b, &r, mine);
    struct contact_update_req lock = {.id = mine, .add = {"clientUpdateProhibited"}, .nadd = 1};
    struct reg_op b = op_of(&f, "REGB");
    OK(&f, contact_update(&b, &lock, &st));
    create_domain(&f, f.a, "reuse.dk", "REGA:HOLDER", "REGA:HOLDER", NULL, NULL);
    int64_t b_contacts = contacts_of(&f, "REGB");
    char *mine_before = fingerprint(&f, mine);
    transfer(&f, f.b, XFER_REQUEST, "reuse.dk", false);
    struct domain d;
    load_domain(&f, "reuse.dk", "REGB", &d);
    assert_string_equal(d.registrant, mine);
    assert_string_equal(role_handle(&d, "admin"), mine);
    domain_free(&d);
    assert_int_equal(contacts_of(&f, "REGB"), b_contacts);
    struct versions *vs = history_of(&f, "contact", mine);
    assert_int_equal(vs->n, 2); /* create and update: reuse is no change of it */
    free(vs);
    char *mine_after = fingerprint(&f, mine);
    assert_string_equal(mine_after, mine_before);
    free(mine_before);
    free(mine_after);

    /* a contact that differs in any compared field, is in another id-check
     * state, has other registry locks, is being transferred away or is not
     * the gaining registrar's is not used: a copy is made instead */
    for (size_t i = 0; i < sizeof near_misses / sizeof near_misses[0]; i++) {
        const struct variant *v = &near_misses[i];
        char email[64], id[32], orig[CONTACT_ID_MAX + 1], near[CONTACT_ID_MAX + 1], dom[32];
        snprintf(email, sizeof email, "v%zu@example.test", i);
        snprintf(id, sizeof id, "V%zu", i);
        snprintf(dom, sizeof dom, "v%zu.dk", i);
        full_contact(&r, id, email);
        create_contact(&f, f.a, &r, orig);
        make_candidate(&f, v, (int)i, email, near);
        create_domain(&f, f.a, dom, orig, NULL, NULL, NULL);
        transfer(&f, f.b, XFER_REQUEST, dom, false);
        load_domain(&f, dom, "REGB", &d);
        if (!strcmp(d.registrant, near))
            fail_msg("%s: the contact differing in %s was reused", dom, v->what);
        assert_generated_id(d.registrant, "REGB");
        assert_copy_history(&f, d.registrant, orig, dom, "REGB", "epp", "TEST-1");
        domain_free(&d);
    }
    teardown(&f);
}

/* ---- pending mode: approval by the losing registrar, and by the job --------------------- */

static void R4_copies_on_approval_not_before(void **state)
{
    struct fixture f;
    open_fx(state, &f, "r4_approve", false);
    simple_contact(&f, f.a, "HOLDER", "holder@example.test");
    simple_contact(&f, f.a, "TECH", "tech@example.test");
    create_domain(&f, f.a, "ok.dk", "REGA:HOLDER", NULL, "REGA:TECH", NULL);
    create_domain(&f, f.a, "no.dk", "REGA:HOLDER", NULL, "REGA:TECH", NULL);
    transfer(&f, f.b, XFER_REQUEST, "ok.dk", true);
    transfer(&f, f.b, XFER_REQUEST, "no.dk", true);
    /* a request copies nothing */
    assert_int_equal(contacts_of(&f, "REGB"), 0);
    struct domain d;
    load_domain(&f, "ok.dk", "REGA", &d);
    assert_string_equal(d.registrant, "REGA:HOLDER");
    domain_free(&d);
    /* nor does a rejection */
    transfer(&f, f.a, XFER_REJECT, "no.dk", false);
    assert_int_equal(contacts_of(&f, "REGB"), 0);
    load_domain(&f, "no.dk", "REGA", &d);
    assert_string_equal(d.registrant, "REGA:HOLDER");
    domain_free(&d);

    /* approval does: recorded as the approving registrar's work */
    f.now = T0 + 2 * DAY;
    transfer(&f, f.a, XFER_APPROVE, "ok.dk", false);
    assert_int_equal(contacts_of(&f, "REGB"), 2);
    load_domain(&f, "ok.dk", "REGB", &d);
    assert_generated_id(d.registrant, "REGB");
    assert_generated_id(role_handle(&d, "tech"), "REGB");
    assert_copy_of(&f, d.registrant, "REGA:HOLDER", "REGB");
    assert_copy_history(&f, d.registrant, "REGA:HOLDER", "ok.dk", "REGA", "epp", "TEST-1");
    assert_copy_history(&f, role_handle(&d, "tech"), "REGA:TECH", "ok.dk", "REGA", "epp",
                        "TEST-1");
    domain_free(&d);
    load_domain(&f, "no.dk", "REGA", &d);
    assert_string_equal(d.registrant, "REGA:HOLDER");
    domain_free(&d);
    teardown(&f);
}

static void R4_copies_on_auto_approval(void **state)
{
    struct fixture f;
    reg_status st;
    open_fx(state, &f, "r4_auto", false);
    simple_contact(&f, f.a, "HOLDER", "holder@example.test");
    simple_contact(&f, f.a, "BILL", "bill@example.test");
    create_domain(&f, f.a, "auto.dk", "REGA:HOLDER", NULL, NULL, "REGA:BILL");
    transfer(&f, f.b, XFER_REQUEST, "auto.dk", true);
    assert_int_equal(run_job(&f, T0 + 5 * DAY, domain_transfer_auto_approve), 1);
    struct domain d;
    load_domain(&f, "auto.dk", "REGB", &d);
    assert_generated_id(d.registrant, "REGB");
    assert_generated_id(role_handle(&d, "billing"), "REGB");
    assert_copy_of(&f, role_handle(&d, "billing"), "REGA:BILL", "REGB");
    /* R40: the registry's job made them */
    assert_copy_history(&f, d.registrant, "REGA:HOLDER", "auto.dk", "job:test",
                        "job", "");
    assert_copy_history(&f, role_handle(&d, "billing"), "REGA:BILL", "auto.dk",
                        "job:test", "job", "");
    domain_free(&d);
    struct reg_op a = op_of(&f, "REGA");
    struct contact c;
    OK(&f, contact_info(&a, "REGA:HOLDER", NULL, &c, &st));
    assert_string_equal(c.sponsor, "REGA");
    assert_false(c.linked); /* its only domain left with the transfer */
    contact_free(&c);
    teardown(&f);
}

int main(void)
{
    log_set_level(LOG_WARN);
    if (secret_init())
        return 1;
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(R4_immediate_transfer_copies_contacts),
        BOTH_BACKENDS(R4_contact_in_several_roles_copied_once),
        BOTH_BACKENDS(R4_only_foreign_contacts_copied),
        BOTH_BACKENDS(R4_identical_contact_reused),
        BOTH_BACKENDS(R4_copies_on_approval_not_before),
        BOTH_BACKENDS(R4_copies_on_auto_approval),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    clock_set_real();
    return failed;
}
