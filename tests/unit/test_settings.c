/* Settings engine (src/contrib/settings.c) through registryd's table
 * (src/daemon/config.c): defaults, files, "FILE:LINE: …" errors,
 * durations, command-line overrides and `config show` output. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contrib/clock.h"
#include "contrib/cpus.h"
#include "contrib/settings.h"
#include "contrib/strutil.h"
#include "config/config.h"

/* Writes text to a scratch file; returns its path (static buffer per call
 * site is not enough when two are alive, so the caller passes one). */
static const char *write_conf(char *path, size_t n, const char *name, const char *text)
{
    snprintf(path, n, "%s/settings-%s-%d.conf", test_tmpdir(), name, (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Captures settings_show() output; caller frees. */
static char *show(const struct reg_config *cfg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    settings_show(&reg_config_table, cfg, f);
    fclose(f);
    return buf;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("expected to find \"%s\" in:\n%s", needle, hay);
}

static void defaults_are_the_documented_ones(void **state)
{
    (void)state;
    struct reg_config cfg;
    char err[SETTINGS_ERRLEN] = "";
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), REG_OK);
    assert_string_equal(cfg.database_url, "sqlite:var/registry.db");
    assert_string_equal(cfg.var_dir, "var");
    assert_string_equal(cfg.log_level, "info");
    assert_string_equal(cfg.epp_listen, "127.0.0.1:7000");
    assert_string_equal(cfg.epp_cert, "");
    assert_string_equal(cfg.epp_key, "");
    assert_int_equal(cfg.epp_max_frame, 65536);
    assert_int_equal(cfg.epp_idle_timeout, 300);
    assert_int_equal(cfg.epp_max_sessions, 10);
    assert_int_equal(cfg.epp_max_login_failures, 3);
    assert_true(cfg.epp_workers >= 1);
    assert_true(cfg.epp_batch_max >= 1);
    assert_string_equal(cfg.whois_listen, "127.0.0.1:4343");
    assert_string_equal(cfg.http_listen, "127.0.0.1:8080");
    assert_string_equal(cfg.http_base_url, "http://127.0.0.1:8080");
    assert_string_equal(cfg.tld_name, "dk");
    assert_string_equal(cfg.billing_currency, "DKK");
    assert_string_equal(cfg.mail_smtp, "");
    assert_false(cfg.mail_starttls);
    assert_string_equal(cfg.mail_user, "");
    assert_string_equal(cfg.mail_password, "");
    assert_string_equal(cfg.mail_ca, "");
    assert_int_equal(cfg.mail_timeout, 60);
    assert_string_equal(cfg.mail_spool, "var/spool/mail");
    assert_int_equal(cfg.clock_now, 0);
    assert_false(cfg.clock_frozen);
    assert_int_equal(cfg.jobs_tick, 10);
    /* the benchmark aids are off unless asked for */
    assert_false(cfg.whois_canned);
    assert_false(cfg.rdap_canned);
    config_free(&cfg);
    assert_null(cfg.database_url);
}

/* [epp] workers = 0 (the default): one worker a CPU on SQLite (2 to 16)
 * and on a PostgreSQL server of this machine (2 to 64), two a CPU on one
 * elsewhere (4 to 64); a number given is kept. */
static void epp_workers_follow_the_database(void **state)
{
    (void)state;
    long cpus = cpus_usable();
    int64_t sqlite = cpus < 2 ? 2 : cpus > 16 ? 16 : cpus;
    int64_t pg_here = cpus < 2 ? 2 : cpus > 64 ? 64 : cpus;
    int64_t pg_elsewhere = 2 * cpus < 4 ? 4 : 2 * cpus > 64 ? 64 : 2 * cpus;
    struct reg_config cfg;
    char err[SETTINGS_ERRLEN] = "", path[512];
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), REG_OK);
    assert_int_equal(cfg.epp_workers, sqlite);
    config_free(&cfg);
    static const struct {
        const char *url;
        bool here;
    } urls[] = {
        {"postgresql://reg@db.example:5432/registry", false},
        {"postgresql://reg@127.0.0.1:5432/registry", true},
        {"postgresql://reg@localhost/registry", true},
        {"postgresql://[::1]:5432/registry", true},
        {"postgresql:///registry", true}, /* libpq's default socket */
        {"postgresql:///registry?host=/var/run/postgresql", true},
        {"postgresql://%2Fvar%2Frun%2Fpostgresql/registry", true},
        {"postgresql://localhost,db2.example/registry", false}, /* one elsewhere */
        {"postgresql://db.example/registry?hostaddr=127.0.0.1", true},
        {"postgresql://127.0.0.1.nip.io/registry", false}, /* a name, not an address */
        {"postgresql://[::ffff:127.0.0.1]/registry", true}, /* loopback, IPv4-mapped */
        /* hostaddr's empty first entry: libpq connects to host's first */
        {"postgresql:///registry?host=db.example,localhost&hostaddr=,127.0.0.1", false},
        {"postgresql:///registry?host=db.example,db2.example&hostaddr=127.0.0.1,::1", true},
        {"postgresql:///registry?service=prod", false}, /* a service file is not read */
    };
    /* what the URL leaves out comes from the environment, as for libpq */
    const char *saved[3] = {getenv("PGHOST"), getenv("PGHOSTADDR"), getenv("PGSERVICE")};
    char *keep[3];
    for (int i = 0; i < 3; i++)
        keep[i] = saved[i] ? strdup(saved[i]) : NULL;
    unsetenv("PGHOST");
    unsetenv("PGHOSTADDR");
    unsetenv("PGSERVICE");
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        char conf[256];
        snprintf(conf, sizeof conf, "[database]\nurl = %s\n", urls[i].url);
        write_conf(path, sizeof path, "workers_pg", conf);
        assert_int_equal(config_load(&cfg, path, err, sizeof err), REG_OK);
        if (cfg.epp_workers != (urls[i].here ? pg_here : pg_elsewhere))
            fail_msg("%s: %lld workers", urls[i].url, (long long)cfg.epp_workers);
        config_free(&cfg);
    }
    write_conf(path, sizeof path, "workers_env", "[database]\nurl = postgresql:///registry\n");
    setenv("PGHOST", "db.example", 1);
    assert_int_equal(config_load(&cfg, path, err, sizeof err), REG_OK);
    assert_int_equal(cfg.epp_workers, pg_elsewhere);
    config_free(&cfg);
    setenv("PGHOSTADDR", "127.0.0.1", 1); /* where libpq connects */
    assert_int_equal(config_load(&cfg, path, err, sizeof err), REG_OK);
    assert_int_equal(cfg.epp_workers, pg_here);
    config_free(&cfg);
    unsetenv("PGHOST");
    unsetenv("PGHOSTADDR");
    setenv("PGSERVICE", "prod", 1);
    assert_int_equal(config_load(&cfg, path, err, sizeof err), REG_OK);
    assert_int_equal(cfg.epp_workers, pg_elsewhere);
    config_free(&cfg);
    unsetenv("PGSERVICE");
    const char *names[3] = {"PGHOST", "PGHOSTADDR", "PGSERVICE"};
    for (int i = 0; i < 3; i++) {
        if (keep[i])
            setenv(names[i], keep[i], 1);
        free(keep[i]);
    }
    write_conf(path, sizeof path, "workers_set",
               "[database]\nurl = postgresql://reg@db.example:5432/registry\n"
               "[epp]\nworkers = 3\n");
    assert_int_equal(config_load(&cfg, path, err, sizeof err), REG_OK);
    assert_int_equal(cfg.epp_workers, 3);
    config_free(&cfg);
}

