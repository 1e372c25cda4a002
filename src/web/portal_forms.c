/* The parts of the portal's domain pages that the domain page
 * (portal_domains.c) and a domain's life (portal_domain_life.c) both use:
 * the registrar's operation, the domain of the route, a change's outcome,
 * form pieces. */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/log.h"
#include "html.h"
#include "portal_internal.h"
#include "registry/domain.h"

/* The route's name, percent-decoded (a U-label arrives encoded). */
static char *arg_name(const struct portal_ctx *c)
{
    return c->arg ? evhttp_uridecode(c->arg, 0, NULL) : NULL;
}

/* The operation as the logged-in user's registrar, through the portal. */
struct reg_op portal_domain_op(const struct portal_ctx *c)
{
    struct reg_op op = c->op;
    op.registrar_id = c->s.registrar_id;
    op.actor = c->s.registrar;
    return op;
}

void portal_text_input(strbuf *sb, const char *id, const char *label, const char *type,
                       const char *value, const char *error)
{
    portal_input(sb, "col-sm-6 col-lg-3", id, label, type, value, error);
}

/* A POST form to this domain's page doing `action`. */
void portal_domain_form_open(strbuf *sb, const struct portal_ctx *c, const struct domain *d,
                             const char *action, const char *id)
{
    char path[NAME_MAX_LEN + 64], href[NAME_MAX_LEN + 400];
    snprintf(path, sizeof path, PORTAL_PREFIX "/domains/%s", d->name.alabel);
    h_open(sb, "form", "method", "post", "class", "mb-3", "id", id, "action",
           portal_url(c, path, href, sizeof href), NULL);
    portal_csrf_field(sb, c->s.csrf);
    h_void(sb, "input", "type", "hidden", "name", "action", "value", action, NULL);
}

void portal_submit(strbuf *sb, const char *label, const char *cls)
{
    h_elem(sb, "button", label, "type", "submit", "class", cls, NULL);
}

/* The domain of the route, if it is the registrar's; otherwise the page
 * is answered (404, or 503) and false returned. */
bool portal_domain_load(struct portal_ctx *c, struct domain *d)
{
    char *name = arg_name(c);
    struct reg_op op = portal_domain_op(c);
    reg_status st = {0};
    bool full = false;
    reg_err e = name ? domain_info(&op, name, NULL, d, &full, &st) : REG_ERR_NOT_FOUND;
    free(name);
    if (!e && !full) {
        domain_free(d);
        e = REG_ERR_NOT_FOUND; /* another registrar's: not shown here */
    }
    if (e && reg_err_is_system(e))
        portal_unavailable(c, "portal-domain-failed", &st);
    else if (e)
        portal_send_message(c, 404, T_DOM_NOT_FOUND, T_DOM_NOT_FOUND_TEXT);
    return !e;
}

/* The outcome of a change: done (with the message for the page), refused
 * (the registry's reason next to the field), or a failure of the
 * machinery (503). */
void portal_domain_outcome(struct portal_ctx *c, reg_err e, const reg_status *st, const char *field,
                    const char *done, const char *back)
{
    if (e && reg_err_is_system(e)) {
        portal_unavailable(c, "portal-domain-change-failed", st);
        return;
    }
    reg_log(LOG_INFO, "portal", c->w->id, e ? "portal-change-refused" : "portal-change",
            "login=%s field=%s object=%s%s%s", c->s.login, field, back, e ? " reason=" : "",
            e ? reg_errname(e) : "");
    if (e)
        portal_flash_field(c, field, st->reason);
    else
        portal_flash_ok(c, done);
    char path[NAME_MAX_LEN + 64];
    snprintf(path, sizeof path, PORTAL_PREFIX "/domains/%s", back);
    web_redirect(c->w, path);
}

size_t portal_words(char *text, const char **out, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *w = strtok_r(text, " ,\t\r\n", &save); w; w = strtok_r(NULL, " ,\t\r\n", &save)) {
        if (n == max)
            return max + 1;
        out[n++] = w;
    }
    return n;
}

void portal_hidden(strbuf *sb, const char *name, const char *value)
{
    h_void(sb, "input", "type", "hidden", "name", name, "value", value, NULL);
}
