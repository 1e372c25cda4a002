/* regctl report: compliance reports over the registry's data. */
#include <stdio.h>

#include "registry/registrar_services.h"
#include "regctl.h"

static int cmd_dnssec(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_report_cmds[] = {
    {"dnssec", cmd_dnssec, "report dnssec",
     "registrars that offer name service without DNSSEC (those that offer name service must "
     "offer DNSSEC); exit 0 either way"},
    {NULL, NULL, NULL, NULL},
};

static void print_gap(const char *handle, const char *name, void *arg)
{
    int *n = arg;
    printf("%-16s %s\n", handle, name);
    (*n)++;
}

static int cmd_dnssec(struct regctl *ctl, int argc, char **argv)
{
    if (argc != 1)
        return regctl_usage_error(&regctl_report_cmds[0], "unexpected argument \"%s\"", argv[1]);
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    printf("registrars that offer name service without DNSSEC:\n");
    printf("%-16s %s\n", "HANDLE", "NAME");
    int n = 0;
    reg_status st = {0};
    if (registrar_dnssec_gap_each(d, print_gap, &n, &st))
        return regctl_fail("report dnssec", "%s", reg_status_text(&st));
    if (!n)
        printf("none\n");
    return 0;
}
