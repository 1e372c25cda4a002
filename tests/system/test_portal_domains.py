#!/usr/bin/env python3
"""The registrar portal's domain life over real HTTP (issue 16): create
with the registrant's terms acceptance (R20), the management model (R18)
and the price shown, a registry refusal shown next to the field it
concerns; contacts and client statuses; DS records added and removed; a
transfer requested by another registrar with the auth info and approved by
the sponsor; delete verified by the registrar (R8) and restored, delete
waiting for the registrant (R7, the mail caught by an SMTP sink); bulk
renewal and tech-contact replacement with their confirmation counts; the
dashboard's registrations chart; CSRF and role refusals. Every change goes
through EPP's registry operations, so the history says channel `portal`.
Runs on SQLite and PostgreSQL."""
import html
import os
import re
import sys
import unittest
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "browser"))
from daemon import Daemon  # noqa: E402
from eppclient import EPPClient  # noqa: E402
from smtpsink import SMTPSink  # noqa: E402
from portalcase import add_portal_users  # noqa: E402
from test_portal import PW, Browser, totp  # noqa: E402
import seed  # noqa: E402  (tests/browser/seed.py: objects made over EPP)

DIGEST = "A" * 64


def field(body, ident):
    m = re.search(r'id="%s"[^>]*>([^<]*)<' % re.escape(ident), body)
    return html.unescape(m.group(1)) if m else None


def done(body):
    m = re.search(r'<div[^>]*id="done"[^>]*>([^<]*)<', body)
    return html.unescape(m.group(1)) if m else None


