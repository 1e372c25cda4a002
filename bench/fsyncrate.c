/* fsyncrate: the disk's durable-write rate (DESIGN §10 baseline): appends
 * 4 KiB and fdatasync()s it, repeatedly, for --seconds (default 3), in
 * --dir (default .), and prints syncs per second. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *dir = ".";
    double seconds = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--dir"))
            dir = argv[i + 1];
        else if (!strcmp(argv[i], "--seconds"))
            seconds = atof(argv[i + 1]);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/fsyncrate.%d.tmp", dir, (int)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    char block[4096];
    memset(block, 'x', sizeof block);
    long n = 0;
    double t0 = now(), t = 0;
    do {
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block || fdatasync(fd)) {
            perror("write/fdatasync");
            break;
        }
        n++;
        t = now() - t0;
    } while (t < seconds);
    close(fd);
    unlink(path);
    printf("fsyncrate: %ld fdatasync in %.2fs = %.0f/s (%s)\n", n, t, t > 0 ? n / t : 0.0, dir);
    return 0;
}
