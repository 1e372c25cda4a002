/* regctl domain: what staff see of a domain and change in it. */
#include <stdio.h>
#include <string.h>

#include "contrib/money.h"
#include "registry/billing.h"
#include "registry/domain.h"
#include "registry/management.h"
#include "registry/pending.h"
#include "regctl.h"

static int cmd_show(struct regctl *ctl, int argc, char **argv);
static int cmd_management(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_domain_cmds[] = {
    {"show", cmd_show, "domain show NAME [--history N]",
     "everything EPP info shows of a domain (U- or A-label) to its sponsor, whether it has auth "
     "info (never the secret), its registrant confirmations and transfer, its last N history "
     "versions (10) and its ledger entries"},
    {"management", cmd_management, "domain management NAME registrar|registrant",
     "change a domain's management model, e.g. on the registrant's request; kept in history, "
     "the registrar gets a poll message and the registrant a mail"},
    {NULL, NULL, NULL, NULL},
};

static void print_domain(const struct domain *d)
{
    char t1[REG_TIME_STRLEN], t2[REG_TIME_STRLEN];
    regctl_field("domain", "%s", d->name.alabel);
    if (d->name.idn)
        regctl_field("u-label", "%s", d->name.ulabel);
    regctl_field("roid", "%s", d->roid);
    regctl_show_statuses(&d->statuses);
    const char *derived[2];
    for (size_t i = 0, n = domain_derived_statuses(d, derived); i < n; i++)
        regctl_field("status", "%s", derived[i]);
    if (d->rgp[0])
        regctl_field("rgp status", "%s since %s, purged at %s", d->rgp,
                     regctl_time(d->delete_requested_at, t1), regctl_time(d->purge_at, t2));
    if (d->pending_action[0])
        regctl_field("awaiting registrant", "%s (see confirmations below)", d->pending_action);
    regctl_field("registrant", "%s", d->registrant);
    for (size_t i = 0; i < d->ncontacts; i++)
        regctl_field("contact", "%s %s", d->contacts[i].role, d->contacts[i].handle);
    for (size_t i = 0; i < d->nns; i++)
        regctl_field("name server", "%s", d->ns[i]);
    if (!d->nns)
        regctl_field("name server", "none");
    for (size_t i = 0; i < d->nsub; i++)
        regctl_field("subordinate host", "%s", d->subordinates[i]);
    for (size_t i = 0; i < d->nds; i++)
        regctl_field("ds", "keyTag %d alg %d digestType %d digest %s", d->ds[i].key_tag,
                     d->ds[i].alg, d->ds[i].digest_type, d->ds[i].digest);
    regctl_field("sponsor", "%s", d->sponsor);
    regctl_field_time("created", d->created_at, d->creator);
    regctl_field_time("updated", d->updated_at, d->updater);
    regctl_field_time("transferred", d->transferred_at, NULL);
    regctl_field_time("expires", d->expires_at, NULL);
    regctl_field("auth info", "%s", d->has_authinfo ? "set (never shown)" : "none");
    regctl_field("management", "%s", d->management);
    if (d->terms_version[0])
        regctl_field("terms", "version %s accepted %s, vouched for by %s", d->terms_version,
                     regctl_time(d->terms_accepted_at, t1), d->terms_registrar);
    else
        regctl_field("terms", "none recorded");
}

static void print_confirmation(const struct pending_view *v, const char *svtrid, void *arg)
{
    char t1[REG_TIME_STRLEN], t2[REG_TIME_STRLEN];
    int *n = arg;
    if (!(*n)++)
        printf("\nregistrant confirmations, newest first:\n");
    printf("  %lld %s %s: asked by %s on %s (svTRID %s), registrant %s to answer by %s",
           (long long)v->id, v->kind, v->state, v->registrar_handle,
           regctl_time(v->requested_at, t1), svtrid[0] ? svtrid : "-",
           v->registrant_handle[0] ? v->registrant_handle : "-", regctl_time(v->expires_at, t2));
    if (v->new_registrant_handle[0])
        printf(", new registrant %s", v->new_registrant_handle);
    if (v->decided_at)
        printf(", decided %s", regctl_time(v->decided_at, t1));
    putchar('\n');
}

struct ledger_listing {
    const char *currency;
    int count;
};

static void print_ledger(const struct ledger_row *r, void *arg)
{
    struct ledger_listing *l = arg;
    char ts[REG_TIME_STRLEN], m[MONEY_FMT_LEN];
    if (!l->count++)
        printf("\nledger entries naming it:\n");
    printf("  %s %-16s %-10s %-9s %2d %14s %s (svTRID %s)\n", clock_format(r->at, ts, sizeof ts),
           r->registrar, r->kind, r->operation ? r->operation : "-", r->years,
           money_format(r->amount, l->currency, m, sizeof m), r->text,
           r->svtrid ? r->svtrid : "-");
}

static int cmd_show(struct regctl *ctl, int argc, char **argv)
{
    struct regctl_show show;
    int rc;
    if (!regctl_show_open(ctl, &regctl_domain_cmds[0], argc, argv, &show, &rc))
        return rc;
    struct reg_op *op = &show.s.op;
    struct domain d;
    reg_status st = {0};
    reg_err e = domain_load_input(op, show.name, &d, NULL, 0, &st);
    if (e)
        return regctl_session_close(&show.s, show.what, e, &st);
    print_domain(&d);
    struct domain_transfer_info t;
    bool pending;
    e = domain_transfer(op, XFER_QUERY, d.name.alabel, NULL, 0, &t, &pending, &st);
    if (e == REG_ERR_NOT_PENDING) { /* never asked */
        e = REG_OK;
        t.status[0] = '\0';
    }
    if (!e)
        regctl_show_transfer(t.status, t.gaining, t.losing, t.requested_at, t.action_at);
    int confirmations = 0;
    if (!e)
        e = pending_each_for_domain(op, d.name.alabel, print_confirmation, &confirmations, &st);
    if (!e && !confirmations)
        printf("\nregistrant confirmations: none\n");
    if (!e)
        e = regctl_show_history(op->db, "domain", d.name.alabel, show.history, &st);
    struct ledger_listing ledger = {.currency = ctl->cfg.billing_currency};
    if (!e)
        e = billing_object_each(op->db, d.name.alabel, d.name.ulabel, print_ledger, &ledger, &st);
    if (!e && !ledger.count)
        printf("\nledger entries naming it: none\n");
    domain_free(&d);
    return regctl_session_close(&show.s, show.what, e, &st);
}

static int cmd_management(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_domain_cmds[1];
    if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-')
        return regctl_usage_error(me, "give a domain NAME and the model");
    if (!management_valid(argv[2]))
        return regctl_usage_error(me, "the model is registrar or registrant, not \"%s\"",
                                  argv[2]);
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "domain management", true))
        return EXIT_FAIL;
    reg_status st = {0};
    reg_err e = domain_set_management(&s.op, argv[1], argv[2], &st);
    int rc = regctl_session_close(&s, "domain management", e, &st);
    if (!rc)
        printf("%s is now %s-managed\n", argv[1], argv[2]);
    return rc;
}
