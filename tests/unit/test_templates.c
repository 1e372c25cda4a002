/* The templates of every text the registry sends (src/notify/templates.c;
 * DESIGN §2 notify, R10, R11, R16, R23): each kind in en, da, nb and et
 * with exactly its declared placeholders, so a missing translation or a
 * mistyped placeholder fails here; rendering; the choice of language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "notify/templates.h"
#include "testutil.h"

#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>

static const struct template *lookup(const char *id, const char *lang)
{
    const struct template *found = NULL;
    for (size_t i = 0; i < template_count; i++)
        if (!strcmp(templates[i].id, id) && !strcmp(templates[i].lang, lang)) {
            if (found)
                fail_msg("template %s (%s) is in the table twice", id, lang);
            found = &templates[i];
        }
    return found;
}

static const struct template_kind *kind_of(const char *id)
{
    for (size_t i = 0; i < template_kind_count; i++)
        if (!strcmp(template_kinds[i].id, id))
            return &template_kinds[i];
    return NULL;
}

/* The words of a space-separated list, sorted, as one string. */
static void sorted_words(const char *list, char *out, size_t n)
{
    char copy[512], *words[32];
    size_t count = 0;
    snprintf(copy, sizeof copy, "%s", list);
    for (char *w = strtok(copy, " "); w && count < 32; w = strtok(NULL, " "))
        words[count++] = w;
    for (size_t i = 1; i < count; i++)
        for (size_t j = i; j > 0 && strcmp(words[j - 1], words[j]) > 0; j--) {
            char *t = words[j];
            words[j] = words[j - 1];
            words[j - 1] = t;
        }
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        if (i)
            strncat(out, " ", n - strlen(out) - 1);
        strncat(out, words[i], n - strlen(out) - 1);
    }
}

static void placeholders_of(const struct template *t, const char *text, char *out, size_t n)
{
    char raw[512];
    if (!template_placeholders(text, raw, sizeof raw))
        fail_msg("template %s (%s): a brace that is not a {placeholder} in \"%s\"", t->id,
                 t->lang, text);
    sorted_words(raw, out, n);
}

static void every_kind_in_every_language(void **state)
{
    (void)state;
    assert_int_equal(TEMPLATE_LANG_COUNT, 4);
    assert_string_equal(template_langs[0], "en");
    for (size_t k = 0; k < template_kind_count; k++) {
        const struct template_kind *kind = &template_kinds[k];
        for (size_t l = 0; l < TEMPLATE_LANG_COUNT; l++)
            if (!lookup(kind->id, template_langs[l]))
                fail_msg("template %s has no %s text", kind->id, template_langs[l]);
    }
    /* and nothing else: every row is of a declared kind and language */
    for (size_t i = 0; i < template_count; i++) {
        if (!kind_of(templates[i].id))
            fail_msg("template %s (%s) is not in template_kinds", templates[i].id,
                     templates[i].lang);
        if (!template_lang_known(templates[i].lang))
            fail_msg("template %s has a language %s", templates[i].id, templates[i].lang);
    }
    assert_int_equal(template_count, template_kind_count * TEMPLATE_LANG_COUNT);
}

/* The placeholders of every language are exactly the declared ones, and
 * the subject uses the same in every language (so a translation cannot
 * drop the domain from the subject, or misspell one). */
