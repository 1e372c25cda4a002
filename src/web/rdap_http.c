/* RDAP over HTTP (rdap_http.h): the client and its rate, the method, the
 * path, the registrar's credentials, then the answer as
 * application/rdap+json with Access-Control-Allow-Origin: * (RFC 7480
 * §5.6), errors included. evhttp keeps connections alive and leaves the
 * body out of an answer to HEAD. */
#include "rdap_http.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/jsonout.h"
#include "contrib/log.h"
#include "contrib/netaddr.h"
#include "contrib/ratelimit.h"
#include "rdds/jsonmem.h"
#include "registry/op.h"
#include "registry/policy.h"
#include "registry/rdds_search.h"
#include "registry/registrar.h"

/* Sources remembered for their buckets; past it the fullest are forgotten. */
#define SOURCES_MAX 16384
#define CRED_SLOTS 256
#define CRED_TTL_US (60 * INT64_C(1000000))
/* The records of one answer (a search reads up to [rdap] max_results). */
#define ANSWER_ARENA_MAX (64u << 20)

/* A registrar's credentials verified lately, under a keyed hash of handle,
 * password and client address (the password itself is not kept). */
struct cred {
    unsigned char digest[crypto_generichash_BYTES];
    int64_t until_us;
    char handle[REGISTRAR_HANDLE_MAX + 1];
};

struct rdap_service {
    const struct reg_config *cfg;
    struct rdap_site site;
    struct rate_limit rate;
    struct source_table *sources;
    unsigned char cred_key[crypto_generichash_KEYBYTES];
    struct cred creds[CRED_SLOTS];
    struct arena arena; /* the records and JSON of the answer being built */
    char *help;         /* the canned answer to /rdap/help */
    size_t help_len;
    char *canned; /* [rdap] canned: every domain lookup's answer, or NULL */
    size_t canned_len;
};

/* Who asks: the public, or a registrar signed in. */
struct viewer {
    char registrar[REGISTRAR_HANDLE_MAX + 1]; /* "" = the public */
};

/* The answer of [rdap] canned (a benchmark aid): one domain's, built once
 * by the code of a real answer (rdap_domain_json, rdap_lookup_answer and
 * the serializer of send_json) for the public, in the size and shape of
 * the domains the benchmark looks up (bench/rdds-db.sh: a person
 * registrant, its fields redacted, an organisation as admin contact, two
 * name servers, the registrar, the notices), so the ratio of lookups to it
 * measures the lookup, not the answer's size. No database is read. */
static char *make_canned(struct rdap_service *s, size_t *len)
{
    reg_time now = clock_now();
    struct rdds_domain d = {
        .alabel = "canned.example", .ulabel = "canned.example",
        .status = {"ok"}, .nstatus = 1, .created = now, .expires = now + 365 * 86400,
        .sponsor = {.handle = "CANNED", .name = "Canned answer (benchmark aid)",
                    .email = "canned@example.invalid", .created = now},
        .registrant = {.handle = "CANNED:HOLDER", .sponsor = "CANNED", .created = now},
        .ncontacts = 1, .nns = 2,
        .ns = {{.name = "ns1.example.net", .uname = "ns1.example.net"},
               {.name = "ns2.example.net", .uname = "ns2.example.net"}},
    };
    struct contact_data *r = &d.registrant.d;
    r->kind = "person";
    r->postal[CONTACT_LOC] = (struct contact_postal){
        .present = true, .name = "Jens Hansen", .street = {"Vestergade 1"}, .city = "Aarhus C",
        .pc = "8000", .cc = "DK"};
    r->email = "holder@example.test";
    r->voice = "+45.12345678";
    struct rdds_domain_contact *admin = &d.contacts[0];
    *admin = (struct rdds_domain_contact){
        .role = "admin", .c = {.handle = "CANNED:ORG", .sponsor = "CANNED", .created = now}};
    admin->c.d.kind = "organization";
    admin->c.d.postal[CONTACT_INT] = (struct contact_postal){
        .present = true, .name = "Hostmaster", .org = "Example A/S", .street = {"Havnen 2"},
        .city = "Odense", .pc = "5000", .cc = "DK"};
    admin->c.d.email = "info@example.test";
    /* ROIDs in the registry's form ("D1-DK") */
    struct registry_policy p;
    policy_from_config(s->cfg, &p);
    roid_format(d.roid, 'D', 1, &p);
    roid_format(d.registrant.roid, 'C', 1, &p);
    roid_format(admin->c.roid, 'C', 2, &p);
    policy_free(&p);

    struct rdap_answer a = {.site = &s->site, .viewer = &rdds_public, .now = now,
                            .redacted = json_array()};
    char self[600];
    rdap_url(a.site, "domain", d.alabel, self, sizeof self);
    json_t *j = rdap_lookup_answer(&a, rdap_domain_json(&a, &d, "$"), self);
    json_decref(a.redacted);
    size_t n = j ? jsonout_compact(j, NULL, 0) : 0;
    char *out = n ? malloc(n) : NULL;
    if (out && jsonout_compact(j, out, n) != n) {
        free(out);
        out = NULL;
    }
    json_decref(j);
    *len = n;
    return out;
}

