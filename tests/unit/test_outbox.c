/* Secrets in the outbox (src/notify/outbox.c; issue 12): a message queued
 * from a template with a secret ({link}, {code}) goes out whole, and once
 * it is delivered (here: to the spool) or given up, its stored body keeps
 * "[redacted]" in place of each secret and the rest of the text; listings
 * (outbox_each) never show a live secret; a message whose secret is gone
 * is not sent again. On SQLite and PostgreSQL. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contrib/log.h"
#include "notify/outbox.h"
#include "notify/templates.h"

#define NOW 1803859200 /* 2027-03-01 */
#define TOKEN "Xq3vR7tP0aZk9LmN2bWc5dYe8fGh1jKs4uVw6yAx_B-"
#define LINK "https://registry.example/confirm/" TOKEN
#define CODE "ABCDE-FGHJK"

/* A fresh spool directory for this test and backend. */
static void spool_dir(void **state, const char *base, char *out, size_t n)
{
    snprintf(out, n, "%s/outbox-%s-%s-%d", test_tmpdir(), base,
             ((struct test_backend *)*state)->label, (int)getpid());
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
    assert_int_equal(system(cmd), 0);
}

static char *text_of(db *d, const char *sql, int64_t id)
{
    db_stmt *s = db_query(d, sql);
    db_bind_int(s, 1, id);
    char *v = db_next(s) && !db_col_is_null(s, 0) ? strdup(db_col_text(s, 0)) : NULL;
    assert_int_equal(db_done(s), REG_OK);
    return v;
}

static int64_t int_of(db *d, const char *sql, int64_t id)
{
    db_stmt *s = db_query(d, sql);
    db_bind_int(s, 1, id);
    int64_t v = db_next(s) ? db_col_int(s, 0) : -1;
    assert_int_equal(db_done(s), REG_OK);
    return v;
}