static void same_placeholders_in_every_language(void **state)
{
    (void)state;
    for (size_t k = 0; k < template_kind_count; k++) {
        const struct template_kind *kind = &template_kinds[k];
        char declared[512], en_subject[512] = "";
        sorted_words(kind->placeholders, declared, sizeof declared);
        for (size_t l = 0; l < TEMPLATE_LANG_COUNT; l++) {
            const struct template *t = lookup(kind->id, template_langs[l]);
            assert_non_null(t);
            char subject[512] = "", body[512], all[1100], both[1100];
            if (t->subject)
                placeholders_of(t, t->subject, subject, sizeof subject);
            placeholders_of(t, t->body, body, sizeof body);
            snprintf(both, sizeof both, "%s %s", subject, body);
            char uniq[1100] = "";
            for (char *w = strtok(both, " "); w; w = strtok(NULL, " ")) { /* union */
                char pad[80], padded_uniq[1104];
                snprintf(pad, sizeof pad, " %s ", w);
                snprintf(padded_uniq, sizeof padded_uniq, " %s ", uniq);
                if (!strstr(padded_uniq, pad)) {
                    if (uniq[0])
                        strcat(uniq, " ");
                    strcat(uniq, w);
                }
            }
            sorted_words(uniq, all, sizeof all);
            if (strcmp(all, declared))
                fail_msg("template %s (%s) uses {%s}, the kind declares {%s}", t->id, t->lang,
                         all, declared);
            if (l == 0)
                snprintf(en_subject, sizeof en_subject, "%s", subject);
            else if (strcmp(subject, en_subject))
                fail_msg("template %s (%s): subject uses {%s}, English {%s}", t->id, t->lang,
                         subject, en_subject);
        }
    }
}

static void shape_by_channel(void **state)
{
    (void)state;
    for (size_t i = 0; i < template_count; i++) {
        const struct template *t = &templates[i];
        const struct template_kind *kind = kind_of(t->id);
        assert_non_null(kind);
        assert_non_null(t->body);
        assert_true(t->body[0] != '\0');
        if (kind->channel != TEMPLATE_EMAIL) {
            if (t->subject)
                fail_msg("template %s (%s) is not an e-mail but has a subject", t->id, t->lang);
            if (kind->channel == TEMPLATE_SMS && strchr(t->body, '\n'))
                fail_msg("SMS template %s (%s) has a line break", t->id, t->lang);
            continue;
        }
        if (!t->subject || !t->subject[0] || strchr(t->subject, '\n'))
            fail_msg("template %s (%s): an e-mail needs a one-line subject", t->id, t->lang);
        /* mbox tools mangle a line starting with "From " */
        if (!strncmp(t->body, "From ", 5) || strstr(t->body, "\nFrom "))
            fail_msg("template %s (%s): a line starts with \"From \"", t->id, t->lang);
    }
}

/* Every placeholder a value the size the registry uses. */
static void fill_all(const char *placeholders, struct template_var *vars, size_t *n)
{
    static char names[16][40];
    char copy[256];
    snprintf(copy, sizeof copy, "%s", placeholders);
    *n = 0;
    for (char *w = strtok(copy, " "); w && *n < 16; w = strtok(NULL, " ")) {
        snprintf(names[*n], sizeof names[0], "%s", w);
        const char *v = !strcmp(w, "domain")      ? "example-domain-name.dk" /* 22 characters */
                        : !strcmp(w, "code")      ? "8F3K2-Q9WXY"
                        : !strcmp(w, "expiry")    ? "2027-01-18T10:00:00Z"
                        : !strcmp(w, "time")      ? "2027-01-01T12:00:00Z"
                        : !strcmp(w, "registrar") ? "Registrar A/S (REGA)" /* 20 */
                                                  : "VALUE";
        vars[*n] = (struct template_var){names[*n], v};
        (*n)++;
    }
}

static size_t k_otp_email(void)
{
    for (size_t k = 0; k < template_kind_count; k++)
        if (!strcmp(template_kinds[k].id, "otp.email"))
            return k;
    fail_msg("no otp.email");
    return 0;
}

/* An SMS fits one message of 160 characters with a 22-character domain
 * and a 20-character registrar (R16: the OTP should arrive whole). */
