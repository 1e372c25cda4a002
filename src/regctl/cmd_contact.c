#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "notify/templates.h"
#include "registry/contact.h"
#include "registry/linked.h"
#include "regctl.h"

/* regctl contact: what staff see of a contact, and the language of the
 * registry's messages to it (docs/operations.md "Mail"). */
static int cmd_show(struct regctl *ctl, int argc, char **argv);
static int cmd_lang(struct regctl *ctl, int argc, char **argv);
static int cmd_link(struct regctl *ctl, int argc, char **argv);
static int cmd_unlink(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_contact_cmds[] = {
    {"show", cmd_show, "contact show HANDLE [--history N]",
     "everything EPP info shows of a contact to its sponsor, whether it has auth info (never the "
     "secret), its identity check, language and transfer, and its last N history versions (10)"},
    {"lang", cmd_lang, "contact lang HANDLE [en|da|nb|et|auto]",
     "show or set the language of the registry's mail and SMS to a contact; auto = by the "
     "country of its address, else [mail] language"},
    {"link", cmd_link, "contact link HANDLE --registrar REGISTRAR",
     "link a contact to a registrar: its domains and name servers are then managed in that "
     "registrar's portal, and it can no longer log in to self-service"},
    {"unlink", cmd_unlink, "contact unlink HANDLE",
     "end a contact's link to a registrar (it can log in to self-service again)"},
    {NULL, NULL, NULL, NULL},
};

/* "da (automatic: address in DK)" / "nb (set by staff)" */
static void lang_text(const struct contact *c, const struct registry_policy *policy, char *out,
                      size_t n)
{
    const struct contact_postal *p = c->d.postal[CONTACT_LOC].present ? &c->d.postal[CONTACT_LOC]
                                                                      : &c->d.postal[CONTACT_INT];
    const char *cc = p->present ? p->cc : NULL;
    const char *lang = template_lang_for(c->lang, cc, policy->language);
    if (c->lang[0])
        snprintf(out, n, "%s (set by staff)", lang);
    else if (cc && strcmp(lang, template_lang_for(NULL, NULL, policy->language)))
        snprintf(out, n, "%s (automatic: address in %s)", lang, cc);
    else
        snprintf(out, n, "%s (automatic: [mail] language)", lang);
}

static const char *opt(const char *s) { return s && *s ? s : NULL; }

static void print_postal(const struct contact_postal *p, const char *type)
{
    char key[32], addr[1024] = "";
    size_t o = 0;
    if (!p->present)
        return;
    snprintf(key, sizeof key, "name (%s)", type);
    regctl_field(key, "%s", p->name ? p->name : "-");
    if (opt(p->org)) {
        snprintf(key, sizeof key, "org (%s)", type);
        regctl_field(key, "%s", p->org);
    }
    const char *parts[] = {p->street[0], p->street[1], p->street[2], p->pc, p->city, p->sp, p->cc};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0] && o < sizeof addr; i++)
        if (opt(parts[i]))
            o += (size_t)snprintf(addr + o, sizeof addr - o, "%s%s", o ? ", " : "", parts[i]);
    snprintf(key, sizeof key, "address (%s)", type);
    regctl_field(key, "%s", addr);
}

static void print_phone(const char *key, const char *number, const char *ext)
{
    if (opt(number) && opt(ext))
        regctl_field(key, "%s ext. %s", number, ext);
    else if (opt(number))
        regctl_field(key, "%s", number);
}

static void print_contact(const struct contact *c, const struct registry_policy *policy)
{
    char t1[REG_TIME_STRLEN], buf[256];
    regctl_field("contact", "%s", c->handle);
    regctl_field("roid", "%s", c->roid);
    regctl_show_statuses(&c->status);
    if (!c->status.n)
        regctl_field("status", "ok");
    if (c->linked)
        regctl_field("status", "linked");
    if (c->d.kind)
        regctl_field("type", "%s", c->d.kind);
    print_postal(&c->d.postal[CONTACT_INT], "int");
    print_postal(&c->d.postal[CONTACT_LOC], "loc");
    print_phone("voice", c->d.voice, c->d.voice_x);
    print_phone("fax", c->d.fax, c->d.fax_x);
    print_phone("mobile", c->d.mobile, NULL);
    regctl_field("email", "%s", c->d.email ? c->d.email : "-");
    if (c->d.ident_type)
        regctl_field("ident", "%s %s%s%s%s", c->d.ident_type, c->d.ident_value ? c->d.ident_value : "",
                     opt(c->d.ident_cc) ? " (" : "", opt(c->d.ident_cc) ? c->d.ident_cc : "",
                     opt(c->d.ident_cc) ? ")" : "");
    if (c->d.has_disclose) {
        contact_disclose_format(c->d.disclose, buf, sizeof buf);
        regctl_field("disclose", "flag %d: %s", c->d.disclose_flag, buf[0] ? buf : "-");
    } else {
        regctl_field("disclose", "none given (the registry's default)");
    }
    regctl_field("sponsor", "%s", c->sponsor);
    regctl_field("linked to", "%s", c->linked_registrar[0] ? c->linked_registrar : "-");
    regctl_field_time("created", c->created_at, c->creator);
    regctl_field_time("updated", c->updated_at, c->updater);
    regctl_field_time("transferred", c->transferred_at, NULL);
    regctl_field("auth info", "%s", c->authinfo_set ? "set (never shown)" : "none");
    regctl_field("identity check", "%s", c->idcheck_state[0] ? c->idcheck_state : "none");
    if (c->idcheck_deadline)
        regctl_field("identity deadline", "%s", regctl_time(c->idcheck_deadline, t1));
    if (c->idcheck_at)
        regctl_field("identity decided", "%s by %s%s%s, %s", regctl_time(c->idcheck_at, t1),
                     c->idcheck_by[0] ? c->idcheck_by : "-", c->idcheck_method[0] ? " via " : "",
                     c->idcheck_method, c->idcheck_note ? c->idcheck_note : "no note");
    lang_text(c, policy, buf, sizeof buf);
    regctl_field("language", "%s", buf);
}

