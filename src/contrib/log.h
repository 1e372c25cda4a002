/* key=value log lines, one write(2) each:
 *   ts=2027-01-01T00:00:00Z level=info sub=epp id=S12 event=login clid=REG1
 * `id` is the session or request id (NULL when there is none). Values that
 * may hold spaces or quotes go through log_quote(). */
#ifndef REG_LOG_H
#define REG_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include "error.h"

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF } log_level;

void log_set_level(log_level level);
log_level log_get_level(void);
reg_err log_level_parse(const char *s, log_level *out);
const char *log_level_name(log_level level);
/* Send log lines to fd (default 2, stderr). */
void log_set_fd(int fd);
/* Append log lines to the file at path (created 0640), from now on. */
reg_err log_open_file(const char *path, char *err, size_t errlen);
/* Opens that file again by its name, for logrotate: after the old one
 * was moved away, lines go to a new file at path. Lines being written
 * meanwhile go whole to one file or the other. No file open: nothing. */
reg_err log_reopen(char *err, size_t errlen);

#define REG_LOG_PRINTF __attribute__((format(printf, 5, 6)))
void reg_log(log_level level, const char *sub, const char *id, const char *event,
             const char *fmt, ...) REG_LOG_PRINTF;

/* Writes s as a log value: bare if it is one safe token, else in double
 * quotes with \" and \\ and control characters escaped. Returns buf. */
char *log_quote(const char *s, char *buf, size_t n);

#endif
