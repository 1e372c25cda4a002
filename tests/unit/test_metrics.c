/* Metrics (src/contrib/metrics.c): the Prometheus text format 0.0.4 as
 * rendered, label and help escaping, histogram buckets, the bound on
 * series, updates from several threads at once, and registryd's own
 * table (metric_table.c) holding to the format's naming rules. */
#include "testutil.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/metric_table.h"
#include "contrib/metrics.h"

static char *render(struct metric *table, size_t n)
{
    strbuf sb;
    sb_init(&sb);
    metrics_render(&sb, table, n);
    assert_int_equal(sb.err, REG_OK);
    return sb_steal(&sb);
}

static void assert_renders(struct metric *m, const char *want)
{
    char *got = render(m, 1);
    assert_string_equal(got, want);
    free(got);
}

static void counter_and_gauge_without_labels(void **state)
{
    (void)state;
    struct metric m[] = {
        {.name = "t_events_total", .help = "Events", .type = METRIC_COUNTER},
        {.name = "t_level", .help = "Level", .type = METRIC_GAUGE},
    };
    /* shown before any update, as 0 */
    char *got = render(m, 2);
    assert_string_equal(got, "# HELP t_events_total Events\n# TYPE t_events_total counter\n"
                             "t_events_total 0\n"
                             "# HELP t_level Level\n# TYPE t_level gauge\nt_level 0\n");
    free(got);
    metric_add(&m[0], NULL, 3);
    metric_add(&m[0], NULL, 4);
    metric_set(&m[1], NULL, 5);
    metric_set(&m[1], NULL, -2);
    assert_int_equal(metric_value(&m[0], NULL), 7);
    assert_int_equal(metric_value(&m[1], NULL), -2);
    got = render(m, 2);
    assert_non_null(strstr(got, "\nt_events_total 7\n"));
    assert_non_null(strstr(got, "\nt_level -2\n"));
    free(got);
    metric_clear(&m[0]);
    metric_clear(&m[1]);
}

/* Series appear at their first update, sorted by their values; \ " and a
 * line feed in a value are escaped, and \ and a line feed in HELP. */
static void labels_sorted_and_escaped(void **state)
{
    (void)state;
    struct metric m = {.name = "t_requests_total", .help = "Requests \\ by\nroute",
                       .type = METRIC_COUNTER, .labels = {"route", "status"}};
    assert_renders(&m, "# HELP t_requests_total Requests \\\\ by\\nroute\n"
                       "# TYPE t_requests_total counter\n");
    metric_add(&m, (const char *[]){"/b", "200"}, 1);
    metric_add(&m, (const char *[]){"/a", "404"}, 2);
    metric_add(&m, (const char *[]){"/a", "200"}, 1);
    metric_add(&m, (const char *[]){"/b", "200"}, 1);
    metric_add(&m, (const char *[]){"say \"hi\"\\\n", "500"}, 1);
    assert_renders(&m, "# HELP t_requests_total Requests \\\\ by\\nroute\n"
                       "# TYPE t_requests_total counter\n"
                       "t_requests_total{route=\"/a\",status=\"200\"} 1\n"
                       "t_requests_total{route=\"/a\",status=\"404\"} 2\n"
                       "t_requests_total{route=\"/b\",status=\"200\"} 2\n"
                       "t_requests_total{route=\"say \\\"hi\\\"\\\\\\n\",status=\"500\"} 1\n");
    /* the values are the key: "a" + "bc" is not "ab" + "c" */
    metric_add(&m, (const char *[]){"ab", "c"}, 1);
    assert_int_equal(metric_value(&m, (const char *[]){"a", "bc"}), 0);
    assert_int_equal(metric_value(&m, (const char *[]){"ab", "c"}), 1);
    /* reading a value never makes a series */
    char *got = render(&m, 1);
    assert_null(strstr(got, "route=\"a\""));
    free(got);
    metric_clear(&m);
}

/* Buckets are cumulative, le in the rendered unit (microseconds recorded,
 * seconds shown), +Inf equals _count, _sum in the rendered unit. */
static void histogram_buckets(void **state)
{
    (void)state;
    static const int64_t bounds[] = {500, 1000, 2500000};
    struct metric m = {.name = "t_seconds", .help = "Latency", .type = METRIC_HISTOGRAM,
                       .labels = {"op"}, .bounds = bounds, .nbounds = 3, .scale = 6};
    metric_observe(&m, (const char *[]){"check"}, 200);     /* ≤ 0.0005 */
    metric_observe(&m, (const char *[]){"check"}, 500);     /* on the bound: ≤ 0.0005 */
    metric_observe(&m, (const char *[]){"check"}, 501);     /* ≤ 0.001 */
    metric_observe(&m, (const char *[]){"check"}, 2000000); /* ≤ 2.5 */
    metric_observe(&m, (const char *[]){"check"}, 9000000); /* only +Inf */
    assert_int_equal(metric_value(&m, (const char *[]){"check"}), 5);
    assert_renders(&m, "# HELP t_seconds Latency\n# TYPE t_seconds histogram\n"
                       "t_seconds_bucket{op=\"check\",le=\"0.0005\"} 2\n"
                       "t_seconds_bucket{op=\"check\",le=\"0.001\"} 3\n"
                       "t_seconds_bucket{op=\"check\",le=\"2.5\"} 4\n"
                       "t_seconds_bucket{op=\"check\",le=\"+Inf\"} 5\n"
                       "t_seconds_sum{op=\"check\"} 11.001201\n"
                       "t_seconds_count{op=\"check\"} 5\n");
    metric_clear(&m);
    /* without labels and unscaled: le only, and zeros before any update */
    static const int64_t sizes[] = {1, 8};
    struct metric b = {.name = "t_batch", .help = "Sizes", .type = METRIC_HISTOGRAM,
                       .bounds = sizes, .nbounds = 2};
    assert_renders(&b, "# HELP t_batch Sizes\n# TYPE t_batch histogram\n"
                       "t_batch_bucket{le=\"1\"} 0\nt_batch_bucket{le=\"8\"} 0\n"
                       "t_batch_bucket{le=\"+Inf\"} 0\nt_batch_sum 0\nt_batch_count 0\n");
    metric_observe(&b, NULL, 1);
    metric_observe(&b, NULL, 64);
    assert_renders(&b, "# HELP t_batch Sizes\n# TYPE t_batch histogram\n"
                       "t_batch_bucket{le=\"1\"} 1\nt_batch_bucket{le=\"8\"} 1\n"
                       "t_batch_bucket{le=\"+Inf\"} 2\nt_batch_sum 65\nt_batch_count 2\n");
    metric_clear(&b);
}

