/* libFuzzer target: the WHOIS query (src/rdds/whois.c): the raw bytes a
 * client sends, as the listener reads them, to the end of the line and the
 * parsed query, or the one error line; then the no-match answer the query
 * would get, and the name folded for a lookup (names_lookup_fold).
 *
 * Checks: the line ends at the first LF (a CR before it dropped), and only
 * more than 256 bytes without one are "too long". A parsed query is a
 * known kind; its argument is 1-255 bytes of valid UTF-8 without spaces or
 * control characters (help: none). A refusal is one line "Error: …" of
 * printable ASCII. Every answer is whole CR LF lines of valid UTF-8
 * without other control characters; a folded name is printable ASCII. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/utf8.h"
#include "fuzz.h"
#include "rdds/whois.h"
#include "registry/names.h"

static void fail(const char *what, int line)
{
    fprintf(stderr, "fuzz_whois.c:%d: %s does not hold\n", line, what);
    abort();
}
#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            fail(#c, __LINE__);                                                                    \
    } while (0)

/* Valid UTF-8 with no control character but (where crlf) CR LF pairs. */
static int clean_text(const char *s, size_t n, int crlf)
{
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (crlf && b == '\r' && i + 1 < n && s[i + 1] == '\n') {
            i += 2;
            continue;
        }
        if (b < 0x20 || b == 0x7f)
            return 0;
        uint32_t cp;
        size_t k = utf8_decode(s + i, &cp);
        if (!k || (cp >= 0x80 && cp <= 0x9f))
            return 0;
        i += k;
    }
    return 1;
}

static void check_answer(const strbuf *out)
{
    CHECK(!out->err && out->len >= 2);
    CHECK(out->data[out->len - 2] == '\r' && out->data[out->len - 1] == '\n');
    CHECK(strlen(out->data) == out->len);
    CHECK(clean_text(out->data, out->len, 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    const char *nl = memchr(buf, '\n', size);
    size_t len = 0;
    enum whois_line end = whois_line_end(buf, size, &len);
    if (nl) {
        size_t at = (size_t)(nl - buf);
        CHECK(end == WHOIS_LINE_DONE);
        CHECK(len == at || (len + 1 == at && buf[len] == '\r'));
    } else {
        CHECK(end == (size > WHOIS_QUERY_MAX + 1 ? WHOIS_LINE_LONG : WHOIS_LINE_MORE));
        len = size; /* a client that half-closes: all it sent is the query */
    }
    if (end == WHOIS_LINE_LONG)
        return 0;

    struct whois_query q;
    const char *error = NULL;
    strbuf out;
    sb_init(&out);
    if (!whois_parse(buf, len, &q, &error)) {
        CHECK(error && !strncmp(error, "Error: ", 7));
        for (const char *p = error; *p; p++)
            CHECK(*p >= 0x20 && *p < 0x7f);
        whois_write_error(&out, error);
        check_answer(&out);
        CHECK(strchr(out.data, '\n') == out.data + out.len - 1);
        sb_free(&out);
        return 0;
    }
    CHECK(len <= WHOIS_QUERY_MAX);
    CHECK(q.kind >= WHOIS_ANY && q.kind <= WHOIS_HELP);
    size_t n = strlen(q.arg);
    if (q.kind == WHOIS_HELP) {
        CHECK(n == 0);
    } else {
        CHECK(n >= 1 && n <= WHOIS_QUERY_MAX);
        CHECK(!strchr(q.arg, ' '));
        CHECK(clean_text(q.arg, n, 0));
        CHECK(memmem(buf, len, q.arg, n) != NULL);
    }
    struct whois_header h = {"The .dk registry", "Terms.", 1798761600};
    if (q.kind == WHOIS_HELP)
        whois_write_help(&out, &h);
    else
        whois_write_no_match(&out, &h, q.arg);
    check_answer(&out);
    sb_free(&out);

    char folded[NAME_MAX_LEN * 4 + 2];
    reg_status st = {0};
    if (q.kind != WHOIS_HELP && names_lookup_fold(q.arg, folded, sizeof folded, &st) == REG_OK)
        for (const char *p = folded; *p; p++)
            CHECK(*p > 0x20 && *p < 0x7f);
    return 0;
}
