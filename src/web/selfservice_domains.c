/* The self-service site's pages about the registrant's domains: the start
 * page ("waiting for you"), "My domains" with a filter, a domain's page,
 * and the answer to a pending confirmation (R7) given on either. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/arena.h"
#include "contrib/log.h"
#include "html.h"
#include "registry/pending.h"
#include "registry/rdds_data.h"
#include "selfservice_internal.h"
#include "site.h"

#define P SELFSERVICE_PREFIX
#define ARENA_MAX (256 * 1024)

static bool is_change(const struct pending_view *v)
{
    return !strcmp(v->kind, PENDING_KIND_REGISTRANT_CHANGE);
}

/* The sentence of a pending action, the new registrant named. */
static void pending_sentence(strbuf *sb, const struct ss_ctx *c, const struct pending_view *v)
{
    if (!is_change(v)) {
        h_text(sb, ss_t(c, S_PENDING_DELETE));
        return;
    }
    char who[600];
    if (v->new_registrant_name[0])
        snprintf(who, sizeof who, "%s (%s)", v->new_registrant_name, v->new_registrant_handle);
    else
        snprintf(who, sizeof who, "%s", v->new_registrant_handle);
    h_textf(sb, "%s %s", ss_t(c, S_PENDING_CHANGE), who);
}

/* The Confirm / Reject form of action v. */
static void pending_form(strbuf *sb, struct ss_ctx *c, const struct pending_view *v)
{
    char path[64], action[320], id[32], confirm_id[40], reject_id[40];
    snprintf(path, sizeof path, P "/pending/%lld", (long long)v->id);
    snprintf(id, sizeof id, "pending-%lld", (long long)v->id);
    snprintf(confirm_id, sizeof confirm_id, "confirm-%lld", (long long)v->id);
    snprintf(reject_id, sizeof reject_id, "reject-%lld", (long long)v->id);
    h_open(sb, "form", "method", "post", "class", "d-flex flex-wrap gap-2", "id", id, "action",
           ss_url(c, path, action, sizeof action), NULL);
    site_csrf_field(sb, c->s.csrf);
    h_elem(sb, "button", ss_t(c, S_CONFIRM), "type", "submit", "name", "decision", "value",
           "confirm", "id", confirm_id, "class", "btn btn-primary btn-sm", NULL);
    h_elem(sb, "button", ss_t(c, S_REJECT), "type", "submit", "name", "decision", "value",
           "reject", "id", reject_id, "class", "btn btn-outline-danger btn-sm", NULL);
    h_close(sb, "form");
}

static void domain_link(strbuf *sb, const struct ss_ctx *c, const char *alabel, const char *shown)
{
    char path[300], href[600];
    snprintf(path, sizeof path, P "/domains/%s", alabel);
    h_elem(sb, "a", shown, "href", ss_url(c, path, href, sizeof href), NULL);
}

/* ---- the start page: what waits for an answer ---------------------------------------------- */

struct waiting {
    strbuf *sb;
    struct ss_ctx *c;
    const char *only; /* a domain's A-label, or NULL for all */
    int n;
};

static void waiting_row(const struct pending_view *v, void *arg)
{
    struct waiting *x = arg;
    strbuf *sb = x->sb;
    if (x->only && strcmp(v->domain, x->only))
        return;
    if (!x->n++)
        h_open(sb, "ul", "class", "list-group mb-2", "id", "waiting", NULL);
    /* a list rather than a table: at phone width each request is one block,
     * its buttons below its text */
    h_open(sb, "li", "class", "list-group-item", NULL);
    h_open(sb, "div", "class", "fw-semibold", NULL);
    domain_link(sb, x->c, v->domain, v->udomain[0] ? v->udomain : v->domain);
    h_close(sb, "div");
    h_open(sb, "div", NULL);
    pending_sentence(sb, x->c, v);
    h_close(sb, "div");
    h_open(sb, "div", "class", "text-muted small mb-2", NULL);
    h_textf(sb, "%s ", ss_t(x->c, S_ANSWER_BY));
    ss_time(sb, v->expires_at, false);
    h_close(sb, "div");
    pending_form(sb, x->c, v);
    h_close(sb, "li");
}

/* The list of actions awaiting the contact (of one domain, or all); false
 * when the request is answered already. */
