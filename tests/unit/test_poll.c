/* The poll queue (src/registry/poll.c) on both backends: every kind of
 * message is read back typed, by poll_peek (the oldest) and poll_each
 * (the whole queue, oldest first, as regctl poll list shows it), each
 * registrar seeing only its own; staff notices (regctl poll send) are
 * PRECIS text. */
#include "regfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "registry/poll.h"

struct seen {
    int n;
    int64_t id[8];
    enum poll_kind kind[8];
    char label[8][24], message[8][80], object[8][80], detail[8][400];
};

/* What each message says, and one field of its payload. */
static void keep(const struct poll_msg *m, void *arg)
{
    struct seen *s = arg;
    if (s->n == 8)
        fail_msg("more than 8 messages");
    int i = s->n++;
    s->id[i] = m->id;
    s->kind[i] = m->kind;
    snprintf(s->label[i], sizeof s->label[i], "%s", m->label);
    snprintf(s->message[i], sizeof s->message[i], "%s", m->message);
    snprintf(s->object[i], sizeof s->object[i], "%s %s", m->object_type ? m->object_type : "-",
             m->object_name ? m->object_name : "-");
    switch (m->kind) {
    case POLL_TRANSFER:
        snprintf(s->detail[i], sizeof s->detail[i], "%s %s->%s", m->u.transfer.status,
                 m->u.transfer.losing, m->u.transfer.gaining);
        break;
    case POLL_CHANGE:
        snprintf(s->detail[i], sizeof s->detail[i], "%s %s %s", m->u.change.operation,
                 m->u.change.domain.name.alabel, m->u.change.reason);
        break;
    case POLL_PENDING:
        snprintf(s->detail[i], sizeof s->detail[i], "%s %s", m->u.pending.name,
                 m->u.pending.result ? "approved" : "rejected");
        break;
    case POLL_NOTICE:
        s->detail[i][0] = '\0';
        break;
    }
}

static struct seen each(struct fixture *f, int64_t registrar)
{
    struct seen s = {0};
    reg_status st = {0};
    OK(f, poll_each(f->d, registrar, keep, &s, &st));
    return s;
}