struct rdap_service *rdap_service_new(const struct reg_config *cfg)
{
    struct rdap_service *s = calloc(1, sizeof *s);
    if (!s || sodium_init() < 0) {
        free(s);
        return NULL;
    }
    s->cfg = cfg;
    s->site = (struct rdap_site){.base_url = cfg->http_base_url,
                                 .port43 = cfg->rdap_port43,
                                 .terms = cfg->registry_terms_of_use,
                                 .terms_url = "",
                                 .max_results = cfg->rdap_max_results};
    s->rate = (struct rate_limit){.per_minute = cfg->rdap_rate * 60, .burst = cfg->rdap_burst};
    s->sources = source_table_new(SOURCES_MAX, &s->rate);
    randombytes_buf(s->cred_key, sizeof s->cred_key);
    arena_init(&s->arena, ANSWER_ARENA_MAX);
    json_t *help = rdap_help_json(&s->site);
    s->help = help ? json_dumps(help, JSON_COMPACT) : NULL;
    json_decref(help);
    if (cfg->rdap_canned)
        s->canned = make_canned(s, &s->canned_len);
    if (!s->sources || !s->help || (cfg->rdap_canned && !s->canned)) {
        rdap_service_free(s);
        return NULL;
    }
    s->help_len = strlen(s->help);
    return s;
}

void rdap_service_free(struct rdap_service *s)
{
    if (!s)
        return;
    source_table_free(s->sources);
    sodium_memzero(s->creds, sizeof s->creds);
    arena_free(&s->arena);
    free(s->help);
    free(s->canned);
    free(s);
}

/* ---- answers -------------------------------------------------------------------------- */

static void common_headers(struct web_request *w, bool signed_in)
{
    web_add_header(w, "Content-Type", RDAP_MEDIA_TYPE);
    web_add_header(w, "Access-Control-Allow-Origin", "*");
    web_add_header(w, "X-Content-Type-Options", "nosniff");
    /* what a registrar sees of its own objects stays out of shared caches */
    if (signed_in)
        web_add_header(w, "Cache-Control", "private, no-store");
}

/* j as compact JSON into body, in one piece (written into space reserved
 * in the buffer: no copy, no call per token), by contrib/jsonout.h: the bytes
 * of json_dumpb without its loop check, a quarter of an answer's cost. */
static bool dump(json_t *j, struct evbuffer *body)
{
    size_t want = 16384;
    for (int tries = 0; tries < 2; tries++) {
        struct evbuffer_iovec v;
        if (evbuffer_reserve_space(body, (ev_ssize_t)want, &v, 1) < 1)
            return false;
        size_t n = jsonout_compact(j, v.iov_base, v.iov_len);
        if (!n)
            return false;
        if (n <= v.iov_len) {
            v.iov_len = n;
            return evbuffer_commit_space(body, &v, 1) == 0;
        }
        want = n; /* too small: once more with the size it needs */
    }
    return false;
}