static void sms_fit_one_message(void **state)
{
    (void)state;
    for (size_t k = 0; k < template_kind_count; k++) {
        if (template_kinds[k].channel != TEMPLATE_SMS)
            continue;
        struct template_var vars[16];
        size_t n;
        fill_all(template_kinds[k].placeholders, vars, &n);
        for (size_t l = 0; l < TEMPLATE_LANG_COUNT; l++) {
            struct rendered r;
            reg_status st = {0};
            if (template_render(template_kinds[k].id, template_langs[l], vars, n, &r, &st))
                fail_msg("%s", reg_status_text(&st));
            size_t chars = 0;
            for (const unsigned char *p = (const unsigned char *)r.body; *p; p++)
                chars += (*p & 0xc0) != 0x80;
            if (chars > 160)
                fail_msg("SMS %s (%s) is %zu characters: %s", template_kinds[k].id,
                         template_langs[l], chars, r.body);
            assert_null(r.subject);
            rendered_free(&r);
        }
    }
}

static void render_fills_placeholders(void **state)
{
    (void)state;
    const struct template_var vars[] = {{"greeting", "Kære Jens Hansen"},
                                        {"registrar", "Gain (GAIN)"},
                                        {"domain", "æblegrød.dk"},
                                        {"code", "{code}"},
                                        {"expiry", "2027-01-15T00:00:00Z"}};
    struct rendered r;
    reg_status st = {0};
    assert_int_equal(template_render("otp.email", "da", vars, 5, &r, &st), REG_OK);
    assert_string_equal(r.subject, "Engangskode til at flytte domænet æblegrød.dk");
    assert_true(!strncmp(r.body, "Kære Jens Hansen\n\nRegistratoren Gain (GAIN) har bedt", 52));
    /* a value is put in as it is, never expanded again */
    assert_non_null(strstr(r.body, "\nDin engangskode:  {code}\n"));
    assert_non_null(strstr(r.body, "indtil 2027-01-15T00:00:00Z."));
    assert_null(strstr(r.body, "{domain}"));
    rendered_free(&r);
    assert_int_equal(template_render("otp.sms", "et", vars, 5, &r, &st), REG_OK);
    assert_null(r.subject);
    assert_string_equal(r.body, "Gain (GAIN) soovib domeeni æblegrød.dk üle võtta. Ühekordne "
                                "parool: {code}, kehtib kuni 2027-01-15T00:00:00Z. Andke see "
                                "ainult neile.");
    rendered_free(&r);
    /* a language without a text falls back to English (never happens: see above) */
    assert_int_equal(template_render("otp.sms", "sv", vars, 5, &r, &st), REG_OK);
    assert_true(!strncmp(r.body, "One-time password {code} to move æblegrød.dk", 46));
    rendered_free(&r);
}

/* Secret placeholders ({code}, {link}, …) stand only in the bodies of
 * e-mails and SMS, where template_render says where their values went (the
 * outbox keeps them only until delivery): in a subject or a part they
 * would travel unmarked. */
static void secrets_only_in_bodies(void **state)
{
    (void)state;
    int secret_kinds = 0;
    for (size_t i = 0; i < template_count; i++) {
        const struct template *t = &templates[i];
        const struct template_kind *kind = kind_of(t->id);
        char names[512];
        for (int part = 0; part < 2; part++) {
            const char *text = part ? t->body : t->subject;
            if (!text || (part && kind->channel != TEMPLATE_PART))
                continue;
            assert_true(template_placeholders(text, names, sizeof names));
            for (char *w = strtok(names, " "); w; w = strtok(NULL, " "))
                if (template_placeholder_secret(w, strlen(w)))
                    fail_msg("template %s (%s): the secret {%s} in its %s", t->id, t->lang, w,
                             part ? "text (a part)" : "subject");
        }
        snprintf(names, sizeof names, "%s", kind->placeholders);
        for (char *w = strtok(names, " "); w; w = strtok(NULL, " "))
            secret_kinds += !strcmp(t->lang, "en") && template_placeholder_secret(w, strlen(w));
    }
    /* the confirmation requests (link), the one-time passwords (code: asked
     * by a registrar or on the self-service site) and the self-service
     * reset (link) */
    assert_int_equal(secret_kinds, 6);
    assert_true(template_placeholder_secret("link", 4));
    assert_true(template_placeholder_secret("code}", 4));
    assert_false(template_placeholder_secret("domain", 6));
    assert_false(template_placeholder_secret("cod", 3));
}