static bool waiting_table(strbuf *sb, struct ss_ctx *c, const char *only, int *n)
{
    struct waiting x = {.sb = sb, .c = c, .only = only};
    reg_status st = {0};
    if (pending_each_held(&c->op, c->s.contact_id, waiting_row, &x, &st)) {
        sb_free(sb);
        ss_unavailable(c, "selfservice-pending-failed", &st);
        return false;
    }
    if (x.n) {
        h_close(sb, "ul");
        h_elem(sb, "p", ss_t(c, S_PENDING_NOTE), "class", "text-muted", NULL);
    }
    *n = x.n;
    return true;
}

void ss_home(struct ss_ctx *c)
{
    if (!ss_require(c))
        return;
    strbuf sb;
    sb_init(&sb);
    ss_page_begin(&sb, c, ss_t(c, S_WAITING));
    int n;
    if (!waiting_table(&sb, c, NULL, &n))
        return;
    if (!n)
        h_elem(&sb, "p", ss_t(c, S_NOTHING_WAITING), "id", "nothing-waiting", NULL);
    char href[320];
    h_open(&sb, "p", "class", "mt-4", NULL);
    h_elem(&sb, "a", ss_t(c, S_MY_DOMAINS), "class", "btn btn-outline-primary", "href",
           ss_url(c, P "/domains", href, sizeof href), NULL);
    h_close(&sb, "p");
    ss_page_end(c, &sb, 200);
}

/* ---- my domains ---------------------------------------------------------------------------- */

struct listing {
    strbuf *sb;
    struct ss_ctx *c;
    int n;
};

static void domain_row(const struct selfservice_domain *d, void *arg)
{
    struct listing *x = arg;
    strbuf *sb = x->sb;
    if (!x->n++) {
        h_open(sb, "table", "class", "table", "id", "domains", NULL);
        h_open(sb, "thead", NULL);
        h_open(sb, "tr", NULL);
        h_elem(sb, "th", ss_t(x->c, S_DOMAIN), "scope", "col", NULL);
        h_elem(sb, "th", ss_t(x->c, S_EXPIRES), "scope", "col", NULL);
        h_elem(sb, "th", ss_t(x->c, S_REGISTRAR), "scope", "col", NULL);
        h_elem(sb, "th", ss_t(x->c, S_STATUS), "scope", "col", NULL);
        h_close(sb, "tr");
        h_close(sb, "thead");
        h_open(sb, "tbody", NULL);
    }
    h_open(sb, "tr", NULL);
    h_open(sb, "td", NULL);
    domain_link(sb, x->c, d->name, d->uname);
    h_close(sb, "td");
    h_open(sb, "td", NULL);
    ss_time(sb, d->expires, true);
    h_close(sb, "td");
    h_elem(sb, "td", d->registrar_name[0] ? d->registrar_name : d->registrar, NULL);
    h_elem(sb, "td", ss_t(x->c, d->pending[0] ? ST_PENDING_UPDATE : ST_OK), NULL);
    h_close(sb, "tr");
}

void ss_domains(struct ss_ctx *c)
{
    if (!ss_require(c))
        return;
    char filter[128] = "", action[320];
    web_query_field(c->w, "q", filter, sizeof filter);
    strbuf sb;
    sb_init(&sb);
    ss_page_begin(&sb, c, ss_t(c, S_MY_DOMAINS));
    h_open(&sb, "form", "method", "get", "class", "row g-2 mb-3", "role", "search", "id",
           "filter-form", "action", ss_url(c, P "/domains", action, sizeof action), NULL);
    h_open(&sb, "div", "class", "col-auto", NULL);
    h_elem(&sb, "label", ss_t(c, S_FILTER), "for", "q", "class", "visually-hidden", NULL);
    h_void(&sb, "input", "id", "q", "name", "q", "type", "search", "class", "form-control",
           "value", filter, "placeholder", ss_t(c, S_FILTER), NULL);
    h_close(&sb, "div");
    h_open(&sb, "div", "class", "col-auto", NULL);
    h_elem(&sb, "button", ss_t(c, S_FILTER_BUTTON), "type", "submit", "class",
           "btn btn-outline-secondary", NULL);
    h_close(&sb, "div");
    h_close(&sb, "form");
    struct listing x = {.sb = &sb, .c = c};
    reg_status st = {0};
    if (selfservice_domains_each(&c->op, c->s.contact_id, filter, domain_row, &x, &st)) {
        sb_free(&sb);
        ss_unavailable(c, "selfservice-domains-failed", &st);
        return;
    }
    if (x.n) {
        h_close(&sb, "tbody");
        h_close(&sb, "table");
    } else {
        h_elem(&sb, "p", ss_t(c, S_NO_DOMAINS), "id", "no-domains", NULL);
    }
    ss_page_end(c, &sb, 200);
}

