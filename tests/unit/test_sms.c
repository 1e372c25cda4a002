/* SMS by HTTP gateway (src/notify/sms.c): the JSON body, the request a
 * gateway receives, and what each answer means for the queue (sent,
 * refused for good, or the gateway unavailable), against a minimal HTTP
 * responder on loopback in a thread. The whole path through the outbox
 * job is tests/system/test_sms.py. */
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
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "notify/sms.h"

static void json_body(void **state)
{
    (void)state;
    char *j = sms_json("+4512345678", "Registry", "Din kode er 1234.");
    assert_string_equal(j, "{\"to\":\"+4512345678\",\"from\":\"Registry\",\"text\":\"Din kode er "
                           "1234.\"}");
    free(j);
    /* UTF-8 as it is; quotes, backslashes and line ends escaped */
    j = sms_json("+3725551234", "NIC", "õun \"ä\" \\ \n");
    assert_string_equal(j, "{\"to\":\"+3725551234\",\"from\":\"NIC\",\"text\":\"õun \\\"ä\\\" "
                           "\\\\ \\n\"}");
    free(j);
    /* not UTF-8: no body (the message is refused, not garbled) */
    assert_null(sms_json("+4512345678", "Registry", "\xff\xfe"));
}

/* --- a one-request-at-a-time HTTP responder ---------------------------------- */

struct responder {
    int fd, port;
    pthread_t thread;
    const char *reply;   /* the whole response to send */
    char request[8192];  /* the last request received, headers and body */
    int requests;
};

static void *serve(void *arg)
{
    struct responder *r = arg;
    for (;;) {
        int c = accept(r->fd, NULL, NULL);
        if (c < 0)
            return NULL;
        size_t len = 0;
        r->request[0] = '\0';
        for (;;) { /* headers, then Content-Length bytes of body */
            ssize_t n = read(c, r->request + len, sizeof r->request - 1 - len);
            if (n <= 0)
                break;
            len += (size_t)n;
            r->request[len] = '\0';
            const char *end = strstr(r->request, "\r\n\r\n");
            const char *cl = strstr(r->request, "Content-Length: ");
            if (end && cl && len >= (size_t)(end + 4 - r->request) + (size_t)atoi(cl + 16))
                break;
        }
        r->requests++;
        ssize_t w = write(c, r->reply, strlen(r->reply));
        (void)w;
        close(c);
    }
}

static void responder_start(struct responder *r)
{
    memset(r, 0, sizeof *r);
    r->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    assert_int_equal(bind(r->fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(r->fd, 4), 0);
    assert_int_equal(getsockname(r->fd, (struct sockaddr *)&sa, &sl), 0);
    r->port = ntohs(sa.sin_port);
    assert_int_equal(pthread_create(&r->thread, NULL, serve, r), 0);
}

static void responder_stop(struct responder *r)
{
    shutdown(r->fd, SHUT_RDWR);
    close(r->fd);
    pthread_join(r->thread, NULL);
}

static char *reply_with(int status, const char *body)
{
    static char buf[512];
    snprintf(buf, sizeof buf,
             "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n%s",
             status, strlen(body), body);
    return buf;
}

static void request_as_documented(void **state)
{
    (void)state;
    struct responder r;
    responder_start(&r);
    char url[64], err[512] = "";
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/sms", r.port);
    struct sms_gateway gw = {.url = url, .token = "tok-123", .sender = "Registry", .timeout = 5};
    r.reply = reply_with(201, "{\"id\":\"m1\"}");
    assert_int_equal(sms_send(&gw, "+4512345678", "Kode: 42", err, sizeof err), REG_OK);
    assert_int_equal(r.requests, 1);
    assert_true(!strncmp(r.request, "POST /v1/sms HTTP/1.1\r\n", 23));
    assert_non_null(strstr(r.request, "\r\nContent-Type: application/json\r\n"));
    assert_non_null(strstr(r.request, "\r\nAuthorization: Bearer tok-123\r\n"));
    const char *body = strstr(r.request, "\r\n\r\n") + 4;
    assert_string_equal(body, "{\"to\":\"+4512345678\",\"from\":\"Registry\",\"text\":\"Kode: 42\"}");
    /* no token, no Authorization header */
    gw.token = "";
    assert_int_equal(sms_send(&gw, "+4512345678", "x", err, sizeof err), REG_OK);
    assert_null(strstr(r.request, "Authorization"));
    responder_stop(&r);
}

/* 400, 410, 413, 422: this message is wrong (failed at once); every other
 * answer but 2xx: the gateway cannot take messages now (retried, and the
 * others wait). */
static void answers_classified(void **state)
{
    (void)state;
    struct responder r;
    responder_start(&r);
    char url[64], err[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", r.port);
    struct sms_gateway gw = {.url = url, .token = "secret-token", .sender = "Registry",
                             .timeout = 5};
    static const struct {
        int status;
        reg_err want;
    } cases[] = {{200, REG_OK},          {202, REG_OK},
                 {400, REG_ERR_INVALID}, {410, REG_ERR_INVALID}, {413, REG_ERR_INVALID},
                 {422, REG_ERR_INVALID}, {301, REG_ERR_IO},      {401, REG_ERR_IO},
                 {402, REG_ERR_IO},      {403, REG_ERR_IO},      {404, REG_ERR_IO},
                 {429, REG_ERR_IO},      {500, REG_ERR_IO},      {502, REG_ERR_IO},
                 {503, REG_ERR_IO}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r.reply = reply_with(cases[i].status, "{\"error\":\"invalid\\nnumber\"}");
        err[0] = '\0';
        reg_err got = sms_send(&gw, "+4512345678", "x", err, sizeof err);
        if (got != cases[i].want)
            fail_msg("HTTP %d: %s, want %s (%s)", cases[i].status, reg_errname(got),
                     reg_errname(cases[i].want), err);
        if (got == REG_OK)
            continue;
        /* the status and the start of the answer, on one line, never the token */
        char status[8];
        snprintf(status, sizeof status, "%d", cases[i].status);
        assert_non_null(strstr(err, status));
        assert_non_null(strstr(err, "{\"error\":\"invalid\\nnumber\"}"));
        assert_null(strchr(err, '\n'));
        assert_null(strstr(err, "secret-token"));
    }
    assert_int_equal(r.requests, (int)(sizeof cases / sizeof cases[0]));
    responder_stop(&r);
}

static void unreachable_gateway(void **state)
{
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
    close(fd); /* nothing listens there now */
    char url[64], err[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(sa.sin_port));
    struct sms_gateway gw = {.url = url, .sender = "Registry", .timeout = 5};
    assert_int_equal(sms_send(&gw, "+4512345678", "x", err, sizeof err), REG_ERR_IO);
    assert_true(!strncmp(err, "SMS gateway: ", 13));
    /* only HTTP(S) URLs */
    gw.url = "file:///etc/passwd";
    assert_int_equal(sms_send(&gw, "+4512345678", "x", err, sizeof err), REG_ERR_IO);
    /* a text that is not UTF-8 never leaves */
    gw.url = url;
    assert_int_equal(sms_send(&gw, "+4512345678", "\xc3", err, sizeof err), REG_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_body),
        cmocka_unit_test(request_as_documented),
        cmocka_unit_test(answers_classified),
        cmocka_unit_test(unreachable_gateway),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
