#include "cpus.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cpus_of_quota(const char *cpu_max)
{
    long long quota, period;
    char end;
    if (!cpu_max || sscanf(cpu_max, "%lld %lld%c", &quota, &period, &end) < 2 || quota <= 0 ||
        period <= 0)
        return 0; /* "max …" or not a quota */
    long long n = (quota + period - 1) / period;
    return n > 4096 ? 4096 : (int)n;
}

/* The smallest quota from the process's cgroup up to the root (0: none). */
static int cgroup_cpus(void)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (!f)
        return 0;
    char line[1024], path[1024] = "";
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "0::", 3)) { /* the v2 hierarchy */
            snprintf(path, sizeof path, "%s", line + 3);
            path[strcspn(path, "\n")] = '\0';
        }
    fclose(f);
    if (!path[0])
        return 0;
    int least = 0;
    for (;;) {
        char file[1200], text[64];
        snprintf(file, sizeof file, "/sys/fs/cgroup%s/cpu.max", strcmp(path, "/") ? path : "");
        FILE *m = fopen(file, "r");
        if (m) {
            int n = fgets(text, sizeof text, m) ? cpus_of_quota(text) : 0;
            fclose(m);
            if (n && (!least || n < least))
                least = n;
        }
        char *slash = strrchr(path, '/');
        if (!slash || slash == path)
            break;
        *slash = '\0';
    }
    return least;
}

int cpus_usable(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    cpu_set_t set;
    if (!sched_getaffinity(0, sizeof set, &set) && CPU_COUNT(&set) > 0)
        n = CPU_COUNT(&set);
    int quota = cgroup_cpus();
    if (quota && quota < n)
        n = quota;
    return n < 1 ? 1 : (int)n;
}
