/* Mail formatting and SMTP addresses (src/notify): the one RFC 5322
 * formatter shared by the spool and the relay, RFC 2047 subjects, envelope
 * addresses, and an SMTP send to a closed loopback port. The SMTP
 * conversation itself is tested against a real relay in
 * tests/system/test_smtp.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "notify/outbox.h"
#include "contrib/mailaddr.h"
#include "notify/smtp.h"

static char *format(const char *subject, const char *body, size_t *len)
{
    char *m = mail_format("Registry <registry@nic.example>", 42, "a@example.dk", subject, body,
                          1803859200 /* 2027-03-01 */, len);
    assert_non_null(m);
    assert_int_equal(strlen(m), *len);
    return m;
}

static void headers_and_crlf(void **state)
{
    (void)state;
    size_t len;
    char *m = format("Low prepaid balance", "Dear registrar,\n\nline\n", &len);
    assert_true(!strncmp(m, "From: Registry <registry@nic.example>\r\nTo: a@example.dk\r\n"
                            "Subject: Low prepaid balance\r\n"
                            "Date: Mon, 01 Mar 2027 00:00:00 +0000\r\nMessage-ID: <42.",
                         strlen("From: Registry <registry@nic.example>\r\nTo: a@example.dk\r\n"
                                "Subject: Low prepaid balance\r\n"
                                "Date: Mon, 01 Mar 2027 00:00:00 +0000\r\nMessage-ID: <42.")));
    const char *tail = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: 8bit\r\n\r\nDear registrar,\r\n\r\nline\r\n";
    assert_non_null(strstr(m, tail));
    assert_string_equal(m + len - strlen(tail), tail);
    for (size_t i = 0; i < len; i++) /* every LF is part of a CRLF */
        if (m[i] == '\n')
            assert_true(i > 0 && m[i - 1] == '\r');
    free(m);
    /* a body without a final newline gets one; an empty body is one CRLF */
    m = format("s", "no newline", &len);
    assert_string_equal(m + len - 14, "\r\nno newline\r\n");
    free(m);
    m = format("s", "", &len);
    assert_string_equal(m + len - 10, "8bit\r\n\r\n\r\n");
    free(m);
}

static void header_injection_is_flattened(void **state)
{
    (void)state;
    size_t len;
    char *m = format("Hi\r\nBcc: evil@example.com", "x", &len);
    assert_non_null(strstr(m, "Subject: Hi  Bcc: evil@example.com\r\n"));
    assert_null(strstr(m, "\r\nBcc:"));
    free(m);
}

static void utf8_subject_is_rfc2047(void **state)
{
    (void)state;
    size_t len;
    /* 30 × "æ" = 60 bytes: two encoded words, neither splitting a character */
    char subject[61] = "";
    for (int i = 0; i < 30; i++)
        strcat(subject, "\xc3\xa6");
    char *m = format(subject, "x", &len);
    const char *s = strstr(m, "Subject: =?utf-8?B?");
    assert_non_null(s);
    const char *end = strstr(s, "\r\nDate:");
    assert_non_null(end);
    /* 38 bytes (19 characters) in the first word (39 would split one), 22 in the second */
    const char *want = "Subject: =?utf-8?B?w6bDpsOmw6bDpsOmw6bDpsOmw6bDpsOmw6bDpsOmw6bDpsOmw6Y=?=\r\n =?utf-8?B?w6bDpsOmw6bDpsOmw6bDpsOmw6bDpg==?=";
    assert_int_equal((size_t)(end - s), strlen(want));
    assert_true(!strncmp(s, want, strlen(want)));
    for (const char *p = s; p < end; p++)
        assert_true((unsigned char)*p < 0x80);
    /* each folded line is short */
    for (const char *p = s, *nl; p < end; p = nl + 2) {
        nl = strstr(p, "\r\n");
        assert_true(nl - p <= 78);
        if (nl >= end)
            break;
    }
    free(m);
    m = format("plain ascii", "x", &len);
    assert_non_null(strstr(m, "\r\nSubject: plain ascii\r\n"));
    free(m);
}

static void addr_spec(void **state)
{
    (void)state;
    char a[320];
    assert_true(mail_addr_spec("registry@nic.example", a, sizeof a));
    assert_string_equal(a, "registry@nic.example");
    assert_true(mail_addr_spec("The Registry <registry@nic.example>", a, sizeof a));
    assert_string_equal(a, "registry@nic.example");
    assert_true(mail_addr_spec("  b@c.dk  ", a, sizeof a));
    assert_string_equal(a, "b@c.dk");
    assert_false(mail_addr_spec("", a, sizeof a));
    assert_false(mail_addr_spec("nobody", a, sizeof a));
    assert_false(mail_addr_spec("@c.dk", a, sizeof a));
    assert_false(mail_addr_spec("b@", a, sizeof a));
    assert_false(mail_addr_spec("Name <b@c.dk", a, sizeof a));
    assert_false(mail_addr_spec("b@c.dk>\r\nRCPT TO:<x@y.z", a, sizeof a));
    assert_false(mail_addr_spec("b@c.dk\r\nDATA", a, sizeof a));
    assert_false(mail_addr_spec("a b@c.dk", a, sizeof a));
    assert_false(mail_addr_spec("a@b.dk,c@d.dk", a, sizeof a));
    assert_false(mail_addr_spec("b@c.dk", a, 6));
}

/* A port on 127.0.0.1 with nothing listening. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
    close(fd);
    return ntohs(sa.sin_port);
}

static void send_failures(void **state)
{
    (void)state;
    char url[64], err[512];
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", closed_port());
    struct smtp_relay r = {.url = url, .timeout = 5};
    const char *msg = "Subject: x\r\n\r\nx\r\n";
    /* connection refused: the relay's failure */
    assert_int_equal(smtp_send(&r, "a@b.dk", "c@d.dk", msg, strlen(msg), err, sizeof err),
                     REG_ERR_IO);
    assert_true(!strncmp(err, "SMTP relay: ", 12));
    /* unusable addresses: the message's failure, no connection tried */
    assert_int_equal(smtp_send(&r, "a@b.dk", "c@d.dk\r\nDATA", msg, strlen(msg), err, sizeof err),
                     REG_ERR_POLICY);
    assert_non_null(strstr(err, "recipient is not an address"));
    assert_int_equal(smtp_send(&r, "nobody", "c@d.dk", msg, strlen(msg), err, sizeof err),
                     REG_ERR_POLICY);
    assert_non_null(strstr(err, "[mail] from"));
    /* only SMTP URLs */
    struct smtp_relay f = {.url = "file:///etc/passwd", .timeout = 5};
    assert_int_equal(smtp_send(&f, "a@b.dk", "c@d.dk", msg, strlen(msg), err, sizeof err),
                     REG_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(headers_and_crlf),
        cmocka_unit_test(header_injection_is_flattened),
        cmocka_unit_test(utf8_subject_is_rfc2047),
        cmocka_unit_test(addr_spec),
        cmocka_unit_test(send_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
