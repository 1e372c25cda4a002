/* libFuzzer target: the RDAP answers' and history snapshots' serializer
 * (src/contrib/jsonout.c) against jansson's own, in insertion and in key
 * order (JSON_SORT_KEYS). The input is read as JSON (any value, NUL allowed
 * in strings); what parses is written by both, which must give the same
 * bytes, and reads back as the same value. The input taken whole as one
 * string (unchecked: any bytes) must be written by both alike, or refused
 * by both (not UTF-8; for a key that is not, json_dumpb writes a broken
 * document, ignoring its own failure, where jsonout_compact refuses). */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/utf8.h"
#include "fuzz.h"
#include "../json_keys.h"
#include "contrib/jsonout.h"

#define CHECK(c)                                                                              \
    do {                                                                                      \
        if (!(c))                                                                             \
            abort();                                                                          \
    } while (0)

static void same_in(const json_t *j, bool sorted)
{
    size_t (*dump)(const json_t *, char *, size_t) =
        sorted ? jsonout_compact_sorted : jsonout_compact;
    char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | (sorted ? JSON_SORT_KEYS : 0));
    size_t need = dump(j, NULL, 0);
    if (!want || json_has_bad_key(j)) {
        CHECK(need == 0);
        free(want);
        return;
    }
    size_t n = strlen(want);
    CHECK(need == n);
    char *got = malloc(n ? n : 1);
    CHECK(got);
    CHECK(dump(j, got, n) == n);
    CHECK(!memcmp(got, want, n));
    json_error_t err;
    json_t *back = json_loadb(got, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    /* jansson reads no key with U+0000 in it, though it writes one */
    CHECK(back ? json_equal(back, (json_t *)j) : strstr(err.text, "NUL byte in object key") != NULL);
    json_decref(back);
    /* a short buffer: the length it needs, never a byte past it */
    if (n > 1)
        CHECK(dump(j, got, n / 2) == n && !memcmp(got, want, n / 2));
    free(got);
    free(want);
}

static void same(const json_t *j)
{
    same_in(j, false);
    same_in(j, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (j) {
        same(j);
        json_decref(j);
    }
    json_t *s = json_stringn_nocheck((const char *)data, size);
    if (s) {
        same(s);
        json_t *o = json_object();
        if (o && !json_object_setn_new_nocheck(o, (const char *)data, size, json_true()))
            same(o);
        json_decref(o);
        json_decref(s);
    }
    return 0;
}
