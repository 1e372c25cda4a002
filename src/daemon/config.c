#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"

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

static const setting_def defs[] = {
    SETTING("database", "url", SET_STRING, "sqlite:var/registry.db", 0, 0, NULL,
     "sqlite:PATH (embedded) or postgresql://user:pw@host:port/db", OFF(database_url),
     check_database_url),
    SETTING("paths", "var", SET_STRING, "var", 0, 0, NULL,
     "directory for generated certificates, mail spool and lease files", OFF(var_dir),
     check_nonempty),
    SETTING("log", "level", SET_ENUM, "info", 0, 0, "debug|info|warn|error",
     "lowest level written to stderr", OFF(log_level), NULL),
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
    SETTING("epp", "workers", SET_INT, "4", 1, 256, NULL,
     "command worker threads, each with its own database connection", OFF(epp_workers), NULL),
    SETTING("epp", "batch_max", SET_INT, "64", 1, 4096, NULL,
     "most commands sharing one transaction commit (group commit)", OFF(epp_batch_max), NULL),
    SETTING("whois", "listen", SET_ADDR, "127.0.0.1:4343", 0, 0, NULL,
     "WHOIS (RFC 3912); 43 in production", OFF(whois_listen), NULL),
    SETTING("http", "listen", SET_ADDR, "127.0.0.1:8080", 0, 0, NULL,
     "HTTP: RDAP, portals, confirmation pages", OFF(http_listen), NULL),
    SETTING("http", "base_url", SET_STRING, "http://127.0.0.1:8080", 0, 0, NULL,
     "public URL of the HTTP service, used in links sent by mail", OFF(http_base_url), NULL),
    SETTING("tld", "name", SET_STRING, "dk", 0, 0, NULL, "the top-level domain, without dots",
     OFF(tld_name), check_tld),
    SETTING("billing", "currency", SET_STRING, "DKK", 0, 0, NULL,
     "ISO 4217 code; amounts are integers of its minor unit", OFF(billing_currency), check_currency),
    SETTING("mail", "from", SET_STRING, "registry@localhost", 0, 0, NULL,
     "sender address of registry mail", OFF(mail_from), NULL),
    SETTING("mail", "smtp", SET_STRING, "", 0, 0, NULL,
     "smtp://host:port relay; empty = write mail to [mail] spool", OFF(mail_smtp), NULL),
    SETTING("mail", "spool", SET_STRING, "var/spool/mail", 0, 0, NULL,
     "directory of undelivered mail when no relay is set", OFF(mail_spool), NULL),
    SETTING("clock", "now", SET_TIME, "", 0, 0, NULL,
     "start the clock at this time (RFC 3339); empty = real time", OFF(clock_now), NULL),
    SETTING("clock", "frozen", SET_BOOL, "false", 0, 0, NULL,
     "with now: keep the clock standing at that time", OFF(clock_frozen), NULL),
    SETTING("jobs", "tick", SET_DURATION, "10s", 1, DAY, NULL,
     "how often registryd looks for due jobs", OFF(jobs_tick), NULL),
};

const settings_table reg_config_table = {defs, sizeof defs / sizeof defs[0]};

reg_err config_load(struct reg_config *cfg, const char *path, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    reg_err e = settings_defaults(&reg_config_table, cfg, err, errlen);
    if (!e && path)
        e = settings_load_file(&reg_config_table, cfg, path, err, errlen);
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
