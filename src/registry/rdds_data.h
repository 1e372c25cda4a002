/* Registration data for the public lookups (RDDS: WHOIS, RDAP, later the
 * portal; R25, DESIGN §7): one domain, host, contact or registrar read
 * whole, as plain records, in a few indexed queries that see one snapshot
 * (a read-only transaction of their own, no locks; or the caller's).
 *
 * Everything is read as stored, personal data included: what a viewer may
 * see is decided by src/rdds/privacy.h, never here.
 *
 * Every string of a record lives in the caller's arena (contrib/arena.h):
 * one arena_reset releases a whole answer, and nothing is freed by hand.
 * NULL strings mean "none". Times are 0 for "never". */
#ifndef REG_RDDS_DATA_H
#define REG_RDDS_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contact_store.h"
#include "contrib/arena.h"
#include "contrib/clock.h"
#include "contrib/status.h"
#include "domain_store.h"
#include "host.h"
#include "policy.h"
#include "store/db.h"

/* stored statuses and the derived ones (ok, inactive, linked, the RGP
 * state redemptionPeriod) */
#define RDDS_STATUS_MAX (STATUS_MAX + 3)

struct rdds_registrar {
    const char *handle; /* "DEMO": the EPP clID */
    const char *name, *url, *phone, *email;
    bool disabled;
    reg_time created, changed;
};

struct rdds_contact {
    const char *handle; /* "DEMO:ABC123" */
    char roid[48];      /* "C7-DK" */
    const char *sponsor; /* registrar handle */
    /* type, postal data (int and loc), voice, fax, email, mobile, ident
     * and the disclose element as stored (contact_store.h); the strings
     * are the arena's: never contact_data_free */
    struct contact_data d;
    const char *idcheck_state; /* none | pending | verified | failed (R21) */
    reg_time idcheck_deadline;
    reg_time created, changed, transferred;
    /* filled by rdds_find_contact only (a domain's contacts leave it empty) */
    const char *status[RDDS_STATUS_MAX];
    size_t nstatus;
};

struct rdds_addr {
    const char *addr; /* canonical text */
    int version;      /* 4 or 6 */
};

/* A name server as a domain names it: addresses only for a host under
 * the TLD (in-bailiwick glue; an external host has none). */
struct rdds_ns {
    const char *name;  /* A-label form, lowercase */
    const char *uname; /* U-label form (the name itself when ASCII) */
    struct rdds_addr *addrs;
    size_t naddrs;
};

struct rdds_host {
    const char *name, *uname;
    char roid[48];
    const char *sponsor;
    const char *superordinate; /* the domain it is under; NULL for an external host */
    struct rdds_addr *addrs;
    size_t naddrs;
    const char *status[RDDS_STATUS_MAX];
    size_t nstatus;
    reg_time created, changed, transferred;
};

struct rdds_domain_contact {
    const char *role; /* admin | tech | billing */
    struct rdds_contact c;
};

struct rdds_domain {
    const char *alabel; /* "xn--blbrgrd-fxak7p.dk" */
    const char *ulabel; /* "blåbærgrød.dk" (the A-label again when ASCII) */
    bool idn;
    char roid[48];
    const char *status[RDDS_STATUS_MAX]; /* EPP spelling (RFC 5731 §2.3, RFC 3915) */
    size_t nstatus;
    reg_time created, expires, changed, transferred;
    struct rdds_registrar sponsor;
    struct rdds_contact registrant;
    struct rdds_domain_contact contacts[DOMAIN_CONTACTS_MAX]; /* by role, then handle */
    size_t ncontacts;
    struct rdds_ns ns[DOMAIN_NS_MAX]; /* by name */
    size_t nns;
    struct ds_data ds[DOMAIN_DS_MAX];
    size_t nds;
    /* R21/R22: the registrant's identity check, and when a domain
     * suspended for a failed check is to be deleted (0: not scheduled) */
    const char *idcheck_state;
    reg_time idcheck_deadline;
    reg_time idcheck_delete_at;
};

/* The lookups. `name` is what a client typed: a U- or A-label in any case
 * (names_lookup_fold), trailing dot allowed. REG_ERR_NOT_FOUND (with the
 * name in the reason) when nothing matches or the name cannot exist
 * here (another TLD); REG_ERR_INVALID with the reason for what is not a
 * domain or host name at all; database trouble as the store reports it
 * (REG_ERR_DB, REG_ERR_DB_DOWN). On failure *out is left zeroed and the
 * arena may hold partial strings (released by the caller's reset). `now`
 * decides the RGP state. */
reg_err rdds_find_domain(db *d, const struct registry_policy *p, const char *name, reg_time now,
                         struct arena *a, struct rdds_domain *out, reg_status *st);
reg_err rdds_find_host(db *d, const struct registry_policy *p, const char *name, struct arena *a,
                       struct rdds_host *out, reg_status *st);
/* Handles are matched as stored (upper case), whatever case is given. */
reg_err rdds_find_contact(db *d, const struct registry_policy *p, const char *handle,
                          struct arena *a, struct rdds_contact *out, reg_status *st);
reg_err rdds_find_registrar(db *d, const char *handle, struct arena *a, struct rdds_registrar *out,
                            reg_status *st);

/* A connection that serves lookups only (the WHOIS thread's): on SQLite a
 * larger page cache and memory-mapped reads, so a lookup in a big database
 * makes no read system calls; nothing on PostgreSQL. */
reg_err rdds_tune_connection(db *d);

/* The postal form people read: the localised one (loc) when there is one,
 * else the internationalised (int); *form gets CONTACT_LOC or CONTACT_INT
 * (for the disclose bits). NULL when the contact has no postal data. */
const struct contact_postal *rdds_contact_postal(const struct rdds_contact *c, int *form);

#endif
