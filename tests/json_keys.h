/* For the tests of the RDAP serializer (tests/unit/test_rdap.c and
 * tests/fuzz/fuzz_jsonout.c): an oracle of their own, apart from the code
 * under test, for the one place where it and json_dumpb differ on purpose.
 * json_dumpb writes an object key that is not UTF-8 cut short and goes on
 * (it ignores the failure); jsonout_compact refuses such a tree. */
#ifndef REG_TESTS_JSON_KEYS_H
#define REG_TESTS_JSON_KEYS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "contrib/utf8.h"

static bool json_keys_utf8_ok(const char *s, size_t n)
{
    uint32_t cp;
    for (size_t i = 0, k; i < n; i += k)
        if (!(k = utf8_decode(s + i, &cp)) || k > n - i)
            return false;
    return true;
}

/* Whether j holds, anywhere, an object key that is not UTF-8. */
static bool json_has_bad_key(const json_t *j)
{
    if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            if (json_has_bad_key(json_array_get(j, i)))
                return true;
    } else if (json_is_object(j)) {
        for (void *it = json_object_iter((json_t *)j); it;
             it = json_object_iter_next((json_t *)j, it))
            if (!json_keys_utf8_ok(json_object_iter_key(it), json_object_iter_key_len(it)) ||
                json_has_bad_key(json_object_iter_value(it)))
                return true;
    }
    return false;
}

#endif