/* ---- a domain's page ----------------------------------------------------------------------- */

/* An EPP status in plain words; the same words once (locks come in
 * threes). */
static void status_words(strbuf *sb, const struct ss_ctx *c, const struct rdds_domain *d)
{
    static const struct {
        const char *prefix;
        enum ss_text_id text;
    } words[] = {
        {"ok", ST_OK},
        {"inactive", ST_INACTIVE},
        {"serverHold", ST_HOLD},
        {"clientHold", ST_HOLD},
        {"pendingUpdate", ST_PENDING_UPDATE},
        {"pendingDelete", ST_PENDING_DELETE},
        {"pendingTransfer", ST_PENDING_TRANSFER},
        {"redemptionPeriod", ST_REDEMPTION},
        {"server", ST_LOCKED}, /* serverUpdateProhibited, … */
        {"client", ST_LOCKED},
    };
    bool shown[S__COUNT] = {false};
    h_open(sb, "ul", "class", "list-unstyled mb-0", "id", "domain-status", NULL);
    for (size_t i = 0; i < d->nstatus; i++) {
        size_t k = 0;
        for (; k < sizeof words / sizeof words[0]; k++)
            if (!strncmp(d->status[i], words[k].prefix, strlen(words[k].prefix)))
                break;
        if (k < sizeof words / sizeof words[0]) {
            if (shown[words[k].text])
                continue;
            shown[words[k].text] = true;
            h_elem(sb, "li", ss_t(c, words[k].text), "data-status", d->status[i], NULL);
        } else {
            h_open(sb, "li", "data-status", d->status[i], NULL);
            h_textf(sb, "%s %s", ss_t(c, ST_OTHER), d->status[i]);
            h_close(sb, "li");
        }
    }
    h_close(sb, "ul");
}

static void row(strbuf *sb, const char *label, const char *id)
{
    h_elem(sb, "dt", label, "class", "col-sm-3", NULL);
    h_open(sb, "dd", "class", "col-sm-9", "id", id, NULL);
}

static void contact_line(strbuf *sb, const char *role, const struct rdds_contact *ct)
{
    const char *name = ct->d.postal[CONTACT_LOC].present ? ct->d.postal[CONTACT_LOC].name
                       : ct->d.postal[CONTACT_INT].present ? ct->d.postal[CONTACT_INT].name
                                                          : NULL;
    h_open(sb, "li", NULL);
    h_textf(sb, "%s: %s%s%s%s", role, name ? name : "", name ? " (" : "", ct->handle,
            name ? ")" : "");
    h_close(sb, "li");
}

void ss_domain(struct ss_ctx *c)
{
    if (!ss_require(c))
        return;
    struct selfservice_domain sd;
    reg_status st = {0};
    reg_err e = selfservice_domain_get(&c->op, c->s.contact_id, c->arg, &sd, &st);
    if (e == REG_ERR_NOT_FOUND) {
        ss_send_message(c, 404, S_NOT_FOUND_TITLE, S_NOT_FOUND_TEXT);
        return;
    }
    struct arena a;
    arena_init(&a, ARENA_MAX);
    struct rdds_domain d;
    if (!e)
        e = rdds_find_domain(c->op.db, c->op.policy, sd.name, c->op.now, &a, &d, &st);
    if (e) {
        arena_free(&a);
        ss_unavailable(c, "selfservice-domain-failed", &st);
        return;
    }
    strbuf sb;
    sb_init(&sb);
    ss_page_begin(&sb, c, d.ulabel);
    int waiting;
    if (!waiting_table(&sb, c, d.alabel, &waiting)) {
        arena_free(&a);
        return;
    }
    h_open(&sb, "dl", "class", "row", "id", "domain", NULL);
    row(&sb, ss_t(c, S_STATUS), "domain-status-row");
    status_words(&sb, c, &d);
    h_close(&sb, "dd");
    row(&sb, ss_t(c, S_EXPIRES), "domain-expires");
    ss_time(&sb, d.expires, true);
    h_close(&sb, "dd");
    row(&sb, ss_t(c, S_MANAGEMENT), "domain-management");
    h_text(&sb, ss_t(c, strcmp(sd.management, "registrant") ? S_MGMT_REGISTRAR
                                                              : S_MGMT_REGISTRANT));
    h_close(&sb, "dd");
    ss_domain_renewal_row(&sb, c, &sd);
    ss_domain_terms_row(&sb, c, &sd);
    row(&sb, ss_t(c, S_REGISTRAR), "domain-registrar");
    h_textf(&sb, "%s (%s)", d.sponsor.name ? d.sponsor.name : d.sponsor.handle, d.sponsor.handle);
    h_close(&sb, "dd");
    row(&sb, ss_t(c, S_NAMESERVERS), "domain-ns");
    if (!d.nns)
        h_text(&sb, ss_t(c, S_NONE));
    h_open(&sb, "ul", "class", "list-unstyled mb-0", NULL);
    for (size_t i = 0; i < d.nns; i++)
        h_elem(&sb, "li", d.ns[i].uname ? d.ns[i].uname : d.ns[i].name, NULL);
    h_close(&sb, "ul");
    h_close(&sb, "dd");
    row(&sb, ss_t(c, S_DNSSEC), "domain-dnssec");
    if (d.nds)
        h_textf(&sb, "%s %zu", ss_t(c, S_DNSSEC_ON), d.nds);
    else
        h_text(&sb, ss_t(c, S_DNSSEC_OFF));
    h_close(&sb, "dd");
    row(&sb, ss_t(c, S_CONTACTS), "domain-contacts");
    h_open(&sb, "ul", "class", "list-unstyled mb-0", NULL);
    contact_line(&sb, ss_t(c, S_REGISTRANT), &d.registrant);
    for (size_t i = 0; i < d.ncontacts; i++) {
        const char *role = d.contacts[i].role;
        contact_line(&sb, ss_t(c, !strcmp(role, "admin") ? S_ROLE_ADMIN
                                  : !strcmp(role, "tech") ? S_ROLE_TECH
                                                          : S_ROLE_BILLING),
                     &d.contacts[i].c);
    }
    h_close(&sb, "ul");
    h_close(&sb, "dd");
    h_close(&sb, "dl");
    bool shown = ss_authcode_section(&sb, c, sd.name);
    arena_free(&a);
    if (shown)
        ss_page_end(c, &sb, 200);
}

