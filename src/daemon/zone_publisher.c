/* The publisher to the DNS primary (zone_publisher.h).
 *
 * The queue is filled by triggers in the transactions of every writer,
 * in this process or another (regctl, a second instance), so no commit
 * hook can announce it: the thread looks at it every POLL_MS while it is
 * idle (one indexed read of an empty table), and drains it at once while
 * rows come. Failures of the primary back off from BACKOFF_MIN_MS to
 * BACKOFF_MAX_MS, so a primary that comes back is found within two
 * seconds, levelled and caught up (docs/zone.md: within 10 s). */
#include "zone_publisher.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "contrib/thread_name.h"
#include "registry/zone_queue.h"
#include "store/db.h"
#include "zone/dns_primary.h"
#include "zone/updater.h"
#include "zone/zone.h"

#define LEASE "zone-publish"
#define POLL_MS 100
#define LEASE_RETRY_MS 1000
#define HELD_RETRY_MS 1000
#define DRIFT_CHECK_S 5
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000
#define TIMEOUT_MS 5000
#define BATCH_ROWS 1000

struct zone_publisher {
    const struct reg_config *cfg;
    struct zone_settings zs;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    db *db;
    struct dns_primary *primary;
    struct zone_updater *updater;
    db_lease *lease;
    bool need_level;
    int backoff_ms;
    time_t last_drift_check;
    char last_error[sizeof(((reg_status *)0)->reason)]; /* "" while all is well */
};

/* Sleeps ms (less when stopped); false once stopping. */
static bool pause_ms(struct zone_publisher *z, int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&z->lock);
    while (!z->stopping && pthread_cond_timedwait(&z->wake, &z->lock, &until) == 0)
        ;
    bool go_on = !z->stopping;
    pthread_mutex_unlock(&z->lock);
    return go_on;
}

/* What happened, for regctl zone status; a failure to record it is only
 * logged (the database may be what failed). */
static void note(struct zone_publisher *z, const struct zone_attempt *a)
{
    reg_status st;
    if (zone_queue_note(z->db, a, (int64_t)time(NULL), &st))
        reg_log(LOG_WARN, "zone", NULL, "publisher-state", "error=\"%s\"", st.reason);
}

static void give_up_lease(struct zone_publisher *z)
{
    if (z->lease) {
        db_lease_release(z->lease);
        z->lease = NULL;
    }
    z->need_level = true;
}

/* A failed attempt: logged when the reason changes, recorded, and the
 * next attempt after the backoff; a level first (the primary may have
 * missed anything). A database failure also gives the lease up, so the
 * connection may be replaced (db.h). */
static void failed(struct zone_publisher *z, reg_err e, const reg_status *st)
{
    char q[600];
    if (strcmp(z->last_error, st->reason)) {
        reg_log(LOG_WARN, "zone", NULL, "primary-failed", "primary=%s error=%s",
                z->cfg->zone_primary, log_quote(st->reason, q, sizeof q));
        snprintf(z->last_error, sizeof z->last_error, "%s", st->reason);
    }
    if (reg_err_is_system(e)) {
        give_up_lease(z);
    } else {
        struct zone_attempt a = {.error = st->reason, .delegations = -1};
        note(z, &a);
        z->need_level = true;
    }
    z->backoff_ms = z->backoff_ms ? z->backoff_ms * 2 : BACKOFF_MIN_MS;
    if (z->backoff_ms > BACKOFF_MAX_MS)
        z->backoff_ms = BACKOFF_MAX_MS;
}

static void succeeded(struct zone_publisher *z, bool level, const struct zone_update_result *r)
{
    if (*z->last_error) {
        reg_log(LOG_INFO, "zone", NULL, "primary-back", "primary=%s", z->cfg->zone_primary);
        z->last_error[0] = '\0';
    }
    z->backoff_ms = 0;
    if (level || r->names) {
        reg_log(level ? LOG_INFO : LOG_DEBUG, "zone", NULL, level ? "levelled" : "updated",
                "names=%zu records=%zu messages=%zu rows=%zu delegations=%lld serial=%lu",
                r->names, r->records, r->messages, r->rows, (long long)r->delegations,
                (unsigned long)r->serial);
    }
    struct zone_attempt a = {.level = level, .has_serial = r->has_serial, .serial = r->serial,
                             .delegations = r->delegations, .names = (int64_t)r->names};
    note(z, &a);
}

/* Holds the lease, with the queue open: false (after a pause) when not. */
static bool lease(struct zone_publisher *z)
{
    if (z->lease)
        return true;
    reg_status st;
    if (db_lease_try(z->db, LEASE, &z->lease)) {
        z->lease = NULL; /* another instance publishes, or no database */
        pause_ms(z, LEASE_RETRY_MS);
        return false;
    }
    if (zone_queue_open(z->db, z->cfg->zone_primary, clock_now(), &st)) {
        failed(z, st.code ? st.code : REG_ERR_DB, &st);
        pause_ms(z, z->backoff_ms);
        return false;
    }
    reg_log(LOG_INFO, "zone", NULL, "publisher", "primary=%s lease=%s", z->cfg->zone_primary,
            LEASE);
    z->need_level = true;
    return true;
}