static int64_t last_id(db *d)
{
    db_stmt *s = db_query(d, "SELECT MAX(id) FROM outbox");
    int64_t v = db_next(s) ? db_col_int(s, 0) : -1;
    assert_int_equal(db_done(s), REG_OK);
    return v;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot read %s", path);
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The Danish confirmation request (an "æ" before the link: spans are in
 * bytes) queued to holder@example.dk; its id. */
static int64_t queue_confirmation(db *d)
{
    const struct template_var vars[] = {
        {"greeting", "Kære Jens"}, {"registrar", "Registrar A (REG-A)"},
        {"domain", "blåbær.dk"},   {"contact", "REG-A:HOLDER"},
        {"link", LINK},            {"until", "2027-03-03T00:00:00Z"}};
    struct rendered r;
    reg_status st = {0};
    assert_int_equal(template_render("confirm-request.delete", "da", vars, 6, &r, &st), REG_OK);
    assert_int_equal(r.nsecrets, 1);
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(outbox_email(d, NOW, "holder@example.dk", &r, "confirmation-request", &st),
                     REG_OK);
    assert_int_equal(db_commit(d), REG_OK);
    rendered_free(&r);
    return last_id(d);
}

static int64_t queue_otp_sms(db *d)
{
    const struct template_var vars[] = {{"code", CODE},
                                        {"domain", "blåbær.dk"},
                                        {"registrar", "Registrar B (REG-B)"},
                                        {"expiry", "2027-03-15T00:00:00Z"}};
    struct rendered r;
    reg_status st = {0};
    assert_int_equal(template_render("otp.sms", "da", vars, 4, &r, &st), REG_OK);
    assert_int_equal(db_begin(d), REG_OK);
    assert_int_equal(outbox_sms(d, NOW, "+45.12345678", &r, "otp", &st), REG_OK);
    assert_int_equal(db_commit(d), REG_OK);
    rendered_free(&r);
    return last_id(d);
}

struct shown {
    int n;
    char body[4][4096];
};

static void collect(const struct outbox_msg *m, void *arg)
{
    struct shown *s = arg;
    if (s->n < 4)
        snprintf(s->body[s->n++], sizeof s->body[0], "%s", m->body);
}

/* What outbox_each shows of every message: never a live secret. */
static void assert_listing_has_no_secret(db *d)
{
    struct shown s = {0};
    reg_status st = {0};
    assert_int_equal(outbox_each(d, NULL, collect, &s, &st), REG_OK);
    assert_true(s.n > 0);
    for (int i = 0; i < s.n; i++) {
        if (strstr(s.body[i], TOKEN) || strstr(s.body[i], CODE))
            fail_msg("outbox_each shows a secret:\n%s", s.body[i]);
        assert_non_null(strstr(s.body[i], "[redacted]"));
    }
}

static reg_err deliver(db *d, const char *mail_spool, const char *sms_spool,
                       struct outbox_result *r)
{
    struct outbox_settings os = {
        .mail = {.from = "registry@nic.example", .spool = mail_spool},
        .sms = {.sender = "Registry", .spool = sms_spool},
    };
    reg_status st = {0};
    reg_err e = outbox_deliver(d, &os, NOW, 100, r, &st);
    if (e)
        fail_msg("outbox_deliver: %s", reg_status_text(&st));
    return e;
}

/* The recipient gets the live link and password; afterwards the rows hold
 * neither, but the rest of the text. */
static void delivered_messages_keep_no_secret(void **state)
{
    db *d = test_backend_db(state, "outbox_delivered");
    int64_t mail = queue_confirmation(d), sms = queue_otp_sms(d);
    /* queued: the row holds what is to be sent; a listing does not show it */
    char *body = text_of(d, "SELECT body FROM outbox WHERE id = ?", mail);
    assert_non_null(strstr(body, "  " LINK "\n"));
    free(body);
    assert_listing_has_no_secret(d);

    char spool[512], sms_spool[600], path[700];
    spool_dir(state, "delivered", spool, sizeof spool);
    snprintf(sms_spool, sizeof sms_spool, "%s/sms", spool);
    struct outbox_result r;
    assert_int_equal(deliver(d, spool, sms_spool, &r), REG_OK);
    assert_int_equal(r.sent, 2);
    /* the spool (delivery) has the live values */
    snprintf(path, sizeof path, "%s/%lld.eml", spool, (long long)mail);
    assert_non_null(strstr(read_file(path), "  " LINK "\r\n"));
    snprintf(path, sizeof path, "%s/%lld.json", sms_spool, (long long)sms);
    assert_non_null(strstr(read_file(path), "Engangskode " CODE " til"));

    /* the rows: "[redacted]" in place of each secret, the rest as sent */
    body = text_of(d, "SELECT body FROM outbox WHERE id = ?", mail);
    assert_null(strstr(body, TOKEN));
    assert_null(strstr(body, "/confirm/"));
    assert_non_null(strstr(body, "Kære Jens\n\nRegistratoren Registrar A (REG-A) har anmodet "
                                 "om at slette domænet blåbær.dk,\n"));
    assert_non_null(strstr(body, "afvise:\n\n  [redacted]\n\nLinket kan bruges én gang, indtil "
                                 "2027-03-03T00:00:00Z."));
    free(body);
    body = text_of(d, "SELECT body FROM outbox WHERE id = ?", sms);
    assert_string_equal(body, "Engangskode [redacted] til at flytte blåbær.dk til Registrar B "
                              "(REG-B). Gyldig til 2027-03-15T00:00:00Z. Giv den kun til denne "
                              "registrator.");
    free(body);
    for (int64_t id = mail; id <= sms; id++) {
        assert_int_equal(int_of(d, "SELECT COUNT(*) FROM outbox WHERE id = ? AND state = 'sent' "
                                   "AND secrets IS NULL AND redacted = 1", id), 1);
    }
    assert_listing_has_no_secret(d);
    /* a delivered message is delivered once */
    assert_int_equal(deliver(d, spool, sms_spool, &r), REG_OK);
    assert_int_equal(r.sent, 0);
    db_close(d);
}

/* A message that failed for good keeps no secret either, and cannot be
 * retried without it; one without a secret can. A message kept for a
 * retry keeps its secret until it goes out. */
static void given_up_messages_keep_no_secret(void **state)
{
    db *d = test_backend_db(state, "outbox_given_up");
    int64_t mail = queue_confirmation(d);
    /* a spool that cannot be written: a retry, the secret kept */
    struct outbox_result r;
    assert_int_equal(deliver(d, "/dev/null/spool", "/dev/null/sms", &r), REG_OK);
    assert_int_equal(r.retry, 1);
    char *body = text_of(d, "SELECT body FROM outbox WHERE id = ?", mail);
    assert_non_null(strstr(body, LINK));
    free(body);
    /* the last attempt fails: given up, redacted */
    db_stmt *s = db_query(d, "UPDATE outbox SET attempts = 9, next_try = 0 WHERE id = ?");
    db_bind_int(s, 1, mail);
    assert_int_equal(db_run(s), REG_OK);
    assert_int_equal(deliver(d, "/dev/null/spool", "/dev/null/sms", &r), REG_OK);
    assert_int_equal(r.failed, 1);
    body = text_of(d, "SELECT body FROM outbox WHERE id = ?", mail);
    assert_null(strstr(body, TOKEN));
    assert_non_null(strstr(body, "  [redacted]\n"));
    assert_non_null(strstr(body, "Registratoren Registrar A (REG-A)"));
    free(body);
    assert_int_equal(int_of(d, "SELECT COUNT(*) FROM outbox WHERE id = ? AND state = 'failed' "
                               "AND redacted = 1 AND secrets IS NULL", mail), 1);
    reg_status st = {0};
    assert_int_equal(outbox_retry(d, mail, NOW, &st), REG_ERR_POLICY);
    assert_non_null(strstr(st.reason, "cannot be sent again"));
    assert_int_equal(int_of(d, "SELECT COUNT(*) FROM outbox WHERE id = ? AND state = 'failed'",
                            mail), 1);
    /* without a secret, a failed message goes back in the queue */
    char plain[] = "no secret here\n";
    const struct rendered text = {.subject = plain, .body = plain};
    assert_int_equal(outbox_email(d, NOW, "a@example.dk", &text, "test", &st), REG_OK);
    int64_t other = last_id(d);
    s = db_query(d, "UPDATE outbox SET state = 'failed' WHERE id = ?");
    db_bind_int(s, 1, other);
    assert_int_equal(db_run(s), REG_OK);
    assert_int_equal(outbox_retry(d, other, NOW, &st), REG_OK);
    assert_int_equal(int_of(d, "SELECT COUNT(*) FROM outbox WHERE id = ? AND state = 'queued' "
                               "AND body = 'no secret here\n'", other), 1);
    db_close(d);
}

/* Rows queued before the spans were recorded ("*": all of it is secret)
 * and spans that do not fit the text: the whole text is redacted. */
static void whole_text_redacted_when_spans_are_unknown(void **state)
{
    db *d = test_backend_db(state, "outbox_legacy");
    const char *spans[] = {"*", "5:999", "oops", "3:2,1:1", ""};
    int64_t first = 0, last = 0;
    for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
        db_stmt *s = db_query(d, "INSERT INTO outbox (channel, recipient, subject, body, secrets, "
                                 "cause, next_try, created_at) VALUES ('email', 'a@example.dk', "
                                 "'s', 'password " CODE "', ?, 'otp', 0, 0)");
        db_bind_text(s, 1, spans[i]);
        assert_int_equal(db_run(s), REG_OK);
        last = last_id(d);
        first = first ? first : last;
    }
    assert_listing_has_no_secret(d);
    char spool[512];
    spool_dir(state, "legacy", spool, sizeof spool);
    struct outbox_result r;
    assert_int_equal(deliver(d, spool, spool, &r), REG_OK);
    assert_int_equal(r.sent, (int)(last - first + 1));
    for (int64_t id = first; id <= last; id++) {
        char *body = text_of(d, "SELECT body FROM outbox WHERE id = ?", id);
        assert_string_equal(body, "[redacted]");
        free(body);
    }
    db_close(d);
}

