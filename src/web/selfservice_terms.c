/* The self-service site and the registry's terms (R20): the current
 * version ([terms] version, also_accept) with a link to the text
 * ([registry] terms_url), and per domain the version its registrant
 * accepted and when, on the domain's page and listed on the terms page. */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "registry/terms.h"
#include "selfservice_internal.h"

#define P SELFSERVICE_PREFIX

/* "version 1.0, <time>", or that none was recorded. */
static void accepted(strbuf *sb, const struct ss_ctx *c, const struct selfservice_domain *d)
{
    if (!d->terms_version[0]) {
        h_text(sb, ss_t(c, S_TERMS_NONE));
        return;
    }
    h_textf(sb, "%s %s, ", ss_t(c, S_TERMS_VERSION), d->terms_version);
    ss_time(sb, d->terms_accepted_at, false);
    if (strcmp(d->terms_version, terms_current(c->op.policy)))
        h_textf(sb, " %s", ss_t(c, S_TERMS_EARLIER));
}

void ss_domain_terms_row(strbuf *sb, struct ss_ctx *c, const struct selfservice_domain *d)
{
    h_elem(sb, "dt", ss_t(c, S_TERMS_ACCEPTED), "class", "col-sm-3", NULL);
    h_open(sb, "dd", "class", "col-sm-9", "id", "domain-terms", NULL);
    accepted(sb, c, d);
    char href[300];
    h_text(sb, " ");
    h_elem(sb, "a", ss_t(c, S_TERMS_TITLE), "href", ss_url(c, P "/terms", href, sizeof href),
           "id", "domain-terms-link", NULL);
    h_close(sb, "dd");
}

static void domain_row(const struct selfservice_domain *d, void *arg)
{
    struct ss_listing *x = arg;
    strbuf *sb = x->sb;
    if (!x->n++) {
        h_open(sb, "table", "class", "table", "id", "terms-domains", NULL);
        h_open(sb, "thead", NULL);
        h_open(sb, "tr", NULL);
        h_elem(sb, "th", ss_t(x->c, S_DOMAIN), "scope", "col", NULL);
        h_elem(sb, "th", ss_t(x->c, S_TERMS_ACCEPTED), "scope", "col", NULL);
        h_close(sb, "tr");
        h_close(sb, "thead");
        h_open(sb, "tbody", NULL);
    }
    char path[300], href[600];
    snprintf(path, sizeof path, P "/domains/%s", d->name);
    h_open(sb, "tr", NULL);
    h_open(sb, "td", NULL);
    h_elem(sb, "a", d->uname, "href", ss_url(x->c, path, href, sizeof href), NULL);
    h_close(sb, "td");
    h_open(sb, "td", NULL);
    accepted(sb, x->c, d);
    h_close(sb, "td");
    h_close(sb, "tr");
}

/* Open to anyone; a logged-in registrant also sees its domains'. */
void ss_terms(struct ss_ctx *c)
{
    const struct reg_config *cfg = c->w->cfg;
    strbuf sb;
    sb_init(&sb);
    ss_page_begin(&sb, c, ss_t(c, S_TERMS_TITLE));
    h_elem(&sb, "p", ss_t(c, S_TERMS_INTRO), NULL);
    h_open(&sb, "dl", "class", "row", "id", "terms", NULL);
    h_elem(&sb, "dt", ss_t(c, S_TERMS_CURRENT), "class", "col-sm-4", NULL);
    h_elem(&sb, "dd", terms_current(c->op.policy), "class", "col-sm-8", "id", "terms-current",
           NULL);
    const char *also = c->op.policy->terms_also_accept;
    if (also && *also) {
        h_elem(&sb, "dt", ss_t(c, S_TERMS_ALSO), "class", "col-sm-4", NULL);
        h_elem(&sb, "dd", also, "class", "col-sm-8", "id", "terms-also", NULL);
    }
    h_close(&sb, "dl");
    if (cfg->registry_terms_url[0]) {
        h_open(&sb, "p", NULL);
        h_elem(&sb, "a", ss_t(c, S_TERMS_READ), "href", cfg->registry_terms_url, "id",
               "terms-text", NULL);
        h_close(&sb, "p");
    } else {
        h_elem(&sb, "p", ss_t(c, S_TERMS_NO_TEXT), "id", "terms-no-text", NULL);
    }
    if (c->in) {
        struct ss_listing x = {.sb = &sb, .c = c};
        reg_status st = {0};
        if (selfservice_domains_each(&c->op, c->s.contact_id, NULL, domain_row, &x, &st)) {
            sb_free(&sb);
            ss_unavailable(c, "selfservice-terms-failed", &st);
            return;
        }
        if (x.n) {
            h_close(&sb, "tbody");
            h_close(&sb, "table");
        }
    }
    ss_page_end(c, &sb, 200);
}
