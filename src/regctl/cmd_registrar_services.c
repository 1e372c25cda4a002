/* regctl registrar set: a registrar's default management model (R18) and
 * whether it offers name service and DNSSEC (R26). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "registry/linked.h"
#include "registry/registrar.h"
#include "registry/registrar_services.h"
#include "regctl.h"

static const struct regctl_cmd me = {"set", regctl_registrar_set, REGCTL_REGISTRAR_SET_USAGE,
                                     REGCTL_REGISTRAR_SET_HELP};

/* "yes" → 1, "no" → 0, else -1. */
static int yes_no(const char *s)
{
    return !strcmp(s, "yes") ? 1 : !strcmp(s, "no") ? 0 : -1;
}

int regctl_registrar_set(struct regctl *ctl, int argc, char **argv)
{
    static const struct option opts[] = {
        {"management", required_argument, 0, 'm'},
        {"name-service", required_argument, 0, 'n'},
        {"dnssec", required_argument, 0, 'd'},
        {"name", required_argument, 0, 'N'},
        {"email", required_argument, 0, 'e'},
        {"url", required_argument, 0, 'u'},
        {"phone", required_argument, 0, 'p'},
        {"handle", required_argument, 0, 'H'},
        {0, 0, 0, 0},
    };
    struct registrar_services_change c = {.name_service = -1, .dnssec = -1};
    const char *own = NULL; /* --handle: the registrar's own handle (R29) */
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'm':
            if (strcmp(optarg, "registrar") && strcmp(optarg, "registrant"))
                return regctl_usage_error(&me, "--management is registrar or registrant, not "
                                               "\"%s\"", optarg);
            c.default_management = optarg;
            break;
        case 'n':
            if ((c.name_service = yes_no(optarg)) < 0)
                return regctl_usage_error(&me, "--name-service is yes or no, not \"%s\"", optarg);
            break;
        case 'd':
            if ((c.dnssec = yes_no(optarg)) < 0)
                return regctl_usage_error(&me, "--dnssec is yes or no, not \"%s\"", optarg);
            break;
        case 'N':
            c.name = optarg;
            break;
        case 'e':
            c.email = optarg;
            break;
        case 'u':
            c.url = optarg;
            break;
        case 'p':
            c.phone = optarg;
            break;
        case 'H':
            own = optarg;
            break;
        default:
            return regctl_usage_error(&me, "unknown or incomplete option \"%s\"",
                                      argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return regctl_usage_error(&me, "give exactly one HANDLE");
    bool services = c.default_management || c.name_service >= 0 || c.dnssec >= 0 || c.name ||
                    c.email || c.url || c.phone;
    if (!services && !own)
        return regctl_usage_error(&me, "give at least one of --management, --name-service, "
                                       "--dnssec, --name, --email, --url, --phone, --handle");
    db *d = regctl_db(ctl);
    if (!d)
        return EXIT_FAIL;
    reg_status st = {0};
    if (services && registrar_services_set(d, argv[optind], &c, &st))
        return regctl_fail("registrar set", "%s", reg_status_text(&st));
    if (own) {
        struct regctl_session s;
        if (!regctl_session_open(ctl, &s, "registrar set", true))
            return EXIT_FAIL;
        reg_err e = registrar_own_handle_set(&s.op, argv[optind], own, &st);
        int rc = regctl_session_close(&s, "registrar set", e, &st);
        if (rc)
            return rc;
    }
    struct registrar_services s;
    char handle[REGISTRAR_HANDLE_MAX + 1];
    if (registrar_services_get(d, argv[optind], &s, &st) ||
        registrar_handle_normalize(argv[optind], handle, &st))
        return regctl_fail("registrar set", "%s", reg_status_text(&st));
    printf("registrar %s\n", handle);
    if (c.name || c.email || c.url || c.phone) { /* the public details, when any was set */
        struct registrar r;
        if (registrar_get(d, handle, &r, &st))
            return regctl_fail("registrar set", "%s", reg_status_text(&st));
        printf("name: %s\nemail: %s\nurl: %s\nphone: %s\n", r.name, r.email ? r.email : "",
               r.url ? r.url : "", r.phone ? r.phone : "");
        registrar_free(&r);
    }
    printf("default-management: %s\n", s.default_management);
    return regctl_registrar_show_services(d, argv[optind]);
}

int regctl_registrar_show_services(db *d, const char *handle)
{
    struct registrar_services s;
    reg_status st = {0};
    char norm[REGISTRAR_HANDLE_MAX + 1], own[CONTACT_ID_MAX + 1] = "";
    if (registrar_services_get(d, handle, &s, &st) ||
        registrar_handle_normalize(handle, norm, &st) ||
        registrar_own_handle_get(d, registrar_id_by_handle(d, norm), own, &st))
        return regctl_fail("registrar", "%s", reg_status_text(&st));
    printf("own-handle: %s\n", own[0] ? own : "none");
    printf("offers-name-service: %s\noffers-dnssec: %s\n", s.name_service ? "yes" : "no",
           s.dnssec ? "yes" : "no");
    if (s.name_service && !s.dnssec)
        printf("warning: offers name service without DNSSEC\n");
    return 0;
}