/* The spans of the secret values in a rendered body, in bytes. */
static void render_marks_secret_values(void **state)
{
    (void)state;
    const char *link = "https://self.nic.example/confirm/abc_DEF-123";
    const struct template_var vars[] = {{"greeting", "Kære Åse"}, {"registrar", "Gain (GAIN)"},
                                        {"domain", "æblegrød.dk"}, {"code", "8F3K2-Q9WXY"},
                                        {"expiry", "2027-01-15T00:00:00Z"}, {"contact", "G:H"},
                                        {"new_registrant", "G:N"}, {"link", link},
                                        {"until", "2027-01-03T00:00:00Z"}};
    struct rendered r;
    reg_status st = {0};
    assert_int_equal(template_render("otp.email", "da", vars, 9, &r, &st), REG_OK);
    assert_int_equal(r.nsecrets, 1);
    assert_int_equal(r.secrets[0].len, strlen("8F3K2-Q9WXY"));
    assert_true(!strncmp(r.body + r.secrets[0].start, "8F3K2-Q9WXY\n", 12));
    rendered_free(&r);
    assert_int_equal(r.nsecrets, 0);
    assert_int_equal(template_render("confirm-request.registrant-change", "et", vars, 9, &r, &st),
                     REG_OK);
    assert_int_equal(r.nsecrets, 1);
    assert_int_equal(r.secrets[0].len, strlen(link));
    assert_true(!strncmp(r.body + r.secrets[0].start - 2, "  ", 2));
    assert_true(!strncmp(r.body + r.secrets[0].start, link, strlen(link)));
    rendered_free(&r);
    /* a text without secrets has no spans */
    const struct template_var t = {"time", "2027-01-01T12:00:00Z"};
    assert_int_equal(template_render("outbox-test.email", "en", &t, 1, &r, &st), REG_OK);
    assert_int_equal(r.nsecrets, 0);
    rendered_free(&r);
}

/* A value of several lines continues at its placeholder's column, counted
 * in characters. */
static void multi_line_values_are_indented(void **state)
{
    (void)state;
    const struct template_var vars[] = {
        {"greeting", "Lugupeetud Mari!"}, {"domain", "a.ee"}, {"until", "2030-01-01"},
        {"number", "7"}, {"issued", "2029-01-01"}, {"due", "2029-02-01"},
        {"billed_to", "Mari Maasikas\nTähe 1\n50103 Tartu"}, {"payer", "REGA:MARI"},
        {"years", "1 aastaks"}, {"from", "2029-01-01"}, {"amount", "12.00 EUR"},
        {"registrar", "Alpha (REGA)"}};
    struct rendered r;
    reg_status st = {0};
    assert_int_equal(template_render("registrant-renewal.invoice", "et", vars, 12, &r, &st),
                     REG_OK);
    assert_non_null(strstr(r.body, "\nMaksetähtaeg: 2029-02-01\n"
                                   "Arve saaja:   Mari Maasikas\n"
                                   "              Tähe 1\n"
                                   "              50103 Tartu\n"
                                   "Kontakt:      REGA:MARI\n"));
    rendered_free(&r);
}

static void render_refuses_a_missing_value(void **state)
{
    (void)state;
    const struct template_var vars[] = {{"domain", "a.dk"}, {"code", "123"}, {"registrar", "R"}};
    struct rendered r;
    reg_status st = {0};
    assert_int_equal(template_render("otp.sms", "nb", vars, 3, &r, &st), REG_ERR_INTERNAL);
    assert_string_equal(st.reason, "template otp.sms (nb): no value for {expiry}");
    rendered_free(&r);
    assert_int_equal(template_render("no-such-template", "en", vars, 3, &r, &st),
                     REG_ERR_INTERNAL);
    assert_string_equal(st.reason, "no template no-such-template");
    rendered_free(&r);
}

