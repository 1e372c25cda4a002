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

#include "account_store.h"
#include "contact_store.h"
#include "contact_internal.h"
#include "contrib/precis.h"
#include "contrib/secret.h"
#include "contrib/strutil.h"
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

/* --- memory ---------------------------------------------------------------- */

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
        contact_postal_free(&r->postal[t]);
    char *strs[] = {r->voice, r->voice_x,    r->fax,         r->fax_x,    r->email, r->authinfo,
                    r->kind,  r->ident_type, r->ident_value, r->ident_cc, r->mobile};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(strs[i]);
    memset(r, 0, sizeof *r);
}

/* --- disclosure -------------------------------------------------------------- */

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
bool contact_phone_valid(const char *s)
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
        /* PRECIS FreeformClass (contrib/precis.h), issue 12 item 8; first,
         * so that a reason never repeats text that can deceive */
        char what[32];
        snprintf(what, sizeof what, "postalInfo %s %s", t, field_names[i]);
        if (precis_text_check(what, fields[i], st))
            return st->code;
        if (type == CONTACT_INT && !printable_ascii(fields[i]))
            return reg_fail(st, REG_ERR_INVALID,
                            "postalInfo type=\"int\" takes ASCII characters only (RFC 5733 "
                            "§2.3); use type=\"loc\" for \"%s\"",
                            fields[i]);
    }
    return REG_OK;
}

