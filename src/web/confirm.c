/* R7: the current registrant confirms or rejects a change of registrant or
 * a domain delete a registrar asked for without <regd:verified/>. The
 * registry layer (registry/pending.h) does the work; this file shows it. */
#include "confirm.h"

#include <stdio.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "csrf.h"
#include "registry/pending.h"

/* Every sentence of these pages, in one place (English for now). */
static const struct {
    const char *title_change, *title_delete;
    const char *intro_change, *intro_delete;
    const char *label_domain, *label_registrar, *label_registrant, *label_current,
        *label_new, *label_requested, *label_answer_by, *label_decided;
    const char *button_confirm, *button_reject;
    const char *note_lapse;
    const char *done_confirmed_change, *done_confirmed_delete, *done_rejected,
        *done_failed, *done_failed_because;
    const char *closed_confirmed, *closed_rejected, *closed_expired, *closed_failed,
        *closed_cancelled;
    const char *text_confirmed_change, *text_confirmed_delete, *text_rejected,
        *text_expired, *text_failed, *text_cancelled, *text_told, *text_failed_told;
    const char *unknown_heading, *unknown_text;
    const char *csrf_heading, *csrf_text;
    const char *decision_heading, *decision_text;
} text = {
    .title_change = "Confirm a change of registrant",
    .title_delete = "Confirm the deletion of a domain",
    .intro_change = "A registrar has asked to make someone else the registrant (the holder) "
                    "of this domain. As the current registrant you decide: nothing changes "
                    "unless you confirm.",
    .intro_delete = "A registrar has asked to delete this domain. As its registrant you "
                    "decide: nothing changes unless you confirm.",
    .label_domain = "Domain",
    .label_registrar = "Registrar",
    .label_registrant = "Registrant",
    .label_current = "Current registrant",
    .label_new = "New registrant",
    .label_requested = "Requested",
    .label_answer_by = "Answer by",
    .label_decided = "Decided",
    .button_confirm = "Confirm",
    .button_reject = "Reject",
    .note_lapse = "If you do not answer by the time above, the request lapses and nothing "
                  "changes. If you did not expect this request, reject it and contact your "
                  "registrar.",
    .done_confirmed_change = "The change of registrant has been made",
    .done_confirmed_delete = "The domain has been deleted",
    .done_rejected = "Request rejected",
    .done_failed = "The request could not be carried out",
    .done_failed_because = "Reason: ",
    .closed_confirmed = "This request was already confirmed",
    .closed_rejected = "This request was already rejected",
    .closed_expired = "This request has expired",
    .closed_failed = "This request could not be carried out",
    .closed_cancelled = "This request was withdrawn",
    .text_confirmed_change = "The new registrant now holds the domain.",
    .text_confirmed_delete = "The domain has been deleted.",
    .text_rejected = "Nothing was changed.",
    .text_expired = "It was not answered in time, so nothing was changed. If the change is "
                    "still wanted, the registrar has to ask again.",
    .text_failed = "It was confirmed, but the domain or its contacts had changed in the "
                   "meantime, so nothing was changed.",
    .text_cancelled = "The domain was deleted or changed registrar before it was answered, so "
                      "the request no longer applies. Nothing was changed by it.",
    .text_told = "The registrar has been told.",
    .text_failed_told = "Nothing was changed. The registrar has been told.",
    .unknown_heading = "Link not valid",
    .unknown_text = "This confirmation link is not known. Check that you opened the whole link "
                    "from the e-mail.",
    .csrf_heading = "Please reload the page",
    .csrf_text = "Your answer could not be accepted because the page was out of date or sent "
                 "from elsewhere. Reload the page and try again. Nothing was changed.",
    .decision_heading = "No answer chosen",
    .decision_text = "Choose Confirm or Reject. Nothing was changed.",
};

/* A decision that loses a write conflict is simply run again. */
#define DECIDE_ATTEMPTS 3

static bool is_change(const struct pending_view *v)
{
    return !strcmp(v->kind, PENDING_KIND_REGISTRANT_CHANGE);
}

/* The state the page reports: an action past its expiry is expired even
 * before the pending-expire job has marked it. */
static const char *effective_state(const struct pending_view *v, reg_time now)
{
    if (!strcmp(v->state, "pending") && v->expires_at <= now)
        return "expired";
    return v->state;
}

static struct reg_op web_op(const struct web_request *w)
{
    return (struct reg_op){.db = w->db, .policy = w->policy, .registrar_id = 0,
                           .actor = "registrant", .channel = "web", .now = clock_now()};
}

/* --- page parts ----------------------------------------------------------- */

static void time_utc(strbuf *sb, reg_time t)
{
    char iso[REG_TIME_STRLEN];
    clock_format(t, iso, sizeof iso);
    /* 2027-01-01T12:00:00Z → 2027-01-01 12:00 UTC */
    sb_printf(sb, "<time datetime=\"%s\">%.10s %.5s UTC</time>", iso, iso, iso + 11);
}

