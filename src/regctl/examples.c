/* One example for every command's --help and regctl(8), kept apart from
 * the command tables so they stay short; tests/system/test_ops.py checks
 * that every command has one. */
#include <string.h>

#include "regctl.h"

#define REGISTRANT_INVOICE_EXAMPLE "r" "4711"

static const struct {
    const char *command, *example;
} examples[] = {
    {"init", "regctl --config /etc/registryd/registryd.conf init --demo"},
    {"registrar add", "regctl registrar add REG1 --name \"Registrar One A/S\" --email "
                      "ops@one.example --allow-ip 192.0.2.0/24"},
    {"registrar list", "regctl registrar list"},
    {"registrar show", "regctl registrar show REG1"},
    {"registrar passwd", "regctl registrar passwd REG1"},
    {"registrar disable", "regctl registrar disable REG1"},
    {"registrar enable", "regctl registrar enable REG1"},
    {"registrar billing", "regctl registrar billing REG1 --credit-limit 500.00 --low-balance "
                          "1000.00"},
    {"registrar set", "regctl registrar set REG1 --dnssec yes --url https://reg1.example --phone +45.70201234"},
    {"registrar delete", "regctl registrar delete TEST-REG"},
    {"portal-user add", "regctl portal-user add REG1 anna@reg1 --email anna@one.example "
                        "--role administrator,nameserver_manager"},
    {"portal-user list", "regctl portal-user list REG1"},
    {"portal-user disable", "regctl portal-user disable anna@reg1"},
    {"portal-user enable", "regctl portal-user enable anna@reg1"},
    {"portal-user roles", "regctl portal-user roles anna@reg1 registrar,payer"},
    {"portal-user reset", "regctl portal-user reset anna@reg1 --totp"},
    {"jobs list", "regctl jobs list"},
    {"jobs run", "regctl jobs run --now 2027-03-01T00:00:00Z lifecycle"},
    {"db migrate", "regctl db migrate"},
    {"db version", "regctl db version"},
    {"db backup", "regctl db backup /var/backups/registryd/registry-$(date +%F).db"},
    {"db restore", "regctl db restore /var/backups/registryd/registry-2027-03-01.db"},
    {"config show", "regctl --config /etc/registryd/registryd.conf config show"},
    {"config check", "regctl --config /etc/registryd/registryd.conf config check"},
    {"config example", "regctl config example > /etc/registryd/registryd.conf"},
    {"config man", "regctl config man | man -l -"},
    {"epp-log", "regctl epp-log --svtrid RD-5f3a9c1e-1042"},
    {"poll send", "regctl poll send REG1 --message \"Maintenance on 2027-03-01 02:00 UTC\""},
    {"poll list", "regctl poll list REG1"},
    {"history", "regctl history example.dk"},
    {"status add", "regctl status add domain example.dk serverHold --message \"court order\""},
    {"status rem", "regctl status rem domain example.dk serverHold"},
    {"outbox list", "regctl outbox list failed"},
    {"outbox retry", "regctl outbox retry 42"},
    {"outbox test", "regctl outbox test --email hostmaster@example.dk"},
    {"outbox templates", "regctl outbox templates /etc/registryd/texts"},
    {"contact show", "regctl contact show REG1:HOLDER"},
    {"contact lang", "regctl contact lang REG1:HOLDER da"},
    {"contact link", "regctl contact link REG1:NS-ADMIN --registrar REG1"},
    {"contact unlink", "regctl contact unlink REG1:NS-ADMIN"},
    {"authinfo request", "regctl authinfo request example.dk --note \"asked by phone\""},
    {"authinfo done", "regctl authinfo done example.dk"},
    {"authinfo list", "regctl authinfo list --all"},
    {"authinfo overdue", "regctl authinfo overdue"},
    {"otp manual", "regctl otp manual example.dk --registrar REG2 --email new@example.com "
                   "--documents \"passport copy, received 2027-03-01\""},
    {"otp list", "regctl otp list example.dk"},
    {"otp manual-list", "regctl otp manual-list"},
    {"pepper status", "regctl --config /etc/registryd/registryd.conf pepper status"},
    {"account show", "regctl account show ACC-1"},
    {"account credentials", "regctl account credentials ACC-1 --slot a1 --ttl 3d"},
    {"idcheck verify", "regctl idcheck verify REG1:HOLDER --method documents --note "
                       "\"passport seen by JH\""},
    {"idcheck fail", "regctl idcheck fail REG1:HOLDER --method documents --note \"forged\""},
    {"idcheck eid", "regctl idcheck eid REG1:HOLDER --evidence EVIDENCE"},
    {"idcheck list", "regctl idcheck list --state pending"},
    {"price set", "regctl price set create 150.00 --from 2027-01-01"},
    {"price check", "regctl price check"},
    {"price list", "regctl price list --registrar REG1"},
    {"credit add", "regctl credit add REG1 1000.00 --text \"bank transfer ref 4711\""},
    {"credit adjust", "regctl credit adjust REG1 -5.00 --text \"bank charges\""},
    {"credit refund", "regctl credit refund REG1 15.00 --text goodwill --object example.dk"},
    {"balance", "regctl balance REG1"},
    {"statement", "regctl statement REG1 --from 2027-01-01 --to 2027-01-31 --csv"},
    {"ledger verify", "regctl ledger verify"},
    {"fee charge", "regctl fee charge REG1 200.00 --text \"manual handling\" --object "
                   "example.dk"},
    {"invoice run", "regctl invoice run --month 2027-01"},
    {"invoice list", "regctl invoice list --registrar REG1"},
    {"invoice show", "regctl invoice show 7 --html > invoice-7.html"},
    /* a registrant invoice's number, its prefix in lower case (accepted
     * too) so that neither the help nor this source reads as a rule id */
    {"invoice paid", "regctl invoice paid " REGISTRANT_INVOICE_EXAMPLE
                     " --reference \"bank 2027-02-03 ref 88123\""},
    {"domain show", "regctl domain show example.dk --history 20"},
    {"domain management", "regctl domain management example.dk registrant"},
    {"host show", "regctl host show ns1.example.dk"},
    {"report dnssec", "regctl report dnssec"},
    {"zone export", "regctl zone export --out /tmp/dk.zone"},
    {"zone status", "regctl zone status"},
    {"zone diff", "regctl zone diff | less"},
};

const char *regctl_example(const char *group, const struct regctl_cmd *cmd)
{
    size_t gl = strlen(group);
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        const char *c = examples[i].command;
        if (strncmp(c, group, gl) || (c[gl] && c[gl] != ' '))
            continue;
        if ((!*cmd->name && !c[gl]) || (*cmd->name && c[gl] == ' ' && !strcmp(c + gl + 1, cmd->name)))
            return examples[i].example;
    }
    return NULL;
}