static int cmd_show(struct regctl *ctl, int argc, char **argv)
{
    struct regctl_show show;
    int rc;
    if (!regctl_show_open(ctl, &regctl_contact_cmds[0], argc, argv, &show, &rc))
        return rc;
    struct reg_op *op = &show.s.op;
    struct contact c;
    reg_status st = {0};
    reg_err e = contact_info(op, show.name, NULL, &c, &st); /* staff see all */
    if (e)
        return regctl_session_close(&show.s, show.what, e, &st);
    print_contact(&c, &show.s.policy);
    struct contact_transfer_info t;
    bool pending;
    e = contact_transfer(op, CONTACT_XFER_QUERY, c.handle, NULL, &t, &pending, &st);
    if (e == REG_ERR_NOT_PENDING) { /* never asked */
        e = REG_OK;
        t.status[0] = '\0';
    }
    if (!e)
        regctl_show_transfer(t.status, t.gaining, t.losing, t.requested_at, t.action_at);
    if (!e)
        e = regctl_show_history(op->db, "contact", c.handle, show.history, &st);
    contact_free(&c);
    return regctl_session_close(&show.s, show.what, e, &st);
}

static int cmd_lang(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_contact_cmds[1];
    if (argc < 2 || argc > 3 || argv[1][0] == '-')
        return regctl_usage_error(me, "give a contact HANDLE and optionally a language");
    const char *lang = argc == 3 ? argv[2] : NULL;
    if (lang && strcmp(lang, "auto") && !template_lang_known(lang))
        return regctl_usage_error(me, "language \"%s\" is not en, da, nb, et or auto", lang);
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, "contact lang", true))
        return EXIT_FAIL;
    reg_status st = {0};
    bool changed = false;
    struct contact c;
    memset(&c, 0, sizeof c);
    reg_err e = REG_OK;
    if (lang)
        e = contact_set_lang(&s.op, argv[1], lang, &changed, &st);
    if (!e)
        e = contact_info(&s.op, argv[1], NULL, &c, &st);
    if (!e) {
        char text[128];
        lang_text(&c, &s.policy, text, sizeof text);
        printf("%s: %s\n", c.handle, text);
    }
    contact_free(&c);
    return regctl_session_close(&s, "contact lang", e, &st);
}

/* link and unlink: one contact, changed in a staff session, then its link. */
static int link_change(struct regctl *ctl, const struct regctl_cmd *me, const char *handle,
                       const char *registrar)
{
    const char *what = registrar ? "contact link" : "contact unlink";
    char norm[CONTACT_ID_MAX + 1];
    reg_status st = {0};
    if (names_contact_lookup(handle, norm, &st))
        return regctl_usage_error(me, "%s", st.reason);
    struct regctl_session s;
    if (!regctl_session_open(ctl, &s, what, true))
        return EXIT_FAIL;
    struct contact_link_info info;
    reg_err e = registrar ? contact_link(&s.op, norm, registrar, &st)
                          : contact_unlink(&s.op, norm, 0, &st);
    if (!e)
        e = contact_link_info(s.db, norm, &info, &st);
    if (!e && info.linked)
        printf("contact %s linked to %s (%s)\n", norm, info.registrar, info.registrar_name);
    else if (!e)
        printf("contact %s is not linked\n", norm);
    return regctl_session_close(&s, what, e, &st);
}

static int cmd_link(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = regctl_cmd_named(regctl_contact_cmds, "link");
    static const struct option opts[] = {{"registrar", required_argument, 0, 'r'},
                                         {0, 0, 0, 0}};
    const char *registrar = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'r')
            return regctl_usage_error(me, "unknown or incomplete option \"%s\"", argv[optind - 1]);
        registrar = optarg;
    }
    if (optind != argc - 1)
        return regctl_usage_error(me, "give exactly one contact HANDLE");
    if (!registrar)
        return regctl_usage_error(me, "--registrar is required");
    return link_change(ctl, me, argv[optind], registrar);
}

static int cmd_unlink(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = regctl_cmd_named(regctl_contact_cmds, "unlink");
    if (argc != 2 || argv[1][0] == '-')
        return regctl_usage_error(me, "give exactly one contact HANDLE");
    return link_change(ctl, me, argv[1], NULL);
}
