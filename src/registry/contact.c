/* Contacts (RFC 5733): see contact.h. Ids follow R1–R3 (names.c); auth
 * info is stored hashed (RFC 9154, R13); every change records a history
 * version (R40) with the object as JSON after it. */
#include "contact.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account.h"
#include "contact_internal.h"
#include "contrib/precis.h"
#include "contrib/secret.h"
#include "history.h"
#include "notices.h"
#include "notify/templates.h"
#include "poll.h"
#include "transfer.h"

static const char *const postal_type[2] = {"int", "loc"};

static char *dup(const char *s) { return s ? strdup(s) : NULL; }
static bool empty(const char *s) { return !s || !*s; }

static void set_str(char **dst, const char *src)
{
    free(*dst);
    *dst = dup(src);
}

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

/* --- memory ---------------------------------------------------------------- */

static void postal_free(struct contact_postal *p)
{
    free(p->name);
    free(p->org);
    for (int i = 0; i < CONTACT_STREETS; i++)
        free(p->street[i]);
    free(p->city);
    free(p->sp);
    free(p->pc);
    free(p->cc);
    memset(p, 0, sizeof *p);
}

static void postal_clear_addr(struct contact_postal *p)
{
    for (int i = 0; i < CONTACT_STREETS; i++) {
        free(p->street[i]);
        p->street[i] = NULL;
    }
    free(p->city);
    free(p->sp);
    free(p->pc);
    p->city = p->sp = p->pc = NULL;
}

void contact_data_free(struct contact_data *d)
{
    for (int t = 0; t < 2; t++)
        postal_free(&d->postal[t]);
    free(d->voice);
    free(d->voice_x);
    free(d->fax);
    free(d->fax_x);
    free(d->email);
    free(d->kind);
    free(d->ident_type);
    free(d->ident_value);
    free(d->ident_cc);
    free(d->mobile);
    memset(d, 0, sizeof *d);
}

static void postal_copy(struct contact_postal *dst, const struct contact_postal *src)
{
    dst->present = src->present;
    dst->has_addr = src->has_addr;
    dst->name = dup(src->name);
    dst->org = dup(src->org);
    for (int i = 0; i < CONTACT_STREETS; i++)
        dst->street[i] = dup(src->street[i]);
    dst->city = dup(src->city);
    dst->sp = dup(src->sp);
    dst->pc = dup(src->pc);
    dst->cc = dup(src->cc);
}

static void data_copy(struct contact_data *dst, const struct contact_data *src)
{
    memset(dst, 0, sizeof *dst);
    for (int t = 0; t < 2; t++)
        postal_copy(&dst->postal[t], &src->postal[t]);
    dst->voice = dup(src->voice);
    dst->voice_x = dup(src->voice_x);
    dst->fax = dup(src->fax);
    dst->fax_x = dup(src->fax_x);
    dst->email = dup(src->email);
    dst->has_disclose = src->has_disclose;
    dst->disclose_flag = src->disclose_flag;
    dst->disclose = src->disclose;
    dst->kind = dup(src->kind);
    dst->ident_type = dup(src->ident_type);
    dst->ident_value = dup(src->ident_value);
    dst->ident_cc = dup(src->ident_cc);
    dst->mobile = dup(src->mobile);
}

void contact_create_req_free(struct contact_create_req *r)
{
    free(r->id);
    free(r->authinfo);
    contact_data_free(&r->d);
    memset(r, 0, sizeof *r);
}

void contact_update_req_free(struct contact_update_req *r)
{
    free(r->id);
    for (int t = 0; t < 2; t++)
        postal_free(&r->postal[t]);
    char *strs[] = {r->voice, r->voice_x,    r->fax,         r->fax_x,    r->email, r->authinfo,
                    r->kind,  r->ident_type, r->ident_value, r->ident_cc, r->mobile};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(strs[i]);
    memset(r, 0, sizeof *r);
}

void contact_free(struct contact *c)
{
    contact_data_free(&c->d);
    status_set_free(&c->status);
    free(c->idcheck_note);
    c->idcheck_note = NULL;
}

/* --- disclosure -------------------------------------------------------------- */

static const struct {
    unsigned bit;
    const char *name;
} disclose_names[] = {
    {CONTACT_DISCLOSE_NAME_INT, "name.int"}, {CONTACT_DISCLOSE_NAME_LOC, "name.loc"},
    {CONTACT_DISCLOSE_ORG_INT, "org.int"},   {CONTACT_DISCLOSE_ORG_LOC, "org.loc"},
    {CONTACT_DISCLOSE_ADDR_INT, "addr.int"}, {CONTACT_DISCLOSE_ADDR_LOC, "addr.loc"},
    {CONTACT_DISCLOSE_VOICE, "voice"},       {CONTACT_DISCLOSE_FAX, "fax"},
    {CONTACT_DISCLOSE_EMAIL, "email"},
};
#define N_DISCLOSE (sizeof disclose_names / sizeof disclose_names[0])

static void disclose_format(unsigned bits, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < N_DISCLOSE; i++)
        if (bits & disclose_names[i].bit) {
            int w = snprintf(out + o, n - o, "%s%s", o ? " " : "", disclose_names[i].name);
            if (w < 0 || (size_t)w >= n - o)
                break;
            o += (size_t)w;
        }
}

static unsigned disclose_parse(const char *s)
{
    unsigned bits = 0;
    while (s && *s) {
        size_t len = strcspn(s, " ");
        for (size_t i = 0; i < N_DISCLOSE; i++)
            if (strlen(disclose_names[i].name) == len && !strncmp(s, disclose_names[i].name, len))
                bits |= disclose_names[i].bit;
        s += len;
        while (*s == ' ')
            s++;
    }
    return bits;
}

bool contact_discloses(const struct contact_data *d, unsigned field)
{
    if (d->has_disclose && d->disclose_flag == 1 && (d->disclose & field))
        return true;
    if (d->has_disclose && d->disclose_flag == 0 && (d->disclose & field))
        return false;
    bool postal =
        field & (CONTACT_DISCLOSE_NAME_INT | CONTACT_DISCLOSE_NAME_LOC | CONTACT_DISCLOSE_ORG_INT |
                 CONTACT_DISCLOSE_ORG_LOC | CONTACT_DISCLOSE_ADDR_INT | CONTACT_DISCLOSE_ADDR_LOC);
    bool organisation = d->kind && (!strcmp(d->kind, "organization") || !strcmp(d->kind, "role"));
    return postal && organisation;
}

size_t contact_status_list(const struct contact *c, const char *names[8], const char *msgs[8])
{
    size_t n = 0, room = c->linked ? 6 : 7; /* the schema allows 7 */
    for (size_t i = 0; i < c->status.n && n < room; i++) {
        names[n] = c->status.items[i].name;
        msgs[n++] = c->status.items[i].message;
    }
    if (n == 0) {
        names[n] = "ok";
        msgs[n++] = NULL;
    }
    if (c->linked) {
        names[n] = "linked";
        msgs[n++] = NULL;
    }
    return n;
}

/* --- validation -------------------------------------------------------------- */

static bool printable_ascii(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

/* RFC 5733 §2.5: "+CC.NNNN", up to 17 characters */
static bool valid_e164(const char *s)
{
    if (!s || s[0] != '+' || strlen(s) > 17)
        return false;
    const char *p = s + 1;
    size_t cc = 0, num = 0;
    while (isdigit((unsigned char)*p)) {
        p++;
        cc++;
    }
    if (cc < 1 || cc > 3 || *p != '.')
        return false;
    for (p++; isdigit((unsigned char)*p); p++)
        num++;
    return *p == '\0' && num >= 1 && num <= 14;
}

static bool valid_cc(const char *s)
{
    return s && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) && !s[2] &&
           isascii((unsigned char)s[0]) && isascii((unsigned char)s[1]);
}

static bool valid_email(const char *s)
{
    if (!s || strlen(s) > 254)
        return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !at[1])
        return false;
    const char *dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || !dot[1])
        return false;
    for (const char *p = s; *p; p++)
        if (isspace((unsigned char)*p) || (unsigned char)*p < 0x20)
            return false;
    return true;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* YYYY-MM-DD, a real calendar date */
