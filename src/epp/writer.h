/* EPP response and greeting writer (RFC 5730 §2.4, §2.6) on libxml2's
 * xmlTextWriter. Call order follows the schema:
 *   w = epp_writer_new();
 *   epp_w_result(w, 2303, "domain example.dk does not exist");
 *   [epp_w_msgq(w, …)]
 *   [epp_w_start(w, "resData"); … epp_w_end(w);]
 *   [epp_w_start(w, "extension"); … epp_w_end(w);]
 *   xml = epp_w_finish(w, cltrid, svtrid, &len);   // malloc'd */
#ifndef REG_EPP_WRITER_H
#define REG_EPP_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include "contrib/clock.h"

typedef struct epp_writer epp_writer;

epp_writer *epp_writer_new(void);
void epp_writer_free(epp_writer *w);

/* <response><result code=…><msg>text</msg>; reason (may be NULL) goes in
 * <extValue><value><undef/></value><reason>…</reason></extValue>. */
void epp_w_result(epp_writer *w, int code, const char *reason);
/* The same with msg (NULL: the RFC's text) saying more than the code does,
 * e.g. what a 1001 is waiting for. */
void epp_w_result_msg(epp_writer *w, int code, const char *msg, const char *reason);
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

/* The greeting (RFC 5730 §2.4) listing every object and extension URI. */
char *epp_greeting(const char *svid, reg_time now, size_t *len);

#endif
