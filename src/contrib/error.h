/* One error enum for the whole project, one string table (error.c).
 * Mapping to EPP result codes and HTTP statuses happens only at the edge. */
#ifndef REG_ERROR_H
#define REG_ERROR_H

#define REG_ERRORS(X)                                                        \
    X(REG_OK, "success")                                                     \
    X(REG_ERR_NOMEM, "out of memory")                                        \
    X(REG_ERR_INVALID, "invalid value")                                      \
    X(REG_ERR_SYNTAX, "syntax error")                                        \
    X(REG_ERR_RANGE, "value out of range")                                   \
    X(REG_ERR_MISSING, "required value missing")                             \
    X(REG_ERR_NOT_FOUND, "object does not exist")                            \
    X(REG_ERR_EXISTS, "object exists")                                       \
    X(REG_ERR_AUTH, "authentication failed")                                 \
    X(REG_ERR_AUTHZ, "authorization error")                                  \
    X(REG_ERR_AUTHINFO, "invalid authorization information")                 \
    X(REG_ERR_USE, "command use error")                                      \
    X(REG_ERR_DATA_POLICY, "data management policy violation")               \
    X(REG_ERR_SESSION_LIMIT, "session limit exceeded")                       \
    X(REG_ERR_STATUS_PROHIBITS, "object status prohibits operation")         \
    X(REG_ERR_ASSOCIATION, "object association prohibits operation")         \
    X(REG_ERR_POLICY, "parameter value policy error")                        \
    X(REG_ERR_BILLING, "billing failure")                                    \
    X(REG_ERR_NOT_RENEWABLE, "object is not eligible for renewal")           \
    X(REG_ERR_NOT_TRANSFERABLE, "object is not eligible for transfer")       \
    X(REG_ERR_PENDING, "object pending transfer")                            \
    X(REG_ERR_NOT_PENDING, "object not pending transfer")                    \
    X(REG_ERR_UNIMPLEMENTED, "unimplemented command")                        \
    X(REG_ERR_UNIMPLEMENTED_OPTION, "unimplemented option")                  \
    X(REG_ERR_UNIMPLEMENTED_EXTENSION, "unimplemented extension")            \
    X(REG_ERR_UNIMPLEMENTED_OBJECT, "unimplemented object service")          \
    X(REG_ERR_VERSION, "unimplemented protocol version")                     \
    X(REG_ERR_LIMIT, "limit exceeded")                                       \
    X(REG_ERR_DB, "database error")                                          \
    X(REG_ERR_DB_BUSY, "database busy")                                      \
    X(REG_ERR_DB_CONSTRAINT, "database constraint violated")                 \
    X(REG_ERR_DB_DOWN, "database unavailable")                               \
    X(REG_ERR_DB_UNKNOWN, "database commit outcome unknown")                 \
    X(REG_ERR_LOCKED, "held by another instance")                            \
    X(REG_ERR_IO, "input/output error")                                      \
    X(REG_ERR_TLS, "TLS error")                                              \
    X(REG_ERR_CONFIG, "configuration error")                                 \
    X(REG_ERR_INTERNAL, "internal error")

typedef enum {
#define REG_ERR_ENUM(name, text) name,
    REG_ERRORS(REG_ERR_ENUM)
#undef REG_ERR_ENUM
    REG_ERR__COUNT
} reg_err;

/* Human-readable text of an error code; never NULL. */
const char *reg_strerror(reg_err e);
/* The enum constant's name, e.g. "REG_ERR_NOT_FOUND" (for logs). */
const char *reg_errname(reg_err e);
/* True for a failure of the machinery rather than of the request: the
 * database (any of its errors) or memory. A loop over many objects stops
 * on one of these instead of treating it as that object's refusal. */
static inline int reg_err_is_system(reg_err e)
{
    return e == REG_ERR_DB || e == REG_ERR_DB_BUSY || e == REG_ERR_DB_DOWN ||
           e == REG_ERR_DB_UNKNOWN || e == REG_ERR_NOMEM;
}

#endif
