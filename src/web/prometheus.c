/* GET /metrics (prometheus.h). The counters and histograms are updated
 * where things happen; the gauges that describe the database (the
 * outbox's backlog, the jobs' last successes and backlogs, the zone's
 * publication)
 * are read here, at scrape time, on the HTTP thread's connection. */
#include "prometheus.h"

#include "contrib/log.h"
#include "contrib/metric_table.h"
#include "contrib/netaddr.h"
#include "notify/outbox.h"
#include "registry/zone_state.h"

static void set_backlog(const char *channel, int64_t queued, int64_t age, void *arg)
{
    (void)arg;
    metric_set(METRIC(M_OUTBOX_BACKLOG), &channel, queued);
    metric_set(METRIC(M_OUTBOX_OLDEST), &channel, age);
}

static void set_job(const char *job, int64_t interval, bool overdue, reg_time last_ok, void *arg)
{
    (void)interval;
    (void)arg;
    metric_set(METRIC(M_JOB_OVERDUE), &job, overdue);
    metric_set(METRIC(M_JOB_LAST_SUCCESS), &job, last_ok);
}

static void set_due(const char *job, int64_t n, void *arg)
{
    (void)arg;
    metric_set(METRIC(M_JOB_BACKLOG), &job, n);
}

/* The zone's state is one row, written by whichever instance publishes. */
static reg_err set_zone(db *d, reg_status *st)
{
    struct zone_state z;
    reg_err e = zone_state_get(d, &z, st);
    if (e)
        return e;
    metric_set(METRIC(M_ZONE_HELD), NULL, z.held_at != 0);
    metric_set(METRIC(M_ZONE_GUARD_REFUSALS), NULL, z.guard_refusals);
    metric_set(METRIC(M_ZONE_PUBLISHED), NULL, z.published_at);
    metric_set(METRIC(M_ZONE_DELEGATIONS), NULL, z.published_delegations);
    metric_set(METRIC(M_ZONE_FAILING), NULL, z.error_at != 0);
    return REG_OK;
}

void metrics_show(struct web_request *w)
{
    if (*w->rest) {
        web_not_found(w);
        return;
    }
    strbuf sb;
    sb_init(&sb);
    /* the TCP peer: a proxy in front would let everyone through it in */
    if (!netaddr_prefix_list_contains(w->cfg->http_metrics_allow, w->peer)) {
        sb_puts(&sb, "forbidden: /metrics is served to the addresses of [http] metrics_allow\n");
        web_send_text(w, 403, &sb);
        sb_free(&sb);
        return;
    }
    /* a gauge the database cannot give now keeps its last value; the
     * failure shows in registryd_db_errors_total */
    reg_status st = {0};
    reg_time now = clock_now();
    char quoted[600];
    if (outbox_backlog(w->db, now, set_backlog, NULL, &st) || set_zone(w->db, &st) ||
        (w->jobs && (w->jobs->each(w->db, w->cfg, now, w->jobs->since, set_job, NULL, &st) ||
                     w->jobs->backlog(w->db, w->cfg, now, set_due, NULL, &st))))
        reg_log(LOG_WARN, "http", w->id, "metrics-gauges", "error=%s",
                log_quote(reg_status_text(&st), quoted, sizeof quoted));
    metrics_render(&sb, reg_metrics, M__COUNT);
    web_send_as(w, 200, METRICS_CONTENT_TYPE, &sb);
    sb_free(&sb);
}
