/* Helpers of the EPP codec tests (test_epp_parse, test_epp_decode): the
 * sample documents of tests/data/epp and one decode into its own arena. */
#ifndef REG_EPPTEST_H
#define REG_EPPTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "contrib/arena.h"
#include "contrib/status.h"
#include "epp/ns.h"
#include "epp/request.h"

#define EPP_OPEN "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<epp xmlns=\"" EPP_NS "\">"
#define EPP_CLOSE "</epp>"
/* A command document: EPP_CMD("<logout/>", "ABC-1") */
#define EPP_CMD(body, cltrid) \
    EPP_OPEN "<command>" body "<clTRID>" cltrid "</clTRID></command>" EPP_CLOSE

/* Whole file, malloc'd to its exact size (so ASan sees any over-read). */
char *epp_test_read_file(const char *path, size_t *len);
/* tests/data/epp/SUB/NAME ($REG_TEST_DATA overrides tests/data). */
char *epp_test_read_sample(const char *sub, const char *name, size_t *len);
/* Sorted *.xml names of one sample directory; NULL-terminated. */
char **epp_test_list_samples(const char *sub, size_t *count);
void epp_test_free_list(char **names);

/* One epp_decode with everything it returns. */
struct decoded {
    struct arena a;
    struct epp_request r;
    reg_status st;
    reg_err e;
};

/* Decodes into d (a fresh arena); d->e is returned. Free with decoded_free. */
reg_err decode_buf(struct decoded *d, const char *xml, size_t len);
reg_err decode_str(struct decoded *d, const char *xml);
/* Decodes a sample (the frame is freed at once: nothing may point into it). */
reg_err decode_sample(struct decoded *d, const char *sub, const char *name);
void decoded_free(struct decoded *d);

#endif
