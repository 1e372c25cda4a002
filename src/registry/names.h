/* Names: domain names under the TLD (IDNA2008 via libidn2) and contact
 * handles (R1–R3). */
#ifndef REG_NAMES_H
#define REG_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/status.h"

#define NAME_MAX_LEN 253
#define CONTACT_ID_MAX 100
#define CONTACT_ID_PLAIN_MAX 16 /* [contact] id_prefix = none: RFC 5730 clIDType */

struct name_policy {
    const char *tld;           /* "dk" */
    const char *allowed_chars; /* UTF-8 set of characters allowed in a label */
    /* [contact] id_prefix = none: contact (and account) ids are the
     * client's own, 3–16 characters as RFC 5730's clIDType, in one id space
     * shared by all registrars; false (the default): R1–R3 below */
    bool plain_contact_ids;
};

struct domain_name {
    char alabel[NAME_MAX_LEN + 1]; /* "xn--blbrgrd-fxak7p.dk" (the key) */
    char ulabel[NAME_MAX_LEN * 4 + 1]; /* "blåbærgrød.dk" */
    bool idn;
    uint32_t refused_cp; /* names_domain refused the name for this code point; 0: none */
};

/* Accepts a U-label or A-label name, normalises it and checks it against
 * the TLD's rules. IDNA2008 strictly (RFC 5891 §4, libidn2's registration
 * protocol), never UTS #46: a U-label must already be NFC, lower case and
 * of PVALID (or in-context) code points, so "ﬁsh.dk", full-width letters
 * or "BLÅBÆR.dk" are refused, not mapped; the only folding is ASCII
 * upper case (harmless, what DNS does anyway) and one trailing dot (the
 * root) is dropped. REG_ERR_INVALID (2005) for what is not a host name at
 * all, REG_ERR_POLICY (2306) for a name this registry does not register;
 * the reason says which rule and, where one code point is to blame, names
 * it (out->refused_cp gets it; 0 otherwise). */
reg_err names_domain(const struct name_policy *p, const char *input, struct domain_name *out,
                     reg_status *st);

/* The U-label form of a stored (A-label) domain name, "blåbærgrød.dk",
 * for texts people read; the name itself when it is ASCII or does not
 * decode. */
void names_ulabel(const char *alabel, char *out, size_t n);

/* R1–R3: the stored contact id for a requested one. NULL, "" or "auto"
 * → "REGISTRAR:XXXXXXXX" (R2); otherwise uppercased and prefixed with
 * "REGISTRAR:" unless its first ':'-separated element is the registrar's
 * handle (R1); only ASCII letters, digits, ':' and '-', at most 100
 * characters (R3) — else REG_ERR_INVALID with the reason. With
 * p->plain_contact_ids the id is the one asked for, uppercased, 3–16 of the
 * same characters, and "auto" gets "CXXXXXXXX". */
reg_err names_contact_id(const struct name_policy *p, const char *registrar,
                         const char *requested, char out[CONTACT_ID_MAX + 1], reg_status *st);

/* Why names_contact_id refused `requested` with REG_ERR_INVALID, in at
 * most 32 characters (the reason of an EPP <check>, eppcom:reasonType):
 * characters other than R3's, or else its length. */
const char *names_contact_id_short_reason(const char *requested);

/* An existing contact's id as a client gave it, for lookups (info, update,
 * delete, transfer): uppercased, never prefixed (R1 applies to create
 * only); REG_ERR_MISSING when empty, REG_ERR_INVALID with the reason for
 * characters or a length R3 does not allow. */
reg_err names_contact_lookup(const char *input, char out[CONTACT_ID_MAX + 1], reg_status *st);

/* Host names (RFC 5732 §2.1, RFC 1123 §2.1): an absolute DNS name of LDH
 * labels (1–63 characters each, at least two labels, at most 253 in all,
 * the last not all digits); U-labels are converted to A-labels by IDNA2008
 * strictly, as for names_domain, and A-labels must round-trip. Written to
 * out lowercase, without the trailing dot. REG_ERR_INVALID (2005) with the
 * reason otherwise. */
reg_err names_host(const char *input, char out[NAME_MAX_LEN + 1], reg_status *st);

/* A name as a lookup client (WHOIS, RDAP) types it, U-labels in any case:
 * non-ASCII input is mapped as resolvers and browsers map it (UTS #46,
 * non-transitional: "BLÅBÆR.dk" → "xn--blbr-roa5a.dk") and written to out
 * in A-label form; ASCII input is copied (names_domain and names_host lower
 * it). Only for finding what exists: names_domain stays strict for what is
 * registered. REG_ERR_INVALID with the reason when it does not map. */
reg_err names_lookup_fold(const char *input, char *out, size_t n, reg_status *st);

#endif
