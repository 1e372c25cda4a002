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

/* The placeholders whose values are secrets, in every template: a
 * password ({code}, {password}), a token or a link carrying one ({token},
 * {link}). They may stand only in a body, never in a subject or a part
 * (tests/unit/test_templates.c), so that template_render can say where
 * each value went and the outbox can keep it only until delivery
 * (outbox.h). A new kind of secret gets one of these names. */
#define TEMPLATE_SECRET_PLACEHOLDERS "code link password token"
bool template_placeholder_secret(const char *name, size_t len);

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

#define TEMPLATE_SECRETS_MAX 4

/* Where a secret value is in a rendered body: bytes [start, start + len). */
struct template_span {
    size_t start, len;
};

struct rendered {
    char *subject; /* NULL for SMS and parts */
    char *body;
    size_t nsecrets; /* where the secret placeholders' values are, in order */
    struct template_span secrets[TEMPLATE_SECRETS_MAX];
};

/* Renders template `id` in `lang` (English if that language has none)
 * with the values of vars, noting where the values of secret placeholders
 * went in the body. A placeholder without a value is REG_ERR_INTERNAL
 * naming it, as is a secret placeholder in a subject; values not used are
 * ignored. Free out with rendered_free, also after an error. */
reg_err template_render(const char *id, const char *lang, const struct template_var *vars,
                        size_t nvars, struct rendered *out, reg_status *st);
void rendered_free(struct rendered *r);

/* The registry's name (empty: "The registry" in the mail's language), its
 * support address and the address of its terms (empty: no such line) for
 * the signature every e-mail ends with. Set once at start-up. */
void template_branding_set(const char *name, const char *support, const char *terms_url);

/* The text of a phrase without placeholders (a label.* part) in lang,
 * English when lang has none; id itself if there is no such phrase. */
const char *template_label(const char *id, const char *lang);

/* The operator's own texts ([mail] templates): every file ID.LANG.txt of
 * dir (an e-mail: "Subject: ..." line, an empty line, the body; a phrase
 * or a text message: just its text) replaces ours for that message and
 * language. Each is checked as ours are (a known message and language,
 * UTF-8, exactly the message's placeholders, no secret in a subject);
 * the first file that fails is REG_ERR_INVALID naming it, and then none
 * is used. Other files (not *.txt) are ignored. Set once at start-up;
 * dir NULL or "" clears them. *count: how many were loaded. */
reg_err template_overrides_load(const char *dir, size_t *count, reg_status *st);
void template_overrides_clear(void);

/* Writes every text of ours into dir (made if missing) as ID.LANG.txt, the
 * starting point for [mail] templates; an existing file is an error and
 * left alone. *count: files written. */
reg_err template_export(const char *dir, size_t *count, reg_status *st);

/* The placeholder names in text, space-separated in order of first use
 * (for tests and checks); false when a brace is not part of a {name}. */
bool template_placeholders(const char *text, char *out, size_t outlen);

#endif