static void party(strbuf *sb, const char *name, const char *handle)
{
    html_escape(sb, name[0] ? name : handle);
    if (name[0] && handle[0]) {
        sb_puts(sb, " (");
        html_escape(sb, handle);
        sb_puts(sb, ")");
    }
}

static void row_start(strbuf *sb, const char *label)
{
    sb_puts(sb, "<dt>");
    html_escape(sb, label);
    sb_puts(sb, "</dt><dd>");
}

static void details(strbuf *sb, const struct pending_view *v, bool open)
{
    sb_puts(sb, "<dl>\n");
    row_start(sb, text.label_domain);
    html_escape(sb, v->udomain[0] ? v->udomain : v->domain);
    if (v->udomain[0] && strcmp(v->udomain, v->domain)) {
        sb_puts(sb, " <span class=\"alabel\">(");
        html_escape(sb, v->domain);
        sb_puts(sb, ")</span>");
    }
    sb_puts(sb, "</dd>\n");
    row_start(sb, text.label_registrar);
    party(sb, v->registrar_name, v->registrar_handle);
    sb_puts(sb, "</dd>\n");
    row_start(sb, is_change(v) ? text.label_current : text.label_registrant);
    party(sb, v->registrant_name, v->registrant_handle);
    sb_puts(sb, "</dd>\n");
    if (is_change(v)) {
        row_start(sb, text.label_new);
        party(sb, v->new_registrant_name, v->new_registrant_handle);
        sb_puts(sb, "</dd>\n");
    }
    row_start(sb, text.label_requested);
    time_utc(sb, v->requested_at);
    sb_puts(sb, "</dd>\n");
    if (open || v->decided_at <= 0) {
        row_start(sb, text.label_answer_by);
        time_utc(sb, v->expires_at);
        sb_puts(sb, "</dd>\n");
    } else {
        row_start(sb, text.label_decided);
        time_utc(sb, v->decided_at);
        sb_puts(sb, "</dd>\n");
    }
    sb_puts(sb, "</dl>\n");
}

static void heading(strbuf *sb, const char *h)
{
    sb_puts(sb, "<h1>");
    html_escape(sb, h);
    sb_puts(sb, "</h1>\n");
}

static void para(strbuf *sb, bool note, const char *a, const char *b)
{
    sb_puts(sb, note ? "<p class=\"note\">" : "<p>");
    html_escape(sb, a);
    if (b) {
        sb_putc(sb, ' ');
        html_escape(sb, b);
    }
    sb_puts(sb, "</p>\n");
}

/* A page about an action: heading, sentences, the details. */
static void send_about(struct web_request *w, int status, const char *h, const char *t1,
                       const char *t2, const struct pending_view *v)
{
    strbuf sb;
    sb_init(&sb);
    web_page_begin(&sb, h);
    heading(&sb, h);
    para(&sb, false, t1, t2);
    details(&sb, v, false);
    web_page_end(&sb);
    web_send(w, status, &sb);
    sb_free(&sb);
}

/* 410 Gone: decided, expired or failed before. */
static void send_closed(struct web_request *w, const struct pending_view *v, reg_time now)
{
    const char *state = effective_state(v, now);
    if (!strcmp(state, "confirmed"))
        send_about(w, 410, text.closed_confirmed,
                   is_change(v) ? text.text_confirmed_change : text.text_confirmed_delete, NULL,
                   v);
    else if (!strcmp(state, "rejected"))
        send_about(w, 410, text.closed_rejected, text.text_rejected, NULL, v);
    else if (!strcmp(state, "failed"))
        send_about(w, 410, text.closed_failed, text.text_failed, NULL, v);
    else if (!strcmp(state, "cancelled"))
        send_about(w, 410, text.closed_cancelled, text.text_cancelled, NULL, v);
    else
        send_about(w, 410, text.closed_expired, text.text_expired, NULL, v);
}

static void send_form(struct web_request *w, const struct pending_view *v)
{
    char csrf[SECRET_TOKEN_LEN];
    if (csrf_issue(w, CONFIRM_COOKIE, CONFIRM_PREFIX, csrf)) {
        web_unavailable(w);
        return;
    }
    const char *title = is_change(v) ? text.title_change : text.title_delete;
    strbuf sb;
    sb_init(&sb);
    web_page_begin(&sb, title);
    heading(&sb, title);
    para(&sb, false, is_change(v) ? text.intro_change : text.intro_delete, NULL);
    details(&sb, v, true);
    /* no action attribute: the form posts to this very URL, whatever path
     * a reverse proxy puts in front */
    sb_puts(&sb, "<form method=\"post\">\n<input type=\"hidden\" name=\"" CSRF_FIELD
                 "\" value=\"");
    html_escape(&sb, csrf);
    sb_puts(&sb, "\">\n<button class=\"confirm\" type=\"submit\" name=\"decision\" "
                 "value=\"confirm\">");
    html_escape(&sb, text.button_confirm);
    sb_puts(&sb, "</button>\n<button type=\"submit\" name=\"decision\" value=\"reject\">");
    html_escape(&sb, text.button_reject);
    sb_puts(&sb, "</button>\n</form>\n");
    para(&sb, true, text.note_lapse, NULL);
    web_page_end(&sb);
    web_send(w, 200, &sb);
    sb_free(&sb);
}

