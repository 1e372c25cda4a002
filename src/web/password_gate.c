/* Password checks per source (web.h: web_password_gate_*). */
#include <stdlib.h>

#include "contrib/clock.h"
#include "contrib/netaddr.h"
#include "contrib/ratelimit.h"
#include "web.h"

/* Sources remembered for their buckets; past it the fullest are forgotten. */
#define GATE_SOURCES 16384

struct web_password_gate {
    struct rate_limit rate;
    struct source_table *sources;
};

/* A password check (argon2id) costs the HTTP thread tens of milliseconds:
 * a source gets [http] password_burst at once, then password_rate a
 * minute. Checks that a cache answers (RDAP's credentials verified
 * lately) do not count. */
struct web_password_gate *web_password_gate_new(const struct reg_config *cfg)
{
    struct web_password_gate *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->rate = (struct rate_limit){.per_minute = cfg->http_password_rate,
                                  .burst = cfg->http_password_burst};
    g->sources = source_table_new(GATE_SOURCES, &g->rate);
    if (!g->sources) {
        free(g);
        return NULL;
    }
    return g;
}

void web_password_gate_free(struct web_password_gate *g)
{
    if (!g)
        return;
    source_table_free(g->sources);
    free(g);
}

bool web_password_gate_take(struct web_request *w, const char *ip, int64_t *wait_s)
{
    struct netaddr_source src;
    *wait_s = 0;
    if (!w->password_gate || w->password_gate->rate.per_minute <= 0 ||
        !netaddr_source_parse(ip, &src))
        return true;
    return source_table_take(w->password_gate->sources, &w->password_gate->rate, &src,
                             clock_mono_us(), wait_s);
}
