/* The registrar portal under /portal/ on the HTTP listener (issue 16):
 * login with password and TOTP (enrolment at the first login), logout,
 * the dashboard, Administration's list of portal users, Bootstrap 5 from
 * Debian's files. The registry (registry/portal.h) does the rules; this
 * file shows them. Every page is written with html.h, every text comes
 * from portal_text.h, every form carries a CSRF token, every POST answers
 * with a redirect, and the pages run no script. */
#ifndef REG_WEB_PORTAL_H
#define REG_WEB_PORTAL_H

#include "web.h"

#define PORTAL_PREFIX "/portal"

/* GET and POST of everything under PORTAL_PREFIX. */
void portal_handle(struct web_request *w);

#endif