/* ---- R7: the answer ------------------------------------------------------------------------ */

struct decision {
    long long id;
    bool confirm;
    struct pending_view v;
};

static reg_err decide_tx(struct ss_ctx *c, void *arg, reg_status *st)
{
    struct decision *d = arg;
    memset(&d->v, 0, sizeof d->v);
    return pending_decide_held(&c->op, c->s.contact_id, d->id, d->confirm, &d->v, st);
}

void ss_decide(struct ss_ctx *c)
{
    if (!ss_require(c) || !ss_csrf_ok(c))
        return;
    char decision[16] = "";
    long long id = 0;
    char *end = NULL;
    if (c->arg)
        id = strtoll(c->arg, &end, 10);
    web_form_field(c->w, "decision", decision, sizeof decision);
    if (id <= 0 || !end || *end || (strcmp(decision, "confirm") && strcmp(decision, "reject"))) {
        web_redirect(c->w, P "/");
        return;
    }
    struct decision d = {.id = id, .confirm = !strcmp(decision, "confirm")};
    reg_status st = {0};
    reg_err e = ss_in_tx(c, decide_tx, &d, &st);
    if (e == REG_ERR_NOT_FOUND || e == REG_ERR_NOT_PENDING) {
        ss_flash_set(c, ss_t(c, S_NOT_PENDING), false);
        web_redirect(c->w, P "/");
        return;
    }
    if (e) {
        ss_unavailable(c, "selfservice-decide-failed", &st);
        return;
    }
    reg_log(LOG_INFO, "self-service", c->w->id, "selfservice-decide",
            "action=%lld kind=%s domain=%s contact=%s decision=%s state=%s", (long long)d.v.id,
            d.v.kind, d.v.domain, c->s.handle, decision, d.v.state);
    char msg[sizeof d.v.reason + 200], path[300];
    if (!strcmp(d.v.state, "confirmed"))
        snprintf(msg, sizeof msg, "%s", ss_t(c, S_DONE_CONFIRMED));
    else if (!strcmp(d.v.state, "rejected"))
        snprintf(msg, sizeof msg, "%s", ss_t(c, S_DONE_REJECTED));
    else
        snprintf(msg, sizeof msg, "%s %s", ss_t(c, S_DONE_FAILED), d.v.reason);
    ss_flash_set(c, msg, strcmp(d.v.state, "failed") != 0);
    /* a deleted domain has no page any more, nor one passed to a new
     * registrant */
    if (!strcmp(d.v.state, "confirmed"))
        snprintf(path, sizeof path, P "/");
    else
        snprintf(path, sizeof path, P "/domains/%s", d.v.domain);
    web_redirect(c->w, path);
}