/* Sends j (taken over) with status. */
static void send_json(struct web_request *w, int status, json_t *j, bool signed_in)
{
    struct evbuffer *body = evbuffer_new();
    w->sent = true;
    bool ok = body && j && dump(j, body);
    jsonmem_drop(j);
    if (!ok) {
        if (body)
            evbuffer_free(body);
        evhttp_send_error(w->req, 500, NULL);
        return;
    }
    common_headers(w, signed_in);
    evhttp_send_reply(w->req, status, rdap_status_phrase(status), body);
    evbuffer_free(body);
}

static void send_error(struct web_request *w, int status, const char *why)
{
    send_json(w, status, rdap_error_json(status, rdap_status_phrase(status), why), false);
}

/* A fixed answer made at start: /rdap/help (referenced), or [rdap]
 * canned's domain answer (copied into the body, as a real answer is
 * written into it). */
static void send_fixed(struct web_request *w, const char *data, size_t len, bool copy,
                       bool signed_in)
{
    struct evbuffer *body = evbuffer_new();
    w->sent = true;
    if (!body || (copy ? evbuffer_add(body, data, len)
                       : evbuffer_add_reference(body, data, len, NULL, NULL))) {
        if (body)
            evbuffer_free(body);
        evhttp_send_error(w->req, 500, NULL);
        return;
    }
    common_headers(w, signed_in);
    evhttp_send_reply(w->req, 200, "OK", body);
    evbuffer_free(body);
}

/* ---- the client and its rate ------------------------------------------------------------- */

/* Takes a token of the client's bucket in `table`; false (and *wait_s,
 * whole seconds, at least 1) when there is none. Sources in [http] exempt
 * are not limited. */
static bool take(struct source_table *table, const struct rate_limit *r, const char *exempt,
                 const char *ip, int64_t *wait_s)
{
    struct netaddr_source src;
    if (r->per_minute <= 0 || netaddr_prefix_list_contains(exempt, ip) ||
        !netaddr_source_parse(ip, &src))
        return true;
    return source_table_take(table, r, &src, clock_mono_us(), wait_s);
}

static void send_too_many(struct web_request *w, int64_t wait_s, const char *why)
{
    web_retry_after(w, wait_s);
    send_error(w, 429, why);
}

/* ---- credentials ----------------------------------------------------------------------- */

static struct cred *cred_slot(struct rdap_service *s, const char *handle, const char *password,
                              const char *ip, unsigned char digest[crypto_generichash_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, s->cred_key, sizeof s->cred_key, crypto_generichash_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)handle, strlen(handle) + 1);
    crypto_generichash_update(&st, (const unsigned char *)password, strlen(password) + 1);
    crypto_generichash_update(&st, (const unsigned char *)ip, strlen(ip) + 1);
    crypto_generichash_final(&st, digest, crypto_generichash_BYTES);
    return &s->creds[digest[0] % CRED_SLOTS];
}

/* The registrar of the request's Authorization header into *v (none: the
 * public). False when the request was answered: credentials over plain
 * HTTP (403), wrong ones (401), too many password checks (429). */