static void file_overrides_values(void **state)
{
    (void)state;
    char path[512];
    write_conf(path, sizeof path, "override",
               "# registryd test configuration\n"
               "; another comment style\n"
               "\n"
               "[database]\n"
               "url = postgresql://reg@db.example:5432/registry\n"
               "  [ epp ]  \n"
               "  listen   =   [::1]:7700  \n"
               "max_frame = 131072\n"
               "idle_timeout = 5m\n"
               "[whois]\n"
               "listen = 0.0.0.0:43\n"
               "canned = true\n"
               "[rdap]\n"
               "canned = yes\n"
               "[tld]\n"
               "name = \"no\"\n"
               "[billing]\n"
               "currency = NOK\n"
               "[log]\n"
               "level = debug\n"
               "[clock]\n"
               "now = 2027-03-01T00:00:00Z\n"
               "frozen = yes\n"
               "[jobs]\n"
               "tick = 1h\n");
    struct reg_config cfg;
    char err[SETTINGS_ERRLEN] = "";
    reg_err e = config_load(&cfg, path, err, sizeof err);
    if (e)
        fail_msg("config_load: %s", err);
    assert_string_equal(cfg.database_url, "postgresql://reg@db.example:5432/registry");
    assert_string_equal(cfg.epp_listen, "[::1]:7700");
    assert_int_equal(cfg.epp_max_frame, 131072);
    assert_int_equal(cfg.epp_idle_timeout, 300);
    assert_string_equal(cfg.whois_listen, "0.0.0.0:43");
    assert_true(cfg.whois_canned);
    assert_true(cfg.rdap_canned);
    assert_string_equal(cfg.tld_name, "no");
    assert_string_equal(cfg.billing_currency, "NOK");
    assert_string_equal(cfg.log_level, "debug");
    assert_int_equal(cfg.clock_now, 1803859200);
    assert_true(cfg.clock_frozen);
    assert_int_equal(cfg.jobs_tick, 3600);
    /* untouched settings keep their defaults */
    assert_string_equal(cfg.http_listen, "127.0.0.1:8080");
    assert_int_equal(cfg.epp_max_sessions, 10);
    config_free(&cfg);
    unlink(path);
}

