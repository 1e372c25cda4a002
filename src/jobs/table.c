/* The job table: what registryd runs, how often, in this order. A row
 * whose run is job_registry_ops names the registry operations it runs (in
 * one transaction) and what they count; any other run is a job with logic
 * of its own, in its own file. */
#include "jobs.h"
#include "registry/authinfo_request.h"
#include "registry/contact.h"
#include "registry/contact_check.h"
#include "registry/domain.h"
#include "registry/lifecycle.h"
#include "registry/otp.h"
#include "registry/pending.h"

const struct job job_table[] = {
    {"domain-expiry", 3600, job_registry_ops, {lifecycle_autorenew},
     "domains renewed automatically",
     "renew expired registrar-managed domains for a year (on_expiry = autorenew)"},
    /* after domain-expiry: a domain renewed at expiry is not expired */
    {"expiry-notice", 3600, job_registry_ops, {lifecycle_expiry_notice},
     "expired domains notified",
     "mail the contacts of domains expired a day ago, once per expiry"},
    {"domain-hold", 3600, job_registry_ops, {lifecycle_hold_expired},
     "expired domains put on hold", "serverHold on domains expired hold_after ago"},
    {"domain-delete", 3600, job_registry_ops, {lifecycle_delete_expired},
     "expired domains deleted into redemption",
     "delete domains expired delete_after ago into their redemption period"},
    {"domain-purge", 3600, job_registry_ops, {domain_purge_due}, "domains purged",
     "purge domains whose pendingDelete has ended"},
    {"idcheck-deadline", 3600, job_idcheck_deadline, {0}, NULL,
     "fail identity checks past their deadline; suspend failed registrants' domains, "
     "delete them delete_after later unless verified meanwhile"},
    {"transfer-approve", 3600, job_registry_ops,
     {domain_transfer_auto_approve, contact_transfer_auto_approve}, "pending transfers approved",
     "approve pending transfers whose pending_period has passed"},
    {"pending-expire", 600, job_registry_ops, {pending_expire_due},
     "unanswered confirmations dropped",
     "drop changes of registrant and deletes the registrant did not confirm in time"},
    {"otp-expire", 3600, job_registry_ops, {otp_expire_due}, "expired one-time passwords removed",
     "remove one-time passwords past [otp] ttl"},
    {"authinfo-overdue", 3600, job_registry_ops, {authinfo_requests_overdue},
     "overdue auth-code requests reported",
     "remind the sponsor once of each auth-code request past its deadline"},
    {"contact-check-reminder", 3600, job_registry_ops, {contact_check_remind},
     "registrants asked to check their contact data",
     "ask registrants of registrar-managed domains to check their contact data, once per "
     "[management] contact_check_interval"},
    {"outbox-deliver", 60, job_outbox_deliver, {0}, NULL,
     "deliver queued mail to the [mail] smtp relay (or the spool), retrying with backoff"},
    {"db-maintenance", 3600, job_db_maintenance, {0}, NULL,
     "refresh query-planner statistics and checkpoint the SQLite WAL"},
};
const size_t job_count = sizeof job_table / sizeof job_table[0];