static bool valid_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= days[m - 1] + (m == 2 && leap(y));
}

static void upper_in_place(char *s)
{
    for (; s && *s; s++)
        *s = (char)toupper((unsigned char)*s);
}

static reg_err check_postal(const struct contact_postal *p, int type, reg_status *st)
{
    const char *t = postal_type[type];
    if (empty(p->name))
        return reg_fail(st, REG_ERR_MISSING, "postalInfo type=\"%s\" needs a name", t);
    if (empty(p->city))
        return reg_fail(st, REG_ERR_MISSING, "postalInfo type=\"%s\" needs an address with a city",
                        t);
    if (empty(p->cc))
        return reg_fail(st, REG_ERR_MISSING,
                        "postalInfo type=\"%s\" needs an address with a country code", t);
    if (!valid_cc(p->cc))
        return reg_fail(st, REG_ERR_INVALID,
                        "country code \"%s\" in postalInfo type=\"%s\" is not two letters (ISO "
                        "3166-1 alpha-2)",
                        p->cc, t);
    const char *fields[] = {p->name,      p->org,  p->street[0], p->street[1],
                            p->street[2], p->city, p->sp,        p->pc};
    static const char *const field_names[] = {"name",   "org",  "street", "street",
                                              "street", "city", "sp",     "pc"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (type == CONTACT_INT && !printable_ascii(fields[i]))
            return reg_fail(st, REG_ERR_INVALID,
                            "postalInfo type=\"int\" takes ASCII characters only (RFC 5733 "
                            "§2.3); use type=\"loc\" for \"%s\"",
                            fields[i]);
        char what[32]; /* PRECIS FreeformClass (contrib/precis.h), issue 12 item 8 */
        snprintf(what, sizeof what, "postalInfo %s %s", t, field_names[i]);
        if (precis_text_check(what, fields[i], st))
            return st->code;
    }
    return REG_OK;
}

static reg_err check_phone(const char *what, const char *number, const char *x, reg_status *st)
{
    if (empty(number)) {
        if (!empty(x))
            return reg_fail(st, REG_ERR_INVALID, "%s extension x=\"%s\" without a number", what, x);
        return REG_OK;
    }
    if (!valid_e164(number))
        return reg_fail(st, REG_ERR_INVALID,
                        "%s \"%s\" is not a number in the form +CC.NNNNNNNN (RFC 5733 §2.5)", what,
                        number);
    if (x && (strlen(x) > 10 || !printable_ascii(x)))
        return reg_fail(st, REG_ERR_INVALID, "%s extension x=\"%s\" is not a short extension", what,
                        x);
    return REG_OK;
}

static reg_err check_email(const char *email, reg_status *st)
{
    if (empty(email))
        return reg_fail(st, REG_ERR_MISSING, "an email address is required");
    if (!valid_email(email))
        return reg_fail(st, REG_ERR_INVALID, "\"%s\" is not an email address (local@domain)",
                        email);
    return precis_text_check("email", email, st);
}

static reg_err check_kind(const char *kind, reg_status *st)
{
    if (kind && strcmp(kind, "person") && strcmp(kind, "organization") && strcmp(kind, "role"))
        return reg_fail(st, REG_ERR_INVALID,
                        "contact type \"%s\" is not person, organization or role", kind);
    return REG_OK;
}

static reg_err check_ident(const char *type, const char *value, const char *cc, reg_status *st)
{
    if (!type && !value && !cc)
        return REG_OK;
    if (empty(type) || (strcmp(type, "org") && strcmp(type, "priv") && strcmp(type, "birthday") &&
                        strcmp(type, "passport")))
        return reg_fail(st, REG_ERR_INVALID,
                        "ident type \"%s\" is not org, priv, birthday or passport",
                        type ? type : "");
    if (empty(value))
        return reg_fail(st, REG_ERR_MISSING, "ident type=\"%s\" needs a value", type);
    if (strlen(value) > 100)
        return reg_fail(st, REG_ERR_INVALID, "ident value is longer than 100 characters");
    if (precis_text_check("ident value", value, st))
        return st->code;
    if (empty(cc))
        return reg_fail(st, REG_ERR_MISSING, "ident needs cc, the issuing country");
    if (!valid_cc(cc))
        return reg_fail(st, REG_ERR_INVALID,
                        "ident cc \"%s\" is not two upper-case letters (ISO 3166-1 alpha-2)", cc);
    if (!strcmp(type, "birthday") && !valid_date(value))
        return reg_fail(st, REG_ERR_INVALID,
                        "ident type=\"birthday\" takes a date as YYYY-MM-DD; \"%s\" is not one",
                        value);
    return REG_OK;
}

static reg_err check_mobile(const char *mobile, reg_status *st)
{
    if (!empty(mobile) && !valid_e164(mobile))
        return reg_fail(st, REG_ERR_INVALID,
                        "mobile \"%s\" is not a number in the form +CC.NNNNNNNN", mobile);
    return REG_OK;
}

static reg_err check_disclose(int flag, reg_status *st)
{
    if (flag < 0 || flag > 1)
        return reg_fail(st, REG_ERR_INVALID, "disclose flag must be 0 or 1");
    return REG_OK;
}

/* Empty optional values become NULL; country codes upper case. */
static void normalise(struct contact_data *d)
{
    for (int t = 0; t < 2; t++) {
        struct contact_postal *p = &d->postal[t];
        upper_in_place(p->cc);
        char **opt[] = {&p->org, &p->street[0], &p->street[1], &p->street[2], &p->sp, &p->pc};
        for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
            if (*opt[i] && !**opt[i]) {
                free(*opt[i]);
                *opt[i] = NULL;
            }
        /* streets without gaps */
        for (int i = 0; i < CONTACT_STREETS - 1; i++)
            if (!p->street[i])
                for (int j = i + 1; j < CONTACT_STREETS; j++)
                    if (p->street[j]) {
                        p->street[i] = p->street[j];
                        p->street[j] = NULL;
                        break;
                    }
    }
    char **opt[] = {&d->voice, &d->voice_x, &d->fax, &d->fax_x, &d->mobile};
    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
        if (*opt[i] && !**opt[i]) {
            free(*opt[i]);
            *opt[i] = NULL;
        }
    if (!d->voice) {
        free(d->voice_x);
        d->voice_x = NULL;
    }
    if (!d->fax) {
        free(d->fax_x);
        d->fax_x = NULL;
    }
}

static reg_err validate_all(const struct contact_data *d, reg_status *st)
{
    if (!d->postal[CONTACT_INT].present && !d->postal[CONTACT_LOC].present)
        return reg_fail(st, REG_ERR_MISSING,
                        "a contact needs postalInfo of type \"int\" or \"loc\" (or both)");
    for (int t = 0; t < 2; t++)
        if (d->postal[t].present && check_postal(&d->postal[t], t, st))
            return st->code;
    if (check_phone("voice", d->voice, d->voice_x, st) ||
        check_phone("fax", d->fax, d->fax_x, st) || check_email(d->email, st) ||
        check_kind(d->kind, st) || check_ident(d->ident_type, d->ident_value, d->ident_cc, st) ||
        check_mobile(d->mobile, st) || check_disclose(d->disclose_flag, st))
        return st->code;
    return REG_OK;
}

/* --- loading --------------------------------------------------------------- */

#define SELECT_CONTACT                                                                             \
    "SELECT c.id, c.handle, c.sponsor_id, (SELECT handle FROM registrar WHERE id = "               \
    "c.sponsor_id), "                                                                              \
    "(SELECT handle FROM registrar WHERE id = c.creator_id), "                                     \
    "(SELECT handle FROM registrar WHERE id = c.updater_id), c.kind, c.voice, c.voice_x, c.fax, "  \
    "c.fax_x, c.email, c.mobile, c.ident_type, c.ident_value, c.ident_cc, c.disclose_flag, "       \
    "c.disclose_fields, c.authinfo_hash, c.idcheck_state, c.idcheck_deadline, c.created_at, "      \
    "c.updated_at, c.transferred_at, c.idcheck_method, c.idcheck_by, c.idcheck_at, "             \
    "c.idcheck_note, c.lang FROM contact c "