/* The file must fail with err == "PATH:LINE: <something>" on one line, and
 * config_load must leave nothing allocated behind. */
static void expect_file_error(const char *name, const char *text, int line, const char *mention)
{
    char path[512], want[600], err[SETTINGS_ERRLEN] = "";
    write_conf(path, sizeof path, name, text);
    struct reg_config cfg;
    reg_err e = config_load(&cfg, path, err, sizeof err);
    if (e == REG_OK) {
        config_free(&cfg);
        fail_msg("%s: config_load accepted:\n%s", name, text);
    }
    snprintf(want, sizeof want, "%s:%d: ", path, line);
    if (strncmp(err, want, strlen(want)) != 0)
        fail_msg("%s: error \"%s\" does not start with \"%s\"", name, err, want);
    if (strlen(err) <= strlen(want))
        fail_msg("%s: error \"%s\" says nothing after the location", name, err);
    if (strchr(err, '\n'))
        fail_msg("%s: error \"%s\" is more than one line", name, err);
    if (mention && !strstr(err, mention))
        fail_msg("%s: error \"%s\" does not mention \"%s\"", name, err, mention);
    assert_null(cfg.database_url); /* freed on failure */
    assert_null(cfg.epp_listen);
    unlink(path);
}

static void file_errors_name_file_and_line(void **state)
{
    (void)state;
    expect_file_error("unknown-section", "# header\n\n[nosuch]\nx = 1\n", 3, "nosuch");
    expect_file_error("unknown-key", "[epp]\nlisten = 127.0.0.1:7001\nbogus = 1\n", 3, "bogus");
    expect_file_error("outside-section", "url = sqlite:x.db\n[database]\n", 1, "url");
    expect_file_error("bad-int", "[epp]\nmax_frame = 12x\n", 2, "max_frame");
    expect_file_error("bad-int-empty", "[epp]\nmax_sessions =\n", 2, "max_sessions");
    expect_file_error("bad-int-overflow", "[epp]\nmax_frame = 99999999999999999999999\n", 2,
                      "max_frame");
    expect_file_error("out-of-range-low", "[epp]\n\nmax_frame = 100\n", 3, "range");
    expect_file_error("out-of-range-high", "[epp]\nmax_sessions = 10001\n", 2, "range");
    expect_file_error("duration-too-short", "[epp]\nidle_timeout = 1s\n", 2, "range");
    expect_file_error("bad-duration", "[epp]\nidle_timeout = 5 minutes\n", 2, "idle_timeout");
    expect_file_error("bad-duration-unit", "[jobs]\ntick = 5w\n", 2, "tick");
    expect_file_error("bad-duration-negative", "[jobs]\ntick = -5s\n", 2, "tick");
    expect_file_error("bad-bool", "[clock]\nfrozen = maybe\n", 2, "frozen");
    expect_file_error("bad-addr-noport", "[whois]\nlisten = localhost\n", 2, "listen");
    expect_file_error("bad-addr-v6", "[epp]\nlisten = ::1:7000\n", 2, "listen");
    expect_file_error("bad-addr-bracket", "[epp]\nlisten = [::1]7000\n", 2, "listen");
    expect_file_error("bad-addr-port", "[http]\nlisten = 127.0.0.1:65536\n", 2, "listen");
    expect_file_error("bad-addr-emptyhost", "[http]\nlisten = :8080\n", 2, "listen");
    expect_file_error("bad-enum", "[log]\nlevel = loud\n", 2, "loud");
    expect_file_error("bad-tld-upper", "[tld]\nname = DK\n", 2, "DK");
    expect_file_error("bad-tld-dot", "[tld]\nname = .dk\n", 2, "name");
    expect_file_error("bad-tld-hyphen", "[tld]\nname = dk-\n", 2, "name");
    expect_file_error("bad-tld-short", "[tld]\nname = d\n", 2, "name");
    expect_file_error("bad-currency", "[billing]\ncurrency = dkk\n", 2, "currency");
    expect_file_error("bad-currency-len", "[billing]\ncurrency = EURO\n", 2, "currency");
    expect_file_error("bad-database-url", "[database]\nurl = mysql://localhost/reg\n", 2, "url");
    expect_file_error("bad-database-url-empty", "[database]\nurl = sqlite:\n", 2, "url");
    expect_file_error("bad-time", "[clock]\nnow = tomorrow\n", 2, "now");
    expect_file_error("bad-header", "[epp\nlisten = 127.0.0.1:7000\n", 1, NULL);
    expect_file_error("no-equals", "[epp]\nlisten 127.0.0.1:7000\n", 2, NULL);
    expect_file_error("empty-var", "[paths]\nvar =\n", 2, "var");
    /* a setting given twice, even with the same value, like an unknown one */
    expect_file_error("twice", "[epp]\nlisten = 127.0.0.1:7001\n[http]\nlisten = 127.0.0.1:8081\n"
                      "[epp]\nlisten = 127.0.0.1:7001\n",
                      6, "epp.listen is set twice (first on line 2)");
    /* the first error wins: a later bad line does not hide an earlier one */
    expect_file_error("first-error", "[epp]\nmax_frame = x\nbogus = 1\n", 2, "max_frame");
}

