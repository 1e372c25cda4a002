/* The registrant's confirmation pages (R7): the link in the mail,
 * {base_url}/confirm/{token}, shows what was asked with Confirm and Reject
 * buttons; the answer is posted back to the same address. */
#ifndef REG_WEB_CONFIRM_H
#define REG_WEB_CONFIRM_H

#include "web.h"

/* Route prefix and the cookie that carries the CSRF value. */
#define CONFIRM_PREFIX "/confirm/"
#define CONFIRM_COOKIE "confirm_csrf"

/* GET /confirm/{token}: 200 with the form, 404 unknown or malformed token,
 * 410 already decided or expired. */
void confirm_show(struct web_request *w);
/* POST /confirm/{token} (fields csrf, decision=confirm|reject): 200 with
 * the outcome, 403 failed CSRF check, 400 no decision, 404, 410. */
void confirm_decide(struct web_request *w);

#endif