static void fill_row(db_stmt *s, struct contact *c, char *hash, size_t hash_len)
{
    c->id = db_col_int(s, 0);
    copy(c->handle, sizeof c->handle, db_col_text(s, 1));
    c->sponsor_id = db_col_int(s, 2);
    copy(c->sponsor, sizeof c->sponsor, db_col_text(s, 3));
    copy(c->creator, sizeof c->creator, db_col_text(s, 4));
    copy(c->updater, sizeof c->updater, db_col_text(s, 5));
    c->d.kind = dup(db_col_text(s, 6));
    c->d.voice = dup(db_col_text(s, 7));
    c->d.voice_x = dup(db_col_text(s, 8));
    c->d.fax = dup(db_col_text(s, 9));
    c->d.fax_x = dup(db_col_text(s, 10));
    c->d.email = dup(db_col_text(s, 11));
    c->d.mobile = dup(db_col_text(s, 12));
    c->d.ident_type = dup(db_col_text(s, 13));
    c->d.ident_value = dup(db_col_text(s, 14));
    c->d.ident_cc = dup(db_col_text(s, 15));
    c->d.has_disclose = !db_col_is_null(s, 16);
    c->d.disclose_flag = c->d.has_disclose ? (int)db_col_int(s, 16) : 0;
    c->d.disclose = disclose_parse(db_col_text(s, 17));
    c->authinfo_set = !db_col_is_null(s, 18);
    if (hash && hash_len)
        copy(hash, hash_len, db_col_text(s, 18));
    copy(c->idcheck_state, sizeof c->idcheck_state, db_col_text(s, 19));
    c->idcheck_deadline = db_col_is_null(s, 20) ? 0 : db_col_int(s, 20);
    c->created_at = db_col_int(s, 21);
    c->updated_at = db_col_is_null(s, 22) ? 0 : db_col_int(s, 22);
    c->transferred_at = db_col_is_null(s, 23) ? 0 : db_col_int(s, 23);
    copy(c->idcheck_method, sizeof c->idcheck_method, db_col_text(s, 24));
    copy(c->idcheck_by, sizeof c->idcheck_by, db_col_text(s, 25));
    c->idcheck_at = db_col_is_null(s, 26) ? 0 : db_col_int(s, 26);
    c->idcheck_note = dup(db_col_text(s, 27));
    copy(c->lang, sizeof c->lang, db_col_text(s, 28));
}

static reg_err load_postal(db *d, struct contact *c)
{
    db_stmt *s = db_query(d, "SELECT type, name, org, street1, street2, street3, city, sp, pc, cc "
                             "FROM contact_postal WHERE contact_id = ?");
    db_bind_int(s, 1, c->id);
    while (db_next(s)) {
        const char *type = db_col_text(s, 0);
        int t = type && !strcmp(type, "loc") ? CONTACT_LOC : CONTACT_INT;
        struct contact_postal *p = &c->d.postal[t];
        postal_free(p);
        p->present = true;
        p->name = dup(db_col_text(s, 1));
        p->org = dup(db_col_text(s, 2));
        for (int i = 0; i < CONTACT_STREETS; i++)
            p->street[i] = dup(db_col_text(s, 3 + i));
        p->city = dup(db_col_text(s, 6));
        p->sp = dup(db_col_text(s, 7));
        p->pc = dup(db_col_text(s, 8));
        p->cc = dup(db_col_text(s, 9));
    }
    return db_done(s);
}

static reg_err load_linked(db *d, struct contact *c)
{
    db_stmt *s =
        db_query(d, "SELECT CASE WHEN EXISTS (SELECT 1 FROM domain WHERE registrant_id = ?) "
                    "OR EXISTS (SELECT 1 FROM domain_contact WHERE contact_id = ?) "
                    "OR EXISTS (SELECT 1 FROM host WHERE admin_contact_id = ?) "
                    "THEN 1 ELSE 0 END");
    db_bind_int(s, 1, c->id);
    db_bind_int(s, 2, c->id);
    db_bind_int(s, 3, c->id);
    c->linked = db_next(s) && db_col_int(s, 0) != 0;
    reg_err e = db_done(s);
    bool in_account = false; /* R33: a slot of an account */
    if (!e && !c->linked && !(e = account_contact_linked(d, c->id, &in_account)))
        c->linked = in_account;
    return e;
}

/* The whole contact by its stored handle; *found false if none. `lock`
 * takes the row lock (PostgreSQL) for a change. hash (may be NULL) gets
 * the stored auth info hash. */
static reg_err load(const struct reg_op *op, const char *handle, bool lock, struct contact *c,
                    bool *found, char *hash, size_t hash_len, reg_status *st)
{
    memset(c, 0, sizeof *c);
    if (hash && hash_len)
        hash[0] = '\0';
    db_stmt *s = db_query(op->db, lock ? SELECT_CONTACT "WHERE c.handle = ? {{for_update}}"
                                       : SELECT_CONTACT "WHERE c.handle = ?");
    db_bind_text(s, 1, handle);
    *found = db_next(s);
    if (*found)
        fill_row(s, c, hash, hash_len);
    reg_err e = db_done(s);
    if (!e && *found) {
        roid_format(c->roid, 'C', c->id, op->policy);
        e = load_postal(op->db, c);
        if (!e)
            e = status_load(op->db, "contact", c->id, &c->status);
        if (!e)
            e = load_linked(op->db, c);
    }
    if (e) {
        contact_free(c);
        *found = false;
        return op_db_fail(op, st, e);
    }
    return REG_OK;
}

/* Normalises the client's id and loads the contact: 2005/2003 for ids R3
 * does not allow, 2303 if there is no such contact. */
static reg_err load_input(const struct reg_op *op, const char *id, bool lock, struct contact *c,
                          char *hash, size_t hash_len, reg_status *st)
{
    char handle[CONTACT_ID_MAX + 1];
    memset(c, 0, sizeof *c);
    if (names_contact_lookup(id, handle, st))
        return st->code;
    bool found;
    if (load(op, handle, lock, c, &found, hash, hash_len, st))
        return st->code;
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "contact %s does not exist", handle);
    return REG_OK;
}

static bool is_sponsor(const struct reg_op *op, const struct contact *c)
{
    return op->registrar_id == 0 /* staff */ || op->registrar_id == c->sponsor_id;
}

static reg_err not_sponsor(const struct reg_op *op, const struct contact *c, const char *what,
                           reg_status *st)
{
    (void)op;
    return reg_fail(st, REG_ERR_AUTHZ, "contact %s is sponsored by %s; only its sponsor may %s it",
                    c->handle, c->sponsor, what);
}

int64_t contact_id_by_handle(db *d, const char *handle)
{
    db_stmt *s = db_query(d, "SELECT id FROM contact WHERE handle = ?");
    db_bind_text(s, 1, handle);
    int64_t id = db_next(s) ? db_col_int(s, 0) : 0;
    return db_done(s) ? 0 : id;
}

/* --- history (R40) --------------------------------------------------------- */

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *postal_json(const struct contact_postal *p)
{
    json_t *street = json_array();
    for (int i = 0; i < CONTACT_STREETS; i++)
        if (p->street[i])
            json_array_append_new(street, json_string(p->street[i]));
    json_t *o = json_object();
    json_object_set_new(o, "name", jstr(p->name));
    json_object_set_new(o, "org", jstr(p->org));
    json_object_set_new(o, "street", street);
    json_object_set_new(o, "city", jstr(p->city));
    json_object_set_new(o, "sp", jstr(p->sp));
    json_object_set_new(o, "pc", jstr(p->pc));
    json_object_set_new(o, "cc", jstr(p->cc));
    return o;
}

static json_t *time_json(reg_time t) { return t ? json_integer(t) : json_null(); }

