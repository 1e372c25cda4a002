/* RFC 5734 §4 framing: the 4-byte big-endian total length that counts
 * itself (src/epp/frame.c). */
#include "testutil.h"

#include <string.h>

#include "epp/frame.h"

#define MAX_FRAME 65536

static void set_total(unsigned char hdr[EPP_FRAME_HEADER], uint32_t total)
{
    hdr[0] = (unsigned char)(total >> 24);
    hdr[1] = (unsigned char)(total >> 16);
    hdr[2] = (unsigned char)(total >> 8);
    hdr[3] = (unsigned char)total;
}

static void write_then_parse_round_trips(void **state)
{
    (void)state;
    const size_t payloads[] = {1, 2, 100, 255, 256, 4096, 65531, MAX_FRAME - EPP_FRAME_HEADER};
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        unsigned char hdr[EPP_FRAME_HEADER];
        size_t got = 0;
        epp_frame_header_write(payloads[i], hdr);
        assert_int_equal(epp_frame_header_parse(hdr, MAX_FRAME, &got), REG_OK);
        assert_int_equal(got, payloads[i]);
    }
}

static void header_is_big_endian_and_counts_itself(void **state)
{
    (void)state;
    unsigned char hdr[EPP_FRAME_HEADER];
    epp_frame_header_write(0x01020304 - EPP_FRAME_HEADER, hdr);
    const unsigned char want[EPP_FRAME_HEADER] = {0x01, 0x02, 0x03, 0x04};
    assert_memory_equal(hdr, want, EPP_FRAME_HEADER);

    /* a 100-byte document travels as total 104 = 0x00000068 */
    epp_frame_header_write(100, hdr);
    const unsigned char want100[EPP_FRAME_HEADER] = {0, 0, 0, 104};
    assert_memory_equal(hdr, want100, EPP_FRAME_HEADER);

    size_t got = 0;
    const unsigned char big[EPP_FRAME_HEADER] = {0x00, 0x01, 0x00, 0x00}; /* 65536 */
    assert_int_equal(epp_frame_header_parse(big, MAX_FRAME, &got), REG_OK);
    assert_int_equal(got, 65536 - EPP_FRAME_HEADER);
}

static void total_below_five_is_syntax_error(void **state)
{
    (void)state;
    for (uint32_t total = 0; total < 5; total++) {
        unsigned char hdr[EPP_FRAME_HEADER];
        size_t got = 12345;
        set_total(hdr, total);
        assert_int_equal(epp_frame_header_parse(hdr, MAX_FRAME, &got), REG_ERR_SYNTAX);
        assert_int_equal(got, 12345); /* untouched on error */
    }
    /* 5 is the smallest frame: one byte of XML */
    unsigned char hdr[EPP_FRAME_HEADER];
    size_t got = 0;
    set_total(hdr, 5);
    assert_int_equal(epp_frame_header_parse(hdr, MAX_FRAME, &got), REG_OK);
    assert_int_equal(got, 1);
}

static void total_above_max_is_limit_error(void **state)
{
    (void)state;
    const uint32_t totals[] = {MAX_FRAME + 1, MAX_FRAME * 2, 0x7fffffff, 0x80000000, 0xffffffff};
    for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++) {
        unsigned char hdr[EPP_FRAME_HEADER];
        size_t got = 777;
        set_total(hdr, totals[i]);
        assert_int_equal(epp_frame_header_parse(hdr, MAX_FRAME, &got), REG_ERR_LIMIT);
        assert_int_equal(got, 777);
    }
    /* the limit follows max_total, e.g. the smallest configurable 1 KiB */
    unsigned char hdr[EPP_FRAME_HEADER];
    size_t got = 0;
    set_total(hdr, 1025);
    assert_int_equal(epp_frame_header_parse(hdr, 1024, &got), REG_ERR_LIMIT);
}

static void total_equal_to_max_is_accepted(void **state)
{
    (void)state;
    const size_t maxes[] = {5, 1024, MAX_FRAME, 16 * 1024 * 1024, 0xffffffff};
    for (size_t i = 0; i < sizeof maxes / sizeof maxes[0]; i++) {
        unsigned char hdr[EPP_FRAME_HEADER];
        size_t got = 0;
        set_total(hdr, (uint32_t)maxes[i]);
        assert_int_equal(epp_frame_header_parse(hdr, maxes[i], &got), REG_OK);
        assert_int_equal(got, maxes[i] - EPP_FRAME_HEADER);
        if (maxes[i] > 5) {
            set_total(hdr, (uint32_t)maxes[i] - 1);
            assert_int_equal(epp_frame_header_parse(hdr, maxes[i], &got), REG_OK);
            assert_int_equal(got, maxes[i] - 1 - EPP_FRAME_HEADER);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_then_parse_round_trips),
        cmocka_unit_test(header_is_big_endian_and_counts_itself),
        cmocka_unit_test(total_below_five_is_syntax_error),
        cmocka_unit_test(total_above_max_is_limit_error),
        cmocka_unit_test(total_equal_to_max_is_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
