#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "clock.h"

static _Atomic int log_threshold = LOG_INFO;
static _Atomic int log_fd = 2;

static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

void log_set_level(log_level level) { atomic_store(&log_threshold, level); }
log_level log_get_level(void) { return (log_level)atomic_load(&log_threshold); }
void log_set_fd(int fd) { atomic_store(&log_fd, fd); }

/* [log] file: its path, and the descriptor lines go to (log_fd). */
static char *log_path;

static int open_log(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        snprintf(err, errlen, "cannot open the log file %s: %s", path, strerror(errno));
    return fd;
}

reg_err log_open_file(const char *path, char *err, size_t errlen)
{
    char *copy = strdup(path);
    if (!copy)
        return REG_ERR_NOMEM;
    int fd = open_log(path, err, errlen);
    if (fd < 0) {
        free(copy);
        return REG_ERR_IO;
    }
    free(log_path);
    log_path = copy;
    atomic_store(&log_fd, fd);
    return REG_OK;
}

reg_err log_reopen(char *err, size_t errlen)
{
    if (!log_path)
        return REG_OK;
    int fd = open_log(log_path, err, errlen);
    if (fd < 0)
        return REG_ERR_IO;
    /* dup3 swaps the file under the descriptor number at once: a thread
     * writing a line never meets a closed descriptor */
    int rc = dup3(fd, atomic_load(&log_fd), O_CLOEXEC) < 0 ? -1 : 0;
    if (rc)
        snprintf(err, errlen, "cannot reopen the log file %s: %s", log_path, strerror(errno));
    close(fd);
    return rc ? REG_ERR_IO : REG_OK;
}

const char *log_level_name(log_level level)
{
    return (unsigned)level <= LOG_OFF ? level_names[level] : "?";
}

reg_err log_level_parse(const char *s, log_level *out)
{
    for (int i = LOG_DEBUG; i <= LOG_OFF; i++) {
        if (strcasecmp(s, level_names[i]) == 0) {
            *out = (log_level)i;
            return REG_OK;
        }
    }
    return REG_ERR_INVALID;
}

char *log_quote(const char *s, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    if (!s)
        s = "";
    bool bare = *s != '\0';
    for (const char *p = s; *p && bare; p++)
        bare = (unsigned char)*p > ' ' && *p != '"' && *p != '=' && *p != '\\' && *p != 0x7f;
    if (bare) {
        snprintf(buf, n, "%s", s);
        return buf;
    }
    size_t o = 0;
    buf[o++] = '"';
    for (const char *p = s; *p && o + 5 < n; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c < ' ' || c == 0x7f) {
            o += (size_t)snprintf(buf + o, n - o, "\\x%02x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    if (o + 1 < n)
        buf[o++] = '"';
    buf[o < n ? o : n - 1] = '\0';
    return buf;
}

void reg_log(log_level level, const char *sub, const char *id, const char *event,
             const char *fmt, ...)
{
    if (level < log_get_level() || level >= LOG_OFF)
        return;
    char line[4096], ts[REG_TIME_STRLEN];
    int o = snprintf(line, sizeof line, "ts=%s level=%s sub=%s", clock_format(clock_now(), ts, sizeof ts),
                     level_names[level], sub ? sub : "-");
    if (id)
        o += snprintf(line + o, sizeof line - (size_t)o, " id=%s", id);
    if (event)
        o += snprintf(line + o, sizeof line - (size_t)o, " event=%s", event);
    if (fmt && *fmt && o < (int)sizeof line - 2) {
        line[o++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int w = vsnprintf(line + o, sizeof line - (size_t)o, fmt, ap);
        va_end(ap);
        o += w;
    }
    if (o > (int)sizeof line - 2)
        o = (int)sizeof line - 2;
    line[o++] = '\n';
    ssize_t ignored = write(atomic_load(&log_fd), line, (size_t)o);
    (void)ignored;
}