/* Every printed database URL goes through str_redact_url. */
static void urls_are_printed_without_passwords(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"postgresql://reg:s3cret@db.example:5432/registry",
         "postgresql://reg:***@db.example:5432/registry"},
        {"postgres://reg:p%40ss@db/registry?sslmode=require",
         "postgres://reg:***@db/registry?sslmode=require"},
        {"postgresql://reg@db/registry?sslmode=require&password=s3cret&connect_timeout=5",
         "postgresql://reg@db/registry?sslmode=require&password=***&connect_timeout=5"},
        {"postgresql://a:b@db/x?password=c", "postgresql://a:***@db/x?password=***"},
        {"postgresql://reg@db/registry", "postgresql://reg@db/registry"},
        {"postgresql:///registry?host=/run/postgresql", "postgresql:///registry?host=/run/postgresql"},
        {"sqlite:var/registry.db", "sqlite:var/registry.db"},
        {"smtps://user:pw@mail.example:465", "smtps://user:***@mail.example:465"},
        {"https://gw.example/send?user=a@b", "https://gw.example/send?user=a@b"},
        /* a password with '/', '?' or '#' left unencoded still ends at the last '@' */
        {"postgresql://reg:pa/ss?w#rd@db/registry", "postgresql://reg:***@db/registry"},
        {"postgresql://reg@db/x?sslpassword=k3y", "postgresql://reg@db/x?sslpassword=***"},
    };
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        str_redact_url(out, sizeof out, cases[i][0]);
        assert_string_equal(out, cases[i][1]);
    }
    str_redact_url(out, 12, cases[0][0]); /* cut, terminated, the secret never shown */
    assert_string_equal(out, "postgresql:");

    struct reg_config cfg;
    char err[SETTINGS_ERRLEN] = "";
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), REG_OK);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "database.url", cases[0][0], err,
                                  sizeof err),
                     REG_OK);
    char *shown = show(&cfg);
    assert_contains(shown, "url = postgresql://reg:***@db.example:5432/registry\n");
    assert_null(strstr(shown, "s3cret"));
    free(shown);
    /* a URL refused by its check is named in the error without its password */
    err[0] = '\0';
    assert_int_not_equal(settings_set(&reg_config_table, &cfg, "database.url",
                                      "postgresq://reg:s3cret@db/registry", err, sizeof err),
                         REG_OK);
    assert_contains(err, "postgresq://reg:***@db/registry");
    assert_null(strstr(err, "s3cret"));
    config_free(&cfg);
}