static bool sign_in(struct web_request *w, const struct web_client *client, struct viewer *v)
{
    struct rdap_service *s = w->rdap;
    *v = (struct viewer){0};
    const char *auth = web_header(w, "Authorization");
    if (!auth)
        return true;
    bool local = !client->via_proxy && netaddr_is_loopback(client->ip) &&
                 s->cfg->rdap_loopback_credentials;
    if (!client->tls && !local) {
        send_error(w, 403, "credentials are accepted over HTTPS only; this request came over "
                           "plain HTTP, so change the password if it crossed a network");
        return false;
    }
    char user[64], password[256];
    if (!rdap_basic_credentials(auth, user, sizeof user, password, sizeof password)) {
        web_add_header(w, "WWW-Authenticate", "Basic realm=\"RDAP\", charset=\"UTF-8\"");
        send_error(w, 401, "send HTTP Basic credentials: your EPP client id and password");
        return false;
    }
    unsigned char digest[crypto_generichash_BYTES];
    struct cred *c = cred_slot(s, user, password, client->ip, digest);
    int64_t now = clock_mono_us();
    if (c->until_us > now && !sodium_memcmp(c->digest, digest, sizeof digest)) {
        snprintf(v->registrar, sizeof v->registrar, "%s", c->handle);
        sodium_memzero(password, sizeof password);
        return true;
    }
    int64_t wait_s;
    if (!web_password_gate_take(w, client->ip, &wait_s)) {
        sodium_memzero(password, sizeof password);
        send_too_many(w, wait_s, "too many sign-in attempts from this address; try again later");
        return false;
    }
    struct registrar r;
    reg_status st;
    char handle[REGISTRAR_HANDLE_MAX + 1];
    /* HTTP Basic carries no client certificate: a registrar that pinned
     * certificates for its logins cannot sign in here (docs/operations.md) */
    reg_err e = REG_ERR_AUTH;
    if (registrar_handle_normalize(user, handle, &st)) {
        handle[0] = '\0'; /* not a handle: nothing of it is logged */
        reg_fail(&st, REG_ERR_AUTH, "invalid client id or password");
    } else {
        e = registrar_authenticate(w->db, handle, password, NULL, client->ip, &r, &st);
    }
    sodium_memzero(password, sizeof password);
    if (e == REG_ERR_AUTH) {
        char why[400];
        reg_log(LOG_INFO, "rdap", w->id, "sign-in-refused", "clid=%s peer=%s reason=%s",
                handle[0] ? handle : "-", client->ip,
                log_quote(reg_status_text(&st), why, sizeof why));
        web_add_header(w, "WWW-Authenticate", "Basic realm=\"RDAP\", charset=\"UTF-8\"");
        send_error(w, 401, reg_status_text(&st));
        return false;
    }
    if (e) {
        send_error(w, 503, "the registry cannot check credentials just now; try again shortly");
        return false;
    }
    memcpy(c->digest, digest, sizeof digest);
    c->until_us = now + CRED_TTL_US;
    snprintf(c->handle, sizeof c->handle, "%s", r.handle);
    snprintf(v->registrar, sizeof v->registrar, "%s", r.handle);
    registrar_free(&r);
    return true;
}

/* ---- the route ------------------------------------------------------------------------- */

/* A registry refusal or failure as an RDAP error. */
static void send_refusal(struct web_request *w, const reg_status *st)
{
    switch (st->code) {
    case REG_ERR_NOT_FOUND: send_error(w, 404, reg_status_text(st)); return;
    case REG_ERR_INVALID:
    case REG_ERR_SYNTAX:
    case REG_ERR_MISSING: send_error(w, 400, reg_status_text(st)); return;
    case REG_ERR_UNIMPLEMENTED_OPTION: send_error(w, 422, reg_status_text(st)); return;
    default: {
        char why[400];
        reg_log(LOG_ERROR, "rdap", w->id, "lookup-failed", "error=%s reason=%s",
                reg_errname(st->code), log_quote(reg_status_text(st), why, sizeof why));
        web_add_header(w, "Retry-After", "10");
        send_error(w, 503, "the registry cannot answer just now; try again shortly");
    }
    }
}

static void send_answer(struct web_request *w, json_t *j, const struct rdds_viewer *v)
{
    send_json(w, 200, j, v->kind != RDDS_VIEW_PUBLIC);
}

