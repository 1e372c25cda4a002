#include "settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/stat.h>

#include "clock.h"
#include "manpage.h"
#include "secret.h"
#include "strutil.h"

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

/* A value as it may be printed (errors, config show): a secret not at
 * all, a URL without its password. */
static const char *printable(const setting_def *d, const char *v, char *buf, size_t n)
{
    if (d->secret)
        return "(the value, not shown)";
    if (d->url && v) {
        str_redact_url(buf, n, v);
        return buf;
    }
    return v;
}

/* Parse v into d's slot; on failure write the reason (without location). */
static reg_err apply(const setting_def *d, void *cfg, const char *v, char *why, size_t n)
{
    int64_t num;
    switch (d->type) {
    case SET_STRING: {
        const char *want = d->check ? d->check(v) : NULL;
        if (want) {
            char safe[1024];
            snprintf(why, n, "%s.%s: \"%s\" is not %s", d->section, d->name,
                     printable(d, v, safe, sizeof safe), want);
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
    /* the line each setting was set on: a second one is a mistake */
    int *set_on = calloc(t->count ? t->count : 1, sizeof *set_on);
    reg_err e = set_on ? REG_OK : REG_ERR_NOMEM;
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
        int *first = &set_on[d - t->defs];
        if (*first) {
            snprintf(err, errlen, "%s:%d: %s.%s is set twice (first on line %d)", path, lineno,
                     d->section, d->name, *first);
            e = REG_ERR_INVALID;
            break;
        }
        *first = lineno;
        e = apply(d, cfg, value, why, sizeof why);
        if (e)
            snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
    }
    free(set_on);
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
        char safe[1024];
        s = d->url ? printable(d, s, safe, sizeof safe) : s;
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

static void write_settings(const settings_table *t, const void *cfg, FILE *out, bool example)
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
        fprintf(out, "# %s\n%s%s = ", d->doc, example ? "#" : "", d->name);
        show_value(d, cfg, out);
        fputc('\n', out);
    }
}

void settings_show(const settings_table *t, const void *cfg, FILE *out)
{
    write_settings(t, cfg, out, false);
}

void settings_example(const settings_table *t, const void *cfg, FILE *out)
{
    write_settings(t, cfg, out, true);
}

static const char *type_text(const setting_def *d, char *buf, size_t n)
{
    switch (d->type) {
    case SET_INT:
        snprintf(buf, n, "an integer, %lld..%lld", (long long)d->min, (long long)d->max);
        break;
    case SET_DURATION:
        snprintf(buf, n, "a duration (90s, 5m, 48h, 14d), %llds..%llds", (long long)d->min,
                 (long long)d->max);
        break;
    case SET_BOOL: snprintf(buf, n, "true or false"); break;
    case SET_ADDR: snprintf(buf, n, "host:port or [v6]:port"); break;
    case SET_TIME: snprintf(buf, n, "a time (RFC 3339) or empty"); break;
    case SET_ENUM: snprintf(buf, n, "one of %s", d->choices); break;
    case SET_STRING: snprintf(buf, n, "text"); break;
    }
    return buf;
}

void settings_man(const settings_table *t, FILE *out)
{
    const char *section = NULL;
    for (size_t i = 0; i < t->count; i++) {
        const setting_def *d = &t->defs[i];
        char head[128], body[1024], type[160];
        if (!section || strcmp(section, d->section)) {
            snprintf(head, sizeof head, "[%s]", d->section);
            fputs(".SS ", out);
            man_text(out, head);
            section = d->section;
        }
        snprintf(head, sizeof head, "%s = %s", d->name, *d->def ? d->def : "(empty)");
        snprintf(body, sizeof body, "%s. Value: %s.", d->doc, type_text(d, type, sizeof type));
        man_item(out, head, body);
    }
}

reg_err settings_read_secret_file(const char *what, const char *path, char **out, char *err,
                                  size_t errlen)
{
    char buf[1024], label[128];
    snprintf(label, sizeof label, "%s:", what); /* "database.password_file: PATH …" */
    reg_err e = secret_file_read(label, path, buf, sizeof buf, err, errlen);
    if (!e) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (!*buf) {
            snprintf(err, errlen, "%s %s is empty (the secret is its first line)", label, path);
            e = REG_ERR_CONFIG;
        } else if (!(*out = strdup(buf))) {
            e = REG_ERR_NOMEM;
        }
    }
    secret_wipe(buf, sizeof buf);
    return e;
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
