#include "portal_text.h"

#include <string.h>
#include <strings.h>

static const char *const texts[][2] = {
#define PORTAL_TEXT_ROW(id, en, da) [id] = {en, da},
    PORTAL_TEXTS(PORTAL_TEXT_ROW)
#undef PORTAL_TEXT_ROW
};

const char *portal_lang(const char *tag)
{
    return tag && !strncasecmp(tag, "da", 2) && (!tag[2] || tag[2] == '-' || tag[2] == '_')
               ? "da"
               : "en";
}

const char *portal_text(const char *lang, enum portal_text_id id)
{
    if ((unsigned)id >= T__COUNT)
        return "";
    return texts[id][lang && !strcmp(lang, "da") ? 1 : 0];
}
