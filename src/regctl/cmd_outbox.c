#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/outbox.h"
#include "regctl.h"

/* regctl outbox list|retry: the queue of outgoing mail. */
static int cmd_list(struct regctl *ctl, int argc, char **argv);
static int cmd_retry(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_outbox_cmds[] = {
    {"list", cmd_list, "outbox list [queued|sent|failed]", "list outgoing messages"},
    {"retry", cmd_retry, "outbox retry ID", "queue an unsent message again, due now"},
    {NULL, NULL, NULL, NULL},
};

static void print_msg(const struct outbox_msg *m, void *arg)
{
    (void)arg;
    char ts[REG_TIME_STRLEN];
    printf("%-6lld %-6s %-7s %-3d %s %-30s %s%s%s\n", (long long)m->id, m->channel, m->state,
           m->attempts, clock_format(m->created_at, ts, sizeof ts), m->recipient,
           m->subject ? m->subject : "", m->last_error ? " — " : "",
           m->last_error ? m->last_error : "");
}

static int cmd_list(struct regctl *ctl, int argc, char **argv)
{
    const char *state = argc > 1 ? argv[1] : NULL;
    if (argc > 2 || (state && strcmp(state, "queued") && strcmp(state, "sent") &&
                     strcmp(state, "failed")))
        return regctl_usage_error(&regctl_outbox_cmds[0], "state is queued, sent or failed");
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    reg_status st = {0};
    printf("%-6s %-6s %-7s %-3s %-20s %-30s %s\n", "ID", "VIA", "STATE", "TRY", "QUEUED", "TO",
           "SUBJECT");
    if (outbox_each(d, state, print_msg, NULL, &st))
        return regctl_fail("outbox list", "%s", reg_status_text(&st));
    return 0;
}

static int cmd_retry(struct regctl *ctl, int argc, char **argv)
{
    char *end = NULL;
    long long id = argc == 2 ? strtoll(argv[1], &end, 10) : 0;
    if (argc != 2 || !end || *end || id <= 0)
        return regctl_usage_error(&regctl_outbox_cmds[1], "give one message ID");
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    reg_status st = {0};
    if (outbox_retry(d, id, clock_now(), &st))
        return regctl_fail("outbox retry", "%s", reg_status_text(&st));
    printf("message %lld queued again\n", id);
    return 0;
}
