/* R7: the current registrant confirms or rejects a change of registrant or
 * a domain delete a registrar asked for without <regd:verified/>. The
 * registry layer (registry/pending.h) does the work; this file shows it. */
#include "confirm.h"

#include <stdio.h>
#include <string.h>

#include "contrib/clock.h"
#include "contrib/log.h"
#include "csrf.h"
#include "notify/templates.h"
#include "site.h"
#include "registry/pending.h"

/* Every sentence of these pages, in the four languages of the mails that
 * link here (template_langs' order: en, da, nb, et). */
struct confirm_text {
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
};

static const struct confirm_text texts[TEMPLATE_LANG_COUNT] = {
    {

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
    },
    {
        .title_change = "Bekræft skift af registrant",
        .title_delete = "Bekræft sletning af et domæne",
        .intro_change = "En registrator har bedt om at gøre en anden til registrant (indehaver) "
                        "af dette domæne. Som nuværende registrant bestemmer du: intet ændres, "
                        "medmindre du bekræfter.",
        .intro_delete = "En registrator har bedt om at slette dette domæne. Som registrant "
                        "bestemmer du: intet ændres, medmindre du bekræfter.",
        .label_domain = "Domæne",
        .label_registrar = "Registrator",
        .label_registrant = "Registrant",
        .label_current = "Nuværende registrant",
        .label_new = "Ny registrant",
        .label_requested = "Anmodet",
        .label_answer_by = "Svar senest",
        .label_decided = "Afgjort",
        .button_confirm = "Bekræft",
        .button_reject = "Afvis",
        .note_lapse = "Svarer du ikke inden tidspunktet ovenfor, bortfalder anmodningen, og intet "
                      "ændres. Ventede du ikke denne anmodning, så afvis den og kontakt din "
                      "registrator.",
        .done_confirmed_change = "Skiftet af registrant er gennemført",
        .done_confirmed_delete = "Domænet er slettet",
        .done_rejected = "Anmodningen er afvist",
        .done_failed = "Anmodningen kunne ikke gennemføres",
        .done_failed_because = "Årsag: ",
        .closed_confirmed = "Denne anmodning er allerede bekræftet",
        .closed_rejected = "Denne anmodning er allerede afvist",
        .closed_expired = "Denne anmodning er udløbet",
        .closed_failed = "Denne anmodning kunne ikke gennemføres",
        .closed_cancelled = "Denne anmodning er trukket tilbage",
        .text_confirmed_change = "Den nye registrant er nu indehaver af domænet.",
        .text_confirmed_delete = "Domænet er slettet.",
        .text_rejected = "Intet blev ændret.",
        .text_expired = "Den blev ikke besvaret i tide, så intet blev ændret. Ønskes ændringen "
                        "stadig, må registratoren anmode igen.",
        .text_failed = "Den blev bekræftet, men domænet eller dets kontakter var ændret i "
                       "mellemtiden, så intet blev ændret.",
        .text_cancelled = "Domænet blev slettet eller skiftede registrator, før anmodningen blev "
                          "besvaret, så den gælder ikke længere. Intet blev ændret af den.",
        .text_told = "Registratoren har fået besked.",
        .text_failed_told = "Intet blev ændret. Registratoren har fået besked.",
        .unknown_heading = "Linket er ikke gyldigt",
        .unknown_text = "Dette bekræftelseslink kendes ikke. Kontrollér, at du har åbnet hele "
                        "linket fra e-mailen.",
        .csrf_heading = "Genindlæs siden",
        .csrf_text = "Dit svar kunne ikke modtages, fordi siden var forældet eller sendt fra et "
                     "andet sted. Genindlæs siden, og prøv igen. Intet blev ændret.",
        .decision_heading = "Intet svar valgt",
        .decision_text = "Vælg Bekræft eller Afvis. Intet blev ændret.",
    },
    {
        .title_change = "Bekreft bytte av innehaver",
        .title_delete = "Bekreft sletting av et domene",
        .intro_change = "En registrar har bedt om å gjøre en annen til innehaver av dette "
                        "domenet. Som nåværende innehaver bestemmer du: ingenting endres med "
                        "mindre du bekrefter.",
        .intro_delete = "En registrar har bedt om å slette dette domenet. Som innehaver "
                        "bestemmer du: ingenting endres med mindre du bekrefter.",
        .label_domain = "Domene",
        .label_registrar = "Registrar",
        .label_registrant = "Innehaver",
        .label_current = "Nåværende innehaver",
        .label_new = "Ny innehaver",
        .label_requested = "Forespurt",
        .label_answer_by = "Svar innen",
        .label_decided = "Avgjort",
        .button_confirm = "Bekreft",
        .button_reject = "Avvis",
        .note_lapse = "Svarer du ikke innen tidspunktet over, bortfaller forespørselen, og "
                      "ingenting endres. Ventet du ikke denne forespørselen, avvis den og "
                      "kontakt registraren din.",
        .done_confirmed_change = "Byttet av innehaver er gjennomført",
        .done_confirmed_delete = "Domenet er slettet",
        .done_rejected = "Forespørselen er avvist",
        .done_failed = "Forespørselen kunne ikke gjennomføres",
        .done_failed_because = "Årsak: ",
        .closed_confirmed = "Denne forespørselen er allerede bekreftet",
        .closed_rejected = "Denne forespørselen er allerede avvist",
        .closed_expired = "Denne forespørselen er utløpt",
        .closed_failed = "Denne forespørselen kunne ikke gjennomføres",
        .closed_cancelled = "Denne forespørselen er trukket tilbake",
        .text_confirmed_change = "Den nye innehaveren har nå domenet.",
        .text_confirmed_delete = "Domenet er slettet.",
        .text_rejected = "Ingenting ble endret.",
        .text_expired = "Den ble ikke besvart i tide, så ingenting ble endret. Ønskes endringen "
                        "fortsatt, må registraren spørre på nytt.",
        .text_failed = "Den ble bekreftet, men domenet eller kontaktene var endret i "
                       "mellomtiden, så ingenting ble endret.",
        .text_cancelled = "Domenet ble slettet eller byttet registrar før forespørselen ble "
                          "besvart, så den gjelder ikke lenger. Ingenting ble endret av den.",
        .text_told = "Registraren har fått beskjed.",
        .text_failed_told = "Ingenting ble endret. Registraren har fått beskjed.",
        .unknown_heading = "Lenken er ikke gyldig",
        .unknown_text = "Denne bekreftelseslenken er ukjent. Kontroller at du åpnet hele lenken "
                        "fra e-posten.",
        .csrf_heading = "Last inn siden på nytt",
        .csrf_text = "Svaret ditt kunne ikke tas imot fordi siden var utdatert eller sendt fra "
                     "et annet sted. Last inn siden på nytt og prøv igjen. Ingenting ble endret.",
        .decision_heading = "Ikke noe svar valgt",
        .decision_text = "Velg Bekreft eller Avvis. Ingenting ble endret.",
    },
    {
        .title_change = "Registreerija vahetuse kinnitamine",
        .title_delete = "Domeeni kustutamise kinnitamine",
        .intro_change = "Registrar on palunud määrata selle domeeni registreerijaks (omanikuks) "
                        "kellegi teise. Praeguse registreerijana otsustate teie: midagi ei muutu, "
                        "kui te ei kinnita.",
        .intro_delete = "Registrar on palunud selle domeeni kustutada. Registreerijana "
                        "otsustate teie: midagi ei muutu, kui te ei kinnita.",
        .label_domain = "Domeen",
        .label_registrar = "Registrar",
        .label_registrant = "Registreerija",
        .label_current = "Praegune registreerija",
        .label_new = "Uus registreerija",
        .label_requested = "Taotletud",
        .label_answer_by = "Vastata hiljemalt",
        .label_decided = "Otsustatud",
        .button_confirm = "Kinnita",
        .button_reject = "Keeldu",
        .note_lapse = "Kui te ei vasta ülaltoodud ajaks, taotlus aegub ja midagi ei muutu. Kui "
                      "te seda taotlust ei oodanud, keelduge ja võtke ühendust oma registrariga.",
        .done_confirmed_change = "Registreerija on vahetatud",
        .done_confirmed_delete = "Domeen on kustutatud",
        .done_rejected = "Taotlusest on keeldutud",
        .done_failed = "Taotlust ei saanud täita",
        .done_failed_because = "Põhjus: ",
        .closed_confirmed = "See taotlus on juba kinnitatud",
        .closed_rejected = "Sellest taotlusest on juba keeldutud",
        .closed_expired = "See taotlus on aegunud",
        .closed_failed = "Seda taotlust ei saanud täita",
        .closed_cancelled = "See taotlus on tagasi võetud",
        .text_confirmed_change = "Domeen kuulub nüüd uuele registreerijale.",
        .text_confirmed_delete = "Domeen on kustutatud.",
        .text_rejected = "Midagi ei muudetud.",
        .text_expired = "Sellele ei vastatud õigeks ajaks, seega midagi ei muudetud. Kui "
                        "muudatust ikka soovitakse, peab registrar uuesti taotlema.",
        .text_failed = "See kinnitati, kuid domeen või selle kontaktid olid vahepeal muutunud, "
                       "seega midagi ei muudetud.",
        .text_cancelled = "Domeen kustutati või vahetas registrari enne vastamist, seega taotlus "
                          "enam ei kehti. Selle tõttu midagi ei muudetud.",
        .text_told = "Registrari on teavitatud.",
        .text_failed_told = "Midagi ei muudetud. Registrari on teavitatud.",
        .unknown_heading = "Link ei kehti",
        .unknown_text = "Seda kinnituslinki ei tunta. Kontrollige, et avasite e-kirjast kogu "
                        "lingi.",
        .csrf_heading = "Palun laadige leht uuesti",
        .csrf_text = "Teie vastust ei saanud vastu võtta, sest leht oli aegunud või saadetud "
                     "mujalt. Laadige leht uuesti ja proovige veel kord. Midagi ei muudetud.",
        .decision_heading = "Vastust ei valitud",
        .decision_text = "Valige Kinnita või Keeldu. Midagi ei muudetud.",
    },
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

/* A page of this site: the request and the language it is answered in. */
struct cpage {
    struct web_request *w;
    const char *lang;
    const struct confirm_text *t;
};

static void set_lang(struct cpage *c, const char *lang)
{
    size_t i = 0;
    while (i + 1 < TEMPLATE_LANG_COUNT && strcmp(template_langs[i], lang))
        i++;
    c->lang = template_langs[i];
    c->t = &texts[i];
}

/* The language of the browser when it asks for one of ours; else the
 * registrant's, the one its mail was written in (v; NULL before the
 * action is known: the registry's default). */
static struct cpage page_for(struct web_request *w, const struct pending_view *v)
{
    struct cpage c = {.w = w};
    const char *lang = site_accept_language(web_header(w, "Accept-Language"), template_langs,
                                            TEMPLATE_LANG_COUNT);
    set_lang(&c, lang ? lang : v ? v->lang : template_lang_for(NULL, NULL, w->policy->language));
    return c;
}

/* The page's head in its language, the registry's logo on top. */
static void page_begin(const struct cpage *c, strbuf *sb, const char *title)
{
    sb_init(sb);
    web_page_begin_lang(sb, c->lang, title);
    site_logo(sb, c->w, "logo");
}

/* The registry's footer, the end, sent; sb freed. */
static void page_end(const struct cpage *c, strbuf *sb, int status)
{
    site_footer(sb, c->w->cfg, c->lang, "note");
    web_page_end(sb);
    web_send(c->w, status, sb);
    sb_free(sb);
}

static void send_message(const struct cpage *c, int status, const char *heading, const char *msg)
{
    strbuf sb;
    page_begin(c, &sb, heading);
    sb_puts(&sb, "<h1>");
    html_escape(&sb, heading);
    sb_puts(&sb, "</h1>\n<p>");
    html_escape(&sb, msg);
    sb_puts(&sb, "</p>\n");
    page_end(c, &sb, status);
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

static void details(strbuf *sb, const struct confirm_text *t, const struct pending_view *v,
                    bool open)
{
    sb_puts(sb, "<dl>\n");
    row_start(sb, t->label_domain);
    html_escape(sb, v->udomain[0] ? v->udomain : v->domain);
    if (v->udomain[0] && strcmp(v->udomain, v->domain)) {
        sb_puts(sb, " <span class=\"alabel\">(");
        html_escape(sb, v->domain);
        sb_puts(sb, ")</span>");
    }
    sb_puts(sb, "</dd>\n");
    row_start(sb, t->label_registrar);
    party(sb, v->registrar_name, v->registrar_handle);
    sb_puts(sb, "</dd>\n");
    row_start(sb, is_change(v) ? t->label_current : t->label_registrant);
    party(sb, v->registrant_name, v->registrant_handle);
    sb_puts(sb, "</dd>\n");
    if (is_change(v)) {
        row_start(sb, t->label_new);
        party(sb, v->new_registrant_name, v->new_registrant_handle);
        sb_puts(sb, "</dd>\n");
    }
    row_start(sb, t->label_requested);
    time_utc(sb, v->requested_at);
    sb_puts(sb, "</dd>\n");
    if (open || v->decided_at <= 0) {
        row_start(sb, t->label_answer_by);
        time_utc(sb, v->expires_at);
        sb_puts(sb, "</dd>\n");
    } else {
        row_start(sb, t->label_decided);
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
static void send_about(const struct cpage *c, int status, const char *h, const char *t1,
                       const char *t2, const struct pending_view *v)
{
    strbuf sb;
    page_begin(c, &sb, h);
    heading(&sb, h);
    para(&sb, false, t1, t2);
    details(&sb, c->t, v, false);
    page_end(c, &sb, status);
}

/* 410 Gone: decided, expired or failed before. */
static void send_closed(const struct cpage *c, const struct pending_view *v, reg_time now)
{
    const struct confirm_text *t = c->t;
    const char *state = effective_state(v, now);
    if (!strcmp(state, "confirmed"))
        send_about(c, 410, t->closed_confirmed,
                   is_change(v) ? t->text_confirmed_change : t->text_confirmed_delete, NULL,
                   v);
    else if (!strcmp(state, "rejected"))
        send_about(c, 410, t->closed_rejected, t->text_rejected, NULL, v);
    else if (!strcmp(state, "failed"))
        send_about(c, 410, t->closed_failed, t->text_failed, NULL, v);
    else if (!strcmp(state, "cancelled"))
        send_about(c, 410, t->closed_cancelled, t->text_cancelled, NULL, v);
    else
        send_about(c, 410, t->closed_expired, t->text_expired, NULL, v);
}

static void send_form(const struct cpage *c, const struct pending_view *v)
{
    struct web_request *w = c->w;
    const struct confirm_text *t = c->t;
    char csrf[SECRET_TOKEN_LEN];
    if (csrf_issue(w, CONFIRM_COOKIE, CONFIRM_PREFIX, csrf)) {
        web_unavailable(w);
        return;
    }
    const char *title = is_change(v) ? t->title_change : t->title_delete;
    strbuf sb;
    page_begin(c, &sb, title);
    heading(&sb, title);
    para(&sb, false, is_change(v) ? t->intro_change : t->intro_delete, NULL);
    details(&sb, t, v, true);
    /* no action attribute: the form posts to this very URL, whatever path
     * a reverse proxy puts in front */
    sb_puts(&sb, "<form method=\"post\">\n<input type=\"hidden\" name=\"" CSRF_FIELD
                 "\" value=\"");
    html_escape(&sb, csrf);
    sb_puts(&sb, "\">\n<button class=\"confirm\" type=\"submit\" name=\"decision\" "
                 "value=\"confirm\">");
    html_escape(&sb, t->button_confirm);
    sb_puts(&sb, "</button>\n<button type=\"submit\" name=\"decision\" value=\"reject\">");
    html_escape(&sb, t->button_reject);
    sb_puts(&sb, "</button>\n</form>\n");
    para(&sb, true, t->note_lapse, NULL);
    page_end(c, &sb, 200);
}

static void send_outcome(const struct cpage *c, const struct pending_view *v)
{
    const struct confirm_text *t = c->t;
    if (!strcmp(v->state, "confirmed")) {
        send_about(c, 200, is_change(v) ? t->done_confirmed_change : t->done_confirmed_delete,
                   t->text_told, NULL, v);
    } else if (!strcmp(v->state, "rejected")) {
        send_about(c, 200, t->done_rejected, t->text_rejected, t->text_told, v);
    } else if (v->reason[0]) {
        char why[sizeof v->reason + 16];
        snprintf(why, sizeof why, "%s%s", t->done_failed_because, v->reason);
        send_about(c, 200, t->done_failed, why, t->text_failed_told, v);
    } else {
        send_about(c, 200, t->done_failed, t->text_failed, t->text_told, v);
    }
}

/* --- handlers ------------------------------------------------------------- */

/* The token from the path, or NULL: anything but a well-formed token is
 * 404 before the registry sees it. */
static const char *path_token(struct web_request *w)
{
    if (web_token_valid(w->rest))
        return w->rest;
    struct cpage c = page_for(w, NULL);
    send_message(&c, 404, c.t->unknown_heading, c.t->unknown_text);
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
    struct cpage c = page_for(w, e ? NULL : &v);
    if (e == REG_ERR_NOT_FOUND) {
        send_message(&c, 404, c.t->unknown_heading, c.t->unknown_text);
    } else if (e) {
        reg_log(LOG_ERROR, "http", w->id, "confirm-find-failed", "error=%s", reg_errname(e));
        web_unavailable(w);
    } else if (strcmp(effective_state(&v, op.now), "pending")) {
        send_closed(&c, &v, op.now);
    } else {
        send_form(&c, &v);
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
    struct cpage c = page_for(w, NULL);
    if (!csrf_check(w, CONFIRM_COOKIE)) {
        reg_log(LOG_INFO, "http", w->id, "csrf-refused", "peer=%s", w->peer);
        send_message(&c, 403, c.t->csrf_heading, c.t->csrf_text);
        return;
    }
    if (!web_form_field(w, "decision", decision, sizeof decision) ||
        (strcmp(decision, "confirm") && strcmp(decision, "reject"))) {
        send_message(&c, 400, c.t->decision_heading, c.t->decision_text);
        return;
    }
    bool confirm = !strcmp(decision, "confirm");
    struct pending_view v;
    reg_status st = {0};
    reg_time now;
    reg_err e = decide(w, token, confirm, &v, &st, &now);
    if (e == REG_ERR_NOT_FOUND) {
        send_message(&c, 404, c.t->unknown_heading, c.t->unknown_text);
        return;
    }
    if (!e || e == REG_ERR_NOT_PENDING)
        c = page_for(w, &v);
    if (e == REG_ERR_NOT_PENDING) {
        send_closed(&c, &v, now);
    } else if (e) {
        reg_log(LOG_ERROR, "http", w->id, "confirm-failed", "error=%s", reg_errname(e));
        web_unavailable(w);
    } else {
        reg_log(LOG_INFO, "http", w->id, "confirm", "action=%lld kind=%s domain=%s decision=%s "
                "state=%s", (long long)v.id, v.kind, v.domain, decision, v.state);
        send_outcome(&c, &v);
    }
}