/* str_join writes what snprintf("%s%s...") would: whole, or cut and
 * terminated; a zero-length buffer is left alone. */
static void joined_strings_are_cut_as_snprintf_cuts(void **state)
{
    (void)state;
    const char *parts[] = {"https://rdap.example", "/rdap/", "domain", "/", "b\xc3\xa6r.dk", NULL};
    char out[64], want[64];
    str_join(out, sizeof out, parts);
    assert_string_equal(out, "https://rdap.example/rdap/domain/b\xc3\xa6r.dk");
    for (size_t n = 1; n <= 40; n++) {
        memset(out, 'x', sizeof out);
        str_join(out, n, parts);
        snprintf(want, n, "%s%s%s%s%s", parts[0], parts[1], parts[2], parts[3], parts[4]);
        assert_string_equal(out, want);
        assert_int_equal(out[n], 'x'); /* nothing written past the buffer */
    }
    out[0] = 'x';
    str_join(out, 0, parts);
    assert_int_equal(out[0], 'x');
    str_join(out, sizeof out, (const char *[]){NULL});
    assert_string_equal(out, "");
}

static void missing_file_is_an_error(void **state)
{
    (void)state;
    char path[512], err[SETTINGS_ERRLEN] = "";
    snprintf(path, sizeof path, "%s/no-such-dir-%d/registryd.conf", test_tmpdir(), (int)getpid());
    struct reg_config cfg;
    assert_int_not_equal(config_load(&cfg, path, err, sizeof err), REG_OK);
    assert_non_null(strstr(err, path));
    assert_null(strchr(err, '\n'));
}

static void durations(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_int_equal(settings_parse_duration("300s", &v), REG_OK);
    assert_int_equal(v, 300);
    assert_int_equal(settings_parse_duration("5m", &v), REG_OK);
    assert_int_equal(v, 300);
    assert_int_equal(settings_parse_duration("48h", &v), REG_OK);
    assert_int_equal(v, 48 * 3600);
    assert_int_equal(settings_parse_duration("14d", &v), REG_OK);
    assert_int_equal(v, 14 * 86400);
    assert_int_equal(settings_parse_duration("90", &v), REG_OK);
    assert_int_equal(v, 90);
    assert_int_equal(settings_parse_duration("0s", &v), REG_OK);
    assert_int_equal(v, 0);
    const char *bad[] = {"", "s", "5x", "5mm", "5 m", "-5m", "m5", "1.5h", "5M"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 12345;
        if (settings_parse_duration(bad[i], &v) == REG_OK)
            fail_msg("duration \"%s\" accepted as %lld", bad[i], (long long)v);
        assert_int_equal(v, 12345); /* untouched on failure */
    }
    assert_int_not_equal(settings_parse_duration("999999999999999999d", &v), REG_OK);
}

static void addresses_split(void **state)
{
    (void)state;
    char host[64];
    int port = -1;
    assert_int_equal(settings_split_addr("127.0.0.1:7000", host, sizeof host, &port), REG_OK);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 7000);
    assert_int_equal(settings_split_addr("[2001:db8::1]:700", host, sizeof host, &port), REG_OK);
    assert_string_equal(host, "2001:db8::1");
    assert_int_equal(port, 700);
    assert_int_equal(settings_split_addr("epp.example:43", host, sizeof host, &port), REG_OK);
    assert_string_equal(host, "epp.example");
    assert_int_equal(port, 43);
    const char *bad[] = {"127.0.0.1", "127.0.0.1:", ":7000", "::1:7000", "[::1]", "[::1]7000",
                         "[]:7000", "host:port", "host:70000", "host:-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (settings_split_addr(bad[i], host, sizeof host, &port) == REG_OK)
            fail_msg("address \"%s\" accepted", bad[i]);
    /* a host that does not fit the buffer is refused, not truncated */
    assert_int_not_equal(settings_split_addr("averyveryverylonghostname:1", host, 8, &port), REG_OK);
}

