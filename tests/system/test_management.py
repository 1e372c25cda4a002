#!/usr/bin/env python3
"""Management models, the registry's terms and registrar service flags end
to end (R18-R20, R26; DESIGN §5, §6, §8): EPP commands to a real registryd,
staff commands with regctl, time moved with `regctl jobs run --now`, mail
read back from the spool the outbox-deliver job writes. Each test has a
daemon of its own; every frame the servers send is validated against
schema/all.xsd at the end of the class. Runs on SQLite and PostgreSQL.

R18  <regd:management> at create, else the registrar's default
     (`regctl registrar add|set --management`), shown in info; staff change
     a domain's model with `regctl domain management` (history, a poll
     message to the registrar, a mail to the registrant).
R19  registrant-managed: the create is debited from the registrar, every
     renewal (EPP renew, autorenew at expiry) is invoiced to the registrant
     instead (no ledger row; the RFC 8748 fee is 0), with the invoice mailed
     to the registrant; `regctl invoice list --registrants`, `invoice show
     R<N>`; the registrar keeps its poll messages. Registrar-managed: the
     contact-check-reminder job asks the registrant to check its data once
     per [management] contact_check_interval.
R20  a create without the terms, with another version or a time in the
     future is 2306 with a reason saying what to send; what was accepted is
     stored and shown to the sponsor in <regd:infData><regd:terms>.
R26  `regctl registrar set --name-service --dnssec`, `registrar show`,
     `regctl report dnssec`."""
import glob
import os
import re
import shutil
import sys
import tempfile
import unittest
from datetime import datetime, timedelta, timezone
from email import message_from_bytes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon, scratch_root  # noqa: E402
from eppclient import (REGD_NS, TERMS_ACCEPTED, EPPClient, regd_create,  # noqa: E402
                       with_terms, xml_escape)
from test_epp_domain import SCHEMA_DIR, q, sql  # noqa: E402
from test_epp_session import Recorder  # noqa: E402

DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
FEE_NS = "urn:ietf:params:xml:ns:epp:fee-1.0"
CHANGEPOLL_NS = "urn:ietf:params:xml:ns:changePoll-1.0"
EXT_URIS = [REGD_NS, FEE_NS, CHANGEPOLL_NS]
NS = {"epp": "urn:ietf:params:xml:ns:epp-1.0", "domain": DOMAIN_NS, "regd": REGD_NS,
      "fee": FEE_NS, "changePoll": CHANGEPOLL_NS}

A, B = "MGA", "MGB"
PASSWORDS = {A: "mga-pass-1", B: "mgb-pass-1"}
SINCE = "2000-01-01T00:00:00Z"


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