/* The object as JSON (never the auth info, only whether it is set). */
static json_t *snapshot(const struct contact *c, bool deleted)
{
    json_t *o = json_object();
    json_object_set_new(o, "handle", json_string(c->handle));
    json_object_set_new(o, "roid", json_string(c->roid));
    json_object_set_new(o, "sponsor", json_string(c->sponsor));
    json_object_set_new(o, "creator", json_string(c->creator));
    json_object_set_new(o, "updater", c->updater[0] ? json_string(c->updater) : json_null());
    json_object_set_new(o, "type", jstr(c->d.kind));
    json_t *postal = json_object();
    for (int t = 0; t < 2; t++)
        if (c->d.postal[t].present)
            json_object_set_new(postal, postal_type[t], postal_json(&c->d.postal[t]));
    json_object_set_new(o, "postalInfo", postal);
    json_object_set_new(o, "voice", jstr(c->d.voice));
    json_object_set_new(o, "voice_x", jstr(c->d.voice_x));
    json_object_set_new(o, "fax", jstr(c->d.fax));
    json_object_set_new(o, "fax_x", jstr(c->d.fax_x));
    json_object_set_new(o, "email", jstr(c->d.email));
    json_object_set_new(o, "mobile", jstr(c->d.mobile));
    if (c->d.ident_type) {
        json_t *ident = json_object();
        json_object_set_new(ident, "type", jstr(c->d.ident_type));
        json_object_set_new(ident, "value", jstr(c->d.ident_value));
        json_object_set_new(ident, "cc", jstr(c->d.ident_cc));
        json_object_set_new(o, "ident", ident);
    } else {
        json_object_set_new(o, "ident", json_null());
    }
    if (c->d.has_disclose) {
        char fields[160];
        disclose_format(c->d.disclose, fields, sizeof fields);
        json_t *dis = json_object();
        json_object_set_new(dis, "flag", json_integer(c->d.disclose_flag));
        json_object_set_new(dis, "fields", json_string(fields));
        json_object_set_new(o, "disclose", dis);
    } else {
        json_object_set_new(o, "disclose", json_null());
    }
    json_object_set_new(o, "authinfo_set", json_boolean(c->authinfo_set));
    json_t *idc = json_object();
    json_object_set_new(idc, "state", json_string(c->idcheck_state));
    json_object_set_new(idc, "deadline", time_json(c->idcheck_deadline));
    json_object_set_new(idc, "method", c->idcheck_method[0] ? json_string(c->idcheck_method)
                                                            : json_null());
    json_object_set_new(idc, "by", c->idcheck_by[0] ? json_string(c->idcheck_by) : json_null());
    json_object_set_new(idc, "at", time_json(c->idcheck_at));
    json_object_set_new(idc, "note", jstr(c->idcheck_note));
    json_object_set_new(o, "idcheck", idc);
    json_t *statuses = json_array();
    for (size_t i = 0; i < c->status.n; i++)
        json_array_append_new(statuses, json_string(c->status.items[i].name));
    json_object_set_new(o, "statuses", statuses);
    json_object_set_new(o, "linked", json_boolean(c->linked));
    json_object_set_new(o, "lang", c->lang[0] ? json_string(c->lang) : json_null());
    json_object_set_new(o, "created_at", time_json(c->created_at));
    json_object_set_new(o, "updated_at", time_json(c->updated_at));
    json_object_set_new(o, "transferred_at", time_json(c->transferred_at));
    if (deleted)
        json_object_set_new(o, "deleted", json_true());
    return o;
}

static reg_err record(const struct reg_op *op, const struct contact *c, const char *action,
                      bool deleted, reg_status *st)
{
    return history_record_json(op, "contact", c->id, c->handle, action, snapshot(c, deleted), st);
}

/* Reloads the contact after a change and records it. */
static reg_err record_version(const struct reg_op *op, const char *handle, const char *action,
                              reg_status *st)
{
    struct contact c;
    bool found;
    if (load(op, handle, false, &c, &found, NULL, 0, st))
        return st->code;
    if (!found)
        return reg_fail(st, REG_ERR_INTERNAL, "contact %s vanished during %s", handle, action);
    reg_err e = record(op, &c, action, false, st);
    contact_free(&c);
    return e;
}

reg_err contact_record_version(const struct reg_op *op, const char *handle, const char *action,
                               reg_status *st)
{
    return record_version(op, handle, action, st);
}

/* --- writing ----------------------------------------------------------------- */

