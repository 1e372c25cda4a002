#include <stdio.h>
#include <string.h>

#include "notify/templates.h"
#include "registry/contact.h"
#include "regctl.h"

/* regctl contact lang HANDLE [LANG]: the language of the registry's
 * messages to a contact (docs/operations.md "Mail"). */
static int cmd_lang(struct regctl *ctl, int argc, char **argv);

const struct regctl_cmd regctl_contact_cmds[] = {
    {"lang", cmd_lang, "contact lang HANDLE [en|da|nb|et|auto]",
     "show or set the language of the registry's mail and SMS to a contact; auto = by the "
     "country of its address, else [mail] language"},
    {NULL, NULL, NULL, NULL},
};

/* "da (automatic: address in DK)" / "nb (set by staff)" */
static void print_lang(const struct contact *c, const struct registry_policy *policy)
{
    const struct contact_postal *p = c->d.postal[CONTACT_LOC].present ? &c->d.postal[CONTACT_LOC]
                                                                      : &c->d.postal[CONTACT_INT];
    const char *cc = p->present ? p->cc : NULL;
    const char *lang = template_lang_for(c->lang, cc, policy->language);
    if (c->lang[0])
        printf("%s: %s (set by staff)\n", c->handle, lang);
    else if (cc && strcmp(lang, template_lang_for(NULL, NULL, policy->language)))
        printf("%s: %s (automatic: address in %s)\n", c->handle, lang, cc);
    else
        printf("%s: %s (automatic: [mail] language)\n", c->handle, lang);
}

static int cmd_lang(struct regctl *ctl, int argc, char **argv)
{
    const struct regctl_cmd *me = &regctl_contact_cmds[0];
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
    if (!e)
        print_lang(&c, &s.policy);
    contact_free(&c);
    return regctl_session_close(&s, "contact lang", e, &st);
}
