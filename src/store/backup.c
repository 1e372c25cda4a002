/* db_backup and db_restore (db.h): the file handling that makes a backup
 * whole or absent — a temporary name beside the target, fsync, a rename
 * that replaces nothing unless asked, the directory fsynced — around the
 * driver's copy. */
#include "db_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_MAX_LEN 4096

static reg_err io_error(db *d, const char *what, const char *path)
{
    char msg[PATH_MAX_LEN + 200];
    snprintf(msg, sizeof msg, "cannot %s %s: %s", what, path, strerror(errno));
    return db_set_error(d, REG_ERR_IO, msg);
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The database itself, or its -wal or -shm file. */
static bool is_database(db *d, const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char side[PATH_MAX_LEN + 8];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(side, sizeof side, "%s%s", d->drv->file(d), suffixes[i]);
        if (!strcmp(path, side) || same_file(path, side))
            return true;
    }
    return false;
}

static reg_err fsync_path(db *d, const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return io_error(d, "open", path);
    int rc = fsync(fd);
    close(fd);
    return rc ? io_error(d, "fsync", path) : REG_OK;
}

static reg_err fsync_dir_of(db *d, const char *path)
{
    char dir[PATH_MAX_LEN];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        slash[slash == dir] = '\0'; /* "/x" → "/" */
    return fsync_path(d, dir, O_RDONLY | O_DIRECTORY);
}

/* tmp to path; an existing path stays and is REG_ERR_EXISTS unless replace. */
static reg_err move_into_place(db *d, const char *tmp, const char *path, bool replace)
{
    if (replace)
        return rename(tmp, path) ? io_error(d, "rename the copy to", path) : REG_OK;
    int rc = renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE);
    if (rc && errno == EINVAL && !(rc = link(tmp, path))) /* a file system without it */
        unlink(tmp);
    if (!rc)
        return REG_OK;
    if (errno == EEXIST) {
        char msg[PATH_MAX_LEN + 100];
        snprintf(msg, sizeof msg, "%s exists", path);
        return db_set_error(d, REG_ERR_EXISTS, msg);
    }
    return io_error(d, "move the copy to", path);
}

static void remove_tmp(const char *tmp)
{
    char journal[PATH_MAX_LEN + 16];
    unlink(tmp);
    snprintf(journal, sizeof journal, "%s-journal", tmp);
    unlink(journal);
}

/* What both refuse: a backend whose own tools do it (named), an open
 * transaction, a name too long, and the database itself as the file. */
static reg_err refused(db *d, bool supported, const char *tools, const char *path,
                       const char *itself)
{
    char msg[PATH_MAX_LEN + 200];
    if (!supported) {
        snprintf(msg, sizeof msg,
                 "a PostgreSQL database is %s (docs/operations.md, \"Backup and restore\")", tools);
        return db_set_error(d, REG_ERR_UNIMPLEMENTED, msg);
    }
    if (d->in_tx)
        return db_set_error(d, REG_ERR_INTERNAL, "backup or restore inside a transaction");
    if (strlen(path) >= PATH_MAX_LEN - 16)
        return db_set_error(d, REG_ERR_INVALID, "file name too long");
    if (is_database(d, path)) {
        snprintf(msg, sizeof msg, "%s is the database itself%s", path, itself);
        return db_set_error(d, REG_ERR_INVALID, msg);
    }
    return REG_OK;
}

reg_err db_backup(db *d, const char *path, bool replace, struct db_copy_info *info)
{
    reg_err e = refused(d, d->drv->backup != NULL,
                        "backed up with its own tools: pg_dump -Fc, or pg_basebackup with WAL "
                        "archiving",
                        path, ": give the backup another name");
    if (e)
        return e;
    struct stat st;
    if (!replace && !lstat(path, &st)) {
        char msg[PATH_MAX_LEN + 100];
        snprintf(msg, sizeof msg, "%s exists", path);
        return db_set_error(d, REG_ERR_EXISTS, msg);
    }
    char tmp[PATH_MAX_LEN];
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600: the copy holds what the database holds */
    if (fd < 0)
        return io_error(d, "create", tmp);
    close(fd);
    struct db_copy_info got = {0};
    e = d->drv->backup(d, tmp, &got);
    if (!e)
        e = fsync_path(d, tmp, O_RDONLY);
    if (!e && stat(tmp, &st))
        e = io_error(d, "stat", tmp);
    got.bytes = e ? 0 : (int64_t)st.st_size;
    if (!e)
        e = move_into_place(d, tmp, path, replace);
    if (e) {
        remove_tmp(tmp);
        return e;
    }
    if ((e = fsync_dir_of(d, path)))
        return e;
    if (info)
        *info = got;
    return REG_OK;
}

reg_err db_restore(db *d, const char *path, struct db_copy_info *info)
{
    reg_err e = refused(d, d->drv->restore != NULL,
                        "restored with its own tools: pg_restore into a new database, or a base "
                        "backup with its archived WAL",
                        path, ", not a backup of it");
    if (e)
        return e;
    struct db_copy_info got = {0};
    struct stat st;
    e = d->drv->restore(d, path, &got);
    if (!e && !stat(path, &st))
        got.bytes = (int64_t)st.st_size;
    if (!e && info)
        *info = got;
    return e;
}
