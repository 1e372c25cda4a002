/* Identity checks of registrants (DESIGN §6 R21, R22; §8).
 *
 * Every contact that is, or becomes, the registrant of a domain has its
 * identity checked. The state lives on the contact:
 *
 *   none ──(first becomes a registrant)──▶ pending, deadline = now + [idcheck] deadline
 *   pending ──(eID provider or staff)──▶ verified | failed
 *   pending ──(deadline passed, job idcheck-deadline)──▶ failed
 *   failed ──(staff: documents arrived late, or eID)──▶ verified
 *   verified ──(staff)──▶ failed
 *
 * A decision records how (eid | documents), who, when and a note; every
 * change is a contact version in history (R40). The registrant gets a
 * mail when its check becomes pending (what to do, by when) and when it
 * fails (its domains are suspended).
 *
 * R22: while a registrant's check is failed, each of its domains is on
 * serverHold (message IDCHECK_HOLD_MESSAGE: out of the zone) and is deleted
 * for good [idcheck] delete_after after it was suspended. When the
 * domain's registrant is verified before that, the serverHold set for
 * this reason is lifted and the deletion cancelled. A failed registrant
 * cannot be the registrant of a new domain, nor become the registrant of
 * one (REG_ERR_POLICY, EPP 2306).
 *
 * All functions run inside the caller's transaction. With
 * policy->idcheck_enabled false nothing starts, nothing is refused and the
 * job does nothing; staff may still record decisions. */
#ifndef REG_IDCHECK_H
#define REG_IDCHECK_H

#include <stdbool.h>
#include <stdint.h>
#include "op.h"

/* R22; stored with the hold, which is how a lift finds it (migration 0016
 * moved the holds set under the earlier text to this one). */
#define IDCHECK_HOLD_MESSAGE                                                                   \
    "identity check of the registrant failed: out of the zone until the registrant proves "   \
    "their identity to the registry"
#define IDCHECK_REASON_MAX 256
#define IDCHECK_NOTE_MAX 1000

/* --- eID providers ------------------------------------------------------------
 *
 * A provider checks evidence an electronic ID produced (a MitID, BankID or
 * Smart-ID login, a signed assertion, …) against the contact's data. It
 * gets the contact as the registry holds it and the evidence as given,
 * and answers verified (it is this person or organisation), failed (it is
 * not) or error (it could not tell: unreachable, malformed evidence; the
 * check stays as it was). `reason` gets one sentence for the note.
 * Providers are listed in idcheck.c; `[idcheck] provider` names one. */

typedef enum { IDCHECK_VERIFIED, IDCHECK_FAILED, IDCHECK_ERROR } idcheck_outcome;

struct idcheck_subject {
    const char *handle;
    const char *kind; /* person | organization | role, or NULL */
    const char *name; /* the loc name, else the int one */
    const char *ident_type, *ident_value, *ident_cc; /* NULL when it has none */
    const char *email;
};

struct idcheck_provider {
    const char *name;
    idcheck_outcome (*verify)(const struct idcheck_subject *who, const char *evidence,
                              char reason[IDCHECK_REASON_MAX]);
    const char *doc; /* one line */
};

/* The provider called `name`, or NULL ("none" and unknown names). */
const struct idcheck_provider *idcheck_provider_find(const char *name);
/* "none|test|…": the names [idcheck] provider accepts, for messages. */
const char *idcheck_provider_names(void);

/* --- the state machine ---------------------------------------------------------- */

/* contact_id is about to be, or has just become, the registrant of domain
 * `alabel` (domain create, change of registrant). failed →
 * REG_ERR_POLICY "registrant HANDLE failed its identity check"; none →
 * pending with a deadline, and the mail; pending and verified stay. */
reg_err idcheck_registrant(const struct reg_op *op, int64_t contact_id, const char *alabel,
                           reg_status *st);

/* Staff decisions (regctl idcheck verify|fail). method is "eid" or
 * "documents"; note says what was checked (required). verify on a
 * verified contact, or fail on a failed one, is REG_ERR_POLICY. A failure
 * suspends the contact's domains at once (and mails it); a verification
 * lifts suspensions for this reason at once. *domains gets how many
 * domains were suspended or released. */
reg_err idcheck_decide(const struct reg_op *op, const char *handle, bool verified,
                       const char *method, const char *note, int *domains, reg_status *st);

/* Runs provider p on the contact with `evidence` and records the outcome
 * as a decision by method eid (the note names the provider and its
 * reason), as idcheck_decide does; a contact already failed may be
 * verified this way, or stays failed with the new note. An error outcome
 * changes nothing and is REG_ERR_IO with the provider's reason; a
 * verified contact is REG_ERR_POLICY; no provider (p NULL) is
 * REG_ERR_CONFIG. *out gets the outcome, *domains as idcheck_decide. */
reg_err idcheck_eid(const struct reg_op *op, const struct idcheck_provider *p, const char *handle,
                    const char *evidence, idcheck_outcome *out, int *domains, reg_status *st);

struct idcheck_row {
    const char *handle, *sponsor, *state, *method, *by, *note; /* "" if none */
    reg_time deadline, at; /* 0 if none */
    int64_t domains;       /* of which it is the registrant */
};

/* Contacts in `state` (NULL: every one not "none"), oldest deadline or
 * decision first. An unknown state is REG_ERR_INVALID. */
reg_err idcheck_list(const struct reg_op *op, const char *state,
                     void (*fn)(const struct idcheck_row *r, void *arg), void *arg,
                     reg_status *st);

/* --- the job (R22) -------------------------------------------------------------- */

struct idcheck_run {
    int started;   /* registrants still "none" (older data) made pending */
    int failed;    /* pending checks past their deadline */
    int suspended; /* domains put on serverHold, deletion scheduled */
    int lifted;    /* holds lifted: the registrant is verified now */
    int deleted;   /* domains deleted, their time having come */
};

/* One pass of job idcheck-deadline at op->now, in this order: starts checks
 * of registrants still "none"; fails pending checks past their deadline;
 * suspends every domain of a failed registrant not yet suspended (and
 * schedules its deletion); lifts the suspension of domains whose
 * registrant is verified; deletes suspended domains whose time has come
 * (the sponsor gets the autoPurge poll message). Idempotent. */
reg_err idcheck_deadline_pass(const struct reg_op *op, struct idcheck_run *out, reg_status *st);

#endif
