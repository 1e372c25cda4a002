/* How many CPUs this process may use: what sizes thread pools by default
 * ([epp] workers = 0). */
#ifndef REG_CPUS_H
#define REG_CPUS_H

/* The CPUs of the process's affinity mask (taskset, a container's
 * cpuset), fewer if a cgroup v2 CPU quota on its way to the root allows
 * less (a container's --cpus, systemd's CPUQuota=), rounded up; at
 * least 1. The machine's count alone overstates both. */
int cpus_usable(void);

/* The CPUs a cgroup v2 cpu.max text ("max 100000", "150000 100000")
 * allows, rounded up; 0 for no limit or a text it cannot read. */
int cpus_of_quota(const char *cpu_max);

#endif
