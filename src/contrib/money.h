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

#endif