static void set_by_key(void **state)
{
    (void)state;
    struct reg_config cfg;
    char err[SETTINGS_ERRLEN] = "";
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), REG_OK);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "epp.max_frame", "2048", err, sizeof err),
                     REG_OK);
    assert_int_equal(cfg.epp_max_frame, 2048);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "database.url", "sqlite:/tmp/x.db", err,
                                  sizeof err),
                     REG_OK);
    assert_string_equal(cfg.database_url, "sqlite:/tmp/x.db");
    assert_int_equal(settings_set(&reg_config_table, &cfg, "epp.idle_timeout", "2h", err, sizeof err),
                     REG_OK);
    assert_int_equal(cfg.epp_idle_timeout, 7200);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "clock.frozen", "on", err, sizeof err),
                     REG_OK);
    assert_true(cfg.clock_frozen);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "clock.frozen", "0", err, sizeof err),
                     REG_OK);
    assert_false(cfg.clock_frozen);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "clock.now", "2027-01-01", err, sizeof err),
                     REG_OK);
    assert_int_equal(cfg.clock_now, 1798761600);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "clock.now", "", err, sizeof err), REG_OK);
    assert_int_equal(cfg.clock_now, 0);

    err[0] = '\0';
    assert_int_not_equal(settings_set(&reg_config_table, &cfg, "nosuch.key", "1", err, sizeof err),
                         REG_OK);
    assert_non_null(strstr(err, "nosuch.key"));
    err[0] = '\0';
    assert_int_not_equal(settings_set(&reg_config_table, &cfg, "epp", "1", err, sizeof err), REG_OK);
    assert_true(err[0] != '\0');
    err[0] = '\0';
    assert_int_not_equal(settings_set(&reg_config_table, &cfg, "epp.max_frame", "1", err, sizeof err),
                         REG_OK);
    assert_non_null(strstr(err, "range"));
    assert_int_equal(cfg.epp_max_frame, 2048); /* a refused value changes nothing */
    assert_int_not_equal(settings_set(&reg_config_table, &cfg, "log.level", "loud", err, sizeof err),
                         REG_OK);
    assert_string_equal(cfg.log_level, "info");
    assert_int_not_equal(settings_set(&reg_config_table, &cfg, "tld.name", "DK", err, sizeof err),
                         REG_OK);
    assert_string_equal(cfg.tld_name, "dk");
    config_free(&cfg);
}

static void show_prints_effective_values(void **state)
{
    (void)state;
    struct reg_config cfg;
    char err[SETTINGS_ERRLEN] = "";
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), REG_OK);
    char *out = show(&cfg);
    assert_contains(out, "[database]\n");
    assert_contains(out, "url = sqlite:var/registry.db\n");
    assert_contains(out, "[epp]\n");
    assert_contains(out, "listen = 127.0.0.1:7000\n");
    assert_contains(out, "max_frame = 65536\n");
    assert_contains(out, "idle_timeout = 300s\n");
    assert_contains(out, "listen = 127.0.0.1:4343\n");
    assert_contains(out, "listen = 127.0.0.1:8080\n");
    assert_contains(out, "name = dk\n");
    assert_contains(out, "currency = DKK\n");
    assert_contains(out, "frozen = false\n");
    assert_contains(out, "tick = 10s\n");
    assert_contains(out, "\n# "); /* doc lines */
    free(out);

    assert_int_equal(settings_set(&reg_config_table, &cfg, "epp.listen", "[::1]:7700", err, sizeof err),
                     REG_OK);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "jobs.tick", "2h", err, sizeof err), REG_OK);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "epp.idle_timeout", "1d", err, sizeof err),
                     REG_OK);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "clock.now", "2027-03-01T12:00:00Z", err,
                                  sizeof err),
                     REG_OK);
    out = show(&cfg);
    assert_contains(out, "listen = [::1]:7700\n");
    assert_contains(out, "tick = 2h\n");
    assert_contains(out, "idle_timeout = 1d\n");
    assert_contains(out, "now = 2027-03-01T12:00:00Z\n");
    free(out);
    config_free(&cfg);
}

/* What `config show` prints is itself a valid configuration file that
 * yields the same settings. */
