#include "error.h"

static const char *const error_text[] = {
#define REG_ERR_TEXT(name, text) [name] = text,
    REG_ERRORS(REG_ERR_TEXT)
#undef REG_ERR_TEXT
};

static const char *const error_name[] = {
#define REG_ERR_NAME(name, text) [name] = #name,
    REG_ERRORS(REG_ERR_NAME)
#undef REG_ERR_NAME
};

const char *reg_strerror(reg_err e)
{
    if ((unsigned)e >= REG_ERR__COUNT)
        return "unknown error";
    return error_text[e];
}

const char *reg_errname(reg_err e)
{
    if ((unsigned)e >= REG_ERR__COUNT)
        return "REG_ERR_UNKNOWN";
    return error_name[e];
}
