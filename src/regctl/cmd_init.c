#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "contrib/strutil.h"
#include "registry/registrar.h"
#include "regctl.h"

#define DEMO_HANDLE "DEMO"

static int make_dirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0750) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0750) && errno != EEXIST ? -1 : 0;
}

/* The demo registrar gets a fresh password each time, so init --demo can
 * always print a working login. */
static int ensure_demo(db *d)
{
    char pw[17];
    registrar_generate_password(pw);
    reg_status st = {0};
    struct registrar_new r = {.handle = DEMO_HANDLE, .name = "Demo Registrar",
                              .password = pw, .email = "demo@example.invalid"};
    reg_err e = registrar_add(d, &r, &st);
    if (e == REG_ERR_EXISTS)
        e = registrar_set_password(d, DEMO_HANDLE, pw, &st);
    if (e)
        return regctl_fail("init", "demo registrar: %s", reg_status_text(&st));
    printf("demo registrar: clID %s password %s\n", DEMO_HANDLE, pw);
    return 0;
}

int regctl_init(struct regctl *ctl, int argc, char **argv)
{
    bool demo = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--demo"))
            demo = true;
        else {
            fprintf(stderr, "regctl: init: unknown argument \"%s\" (usage: regctl init [--demo])\n",
                    argv[i]);
            return EXIT_USAGE;
        }
    }
    const char *var = ctl->cfg.var_dir;
    if (make_dirs(var))
        return regctl_fail("init", "cannot create directory %s: %s", var, strerror(errno));
    const char *url = ctl->cfg.database_url;
    const char *slash = strrchr(url, '/');
    if (!strncmp(url, "sqlite:", 7) && slash && slash > url + 7) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - url - 7), url + 7);
        if (make_dirs(dir))
            return regctl_fail("init", "cannot create directory %s: %s", dir, strerror(errno));
    }
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    char safe[1024];
    str_redact_url(safe, sizeof safe, ctl->cfg.database_url);
    printf("database %s ready (schema version %d)\n", safe, db_schema_version(d));
    return demo ? ensure_demo(d) : 0;
}