/* Spans in bytes, two secrets, text after the last one. */
static void several_secrets_in_one_text(void **state)
{
    db *d = test_backend_db(state, "outbox_several");
    char body[] = "æ " CODE " og " TOKEN " slut";
    const size_t a = strlen("æ "), b = a + strlen(CODE " og ");
    char subject[] = "s";
    struct rendered r = {.subject = subject, .body = body, .nsecrets = 2,
                         .secrets = {{a, strlen(CODE)}, {b, strlen(TOKEN)}}};
    reg_status st = {0};
    assert_int_equal(outbox_email(d, NOW, "a@example.dk", &r, "test", &st), REG_OK);
    int64_t id = last_id(d);
    assert_listing_has_no_secret(d);
    char spool[512];
    spool_dir(state, "several", spool, sizeof spool);
    struct outbox_result res;
    assert_int_equal(deliver(d, spool, spool, &res), REG_OK);
    char *kept = text_of(d, "SELECT body FROM outbox WHERE id = ?", id);
    assert_string_equal(kept, "æ [redacted] og [redacted] slut");
    free(kept);
    assert_int_equal(int_of(d, "SELECT redacted FROM outbox WHERE id = ?", id), 2);
    db_close(d);
}

int main(void)
{
    log_set_level(LOG_OFF);
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(delivered_messages_keep_no_secret),
        BOTH_BACKENDS(given_up_messages_keep_no_secret),
        BOTH_BACKENDS(whole_text_redacted_when_spans_are_unknown),
        BOTH_BACKENDS(several_secrets_in_one_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
