#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/outbox.h"
#include "notify/templates.h"
#include "regctl.h"

/* regctl outbox list|retry|test: the queue of outgoing mail and SMS. */
static int cmd_list(struct regctl *ctl, int argc, char **argv);
static int cmd_retry(struct regctl *ctl, int argc, char **argv);
static int cmd_test(struct regctl *ctl, int argc, char **argv);
static int cmd_templates(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_outbox_cmds[] = {
    {"list", cmd_list, "outbox list [queued|sent|failed]", "list outgoing messages"},
    {"retry", cmd_retry, "outbox retry ID", "queue an unsent message again, due now"},
    {"test", cmd_test, "outbox test --email ADDRESS | --sms NUMBER [--lang en|da|nb|et]",
     "queue a test message (template outbox-test) to check the SMTP relay or the SMS gateway; "
     "the outbox-deliver job sends it"},
    {"templates", cmd_templates, "outbox templates DIR",
     "write every built-in mail and SMS text into DIR, one file ID.LANG.txt each, to edit and "
     "name in [mail] templates (existing files are left alone)"},
    {NULL, NULL, NULL, NULL},
};

static void print_msg(const struct outbox_msg *m, void *arg)
{
    (void)arg;
    char ts[REG_TIME_STRLEN];
    /* an SMS has no subject: its text, on one line */
    char text[480];
    snprintf(text, sizeof text, "%s", m->subject ? m->subject : m->body ? m->body : "");
    for (char *p = text; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    printf("%-6lld %-6s %-7s %-3d %s %-30s %s%s%s\n", (long long)m->id, m->channel, m->state,
           m->attempts, clock_format(m->created_at, ts, sizeof ts), m->recipient, text,
           m->last_error ? " — " : "", m->last_error ? m->last_error : "");
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
           "SUBJECT (SMS: TEXT)");
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

static int cmd_test(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_outbox_cmds[2];
    static const struct option opts[] = {{"email", required_argument, 0, 'e'},
                                         {"sms", required_argument, 0, 's'},
                                         {"lang", required_argument, 0, 'l'},
                                         {0, 0, 0, 0}};
    const char *email = NULL, *sms = NULL, *lang = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'e')
            email = optarg;
        else if (c == 's')
            sms = optarg;
        else if (c == 'l')
            lang = optarg;
        else
            return regctl_usage_error(me, "unknown option or missing value \"%s\"",
                                      argv[optind - 1]);
    }
    if (optind != argc || !email == !sms)
        return regctl_usage_error(me, "give either --email ADDRESS or --sms NUMBER");
    if (lang && !template_lang_known(lang))
        return regctl_usage_error(me, "language \"%s\" is not en, da, nb or et", lang);
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    reg_time now = clock_now();
    char when[REG_TIME_STRLEN];
    clock_format(now, when, sizeof when);
    struct template_var var = {"time", when};
    struct rendered text;
    reg_status st = {0};
    reg_err e = template_render(email ? "outbox-test.email" : "outbox-test.sms",
                                template_lang_for(lang, NULL, ctl->cfg.mail_language), &var, 1,
                                &text, &st);
    if (!e)
        e = email ? outbox_email(d, now, email, &text, "test", &st)
                  : outbox_sms(d, now, sms, &text, "test", &st);
    rendered_free(&text);
    if (e)
        return regctl_fail("outbox test", "%s", reg_status_text(&st));
    printf("test %s to %s queued; regctl jobs run --force outbox-deliver sends it\n",
           email ? "mail" : "SMS", email ? email : sms);
    return 0;
}

static int cmd_templates(struct regctl *ctl, int argc, char **argv)
{
    (void)ctl;
    if (argc != 2)
        return regctl_usage_error(&regctl_outbox_cmds[3], "give one directory");
    size_t n = 0;
    reg_status st = {0};
    if (template_export(argv[1], &n, &st))
        return regctl_fail("outbox templates", "%s", reg_status_text(&st));
    printf("%zu texts written to %s\n", n, argv[1]);
    return 0;
}
