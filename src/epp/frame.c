#include "frame.h"

reg_err epp_frame_header_parse(const unsigned char hdr[EPP_FRAME_HEADER], size_t max_total,
                               size_t *payload)
{
    uint32_t total = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
    if (total <= EPP_FRAME_HEADER)
        return REG_ERR_SYNTAX;
    if (total > max_total)
        return REG_ERR_LIMIT;
    *payload = total - EPP_FRAME_HEADER;
    return REG_OK;
}

void epp_frame_header_write(size_t payload, unsigned char hdr[EPP_FRAME_HEADER])
{
    uint32_t total = (uint32_t)(payload + EPP_FRAME_HEADER);
    hdr[0] = (unsigned char)(total >> 24);
    hdr[1] = (unsigned char)(total >> 16);
    hdr[2] = (unsigned char)(total >> 8);
    hdr[3] = (unsigned char)total;
}
