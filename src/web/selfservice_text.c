#include "selfservice_text.h"

#include <string.h>

const char *const ss_langs[SS_LANG_COUNT] = {"en", "da", "nb", "et"};

static const char *const texts[][SS_LANG_COUNT] = {
#define SS_TEXT_ROW(id, en, da, nb, et) [id] = {en, da, nb, et},
    SS_TEXTS(SS_TEXT_ROW)
#undef SS_TEXT_ROW
};

const char *ss_lang_known(const char *code)
{
    for (size_t i = 0; code && i < SS_LANG_COUNT; i++)
        if (!strcmp(code, ss_langs[i]))
            return ss_langs[i];
    return NULL;
}

const char *ss_text(const char *lang, enum ss_text_id id)
{
    if ((unsigned)id >= S__COUNT)
        return "";
    for (size_t i = 0; lang && i < SS_LANG_COUNT; i++)
        if (!strcmp(lang, ss_langs[i]))
            return texts[id][i];
    return texts[id][0];
}
