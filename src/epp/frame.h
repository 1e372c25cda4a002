/* RFC 5734 §4 data unit framing: a 32-bit big-endian total length that
 * counts its own 4 bytes, then the XML instance. */
#ifndef REG_EPP_FRAME_H
#define REG_EPP_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include "contrib/error.h"

#define EPP_FRAME_HEADER 4

/* Reads the header; *payload gets the XML length. REG_ERR_SYNTAX when the
 * length is below 5 (no payload), REG_ERR_LIMIT when it exceeds max_total. */
reg_err epp_frame_header_parse(const unsigned char hdr[EPP_FRAME_HEADER], size_t max_total,
                               size_t *payload);
void epp_frame_header_write(size_t payload, unsigned char hdr[EPP_FRAME_HEADER]);

#endif
