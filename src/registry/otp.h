/* One-time passwords for transfers (DESIGN §4 otp, §6 R14, R16, R17).
 *
 * R16: a registrar that wants a domain but cannot get its auth info sends
 * a transfer request with <regd:otp channel="email|sms"/>; the registry
 * sends a one-time password straight to the registrant (the registrant
 * contact's e-mail address, or its regc:mobile by SMS). A transfer request
 * from that registrar with the password as <domain:authInfo> then moves
 * the domain at once, whatever [transfer] mode says.
 *
 * A password is OTP_CODE_LEN characters of an alphabet without look-alikes
 * (OTP_ALPHABET: no 0/O, 1/I), 5 bits each: 50 bits. It is mailed as
 * "ABCDE-FGHJK"; case, blanks and hyphens are ignored when it comes back.
 * It is stored hashed (secret_authinfo_hash), bound to the domain and the
 * registrar that asked, used once, usable for [otp] ttl (14 d), and void
 * after [otp] max_attempts (5) wrong tries by that registrar. A new request
 * by the same registrar for the same domain voids its older password;
 * passwords of other registrars stay (one registrar cannot cancel
 * another's). A transfer of the domain voids them all. The otp-expire job
 * removes expired passwords; the outbox keeps a delivered message with
 * "[redacted]" in place of the password.
 *
 * R17: the manual route, for a registrant no e-mail or SMS reaches: staff
 * check documents, put a new e-mail address on the registrant contact, and
 * the gaining registrar is charged [otp] manual_fee on its own invoice; it
 * can then ask for a password by e-mail as above.
 *
 * Every function runs in the caller's transaction. */
#ifndef REG_OTP_H
#define REG_OTP_H

#include <stdbool.h>
#include <stdint.h>
#include "domain.h"
#include "op.h"

#define OTP_ALPHABET "23456789ABCDEFGHJKLMNPQRSTUVWXYZ" /* 32 characters */
#define OTP_CODE_LEN 10
#define OTP_DISPLAY_LEN (OTP_CODE_LEN + 2) /* "ABCDE-FGHJK" and NUL */
#define OTP_ADDR_MAX 320
#define OTP_DOCUMENTS_MAX 1000

/* A fresh password: OTP_CODE_LEN characters of OTP_ALPHABET. */
reg_err otp_generate(char out[OTP_CODE_LEN + 1]);
/* What a registrar sent, as stored: upper case, blanks and '-' dropped.
 * false unless it is OTP_CODE_LEN characters of the alphabet. */
bool otp_normalize(const char *in, char out[OTP_CODE_LEN + 1]);

struct otp_sent {
    char domain[NAME_MAX_LEN + 1];
    char channel[8];
    char sent_to[OTP_ADDR_MAX]; /* e-mail address or +CCNNNNNNNN */
    reg_time expires_at;
};

/* R16: the registrar op->registrar_id asks for a password for domain
 * `name` by `channel` ("email" or "sms"). Refused like the transfer itself
 * would be: REG_ERR_NOT_FOUND, REG_ERR_NOT_TRANSFERABLE (its own domain),
 * REG_ERR_PENDING, REG_ERR_STATUS_PROHIBITS; REG_ERR_POLICY when the
 * registrant contact has no mobile number (sms) or no usable address. */
reg_err otp_request(const struct reg_op *op, const char *name, const char *channel,
                    struct otp_sent *out, reg_status *st);

/* For the transfer request of domain d by op->registrar_id with `code`:
 *   no active password of that registrar for d: REG_OK, *matched false;
 *   code is that password: it is used up, REG_OK, *matched true;
 *   expired: REG_ERR_AUTHINFO saying so;
 *   wrong: REG_ERR_AUTHINFO with the tries left, *wrong_otp = its id.
 * A wrong try must outlive the failed command, which is rolled back: the
 * caller counts it with otp_count_wrong() afterwards. */
reg_err otp_redeem(const struct reg_op *op, const struct domain *d, const char *code,
                   bool *matched, int64_t *wrong_otp, reg_status *st);
/* Counts one wrong try; the password is void at [otp] max_attempts. */
reg_err otp_count_wrong(const struct reg_op *op, int64_t otp_id, reg_status *st);

/* Voids every active password of the domain (it changed registrar). */
reg_err otp_void_domain(const struct reg_op *op, int64_t domain_id, reg_status *st);

/* The otp-expire job: deletes passwords expired at op->now (*count). (The
 * outbox keeps no password once its message is delivered: outbox.h.) */
reg_err otp_expire_due(const struct reg_op *op, int *count, reg_status *st);

struct otp_row {
    int64_t id;
    const char *domain, *registrar, *channel, *sent_to, *state;
    reg_time created_at, expires_at, used_at;
    int attempts;
};
/* Every stored password (domain NULL) or one domain's, newest first. */
reg_err otp_each(const struct reg_op *op, const char *domain,
                 void (*fn)(const struct otp_row *r, void *arg), void *arg, reg_status *st);

/* ---- R17: the manual route --------------------------------------------- */

struct otp_manual_req {
    const char *domain;
    const char *registrar;  /* the gaining registrar's handle */
    const char *email;      /* the registrant's new address */
    const char *documents;  /* what staff checked */
    const char *checked_by; /* who checked them */
    const char *currency;   /* [billing] currency, for the invoice */
};

struct otp_manual_result {
    int64_t id;
    char domain[NAME_MAX_LEN + 1];
    char registrar[32];
    char registrant[HANDLE_MAX];
    char old_email[OTP_ADDR_MAX], new_email[OTP_ADDR_MAX];
    char documents[OTP_DOCUMENTS_MAX + 1];
    char checked_by[64];
    reg_time at;
    int64_t fee;            /* minor units; 0: not charged */
    int64_t invoice_number; /* 0: none */
};

/* Records the documents, sets the registrant contact's e-mail (history
 * R40 and the R10 notices, as staff), and charges op->policy->otp_manual_fee
 * to the gaining registrar with its own one-off invoice (R23: 2104 and
 * nothing done when its credit does not cover it). REG_ERR_NOT_FOUND,
 * REG_ERR_NOT_TRANSFERABLE (the registrar already sponsors it),
 * REG_ERR_MISSING (no documents), REG_ERR_INVALID (a bad address). */
reg_err otp_manual(const struct reg_op *op, const struct otp_manual_req *in,
                   struct otp_manual_result *out, reg_status *st);
/* Every manual-route record (domain NULL) or one domain's, newest first. */
reg_err otp_manual_each(const struct reg_op *op, const char *domain,
                        void (*fn)(const struct otp_manual_result *r, void *arg), void *arg,
                        reg_status *st);

#endif