static void placeholder_syntax(void **state)
{
    (void)state;
    char out[128];
    assert_true(template_placeholders("{a} and {b_2}, {a} again", out, sizeof out));
    assert_string_equal(out, "a b_2");
    assert_true(template_placeholders("no placeholders", out, sizeof out));
    assert_string_equal(out, "");
    /* a typo'd brace is caught, not sent */
    assert_false(template_placeholders("{domain", out, sizeof out));
    assert_false(template_placeholders("domain}", out, sizeof out));
    assert_false(template_placeholders("{Domain}", out, sizeof out));
    assert_false(template_placeholders("{do main}", out, sizeof out));
    assert_false(template_placeholders("{}", out, sizeof out));
}

/* The language of a contact: the staff override, else the country of its
 * address, else [mail] language, else English. */
static void language_choice(void **state)
{
    (void)state;
    assert_string_equal(template_lang_for(NULL, "DK", "en"), "da");
    assert_string_equal(template_lang_for(NULL, "dk", "en"), "da");
    assert_string_equal(template_lang_for(NULL, "FO", "en"), "da");
    assert_string_equal(template_lang_for(NULL, "GL", "en"), "da");
    assert_string_equal(template_lang_for(NULL, "NO", "en"), "nb");
    assert_string_equal(template_lang_for(NULL, "SJ", "en"), "nb");
    assert_string_equal(template_lang_for(NULL, "EE", "en"), "et");
    /* any other country: the configured default */
    assert_string_equal(template_lang_for(NULL, "SE", "en"), "en");
    assert_string_equal(template_lang_for(NULL, "SE", "da"), "da");
    assert_string_equal(template_lang_for(NULL, "DE", "et"), "et");
    assert_string_equal(template_lang_for(NULL, NULL, "nb"), "nb");
    assert_string_equal(template_lang_for("", "", NULL), "en");
    assert_string_equal(template_lang_for(NULL, "SE", "sv"), "en"); /* not ours */
    /* the override wins over the country */
    assert_string_equal(template_lang_for("en", "DK", "da"), "en");
    assert_string_equal(template_lang_for("et", "NO", "en"), "et");
    assert_string_equal(template_lang_for("xx", "NO", "en"), "nb");
    assert_true(template_lang_known("nb"));
    assert_false(template_lang_known("no"));
    assert_false(template_lang_known(NULL));
}

/* A mail rendered with the registry's values (fill_all) into *r. */
static void render_kind(size_t k, const char *lang, struct rendered *r)
{
    struct template_var vars[16];
    size_t n;
    fill_all(template_kinds[k].placeholders, vars, &n);
    reg_status st = {0};
    if (template_render(template_kinds[k].id, lang, vars, n, r, &st))
        fail_msg("%s", reg_status_text(&st));
}

static bool ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), k = strlen(end);
    return n >= k && !strcmp(s + n - k, end);
}

/* Every e-mail ends with the signature: the registry's name in the mail's
 * language, and once configured its own name, support and terms. */
