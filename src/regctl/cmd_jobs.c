#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "jobs/jobs.h"
#include "registry/job_run.h"
#include "regctl.h"

static int cmd_list(struct regctl *ctl, int argc, char **argv);
static int cmd_run(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_jobs_cmds[] = {
    {"list", cmd_list, "jobs list", "list the scheduled jobs and when each last ran"},
    {"run", cmd_run, "jobs run [--now TIME] [--force] [JOB]",
     "run every due job (or JOB) once, at TIME if given; --force runs it even if not due"},
    {NULL, NULL, NULL, NULL},
};

static int cmd_list(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 1)
        return regctl_usage_error(&regctl_jobs_cmds[0], "unexpected argument \"%s\"", argv[1]);
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    printf("%-20s %-9s %-20s %-7s %s\n", "JOB", "INTERVAL", "LAST RUN", "STATUS", "WHAT IT DOES");
    for (size_t i = 0; i < job_count; i++) {
        const struct job *j = &job_table[i];
        struct job_run r;
        reg_status st = {0};
        if (job_run_last(d, j->name, &r, &st))
            return regctl_fail("jobs list", "%s", reg_status_text(&st));
        char last[REG_TIME_STRLEN] = "never";
        if (r.ran)
            clock_format(r.last_start, last, sizeof last);
        printf("%-20s %-9lld %-20s %-7s %s\n", j->name, (long long)job_interval(j, &ctl->cfg), last,
               r.last_status[0] ? r.last_status : "-", j->doc);
    }
    return 0;
}

static void print_report(const struct job_report *r, void *arg)
{
    (void)arg;
    printf("%-20s %-8s %s\n", r->job->name, job_outcome_name(r->outcome), r->message);
}

/* A long run's progress as it goes (a batch job: at most a line a second). */
static void print_progress(const struct job_report *r, void *arg)
{
    (void)arg;
    printf("%-20s %-8s %s\n", r->job->name, "running", r->message);
    fflush(stdout);
}

static int cmd_run(struct regctl *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{"force", no_argument, 0, 'f'}, {0, 0, 0, 0}};
    struct jobs_request req = {.now = clock_now(), .report = print_report,
                               .progress = print_progress};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'f')
            return regctl_usage_error(&regctl_jobs_cmds[1], "unknown option \"%s\"",
                                      argv[optind - 1]);
        req.force = true;
    }
    if (argc - optind > 1)
        return regctl_usage_error(&regctl_jobs_cmds[1], "give at most one JOB");
    req.only = optind < argc ? argv[optind] : NULL;
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    reg_status st = {0};
    if (jobs_run(d, &ctl->cfg, &req, &st))
        return regctl_fail("jobs run", "%s", reg_status_text(&st));
    return 0;
}
