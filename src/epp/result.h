/* EPP result codes (RFC 5730 §3) and the one mapping from our error enum
 * to them, used at the protocol edge only. */
#ifndef REG_EPP_RESULT_H
#define REG_EPP_RESULT_H

#include "contrib/error.h"

enum {
    EPP_OK = 1000,
    EPP_OK_PENDING = 1001,
    EPP_OK_NO_MESSAGES = 1300,
    EPP_OK_MESSAGES = 1301,
    EPP_OK_BYE = 1500,
    EPP_UNKNOWN_COMMAND = 2000,
    EPP_SYNTAX = 2001,
    EPP_USE = 2002,
    EPP_MISSING_PARAM = 2003,
    EPP_RANGE = 2004,
    EPP_VALUE_SYNTAX = 2005,
    EPP_VERSION = 2100,
    EPP_UNIMPLEMENTED = 2101,
    EPP_UNIMPLEMENTED_OPTION = 2102,
    EPP_UNIMPLEMENTED_EXTENSION = 2103,
    EPP_BILLING = 2104,
    EPP_NOT_RENEWABLE = 2105,
    EPP_NOT_TRANSFERABLE = 2106,
    EPP_AUTH = 2200,
    EPP_AUTHZ = 2201,
    EPP_AUTHINFO = 2202,
    EPP_PENDING_TRANSFER = 2300,
    EPP_NOT_PENDING_TRANSFER = 2301,
    EPP_EXISTS = 2302,
    EPP_NOT_FOUND = 2303,
    EPP_STATUS_PROHIBITS = 2304,
    EPP_ASSOCIATION = 2305,
    EPP_POLICY = 2306,
    EPP_UNIMPLEMENTED_OBJECT = 2307,
    EPP_DATA_POLICY = 2308,
    EPP_FAILED = 2400,
    EPP_FAILED_CLOSING = 2500,
    EPP_AUTH_CLOSING = 2501,
    EPP_SESSION_LIMIT = 2502,
};

/* The RFC's text for a result code ("Command completed successfully"). */
const char *epp_result_text(int code);
/* Our error → EPP result code (REG_OK → 1000). */
int epp_result_for(reg_err e);
/* Does this code end the session (1500, 25xx)? */
int epp_result_closes(int code);

#endif