static void lookup(struct web_request *w, struct rdap_answer *a, const struct rdap_query *q)
{
    struct rdap_service *s = w->rdap;
    reg_status st = {0};
    char self[600];
    json_t *obj = NULL;
    if (q->kind == RDAP_DOMAIN) {
        struct rdds_domain d;
        if (!rdds_find_domain(w->db, w->policy, q->name, a->now, &s->arena, &d, &st)) {
            rdap_url(a->site, "domain", d.alabel, self, sizeof self);
            obj = rdap_domain_json(a, &d, "$");
        }
    } else if (q->kind == RDAP_NAMESERVER) {
        struct rdds_host h;
        if (!rdds_find_host(w->db, w->policy, q->name, &s->arena, &h, &st)) {
            rdap_url(a->site, "nameserver", h.name, self, sizeof self);
            obj = rdap_nameserver_json(a, &h, "$");
        }
    } else {
        /* a contact's handle, else a registrar's (with [contact] id_prefix
         * = none the two could meet: the contact wins) */
        struct rdds_contact c;
        struct rdds_registrar r;
        reg_status rst;
        reg_err e = rdds_find_contact(w->db, w->policy, q->name, &s->arena, &c, &st);
        if (!e) {
            obj = rdap_contact_json(a, &c, "$");
        } else if (e == REG_ERR_NOT_FOUND) {
            e = rdds_find_registrar(w->db, q->name, &s->arena, &r, &rst);
            if (!e)
                obj = rdap_registrar_json(a, &r, "$");
            else if (e != REG_ERR_NOT_FOUND && e != REG_ERR_INVALID)
                st = rst; /* not "no such contact": the database failed */
        }
        rdap_url(a->site, "entity", q->name, self, sizeof self);
    }
    if (!obj && st.code) {
        send_refusal(w, &st);
        return;
    }
    send_answer(w, rdap_lookup_answer(a, obj, self), a->viewer);
}

/* Searches: the matching names, then each object read whole and shown
 * within the privacy rules, at most [rdap] max_results. */
static void search(struct web_request *w, struct rdap_answer *a, const struct rdap_query *q)
{
    struct rdap_service *s = w->rdap;
    struct rdds_pattern p = {q->name, q->suffix, q->partial, q->unicode};
    size_t limit = (size_t)a->site->max_results, n = 0;
    bool more = false;
    reg_status st = {0};
    json_t *results = json_array();
    char path[64], self[600];
    static const char *const member[] = {[RDAP_DOMAINS] = "domainSearchResults",
                                         [RDAP_NAMESERVERS] = "nameserverSearchResults",
                                         [RDAP_ENTITIES] = "entitySearchResults"};
    static const char *const kind[] = {[RDAP_DOMAINS] = "domains",
                                       [RDAP_NAMESERVERS] = "nameservers",
                                       [RDAP_ENTITIES] = "entities"};
    if (q->kind == RDAP_ENTITIES) {
        struct rdds_entity_hit *hits = arena_calloc(&s->arena, limit, sizeof *hits);
        reg_err e = hits ? rdds_search_entities(w->db, a->viewer->registrar,
                                                q->field == RDAP_BY_HANDLE, &p, limit, &s->arena,
                                                hits, &n, &more, &st)
                         : reg_fail(&st, REG_ERR_NOMEM, "out of memory");
        for (size_t i = 0; !e && i < n; i++) {
            snprintf(path, sizeof path, "$.%s[%zu]", member[q->kind], json_array_size(results));
            struct rdds_contact c;
            struct rdds_registrar r;
            e = hits[i].registrar ? rdds_find_registrar(w->db, hits[i].handle, &s->arena, &r, &st)
                                  : rdds_find_contact(w->db, w->policy, hits[i].handle,
                                                      &s->arena, &c, &st);
            if (!e)
                json_array_append_new(results, hits[i].registrar ? rdap_registrar_json(a, &r, path)
                                                                 : rdap_contact_json(a, &c, path));
            else if (e == REG_ERR_NOT_FOUND) /* gone meanwhile */
                e = REG_OK;
        }
    } else {
        const char **names = arena_calloc(&s->arena, limit, sizeof *names);
        reg_err e = !names ? reg_fail(&st, REG_ERR_NOMEM, "out of memory")
                    : q->kind == RDAP_DOMAINS
                        ? rdds_search_domains(w->db, &p, limit, &s->arena, names, &n, &more, &st)
                        : rdds_search_hosts(w->db, &p, limit, &s->arena, names, &n, &more, &st);
        for (size_t i = 0; !e && i < n; i++) {
            snprintf(path, sizeof path, "$.%s[%zu]", member[q->kind], json_array_size(results));
            if (q->kind == RDAP_DOMAINS) {
                struct rdds_domain d;
                e = rdds_find_domain(w->db, w->policy, names[i], a->now, &s->arena, &d, &st);
                if (!e)
                    json_array_append_new(results, rdap_domain_json(a, &d, path));
            } else {
                struct rdds_host h;
                e = rdds_find_host(w->db, w->policy, names[i], &s->arena, &h, &st);
                if (!e)
                    json_array_append_new(results, rdap_nameserver_json(a, &h, path));
            }
            if (e == REG_ERR_NOT_FOUND)
                e = REG_OK;
        }
    }
    if (st.code && st.code != REG_ERR_NOT_FOUND) {
        jsonmem_drop(results);
        send_refusal(w, &st);
        return;
    }
    rdap_url(a->site, kind[q->kind], NULL, self, sizeof self);
    send_answer(w, rdap_search_answer(a, member[q->kind], results, more, self), a->viewer);
}

