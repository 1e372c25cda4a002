#include <stdio.h>

#include "contrib/manpage.h"
#include "contrib/tlsfiles.h"
#include "regctl.h"

static int cmd_show(struct regctl *ctl, int argc, char **argv);
static int cmd_check(struct regctl *ctl, int argc, char **argv);
static int cmd_example(struct regctl *ctl, int argc, char **argv);
static int cmd_man(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_config_cmds[] = {
    {"show", cmd_show, "config show", "print every setting's effective value, with its doc line"},
    {"check", cmd_check, "config check",
     "load the configuration and report the first error; also load the certificate, key and "
     "CA files it names"},
    {"example", cmd_example, "config example",
     "print an example configuration file: every setting with its doc line, commented out at "
     "its default"},
    {"man", cmd_man, "config man", "print registryd.conf(5), the manual page of the settings"},
    {NULL, NULL, NULL, NULL},
};

static int no_arguments(int argc, char **argv, const struct regctl_cmd *me)
{
    return argc != 1 ? regctl_usage_error(me, "unexpected argument \"%s\"", argv[1]) : 0;
}

static int cmd_show(struct regctl *ctl, int argc, char **argv)
{
    int rc = no_arguments(argc, argv, &regctl_config_cmds[0]);
    if (rc)
        return rc;
    printf("# effective configuration (%s)\n",
           ctl->config_path ? ctl->config_path : "built-in defaults; no --config given");
    settings_show(&reg_config_table, &ctl->cfg, stdout);
    return 0;
}

static int cmd_check(struct regctl *ctl, int argc, char **argv)
{
    int rc = no_arguments(argc, argv, &regctl_config_cmds[1]);
    if (rc)
        return rc;
    /* main() already loaded it and would have failed with file:line; here
     * the files it names, as registryd and delivery would load them */
    const struct reg_config *c = &ctl->cfg;
    char err[4400];
    if (!*c->epp_cert && *c->epp_key)
        return regctl_fail("config", "epp.key is set without epp.cert");
    if (*c->epp_cert && tls_check_cert_key(c->epp_cert, c->epp_key, err, sizeof err))
        return regctl_fail("config", "epp: %s", err);
    const char *cas[][2] = {{"mail.ca", c->mail_ca}, {"sms.ca", c->sms_ca}};
    for (size_t i = 0; i < sizeof cas / sizeof cas[0]; i++)
        if (*cas[i][1] && tls_check_ca_file(cas[i][1], err, sizeof err))
            return regctl_fail("config", "%s: %s", cas[i][0], err);
    printf("%s: ok\n", ctl->config_path ? ctl->config_path : "built-in defaults");
    return 0;
}

static int cmd_example(struct regctl *ctl, int argc, char **argv)
{
    (void)ctl;
    int rc = no_arguments(argc, argv, &regctl_config_cmds[2]);
    if (rc)
        return rc;
    struct reg_config defaults;
    char err[SETTINGS_ERRLEN];
    if (config_load(&defaults, NULL, err, sizeof err))
        return regctl_fail("config", "%s", err);
    printf("# registryd.conf: settings of registryd and regctl (registryd.conf(5)).\n"
           "# Every setting is shown commented out at its built-in default; remove the\n"
           "# '#' before a name to change it. A setting may appear once.\n\n");
    settings_example(&reg_config_table, &defaults, stdout);
    config_free(&defaults);
    return 0;
}

static int cmd_man(struct regctl *ctl, int argc, char **argv)
{
    (void)ctl;
    int rc = no_arguments(argc, argv, &regctl_config_cmds[3]);
    if (rc)
        return rc;
    man_header(stdout, "registryd.conf", 5, REG_VERSION, "settings of registryd and regctl");
    man_section(stdout, "SYNOPSIS");
    man_text(stdout, "/etc/registryd/registryd.conf, given to both programs with --config FILE");
    man_section(stdout, "DESCRIPTION");
    man_text(stdout, "One INI file: [section] headers, then name = value lines; # or ; start a "
                     "comment. A setting not in the file keeps its built-in default. An unknown "
                     "section or name, a setting given twice, or a bad value stops registryd "
                     "and regctl with one line naming the file and line. regctl config show "
                     "prints the effective values; regctl config check also loads the "
                     "certificate, key and CA files named. Passwords are never printed: the "
                     "PostgreSQL password of a url is shown as ***, and the password_file and "
                     "token_file settings keep secrets in files of their own (not readable by "
                     "others).");
    man_section(stdout, "SETTINGS");
    settings_man(&reg_config_table, stdout);
    man_section(stdout, "SEE ALSO");
    man_text(stdout, "registryd(8), regctl(8)");
    return 0;
}
