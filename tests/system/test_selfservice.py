#!/usr/bin/env python3
"""The registrant self-service site over real HTTP (issue 17; R7, R21, R39):
the set-up link printed by `regctl account credentials` -> a password ->
login by contact handle and by e-mail; a used link and an expired one
(issued by regctl with its clock moved back) answer 410 with a page that
says which; five wrong passwords lock the login, "forgot your password"
mails a reset link through the outbox to a real SMTP listener
(tests/system/smtpsink.py) and the new password ends the lock; login with
the `test` eID provider; my domains with a filter and a domain's page; a
change of registrant asked for over EPP confirmed from the domain page
(history channel self-service, the registrar's poll message); the
registry's invoices to the registrant of a registrant-managed domain (R19)
listed, shown and downloaded, another's not found, the renewal row; the
terms accepted per domain and the current terms (R20); Danish,
Norwegian and Estonian pages by Accept-Language and by the switch, which a
cookie remembers. Runs on SQLite and PostgreSQL."""
import html
import itertools
import os
import re
import sys
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import (TERMS_ACCEPTED, TERMS_VERSION, EPPClient, regd_create,  # noqa: E402
                       with_terms, xml_escape)
from harness import sql  # noqa: E402
from smtpsink import SMTPSink  # noqa: E402
from test_epp_domain import CONTACT_NS, DOMAIN_NS, EXT_URIS, create_xml, update_xml  # noqa: E402
from test_portal import Browser  # noqa: E402

# password checks one address may make at once in this class's daemon
GATE_BURST = 40

P = "/self-service"
PW = "a-long-password-1"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
REGC_NS = "https://registryd.org/epp/contact-ext-1.0"
REG = "SSREG"
_tags = itertools.count(1)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def flash(body):
    m = re.search(r'<div class="alert alert-(success|danger)" role="alert" id="flash">([^<]*)</div>',
                  body)
    return (m.group(1), html.unescape(m.group(2))) if m else None


