#include "settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static void *field(void *cfg, const setting_def *d) { return (char *)cfg + d->offset; }
static const void *cfield(const void *cfg, const setting_def *d)
{
    return (const char *)cfg + d->offset;
}

reg_err settings_parse_duration(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || errno || v < 0)
        return REG_ERR_SYNTAX;
    int64_t mult = 1;
    if (*end) {
        switch (*end) {
        case 's': mult = 1; break;
        case 'm': mult = 60; break;
        case 'h': mult = 3600; break;
        case 'd': mult = 86400; break;
        default: return REG_ERR_SYNTAX;
        }
        if (end[1])
            return REG_ERR_SYNTAX;
    }
    if (v > INT64_MAX / mult)
        return REG_ERR_RANGE;
    *out = v * mult;
    return REG_OK;
}

reg_err settings_split_addr(const char *s, char *host, size_t hostlen, int *port)
{
    const char *colon;
    size_t hl;
    if (*s == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return REG_ERR_SYNTAX;
        hl = (size_t)(close - s - 1);
        s++;
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || memchr(s, ':', (size_t)(colon - s)))
            return REG_ERR_SYNTAX;
        hl = (size_t)(colon - s);
    }
    if (hl == 0 || hl >= hostlen)
        return REG_ERR_SYNTAX;
    memcpy(host, s, hl);
    host[hl] = '\0';
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || p < 0 || p > 65535)
        return REG_ERR_RANGE;
    *port = (int)p;
    return REG_OK;
}

static bool enum_has(const char *choices, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = choices; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0)
            return true;
        p = bar ? bar + 1 : NULL;
    }
    return false;
}

static reg_err set_string(char **slot, const char *v)
{
    char *copy = strdup(v);
    if (!copy)
        return REG_ERR_NOMEM;
    free(*slot);
    *slot = copy;
    return REG_OK;
}

/* Parse v into d's slot; on failure write the reason (without location). */
static reg_err apply(const setting_def *d, void *cfg, const char *v, char *why, size_t n)
{
    int64_t num;
    switch (d->type) {
    case SET_STRING: {
        const char *want = d->check ? d->check(v) : NULL;
        if (want) {
            snprintf(why, n, "%s.%s: \"%s\" is not %s", d->section, d->name, v, want);
            return REG_ERR_INVALID;
        }
        return set_string(field(cfg, d), v);
    }
    case SET_ENUM:
        if (!enum_has(d->choices, v)) {
            snprintf(why, n, "%s.%s: \"%s\" is not one of %s", d->section, d->name, v, d->choices);
            return REG_ERR_INVALID;
        }
        return set_string(field(cfg, d), v);
    case SET_ADDR: {
        char host[256];
        int port;
        if (settings_split_addr(v, host, sizeof host, &port)) {
            snprintf(why, n, "%s.%s: \"%s\" is not host:port (e.g. 127.0.0.1:7000 or [::1]:7000)",
                     d->section, d->name, v);
            return REG_ERR_INVALID;
        }
        return set_string(field(cfg, d), v);
    }
    case SET_BOOL:
        if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1"))
            *(bool *)field(cfg, d) = true;
        else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off") ||
                 !strcmp(v, "0"))
            *(bool *)field(cfg, d) = false;
        else {
            snprintf(why, n, "%s.%s: \"%s\" is not a boolean (true or false)", d->section, d->name, v);
            return REG_ERR_INVALID;
        }
        return REG_OK;
    case SET_TIME:
        if (*v == '\0') {
            *(int64_t *)field(cfg, d) = 0;
            return REG_OK;
        }
        if (clock_parse(v, &num)) {
            snprintf(why, n, "%s.%s: \"%s\" is not a time like 2027-01-01T00:00:00Z", d->section,
                     d->name, v);
            return REG_ERR_INVALID;
        }
        *(int64_t *)field(cfg, d) = num;
        return REG_OK;
    case SET_INT:
    case SET_DURATION: {
        reg_err e = REG_OK;
        if (d->type == SET_DURATION) {
            e = settings_parse_duration(v, &num);
        } else {
            char *end;
            errno = 0;
            num = strtoll(v, &end, 10);
            if (end == v || *end || errno)
                e = REG_ERR_SYNTAX;
        }
        if (e) {
            snprintf(why, n, "%s.%s: \"%s\" is not %s", d->section, d->name, v,
                     d->type == SET_DURATION ? "a duration (e.g. 300s, 5m, 48h, 14d)" : "an integer");
            return REG_ERR_INVALID;
        }
        if (num < d->min || num > d->max) {
            snprintf(why, n, "%s.%s: %s is out of range %lld..%lld", d->section, d->name, v,
                     (long long)d->min, (long long)d->max);
            return REG_ERR_RANGE;
        }
        *(int64_t *)field(cfg, d) = num;
        return REG_OK;
    }
    }
    return REG_ERR_INTERNAL;
}

static const setting_def *find(const settings_table *t, const char *section, const char *name)
{
    for (size_t i = 0; i < t->count; i++)
        if (!strcmp(t->defs[i].section, section) && !strcmp(t->defs[i].name, name))
            return &t->defs[i];
    return NULL;
}

