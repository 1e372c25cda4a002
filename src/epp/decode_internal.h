/* Inside the decoder (decode*.c): what one object family's decoder gets. */
#ifndef REG_EPP_DECODE_INTERNAL_H
#define REG_EPP_DECODE_INTERNAL_H

#include "request.h"
#include "xml.h"

struct dctx {
    struct arena *a;
    struct epp_request *r;
    xmlNodePtr cmd; /* <check>, <transfer op=…>, … */
    xmlNodePtr obj; /* <domain:check>, … */
    xmlNodePtr ext; /* <extension>, or NULL; its children were checked already */
    reg_status *st;
};

/* The command's extension element {ns}name, or NULL. */
xmlNodePtr dctx_ext(const struct dctx *d, const char *ns, const char *name);
/* reg_fail for an exhausted arena. */
reg_err dctx_nomem(const struct dctx *d);

/* Shared pieces: the list of <name> children in ns (at most max, or the
 * command fails 2306 with what); <authInfo>; <period>; <status> lists. */
reg_err decode_names(struct dctx *d, xmlNodePtr parent, const char *ns, const char *name,
                     size_t max, const char *what, struct epp_names *out);
void decode_authinfo(struct dctx *d, xmlNodePtr parent, const char *ns, struct epp_authinfo *out);
void decode_period(struct dctx *d, xmlNodePtr parent, const char *ns, struct epp_period *out);
reg_err decode_statuses(struct dctx *d, xmlNodePtr parent, const char *ns, struct epp_status **out,
                        size_t *n);
reg_err decode_xfer_op(struct dctx *d, epp_xfer_op *out);
/* A postal address's <street> (at most EPP_STREETS), city, sp, pc, cc. */
bool decode_address(struct dctx *d, xmlNodePtr parent, const char *ns, char *street[EPP_STREETS],
                    char **city, char **sp, char **pc, char **cc);
void decode_phone(struct dctx *d, xmlNodePtr parent, const char *ns, const char *name,
                  struct epp_phone *out);

/* One decoder per object family: fills d->r->u for d->r->kind. */
reg_err decode_domain(struct dctx *d);
reg_err decode_contact(struct dctx *d);
reg_err decode_host(struct dctx *d);
reg_err decode_account(struct dctx *d);

#endif