class PortalDomains:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.sink = SMTPSink().start()
        cls.addClassCleanup(cls.sink.close)
        cls.d = Daemon(backend=cls.backend, name="portaldom", only="epp,http",
                       settings={"mail.from": "registry@nic.example",
                                 "mail.smtp": cls.sink.url,
                                 # a transfer waits for the sponsor's answer
                                 "transfer.mode": "pending"})
        cls.addClassCleanup(cls.d.cleanup)
        cls.d.add_registrar("REGA", "secret-pw1")
        cls.d.add_registrar("REGB", "secret-pw2")
        cls.d.regctl("price", "set", "create", "45.00", "--years", "1",
                     "--from", "2000-01-01T00:00:00Z")
        cls.d.regctl("price", "set", "renew", "30.00", "--from", "2000-01-01T00:00:00Z")
        cls.d.regctl("credit", "add", "REGA", "10000.00", "--text", "test top-up")
        add_portal_users(cls.d, (("ann", "REGA", "registrar,nameserver_manager"),
                                 ("ben", "REGB", "registrar"),
                                 ("nils", "REGA", "nameserver_manager")))
        cls.d.start()
        cls.epp("REGA", "secret-pw1", [
            "contact REGA:HOLDER holder@example.test", "contact REGA:TECH tech@example.test",
            "contact REGA:TECH2 tech2@example.test", "contact REGA:ADM adm@example.test",
            "host ns1.example.net", "host ns2.example.net"])
        cls.browsers = {}

    @classmethod
    def tearDownClass(cls):
        rc = cls.d.stop()
        if rc != 0:
            raise AssertionError(f"registryd exited with {rc}")

    @classmethod
    def epp(cls, clid, pw, lines):
        c = EPPClient(cls.d.host, cls.d.port)
        assert c.login(clid, pw).code == 1000
        makers = {"contact": seed.contact, "host": seed.host, "domain": seed.domain}
        for line in lines:
            words = line.split()
            inner, ext = makers[words[0]](*words[1:])
            r = c.command(inner, extension=ext)
            assert r.code == 1000, r.raw
        c.logout()
        c.close()

    def domains(self, *names):
        self.epp("REGA", "secret-pw1",
                 ["domain %s REGA:HOLDER ns1.example.net tech=REGA:TECH" % n for n in names])

    # --- helpers ------------------------------------------------------------

    def balance(self, handle):
        """The registrar's balance in minor units, as `regctl balance` says."""
        out = self.d.regctl("balance", handle).stdout
        m = re.search(r"^%s\s+(-?\d+)\s" % re.escape(handle), out, re.M)
        self.assertIsNotNone(m, out)
        return int(m.group(1))

    def login(self, name):
        """A logged-in browser for `name` (enrolled at the first login)."""
        if name in self.browsers:
            return self.browsers[name]
        b = Browser(self.d)
        body = b.get("/portal/login")[2]
        status, headers, _ = b.post("/portal/login", {"csrf": b.csrf(body), "login": name,
                                                      "password": PW})
        self.assertEqual((status, headers["Location"]), (303, "/portal/login/enrol"))
        body = b.get("/portal/login/enrol")[2]
        secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', body).group(1)
        status, headers, _ = b.post("/portal/login/enrol",
                                    {"csrf": b.csrf(body), "code": totp(secret)})
        self.assertEqual((status, headers["Location"]), (303, "/portal/"))
        self.browsers[name] = b
        return b

    def page(self, b, path, status=200):
        code, headers, body = b.get(path)
        self.assertEqual(code, status, body)
        self.assertNotIn("<script", body)
        self.assertNotIn("style=", body)
        return body

    def post(self, b, path, form, location=None):
        """A form posted with the session's token: always a redirect."""
        form = dict(form, csrf=b.csrf(self.page(b, "/portal/domains")))
        status, headers, body = b.post(path, form)
        self.assertEqual(status, 303, body)
        if location is not None:
            self.assertEqual(headers["Location"], location)
        return headers["Location"]

    def act(self, b, domain, action, **form):
        """A change on the domain's page; the page after the redirect."""
        self.post(b, "/portal/domains/" + domain, dict(form, action=action),
                  "/portal/domains/" + domain)
        return self.page(b, "/portal/domains/" + domain)

    def history_channels(self, b, domain):
        body = self.page(b, "/portal/domains/" + domain)
        table = body[body.index('id="history"'):]
        return re.findall(r"<td>(epp|portal)</td>", table)

    # --- tests --------------------------------------------------------------

    def test_create_refusals_next_to_the_field_then_created(self):
        b = self.login("ann")
        body = self.page(b, "/portal/domains/new")
        self.assertIn('<option value="1" selected>1 (45.00 DKK)</option>', body)
        self.assertRegex(body, r'<label for="terms" class="form-check-label">The registrant has '
                               r'accepted the registry&#39;s terms \(version [^)]+\)\.</label>')
        form = {"name": "neu.dk", "years": "1", "registrant": "REGA:NOSUCH",
                "admin": "REGA:ADM", "tech": "REGA:TECH", "ns": "ns1.example.net\r\n",
                "management": "registrant", "terms": "1"}
        # a contact that does not exist: its field, what was typed kept
        loc = self.post(b, "/portal/domains/new", form)
        self.assertTrue(loc.startswith("/portal/domains/new?name=neu.dk&"), loc)
        body = self.page(b, loc)
        self.assertRegex(body, r'id="registrant" name="registrant" type="text" '
                               r'value="REGA:NOSUCH" class="form-control is-invalid">'
                               r'<div class="invalid-feedback">contact REGA:NOSUCH does not '
                               r'exist</div>')
        self.assertIn('value="REGA:ADM"', body)
        self.assertIn('<option value="registrant" selected>', body)
        # a host that does not exist: the name servers
        body = self.page(b, self.post(b, "/portal/domains/new",
                                      dict(form, registrant="REGA:HOLDER",
                                           ns="ns9.example.net")))
        self.assertEqual(field(body, "ns-error"), "host ns9.example.net does not exist")
        # R20: without the registrant's acceptance nothing is registered
        body = self.page(b, self.post(b, "/portal/domains/new",
                                      dict(form, registrant="REGA:HOLDER", terms="")))
        self.assertEqual(field(body, "terms-error"), "The registrant must accept the "
                         "registry's terms before the domain can be registered.")
        self.page(b, "/portal/domains/neu.dk", 404)
        # created: its page, with terms, model and price charged
        self.post(b, "/portal/domains/new", dict(form, registrant="REGA:HOLDER"),
                  "/portal/domains/neu.dk")
        body = self.page(b, "/portal/domains/neu.dk")
        self.assertRegex(done(body), r"^neu\.dk is registered until \d{4}-\d\d-\d\d\.$")
        self.assertEqual(field(body, "f-registrant"), "REGA:HOLDER")
        self.assertEqual(field(body, "f-contacts"), "admin: REGA:ADM, tech: REGA:TECH")
        self.assertEqual(field(body, "f-management"), "registrant")
        self.assertRegex(field(body, "f-terms"), r"^\S+, \d{4}-\d\d-\d\dT")
        self.assertEqual(self.history_channels(b, "neu.dk"), ["portal"])
        self.assertIn("45.00", self.d.regctl("statement", "REGA").stdout)
        # the same name again: the registry's refusal, at the name
        body = self.page(b, self.post(b, "/portal/domains/new", dict(form,
                                                                     registrant="REGA:HOLDER")))
        self.assertRegex(body, r'class="form-control is-invalid"><div class="invalid-feedback">'
                               r'domain neu\.dk is already registered<')

    def test_contacts_and_statuses(self):
        self.domains("kontakt.dk")
        b = self.login("ann")
        body = self.act(b, "kontakt.dk", "contacts", admin="REGA:ADM",
                        tech="REGA:TECH2 REGA:TECH", **{"st-clientHold": "1",
                                                        "st-clientDeleteProhibited": "1"})
        self.assertEqual(done(body), "The contacts and statuses were saved.")
        self.assertEqual(field(body, "f-contacts"),
                         "admin: REGA:ADM, tech: REGA:TECH, tech: REGA:TECH2")
        self.assertEqual(field(body, "f-status"), "clientDeleteProhibited, clientHold")
        self.assertEqual(self.history_channels(b, "kontakt.dk"), ["epp", "portal"])
        # the statuses not ticked go; the same again changes nothing
        body = self.act(b, "kontakt.dk", "contacts", admin="REGA:ADM", tech="REGA:TECH2")
        self.assertEqual(field(body, "f-contacts"), "admin: REGA:ADM, tech: REGA:TECH2")
        self.assertEqual(field(body, "f-status"), "ok")
        body = self.act(b, "kontakt.dk", "contacts", admin="REGA:ADM", tech="REGA:TECH2")
        self.assertEqual(done(body), "The contacts and statuses were these already; "
                                     "nothing changed.")
        # the registry's refusal next to the contacts; nothing changed
        body = self.act(b, "kontakt.dk", "contacts", admin="REGA:NOSUCH", tech="REGA:TECH2")
        self.assertRegex(body, r'id="admin" name="admin" type="text" value="REGA:ADM" '
                               r'class="form-control is-invalid"><div class="invalid-feedback">'
                               r'contact REGA:NOSUCH does not exist</div>')
        self.assertEqual(field(body, "f-contacts"), "admin: REGA:ADM, tech: REGA:TECH2")

    def test_ds_add_and_remove(self):
        self.domains("sikker.dk")
        b = self.login("ann")
        body = self.act(b, "sikker.dk", "ds-add", key_tag="12345", alg="13", digest_type="2",
                        digest=DIGEST.lower())
        self.assertEqual(done(body), "The DS record was added.")
        self.assertEqual(field(body, "f-ds"), "12345 13 2 " + DIGEST)
        body = self.act(b, "sikker.dk", "ds-add", key_tag="1", alg="13", digest_type="2",
                        digest="ABC")
        self.assertRegex(body, r'value="" class="form-control is-invalid"><div class='
                               r'"invalid-feedback">a digest of type 2 has 64 hex digits')
        body = self.act(b, "sikker.dk", "ds-rem", key_tag="12345", alg="13", digest_type="2",
                        digest=DIGEST)
        self.assertEqual(done(body), "The DS record was removed.")
        self.assertIsNone(field(body, "f-ds"))

    def test_transfer_requested_by_b_approved_by_a(self):
        self.domains("flyt.dk")
        a, b = self.login("ann"), self.login("ben")
        self.act(a, "flyt.dk", "auth-set", authinfo="Flyt-pw-2024")
        # B does not see A's domain, and a wrong auth info is refused at its field
        self.page(b, "/portal/domains/flyt.dk", 404)
        self.post(b, "/portal/transfer", {"action": "request", "name": "flyt.dk",
                                          "authinfo": "wrong-pw-1"}, "/portal/transfer")
        body = self.page(b, "/portal/transfer")
        self.assertRegex(body, r'id="authinfo" name="authinfo" type="text" value="" '
                               r'class="form-control is-invalid"><div class="invalid-feedback">')
        self.post(b, "/portal/transfer", {"action": "request", "name": "flyt.dk",
                                          "authinfo": "Flyt-pw-2024"}, "/portal/transfer")
        self.assertRegex(done(self.page(b, "/portal/transfer")),
                         r"^The transfer of flyt\.dk was requested; REGA can approve or reject")
        body = self.page(a, "/portal/domains/flyt.dk")
        self.assertRegex(field(body, "transfer-pending"), r"^REGB asked for this domain on ")
        self.post(a, "/portal/domains/flyt.dk", {"action": "transfer-approve"},
                  "/portal/domains")
        self.assertEqual(done(self.page(a, "/portal/domains")),
                         "flyt.dk was transferred to REGB.")
        self.page(a, "/portal/domains/flyt.dk", 404)
        body = self.page(b, "/portal/domains/flyt.dk")
        self.assertEqual(field(body, "f-sponsor"), "REGB")

    def test_transfer_with_a_one_time_password(self):
        """R16: B has no auth info; the registry mails the registrant a
        one-time password, with which the transfer happens at once."""
        self.domains("otp.dk")
        b = self.login("ben")
        self.post(b, "/portal/transfer", {"action": "otp", "otp_name": "otp.dk",
                                          "channel": "email"}, "/portal/transfer")
        self.assertRegex(done(self.page(b, "/portal/transfer")),
                         r"^A one-time password for otp\.dk was sent to the registrant")
        self.d.regctl("jobs", "run", "--force", "outbox-deliver")
        codes = []
        for m in self.sink.messages:
            text = m.message.get_payload(decode=True).decode("utf-8", "replace")
            if m.rcpt_to == ["holder@example.test"] and "otp.dk" in text:
                codes += re.findall(r"\b([2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5})\b", text)
        self.assertEqual(len(codes), 1)
        self.post(b, "/portal/transfer", {"action": "request", "name": "otp.dk",
                                          "authinfo": codes[0]}, "/portal/domains/otp.dk")
        body = self.page(b, "/portal/domains/otp.dk")
        self.assertEqual(done(body), "otp.dk is now yours.")
        self.assertEqual(field(body, "f-sponsor"), "REGB")

    def test_delete_verified_then_restore(self):
        self.domains("slet.dk")
        b = self.login("ann")
        # R8 needs the box ticked
        body = self.act(b, "slet.dk", "delete-verified")
        self.assertRegex(field(body, "delete-error"), r"^Tick the box")
        body = self.act(b, "slet.dk", "delete-verified", verified="1")
        self.assertEqual(done(body), "The domain was deleted; it can be restored during the "
                                     "redemption period.")
        self.assertIn("redemptionPeriod", field(body, "f-status"))
        self.assertIn('id="restore-form"', body)
        body = self.act(b, "slet.dk", "restore")
        self.assertEqual(done(body), "The domain was restored.")
        self.assertNotIn("redemptionPeriod", field(body, "f-status"))
        self.assertNotIn("pendingDelete", field(body, "f-status"))

    def test_delete_asks_the_registrant(self):
        self.domains("spoerg.dk")
        b = self.login("ann")
        body = self.act(b, "spoerg.dk", "delete")
        self.assertEqual(done(body), "The registrant was asked by e-mail to confirm the "
                                     "deletion.")
        self.assertEqual(field(body, "f-pending"), "delete")
        self.assertIn("pendingDelete", field(body, "f-status"))
        self.assertIn("A deletion is under way.", body)
        self.d.regctl("jobs", "run", "--force", "outbox-deliver")
        mails = [m for m in self.sink.messages if m.rcpt_to == ["holder@example.test"]
                 and "spoerg.dk" in m.message.get_payload(decode=False)]
        self.assertEqual(len(mails), 1, [m.message["Subject"] for m in self.sink.messages])
        self.assertIn("spoerg.dk", mails[0].message["Subject"])

    def test_bulk_renew_and_tech(self):
        self.domains("bulk-a.dk", "bulk-b.dk", "bulk-c.dk")
        b = self.login("ann")
        before = field(self.page(b, "/portal/domains/bulk-a.dk"), "f-expires")
        body = self.page(b, "/portal/bulk/renew?bulk_years=2&d=bulk-a.dk&d=bulk-b.dk")
        self.assertEqual(field(body, "bulk-count"), "2 of the 2 selected domains will be renewed.")
        self.assertIn(">Renew 2 domains</button>", body)
        # the charge it says is what the account then pays
        m = re.fullmatch(r"Your account will be charged (\d+)\.(\d\d) DKK for them\.",
                         field(body, "bulk-charge"))
        self.assertIsNotNone(m, body)
        charge = int(m.group(1)) * 100 + int(m.group(2))
        self.assertGreater(charge, 0)
        balance = self.balance("REGA")
        # the confirmation changed nothing
        self.assertEqual(field(self.page(b, "/portal/domains/bulk-a.dk"), "f-expires"), before)
        self.assertEqual(self.balance("REGA"), balance)
        self.post(b, "/portal/bulk/renew", {"bulk_years": "2",
                                            "domains": "bulk-a.dk\nbulk-b.dk\n"},
                  "/portal/domains")
        self.assertEqual(done(self.page(b, "/portal/domains")), "2 domains were renewed.")
        self.assertEqual(self.balance("REGA"), balance - charge)
        after = field(self.page(b, "/portal/domains/bulk-a.dk"), "f-expires")
        self.assertEqual(int(after[:4]), int(before[:4]) + 2)
        self.assertEqual(field(self.page(b, "/portal/domains/bulk-c.dk"), "f-expires")[:4],
                         before[:4])
        # tech: bulk-c keeps no REGA:TECH once replaced; 3 of 3 have it
        self.act(b, "bulk-b.dk", "contacts", admin="", tech="REGA:TECH2")
        body = self.page(b, "/portal/bulk/replace-tech?old_tech=REGA:TECH&new_tech=REGA:TECH2"
                            "&d=bulk-a.dk&d=bulk-b.dk&d=bulk-c.dk")
        self.assertEqual(field(body, "bulk-count"), "2 of the 3 selected domains have tech "
                         "contact REGA:TECH. In them it will be replaced by REGA:TECH2.")
        self.post(b, "/portal/bulk/replace-tech", {"old_tech": "REGA:TECH",
                                                   "new_tech": "REGA:TECH2",
                                                   "domains": "bulk-a.dk\nbulk-b.dk\nbulk-c.dk"},
                  "/portal/domains")
        self.assertEqual(done(self.page(b, "/portal/domains")),
                         "The tech contact was replaced in 2 domains.")
        for name in ("bulk-a.dk", "bulk-c.dk"):
            self.assertEqual(field(self.page(b, "/portal/domains/" + name), "f-contacts"),
                             "tech: REGA:TECH2")
        # a refusal rolls back all: a contact that does not exist
        body = self.page(b, "/portal/bulk/replace-tech?old_tech=REGA:TECH2&new_tech=REGA:NONE"
                            "&d=bulk-a.dk")
        self.assertIn("bulk-a.dk: contact REGA:NONE does not exist", body)

    def test_csrf_and_roles_refused(self):
        b = self.login("ann")
        form = {"name": "csrf.dk", "years": "1", "registrant": "REGA:HOLDER", "terms": "1"}
        for extra in ({}, {"csrf": "0" * 64}):
            status, _, _ = b.post("/portal/domains/new", dict(form, **extra))
            self.assertEqual(status, 403)
        self.page(b, "/portal/domains/csrf.dk", 404)
        self.domains("csrf2.dk")
        status, _, _ = b.post("/portal/domains/csrf2.dk", {"action": "delete-verified",
                                                           "verified": "1"})
        self.assertEqual(status, 403)
        self.assertNotIn("redemptionPeriod",
                         field(self.page(b, "/portal/domains/csrf2.dk"), "f-status"))
        status, _, _ = b.post("/portal/bulk/renew", {"bulk_years": "1", "domains": "csrf2.dk"})
        self.assertEqual(status, 403)
        # a name server manager without the registrar role creates nothing
        n = self.login("nils")
        self.page(n, "/portal/domains/new", 403)
        self.page(n, "/portal/transfer", 403)

    def test_danish(self):
        b = self.login("ann")
        self.assertEqual(b.get("/portal/lang/da")[0], 303)
        try:
            body = self.page(b, "/portal/domains/new")
            self.assertIn("<h1 class=\"h3 mb-4\">Registrér et domæne</h1>", body)
            self.assertRegex(body, r"Registranten har accepteret registrets vilkår \(version ")
            self.domains("dansk.dk")
            body = self.page(b, "/portal/domains/dansk.dk")
            self.assertIn(">Bed registranten bekræfte sletningen</button>", body)
            self.assertIn(">Tilføj DS-post</button>", body)
            body = self.page(b, "/portal/")
            self.assertIn('<title id="chart-svg-title">Registreringer pr. måned</title>', body)
        finally:
            b.get("/portal/lang/en")

    def test_dashboard_chart(self):
        self.domains("graf-1.dk", "graf-2.dk")
        b = self.login("ann")
        body = self.page(b, "/portal/")
        self.assertRegex(body, r'<svg [^>]*role="img" aria-labelledby="chart-svg-title '
                               r'chart-svg-desc"')
        self.assertIn('<title id="chart-svg-title">Registrations per month</title>', body)
        month = datetime.now(timezone.utc).strftime("%Y-%m")
        m = re.search(r"<td>%s</td><td class=\"text-end\">(\d+)</td>" % month, body)
        self.assertIsNotNone(m, body)
        self.assertGreaterEqual(int(m.group(1)), 2)
        self.assertEqual(len(re.findall(r"<rect ", body)), 12)


class SqlitePortalDomains(PortalDomains, unittest.TestCase):
    backend = "sqlite"


class PgsqlPortalDomains(PortalDomains, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
