/* What the show commands share (domain show, contact show, host show):
 * the "key: value" lines, their arguments and the history summary. */
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/history.h"
#include "registry/status.h"
#include "regctl.h"

#define SHOW_HISTORY_DEFAULT 10

void regctl_field(const char *key, const char *fmt, ...)
{
    char label[64];
    va_list ap;
    snprintf(label, sizeof label, "%s:", key);
    printf("%-20s ", label);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

void regctl_field_time(const char *key, reg_time t, const char *by)
{
    char ts[REG_TIME_STRLEN];
    if (t && by && *by)
        regctl_field(key, "%s by %s", regctl_time(t, ts), by);
    else
        regctl_field(key, "%s", regctl_time(t, ts));
}

static int show_args(const struct regctl_cmd *me, int argc, char **argv, const char **name,
                     int64_t *history)
{
    static const struct option opts[] = {{"history", required_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    char *end;
    *history = SHOW_HISTORY_DEFAULT;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'h')
            return regctl_usage_error(me, "unknown or incomplete option \"%s\"", argv[optind - 1]);
        *history = strtoll(optarg, &end, 10);
        if (*end || end == optarg || *history < 0)
            return regctl_usage_error(me, "--history takes a number of versions, not \"%s\"",
                                      optarg);
    }
    if (optind != argc - 1)
        return regctl_usage_error(me, "give exactly one name");
    *name = argv[optind];
    return 0;
}

bool regctl_show_open(struct regctl *ctl, const struct regctl_cmd *me, int argc, char **argv,
                      struct regctl_show *show, int *rc)
{
    /* "domain show NAME …" names the command "domain show" */
    const char *arg = strchr(me->usage, ' ');
    arg = arg ? strchr(arg + 1, ' ') : NULL;
    snprintf(show->what, sizeof show->what, "%.*s",
             (int)(arg ? arg - me->usage : (ptrdiff_t)strlen(me->usage)), me->usage);
    if ((*rc = show_args(me, argc, argv, &show->name, &show->history)))
        return false;
    if (!regctl_session_snapshot(ctl, &show->s, show->what)) {
        *rc = EXIT_FAIL;
        return false;
    }
    return true;
}

void regctl_show_statuses(const struct status_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        const struct status_entry *s = &set->items[i];
        if (s->message && *s->message)
            regctl_field("status", "%s (%s)", s->name, s->message);
        else
            regctl_field("status", "%s", s->name);
    }
}

struct history_summary {
    int64_t total, last;
    const char *key;
    bool headed;
};

static void print_version(const struct history_version *v, void *arg)
{
    struct history_summary *h = arg;
    if (!h->headed) {
        if (h->last < h->total)
            printf("\nhistory, the last %lld of %lld versions (all: regctl history %s):\n",
                   (long long)h->last, (long long)h->total, h->key);
        else
            printf("\nhistory, %lld version%s:\n", (long long)h->total, h->total == 1 ? "" : "s");
        if (h->last) {
            fputs("  ", stdout);
            regctl_history_header();
        }
        h->headed = true;
    }
    if (h->last) {
        fputs("  ", stdout);
        regctl_history_version(v, false);
    }
}

reg_err regctl_show_history(db *d, const char *kind, const char *key, int64_t last,
                            reg_status *st)
{
    struct history_summary h = {.last = last, .key = key};
    /* with last 0 one version is read all the same, for the heading */
    if (history_each_last(d, kind, key, last ? last : 1, &h.total, print_version, &h, st))
        return st->code;
    if (!h.total)
        printf("\nhistory: none\n");
    return REG_OK;
}

void regctl_show_transfer(const char *status, const char *gaining, const char *losing,
                          reg_time requested_at, reg_time action_at)
{
    char t1[REG_TIME_STRLEN], t2[REG_TIME_STRLEN];
    if (!status[0])
        regctl_field("transfer", "none requested");
    else if (!strcmp(status, "pending"))
        regctl_field("transfer", "pending: %s asked on %s to take it from %s; approved "
                     "automatically at %s unless %s answers",
                     gaining, regctl_time(requested_at, t1), losing, regctl_time(action_at, t2),
                     losing);
    else
        regctl_field("last transfer", "%s: %s asked on %s to take it from %s; decided %s", status,
                     gaining, regctl_time(requested_at, t1), losing, regctl_time(action_at, t2));
}
