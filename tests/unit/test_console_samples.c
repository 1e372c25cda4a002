/* The portal XML console's samples (web/console_samples.h, R12): each is
 * a whole document that the EPP decoder takes (the hardened read, the
 * schema check, the typed decoding) as the command its id names, and the
 * set covers what a registrar starts from. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epptest.h"
#include "web/console_samples.h"

/* The sample with "@TLD@" as the default TLD. */
static char *with_tld(const char *xml)
{
    char *out = malloc(strlen(xml) * 2 + 1);
    assert_non_null(out);
    size_t n = 0;
    for (const char *p = xml; *p;) {
        if (!strncmp(p, "@TLD@", 5)) {
            memcpy(out + n, "dk", 2);
            n += 2;
            p += 5;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    return out;
}

static void every_sample_is_valid_as_its_command(void **state)
{
    (void)state;
    epp_decode_long_ids(true); /* as [contact] id_prefix = registrar, the default */
    for (size_t i = 0; i < console_samples_n; i++) {
        const struct console_sample *s = &console_samples[i];
        char *xml = with_tld(s->xml);
        struct decoded d;
        if (decode_str(&d, xml) != REG_OK)
            fail_msg("sample %s: %s: %s", s->id, reg_errname(d.e), d.st.reason);
        /* "domain-transfer-request" names domain:transfer, "poll-req" poll */
        char name[48], want[48];
        epp_request_name(&d.r, name, sizeof name);
        snprintf(want, sizeof want, "%s", s->id);
        char *dash = strchr(want, '-');
        if (dash && strncmp(want, "poll", 4)) {
            *dash = ':';
            char *rest = strchr(dash, '-');
            if (rest)
                *rest = '\0';
        } else if (dash) {
            *dash = '\0';
        }
        if (strcmp(name, want))
            fail_msg("sample %s decodes as %s", s->id, name);
        /* the clTRID is the console's to fill in */
        assert_string_equal(d.r.cltrid, "");
        if (!strcmp(s->id, "domain-update-verified"))
            assert_true(d.r.u.domain_update.verified);
        if (!strcmp(s->id, "domain-delete-verified"))
            assert_true(d.r.u.domain_delete.verified);
        decoded_free(&d);
        free(xml);
    }
}

static void the_samples_cover_every_command(void **state)
{
    (void)state;
    static const char *const wanted[] = {
        "domain-check", "domain-info", "domain-create", "domain-update", "domain-delete",
        "domain-renew", "domain-transfer-request", "domain-update-verified",
        "domain-delete-verified", "contact-check", "contact-info", "contact-create",
        "contact-update", "contact-delete", "contact-transfer-request", "host-check",
        "host-info", "host-create", "host-update", "host-delete", "poll-req", "poll-ack",
    };
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
        if (!console_sample_find(wanted[i]))
            fail_msg("no sample %s", wanted[i]);
    assert_null(console_sample_find("login"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_sample_is_valid_as_its_command),
        cmocka_unit_test(the_samples_cover_every_command),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
