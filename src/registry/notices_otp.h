/* The one-time password message to a registrant (R16), English for now.
 * Kept apart from notices.c, which is becoming a table of templates in
 * several languages: this text is to be folded into it as the "otp"
 * template. Queued with outbox_email() / outbox_sms() in the caller's
 * transaction (cause "otp"). */
#ifndef REG_NOTICES_OTP_H
#define REG_NOTICES_OTP_H

#include <stdint.h>
#include "op.h"

/* The password `code` ("ABCDE-FGHJK") for domain_id, asked for by the
 * registrar gaining_id, valid until `expires`: to `to` (an e-mail address
 * for channel "email", +CCNNNNNNNN for "sms"). */
reg_err notice_otp(const struct reg_op *op, int64_t domain_id, int64_t gaining_id,
                   const char *channel, const char *to, const char *code, reg_time expires,
                   reg_status *st);

/* The subject and body of the e-mail, and the SMS text (for tests and the
 * template table). Each writes a NUL-terminated string into out. */
void notice_otp_subject(const char *domain, char *out, size_t n);
void notice_otp_email(const char *holder, const char *domain, const char *registrar,
                      const char *code, const char *until, char *out, size_t n);
void notice_otp_sms(const char *domain, const char *registrar, const char *code,
                    const char *until, char *out, size_t n);

#endif