static void show_output_loads_back(void **state)
{
    (void)state;
    struct reg_config a, b;
    char err[SETTINGS_ERRLEN] = "", path[512];
    assert_int_equal(config_load(&a, NULL, err, sizeof err), REG_OK);
    assert_int_equal(settings_set(&reg_config_table, &a, "epp.idle_timeout", "90m", err, sizeof err),
                     REG_OK);
    assert_int_equal(settings_set(&reg_config_table, &a, "clock.now", "2030-06-01T00:00:00Z", err,
                                  sizeof err),
                     REG_OK);
    assert_int_equal(settings_set(&reg_config_table, &a, "clock.frozen", "true", err, sizeof err),
                     REG_OK);
    char *out = show(&a);
    write_conf(path, sizeof path, "roundtrip", out);
    if (config_load(&b, path, err, sizeof err))
        fail_msg("show output does not load back: %s\n%s", err, out);
    char *again = show(&b);
    assert_string_equal(out, again);
    assert_int_equal(b.epp_idle_timeout, 5400);
    assert_int_equal(b.clock_now, a.clock_now);
    assert_true(b.clock_frozen);
    free(out);
    free(again);
    config_free(&a);
    config_free(&b);
    unlink(path);
}

/* [mail]: the relay URL and the sender are checked; the password is never
 * printed by `config show`. */
