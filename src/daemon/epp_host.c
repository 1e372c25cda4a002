/* EPP host commands: XML ↔ registry/host.c. */
#include "epp_internal.h"

const struct epp_handler epp_host_handlers[] = {
    {0, 0, false, NULL, NULL},
};
