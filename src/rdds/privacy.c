/* The one decision of who sees which registration data (privacy.h). */
#include "privacy.h"

#include <string.h>

#include "registry/contact.h"

const struct rdds_viewer rdds_public = {RDDS_VIEW_PUBLIC, NULL};

bool rdds_privacy_full(const struct rdds_viewer *v, const struct rdds_contact *c)
{
    if (v->kind == RDDS_VIEW_STAFF)
        return true;
    return v->kind == RDDS_VIEW_REGISTRAR && v->registrar && c->sponsor &&
           !strcmp(v->registrar, c->sponsor);
}

/* The disclose bit of a field in the postal form shown; 0 for a field no
 * disclose element names. */
static unsigned disclose_bit(const struct rdds_contact *c, enum rdds_field f)
{
    int form;
    rdds_contact_postal(c, &form);
    bool loc = form == CONTACT_LOC;
    switch (f) {
    case RDDS_F_NAME: return loc ? CONTACT_DISCLOSE_NAME_LOC : CONTACT_DISCLOSE_NAME_INT;
    case RDDS_F_ORG: return loc ? CONTACT_DISCLOSE_ORG_LOC : CONTACT_DISCLOSE_ORG_INT;
    case RDDS_F_STREET:
    case RDDS_F_CITY:
    case RDDS_F_SP:
    case RDDS_F_PC: return loc ? CONTACT_DISCLOSE_ADDR_LOC : CONTACT_DISCLOSE_ADDR_INT;
    case RDDS_F_VOICE: return CONTACT_DISCLOSE_VOICE;
    case RDDS_F_FAX: return CONTACT_DISCLOSE_FAX;
    case RDDS_F_EMAIL: return CONTACT_DISCLOSE_EMAIL;
    default: return 0;
    }
}

static bool is_person(const struct rdds_contact *c)
{
    const char *k = c->d.kind;
    return !k || (strcmp(k, "organization") && strcmp(k, "role"));
}

struct rdds_decision rdds_privacy(const struct rdds_viewer *v, const struct rdds_contact *c,
                                  enum rdds_field f)
{
    static const struct rdds_decision shown = {true, RDDS_SHOWN};
    if (rdds_privacy_full(v, c))
        return shown;
    switch (f) {
    case RDDS_F_CC: return shown; /* a country is no one's address */
    case RDDS_F_MOBILE:
    case RDDS_F_IDENT:
    case RDDS_F_IDCHECK:
    case RDDS_F__COUNT: return (struct rdds_decision){false, RDDS_NEVER_PUBLIC};
    default: break;
    }
    unsigned bit = disclose_bit(c, f);
    if (contact_discloses(&c->d, bit))
        return shown;
    /* why not: asked for explicitly, or the default for its kind */
    if (c->d.has_disclose && c->d.disclose_flag == 0 && (c->d.disclose & bit))
        return (struct rdds_decision){false, RDDS_WITHHELD};
    return (struct rdds_decision){false, is_person(c) ? RDDS_PERSONAL : RDDS_UNPUBLISHED};
}

const char *rdds_reason_text(enum rdds_reason r)
{
    switch (r) {
    case RDDS_SHOWN: return "";
    case RDDS_PERSONAL: return "Personal data of a natural person, not published unless the "
                               "contact chooses to";
    case RDDS_UNPUBLISHED: return "Contact details of an organisation, not published unless it "
                                  "chooses to (they may be a person's own)";
    case RDDS_WITHHELD: return "The contact asked that this not be published";
    case RDDS_NEVER_PUBLIC: return "Never published";
    }
    return "";
}

const char *rdds_field_name(enum rdds_field f)
{
    static const char *const names[RDDS_F__COUNT] = {
        [RDDS_F_NAME] = "Name",   [RDDS_F_ORG] = "Organization",   [RDDS_F_STREET] = "Street",
        [RDDS_F_CITY] = "City",   [RDDS_F_SP] = "State/Province", [RDDS_F_PC] = "Postal Code",
        [RDDS_F_CC] = "Country",  [RDDS_F_VOICE] = "Phone",        [RDDS_F_FAX] = "Fax",
        [RDDS_F_EMAIL] = "Email", [RDDS_F_MOBILE] = "Mobile",      [RDDS_F_IDENT] = "Identity",
        [RDDS_F_IDCHECK] = "Identity Check",
    };
    return (unsigned)f < RDDS_F__COUNT ? names[f] : "";
}
