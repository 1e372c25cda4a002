/* A QR code drawn as inline SVG (libqrencode makes the symbol), for the
 * otpauth:// URI at TOTP enrolment: no image file, no script. */
#ifndef REG_WEB_QR_H
#define REG_WEB_QR_H

#include <stdbool.h>
#include "contrib/strbuf.h"

/* An <svg role="img" aria-label=label> of text as a QR code (error
 * correction M, 4 modules of quiet zone, one unit a module, drawn
 * size x size CSS pixels): one path of the dark modules, a row's run
 * of them one rectangle. False (nothing written) when text cannot be
 * encoded (too long for a QR code). */
bool qr_svg(strbuf *sb, const char *text, const char *label, unsigned size);

#endif
