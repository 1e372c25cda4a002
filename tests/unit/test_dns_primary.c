/* DNS UPDATE, SOA query and AXFR with TSIG against a real primary
 * (src/zone/dns_primary.c; Knot DNS started by tests/unit/knotd.c): the
 * records an UPDATE adds, replaces and deletes are what a transfer then
 * shows, a change that changes nothing leaves the serial alone, every
 * TSIG algorithm offered works, and a wrong key, a refused change and a
 * primary that is not there are told apart. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knotd.h"
#include "zone/dns_primary.h"

struct fx {
    struct knotd k;
    struct dns_primary *p;
};

static void open_fx(struct fx *f, const char *algorithm, const char *secret, const char *key)
{
    knotd_start(&f->k, "dk", algorithm, secret);
    struct dns_key dk = {.name = KNOTD_KEY_NAME, .algorithm = f->k.algorithm,
                         .secret = key ? key : f->k.secret};
    reg_status st;
    if (dns_primary_new(f->k.address, "dk", &dk, 5000, &f->p, &st))
        fail_msg("dns_primary_new: %s", st.reason);
}

static void close_fx(struct fx *f)
{
    dns_primary_free(f->p);
    knotd_cleanup(&f->k);
}

static ldns_rr *rr(const char *text)
{
    ldns_rr *r = NULL;
    assert_int_equal(ldns_rr_new_frm_str(&r, text, 3600, NULL, NULL), LDNS_STATUS_OK);
    return r;
}

static ldns_rdf *dname(const char *text)
{
    ldns_rdf *d = ldns_dname_new_frm_str(text);
    assert_non_null(d);
    return d;
}

/* The update section "replace the TYPE set of owner by records". */
static void replace(struct dns_update *u, const char *owner, ldns_rr_type type,
                    const char *const *records)
{
    ldns_rdf *o = dname(owner);
    assert_int_equal(dns_update_delete(u, o, type), REG_OK);
    ldns_rdf_deep_free(o);
    for (; records && *records; records++)
        assert_int_equal(dns_update_add(u, rr(*records)), REG_OK);
}

static reg_err send_update(struct fx *f, struct dns_update *u, reg_status *st)
{
    reg_err e = dns_primary_update(f->p, u, st);
    dns_update_free(u);
    return e;
}

struct listing {
    char text[65536];
    int records;
};

static int list_rr(const ldns_rr *r, void *ctx)
{
    struct listing *l = ctx;
    l->records++;
    if (ldns_rr_get_type(r) == LDNS_RR_TYPE_SOA)
        return 0;
    char *s = ldns_rr2str(r);
    size_t used = strlen(l->text);
    snprintf(l->text + used, sizeof l->text - used, "%s", s);
    free(s);
    return 0;
}

/* The zone by AXFR, without SOA records, as text; *serial its serial. */
static struct listing *axfr(struct fx *f, uint32_t *serial)
{
    static struct listing l;
    memset(&l, 0, sizeof l);
    reg_status st;
    uint32_t s;
    if (dns_primary_axfr(f->p, list_rr, &l, serial ? serial : &s, &st))
        fail_msg("axfr: %s", st.reason);
    return &l;
}

static void update_adds_replaces_and_deletes(void **state)
{
    (void)state;
    struct fx f;
    open_fx(&f, NULL, NULL, NULL);
    reg_status st;
    uint32_t s0, s1, s2;
    assert_int_equal(dns_primary_serial(f.p, &s0, &st), REG_OK);
    assert_int_equal(s0, 1);

    struct dns_update *u = dns_update_new();
    replace(u, "a.dk.", LDNS_RR_TYPE_NS,
            (const char *[]){"a.dk. 3600 IN NS ns1.a.dk.", "a.dk. 3600 IN NS ns.example.net.",
                             NULL});
    replace(u, "a.dk.", LDNS_RR_TYPE_DS,
            (const char *[]){"a.dk. 3600 IN DS 12345 13 2 "
                             "2BB183AF5F22588179A53B0A98631FAD1A292118A8B2F7A8D4F6AE5A2A7C1E1F",
                             NULL});
    replace(u, "ns1.a.dk.", LDNS_RR_TYPE_A, (const char *[]){"ns1.a.dk. 3600 IN A 192.0.2.1", NULL});
    assert_int_equal(dns_update_count(u), 7); /* 3 deletes, 4 records */
    assert_true(dns_update_bytes(u) > 0);
    assert_int_equal(send_update(&f, u, &st), REG_OK);
    struct listing *l = axfr(&f, &s1);
    assert_true(s1 > s0);
    assert_non_null(strstr(l->text, "a.dk.\t3600\tIN\tNS\tns1.a.dk."));
    assert_non_null(strstr(l->text, "a.dk.\t3600\tIN\tNS\tns.example.net."));
    assert_non_null(strstr(l->text, "a.dk.\t3600\tIN\tDS\t12345 13 2 2bb183af"));
    assert_non_null(strstr(l->text, "ns1.a.dk.\t3600\tIN\tA\t192.0.2.1"));

    /* the same state again: nothing changes, not even the serial */
    u = dns_update_new();
    replace(u, "a.dk.", LDNS_RR_TYPE_NS,
            (const char *[]){"a.dk. 3600 IN NS ns.example.net.", "a.dk. 3600 IN NS ns1.a.dk.",
                             NULL});
    assert_int_equal(send_update(&f, u, &st), REG_OK);
    assert_int_equal(dns_primary_serial(f.p, &s2, &st), REG_OK);
    assert_int_equal(s2, s1);

    /* replaced by one name server; DS and glue deleted */
    u = dns_update_new();
    replace(u, "a.dk.", LDNS_RR_TYPE_NS, (const char *[]){"a.dk. 3600 IN NS ns.example.net.", NULL});
    replace(u, "a.dk.", LDNS_RR_TYPE_DS, NULL);
    replace(u, "ns1.a.dk.", LDNS_RR_TYPE_A, NULL);
    assert_int_equal(send_update(&f, u, &st), REG_OK);
    l = axfr(&f, NULL);
    assert_null(strstr(l->text, "ns1.a.dk."));
    assert_null(strstr(l->text, "DS"));
    assert_non_null(strstr(l->text, "a.dk.\t3600\tIN\tNS\tns.example.net."));
    /* the apex is the primary's own */
    assert_non_null(strstr(l->text, "dk.\t3600\tIN\tNS\tns1.nic.dk."));
    close_fx(&f);
}

