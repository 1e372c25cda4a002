/* EPP contact commands: XML ↔ registry/contact.c. */
#include "epp_internal.h"

const struct epp_handler epp_contact_handlers[] = {
    {0, 0, false, NULL, NULL},
};