static void send_outcome(struct web_request *w, const struct pending_view *v)
{
    if (!strcmp(v->state, "confirmed")) {
        send_about(w, 200, is_change(v) ? text.done_confirmed_change : text.done_confirmed_delete,
                   text.text_told, NULL, v);
    } else if (!strcmp(v->state, "rejected")) {
        send_about(w, 200, text.done_rejected, text.text_rejected, text.text_told, v);
    } else if (v->reason[0]) {
        char why[sizeof v->reason + 16];
        snprintf(why, sizeof why, "%s%s", text.done_failed_because, v->reason);
        send_about(w, 200, text.done_failed, why, text.text_failed_told, v);
    } else {
        send_about(w, 200, text.done_failed, text.text_failed, text.text_told, v);
    }
}

/* --- handlers ------------------------------------------------------------- */

/* The token from the path, or NULL: anything but a well-formed token is
 * 404 before the registry sees it. */
static const char *path_token(struct web_request *w)
{
    if (web_token_valid(w->rest))
        return w->rest;
    web_send_message(w, 404, text.unknown_heading, text.unknown_text);
    return NULL;
}

void confirm_show(struct web_request *w)
{
    const char *token = path_token(w);
    if (!token)
        return;
    struct reg_op op = web_op(w);
    struct pending_view v;
    reg_status st = {0};
    reg_err e = pending_find(&op, token, &v, &st);
    if (e == REG_ERR_NOT_FOUND) {
        web_send_message(w, 404, text.unknown_heading, text.unknown_text);
    } else if (e) {
        reg_log(LOG_ERROR, "http", w->id, "confirm-find-failed", "error=%s", reg_errname(e));
        web_unavailable(w);
    } else if (strcmp(effective_state(&v, op.now), "pending")) {
        send_closed(w, &v, op.now);
    } else {
        send_form(w, &v);
    }
}

/* pending_decide in one transaction, run again when it lost a conflict. */
static reg_err decide(struct web_request *w, const char *token, bool confirm,
                      struct pending_view *out, reg_status *st, reg_time *now)
{
    reg_err e = REG_OK;
    for (int attempt = 1; attempt <= DECIDE_ATTEMPTS; attempt++) {
        struct reg_op op = web_op(w);
        *now = op.now;
        reg_status_clear(st);
        memset(out, 0, sizeof *out);
        e = db_begin(w->db);
        if (!e) {
            e = pending_decide(&op, token, confirm, out, st);
            if (e)
                db_rollback(w->db);
            else
                e = db_commit(w->db);
        }
        if (e != REG_ERR_DB_BUSY)
            break;
    }
    return e;
}

void confirm_decide(struct web_request *w)
{
    const char *token = path_token(w);
    if (!token)
        return;
    char decision[16];
    if (!csrf_check(w, CONFIRM_COOKIE)) {
        reg_log(LOG_INFO, "http", w->id, "csrf-refused", "peer=%s", w->peer);
        web_send_message(w, 403, text.csrf_heading, text.csrf_text);
        return;
    }
    if (!web_form_field(w, "decision", decision, sizeof decision) ||
        (strcmp(decision, "confirm") && strcmp(decision, "reject"))) {
        web_send_message(w, 400, text.decision_heading, text.decision_text);
        return;
    }
    bool confirm = !strcmp(decision, "confirm");
    struct pending_view v;
    reg_status st = {0};
    reg_time now;
    reg_err e = decide(w, token, confirm, &v, &st, &now);
    if (e == REG_ERR_NOT_FOUND) {
        web_send_message(w, 404, text.unknown_heading, text.unknown_text);
    } else if (e == REG_ERR_NOT_PENDING) {
        send_closed(w, &v, now);
    } else if (e) {
        reg_log(LOG_ERROR, "http", w->id, "confirm-failed", "error=%s", reg_errname(e));
        web_unavailable(w);
    } else {
        reg_log(LOG_INFO, "http", w->id, "confirm", "action=%lld kind=%s domain=%s decision=%s "
                "state=%s", (long long)v.id, v.kind, v.domain, decision, v.state);
        send_outcome(w, &v);
    }
}
