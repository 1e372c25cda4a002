#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "contrib/clock.h"
#include "contrib/cpus.h"
#include "contrib/log.h"
#include "contrib/workdays.h"
#include "contrib/mailaddr.h"
#include "contrib/secret.h"
#include "contrib/money.h"
#include "contrib/netaddr.h"
#include "contrib/strutil.h"

#define OFF(f) offsetof(struct reg_config, f)
#define SETTING(sec, nm, ty, df, lo, hi, ch, dc, off, chk)                                      \
    {.section = sec, .name = nm, .type = ty, .def = df, .min = lo, .max = hi, .choices = ch,      \
     .doc = dc, .offset = off, .check = chk}
#define KIB 1024
#define DAY 86400

static const char *check_tld(const char *t)
{
    size_t n = strlen(t);
    bool ok = n >= 2 && n <= 63 && t[0] != '-' && t[n - 1] != '-';
    for (const char *p = t; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
    return ok ? NULL : "a lowercase label like dk or no";
}

static const char *check_currency(const char *c)
{
    bool ok = strlen(c) == 3;
    for (int i = 0; ok && i < 3; i++)
        ok = c[i] >= 'A' && c[i] <= 'Z';
    return ok ? NULL : "an ISO 4217 code like DKK";
}

static const char *check_database_url(const char *u)
{
    bool ok = (!strncmp(u, "sqlite:", 7) && u[7]) || !strncmp(u, "postgresql://", 13) ||
              !strncmp(u, "postgres://", 11);
    return ok ? NULL : "sqlite:PATH or postgresql://…";
}

static const char *check_nonempty(const char *v)
{
    return *v ? NULL : "empty (a value is required)";
}

/* The logo's type comes from its name (site_logo_serve). */
static const char *check_logo(const char *v)
{
    static const char *const ext[] = {".png", ".svg", ".jpg", ".jpeg", ".webp"};
    size_t n = strlen(v);
    if (!n)
        return NULL;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (n > strlen(ext[i]) && !strcasecmp(v + n - strlen(ext[i]), ext[i]))
            return NULL;
    return "a .png, .svg, .jpg or .webp file";
}

static const char *check_mail_from(const char *v)
{
    char addr[320];
    return mail_addr_spec(v, addr, sizeof addr) ? NULL : "an address like registry@nic.example";
}

/* The host part of u when it starts with scheme a or b (NULL otherwise);
 * there must be a host before any path or port. */
static const char *url_host(const char *u, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    const char *host = !strncmp(u, a, la) ? u + la : !strncmp(u, b, lb) ? u + lb : NULL;
    return host && *host && *host != '/' && *host != ':' ? host : NULL;
}

/* No control characters, spaces or DEL (UTF-8 bytes pass). */
static bool no_space_or_control(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

/* Links are {base_url}/confirm/…: an absolute http(s) URL without query,
 * fragment or trailing slash. */
static const char *check_base_url(const char *u)
{
    bool ok = url_host(u, "http://", "https://") && u[strlen(u) - 1] != '/' &&
              !strpbrk(u, "?#@") && no_space_or_control(u);
    return ok ? NULL : "http://host[:port][/path] or https://… without a trailing slash";
}

static const char *check_smtp_url(const char *u)
{
    bool ok = !*u || (url_host(u, "smtp://", "smtps://") && no_space_or_control(u));
    return ok ? NULL : "empty, smtp://host:port or smtps://host:port";
}

static const char *check_holidays(const char *v)
{
    struct workdays w;
    if (workdays_parse(v, &w, NULL, 0))
        return "comma-separated dates like 2026-12-24,2026-12-25";
    workdays_free(&w);
    return NULL;
}

static const char *check_amount(const char *v)
{
    int64_t amount;
    return money_parse(v, false, &amount)
               ? "an amount like 20000 (minor units) or 200.00 (major units), not negative"
               : NULL;
}

static const char *check_sms_gateway(const char *u)
{
    bool ok = !*u || (url_host(u, "https://", "http://") && no_space_or_control(u));
    return ok ? NULL : "empty, or an https:// (or http://) URL";
}

/* It goes into a header line: printable ASCII, no spaces. */
static const char *check_sms_token(const char *t)
{
    bool ok = true;
    for (const char *p = t; ok && *p; p++)
        ok = (unsigned char)*p > ' ' && (unsigned char)*p < 0x7f;
    return ok ? NULL : "printable ASCII without spaces";
}

/* An alphanumeric sender id (at most 11 characters, the GSM limit) or a
 * number in international form. */
static const char *check_sms_sender(const char *v)
{
    size_t n = strlen(v);
    bool number = v[0] == '+' && n >= 7 && n <= 16, ok = n > 0 && (number || n <= 11);
    for (const char *p = v + number; ok && *p; p++)
        ok = (*p >= '0' && *p <= '9') ||
             (!number && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == ' ' ||
                          *p == '-' || *p == '.'));
    return ok ? NULL : "1-11 letters, digits, spaces, '-' or '.', or a number like +4512345678";
}

/* A host name: LDH labels of 1-63 characters, at most 253 in all, a
 * trailing dot or none. */
static bool host_name_ok(const char *h, size_t n)
{
    if (n && h[n - 1] == '.')
        n--;
    if (n == 0 || n > 253)
        return false;
    size_t label = 0;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (c == '.') {
            if (label == 0 || h[i - 1] == '-')
                return false;
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   (c == '-' && label > 0)) {
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    return h[n - 1] != '-';
}

static const char *check_host_name(const char *v)
{
    return !*v || host_name_ok(v, strlen(v)) ? NULL : "empty or a host name like ns1.nic.example";
}

/* [zone] ns: one or more host names, comma-separated, none twice. */
static const char *check_name_servers(const char *v)
{
    static const char *const bad = "comma-separated host names like ns1.nic.example, "
                                   "ns2.nic.example, none twice";
    size_t count = 0;
    for (const char *p = v; *p;) {
        p += strspn(p, ", \t");
        size_t n = strcspn(p, ", \t");
        if (!n)
            break;
        if (!host_name_ok(p, n))
            return bad;
        for (const char *q = v; q < p;) { /* the same name earlier? */
            q += strspn(q, ", \t");
            size_t m = strcspn(q, ", \t");
            if (q < p && m == n && !strncasecmp(q, p, n))
                return bad;
            q += m;
        }
        count++;
        p += n;
    }
    return count ? NULL : bad;
}

static const char *check_optional_address(const char *v)
{
    char addr[320];
    return !*v || mail_addr_spec(v, addr, sizeof addr) ? NULL : "empty or an address";
}

/* Empty, or where the DNS primary takes updates (a host name or address
 * and a port). */
static const char *check_zone_primary(const char *v)
{
    char host[256];
    int port;
    return !*v || (!settings_split_addr(v, host, sizeof host, &port) && port > 0)
               ? NULL
               : "empty, or host:port of the primary (e.g. 192.0.2.53:53 or [2001:db8::53]:53)";
}

/* A TSIG key name is a domain name: letters, digits, '-', '_' and dots. */
static const char *check_tsig_name(const char *v)
{
    size_t n = strlen(v);
    bool ok = n < 254 && (n == 0 || (v[0] != '.' && !strstr(v, "..")));
    for (const char *p = v; ok && *p; p++)
        ok = isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.';
    return ok ? NULL : "a key name like registry-update (letters, digits, '-', '_', dots)";
}

/* The key as Knot, BIND and ldns write it: base64. */
static const char *check_base64(const char *v)
{
    size_t n = strlen(v), pad = 0;
    bool ok = n % 4 == 0;
    for (size_t i = 0; ok && i < n; i++) {
        if (v[i] == '=')
            ok = ++pad <= 2 && i >= n - 2;
        else
            ok = !pad && (isalnum((unsigned char)v[i]) || v[i] == '+' || v[i] == '/');
    }
    return ok ? NULL : "base64, as in Knot's key secret or BIND's key file";
}

static const setting_def defs[] = {
    {.section = "database", .name = "url", .type = SET_STRING, .def = "sqlite:var/registry.db",
     .doc = "sqlite:PATH (embedded) or postgresql://user@host:port/db (a password in it is "
            "never printed; better in password_file)",
     .offset = OFF(database_url), .check = check_database_url, .url = true},
    SETTING("database", "password_file", SET_STRING, "", 0, 0, NULL,
     "file whose first line is the PostgreSQL password (not readable by others), so the "
     "password stays out of this file; empty = none or in url", OFF(database_password_file),
     NULL),
    SETTING("paths", "var", SET_STRING, "var", 0, 0, NULL,
     "directory for generated certificates, mail spool and lease files", OFF(var_dir),
     check_nonempty),
    SETTING("security", "pepper_file", SET_STRING, "", 0, 0, NULL,
     "keys of the auth-info and one-time-password hashes (hex, one a line, the first one "
     "current; not readable by others); empty = [paths] var/pepper, created at the first start",
     OFF(security_pepper_file), NULL),
    SETTING("log", "level", SET_ENUM, "info", 0, 0, "debug|info|warn|error",
     "lowest level written to the log", OFF(log_level), NULL),
    SETTING("log", "file", SET_STRING, "", 0, 0, NULL,
     "registryd appends its log lines to this file, opened again on SIGHUP (after logrotate "
     "moved it); empty = stderr", OFF(log_file), NULL),
    SETTING("epp", "listen", SET_ADDR, "127.0.0.1:7000", 0, 0, NULL,
     "EPP over TLS (RFC 5734); 700 in production", OFF(epp_listen), NULL),
    SETTING("epp", "cert", SET_STRING, "", 0, 0, NULL,
     "PEM server certificate; empty = self-signed one generated into [paths] var", OFF(epp_cert), NULL),
    SETTING("epp", "key", SET_STRING, "", 0, 0, NULL, "PEM private key of cert", OFF(epp_key), NULL),
    SETTING("epp", "max_frame", SET_INT, "65536", 1 * KIB, 16 * 1024 * KIB, NULL,
     "largest EPP frame in bytes, header included; bigger closes the session", OFF(epp_max_frame), NULL),
    SETTING("epp", "idle_timeout", SET_DURATION, "300s", 5, DAY, NULL,
     "close a session idle this long", OFF(epp_idle_timeout), NULL),
    SETTING("epp", "max_sessions", SET_INT, "10", 1, 10000, NULL,
     "concurrent sessions per registrar (more get 2502)", OFF(epp_max_sessions), NULL),
    SETTING("epp", "max_login_failures", SET_INT, "3", 1, 100, NULL,
     "failed logins before 2501 and close", OFF(epp_max_login_failures), NULL),
    SETTING("epp", "workers", SET_INT, "0", 0, 256, NULL,
     "command worker threads, each with its own database connection; 0 = one a CPU on SQLite "
     "(2 to 16), whose reads run side by side and whose writes queue for its one writer; "
     "on PostgreSQL two a CPU (4 to 64) for a server elsewhere, where a worker waits on its "
     "round trips, and one a CPU (2 to 64) for a server on this machine (a Unix socket or a "
     "loopback address), which shares the CPUs; set it where a loopback address is a proxy "
     "or tunnel to a server elsewhere",
     OFF(epp_workers), NULL),
    SETTING("epp", "batch_max", SET_INT, "64", 1, 4096, NULL,
     "most commands sharing one transaction commit (group commit)", OFF(epp_batch_max), NULL),
    /* the front door (issue 12; docs/operations.md "Limits and abuse") */
    SETTING("epp", "max_connections", SET_INT, "1000", 1, 1000000, NULL,
     "EPP connections open at once, logged in or not; more are closed at once (lowered at "
     "start to fit the file-descriptor limit)", OFF(epp_max_connections), NULL),
    SETTING("epp", "max_connections_per_source", SET_INT, "30", 1, 1000000, NULL,
     "of them from one IPv4 address or IPv6 /64", OFF(epp_max_connections_per_source), NULL),
    SETTING("epp", "session_rate", SET_INT, "60", 0, 1000000, NULL,
     "new connections a minute from one IPv4 address or IPv6 /64 (a token bucket of "
     "session_burst); more are closed at once; 0 = no limit", OFF(epp_session_rate), NULL),
    SETTING("epp", "session_burst", SET_INT, "20", 1, 1000000, NULL,
     "new connections one source may open at once before session_rate applies",
     OFF(epp_session_burst), NULL),
    SETTING("epp", "exempt", SET_STRING, "127.0.0.0/8, ::1", 0, 0, NULL,
     "addresses and prefixes the per-source limits do not apply to (a load balancer or proxy "
     "in front, local monitoring); empty = none", OFF(epp_exempt), netaddr_prefix_list_check),
    SETTING("epp", "frame_timeout", SET_DURATION, "30s", 1, 3600, NULL,
     "longest time to send one whole frame or the TLS handshake, and to read back answers "
     "over max_unsent; the session is closed", OFF(epp_frame_timeout), NULL),
    SETTING("epp", "login_timeout", SET_DURATION, "60s", 1, 3600, NULL,
     "longest time from connecting to a successful login, however busy the session keeps "
     "itself; the session is closed", OFF(epp_login_timeout), NULL),
    SETTING("epp", "max_unsent", SET_INT, "65536", 4 * KIB, 64 * 1024 * KIB, NULL,
     "bytes of answers waiting for a client that does not read, in registryd and again in "
     "the kernel's send buffer; beyond them its commands are not read", OFF(epp_max_unsent),
     NULL),
    SETTING("epp", "max_errors", SET_INT, "5", 1, 1000, NULL,
     "errors before login (hellos do not count as progress) after which the session is "
     "answered 2500 and closed; failed logins have max_login_failures",
     OFF(epp_max_errors), NULL),
    SETTING("epp", "prelogin_rate", SET_INT, "60", 0, 1000000, NULL,
     "commands a minute a session may send before login, after prelogin_burst; more wait "
     "unread; 0 = no limit", OFF(epp_prelogin_rate), NULL),
    SETTING("epp", "prelogin_burst", SET_INT, "10", 1, 1000000, NULL,
     "commands a session may send at once before login (a hello and a login need two)",
     OFF(epp_prelogin_burst), NULL),
    SETTING("whois", "listen", SET_ADDR, "127.0.0.1:4343", 0, 0, NULL,
     "WHOIS (RFC 3912); 43 in production", OFF(whois_listen), NULL),
    /* the abuse limits of WHOIS (issue 15; docs/operations.md "WHOIS") */
    SETTING("whois", "rate", SET_INT, "10", 0, 1000000, NULL,
     "queries a second from one IPv4 address or IPv6 /64 (a token bucket of burst); more are "
     "answered with one line of refusal; 0 = no limit", OFF(whois_rate), NULL),
    SETTING("whois", "burst", SET_INT, "20", 1, 1000000, NULL,
     "queries one source may send at once before rate applies", OFF(whois_burst), NULL),
    SETTING("whois", "max_connections", SET_INT, "1000", 1, 1000000, NULL,
     "WHOIS connections open at once; more are closed at once (lowered at start to fit the "
     "file-descriptor limit)", OFF(whois_max_connections), NULL),
    SETTING("whois", "max_connections_per_source", SET_INT, "4", 1, 1000000, NULL,
     "of them from one IPv4 address or IPv6 /64; more get one line of refusal",
     OFF(whois_max_connections_per_source), NULL),
    SETTING("whois", "threads", SET_INT, "2", 1, 4, NULL,
     "threads answering queries, each with its own database connection; a client's source "
     "always meets the same one", OFF(whois_threads), NULL),
    SETTING("whois", "timeout", SET_DURATION, "10s", 1, 3600, NULL,
     "longest time to send the query line and read the answer; a slower client is closed",
     OFF(whois_timeout), NULL),
    SETTING("whois", "exempt", SET_STRING, "", 0, 0, NULL,
     "addresses and prefixes the per-source limits do not apply to (local monitoring); "
     "empty = none", OFF(whois_exempt), netaddr_prefix_list_check),
    SETTING("whois", "canned", SET_BOOL, "false", 0, 0, NULL,
     "benchmark aid only: answer every query with one fixed text, never reading the "
     "database (the baseline of bench/whoisbench)", OFF(whois_canned), NULL),
    SETTING("http", "listen", SET_ADDR, "127.0.0.1:8080", 0, 0, NULL,
     "HTTP: RDAP, portals, confirmation pages", OFF(http_listen), NULL),
    SETTING("http", "base_url", SET_STRING, "http://127.0.0.1:8080", 0, 0, NULL,
     "public URL of the HTTP service, used in links sent by mail (https:// behind a TLS proxy)",
     OFF(http_base_url), check_base_url),
    SETTING("http", "threads", SET_INT, "2", 1, 16, NULL,
     "event loops serving HTTP, each with its own socket on the address, database connection "
     "and RDAP and sign-in limits; a client's source always meets the same one",
     OFF(http_threads), NULL),
    SETTING("http", "max_body", SET_INT, "65536", 1 * KIB, 16 * 1024 * KIB, NULL,
     "largest request body in bytes; bigger gets 413", OFF(http_max_body), NULL),
    SETTING("http", "timeout", SET_DURATION, "30s", 1, 3600, NULL,
     "close an HTTP connection that sends or reads nothing this long", OFF(http_timeout), NULL),
    SETTING("http", "request_timeout", SET_DURATION, "30s", 1, 3600, NULL,
     "longest time to send one whole request (line, headers and body), however steadily",
     OFF(http_request_timeout), NULL),
    SETTING("http", "max_connections", SET_INT, "1000", 1, 1000000, NULL,
     "HTTP connections open at once; more are closed at once (lowered at start to fit the "
     "file-descriptor limit)", OFF(http_max_connections), NULL),
    SETTING("http", "max_connections_per_source", SET_INT, "64", 1, 1000000, NULL,
     "of them from one IPv4 address or IPv6 /64", OFF(http_max_connections_per_source), NULL),
    SETTING("http", "exempt", SET_STRING, "127.0.0.0/8, ::1", 0, 0, NULL,
     "addresses and prefixes the per-source limit does not apply to (the TLS proxy in "
     "front); empty = none", OFF(http_exempt), netaddr_prefix_list_check),
    SETTING("http", "proxies", SET_STRING, "", 0, 0, NULL,
     "addresses of the TLS proxies in front of the HTTP listener: a request from one of them "
     "comes from the last address of its X-Forwarded-For header, and over TLS when its "
     "X-Forwarded-Proto is https; empty = none (requests come straight from their clients)",
     OFF(http_proxies), netaddr_prefix_list_check),
    SETTING("http", "password_rate", SET_INT, "30", 0, 1000000, NULL,
     "password checks a minute one client address may cause (portal and self-service logins, "
     "RDAP sign-ins; each costs tens of milliseconds of the HTTP thread); more get 429 with "
     "Retry-After; no address is exempt; 0 = no limit", OFF(http_password_rate), NULL),
    SETTING("http", "password_burst", SET_INT, "10", 1, 1000000, NULL,
     "password checks one client address may cause at once before password_rate applies",
     OFF(http_password_burst), NULL),
    /* RDAP (issue 15; docs/operations.md "RDAP") */
    SETTING("rdap", "rate", SET_INT, "10", 0, 1000000, NULL,
     "RDAP requests a second from one IPv4 address or IPv6 /64 (a token bucket of burst); "
     "more get 429 with Retry-After; sources in [http] exempt are not limited; 0 = no limit",
     OFF(rdap_rate), NULL),
    SETTING("rdap", "burst", SET_INT, "50", 1, 1000000, NULL,
     "RDAP requests one source may send at once before rate applies", OFF(rdap_burst), NULL),
    SETTING("rdap", "max_results", SET_INT, "100", 1, 10000, NULL,
     "most objects in one RDAP search answer; more are cut off with a notice",
     OFF(rdap_max_results), NULL),
    SETTING("rdap", "loopback_credentials", SET_BOOL, "false", 0, 0, NULL,
     "also accept a registrar's HTTP Basic credentials over plain HTTP from a loopback "
     "address that is not in [http] proxies (tools on this host); false = only over TLS "
     "through a proxy", OFF(rdap_loopback_credentials), NULL),
    SETTING("rdap", "canned", SET_BOOL, "false", 0, 0, NULL,
     "benchmark aid only: answer every domain lookup with one fixed domain answer built at "
     "start, never reading the database (the baseline of bench/rdap-bench.sh)",
     OFF(rdap_canned), NULL),
    SETTING("rdap", "port43", SET_STRING, "", 0, 0, NULL,
     "host name of the registry's WHOIS service, named in every RDAP object (port43); empty "
     "= not named", OFF(rdap_port43), check_host_name),
    /* the registrar portal's login (issue 16; docs/portal.md) */
    SETTING("portal", "max_failures", SET_INT, "5", 1, 100, NULL,
     "wrong passwords or codes in a row after which a portal user is locked out (logged)",
     OFF(portal_max_failures), NULL),
    SETTING("portal", "lockout", SET_DURATION, "15m", 60, DAY, NULL,
     "how long a locked-out portal user cannot log in", OFF(portal_lockout), NULL),
    SETTING("portal", "idle_timeout", SET_DURATION, "30m", 60, DAY, NULL,
     "a portal session not used this long ends", OFF(portal_idle_timeout), NULL),
    SETTING("portal", "lifetime", SET_DURATION, "12h", 300, 30 * DAY, NULL,
     "a portal session ends this long after login however it is used",
     OFF(portal_lifetime), NULL),
    SETTING("portal", "totp", SET_BOOL, "true", 0, 0, NULL,
     "portal logins need a TOTP code (RFC 6238) after the password; users enrol at their "
     "first login", OFF(portal_totp), NULL),
    SETTING("portal", "bootstrap", SET_STRING, "/usr/share/javascript/bootstrap5", 0, 0, NULL,
     "where Debian's libjs-bootstrap5 installed Bootstrap 5 (css/bootstrap.min.css is served "
     "to the portal's pages)", OFF(portal_bootstrap), check_nonempty),
    /* the registrant self-service site's login (issue 17; docs/self-service.md) */
    SETTING("selfservice", "max_failures", SET_INT, "5", 1, 100, NULL,
     "wrong passwords or eID identities in a row after which a registrant's self-service "
     "login is locked out (logged)", OFF(selfservice_max_failures), NULL),
    SETTING("selfservice", "lockout", SET_DURATION, "24h", 60, 30 * DAY, NULL,
     "how long a locked-out self-service login cannot log in (a reset link by e-mail ends it)",
     OFF(selfservice_lockout), NULL),
    SETTING("selfservice", "idle_timeout", SET_DURATION, "30m", 60, DAY, NULL,
     "a self-service session not used this long ends", OFF(selfservice_idle_timeout), NULL),
    SETTING("selfservice", "lifetime", SET_DURATION, "12h", 300, 30 * DAY, NULL,
     "a self-service session ends this long after login however it is used",
     OFF(selfservice_lifetime), NULL),
    SETTING("selfservice", "reset_ttl", SET_DURATION, "1h", 300, 7 * DAY, NULL,
     "how long a password reset link mailed by the self-service site stays valid",
     OFF(selfservice_reset_ttl), NULL),
    SETTING("registry", "name", SET_STRING, "", 0, 0, NULL,
     "the registry's name in WHOIS and RDAP answers, on the web pages and under every mail; "
     "empty = \"the .TLD registry\" (in a mail: \"The registry\" in its language)",
     OFF(registry_name), NULL),
    SETTING("registry", "terms_of_use", SET_STRING,
     "The data in this service is provided for information about domain name registrations "
     "only. You may not use it to send unsolicited messages, nor collect it by automated "
     "means beyond the published rate limits.", 0, 0, NULL,
     "terms of use of the public lookups, at the head of every WHOIS answer and in RDAP's "
     "notices", OFF(registry_terms_of_use), check_nonempty),
    SETTING("registry", "support", SET_STRING, "", 0, 0, NULL,
     "where registrants and registrars get help (an e-mail address, a URL or a telephone "
     "number): shown on every web page and under every mail's signature; empty = not shown",
     OFF(registry_support), NULL),
    SETTING("registry", "terms_url", SET_STRING, "", 0, 0, NULL,
     "address of the registration terms: linked from every web page and named under every "
     "mail's signature; empty = not shown", OFF(registry_terms_url), NULL),
    SETTING("registry", "logo", SET_STRING, "", 0, 0, NULL,
     "the registry's logo, a .png, .svg, .jpg or .webp file: served as {base_url}/logo and "
     "shown at the top of the portal, self-service and confirmation pages; empty = none",
     OFF(registry_logo), check_logo),
    SETTING("http", "metrics_allow", SET_STRING, "127.0.0.0/8, ::1", 0, 0, NULL,
     "addresses and prefixes that may read /metrics (a Prometheus server); others get 403; "
     "checked against the connection's peer, so never list a proxy in front; empty = none",
     OFF(http_metrics_allow), netaddr_prefix_list_check),
    SETTING("tld", "name", SET_STRING, "dk", 0, 0, NULL, "the top-level domain, without dots",
     OFF(tld_name), check_tld),
    SETTING("tld", "allowed_chars", SET_STRING, "abcdefghijklmnopqrstuvwxyz0123456789-\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa4\xc3\xb6\xc3\xbc\xc3\xa9", 0, 0,
            NULL, "characters allowed in a label (UTF-8); the .dk set by default",
            OFF(tld_allowed_chars), check_nonempty),
    SETTING("tld", "roid_suffix", SET_STRING, "", 0, 0, NULL,
            "repository id suffix of ROIDs (e.g. DK); empty = the TLD in upper case",
            OFF(tld_roid_suffix), NULL),
    SETTING("tld", "reserved", SET_STRING, "", 0, 0, NULL,
            "comma-separated labels that cannot be registered (e.g. nic,whois)", OFF(tld_reserved),
            NULL),
    SETTING("domain", "min_period", SET_INT, "1", 1, 10, NULL,
            "shortest registration or renewal period in years", OFF(domain_min_period), NULL),
    SETTING("domain", "max_period", SET_INT, "10", 1, 10, NULL,
            "longest registration or renewal period in years", OFF(domain_max_period), NULL),
    SETTING("transfer", "mode", SET_ENUM, "immediate", 0, 0, "immediate|pending",
            "immediate on correct auth info (the ccTLD norm), or pending until the losing "
            "registrar acts",
            OFF(transfer_mode), NULL),
    SETTING("transfer", "pending_period", SET_DURATION, "5d", 0, 60 * DAY, NULL,
            "with mode = pending: automatic approval after this long", OFF(transfer_pending_period),
            NULL),
    SETTING("lifecycle", "on_expiry", SET_ENUM, "autorenew", 0, 0, "autorenew|expire",
            "at expiry a domain is renewed for a year (the registrar is debited; a "
            "registrant-managed one is invoiced to the registrant), or becomes expired",
            OFF(lifecycle_on_expiry), NULL),
    SETTING("lifecycle", "hold_after", SET_DURATION, "15d", 0, 365 * DAY, NULL,
            "an expired domain gets serverHold this long after expiry", OFF(lifecycle_hold_after),
            NULL),
    SETTING("lifecycle", "delete_after", SET_DURATION, "30d", 0, 365 * DAY, NULL,
            "an expired domain is deleted (enters redemption) this long after expiry",
            OFF(lifecycle_delete_after), NULL),
    SETTING("lifecycle", "redemption_period", SET_DURATION, "30d", 0, 365 * DAY, NULL,
            "RGP redemptionPeriod after a delete (RFC 3915)", OFF(lifecycle_redemption_period),
            NULL),
    SETTING("lifecycle", "pending_delete_period", SET_DURATION, "5d", 0, 365 * DAY, NULL,
            "RGP pendingDelete after the redemption period, then the domain is purged",
            OFF(lifecycle_pending_delete_period), NULL),
    SETTING("confirm", "expire_after", SET_DURATION, "48h", 3600, 60 * DAY, NULL,
            "how long a registrant has to confirm a change of registrant or a delete",
            OFF(confirm_expire_after), NULL),
    SETTING("host", "allow_private", SET_BOOL, "false", 0, 0, NULL,
            "accept private, loopback and other reserved addresses for name servers",
            OFF(host_allow_private), NULL),
    SETTING("contact", "id_prefix", SET_ENUM, "registrar", 0, 0, "registrar|none",
            "registrar: contact ids are stored as REGISTRAR:ID (up to 100 characters, the "
            ".ee rule); none: the client's own id of 3-16 characters, so every reply fits "
            "RFC 5730's schemas (docs/epp-contacts.md)",
            OFF(contact_id_prefix), NULL),
    SETTING("account", "setup_ttl", SET_DURATION, "7d", 3600, 90 * DAY, NULL,
            "how long a self-service setup link (regctl account credentials) stays valid",
            OFF(account_setup_ttl), NULL),
    SETTING("idcheck", "enabled", SET_BOOL, "true", 0, 0, NULL,
            "check the identity of every registrant (pending from its first domain); "
            "false = no checks, suspensions or refusals",
            OFF(idcheck_enabled), NULL),
    SETTING("idcheck", "deadline", SET_DURATION, "25d", 3600, 365 * DAY, NULL,
            "a pending identity check not verified this long after it began fails",
            OFF(idcheck_deadline), NULL),
    SETTING("idcheck", "delete_after", SET_DURATION, "30d", 0, 365 * DAY, NULL,
            "a failed registrant's domains are suspended at once and deleted this long after",
            OFF(idcheck_delete_after), NULL),
    /* the eID providers compiled into src/registry/idcheck.c (a unit test
     * holds the two lists equal) */
    SETTING("idcheck", "provider", SET_ENUM, "none", 0, 0, CONFIG_IDCHECK_PROVIDERS,
            "eID provider of regctl idcheck eid (src/registry/idcheck.c): none, or test "
            "(deterministic, for tests; never in production)",
            OFF(idcheck_provider), NULL),
    SETTING("idcheck", "documents", SET_STRING, "", 0, 0, NULL,
            "where registrants send identity documents (a postal or e-mail address, a web "
            "page), named in the identity-check mail; empty = the [mail] from address",
            OFF(idcheck_documents), NULL),
    SETTING("billing", "currency", SET_STRING, "DKK", 0, 0, NULL,
     "ISO 4217 code; amounts are integers of its minor unit", OFF(billing_currency), check_currency),
    SETTING("billing", "allow_unpriced", SET_BOOL, "false", 0, 0, NULL,
     "true: an operation the price list has no price for is free; false: it is refused "
     "(regctl price check lists what is missing)", OFF(billing_allow_unpriced), NULL),
    SETTING("authinfo", "holidays", SET_STRING, "", 0, 0, NULL,
     "dates (YYYY-MM-DD, comma-separated) that are not working days, besides "
     "Saturdays and Sundays", OFF(authinfo_holidays), check_holidays),
    SETTING("authinfo", "deadline_days", SET_INT, "5", 1, 60, NULL,
     "working days a registrar has to give the registrant the auth info after a "
     "request", OFF(authinfo_deadline_days), NULL),
    SETTING("otp", "ttl", SET_DURATION, "14d", 3600, 365 * DAY, NULL,
     "how long a one-time password for a transfer stays usable",
     OFF(otp_ttl), NULL),
    SETTING("otp", "max_attempts", SET_INT, "5", 1, 100, NULL,
     "wrong transfer tries against a one-time password before it is void",
     OFF(otp_max_attempts), NULL),
    SETTING("otp", "manual_fee", SET_STRING, "200.00", 0, 0, NULL,
     "fee for the manual route, charged to the gaining registrar on its own invoice; "
     "an amount as everywhere in billing: 20000 (minor units) or 200.00 (major); 0 = free",
     OFF(otp_manual_fee), check_amount),
    SETTING("terms", "version", SET_STRING, "1.0", 0, 0, NULL,
     "version of the registry's terms a domain create must carry in regd:terms",
     OFF(terms_version), check_nonempty),
    SETTING("terms", "also_accept", SET_STRING, "", 0, 0, NULL,
     "comma-separated earlier terms versions still accepted at create (a transition); "
     "empty = only the current one", OFF(terms_also_accept), NULL),
    SETTING("management", "contact_check_interval", SET_DURATION, "365d", DAY, 3650 * DAY, NULL,
     "how often the registrant of registrar-managed domains is asked to check its contact "
     "data", OFF(management_contact_check_interval), NULL),
    SETTING("management", "invoice_due", SET_DURATION, "30d", 0, 365 * DAY, NULL,
     "payment term of the invoices the registry sends registrants of registrant-managed "
     "domains", OFF(management_invoice_due), NULL),
    SETTING("mail", "from", SET_STRING, "registry@localhost", 0, 0, NULL,
     "sender of registry mail: the From header and the SMTP envelope sender "
     "(addr or \"Name <addr>\")", OFF(mail_from), check_mail_from),
    SETTING("mail", "templates", SET_STRING, "", 0, 0, NULL,
     "directory of the operator's own texts for mails and SMS, one file ID.LANG.txt each "
     "(`regctl outbox templates DIR` writes ours to start from); checked at start-up; empty "
     "= the built-in texts", OFF(mail_templates), NULL),
    {.section = "mail", .name = "smtp", .type = SET_STRING, .def = "",
     .doc = "SMTP relay smtp://host:port or smtps://host:port (implicit TLS), optionally "
            "/ehlo-name after the port; empty = write mail to [mail] spool",
     .offset = OFF(mail_smtp), .check = check_smtp_url, .url = true},
    SETTING("mail", "starttls", SET_BOOL, "false", 0, 0, NULL,
     "with smtp://: require STARTTLS before sending (no mail goes out in clear)",
     OFF(mail_starttls), NULL),
    SETTING("mail", "user", SET_STRING, "", 0, 0, NULL,
     "SMTP AUTH user name; empty = no AUTH", OFF(mail_user), NULL),
    {.section = "mail", .name = "password", .type = SET_STRING, .def = "",
     .doc = "SMTP AUTH password (with user); config show does not print it",
     .offset = OFF(mail_password), .secret = true},
    SETTING("mail", "password_file", SET_STRING, "", 0, 0, NULL,
     "file whose first line is the SMTP AUTH password (not readable by others), instead of "
     "password", OFF(mail_password_file), NULL),
    SETTING("mail", "ca", SET_STRING, "", 0, 0, NULL,
     "PEM CA bundle to verify the relay's TLS certificate; empty = the system store",
     OFF(mail_ca), NULL),
    SETTING("mail", "timeout", SET_DURATION, "60s", 1, 3600, NULL,
     "longest SMTP session for one message (connecting: at most 10s)", OFF(mail_timeout),
     NULL),
    SETTING("mail", "spool", SET_STRING, "var/spool/mail", 0, 0, NULL,
     "directory the mail is written to (one RFC 5322 file each) when [mail] smtp is empty",
     OFF(mail_spool), NULL),
    SETTING("mail", "language", SET_ENUM, "en", 0, 0, "en|da|nb|et",
     "language of mail to registrars, and to contacts whose address is in no country with "
     "a language of its own (DK da, NO nb, EE et)", OFF(mail_language), NULL),
    {.section = "sms", .name = "gateway", .type = SET_STRING, .def = "",
     .doc = "SMS gateway URL: each message is POSTed as JSON {to, from, text}; empty = write "
            "SMS to [sms] spool",
     .offset = OFF(sms_gateway), .check = check_sms_gateway, .url = true},
    {.section = "sms", .name = "token", .type = SET_STRING, .def = "",
     .doc = "sent as Authorization: Bearer TOKEN; empty = none; config show does not print it",
     .offset = OFF(sms_token), .secret = true, .check = check_sms_token},
    SETTING("sms", "token_file", SET_STRING, "", 0, 0, NULL,
     "file whose first line is the gateway token (not readable by others), instead of token",
     OFF(sms_token_file), NULL),
    SETTING("sms", "sender", SET_STRING, "Registry", 0, 0, NULL,
     "the \"from\" of every SMS: an alphanumeric sender id (11 characters at most) or a "
     "number", OFF(sms_sender), check_sms_sender),
    SETTING("sms", "ca", SET_STRING, "", 0, 0, NULL,
     "PEM CA bundle to verify the gateway's TLS certificate; empty = the system store",
     OFF(sms_ca), NULL),
    SETTING("sms", "timeout", SET_DURATION, "30s", 1, 600, NULL,
     "longest gateway request for one message (connecting: at most 10s)", OFF(sms_timeout),
     NULL),
    SETTING("sms", "spool", SET_STRING, "var/spool/sms", 0, 0, NULL,
     "directory the SMS are written to (one JSON file each) when [sms] gateway is empty",
     OFF(sms_spool), NULL),
    SETTING("clock", "now", SET_TIME, "", 0, 0, NULL,
     "start the clock at this time (RFC 3339); empty = real time", OFF(clock_now), NULL),
    SETTING("clock", "frozen", SET_BOOL, "false", 0, 0, NULL,
     "with now: keep the clock standing at that time", OFF(clock_frozen), NULL),
    SETTING("jobs", "tick", SET_DURATION, "10s", 1, DAY, NULL,
     "how often registryd looks for due jobs", OFF(jobs_tick), NULL),
    SETTING("jobs", "batch", SET_INT, "1000", 1, 100000, NULL,
     "lifecycle jobs change at most this many domains per transaction, and commit and go "
     "on until nothing is due", OFF(jobs_batch), NULL),
    SETTING("jobs", "budget", SET_DURATION, "300s", 1, DAY, NULL,
     "a lifecycle job's run stops starting batches after this long and says how many due "
     "domains it left; the next tick goes on with them (the other jobs wait for a run)",
     OFF(jobs_budget), NULL),
    SETTING("outbox", "interval", SET_DURATION, "60s", 1, DAY, NULL,
     "how often the outbox-deliver job runs besides the prompt delivery after each "
     "transaction that queued mail or SMS (retries, and mail queued by regctl)",
     OFF(outbox_interval), NULL),
    /* the zone (DESIGN §9, docs/zone.md): the defaults make a zone that
     * loads in named-checkzone and kzonecheck; ns must be the TLD's own */
    SETTING("zone", "file", SET_STRING, "", 0, 0, NULL,
     "the zone file the zone-export job writes (RFC 1035 master file, replaced atomically); "
     "empty = [paths] var/TLD.zone", OFF(zone_file), NULL),
    SETTING("zone", "interval", SET_DURATION, "300s", 10, DAY, NULL,
     "how often the zone-export job writes the zone file (regctl zone export: at once)",
     OFF(zone_interval), NULL),
    SETTING("zone", "ns", SET_STRING, "ns1.example.net, ns2.example.net", 0, 0, NULL,
     "the TLD's name servers, comma-separated: the apex NS set (placeholders by default: set "
     "your own; one under the TLD needs its domain delegated with glue)", OFF(zone_ns),
     check_name_servers),
    SETTING("zone", "soa_mname", SET_STRING, "", 0, 0, NULL,
     "SOA MNAME, the primary name server; empty = the first of ns", OFF(zone_soa_mname),
     check_host_name),
    SETTING("zone", "soa_rname", SET_STRING, "", 0, 0, NULL,
     "SOA RNAME, the mailbox of the zone's administrator (hostmaster@nic.example); empty = "
     "the address of [mail] from", OFF(zone_soa_rname), check_optional_address),
    SETTING("zone", "ttl", SET_DURATION, "3600s", 0, 2147483647LL, NULL,
     "TTL of every record: SOA, NS, DS, glue", OFF(zone_ttl), NULL),
    SETTING("zone", "soa_refresh", SET_DURATION, "1800s", 1, 2147483647LL, NULL,
     "SOA refresh: how often secondaries look for a new serial", OFF(zone_soa_refresh), NULL),
    SETTING("zone", "soa_retry", SET_DURATION, "900s", 1, 2147483647LL, NULL,
     "SOA retry: how soon a secondary tries again after a failed refresh",
     OFF(zone_soa_retry), NULL),
    SETTING("zone", "soa_expire", SET_DURATION, "14d", 1, 2147483647LL, NULL,
     "SOA expire: how long a secondary that cannot refresh keeps answering",
     OFF(zone_soa_expire), NULL),
    SETTING("zone", "soa_minimum", SET_DURATION, "900s", 0, 2147483647LL, NULL,
     "SOA minimum: how long resolvers cache a name's absence (RFC 2308)",
     OFF(zone_soa_minimum), NULL),
    SETTING("zone", "max_shrink", SET_INT, "5", 0, 100, NULL,
     "safety guard: a zone file with more than this percentage fewer delegations than the "
     "last one published is held until regctl zone export --force; 100 = no guard",
     OFF(zone_max_shrink), NULL),
    SETTING("zone", "alert_email", SET_STRING, "", 0, 0, NULL,
     "where the safety guard's alert goes when it holds the zone; empty = none (the log "
     "line and regctl zone status only)", OFF(zone_alert_email), check_optional_address),
    /* incremental publication (docs/zone.md "Incremental publication") */
    SETTING("zone", "primary", SET_STRING, "", 0, 0, NULL,
     "DNS primary (host:port) that gets every committed change of the zone as a TSIG-signed "
     "DNS UPDATE (RFC 2136) within seconds, brought level (AXFR and difference) at start and "
     "after an outage; empty = none", OFF(zone_primary), check_zone_primary),
    SETTING("zone", "tsig_name", SET_STRING, "", 0, 0, NULL,
     "name of the TSIG key (RFC 8945) the updates and transfers are signed with; required "
     "with primary", OFF(zone_tsig_name), check_tsig_name),
    SETTING("zone", "tsig_algorithm", SET_ENUM, "hmac-sha256", 0, 0,
     "hmac-sha1|hmac-sha256|hmac-sha512",
     "algorithm of the TSIG key (those ldns signs with; hmac-sha256 is RFC 8945's choice)",
     OFF(zone_tsig_algorithm), NULL),
    {.section = "zone", .name = "tsig_secret", .type = SET_STRING, .def = "",
     .doc = "the TSIG key's secret (base64); config show does not print it; better in "
            "tsig_secret_file",
     .offset = OFF(zone_tsig_secret), .secret = true, .check = check_base64},
    SETTING("zone", "tsig_secret_file", SET_STRING, "", 0, 0, NULL,
     "file whose first line is the TSIG secret (not readable by others), instead of "
     "tsig_secret", OFF(zone_tsig_secret_file), NULL),
    /* GET /health (docs/operations.md "Monitoring") */
    SETTING("health", "disk_min_free", SET_INT, "100", 0, 1024 * 1024 * 1024, NULL,
     "MiB: /health reports the disk when the filesystem of the SQLite database or of [paths] "
     "var has less free; 0 = no such check", OFF(health_disk_min_free), NULL),
    SETTING("health", "disk_min_free_percent", SET_INT, "1", 0, 100, NULL,
     "the same as a percentage of the filesystem's size; 0 = no such check",
     OFF(health_disk_min_free_percent), NULL),
    SETTING("health", "job_grace", SET_DURATION, "10m", 0, 7 * DAY, NULL,
     "/health reports a scheduled job that has not succeeded for three of its intervals and "
     "this long (where the scheduler runs)", OFF(health_job_grace), NULL),
};

const settings_table reg_config_table = {defs, sizeof defs / sizeof defs[0]};

/* The PostgreSQL password of [database] password_file joins the URL as a
 * "password" parameter (percent-encoded), so every connection gets it and
 * str_redact_url hides it wherever the URL is printed. */
static reg_err add_database_password(struct reg_config *cfg, char *pw, char *err, size_t errlen)
{
    char safe[1024];
    const char *u = cfg->database_url;
    str_redact_url(safe, sizeof safe, u);
    if (strncmp(u, "postgres", 8)) {
        snprintf(err, errlen, "database.password_file: only for a postgresql:// url");
        return REG_ERR_CONFIG;
    }
    if (strcmp(safe, u)) {
        snprintf(err, errlen, "database.password_file: the url already holds a password; "
                              "give it in one place");
        return REG_ERR_CONFIG;
    }
    size_t n = strlen(u) + 16 + 3 * strlen(pw);
    char *full = malloc(n), *w;
    if (!full)
        return REG_ERR_NOMEM;
    w = full + snprintf(full, n, "%s%spassword=", u, strchr(u, '?') ? "&" : "?");
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++)
        w += isalnum(*p) || strchr("-._~", *p) ? sprintf(w, "%c", *p) : sprintf(w, "%%%02X", *p);
    free(cfg->database_url);
    cfg->database_url = full;
    return REG_OK;
}

/* Secrets kept in files of their own ([database] password_file, [mail]
 * password_file, [sms] token_file, [zone] tsig_secret_file), read once at
 * start. */
static reg_err load_secret_files(struct reg_config *cfg, char *err, size_t errlen)
{
    const struct {
        const char *what, *file, *instead;
        char **value;
    } files[] = {
        {"database.password_file", cfg->database_password_file, NULL, NULL},
        {"mail.password_file", cfg->mail_password_file, "mail.password", &cfg->mail_password},
        {"sms.token_file", cfg->sms_token_file, "sms.token", &cfg->sms_token},
        {"zone.tsig_secret_file", cfg->zone_tsig_secret_file, "zone.tsig_secret",
         &cfg->zone_tsig_secret},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *secret = NULL;
        if (!*files[i].file)
            continue;
        if (files[i].value && **files[i].value) {
            snprintf(err, errlen, "%s and %s are both set; give the secret in one place",
                     files[i].what, files[i].instead);
            return REG_ERR_CONFIG;
        }
        reg_err e = settings_read_secret_file(files[i].what, files[i].file, &secret, err, errlen);
        if (!e && !files[i].value)
            e = add_database_password(cfg, secret, err, errlen);
        else if (!e && settings_set(&reg_config_table, cfg, files[i].instead, secret, err, errlen))
            e = REG_ERR_CONFIG; /* a secret's error never shows its value */
        if (secret)
            secret_wipe(secret, strlen(secret));
        free(secret);
        if (e)
            return e;
    }
    return REG_OK;
}

/* Updates to a primary are always signed: a primary needs the key. */
static reg_err check_zone_key(const struct reg_config *cfg, char *err, size_t errlen)
{
    if (!*cfg->zone_primary)
        return REG_OK;
    if (!*cfg->zone_tsig_name || !*cfg->zone_tsig_secret) {
        snprintf(err, errlen, "zone.primary: updates are signed with TSIG; set zone.tsig_name "
                              "and zone.tsig_secret (or zone.tsig_secret_file)");
        return REG_ERR_CONFIG;
    }
    return REG_OK;
}

/* One host of a PostgreSQL connection on this machine: a Unix socket (a
 * path, an abstract socket, or none: libpq's default socket), "localhost"
 * or a loopback address. */
static bool host_local(const char *h, size_t n)
{
    char one[256];
    if (n == 0 || *h == '/' || *h == '@')
        return true;
    if (n >= sizeof one)
        return false;
    memcpy(one, h, n);
    one[n] = '\0';
    return !strcmp(one, "localhost") || netaddr_is_loopback(one);
}

/* The i-th item of a comma-separated list (empty beyond its end). */
static void list_item(const char *list, int i, const char **p, size_t *n)
{
    const char *s = list;
    for (; i > 0 && *s; i--) {
        s += strcspn(s, ",");
        if (*s)
            s++;
    }
    *p = s;
    *n = i > 0 ? 0 : strcspn(s, ",");
}

static int list_len(const char *list)
{
    int n = 1;
    for (const char *s = list; *s; s++)
        n += *s == ',';
    return n;
}

/* An option of the parsed URL, else its environment variable (as libpq
 * takes it when it connects), else "". */
static const char *option(const PQconninfoOption *opts, const char *key, const char *env)
{
    for (const PQconninfoOption *o = opts; o->keyword; o++)
        if (!strcmp(o->keyword, key) && o->val && *o->val)
            return o->val;
    const char *v = getenv(env);
    return v ? v : "";
}

/* Whether every server the database URL leads libpq to is on this machine
 * (libpq parses the URL: percent-encoding, lists of hosts). Entry by
 * entry, hostaddr is where libpq connects when given, else host; options
 * the URL leaves out come from the environment, as they do for libpq.
 * A service file is not read: a service counts as elsewhere. A guess
 * only: a proxy or tunnel on a loopback address leads elsewhere. */
static bool pg_url_local(const char *url)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &err);
    if (!opts) {
        PQfreemem(err);
        return false; /* db_open will say what is wrong with it */
    }
    const char *host = option(opts, "host", "PGHOST");
    const char *hostaddr = option(opts, "hostaddr", "PGHOSTADDR");
    bool local = !*option(opts, "service", "PGSERVICE");
    int n = list_len(host), na = list_len(hostaddr);
    for (int i = 0; local && i < (n > na ? n : na); i++) {
        const char *p, *a;
        size_t len, alen;
        list_item(host, i, &p, &len);
        list_item(hostaddr, i, &a, &alen);
        local = alen ? host_local(a, alen) : host_local(p, len);
    }
    /* its copy of a password in the URL is wiped, as every secret is */
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (o->val && !strcmp(o->keyword, "password"))
            secret_wipe(o->val, strlen(o->val));
    PQconninfoFree(opts);
    return local;
}

