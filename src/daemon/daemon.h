/* registryd process: services started by main.c from a table, each with
 * its own listeners or threads on one libevent base. */
#ifndef REG_DAEMON_H
#define REG_DAEMON_H

#include <stdbool.h>
#include "config/config.h"

struct event_base;

struct daemon {
    struct reg_config cfg;
    struct event_base *base;
    unsigned services; /* bit set of SERVICE_* chosen by --only */
};

enum {
    SERVICE_EPP = 1u << 0,
    SERVICE_WHOIS = 1u << 1,
    SERVICE_HTTP = 1u << 2,
    SERVICE_JOBS = 1u << 3,
};

/* Scheduler (scheduler_thread.c): a thread that runs due jobs every
 * [jobs] tick with its own database connection. */
struct scheduler;
reg_err scheduler_start(const struct reg_config *cfg, struct scheduler **out);
void scheduler_stop(struct scheduler *s);

#endif
