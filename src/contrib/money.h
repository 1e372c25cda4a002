/* Amounts of money: integers of the currency's minor unit (cents, øre),
 * as the ledger keeps them (DESIGN §4), and their text forms. */
#ifndef REG_MONEY_H
#define REG_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"

/* Largest magnitude of any amount, far from int64 overflow even summed. */
#define MONEY_MAX 1000000000000000LL
#define MONEY_FMT_LEN 48

/* "12345" (minor units) or "123.45" / "123.5" (major units, at most two
 * decimals); a leading '-' only when allow_negative. Refuses anything else
 * and magnitudes above MONEY_MAX. */
reg_err money_parse(const char *s, bool allow_negative, int64_t *out);
/* 12345 → "123.45 DKK", -5 → "-0.05 DKK" (currency NULL: no suffix). */
char *money_format(int64_t amount, const char *currency, char *buf, size_t n);
/* The same as a reader of language lang (a BCP 47 tag; NULL: English)
 * writes it: "123,45 DKK" in Danish, Norwegian, Estonian and the other
 * languages that write a decimal comma. */
char *money_format_in(int64_t amount, const char *currency, const char *lang, char *buf,
                      size_t n);

/* Decimals of the major unit, as EPP fees carry them (RFC 8748, xs:decimal),
 * for any ISO 4217 currency: */
/* the digits of its minor unit (2, or 0 for JPY, 3 for KWD, …); */
int money_exponent(const char *currency);
/* minor units → "-12.50" (exponent 2), "1250" (exponent 0); */
void money_format_decimal(int64_t minor, int exponent, char *out, size_t n);
/* an xs:decimal ("+10", "10.5", "-0.00", ".5") in units of 10^-(exponent +
 * extra) of the major unit, digits beyond dropped, saturating at
 * ±MONEY_DECIMAL_CAP; false when it is not a decimal. */
#define MONEY_DECIMAL_CAP (INT64_MAX / 4)
bool money_parse_decimal(const char *s, int exponent, int extra, int64_t *out);
/* 10^n for small n. */
int64_t money_pow10(int n);

#endif
