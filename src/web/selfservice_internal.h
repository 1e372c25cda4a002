/* What the self-service site's page files share (selfservice.c has the
 * frame, the session, login and the routing table). Not for use outside
 * src/web. */
#ifndef REG_WEB_SELFSERVICE_INTERNAL_H
#define REG_WEB_SELFSERVICE_INTERNAL_H

#include <stdbool.h>

#include "contrib/secret.h"
#include "contrib/strbuf.h"
#include "registry/op.h"
#include "registry/selfservice.h"
#include "selfservice.h"
#include "selfservice_text.h"

struct ss_ctx {
    struct web_request *w;
    struct reg_op op;
    const char *lang;
    char base[256];                   /* the base URL's path */
    char token[SECRET_TOKEN_LEN + 1]; /* the session cookie, "" for none */
    bool in;                          /* token names a live session */
    struct selfservice_session s;
    char flash[300];   /* a message carried over a redirect */
    bool flash_ok;     /* it reports success (green), not a refusal */
    char flash_field[64]; /* the form field the refusal is about ("" for the page's top) */
    const char *arg;   /* the last segment of a route ending in *, else NULL */
};

const char *ss_t(const struct ss_ctx *c, enum ss_text_id id);
/* <base path><path> into out. */
const char *ss_url(const struct ss_ctx *c, const char *path, char *out, size_t n);
/* A message shown by the next page (after a redirect); ok: a success. */
void ss_flash_set(struct ss_ctx *c, const char *msg, bool ok);
/* A refusal shown next to form field `field` (the page asks
 * ss_field_error) rather than at the page's top. */
void ss_flash_field(struct ss_ctx *c, const char *field, const char *msg);
/* The refusal waiting for field `field`, else NULL. */
const char *ss_field_error(const struct ss_ctx *c, const char *field);

/* The frame: begin writes everything up to <h1>title</h1> and the waiting
 * message; end closes it and sends it with status. */
void ss_page_begin(strbuf *sb, struct ss_ctx *c, const char *title);
void ss_page_end(struct ss_ctx *c, strbuf *sb, int status);
/* A page of one paragraph. */
void ss_send_message(struct ss_ctx *c, int status, enum ss_text_id title, enum ss_text_id text);
/* 503 after a database failure, logged as `what`. */
void ss_unavailable(struct ss_ctx *c, const char *what, const reg_status *st);
/* <time datetime=…>YYYY-MM-DD HH:MM UTC</time> (date only: the day). */
void ss_time(strbuf *sb, reg_time t, bool date_only);

/* Runs fn in its own transaction at a fresh c->op.now; one that loses a
 * write conflict (REG_ERR_DB_BUSY) is run again, up to three times. */
reg_err ss_in_tx(struct ss_ctx *c, reg_err (*fn)(struct ss_ctx *c, void *arg, reg_status *st),
                 void *arg, reg_status *st);

/* Logged in, else redirected to the login page (false: answered). */
bool ss_require(struct ss_ctx *c);
/* A logged-in session's POST with its CSRF token (false: answered 403). */
bool ss_csrf_ok(struct ss_ctx *c);

/* ---- pages (selfservice_domains.c) ---- */
void ss_home(struct ss_ctx *c);
void ss_domains(struct ss_ctx *c);
void ss_domain(struct ss_ctx *c);
void ss_decide(struct ss_ctx *c);

/* ---- the auth code and my data (selfservice_data.c) ---- */
/* The domain page's auth-code section (R15-R17); false: answered (503). */
bool ss_authcode_section(strbuf *sb, struct ss_ctx *c, const char *alabel);
void ss_authcode_post(struct ss_ctx *c);
void ss_otp_post(struct ss_ctx *c);
void ss_data(struct ss_ctx *c);
void ss_data_post(struct ss_ctx *c);

/* A table written row by row from a registry callback (n: rows so far). */
struct ss_listing {
    strbuf *sb;
    struct ss_ctx *c;
    int n;
};

/* ---- invoices and terms (selfservice_invoices.c, selfservice_terms.c; R19, R20) ---- */
void ss_invoices(struct ss_ctx *c);
void ss_invoice(struct ss_ctx *c);
void ss_terms(struct ss_ctx *c);
/* The domain page's rows (<dt>, <dd>): the renewal of a registrant-managed
 * domain (nothing for another), the terms its registrant accepted. */
void ss_domain_renewal_row(strbuf *sb, struct ss_ctx *c, const struct selfservice_domain *d);
void ss_domain_terms_row(strbuf *sb, struct ss_ctx *c, const struct selfservice_domain *d);

#endif
