/* The portal's poll messages (issue 16): the registrar's queue oldest
 * first, as EPP's poll request reads it, a message read whole, and its
 * acknowledgement (the same poll_ack EPP uses: the message leaves the
 * queue for EPP too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "html.h"
#include "portal_internal.h"
#include "registry/poll.h"

#define POLL PORTAL_PREFIX "/poll"
#define SHOWN 200 /* the list's first messages */

struct list {
    strbuf *sb;
    const struct portal_ctx *c;
    size_t n;
    int64_t want; /* the message page: its id (0 for the list) */
    bool has;     /* …written to sb */
};

static void message_facts(strbuf *sb, const struct portal_ctx *c, const struct poll_msg *m);

static const char *kind_of(const struct poll_msg *m)
{
    return m->label[0] ? m->label : "notice";
}

static void list_row(const struct poll_msg *m, void *arg)
{
    struct list *l = arg;
    char id[24], when[REG_TIME_STRLEN], path[64];
    if (l->want) {
        if (m->id == l->want && !l->has) {
            message_facts(l->sb, l->c, m);
            l->has = true;
        }
        return;
    }
    if (l->n++ >= SHOWN)
        return;
    snprintf(id, sizeof id, "%lld", (long long)m->id);
    snprintf(path, sizeof path, "%s", id);
    h_open(l->sb, "tr", "data-id", id, NULL);
    h_open(l->sb, "td", NULL);
    portal_object_link(l->sb, l->c, POLL, path, id);
    h_close(l->sb, "td");
    h_elem(l->sb, "td", clock_format(m->created_at, when, sizeof when), "class", "text-nowrap",
           NULL);
    h_elem(l->sb, "td", kind_of(m), NULL);
    h_elem(l->sb, "td", m->object_name ? m->object_name : "", "class", "text-break", NULL);
    h_elem(l->sb, "td", m->message ? m->message : "", NULL);
    h_open(l->sb, "td", NULL);
    portal_button_form(l->sb, l->c, POLL "/ack", "id", id, portal_t(l->c, T_POLL_ACK),
                       "btn btn-outline-primary btn-sm", "ack");
    h_close(l->sb, "td");
    h_close(l->sb, "tr");
}

void portal_poll(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    strbuf sb, rows;
    sb_init(&sb);
    sb_init(&rows);
    struct list l = {.sb = &rows, .c = c};
    reg_status st = {0};
    if (poll_each(c->op.db, c->s.registrar_id, list_row, &l, &st)) {
        sb_free(&rows);
        portal_unavailable(c, "portal-poll-failed", &st);
        return;
    }
    portal_page_begin(&sb, c, portal_t(c, T_POLL_TITLE));
    char n[24], text[200];
    snprintf(n, sizeof n, "%zu", l.n);
    h_elem(&sb, "p", l.n ? portal_tf(c, T_POLL_COUNT, text, sizeof text, n, NULL)
                         : portal_t(c, T_POLL_EMPTY),
           "id", "poll-count", NULL);
    if (l.n) {
        const enum portal_text_id cols[] = {T_POLL_ID, T_DATE, T_POLL_KIND, T_OBJECT,
                                            T_POLL_MESSAGE, T_ACTIONS};
        portal_table_begin(&sb, c, "poll", cols, sizeof cols / sizeof cols[0]);
        sb_append(&sb, sb_str(&rows), rows.len); /* written by the same escaping writer */
        portal_table_end(&sb);
    }
    sb_free(&rows);
    portal_page_end(c, &sb, 200);
}