class Management:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mgmt-%s-" % cls.backend, dir=scratch_root())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.recorder = Recorder(os.path.join(cls.tmp, "responses"))

    @classmethod
    def tearDownClass(cls):
        ok, report = cls.recorder.validate()
        sys.stderr.write("%s: %d server frames checked with xmllint against %s/all.xsd\n"
                         % (cls.__name__, len(cls.recorder.files), SCHEMA_DIR))
        if not ok:
            raise AssertionError("responses do not validate: %s" % report)

    def setUp(self):
        self.clients = {}
        self.seen = set()
        self.d = self.daemon()

    def tearDown(self):
        for c in self.clients.values():
            c.close()
        for d in getattr(self, "daemons", []):
            d.stop()
            d.cleanup()

    def daemon(self, **settings):
        d = Daemon(backend=self.backend, name="mgmt",
                   settings=dict({"mail.from": "registry@nic.example"}, **settings))
        self.daemons = getattr(self, "daemons", []) + [d]
        d.add_registrar(A, PASSWORDS[A], name="Alpha Registrar")
        d.add_registrar(B, PASSWORDS[B], name="Beta Registrar")
        d.start()
        return d

    # --- helpers ---------------------------------------------------------

    def client(self, clid, d=None):
        d = d or self.d
        key = (id(d), clid)
        if key not in self.clients:
            c = EPPClient(d.host, d.port, recorder=self.recorder)
            self.assertEqual(c.login(clid, PASSWORDS[clid], ext_uris=EXT_URIS).code, 1000)
            self.clients[key] = c
        return self.clients[key]

    def regctl(self, *args, code=0, d=None):
        r = (d or self.d).regctl(*args, check=False)
        self.assertEqual(r.returncode, code, "regctl %s\nstdout: %s\nstderr: %s"
                         % (" ".join(map(str, args)), r.stdout, r.stderr))
        if code:
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        return r

    def contact(self, clid, cid, email, name="Jens Hansen", d=None):
        """A contact whose address is in GB (no language of its own), so the
        registry's mails to it are in English."""
        r = self.client(clid, d).command(
            '<create><contact:create xmlns:contact="%s"><contact:id>%s</contact:id>'
            '<contact:postalInfo type="loc"><contact:name>%s</contact:name><contact:org>Hansen '
            'ApS</contact:org><contact:addr><contact:street>Vestergade 1</contact:street>'
            '<contact:city>Aarhus C</contact:city><contact:pc>8000</contact:pc><contact:cc>GB'
            '</contact:cc></contact:addr></contact:postalInfo><contact:voice>+45.12345678'
            '</contact:voice><contact:email>%s</contact:email><contact:authInfo><contact:pw>'
            'Cpw-12345</contact:pw></contact:authInfo></contact:create></create>'
            % (CONTACT_NS, cid, xml_escape(name), email))
        self.assertEqual(r.code, 1000, r.raw)
        return "%s:%s" % (clid, cid.upper())

    def create_cmd(self, clid, name, registrant, ext, years=1, d=None):
        return self.client(clid, d).command(
            '<create><domain:create xmlns:domain="%s"><domain:name>%s</domain:name>'
            '<domain:period unit="y">%d</domain:period><domain:registrant>%s</domain:registrant>'
            '<domain:authInfo><domain:pw>Dpw-12345</domain:pw></domain:authInfo></domain:create>'
            '</create>' % (DOMAIN_NS, name, years, registrant), extension=ext)

    def create(self, clid, name, registrant, ext=None, d=None):
        """Creates name (with the terms, R20); returns its expiry."""
        r = self.create_cmd(clid, name, registrant, with_terms(ext or ""), d=d)
        self.assertEqual(r.code, 1000, r.raw)
        return parse_time(r.findtext(".//domain:exDate"))

    def info(self, clid, name, pw=None, d=None):
        auth = "<domain:authInfo><domain:pw>%s</domain:pw></domain:authInfo>" % pw if pw else ""
        r = self.client(clid, d).command(
            '<info><domain:info xmlns:domain="%s"><domain:name>%s</domain:name>%s</domain:info>'
            '</info>' % (DOMAIN_NS, name, auth))
        self.assertEqual(r.code, 1000, r.raw)
        return r

    def management(self, clid, name):
        return self.info(clid, name).root.findtext(".//regd:infData/regd:management",
                                                   namespaces=NS)

    def renew(self, clid, name, cur, years=1, fee=None):
        ext = ('<fee:renew xmlns:fee="%s"><fee:currency>DKK</fee:currency><fee:fee>%s</fee:fee>'
               '</fee:renew>' % (FEE_NS, fee)) if fee is not None else ""
        return self.client(clid).command(
            '<renew><domain:renew xmlns:domain="%s"><domain:name>%s</domain:name>'
            '<domain:curExpDate>%s</domain:curExpDate><domain:period unit="y">%d</domain:period>'
            '</domain:renew></renew>' % (DOMAIN_NS, name, cur.strftime("%Y-%m-%d"), years),
            extension=ext)

    def jobs(self, when, *only):
        out = self.regctl("jobs", "run", "--force", "--now", iso(when), *only).stdout
        self.assertNotRegex(out, r"(?m)^\S+\s+failed\b")
        return out

    def mail(self, when=None):
        """Delivers the outbox (at `when`, else now: a mail queued by a job
        run at a later time is due then); returns the new messages as
        (to, subject, body)."""
        self.regctl("jobs", "run", "--force", *(("--now", iso(when)) if when else ()),
                    "outbox-deliver")
        out = []
        for path in sorted(glob.glob(os.path.join(self.d.var, "spool", "mail", "*.eml"))):
            if path in self.seen:
                continue
            self.seen.add(path)
            with open(path, "rb") as f:
                msg = message_from_bytes(f.read())
            out.append((msg["To"], msg["Subject"],
                        msg.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n")))
        return out

    def ledger(self, name):
        return sql(self.d, "SELECT operation, amount FROM ledger WHERE object_name = %s ORDER BY "
                           "id" % q(name))

    def poll_all(self, clid):
        """Every queued poll message of clid (acknowledged): [(msg, response)]."""
        c, out = self.client(clid), []
        for _ in range(100):
            r = c.poll_req()
            if r.code == 1300:
                return out
            self.assertEqual(r.code, 1301, r.raw)
            out.append((r.findtext("epp:response/epp:msgQ/epp:msg"), r))
            self.assertEqual(c.poll_ack(r.find("epp:response/epp:msgQ").get("id")).code, 1000)
        self.fail("the poll queue does not drain")

    def prices(self):
        for op, amount in (("create", "100.00"), ("renew", "80.00"), ("autorenew", "70.00")):
            self.regctl("price", "set", op, amount, "--from", SINCE)
        self.regctl("credit", "add", A, "10000.00", "--text", "top-up")

    # --- R18 -------------------------------------------------------------

    def test_R18_management_chosen_at_create_or_registrar_default(self):
        holder_a = self.contact(A, "holder", "a@example.test")
        holder_b = self.contact(B, "holder", "b@example.test")
        # B's default becomes registrant (registrar set; add takes it too)
        out = self.regctl("registrar", "set", B, "--management", "registrant").stdout
        self.assertEqual(out, "registrar MGB\ndefault-management: registrant\n"
                              "own-handle: none\noffers-name-service: no\noffers-dnssec: no\n")
        self.assertIn("default-management: registrant",
                      self.regctl("registrar", "show", B).stdout)
        self.regctl("registrar", "add", "MGC", "--name", "C", "--password", "mgc-pass-1",
                    "--management", "registrant")
        self.assertIn("default-management: registrant",
                      self.regctl("registrar", "show", "MGC").stdout)
        self.regctl("registrar", "add", "MGD", "--name", "D", "--management", "owner", code=1)
        self.regctl("registrar", "set", B, "--management", "owner", code=2)

        self.create(A, "a-default.dk", holder_a)
        self.create(A, "a-chosen.dk", holder_a, regd_create("registrant"))
        self.create(B, "b-default.dk", holder_b)
        self.create(B, "b-chosen.dk", holder_b, regd_create("registrar"))
        for clid, name, want in ((A, "a-default.dk", "registrar"),
                                 (A, "a-chosen.dk", "registrant"),
                                 (B, "b-default.dk", "registrant"),
                                 (B, "b-chosen.dk", "registrar")):
            self.assertEqual(self.management(clid, name), want, name)
        # another registrar sees the model too (who deals with the registrant)
        self.assertEqual(self.management(B, "a-chosen.dk"), "registrant")

    def test_R18_staff_change_the_model_with_history_poll_and_mail(self):
        holder = self.contact(A, "holder", "holder@example.test")
        self.create(A, "moving.dk", holder)
        self.mail()
        self.poll_all(A)
        out = self.regctl("domain", "management", "moving.dk", "registrant").stdout
        self.assertEqual(out, "moving.dk is now registrant-managed\n")
        self.assertEqual(self.management(A, "moving.dk"), "registrant")
        # R40: the version, by staff through regctl
        hist = self.regctl("history", "moving.dk").stdout
        self.assertRegex(hist, r"(?m)^2\s+\S+\s+domain\s+management\s+staff\s+regctl\b")
        # the registrar: an RFC 8590 change poll message
        (msg, r), = self.poll_all(A)
        self.assertEqual(msg, "Registry update of moving.dk: now registrant-managed")
        self.assertEqual(r.root.findtext(".//changePoll:operation", namespaces=NS), "update")
        self.assertEqual(r.root.findtext(".//changePoll:reason", namespaces=NS),
                         "now registrant-managed")
        # the registrant: one mail
        (to, subject, body), = self.mail()
        self.assertEqual((to, subject), ("holder@example.test",
                                         "Domain moving.dk: now registrant-managed"))
        self.assertIn("the registry deals with you directly", body)
        # refusals change nothing
        err = self.regctl("domain", "management", "moving.dk", "registrant", code=1).stderr
        self.assertIn("moving.dk is registrant-managed already", err)
        self.regctl("domain", "management", "moving.dk", "owner", code=2)
        self.regctl("domain", "management", "moving.dk", code=2)
        self.regctl("domain", "management", "nowhere.dk", "registrar", code=1)
        self.assertEqual(self.mail(), [])
        self.assertEqual(self.poll_all(A), [])

    # --- R19 -------------------------------------------------------------

    def test_R19_registrant_managed_renewals_are_invoiced_to_the_registrant(self):
        self.prices()
        holder = self.contact(A, "holder", "holder@example.test")
        agent_holder = self.contact(A, "agent", "agent@example.test", name="Anders Agent")
        exp = self.create(A, "self.dk", holder, regd_create("registrant"))
        self.create(A, "agent.dk", agent_holder)
        # the first period is the registrar's, like any create
        self.assertEqual(self.ledger("self.dk"), [("create", "-10000")])
        self.mail()
        self.poll_all(A)

        # EPP renew: the registrar pays nothing (RFC 8748 fee 0), the
        # registrant gets invoice R1 for the default price
        r = self.renew(A, "self.dk", exp, years=2, fee="0.00")
        self.assertEqual(r.code, 1000, r.raw)
        self.assertEqual(r.root.findtext(".//fee:renData/fee:fee", namespaces=NS), "0.00")
        self.assertEqual(self.ledger("self.dk"), [("create", "-10000")])
        rows = self.regctl("invoice", "list", "--registrants").stdout.splitlines()
        self.assertEqual(rows[0].split()[:4], ["NUMBER", "ISSUED", "DUE", "DOMAIN"])
        self.assertEqual(len(rows), 2, rows)
        self.assertEqual(rows[1].split()[0], "R1")
        self.assertEqual(rows[1].split()[3:8], ["self.dk", holder, A, "16000", "160.00"])
        shown = self.regctl("invoice", "show", "R1").stdout
        until = exp.replace(year=exp.year + 2)
        for line in ("registrant invoice R1 of the .dk registry", "domain: self.dk",
                     "registrar: MGA",
                     "renewal: renew, 2 years, %s to %s" % (exp.date(), until.date()),
                     "payer: %s (registrant)" % holder, "name: Jens Hansen",
                     "organisation: Hansen ApS", "address: Vestergade 1 / 8000 Aarhus C / GB",
                     "email: holder@example.test", "amount: 16000 (160.00 DKK)"):
            self.assertIn(line + "\n", shown)
        self.assertRegex(shown, r"(?m)^svtrid: \S+$")
        (to, subject, body), = self.mail()
        self.assertEqual(to, "holder@example.test")
        self.assertEqual(subject, "Domain self.dk renewed until %s: invoice R1" % until.date())
        self.assertIn("Invoice R1\n", body)
        self.assertIn("Total: 160.00 DKK\n", body)
        self.assertIn("Please pay by ", body)

        # the registrar-managed one is debited as ever; its registrant hears nothing
        agent_exp = exp
        r = self.renew(A, "agent.dk", agent_exp, fee="80.00")
        self.assertEqual(r.code, 1000, r.raw)
        self.assertEqual(r.root.findtext(".//fee:renData/fee:fee", namespaces=NS), "80.00")
        self.assertEqual(self.ledger("agent.dk")[-1], ("renew", "-8000"))
        self.assertEqual(self.mail(), [])

        # at the expiry of both (self.dk set back to a year): the job renews
        # them; self.dk is invoiced (R2), agent.dk debited
        when = agent_exp.replace(year=agent_exp.year + 1)
        sql(self.d, "UPDATE domain SET expires_at = %d WHERE name = 'self.dk'"
                    % int(when.timestamp()))
        out = self.jobs(when + timedelta(hours=1), "domain-expiry")
        self.assertRegex(out, r"domain-expiry\s+ran\s+2 domains renewed")
        self.assertEqual(self.ledger("self.dk"), [("create", "-10000")])
        self.assertEqual(self.ledger("agent.dk")[-1], ("autorenew", "-7000"))
        rows = self.regctl("invoice", "list", "--registrants").stdout.splitlines()
        self.assertEqual([row.split()[0] for row in rows[1:]], ["R1", "R2"])
        self.assertEqual(rows[2].split()[3:8], ["self.dk", holder, A, "7000", "70.00"])
        self.assertIn("renewal: autorenew, 1 year", self.regctl("invoice", "show", "r2").stdout)
        mails = self.mail(when + timedelta(hours=1))
        self.assertEqual([(m[0], m[1]) for m in mails],
                         [("holder@example.test", "Domain self.dk renewed until %s: invoice R2"
                           % when.replace(year=when.year + 1).date())])
        # the registrar still gets its poll messages for both
        msgs = sorted(m for m, _ in self.poll_all(A))
        self.assertEqual(msgs, ["Registry autoRenew of agent.dk: renewed at expiry",
                                "Registry autoRenew of self.dk: renewed at expiry"])
        # regctl's refusals; the ledger and the numbering check out
        self.assertIn("there is no registrant invoice R3",
                      self.regctl("invoice", "show", "R3", code=1).stderr)
        self.regctl("invoice", "show", "R1", "--csv", code=2)
        self.regctl("invoice", "list", "--registrants", "--registrar", A, code=2)
        out = self.regctl("ledger", "verify").stdout
        self.assertIn("registrant invoices: 2, numbered without gaps", out)

    def test_R19_contact_check_reminder_once_per_interval(self):
        self.d = self.daemon(**{"management.contact_check_interval": "30d"})
        holder = self.contact(A, "holder", "holder@example.test", d=self.d)
        own = self.contact(A, "own", "own@example.test", name="Olga Own", d=self.d)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        self.create(A, "checked.dk", holder, d=self.d)
        self.create(A, "self-run.dk", own, regd_create("registrant"), d=self.d)
        self.mail()

        out = self.jobs(now + timedelta(days=29), "contact-check-reminder")
        self.assertRegex(out, r"contact-check-reminder\s+ran\s+0 registrants")
        out = self.jobs(now + timedelta(days=31), "contact-check-reminder")
        self.assertRegex(out, r"contact-check-reminder\s+ran\s+1 registrants asked to check")
        (to, subject, body), = self.mail(now + timedelta(days=31))
        self.assertEqual((to, subject), ("holder@example.test",
                                         "Please check your contact data in the .dk registry"))
        self.assertIn("  checked.dk, registrar Alpha Registrar (MGA)\n", body)
        self.assertIn("as contact %s:\n  Name:         Jens Hansen\n" % holder, body)
        self.assertIn("ask your registrar to\ncorrect it", body)
        # once per interval; the registrant-managed domain's holder never
        self.assertRegex(self.jobs(now + timedelta(days=40), "contact-check-reminder"),
                         r"ran\s+0 ")
        self.assertRegex(self.jobs(now + timedelta(days=62), "contact-check-reminder"),
                         r"ran\s+1 ")
        self.assertEqual([m[0] for m in self.mail(now + timedelta(days=62))],
                         ["holder@example.test"])
        # due with the other jobs too (it is in the schedule)
        out = self.jobs(now + timedelta(days=93))
        self.assertRegex(out, r"contact-check-reminder\s+ran\s+1 ")
        self.assertEqual([m[0] for m in self.mail(now + timedelta(days=93))],
                         ["holder@example.test"])

    # --- R20 -------------------------------------------------------------

    def test_R20_terms_missing_other_version_or_future_2306(self):
        holder = self.contact(A, "holder", "holder@example.test")
        future = iso(datetime.now(timezone.utc) + timedelta(days=1))
        cases = [
            ("", "the registrant's acceptance of the registry's terms is missing: send "
                 "regd:terms with version 1.0"),
            (regd_create("registrant", terms=False), "regd:terms with version 1.0"),
            (regd_create(version="0.9"), "terms version 0.9 is not accepted: the current "
                                         "version is 1.0"),
            (regd_create(accepted=future), "the terms' accepted time %s is in the future"
                                           % future),
            (regd_create(accepted="2025-01-01T00:00:00"), "not a time with a zone"),
        ]
        for ext, reason in cases:
            r = self.create_cmd(A, "terms.dk", holder, ext)
            self.assertEqual(r.code, 2306, r.raw)
            self.assertIn(reason, r.reason, r.raw)
        r = self.client(A).command('<check><domain:check xmlns:domain="%s"><domain:name>terms.dk'
                                   '</domain:name></domain:check></check>' % DOMAIN_NS)
        self.assertEqual(r.root.find(".//domain:name", NS).get("avail"), "1", r.raw)

        # accepted: stored, shown to the sponsor only
        self.create(A, "terms.dk", holder)
        terms = self.info(A, "terms.dk").root.find(".//regd:infData/regd:terms", NS)
        self.assertIsNotNone(terms)
        self.assertEqual((terms.get("version"), terms.get("accepted")),
                         ("1.0", TERMS_ACCEPTED))
        other = self.info(B, "terms.dk", pw="Dpw-12345")
        self.assertIsNone(other.root.find(".//regd:infData/regd:terms", NS), other.raw)
        self.assertEqual(other.root.findtext(".//regd:infData/regd:management", namespaces=NS),
                         "registrar")

    def test_R20_new_terms_version_with_a_transition(self):
        d = self.daemon(**{"terms.version": "2027-1", "terms.also_accept": "1.0"})
        holder = self.contact(A, "holder", "holder@example.test", d=d)
        r = self.create_cmd(A, "v09.dk", holder, regd_create(version="0.9"), d=d)
        self.assertEqual(r.code, 2306, r.raw)
        self.assertIn("the current version is 2027-1", r.reason)
        self.create(A, "v10.dk", holder, regd_create(version="1.0"), d=d)
        self.create(A, "v2027.dk", holder, regd_create(version="2027-1"), d=d)
        got = {n: self.info(A, n, d=d).root.find(".//regd:terms", NS).get("version")
               for n in ("v10.dk", "v2027.dk")}
        self.assertEqual(got, {"v10.dk": "1.0", "v2027.dk": "2027-1"})
        self.assertIn("2027-1", self.regctl("config", "show", d=d).stdout)

    # --- R26 -------------------------------------------------------------

    def test_R26_name_service_without_dnssec_is_reported(self):
        out = self.regctl("report", "dnssec").stdout
        self.assertEqual(out, "registrars that offer name service without DNSSEC:\n"
                              "HANDLE           NAME\nnone\n")
        out = self.regctl("registrar", "set", A, "--name-service", "yes").stdout
        self.assertIn("offers-name-service: yes\noffers-dnssec: no\n", out)
        self.assertIn("warning: offers name service without DNSSEC\n", out)
        self.regctl("registrar", "set", B, "--name-service", "yes", "--dnssec", "yes")
        show = self.regctl("registrar", "show", A).stdout
        self.assertIn("offers-name-service: yes\noffers-dnssec: no\n", show)
        self.assertIn("offers-dnssec: yes\n", self.regctl("registrar", "show", B).stdout)
        out = self.regctl("report", "dnssec").stdout
        self.assertEqual(out.splitlines()[1:], ["HANDLE           NAME",
                                                "MGA              Alpha Registrar"])
        self.regctl("registrar", "set", A.lower(), "--dnssec", "yes")
        self.assertTrue(self.regctl("report", "dnssec").stdout.endswith("\nnone\n"))
        # refusals
        self.regctl("registrar", "set", A, "--dnssec", "maybe", code=2)
        self.regctl("registrar", "set", A, code=2)
        self.regctl("registrar", "set", "NOBODY", "--dnssec", "no", code=1)
        self.regctl("report", "dnssec", "extra", code=2)


class SqliteManagement(Management, unittest.TestCase):
    backend = "sqlite"


class PgsqlManagement(Management, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