static void every_mail_ends_with_the_signature(void **state)
{
    (void)state;
    static const char *const ours[] = {"\n-- \nThe registry\n", "\n-- \nRegistreringsenheden\n",
                                       "\n-- \nRegisterenheten\n", "\n-- \nRegistripidaja\n"};
    for (size_t k = 0; k < template_kind_count; k++) {
        for (size_t l = 0; l < TEMPLATE_LANG_COUNT; l++) {
            struct rendered r;
            render_kind(k, template_langs[l], &r);
            bool mail = template_kinds[k].channel == TEMPLATE_EMAIL;
            if (mail != ends_with(r.body, ours[l]))
                fail_msg("%s (%s): %s", template_kinds[k].id, template_langs[l],
                         mail ? "no signature" : "a signature where none belongs");
            rendered_free(&r);
        }
    }
    template_branding_set("Punktum dk", "support@punktum.example", "https://punktum.example/t");
    struct rendered r;
    render_kind(0, "da", &r); /* a phrase: unsigned */
    assert_null(strstr(r.body, "Punktum"));
    rendered_free(&r);
    for (size_t k = 0; k < template_kind_count; k++)
        if (!strcmp(template_kinds[k].id, "otp.email")) {
            render_kind(k, "da", &r);
            assert_true(ends_with(r.body, "\n-- \nPunktum dk\nSupport: support@punktum.example\n"
                                          "Vilkår: https://punktum.example/t\n"));
            rendered_free(&r);
            render_kind(k, "et", &r);
            assert_true(ends_with(r.body, "\n-- \nPunktum dk\nKasutajatugi: "
                                          "support@punktum.example\nTingimused: "
                                          "https://punktum.example/t\n"));
            rendered_free(&r);
        }
    template_branding_set("Punktum dk", "", NULL); /* no support, no terms: no such lines */
    render_kind(k_otp_email(), "en", &r);
    assert_true(ends_with(r.body, "\n-- \nPunktum dk\n"));
    rendered_free(&r);
    template_branding_set("", "", "");
}

