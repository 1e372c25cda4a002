#include "policy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void policy_set_reserved(struct registry_policy *p, const char *list)
{
    free(p->reserved_buf);
    p->nreserved = 0;
    p->reserved_buf = strdup(list ? list : "");
    for (char *save = NULL, *tok = p->reserved_buf ? strtok_r(p->reserved_buf, ", ", &save) : NULL;
         tok && p->nreserved < POLICY_RESERVED_MAX; tok = strtok_r(NULL, ", ", &save)) {
        for (char *c = tok; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        p->reserved[p->nreserved++] = tok;
    }
}

void policy_free(struct registry_policy *p)
{
    free(p->reserved_buf);
    p->reserved_buf = NULL;
    p->nreserved = 0;
    workdays_free(&p->holidays);
}

bool policy_is_reserved(const struct registry_policy *p, const char *label)
{
    for (size_t i = 0; i < p->nreserved; i++)
        if (!strcmp(p->reserved[i], label))
            return true;
    return false;
}
