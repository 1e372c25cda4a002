/* Metrics (metrics.h): series found by a hash of their label values in an
 * open-addressed table that only grows (a slot once claimed keeps its
 * values), so an update takes no lock: a relaxed atomic add, after at
 * most a few probes. Slots are claimed with a compare-and-swap; a reader
 * that meets a slot being filled waits for its values (a few stores). */
#include "metrics.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SLOT_EMPTY, SLOT_FILLING, SLOT_READY };

struct metric_slot {
    _Atomic int state;
    uint32_t hash;
    size_t len;
    char key[METRIC_KEY_MAX]; /* each value followed by a NUL */
};

struct metric_store {
    int nlabels;
    int nslots; /* a power of two, at least twice max_series */
    int max_series;
    int ncells; /* per series: 1, or a histogram's buckets, +Inf and sum */
    _Atomic int used;
    struct metric_slot *slots; /* nslots */
    /* (nslots + 1) series: the last one is the overflow series, and the
     * only one of a metric without labels */
    _Atomic int64_t *cells;
};

static int label_count(const struct metric *m)
{
    int n = 0;
    while (n < METRIC_LABELS_MAX && m->labels[n])
        n++;
    return n;
}

static struct metric_store *store_new(const struct metric *m)
{
    struct metric_store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->nlabels = label_count(m);
    s->max_series = s->nlabels ? (m->max_series > 0 ? m->max_series : METRIC_SERIES_DEFAULT) : 0;
    s->nslots = 0;
    if (s->nlabels)
        for (s->nslots = 2; s->nslots < 2 * s->max_series; s->nslots *= 2)
            ;
    s->ncells = m->type == METRIC_HISTOGRAM ? m->nbounds + 2 : 1;
    s->slots = s->nslots ? calloc((size_t)s->nslots, sizeof *s->slots) : NULL;
    s->cells = calloc((size_t)(s->nslots + 1) * (size_t)s->ncells, sizeof *s->cells);
    if ((s->nslots && !s->slots) || !s->cells) {
        free(s->slots);
        free(s->cells);
        free(s);
        return NULL;
    }
    return s;
}

static struct metric_store *store_of(struct metric *m)
{
    struct metric_store *s = atomic_load_explicit(&m->store, memory_order_acquire);
    if (s)
        return s;
    struct metric_store *made = store_new(m), *expected = NULL;
    if (!made)
        return NULL;
    if (atomic_compare_exchange_strong_explicit(&m->store, &expected, made, memory_order_acq_rel,
                                                memory_order_acquire))
        return made;
    free(made->slots); /* another thread made it first */
    free(made->cells);
    free(made);
    return expected;
}

static uint32_t hash_key(const char *key, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return h;
}

/* The series of `values`: its index, made if `claim`; the overflow series
 * (nslots) when the values do not fit or max_series are taken; -1 when
 * absent and not claimed. */
static int series_index(struct metric_store *s, const char *const *values, bool claim)
{
    if (!s->nlabels)
        return 0;
    char key[METRIC_KEY_MAX];
    size_t len = 0;
    for (int i = 0; i < s->nlabels; i++) {
        const char *v = values && values[i] ? values[i] : "";
        size_t n = strlen(v) + 1;
        if (len + n > sizeof key)
            return s->nslots;
        memcpy(key + len, v, n);
        len += n;
    }
    uint32_t h = hash_key(key, len);
    for (int probe = 0; probe < s->nslots; probe++) {
        struct metric_slot *slot = &s->slots[(h + (uint32_t)probe) & (uint32_t)(s->nslots - 1)];
        int state = atomic_load_explicit(&slot->state, memory_order_acquire);
        if (state == SLOT_EMPTY) {
            if (!claim)
                return -1;
            if (atomic_load_explicit(&s->used, memory_order_relaxed) >= s->max_series)
                return s->nslots;
            if (atomic_compare_exchange_strong_explicit(&slot->state, &state, SLOT_FILLING,
                                                        memory_order_acquire,
                                                        memory_order_acquire)) {
                /* a race may take a few more than max_series: the table has
                 * room for twice as many */
                atomic_fetch_add_explicit(&s->used, 1, memory_order_relaxed);
                memcpy(slot->key, key, len);
                slot->len = len;
                slot->hash = h;
                atomic_store_explicit(&slot->state, SLOT_READY, memory_order_release);
                return (int)(slot - s->slots);
            }
        }
        while (state == SLOT_FILLING)
            state = atomic_load_explicit(&slot->state, memory_order_acquire);
        if (slot->hash == h && slot->len == len && !memcmp(slot->key, key, len))
            return (int)(slot - s->slots);
    }
    return claim ? s->nslots : -1;
}

