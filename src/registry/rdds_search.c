/* Pattern searches for RDAP (rdds_search.h). */
#include "rdds_search.h"

#include <stdio.h>
#include <string.h>

#include "contrib/utf8.h"

/* The bounds of the names that start with `prefix` in byte order: lo is
 * the prefix, hi the prefix with its last byte raised (a name that
 * starts with the prefix is below it). */
static void bounds(const char *prefix, char *hi, size_t n)
{
    snprintf(hi, n, "%s", prefix);
    size_t len = strlen(hi);
    if (len)
        hi[len - 1] = (char)((unsigned char)hi[len - 1] + 1);
}

/* Runs one search statement (its binds made) and collects column 0. */
static reg_err collect(db *d, db_stmt *s, size_t limit, struct arena *a, const char **names,
                       size_t *n, bool *more, reg_status *st)
{
    *n = 0;
    *more = false;
    while (db_next(s)) {
        if (*n == limit) {
            *more = true;
            continue;
        }
        names[(*n)++] = arena_strdup(a, db_col_text(s, 0));
    }
    reg_err e = db_done(s);
    if (e)
        return reg_fail(st, e, "database: %s", db_errmsg(d));
    return arena_failed(a) ? reg_fail(st, REG_ERR_NOMEM, "out of memory for the answer") : REG_OK;
}

/* LIKE patterns of p: what starts and ends right, and what would let the
 * '*' match a '.' before a suffix ("" matches no name). Names and
 * patterns hold no LIKE wildcard ('%', '_'): rdap_parse lets letters,
 * digits, '-' and '.' through. */
static void like_patterns(const struct rdds_pattern *p, char *match, char *dotted, size_t n)
{
    snprintf(match, n, "%s%s%s", p->prefix, p->partial ? "%" : "", p->partial ? p->suffix : "");
    if (p->partial && *p->suffix)
        snprintf(dotted, n, "%s%%.%%%s", p->prefix, p->suffix);
    else
        *dotted = '\0';
}

static reg_err search_names(db *d, const char *sql_indexed, const char *sql_unicode,
                            const struct rdds_pattern *p, size_t limit, struct arena *a,
                            const char **names, size_t *n, bool *more, reg_status *st)
{
    char match[1100], dotted[1100], hi[1100];
    like_patterns(p, match, dotted, sizeof match);
    db_stmt *s;
    int i = 1;
    if (p->unicode) {
        s = db_query(d, sql_unicode);
    } else {
        bounds(p->prefix, hi, sizeof hi);
        s = db_query(d, sql_indexed);
        db_bind_text(s, i++, p->prefix);
        db_bind_text(s, i++, hi);
    }
    db_bind_text(s, i++, match);
    db_bind_text(s, i++, dotted);
    db_bind_int(s, i, (int64_t)limit + 1);
    return collect(d, s, limit, a, names, n, more, st);
}

reg_err rdds_search_domains(db *d, const struct rdds_pattern *p, size_t limit, struct arena *a,
                            const char **names, size_t *n, bool *more, reg_status *st)
{
    return search_names(d,
                        "SELECT name FROM domain WHERE name >= ? AND name < ? AND name LIKE ? "
                        "AND name NOT LIKE ? ORDER BY name LIMIT ?",
                        "SELECT name FROM domain WHERE uname LIKE ? AND uname NOT LIKE ? "
                        "ORDER BY name LIMIT ?",
                        p, limit, a, names, n, more, st);
}

reg_err rdds_search_hosts(db *d, const struct rdds_pattern *p, size_t limit, struct arena *a,
                          const char **names, size_t *n, bool *more, reg_status *st)
{
    if (p->unicode) /* hosts are stored as A-labels only */
        return reg_fail(st, REG_ERR_UNIMPLEMENTED_OPTION,
                        "search name servers by their A-label (xn--…) names");
    return search_names(d,
                        "SELECT name FROM host WHERE name >= ? AND name < ? AND name LIKE ? "
                        "AND name NOT LIKE ? ORDER BY name LIMIT ?",
                        NULL, p, limit, a, names, n, more, st);
}

reg_err rdds_search_entities(db *d, const char *sponsor, bool by_handle,
                             const struct rdds_pattern *p, size_t limit, struct arena *a,
                             struct rdds_entity_hit *hits, size_t *n, bool *more,
                             reg_status *st)
{
    *n = 0;
    *more = false;
    const char **names = arena_calloc(a, limit + 1, sizeof *names);
    if (!names)
        return reg_fail(st, REG_ERR_NOMEM, "out of memory for the answer");
    char hi[1100];
    bounds(p->prefix, hi, sizeof hi);
    int64_t chars = (int64_t)utf8_length(p->prefix);
    /* the sponsor's contacts, then the registrars */
    for (int pass = 0; pass < 2; pass++) {
        db_stmt *s;
        if (by_handle) {
            s = db_query(d, pass ? "SELECT handle FROM registrar WHERE handle >= ? AND handle < ? "
                                   "AND (? = 1 OR handle = ?) ORDER BY handle LIMIT ?"
                                 : "SELECT c.handle FROM contact c JOIN registrar r ON r.id = "
                                   "c.sponsor_id WHERE r.handle = ? AND c.handle >= ? AND "
                                   "c.handle < ? AND (? = 1 OR c.handle = ?) ORDER BY c.handle "
                                   "LIMIT ?");
            int i = 1;
            if (!pass)
                db_bind_text(s, i++, sponsor);
            db_bind_text(s, i++, p->prefix);
            db_bind_text(s, i++, hi);
            db_bind_int(s, i++, p->partial);
            db_bind_text(s, i++, p->prefix);
            db_bind_int(s, i, (int64_t)(limit - *n) + 1);
        } else {
            s = db_query(d, pass ? "SELECT handle FROM registrar WHERE substr(lower(name), 1, ?) "
                                   "= lower(?) AND (? = 1 OR length(name) = ?) ORDER BY handle "
                                   "LIMIT ?"
                                 : "SELECT DISTINCT c.handle FROM contact c JOIN registrar r ON "
                                   "r.id = c.sponsor_id JOIN contact_postal pp ON pp.contact_id "
                                   "= c.id WHERE r.handle = ? AND substr(lower(pp.name), 1, ?) = "
                                   "lower(?) AND (? = 1 OR length(pp.name) = ?) ORDER BY "
                                   "c.handle LIMIT ?");
            int i = 1;
            if (!pass)
                db_bind_text(s, i++, sponsor);
            db_bind_int(s, i++, chars);
            db_bind_text(s, i++, p->prefix);
            db_bind_int(s, i++, p->partial);
            db_bind_int(s, i++, chars);
            db_bind_int(s, i, (int64_t)(limit - *n) + 1);
        }
        size_t got;
        bool over;
        reg_err e = collect(d, s, limit - *n, a, names + *n, &got, &over, st);
        if (e)
            return e;
        for (size_t k = 0; k < got; k++)
            hits[*n + k] = (struct rdds_entity_hit){names[*n + k], pass == 1};
        *n += got;
        if (over) { /* the registrars are asked even when the contacts filled it */
            *more = true;
            break;
        }
    }
    return REG_OK;
}