static reg_err write_postal(const struct reg_op *op, int64_t id, const struct contact_data *d,
                            reg_status *st)
{
    db_stmt *s = db_query(op->db, "DELETE FROM contact_postal WHERE contact_id = ?");
    db_bind_int(s, 1, id);
    reg_err e = db_run(s);
    for (int t = 0; t < 2 && !e; t++) {
        const struct contact_postal *p = &d->postal[t];
        if (!p->present)
            continue;
        s = db_query(op->db, "INSERT INTO contact_postal (contact_id, type, name, org, street1, "
                             "street2, street3, city, sp, pc, cc) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        db_bind_int(s, 1, id);
        db_bind_text(s, 2, postal_type[t]);
        db_bind_text(s, 3, p->name);
        db_bind_text(s, 4, p->org);
        for (int i = 0; i < CONTACT_STREETS; i++)
            db_bind_text(s, 5 + i, p->street[i]);
        db_bind_text(s, 8, p->city);
        db_bind_text(s, 9, p->sp);
        db_bind_text(s, 10, p->pc);
        db_bind_text(s, 11, p->cc);
        e = db_run(s);
    }
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static void bind_disclose(db_stmt *s, int idx, const struct contact_data *d)
{
    if (!d->has_disclose) {
        db_bind_null(s, idx);
        db_bind_null(s, idx + 1);
        return;
    }
    char fields[160];
    disclose_format(d->disclose, fields, sizeof fields);
    db_bind_int(s, idx, d->disclose_flag);
    db_bind_text(s, idx + 1, fields);
}

static reg_err hash_authinfo(const char *authinfo, char hash[SECRET_AUTHINFO_HASH_LEN],
                             reg_status *st)
{
    hash[0] = '\0';
    if (empty(authinfo))
        return REG_OK;
    if (secret_authinfo_hash(authinfo, hash))
        return reg_fail(st, REG_ERR_INTERNAL, "cannot hash the auth info");
    return REG_OK;
}

static reg_err exists(const struct reg_op *op, const char *handle, bool *out, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT 1 FROM contact WHERE handle = ?");
    db_bind_text(s, 1, handle);
    *out = db_next(s);
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

reg_err contact_pick_handle(const struct reg_op *op, const char *registrar, const char *requested,
                            char handle[CONTACT_ID_MAX + 1], reg_status *st)
{
    bool generated = empty(requested) || !strcasecmp(requested, "auto");
    for (int attempt = 0;; attempt++) {
        bool taken;
        if (names_contact_id(registrar, requested, handle, st) || exists(op, handle, &taken, st))
            return st->code;
        if (!taken)
            return REG_OK;
        if (!generated || attempt >= 8)
            return reg_fail(st, REG_ERR_EXISTS, "contact %s already exists", handle);
    }
}

reg_err contact_load(const struct reg_op *op, const char *handle, struct contact *c, bool *found,
                     reg_status *st)
{
    return load(op, handle, false, c, found, NULL, 0, st);
}

json_t *contact_snapshot(const struct contact *c) { return snapshot(c, false); }

/* --- check ----------------------------------------------------------------- */

reg_err contact_id_check(const struct reg_op *op, const char *registrar, const char *id,
                         contact_taken_fn taken_fn, bool *avail, char reason[160], reg_status *st)
{
    char handle[CONTACT_ID_MAX + 1];
    reg_status why = {0};
    *avail = false;
    reason[0] = '\0';
    if (names_contact_id(registrar, id, handle, &why)) {
        /* the schema allows 32 characters of reason here */
        copy(reason, 160, why.code == REG_ERR_INVALID ? "id not allowed (R3)" : "invalid id");
        return REG_OK;
    }
    bool taken;
    if (taken_fn(op, handle, &taken, st))
        return st->code;
    *avail = !taken;
    if (taken)
        copy(reason, 160, "in use");
    return REG_OK;
}

reg_err contact_check(const struct reg_op *op, const char *id, bool *avail, char reason[160],
                      reg_status *st)
{
    char registrar[REGISTRAR_HANDLE_MAX + 1];
    if (registrar_handle_of(op->db, op->registrar_id, registrar, st))
        return st->code;
    return contact_id_check(op, registrar, id, exists, avail, reason, st);
}

/* --- info ------------------------------------------------------------------ */

/* The identity check (R21) is shown to the sponsor only. */
static void hide_idcheck(struct contact *c)
{
    copy(c->idcheck_state, sizeof c->idcheck_state, "none");
    c->idcheck_deadline = c->idcheck_at = 0;
    c->idcheck_method[0] = c->idcheck_by[0] = '\0';
    free(c->idcheck_note);
    c->idcheck_note = NULL;
}

static void redact(struct contact *c)
{
    struct contact_data *d = &c->d;
    static const unsigned name_bit[2] = {CONTACT_DISCLOSE_NAME_INT, CONTACT_DISCLOSE_NAME_LOC};
    static const unsigned org_bit[2] = {CONTACT_DISCLOSE_ORG_INT, CONTACT_DISCLOSE_ORG_LOC};
    static const unsigned addr_bit[2] = {CONTACT_DISCLOSE_ADDR_INT, CONTACT_DISCLOSE_ADDR_LOC};
    c->redacted = 0;
    for (int t = 0; t < 2; t++) {
        struct contact_postal *p = &d->postal[t];
        if (!p->present)
            continue;
        if (!contact_discloses(d, name_bit[t])) {
            free(p->name);
            p->name = NULL;
            c->redacted |= name_bit[t];
        }
        if (!contact_discloses(d, org_bit[t])) {
            free(p->org);
            p->org = NULL;
            c->redacted |= org_bit[t];
        }
        if (!contact_discloses(d, addr_bit[t])) {
            postal_clear_addr(p); /* the country stays: it is no one's address */
            c->redacted |= addr_bit[t];
        }
    }
    if (!contact_discloses(d, CONTACT_DISCLOSE_VOICE)) {
        set_str(&d->voice, NULL);
        set_str(&d->voice_x, NULL);
        c->redacted |= CONTACT_DISCLOSE_VOICE;
    }
    if (!contact_discloses(d, CONTACT_DISCLOSE_FAX)) {
        set_str(&d->fax, NULL);
        set_str(&d->fax_x, NULL);
        c->redacted |= CONTACT_DISCLOSE_FAX;
    }
    if (!contact_discloses(d, CONTACT_DISCLOSE_EMAIL)) {
        set_str(&d->email, NULL);
        c->redacted |= CONTACT_DISCLOSE_EMAIL;
    }
    /* identity and mobile number are never public */
    set_str(&d->ident_type, NULL);
    set_str(&d->ident_value, NULL);
    set_str(&d->ident_cc, NULL);
    set_str(&d->mobile, NULL);
    hide_idcheck(c);
}

reg_err contact_info(const struct reg_op *op, const char *id, const char *authinfo,
                     struct contact *out, reg_status *st)
{
    char hash[SECRET_AUTHINFO_HASH_LEN];
    if (load_input(op, id, false, out, hash, sizeof hash, st))
        return st->code;
    if (is_sponsor(op, out)) {
        out->view = CONTACT_VIEW_SPONSOR;
        return REG_OK;
    }
    if (authinfo) {
        if (!out->authinfo_set || !secret_authinfo_verify(hash, authinfo)) {
            reg_fail(st, REG_ERR_AUTHINFO, "the auth info for contact %s is not correct",
                     out->handle);
            contact_free(out);
            return st->code;
        }
        out->view = CONTACT_VIEW_AUTHINFO;
        hide_idcheck(out);
        return REG_OK;
    }
    out->view = CONTACT_VIEW_PUBLIC;
    redact(out);
    return REG_OK;
}

/* --- create ------------------------------------------------------------------ */

reg_err contact_create(const struct reg_op *op, const struct contact_create_req *req,
                       char handle[CONTACT_ID_MAX + 1], reg_status *st)
{
    char registrar[REGISTRAR_HANDLE_MAX + 1], hash[SECRET_AUTHINFO_HASH_LEN];
    handle[0] = '\0';
    if (registrar_handle_of(op->db, op->registrar_id, registrar, st))
        return st->code;
    struct contact_data d;
    data_copy(&d, &req->d);
    normalise(&d);
    reg_err e = validate_all(&d, st);
    if (!e)
        e = hash_authinfo(req->authinfo, hash, st);
    if (!e)
        e = contact_pick_handle(op, registrar, req->id, handle, st);
    int64_t id = 0;
    if (!e) {
        db_stmt *s =
            db_query(op->db, "INSERT INTO contact (handle, sponsor_id, creator_id, kind, voice, "
                             "voice_x, fax, fax_x, email, mobile, ident_type, ident_value, "
                             "ident_cc, disclose_flag, disclose_fields, authinfo_hash, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                             "RETURNING id");
        db_bind_text(s, 1, handle);
        db_bind_int(s, 2, op->registrar_id);
        db_bind_int(s, 3, op->registrar_id);
        db_bind_text(s, 4, d.kind);
        db_bind_text(s, 5, d.voice);
        db_bind_text(s, 6, d.voice_x);
        db_bind_text(s, 7, d.fax);
        db_bind_text(s, 8, d.fax_x);
        db_bind_text(s, 9, d.email);
        db_bind_text(s, 10, d.mobile);
        db_bind_text(s, 11, d.ident_type);
        db_bind_text(s, 12, d.ident_value);
        db_bind_text(s, 13, d.ident_cc);
        bind_disclose(s, 14, &d);
        db_bind_text(s, 16, hash[0] ? hash : NULL);
        db_bind_int(s, 17, op->now);
        if (db_next(s))
            id = db_col_int(s, 0);
        e = db_done(s);
        if (e == REG_ERR_DB_CONSTRAINT) /* a concurrent create of the same id won */
            e = reg_fail(st, REG_ERR_EXISTS, "contact %s already exists", handle);
        else if (e)
            e = op_db_fail(op, st, e);
    }
    if (!e)
        e = write_postal(op, id, &d, st);
    if (!e)
        e = record_version(op, handle, "create", st);
    contact_data_free(&d);
    if (e)
        handle[0] = '\0';
    return e;
}

/* --- update ---------------------------------------------------------------- */

static bool has_changes(const struct contact_update_req *r)
{
    return r->postal[0].present || r->postal[1].present || r->chg_voice || r->chg_fax || r->email ||
           r->authinfo || r->chg_disclose || r->kind || r->chg_ident || r->chg_mobile;
}

/* RFC 5733 §2.2 / RFC 5731 §2.3: clientUpdateProhibited rejects every
 * update other than the one removing it. */
static reg_err update_allowed(const struct contact *c, const struct contact_update_req *r,
                              reg_status *st)
{
    bool only_unlock = r->nadd == 0 && r->nrem == 1 &&
                       !strcmp(r->rem[0], "clientUpdateProhibited") && !has_changes(r);
    if (!only_unlock)
        return status_allows(&c->status, OP_UPDATE, st);
    struct status_set others = {.n = 0};
    for (size_t i = 0; i < c->status.n; i++)
        if (strcmp(c->status.items[i].name, "clientUpdateProhibited"))
            others.items[others.n++] = c->status.items[i]; /* shallow: not freed */
    return status_allows(&others, OP_UPDATE, st);
}

static reg_err check_status_changes(const struct contact *c, const struct contact_update_req *r,
                                    reg_status *st)
{
    for (size_t i = 0; i < r->nadd + r->nrem; i++) {
        bool add = i < r->nadd;
        const char *s = add ? r->add[i] : r->rem[i - r->nadd];
        if (!s || !status_client_settable("contact", s))
            return reg_fail(st, REG_ERR_POLICY,
                            "status %s cannot be %s by a registrar: only clientDeleteProhibited, "
                            "clientTransferProhibited and clientUpdateProhibited",
                            s ? s : "(none)", add ? "added" : "removed");
        if (add && status_has(&c->status, s))
            return reg_fail(st, REG_ERR_POLICY, "contact %s already has status %s", c->handle, s);
        if (add && status_message_check(s, r->add_msg[i], st))
            return st->code;
        if (!add && !status_has(&c->status, s))
            return reg_fail(st, REG_ERR_POLICY, "contact %s does not have status %s", c->handle, s);
        for (size_t j = 0; j < r->nrem && add; j++)
            if (!strcmp(r->rem[j], s))
                return reg_fail(st, REG_ERR_INVALID, "status %s is both added and removed", s);
    }
    return REG_OK;
}

static bool same_text(const char *a, const char *b, bool nocase)
{
    if (empty(a) || empty(b))
        return empty(a) && empty(b);
    return nocase ? !strcasecmp(a, b) : !strcmp(a, b);
}

/* Does the update give an ident other than the stored one? Giving the
 * same one again is no change. */
static bool ident_changes(const struct contact_data *old, const struct contact_update_req *r)
{
    return !same_text(old->ident_type, r->ident_type, true) ||
           !same_text(old->ident_value, r->ident_value, false) ||
           !same_text(old->ident_cc, r->ident_cc, true);
}

/* R5: the ident names the person, so it cannot change; a new person is a
 * new contact object. The two exceptions correct data the old registry
 * let through: a stored ident without cc (or no ident at all), and a
 * birthday that is not a date written YYYY-MM-DD. */
static bool ident_correctable(const struct contact_data *old)
{
    if (empty(old->ident_cc))
        return true;
    return old->ident_type && !strcmp(old->ident_type, "birthday") &&
           !valid_date(old->ident_value);
}

/* Applies the changes to next (a copy of the stored data) and validates
 * what changed. */
static reg_err merge(const struct contact *c, const struct contact_update_req *r,
                     struct contact_data *next, reg_status *st)
{
    for (int t = 0; t < 2; t++) {
        const struct contact_postal *in = &r->postal[t];
        struct contact_postal *p = &next->postal[t];
        if (!in->present)
            continue;
        if (!p->present && (empty(in->name) || !in->has_addr))
            return reg_fail(st, REG_ERR_MISSING,
                            "contact %s has no postalInfo type=\"%s\" yet: give its name and addr",
                            c->handle, postal_type[t]);
        p->present = true;
        if (in->name)
            set_str(&p->name, in->name);
        if (in->org)
            set_str(&p->org, in->org);
        if (in->has_addr) {
            postal_clear_addr(p);
            for (int i = 0; i < CONTACT_STREETS; i++)
                p->street[i] = dup(in->street[i]);
            p->city = dup(in->city);
            p->sp = dup(in->sp);
            p->pc = dup(in->pc);
            set_str(&p->cc, in->cc);
        }
    }
    if (r->chg_voice) {
        set_str(&next->voice, r->voice);
        set_str(&next->voice_x, r->voice_x);
    }
    if (r->chg_fax) {
        set_str(&next->fax, r->fax);
        set_str(&next->fax_x, r->fax_x);
    }
    if (r->email)
        set_str(&next->email, r->email);
    if (r->chg_disclose) {
        next->has_disclose = true;
        next->disclose_flag = r->disclose_flag;
        next->disclose = r->disclose;
    }
    if (r->kind)
        set_str(&next->kind, r->kind);
    if (r->chg_ident && ident_changes(&c->d, r) && !ident_correctable(&c->d))
        return reg_fail(st, REG_ERR_DATA_POLICY,
                        "the ident cannot change; create a new contact object instead (R5)");
    if (r->chg_ident) {
        set_str(&next->ident_type, r->ident_type);
        set_str(&next->ident_value, r->ident_value);
        set_str(&next->ident_cc, r->ident_cc);
    }
    if (r->chg_mobile)
        set_str(&next->mobile, r->mobile);
    normalise(next);
    if ((r->chg_ident || r->chg_mobile) && (next->ident_type || next->mobile) && !next->kind)
        return reg_fail(st, REG_ERR_MISSING,
                        "contact %s has no type: give regc:type with ident or mobile", c->handle);
    for (int t = 0; t < 2; t++)
        if (r->postal[t].present && check_postal(&next->postal[t], t, st))
            return st->code;
    if ((r->chg_voice && check_phone("voice", next->voice, next->voice_x, st)) ||
        (r->chg_fax && check_phone("fax", next->fax, next->fax_x, st)) ||
        (r->email && check_email(next->email, st)) || (r->kind && check_kind(next->kind, st)) ||
        (r->chg_ident && check_ident(next->ident_type, next->ident_value, next->ident_cc, st)) ||
        (r->chg_mobile && check_mobile(next->mobile, st)) ||
        (r->chg_disclose && check_disclose(next->disclose_flag, st)))
        return st->code;
    return REG_OK;
}

reg_err contact_update(const struct reg_op *op, const struct contact_update_req *r, reg_status *st)
{
    struct contact c;
    if (load_input(op, r->id, true, &c, NULL, 0, st))
        return st->code;
    struct contact_data next;
    data_copy(&next, &c.d);
    char hash[SECRET_AUTHINFO_HASH_LEN] = "";
    reg_err e = REG_OK;
    if (!is_sponsor(op, &c))
        e = not_sponsor(op, &c, "update", st);
    else if (r->nadd == 0 && r->nrem == 0 && !has_changes(r))
        e = reg_fail(st, REG_ERR_MISSING,
                     "nothing to change: give add, rem or chg, or the contact-ext update");
    else if (r->nadd > STATUS_MAX || r->nrem > STATUS_MAX)
        e = reg_fail(st, REG_ERR_RANGE, "too many statuses");
    if (!e)
        e = update_allowed(&c, r, st);
    if (!e)
        e = check_status_changes(&c, r, st);
    if (!e)
        e = merge(&c, r, &next, st);
    if (!e && r->authinfo)
        e = hash_authinfo(r->authinfo, hash, st);
    if (!e && has_changes(r)) {
        db_stmt *s = db_query(op->db, "UPDATE contact SET kind = ?, voice = ?, voice_x = ?, "
                                      "fax = ?, fax_x = ?, email = ?, mobile = ?, ident_type = ?, "
                                      "ident_value = ?, ident_cc = ?, disclose_flag = ?, "
                                      "disclose_fields = ?, updated_at = ?, updater_id = ? "
                                      "WHERE id = ?");
        db_bind_text(s, 1, next.kind);
        db_bind_text(s, 2, next.voice);
        db_bind_text(s, 3, next.voice_x);
        db_bind_text(s, 4, next.fax);
        db_bind_text(s, 5, next.fax_x);
        db_bind_text(s, 6, next.email);
        db_bind_text(s, 7, next.mobile);
        db_bind_text(s, 8, next.ident_type);
        db_bind_text(s, 9, next.ident_value);
        db_bind_text(s, 10, next.ident_cc);
        bind_disclose(s, 11, &next);
        db_bind_int(s, 13, op->now);
        if (op->registrar_id)
            db_bind_int(s, 14, op->registrar_id);
        else
            db_bind_null(s, 14);
        db_bind_int(s, 15, c.id);
        e = db_run(s);
        if (!e && r->authinfo) {
            s = db_query(op->db, "UPDATE contact SET authinfo_hash = ? WHERE id = ?");
            db_bind_text(s, 1, hash[0] ? hash : NULL);
            db_bind_int(s, 2, c.id);
            e = db_run(s);
        }
        e = e ? op_db_fail(op, st, e) : write_postal(op, c.id, &next, st);
    } else if (!e) {
        db_stmt *s = db_query(op->db, "UPDATE contact SET updated_at = ?, updater_id = ? "
                                      "WHERE id = ?");
        db_bind_int(s, 1, op->now);
        if (op->registrar_id)
            db_bind_int(s, 2, op->registrar_id);
        else
            db_bind_null(s, 2);
        db_bind_int(s, 3, c.id);
        e = db_run(s);
        if (e)
            e = op_db_fail(op, st, e);
    }
    for (size_t i = 0; !e && i < r->nrem; i++)
        if ((e = status_remove(op->db, "contact", c.id, r->rem[i])))
            e = op_db_fail(op, st, e);
    for (size_t i = 0; !e && i < r->nadd; i++)
        if ((e = status_add(op->db, "contact", c.id, r->add[i],
                            empty(r->add_msg[i]) ? NULL : r->add_msg[i])))
            e = op_db_fail(op, st, e);
    if (!e)
        e = record_version(op, c.handle, "update", st);
    /* R10: the old and the new address both hear of the change */
    if (!e && r->email && !same_text(c.d.email, next.email, false))
        e = notice_contact_email_change(op, c.id, c.d.email, next.email, st);
    contact_data_free(&next);
    contact_free(&c);
    return e;
}

/* --- delete -------------------------------------------------------------------- */

reg_err contact_delete(const struct reg_op *op, const char *id, reg_status *st)
{
    struct contact c;
    if (load_input(op, id, true, &c, NULL, 0, st))
        return st->code;
    reg_err e = REG_OK;
    if (!is_sponsor(op, &c))
        e = not_sponsor(op, &c, "delete", st);
    else if (status_allows(&c.status, OP_DELETE, st))
        e = st->code;
    else if (c.linked)
        e = reg_fail(st, REG_ERR_ASSOCIATION,
                     "contact %s is linked (a domain's registrant or contact, a name server's "
                     "admin, or in an account's slot); replace it there first",
                     c.handle);
    if (!e) /* an account without domains goes with its a1 contact */
        e = account_release_contact(op, c.id, st);
    static const char *const sql[] = {
        "DELETE FROM object_status WHERE object_kind = 'contact' AND object_id = ?",
        "DELETE FROM contact_postal WHERE contact_id = ?",
        "DELETE FROM contact WHERE id = ?",
    };
    for (size_t i = 0; !e && i < sizeof sql / sizeof sql[0]; i++) {
        db_stmt *s = db_query(op->db, sql[i]);
        db_bind_int(s, 1, c.id);
        e = db_run(s);
        if (e == REG_ERR_DB_CONSTRAINT) /* linked since we looked */
            e = reg_fail(st, REG_ERR_ASSOCIATION, "contact %s is linked; replace it there first",
                         c.handle);
        else if (e)
            e = op_db_fail(op, st, e);
    }
    if (!e)
        e = record(op, &c, "delete", true, st);
    contact_free(&c);
    return e;
}

/* --- transfer ------------------------------------------------------------------- */

static reg_err latest_transfer(const struct reg_op *op, int64_t contact_id, int64_t *tid,
                               struct contact_transfer_info *out, reg_status *st)
{
    db_stmt *s = db_query(op->db, "SELECT t.id, t.status, g.handle, l.handle, t.requested_at, "
                                  "t.action_at FROM transfer t JOIN registrar g ON g.id = "
                                  "t.gaining_id JOIN registrar l ON l.id = t.losing_id "
                                  "WHERE t.object_kind = 'contact' AND t.object_id = ? "
                                  "ORDER BY t.id DESC LIMIT 1");
    db_bind_int(s, 1, contact_id);
    *tid = 0;
    if (db_next(s)) {
        *tid = db_col_int(s, 0);
        copy(out->status, sizeof out->status, db_col_text(s, 1));
        copy(out->gaining, sizeof out->gaining, db_col_text(s, 2));
        copy(out->losing, sizeof out->losing, db_col_text(s, 3));
        out->requested_at = db_col_int(s, 4);
        out->action_at = db_col_int(s, 5);
    }
    reg_err e = db_done(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

/* A poll message; its data lets the EPP layer render <contact:trnData>. */
static reg_err notify(const struct reg_op *op, const char *to_handle,
                      const struct contact_transfer_info *t, const char *text, reg_status *st)
{
    int64_t to = registrar_id_by_handle(op->db, to_handle);
    if (!to)
        return REG_OK;
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "id", t->handle, "trStatus", t->status,
                          "reID", t->gaining, "acID", t->losing, "reDate",
                          (json_int_t)t->requested_at, "acDate", (json_int_t)t->action_at);
    char *data = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    reg_err e = poll_enqueue(op->db, to, "transfer", text, "contact", t->handle, data, st);
    free(data);
    return e;
}

/* The contact goes to the gaining registrar; the old auth info dies with
 * the move (the losing registrar knows it). */
static reg_err move(const struct reg_op *op, int64_t contact_id, const char *gaining,
                    reg_status *st)
{
    int64_t gid = registrar_id_by_handle(op->db, gaining);
    if (!gid)
        return reg_fail(st, REG_ERR_INTERNAL, "registrar %s vanished", gaining);
    db_stmt *s = db_query(op->db, "UPDATE contact SET sponsor_id = ?, transferred_at = ?, "
                                  "authinfo_hash = NULL, updated_at = ?, updater_id = ? "
                                  "WHERE id = ?");
    db_bind_int(s, 1, gid);
    db_bind_int(s, 2, op->now);
    db_bind_int(s, 3, op->now);
    db_bind_int(s, 4, gid);
    db_bind_int(s, 5, contact_id);
    reg_err e = db_run(s);
    if (!e)
        e = status_remove(op->db, "contact", contact_id, "pendingTransfer");
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err insert_transfer(const struct reg_op *op, int64_t contact_id,
                               const struct contact_transfer_info *t, reg_status *st)
{
    db_stmt *s = db_query(op->db, "INSERT INTO transfer (object_kind, object_id, status, "
                                  "gaining_id, losing_id, requested_at, action_at) "
                                  "VALUES ('contact', ?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, contact_id);
    db_bind_text(s, 2, t->status);
    db_bind_int(s, 3, registrar_id_by_handle(op->db, t->gaining));
    db_bind_int(s, 4, registrar_id_by_handle(op->db, t->losing));
    db_bind_int(s, 5, t->requested_at);
    db_bind_int(s, 6, t->action_at);
    reg_err e = db_run(s);
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static reg_err request(const struct reg_op *op, const struct contact *c, const char *hash,
                       const char *authinfo, struct contact_transfer_info *out, bool *pending,
                       reg_status *st)
{
    char me[REGISTRAR_HANDLE_MAX + 1];
    if (!op->registrar_id)
        return reg_fail(st, REG_ERR_INVALID, "a transfer is requested by a registrar");
    if (op->registrar_id == c->sponsor_id)
        return reg_fail(st, REG_ERR_NOT_TRANSFERABLE, "contact %s is already yours", c->handle);
    if (status_has(&c->status, "pendingTransfer"))
        return reg_fail(st, REG_ERR_PENDING, "a transfer of contact %s is already pending",
                        c->handle);
    if (status_allows(&c->status, OP_TRANSFER, st))
        return st->code;
    if (!c->authinfo_set)
        return reg_fail(st, REG_ERR_AUTHINFO,
                        "contact %s has no auth info; ask its sponsor to set one", c->handle);
    if (empty(authinfo))
        return reg_fail(st, REG_ERR_AUTHINFO, "a transfer of contact %s needs its auth info",
                        c->handle);
    if (!secret_authinfo_verify(hash, authinfo))
        return reg_fail(st, REG_ERR_AUTHINFO, "the auth info for contact %s is not correct",
                        c->handle);
    if (registrar_handle_of(op->db, op->registrar_id, me, st))
        return st->code;
    copy(out->gaining, sizeof out->gaining, me);
    copy(out->losing, sizeof out->losing, c->sponsor);
    out->requested_at = op->now;
    char text[384];
    *pending = !op->policy->transfer_immediate;
    if (*pending) {
        copy(out->status, sizeof out->status, "pending");
        out->action_at = op->now + op->policy->transfer_pending_period;
        char due[REG_TIME_STRLEN];
        snprintf(text, sizeof text,
                 "Transfer of contact %s requested by %s; approve or reject it before %s",
                 c->handle, me, clock_format(out->action_at, due, sizeof due));
        reg_err e = status_add(op->db, "contact", c->id, "pendingTransfer", NULL);
        if (e)
            return op_db_fail(op, st, e);
        if (insert_transfer(op, c->id, out, st) || notify(op, out->losing, out, text, st))
            return st->code;
        return record_version(op, c->handle, "transfer-request", st);
    }
    copy(out->status, sizeof out->status, "serverApproved");
    out->action_at = op->now;
    snprintf(text, sizeof text, "Contact %s transferred to %s", c->handle, me);
    if (move(op, c->id, me, st) || insert_transfer(op, c->id, out, st) ||
        notify(op, out->losing, out, text, st))
        return st->code;
    return record_version(op, c->handle, "transfer", st);
}

static reg_err act(const struct reg_op *op, contact_xfer_op top, const struct contact *c,
                   int64_t tid, struct contact_transfer_info *t, reg_status *st)
{
    if (!tid || strcmp(t->status, "pending"))
        return reg_fail(st, REG_ERR_NOT_PENDING, "no transfer of contact %s is pending", c->handle);
    char me[REGISTRAR_HANDLE_MAX + 1] = "";
    if (op->registrar_id && registrar_handle_of(op->db, op->registrar_id, me, st))
        return st->code;
    bool staff = op->registrar_id == 0;
    bool loser = staff || !strcmp(me, t->losing), gainer = staff || !strcmp(me, t->gaining);
    if (top == CONTACT_XFER_CANCEL && !gainer)
        return reg_fail(st, REG_ERR_AUTHZ,
                        "only %s, who requested the transfer of contact %s, may cancel it",
                        t->gaining, c->handle);
    if (top != CONTACT_XFER_CANCEL && !loser)
        return reg_fail(st, REG_ERR_AUTHZ,
                        "only %s, the sponsor of contact %s, may approve or reject its transfer",
                        t->losing, c->handle);
    const char *status = top == CONTACT_XFER_APPROVE  ? "clientApproved"
                         : top == CONTACT_XFER_REJECT ? "clientRejected"
                                                      : "clientCancelled";
    copy(t->status, sizeof t->status, status);
    t->action_at = op->now;
    if (transfer_close(op, tid, status, op->now, NULL, st))
        return st->code;
    reg_err e;
    if (top == CONTACT_XFER_APPROVE) {
        if (move(op, c->id, t->gaining, st))
            return st->code;
    } else if ((e = status_remove(op->db, "contact", c->id, "pendingTransfer"))) {
        return op_db_fail(op, st, e);
    }
    char text[384];
    const char *verb = top == CONTACT_XFER_APPROVE  ? "approved"
                       : top == CONTACT_XFER_REJECT ? "rejected"
                                                    : "cancelled";
    snprintf(text, sizeof text, "Transfer of contact %s to %s %s by %s", c->handle, t->gaining,
             verb, staff ? "the registry" : me);
    const char *other = top == CONTACT_XFER_CANCEL ? t->losing : t->gaining;
    if (notify(op, other, t, text, st))
        return st->code;
    return record_version(op, c->handle,
                          top == CONTACT_XFER_APPROVE  ? "transfer"
                          : top == CONTACT_XFER_REJECT ? "transfer-reject"
                                                       : "transfer-cancel",
                          st);
}

static reg_err query(const struct reg_op *op, const struct contact *c, const char *hash,
                     const char *authinfo, int64_t tid, const struct contact_transfer_info *t,
                     reg_status *st)
{
    if (!tid)
        return reg_fail(st, REG_ERR_NOT_PENDING, "no transfer of contact %s has been requested",
                        c->handle);
    if (is_sponsor(op, c))
        return REG_OK;
    char me[REGISTRAR_HANDLE_MAX + 1];
    if (registrar_handle_of(op->db, op->registrar_id, me, st))
        return st->code;
    if (!strcmp(me, t->gaining) || !strcmp(me, t->losing))
        return REG_OK;
    if (authinfo) {
        if (c->authinfo_set && secret_authinfo_verify(hash, authinfo))
            return REG_OK;
        return reg_fail(st, REG_ERR_AUTHINFO, "the auth info for contact %s is not correct",
                        c->handle);
    }
    return reg_fail(st, REG_ERR_AUTHZ,
                    "only the sponsor, the parties of the transfer or a holder of the auth info "
                    "may query the transfer of contact %s",
                    c->handle);
}

reg_err contact_transfer(const struct reg_op *op, contact_xfer_op top, const char *id,
                         const char *authinfo, struct contact_transfer_info *out, bool *pending,
                         reg_status *st)
{
    struct contact c;
    char hash[SECRET_AUTHINFO_HASH_LEN];
    memset(out, 0, sizeof *out);
    *pending = false;
    if (load_input(op, id, top != CONTACT_XFER_QUERY, &c, hash, sizeof hash, st))
        return st->code;
    copy(out->handle, sizeof out->handle, c.handle);
    reg_err e;
    int64_t tid = 0;
    if (top == CONTACT_XFER_REQUEST)
        e = request(op, &c, hash, authinfo, out, pending, st);
    else if ((e = latest_transfer(op, c.id, &tid, out, st)))
        ; /* st set */
    else if (top == CONTACT_XFER_QUERY)
        e = query(op, &c, hash, authinfo, tid, out, st);
    else
        e = act(op, top, &c, tid, out, st);
    if (!e)
        *pending = !strcmp(out->status, "pending");
    contact_free(&c);
    return e;
}

reg_err contact_transfer_auto_approve(const struct reg_op *op, int *count, reg_status *st)
{
    *count = 0;
    for (;;) {
        int64_t tid = 0;
        char handle[CONTACT_ID_MAX + 1] = "";
        reg_err e;
        if (transfer_next_due(op, "contact", &tid, handle, sizeof handle, st))
            return st->code;
        if (!tid)
            return REG_OK;
        struct contact c;
        bool found;
        struct contact_transfer_info t = {0};
        int64_t latest;
        if (load(op, handle, true, &c, &found, NULL, 0, st))
            return st->code;
        if (!found) { /* deleted meanwhile: nothing to approve */
            if (transfer_close(op, tid, "serverCancelled", op->now, NULL, st))
                return st->code;
            continue;
        }
        copy(t.handle, sizeof t.handle, handle);
        e = latest_transfer(op, c.id, &latest, &t, st);
        if (!e) {
            copy(t.status, sizeof t.status, "serverApproved");
            char text[384];
            snprintf(text, sizeof text,
                     "Transfer of contact %s to %s approved automatically: no answer in time",
                     handle, t.gaining);
            /* action_at stays: it is when the approval was due */
            if (transfer_close(op, tid, "serverApproved", t.action_at, NULL, st) ||
                move(op, c.id, t.gaining, st) || notify(op, t.losing, &t, text, st) ||
                notify(op, t.gaining, &t, text, st) || record_version(op, handle, "transfer", st))
                e = st->code;
        }
        contact_free(&c);
        if (e)
            return e;
        (*count)++;
    }
}

/* --- staff: the language of the registry's messages ------------------------------ */

reg_err contact_set_lang(const struct reg_op *op, const char *id, const char *lang, bool *changed,
                         reg_status *st)
{
    *changed = false;
    if (lang && !strcmp(lang, "auto"))
        lang = NULL;
    if (lang && !template_lang_known(lang))
        return reg_fail(st, REG_ERR_INVALID,
                        "language \"%s\" is not one of en, da, nb, et (or auto)", lang);
    struct contact c;
    if (load_input(op, id, true, &c, NULL, 0, st))
        return st->code;
    *changed = strcmp(c.lang, lang ? lang : "") != 0;
    reg_err e = REG_OK;
    if (*changed) {
        db_stmt *s = db_query(op->db, "UPDATE contact SET lang = ? WHERE id = ?");
        if (lang)
            db_bind_text(s, 1, lang);
        else
            db_bind_null(s, 1);
        db_bind_int(s, 2, c.id);
        e = db_run(s);
        e = e ? op_db_fail(op, st, e) : record_version(op, c.handle, "update", st);
    }
    contact_free(&c);
    return e;
}