/* One step: a level when due, else one batch of the queue. The pause
 * after it, in ms. */
static int step(struct zone_publisher *z)
{
    struct zone_update_result r;
    reg_status st = {0};
    reg_err e;
    if (z->need_level) {
        e = zone_updater_level(z->updater, clock_now(), &r, &st);
        if (!e && !r.held) {
            z->need_level = false;
            succeeded(z, true, &r);
            z->last_drift_check = time(NULL);
        }
    } else {
        e = zone_updater_drain(z->updater, clock_now(), BATCH_ROWS, &r, &st);
        if (!e && !r.held && r.rows) {
            succeeded(z, false, &r);
            return 0; /* more may wait */
        }
        if (!e && !r.held && time(NULL) - z->last_drift_check >= DRIFT_CHECK_S) {
            bool drifted = false;
            z->last_drift_check = time(NULL);
            e = zone_updater_drifted(z->updater, &drifted, &st);
            if (!e && drifted) {
                reg_log(LOG_WARN, "zone", NULL, "primary-drifted",
                        "primary=%s action=level", z->cfg->zone_primary);
                z->need_level = true;
                return 0;
            }
        }
    }
    if (e) {
        failed(z, e, &st);
        return z->backoff_ms;
    }
    return r.held ? HELD_RETRY_MS : POLL_MS;
}

static void *publisher_main(void *arg)
{
    struct zone_publisher *z = arg;
    for (int wait = 0; pause_ms(z, wait);)
        wait = lease(z) ? step(z) : 0;
    if (z->lease)
        db_lease_release(z->lease);
    return NULL;
}

/* No primary: if no other instance publishes (it would hold the lease),
 * the queue is closed, so changes stop being queued. */
static void close_queue(const struct reg_config *cfg)
{
    char err[512];
    db *d = NULL;
    db_lease *l = NULL;
    reg_status st = {0};
    if (db_open(cfg->database_url, &d, err, sizeof err))
        return;
    if (!db_lease_try(d, LEASE, &l)) {
        if (zone_queue_close(d, &st))
            reg_log(LOG_WARN, "zone", NULL, "queue-close", "error=\"%s\"", st.reason);
        db_lease_release(l);
    }
    db_close(d);
}

reg_err zone_publisher_start(const struct reg_config *cfg, struct zone_publisher **out, char *err,
                             size_t errlen)
{
    *out = NULL;
    if (!*cfg->zone_primary) {
        close_queue(cfg);
        return REG_OK;
    }
    struct zone_publisher *z = calloc(1, sizeof *z);
    if (!z)
        return REG_ERR_NOMEM;
    z->cfg = cfg;
    reg_status st = {0};
    struct dns_key key = {.name = cfg->zone_tsig_name, .algorithm = cfg->zone_tsig_algorithm,
                          .secret = cfg->zone_tsig_secret};
    reg_err e = zone_settings_from_config(cfg, &z->zs, &st);
    if (!e)
        e = dns_primary_new(cfg->zone_primary, z->zs.origin, &key, TIMEOUT_MS, &z->primary, &st);
    if (!e && db_open(cfg->database_url, &z->db, err, errlen))
        e = REG_ERR_DB;
    else if (e)
        snprintf(err, errlen, "%s", st.reason);
    if (!e && (e = zone_updater_new(z->db, z->primary, &z->zs, &z->updater, &st)))
        snprintf(err, errlen, "%s", st.reason);
    pthread_mutex_init(&z->lock, NULL);
    pthread_cond_init(&z->wake, NULL);
    if (!e && pthread_create(&z->thread, NULL, publisher_main, z)) {
        snprintf(err, errlen, "cannot start the zone publisher's thread");
        e = REG_ERR_INTERNAL;
    } else if (!e) {
        thread_name(z->thread, "zone-publisher", -1);
    }
    if (e) {
        zone_updater_free(z->updater);
        dns_primary_free(z->primary);
        if (z->db)
            db_close(z->db);
        pthread_mutex_destroy(&z->lock);
        pthread_cond_destroy(&z->wake);
        free(z);
        return e;
    }
    *out = z;
    return REG_OK;
}

void zone_publisher_stop(struct zone_publisher *z)
{
    if (!z)
        return;
    pthread_mutex_lock(&z->lock);
    z->stopping = true;
    pthread_cond_signal(&z->wake);
    pthread_mutex_unlock(&z->lock);
    pthread_join(z->thread, NULL);
    pthread_mutex_destroy(&z->lock);
    pthread_cond_destroy(&z->wake);
    zone_updater_free(z->updater);
    dns_primary_free(z->primary);
    db_close(z->db);
    free(z);
}