/* A transfer of many messages: each one's signature is verified in turn. */
static void axfr_verifies_every_message(void **state)
{
    (void)state;
    struct fx f;
    open_fx(&f, NULL, NULL, NULL);
    reg_status st;
    for (int batch = 0; batch < 4; batch++) {
        struct dns_update *u = dns_update_new();
        for (int i = 0; i < 500; i++) {
            char text[200];
            snprintf(text, sizeof text,
                     "name-%d-%d-with-a-long-label-to-fill-messages.dk. 3600 IN NS "
                     "ns1.some-long-name-server-name.example.net.",
                     batch, i);
            assert_int_equal(dns_update_add(u, rr(text)), REG_OK);
        }
        assert_true(dns_update_bytes(u) < 65000);
        assert_int_equal(send_update(&f, u, &st), REG_OK);
    }
    struct listing *l = axfr(&f, NULL);
    assert_int_equal(l->records, 2000 + 2); /* and the SOA, the apex NS */
    close_fx(&f);
}

/* Every algorithm registryd offers ([zone] tsig_algorithm) signs and
 * verifies with Knot (ldns 1.8 signs with none of hmac-sha224 and
 * hmac-sha384, so they are not offered). */
static void every_algorithm_works(void **state)
{
    (void)state;
    const char *algs[] = {"hmac-sha1", "hmac-sha256", "hmac-sha512"};
    for (size_t i = 0; i < sizeof algs / sizeof *algs; i++) {
        struct fx f;
        open_fx(&f, algs[i], NULL, NULL);
        struct dns_update *u = dns_update_new();
        replace(u, "b.dk.", LDNS_RR_TYPE_NS, (const char *[]){"b.dk. 60 IN NS ns.example.net.", NULL});
        reg_status st;
        reg_err e = send_update(&f, u, &st);
        if (e)
            fail_msg("%s: %s", algs[i], st.reason);
        assert_non_null(strstr(axfr(&f, NULL)->text, "b.dk.\t60\tIN\tNS\tns.example.net."));
        close_fx(&f);
    }
}

/* The primary does not know our key: nothing applied, the error says so. */
static void wrong_key_is_refused(void **state)
{
    (void)state;
    struct fx f;
    open_fx(&f, NULL, NULL, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    struct dns_update *u = dns_update_new();
    replace(u, "c.dk.", LDNS_RR_TYPE_NS, (const char *[]){"c.dk. 60 IN NS ns.example.net.", NULL});
    reg_status st;
    assert_int_equal(send_update(&f, u, &st), REG_ERR_AUTH);
    assert_non_null(strstr(st.reason, KNOTD_KEY_NAME));
    uint32_t serial;
    assert_int_equal(dns_primary_serial(f.p, &serial, &st), REG_ERR_AUTH);
    close_fx(&f);
}

/* A name outside the zone is refused by the primary (NOTZONE); the
 * error names the RCODE. */
static void refused_change_names_the_rcode(void **state)
{
    (void)state;
    struct fx f;
    open_fx(&f, NULL, NULL, NULL);
    struct dns_update *u = dns_update_new();
    replace(u, "d.example.", LDNS_RR_TYPE_NS,
            (const char *[]){"d.example. 60 IN NS ns.example.net.", NULL});
    reg_status st;
    assert_int_equal(send_update(&f, u, &st), REG_ERR_POLICY);
    assert_non_null(strstr(st.reason, "NOTZONE"));
    close_fx(&f);
}

/* No primary listening: an outage (REG_ERR_IO), then it is back. */
static void unreachable_primary_is_an_outage(void **state)
{
    (void)state;
    struct fx f;
    open_fx(&f, NULL, NULL, NULL);
    knotd_stop(&f.k, true);
    reg_status st;
    uint32_t serial;
    assert_int_equal(dns_primary_serial(f.p, &serial, &st), REG_ERR_IO);
    struct dns_update *u = dns_update_new();
    replace(u, "e.dk.", LDNS_RR_TYPE_NS, (const char *[]){"e.dk. 60 IN NS ns.example.net.", NULL});
    assert_int_equal(dns_primary_update(f.p, u, &st), REG_ERR_IO);
    assert_non_null(strstr(st.reason, "cannot connect"));
    knotd_restart(&f.k);
    assert_int_equal(send_update(&f, u, &st), REG_OK);
    assert_non_null(strstr(axfr(&f, NULL)->text, "e.dk."));
    close_fx(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(update_adds_replaces_and_deletes),
        cmocka_unit_test(axfr_verifies_every_message),
        cmocka_unit_test(every_algorithm_works),
        cmocka_unit_test(wrong_key_is_refused),
        cmocka_unit_test(refused_change_names_the_rcode),
        cmocka_unit_test(unreachable_primary_is_an_outage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
