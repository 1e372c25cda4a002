/* The fixtures' .dk policy: see dkpolicy.h. */
#include "dkpolicy.h"

#include <stdio.h>

#define DAY ((reg_time)86400)

static const char DK_CHARS[] = "abcdefghijklmnopqrstuvwxyz0123456789-"
                               "\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa4\xc3\xb6\xc3\xbc\xc3\xa9";

void dk_policy(struct registry_policy *p)
{
    p->names.tld = "dk";
    p->names.allowed_chars = DK_CHARS;
    snprintf(p->roid_suffix, sizeof p->roid_suffix, "DK");
    p->min_period = 1;
    p->max_period = 10;
    p->transfer_immediate = true;
    p->transfer_pending_period = 5 * DAY;
    p->redemption_period = 30 * DAY;
    p->pending_delete_period = 5 * DAY;
}
