/* LD_PRELOAD for test_sync.py: while the file named by REG_FAILSYNC
 * exists, fsync and fdatasync of a file whose name ends in "-wal" (SQLite's
 * write-ahead log) fail with EIO, as a failing disk's would. If the file
 * says "ours", only the syncs on descriptors opened read-only do: those
 * registryd opens itself to sync (store/db.c), not SQLite's own. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool failing(int fd)
{
    const char *flag = getenv("REG_FAILSYNC");
    FILE *f = flag ? fopen(flag, "r") : NULL;
    if (!f)
        return false;
    char mode[8] = "";
    bool ours = fgets(mode, sizeof mode, f) && !strncmp(mode, "ours", 4);
    fclose(f);
    if (ours && (fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDONLY)
        return false;
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    return n > 4 && !memcmp(path + n - 4, "-wal", 4);
}

typedef int (*sync_fn)(int);

static int call(const char *name, int fd)
{
    if (failing(fd)) {
        errno = EIO;
        return -1;
    }
    sync_fn real;
    *(void **)&real = dlsym(RTLD_NEXT, name);
    return real ? real(fd) : (errno = ENOSYS, -1);
}

int fsync(int fd) { return call("fsync", fd); }
int fdatasync(int fd) { return call("fdatasync", fd); }
