/* Who may see what of the registration data (R25, DESIGN §7): the one
 * decision WHOIS, RDAP and the portal make, field by field, so they never
 * disagree.
 *
 * Viewers: the public (WHOIS always, RDAP without credentials), a
 * registrar that logged in (RDAP over HTTP Basic, the portal), staff.
 *
 * The rules, for a contact's fields (the registrant's and every other
 * contact's alike):
 *  - Staff, and the registrar that sponsors the contact, see everything.
 *  - Everyone else sees the handle, ROID, type, sponsor, statuses, dates
 *    and the country, and of the personal data only what the contact
 *    discloses. What it discloses follows its EPP disclose element
 *    (RFC 5733 §2.9) as contact_discloses() reads it for EPP <info>:
 *      person:               name, organisation, address, voice, fax and
 *                            e-mail only where a disclose flag="1" names
 *                            them;
 *      organization, role:   name, organisation and address shown unless a
 *                            disclose flag="0" names them; voice, fax and
 *                            e-mail (which may be a person's own) only
 *                            where a disclose flag="1" names them.
 *  - The identity document (ident), the mobile number and the details of
 *    the identity check (R21) are never published, whoever the contact.
 *  - The domain's and host's own data (names, statuses, dates, sponsor,
 *    name servers, DS), the registrar's published data (name, URL, phone,
 *    e-mail) and a registrant's identity check state (R21/R22: pending or
 *    failed shows on its domains) are public.
 * A field withheld is shown as withheld ("REDACTED FOR PRIVACY" in WHOIS,
 * RFC 9537 in RDAP), with its reason, never silently left out. */
#ifndef REG_RDDS_PRIVACY_H
#define REG_RDDS_PRIVACY_H

#include <stdbool.h>
#include "registry/rdds_data.h"

enum rdds_viewer_kind {
    RDDS_VIEW_PUBLIC,    /* anyone: WHOIS, RDAP without credentials */
    RDDS_VIEW_REGISTRAR, /* a registrar that authenticated (handle in `registrar`) */
    RDDS_VIEW_STAFF,     /* the registry's staff */
};

struct rdds_viewer {
    enum rdds_viewer_kind kind;
    const char *registrar; /* RDDS_VIEW_REGISTRAR: its handle */
};

/* The viewers WHOIS and anonymous RDAP have. */
extern const struct rdds_viewer rdds_public;

/* The fields of a contact a decision is asked for. */
enum rdds_field {
    RDDS_F_NAME,
    RDDS_F_ORG,
    RDDS_F_STREET, /* the street lines */
    RDDS_F_CITY,
    RDDS_F_SP,     /* state or province */
    RDDS_F_PC,     /* postal code */
    RDDS_F_CC,     /* country code */
    RDDS_F_VOICE,
    RDDS_F_FAX,
    RDDS_F_EMAIL,
    RDDS_F_MOBILE,
    RDDS_F_IDENT,   /* identity document: type, value, country */
    RDDS_F_IDCHECK, /* how, by whom and with what note the identity was checked */
    RDDS_F__COUNT
};

enum rdds_reason {
    RDDS_SHOWN,
    RDDS_PERSONAL,     /* a person's (or untyped contact's) data it does not disclose */
    RDDS_UNPUBLISHED,  /* an organisation's or role's phone or e-mail it does not disclose */
    RDDS_WITHHELD,     /* the contact asked that it not be published (disclose flag="0") */
    RDDS_NEVER_PUBLIC, /* never published, whoever the contact (ident, mobile, idcheck) */
};

struct rdds_decision {
    bool visible;
    enum rdds_reason reason; /* RDDS_SHOWN when visible */
};

/* May viewer v see field f of contact c (in the postal form
 * rdds_contact_postal picks for the postal fields)? */
struct rdds_decision rdds_privacy(const struct rdds_viewer *v, const struct rdds_contact *c,
                                  enum rdds_field f);
/* Does v see all of c (staff, or the registrar that sponsors c)? */
bool rdds_privacy_full(const struct rdds_viewer *v, const struct rdds_contact *c);

/* Why a field is withheld, in English for the reader of an answer (the
 * RDAP "reason" of RFC 9537 §4.2); "" for RDDS_SHOWN. */
const char *rdds_reason_text(enum rdds_reason r);
/* The field's name in English ("Registrant Name" takes "Name"), for
 * redaction lists. */
const char *rdds_field_name(enum rdds_field f);

/* What WHOIS prints in place of a withheld value. */
#define RDDS_REDACTED "REDACTED FOR PRIVACY"

#endif
