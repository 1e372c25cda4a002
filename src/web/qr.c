#include "qr.h"

#include <qrencode.h>
#include <stdio.h>

#include "html.h"

#define QUIET 4 /* modules of white round the symbol (ISO/IEC 18004) */

bool qr_svg(strbuf *sb, const char *text, const char *label, unsigned size)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return false;
    int w = q->width, all = w + 2 * QUIET;
    char box[32], px[16];
    snprintf(box, sizeof box, "0 0 %d %d", all, all);
    snprintf(px, sizeof px, "%u", size);
    h_open(sb, "svg", "xmlns", "http://www.w3.org/2000/svg", "viewBox", box, "width", px, "height",
           px, "role", "img", "aria-label", label, "shape-rendering", "crispEdges", "id", "qr",
           NULL);
    /* SVG inside HTML: an empty element closes itself with "/>" */
    sb_puts(sb, "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w;) {
            if (!(q->data[y * w + x] & 1)) { /* bit 0: dark */
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (q->data[y * w + x + run] & 1))
                run++;
            sb_printf(sb, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
            x += run;
        }
    sb_puts(sb, "\"/>");
    h_close(sb, "svg");
    QRcode_free(q);
    return true;
}
