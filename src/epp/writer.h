/* Inside the codec: the streaming XML writer the encoders (encode*.c) use,
 * on libxml2's xmlTextWriter, for responses and the greeting (RFC 5730
 * §2.4, §2.6). Errors are sticky: epp_w_finish returns NULL after any.
 *   w = epp_writer_new();                 // <epp><response>
 *   <result>, [msgQ], [resData], [extension] with the calls below
 *   xml = epp_w_finish(w, cltrid, svtrid, &len);   // malloc'd */
#ifndef REG_EPP_WRITER_H
#define REG_EPP_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include "contrib/clock.h"

typedef struct epp_writer epp_writer;

epp_writer *epp_writer_new(void);
void epp_writer_free(epp_writer *w);

void epp_w_msgq(epp_writer *w, int64_t count, const char *id, reg_time qdate, const char *msg);
/* Open an element; prefix:name with the namespace declared if ns != NULL. */
void epp_w_start(epp_writer *w, const char *qname);
void epp_w_start_ns(epp_writer *w, const char *prefix, const char *name, const char *ns);
void epp_w_attr(epp_writer *w, const char *name, const char *value);
void epp_w_text(epp_writer *w, const char *text);
void epp_w_elem(epp_writer *w, const char *qname, const char *text);
void epp_w_elem_time(epp_writer *w, const char *qname, reg_time t);
void epp_w_end(epp_writer *w);
/* Writes trID and closes the document. NULL on error. */
char *epp_w_finish(epp_writer *w, const char *cltrid, const char *svtrid, size_t *len);

#endif
