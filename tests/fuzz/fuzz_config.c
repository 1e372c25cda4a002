/* libFuzzer target: the INI settings parser (src/contrib/settings.c) on
 * registryd's table (src/daemon/config.c), through a temporary file as
 * `registryd --config FILE` reads it. A loaded configuration must hold
 * only values within the table's limits. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"

static char path[4096];
static int fd = -1;
static FILE *devnull;

static void remove_temp(void)
{
    if (fd >= 0)
        unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/reg-fuzz-config-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    fd = mkstemp(path);
    if (fd < 0) {
        perror(path);
        abort();
    }
    atexit(remove_temp);
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    return 0;
}

static int is_choice(const char *choices, const char *s)
{
    size_t n = strlen(s);
    for (const char *p = choices; *p;) {
        size_t len = strcspn(p, "|");
        if (len == n && !strncmp(p, s, n))
            return 1;
        p += len + (p[len] == '|');
    }
    return 0;
}

static void check_limits(const struct reg_config *cfg)
{
    for (size_t i = 0; i < reg_config_table.count; i++) {
        const setting_def *d = &reg_config_table.defs[i];
        const char *p = (const char *)cfg + d->offset;
        switch (d->type) {
        case SET_INT:
        case SET_DURATION: {
            int64_t v;
            memcpy(&v, p, sizeof v);
            if (v < d->min || v > d->max)
                abort();
            break;
        }
        case SET_STRING:
        case SET_ENUM:
        case SET_ADDR: {
            const char *s;
            memcpy(&s, p, sizeof s);
            if (!s)
                abort();
            if (d->check && d->check(s))
                abort();
            if (d->type == SET_ENUM && !is_choice(d->choices, s))
                abort();
            break;
        }
        case SET_BOOL:
        case SET_TIME:
            break;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fd < 0)
        LLVMFuzzerInitialize(NULL, NULL);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    struct reg_config cfg;
    memset(&cfg, 0, sizeof cfg);
    char err[SETTINGS_ERRLEN] = "";
    if (settings_defaults(&reg_config_table, &cfg, err, sizeof err) != REG_OK)
        abort();
    err[0] = '\0';
    reg_err e = settings_load_file(&reg_config_table, &cfg, path, err, sizeof err);
    if (e != REG_OK) {
        if (!err[0])
            abort(); /* every refusal says why */
    } else {
        check_limits(&cfg);
        settings_show(&reg_config_table, &cfg, devnull);
    }
    settings_free(&reg_config_table, &cfg);
    return 0;
}
