/* The registrar portal's domain pages, registry side (issue 16): a
 * registrar's domains searched and listed a page at a time or all of them
 * in batches (the CSV export), and the portal's changes of a domain, each
 * through the operation EPP uses (domain_update_request, domain_renew) in a
 * transaction of its own, so a change made in the portal obeys every rule
 * EPP's does and is recorded the same way (history with op->channel).
 * Transport-free: src/web/portal_domains.c shows it. */
#ifndef REG_PORTAL_DOMAINS_H
#define REG_PORTAL_DOMAINS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "domain.h"
#include "domain_store.h"
#include "otp.h"
#include "names.h"
#include "op.h"

/* Every criterion given must hold. */
struct portal_domain_filter {
    const char *name;     /* part of the A-label or U-label, any case; NULL/"": any */
    const char *status;   /* a stored status, or "ok" / "inactive" (derived); NULL/"": any */
    reg_time expires_from; /* expires at or after (0: open) */
    reg_time expires_to;   /* expires before (0: open) */
    const char *contact;  /* a handle: the registrant or an admin/tech/billing contact */
};

/* One domain as a list row or a line of the export. Contacts and name
 * servers are space-separated; statuses comma-separated, with the derived
 * ok and inactive (RFC 5731 §2.3). */
struct portal_domain_row {
    int64_t id;
    char name[NAME_MAX_LEN + 1];
    char uname[NAME_MAX_LEN * 4 + 1];
    char registrant[HANDLE_MAX];
    char admin[DOMAIN_CONTACTS_MAX * HANDLE_MAX];
    char tech[DOMAIN_CONTACTS_MAX * HANDLE_MAX];
    char billing[DOMAIN_CONTACTS_MAX * HANDLE_MAX];
    char ns[DOMAIN_NS_MAX * (NAME_MAX_LEN + 1)];
    char statuses[512];
    reg_time created_at, expires_at;
};

#define PORTAL_DOMAINS_PAGE_MAX 100

/* One page: the matching domains of the registrar by name, `offset` of
 * them skipped, at most `limit` (≤ PORTAL_DOMAINS_PAGE_MAX) into rows;
 * *n how many, *total (optional) how many match in all. */
reg_err portal_domains_page(const struct reg_op *op, int64_t registrar_id,
                            const struct portal_domain_filter *f, int64_t offset, size_t limit,
                            struct portal_domain_row *rows, size_t *n, int64_t *total,
                            reg_status *st);

/* Every matching domain by name, fn once each. Read in batches of
 * PORTAL_DOMAINS_BATCH (by name after the last one), so memory does not
 * grow with the portfolio; fn returning non-zero stops (that value is
 * returned as a REG_ERR_INTERNAL failure). */
#define PORTAL_DOMAINS_BATCH 200
reg_err portal_domains_each(const struct reg_op *op, int64_t registrar_id,
                            const struct portal_domain_filter *f,
                            int (*fn)(const struct portal_domain_row *r, void *arg), void *arg,
                            reg_status *st);

/* ---- changes: op->actor is the registrar's handle, op->registrar_id its id ---- */

/* The name servers become exactly ns[0..n) (host names, any order; empty
 * lines ignored): the difference is one domain:update (R32's role is the
 * caller's check). *changed: whether anything changed. */
reg_err portal_domain_set_ns(const struct reg_op *op, const char *name, const char *const *ns,
                             size_t n, bool *changed, reg_status *st);

/* Auth info (R13) set to `pw`, or removed with pw NULL or "". */
reg_err portal_domain_set_authinfo(const struct reg_op *op, const char *name, const char *pw,
                                   reg_status *st);

/* Renewal by `years` from the current expiry (cur_exp: its date,
 * YYYY-MM-DD, as the page showed it: a second submission fails). */
reg_err portal_domain_renew(const struct reg_op *op, const char *name, const char *cur_exp,
                            int years, reg_time *new_expiry, reg_status *st);

/* Bulk (R32's role is the caller's check): in each of names[0..n) that
 * uses name server `from`, replace it with `to`. All or nothing: the first
 * refusal rolls everything back and names the domain. *changed: how many
 * domains changed. With dry_run nothing is written: *changed is how many
 * would. */
reg_err portal_domains_replace_ns(const struct reg_op *op, const char *const *names, size_t n,
                                  const char *from, const char *to, bool dry_run,
                                  size_t *changed, reg_status *st);

/* ---- a domain's life: the same operations as EPP's domain commands ---- */

/* The price of `operation` ("create", "renew", ...) for `years` as this
 * registrar pays it (billing_price). */
reg_err portal_domain_price(const struct reg_op *op, const char *operation, int years,
                            int64_t *amount, reg_status *st);

/* domain:create (R18 management, R20 terms in `in`) in a transaction. */
reg_err portal_domain_create(const struct reg_op *op, const struct domain_create *in,
                             struct domain *out, reg_status *st);

/* The admin and tech contacts become exactly those given and the client
 * statuses (clientHold, client*Prohibited) exactly `statuses`: one
 * domain:update of the difference. *changed: whether anything changed. */
struct portal_domain_contacts {
    const char *admin[DOMAIN_CONTACTS_MAX], *tech[DOMAIN_CONTACTS_MAX];
    size_t nadmin, ntech;
    const char *statuses[STATUS_MAX];
    size_t nstatuses;
};
reg_err portal_domain_set_contacts(const struct reg_op *op, const char *name,
                                   const struct portal_domain_contacts *in, bool *changed,
                                   reg_status *st);

/* One DS record added and/or removed (RFC 5910 secDNS:update). */
reg_err portal_domain_ds(const struct reg_op *op, const char *name, const struct ds_data *add,
                         const struct ds_data *rem, reg_status *st);

/* domain:transfer (request with the auth info or a one-time password,
 * approve, reject, cancel). A wrong one-time password is counted (R16)
 * although the request is rolled back. */
reg_err portal_domain_transfer(const struct reg_op *op, transfer_op top, const char *name,
                               const char *pw, struct domain_transfer_info *out, bool *pending,
                               reg_status *st);

/* R16: a one-time password sent to the registrant by `channel`. */
reg_err portal_domain_otp(const struct reg_op *op, const char *name, const char *channel,
                          struct otp_sent *out, reg_status *st);

/* domain:delete: verified (R8) at once, else waiting for the registrant (R7). */
reg_err portal_domain_delete(const struct reg_op *op, const char *name, bool verified,
                             enum domain_delete_outcome *outcome, reg_status *st);

/* RGP restore request of a domain in its redemption period. */
reg_err portal_domain_restore(const struct reg_op *op, const char *name, reg_status *st);

/* Bulk, all or nothing like portal_domains_replace_ns (dry_run: nothing
 * written, the count of what would change): renew each by `years`
 * (*charged: what the registrar's account paid, or would pay, for them
 * all, in minor units); in each that has tech contact `from`, replace it
 * by `to`. */
reg_err portal_domains_renew(const struct reg_op *op, const char *const *names, size_t n,
                             int years, bool dry_run, size_t *renewed, int64_t *charged,
                             reg_status *st);
reg_err portal_domains_replace_tech(const struct reg_op *op, const char *const *names, size_t n,
                                    const char *from, const char *to, bool dry_run,
                                    size_t *changed, reg_status *st);

#endif