static char *write_dir(const char *name)
{
    char *dir = malloc(1024);
    snprintf(dir, 1024, "%s/templates-%s-%d", test_tmpdir(), name, (int)getpid());
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(mkdir(dir, 0755), 0);
    return dir;
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

#define OWN_OTP_DA                                                                               \
    "Subject: Din kode til {domain}\n\n{greeting}\n\nKoden fra {registrar}: {code}\n"            \
    "Gyldig til {expiry}.\n"

/* The operator's file replaces ours for its message and language only. */
static void operator_texts_replace_ours(void **state)
{
    (void)state;
    char *dir = write_dir("own");
    write_text(dir, "otp.email.da.txt", OWN_OTP_DA);
    write_text(dir, "README", "not a template: ignored");
    write_text(dir, "otp.email.da.txt~", "an editor's backup: ignored");
    size_t n = 0;
    reg_status st = {0};
    if (template_overrides_load(dir, &n, &st))
        fail_msg("%s", reg_status_text(&st));
    assert_int_equal(n, 1);
    struct rendered r;
    render_kind(k_otp_email(), "da", &r);
    assert_string_equal(r.subject, "Din kode til example-domain-name.dk");
    assert_true(!strncmp(r.body, "VALUE\n\nKoden fra Registrar A/S (REGA): 8F3K2-Q9WXY\n"
                                 "Gyldig til 2027-01-18T10:00:00Z.\n\n-- \nRegistreringsenheden\n",
                         200));
    assert_int_equal(r.nsecrets, 1); /* the code is still known as a secret */
    rendered_free(&r);
    render_kind(k_otp_email(), "nb", &r); /* other languages: ours */
    assert_string_equal(r.subject, "Engangskode for å flytte domenet example-domain-name.dk");
    rendered_free(&r);
    template_overrides_clear();
    render_kind(k_otp_email(), "da", &r);
    assert_string_equal(r.subject, "Engangskode til at flytte domænet example-domain-name.dk");
    rendered_free(&r);
    free(dir);
}

/* A file that is wrong stops the start, naming itself and the fault, and
 * then no file of that directory is used. */
static void operator_texts_are_checked(void **state)
{
    (void)state;
    static const struct {
        const char *name, *text, *says;
    } bad[] = {
        {"otp.email.da.txt", "Subject: Kode\n\n{greeting} {registrar} {code}\n",
         "uses {code greeting registrar} where otp.email needs exactly {code domain expiry "
         "greeting registrar}"},
        {"otp.email.da.txt", "Subject: {code}\n\n{greeting} {registrar} {domain} {expiry}\n",
         "{code} is secret and may stand only in the body"},
        {"otp.email.da.txt", "{greeting} {registrar} {code} {domain} {expiry}\n",
         "an e-mail starts with a line \"Subject: ...\""},
        {"otp.email.da.txt", "Subject: x\n\n{greeting} {registrar {code} {domain} {expiry}\n",
         "a brace that is not part of a {placeholder}"},
        {"otp.email.da.txt", "Subject: x\n\n\xff {greeting}\n", "not UTF-8 text"},
        {"otp.mail.da.txt", "x\n", "no message is called otp.mail"},
        {"otp.email.sv.txt", "x\n", "sv is not a language of ours"},
        {"otp.txt", "x\n", "not named ID.LANG.txt"},
        {"da.txt", "x\n", "not named ID.LANG.txt"},
        {"otp.sms.en.txt", "Code {code} for {domain}\n", "where otp.sms needs exactly"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *dir = write_dir("bad");
        write_text(dir, "greeting.en.txt", "Hi {name},\n"); /* a good one beside it */
        write_text(dir, bad[i].name, bad[i].text);
        size_t n = 99;
        reg_status st = {0};
        assert_int_equal(template_overrides_load(dir, &n, &st), REG_ERR_INVALID);
        if (!strstr(reg_status_text(&st), bad[i].name) || !strstr(reg_status_text(&st), bad[i].says))
            fail_msg("case %zu: %s", i, reg_status_text(&st));
        assert_int_equal(n, 0);
        struct template_var v = {"name", "Ann"};
        struct rendered r;
        assert_int_equal(template_render("greeting", "en", &v, 1, &r, &st), REG_OK);
        assert_string_equal(r.body, "Hello Ann,"); /* not "Hi Ann," */
        rendered_free(&r);
        free(dir);
    }
    size_t n;
    reg_status st = {0};
    assert_int_equal(template_overrides_load("/nonexistent/templates", &n, &st), REG_ERR_INVALID);
    assert_non_null(strstr(reg_status_text(&st), "/nonexistent/templates"));
}

/* Ours written out and read back as the operator's render the same. */
static void exported_texts_read_back_the_same(void **state)
{
    (void)state;
    char *dir = write_dir("export");
    size_t n = 0;
    reg_status st = {0};
    assert_int_equal(template_export(dir, &n, &st), REG_OK);
    assert_int_equal(n, template_count);
    assert_int_equal(template_export(dir, &n, &st), REG_ERR_INVALID); /* nothing overwritten */
    assert_non_null(strstr(reg_status_text(&st), "exists already"));
    struct rendered before[TEMPLATE_LANG_COUNT];
    for (size_t k = 0; k < template_kind_count; k++) {
        for (size_t l = 0; l < TEMPLATE_LANG_COUNT; l++)
            render_kind(k, template_langs[l], &before[l]);
        assert_int_equal(template_overrides_load(dir, &n, &st), REG_OK);
        assert_int_equal(n, template_count);
        for (size_t l = 0; l < TEMPLATE_LANG_COUNT; l++) {
            struct rendered after;
            render_kind(k, template_langs[l], &after);
            assert_string_equal(after.body, before[l].body);
            if (before[l].subject)
                assert_string_equal(after.subject, before[l].subject);
            else
                assert_null(after.subject);
            rendered_free(&after);
            rendered_free(&before[l]);
        }
        template_overrides_clear();
    }
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_in_every_language),
        cmocka_unit_test(same_placeholders_in_every_language),
        cmocka_unit_test(shape_by_channel),
        cmocka_unit_test(sms_fit_one_message),
        cmocka_unit_test(render_fills_placeholders),
        cmocka_unit_test(secrets_only_in_bodies),
        cmocka_unit_test(render_marks_secret_values),
        cmocka_unit_test(multi_line_values_are_indented),
        cmocka_unit_test(render_refuses_a_missing_value),
        cmocka_unit_test(placeholder_syntax),
        cmocka_unit_test(language_choice),
        cmocka_unit_test(every_mail_ends_with_the_signature),
        cmocka_unit_test(operator_texts_replace_ours),
        cmocka_unit_test(operator_texts_are_checked),
        cmocka_unit_test(exported_texts_read_back_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
