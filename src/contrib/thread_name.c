/* See thread_name.h. */
#include "thread_name.h"

#include <stdio.h>

void thread_name(pthread_t t, const char *what, int index)
{
    char name[16]; /* the kernel's TASK_COMM_LEN */
    if (index >= 0)
        snprintf(name, sizeof name, "%.11s-%d", what, index % 1000);
    else
        snprintf(name, sizeof name, "%s", what);
    (void)pthread_setname_np(t, name);
}