static _Atomic int64_t *cells_of(struct metric *m, const char *const *values)
{
    struct metric_store *s = store_of(m);
    if (!s)
        return NULL; /* out of memory: the update is lost, nothing else */
    int i = series_index(s, values, true);
    return &s->cells[(size_t)i * (size_t)s->ncells];
}

void metric_add(struct metric *m, const char *const *values, int64_t n)
{
    _Atomic int64_t *c = cells_of(m, values);
    if (c)
        atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

void metric_set(struct metric *m, const char *const *values, int64_t v)
{
    _Atomic int64_t *c = cells_of(m, values);
    if (c)
        atomic_store_explicit(c, v, memory_order_relaxed);
}

void metric_observe(struct metric *m, const char *const *values, int64_t v)
{
    _Atomic int64_t *c = cells_of(m, values);
    if (!c)
        return;
    int b = 0;
    while (b < m->nbounds && v > m->bounds[b])
        b++;
    atomic_fetch_add_explicit(&c[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c[m->nbounds + 1], v, memory_order_relaxed);
}

int64_t metric_value(struct metric *m, const char *const *values)
{
    struct metric_store *s = atomic_load_explicit(&m->store, memory_order_acquire);
    int i = s ? series_index(s, values, false) : -1;
    if (i < 0)
        return 0;
    _Atomic int64_t *c = &s->cells[(size_t)i * (size_t)s->ncells];
    if (m->type != METRIC_HISTOGRAM)
        return atomic_load_explicit(c, memory_order_relaxed);
    int64_t count = 0;
    for (int b = 0; b <= m->nbounds; b++)
        count += atomic_load_explicit(&c[b], memory_order_relaxed);
    return count;
}

void metric_clear(struct metric *m)
{
    struct metric_store *s = atomic_exchange(&m->store, NULL);
    if (s) {
        free(s->slots);
        free(s->cells);
        free(s);
    }
}

/* ---- the exposition ------------------------------------------------------------ */

/* v / 10^scale in decimal, without trailing zeros. */
static void put_scaled(strbuf *sb, int64_t v, int scale)
{
    if (scale <= 0) {
        sb_printf(sb, "%lld", (long long)v);
        return;
    }
    if (scale > 18)
        scale = 18;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    char frac[20];
    for (int i = scale - 1; i >= 0; i--, u /= 10)
        frac[i] = (char)('0' + u % 10);
    int n = scale;
    while (n && frac[n - 1] == '0')
        n--;
    frac[n] = '\0';
    sb_printf(sb, "%s%llu%s%s", v < 0 ? "-" : "", (unsigned long long)u, n ? "." : "", frac);
}

/* HELP text: \ and line feed escaped; label values: " as well. */
static void put_escaped(strbuf *sb, const char *s, size_t len, bool quote)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\')
            sb_puts(sb, "\\\\");
        else if (s[i] == '\n')
            sb_puts(sb, "\\n");
        else if (s[i] == '"' && quote)
            sb_puts(sb, "\\\"");
        else
            sb_putc(sb, s[i]);
    }
}

/* {a="x",b="y"[,le="…"]}, or nothing when there is no label at all. The
 * key holds the values (NULL: the overflow series, "other" each). */