static void answer(struct web_request *w, const struct rdap_query *q, const struct viewer *v)
{
    struct rdap_service *s = w->rdap;
    if (q->kind == RDAP_HELP) {
        send_fixed(w, w->rdap->help, w->rdap->help_len, false, false);
        return;
    }
    if (q->kind == RDAP_DOMAIN && s->canned) { /* a benchmark aid: no database */
        send_fixed(w, w->rdap->canned, w->rdap->canned_len, true, v->registrar[0] != '\0');
        return;
    }
    bool searching = q->kind == RDAP_DOMAINS || q->kind == RDAP_NAMESERVERS ||
                     q->kind == RDAP_ENTITIES;
    if (searching && !v->registrar[0]) {
        web_add_header(w, "WWW-Authenticate", "Basic realm=\"RDAP\", charset=\"UTF-8\"");
        send_error(w, 401, "searches are open to registrars: sign in with HTTP Basic (your EPP "
                           "client id and password) over HTTPS");
        return;
    }
    struct rdds_viewer viewer = rdds_public;
    if (v->registrar[0])
        viewer = (struct rdds_viewer){RDDS_VIEW_REGISTRAR, v->registrar};
    /* the answer's records and its JSON values from one arena, released
     * at once when it is sent */
    jsonmem_use(&s->arena);
    struct rdap_answer a = {.site = &s->site, .viewer = &viewer, .now = clock_now(),
                            .redacted = json_array()};
    if (searching)
        search(w, &a, q);
    else
        lookup(w, &a, q);
    jsonmem_drop(a.redacted);
    jsonmem_use(NULL);
    arena_reset(&s->arena);
}

void rdap_serve(struct web_request *w)
{
    struct rdap_service *s = w->rdap;
    if (*w->rest && *w->rest != '/') { /* "/rdapx" is not ours */
        web_not_found(w);
        return;
    }
    struct web_client client;
    web_client_of(w, s->cfg->http_proxies, &client);
    int64_t wait_s;
    if (!take(s->sources, &s->rate, s->cfg->http_exempt, client.ip, &wait_s)) {
        send_too_many(w, wait_s, "too many requests from this address; slow down");
        return;
    }
    if (!(w->method & (WEB_GET | WEB_HEAD))) {
        web_add_header(w, "Allow", "GET, HEAD");
        send_error(w, 405, "RDAP is read with GET (or HEAD)");
        return;
    }
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(w->req);
    struct rdap_query q;
    char why[256];
    int status = rdap_parse(w->rest, uri ? evhttp_uri_get_query(uri) : NULL, &q, why, sizeof why);
    if (status != 200) {
        send_error(w, status, why);
        return;
    }
    struct viewer v;
    if (!sign_in(w, &client, &v))
        return;
    answer(w, &q, &v);
}