static void test_each_reads_every_kind_oldest_first(void **state)
{
    struct fixture f;
    setup(state, &f, "poll_each");
    int64_t a = f.a, b = f.b;
    reg_status st = {0};

    struct seen none = each(&f, f.a);
    assert_int_equal(none.n, 0);

    OK(&f, poll_enqueue_notice(f.d, a, "notice", "hello", NULL, NULL, &st));
    struct poll_transfer t = {.object = POLL_OBJ_DOMAIN, .status = "pending",
                              .gaining = "REGB", .losing = "REGA", .requested_at = T0,
                              .action_at = T0 + 5 * DAY};
    snprintf(t.name, sizeof t.name, "moving.dk");
    OK(&f, poll_enqueue_transfer(f.d, a, &t, "Transfer requested", &st));
    OK(&f, poll_enqueue_notice(f.d, b, "low-balance", "REGB's own", NULL, NULL, &st));
    struct poll_change *c = calloc(1, sizeof *c); /* a whole domain */
    assert_non_null(c);
    snprintf(c->domain.name.alabel, sizeof c->domain.name.alabel, "held.dk");
    snprintf(c->operation, sizeof c->operation, "update");
    c->has_reason = true;
    snprintf(c->reason, sizeof c->reason, "serverHold set");
    OK(&f, poll_enqueue_change(f.d, a, c, "Registry update of held.dk", &st));
    free(c);
    struct poll_pending p = {.name = "asked.dk", .result = true, .date = T0};
    OK(&f, poll_enqueue_pending(f.d, a, &p, "The registrant confirmed", &st));
    OK(&f, poll_enqueue_notice(f.d, a, "authinfoRequest", "Auth-code request", "domain",
                               "asked.dk", &st));

    struct seen s = each(&f, f.a);
    static const struct {
        enum poll_kind kind;
        const char *label, *message, *object, *detail;
    } want[] = {
        {POLL_NOTICE, "notice", "hello", "- -", ""},
        {POLL_TRANSFER, "transfer", "Transfer requested", "domain moving.dk",
         "pending REGA->REGB"},
        {POLL_CHANGE, "change", "Registry update of held.dk", "domain held.dk",
         "update held.dk serverHold set"},
        {POLL_PENDING, "pending", "The registrant confirmed", "domain asked.dk",
         "asked.dk approved"},
        {POLL_NOTICE, "authinfoRequest", "Auth-code request", "domain asked.dk", ""},
    };
    assert_int_equal(s.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(s.kind[i], want[i].kind);
        assert_string_equal(s.label[i], want[i].label);
        assert_string_equal(s.message[i], want[i].message);
        assert_string_equal(s.object[i], want[i].object);
        assert_string_equal(s.detail[i], want[i].detail);
        if (i)
            assert_true(s.id[i] > s.id[i - 1]);
    }

    /* poll_peek reads the oldest the same way; an ack takes it away */
    struct poll_msg m;
    assert_int_equal(poll_count(&f, f.a, &m), 5);
    assert_int_equal(m.id, s.id[0]);
    assert_string_equal(m.message, "hello");
    poll_msg_free(&m);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)s.id[0]);
    int64_t left;
    OK(&f, poll_ack(f.d, a, id, &left, &st));
    assert_int_equal(left, 4);
    struct seen after = each(&f, f.a);
    assert_int_equal(after.n, 4);
    assert_int_equal(after.id[0], s.id[1]);
    /* the length alone (the portal's navigation) */
    int64_t len = -1;
    OK(&f, poll_queue_length(f.d, f.a, &len, &st));
    assert_int_equal(len, 4);
    OK(&f, poll_queue_length(f.d, f.b, &len, &st));
    assert_int_equal(len, 1);

    /* REGB sees only its own */
    struct seen other = each(&f, f.b);
    assert_int_equal(other.n, 1);
    assert_string_equal(other.label[0], "low-balance");
    assert_string_equal(other.message[0], "REGB's own");
    teardown(&f);
}

/* regctl poll send: staff's text, PRECIS text, to a registrar named in
 * any case; a refusal queues nothing. */
static void test_staff_notice(void **state)
{
    struct fixture f;
    setup(state, &f, "poll_staff");
    reg_status st = {0};
    char handle[REGISTRAR_HANDLE_MAX + 1];
    OK(&f, poll_staff_notice(f.d, "rega", "Zweite Nachricht: \xc3\x9c" "bertragung", handle,
                             &st));
    assert_string_equal(handle, "REGA");
    struct seen s = each(&f, f.a);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.kind[0], POLL_NOTICE);
    assert_string_equal(s.label[0], "notice");
    assert_string_equal(s.message[0], "Zweite Nachricht: \xc3\x9c" "bertragung");

    static const struct {
        const char *registrar, *text;
        reg_err want;
        const char *reason;
    } bad[] = {
        {"REGA", "", REG_ERR_MISSING, "the message is empty"},
        /* PRECIS text (contrib/precis.h), as every staff text */
        {"REGA", "two\nlines", REG_ERR_INVALID,
         "the message: U+000A (a control character) is not allowed in text: it is a control "
         "character"},
        {"REGA", "pay\xe2\x80\xae" "exe.txt", REG_ERR_INVALID,
         "the message: U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed in text"},
        {"REGA", "latin-1 \xfc", REG_ERR_INVALID,
         "the message: byte 0xFC at offset 8 is not valid UTF-8"},
        {"NOBODY", "hello", REG_ERR_NOT_FOUND, "registrar NOBODY does not exist"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        EXPECT_REASON(&f, poll_staff_notice(f.d, bad[i].registrar, bad[i].text, handle, &st),
                      bad[i].want, st, bad[i].reason);
        assert_string_equal(handle, "");
    }
    assert_int_equal(each(&f, f.a).n, 1);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_BACKENDS(test_each_reads_every_kind_oldest_first),
        BOTH_BACKENDS(test_staff_notice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
