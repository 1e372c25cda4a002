/* Threads named as `top -H`, `ps -L`, /proc/PID/task/TID/comm and perf
 * show them, so that an operator (and bench/epp-loop-ab.sh) can tell which
 * of registryd's threads is busy: "epp-worker-0", "http-1", "epp-log"...
 * The main thread keeps the program's name (it runs the EPP listener). */
#ifndef REG_CONTRIB_THREAD_NAME_H
#define REG_CONTRIB_THREAD_NAME_H

#include <pthread.h>

/* Names thread t "what", or "what-N" for an index of 0 or more; cut to
 * the kernel's 15 characters. A failure is ignored: a name is a help. */
void thread_name(pthread_t t, const char *what, int index);

#endif
