/* Every text the registry sends (DESIGN §2 notify: templates in en, da, nb,
 * et): one table of {id, language, subject, body} in templates.c, with
 * named placeholders written {name}. The kinds table says, for each id,
 * its channel and the placeholders every language must use, so a missing
 * translation or a mistyped placeholder fails tests/unit/test_templates.c.
 *
 * The language of a message to a contact: the contact's staff override
 * (`regctl contact lang`), else the country of its postal address
 * (template_lang_for), else [mail] language. */
#ifndef REG_TEMPLATES_H
#define REG_TEMPLATES_H

#include <stdbool.h>
#include <stddef.h>
#include "contrib/status.h"

/* The languages, English first (the fallback). */
extern const char *const template_langs[];
#define TEMPLATE_LANG_COUNT 4

enum template_channel {
    TEMPLATE_EMAIL, /* subject and body */
    TEMPLATE_SMS,   /* body only: one text message */
    TEMPLATE_PART,  /* body only: a phrase rendered into another template */
};

struct template_kind {
    const char *id;
    enum template_channel channel;
    const char *placeholders; /* "domain code expiry": every language uses exactly these */
};

struct template {
    const char *id;
    const char *lang;
    const char *subject; /* NULL unless the kind is TEMPLATE_EMAIL */
    const char *body;
};

extern const struct template_kind template_kinds[];
extern const size_t template_kind_count;
extern const struct template templates[];
extern const size_t template_count;

/* en, da, nb or et. */
bool template_lang_known(const char *lang);

/* The language for a contact: `override` when it is one of ours; else by
 * the postal address's country code `cc` (DK, FO, GL → da; NO, SJ → nb;
 * EE → et; any case); else `fallback` when known; else en. Never NULL. */
const char *template_lang_for(const char *override, const char *cc, const char *fallback);

struct template_var {
    const char *name;
    const char *value;
};

struct rendered {
    char *subject; /* NULL for SMS and parts */
    char *body;
};

/* Renders template `id` in `lang` (English if that language has none)
 * with the values of vars. A placeholder without a value is
 * REG_ERR_INTERNAL naming it; values not used are ignored. Free out with
 * rendered_free, also after an error. */
reg_err template_render(const char *id, const char *lang, const struct template_var *vars,
                        size_t nvars, struct rendered *out, reg_status *st);
void rendered_free(struct rendered *r);

/* The placeholder names in text, space-separated in order of first use
 * (for tests and checks); false when a brace is not part of a {name}. */
bool template_placeholders(const char *text, char *out, size_t outlen);

#endif