/* A message's details by its kind (what EPP's msgQ response data says). */
static void details(strbuf *sb, const struct portal_ctx *c, const struct poll_msg *m)
{
    char a[REG_TIME_STRLEN], b[REG_TIME_STRLEN];
    if (m->kind == POLL_TRANSFER) {
        const struct poll_transfer *t = &m->u.transfer;
        portal_fact(sb, portal_t(c, T_STATUS), t->status, "f-trstatus");
        portal_fact(sb, portal_t(c, T_POLL_GAINING), t->gaining, "f-gaining");
        portal_fact(sb, portal_t(c, T_POLL_LOSING), t->losing, "f-losing");
        portal_fact(sb, portal_t(c, T_POLL_REQUESTED), clock_format(t->requested_at, a, sizeof a),
                    "f-requested");
        portal_fact(sb, portal_t(c, T_POLL_ACTION), clock_format(t->action_at, b, sizeof b),
                    "f-action");
    } else if (m->kind == POLL_CHANGE) {
        portal_fact(sb, portal_t(c, T_POLL_OPERATION), m->u.change.operation, "f-operation");
        portal_fact(sb, portal_t(c, T_DATE), clock_format(m->u.change.date, a, sizeof a),
                    "f-date");
        portal_fact(sb, "svTRID", m->u.change.svtrid, "f-svtrid");
        if (m->u.change.has_reason)
            portal_fact(sb, portal_t(c, T_POLL_REASON), m->u.change.reason, "f-reason");
    } else if (m->kind == POLL_PENDING) {
        portal_fact(sb, portal_t(c, T_POLL_RESULT),
                    portal_t(c, m->u.pending.result ? T_YES : T_NO), "f-result");
        portal_fact(sb, "clTRID", m->u.pending.cltrid, "f-cltrid");
        portal_fact(sb, "svTRID", m->u.pending.svtrid, "f-svtrid");
    }
}

static void message_facts(strbuf *sb, const struct portal_ctx *c, const struct poll_msg *m)
{
    char id[24], when[REG_TIME_STRLEN];
    snprintf(id, sizeof id, "%lld", (long long)m->id);
    h_open(sb, "dl", "class", "row", "id", "facts", NULL);
    portal_fact(sb, portal_t(c, T_POLL_ID), id, "f-id");
    portal_fact(sb, portal_t(c, T_DATE), clock_format(m->created_at, when, sizeof when), "f-when");
    portal_fact(sb, portal_t(c, T_POLL_KIND), kind_of(m), "f-kind");
    if (m->object_name)
        portal_fact(sb, portal_t(c, T_OBJECT), m->object_name, "f-object");
    portal_fact(sb, portal_t(c, T_POLL_MESSAGE), m->message, "f-message");
    details(sb, c, m);
    h_close(sb, "dl");
    portal_button_form(sb, c, POLL "/ack", "id", id, portal_t(c, T_POLL_ACK), "btn btn-primary",
                       "ack");
}

void portal_poll_message(struct portal_ctx *c)
{
    if (!portal_require(c, PORTAL_REGISTRAR))
        return;
    strbuf msg;
    sb_init(&msg);
    struct list l = {.sb = &msg, .c = c, .want = c->arg ? atoll(c->arg) : 0};
    reg_status st = {0};
    if (l.want > 0 && poll_each(c->op.db, c->s.registrar_id, list_row, &l, &st)) {
        sb_free(&msg);
        portal_unavailable(c, "portal-poll-failed", &st);
        return;
    }
    if (!l.has) {
        sb_free(&msg);
        portal_send_message(c, 404, T_POLL_NOT_FOUND, T_POLL_NOT_FOUND_TEXT);
        return;
    }
    char title[64], id[24];
    snprintf(id, sizeof id, "%lld", (long long)l.want);
    strbuf sb;
    sb_init(&sb);
    portal_detail_begin(&sb, c, portal_tf(c, T_POLL_ONE, title, sizeof title, id, NULL), POLL,
                        T_BACK_TO_POLL);
    sb_append(&sb, sb_str(&msg), msg.len); /* written by the same escaping writer */
    sb_free(&msg);
    portal_page_end(c, &sb, 200);
}

struct ack_arg {
    char id[24];
    int64_t left;
};

static reg_err ack_fn(const struct reg_op *op, void *arg, reg_status *st)
{
    struct ack_arg *a = arg;
    return poll_ack(op->db, op->registrar_id, a->id, &a->left, st);
}

void portal_poll_ack(struct portal_ctx *c)
{
    if (!portal_post_ok(c, PORTAL_REGISTRAR))
        return;
    struct ack_arg a = {0};
    web_form_field(c->w, "id", a.id, sizeof a.id);
    reg_status st = {0};
    reg_err e = portal_run(c, ack_fn, &a, T_POLL_ACKED, "portal-poll-ack-failed", &st);
    if (reg_err_is_system(e))
        return;
    reg_log(LOG_INFO, "portal", c->w->id, e ? "portal-poll-ack-refused" : "portal-poll-ack",
            "login=%s id=%s", c->s.login, a.id);
    web_redirect(c->w, POLL);
}