class SelfService:
    backend = None
    extra_settings = {}  # a subclass's additions to the daemon's settings

    @classmethod
    def setUpClass(cls):
        cls.sink = SMTPSink().start()
        cls.addClassCleanup(cls.sink.close)
        cls.d = Daemon(backend=cls.backend, name="selfsvc", only="epp,http",
                       settings={"mail.from": "registry@nic.example", "mail.smtp": cls.sink.url,
                                 "idcheck.provider": "test",
                                 # the class logs in often from 127.0.0.1 (then
                                 # one a minute); the gate's own test uses
                                 # another address
                                 "http.password_burst": str(GATE_BURST),
                                 "http.password_rate": "1", **cls.extra_settings})
        cls.addClassCleanup(cls.d.cleanup)
        cls.d.add_registrar(REG, "ss-pass-12", name="Self Registrar & Co")
        cls.d.start()
        cls.c = EPPClient(cls.d.host, cls.d.port)
        cls.addClassCleanup(cls.c.close)
        r = cls.c.login(REG, "ss-pass-12", ext_uris=EXT_URIS)
        assert r.code == 1000, r.raw

    @classmethod
    def tearDownClass(cls):
        rc = cls.d.stop()
        if rc != 0:
            raise AssertionError("registryd exited with %s:\n%s" % (rc, cls.d.stderr()[-3000:]))

    # --- the registry's side (EPP, regctl) -----------------------------------

    def setUp(self):
        self.tag = "t%d" % next(_tags)

    def email(self, who):
        return "%s-%s@example.test" % (who, self.tag)

    def contact(self, who, name="Jens Hansen", ident="0102031234"):
        cid = "%s-%s" % (who, self.tag)
        ext = ('<regc:create xmlns:regc="%s"><regc:type>person</regc:type>'
               '<regc:ident type="priv" cc="DK">%s</regc:ident></regc:create>'
               % (REGC_NS, ident)) if ident else ""
        r = self.c.command(
            '<create><contact:create xmlns:contact="%s"><contact:id>%s</contact:id>'
            '<contact:postalInfo type="loc"><contact:name>%s</contact:name><contact:addr>'
            '<contact:city>London</contact:city><contact:cc>GB</contact:cc></contact:addr>'
            '</contact:postalInfo><contact:email>%s</contact:email><contact:authInfo>'
            '<contact:pw>Cpw-12345</contact:pw></contact:authInfo></contact:create></create>'
            % (CONTACT_NS, cid, xml_escape(name), self.email(who)), extension=ext)
        self.assertEqual(r.code, 1000, r.raw)
        return "%s:%s" % (REG, cid.upper())

    def domain(self, name, registrant):
        r = self.c.command(create_xml(name, registrant, pw="Dpw-12345"), extension=with_terms())
        self.assertEqual(r.code, 1000, r.raw)

    def holder(self, *domains, ident="0102031234"):
        """A registrant holding domains (its account, a1 = itself, made by
        the first create: R37)."""
        h = self.contact("holder", "\u00c6r\u00f8 & S\u00f8n", ident=ident)
        for name in domains:
            self.domain(name, h)
        return h

    def setup_link(self, account, *now):
        args = (["--now", now[0]] if now else []) + ["account", "credentials", account, "--slot",
                                                     "a1"] + (["--ttl", "1h"] if now else [])
        out = self.d.regctl(*args).stdout
        m = re.search(r"^setup link  http://127\.0\.0\.1:8080(/self-service/setup/"
                      r"[A-Za-z0-9_-]{43})$", out, re.M)
        self.assertIsNotNone(m, out)
        return m.group(1)

    def deliver(self):
        out = self.d.regctl("jobs", "run", "--force", "outbox-deliver").stdout
        self.assertNotRegex(out, r"(?m)^\S+\s+failed\b")

    # --- the browser's side --------------------------------------------------

    def assertPage(self, resp, status=200):
        code, headers, body = resp
        self.assertEqual(code, status, body)
        self.assertEqual(headers.get("Content-Security-Policy"), CSP)
        self.assertEqual(headers.get("Content-Type"), "text/html; charset=utf-8")
        self.assertEqual(headers.get("Cache-Control"), "no-store")
        self.assertNotIn("<script", body)
        self.assertNotIn("style=", body)
        self.assertIn('<link rel="stylesheet" href="/self-service/static/bootstrap.min.css">',
                      body)
        return body

    def assertRedirect(self, resp, location):
        status, headers, body = resp
        self.assertEqual(status, 303, body)
        self.assertEqual(headers.get("Location"), location)

    def choose_password(self, b, link, pw=PW, pw2=None):
        body = self.assertPage(b.get(link))
        return b.post(link, {"csrf": b.csrf(body), "password": pw,
                             "password2": pw if pw2 is None else pw2})

    def login(self, b, login, pw=PW):
        body = self.assertPage(b.get(P + "/login"))
        return b.post(P + "/login", {"csrf": b.csrf(body), "login": login, "password": pw})

    def logged_in(self, account, pw=PW):
        """A browser logged in as the a1 contact of account."""
        b = Browser(self.d)
        self.assertRedirect(self.choose_password(b, self.setup_link(account), pw), P + "/login")
        self.assertRedirect(self.login(b, account, pw), P + "/")
        return b

    # === R39: the set-up link ==================================================

    def test_R39_setup_link_password_then_login_by_handle_or_email(self):
        h = self.holder("ss-setup-%s.dk" % self.tag)
        link = self.setup_link(h)
        b = Browser(self.d)
        body = self.assertPage(b.get(link))
        self.assertIn('id="setup-contact">%s<' % h, body)
        self.assertIn('<form method="post" class="col-md-8 col-lg-5" id="setup-form"', body)
        # no CSRF token: refused, nothing done
        self.assertEqual(b.post(link, {"password": PW, "password2": PW})[0], 403)
        # the two differ; too short: the page again with the reason
        self.assertRedirect(self.choose_password(b, link, PW, PW + "x"), link)
        self.assertEqual(flash(self.assertPage(b.get(link))), ("danger",
                                                                "The two passwords differ."))
        self.assertRedirect(self.choose_password(b, link, "short"), link)
        self.assertIn("10 to 128", flash(self.assertPage(b.get(link)))[1])
        self.assertRedirect(self.choose_password(b, link), P + "/login")
        self.assertEqual(flash(self.assertPage(b.get(P + "/login"))),
                         ("success", "Your password is saved. Log in with it now."))
        # single use: 410 with a page that says so
        body = self.assertPage(b.get(link), 410)
        self.assertIn("This link has been used", body)
        self.assertEqual(b.post(link, {"csrf": "x", "password": PW, "password2": PW})[0], 403)
        # an unknown link: 404
        self.assertIn("Link not valid", self.assertPage(b.get(P + "/setup/" + "A" * 43), 404))
        self.assertEqual(b.get(P + "/setup/short")[0], 404)
        # the password is argon2id; the used link's hash stays, marked
        rows = sql(self.d, "SELECT k.password_hash, k.setup_used_at FROM contact_credential k "
                           "JOIN contact c ON c.id = k.contact_id WHERE c.handle = '%s'" % h)
        self.assertTrue(rows[0][0].startswith("$argon2id$"))
        self.assertIsNotNone(rows[0][1])
        # login by handle (any case): the session cookie's flags
        self.assertRedirect(self.login(b, h.lower()), P + "/")
        cookie = [c for c in b.set_cookies if c.startswith("ss_session=")][-1]
        self.assertEqual(cookie, "ss_session=%s; Path=/self-service; HttpOnly; SameSite=Strict"
                         % b.cookies["ss_session"])  # no Secure: base_url is http://
        body = self.assertPage(b.get(P + "/"))
        self.assertIn("Logged in as \u00c6r\u00f8 &amp; S\u00f8n", body)
        self.assertIn('id="nothing-waiting"', body)
        # logout needs the form's token, then the session is gone
        self.assertEqual(b.post(P + "/logout", {"csrf": "nope"})[0], 403)
        self.assertRedirect(b.post(P + "/logout", {"csrf": b.csrf(body)}), P + "/login")
        self.assertRedirect(b.get(P + "/"), P + "/login")
        # login by e-mail address (any case)
        b2 = Browser(self.d)
        self.assertRedirect(self.login(b2, self.email("holder").upper()), P + "/")
        # a wrong password: the reason, no session
        b3 = Browser(self.d)
        self.assertRedirect(self.login(b3, h, "wrong-password-1"), P + "/login")
        self.assertEqual(flash(self.assertPage(b3.get(P + "/login"))),
                         ("danger", "wrong contact handle, e-mail address or password"))
        self.assertRedirect(b3.get(P + "/domains"), P + "/login")
        rows = sql(self.d, "SELECT channel, actor FROM history WHERE object_key = '%s' AND "
                           "action = 'credentials-set'" % h)
        self.assertEqual(rows, [("self-service", h)])

    def test_R39_expired_link_is_410(self):
        h = self.holder("ss-late-%s.dk" % self.tag)
        # issued two hours ago (regctl's clock moved), valid for one
        link = self.setup_link(h, iso(datetime.now(timezone.utc) - timedelta(hours=2)))
        b = Browser(self.d)
        body = self.assertPage(b.get(link), 410)
        self.assertIn("This link has expired", body)
        self.assertNotIn('id="setup-form"', body)
        # a newer link works; the older one is then unknown
        fresh = self.setup_link(h)
        self.assertRedirect(self.choose_password(b, fresh), P + "/login")
        self.assertEqual(b.get(link)[0], 404)

    def test_billing_or_unknown_logins_are_refused_alike(self):
        b = Browser(self.d)
        self.assertRedirect(self.login(b, "NOBODY:HERE"), P + "/login")
        self.assertEqual(flash(self.assertPage(b.get(P + "/login")))[1],
                         "wrong contact handle, e-mail address or password")
        # a contact in no admin slot cannot log in even with a password
        other = self.contact("plain")
        self.assertRedirect(self.login(b, other), P + "/login")

    # === lockout and reset =====================================================

    def test_R31_linked_handle_is_refused_naming_its_registrar(self):
        h = self.holder("ss-linked-%s.dk" % self.tag)
        b = self.logged_in(h)  # may log in while not linked
        self.d.regctl("contact", "link", h, "--registrar", REG)
        b = Browser(self.d)
        self.assertRedirect(self.login(b, h), P + "/login")
        self.assertEqual(flash(self.assertPage(b.get(P + "/login"))),
                         ("danger", f"handle {h} is managed by its registrar Self Registrar & Co "
                                    f"({REG}) in the registrar portal, not here; ask them about "
                                    "its domains and name servers"))
        self.assertNotIn("ss_session", b.cookies)
        self.assertRegex(self.d.stderr(), rf"event=selfservice-linked-refused contact={h} ")
        # unlinked, it is the registrant's door again
        self.d.regctl("contact", "unlink", h)
        self.assertRedirect(self.login(b, h), P + "/")

    def test_password_checks_and_reset_mails_per_address(self):
        """Logins and reset requests from one address pass the listener's
        gate ([http] password_burst): past it, 429 with Retry-After and
        nothing checked or sent."""
        b = Browser(self.d, source="127.0.0.11")

        def post(path, login):
            token = b.csrf(self.assertPage(b.get(P + path)))
            return b.post(P + path, {"csrf": token, "login": login, "password": "wrong"})
        for i in range(GATE_BURST):
            self.assertRedirect(post("/login" if i % 2 else "/reset", f"NOBODY:{i}"),
                                P + "/login")
        for path in ("/login", "/reset"):
            status, headers, body = post(path, "NOBODY:X")
            self.assertEqual(status, 429, body)
            self.assertGreaterEqual(int(headers["Retry-After"]), 1)
            self.assertIn("too many attempts from your address", body)
        self.assertRegex(self.d.stderr(), r"sub=self-service .*event=login-rate "
                                          r"peer=127\.0\.0\.11")

    def test_lockout_after_five_failures_and_the_reset_mail(self):
        h = self.holder("ss-lock-%s.dk" % self.tag)
        self.logged_in(h)
        b = Browser(self.d)
        for _ in range(4):
            self.assertRedirect(self.login(b, h, "wrong-password-1"), P + "/login")
            self.assertIn("wrong", flash(self.assertPage(b.get(P + "/login")))[1])
        self.assertRedirect(self.login(b, h, "wrong-password-1"), P + "/login")
        msg = flash(self.assertPage(b.get(P + "/login")))[1]
        self.assertRegex(msg, r"^too many failed attempts: this login is locked until "
                              r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
        until = datetime.strptime(re.search(r"until (\S+ \S+) UTC", msg).group(1),
                                  "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)
        self.assertAlmostEqual((until - datetime.now(timezone.utc)).total_seconds(), 86400,
                               delta=120)  # [selfservice] lockout: 24 h
        # the right password does not help now
        self.assertRedirect(self.login(b, h), P + "/login")
        self.assertIn("locked until", flash(self.assertPage(b.get(P + "/login")))[1])
        # "forgot your password?" answers alike for anyone, and mails the holder
        for who in ("NOBODY:HERE", self.email("holder")):
            body = self.assertPage(b.get(P + "/reset"))
            self.assertIn('id="reset-form"', body)
            self.assertRedirect(b.post(P + "/reset", {"csrf": b.csrf(body), "login": who}),
                                P + "/login")
            self.assertEqual(flash(self.assertPage(b.get(P + "/login"))),
                             ("success", "If the login may be used here, a link is on its way "
                                         "to its e-mail address."))
        self.deliver()
        mails = [m for m in self.sink.messages if m.rcpt_to == [self.email("holder")]]
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails[0].message["Subject"],
                         "Choose a new password for the registry's self-service")
        text = mails[0].message.get_content()
        self.assertIn("Hello \u00c6r\u00f8 & S\u00f8n,", text)
        link = re.search(r"http://127\.0\.0\.1:8080(/self-service/setup/[A-Za-z0-9_-]{43})",
                         text).group(1)
        # delivered: the outbox keeps the text, not the link
        kept = sql(self.d, "SELECT body FROM outbox WHERE recipient = '%s'"
                   % self.email("holder"))[0][0]
        self.assertNotIn(link, kept)
        self.assertRedirect(self.choose_password(b, link, "a-new-password-2"), P + "/login")
        self.assertRedirect(self.login(b, h, "a-new-password-2"), P + "/")
        self.assertEqual(b.get(link)[0], 410)

    # === R21: eID ==============================================================

    def test_R21_login_with_the_test_eid_provider(self):
        h = self.holder("ss-eid-%s.dk" % self.tag)  # no password: the eID suffices
        b = Browser(self.d)
        body = self.assertPage(b.get(P + "/login"))
        self.assertIn('id="eid-link"', body)
        body = self.assertPage(b.get(P + "/login/eid"))
        self.assertIn('id="eid-form"', body)
        # evidence the provider cannot read: nothing counted
        self.assertRedirect(b.post(P + "/login/eid", {"csrf": b.csrf(body), "login": h,
                                                      "evidence": "0102031234"}),
                            P + "/login/eid")
        body = self.assertPage(b.get(P + "/login/eid"))
        self.assertIn("the test provider takes evidence CC:IDENT", flash(body)[1])
        # someone else's identity: refused and counted
        self.assertRedirect(b.post(P + "/login/eid", {"csrf": b.csrf(body), "login": h,
                                                      "evidence": "DK:0909091111"}),
                            P + "/login/eid")
        body = self.assertPage(b.get(P + "/login/eid"))
        self.assertEqual(flash(body)[1], "the identity of the eID login is not this contact's")
        self.assertEqual(sql(self.d, "SELECT k.failures FROM contact_credential k JOIN contact "
                                     "c ON c.id = k.contact_id WHERE c.handle = '%s'" % h),
                         [("1",)])
        self.assertRedirect(b.post(P + "/login/eid", {"csrf": b.csrf(body), "login": h,
                                                      "evidence": "DK:0102031234"}), P + "/")
        self.assertIn("Logged in as", self.assertPage(b.get(P + "/")))
        self.assertEqual(sql(self.d, "SELECT s.method FROM selfservice_session s JOIN contact "
                                     "c ON c.id = s.contact_id WHERE c.handle = '%s'" % h),
                         [("eid",)])

    # === my domains ============================================================

    def test_my_domains_filter_and_a_domain_page(self):
        one, two = "ss-one-%s.dk" % self.tag, "ss-two-%s.dk" % self.tag
        h = self.holder(one, two)
        stranger = self.contact("stranger", ident=None)
        self.domain("ss-theirs-%s.dk" % self.tag, stranger)
        b = self.logged_in(h)
        body = self.assertPage(b.get(P + "/domains"))
        names = re.findall(r'<a href="/self-service/domains/([^"]+)">', body)
        self.assertEqual(names, [one, two])
        self.assertIn('id="filter-form"', body)
        body = self.assertPage(b.get(P + "/domains?q=TWO"))
        self.assertEqual(re.findall(r'<a href="/self-service/domains/([^"]+)">', body), [two])
        body = self.assertPage(b.get(P + "/domains?q=nothing-like-it"))
        self.assertIn('id="no-domains"', body)
        body = self.assertPage(b.get(P + "/domains/" + one))
        self.assertIn("<h1 class=\"h3 mb-4\">%s</h1>" % one, body)
        self.assertRegex(body, r'id="domain-status"><li data-status="inactive">no name servers: '
                               r'not in the DNS</li>')
        self.assertIn("Self Registrar &amp; Co (%s)" % REG, body)
        self.assertIn("your registrar: it sends you notices and invoices", body)
        self.assertIn("not signed", body)
        self.assertIn("Registrant: \u00c6r\u00f8 &amp; S\u00f8n (%s)" % h, body)
        self.assertRegex(body, r'id="domain-expires"><time datetime="\d{4}-')
        # someone else's domain is not there for this registrant
        self.assertIn("You hold no domain of that name.",
                      self.assertPage(b.get(P + "/domains/ss-theirs-%s.dk" % self.tag), 404))

    # === R7 from the domain page ================================================

    def test_R7_confirm_a_change_of_registrant_on_the_domain_page(self):
        name = "ss-change-%s.dk" % self.tag
        h = self.holder(name)
        buyer = self.contact("buyer", "New <Holder>", ident=None)
        r = self.c.command(update_xml(name, registrant=buyer), cltrid="SS-CHG")
        self.assertEqual(r.code, 1001, r.raw)
        b = self.logged_in(h)
        body = self.assertPage(b.get(P + "/"))
        self.assertIn('id="waiting"', body)
        self.assertIn("Change of registrant to New &lt;Holder&gt; (%s)" % buyer, body)
        action = re.search(r'<form method="post" class="d-flex flex-wrap gap-2" id="pending-(\d+)"',
                           body).group(1)
        body = self.assertPage(b.get(P + "/domains/" + name))
        self.assertIn('id="pending-%s"' % action, body)
        self.assertIn('data-status="pendingUpdate">a change awaits your answer', body)
        # without the session's token: refused, still pending
        self.assertEqual(b.post(P + "/pending/" + action, {"decision": "confirm"})[0], 403)
        self.assertRedirect(b.post(P + "/pending/" + action,
                                   {"csrf": b.csrf(body), "decision": "confirm"}), P + "/")
        self.assertEqual(flash(self.assertPage(b.get(P + "/"))),
                         ("success", "Confirmed and carried out. Your registrar has been told."))
        rows = sql(self.d, "SELECT c.handle FROM domain d JOIN contact c ON c.id = "
                           "d.registrant_id WHERE d.name = '%s'" % name)
        self.assertEqual(rows, [(buyer,)])
        rows = sql(self.d, "SELECT state FROM pending_action WHERE id = %s" % action)
        self.assertEqual(rows, [("confirmed",)])
        rows = sql(self.d, "SELECT channel FROM history WHERE object_kind = 'domain' AND "
                           "object_key = '%s' ORDER BY id DESC LIMIT 1" % name)
        self.assertEqual(rows, [("self-service",)])
        # the registrar hears it (RFC 5731 panData)
        r = self.c.poll_req()
        self.assertEqual(r.code, 1301, r.raw)
        self.assertIn('paResult="1"', r.raw)
        self.assertEqual(self.c.poll_ack(r.msgq.get("id")).code, 1000)
        # answered: a second answer changes nothing
        self.assertRedirect(b.post(P + "/pending/" + action,
                                   {"csrf": b.csrf(body), "decision": "reject"}), P + "/")
        self.assertEqual(flash(self.assertPage(b.get(P + "/")))[1],
                         "This request was answered already or has lapsed.")

    # === languages ==============================================================

    def test_danish_norwegian_and_estonian_pages(self):
        b = Browser(self.d, headers={"Accept-Language": "da-DK, en;q=0.5"})
        body = self.assertPage(b.get(P + "/login"))
        self.assertIn('<html lang="da">', body)
        self.assertIn("<h1 class=\"h3 mb-4\">Log ind</h1>", body)
        self.assertIn("Glemt din adgangskode?", body)
        b = Browser(self.d, headers={"Accept-Language": "fr, et;q=0.8, da;q=0.3"})
        body = self.assertPage(b.get(P + "/login"))
        self.assertIn('<html lang="et">', body)
        self.assertIn("Logi sisse", body)
        body = self.assertPage(Browser(self.d, headers={"Accept-Language": "nn"})
                               .get(P + "/login"))
        self.assertIn("Logg inn", body)
        self.assertIn('<html lang="en">',
                      self.assertPage(Browser(self.d, headers={"Accept-Language": "fr"})
                                      .get(P + "/login")))
        # the switch wins over the browser's wish, and is remembered
        b = Browser(self.d, headers={"Accept-Language": "da"})
        body = self.assertPage(b.get(P + "/login"))
        self.assertIn('id="lang-et"', body)
        self.assertNotIn('id="lang-da"', body)
        self.assertRedirect(b.get(P + "/lang/et"), P + "/login")
        self.assertEqual(b.cookies["ss_lang"], "et")
        cookie = [c for c in b.set_cookies if c.startswith("ss_lang=")][-1]
        self.assertIn("Max-Age=31536000", cookie)
        body = self.assertPage(b.get(P + "/reset"))
        self.assertIn('<html lang="et">', body)
        self.assertIn("Saada link", body)
        self.assertEqual(b.get(P + "/lang/fr")[0], 404)
        # a logged-in page in Danish
        h = self.holder("ss-sprog-%s.dk" % self.tag)
        b = self.logged_in(h)
        b.headers = {"Accept-Language": "da"}
        body = self.assertPage(b.get(P + "/domains/ss-sprog-%s.dk" % self.tag))
        self.assertIn("ingen navneservere: ikke i DNS", body)
        self.assertIn("Log ud", body)
        b.headers = {"Accept-Language": "et"}
        body = self.assertPage(b.get(P + "/"))
        self.assertIn("Miski ei oota Teie vastust.", body)

    # === R19: invoices; R20: terms ==============================================

    def registrant_managed(self, name, registrant):
        r = self.c.command(create_xml(name, registrant, pw="Dpw-12345"),
                           extension=regd_create(management="registrant"))
        self.assertEqual(r.code, 1000, r.raw)

    def renew(self, name):
        """An EPP renew of name by one year: for a registrant-managed domain
        an invoice to its registrant (R19). Returns the invoice's number."""
        r = self.c.command('<info><domain:info xmlns:domain="%s"><domain:name>%s</domain:name>'
                           '</domain:info></info>' % (DOMAIN_NS, name))
        self.assertEqual(r.code, 1000, r.raw)
        exp = re.search(r"<domain:exDate>(\d{4}-\d\d-\d\d)", r.raw).group(1)
        r = self.c.command('<renew><domain:renew xmlns:domain="%s"><domain:name>%s</domain:name>'
                           '<domain:curExpDate>%s</domain:curExpDate><domain:period unit="y">1'
                           '</domain:period></domain:renew></renew>' % (DOMAIN_NS, name, exp))
        self.assertEqual(r.code, 1000, r.raw)
        rows = sql(self.d, "SELECT number FROM registrant_invoice WHERE domain_name = '%s' "
                           "ORDER BY number DESC" % name)
        self.assertTrue(rows, name)
        return int(rows[0][0])

    def test_R19_invoices_listed_shown_downloaded_and_anothers_not_found(self):
        self.d.regctl("price", "set", "renew", "80.00", "--from", "2000-01-01T00:00:00Z")
        mine, plain = "ss-inv-%s.dk" % self.tag, "ss-plain-%s.dk" % self.tag
        h = self.holder(plain)
        self.registrant_managed(mine, h)
        other = self.contact("other", ident=None)
        theirs = "ss-inv-theirs-%s.dk" % self.tag
        self.registrant_managed(theirs, other)
        n, their_n = self.renew(mine), self.renew(theirs)
        b = self.logged_in(h)
        body = self.assertPage(b.get(P + "/invoices"))
        self.assertIn('id="nav-invoices"', body)
        rows = re.findall(r'<tr id="invoice-(R\d+)">(.*?)</tr>', body)
        self.assertEqual([r[0] for r in rows], ["R%d" % n])
        row = rows[0][1]
        self.assertIn('<a href="/self-service/invoices/R%d">R%d</a>' % (n, n), row)
        self.assertIn("<td>%s</td>" % mine, row)
        self.assertIn("80.00 DKK", row)
        self.assertIn('data-state="open">open</td>', row)
        # the invoice's page and its files
        body = self.assertPage(b.get(P + "/invoices/R%d" % n))
        self.assertIn('<h1 class="h3 mb-4">Invoice R%d</h1>' % n, body)
        self.assertIn('id="invoice-amount">80.00 DKK</dd>', body)
        self.assertIn('id="invoice-state">open</dd>', body)
        self.assertIn("(1 year(s))", body)
        self.assertIn('href="/self-service/invoices/R%d.html"' % n, body)
        status, headers, doc = b.get(P + "/invoices/R%d.html" % n)
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("Content-Type"), "text/html; charset=utf-8")
        self.assertEqual(headers.get("Content-Disposition"),
                         'attachment; filename="invoice-R%d.html"' % n)
        self.assertIn("<h1>Invoice R%d</h1>" % n, doc)
        self.assertIn("Renewal of %s, 1 year</td>" % mine, doc)
        self.assertIn("<strong>80.00 DKK</strong>", doc)
        self.assertIn("\u00c6r\u00f8 &amp; S\u00f8n", doc)
        self.assertRegex(doc, r"Please pay by \d{4}-\d\d-\d\d and quote the invoice number "
                              r"R%d\." % n)
        status, headers, doc = b.get(P + "/invoices/r%d.csv" % n)
        self.assertEqual((status, headers.get("Content-Type")), (200, "text/csv; charset=utf-8"))
        lines = doc.split("\r\n")
        self.assertTrue(lines[0].startswith("invoice,issued,due,domain,operation,years,"), doc)
        self.assertRegex(lines[1], r"^R%d,[^,]+,[^,]+,%s,renew,1,.*,8000,80\.00,DKK$"
                         % (n, re.escape(mine)))
        # past its due date it is overdue
        sql(self.d, "UPDATE registrant_invoice SET due_at = 1000 WHERE number = %d" % n)
        body = self.assertPage(b.get(P + "/invoices"))
        self.assertIn('data-state="overdue">overdue</td>', body)
        # another registrant's invoice, a number never issued, nonsense: not found
        for path in ("R%d" % their_n, "R%d.html" % their_n, "R%d.csv" % their_n, "R%d" % 999999,
                     "7", "R%d.pdf" % n):
            body = self.assertPage(b.get(P + "/invoices/" + path), 404)
            self.assertIn("There is no invoice of that number for you.", body)
        # the renewal row of a registrant-managed domain only: the registry
        # renews at expiry (the default on_expiry) and invoices then
        body = self.assertPage(b.get(P + "/domains/" + mine))
        self.assertRegex(body, r'id="domain-renewal">The registry renews the domain for a year '
                               r'when it expires and invoices you; next invoice: <span '
                               r'id="domain-next-invoice"><time datetime="\d{4}-')
        self.assertIn('href="/self-service/invoices" id="domain-invoices"', body)
        self.assertNotIn('id="domain-renewal"', self.assertPage(b.get(P + "/domains/" + plain)))
        # Estonian
        b.headers = {"Accept-Language": "et"}
        body = self.assertPage(b.get(P + "/invoices"))
        self.assertIn('<h1 class="h3 mb-4">Arved</h1>', body)
        self.assertIn('data-state="overdue">tähtaeg ületatud</td>', body)
        # staff record the payment (regctl invoice paid): paid, even past its due date,
        # once; a registrar's invoice number is not one to record here
        out = self.d.regctl("invoice", "paid", "R%d" % n, "--reference", "bank ref 88123")
        self.assertEqual(out.stdout, "invoice R%d recorded as paid (reference bank ref 88123)\n"
                         % n)
        again = self.d.regctl("invoice", "paid", "R%d" % n, "--reference", "twice", check=False)
        self.assertEqual(again.returncode, 1)
        self.assertRegex(again.stderr, r"invoice R%d was recorded as paid on \S+ \(reference "
                                       r"bank ref 88123\)" % n)
        self.assertEqual(self.d.regctl("invoice", "paid", "7", "--reference", "x",
                                       check=False).returncode, 1)
        self.assertIn("tasutud", self.assertPage(b.get(P + "/invoices")))
        b.headers = {}
        body = self.assertPage(b.get(P + "/invoices/R%d" % n))
        self.assertRegex(body, r'id="invoice-state">paid <time datetime="\d{4}-')
        self.assertRegex(self.d.regctl("invoice", "show", "R%d" % n).stdout,
                         r"(?m)^paid: \S+ \(reference bank ref 88123\)$")
        # not logged in: to the login page
        self.assertRedirect(Browser(self.d).get(P + "/invoices/R%d" % n), P + "/login")

    def test_R20_terms_accepted_per_domain_and_the_current_terms(self):
        name = "ss-terms-%s.dk" % self.tag
        h = self.holder(name)
        when = TERMS_ACCEPTED[:10] + " " + TERMS_ACCEPTED[11:16] + " UTC"
        accepted = ('version %s, <time datetime="%s">%s</time>'
                    % (TERMS_VERSION, TERMS_ACCEPTED, when))
        b = self.logged_in(h)
        body = self.assertPage(b.get(P + "/domains/" + name))
        self.assertIn('id="domain-terms">%s <a href="/self-service/terms" '
                      'id="domain-terms-link">' % accepted, body)
        body = self.assertPage(b.get(P + "/terms"))
        self.assertIn('id="terms-current">%s</dd>' % TERMS_VERSION, body)
        self.assertIn('id="terms-no-text"', body)  # no [registry] terms_url here
        self.assertRegex(body, r'<table class="table" id="terms-domains">.*<a href="/self-service'
                               r'/domains/%s">%s</a></td><td>%s</td>'
                         % (re.escape(name), re.escape(name), re.escape(accepted)))
        # a domain registered before the registry recorded terms
        sql(self.d, "UPDATE domain SET terms_version = NULL, terms_accepted_at = NULL WHERE "
                    "name = '%s'" % name)
        body = self.assertPage(b.get(P + "/domains/" + name))
        self.assertIn('id="domain-terms">not recorded: the domain was registered before the '
                      'registry recorded it', body)
        # the terms page is open to anyone, in their language
        body = self.assertPage(Browser(self.d, headers={"Accept-Language": "da"}).get(P + "/terms"))
        self.assertIn('<h1 class="h3 mb-4">Registrets vilkår</h1>', body)
        self.assertIn('id="terms-current">%s</dd>' % TERMS_VERSION, body)
        self.assertNotIn('id="terms-domains"', body)

    def test_routes(self):
        b = Browser(self.d)
        self.assertRedirect(b.get(P), P + "/")
        self.assertRedirect(b.get(P + "/"), P + "/login")
        self.assertEqual(b.get(P + "/nothing")[0], 404)
        status, headers, _ = b.post(P + "/domains", {})
        self.assertEqual((status, headers.get("Allow")), (405, "GET, HEAD"))
        status, headers, body = b.get(P + "/static/bootstrap.min.css")
        self.assertEqual((status, headers.get("Content-Type")), (200, "text/css; charset=utf-8"))


class SqliteSelfService(SelfService, unittest.TestCase):
    backend = "sqlite"


class PgsqlSelfService(SelfService, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