static void put_labels(strbuf *sb, const struct metric *m, const struct metric_slot *slot,
                       const char *le)
{
    int n = label_count(m);
    if (!n && !le)
        return;
    sb_putc(sb, '{');
    const char *v = slot ? slot->key : NULL;
    for (int i = 0; i < n; i++) {
        sb_printf(sb, "%s%s=\"", i ? "," : "", m->labels[i]);
        if (v) {
            put_escaped(sb, v, strlen(v), true);
            v += strlen(v) + 1;
        } else {
            sb_puts(sb, "other");
        }
        sb_putc(sb, '"');
    }
    if (le)
        sb_printf(sb, "%sle=\"%s\"", n ? "," : "", le);
    sb_putc(sb, '}');
}

static void put_series(strbuf *sb, const struct metric *m, const struct metric_slot *slot,
                       _Atomic int64_t *c)
{
    if (m->type != METRIC_HISTOGRAM) {
        sb_puts(sb, m->name);
        put_labels(sb, m, slot, NULL);
        sb_putc(sb, ' ');
        put_scaled(sb, atomic_load_explicit(c, memory_order_relaxed), m->scale);
        sb_putc(sb, '\n');
        return;
    }
    /* the count is the buckets' sum as read here, so +Inf and _count agree */
    int64_t cumulative = 0;
    for (int b = 0; b <= m->nbounds; b++) {
        cumulative += atomic_load_explicit(&c[b], memory_order_relaxed);
        strbuf le;
        sb_init(&le);
        if (b < m->nbounds)
            put_scaled(&le, m->bounds[b], m->scale);
        else
            sb_puts(&le, "+Inf");
        sb_printf(sb, "%s_bucket", m->name);
        put_labels(sb, m, slot, sb_str(&le));
        sb_printf(sb, " %lld\n", (long long)cumulative);
        sb_free(&le);
    }
    sb_printf(sb, "%s_sum", m->name);
    put_labels(sb, m, slot, NULL);
    sb_putc(sb, ' ');
    put_scaled(sb, atomic_load_explicit(&c[m->nbounds + 1], memory_order_relaxed), m->scale);
    sb_printf(sb, "\n%s_count", m->name);
    put_labels(sb, m, slot, NULL);
    sb_printf(sb, " %lld\n", (long long)cumulative);
}

static int slot_order(const void *a, const void *b)
{
    const struct metric_slot *x = *(const struct metric_slot *const *)a;
    const struct metric_slot *y = *(const struct metric_slot *const *)b;
    int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static bool any_nonzero(_Atomic int64_t *c, int n)
{
    for (int i = 0; i < n; i++)
        if (atomic_load_explicit(&c[i], memory_order_relaxed))
            return true;
    return false;
}

static void render_one(strbuf *sb, struct metric *m)
{
    static const char *const types[] = {"counter", "gauge", "histogram"};
    sb_printf(sb, "# HELP %s ", m->name);
    put_escaped(sb, m->help, strlen(m->help), false);
    sb_printf(sb, "\n# TYPE %s %s\n", m->name, types[m->type]);
    struct metric_store *s = store_of(m);
    if (!s) {
        sb->err = REG_ERR_NOMEM;
        return;
    }
    if (!s->nlabels) {
        put_series(sb, m, NULL, s->cells);
        return;
    }
    const struct metric_slot **ready = malloc((size_t)s->nslots * sizeof *ready);
    if (!ready) {
        sb->err = REG_ERR_NOMEM;
        return;
    }
    int n = 0;
    for (int i = 0; i < s->nslots; i++)
        if (atomic_load_explicit(&s->slots[i].state, memory_order_acquire) == SLOT_READY)
            ready[n++] = &s->slots[i];
    qsort(ready, (size_t)n, sizeof *ready, slot_order);
    for (int i = 0; i < n; i++)
        put_series(sb, m, ready[i], &s->cells[(size_t)(ready[i] - s->slots) * (size_t)s->ncells]);
    _Atomic int64_t *overflow = &s->cells[(size_t)s->nslots * (size_t)s->ncells];
    if (any_nonzero(overflow, s->ncells))
        put_series(sb, m, NULL, overflow);
    free(ready);
}

void metrics_render(strbuf *sb, struct metric *table, size_t n)
{
    for (size_t i = 0; i < n; i++)
        render_one(sb, &table[i]);
}