static void mail_settings(void **state)
{
    (void)state;
    struct reg_config cfg;
    char err[SETTINGS_ERRLEN] = "";
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), REG_OK);
    static const char *const good[][2] = {
        {"mail.smtp", ""}, {"mail.smtp", "smtp://127.0.0.1:2525"},
        {"mail.smtp", "smtps://relay.example:465/nic.dk"}, {"mail.starttls", "true"}, {"mail.user", "registry"},
        {"mail.password", "pa ss#word"}, {"mail.from", "The Registry <hostmaster@nic.dk>"},
        {"mail.timeout", "2m"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (settings_set(&reg_config_table, &cfg, good[i][0], good[i][1], err, sizeof err))
            fail_msg("%s = %s: %s", good[i][0], good[i][1], err);
    assert_true(cfg.mail_starttls);
    assert_int_equal(cfg.mail_timeout, 120);
    static const char *const bad[][2] = {
        {"mail.smtp", "http://relay.example"}, {"mail.smtp", "relay.example:25"},
        {"mail.smtp", "smtp://"}, {"mail.smtp", "smtp://a b"}, {"mail.from", "registry"},
        {"mail.from", "Registry <registry@nic.dk"}, {"mail.timeout", "0s"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!settings_set(&reg_config_table, &cfg, bad[i][0], bad[i][1], err, sizeof err))
            fail_msg("%s = %s was accepted", bad[i][0], bad[i][1]);
    char *out = show(&cfg);
    assert_contains(out, "[mail]\n");
    assert_contains(out, "smtp = smtps://relay.example:465/nic.dk\n");
    assert_contains(out, "# password = (set; not shown)\n");
    assert_null(strstr(out, "pa ss#word"));
    free(out);
    config_free(&cfg);
}

/* [http]: base_url is an absolute http(s) URL the confirmation links
 * (R7) are appended to; limits have ranges. */
static void http_settings(void **state)
{
    (void)state;
    struct reg_config cfg;
    char err[SETTINGS_ERRLEN] = "";
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), REG_OK);
    assert_int_equal(cfg.http_max_body, 65536);
    assert_int_equal(cfg.http_timeout, 30);
    static const char *const good[][2] = {
        {"http.base_url", "https://registry.example"},
        {"http.base_url", "https://www.example:8443/registry"},
        {"http.base_url", "http://[::1]:8080"},
        {"http.max_body", "1024"}, {"http.timeout", "2m"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (settings_set(&reg_config_table, &cfg, good[i][0], good[i][1], err, sizeof err))
            fail_msg("%s = %s: %s", good[i][0], good[i][1], err);
    assert_int_equal(cfg.http_timeout, 120);
    static const char *const bad[][2] = {
        {"http.base_url", "https://registry.example/"}, {"http.base_url", "registry.example"},
        {"http.base_url", "ftp://registry.example"}, {"http.base_url", "https://"},
        {"http.base_url", "https://a.example/?x=1"}, {"http.base_url", "https://a.example/#x"},
        {"http.base_url", "https://user@a.example"}, {"http.base_url", "https://a b.example"},
        {"http.max_body", "100"}, {"http.timeout", "0s"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!settings_set(&reg_config_table, &cfg, bad[i][0], bad[i][1], err, sizeof err))
            fail_msg("%s = %s was accepted", bad[i][0], bad[i][1]);
    config_free(&cfg);
}

/* [sms] and [mail] language: the gateway URL, token and sender are
 * checked; the token is never printed by `config show`. */
static void sms_settings(void **state)
{
    (void)state;
    struct reg_config cfg;
    char err[SETTINGS_ERRLEN] = "";
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), REG_OK);
    assert_string_equal(cfg.sms_gateway, "");
    assert_string_equal(cfg.sms_sender, "Registry");
    assert_string_equal(cfg.sms_spool, "var/spool/sms");
    assert_int_equal(cfg.sms_timeout, 30);
    assert_string_equal(cfg.mail_language, "en");
    static const char *const good[][2] = {
        {"sms.gateway", ""}, {"sms.gateway", "https://sms.example/v1/messages"},
        {"sms.gateway", "http://127.0.0.1:8081/"}, {"sms.token", "abc.DEF-123_~+/="}, {"sms.sender", "NIC DK"},
        {"sms.sender", "+4512345678"}, {"sms.timeout", "1m"}, {"mail.language", "nb"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (settings_set(&reg_config_table, &cfg, good[i][0], good[i][1], err, sizeof err))
            fail_msg("%s = %s: %s", good[i][0], good[i][1], err);
    assert_int_equal(cfg.sms_timeout, 60);
    static const char *const bad[][2] = {
        {"sms.gateway", "smtp://relay.example"}, {"sms.gateway", "sms.example/send"},
        {"sms.gateway", "https://"}, {"sms.gateway", "https://a b"}, {"sms.token", "two words"},
        {"sms.token", "tok\r\nX-Evil: 1"}, {"sms.sender", ""}, {"sms.sender", "Registry of DK"},
        {"sms.sender", "+45"}, {"sms.sender", "Reg<istry>"}, {"sms.timeout", "0s"},
        {"mail.language", "no"}, {"mail.language", "sv"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!settings_set(&reg_config_table, &cfg, bad[i][0], bad[i][1], err, sizeof err))
            fail_msg("%s = %s was accepted", bad[i][0], bad[i][1]);
    char *out = show(&cfg);
    assert_contains(out, "[sms]\n");
    assert_contains(out, "gateway = http://127.0.0.1:8081/\n");
    assert_contains(out, "# token = (set; not shown)\n");
    assert_contains(out, "language = nb\n");
    assert_null(strstr(out, "abc.DEF-123"));
    free(out);
    config_free(&cfg);
}

static void process_settings_move_the_clock(void **state)
{
    (void)state;
    struct reg_config cfg;
    char err[SETTINGS_ERRLEN] = "";
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), REG_OK);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "clock.now", "2027-03-01T00:00:00Z", err,
                                  sizeof err),
                     REG_OK);
    assert_int_equal(settings_set(&reg_config_table, &cfg, "clock.frozen", "true", err, sizeof err),
                     REG_OK);
    assert_int_equal(config_apply_process_settings(&cfg, err, sizeof err), REG_OK);
    assert_true(clock_is_moved());
    assert_int_equal(clock_now(), 1803859200);
    clock_set_real();
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_the_documented_ones),
        cmocka_unit_test(file_overrides_values),
        cmocka_unit_test(epp_workers_follow_the_database),
        cmocka_unit_test(file_errors_name_file_and_line),
        cmocka_unit_test(missing_file_is_an_error),
        cmocka_unit_test(urls_are_printed_without_passwords),
        cmocka_unit_test(joined_strings_are_cut_as_snprintf_cuts),
        cmocka_unit_test(durations),
        cmocka_unit_test(addresses_split),
        cmocka_unit_test(set_by_key),
        cmocka_unit_test(show_prints_effective_values),
        cmocka_unit_test(show_output_loads_back),
        cmocka_unit_test(mail_settings),
        cmocka_unit_test(sms_settings),
        cmocka_unit_test(http_settings),
        cmocka_unit_test(process_settings_move_the_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