/* [epp] workers = 0: as many as suit the database and the machine. On
 * SQLite more threads than CPUs only take turns (issue 18: with 2 CPUs
 * and 100 sessions, 2 workers served about 10 % more checks and 16 % more
 * creates a second than 4, docs/performance.md). A PostgreSQL worker
 * spends much of a command waiting for the server's answers: two a CPU
 * for a server elsewhere; one on this machine shares the CPUs with them,
 * and there (2 CPUs, 100 sessions) 2 workers served more creates, checks
 * and infos a second than 4, 8 or 16. */
static int64_t workers_for(const char *database_url)
{
    long cpus = cpus_usable(); /* the machine's count overstates a container's */
    bool pg = !strncmp(database_url, "postgres", 8), remote = pg && !pg_url_local(database_url);
    long n = remote ? 2 * cpus : cpus, lo = remote ? 4 : 2, hi = pg ? 64 : 16;
    return n < lo ? lo : n > hi ? hi : n;
}

reg_err config_load(struct reg_config *cfg, const char *path, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    reg_err e = settings_defaults(&reg_config_table, cfg, err, errlen);
    if (!e && path)
        e = settings_load_file(&reg_config_table, cfg, path, err, errlen);
    if (!e)
        e = load_secret_files(cfg, err, errlen);
    if (!e)
        e = check_zone_key(cfg, err, errlen);
    if (!e && !cfg->epp_workers)
        cfg->epp_workers = workers_for(cfg->database_url);
    if (e)
        config_free(cfg);
    return e;
}

void config_free(struct reg_config *cfg)
{
    settings_free(&reg_config_table, cfg);
}

reg_err config_apply_process_settings(const struct reg_config *cfg, char *err, size_t errlen)
{
    log_level level;
    if (log_level_parse(cfg->log_level, &level)) {
        snprintf(err, errlen, "log.level: bad value \"%s\"", cfg->log_level);
        return REG_ERR_CONFIG;
    }
    log_set_level(level);
    if (cfg->clock_now) {
        if (cfg->clock_frozen)
            clock_set_fixed(cfg->clock_now);
        else
            clock_set_start(cfg->clock_now);
    }
    return REG_OK;
}
