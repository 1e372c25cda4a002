#include "registrar_services.h"

#include <stdio.h>
#include <string.h>

#include "contact.h"
#include "contrib/mailaddr.h"
#include "management.h"
#include "contrib/precis.h"
#include "op.h"

#define REGISTRAR_URL_MAX 255

/* A web address a browser opens: http(s), printable ASCII, no spaces. */
static bool url_valid(const char *u)
{
    size_t n = strlen(u);
    if (n > REGISTRAR_URL_MAX || (strncmp(u, "https://", 8) && strncmp(u, "http://", 7)))
        return false;
    const char *host = strstr(u, "://") + 3;
    if (!*host || *host == '/')
        return false;
    for (const char *p = u; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return false;
    return true;
}

/* The public details of a change, each checked before anything is written;
 * text is checked by PRECIS first, since the reasons repeat it. */
static reg_err details_check(const struct registrar_services_change *c, reg_status *st)
{
    if (c->name && !*c->name)
        return reg_fail(st, REG_ERR_MISSING, "a registrar needs a name");
    if (c->name && precis_text_check("the registrar's name", c->name, st))
        return st->code;
    if (c->email && *c->email) {
        char addr[256];
        if (precis_text_check("the registrar's email", c->email, st))
            return st->code;
        if (!mail_addr_spec(c->email, addr, sizeof addr))
            return reg_fail(st, REG_ERR_INVALID, "email \"%s\" is not an address", c->email);
    }
    if (c->url && *c->url) {
        if (precis_text_check("the registrar's web address", c->url, st))
            return st->code;
        if (!url_valid(c->url))
            return reg_fail(st, REG_ERR_INVALID,
                            "web address \"%s\" is not an http:// or https:// address of at "
                            "most %d characters without spaces",
                            c->url, REGISTRAR_URL_MAX);
    }
    if (c->phone && *c->phone) {
        if (precis_text_check("the registrar's phone", c->phone, st))
            return st->code;
        if (!contact_phone_valid(c->phone))
            return reg_fail(st, REG_ERR_INVALID,
                            "phone \"%s\" is not a number in the form +CC.NNNNNNNN, as "
                            "+45.12345678",
                            c->phone);
    }
    return REG_OK;
}

/* A text column's new value: keep (NULL), clear ("") or set. */
static void bind_detail(db_stmt *s, int at, const char *v)
{
    db_bind_int(s, at, v == NULL);
    if (v && *v)
        db_bind_text(s, at + 1, v);
    else
        db_bind_null(s, at + 1);
}

reg_err registrar_services_set(db *d, const char *handle,
                               const struct registrar_services_change *c, reg_status *st)
{
    char norm[REGISTRAR_HANDLE_MAX + 1];
    if (c->default_management && !management_valid(c->default_management))
        return reg_fail(st, REG_ERR_INVALID, "management is registrar or registrant, not \"%s\"",
                        c->default_management);
    if (details_check(c, st))
        return st->code;
    if (registrar_handle_normalize(handle, norm, st))
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", handle ? handle : "");
    reg_err e = db_begin(d);
    if (e)
        return db_fail(d, st, e);
    db_stmt *s = db_query(d, "UPDATE registrar SET default_management = COALESCE(?, "
                             "default_management), offers_name_service = CASE WHEN ? < 0 THEN "
                             "offers_name_service ELSE ? END, offers_dnssec = CASE WHEN ? < 0 "
                             "THEN offers_dnssec ELSE ? END, "
                             "name = CASE WHEN ? = 1 THEN name ELSE ? END, "
                             "email = CASE WHEN ? = 1 THEN email ELSE ? END, "
                             "url = CASE WHEN ? = 1 THEN url ELSE ? END, "
                             "phone = CASE WHEN ? = 1 THEN phone ELSE ? END, "
                             "updated_at = ? WHERE handle = ?");
    db_bind_text(s, 1, c->default_management);
    db_bind_int(s, 2, c->name_service);
    db_bind_int(s, 3, c->name_service);
    db_bind_int(s, 4, c->dnssec);
    db_bind_int(s, 5, c->dnssec);
    bind_detail(s, 6, c->name);
    bind_detail(s, 8, c->email);
    bind_detail(s, 10, c->url);
    bind_detail(s, 12, c->phone);
    db_bind_int(s, 14, clock_now());
    db_bind_text(s, 15, norm);
    e = db_run(s);
    if (!e && db_changes(d) == 0) {
        db_rollback(d);
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", norm);
    }
    if (!e)
        e = db_commit(d);
    else
        db_rollback(d);
    return e ? db_fail(d, st, e) : REG_OK;
}

reg_err registrar_services_get(db *d, const char *handle, struct registrar_services *out,
                               reg_status *st)
{
    char norm[REGISTRAR_HANDLE_MAX + 1];
    memset(out, 0, sizeof *out);
    if (registrar_handle_normalize(handle, norm, st))
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", handle ? handle : "");
    db_stmt *s = db_query(d, "SELECT default_management, offers_name_service, offers_dnssec FROM "
                             "registrar WHERE handle = ?");
    db_bind_text(s, 1, norm);
    bool found = db_next(s);
    if (found) {
        snprintf(out->default_management, sizeof out->default_management, "%s",
                 db_col_text(s, 0));
        out->name_service = db_col_int(s, 1) != 0;
        out->dnssec = db_col_int(s, 2) != 0;
    }
    reg_err e = db_done(s);
    if (e)
        return db_fail(d, st, e);
    if (!found)
        return reg_fail(st, REG_ERR_NOT_FOUND, "registrar %s does not exist", norm);
    return REG_OK;
}

reg_err registrar_dnssec_gap_each(db *d, void (*fn)(const char *handle, const char *name, void *arg),
                                  void *arg, reg_status *st)
{
    db_stmt *s = db_query(d, "SELECT handle, name FROM registrar WHERE offers_name_service = 1 "
                             "AND offers_dnssec = 0 ORDER BY handle");
    while (db_next(s))
        fn(db_col_text(s, 0), db_col_text(s, 1), arg);
    reg_err e = db_done(s);
    return e ? db_fail(d, st, e) : REG_OK;
}
