/* What the next zone file would change (diff.h). */
#include "diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/strutil.h"
#include "guard.h"
#include "registry/zone_state.h"

/* The records of one owner name of the published file, read ahead one
 * line: the key is the delegation (or glue-only) name the records belong
 * to, "" for the apex. */
struct old_file {
    FILE *f;
    const char *origin;
    char *line;       /* the next record line (NULL at the end) */
    size_t cap;
    char key[ZONE_NAME_SIZE]; /* of line */
    strbuf block;     /* the lines of the current block */
    char block_key[ZONE_NAME_SIZE];
    bool have_block;
};

/* The name below the origin that `owner` ("ns1.x.dk.") belongs to
 * ("x.dk"); "" for the origin itself. */
static void key_of(const char *owner, size_t n, const char *origin, char key[ZONE_NAME_SIZE])
{
    size_t o = strlen(origin);
    if (n && owner[n - 1] == '.')
        n--;
    key[0] = '\0';
    if (n <= o + 1 || owner[n - o - 1] != '.' || strncasecmp(owner + n - o, origin, o))
        return;
    size_t end = n - o - 1, start = end;
    while (start > 0 && owner[start - 1] != '.')
        start--;
    snprintf(key, ZONE_NAME_SIZE, "%.*s.%s", (int)(end - start), owner + start, origin);
}

/* The next record line (comments and blank lines skipped). */
static void old_advance(struct old_file *o)
{
    ssize_t n;
    while (o->f && (n = getline(&o->line, &o->cap, o->f)) >= 0) {
        if (n == 0 || o->line[0] == ';' || o->line[0] == '\n')
            continue;
        key_of(o->line, strcspn(o->line, "\t "), o->origin, o->key);
        return;
    }
    free(o->line);
    o->line = NULL;
    o->cap = 0;
}

/* The next block of the file into o->block; false at the end. */
static bool old_block(struct old_file *o)
{
    sb_reset(&o->block);
    o->have_block = o->line != NULL;
    if (!o->have_block)
        return false;
    str_copy(o->block_key, sizeof o->block_key, o->key);
    while (o->line && !strcmp(o->key, o->block_key)) {
        sb_puts(&o->block, o->line);
        if (o->line[strlen(o->line) - 1] != '\n')
            sb_putc(&o->block, '\n');
        old_advance(o);
    }
    return true;
}

/* Does text (lines) hold line (of len bytes, its '\n' included)? */
static bool has_line(const char *text, const char *line, size_t len)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n") + 1;
        if (n == len && !memcmp(p, line, len))
            return true;
        p += n;
    }
    return false;
}

/* Lines of `a` not in `b`, each as "<sign> line". */
static int64_t lines_not_in(FILE *out, char sign, const char *a, const char *b)
{
    int64_t n = 0;
    for (const char *p = a; *p;) {
        size_t len = strcspn(p, "\n") + 1;
        if (!has_line(b, p, len)) {
            fprintf(out, "%c %.*s", sign, (int)len, p);
            n++;
        }
        p += len;
    }
    return n;
}

struct differ {
    FILE *out;
    struct old_file *old;
    const struct zone_settings *zs;
    struct zone_diff *r;
    strbuf now;
    reg_status *st;
};

static void compare(struct differ *w, const char *old, const char *now)
{
    w->r->removed += lines_not_in(w->out, '-', old, now);
    w->r->added += lines_not_in(w->out, '+', now, old);
}

/* Old blocks before `key` ("" : all that are left) are gone. */
static void drop_before(struct differ *w, const char *key)
{
    while (w->old->have_block && (!*key || strcmp(w->old->block_key, key) < 0)) {
        compare(w, sb_str(&w->old->block), "");
        old_block(w->old);
    }
}

static int diff_name(const struct zone_delegation *z, void *arg)
{
    struct differ *w = arg;
    sb_reset(&w->now);
    reg_err e = zone_render_name(&w->now, w->zs, z, &w->r->next.records, w->st);
    if (e)
        return (int)e;
    if (z->n_ns)
        w->r->next.delegations++;
    drop_before(w, z->name);
    if (w->old->have_block && !strcmp(w->old->block_key, z->name)) {
        compare(w, sb_str(&w->old->block), sb_str(&w->now));
        old_block(w->old);
    } else {
        compare(w, "", sb_str(&w->now));
    }
    return 0;
}

/* The serial of the SOA line in text (0: none). */
static uint32_t soa_serial(const char *text)
{
    const char *soa = strstr(text, "\tSOA\t");
    unsigned long serial = 0;
    if (soa && sscanf(soa + 5, "%*s %*s %lu", &serial) != 1)
        serial = 0;
    return (uint32_t)serial;
}

reg_err zone_diff(db *d, const struct zone_settings *zs, reg_time now, FILE *out,
                  struct zone_diff *r, reg_status *st)
{
    memset(r, 0, sizeof *r);
    struct zone_state state;
    reg_err e = zone_state_get(d, &state, st);
    if (!e)
        e = zone_guard_previous(d, &r->published, st);
    if (e)
        return e;
    struct old_file old = {.origin = zs->origin};
    sb_init(&old.block);
    old.f = fopen(zs->file, "r");
    if (!old.f && errno != ENOENT) {
        sb_free(&old.block);
        return reg_fail(st, REG_ERR_IO, "cannot read %s: %s", zs->file, strerror(errno));
    }
    r->have_file = old.f != NULL;
    old_advance(&old);
    old_block(&old);
    struct differ w = {.out = out, .old = &old, .zs = zs, .r = r, .st = st};
    sb_init(&w.now);
    /* the apex, with the file's serial: a new serial is no change */
    const char *apex = old.have_block && !*old.block_key ? sb_str(&old.block) : "";
    /* no file: the serial the next run would take */
    uint32_t serial = *apex ? soa_serial(apex)
                            : (uint32_t)(now > state.serial ? now : state.serial + 1);
    e = zone_render_apex(&w.now, zs, serial, st);
    if (!e) {
        compare(&w, apex, sb_str(&w.now));
        r->next.records = 1 + (int64_t)zs->n_ns;
        if (*apex)
            old_block(&old);
        e = zone_data_walk(d, now, diff_name, &w, st);
    }
    if (!e)
        drop_before(&w, "");
    if (!e && old.f && ferror(old.f))
        e = reg_fail(st, REG_ERR_IO, "cannot read %s: %s", zs->file, strerror(errno));
    if (old.f)
        fclose(old.f);
    free(old.line);
    sb_free(&old.block);
    sb_free(&w.now);
    r->would_hold = zone_guard_refuses(r->published, r->next.delegations, zs->max_shrink);
    return e;
}
