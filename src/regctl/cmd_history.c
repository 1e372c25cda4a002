#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "registry/history.h"
#include "registry/names.h"
#include "regctl.h"

/* regctl history OBJECT: every version of a domain, contact, host or
 * account (R40). */
static int cmd_history(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_history_cmds[] = {
    {"", cmd_history, "history [--full] OBJECT",
     "every version of a domain (U- or A-label), contact, host, account or deleted registrar: "
     "when, who, channel, svTRID; --full adds each version's data, field by field, times in "
     "UTC"},
    {NULL, NULL, NULL, NULL},
};

struct print_opts {
    bool full;
    int count;
};

/* A scalar of a snapshot as text: times (history_time_field) in UTC,
 * booleans as yes/no, null as "-". */
static const char *scalar_text(json_t *v, const char *name, char *buf, size_t n)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v) && history_time_field(name)) {
        char ts[REG_TIME_STRLEN];
        snprintf(buf, n, "%s", regctl_time(json_integer_value(v), ts));
    } else if (json_is_integer(v)) {
        snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_boolean(v)) {
        snprintf(buf, n, "%s", json_is_true(v) ? "yes" : "no");
    } else if (json_is_real(v)) {
        snprintf(buf, n, "%g", json_real_value(v));
    } else {
        snprintf(buf, n, "-");
    }
    return buf;
}

/* An array's items on one line: scalars joined by ", ", objects as
 * name=value pairs joined by "; ". */
static void print_items(json_t *a, const char *name)
{
    size_t i;
    json_t *item;
    char buf[64];
    if (!json_array_size(a))
        fputs("-", stdout);
    json_array_foreach(a, i, item) {
        if (!json_is_object(item)) {
            printf("%s%s", i ? ", " : "", scalar_text(item, name, buf, sizeof buf));
            continue;
        }
        const char *k;
        json_t *v;
        bool first = true;
        fputs(i ? "; " : "", stdout);
        json_object_foreach(item, k, v) {
            printf("%s%s=%s", first ? "" : " ", k, scalar_text(v, k, buf, sizeof buf));
            first = false;
        }
    }
}

/* Every field of a snapshot, one "    path: value" line each. */
static void print_fields(json_t *o, const char *path)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        char sub[256], buf[64];
        snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
        if (json_is_object(v) && json_object_size(v)) {
            print_fields(v, sub);
            continue;
        }
        printf("    %s: ", sub);
        if (json_is_array(v))
            print_items(v, k);
        else
            fputs(json_is_object(v) ? "-" : scalar_text(v, k, buf, sizeof buf), stdout);
        putchar('\n');
    }
}

void regctl_history_header(void)
{
    printf("%-3s %-20s %-9s %-16s %-22s %-6s %s\n", "V", "WHEN", "KIND", "ACTION", "WHO", "VIA",
           "SVTRID");
}

void regctl_history_version(const struct history_version *v, bool full)
{
    char ts[REG_TIME_STRLEN];
    printf("%-3lld %s %-9s %-16s %-22s %-6s %s\n", (long long)v->version,
           clock_format(v->at, ts, sizeof ts), v->kind, v->action, v->actor, v->channel,
           v->svtrid ? v->svtrid : "-");
    if (!full)
        return;
    json_t *o = json_loads(v->snapshot, 0, NULL);
    if (json_is_object(o))
        print_fields(o, "");
    else /* not ours to read: as stored */
        printf("    %s\n", v->snapshot);
    json_decref(o);
}

static void print_version(const struct history_version *v, void *arg)
{
    struct print_opts *o = arg;
    regctl_history_version(v, o->full);
    o->count++;
}

static int cmd_history(struct regctl *ctl, int argc, char **argv)
{
    struct print_opts o = {0};
    const char *key = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--full"))
            o.full = true;
        else if (argv[i][0] == '-' || key)
            return regctl_usage_error(&regctl_history_cmds[0], "unexpected argument \"%s\"",
                                      argv[i]);
        else
            key = argv[i];
    }
    if (!key)
        return regctl_usage_error(&regctl_history_cmds[0], "name an OBJECT");
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    /* a domain by its A-label (U-labels converted); hosts are stored
     * lowercase, contacts uppercase */
    struct name_policy np = {.tld = ctl->cfg.tld_name, .allowed_chars = ctl->cfg.tld_allowed_chars};
    struct domain_name dn;
    reg_status ignored;
    if (!names_domain(&np, key, &dn, &ignored))
        key = dn.alabel;
    char lower[256], upper[256];
    size_t n = strlen(key);
    if (n >= sizeof lower)
        return regctl_fail("history", "object name too long");
    for (size_t i = 0; i <= n; i++) {
        lower[i] = (char)(key[i] >= 'A' && key[i] <= 'Z' ? key[i] + 32 : key[i]);
        upper[i] = (char)(key[i] >= 'a' && key[i] <= 'z' ? key[i] - 32 : key[i]);
    }
    regctl_history_header();
    reg_status st = {0};
    if (history_each(d, NULL, lower, print_version, &o, &st) ||
        (strcmp(lower, upper) && history_each(d, NULL, upper, print_version, &o, &st)))
        return regctl_fail("history", "%s", reg_status_text(&st));
    if (!o.count)
        return regctl_fail("history", "no history for %s", key);
    return 0;
}
