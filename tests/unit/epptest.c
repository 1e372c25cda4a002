#include "testutil.h"

#include "epptest.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef REG_TEST_DATA
#define REG_TEST_DATA "tests/data"
#endif

static const char *data_dir(void)
{
    const char *env = getenv("REG_TEST_DATA");
    return env && *env ? env : REG_TEST_DATA;
}

char *epp_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    assert_true(n > 0);
    char *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

char *epp_test_read_sample(const char *sub, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/epp/%s/%s", data_dir(), sub, name);
    return epp_test_read_file(path, len);
}

char **epp_test_list_samples(const char *sub, size_t *count)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/epp/%s", data_dir(), sub);
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0) {
        fail_msg("cannot list %s (set REG_TEST_DATA)", dir);
        n = 0;
    }
    char **names = calloc((size_t)n + 1, sizeof *names);
    assert_non_null(names);
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        const char *nm = ents[i]->d_name;
        size_t l = strlen(nm);
        if (l > 4 && !strcmp(nm + l - 4, ".xml"))
            names[k++] = strdup(nm);
        free(ents[i]);
    }
    free(ents);
    *count = k;
    return names;
}

void epp_test_free_list(char **names)
{
    for (char **p = names; *p; p++)
        free(*p);
    free(names);
}

reg_err decode_buf(struct decoded *d, const char *xml, size_t len)
{
    memset(d, 0, sizeof *d);
    arena_init(&d->a, EPP_REQUEST_ARENA_MAX);
    d->e = epp_decode(xml, len, &d->a, &d->r, &d->st);
    /* every refusal says why, with its own code */
    if (d->e != REG_OK && (!d->st.reason[0] || d->st.code != d->e))
        fail_msg("%s with reason \"%s\" (code %s)", reg_errname(d->e), d->st.reason,
                 reg_errname(d->st.code));
    return d->e;
}

reg_err decode_str(struct decoded *d, const char *xml)
{
    return decode_buf(d, xml, strlen(xml));
}

reg_err decode_sample(struct decoded *d, const char *sub, const char *name)
{
    size_t len;
    char *xml = epp_test_read_sample(sub, name, &len);
    decode_buf(d, xml, len);
    free(xml);
    return d->e;
}

void decoded_free(struct decoded *d)
{
    arena_free(&d->a);
}
