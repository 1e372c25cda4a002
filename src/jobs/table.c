/* The job table: what registryd runs, how often, in this order. A row
 * whose run is job_registry_ops names the registry operations it runs (in
 * one transaction) and what they count; any other run is a job with logic
 * of its own, in its own file. */
#include "jobs.h"
#include "registry/authinfo_request.h"
#include "registry/contact.h"
#include "registry/contact_check.h"
#include "registry/domain.h"
#include "registry/domain_purge.h"
#include "registry/lifecycle.h"
#include "registry/otp.h"
#include "registry/pending.h"

static int64_t outbox_interval(const struct reg_config *cfg)
{
    return cfg->outbox_interval;
}

static int64_t zone_interval(const struct reg_config *cfg)
{
    return cfg->zone_interval;
}

/* The lifecycle rows name a batch step: each run does everything due, in
 * transactions of [jobs] batch domains. */
const struct job job_table[] = {
    {.name = "domain-expiry", .interval = 3600, .run = job_registry_ops,
     .batch = lifecycle_autorenew_batch, .due = lifecycle_autorenew_due,
     .counts = "domains renewed automatically",
     .doc = "renew expired registrar-managed domains for a year (on_expiry = autorenew)"},
    /* after domain-expiry: a domain renewed at expiry is not expired */
    {.name = "expiry-notice", .interval = 3600, .run = job_registry_ops,
     .batch = lifecycle_expiry_notice_batch, .due = lifecycle_expiry_notice_due,
     .counts = "expired domains notified",
     .doc = "mail the contacts of domains expired a day ago, once per expiry"},
    {.name = "domain-hold", .interval = 3600, .run = job_registry_ops,
     .batch = lifecycle_hold_batch, .due = lifecycle_hold_due,
     .counts = "expired domains put on hold",
     .doc = "serverHold on domains expired hold_after ago"},
    {.name = "domain-delete", .interval = 3600, .run = job_registry_ops,
     .batch = lifecycle_delete_batch, .due = lifecycle_delete_due,
     .counts = "expired domains deleted into redemption",
     .doc = "delete domains expired delete_after ago into their redemption period"},
    {.name = "domain-purge", .interval = 3600, .run = job_registry_ops,
     .batch = domain_purge_batch, .counts = "domains purged",
     .doc = "purge domains whose pendingDelete has ended"},
    {.name = "idcheck-deadline", .interval = 3600, .run = job_idcheck_deadline,
     .doc = "fail identity checks past their deadline; suspend failed registrants' domains, "
            "delete them delete_after later unless verified meanwhile"},
    {.name = "transfer-approve", .interval = 3600, .run = job_registry_ops,
     .steps = {domain_transfer_auto_approve, contact_transfer_auto_approve},
     .counts = "pending transfers approved",
     .doc = "approve pending transfers whose pending_period has passed"},
    {.name = "pending-expire", .interval = 600, .run = job_registry_ops,
     .steps = {pending_expire_due}, .counts = "unanswered confirmations dropped",
     .doc = "drop changes of registrant and deletes the registrant did not confirm in time"},
    {.name = "otp-expire", .interval = 3600, .run = job_registry_ops, .steps = {otp_expire_due},
     .counts = "expired one-time passwords removed",
     .doc = "remove one-time passwords past [otp] ttl"},
    {.name = "authinfo-overdue", .interval = 3600, .run = job_registry_ops,
     .steps = {authinfo_requests_overdue}, .counts = "overdue auth-code requests reported",
     .doc = "remind the sponsor once of each auth-code request past its deadline"},
    {.name = "contact-check-reminder", .interval = 3600, .run = job_registry_ops,
     .steps = {contact_check_remind}, .counts = "registrants asked to check their contact data",
     .doc = "ask registrants of registrar-managed domains to check their contact data, once "
            "per [management] contact_check_interval"},
    /* besides its interval, registryd runs it right after each commit that
     * queued a message (daemon/scheduler_thread.c) */
    {.name = "outbox-deliver", .interval = 60, .run = job_outbox_deliver,
     .interval_setting = outbox_interval,
     .doc = "deliver queued mail to the [mail] smtp relay (or the spool), retrying with "
            "backoff; every [outbox] interval, and at once when a message is queued"},
    /* after the lifecycle jobs: a run sees their holds and deletions */
    {.name = "zone-export", .interval = 300, .run = job_zone_export,
     .interval_setting = zone_interval,
     .doc = "write the zone file ([zone] file) every [zone] interval, held by the safety guard "
            "when it would remove more than [zone] max_shrink of the delegations"},
    {.name = "db-maintenance", .interval = 3600, .run = job_db_maintenance,
     .doc = "refresh query-planner statistics and checkpoint the SQLite WAL"},
};
const size_t job_count = sizeof job_table / sizeof job_table[0];
