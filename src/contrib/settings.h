/* Settings declared as data (DESIGN §2, after Redis): each entry names its
 * INI section and key, type, default, limits and a one-line doc. One engine
 * parses files, applies defaults and overrides, and prints effective values. */
#ifndef REG_SETTINGS_H
#define REG_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "error.h"

typedef enum {
    SET_STRING,   /* char *           */
    SET_INT,      /* int64_t, min..max */
    SET_BOOL,     /* bool: true/false/yes/no/on/off/1/0 */
    SET_DURATION, /* int64_t seconds: 90, 90s, 5m, 48h, 14d; min..max */
    SET_ADDR,     /* char *, host:port or [v6]:port */
    SET_TIME,     /* int64_t epoch seconds, RFC 3339; 0 = unset ("") */
    SET_ENUM,     /* char *, one of choices "a|b|c" */
} setting_type;

typedef struct {
    const char *section;
    const char *name;
    setting_type type;
    const char *def;
    int64_t min, max;
    const char *choices;
    const char *doc;
    size_t offset;
    /* Optional extra check of a string value: NULL if fine, else what a
     * good value looks like ("a lowercase label like dk"). */
    const char *(*check)(const char *value);
    /* A password: `config show` prints it as a comment, "(set; not shown)". */
    bool secret;
    /* A URL that may carry a password: shown through str_redact_url. */
    bool url;
} setting_def;

typedef struct {
    const setting_def *defs;
    size_t count;
} settings_table;

#define SETTINGS_ERRLEN 512

/* Fill cfg with every default. */
reg_err settings_defaults(const settings_table *t, void *cfg, char *err, size_t errlen);
/* Parse an INI file over cfg. err gets "file:line: what is wrong". */
reg_err settings_load_file(const settings_table *t, void *cfg, const char *path, char *err,
                           size_t errlen);
/* Set one value by "section.name" (for command-line overrides). */
reg_err settings_set(const settings_table *t, void *cfg, const char *key, const char *value,
                     char *err, size_t errlen);
/* Print every effective value as INI, each preceded by its doc line; a
 * non-empty secret is commented out and not shown. */
void settings_show(const settings_table *t, const void *cfg, FILE *out);
/* The same, every value line commented out: an example file. */
void settings_example(const settings_table *t, const void *cfg, FILE *out);
/* Every setting as a roff list (.SS per section, .TP per setting) with its
 * type, default and limits: the body of registryd.conf(5). */
void settings_man(const settings_table *t, FILE *out);
/* The secret in file path (its first line, without the line end), for
 * `password_file`-style settings named `what`: the file rules of
 * secret_file_read (secret.h), and refused when empty. *out is malloc'd;
 * wipe it with secret_wipe before freeing. */
reg_err settings_read_secret_file(const char *what, const char *path, char **out, char *err,
                                  size_t errlen);
void settings_free(const settings_table *t, void *cfg);

reg_err settings_parse_duration(const char *s, int64_t *out);
/* Splits "host:port" / "[v6]:port"; host buffer gets the bare host. */
reg_err settings_split_addr(const char *s, char *host, size_t hostlen, int *port);

#endif
