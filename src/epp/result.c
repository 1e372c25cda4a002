#include "result.h"

#include <stddef.h>

static const struct {
    int code;
    const char *text;
} texts[] = {
    {1000, "Command completed successfully"},
    {1001, "Command completed successfully; action pending"},
    {1300, "Command completed successfully; no messages"},
    {1301, "Command completed successfully; ack to dequeue"},
    {1500, "Command completed successfully; ending session"},
    {2000, "Unknown command"},
    {2001, "Command syntax error"},
    {2002, "Command use error"},
    {2003, "Required parameter missing"},
    {2004, "Parameter value range error"},
    {2005, "Parameter value syntax error"},
    {2100, "Unimplemented protocol version"},
    {2101, "Unimplemented command"},
    {2102, "Unimplemented option"},
    {2103, "Unimplemented extension"},
    {2104, "Billing failure"},
    {2105, "Object is not eligible for renewal"},
    {2106, "Object is not eligible for transfer"},
    {2200, "Authentication error"},
    {2201, "Authorization error"},
    {2202, "Invalid authorization information"},
    {2300, "Object pending transfer"},
    {2301, "Object not pending transfer"},
    {2302, "Object exists"},
    {2303, "Object does not exist"},
    {2304, "Object status prohibits operation"},
    {2305, "Object association prohibits operation"},
    {2306, "Parameter value policy error"},
    {2307, "Unimplemented object service"},
    {2308, "Data management policy violation"},
    {2400, "Command failed"},
    {2500, "Command failed; server closing connection"},
    {2501, "Authentication error; server closing connection"},
    {2502, "Session limit exceeded; server closing connection"},
};

static const int code_for_error[REG_ERR__COUNT] = {
    [REG_OK] = EPP_OK,
    [REG_ERR_NOMEM] = EPP_FAILED,
    [REG_ERR_INVALID] = EPP_VALUE_SYNTAX,
    [REG_ERR_SYNTAX] = EPP_SYNTAX,
    [REG_ERR_RANGE] = EPP_RANGE,
    [REG_ERR_MISSING] = EPP_MISSING_PARAM,
    [REG_ERR_NOT_FOUND] = EPP_NOT_FOUND,
    [REG_ERR_EXISTS] = EPP_EXISTS,
    [REG_ERR_AUTH] = EPP_AUTH,
    [REG_ERR_AUTHZ] = EPP_AUTHZ,
    [REG_ERR_AUTHINFO] = EPP_AUTHINFO,
    [REG_ERR_USE] = EPP_USE,
    [REG_ERR_DATA_POLICY] = EPP_DATA_POLICY,
    [REG_ERR_SESSION_LIMIT] = EPP_SESSION_LIMIT,
    [REG_ERR_STATUS_PROHIBITS] = EPP_STATUS_PROHIBITS,
    [REG_ERR_ASSOCIATION] = EPP_ASSOCIATION,
    [REG_ERR_POLICY] = EPP_POLICY,
    [REG_ERR_BILLING] = EPP_BILLING,
    [REG_ERR_NOT_RENEWABLE] = EPP_NOT_RENEWABLE,
    [REG_ERR_NOT_TRANSFERABLE] = EPP_NOT_TRANSFERABLE,
    [REG_ERR_PENDING] = EPP_PENDING_TRANSFER,
    [REG_ERR_NOT_PENDING] = EPP_NOT_PENDING_TRANSFER,
    [REG_ERR_UNIMPLEMENTED] = EPP_UNIMPLEMENTED,
    [REG_ERR_UNIMPLEMENTED_OPTION] = EPP_UNIMPLEMENTED_OPTION,
    [REG_ERR_UNIMPLEMENTED_EXTENSION] = EPP_UNIMPLEMENTED_EXTENSION,
    [REG_ERR_UNIMPLEMENTED_OBJECT] = EPP_UNIMPLEMENTED_OBJECT,
    [REG_ERR_VERSION] = EPP_VERSION,
    [REG_ERR_LIMIT] = EPP_POLICY,
    [REG_ERR_DB] = EPP_FAILED,
    [REG_ERR_DB_BUSY] = EPP_FAILED,
    [REG_ERR_DB_CONSTRAINT] = EPP_FAILED,
    [REG_ERR_DB_DOWN] = EPP_FAILED,
    [REG_ERR_DB_UNKNOWN] = EPP_FAILED,
    [REG_ERR_LOCKED] = EPP_FAILED,
    [REG_ERR_IO] = EPP_FAILED,
    [REG_ERR_TLS] = EPP_FAILED,
    [REG_ERR_CONFIG] = EPP_FAILED,
    [REG_ERR_INTERNAL] = EPP_FAILED,
};

const char *epp_result_text(int code)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i].code == code)
            return texts[i].text;
    return "Command failed";
}

int epp_result_for(reg_err e)
{
    if ((unsigned)e >= REG_ERR__COUNT || !code_for_error[e])
        return EPP_FAILED;
    return code_for_error[e];
}

int epp_result_closes(int code)
{
    return code == EPP_OK_BYE || code >= 2500;
}
