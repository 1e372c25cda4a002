/* regctl host: what staff see of a host object. */
#include <stdio.h>

#include "registry/host.h"
#include "regctl.h"

static int cmd_show(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_host_cmds[] = {
    {"show", cmd_show, "host show NAME [--history N]",
     "everything EPP info shows of a host (name server): statuses, addresses, sponsor, dates, "
     "its superordinate domain and administrative contact, and its last N history versions "
     "(10)"},
    {NULL, NULL, NULL, NULL},
};

static void print_host(const struct host *h)
{
    regctl_field("host", "%s", h->name);
    regctl_field("roid", "%s", h->roid);
    regctl_show_statuses(&h->status);
    if (!h->status.n)
        regctl_field("status", "ok");
    if (h->linked)
        regctl_field("status", "linked");
    for (size_t i = 0; i < h->naddrs; i++)
        regctl_field("address", "%s (v%d)", h->addrs[i].addr, h->addrs[i].version);
    if (!h->naddrs)
        regctl_field("address", "none");
    regctl_field("superordinate", "%s", h->superordinate[0] ? h->superordinate
                                                            : "none (an external host)");
    regctl_field("admin contact", "%s", h->admin[0] ? h->admin : "none");
    regctl_field("sponsor", "%s", h->sponsor);
    regctl_field_time("created", h->created_at, h->creator);
    regctl_field_time("updated", h->updated_at, h->updater);
    regctl_field_time("transferred", h->transferred_at, NULL);
}

static int cmd_show(struct regctl *ctl, int argc, char **argv)
{
    struct regctl_show show;
    int rc;
    if (!regctl_show_open(ctl, &regctl_host_cmds[0], argc, argv, &show, &rc))
        return rc;
    struct host h;
    reg_status st = {0};
    reg_err e = host_info(&show.s.op, show.name, &h, &st);
    if (e)
        return regctl_session_close(&show.s, show.what, e, &st);
    print_host(&h);
    e = regctl_show_history(show.s.db, "host", h.name, show.history, &st);
    host_free(&h);
    return regctl_session_close(&show.s, show.what, e, &st);
}