static reg_err check_phone(const char *what, const char *number, const char *x, reg_status *st)
{
    /* the reasons below repeat the value: only text that cannot deceive */
    if (precis_text_check(what, number, st) || precis_text_check(what, x, st))
        return st->code;
    if (empty(number)) {
        if (!empty(x))
            return reg_fail(st, REG_ERR_INVALID, "%s extension x=\"%s\" without a number", what, x);
        return REG_OK;
    }
    if (!contact_phone_valid(number))
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
    if (precis_text_check("email", email, st)) /* before the reason repeats it */
        return st->code;
    if (!valid_email(email))
        return reg_fail(st, REG_ERR_INVALID, "\"%s\" is not an email address (local@domain)",
                        email);
    return REG_OK;
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
    if (!empty(mobile) && !contact_phone_valid(mobile))
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
    if (contact_load_row(op, handle, lock, c, &found, hash, hash_len, st))
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

/* Is authinfo contact c's auth info (stored hash `hash`)? A match by a hash
 * of an older form is stored again with the current pepper key. */
static reg_err authinfo_matches(const struct reg_op *op, const struct contact *c,
                                const char *hash, const char *authinfo, bool *ok, reg_status *st)
{
    char rehash[SECRET_AUTHINFO_HASH_LEN];
    *ok = c->authinfo_set && secret_authinfo_verify(hash, authinfo, rehash);
    return *ok && rehash[0] ? contact_store_rehash_authinfo(op, c->id, hash, rehash, st) : REG_OK;
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

/* --- check ----------------------------------------------------------------- */

reg_err contact_id_check(const struct reg_op *op, const char *registrar, const char *id,
                         contact_taken_fn taken_fn, bool *avail, char reason[160], reg_status *st)
{
    char handle[CONTACT_ID_MAX + 1];
    reg_status why = {0};
    *avail = false;
    reason[0] = '\0';
    if (names_contact_id(&op->policy->names, registrar, id, handle, &why)) {
        /* the schema allows 32 characters of reason here */
        str_copy(reason, 160,
                 why.code == REG_ERR_INVALID ? names_contact_id_short_reason(id) : "invalid id");
        return REG_OK;
    }
    bool taken;
    if (taken_fn(op, handle, &taken, st))
        return st->code;
    *avail = !taken;
    if (taken)
        str_copy(reason, 160, "in use");
    return REG_OK;
}

reg_err contact_check(const struct reg_op *op, const char *id, bool *avail, char reason[160],
                      reg_status *st)
{
    char registrar[REGISTRAR_HANDLE_MAX + 1];
    if (registrar_handle_of(op->db, op->registrar_id, registrar, st))
        return st->code;
    return contact_id_check(op, registrar, id, contact_handle_taken, avail, reason, st);
}

/* --- info ------------------------------------------------------------------ */

/* The identity check (R21) is shown to the sponsor only. */
static void hide_idcheck(struct contact *c)
{
    str_copy(c->idcheck_state, sizeof c->idcheck_state, "none");
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
        bool ok;
        reg_err e = authinfo_matches(op, out, hash, authinfo, &ok, st);
        if (!e && !ok)
            e = reg_fail(st, REG_ERR_AUTHINFO, "the auth info for contact %s is not correct",
                         out->handle);
        if (e) {
            contact_free(out);
            return e;
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
    if (!e)
        e = contact_store_insert(op, handle, &d, hash[0] ? hash : NULL, &id, st);
    if (!e)
        e = contact_record_version(op, handle, "create", st);
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
    if (r->chg_ident && ident_changes(&c->d, r) && !ident_correctable(&c->d)) /* R5 */
        return reg_fail(st, REG_ERR_DATA_POLICY,
                        "the ident cannot change; create a new contact object instead");
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
    if (!e && has_changes(r))
        e = contact_store_update(op, c.id, &next, r->authinfo != NULL, hash[0] ? hash : NULL, st);
    else if (!e)
        e = contact_store_touch(op, c.id, st);
    for (size_t i = 0; !e && i < r->nrem; i++)
        if ((e = status_remove(op->db, "contact", c.id, r->rem[i])))
            e = op_db_fail(op, st, e);
    for (size_t i = 0; !e && i < r->nadd; i++)
        if ((e = status_add(op->db, "contact", c.id, r->add[i],
                            empty(r->add_msg[i]) ? NULL : r->add_msg[i])))
            e = op_db_fail(op, st, e);
    if (!e)
        e = contact_record_version(op, c.handle, "update", st);
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
    if (!e)
        e = contact_store_delete(op, c.id, c.handle, st);
    if (!e)
        e = contact_record(op, &c, "delete", true, st);
    contact_free(&c);
    return e;
}

/* --- transfer (the engine: transfer.c) ------------------------------------------- */

struct loaded {
    struct contact c;
    char hash[SECRET_AUTHINFO_HASH_LEN];
};

static reg_err xfer_load(const struct reg_op *op, const char *key, bool lock,
                         struct transfer_object *o, reg_status *st)
{
    struct loaded *x = o->obj;
    if (load_input(op, key, lock, &x->c, x->hash, sizeof x->hash, st))
        return st->code;
    o->id = x->c.id;
    str_copy(o->key, sizeof o->key, x->c.handle);
    str_copy(o->sponsor, sizeof o->sponsor, x->c.sponsor);
    o->statuses = &x->c.status;
    o->expires_at = 0;
    return REG_OK;
}

static void xfer_release(void *obj)
{
    struct loaded *x = obj;
    contact_free(&x->c);
}

static reg_err xfer_check_authinfo(const struct reg_op *op, const struct transfer_object *o,
                                   const struct reg_authinfo *auth, reg_status *st)
{
    const struct loaded *x = o->obj;
    bool ok;
    reg_err e = authinfo_matches(op, &x->c, x->hash, auth->pw, &ok, st);
    if (e || ok)
        return e;
    return reg_fail(st, REG_ERR_AUTHINFO, "the auth info for contact %s is not correct", o->key);
}

static reg_err xfer_authorize(const struct reg_op *op, const struct transfer_object *o,
                              const struct reg_authinfo *auth, bool *by_otp, int64_t *wrong_otp,
                              reg_status *st)
{
    const struct loaded *x = o->obj;
    (void)by_otp;
    (void)wrong_otp;
    if (!x->c.authinfo_set)
        return reg_fail(st, REG_ERR_AUTHINFO,
                        "contact %s has no auth info; ask its sponsor to set one", o->key);
    if (!auth || empty(auth->pw))
        return reg_fail(st, REG_ERR_AUTHINFO, "a transfer of contact %s needs its auth info",
                        o->key);
    return xfer_check_authinfo(op, o, auth, st);
}

/* The contact goes to the gaining registrar; the old auth info dies with
 * the move (the losing registrar knows it). */
static reg_err xfer_move(const struct reg_op *op, const struct transfer_object *o, int64_t gid,
                         const char *gaining, int months, reg_time *new_expiry, reg_status *st)
{
    (void)months;
    *new_expiry = 0;
    if (!gid)
        return reg_fail(st, REG_ERR_INTERNAL, "registrar %s vanished", gaining);
    if (contact_store_move(op, o->id, gid, st))
        return st->code;
    reg_err e = status_remove(op->db, "contact", o->id, "pendingTransfer");
    return e ? op_db_fail(op, st, e) : REG_OK;
}

static bool xfer_text(enum transfer_event ev, const struct poll_transfer *t, bool by_otp,
                      const char *who, char *buf, size_t n)
{
    (void)by_otp;
    char due[REG_TIME_STRLEN];
    switch (ev) {
    case TRANSFER_ASKED:
        snprintf(buf, n, "Transfer of contact %s requested by %s; approve or reject it before %s",
                 t->name, who, clock_format(t->action_at, due, sizeof due));
        return true;
    case TRANSFER_LEFT:
        snprintf(buf, n, "Contact %s transferred to %s", t->name, t->gaining);
        return true;
    case TRANSFER_ARRIVED: return false; /* the requester has the answer to its command */
    case TRANSFER_DECIDED:
        snprintf(buf, n, "Transfer of contact %s to %s %s by %s", t->name, t->gaining,
                 !strcmp(t->status, "clientApproved")   ? "approved"
                 : !strcmp(t->status, "clientRejected") ? "rejected"
                                                        : "cancelled",
                 *who ? who : "the registry");
        return true;
    case TRANSFER_AUTO:
        snprintf(buf, n, "Transfer of contact %s to %s approved automatically: no answer in time",
                 t->name, t->gaining);
        return true;
    case TRANSFER_WITHDRAWN:
        snprintf(buf, n, "Transfer of contact %s to %s cancelled by the registry", t->name,
                 t->gaining);
        return true;
    }
    return false;
}

static const struct transfer_kind contact_kind = {
    .name = "contact",
    .poll = POLL_OBJ_CONTACT,
    .noun = "contact ",
    .paid = false,
    .obj_size = sizeof(struct loaded),
    .load = xfer_load,
    .release = xfer_release,
    .key_sql = "SELECT handle FROM contact WHERE id = ?",
    .check_authinfo = xfer_check_authinfo,
    .authorize = xfer_authorize,
    .move = xfer_move,
    .record_version = contact_record_version,
    .text = xfer_text,
};

reg_err contact_transfer(const struct reg_op *op, contact_xfer_op top, const char *id,
                         const char *authinfo, struct contact_transfer_info *out, bool *pending,
                         reg_status *st)
{
    static const transfer_op ops[] = {
        [CONTACT_XFER_REQUEST] = XFER_REQUEST, [CONTACT_XFER_QUERY] = XFER_QUERY,
        [CONTACT_XFER_APPROVE] = XFER_APPROVE, [CONTACT_XFER_REJECT] = XFER_REJECT,
        [CONTACT_XFER_CANCEL] = XFER_CANCEL,
    };
    struct poll_transfer t;
    struct reg_authinfo auth = {.pw = authinfo};
    int64_t wrong_otp;
    reg_err e = transfer_run(op, &contact_kind, ops[top], id, &auth, 0, &t, pending, &wrong_otp,
                             st);
    memset(out, 0, sizeof *out);
    snprintf(out->handle, sizeof out->handle, "%.*s", CONTACT_ID_MAX, t.name);
    transfer_info_copy(&t, out->status, out->gaining, out->losing, &out->requested_at,
                       &out->action_at);
    *pending = !e && !strcmp(out->status, "pending");
    return e;
}

reg_err contact_transfer_auto_approve(const struct reg_op *op, int *count, reg_status *st)
{
    return transfer_approve_due(op, &contact_kind, count, st);
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
        if (!(e = contact_store_set_lang(op, c.id, lang, st)))
            e = contact_record_version(op, c.handle, "update", st);
    }
    contact_free(&c);
    return e;
}
