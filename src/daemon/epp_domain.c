/* EPP domain commands: XML ↔ registry/domain.c. */
#include "epp_internal.h"

const struct epp_handler epp_domain_handlers[] = {
    {0, 0, false, NULL, NULL},
};