/* No more than max_series series: the rest are counted in one whose
 * values are all "other", as are values too long to keep. */
static void series_are_bounded(void **state)
{
    (void)state;
    struct metric m = {.name = "t_total", .help = "H", .type = METRIC_COUNTER,
                       .labels = {"k"}, .max_series = 3};
    for (int i = 0; i < 10; i++) {
        char v[16]; /* room for any int: gcc -O1 checks it */
        snprintf(v, sizeof v, "v%d", i);
        metric_add(&m, (const char *[]){v}, 1);
    }
    char longer[METRIC_KEY_MAX + 8];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    metric_add(&m, (const char *[]){longer}, 1);
    metric_add(&m, (const char *[]){"v0"}, 1); /* a series it has goes on */
    assert_renders(&m, "# HELP t_total H\n# TYPE t_total counter\n"
                       "t_total{k=\"v0\"} 2\nt_total{k=\"v1\"} 1\nt_total{k=\"v2\"} 1\n"
                       "t_total{k=\"other\"} 8\n");
    metric_clear(&m);
}

/* Threads adding to the same series, and making new ones, at once: no
 * update is lost and each series is made once. */
#define THREADS 4
#define ROUNDS 20000
static struct metric shared = {.name = "t_shared_total", .help = "H", .type = METRIC_COUNTER,
                               .labels = {"k"}};
static const int64_t shared_bounds[] = {10, 100};
static struct metric shared_hist = {.name = "t_shared", .help = "H", .type = METRIC_HISTOGRAM,
                                    .labels = {"k"}, .bounds = shared_bounds, .nbounds = 2};

static void *add_many(void *arg)
{
    (void)arg;
    static const char *const keys[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
    for (int i = 0; i < ROUNDS; i++) {
        const char *k[] = {keys[i % 8]};
        metric_add(&shared, k, 1);
        metric_observe(&shared_hist, k, i % 200);
    }
    return NULL;
}

static void concurrent_updates(void **state)
{
    (void)state;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, add_many, NULL), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    char *got = render(&shared, 1);
    int series = 0;
    for (const char *p = got; (p = strstr(p, "t_shared_total{")); p++)
        series++;
    assert_int_equal(series, 8);
    free(got);
    const char *keys = "abcdefgh";
    for (int i = 0; i < 8; i++) {
        char k[2] = {keys[i], 0};
        assert_int_equal(metric_value(&shared, (const char *[]){k}), THREADS * ROUNDS / 8);
        assert_int_equal(metric_value(&shared_hist, (const char *[]){k}), THREADS * ROUNDS / 8);
    }
    metric_clear(&shared);
    metric_clear(&shared_hist);
}

static bool name_ok(const char *s)
{
    if (!*s || isdigit((unsigned char)*s))
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != ':')
            return false;
    return true;
}

/* registryd's table: valid names, once each, counters ending in _total
 * (others not), help for each, histogram bounds ascending. */
static void registryd_table_follows_the_format(void **state)
{
    (void)state;
    for (int i = 0; i < M__COUNT; i++) {
        const struct metric *m = &reg_metrics[i];
        assert_non_null(m->name);
        assert_true(name_ok(m->name));
        assert_true(m->help && *m->help);
        size_t n = strlen(m->name);
        bool total = n > 6 && !strcmp(m->name + n - 6, "_total");
        assert_true(total == (m->type == METRIC_COUNTER));
        for (int j = 0; j < METRIC_LABELS_MAX && m->labels[j]; j++)
            assert_true(name_ok(m->labels[j]) && strcmp(m->labels[j], "le"));
        assert_true((m->type == METRIC_HISTOGRAM) == (m->nbounds > 0));
        for (int b = 1; b < m->nbounds; b++)
            assert_true(m->bounds[b] > m->bounds[b - 1]);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(reg_metrics[j].name, m->name);
    }
    char *got = render(reg_metrics, M__COUNT);
    assert_non_null(strstr(got, "# TYPE registryd_epp_commands_total counter\n"));
    assert_non_null(strstr(got, "# TYPE registryd_epp_command_duration_seconds histogram\n"));
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counter_and_gauge_without_labels),
        cmocka_unit_test(labels_sorted_and_escaped),
        cmocka_unit_test(histogram_buckets),
        cmocka_unit_test(series_are_bounded),
        cmocka_unit_test(concurrent_updates),
        cmocka_unit_test(registryd_table_follows_the_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
