/* The registrant self-service site under /self-service/ on the HTTP
 * listener (issue 17; docs/self-service.md): the set-up link's password
 * page, login by contact handle or e-mail and password, or by eID, the
 * lockout's reset link by mail, logout, the start page with what waits
 * for the registrant's answer, "My domains" and each domain's page with
 * its pending confirmations, in English, Danish, Norwegian and Estonian.
 * The registry (registry/selfservice.h, registry/pending.h) does the
 * rules; these files show them, written with html.h, texts from
 * selfservice_text.h, CSRF on every form, a redirect after every POST, no
 * script. */
#ifndef REG_WEB_SELFSERVICE_H
#define REG_WEB_SELFSERVICE_H

#include "web.h"

#define SELFSERVICE_PREFIX "/self-service"

/* GET and POST of everything under SELFSERVICE_PREFIX. */
void selfservice_handle(struct web_request *w);

#endif
