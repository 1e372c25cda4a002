/* Pages served by registryd's HTTP listener (src/daemon/http_server.c):
 * the request a handler gets, the one HTML escaping helper (and the one CSV
 * quoting, for the files regctl writes), the page frame and the response
 * with the security headers every page carries. */
#ifndef REG_WEB_H
#define REG_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include "contrib/clock.h"
#include "contrib/status.h"
#include "contrib/strbuf.h"
#include "config/config.h"
#include "registry/policy.h"
#include "store/db.h"

struct evhttp_request;
struct rdap_service;
struct web_password_gate;

/* Methods a route accepts (HEAD goes wherever GET does). A WEB_ANY route
 * gets every method, those without a bit (method 0) too, and answers 405
 * itself. */
enum { WEB_GET = 1u << 0, WEB_POST = 1u << 1, WEB_HEAD = 1u << 2, WEB_ANY = 1u << 3 };

/* The scheduled jobs' state for /health and /metrics, given by the
 * daemon where the scheduler runs (web cannot see src/jobs): `each` calls
 * fn for every job (jobs_overdue in jobs/jobs.h). */
struct web_jobs {
    reg_err (*each)(db *d, const struct reg_config *cfg, reg_time now, reg_time since,
                    void (*fn)(const char *job, int64_t interval, bool overdue, reg_time last_ok,
                               void *arg),
                    void *arg, reg_status *st);
    /* fn for every job that counts what is due for it (jobs_backlog) */
    reg_err (*backlog)(db *d, const struct reg_config *cfg, reg_time now,
                       void (*fn)(const char *job, int64_t n, void *arg), void *arg,
                       reg_status *st);
    reg_time since; /* when the scheduler started */
};

/* The EPP command pipeline for the portal's XML console (R12), given by
 * the daemon (web cannot see src/eppd): `run` executes one whole
 * document as the registrar (registrar_id, clid) from `peer`, on d in a transaction of its own, exactly as a session's command
 * (schema check, dispatch, handlers, the EPP log with session
 * "portal-console"); it gives the command's svTRID and result code (the
 * response is in the EPP log under that svTRID) or, when nothing was
 * saved, an error with st. `indent` gives an XML document indented
 * (malloc'd; NULL when not XML). */
struct web_epp_as {
    int64_t registrar_id;
    const char *clid;
    const char *peer;
};
struct web_epp {
    reg_err (*run)(void *arg, db *d, const struct web_epp_as *as, const char *xml, size_t len,
                   char svtrid[40], int *code, reg_status *st);
    char *(*indent)(const char *xml, size_t len);
    void *arg;
};

struct web_request {
    struct evhttp_request *req;
    unsigned method;    /* one WEB_* bit */
    const char *path;   /* the URI's path, as sent (not percent-decoded) */
    const char *rest;   /* the path after the route's prefix */
    db *db;             /* the HTTP thread's own connection */
    const struct reg_config *cfg;
    const struct registry_policy *policy;
    const char *id;     /* request id for logs */
    const char *peer;   /* client address */
    struct rdap_service *rdap; /* the RDAP state of this thread (web/rdap_http.h) */
    struct web_password_gate *password_gate; /* this thread's; NULL: no limit */
    const struct web_jobs *jobs; /* NULL: this process runs no scheduler */
    const struct web_epp *epp;   /* NULL: the XML console is not offered */
    const char *csp;    /* Content-Security-Policy of the response; NULL: the default */
    bool cacheable;     /* a static file: may be cached for a day (default: no-store) */
    bool sent;          /* a response went out */
};

typedef void (*web_handler)(struct web_request *w);

/* Appends s with & < > " ' as character references: the only way text
 * reaches a page. */
void html_escape(strbuf *sb, const char *s);
/* Appends s as one CSV field (RFC 4180): as it is, or in double quotes
 * (a quote doubled) when it holds a comma, a quote or a line break; NULL
 * as an empty field. The only way text reaches a CSV file. */
void csv_field(strbuf *sb, const char *s);

/* <!DOCTYPE html> … <main>, with the title escaped and the shared CSS. */
void web_page_begin(strbuf *sb, const char *title);
/* The same in language lang (<html lang>). */
void web_page_begin_lang(strbuf *sb, const char *lang, const char *title);
/* </main></body></html> */
void web_page_end(strbuf *sb);