static bool section_known(const settings_table *t, const char *section)
{
    for (size_t i = 0; i < t->count; i++)
        if (!strcmp(t->defs[i].section, section))
            return true;
    return false;
}

reg_err settings_defaults(const settings_table *t, void *cfg, char *err, size_t errlen)
{
    for (size_t i = 0; i < t->count; i++) {
        reg_err e = apply(&t->defs[i], cfg, t->defs[i].def, err, errlen);
        if (e)
            return e;
    }
    return REG_OK;
}

reg_err settings_set(const settings_table *t, void *cfg, const char *key, const char *value,
                     char *err, size_t errlen)
{
    char sec[64];
    const char *dot = strchr(key, '.');
    if (!dot || (size_t)(dot - key) >= sizeof sec) {
        snprintf(err, errlen, "\"%s\" is not section.name", key);
        return REG_ERR_INVALID;
    }
    memcpy(sec, key, (size_t)(dot - key));
    sec[dot - key] = '\0';
    const setting_def *d = find(t, sec, dot + 1);
    if (!d) {
        snprintf(err, errlen, "unknown setting \"%s\"", key);
        return REG_ERR_INVALID;
    }
    return apply(d, cfg, value, err, errlen);
}

reg_err settings_load_file(const settings_table *t, void *cfg, const char *path, char *err,
                           size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return REG_ERR_IO;
    }
    char line[4096], section[64] = "", why[SETTINGS_ERRLEN];
    int lineno = 0;
    reg_err e = REG_OK;
    while (!e && fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s:%d: line longer than %zu characters", path, lineno,
                     sizeof line - 2);
            e = REG_ERR_LIMIT;
            break;
        }
        char *s = trim(line);
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1] != '\0' || (size_t)(close - s - 1) >= sizeof section) {
                snprintf(err, errlen, "%s:%d: malformed section header (want [name])", path, lineno);
                e = REG_ERR_SYNTAX;
                break;
            }
            *close = '\0';
            snprintf(section, sizeof section, "%s", trim(s + 1));
            if (!section_known(t, section)) {
                snprintf(err, errlen, "%s:%d: unknown section [%s]", path, lineno, section);
                e = REG_ERR_INVALID;
            }
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected name = value", path, lineno);
            e = REG_ERR_SYNTAX;
            break;
        }
        *eq = '\0';
        char *name = trim(s), *value = trim(eq + 1);
        size_t vl = strlen(value);
        if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
            value[vl - 1] = '\0';
            value++;
        }
        if (!*section) {
            snprintf(err, errlen, "%s:%d: \"%s\" is outside any [section]", path, lineno, name);
            e = REG_ERR_SYNTAX;
            break;
        }
        const setting_def *d = find(t, section, name);
        if (!d) {
            snprintf(err, errlen, "%s:%d: unknown setting \"%s\" in [%s]", path, lineno, name,
                     section);
            e = REG_ERR_INVALID;
            break;
        }
        e = apply(d, cfg, value, why, sizeof why);
        if (e)
            snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
    }
    fclose(f);
    return e;
}

static void show_value(const setting_def *d, const void *cfg, FILE *out)
{
    const void *p = cfield(cfg, d);
    char ts[REG_TIME_STRLEN];
    switch (d->type) {
    case SET_STRING:
    case SET_ENUM:
    case SET_ADDR: {
        const char *s = *(char *const *)p;
        fprintf(out, "%s", s ? s : "");
        break;
    }
    case SET_BOOL:
        fprintf(out, "%s", *(const bool *)p ? "true" : "false");
        break;
    case SET_TIME:
        if (*(const int64_t *)p)
            fprintf(out, "%s", clock_format(*(const int64_t *)p, ts, sizeof ts));
        break;
    case SET_DURATION: {
        int64_t v = *(const int64_t *)p;
        if (v && v % 86400 == 0)
            fprintf(out, "%lldd", (long long)(v / 86400));
        else if (v && v % 3600 == 0)
            fprintf(out, "%lldh", (long long)(v / 3600));
        else
            fprintf(out, "%llds", (long long)v);
        break;
    }
    case SET_INT:
        fprintf(out, "%lld", (long long)*(const int64_t *)p);
        break;
    }
}

void settings_show(const settings_table *t, const void *cfg, FILE *out)
{
    const char *section = NULL;
    for (size_t i = 0; i < t->count; i++) {
        const setting_def *d = &t->defs[i];
        if (!section || strcmp(section, d->section)) {
            fprintf(out, "%s[%s]\n", section ? "\n" : "", d->section);
            section = d->section;
        }
        if (d->secret && d->type == SET_STRING && *(char *const *)cfield(cfg, d) &&
            **(char *const *)cfield(cfg, d)) {
            fprintf(out, "# %s\n# %s = (set; not shown)\n", d->doc, d->name);
            continue;
        }
        fprintf(out, "# %s\n%s = ", d->doc, d->name);
        show_value(d, cfg, out);
        fputc('\n', out);
    }
}

void settings_free(const settings_table *t, void *cfg)
{
    for (size_t i = 0; i < t->count; i++) {
        const setting_def *d = &t->defs[i];
        if (d->type == SET_STRING || d->type == SET_ENUM || d->type == SET_ADDR) {
            char **slot = field(cfg, d);
            free(*slot);
            *slot = NULL;
        }
    }
}
