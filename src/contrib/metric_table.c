/* registryd's metrics (metric_table.h), in the order /metrics shows them. */
#include "metric_table.h"

#define US 1000LL /* bounds below are in microseconds: a thousand per ms */
#define SECONDS(n) ((n) * 1000000LL)

/* EPP commands: from a cached check to a slow batch on a busy disk. */
static const int64_t command_bounds[] = {
    100,        250,        500,       1 * US,      2500,        5 * US,
    10 * US,    25 * US,    50 * US,   100 * US,    250 * US,    500 * US,
    SECONDS(1), 2500 * US,  SECONDS(5), SECONDS(10),
};
static const int64_t batch_bounds[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096};
/* Jobs: an idle tick takes milliseconds, a day of 100,000 expiries a minute. */
static const int64_t job_bounds[] = {
    10 * US, 100 * US, SECONDS(1), SECONDS(10), SECONDS(30), SECONDS(60), SECONDS(300),
    SECONDS(1800),
};
#define BOUNDS(b) .bounds = b, .nbounds = (int)(sizeof b / sizeof b[0])

struct metric reg_metrics[M__COUNT] = {
    [M_EPP_COMMANDS] = {
        .name = "registryd_epp_commands_total", .type = METRIC_COUNTER,
        .help = "EPP commands answered, by command and result code",
        .labels = {"command", "code"}, .max_series = 512},
    [M_EPP_COMMAND_SECONDS] = {
        .name = "registryd_epp_command_duration_seconds", .type = METRIC_HISTOGRAM,
        .help = "Time from a whole EPP frame read to its answer ready (commit included)",
        .labels = {"command"}, BOUNDS(command_bounds), .scale = 6},
    [M_EPP_SESSIONS] = {
        .name = "registryd_epp_sessions", .type = METRIC_GAUGE,
        .help = "EPP connections open now, by whether they have logged in",
        .labels = {"state"}},
    [M_EPP_BATCH_COMMANDS] = {
        .name = "registryd_epp_batch_commands", .type = METRIC_HISTOGRAM,
        .help = "EPP commands per transaction of a worker or the event loop (for writes, per group "
                "commit)",
        BOUNDS(batch_bounds)},
    [M_EPP_DB_ROUND_TRIPS] = {
        .name = "registryd_epp_db_round_trips_total", .type = METRIC_COUNTER,
        .help = "Round trips to the database of EPP commands (check step, execution under its "
                "savepoint, audit row; not the group commit's BEGIN and COMMIT), by command",
        .labels = {"command"}, .max_series = 512},
    [M_EPP_LOOP_COMMANDS] = {
        .name = "registryd_epp_loop_commands_total", .type = METRIC_COUNTER,
        .help = "EPP commands that only read, run by the event loop itself while no worker "
                "had a command (SQLite)"},
    [M_HTTP_REQUESTS] = {
        .name = "registryd_http_requests_total", .type = METRIC_COUNTER,
        .help = "HTTP requests answered, by route and status",
        .labels = {"route", "status"}},
    [M_WHOIS_QUERIES] = {
        .name = "registryd_whois_queries_total", .type = METRIC_COUNTER,
        .help = "WHOIS queries answered, by kind (domain, host, registrar, contact, help, any: a "
                "bare name; invalid: not a query) and result (answered, malformed, unavailable: "
                "the database could not be read)",
        .labels = {"kind", "result"}},
    [M_WHOIS_REFUSED] = {
        .name = "registryd_whois_refused_total", .type = METRIC_COUNTER,
        .help = "WHOIS connections refused by [whois] max_connections, "
                "max_connections_per_source or the per-source query rate"},
    [M_JOB_RUNS] = {
        .name = "registryd_job_runs_total", .type = METRIC_COUNTER,
        .help = "Scheduled job runs by this process, by outcome (ran, failed, busy: another "
                "instance held its lease)",
        .labels = {"job", "outcome"}},
    [M_JOB_SECONDS] = {
        .name = "registryd_job_duration_seconds", .type = METRIC_HISTOGRAM,
        .help = "Duration of scheduled job runs", .labels = {"job"}, BOUNDS(job_bounds),
        .scale = 6},
    [M_JOB_ITEMS] = {
        .name = "registryd_job_items_total", .type = METRIC_COUNTER,
        .help = "Things the job runs did (done), left as they were (declined: no funds) or "
                "refused (failed, each logged)",
        .labels = {"job", "result"}},
    [M_JOB_TRANSACTIONS] = {
        .name = "registryd_job_transactions_total", .type = METRIC_COUNTER,
        .help = "Transactions the job runs committed", .labels = {"job"}},
    [M_JOB_OVERDUE] = {
        .name = "registryd_job_overdue", .type = METRIC_GAUGE,
        .help = "1 when a scheduled job has not succeeded for 3 intervals and [health] "
                "job_grace (where the scheduler runs)",
        .labels = {"job"}},
    [M_JOB_LAST_SUCCESS] = {
        .name = "registryd_job_last_success_timestamp_seconds", .type = METRIC_GAUGE,
        .help = "Start of the last successful run of a job, by any instance (Unix time; "
                "where the scheduler runs)",
        .labels = {"job"}},
    [M_JOB_BACKLOG] = {
        .name = "registryd_job_backlog", .type = METRIC_GAUGE,
        .help = "Domains due for a lifecycle job now: its next run does them (those left for "
                "lack of funds stay due until the next stage; where the scheduler runs)",
        .labels = {"job"}},
    [M_OUTBOX_BACKLOG] = {
        .name = "registryd_outbox_backlog", .type = METRIC_GAUGE,
        .help = "Messages queued and not yet delivered or given up", .labels = {"channel"}},
    [M_OUTBOX_OLDEST] = {
        .name = "registryd_outbox_oldest_age_seconds", .type = METRIC_GAUGE,
        .help = "Age of the oldest message still queued (0 when none)", .labels = {"channel"}},
    [M_OUTBOX_SENT] = {
        .name = "registryd_outbox_sent_total", .type = METRIC_COUNTER,
        .help = "Messages delivered to the relay, gateway or spool by this process",
        .labels = {"channel"}},
    [M_OUTBOX_FAILURES] = {
        .name = "registryd_outbox_delivery_failures_total", .type = METRIC_COUNTER,
        .help = "Failed delivery attempts: kept for a retry, or given up",
        .labels = {"channel", "outcome"}},
    [M_ZONE_HELD] = {
        .name = "registryd_zone_held", .type = METRIC_GAUGE,
        .help = "1 while the safety guard holds the zone file back (regctl zone status, "
                "regctl zone export --force)"},
    [M_ZONE_GUARD_REFUSALS] = {
        .name = "registryd_zone_guard_refusals_total", .type = METRIC_COUNTER,
        .help = "Zone publications the safety guard refused, by any instance, ever"},
    [M_ZONE_PUBLISHED] = {
        .name = "registryd_zone_last_published_timestamp_seconds", .type = METRIC_GAUGE,
        .help = "When the zone file was last published (Unix time of the registry's clock; "
                "0: never)"},
    [M_ZONE_DELEGATIONS] = {
        .name = "registryd_zone_published_delegations", .type = METRIC_GAUGE,
        .help = "Delegations in the zone file published last"},
    [M_ZONE_FAILING] = {
        .name = "registryd_zone_publication_failing", .type = METRIC_GAUGE,
        .help = "1 when the last zone publication failed (regctl zone status says why)"},
    [M_DB_ERRORS] = {
        .name = "registryd_db_errors_total", .type = METRIC_COUNTER,
        .help = "Failed database calls, by kind (connection, busy, constraint, "
                "commit_unknown, other)",
        .labels = {"kind"}},
    [M_DB_RECONNECTS] = {
        .name = "registryd_db_reconnects_total", .type = METRIC_COUNTER,
        .help = "Lost PostgreSQL connections replaced by a new one"},
    [M_BUILD_INFO] = {
        .name = "registryd_build_info", .type = METRIC_GAUGE,
        .help = "1, with the version of registryd as a label", .labels = {"version"}},
    [M_START_TIME] = {
        .name = "process_start_time_seconds", .type = METRIC_GAUGE,
        .help = "Start time of the process (Unix time)"},
};