/* Sends the page with Content-Type text/html; charset=utf-8 and the
 * security headers (CSP, Referrer-Policy, Cache-Control, nosniff). Extra
 * headers (Set-Cookie, Allow) are added by the caller before. */
void web_send(struct web_request *w, int status, strbuf *page);
/* The same for a plain-text body (text/plain; charset=utf-8). */
void web_send_text(struct web_request *w, int status, strbuf *body);
/* The same for a body of another type. */
void web_send_as(struct web_request *w, int status, const char *content_type, strbuf *body);
/* A small page with a heading and one paragraph (error and outcome pages). */
void web_send_message(struct web_request *w, int status, const char *heading,
                      const char *text);
/* Adds a response header (before web_send). */
void web_add_header(struct web_request *w, const char *name, const char *value);
/* Retry-After: the whole seconds a client should wait before asking again. */
void web_retry_after(struct web_request *w, int64_t seconds);

/* Set-Cookie: `name=value; Path=<base path><path>; HttpOnly;
 * SameSite=Strict` and `Secure` when base_url is https; max_age >= 0 adds
 * Max-Age (0: the browser forgets the cookie). */
void web_set_cookie(struct web_request *w, const char *name, const char *value, const char *path,
                    int max_age);
/* 303 See Other to <base path><path> (every POST's answer: a reload never
 * sends the form again). */
void web_redirect(struct web_request *w, const char *path);

/* The request header (NULL if absent). */
const char *web_header(const struct web_request *w, const char *name);
/* The value of cookie `name` from the Cookie header(s) into out; false if
 * absent or longer than n-1. */
bool web_cookie(const struct web_request *w, const char *name, char *out, size_t n);
/* Field `name` of an application/x-www-form-urlencoded body into out; false
 * if absent or longer than n-1. */
bool web_form_field(const struct web_request *w, const char *name, char *out, size_t n);
/* The same for the query string of the URL (a GET form). */
bool web_query_field(const struct web_request *w, const char *name, char *out, size_t n);
/* Every value of field `name` of the query string, each followed by a
 * newline, appended to out (a GET form's checkboxes); how many. */
size_t web_query_values(const struct web_request *w, const char *name, strbuf *out);

/* The origin (RFC 6454) of an http(s) URL: "scheme://host[:port]" in lower
 * case without the scheme's default port; false if url is not http(s). */
bool web_origin(const char *url, char *out, size_t n);
/* The path of base_url without its trailing "/" ("" for none). */
const char *web_base_path(const char *base_url, char *out, size_t n);

/* The client behind a request. Straight from a client it is the peer, over
 * plain HTTP (this listener has no TLS). From a peer in `proxies` ([http]
 * proxies: the TLS proxies in front) it is the last address of
 * X-Forwarded-For (the one that proxy appended; the peer if there is none
 * or it is not an address), over TLS when the last X-Forwarded-Proto value
 * is https. */
struct web_client {
    char ip[64];
    bool via_proxy;
    bool tls;
};
void web_client_of(const struct web_request *w, const char *proxies, struct web_client *out);
/* The last entry of an X-Forwarded-For value into out, if it is a bare
 * IPv4 or IPv6 address. */
bool web_forwarded_for(const char *header, char *out, size_t n);

/* Password checks per client address, for every sign-in on the listener
 * (RDAP's HTTP Basic, the portal's login; [http] password_rate and
 * password_burst): one gate per HTTP thread.
 * web_password_gate_take is true when the client at `ip` may have a
 * password checked now; otherwise false with *wait_s, the whole seconds
 * (at least 1) until it may, for Retry-After. */
struct web_password_gate *web_password_gate_new(const struct reg_config *cfg);
void web_password_gate_free(struct web_password_gate *g);
bool web_password_gate_take(struct web_request *w, const char *ip, int64_t *wait_s);

/* Standard pages of the router. */
void web_not_found(struct web_request *w);
void web_method_not_allowed(struct web_request *w, const char *allow);
void web_too_large(struct web_request *w);
void web_unavailable(struct web_request *w);

#endif
