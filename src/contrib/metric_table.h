/* registryd's metrics, one table (metric_table.c): what /metrics shows
 * (docs/operations.md "Monitoring" explains each). A metric is updated
 * where its event happens, by its id:
 *
 *   metric_add(METRIC(M_DB_RECONNECTS), NULL, 1);
 *
 * Here in contrib, like the error enum, so every layer can count (the
 * store its errors, the daemon its sessions). A new metric is a row here
 * and an update where it happens; nothing else changes. */
#ifndef REG_METRIC_TABLE_H
#define REG_METRIC_TABLE_H

#include "metrics.h"

enum reg_metric_id {
    M_EPP_COMMANDS,        /* {command, code} */
    M_EPP_COMMAND_SECONDS, /* {command}: microseconds observed */
    M_EPP_SESSIONS,        /* {state}: gauge */
    M_EPP_BATCH_COMMANDS,  /* commands per group commit */
    M_EPP_DB_ROUND_TRIPS,  /* {command}: database round trips */
    M_EPP_LOOP_COMMANDS,   /* commands run on the event loop itself */
    M_HTTP_REQUESTS,       /* {route, status} */
    M_WHOIS_QUERIES,       /* {kind, result} */
    M_WHOIS_REFUSED,       /* connections refused by the limits */
    M_JOB_RUNS,            /* {job, outcome} */
    M_JOB_SECONDS,         /* {job}: microseconds observed */
    M_JOB_ITEMS,           /* {job, result} */
    M_JOB_TRANSACTIONS,    /* {job} */
    M_JOB_OVERDUE,         /* {job}: gauge, set at scrape time */
    M_JOB_LAST_SUCCESS,    /* {job}: gauge, set at scrape time */
    M_JOB_BACKLOG,         /* {job}: gauge, set at scrape time */
    M_OUTBOX_BACKLOG,      /* {channel}: gauge, set at scrape time */
    M_OUTBOX_OLDEST,       /* {channel}: gauge, set at scrape time */
    M_OUTBOX_SENT,         /* {channel} */
    M_OUTBOX_FAILURES,     /* {channel, outcome} */
    M_ZONE_HELD,           /* gauge, set at scrape time */
    M_ZONE_GUARD_REFUSALS, /* set at scrape time: the database counts */
    M_ZONE_PUBLISHED,      /* gauge, set at scrape time */
    M_ZONE_DELEGATIONS,    /* gauge, set at scrape time */
    M_ZONE_FAILING,        /* gauge, set at scrape time */
    M_DB_ERRORS,           /* {kind} */
    M_DB_RECONNECTS,
    M_BUILD_INFO,          /* {version}: gauge 1 */
    M_START_TIME,          /* gauge */
    M__COUNT
};

extern struct metric reg_metrics[M__COUNT];
#define METRIC(id) (&reg_metrics[id])

#endif
