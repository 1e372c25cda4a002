/* The registry's policy values from the configuration (policy.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "contrib/money.h"
#include "policy.h"

void policy_from_config(const struct reg_config *cfg, struct registry_policy *p)
{
    memset(p, 0, sizeof *p);
    p->names.tld = cfg->tld_name;
    p->names.allowed_chars = cfg->tld_allowed_chars;
    p->names.plain_contact_ids = !strcmp(cfg->contact_id_prefix, "none");
    if (cfg->tld_roid_suffix[0])
        snprintf(p->roid_suffix, sizeof p->roid_suffix, "%s", cfg->tld_roid_suffix);
    else
        for (size_t i = 0; cfg->tld_name[i] && i + 1 < sizeof p->roid_suffix; i++)
            p->roid_suffix[i] = (char)toupper((unsigned char)cfg->tld_name[i]);
    p->min_period = (int)cfg->domain_min_period;
    p->max_period = (int)cfg->domain_max_period;
    p->transfer_immediate = !strcmp(cfg->transfer_mode, "immediate");
    p->transfer_pending_period = cfg->transfer_pending_period;
    p->autorenew = !strcmp(cfg->lifecycle_on_expiry, "autorenew");
    p->hold_after = cfg->lifecycle_hold_after;
    p->delete_after = cfg->lifecycle_delete_after;
    p->redemption_period = cfg->lifecycle_redemption_period;
    p->pending_delete_period = cfg->lifecycle_pending_delete_period;
    p->allow_private_addresses = cfg->host_allow_private;
    p->confirm_ttl = cfg->confirm_expire_after;
    p->base_url = cfg->http_base_url;
    p->terms_version = cfg->terms_version;
    p->terms_also_accept = cfg->terms_also_accept;
    p->currency = cfg->billing_currency;
    p->allow_unpriced = cfg->billing_allow_unpriced;
    p->registrant_invoice_due = cfg->management_invoice_due;
    p->contact_check_interval = cfg->management_contact_check_interval;
    p->idcheck_enabled = cfg->idcheck_enabled;
    p->idcheck_deadline = cfg->idcheck_deadline;
    p->idcheck_delete_after = cfg->idcheck_delete_after;
    p->idcheck_documents = *cfg->idcheck_documents ? cfg->idcheck_documents : cfg->mail_from;
    p->language = cfg->mail_language;
    p->portal.max_failures = (int)cfg->portal_max_failures;
    p->portal.lockout = cfg->portal_lockout;
    p->portal.idle_timeout = cfg->portal_idle_timeout;
    p->portal.lifetime = cfg->portal_lifetime;
    p->portal.totp = cfg->portal_totp;
    p->portal.issuer = *cfg->registry_name ? cfg->registry_name : NULL;
    p->selfservice.max_failures = (int)cfg->selfservice_max_failures;
    p->selfservice.lockout = cfg->selfservice_lockout;
    p->selfservice.idle_timeout = cfg->selfservice_idle_timeout;
    p->selfservice.lifetime = cfg->selfservice_lifetime;
    p->selfservice.reset_ttl = cfg->selfservice_reset_ttl;
    p->selfservice.eid_provider = cfg->idcheck_provider;
    policy_set_reserved(p, cfg->tld_reserved);
    /* both were checked when the configuration was loaded */
    p->authinfo_deadline_days = (int)cfg->authinfo_deadline_days;
    workdays_parse(cfg->authinfo_holidays, &p->holidays, NULL, 0);
    p->otp_ttl = cfg->otp_ttl;
    p->otp_max_attempts = (int)cfg->otp_max_attempts;
    if (money_parse(cfg->otp_manual_fee, false, &p->otp_manual_fee))
        p->otp_manual_fee = 0;
}
