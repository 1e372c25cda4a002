/* libFuzzer target: RFC 5734 frame header (src/epp/frame.c).
 * Input: 4 header bytes, then optionally 4 bytes of max_total; the rest is
 * read as a stream of frames the way a session would (header, payload,
 * header, …) under the default 64 KiB limit. Invariants abort. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "epp/frame.h"

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void check_one(const uint8_t hdr[EPP_FRAME_HEADER], size_t max_total)
{
    uint32_t total = be32(hdr);
    size_t payload = (size_t)-1;
    reg_err e = epp_frame_header_parse(hdr, max_total, &payload);
    if (total < 5) {
        if (e != REG_ERR_SYNTAX || payload != (size_t)-1)
            abort();
    } else if (total > max_total) {
        if (e != REG_ERR_LIMIT || payload != (size_t)-1)
            abort();
    } else {
        if (e != REG_OK || payload != (size_t)total - EPP_FRAME_HEADER)
            abort();
        uint8_t again[EPP_FRAME_HEADER];
        epp_frame_header_write(payload, again);
        if (memcmp(again, hdr, EPP_FRAME_HEADER))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < EPP_FRAME_HEADER)
        return 0;
    size_t max_total = size >= 8 ? be32(data + 4) : 65536;
    check_one(data, max_total);
    check_one(data, 65536);
    check_one(data, SIZE_MAX);

    /* a session's read loop over the input */
    size_t off = 0;
    while (size - off >= EPP_FRAME_HEADER) {
        size_t payload;
        if (epp_frame_header_parse(data + off, 65536, &payload) != REG_OK)
            break;
        if (payload == 0 || payload > 65536 - EPP_FRAME_HEADER)
            abort();
        off += EPP_FRAME_HEADER;
        if (size - off < payload)
            break;
        off += payload;
    }
    return 0;
}
