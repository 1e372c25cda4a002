/* Metrics in the Prometheus text exposition format 0.0.4 (counters,
 * gauges, histograms), kept in C11 atomics: any thread updates them
 * without a lock, and one function renders a table of them.
 *
 * Debian ships no maintained Prometheus client for C, hence this small
 * module (docs/architecture.md "Metrics"). Each metric has a fixed list
 * of label names; every distinct list of label values is one series,
 * made at its first update, up to max_series of them (more go to one
 * series whose values are all "other"). Label values must come from a
 * bounded set (command names, result codes, job names), never from a
 * client's input.
 *
 *   metric_add(&table[M_EPP_COMMANDS], (const char *[]){"domain:check", "1000"}, 1);
 *   metric_observe(&table[M_EPP_SECONDS], (const char *[]){"domain:check"}, us);
 *   metrics_render(&sb, table, n);
 */
#ifndef REG_METRICS_H
#define REG_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "strbuf.h"

#define METRIC_LABELS_MAX 3
/* the label values of one series together, with a byte between each */
#define METRIC_KEY_MAX 96
#define METRIC_SERIES_DEFAULT 64

enum metric_type { METRIC_COUNTER, METRIC_GAUGE, METRIC_HISTOGRAM };

struct metric_store; /* made at the first update */

struct metric {
    const char *name; /* counters end in _total */
    const char *help;
    enum metric_type type;
    const char *labels[METRIC_LABELS_MAX]; /* names; unused ones NULL */
    /* histograms: upper bounds (le), ascending, in recorded units; +Inf
     * is implied */
    const int64_t *bounds;
    int nbounds;
    /* recorded values are 10^-scale of the rendered unit (6: microseconds
     * recorded, seconds rendered); 0 for plain numbers */
    int scale;
    int max_series; /* 0: METRIC_SERIES_DEFAULT */
    _Atomic(struct metric_store *) store;
};

/* values: one per label name, in order (NULL for a metric without labels).
 * Counters and gauges: adds n (a counter only goes up: n >= 0). */
void metric_add(struct metric *m, const char *const *values, int64_t n);
/* Gauges. */
void metric_set(struct metric *m, const char *const *values, int64_t v);
/* Histograms: one observation of v. */
void metric_observe(struct metric *m, const char *const *values, int64_t v);
/* The value of one series (a histogram's count), 0 if it was never
 * updated: for tests and for gauges read back. */
int64_t metric_value(struct metric *m, const char *const *values);

/* The exposition of table[0..n-1]: # HELP, # TYPE, then each series
 * (sorted by its label values). A metric without labels always shows a
 * value; one with labels shows the series updated so far. */
void metrics_render(strbuf *sb, struct metric *table, size_t n);

/* Forgets every series of m (not thread-safe: for tests between cases). */
void metric_clear(struct metric *m);

/* The Content-Type of the exposition. */
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

#endif
