/* The registry's rules as plain values (filled from configuration by the
 * binaries, so domain logic never reads the config file itself). */
#ifndef REG_POLICY_H
#define REG_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/workdays.h"
#include "names.h"

#define POLICY_RESERVED_MAX 256

/* The registrar portal's login ([portal]; portal.h). */
struct portal_policy {
    int max_failures;     /* wrong passwords or codes before a lockout */
    int64_t lockout;      /* seconds a lockout lasts */
    int64_t idle_timeout; /* a session unused this long ends */
    int64_t lifetime;     /* a session ends this long after login, however used */
    bool totp;            /* a TOTP code is required (the default) */
    const char *issuer;   /* the otpauth:// issuer: the registry's name */
};

/* The registrant self-service site's login ([selfservice]; selfservice.h). */
struct selfservice_policy {
    int max_failures;     /* wrong passwords or eID identities before a lockout */
    int64_t lockout;      /* seconds a lockout lasts */
    int64_t idle_timeout; /* a session unused this long ends */
    int64_t lifetime;     /* a session ends this long after login, however used */
    int64_t reset_ttl;    /* a mailed reset link's lifetime */
    const char *eid_provider; /* [idcheck] provider: "none" or a name idcheck.h knows */
};

struct registry_policy {
    struct name_policy names;
    char roid_suffix[16];
    int min_period, max_period; /* years */
    bool transfer_immediate;
    int64_t transfer_pending_period;
    bool autorenew;
    int64_t hold_after, delete_after, redemption_period, pending_delete_period;
    bool allow_private_addresses;
    int64_t confirm_ttl;    /* R7: a registrant confirmation link's lifetime */
    const char *base_url;   /* public HTTP URL for links in mails (no trailing /) */
    /* R15: an auth-code request is due within this many working days */
    int authinfo_deadline_days;
    struct workdays holidays; /* besides Saturdays and Sundays */
    /* R16, R17: one-time passwords for transfers */
    int64_t otp_ttl;        /* seconds an OTP stays usable */
    int otp_max_attempts;   /* wrong tries before it is void */
    int64_t otp_manual_fee; /* minor units charged for the manual route; 0 = free */
    bool allow_unpriced;    /* [billing]: an operation without a price is free, not refused */
    /* R18-R20 ([terms], [management], [billing] currency); NULL strings
     * mean the built-in defaults ("1.0", none, "DKK") */
    const char *terms_version;      /* current version a create must carry */
    const char *terms_also_accept;  /* "0.9,0.8": earlier versions still taken */
    const char *currency;
    int64_t registrant_invoice_due; /* payment term of registrant invoices */
    int64_t contact_check_interval; /* between reminders to check contact data */
    /* R21/R22: registrants' identity checks (idcheck.h); off: none at all */
    bool idcheck_enabled;
    int64_t idcheck_deadline, idcheck_delete_after;
    const char *idcheck_documents; /* where documents go ([idcheck] documents) */
    const char *language; /* of mail to registrars, and to contacts with no language of
                             their own (notify/templates.h); NULL = en */
    struct portal_policy portal;
    struct selfservice_policy selfservice;
    const char *reserved[POLICY_RESERVED_MAX]; /* labels, lowercase */
    size_t nreserved;
    char *reserved_buf;
};

struct reg_config;
/* The policy from the settings (config/config.h); release with policy_free. */
void policy_from_config(const struct reg_config *cfg, struct registry_policy *p);

/* Fills the reserved list from "a,b,c" (policy_free releases it). */
void policy_set_reserved(struct registry_policy *p, const char *list);
void policy_free(struct registry_policy *p);
bool policy_is_reserved(const struct registry_policy *p, const char *label);

#endif
