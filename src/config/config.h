/* registryd's settings (one INI file, --config FILE; defaults built in).
 * The table in config.c is the single list: name, type, default, limits,
 * one-line doc. `regctl config show` prints it with effective values. */
#ifndef REG_CONFIG_H
#define REG_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include "contrib/error.h"
#include "contrib/settings.h"

struct reg_config {
    char *database_url; /* with the password of password_file, if any */
    char *database_password_file;
    char *var_dir;
    char *security_pepper_file;
    char *log_level;
    char *log_file;

    char *epp_listen;
    char *epp_cert;
    char *epp_key;
    int64_t epp_max_frame;
    int64_t epp_idle_timeout;
    int64_t epp_max_sessions;
    int64_t epp_max_login_failures;
    int64_t epp_workers;
    int64_t epp_batch_max;
    int64_t epp_max_connections;
    int64_t epp_max_connections_per_source;
    int64_t epp_session_rate;
    int64_t epp_session_burst;
    char *epp_exempt;
    int64_t epp_frame_timeout;
    int64_t epp_login_timeout;
    int64_t epp_max_unsent;
    int64_t epp_max_errors;
    int64_t epp_prelogin_rate;
    int64_t epp_prelogin_burst;

    char *whois_listen;
    int64_t whois_rate;
    int64_t whois_burst;
    int64_t whois_max_connections;
    int64_t whois_max_connections_per_source;
    int64_t whois_timeout;
    int64_t whois_threads;
    char *whois_exempt;
    bool whois_canned;
    char *http_listen;
    char *http_base_url;
    int64_t http_max_body;
    int64_t http_threads; /* event loops (1..16) */
    int64_t http_timeout;
    int64_t http_request_timeout;
    int64_t http_max_connections;
    int64_t http_max_connections_per_source;
    char *http_exempt;
    int64_t http_password_rate;  /* password checks a minute per client address */
    int64_t http_password_burst;
    char *http_metrics_allow;
    char *http_proxies;

    int64_t rdap_rate;
    int64_t rdap_burst;
    int64_t rdap_max_results;
    bool rdap_loopback_credentials;
    bool rdap_canned; /* benchmark aid: one fixed domain answer */
    char *rdap_port43;

    int64_t portal_max_failures;
    int64_t portal_lockout;
    int64_t portal_idle_timeout;
    int64_t portal_lifetime;
    bool portal_totp;
    char *portal_bootstrap;

    int64_t selfservice_max_failures;
    int64_t selfservice_lockout;
    int64_t selfservice_idle_timeout;
    int64_t selfservice_lifetime;
    int64_t selfservice_reset_ttl;

    char *registry_name;
    char *registry_terms_of_use;
    char *registry_support;   /* support address on every page and in every mail */
    char *registry_terms_url; /* the registration terms' address, likewise */
    char *registry_logo;      /* the logo's URL on the web pages ("" = none) */

    char *tld_name;
    char *tld_allowed_chars;
    char *tld_roid_suffix;
    char *tld_reserved;

    int64_t domain_min_period;
    int64_t domain_max_period;
    char *transfer_mode;
    int64_t transfer_pending_period;
    char *lifecycle_on_expiry;
    int64_t lifecycle_hold_after;
    int64_t lifecycle_delete_after;
    int64_t lifecycle_redemption_period;
    int64_t lifecycle_pending_delete_period;
    int64_t confirm_expire_after;
    bool host_allow_private;
    bool idcheck_enabled;
    int64_t idcheck_deadline;
    int64_t idcheck_delete_after;
    char *idcheck_provider;
    char *idcheck_documents;

    char *contact_id_prefix;

    int64_t account_setup_ttl;

    char *billing_currency;
    bool billing_allow_unpriced;

    char *authinfo_holidays;
    int64_t authinfo_deadline_days;
    int64_t otp_ttl;
    int64_t otp_max_attempts;
    char *otp_manual_fee;
    char *terms_version;
    char *terms_also_accept;
    int64_t management_contact_check_interval;
    int64_t management_invoice_due;

    char *mail_from;
    char *mail_templates; /* directory of the operator's own texts ("" = ours only) */
    char *mail_smtp;
    bool mail_starttls;
    char *mail_user;
    char *mail_password;
    char *mail_password_file;
    char *mail_ca;
    int64_t mail_timeout;
    char *mail_spool;
    char *mail_language;

    char *sms_gateway;
    char *sms_token;
    char *sms_token_file;
    char *sms_sender;
    char *sms_ca;
    int64_t sms_timeout;
    char *sms_spool;

    int64_t clock_now;
    bool clock_frozen;

    int64_t jobs_tick;
    int64_t jobs_batch;
    int64_t jobs_budget;
    int64_t outbox_interval;

    /* [zone] (DESIGN §9, docs/zone.md) */
    char *zone_file;
    int64_t zone_interval;
    char *zone_ns;
    char *zone_soa_mname;
    char *zone_soa_rname;
    int64_t zone_ttl;
    int64_t zone_soa_refresh;
    int64_t zone_soa_retry;
    int64_t zone_soa_expire;
    int64_t zone_soa_minimum;
    int64_t zone_max_shrink;
    char *zone_alert_email;
    /* incremental publication to a DNS primary */
    char *zone_primary;
    char *zone_tsig_name;
    char *zone_tsig_algorithm;
    char *zone_tsig_secret;
    char *zone_tsig_secret_file;
    int64_t health_disk_min_free; /* MiB */
    int64_t health_disk_min_free_percent;
    int64_t health_job_grace;
};

/* The values [idcheck] provider takes: "none" and every eID provider in
 * src/registry/idcheck.c. */
#define CONFIG_IDCHECK_PROVIDERS "none|test"

extern const settings_table reg_config_table;

/* Defaults, then `path` if non-NULL. On failure err holds one line
 * ("file:line: what is wrong") and cfg is freed. */
reg_err config_load(struct reg_config *cfg, const char *path, char *err, size_t errlen);
void config_free(struct reg_config *cfg);
/* Apply [log] and [clock] settings to the process. */
reg_err config_apply_process_settings(const struct reg_config *cfg, char *err, size_t errlen);

#endif
